//! What the answers say about the agent, reduced to the facts both documents branch on: where its
//! users are, whether children use it, which data it handles, which providers and platforms the
//! data goes to and what they may do with it. Templates only test these precomputed booleans, so
//! which legal sections appear is decided here, from the answers, never from the output language.

use serde::Serialize;

use crate::condition::{QState, Tri};
use crate::evaluate::question_states;
use crate::meaning::{
    self, AnswerMeaning, DataCategory, Delivery, Feature, Location, Means, MinorsBand, Purpose,
    RecipientKind, SelfServiceRight, Sensitivity,
};
use crate::model::{Assessment, FactValue, Knowledge, NOT_SURE, Text, Value};

/// The recipient kinds of the agent's own chain (model providers, platforms, channels); every
/// other kind (hosting, database, storage, logging, e-mail, payment, analytics SDKs) is a vendor
/// the answers name only by its kind, which processes data on the operator's behalf.
const CHAIN_RECIPIENTS: [RecipientKind; 3] = [
    RecipientKind::ModelProvider,
    RecipientKind::Platform,
    RecipientKind::Channel,
];

/// Whether a recipient kind is a vendor named only by its kind (not a model provider, platform or
/// channel).
pub fn is_vendor(kind: RecipientKind) -> bool {
    !CHAIN_RECIPIENTS.contains(&kind)
}

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

/// The text answer of the first question whose `means: {answer: …}` is `what`.
pub fn answer_text(k: &Knowledge, a: &Assessment, what: AnswerMeaning) -> Option<String> {
    let answers = Answers::new(k, a);
    for q in &k.questionnaire.questions {
        if q.means != Some(what) {
            continue;
        }
        if let Answer::Text(t) = answers.get(&q.id) {
            let t = t.trim();
            if !t.is_empty() {
                return Some(t.to_string());
            }
        }
    }
    None
}

/// The agent's name: the answer to the question that `means: {answer: agent_name}`.
pub fn agent_name(k: &Knowledge, a: &Assessment) -> Option<String> {
    answer_text(k, a, AnswerMeaning::AgentName)
}

/// A provider or platform the users' data reaches, or an option the catalog knows nothing about.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipient {
    /// The recipient id: the provider id, the option's `recipient: {id}`, or the option id.
    pub id: String,
    /// Index into `Catalog::providers`; `None` for an option without a provider entry.
    pub provider: Option<usize>,
    /// Index into `Questionnaire::questions`.
    pub question: usize,
    pub option: String,
    pub label: Text,
    /// What kind of party it is (a model provider, a platform, a channel).
    pub kind: RecipientKind,
    /// Whether it processes data outside mainland China, and outside the EU/EEA: from a location
    /// an answer states, else the provider's sourced facts, else unknown.
    pub outside_cn: Tri,
    pub outside_eu: Tri,
    /// The location an answer states for it.
    pub stated: Option<Location>,
    /// The question whose answer states that location.
    pub stated_by: Option<usize>,
    /// How long it keeps the users' data, when a `retention` question that `retains:` its
    /// question is answered: (that question's index, option id, label).
    pub kept: Option<(usize, String, Text)>,
    /// The option stands for a party the answer does not name ("another provider"): its label is
    /// no name, so documents use a neutral phrase and ask the developer to name it.
    pub unnamed: bool,
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
    /// The service is made for children (`feature: made_for_children`): the notice and its
    /// consents are addressed to their parents or guardians, and guardian consent is a step of
    /// sign-up.
    pub for_children: bool,
    /// Clients' confidential documents or code reach the model (`feature: clients_data`): other
    /// people's data, even in a tool only its developer uses.
    pub clients_data: bool,
    /// What the agent mainly does when it is not a chat (the feature's code: `writes_code`,
    /// `processes_items`, `creates_content`, `screens_people`): the notice words its input and
    /// output so (`docs.privacy.work.<mode>.…`).
    pub work: Option<String>,
    /// What the agent decides about people, when it decides (`automated_decisions`) and the
    /// answers say on what: the features' codes (`screens_people`, `moves_money`, `grades_work`,
    /// `moderates_people`); the notice names each (`docs.privacy.auto.kind.<code>`).
    pub decision_kinds: Vec<String>,
    /// Minors can get in only because nothing checks age (`minors: unknown`, no band a young
    /// audience is aimed at or known): the notice says the service is not directed to children.
    pub minors_unchecked: bool,
    /// Age, or a parent's consent, is verified (`feature: age_verified`): only then may the
    /// notice say children's data is collected with a parent's verifiable consent (COPPA).
    pub age_verified: bool,
    pub has_accounts: bool,
    /// Conversations are kept beyond the request (session or persistent history, memory).
    pub keeps_history: bool,
    pub has_long_term_memory: bool,
    /// It keeps a memory of facts about users drawn from their conversations.
    pub remembers_facts: bool,
    /// It derives data about users: a memory or profile of facts from their chats, or the
    /// assessments behind decisions about them.
    pub infers_about_users: bool,
    /// It handles personal data of people who are not its users (`feature: non_users`).
    pub handles_non_users: bool,
    /// Sensitive data of people who are not its users (customers pictured, children in photos,
    /// vendors on invoices): never "yours, with your separate consent".
    pub non_users_sensitive: bool,
    /// Children's data of people who are not its users (children in the photos it handles).
    pub non_users_children: bool,
    /// Conversations land in logs somewhere.
    pub has_logs: bool,
    /// The model runs on the developer's own machine or server (`own: model_provider`).
    pub own_model: bool,
    /// No answer puts logs anywhere but the developer's own machine or server (no platform
    /// console, dashboard, chat group or logging service).
    pub logs_own_only: bool,
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
    /// Some tool reaches outside services (web search, e-mail, third-party APIs).
    pub external_tools: bool,
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
    /// A visible AI label on some outputs only (`labels_some_ai_content`): the to-do asks to label
    /// every one, not to start labelling.
    pub labels_some_ai_content: bool,
}

