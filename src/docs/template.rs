//! The one handlebars pipeline. Two registries, both in strict mode (a misspelled variable is an
//! error, not a blank): the Markdown one escapes every `{{value}}` with `escape::markdown`, the
//! page one with `escape::html`. Every sentence comes from the locale through the strict `t`
//! helper: a missing key, a placeholder without a value or a value without a placeholder is an
//! error, never a silent fallback to the other language. Templates are embedded and may be
//! overridden file by file (`templates/…` in an override folder).

use std::fmt::Write as _;

use handlebars::template::TemplateElement;
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason, Template, TemplateError,
};
use serde::Serialize;

use super::DocsError;
use super::html::anchor;
use crate::assets::Sources;
use std::borrow::Cow;

use crate::diag::{Diagnostic, Diagnostics};
use crate::escape;
use crate::i18n::Ui;
use crate::model::{Lang, Span};

pub const CHECKLIST: &str = "checklist.md";
pub const PRIVACY: &str = "privacy.md";
pub const PAGE: &str = "page.html";
const CSS: &str = "page.css";

/// The compiled templates, bound to the interface strings.
pub struct Templates<'a> {
    md: Handlebars<'a>,
    /// The names under which the parts of each Markdown template are registered, in order.
    md_parts: Vec<(String, Vec<String>)>,
    page: Handlebars<'a>,
    /// Where each template came from, as errors name it: the override file's path, or
    /// `templates/…` for an embedded template.
    files: Vec<(String, String)>,
}

impl std::fmt::Debug for Templates<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Templates")
    }
}

fn source(sources: &Sources, name: &str) -> Result<String, DocsError> {
    let is_css = std::path::Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("css"));
    let rel = if is_css {
        format!("templates/{name}")
    } else {
        format!("templates/{name}.hbs")
    };
    let f = sources.get(&rel).ok_or_else(|| DocsError::Template {
        name: rel.clone(),
        detail: "missing".into(),
    })?;
    String::from_utf8(f.bytes.to_vec()).map_err(|e| DocsError::Template {
        name: f.display(),
        detail: e.to_string(),
    })
}

/// Whether every template of the source set is the embedded one.
fn templates_embedded(sources: &Sources) -> bool {
    sources
        .iter()
        .filter(|f| f.rel.starts_with("templates/"))
        .all(|f| f.origin == crate::assets::Origin::Embedded)
}

fn template_error(name: &str, e: &impl std::fmt::Display) -> DocsError {
    DocsError::Template {
        name: format!("templates/{name}"),
        detail: e.to_string(),
    }
}

impl<'a> Templates<'a> {
    /// The embedded templates.
    pub fn embedded(ui: &'a Ui) -> Result<Self, DocsError> {
        Self::new(ui, &Sources::embedded())
    }

    /// The templates of a source set (embedded plus overrides), all of them.
    pub fn new(ui: &'a Ui, sources: &Sources) -> Result<Self, DocsError> {
        Self::only(ui, sources, &[CHECKLIST, PRIVACY], true)
    }

