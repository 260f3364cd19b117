//! `report --format md|html`, `privacy` (and `privacy todo`) and `mark`: binary-side glue for the
//! documents. Rendering lives in `agentguard::docs`; this file picks languages and output files,
//! loads and saves the assessment, and maps problems to the exit-code contract.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use agentguard::docs::{self, Doc, Format, Templates};
use agentguard::escape;
use agentguard::evaluate::Findings;
use agentguard::model::{Assessment, Decision, DecisionStatus, Knowledge, Lang};
use agentguard::store::{StoreError, Stored};

use crate::cli::{
    DocFormat, MarkArgs, MarkStatus, PrivacyArgs, PrivacyCmd, ReportArgs, ReportFormat,
};
use crate::commands::{Ctx, EXIT_FINDINGS, InvalidInput, warn_if_catalog_old, write_output};

/// The languages of a document: `--lang both`, `--lang en|zh`, or the assessment's language.
fn doc_langs(ctx: &Ctx, a: &Assessment) -> Vec<Lang> {
    if ctx.lang_both {
        docs::langs(None)
    } else {
        docs::langs(Some(ctx.lang_flag.unwrap_or(a.lang)))
    }
}

/// Markdown and JSON go to stdout unless `-o` says otherwise; HTML always goes to a file (a page
/// on a terminal helps nobody), `checklist.html` or `privacy-notice.html` by default.
fn output_path(doc: Doc, format: Format, output: Option<&Path>) -> Option<PathBuf> {
    match (output, format) {
        (Some(p), _) => Some(p.to_path_buf()),
        (None, Format::Html) => Some(PathBuf::from(format!("{}.html", doc.stem()))),
        (None, Format::Md) => None,
    }
}

fn emit(ctx: &Ctx, lang: Lang, path: Option<&Path>, text: &str) -> Result<()> {
    write_output(ctx, path, text)?;
    if let Some(p) = path {
        eprintln!(
            "{}",
            ctx.ui.fmt(
                lang,
                "docs.written",
                &[("path", escape::terminal(&p.display().to_string(), false))]
            )
        );
    }
    Ok(())
}

/// Compiles only what `doc` in `format` needs.
pub(crate) fn compile<'a>(
    ui: &'a agentguard::i18n::Ui,
    sources: &agentguard::Sources,
    doc: Doc,
    format: Format,
) -> Result<Templates<'a>, docs::DocsError> {
    Templates::only(ui, sources, &[doc.template()], format == Format::Html)
}

/// Prepares the document's data while its templates may still be compiling, then renders.
fn render_doc(
    ctx: &Ctx,
    compiling: Compiling<'_, '_>,
    doc: Doc,
    format: Format,
    input: &docs::Input<'_>,
    langs: &[Lang],
) -> Result<String> {
    let lang = langs.first().copied().unwrap_or_default();
    let failed = || ctx.ui.get(lang, "docs.error.render");
    let mut trace = agentguard::util::Trace::start();
    let prepared = docs::prepare(doc, input, langs).with_context(failed)?;
    trace.mark("prepare");
    let templates = compiling.join(doc).with_context(failed)?;
    trace.mark("compile-wait");
    let text = docs::render_prepared(&templates, format, input, &prepared).with_context(failed);
    trace.mark("render");
    text
}

/// The document format of a `report --format md|html`.
pub(crate) fn checklist_format(args: &ReportArgs) -> Format {
    if args.format == ReportFormat::Html {
        Format::Html
    } else {
        Format::Md
    }
}

/// Templates being compiled while the command loads its inputs: prefetched since the process
/// started, or on a thread of the command's own scope.
pub(crate) enum Compiling<'scope, 'ui> {
    Prefetched(agentguard::TemplatesHandle),
    Scoped(std::thread::ScopedJoinHandle<'scope, Result<Templates<'ui>, docs::DocsError>>),
}

impl<'ui> Compiling<'_, 'ui> {
    /// Waits for the templates, turning a panic of the compiling thread into an error.
    pub(crate) fn join(self, doc: Doc) -> Result<Templates<'ui>, docs::DocsError> {
        match self {
            Compiling::Prefetched(h) => agentguard::join_templates(h, doc),
            Compiling::Scoped(h) => h
                .join()
                .unwrap_or_else(|_| Err(docs::DocsError::compile_panicked(doc))),
        }
    }
}

