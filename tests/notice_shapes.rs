//! The privacy notice follows the delivery shape (issue 14), on field agents' answers rendered with
//! the embedded catalog in both languages: a personal tool gets a note that no public notice is
//! needed yet; self-run software says what reaches its maintainer; an internal tool is an employee
//! notice; a service for business clients is a template in which the client is the handler, with
//! the processing-agreement points and a notice of its own for its clients' contacts after the
//! notice; a hosted service keeps the usual notice. Variants of the answers are made by editing one
//! answer line of a field agent's `answers.yaml` in memory.

mod common;

use common::{KNOWLEDGE, TODAY, answers_text, load_text, notice_and_todo, with_answer};

use agentguard::evaluate;
use agentguard::i18n::Ui;
use agentguard::model::{Assessment, Lang};

fn agent(slug: &str) -> Assessment {
    load_text(&answers_text(slug))
}

/// A locale string with its TODO markers and `{placeholders}` cut out: the fixed words a
/// rendered document must contain when that string is used.
fn fixed(lang: Lang, key: &str) -> Vec<String> {
    let s = Ui::embedded().get(lang, key);
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("TODO(") {
            parts.push(std::mem::take(&mut cur));
            let mut depth = 0usize;
            let mut end = s.len();
            for (at, c) in rest.char_indices().skip(4) {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i + at + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            i = end;
            continue;
        }
        if rest.starts_with('{') {
            parts.push(std::mem::take(&mut cur));
            i = rest.find('}').map_or(s.len(), |e| i + e + 1);
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        cur.push(c);
        i += c.len_utf8();
    }
    parts.push(cur);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| p.chars().count() >= 4)
        .collect()
}

fn assert_says(doc: &str, lang: Lang, key: &str, what: &str) {
    for part in fixed(lang, key) {
        assert!(
            doc.contains(&part),
            "{what} [{lang}] lacks {key} ({part:?}):\n{doc}"
        );
    }
}

fn assert_not_says(doc: &str, lang: Lang, key: &str, what: &str) {
    let parts = fixed(lang, key);
    assert!(!parts.is_empty(), "{key} has no fixed words");
    assert!(
        !parts.iter().all(|p| doc.contains(p.as_str())),
        "{what} [{lang}] says {key}:\n{doc}"
    );
}

const LANGS: [Lang; 2] = [Lang::En, Lang::Zh];

#[test]
fn a_personal_tool_gets_a_note_that_no_public_notice_is_needed_yet() {
    for slug in ["16-local-ollama-diary-frp", "26-personal-coding-agent"] {
        let a = agent(slug);
        for lang in LANGS {
            let (notice, todo) = notice_and_todo(&a, lang);
            // A tool that sends clients' data says so instead of calling it private use.
            let no_notice = if slug.starts_with("26-") {
                "docs.privacy.personal.no_notice.clients"
            } else {
                "docs.privacy.personal.no_notice.body"
            };
            for key in [no_notice, "docs.privacy.personal.others.body"] {
                assert_says(&notice, lang, key, slug);
            }
            // Not a notice to users: no operator, no rights, no effective date.
            for key in [
                "docs.privacy.who.body",
                "docs.privacy.rights.how",
                "docs.privacy.effective",
            ] {
                assert_not_says(&notice, lang, key, slug);
            }
            // The to-do names what to answer once others use it.
            assert_says(&todo, lang, "docs.privacy.todo.personal_others", slug);
        }
    }
    // Where the data goes: the provider the developer uses, with its sourced training fact.
    let (notice, _) = notice_and_todo(&agent("26-personal-coding-agent"), Lang::En);
    assert!(notice.contains("**Anthropic API (Claude)**"), "{notice}");
    assert!(
        notice.contains("does not use your data to train its models"),
        "{notice}"
    );
}

