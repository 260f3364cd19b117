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
/// `\u{…}` (itself escaped). One pass over the bytes, copying unchanged runs whole: this runs for
/// every value a document template writes.
pub fn markdown(s: &str) -> String {
    escape_with(s, s.len() + s.len() / 8 + 8, |c, out| match c {
        '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
        | '!' | '|' | '~' | '>' | ':' => {
            out.push('\\');
            out.push(c);
        }
        '<' => out.push_str("&lt;"),
        '&' => out.push_str("&amp;"),
        '"' => out.push_str("&quot;"),
        // `\u{1b}`, with its backslash and braces escaped for Markdown.
        c if c.is_control() || is_bidi_control(c) => {
            let _ = write!(out, "\\\\u\\{{{:x}\\}}", c as u32);
        }
        c => out.push(c),
    })
}

/// HTML text and attribute values. Newlines and tabs are kept; bidi controls pass (HTML shows
/// them as the text direction they set, which the page's `dir` handles).
pub fn html(s: &str) -> String {
    escape_with(s, s.len() + 8, |c, out| match c {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        '\n' | '\t' => out.push(c),
        c if c.is_control() => {
            let _ = write!(out, "&#x{:x};", c as u32);
        }
        c => out.push(c),
    })
}

/// Which bytes may start a character that `markdown` or `html` rewrite: ASCII punctuation and
/// controls, and the lead bytes of C1 controls (`0xC2`) and of the bidi controls (`0xE2`).
/// Everything else is copied in runs.
const fn candidates() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    let marks = b"\\`*_{}[]()#+-.!|~>:<&\"'";
    let mut i = 0;
    while i < marks.len() {
        t[marks[i] as usize] = true;
        i += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xe2] = true;
    t
}

const CANDIDATE: [bool; 256] = candidates();

/// Copies `s` into a new string, letting `rewrite` write each candidate character (see
/// [`candidates`]) that is ASCII, a control or a bidi control; other characters are copied as
/// they are.
fn escape_with(s: &str, capacity: usize, rewrite: impl Fn(char, &mut String)) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(capacity);
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !CANDIDATE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        // `i` is a character boundary: candidates are ASCII or lead bytes.
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        if c.is_ascii() || c.is_control() || is_bidi_control(c) {
            out.push_str(&s[run..i]);
            rewrite(c, &mut out);
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(&s[run..]);
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

    /// What `html` does, one character at a time.
    fn html_reference(s: &str) -> String {
        let mut out = String::new();
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

    #[test]
    fn run_copying_html_matches_its_definition() {
        let mut all = String::new();
        for c in (0..0x3100u32)
            .chain(0xfe00..0x1_0000)
            .filter_map(char::from_u32)
        {
            let one = c.to_string();
            assert_eq!(html(&one), html_reference(&one), "{:x}", c as u32);
            all.push(c);
        }
        assert_eq!(html(&all), html_reference(&all));
        let mixed = "中文<b>\u{202e}x\u{85}'\"&\t\n\u{1b}[0m 末尾";
        assert_eq!(html(mixed), html_reference(mixed));
        assert_eq!(markdown(mixed), markdown_reference(mixed));
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
