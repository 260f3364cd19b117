//! Loading in two phases: parse each YAML file into raw shapes that keep positions and deny unknown
//! fields (`load/raw.rs`), then validate everything into the domain model, collecting every problem
//! with a stable code, `file:line:col` and a hint instead of stopping at the first.

// The explicit path lets build.rs include this file by path too.
#[path = "load/assessment.rs"]
mod assessment;
#[path = "load/fold.rs"]
mod fold;
#[path = "load/means.rs"]
mod means;
#[path = "load/raw.rs"]
pub mod raw;
#[path = "load/usage.rs"]
mod usage;

pub use assessment::{
    RetiredAnswer, assessment, check_assessment, parse_assessment, retired_answers,
};
use means::{option_means, question_means, reference_jurisdiction};
/// What `catalog lint` adds to loading: options nothing reads (W0402) and references no threat
/// cites (W0403).
pub use usage::unused;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::de::DeserializeOwned;

use crate::assets::{MAX_INPUT_BYTES, SourceFile, Sources};
use crate::condition::{Condition, Test};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{
    Answer, AnswerSource, Assessment, Catalog, ChangelogEntry, Choice, Decision, DecisionStatus,
    Fact, FactDef, Knowledge, Lang, Manifest, Mitigation, NOT_SURE, Provider, Question,
    QuestionKind, Questionnaire, Reference, Retired, Review, Section, SeverityChange, SeverityRule,
    Span, Text, Threat, Value,
};
use raw::{RawCondition, RawText, RawValue, S};

/// The catalog format this binary understands; a newer catalog is refused.
pub const CATALOG_FORMAT: u32 = 1;
/// Nesting deeper than this is refused by the parser (a condition tree never needs it).
pub const MAX_DEPTH: usize = 64;

fn span_of<T>(file: &str, s: &S<T>) -> Span {
    Span {
        file: file.to_string(),
        line: s.referenced.line(),
        col: s.referenced.column(),
    }
}

fn file_span(file: &str) -> Span {
    Span {
        file: file.to_string(),
        line: 0,
        col: 0,
    }
}

fn at(file: &str, line: u64, col: u64) -> Span {
    Span {
        file: file.to_string(),
        line,
        col,
    }
}

/// Checks size, encoding and emptiness, then parses YAML into `T`. Any problem becomes one
/// located diagnostic; nothing here can panic or run away (the parser's budget caps depth,
/// aliases and events).
pub fn parse_yaml<T: DeserializeOwned>(name: &str, bytes: &[u8]) -> Result<T, Diagnostic> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Diagnostic::error("E0001", at(name, 1, 1))
            .arg("limit", format!("{} MB", MAX_INPUT_BYTES / 1024 / 1024)));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let (l, c) = crate::util::line_col(bytes, pos);
        return Err(Diagnostic::error("E0002", at(name, l, c)).arg("what", "NUL"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (l, c) = crate::util::line_col(bytes, e.valid_up_to());
            return Err(Diagnostic::error("E0002", at(name, l, c)).arg("what", "UTF-8"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // YAML ends lines at `\n`, `\r\n` and a lone `\r` alike.
    if text
        .split(['\n', '\r'])
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(Diagnostic::error("E0003", at(name, 1, 1)));
    }
    let events = expansion_limit(text.len());
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_documents = 1;
    budget.max_nodes = 2_000_000;
    // Aliases and merge keys replay what they refer to: a file of a few hundred bytes can stand
    // for millions of events (a merge-key bomb). Every event needs at least a byte of the file
    // unless it is replayed, so a budget proportional to the file's size refuses a bomb after a
    // few milliseconds and never a real file.
    budget.max_events = events;
    budget.max_recorded_anchor_events = events;
    budget.max_merge_keys = 1_000;
    let options = serde_saphyr::options! { budget: Some(budget) };
    let value = serde_saphyr::from_str_with_options::<T>(text, options).map_err(|e| {
        let (line, col) = e
            .location()
            .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
        let mut inner = e.without_snippet();
        while let serde_saphyr::Error::AliasError { error, .. } = inner {
            inner = error.without_snippet();
        }
        if let serde_saphyr::Error::Budget { breach, .. } = inner
            && matches!(
                breach,
                serde_saphyr::budget::BudgetBreach::Events { .. }
                    | serde_saphyr::budget::BudgetBreach::RecordedAnchorEvents { .. }
                    | serde_saphyr::budget::BudgetBreach::MergeKeys { .. }
            )
        {
            return Diagnostic::error("E0005", at(name, line, col))
                .arg("limit", events.to_string());
        }
        let mut detail = inner.to_string();
        if let Some(i) = detail.rfind(" at line ") {
            detail.truncate(i);
        }
        // The parser quotes unknown fields and bad values: a pasted key must not come back whole.
        Diagnostic::error("E0004", at(name, line, col)).arg("detail", echo(&detail))
    })?;
    match under_indented_quoted(name, text) {
        Some(d) => Err(d),
        None => Ok(value),
    }
}

/// A quoted value that goes on over several lines must indent each further line deeper than
/// the block mapping or sequence it belongs to (YAML 1.2, `s-flow-line-prefix`; tabs do not
/// count as indentation). The parser accepts such a value (yaml-test-suite DK95-01 and QB6E);
/// this finds the first line that breaks the rule, so the file is refused as other YAML errors
/// are.
fn under_indented_quoted(name: &str, text: &str) -> Option<Diagnostic> {
    use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, StructureStyle};
    if !text.contains(['"', '\'']) {
        return None;
    }
    let line_start = |off: usize| text[..off].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    // Open collections: the column of each block one, `None` for flow ones.
    let mut blocks: Vec<Option<usize>> = Vec::new();
    for ev in Parser::new_from_str(text) {
        let Ok((ev, span)) = ev else { return None };
        match ev {
            Event::MappingStart(style, ..) | Event::SequenceStart(style, ..) => {
                let col = span.start.byte_offset().and_then(|o| {
                    (style == StructureStyle::Block)
                        .then(|| text.get(line_start(o)..o).map(|p| p.chars().count()))
                        .flatten()
                });
                blocks.push(col);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                blocks.pop();
            }
            Event::Scalar(_, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted, ..) => {
                let (Some(a), Some(b)) = (span.start.byte_offset(), span.end.byte_offset()) else {
                    continue;
                };
                let Some(&indent) = blocks.iter().rev().flatten().next() else {
                    continue;
                };
                let Some(body) = text.get(a..b) else { continue };
                let mut offset = a;
                for (i, line) in body.split('\n').enumerate() {
                    let here = offset;
                    offset += line.len() + 1;
                    let line = line.trim_start_matches('\r');
                    let spaces = line.bytes().take_while(|&c| c == b' ').count();
                    if i == 0 || line.trim().is_empty() || spaces > indent {
                        continue;
                    }
                    let (l, _) = crate::util::line_col(text.as_bytes(), here);
                    return Some(
                        Diagnostic::error("E0006", at(name, l, spaces as u64 + 1))
                            .arg("indent", (indent + 1).to_string()),
                    );
                }
            }
            _ => {}
        }
    }
    None
}

/// The most YAML events (scalars, collection starts and ends, replays through aliases and merge
/// keys included) a file of `bytes` bytes may produce.
pub fn expansion_limit(bytes: usize) -> usize {
    bytes
        .saturating_mul(4)
        .saturating_add(20_000)
        .min(2_000_000)
}

/// A value from the user's file, as an error message may show it: secrets shortened.
fn echo(s: &str) -> String {
    crate::redact::redact(s)
}

fn check_id(id: &S<String>, file: &str, what: &str, pattern: IdPattern, d: &mut Diagnostics) {
    if !pattern.matches(&id.value) {
        d.push(
            Diagnostic::error("E0103", span_of(file, id))
                .arg("id", id.value.clone())
                .arg("what", what)
                .arg("pattern", pattern.describe()),
        );
    }
}

#[derive(Clone, Copy)]
enum IdPattern {
    /// `[a-z][a-z0-9_]*`
    Snake,
    /// `section.name` with snake parts
    Dotted,
    /// `[a-z][a-z0-9-]*`
    Kebab,
}

impl IdPattern {
    fn matches(self, s: &str) -> bool {
        let snake = |p: &str| {
            let mut c = p.chars();
            c.next().is_some_and(|f| f.is_ascii_lowercase())
                && c.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        };
        match self {
            IdPattern::Snake => snake(s),
            IdPattern::Dotted => {
                let parts: Vec<&str> = s.split('.').collect();
                parts.len() == 2 && parts.iter().all(|p| snake(p))
            }
            IdPattern::Kebab => {
                let mut c = s.chars();
                c.next().is_some_and(|f| f.is_ascii_lowercase())
                    && c.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
                    && !s.ends_with('-')
                    && s.len() <= 64
            }
        }
    }

    fn describe(self) -> &'static str {
        match self {
            IdPattern::Snake => "[a-z][a-z0-9_]*",
            IdPattern::Dotted => "section.name",
            IdPattern::Kebab => "[a-z][a-z0-9-]*",
        }
    }
}

