//! Raw YAML shapes: what the files say, with positions kept and unknown fields denied. Nothing here
//! is checked beyond its YAML type; `load` turns these into the domain model.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawText {
    pub en: Option<String>,
    pub zh: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetired {
    pub version: u32,
    pub note: S<RawText>,
    #[serde(default)]
    pub replaced_by: Option<S<String>>,
    /// A fold (questions only): each option of the retired question, to the options of
    /// `replaced_by` (a multiple-choice question) that carry its meaning there.
    #[serde(default)]
    pub options: Option<S<SpannedMap<Vec<S<String>>>>>,
}

/// One `means:` entry's value before the vocabulary is checked: a word, or a mapping (`recipient:
/// {kind, id}`).
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum RawMeaning {
    Word(String),
    Map(std::collections::BTreeMap<String, String>),
}

// ---- questionnaire -------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSectionFile {
    pub section: RawSection,
    pub questions: Vec<S<RawQuestion>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub id: S<String>,
    pub title: S<RawText>,
    #[serde(default)]
    pub intro: Option<S<RawText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: S<String>,
    pub kind: S<crate::model::QuestionKind>,
    pub prompt: S<RawText>,
    #[serde(default)]
    pub help: Option<S<RawText>>,
    pub why: S<RawText>,
    #[serde(default)]
    pub not_sure: bool,
    #[serde(default)]
    pub options: Option<S<Vec<S<RawChoice>>>>,
    #[serde(default)]
    pub show_when: Option<S<RawCondition>>,
    #[serde(default)]
    pub unit: Option<S<RawText>>,
    #[serde(default)]
    pub min: Option<S<f64>>,
    #[serde(default)]
    pub max: Option<S<f64>>,
    #[serde(default)]
    pub retired: Option<RawRetired>,
    #[serde(default)]
    pub means: Option<SpannedMap<S<RawMeaning>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub id: S<String>,
    pub label: S<RawText>,
    #[serde(default)]
    pub short: Option<S<RawText>>,
    #[serde(default)]
    pub help: Option<S<RawText>>,
    #[serde(default)]
    pub exclusive: bool,
    #[serde(default)]
    pub provider: Option<S<String>>,
    #[serde(default)]
    pub retired: Option<RawRetired>,
    #[serde(default)]
    pub means: Option<SpannedMap<S<RawMeaning>>>,
}

// ---- conditions ------------------------------------------------------------------------------

/// One condition node. Exactly one form must be present; `load` checks that.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    #[serde(default)]
    pub all: Option<Vec<S<RawCondition>>>,
    #[serde(default)]
    pub any: Option<Vec<S<RawCondition>>>,
    #[serde(default)]
    pub not: Option<Box<S<RawCondition>>>,
    #[serde(default)]
    pub question: Option<S<String>>,
    #[serde(default)]
    pub is: Option<S<String>>,
    #[serde(default)]
    pub is_any: Option<Vec<S<String>>>,
    #[serde(default)]
    pub includes: Option<S<String>>,
    #[serde(default)]
    pub includes_any: Option<Vec<S<String>>>,
    #[serde(default)]
    pub answered: Option<bool>,
    #[serde(default)]
    pub gte: Option<f64>,
    #[serde(default)]
    pub lt: Option<f64>,
    #[serde(default)]
    pub providers_of: Option<S<String>>,
    #[serde(default)]
    pub any_has: Option<S<String>>,
    #[serde(default)]
    pub jurisdiction: Option<S<String>>,
    #[serde(default)]
    pub recipients: Option<S<std::collections::BTreeMap<String, RawScalar>>>,
    #[serde(default)]
    pub delivery: Option<S<String>>,
    #[serde(default)]
    pub delivery_any: Option<Vec<S<String>>>,
    #[serde(default)]
    pub minors: Option<S<String>>,
    #[serde(default)]
    pub data: Option<S<String>>,
}

