//! The question screen: the section list on the left and the current question with its
//! options or input line in the centre (the risk panel beside it lives in `risk`).

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::model::{QuestionKind, Value};
use crate::wizard::flow::{Command, Flow, LineInput, Screen};

use super::frame::bordered;
use super::keys::key_for;
use super::text::{char_width, fit, pad, t, tr, trf, u16_of, width, wrap};
use super::theme::Theme;

pub struct Sections<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for Sections<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let block = bordered(&tr(f, "wizard.sections"), self.theme, false);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let current = f.question().section;
        let progress = f.sections();
        let mut lines = Vec::new();
        for (i, (s, p)) in f
            .knowledge()
            .questionnaire
            .sections
            .iter()
            .zip(&progress)
            .enumerate()
        {
            if p.visible == 0 {
                continue;
            }
            let mark = if i == current && f.screen() == Screen::Question {
                "▸"
            } else if p.answered == p.visible {
                "✓"
            } else {
                " "
            };
            let count = format!("{}/{}", p.answered, p.visible);
            let high = if p.has_open_high { "▲" } else { " " };
            let title_w = w.saturating_sub(5 + width(&count));
            let title = pad(&t(s.title.get(f.lang())), title_w);
            let style = if i == current {
                self.theme.title
            } else if p.answered == p.visible {
                self.theme.ok
            } else {
                self.theme.text
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::styled(title, style),
                Span::styled(format!(" {count}"), self.theme.dim),
                Span::styled(format!(" {high}"), self.theme.high),
            ]));
        }
        let open_high = progress.iter().any(|p| p.has_open_high);
        if open_high && usize::from(inner.height) > lines.len() + 1 {
            lines.push(Line::default());
            for l in wrap(&format!("▲ {}", tr(f, "wizard.sections.high")), w) {
                lines.push(Line::styled(l, self.theme.dim));
            }
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

pub struct QuestionView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
    pub cursor: Cell<Option<Position>>,
}

impl QuestionView<'_> {
    /// The rows of the answer area: options, or the input box (3 rows) and its "not sure" row.
    fn body(&self, w: usize, area_top: u16, area_x: u16) -> Vec<Line<'static>> {
        let f = self.flow;
        let q = f.question();
        let edit = f.edit();
        let th = self.theme;
        let mut rows = Vec::new();
        match q.kind {
            QuestionKind::Text | QuestionKind::Number => {
                let focus = edit.cursor == 0;
                let title = if q.kind == QuestionKind::Number {
                    q.unit
                        .as_ref()
                        .map(|u| t(u.get(f.lang())))
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                let inner_w = w.saturating_sub(4).max(1);
                let (shown, cursor_col) = input_window(&edit.input, inner_w);
                let bstyle = if focus { th.focus_border } else { th.border };
                let top_fill = inner_w + 2 - width(&title).min(inner_w + 2);
                rows.push(Line::styled(
                    format!("╭{}{}╮", fit(&title, inner_w + 2), "─".repeat(top_fill)),
                    bstyle,
                ));
                rows.push(Line::from(vec![
                    Span::styled("│ ", bstyle),
                    Span::styled(pad(&shown, inner_w), th.text),
                    Span::styled(" │", bstyle),
                ]));
                rows.push(Line::styled(
                    format!("╰{}╯", "─".repeat(inner_w + 2)),
                    bstyle,
                ));
                if focus {
                    self.cursor.set(Some(Position::new(
                        area_x + 2 + u16_of(cursor_col),
                        area_top + 1,
                    )));
                }
                if f.has_not_sure_row() {
                    let on = edit.cursor == 1;
                    let chosen = matches!(
                        f.current_answer().map(|a| &a.value),
                        Some(Value::Choice(c)) if c == crate::model::NOT_SURE
                    );
                    let label = q
                        .option(crate::model::NOT_SURE)
                        .map_or_else(|| tr(f, "choice.not_sure"), |o| t(o.label.get(f.lang())));
                    let text = format!(
                        "{} {} {label}",
                        if on { "❯" } else { " " },
                        if chosen { "(•)" } else { "( )" }
                    );
                    rows.push(Line::styled(
                        pad(&text, w),
                        if on { th.selected } else { th.text },
                    ));
                }
            }
            _ => {
                let multiple = q.kind == QuestionKind::Multiple;
                for (i, &o) in f.offered().iter().enumerate() {
                    let opt = &q.options[o];
                    let mark = if multiple {
                        if edit.checked.get(i).copied().unwrap_or(false) {
                            "[x]"
                        } else {
                            "[ ]"
                        }
                    } else if edit.chosen == Some(i) {
                        "(•)"
                    } else {
                        "( )"
                    };
                    rows.push(option_line(
                        mark,
                        &t(opt.label.get(f.lang())),
                        i == edit.cursor,
                        w,
                        th,
                    ));
                }
            }
        }
        rows
    }
}

/// One row of a choice list, as the question screen draws it: the cursor, the mark (`( )`,
/// `(•)`, `[x]`) and the label (already escaped), `w` columns wide.
pub(super) fn option_line(
    mark: &str,
    label: &str,
    on: bool,
    w: usize,
    th: &Theme,
) -> Line<'static> {
    let text = format!("{} {mark} {label}", if on { "❯" } else { " " });
    Line::styled(pad(&text, w), if on { th.selected } else { th.text })
}