#[test]
fn an_internal_tool_gets_an_employee_notice() {
    // Who inside reads the records is no longer asked (catalog v11 folded that question into
    // "people outside my team can read them"), so the notice names readers only when outsiders do.
    for (slug, outsiders) in [
        ("13-xiaohongshu-coze-content-agent", false),
        ("31-accounting-invoice-automation", false),
        ("13-xiaohongshu-coze-content-agent", true),
    ] {
        let text = answers_text(slug);
        let a = if outsiders {
            load_text(&with_answer(
                &text,
                "memory.logs_where",
                "[platform_console, outsiders_read]",
            ))
        } else {
            load_text(&text)
        };
        for lang in LANGS {
            let (notice, todo) = notice_and_todo(&a, lang);
            let title = notice.lines().next().unwrap_or_default();
            assert!(
                title.contains(if lang == Lang::En {
                    "Privacy notice for employees"
                } else {
                    "员工个人信息告知"
                }),
                "{slug} [{lang}] {title}"
            );
            // PIPL's "handler" only for users in mainland China (31's are in the US).
            let who = if slug.starts_with("31-") {
                "docs.privacy.internal.who_general"
            } else {
                "docs.privacy.internal.who"
            };
            assert_says(&notice, lang, who, slug);
            assert_says(&notice, lang, "docs.privacy.internal.summary", slug);
            if outsiders {
                assert_says(
                    &notice,
                    lang,
                    "docs.privacy.internal.readers.outsiders",
                    slug,
                );
            } else {
                assert_not_says(
                    &notice,
                    lang,
                    "docs.privacy.internal.readers.outsiders",
                    slug,
                );
            }
            // "we" is the company: no consumer wording for the purposes, no operator of a
            // public service.
            for key in [
                "docs.privacy.who.body",
                "docs.privacy.purpose.answer",
                "docs.privacy.purpose.marketing",
            ] {
                assert_not_says(&notice, lang, key, slug);
            }
            // The purposes are the company's (the main one is worded by what the tool does).
            assert_says(
                &notice,
                lang,
                "docs.privacy.internal.purpose.security",
                slug,
            );
            assert_says(&todo, lang, "docs.privacy.todo.internal_publish", slug);
        }
    }
}

#[test]
fn a_service_for_business_clients_gets_a_template_the_client_adapts() {
    for slug in [
        "05-ecommerce-cs-saas",
        "14-resume-screening-saas",
        "20-school-language-tutor",
        "24-dental-phone-receptionist",
        "29-recruiting-candidate-sourcing",
    ] {
        let a = agent(slug);
        for lang in LANGS {
            let (notice, todo) = notice_and_todo(&a, lang);
            // The client is the handler; the developer's service works on its behalf.
            assert_says(&notice, lang, "docs.privacy.processor.who", slug);
            assert_says(&notice, lang, "docs.privacy.processor.title", slug);
            // Never "we (the developer) decide how your data is used".
            assert_not_says(&notice, lang, "docs.privacy.who.body", slug);
            // The processing-agreement points and the developer's own short notice follow the
            // notice, for the developer.
            for key in [
                "docs.privacy.processor.dpa.heading",
                "docs.privacy.processor.dpa.instructions",
                "docs.privacy.processor.dpa.end",
                "docs.privacy.processor.contacts.text",
                "docs.privacy.todo.processor_template",
            ] {
                assert_says(&todo, lang, key, slug);
                assert_not_says(&notice, lang, key, slug);
            }
            // The processor's own use is only stated when the answers show it.
            assert_not_says(&notice, lang, "docs.privacy.processor.own_use", slug);
        }
    }
    let (notice, todo) = notice_and_todo(&agent("05-ecommerce-cs-saas"), Lang::En);
    assert!(
        notice.contains("we use 店小智, provided by TODO("),
        "{notice}"
    );
    assert!(
        todo.contains("the services you pass the data to (Moonshot Kimi, Zhipu GLM"),
        "{todo}"
    );
    let (notice, _) = notice_and_todo(&agent("05-ecommerce-cs-saas"), Lang::Zh);
    assert!(notice.contains("提供的店小智，它受我们委托"), "{notice}");
}

#[test]
fn a_processor_that_trains_on_client_data_is_told_it_is_a_handler_for_that_use() {
    let text = with_answer(
        &answers_text("05-ecommerce-cs-saas"),
        "data.other_uses",
        "[train_own]",
    );
    let a = load_text(&text);
    for lang in LANGS {
        let (notice, todo) = notice_and_todo(&a, lang);
        assert_says(
            &notice,
            lang,
            "docs.privacy.processor.own_use",
            "05+train_own",
        );
        // The client does not train "our own models": the service does, on its own account.
        assert_not_says(
            &notice,
            lang,
            "docs.privacy.purpose.train_own",
            "05+train_own",
        );
        assert_says(
            &todo,
            lang,
            "docs.privacy.processor.dpa.own_use",
            "05+train_own",
        );
        assert_says(
            &todo,
            lang,
            "docs.privacy.todo.processor_own_use",
            "05+train_own",
        );
    }
    let (notice, _) = notice_and_todo(&a, Lang::En);
    assert!(notice.contains("training its AI models"), "{notice}");
    // And the checklist has the finding.
    let today = agentguard::util::parse_date(TODAY).expect("date");
    let f = evaluate(&KNOWLEDGE, &a, today);
    let ids: Vec<&str> = f
        .findings
        .iter()
        .map(|x| KNOWLEDGE.catalog.threats[x.threat].id.as_str())
        .collect();
    assert!(ids.contains(&"processor-own-use-of-client-data"), "{ids:?}");
    let plain = evaluate(&KNOWLEDGE, &agent("05-ecommerce-cs-saas"), today);
    assert!(
        !plain
            .findings
            .iter()
            .any(|x| KNOWLEDGE.catalog.threats[x.threat].id == "processor-own-use-of-client-data"),
        "fires without an own use"
    );
}

