//! The privacy-notice draft as a typed model — the template context and, serialised, the JSON of
//! `agentguard privacy --format json`. It holds what the answers and the provider knowledge base
//! say (data, purposes, recipients with their facts and as-of dates, transfers, retention, rights,
//! the separate-consent cases); everything agentguard cannot know is left to TODO markers in the
//! template. Which sections appear follows [`Profile`], never the language.

// Template contexts: the booleans are the point (see checklist.rs).
#![allow(clippy::struct_excessive_bools)]

use serde::Serialize;

use super::profile::{self, Likelihood, Profile, Recipient};
use crate::meaning::{DataCategory, Purpose as UsePurpose, SelfServiceRight, Sensitivity};

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
    /// The chosen sensitive categories, joined for sentences.
    pub sensitive_list: String,
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
    pub rights: Vec<Right>,
    pub consents: Vec<String>,
    pub facts_checked: Option<String>,
    pub training_yes: bool,
    pub training_maybe: bool,
    pub cn_cross_any: bool,
    pub eu_transfer_any: bool,
    pub any_transfer: bool,
    pub has_sensitive_items: bool,
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
}

#[derive(Clone, Debug, Serialize)]
pub struct Purpose {
    /// `docs.privacy.purpose.<id>` and `docs.privacy.basis.<id>.{cn,eu}`.
    pub id: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Right {
    /// `docs.privacy.right.<id>`.
    pub id: String,
    /// The product already lets users do it themselves (from `compliance.user_rights`).
    pub self_service: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecipientView {
    pub id: String,
    pub name: String,
    pub operator: String,
    pub region: String,
    pub kind: &'static str,
    pub is_model: bool,
    pub is_platform: bool,
    pub is_channel: bool,
    pub training: Option<FactView>,
    pub retention: Option<FactView>,
    pub outside_cn: Option<FactView>,
    pub outside_eu: Option<FactView>,
    /// For mainland users, the data leaves (or may leave) mainland China.
    pub crosses_cn: bool,
    /// For EU users, the data leaves (or may leave) the EU/EEA.
    pub crosses_eu: bool,
    /// It uses (or may use) the data for its own ends: a third party in PIPL Art 23's sense.
    pub own_use: bool,
    pub checked: String,
    pub sources: Vec<String>,
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

fn recipient_view(k: &Knowledge, r: &Recipient, p: &Profile, lang: Lang) -> Option<RecipientView> {
    let pi = r.provider?;
    let pr = &k.catalog.providers[pi];
    let training = fact(k, pi, "may_train_on_inputs", lang);
    let outside_cn = fact(k, pi, "processes_outside_mainland_china", lang);
    let outside_eu = fact(k, pi, "processes_outside_eu", lang);
    let mut sources: Vec<String> = pr.facts.iter().map(|f| f.source.clone()).collect();
    sources.sort();
    sources.dedup();
    Some(RecipientView {
        id: pr.id.clone(),
        name: pr.name.get(lang).to_string(),
        operator: pr.operator.get(lang).to_string(),
        region: pr.region.get(lang).to_string(),
        kind: pr.kind.code(),
        is_model: matches!(pr.kind, ProviderKind::ModelApi | ProviderKind::Relay),
        is_platform: pr.kind == ProviderKind::Platform,
        is_channel: pr.kind == ProviderKind::Channel,
        crosses_cn: p.has_cn_users && possible(outside_cn.as_ref()),
        crosses_eu: p.has_eu_users && possible(outside_eu.as_ref()),
        own_use: possible(training.as_ref()),
        retention: fact(k, pi, "retains_inputs", lang),
        training,
        outside_cn,
        outside_eu,
        checked: pr
            .facts
            .iter()
            .map(|f| f.checked.as_str())
            .max()
            .unwrap_or_default()
            .to_string(),
        sources,
    })
}

fn join(lang: Lang, items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    v.join(if lang == Lang::Zh { "、" } else { ", " })
}

/// Builds the notice for one language.
pub fn build(input: &Input<'_>, lang: Lang) -> PrivacyNotice {
    let k = input.knowledge;
    let reading = profile::read(k, input.assessment);
    let p = &reading.profile;

    let mut data = vec![DataItem {
        key: Some("messages".into()),
        id: "messages".into(),
        label: String::new(),
        sensitive: false,
        special_category: false,
    }];
    if p.has_accounts {
        data.push(DataItem {
            key: Some("account".into()),
            id: "account".into(),
            label: String::new(),
            sensitive: false,
            special_category: false,
        });
    }
    for (id, label, means) in &reading.data {
        if means.data == Some(DataCategory::Messages) {
            continue;
        }
        data.push(DataItem {
            key: None,
            id: id.clone(),
            label: label.get(lang).to_string(),
            sensitive: matches!(
                means.sensitivity,
                Some(Sensitivity::Sensitive | Sensitivity::Special | Sensitivity::Children)
            ),
            special_category: means.sensitivity == Some(Sensitivity::Special),
        });
    }
    for (on, key, special) in [
        (p.has_voice_or_face, DataCategory::VoiceFace.code(), true),
        (
            p.has_children
                && !reading
                    .data
                    .iter()
                    .any(|(_, _, m)| m.data == Some(DataCategory::Children)),
            DataCategory::Children.code(),
            false,
        ),
        (p.has_logs, DataCategory::Logs.code(), false),
    ] {
        if on {
            data.push(DataItem {
                sensitive: key != DataCategory::Logs.code(),
                id: key.clone(),
                key: Some(key),
                label: String::new(),
                special_category: special,
            });
        }
    }
    for d in &mut data {
        if let Some(key) = &d.key {
            d.label = input.ui.get(lang, &format!("docs.privacy.data.{key}"));
        }
    }
    let sensitive_list = join(
        lang,
        data.iter().filter(|d| d.sensitive).map(|d| d.label.clone()),
    );

    let mut purposes = vec![Purpose {
        id: "answer".into(),
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
        if on {
            purposes.push(Purpose { id });
        }
    }

    let recipients: Vec<RecipientView> = reading
        .recipients
        .iter()
        .filter_map(|r| recipient_view(k, r, p, lang))
        .collect();
    let unlisted: Vec<String> = reading
        .recipients
        .iter()
        .filter(|r| r.provider.is_none())
        .map(|r| r.label.get(lang).to_string())
        .collect();
    let names = |f: &dyn Fn(&RecipientView) -> bool| {
        join(
            lang,
            recipients
                .iter()
                .filter(|r| f(r))
                .map(|r| {
                    if lang == Lang::Zh {
                        format!("{}（{}）", r.name, r.region)
                    } else {
                        format!("{} ({})", r.name, r.region)
                    }
                })
                .chain(unlisted.iter().cloned()),
        )
    };

    let mut rights = Vec::new();
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
        (true, "withdraw", false),
        (
            p.has_eu_users || p.has_cn_users,
            "portability",
            has(SelfServiceRight::Export),
        ),
        (p.has_eu_users, "object", false),
        (p.has_automated_decisions, "explain", false),
        (true, "complain", false),
    ] {
        if on {
            rights.push(Right {
                id: id.to_string(),
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

    let view_catalog = &k.catalog.manifest;
    PrivacyNotice {
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
        cross_border_recipients: names(&|r| r.crosses_cn),
        eu_transfer_recipients: names(&|r| r.crosses_eu),
        third_party_recipients: names(&|r| r.own_use),
        all_recipients: names(&|_| true),
        facts_checked: recipients.iter().map(|r| r.checked.clone()).max(),
        recipients,
        unlisted,
        retention: reading.retention.map(|(_, l)| l.get(lang).to_string()),
        rights,
        consents,
        training_yes: p.provider_training == Likelihood::Yes,
        training_maybe: p.provider_training == Likelihood::Maybe,
        cn_cross_any: p.cn_cross_border.is_possible(),
        eu_transfer_any: p.eu_transfer.is_possible(),
        any_transfer: p.cn_cross_border.is_possible() || p.eu_transfer.is_possible(),
        has_sensitive_items: !sensitive_list.is_empty(),
        sensitive_list,
        profile: reading.profile.clone(),
    }
}