    /// Only the Markdown templates named (`CHECKLIST`, `PRIVACY`) and, when `page`, the HTML
    /// page. Compiling a template costs milliseconds (handlebars parses about 1 kB per ms), so a
    /// command compiles only what it renders.
    pub fn only(
        ui: &'a Ui,
        sources: &Sources,
        names: &[&str],
        page_too: bool,
    ) -> Result<Self, DocsError> {
        // handlebars' parser overflows the stack on deep nesting and its renderer on a partial
        // that calls itself: such a template (an override) is refused before either sees it.
        // The embedded templates pass the test suite's lint, so they skip the scan.
        if !templates_embedded(sources) {
            refuse(sources, names, page_too)?;
        }
        let mut md = Handlebars::new();
        md.set_strict_mode(true);
        // Every value a template shows is redacted first: a secret typed as an answer or a reason
        // never reaches a document whole.
        md.register_escape_fn(|s| escape::markdown(&crate::redact::redact_cow(s)));
        md.register_helper(
            "t",
            Box::new(T {
                ui,
                escape_text: false,
            }),
        );
        md.register_helper("href", Box::new(Href));
        md.register_helper("slug", Box::new(Slug { block: false }));
        md.register_helper("anchor", Box::new(Slug { block: true }));
        let mut md_parts = Vec::new();
        let mut files = Vec::new();
        for name in names.iter().copied().chain(page_too.then_some(PAGE)) {
            if let Some(f) = sources.get(&format!("templates/{name}.hbs")) {
                files.push((name.to_owned(), f.display()));
            }
        }
        for &name in names {
            let text = source(sources, name)?;
            // Decorators (`{{*…}}`, `{{#*inline}}`) change what follows them: such a template is
            // rendered whole.
            let parts = if text.contains("{{*") || text.contains("{{#*") {
                compile_template(name, &text).map(|t| vec![t])
            } else {
                compile_parts(name, &text)
            }
            .map_err(|e| template_error(name, &e))?;
            let mut part_names = Vec::with_capacity(parts.len());
            for (i, t) in parts.into_iter().enumerate() {
                let part = format!("{name}#{i}");
                md.register_template(&part, t);
                part_names.push(part);
            }
            md_parts.push((name.to_owned(), part_names));
        }
        let mut page = Handlebars::new();
        page.set_strict_mode(true);
        page.register_escape_fn(|s| escape::html(&crate::redact::redact_cow(s)));
        page.register_helper(
            "t",
            Box::new(T {
                ui,
                escape_text: true,
            }),
        );
        page.register_helper("slug", Box::new(Slug { block: false }));
        if page_too {
            let t = compile_template(PAGE, &source(sources, PAGE)?)
                .map_err(|e| template_error(PAGE, &e))?;
            page.register_template(PAGE, t);
            let t = compile_template("style", &source(sources, CSS)?)
                .map_err(|e| template_error(CSS, &e))?;
            page.register_template("style", t);
        }
        Ok(Templates {
            md,
            md_parts,
            page,
            files,
        })
    }

    /// Renders a Markdown template. The context must carry `lang`, which the `t` helper reads.
    /// The result is the Markdown the HTML page is made from, heading ids included; the `.md`
    /// users keep is [`super::portable::markdown`] of it.
    ///
    /// The template's parts are rendered on two threads (each taking the next part not yet
    /// taken) and joined in order; the first error in template order is the one reported.
    pub fn render_md<T: Serialize>(&self, name: &str, ctx: &T) -> Result<String, DocsError> {
        self.render_md_data(name, &wrap(name, ctx)?)
    }

    /// [`Templates::render_md`] for a context already made into template data (see [`wrap`]).
    pub fn render_md_data(&self, name: &str, data: &Context) -> Result<String, DocsError> {
        let fail = |e: &RenderError| DocsError::Render {
            name: self.file(name),
            detail: render_detail(e),
        };
        let parts = self
            .md_parts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| p.as_slice())
            .ok_or_else(|| fail(&RenderErrorReason::TemplateNotFound(name.to_owned()).into()))?;
        let slots: Vec<std::sync::OnceLock<Result<String, RenderError>>> =
            parts.iter().map(|_| std::sync::OnceLock::new()).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(part) = parts.get(i) else { break };
                let _ = slots[i].set(self.md.render_with_context(part, data));
            }
        };
        std::thread::scope(|scope| {
            if parts.len() > 1 {
                scope.spawn(work);
            }
            work();
        });
        let mut rendered = Vec::with_capacity(slots.len());
        for slot in slots {
            match slot.into_inner() {
                Some(Ok(s)) => rendered.push(s),
                Some(Err(e)) => return Err(fail(&e)),
                None => {
                    return Err(fail(
                        &RenderErrorReason::Other("part not rendered".into()).into(),
                    ));
                }
            }
        }
        // One copy of exactly the right size: strings past 128 kB get fresh pages from the OS
        // each time they grow or are copied, and page faults are a good part of a run's time.
        let mut out = String::with_capacity(rendered.iter().map(String::len).sum());
        for s in &rendered {
            out.push_str(s);
        }
        drop(rendered);
        Ok(tidy(&out))
    }

    /// The file a template came from, as errors name it.
    fn file(&self, name: &str) -> String {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| format!("templates/{name}.hbs"), |(_, f)| f.clone())
    }

    /// Renders the HTML page around already-rendered article bodies.
    pub fn render_page(&self, page: &super::html::Page) -> Result<String, DocsError> {
        self.page.render(PAGE, page).map_err(|e| DocsError::Render {
            name: self.file(PAGE),
            detail: render_detail(&e),
        })
    }
}

