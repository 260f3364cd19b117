//! What the notice tests share: the embedded knowledge, a field agent's answers as text, one
//! answer replaced in that text, and the text loaded as an assessment. Each test binary uses a
//! part of it.
#![allow(dead_code)]

use std::path::Path;
use std::sync::LazyLock;

use agentguard::docs::{self, Doc, Format, Input, Templates};
use agentguard::i18n::Ui;
use agentguard::model::{Assessment, Knowledge, Lang};
use agentguard::{Sources, evaluate, load};

/// The evaluation date of the notice tests (it decides only which acceptances have expired).
pub const TODAY: &str = "2026-11-26";

pub static KNOWLEDGE: LazyLock<Knowledge> =
    LazyLock::new(|| match agentguard::knowledge(&Sources::embedded()) {
        Ok((k, _)) => k,
        Err(d) => panic!("embedded catalog invalid: {d:#?}"),
    });

/// The answers of a field agent (`tests/field/agents/<slug>/answers.yaml`), as text.
pub fn answers_text(slug: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/field/agents")
        .join(slug)
        .join("answers.yaml");
    std::fs::read_to_string(&path).expect("answers")
}

/// The answers with the line of `question` replaced by `value` (a YAML flow value).
pub fn with_answer(text: &str, question: &str, value: &str) -> String {
    let prefix = format!("  {question}: ");
    let mut found = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(&prefix) {
                found = true;
                format!("{prefix}{{value: {value}, at: '2026-12-05T10:00:00Z', source: user, confirmed: true}}")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(found, "no answer to {question}");
    out.join("\n")
}

/// Assessment text loaded against the embedded knowledge; invalid text fails the test.
pub fn load_text(text: &str) -> Assessment {
    match load::assessment("answers.yaml", text.as_bytes(), &KNOWLEDGE) {
        Ok((a, _)) => a,
        Err(d) => panic!("invalid answers: {d:#?}"),
    }
}

/// An assessment file loaded against the embedded knowledge; invalid input fails the test.
pub fn load_file(path: &Path) -> Assessment {
    let bytes = std::fs::read(path).expect("answers");
    let shown = path.display().to_string();
    match load::assessment(&shown, &bytes, &KNOWLEDGE) {
        Ok((a, _)) => a,
        Err(d) => panic!("{shown} invalid: {d:#?}"),
    }
}

/// Runs `f` with the documents' input for `a`: the embedded knowledge, its findings as of
/// [`TODAY`] and the embedded locale.
pub fn with_input<R>(a: &Assessment, f: impl FnOnce(&Input<'_>) -> R) -> R {
    let today = agentguard::util::parse_date(TODAY).expect("date");
    let findings = evaluate(&KNOWLEDGE, a, today);
    f(&Input {
        knowledge: &KNOWLEDGE,
        assessment: a,
        findings: &findings,
        ui: Ui::embedded(),
        file: "agentguard.yaml",
        today,
    })
}

/// The privacy notice and the developer's to-do list that follows it, in one language.
pub fn notice_and_todo(a: &Assessment, lang: Lang) -> (String, String) {
    with_input(a, |input| {
        let templates = Templates::embedded(Ui::embedded()).expect("templates");
        let prepared = docs::prepare(Doc::Privacy, input, &[lang]).expect("prepare");
        let r = docs::render_parts(&templates, Format::Md, input, &prepared).expect("render");
        (r.text, r.todo.expect("a to-do list"))
    })
}
