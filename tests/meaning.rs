//! Meanings as data (issue 13 §1): `meaning::derive`, the condition forms that read the derived
//! shape (`jurisdiction:`, `recipients:`, `delivery:`/`delivery_any:`, `minors:`, `data:`) with
//! their unknown cases, and the data-flow view of every recipient kind — all against the fixture
//! questionnaire in tests/fixtures/shape, so they hold while the real questionnaire is reshaped.

use std::path::Path;

use agentguard::condition::Tri;
use agentguard::dataflow::{self, Crossing, NodeKind};
use agentguard::evaluate::question_states;
use agentguard::i18n::Ui;
use agentguard::meaning::{self, DataCategory, Delivery, Jurisdiction, Location, MinorsBand};
use agentguard::model::{Knowledge, Lang};
use agentguard::{Assessment, Sources, evaluate, load};

fn fixture() -> Knowledge {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/shape")).expect("shape");
    match load::knowledge(&s) {
        Ok((k, _)) => k,
        Err(d) => panic!("fixture invalid: {d:#?}"),
    }
}

/// An assessment from `question: value` lines (YAML flow values).
fn answers(k: &Knowledge, lines: &[&str]) -> Assessment {
    let mut y = String::from("schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n");
    for l in lines {
        let (q, v) = l.split_once(": ").expect("q: v");
        y.push_str(&format!("  {q}: {{value: {v}}}\n"));
    }
    match load::assessment("t.yaml", y.as_bytes(), k) {
        Ok((a, _)) => a,
        Err(d) => panic!("{y}\n{d:#?}"),
    }
}

/// The value of a fixture threat's condition: a finding is true, a possible one unknown.
fn holds(k: &Knowledge, a: &Assessment, threat: &str) -> Tri {
    let f = evaluate(k, a, 0);
    let Some(t) = k.catalog.threats.iter().position(|t| t.id == threat) else {
        panic!("no threat {threat}");
    };
    match f.findings.iter().find(|x| x.threat == t) {
        None => Tri::False,
        Some(x) if x.certainty == agentguard::evaluate::Certainty::Definite => Tri::True,
        Some(_) => Tri::Unknown,
    }
}

// ---- the four scenarios -------------------------------------------------------------

#[test]
fn us_users_with_developer_and_servers_outside_china_are_not_under_cn() {
    let k = fixture();
    let a = answers(
        &k,
        &[
            "shape.delivery: hosted",
            "shape.users_in: [us]",
            "shape.developer_in: us_dev",
            "shape.model: [alpha]",
            "shape.hosting: [host_us]",
        ],
    );
    let shape = meaning::derive(&k, &question_states(&k, &a));
    assert_eq!(shape.jurisdiction(Jurisdiction::Cn), Tri::False);
    assert_eq!(shape.jurisdiction(Jurisdiction::CnPublic), Tri::False);
    assert_eq!(shape.jurisdiction(Jurisdiction::Us), Tri::True);
    assert_eq!(holds(&k, &a, "cn-law"), Tri::False);
    assert_eq!(holds(&k, &a, "cn-public-rules"), Tri::False);
    assert_eq!(holds(&k, &a, "us-law"), Tri::True);
}

#[test]
fn us_users_with_a_mainland_developer_are_under_cn_but_not_cn_public() {
    let k = fixture();
    let a = answers(
        &k,
        &[
            "shape.delivery: hosted",
            "shape.users_in: [us]",
            "shape.developer_in: cn_dev",
        ],
    );
    let shape = meaning::derive(&k, &question_states(&k, &a));
    assert_eq!(shape.jurisdiction(Jurisdiction::Cn), Tri::True);
    assert_eq!(shape.jurisdiction(Jurisdiction::CnPublic), Tri::False);
    assert_eq!(holds(&k, &a, "cn-law"), Tri::True);
    assert_eq!(holds(&k, &a, "cn-public-rules"), Tri::False);
}

#[test]
fn an_all_mainland_stack_has_no_recipient_outside_the_mainland() {
    let k = fixture();
    let a = answers(
        &k,
        &[
            "shape.users_in: [cn]",
            "shape.developer_in: cn_dev",
            "shape.model: [beta, own_model]",
            "shape.beta_region: beta_cn",
            "shape.hosting: [host_cn, own_box]",
        ],
    );
    assert_eq!(holds(&k, &a, "transfer"), Tri::False);
    assert_eq!(holds(&k, &a, "find-out-location"), Tri::False);
    assert_eq!(holds(&k, &a, "all-located"), Tri::True);
    // The region answer overrides nothing here (Beta is in the mainland either way) but is the
    // location shown; the own model and own box are no recipients.
    let shape = meaning::derive(&k, &question_states(&k, &a));
    let ids: Vec<&str> = shape.recipients.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["beta", "host_cn"]);
    assert!(
        shape
            .recipients
            .iter()
            .all(|r| r.stated.map(|s| s.0) == Some(Location::CnMainland))
    );
}