/// The templates of `doc` in `format`: the prefetched ones when they fit, else compiled on a
/// thread of `scope` while the caller goes on loading.
pub(crate) fn start_compile<'scope, 'env, 'ui: 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    ctx: &'env Ctx<'ui>,
    sources: &'env agentguard::Sources,
    doc: Doc,
    format: Format,
) -> Compiling<'scope, 'ui> {
    let page = format == Format::Html;
    let prefetched = ctx
        .prefetch
        .lock()
        .ok()
        .and_then(|mut p| p.templates(sources, doc, page));
    match prefetched {
        Some(h) => Compiling::Prefetched(h),
        None => {
            let ui = ctx.ui;
            Compiling::Scoped(scope.spawn(move || compile(ui, sources, doc, format)))
        }
    }
}

/// `report --format md|html`; the templates have been compiling since the command started.
pub(crate) fn checklist(
    ctx: &Ctx,
    args: &ReportArgs,
    compiling: Compiling<'_, '_>,
    k: &Knowledge,
    a: &Assessment,
    findings: &Findings,
    file: &str,
) -> Result<u8> {
    let langs = doc_langs(ctx, a);
    let format = checklist_format(args);
    let input = docs::Input {
        knowledge: k,
        assessment: a,
        findings,
        ui: ctx.ui,
        file,
        today: agentguard::util::today(),
    };
    let text = render_doc(ctx, compiling, Doc::Checklist, format, &input, &langs)?;
    let path = output_path(Doc::Checklist, format, args.output.as_deref());
    emit(ctx, langs[0], path.as_deref(), &text)?;
    Ok(
        if agentguard::report::fails(findings, args.fail_on.threshold()) {
            EXIT_FINDINGS
        } else {
            0
        },
    )
}

/// Opens the assessment at `--answers` (or the default file), which must exist and be valid.
fn open_assessment(ctx: &Ctx, k: &Knowledge) -> Result<Stored> {
    let path = ctx.answers_path();
    let lang = ctx.lang();
    let stored = ctx.open_stored(k)?;
    if !stored.exists() {
        anyhow::bail!(ctx.ui.fmt(
            lang,
            "error.no_assessment",
            &[("path", path.display().to_string())]
        ));
    }
    ctx.print_diagnostics(
        &stored.warnings,
        ctx.lang_flag.unwrap_or(stored.assessment.lang),
    );
    Ok(stored)
}

pub(crate) fn privacy(ctx: &Ctx, args: &PrivacyArgs) -> Result<u8> {
    if let Some(PrivacyCmd::Todo { file }) = &args.cmd {
        return todo(ctx, file);
    }
    let sources = ctx.sources()?;
    let format = match args.format {
        DocFormat::Html => Some(Format::Html),
        DocFormat::Md => Some(Format::Md),
        DocFormat::Json => None,
    };
    // Compiling the template takes about as long as loading the catalog: do both at once.
    std::thread::scope(|scope| {
        let compiling = format.map(|f| start_compile(scope, ctx, &sources, Doc::Privacy, f));
        let k = ctx.knowledge(&sources)?;
        let stored = open_assessment(ctx, &k)?;
        privacy_with(ctx, args, &k, &stored, format.zip(compiling))
    })
}

fn privacy_with(
    ctx: &Ctx,
    args: &PrivacyArgs,
    k: &Knowledge,
    stored: &Stored,
    compiling: Option<(Format, Compiling<'_, '_>)>,
) -> Result<u8> {
    let a = &stored.assessment;
    let langs = doc_langs(ctx, a);
    warn_if_catalog_old(ctx, k, langs[0]);
    let today = agentguard::util::today();
    let findings = agentguard::evaluate(k, a, today);
    let file = stored.path.display().to_string();
    let input = docs::Input {
        knowledge: k,
        assessment: a,
        findings: &findings,
        ui: ctx.ui,
        file: &file,
        today,
    };
    let (text, path) = match compiling {
        None => (docs::privacy_json(&input, &langs)?, args.output.clone()),
        Some((format, compiling)) => (
            render_doc(ctx, compiling, Doc::Privacy, format, &input, &langs)?,
            output_path(Doc::Privacy, format, args.output.as_deref()),
        ),
    };
    emit(ctx, langs[0], path.as_deref(), &text)?;
    Ok(0)
}

