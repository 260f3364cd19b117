//! Neutralising user-entered text (agent names, free-text answers, reasons) for each output:
//! the terminal, Markdown, HTML, mermaid labels. Catalog text goes through the same functions, so
//! nothing reaches an output unescaped.

use std::fmt::Write as _;

/// Terminal: control characters (ESC sequences, carriage returns, bells …) are shown as visible
/// `\u{…}` escapes instead of being sent to the terminal. Newlines and tabs are kept when
/// `multiline` is true.
pub fn terminal(s: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let keep = multiline && (c == '\n' || c == '\t');
        if (c.is_control() || is_bidi_control(c)) && !keep {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Unicode bidirectional controls can make text display in another order than it is (Trojan
/// Source); they are shown escaped too.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Markdown inline text: every character with a Markdown meaning is backslash-escaped, and HTML
/// is entity-escaped, so user text can never become a link, an image, emphasis, a heading or raw
/// HTML; handlebars braces are escaped too. Control and bidi characters become a visible
/// `\u{…}` (itself escaped). One pass: this runs for every value a document template writes.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '~' | '>' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() || is_bidi_control(c) => {
                // `\u{1b}`, with its backslash and braces escaped for Markdown.
                let _ = write!(out, "\\\\u\\{{{:x}\\}}", c as u32);
            }
            _ => out.push(c),
        }
    }
    out
}

/// HTML text and attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "&#x{:x};", c as u32);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A mermaid node label: only letters, digits, spaces, CJK and a few safe marks survive; quotes,
/// brackets, pipes, semicolons, `%%` and everything else that mermaid parses become spaces. The
/// result goes inside `["…"]`.
pub fn mermaid_label(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric()
                || matches!(c, ' ' | '-' | '_' | '/' | '·' | '，' | '、' | '（' | '）')
            {
                c
            } else {
                ' '
            }
        })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_shows_escapes() {
        let s = terminal("evil\x1b[2J\x07name\u{202e}", false);
        assert!(!s.contains('\x1b') && !s.contains('\x07') && !s.contains('\u{202e}'));
        assert!(s.contains("\\u{1b}"));
    }

    #[test]
    fn markdown_defuses_links_html_and_braces() {
        let s = markdown("[click](http://x) <img src=x onerror=alert(1)> {{secret}} # h");
        assert!(!s.contains("](") && !s.contains("<img") && !s.contains("{{"));
        assert!(s.contains("\\[click\\]\\(http\\:"));
    }

    /// The two-step definition `markdown` implements in one pass: terminal escaping, then every
    /// Markdown character escaped.
    fn markdown_reference(s: &str) -> String {
        let mut out = String::new();
        for c in terminal(s, false).chars() {
            match c {
                '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-'
                | '.' | '!' | '|' | '~' | '>' | ':' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                _ => out.push(c),
            }
        }
        out
    }

    #[test]
    fn one_pass_markdown_matches_its_definition() {
        let mut all = String::new();
        for c in (0..0x3100u32)
            .chain(0xfe00..0x1_0000)
            .filter_map(char::from_u32)
        {
            let one = c.to_string();
            assert_eq!(markdown(&one), markdown_reference(&one), "{:x}", c as u32);
            all.push(c);
        }
        assert_eq!(markdown(&all), markdown_reference(&all));
        let hostile =
            "<script>x</script> [a](javascript:x) {{s}} \u{1b}[2J\u{202e}ab # h\n- i & \"q\"";
        assert_eq!(markdown(hostile), markdown_reference(hostile));
    }

    #[test]
    fn html_escapes() {
        assert_eq!(
            html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn mermaid_labels_lose_syntax() {
        let s = mermaid_label("a\"] --> B[\"pwn\"]; click A call x() %%");
        assert!(!s.contains('"') && !s.contains('[') && !s.contains(';') && !s.contains('%'));
    }
}
