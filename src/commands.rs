//! The commands, one file per subcommand under `commands/`, over what they share: the context
//! every command gets (`Ctx`: strings, global options, loading assets), the exit-code contract
//! and its error type, output helpers, and the document glue of `report --format md|html` and
//! `privacy` (templates compiling while the inputs load). Errors carry their category so `main`
//! can map them to the exit-code contract.

pub(crate) mod catalog;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod mark;
pub(crate) mod prefetch;
pub(crate) mod privacy;
pub(crate) mod report;
pub(crate) mod review;
pub(crate) mod schema;
pub(crate) mod wizard;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use agentguard::diag::Diagnostics;
use agentguard::docs::{self, Doc, Format, Templates};
use agentguard::i18n::Ui;
use agentguard::model::{Assessment, Knowledge, Lang};
use agentguard::store::{StoreError, Stored};
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
    pub(crate) fn open_stored(&self, k: &Knowledge) -> Result<Stored> {
        self.open_stored_with(k, false)
    }

    /// [`Ctx::open_stored`] holding the assessment's lock until the save, for a one-shot
    /// read-modify-write (`mark`): another agentguard's save waits, and this one waits up to
    /// 10 s for it, then fails (exit 2).
    pub(crate) fn open_stored_locked(&self, k: &Knowledge) -> Result<Stored> {
        self.open_stored_with(k, true)
    }

    fn open_stored_with(&self, k: &Knowledge, locked: bool) -> Result<Stored> {
        let path = self.answers_path();
        let opened = if locked {
            Stored::open_locked(&path, k, self.lang())
        } else {
            Stored::open(&path, k, self.lang())
        };
        opened.map_err(|e| self.store_error(e, self.lang()))
    }

    /// A store error said once, in the user's language, naming the user's file (never a
    /// temporary one): an invalid assessment is exit 78 with its problems printed, the rest
    /// exit 2.
    pub(crate) fn store_error(&self, e: StoreError, lang: Lang) -> anyhow::Error {
        let shown = |p: &Path| p.display().to_string();
        let message = match e {
            StoreError::Invalid { path, diagnostics } => {
                return self.invalid_assessment(&diagnostics, &path);
            }
            StoreError::Read { path, source } => self.ui.fmt(
                lang,
                "error.read_because",
                &[("path", shown(&path)), ("error", os_text(&source))],
            ),
            StoreError::Write { path, source } => self.ui.fmt(
                lang,
                "error.write_because",
                &[("path", shown(&path)), ("error", os_text(&source))],
            ),
            StoreError::Conflict { path } => {
                self.ui
                    .fmt(lang, "docs.error.conflict", &[("path", shown(&path))])
            }
            StoreError::Locked { path, lock } => self.ui.fmt(
                lang,
                "error.lock_held",
                &[
                    ("path", shown(&path)),
                    ("lock", shown(&lock)),
                    ("secs", agentguard::store::LOCK_WAIT.as_secs().to_string()),
                ],
            ),
            StoreError::Lock { path, lock, source } => self.ui.fmt(
                lang,
                "error.lock_failed",
                &[
                    ("path", shown(&path)),
                    ("lock", shown(&lock)),
                    ("error", os_text(&source)),
                ],
            ),
            StoreError::NotRegular { path } => {
                self.ui
                    .fmt(lang, "error.not_regular", &[("path", shown(&path))])
            }
            e @ StoreError::Serialise(_) => e.to_string(),
        };
        anyhow::Error::msg(message)
    }

    pub(crate) fn print_diagnostics(&self, d: &Diagnostics, lang: Lang) {
        let mut err = std::io::stderr().lock();
        for x in &d.0 {
            let _ = writeln!(
                err,
                "{}\n",
                escape::terminal(&agentguard::redact::redact(&x.render(self.ui, lang)), true)
            );
        }
    }

    pub(crate) fn answers_path(&self) -> PathBuf {
        self.answers
            .clone()
            .unwrap_or_else(|| PathBuf::from(agentguard::store::DEFAULT_FILE))
    }
}

/// Standard output could not be written (a full disk, an I/O error); a closed pipe is not this.
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output: {0}")]
pub struct StdoutError(pub std::io::Error);

