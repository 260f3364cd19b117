//! The two documents a developer takes away — the launch checklist and the privacy-notice draft —
//! in Markdown, HTML and JSON, in English, Chinese or both. One pipeline: a typed context per
//! document (`checklist`, `privacy`), one strict handlebars template per document rendering
//! Markdown in which every user and catalog text is Markdown-escaped (`template`), and HTML made
//! from that Markdown by one pulldown-cmark configuration that drops raw HTML, inside an escaped,
//! self-contained page (`html`). The `.md` users keep is that Markdown without what only the page
//! understands: heading attributes and links to them (`portable`). Which legal sections appear
//! follows the agent's users and jurisdictions (`profile`), never the output language.

pub mod advice;
pub mod checklist;
pub mod diagram;
pub mod facts;
pub mod html;
pub mod portable;
pub mod privacy;
pub mod profile;
pub mod shape;
pub mod template;
pub mod todo;

use std::path::{Path, PathBuf};

use crate::evaluate::Findings;
use crate::i18n::Ui;
use crate::model::{Assessment, Knowledge, Lang};

pub use template::Templates;

/// Version of the privacy-notice JSON; raised on any incompatible change.
pub const PRIVACY_SCHEMA_VERSION: u32 = 2;

/// Days after which the embedded catalog counts as old (laws and provider terms change).
pub const CATALOG_OLD_DAYS: i64 = 183;

#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    #[error("template {name}: {detail}")]
    Template { name: String, detail: String },
    #[error("rendering {name}: {detail}")]
    Render { name: String, detail: String },
    #[error("cannot serialise {what}: {detail}")]
    Serialise { what: &'static str, detail: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the folder {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DocsError {
    /// The thread compiling `doc`'s template panicked.
    pub fn compile_panicked(doc: Doc) -> DocsError {
        DocsError::Template {
            name: doc.template().into(),
            detail: "the compiling thread panicked".into(),
        }
    }
}

/// Which document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Doc {
    Checklist,
    Privacy,
}

impl Doc {
    /// The file name stem, also the default output file for HTML.
    pub fn stem(self) -> &'static str {
        match self {
            Doc::Checklist => "checklist",
            Doc::Privacy => "privacy-notice",
        }
    }

    /// The name of its Markdown template.
    pub fn template(self) -> &'static str {
        match self {
            Doc::Checklist => template::CHECKLIST,
            Doc::Privacy => template::PRIVACY,
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            Doc::Checklist => "docs.checklist.title",
            Doc::Privacy => "docs.privacy.title",
        }
    }
}

/// Output format of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Md,
    Html,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
        }
    }
}

/// Everything a document is made from.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub knowledge: &'a Knowledge,
    pub assessment: &'a Assessment,
    pub findings: &'a Findings,
    pub ui: &'a Ui,
    /// The assessment file as shown in the checklist.
    pub file: &'a str,
    /// Today, as days since the epoch (decides expiries and the catalog's age).
    pub today: i64,
}

/// The languages to render: one, or both (English first).
pub fn langs(lang: Option<Lang>) -> Vec<Lang> {
    lang.map_or_else(|| Lang::ALL.to_vec(), |l| vec![l])
}

/// A document's data in one language, ready for its template: its typed context (`checklist`,
/// `privacy`) made into template data. Preparing needs no compiled template.
pub struct Prepared {
    doc: Doc,
    lang: Lang,
    data: handlebars::Context,
}

/// Prepares `doc` in each of `langs`.
pub fn prepare(doc: Doc, input: &Input<'_>, langs: &[Lang]) -> Result<Vec<Prepared>, DocsError> {
    langs
        .iter()
        .map(|&lang| {
            let data = match doc {
                Doc::Checklist => template::wrap(doc.template(), &checklist::build(input, lang)),
                Doc::Privacy => template::wrap(doc.template(), &privacy::build(input, lang)),
            }?;
            Ok(Prepared { doc, lang, data })
        })
        .collect()
}

