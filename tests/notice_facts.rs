//! The notice JSON states no fact its text does not (issue 14, "Measurable"): for every agent of
//! the field set (`tests/field/agents/<slug>/answers.yaml`) and every example
//! (`examples/*.yaml`), with the embedded catalog, the privacy notice is rendered in English and
//! Chinese, and each fact of its `facts` array must have its sentence in the Markdown (under its
//! heading). The check is shown to fail: a notice with a sentence removed, and a template that
//! drops a section, both leave facts unstated.

mod common;

use common::{KNOWLEDGE, TODAY, answers_text, load_file, load_text, with_answer};

use std::path::{Path, PathBuf};

use agentguard::docs::facts::{self, FactKind};
use agentguard::docs::privacy::{self, PrivacyNotice};
use agentguard::docs::{self, Doc, Format, Input, Templates};
use agentguard::i18n::Ui;
use agentguard::model::{Assessment, Knowledge, Lang};
use agentguard::{Sources, evaluate, load};

fn today() -> i64 {
    agentguard::util::parse_date(TODAY).expect("date")
}

/// Every field agent's answers and every example assessment, by name.
fn assessments() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, PathBuf)> = Vec::new();
    for e in std::fs::read_dir(root.join("tests/field/agents"))
        .expect("tests/field/agents")
        .filter_map(Result::ok)
    {
        let p = e.path().join("answers.yaml");
        if p.exists() {
            out.push((e.file_name().to_string_lossy().into_owned(), p));
        }
    }
    for e in std::fs::read_dir(root.join("examples"))
        .expect("examples")
        .filter_map(Result::ok)
    {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.extension().is_some_and(|x| x == "yaml") && !name.ends_with(".expect.yaml") {
            out.push((format!("examples/{name}"), p));
        }
    }
    out.sort();
    out
}

/// The notice model, its Markdown (the notice only, without the to-do list) and its JSON.
fn outputs(
    templates: &Templates<'_>,
    k: &Knowledge,
    a: &Assessment,
    lang: Lang,
) -> (PrivacyNotice, String, serde_json::Value) {
    let findings = evaluate(k, a, today());
    let input = Input {
        knowledge: k,
        assessment: a,
        findings: &findings,
        ui: Ui::embedded(),
        file: "agentguard.yaml",
        today: today(),
    };
    let md = docs::render(templates, Doc::Privacy, Format::Md, &input, &[lang]).expect("render");
    let json = docs::privacy_json(&input, &[lang]).expect("json");
    let json: serde_json::Value = serde_json::from_str(&json).expect("json parses");
    (privacy::build(&input, lang), md, json)
}

