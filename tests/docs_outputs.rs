//! The documents end to end: golden Markdown and JSON of the checklist and the privacy notice
//! against the frozen fixture catalog (tests/fixtures/mini plus tests/fixtures/docs-extra), the
//! JSON checked against the findings schema, escaping of hostile user text in every output,
//! `mark` and `privacy todo` through the real binary, and the HTML opened in headless Chromium.

use std::path::{Path, PathBuf};

use agentguard::docs::{self, Doc, Format, Input, Templates};
use agentguard::i18n::Ui;
use agentguard::model::{Knowledge, Lang};
use agentguard::{Assessment, Sources, evaluate, load};

const TODAY: &str = "2026-11-26";

fn today() -> i64 {
    agentguard::util::parse_date(TODAY).expect("date")
}

/// The frozen fixture catalog: the mini catalog and its data/memory/compliance questions.
fn frozen() -> Knowledge {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/mini")).expect("mini");
    s.overlay(Path::new("tests/fixtures/docs-extra"))
        .expect("docs-extra");
    match load::knowledge(&s) {
        Ok((k, _)) => k,
        Err(d) => panic!("fixture invalid: {d:#?}"),
    }
}

fn assessment(k: &Knowledge, name: &str) -> Assessment {
    let path = format!("tests/fixtures/docs/{name}.yaml");
    let bytes = std::fs::read(&path).expect(&path);
    match load::assessment(&path, &bytes, k) {
        Ok((a, _)) => a,
        Err(d) => panic!("{path} invalid: {d:#?}"),
    }
}

fn render(k: &Knowledge, a: &Assessment, doc: Doc, format: Format, langs: &[Lang]) -> String {
    let ui = Ui::embedded();
    let templates = Templates::embedded(ui).expect("templates");
    let findings = evaluate(k, a, today());
    let input = Input {
        knowledge: k,
        assessment: a,
        findings: &findings,
        ui,
        file: "agentguard.yaml",
        today: today(),
    };
    docs::render(&templates, doc, format, &input, langs).expect("render")
}

/// The developer's to-do list that follows the privacy notice (never part of it).
fn render_todo(k: &Knowledge, a: &Assessment, langs: &[Lang]) -> String {
    let ui = Ui::embedded();
    let templates = Templates::embedded(ui).expect("templates");
    let findings = evaluate(k, a, today());
    let input = input(k, a, &findings);
    let prepared = docs::prepare(Doc::Privacy, &input, langs).expect("prepare");
    docs::render_parts(&templates, Format::Md, &input, &prepared)
        .expect("render")
        .todo
        .expect("the privacy template has a to-do list")
}

fn input<'a>(k: &'a Knowledge, a: &'a Assessment, f: &'a agentguard::Findings) -> Input<'a> {
    Input {
        knowledge: k,
        assessment: a,
        findings: f,
        ui: Ui::embedded(),
        file: "agentguard.yaml",
        today: today(),
    }
}

// ---------------------------------------------------------------------------------------------
// Golden files

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares `actual` with `tests/golden/NAME`; `UPDATE_GOLDEN=1` rewrites the file instead.
fn check_golden(name: &str, actual: &str) -> Result<(), String> {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty()) {
        std::fs::create_dir_all(golden_dir()).expect("golden dir");
        std::fs::write(&path, actual).expect("write golden");
        return Ok(());
    }
    let expected = std::fs::read_to_string(&path)
        .map_err(|e| format!("{name}: {e} (run with UPDATE_GOLDEN=1 to create it)"))?;
    if expected == actual {
        return Ok(());
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    Err(format!(
        "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(read the change, then UPDATE_GOLDEN=1 cargo test --test docs_outputs)",
        line + 1,
        expected.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>")
    ))
}

fn lang_tag(langs: &[Lang]) -> &'static str {
    match langs {
        [Lang::En] => "en",
        [Lang::Zh] => "zh",
        _ => "both",
    }
}

fn checklist_json(k: &Knowledge, a: &Assessment, lang: Lang) -> String {
    let f = evaluate(k, a, today());
    let mut view = agentguard::report::build(&agentguard::report::ReportInput {
        knowledge: k,
        assessment: a,
        findings: &f,
        lang,
        file: "agentguard.yaml",
        ui: Ui::embedded(),
    });
    view.generated = TODAY.to_string();
    let mut s = serde_json::to_string_pretty(&view).expect("json");
    s.push('\n');
    s
}

fn privacy_json(k: &Knowledge, a: &Assessment, langs: &[Lang]) -> String {
    let f = evaluate(k, a, today());
    docs::privacy_json(&input(k, a, &f), langs).expect("json")
}

#[test]
fn golden_documents_in_both_languages() {
    let k = frozen();
    let both = [Lang::En, Lang::Zh];
    let mut failures = Vec::new();
    for (fixture, md_langs, json_langs) in [
        (
            "rich",
            &[&[Lang::En][..], &[Lang::Zh][..], &both[..]][..],
            &[Lang::En, Lang::Zh][..],
        ),
        (
            "minimal",
            &[&[Lang::En][..], &[Lang::Zh][..]][..],
            &[Lang::En][..],
        ),
        (
            "unsure",
            &[&[Lang::En][..], &[Lang::Zh][..]][..],
            &[Lang::Zh][..],
        ),
    ] {
        let a = assessment(&k, fixture);
        for langs in md_langs {
            let tag = lang_tag(langs);
            for doc in [Doc::Checklist, Doc::Privacy] {
                let md = render(&k, &a, doc, Format::Md, langs);
                assert!(
                    !md.contains('⟦'),
                    "{fixture} {tag}: a locale key is missing:\n{md}"
                );
                if let Err(e) = check_golden(&format!("{fixture}.{}.{tag}.md", doc.stem()), &md) {
                    failures.push(e);
                }
            }
            let todo = render_todo(&k, &a, langs);
            assert!(
                !todo.contains('⟦'),
                "{fixture} {tag}: a locale key is missing:\n{todo}"
            );
            if let Err(e) = check_golden(&format!("{fixture}.privacy-notice.todo.{tag}.md"), &todo)
            {
                failures.push(e);
            }
        }
        for &l in json_langs {
            let tag = l.code();
            let checks = [
                (
                    format!("{fixture}.checklist.{tag}.json"),
                    checklist_json(&k, &a, l),
                ),
                (
                    format!("{fixture}.privacy-notice.{tag}.json"),
                    privacy_json(&k, &a, &[l]),
                ),
            ];
            for (name, json) in checks {
                if let Err(e) = check_golden(&name, &json) {
                    failures.push(e);
                }
            }
        }
    }
    let a = assessment(&k, "rich");
    if let Err(e) = check_golden(
        "rich.privacy-notice.both.json",
        &privacy_json(&k, &a, &both),
    ) {
        failures.push(e);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// The Markdown users keep reads cleanly on GitHub, Gitee and as raw text; the HTML keeps its
// anchors (issue 14).

/// Every golden `.md`, by name, with its text.
fn golden_markdown() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(golden_dir())
        .expect("golden dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, std::fs::read_to_string(&p).expect("golden md"))
        })
        .collect();
    files.sort();
    files
}

/// The character references in `md` that stand where the plain character would read the same:
/// anything but `&lt;` before what could open a tag or an autolink (a letter, a digit, `/`, `!`,
/// `?`, an address mark, the line's end) and `&amp;` before what would read as a reference.
fn needless_entities(md: &str) -> Vec<String> {
    /// The reference starting at `s` (after its `&`): its body, without `;`.
    fn reference(s: &str) -> Option<&str> {
        let end = s.find(';')?;
        let body = &s[..end];
        let ok = match body.as_bytes() {
            [b'#', b'x' | b'X', hex @ ..] => {
                !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit)
            }
            [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
            name => !name.is_empty() && name.iter().all(u8::is_ascii_alphanumeric),
        };
        ok.then_some(body)
    }
    let mut found = Vec::new();
    for (n, line) in md.lines().enumerate() {
        for (i, _) in line.match_indices('&') {
            let rest = &line[i + 1..];
            let Some(body) = reference(rest) else {
                continue;
            };
            let after = &rest[body.len() + 1..];
            let needed = match body {
                "lt" => after
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_ascii_alphanumeric() || "/!?.#$%&'+=^-".contains(c)),
                "amp" => reference(after).is_some(),
                _ => false,
            };
            if !needed {
                found.push(format!("line {}: &{body}; in {line:?}", n + 1));
            }
        }
    }
    found
}