fn text(raw: &S<RawText>, file: &str, field: &str, d: &mut Diagnostics) -> Text {
    let mut check = |v: &Option<String>, lang: Lang| -> String {
        match v {
            Some(s) if !s.trim().is_empty() => s.trim_end().to_string(),
            _ => {
                d.push(
                    Diagnostic::error("E0107", span_of(file, raw))
                        .arg("field", field)
                        .arg("lang", lang.code()),
                );
                String::new()
            }
        }
    };
    Text {
        en: check(&raw.value.en, Lang::En),
        zh: check(&raw.value.zh, Lang::Zh),
    }
}

fn opt_text(
    raw: Option<&S<RawText>>,
    file: &str,
    field: &str,
    d: &mut Diagnostics,
) -> Option<Text> {
    raw.map(|r| text(r, file, field, d))
}

/// The question a `means: {locates: …}` names: an earlier question whose options name recipients.
fn locates_target(
    qn: &Questionnaire,
    target: &str,
    span: &Span,
    d: &mut Diagnostics,
) -> Option<usize> {
    recipients_question(qn, target, span, "E0118", d)
}

/// The question a `means: {retains: …}` names: an earlier question whose options name recipients
/// (E0124 otherwise).
fn retains_target(
    qn: &Questionnaire,
    target: &str,
    span: &Span,
    d: &mut Diagnostics,
) -> Option<usize> {
    recipients_question(qn, target, span, "E0124", d)
}

fn recipients_question(
    qn: &Questionnaire,
    target: &str,
    span: &Span,
    code: &'static str,
    d: &mut Diagnostics,
) -> Option<usize> {
    let found = qn.by_id.get(target).copied().filter(|&t| {
        qn.questions[t]
            .options
            .iter()
            .any(|o| o.means.recipient.is_some())
    });
    if found.is_none() {
        d.push(Diagnostic::error(code, span.clone()).arg("id", target.to_string()));
    }
    found
}

fn retired(raw: Option<&raw::RawRetired>, file: &str, d: &mut Diagnostics) -> Option<Retired> {
    raw.map(|r| {
        // An option map belongs on a retired question with `replaced_by:` (checked by
        // `fold::check`); on an option or a threat it can mean nothing.
        if let Some(m) = &r.options {
            d.push(Diagnostic::error("E0119", span_of(file, m)));
        }
        retired_question(r, file, d)
    })
}

/// A retired question's `retired:`, with its option map (a fold) when it has one.
fn retired_question(r: &raw::RawRetired, file: &str, d: &mut Diagnostics) -> Retired {
    Retired {
        version: r.version,
        note: text(&r.note, file, "retired.note", d),
        replaced_by: r.replaced_by.as_ref().map(|x| x.value.clone()),
        folds: r.options.as_ref().map(|m| {
            m.value
                .0
                .iter()
                .map(|(from, to)| {
                    (
                        from.value.clone(),
                        to.iter().map(|o| o.value.clone()).collect(),
                    )
                })
                .collect()
        }),
    }
}

fn check_date(s: &S<String>, file: &str, d: &mut Diagnostics) {
    if crate::util::parse_date(&s.value).is_none() {
        d.push(Diagnostic::error("E0306", span_of(file, s)).arg("value", echo(&s.value)));
    }
}

