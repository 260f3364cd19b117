//! Command-line definitions (clap derive) and their help text in both languages. The derive gives
//! the shape; `localized` replaces every about/help string with the locale's, keyed by the command
//! path (`cli.catalog.lint.about`, `cli.report.arg.format`).

use std::path::PathBuf;

use clap::{Arg, ArgAction, Args, Command, CommandFactory, Parser, Subcommand, ValueEnum};

use agentguard::i18n::Ui;
use agentguard::model::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "agentguard",
    version,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Language of the output
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// The assessment file (also `AGENTGUARD_ANSWERS`, so it can live outside the repository)
    #[arg(long, global = true, value_name = "FILE", env = "AGENTGUARD_ANSWERS")]
    pub answers: Option<PathBuf>,
    /// No colours
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Catalog override folder
    #[arg(long, global = true, value_name = "DIR")]
    pub catalog: Option<PathBuf>,
    #[arg(short = 'h', long, global = true, action = ArgAction::Help)]
    pub help: Option<bool>,
    #[arg(short = 'V', long, action = ArgAction::Version)]
    pub version: Option<bool>,
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    En,
    Zh,
    /// Both languages, for the documents (`report --format md|html`, `privacy`); other output
    /// uses the environment's language.
    Both,
}

impl LangArg {
    /// The single language, when one was asked for.
    pub fn single(self) -> Option<Lang> {
        match self {
            LangArg::En => Some(Lang::En),
            LangArg::Zh => Some(Lang::Zh),
            LangArg::Both => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Findings for an assessment
    Report(ReportArgs),
    /// The catalog
    Catalog {
        #[command(subcommand)]
        cmd: CatalogCmd,
    },
    /// JSON Schema
    Schema {
        /// The findings schema instead
        #[arg(long)]
        findings: bool,
    },
    /// Shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Manual page
    Man,
    /// The interactive wizard
    Wizard(WizardArgs),
    /// The privacy-notice draft
    Privacy(PrivacyArgs),
    /// Record a decision on a threat or mitigation
    Mark(MarkArgs),
    /// The periodic re-review of the assessment
    Review(ReviewArgs),
    /// The CI gate
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Print the review without asking or writing
    #[arg(long)]
    pub dry_run: bool,
    /// Line-by-line prompts instead of the full-screen interface
    #[arg(long)]
    pub plain: bool,
    /// Review as of this date (YYYY-MM-DD)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct WizardArgs {
    /// Line-by-line prompts instead of the full-screen interface
    #[arg(long)]
    pub plain: bool,
}

#[derive(Debug, Args)]
pub struct PrivacyArgs {
    #[command(subcommand)]
    pub cmd: Option<PrivacyCmd>,
    /// Output format
    #[arg(long, value_enum, default_value = "md")]
    pub format: DocFormat,
    /// Write to FILE (atomically)
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PrivacyCmd {
    /// List the TODO markers left in an edited notice
    Todo { file: PathBuf },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DocFormat {
    Md,
    Html,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MarkStatus {
    Done,
    Accepted,
    NotApplicable,
    /// Remove an earlier decision
    Open,
}

#[derive(Debug, Args)]
pub struct MarkArgs {
    /// A threat or mitigation id
    pub id: String,
    #[arg(value_enum)]
    pub status: MarkStatus,
    /// Why (required for accepted and not-applicable)
    #[arg(long)]
    pub reason: Option<String>,
    /// Until when an acceptance holds (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
    Md,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl FailOn {
    pub fn threshold(self) -> Option<agentguard::model::Severity> {
        use agentguard::model::Severity;
        match self {
            FailOn::None => None,
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Exit 1 at or above this severity
    #[arg(long, value_enum, default_value = "none")]
    pub fail_on: FailOn,
    /// Write to FILE
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
}

/// `check --fail-on`: a severity (no `none`: a gate that never fails is no gate).
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFailOn {
    Low,
    Medium,
    High,
    Critical,
}

impl CheckFailOn {
    pub fn severity(self) -> agentguard::model::Severity {
        use agentguard::model::Severity;
        match self {
            CheckFailOn::Low => Severity::Low,
            CheckFailOn::Medium => Severity::Medium,
            CheckFailOn::High => Severity::High,
            CheckFailOn::Critical => Severity::Critical,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fail at or above this severity
    #[arg(long, value_enum, default_value = "high")]
    pub fail_on: CheckFailOn,
    /// Only findings new since a review (the last, or the one of DATE)
    // clap's shape for a flag with an optional value: absent, `--baseline`, `--baseline DATE`.
    #[allow(clippy::option_option)]
    #[arg(long, value_name = "DATE", num_args = 0..=1)]
    pub baseline: Option<Option<String>>,
    /// Exit 1 on an overdue review
    #[arg(long)]
    pub fail_on_overdue: bool,
    /// Today's date, for tests
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Write to FILE
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCmd {
    /// List
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Show one item
    Show { id: String },
    /// Check
    Lint {
        dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Content hash
    Hash,
}

/// The language for help text, decided before parsing: `--lang` on the command line, else the
/// environment, else English.
pub fn help_lang(args: &[std::ffi::OsString]) -> Lang {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix("--lang=") {
            if let Some(l) = Lang::parse(v) {
                return l;
            }
        } else if a == "--lang"
            && let Some(l) = it.next().and_then(|v| Lang::parse(&v))
        {
            return l;
        }
    }
    agentguard::i18n::lang_from_env().unwrap_or(Lang::En)
}

/// A command-line mistake said in the user's language. clap words its errors in English only,
/// so each kind is said from the locale, with what clap found (the argument, the value, the
/// accepted values, a close match) and the usage line of the command concerned.
pub fn error_message(e: &clap::Error, ui: &Ui, lang: Lang) -> String {
    use clap::error::{ContextKind, ErrorKind};
    // What the user typed is echoed redacted: a key pasted into the wrong place is not shown.
    let get = |k: ContextKind| {
        e.get(k)
            .map(|v| agentguard::redact::redact(&v.to_string()))
            .unwrap_or_default()
    };
    let arg = || ("arg", get(ContextKind::InvalidArg));
    let (key, args): (&str, Vec<(&str, String)>) = match e.kind() {
        ErrorKind::UnknownArgument => ("cli.error.unknown_argument", vec![arg()]),
        ErrorKind::InvalidSubcommand => (
            "cli.error.unknown_command",
            vec![("command", get(ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::InvalidValue if get(ContextKind::InvalidValue).is_empty() => {
            ("cli.error.value_required", vec![arg()])
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => (
            "cli.error.invalid_value",
            vec![("value", get(ContextKind::InvalidValue)), arg()],
        ),
        ErrorKind::MissingRequiredArgument => ("cli.error.missing_argument", vec![arg()]),
        ErrorKind::ArgumentConflict => (
            "cli.error.conflict",
            vec![arg(), ("other", get(ContextKind::PriorArg))],
        ),
        ErrorKind::MissingSubcommand => ("cli.error.missing_command", vec![]),
        _ => ("cli.error.other", vec![]),
    };
    let mut lines = vec![ui.fmt(lang, key, &args)];
    let valid = get(ContextKind::ValidValue);
    if !valid.is_empty() {
        lines.push(ui.fmt(lang, "cli.error.valid_values", &[("values", valid)]));
    }
    let suggestion = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .map(get)
        .find(|s| !s.is_empty());
    if let Some(s) = suggestion {
        lines.push(ui.fmt(lang, "cli.error.did_you_mean", &[("suggestion", s)]));
    }
    let usage = get(ContextKind::Usage);
    if let Some(usage) = usage.trim().strip_prefix("Usage:") {
        lines.push(format!("{}{}", usage_heading(ui, lang), usage.trim()));
    }
    lines.push(ui.get(lang, "cli.error.help_hint"));
    lines.join("\n")
}

/// "Usage:" with the space that follows it; none after a full-width colon ("用法：").
fn usage_heading(ui: &Ui, lang: Lang) -> String {
    let heading = ui.get(lang, "cli.heading.usage");
    if heading.ends_with('：') {
        heading
    } else {
        format!("{heading} ")
    }
}

/// What to start on other threads before the arguments are parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefetchPlan {
    Nothing,
    /// The catalog: the command evaluates an assessment.
    Catalog,
    /// The catalog and the template of a document (with the HTML page when `page`).
    CatalogAndTemplate {
        doc: agentguard::docs::Doc,
        page: bool,
    },
}

/// What to prefetch, guessed from the raw arguments before parsing. A wrong guess costs only
/// work on another thread: the command checks what it gets and loads what it needs otherwise.
pub fn prefetch_plan(args: &[std::ffi::OsString]) -> PrefetchPlan {
    use agentguard::docs::Doc;
    let words: Vec<std::borrow::Cow<'_, str>> =
        args.iter().skip(1).map(|a| a.to_string_lossy()).collect();
    let has = |w: &str| words.iter().any(|a| a == w);
    let format = words.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--format=")
            .or_else(|| (a == "--format").then(|| words.get(i + 1).map_or("", |v| v.as_ref())))
    });
    let template = |doc, page| PrefetchPlan::CatalogAndTemplate { doc, page };
    if has("report") {
        match format {
            Some("md") => template(Doc::Checklist, false),
            Some("html") => template(Doc::Checklist, true),
            _ => PrefetchPlan::Catalog,
        }
    } else if has("privacy") && !has("todo") {
        match format {
            None | Some("md") => template(Doc::Privacy, false),
            Some("html") => template(Doc::Privacy, true),
            _ => PrefetchPlan::Catalog,
        }
    } else if has("wizard") || has("mark") || has("review") || has("check") {
        PrefetchPlan::Catalog
    } else {
        PrefetchPlan::Nothing
    }
}

/// The command tree with every help string from the locale.
pub fn localized(ui: &Ui, lang: Lang) -> Command {
    let cmd = Cli::command()
        .help_template(format!(
            "{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
            usage_heading(ui, lang)
        ))
        .after_help(ui.get(lang, "cli.after_help"));
    localize(cmd, "cli", ui, lang)
}

fn localize(mut cmd: Command, path: &str, ui: &Ui, lang: Lang) -> Command {
    cmd = cmd
        .about(ui.get(lang, &format!("{path}.about")))
        .subcommand_help_heading(ui.get(lang, "cli.heading.commands"))
        .subcommand_value_name(ui.get(lang, "cli.heading.command_value"));
    if path != "cli" {
        cmd = cmd.help_template(format!(
            "{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}",
            usage_heading(ui, lang)
        ));
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let key = if matches!(
            id.as_str(),
            "lang" | "answers" | "no_color" | "catalog" | "help" | "version"
        ) {
            format!("cli.arg.{id}")
        } else {
            format!("{path}.arg.{id}")
        };
        let text = ui.get(lang, &key);
        let heading = if cmd
            .get_arguments()
            .any(|a| a.get_id() == id.as_str() && a.is_positional())
        {
            ui.get(lang, "cli.heading.arguments")
        } else {
            ui.get(lang, "cli.heading.options")
        };
        cmd = cmd.mut_arg(id.as_str(), |a: Arg| a.help(text).help_heading(heading));
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = format!("{path}.{name}");
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize(s, &sub_path, ui, lang));
    }
    cmd
}

/// Every locale key the command tree uses, for the parity test.
#[cfg(test)]
pub fn help_keys() -> Vec<String> {
    fn walk(cmd: &Command, path: &str, out: &mut Vec<String>) {
        out.push(format!("{path}.about"));
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if matches!(
                id,
                "lang" | "answers" | "no_color" | "catalog" | "help" | "version"
            ) {
                out.push(format!("cli.arg.{id}"));
            } else {
                out.push(format!("{path}.arg.{id}"));
            }
        }
        for s in cmd.get_subcommands() {
            walk(s, &format!("{path}.{}", s.get_name()), out);
        }
    }
    let mut out = vec![
        "cli.heading.usage".to_string(),
        "cli.heading.commands".to_string(),
        "cli.heading.command_value".to_string(),
        "cli.heading.options".to_string(),
        "cli.heading.arguments".to_string(),
        "cli.after_help".to_string(),
    ];
    walk(&Cli::command(), "cli", &mut out);
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefetch_follows_the_command_and_format() {
        use agentguard::docs::Doc;
        let plan = |s: &str| {
            let args: Vec<std::ffi::OsString> = std::iter::once("agentguard")
                .chain(s.split_whitespace())
                .map(Into::into)
                .collect();
            prefetch_plan(&args)
        };
        let template = |doc, page| PrefetchPlan::CatalogAndTemplate { doc, page };
        assert_eq!(plan("--version"), PrefetchPlan::Nothing);
        assert_eq!(plan("catalog list"), PrefetchPlan::Nothing);
        assert_eq!(plan("privacy todo notice.md"), PrefetchPlan::Nothing);
        assert_eq!(plan("report"), PrefetchPlan::Catalog);
        assert_eq!(plan("report --format json"), PrefetchPlan::Catalog);
        assert_eq!(
            plan("--answers a.yaml report --format md"),
            template(Doc::Checklist, false)
        );
        assert_eq!(
            plan("report --format=html -o x.html"),
            template(Doc::Checklist, true)
        );
        assert_eq!(plan("privacy"), template(Doc::Privacy, false));
        assert_eq!(plan("privacy --format json"), PrefetchPlan::Catalog);
        assert_eq!(plan("wizard --plain"), PrefetchPlan::Catalog);
    }

    #[test]
    fn every_help_string_exists_in_both_languages() {
        let ui = Ui::embedded();
        let mut missing = Vec::new();
        for key in help_keys() {
            for lang in Lang::ALL {
                if !ui.has(lang, &key) {
                    missing.push(format!("{lang}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "missing help strings: {missing:#?}");
    }

    #[test]
    fn chinese_help_is_chinese() {
        let ui = Ui::embedded();
        let mut cmd = localized(ui, Lang::Zh);
        let help = cmd.render_long_help().to_string();
        assert!(help.contains("用法"), "{help}");
        assert!(
            help.contains(&ui.get(Lang::Zh, "cli.report.about")),
            "{help}"
        );
        cmd.debug_assert();
    }

    #[test]
    fn help_lang_reads_the_flag() {
        let args: Vec<std::ffi::OsString> = vec!["agentguard".into(), "--lang".into(), "zh".into()];
        assert_eq!(help_lang(&args), Lang::Zh);
        let args: Vec<std::ffi::OsString> = vec!["agentguard".into(), "--lang=en".into()];
        assert_eq!(help_lang(&args), Lang::En);
    }
}
