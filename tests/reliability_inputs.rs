//! Hostile and malformed inputs (issue 12). Each test names the item it covers; each failed on
//! the code before the fix (commit 9eaecb5).

use std::path::Path;
use std::time::{Duration, Instant};

use agentguard::i18n::Ui;
use agentguard::model::{Knowledge, Lang};
use agentguard::{Sources, load};

const KEY: &str = "sk-proj-Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2gHi3jKl";
const ZHIPU: &str = "6dc6250f248ab34401d1e974424755b1.auuRSiYueq7Mvc6m";
const LTAI: &str = "LTAI5tAb3dEf9hIj2lMn4pQr";

fn mini() -> Knowledge {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/mini")).expect("mini");
    s.overlay(Path::new("tests/fixtures/docs-extra"))
        .expect("docs-extra");
    match load::knowledge(&s) {
        Ok((k, _)) => k,
        Err(d) => panic!("fixture invalid: {d:#?}"),
    }
}

const HEAD: &str = "schema_version: 1\ncatalog_version: 1\nlang: en\n";

/// Every problem, rendered as the user reads it, in both languages.
fn messages(k: &Knowledge, yaml: &str) -> Vec<(String, String)> {
    let ui = Ui::embedded();
    match load::assessment("a.yaml", yaml.as_bytes(), k) {
        Ok(_) => Vec::new(),
        Err(d) => {
            d.0.iter()
                .flat_map(|x| {
                    [Lang::En, Lang::Zh]
                        .map(|l| (x.code.to_string(), x.render(ui, l)))
                        .into_iter()
                })
                .collect()
        }
    }
}

fn codes(k: &Knowledge, yaml: &str) -> Vec<String> {
    let mut c: Vec<String> = messages(k, yaml).into_iter().map(|(c, _)| c).collect();
    c.dedup();
    c
}

// ---- item 12: merge-key bombs ---------------------------------------------------------------

fn merge_bomb(levels: usize) -> String {
    let mut s = format!(
        "{HEAD}answers:\n  a0: &a0 {{k0: 1, k1: 2, k2: 3, k3: 4, k4: 5, k5: 6, k6: 7, k7: 8, k8: 9, k9: 10}}\n"
    );
    for i in 1..levels {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        s.push_str(&format!("  a{i}: &a{i} {{<<: [{refs}], y{i}: 1}}\n"));
    }
    s
}

#[test]
fn item12_merge_key_bomb_is_refused_early() {
    for levels in [5, 6, 8, 12] {
        let s = merge_bomb(levels);
        let t = Instant::now();
        let e = load::parse_yaml::<serde_json::Value>("bomb.yaml", s.as_bytes())
            .expect_err("a merge-key bomb is refused");
        let took = t.elapsed();
        assert_eq!(e.code, "E0005", "{levels} levels: {e:?}");
        assert!(e.span.line >= 1 && e.span.col >= 1);
        // The event budget (E0005) is what refuses it; without it 12 levels would expand to 10^12
        // nodes and never finish. The bound is generous on purpose (CI shares 2 cores with other
        // work, and timing is measured in benches, not asserted tightly here): before the fix the
        // 5-level bomb took 1-2 s and 350 MB in a release build.
        assert!(
            took < Duration::from_secs(5),
            "{levels} levels refused after {took:?}"
        );
        let t = Instant::now();
        assert!(load::parse_assessment("bomb.yaml", s.as_bytes()).is_err());
        assert!(t.elapsed() < Duration::from_secs(5));
    }
    // Honest use of anchors and merge keys still loads.
    let ok = format!(
        "{HEAD}answers:\n  users.audience: &u {{value: public, at: 2026-11-26}}\n  users.minors: {{<<: *u, value: 'no'}}\n"
    );
    let k = mini();
    load::assessment("ok.yaml", ok.as_bytes(), &k).expect("merge keys in moderation load");
}

// ---- item 13: secrets echoed by the loader -------------------------------------------------