/// E0117: a retired question's `replaced_by` names a live question; a retired option's, a live
/// option of the same question. Each retired item is matched to its span by order.
fn check_replacements(
    qn: &Questionnaire,
    replacements: &[(usize, bool, crate::model::Span)],
    d: &mut Diagnostics,
) {
    let mut options_seen: BTreeMap<usize, usize> = BTreeMap::new();
    for (qi, is_option, span) in replacements {
        let Some(q) = qn.questions.get(*qi) else {
            continue;
        };
        let (to, ok, what) = if *is_option {
            // The n-th option replacement of this question is its n-th retired option with one.
            let n = options_seen.entry(*qi).or_insert(0);
            let Some(to) = q
                .options
                .iter()
                .filter_map(|o| o.retired.as_ref().and_then(|r| r.replaced_by.as_ref()))
                .nth(*n)
            else {
                continue;
            };
            *n += 1;
            let ok = q.option(to).is_some_and(|o| o.retired.is_none());
            (to, ok, "option")
        } else {
            let Some(to) = q.retired.as_ref().and_then(|r| r.replaced_by.as_ref()) else {
                continue;
            };
            let ok = qn
                .question(to)
                .is_some_and(|t| !t.is_retired() && t.id != q.id);
            (to, ok, "question")
        };
        if !ok {
            d.push(
                Diagnostic::error("E0117", span.clone())
                    .arg("id", echo(to))
                    .arg("what", what),
            );
        }
    }
}

/// Closest id by edit distance, for "did you mean" hints.
fn suggest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let dist = edit_distance(wanted, c);
        if dist <= wanted.len().max(3) / 3 + 1 && best.is_none_or(|(b, _)| dist < b) {
            best = Some((dist, c));
        }
    }
    best.map(|(_, c)| c.to_string()).unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---- knowledge: questionnaire + catalog ------------------------------------------------------

struct PendingOption {
    question: usize,
    option: usize,
    provider: S<String>,
    file: String,
}

