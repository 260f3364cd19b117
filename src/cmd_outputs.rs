//! `report --format md|html`, `privacy` and `mark`: binary-side glue for the documents (owned by
//! the outputs work).

use anyhow::Result;

use agentguard::evaluate::Findings;
use agentguard::model::{Assessment, Knowledge};

use crate::cli::{MarkArgs, PrivacyArgs, ReportArgs};
use crate::commands::Ctx;

pub(crate) fn checklist(
    ctx: &Ctx,
    _args: &ReportArgs,
    _k: &Knowledge,
    _a: &Assessment,
    _findings: &Findings,
    _file: &str,
) -> Result<u8> {
    anyhow::bail!(ctx.ui.get(ctx.lang(), "error.not_built_yet"))
}

pub(crate) fn privacy(ctx: &Ctx, _args: &PrivacyArgs) -> Result<u8> {
    anyhow::bail!(ctx.ui.get(ctx.lang(), "error.not_built_yet"))
}

pub(crate) fn mark(ctx: &Ctx, _args: &MarkArgs) -> Result<u8> {
    anyhow::bail!(ctx.ui.get(ctx.lang(), "error.not_built_yet"))
}
