//! `agentguard wizard`: binary-side glue for the interactive wizard (owned by the wizard work).

use anyhow::Result;

use crate::cli::WizardArgs;
use crate::commands::Ctx;

pub(crate) fn run(ctx: &Ctx, _args: &WizardArgs) -> Result<u8> {
    anyhow::bail!(ctx.ui.get(ctx.lang(), "error.not_built_yet"))
}
