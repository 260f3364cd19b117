//! Catalog v26, recall for personal tools and software others run (issue 13, fourth round): the
//! risks that exist for those delivery shapes fire there, and only on the premise that makes them
//! real. On the embedded catalog and questionnaire, each scenario built from an example assessment
//! with a few answers changed or removed.

use agentguard::condition::QState;
use agentguard::evaluate::Certainty;
use agentguard::model::{Knowledge, Severity};
use agentguard::{Assessment, evaluate};

mod scenario;
use scenario::{certainty, embedded, example_with, finding, state, today};

fn severity(k: &Knowledge, a: &Assessment, threat: &str) -> Option<(Certainty, Severity)> {
    finding(k, &evaluate(k, a, today()), threat).map(|x| (x.certainty, x.severity))
}

fn offers(k: &Knowledge, a: &Assessment, threat: &str, mitigation: &str) -> bool {
    let f = evaluate(k, a, today());
    let x = finding(k, &f, threat).expect("finding");
    x.mitigations
        .iter()
        .any(|(m, _)| k.catalog.mitigations[*m].id == mitigation)
}

#[test]
fn a_personal_tool_that_advises_its_user_gets_the_wrong_answers_finding_at_medium() {
    let k = embedded();
    let threat = "misinformation-high-stakes-advice";
    // The question is asked of a personal assistant.
    let a = example_with(&k, "local-ollama-notes.yaml", &["agent.advice: -"]);
    assert_eq!(state(&k, &a, "agent.advice"), QState::Unanswered);
    let a = example_with(&k, "local-ollama-notes.yaml", &[]);
    assert_eq!(certainty(&k, &a, threat), None);
    for advice in ["[psychological]", "[medical]", "[legal]", "[financial]"] {
        let a = example_with(
            &k,
            "local-ollama-notes.yaml",
            &[&format!("agent.advice: {advice}")],
        );
        assert_eq!(
            severity(&k, &a, threat),
            Some((Certainty::Definite, Severity::Medium)),
            "{advice}"
        );
    }
    // A hosted service keeps its severity.
    let a = example_with(
        &k,
        "local-ollama-notes.yaml",
        &["agent.delivery: public", "agent.advice: [legal]"],
    );
    assert_eq!(
        severity(&k, &a, threat).map(|(c, _)| c),
        Some(Certainty::Definite)
    );
    assert_ne!(
        severity(&k, &a, threat).map(|(_, s)| s),
        Some(Severity::Medium)
    );
}

#[test]
fn a_personal_tool_keeping_sensitive_records_or_secrets_forever_gets_the_retention_finding() {
    let k = embedded();
    let threat = "logs-kept-forever";
    // Nothing kept and nothing sensitive read: not asked, no finding.
    let a = example_with(&k, "local-ollama-notes.yaml", &[]);
    assert_eq!(state(&k, &a, "memory.retention"), QState::Hidden);
    // History kept: asked.
    let a = example_with(
        &k,
        "local-ollama-notes.yaml",
        &["memory.history: persistent"],
    );
    assert_eq!(state(&k, &a, "memory.retention"), QState::Unanswered);
    // Secrets or clients' data read: asked even without kept history (its transcripts).
    let a = example_with(
        &k,
        "local-ollama-notes.yaml",
        &["data.in_context: [client_confidential]"],
    );
    assert_eq!(state(&k, &a, "memory.retention"), QState::Unanswered);
    // Kept forever, plain notes: a personal tool's own pile, no finding.
    let a = example_with(
        &k,
        "local-ollama-notes.yaml",
        &["memory.history: persistent", "memory.retention: forever"],
    );
    assert_eq!(certainty(&k, &a, threat), None);
    // Kept forever, mental-health advice drawn from it, or clients' data and secrets in it.
    for extra in [
        "agent.advice: [psychological]",
        "data.in_context: [secrets_reachable]",
    ] {
        let a = example_with(
            &k,
            "local-ollama-notes.yaml",
            &[
                "memory.history: persistent",
                "memory.retention: forever",
                extra,
            ],
        );
        assert_eq!(
            certainty(&k, &a, threat),
            Some(Certainty::Definite),
            "{extra}"
        );
    }
    // Under a year: no finding.
    let a = example_with(
        &k,
        "local-ollama-notes.yaml",
        &[
            "memory.history: persistent",
            "memory.retention: under_1y",
            "agent.advice: [psychological]",
        ],
    );
    assert_eq!(certainty(&k, &a, threat), None);
}

