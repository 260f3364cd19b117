//! What the scenario tests share: the embedded knowledge, an example assessment with a few answers
//! changed or removed, a question's state and a threat's finding. Each test binary uses a part of it.
#![allow(dead_code)]

use std::path::Path;

use agentguard::condition::QState;
use agentguard::evaluate::{Certainty, Finding, Findings, question_states};
use agentguard::model::Knowledge;
use agentguard::{Assessment, Sources, evaluate, load};

/// The embedded knowledge; an invalid catalog fails the test.
pub fn embedded() -> Knowledge {
    match load::knowledge(&Sources::embedded()) {
        Ok((k, _)) => k,
        Err(d) => panic!("embedded catalog invalid: {d:#?}"),
    }
}

/// The evaluation date of the scenarios.
pub fn today() -> i64 {
    agentguard::util::parse_date("2026-12-05").expect("date")
}

/// An example assessment with some answers replaced or added (`question: value`, a YAML flow
/// value) or removed (`question: -`).
pub fn example_with(k: &Knowledge, example: &str, changes: &[&str]) -> Assessment {
    let path = Path::new("examples").join(example);
    let text = std::fs::read_to_string(&path).expect("example");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for change in changes {
        let (q, v) = change.split_once(": ").expect("q: v");
        let key = format!("  {q}: ");
        let at = lines.iter().position(|l| l.starts_with(&key));
        if v == "-" {
            if let Some(i) = at {
                lines.remove(i);
            }
            continue;
        }
        let line = format!("  {q}: {{value: {v}, source: user, confirmed: true}}");
        match at {
            Some(i) => lines[i] = line,
            None => {
                let i = lines
                    .iter()
                    .position(|l| l == "answers:")
                    .expect("answers:");
                lines.insert(i + 1, line);
            }
        }
    }
    let yaml = lines.join("\n") + "\n";
    match load::assessment(example, yaml.as_bytes(), k) {
        Ok((a, _)) => a,
        Err(d) => panic!("{yaml}\n{d:#?}"),
    }
}

/// The state of `question` for the assessment.
pub fn state<'a>(k: &'a Knowledge, a: &'a Assessment, question: &str) -> QState<'a> {
    let i = k
        .questionnaire
        .questions
        .iter()
        .position(|q| q.id == question)
        .unwrap_or_else(|| panic!("no question {question}"));
    question_states(k, a).swap_remove(i)
}

/// The finding of `threat`, if it fired.
pub fn finding<'f>(k: &Knowledge, f: &'f Findings, threat: &str) -> Option<&'f Finding> {
    f.findings
        .iter()
        .find(|x| k.catalog.threats[x.threat].id == threat)
}

/// Whether `threat` fires, and how surely.
pub fn certainty(k: &Knowledge, a: &Assessment, threat: &str) -> Option<Certainty> {
    finding(k, &evaluate(k, a, today()), threat).map(|x| x.certainty)
}
