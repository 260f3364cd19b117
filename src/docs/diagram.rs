//! Drawings of the agent's data flow ([`crate::dataflow::DataFlow`]): a mermaid flowchart for the
//! Markdown documents and an inline SVG, laid out by agentguard itself, for the HTML ones (no
//! JavaScript, no network). Third-party nodes and border-crossing flows are marked in both. Every
//! label goes through `escape::mermaid_label` or `escape::html`.

use std::fmt::Write as _;

use crate::dataflow::{Crossing, DataFlow, NodeKind};
use crate::escape;
use crate::i18n::Ui;
use crate::model::Lang;

fn node_label(flow: &DataFlow, i: usize, lang: Lang) -> (String, Option<String>) {
    let n = &flow.nodes[i];
    // The region line also says how long the node keeps data, when an answer says so.
    let region = match (&n.region, &n.kept) {
        (Some(r), Some(k)) => Some(format!("{} · {}", r.get(lang), k.get(lang))),
        (r, k) => r.as_ref().or(k.as_ref()).map(|x| x.get(lang).to_string()),
    };
    (n.label.get(lang).to_string(), region)
}

/// The mermaid source (without the fence).
pub fn mermaid(flow: &DataFlow, lang: Lang) -> String {
    let mut s = String::from("flowchart LR\n");
    for (i, n) in flow.nodes.iter().enumerate() {
        let (label, region) = node_label(flow, i, lang);
        let mut text = escape::mermaid_label(&label);
        if let Some(r) = region {
            let r = escape::mermaid_label(&r);
            if !r.is_empty() {
                text.push_str(" · ");
                text.push_str(&r);
            }
        }
        let class = if n.third_party { ":::third" } else { ":::own" };
        let _ = writeln!(s, "  n{i}[\"{text}\"]{class}");
    }
    for e in &flow.edges {
        let label = escape::mermaid_label(e.label.get(lang));
        let arrow = match e.crossing {
            Crossing::Yes => "==>",
            Crossing::Maybe => "-.->",
            Crossing::No => "-->",
        };
        let mark = match e.crossing {
            Crossing::Yes => " ⚠",
            Crossing::Maybe => " ?",
            Crossing::No => "",
        };
        let _ = writeln!(s, "  n{} {arrow}|\"{label}{mark}\"| n{}", e.from, e.to);
    }
    s.push_str("  classDef own fill:#eef2ff,stroke:#4338ca,color:#1e1b4b\n");
    s.push_str("  classDef third fill:#fff7ed,stroke:#c2410c,color:#431407\n");
    for (i, e) in flow.edges.iter().enumerate() {
        match e.crossing {
            Crossing::Yes => {
                let _ = writeln!(s, "  linkStyle {i} stroke:#b91c1c,stroke-width:3px");
            }
            Crossing::Maybe => {
                let _ = writeln!(s, "  linkStyle {i} stroke:#c2410c,stroke-width:2px");
            }
            Crossing::No => {}
        }
    }
    s
}

fn rank(kind: NodeKind) -> usize {
    match kind {
        NodeKind::Users => 0,
        NodeKind::Channel => 1,
        NodeKind::Platform => 2,
        NodeKind::Agent => 3,
        NodeKind::Model
        | NodeKind::Knowledge
        | NodeKind::Tool
        | NodeKind::Memory
        | NodeKind::Logs
        | NodeKind::Hosting
        | NodeKind::Database
        | NodeKind::Storage
        | NodeKind::Email
        | NodeKind::Payment
        | NodeKind::Analytics => 4,
    }
}

/// Display width in "narrow character" units: CJK and other wide characters count two.
/// A count as a float for layout (counts here are small; huge ones saturate).
fn float(n: usize) -> f64 {
    u32::try_from(n).map_or(f64::from(u32::MAX), f64::from)
}

