//! The summary screen (findings by severity with a preview) and the drill-down of one finding:
//! why it applies, what to do, and the decisions recorded on it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::evaluate::{Certainty, MitigationState};
use crate::model::{DecisionStatus, FactValue};
use crate::report::WhyView;
use crate::wizard::flow::{Flow, Screen, SummaryRow};

use super::frame::{WIDE, bordered};
use super::risk::{SEVERITIES_DESC, counts};
use super::text::{fit, pad, sev_col, sev_label, t, tr, trf, u16_of, width, wrap};
use super::theme::Theme;

pub struct SummaryView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for SummaryView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let wide = area.width >= WIDE;
        let (list_area, preview_area) = if wide {
            let [l, p] =
                Layout::horizontal([Constraint::Percentage(58), Constraint::Fill(1)]).areas(area);
            (l, Some(p))
        } else {
            (area, None)
        };
        let block = bordered(&tr(f, "wizard.summary.title"), th, true);
        let inner = block.inner(list_area);
        block.render(list_area, buf);
        let w = usize::from(inner.width);
        let tally = counts(f);
        let mut head: Vec<Line> = Vec::new();
        let unanswered = f.findings().unanswered.len();
        let mut progress = trf(
            f,
            "wizard.summary.progress",
            &[
                ("answered", f.answered_count().to_string()),
                ("visible", f.findings().visible.len().to_string()),
            ],
        );
        if unanswered > 0 {
            progress.push_str(&trf(
                f,
                "wizard.summary.unanswered",
                &[("count", unanswered.to_string())],
            ));
        }
        for l in wrap(&progress, w) {
            head.push(Line::styled(
                l,
                if unanswered > 0 { th.mark } else { th.text },
            ));
        }
        let mut spans = vec![Span::styled(
            trf(
                f,
                "wizard.risk.open",
                &[("count", tally.open.iter().sum::<usize>().to_string())],
            ),
            th.title,
        )];
        for (i, s) in SEVERITIES_DESC.iter().enumerate() {
            spans.push(Span::raw(" · "));
            spans.push(Span::styled(
                format!("{} {}", sev_label(f, *s), tally.open[i]),
                th.severity(*s),
            ));
        }
        head.push(Line::from(spans));
        head.push(Line::default());

        let rows = f.summary_rows();
        let list_h = usize::from(inner.height).saturating_sub(head.len());
        let sel = f.summary_selected();
        let start = if rows.len() > list_h && list_h > 0 {
            (sel + 2).saturating_sub(list_h).min(rows.len() - list_h)
        } else {
            0
        };
        let cat = &f.knowledge().catalog;
        let scores = &f.findings().scores;
        let mut lines = head;
        if rows.is_empty() {
            lines.push(Line::styled(tr(f, "report.no_findings"), th.dim));
        }
        for (i, row) in rows.iter().enumerate().skip(start).take(list_h) {
            match *row {
                SummaryRow::Heading(Some(d)) => {
                    let s = scores.iter().find(|s| s.dimension == Some(d));
                    let counts = s.map_or(String::new(), |s| {
                        trf(
                            f,
                            "wizard.summary.dimension_counts",
                            &[
                                ("handled", s.handled.to_string()),
                                ("applicable", s.applicable.to_string()),
                            ],
                        )
                    });
                    let name = tr(f, &format!("dimension.{}", d.code()));
                    let blind = if d.is_blind_spot() {
                        format!(" ◆ {}", tr(f, "wizard.risk.blind_spot"))
                    } else {
                        String::new()
                    };
                    let left = format!("{name}{blind}");
                    lines.push(Line::from(vec![
                        Span::styled(pad(&left, w.saturating_sub(width(&counts) + 1)), th.accent),
                        Span::styled(format!(" {counts}"), th.dim),
                    ]));
                }
                SummaryRow::Heading(None) => {
                    lines.push(Line::styled(
                        fit(&tr(f, "wizard.summary.possible"), w),
                        th.accent,
                    ));
                }
                SummaryRow::Finding(fi) => {
                    let x = &f.findings().findings[fi];
                    let threat = &cat.threats[x.threat];
                    let status = if x.certainty == Certainty::Possible {
                        tr(f, "wizard.summary.possible_status")
                    } else {
                        tr(f, Flow::status_key(x))
                    };
                    let status = fit(&status, 14);
                    let on = i == sel;
                    let col = sev_col(f);
                    let badge = pad(&sev_label(f, x.severity), col);
                    let title_w = w.saturating_sub(4 + col + width(&status) + 1);
                    let style = if on { th.selected } else { th.text };
                    lines.push(Line::from(vec![
                        Span::styled(if on { " ❯ " } else { "   " }, style),
                        Span::styled(badge, if on { style } else { th.severity(x.severity) }),
                        Span::styled(
                            format!(" {}", pad(&t(threat.title.get(f.lang())), title_w)),
                            style,
                        ),
                        Span::styled(
                            format!(" {status}"),
                            if on {
                                style
                            } else if x.is_open() {
                                th.text
                            } else {
                                th.ok
                            },
                        ),
                    ]));
                }
            }
        }
        Paragraph::new(lines).render(inner, buf);

        if let Some(p) = preview_area {
            let block = bordered(&tr(f, "wizard.summary.preview"), th, false);
            let inner = block.inner(p);
            block.render(p, buf);
            if let Some(SummaryRow::Finding(fi)) = rows.get(sel) {
                let x = &f.findings().findings[*fi];
                let lines = detail_lines(f, th, x.threat, usize::from(inner.width), false).0;
                Paragraph::new(lines).render(inner, buf);
            }
        }
    }
}

