//! The `agentguard` binary: parse arguments, dispatch to a command, map the outcome to the exit
//! code contract (0 ok, 1 findings at or above `--fail-on`, 2 runtime error, 78 invalid input).

mod cli;
mod commands;

use std::process::ExitCode;

use anyhow::Result;
use clap::FromArgMatches;

use agentguard::i18n::Ui;

use cli::{Cli, Cmd};
use commands::Ctx;
use commands::catalog::catalog;
use commands::check::check;
use commands::completions::{completions, man};
use commands::mark::mark;
use commands::prefetch::Prefetch;
use commands::privacy::privacy;
use commands::report::report;
use commands::schema::schema;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The commands that evaluate an assessment start decoding the embedded catalog (and
    // compiling the document template they will need) now, while the arguments are parsed.
    let prefetch = match cli::prefetch_plan(&args) {
        cli::PrefetchPlan::Nothing => Prefetch::default(),
        cli::PrefetchPlan::Catalog => Prefetch::start(None),
        cli::PrefetchPlan::CatalogAndTemplate { doc, page } => Prefetch::start(Some((doc, page))),
    };
    let mut trace = agentguard::util::Trace::start();
    let ui = agentguard::i18n::Ui::embedded();
    trace.mark("locales");
    let help_lang = cli::help_lang(&args);
    let matches = match cli::localized(ui, help_lang).try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => return clap_exit(&e, ui, help_lang),
    };
    trace.mark("parse-args");
    let parsed = match cli::Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_exit(&e, ui, help_lang),
    };
    let outcome = run(parsed, ui, prefetch);
    let code = match &outcome {
        Ok(code) => *code,
        Err(e) => commands::exit_code(e),
    };
    if let Err(e) = outcome
        && (code != commands::EXIT_INVALID || !commands::already_reported(&e))
    {
        let message = match e.downcast_ref::<commands::StdoutError>() {
            Some(commands::StdoutError(io)) => ui.fmt(
                help_lang,
                "error.stdout",
                &[("error", commands::os_text(io))],
            ),
            None => format!("{e:#}"),
        };
        say_error(&message);
    }
    ExitCode::from(code)
}

/// `agentguard: MESSAGE` on standard error: secrets redacted, control characters escaped, and
/// nothing at all when standard error itself is gone (the exit code still says it).
fn say_error(message: &str) {
    commands::print_err(&format!(
        "agentguard: {}\n",
        agentguard::escape::terminal(&agentguard::redact::redact(message), true)
    ));
}

/// What clap stops at: help and version (printed, exit 0; help for a missing command is on
/// standard error, exit 2), or a command-line mistake said in the user's language (exit 2).
/// Printed without panicking on a closed or full output.
fn clap_exit(e: &clap::Error, ui: &Ui, lang: agentguard::model::Lang) -> ExitCode {
    use clap::error::ErrorKind;
    if !e.use_stderr() || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let styled = e.render();
        if !e.use_stderr() {
            let text = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                styled.ansi().to_string()
            } else {
                styled.to_string()
            };
            return match commands::print_out(&text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    if let Some(commands::StdoutError(io)) = err.downcast_ref() {
                        say_error(&ui.fmt(
                            lang,
                            "error.stdout",
                            &[("error", commands::os_text(io))],
                        ));
                    }
                    ExitCode::from(commands::EXIT_RUNTIME)
                }
            };
        }
        commands::print_err(&styled.to_string());
        return ExitCode::from(commands::EXIT_RUNTIME);
    }
    say_error(&cli::error_message(e, ui, lang));
    ExitCode::from(commands::EXIT_RUNTIME)
}

fn run(cli: Cli, ui: &Ui, prefetch: Prefetch) -> Result<u8> {
    let no_color = cli.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ctx = Ctx {
        ui,
        lang_flag: cli.lang.and_then(crate::cli::LangArg::single),
        lang_both: cli.lang == Some(crate::cli::LangArg::Both),
        color: !no_color && std::io::IsTerminal::is_terminal(&std::io::stdout()),
        answers: cli.answers,
        catalog_dir: cli.catalog,
        prefetch: std::sync::Mutex::new(prefetch),
    };
    match cli.command {
        Cmd::Report(args) => report(&ctx, &args),
        Cmd::Catalog { cmd } => catalog(&ctx, cmd),
        Cmd::Schema { findings } => schema(findings),
        Cmd::Completions { shell } => completions(&ctx, shell),
        Cmd::Wizard(args) => commands::wizard::run(&ctx, &args),
        Cmd::Privacy(args) => privacy(&ctx, &args),
        Cmd::Mark(args) => mark(&ctx, &args),
        Cmd::Review(args) => commands::review::run(&ctx, &args),
        Cmd::Check(args) => check(&ctx, &args),
        Cmd::Man => man(&ctx),
    }
}
