//! `agentguard privacy`: renders the privacy notice (Markdown, HTML or JSON) from the
//! assessment; `privacy todo FILE` lists the TODO markers left in an edited notice.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use agentguard::docs::{self, Doc, Format};
use agentguard::escape;
use agentguard::model::Knowledge;
use agentguard::store::Stored;

use super::{
    Compiling, Ctx, EXIT_FINDINGS, doc_langs, emit, open_assessment, output_path, render_doc,
    start_compile, warn_if_catalog_old,
};
use crate::cli::{DocFormat, PrivacyArgs, PrivacyCmd};

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
        let stored = open_assessment(ctx, &k, false)?;
        privacy_with(ctx, args, &sources, &k, &stored, format.zip(compiling))
    })
}

fn privacy_with(
    ctx: &Ctx,
    args: &PrivacyArgs,
    sources: &agentguard::Sources,
    k: &Knowledge,
    stored: &Stored,
    compiling: Option<(Format, Compiling<'_, '_>)>,
) -> Result<u8> {
    let a = &stored.assessment;
    let langs = doc_langs(ctx, a);
    warn_if_catalog_old(ctx, k, langs[0]);
    let today = agentguard::clock::today();
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
            render_doc(
                ctx,
                sources,
                compiling,
                Doc::Privacy,
                format,
                &input,
                &langs,
            )?,
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
    let shown = file.display().to_string();
    let todos = docs::todo::scan_file(file).map_err(|e| {
        anyhow::Error::msg(match e {
            docs::todo::TodoError::Read { source, .. } => ctx.ui.fmt(
                lang,
                "error.read_because",
                &[
                    ("path", shown.clone()),
                    ("error", crate::commands::os_text(&source)),
                ],
            ),
            docs::todo::TodoError::NotText { line, .. } => ctx.ui.fmt(
                lang,
                "docs.todo.not_text",
                &[("file", shown.clone()), ("line", line.to_string())],
            ),
        })
    })?;
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
                escape::terminal(&agentguard::redact::redact(&t.text), false)
            );
        }
    }
    crate::commands::print_out(&out)?;
    Ok(if todos.is_empty() { 0 } else { EXIT_FINDINGS })
}
