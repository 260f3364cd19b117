//! The findings report as data: one typed, serialisable view built from knowledge, assessment
//! and findings in one language. The JSON output is this view (it is the findings schema), the
//! terminal text and the document templates render from it.

use serde::Serialize;

use crate::condition::Leaf;
use crate::evaluate::{Certainty, Finding, Findings, Status};
use crate::model::{Assessment, Knowledge, Lang, Severity};

/// Version of the findings JSON; raised on any incompatible change (see `schemas/`).
pub const FINDINGS_SCHEMA_VERSION: u32 = 1;

/// How many actions "do these first" lists.
pub const DO_FIRST_COUNT: usize = 5;

#[derive(Clone, Debug, Serialize)]
pub struct ReportView {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub catalog: CatalogInfo,
    pub lang: Lang,
    pub generated: String,
    pub assessment: AssessmentInfo,
    pub summary: Summary,
    /// "Do these first" (see [`crate::evaluate::do_first`]).
    pub do_first: Vec<FirstView>,
    pub findings: Vec<FindingView>,
}

/// One "do this first" item: an open finding and the action that addresses it.
#[derive(Clone, Debug, Serialize)]
pub struct FirstView {
    pub threat: String,
    pub title: String,
    pub severity: Severity,
    pub action_id: String,
    pub action: String,
    pub effort: crate::model::Effort,
    /// How many of this agent's open findings the action addresses.
    pub breadth: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct CatalogInfo {
    pub version: u32,
    pub released: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AssessmentInfo {
    pub file: String,
    pub agent_name: Option<String>,
    pub questions_shown: usize,
    pub answered: usize,
    pub unanswered: Vec<QuestionRef>,
    pub not_sure: Vec<QuestionRef>,
}

#[derive(Clone, Debug, Serialize)]
pub struct QuestionRef {
    pub id: String,
    pub section: String,
    pub prompt: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub definite: usize,
    pub possible: usize,
    pub open: usize,
    pub worst_open: Option<Severity>,
    pub open_by_severity: SeverityCounts,
    pub dimensions: Vec<DimensionView>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct DimensionView {
    pub id: &'static str,
    pub name: String,
    pub blind_spot: bool,
    pub applicable: u32,
    pub handled: u32,
    pub open_high: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingView {
    pub threat: String,
    pub title: String,
    pub certainty: Certainty,
    pub severity: Severity,
    pub base_severity: Severity,
    pub status: Status,
    pub acceptance_expired: bool,
    pub dimension: &'static str,
    pub description: String,
    pub why_it_applies: String,
    pub why: Vec<WhyView>,
    pub unknowns: Vec<QuestionRef>,
    pub mitigations: Vec<MitigationView>,
    pub references: Vec<ReferenceView>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WhyView {
    Answer {
        question: String,
        prompt: String,
        answer: String,
    },
    ProviderFact {
        question: String,
        provider: String,
        provider_name: String,
        fact: String,
        fact_label: String,
        value: crate::model::FactValue,
        source: String,
        checked: String,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct MitigationView {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub stage: crate::model::Stage,
    pub owner: crate::model::Owner,
    pub effort: crate::model::Effort,
    pub state: crate::evaluate::MitigationState,
    /// For a mitigation the answers show as done (`satisfied`): those answers.
    pub satisfied_by: Vec<WhyView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReferenceView {
    pub id: String,
    pub kind: crate::model::ReferenceKind,
    pub name: String,
    pub url: Option<String>,
}

pub struct ReportInput<'a> {
    pub knowledge: &'a Knowledge,
    pub assessment: &'a Assessment,
    pub findings: &'a Findings,
    pub lang: Lang,
    pub file: &'a str,
    pub ui: &'a crate::i18n::Ui,
}

fn question_ref(k: &Knowledge, qi: usize, lang: Lang) -> QuestionRef {
    let q = &k.questionnaire.questions[qi];
    QuestionRef {
        id: q.id.clone(),
        section: k.questionnaire.sections[q.section].id.clone(),
        prompt: q.prompt.get(lang).to_string(),
    }
}

pub fn build(input: &ReportInput<'_>) -> ReportView {
    let k = input.knowledge;
    let lang = input.lang;
    let f = input.findings;
    let mut counts = SeverityCounts::default();
    for x in f.definite().filter(|x| x.is_open()) {
        match x.severity {
            Severity::Critical => counts.critical += 1,
            Severity::High => counts.high += 1,
            Severity::Medium => counts.medium += 1,
            Severity::Low => counts.low += 1,
        }
    }
    let dimensions = f
        .scores
        .iter()
        .filter_map(|s| {
            let d = s.dimension?;
            Some(DimensionView {
                id: d.code(),
                name: input.ui.get(lang, &format!("dimension.{}", d.code())),
                blind_spot: d.is_blind_spot(),
                applicable: s.applicable,
                handled: s.handled,
                open_high: s.open_high,
            })
        })
        .collect();
    // A secret typed as the name is never shown whole (nor in the JSON, which is this view).
    let agent_name =
        crate::docs::profile::agent_name(k, input.assessment).map(|t| crate::redact::redact(&t));
    ReportView {
        schema_version: FINDINGS_SCHEMA_VERSION,
        tool: ToolInfo {
            name: "agentguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        catalog: CatalogInfo {
            version: k.catalog.manifest.version,
            released: k.catalog.manifest.released.clone(),
        },
        lang,
        generated: crate::clock::today_string(),
        assessment: AssessmentInfo {
            file: input.file.to_string(),
            agent_name,
            questions_shown: f.visible.len(),
            answered: f.visible.len() - f.unanswered.len(),
            unanswered: f
                .unanswered
                .iter()
                .map(|&q| question_ref(k, q, lang))
                .collect(),
            not_sure: f
                .not_sure
                .iter()
                .map(|&q| question_ref(k, q, lang))
                .collect(),
        },
        summary: Summary {
            definite: f.definite().count(),
            possible: f.possible().count(),
            open: f.definite().filter(|x| x.is_open()).count(),
            worst_open: f.worst_open(),
            open_by_severity: counts,
            dimensions,
        },
        do_first: crate::evaluate::do_first(&k.catalog, f, DO_FIRST_COUNT)
            .into_iter()
            .map(|x| {
                let finding = &f.findings[x.finding];
                let t = &k.catalog.threats[finding.threat];
                let m = &k.catalog.mitigations[x.mitigation];
                FirstView {
                    threat: t.id.clone(),
                    title: t.title.get(lang).to_string(),
                    severity: finding.severity,
                    action_id: m.id.clone(),
                    action: m.title.get(lang).to_string(),
                    effort: m.effort,
                    breadth: x.breadth,
                }
            })
            .collect(),
        findings: f
            .findings
            .iter()
            .map(|x| finding_view(k, input.assessment, x, lang))
            .collect(),
    }
}

pub fn finding_view(k: &Knowledge, a: &Assessment, x: &Finding, lang: Lang) -> FindingView {
    let cat = &k.catalog;
    let t = &cat.threats[x.threat];
    FindingView {
        threat: t.id.clone(),
        title: t.title.get(lang).to_string(),
        certainty: x.certainty,
        severity: x.severity,
        base_severity: x.base_severity,
        status: x.status,
        acceptance_expired: x.acceptance_expired,
        dimension: t.dimension.code(),
        description: t.description.get(lang).to_string(),
        why_it_applies: t.why.get(lang).to_string(),
        why: x
            .why
            .iter()
            .filter_map(|l| why_view(k, a, l, lang))
            .collect(),
        unknowns: x
            .unknowns
            .iter()
            .map(|&q| question_ref(k, q, lang))
            .collect(),
        mitigations: x
            .mitigations
            .iter()
            .map(|&(mi, state)| {
                let m = &cat.mitigations[mi];
                let satisfied_by = x
                    .satisfied_by
                    .iter()
                    .find(|(s, _)| *s == mi)
                    .map(|(_, leaves)| {
                        leaves
                            .iter()
                            .filter_map(|l| why_view(k, a, l, lang))
                            .collect()
                    })
                    .unwrap_or_default();
                MitigationView {
                    id: m.id.clone(),
                    title: m.title.get(lang).to_string(),
                    detail: m.detail.get(lang).to_string(),
                    stage: m.stage,
                    owner: m.owner,
                    effort: m.effort,
                    state,
                    satisfied_by,
                }
            })
            .collect(),
        references: x
            .references
            .iter()
            .map(|&r| {
                let r = &cat.references[r];
                ReferenceView {
                    id: r.id.clone(),
                    kind: r.kind,
                    name: r.name.get(lang).to_string(),
                    url: r.url.clone(),
                }
            })
            .collect(),
    }
}

fn why_view(k: &Knowledge, a: &Assessment, leaf: &Leaf, lang: Lang) -> Option<WhyView> {
    match *leaf {
        Leaf::Answer { question } => {
            let q = &k.questionnaire.questions[question];
            let answer = match a.answers.get(&q.id) {
                Some(ans) if ans.counts() => crate::redact::redact(
                    &crate::evaluate::answer_labels(k, question, &ans.value, lang),
                ),
                // A hidden question explains a false branch of a `not`; say it was not asked.
                _ => return None,
            };
            Some(WhyView::Answer {
                question: q.id.clone(),
                prompt: q.prompt.get(lang).to_string(),
                answer,
            })
        }
        Leaf::ProviderFact {
            question,
            provider,
            fact,
            value,
        } => {
            let p = &k.catalog.providers[provider];
            let fd = &k.catalog.facts[fact];
            let f = &p.facts[fact];
            Some(WhyView::ProviderFact {
                question: k.questionnaire.questions[question].id.clone(),
                provider: p.id.clone(),
                provider_name: p.name.get(lang).to_string(),
                fact: fd.id.clone(),
                fact_label: fd.label.get(lang).to_string(),
                value,
                source: f.source.clone(),
                checked: f.checked.clone(),
            })
        }
    }
}

/// Whether any open definite finding is at or above `threshold` (for `--fail-on`).
pub fn fails(findings: &Findings, threshold: Option<Severity>) -> bool {
    threshold.is_some_and(|t| {
        findings
            .definite()
            .any(|f| f.status == Status::Open && f.severity >= t)
    })
}