// ---- threats -------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawThreatFile {
    pub threats: Vec<S<RawThreat>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawThreat {
    pub id: S<String>,
    pub title: S<RawText>,
    pub description: S<RawText>,
    pub why: S<RawText>,
    pub dimension: crate::model::Dimension,
    pub severity: crate::model::Severity,
    #[serde(default)]
    pub severity_rules: Vec<S<RawSeverityRule>>,
    pub applies_when: S<RawCondition>,
    #[serde(default)]
    pub references: Vec<S<String>>,
    #[serde(default)]
    pub sources: Vec<String>,
    pub mitigations: S<Vec<S<RawMitigation>>>,
    #[serde(default)]
    pub retired: Option<RawRetired>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeverityRule {
    #[serde(default)]
    pub raise_to: Option<crate::model::Severity>,
    #[serde(default)]
    pub lower_to: Option<crate::model::Severity>,
    pub when: S<RawCondition>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMitigation {
    #[serde(default)]
    pub id: Option<S<String>>,
    #[serde(default, rename = "ref")]
    pub reference: Option<S<String>>,
    #[serde(default)]
    pub title: Option<S<RawText>>,
    #[serde(default)]
    pub detail: Option<S<RawText>>,
    #[serde(default)]
    pub stage: Option<crate::model::Stage>,
    #[serde(default)]
    pub owner: Option<crate::model::Owner>,
    #[serde(default)]
    pub effort: Option<crate::model::Effort>,
    #[serde(default)]
    pub satisfied_when: Option<S<RawCondition>>,
    #[serde(default)]
    pub needs: Option<S<RawCondition>>,
}

// ---- providers, references, manifest ---------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvidersFile {
    pub facts: Vec<S<RawFactDef>>,
    pub providers: Vec<S<RawProvider>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFactDef {
    pub id: S<String>,
    pub label: S<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub id: S<String>,
    pub kind: crate::model::ProviderKind,
    pub name: S<RawText>,
    pub operator: S<RawText>,
    pub region: S<RawText>,
    pub covers: S<RawText>,
    pub does_not_cover: S<RawText>,
    /// Where it stores and processes data, when a source states one place (optional).
    #[serde(default)]
    pub located: Option<S<RawLocated>>,
    /// How many days at most it keeps inputs after answering, when a source states it (optional).
    #[serde(default)]
    pub keeps_for: Option<S<RawKeepsFor>>,
    pub facts: SpannedMap<S<RawFact>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeepsFor {
    pub days: u32,
    pub source: String,
    pub checked: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocated {
    pub value: crate::meaning::Location,
    pub source: String,
    pub checked: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    pub value: crate::model::FactValue,
    pub source: String,
    pub checked: S<String>,
    #[serde(default)]
    pub note: Option<S<RawText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReferencesFile {
    pub references: Vec<S<RawReference>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub id: S<String>,
    pub kind: crate::model::ReferenceKind,
    pub name: S<RawText>,
    #[serde(default)]
    pub url: Option<String>,
    pub source: String,
    #[serde(default)]
    pub jurisdiction: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawManifest {
    pub format: S<u32>,
    pub version: S<u32>,
    pub released: S<String>,
    pub changelog: Vec<S<RawChangelogEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChangelogEntry {
    pub version: u32,
    pub date: S<String>,
    pub content_hash: String,
    #[serde(default)]
    pub added: Vec<String>,
    #[serde(default)]
    pub changed: Vec<String>,
    #[serde(default)]
    pub retired: Vec<String>,
    #[serde(default)]
    pub note: Option<S<RawText>>,
}

// ---- assessment ------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssessment {
    pub schema_version: S<u32>,
    pub catalog_version: S<u32>,
    pub lang: S<String>,
    #[serde(default)]
    pub answers: Option<SpannedMap<S<RawAnswer>>>,
    #[serde(default)]
    pub decisions: Option<SpannedMap<S<RawDecision>>>,
    #[serde(default)]
    pub reviews: Vec<S<RawReview>>,
    #[serde(default)]
    pub review_interval_days: Option<S<u32>>,
    /// Schema 2: documents written, file name -> SHA-256 hex.
    #[serde(default)]
    pub written: Option<std::collections::BTreeMap<String, S<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnswer {
    pub value: S<RawValue>,
    #[serde(default)]
    pub at: Option<S<String>>,
    #[serde(default)]
    pub source: Option<crate::model::AnswerSource>,
    #[serde(default)]
    pub confirmed: Option<bool>,
    #[serde(default)]
    pub evidence: Option<String>,
}

/// An answer value before its question's kind is known. YAML's `yes`/`no` may arrive as booleans.
#[derive(Debug, Deserialize, Clone, PartialEq)]
#[serde(untagged)]
pub enum RawValue {
    Bool(bool),
    Number(f64),
    Str(String),
    List(Vec<RawScalar>),
}

#[derive(Debug, Deserialize, Clone, PartialEq)]
#[serde(untagged)]
pub enum RawScalar {
    Bool(bool),
    Number(f64),
    Str(String),
}

impl RawScalar {
    pub fn into_string(self) -> String {
        match self {
            RawScalar::Bool(true) => "yes".into(),
            RawScalar::Bool(false) => "no".into(),
            RawScalar::Number(n) => crate::util::fmt_number(n),
            RawScalar::Str(s) => s,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDecision {
    pub status: S<crate::model::DecisionStatus>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub until: Option<S<String>>,
    #[serde(default)]
    pub at: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    pub date: S<String>,
    pub catalog_version: u32,
    pub findings: u32,
    #[serde(default)]
    pub open: Option<SpannedMap<S<String>>>,
}

/// A mapping whose keys keep their positions and whose entries keep their order.
#[derive(Debug, Clone)]
pub struct SpannedMap<V>(pub Vec<(S<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = SpannedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<S<String>, V>()? {
                    out.push((k, v));
                }
                Ok(SpannedMap(out))
            }
        }
        d.deserialize_map(MapVisitor(PhantomData))
    }
}