/// The part of an input line that fits `cols` columns with the cursor in view, and the cursor's
/// column within it.
pub(super) fn input_window(input: &LineInput, cols: usize) -> (String, usize) {
    let chars: Vec<char> = input.text().chars().collect();
    let cur = input.cursor();
    // Start far enough right that the cursor (plus one cell for it) fits.
    let mut start = 0;
    let width_between =
        |a: usize, b: usize| -> usize { chars[a..b].iter().map(|&c| char_width(c)).sum() };
    while start < cur && width_between(start, cur) + 1 > cols {
        start += 1;
    }
    let mut shown = String::new();
    let mut w = 0;
    for &c in &chars[start..] {
        let cw = char_width(c);
        if w + cw > cols {
            break;
        }
        shown.push(c);
        w += cw;
    }
    (t(&shown), width_between(start, cur))
}

impl Widget for &QuestionView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let q = f.question();
        let lang = f.lang();
        let th = self.theme;
        let section = &f.knowledge().questionnaire.sections[q.section];
        let (step, total) = f.step();
        let step = trf(
            f,
            "wizard.step",
            &[("step", step.to_string()), ("total", total.to_string())],
        );
        // The counter stays whole; a long section name is cut instead.
        let room = usize::from(area.width).saturating_sub(width(&step) + 7);
        let title = format!("{} · {step}", fit(&t(section.title.get(lang)), room));
        let block = bordered(&title, th, true);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let avail = usize::from(inner.height);
        let ctx = f.base_context();

        let prompt: Vec<Line> = wrap(&t(q.prompt.get(lang)), w)
            .into_iter()
            .map(|l| Line::styled(l, th.title))
            .collect();
        let mut scan: Vec<Line> = Vec::new();
        if let Some(a) = f.current_answer().filter(|_| f.edit().from_scan) {
            let text = trf(
                f,
                "wizard.scan.suggested",
                &[("evidence", t(a.evidence.as_deref().unwrap_or("—")))],
            );
            scan.extend(
                wrap(&format!("⚑ {text}"), w)
                    .into_iter()
                    .map(|l| Line::styled(l, th.mark)),
            );
        }
        let help: Vec<String> = q
            .help
            .as_ref()
            .map(|h| wrap(&t(h.get(lang)), w))
            .unwrap_or_default();
        let option_help: Vec<String> = if q.kind.has_options() {
            f.offered()
                .get(f.edit().cursor)
                .and_then(|&o| q.options[o].help.as_ref())
                .map(|h| wrap(&t(h.get(lang)), w.saturating_sub(6)))
                .unwrap_or_default()
                .into_iter()
                .take(2)
                .collect()
        } else {
            Vec::new()
        };
        let why_key = key_for(ctx, Command::ToggleWhy).unwrap_or_default();
        let why_head = format!(
            "{} {} ({why_key})",
            if f.why_open() { "▾" } else { "▸" },
            tr(f, "wizard.why")
        );
        let why_text: Vec<String> = if f.why_open() {
            wrap(&t(q.why.get(lang)), w.saturating_sub(2))
        } else {
            Vec::new()
        };
        let body = self.body(w, 0, 0);

        // Space: prompt and the answer area first, then help, then the "why" text.
        let fixed = prompt.len() + 1 + scan.len() + option_help.len() + 2;
        let rest = avail.saturating_sub(fixed);
        let body_min = body.len().min(4).min(rest);
        let (help_h, body_h, why_h);
        if f.why_open() {
            why_h = why_text.len().min(rest.saturating_sub(body_min));
            body_h = body.len().min(rest.saturating_sub(why_h));
            help_h = 0;
        } else {
            why_h = 0;
            // Every option if possible, keeping two lines of help (cut with "…").
            let help_room = if help.is_empty() {
                0
            } else {
                help.len().min(2) + 1
            };
            body_h = body.len().min(rest.saturating_sub(help_room).max(body_min));
            help_h = help
                .len()
                .min(rest.saturating_sub(body_h).saturating_sub(1));
        }

        let mut lines: Vec<Line> = Vec::new();
        lines.extend(prompt);
        lines.extend(scan);
        if help_h > 0 {
            for (i, l) in help.iter().take(help_h).enumerate() {
                let l = if i + 1 == help_h && help.len() > help_h {
                    fit(&format!("{l}…"), w)
                } else {
                    l.clone()
                };
                lines.push(Line::styled(l, th.dim));
            }
        }
        lines.push(Line::default());
        let body_top = lines.len();
        // A window over the options that keeps the cursor in view.
        let cursor_row = if q.kind.has_options() {
            f.edit().cursor
        } else {
            0
        };
        let start = if body.len() > body_h && body_h > 0 {
            (cursor_row + 1)
                .saturating_sub(body_h)
                .min(body.len() - body_h)
        } else {
            0
        };
        let more_above = start > 0;
        let more_below = start + body_h < body.len();
        for (i, l) in body.into_iter().skip(start).take(body_h).enumerate() {
            let last = i + 1 == body_h;
            if (i == 0 && more_above) || (last && more_below) {
                let arrow = if i == 0 && more_above { "↑" } else { "↓" };
                let mut spans = l.spans.clone();
                if let Some(s) = spans.last_mut() {
                    let c = s.content.to_string();
                    let keep = fit(c.trim_end(), w.saturating_sub(2));
                    s.content = pad(&format!("{keep} {arrow}"), w).into();
                }
                lines.push(Line::from(spans).style(l.style));
            } else {
                lines.push(l);
            }
        }
        for l in &option_help {
            lines.push(Line::styled(format!("      {l}"), th.dim));
        }
        lines.push(Line::default());
        lines.push(Line::styled(why_head, th.accent));
        for l in why_text.into_iter().take(why_h) {
            lines.push(Line::styled(format!("  {l}"), th.text));
        }
        // The input box cursor, now that its row is known.
        if matches!(q.kind, QuestionKind::Text | QuestionKind::Number) {
            let _ = self.body(w, inner.y + u16_of(body_top), inner.x);
        }
        Paragraph::new(lines).render(inner, buf);
    }
}
