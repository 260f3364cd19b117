//! The commands: each loads what it needs through the engine, prints, and returns an exit code.
//! Errors carry their category so `main` can map them to the exit-code contract.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Serialize;

use agentguard::diag::Diagnostics;
use agentguard::i18n::Ui;
use agentguard::model::{Knowledge, Lang};
use agentguard::{Sources, escape};

use crate::cli::{CatalogCmd, Cli, Cmd, ListFormat, ReportFormat};

pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_RUNTIME: u8 = 2;
pub const EXIT_INVALID: u8 = 78;

/// Invalid input data or configuration (exit 78). `reported` means the diagnostics were already
/// printed.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct InvalidInput {
    pub message: String,
    pub reported: bool,
}

pub fn exit_code(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<InvalidInput>().is_some() {
        EXIT_INVALID
    } else {
        EXIT_RUNTIME
    }
}

pub fn already_reported(e: &anyhow::Error) -> bool {
    e.downcast_ref::<InvalidInput>().is_some_and(|i| i.reported)
}

/// What every command gets: the strings, the global options, and helpers to load assets.
pub(crate) struct Ctx<'a> {
    pub(crate) ui: &'a Ui,
    /// `--lang en|zh`; `None` for no flag or `--lang both`.
    pub(crate) lang_flag: Option<Lang>,
    /// `--lang both`.
    pub(crate) lang_both: bool,
    pub(crate) color: bool,
    pub(crate) answers: Option<PathBuf>,
    pub(crate) catalog_dir: Option<PathBuf>,
    /// The embedded catalog decoding since the process started; the first `knowledge` takes it.
    pub(crate) prefetch: std::sync::Mutex<agentguard::Prefetch>,
}

impl Ctx<'_> {
    /// The language when there is no assessment to ask: flag, environment, English.
    pub(crate) fn lang(&self) -> Lang {
        self.lang_flag
            .or_else(agentguard::i18n::lang_from_env)
            .unwrap_or(Lang::En)
    }

    pub(crate) fn sources(&self) -> Result<Sources> {
        agentguard::sources(self.catalog_dir.as_deref(), true).with_context(|| {
            self.ui.fmt(
                self.lang(),
                "error.catalog_dir",
                &[(
                    "path",
                    self.catalog_dir
                        .as_deref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                )],
            )
        })
    }

    pub(crate) fn knowledge(&self, sources: &Sources) -> Result<Knowledge> {
        let lang = self.lang();
        let loaded = match self.prefetch.lock() {
            Ok(mut p) => p.knowledge(sources),
            Err(_) => agentguard::knowledge(sources),
        };
        match loaded {
            Ok((k, warnings)) => {
                self.print_diagnostics(&warnings, lang);
                Ok(k)
            }
            Err(d) => {
                self.print_diagnostics(&d, lang);
                Err(InvalidInput {
                    message: self.ui.get(lang, "error.catalog_invalid"),
                    reported: true,
                }
                .into())
            }
        }
    }

    /// An assessment file that does not validate: its problems printed, exit 78.
    pub(crate) fn invalid_assessment(&self, d: &Diagnostics, path: &Path) -> anyhow::Error {
        let lang = self.lang();
        self.print_diagnostics(d, lang);
        InvalidInput {
            message: self.ui.fmt(
                lang,
                "error.assessment_invalid",
                &[("path", path.display().to_string())],
            ),
            reported: true,
        }
        .into()
    }

    /// Opens the assessment at `--answers` (or the default file) for reading and saving; a
    /// missing file opens empty.
    pub(crate) fn open_stored(&self, k: &Knowledge) -> Result<agentguard::store::Stored> {
        let path = self.answers_path();
        match agentguard::store::Stored::open(&path, k, self.lang()) {
            Ok(s) => Ok(s),
            Err(agentguard::store::StoreError::Invalid { path, diagnostics }) => {
                Err(self.invalid_assessment(&diagnostics, &path))
            }
            Err(e) => Err(e).with_context(|| {
                self.ui.fmt(
                    self.lang(),
                    "error.read",
                    &[("path", path.display().to_string())],
                )
            }),
        }
    }

    pub(crate) fn print_diagnostics(&self, d: &Diagnostics, lang: Lang) {
        let mut err = std::io::stderr().lock();
        for x in &d.0 {
            let _ = writeln!(
                err,
                "{}\n",
                escape::terminal(&x.render(self.ui, lang), true)
            );
        }
    }

    pub(crate) fn answers_path(&self) -> PathBuf {
        self.answers
            .clone()
            .unwrap_or_else(|| PathBuf::from(agentguard::store::DEFAULT_FILE))
    }
}

