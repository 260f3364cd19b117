//! One property over the whole pipeline (issue 12): generated assessments, mostly valid and
//! mostly under 64 KiB, go through load → evaluate → render in every format (report text and
//! JSON, checklist and privacy notice in Markdown and HTML for each language choice, the privacy
//! notice as JSON) and, when they are refused, through the rendered error messages. A case fails
//! on a panic, on taking over 5 s, or on any output character that a terminal or viewer would act
//! on: C0 controls but tab and newline, DEL, C1 controls, and the bidi controls U+202A–U+202E and
//! U+2066–U+2069 (each is allowed only as an escape, such as `\u{202e}`, `&#x202e;`, `\u202e`).
//!
//! The seed and case count are fixed, so CI runs the same cases every time; a failure is saved
//! to `reliability_props.proptest-regressions` beside this file and replayed first.

use std::path::Path;
use std::time::{Duration, Instant};

use agentguard::docs::{self, Doc, Format, Input, Templates};
use agentguard::i18n::Ui;
use agentguard::model::{Knowledge, Lang, QuestionKind};
use agentguard::render::{self, Style};
use agentguard::report::{self, ReportInput};
use agentguard::{Sources, load};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

const CASES: u32 = 400;
const SEED: u64 = 0x6167_656e_7467_7561; // "agentgua"
const LIMIT: Duration = Duration::from_secs(5);

fn knowledge() -> &'static Knowledge {
    static K: std::sync::OnceLock<Knowledge> = std::sync::OnceLock::new();
    K.get_or_init(|| {
        let mut s = Sources::empty();
        s.overlay(Path::new("tests/fixtures/mini")).expect("mini");
        s.overlay(Path::new("tests/fixtures/docs-extra"))
            .expect("docs-extra");
        match load::knowledge(&s) {
            Ok((k, _)) => k,
            Err(d) => panic!("fixture invalid: {d:#?}"),
        }
    })
}

/// The embedded catalog, which has every question (the agent's name among them).
fn full_knowledge() -> &'static Knowledge {
    static K: std::sync::OnceLock<Knowledge> = std::sync::OnceLock::new();
    K.get_or_init(|| match agentguard::knowledge(&Sources::embedded()) {
        Ok((k, _)) => k,
        Err(d) => panic!("embedded catalog invalid: {d:#?}"),
    })
}

fn templates() -> &'static Templates<'static> {
    static T: std::sync::OnceLock<Templates<'static>> = std::sync::OnceLock::new();
    T.get_or_init(|| Templates::embedded(Ui::embedded()).expect("templates"))
}

/// A character no output may hold raw.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` as a YAML double-quoted scalar: every character YAML cannot hold raw, and every control,
/// escaped.
fn yaml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Free text: plain, Chinese, Markdown/HTML/handlebars syntax, controls and bidi, secrets, or
/// anything at all.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ,.]{0,40}",
        2 => "[一-龥，。、 ]{0,30}",
        4 => prop::sample::select(vec![
            "<script>alert(1)</script>",
            "[x](javascript:alert(1)) ![i](http://x/y.png)",
            "{{lang}} {{{raw}}} {{#each x}}",
            "# heading\n- item\n> quote\n```\ncode\n```",
            "\u{1b}[2J\u{7}\u{85}\u{9b}31m\u{7f}",
            "abc\u{202e}fed\u{2066}x\u{2069}\u{200f}",
            "sk-proj-Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2gHi3jKl",
            "6dc6250f248ab34401d1e974424755b1.auuRSiYueq7Mvc6m",
            "LTAI5tAb3dEf9hIj2lMn4pQr",
            "a|b|c\t\r\n\u{0}\u{8}",
            "\\u{202e} &#x202e; \\u202e",
        ])
        .prop_map(str::to_owned),
        2 => any::<String>(),
        1 => ("[a-z]{1,8}", 1usize..4_000).prop_map(|(s, n)| s.repeat(n)),
    ]
}

/// A date: valid, near-valid or junk.
fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (2020u32..2100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => prop::sample::select(vec![
            "2099-01-01 junk here", "+999-12-31", "2026-02-30", "2026-11-26T09:12:03Z", "",
        ])
        .prop_map(str::to_owned),
        1 => text(),
    ]
}

#[derive(Clone, Debug)]
struct Answer {
    question: usize,
    pick: Vec<usize>,
    text: String,
    number: f64,
    garbage: bool,
    at: Option<String>,
}

#[derive(Clone, Debug)]
struct Decision {
    target: usize,
    status: usize,
    reason: Option<String>,
    until: Option<String>,
}

#[derive(Clone, Debug)]
enum Case {
    /// An assessment built from parts.
    Built {
        lang: usize,
        answers: Vec<Answer>,
        decisions: Vec<Decision>,
    },
    /// A built one with bytes changed: cut, spliced or overwritten.
    Mutated {
        answers: Vec<Answer>,
        cut: usize,
        insert: Vec<u8>,
    },
    /// Any bytes.
    Bytes(Vec<u8>),
}