/// The profile together with what it was computed from.
#[allow(clippy::struct_excessive_bools)]
pub struct Reading {
    pub profile: Profile,
    pub recipients: Vec<Recipient>,
    /// Chosen data categories (option id, label, meaning, whether it is the data of people who
    /// are not users), voice and face aside (a flag of their own).
    pub data: Vec<(String, Text, Means, bool)>,
    /// The non-users the answers name (option id, label), in the order they are asked.
    pub non_users: Vec<(String, Text)>,
    /// Voices or faces of people who are not users.
    pub non_users_voice_face: bool,
    /// The answer to the question that `means: {answer: retention}`, as (option id, label).
    pub retention: Option<(String, Text)>,
    /// Self-service rights the product already offers.
    pub self_service_rights: Vec<SelfServiceRight>,
    /// The retention question was asked and is not answered (or "not sure").
    pub retention_open: bool,
    /// Conversations are kept across conversations (not only within one).
    pub history_persistent: bool,
    /// Whether and how long conversations are kept is still open.
    pub history_open: bool,
    /// Whether AI-generated content is labelled is still open.
    pub labels_open: bool,
}

fn fact_of(k: &Knowledge, provider: usize, fact: &str) -> FactValue {
    k.catalog
        .fact_by_id
        .get(fact)
        .and_then(|&f| k.catalog.providers[provider].facts.get(f))
        .map_or(FactValue::Unknown, |f| f.value)
}