fn codes(json: &serde_json::Value) -> Vec<String> {
    json["facts"]
        .as_array()
        .expect("facts array")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn every_fact_in_the_json_is_stated_in_the_markdown_in_both_languages() {
    let k = &*KNOWLEDGE;
    let templates = Templates::embedded(Ui::embedded()).expect("templates");
    let all = assessments();
    assert!(all.len() >= 30, "only {} assessments", all.len());
    let mut problems = Vec::new();
    let mut seen: Vec<FactKind> = Vec::new();
    let mut total = 0;
    for (name, path) in &all {
        let a = load_file(path);
        let mut per_lang = Vec::new();
        for lang in [Lang::En, Lang::Zh] {
            let (notice, md, json) = outputs(&templates, k, &a, lang);
            let json_codes = codes(&json);
            let model_codes: Vec<String> = notice.facts.iter().map(|f| f.code.clone()).collect();
            assert_eq!(
                json_codes, model_codes,
                "{name} {lang:?}: JSON and model differ"
            );
            assert!(!notice.facts.is_empty(), "{name} {lang:?}: no facts");
            for f in facts::unstated(&notice.facts, &md) {
                problems.push(format!(
                    "{name} {lang:?}: `{}` has no sentence: {:?}",
                    f.code, f.statement
                ));
            }
            for f in &notice.facts {
                if !seen.contains(&f.fact) {
                    seen.push(f.fact);
                }
                for r in &f.references {
                    assert!(
                        k.catalog.reference_by_id.contains_key(r),
                        "{name}: `{}` cites {r}, which catalog/references.yaml lacks",
                        f.code
                    );
                }
            }
            total += notice.facts.len();
            per_lang.push(json_codes);
        }
        // The facts are the answers', not the language's.
        assert_eq!(
            per_lang[0], per_lang[1],
            "{name}: en and zh state different facts"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!(
        "{} assessments x 2 languages: {total} facts stated, {} of {} kinds seen",
        all.len(),
        seen.len(),
        FactKind::ALL.len()
    );
    // The field set exercises most of the vocabulary; a kind never seen would be untested here.
    for kind in [
        FactKind::Recipient,
        FactKind::Location,
        FactKind::Transfer,
        FactKind::Retention,
        FactKind::Children,
        FactKind::Right,
        FactKind::Data,
    ] {
        assert!(seen.contains(&kind), "no assessment states a {kind:?} fact");
    }
}

/// The first field agent whose notice names a recipient with a location and children's rules.
fn rich_agent() -> (Assessment, PrivacyNotice, String) {
    let k = &*KNOWLEDGE;
    let templates = Templates::embedded(Ui::embedded()).expect("templates");
    for (_, path) in assessments() {
        let a = load_file(&path);
        let (notice, md, _) = outputs(&templates, k, &a, Lang::En);
        let has = |kind| notice.facts.iter().any(|f| f.fact == kind);
        if has(FactKind::Location) && has(FactKind::Children) && has(FactKind::Transfer) {
            return (a, notice, md);
        }
    }
    panic!("no field agent states a location, a transfer and children's rules");
}

#[test]
fn a_removed_sentence_leaves_its_fact_unstated() {
    let (_, notice, md) = rich_agent();
    assert!(facts::unstated(&notice.facts, &md).is_empty());
    for kind in [FactKind::Location, FactKind::Transfer, FactKind::Children] {
        let f = notice.facts.iter().find(|f| f.fact == kind).expect("fact");
        let text = &f.statement.texts[0];
        let cut: String = md
            .lines()
            .filter(|l| !l.contains(text.as_str()))
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(cut, md, "{}: its sentence was not in the notice", f.code);
        let missing: Vec<&str> = facts::unstated(&notice.facts, &cut)
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        assert!(
            missing.contains(&f.code.as_str()),
            "removing {text:?} left {} stated",
            f.code
        );
    }
}

#[test]
fn a_sentence_under_another_heading_does_not_count() {
    let (_, notice, md) = rich_agent();
    let f = notice
        .facts
        .iter()
        .find(|f| f.fact == FactKind::Location)
        .expect("a location fact");
    // The same sentence moved under a made-up heading of the same level is not the recipient's.
    let moved = md.replace(&f.statement.section, "### Somebody else");
    assert!(
        facts::unstated(&notice.facts, &moved)
            .iter()
            .any(|x| x.code == f.code)
    );
}

#[test]
fn a_template_without_a_section_fails_the_check() {
    let (a, notice, _) = rich_agent();
    let k = &*KNOWLEDGE;
    let embedded = Sources::embedded();
    let rel = "templates/privacy.md.hbs";
    let original = String::from_utf8(embedded.get(rel).expect("template").bytes.to_vec())
        .expect("utf-8 template");
    // Drop the children section (with the block that shows it), as a template override might.
    let start = original
        .find("{{#if children_section}}\n## {{t \"docs.privacy.minors.heading\"}}")
        .expect("children heading");
    let end = original
        .find("## {{t \"docs.privacy.auto.heading\"}}")
        .expect("next heading");
    let mut sources = Sources::embedded();
    sources.insert(
        rel,
        format!("{}{}", &original[..start], &original[end..]).into_bytes(),
    );
    let templates = Templates::new(Ui::embedded(), &sources).expect("templates");
    let (_, md, _) = outputs(&templates, k, &a, Lang::En);
    let missing: Vec<&FactKind> = facts::unstated(&notice.facts, &md)
        .iter()
        .map(|f| &f.fact)
        .collect();
    assert!(!missing.is_empty());
    assert!(
        missing.iter().all(|k| **k == FactKind::Children),
        "{missing:?}"
    );
}

/// The fixture catalog with the vendor questions (tests/fixtures/docs-extra/questionnaires).
fn fixture_with(file: &str, edit: impl Fn(&str) -> String) -> Result<Knowledge, String> {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/mini")).expect("mini");
    s.overlay(Path::new("tests/fixtures/docs-extra"))
        .expect("docs-extra");
    let text = String::from_utf8(s.get(file).expect(file).bytes.to_vec()).expect("utf-8");
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit must change {file}");
    s.insert(file, edited.into_bytes());
    load::knowledge(&s)
        .map(|(k, _)| k)
        .map_err(|d| format!("{d:?}"))
}

#[test]
fn a_retains_target_must_be_an_earlier_question_with_recipients() {
    let file = "questionnaires/06-vendors.yaml";
    let good = fixture_with(file, |t| t.replace("at most 7 days", "at most a week"));
    let k = good.expect("the fixture loads");
    let q = k
        .questionnaire
        .question("vendors.speech_retention")
        .expect("retention question");
    assert_eq!(q.retains, k.questionnaire.index("vendors.speech"));
    for bad in ["data.categories", "no.such_question"] {
        let r = fixture_with(file, |t| {
            t.replace("retains: vendors.speech}", &format!("retains: {bad}}}"))
        });
        let Err(d) = r else {
            panic!("retains: {bad} must be rejected");
        };
        assert!(d.contains("E0124"), "{bad}: {d}");
    }
}

// The facts follow the delivery shape (issue 14): each shape's key facts are there, and the
// hosted notice's claims that the shaped document does not make are not.

/// The fact codes of `a`'s notice in both languages (checked equal and all stated), and the
/// English Markdown.
fn shape_codes(what: &str, a: &Assessment) -> (Vec<String>, String) {
    let templates = Templates::embedded(Ui::embedded()).expect("templates");
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let (notice, md, json) = outputs(&templates, &KNOWLEDGE, a, lang);
        let unstated: Vec<&str> = facts::unstated(&notice.facts, &md)
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        assert!(
            unstated.is_empty(),
            "{what} {lang:?}: unstated {unstated:?}"
        );
        out.push((codes(&json), md));
    }
    assert_eq!(out[0].0, out[1].0, "{what}: en and zh differ");
    out.swap_remove(0)
}

fn assert_has(what: &str, codes: &[String], want: &[&str]) {
    for w in want {
        assert!(
            codes.iter().any(|c| c == w),
            "{what}: no `{w}` in {codes:?}"
        );
    }
}

fn assert_lacks(what: &str, codes: &[String], prefixes: &[&str]) {
    for p in prefixes {
        assert!(
            !codes.iter().any(|c| c.starts_with(p)),
            "{what}: `{p}…` in {codes:?}"
        );
    }
}

/// A statement of `key` under `section` (both locale keys, English).
fn en_statement(section: &str, key: &str) -> facts::Statement {
    let ui = Ui::embedded();
    facts::Statement {
        section: format!("## {}", ui.get(Lang::En, section)),
        texts: vec![ui.get(Lang::En, key)],
    }
}

#[test]
fn a_personal_tool_states_that_no_notice_is_needed_and_no_rights() {
    for slug in ["16-local-ollama-diary-frp", "26-personal-coding-agent"] {
        let (codes, md) = shape_codes(slug, &agent_of(slug));
        assert_has(slug, &codes, &["shape:personal", "notice_needed:no"]);
        assert_lacks(
            slug,
            &codes,
            &[
                "right:",
                "self_service:",
                "who_we_are:",
                "role:",
                "children:",
                "security:",
                "ai_disclosure:",
                "purpose:",
            ],
        );
        // What the hosted notice would claim is not in the note.
        let s = en_statement("docs.privacy.rights.heading", "docs.privacy.rights.intro");
        assert!(!facts::is_stated(&s, &md), "{slug}: {md}");
    }
    let (codes, _) = shape_codes("26", &agent_of("26-personal-coding-agent"));
    assert_has("26", &codes, &["training:anthropic=no"]);
    assert!(
        codes.iter().any(|c| c.starts_with("recipient:anthropic=")),
        "{codes:?}"
    );
}

#[test]
fn a_business_client_template_states_the_processor_template_role_not_controller() {
    for slug in [
        "05-ecommerce-cs-saas",
        "14-resume-screening-saas",
        "20-school-language-tutor",
        "24-dental-phone-receptionist",
        "29-recruiting-candidate-sourcing",
    ] {
        let (codes, md) = shape_codes(slug, &agent_of(slug));
        assert_has(
            slug,
            &codes,
            &[
                "shape:business_clients",
                "who_we_are:client",
                "role:processor_template",
            ],
        );
        assert_lacks(
            slug,
            &codes,
            &["role:controller", "who_we_are:operator", "own_use:"],
        );
        // The hosted notice's "we decide how your personal information is used" is not there.
        let s = en_statement("docs.privacy.who.heading", "docs.privacy.who.body");
        assert!(!facts::is_stated(&s, &md), "{slug}");
    }
    // The service's own use of its clients' data is a fact of its own, not a client purpose.
    let text = with_answer(
        &answers_text("05-ecommerce-cs-saas"),
        "data.other_uses",
        "[train_own]",
    );
    let (codes, _) = shape_codes("05+train_own", &load_text(&text));
    assert_has("05+train_own", &codes, &["own_use:train_own"]);
    assert_lacks(
        "05+train_own",
        &codes,
        &["purpose:train_own", "role:controller"],
    );
}

#[test]
fn an_internal_tool_states_employees_and_the_company_as_controller() {
    let templates = Templates::embedded(Ui::embedded()).expect("templates");
    for slug in [
        "13-xiaohongshu-coze-content-agent",
        "31-accounting-invoice-automation",
    ] {
        let a = agent_of(slug);
        let (codes, _) = shape_codes(slug, &a);
        assert_has(
            slug,
            &codes,
            &[
                "shape:internal",
                "audience:employees",
                "who_we_are:employer",
                "role:controller",
                "purpose:answer",
            ],
        );
        assert_lacks(
            slug,
            &codes,
            &["who_we_are:operator", "role:processor_template"],
        );
        // Who reads the records: a fact exactly when the shape knows it (and so renders it).
        let (_, _, json) = outputs(&templates, &KNOWLEDGE, &a, Lang::En);
        let readers: Vec<String> = json["shape"]["readers"]
            .as_str()
            .map(|r| vec![format!("readers:{r}")])
            .unwrap_or_default();
        let stated: Vec<String> = codes
            .iter()
            .filter(|c| c.starts_with("readers:"))
            .cloned()
            .collect();
        assert_eq!(stated, readers, "{slug}");
    }
}

#[test]
fn self_run_software_states_what_reaches_the_maintainer() {
    let slug = "08-opensource-cli-coding-agent";
    let (codes, _) = shape_codes(slug, &agent_of(slug));
    assert_has(
        slug,
        &codes,
        &[
            "shape:self_run",
            "who_we_are:maintainer",
            "maintainer_receives:logs",
            "maintainer_receives:analytics",
            "user_providers:own_terms",
            "ai_disclosure:generated",
        ],
    );
    // The users' providers are theirs: no recipients, transfers, rights or roles of ours.
    assert_lacks(
        slug,
        &codes,
        &[
            "maintainer_receives:none",
            "recipient:",
            "transfer:",
            "right:",
            "role:",
            "children:",
        ],
    );
    let text = with_answer(&answers_text(slug), "users.maintainer_receives", "[none]");
    let (codes, _) = shape_codes("08+none", &load_text(&text));
    assert_has("08+none", &codes, &["maintainer_receives:none"]);
    assert_lacks("08+none", &codes, &["maintainer_receives:logs"]);
    // Not answered: a marker in the notice, never a fact.
    let text = with_answer(&answers_text(slug), "users.maintainer_receives", "not_sure");
    let (codes, _) = shape_codes("08+not_sure", &load_text(&text));
    assert_lacks("08+not_sure", &codes, &["maintainer_receives:"]);
}

#[test]
fn a_hosted_service_states_the_operator_as_controller() {
    for slug in ["02-kids-reading-miniprogram", "12-feishu-text-to-sql-sales"] {
        let (codes, _) = shape_codes(slug, &agent_of(slug));
        assert_has(
            slug,
            &codes,
            &[
                "who_we_are:operator",
                "role:controller",
                "security:measures",
            ],
        );
        assert_lacks(
            slug,
            &codes,
            &[
                "role:processor_template",
                "notice_needed:",
                "audience:",
                "maintainer_receives:",
            ],
        );
        assert!(
            codes.iter().any(|c| c == "shape:hosted")
                || !codes.iter().any(|c| c.starts_with("shape:")),
            "{slug}: {codes:?}"
        );
    }
}

fn agent_of(slug: &str) -> Assessment {
    load_text(&answers_text(slug))
}

#[test]
fn a_complaint_to_a_data_protection_authority_is_offered_only_where_one_exists() {
    // 22 serves US users only; 02 mainland China; 28 the EU.
    let (us, _) = shape_codes(
        "22-shopify-support-refunds",
        &agent_of("22-shopify-support-refunds"),
    );
    assert_lacks("22-shopify-support-refunds", &us, &["right:complain"]);
    for slug in ["02-kids-reading-miniprogram", "28-gmail-reply-assistant"] {
        let (codes, _) = shape_codes(slug, &agent_of(slug));
        assert_has(slug, &codes, &["right:complain"]);
    }
}

// Every recipient (issue 14): the vendors the answers name by their kind (hosting, database,
// storage, logging, e-mail, payment, analytics SDKs, another service) are listed like the model
// providers, with what they receive, their role and where they are as answered.

#[test]
fn every_vendor_the_answers_name_is_a_recipient_with_its_answered_place() {
    let ui = Ui::embedded();
    // 19 serves US users; its vendors are all in the US (`platform.vendor_region: us`).
    let slug = "19-kids-homework-ipad";
    let (codes, md) = shape_codes(slug, &agent_of(slug));
    for kind in [
        "hosting",
        "database",
        "storage",
        "logging",
        "analytics_sdk",
        "payment",
    ] {
        assert_has(
            slug,
            &codes,
            &[
                &format!("recipient:{kind}={kind}"),
                &format!("location:{kind}=us"),
                &format!("recipient_role:{kind}=processor"),
            ],
        );
        let heading = format!(
            "### {}",
            ui.get(Lang::En, &format!("docs.privacy.unnamed_heading.{kind}"))
        );
        assert!(md.contains(&heading), "{slug}: no `{heading}`");
    }
    // Vendors process on the operator's behalf: they do not make a model provider's training
    // "possible".
    assert_lacks(
        slug,
        &codes,
        &["training:hosting", "recipient_role:hosting=own_use"],
    );

    // 28 serves EU users: vendors in the US are transfers out of the EU, the inbox is a recipient.
    let slug = "28-gmail-reply-assistant";
    let (codes, _) = shape_codes(slug, &agent_of(slug));
    assert_has(
        slug,
        &codes,
        &[
            "recipient:hosting=hosting",
            "location:hosting=us",
            "transfer:hosting=eu",
            "transfer:logging=eu",
            "recipient:mailbox=email",
        ],
    );

    // 22 left the vendors' region open: no location is claimed for them; "another service" is
    // named as such.
    let slug = "22-shopify-support-refunds";
    let (codes, md) = shape_codes(slug, &agent_of(slug));
    assert_has(
        slug,
        &codes,
        &[
            "recipient:payment=payment",
            "recipient:other_vendor=other_service",
        ],
    );
    assert_lacks(slug, &codes, &["location:payment", "location:other_vendor"]);
    let heading = format!(
        "### {}",
        ui.get(Lang::En, "docs.privacy.unnamed_heading.other_service")
    );
    assert!(md.contains(&heading), "{slug}: no `{heading}`");
}

#[test]
fn a_provider_sourced_place_and_period_are_stated_under_its_entry() {
    // 34: OpenAI, whose sources place it in the US and give 30 days of abuse-monitoring logs.
    let slug = "34-discord-game-npc-moderation";
    let (codes, md) = shape_codes(slug, &agent_of(slug));
    assert_has(
        slug,
        &codes,
        &[
            "location:openai=us",
            "provider_retention:openai=yes",
            "retention:openai=up_to_30d",
        ],
    );
    let ui = Ui::embedded();
    let days = ui.fmt(
        Lang::En,
        "docs.privacy.retention_fact.days",
        &[("days", "30".into())],
    );
    assert!(md.contains(&days), "{slug}: no `{days}`");
    // 33 serves EU users with DeepSeek: its sources place it in mainland China, which the notice
    // says rather than only "outside the EU/EEA".
    let slug = "33-github-triage-app";
    let (codes, _) = shape_codes(slug, &agent_of(slug));
    assert_has(
        slug,
        &codes,
        &["location:deepseek=cn_mainland", "transfer:deepseek=eu"],
    );
    assert_lacks(slug, &codes, &["location:deepseek=outside_eu"]);
}

#[test]
fn a_provider_place_or_period_needs_a_source_and_a_known_word() {
    let file = "catalog/providers.yaml";
    let with = |field: &str| {
        let field = field.to_string();
        move |t: &str| {
            t.replacen(
                "    facts:\n      may_train_on_inputs: {value: \"no\"",
                &format!("    {field}\n    facts:\n      may_train_on_inputs: {{value: \"no\""),
                1,
            )
        }
    };
    let k = fixture_with(
        file,
        with("located: {value: us, source: fixture, checked: 2026-11-26}"),
    )
    .expect("a sourced place loads");
    let alpha = &k.catalog.providers[k.catalog.provider_by_id["alpha"]];
    assert_eq!(
        alpha.located.as_ref().map(|l| l.value.code()),
        Some("us".to_string())
    );
    let k = fixture_with(
        file,
        with("keeps_for: {days: 30, source: fixture, checked: 2026-11-26}"),
    )
    .expect("a sourced period loads");
    let alpha = &k.catalog.providers[k.catalog.provider_by_id["alpha"]];
    assert_eq!(alpha.keeps_for.as_ref().map(|l| l.days), Some(30));
    let Err(d) = fixture_with(
        file,
        with("located: {value: us, source: \" \", checked: 2026-11-26}"),
    ) else {
        panic!("a place without a source must be rejected");
    };
    assert!(d.contains("E0305"), "{d}");
    assert!(
        fixture_with(
            file,
            with("located: {value: mars, source: fixture, checked: 2026-11-26}")
        )
        .is_err(),
        "a place outside the location words must be rejected"
    );
}

#[test]
fn people_who_are_not_users_are_told_their_data_is_handled_and_how_to_object() {
    // 09 summarises WeChat groups (other members' messages); 19 handles only its users' data.
    let slug = "09-wechat-group-summary-bot";
    let (codes, md) = shape_codes(slug, &agent_of(slug));
    assert_has(slug, &codes, &["non_users:handled", "non_users:rights"]);
    let heading = format!(
        "## {}",
        Ui::embedded().get(Lang::En, "docs.privacy.non_users.heading")
    );
    assert!(md.contains(&heading), "{slug}: no `{heading}`");
    let slug = "19-kids-homework-ipad";
    let a = agent_of(slug);
    let (codes, md) = shape_codes(slug, &a);
    assert_lacks(slug, &codes, &["non_users:"]);
    assert!(
        !md.contains(&heading),
        "{slug}: `{heading}` without non-users"
    );
}
