//! Folds: a retired question whose answer lives on as options of another, multiple-choice
//! question (`retired: {replaced_by: Q, options: {old_option: [new_option, …]}}`). This module
//! checks the option map when the questionnaire loads (E0119–E0123) and merges folded answers
//! into their target when an assessment loads (W0508–W0510).

use super::{
    Answer, AnswerSource, BTreeMap, Diagnostic, Diagnostics, QuestionKind, S, Span, Value,
};
use crate::model::{Question, Questionnaire};

/// An option id as written, with its position.
type Placed = (String, Span);

/// One option map as written, with positions, checked once every question is read.
pub struct Pending {
    question: usize,
    span: Span,
    /// Each option of the retired question, with the target options it maps to.
    entries: Vec<(String, Span, Vec<Placed>)>,
}

impl Pending {
    pub fn new(question: usize, file: &str, m: &S<super::raw::SpannedMap<Vec<S<String>>>>) -> Self {
        Pending {
            question,
            span: super::span_of(file, m),
            entries: m
                .value
                .0
                .iter()
                .map(|(from, to)| {
                    (
                        from.value.clone(),
                        super::span_of(file, from),
                        to.iter()
                            .map(|o| (o.value.clone(), super::span_of(file, o)))
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

fn choices<'a>(q: &'a Question, usable: impl Fn(&crate::model::Choice) -> bool) -> String {
    q.options
        .iter()
        .filter(|o| usable(o))
        .map(|o| o.id.as_str())
        .collect::<Vec<&'a str>>()
        .join(", ")
}

/// Checks every option map: it folds a choice question into a multiple-choice one (E0123), each
/// key is an option of the retired question (E0120), each of its options is mapped (E0122), and
/// each value is a live option of the target that is neither exclusive nor "not sure" (E0121).
pub fn check(qn: &Questionnaire, pending: &[Pending], d: &mut Diagnostics) {
    for p in pending {
        let Some(q) = qn.questions.get(p.question) else {
            continue;
        };
        // A `replaced_by:` that names no live question is E0117 already.
        let Some(to) = q
            .retired
            .as_ref()
            .and_then(|r| r.replaced_by.as_deref())
            .and_then(|to| qn.question(to))
            .filter(|t| !t.is_retired())
        else {
            if q.retired.as_ref().is_some_and(|r| r.replaced_by.is_none()) {
                d.push(Diagnostic::error("E0119", p.span.clone()));
            }
            continue;
        };
        let is_choice = matches!(
            q.kind,
            QuestionKind::Single | QuestionKind::Multiple | QuestionKind::YesNo
        );
        if !is_choice || to.kind != QuestionKind::Multiple {
            d.push(
                Diagnostic::error("E0123", p.span.clone())
                    .arg("id", q.id.clone())
                    .arg("to", to.id.clone()),
            );
            continue;
        }
        for (from, span, targets) in &p.entries {
            if q.option(from).is_none() {
                d.push(
                    Diagnostic::error("E0120", span.clone())
                        .arg("option", super::echo(from))
                        .arg("id", q.id.clone())
                        .arg("choices", choices(q, |_| true)),
                );
            }
            for (t, tspan) in targets {
                let usable = |o: &crate::model::Choice| {
                    o.retired.is_none() && !o.exclusive && !o.is_not_sure
                };
                if !to.option(t).is_some_and(usable) {
                    d.push(
                        Diagnostic::error("E0121", tspan.clone())
                            .arg("option", super::echo(t))
                            .arg("id", to.id.clone())
                            .arg("choices", choices(to, usable)),
                    );
                }
            }
        }
        for o in &q.options {
            if !p.entries.iter().any(|(from, _, _)| *from == o.id) {
                d.push(
                    Diagnostic::error("E0122", p.span.clone())
                        .arg("option", o.id.clone())
                        .arg("id", q.id.clone()),
                );
            }
        }
    }
}

/// A folded answer on its way to its target: where it came from and the options it adds.
pub struct Folded {
    pub from: String,
    pub span: Span,
    pub options: Vec<String>,
    pub answer: Answer,
}

/// The options a retired question's answer adds to its fold target, in the target's order.
pub fn mapped(q: &Question, to: &Question, value: &Value) -> Vec<String> {
    let Some(map) = q.retired.as_ref().and_then(|r| r.folds.as_ref()) else {
        return Vec::new();
    };
    let chosen: Vec<&str> = match value {
        Value::Choice(c) => vec![c.as_str()],
        Value::Choices(cs) => cs.iter().map(String::as_str).collect(),
        Value::Number(_) | Value::Text(_) => Vec::new(),
    };
    to.options
        .iter()
        .filter(|o| {
            chosen
                .iter()
                .filter_map(|c| map.get(*c))
                .any(|ts| ts.contains(&o.id))
        })
        .map(|o| o.id.clone())
        .collect()
}

/// Merges the folded answers into their target. The options are added to the target's own answer
/// (a union, in the target's order). A "not sure" answer stays as it is and the folded options
/// are dropped (W0509), so that an unsure answer never turns into a definite one. A "none of
/// these" answer was given about the options the target had then, none of which the folded
/// answer ticks, so the folded options take its place (W0510). Without an answer to the target,
/// the folded options become it; when they add nothing (every source answered "no" or "not
/// sure"), the target stays unanswered and the wizard asks it, where the unticked option says the
/// same.
pub fn merge(
    to: &Question,
    folded: &[Folded],
    answers: &mut BTreeMap<String, Answer>,
    d: &mut Diagnostics,
) {
    let added: Vec<&String> = to
        .options
        .iter()
        .map(|o| &o.id)
        .filter(|id| folded.iter().any(|f| f.options.contains(id)))
        .collect();
    if let Some(existing) = answers.get_mut(&to.id) {
        let Value::Choices(have) = &mut existing.value else {
            return;
        };
        let unsure = have
            .iter()
            .any(|c| to.option(c).is_some_and(|o| o.is_not_sure));
        if unsure {
            for f in folded.iter().filter(|f| !f.options.is_empty()) {
                d.push(
                    Diagnostic::error("W0509", f.span.clone())
                        .arg("from", f.from.clone())
                        .arg("to", to.id.clone())
                        .arg("options", f.options.join(", ")),
                );
            }
            return;
        }
        let none: Vec<String> = have
            .iter()
            .filter(|c| to.option(c).is_some_and(|o| o.exclusive))
            .cloned()
            .collect();
        if !none.is_empty() {
            if added.is_empty() {
                return;
            }
            have.retain(|c| !none.contains(c));
            for f in folded.iter().filter(|f| !f.options.is_empty()) {
                d.push(
                    Diagnostic::error("W0510", f.span.clone())
                        .arg("from", f.from.clone())
                        .arg("to", to.id.clone())
                        .arg("none", none.join(", "))
                        .arg("options", f.options.join(", ")),
                );
            }
        }
        let mut union: Vec<String> = to
            .options
            .iter()
            .filter(|o| have.contains(&o.id) || added.contains(&&o.id))
            .map(|o| o.id.clone())
            .collect();
        // Options the file holds that the questionnaire orders nowhere (none today) stay last.
        union.extend(have.iter().filter(|c| to.option(c).is_none()).cloned());
        *have = union;
        return;
    }
    if added.is_empty() {
        return;
    }
    let confirmed = folded.iter().all(|f| f.answer.confirmed);
    let scanned = folded.iter().any(|f| f.answer.source == AnswerSource::Scan);
    // The oldest date, so that a review asks about the merged answer no later than about its parts.
    let at = folded
        .iter()
        .map(|f| f.answer.at.clone())
        .filter(|a| !a.is_empty())
        .min()
        .unwrap_or_default();
    answers.insert(
        to.id.clone(),
        Answer {
            value: Value::Choices(added.into_iter().cloned().collect()),
            at,
            source: if scanned {
                AnswerSource::Scan
            } else {
                AnswerSource::User
            },
            confirmed,
            evidence: None,
        },
    );
}
