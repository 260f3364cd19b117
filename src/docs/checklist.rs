//! The launch checklist as a typed template context, built on [`crate::report::ReportView`]: the
//! verdict, the five findings to do first, blind-spot scores, the mitigations of open findings by
//! lifecycle stage (ticked from the assessment's decisions), the findings in detail, possible
//! findings with the question that settles them, the responsibility matrix from the provider
//! knowledge base, the data flow, accepted risks and the unknowns.

// Template contexts: the booleans are the point (templates test precomputed facts, never
// compare values), so the lint against many bools does not apply here.
#![allow(clippy::struct_excessive_bools)]

use serde::Serialize;

use super::profile::{self, Profile};
use super::{Input, diagram};
use crate::evaluate::{Certainty, MitigationState, Status};
use crate::model::{DecisionStatus, FactValue, Lang, Severity, Stage};
use crate::report::{FindingView, QuestionRef, ReportInput, WhyView};

#[derive(Clone, Debug, Serialize)]
pub struct ChecklistContext {
    pub lang: Lang,
    pub generated: String,
    pub tool_version: &'static str,
    pub catalog_version: u32,
    pub catalog_released: String,
    /// Days since the catalog's release when it is older than six months.
    pub catalog_old_days: Option<i64>,
    pub agent_name: Option<String>,
    pub file: String,
    pub verdict: Verdict,
    pub first: Vec<FirstItem>,
    pub dimensions: Vec<DimensionRow>,
    pub stages: Vec<StageGroup>,
    pub findings: Vec<FindingItem>,
    pub possible: Vec<PossibleItem>,
    pub handled: Vec<HandledItem>,
    pub accepted: Vec<AcceptedItem>,
    pub responsibility: Vec<ProviderBlock>,
    /// Facts (rows) × providers (columns, in `responsibility` order).
    pub fact_matrix: Vec<FactMatrixRow>,
    pub unlisted: Vec<String>,
    pub flow: FlowView,
    pub not_sure: Vec<QuestionRef>,
    pub unanswered: Vec<QuestionRef>,
    pub profile: Profile,
}

