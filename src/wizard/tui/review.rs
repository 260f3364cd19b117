//! The review screens of `agentguard review`, drawn in the wizard's frame like every other
//! screen: the overview of what changed since the last review (the same lines `--dry-run`
//! prints), the screen that confirms one section's stale answers with one key, and the screen
//! that decides on an acceptance that expired or ends soon, a single-choice list drawn with the
//! question screen's rows. The questions asked again use the question screen itself.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::review::Renewal;
use crate::wizard::flow::{Command, Context, Flow, Screen, renewal_command};

use super::frame::bordered;
use super::keys::key_for;
use super::question::option_line;
use super::text::{fit, t, tr, trf, u16_of, wrap};
use super::theme::Theme;

pub struct ReviewView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for ReviewView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        match self.flow.screen() {
            Screen::Confirm => self.render_confirm(area, buf),
            Screen::Acceptance => self.render_acceptance(area, buf),
            _ => self.render_overview(area, buf),
        }
    }
}

impl ReviewView<'_> {
    fn render_overview(&self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let Some(r) = f.review_walk() else {
            return;
        };
        let block = bordered(&tr(f, "review.title"), th, true);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let [body, hint] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(2)]).areas(inner);
        let mut lines: Vec<Line> = Vec::new();
        for l in crate::review::lines(f.knowledge(), f.ui(), f.lang(), &r.plan, f.findings()) {
            let text = t(l.text.trim_start());
            if l.heading {
                lines.push(Line::default());
                for part in wrap(&text, w) {
                    lines.push(Line::styled(part, th.title));
                }
                continue;
            }
            // Items sit under their heading; a wrapped item keeps its indent.
            let indented = l.text.starts_with(' ');
            let (first, rest) = if indented { ("  ", "    ") } else { ("", "  ") };
            for (i, part) in wrap(&text, w.saturating_sub(4)).into_iter().enumerate() {
                let indent = if i == 0 { first } else { rest };
                lines.push(Line::styled(format!("{indent}{part}"), th.text));
            }
        }
        let max_scroll = lines.len().saturating_sub(usize::from(body.height));
        let scroll = usize::from(r.scroll).min(max_scroll);
        Paragraph::new(lines)
            .scroll((u16_of(scroll), 0))
            .render(body, buf);
        let key = key_for(Context::Review, Command::Accept).unwrap_or_default();
        let text = if r.done {
            trf(f, "review.overview.done", &[("key", key)])
        } else if r.steps.is_empty() {
            trf(f, "review.overview.nothing_to_ask", &[("key", key)])
        } else {
            trf(
                f,
                "review.overview.start",
                &[("key", key), ("steps", r.steps.len().to_string())],
            )
        };
        let hint_lines: Vec<Line> = wrap(&text, w)
            .into_iter()
            .take(2)
            .map(|l| Line::styled(l, th.key))
            .collect();
        Paragraph::new(hint_lines).render(hint, buf);
    }

    fn render_confirm(&self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let k = f.knowledge();
        let questions = f.confirm_questions();
        let section = questions
            .first()
            .map(|&q| k.questionnaire.questions[q].section)
            .unwrap_or_default();
        let title = trf(
            f,
            "review.confirm.title",
            &[(
                "section",
                t(k.questionnaire.sections[section].title.get(f.lang())),
            )],
        );
        let block = bordered(&title, th, true);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let [body, hint] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(2)]).areas(inner);
        let mut lines: Vec<Line> = Vec::new();
        let (step, steps) = f.review_step().unwrap_or((0, 0));
        let intro = trf(
            f,
            "review.confirm.intro",
            &[
                ("days", f.assessment().review_interval_days.to_string()),
                ("step", step.to_string()),
                ("steps", steps.to_string()),
            ],
        );
        for l in wrap(&intro, w) {
            lines.push(Line::styled(l, th.dim));
        }
        lines.push(Line::default());
        let selected = f.review_walk().map_or(0, |r| r.selected);
        let selected_line = lines.len() + 2 * selected;
        for (i, &q) in questions.iter().enumerate() {
            let question = &k.questionnaire.questions[q];
            let answer = f
                .assessment()
                .answers
                .get(&question.id)
                .map_or_else(String::new, |a| {
                    crate::evaluate::answer_labels(k, q, &a.value, f.lang())
                });
            let mark = if i == selected { "▸ " } else { "  " };
            let style = if i == selected { th.selected } else { th.text };
            lines.push(Line::styled(
                fit(&format!("{mark}{}", t(question.prompt.get(f.lang()))), w),
                style,
            ));
            lines.push(Line::styled(
                fit(&format!("    → {}", t(&answer)), w),
                th.dim,
            ));
        }
        // Keep the selected answer (two lines) in view.
        let scroll = (selected_line + 2).saturating_sub(usize::from(body.height));
        Paragraph::new(lines)
            .scroll((u16_of(scroll), 0))
            .render(body, buf);
        let confirm = key_for(Context::Confirm, Command::Accept).unwrap_or_default();
        let change = key_for(Context::Confirm, Command::Toggle).unwrap_or_default();
        let hint_lines: Vec<Line> = wrap(
            &trf(
                f,
                "review.confirm.hint",
                &[("confirm", confirm), ("change", change)],
            ),
            w,
        )
        .into_iter()
        .take(2)
        .map(|l| Line::styled(l, th.key))
        .collect();
        Paragraph::new(hint_lines).render(hint, buf);
    }

    fn render_acceptance(&self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let Some(a) = f.acceptance() else {
            return;
        };
        let (step, steps) = f.review_step().unwrap_or((0, 0));
        let title = trf(
            f,
            "review.acceptance.title",
            &[("step", step.to_string()), ("steps", steps.to_string())],
        );
        let block = bordered(&title, th, true);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let [body, hint] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(2)]).areas(inner);
        let mut lines: Vec<Line> = Vec::new();
        for l in wrap(&t(&a.heading), w) {
            lines.push(Line::styled(l, th.title));
        }
        for (i, text) in a.lines.iter().enumerate() {
            // The first line says when it ends: in the warning colour once it has ended.
            let expired = i == 0 && a.expired;
            for l in wrap(&t(text), w) {
                lines.push(Line::styled(l, if expired { th.high } else { th.text }));
            }
        }
        lines.push(Line::default());
        for l in wrap(&t(&a.prompt), w) {
            lines.push(Line::styled(l, th.text));
        }
        let mut keys = Vec::new();
        for (i, (choice, label)) in Renewal::ALL.iter().zip(&a.choices).enumerate() {
            let key = key_for(Context::Acceptance, renewal_command(*choice)).unwrap_or_default();
            let on = i == a.selected;
            let parts = wrap(&format!("{key}  {}", t(label)), w.saturating_sub(6));
            for (j, part) in parts.iter().enumerate() {
                if j == 0 {
                    lines.push(option_line("( )", part, on, w, th));
                } else {
                    let style = if on { th.selected } else { th.text };
                    lines.push(Line::styled(fit(&format!("      {part}"), w), style));
                }
            }
            keys.push(key);
        }
        Paragraph::new(lines).render(body, buf);
        let accept = key_for(Context::Acceptance, Command::Accept).unwrap_or_default();
        let hint_lines: Vec<Line> = wrap(
            &trf(
                f,
                "review.acceptance.hint",
                &[("keys", keys.join("/")), ("accept", accept)],
            ),
            w,
        )
        .into_iter()
        .take(2)
        .map(|l| Line::styled(l, th.key))
        .collect();
        Paragraph::new(hint_lines).render(hint, buf);
    }
}