pub fn run(cli: Cli, ui: &Ui, prefetch: agentguard::Prefetch) -> Result<u8> {
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
        Cmd::Schema { findings } => {
            let s = if findings {
                agentguard::schema::FINDINGS
            } else {
                agentguard::schema::ASSESSMENT
            };
            print_out(s)?;
            Ok(0)
        }
        Cmd::Completions { shell } => {
            let mut cmd = crate::cli::localized(ui, ctx.lang());
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut cmd, "agentguard", &mut out);
            Ok(0)
        }
        Cmd::Wizard(args) => crate::cmd_wizard::run(&ctx, &args),
        Cmd::Privacy(args) => crate::cmd_outputs::privacy(&ctx, &args),
        Cmd::Mark(args) => crate::cmd_outputs::mark(&ctx, &args),
        Cmd::Man => {
            let cmd = crate::cli::localized(ui, ctx.lang());
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            std::io::stdout().lock().write_all(&buf)?;
            Ok(0)
        }
    }
}

pub(crate) fn print_out(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

pub(crate) fn write_output(ctx: &Ctx, path: Option<&Path>, s: &str) -> Result<()> {
    match path {
        None => print_out(s),
        Some(p) => agentguard::util::write_atomic(p, s.as_bytes()).with_context(|| {
            ctx.ui.fmt(
                ctx.lang(),
                "error.write",
                &[("path", p.display().to_string())],
            )
        }),
    }
}

/// An assessment file read and parsed, not yet checked against the catalog (that needs the
/// catalog, which may still be loading).
struct ParsedAssessment {
    path: PathBuf,
    name: String,
    raw: Result<agentguard::load::raw::RawAssessment, Diagnostics>,
}

/// Reads and parses the assessment for a command that needs one; a missing or unreadable file is
/// explained at once, a parse error when the assessment is checked.
fn parse_assessment(ctx: &Ctx) -> Result<ParsedAssessment> {
    let path = ctx.answers_path();
    let lang = ctx.lang();
    let bytes = match agentguard::assets::read_limited(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!(ctx.ui.fmt(
                lang,
                "error.no_assessment",
                &[("path", path.display().to_string())]
            ));
        }
        Err(e) => {
            return Err(e).with_context(|| {
                ctx.ui
                    .fmt(lang, "error.read", &[("path", path.display().to_string())])
            });
        }
    };
    let name = path.display().to_string();
    let raw = agentguard::load::parse_assessment(&name, &bytes);
    Ok(ParsedAssessment { path, name, raw })
}

/// Checks a parsed assessment against the catalog, printing its problems.
fn check_assessment(
    ctx: &Ctx,
    k: &Knowledge,
    parsed: ParsedAssessment,
) -> Result<(agentguard::Assessment, PathBuf)> {
    let ParsedAssessment { path, name, raw } = parsed;
    match raw.and_then(|raw| agentguard::load::check_assessment(&name, raw, k)) {
        Ok((a, warnings)) => {
            ctx.print_diagnostics(&warnings, ctx.lang_flag.unwrap_or(a.lang));
            Ok((a, path))
        }
        Err(d) => Err(ctx.invalid_assessment(&d, &path)),
    }
}

pub(crate) fn warn_if_catalog_old(ctx: &Ctx, k: &Knowledge, lang: Lang) {
    let Some(released) = agentguard::util::parse_date(&k.catalog.manifest.released) else {
        return;
    };
    let age = agentguard::util::today() - released;
    if age > 183 {
        eprintln!(
            "{}",
            ctx.ui.fmt(
                lang,
                "warning.catalog_old",
                &[
                    ("date", k.catalog.manifest.released.clone()),
                    ("days", age.to_string())
                ]
            )
        );
    }
}

