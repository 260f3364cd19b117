//! Lint checks that every piece of content is used (`catalog lint`, `../shared/STYLE.md` 10b):
//! an option that nothing reads (W0402) and a reference that no threat cites (W0403). They are
//! warnings: the catalog loads, but an unread option asks the user something for nothing.

use crate::condition::{Condition, Test};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Knowledge, QuestionKind, Span};

/// Marks the options (a bit per option index) each condition reads, per question.
fn mark(c: &Condition, k: &Knowledge, read: &mut [u64]) {
    match c {
        Condition::All(ps) | Condition::Any(ps) => ps.iter().for_each(|p| mark(p, k, read)),
        Condition::Not(p) => mark(p, k, read),
        Condition::Answer { question, test } => {
            if let (Test::Is(m) | Test::Includes(m), Some(r)) = (test, read.get_mut(*question)) {
                *r |= m;
            }
        }
        Condition::ProviderFact { question, .. } => {
            if let (Some(q), Some(r)) = (
                k.questionnaire.questions.get(*question),
                read.get_mut(*question),
            ) {
                for (i, o) in q.options.iter().enumerate() {
                    if o.provider.is_some() {
                        *r |= 1u64 << (i & 63);
                    }
                }
            }
        }
        // Shape forms read meanings, which count on their own.
        Condition::Shape(_) => {}
    }
}

/// W0402 and W0403 over a loaded catalog. Exempt from W0402: "not sure", an exclusive option
/// ("none of these" answers the question by ruling the others out), retired options and
/// questions, a question whose whole answer has a meaning, and the other half of a yes/no question
/// whose `yes` or `no` is read or has a meaning.
pub fn unused(k: &Knowledge) -> Diagnostics {
    let mut d = Diagnostics::default();
    let mut read = vec![0u64; k.questionnaire.questions.len()];
    for q in &k.questionnaire.questions {
        if let Some(c) = &q.show_when {
            mark(c, k, &mut read);
        }
    }
    for t in &k.catalog.threats {
        mark(&t.applies_when, k, &mut read);
        for r in &t.severity_rules {
            mark(&r.when, k, &mut read);
        }
    }
    for m in &k.catalog.mitigations {
        for c in m.satisfied_when.iter().chain(m.needs.iter()) {
            mark(c, k, &mut read);
        }
    }
    for (qi, q) in k.questionnaire.questions.iter().enumerate() {
        // A question whose whole answer has a meaning (`means: {answer: …}`) is read whole.
        if q.is_retired() || q.means.is_some() {
            continue;
        }
        let used: Vec<bool> = q
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                read[qi] & (1u64 << (i & 63)) != 0
                    || !o.means.is_empty()
                    || o.provider.is_some()
                    || o.is_not_sure
                    || o.exclusive
                    || o.retired.is_some()
            })
            .collect();
        // `yes` and `no` are one fact: reading (or meaning) either reads both.
        let yes_no_used = q.kind == QuestionKind::YesNo
            && q.options
                .iter()
                .zip(&used)
                .any(|(o, &u)| u && !o.is_not_sure);
        for (o, &u) in q.options.iter().zip(&used) {
            if !u && !yes_no_used {
                d.push(
                    Diagnostic::error("W0402", q.span.clone())
                        .arg("option", o.id.clone())
                        .arg("id", q.id.clone()),
                );
            }
        }
    }
    let mut cited = vec![false; k.catalog.references.len()];
    for t in &k.catalog.threats {
        for &r in &t.references {
            if let Some(c) = cited.get_mut(r) {
                *c = true;
            }
        }
    }
    for (r, c) in k.catalog.references.iter().zip(&cited) {
        if !c {
            d.push(
                Diagnostic::error(
                    "W0403",
                    Span {
                        file: "catalog/references.yaml".into(),
                        line: 0,
                        col: 0,
                    },
                )
                .arg("id", r.id.clone()),
            );
        }
    }
    d
}