#[test]
fn item13_loader_errors_never_echo_a_secret() {
    let k = mini();
    for key in [KEY, ZHIPU, LTAI] {
        let cases = [
            // unknown question key
            format!("{HEAD}answers:\n  {key}: {{value: x}}\n"),
            // unknown decision
            format!("{HEAD}decisions:\n  {key}: {{status: done}}\n"),
            // bad option
            format!("{HEAD}answers:\n  users.audience: {{value: {key}}}\n"),
            // bad date
            format!("{HEAD}answers:\n  users.audience: {{value: public, at: \"{key}\"}}\n"),
            format!(
                "{HEAD}decisions:\n  hijacked-email: {{status: accepted, reason: x, until: \"{key}\"}}\n"
            ),
            // bad lang
            format!("schema_version: 1\ncatalog_version: 1\nlang: {key}\n"),
            // bad status
            format!("{HEAD}decisions:\n  hijacked-email: {{status: {key}}}\n"),
            // unknown field
            format!("{HEAD}{key}: 1\n"),
            format!("{HEAD}answers:\n  users.audience: {{value: public, {key}: 1}}\n"),
            // bad review date
            format!("{HEAD}reviews:\n  - {{date: \"{key}\", catalog_version: 1, findings: 1}}\n"),
            // bad severity in a review's open findings
            format!(
                "{HEAD}reviews:\n  - {{date: 2026-11-01, catalog_version: 1, findings: 1, open: {{hijacked-email: \"{key}\"}}}}\n"
            ),
        ];
        for yaml in &cases {
            let m = messages(&k, yaml);
            assert!(!m.is_empty(), "{yaml} should be refused");
            for (code, text) in m {
                assert!(!text.contains(key), "{code} echoes the key:\n{text}");
            }
        }
    }
}

#[test]
fn item13_chinese_and_cloud_keys_are_not_evidence() {
    let k = mini();
    for key in [
        KEY,
        ZHIPU,
        LTAI,
        "AKIDAb3dEf9hIj2lMn4pQr6tUv8xYz0aBc1d",
        "AKLTAb3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2g",
    ] {
        let yaml = format!(
            "{HEAD}answers:\n  users.audience: {{value: public, source: scan, confirmed: false, evidence: \"config.ts:3 apiKey {key}\"}}\n"
        );
        assert_eq!(codes(&k, &yaml), ["E0511"], "{key}");
    }
}

// ---- item 17: CR-only line ends ---------------------------------------------------------------

#[test]
fn item17_cr_only_file_with_a_leading_comment_is_not_empty() {
    let k = mini();
    let yaml = "# my agent\rschema_version: 1\rcatalog_version: 1\rlang: en\ranswers:\r  users.audience: {value: public}\r";
    let (a, _) = load::assessment("cr.yaml", yaml.as_bytes(), &k).expect("a CR-only file loads");
    assert_eq!(a.answers.len(), 1);
    let e = load::parse_yaml::<serde_json::Value>("c.yaml", b"# only\r# comments\r\r")
        .expect_err("comments only");
    assert_eq!(e.code, "E0003");
}

// ---- item 18: strict dates --------------------------------------------------------------------

#[test]
fn item18_dates_are_strict_iso_8601() {
    use agentguard::util::parse_date;
    for junk in [
        "2099-01-01 junk here",
        "+999-12-31",
        "2026-11-26T10:00",
        " 2026-11-26",
    ] {
        assert_eq!(parse_date(junk), None, "{junk}");
    }
    assert!(parse_date("2026-11-26T09:12:03Z").is_some());
    let k = mini();
    for date in ["2099-01-01 junk here", "+999-12-31"] {
        let yaml = format!(
            "{HEAD}decisions:\n  hijacked-email: {{status: accepted, reason: x, until: \"{date}\", at: 2026-11-26}}\n"
        );
        assert_eq!(codes(&k, &yaml), ["E0507"], "{date}");
        let yaml = format!("{HEAD}answers:\n  users.audience: {{value: public, at: \"{date}\"}}\n");
        assert_eq!(codes(&k, &yaml), ["E0507"], "{date}");
    }
}

// ---- item 19: reasons are bounded like answers -------------------------------------------------