fn answer() -> impl Strategy<Value = Answer> {
    (
        any::<usize>(),
        prop::collection::vec(any::<usize>(), 0..4),
        text(),
        any::<f64>(),
        prop::bool::weighted(0.1),
        prop::option::of(date()),
    )
        .prop_map(|(question, pick, text, number, garbage, at)| Answer {
            question,
            pick,
            text,
            number,
            garbage,
            at,
        })
}

fn decision() -> impl Strategy<Value = Decision> {
    (
        any::<usize>(),
        any::<usize>(),
        prop::option::of(text()),
        prop::option::of(date()),
    )
        .prop_map(|(target, status, reason, until)| Decision {
            target,
            status,
            reason,
            until,
        })
}

fn case() -> impl Strategy<Value = Case> {
    prop_oneof![
        6 => (0usize..3, prop::collection::vec(answer(), 0..12), prop::collection::vec(decision(), 0..6))
            .prop_map(|(lang, answers, decisions)| Case::Built { lang, answers, decisions }),
        2 => (prop::collection::vec(answer(), 1..6), any::<usize>(), prop::collection::vec(any::<u8>(), 0..16))
            .prop_map(|(answers, cut, insert)| Case::Mutated { answers, cut, insert }),
        1 => prop::collection::vec(any::<u8>(), 0..2_048).prop_map(Case::Bytes),
    ]
}

/// The YAML of an assessment. Most are valid (each question and decision once, known option ids,
/// numbers in range, texts and reasons within 2,000 characters, good dates); `lang` 2 writes
/// whatever the parts say, so the loader's errors are rendered too.
fn yaml_of(k: &Knowledge, lang: usize, answers: &[Answer], decisions: &[Decision]) -> String {
    let loose = lang % 3 == 2;
    let clip = |s: &str| -> String {
        if loose {
            s.to_owned()
        } else {
            s.chars().take(2_000).collect()
        }
    };
    let mut y = format!(
        "schema_version: 1\ncatalog_version: 1\nlang: {}\n",
        ["en", "zh", "fr"][lang % 3]
    );
    y.push_str("answers:\n");
    let qs = &k.questionnaire.questions;
    let mut seen = std::collections::HashSet::new();
    // The agent's name reaches the most places (titles, headings): the first answer names it.
    let name = qs.iter().position(|q| q.id == "agent.name");
    for (i, a) in answers.iter().enumerate() {
        let q = &qs[match name {
            Some(n) if i == 0 => n,
            _ => a.question % qs.len(),
        }];
        if !loose && !seen.insert(q.id.clone()) {
            continue;
        }
        let value = if a.garbage && loose {
            yaml_quote(&a.text)
        } else {
            match q.kind {
                QuestionKind::Text => yaml_quote(&clip(&a.text)),
                QuestionKind::Number => {
                    let (lo, hi) = (q.min.unwrap_or(0.0), q.max.unwrap_or(1e6));
                    let n = if a.number.is_finite() {
                        a.number.abs()
                    } else {
                        1.0
                    };
                    format!("{}", (lo + n % (hi - lo + 1.0)).floor().min(hi))
                }
                QuestionKind::Multiple => {
                    let mut ids: Vec<String> = Vec::new();
                    for p in &a.pick {
                        let o = &q.options[p % q.options.len()];
                        let exclusive = o.exclusive || o.is_not_sure;
                        if loose || (!ids.contains(&o.id) && (ids.is_empty() || !exclusive)) {
                            ids.push(o.id.clone());
                        }
                        if !loose && exclusive {
                            break;
                        }
                    }
                    if ids.is_empty() && !loose {
                        ids.push(q.options[0].id.clone());
                    }
                    let ids: Vec<String> = ids.iter().map(|i| format!("'{i}'")).collect();
                    format!("[{}]", ids.join(", "))
                }
                _ => {
                    let p = a.pick.first().copied().unwrap_or(0);
                    format!("'{}'", q.options[p % q.options.len().max(1)].id)
                }
            }
        };
        y.push_str(&format!("  {}:\n    value: {value}\n", q.id));
        if let Some(at) = &a.at {
            let at = if loose || agentguard::util::parse_date(at).is_some() {
                at.clone()
            } else {
                "2026-11-26T09:12:03Z".into()
            };
            y.push_str(&format!("    at: {}\n", yaml_quote(&at)));
        }
    }
    y.push_str("decisions:\n");
    let ids: Vec<&str> = k
        .catalog
        .threats
        .iter()
        .map(|t| t.id.as_str())
        .chain(k.catalog.mitigations.iter().map(|m| m.id.as_str()))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for d in decisions {
        let id = ids[d.target % ids.len()];
        if !loose && !seen.insert(id) {
            continue;
        }
        let statuses = if loose {
            &["done", "accepted", "not_applicable", "open", "bogus"][..]
        } else {
            &["done", "accepted", "not_applicable"][..]
        };
        let status = statuses[d.status % statuses.len()];
        y.push_str(&format!("  {id}:\n    status: {status}\n"));
        let reason = match &d.reason {
            Some(r) if !loose && r.trim().is_empty() => Some("because".to_owned()),
            None if !loose && status != "done" => Some("because".to_owned()),
            r => r.clone(),
        };
        if let Some(r) = reason {
            y.push_str(&format!("    reason: {}\n", yaml_quote(&clip(&r))));
        }
        if let Some(u) = &d.until {
            let u = if loose || agentguard::util::parse_date(u).is_some() {
                u.clone()
            } else {
                "2027-01-01".into()
            };
            y.push_str(&format!("    until: {}\n", yaml_quote(&u)));
        }
    }
    y
}

