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
use crate::assets::Sources;
use crate::escape;
use crate::i18n::Ui;
use crate::model::Lang;

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
        Ok(Templates { md, md_parts, page })
    }

    /// Renders a Markdown template. The context must carry `lang`, which the `t` helper reads.
    ///
    /// The template's parts are rendered on two threads (each taking the next part not yet
    /// taken) and joined in order; the first error in template order is the one reported.
    pub fn render_md<T: Serialize>(&self, name: &str, ctx: &T) -> Result<String, DocsError> {
        self.render_md_data(name, &wrap(name, ctx)?)
    }

    /// [`Templates::render_md`] for a context already made into template data (see [`wrap`]).
    pub fn render_md_data(&self, name: &str, data: &Context) -> Result<String, DocsError> {
        let fail = |e: &RenderError| DocsError::Render {
            name: format!("templates/{name}.hbs"),
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

    /// Renders the HTML page around already-rendered article bodies.
    pub fn render_page(&self, page: &super::html::Page) -> Result<String, DocsError> {
        self.page.render(PAGE, page).map_err(|e| DocsError::Render {
            name: format!("templates/{PAGE}.hbs"),
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
/// a Markdown heading attribute, `{#id}`.
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

/// Lower-case letters, digits and `-`; everything else becomes `-`.
pub fn anchor(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
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
