//! Tests of the real, embedded content: counts and coverage, that every threat can fire through an
//! assessment that is valid under the skip logic, the example agents' expectations, the changelog
//! discipline, and the official terms.

use std::collections::{BTreeMap, BTreeSet};

use agentguard::evaluate::question_states;
use agentguard::model::{
    Answer, AnswerSource, Assessment, Knowledge, Lang, QuestionKind, ReferenceKind, Value,
};
use agentguard::{Sources, evaluate, load};
use serde::Deserialize;

fn knowledge() -> Knowledge {
    match load::knowledge(&Sources::embedded()) {
        Ok((k, _)) => k,
        Err(d) => panic!("embedded catalog invalid: {d:#?}"),
    }
}

fn today() -> i64 {
    agentguard::util::parse_date("2026-11-26").expect("date")
}

#[test]
fn counts_meet_the_bar() {
    let k = knowledge();
    let live_q = k
        .questionnaire
        .questions
        .iter()
        .filter(|q| q.retired.is_none())
        .count();
    assert!(live_q >= 45, "{live_q} questions");
    assert!(k.questionnaire.sections.len() >= 9);
    let live_t = k
        .catalog
        .threats
        .iter()
        .filter(|t| t.retired.is_none())
        .count();
    assert!(live_t >= 80, "{live_t} threats");
    assert!(k.catalog.providers.len() >= 14);
}

#[test]
fn every_owasp_id_is_cited_and_enough_atlas() {
    let k = knowledge();
    let mut cited = BTreeSet::new();
    let mut atlas = BTreeSet::new();
    for t in k.catalog.threats.iter().filter(|t| t.retired.is_none()) {
        for &r in &t.references {
            let r = &k.catalog.references[r];
            cited.insert(r.id.clone());
            if r.kind == ReferenceKind::Atlas && r.id.starts_with("AML.T") {
                atlas.insert(r.id.clone());
            }
        }
    }
    let mut missing = Vec::new();
    for i in 1..=10 {
        for id in [format!("LLM{i:02}:2025"), format!("ASI{i:02}:2026")] {
            if !cited.contains(&id) {
                missing.push(id);
            }
        }
    }
    for i in 1..=15 {
        let id = format!("T{i}");
        if !cited.contains(&id) {
            missing.push(id);
        }
    }
    assert!(missing.is_empty(), "not cited by any threat: {missing:?}");
    assert!(atlas.len() >= 15, "only {} ATLAS techniques", atlas.len());
}

/// A small deterministic generator (xorshift64*), so the search is reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn random_value(q: &agentguard::model::Question, rng: &mut Rng) -> Value {
    let live: Vec<&agentguard::model::Choice> = q
        .options
        .iter()
        .filter(|o| o.retired.is_none() && !o.is_not_sure)
        .collect();
    match q.kind {
        QuestionKind::Single | QuestionKind::YesNo => {
            if q.not_sure && rng.chance(5) {
                return Value::Choice("not_sure".into());
            }
            Value::Choice(live[rng.below(live.len())].id.clone())
        }
        QuestionKind::Multiple => {
            let exclusive: Vec<_> = live.iter().filter(|o| o.exclusive).collect();
            if !exclusive.is_empty() && rng.chance(10) {
                return Value::Choices(vec![exclusive[rng.below(exclusive.len())].id.clone()]);
            }
            let mut picked: Vec<String> = live
                .iter()
                .filter(|o| !o.exclusive)
                .filter(|_| rng.chance(30))
                .map(|o| o.id.clone())
                .collect();
            if picked.is_empty() {
                let plain: Vec<_> = live.iter().filter(|o| !o.exclusive).collect();
                picked.push(plain[rng.below(plain.len())].id.clone());
            }
            Value::Choices(picked)
        }
        QuestionKind::Number => {
            const N: [f64; 7] = [0.0, 10.0, 500.0, 5000.0, 50_000.0, 200_000.0, 2_000_000.0];
            Value::Number(N[rng.below(N.len())])
        }
        QuestionKind::Text => Value::Text("agent".into()),
    }
}

/// A random assessment that is valid under the skip logic: every question gets an answer, then the
/// answers to questions the skip logic hides are removed.
fn random_assessment(k: &Knowledge, rng: &mut Rng) -> Assessment {
    let mut a = Assessment::new(k.catalog.manifest.version, Lang::En);
    for q in k
        .questionnaire
        .questions
        .iter()
        .filter(|q| q.retired.is_none())
    {
        a.answers.insert(
            q.id.clone(),
            Answer {
                value: random_value(q, rng),
                at: String::new(),
                source: AnswerSource::User,
                confirmed: true,
                evidence: None,
            },
        );
    }
    let hidden: Vec<String> = question_states(k, &a)
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, agentguard::condition::QState::Hidden))
        .map(|(i, _)| k.questionnaire.questions[i].id.clone())
        .collect();
    for id in hidden {
        a.answers.remove(&id);
    }
    a
}

