//! Markdown → HTML with the one pulldown-cmark configuration, and the page around it. Raw HTML in
//! the Markdown (`Event::Html`, `Event::InlineHtml`) is dropped, not passed through; links keep
//! only http(s) and in-page destinations; images become their alt text (a document must not load
//! anything); heading attributes are reduced to a safe id. The only HTML agentguard adds itself
//! is the data-flow SVG (in place of the mermaid block) and the `<mark>` around TODO markers.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::escape;
use crate::model::Lang;

/// One language's document inside the page.
#[derive(Clone, Debug, Serialize)]
pub struct Article {
    pub lang: Lang,
    pub html_lang: &'static str,
    pub id: &'static str,
    /// The language's own name, for the switcher.
    pub label: String,
    /// Already-rendered HTML: the one slot the page inserts unescaped.
    pub body: String,
}

/// The page context.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    pub title: String,
    pub html_lang: &'static str,
    pub lang: Lang,
    pub generated: String,
    pub multiple: bool,
    pub articles: Vec<Article>,
}

pub fn html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    }
}

/// The one pulldown-cmark configuration.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn is_safe_dest(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with('#')
}

/// The marker that `privacy todo` looks for, and that the HTML highlights.
pub const TODO_MARK: &str = "TODO(";

/// Markdown to an HTML fragment. `svg` replaces a ```` ```mermaid ```` block when given.
pub fn markdown_to_html(md: &str, svg: Option<&str>) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut in_mermaid = false;
    let mut in_image = 0usize;
    for ev in Parser::new_ext(md, options()) {
        if in_mermaid {
            if matches!(ev, Event::End(TagEnd::CodeBlock)) {
                in_mermaid = false;
            }
            continue;
        }
        match ev {
            // Raw HTML never reaches the page.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if info.as_ref() == "mermaid" && svg.is_some() =>
            {
                in_mermaid = true;
                events.push(Event::Html(CowStr::from(format!(
                    "<figure class=\"flow-figure\"><div class=\"flow-scroll\">{}</div></figure>\n",
                    svg.unwrap_or_default()
                ))));
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if is_safe_dest(&dest_url) {
                    dest_url
                } else {
                    CowStr::from("#")
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                let id = id.map(|i| CowStr::from(anchor(&i)));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::Text(t) if in_image == 0 && t.contains(TODO_MARK) => mark_todos(&t, &mut events),
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}

/// Splits a text at TODO markers and wraps each marker in `<mark class="todo">`.
fn mark_todos(text: &str, events: &mut Vec<Event<'_>>) {
    let mut rest = text;
    while let Some(start) = rest.find(TODO_MARK) {
        let end = super::todo::marker_end(&rest[start..]).map_or(rest.len(), |e| start + e);
        if start > 0 {
            events.push(Event::Text(CowStr::from(rest[..start].to_string())));
        }
        events.push(Event::Html(CowStr::from(format!(
            "<mark class=\"todo\">{}</mark>",
            escape::html(&rest[start..end])
        ))));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        events.push(Event::Text(CowStr::from(rest.to_string())));
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
    fn raw_html_is_dropped_and_links_are_checked() {
        let h = markdown_to_html(
            "<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](https://x.org) ![i](https://x.org/i.png)\n",
            None,
        );
        assert!(!h.contains("<script") && !h.contains("<img"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(h.contains("href=\"https://x.org\""), "{h}");
    }

    #[test]
    fn heading_attributes_become_a_safe_id() {
        let h = markdown_to_html("## T {#x\" onclick=y .c data-z=1}\n", None);
        assert!(!h.contains("onclick") && !h.contains("data-z"), "{h}");
    }

    #[test]
    fn mermaid_block_becomes_the_svg() {
        let h = markdown_to_html("```mermaid\nflowchart LR\n```\n", Some("<svg></svg>"));
        assert!(h.contains("<svg></svg>") && !h.contains("flowchart"), "{h}");
    }

    #[test]
    fn todo_markers_are_highlighted() {
        let h = markdown_to_html("Name: TODO(your name) here\n", None);
        assert!(
            h.contains("<mark class=\"todo\">TODO(your name)</mark> here"),
            "{h}"
        );
    }
}
