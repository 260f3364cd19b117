//! Migration of old assessments (issue 13 §5): `retired: {version, note, replaced_by}` is checked
//! (E0117), an answer to a retired question moves to its replacement when it fits there (W0505)
//! or stays under its old id, counting for nothing (W0506, listed by `load::retired_answers`);
//! a fold (`retired.options`) adds the mapped options to a multiple-choice target (W0508–W0510;
//! the map checked E0119–E0123); and the five v1 examples (tests/fixtures/v1, copied from examples/ before the questionnaire
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

/// Two yes/no safeguards and a single choice folded into one multiple-choice question (catalog
/// v10's shape: `keys.admin_2fa` into `keys.location`, `memory.logs_access` into
/// `memory.logs_where`).
const FOLDED: &str = r#"section:
  id: old
  title: {en: Old, zh: 旧}
questions:
  - id: old.safe
    kind: multiple
    not_sure: true
    prompt: {en: Safeguards?, zh: 防护？}
    why: {en: A fixture., zh: 测试。}
    options:
      - {id: none, exclusive: true, label: {en: None, zh: 都没有}}
      - {id: cap, label: {en: Cap, zh: 上限}}
      - {id: two_factor, label: {en: 2FA, zh: 两步验证}}
      - {id: outsiders, label: {en: Outsiders, zh: 外部}}
  - id: old.twofa
    kind: yes_no
    not_sure: true
    prompt: {en: 2FA?, zh: 两步验证？}
    why: {en: A fixture., zh: 测试。}
    retired: {version: 10, note: {en: Folded, zh: 合并}, replaced_by: old.safe,
              options: {"yes": [two_factor], "no": [], not_sure: []}}
  - id: old.access
    kind: single
    prompt: {en: Who reads?, zh: 谁能看？}
    why: {en: A fixture., zh: 测试。}
    retired: {version: 10, note: {en: Folded, zh: 合并}, replaced_by: old.safe,
              options: {me: [], outsiders: [outsiders]}}
    options:
      - {id: me, label: {en: Me, zh: 我}}
      - {id: outsiders, label: {en: Outsiders, zh: 外部}}
  - id: old.level
    kind: single
    prompt: {en: Level?, zh: 级别？}
    why: {en: A fixture., zh: 测试。}
    options:
      - {id: low, label: {en: Low, zh: 低}}
      - {id: high, label: {en: High, zh: 高}}
"#;

fn choices(a: &agentguard::Assessment, id: &str) -> Option<Vec<String>> {
    match a.answers.get(id).map(|x| &x.value) {
        Some(Value::Choices(c)) => Some(c.clone()),
        None => None,
        Some(other) => panic!("{id}: {other:?}"),
    }
}

#[test]
fn a_fold_into_an_absent_target_creates_it_from_the_mapped_options() {
    let k = knowledge(FOLDED).expect("fixture");
    let (a, w) = assess(
        &k,
        "  old.twofa: {value: 'yes', at: '2026-11-20'}\n  old.access: {value: outsiders, at: '2026-10-01'}\n",
    );
    assert_eq!(
        w,
        [
            "W0508 from=old.twofa to=old.safe options=two_factor",
            "W0508 from=old.access to=old.safe options=outsiders",
        ]
    );
    assert_eq!(
        choices(&a, "old.safe"),
        Some(vec!["two_factor".into(), "outsiders".into()]),
        "in the target's option order"
    );
    assert_eq!(a.answers["old.safe"].at, "2026-10-01", "the oldest date");
    assert!(!a.answers.contains_key("old.twofa") && !a.answers.contains_key("old.access"));
    assert!(
        load::retired_answers(&k, &a).is_empty(),
        "nothing left to re-ask"
    );
}

#[test]
fn a_fold_into_an_existing_answer_is_a_union() {
    let k = knowledge(FOLDED).expect("fixture");
    let (a, _) = assess(
        &k,
        "  old.safe: {value: [outsiders, cap]}\n  old.twofa: {value: 'yes'}\n  old.access: {value: outsiders}\n",
    );
    assert_eq!(
        choices(&a, "old.safe"),
        Some(vec!["cap".into(), "two_factor".into(), "outsiders".into()])
    );
}

