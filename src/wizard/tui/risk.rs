//! The risk panel beside the question: open threats by severity and by dimension (the blind
//! spots), what the last answer settled, and how many threats are still possible.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::model::{Dimension, Severity};
use crate::wizard::flow::Flow;

use super::frame::bordered;
use super::text::{fit, pad, sev_col, sev_label, span_lines, t, tr, trf, wrap};
use super::theme::Theme;

pub struct RiskPanel<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
    pub compact: bool,
}

pub(super) struct Counts {
    pub(super) open: [usize; 4],
    pub(super) possible: usize,
    pub(super) dims: Vec<(Dimension, usize)>,
}

pub(super) fn counts(f: &Flow<'_>) -> Counts {
    let cat = &f.knowledge().catalog;
    let mut open = [0; 4];
    let mut dims: Vec<(Dimension, usize)> = Dimension::ALL.iter().map(|&d| (d, 0)).collect();
    for x in f.findings().definite().filter(|x| x.is_open()) {
        open[3 - x.severity as usize] += 1;
        let d = cat.threats[x.threat].dimension;
        if let Some(e) = dims.iter_mut().find(|(dd, _)| *dd == d) {
            e.1 += 1;
        }
    }
    Counts {
        open,
        possible: f.findings().possible().count(),
        dims,
    }
}

pub(super) const SEVERITIES_DESC: [Severity; 4] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
];

impl Widget for RiskPanel<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let block = if self.compact {
            Block::new()
                .borders(Borders::TOP)
                .border_style(th.border)
                .title(Span::styled(
                    format!(" {} ", tr(f, "wizard.risk.title")),
                    th.title,
                ))
        } else {
            bordered(&tr(f, "wizard.risk.title"), th, false)
        };
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let c = counts(f);
        let total: usize = c.open.iter().sum();
        let cat = &f.knowledge().catalog;
        let mut lines: Vec<Line> = Vec::new();
        let new: Vec<Line> = f
            .new_threats()
            .iter()
            .map(|&ti| {
                let th_ = &cat.threats[ti];
                let sev = f
                    .findings()
                    .findings
                    .iter()
                    .find(|x| x.threat == ti)
                    .map_or(th_.severity, |x| x.severity);
                let badge = format!("{} ", pad(&sev_label(f, sev), sev_col(f)));
                let title_w = w.saturating_sub(3 + sev_col(f));
                let title = t(th_.title.get(f.lang()));
                // On the wide layout there is room for whole titles; compact cuts them.
                let parts = if self.compact {
                    vec![fit(&title, title_w)]
                } else {
                    wrap(&title, title_w)
                };
                parts
                    .into_iter()
                    .enumerate()
                    .map(|(i, part)| {
                        if i == 0 {
                            Line::from(vec![
                                Span::styled("+ ", th.error),
                                Span::styled(badge.clone(), th.severity(sev)),
                                Span::raw(part),
                            ])
                        } else {
                            Line::raw(format!("{}{part}", " ".repeat(3 + sev_col(f))))
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect();
        if self.compact {
            let mut spans = vec![Span::styled(
                trf(f, "wizard.risk.open", &[("count", total.to_string())]),
                th.title,
            )];
            for (i, s) in SEVERITIES_DESC.iter().enumerate() {
                spans.push(Span::raw(" · "));
                spans.push(Span::styled(
                    format!("{} {}", sev_label(f, *s), c.open[i]),
                    th.severity(*s),
                ));
            }
            spans.push(Span::raw(" · "));
            spans.push(Span::styled(
                trf(
                    f,
                    "wizard.risk.possible_short",
                    &[("count", c.possible.to_string())],
                ),
                th.dim,
            ));
            lines.extend(span_lines(spans, w));
            let mut dims = Vec::new();
            for (i, (d, n)) in c.dims.iter().enumerate() {
                if i > 0 {
                    dims.push(Span::raw(" · "));
                }
                dims.push(Span::raw(format!(
                    "{}{} {n}",
                    tr(f, &format!("dimension.{}", d.code())),
                    if d.is_blind_spot() { " ◆" } else { "" }
                )));
            }
            lines.extend(span_lines(dims, w));
            if new.is_empty() {
                lines.push(Line::styled(self.last_answer_text(), th.dim));
            } else {
                let room = usize::from(inner.height).saturating_sub(lines.len());
                let more = new.len().saturating_sub(room);
                let shown = if more > 0 {
                    room.saturating_sub(1)
                } else {
                    room
                };
                lines.extend(new.into_iter().take(shown));
                if more > 0 {
                    lines.push(Line::styled(
                        trf(f, "wizard.risk.more", &[("count", (more + 1).to_string())]),
                        th.dim,
                    ));
                }
            }
        } else {
            lines.push(Line::styled(
                trf(f, "wizard.risk.open", &[("count", total.to_string())]),
                th.title,
            ));
            for (i, s) in SEVERITIES_DESC.iter().enumerate() {
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(pad(&sev_label(f, *s), 10), th.severity(*s)),
                    Span::raw(format!("{:>3}", c.open[i])),
                ]));
            }
            for l in wrap(
                &trf(
                    f,
                    "wizard.risk.possible",
                    &[("count", c.possible.to_string())],
                ),
                w,
            ) {
                lines.push(Line::styled(l, th.dim));
            }
            lines.push(Line::default());
            lines.push(Line::styled(tr(f, "wizard.risk.by_dimension"), th.title));
            for (d, n) in &c.dims {
                let name = format!(
                    "{}{}",
                    tr(f, &format!("dimension.{}", d.code())),
                    if d.is_blind_spot() { " ◆" } else { "" }
                );
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::raw(pad(&name, w.saturating_sub(6))),
                    Span::raw(format!("{n:>3}")),
                ]));
            }
            for l in wrap(
                &format!("◆ {}", tr(f, "wizard.risk.blind_spot")),
                w.saturating_sub(2),
            ) {
                lines.push(Line::styled(format!("  {l}"), th.dim));
            }
            lines.push(Line::default());
            lines.push(Line::styled(tr(f, "wizard.risk.last_answer"), th.title));
            if new.is_empty() {
                lines.push(Line::styled(self.last_answer_text(), th.dim));
            } else {
                let room = usize::from(inner.height).saturating_sub(lines.len() + 1);
                let more = new.len().saturating_sub(room);
                lines.extend(new.into_iter().take(room));
                if more > 0 {
                    lines.push(Line::styled(
                        trf(f, "wizard.risk.more", &[("count", more.to_string())]),
                        th.dim,
                    ));
                }
            }
            if f.settled() > 0 {
                lines.push(Line::styled(
                    trf(
                        f,
                        "wizard.risk.settled",
                        &[("count", f.settled().to_string())],
                    ),
                    th.ok,
                ));
            }
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

impl RiskPanel<'_> {
    fn last_answer_text(&self) -> String {
        let f = self.flow;
        if f.settled() > 0 {
            trf(
                f,
                "wizard.risk.settled",
                &[("count", f.settled().to_string())],
            )
        } else {
            tr(f, "wizard.risk.nothing_new")
        }
    }
}