/// Loads and cross-checks the questionnaire and the catalog. Returns the knowledge and its
/// warnings, or every problem found.
pub fn knowledge(sources: &Sources) -> Result<(Knowledge, Diagnostics), Diagnostics> {
    let mut d = Diagnostics::default();
    let mut pending_conditions: Vec<(usize, String, S<RawCondition>)> = Vec::new();
    let mut pending_options: Vec<PendingOption> = Vec::new();

    // Questionnaire.
    let mut qn = Questionnaire::default();
    // `replaced_by:` of retired questions (false) and options (true), checked once all are read.
    let mut replacements: Vec<(usize, bool, crate::model::Span)> = Vec::new();
    // Option maps of retired questions (folds), checked once all questions are read.
    let mut folds: Vec<fold::Pending> = Vec::new();
    let mut section_ids: HashMap<String, Span> = HashMap::new();
    let files: Vec<&SourceFile> = sources.in_dir("questionnaires").collect();
    if files.is_empty() {
        d.push(
            Diagnostic::error("E0403", file_span("questionnaires/"))
                .arg("file", "questionnaires/*.yaml"),
        );
    }
    for f in files {
        let name = f.display();
        let raw: raw::RawSectionFile = match parse_yaml(&name, &f.bytes) {
            Ok(r) => r,
            Err(e) => {
                d.push(e);
                continue;
            }
        };
        let sid = &raw.section.id;
        check_id(sid, &name, "section", IdPattern::Snake, &mut d);
        if let Some(prev) = section_ids.insert(sid.value.clone(), span_of(&name, sid)) {
            d.push(
                Diagnostic::error("E0101", span_of(&name, sid))
                    .arg("id", sid.value.clone())
                    .arg("first", prev.to_string()),
            );
        }
        let section_index = qn.sections.len();
        let mut section = Section {
            id: sid.value.clone(),
            title: text(&raw.section.title, &name, "section.title", &mut d),
            intro: opt_text(raw.section.intro.as_ref(), &name, "section.intro", &mut d),
            questions: Vec::new(),
        };
        for rq in raw.questions {
            let qspan = span_of(&name, &rq);
            let rq = rq.value;
            check_id(&rq.id, &name, "question", IdPattern::Dotted, &mut d);
            if rq.id.value.split('.').next() != Some(sid.value.as_str()) {
                d.push(
                    Diagnostic::error("E0109", span_of(&name, &rq.id))
                        .arg("id", rq.id.value.clone())
                        .arg("section", sid.value.clone()),
                );
            }
            let index = qn.questions.len();
            if let Some(&prev) = qn.by_id.get(&rq.id.value) {
                d.push(
                    Diagnostic::error("E0102", span_of(&name, &rq.id))
                        .arg("id", rq.id.value.clone())
                        .arg("first", qn.questions[prev].span.to_string()),
                );
                continue;
            }
            let kind = rq.kind.value;
            let mut options = Vec::new();
            match (kind, &rq.options) {
                (QuestionKind::Single | QuestionKind::Multiple, Some(opts)) => {
                    if opts.value.len() > 63 {
                        d.push(
                            Diagnostic::error("E0113", span_of(&name, opts))
                                .arg("id", rq.id.value.clone()),
                        );
                    }
                    if opts.value.len() < 2 {
                        d.push(
                            Diagnostic::error("E0105", span_of(&name, opts))
                                .arg("id", rq.id.value.clone())
                                .arg("kind", kind.code()),
                        );
                    }
                    let mut seen = HashSet::new();
                    for ro in &opts.value {
                        let o = &ro.value;
                        check_id(&o.id, &name, "option", IdPattern::Snake, &mut d);
                        if o.id.value == NOT_SURE {
                            d.push(Diagnostic::error("E0110", span_of(&name, &o.id)));
                        }
                        if !seen.insert(o.id.value.clone()) {
                            d.push(
                                Diagnostic::error("E0104", span_of(&name, &o.id))
                                    .arg("id", o.id.value.clone())
                                    .arg("question", rq.id.value.clone()),
                            );
                        }
                        if o.exclusive && kind != QuestionKind::Multiple {
                            d.push(
                                Diagnostic::error("E0111", span_of(&name, ro))
                                    .arg("field", "exclusive")
                                    .arg("kind", kind.code()),
                            );
                        }
                        if let Some(p) = &o.provider {
                            pending_options.push(PendingOption {
                                question: index,
                                option: options.len(),
                                provider: p.clone(),
                                file: name.clone(),
                            });
                        }
                        options.push(Choice {
                            id: o.id.value.clone(),
                            label: text(&o.label, &name, "option.label", &mut d),
                            short: opt_text(o.short.as_ref(), &name, "option.short", &mut d),
                            help: opt_text(o.help.as_ref(), &name, "option.help", &mut d),
                            exclusive: o.exclusive,
                            provider: None,
                            retired: {
                                if let Some(to) =
                                    o.retired.as_ref().and_then(|r| r.replaced_by.as_ref())
                                {
                                    replacements.push((index, true, span_of(&name, to)));
                                }
                                retired(o.retired.as_ref(), &name, &mut d)
                            },
                            is_not_sure: false,
                            means: o
                                .means
                                .as_ref()
                                .map(|m| option_means(m, &name, &mut d))
                                .unwrap_or_default(),
                        });
                    }
                }
                (QuestionKind::Single | QuestionKind::Multiple, None) => {
                    d.push(
                        Diagnostic::error("E0105", qspan.clone())
                            .arg("id", rq.id.value.clone())
                            .arg("kind", kind.code()),
                    );
                }
                (_, Some(opts)) => {
                    d.push(
                        Diagnostic::error("E0111", span_of(&name, opts))
                            .arg("field", "options")
                            .arg("kind", kind.code()),
                    );
                }
                (QuestionKind::YesNo, None) => {
                    options.push(generated_choice("yes", "choice.yes"));
                    options.push(generated_choice("no", "choice.no"));
                }
                _ => {}
            }
            if rq.not_sure {
                if kind.has_options() {
                    let mut c = generated_choice(NOT_SURE, "choice.not_sure");
                    c.is_not_sure = true;
                    options.push(c);
                } else if kind == QuestionKind::Text {
                    d.push(
                        Diagnostic::error("E0111", qspan.clone())
                            .arg("field", "not_sure")
                            .arg("kind", kind.code()),
                    );
                }
            }
            for (field, present) in [
                ("unit", rq.unit.is_some()),
                ("min", rq.min.is_some()),
                ("max", rq.max.is_some()),
            ] {
                if present && kind != QuestionKind::Number {
                    d.push(
                        Diagnostic::error("E0111", qspan.clone())
                            .arg("field", field)
                            .arg("kind", kind.code()),
                    );
                }
            }
            if let Some(sw) = rq.show_when {
                pending_conditions.push((index, name.clone(), sw));
            }
            let qmeans = rq
                .means
                .as_ref()
                .map(|m| question_means(m, &name, &mut d))
                .unwrap_or_default();
            if let Some(yes) = &qmeans.yes
                && let Some(o) = options
                    .iter_mut()
                    .find(|o| o.id == "yes" && kind == QuestionKind::YesNo)
            {
                o.means = yes.clone();
            }
            let locates = qmeans
                .locates
                .as_ref()
                .and_then(|t| locates_target(&qn, t, &qspan, &mut d));
            let retains = qmeans
                .retains
                .as_ref()
                .and_then(|t| retains_target(&qn, t, &qspan, &mut d));
            qn.by_id.insert(rq.id.value.clone(), index);
            section.questions.push(index);
            qn.questions.push(Question {
                id: rq.id.value.clone(),
                section: section_index,
                kind,
                prompt: text(&rq.prompt, &name, "prompt", &mut d),
                help: opt_text(rq.help.as_ref(), &name, "help", &mut d),
                why: text(&rq.why, &name, "why", &mut d),
                not_sure: rq.not_sure,
                options,
                show_when: None,
                unit: opt_text(rq.unit.as_ref(), &name, "unit", &mut d),
                min: rq.min.map(|m| m.value),
                max: rq.max.map(|m| m.value),
                retired: rq.retired.as_ref().map(|r| {
                    if let Some(to) = &r.replaced_by {
                        replacements.push((index, false, span_of(&name, to)));
                    }
                    if let Some(m) = &r.options {
                        folds.push(fold::Pending::new(index, &name, m));
                    }
                    retired_question(r, &name, &mut d)
                }),
                span: qspan,
                means: qmeans.answer,
                locates,
                retains,
            });
        }
        if section.questions.is_empty() {
            d.push(Diagnostic::error("E0112", span_of(&name, sid)).arg("id", sid.value.clone()));
        }
        qn.sections.push(section);
    }

    check_replacements(&qn, &replacements, &mut d);
    fold::check(&qn, &folds, &mut d);

    let mut catalog = Catalog::default();

    // Providers and their facts.
    match sources.get("catalog/providers.yaml") {
        None => d.push(
            Diagnostic::error("E0403", file_span("catalog/providers.yaml"))
                .arg("file", "catalog/providers.yaml"),
        ),
        Some(f) => {
            let name = f.display();
            match parse_yaml::<raw::RawProvidersFile>(&name, &f.bytes) {
                Err(e) => d.push(e),
                Ok(raw) => load_providers(raw, &name, &mut catalog, &mut d),
            }
        }
    }

    // Reference registry.
    match sources.get("catalog/references.yaml") {
        None => d.push(
            Diagnostic::error("E0403", file_span("catalog/references.yaml"))
                .arg("file", "catalog/references.yaml"),
        ),
        Some(f) => {
            let name = f.display();
            match parse_yaml::<raw::RawReferencesFile>(&name, &f.bytes) {
                Err(e) => d.push(e),
                Ok(raw) => {
                    for r in raw.references {
                        let r = r.value;
                        if let Some(&prev) = catalog.reference_by_id.get(&r.id.value) {
                            d.push(
                                Diagnostic::error("E0303", span_of(&name, &r.id))
                                    .arg("id", r.id.value.clone())
                                    .arg("first", catalog.references[prev].id.clone()),
                            );
                            continue;
                        }
                        catalog
                            .reference_by_id
                            .insert(r.id.value.clone(), catalog.references.len());
                        catalog.references.push(Reference {
                            id: r.id.value.clone(),
                            kind: r.kind,
                            name: text(&r.name, &name, "name", &mut d),
                            url: r.url,
                            source: r.source,
                            jurisdiction: reference_jurisdiction(
                                r.jurisdiction.as_ref(),
                                r.kind,
                                &r.id,
                                &name,
                                &mut d,
                            ),
                        });
                    }
                }
            }
        }
    }

    // Options that name providers.
    for p in pending_options {
        match catalog.provider_by_id.get(&p.provider.value) {
            Some(&i) => qn.questions[p.question].options[p.option].provider = Some(i),
            None => d.push(
                Diagnostic::error("E0108", span_of(&p.file, &p.provider))
                    .arg("id", p.provider.value.clone())
                    .arg(
                        "suggestion",
                        suggest(
                            &p.provider.value,
                            catalog.providers.iter().map(|x| x.id.as_str()),
                        ),
                    ),
            ),
        }
    }

    // show_when conditions (only earlier questions).
    for (qi, file, raw) in pending_conditions {
        let ctx = CondCtx {
            qn: &qn,
            catalog: &catalog,
            file: &file,
            before: Some(qi),
        };
        let c = ctx.condition(&raw, &mut d);
        qn.questions[qi].show_when = c;
    }

    // Threats.
    load_threats(sources, &qn, &mut catalog, &mut d);

    // Manifest.
    match sources.get("catalog/catalog.yaml") {
        None => d.push(
            Diagnostic::error("E0403", file_span("catalog/catalog.yaml"))
                .arg("file", "catalog/catalog.yaml"),
        ),
        Some(f) => {
            let name = f.display();
            match parse_yaml::<raw::RawManifest>(&name, &f.bytes) {
                Err(e) => d.push(e),
                Ok(raw) => catalog.manifest = load_manifest(raw, &name, &mut d),
            }
        }
    }

    d.sort();
    if d.has_errors() {
        Err(d)
    } else {
        catalog.reindex();
        Ok((
            Knowledge {
                questionnaire: qn,
                catalog,
            },
            d,
        ))
    }
}