/// A typed context made into the data a template of `name` renders (a JSON tree). This needs no
/// compiled template, so it can be done while the templates still compile.
pub fn wrap<T: Serialize>(name: &str, ctx: &T) -> Result<Context, DocsError> {
    Context::wraps(ctx).map_err(|e| DocsError::Render {
        name: format!("templates/{name}.hbs"),
        detail: render_detail(&e),
    })
}

/// Compiles a template exactly as `Handlebars::register_template_string` does, but piece by
/// piece. handlebars computes the line and column of every parsed element by scanning the source
/// from its start (`pest::Position::line_col`), which makes compiling quadratic in the template's
/// size: an 8 kB template costs milliseconds. Cutting the source at line starts outside any block
/// and comment, compiling the pieces and joining them gives the same [`Template`] (same elements,
/// same line/column mapping; a test checks this for every embedded template) in a fraction of
/// the time. Sources using whitespace control (`~`), escapes, raw blocks or `\r` are compiled
/// whole, and so is any source whose pieces fail to compile (so errors keep their wording).
pub fn compile_template(name: &str, source: &str) -> Result<Template, TemplateError> {
    let mut parts = compile_parts(name, source)?.into_iter();
    let mut joined = parts.next().unwrap_or_default();
    for t in parts {
        for (e, m) in t.elements.into_iter().zip(t.mapping) {
            if let (TemplateElement::RawString(next), Some(TemplateElement::RawString(last))) =
                (&e, joined.elements.last_mut())
            {
                last.push_str(next);
                continue;
            }
            joined.elements.push(e);
            joined.mapping.push(m);
        }
    }
    Ok(joined)
}

/// The pieces of [`compile_template`], each compiled on its own with its line numbers shifted
/// to where it stands in the whole source; one template when the source is not cut. Rendered one
/// after the other with the same data, they write what the whole template writes.
fn compile_parts(name: &str, source: &str) -> Result<Vec<Template>, TemplateError> {
    let whole = || Template::compile_with_name(source, name.to_owned()).map(|t| vec![t]);
    let Some(pieces) = pieces(source) else {
        return whole();
    };
    if pieces.len() < 2 {
        return whole();
    }
    let mut parts = Vec::with_capacity(pieces.len());
    let mut line = 0;
    for piece in pieces {
        let Ok(mut t) = Template::compile_with_name(piece, name.to_owned()) else {
            return whole();
        };
        shift_lines(&mut t, line);
        line += piece.bytes().filter(|&b| b == b'\n').count();
        parts.push(t);
    }
    Ok(parts)
}

/// The source cut after each newline that ends a line outside every block and comment; `None`
/// when the source uses syntax whose whitespace handling could reach across a cut.
fn pieces(source: &str) -> Option<Vec<&str>> {
    if source.contains('\r')
        || source.contains("{{~")
        || source.contains("~}}")
        || source.contains("\\{{")
        || source.contains("{{{{")
    {
        return None;
    }
    let b = source.as_bytes();
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"{{!--") {
            i += source[i..].find("--}}")? + 4;
            continue;
        }
        if b[i..].starts_with(b"{{!") {
            i += source[i..].find("}}")? + 2;
            continue;
        }
        if b[i..].starts_with(b"{{#") {
            depth += 1;
        } else if b[i..].starts_with(b"{{/") {
            depth = depth.checked_sub(1)?;
        } else if b[i] == b'\n' && depth == 0 {
            pieces.push(&source[start..=i]);
            start = i + 1;
        }
        i += 1;
    }
    if start < source.len() {
        pieces.push(&source[start..]);
    }
    (depth == 0).then_some(pieces)
}

/// Adds `lines` to the line numbers of a template and of the templates inside it.
fn shift_lines(t: &mut Template, lines: usize) {
    if lines == 0 {
        return;
    }
    for m in &mut t.mapping {
        m.0 += lines;
    }
    for e in &mut t.elements {
        match e {
            TemplateElement::HtmlExpression(h)
            | TemplateElement::Expression(h)
            | TemplateElement::HelperBlock(h) => {
                for inner in [&mut h.template, &mut h.inverse].into_iter().flatten() {
                    shift_lines(inner, lines);
                }
            }
            TemplateElement::DecoratorExpression(d)
            | TemplateElement::DecoratorBlock(d)
            | TemplateElement::PartialExpression(d)
            | TemplateElement::PartialBlock(d) => {
                if let Some(inner) = &mut d.template {
                    shift_lines(inner, lines);
                }
            }
            _ => {}
        }
    }
}