/// `privacy todo FILE`: lists the TODO markers left in an edited notice; exit 1 when any remain
/// (so a publishing script can stop), 0 when none.
fn todo(ctx: &Ctx, file: &Path) -> Result<u8> {
    let lang = ctx.lang();
    let bytes = agentguard::assets::read_limited(file).with_context(|| {
        ctx.ui
            .fmt(lang, "error.read", &[("path", file.display().to_string())])
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let todos = docs::todo::scan(&text);
    let name = escape::terminal(&file.display().to_string(), false);
    let mut out = String::new();
    if todos.is_empty() {
        out.push_str(&ctx.ui.fmt(lang, "docs.todo.none", &[("file", name)]));
        out.push('\n');
    } else {
        out.push_str(&ctx.ui.fmt(
            lang,
            "docs.todo.count",
            &[("count", todos.len().to_string()), ("file", name.clone())],
        ));
        out.push('\n');
        for t in &todos {
            let _ = writeln!(
                out,
                "{name}:{}:{}: {}",
                t.line,
                t.col,
                escape::terminal(&t.text, false)
            );
        }
    }
    crate::commands::print_out(&out)?;
    Ok(if todos.is_empty() { 0 } else { EXIT_FINDINGS })
}

pub(crate) fn mark(ctx: &Ctx, args: &MarkArgs) -> Result<u8> {
    let sources = ctx.sources()?;
    let k = ctx.knowledge(&sources)?;
    let mut stored = open_assessment(ctx, &k)?;
    let lang = ctx.lang_flag.unwrap_or(stored.assessment.lang);
    let invalid = |message: String| -> anyhow::Error {
        InvalidInput {
            message,
            reported: false,
        }
        .into()
    };
    let id = args.id.trim();
    if k.catalog.threat(id).is_none() && k.catalog.mitigation(id).is_none() {
        return Err(invalid(ctx.ui.fmt(
            lang,
            "docs.error.unknown_id",
            &[("id", escape::terminal(id, false))],
        )));
    }
    let status = match args.status {
        MarkStatus::Done => Some(DecisionStatus::Done),
        MarkStatus::Accepted => Some(DecisionStatus::Accepted),
        MarkStatus::NotApplicable => Some(DecisionStatus::NotApplicable),
        MarkStatus::Open => None,
    };
    let reason = args
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > agentguard::model::MAX_TEXT_CHARS)
    {
        return Err(invalid(ctx.ui.fmt(
            lang,
            "docs.error.reason_too_long",
            &[("max", agentguard::model::MAX_TEXT_CHARS.to_string())],
        )));
    }
    let today = agentguard::util::today();
    if let Some(until) = &args.until {
        if status != Some(DecisionStatus::Accepted) {
            return Err(invalid(ctx.ui.get(lang, "docs.error.until_only_accepted")));
        }
        match agentguard::util::parse_date(until) {
            None => {
                return Err(invalid(ctx.ui.fmt(
                    lang,
                    "docs.error.until_invalid",
                    &[("value", escape::terminal(until, false))],
                )));
            }
            Some(d) if d < today => {
                return Err(invalid(ctx.ui.fmt(
                    lang,
                    "docs.error.until_past",
                    &[("date", until.clone())],
                )));
            }
            Some(_) => {}
        }
    }
    let message = match status {
        None => {
            if stored.assessment.decisions.remove(id).is_none() {
                crate::commands::print_out(&format!(
                    "{}\n",
                    ctx.ui
                        .fmt(lang, "docs.mark.nothing", &[("id", id.to_string())])
                ))?;
                return Ok(0);
            }
            ctx.ui
                .fmt(lang, "docs.mark.cleared", &[("id", id.to_string())])
        }
        Some(status) => {
            if status != DecisionStatus::Done && reason.is_none() {
                return Err(invalid(
                    ctx.ui.fmt(
                        lang,
                        "docs.error.reason_required",
                        &[(
                            "status",
                            ctx.ui
                                .get(lang, &format!("docs.mark.status.{}", status.code())),
                        )],
                    ),
                ));
            }
            stored.assessment.decisions.insert(
                id.to_string(),
                Decision {
                    status,
                    reason,
                    until: args.until.clone(),
                    at: agentguard::util::format_date(today),
                },
            );
            ctx.ui.fmt(
                lang,
                "docs.mark.set",
                &[
                    ("id", id.to_string()),
                    (
                        "status",
                        ctx.ui
                            .get(lang, &format!("docs.mark.status.{}", status.code())),
                    ),
                ],
            )
        }
    };
    match stored.save() {
        Ok(()) => {}
        Err(StoreError::Conflict { path }) => anyhow::bail!(ctx.ui.fmt(
            lang,
            "docs.error.conflict",
            &[("path", path.display().to_string())]
        )),
        Err(e) => return Err(e.into()),
    }
    crate::commands::print_out(&format!("{}\n", escape::terminal(&message, false)))?;
    Ok(0)
}
