//! What the answers say about the agent, reduced to the facts both documents branch on: where its
//! users are, whether children use it, which data it handles, which providers and platforms the
//! data goes to and what they may do with it. Templates only test these precomputed booleans, so
//! which legal sections appear is decided here, from the answers, never from the output language.

use serde::Serialize;

use crate::condition::QState;
use crate::evaluate::question_states;
use crate::model::{Assessment, FactValue, Knowledge, NOT_SURE, ProviderKind, Text, Value};

/// Data categories that are sensitive personal information under PIPL Art 28 (and, for some,
/// special categories under GDPR Art 9).
const SENSITIVE: [&str; 7] = [
    "health",
    "financial",
    "biometric",
    "id_documents",
    "beliefs",
    "location",
    "children_data",
];
const SPECIAL_CATEGORY: [&str; 3] = ["health", "biometric", "beliefs"];

/// The questions whose options may name a provider or platform that receives the users' data.
pub const RECIPIENT_QUESTIONS: [&str; 3] =
    ["model.providers", "platform.builder", "platform.channels"];

/// An answer as the documents need it.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer<'a> {
    /// The question does not exist in this questionnaire, or it was not asked (hidden).
    Absent,
    /// Not answered yet, or "not sure".
    Unknown,
    Choices(Vec<&'a str>),
    Number(f64),
    Text(&'a str),
}

impl Answer<'_> {
    pub fn has(&self, option: &str) -> bool {
        matches!(self, Answer::Choices(c) if c.contains(&option))
    }

    pub fn has_any(&self, options: &[&str]) -> bool {
        options.iter().any(|o| self.has(o))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Answer::Unknown)
    }
}

/// Reads answers through the questionnaire's visibility rules.
pub struct Answers<'a> {
    k: &'a Knowledge,
    states: Vec<QState<'a>>,
}

impl<'a> Answers<'a> {
    pub fn new(k: &'a Knowledge, a: &'a Assessment) -> Self {
        Answers {
            k,
            states: question_states(k, a),
        }
    }

    pub fn get(&self, id: &str) -> Answer<'a> {
        let Some(i) = self.k.questionnaire.index(id) else {
            return Answer::Absent;
        };
        match &self.states[i] {
            QState::Hidden => Answer::Absent,
            QState::Unanswered | QState::NotSure => Answer::Unknown,
            QState::Given(v) => match v {
                Value::Choice(c) if c == NOT_SURE => Answer::Unknown,
                Value::Choice(c) => Answer::Choices(vec![c.as_str()]),
                Value::Choices(cs) => Answer::Choices(
                    cs.iter()
                        .map(String::as_str)
                        .filter(|c| *c != NOT_SURE)
                        .collect(),
                ),
                Value::Number(n) => Answer::Number(*n),
                Value::Text(t) => Answer::Text(t.as_str()),
            },
        }
    }

    /// The label of an option in both languages (the id when the option is unknown).
    pub fn label(&self, question: &str, option: &str) -> Text {
        self.k
            .questionnaire
            .question(question)
            .and_then(|q| q.option(option))
            .map_or_else(|| Text::new(option, option), |o| o.label.clone())
    }
}

/// The agent's name: the answer to `agent.name` (the questionnaire's name question), falling back
/// to `model.name` for older questionnaires that asked it there.
pub fn agent_name(k: &Knowledge, a: &Assessment) -> Option<String> {
    let answers = Answers::new(k, a);
    for id in ["agent.name", "model.name"] {
        if let Answer::Text(t) = answers.get(id) {
            let t = t.trim();
            if !t.is_empty() {
                return Some(t.to_string());
            }
        }
    }
    None
}

/// A provider or platform the users' data reaches, or an option the catalog knows nothing about.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipient {
    /// Index into `Catalog::providers`; `None` for an option without a provider entry.
    pub provider: Option<usize>,
    pub question: &'static str,
    pub option: String,
    pub label: Text,
}

/// The three values a fact can take for the set of recipients: some has it, some may have it,
/// none has it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    #[default]
    No,
    Maybe,
    Yes,
}

impl Likelihood {
    fn from_fact(v: FactValue) -> Self {
        match v {
            FactValue::Yes => Likelihood::Yes,
            FactValue::Unknown => Likelihood::Maybe,
            FactValue::No => Likelihood::No,
        }
    }

    pub fn is_possible(self) -> bool {
        self != Likelihood::No
    }
}

