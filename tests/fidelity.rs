//! Fire only what applies (issue 13 §3), on the embedded catalog and questionnaire: the issue's
//! "Done when" scenarios, each built from an example assessment with a few answers changed.
//! `tests/meaning.rs` checks the same condition forms on a fixture; these check the shipped content.

use agentguard::evaluate;
use agentguard::evaluate::{Certainty, Findings};
use agentguard::model::Knowledge;

mod scenario;
use scenario::{embedded, example_with};

fn threat_id(k: &Knowledge, f: &agentguard::evaluate::Finding) -> String {
    k.catalog.threats[f.threat].id.clone()
}

/// (threat, reference) for every reference a finding shows whose id starts with one of `prefixes`.
fn shown_refs(k: &Knowledge, fs: &Findings, prefixes: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in &fs.findings {
        for &r in &f.references {
            let id = &k.catalog.references[r].id;
            if prefixes.iter().any(|p| id.starts_with(p)) {
                out.push((threat_id(k, f), id.clone()));
            }
        }
    }
    out
}

/// Findings (definite or possible) of threats that cite one of these references at all.
fn findings_citing(k: &Knowledge, fs: &Findings, prefixes: &[&str]) -> Vec<String> {
    fs.findings
        .iter()
        .filter(|f| {
            k.catalog.threats[f.threat].references.iter().any(|&r| {
                let id = &k.catalog.references[r].id;
                prefixes.iter().any(|p| id.starts_with(p))
            })
        })
        .map(|f| threat_id(k, f))
        .collect()
}

const CN_LAW: &[&str] = &[
    "PIPL-", "NDSMR-", "GENAI-", "DEEPSYN-", "AILABEL-", "GB-45438", "ALGO-", "CAC-", "XBORDER-",
    "MINORS-", "WECHAT-", "ICP-", "CN-",
];
const CN_PUBLIC_SERVICE: &[&str] = &[
    "GENAI-",
    "DEEPSYN-",
    "AILABEL-",
    "GB-45438",
    "ALGO-",
    "CAC-GENAI",
    "ICP-",
];
const TRANSFER: &[&str] = &["XBORDER-", "PIPL-38", "PIPL-39", "GDPR-44"];

#[test]
fn every_cn_law_prefix_names_a_reference_under_cn() {
    // Guards the lists above: each prefix matches a reference, and each matched reference is a
    // mainland-China law, so the tests below test what they claim.
    let k = embedded();
    for p in CN_LAW {
        let refs: Vec<_> = k
            .catalog
            .references
            .iter()
            .filter(|r| r.id.starts_with(p))
            .collect();
        assert!(!refs.is_empty(), "no reference starts with {p}");
        for r in refs {
            let j = r
                .jurisdiction
                .map(agentguard::meaning::LawJurisdiction::code);
            assert!(
                matches!(j.as_deref(), Some("cn" | "cn_public")),
                "{} is not a mainland-China reference: {j:?}",
                r.id
            );
        }
    }
}

#[test]
fn us_users_with_developer_and_servers_outside_china_get_no_chinese_reference() {
    let k = embedded();
    let a = example_with(
        &k,
        "coding-agent-mcp.yaml",
        &["users.regions: [us]", "agent.where: [us]"],
    );
    let fs = evaluate(&k, &a, 0);
    assert!(!fs.findings.is_empty());
    let shown = shown_refs(&k, &fs, CN_LAW);
    assert!(shown.is_empty(), "Chinese references shown: {shown:?}");
    // The filter hides only what the answers rule out: the same agent with users in the
    // mainland shows PIPL again.
    let cn = example_with(
        &k,
        "coding-agent-mcp.yaml",
        &["users.regions: [us, cn_mainland]", "agent.where: [us]"],
    );
    let fs = evaluate(&k, &cn, 0);
    assert!(
        !shown_refs(&k, &fs, &["PIPL-"]).is_empty(),
        "mainland users but no PIPL reference"
    );
}

#[test]
fn us_users_with_a_mainland_developer_get_pipl_but_no_generative_ai_labelling_or_filing() {
    let k = embedded();
    let a = example_with(
        &k,
        "coding-agent-mcp.yaml",
        &["users.regions: [us]", "agent.where: [cn_mainland]"],
    );
    let fs = evaluate(&k, &a, 0);
    let all_public = k
        .catalog
        .threats
        .iter()
        .filter(|t| {
            t.references
                .iter()
                .any(|&r| k.catalog.references[r].jurisdiction.is_some())
                && t.references.iter().all(|&r| {
                    k.catalog.references[r]
                        .jurisdiction
                        .is_none_or(|j| j.code() == "cn_public")
                })
        })
        .count();
    assert!(
        all_public >= 3,
        "the catalog has public-service threats to test: {all_public}"
    );
    let pipl = shown_refs(&k, &fs, &["PIPL-"]);
    assert!(
        !pipl.is_empty(),
        "processing in the mainland but no PIPL reference"
    );
    // A generative-AI, labelling or filing finding: every law it rests on is a rule for services
    // offered to the public in the mainland.
    let public: Vec<String> = fs
        .findings
        .iter()
        .filter(|f| {
            let laws: Vec<_> = k.catalog.threats[f.threat]
                .references
                .iter()
                .filter_map(|&r| k.catalog.references[r].jurisdiction)
                .collect();
            !laws.is_empty() && laws.iter().all(|j| j.code() == "cn_public")
        })
        .map(|f| threat_id(&k, f))
        .collect();
    assert!(
        public.is_empty(),
        "not offered to the public in the mainland, yet: {public:?}"
    );
    let shown = shown_refs(&k, &fs, CN_PUBLIC_SERVICE);
    assert!(shown.is_empty(), "{shown:?}");
}