/// The drill-down text of a finding, and the line where each mitigation starts.
fn detail_lines(
    f: &Flow<'_>,
    th: &Theme,
    threat: usize,
    w: usize,
    full: bool,
) -> (Vec<Line<'static>>, Vec<usize>, usize) {
    let k = f.knowledge();
    let lang = f.lang();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut starts = Vec::new();
    let Some(finding) = f
        .findings()
        .findings
        .iter()
        .find(|finding| finding.threat == threat)
    else {
        lines.push(Line::styled(tr(f, "wizard.detail.gone"), th.dim));
        return (lines, starts, 1);
    };
    let view = crate::report::finding_view(k, f.assessment(), finding, lang);
    let threat_m = &k.catalog.threats[threat];
    let status = if finding.certainty == Certainty::Possible {
        tr(f, "wizard.summary.possible_status")
    } else {
        tr(f, Flow::status_key(finding))
    };
    lines.push(Line::from(vec![
        Span::styled(
            sev_label(f, finding.severity).to_uppercase(),
            th.severity(finding.severity),
        ),
        Span::styled(
            format!(
                " · {} · {status}",
                tr(f, &format!("dimension.{}", threat_m.dimension.code()))
            ),
            th.dim,
        ),
    ]));
    for l in wrap(&t(&view.title), w) {
        lines.push(Line::styled(l, th.title));
    }
    if let Some(d) = f.assessment().decisions.get(&threat_m.id) {
        let text = match d.status {
            DecisionStatus::Accepted => trf(
                f,
                "wizard.detail.accepted",
                &[
                    ("until", d.until.clone().unwrap_or_else(|| "—".into())),
                    ("reason", t(d.reason.as_deref().unwrap_or(""))),
                ],
            ),
            DecisionStatus::NotApplicable => trf(
                f,
                "wizard.detail.not_applicable",
                &[("reason", t(d.reason.as_deref().unwrap_or("")))],
            ),
            DecisionStatus::Done => tr(f, "status.mitigated"),
        };
        for l in wrap(&text, w) {
            lines.push(Line::styled(l, th.mark));
        }
    }
    let head = lines.len();
    lines.push(Line::default());
    lines.push(Line::styled(tr(f, "report.what"), th.accent));
    for l in wrap(&t(&view.description), w.saturating_sub(2)) {
        lines.push(Line::raw(format!("  {l}")));
    }
    lines.push(Line::default());
    lines.push(Line::styled(tr(f, "report.why"), th.accent));
    for l in wrap(&t(&view.why_it_applies), w.saturating_sub(2)) {
        lines.push(Line::raw(format!("  {l}")));
    }
    for why in &view.why {
        let text = match why {
            WhyView::Answer { prompt, answer, .. } => format!("{} → {}", t(prompt), t(answer)),
            WhyView::ProviderFact {
                provider_name,
                fact_label,
                value,
                checked,
                ..
            } => {
                let key = match value {
                    FactValue::Yes => "report.fact_yes",
                    FactValue::No => "report.fact_no",
                    FactValue::Unknown => "report.fact_unknown",
                };
                trf(
                    f,
                    key,
                    &[
                        ("provider", t(provider_name)),
                        ("fact", t(fact_label)),
                        ("checked", checked.clone()),
                    ],
                )
            }
        };
        for (i, l) in wrap(&text, w.saturating_sub(4)).into_iter().enumerate() {
            lines.push(Line::styled(
                format!("{}{l}", if i == 0 { "  • " } else { "    " }),
                th.dim,
            ));
        }
    }
    if !view.unknowns.is_empty() {
        lines.push(Line::styled(tr(f, "report.decide_with"), th.accent));
        for u in &view.unknowns {
            for (i, l) in wrap(&t(&u.prompt), w.saturating_sub(4))
                .into_iter()
                .enumerate()
            {
                lines.push(Line::styled(
                    format!("{}{l}", if i == 0 { "  ? " } else { "    " }),
                    th.dim,
                ));
            }
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(tr(f, "report.do"), th.accent));
    for (i, m) in view.mitigations.iter().enumerate() {
        starts.push(lines.len());
        let on = full && i == f.detail_selected();
        let mark = match m.state {
            MitigationState::Open => "[ ]",
            MitigationState::Done | MitigationState::Satisfied => "[✓]",
            MitigationState::Accepted => "[~]",
            MitigationState::NotApplicable => "[-]",
        };
        let meta = format!(
            "{} · {} · {}",
            tr(f, &format!("owner.{}", m.owner.code())),
            tr(f, &format!("effort.{}", m.effort.code())),
            tr(f, &format!("stage.{}", m.stage.code()))
        );
        let head = format!("{} {mark} {}", if on { "❯" } else { " " }, t(&m.title));
        for (j, l) in wrap(&head, w).into_iter().enumerate() {
            let l = if j == 0 {
                l
            } else {
                format!("      {}", l.trim_start())
            };
            lines.push(Line::styled(
                if on { pad(&l, w) } else { l },
                if on { th.selected } else { th.text },
            ));
        }
        lines.push(Line::styled(format!("      {meta}"), th.dim));
        if !m.satisfied_by.is_empty() {
            let answers: Vec<String> = m
                .satisfied_by
                .iter()
                .filter_map(|w| match w {
                    WhyView::Answer { prompt, answer, .. } => {
                        Some(format!("{} → {}", t(prompt), t(answer)))
                    }
                    WhyView::ProviderFact { .. } => None,
                })
                .collect();
            let head = tr(f, "report.satisfied_by");
            let sep = if head.ends_with('：') { "" } else { " " };
            let text = format!("{head}{sep}{}", answers.join("; "));
            for l in wrap(&text, w.saturating_sub(6)) {
                lines.push(Line::styled(format!("      {l}"), th.mark));
            }
        }
        if full {
            for l in wrap(&t(&m.detail), w.saturating_sub(6)) {
                lines.push(Line::raw(format!("      {l}")));
            }
        }
    }
    if full && !view.references.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(tr(f, "report.refs"), th.accent));
        for r in &view.references {
            let text = format!(
                "{} {}{}",
                r.id,
                t(&r.name),
                r.url
                    .as_deref()
                    .map(|u| format!(" <{}>", t(u)))
                    .unwrap_or_default()
            );
            for (i, l) in wrap(&text, w.saturating_sub(4)).into_iter().enumerate() {
                lines.push(Line::styled(
                    format!("{}{l}", if i == 0 { "  • " } else { "    " }),
                    th.dim,
                ));
            }
        }
    }
    (lines, starts, head)
}

