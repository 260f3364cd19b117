//! Catalog v24, "shown where it matters" (issue 13 §2): a question is shown wherever its answer
//! can change a finding or a statement in the documents, and an option covers a recurring setup.
//! On the embedded catalog and questionnaire, each scenario built from an example assessment with
//! a few answers changed or removed.

use agentguard::condition::QState;
use agentguard::evaluate;
use agentguard::evaluate::{Certainty, MitigationState};
use agentguard::model::Severity;

mod scenario;
use scenario::{certainty, embedded, example_with, finding, state, today};

#[test]
fn retention_is_asked_wherever_a_copy_of_the_conversations_is_kept() {
    let k = embedded();
    for logs in [
        "[platform_console]",
        "[provider_dashboard]",
        "[own_server]",
        "[observability]",
        "[chat_group]",
    ] {
        let a = example_with(
            &k,
            "coze-shop-bot.yaml",
            &[&format!("memory.logs_where: {logs}"), "memory.retention: -"],
        );
        assert_eq!(
            state(&k, &a, "memory.retention"),
            QState::Unanswered,
            "{logs}"
        );
    }
    // Nowhere kept, history only within a conversation: nothing to state, not asked.
    let a = example_with(
        &k,
        "coze-shop-bot.yaml",
        &["memory.logs_where: [none]", "memory.retention: -"],
    );
    assert_eq!(state(&k, &a, "memory.retention"), QState::Hidden);
    // A personal tool writes no notice to users: still not asked.
    let a = example_with(&k, "local-ollama-notes.yaml", &[]);
    assert_eq!(state(&k, &a, "memory.retention"), QState::Hidden);
}

#[test]
fn a_hosted_console_keeping_history_reads_the_retention_answer() {
    let k = embedded();
    let threat = "cn-provider-history-no-expiry";
    let with = |retention: &str| {
        example_with(
            &k,
            "coze-shop-bot.yaml",
            &[
                "memory.logs_where: [platform_console]",
                &format!("memory.retention: {retention}"),
            ],
        )
    };
    // Kept over a year, forever, or no period given: the console keeps the history.
    for r in ["forever", "over_1y", "-"] {
        assert_eq!(
            certainty(&k, &with(r), threat),
            Some(Certainty::Definite),
            "{r}"
        );
    }
    // Not sure how long: possible, naming the question.
    let a = with("not_sure");
    let f = evaluate(&k, &a, today());
    let x = finding(&k, &f, threat).expect("possible finding");
    assert_eq!(x.certainty, Certainty::Possible);
    let retention = k
        .questionnaire
        .questions
        .iter()
        .position(|q| q.id == "memory.retention")
        .expect("q");
    assert!(x.unknowns.contains(&retention), "{:?}", x.unknowns);
    // A period under a year, answered: the console clause no longer holds. The finding is left
    // only possible, through the providers' facts Coze and Volcengine leave unknown, and the
    // retention question is no longer what would decide it.
    for r in ["under_30d", "under_1y"] {
        let a = with(r);
        let f = evaluate(&k, &a, today());
        if let Some(x) = finding(&k, &f, threat) {
            assert_eq!(x.certainty, Certainty::Possible, "{r}");
            assert!(!x.unknowns.contains(&retention), "{r}: {:?}", x.unknowns);
        }
        assert_eq!(certainty(&k, &a, "logs-kept-forever"), None, "{r}");
    }
    assert_eq!(
        certainty(&k, &with("forever"), "logs-kept-forever"),
        Some(Certainty::Definite)
    );
}

#[test]
fn a_tunnel_to_a_home_machine_is_internet_exposure() {
    let k = embedded();
    let exposed = "exposed-self-hosted-platform";
    let none = example_with(
        &k,
        "local-ollama-notes.yaml",
        &["platform.exposure: [none]"],
    );
    assert_ne!(state(&k, &none, "platform.exposure"), QState::Hidden);
    assert_eq!(certainty(&k, &none, exposed), None);

    let a = example_with(
        &k,
        "local-ollama-notes.yaml",
        &["platform.exposure: [tunnel]"],
    );
    let f = evaluate(&k, &a, today());
    let x = finding(&k, &f, exposed).expect("exposure finding");
    assert_eq!(x.certainty, Certainty::Definite);
    assert_eq!(x.severity, Severity::High);
    let gate = x
        .mitigations
        .iter()
        .find(|(m, _)| k.catalog.mitigations[*m].id == "gate-the-tunnel")
        .map(|&(_, s)| s);
    assert_eq!(gate, Some(MitigationState::Open));

    // Default secrets on a tunnelled machine: critical, like a public admin UI.
    let a = example_with(
        &k,
        "local-ollama-notes.yaml",
        &["platform.exposure: [tunnel, default_secrets]"],
    );
    let f = evaluate(&k, &a, today());
    for t in [exposed, "default-secrets-left-in-place"] {
        assert_eq!(
            finding(&k, &f, t).map(|x| x.severity),
            Some(Severity::Critical),
            "{t}"
        );
    }
    // A personal tool with its own code is asked too: behind a tunnel it is on the internet.
    let a = example_with(
        &k,
        "coding-agent-mcp.yaml",
        &["agent.delivery: just_me", "platform.exposure: -"],
    );
    assert_eq!(state(&k, &a, "platform.exposure"), QState::Unanswered);
    // Not updated behind a tunnel: raised to high.
    let a = example_with(
        &k,
        "local-ollama-notes.yaml",
        &["platform.exposure: [tunnel, not_updated]"],
    );
    let f = evaluate(&k, &a, today());
    assert_eq!(
        finding(&k, &f, "self-hosted-not-updated").map(|x| x.severity),
        Some(Severity::High)
    );
}

#[test]
fn advice_is_asked_of_internal_tools_and_data_agents() {
    let k = embedded();
    // An internal data and reports agent: its answers inform decisions people act on.
    let a = example_with(
        &k,
        "coze-shop-bot.yaml",
        &[
            "agent.delivery: team",
            "agent.purpose: data_analysis",
            "agent.advice: -",
        ],
    );
    assert_eq!(state(&k, &a, "agent.advice"), QState::Unanswered);
    // Financial advice on an internal tool is read there.
    let a = example_with(
        &k,
        "coze-shop-bot.yaml",
        &[
            "agent.delivery: team",
            "agent.purpose: data_analysis",
            "agent.advice: [financial]",
        ],
    );
    assert_eq!(
        certainty(&k, &a, "misinformation-high-stakes-advice"),
        Some(Certainty::Definite)
    );
    // A coding assistant is still not asked.
    let a = example_with(&k, "coding-agent-mcp.yaml", &["agent.advice: -"]);
    assert_eq!(state(&k, &a, "agent.advice"), QState::Hidden);
}
