//! `agentguard completions SHELL` and `agentguard man`: the shell completion script and the man
//! page, both generated from the localised clap definitions.

use anyhow::Result;

use super::{Ctx, print_bytes};

/// Generated into memory first: `clap_complete` panics when its writer fails, and standard output
/// may be a closed pipe (`| head -1`) or a full disk.
pub(crate) fn completions(ctx: &Ctx, shell: clap_complete::Shell) -> Result<u8> {
    let mut cmd = crate::cli::localized(ctx.ui, ctx.lang());
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "agentguard", &mut buf);
    print_bytes(&buf)?;
    Ok(0)
}

pub(crate) fn man(ctx: &Ctx) -> Result<u8> {
    let cmd = crate::cli::localized(ctx.ui, ctx.lang());
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    print_bytes(&buf)?;
    Ok(0)
}
