//! Rendering a [`ReportView`] for people: the terminal text report. Every string from the user or
//! the catalog passes through `escape::terminal`; colours are ANSI and only when asked for.

use std::fmt::Write as _;

use crate::escape;
use crate::evaluate::{Certainty, MitigationState, Status};
use crate::i18n::Ui;
use crate::model::{Lang, Severity};
use crate::report::{FindingView, ReportView, WhyView};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn severity(self, sev: Severity, s: &str) -> String {
        let code = match sev {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
        };
        self.paint(code, s)
    }
}

fn t(s: &str) -> String {
    escape::terminal(&crate::redact::redact_cow(s), false)
}

/// Pretty-printed JSON for any output (the findings report, the privacy notice, lint and list
/// results): like `serde_json::to_string_pretty`, but every string is redacted
/// ([`crate::redact`]) and the characters JSON allows raw but a terminal or a viewer acts on are
/// written as `\uXXXX` escapes: DEL, the C1 controls (U+0080–U+009F, among them NEL U+0085 and
/// CSI U+009B), the bidi controls (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the
/// line and paragraph separators (U+2028, U+2029). The result parses to the same values.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeJson::default());
    value.serialize(&mut ser)?;
    // serde_json writes only UTF-8 (every string fragment comes from a `&str`).
    String::from_utf8(out).map_err(|e| serde_json::Error::io(std::io::Error::other(e)))
}

/// Whether `c` is written as a `\uXXXX` escape by [`json`].
pub fn json_escapes(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

#[derive(Default)]
struct SafeJson {
    pretty: serde_json::ser::PrettyFormatter<'static>,
}

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let fragment = crate::redact::redact_cow(fragment);
        let mut run = 0;
        for (i, c) in fragment.char_indices() {
            if json_escapes(c) {
                w.write_all(&fragment.as_bytes()[run..i])?;
                write!(w, "\\u{:04x}", c as u32)?;
                run = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[run..])
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.pretty.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.pretty.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_object_value(w)
    }
}