/// Set once standard output turned out to be a closed pipe (`| head`): nothing more is written
/// there, and the command goes on to return the code it would have returned.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes to standard output. A closed pipe stops output quietly (the command's exit code stands);
/// any other failure (a full disk) is a [`StdoutError`], exit 2. Never panics, unlike `print!`.
pub(crate) fn print_bytes(b: &[u8]) -> Result<()> {
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(b).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(StdoutError(e).into()),
    }
}

pub(crate) fn print_out(s: &str) -> Result<()> {
    print_bytes(s.as_bytes())
}

/// Writes to standard error, ignoring failure: when even the error output is gone (closed, full)
/// the exit code is all that is left to say it, and it is returned regardless.
pub(crate) fn print_err(s: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(s.as_bytes()).and_then(|()| err.flush());
}

/// An I/O error said once: the operating system's own words for it, without the temporary-file
/// path some layers add (`… at path "/x/.agentguard-tmp-…"`), since the user named another file.
pub(crate) fn os_text(e: &std::io::Error) -> String {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(x) = cur {
        if let Some(code) = x
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::raw_os_error)
        {
            return std::io::Error::from_raw_os_error(code).to_string();
        }
        cur = x.source();
    }
    // tempfile wraps the OS error with the temporary file's path and hides it from `source`.
    let text = e.to_string();
    match text.rfind(" at path \"") {
        Some(i) if text.ends_with('"') => text[..i].to_string(),
        _ => text,
    }
}

/// `-o -`: standard output, as in most tools; no file named `-` is written.
fn is_stdout(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// Whether `a` and `b` are one regular file, links followed: the same device and inode when both
/// exist, else the same resolved place in the same (canonical) folder. Devices and pipes are
/// written in place, never replaced, so `--answers /dev/stdin -o /dev/stdout` on one terminal is
/// not the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        if !(x.is_file() && y.is_file()) {
            return false;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
        #[cfg(not(unix))]
        {
            let _ = (x, y);
            return std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok();
        }
    }
    let place = |p: &Path| {
        let target = agentguard::util::resolve_write_target(p).ok()?;
        let t = target.path();
        let dir = match t.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some((
            std::fs::canonicalize(dir).ok()?,
            t.file_name()?.to_os_string(),
        ))
    };
    place(a).is_some_and(|x| place(b).is_some_and(|y| x == y))
}

pub(crate) fn write_output(ctx: &Ctx, path: Option<&Path>, s: &str) -> Result<()> {
    match path.filter(|p| !is_stdout(p)) {
        None => print_out(s),
        Some(p) => {
            let shown = p.display().to_string();
            let answers = ctx.answers_path();
            if same_file(p, &answers) {
                anyhow::bail!(ctx.ui.fmt(
                    ctx.lang(),
                    "error.output_is_assessment",
                    &[("path", shown), ("answers", answers.display().to_string())]
                ));
            }
            agentguard::util::write_atomic(p, s.as_bytes()).map_err(|e| {
                anyhow::Error::msg(ctx.ui.fmt(
                    ctx.lang(),
                    "error.write_because",
                    &[("path", shown), ("error", os_text(&e))],
                ))
            })
        }
    }
}

/// The writer behind the summary's `w` (wizard and review): the checklist, the privacy notice and
/// its to-do list beside the assessment at `path`, in the session's language (both with `--lang
/// both`), with the effective templates (`--catalog` overrides), compiled when `w` is pressed.
pub(crate) fn doc_writer(
    ctx: &Ctx,
    sources: Sources,
    path: &Path,
) -> impl Fn(
    &Knowledge,
    &Assessment,
    &agentguard::evaluate::Findings,
    &Ui,
    Lang,
    docs::OnEdited,
) -> Result<docs::WriteReport, String>
+ use<> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let both = ctx.lang_both;
    move |k, a, f, ui, lang, policy| {
        let templates = Templates::new(ui, &sources).map_err(|e| e.to_string())?;
        docs::write_all(
            &templates,
            k,
            a,
            f,
            ui,
            (!both).then_some(lang),
            &dir,
            policy,
        )
        .map_err(|e| e.to_string())
    }
}