fn render_detail(e: &RenderError) -> String {
    let mut s = e.reason().to_string();
    if let Some(line) = e.line_no {
        let _ = write!(s, " (line {line}");
        if let Some(col) = e.column_no {
            let _ = write!(s, ", column {col}");
        }
        s.push(')');
    }
    s
}

/// Collapses the blank lines that block helpers leave behind (at most one empty line in a row)
/// and ends the text with exactly one newline.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    let mut in_code = false;
    for line in s.lines() {
        let line = if in_code { line } else { line.trim_end() };
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if line.is_empty() && !in_code {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn other(msg: String) -> RenderError {
    RenderErrorReason::Other(msg).into()
}

fn json_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `{{t "prefix." part … name=value …}}`: the key is the positional parameters joined; the hash
/// fills the key's `{placeholders}`. Values are escaped for the output; the locale text itself
/// is Markdown in Markdown templates and is escaped in the HTML page.
struct T<'a> {
    ui: &'a Ui,
    escape_text: bool,
}

impl HelperDef for T<'_> {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        // Called for nearly every sentence of a document: the common case (one literal key, no
        // values) allocates nothing.
        let lang = ctx
            .data()
            .get("lang")
            .and_then(serde_json::Value::as_str)
            .and_then(Lang::from_code)
            .ok_or_else(|| other("t: the context has no `lang`".into()))?;
        let key: std::borrow::Cow<'_, str> = match h.params().as_slice() {
            [p] if !p.is_value_missing() && p.value().is_string() => {
                std::borrow::Cow::Borrowed(p.value().as_str().unwrap_or_default())
            }
            params => {
                let mut key = String::new();
                for p in params {
                    if p.is_value_missing() {
                        return Err(RenderError::strict_error(p.relative_path()));
                    }
                    let part = json_text(p.value())
                        .ok_or_else(|| other(format!("t: key part {} is not text", p.value())))?;
                    key.push_str(&part);
                }
                std::borrow::Cow::Owned(key)
            }
        };
        if key.is_empty() {
            return Err(RenderErrorReason::ParamNotFoundForIndex("t", 0).into());
        }
        let Some(template) = self.ui.text(lang, &key) else {
            return Err(other(format!("t: no {lang} string for `{key}`")));
        };
        let esc = r.get_escape_fn();
        if h.hash().is_empty() && !template.contains('{') {
            if self.escape_text {
                out.write(&esc(template))?;
            } else {
                out.write(template)?;
            }
            return Ok(());
        }
        let wanted = crate::i18n::placeholders(template);
        let mut args: Vec<(&str, String)> = Vec::new();
        for (name, v) in h.hash() {
            if v.is_value_missing() {
                return Err(RenderError::strict_error(v.relative_path()));
            }
            if !wanted.iter().any(|w| w == name) {
                return Err(other(format!("t: `{key}` has no placeholder {{{name}}}")));
            }
            let text = json_text(v.value())
                .ok_or_else(|| other(format!("t: value of {name} is not text")))?;
            args.push((name, esc(&text)));
        }
        if let Some(missing) = wanted.iter().find(|w| !args.iter().any(|(n, _)| n == *w)) {
            return Err(other(format!("t: `{key}` needs a value for {{{missing}}}")));
        }
        let filled = if self.escape_text {
            // Escape the sentence first, then fill in the (already escaped) values.
            crate::i18n::fill_lang(lang, &esc(template), &args)
        } else {
            crate::i18n::fill_lang(lang, template, &args)
        };
        out.write(&filled)?;
        Ok(())
    }
}

/// `{{href value}}`: an http(s) link destination, percent-encoded so that it cannot end the
/// Markdown link or break out of an attribute. Anything else is an error (the context builders
/// keep only http(s) links).
struct Href;

impl HelperDef for Href {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _r: &'reg Handlebars<'reg>,
        _ctx: &'rc Context,
        _rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let p = h
            .param(0)
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("href", 0))?;
        if p.is_value_missing() {
            return Err(RenderError::strict_error(p.relative_path()));
        }
        let s = p
            .value()
            .as_str()
            .ok_or_else(|| other("href: not text".into()))?;
        let safe = safe_url(s).ok_or_else(|| other(format!("href: refusing `{s}`")))?;
        out.write(&safe)?;
        Ok(())
    }
}

