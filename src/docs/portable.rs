//! The Markdown users keep: what the templates render, minus the two things only agentguard's
//! own HTML page understands. Heading attributes (`## Verdict {#en-verdict}`) give the page its
//! stable anchors, but GitHub and Gitee print them as text. In-page links (`[…](#en-t-x)`) point
//! at those anchors; GitHub and Gitee make their own anchors from the heading text, by rules of
//! their own (Gitee's are not documented), so such a link could not be made to resolve on both
//! and is kept as its text. The HTML page is made from the Markdown as rendered, so it keeps
//! both.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// `md` with every heading attribute block removed and every inline link to `#…` replaced by
/// its text. Everything else is copied byte for byte.
pub fn markdown(md: &str) -> String {
    // Cheap test first: both constructs need one of these.
    if !md.contains("{#") && !md.contains("](#") {
        return md.to_owned();
    }
    let mut cuts: Vec<Range<usize>> = Vec::new();
    // Open headings and in-page links: where they start and where their content ends so far.
    let mut open: Vec<Open> = Vec::new();
    for (event, range) in Parser::new_ext(md, super::html::options()).into_offset_iter() {
        let kind = match &event {
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) if id.is_some() || !classes.is_empty() || !attrs.is_empty() => {
                Some(Kind::AttributedHeading)
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) if dest_url.starts_with('#') => Some(Kind::InPageLink),
            Event::Start(Tag::Heading { .. } | Tag::Link { .. }) => Some(Kind::Other),
            _ => None,
        };
        if let Some(kind) = kind {
            note_content(&mut open, range.end);
            open.push(Open {
                kind,
                start: range.start,
                content_end: None,
            });
            continue;
        }
        if matches!(event, Event::End(TagEnd::Heading(_) | TagEnd::Link))
            && let Some(o) = open.pop()
        {
            match o.kind {
                Kind::AttributedHeading => {
                    cuts.extend(attribute_block(md, o.start, o.content_end, range.end));
                }
                Kind::InPageLink => {
                    // `[` before the text; `](#…)` after it.
                    cuts.push(o.start..o.start + 1);
                    cuts.push(o.content_end.unwrap_or(o.start + 1)..range.end);
                }
                Kind::Other => {}
            }
        }
        note_content(&mut open, range.end);
    }
    cuts.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for cut in cuts {
        if cut.start < at {
            continue;
        }
        out.push_str(&md[at..cut.start]);
        at = cut.end;
    }
    out.push_str(&md[at..]);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    AttributedHeading,
    InPageLink,
    Other,
}

struct Open {
    kind: Kind,
    start: usize,
    /// The end of the last event inside it.
    content_end: Option<usize>,
}

/// An event inside every open element ends at `end`.
fn note_content(open: &mut [Open], end: usize) {
    for o in open {
        o.content_end = Some(o.content_end.map_or(end, |e| e.max(end)));
    }
}

/// The attribute block of a heading spanning `start..end` whose text ends at `content_end`: from
/// the spaces before its `{` to its `}`. `None` when no block is found there.
fn attribute_block(
    md: &str,
    start: usize,
    content_end: Option<usize>,
    end: usize,
) -> Option<Range<usize>> {
    let from = content_end.unwrap_or(start);
    let tail = &md[from..end];
    let open = tail.find('{')?;
    let close = open + tail[open..].find('}')?;
    let before = tail[..open].trim_end_matches([' ', '\t']).len();
    Some(from + before..from + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_attributes_go_and_the_heading_stays() {
        assert_eq!(markdown("# Title {#en-top}\n\ntext\n"), "# Title\n\ntext\n");
        assert_eq!(
            markdown("## A `code` **b** {#en-x .c}\n### 中文标题 {#zh-t-a}\n"),
            "## A `code` **b**\n### 中文标题\n"
        );
        // A setext heading keeps its shape.
        assert_eq!(markdown("T {#x}\n===\n"), "T\n===\n");
        // Escaped braces are text, not attributes.
        assert_eq!(markdown("## \\{#x\\}\n"), "## \\{#x\\}\n");
    }

    #[test]
    fn in_page_links_become_their_text() {
        assert_eq!(
            markdown("1. **[Commands \\[x\\] run](#en-t-a)** — critical\n"),
            "1. **Commands \\[x\\] run** — critical\n"
        );
        assert_eq!(
            markdown("- Answers: [A](#t-a) (high); [B `c`](#t-b) (low)\n"),
            "- Answers: A (high); B `c` (low)\n"
        );
        // Other links stay.
        let keep = "[ref](https://x.org/#a) and [r][1]\n\n[1]: #x\n";
        assert_eq!(markdown(keep), keep);
    }

    #[test]
    fn code_blocks_and_plain_text_are_untouched() {
        let md = "```\n## T {#x}\n[a](#b)\n```\n\n`[a](#b)` {#x}\n";
        assert_eq!(markdown(md), md);
    }
}