fn generated_choice(id: &str, key: &str) -> Choice {
    let ui = crate::i18n::Ui::embedded();
    Choice {
        id: id.to_string(),
        label: Text::new(ui.get(Lang::En, key), ui.get(Lang::Zh, key)),
        short: None,
        help: None,
        exclusive: false,
        provider: None,
        retired: None,
        is_not_sure: false,
        means: crate::meaning::Means::default(),
    }
}

fn load_providers(
    raw: raw::RawProvidersFile,
    name: &str,
    catalog: &mut Catalog,
    d: &mut Diagnostics,
) {
    for f in raw.facts {
        let f = f.value;
        check_id(&f.id, name, "fact", IdPattern::Snake, d);
        if catalog.fact_by_id.contains_key(&f.id.value) {
            d.push(
                Diagnostic::error("E0303", span_of(name, &f.id))
                    .arg("id", f.id.value.clone())
                    .arg("first", f.id.value.clone()),
            );
            continue;
        }
        catalog
            .fact_by_id
            .insert(f.id.value.clone(), catalog.facts.len());
        catalog.facts.push(FactDef {
            id: f.id.value.clone(),
            label: text(&f.label, name, "label", d),
        });
    }
    for p in raw.providers {
        let pspan = span_of(name, &p);
        let p = p.value;
        check_id(&p.id, name, "provider", IdPattern::Snake, d);
        if catalog.provider_by_id.contains_key(&p.id.value) {
            d.push(Diagnostic::error("E0301", span_of(name, &p.id)).arg("id", p.id.value.clone()));
            continue;
        }
        let mut facts: Vec<Option<Fact>> = vec![None; catalog.facts.len()];
        for (key, fact) in p.facts.0 {
            let Some(&fi) = catalog.fact_by_id.get(&key.value) else {
                d.push(
                    Diagnostic::error("E0304", span_of(name, &key))
                        .arg("id", key.value.clone())
                        .arg(
                            "suggestion",
                            suggest(&key.value, catalog.facts.iter().map(|f| f.id.as_str())),
                        ),
                );
                continue;
            };
            check_date(&fact.value.checked, name, d);
            if fact.value.source.trim().is_empty() {
                d.push(
                    Diagnostic::error("E0305", span_of(name, &fact)).arg("id", key.value.clone()),
                );
            }
            facts[fi] = Some(Fact {
                value: fact.value.value,
                source: fact.value.source.clone(),
                checked: fact.value.checked.value.clone(),
                note: opt_text(fact.value.note.as_ref(), name, "note", d),
            });
        }
        let mut complete = Vec::with_capacity(facts.len());
        for (i, f) in facts.into_iter().enumerate() {
            if let Some(f) = f {
                complete.push(f);
            } else {
                d.push(
                    Diagnostic::error("E0302", pspan.clone())
                        .arg("provider", p.id.value.clone())
                        .arg("fact", catalog.facts[i].id.clone()),
                );
                complete.push(Fact {
                    value: crate::model::FactValue::Unknown,
                    source: String::new(),
                    checked: String::new(),
                    note: None,
                });
            }
        }
        catalog
            .provider_by_id
            .insert(p.id.value.clone(), catalog.providers.len());
        catalog.providers.push(Provider {
            id: p.id.value.clone(),
            kind: p.kind,
            name: text(&p.name, name, "name", d),
            operator: text(&p.operator, name, "operator", d),
            region: text(&p.region, name, "region", d),
            covers: text(&p.covers, name, "covers", d),
            does_not_cover: text(&p.does_not_cover, name, "does_not_cover", d),
            located: p.located.as_ref().map(|l| {
                sourced(name, "located", l, &l.value.source, &l.value.checked, d);
                crate::model::Located {
                    value: l.value.value,
                    source: l.value.source.clone(),
                    checked: l.value.checked.value.clone(),
                }
            }),
            keeps_for: p.keeps_for.as_ref().map(|l| {
                sourced(name, "keeps_for", l, &l.value.source, &l.value.checked, d);
                crate::model::KeepsFor {
                    days: l.value.days,
                    source: l.value.source.clone(),
                    checked: l.value.checked.value.clone(),
                }
            }),
            facts: complete,
        });
    }
}

/// Checks the source and date of a provider's sourced field (`located:`, `keeps_for:`).
fn sourced<T>(
    name: &str,
    field: &str,
    at: &raw::S<T>,
    source: &str,
    checked: &raw::S<String>,
    d: &mut Diagnostics,
) {
    check_date(checked, name, d);
    if source.trim().is_empty() {
        d.push(Diagnostic::error("E0305", span_of(name, at)).arg("id", field.to_string()));
    }
}

