//! Text helpers shared by every screen: escaping catalog and user text for the terminal,
//! display widths, wrapping (at spaces, and between wide CJK characters), cutting and padding to
//! columns, and the translated strings of the wizard's language.

use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::model::Severity;
use crate::wizard::flow::Flow;

/// Catalog and user text, made safe for the terminal.
pub(super) fn t(s: &str) -> String {
    crate::escape::terminal(s, true)
}

pub(super) fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

pub(super) fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Wraps text to `max` columns: at spaces between words, and between any two wide (CJK)
/// characters; a word longer than a line is cut. `\n` starts a new line.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        let mut tokens: Vec<String> = Vec::new();
        let mut word = String::new();
        for c in para.chars() {
            let c = if c == '\t' { ' ' } else { c };
            if c == ' ' || char_width(c) > 1 {
                if !word.is_empty() {
                    tokens.push(std::mem::take(&mut word));
                }
                tokens.push(c.to_string());
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            tokens.push(word);
        }
        for tok in tokens {
            let tw = width(&tok);
            if tok == " " {
                if w > 0 && w < max {
                    line.push(' ');
                    w += 1;
                }
                continue;
            }
            if w + tw > max && w > 0 {
                // Line-breaking rules for CJK: a closing mark does not start a line and an
                // opening mark does not end one, so one character moves down with it.
                let mut carry = String::new();
                let closing = tok.chars().next().is_some_and(is_closing);
                if let Some(c) = line.chars().last()
                    && ((closing && char_width(c) > 1 && !is_closing(c)) || is_opening(c))
                {
                    line.pop();
                    carry.push(c);
                }
                lines.push(line.trim_end().to_string());
                w = width(&carry);
                line = carry;
            }
            if tw > max {
                for c in tok.chars() {
                    let cw = char_width(c);
                    if w + cw > max {
                        lines.push(std::mem::take(&mut line));
                        w = 0;
                    }
                    line.push(c);
                    w += cw;
                }
            } else {
                line.push_str(&tok);
                w += tw;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

fn is_closing(c: char) -> bool {
    "，。、；：！？）》」』”’".contains(c)
}

fn is_opening(c: char) -> bool {
    "（《「『“‘".contains(c)
}

/// Cuts text to `max` columns, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads (or cuts) text to exactly `cols` columns.
pub(super) fn pad(s: &str, cols: usize) -> String {
    let s = fit(s, cols);
    let w = width(&s);
    format!("{s}{}", " ".repeat(cols.saturating_sub(w)))
}

/// Lays spans out on lines of `max` columns, breaking only between spans; a separator span
/// (" · ") at the start of a line is dropped.
pub(super) fn span_lines(spans: Vec<Span<'static>>, max: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut w = 0;
    for s in spans {
        let sw = width(&s.content);
        if w + sw > max && !cur.is_empty() {
            if cur.last().is_some_and(|l| l.content == " · ") {
                cur.pop();
            }
            lines.push(Line::from(std::mem::take(&mut cur)));
            w = 0;
        }
        if w == 0 && s.content == " · " {
            continue;
        }
        w += sw;
        cur.push(s);
    }
    if !cur.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

pub(super) fn u16_of(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

pub(super) fn sev_label(flow: &Flow<'_>, s: Severity) -> String {
    flow.ui()
        .get(flow.lang(), &format!("severity.{}", s.code()))
}

/// Width of the severity column: the widest severity name in the current language.
pub(super) fn sev_col(flow: &Flow<'_>) -> usize {
    Severity::ALL
        .iter()
        .map(|&s| width(&sev_label(flow, s)))
        .max()
        .unwrap_or(8)
}

pub(super) fn tr(flow: &Flow<'_>, key: &str) -> String {
    flow.ui().get(flow.lang(), key)
}

pub(super) fn trf(flow: &Flow<'_>, key: &str, args: &[(&str, String)]) -> String {
    flow.ui().fmt(flow.lang(), key, args)
}
