//! The privacy-notice draft as a typed model — the template context and, serialised, the JSON of
//! `agentguard privacy --format json`. It holds what the answers and the provider knowledge base
//! say (data, purposes, recipients with their facts and as-of dates, transfers, retention, rights,
//! the separate-consent cases); everything agentguard cannot know is left to TODO markers in the
//! template. Which sections appear follows [`Profile`], never the language.
//!
//! The notice is written by the service to its users: it states only what the answers and the
//! sourced facts support (a recipient is "abroad" only when known to be), and everything the
//! developer must still do — checks, uncertain facts, instructions — goes to [`PrivacyNotice::todo`],
//! which the template renders after the notice under "Before you publish", never inside it.

// Template contexts: the booleans are the point (see checklist.rs).
#![allow(clippy::struct_excessive_bools)]

use serde::Serialize;

use super::advice::{self, AdviceView};
use super::profile::{self, Likelihood, Profile, Recipient, is_vendor};
use super::shape::{self, NoticeShape};
use crate::meaning::{DataCategory, Feature, Purpose as UsePurpose, SelfServiceRight, Sensitivity};

/// The separate consents a notice may ask for (`docs.privacy.consent.<id>`).
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum Consent {
    Sensitive,
    CrossBorder,
    ThirdParty,
    Guardian,
}
use super::{Input, PRIVACY_SCHEMA_VERSION};
use crate::condition::Tri;
use crate::i18n::Ui;
use crate::meaning::{Location, RecipientKind};
use crate::model::{FactValue, Knowledge, Lang, ProviderKind};

#[derive(Clone, Debug, Serialize)]
pub struct PrivacyNotice {
    pub schema_version: u32,
    pub document: &'static str,
    pub lang: Lang,
    pub generated: String,
    pub tool_version: &'static str,
    pub catalog_version: u32,
    pub catalog_released: String,
    pub catalog_old_days: Option<i64>,
    pub agent_name: Option<String>,
    /// The laws whose notice contents this draft covers (`pipl`, `ndsmr`, `gdpr`, …).
    pub laws: Vec<&'static str>,
    pub profile: Profile,
    pub data: Vec<DataItem>,
    /// The chosen sensitive categories of the users' own data, joined for sentences.
    pub sensitive_list: String,
    /// The sensitive categories of people who are not users, joined for sentences.
    pub non_users_sensitive_list: String,
    /// Who the people are whose data passes through the service, joined for sentences.
    pub non_users_who: String,
    /// The keys, after `docs.privacy.`, of the summary's model line, the AI-content paragraph and
    /// the summary's AI line: a chat's words, or those of what the agent does.
    pub summary_models_key: String,
    pub ai_body_key: String,
    /// The decisions the agent makes about people, as the answers give them, in a sentence's
    /// list; empty when it makes none or the answers do not say which (then a fill-in marker).
    pub decisions: String,
    pub summary_ai_key: String,
    /// The key of the personal page's line before its recipients (`personal.flows.intro`, or a
    /// coding tool's `work.code.flows_intro`).
    pub flows_intro_key: String,
    /// A tool only its developer uses whose model and records stay on the developer's own
    /// machine: the platform it runs with is not a recipient.
    pub personal_local: bool,
    /// The section on people who are not users is shown: the answers name them or their data.
    pub non_users_section: bool,
    /// Some data item is theirs (listed in that section, not under "What we collect").
    pub non_users_data: bool,
    pub purposes: Vec<Purpose>,
    pub recipients: Vec<RecipientView>,
    /// Recipients named in the answers that the knowledge base does not know.
    pub unlisted: Vec<String>,
    pub cross_border_recipients: String,
    pub eu_transfer_recipients: String,
    pub third_party_recipients: String,
    pub all_recipients: String,
    /// The retention period the developer chose (`memory.retention`), when answered.
    pub retention: Option<String>,
    /// The retention question was asked and not answered: the period is a fill-in marker.
    pub retention_open: bool,
    /// Data is kept (history or logs) and no question asked how long: a fill-in marker.
    pub retention_unasked: bool,
    /// Conversation history: only within a conversation, across conversations, or still open.
    pub history_session: bool,
    /// History only within a conversation, while logs keep a record of every conversation: the
    /// summary must not read as if nothing were kept.
    pub history_session_logged: bool,
    pub history_persistent: bool,
    pub history_open: bool,
    /// No conversation history is kept (answered so): with or without logs that hold messages.
    pub no_history: bool,
    pub no_history_logs: bool,
    /// Whether AI-generated content is labelled is still open.
    pub labels_open: bool,
    /// Recipients by the part they play, joined for sentences.
    pub model_recipients: String,
    pub platform_recipients: String,
    pub channel_recipients: String,
    /// Recipients known to process data outside mainland China (for mainland users), or outside
    /// the EU/EEA (for EU users); and those for which that is not known.
    pub cn_abroad: String,
    pub cn_unknown: String,
    pub eu_abroad: String,
    pub eu_unknown: String,
    /// Some recipient is known to process the data of users in mainland China or the EU abroad.
    pub abroad_known: bool,
    /// Every recipient is known to keep the data of users in mainland China (the EU) inside it.
    pub cn_none: bool,
    pub eu_none: bool,
    /// Recipients, and users in neither mainland China nor the EU: their entries say where.
    pub transfer_where: bool,
    pub rights: Vec<Right>,
    pub consents: Vec<String>,
    pub facts_checked: Option<String>,
    pub training_yes: bool,
    pub training_maybe: bool,
    pub cn_cross_any: bool,
    pub eu_transfer_any: bool,
    pub any_transfer: bool,
    pub has_sensitive_items: bool,
    /// What the developer must still do before publishing: never part of the notice.
    pub todo: Vec<TodoItem>,
    /// The stores no answer says deletion reaches (a memory of facts, logs), joined; empty when
    /// none: the notice then promises no deletion there.
    pub deletion_unshown: String,
    /// The facts the notice states, each with the answers behind it (`docs::facts`).
    pub facts: Vec<super::facts::Fact>,
    /// The delivery shape: which kind of document the answers call for (issue 14).
    pub shape: NoticeShape,
    /// The age below which the users' laws protect children ("under 14", or one band per law),
    /// for the children's data item and the guardian consent.
    pub children_band: String,
    /// The Children section is shown (left out of an internal tool no minor uses).
    pub children_section: bool,
    /// The separate-consent texts are shown: not for software its users run themselves (their
    /// providers are theirs) nor a tool only its developer uses.
    pub consent_dialogs: bool,
    /// Model providers the answers name (not "another provider"), and whether one is unnamed.
    pub named_model_recipients: String,
    pub has_unnamed_model: bool,
    /// A service for business clients: what the template calls it, and the purposes it pursues
    /// on its own account, in the notice's words.
    pub service_name: String,
    pub own_use_list: String,
    /// What the notice says about the advice the agent gives: "not a professional" per area, and
    /// crisis help (never for a personal tool's note, which no user reads).
    pub advice: AdviceView,
}

