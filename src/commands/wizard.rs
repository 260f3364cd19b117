//! `agentguard wizard`: binary-side glue for the interactive wizard. Refuses without a terminal,
//! loads the knowledge and the assessment file, picks the language, and hands over to the
//! full-screen front end or (`--plain`) the line-mode one.

use std::io::{IsTerminal as _, Write as _};
use std::time::Instant;

use anyhow::{Context as _, Result};

use agentguard::model::Lang;
use agentguard::wizard::{Session, Trace, flow::Flow};

use super::Ctx;
use crate::cli::WizardArgs;

pub(crate) fn run(ctx: &Ctx, args: &WizardArgs) -> Result<u8> {
    let start = Instant::now();
    let ui = ctx.ui;
    // Without a terminal there is nobody to answer: say so in both languages (the reader's
    // locale may be unknown in a pipe) and point to the non-interactive commands.
    let needs_stdout = !args.plain;
    if !std::io::stdin().is_terminal() || (needs_stdout && !std::io::stdout().is_terminal()) {
        anyhow::bail!(
            "{}\n{}",
            ui.get(Lang::En, "wizard.no_tty"),
            ui.get(Lang::Zh, "wizard.no_tty")
        );
    }
    let sources = ctx.sources()?;
    let k = ctx.knowledge(&sources)?;
    let path = ctx.answers_path();
    let stored = ctx.open_stored(&k)?;
    // Warnings (retired options …) are printed before the screen takes over, so they are still
    // there when it closes.
    let lang = ctx.lang_flag.unwrap_or(if stored.exists() {
        stored.assessment.lang
    } else {
        ctx.lang()
    });
    ctx.print_diagnostics(&stored.warnings, lang);
    crate::commands::warn_if_catalog_old(ctx, &k, lang);

    let mut flow = Flow::new(
        &k,
        ui,
        stored.assessment.clone(),
        lang,
        agentguard::clock::today(),
    );
    let write_docs = crate::commands::doc_writer(ctx, sources, &path);
    let mut session = Session {
        stored,
        docs: Some(&write_docs),
        trace: Trace::from_env(start),
    };
    session.trace.note(&format!(
        "loaded load_us={} plain={}",
        start.elapsed().as_micros(),
        args.plain
    ));
    let outcome = crate::commands::run_front_end(ctx, args.plain, &mut flow, &mut session)
        .with_context(|| ui.get(lang, "wizard.failed"))?;
    let lang = flow.lang();
    // After a signal the terminal may be gone (SIGHUP): a failed write is no reason to panic.
    let _ = writeln!(std::io::stderr(), "{}", outcome.message(ui, lang, &path));
    Ok(outcome.exit_code())
}