/// Reads the profile from the answers, through the options' meanings.
pub fn read(k: &Knowledge, a: &Assessment) -> Reading {
    let states = question_states(k, a);
    let chosen = meaning::chosen_options(k, &states);
    let has = |f: &dyn Fn(&Means) -> bool| chosen.iter().any(|(_, o)| f(&o.means));
    let feature = |x: Feature| has(&|m: &Means| m.feature == Some(x));
    let purpose = |x: Purpose| has(&|m: &Means| m.purpose == Some(x));
    let users_in = |x: Location| has(&|m: &Means| m.users_in == Some(x));

    let (all, _) = meaning::recipients(k, &states);
    // The notice names every recipient: the agent's chain and the vendors that hold users' data.
    let recipients: Vec<Recipient> = all
        .iter()
        .map(|r| {
            let o = &k.questionnaire.questions[r.question].options[r.option];
            Recipient {
                id: r.id.clone(),
                provider: r.provider,
                question: r.question,
                option: o.id.clone(),
                label: o.display_name().clone(),
                kind: r.kind,
                outside_cn: r.is_outside(Location::CnMainland),
                outside_eu: r.is_outside(Location::Eu),
                stated: r.stated.map(|(at, _)| at),
                stated_by: r.stated.map(|(_, q)| q),
                kept: meaning::kept_by(k, &states, r.question)
                    .map(|(qi, o)| (qi, o.id.clone(), o.label.clone())),
                unnamed: o
                    .means
                    .recipient
                    .as_ref()
                    .is_some_and(|m| m.name == Some(crate::meaning::RecipientName::Unnamed)),
            }
        })
        .collect();
    // Training is a fact of the chain's providers; vendors process on the operator's behalf, and
    // a channel carries what its own users send on it.
    let fold = |fact: &str| -> Likelihood {
        recipients
            .iter()
            .filter(|r| !is_vendor(r.kind) && r.kind != RecipientKind::Channel)
            .map(|r| {
                r.provider.map_or(Likelihood::Maybe, |p| {
                    Likelihood::from_fact(fact_of(k, p, fact))
                })
            })
            .max()
            .unwrap_or_default()
    };

    let has_cn_users = users_in(Location::CnMainland);
    let has_eu_users = users_in(Location::Eu);
    let regions_unknown = meaning::is_open(k, &states, |m| m.users_in.is_some());
    // Whose data a chosen category is. The question on people who are not users names their data
    // (people in photos, children who appear in it); in an internal tool that handles such
    // people's data, the sensitive categories are the data of the people the work is about
    // (vendors on invoices, customers pictured), not the employees'.
    let handles_non_users = feature(Feature::NonUsers);
    let is_internal = meaning::delivery(k, &states).0 == Some(Delivery::Internal);
    let non_users_q = |qi: usize| {
        k.questionnaire.questions[qi]
            .options
            .iter()
            .any(|o| o.means.feature == Some(Feature::NonUsers))
    };
    let of_others = |qi: usize| non_users_q(qi) || (is_internal && handles_non_users);
    let own =
        |f: &dyn Fn(&Means) -> bool| chosen.iter().any(|(qi, o)| !of_others(*qi) && f(&o.means));
    let others =
        |f: &dyn Fn(&Means) -> bool| chosen.iter().any(|(qi, o)| of_others(*qi) && f(&o.means));
    let is_sensitive = |m: &Means| {
        matches!(
            m.sensitivity,
            Some(Sensitivity::Sensitive | Sensitivity::Special | Sensitivity::Children)
        )
    };
    let band = |m: &Means| m.minors;
    let has_minors = has(&|m: &Means| band(m).is_some_and(|b| b != MinorsBand::Adults));
    let minors_unchecked = has(&|m: &Means| band(m) == Some(MinorsBand::Unknown))
        && !has(&|m: &Means| {
            band(m).is_some_and(|b| !matches!(b, MinorsBand::Adults | MinorsBand::Unknown))
        });
    let has_children =
        has(&|m: &Means| matches!(band(m), Some(MinorsBand::Under13 | MinorsBand::Under14)))
            || own(&|m: &Means| m.data == Some(DataCategory::Children));
    let non_users_children = others(&|m: &Means| m.data == Some(DataCategory::Children));
    let has_voice_or_face = own(&|m: &Means| m.data == Some(DataCategory::VoiceFace));
    let non_users_voice_face = others(&|m: &Means| m.data == Some(DataCategory::VoiceFace));
    let has_sensitive_data = own(&is_sensitive) || has_children;
    let non_users_sensitive = others(&is_sensitive) || non_users_children;
    let has_special_category = own(&|m: &Means| m.sensitivity == Some(Sensitivity::Special));
    let provider_training = fold("may_train_on_inputs");
    // Where a recipient is: the location an answer states, else its provider's sourced fact.
    let outside = |place: Location| -> Likelihood {
        recipients
            .iter()
            .map(|r| {
                match if place == Location::CnMainland {
                    r.outside_cn
                } else {
                    r.outside_eu
                } {
                    Tri::True => Likelihood::Yes,
                    Tri::Unknown => Likelihood::Maybe,
                    Tri::False => Likelihood::No,
                }
            })
            .max()
            .unwrap_or_default()
    };
    let cn_cross_border = if has_cn_users {
        outside(Location::CnMainland)
    } else {
        Likelihood::No
    };
    let eu_transfer = if has_eu_users {
        outside(Location::Eu)
    } else {
        Likelihood::No
    };
    let shares_with_partners = purpose(Purpose::SharePartners);
    let law_applies = has_cn_users || has_eu_users;
    let needs_separate_consent_sensitive = has_sensitive_data && law_applies;
    let needs_separate_consent_cross_border = cn_cross_border.is_possible();
    let needs_separate_consent_third_party =
        law_applies && (provider_training.is_possible() || shares_with_partners);
    // COPPA asks verifiable parental consent for US children under 13, as PIPL Art 31 and GDPR
    // Art 8 do for theirs.
    let needs_guardian_consent = has_children && (law_applies || users_in(Location::Us));
    let profile = Profile {
        has_cn_users,
        has_eu_users,
        has_uk_users: users_in(Location::Uk),
        has_us_users: users_in(Location::Us),
        regions_unknown,
        has_minors,
        has_children,
        minors_unknown: meaning::is_open(k, &states, |m| m.minors.is_some()),
        minors_unchecked,
        for_children: feature(Feature::MadeForChildren) && has_children,
        age_verified: feature(Feature::AgeVerified),
        clients_data: feature(Feature::ClientsData),
        work: [
            Feature::WritesCode,
            Feature::ProcessesItems,
            Feature::CreatesContent,
            Feature::ScreensPeople,
        ]
        .into_iter()
        .find(|f| feature(*f))
        .map(Feature::code),
        decision_kinds: if feature(Feature::AutomatedDecisions) {
            [
                Feature::ScreensPeople,
                Feature::MovesMoney,
                Feature::GradesWork,
                Feature::ModeratesPeople,
            ]
            .into_iter()
            .filter(|f| feature(*f))
            .map(Feature::code)
            .collect()
        } else {
            Vec::new()
        },
        has_accounts: feature(Feature::Accounts),
        keeps_history: feature(Feature::HistorySession) || feature(Feature::HistoryPersistent),
        has_long_term_memory: feature(Feature::LongTermMemory)
            || feature(Feature::HistoryPersistent),
        remembers_facts: feature(Feature::LongTermMemory),
        has_logs: has(&|m: &Means| {
            m.feature == Some(Feature::Logs)
                || m.own == Some(RecipientKind::Logging)
                || m.recipient
                    .as_ref()
                    .is_some_and(|r| r.kind == RecipientKind::Logging)
        }),
        own_model: has(&|m: &Means| m.own == Some(RecipientKind::ModelProvider)),
        logs_own_only: !has(&|m: &Means| {
            m.feature == Some(Feature::Logs)
                || m.recipient
                    .as_ref()
                    .is_some_and(|r| r.kind == RecipientKind::Logging)
        }),
        infers_about_users: feature(Feature::LongTermMemory)
            || feature(Feature::AutomatedDecisions),
        handles_non_users,
        non_users_sensitive,
        non_users_children,
        has_sensitive_data,
        has_special_category,
        has_voice_or_face,
        uses_for_analytics: purpose(Purpose::Analytics),
        uses_for_marketing: purpose(Purpose::Marketing),
        uses_for_own_training: purpose(Purpose::TrainOwn),
        shares_with_partners,
        has_knowledge_base: feature(Feature::KnowledgeBase),
        has_tools: has(&|m: &Means| m.tool.is_some()),
        external_tools: has(&|m: &Means| m.tool == Some(meaning::ToolReach::External)),
        has_automated_decisions: feature(Feature::AutomatedDecisions),
        has_persona: feature(Feature::Persona),
        generates_media: feature(Feature::GeneratesMedia),
        has_recipients: !recipients.is_empty(),
        has_unlisted_recipients: recipients
            .iter()
            .any(|r| r.provider.is_none() && !is_vendor(r.kind)),
        provider_training,
        cn_cross_border,
        eu_transfer,
        is_public: feature(Feature::PublicAccess),
        needs_separate_consent_sensitive,
        needs_separate_consent_cross_border,
        needs_separate_consent_third_party,
        needs_guardian_consent,
        needs_any_separate_consent: needs_separate_consent_sensitive
            || needs_separate_consent_cross_border
            || needs_separate_consent_third_party
            || needs_guardian_consent,
        labels_ai_content: feature(Feature::LabelsAiContent),
        labels_some_ai_content: feature(Feature::LabelsSomeAiContent),
    };
    let data = chosen
        .iter()
        .filter(|(_, o)| o.means.data.is_some_and(|d| d != DataCategory::VoiceFace))
        .map(|(qi, o)| {
            (
                o.id.clone(),
                o.label.clone(),
                o.means.clone(),
                of_others(*qi),
            )
        })
        .collect();
    let non_users = chosen
        .iter()
        .filter(|(qi, o)| {
            non_users_q(*qi)
                && (o.means.feature == Some(Feature::NonUsers) || o.means.data.is_some())
        })
        .map(|(_, o)| (o.id.clone(), o.label.clone()))
        .collect();
    let retention = chosen
        .iter()
        .find(|(qi, _)| {
            let q = &k.questionnaire.questions[*qi];
            q.means == Some(AnswerMeaning::Retention) && q.retains.is_none()
        })
        .map(|(_, o)| (o.id.clone(), o.label.clone()));
    let self_service_rights = chosen.iter().filter_map(|(_, o)| o.means.right).collect();
    let retention_open = k.questionnaire.questions.iter().enumerate().any(|(qi, q)| {
        q.means == Some(AnswerMeaning::Retention)
            && q.retains.is_none()
            && match states.get(qi) {
                Some(QState::Unanswered | QState::NotSure) => true,
                Some(QState::Given(Value::Choice(c))) => c == NOT_SURE,
                _ => false,
            }
    });
    let history_persistent = profile.keeps_history && feature(Feature::HistoryPersistent);
    Reading {
        profile,
        recipients,
        data,
        non_users,
        non_users_voice_face,
        retention,
        self_service_rights,
        retention_open,
        history_persistent,
        history_open: meaning::is_open(k, &states, |m| {
            matches!(
                m.feature,
                Some(Feature::HistorySession | Feature::HistoryPersistent)
            )
        }),
        labels_open: meaning::is_open(k, &states, |m| m.feature == Some(Feature::LabelsAiContent)),
    }
}