/// One thing the developer must do before publishing the notice.
#[derive(Clone, Debug, Serialize)]
pub struct TodoItem {
    /// What it is about (`docs.privacy.todo.<id>`), stable for scripts.
    pub id: &'static str,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DataItem {
    /// `docs.privacy.data.<key>` for the items agentguard always lists; `None` for a category
    /// from the questionnaire, whose label is `label`.
    pub key: Option<String>,
    pub id: String,
    pub label: String,
    pub sensitive: bool,
    pub special_category: bool,
    /// The data of people who are not users: listed under "People who do not use the service".
    pub of_non_users: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Purpose {
    /// `docs.privacy.purpose.<id>` and `docs.privacy.basis.<id>.{cn,eu}`.
    pub id: String,
    /// Its legal bases, `docs.privacy.basis.<basis>.{cn,eu}`: the id's, or `non_users_answer`
    /// where the main purpose processes people who do not use the service (no answer shows
    /// their consent or a contract with them).
    pub basis: String,
    /// The key of its wording after `docs.privacy.`: the purpose, the employee notice's, or the
    /// main purpose in the words of what the agent does (`work.<mode>.purpose_answer`).
    pub key: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Right {
    /// What the right is (`access`, `delete_account` …).
    pub id: String,
    /// Its line, `docs.privacy.right.<text>`: the id's, or one that promises no deletion the
    /// answers do not show (`close_account`).
    pub text: String,
    /// The product already lets users do it themselves (from `compliance.user_rights`).
    pub self_service: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecipientView {
    pub id: String,
    /// The answer does not name it ("another provider"): `name` is a neutral phrase.
    pub unnamed: bool,
    /// The knowledge base has an entry for it; `false` for a recipient only the answers name.
    pub listed: bool,
    /// Where it processes data, when an answer or a sourced fact says so.
    pub place: Option<String>,
    /// Some sourced fact (training, retention) is shown for it.
    pub has_facts: bool,
    pub name: String,
    pub operator: String,
    pub region: String,
    /// The provider kind code (`model_api`, `platform`, …), or for a vendor named only by its
    /// kind, the recipient kind (`hosting`, `payment`, …).
    pub kind: String,
    pub is_model: bool,
    pub is_platform: bool,
    pub is_channel: bool,
    /// The key of what it receives, after `docs.privacy.` (`receives.<kind>`, or for a model
    /// provider of an agent that is not a chat, `work.receives_model`).
    pub receives_key: String,
    /// Shown only when its terms settle it (yes or no).
    pub training: Option<FactView>,
    pub retention: Option<FactView>,
    pub outside_cn: Option<FactView>,
    pub outside_eu: Option<FactView>,
    /// How long it keeps the users' data, as an answer states it (`retains:`).
    pub kept: Option<String>,
    /// The most days it keeps inputs after answering, when its sources state it (`keeps_for:`)
    /// and its retention fact is `yes`.
    pub kept_days: Option<String>,
    /// For mainland users, the data leaves (or may leave) mainland China.
    pub crosses_cn: bool,
    /// For EU users, the data leaves (or may leave) the EU/EEA.
    pub crosses_eu: bool,
    /// It uses (or may use) the data for its own ends: a third party in PIPL Art 23's sense.
    pub own_use: bool,
    pub checked: String,
    pub sources: Vec<String>,
    /// Whether it processes data outside mainland China and outside the EU/EEA (an answer's
    /// location, else the provider's sourced facts).
    #[serde(skip)]
    pub outside: (Tri, Tri),
}

#[derive(Clone, Debug, Serialize)]
pub struct FactView {
    pub value: FactValue,
    pub is_yes: bool,
    pub is_no: bool,
    pub is_unknown: bool,
    pub note: Option<String>,
    pub source: String,
    pub checked: String,
}

fn fact(k: &Knowledge, provider: usize, id: &str, lang: Lang) -> Option<FactView> {
    let &i = k.catalog.fact_by_id.get(id)?;
    let f = k.catalog.providers[provider].facts.get(i)?;
    Some(FactView {
        value: f.value,
        is_yes: f.value == FactValue::Yes,
        is_no: f.value == FactValue::No,
        is_unknown: f.value == FactValue::Unknown,
        note: f.note.as_ref().map(|n| n.get(lang).to_string()),
        source: f.source.clone(),
        checked: f.checked.clone(),
    })
}

fn possible(f: Option<&FactView>) -> bool {
    // A fact the catalog does not state counts as "may" (docs/formats.md §4).
    f.is_none_or(|f| f.value != FactValue::No)
}

/// The provider kind code a recipient only the answers name is shown as; a vendor keeps its
/// recipient kind.
fn kind_code(kind: RecipientKind) -> String {
    match kind {
        RecipientKind::Platform => ProviderKind::Platform.code().to_string(),
        RecipientKind::Channel => ProviderKind::Channel.code().to_string(),
        RecipientKind::ModelProvider => ProviderKind::ModelApi.code().to_string(),
        vendor => vendor.code(),
    }
}

/// The locale key suffix naming a recipient the answers do not name: its recipient kind, or
/// `other_service` for "another service" of no stated kind.
fn unnamed_key(r: &Recipient, kind: &str) -> String {
    if is_vendor(r.kind) && r.unnamed {
        "other_service".to_string()
    } else {
        kind.to_string()
    }
}

/// Where a recipient processes data, as the notice may say it (a `docs.privacy.place.…` word): a
/// location an answer states, else the one place its provider's sources state (`located:`), else
/// the side of the users' own region a sourced fact settles (mainland China first), else mainland
/// China when a sourced fact says it never leaves it; `None` when nothing settles it.
pub fn place_code(k: &Knowledge, r: &Recipient, p: &Profile) -> Option<String> {
    if let Some(at) = r.stated {
        return Some(at.code());
    }
    if let Some(l) = r
        .provider
        .and_then(|pi| k.catalog.providers[pi].located.as_ref())
    {
        return Some(l.value.code());
    }
    let side = |outside: Tri, place: Location| {
        let side = match outside {
            Tri::True => "outside",
            Tri::False => "inside",
            Tri::Unknown => return None,
        };
        Some(format!("{side}_{}", place.code()))
    };
    let cn = if p.has_cn_users {
        side(r.outside_cn, Location::CnMainland)
    } else {
        None
    };
    cn.or_else(|| {
        if p.has_eu_users {
            side(r.outside_eu, Location::Eu)
        } else {
            None
        }
    })
    .or_else(|| {
        (r.provider.is_some() && r.outside_cn == Tri::False)
            .then(|| side(Tri::False, Location::CnMainland))
            .flatten()
    })
}

fn place(k: &Knowledge, r: &Recipient, p: &Profile, ui: &Ui, lang: Lang) -> Option<String> {
    place_code(k, r, p).map(|code| ui.get(lang, &format!("docs.privacy.place.{code}")))
}

fn recipient_view(k: &Knowledge, r: &Recipient, p: &Profile, ui: &Ui, lang: Lang) -> RecipientView {
    let place = place(k, r, p, ui, lang);
    let kept = r
        .kept
        .as_ref()
        .map(|(_, _, label)| label.get(lang).to_string());
    let outside = (r.outside_cn, r.outside_eu);
    let Some(pi) = r.provider else {
        let key = unnamed_key(r, &r.kind.code());
        // A vendor is named only by its kind ("cloud hosting"): the notice calls it so and the
        // to-do list asks for its name; "another service" is the kind `other_service`.
        let kind = if is_vendor(r.kind) {
            key.clone()
        } else {
            kind_code(r.kind)
        };
        let unnamed = r.unnamed || is_vendor(r.kind);
        return RecipientView {
            id: r.id.clone(),
            unnamed,
            listed: false,
            place,
            has_facts: false,
            name: if unnamed {
                ui.get(lang, &format!("docs.privacy.unnamed.{key}"))
            } else {
                r.label.get(lang).to_string()
            },
            operator: String::new(),
            region: String::new(),
            kind,
            is_model: r.kind == RecipientKind::ModelProvider,
            is_platform: r.kind == RecipientKind::Platform,
            is_channel: r.kind == RecipientKind::Channel,
            receives_key: String::new(),
            training: None,
            retention: None,
            outside_cn: None,
            outside_eu: None,
            kept,
            kept_days: None,
            crosses_cn: p.has_cn_users && r.outside_cn != Tri::False,
            crosses_eu: p.has_eu_users && r.outside_eu != Tri::False,
            // The questionnaire asks for vendors as services that process users' data on the
            // operator's behalf; a provider the catalog does not know may use it for itself; a
            // channel carries what its own users send on it.
            own_use: !is_vendor(r.kind) && r.kind != RecipientKind::Channel,
            checked: String::new(),
            sources: Vec::new(),
            outside,
        };
    };
    let pr = &k.catalog.providers[pi];
    let training = fact(k, pi, "may_train_on_inputs", lang);
    let outside_cn = fact(k, pi, "processes_outside_mainland_china", lang);
    let outside_eu = fact(k, pi, "processes_outside_eu", lang);
    let retention = fact(k, pi, "retains_inputs", lang).filter(|f| !f.is_unknown);
    // A channel (WeChat, a shop's chat window) carries messages users already exchange on it
    // as its own users: not a third party we provide their data to for its own ends.
    let own_use = possible(training.as_ref()) && pr.kind != ProviderKind::Channel;
    let kept_days = pr
        .keeps_for
        .as_ref()
        .filter(|_| retention.as_ref().is_some_and(|f| f.is_yes))
        .map(|f| f.days.to_string());
    let training = training.filter(|f| !f.is_unknown);
    let mut sources: Vec<String> = pr.facts.iter().map(|f| f.source.clone()).collect();
    sources.sort();
    sources.dedup();
    RecipientView {
        id: pr.id.clone(),
        unnamed: false,
        listed: true,
        place,
        has_facts: training.is_some() || retention.is_some(),
        name: pr.name.get(lang).to_string(),
        operator: pr.operator.get(lang).to_string(),
        region: pr.region.get(lang).to_string(),
        kind: pr.kind.code().to_string(),
        is_model: matches!(pr.kind, ProviderKind::ModelApi | ProviderKind::Relay),
        is_platform: pr.kind == ProviderKind::Platform,
        is_channel: pr.kind == ProviderKind::Channel,
        receives_key: String::new(),
        crosses_cn: p.has_cn_users && r.outside_cn != Tri::False,
        crosses_eu: p.has_eu_users && r.outside_eu != Tri::False,
        own_use,
        retention,
        training,
        outside_cn,
        outside_eu,
        kept,
        kept_days,
        checked: pr
            .facts
            .iter()
            .map(|f| f.checked.as_str())
            .max()
            .unwrap_or_default()
            .to_string(),
        sources,
        outside,
    }
}

/// The locale key of a recipient's role line: one that may use the data for itself is asked for
/// consent only where the users' law calls for that consent (PIPL Art 23, GDPR); elsewhere the
/// line says it uses the data under its own terms.
pub fn role_key(n: &PrivacyNotice, own_use: bool, is_channel: bool) -> String {
    if is_channel {
        // The service users reach us through: it carries messages under its own terms with them.
        "docs.privacy.role.channel".to_string()
    } else if !own_use {
        "docs.privacy.role.processor".to_string()
    } else if n.profile.needs_separate_consent_third_party {
        "docs.privacy.role.own_use".to_string()
    } else {
        "docs.privacy.role.own_use_terms".to_string()
    }
}

/// The locale key of "who we are" (`who.body`, `internal.who`): PIPL's "personal-information
/// handler" only for users in mainland China.
pub fn who_key(n: &PrivacyNotice, base: &str) -> String {
    if n.profile.has_cn_users {
        format!("docs.privacy.{base}")
    } else {
        format!("docs.privacy.{base}_general")
    }
}

/// A list in a sentence: "A, B and C" / "A、B和C", so that a name followed by a phrase ("Coze,
/// the agent platform we use") never reads as one thing in apposition.
fn join(lang: Lang, items: impl Iterator<Item = String>) -> String {
    let mut v: Vec<String> = items.collect();
    let (sep, and) = if lang == Lang::Zh {
        ("、", "和")
    } else {
        (", ", " and ")
    };
    match v.pop() {
        None => String::new(),
        Some(last) if v.is_empty() => last,
        Some(last) => format!("{}{and}{last}", v.join(sep)),
    }
}

/// Builds the notice for one language.
pub fn build(input: &Input<'_>, lang: Lang) -> PrivacyNotice {
    let k = input.knowledge;
    let ui = input.ui;
    let mut reading = profile::read(k, input.assessment);
    let early_shape = shape::read(k, input.assessment);
    // A tool only its developer uses, whose model runs on the developer's own machine and whose
    // records stay there: the platform it runs with (named only as "another platform") is
    // software on that machine, not a party the data goes to.
    let local_platform = |r: &Recipient| r.kind == RecipientKind::Platform && r.unnamed;
    let personal_local = early_shape.is_personal
        && reading.profile.own_model
        && reading.profile.logs_own_only
        && reading.recipients.iter().any(local_platform);
    if personal_local {
        reading.recipients.retain(|r| !local_platform(r));
        reading.profile.has_recipients = !reading.recipients.is_empty();
    }
    let p = &reading.profile;

    let mut data = vec![DataItem {
        key: Some("messages".into()),
        id: "messages".into(),
        label: String::new(),
        sensitive: false,
        special_category: false,
        of_non_users: false,
    }];
    if p.has_accounts {
        data.push(DataItem {
            key: Some("account".into()),
            id: "account".into(),
            label: String::new(),
            sensitive: false,
            special_category: false,
            of_non_users: false,
        });
    }
    for (_, label, means, of_non_users) in &reading.data {
        let Some(category) = means.data else { continue };
        let code = category.code();
        // The category's own words (the option's label is written for the developer), once
        // per category: two options may mean the same one.
        let sensitive = matches!(
            means.sensitivity,
            Some(Sensitivity::Sensitive | Sensitivity::Special | Sensitivity::Children)
        );
        let special_category = means.sensitivity == Some(Sensitivity::Special);
        if category == DataCategory::Messages {
            continue;
        }
        if let Some(d) = data
            .iter_mut()
            .find(|d| d.id == code && d.of_non_users == *of_non_users)
        {
            d.sensitive |= sensitive;
            d.special_category |= special_category;
            continue;
        }
        let key = format!("docs.privacy.data.{code}");
        data.push(DataItem {
            key: ui.has(lang, &key).then(|| code.clone()),
            id: code,
            label: if ui.has(lang, &key) {
                String::new()
            } else {
                label.get(lang).to_string()
            },
            sensitive,
            special_category,
            of_non_users: *of_non_users,
        });
    }
    for (on, key, special, of_non_users) in [
        (
            p.has_voice_or_face,
            DataCategory::VoiceFace.code(),
            true,
            false,
        ),
        (p.has_children, DataCategory::Children.code(), false, false),
        (
            reading.non_users_voice_face,
            DataCategory::VoiceFace.code(),
            true,
            true,
        ),
        (
            p.non_users_children,
            DataCategory::Children.code(),
            false,
            true,
        ),
        (p.has_logs, DataCategory::Logs.code(), false, false),
        (
            p.infers_about_users,
            DataCategory::Inferred.code(),
            false,
            false,
        ),
    ] {
        if on
            && !data
                .iter()
                .any(|d| d.id == key && d.of_non_users == of_non_users)
        {
            data.push(DataItem {
                of_non_users,
                // What it infers is marked sensitive where an answer says so (`sensitivity:`).
                sensitive: key != DataCategory::Logs.code() && key != DataCategory::Inferred.code(),
                id: key.clone(),
                key: Some(key),
                label: String::new(),
                special_category: special,
            });
        }
    }
    // An agent that assesses people who do not use it (candidates, scraped profiles): what it
    // infers is about them, listed as theirs, never the users' "with your separate consent".
    let screens_non_users =
        p.handles_non_users && p.work.as_deref() == Some(Feature::ScreensPeople.code().as_str());
    if screens_non_users {
        let inferred = DataCategory::Inferred.code();
        let theirs = data.iter().any(|d| d.id == inferred && d.of_non_users);
        data.retain(|d| !(theirs && d.id == inferred && !d.of_non_users));
        for d in data.iter_mut().filter(|d| d.id == inferred) {
            d.of_non_users = true;
        }
    }
    let children_band = children_band(ui, lang, p);
    for d in &mut data {
        if let (Some(mode), "messages") = (&p.work, d.id.as_str()) {
            d.label = ui.get(lang, &format!("docs.privacy.work.{mode}.data_messages"));
            continue;
        }
        if let Some(key) = &d.key {
            // The data of people who are not users in words about them, not "your …".
            let theirs = format!("docs.privacy.non_users.data.{key}");
            // A service made for children speaks to their parents: the child's data is the
            // child's.
            let childs = format!("docs.privacy.for_children.data.{key}");
            d.label = if d.of_non_users && ui.has(lang, &theirs) {
                ui.get(lang, &theirs)
            } else if p.for_children && ui.has(lang, &childs) {
                ui.get(lang, &childs)
            } else {
                ui.get(lang, &format!("docs.privacy.data.{key}"))
            };
        }
        if d.id == DataCategory::Children.code() {
            // Children's data in the age bands of the users' own laws, not PIPL's alone.
            d.label = ui.fmt(
                lang,
                "docs.privacy.shapes.children_of",
                &[("band", children_band.clone())],
            );
        }
    }
    let sensitive_list = join(
        lang,
        data.iter()
            .filter(|d| d.sensitive && !d.of_non_users)
            .map(|d| d.label.clone()),
    );
    let non_users_sensitive_list = join(
        lang,
        data.iter()
            .filter(|d| d.sensitive && d.of_non_users)
            .map(|d| d.label.clone()),
    );
    let non_users_data = data.iter().any(|d| d.of_non_users);
    let non_users_who = join(
        lang,
        reading.non_users.iter().map(|(id, label)| {
            let key = format!("docs.privacy.non_users.who.{id}");
            if ui.has(lang, &key) {
                ui.get(lang, &key)
            } else {
                label.get(lang).to_string()
            }
        }),
    );

    // For a service run for business clients, its own purposes are not the client's: the
    // template states them apart (docs.privacy.processor.own_use).
    let is_processor = early_shape.is_processor;
    let processor_own = early_shape.own_use.clone();
    let mut purposes = vec![Purpose {
        id: "answer".into(),
        basis: String::new(),
        key: String::new(),
    }];
    for (on, id) in [
        (p.keeps_history, "history".to_string()),
        (p.has_knowledge_base, "knowledge".to_string()),
        (p.has_tools, "tools".to_string()),
        (true, "security".to_string()),
        (p.uses_for_analytics, UsePurpose::Analytics.code()),
        (p.uses_for_marketing, UsePurpose::Marketing.code()),
        (p.uses_for_own_training, UsePurpose::TrainOwn.code()),
        (p.shares_with_partners, UsePurpose::SharePartners.code()),
    ] {
        if on && !(is_processor && processor_own.contains(&id)) {
            purposes.push(Purpose {
                id,
                basis: String::new(),
                key: String::new(),
            });
        }
    }
    for purpose in &mut purposes {
        // The service's own bases (a contract, the history's consent) are the users'; no answer
        // shows one with the people it assesses.
        purpose.basis = if screens_non_users
            && ["answer", "history", "knowledge", "tools"].contains(&purpose.id.as_str())
        {
            "non_users_answer".to_string()
        } else {
            purpose.id.clone()
        };
        purpose.key = match &p.work {
            Some(mode) if purpose.id == "answer" => format!("work.{mode}.purpose_answer"),
            Some(_) if purpose.id == "knowledge" => "work.purpose_knowledge".to_string(),
            _ if early_shape.is_internal => format!("internal.purpose.{}", purpose.id),
            _ => format!("purpose.{}", purpose.id),
        };
    }

    let mut recipients: Vec<RecipientView> = reading
        .recipients
        .iter()
        .map(|r| recipient_view(k, r, p, ui, lang))
        .collect();
    for view in &mut recipients {
        view.receives_key = if view.is_model && p.work.is_some() {
            "work.receives_model".to_string()
        } else {
            format!("receives.{}", view.kind)
        };
    }
    if early_shape.is_personal {
        // A tool only its developer uses: the party is the developer's, not "ours".
        for (view, r) in recipients.iter_mut().zip(&reading.recipients) {
            if view.unnamed {
                view.name = ui.get(
                    lang,
                    &format!(
                        "docs.privacy.unnamed.personal.{}",
                        unnamed_key(r, &r.kind.code())
                    ),
                );
            }
        }
    }
    let unlisted: Vec<String> = recipients
        .iter()
        .filter(|r| !r.listed)
        .map(|r| r.name.clone())
        .collect();
    let names = |f: &dyn Fn(&RecipientView) -> bool| {
        join(
            lang,
            recipients.iter().filter(|r| f(r)).map(|r| r.name.clone()),
        )
    };
    let outside = |r: &RecipientView, cn: bool| if cn { r.outside.0 } else { r.outside.1 };
    let cn_abroad = if p.has_cn_users {
        names(&|r| outside(r, true) == Tri::True)
    } else {
        String::new()
    };
    let cn_unknown = if p.has_cn_users {
        names(&|r| outside(r, true) == Tri::Unknown)
    } else {
        String::new()
    };
    let eu_abroad = if p.has_eu_users {
        names(&|r| outside(r, false) == Tri::True)
    } else {
        String::new()
    };
    let eu_unknown = if p.has_eu_users {
        names(&|r| outside(r, false) == Tri::Unknown)
    } else {
        String::new()
    };

    // Stores no answer says deletion reaches (no self-service option covers a memory of facts or
    // logs): the notice states the right to deletion but promises no deletion there.
    let deletion_unshown = join(
        lang,
        [
            (p.remembers_facts, "docs.privacy.deletion.store.memory"),
            (p.has_logs, "docs.privacy.deletion.store.logs"),
        ]
        .into_iter()
        .filter(|(on, _)| *on && !early_shape.is_personal)
        .map(|(_, key)| ui.get(lang, key)),
    );
    let mut rights = Vec::new();
    let only_us_users = p.has_us_users
        && !(p.has_cn_users || p.has_eu_users || p.has_uk_users || p.regions_unknown);
    let has = |r: SelfServiceRight| reading.self_service_rights.contains(&r);
    for (on, id, self_service) in [
        (true, "access", has(SelfServiceRight::View)),
        (true, "copy", has(SelfServiceRight::Export)),
        (
            true,
            &SelfServiceRight::Correct.code(),
            has(SelfServiceRight::Correct),
        ),
        (
            p.keeps_history,
            &SelfServiceRight::DeleteHistory.code(),
            has(SelfServiceRight::DeleteHistory),
        ),
        (
            p.has_accounts,
            &SelfServiceRight::DeleteAccount.code(),
            has(SelfServiceRight::DeleteAccount),
        ),
        // Deletion is a right whatever is kept (PIPL Art 47, GDPR Art 17): without a history or
        // an account to delete, or when deleting them is not shown to reach every store, the
        // list still offers it, as the summary does.
        (
            (!p.keeps_history && !p.has_accounts) || !deletion_unshown.is_empty(),
            "delete",
            false,
        ),
        (true, "withdraw", false),
        (
            p.has_eu_users || p.has_cn_users,
            "portability",
            has(SelfServiceRight::Export),
        ),
        (p.has_eu_users, "object", false),
        (p.has_automated_decisions, "explain", false),
        // Users can complain to a data-protection authority where PIPL, the GDPR or the UK GDPR
        // apply; a notice only for US users does not promise one.
        (!only_us_users, "complain", false),
    ] {
        if on {
            let closes_only =
                !deletion_unshown.is_empty() && id == SelfServiceRight::DeleteAccount.code();
            rights.push(Right {
                id: id.to_string(),
                text: if closes_only { "close_account" } else { id }.to_string(),
                self_service,
            });
        }
    }

    let mut consents = Vec::new();
    for (on, id) in [
        (p.needs_separate_consent_sensitive, Consent::Sensitive),
        (p.needs_separate_consent_cross_border, Consent::CrossBorder),
        (p.needs_separate_consent_third_party, Consent::ThirdParty),
        (p.needs_guardian_consent, Consent::Guardian),
    ] {
        if on {
            consents.push(crate::meaning::code_of(&id));
        }
    }

    let mut laws = Vec::new();
    if p.has_cn_users {
        laws.extend(["pipl", "ndsmr", "genai_measures"]);
    }
    if p.has_eu_users {
        laws.extend(["gdpr", "eu_ai_act"]);
    }
    if early_shape.is_self_run && !early_shape.receives_nothing {
        // A self-run software's short notice does not give everything PIPL Art 17 or GDPR Art 13
        // ask for what reaches its maintainer: the to-do lists what is missing instead.
        laws.clear();
    }

    let retention = reading
        .retention
        .as_ref()
        .map(|(_, l)| l.get(lang).to_string());
    let retention_unasked =
        retention.is_none() && !reading.retention_open && (p.keeps_history || p.has_logs);
    let history_persistent = reading.history_persistent;
    let shape = early_shape;
    let named_model_recipients = names(&|r| r.is_model && !r.unnamed);
    let has_unnamed_model = recipients.iter().any(|r| r.is_model && r.unnamed);
    let todo = todo_items(&TodoFacts {
        shape: &shape,
        ui,
        lang,
        p,
        reading: &reading,
        recipients: &recipients,
        cn_unknown: &cn_unknown,
        eu_unknown: &eu_unknown,
        retention: retention.as_deref(),
        non_users_sensitive: &non_users_sensitive_list,
        personal_local,
        screens_non_users,
    });

    let advice = if shape.is_personal {
        AdviceView::default()
    } else {
        advice::read(k, input.assessment)
    };
    let mut todo = todo;
    if advice.crisis_lines {
        todo.push(TodoItem {
            id: "crisis_lines",
            text: ui.get(lang, "docs.privacy.todo.crisis_lines"),
        });
    }
    if !deletion_unshown.is_empty() {
        todo.push(TodoItem {
            id: "deletion_reach",
            text: ui.fmt(
                lang,
                "docs.privacy.todo.deletion_reach",
                &[("stores", deletion_unshown.clone())],
            ),
        });
    }
    // COPPA: a ticked box or a typed e-mail is no verifiable parental consent; the notice claims
    // none unless the answers say age or consent is verified.
    if !shape.is_personal
        && p.has_us_users
        && p.has_minors
        && !p.minors_unchecked
        && !p.age_verified
    {
        todo.push(TodoItem {
            id: "coppa_verify",
            text: ui.get(lang, "docs.privacy.todo.coppa_verify"),
        });
    }
    let view_catalog = &k.catalog.manifest;
    let advice_answered = advice.answered;
    let mut notice = PrivacyNotice {
        advice,
        schema_version: PRIVACY_SCHEMA_VERSION,
        document: "privacy_notice",
        lang,
        generated: crate::util::format_date(input.today),
        tool_version: env!("CARGO_PKG_VERSION"),
        catalog_version: view_catalog.version,
        catalog_released: view_catalog.released.clone(),
        catalog_old_days: super::catalog_age(k, input.today),
        agent_name: profile::agent_name(k, input.assessment),
        laws,
        data,
        purposes,
        cross_border_recipients: cn_abroad.clone(),
        eu_transfer_recipients: eu_abroad.clone(),
        third_party_recipients: names(&|r| r.own_use),
        all_recipients: names(&|_| true),
        model_recipients: names(&|r| r.is_model),
        platform_recipients: names(&|r| r.is_platform),
        channel_recipients: names(&|r| r.is_channel),
        abroad_known: !cn_abroad.is_empty() || !eu_abroad.is_empty(),
        cn_none: p.has_cn_users && cn_abroad.is_empty() && cn_unknown.is_empty(),
        eu_none: p.has_eu_users && eu_abroad.is_empty() && eu_unknown.is_empty(),
        transfer_where: !p.has_cn_users && !p.has_eu_users,
        cn_abroad,
        cn_unknown,
        eu_abroad,
        eu_unknown,
        facts_checked: recipients
            .iter()
            .filter(|r| r.listed)
            .map(|r| r.checked.clone())
            .max(),
        recipients,
        unlisted,
        retention,
        retention_open: reading.retention_open,
        retention_unasked,
        history_session: p.keeps_history && !history_persistent && !p.has_logs,
        history_session_logged: p.keeps_history && !history_persistent && p.has_logs,
        history_persistent: p.keeps_history && history_persistent,
        history_open: reading.history_open,
        no_history: !p.keeps_history && !reading.history_open && !p.has_logs,
        no_history_logs: !p.keeps_history && !reading.history_open && p.has_logs,
        labels_open: reading.labels_open,
        rights,
        consents,
        training_yes: p.provider_training == Likelihood::Yes,
        training_maybe: p.provider_training == Likelihood::Maybe,
        cn_cross_any: p.cn_cross_border.is_possible(),
        eu_transfer_any: p.eu_transfer.is_possible(),
        any_transfer: p.cn_cross_border.is_possible() || p.eu_transfer.is_possible(),
        has_sensitive_items: !sensitive_list.is_empty(),
        sensitive_list,
        summary_models_key: p.work.as_ref().map_or("summary.models".to_string(), |m| {
            format!("work.{m}.summary_models")
        }),
        decisions: join(
            lang,
            p.decision_kinds
                .iter()
                .map(|c| ui.get(lang, &format!("docs.privacy.auto.kind.{c}"))),
        ),
        ai_body_key: if p.work.is_some() {
            "work.ai_body"
        } else if advice_answered {
            // The areas it advises in get their own lines; none answered needs no general one.
            "ai.body_plain"
        } else {
            "ai.body"
        }
        .to_string(),
        summary_ai_key: if p.work.is_some() {
            "work.summary_ai"
        } else {
            "summary.ai"
        }
        .to_string(),
        flows_intro_key: if p.work == Some(Feature::WritesCode.code()) {
            "work.writes_code.flows_intro"
        } else {
            "personal.flows.intro"
        }
        .to_string(),
        personal_local,
        non_users_section: p.handles_non_users || non_users_data,
        non_users_data,
        non_users_sensitive_list,
        non_users_who,
        todo,
        deletion_unshown,
        facts: Vec::new(),
        children_band,
        children_section: !shape.is_internal || p.has_minors || p.minors_unknown,
        consent_dialogs: p.needs_any_separate_consent && shape.is_user_notice,
        named_model_recipients,
        has_unnamed_model,
        service_name: profile::agent_name(k, input.assessment)
            .unwrap_or_else(|| ui.get(lang, "docs.privacy.processor.unnamed_service")),
        own_use_list: join(
            lang,
            shape
                .own_use
                .iter()
                .map(|u| ui.get(lang, &format!("docs.privacy.processor.own_use_item.{u}"))),
        ),
        shape,
        profile: reading.profile.clone(),
    };
    notice.facts = super::facts::build(&super::facts::Source {
        k,
        a: input.assessment,
        ui,
        lang,
        reading: &reading,
        notice: &notice,
    });
    notice
}

/// The laws whose age of digital consent binds the notice, in the users' regions: PIPL Art 31
/// (under 14) for mainland China, COPPA (under 13) for the US, GDPR Art 8 (under 16 by default)
/// for the EU — as a phrase (`docs.privacy.shapes.under.<law>`, several joined).
fn children_band(ui: &Ui, lang: Lang, p: &Profile) -> String {
    let laws: Vec<String> = [
        (p.has_cn_users, Location::CnMainland),
        (p.has_us_users, Location::Us),
        (p.has_eu_users, Location::Eu),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, place)| place.code())
    .collect();
    match laws.as_slice() {
        [] => ui.get(lang, "docs.privacy.shapes.under.any"),
        [law] => ui.get(lang, &format!("docs.privacy.shapes.under.{law}")),
        many => ui.fmt(
            lang,
            "docs.privacy.shapes.under_many",
            &[(
                "bands",
                // One band per law, side by side in a parenthesis: no "and".
                many.iter()
                    .map(|law| ui.get(lang, &format!("docs.privacy.shapes.band.{law}")))
                    .collect::<Vec<_>>()
                    .join(if lang == Lang::Zh { "、" } else { ", " }),
            )],
        ),
    }
}

/// What the developer's to-do list is made from.
struct TodoFacts<'a> {
    shape: &'a NoticeShape,
    ui: &'a Ui,
    lang: Lang,
    p: &'a Profile,
    reading: &'a profile::Reading,
    recipients: &'a [RecipientView],
    cn_unknown: &'a str,
    eu_unknown: &'a str,
    retention: Option<&'a str>,
    /// The sensitive data of people who are not users, joined.
    non_users_sensitive: &'a str,
    /// A personal tool whose platform is taken to run on the developer's own machine.
    personal_local: bool,
    /// It assesses people who do not use it: their basis is no answer's.
    screens_non_users: bool,
}

/// The developer's to-do list: every check, uncertain fact and instruction that the notice
/// itself must not carry, in the order the notice's sections come.
fn todo_items(f: &TodoFacts<'_>) -> Vec<TodoItem> {
    let (ui, lang, p) = (f.ui, f.lang, f.p);
    let mut out = Vec::new();
    let mut push = |id: &'static str, args: &[(&str, String)]| {
        out.push(TodoItem {
            id,
            text: ui.fmt(lang, &format!("docs.privacy.todo.{id}"), args),
        });
    };
    let sh = f.shape;
    if sh.is_personal {
        // No notice to fill in: what changes once others use it, and the parties to name.
        push("personal_others", &[]);
        if f.personal_local {
            push("personal_local", &[]);
        }
        if p.clients_data {
            let names = join(lang, f.recipients.iter().map(|r| r.name.clone()));
            if names.is_empty() {
                push("personal_clients_local", &[]);
            } else {
                push("personal_clients", &[("recipients", names)]);
            }
        }
        for r in f.recipients.iter().filter(|r| r.unnamed) {
            push("unnamed", &[("name", r.name.clone())]);
        }
        return out;
    }
    push("fill_in", &[]);
    if sh.is_processor {
        push("processor_template", &[]);
        if sh.has_own_use {
            let uses = join(
                lang,
                sh.own_use
                    .iter()
                    .map(|u| ui.get(lang, &format!("docs.privacy.shapes.own_use.{u}"))),
            );
            push("processor_own_use", &[("uses", uses)]);
        }
    }
    if sh.is_internal {
        push("internal_publish", &[]);
    }
    if sh.is_self_run && sh.receives_open {
        push("self_run_receives", &[]);
    }
    if sh.is_self_run && !sh.receives_nothing && (p.has_cn_users || p.has_eu_users) {
        push("self_run_gaps", &[]);
    }
    if sh.telemetry_default_on && p.has_eu_users {
        push("telemetry_opt_in", &[]);
    }
    if sh.support_access {
        push("support_terms", &[]);
    }
    if p.regions_unknown {
        push("regions", &[]);
    }
    // Self-run software whose maintainer receives nothing holds no one's data: no contact person,
    // no representative, no list of data, no transfers of its own to settle.
    // Nor does a self-run notice carry those paragraphs (its gaps are listed above).
    let holds_data = !sh.is_self_run;
    if p.has_cn_users && holds_data {
        push("cn_contact", &[]);
    }
    if p.has_eu_users && holds_data {
        push("eu_representative", &[]);
    }
    if !sh.is_self_run {
        push("other_data", &[]);
    }
    if p.for_children && sh.is_user_notice {
        push("for_children", &[]);
    }
    if p.has_cn_users && !f.non_users_sensitive.is_empty() {
        push(
            "non_users_consent",
            &[("data", f.non_users_sensitive.to_string())],
        );
    }
    if p.has_cn_users && p.non_users_children {
        push("non_users_guardian", &[]);
    }
    if f.screens_non_users {
        push("non_users_basis", &[]);
    }
    for r in f.recipients {
        if sh.is_self_run {
            // Its users pick and configure these providers, under their own accounts and terms.
            break;
        }
        if r.unnamed {
            push("unnamed", &[("name", r.name.clone())]);
            continue;
        }
        if !r.listed {
            push("unlisted", &[("name", r.name.clone())]);
            continue;
        }
        if r.is_channel {
            // A channel's operator in the knowledge base is not always a name users know.
            push(
                "channel_operator",
                &[("name", r.name.clone()), ("operator", r.operator.clone())],
            );
        }
        if r.training.is_none() && !r.is_channel {
            push(
                "training_unknown",
                &[("name", r.name.clone()), ("date", r.checked.clone())],
            );
        }
        if r.retention.is_none() {
            push(
                "retention_unknown",
                &[("name", r.name.clone()), ("date", r.checked.clone())],
            );
        }
        if r.retention.as_ref().is_some_and(|f| f.is_yes) && r.kept_days.is_none() {
            // It keeps inputs, and its sources give no period: the notice leaves a marker.
            push(
                "retention_period",
                &[("name", r.name.clone()), ("date", r.checked.clone())],
            );
        }
        if r.place.is_none() {
            push(
                "place_unknown",
                &[("name", r.name.clone()), ("region", r.region.clone())],
            );
        }
        let notes: Vec<String> = [&r.training, &r.retention]
            .into_iter()
            .flatten()
            .filter_map(|x| x.note.clone())
            .collect();
        if !notes.is_empty() {
            push(
                "provider_terms",
                &[
                    ("name", r.name.clone()),
                    ("date", r.checked.clone()),
                    // Chinese sentences end in a full stop and need no space after it.
                    ("notes", notes.join(if lang == Lang::Zh { "" } else { " " })),
                ],
            );
        }
    }
    if !f.cn_unknown.is_empty() && !sh.is_self_run {
        push("cn_location", &[("recipients", f.cn_unknown.to_string())]);
    }
    if !f.eu_unknown.is_empty() && !sh.is_self_run {
        push("eu_location", &[("recipients", f.eu_unknown.to_string())]);
    }
    if let Some(period) = f.retention {
        // The storage-limitation rule of the users' own laws, none for users elsewhere.
        let laws: Vec<String> = [
            (p.has_cn_users, Location::CnMainland),
            (p.has_eu_users, Location::Eu),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, at)| {
            ui.get(
                lang,
                &format!("docs.privacy.todo.retention_law.{}", at.code()),
            )
        })
        .collect();
        let laws = if laws.is_empty() {
            String::new()
        } else {
            ui.fmt(
                lang,
                "docs.privacy.todo.retention_laws",
                &[("laws", join(lang, laws.into_iter()))],
            )
        };
        push(
            "retention",
            &[("period", period.to_string()), ("laws", laws)],
        );
    }
    if p.has_cn_users && !p.labels_ai_content && !f.reading.labels_open && sh.is_user_notice {
        push(
            if p.labels_some_ai_content {
                "labels_some"
            } else {
                "labels"
            },
            &[],
        );
    }
    push("security", &[]);
    out
}
