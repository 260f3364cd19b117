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
    question_states_and_masks(k, a).0
}

/// The question states and, for each question, its chosen options as bits.
pub fn question_states_and_masks<'a>(
    k: &'a Knowledge,
    a: &'a Assessment,
) -> (Vec<QState<'a>>, Vec<u64>) {
    let qs = &k.questionnaire.questions;
    let mut states: Vec<QState<'a>> = Vec::with_capacity(qs.len());
    let mut masks: Vec<u64> = Vec::with_capacity(qs.len());
    for q in qs {
        let visible = q.retired.is_none()
            && q.show_when.as_ref().is_none_or(|c| {
                let ev = Evaluator {
                    knowledge: k,
                    states: &states,
                    masks: &masks,
                };
                ev.value(c) != Tri::False
            });
        let mut mask = 0;
        let state = if !visible {
            QState::Hidden
        } else {
            match a.answers.get(&q.id) {
                Some(ans) if ans.counts() => {
                    if ans.value.is_not_sure() {
                        QState::NotSure
                    } else {
                        mask = crate::condition::answer_mask(q, &ans.value);
                        QState::Given(&ans.value)
                    }
                }
                _ => QState::Unanswered,
            }
        };
        states.push(state);
        masks.push(mask);
    }
    (states, masks)
}

/// Evaluates every live threat against the assessment. `today` (days since the epoch) decides
/// which acceptances have expired.
pub fn evaluate(k: &Knowledge, a: &Assessment, today: i64) -> Findings {
    let (states, masks) = question_states_and_masks(k, a);
    let ev = Evaluator {
        knowledge: k,
        states: &states,
        masks: &masks,
    };
    let cat = &k.catalog;
    let mut findings = Vec::with_capacity(cat.threats.len() / 2);
    // Threats are evaluated from the compiled program and the compact per-threat records, so a
    // large catalog is read in order; a catalog assembled without `reindex` is compiled here.
    let owned;
    let cat = if cat.compiled.len() == cat.threats.len() {
        cat
    } else {
        let mut c = cat.clone();
        c.reindex();
        owned = c;
        &owned
    };
    let no_decisions = a.decisions.is_empty();
    for (ti, ct) in cat.compiled.iter().enumerate() {
        if !ct.live || ev.run(&cat.program, ct.root) == Tri::False {
            continue;
        }
        let mut trace = Trace::default();
        let certainty = match ev.run_traced(&cat.program, ct.root, &mut trace) {
            Tri::True => Certainty::Definite,
            Tri::Unknown => Certainty::Possible,
            Tri::False => continue,
        };
        let mut severity = ct.severity;
        for &(rule, change) in &cat.compiled_rules[ct.rules.0 as usize..ct.rules.1 as usize] {
            if ev.run(&cat.program, rule) == Tri::True {
                severity = match change {
                    SeverityChange::RaiseTo(s) => severity.max(s),
                    SeverityChange::LowerTo(s) => severity.min(s),
                };
            }
        }
        let mitigations: Vec<(usize, MitigationState)> = cat.compiled_mitigations
            [ct.mitigations.0 as usize..ct.mitigations.1 as usize]
            .iter()
            .map(|&m| {
                let m = m as usize;
                let state = if no_decisions {
                    MitigationState::Open
                } else {
                    mitigation_state(a, &cat.mitigations[m].id, today)
                };
                (m, state)
            })
            .collect();
        let (status, acceptance_expired) = if no_decisions {
            (Status::Open, false)
        } else {
            finding_status(a, &cat.threats[ti].id, &mitigations, today)
        };
        let mut why = trace.support;
        why.sort();
        why.dedup();
        let mut unknowns = trace.unknowns;
        unknowns.sort_unstable();
        unknowns.dedup();
        findings.push(Finding {
            threat: ti,
            certainty,
            base_severity: ct.severity,
            severity,
            status,
            acceptance_expired,
            why,
            unknowns,
            mitigations,
        });
    }
    // Open and definite first, blind spots before user-facing safety, then by severity; ties keep
    // catalog order. Keys are small integers so sorting stays cheap on very large catalogs.
    findings.sort_by_cached_key(|x| {
        let dim = cat.compiled[x.threat].dimension;
        (
            x.certainty,
            x.status,
            !dim.is_blind_spot(),
            std::cmp::Reverse(x.severity),
            dim,
            x.threat,
        )
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