fn bytes_of(k: &Knowledge, c: &Case) -> Vec<u8> {
    match c {
        Case::Built {
            lang,
            answers,
            decisions,
        } => yaml_of(k, *lang, answers, decisions).into_bytes(),
        Case::Mutated {
            answers,
            cut,
            insert,
        } => {
            let mut b = yaml_of(k, 0, answers, &[]).into_bytes();
            let at = cut % (b.len() + 1);
            b.splice(at..(at + insert.len()).min(b.len()), insert.iter().copied());
            b
        }
        Case::Bytes(b) => b.clone(),
    }
}

/// Everything the pipeline prints for one input file.
fn outputs(k: &Knowledge, bytes: &[u8]) -> Vec<(String, String)> {
    let ui = Ui::embedded();
    let mut out = Vec::new();
    let a = match load::assessment("agentguard.yaml", bytes, k) {
        Ok((a, warnings)) => {
            for w in &warnings.0 {
                for l in [Lang::En, Lang::Zh] {
                    out.push((
                        format!("warning {}", w.code),
                        agentguard::escape::terminal(&w.render(ui, l), true),
                    ));
                }
            }
            a
        }
        Err(d) => {
            for x in &d.0 {
                for l in [Lang::En, Lang::Zh] {
                    out.push((
                        format!("error {}", x.code),
                        agentguard::escape::terminal(&x.render(ui, l), true),
                    ));
                }
            }
            return out;
        }
    };
    let today = agentguard::util::parse_date("2026-11-26").expect("date");
    let findings = agentguard::evaluate(k, &a, today);
    for lang in [Lang::En, Lang::Zh] {
        let view = report::build(&ReportInput {
            knowledge: k,
            assessment: &a,
            findings: &findings,
            lang,
            file: "agentguard.yaml",
            ui,
        });
        out.push((
            format!("report text {lang:?}"),
            render::text(&view, ui, Style { color: false }),
        ));
        out.push((
            format!("report json {lang:?}"),
            render::json(&view).expect("json"),
        ));
    }
    let input = Input {
        knowledge: k,
        assessment: &a,
        findings: &findings,
        ui,
        file: "agentguard.yaml",
        today,
    };
    for doc in [Doc::Checklist, Doc::Privacy] {
        for format in [Format::Md, Format::Html] {
            for langs in [vec![Lang::En], vec![Lang::Zh], vec![Lang::En, Lang::Zh]] {
                let s = docs::render(templates(), doc, format, &input, &langs).expect("render");
                out.push((format!("{doc:?} {format:?} {langs:?}"), s));
            }
        }
    }
    for lang in [Lang::En, Lang::Zh] {
        out.push((
            format!("privacy json {lang:?}"),
            render::json(&docs::privacy::build(&input, lang)).expect("json"),
        ));
    }
    out
}

proptest! {
    #![proptest_config(Config {
        cases: CASES,
        rng_seed: RngSeed::Fixed(SEED),
        max_shrink_iters: 256,
        ..Config::default()
    })]

    #[test]
    fn every_output_is_clean_and_quick(c in case(), full in prop::bool::weighted(0.25)) {
        let k = if full { full_knowledge() } else { knowledge() };
        let bytes = bytes_of(k, &c);
        let start = Instant::now();
        let outs = outputs(k, &bytes);
        let took = start.elapsed();
        prop_assert!(took < LIMIT, "{} bytes took {:?}", bytes.len(), took);
        for (what, s) in &outs {
            if let Some((i, ch)) = s.char_indices().find(|&(_, ch)| forbidden(ch)) {
                let from = s[..i].char_indices().rev().nth(40).map_or(0, |(j, _)| j);
                prop_assert!(
                    false,
                    "{}: raw U+{:04X} at byte {}: {:?}",
                    what,
                    ch as u32,
                    i,
                    &s[from..(i + 8).min(s.len())]
                );
            }
        }
    }
}
