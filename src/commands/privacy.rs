//! `agentguard privacy`: renders the privacy notice (Markdown, HTML or JSON) from the
//! assessment, with the developer's to-do list apart from it; `privacy todo FILE` lists the TODO
//! markers left in an edited notice.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use agentguard::docs::{self, Doc, Format};
use agentguard::escape;
use agentguard::model::{Knowledge, Lang};
use agentguard::store::Stored;

use super::{
    Compiling, Ctx, EXIT_FINDINGS, doc_langs, emit, is_stdout, open_assessment, output_path,
    render_doc_parts, start_compile, warn_if_catalog_old,
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
    match compiling {
        None => {
            let text = docs::privacy_json(&input, &langs)?;
            emit(ctx, langs[0], args.output.as_deref(), &text)?;
        }
        Some((format, compiling)) => {
            let rendered = render_doc_parts(
                ctx,
                sources,
                compiling,
                Doc::Privacy,
                format,
                &input,
                &langs,
            )?;
            let path = output_path(Doc::Privacy, format, args.output.as_deref());
            emit_notice(ctx, langs[0], path.as_deref(), rendered)?;
        }
    }
    Ok(0)
}

/// The notice and, apart from it, the developer's to-do list: on standard output the list follows
/// the notice under its own heading; written to a file, it goes to the sibling `NAME.todo.md`
/// (`privacy todo FILE` then reads only the notice).
fn emit_notice(ctx: &Ctx, lang: Lang, path: Option<&Path>, rendered: docs::Rendered) -> Result<()> {
    let docs::Rendered { text, todo } = rendered;
    match (path.filter(|p| !is_stdout(p)), todo) {
        (Some(p), Some(todo)) => {
            emit(ctx, lang, Some(p), &text)?;
            emit(ctx, lang, Some(&docs::todo_path(p)), &todo)
        }
        (path, None) => emit(ctx, lang, path, &text),
        (None, Some(todo)) => emit(ctx, lang, path, &format!("{text}\n---\n\n{todo}")),
    }
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
