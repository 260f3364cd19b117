//! The privacy notice as its readers see it, for every agent of the field set
//! (`tests/field/agents/<slug>/answers.yaml`), rendered with the embedded catalog in English and
//! Chinese. A notice is written by the service to its users: it fails here when it talks to the
//! developer, names agentguard's internal files or sources, shows an untranslated id, mentions a
//! security control or weakness, or leaves a TODO for a question the developer answered. Each
//! problem names the agent, the language, the line and the offending text.
//!
//! The developer's own to-do list (`## Before you publish`) is not part of the notice and is not
//! checked here, except that it must exist apart from the notice.

mod common;

use common::{KNOWLEDGE, load_file, notice_and_todo, with_input};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use agentguard::condition::QState;
use agentguard::docs::{self, Doc, Format, Templates};
use agentguard::evaluate::question_states;
use agentguard::i18n::Ui;
use agentguard::meaning::{
    self, AnswerMeaning, Feature, Location, Means, MinorsBand, RecipientName,
};
use agentguard::model::{Assessment, Knowledge, Lang};

/// Words only the developer's side of the draft uses: the notice speaks as "we" (the operator)
/// to "you" (the user). Each entry is precise enough not to match what a user legitimately
/// reads (e.g. "your server" is never the user's server in an agent's notice).
const DEVELOPER_VOICE: &[&str] = &[
    "your server",
    "your backend",
    "your back end",
    "you choose",
    "you chose",
    "your answers",
    "you answered",
    "your agent",
    "your users",
    "unless you opt in",
    "if you opt in",
    "approved customers",
    "agentguard",
    "the developer",
    "delete this paragraph",
    "delete this line",
    "remove this part",
    "check its current terms",
    "check each one",
    "check its terms",
    "(unconfirmed)",
    "(to verify)",
    "由你选择",
    "你选择",
    "你的后端",
    "你的服务器",
    "你的回答",
    "你回答了",
    "你的用户",
    "你的智能体",
    "开发者",
    "删掉本段",
    "删除本段",
    "删掉这一行",
    "删除这一部分",
    "待核实",
    "除非你主动开启",
    "获批客户",
    "查看其最新条款",
    "逐一核实",
];

/// Names of agentguard's internal files and sources.
const INTERNAL_NAMES: &[&str] = &[
    "providers.md",
    "regs.md",
    "ids.md",
    "参考资料中未找到",
    "参考资料",
    "not in the sources",
    "not found in the reference",
    "agentguard's sources",
    "sources:",
    "catalog/",
    ".yaml",
];

/// A security control or weakness of the operator's: never in a notice (it tells an attacker
/// where to look and promises what the answers may contradict).
const SECURITY: &[&str] = &[
    "2fa",
    "two-factor",
    "two-step",
    "api key",
    "api-key",
    "front end",
    "frontend",
    "password",
    "admin account",
    "administrator",
    "二次验证",
    "两步验证",
    "双重验证",
    "密钥",
    "前端",
    "密码",
    "管理员",
    "管理后台",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    DeveloperVoice,
    InternalName,
    UntranslatedId,
    Security,
    AnsweredTodo,
    /// A wording defect (issue 14): another law's children's age band, an option label used as
    /// a name ("Another platform", a channel's long label), stray spaces in Chinese.
    Wording,
    /// A promise the answers rule out (READINGS): a parent's verifiable consent (COPPA) when
    /// nothing checks age, or a summary offering deletion that the rights list leaves out.
    Contradicted,
}

struct Problem {
    class: Class,
    at: String,
    what: String,
    line: String,
}

fn agents() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/field/agents");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .expect("tests/field/agents")
        .filter_map(Result::ok)
        .map(|e| e.path().join("answers.yaml"))
        .filter(|p| p.exists())
        .map(|p| {
            let slug = p
                .parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (slug, p)
        })
        .collect();
    out.sort();
    out
}

/// The notice (without the developer's to-do list) in one language.
fn notice(templates: &Templates<'_>, a: &Assessment, lang: Lang) -> String {
    with_input(a, |input| {
        docs::render(templates, Doc::Privacy, Format::Md, input, &[lang]).expect("render")
    })
}

