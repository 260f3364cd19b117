//! The data-flow screen: where the agent's data goes, drawn as rows of boxes from the data-flow
//! model (`crate::dataflow`) of the current answers.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::dataflow::{Crossing, DataFlow, NodeKind};
use crate::wizard::flow::Flow;

use super::frame::bordered;
use super::text::{fit, t, tr, trf, u16_of, width, wrap};
use super::theme::Theme;

pub struct FlowView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

/// Rows of one-line-high boxes (`┌ label ┐` on three lines), wrapped to the width.
fn box_rows(items: &[(String, Style)], w: usize, indent: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut row: Vec<(String, Style)> = Vec::new();
    let mut row_w = indent;
    let flush = |row: &mut Vec<(String, Style)>, out: &mut Vec<Line<'static>>| {
        if row.is_empty() {
            return;
        }
        let mut top = vec![Span::raw(" ".repeat(indent))];
        let mut mid = vec![Span::raw(" ".repeat(indent))];
        let mut bot = vec![Span::raw(" ".repeat(indent))];
        for (label, style) in row.drain(..) {
            let lw = width(&label);
            top.push(Span::styled(format!("┌{}┐ ", "─".repeat(lw + 2)), style));
            mid.push(Span::styled(format!("│ {label} │ "), style));
            bot.push(Span::styled(format!("└{}┘ ", "─".repeat(lw + 2)), style));
        }
        out.push(Line::from(top));
        out.push(Line::from(mid));
        out.push(Line::from(bot));
    };
    for (label, style) in items {
        let label = fit(label, w.saturating_sub(indent + 5));
        let bw = width(&label) + 5;
        if row_w + bw > w && !row.is_empty() {
            flush(&mut row, &mut out);
            row_w = indent;
        }
        row.push((label, *style));
        row_w += bw;
    }
    flush(&mut row, &mut out);
    out
}

pub fn flow_lines(f: &Flow<'_>, th: &Theme, df: &DataFlow, w: usize) -> Vec<Line<'static>> {
    let lang = f.lang();
    let label = |i: usize| -> String {
        let n = &df.nodes[i];
        let mut s = t(n.label.get(lang));
        if let Some(r) = &n.region {
            s.push_str(" · ");
            s.push_str(&t(r.get(lang)));
        }
        if let Some(k) = &n.kept {
            s.push_str(" · ");
            s.push_str(&t(k.get(lang)));
        }
        // A flow that crosses a border marks where the data arrives.
        let crossing = df
            .edges
            .iter()
            .filter(|e| e.to == i)
            .map(|e| e.crossing)
            .fold(Crossing::No, |a, c| match (a, c) {
                (Crossing::Yes, _) | (_, Crossing::Yes) => Crossing::Yes,
                (Crossing::Maybe, _) | (_, Crossing::Maybe) => Crossing::Maybe,
                _ => Crossing::No,
            });
        if n.third_party {
            s.push_str(" ⚑");
        }
        match crossing {
            Crossing::Yes => s.push_str(" ✈"),
            Crossing::Maybe => s.push_str(" ✈?"),
            Crossing::No => {}
        }
        s
    };
    let style_of = |i: usize| -> Style {
        let n = &df.nodes[i];
        if n.kind == NodeKind::Agent {
            th.title
        } else if n.third_party {
            th.mark
        } else {
            th.text
        }
    };
    let of_kind = |kinds: &[NodeKind]| -> Vec<usize> {
        (0..df.nodes.len())
            .filter(|&i| kinds.contains(&df.nodes[i].kind))
            .collect()
    };
    let edge_label = |to: &[usize]| -> String {
        let mut labels: Vec<String> = df
            .edges
            .iter()
            .filter(|e| to.contains(&e.to) && df.nodes[e.from].kind != NodeKind::Knowledge)
            .map(|e| t(e.label.get(lang)))
            .collect();
        labels.dedup();
        labels.join(" / ")
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    let arrow = |text: String, up: bool| -> Line<'static> {
        Line::styled(
            format!("      {} {text}", if up { "▲" } else { "▼" }),
            th.dim,
        )
    };
    let items = |ids: &[usize]| -> Vec<(String, Style)> {
        ids.iter().map(|&i| (label(i), style_of(i))).collect()
    };
    // Inbound: users → channels → platforms → agent.
    let stages = [
        of_kind(&[NodeKind::Users]),
        of_kind(&[NodeKind::Channel]),
        of_kind(&[NodeKind::Platform]),
        of_kind(&[NodeKind::Agent]),
    ];
    let mut first = true;
    for ids in stages.iter().filter(|s| !s.is_empty()) {
        if !first {
            lines.push(arrow(edge_label(ids), false));
        }
        first = false;
        lines.extend(box_rows(&items(ids), w, 2));
    }
    // Outbound from the agent, one branch per kind.
    for kinds in [
        &[NodeKind::Model][..],
        &[NodeKind::Knowledge],
        &[NodeKind::Tool],
        &[NodeKind::Memory],
        &[NodeKind::Hosting],
        &[NodeKind::Database, NodeKind::Storage],
        &[NodeKind::Email],
        &[NodeKind::Payment],
        &[NodeKind::Analytics],
        &[NodeKind::Logs],
    ] {
        let ids = of_kind(kinds);
        if ids.is_empty() {
            continue;
        }
        let up = kinds[0] == NodeKind::Knowledge;
        let text = if up {
            df.edges
                .iter()
                .find(|e| ids.contains(&e.from))
                .map(|e| t(e.label.get(lang)))
                .unwrap_or_default()
        } else {
            edge_label(&ids)
        };
        lines.push(Line::styled(
            format!(
                "  {} {}",
                if up {
                    "└──◀──"
                } else {
                    "└──▶──"
                },
                text
            ),
            th.dim,
        ));
        lines.extend(box_rows(&items(&ids), w, 8));
    }
    lines.push(Line::default());
    let third = df.nodes.iter().filter(|n| n.third_party).count();
    let crossing = df
        .edges
        .iter()
        .filter(|e| e.crossing == Crossing::Yes)
        .count();
    let maybe = df
        .edges
        .iter()
        .filter(|e| e.crossing == Crossing::Maybe)
        .count();
    for l in wrap(
        &trf(
            f,
            "wizard.flow.legend",
            &[
                ("third", third.to_string()),
                ("crossing", crossing.to_string()),
                ("maybe", maybe.to_string()),
            ],
        ),
        w,
    ) {
        lines.push(Line::styled(l, th.dim));
    }
    lines
}

impl Widget for FlowView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let block = bordered(&tr(f, "wizard.flow.title"), self.theme, true);
        let inner = block.inner(area);
        block.render(area, buf);
        let df = crate::dataflow::build(f.knowledge(), f.assessment(), f.ui());
        let lines = flow_lines(f, self.theme, &df, usize::from(inner.width));
        let max = lines.len().saturating_sub(usize::from(inner.height));
        let top = usize::from(f.flow_scroll()).min(max);
        Paragraph::new(lines)
            .scroll((u16_of(top), 0))
            .render(inner, buf);
    }
}