#[test]
fn every_threat_can_fire_through_a_valid_assessment() {
    let k = knowledge();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut fired: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..4000 {
        let a = random_assessment(&k, &mut rng);
        // The generated assessment must itself pass the loader: write and read it back.
        let f = evaluate(&k, &a, today());
        for x in f.definite() {
            *fired
                .entry(k.catalog.threats[x.threat].id.clone())
                .or_default() += 1;
        }
    }
    let never: Vec<&str> = k
        .catalog
        .threats
        .iter()
        .filter(|t| t.retired.is_none() && !fired.contains_key(&t.id))
        .map(|t| t.id.as_str())
        .collect();
    assert!(
        never.is_empty(),
        "threats that never fired in 4000 valid assessments: {never:?}"
    );
}

#[test]
fn generated_assessments_round_trip_through_the_file_format() {
    let k = knowledge();
    let mut rng = Rng(7);
    for _ in 0..50 {
        let a = random_assessment(&k, &mut rng);
        let yaml = agentguard::store::to_yaml(&a).expect("serialise");
        let (back, warnings) = load::assessment("gen.yaml", yaml.as_bytes(), &k)
            .unwrap_or_else(|d| panic!("{d:#?}\n{yaml}"));
        assert!(warnings.is_empty(), "{warnings:#?}");
        assert_eq!(back.answers, a.answers);
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    max_questions_shown: usize,
    must: Vec<String>,
    possible: Vec<String>,
    must_not: Vec<String>,
}

fn matches(pattern: &str, id: &str) -> bool {
    pattern
        .strip_suffix('*')
        .map_or(pattern == id, |prefix| id.starts_with(prefix))
}

#[test]
fn examples_produce_what_they_declare() {
    let k = knowledge();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut checked = 0;
    let mut problems = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".expect.yaml"))
        .collect();
    names.sort();
    for exp_path in names {
        let name = exp_path.to_string_lossy().replace(".expect.yaml", ".yaml");
        let expect: Expect =
            serde_saphyr::from_str(&std::fs::read_to_string(&exp_path).expect("read"))
                .expect("expect file");
        let bytes = std::fs::read(&name).expect("example");
        let (a, warnings) =
            load::assessment(&name, &bytes, &k).unwrap_or_else(|d| panic!("{name}: {d:#?}"));
        assert!(warnings.is_empty(), "{name}: {warnings:#?}");
        let f = evaluate(&k, &a, today());
        let definite: BTreeSet<&str> = f
            .definite()
            .map(|x| k.catalog.threats[x.threat].id.as_str())
            .collect();
        let possible: BTreeSet<&str> = f
            .possible()
            .map(|x| k.catalog.threats[x.threat].id.as_str())
            .collect();
        for m in &expect.must {
            assert!(k.catalog.threat(m).is_some(), "{name}: unknown threat {m}");
            if !definite.contains(m.as_str()) {
                problems.push(format!("{name}: must produce {m}"));
            }
        }
        for m in &expect.possible {
            if !possible.contains(m.as_str()) {
                problems.push(format!("{name}: must produce {m} as a possible finding"));
            }
        }
        for p in &expect.must_not {
            for id in definite.iter().chain(possible.iter()) {
                if matches(p, id) {
                    problems.push(format!("{name}: must not produce {id} (rule {p})"));
                }
            }
        }
        if f.visible.len() > expect.max_questions_shown {
            problems.push(format!(
                "{name}: shows {} questions, at most {} allowed",
                f.visible.len(),
                expect.max_questions_shown
            ));
        }
        if !f.unanswered.is_empty() {
            problems.push(format!(
                "{name}: {} visible questions unanswered",
                f.unanswered.len()
            ));
        }
        checked += 1;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 4, "only {checked} examples");
}

#[test]
fn a_local_single_user_agent_gets_no_legal_or_public_noise() {
    let k = knowledge();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/local-ollama-notes.yaml"
    );
    let (a, _) = load::assessment(path, &std::fs::read(path).expect("read"), &k).expect("valid");
    let f = evaluate(&k, &a, today());
    for x in &f.findings {
        let t = &k.catalog.threats[x.threat];
        let legal: Vec<&str> = t
            .references
            .iter()
            .map(|&r| &k.catalog.references[r])
            .filter(|r| matches!(r.kind, ReferenceKind::Law | ReferenceKind::Standard))
            .map(|r| r.id.as_str())
            .collect();
        assert!(
            legal.is_empty(),
            "{} cites {legal:?} for a local single-user agent",
            t.id
        );
    }
    assert!(f.findings.len() <= 3, "{} findings", f.findings.len());
}