/// An http(s) URL with every character that could end a Markdown link destination or an HTML
/// attribute percent-encoded; `None` for any other scheme.
pub fn safe_url(s: &str) -> Option<String> {
    let lower = s.trim().to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for b in s.trim().bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b':'
                    | b'/'
                    | b'?'
                    | b'#'
                    | b'='
                    | b'&'
                    | b'%'
                    | b'+'
                    | b','
                    | b';'
                    | b'@'
                    | b'!'
                    | b'$'
                    | b'*'
            )
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Some(out)
}

/// `{{slug value …}}`: an id made of lower-case letters, digits and `-` only (the parts are joined
/// with `-`), for in-page links and command examples. `{{anchor value …}}` writes the same id as
/// a Markdown heading attribute, `{#id}`, which the HTML page turns into the heading's id and the
/// `.md` output leaves out (`docs::portable`).
struct Slug {
    block: bool,
}

impl HelperDef for Slug {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _r: &'reg Handlebars<'reg>,
        _ctx: &'rc Context,
        _rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let mut parts = Vec::new();
        for p in h.params() {
            if p.is_value_missing() {
                return Err(RenderError::strict_error(p.relative_path()));
            }
            let s = json_text(p.value()).ok_or_else(|| other("slug: not text".into()))?;
            parts.push(anchor(&s));
        }
        let slug = parts.join("-");
        if self.block {
            out.write(&format!("{{#{slug}}}"))?;
        } else {
            out.write(&slug)?;
        }
        Ok(())
    }
}

// ---- checking template sources ----------------------------------------------------------------

/// Blocks nested deeper than this are refused before handlebars parses the template (its parser
/// recurses per level and would overflow the stack); the embedded templates nest 6 deep.
pub const MAX_BLOCK_DEPTH: usize = 64;

/// handlebars' built-in helpers.
const BUILTIN_HELPERS: [&str; 17] = [
    "if", "unless", "each", "with", "lookup", "raw", "log", "eq", "ne", "gt", "gte", "lt", "lte",
    "and", "or", "not", "len",
];
/// The helpers registered for Markdown templates and for the page.
const MD_HELPERS: [&str; 4] = ["t", "href", "slug", "anchor"];
const PAGE_HELPERS: [&str; 2] = ["t", "slug"];

/// One template of a registry, to check: its registered name, the name problems are shown under
/// (the override file's path, or `templates/…` for an embedded one) and its text.
struct Checked<'s> {
    name: &'static str,
    file: String,
    source: Cow<'s, str>,
}

/// What the scan of one source found.
#[derive(Default)]
struct Scan {
    /// Inline partials defined in the source.
    inline: Vec<String>,
    /// Partial references: from (an inline partial's name, or `None` for the template itself),
    /// to (the name written), at line and column.
    refs: Vec<(Option<String>, String, u64, u64)>,
}

fn position(source: &str, offset: usize) -> (u64, u64) {
    crate::util::line_col(source.as_bytes(), offset)
}

