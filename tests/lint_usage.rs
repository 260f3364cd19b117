//! `catalog lint`'s usage warnings (issue 13): W0402, an option that no condition, no `means:`
//! and no `provider:` link reads; W0403, a reference no threat cites. On the fixture catalog in
//! tests/fixtures/shape, with a questionnaire file added in memory.

use std::path::Path;

use agentguard::{Sources, load};

fn sources() -> Sources {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/shape")).expect("shape");
    s
}

fn codes(s: &Sources, code: &str) -> Vec<String> {
    let (k, _) = load::knowledge(s).unwrap_or_else(|d| panic!("{d:#?}"));
    load::unused(&k)
        .0
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            d.args
                .iter()
                .filter(|(name, _)| *name == "option" || *name == "id")
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

#[test]
fn every_fixture_option_is_read_and_unread_references_are_listed() {
    let s = sources();
    assert_eq!(codes(&s, "W0402"), Vec::<String>::new());
    // The fixture threats cite only LLM01:2025.
    assert_eq!(
        codes(&s, "W0403"),
        ["LLM06:2025", "PIPL-23", "PIPL-39", "PIPL-31", "GDPR-13"]
    );
}

#[test]
fn an_option_nothing_reads_is_w0402() {
    let mut s = sources();
    s.insert(
        "questionnaires/02-extra.yaml",
        r#"section:
  id: extra
  title: {en: Extra, zh: 附加}
questions:
  - id: extra.pick
    kind: multiple
    not_sure: true
    prompt: {en: Pick?, zh: 选？}
    why: {en: A fixture., zh: 测试。}
    options:
      - id: read_me
        label: {en: Read, zh: 被读}
      - id: unread
        label: {en: Unread, zh: 没人读}
      - id: nothing
        exclusive: true
        label: {en: None, zh: 都没有}
  - id: extra.asked
    kind: yes_no
    prompt: {en: Asked?, zh: 问？}
    why: {en: A fixture., zh: 测试。}
    show_when: {question: extra.pick, includes: read_me}
  - id: extra.follow
    kind: text
    prompt: {en: Follow?, zh: 追问？}
    why: {en: A fixture., zh: 测试。}
    show_when: {question: extra.asked, is: "no"}
"#
        .as_bytes()
        .to_vec(),
    );
    // `read_me` is read by a show_when, `nothing` is exclusive, `not_sure` is the format's;
    // `extra.asked/no` is read, so `yes` is too.
    assert_eq!(codes(&s, "W0402"), ["unread/extra.pick"]);
}
