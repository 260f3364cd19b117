//! Catalog v26, issue 13 §4: a service for business clients with no written processing terms
//! with them (`processor-no-client-agreement`). On the embedded catalog and questionnaire, each
//! scenario an inline assessment built from a few answers.

use agentguard::condition::{Evaluator, Tri};
use agentguard::evaluate::{
    Certainty, Finding, Findings, MitigationState, question_states_and_masks,
};
use agentguard::model::{Knowledge, Severity};
use agentguard::{Assessment, evaluate, load};

mod scenario;
use scenario::{embedded, today};

const THREAT: &str = "processor-no-client-agreement";
const STEP: &str = "sign-client-processing-agreement";

/// An assessment of a merchant service run for business clients in mainland China, with the
/// given answers added or replacing the base ones (`question: value`, a YAML flow value) or
/// removed (`question: -`).
fn assessment(k: &Knowledge, changes: &[&str]) -> Assessment {
    let mut answers: Vec<(String, String)> = [
        ("agent.delivery", "business_clients"),
        ("agent.where", "[cn_mainland]"),
        ("agent.purpose", "customer_service"),
        ("users.regions", "[cn_mainland]"),
        ("users.age_band", "adults_checked"),
        ("data.categories", "[contact, chat_content]"),
        ("memory.logs_where", "[platform_console]"),
        ("compliance.client_terms", "[none]"),
    ]
    .iter()
    .map(|(q, v)| ((*q).to_string(), (*v).to_string()))
    .collect();
    for change in changes {
        let (q, v) = change.split_once(": ").expect("q: v");
        answers.retain(|(x, _)| x != q);
        if v != "-" {
            answers.push((q.to_string(), v.to_string()));
        }
    }
    let mut yaml = String::from("schema_version: 2\ncatalog_version: 26\nlang: en\nanswers:\n");
    for (q, v) in &answers {
        yaml.push_str(&format!(
            "  {q}: {{value: {v}, at: '2026-12-05T09:00:00Z', source: user, confirmed: true}}\n"
        ));
    }
    match load::assessment("inline.yaml", yaml.as_bytes(), k) {
        Ok((a, _)) => a,
        Err(d) => panic!("{yaml}\n{d:#?}"),
    }
}

fn finding<'f>(k: &Knowledge, f: &'f Findings) -> Option<&'f Finding> {
    f.findings
        .iter()
        .find(|x| k.catalog.threats[x.threat].id == THREAT)
}

fn step_state(k: &Knowledge, x: &Finding) -> MitigationState {
    x.mitigations
        .iter()
        .find(|(m, _)| k.catalog.mitigations[*m].id == STEP)
        .map(|(_, s)| *s)
        .expect("the processing-agreement step is offered")
}

fn question(k: &Knowledge, id: &str) -> usize {
    k.questionnaire
        .questions
        .iter()
        .position(|q| q.id == id)
        .unwrap_or_else(|| panic!("no question {id}"))
}

#[test]
fn no_written_terms_with_business_clients_is_a_definite_medium_finding() {
    let k = embedded();
    for terms in [
        "[none]",
        "[client_notice_names_me]",
        "[subprocessors_listed, support_access_terms, per_user_requests]",
    ] {
        let a = assessment(&k, &[&format!("compliance.client_terms: {terms}")]);
        let f = evaluate(&k, &a, today());
        let x = finding(&k, &f).unwrap_or_else(|| panic!("{terms}: no finding"));
        assert_eq!(x.certainty, Certainty::Definite, "{terms}");
        assert_eq!(x.base_severity, Severity::Medium, "{terms}");
        assert_eq!(x.severity, Severity::Medium, "{terms}");
        assert_eq!(step_state(&k, x), MitigationState::Open, "{terms}");
    }
}

#[test]
fn not_sure_or_unanswered_terms_give_a_possible_finding_naming_the_question() {
    let k = embedded();
    let terms = question(&k, "compliance.client_terms");
    for value in ["not_sure", "-"] {
        let a = assessment(&k, &[&format!("compliance.client_terms: {value}")]);
        let f = evaluate(&k, &a, today());
        let x = finding(&k, &f).unwrap_or_else(|| panic!("{value}: no finding"));
        assert_eq!(x.certainty, Certainty::Possible, "{value}");
        assert!(x.unknowns.contains(&terms), "{value}: {:?}", x.unknowns);
        // Unknown is never "already done".
        assert_eq!(step_state(&k, x), MitigationState::Open, "{value}");
    }
}

#[test]
fn a_signed_agreement_or_another_delivery_shape_gives_no_finding() {
    let k = embedded();
    let a = assessment(
        &k,
        &["compliance.client_terms: [dpa_signed, subprocessors_listed]"],
    );
    assert!(finding(&k, &evaluate(&k, &a, today())).is_none());
    // A service run for the public, an internal tool, a personal tool: not a processor for
    // clients, and the question on client terms is not asked.
    for delivery in ["public", "team", "just_me"] {
        let a = assessment(
            &k,
            &[
                &format!("agent.delivery: {delivery}"),
                "compliance.client_terms: -",
            ],
        );
        assert!(
            finding(&k, &evaluate(&k, &a, today())).is_none(),
            "{delivery}"
        );
    }
}

#[test]
fn sensitive_data_children_or_unregulated_staff_access_raise_it_to_high() {
    let k = embedded();
    let high = |changes: &[&str]| {
        let a = assessment(&k, changes);
        let f = evaluate(&k, &a, today());
        let x = finding(&k, &f).expect("finding");
        assert_eq!(x.base_severity, Severity::Medium, "{changes:?}");
        x.severity
    };
    assert_eq!(
        high(&["data.categories: [contact, health]"]),
        Severity::High
    );
    assert_eq!(high(&["data.categories: [id_documents]"]), Severity::High);
    assert_eq!(high(&["users.age_band: aimed_13"]), Severity::High);
    // The team keeps the clients' conversations on its own server with no terms on when it may
    // open them …
    assert_eq!(high(&["memory.logs_where: [own_server]"]), Severity::High);
    // … but with a support-access clause agreed, the missing agreement stays medium.
    assert_eq!(
        high(&[
            "memory.logs_where: [own_server]",
            "compliance.client_terms: [support_access_terms]",
        ]),
        Severity::Medium
    );
}

#[test]
fn the_agreement_step_is_satisfied_by_a_signed_dpa_only() {
    let k = embedded();
    let m = k
        .catalog
        .mitigations
        .iter()
        .find(|m| m.id == STEP)
        .expect("mitigation");
    let when = m.satisfied_when.as_ref().expect("satisfied_when");
    // The finding is gone once a DPA is signed, so evaluate the step's condition itself on the
    // same answers the threat reads.
    let satisfied = |terms: &str| {
        let a = assessment(&k, &[&format!("compliance.client_terms: {terms}")]);
        let (states, masks) = question_states_and_masks(&k, &a);
        let e = Evaluator {
            knowledge: &k,
            states: &states,
            masks: &masks,
        };
        e.value(when)
    };
    assert_eq!(satisfied("[dpa_signed]"), Tri::True);
    assert_eq!(satisfied("[dpa_signed, support_access_terms]"), Tri::True);
    assert_eq!(satisfied("[none]"), Tri::False);
    assert_eq!(
        satisfied("[subprocessors_listed, support_access_terms]"),
        Tri::False
    );
    // Not sure is not done.
    assert_eq!(satisfied("not_sure"), Tri::Unknown);
}