#[test]
fn golden_markdown_has_no_heading_attributes_or_needless_entities() {
    // The check itself catches what it is for.
    assert_eq!(
        needless_entities("a &quot;b&quot; &#39; &gt; &amp;x").len(),
        5
    );
    assert!(needless_entities("&lt;b> &lt;/i> &amp;copy; a < b & c &lt;").is_empty());
    let files = golden_markdown();
    assert!(files.len() >= 14, "{} golden .md files", files.len());
    let mut problems = Vec::new();
    for (name, md) in &files {
        let mut in_code = false;
        for (n, line) in md.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            if !in_code && line.starts_with('#') && line.contains("{#") {
                problems.push(format!("{name}:{}: heading attribute in {line:?}", n + 1));
            }
        }
        problems.extend(
            needless_entities(md)
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Options close to GitHub's and Gitee's Markdown: GFM tables, task lists, strikethrough,
/// footnotes, and no heading attributes (neither supports them).
fn github_like() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
}

#[test]
fn golden_markdown_renders_cleanly_with_github_like_options() {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    for (name, md) in golden_markdown() {
        let mut headings: Vec<String> = Vec::new();
        let mut heading: Option<String> = None;
        for ev in Parser::new_ext(&md, github_like()) {
            match ev {
                Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
                Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
                Event::Text(t) | Event::Code(t) => {
                    if let Some(h) = heading.as_mut() {
                        h.push_str(&t);
                    }
                }
                Event::Html(h) | Event::InlineHtml(h) => panic!("{name}: raw HTML {h:?}"),
                // In-page links are left out: GitHub and Gitee make their own anchors.
                Event::Start(Tag::Link { dest_url, .. }) => assert!(
                    dest_url.starts_with("https://") || dest_url.starts_with("http://"),
                    "{name}: link to {dest_url}"
                ),
                _ => {}
            }
        }
        // A document has its sections; the notice's to-do list may be one heading and a list, and
        // the minimal fixture's tool only its developer uses gets a four-section note (issue 14).
        let least = if name.contains(".todo.") {
            1
        } else if name.starts_with("minimal.privacy-notice") {
            4
        } else {
            8
        };
        assert!(headings.len() >= least, "{name}: {headings:?}");
        for h in &headings {
            assert!(!h.contains("{#"), "{name}: heading shows {h:?}");
            assert!(!h.trim().is_empty(), "{name}: an empty heading");
        }
    }
}

/// The `id`s and the in-page `href`s of an HTML page.
fn ids_and_fragments(html: &str) -> (Vec<String>, Vec<String>) {
    let attr = |name: &str| -> Vec<String> {
        html.split(name)
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(str::to_owned))
            .collect()
    };
    let ids = attr(" id=\"");
    let fragments = attr(" href=\"#")
        .into_iter()
        .map(|f| percent_decode(&f))
        .collect();
    (ids, fragments)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| char::from(c).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(u8::try_from(h * 16 + l).expect("byte"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn every_in_page_link_of_the_html_resolves() {
    let k = frozen();
    let real_sources = Sources::embedded();
    let (real_k, _) = load::knowledge(&real_sources).expect("embedded catalog");
    let bytes = std::fs::read("tests/fixtures/docs/real-rich.yaml").expect("real-rich");
    let (real_a, _) = load::assessment("real-rich.yaml", &bytes, &real_k).expect("valid");
    let mut cases: Vec<(String, &Knowledge, Assessment)> = ["rich", "minimal", "unsure"]
        .into_iter()
        .map(|f| (f.to_owned(), &k, assessment(&k, f)))
        .collect();
    cases.push(("real-rich".into(), &real_k, real_a));
    let mut checklist_links = 0;
    for (fixture, kk, a) in &cases {
        for doc in [Doc::Checklist, Doc::Privacy] {
            for langs in [&[Lang::En][..], &[Lang::Zh][..], &[Lang::En, Lang::Zh][..]] {
                let html = render(kk, a, doc, Format::Html, langs);
                let what = format!("{fixture} {doc:?} {}", lang_tag(langs));
                let (ids, fragments) = ids_and_fragments(&html);
                let mut unique = ids.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), ids.len(), "{what}: an id twice in {ids:?}");
                for f in &fragments {
                    assert!(ids.contains(f), "{what}: #{f} goes nowhere; ids: {ids:?}");
                }
                // Every heading has its anchor.
                assert_eq!(
                    html.matches("<h2").count(),
                    html.matches("<h2 id=\"").count(),
                    "{what}: a heading without an id"
                );
                if doc == Doc::Checklist {
                    checklist_links += fragments.len();
                }
            }
        }
    }
    // The checklist links its first steps and stage items to the findings.
    assert!(checklist_links >= 20, "{checklist_links} in-page links");
}

#[test]
fn quotes_ampersands_and_angles_read_plainly_in_markdown_and_stay_escaped_in_html() {
    let k = frozen();
    let name = "Tom's \"Q&A\" bot <3 & R&D <b>x</b> &copy;";
    let text = format!(
        "schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n  users.audience: {{value: just_me}}\n  model.name: {{value: {}}}\n",
        serde_json::to_string(name).expect("json")
    );
    let a = match load::assessment("named.yaml", text.as_bytes(), &k) {
        Ok((a, _)) => a,
        Err(d) => panic!("{d:#?}"),
    };
    let md = render(&k, &a, Doc::Checklist, Format::Md, &[Lang::En]);
    let title = md.lines().next().expect("title");
    assert_eq!(
        title,
        "# Launch checklist — Tom's \"Q&A\" bot <3 & R&D &lt;b>x&lt;/b> &amp;copy;"
    );
    assert_markdown_is_inert(&md);
    let md = render(&k, &a, Doc::Privacy, Format::Md, &[Lang::Zh]);
    assert!(
        md.contains("Tom's \"Q&A\" bot <3 & R&D &lt;b>x&lt;/b> &amp;copy;"),
        "{md}"
    );
    let html = render(&k, &a, Doc::Checklist, Format::Html, &[Lang::En]);
    assert!(!html.contains("<b>x"), "raw HTML from the name");
    assert!(
        html.contains(
            "Tom's \"Q&amp;A\" bot &lt;3 &amp; R&amp;D &lt;b&gt;x&lt;/b&gt; &amp;copy;</h1>"
        ),
        "the name is shown, escaped: {}",
        html.lines().find(|l| l.contains("<h1")).unwrap_or_default()
    );
}

// ---------------------------------------------------------------------------------------------
// The checklist JSON follows the shared findings schema (a validator for the subset of JSON
// Schema that schemas/findings.schema.json uses).

fn validate(
    schema: &serde_json::Value,
    root: &serde_json::Value,
    v: &serde_json::Value,
    at: &str,
    errs: &mut Vec<String>,
) {
    use serde_json::Value as J;
    if let Some(r) = schema.get("$ref").and_then(J::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        validate(&root["$defs"][name], root, v, at, errs);
        return;
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        errs.push(format!("{at}: {v} is not {c}"));
    }
    if let Some(e) = schema.get("enum").and_then(J::as_array)
        && !e.contains(v)
    {
        errs.push(format!("{at}: {v} not in {e:?}"));
    }
    if let Some(options) = schema.get("oneOf").and_then(J::as_array) {
        let ok = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                validate(o, root, v, at, &mut e);
                e.is_empty()
            })
            .count();
        if ok != 1 {
            errs.push(format!("{at}: matches {ok} of oneOf"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            J::String(s) => vec![s.as_str()],
            J::Array(a) => a.iter().filter_map(J::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            errs.push(format!("{at}: {v} is not {types:?}"));
            return;
        }
    }
    if let (Some(p), Some(s)) = (schema.get("pattern").and_then(J::as_str), v.as_str()) {
        // The only pattern in the schema is the date.
        assert_eq!(p, "^\\d{4}-\\d{2}-\\d{2}$");
        if agentguard::util::parse_date(s).is_none() || s.len() != 10 {
            errs.push(format!("{at}: {s} is not a date"));
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(J::as_object);
        for r in schema
            .get("required")
            .and_then(J::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap_or_default();
            if !obj.contains_key(r) {
                errs.push(format!("{at}: missing {r}"));
            }
        }
        for (key, val) in obj {
            match props.and_then(|p| p.get(key)) {
                Some(s) => validate(s, root, val, &format!("{at}.{key}"), errs),
                None if schema.get("additionalProperties") == Some(&J::Bool(false)) => {
                    errs.push(format!("{at}: unexpected {key}"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(items, root, x, &format!("{at}[{i}]"), errs);
        }
    }
}

#[test]
fn checklist_json_follows_the_findings_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(agentguard::schema::FINDINGS).expect("schema");
    let k = frozen();
    for fixture in ["rich", "minimal", "unsure"] {
        let a = assessment(&k, fixture);
        for l in [Lang::En, Lang::Zh] {
            let v: serde_json::Value =
                serde_json::from_str(&checklist_json(&k, &a, l)).expect("json");
            let mut errs = Vec::new();
            validate(&schema, &schema, &v, "$", &mut errs);
            assert!(errs.is_empty(), "{fixture} {l}: {errs:#?}");
        }
    }
    // The validator is not a rubber stamp.
    let mut errs = Vec::new();
    validate(
        &schema,
        &schema,
        &serde_json::json!({"schema_version": 2}),
        "$",
        &mut errs,
    );
    assert!(errs.len() > 3, "{errs:?}");
}

// ---------------------------------------------------------------------------------------------
// Content rules

#[test]
fn legal_sections_follow_the_users_not_the_language() {
    let k = frozen();
    let rich = assessment(&k, "rich");
    let zh = render(&k, &rich, Doc::Privacy, Format::Md, &[Lang::Zh]);
    // A Chinese notice for an agent with EU users has the GDPR contents too.
    for needle in [
        "GDPR 第 6 条",
        "我们在欧盟的代表",
        "GDPR 第 12 条第 3 款",
        "欧盟/欧洲经济区以外",
    ] {
        assert!(zh.contains(needle), "zh notice lacks {needle}");
    }
    let en = render(&k, &rich, Doc::Privacy, Format::Md, &[Lang::En]);
    // The rules the notice covers are named to the developer, in the to-do list.
    let todo = render_todo(&k, &rich, &[Lang::En]);
    for needle in [
        "PIPL Art 17",
        "Network Data Security Management Regulations Art 21",
    ] {
        assert!(todo.contains(needle), "en to-do list lacks {needle}");
    }
    for needle in [
        "PIPL Art 13",
        "outside mainland China",
        "list of the personal information we provide to others",
    ] {
        assert!(en.contains(needle), "en notice lacks {needle}");
    }
    // No jurisdiction answered in either direction: neither set of sections.
    let minimal = assessment(&k, "minimal");
    for l in [Lang::En, Lang::Zh] {
        let md = render(&k, &minimal, Doc::Privacy, Format::Md, &[l]);
        assert!(
            !md.contains("GDPR") && !md.contains("PIPL") && !md.contains("个人信息保护法"),
            "{l}:\n{md}"
        );
    }
    // Unknown regions are a to-do for the developer, not a silent omission.
    let unsure = assessment(&k, "unsure");
    let todo = render_todo(&k, &unsure, &[Lang::En]);
    assert!(todo.contains("do not say where your users are"), "{todo}");
}

#[test]
fn separate_consent_blocks_only_when_the_answers_require_them() {
    let k = frozen();
    let rich_a = assessment(&k, "rich");
    // The consent texts are for the developer to show in dialogs: in the to-do list only.
    let rich = render_todo(&k, &rich_a, &[Lang::En]);
    let rich_notice = render(&k, &rich_a, Doc::Privacy, Format::Md, &[Lang::En]);
    for title in [
        "### Sensitive personal information",
        "### Sending your personal information abroad",
        "### Providing your personal information to another company",
        // Mainland-China and EU users: each law's own age of consent (PIPL Art 31, GDPR Art 8).
        "### Guardian consent for children below the age the law where they live sets (under 14 in mainland China, under 16 in the EU)",
    ] {
        assert!(rich.contains(title), "rich lacks {title}");
    }
    assert!(
        !rich_notice.contains("### Sending your personal information abroad"),
        "{rich_notice}"
    );
    let minimal_a = assessment(&k, "minimal");
    let minimal = render_todo(&k, &minimal_a, &[Lang::En]);
    assert!(
        !minimal.contains("### Sensitive personal information\n\n>"),
        "{minimal}"
    );
    let minimal_notice = render(&k, &minimal_a, Doc::Privacy, Format::Md, &[Lang::En]);
    assert!(!minimal.contains("abroad"), "{minimal}");
    assert!(!minimal_notice.contains("abroad"), "{minimal_notice}");
    assert!(
        minimal.contains("do not call for a separate consent dialog"),
        "{minimal}"
    );
}

#[test]
fn notice_has_summary_draft_marker_todos_and_dated_provider_facts() {
    let k = frozen();
    let a = assessment(&k, "rich");
    for l in [Lang::En, Lang::Zh] {
        let md = render(&k, &a, Doc::Privacy, Format::Md, &[l]);
        let summary = md.find(if l == Lang::En {
            "## In short"
        } else {
            "## 简要说明"
        });
        let who = md.find(if l == Lang::En {
            "## Who we are"
        } else {
            "## 我们是谁"
        });
        assert!(
            summary.is_some() && summary < who,
            "{l}: the summary comes first"
        );
        // The draft marker and the developer's to-do list follow the notice, never inside it.
        let todo = render_todo(&k, &a, &[l]);
        let (draft, heading) = if l == Lang::En {
            ("not legal advice", "## Before you publish")
        } else {
            ("不构成法律意见", "## 发布前")
        };
        assert!(todo.starts_with(heading), "{l}: {todo}");
        assert!(todo.contains(draft) && !md.contains(draft), "{l}");
        assert!(
            !md.contains(heading),
            "{l}: the to-do list is inside the notice"
        );
        let todos = docs::todo::scan(&md);
        assert!(todos.len() >= 10, "{l}: {todos:?}");
        for what in [
            "TODO(the operator's name or company",
            "TODO(运营者的姓名或公司",
        ] {
            if what.is_ascii() == (l == Lang::En) {
                assert!(md.contains(what), "{l} lacks {what}");
            }
        }
        // Provider facts carry their as-of date.
        assert!(md.contains("2026-11-26"), "{l}: no as-of date");
    }
}

#[test]
fn checklist_ticks_come_from_decisions_and_first_five_are_open() {
    let k = frozen();
    let a = assessment(&k, "rich");
    let md = render(&k, &a, Doc::Checklist, Format::Md, &[Lang::En]);
    assert!(md.contains("- [x] **Confirm every email** (done)"), "{md}");
    assert!(md.contains("- [ ] **Run commands in a sandbox**"), "{md}");
    let first = md
        .split("## Do these first")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("first section");
    // Numbered 1 to 5 in the raw Markdown too, so the list reads in order as plain text.
    let numbers: Vec<&str> = first
        .lines()
        .filter_map(|l| l.split_once(". **").map(|(n, _)| n))
        .collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5"], "{first}");
    // Accepted risks show reason and expiry; an expired one says so.
    assert!(
        md.contains("launch for adults first · until 2026-11-01 · **expired, open again**"),
        "{md}"
    );
    // Possible findings name the question that settles them.
    assert!(md.contains("Settle: Which model APIs?"), "{md}");
    // Blind-spot scores and the responsibility matrix with dated facts.
    assert!(
        md.contains("| Privacy ⚠ often overlooked | 0 / 2 |"),
        "{md}"
    );
    assert!(
        md.contains("| may train on your inputs | no | unknown |"),
        "{md}"
    );
    assert!(md.contains("(as of 2026-11-26; source: fixture)"), "{md}");
    // References are links.
    let refs = md.lines().filter(|l| l.contains("**References:**")).count();
    assert!(refs > 0);
}

// ---------------------------------------------------------------------------------------------
// Strict templates

fn templates_with(rel: &str, text: &str) -> Result<String, String> {
    let mut sources = Sources::embedded();
    sources.insert(rel, text.as_bytes().to_vec());
    let templates = Templates::new(Ui::embedded(), &sources).map_err(|e| e.to_string())?;
    let k = frozen();
    let a = assessment(&k, "rich");
    let findings = evaluate(&k, &a, today());
    docs::render(
        &templates,
        Doc::Checklist,
        Format::Md,
        &input(&k, &a, &findings),
        &[Lang::En],
    )
    .map_err(|e| e.to_string())
}

#[test]
fn templates_are_strict() {
    let rel = "templates/checklist.md.hbs";
    assert!(templates_with(rel, "# {{agent_name}}\n").is_ok());
    for (bad, why) in [
        ("{{agnet_name}}", "a misspelled variable"),
        ("{{t \"docs.no_such_key\"}}", "a missing locale key"),
        (
            "{{t \"docs.checklist.title\"}}",
            "a placeholder without a value",
        ),
        (
            "{{t \"docs.checklist.title_unnamed\" agent=agent_name}}",
            "a value without a placeholder",
        ),
        ("{{href \"javascript:alert(1)\"}}", "a non-http link"),
        (
            "{{#each findings}}{{titel}}{{/each}}",
            "a misspelled field in a loop",
        ),
    ] {
        let r = templates_with(rel, bad);
        assert!(r.is_err(), "{why} must fail, got {r:?}");
    }
}

#[test]
fn template_errors_keep_their_line_numbers() {
    // Templates are compiled and rendered in pieces cut at top-level lines; an error still
    // names the line of the whole template.
    let rel = "templates/checklist.md.hbs";
    let text = "# {{agent_name}}\n\n{{#if agent_name}}\nx\n{{/if}}\n{{#each findings}}\n- {{title}}\n{{/each}}\n{{agnet_name}}\n";
    let r = templates_with(rel, text);
    assert!(
        r.as_ref().is_err_and(|e| e.contains("line 9,")),
        "the error names line 9: {r:?}"
    );
    let text = "# {{agent_name}}\n\n{{#each findings}}\n- {{title}}\n{{#if raised}}\n{{titel}}\n{{/if}}\n{{/each}}\n";
    let r = templates_with(rel, text);
    assert!(
        r.as_ref().is_err_and(|e| e.contains("line 6,")),
        "the error names line 6: {r:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Escaping: hostile user text in every output

const HOSTILE: &str = "<script>alert(1)</script> [x](javascript:alert(1)) ![i](https://evil.example/i.png) {{secret}} \"]; click n0 call evil() %% \u{1b}[2J\u{1b}]0;pwn\u{7} # h\n- item";

fn hostile_assessment(k: &Knowledge) -> Assessment {
    let name = serde_json::to_string(HOSTILE).expect("json string");
    let text = format!(
        "schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n  users.audience: {{value: public}}\n  users.regions: {{value: [cn_mainland, eu]}}\n  model.providers: {{value: [alpha]}}\n  model.tools: {{value: [email]}}\n  model.name: {{value: {name}}}\ndecisions:\n  confirm-email: {{status: accepted, reason: {name}, until: 2027-01-01, at: 2026-11-01}}\n"
    );
    match load::assessment("hostile.yaml", text.as_bytes(), k) {
        Ok((a, _)) => a,
        Err(d) => panic!("{d:#?}"),
    }
}

/// Every event pulldown-cmark sees in `md`: no raw HTML, no image, no link except in-page and
/// http(s) ones.
fn assert_markdown_is_inert(md: &str) {
    use pulldown_cmark::{Event, Parser, Tag};
    for ev in Parser::new_ext(md, docs::html::options()) {
        match ev {
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in Markdown: {h}"),
            Event::Start(Tag::Image { dest_url, .. }) => panic!("image {dest_url}"),
            Event::Start(Tag::Link { dest_url, .. }) => assert!(
                dest_url.starts_with('#') || dest_url.starts_with("https://"),
                "link to {dest_url}"
            ),
            _ => {}
        }
    }
}

#[test]
fn hostile_text_is_neutralised_in_markdown_html_mermaid_and_json() {
    let k = frozen();
    let a = hostile_assessment(&k);
    for doc in [Doc::Checklist, Doc::Privacy] {
        for l in [Lang::En, Lang::Zh] {
            let md = render(&k, &a, doc, Format::Md, &[l]);
            assert!(
                !md.contains('\u{1b}') && !md.contains('\u{7}'),
                "control characters in Markdown"
            );
            assert!(
                !md.contains("<script") && !md.contains("{{secret}}"),
                "{md}"
            );
            assert!(
                md.contains("\\{\\{secret\\}\\}"),
                "braces are escaped, not dropped"
            );
            assert_markdown_is_inert(&md);
            let html = render(&k, &a, doc, Format::Html, &[l]);
            let lower = html.to_ascii_lowercase();
            for bad in [
                "<script", "<img", "<iframe", "<link", "@import", "src=", "\u{1b}", "\u{7}",
            ] {
                assert!(!lower.contains(bad), "{doc:?} {l}: HTML contains {bad:?}");
            }
            // Every link goes to this page or to an http(s) reference.
            for href in lower.split("href=\"").skip(1) {
                assert!(
                    href.starts_with('#') || href.starts_with("https://"),
                    "{doc:?} {l}: href={}",
                    &href[..href.len().min(40)]
                );
            }
            assert!(
                html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "the name is shown, escaped"
            );
        }
    }
    // The agent name reaches the mermaid block only through the flow labels: check the block
    // parses as nothing but our own statements.
    let md = render(&k, &a, Doc::Checklist, Format::Md, &[Lang::En]);
    let block = md
        .split("```mermaid\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("mermaid");
    for line in block.lines().skip(1) {
        let t = line.trim();
        let ok = t.starts_with("classDef ")
            || t.starts_with("linkStyle ")
            || (t.starts_with('n') && t.matches('"').count() == 2 && !t.contains(';'));
        assert!(ok, "unexpected mermaid line {t:?}");
    }
    // JSON keeps the text exactly and escapes control characters.
    let f = evaluate(&k, &a, today());
    let json = docs::privacy_json(&input(&k, &a, &f), &[Lang::En]).expect("json");
    assert!(!json.contains('\u{1b}'));
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["agent_name"], HOSTILE.trim());
}

#[test]
fn flow_labels_are_neutralised_in_mermaid_and_svg() {
    use agentguard::dataflow::{Crossing, DataFlow, Edge, Node, NodeKind};
    use agentguard::model::Text;
    let hostile = Text::new(HOSTILE, HOSTILE);
    let node = |id: &str, kind| Node {
        id: id.into(),
        kind,
        label: hostile.clone(),
        region: Some(hostile.clone()),
        third_party: true,
        kept: Some(hostile.clone()),
    };
    let flow = DataFlow {
        nodes: vec![
            node("users", NodeKind::Users),
            node("model-x", NodeKind::Model),
        ],
        edges: vec![Edge {
            from: 0,
            to: 1,
            label: hostile.clone(),
            third_party: true,
            crossing: Crossing::Yes,
        }],
    };
    let m = docs::diagram::mermaid(&flow, Lang::En);
    for line in m.lines().skip(1) {
        let t = line.trim();
        assert!(!t.contains("click") || t.matches('"').count() == 2, "{t}");
        assert!(
            !t.contains("%%") && !t.contains('[') || t.starts_with('n'),
            "{t}"
        );
        assert!(
            !t.contains('<') && !t.contains('{') && !t.contains('\u{1b}'),
            "{t}"
        );
    }
    assert_eq!(m.matches("[\"").count(), 2, "{m}");
    let svg = docs::diagram::svg(&flow, Lang::En, Ui::embedded());
    assert!(
        !svg.contains("<script")
            && !svg.contains('\u{1b}')
            && !svg.contains("javascript:alert(1)\""),
        "{svg}"
    );
    assert!(svg.contains("&lt;script&gt;"), "{svg}");
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
}

// ---------------------------------------------------------------------------------------------
// The real binary: report/privacy outputs, mark, privacy todo, terminal safety

fn bin(dir: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("agentguard").expect("binary");
    c.current_dir(dir)
        .env_remove("LANG")
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("AGENTGUARD_NOW", "2026-11-26T10:00:00Z")
        .env("XDG_CONFIG_HOME", "/nonexistent-agentguard-test")
        .env("HOME", "/nonexistent-agentguard-test");
    c
}

/// A temporary folder holding a copy of the rich real-catalog assessment as `agentguard.yaml`.
fn workdir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs/real-rich.yaml"),
        tmp.path().join("agentguard.yaml"),
    )
    .expect("copy");
    tmp
}

fn out(o: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The binary prefetches the catalog and the template on threads started before it parses its
/// arguments, and falls back to loading them when a folder overrides them: both ways must give
/// exactly what the library renders from the same inputs.
#[test]
fn prefetched_and_loaded_documents_match_the_library() {
    let tmp = workdir();
    let sources = Sources::embedded();
    let (k, _) = agentguard::knowledge(&sources).expect("catalog");
    let bytes = std::fs::read(tmp.path().join("agentguard.yaml")).expect("read");
    let (a, _) = load::assessment("agentguard.yaml", &bytes, &k).expect("valid");
    let findings = evaluate(&k, &a, today());
    let ui = Ui::embedded();
    let templates = Templates::embedded(ui).expect("templates");
    let inp = input(&k, &a, &findings);
    // An override folder that changes nothing but makes the sources "not all embedded".
    let over = tmp.path().join("over");
    std::fs::create_dir_all(over.join("templates")).expect("mkdir");
    std::fs::copy(
        "templates/privacy.md.hbs",
        over.join("templates/privacy.md.hbs"),
    )
    .expect("copy");
    for (cmd, doc) in [("report", Doc::Checklist), ("privacy", Doc::Privacy)] {
        for (format, fmt) in [("md", Format::Md), ("html", Format::Html)] {
            let want = docs::render(&templates, doc, fmt, &inp, &[Lang::En]).expect("render");
            for overridden in [false, true] {
                let file = format!("{cmd}-{overridden}.{format}");
                let mut c = bin(tmp.path());
                if overridden {
                    c.args(["--catalog", &over.display().to_string()]);
                }
                let o = c
                    .args([cmd, "--format", format, "--lang", "en", "-o", &file])
                    .output()
                    .expect("run");
                let (_, err) = out(&o);
                assert!(
                    o.status.code().is_some_and(|c| c <= 1),
                    "{cmd} {format}: {err}"
                );
                let got = std::fs::read_to_string(tmp.path().join(&file)).expect("output");
                assert!(
                    got == want,
                    "{cmd} --format {format} (override: {overridden}) differs from the library"
                );
            }
        }
    }
}

#[test]
fn report_and_privacy_write_where_expected() {
    let tmp = workdir();
    let d = tmp.path();
    // Markdown to stdout, in the assessment's language (zh) unless --lang says otherwise.
    let o = bin(d)
        .args(["report", "--format", "md"])
        .output()
        .expect("run");
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(0), "{se}");
    assert!(so.starts_with("# 上线检查清单"), "{so}");
    let o = bin(d)
        .args(["--lang", "both", "privacy"])
        .output()
        .expect("run");
    let (so, _) = out(&o);
    assert!(
        so.contains("# Privacy notice — ") && so.contains("# 隐私政策 —— "),
        "both languages"
    );
    // HTML goes to a file by default.
    let o = bin(d)
        .args(["report", "--format", "html"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let html = std::fs::read_to_string(d.join("checklist.html")).expect("checklist.html");
    assert!(html.contains("<svg") && html.contains("<!DOCTYPE html>"));
    let o = bin(d)
        .args(["privacy", "--format", "html", "-o", "notice.html"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    assert!(d.join("notice.html").is_file() && !d.join("privacy-notice.html").exists());
    // JSON: the notice model; one object for one language, an array for both.
    let o = bin(d)
        .args(["privacy", "--format", "json", "--lang", "en"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["document"], "privacy_notice");
    assert_eq!(v["profile"]["has_cn_users"], true);
    let o = bin(d)
        .args(["privacy", "--format", "json", "--lang", "both"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    // --fail-on works with the documents too.
    let o = bin(d)
        .args(["report", "--format", "md", "--fail-on", "high"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn old_catalog_is_warned_about_and_said_in_the_documents() {
    let tmp = workdir();
    let o = bin(tmp.path())
        .env("AGENTGUARD_NOW", "2027-09-01")
        .args(["--lang", "en", "privacy"])
        .output()
        .expect("run");
    let (so, se) = out(&o);
    assert!(se.contains("built-in catalog is from"), "{se}");
    assert!(so.contains("The built-in catalog is from"), "{so}");
}

#[test]
fn mark_records_decisions_that_survive_rerendering() {
    let tmp = workdir();
    let d = tmp.path();
    let o = bin(d)
        .args(["mark", "move-key-to-server", "done"])
        .output()
        .expect("run");
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(0), "{se}");
    assert!(so.contains("move-key-to-server"), "{so}");
    let yaml = std::fs::read_to_string(d.join("agentguard.yaml")).expect("yaml");
    assert!(
        yaml.contains("move-key-to-server:") && yaml.contains("status: done"),
        "{yaml}"
    );
    let md = out(&bin(d)
        .args(["--lang", "en", "report", "--format", "md"])
        .output()
        .expect("run"))
    .0;
    let ticked: Vec<&str> = md.lines().filter(|l| l.starts_with("- [x]")).collect();
    assert!(!ticked.is_empty(), "a tick after mark:\n{md}");
    // accepted / not-applicable need a reason; --until must be a future date, with accepted only.
    for (args, code) in [
        (&["mark", "move-key-to-server", "accepted"][..], 78),
        (
            &[
                "mark",
                "move-key-to-server",
                "not-applicable",
                "--reason",
                "  ",
            ][..],
            78,
        ),
        (
            &[
                "mark",
                "move-key-to-server",
                "accepted",
                "--reason",
                "x",
                "--until",
                "2026-13-01",
            ][..],
            78,
        ),
        (
            &[
                "mark",
                "move-key-to-server",
                "accepted",
                "--reason",
                "x",
                "--until",
                "2026-01-01",
            ][..],
            78,
        ),
        (
            &[
                "mark",
                "move-key-to-server",
                "done",
                "--until",
                "2027-01-01",
            ][..],
            78,
        ),
        (&["mark", "no-such-thing", "done"][..], 78),
    ] {
        let o = bin(d).args(args).output().expect("run");
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", out(&o).1);
    }
    let o = bin(d)
        .args([
            "mark",
            "move-key-to-server",
            "accepted",
            "--reason",
            "rotating next week",
            "--until",
            "2027-01-15",
        ])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", out(&o).1);
    let md = out(&bin(d)
        .args(["--lang", "en", "report", "--format", "md"])
        .output()
        .expect("run"))
    .0;
    assert!(md.contains("rotating next week · until 2027-01-15"), "{md}");
    // `open` removes the decision again.
    let o = bin(d)
        .args(["mark", "move-key-to-server", "open"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    let yaml = std::fs::read_to_string(d.join("agentguard.yaml")).expect("yaml");
    assert!(!yaml.contains("move-key-to-server:"), "{yaml}");
    // No assessment: a clear error, not a new file.
    let empty = tempfile::tempdir().expect("tmp");
    let o = bin(empty.path())
        .args(["mark", "move-key-to-server", "done"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    assert!(!empty.path().join("agentguard.yaml").exists());
}

#[test]
fn privacy_keeps_the_developers_todo_list_apart_from_the_notice() {
    let tmp = workdir();
    let d = tmp.path();
    // On standard output the list follows the notice under its own heading.
    let o = bin(d)
        .args(["privacy", "--lang", "en"])
        .output()
        .expect("run");
    let (so, _) = out(&o);
    assert_eq!(o.status.code(), Some(0));
    let (notice, todo) = so.split_once("\n---\n\n## Before you publish").expect(&so);
    assert!(notice.starts_with("# Privacy notice"), "{so}");
    assert!(
        !notice.contains("agentguard") && todo.contains("agentguard"),
        "{so}"
    );
    // Written to a file, the list goes to the sibling NAME.todo.md, in the output language.
    bin(d)
        .args(["privacy", "--lang", "zh", "-o", "notice.md"])
        .assert()
        .success();
    let notice = std::fs::read_to_string(d.join("notice.md")).expect("notice");
    let todo = std::fs::read_to_string(d.join("notice.todo.md")).expect("todo");
    assert!(
        !notice.contains("## 发布前") && !notice.contains("agentguard"),
        "{notice}"
    );
    assert!(todo.starts_with("## 发布前"), "{todo}");
    // The HTML page has only the notice; its to-do list is Markdown beside it.
    bin(d)
        .args(["privacy", "--format", "html", "-o", "page.html"])
        .assert()
        .success();
    let page = std::fs::read_to_string(d.join("page.html")).expect("page");
    assert!(!page.contains("Before you publish") && !page.contains("发布前"));
    assert!(d.join("page.todo.md").is_file());
    // JSON carries the list as data.
    let o = bin(d)
        .args(["privacy", "--format", "json", "--lang", "en"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let items = v["todo"].as_array().expect("a todo list");
    assert!(
        items
            .iter()
            .any(|i| i["id"] == "fill_in" && i["text"].is_string()),
        "{v}"
    );
}

#[test]
fn privacy_todo_lists_what_is_left() {
    let tmp = workdir();
    let d = tmp.path();
    let o = bin(d)
        .args(["privacy", "-o", "notice.md"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    let o = bin(d)
        .args(["privacy", "todo", "notice.md"])
        .output()
        .expect("run");
    let (so, _) = out(&o);
    assert_eq!(o.status.code(), Some(1), "TODOs left means exit 1");
    assert!(
        so.lines().filter(|l| l.starts_with("notice.md:")).count() >= 10,
        "{so}"
    );
    // The HTML page highlights the same markers and lists the same count.
    bin(d)
        .args(["privacy", "--format", "html", "-o", "notice.html"])
        .assert()
        .success();
    let md_count =
        docs::todo::scan(&std::fs::read_to_string(d.join("notice.md")).expect("md")).len();
    let html_count =
        docs::todo::scan(&std::fs::read_to_string(d.join("notice.html")).expect("html")).len();
    assert_eq!(md_count, html_count);
    // An edited notice with nothing left: exit 0.
    std::fs::write(d.join("done.md"), "# Privacy notice\nWe are Example Ltd.\n").expect("write");
    let o = bin(d)
        .args(["privacy", "todo", "done.md"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn terminal_output_never_carries_escape_sequences() {
    let tmp = workdir();
    let d = tmp.path();
    std::fs::write(
        d.join("evil.md"),
        "x TODO(\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}) y\n",
    )
    .expect("write");
    let o = bin(d)
        .args(["privacy", "todo", "evil.md"])
        .output()
        .expect("run");
    let (so, se) = out(&o);
    for s in [&so, &se] {
        assert!(
            !s.contains('\u{1b}') && !s.contains('\u{7}') && !s.contains('\u{202e}'),
            "{s:?}"
        );
    }
    assert!(so.contains("\\u{1b}"), "{so}");
    let o = bin(d)
        .args(["mark", "x\u{1b}[31mred", "done"])
        .output()
        .expect("run");
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(78));
    assert!(!so.contains('\u{1b}') && !se.contains('\u{1b}'), "{se:?}");
    // A hostile reason is stored as given but printed escaped in the terminal report.
    bin(d)
        .args([
            "mark",
            "move-key-to-server",
            "accepted",
            "--reason",
            "ok\u{1b}[2J",
            "--until",
            "2027-01-01",
        ])
        .assert()
        .success();
    let o = bin(d)
        .args(["report", "--format", "md"])
        .output()
        .expect("run");
    assert!(!o.stdout.contains(&0x1b), "Markdown output has a raw ESC");
}

#[test]
fn write_all_writes_both_documents_atomically() {
    let k = frozen();
    let a = assessment(&k, "rich");
    let f = evaluate(&k, &a, today());
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("out");
    let templates = docs::Templates::embedded(Ui::embedded()).expect("templates");
    let written = |r: docs::WriteReport| match r {
        docs::WriteReport::Written(w) => w,
        docs::WriteReport::Edited(e) => panic!("edited: {e:?}"),
    };
    let one = written(
        docs::write_all(
            &templates,
            &k,
            &a,
            &f,
            Ui::embedded(),
            Some(Lang::Zh),
            &dir,
            docs::OnEdited::Stop,
        )
        .expect("write"),
    );
    let names: Vec<&str> = one.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "checklist.md",
            "checklist.html",
            "privacy-notice.md",
            "privacy-notice.html",
            "privacy-notice.todo.md"
        ]
    );
    // The notice is for users; what the developer must do is only in the sibling to-do file.
    let notice = std::fs::read_to_string(dir.join("privacy-notice.md")).expect("notice");
    let todo = std::fs::read_to_string(dir.join("privacy-notice.todo.md")).expect("todo");
    assert!(
        !notice.contains("## 发布前") && todo.starts_with("## 发布前"),
        "{todo}"
    );
    let page = std::fs::read_to_string(dir.join("privacy-notice.html")).expect("page");
    assert!(!page.contains("发布前"), "the page shows only the notice");
    let both = written(
        docs::write_all(
            &templates,
            &k,
            &a,
            &f,
            Ui::embedded(),
            None,
            &dir,
            docs::OnEdited::Stop,
        )
        .expect("write"),
    );
    assert_eq!(both.len(), 10);
    for w in &both {
        let text = std::fs::read_to_string(&w.path).expect("read");
        assert!(
            !text.is_empty() && !text.contains('⟦'),
            "{}",
            w.path.display()
        );
        assert_eq!(w.sha256, docs::sha256_hex(text.as_bytes()));
        if w.name == "checklist.zh.html" {
            assert!(text.contains("<svg") && text.contains("lang=\"zh-CN\""));
        }
    }
    // No temporary files are left behind.
    let entries = std::fs::read_dir(&dir).expect("dir").count();
    assert_eq!(entries, 15);
}

/// Issue 12 item 4: a document edited since agentguard wrote it is never replaced unasked.
/// `Stop` writes nothing and names it, `Beside` writes `NAME.new.md`, `Replace` replaces it; a
/// file that only agentguard wrote (its hash recorded) is replaced freely.
#[test]
fn write_all_never_replaces_an_edited_document_unasked() {
    let k = frozen();
    let mut a = assessment(&k, "rich");
    let f = evaluate(&k, &a, today());
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let templates = docs::Templates::embedded(Ui::embedded()).expect("templates");
    let run = |a: &agentguard::Assessment, policy| {
        docs::write_all(
            &templates,
            &k,
            a,
            &f,
            Ui::embedded(),
            Some(Lang::En),
            dir,
            policy,
        )
        .expect("write")
    };
    let docs::WriteReport::Written(first) = run(&a, docs::OnEdited::Stop) else {
        panic!("nothing was there yet")
    };
    for w in first {
        a.written.insert(w.name, w.sha256);
    }
    let notice = dir.join("privacy-notice.md");
    std::fs::write(&notice, "# My edited notice\n").expect("edit");
    // Recorded and unchanged files are fine; the edited one stops the whole write.
    assert_eq!(
        run(&a, docs::OnEdited::Stop),
        docs::WriteReport::Edited(vec![notice.clone()])
    );
    assert_eq!(
        std::fs::read_to_string(&notice).expect("read"),
        "# My edited notice\n"
    );
    let docs::WriteReport::Written(w) = run(&a, docs::OnEdited::Beside) else {
        panic!("beside writes")
    };
    assert!(w.iter().any(|w| w.name == "privacy-notice.new.md"), "{w:?}");
    assert_eq!(
        std::fs::read_to_string(&notice).expect("read"),
        "# My edited notice\n"
    );
    assert!(dir.join("privacy-notice.new.md").is_file());
    run(&a, docs::OnEdited::Replace);
    assert_ne!(
        std::fs::read_to_string(&notice).expect("read"),
        "# My edited notice\n"
    );
    // A file that exists with no record counts as edited.
    a.written.clear();
    std::fs::write(dir.join("checklist.md"), "mine\n").expect("write");
    assert!(matches!(
        run(&a, docs::OnEdited::Stop),
        docs::WriteReport::Edited(_)
    ));
}

// ---------------------------------------------------------------------------------------------
// The HTML in a real browser

fn chromium() -> Option<PathBuf> {
    let candidates = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ];
    let found = candidates.iter().map(PathBuf::from).find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing: CI must install it (apt-get install -y chromium)"
        );
        eprintln!("skipping the browser test: chromium is not installed");
    }
    found
}

/// `target/screenshots`, next to the test binary's profile folder.
fn screenshot_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("exe");
    let target = exe
        .ancestors()
        .find(|p| p.file_name().is_some_and(|n| n == "target"))
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
            Path::to_path_buf,
        );
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots dir");
    dir
}

fn run_chromium(bin: &Path, profile: &Path, args: &[String]) -> std::process::Output {
    let mut cmd = std::process::Command::new("timeout");
    cmd.arg("90")
        .arg(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args);
    cmd.output().expect("run chromium")
}

fn screenshot(browser: &Path, profile: &Path, url: &str, png: &Path, size: &str) {
    let o = run_chromium(
        browser,
        profile,
        &[
            format!("--screenshot={}", png.display()),
            format!("--window-size={size}"),
            url.to_string(),
        ],
    );
    assert!(
        o.status.success() && png.is_file(),
        "{url}: screenshot failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn html_documents_render_in_headless_chromium() {
    let Some(browser) = chromium() else { return };
    let dir = screenshot_dir();
    let profile = tempfile::tempdir().expect("profile");
    let k = frozen();
    let rich = assessment(&k, "rich");
    // The real catalog too: long documents, real provider texts.
    let real_sources = Sources::embedded();
    let (real_k, _) = load::knowledge(&real_sources).expect("embedded catalog");
    let bytes = std::fs::read("tests/fixtures/docs/real-rich.yaml").expect("real-rich");
    let (real_a, _) = load::assessment("real-rich.yaml", &bytes, &real_k).expect("valid");
    let pages = [
        (
            "checklist-en",
            render(&k, &rich, Doc::Checklist, Format::Html, &[Lang::En]),
            &[
                "Verdict",
                "Do these first",
                "Where you are weakest",
                "What to do, by stage",
                "Who does what",
                "Data flow",
                "Accepted risks",
                "Unknowns",
            ][..],
            true,
        ),
        (
            "checklist-zh",
            render(&k, &rich, Doc::Checklist, Format::Html, &[Lang::Zh]),
            &["结论", "先做这几件事", "数据流向"][..],
            true,
        ),
        (
            "privacy-en",
            render(&k, &rich, Doc::Privacy, Format::Html, &[Lang::En]),
            &[
                "In short",
                "Who receives your data",
                "Cross-border transfers",
                "Your rights",
                "Children",
            ][..],
            false,
        ),
        (
            "privacy-zh",
            render(&k, &rich, Doc::Privacy, Format::Html, &[Lang::Zh]),
            &["简要说明", "谁会收到你的信息", "数据出境", "你的权利"][..],
            false,
        ),
        (
            "checklist-both",
            render(
                &k,
                &rich,
                Doc::Checklist,
                Format::Html,
                &[Lang::En, Lang::Zh],
            ),
            &["Verdict", "结论"][..],
            true,
        ),
        (
            "real-checklist-en",
            render(&real_k, &real_a, Doc::Checklist, Format::Html, &[Lang::En]),
            &["Verdict", "Data flow"][..],
            true,
        ),
        (
            "real-privacy-zh",
            render(&real_k, &real_a, Doc::Privacy, Format::Html, &[Lang::Zh]),
            &["谁会收到你的信息"][..],
            false,
        ),
    ];
    for (name, html, headings, has_svg) in pages {
        let file = dir.join(format!("{name}.html"));
        std::fs::write(&file, &html).expect("write html");
        let url = format!("file://{}", file.display());
        let o = run_chromium(
            &browser,
            profile.path(),
            &["--dump-dom".into(), url.clone()],
        );
        let dom = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "{name}: chromium failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            dom.contains("</html>") && dom.contains("<h1"),
            "{name}: nothing rendered:\n{dom}"
        );
        for h in headings {
            assert!(
                dom.contains(&format!("{h}</h2>")) || dom.contains(&format!("{h}</h1>")),
                "{name}: heading {h:?} missing"
            );
        }
        if has_svg {
            assert!(
                dom.contains("<svg class=\"flow\""),
                "{name}: no data-flow SVG"
            );
            assert!(
                dom.contains("<rect") && dom.contains("<path"),
                "{name}: the SVG is empty"
            );
        }
        assert!(!dom.contains("<script"), "{name}: a script in the page");
        for (suffix, size) in [("desktop", "1280,2200"), ("phone", "390,2200")] {
            screenshot(
                &browser,
                profile.path(),
                &url,
                &dir.join(format!("{name}-{suffix}.png")),
                size,
            );
        }
    }
    // The data-flow drawings alone (a headless screenshot cannot scroll to an anchor), in the
    // same page layout.
    let ui = Ui::embedded();
    let templates = Templates::embedded(ui).expect("templates");
    for (name, kk, aa, lang) in [
        ("flow-en", &k, &rich, Lang::En),
        ("flow-zh", &k, &rich, Lang::Zh),
        ("flow-real-en", &real_k, &real_a, Lang::En),
        ("flow-real-zh", &real_k, &real_a, Lang::Zh),
    ] {
        let flow = agentguard::dataflow::build(kk, aa, ui);
        let svg = docs::diagram::svg(&flow, lang, ui);
        let page = docs::html::Page {
            title: name.into(),
            html_lang: docs::html::html_lang(lang),
            lang,
            generated: TODAY.into(),
            multiple: false,
            articles: vec![docs::html::Article {
                lang,
                html_lang: docs::html::html_lang(lang),
                id: lang.code(),
                label: String::new(),
                body: docs::html::markdown_to_html("# Data flow\n\n```mermaid\n```\n", Some(&svg)),
            }],
        };
        let file = dir.join(format!("{name}.html"));
        std::fs::write(&file, templates.render_page(&page).expect("page")).expect("write");
        let url = format!("file://{}", file.display());
        for (suffix, size) in [("desktop", "1280,900"), ("phone", "390,900")] {
            screenshot(
                &browser,
                profile.path(),
                &url,
                &dir.join(format!("{name}-{suffix}.png")),
                size,
            );
        }
    }
    eprintln!("screenshots in {}", dir.display());
}

/// Where the time goes, for `benches/outputs-timing.sh` follow-ups:
/// `cargo test --release --test docs_outputs -- --ignored --nocapture phase_timings`.
#[test]
#[ignore = "a measurement, not a check"]
fn phase_timings() {
    use std::time::Instant;
    let t0 = Instant::now();
    let sources = Sources::embedded();
    let (k, _) = load::knowledge(&sources).expect("catalog");
    let t1 = Instant::now();
    let bytes = std::fs::read("tests/fixtures/docs/real-rich.yaml").expect("read");
    let (a, _) = load::assessment("real-rich.yaml", &bytes, &k).expect("valid");
    let f = evaluate(&k, &a, today());
    let t2 = Instant::now();
    let ui = Ui::embedded();
    let t3 = Instant::now();
    let templates = Templates::new(ui, &sources).expect("templates");
    let t4 = Instant::now();
    let inp = input(&k, &a, &f);
    let ctx = docs::checklist::build(&inp, Lang::En);
    let t5 = Instant::now();
    let md = templates
        .render_md(agentguard::docs::template::CHECKLIST, &ctx)
        .expect("md");
    let t6 = Instant::now();
    let html =
        docs::render(&templates, Doc::Checklist, Format::Html, &inp, &[Lang::En]).expect("html");
    let t7 = Instant::now();
    let p = docs::render(&templates, Doc::Privacy, Format::Md, &inp, &[Lang::Zh]).expect("p");
    let t8 = Instant::now();
    let portable = docs::portable::markdown(&md);
    let t9 = Instant::now();
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
    eprintln!(
        "knowledge {:.2} ms · assessment+evaluate {:.2} · ui {:.2} · templates {:.2} · checklist ctx {:.2} · checklist md {:.2} ({} B) · checklist html (all) {:.2} ({} B) · privacy md (all) {:.2} ({} B) · checklist md made portable {:.2} ({} B)",
        ms(t0, t1),
        ms(t1, t2),
        ms(t2, t3),
        ms(t3, t4),
        ms(t4, t5),
        ms(t5, t6),
        md.len(),
        ms(t6, t7),
        html.len(),
        ms(t7, t8),
        p.len(),
        ms(t8, t9),
        portable.len()
    );
}

#[test]
#[ignore = "a measurement, not a check"]
fn template_parse_timings() {
    for f in [
        "checklist.md.hbs",
        "privacy.md.hbs",
        "page.html.hbs",
        "page.css",
    ] {
        let text = std::fs::read_to_string(format!("templates/{f}")).expect("read");
        let t = std::time::Instant::now();
        for _ in 0..10 {
            let mut h = handlebars::Handlebars::new();
            h.register_template_string("x", &text).expect("parse");
        }
        eprintln!(
            "{f}: {} B, {:.2} ms per parse",
            text.len(),
            t.elapsed().as_secs_f64() * 100.0
        );
    }
}

#[test]
#[ignore = "a measurement, not a check"]
fn expression_parse_timings() {
    for (name, unit) in [
        ("var", "{{x}} text\n"),
        ("path", "{{a.b.c}} text\n"),
        ("helper-literal", "{{t \"docs.a.b\"}} text\n"),
        ("helper-hash", "{{t \"docs.a\" x=y}} text\n"),
        ("if-block", "{{#if x}}y{{/if}} text\n"),
        ("each-block", "{{#each x}}y{{/each}} text\n"),
        ("root", "{{@root.lang}} text\n"),
    ] {
        let text = unit.repeat(100);
        let t = std::time::Instant::now();
        for _ in 0..10 {
            let mut h = handlebars::Handlebars::new();
            h.register_template_string("x", &text).expect("parse");
        }
        eprintln!(
            "{name}: {:.3} ms per 100",
            t.elapsed().as_secs_f64() * 100.0
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Notice facts (issue 14, "Measurable"): a vendor and its retention added in the fixture catalog
// alone (tests/fixtures/docs-extra/questionnaires/06-vendors.yaml) reach the notice, its JSON
// `facts` and the data-flow view; no Rust code names them.

#[test]
fn a_new_vendor_and_its_retention_reach_every_output_without_code() {
    use agentguard::docs::facts;
    let k = frozen();
    let text = "schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n  \
        users.audience: {value: public}\n  users.regions: {value: [cn_mainland]}\n  \
        users.minors: {value: \"no\"}\n  model.providers: {value: [beta]}\n  \
        data.categories: {value: [chat_content, voice]}\n  \
        vendors.speech: {value: [acme_speech]}\n  vendors.speech_retention: {value: under_7d}\n  \
        memory.history: {value: none}\n  memory.logs_where: {value: [none]}\n";
    let a = match load::assessment("vendor.yaml", text.as_bytes(), &k) {
        Ok((a, _)) => a,
        Err(d) => panic!("invalid: {d:#?}"),
    };
    // What the fixture declares, read from the loaded catalog rather than written out here.
    let q = |id: &str| k.questionnaire.question(id).expect(id);
    let vendor = q("vendors.speech").option("acme_speech").expect("vendor");
    let period = q("vendors.speech_retention")
        .option("under_7d")
        .expect("period");
    let place = vendor.means.location.expect("the vendor's location");
    let ui = Ui::embedded();
    let f = evaluate(&k, &a, today());
    let flow = agentguard::dataflow::build(&k, &a, ui);
    for lang in [Lang::En, Lang::Zh] {
        // The notice: the vendor's entry says where it is and how long it keeps the data, and
        // the transfer section names it (its place is outside the users' mainland China).
        let md = render(&k, &a, Doc::Privacy, Format::Md, &[lang]);
        let entry = md
            .split(&format!("### {}\n", vendor.label.get(lang)))
            .nth(1)
            .unwrap_or_else(|| panic!("{lang:?}: no entry for the vendor:\n{md}"));
        let entry = entry.split("\n#").next().unwrap_or_default();
        let where_ = ui.get(lang, &format!("docs.privacy.place.{}", place.code()));
        assert!(entry.contains(&where_), "{lang:?}: {entry}");
        assert!(entry.contains(period.label.get(lang)), "{lang:?}: {entry}");
        // The JSON: the vendor, its place, its transfer and its retention, with the answers.
        let notice = docs::privacy::build(&input(&k, &a, &f), lang);
        let json: serde_json::Value =
            serde_json::from_str(&privacy_json(&k, &a, &[lang])).expect("json");
        let codes: Vec<&str> = json["facts"]
            .as_array()
            .expect("facts")
            .iter()
            .filter_map(|f| f["code"].as_str())
            .collect();
        let subject = &vendor.id;
        for want in [
            format!("recipient:{subject}=model_api"),
            format!("location:{subject}={}", place.code()),
            format!("transfer:{subject}=cn_mainland"),
            format!("retention:{subject}={}", period.id),
        ] {
            assert!(
                codes.contains(&want.as_str()),
                "{lang:?}: no {want} in {codes:?}"
            );
        }
        let kept = notice
            .facts
            .iter()
            .find(|f| f.code == format!("retention:{subject}={}", period.id))
            .expect("retention fact");
        let questions: Vec<&str> = kept.answers.iter().map(|r| r.question.as_str()).collect();
        assert_eq!(questions, ["vendors.speech", "vendors.speech_retention"]);
        assert!(
            facts::unstated(&notice.facts, &md).is_empty(),
            "{lang:?}: {:?}",
            facts::unstated(&notice.facts, &md)
        );
        // The data-flow view: the vendor's node carries its place and its retention, in the
        // model, the mermaid diagram and the SVG.
        let node = flow
            .nodes
            .iter()
            .find(|n| n.label.get(lang) == vendor.label.get(lang))
            .expect("a node for the vendor");
        let kept = node.kept.as_ref().expect("the node's retention").get(lang);
        assert!(kept.contains(period.label.get(lang)), "{kept}");
        let mermaid = docs::diagram::mermaid(&flow, lang);
        let svg = docs::diagram::svg(&flow, lang, ui);
        assert!(
            mermaid.contains(period.label.get(lang)),
            "mermaid {lang:?} lacks the period:\n{mermaid}"
        );
        // The SVG wraps long region lines: every word of the period is there.
        for word in period.label.get(lang).split_whitespace() {
            assert!(svg.contains(word), "svg {lang:?} lacks {word:?}:\n{svg}");
        }
    }
}
