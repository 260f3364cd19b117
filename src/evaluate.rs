//! Assessment × knowledge → findings. Pure and deterministic: the same inputs and the same `today`
//! give the same findings in the same order; the work is linear in the size of the catalog.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::condition::{Evaluator, Leaf, QState, Trace, Tri};
use crate::model::{
    Assessment, Catalog, DecisionStatus, Dimension, Knowledge, NO_CONDITION, Severity,
    SeverityChange, Value,
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
    /// Marked done by the user (`agentguard mark ID done`).
    Done,
    /// Shown as done by the answers: its `satisfied_when` holds.
    Satisfied,
    Accepted,
    NotApplicable,
}

impl MitigationState {
    pub fn code(self) -> &'static str {
        match self {
            MitigationState::Open => "open",
            MitigationState::Done => "done",
            MitigationState::Satisfied => "satisfied",
            MitigationState::Accepted => "accepted",
            MitigationState::NotApplicable => "not_applicable",
        }
    }

    pub fn is_settled(self) -> bool {
        !matches!(self, MitigationState::Open)
    }

    /// Done, by the user's decision or by the answers.
    pub fn is_done(self) -> bool {
        matches!(self, MitigationState::Done | MitigationState::Satisfied)
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
    /// (index into `Catalog::mitigations`, state). A mitigation whose `needs` is false for this
    /// agent is left out.
    pub mitigations: Vec<(usize, MitigationState)>,
    /// For each satisfied mitigation (index into `Catalog::mitigations`), the answers that
    /// satisfied it.
    pub satisfied_by: Vec<(usize, Vec<Leaf>)>,
    /// The threat's references that apply to this agent (indexes into `Catalog::references`, in
    /// the threat's order): a law reference whose `jurisdiction:` the answers rule out is left
    /// out; one the answers leave open stays.
    pub references: Vec<usize>,
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
    /// For each mitigation of the catalog, whether its `needs` holds for this agent (true when
    /// it has none); filled for the mitigations of findings, unknown elsewhere.
    pub needs: Vec<Tri>,
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

const LAW_JURISDICTIONS: usize = crate::meaning::LawJurisdiction::ALL.len();

/// Whether a law of this reach can apply to the agent: not ruled out by the answers (unknown
/// counts as applying, so a reference is never hidden on a guess). Cached per evaluation.
fn law_applies(
    k: &Knowledge,
    states: &[QState<'_>],
    lj: crate::meaning::LawJurisdiction,
    cache: &mut [Option<bool>; LAW_JURISDICTIONS],
) -> bool {
    use crate::meaning::{Jurisdiction, LawJurisdiction};
    let slot = LawJurisdiction::ALL
        .iter()
        .position(|x| *x == lj)
        .unwrap_or(0);
    if let Some(v) = cache[slot] {
        return v;
    }
    let j = match lj {
        LawJurisdiction::Global => None,
        LawJurisdiction::Cn => Some(Jurisdiction::Cn),
        LawJurisdiction::CnPublic => Some(Jurisdiction::CnPublic),
        LawJurisdiction::HkMoTw => Some(Jurisdiction::HkMoTw),
        LawJurisdiction::Eu => Some(Jurisdiction::Eu),
        LawJurisdiction::Uk => Some(Jurisdiction::Uk),
        LawJurisdiction::Us | LawJurisdiction::UsCa => Some(Jurisdiction::Us),
    };
    let v = j.is_none_or(|j| crate::meaning::jurisdiction(k, states, j).tri() != Tri::False);
    cache[slot] = Some(v);
    v
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
    let cat = if cat.compiled.len() == cat.threats.len()
        && cat.compiled_mitigation_conditions.len() == cat.mitigations.len()
    {
        cat
    } else {
        let mut c = cat.clone();
        c.reindex();
        owned = c;
        &owned
    };
    let no_decisions = a.decisions.is_empty();
    // Each mitigation's conditions are evaluated once, the first time a finding lists it.
    let mut checks: Vec<Option<MitigationCheck>> = vec![None; cat.mitigations.len()];
    let mut laws: [Option<bool>; LAW_JURISDICTIONS] = [None; LAW_JURISDICTIONS];
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
        let mut mitigations = Vec::with_capacity((ct.mitigations.1 - ct.mitigations.0) as usize);
        let mut satisfied_by = Vec::new();
        for &m in &cat.compiled_mitigations[ct.mitigations.0 as usize..ct.mitigations.1 as usize] {
            let m = m as usize;
            let check = checks[m].get_or_insert_with(|| check_mitigation(&ev, cat, m));
            if check.needs == Tri::False {
                continue;
            }
            let decided = if no_decisions {
                MitigationState::Open
            } else {
                mitigation_state(a, &cat.mitigations[m].id, today)
            };
            // The user's own decision wins; the answers settle only what is still open.
            let state = if decided == MitigationState::Open && check.satisfied {
                satisfied_by.push((m, check.why.clone()));
                MitigationState::Satisfied
            } else {
                decided
            };
            mitigations.push((m, state));
        }
        let (status, acceptance_expired) = if no_decisions && satisfied_by.is_empty() {
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
        let references = cat.threats[ti]
            .references
            .iter()
            .copied()
            .filter(|&r| {
                cat.references[r]
                    .jurisdiction
                    .is_none_or(|lj| law_applies(k, &states, lj, &mut laws))
            })
            .collect();
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
            satisfied_by,
            references,
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
        needs: checks
            .iter()
            .map(|c| c.as_ref().map_or(Tri::Unknown, |c| c.needs))
            .collect(),
    }
}

/// A mitigation's own conditions under the answers.
#[derive(Clone, Debug)]
struct MitigationCheck {
    satisfied: bool,
    /// The answers that satisfied it.
    why: Vec<Leaf>,
    needs: Tri,
}

fn check_mitigation(ev: &Evaluator<'_>, cat: &Catalog, m: usize) -> MitigationCheck {
    let (satisfied_when, needs) = cat
        .compiled_mitigation_conditions
        .get(m)
        .copied()
        .unwrap_or((NO_CONDITION, NO_CONDITION));
    let needs = if needs == NO_CONDITION {
        Tri::True
    } else {
        ev.run(&cat.program, needs)
    };
    // Unknown is not satisfied: a step is shown as done only when the answers say so.
    let mut why = Vec::new();
    let satisfied =
        satisfied_when != NO_CONDITION && ev.run(&cat.program, satisfied_when) == Tri::True;
    if satisfied {
        let mut trace = Trace::default();
        ev.run_traced(&cat.program, satisfied_when, &mut trace);
        why = trace.support;
        why.sort();
        why.dedup();
    }
    MitigationCheck {
        satisfied,
        why,
        needs,
    }
}

/// One entry of "do these first": an open finding and the action that addresses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FirstAction {
    /// Index into `Findings::findings`.
    pub finding: usize,
    /// Index into `Catalog::mitigations`.
    pub mitigation: usize,
    /// How many of this agent's open findings the action addresses.
    pub breadth: usize,
}

/// "Do these first": open definite findings by severity, then by the breadth of their action (how
/// many open findings it addresses); ties keep the findings' order. Each finding's action is one of
/// its own mitigations that is still open (neither decided nor satisfied by the answers) and whose
/// `needs` is not false for this agent: the broadest, then one whose `needs` is known to hold, then
/// the cheapest. Severity and breadth alone rank the items, so a legal critical that takes days
/// competes on equal terms with a technical fix of minutes. An action is listed once: a finding
/// whose best action is already listed is covered by it.
pub fn do_first(cat: &Catalog, findings: &Findings, limit: usize) -> Vec<FirstAction> {
    let is_open = |x: &Finding| x.certainty == Certainty::Definite && x.is_open();
    let mut breadth: HashMap<usize, usize> = HashMap::new();
    for x in findings.findings.iter().filter(|x| is_open(x)) {
        for &(m, state) in &x.mitigations {
            if state == MitigationState::Open {
                *breadth.entry(m).or_default() += 1;
            }
        }
    }
    let needs_holds = |m: usize| findings.needs.get(m) == Some(&Tri::True);
    let mut items: Vec<FirstAction> = findings
        .findings
        .iter()
        .enumerate()
        .filter(|(_, x)| is_open(x))
        .filter_map(|(fi, x)| {
            x.mitigations
                .iter()
                .enumerate()
                .filter(|(_, (_, state))| *state == MitigationState::Open)
                .min_by_key(|&(i, &(m, _))| {
                    (
                        std::cmp::Reverse(breadth.get(&m).copied().unwrap_or(0)),
                        !needs_holds(m),
                        cat.mitigations.get(m).map_or(u32::MAX, |m| m.effort.cost()),
                        i,
                    )
                })
                .map(|(_, &(m, _))| FirstAction {
                    finding: fi,
                    mitigation: m,
                    breadth: breadth.get(&m).copied().unwrap_or(0),
                })
        })
        .collect();
    items.sort_by_key(|x| {
        (
            std::cmp::Reverse(findings.findings[x.finding].severity),
            std::cmp::Reverse(x.breadth),
        )
    });
    let mut listed = HashSet::new();
    items.retain(|x| listed.insert(x.mitigation));
    items.truncate(limit);
    items
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
    let any_done = mitigations.iter().any(|(_, s)| s.is_done());
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
