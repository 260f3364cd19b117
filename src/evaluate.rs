//! Assessment × knowledge → findings. Pure and deterministic: the same inputs and the same `today`
//! give the same findings in the same order; the work is linear in the size of the catalog.

use serde::Serialize;

use crate::condition::{Evaluator, Leaf, QState, Trace, Tri};
use crate::model::{
    Assessment, DecisionStatus, Dimension, Knowledge, Severity, SeverityChange, Value,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// The threat's condition holds.
    Definite,
    /// The condition is unknown: some answers are missing or "not sure".
    Possible,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Mitigated,
    Accepted,
    NotApplicable,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Mitigated => "mitigated",
            Status::Accepted => "accepted",
            Status::NotApplicable => "not_applicable",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MitigationState {
    Open,
    Done,
    Accepted,
    NotApplicable,
}

impl MitigationState {
    pub fn code(self) -> &'static str {
        match self {
            MitigationState::Open => "open",
            MitigationState::Done => "done",
            MitigationState::Accepted => "accepted",
            MitigationState::NotApplicable => "not_applicable",
        }
    }

    pub fn is_settled(self) -> bool {
        !matches!(self, MitigationState::Open)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Index into `Catalog::threats`.
    pub threat: usize,
    pub certainty: Certainty,
    pub base_severity: Severity,
    pub severity: Severity,
    pub status: Status,
    /// An acceptance whose `until` date has passed: the finding is open again.
    pub acceptance_expired: bool,
    /// The answers and provider facts that made the condition hold (or that are unknown).
    pub why: Vec<Leaf>,
    /// Questions whose answers would decide a possible finding.
    pub unknowns: Vec<usize>,
    /// (index into `Catalog::mitigations`, state).
    pub mitigations: Vec<(usize, MitigationState)>,
}

impl Finding {
    pub fn is_open(&self) -> bool {
        self.status == Status::Open
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DimensionScore {
    pub dimension: Option<Dimension>,
    /// Definite findings that apply (not marked not-applicable).
    pub applicable: u32,
    /// Of those, mitigated or accepted.
    pub handled: u32,
    pub open_high: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Findings {
    pub findings: Vec<Finding>,
    pub scores: Vec<DimensionScore>,
    /// Visible questions with no answer yet, in questionnaire order.
    pub unanswered: Vec<usize>,
    /// Visible questions answered "not sure".
    pub not_sure: Vec<usize>,
    /// Visible (asked) questions, in order: what the wizard walks through.
    pub visible: Vec<usize>,
}

impl Findings {
    pub fn definite(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.certainty == Certainty::Definite)
    }

    pub fn possible(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.certainty == Certainty::Possible)
    }

    /// The highest severity among open definite findings.
    pub fn worst_open(&self) -> Option<Severity> {
        self.definite()
            .filter(|f| f.is_open())
            .map(|f| f.severity)
            .max()
    }
}

/// The state of every question under the answers: hidden by `show_when`, unanswered, not sure,
/// or answered. A question whose `show_when` is unknown is asked (better one question too many
/// than a threat missed). Retired questions and unconfirmed scan suggestions do not count.
pub fn question_states<'a>(k: &'a Knowledge, a: &'a Assessment) -> Vec<QState<'a>> {
    let qs = &k.questionnaire.questions;
    let mut states: Vec<QState<'a>> = Vec::with_capacity(qs.len());
    for q in qs {
        let visible = q.retired.is_none()
            && q.show_when.as_ref().is_none_or(|c| {
                let ev = Evaluator {
                    knowledge: k,
                    states: &states,
                };
                ev.eval(c, &mut Trace::default()) != Tri::False
            });
        let state = if !visible {
            QState::Hidden
        } else {
            match a.answers.get(&q.id) {
                Some(ans) if ans.counts() => {
                    if ans.value.is_not_sure() {
                        QState::NotSure
                    } else {
                        QState::Given(&ans.value)
                    }
                }
                _ => QState::Unanswered,
            }
        };
        states.push(state);
    }
    states
}

/// Evaluates every live threat against the assessment. `today` (days since the epoch) decides
/// which acceptances have expired.
pub fn evaluate(k: &Knowledge, a: &Assessment, today: i64) -> Findings {
    let states = question_states(k, a);
    let ev = Evaluator {
        knowledge: k,
        states: &states,
    };
    let cat = &k.catalog;
    let mut findings = Vec::new();
    for (ti, t) in cat.threats.iter().enumerate() {
        if t.retired.is_some() {
            continue;
        }
        let mut trace = Trace::default();
        let certainty = match ev.eval(&t.applies_when, &mut trace) {
            Tri::True => Certainty::Definite,
            Tri::Unknown => Certainty::Possible,
            Tri::False => continue,
        };
        let mut severity = t.severity;
        for rule in &t.severity_rules {
            if ev.eval(&rule.when, &mut Trace::default()) == Tri::True {
                severity = match rule.change {
                    SeverityChange::RaiseTo(s) => severity.max(s),
                    SeverityChange::LowerTo(s) => severity.min(s),
                };
            }
        }
        let mitigations: Vec<(usize, MitigationState)> = t
            .mitigations
            .iter()
            .map(|&m| (m, mitigation_state(a, &cat.mitigations[m].id, today)))
            .collect();
        let (status, acceptance_expired) = finding_status(a, &t.id, &mitigations, today);
        let mut why = trace.support;
        why.sort();
        why.dedup();
        let mut unknowns = trace.unknowns;
        unknowns.sort_unstable();
        unknowns.dedup();
        findings.push(Finding {
            threat: ti,
            certainty,
            base_severity: t.severity,
            severity,
            status,
            acceptance_expired,
            why,
            unknowns,
            mitigations,
        });
    }
    findings.sort_by(|x, y| {
        let tx = &cat.threats[x.threat];
        let ty = &cat.threats[y.threat];
        (
            x.certainty,
            x.status,
            !tx.dimension.is_blind_spot(),
            std::cmp::Reverse(x.severity),
            tx.dimension,
            &tx.id,
        )
            .cmp(&(
                y.certainty,
                y.status,
                !ty.dimension.is_blind_spot(),
                std::cmp::Reverse(y.severity),
                ty.dimension,
                &ty.id,
            ))
    });

    let mut scores: Vec<DimensionScore> = Dimension::ALL
        .iter()
        .map(|&d| DimensionScore {
            dimension: Some(d),
            ..DimensionScore::default()
        })
        .collect();
    for f in findings
        .iter()
        .filter(|f| f.certainty == Certainty::Definite)
    {
        let dim = cat.threats[f.threat].dimension;
        let Some(s) = scores.iter_mut().find(|s| s.dimension == Some(dim)) else {
            continue;
        };
        if f.status == Status::NotApplicable {
            continue;
        }
        s.applicable += 1;
        if matches!(f.status, Status::Mitigated | Status::Accepted) {
            s.handled += 1;
        }
        if f.is_open() && f.severity >= Severity::High {
            s.open_high += 1;
        }
    }

    let mut unanswered = Vec::new();
    let mut not_sure = Vec::new();
    let mut visible = Vec::new();
    for (i, s) in states.iter().enumerate() {
        match s {
            QState::Hidden => continue,
            QState::Unanswered => unanswered.push(i),
            QState::NotSure => not_sure.push(i),
            QState::Given(_) => {}
        }
        visible.push(i);
    }
    Findings {
        findings,
        scores,
        unanswered,
        not_sure,
        visible,
    }
}

fn is_expired(until: Option<&str>, today: i64) -> bool {
    until
        .and_then(crate::util::parse_date)
        .is_some_and(|d| d < today)
}

fn mitigation_state(a: &Assessment, id: &str, today: i64) -> MitigationState {
    match a.decisions.get(id) {
        None => MitigationState::Open,
        Some(d) => match d.status {
            DecisionStatus::Done => MitigationState::Done,
            DecisionStatus::NotApplicable => MitigationState::NotApplicable,
            DecisionStatus::Accepted if is_expired(d.until.as_deref(), today) => {
                MitigationState::Open
            }
            DecisionStatus::Accepted => MitigationState::Accepted,
        },
    }
}

fn finding_status(
    a: &Assessment,
    threat_id: &str,
    mitigations: &[(usize, MitigationState)],
    today: i64,
) -> (Status, bool) {
    if let Some(d) = a.decisions.get(threat_id) {
        match d.status {
            DecisionStatus::NotApplicable => return (Status::NotApplicable, false),
            DecisionStatus::Done => return (Status::Mitigated, false),
            DecisionStatus::Accepted => {
                if is_expired(d.until.as_deref(), today) {
                    return (Status::Open, true);
                }
                return (Status::Accepted, false);
            }
        }
    }
    let all_settled = !mitigations.is_empty() && mitigations.iter().all(|(_, s)| s.is_settled());
    let any_done = mitigations.iter().any(|(_, s)| *s == MitigationState::Done);
    if all_settled && any_done {
        (Status::Mitigated, false)
    } else {
        (Status::Open, false)
    }
}

/// The labels of an answer in one language, for "why" traces and summaries.
pub fn answer_labels(
    k: &Knowledge,
    question: usize,
    value: &Value,
    lang: crate::model::Lang,
) -> String {
    let q = &k.questionnaire.questions[question];
    let label = |id: &str| {
        q.option(id)
            .map_or_else(|| id.to_string(), |o| o.label.get(lang).to_string())
    };
    match value {
        Value::Choice(c) => label(c),
        Value::Choices(cs) => cs.iter().map(|c| label(c)).collect::<Vec<_>>().join(
            if lang == crate::model::Lang::Zh {
                "、"
            } else {
                ", "
            },
        ),
        Value::Number(n) => crate::util::fmt_number(*n),
        Value::Text(t) => t.clone(),
    }
}