#[test]
fn a_no_or_not_sure_adds_nothing_and_an_absent_target_stays_unanswered() {
    let k = knowledge(FOLDED).expect("fixture");
    let (a, w) = assess(
        &k,
        "  old.twofa: {value: not_sure}\n  old.access: {value: me}\n",
    );
    assert_eq!(
        w,
        [
            "W0508 from=old.twofa to=old.safe options=",
            "W0508 from=old.access to=old.safe options=",
        ]
    );
    assert_eq!(choices(&a, "old.safe"), None, "the wizard asks it");
    let (a, _) = assess(
        &k,
        "  old.safe: {value: [cap]}\n  old.twofa: {value: 'no'}\n",
    );
    assert_eq!(choices(&a, "old.safe"), Some(vec!["cap".into()]));
}

#[test]
fn a_not_sure_target_answer_keeps_and_the_fold_is_dropped() {
    let k = knowledge(FOLDED).expect("fixture");
    let (a, w) = assess(
        &k,
        "  old.safe: {value: [not_sure]}\n  old.twofa: {value: 'yes'}\n",
    );
    assert_eq!(choices(&a, "old.safe"), Some(vec!["not_sure".to_string()]));
    assert_eq!(
        w,
        [
            "W0508 from=old.twofa to=old.safe options=two_factor",
            "W0509 from=old.twofa to=old.safe options=two_factor",
        ]
    );
}

/// "None of these" was said of the options the target had before the fold, none of which the
/// folded answer ticks: the folded options take its place (catalog v12: an own privacy notice
/// next to "none of these" things in place).
#[test]
fn a_none_of_these_target_answer_gives_way_to_the_folded_options() {
    let k = knowledge(FOLDED).expect("fixture");
    let (a, w) = assess(
        &k,
        "  old.safe: {value: [none]}\n  old.twofa: {value: 'yes'}\n  old.access: {value: outsiders}\n",
    );
    assert_eq!(
        choices(&a, "old.safe"),
        Some(vec!["two_factor".into(), "outsiders".into()])
    );
    assert_eq!(
        w,
        [
            "W0508 from=old.twofa to=old.safe options=two_factor",
            "W0510 from=old.twofa to=old.safe none=none options=two_factor",
            "W0508 from=old.access to=old.safe options=outsiders",
            "W0510 from=old.access to=old.safe none=none options=outsiders",
        ]
    );
    // A fold that adds nothing leaves "none of these" as it is, without a warning.
    let (a, w) = assess(
        &k,
        "  old.safe: {value: [none]}\n  old.twofa: {value: 'no'}\n",
    );
    assert_eq!(choices(&a, "old.safe"), Some(vec!["none".to_string()]));
    assert_eq!(w, ["W0508 from=old.twofa to=old.safe options="]);
}

#[test]
fn a_bad_option_map_is_refused_where_it_is_written() {
    assert!(knowledge(FOLDED).is_ok());
    let bad = FOLDED
        .replace("\"yes\": [two_factor]", "\"yes\": [two_factr]")
        .replace(
            "me: [], outsiders: [outsiders]",
            "me: [none], outsider: [outsiders]",
        );
    let Err(d) = knowledge(&bad) else {
        panic!("loaded");
    };
    let e: Vec<String> =
        d.0.iter()
            .filter(|x| x.code.starts_with("E01"))
            .map(|x| format!("{} {}:{}", x.code, x.span.line, x.span.col))
            .collect();
    assert_eq!(
        e,
        ["E0121 21:33", "E0122 27:24", "E0121 27:30", "E0120 27:37"],
        "an unknown target option; a source option left out, an exclusive target option and an \
         unknown source option, each at its own position"
    );
    // A fold needs a multiple-choice target.
    let single = FOLDED.replace(
        "replaced_by: old.safe,\n              options: {me",
        "replaced_by: old.level,\n              options: {me",
    );
    let Err(d) = knowledge(&single) else {
        panic!("loaded");
    };
    assert!(
        codes(&d)
            .iter()
            .any(|c| c.starts_with("E0123 id=old.access to=old.level")),
        "{:?}",
        codes(&d)
    );
}