/// The Markdown of one document in one language, as users keep it (see [`portable`]).
pub fn markdown(
    templates: &Templates<'_>,
    doc: Doc,
    input: &Input<'_>,
    lang: Lang,
) -> Result<String, DocsError> {
    let prepared = prepare(doc, input, &[lang])?;
    prepared.first().map_or(Ok(String::new()), |p| {
        templates
            .render_md_data(doc.template(), &p.data)
            .map(|md| portable::markdown(&md))
    })
}

/// A document as Markdown or HTML in the given languages. With two languages the Markdown is both
/// documents one after the other, and the HTML one page with both.
pub fn render(
    templates: &Templates<'_>,
    doc: Doc,
    format: Format,
    input: &Input<'_>,
    langs: &[Lang],
) -> Result<String, DocsError> {
    render_prepared(templates, format, input, &prepare(doc, input, langs)?)
}

/// [`render`] from documents already prepared (in the order of their languages).
pub fn render_prepared(
    templates: &Templates<'_>,
    format: Format,
    input: &Input<'_>,
    prepared: &[Prepared],
) -> Result<String, DocsError> {
    render_parts(templates, format, input, prepared).map(|r| r.text)
}

/// The line of the privacy template after which the developer's to-do list starts: what comes
/// after it is never part of the notice.
pub const BEFORE_PUBLISH: &str = "<!-- agentguard:before-publish -->";

/// A rendered document, and for the privacy notice the developer's to-do list apart from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The document: Markdown or the HTML page.
    pub text: String,
    /// The to-do list as Markdown (both languages one after the other); `None` when the template
    /// has none (a checklist, or an override template without the [`BEFORE_PUBLISH`] line).
    pub todo: Option<String>,
}

/// Splits rendered Markdown at the [`BEFORE_PUBLISH`] line: (the notice, the to-do list).
pub fn split_todo(md: &str) -> (&str, Option<&str>) {
    match md.find(BEFORE_PUBLISH) {
        Some(i) => {
            let todo = md[i + BEFORE_PUBLISH.len()..].trim_start_matches('\n');
            (md[..i].trim_end_matches('\n'), Some(todo))
        }
        None => (md, None),
    }
}

fn with_newline(s: &str) -> String {
    let mut out = s.trim_end_matches('\n').to_string();
    out.push('\n');
    out
}

/// [`render_prepared`], keeping the to-do list that follows the notice apart.
pub fn render_parts(
    templates: &Templates<'_>,
    format: Format,
    input: &Input<'_>,
    prepared: &[Prepared],
) -> Result<Rendered, DocsError> {
    let Some(doc) = prepared.first().map(|p| p.doc) else {
        return Ok(Rendered {
            text: String::new(),
            todo: None,
        });
    };
    let langs: Vec<Lang> = prepared.iter().map(|p| p.lang).collect();
    let mut notices = Vec::with_capacity(prepared.len());
    let mut todos = Vec::new();
    for p in prepared {
        let md = templates.render_md_data(p.doc.template(), &p.data)?;
        let (notice, todo) = split_todo(&md);
        if let Some(todo) = todo {
            todos.push(with_newline(&portable::markdown(todo)));
        }
        notices.push((p.lang, with_newline(notice)));
    }
    let todo = (!todos.is_empty()).then(|| todos.join("\n---\n\n"));
    let text = match format {
        Format::Md => {
            let mut parts: Vec<String> = notices
                .iter()
                .map(|(_, md)| portable::markdown(md))
                .collect();
            if parts.len() == 1 {
                parts.pop().unwrap_or_default()
            } else {
                parts.join("\n---\n\n")
            }
        }
        Format::Html => {
            let mut articles = Vec::with_capacity(notices.len());
            for (l, md) in &notices {
                let l = *l;
                let flow = crate::dataflow::build(input.knowledge, input.assessment, input.ui);
                let svg = diagram::svg(&flow, l, input.ui);
                articles.push(html::Article {
                    lang: l,
                    html_lang: html::html_lang(l),
                    id: l.code(),
                    label: input.ui.get(l, "docs.lang_name"),
                    body: html::markdown_to_html(md, Some(&svg)),
                });
            }
            templates.render_page(&html::Page {
                title: page_title(input, doc, &langs),
                html_lang: html::html_lang(langs.first().copied().unwrap_or_default()),
                lang: langs.first().copied().unwrap_or_default(),
                generated: crate::util::format_date(input.today),
                multiple: articles.len() > 1,
                articles,
            })?
        }
    };
    Ok(Rendered { text, todo })
}