fn report(ctx: &Ctx, args: &crate::cli::ReportArgs) -> Result<u8> {
    let mut trace = agentguard::util::Trace::start();
    let sources = ctx.sources()?;
    trace.mark("sources");
    let document = matches!(args.format, ReportFormat::Md | ReportFormat::Html);
    // Compiling the checklist template takes about as long as loading: do both at once.
    std::thread::scope(|scope| {
        let compiling = document.then(|| {
            crate::cmd_outputs::start_compile(
                scope,
                ctx,
                &sources,
                agentguard::docs::Doc::Checklist,
                crate::cmd_outputs::checklist_format(args),
            )
        });
        // The assessment is parsed while the catalog is still decoding; the catalog's own
        // problems are reported first.
        let parsed = parse_assessment(ctx);
        trace.mark("parse-assessment");
        let k = ctx.knowledge(&sources)?;
        trace.mark("load-catalog");
        let (a, path) = check_assessment(ctx, &k, parsed?)?;
        trace.mark("check-assessment");
        let lang = ctx.lang_flag.unwrap_or(a.lang);
        warn_if_catalog_old(ctx, &k, lang);
        let findings = agentguard::evaluate(&k, &a, agentguard::util::today());
        trace.mark("evaluate");
        let file = path.display().to_string();
        if let Some(compiling) = compiling {
            let code =
                crate::cmd_outputs::checklist(ctx, args, compiling, &k, &a, &findings, &file);
            trace.mark("write");
            return code;
        }
        report_plain(ctx, args, &k, &a, &findings, &file, lang, &mut trace)
    })
}

#[allow(clippy::too_many_arguments)]
fn report_plain(
    ctx: &Ctx,
    args: &crate::cli::ReportArgs,
    k: &Knowledge,
    a: &agentguard::Assessment,
    findings: &agentguard::Findings,
    file: &str,
    lang: Lang,
    trace: &mut agentguard::util::Trace,
) -> Result<u8> {
    let view = agentguard::report::build(&agentguard::report::ReportInput {
        knowledge: k,
        assessment: a,
        findings,
        lang,
        file,
        ui: ctx.ui,
    });
    let text = match args.format {
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&view)?;
            s.push('\n');
            s
        }
        // Md and Html are rendered as documents by `report` before it gets here.
        ReportFormat::Text | ReportFormat::Md | ReportFormat::Html => agentguard::render::text(
            &view,
            ctx.ui,
            agentguard::render::Style {
                color: ctx.color && args.output.is_none(),
            },
        ),
    };
    trace.mark("render");
    write_output(ctx, args.output.as_deref(), &text)?;
    trace.mark("write");
    Ok(
        if agentguard::report::fails(findings, args.fail_on.threshold()) {
            EXIT_FINDINGS
        } else {
            0
        },
    )
}

fn catalog(ctx: &Ctx, cmd: CatalogCmd) -> Result<u8> {
    match cmd {
        CatalogCmd::Lint { dir, format } => lint(ctx, dir.as_deref(), format),
        CatalogCmd::Hash => {
            let sources = ctx.sources()?;
            print_out(&format!("{}\n", agentguard::load::content_hash(&sources)))?;
            Ok(0)
        }
        CatalogCmd::List { format } => {
            let sources = ctx.sources()?;
            let k = ctx.knowledge(&sources)?;
            let listing = agentguard_listing(&k, ctx.lang());
            let s = match format {
                ListFormat::Json => format!("{}\n", serde_json::to_string_pretty(&listing)?),
                ListFormat::Text => listing_text(&listing, ctx.ui, ctx.lang()),
            };
            print_out(&s)?;
            Ok(0)
        }
        CatalogCmd::Show { id } => {
            let sources = ctx.sources()?;
            let k = ctx.knowledge(&sources)?;
            match show(&k, &id, ctx.ui, ctx.lang()) {
                Some(s) => {
                    print_out(&s)?;
                    Ok(0)
                }
                None => Err(InvalidInput {
                    message: ctx.ui.fmt(ctx.lang(), "error.unknown_id", &[("id", id)]),
                    reported: false,
                }
                .into()),
            }
        }
    }
}

#[derive(Serialize)]
struct LintItem {
    code: &'static str,
    level: agentguard::diag::Level,
    file: String,
    line: u64,
    col: u64,
    message: String,
    help: String,
}