#[test]
fn content_changes_need_a_version_bump_and_changelog_entry() {
    let sources = Sources::embedded();
    let k = knowledge();
    let hash = load::content_hash(&sources);
    let latest = k.catalog.manifest.changelog.last().expect("changelog");
    assert_eq!(
        latest.content_hash, hash,
        "catalog content changed: raise `version` in catalog/catalog.yaml, add a changelog entry listing \
         what was added/changed/retired, and set its content_hash to {hash}"
    );
    assert_eq!(latest.version, k.catalog.manifest.version);
    let mut listed = BTreeSet::new();
    for e in &k.catalog.manifest.changelog {
        listed.extend(e.added.iter().cloned());
    }
    let mut missing = Vec::new();
    for t in &k.catalog.threats {
        if !listed.contains(&t.id) {
            missing.push(t.id.clone());
        }
    }
    for q in &k.questionnaire.questions {
        if !listed.contains(&q.id) {
            missing.push(q.id.clone());
        }
        for o in q
            .options
            .iter()
            .filter(|o| !o.is_not_sure && q.kind != QuestionKind::YesNo)
        {
            let id = format!("{}/{}", q.id, o.id);
            if !listed.contains(&id) {
                missing.push(id);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ids in no changelog `added` list: {missing:?}"
    );
}

#[test]
fn official_terms_are_used() {
    let k = knowledge();
    let official = [
        ("LLM01:2025", "提示词注入"),
        ("LLM02:2025", "敏感信息泄露"),
        ("LLM03:2025", "供应链"),
        ("LLM04:2025", "数据与模型投毒"),
        ("LLM05:2025", "不当输出处理"),
        ("LLM06:2025", "过度授权"),
        ("LLM07:2025", "系统提示泄露"),
        ("LLM08:2025", "向量与嵌入漏洞"),
        ("LLM09:2025", "信息误导"),
        ("LLM10:2025", "无限资源消耗"),
    ];
    for (id, zh) in official {
        let r = &k.catalog.references[k.catalog.reference_by_id[id]];
        assert_eq!(r.name.zh, zh, "{id}");
    }
    // 过度代理 is the common but unofficial rendering of Excessive Agency.
    let mut texts = Vec::new();
    for t in &k.catalog.threats {
        texts.extend([&t.title.zh, &t.description.zh, &t.why.zh]);
    }
    for m in &k.catalog.mitigations {
        texts.extend([&m.title.zh, &m.detail.zh]);
    }
    for q in &k.questionnaire.questions {
        texts.extend([&q.prompt.zh, &q.why.zh]);
    }
    for t in texts {
        assert!(!t.contains("过度代理"), "unofficial term in: {t}");
    }
}

/// The house terms of the Chinese catalog text (issue 13 §4, `../shared/STYLE.md`): one rendering of
/// "you answered" (你回答了), full-width quotes outside code, article numbers in Chinese numerals
/// (第十三条), 隐私政策 for the privacy notice and 模型厂商 for the model vendor.
#[test]
fn chinese_house_terms_are_used() {
    let k = knowledge();
    let mut texts: Vec<(&str, &str)> = Vec::new();
    for t in &k.catalog.threats {
        for s in [&t.title.zh, &t.description.zh, &t.why.zh] {
            texts.push((&t.id, s));
        }
    }
    for m in &k.catalog.mitigations {
        for s in [&m.title.zh, &m.detail.zh] {
            texts.push((&m.id, s));
        }
    }
    let banned = [
        ("你选择了", "你回答了"),
        ("隐私声明", "隐私政策"),
        ("隐私协议", "隐私政策"),
        ("隐私说明", "隐私政策"),
        ("大模型厂商", "模型厂商"),
        ("模型服务商", "模型厂商"),
        ("模型提供方", "模型厂商"),
        ("模型提供商", "模型厂商"),
        ("模型供应商", "模型厂商"),
    ];
    let mut bad = Vec::new();
    for (id, s) in texts {
        for (word, want) in banned {
            if s.contains(word) {
                bad.push(format!("{id}: {word} (use {want})"));
            }
        }
        // "你说" as "you answered"; 你说不清 / 你说不出 ("you cannot say") are ordinary words.
        let cs: Vec<char> = s.chars().collect();
        for (i, w) in cs.windows(2).enumerate() {
            if w == ['你', '说'] && !matches!(cs.get(i + 2), Some('不' | '出' | '清')) {
                bad.push(format!("{id}: 你说 (use 你回答了)"));
            }
        }
        // Outside `code`, no ASCII double quote and no Arabic article number (第13条).
        let mut in_code = false;
        let mut prev: Vec<char> = Vec::new();
        for c in s.chars() {
            if c == '`' {
                in_code = !in_code;
            } else if !in_code {
                if c == '"' {
                    bad.push(format!("{id}: ASCII quote (use “”)"));
                }
                if matches!(c, '条' | '款' | '项') {
                    let digits: String = prev
                        .iter()
                        .rev()
                        .skip_while(|c| **c == ' ')
                        .take_while(|c| c.is_ascii_digit())
                        .collect();
                    let before = prev
                        .iter()
                        .rev()
                        .skip_while(|c| **c == ' ')
                        .skip_while(|c| c.is_ascii_digit())
                        .find(|c| **c != ' ');
                    if !digits.is_empty() && before == Some(&'第') {
                        bad.push(format!(
                            "{id}: 第{}{c} (use Chinese numerals)",
                            digits.chars().rev().collect::<String>()
                        ));
                    }
                }
            }
            prev.push(c);
        }
    }
    bad.dedup();
    assert!(bad.is_empty(), "Chinese house terms:\n{}", bad.join("\n"));
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
        || matches!(c, '“' | '”' | '‘' | '’')
}

#[test]
fn chinese_text_has_no_stray_spaces_from_line_folding() {
    let k = knowledge();
    let mut bad = Vec::new();
    let mut check = |id: &str, s: &str| {
        let cs: Vec<char> = s.chars().collect();
        for w in cs.windows(3) {
            if is_cjk(w[0]) && w[1] == ' ' && is_cjk(w[2]) {
                bad.push(format!("{id}: …{}…", w.iter().collect::<String>()));
                break;
            }
        }
    };
    for t in &k.catalog.threats {
        check(&t.id, &t.title.zh);
        check(&t.id, &t.description.zh);
        check(&t.id, &t.why.zh);
    }
    for m in &k.catalog.mitigations {
        check(&m.id, &m.title.zh);
        check(&m.id, &m.detail.zh);
    }
    for q in &k.questionnaire.questions {
        check(&q.id, &q.prompt.zh);
        check(&q.id, &q.why.zh);
        if let Some(h) = &q.help {
            check(&q.id, &h.zh);
        }
    }
    for p in &k.catalog.providers {
        check(&p.id, &p.covers.zh);
        check(&p.id, &p.does_not_cover.zh);
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The figures the README gives for the questionnaire and catalog are the embedded ones (issue 13:
/// "README's figures (questions, threats) match the catalog").
#[test]
fn readme_figures_match_the_catalog() {
    let k = knowledge();
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let live = k
        .questionnaire
        .questions
        .iter()
        .filter(|q| q.retired.is_none())
        .count();
    let retired = k.questionnaire.questions.len() - live;
    let expected = [
        format!("{} sections", k.questionnaire.sections.len()),
        format!("{live} live questions"),
        format!("{retired} retired v1"),
        format!("{} threats, each", k.catalog.threats.len()),
        format!("what {} model providers", k.catalog.providers.len()),
    ];
    // Every count the README states about the catalog, with its words after it.
    let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    for e in &expected {
        assert!(
            flat.contains(e.as_str()),
            "README.md does not say \"{e}\" (the embedded catalog's figure)"
        );
    }
}

/// The changelog runs forward: versions rise, dates never go back, and the manifest's `released`
/// is the newest entry's date (a date in the future would make "the catalog is N days old"
/// negative and the review's "since" comparisons wrong).
#[test]
fn changelog_versions_and_dates_run_forward() {
    let k = knowledge();
    let m = &k.catalog.manifest;
    let log = &m.changelog;
    assert!(!log.is_empty());
    for w in log.windows(2) {
        assert!(
            w[0].version < w[1].version,
            "version {} then {}",
            w[0].version,
            w[1].version
        );
        assert!(
            w[0].date <= w[1].date,
            "version {} dated {} after version {} dated {}",
            w[0].version,
            w[0].date,
            w[1].version,
            w[1].date
        );
    }
    let last = log.last().expect("entry");
    assert_eq!(last.version, m.version);
    assert_eq!(m.released, last.date, "released is the newest entry's date");
    // Not in the future (a day of slack for time zones).
    let released = agentguard::util::parse_date(&m.released).expect("released is a date");
    assert!(
        released <= agentguard::clock::local_today() + 1,
        "released {} is in the future",
        m.released
    );
}