/// The booleans the templates branch on. Every legal section is decided here.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[allow(clippy::struct_excessive_bools)]
pub struct Profile {
    pub has_cn_users: bool,
    pub has_eu_users: bool,
    pub has_uk_users: bool,
    pub has_us_users: bool,
    /// Nobody said where the users are: the legal sections cannot be chosen.
    pub regions_unknown: bool,
    /// Minors (under 18) may use the agent.
    pub has_minors: bool,
    /// Children under 14 may use it (PIPL Art 31: guardian consent; their data is sensitive).
    pub has_children: bool,
    pub minors_unknown: bool,
    pub has_accounts: bool,
    /// Conversations are kept beyond the request (session or persistent history, memory).
    pub keeps_history: bool,
    pub has_long_term_memory: bool,
    /// Conversations land in logs somewhere.
    pub has_logs: bool,
    pub has_sensitive_data: bool,
    /// GDPR Art 9 special categories (health, biometric, beliefs).
    pub has_special_category: bool,
    /// It processes voice recordings or images of faces.
    pub has_voice_or_face: bool,
    pub uses_for_analytics: bool,
    pub uses_for_marketing: bool,
    pub uses_for_own_training: bool,
    pub shares_with_partners: bool,
    pub has_knowledge_base: bool,
    pub has_tools: bool,
    pub has_automated_decisions: bool,
    pub has_persona: bool,
    /// It produces images, voice or video (labelling duties differ from text).
    pub generates_media: bool,
    pub has_recipients: bool,
    /// A recipient was named that the catalog does not know (its facts must be filled in by hand).
    pub has_unlisted_recipients: bool,
    /// Some recipient may train on the users' inputs.
    pub provider_training: Likelihood,
    /// Some recipient processes data outside mainland China, for mainland users.
    pub cn_cross_border: Likelihood,
    /// Some recipient processes data outside the EU/EEA, for EU users.
    pub eu_transfer: Likelihood,
    pub is_public: bool,
    pub needs_separate_consent_sensitive: bool,
    pub needs_separate_consent_cross_border: bool,
    pub needs_separate_consent_third_party: bool,
    pub needs_guardian_consent: bool,
    pub needs_any_separate_consent: bool,
    pub labels_ai_content: bool,
}

/// The profile together with what it was computed from.
pub struct Reading {
    pub profile: Profile,
    pub recipients: Vec<Recipient>,
    /// Chosen data categories (option ids of `data.categories`) with their labels.
    pub data: Vec<(String, Text)>,
    /// The answer to `memory.retention`, as (option id, label).
    pub retention: Option<(String, Text)>,
    /// Self-service rights the product already offers (`compliance.user_rights` option ids).
    pub self_service_rights: Vec<String>,
}

fn fact_of(k: &Knowledge, provider: usize, fact: &str) -> FactValue {
    k.catalog
        .fact_by_id
        .get(fact)
        .and_then(|&f| k.catalog.providers[provider].facts.get(f))
        .map_or(FactValue::Unknown, |f| f.value)
}