fn lint(ctx: &Ctx, dir: Option<&Path>, format: ListFormat) -> Result<u8> {
    let lang = ctx.lang();
    let mut sources = ctx.sources()?;
    if let Some(d) = dir {
        sources.overlay(d).with_context(|| {
            ctx.ui.fmt(
                lang,
                "error.catalog_dir",
                &[("path", d.display().to_string())],
            )
        })?;
    }
    let mut diags = match agentguard::load::knowledge(&sources) {
        Ok((k, w)) => {
            let mut w = w;
            let hash = agentguard::load::content_hash(&sources);
            let latest = k
                .catalog
                .manifest
                .changelog
                .last()
                .map(|e| e.content_hash.clone());
            if latest.as_deref() != Some(hash.as_str()) {
                w.push(
                    agentguard::Diagnostic::error(
                        "W0401",
                        agentguard::model::Span {
                            file: "catalog/catalog.yaml".into(),
                            line: 0,
                            col: 0,
                        },
                    )
                    .arg("hash", hash)
                    .arg("version", k.catalog.manifest.version.to_string()),
                );
            }
            w
        }
        Err(d) => d,
    };
    match agentguard::i18n::Ui::from_sources(&sources) {
        Ok(ui) => {
            for p in ui.parity_problems() {
                diags.push(
                    agentguard::Diagnostic::error(
                        "E0601",
                        agentguard::model::Span {
                            file: "locales/".into(),
                            line: 0,
                            col: 0,
                        },
                    )
                    .arg("detail", p),
                );
            }
        }
        Err(e) => diags.push(
            agentguard::Diagnostic::error(
                "E0601",
                agentguard::model::Span {
                    file: "locales/".into(),
                    line: 0,
                    col: 0,
                },
            )
            .arg("detail", e.to_string()),
        ),
    }
    diags.sort();
    let errors = diags.errors().count();
    let warnings = diags.warnings().count();
    let s = match format {
        ListFormat::Json => {
            let items: Vec<LintItem> = diags
                .0
                .iter()
                .map(|d| LintItem {
                    code: d.code,
                    level: d.level,
                    file: d.span.file.clone(),
                    line: d.span.line,
                    col: d.span.col,
                    message: d.message(ctx.ui, lang),
                    help: d.full_help(ctx.ui, lang),
                })
                .collect();
            format!("{}\n", serde_json::to_string_pretty(&items)?)
        }
        ListFormat::Text => {
            let mut s = String::new();
            for d in &diags.0 {
                s.push_str(&escape::terminal(&d.render(ctx.ui, lang), true));
                s.push_str("\n\n");
            }
            s.push_str(&ctx.ui.fmt(
                lang,
                "lint.summary",
                &[
                    ("errors", errors.to_string()),
                    ("warnings", warnings.to_string()),
                ],
            ));
            s.push('\n');
            s
        }
    };
    print_out(&s)?;
    Ok(if errors > 0 { EXIT_INVALID } else { 0 })
}

#[derive(Serialize)]
struct Listing {
    schema_version: u32,
    catalog: ListingCatalog,
    counts: Counts,
    sections: Vec<ListingSection>,
    threats: Vec<ListingThreat>,
    providers: Vec<ListingProvider>,
    coverage: Coverage,
}

#[derive(Serialize)]
struct ListingCatalog {
    version: u32,
    released: String,
    lang: Lang,
}

#[derive(Serialize)]
struct Counts {
    sections: usize,
    questions: usize,
    threats: usize,
    mitigations: usize,
    providers: usize,
    references: usize,
}

#[derive(Serialize)]
struct ListingSection {
    id: String,
    title: String,
    questions: Vec<ListingQuestion>,
}

#[derive(Serialize)]
struct ListingQuestion {
    id: String,
    kind: &'static str,
    prompt: String,
    options: Vec<String>,
    conditional: bool,
}

#[derive(Serialize)]
struct ListingThreat {
    id: String,
    title: String,
    dimension: &'static str,
    severity: &'static str,
    references: Vec<String>,
    mitigations: Vec<String>,
}

#[derive(Serialize)]
struct ListingProvider {
    id: String,
    kind: &'static str,
    name: String,
}

/// Which external ids the live threats cite, by kind.
#[derive(Serialize, Default)]
struct Coverage {
    owasp_llm: Vec<String>,
    owasp_agentic: Vec<String>,
    owasp_agentic_threats: Vec<String>,
    atlas: Vec<String>,
    cwe: Vec<String>,
    law: Vec<String>,
}