/// The coding example turned into self-run software used in mainland China.
fn self_run(k: &Knowledge, receives: &str, more: &[&str]) -> Assessment {
    let mut changes = vec![
        "agent.delivery: self_run".to_string(),
        "agent.where: [cn_mainland]".to_string(),
        "users.regions: [cn_mainland]".to_string(),
        "model.providers: [deepseek]".to_string(),
        "compliance.in_place: [none]".to_string(),
        format!("users.maintainer_receives: {receives}"),
    ];
    changes.extend(more.iter().map(|s| (*s).to_string()));
    let refs: Vec<&str> = changes.iter().map(String::as_str).collect();
    example_with(k, "coding-agent-mcp.yaml", &refs)
}

#[test]
fn the_maintainer_of_self_run_software_gets_the_training_provider_at_medium_with_a_docs_step() {
    let k = embedded();
    let threat = "cn-provider-trains-on-chats";
    let a = self_run(&k, "[none]", &[]);
    assert_eq!(
        severity(&k, &a, threat),
        Some((Certainty::Definite, Severity::Medium))
    );
    assert!(offers(
        &k,
        &a,
        threat,
        "self-run-document-provider-training"
    ));
    assert!(!offers(
        &k,
        &a,
        threat,
        "separate-consent-provider-training"
    ));
    // A provider whose terms exclude training: no finding.
    let a = self_run(&k, "[none]", &["model.providers: [dashscope]"]);
    assert_eq!(certainty(&k, &a, threat), None);
    // Outside mainland China: no finding.
    let a = self_run(
        &k,
        "[none]",
        &[
            "agent.where: [eu]",
            "users.regions: [eu]",
            "platform.channels: [installed]",
        ],
    );
    assert_eq!(certainty(&k, &a, threat), None);
    // A hosted service still asks separate consent, not the docs step.
    let a = example_with(
        &k,
        "coding-agent-mcp.yaml",
        &[
            "agent.delivery: public",
            "agent.where: [cn_mainland]",
            "users.regions: [cn_mainland]",
            "model.providers: [deepseek]",
        ],
    );
    assert!(offers(&k, &a, threat, "separate-consent-provider-training"));
    assert!(!offers(
        &k,
        &a,
        threat,
        "self-run-document-provider-training"
    ));
}

#[test]
fn a_maintainer_holding_the_deployers_data_needs_a_leak_plan_and_a_retention_period() {
    let k = embedded();
    for receives in ["[support_logs]", "[remote_access]", "[through_my_server]"] {
        let a = self_run(&k, receives, &[]);
        assert_eq!(
            certainty(&k, &a, "cn-no-incident-plan"),
            Some(Certainty::Definite),
            "{receives}"
        );
    }
    let a = self_run(
        &k,
        "[support_logs]",
        &["compliance.in_place: [incident_plan]"],
    );
    assert_eq!(certainty(&k, &a, "cn-no-incident-plan"), None);
    // Only an update check reaches the maintainer: no plan finding, retention not asked.
    let a = self_run(&k, "[update_check]", &["memory.retention: -"]);
    assert_eq!(certainty(&k, &a, "cn-no-incident-plan"), None);
    assert_eq!(state(&k, &a, "memory.retention"), QState::Hidden);
    // Telemetry stored on the maintainer's server: retention asked and read.
    let a = self_run(&k, "[usage_default_on]", &["memory.retention: -"]);
    assert_eq!(state(&k, &a, "memory.retention"), QState::Unanswered);
    assert_eq!(
        certainty(&k, &a, "logs-kept-forever"),
        Some(Certainty::Possible)
    );
    let a = self_run(&k, "[usage_default_on]", &["memory.retention: forever"]);
    assert_eq!(
        certainty(&k, &a, "logs-kept-forever"),
        Some(Certainty::Definite)
    );
    let a = self_run(&k, "[usage_default_on]", &["memory.retention: under_30d"]);
    assert_eq!(certainty(&k, &a, "logs-kept-forever"), None);
}
