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

/// Markdown text for one value in a line (a name, an answer, a reason, a catalog sentence):
/// whatever it holds, it reads as plain text, and the raw `.md` stays readable, because only
/// what could start Markdown syntax is escaped:
/// - anywhere: `\` `` ` `` `*` `_` `[` `]` `{` `}` `|` `~` get a backslash (no emphasis, code,
///   link, image, table cell or strikethrough; handlebars and Liquid braces stay inert);
/// - `<` becomes `&lt;` only where it could open raw HTML or an autolink (see [`opens_html`]);
///   `a < b` and `<= 3` stay as they are. An entity rather than `\<`: Markdown renderers that
///   are not `CommonMark` (`Markdown.pl` and its descendants) do not know `\<` and would pass the
///   tag on, while every renderer decodes `&lt;`;
/// - `&` becomes `&amp;` only where it would start a character reference (`&copy;`, `&#60;`,
///   `&#x3c;`) or ends a text; `"` and `'` stay as they are (no link title can start in escaped
///   text, since `[` `]` are escaped);
/// - at the value's start, where a line may begin: `#` `-` `+` `=` `>` (heading, list, setext
///   underline, quote), and the `.` or `)` after leading digits when a space or the end follows
///   (a numbered list);
/// - control characters (newlines included, so a value never spans lines) and bidi controls
///   become a visible `\u{…}`, itself escaped.
///
/// One construct is kept, because it is inert: a code span, `` `like this` ``, as the catalog
/// writes commands and identifiers. Its content is shown literally (no link, emphasis or HTML
/// can happen inside one); a span with a brace, a pipe, a control character or edge spaces is
/// escaped as text instead.
///
/// Spaces around the value are dropped. Dates, ids, versions and URLs keep their `-` `.` `:`
/// `(` `)`: in the middle of a line these start nothing.
pub fn markdown(s: &str) -> String {
    // Leading spaces could make an indented code block, trailing ones a line break; rendered
    // Markdown drops both anyway.
    let s = s.trim_matches(' ');
    if !s.contains('`') {
        return markdown_text(s, true);
    }
    let mut out = String::with_capacity(s.len() + s.len() / 8 + 8);
    let mut rest = s;
    let mut at_start = true;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) if is_inert_code(&after[..close]) => {
                out.push_str(&markdown_text(&rest[..open], at_start));
                out.push('`');
                out.push_str(&after[..close]);
                out.push('`');
                rest = &after[close + 1..];
            }
            // A lone backtick, or a span that cannot stay literal: text, escaped.
            _ => {
                out.push_str(&markdown_text(&rest[..=open], at_start));
                rest = after;
            }
        }
        at_start = false;
    }
    out.push_str(&markdown_text(rest, at_start));
    out
}

/// Code span content shown as it is: not empty, no edge spaces (Markdown would strip them), and
/// nothing that could matter outside Markdown or in a table (`{` `}` `|`) or be invisible.
fn is_inert_code(c: &str) -> bool {
    !c.is_empty()
        && !c.starts_with(' ')
        && !c.ends_with(' ')
        && !c
            .chars()
            .any(|x| matches!(x, '{' | '}' | '|') || x.is_control() || is_bidi_control(x))
}

/// [`markdown`] for a piece of text without code spans; `at_start` when it begins the value.
fn markdown_text(s: &str, at_start: bool) -> String {
    // `12.` or `12)` makes a numbered list only when a space or the end follows (`0.1.0` does not).
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let list_mark = (at_start
        && digits > 0
        && matches!(s.as_bytes().get(digits + 1).copied(), None | Some(b' ')))
    .then_some(digits);
    escape_with(s, s.len() + s.len() / 8 + 8, |i, c, out| match c {
        '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '|' | '~' => {
            out.push('\\');
            out.push(c);
        }
        '#' | '-' | '+' | '=' | '>' if at_start && i == 0 => {
            out.push('\\');
            out.push(c);
        }
        '.' | ')' if Some(i) == list_mark => {
            out.push('\\');
            out.push(c);
        }
        '<' if opens_html(&s[i + 1..]) => out.push_str("&lt;"),
        '&' if opens_reference(&s[i + 1..]) => out.push_str("&amp;"),
        // `\u{1b}`, with its backslash and braces escaped for Markdown.
        c if c.is_control() || is_bidi_control(c) => {
            let _ = write!(out, "\\\\u\\{{{:x}\\}}", c as u32);
        }
        c => out.push(c),
    })
}

/// Whether a `<` followed by `rest` (the raw text after it) could open raw HTML (`<b`, `</`,
/// `<!--`, `<?`) or an autolink (`<https:…>`, `<me@x.org>`) in some Markdown renderer: before a
/// letter, `/`, `!` or `?`, and before a run of e-mail address characters that reaches an `@` or
/// the end of the text (the end may be followed by anything). `a < b`, `<= 3`, `<3 中文` open
/// nothing.
fn opens_html(rest: &str) -> bool {
    match rest.chars().next() {
        None => true,
        Some(c) if c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?') => true,
        Some(c) if is_address_char(c) => rest
            .chars()
            .find(|&c| !is_address_char(c))
            .is_none_or(|c| c == '@'),
        Some(_) => false,
    }
}

