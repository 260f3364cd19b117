//! The validated domain: questionnaire, threat catalog, providers, references and the user's
//! assessment. Everything here has passed `load`; ids are resolved to indices where the engine
//! needs speed, and every text has both languages.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

/// A language agentguard speaks. There is no fallback between them: content without one of them
/// is rejected at load time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language of an exact code, `en` or `zh` (what documents and files carry).
    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => Lang::parse(s),
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "zh" | "zh-cn" | "zh_cn" | "cn" | "chinese" => Some(Lang::Zh),
            _ => None,
        }
    }

    #[must_use]
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// Where a value came from, for diagnostics and for "why" traces.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub file: String,
    pub line: u64,
    pub col: u64,
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.col)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Single,
    Multiple,
    YesNo,
    Text,
    Number,
}

impl QuestionKind {
    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::Single | QuestionKind::Multiple | QuestionKind::YesNo
        )
    }

    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::Text => "text",
            QuestionKind::Number => "number",
        }
    }
}

/// The id of the "not sure" option that `not_sure: true` adds to a question.
pub const NOT_SURE: &str = "not_sure";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Retired {
    pub version: u32,
    pub note: Text,
    /// The id that takes over (a question id for a question, an option id of the same question
    /// for an option); an answer moves there when the options map one to one.
    pub replaced_by: Option<String>,
    /// A fold: the retired question's answer becomes options of `replaced_by` (a multiple-choice
    /// question), added to its answer. Each option of the retired question maps to the options
    /// that carry its meaning there; an empty list (a "no", a "not sure") adds nothing.
    pub folds: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: Text,
    /// A short name for documents (a heading, a list of recipients), where the label is a phrase
    /// written for the wizard (a personal messaging account "in chats or groups").
    #[serde(default)]
    pub short: Option<Text>,
    pub help: Option<Text>,
    pub exclusive: bool,
    /// Index into `Catalog::providers` when the option names a provider or platform.
    pub provider: Option<usize>,
    pub retired: Option<Retired>,
    pub is_not_sure: bool,
    /// What choosing it means (`means:`).
    pub means: crate::meaning::Means,
}

impl Choice {
    /// The name documents show for it: its `short` label, else its label.
    pub fn display_name(&self) -> &Text {
        self.short.as_ref().unwrap_or(&self.label)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub section: usize,
    pub kind: QuestionKind,
    pub prompt: Text,
    pub help: Option<Text>,
    pub why: Text,
    pub not_sure: bool,
    /// For yes/no questions these are the generated `yes`, `no` (and `not_sure`) options.
    pub options: Vec<Choice>,
    pub show_when: Option<crate::condition::Condition>,
    pub unit: Option<Text>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub retired: Option<Retired>,
    pub span: Span,
    /// What the whole answer means (question-level `means: {answer: …}`).
    pub means: Option<crate::meaning::AnswerMeaning>,
    /// The earlier question whose recipients this one locates (`means: {locates: …}`).
    pub locates: Option<usize>,
    /// The earlier question whose recipients keep data as long as this retention answer says
    /// (`means: {answer: retention, retains: …}`).
    pub retains: Option<usize>,
}

impl Question {
    pub fn option(&self, id: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.id == id)
    }

    pub fn option_index(&self, id: &str) -> Option<usize> {
        self.options.iter().position(|o| o.id == id)
    }

    pub fn is_retired(&self) -> bool {
        self.retired.is_some()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: Text,
    pub intro: Option<Text>,
    /// Indices into `Questionnaire::questions`, in order.
    pub questions: Vec<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub sections: Vec<Section>,
    pub questions: Vec<Question>,
    #[serde(skip)]
    pub by_id: HashMap<String, usize>,
}

impl Questionnaire {
    /// Rebuilds the id lookup table (after deserialising a precompiled questionnaire).
    pub fn reindex(&mut self) {
        self.by_id = self
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.by_id.get(id).map(|&i| &self.questions[i])
    }

