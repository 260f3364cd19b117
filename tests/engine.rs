//! Engine tests on the frozen mini fixture (tests/fixtures/mini): loading, the three-valued
//! condition semantics, skip logic, provider facts, severity rules, decisions and their expiry.

use std::path::Path;

use agentguard::condition::Leaf;
use agentguard::evaluate::{Certainty, MitigationState, Status};
use agentguard::model::{Knowledge, Severity};
use agentguard::{Assessment, Sources, evaluate, load};

fn mini() -> Knowledge {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/mini"))
        .expect("fixture folder");
    match load::knowledge(&s) {
        Ok((k, _)) => k,
        Err(d) => panic!("fixture invalid: {d:#?}"),
    }
}

fn assess(k: &Knowledge, yaml: &str) -> Assessment {
    let text = format!("schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n{yaml}");
    match load::assessment("test.yaml", text.as_bytes(), k) {
        Ok((a, _)) => a,
        Err(d) => panic!("assessment invalid: {d:#?}\n{text}"),
    }
}

fn today() -> i64 {
    agentguard::util::parse_date("2026-11-26").expect("date")
}

fn ids(k: &Knowledge, f: &agentguard::Findings, c: Certainty) -> Vec<String> {
    let mut v: Vec<String> = f
        .findings
        .iter()
        .filter(|x| x.certainty == c)
        .map(|x| k.catalog.threats[x.threat].id.clone())
        .collect();
    v.sort();
    v
}