/// A character of the local part of an autolinked e-mail address (`CommonMark`), except those
/// [`markdown_text`] writes with a backslash before them (a `\` ends an address).
fn is_address_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '.' | '!' | '#' | '$' | '%' | '&' | '\'' | '+' | '/' | '=' | '?' | '^' | '-'
        )
}

/// Whether a `&` followed by `rest` would start a character reference (`&name;`, `&#123;`,
/// `&#x1f;`) or ends the text (what follows is not known).
fn opens_reference(rest: &str) -> bool {
    let b = rest.as_bytes();
    if b.is_empty() {
        return true;
    }
    let (digits, start): (fn(&u8) -> bool, usize) = match b {
        [b'#', b'x' | b'X', ..] => (u8::is_ascii_hexdigit, 2),
        [b'#', ..] => (u8::is_ascii_digit, 1),
        _ => (u8::is_ascii_alphanumeric, 0),
    };
    let n = b[start..].iter().take_while(|c| digits(c)).count();
    n > 0 && b.get(start + n) == Some(&b';')
}

/// HTML text and attribute values. Newlines and tabs are kept; other controls and the bidi
/// controls become character references (`&#x202e;`), so the file itself holds none raw (a
/// browser still shows the text direction they set, which the page's `dir` handles).
pub fn html(s: &str) -> String {
    escape_with(s, s.len() + 8, |_, c, out| match c {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        '\n' | '\t' => out.push(c),
        c if c.is_control() || is_bidi_control(c) => {
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
    let marks = b"\\`*_{}[]()#+-=.!|~>:<&\"'";
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
/// [`candidates`]) that is ASCII, a control or a bidi control, given its byte offset; other
/// characters are copied as they are.
fn escape_with(s: &str, capacity: usize, rewrite: impl Fn(usize, char, &mut String)) -> String {
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
            rewrite(i, c, &mut out);
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
        assert!(!s.replace("\\]", "").contains("](") && !s.contains("<img") && !s.contains("{{"));
        assert!(s.contains("\\[click\\](http://x)"));
        assert_eq!(markdown("# h"), "\\# h");
        assert_eq!(markdown("  - item  "), "\\- item");
        assert_eq!(markdown("2026. year"), "2026\\. year");
        assert_eq!(markdown("1) one"), "1\\) one");
        assert_eq!(markdown("7."), "7\\.");
        assert_eq!(markdown("0.1.0"), "0.1.0");
        assert_eq!(markdown("v1.2 (2026-11-26): ok"), "v1.2 (2026-11-26): ok");
        assert_eq!(markdown("a - b # c > d"), "a - b # c > d");
        // Quotes, `&` and `<` stay themselves where Markdown reads them as themselves.
        assert_eq!(
            markdown("Tom's \"Q&A\" bot: a < b, x <= 3, <3 中文"),
            "Tom's \"Q&A\" bot: a < b, x <= 3, <3 中文"
        );
        assert_eq!(
            markdown("<b> </i> <!-- <?x"),
            "&lt;b> &lt;/i> &lt;!-- &lt;?x"
        );
        assert_eq!(markdown("<me@x.org> <1.2@x>"), "&lt;me@x.org> &lt;1.2@x>");
        assert_eq!(
            markdown("&copy; &#60; &#x3c; &amp R&D."),
            "&amp;copy; &amp;#60; &amp;#x3c; &amp R&D."
        );
        // At the end, what follows is not known.
        assert_eq!(markdown("a & b &"), "a & b &amp;");
        assert_eq!(markdown("a <"), "a &lt;");
        assert_eq!(markdown("<3"), "&lt;3");
        // Code spans stay (inert); risky ones become escaped text.
        assert_eq!(
            markdown("run `npm ci --ignore-scripts`"),
            "run `npm ci --ignore-scripts`"
        );
        assert_eq!(markdown("`os.environ[\"K\"]`"), "`os.environ[\"K\"]`");
        assert_eq!(markdown("`{{secret}}`"), "\\`\\{\\{secret\\}\\}\\`");
        assert_eq!(markdown("lone ` tick"), "lone \\` tick");
        assert_eq!(markdown("`a` - `b`"), "`a` - `b`");
    }

    /// What `markdown` does, written plainly: terminal escaping first (control and bidi
    /// characters), then each character by the rules in `markdown`'s documentation.
    fn markdown_reference(s: &str) -> String {
        let t = terminal(s.trim_matches(' '), false);
        let chars: Vec<char> = t.chars().collect();
        let lead = 0;
        let digits = chars[lead..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let ends_marker = matches!(chars.get(lead + digits + 1), None | Some(' '));
        // `<` opens HTML before a letter, `/`, `!`, `?`, or before address characters up to an
        // `@` or the end; `&` opens a reference before `name;`, `#123;`, `#x1f;`, or at the end.
        let address = |c: char| c.is_ascii_alphanumeric() || ".!#$%&'+/=?^-".contains(c);
        let opens_html = |j: usize| match chars.get(j + 1) {
            None => true,
            Some(&c) if c.is_ascii_alphabetic() || "/!?".contains(c) => true,
            Some(&c) if address(c) => {
                let stop = chars[j + 1..].iter().find(|&&c| !address(c));
                stop.is_none() || stop == Some(&'@')
            }
            Some(_) => false,
        };
        let opens_reference = |j: usize| {
            let rest: String = chars[j + 1..].iter().collect();
            let body = |r: &str, ok: fn(char) -> bool| {
                let n = r.chars().take_while(|&c| ok(c)).count();
                n > 0 && r[n..].starts_with(';')
            };
            rest.is_empty()
                || rest
                    .strip_prefix("#x")
                    .or_else(|| rest.strip_prefix("#X"))
                    .map_or_else(
                        || {
                            rest.strip_prefix('#').map_or_else(
                                || body(&rest, |c| c.is_ascii_alphanumeric()),
                                |r| body(r, |c| c.is_ascii_digit()),
                            )
                        },
                        |r| body(r, |c| c.is_ascii_hexdigit()),
                    )
        };
        let mut out = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let always = matches!(
                c,
                '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '|' | '~'
            );
            let at_start = i == lead && matches!(c, '#' | '-' | '+' | '=' | '>');
            let list = digits > 0 && ends_marker && i == lead + digits && matches!(c, '.' | ')');
            match c {
                _ if always || at_start || list => {
                    out.push('\\');
                    out.push(c);
                }
                '<' if opens_html(i) => out.push_str("&lt;"),
                '&' if opens_reference(i) => out.push_str("&amp;"),
                _ => out.push(c),
            }
        }
        out
    }

    /// The property that matters: an escaped value, wherever a template puts it in a line (on
    /// its own, in a list item, in a table cell, after text), parses back to exactly its text,
    /// with no Markdown construct but code spans, in the parser the HTML output uses. (Backticks
    /// are left out of the comparison: a code span shows its content without them.)
    #[test]
    fn escaped_values_parse_back_to_plain_text() {
        use proptest::prelude::*;
        use pulldown_cmark::{Event, Parser, Tag, TagEnd};
        fn plain_text(md: &str) -> Result<String, String> {
            let mut text = String::new();
            for e in Parser::new_ext(md, crate::docs::html::options()) {
                match e {
                    Event::Text(t) | Event::Code(t) => text.push_str(&t),
                    Event::Start(
                        Tag::Paragraph
                        | Tag::List(None)
                        | Tag::Item
                        | Tag::Table(_)
                        | Tag::TableHead
                        | Tag::TableRow
                        | Tag::TableCell,
                    )
                    | Event::End(
                        TagEnd::Paragraph
                        | TagEnd::List(false)
                        | TagEnd::Item
                        | TagEnd::Table
                        | TagEnd::TableHead
                        | TagEnd::TableRow
                        | TagEnd::TableCell,
                    ) => {}
                    other => return Err(format!("{other:?} in {md:?}")),
                }
            }
            Ok(text)
        }
        let check = |s: &str| -> Result<(), TestCaseError> {
            let e = markdown(s);
            let text = s.trim_matches(' ');
            for (md, want) in [
                (e.clone(), text.to_string()),
                (format!("- {e}"), text.to_string()),
                (format!("x {e}"), format!("x {text}").trim_end().to_string()),
                (format!("| h |\n|---|\n| {e} |"), format!("h{text}")),
            ] {
                let got = plain_text(&md).map_err(TestCaseError::fail)?;
                prop_assert_eq!(got.replace('`', ""), want.replace('`', ""), "{:?}", md);
            }
            Ok(())
        };
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: 2_000,
            ..ProptestConfig::default()
        });
        runner
            .run(
                &"[ a-zA-Z0-9\\-.#+=>*_`~|{}\\[\\]()!:;<&\"'\\\\/?@$%^,中文，。]{0,24}",
                |s| check(&s),
            )
            .expect("escaped values stay plain text");
        for s in [
            "- x",
            "+ x",
            "* x",
            "# x",
            "> x",
            "=== ",
            "---",
            "1. x",
            "12) x",
            "   4. x",
            "***",
            "___",
            "`x`",
            "<b>",
            "&amp;",
            "[a](b)",
            "![i](x)",
            "a|b",
            "~~s~~",
            "{#id}",
            "x\\",
            "<http://x>",
            "<me@x.org>",
            "<1+a.b@x.org>",
            "a <= b",
            "<3 x",
            "&copy; &#60; &#x3c;",
            "R&D &amp",
            "<&x@y.z>",
            "<!-- x -->",
            "<?php",
            "\"t\" 'q'",
            "2026-11-26",
            "run `npm ci` first",
            "`a`b`c`",
            "`[x](y)` and `<b>`",
            "``",
            "` `",
            "`{{s}}`",
            "`a|b`",
            "- `x`",
        ] {
            check(s).expect(s);
        }
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
                c if (c.is_control() || is_bidi_control(c)) && c != '\n' && c != '\t' => {
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