fn load_threats(sources: &Sources, qn: &Questionnaire, catalog: &mut Catalog, d: &mut Diagnostics) {
    let mut parsed: Vec<(String, raw::RawThreatFile)> = Vec::new();
    for f in sources.in_dir("catalog/threats") {
        let name = f.display();
        match parse_yaml::<raw::RawThreatFile>(&name, &f.bytes) {
            Ok(r) => parsed.push((name, r)),
            Err(e) => d.push(e),
        }
    }
    if parsed.is_empty() && !d.has_errors() {
        d.push(
            Diagnostic::error("E0403", file_span("catalog/threats/"))
                .arg("file", "catalog/threats/*.yaml"),
        );
    }

    // Pass 1: ids of threats and of the mitigations they define.
    let mut threat_spans: HashMap<String, Span> = HashMap::new();
    for (name, file) in &parsed {
        for t in &file.threats {
            let id = &t.value.id;
            check_id(id, name, "threat", IdPattern::Kebab, d);
            if let Some(prev) = threat_spans.insert(id.value.clone(), span_of(name, id)) {
                d.push(
                    Diagnostic::error("E0201", span_of(name, id))
                        .arg("id", id.value.clone())
                        .arg("first", prev.to_string()),
                );
            }
        }
    }
    for (name, file) in &parsed {
        for t in &file.threats {
            let threat_index = catalog.threats.len();
            let t = &t.value;
            if catalog.threat_by_id.contains_key(&t.id.value) {
                continue;
            }
            catalog
                .threat_by_id
                .insert(t.id.value.clone(), threat_index);
            // Placeholders so indices line up; filled in pass 2.
            catalog.threats.push(Threat {
                id: t.id.value.clone(),
                title: Text::default(),
                description: Text::default(),
                why: Text::default(),
                dimension: t.dimension,
                severity: t.severity,
                severity_rules: Vec::new(),
                applies_when: Condition::always(),
                references: Vec::new(),
                sources: t.sources.clone(),
                mitigations: Vec::new(),
                retired: None,
                span: span_of(name, &t.id),
            });
            for m in &t.mitigations.value {
                let m = &m.value;
                let Some(id) = &m.id else { continue };
                check_id(id, name, "mitigation", IdPattern::Kebab, d);
                if let Some(first) = threat_spans.get(&id.value) {
                    d.push(
                        Diagnostic::error("E0202", span_of(name, id))
                            .arg("id", id.value.clone())
                            .arg("first", first.to_string()),
                    );
                    continue;
                }
                if let Some(&prev) = catalog.mitigation_by_id.get(&id.value) {
                    d.push(
                        Diagnostic::error("E0202", span_of(name, id))
                            .arg("id", id.value.clone())
                            .arg("first", catalog.mitigations[prev].span.to_string()),
                    );
                    continue;
                }
                let mspan = span_of(name, id);
                let mut missing = |field: &str| {
                    d.push(
                        Diagnostic::error("E0208", mspan.clone())
                            .arg("id", id.value.clone())
                            .arg("field", field.to_string()),
                    );
                };
                if m.reference.is_some() {
                    missing("ref");
                }
                let (Some(title), Some(detail), Some(stage), Some(owner), Some(effort)) =
                    (&m.title, &m.detail, m.stage, m.owner, m.effort)
                else {
                    for (f, present) in [
                        ("title", m.title.is_some()),
                        ("detail", m.detail.is_some()),
                        ("stage", m.stage.is_some()),
                        ("owner", m.owner.is_some()),
                        ("effort", m.effort.is_some()),
                    ] {
                        if !present {
                            missing(f);
                        }
                    }
                    continue;
                };
                catalog
                    .mitigation_by_id
                    .insert(id.value.clone(), catalog.mitigations.len());
                catalog.mitigations.push(Mitigation {
                    id: id.value.clone(),
                    title: text(title, name, "mitigation.title", d),
                    detail: text(detail, name, "mitigation.detail", d),
                    stage,
                    owner,
                    effort,
                    defined_in: threat_index,
                    span: mspan,
                    satisfied_when: None,
                    needs: None,
                });
            }
        }
    }

    // Pass 2: texts, conditions, references, mitigation refs.
    let mut index = 0;
    let mut mitigation_conditions = Vec::new();
    for (name, file) in parsed {
        for t in file.threats {
            let t = t.value;
            if catalog.threat_by_id.get(&t.id.value) != Some(&index) {
                continue;
            }
            let ctx = CondCtx {
                qn,
                catalog,
                file: &name,
                before: None,
            };
            let applies_when = ctx
                .condition(&t.applies_when, d)
                .unwrap_or_else(Condition::always);
            let mut rules = Vec::new();
            for r in &t.severity_rules {
                let change = match (r.value.raise_to, r.value.lower_to) {
                    (Some(s), None) => SeverityChange::RaiseTo(s),
                    (None, Some(s)) => SeverityChange::LowerTo(s),
                    _ => {
                        d.push(Diagnostic::error("E0210", span_of(&name, r)));
                        continue;
                    }
                };
                if let Some(when) = ctx.condition(&r.value.when, d) {
                    rules.push(SeverityRule { change, when });
                }
            }
            let mut refs = Vec::new();
            for r in &t.references {
                match catalog.reference_by_id.get(&r.value) {
                    Some(&i) => refs.push(i),
                    None => d.push(
                        Diagnostic::error("E0207", span_of(&name, r))
                            .arg("id", r.value.clone())
                            .arg(
                                "suggestion",
                                suggest(&r.value, catalog.references.iter().map(|x| x.id.as_str())),
                            ),
                    ),
                }
            }
            let mut mitigations = Vec::new();
            for m in &t.mitigations.value {
                let m = &m.value;
                let id = match (&m.id, &m.reference) {
                    (Some(id), _) => id,
                    (None, Some(r)) => {
                        if m.title.is_some()
                            || m.detail.is_some()
                            || m.stage.is_some()
                            || m.satisfied_when.is_some()
                            || m.needs.is_some()
                        {
                            d.push(
                                Diagnostic::error("E0211", span_of(&name, r))
                                    .arg("id", r.value.clone()),
                            );
                        }
                        r
                    }
                    (None, None) => {
                        d.push(
                            Diagnostic::error("E0208", span_of(&name, &t.mitigations))
                                .arg("id", t.id.value.clone())
                                .arg("field", "id"),
                        );
                        continue;
                    }
                };
                if m.id.is_some()
                    && let Some(&i) = catalog.mitigation_by_id.get(&id.value)
                    && catalog.mitigations[i].defined_in == index
                {
                    let satisfied_when =
                        m.satisfied_when.as_ref().and_then(|c| ctx.condition(c, d));
                    let needs = m.needs.as_ref().and_then(|c| ctx.condition(c, d));
                    mitigation_conditions.push((i, satisfied_when, needs));
                }
                match catalog.mitigation_by_id.get(&id.value) {
                    Some(&i) if !mitigations.contains(&i) => mitigations.push(i),
                    None if m.reference.is_some() => d.push(
                        Diagnostic::error("E0209", span_of(&name, id))
                            .arg("id", id.value.clone())
                            .arg(
                                "suggestion",
                                suggest(
                                    &id.value,
                                    catalog.mitigations.iter().map(|x| x.id.as_str()),
                                ),
                            ),
                    ),
                    Some(_) | None => {}
                }
            }
            if t.mitigations.value.is_empty() {
                d.push(
                    Diagnostic::error("E0212", span_of(&name, &t.id)).arg("id", t.id.value.clone()),
                );
            }
            let th = &mut catalog.threats[index];
            th.title = text(&t.title, &name, "title", d);
            th.description = text(&t.description, &name, "description", d);
            th.why = text(&t.why, &name, "why", d);
            th.severity_rules = rules;
            th.applies_when = applies_when;
            th.references = refs;
            th.mitigations = mitigations;
            th.retired = retired(t.retired.as_ref(), &name, d);
            index += 1;
        }
    }
    for (i, satisfied_when, needs) in mitigation_conditions {
        catalog.mitigations[i].satisfied_when = satisfied_when;
        catalog.mitigations[i].needs = needs;
    }
    catalog.mitigation_threats = vec![Vec::new(); catalog.mitigations.len()];
    for (ti, t) in catalog.threats.iter().enumerate() {
        for &m in &t.mitigations {
            catalog.mitigation_threats[m].push(ti);
        }
    }
}