#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub is_not_ready: bool,
    pub is_caution: bool,
    pub is_unsettled: bool,
    pub is_clear: bool,
    pub open: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub possible: usize,
    pub answered: usize,
    pub shown: usize,
    pub not_sure: usize,
    pub unanswered: usize,
    pub has_unanswered: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct FirstItem {
    /// The item's place in the list, from 1: the raw Markdown numbers the list itself, so it
    /// reads in order as plain text too.
    pub number: usize,
    pub threat: String,
    pub title: String,
    pub severity: Severity,
    pub action_id: String,
    pub action: String,
    pub effort: crate::model::Effort,
    /// How many open findings the action addresses.
    pub breadth: usize,
    pub is_broad: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct DimensionRow {
    pub id: &'static str,
    pub name: String,
    pub blind_spot: bool,
    pub applicable: u32,
    pub handled: u32,
    pub open_high: u32,
    /// Ten squares, filled in proportion to what is handled.
    pub bar: String,
    pub has_applicable: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct StageGroup {
    pub stage: Stage,
    pub items: Vec<ActionItem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionItem {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub owner: crate::model::Owner,
    pub effort: crate::model::Effort,
    pub state: MitigationState,
    pub is_done: bool,
    pub is_settled: bool,
    /// The answers that show the step as done (state `satisfied`).
    pub satisfied_by: Vec<WhyItem>,
    pub threats: Vec<ThreatLink>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ThreatLink {
    pub threat: String,
    pub title: String,
    pub severity: Severity,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingItem {
    pub threat: String,
    pub title: String,
    pub severity: Severity,
    pub raised: bool,
    pub dimension: &'static str,
    pub blind_spot: bool,
    pub acceptance_expired: bool,
    pub description: String,
    pub why_it_applies: String,
    pub why: Vec<WhyItem>,
    pub mitigations: Vec<MitigationLink>,
    pub references: Vec<ReferenceLink>,
    pub has_references: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct WhyItem {
    pub is_answer: bool,
    pub prompt: String,
    pub answer: String,
    pub provider_name: String,
    pub fact_label: String,
    pub fact_value: FactValue,
    pub is_yes: bool,
    pub is_no: bool,
    pub is_unknown: bool,
    pub source: String,
    pub checked: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MitigationLink {
    pub id: String,
    pub title: String,
    pub state: MitigationState,
    pub is_done: bool,
    pub is_settled: bool,
    pub satisfied_by: Vec<WhyItem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReferenceLink {
    pub id: String,
    pub name: String,
    /// Only http(s) links are kept.
    pub url: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PossibleItem {
    pub threat: String,
    pub title: String,
    pub severity: Severity,
    pub questions: Vec<QuestionRef>,
    pub unknown_facts: Vec<WhyItem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct HandledItem {
    pub threat: String,
    pub title: String,
    pub status: Status,
}

#[derive(Clone, Debug, Serialize)]
pub struct AcceptedItem {
    pub id: String,
    pub title: String,
    pub is_threat: bool,
    pub reason: String,
    pub until: Option<String>,
    pub expired: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProviderBlock {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub operator: String,
    pub region: String,
    pub covers: String,
    pub does_not_cover: String,
    pub facts: Vec<FactRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FactRow {
    pub label: String,
    pub value: FactValue,
    pub note: Option<String>,
    pub source: String,
    pub checked: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FactMatrixRow {
    pub label: String,
    pub cells: Vec<FactCell>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FactCell {
    pub is_yes: bool,
    pub is_no: bool,
    pub is_unknown: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlowView {
    /// The mermaid diagram source. Every label in it went through `escape::mermaid_label`, so it
    /// is inserted verbatim into its fenced block.
    pub mermaid: String,
    pub has_crossing: bool,
    pub has_third_party: bool,
}

fn first_item(index: usize, x: &crate::report::FirstView) -> FirstItem {
    FirstItem {
        number: index + 1,
        threat: x.threat.clone(),
        title: x.title.clone(),
        severity: x.severity,
        action_id: x.action_id.clone(),
        action: x.action.clone(),
        effort: x.effort,
        breadth: x.breadth,
        is_broad: x.breadth > 1,
    }
}

fn bar(handled: u32, applicable: u32) -> String {
    const W: u32 = 10;
    let filled = (handled * W + applicable / 2)
        .checked_div(applicable)
        .unwrap_or(W);
    (0..W).map(|i| if i < filled { '■' } else { '□' }).collect()
}

fn why_item(w: &WhyView) -> WhyItem {
    match w {
        WhyView::Answer { prompt, answer, .. } => WhyItem {
            is_answer: true,
            prompt: prompt.clone(),
            answer: answer.clone(),
            provider_name: String::new(),
            fact_label: String::new(),
            fact_value: FactValue::Unknown,
            is_yes: false,
            is_no: false,
            is_unknown: false,
            source: String::new(),
            checked: String::new(),
        },
        WhyView::ProviderFact {
            provider_name,
            fact_label,
            value,
            source,
            checked,
            ..
        } => WhyItem {
            is_answer: false,
            prompt: String::new(),
            answer: String::new(),
            provider_name: provider_name.clone(),
            fact_label: fact_label.clone(),
            fact_value: *value,
            is_yes: *value == FactValue::Yes,
            is_no: *value == FactValue::No,
            is_unknown: *value == FactValue::Unknown,
            source: source.clone(),
            checked: checked.clone(),
        },
    }
}

fn finding_item(f: &FindingView) -> FindingItem {
    let references: Vec<ReferenceLink> = f
        .references
        .iter()
        .map(|r| ReferenceLink {
            id: r.id.clone(),
            name: r.name.clone(),
            url: r
                .url
                .as_deref()
                .and_then(super::template::safe_url)
                .map(|_| r.url.clone().unwrap_or_default()),
        })
        .collect();
    FindingItem {
        threat: f.threat.clone(),
        title: f.title.clone(),
        severity: f.severity,
        raised: f.severity > f.base_severity,
        dimension: f.dimension,
        blind_spot: f.dimension != "user_safety",
        acceptance_expired: f.acceptance_expired,
        description: f.description.clone(),
        why_it_applies: f.why_it_applies.clone(),
        why: f.why.iter().map(why_item).collect(),
        mitigations: f
            .mitigations
            .iter()
            .map(|m| MitigationLink {
                id: m.id.clone(),
                title: m.title.clone(),
                state: m.state,
                is_done: m.state.is_done(),
                is_settled: m.state.is_settled(),
                satisfied_by: m.satisfied_by.iter().map(why_item).collect(),
            })
            .collect(),
        has_references: !references.is_empty(),
        references,
    }
}

/// Builds the checklist context for one language.
pub fn build(input: &Input<'_>, lang: Lang) -> ChecklistContext {
    let k = input.knowledge;
    let assessment = input.assessment;
    let view = crate::report::build(&ReportInput {
        knowledge: k,
        assessment,
        findings: input.findings,
        lang,
        file: input.file,
        ui: input.ui,
    });
    let reading = profile::read(k, assessment);
    let summary = &view.summary;
    let c = &summary.open_by_severity;
    let not_ready = c.critical + c.high > 0;
    let verdict = Verdict {
        is_not_ready: not_ready,
        is_caution: !not_ready && summary.open > 0,
        is_unsettled: summary.open == 0 && summary.possible > 0,
        is_clear: summary.open == 0 && summary.possible == 0,
        open: summary.open,
        critical: c.critical,
        high: c.high,
        medium: c.medium,
        low: c.low,
        possible: summary.possible,
        answered: view.assessment.answered,
        shown: view.assessment.questions_shown,
        not_sure: view.assessment.not_sure.len(),
        unanswered: view.assessment.unanswered.len(),
        has_unanswered: !view.assessment.unanswered.is_empty(),
    };
    let open: Vec<&FindingView> = view
        .findings
        .iter()
        .filter(|f| f.certainty == Certainty::Definite && f.status == Status::Open)
        .collect();

    // Mitigations of open findings, once each, grouped by stage.
    let mut stages: Vec<StageGroup> = Stage::ALL
        .iter()
        .map(|&stage| StageGroup {
            stage,
            items: Vec::new(),
        })
        .collect();
    for f in &open {
        for m in &f.mitigations {
            let Some(group) = stages.iter_mut().find(|g| g.stage == m.stage) else {
                continue;
            };
            let link = ThreatLink {
                threat: f.threat.clone(),
                title: f.title.clone(),
                severity: f.severity,
            };
            if let Some(item) = group.items.iter_mut().find(|i| i.id == m.id) {
                item.threats.push(link);
                continue;
            }
            group.items.push(ActionItem {
                id: m.id.clone(),
                title: m.title.clone(),
                detail: m.detail.clone(),
                owner: m.owner,
                effort: m.effort,
                state: m.state,
                is_done: m.state.is_done(),
                is_settled: m.state.is_settled(),
                satisfied_by: m.satisfied_by.iter().map(why_item).collect(),
                threats: vec![link],
            });
        }
    }
    stages.retain(|g| !g.items.is_empty());

    let possible = view
        .findings
        .iter()
        .filter(|f| f.certainty == Certainty::Possible)
        .map(|f| PossibleItem {
            threat: f.threat.clone(),
            title: f.title.clone(),
            severity: f.severity,
            questions: f.unknowns.clone(),
            unknown_facts: f
                .why
                .iter()
                .filter(|w| {
                    matches!(
                        w,
                        WhyView::ProviderFact {
                            value: FactValue::Unknown,
                            ..
                        }
                    )
                })
                .map(why_item)
                .collect(),
        })
        .collect();

    let handled = view
        .findings
        .iter()
        .filter(|f| {
            f.certainty == Certainty::Definite
                && matches!(f.status, Status::Mitigated | Status::NotApplicable)
        })
        .map(|f| HandledItem {
            threat: f.threat.clone(),
            title: f.title.clone(),
            status: f.status,
        })
        .collect();

    // Accepted risks: decisions with status accepted, on threats or mitigations, expired ones
    // included (they count as open again and say so).
    let accepted = assessment
        .decisions
        .iter()
        .filter(|(_, d)| d.status == DecisionStatus::Accepted)
        .filter_map(|(id, d)| {
            let (title, is_threat) = if let Some(t) = k.catalog.threat(id) {
                (t.title.get(lang).to_string(), true)
            } else {
                (k.catalog.mitigation(id)?.title.get(lang).to_string(), false)
            };
            let expired = d
                .until
                .as_deref()
                .and_then(crate::util::parse_date)
                .is_some_and(|u| u < input.today);
            Some(AcceptedItem {
                id: id.clone(),
                title,
                is_threat,
                reason: d.reason.clone().unwrap_or_default(),
                until: d.until.clone(),
                expired,
            })
        })
        .collect();

    let responsibility: Vec<ProviderBlock> = reading
        .recipients
        .iter()
        .filter_map(|r| r.provider)
        .map(|p| {
            let pr = &k.catalog.providers[p];
            ProviderBlock {
                id: pr.id.clone(),
                name: pr.name.get(lang).to_string(),
                kind: pr.kind.code(),
                operator: pr.operator.get(lang).to_string(),
                region: pr.region.get(lang).to_string(),
                covers: pr.covers.get(lang).to_string(),
                does_not_cover: pr.does_not_cover.get(lang).to_string(),
                facts: k
                    .catalog
                    .facts
                    .iter()
                    .zip(&pr.facts)
                    .map(|(fd, f)| FactRow {
                        label: fd.label.get(lang).to_string(),
                        value: f.value,
                        note: f.note.as_ref().map(|n| n.get(lang).to_string()),
                        source: f.source.clone(),
                        checked: f.checked.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let fact_matrix = k
        .catalog
        .facts
        .iter()
        .enumerate()
        .map(|(fi, fd)| FactMatrixRow {
            label: fd.label.get(lang).to_string(),
            cells: reading
                .recipients
                .iter()
                .filter_map(|r| r.provider)
                .map(|p| {
                    let v = k.catalog.providers[p]
                        .facts
                        .get(fi)
                        .map_or(FactValue::Unknown, |f| f.value);
                    FactCell {
                        is_yes: v == FactValue::Yes,
                        is_no: v == FactValue::No,
                        is_unknown: v == FactValue::Unknown,
                    }
                })
                .collect(),
        })
        .collect();
    let unlisted = reading
        .recipients
        .iter()
        .filter(|r| r.provider.is_none() && !super::profile::is_vendor(r.kind))
        .map(|r| r.label.get(lang).to_string())
        .collect();

    let flow = crate::dataflow::build(k, assessment, input.ui);
    ChecklistContext {
        lang,
        generated: crate::util::format_date(input.today),
        tool_version: view.tool.version,
        catalog_version: view.catalog.version,
        catalog_released: view.catalog.released.clone(),
        catalog_old_days: super::catalog_age(k, input.today),
        agent_name: profile::agent_name(k, assessment),
        file: input.file.to_string(),
        verdict,
        first: view
            .do_first
            .iter()
            .enumerate()
            .map(|(i, x)| first_item(i, x))
            .collect(),
        dimensions: summary
            .dimensions
            .iter()
            .map(|d| DimensionRow {
                id: d.id,
                name: d.name.clone(),
                blind_spot: d.blind_spot,
                applicable: d.applicable,
                handled: d.handled,
                open_high: d.open_high,
                bar: bar(d.handled, d.applicable),
                has_applicable: d.applicable > 0,
            })
            .collect(),
        stages,
        findings: open.iter().map(|f| finding_item(f)).collect(),
        possible,
        handled,
        accepted,
        responsibility,
        fact_matrix,
        unlisted,
        flow: FlowView {
            mermaid: diagram::mermaid(&flow, lang),
            has_crossing: flow.has_crossing(),
            has_third_party: flow.edges.iter().any(|e| e.third_party),
        },
        not_sure: view.assessment.not_sure.clone(),
        unanswered: view.assessment.unanswered.clone(),
        profile: reading.profile,
    }
}