/// Scans a template's mustaches without parsing it: block depth (and parenthesis depth inside a
/// mustache) at most [`MAX_BLOCK_DEPTH`], partial names literal, and which partials each part
/// uses. Comments, raw blocks and escaped `\{{` are skipped as handlebars does.
fn scan(file: &str, source: &str) -> Result<Scan, Diagnostic> {
    let at = |offset: usize| {
        let (line, col) = position(source, offset);
        Span {
            file: file.to_owned(),
            line,
            col,
        }
    };
    let mut out = Scan::default();
    // Open blocks: the inline partial each one defines, if any.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut i = 0;
    while let Some(found) = source[i..].find("{{") {
        let start = i + found;
        if start > 0 && source.as_bytes()[start - 1] == b'\\' {
            i = start + 2;
            continue;
        }
        let rest = &source[start..];
        if let Some(raw) = rest.strip_prefix("{{{{") {
            // A raw block: its content is text, up to the closing `{{{{/…}}}}`.
            i = match raw.find("{{{{/") {
                Some(e) => start + 4 + e + 5,
                None => source.len(),
            };
            continue;
        }
        if rest.starts_with("{{!--") {
            i = rest.find("--}}").map_or(source.len(), |e| start + e + 4);
            continue;
        }
        if rest.starts_with("{{!") {
            i = rest.find("}}").map_or(source.len(), |e| start + e + 2);
            continue;
        }
        let triple = rest.starts_with("{{{");
        let open = if triple { 3 } else { 2 };
        let Some(len) = rest[open..].find(if triple { "}}}" } else { "}}" }) else {
            // Unclosed: handlebars reports it.
            break;
        };
        let inner = rest[open..open + len]
            .trim_start_matches('~')
            .trim_end_matches('~');
        i = start + open + len + open;
        let mut parens = 0usize;
        for c in inner.chars() {
            match c {
                '(' => {
                    parens += 1;
                    if parens > MAX_BLOCK_DEPTH {
                        return Err(Diagnostic::error("E0701", at(start))
                            .arg("max", MAX_BLOCK_DEPTH.to_string()));
                    }
                }
                ')' => parens = parens.saturating_sub(1),
                _ => {}
            }
        }
        let inner = inner.trim_start();
        let scope = stack.iter().rev().flatten().next().cloned();
        if let Some(block) = inner
            .strip_prefix('#')
            .or_else(|| inner.strip_prefix('^').filter(|b| !b.trim().is_empty()))
        {
            let block = block.trim_start();
            let mut defines = None;
            if let Some(def) = block.strip_prefix("*inline") {
                defines = Some(literal_name(def.trim()).unwrap_or_default());
                if let Some(n) = &defines {
                    out.inline.push(n.clone());
                }
            } else if let Some(partial) = block.strip_prefix('>') {
                let name = partial_name(partial).ok_or_else(|| {
                    Diagnostic::error("E0703", at(start)).arg("partial", partial.trim().to_owned())
                })?;
                let (l, c) = position(source, start);
                out.refs.push((scope.clone(), name, l, c));
            }
            stack.push(defines);
            if stack.len() > MAX_BLOCK_DEPTH {
                return Err(
                    Diagnostic::error("E0701", at(start)).arg("max", MAX_BLOCK_DEPTH.to_string())
                );
            }
        } else if inner.starts_with('/') {
            stack.pop();
        } else if let Some(partial) = inner.strip_prefix('>') {
            let name = partial_name(partial).ok_or_else(|| {
                Diagnostic::error("E0703", at(start)).arg("partial", partial.trim().to_owned())
            })?;
            let (l, c) = position(source, start);
            out.refs.push((scope, name, l, c));
        }
    }
    Ok(out)
}

/// `"name"` or `'name'` → `name`.
fn literal_name(s: &str) -> Option<String> {
    let s = s.split_whitespace().next()?;
    let q = s.chars().next()?;
    (matches!(q, '"' | '\'') && s.len() >= 2 && s.ends_with(q))
        .then(|| s[1..s.len() - 1].to_owned())
}

/// The name of a partial written after `>`: a literal (`name`, `"name"`, `[name]`); `None` for
/// a dynamic one (`(lookup …)`, a `@` variable) or none at all.
fn partial_name(s: &str) -> Option<String> {
    let s = s.trim_start();
    let first = s.split_whitespace().next()?;
    if first.starts_with('(') || first.starts_with('@') {
        return None;
    }
    if let Some(n) = literal_name(first) {
        return Some(n);
    }
    if let Some(n) = first.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        return Some(n.to_owned());
    }
    Some(first.to_owned())
}

/// Checks a set of templates registered together (the Markdown ones, or the page and its
/// style): each source scanned ([`scan`]), partial references resolved (inline partials of the
/// same source, or templates of the registry) and free of cycles, then compiled and every helper
/// called checked against the registry's helpers. Problems are located in their file.
/// A node of the partial graph: a template (by index) and an inline partial of it, or `None` for
/// the template itself.
type Node = (usize, Option<String>);