fn load_manifest(raw: raw::RawManifest, name: &str, d: &mut Diagnostics) -> Manifest {
    if raw.format.value > CATALOG_FORMAT {
        d.push(
            Diagnostic::error("E0401", span_of(name, &raw.format))
                .arg("found", raw.format.value.to_string())
                .arg("supported", CATALOG_FORMAT.to_string()),
        );
    }
    check_date(&raw.released, name, d);
    let mut changelog = Vec::new();
    let mut last: Option<u32> = None;
    for e in raw.changelog {
        let espan = span_of(name, &e);
        let e = e.value;
        check_date(&e.date, name, d);
        if last.is_some_and(|l| e.version <= l) {
            d.push(Diagnostic::error("E0402", espan).arg("version", e.version.to_string()));
        }
        last = Some(e.version);
        changelog.push(ChangelogEntry {
            version: e.version,
            date: e.date.value.clone(),
            content_hash: e.content_hash,
            added: e.added,
            changed: e.changed,
            retired: e.retired,
            note: opt_text(e.note.as_ref(), name, "note", d),
        });
    }
    if last != Some(raw.version.value) {
        d.push(
            Diagnostic::error("E0404", span_of(name, &raw.version))
                .arg("version", raw.version.value.to_string()),
        );
    }
    Manifest {
        format: raw.format.value,
        version: raw.version.value,
        released: raw.released.value,
        changelog,
    }
}

struct CondCtx<'a> {
    qn: &'a Questionnaire,
    catalog: &'a Catalog,
    file: &'a str,
    /// For `show_when`: only questions before this index may be named.
    before: Option<usize>,
}