    pub fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    SystemSecurity,
    Privacy,
    Responsibility,
    UserSafety,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::SystemSecurity,
        Dimension::Privacy,
        Dimension::Responsibility,
        Dimension::UserSafety,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dimension::SystemSecurity => "system_security",
            Dimension::Privacy => "privacy",
            Dimension::Responsibility => "responsibility",
            Dimension::UserSafety => "user_safety",
        }
    }

    /// Blind spots (what the research found developers overlook) come before what they watch.
    pub fn is_blind_spot(self) -> bool {
        !matches!(self, Dimension::UserSafety)
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    #[default]
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.code() == s)
    }

    pub fn weight(self) -> u32 {
        match self {
            Severity::Low => 1,
            Severity::Medium => 2,
            Severity::High => 4,
            Severity::Critical => 8,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Design,
    Build,
    Test,
    Operate,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::Design, Stage::Build, Stage::Test, Stage::Operate];
    pub fn code(self) -> &'static str {
        match self {
            Stage::Design => "design",
            Stage::Build => "build",
            Stage::Test => "test",
            Stage::Operate => "operate",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    You,
    Platform,
    ModelProvider,
    EndUser,
}

impl Owner {
    pub const ALL: [Owner; 4] = [
        Owner::You,
        Owner::Platform,
        Owner::ModelProvider,
        Owner::EndUser,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Owner::You => "you",
            Owner::Platform => "platform",
            Owner::ModelProvider => "model_provider",
            Owner::EndUser => "end_user",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    Minutes,
    Hours,
    Days,
}

impl Effort {
    pub fn code(self) -> &'static str {
        match self {
            Effort::Minutes => "minutes",
            Effort::Hours => "hours",
            Effort::Days => "days",
        }
    }

    pub fn cost(self) -> u32 {
        match self {
            Effort::Minutes => 1,
            Effort::Hours => 3,
            Effort::Days => 9,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mitigation {
    pub id: String,
    pub title: Text,
    pub detail: Text,
    pub stage: Stage,
    pub owner: Owner,
    pub effort: Effort,
    /// The threat that defines it.
    pub defined_in: usize,
    pub span: Span,
    /// When it holds, the answers show the step as already done (`satisfied`), without a decision.
    #[serde(default)]
    pub satisfied_when: Option<crate::condition::Condition>,
    /// A condition on the agent; when false the step does not fit it and is not offered.
    #[serde(default)]
    pub needs: Option<crate::condition::Condition>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityChange {
    RaiseTo(Severity),
    LowerTo(Severity),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeverityRule {
    pub change: SeverityChange,
    pub when: crate::condition::Condition,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Threat {
    pub id: String,
    pub title: Text,
    pub description: Text,
    pub why: Text,
    pub dimension: Dimension,
    pub severity: Severity,
    pub severity_rules: Vec<SeverityRule>,
    pub applies_when: crate::condition::Condition,
    /// Indices into `Catalog::references`.
    pub references: Vec<usize>,
    pub sources: Vec<String>,
    /// Indices into `Catalog::mitigations`.
    pub mitigations: Vec<usize>,
    pub retired: Option<Retired>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactValue {
    Yes,
    No,
    Unknown,
}

impl FactValue {
    pub fn code(self) -> &'static str {
        match self {
            FactValue::Yes => "yes",
            FactValue::No => "no",
            FactValue::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub value: FactValue,
    pub source: String,
    pub checked: String,
    pub note: Option<Text>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactDef {
    pub id: String,
    pub label: Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    ModelApi,
    Platform,
    Channel,
    Relay,
    SelfHosted,
}

impl ProviderKind {
    pub fn code(self) -> &'static str {
        match self {
            ProviderKind::ModelApi => "model_api",
            ProviderKind::Platform => "platform",
            ProviderKind::Channel => "channel",
            ProviderKind::Relay => "relay",
            ProviderKind::SelfHosted => "self_hosted",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    pub id: String,
    pub kind: ProviderKind,
    pub name: Text,
    pub operator: Text,
    pub region: Text,
    pub covers: Text,
    pub does_not_cover: Text,
    /// Where it stores and processes data, when a source states one place (`located:`).
    pub located: Option<Located>,
    /// How many days at most it keeps inputs after answering, when a source states it
    /// (`keeps_for:`).
    pub keeps_for: Option<KeepsFor>,
    /// Indexed like `Catalog::facts`.
    pub facts: Vec<Fact>,
}

/// A provider's sourced retention period (`keeps_for:` in `catalog/providers.yaml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeepsFor {
    pub days: u32,
    pub source: String,
    pub checked: String,
}

/// A provider's sourced processing location (`located:` in `catalog/providers.yaml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Located {
    pub value: crate::meaning::Location,
    pub source: String,
    pub checked: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    OwaspLlm,
    OwaspAgentic,
    OwaspAgenticThreat,
    Atlas,
    Cwe,
    Law,
    Standard,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub id: String,
    pub kind: ReferenceKind,
    pub name: Text,
    pub url: Option<String>,
    pub source: String,
    /// Where a law applies (`jurisdiction:`); required for `kind: law`.
    pub jurisdiction: Option<crate::meaning::LawJurisdiction>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangelogEntry {
    pub version: u32,
    pub date: String,
    pub content_hash: String,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub retired: Vec<String>,
    pub note: Option<Text>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub version: u32,
    pub released: String,
    pub changelog: Vec<ChangelogEntry>,
}

/// The threat catalog with everything it refers to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub manifest: Manifest,
    pub threats: Vec<Threat>,
    pub mitigations: Vec<Mitigation>,
    pub facts: Vec<FactDef>,
    pub providers: Vec<Provider>,
    pub references: Vec<Reference>,
    #[serde(skip)]
    pub threat_by_id: HashMap<String, usize>,
    #[serde(skip)]
    pub mitigation_by_id: HashMap<String, usize>,
    #[serde(skip)]
    pub provider_by_id: HashMap<String, usize>,
    #[serde(skip)]
    pub fact_by_id: HashMap<String, usize>,
    #[serde(skip)]
    pub reference_by_id: HashMap<String, usize>,
    /// Threats that cite each mitigation (index by mitigation).
    #[serde(skip)]
    pub mitigation_threats: Vec<Vec<usize>>,
    /// Every live threat's conditions, compiled into one program, and a compact record per
    /// threat: evaluation reads only these contiguous arrays (see `condition::Program`).
    #[serde(skip)]
    pub program: crate::condition::Program,
    #[serde(skip)]
    pub compiled: Vec<CompiledThreat>,
    #[serde(skip)]
    pub compiled_rules: Vec<(u32, SeverityChange)>,
    #[serde(skip)]
    pub compiled_mitigations: Vec<u32>,
    /// For each mitigation, the roots of its `satisfied_when` and `needs` in `program`
    /// ([`NO_CONDITION`] when absent).
    #[serde(skip)]
    pub compiled_mitigation_conditions: Vec<(u32, u32)>,
}

/// A compiled-condition slot with no condition.
pub const NO_CONDITION: u32 = u32::MAX;

/// A threat as evaluation needs it, with ranges into `Catalog::compiled_rules` and
/// `Catalog::compiled_mitigations`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompiledThreat {
    pub live: bool,
    pub root: u32,
    pub severity: Severity,
    pub dimension: Dimension,
    pub rules: (u32, u32),
    pub mitigations: (u32, u32),
}

impl Catalog {
    /// Rebuilds the id lookup tables (after deserialising a precompiled catalog).
    pub fn reindex(&mut self) {
        fn index<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, usize> {
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (id(x).to_string(), i))
                .collect()
        }
        self.threat_by_id = index(&self.threats, |t| &t.id);
        self.mitigation_by_id = index(&self.mitigations, |m| &m.id);
        self.provider_by_id = index(&self.providers, |p| &p.id);
        self.fact_by_id = index(&self.facts, |f| &f.id);
        self.reference_by_id = index(&self.references, |r| &r.id);
        self.mitigation_threats = vec![Vec::new(); self.mitigations.len()];
        for (ti, t) in self.threats.iter().enumerate() {
            for &m in &t.mitigations {
                self.mitigation_threats[m].push(ti);
            }
        }
        self.program = crate::condition::Program::default();
        self.compiled_rules.clear();
        self.compiled_mitigations.clear();
        let span = |from: usize, to: usize| {
            (
                u32::try_from(from).unwrap_or(u32::MAX),
                u32::try_from(to).unwrap_or(u32::MAX),
            )
        };
        let mut compiled = Vec::with_capacity(self.threats.len());
        for t in &self.threats {
            let root = self.program.compile(&t.applies_when);
            let r0 = self.compiled_rules.len();
            for rule in &t.severity_rules {
                let r = self.program.compile(&rule.when);
                self.compiled_rules.push((r, rule.change));
            }
            let m0 = self.compiled_mitigations.len();
            self.compiled_mitigations.extend(
                t.mitigations
                    .iter()
                    .map(|&m| u32::try_from(m).unwrap_or(u32::MAX)),
            );
            compiled.push(CompiledThreat {
                live: t.retired.is_none(),
                root,
                severity: t.severity,
                dimension: t.dimension,
                rules: span(r0, self.compiled_rules.len()),
                mitigations: span(m0, self.compiled_mitigations.len()),
            });
        }
        self.compiled = compiled;
        let mut program = std::mem::take(&mut self.program);
        self.compiled_mitigation_conditions = self
            .mitigations
            .iter()
            .map(|m| {
                let mut root = |c: &Option<crate::condition::Condition>| {
                    c.as_ref().map_or(NO_CONDITION, |c| program.compile(c))
                };
                (root(&m.satisfied_when), root(&m.needs))
            })
            .collect();
        self.program = program;
    }

    pub fn threat(&self, id: &str) -> Option<&Threat> {
        self.threat_by_id.get(id).map(|&i| &self.threats[i])
    }
    pub fn mitigation(&self, id: &str) -> Option<&Mitigation> {
        self.mitigation_by_id.get(id).map(|&i| &self.mitigations[i])
    }
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.provider_by_id.get(id).map(|&i| &self.providers[i])
    }
}

/// Questionnaire and catalog, loaded and cross-checked together.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Knowledge {
    pub questionnaire: Questionnaire,
    pub catalog: Catalog,
}

/// The value of one answer, as the user gave it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Choice(String),
    Choices(Vec<String>),
    Number(f64),
    Text(String),
}

impl Value {
    pub fn is_not_sure(&self) -> bool {
        match self {
            Value::Choice(c) => c == NOT_SURE,
            Value::Choices(cs) => cs.len() == 1 && cs[0] == NOT_SURE,
            _ => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AnswerSource {
    #[default]
    User,
    Scan,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Answer {
    pub value: Value,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub at: String,
    pub source: AnswerSource,
    pub confirmed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Answer {
    /// A scan suggestion counts only once the user confirms it.
    pub fn counts(&self) -> bool {
        self.source == AnswerSource::User || self.confirmed
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    Done,
    Accepted,
    NotApplicable,
}

impl DecisionStatus {
    pub fn code(self) -> &'static str {
        match self {
            DecisionStatus::Done => "done",
            DecisionStatus::Accepted => "accepted",
            DecisionStatus::NotApplicable => "not_applicable",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    pub status: DecisionStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Review {
    pub date: String,
    pub catalog_version: u32,
    pub findings: u32,
    /// The open findings at that review, by threat id, with their severity (schema 2, issue 15):
    /// what `review` and `check --baseline` compare with. `None` for a review recorded before
    /// the field existed, which cannot serve as a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open: Option<BTreeMap<String, Severity>>,
}

/// Version 2 adds `written` (issue 12) and a review's `open` (issue 15); version 1 files load
/// unchanged and are saved as 2.
pub const ASSESSMENT_SCHEMA_VERSION: u32 = 2;

/// The user's file: answers, decisions and review history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    pub schema_version: u32,
    pub catalog_version: u32,
    pub lang: Lang,
    pub answers: BTreeMap<String, Answer>,
    pub decisions: BTreeMap<String, Decision>,
    pub reviews: Vec<Review>,
    pub review_interval_days: u32,
    /// The documents agentguard wrote beside this file, by file name, with the SHA-256 (hex) of
    /// what it wrote: a file whose content differs was edited since and is never replaced
    /// without asking.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub written: BTreeMap<String, String>,
}

impl Assessment {
    pub fn new(catalog_version: u32, lang: Lang) -> Self {
        Assessment {
            schema_version: ASSESSMENT_SCHEMA_VERSION,
            catalog_version,
            lang,
            answers: BTreeMap::new(),
            decisions: BTreeMap::new(),
            reviews: Vec::new(),
            review_interval_days: 90,
            written: BTreeMap::new(),
        }
    }
}

/// Free-text answers longer than this are refused (an agent name or a short note, not a document).
pub const MAX_TEXT_CHARS: usize = 2000;