fn check_registry(templates: &[Checked<'_>], helpers: &[&str], d: &mut Diagnostics) {
    let mut scans: Vec<Option<Scan>> = Vec::with_capacity(templates.len());
    for t in templates {
        match scan(&t.file, &t.source) {
            Ok(s) => scans.push(Some(s)),
            Err(e) => {
                d.push(e);
                scans.push(None);
            }
        }
    }
    let resolve = |from: usize, name: &str| -> Option<Node> {
        if scans[from]
            .as_ref()
            .is_some_and(|s| s.inline.iter().any(|n| n == name))
        {
            return Some((from, Some(name.to_owned())));
        }
        let base = name.split('#').next().unwrap_or(name);
        templates
            .iter()
            .position(|t| t.name == base || (t.name == CSS && base == "style"))
            .map(|i| (i, None))
    };
    let mut edges: Vec<(Node, Node, Span, String)> = Vec::new();
    for (ti, s) in scans.iter().enumerate() {
        let Some(s) = s else { continue };
        for (from, to, line, col) in &s.refs {
            let span = Span {
                file: templates[ti].file.clone(),
                line: *line,
                col: *col,
            };
            match resolve(ti, to) {
                Some(target) => edges.push(((ti, from.clone()), target, span, to.clone())),
                None => d.push(Diagnostic::error("E0704", span).arg("partial", to.clone())),
            }
        }
    }
    // A reference that can reach itself again is a cycle: rendering it would never end.
    for (from, to, span, name) in &edges {
        let mut seen: Vec<&Node> = vec![to];
        let mut todo: Vec<&Node> = vec![to];
        let mut cycle = false;
        while let Some(n) = todo.pop() {
            if n == from {
                cycle = true;
                break;
            }
            for (f, t, _, _) in &edges {
                if f == n && !seen.contains(&t) {
                    seen.push(t);
                    todo.push(t);
                }
            }
        }
        if cycle {
            d.push(Diagnostic::error("E0702", span.clone()).arg("partial", name.clone()));
        }
    }
    for (t, s) in templates.iter().zip(&scans) {
        if s.is_none() || t.name == CSS {
            continue;
        }
        match Template::compile_with_name(&t.source, t.name.to_owned()) {
            Err(e) => {
                let (line, col) = e.pos().map_or((1, 1), |(l, c)| (l as u64, c as u64));
                d.push(
                    Diagnostic::error(
                        "E0705",
                        Span {
                            file: t.file.clone(),
                            line,
                            col,
                        },
                    )
                    .arg("detail", e.reason().to_string()),
                );
            }
            Ok(compiled) => check_helpers(&compiled, &t.file, helpers, d),
        }
    }
}

/// Every helper a compiled template calls is built in or registered.
fn check_helpers(t: &Template, file: &str, helpers: &[&str], d: &mut Diagnostics) {
    use handlebars::template::Parameter;
    fn known(name: &str, helpers: &[&str]) -> bool {
        BUILTIN_HELPERS.contains(&name) || helpers.contains(&name)
    }
    fn params(h: &handlebars::template::HelperTemplate) -> impl Iterator<Item = &Parameter> {
        h.params.iter().chain(h.hash.values())
    }
    fn walk(t: &Template, file: &str, helpers: &[&str], d: &mut Diagnostics, depth: usize) {
        if depth > MAX_BLOCK_DEPTH * 2 {
            return;
        }
        for (i, e) in t.elements.iter().enumerate() {
            let (line, col) = t
                .mapping
                .get(i)
                .map_or((0, 0), |m| (m.0 as u64, m.1 as u64));
            let span = Span {
                file: file.to_owned(),
                line,
                col,
            };
            let mut check = |h: &handlebars::template::HelperTemplate, block: bool| {
                let called = block || !h.params.is_empty() || !h.hash.is_empty();
                if let Some(name) = h.name.as_name()
                    && called
                    && !known(name, helpers)
                {
                    d.push(Diagnostic::error("E0706", span.clone()).arg("helper", name.to_owned()));
                }
                for p in params(h) {
                    if let Parameter::Subexpression(se) = p
                        && se.is_helper()
                        && !known(se.name(), helpers)
                    {
                        d.push(
                            Diagnostic::error("E0706", span.clone())
                                .arg("helper", se.name().to_owned()),
                        );
                    }
                }
            };
            match e {
                TemplateElement::HtmlExpression(h) | TemplateElement::Expression(h) => {
                    check(h, false);
                }
                TemplateElement::HelperBlock(h) => {
                    check(h, true);
                    for inner in [&h.template, &h.inverse].into_iter().flatten() {
                        walk(inner, file, helpers, d, depth + 1);
                    }
                }
                TemplateElement::DecoratorBlock(x) | TemplateElement::PartialBlock(x) => {
                    if let Some(inner) = &x.template {
                        walk(inner, file, helpers, d, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }
    walk(t, file, helpers, d, 0);
}

/// The Markdown templates and the page of a source set, as checked together.
fn registries(sources: &Sources) -> Vec<(Vec<Checked<'_>>, &'static [&'static str])> {
    let get = |name: &'static str| -> Option<Checked<'_>> {
        let rel = if name == CSS {
            format!("templates/{name}")
        } else {
            format!("templates/{name}.hbs")
        };
        let f = sources.get(&rel)?;
        Some(Checked {
            name,
            file: f.display(),
            source: String::from_utf8_lossy(&f.bytes),
        })
    };
    vec![
        (
            [CHECKLIST, PRIVACY].into_iter().filter_map(get).collect(),
            &MD_HELPERS[..],
        ),
        (
            [PAGE, CSS].into_iter().filter_map(get).collect(),
            &PAGE_HELPERS[..],
        ),
    ]
}

/// Every problem in the templates of a source set, for `catalog lint`: nesting deeper than
/// [`MAX_BLOCK_DEPTH`] (E0701), partials that call themselves (E0702), dynamic partial names
/// (E0703), unknown partials (E0704), syntax errors (E0705), unknown helpers (E0706) and files
/// that are not UTF-8 (E0002), each at its file, line and column.
pub fn lint(sources: &Sources) -> Diagnostics {
    let mut d = Diagnostics::default();
    for name in [CHECKLIST, PRIVACY, PAGE] {
        if let Some(f) = sources.get(&format!("templates/{name}.hbs"))
            && let Err(e) = std::str::from_utf8(&f.bytes)
        {
            let (line, col) = crate::util::line_col(&f.bytes, e.valid_up_to());
            d.push(
                Diagnostic::error(
                    "E0002",
                    Span {
                        file: f.display(),
                        line,
                        col,
                    },
                )
                .arg("what", "UTF-8"),
            );
        }
    }
    for (templates, helpers) in registries(sources) {
        check_registry(&templates, helpers, &mut d);
    }
    d.sort();
    d
}

/// The first problem [`lint`] finds in the templates a command compiles, as the error that
/// stops it (the override file, line and column in the message).
fn refuse(sources: &Sources, names: &[&str], page_too: bool) -> Result<(), DocsError> {
    let mut d = Diagnostics::default();
    for (templates, helpers) in registries(sources) {
        let wanted: Vec<Checked<'_>> = templates
            .into_iter()
            .filter(|t| names.contains(&t.name) || (page_too && (t.name == PAGE || t.name == CSS)))
            .collect();
        check_registry(&wanted, helpers, &mut d);
    }
    d.sort();
    match d.errors().next() {
        None => Ok(()),
        Some(e) => Err(DocsError::Template {
            name: e.span.to_string(),
            detail: e.message(crate::i18n::Ui::embedded(), crate::model::Lang::En),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_http_only_and_cannot_break_out() {
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
        let u = safe_url("https://x.org/a b)\"<'>").expect("http");
        assert_eq!(u, "https://x.org/a%20b%29%22%3C%27%3E");
    }

    /// The same elements (blocks included, with their line numbers), and the same line numbers
    /// for every element but raw text (whose position handlebars records only for errors, and
    /// raw text cannot fail to render).
    fn assert_same(what: &str, whole: &Template, split: &Template) {
        assert_eq!(whole.elements, split.elements, "{what}");
        assert_eq!(whole.name, split.name, "{what}");
        for (i, e) in whole.elements.iter().enumerate() {
            if !matches!(e, TemplateElement::RawString(_)) {
                assert_eq!(whole.mapping[i], split.mapping[i], "{what}: line of {e:?}");
            }
        }
    }

    #[test]
    fn compiling_in_pieces_gives_the_same_template() {
        let sources = Sources::embedded();
        for name in [CHECKLIST, PRIVACY, PAGE, CSS] {
            let text = source(&sources, name).expect("source");
            assert!(pieces(&text).is_some_and(|p| p.len() > 1), "{name} is cut");
            let whole = Template::compile_with_name(&text, name.to_owned()).expect("whole");
            let split = compile_template(name, &text).expect("pieces");
            assert_same(name, &whole, &split);
        }
        for text in [
            "a\n{{#if x}}\n{{y}}\n{{else}}\nz\n{{/if}}\n  {{#each v}}\n- {{this}}\n  {{/each}}\nend",
            "{{!-- {{#if}} --}}\n{{a}}\n\n{{! {{/if}} }}\n{{#if b}}x{{/if}}\n",
            "  {{#if b}}\n  x\n  {{/if}}\n  {{c}}  \n{{d}}",
        ] {
            let whole = Template::compile_with_name(text, "t".into()).expect("whole");
            assert_same(text, &whole, &compile_template("t", text).expect("pieces"));
        }
    }

    #[test]
    fn tidy_collapses_blank_lines_outside_code() {
        assert_eq!(tidy("\n\na\n\n\n\nb\n\n"), "a\n\nb\n");
        assert_eq!(tidy("```\nx  \n\n\ny\n```\n"), "```\nx  \n\n\ny\n```\n");
    }
}