#[test]
fn an_all_mainland_stack_has_no_transfer_finding() {
    let k = embedded();
    for example in ["coze-shop-bot.yaml", "kids-homework-miniprogram.yaml"] {
        let a = example_with(&k, example, &[]);
        let fs = evaluate(&k, &a, 0);
        let transfer = findings_citing(&k, &fs, TRANSFER);
        assert!(
            transfer.is_empty(),
            "{example}: all-mainland stack, yet transfer findings {transfer:?}"
        );
    }
    // The same shop with an overseas provider has one.
    let a = example_with(&k, "coze-shop-bot.yaml", &["model.providers: [openai]"]);
    let fs = evaluate(&k, &a, 0);
    assert!(
        !findings_citing(&k, &fs, TRANSFER).is_empty(),
        "an overseas provider for mainland users gives a transfer finding"
    );
}

#[test]
fn an_unknown_location_gives_only_the_low_find_out_threat() {
    let k = embedded();
    // A relay or aggregator whose processing location the catalog cannot know.
    let a = example_with(&k, "coze-shop-bot.yaml", &["model.providers: [relay]"]);
    let fs = evaluate(&k, &a, 0);
    let transfer: Vec<_> = fs
        .findings
        .iter()
        .filter(|f| {
            let t = &k.catalog.threats[f.threat];
            t.id == "recipient-location-unknown"
                || t.references.iter().any(|&r| {
                    let id = &k.catalog.references[r].id;
                    TRANSFER.iter().any(|p| id.starts_with(p))
                })
        })
        .collect();
    let definite: Vec<_> = transfer
        .iter()
        .filter(|f| f.certainty == Certainty::Definite)
        .map(|f| (threat_id(&k, f), f.severity))
        .collect();
    assert_eq!(
        definite,
        [(
            "recipient-location-unknown".to_string(),
            agentguard::model::Severity::Low
        )],
        "an unknown location is one low find-out finding, never a definite transfer finding"
    );
    let all: Vec<String> = transfer.iter().map(|f| threat_id(&k, f)).collect();
    assert_eq!(
        all,
        ["recipient-location-unknown"],
        "not even a possible transfer finding"
    );
}

/// The yearly head-count question decides the transfer route: 100,000 people a year or more is
/// above the small-volume exemption, fewer with no sensitive data is not (2024 provisions Art 5).
#[test]
fn the_yearly_head_count_decides_the_transfer_route_finding() {
    let k = embedded();
    let route = |people: &str| {
        let a = example_with(
            &k,
            "coze-shop-bot.yaml",
            &[
                "model.providers: [openai]",
                "data.categories: [contact]",
                &format!("compliance.yearly_people: {people}"),
            ],
        );
        let fs = evaluate(&k, &a, 0);
        fs.findings
            .iter()
            .find(|f| threat_id(&k, f) == "cn-cross-border-transfer-route")
            .map(|f| f.certainty)
    };
    assert_eq!(route("150000"), Some(Certainty::Definite));
    assert_eq!(route("5000"), None);
}

/// A mitigation's `needs` keeps a step that does not fit out of a finding: a service made for
/// children under 14 is never told to turn children away ("not for children? say so and check"),
/// only to get a guardian's consent; a general-audience service is offered both.
#[test]
fn a_service_made_for_children_is_not_told_to_turn_them_away() {
    let k = embedded();
    let steps = |age_band: &str| -> Vec<String> {
        let a = example_with(
            &k,
            "kids-homework-miniprogram.yaml",
            &[&format!("users.age_band: {age_band}")],
        );
        let fs = evaluate(
            &k,
            &a,
            agentguard::util::parse_date("2026-12-05").expect("date"),
        );
        let f = fs
            .findings
            .iter()
            .find(|f| threat_id(&k, f) == "cn-under-14-guardian-consent")
            .expect("the guardian-consent finding");
        f.mitigations
            .iter()
            .map(|(m, _)| k.catalog.mitigations[*m].id.clone())
            .collect()
    };
    let made_for_children = steps("aimed_under_13");
    assert!(made_for_children.contains(&"guardian-consent-flow".to_string()));
    assert!(
        !made_for_children.contains(&"adults-only-age-gate".to_string()),
        "{made_for_children:?}"
    );
    let general = steps("general_no_check");
    assert!(
        general.contains(&"adults-only-age-gate".to_string()),
        "{general:?}"
    );
}