fn units(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Splits a label into lines of at most `max` units, at spaces where possible.
fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_inclusive(' ') {
        if units(&line) + units(word.trim_end()) > max && !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
            line.clear();
        }
        // A single word longer than a line (or CJK text without spaces) is cut by width.
        if units(word) > max {
            for c in word.chars() {
                if units(&line) + units(c.encode_utf8(&mut [0; 4])) > max {
                    lines.push(line.trim_end().to_string());
                    line.clear();
                }
                line.push(c);
            }
        } else {
            line.push_str(word);
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines.truncate(3);
    lines
}

const CHAR_W: f64 = 7.4;
const LINE_H: f64 = 17.0;
const PAD: f64 = 10.0;
const GAP_X: f64 = 140.0;
const GAP_Y: f64 = 18.0;
const WRAP_UNITS: usize = 20;

struct Box_ {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    lines: Vec<String>,
    region: Vec<String>,
}

/// The data flow as an inline SVG document fragment (`<svg>…</svg>`).
pub fn svg(flow: &DataFlow, lang: Lang, ui: &Ui) -> String {
    // Columns of nodes by rank, empty ranks dropped.
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); 5];
    for (i, n) in flow.nodes.iter().enumerate() {
        columns[rank(n.kind)].push(i);
    }
    columns.retain(|c| !c.is_empty());
    let mut boxes: Vec<Option<Box_>> = (0..flow.nodes.len()).map(|_| None).collect();
    let mut x = 10.0;
    let mut col_heights = Vec::new();
    let mut col_x = Vec::new();
    for col in &columns {
        let mut w: f64 = 110.0;
        let mut measured = Vec::new();
        for &i in col {
            let (label, region) = node_label(flow, i, lang);
            let lines = wrap(&label, WRAP_UNITS);
            let region = region.map(|r| wrap(&r, WRAP_UNITS + 4)).unwrap_or_default();
            let widest = lines
                .iter()
                .map(|l| float(units(l)) * CHAR_W)
                .chain(region.iter().map(|l| float(units(l)) * CHAR_W * 0.85))
                .fold(0.0, f64::max);
            w = w.max(widest + 2.0 * PAD);
            measured.push((i, lines, region));
        }
        let mut y = 0.0;
        for (i, lines, region) in measured {
            let h = float(lines.len() + region.len()) * LINE_H + 2.0 * PAD - 4.0;
            boxes[i] = Some(Box_ {
                x,
                y,
                w,
                h,
                lines,
                region,
            });
            y += h + GAP_Y;
        }
        col_heights.push(y - GAP_Y);
        col_x.push((x, w));
        x += w + GAP_X;
    }
    let legend = [
        ("node third", "docs.flow.legend.third_party"),
        ("edge cross", "docs.flow.legend.crossing"),
        ("edge maybe", "docs.flow.legend.maybe"),
    ]
    .map(|(class, key)| (class, ui.get(lang, key)));
    let legend_w: f64 = legend
        .iter()
        .map(|(_, t)| 52.0 + float(units(t)) * 6.6)
        .sum::<f64>()
        + 10.0;
    let width = (x - GAP_X + 10.0).max(legend_w);
    let body_h = col_heights.iter().copied().fold(0.0, f64::max);
    // Centre each column vertically.
    for (ci, col) in columns.iter().enumerate() {
        let shift = (body_h - col_heights[ci]) / 2.0 + 10.0;
        for &i in col {
            if let Some(b) = boxes[i].as_mut() {
                b.y += shift;
            }
        }
    }
    let legend_y = body_h + 40.0;
    let height = legend_y + 24.0;
    let title = escape::html(&ui.get(lang, "docs.flow.svg_title"));
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "<svg class=\"flow\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"flow-title-{lang}\">\
         <title id=\"flow-title-{lang}\">{title}</title>\
         <defs>\
         <marker id=\"arrow-{lang}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#475569\"/></marker>\
         <marker id=\"arrow-x-{lang}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#b91c1c\"/></marker>\
         </defs>"
    );
    // Edges first, so boxes cover their ends.
    let mut labels = String::new();
    for e in &flow.edges {
        let (Some(a), Some(b)) = (boxes[e.from].as_ref(), boxes[e.to].as_ref()) else {
            continue;
        };
        let (x1, x2) = if b.x > a.x {
            (a.x + a.w, b.x)
        } else {
            (a.x, b.x + b.w)
        };
        let y1 = a.y + a.h / 2.0;
        let y2 = b.y + b.h / 2.0;
        let dx = (x2 - x1) / 2.0;
        let (class, marker) = match e.crossing {
            Crossing::Yes => ("edge cross", "arrow-x"),
            Crossing::Maybe => ("edge maybe", "arrow-x"),
            Crossing::No if e.third_party => ("edge third", "arrow"),
            Crossing::No => ("edge", "arrow"),
        };
        let _ = write!(
            s,
            "<path class=\"{class}\" d=\"M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}\" marker-end=\"url(#{marker}-{lang})\"/>",
            x1 + dx,
            x2 - dx
        );
        let mut text = e.label.get(lang).to_string();
        match e.crossing {
            Crossing::Yes => text.push_str(" ⚠"),
            Crossing::Maybe => text.push_str(" ?"),
            Crossing::No => {}
        }
        let lw = float(units(&text)) * 6.4 + 8.0;
        // Labels sit just above the edge next to the box it fans out to (the target, or the
        // source for flows into the agent), where edges are already apart.
        let (mx, my) = if b.x > a.x {
            (x2 - lw / 2.0 - 8.0, y2 - 9.0)
        } else {
            (x1 - lw / 2.0 - 8.0, y1 - 9.0)
        };
        let _ = write!(
            labels,
            "<rect class=\"edge-label-bg\" x=\"{:.1}\" y=\"{:.1}\" width=\"{lw:.1}\" height=\"16\" rx=\"3\"/>\
             <text class=\"edge-label\" x=\"{mx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            mx - lw / 2.0,
            my - 9.0,
            my + 3.0,
            escape::html(&text)
        );
    }
    for (i, b) in boxes.iter().enumerate() {
        let Some(b) = b else { continue };
        let n = &flow.nodes[i];
        let class = if n.third_party {
            "node third"
        } else {
            "node own"
        };
        let _ = write!(
            s,
            "<g class=\"{class}\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\"/>",
            b.x, b.y, b.w, b.h
        );
        let mut ty = b.y + PAD + 11.0;
        for l in &b.lines {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\">{}</text>",
                b.x + b.w / 2.0,
                escape::html(l)
            );
            ty += LINE_H;
        }
        for l in &b.region {
            let _ = write!(
                s,
                "<text class=\"region\" x=\"{:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\">{}</text>",
                b.x + b.w / 2.0,
                escape::html(l)
            );
            ty += LINE_H;
        }
        s.push_str("</g>");
    }
    s.push_str(&labels);
    let mut lx = 10.0;
    for (class, text) in &legend {
        if class.starts_with("node") {
            let _ = write!(
                s,
                "<g class=\"{class}\"><rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"22\" height=\"14\" rx=\"3\"/></g>",
                legend_y - 11.0
            );
        } else {
            let _ = write!(
                s,
                "<path class=\"{class}\" d=\"M{lx:.1},{:.1} L{:.1},{:.1}\"/>",
                legend_y - 4.0,
                lx + 22.0,
                legend_y - 4.0
            );
        }
        let _ = write!(
            s,
            "<text class=\"legend\" x=\"{:.1}\" y=\"{legend_y:.1}\">{}</text>",
            lx + 28.0,
            escape::html(text)
        );
        lx += 52.0 + float(units(text)) * 6.6;
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_splits_words_and_wide_text() {
        assert_eq!(wrap("a b c", 3), ["a b", "c"]);
        let cjk = wrap("中文中文中文中文中文中文中文", 10);
        assert!(cjk.iter().all(|l| units(l) <= 10), "{cjk:?}");
    }
}