/// `NAME.todo.md` beside `path` (`privacy-notice.md` or `.html` -> `privacy-notice.todo.md`):
/// where the developer's to-do list goes when the notice is written to a file.
pub fn todo_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name,
    };
    path.with_file_name(format!("{stem}.todo.md"))
}

fn page_title(input: &Input<'_>, doc: Doc, langs: &[Lang]) -> String {
    let agent = profile::agent_name(input.knowledge, input.assessment);
    langs
        .iter()
        .map(|&l| {
            let name = agent
                .clone()
                .unwrap_or_else(|| input.ui.get(l, "docs.unnamed_agent"));
            input
                .ui
                .fmt(l, &format!("{}_plain", doc.title_key()), &[("agent", name)])
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The privacy notice as JSON: one object for one language, an array of both for `both`.
pub fn privacy_json(input: &Input<'_>, langs: &[Lang]) -> Result<String, DocsError> {
    let notices: Vec<privacy::PrivacyNotice> =
        langs.iter().map(|&l| privacy::build(input, l)).collect();
    // Strings redacted, C1, DEL and bidi controls escaped (see `render::json`).
    let text = if notices.len() == 1 {
        crate::render::json(&notices[0])
    } else {
        crate::render::json(&notices)
    }
    .map_err(|e| DocsError::Serialise {
        what: "the privacy notice",
        detail: e.to_string(),
    })?;
    Ok(format!("{text}\n"))
}

/// What to do with an output file that was edited since agentguard wrote it (its content no
/// longer has the hash recorded in the assessment's `written`, or it exists with no record).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnEdited {
    /// Replace it (the user said so: `-o FILE`, or "replace" in the wizard).
    Replace,
    /// Leave it and write `NAME.new.EXT` beside it (runs that cannot ask).
    Beside,
    /// Write nothing and report the edited files (the wizard then asks).
    Stop,
}

/// One file written, and the hash to record under its name in `written`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenFile {
    pub path: PathBuf,
    /// The file name, the key in `written`.
    pub name: String,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
}

/// What [`write_all`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteReport {
    Written(Vec<WrittenFile>),
    /// `OnEdited::Stop` met these edited files; nothing was written.
    Edited(Vec<PathBuf>),
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Whether the file at `path` was edited since agentguard wrote it: it exists, its content has
/// not the hash `recorded` (or none is recorded), and it is not already `new` (writing the same
/// bytes again loses nothing).
pub fn is_edited(path: &Path, recorded: Option<&str>, new: &[u8]) -> Result<bool, DocsError> {
    match std::fs::read(path) {
        Ok(old) => {
            Ok(old != new && recorded.is_none_or(|h| !h.eq_ignore_ascii_case(&sha256_hex(&old))))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(DocsError::Write {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// `NAME.new.EXT` beside `path` (`privacy-notice.md` -> `privacy-notice.new.md`).
pub fn beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let new = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.new.{ext}"),
        _ => format!("{name}.new"),
    };
    path.with_file_name(new)
}

/// Writes one output file atomically under `policy` when it was edited since agentguard wrote
/// it (`recorded` is the hash from `written`). Returns the file written (`path`, or the one
/// beside it), or `None` for `OnEdited::Stop` on an edited file.
pub fn write_output(
    path: &Path,
    bytes: &[u8],
    recorded: Option<&str>,
    policy: OnEdited,
) -> Result<Option<WrittenFile>, DocsError> {
    let target = if is_edited(path, recorded, bytes)? {
        match policy {
            OnEdited::Replace => path.to_path_buf(),
            OnEdited::Beside => beside(path),
            OnEdited::Stop => return Ok(None),
        }
    } else {
        path.to_path_buf()
    };
    crate::util::write_atomic(&target, bytes).map_err(|source| DocsError::Write {
        path: target.clone(),
        source,
    })?;
    Ok(Some(WrittenFile {
        name: target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: target,
        sha256: sha256_hex(bytes),
    }))
}

/// Writes the checklist and the privacy notice, in Markdown and HTML, into `dir` (created when
/// missing), each file atomically. One language gives `checklist.md`, `checklist.html`,
/// `privacy-notice.md`, `privacy-notice.html` and the developer's to-do list for the notice,
/// `privacy-notice.todo.md`; `None` (both languages) gives one file per language,
/// `checklist.en.md`, `checklist.zh.md`, `privacy-notice.en.todo.md` and so on, because a notice
/// is published in the language of its readers. Returns the files written, in that order, with the hashes to
/// record in the assessment's `written`.
///
/// `templates` are the effective ones (embedded plus the `--catalog` folder's overrides), so the
/// wizard writes what `report` and `privacy` would. A file edited since agentguard wrote it (see
/// [`is_edited`], against `a.written`) is handled by `policy`; with `OnEdited::Stop` nothing at
/// all is written when any file was edited.
#[allow(clippy::too_many_arguments)]
pub fn write_all(
    templates: &Templates<'_>,
    k: &Knowledge,
    a: &Assessment,
    findings: &Findings,
    ui: &Ui,
    lang: Option<Lang>,
    dir: &Path,
    policy: OnEdited,
) -> Result<WriteReport, DocsError> {
    let file = crate::store::DEFAULT_FILE;
    let input = Input {
        knowledge: k,
        assessment: a,
        findings,
        ui,
        file,
        today: crate::clock::today(),
    };
    let mut outputs = Vec::new();
    for doc in [Doc::Checklist, Doc::Privacy] {
        for l in langs(lang) {
            let prepared = prepare(doc, &input, &[l])?;
            let stem = match lang {
                Some(_) => doc.stem().to_string(),
                None => format!("{}.{}", doc.stem(), l.code()),
            };
            let mut todo = None;
            for format in [Format::Md, Format::Html] {
                let rendered = render_parts(templates, format, &input, &prepared)?;
                let name = format!("{stem}.{}", format.ext());
                todo = todo.or(rendered.todo);
                outputs.push((dir.join(&name), name, rendered.text));
            }
            // The developer's to-do list, never part of the notice: `privacy-notice.todo.md`.
            if let Some(todo) = todo {
                let name = format!("{stem}.todo.md");
                outputs.push((dir.join(&name), name, todo));
            }
        }
    }
    if policy == OnEdited::Stop {
        let mut edited = Vec::new();
        for (path, name, text) in &outputs {
            if is_edited(
                path,
                a.written.get(name).map(String::as_str),
                text.as_bytes(),
            )? {
                edited.push(path.clone());
            }
        }
        if !edited.is_empty() {
            return Ok(WriteReport::Edited(edited));
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| DocsError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (path, name, text) in outputs {
        let recorded = a.written.get(&name).map(String::as_str);
        // `Stop` found nothing edited above; a file edited since is still not replaced.
        let policy = if policy == OnEdited::Stop {
            OnEdited::Beside
        } else {
            policy
        };
        if let Some(w) = write_output(&path, text.as_bytes(), recorded, policy)? {
            written.push(w);
        }
    }
    Ok(WriteReport::Written(written))
}

/// Whether the catalog is older than [`CATALOG_OLD_DAYS`] on `today`; `Some(age in days)` then.
pub fn catalog_age(k: &Knowledge, today: i64) -> Option<i64> {
    let released = crate::util::parse_date(&k.catalog.manifest.released)?;
    let age = today - released;
    (age > CATALOG_OLD_DAYS).then_some(age)
}