fn finding<'f>(
    k: &Knowledge,
    f: &'f agentguard::Findings,
    id: &str,
) -> &'f agentguard::evaluate::Finding {
    f.findings
        .iter()
        .find(|x| k.catalog.threats[x.threat].id == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

#[test]
fn fixture_loads_with_generated_options() {
    let k = mini();
    assert_eq!(k.questionnaire.sections.len(), 2);
    assert_eq!(k.questionnaire.questions.len(), 8);
    assert_eq!(k.catalog.threats.len(), 10);
    assert_eq!(k.catalog.providers.len(), 3);
    let minors = k.questionnaire.question("users.minors").expect("q");
    let opts: Vec<&str> = minors.options.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(opts, ["yes", "no", "not_sure"]);
    assert_eq!(minors.options[2].label.zh, "不确定");
}

#[test]
fn empty_assessment_gives_possible_findings_naming_their_unknowns() {
    let k = mini();
    let a = assess(&k, "  model.name: {value: x}\n");
    let f = evaluate(&k, &a, today());
    assert!(ids(&k, &f, Certainty::Definite).is_empty());
    let possible = ids(&k, &f, Certainty::Possible);
    assert!(
        possible.contains(&"hijacked-email".to_string()),
        "{possible:?}"
    );
    let email = finding(&k, &f, "hijacked-email");
    let unknown: Vec<&str> = email
        .unknowns
        .iter()
        .map(|&q| k.questionnaire.questions[q].id.as_str())
        .collect();
    assert_eq!(unknown, ["model.tools"]);
}

#[test]
fn hidden_questions_are_not_applicable_never_unknown() {
    let k = mini();
    // just_me hides users.count, users.regions and users.minors: the threats that test them
    // must not even be possible.
    let a = assess(
        &k,
        "  users.audience: {value: just_me}\n  model.providers: {value: [gamma]}\n  model.tools: {value: [none]}\n",
    );
    let f = evaluate(&k, &a, today());
    assert_eq!(ids(&k, &f, Certainty::Possible), Vec::<String>::new());
    assert_eq!(ids(&k, &f, Certainty::Definite), ["talk-only-local"]);
    let visible: Vec<&str> = f
        .visible
        .iter()
        .map(|&q| k.questionnaire.questions[q].id.as_str())
        .collect();
    assert_eq!(
        visible,
        [
            "users.audience",
            "model.providers",
            "model.tools",
            "model.name"
        ]
    );
}

#[test]
fn not_sure_makes_conditions_unknown() {
    let k = mini();
    let a = assess(
        &k,
        "  users.audience: {value: public}\n  users.regions: {value: [not_sure]}\n  users.minors: {value: not_sure}\n  model.providers: {value: [alpha]}\n  model.tools: {value: [none]}\n",
    );
    let f = evaluate(&k, &a, today());
    let possible = ids(&k, &f, Certainty::Possible);
    for t in ["cross-border", "eu-notice", "minors"] {
        assert!(
            possible.contains(&t.to_string()),
            "{t} not possible: {possible:?}"
        );
    }
    assert!(f.not_sure.len() >= 2);
}

#[test]
fn provider_facts_yes_fire_unknown_is_possible_no_is_silent() {
    let k = mini();
    let base = "  users.audience: {value: public}\n  users.regions: {value: [cn_mainland]}\n  model.tools: {value: [none]}\n";
    // alpha: trains no, outside mainland yes.
    let a = assess(
        &k,
        &format!("{base}  model.providers: {{value: [alpha]}}\n"),
    );
    let f = evaluate(&k, &a, today());
    assert!(ids(&k, &f, Certainty::Definite).contains(&"cross-border".to_string()));
    assert!(!ids(&k, &f, Certainty::Possible).contains(&"provider-training".to_string()));
    assert!(!ids(&k, &f, Certainty::Definite).contains(&"provider-training".to_string()));
    let cb = finding(&k, &f, "cross-border");
    assert!(cb.why.iter().any(|l| matches!(
        l,
        Leaf::ProviderFact {
            value: agentguard::model::FactValue::Yes,
            ..
        }
    )));
    // beta: training unknown → possible, naming the provider fact but no unanswered question.
    let a = assess(&k, &format!("{base}  model.providers: {{value: [beta]}}\n"));
    let f = evaluate(&k, &a, today());
    assert!(ids(&k, &f, Certainty::Possible).contains(&"provider-training".to_string()));
    assert!(!ids(&k, &f, Certainty::Definite).contains(&"cross-border".to_string()));
    let pt = finding(&k, &f, "provider-training");
    assert!(pt.unknowns.is_empty());
    assert!(pt.why.iter().any(|l| matches!(
        l,
        Leaf::ProviderFact {
            value: agentguard::model::FactValue::Unknown,
            ..
        }
    )));
    // An option without a provider entry is unknown and names the question.
    let a = assess(
        &k,
        &format!("{base}  model.providers: {{value: [other]}}\n"),
    );
    let f = evaluate(&k, &a, today());
    let pt = finding(&k, &f, "provider-training");
    assert_eq!(pt.certainty, Certainty::Possible);
    assert_eq!(pt.unknowns.len(), 1);
}

#[test]
fn severity_rules_raise_and_lower_in_order() {
    let k = mini();
    let a = assess(
        &k,
        "  users.audience: {value: public}\n  users.regions: {value: [eu]}\n  model.tools: {value: [email]}\n  model.confirm: {value: \"yes\"}\n",
    );
    let f = evaluate(&k, &a, today());
    let email = finding(&k, &f, "hijacked-email");
    // lowered to medium by confirmation, then raised to critical by a public audience.
    assert_eq!(email.base_severity, Severity::High);
    assert_eq!(email.severity, Severity::Critical);
    let a = assess(
        &k,
        "  users.audience: {value: just_me}\n  model.tools: {value: [email]}\n  model.confirm: {value: \"yes\"}\n",
    );
    let f = evaluate(&k, &a, today());
    let email = finding(&k, &f, "hijacked-email");
    assert_eq!(email.severity, Severity::Medium);
}

#[test]
fn numeric_tests_and_shared_mitigations() {
    let k = mini();
    let a = assess(
        &k,
        "  users.audience: {value: public}\n  users.count: {value: 250000}\n  users.regions: {value: [cn_mainland]}\n  model.providers: {value: [alpha]}\n  model.tools: {value: [shell]}\n  model.confirm: {value: \"no\"}\n",
    );
    let f = evaluate(&k, &a, today());
    let cb = finding(&k, &f, "cross-border");
    assert_eq!(cb.severity, Severity::Critical);
    assert!(ids(&k, &f, Certainty::Definite).contains(&"big-audience".to_string()));
    let rce = finding(&k, &f, "shell-rce");
    let mids: Vec<&str> = rce
        .mitigations
        .iter()
        .map(|(m, _)| k.catalog.mitigations[*m].id.as_str())
        .collect();
    assert_eq!(mids, ["sandbox-shell", "confirm-email"]);
}

#[test]
fn decisions_settle_findings_and_expired_acceptances_reopen() {
    let k = mini();
    let answers = "  users.audience: {value: public}\n  users.regions: {value: [eu]}\n  model.tools: {value: [email, shell]}\n  model.confirm: {value: \"no\"}\n";
    let text = format!(
        "schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n{answers}decisions:\n  confirm-email: {{status: done, at: 2026-11-01}}\n  sandbox-shell: {{status: not_applicable, reason: no shell in prod, at: 2026-11-01}}\n  eu-notice: {{status: accepted, reason: launching later, until: 2026-11-01, at: 2026-10-01}}\n  harmful-output: {{status: accepted, reason: moderated upstream, until: 2027-06-01, at: 2026-10-01}}\n"
    );
    let (a, _) = load::assessment("d.yaml", text.as_bytes(), &k).expect("valid");
    let f = evaluate(&k, &a, today());
    let get = |id: &str| finding(&k, &f, id);
    assert_eq!(get("hijacked-email").status, Status::Mitigated);
    assert_eq!(get("shell-rce").status, Status::Mitigated);
    assert_eq!(
        get("shell-rce").mitigations[0].1,
        MitigationState::NotApplicable
    );
    assert_eq!(get("eu-notice").status, Status::Open);
    assert!(get("eu-notice").acceptance_expired);
    assert_eq!(get("harmful-output").status, Status::Accepted);
    // Open findings come first.
    assert_eq!(f.findings[0].status, Status::Open);
}

#[test]
fn evaluation_is_deterministic() {
    let k = mini();
    let a = assess(
        &k,
        "  users.audience: {value: public}\n  users.regions: {value: [cn_mainland, eu]}\n  model.providers: {value: [alpha, beta]}\n  model.tools: {value: [email]}\n",
    );
    let one = evaluate(&k, &a, today());
    for _ in 0..5 {
        assert_eq!(evaluate(&k, &a, today()), one);
    }
}

#[test]
fn answers_are_checked_against_their_questions() {
    let k = mini();
    let cases = [
        ("  users.audience: {value: everyone}\n", "E0503", 2),
        ("  model.tools: {value: [none, email]}\n", "E0509", 2),
        ("  users.count: {value: -5}\n", "E0513", 2),
        ("  users.audiance: {value: public}\n", "E0501", 2),
        ("  users.audience: {value: [public]}\n", "E0502", 2),
        ("  model.tools: {value: [email, email]}\n", "E0512", 2),
        (
            "  model.name: {value: 'k', evidence: 'sk-proj-AbCdEfGh1234567890XyZaBcDeFgH12345'}\n",
            "E0511",
            2,
        ),
    ];
    for (yaml, code, line) in cases {
        let text = format!("schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n{yaml}");
        let d = load::assessment("bad.yaml", text.as_bytes(), &k).expect_err(code);
        let first = d.errors().next().expect("an error");
        assert_eq!(first.code, code, "{yaml}: {d:#?}");
        assert_eq!(first.span.file, "bad.yaml");
        assert!(
            first.span.line >= 4 && first.span.col >= 1,
            "{line} {first:?}"
        );
    }
    // Every error is collected, not just the first.
    let text = "schema_version: 1\ncatalog_version: 1\nlang: xx\nanswers:\n  users.audience: {value: nobody}\n  nope.x: {value: 1}\ndecisions:\n  not-a-threat: {status: done}\n  eu-notice: {status: accepted}\n";
    let d = load::assessment("many.yaml", text.as_bytes(), &k).expect_err("many");
    let codes: Vec<&str> = d.errors().map(|x| x.code).collect();
    for c in ["E0510", "E0503", "E0501", "E0504", "E0505"] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
}

#[test]
fn broken_catalogs_report_every_problem_with_positions() {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/mini"))
        .expect("fixture");
    let bad = r#"threats:
  - id: Bad_Id
    title: {en: x}
    description: {en: x, zh: x}
    why: {en: x, zh: x}
    dimension: privacy
    severity: high
    applies_when:
      all:
        - {question: users.audiense, is: public}
        - {question: model.tools, is: email}
        - {question: users.audience, includes: public}
        - {providers_of: model.providers, any_has: sells_data}
    references: ["LLM01", "LLM06:2025"]
    mitigations:
      - id: confirm-email
        title: {en: dup, zh: dup}
        detail: {en: dup, zh: dup}
        stage: build
        owner: you
        effort: hours
      - ref: no-such-mitigation
"#;
    s.insert("catalog/threats/zz-bad.yaml", bad.as_bytes().to_vec());
    let d = load::knowledge(&s).expect_err("broken");
    let codes: Vec<&str> = d.errors().map(|x| x.code).collect();
    for c in [
        "E0103", "E0107", "E0203", "E0205", "E0304", "E0207", "E0202", "E0209",
    ] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
    assert!(
        d.errors()
            .all(|x| x.span.line > 0 && x.span.file.to_ascii_lowercase().ends_with(".yaml")),
        "{d:#?}"
    );
    let unknown_q = d.errors().find(|x| x.code == "E0203").expect("E0203");
    assert_eq!((unknown_q.span.line, unknown_q.span.col), (10, 22));
    assert!(
        unknown_q
            .args
            .iter()
            .any(|(n, v)| *n == "suggestion" && v == "users.audience")
    );
}

// ---------------------------------------------------------------------------------------------
// Mitigations: `satisfied_when`, `needs` and "do these first"

fn mini_with_mitigations() -> Knowledge {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/mini"))
        .expect("fixture folder");
    s.overlay(Path::new("tests/fixtures/mitig"))
        .expect("overlay folder");
    match load::knowledge(&s) {
        Ok((k, _)) => k,
        Err(d) => panic!("fixture invalid: {d:#?}"),
    }
}

const PUBLIC_MINORS: &str = "  users.audience: {value: public}\n  users.minors: {value: \"yes\"}\n";

fn state_of(
    k: &Knowledge,
    f: &agentguard::Findings,
    threat: &str,
    mitigation: &str,
) -> Option<MitigationState> {
    finding(k, f, threat)
        .mitigations
        .iter()
        .find(|(m, _)| k.catalog.mitigations[*m].id == mitigation)
        .map(|&(_, s)| s)
}

/// (threat, action) of each do-first item.
fn first(k: &Knowledge, f: &agentguard::Findings) -> Vec<(String, String)> {
    agentguard::evaluate::do_first(&k.catalog, f, 10)
        .into_iter()
        .map(|x| {
            (
                k.catalog.threats[f.findings[x.finding].threat].id.clone(),
                k.catalog.mitigations[x.mitigation].id.clone(),
            )
        })
        .collect()
}

#[test]
fn satisfied_mitigation_is_done_with_its_answers_and_never_first() {
    let k = mini_with_mitigations();
    let a = assess(
        &k,
        &format!(
            "{PUBLIC_MINORS}  model.tools: {{value: [shell]}}\n  model.confirm: {{value: \"yes\"}}\n"
        ),
    );
    let f = evaluate(&k, &a, today());
    assert_eq!(
        state_of(&k, &f, "m-public-abuse", "m-confirm-step"),
        Some(MitigationState::Satisfied)
    );
    let x = finding(&k, &f, "m-public-abuse");
    let confirm = k.questionnaire.index("model.confirm").expect("q");
    let m = k.catalog.mitigation_by_id["m-confirm-step"];
    assert_eq!(
        x.satisfied_by,
        vec![(m, vec![Leaf::Answer { question: confirm }])]
    );
    // A finding whose only step is satisfied is handled, with no decision recorded.
    assert!(a.decisions.is_empty());
    assert_eq!(finding(&k, &f, "m-confirm-only").status, Status::Mitigated);
    assert!(first(&k, &f).iter().all(|(_, m)| m != "m-confirm-step"));

    // The report shows it done, with the answer as its why, distinct from a `mark … done`.
    let ui = agentguard::i18n::Ui::embedded();
    let view = agentguard::report::build(&agentguard::report::ReportInput {
        knowledge: &k,
        assessment: &a,
        findings: &f,
        lang: agentguard::model::Lang::En,
        file: "test.yaml",
        ui,
    });
    let fv = view
        .findings
        .iter()
        .find(|x| x.threat == "m-public-abuse")
        .expect("finding");
    let mv = fv
        .mitigations
        .iter()
        .find(|m| m.id == "m-confirm-step")
        .expect("mitigation");
    assert_eq!(mv.state.code(), "satisfied");
    assert!(matches!(
        mv.satisfied_by.as_slice(),
        [agentguard::report::WhyView::Answer { question, answer, .. }]
            if question == "model.confirm" && answer == "Yes"
    ));
    assert!(
        view.do_first
            .iter()
            .all(|x| x.action_id != "m-confirm-step")
    );

    // Unknown is not satisfied: with the confirm question unanswered the step stays open.
    let a = assess(
        &k,
        &format!("{PUBLIC_MINORS}  model.tools: {{value: [shell]}}\n"),
    );
    let f = evaluate(&k, &a, today());
    assert_eq!(
        state_of(&k, &f, "m-public-abuse", "m-confirm-step"),
        Some(MitigationState::Open)
    );
    assert!(finding(&k, &f, "m-public-abuse").satisfied_by.is_empty());
}

#[test]
fn a_users_decision_wins_over_the_answers() {
    let k = mini_with_mitigations();
    let text = format!(
        "schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n{PUBLIC_MINORS}  model.tools: {{value: [shell]}}\n  model.confirm: {{value: \"yes\"}}\ndecisions:\n  m-confirm-step: {{status: done, at: 2026-11-20}}\n"
    );
    let (a, _) = load::assessment("test.yaml", text.as_bytes(), &k).expect("assessment");
    let f = evaluate(&k, &a, today());
    assert_eq!(
        state_of(&k, &f, "m-public-abuse", "m-confirm-step"),
        Some(MitigationState::Done)
    );
    assert!(finding(&k, &f, "m-public-abuse").satisfied_by.is_empty());
}

#[test]
fn needs_false_leaves_the_step_out_and_unknown_keeps_it() {
    let k = mini_with_mitigations();
    // No e-mail tool: no e-mail step, neither in the finding nor in "do these first".
    let a = assess(
        &k,
        &format!("{PUBLIC_MINORS}  model.tools: {{value: [shell]}}\n"),
    );
    let f = evaluate(&k, &a, today());
    assert_eq!(
        state_of(&k, &f, "m-public-abuse", "m-email-allowlist"),
        None
    );
    assert!(finding(&k, &f, "m-mail-only").mitigations.is_empty());
    assert!(first(&k, &f).iter().all(|(_, m)| m != "m-email-allowlist"));
    let m = k.catalog.mitigation_by_id["m-email-allowlist"];
    assert_eq!(f.needs[m], agentguard::condition::Tri::False);

    // With an e-mail tool it is a step, and the first one for the finding it alone addresses.
    let a = assess(
        &k,
        &format!("{PUBLIC_MINORS}  model.tools: {{value: [email]}}\n"),
    );
    let f = evaluate(&k, &a, today());
    assert_eq!(
        state_of(&k, &f, "m-public-abuse", "m-email-allowlist"),
        Some(MitigationState::Open)
    );
    assert!(
        first(&k, &f).contains(&("m-mail-only".into(), "m-email-allowlist".into())),
        "{:?}",
        first(&k, &f)
    );

    // Tools unanswered: `needs` is unknown, and the step is kept.
    let f = evaluate(&k, &assess(&k, PUBLIC_MINORS), today());
    assert_eq!(
        state_of(&k, &f, "m-public-abuse", "m-email-allowlist"),
        Some(MitigationState::Open)
    );
    assert_eq!(f.needs[m], agentguard::condition::Tri::Unknown);
}

#[test]
fn do_first_orders_by_severity_then_breadth_with_legal_criticals_on_equal_terms() {
    let k = mini_with_mitigations();
    let a = assess(
        &k,
        &format!(
            "{PUBLIC_MINORS}  model.tools: {{value: [shell]}}\n  model.confirm: {{value: \"yes\"}}\n"
        ),
    );
    let f = evaluate(&k, &a, today());
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect()
    };
    assert_eq!(
        first(&k, &f),
        pairs(&[
            // The legal critical takes days and still comes first: severity decides, not effort.
            ("m-minors-filing", "m-file-with-regulator"),
            // Two highs: the rate limit addresses three open findings, so it comes before the
            // guardian consent, although the report lists `minors` (a blind spot) first.
            ("m-public-abuse", "m-rate-limit"),
            ("minors", "guardian-consent"),
            // m-public-cost and m-public-spam are covered by the rate limit already listed;
            // the mediums that remain keep the report's order.
            ("harmful-output", "output-filter"),
        ])
    );
    let report_order: Vec<&str> = f
        .findings
        .iter()
        .map(|x| k.catalog.threats[x.threat].id.as_str())
        .collect();
    let pos = |id: &str| report_order.iter().position(|t| *t == id).expect("listed");
    assert!(pos("minors") < pos("m-public-abuse"), "{report_order:?}");
    let x = agentguard::evaluate::do_first(&k.catalog, &f, 10);
    assert_eq!(x[1].breadth, 3);
    assert_eq!(x[0].breadth, 1);
    // The limit cuts the list, after ordering.
    assert_eq!(agentguard::evaluate::do_first(&k.catalog, &f, 2).len(), 2);
}

#[test]
fn a_ref_cannot_carry_conditions_and_conditions_are_checked() {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/mini"))
        .expect("fixture folder");
    s.insert(
        "catalog/threats/bad.yaml",
        b"threats:
  - id: bad-one
    title: {en: t, zh: t}
    description: {en: d, zh: d}
    why: {en: w, zh: w}
    dimension: privacy
    severity: low
    applies_when: {question: users.audience, is: public}
    mitigations:
      - ref: write-notice
        needs: {question: model.tools, includes: email}
      - id: bad-step
        title: {en: t, zh: t}
        detail: {en: d, zh: d}
        stage: build
        owner: you
        effort: minutes
        satisfied_when: {question: model.tool, includes: email}
"
        .to_vec(),
    );
    let Err(d) = load::knowledge(&s) else {
        panic!("a bad mitigation condition must be refused")
    };
    let codes: Vec<&str> = d.errors().map(|x| x.code).collect();
    assert!(codes.contains(&"E0211"), "{codes:?}");
    assert!(codes.contains(&"E0203"), "{codes:?}");
}