#[test]
fn self_run_software_says_what_reaches_its_maintainer() {
    // MoCode: crash reports and usage statistics on by default; users' keys and providers.
    let a = agent("08-opensource-cli-coding-agent");
    for lang in LANGS {
        let (notice, todo) = notice_and_todo(&a, lang);
        for key in [
            "docs.privacy.self_run.summary.runs",
            "docs.privacy.self_run.who",
            "docs.privacy.self_run.receives.logs",
            "docs.privacy.self_run.receives.analytics",
            "docs.privacy.self_run.providers.body",
        ] {
            assert_says(&notice, lang, key, "08");
        }
        for key in [
            "docs.privacy.self_run.receives.identifiers",
            "docs.privacy.self_run.receives.nothing",
            "docs.privacy.who.body",
        ] {
            assert_not_says(&notice, lang, key, "08");
        }
        // The providers its users configure are theirs: no consent dialogs, no location checks.
        assert_not_says(&todo, lang, "docs.privacy.consent.intro", "08");
        assert_not_says(&todo, lang, "docs.privacy.todo.cn_location", "08");
    }
    // Requests pass through the maintainer's server or support logs: "we do not see them" would
    // be false.
    let (notice, _) = notice_and_todo(&agent("18-opensource-enterprise-kb-support"), Lang::En);
    assert!(notice.contains("when it checks for updates"), "{notice}");
    assert!(!notice.contains("we do not see them"), "{notice}");
    // Nothing reaches the maintainer: said so, and no contact person to appoint.
    let text = with_answer(
        &answers_text("08-opensource-cli-coding-agent"),
        "users.maintainer_receives",
        "[none]",
    );
    let a = load_text(&text);
    for lang in LANGS {
        let (notice, todo) = notice_and_todo(&a, lang);
        assert_says(
            &notice,
            lang,
            "docs.privacy.self_run.receives.nothing",
            "08+none",
        );
        assert_not_says(
            &notice,
            lang,
            "docs.privacy.self_run.receives.use",
            "08+none",
        );
        assert_not_says(&todo, lang, "docs.privacy.todo.cn_contact", "08+none");
    }
    // Not answered: a marker, never "nothing".
    let text = with_answer(
        &answers_text("08-opensource-cli-coding-agent"),
        "users.maintainer_receives",
        "not_sure",
    );
    let (notice, todo) = notice_and_todo(&load_text(&text), Lang::En);
    assert!(
        notice.contains("TODO(what the software sends to us"),
        "{notice}"
    );
    assert_says(
        &todo,
        Lang::En,
        "docs.privacy.todo.self_run_receives",
        "08+not_sure",
    );
}

#[test]
fn a_hosted_service_keeps_the_notice_to_its_users() {
    for slug in ["02-kids-reading-miniprogram", "12-feishu-text-to-sql-sales"] {
        let a = agent(slug);
        for lang in LANGS {
            let (notice, _) = notice_and_todo(&a, lang);
            assert_says(&notice, lang, "docs.privacy.who.body", slug);
            for key in [
                "docs.privacy.processor.who",
                "docs.privacy.internal.who",
                "docs.privacy.self_run.who",
                "docs.privacy.personal.no_notice.body",
            ] {
                assert_not_says(&notice, lang, key, slug);
            }
        }
    }
}

#[test]
fn the_fixed_words_helper_cuts_markers_and_placeholders() {
    assert_eq!(
        fixed(Lang::En, "docs.privacy.processor.own_use"),
        [
            "also uses your personal information for purposes of its own:",
            ". For that use it does not act on our behalf but decides for itself, as a separate handler:",
            ". It does so only with your separate consent."
        ]
    );
}