#[test]
fn item19_long_decision_reasons_are_refused() {
    let k = mini();
    let long = "因".repeat(2_001);
    let yaml =
        format!("{HEAD}decisions:\n  hijacked-email: {{status: accepted, reason: \"{long}\"}}\n");
    assert_eq!(codes(&k, &yaml), ["E0515"]);
    let ok = "因".repeat(2_000);
    let yaml =
        format!("{HEAD}decisions:\n  hijacked-email: {{status: accepted, reason: \"{ok}\"}}\n");
    assert!(codes(&k, &yaml).is_empty());
    let mib = "x".repeat(1 << 20);
    let yaml = format!("{HEAD}decisions:\n  hijacked-email: {{status: accepted, reason: {mib}}}\n");
    assert_eq!(codes(&k, &yaml), ["E0515"]);
}

// ---- item 16: locale override errors are located -------------------------------------------

fn with_locale(file: &str, bytes: &[u8]) -> Sources {
    let mut s = Sources::embedded();
    s.insert(&format!("locales/{file}"), bytes.to_vec());
    s
}

#[test]
fn item16_locale_errors_name_file_line_and_column() {
    // An empty file is "the file is empty", not a missing-key error per string.
    let e = Ui::from_sources(&with_locale("zh.yaml", b"")).expect_err("empty locale");
    let text = e.to_string();
    assert!(
        text.contains("locales/zh.yaml:1:1") && text.contains("empty"),
        "{text}"
    );
    // Invalid UTF-8: a line and column, not a byte index.
    let e = Ui::from_sources(&with_locale("zh.yaml", b"a: \"x\"\nb: \"\xff\"\n"))
        .expect_err("invalid utf-8");
    let text = e.to_string();
    assert!(text.contains("locales/zh.yaml:2:5"), "{text}");
    assert!(!text.contains("index"), "{text}");
    // Item 20: said once (it was "locales/zh.yaml: locales/zh.yaml: invalid utf-8 … index 11").
    assert_eq!(text.matches("zh.yaml").count(), 1, "{text}");
    // A YAML error: its line.
    let e = Ui::from_sources(&with_locale("en-docs.yaml", b"a: \"x\"\nb: [\n")).expect_err("yaml");
    assert!(e.to_string().contains("locales/en-docs.yaml:"), "{e}");
}

#[test]
fn item16_locale_lint_reports_one_located_problem_per_cause() {
    let d = agentguard::i18n::lint(&with_locale("zh.yaml", b"# nothing yet\n"));
    let found: Vec<String> =
        d.0.iter()
            .map(|x| format!("{} {}", x.code, x.span))
            .collect();
    assert_eq!(found, ["E0003 locales/zh.yaml:1:1"]);
    let d = agentguard::i18n::lint(&with_locale("zh-extra.yaml", b"only.here: \"x\"\n"));
    let found: Vec<String> =
        d.0.iter()
            .map(|x| format!("{} {}", x.code, x.span))
            .collect();
    assert_eq!(found, ["E0601 locales/zh-extra.yaml:1:1"]);
    let d = agentguard::i18n::lint(&with_locale("zh-extra.yaml", b"\n\ndiag.E0003: \"x\"\n"));
    let found: Vec<String> =
        d.0.iter()
            .map(|x| format!("{} {}", x.code, x.span))
            .collect();
    assert!(
        found.contains(&"E0602 locales/zh-extra.yaml:3:1".to_string()),
        "{found:?}"
    );
    assert!(agentguard::i18n::lint(&Sources::embedded()).is_empty());
}

// ---- items 13 and 14: what the renderers print -------------------------------------------------

