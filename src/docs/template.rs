//! The one handlebars pipeline. Two registries, both in strict mode (a misspelled variable is an
//! error, not a blank): the Markdown one escapes every `{{value}}` with `escape::markdown`, the
//! page one with `escape::html`. Every sentence comes from the locale through the strict `t`
//! helper: a missing key, a placeholder without a value or a value without a placeholder is an
//! error, never a silent fallback to the other language. Templates are embedded and may be
//! overridden file by file (`templates/…` in an override folder).

use std::fmt::Write as _;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
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
        md.register_escape_fn(escape::markdown);
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
        for &name in names {
            md.register_template_string(name, source(sources, name)?)
                .map_err(|e| template_error(name, &e))?;
        }
        let mut page = Handlebars::new();
        page.set_strict_mode(true);
        page.register_escape_fn(escape::html);
        page.register_helper(
            "t",
            Box::new(T {
                ui,
                escape_text: true,
            }),
        );
        page.register_helper("slug", Box::new(Slug { block: false }));
        if page_too {
            page.register_template_string(PAGE, source(sources, PAGE)?)
                .map_err(|e| template_error(PAGE, &e))?;
            page.register_partial("style", source(sources, CSS)?)
                .map_err(|e| template_error(CSS, &e))?;
        }
        Ok(Templates { md, page })
    }

    /// Renders a Markdown template. The context must carry `lang`, which the `t` helper reads.
    pub fn render_md<T: Serialize>(&self, name: &str, ctx: &T) -> Result<String, DocsError> {
        let out = self.md.render(name, ctx).map_err(|e| DocsError::Render {
            name: format!("templates/{name}.hbs"),
            detail: render_detail(&e),
        })?;
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
        let lang = ctx
            .data()
            .get("lang")
            .and_then(serde_json::Value::as_str)
            .and_then(Lang::parse)
            .ok_or_else(|| other("t: the context has no `lang`".into()))?;
        let mut key = String::new();
        for p in h.params() {
            if p.is_value_missing() {
                return Err(RenderError::strict_error(p.relative_path()));
            }
            let part = json_text(p.value())
                .ok_or_else(|| other(format!("t: key part {} is not text", p.value())))?;
            key.push_str(&part);
        }
        if key.is_empty() {
            return Err(RenderErrorReason::ParamNotFoundForIndex("t", 0).into());
        }
        if !self.ui.has(lang, &key) {
            return Err(other(format!("t: no {lang} string for `{key}`")));
        }
        let template = self.ui.get(lang, &key);
        let wanted = crate::i18n::placeholders(&template);
        let esc = r.get_escape_fn();
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
            crate::i18n::fill(&esc(&template), &args)
        } else {
            crate::i18n::fill(&template, &args)
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

    #[test]
    fn tidy_collapses_blank_lines_outside_code() {
        assert_eq!(tidy("\n\na\n\n\n\nb\n\n"), "a\n\nb\n");
        assert_eq!(tidy("```\nx  \n\n\ny\n```\n"), "```\nx  \n\n\ny\n```\n");
    }
}