/// Reads the profile from the answers.
pub fn read(k: &Knowledge, a: &Assessment) -> Reading {
    let ans = Answers::new(k, a);
    let regions = ans.get("users.regions");
    let minors = ans.get("users.minors");
    let categories = ans.get("data.categories");
    let other_uses = ans.get("data.other_uses");
    let history = ans.get("memory.history");
    let outputs = ans.get("agent.outputs");
    let tools = ans.get("tools.kinds");
    let tools_mini = ans.get("model.tools");

    let mut recipients = Vec::new();
    for q in RECIPIENT_QUESTIONS {
        let Answer::Choices(chosen) = ans.get(q) else {
            continue;
        };
        for o in chosen {
            if matches!(
                o,
                "none" | "own_code" | "web" | "api" | "local" | "mobile_app"
            ) {
                continue;
            }
            let provider = k
                .questionnaire
                .question(q)
                .and_then(|qq| qq.option(o))
                .and_then(|opt| opt.provider);
            if provider.is_some_and(|p| k.catalog.providers[p].kind == ProviderKind::SelfHosted) {
                continue;
            }
            if recipients
                .iter()
                .any(|r: &Recipient| provider.is_some() && r.provider == provider)
            {
                continue;
            }
            recipients.push(Recipient {
                provider,
                question: q,
                option: o.to_string(),
                label: ans.label(q, o),
            });
        }
    }
    let fold = |fact: &str| -> Likelihood {
        recipients
            .iter()
            .map(|r| {
                r.provider.map_or(Likelihood::Maybe, |p| {
                    Likelihood::from_fact(fact_of(k, p, fact))
                })
            })
            .max()
            .unwrap_or_default()
    };

    let has_cn_users = regions.has("cn_mainland");
    let has_eu_users = regions.has("eu");
    let regions_unknown = matches!(regions, Answer::Unknown);
    let has_minors = minors.has_any(&["yes", "possibly", "teens", "children"]);
    let has_children = minors.has_any(&["yes", "children"]) || categories.has("children_data");
    let has_sensitive_data =
        categories.has_any(&SENSITIVE) || ans.get("data.voice_or_face").has("yes") || has_children;
    let has_special_category =
        categories.has_any(&SPECIAL_CATEGORY) || ans.get("data.voice_or_face").has("yes");
    let provider_training = fold("may_train_on_inputs");
    let cn_cross_border = if has_cn_users {
        fold("processes_outside_mainland_china")
    } else {
        Likelihood::No
    };
    let eu_transfer = if has_eu_users {
        fold("processes_outside_eu")
    } else {
        Likelihood::No
    };
    let shares_with_partners = other_uses.has("share_partners");
    let law_applies = has_cn_users || has_eu_users;
    let needs_separate_consent_sensitive = has_sensitive_data && law_applies;
    let needs_separate_consent_cross_border = cn_cross_border.is_possible();
    let needs_separate_consent_third_party =
        law_applies && (provider_training.is_possible() || shares_with_partners);
    let needs_guardian_consent = has_children && law_applies;
    let logs = ans.get("memory.logs_where");
    let profile = Profile {
        has_cn_users,
        has_eu_users,
        has_uk_users: regions.has("uk"),
        has_us_users: regions.has("us"),
        regions_unknown,
        has_minors,
        has_children,
        minors_unknown: minors.is_unknown(),
        has_accounts: ans.get("users.accounts").has("own_accounts"),
        keeps_history: history.has_any(&["session", "persistent"]),
        has_long_term_memory: ans.get("memory.long_term").has("yes") || history.has("persistent"),
        has_logs: matches!(&logs, Answer::Choices(c) if c.iter().any(|x| *x != "none")),
        has_sensitive_data,
        has_special_category,
        has_voice_or_face: ans.get("data.voice_or_face").has("yes"),
        uses_for_analytics: other_uses.has("analytics"),
        uses_for_marketing: other_uses.has("marketing"),
        uses_for_own_training: other_uses.has("train_own"),
        shares_with_partners,
        has_knowledge_base: ans.get("knowledge.rag").has("yes"),
        has_tools: matches!(&tools, Answer::Choices(c) if c.iter().any(|x| *x != "none"))
            || matches!(&tools_mini, Answer::Choices(c) if c.iter().any(|x| *x != "none")),
        has_automated_decisions: ans.get("agent.decisions").has("yes"),
        has_persona: ans.get("agent.persona").has("yes"),
        generates_media: outputs.has_any(&["image", "voice", "video"]),
        has_recipients: !recipients.is_empty(),
        has_unlisted_recipients: recipients.iter().any(|r| r.provider.is_none()),
        provider_training,
        cn_cross_border,
        eu_transfer,
        is_public: ans.get("users.audience").has("public"),
        needs_separate_consent_sensitive,
        needs_separate_consent_cross_border,
        needs_separate_consent_third_party,
        needs_guardian_consent,
        needs_any_separate_consent: needs_separate_consent_sensitive
            || needs_separate_consent_cross_border
            || needs_separate_consent_third_party
            || needs_guardian_consent,
        labels_ai_content: ans
            .get("compliance.labels")
            .has_any(&["explicit", "explicit_and_metadata"]),
    };
    let data = match &categories {
        Answer::Choices(c) => c
            .iter()
            .filter(|x| **x != "none")
            .map(|x| ((*x).to_string(), ans.label("data.categories", x)))
            .collect(),
        _ => Vec::new(),
    };
    let retention = match ans.get("memory.retention") {
        Answer::Choices(c) => c
            .first()
            .map(|x| ((*x).to_string(), ans.label("memory.retention", x))),
        _ => None,
    };
    let self_service_rights = match ans.get("compliance.user_rights") {
        Answer::Choices(c) => c
            .iter()
            .filter(|x| **x != "none")
            .map(|x| (*x).to_string())
            .collect(),
        _ => Vec::new(),
    };
    Reading {
        profile,
        recipients,
        data,
        retention,
        self_service_rights,
    }
}
