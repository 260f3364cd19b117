//! Migration of old assessments (issue 13 §5): `retired: {version, note, replaced_by}` is checked
//! (E0117), an answer to a retired question moves to its replacement when it fits there (W0505)
//! or stays under its old id, counting for nothing (W0506, listed by `load::retired_answers`);
//! and the five v1 examples (tests/fixtures/v1, copied from examples/ before the questionnaire
//! changed) load with the embedded catalog with the warnings in tests/fixtures/v1/expected.yaml.

use std::collections::BTreeMap;
use std::path::Path;

use agentguard::model::{Knowledge, Value};
use agentguard::{Diagnostics, Sources, load};

const RETIRED: &str = r"section:
  id: old
  title: {en: Old, zh: 旧}
questions:
  - id: old.size
    kind: single
    prompt: {en: Size?, zh: 大小？}
    why: {en: A fixture., zh: 测试。}
    retired: {version: 2, note: {en: Split, zh: 拆分}, replaced_by: old.new_size}
    options:
      - {id: small, label: {en: Small, zh: 小}}
      - {id: big, label: {en: Big, zh: 大}}
  - id: old.new_size
    kind: single
    prompt: {en: Size?, zh: 大小？}
    why: {en: A fixture., zh: 测试。}
    options:
      - {id: small, label: {en: Small, zh: 小}}
      - {id: big, label: {en: Big, zh: 大}}
      - {id: huge, label: {en: Huge, zh: 巨大}}
  - id: old.kind
    kind: multiple
    prompt: {en: Kind?, zh: 种类？}
    why: {en: A fixture., zh: 测试。}
    retired: {version: 2, note: {en: Reworded, zh: 改写}, replaced_by: old.new_kind}
    options:
      - {id: a, label: {en: A, zh: 甲}}
      - {id: b, label: {en: B, zh: 乙}}
  - id: old.new_kind
    kind: multiple
    prompt: {en: Kind?, zh: 种类？}
    why: {en: A fixture., zh: 测试。}
    options:
      - {id: a, label: {en: A, zh: 甲}}
      - {id: c, label: {en: C, zh: 丙}}
      - id: b2
        label: {en: B2, zh: 乙二}
      - id: b
        label: {en: B, zh: 乙}
        retired: {version: 2, note: {en: Renamed, zh: 改名}, replaced_by: b2}
";

fn knowledge(extra: &str) -> Result<Knowledge, Diagnostics> {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/shape")).expect("shape");
    s.insert("questionnaires/02-old.yaml", extra.as_bytes().to_vec());
    load::knowledge(&s).map(|(k, _)| k)
}

fn codes(d: &Diagnostics) -> Vec<String> {
    d.0.iter()
        .map(|x| {
            let args: Vec<String> = x.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{} {}", x.code, args.join(" "))
        })
        .collect()
}

#[test]
fn replaced_by_must_name_a_live_item_of_the_same_kind() {
    assert!(knowledge(RETIRED).is_ok());
    let bad = RETIRED
        .replace("replaced_by: old.new_size", "replaced_by: old.nowhere")
        .replace("replaced_by: old.new_kind", "replaced_by: old.size")
        .replace("replaced_by: b2", "replaced_by: b");
    let Err(d) = knowledge(&bad) else {
        panic!("loaded");
    };
    let e: Vec<String> = codes(&d)
        .into_iter()
        .filter(|c| c.starts_with("E0117"))
        .collect();
    assert_eq!(
        e,
        [
            "E0117 id=old.nowhere what=question",
            "E0117 id=old.size what=question",
            "E0117 id=b what=option",
        ],
        "a missing question, a retired question, an option replacing itself"
    );
}

fn assess(k: &Knowledge, answers: &str) -> (agentguard::Assessment, Vec<String>) {
    let y = format!("schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n{answers}");
    match load::assessment("a.yaml", y.as_bytes(), k) {
        Ok((a, w)) => (a, codes(&w)),
        Err(d) => panic!("{d:#?}"),
    }
}

#[test]
fn an_answer_that_fits_the_new_question_moves_there() {
    let k = knowledge(RETIRED).expect("fixture");
    let (a, w) = assess(&k, "  old.size: {value: big}\n");
    assert_eq!(w, ["W0505 from=old.size to=old.new_size"]);
    assert_eq!(
        a.answers.get("old.new_size").map(|x| &x.value),
        Some(&Value::Choice("big".into()))
    );
    assert!(!a.answers.contains_key("old.size"));
    assert!(load::retired_answers(&k, &a).is_empty());
}

#[test]
fn an_answer_that_does_not_fit_stays_and_is_listed() {
    let k = knowledge(RETIRED).expect("fixture");
    let (a, w) = assess(
        &k,
        "  old.kind: {value: [a, b]}\n  old.size: {value: small}\n  old.new_size: {value: huge}\n",
    );
    // `b` is retired in the new question: the answer stays. The new size was answered already.
    assert_eq!(
        w,
        [
            "W0506 id=old.kind version=2 to=old.new_kind",
            "W0506 id=old.size version=2 to=old.new_size",
        ]
    );
    assert!(
        !a.answers.contains_key("old.new_kind"),
        "counts as unanswered"
    );
    assert_eq!(
        a.answers.get("old.new_size").map(|x| &x.value),
        Some(&Value::Choice("huge".into()))
    );
    let listed: Vec<(String, Option<String>)> = load::retired_answers(&k, &a)
        .into_iter()
        .map(|r| {
            let name = |i: usize| k.questionnaire.questions[i].id.clone();
            (name(r.question), r.replaced_by.map(name))
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("old.size".to_string(), Some("old.new_size".to_string())),
            ("old.kind".to_string(), Some("old.new_kind".to_string())),
        ]
    );
}

#[test]
fn the_v1_examples_load_with_the_expected_warnings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1");
    let expected: BTreeMap<String, Vec<String>> = serde_saphyr::from_str(
        &std::fs::read_to_string(dir.join("expected.yaml")).expect("expected.yaml"),
    )
    .expect("expected.yaml parses");
    let (k, _) = load::knowledge(&Sources::embedded()).expect("embedded catalog");
    let mut found = BTreeMap::new();
    for e in std::fs::read_dir(&dir).expect("v1") {
        let p = e.expect("entry").path();
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if name == "expected.yaml" || p.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let bytes = std::fs::read(&p).expect("read");
        match load::assessment(&name, &bytes, &k) {
            Ok((_, w)) => {
                found.insert(name, codes(&w));
            }
            Err(d) => panic!("{name} no longer loads:\n{}", codes(&d).join("\n")),
        }
    }
    assert_eq!(found.len(), 5, "the five v1 examples");
    assert_eq!(
        found, expected,
        "the warnings changed: when that is right (a questionnaire change), update \
         tests/fixtures/v1/expected.yaml"
    );
}
