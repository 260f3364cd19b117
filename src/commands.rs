//! The commands, one file per subcommand under `commands/`, over what they share: the context
//! every command gets (`Ctx`: strings, global options, loading assets), the exit-code contract
//! and its error type, output helpers, and the document glue of `report --format md|html` and
//! `privacy` (templates compiling while the inputs load). Errors carry their category so `main`
//! can map them to the exit-code contract.

pub(crate) mod catalog;
pub(crate) mod completions;
pub(crate) mod mark;
pub(crate) mod prefetch;
pub(crate) mod privacy;
pub(crate) mod report;
pub(crate) mod schema;
pub(crate) mod wizard;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use agentguard::diag::Diagnostics;
use agentguard::docs::{self, Doc, Format, Templates};
use agentguard::i18n::Ui;
use agentguard::model::{Assessment, Knowledge, Lang};
use agentguard::store::Stored;
use agentguard::{Sources, escape};

use prefetch::{Prefetch, TemplatesHandle, join_templates};

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
    pub(crate) prefetch: std::sync::Mutex<Prefetch>,
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

/// Templates being compiled while the command loads its inputs: prefetched since the process
/// started, or on a thread of the command's own scope.
pub(crate) enum Compiling<'scope, 'ui> {
    Prefetched(TemplatesHandle),
    Scoped(std::thread::ScopedJoinHandle<'scope, Result<Templates<'ui>, docs::DocsError>>),
}

impl<'ui> Compiling<'_, 'ui> {
    /// Waits for the templates, turning a panic of the compiling thread into an error.
    pub(crate) fn join(self, doc: Doc) -> Result<Templates<'ui>, docs::DocsError> {
        match self {
            Compiling::Prefetched(h) => join_templates(h, doc),
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
