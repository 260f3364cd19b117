//! `agentguard completions SHELL` and `agentguard man`: the shell completion script and the man
//! page, both generated from the localised clap definitions.

use std::io::Write as _;

use anyhow::Result;

use super::Ctx;

// Same shape as every other command, though generating cannot fail.
#[allow(clippy::unnecessary_wraps)]
pub(crate) fn completions(ctx: &Ctx, shell: clap_complete::Shell) -> Result<u8> {
    let mut cmd = crate::cli::localized(ctx.ui, ctx.lang());
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "agentguard", &mut out);
    Ok(0)
}

pub(crate) fn man(ctx: &Ctx) -> Result<u8> {
    let cmd = crate::cli::localized(ctx.ui, ctx.lang());
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    std::io::stdout().lock().write_all(&buf)?;
    Ok(0)
}