impl CondCtx<'_> {
    fn condition(&self, raw: &S<RawCondition>, d: &mut Diagnostics) -> Option<Condition> {
        let r = &raw.value;
        let span = span_of(self.file, raw);
        let forms = [
            r.all.is_some(),
            r.any.is_some(),
            r.not.is_some(),
            r.question.is_some(),
            r.providers_of.is_some(),
            means::has_shape_form(r),
        ]
        .iter()
        .filter(|&&b| b)
        .count();
        if forms != 1 || means::shape_form_count(r) > 1 {
            d.push(Diagnostic::error("E0206", span));
            return None;
        }
        if means::has_shape_form(r) {
            return means::shape_condition(r, self.file, span, d);
        }
        if let Some(parts) = r.all.as_ref().or(r.any.as_ref()) {
            let conds: Vec<Condition> = parts.iter().filter_map(|p| self.condition(p, d)).collect();
            if conds.len() != parts.len() {
                return None;
            }
            if parts.is_empty() {
                d.push(Diagnostic::error("E0206", span));
                return None;
            }
            return Some(if r.all.is_some() {
                Condition::All(conds)
            } else {
                Condition::Any(conds)
            });
        }
        if let Some(inner) = &r.not {
            return self
                .condition(inner, d)
                .map(|c| Condition::Not(Box::new(c)));
        }
        if let Some(of) = &r.providers_of {
            let q = self.question(of, d)?;
            let Some(fact) = &r.any_has else {
                d.push(Diagnostic::error("E0206", span));
                return None;
            };
            let other_fields = r.is.is_some()
                || r.is_any.is_some()
                || r.includes.is_some()
                || r.includes_any.is_some()
                || r.answered.is_some()
                || r.gte.is_some()
                || r.lt.is_some();
            if other_fields {
                d.push(Diagnostic::error("E0206", span));
                return None;
            }
            let question = &self.qn.questions[q];
            if !question.options.iter().any(|o| o.provider.is_some()) {
                d.push(
                    Diagnostic::error("E0307", span_of(self.file, of)).arg("id", of.value.clone()),
                );
            }
            let Some(&fi) = self.catalog.fact_by_id.get(&fact.value) else {
                d.push(
                    Diagnostic::error("E0304", span_of(self.file, fact))
                        .arg("id", fact.value.clone())
                        .arg(
                            "suggestion",
                            suggest(
                                &fact.value,
                                self.catalog.facts.iter().map(|f| f.id.as_str()),
                            ),
                        ),
                );
                return None;
            };
            return Some(Condition::ProviderFact {
                question: q,
                fact: fi,
            });
        }
        // A test on one question.
        let qid = r.question.as_ref()?;
        if r.any_has.is_some() {
            d.push(Diagnostic::error("E0206", span));
            return None;
        }
        let q = self.question(qid, d)?;
        let question = &self.qn.questions[q];
        let tests = [
            r.is.is_some(),
            r.is_any.is_some(),
            r.includes.is_some(),
            r.includes_any.is_some(),
            r.answered.is_some(),
            r.gte.is_some(),
            r.lt.is_some(),
        ]
        .iter()
        .filter(|&&b| b)
        .count();
        if tests != 1 {
            d.push(Diagnostic::error("E0206", span));
            return None;
        }
        let kind = question.kind;
        let wrong_kind = |test: &str, d: &mut Diagnostics| {
            d.push(
                Diagnostic::error("E0205", span.clone())
                    .arg("test", test.to_string())
                    .arg("id", qid.value.clone())
                    .arg("kind", kind.code()),
            );
        };
        let test = if let Some(a) = r.answered {
            Test::Answered(a)
        } else if r.is.is_some() || r.is_any.is_some() {
            if !matches!(kind, QuestionKind::Single | QuestionKind::YesNo) {
                wrong_kind(if r.is.is_some() { "is" } else { "is_any" }, d);
                return None;
            }
            Test::Is(self.options(question, r.is.iter().chain(r.is_any.iter().flatten()), d)?)
        } else if r.includes.is_some() || r.includes_any.is_some() {
            if kind != QuestionKind::Multiple {
                wrong_kind(
                    if r.includes.is_some() {
                        "includes"
                    } else {
                        "includes_any"
                    },
                    d,
                );
                return None;
            }
            Test::Includes(self.options(
                question,
                r.includes.iter().chain(r.includes_any.iter().flatten()),
                d,
            )?)
        } else if let Some(n) = r.gte {
            if kind != QuestionKind::Number {
                wrong_kind("gte", d);
                return None;
            }
            Test::Gte(n)
        } else if let Some(n) = r.lt {
            if kind != QuestionKind::Number {
                wrong_kind("lt", d);
                return None;
            }
            Test::Lt(n)
        } else {
            return None;
        };
        Some(Condition::Answer { question: q, test })
    }

    fn question(&self, id: &S<String>, d: &mut Diagnostics) -> Option<usize> {
        match self.qn.index(&id.value) {
            Some(i) => {
                if let Some(limit) = self.before
                    && i >= limit
                {
                    d.push(
                        Diagnostic::error("E0106", span_of(self.file, id))
                            .arg("id", id.value.clone())
                            .arg("question", self.qn.questions[limit].id.clone()),
                    );
                    return None;
                }
                Some(i)
            }
            None => {
                d.push(
                    Diagnostic::error("E0203", span_of(self.file, id))
                        .arg("id", id.value.clone())
                        .arg(
                            "suggestion",
                            suggest(&id.value, self.qn.questions.iter().map(|q| q.id.as_str())),
                        ),
                );
                None
            }
        }
    }

    /// The named options as a bit per option index; every name must be a real option.
    fn options<'b>(
        &self,
        q: &Question,
        ids: impl Iterator<Item = &'b S<String>>,
        d: &mut Diagnostics,
    ) -> Option<u64> {
        let mut mask = 0u64;
        let mut ok = true;
        for id in ids {
            match q.option_index(&id.value) {
                Some(i) if id.value != NOT_SURE && i < 64 => mask |= 1 << i,
                _ => {
                    ok = false;
                    d.push(
                        Diagnostic::error("E0204", span_of(self.file, id))
                            .arg("option", id.value.clone())
                            .arg("id", q.id.clone())
                            .arg(
                                "choices",
                                q.options
                                    .iter()
                                    .filter(|o| !o.is_not_sure)
                                    .map(|o| o.id.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                    );
                }
            }
        }
        ok.then_some(mask)
    }
}

// ---- content hash ---------------------------------------------------------------------------

/// A stable hash of the catalog content (questionnaire, threats, providers, references), with
/// line endings normalised, so a checkout on any platform hashes the same. Used to hold content
/// changes to a version bump and a changelog entry; not a security hash.
pub fn content_hash(sources: &Sources) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            if b == b'\r' {
                continue;
            }
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in sources.iter() {
        let counted = f.rel.starts_with("questionnaires/")
            || f.rel.starts_with("catalog/threats/")
            || f.rel == "catalog/providers.yaml"
            || f.rel == "catalog/references.yaml";
        if counted {
            eat(f.rel.as_bytes());
            eat(&[0]);
            eat(&f.bytes);
            eat(&[0]);
        }
    }
    format!("{h:016x}")
}

// ---- assessment: see load/assessment.rs ------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn id_patterns() {
        assert!(IdPattern::Dotted.matches("data.personal_categories"));
        assert!(!IdPattern::Dotted.matches("data"));
        assert!(!IdPattern::Dotted.matches("Data.x"));
        assert!(IdPattern::Kebab.matches("key-in-frontend"));
        assert!(!IdPattern::Kebab.matches("key_in_frontend"));
        assert!(!IdPattern::Kebab.matches("key-"));
        assert!(IdPattern::Snake.matches("not_sure2"));
    }

    #[test]
    fn suggestions_find_near_ids() {
        // Ids of no questionnaire: this test must not spell a real one (tests/no_id_literals.rs).
        let c = ["pets.favourite", "pets.names", "food.kinds"];
        assert_eq!(
            suggest("pet.favourite", c.iter().copied()),
            "pets.favourite"
        );
        assert_eq!(suggest("zzzzzz", c.iter().copied()), "");
    }

    #[test]
    fn parse_refuses_oversize_binary_and_empty() {
        let big = vec![b'a'; usize::try_from(MAX_INPUT_BYTES).unwrap_or(0) + 1];
        let e = parse_yaml::<serde_json::Value>("big.yaml", &big).expect_err("too big");
        assert_eq!(e.code, "E0001");
        let e = parse_yaml::<serde_json::Value>("b.yaml", b"a: 1\n\0").expect_err("nul");
        assert_eq!((e.code, e.span.line, e.span.col), ("E0002", 2, 1));
        let e = parse_yaml::<serde_json::Value>("u.yaml", b"a: \xff\n").expect_err("utf8");
        assert_eq!((e.code, e.span.line, e.span.col), ("E0002", 1, 4));
        let e = parse_yaml::<serde_json::Value>("e.yaml", b"  \n# only a comment\n")
            .expect_err("empty");
        assert_eq!(e.code, "E0003");
    }

    #[test]
    fn parse_refuses_deep_nesting_and_alias_bombs() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let e = parse_yaml::<serde_json::Value>("deep.yaml", deep.as_bytes()).expect_err("deep");
        assert_eq!(e.code, "E0004");
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            let _ = writeln!(
                bomb,
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]"
            );
        }
        let e = parse_yaml::<serde_json::Value>("bomb.yaml", bomb.as_bytes()).expect_err("bomb");
        assert!(matches!(e.code, "E0004" | "E0005"), "{e:?}");
        assert!(e.span.line >= 1);
    }
}