/// The whole report as terminal text.
pub fn text(view: &ReportView, ui: &Ui, style: Style) -> String {
    let lang = view.lang;
    let mut o = String::new();
    let name = view
        .assessment
        .agent_name
        .as_deref()
        .map_or_else(|| ui.get(lang, "report.unnamed_agent"), t);
    let _ = writeln!(
        o,
        "{}",
        style.paint(
            "1",
            &ui.fmt(
                lang,
                "report.title",
                &[
                    ("agent", name),
                    ("version", view.catalog.version.to_string()),
                    ("date", view.catalog.released.clone()),
                ]
            )
        )
    );
    let _ = writeln!(
        o,
        "{}",
        ui.fmt(
            lang,
            "report.progress",
            &[
                ("answered", view.assessment.answered.to_string()),
                ("shown", view.assessment.questions_shown.to_string()),
                ("not_sure", view.assessment.not_sure.len().to_string()),
            ]
        )
    );
    let s = &view.summary;
    let _ = writeln!(
        o,
        "{}\n",
        ui.fmt(
            lang,
            "report.summary",
            &[
                ("open", s.open.to_string()),
                ("critical", s.open_by_severity.critical.to_string()),
                ("high", s.open_by_severity.high.to_string()),
                ("medium", s.open_by_severity.medium.to_string()),
                ("low", s.open_by_severity.low.to_string()),
                ("possible", s.possible.to_string()),
            ]
        )
    );
    let _ = writeln!(
        o,
        "{}",
        style.paint("1", &ui.get(lang, "report.dimensions"))
    );
    for d in &s.dimensions {
        let bar = bar(d.handled, d.applicable);
        let mark = if d.blind_spot {
            ui.get(lang, "report.blind_spot_mark")
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "  {:<w$} {bar} {}/{} {mark}",
            d.name,
            d.handled,
            d.applicable,
            w = pad_width(&d.name, 22)
        );
    }
    o.push('\n');

    do_first(&mut o, view, ui, style);

    let definite: Vec<&FindingView> = view
        .findings
        .iter()
        .filter(|f| f.certainty == Certainty::Definite)
        .collect();
    if definite.is_empty() {
        let _ = writeln!(o, "{}\n", ui.get(lang, "report.no_findings"));
    }
    for f in definite {
        finding(&mut o, f, ui, lang, style);
    }

    let possible: Vec<&FindingView> = view
        .findings
        .iter()
        .filter(|f| f.certainty == Certainty::Possible)
        .collect();
    if !possible.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            style.paint("1", &ui.get(lang, "report.possible_heading"))
        );
        let _ = writeln!(o, "{}", ui.get(lang, "report.possible_intro"));
        for f in possible {
            let _ = writeln!(
                o,
                "  {} {} — {}",
                style.severity(
                    f.severity,
                    &format!(
                        "[{}?]",
                        ui.get(lang, &format!("severity.{}", f.severity.code()))
                    )
                ),
                t(&f.threat),
                t(&f.title)
            );
            for u in &f.unknowns {
                let _ = writeln!(
                    o,
                    "      {}{} {}",
                    label(ui, lang, "report.decide_with"),
                    t(&u.prompt),
                    ui.fmt(lang, "report.question_id", &[("id", u.id.clone())])
                );
            }
            for w in &f.why {
                if let WhyView::ProviderFact {
                    provider_name,
                    fact_label,
                    value,
                    checked,
                    ..
                } = w
                    && *value == crate::model::FactValue::Unknown
                {
                    {
                        let _ = writeln!(
                            o,
                            "      {}",
                            ui.fmt(
                                lang,
                                "report.fact_unknown",
                                &[
                                    ("provider", t(provider_name)),
                                    ("fact", t(fact_label)),
                                    ("checked", checked.clone()),
                                ]
                            )
                        );
                    }
                }
            }
        }
        o.push('\n');
    }

    if !view.assessment.unanswered.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            ui.fmt(
                lang,
                "report.unanswered",
                &[("count", view.assessment.unanswered.len().to_string())]
            )
        );
    }
    let _ = writeln!(o, "{}", ui.get(lang, "report.disclaimer"));
    o
}

/// "Do these first": the open findings by severity with the one action each that addresses it.
fn do_first(o: &mut String, view: &ReportView, ui: &Ui, style: Style) {
    if view.do_first.is_empty() {
        return;
    }
    let lang = view.lang;
    let _ = writeln!(o, "{}", style.paint("1", &ui.get(lang, "report.do_first")));
    for (n, x) in view.do_first.iter().enumerate() {
        let sev = ui.get(lang, &format!("severity.{}", x.severity.code()));
        let _ = writeln!(
            o,
            "  {}. {} {} — {}",
            n + 1,
            style.severity(x.severity, &format!("[{sev}]")),
            t(&x.threat),
            t(&x.title)
        );
        let mut action = ui.fmt(
            lang,
            "report.do_first_action",
            &[
                ("action", t(&x.action)),
                ("id", t(&x.action_id)),
                (
                    "effort",
                    ui.get(lang, &format!("effort.{}", x.effort.code())),
                ),
            ],
        );
        if x.breadth > 1 {
            action.push_str(&ui.fmt(
                lang,
                "report.do_first_breadth",
                &[("count", x.breadth.to_string())],
            ));
        }
        let _ = writeln!(o, "     {action}");
    }
    o.push('\n');
}