#[test]
fn an_unknown_provider_location_is_location_unknown() {
    let k = fixture();
    let a = answers(
        &k,
        &[
            "shape.users_in: [cn]",
            "shape.model: [mystery]",
            "shape.hosting: [host_cn]",
        ],
    );
    assert_eq!(holds(&k, &a, "find-out-location"), Tri::True);
    assert_eq!(holds(&k, &a, "all-located"), Tri::False);
    // Where it is not known, whether it is outside is not known either.
    assert_eq!(holds(&k, &a, "transfer"), Tri::Unknown);
}

// ---- each form, with its unknown cases ------------------------------------------------------

#[test]
fn jurisdiction_is_unknown_until_users_and_processing_are_answered() {
    let k = fixture();
    let a = answers(&k, &[]);
    assert_eq!(holds(&k, &a, "cn-law"), Tri::Unknown);
    // Users elsewhere, developer not answered: processing in the mainland is still possible.
    let a = answers(&k, &["shape.users_in: [us]"]);
    assert_eq!(holds(&k, &a, "cn-law"), Tri::Unknown);
    let a = answers(
        &k,
        &["shape.users_in: not_sure", "shape.developer_in: us_dev"],
    );
    assert_eq!(holds(&k, &a, "cn-law"), Tri::Unknown);
    // Mainland users decide it whatever else is open.
    let a = answers(&k, &["shape.users_in: [cn, eu]"]);
    assert_eq!(holds(&k, &a, "cn-law"), Tri::True);
    // cn_public: mainland users and a hosted service, unknown while the delivery is open.
    assert_eq!(holds(&k, &a, "cn-public-rules"), Tri::Unknown);
    let a = answers(&k, &["shape.users_in: [cn]", "shape.delivery: internal"]);
    assert_eq!(holds(&k, &a, "cn-public-rules"), Tri::False);
    let a = answers(&k, &["shape.users_in: [cn]", "shape.delivery: hosted"]);
    assert_eq!(holds(&k, &a, "cn-public-rules"), Tri::True);
}

#[test]
fn a_hidden_users_question_rules_its_jurisdictions_out() {
    let k = fixture();
    let a = answers(
        &k,
        &["shape.delivery: personal", "shape.developer_in: us_dev"],
    );
    let shape = meaning::derive(&k, &question_states(&k, &a));
    assert_eq!(shape.jurisdiction(Jurisdiction::Cn), Tri::False);
    assert_eq!(shape.jurisdiction(Jurisdiction::Eu), Tri::False);
    assert_eq!(shape.delivery, Some(Delivery::Personal));
}

#[test]
fn recipients_are_unknown_while_a_question_naming_them_is_open() {
    let k = fixture();
    // Nothing answered: some recipient may be anywhere.
    let a = answers(&k, &[]);
    assert_eq!(holds(&k, &a, "transfer"), Tri::Unknown);
    assert_eq!(holds(&k, &a, "find-out-location"), Tri::Unknown);
    // A known foreign recipient decides located_outside even with questions open.
    let a = answers(&k, &["shape.model: [alpha]"]);
    assert_eq!(holds(&k, &a, "transfer"), Tri::True);
    // The region answer overrides the provider's default.
    let a = answers(
        &k,
        &[
            "shape.model: [beta]",
            "shape.beta_region: beta_us",
            "shape.hosting: [own_box]",
        ],
    );
    assert_eq!(holds(&k, &a, "transfer"), Tri::True);
    // "Not sure" keeps it open.
    let a = answers(
        &k,
        &[
            "shape.model: [beta]",
            "shape.beta_region: beta_cn",
            "shape.hosting: not_sure",
        ],
    );
    assert_eq!(holds(&k, &a, "transfer"), Tri::Unknown);
}

#[test]
fn delivery_reads_the_first_answered_delivery_question() {
    let k = fixture();
    assert_eq!(holds(&k, &answers(&k, &[]), "hosted-only"), Tri::Unknown);
    assert_eq!(
        holds(
            &k,
            &answers(&k, &["shape.delivery: not_sure"]),
            "hosted-only"
        ),
        Tri::Unknown
    );
    let a = answers(&k, &["shape.delivery: internal"]);
    assert_eq!(holds(&k, &a, "hosted-only"), Tri::False);
    assert_eq!(holds(&k, &a, "not-personal"), Tri::True);
    let a = answers(&k, &["shape.delivery: personal"]);
    assert_eq!(holds(&k, &a, "not-personal"), Tri::False);
}

