//! `agentguard report`: evaluates the assessment and prints the findings as text or JSON, or
//! (`--format md|html`) renders the checklist document; exit 1 when a finding reaches
//! `--fail-on`.

use std::path::PathBuf;

use anyhow::Result;

use agentguard::diag::Diagnostics;
use agentguard::docs::{self, Doc, Format};
use agentguard::evaluate::Findings;
use agentguard::model::{Assessment, Knowledge, Lang};

use super::{
    Compiling, Ctx, EXIT_FINDINGS, doc_langs, emit, output_path, render_doc, start_compile,
    warn_if_catalog_old, write_output,
};
use crate::cli::{ReportArgs, ReportFormat};

pub(crate) fn report(ctx: &Ctx, args: &crate::cli::ReportArgs) -> Result<u8> {
    let mut trace = agentguard::util::Trace::start();
    let sources = ctx.sources()?;
    trace.mark("sources");
    let document = matches!(args.format, ReportFormat::Md | ReportFormat::Html);
    // Compiling the checklist template takes about as long as loading: do both at once.
    std::thread::scope(|scope| {
        let compiling = document.then(|| {
            start_compile(
                scope,
                ctx,
                &sources,
                agentguard::docs::Doc::Checklist,
                checklist_format(args),
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
        let findings = agentguard::evaluate(&k, &a, agentguard::clock::today());
        trace.mark("evaluate");
        let file = path.display().to_string();
        if let Some(compiling) = compiling {
            let code = checklist(ctx, args, &sources, compiling, &k, &a, &findings, &file);
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
            let mut s = agentguard::render::json(&view)?;
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
            anyhow::bail!(ctx.ui.fmt(
                lang,
                "error.read_because",
                &[
                    ("path", path.display().to_string()),
                    ("error", super::os_text(&e))
                ]
            ));
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

/// The document format of a `report --format md|html`.
pub(crate) fn checklist_format(args: &ReportArgs) -> Format {
    if args.format == ReportFormat::Html {
        Format::Html
    } else {
        Format::Md
    }
}

/// `report --format md|html`; the templates have been compiling since the command started.
#[allow(clippy::too_many_arguments)]
pub(crate) fn checklist(
    ctx: &Ctx,
    args: &ReportArgs,
    sources: &agentguard::Sources,
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
        today: agentguard::clock::today(),
    };
    let text = render_doc(
        ctx,
        sources,
        compiling,
        Doc::Checklist,
        format,
        &input,
        &langs,
    )?;
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
