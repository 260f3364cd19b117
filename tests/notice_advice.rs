//! What the privacy notice says about the advice the agent gives (issue 14): "not a professional"
//! for health, legal and money questions; for a companion or an agent that talks about mental
//! health, where to turn in a crisis — with the crisis lines a fill-in marker, never a number.
//! Field agents' answers (`tests/field/agents/<slug>/answers.yaml`) rendered with the embedded
//! catalog in both languages; variants edit one answer line in memory.

mod common;

use common::{answers_text, load_text, notice_and_todo, with_answer, with_input};

use agentguard::docs::{self};
use agentguard::i18n::Ui;
use agentguard::model::{Assessment, Lang};

const LANGS: [Lang; 2] = [Lang::En, Lang::Zh];
const AREAS: [&str; 3] = ["health", "legal", "financial"];

struct Out {
    notice: String,
    todo: String,
    codes: Vec<String>,
    todo_ids: Vec<String>,
}

fn render(a: &Assessment, lang: Lang) -> Out {
    let (notice, todo) = notice_and_todo(a, lang);
    let json: serde_json::Value = with_input(a, |input| {
        serde_json::from_str(&docs::privacy_json(input, &[lang]).expect("json")).expect("parses")
    });
    let strings = |key: &str, field: &str| -> Vec<String> {
        json[key]
            .as_array()
            .expect("array")
            .iter()
            .map(|f| f[field].as_str().expect("string").to_string())
            .collect()
    };
    Out {
        notice,
        todo,
        codes: strings("facts", "code"),
        todo_ids: strings("todo", "id"),
    }
}

fn text(lang: Lang, key: &str) -> String {
    Ui::embedded().get(lang, key)
}

/// The sentence without its fill-in marker (what the notice shows whatever is filled in).
fn before_marker(s: &str) -> &str {
    s.split("TODO(").next().unwrap_or(s)
}

/// Asserts the advice statements (areas in order, crisis help or not) of `a`, in the notice and
/// its facts, in both languages.
fn assert_advice(what: &str, a: &Assessment, areas: &[&str], crisis: bool) {
    for lang in LANGS {
        let out = render(a, lang);
        for area in AREAS {
            let sentence = text(lang, &format!("docs.privacy.advice.{area}"));
            let code = format!("advice_disclaimer:{area}");
            let want = areas.contains(&area);
            assert_eq!(
                out.notice.contains(&sentence),
                want,
                "{what} [{lang}] {area}:\n{}",
                out.notice
            );
            assert_eq!(
                out.codes.contains(&code),
                want,
                "{what} {code}: {:?}",
                out.codes
            );
        }
        let crisis_text = text(lang, "docs.privacy.advice.crisis");
        assert_eq!(
            out.notice.contains(before_marker(&crisis_text)),
            crisis,
            "{what} [{lang}] crisis:\n{}",
            out.notice
        );
        assert_eq!(
            out.codes.iter().any(|c| c == "crisis_lines:todo"),
            crisis,
            "{what}: {:?}",
            out.codes
        );
        assert_eq!(
            out.todo_ids.iter().any(|i| i == "crisis_lines"),
            crisis,
            "{what}: {:?}",
            out.todo_ids
        );
        if crisis {
            // The lines are the operator's to fill in: a marker in the notice, a to-do item.
            assert!(out.notice.contains(&crisis_text), "{what} [{lang}]");
            assert!(
                out.todo
                    .contains(&text(lang, "docs.privacy.todo.crisis_lines")),
                "{what} [{lang}]"
            );
        }
        // Never a number agentguard made up: no run of three digits in the AI section (a
        // personal tool's note has none).
        let ai_heading = format!("## {}", text(lang, "docs.privacy.ai.heading"));
        if let Some(ai) = out.notice.split(&ai_heading).nth(1) {
            let ai = ai.split("\n## ").next().unwrap_or(ai);
            assert!(!has_digit_run(ai, 3), "{what} [{lang}] {ai}");
        } else {
            assert!(
                areas.is_empty() && !crisis,
                "{what} [{lang}]: no AI section"
            );
        }
        // The areas follow one another in a fixed order.
        let at: Vec<usize> = areas
            .iter()
            .filter_map(|area| {
                out.notice
                    .find(&text(lang, &format!("docs.privacy.advice.{area}")))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{what} [{lang}]");
    }
}

fn has_digit_run(s: &str, n: usize) -> bool {
    let mut run = 0;
    for c in s.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= n {
            return true;
        }
    }
    false
}

fn agent(slug: &str) -> Assessment {
    load_text(&answers_text(slug))
}

#[test]
fn health_legal_and_money_advice_say_the_service_is_no_professional() {
    assert_advice("10", &agent("10-dify-cloud-legal-qa"), &["legal"], false);
    assert_advice(
        "11",
        &agent("11-health-symptom-miniprogram"),
        &["health"],
        false,
    );
    assert_advice(
        "15",
        &agent("15-stock-tips-membership-bot"),
        &["financial"],
        false,
    );
    // A business client's template says it too: the client speaks to its users.
    assert_advice(
        "24",
        &agent("24-dental-phone-receptionist"),
        &["health"],
        false,
    );
    let all = with_answer(
        &answers_text("02-kids-reading-miniprogram"),
        "agent.advice",
        "[financial, medical, legal]",
    );
    assert_advice("02+all", &load_text(&all), &AREAS, false);
}

#[test]
fn companions_and_mental_health_agents_point_to_crisis_lines_left_to_fill_in() {
    assert_advice("21", &agent("21-ai-companion-app"), &[], true);
    assert_advice("34", &agent("34-discord-game-npc-moderation"), &[], true);
    assert_advice("20", &agent("20-school-language-tutor"), &[], true);
    // A companion that gives no advice still gets it; mental-health advice alone too.
    let companion = with_answer(
        &answers_text("02-kids-reading-miniprogram"),
        "agent.purpose",
        "companion",
    );
    assert_advice("02+companion", &load_text(&companion), &[], true);
    let both = with_answer(
        &answers_text("02-kids-reading-miniprogram"),
        "agent.advice",
        "[psychological, medical]",
    );
    assert_advice("02+psychological", &load_text(&both), &["health"], true);
}

#[test]
fn no_advice_sentence_without_an_answer_that_calls_for_it() {
    // No advice, and a personal tool's note (no user reads it).
    assert_advice("02", &agent("02-kids-reading-miniprogram"), &[], false);
    assert_advice("16", &agent("16-local-ollama-diary-frp"), &[], false);
    let open = with_answer(
        &answers_text("10-dify-cloud-legal-qa"),
        "agent.advice",
        "[none]",
    );
    assert_advice("10+none", &load_text(&open), &[], false);
}

#[test]
fn the_crisis_texts_hold_no_phone_number_in_either_language() {
    for lang in LANGS {
        for key in [
            "docs.privacy.advice.crisis",
            "docs.privacy.todo.crisis_lines",
        ] {
            let s = text(lang, key);
            assert!(!has_digit_run(&s, 3), "{key} [{lang}]: {s}");
        }
        assert!(text(lang, "docs.privacy.advice.crisis").contains("TODO("));
    }
    assert!(has_digit_run("call 110 now", 3));
}