#[test]
fn minors_bands_include_the_younger_ones() {
    let k = fixture();
    assert_eq!(holds(&k, &answers(&k, &[]), "children"), Tri::Unknown);
    assert_eq!(
        holds(&k, &answers(&k, &["shape.minors: not_sure"]), "children"),
        Tri::Unknown
    );
    let a = answers(&k, &["shape.minors: \"yes\""]);
    assert_eq!(holds(&k, &a, "children"), Tri::True);
    assert_eq!(holds(&k, &a, "teens"), Tri::True, "under 14 is under 18");
    assert_eq!(
        holds(&k, &a, "young-children"),
        Tri::False,
        "under 14 says no under 13"
    );
    let a = answers(&k, &["shape.minors: \"no\""]);
    assert_eq!(holds(&k, &a, "teens"), Tri::False);
    let shape = meaning::derive(
        &k,
        &question_states(&k, &answers(&k, &["shape.minors: \"yes\""])),
    );
    assert_eq!(shape.minors, [MinorsBand::Under14]);
}

#[test]
fn data_categories_come_from_the_chosen_options() {
    let k = fixture();
    assert_eq!(holds(&k, &answers(&k, &[]), "health-data"), Tri::Unknown);
    assert_eq!(
        holds(&k, &answers(&k, &["shape.data: [contact]"]), "health-data"),
        Tri::False
    );
    let a = answers(&k, &["shape.data: [contact, health]"]);
    assert_eq!(holds(&k, &a, "health-data"), Tri::True);
    let shape = meaning::derive(&k, &question_states(&k, &a));
    assert_eq!(shape.data, [DataCategory::Contact, DataCategory::Health]);
}

#[test]
fn derive_collects_the_whole_shape() {
    let k = fixture();
    let a = answers(
        &k,
        &[
            "shape.delivery: hosted",
            "shape.users_in: [cn, eu]",
            "shape.model: [alpha, beta, mystery]",
            "shape.beta_region: beta_us",
            "shape.hosting: [host_cn, mail_vendor]",
        ],
    );
    let shape = meaning::derive(&k, &question_states(&k, &a));
    assert_eq!(shape.delivery, Some(Delivery::Hosted));
    assert_eq!(shape.jurisdiction(Jurisdiction::CnPublic), Tri::True);
    assert_eq!(shape.jurisdiction(Jurisdiction::Eu), Tri::True);
    assert_eq!(shape.jurisdiction(Jurisdiction::Uk), Tri::False);
    let got: Vec<(&str, Tri)> = shape
        .recipients
        .iter()
        .map(|r| (r.id.as_str(), r.is_outside(Location::CnMainland)))
        .collect();
    assert_eq!(
        got,
        [
            ("alpha", Tri::True),
            ("beta", Tri::True),
            ("mystery", Tri::Unknown),
            ("mail_vendor", Tri::Unknown),
            ("host_cn", Tri::False),
        ]
    );
    assert!(shape.recipients_open.is_empty());
}

// ---- the data-flow view ---------------------------------------------------------------------

#[test]
fn the_data_flow_shows_every_recipient_kind_with_its_resolved_location() {
    let k = fixture();
    let a = answers(
        &k,
        &[
            "shape.users_in: [cn]",
            "shape.model: [beta, own_model]",
            "shape.beta_region: beta_us",
            "shape.hosting: [host_cn, mail_vendor, own_box]",
        ],
    );
    let df = dataflow::build(&k, &a, Ui::embedded());
    let node = |id: &str| {
        df.nodes
            .iter()
            .position(|n| n.id == id)
            .unwrap_or_else(|| panic!("no node {id}: {:?}", df.nodes))
    };
    let into = |i: usize| df.edges.iter().find(|e| e.to == i).map(|e| e.crossing);
    let beta = node("model-beta");
    // The region answer overrides Beta's own region, and the flow crosses the border.
    assert_eq!(
        df.nodes[beta].region.as_ref().map(|r| r.get(Lang::En)),
        Some("United States")
    );
    assert_eq!(into(beta), Some(Crossing::Yes));
    let host = node("hosting-host_cn");
    assert_eq!(df.nodes[host].kind, NodeKind::Hosting);
    assert_eq!(
        df.nodes[host].region.as_ref().map(|r| r.get(Lang::Zh)),
        Some("中国大陆")
    );
    assert!(df.nodes[host].third_party);
    assert_eq!(into(host), Some(Crossing::No));
    let mail = node("email-mail_vendor");
    assert_eq!(df.nodes[mail].kind, NodeKind::Email);
    assert_eq!(into(mail), Some(Crossing::Maybe), "nobody said where it is");
    let own = node("hosting-own_box");
    assert!(!df.nodes[own].third_party);
    let own_model = node("model-own_model");
    assert!(!df.nodes[own_model].third_party);
    // The option that only states Beta's region is no node of its own.
    assert!(!df.nodes.iter().any(|n| n.id.ends_with("beta_us")));
}