fn finding(o: &mut String, f: &FindingView, ui: &Ui, lang: Lang, style: Style) {
    let sev = ui.get(lang, &format!("severity.{}", f.severity.code()));
    let status = if f.acceptance_expired {
        ui.get(lang, "status.expired")
    } else {
        ui.get(lang, &format!("status.{}", f.status.code()))
    };
    let meta = ui.fmt(
        lang,
        "report.finding_meta",
        &[
            (
                "dimension",
                ui.get(lang, &format!("dimension.{}", f.dimension)),
            ),
            ("status", status),
        ],
    );
    let _ = writeln!(
        o,
        "{} {} — {}  {meta}",
        style.severity(f.severity, &format!("[{sev}]")),
        style.paint("1", &t(&f.threat)),
        style.paint("1", &t(&f.title)),
    );
    let _ = writeln!(
        o,
        "  {}{}",
        label(ui, lang, "report.what"),
        t(&f.description)
    );
    if !f.why.is_empty() {
        let _ = writeln!(o, "  {}", ui.get(lang, "report.why"));
        for w in &f.why {
            match w {
                WhyView::Answer { prompt, answer, .. } => {
                    let _ = writeln!(o, "    · {} → {}", t(prompt), t(answer));
                }
                WhyView::ProviderFact {
                    provider_name,
                    fact_label,
                    value,
                    source,
                    checked,
                    ..
                } => {
                    let _ = writeln!(
                        o,
                        "    · {}",
                        ui.fmt(
                            lang,
                            &format!("report.fact_{}", value.code()),
                            &[
                                ("provider", t(provider_name)),
                                ("fact", t(fact_label)),
                                ("checked", checked.clone()),
                            ]
                        )
                    );
                    let _ = writeln!(o, "      {}{}", label(ui, lang, "report.source"), t(source));
                }
            }
        }
    }
    if f.status == Status::Open {
        let _ = writeln!(o, "  {}", ui.get(lang, "report.do"));
        for m in &f.mitigations {
            let mark = match m.state {
                MitigationState::Done | MitigationState::Satisfied => "[x]",
                MitigationState::Accepted | MitigationState::NotApplicable => "[-]",
                MitigationState::Open => "[ ]",
            };
            let meta = ui.fmt(
                lang,
                "report.mitigation_meta",
                &[
                    ("stage", ui.get(lang, &format!("stage.{}", m.stage.code()))),
                    ("owner", ui.get(lang, &format!("owner.{}", m.owner.code()))),
                    (
                        "effort",
                        ui.get(lang, &format!("effort.{}", m.effort.code())),
                    ),
                ],
            );
            let _ = writeln!(o, "    {mark} {} — {} {meta}", t(&m.id), t(&m.title));
            if !m.satisfied_by.is_empty() {
                let _ = writeln!(o, "        {}", ui.get(lang, "report.satisfied_by"));
                for w in &m.satisfied_by {
                    if let WhyView::Answer { prompt, answer, .. } = w {
                        let _ = writeln!(o, "          · {} → {}", t(prompt), t(answer));
                    }
                }
            }
        }
    }
    if !f.references.is_empty() {
        let refs: Vec<String> = f.references.iter().map(|r| t(&r.id)).collect();
        let _ = writeln!(o, "  {}{}", label(ui, lang, "report.refs"), refs.join(", "));
    }
    o.push('\n');
}

/// A label followed by its text: "What could happen: …" / "可能发生什么：…" (no space after a
/// full-width colon).
fn label(ui: &Ui, lang: Lang, key: &str) -> String {
    let l = ui.get(lang, key);
    if l.ends_with('：') {
        l
    } else {
        format!("{l} ")
    }
}

fn bar(handled: u32, applicable: u32) -> String {
    const W: u32 = 10;
    let filled = (handled * W + applicable / 2)
        .checked_div(applicable)
        .unwrap_or(W);
    let mut s = String::new();
    for i in 0..W {
        s.push(if i < filled { '█' } else { '░' });
    }
    s
}

/// Width for `{:<w$}` so that wide (CJK) names line up: the format counts chars, the terminal
/// counts columns.
fn pad_width(s: &str, columns: usize) -> usize {
    let cols = unicode_width::UnicodeWidthStr::width(s);
    let chars = s.chars().count();
    columns.saturating_sub(cols) + chars
}