/// Every output the library renders for an assessment: report text and JSON, checklist and
/// privacy notice in Markdown and HTML, the privacy notice as JSON.
fn all_outputs(k: &Knowledge, a: &agentguard::Assessment) -> Vec<(String, String)> {
    use agentguard::docs::{self, Doc, Format, Input, Templates};
    use agentguard::render::{self, Style};
    use agentguard::report::{self, ReportInput};
    let ui = Ui::embedded();
    let today = agentguard::util::parse_date("2026-11-26").expect("date");
    let findings = agentguard::evaluate(k, a, today);
    let mut out = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let view = report::build(&ReportInput {
            knowledge: k,
            assessment: a,
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
    let templates = Templates::embedded(ui).expect("templates");
    let input = Input {
        knowledge: k,
        assessment: a,
        findings: &findings,
        ui,
        file: "agentguard.yaml",
        today,
    };
    for doc in [Doc::Checklist, Doc::Privacy] {
        for format in [Format::Md, Format::Html] {
            for langs in [vec![Lang::En], vec![Lang::Zh], vec![Lang::En, Lang::Zh]] {
                let s = docs::render(&templates, doc, format, &input, &langs).expect("render");
                out.push((format!("{doc:?} {format:?} {langs:?}"), s));
            }
        }
    }
    for lang in [Lang::En, Lang::Zh] {
        let notice = docs::privacy::build(&input, lang);
        out.push((
            format!("privacy json {lang:?}"),
            render::json(&notice).expect("json"),
        ));
    }
    out
}

/// `name` and `reason` are YAML scalars, written into the file as they are.
fn hostile_assessment(k: &Knowledge, name: &str, reason: &str) -> agentguard::Assessment {
    let yaml = format!(
        "{HEAD}answers:\n  users.audience: {{value: public}}\n  users.regions: {{value: [cn_mainland, eu]}}\n  model.providers: {{value: [alpha]}}\n  model.tools: {{value: [email, shell]}}\n  model.name: {{value: {name}}}\ndecisions:\n  confirm-email: {{status: accepted, reason: {reason}, until: 2027-01-01, at: 2026-11-01}}\n  shell-rce: {{status: not_applicable, reason: {reason}, at: 2026-11-01}}\n"
    );
    match load::assessment("a.yaml", yaml.as_bytes(), k) {
        Ok((a, _)) => a,
        Err(d) => panic!("{yaml}\n{d:#?}"),
    }
}

#[test]
fn item13_no_output_prints_a_secret_answer_or_reason() {
    let k = mini();
    for key in [KEY, ZHIPU, LTAI, "AKIDAb3dEf9hIj2lMn4pQr6tUv8xYz0aBc1d"] {
        let a = hostile_assessment(
            &k,
            &format!("\"bot {key}\""),
            &format!("\"rotated {key} already\""),
        );
        let outputs = all_outputs(&k, &a);
        assert!(outputs.iter().any(|(_, s)| s.contains("rotated")));
        for (what, s) in outputs {
            assert!(!s.contains(key), "{what} prints the key {key}");
        }
    }
}

#[test]
fn item14_json_escapes_c1_controls_del_and_bidi() {
    let k = mini();
    let name = "a\u{85}b\u{9b}31mc\u{7f}d\u{202e}e\u{2066}f";
    // YAML escapes: the file cannot hold C1 controls raw.
    let yaml_name = r#""a\x85b\x9b31mc\x7fd\u202ee\u2066f""#;
    let a = hostile_assessment(&k, yaml_name, "\"ok\"");
    let mut shown = 0;
    for (what, s) in all_outputs(&k, &a) {
        if !what.contains("json") {
            continue;
        }
        let bad: Vec<char> = s
            .chars()
            .filter(|&c| agentguard::render::json_escapes(c) || (c.is_control() && c != '\n'))
            .collect();
        assert!(bad.is_empty(), "{what}: raw {bad:?}");
        if s.contains("\\u0085") {
            shown += 1;
            assert!(s.contains("\\u009b") && s.contains("\\u007f"), "{what}");
            // Still the same data.
            let v: serde_json::Value = serde_json::from_str(&s).expect("valid JSON");
            assert!(
                serde_json::to_string(&v).expect("s").contains(name),
                "{what}"
            );
        }
    }
    assert!(shown > 0, "the name reaches some JSON output");
}

// ---- item 9: hostile template overrides ------------------------------------------------------

/// The embedded sources with `templates/<file>` replaced by `text`, from a real override folder
/// (so errors name its path).
fn template_override(dir: &Path, file: &str, text: &str) -> Sources {
    let t = dir.join("templates");
    std::fs::create_dir_all(&t).expect("mkdir");
    std::fs::write(t.join(file), text).expect("write");
    let mut s = Sources::embedded();
    s.overlay(dir).expect("overlay");
    s
}

#[test]
fn item9_templates_that_would_overflow_are_refused_with_their_location() {
    use agentguard::docs::{Templates, template};
    let ui = Ui::embedded();
    let deep_if = format!(
        "x\n{}y{}\n",
        "{{#if lang}}".repeat(5_000),
        "{{/if}}".repeat(5_000)
    );
    let deep_parens = format!(
        "{{{{t {}\"a\"{}}}}}\n",
        "(concat ".repeat(200),
        ")".repeat(200)
    );
    let cases: [(&str, &str, String, &str, u64); 7] = [
        (
            "recursive inline partial",
            "checklist.md.hbs",
            "# T\n{{#*inline \"p\"}}{{> p}}{{/inline}}\n{{> p}}\n".into(),
            "E0702",
            2,
        ),
        (
            "mutually recursive partials",
            "checklist.md.hbs",
            "{{#*inline \"a\"}}{{> b}}{{/inline}}\n{{#*inline \"b\"}}{{> a}}{{/inline}}\n{{> a}}\n"
                .into(),
            "E0702",
            1,
        ),
        ("5,000 nested ifs", "checklist.md.hbs", deep_if, "E0701", 2),
        (
            "deep subexpressions",
            "checklist.md.hbs",
            deep_parens,
            "E0701",
            1,
        ),
        (
            "recursive privacy template",
            "privacy.md.hbs",
            "# P\n\n{{> privacy.md}}\n".into(),
            "E0702",
            3,
        ),
        (
            "dynamic partial",
            "privacy.md.hbs",
            "{{> (lookup . \"x\")}}\n".into(),
            "E0703",
            1,
        ),
        (
            "page includes itself through its style",
            "page.css",
            "{{> page.html}}\n".into(),
            "E0702",
            1,
        ),
    ];
    for (what, file, text, code, line) in cases {
        let dir = tempfile::tempdir().expect("tmp");
        let s = template_override(dir.path(), file, &text);
        let path = dir
            .path()
            .join("templates")
            .join(file)
            .display()
            .to_string();
        let d = template::lint(&s);
        let found: Vec<(&str, String, u64)> =
            d.0.iter()
                .map(|x| (x.code, x.span.file.clone(), x.span.line))
                .collect();
        assert!(
            found
                .iter()
                .any(|(c, f, l)| *c == code && *f == path && *l == line),
            "{what}: {found:?}"
        );
        let page = file != "checklist.md.hbs";
        let names: &[&str] = if file == "checklist.md.hbs" {
            &[template::CHECKLIST]
        } else {
            &[template::PRIVACY]
        };
        let e = Templates::only(ui, &s, names, page)
            .expect_err(what)
            .to_string();
        assert!(e.contains(&format!("{path}:{line}:")), "{what}: {e}");
    }
}

#[test]
fn item9_lint_reports_syntax_errors_and_unknown_helpers() {
    use agentguard::docs::template;
    let dir = tempfile::tempdir().expect("tmp");
    let s = template_override(dir.path(), "checklist.md.hbs", "# T\n\n{{#if lang}}\nx\n");
    let path = dir
        .path()
        .join("templates/checklist.md.hbs")
        .display()
        .to_string();
    let d = template::lint(&s);
    assert!(
        d.0.iter()
            .any(|x| x.code == "E0705" && x.span.file == path && x.span.line > 0),
        "{d:?}"
    );
    let s = template_override(
        dir.path(),
        "checklist.md.hbs",
        "# T\n\n{{nohelper lang}}\n{{#each (nosub lang)}}x{{/each}}\n",
    );
    let d = template::lint(&s);
    let found: Vec<(&str, u64)> = d.0.iter().map(|x| (x.code, x.span.line)).collect();
    assert_eq!(found, [("E0706", 3), ("E0706", 4)]);
    assert!(
        template::lint(&Sources::embedded()).is_empty(),
        "{:?}",
        template::lint(&Sources::embedded())
    );
}

#[test]
fn item9_render_errors_name_the_override_file_and_line() {
    use agentguard::docs::{self, Doc, Format, Input, Templates};
    let k = mini();
    let a = hostile_assessment(&k, "bot", "\"ok\"");
    let dir = tempfile::tempdir().expect("tmp");
    let s = template_override(
        dir.path(),
        "checklist.md.hbs",
        "# T\n\n{{t \"no.such.key\"}}\n",
    );
    let ui = Ui::embedded();
    let templates = Templates::new(ui, &s).expect("compiles");
    let findings = agentguard::evaluate(&k, &a, 0);
    let input = Input {
        knowledge: &k,
        assessment: &a,
        findings: &findings,
        ui,
        file: "a.yaml",
        today: 0,
    };
    let e = docs::render(&templates, Doc::Checklist, Format::Md, &input, &[Lang::En])
        .expect_err("unknown key")
        .to_string();
    let path = dir
        .path()
        .join("templates/checklist.md.hbs")
        .display()
        .to_string();
    assert!(e.contains(&path) && e.contains("line 3"), "{e}");
}

// ---- item 21: yaml-test-suite DK95-01 and QB6E inside a valid document ----------------------

#[test]
fn item21_under_indented_quoted_continuations_are_yaml_errors() {
    let k = mini();
    // Each corpus case placed where a valid assessment has a text value; nothing else is wrong.
    let cases = [
        // DK95-01: a tab is not indentation.
        (
            "DK95-01",
            "answers:\n  model.name:\n    value: \"bar\n\tbaz\"\n",
            7,
        ),
        // QB6E: continuation lines at the block's own indentation.
        (
            "QB6E",
            "answers:\n  model.name:\n    value: \"a\n    b\n    c\"\n",
            7,
        ),
        ("QB6E top level", "lang: \"en\nx\"\n", 4),
        (
            "QB6E in a flow mapping",
            "decisions:\n  hijacked-email: {status: accepted, reason: 'a\n  b'}\n",
            6,
        ),
    ];
    for (what, body, line) in cases {
        let yaml = if body.starts_with("lang") {
            format!("schema_version: 1\ncatalog_version: 1\n{body}")
        } else {
            format!("{HEAD}{body}")
        };
        let e = load::parse_yaml::<serde_json::Value>("y.yaml", yaml.as_bytes()).expect_err(what);
        assert_eq!((e.code, e.span.line), ("E0006", line), "{what}");
        assert_eq!(codes(&k, &yaml), ["E0006"], "{what}");
    }
    // Deeper continuation lines are fine, and so are blank ones.
    for body in [
        "answers:\n  model.name:\n    value: \"bar\n     baz\"\n",
        "answers:\n  model.name:\n    value: \"bar\n      \t baz\n\n      qux\"\n",
        "answers:\n  model.name:\n    value:\n      'a\n       b'\n",
    ] {
        let yaml = format!("{HEAD}{body}");
        assert!(codes(&k, &yaml).is_empty(), "{body}");
    }
}

// ---- issue 15: a review's open findings ------------------------------------------------------

#[test]
fn review_open_round_trips_and_a_bad_severity_is_e0516() {
    let k = mini();
    let yaml = format!(
        "{HEAD}reviews:\n  - {{date: 2026-10-01, catalog_version: 1, findings: 0}}\n  - date: 2026-11-01\n    catalog_version: 1\n    findings: 2\n    open: {{hijacked-email: high, other-threat: low}}\n"
    );
    let (a, _) = load::assessment("a.yaml", yaml.as_bytes(), &k).expect("loads");
    assert_eq!(
        a.reviews[0].open, None,
        "a review without `open` stays without"
    );
    let open = a.reviews[1].open.clone().expect("open");
    assert_eq!(
        open.iter()
            .map(|(t, s)| format!("{t}={}", s.code()))
            .collect::<Vec<_>>(),
        ["hijacked-email=high", "other-threat=low"]
    );
    let saved = agentguard::store::to_yaml(&a).expect("saves");
    let (b, _) = load::assessment("a.yaml", saved.as_bytes(), &k).expect("reloads");
    assert_eq!(a.reviews, b.reviews, "{saved}");
    assert!(!saved.lines().any(|l| l.contains("open: null")), "{saved}");

    let bad = format!(
        "{HEAD}reviews:\n  - {{date: 2026-11-01, catalog_version: 1, findings: 1, open: {{hijacked-email: severe}}}}\n"
    );
    assert_eq!(codes(&k, &bad), ["E0516"]);
    let m = messages(&k, &bad);
    assert!(m.iter().all(|(_, t)| t.contains("a.yaml:5:80")), "{m:?}");
}