fn agentguard_listing(k: &Knowledge, lang: Lang) -> Listing {
    use agentguard::model::ReferenceKind as R;
    let qn = &k.questionnaire;
    let cat = &k.catalog;
    let mut cov = Coverage::default();
    for t in cat.threats.iter().filter(|t| t.retired.is_none()) {
        for &r in &t.references {
            let r = &cat.references[r];
            let v = match r.kind {
                R::OwaspLlm => &mut cov.owasp_llm,
                R::OwaspAgentic => &mut cov.owasp_agentic,
                R::OwaspAgenticThreat => &mut cov.owasp_agentic_threats,
                R::Atlas => &mut cov.atlas,
                R::Cwe => &mut cov.cwe,
                R::Law | R::Standard => &mut cov.law,
            };
            v.push(r.id.clone());
        }
    }
    for v in [
        &mut cov.owasp_llm,
        &mut cov.owasp_agentic,
        &mut cov.owasp_agentic_threats,
        &mut cov.atlas,
        &mut cov.cwe,
        &mut cov.law,
    ] {
        v.sort_by_key(|id| natural_key(id));
        v.dedup();
    }
    Listing {
        schema_version: 1,
        catalog: ListingCatalog {
            version: cat.manifest.version,
            released: cat.manifest.released.clone(),
            lang,
        },
        counts: Counts {
            sections: qn.sections.len(),
            questions: qn.questions.iter().filter(|q| q.retired.is_none()).count(),
            threats: cat.threats.iter().filter(|t| t.retired.is_none()).count(),
            mitigations: cat.mitigations.len(),
            providers: cat.providers.len(),
            references: cat.references.len(),
        },
        sections: qn
            .sections
            .iter()
            .map(|s| ListingSection {
                id: s.id.clone(),
                title: s.title.get(lang).to_string(),
                questions: s
                    .questions
                    .iter()
                    .map(|&i| {
                        let q = &qn.questions[i];
                        ListingQuestion {
                            id: q.id.clone(),
                            kind: q.kind.code(),
                            prompt: q.prompt.get(lang).to_string(),
                            options: q.options.iter().map(|o| o.id.clone()).collect(),
                            conditional: q.show_when.is_some(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        threats: cat
            .threats
            .iter()
            .filter(|t| t.retired.is_none())
            .map(|t| ListingThreat {
                id: t.id.clone(),
                title: t.title.get(lang).to_string(),
                dimension: t.dimension.code(),
                severity: t.severity.code(),
                references: t
                    .references
                    .iter()
                    .map(|&r| cat.references[r].id.clone())
                    .collect(),
                mitigations: t
                    .mitigations
                    .iter()
                    .map(|&m| cat.mitigations[m].id.clone())
                    .collect(),
            })
            .collect(),
        providers: cat
            .providers
            .iter()
            .map(|p| ListingProvider {
                id: p.id.clone(),
                kind: p.kind.code(),
                name: p.name.get(lang).to_string(),
            })
            .collect(),
        coverage: cov,
    }
}

/// Sorts `LLM2` before `LLM10` and `T2` before `T10`.
fn natural_key(s: &str) -> (String, u64, String) {
    let start = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    let end = s[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(s.len(), |e| start + e);
    (
        s[..start].to_string(),
        s[start..end].parse().unwrap_or(0),
        s[end..].to_string(),
    )
}

fn listing_text(l: &Listing, ui: &Ui, lang: Lang) -> String {
    let mut s = ui.fmt(
        lang,
        "catalog.list.counts",
        &[
            ("version", l.catalog.version.to_string()),
            ("sections", l.counts.sections.to_string()),
            ("questions", l.counts.questions.to_string()),
            ("threats", l.counts.threats.to_string()),
            ("mitigations", l.counts.mitigations.to_string()),
            ("providers", l.counts.providers.to_string()),
        ],
    );
    s.push_str("\n\n");
    for sec in &l.sections {
        s.push_str(&format!(
            "## {} ({})\n",
            escape::terminal(&sec.title, false),
            sec.id
        ));
        for q in &sec.questions {
            s.push_str(&format!(
                "  {:<32} {:<9} {}\n",
                q.id,
                q.kind,
                escape::terminal(&q.prompt, false)
            ));
        }
    }
    s.push('\n');
    s.push_str(&format!("## {}\n", ui.get(lang, "catalog.list.threats")));
    for t in &l.threats {
        s.push_str(&format!(
            "  {:<40} {:<9} {:<16} {}\n",
            t.id,
            ui.get(lang, &format!("severity.{}", t.severity)),
            ui.get(lang, &format!("dimension.{}", t.dimension)),
            escape::terminal(&t.title, false)
        ));
    }
    s.push('\n');
    s.push_str(&format!("## {}\n", ui.get(lang, "catalog.list.providers")));
    for p in &l.providers {
        s.push_str(&format!(
            "  {:<28} {:<12} {}\n",
            p.id,
            p.kind,
            escape::terminal(&p.name, false)
        ));
    }
    s
}

fn show(k: &Knowledge, id: &str, ui: &Ui, lang: Lang) -> Option<String> {
    let cat = &k.catalog;
    let t = |s: &str| escape::terminal(s, true);
    if let Some(th) = cat.threat(id) {
        let mut s = format!(
            "{} — {}\n{}: {} · {}: {}\n\n{}\n\n{}\n",
            th.id,
            t(th.title.get(lang)),
            ui.get(lang, "catalog.show.severity"),
            ui.get(lang, &format!("severity.{}", th.severity.code())),
            ui.get(lang, "catalog.show.dimension"),
            ui.get(lang, &format!("dimension.{}", th.dimension.code())),
            t(th.description.get(lang)),
            t(th.why.get(lang)),
        );
        s.push_str(&format!("\n{}\n", ui.get(lang, "report.do")));
        for &m in &th.mitigations {
            let m = &cat.mitigations[m];
            s.push_str(&format!(
                "  - {} — {} ({}, {}, {})\n    {}\n",
                m.id,
                t(m.title.get(lang)),
                ui.get(lang, &format!("stage.{}", m.stage.code())),
                ui.get(lang, &format!("owner.{}", m.owner.code())),
                ui.get(lang, &format!("effort.{}", m.effort.code())),
                t(m.detail.get(lang)),
            ));
        }
        s.push_str(&format!("\n{}\n", ui.get(lang, "report.refs")));
        for &r in &th.references {
            let r = &cat.references[r];
            s.push_str(&format!(
                "  - {} {}{}\n",
                r.id,
                t(r.name.get(lang)),
                r.url
                    .as_deref()
                    .map(|u| format!(" <{u}>"))
                    .unwrap_or_default()
            ));
        }
        return Some(s);
    }
    if let Some(m) = cat.mitigation(id) {
        return Some(format!(
            "{} — {}\n{}\n({}, {}, {})\n",
            m.id,
            t(m.title.get(lang)),
            t(m.detail.get(lang)),
            ui.get(lang, &format!("stage.{}", m.stage.code())),
            ui.get(lang, &format!("owner.{}", m.owner.code())),
            ui.get(lang, &format!("effort.{}", m.effort.code())),
        ));
    }
    if let Some(q) = k.questionnaire.question(id) {
        let mut s = format!("{} ({})\n{}\n", q.id, q.kind.code(), t(q.prompt.get(lang)));
        if let Some(h) = &q.help {
            s.push_str(&format!("{}\n", t(h.get(lang))));
        }
        s.push_str(&format!(
            "{} {}\n",
            ui.get(lang, "catalog.show.why_ask"),
            t(q.why.get(lang))
        ));
        for o in &q.options {
            s.push_str(&format!("  - {} — {}\n", o.id, t(o.label.get(lang))));
        }
        return Some(s);
    }
    if let Some(p) = cat.provider(id) {
        let mut s = format!(
            "{} — {}\n{}\n{}\n\n{} {}\n{} {}\n\n",
            p.id,
            t(p.name.get(lang)),
            t(p.operator.get(lang)),
            t(p.region.get(lang)),
            ui.get(lang, "catalog.show.covers"),
            t(p.covers.get(lang)),
            ui.get(lang, "catalog.show.does_not_cover"),
            t(p.does_not_cover.get(lang)),
        );
        for (fd, f) in cat.facts.iter().zip(&p.facts) {
            s.push_str(&format!(
                "  {:<8} {} [{}; {}]\n",
                ui.get(lang, &format!("fact.{}", f.value.code())),
                t(fd.label.get(lang)),
                t(&f.source),
                f.checked
            ));
        }
        return Some(s);
    }
    None
}