/// Runs a wizard flow (the questionnaire or a review walk) in line mode (`--plain`) or full screen.
pub(crate) fn run_front_end(
    ctx: &Ctx,
    plain: bool,
    flow: &mut agentguard::wizard::flow::Flow<'_>,
    session: &mut agentguard::wizard::Session<'_>,
) -> std::result::Result<agentguard::wizard::Outcome, agentguard::wizard::WizardError> {
    use agentguard::wizard::{plain as line, tui};
    if plain {
        line::run(&mut line::Inquire, flow, session)
    } else {
        let theme = if ctx.color {
            tui::Theme::color()
        } else {
            tui::Theme::no_color()
        };
        tui::run_terminal(flow, session, &theme)
    }
}

pub(crate) fn warn_if_catalog_old(ctx: &Ctx, k: &Knowledge, lang: Lang) {
    let Some(released) = agentguard::util::parse_date(&k.catalog.manifest.released) else {
        return;
    };
    let age = agentguard::clock::today() - released;
    if age > 183 {
        print_err(&format!(
            "{}\n",
            ctx.ui.fmt(
                lang,
                "warning.catalog_old",
                &[
                    ("date", k.catalog.manifest.released.clone()),
                    ("days", age.to_string())
                ]
            )
        ));
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
    if let Some(p) = path.filter(|p| !is_stdout(p)) {
        print_err(&format!(
            "{}\n",
            ctx.ui.fmt(
                lang,
                "docs.written",
                &[("path", escape::terminal(&p.display().to_string(), false))]
            )
        ));
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
    sources: &agentguard::Sources,
    compiling: Compiling<'_, '_>,
    doc: Doc,
    format: Format,
    input: &docs::Input<'_>,
    langs: &[Lang],
) -> Result<String> {
    render_doc_parts(ctx, sources, compiling, doc, format, input, langs).map(|r| r.text)
}

/// [`render_doc`], keeping the privacy notice's to-do list apart (see `docs::render_parts`).
fn render_doc_parts(
    ctx: &Ctx,
    sources: &agentguard::Sources,
    compiling: Compiling<'_, '_>,
    doc: Doc,
    format: Format,
    input: &docs::Input<'_>,
    langs: &[Lang],
) -> Result<docs::Rendered> {
    let lang = langs.first().copied().unwrap_or_default();
    let failed = |e| docs_error(ctx, sources, lang, e);
    let mut trace = agentguard::util::Trace::start();
    let prepared = docs::prepare(doc, input, langs).map_err(failed)?;
    trace.mark("prepare");
    let templates = compiling.join(doc).map_err(failed)?;
    trace.mark("compile-wait");
    let rendered = docs::render_parts(&templates, format, input, &prepared).map_err(failed);
    trace.mark("render");
    rendered
}

/// A document that could not be made. A template from an override folder that fails (refused,
/// or failing as it renders) is invalid input, exit 78, its file and line in the message; a
/// failure of the embedded templates is agentguard's own, exit 2.
fn docs_error(
    ctx: &Ctx,
    sources: &agentguard::Sources,
    lang: Lang,
    e: docs::DocsError,
) -> anyhow::Error {
    let from_override = match &e {
        docs::DocsError::Template { name, .. } | docs::DocsError::Render { name, .. } => sources
            .iter()
            .filter(|f| {
                f.rel.starts_with("templates/")
                    && matches!(f.origin, agentguard::assets::Origin::Override(_))
            })
            .any(|f| name.starts_with(&f.display()) || f.rel.starts_with(name.as_str())),
        _ => false,
    };
    let failed = ctx.ui.get(lang, "docs.error.render");
    if from_override {
        InvalidInput {
            message: format!("{failed}: {e}"),
            reported: false,
        }
        .into()
    } else {
        anyhow::Error::new(e).context(failed)
    }
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

/// Opens the assessment at `--answers` (or the default file), which must exist and be valid;
/// `locked` as in [`Ctx::open_stored`].
fn open_assessment(ctx: &Ctx, k: &Knowledge, locked: bool) -> Result<Stored> {
    let path = ctx.answers_path();
    let lang = ctx.lang();
    let stored = if locked {
        ctx.open_stored_locked(k)?
    } else {
        ctx.open_stored(k)?
    };
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
