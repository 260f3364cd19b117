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
        Err(e) => {
            use clap::error::ErrorKind;
            // --help and --version are "errors" to clap; they print and exit 0. Help shown for
            // a missing command is localised help too.
            if !e.use_stderr() || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                let _ = e.print();
                return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
            }
            eprintln!(
                "agentguard: {}",
                agentguard::escape::terminal(&cli::error_message(&e, ui, help_lang), true)
            );
            return ExitCode::from(2);
        }
    };
    trace.mark("parse-args");
    let parsed = match cli::Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    match run(parsed, ui, prefetch) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let code = commands::exit_code(&e);
            if code != commands::EXIT_INVALID || !commands::already_reported(&e) {
                eprintln!(
                    "agentguard: {}",
                    agentguard::escape::terminal(&format!("{e:#}"), true)
                );
            }
            ExitCode::from(code)
        }
    }
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
        Cmd::Man => man(&ctx),
    }
}