/// Whether a question carrying an option that `has` was answered (not hidden, not open, not
/// "not sure").
fn answered(k: &Knowledge, states: &[QState<'_>], has: &dyn Fn(&Means) -> bool) -> bool {
    k.questionnaire
        .questions
        .iter()
        .enumerate()
        .any(|(qi, q)| q.options.iter().any(|o| has(&o.means)) && is_given(k, states, qi))
}

fn is_given(k: &Knowledge, states: &[QState<'_>], qi: usize) -> bool {
    match states.get(qi) {
        Some(QState::Given(v)) => {
            let _ = k;
            !matches!(v, agentguard::model::Value::Choice(c) if c == agentguard::model::NOT_SURE)
        }
        _ => false,
    }
}

/// The TODO markers that belong to a fact a question answers: shown when that question was
/// answered, they are a TODO for an answered question. (locale key holding the marker, whether
/// the answers settle it)
type Settled = fn(&Knowledge, &[QState<'_>]) -> bool;
fn answered_todos() -> Vec<(&'static str, Settled)> {
    vec![
        ("docs.privacy.minors.unknown", |k, s| {
            answered(k, s, &|m| m.minors.is_some())
        }),
        ("docs.privacy.summary.history_todo", |k, s| {
            answered(k, s, &|m| {
                matches!(
                    m.feature,
                    Some(Feature::HistorySession | Feature::HistoryPersistent)
                )
            })
        }),
        ("docs.privacy.retention.todo", |k, s| {
            k.questionnaire
                .questions
                .iter()
                .enumerate()
                .any(|(qi, q)| q.means == Some(AnswerMeaning::Retention) && is_given(k, s, qi))
        }),
        ("docs.privacy.ai.label_todo", |k, s| {
            answered(k, s, &|m| m.feature == Some(Feature::LabelsAiContent))
        }),
    ]
}

/// `snake_case` tokens (two or more lowercase words joined by `_`) outside code spans.
fn snake_tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        let w = word.trim_matches('_');
        if w.contains('_')
            && w.split('_').all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
        {
            out.push(w.to_string());
        }
        word.clear();
    };
    for c in line.chars() {
        if c == '`' {
            flush(&mut word, &mut out);
            in_code = !in_code;
        } else if !in_code && (c.is_ascii_alphanumeric() || c == '_') {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn is_word_at(hay: &str, at: usize, len: usize) -> bool {
    let before = hay[..at].chars().next_back();
    let after = hay[at + len..].chars().next();
    let edge = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
    edge(before) && edge(after)
}

fn check(
    slug: &str,
    lang: Lang,
    md: &str,
    k: &Knowledge,
    states: &[QState<'_>],
    out: &mut Vec<Problem>,
) {
    let ui = Ui::embedded();
    let ids: Vec<&str> = k
        .questionnaire
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    let words = words(k, states, lang);
    let mut answered_markers = Vec::new();
    for (key, settled) in answered_todos() {
        if !settled(k, states) {
            continue;
        }
        assert!(ui.has(lang, key), "no locale key {key}");
        for t in docs::todo::scan(&ui.get(lang, key)) {
            answered_markers.push((key, t.text));
        }
    }
    let todo_heading = if lang == Lang::En {
        "## Before you publish"
    } else {
        "## 发布前"
    };
    for (n, line) in md.lines().enumerate() {
        let at = format!("{slug} [{lang}] line {}", n + 1);
        let lower = line.to_lowercase();
        let mut push = |class, what: &str| {
            out.push(Problem {
                class,
                at: at.clone(),
                what: what.to_string(),
                line: line.to_string(),
            });
        };
        if line.starts_with(todo_heading) {
            push(Class::DeveloperVoice, "the to-do list inside the notice");
        }
        for m in DEVELOPER_VOICE {
            if lower.contains(&m.to_lowercase()) {
                push(Class::DeveloperVoice, m);
            }
        }
        for m in INTERNAL_NAMES {
            if lower.contains(&m.to_lowercase()) {
                push(Class::InternalName, m);
            }
        }
        for m in SECURITY {
            let m = m.to_lowercase();
            let mut from = 0;
            while let Some(i) = lower[from..].find(&m) {
                let at = from + i;
                if !m.is_ascii() || is_word_at(&lower, at, m.len()) {
                    push(Class::Security, &m);
                    break;
                }
                from = at + m.len();
            }
        }
        for id in &ids {
            if line.contains(id) {
                push(Class::UntranslatedId, id);
            }
        }
        for t in snake_tokens(line) {
            push(Class::UntranslatedId, &t);
        }
        if lang == Lang::En && lower.contains("openid") {
            push(Class::UntranslatedId, "openid");
        }
        for (key, marker) in &answered_markers {
            if line.contains(marker.as_str()) {
                push(Class::AnsweredTodo, &format!("{key}: {marker}"));
            }
        }
        for what in wording(lang, line, &words) {
            push(Class::Wording, &what);
        }
    }
    contradicted(slug, lang, md, k, states, out);
}

/// Document-level promises the answers rule out.
fn contradicted(
    slug: &str,
    lang: Lang,
    md: &str,
    k: &Knowledge,
    states: &[QState<'_>],
    out: &mut Vec<Problem>,
) {
    let ui = Ui::embedded();
    let chosen = meaning::chosen_options(k, states);
    let bands: Vec<MinorsBand> = chosen.iter().filter_map(|(_, o)| o.means.minors).collect();
    let unchecked = bands.contains(&MinorsBand::Unknown)
        && bands
            .iter()
            .all(|b| matches!(b, MinorsBand::Unknown | MinorsBand::Adults));
    let mut push = |what: &str, line: &str| {
        out.push(Problem {
            class: Class::Contradicted,
            at: format!("{slug} [{lang}]"),
            what: what.to_string(),
            line: line.to_string(),
        });
    };
    let coppa = ui.get(lang, "docs.privacy.shapes.minors_us");
    if unchecked && md.contains(coppa.as_str()) {
        push(
            "a COPPA verifiable-consent promise with no age check",
            &coppa,
        );
    }
    let summary = ui.get(lang, "docs.privacy.summary.rights");
    let deletion = ["delete_history", "delete_account", "delete"]
        .iter()
        .any(|id| md.contains(ui.get(lang, &format!("docs.privacy.right.{id}")).as_str()));
    if md.contains(summary.as_str()) && !deletion {
        push(
            "the summary offers deletion, the rights list does not",
            &summary,
        );
    }
}

/// What the wording checks need from the answers and the questionnaire.
struct Words {
    /// PIPL's band (children under 14) applies: users in mainland China.
    cn_users: bool,
    /// Labels that must never name a recipient: options for a party the answer does not name,
    /// and the long labels of options that have a short name.
    labels: Vec<String>,
}

fn words(k: &Knowledge, states: &[QState<'_>], lang: Lang) -> Words {
    let cn_users = meaning::users_in(k, states, Location::CnMainland).value == Some(true);
    let mut labels = Vec::new();
    for q in &k.questionnaire.questions {
        for o in &q.options {
            let unnamed = o
                .means
                .recipient
                .as_ref()
                .is_some_and(|r| r.name == Some(RecipientName::Unnamed));
            if unnamed || o.short.is_some() {
                labels.push(o.label.get(lang).to_string());
            }
        }
    }
    Words { cn_users, labels }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// The wording defects of one line.
fn wording(lang: Lang, line: &str, w: &Words) -> Vec<String> {
    let mut out = Vec::new();
    if !w.cn_users {
        for band in ["under 14", "十四周岁"] {
            if line.contains(band) {
                out.push(format!(
                    "PIPL's band `{band}` without users in mainland China"
                ));
            }
        }
    }
    for label in &w.labels {
        if line.contains(label.as_str()) {
            out.push(format!("the option label `{label}` as a name"));
        }
    }
    if lang == Lang::Zh {
        let body = line.trim_start();
        let chars: Vec<char> = body.chars().collect();
        for (i, pair) in chars.windows(2).enumerate() {
            if pair[0] == ' ' && is_cjk(pair[1]) && !pair[1].is_alphanumeric() {
                out.push(format!("a space before `{}`", pair[1]));
            }
            if pair == [' ', ' '] {
                out.push("a doubled space".to_string());
            }
            if pair[1] == ' '
                && "。，；：！？、）”".contains(pair[0])
                && chars
                    .get(i + 2)
                    .is_some_and(|c| is_cjk(*c) || c.is_alphanumeric())
            {
                out.push(format!("a space after `{}`", pair[0]));
            }
            if pair[0] == ' '
                && i > 0
                && is_cjk(chars[i - 1])
                && chars[i - 1].is_alphanumeric()
                && pair[1].is_alphanumeric()
                && is_cjk(pair[1])
            {
                out.push(format!(
                    "a space between `{}` and `{}`",
                    chars[i - 1],
                    pair[1]
                ));
            }
        }
    }
    out
}

#[test]
fn field_notices_speak_to_users_and_say_only_what_the_answers_support() {
    let k = &*KNOWLEDGE;
    let templates = Templates::embedded(Ui::embedded()).expect("templates");
    let agents = agents();
    assert!(
        agents.len() >= 30,
        "the field set has {} agents",
        agents.len()
    );
    let mut problems = Vec::new();
    for (slug, path) in &agents {
        let a = load_file(path);
        let states = question_states(k, &a);
        for lang in [Lang::En, Lang::Zh] {
            let md = notice(&templates, &a, lang);
            check(slug, lang, &md, k, &states, &mut problems);
        }
    }
    let mut counts: BTreeMap<Class, usize> = BTreeMap::new();
    for p in &problems {
        *counts.entry(p.class).or_default() += 1;
    }
    eprintln!("notice defects by class: {counts:?}");
    if !problems.is_empty() {
        let shown: Vec<String> = problems
            .iter()
            .take(200)
            .map(|p| format!("{}: {:?} `{}` in: {}", p.at, p.class, p.what, p.line))
            .collect();
        panic!(
            "{} notice defects ({counts:?}):\n{}",
            problems.len(),
            shown.join("\n")
        );
    }
}

#[test]
fn the_checks_catch_what_they_name() {
    assert_eq!(
        snake_tokens("a `code_span` and chat_content, not under14 or _x_"),
        ["chat_content"]
    );
    let k = &*KNOWLEDGE;
    let (_, path) = agents().into_iter().next().expect("an agent");
    let a = load_file(&path);
    let states = question_states(k, &a);
    let mut out = Vec::new();
    let bad = "Your messages are forwarded to your server.\nWe keep API keys safe; no 2FA.\nSee providers.md.\nIDs: openid, memory.retention, chat_content\n## Before you publish";
    check("probe", Lang::En, bad, k, &states, &mut out);
    let classes: Vec<Class> = out.iter().map(|p| p.class).collect();
    for c in [
        Class::DeveloperVoice,
        Class::Security,
        Class::InternalName,
        Class::UntranslatedId,
    ] {
        assert!(classes.contains(&c), "{c:?} not caught: {classes:?}");
    }
    let mut out = Vec::new();
    check(
        "probe",
        Lang::En,
        "We keep an administrative record. The frontier of passwordless logins.",
        k,
        &states,
        &mut out,
    );
    assert!(
        out.is_empty(),
        "false alarms: {:?}",
        out.iter().map(|p| &p.what).collect::<Vec<_>>()
    );
    let w = Words {
        cn_users: false,
        labels: vec![
            "Another platform".into(),
            "个人微信号，在私聊或群聊里".into(),
        ],
    };
    assert_eq!(
        wording(
            Lang::En,
            "Children under 14 reach us through Another platform.",
            &w
        )
        .len(),
        2
    );
    assert_eq!(
        wording(
            Lang::Zh,
            "你通过 微信 联系我们 ，或者  个人微信号，在私聊或群聊里",
            &w
        )
        .len(),
        5,
        "{:?}",
        wording(
            Lang::Zh,
            "你通过 微信 联系我们 ，或者  个人微信号，在私聊或群聊里",
            &w
        )
    );
    assert_eq!(
        wording(
            Lang::Zh,
            "“不会用于模型训练”。 直接调用 API 只保存调用状态。",
            &w
        ),
        vec!["a space after `。`".to_string()]
    );
    // CJK next to Latin with a space, list indentation and a Latin name are fine.
    assert!(
        wording(
            Lang::Zh,
            "  - 发给 OpenAI API（美国）处理，TODO(期限) 后删除。",
            &w
        )
        .is_empty()
    );
}

/// The developer's to-do list is not the notice, but its Chinese follows the same typography: no
/// space after a full-width stop or comma (the provider notes it quotes are joined without one).
#[test]
fn the_chinese_to_do_lists_put_no_space_after_full_width_punctuation() {
    let _k = &*KNOWLEDGE;
    let _templates = Templates::embedded(Ui::embedded()).expect("templates");
    let mut bad = Vec::new();
    for (slug, path) in &agents() {
        let a = load_file(path);
        let (_, todo) = notice_and_todo(&a, Lang::Zh);
        for line in todo.lines() {
            let chars: Vec<char> = line.chars().collect();
            if chars.windows(3).any(|w| {
                "。，；：！？".contains(w[0])
                    && w[1] == ' '
                    && (is_cjk(w[2]) || w[2].is_alphanumeric())
            }) {
                bad.push(format!("{slug}: {line}"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_promise_checks_catch_a_coppa_promise_without_an_age_check_and_a_dropped_deletion_right() {
    let k = &*KNOWLEDGE;
    let ui = Ui::embedded();
    let (slug, path) = agents()
        .into_iter()
        .find(|(s, _)| s.starts_with("22-"))
        .expect("agent 22");
    let a = load_file(&path);
    let states = question_states(k, &a);
    let md = format!(
        "{}\n\n{}\n",
        ui.get(Lang::En, "docs.privacy.summary.rights"),
        ui.get(Lang::En, "docs.privacy.shapes.minors_us")
    );
    let mut out = Vec::new();
    contradicted(&slug, Lang::En, &md, k, &states, &mut out);
    let what: Vec<&str> = out.iter().map(|p| p.what.as_str()).collect();
    assert_eq!(
        what,
        [
            "a COPPA verifiable-consent promise with no age check",
            "the summary offers deletion, the rights list does not"
        ]
    );
}

/// The text of a locale entry before its first placeholder.
fn lead(ui: &Ui, lang: Lang, key: &str) -> String {
    let t = ui.text(lang, key).expect("locale key");
    t.split('{').next().unwrap_or_default().to_string()
}

/// The part of a notice under one `## ` heading, up to the next one.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md.find(&format!("## {heading}")).unwrap_or(md.len());
    let rest = &md[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    &rest[..end]
}

/// READINGS class 1 (13, 31; cause 3 of the second round): the sensitive data of people who are
/// not users (customers and children pictured, vendors on invoices) is listed under "People who
/// do not use the service", never as the user's own "with your separate consent"; the to-do does
/// not ask users for consents that are the non-users' (no guardian dialog for employees).
#[test]
fn non_users_sensitive_data_is_theirs_and_the_notice_and_to_do_agree_on_consent() {
    let ui = Ui::embedded();
    for slug in [
        "13-xiaohongshu-coze-content-agent",
        "31-accounting-invoice-automation",
    ] {
        let a = common::load_text(&common::answers_text(slug));
        for lang in [Lang::En, Lang::Zh] {
            let n = with_input(&a, |i| docs::privacy::build(i, lang));
            let theirs: Vec<&str> = n
                .data
                .iter()
                .filter(|d| d.sensitive && d.of_non_users)
                .map(|d| d.label.as_str())
                .collect();
            assert!(
                !theirs.is_empty(),
                "{slug} [{lang}]: no non-users' sensitive data"
            );
            let (md, todo) = notice_and_todo(&a, lang);
            let heading = ui.get(lang, "docs.privacy.non_users.heading");
            let theirs_part = section(&md, &heading);
            for label in &theirs {
                assert!(
                    theirs_part.contains(label),
                    "{slug} [{lang}]: `{label}` not under `{heading}`"
                );
                for line in md.lines().filter(|l| !theirs_part.contains(l)) {
                    assert!(
                        !line.contains(label),
                        "{slug} [{lang}]: `{label}` described as the user's in: {line}"
                    );
                }
            }
            let promised = md.contains(lead(ui, lang, "docs.privacy.sensitive.body").as_str())
                || md.contains(lead(ui, lang, "docs.privacy.summary.sensitive").as_str());
            let dialog = todo.contains(&ui.get(lang, "docs.privacy.consent.sensitive.title"));
            assert!(
                !promised || dialog || !n.profile.has_cn_users,
                "{slug} [{lang}]: the notice promises separate consent, the to-do has no dialog"
            );
            assert!(
                !todo.contains(lead(ui, lang, "docs.privacy.shapes.guardian.text").as_str()),
                "{slug} [{lang}]: a guardian dialog for users who are not children"
            );
        }
    }
}

/// READINGS class 8 (02; cause 6): a service made for children addresses its notice and its
/// consents to the parent or guardian, and guardian consent is a step of sign-up, not "if you are
/// a child"; a general-audience service never gets that address.
#[test]
fn a_childrens_service_speaks_to_the_parent_and_makes_guardian_consent_part_of_sign_up() {
    let ui = Ui::embedded();
    let kids = common::answers_text("02-kids-reading-miniprogram");
    for lang in [Lang::En, Lang::Zh] {
        let (md, todo) = notice_and_todo(&common::load_text(&kids), lang);
        let addressed = ui.get(lang, "docs.privacy.for_children.addressed");
        assert!(
            md.contains(&addressed),
            "[{lang}] not addressed to parents:\n{md}"
        );
        assert!(md.contains(&ui.get(lang, "docs.privacy.minors.for_children")));
        assert!(
            !md.contains(&ui.get(lang, "docs.privacy.minors.body")),
            "[{lang}] age TODO"
        );
        assert!(todo.contains(&ui.get(lang, "docs.privacy.for_children.guardian_text")));
        assert!(
            !todo.contains(lead(ui, lang, "docs.privacy.shapes.guardian.text").as_str()),
            "[{lang}] guardian consent as a conditional"
        );
        assert!(
            !todo.contains(lead(ui, lang, "docs.privacy.consent.sensitive.text").as_str()),
            "[{lang}] the sensitive-data consent asks the child"
        );
        // The same service not made for children (it only knows some users are under 13).
        let known = common::with_answer(&kids, "users.age_band", "known_under_13");
        let (md, _) = notice_and_todo(&common::load_text(&known), lang);
        assert!(
            !md.contains(&addressed),
            "[{lang}] a general service addressed to parents"
        );
    }
}

/// READINGS class 1 and 5 (16; cause 4): a personal tool whose model runs on the developer's own
/// computer and whose records stay there does not show the platform it runs with as an outside
/// recipient, and says first that the model runs on the developer's own machine.
#[test]
fn a_local_personal_tool_names_no_outside_platform_and_says_the_model_is_local() {
    let ui = Ui::embedded();
    let diary = common::answers_text("16-local-ollama-diary-frp");
    for lang in [Lang::En, Lang::Zh] {
        let a = common::load_text(&diary);
        let (md, _) = notice_and_todo(&a, lang);
        let platform = ui.get(lang, "docs.privacy.unnamed.personal.platform");
        assert!(
            !md.contains(&platform),
            "[{lang}] `{platform}` as a recipient:\n{md}"
        );
        assert!(md.contains(&ui.get(lang, "docs.privacy.personal.flows.own_machine")));
        let n = with_input(&a, |i| docs::privacy::build(i, lang));
        assert!(
            n.recipients.is_empty(),
            "[{lang}] recipients: {:?}",
            n.recipients
        );
        // With a hosted model, the same platform is a recipient again.
        let hosted = common::with_answer(&diary, "model.providers", "[openai]");
        let (md, _) = notice_and_todo(&common::load_text(&hosted), lang);
        assert!(
            md.contains(&platform),
            "[{lang}] a hosted setup lost its platform"
        );
    }
}

/// READINGS class 8 (26; cause 7): a personal tool that sends clients' confidential code and data
/// to a provider does not tell its developer that private use is outside the law; it says other
/// people's data is in the tool and asks to check the client contracts for that provider.
#[test]
fn a_personal_tool_with_clients_data_is_not_called_private_use() {
    let ui = Ui::embedded();
    let coder = common::answers_text("26-personal-coding-agent");
    for lang in [Lang::En, Lang::Zh] {
        let (md, todo) = notice_and_todo(&common::load_text(&coder), lang);
        let private = ui.get(lang, "docs.privacy.personal.no_notice.body");
        assert!(
            !md.contains(&private),
            "[{lang}] private use promised:\n{md}"
        );
        assert!(md.contains(&ui.get(lang, "docs.privacy.personal.no_notice.clients")));
        let check = lead(ui, lang, "docs.privacy.todo.personal_clients");
        assert!(
            todo.lines()
                .any(|l| l.contains(&check) && l.contains("Anthropic")),
            "[{lang}] no contract check naming the provider:\n{todo}"
        );
        // Without clients' data in the context, the household wording stays.
        let own = common::with_answer(&coder, "data.in_context", "[project_files]");
        let (md, _) = notice_and_todo(&common::load_text(&own), lang);
        assert!(md.contains(&private), "[{lang}] own files only");
    }
}

/// READINGS classes 1 and 5 (08, 18; cause 5): software users run themselves says that usage
/// statistics are on by default, where what it sends goes, and what support staff receive or see
/// through remote access; the to-do asks for opt-in for EU users and for support terms.
#[test]
fn self_run_notices_say_telemetry_is_on_by_default_and_what_support_sees() {
    let ui = Ui::embedded();
    for lang in [Lang::En, Lang::Zh] {
        let cli = common::load_text(&common::answers_text("08-opensource-cli-coding-agent"));
        let (md, todo) = notice_and_todo(&cli, lang);
        for key in [
            "docs.privacy.self_run.summary.telemetry_on",
            "docs.privacy.self_run.receives.analytics",
        ] {
            assert!(
                md.contains(lead(ui, lang, key).as_str()),
                "08 [{lang}] lacks {key}"
            );
        }
        assert!(md.contains(lead(ui, lang, "docs.privacy.self_run.receives.where").as_str()));
        assert!(todo.contains(&ui.get(lang, "docs.privacy.todo.telemetry_opt_in")));
        let kb = common::load_text(&common::answers_text("18-opensource-enterprise-kb-support"));
        let (md, todo) = notice_and_todo(&kb, lang);
        for key in [
            "docs.privacy.self_run.summary.support",
            "docs.privacy.self_run.receives.remote",
            "docs.privacy.self_run.receives.messages_support",
        ] {
            assert!(
                md.contains(lead(ui, lang, key).as_str()),
                "18 [{lang}] lacks {key}"
            );
        }
        assert!(
            !md.contains(lead(ui, lang, "docs.privacy.self_run.receives.messages").as_str()),
            "18 [{lang}] asks which applies although it was answered"
        );
        assert!(todo.contains(&ui.get(lang, "docs.privacy.todo.support_terms")));
    }
}

/// READINGS class 1 (13, 22, 31, 05, 14, 02; cause 8): a provider's retention is its sourced
/// period or a marker the to-do explains, never "a limited time", in any field notice.
#[test]
fn no_notice_says_a_provider_keeps_data_for_a_limited_time() {
    let mut bad = Vec::new();
    for (slug, path) in &agents() {
        let a = load_file(path);
        for lang in [Lang::En, Lang::Zh] {
            let (md, todo) = notice_and_todo(&a, lang);
            for word in ["limited time", "一段时间"] {
                if md.contains(word) {
                    bad.push(format!("{slug} [{lang}]: `{word}`"));
                }
            }
            let n = with_input(&a, |i| docs::privacy::build(i, lang));
            // Self-run software's providers are its users' own; a personal page shows none.
            let shown = n.shape.is_user_notice;
            for r in n.recipients.iter().filter(|_| shown) {
                let yes = r.retention.as_ref().is_some_and(|f| f.is_yes);
                if yes
                    && r.kept_days.is_none()
                    && !todo.contains(&format!("{}：", r.name))
                    && !todo.contains(&format!("{}: ", r.name))
                {
                    bad.push(format!("{slug} [{lang}]: no to-do for {}'s period", r.name));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// READINGS class 8 (22, 31; cause 2): a notice whose users are not in mainland China uses no
/// PIPL concept — no "personal-information handler", no 数据出境 heading, no "separate consent",
/// no consent promised for a provider's own use where no law asks for it — and its to-do cites no
/// PIPL or GDPR article for retention.
#[test]
fn notices_for_users_outside_mainland_china_use_no_pipl_terms() {
    let ui = Ui::embedded();
    for slug in [
        "22-shopify-support-refunds",
        "31-accounting-invoice-automation",
    ] {
        let a = common::load_text(&common::answers_text(slug));
        for lang in [Lang::En, Lang::Zh] {
            let (md, todo) = notice_and_todo(&a, lang);
            for term in [
                "个人信息处理者",
                "数据出境",
                "单独同意",
                "separate consent",
                "handler",
                "dignity",
                "人格尊严",
            ] {
                assert!(
                    !md.contains(term),
                    "{slug} [{lang}]: `{term}` in the notice"
                );
            }
            for key in ["docs.privacy.role.own_use", "docs.privacy.transfer.heading"] {
                let text = ui.get(lang, key);
                assert!(!md.contains(&text), "{slug} [{lang}]: `{text}`");
            }
            for cite in ["PIPL Art 47", "GDPR Art 5", "第四十七条"] {
                assert!(
                    !todo.contains(cite),
                    "{slug} [{lang}]: `{cite}` in the to-do"
                );
            }
        }
    }
}

/// READINGS class 4 (05, 08, 13, 14, 18, 22, 26, 31; cause 1): an agent that is not a chat — a
/// content agent, a screening service, a mail automation, a coding tool — is not described with
/// the chat template ("To answer you…", "messages, requests and answers", "to answer your
/// messages"); a chat keeps it.
#[test]
fn agents_that_are_not_chats_are_not_described_as_chats() {
    let ui = Ui::embedded();
    let chat_keys = [
        "docs.privacy.summary.models",
        "docs.privacy.data.messages",
        "docs.privacy.purpose.answer",
        "docs.privacy.internal.purpose.answer",
        "docs.privacy.receives.model_api",
        "docs.privacy.summary.ai",
    ];
    for (slug, mode) in [
        ("13-xiaohongshu-coze-content-agent", "creates_content"),
        ("14-resume-screening-saas", "screens_people"),
        ("31-accounting-invoice-automation", "processes_items"),
    ] {
        let a = common::load_text(&common::answers_text(slug));
        for lang in [Lang::En, Lang::Zh] {
            let (md, _) = notice_and_todo(&a, lang);
            for key in chat_keys {
                let lead = lead(ui, lang, key);
                assert!(
                    !md.contains(&lead),
                    "{slug} [{lang}]: chat wording `{lead}`"
                );
            }
            for key in ["summary_models", "data_messages", "purpose_answer"] {
                let lead = lead(ui, lang, &format!("docs.privacy.work.{mode}.{key}"));
                assert!(md.contains(&lead), "{slug} [{lang}]: lacks `{lead}`");
            }
        }
    }
    let chat = common::load_text(&common::answers_text("22-shopify-support-refunds"));
    let (md, _) = notice_and_todo(&chat, Lang::En);
    assert!(md.contains(&lead(ui, Lang::En, "docs.privacy.summary.models")));
    // A store that answered which advice it gives gets no "medical, legal or financial" line.
    assert!(
        !md.contains(&ui.get(Lang::En, "docs.privacy.ai.body")),
        "{md}"
    );
    // A coding tool only its developer uses: code and command output, not "files and notes".
    let coder = common::load_text(&common::answers_text("26-personal-coding-agent"));
    for lang in [Lang::En, Lang::Zh] {
        let (md, _) = notice_and_todo(&coder, lang);
        assert!(!md.contains(&ui.get(lang, "docs.privacy.personal.flows.intro")));
        assert!(md.contains(&ui.get(lang, "docs.privacy.work.writes_code.flows_intro")));
        assert!(!md.contains(&ui.get(lang, "docs.privacy.receives.model_api")));
    }
}

/// READINGS class 7 (13, 02, 05, 14, 22; cause 9): the Chinese notices mark sensitive data with
/// a full-width dash and no spaces, say "与我们的关系" rather than the literal "它的角色", use the
/// statutory wording of PIPL Art 13(1)(ii), no "跨对话保存", and cite GDPR articles one way.
#[test]
fn the_chinese_notices_read_as_a_native_developer_writes() {
    let mut bad = Vec::new();
    for (slug, path) in &agents() {
        let a = load_file(path);
        let (md, todo) = notice_and_todo(&a, Lang::Zh);
        for (text, what) in [
            (" — **", "a half-width dash with spaces"),
            ("它的角色", "the literal 它的角色"),
            (
                "为履行与你约定的服务所必需",
                "non-statutory contract wording",
            ),
            ("跨对话保存", "translationese 跨对话保存"),
        ] {
            if md.contains(text) {
                bad.push(format!("{slug}: {what}"));
            }
        }
        for doc in [&md, &todo] {
            if doc.contains("GDPR 第")
                && doc.lines().any(|l| {
                    l.contains("GDPR 第二") || l.contains("GDPR 第五") || l.contains("GDPR 第七")
                })
            {
                bad.push(format!("{slug}: GDPR articles in Chinese numerals"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// READINGS class 8 (08; cause 2): a self-run notice whose maintainer receives data does not claim
/// to cover what PIPL Art 17 and GDPR Art 13 ask; its to-do lists what is missing.
#[test]
fn a_self_run_notice_does_not_overclaim_the_laws_it_covers() {
    let ui = Ui::embedded();
    let cli = common::load_text(&common::answers_text("08-opensource-cli-coding-agent"));
    for lang in [Lang::En, Lang::Zh] {
        let (_, todo) = notice_and_todo(&cli, lang);
        assert!(
            !todo.contains(&ui.get(lang, "docs.privacy.covers")),
            "[{lang}] {todo}"
        );
        assert!(todo.contains(&ui.get(lang, "docs.privacy.todo.self_run_gaps")));
        // No advice about paragraphs the self-run notice does not have.
        for key in [
            "docs.privacy.todo.cn_contact",
            "docs.privacy.todo.eu_representative",
        ] {
            assert!(!todo.contains(&ui.get(lang, key)), "[{lang}] {key}");
        }
    }
}

/// READINGS class 5 (14; cause 3): candidates a screening service decides about are told, in the
/// section on people who do not use the service, that they can ask for an explanation and a
/// human review.
#[test]
fn people_decided_about_who_are_not_users_are_told_how_to_get_a_human_review() {
    let ui = Ui::embedded();
    let screening = common::load_text(&common::answers_text("14-resume-screening-saas"));
    for lang in [Lang::En, Lang::Zh] {
        let (md, _) = notice_and_todo(&screening, lang);
        let theirs = section(&md, &ui.get(lang, "docs.privacy.non_users.heading"));
        assert!(
            theirs.contains(&ui.get(lang, "docs.privacy.non_users.decisions")),
            "[{lang}] {theirs}"
        );
        assert!(theirs.contains(&ui.get(lang, "docs.privacy.non_users.who.candidates")));
        // READINGS cause 3: the route to a person is the notice's own contact, no second marker.
        assert!(!theirs.contains("TODO"), "[{lang}] {theirs}");
    }
}

/// READINGS class 4 (05, 02): the channel users reach the service through (a shop's chat window,
/// a mini program) is no third party the users' messages are "provided to" for its own ends: the
/// third-party consent never names it, and its entry says it carries the messages.
#[test]
fn a_channel_is_not_asked_consent_for_as_a_third_party() {
    let ui = Ui::embedded();
    for slug in ["05-ecommerce-cs-saas", "02-kids-reading-miniprogram"] {
        let a = common::load_text(&common::answers_text(slug));
        for lang in [Lang::En, Lang::Zh] {
            let n = with_input(&a, |i| docs::privacy::build(i, lang));
            let channels: Vec<&str> = n
                .recipients
                .iter()
                .filter(|r| r.is_channel)
                .map(|r| r.name.as_str())
                .collect();
            assert!(!channels.is_empty(), "{slug}: no channel");
            for c in &channels {
                assert!(
                    !n.third_party_recipients.contains(c),
                    "{slug} [{lang}]: consent asked for `{c}`"
                );
            }
            let (md, _) = notice_and_todo(&a, lang);
            assert!(
                md.contains(&ui.get(lang, "docs.privacy.role.channel")),
                "{slug} [{lang}]"
            );
        }
    }
}

/// READINGS class 4 (22, 13, 05, 14, 31): a service whose users have no account of their own
/// never speaks of deleting "your account".
#[test]
fn a_service_without_accounts_does_not_mention_deleting_one() {
    let ui = Ui::embedded();
    for slug in [
        "22-shopify-support-refunds",
        "13-xiaohongshu-coze-content-agent",
    ] {
        let a = common::load_text(&common::answers_text(slug));
        for lang in [Lang::En, Lang::Zh] {
            let n = with_input(&a, |i| docs::privacy::build(i, lang));
            assert!(!n.profile.has_accounts, "{slug}");
            let (md, _) = notice_and_todo(&a, lang);
            assert!(
                !md.contains(&ui.get(lang, "docs.privacy.retention.after")),
                "{slug} [{lang}]"
            );
            assert!(
                !md.contains(lead(ui, lang, "docs.privacy.deletion.unshown").as_str()),
                "{slug} [{lang}]"
            );
            assert!(
                md.contains(&ui.get(lang, "docs.privacy.retention.after_no_account"))
                    || md.contains(
                        lead(ui, lang, "docs.privacy.deletion.unshown_no_account").as_str()
                    ),
                "{slug} [{lang}]"
            );
        }
    }
}

/// READINGS class 7 (13, 05): a list of recipients ends with "and", so "Coze (coze.cn), the agent
/// platform we use" never reads as one platform in apposition, and the two languages agree.
#[test]
fn recipient_lists_end_with_and_in_both_languages() {
    let a = common::load_text(&common::answers_text("13-xiaohongshu-coze-content-agent"));
    let (en, _) = notice_and_todo(&a, Lang::En);
    let (zh, _) = notice_and_todo(&a, Lang::Zh);
    assert!(
        en.contains("Coze (coze.cn) and the agent platform we use"),
        "{en}"
    );
    assert!(zh.contains("扣子（coze.cn）和我们使用的智能体平台"), "{zh}");
    assert!(!en.contains("Coze (coze.cn), the agent platform we use"));
}

/// PROSE 21 q2 (issue 14): where the agent keeps a memory of facts or logs and no answer says
/// deletion reaches them, the notice states the right to deletion but never says "we delete your
/// data" nor "close your account and have your data deleted"; the to-do asks to make deletion
/// reach them first. Without such stores the usual promise stands (the rule, not a patch for 21).
#[test]
fn deletion_is_promised_only_where_the_answers_show_it_reaches() {
    let ui = Ui::embedded();
    let companion = common::answers_text("21-ai-companion-app");
    for lang in [Lang::En, Lang::Zh] {
        let (md, todo) = notice_and_todo(&common::load_text(&companion), lang);
        for key in [
            "docs.privacy.retention.after",
            "docs.privacy.retention.after_no_account",
            "docs.privacy.right.delete_account",
        ] {
            let promise = ui.get(lang, key);
            assert!(
                !md.contains(&promise),
                "[{lang}] `{promise}` promised:\n{md}"
            );
        }
        assert!(
            md.contains(&ui.get(lang, "docs.privacy.right.delete")),
            "[{lang}] right dropped"
        );
        assert!(md.contains(&ui.get(lang, "docs.privacy.right.close_account")));
        for store in ["memory", "logs"] {
            let s = ui.get(lang, &format!("docs.privacy.deletion.store.{store}"));
            assert!(md.contains(&s), "[{lang}] `{s}` not named in the notice");
            assert!(todo.contains(&s), "[{lang}] `{s}` not in the to-do");
        }
        assert!(
            todo.contains(lead(ui, lang, "docs.privacy.todo.deletion_reach").as_str()),
            "[{lang}] no deletion to-do:\n{todo}"
        );
        // Logs only (no memory of facts): still no promise, and the memory is not named.
        let logs_only = common::with_answer(&companion, "memory.long_term", "'no'");
        let (md, _) = notice_and_todo(&common::load_text(&logs_only), lang);
        assert!(!md.contains(&ui.get(lang, "docs.privacy.retention.after")));
        assert!(!md.contains(&ui.get(lang, "docs.privacy.deletion.store.memory")));
        // Neither a memory of facts nor logs: deleting the account is shown to delete the data.
        let plain = common::with_answer(&logs_only, "memory.logs_where", "[none]");
        let (md, todo) = notice_and_todo(&common::load_text(&plain), lang);
        assert!(
            md.contains(&ui.get(lang, "docs.privacy.retention.after")),
            "[{lang}]\n{md}"
        );
        assert!(md.contains(&ui.get(lang, "docs.privacy.right.delete_account")));
        assert!(!todo.contains(lead(ui, lang, "docs.privacy.todo.deletion_reach").as_str()));
    }
}

/// PROSE 19 q1 (issue 14): a children's service whose parents only tick a box is not said to
/// collect children's data "only with a parent's verifiable consent (COPPA)": the notice says what
/// COPPA requires with a TODO for the method, and the to-do asks for a real verification first.
/// Once age or a parent's consent is verified (`feature: age_verified`), the notice says so.
#[test]
fn coppa_verifiable_consent_is_claimed_only_when_it_is_verified() {
    let ui = Ui::embedded();
    let kids = common::answers_text("19-kids-homework-ipad");
    for lang in [Lang::En, Lang::Zh] {
        let claim = ui.get(lang, "docs.privacy.shapes.minors_us");
        let requires = lead(ui, lang, "docs.privacy.minors.us_unverified");
        let to_do = ui.get(lang, "docs.privacy.todo.coppa_verify");
        let (md, todo) = notice_and_todo(&common::load_text(&kids), lang);
        assert!(
            !md.contains(&claim),
            "[{lang}] verifiable consent claimed:\n{md}"
        );
        assert!(
            md.contains(&requires),
            "[{lang}] COPPA requirement missing:\n{md}"
        );
        assert!(todo.contains(&to_do), "[{lang}] no COPPA to-do:\n{todo}");
        // The parent signing the child up is still said: it is what is done.
        assert!(md.contains(&ui.get(lang, "docs.privacy.minors.for_children")));
        let verified = common::with_answer(&kids, "compliance.in_place", "[view, age_verified]");
        let (md, todo) = notice_and_todo(&common::load_text(&verified), lang);
        assert!(
            md.contains(&claim),
            "[{lang}] verified consent not said:\n{md}"
        );
        assert!(!md.contains(&requires));
        assert!(!todo.contains(&to_do));
    }
}

/// PROSE 29 q1 (issue 14): people the agent assesses who never use the service (candidates,
/// scraped public profiles) are not told that what it infers about them is processed "only with
/// your separate consent", nor that a contract with them is the basis: what it infers is listed
/// as theirs, the basis is a TODO, and the to-do asks for it. An agent that assesses no one keeps
/// the users' contract basis (the rule follows the answers, not agent 29).
#[test]
fn people_assessed_who_do_not_use_the_service_are_claimed_no_consent_or_contract() {
    let ui = Ui::embedded();
    let sourcing = common::answers_text("29-recruiting-candidate-sourcing");
    let contract_bases = ["answer", "history", "knowledge", "tools"];
    for lang in [Lang::En, Lang::Zh] {
        let a = common::load_text(&sourcing);
        let (md, todo) = notice_and_todo(&a, lang);
        for claim in [
            lead(ui, lang, "docs.privacy.sensitive.body"),
            lead(ui, lang, "docs.privacy.summary.sensitive"),
        ] {
            assert!(!md.contains(&claim), "[{lang}] `{claim}` claimed:\n{md}");
        }
        for id in contract_bases {
            for law in ["cn", "eu"] {
                let basis = ui.get(lang, &format!("docs.privacy.basis.{id}.{law}"));
                assert!(!md.contains(&basis), "[{lang}] `{basis}` claimed:\n{md}");
            }
        }
        assert!(md.contains(&ui.get(lang, "docs.privacy.basis.non_users_answer.eu")));
        let heading = ui.get(lang, "docs.privacy.non_users.heading");
        let inferred = ui.get(lang, "docs.privacy.non_users.data.inferred");
        assert!(
            section(&md, &heading).contains(&inferred),
            "[{lang}] `{inferred}` not under `{heading}`:\n{md}"
        );
        assert!(todo.contains(&ui.get(lang, "docs.privacy.todo.non_users_basis")));
        // The same service for a purpose that assesses no one: the users' contract stands.
        let chat = common::with_answer(&sourcing, "agent.purpose", "customer_service");
        let (md, todo) = notice_and_todo(&common::load_text(&chat), lang);
        assert!(
            md.contains(&ui.get(lang, "docs.privacy.basis.answer.eu")),
            "[{lang}]"
        );
        assert!(!todo.contains(&ui.get(lang, "docs.privacy.todo.non_users_basis")));
    }
}

/// READINGS class 1 (22): a service that uses a conversation only while it lasts, but logs every
/// one of them, never says "we keep a conversation only while it lasts": the summary says a
/// record of each is kept, and for how long (the retention answered).
#[test]
fn the_summary_does_not_deny_the_records_the_answers_show() {
    let ui = Ui::embedded();
    let a = common::load_text(&common::answers_text("22-shopify-support-refunds"));
    for lang in [Lang::En, Lang::Zh] {
        let n = with_input(&a, |i| docs::privacy::build(i, lang));
        let period = n.retention.clone().expect("22 answers the retention");
        let (md, _) = notice_and_todo(&a, lang);
        assert!(
            !md.contains(&ui.get(lang, "docs.privacy.summary.history_session")),
            "[{lang}] {md}"
        );
        let lead = lead(ui, lang, "docs.privacy.summary.history_session_logged");
        let line = md
            .lines()
            .find(|l| l.contains(&lead))
            .unwrap_or_else(|| panic!("[{lang}] no line on the records kept: {md}"));
        assert!(line.contains(&period), "[{lang}] {line}");
    }
}

/// READINGS class 4 (18): software a company installs on its own servers keeps its data there,
/// not "on your device"; the summary says where it runs in words true of a command-line tool and
/// of a self-run server alike, in both languages.
#[test]
fn self_run_software_does_not_say_the_data_stays_on_the_users_device() {
    for slug in [
        "18-opensource-enterprise-kb-support",
        "08-opensource-cli-coding-agent",
    ] {
        let a = common::load_text(&common::answers_text(slug));
        for (lang, device_only, servers) in [
            (
                Lang::En,
                "stay on your device,",
                "your own device or servers",
            ),
            (Lang::Zh, "都留在你的设备上", "服务器"),
        ] {
            let (md, _) = notice_and_todo(&a, lang);
            assert!(!md.contains(device_only), "{slug} [{lang}]");
            let summary = section(
                &md,
                md.lines()
                    .find(|l| l.starts_with("## "))
                    .map_or("", |l| &l[3..]),
            );
            assert!(summary.contains(servers), "{slug} [{lang}]: {summary}");
        }
    }
}

/// READINGS class 5 (02, 05, 14, 22): an agent that decides about people says what it decides as
/// far as the answers say (grades, refunds, job applications), with no "TODO(which decisions)",
/// and how to reach a person to ask for an explanation or a review, in both languages.
#[test]
fn automated_decisions_say_what_is_decided_and_how_to_reach_a_person() {
    let ui = Ui::embedded();
    for (slug, kind) in [
        ("02-kids-reading-miniprogram", "grades_work"),
        ("05-ecommerce-cs-saas", "moves_money"),
        ("14-resume-screening-saas", "screens_people"),
        ("22-shopify-support-refunds", "moves_money"),
    ] {
        let a = common::load_text(&common::answers_text(slug));
        for (lang, route) in [
            (
                Lang::En,
                "to reach a person rather than the agent, use the contact",
            ),
            (
                Lang::Zh,
                "想找真人而不是智能体处理，请通过本政策开头给出的联系方式",
            ),
        ] {
            let (md, _) = notice_and_todo(&a, lang);
            let auto = section(&md, &ui.get(lang, "docs.privacy.auto.heading"));
            assert!(!auto.contains("TODO"), "{slug} [{lang}]: {auto}");
            assert!(
                auto.contains(&ui.get(lang, &format!("docs.privacy.auto.kind.{kind}"))),
                "{slug} [{lang}]: {auto}"
            );
            assert!(
                auto.contains(route),
                "{slug} [{lang}]: no route to a person: {auto}"
            );
        }
    }
}

/// READINGS class 1 (13): a developer who answered that only some AI-generated content carries a
/// visible label is asked to label all of it, not told that nothing is labelled.
#[test]
fn some_labelled_content_is_not_called_unlabelled() {
    let ui = Ui::embedded();
    let a = common::load_text(&common::answers_text("13-xiaohongshu-coze-content-agent"));
    for lang in [Lang::En, Lang::Zh] {
        let (_, todo) = notice_and_todo(&a, lang);
        assert!(
            !todo.contains(&ui.get(lang, "docs.privacy.todo.labels")),
            "[{lang}] {todo}"
        );
        assert!(
            todo.contains(&ui.get(lang, "docs.privacy.todo.labels_some")),
            "[{lang}] {todo}"
        );
    }
}