pub struct DetailView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for DetailView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let Screen::Detail(threat) = f.screen() else {
            return;
        };
        let block = bordered(&tr(f, "wizard.detail.title"), self.theme, true);
        let inner = block.inner(area);
        block.render(area, buf);
        let (mut lines, starts, head) =
            detail_lines(f, self.theme, threat, usize::from(inner.width), true);
        // The finding's title stays on screen; the rest scrolls.
        let body = lines.split_off(head.min(lines.len()));
        let [top, rest] =
            Layout::vertical([Constraint::Length(u16_of(lines.len())), Constraint::Fill(1)])
                .areas(inner);
        Paragraph::new(lines).render(top, buf);
        let lines = body;
        let starts: Vec<usize> = starts.iter().map(|s| s - head).collect();
        let inner = rest;
        let h = usize::from(inner.height);
        // Scroll far enough that the selected mitigation (and the line after it) is in view.
        let mut top = usize::from(f.detail_scroll());
        if let Some(&s) = starts.get(f.detail_selected()) {
            let end = starts
                .get(f.detail_selected() + 1)
                .copied()
                .unwrap_or(s + 3);
            if end > top + h {
                top = end.min(lines.len()).saturating_sub(h).min(s);
            }
            if s < top && usize::from(f.detail_scroll()) == 0 {
                top = s;
            }
        }
        top = top.min(lines.len().saturating_sub(1));
        Paragraph::new(lines)
            .scroll((u16_of(top), 0))
            .render(inner, buf);
    }
}
