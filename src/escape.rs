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
/// HTML; handlebars braces are escaped too.
pub fn markdown(s: &str) -> String {
    let s = terminal(s, false);
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
