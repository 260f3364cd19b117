//! The blind field test's scoring harness (`tests/field/FORMAT.md` describes the files).
//!
//! For every agent of `tests/field/agents/`, an expert's expectations written from the story alone
//! (`expect.yaml`) are compared with what the engine finds for the answers a developer would give
//! (`answers.yaml`), through a reviewer's mapping of each statement to threat ids (`map.yaml`) and
//! a judge's verdicts on definite findings no statement covers (`judged.yaml`). The harness prints
//! recall, precision, critical misses and questions shown per agent and in total (run with
//! `--nocapture`), and fails on any integrity problem of the set, and below each quality target
//! listed in `ENFORCED` (the others are reported, not enforced, until the content reaches them).
//!
//! The tests at the end check the arithmetic on the synthetic set `tests/fixtures/field-mini/`
//! and on hand-made findings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use agentguard::condition::QState;
use agentguard::docs::facts::FactKind;
use agentguard::docs::{Input, privacy};
use agentguard::evaluate::question_states;
use agentguard::meaning::Delivery;
use agentguard::model::{Assessment, Knowledge, Lang, Severity};
use agentguard::{Sources, evaluate, load};
use serde::Deserialize;

/// The quality targets, each checked on the scored set and on its held-out part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Recall,
    Precision,
    CriticalMiss,
    QuestionsMedian,
    QuestionsMax,
    PersonalQuestions,
    Notice,
    NoticeViolations,
}

/// The targets the field test fails below. The targets the content already meets are enforced,
/// so that they cannot slip back; recall, precision, critical misses and the notice score join
/// when the content reaches them.
const ENFORCED: &[Target] = &[
    Target::QuestionsMedian,
    Target::QuestionsMax,
    Target::PersonalQuestions,
    Target::NoticeViolations,
];
/// Pooled recall: `must` statements matched ÷ all `must` statements.
const TARGET_RECALL: f64 = 0.95;
/// Pooled precision: 1 − wrong definite findings ÷ all definite findings.
const TARGET_PRECISION: f64 = 0.90;
/// Agents with at least one critical miss.
const TARGET_CRITICAL_MISS_AGENTS: usize = 0;
/// Visible questions after answering: median and maximum over the agents.
const TARGET_QUESTIONS_MEDIAN: f64 = 35.0;
const TARGET_QUESTIONS_MAX: usize = 42;
/// Visible questions for a personal tool (delivery shape `personal`): at most this many.
const TARGET_PERSONAL_QUESTIONS_MAX: usize = 20;
/// Pooled notice score: mapped `notice_must` statements the notice states ÷ all mapped ones.
const TARGET_NOTICE: f64 = 0.95;
/// `notice_must_not` statements the notice states.
const TARGET_NOTICE_VIOLATIONS: usize = 0;

/// The evaluation date (it decides only which acceptances have expired), fixed so that scores
/// are reproducible.
const TODAY: &str = "2026-11-26";

static KNOWLEDGE: LazyLock<Knowledge> =
    LazyLock::new(|| match agentguard::knowledge(&Sources::embedded()) {
        Ok((k, _)) => k,
        Err(d) => panic!("embedded catalog invalid: {d:#?}"),
    });

fn today() -> i64 {
    agentguard::util::parse_date(TODAY).expect("date")
}

// ---- the files ------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetFile {
    seed: u64,
    held_out: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Statement {
    id: String,
    text: String,
    #[serde(default)]
    critical: bool,
    #[serde(default)]
    open: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    must: Vec<Statement>,
    must_not: Vec<Statement>,
    #[serde(default)]
    notice_must: Vec<Statement>,
    #[serde(default)]
    notice_must_not: Vec<Statement>,
}

/// One `map.yaml` value: the threat ids that satisfy the statement, or `none`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mapped {
    None,
    Threats(Vec<String>),
}

impl Mapped {
    fn threats(&self) -> &[String] {
        match self {
            Mapped::None => &[],
            Mapped::Threats(t) => t,
        }
    }
}

impl<'de> Deserialize<'de> for Mapped {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Mapped;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of threat ids or `none`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Mapped, E> {
                if v == "none" {
                    Ok(Mapped::None)
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
                }
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Mapped, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<String>()? {
                    ids.push(id);
                }
                Ok(Mapped::Threats(ids))
            }
        }
        d.deserialize_any(V)
    }
}

/// One `notice-map.yaml` item: a fact pattern, or a list of patterns of which one is enough.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
enum NoticeItem {
    One(String),
    AnyOf(Vec<String>),
}

impl NoticeItem {
    fn patterns(&self) -> &[String] {
        match self {
            NoticeItem::One(p) => std::slice::from_ref(p),
            NoticeItem::AnyOf(ps) => ps,
        }
    }
}

/// One `notice-map.yaml` value: the facts that state the statement (all of them), or `prose`
/// when the fact vocabulary cannot express it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NoticeMapped {
    Prose,
    Facts(Vec<NoticeItem>),
}

impl<'de> Deserialize<'de> for NoticeMapped {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Word(String),
            Items(Vec<NoticeItem>),
        }
        match Raw::deserialize(d)? {
            Raw::Word(w) if w == "prose" => Ok(NoticeMapped::Prose),
            Raw::Word(w) => Err(serde::de::Error::custom(format!(
                "`{w}`: expected a list of fact patterns or `prose`"
            ))),
            Raw::Items(items) => Ok(NoticeMapped::Facts(items)),
        }
    }
}

/// Whether a fact code (`kind:value` or `kind:subject=value`) matches a pattern: `kind` matches
/// every fact of that kind; `kind:x` the fact `kind:x` and every `kind:x=…`; `kind:s=v` only itself.
fn fact_matches(code: &str, pattern: &str) -> bool {
    if !pattern.contains(':') {
        return code.split(':').next() == Some(pattern);
    }
    code == pattern || (!pattern.contains('=') && code.starts_with(&format!("{pattern}=")))
}

/// Whether the notice states everything a mapped statement lists.
fn notice_states(codes: &[String], items: &[NoticeItem]) -> bool {
    items.iter().all(|i| {
        i.patterns()
            .iter()
            .any(|p| codes.iter().any(|c| fact_matches(c, p)))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Verdict {
    Right,
    Wrong,
    Noise,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Judgement {
    verdict: Verdict,
    why: String,
}

/// One agent folder as read from disk. `expect` is `None` when expect.yaml is missing or broken
/// (a problem is recorded); `assessment` is `None` when answers.yaml is absent (the agent is
/// pending) or broken (`broken` is set).
#[derive(Debug, Clone)]
struct Agent {
    slug: String,
    zh: bool,
    held_out: bool,
    expect: Option<Expect>,
    map: Option<BTreeMap<String, Mapped>>,
    /// `notice-map.yaml`, when the notice statements are mapped.
    notice_map: Option<BTreeMap<String, NoticeMapped>>,
    assessment: Option<Assessment>,
    judged: BTreeMap<String, Judgement>,
    broken: bool,
}

impl Agent {
    fn pending(&self) -> bool {
        !self.broken && self.assessment.is_none()
    }
}

#[derive(Debug, Default)]
struct Loaded {
    seed: Option<u64>,
    agents: Vec<Agent>,
    problems: Vec<String>,
    warnings: Vec<String>,
}

/// A path as messages show it: relative to the crate when it is inside it.
fn shown(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", shown(path)))?;
    serde_saphyr::from_str(&text).map_err(|e| format!("{}: {e}", shown(path)))
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c))
}

/// Reads a field set: `set.yaml` and every folder of `agents/`. Problems that stop an agent from
/// being scored are recorded; scoring checks the rest.
fn load_set(root: &Path, k: &Knowledge) -> Loaded {
    let mut out = Loaded::default();
    let set: Option<SetFile> = match read_yaml(&root.join("set.yaml")) {
        Ok(s) => Some(s),
        Err(e) => {
            out.problems.push(e);
            None
        }
    };
    out.seed = set.as_ref().map(|s| s.seed);
    let mut slugs: Vec<String> = match std::fs::read_dir(root.join("agents")) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|s| !s.starts_with('.'))
            .collect(),
        Err(_) => Vec::new(),
    };
    slugs.sort();
    let held_out: BTreeSet<String> = set
        .as_ref()
        .map(|s| s.held_out.iter().cloned().collect())
        .unwrap_or_default();
    if let Some(s) = &set {
        let mut seen = BTreeSet::new();
        for h in &s.held_out {
            if !seen.insert(h) {
                out.problems
                    .push(format!("set.yaml: held_out lists `{h}` twice"));
            }
            if !slugs.contains(h) {
                out.problems.push(format!(
                    "set.yaml: held_out names `{h}`, which has no folder in agents/"
                ));
            }
        }
    }
    for slug in slugs {
        let dir = root.join("agents").join(&slug);
        let agent = load_agent(&slug, &dir, held_out.contains(&slug), k, &mut out);
        out.agents.push(agent);
    }
    out
}

fn load_agent(slug: &str, dir: &Path, held_out: bool, k: &Knowledge, out: &mut Loaded) -> Agent {
    let story = match std::fs::read_to_string(dir.join("story.md")) {
        Ok(s) => {
            if s.trim().is_empty() {
                out.problems.push(format!("{slug}: story.md is empty"));
            }
            s
        }
        Err(e) => {
            out.problems
                .push(format!("{slug}: {}: {e}", shown(&dir.join("story.md"))));
            String::new()
        }
    };
    let mut broken = false;
    let expect = match read_yaml::<Expect>(&dir.join("expect.yaml")) {
        Ok(x) => Some(x),
        Err(e) => {
            out.problems.push(format!("{slug}: {e}"));
            broken = true;
            None
        }
    };
    let map_path = dir.join("map.yaml");
    let answers_path = dir.join("answers.yaml");
    let map = if map_path.exists() {
        match read_yaml::<BTreeMap<String, Mapped>>(&map_path) {
            Ok(m) => Some(m),
            Err(e) => {
                out.problems.push(format!("{slug}: {e}"));
                broken = true;
                None
            }
        }
    } else {
        None
    };
    let assessment = if answers_path.exists() {
        if map.is_none() && !map_path.exists() {
            out.problems.push(format!(
                "{slug}: answers.yaml without map.yaml (the reviewer's map comes first)"
            ));
            broken = true;
        }
        let name = shown(&answers_path);
        let ui = agentguard::i18n::Ui::embedded();
        match std::fs::read(&answers_path) {
            Err(e) => {
                out.problems.push(format!("{slug}: {name}: {e}"));
                broken = true;
                None
            }
            Ok(bytes) => match load::assessment(&name, &bytes, k) {
                Ok((a, warnings)) => {
                    for w in warnings.warnings() {
                        out.warnings
                            .push(format!("{slug}: {}", w.render(ui, Lang::En)));
                    }
                    Some(a)
                }
                Err(d) => {
                    for e in d.errors() {
                        out.problems
                            .push(format!("{slug}: {}", e.render(ui, Lang::En)));
                    }
                    broken = true;
                    None
                }
            },
        }
    } else {
        None
    };
    let notice_map_path = dir.join("notice-map.yaml");
    let notice_map = if notice_map_path.exists() {
        match read_yaml::<BTreeMap<String, NoticeMapped>>(&notice_map_path) {
            Ok(m) => Some(m),
            Err(e) => {
                out.problems.push(format!("{slug}: {e}"));
                broken = true;
                None
            }
        }
    } else {
        None
    };
    let judged_path = dir.join("judged.yaml");
    let judged = if judged_path.exists() {
        read_yaml(&judged_path).unwrap_or_else(|e| {
            out.problems.push(format!("{slug}: {e}"));
            broken = true;
            BTreeMap::new()
        })
    } else {
        BTreeMap::new()
    };
    Agent {
        slug: slug.to_string(),
        zh: has_cjk(&story),
        held_out,
        expect,
        map,
        notice_map,
        assessment,
        judged,
        broken,
    }
}

// ---- scoring --------------------------------------------------------------------------------

/// One finding as scoring sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fired {
    id: String,
    definite: bool,
    severity: Severity,
}

/// Where scoring puts what it finds wrong with the set.
#[derive(Debug, Default)]
struct Sink {
    problems: Vec<String>,
    unjudged: Vec<Unjudged>,
}

/// A definite finding that matches no statement and has no verdict: a judge must look at it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unjudged {
    slug: String,
    threat: String,
    severity: Severity,
    title: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct AgentScore {
    slug: String,
    zh: bool,
    held_out: bool,
    /// `must` statements, and those matched.
    must: usize,
    matched: usize,
    /// Unmatched `must` statement ids, each with why (`none`, or what fired).
    missed: Vec<String>,
    definite: usize,
    /// Wrong definite findings, each with why.
    wrong: Vec<String>,
    /// Critical statements with no matched definite finding of severity high or above.
    critical_misses: Vec<String>,
    questions: usize,
    /// A personal tool (its answers give the delivery shape `personal`).
    personal: bool,
    /// The notice's score, when the agent's notice statements are mapped.
    notice: Option<NoticeScore>,
}

/// How the drafted notice fares against the agent's `notice_must` / `notice_must_not`.
#[derive(Debug, Clone, Default, PartialEq)]
struct NoticeScore {
    /// `notice_must` statements mapped to facts, and those the notice states.
    must: usize,
    stated: usize,
    /// Mapped `notice_must` ids the notice does not state.
    missed: Vec<String>,
    /// `notice_must_not` ids the notice states.
    violated: Vec<String>,
    /// Statements mapped to `prose` (judged by a reviewer, not here).
    prose: Vec<String>,
}

/// The notice map's own checks: keys are exactly the notice statement ids, lists are not empty,
/// and every pattern names a fact kind of the vocabulary (docs/formats.md §9).
fn check_notice_map(
    slug: &str,
    expect: &Expect,
    map: &BTreeMap<String, NoticeMapped>,
    problems: &mut Vec<String>,
) {
    let kinds: BTreeSet<String> = FactKind::ALL.iter().map(|k| k.code()).collect();
    let ids: BTreeSet<&str> = expect
        .notice_must
        .iter()
        .chain(&expect.notice_must_not)
        .map(|s| s.id.as_str())
        .collect();
    for (key, v) in map {
        if !ids.contains(key.as_str()) {
            problems.push(format!(
                "{slug}: notice-map.yaml maps `{key}`, which is not a notice_must or \
                 notice_must_not statement of expect.yaml"
            ));
        }
        if let NoticeMapped::Facts(items) = v {
            if items.is_empty() || items.iter().any(|i| i.patterns().is_empty()) {
                problems.push(format!(
                    "{slug}: notice-map.yaml `{key}` has an empty list (write `prose`)"
                ));
            }
            for p in items.iter().flat_map(NoticeItem::patterns) {
                let kind = p.split(':').next().unwrap_or_default();
                if !kinds.contains(kind) {
                    problems.push(format!(
                        "{slug}: notice-map.yaml `{key}` names `{p}`, whose fact kind `{kind}` is \
                         not in the vocabulary (docs/formats.md §9)"
                    ));
                }
            }
        }
    }
    for id in ids {
        if !map.contains_key(id) {
            problems.push(format!(
                "{slug}: notice-map.yaml does not map notice statement `{id}`"
            ));
        }
    }
}

/// Scores the notice from the facts its JSON states (their codes).
fn score_notice(
    expect: &Expect,
    map: &BTreeMap<String, NoticeMapped>,
    codes: &[String],
) -> NoticeScore {
    let mut n = NoticeScore::default();
    for st in &expect.notice_must {
        match map.get(&st.id) {
            Some(NoticeMapped::Facts(items)) => {
                n.must += 1;
                if notice_states(codes, items) {
                    n.stated += 1;
                } else {
                    n.missed.push(st.id.clone());
                }
            }
            Some(NoticeMapped::Prose) => n.prose.push(st.id.clone()),
            None => {}
        }
    }
    for st in &expect.notice_must_not {
        match map.get(&st.id) {
            Some(NoticeMapped::Facts(items)) if notice_states(codes, items) => {
                n.violated.push(st.id.clone());
            }
            Some(NoticeMapped::Prose) => n.prose.push(st.id.clone()),
            _ => {}
        }
    }
    n
}

/// The codes of the facts the agent's notice states, in the agent's language.
fn notice_codes(k: &Knowledge, a: &Assessment, zh: bool) -> Vec<String> {
    let findings = evaluate(k, a, today());
    let input = Input {
        knowledge: k,
        assessment: a,
        findings: &findings,
        ui: agentguard::i18n::Ui::embedded(),
        file: "agentguard.yaml",
        today: today(),
    };
    let lang = if zh { Lang::Zh } else { Lang::En };
    privacy::build(&input, lang)
        .facts
        .iter()
        .map(|f| f.code.clone())
        .collect()
}

/// Scores one agent from what fired, and checks its expect/map/judged against each other and the
/// catalog. Problems (and unjudged findings) are pushed; the score is computed regardless, with an
/// unjudged finding counted as wrong.
fn score_agent(
    agent: &Agent,
    expect: &Expect,
    map: &BTreeMap<String, Mapped>,
    fired: &[Fired],
    questions: usize,
    k: &Knowledge,
    sink: &mut Sink,
) -> AgentScore {
    let slug = &agent.slug;
    let Sink { problems, unjudged } = sink;
    check_map(slug, expect, map, k, problems);
    let mapped = |id: &str| map.get(id).map_or(&[][..], Mapped::threats);
    let definite: Vec<&Fired> = fired.iter().filter(|f| f.definite).collect();
    let is_definite = |t: &str| definite.iter().any(|f| f.id == t);
    let is_possible = |t: &str| fired.iter().any(|f| !f.definite && f.id == t);

    let mut s = AgentScore {
        slug: slug.clone(),
        zh: agent.zh,
        held_out: agent.held_out,
        must: expect.must.len(),
        definite: definite.len(),
        questions,
        ..AgentScore::default()
    };
    for st in &expect.must {
        let ids = mapped(&st.id);
        let by_definite = ids.iter().any(|t| is_definite(t));
        let by_possible = st.open && ids.iter().any(|t| is_possible(t));
        if by_definite || by_possible {
            s.matched += 1;
        } else if matches!(map.get(&st.id), Some(Mapped::None)) {
            s.missed.push(format!("{} (mapped to none)", st.id));
        } else if ids.iter().any(|t| is_possible(t)) {
            s.missed
                .push(format!("{} (only possible; not open)", st.id));
        } else {
            s.missed.push(st.id.clone());
        }
        if st.critical {
            let covered = definite
                .iter()
                .any(|f| ids.contains(&f.id) && f.severity >= Severity::High);
            if !covered {
                let why = match definite.iter().find(|f| ids.contains(&f.id)) {
                    Some(f) => format!("{} ({} is {})", st.id, f.id, f.severity.code()),
                    None => format!("{} (no definite finding)", st.id),
                };
                s.critical_misses.push(why);
            }
        }
    }
    let judged_used: BTreeSet<&str> = definite
        .iter()
        .filter(|f| {
            !expect
                .must
                .iter()
                .chain(&expect.must_not)
                .any(|st| mapped(&st.id).contains(&f.id))
        })
        .map(|f| f.id.as_str())
        .collect();
    for f in &definite {
        if let Some(st) = expect
            .must_not
            .iter()
            .find(|st| mapped(&st.id).contains(&f.id))
        {
            s.wrong.push(format!("{} (must_not {})", f.id, st.id));
        } else if expect.must.iter().any(|st| mapped(&st.id).contains(&f.id)) {
            // right
        } else {
            match agent.judged.get(&f.id).map(|j| j.verdict) {
                Some(Verdict::Right) => {}
                Some(v @ (Verdict::Wrong | Verdict::Noise)) => s.wrong.push(format!(
                    "{} (judged {})",
                    f.id,
                    if v == Verdict::Wrong {
                        "wrong"
                    } else {
                        "noise"
                    }
                )),
                None => {
                    s.wrong.push(format!("{} (unjudged)", f.id));
                    unjudged.push(Unjudged {
                        slug: slug.clone(),
                        threat: f.id.clone(),
                        severity: f.severity,
                        title: k
                            .catalog
                            .threat(&f.id)
                            .map(|t| t.title.en.clone())
                            .unwrap_or_default(),
                    });
                }
            }
        }
    }
    for (t, j) in &agent.judged {
        if j.why.trim().is_empty() {
            problems.push(format!("{slug}: judged.yaml `{t}` has no why"));
        }
        if !judged_used.contains(t.as_str()) {
            let now = if is_definite(t) {
                "a statement now matches it"
            } else if is_possible(t) {
                "it is only a possible finding"
            } else {
                "it does not fire"
            };
            problems.push(format!(
                "{slug}: judged.yaml has a stale verdict for `{t}`: {now}; remove it"
            ));
        }
    }
    s
}

/// The map's own checks: keys are `must`/`must_not` statement ids, every such statement is mapped,
/// every list names live catalog threats and is not empty.
fn check_map(
    slug: &str,
    expect: &Expect,
    map: &BTreeMap<String, Mapped>,
    k: &Knowledge,
    problems: &mut Vec<String>,
) {
    let scored: BTreeSet<&str> = expect
        .must
        .iter()
        .chain(&expect.must_not)
        .map(|s| s.id.as_str())
        .collect();
    let notice: BTreeSet<&str> = expect
        .notice_must
        .iter()
        .chain(&expect.notice_must_not)
        .map(|s| s.id.as_str())
        .collect();
    for (key, m) in map {
        if notice.contains(key.as_str()) {
            problems.push(format!(
                "{slug}: map.yaml maps `{key}`, a notice statement (only must/must_not are mapped)"
            ));
        } else if !scored.contains(key.as_str()) {
            problems.push(format!(
                "{slug}: map.yaml key `{key}` is not a statement id of expect.yaml"
            ));
        }
        if let Mapped::Threats(ids) = m {
            if ids.is_empty() {
                problems.push(format!(
                    "{slug}: map.yaml `{key}` is an empty list; write `none`"
                ));
            }
            for id in ids {
                match k.catalog.threat(id) {
                    None => problems.push(format!(
                        "{slug}: map.yaml `{key}` names `{id}`, which is not a catalog threat"
                    )),
                    Some(t) if t.retired.is_some() => problems.push(format!(
                        "{slug}: map.yaml `{key}` names `{id}`, which is retired"
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    for id in &scored {
        if !map.contains_key(*id) {
            problems.push(format!(
                "{slug}: statement `{id}` is not mapped in map.yaml (a list of threat ids or `none`)"
            ));
        }
    }
}

/// `expect.yaml`'s own checks: unique ids, non-empty texts, ≥ 3 `must_not`, `critical` and `open`
/// only on `must`.
fn check_expect(slug: &str, x: &Expect, problems: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    let lists = [
        ("must", &x.must),
        ("must_not", &x.must_not),
        ("notice_must", &x.notice_must),
        ("notice_must_not", &x.notice_must_not),
    ];
    for (list, sts) in lists {
        for st in sts {
            if st.id.trim().is_empty() {
                problems.push(format!(
                    "{slug}: expect.yaml {list}: a statement has an empty id"
                ));
            } else if !seen.insert(st.id.as_str()) {
                problems.push(format!(
                    "{slug}: expect.yaml: statement id `{}` is used twice",
                    st.id
                ));
            }
            if st.text.trim().is_empty() {
                problems.push(format!("{slug}: expect.yaml `{}` has no text", st.id));
            }
            if list != "must" && st.critical {
                problems.push(format!(
                    "{slug}: expect.yaml `{}` in {list} is critical (only must statements can be)",
                    st.id
                ));
            }
            if list != "must" && st.open {
                problems.push(format!(
                    "{slug}: expect.yaml `{}` in {list} is open (only must statements can be)",
                    st.id
                ));
            }
        }
    }
    if x.must_not.len() < 3 {
        problems.push(format!(
            "{slug}: expect.yaml has {} must_not statements, at least 3 needed",
            x.must_not.len()
        ));
    }
}

/// What fired for an assessment, how many questions it shows, and whether it is a personal tool.
fn fire(k: &Knowledge, a: &Assessment) -> (Vec<Fired>, usize, bool) {
    let f = evaluate(k, a, today());
    let fired = f
        .findings
        .iter()
        .map(|x| Fired {
            id: k.catalog.threats[x.threat].id.clone(),
            definite: x.certainty == agentguard::evaluate::Certainty::Definite,
            severity: x.severity,
        })
        .collect();
    let states = question_states(k, a);
    let shown = states
        .iter()
        .filter(|s| !matches!(s, QState::Hidden))
        .count();
    let personal = agentguard::meaning::delivery(k, &states).0 == Some(Delivery::Personal);
    (fired, shown, personal)
}

#[derive(Debug, Default)]
struct Report {
    seed: Option<u64>,
    scores: Vec<AgentScore>,
    /// Pending agents: (slug, held out).
    pending: Vec<(String, bool)>,
    problems: Vec<String>,
    unjudged: Vec<Unjudged>,
    warnings: Vec<String>,
    agents: usize,
    /// Agents whose files have problems that stop scoring.
    unscored: Vec<String>,
}

/// Checks and scores every agent of a loaded set.
fn score_set(loaded: &Loaded, k: &Knowledge) -> Report {
    let mut r = Report {
        seed: loaded.seed,
        problems: loaded.problems.clone(),
        warnings: loaded.warnings.clone(),
        agents: loaded.agents.len(),
        ..Report::default()
    };
    for agent in &loaded.agents {
        if let Some(x) = &agent.expect {
            check_expect(&agent.slug, x, &mut r.problems);
        }
        if agent.pending() && agent.expect.is_some() {
            if let (Some(x), Some(m)) = (&agent.expect, &agent.map) {
                check_map(&agent.slug, x, m, k, &mut r.problems);
            }
            if let (Some(x), Some(nm)) = (&agent.expect, &agent.notice_map) {
                check_notice_map(&agent.slug, x, nm, &mut r.problems);
            }
            r.pending.push((agent.slug.clone(), agent.held_out));
            continue;
        }
        let (Some(x), Some(m), Some(a)) = (&agent.expect, &agent.map, &agent.assessment) else {
            r.unscored.push(agent.slug.clone()); // broken: already reported
            continue;
        };
        let (fired, shown, personal) = fire(k, a);
        let mut sink = Sink::default();
        let mut score = score_agent(agent, x, m, &fired, shown, k, &mut sink);
        score.personal = personal;
        if let Some(nm) = &agent.notice_map {
            check_notice_map(&agent.slug, x, nm, &mut sink.problems);
            score.notice = Some(score_notice(x, nm, &notice_codes(k, a, agent.zh)));
        }
        r.scores.push(score);
        r.problems.extend(sink.problems);
        r.unjudged.extend(sink.unjudged);
    }
    r
}

fn run_dir(root: &Path) -> Report {
    let k = &*KNOWLEDGE;
    score_set(&load_set(root, k), k)
}

// ---- totals and printing --------------------------------------------------------------------

#[derive(Debug, Default, PartialEq)]
struct Totals {
    agents: usize,
    must: usize,
    matched: usize,
    definite: usize,
    wrong: usize,
    critical_agents: Vec<String>,
    questions: Vec<usize>,
    /// Questions shown to each personal tool.
    personal_questions: Vec<usize>,
    /// Agents whose notice statements are mapped, and the pooled notice counts.
    notice_agents: usize,
    notice_must: usize,
    notice_stated: usize,
    notice_violated: usize,
    notice_prose: usize,
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    let n = f64::from(u32::try_from(num).unwrap_or(u32::MAX));
    let d = f64::from(u32::try_from(den).unwrap_or(u32::MAX));
    (den > 0).then(|| n / d)
}

impl Totals {
    fn of<'a>(scores: impl IntoIterator<Item = &'a AgentScore>) -> Totals {
        let mut t = Totals::default();
        for s in scores {
            t.agents += 1;
            t.must += s.must;
            t.matched += s.matched;
            t.definite += s.definite;
            t.wrong += s.wrong.len();
            if !s.critical_misses.is_empty() {
                t.critical_agents.push(s.slug.clone());
            }
            t.questions.push(s.questions);
            if s.personal {
                t.personal_questions.push(s.questions);
            }
            if let Some(n) = &s.notice {
                t.notice_agents += 1;
                t.notice_must += n.must;
                t.notice_stated += n.stated;
                t.notice_violated += n.violated.len();
                t.notice_prose += n.prose.len();
            }
        }
        t.questions.sort_unstable();
        t
    }

    fn recall(&self) -> Option<f64> {
        ratio(self.matched, self.must)
    }

    /// 1 − wrong ÷ definite; `None` with no definite finding.
    fn precision(&self) -> Option<f64> {
        ratio(self.wrong, self.definite).map(|w| 1.0 - w)
    }

    /// Mapped `notice_must` statements the notices state ÷ all mapped ones.
    fn notice(&self) -> Option<f64> {
        ratio(self.notice_stated, self.notice_must)
    }

    fn questions_median(&self) -> Option<f64> {
        let q = &self.questions;
        let n = q.len();
        if n == 0 {
            return None;
        }
        let at = |i: usize| f64::from(u32::try_from(q[i]).unwrap_or(u32::MAX));
        Some(if n % 2 == 1 {
            at(n / 2)
        } else {
            f64::midpoint(at(n / 2 - 1), at(n / 2))
        })
    }

    fn questions_max(&self) -> Option<usize> {
        self.questions.last().copied()
    }
}

/// The targets `t` misses, each as a sentence naming `group`. An empty group misses none.
fn below_target(group: &str, t: &Totals) -> Vec<String> {
    missed_targets(group, t)
        .into_iter()
        .map(|(_, s)| s)
        .collect()
}

/// The targets `t` misses, each with its sentence.
fn missed_targets(group: &str, t: &Totals) -> Vec<(Target, String)> {
    let mut out = Vec::new();
    if t.agents == 0 {
        return out;
    }
    if let Some(r) = t.recall()
        && r < TARGET_RECALL
    {
        out.push((
            Target::Recall,
            format!(
                "{group}: recall {} below {}",
                pct(Some(r)),
                pct(Some(TARGET_RECALL))
            ),
        ));
    }
    if let Some(p) = t.precision()
        && p < TARGET_PRECISION
    {
        out.push((
            Target::Precision,
            format!(
                "{group}: precision {} below {}",
                pct(Some(p)),
                pct(Some(TARGET_PRECISION))
            ),
        ));
    }
    if t.critical_agents.len() > TARGET_CRITICAL_MISS_AGENTS {
        out.push((
            Target::CriticalMiss,
            format!(
            "{group}: {} agents with a critical miss ({}), at most {TARGET_CRITICAL_MISS_AGENTS}",
            t.critical_agents.len(),
            t.critical_agents.join(", ")
        )));
    }
    if let Some(m) = t.questions_median()
        && m > TARGET_QUESTIONS_MEDIAN
    {
        out.push((
            Target::QuestionsMedian,
            format!("{group}: median questions shown {m} above {TARGET_QUESTIONS_MEDIAN}"),
        ));
    }
    if let Some(m) = t.questions_max()
        && m > TARGET_QUESTIONS_MAX
    {
        out.push((
            Target::QuestionsMax,
            format!("{group}: most questions shown {m} above {TARGET_QUESTIONS_MAX}"),
        ));
    }
    if let Some(n) = t.notice()
        && n < TARGET_NOTICE
    {
        out.push((
            Target::Notice,
            format!(
                "{group}: notice {} below {}",
                pct(Some(n)),
                pct(Some(TARGET_NOTICE))
            ),
        ));
    }
    if t.notice_agents > 0 && t.notice_violated > TARGET_NOTICE_VIOLATIONS {
        out.push((
            Target::NoticeViolations,
            format!(
                "{group}: {} notice_must_not statements stated, at most {TARGET_NOTICE_VIOLATIONS}",
                t.notice_violated
            ),
        ));
    }
    if let Some(&m) = t.personal_questions.iter().max()
        && m > TARGET_PERSONAL_QUESTIONS_MAX
    {
        out.push((
            Target::PersonalQuestions,
            format!(
                "{group}: a personal tool shows {m} questions, above {TARGET_PERSONAL_QUESTIONS_MAX}"
            ),
        ));
    }
    out
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |x| format!("{:.1}%", x * 100.0))
}

impl Report {
    fn totals(&self) -> (Totals, Totals, Totals) {
        (
            Totals::of(&self.scores),
            Totals::of(self.scores.iter().filter(|s| s.held_out)),
            Totals::of(self.scores.iter().filter(|s| !s.held_out)),
        )
    }

    fn table(&self) -> String {
        let mut o = String::new();
        o.push_str(&format!(
            "field set: seed {}; {} agents: {} scored, {} pending, {} with problems that stop \
             scoring\n\n",
            self.seed.map_or_else(|| "?".into(), |s| s.to_string()),
            self.agents,
            self.scores.len(),
            self.pending.len(),
            self.unscored.len()
        ));
        let w = self
            .scores
            .iter()
            .map(|s| s.slug.chars().count())
            .chain([5])
            .max()
            .unwrap_or(5);
        o.push_str(&format!(
            "{:<w$}  lang  held-out  {:<16}  {:<20}  crit.miss  questions\n",
            "agent", "recall", "precision"
        ));
        for s in &self.scores {
            let recall = format!("{} {}/{}", pct(ratio(s.matched, s.must)), s.matched, s.must);
            let precision = format!(
                "{} {} wrong/{}",
                pct(ratio(s.wrong.len(), s.definite).map(|x| 1.0 - x)),
                s.wrong.len(),
                s.definite
            );
            o.push_str(&format!(
                "{:<w$}  {:<4}  {:<8}  {recall:<16}  {precision:<20}  {:<9}  {}\n",
                s.slug,
                if s.zh { "zh" } else { "en" },
                if s.held_out { "yes" } else { "-" },
                s.critical_misses.len(),
                s.questions
            ));
        }
        let (all, held, tuned) = self.totals();
        o.push('\n');
        for (name, t) in [
            ("scored set", &all),
            ("  held-out part", &held),
            ("  not held out", &tuned),
        ] {
            o.push_str(&format!(
                "{name:<16} {} agents  recall {} ({}/{})  precision {} ({} wrong/{})  \
                 agents with critical miss {}{}  questions median {} max {}{}\n",
                t.agents,
                pct(t.recall()),
                t.matched,
                t.must,
                pct(t.precision()),
                t.wrong,
                t.definite,
                t.critical_agents.len(),
                if t.critical_agents.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", t.critical_agents.join(", "))
                },
                t.questions_median()
                    .map_or_else(|| "—".into(), |m| m.to_string()),
                t.questions_max()
                    .map_or_else(|| "—".into(), |m| m.to_string()),
                if t.notice_agents == 0 {
                    String::new()
                } else {
                    format!(
                        "  notice {} ({}/{}, {} agents) violated {} prose {}",
                        pct(t.notice()),
                        t.notice_stated,
                        t.notice_must,
                        t.notice_agents,
                        t.notice_violated,
                        t.notice_prose
                    )
                },
            ));
        }
        if !self.pending.is_empty() {
            let p: Vec<String> = self
                .pending
                .iter()
                .map(|(s, h)| {
                    if *h {
                        format!("{s} (held out)")
                    } else {
                        s.clone()
                    }
                })
                .collect();
            o.push_str(&format!("pending (not scored): {}\n", p.join(", ")));
        }
        if !self.unscored.is_empty() {
            o.push_str(&format!(
                "not scored (problems below): {}\n",
                self.unscored.join(", ")
            ));
        }
        if all.notice_agents == 0 {
            o.push_str("notice: not yet measurable (notice facts not mapped)\n");
        } else {
            o.push_str(&format!(
                "notice: {} of {} scored agents mapped; statements mapped to prose are judged by a \
                 reviewer, not here\n",
                all.notice_agents,
                self.scores.len()
            ));
        }
        let mut details = String::new();
        for s in &self.scores {
            if !s.missed.is_empty() {
                details.push_str(&format!("  {}: missed {}\n", s.slug, s.missed.join(", ")));
            }
            if !s.critical_misses.is_empty() {
                details.push_str(&format!(
                    "  {}: critical misses {}\n",
                    s.slug,
                    s.critical_misses.join(", ")
                ));
            }
            if !s.wrong.is_empty() {
                details.push_str(&format!("  {}: wrong {}\n", s.slug, s.wrong.join(", ")));
            }
            if let Some(n) = &s.notice
                && (!n.missed.is_empty() || !n.violated.is_empty())
            {
                details.push_str(&format!(
                    "  {}: notice missed {}; violated {}\n",
                    s.slug,
                    if n.missed.is_empty() {
                        "-".to_string()
                    } else {
                        n.missed.join(", ")
                    },
                    if n.violated.is_empty() {
                        "-".to_string()
                    } else {
                        n.violated.join(", ")
                    }
                ));
            }
        }
        if !details.is_empty() {
            o.push_str("\ndetails:\n");
            o.push_str(&details);
        }
        let below: Vec<String> = below_target("scored set", &all)
            .into_iter()
            .chain(below_target("held-out part", &held))
            .collect();
        o.push_str(&format!(
            "\ntargets: recall ≥ {}, precision ≥ {}, ≤ {TARGET_CRITICAL_MISS_AGENTS} agents with a \
             critical miss, questions median ≤ {TARGET_QUESTIONS_MEDIAN} and max ≤ \
             {TARGET_QUESTIONS_MAX}, personal tools ≤ {TARGET_PERSONAL_QUESTIONS_MAX}, notice ≥ {} \
             with ≤ {TARGET_NOTICE_VIOLATIONS} violated (enforced: {:?}; the others reported only)\n",
            pct(Some(TARGET_RECALL)),
            pct(Some(TARGET_PRECISION)),
            pct(Some(TARGET_NOTICE)),
            ENFORCED
        ));
        for b in &below {
            o.push_str(&format!("  below target: {b}\n"));
        }
        if !self.warnings.is_empty() {
            o.push_str("\nwarnings:\n");
            for w in &self.warnings {
                o.push_str(&format!("  {}\n", w.replace('\n', "\n  ")));
            }
        }
        o
    }

    /// Every integrity problem, unjudged findings last (as a judge's brief); empty when none.
    fn failure(&self) -> String {
        let mut o = String::new();
        if !self.problems.is_empty() {
            o.push_str(&format!(
                "{} problem(s) in the field set:\n",
                self.problems.len()
            ));
            for p in &self.problems {
                o.push_str(&format!("- {}\n", p.replace('\n', "\n  ")));
            }
        }
        if !self.unjudged.is_empty() {
            o.push_str(&format!(
                "{} definite finding(s) match no statement and have no verdict in judged.yaml \
                 (right|wrong|noise, with why):\n",
                self.unjudged.len()
            ));
            for u in &self.unjudged {
                o.push_str(&format!(
                    "- {}: {} ({}) — {}\n",
                    u.slug,
                    u.threat,
                    u.severity.code(),
                    u.title
                ));
            }
        }
        o
    }
}

// ---- the field set --------------------------------------------------------------------------

#[test]
fn field_set() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/field");
    if !root.join("set.yaml").exists() {
        println!("field: tests/field/set.yaml does not exist yet: the field set is not assembled");
        return;
    }
    let report = run_dir(&root);
    if report.agents == 0 {
        println!("field: tests/field/agents/ has no agents yet");
        return;
    }
    println!("{}", report.table());
    let mut failure = report.failure();
    let (all, held, _) = report.totals();
    for (target, b) in missed_targets("scored set", &all)
        .into_iter()
        .chain(missed_targets("held-out part", &held))
    {
        if ENFORCED.contains(&target) {
            failure.push_str(&format!("- below target: {b}\n"));
        }
    }
    assert!(failure.is_empty(), "{failure}");
}

// ---- the harness's own tests ----------------------------------------------------------------

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/field-mini")
}

fn loaded_fixture() -> Loaded {
    load_set(&fixture(), &KNOWLEDGE)
}

fn score_of<'a>(r: &'a Report, slug: &str) -> &'a AgentScore {
    r.scores
        .iter()
        .find(|s| s.slug == slug)
        .unwrap_or_else(|| panic!("{slug} not scored: {r:#?}"))
}

fn agent_mut<'a>(l: &'a mut Loaded, slug: &str) -> &'a mut Agent {
    l.agents.iter_mut().find(|a| a.slug == slug).expect("agent")
}

/// A copy of the fixture in a temporary folder, for tests that break a file.
fn fixture_copy() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from)
            .expect("read_dir")
            .filter_map(Result::ok)
        {
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).expect("copy");
            }
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    copy(&fixture(), dir.path());
    dir
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let p = root.join(file);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

fn has_problem(r: &Report, needle: &str) -> bool {
    r.problems.iter().any(|p| p.contains(needle))
}

#[test]
fn fixture_scores_exactly() {
    let r = run_dir(&fixture());
    println!("{}", r.table());
    assert!(r.failure().is_empty(), "{}", r.failure());
    assert_eq!(r.seed, Some(20_261_126));
    assert_eq!(r.agents, 3);
    assert_eq!(r.pending, vec![("gamma".to_string(), true)]);

    let a = score_of(&r, "alpha");
    assert!(!a.zh && !a.held_out);
    assert_eq!((a.matched, a.must), (3, 4), "{a:#?}");
    assert_eq!(a.missed, vec!["m3 (mapped to none)".to_string()]);
    assert_eq!((a.wrong.len(), a.definite), (1, 2), "{a:#?}");
    assert_eq!(
        a.critical_misses,
        vec!["m1 (untrusted-model-weights is medium)".to_string()]
    );

    let b = score_of(&r, "beta");
    assert!(b.zh && b.held_out);
    assert_eq!((b.matched, b.must), (2, 3), "{b:#?}");
    assert_eq!(b.missed, vec!["m3 (only possible; not open)".to_string()]);
    assert_eq!(
        b.wrong,
        vec!["unvetted-packages (judged noise)".to_string()]
    );
    assert_eq!(b.definite, 5);
    assert!(b.critical_misses.is_empty(), "{b:#?}");

    let (all, held, tuned) = r.totals();
    assert_eq!(
        (all.matched, all.must, all.wrong, all.definite),
        (5, 7, 2, 7)
    );
    assert_eq!(all.critical_agents, vec!["alpha".to_string()]);
    assert!((all.recall().expect("recall") - 5.0 / 7.0).abs() < 1e-12);
    assert!((all.precision().expect("precision") - 5.0 / 7.0).abs() < 1e-12);
    assert_eq!((held.agents, held.matched, held.must), (1, 2, 3));
    assert!((held.precision().expect("precision") - 4.0 / 5.0).abs() < 1e-12);
    assert!(held.critical_agents.is_empty());
    assert_eq!((tuned.agents, tuned.wrong, tuned.definite), (1, 1, 2));
    assert_eq!(
        (a.questions, b.questions),
        (ALPHA_QUESTIONS, BETA_QUESTIONS)
    );
    assert_eq!(
        all.questions_max(),
        Some(ALPHA_QUESTIONS.max(BETA_QUESTIONS))
    );
}

/// Visible questions of the fixture agents' answers (they change only with the questionnaire).
const ALPHA_QUESTIONS: usize = 13;
const BETA_QUESTIONS: usize = 13;

#[test]
fn fixture_table_says_what_it_measures() {
    let t = run_dir(&fixture()).table();
    for needle in [
        "alpha  en    -         75.0% 3/4",
        "beta   zh    yes       66.7% 2/3",
        "50.0% 1 wrong/2",
        "80.0% 1 wrong/5",
        "agents with critical miss 1 (alpha)",
        "pending (not scored): gamma (held out)",
        "notice: not yet measurable (notice facts not mapped)",
        "below target: scored set: recall 71.4% below 95.0%",
    ] {
        assert!(t.contains(needle), "no `{needle}` in:\n{t}");
    }
}

#[test]
fn an_open_item_is_satisfied_by_a_possible_finding_and_only_an_open_one() {
    let mut l = loaded_fixture();
    let r = score_set(&l, &KNOWLEDGE);
    // alpha m2 is open and mapped to exposed-self-hosted-model, which is only possible.
    assert!(
        !score_of(&r, "alpha")
            .missed
            .iter()
            .any(|m| m.starts_with("m2"))
    );
    let alpha = agent_mut(&mut l, "alpha");
    let x = alpha.expect.as_mut().expect("expect");
    x.must.iter_mut().find(|s| s.id == "m2").expect("m2").open = false;
    let r = score_set(&l, &KNOWLEDGE);
    let a = score_of(&r, "alpha");
    assert_eq!(a.matched, 2);
    assert!(
        a.missed
            .contains(&"m2 (only possible; not open)".to_string()),
        "{a:#?}"
    );
}

#[test]
fn must_not_wins_over_must() {
    let mut l = loaded_fixture();
    let r = score_set(&l, &KNOWLEDGE);
    // alpha: unvetted-packages is mapped from must m4 and from must_not n1.
    let a = score_of(&r, "alpha");
    assert_eq!(a.wrong, vec!["unvetted-packages (must_not n1)".to_string()]);
    assert!(
        !a.missed.iter().any(|m| m.starts_with("m4")),
        "recall still counts m4"
    );
    // Without the must_not mapping it is right.
    let alpha = agent_mut(&mut l, "alpha");
    alpha
        .map
        .as_mut()
        .expect("map")
        .insert("n1".into(), Mapped::None);
    let r = score_set(&l, &KNOWLEDGE);
    let a = score_of(&r, "alpha");
    assert!(a.wrong.is_empty(), "{a:#?}");
    assert!(r.failure().is_empty(), "{}", r.failure());
}

#[test]
fn an_unjudged_finding_is_reported_with_agent_threat_and_severity() {
    let mut l = loaded_fixture();
    agent_mut(&mut l, "beta").judged.remove("unvetted-packages");
    let r = score_set(&l, &KNOWLEDGE);
    assert_eq!(
        r.unjudged
            .iter()
            .map(|u| (u.slug.as_str(), u.threat.as_str(), u.severity))
            .collect::<Vec<_>>(),
        vec![("beta", "unvetted-packages", Severity::Medium)]
    );
    let f = r.failure();
    assert!(f.contains("- beta: unvetted-packages (medium) — "), "{f}");
    // Counted as wrong meanwhile.
    assert!(
        score_of(&r, "beta")
            .wrong
            .contains(&"unvetted-packages (unjudged)".to_string())
    );
}

#[test]
fn a_stale_verdict_is_reported() {
    let mut l = loaded_fixture();
    let beta = agent_mut(&mut l, "beta");
    let j = |v| Judgement {
        verdict: v,
        why: "test".into(),
    };
    // Does not fire, only possible, and matched by a statement: all three are stale.
    beta.judged
        .insert("key-in-frontend".into(), j(Verdict::Wrong));
    beta.judged
        .insert("exposed-self-hosted-model".into(), j(Verdict::Right));
    beta.judged
        .insert("output-executed-as-code".into(), j(Verdict::Right));
    let r = score_set(&l, &KNOWLEDGE);
    for (t, why) in [
        ("key-in-frontend", "it does not fire"),
        ("exposed-self-hosted-model", "it is only a possible finding"),
        ("output-executed-as-code", "a statement now matches it"),
    ] {
        assert!(
            has_problem(
                &r,
                &format!("beta: judged.yaml has a stale verdict for `{t}`: {why}")
            ),
            "{t}: {:#?}",
            r.problems
        );
    }
    assert_eq!(r.problems.len(), 3, "{:#?}", r.problems);
}

#[test]
fn map_problems_are_reported() {
    let mut l = loaded_fixture();
    let alpha = agent_mut(&mut l, "alpha");
    let map = alpha.map.as_mut().expect("map");
    map.remove("m2");
    map.insert("n9".into(), Mapped::None);
    map.insert("p1".into(), Mapped::None);
    map.insert("n3".into(), Mapped::Threats(vec!["no-such-threat".into()]));
    map.insert("n2".into(), Mapped::Threats(vec![]));
    let r = score_set(&l, &KNOWLEDGE);
    for needle in [
        "alpha: statement `m2` is not mapped in map.yaml",
        "alpha: map.yaml key `n9` is not a statement id of expect.yaml",
        "alpha: map.yaml maps `p1`, a notice statement",
        "alpha: map.yaml `n3` names `no-such-threat`, which is not a catalog threat",
        "alpha: map.yaml `n2` is an empty list; write `none`",
    ] {
        assert!(
            has_problem(&r, needle),
            "no `{needle}` in {:#?}",
            r.problems
        );
    }
    assert_eq!(r.problems.len(), 5, "{:#?}", r.problems);
}

#[test]
fn expect_problems_are_reported() {
    let mut l = loaded_fixture();
    let x = agent_mut(&mut l, "gamma").expect.as_mut().expect("expect");
    x.must_not.truncate(2);
    x.must_not[0].critical = true;
    x.notice_must[0].open = true;
    x.must[1].id = x.must[0].id.clone();
    let r = score_set(&l, &KNOWLEDGE);
    for needle in [
        "gamma: expect.yaml has 2 must_not statements, at least 3 needed",
        "gamma: expect.yaml `n1` in must_not is critical",
        "gamma: expect.yaml `p1` in notice_must is open",
        "gamma: expect.yaml: statement id `m1` is used twice",
    ] {
        assert!(
            has_problem(&r, needle),
            "no `{needle}` in {:#?}",
            r.problems
        );
    }
    assert_eq!(r.problems.len(), 4, "{:#?}", r.problems);
}

#[test]
fn file_problems_are_reported_all_at_once() {
    let dir = fixture_copy();
    let root = dir.path();
    edit(root, "set.yaml", "held_out: [", "held_out: [nobody, ");
    edit(
        root,
        "agents/alpha/expect.yaml",
        "must_not:",
        "oops: 1\nmust_not:",
    );
    edit(
        root,
        "agents/beta/answers.yaml",
        "tools.output_use:",
        "tools.output_usage:",
    );
    edit(
        root,
        "agents/beta/judged.yaml",
        "verdict: noise",
        "verdict: maybe",
    );
    std::fs::remove_file(root.join("agents/gamma/story.md")).expect("rm");
    let r = score_set(&load_set(root, &KNOWLEDGE), &KNOWLEDGE);
    let f = r.failure();
    println!("{f}");
    for needle in [
        "set.yaml: held_out names `nobody`, which has no folder in agents/",
        "alpha: ",
        "expect.yaml",
        "oops",
        "beta: error[E0501]",
        "answers.yaml:",
        "tools.output_usage",
        "judged.yaml",
        "maybe",
        "gamma: ",
        "agents/gamma/story.md: ",
    ] {
        assert!(f.contains(needle), "no `{needle}` in:\n{f}");
    }
    assert!(
        r.scores.is_empty(),
        "broken agents are not scored: {:#?}",
        r.scores
    );
}

#[test]
fn answers_without_a_map_and_a_bad_map_value_are_reported() {
    let dir = fixture_copy();
    let root = dir.path();
    std::fs::remove_file(root.join("agents/alpha/map.yaml")).expect("rm");
    edit(root, "agents/beta/map.yaml", "n3: none", "n3: nothing");
    let r = score_set(&load_set(root, &KNOWLEDGE), &KNOWLEDGE);
    assert!(
        has_problem(&r, "alpha: answers.yaml without map.yaml"),
        "{:#?}",
        r.problems
    );
    assert!(
        r.problems
            .iter()
            .any(|p| p.starts_with("beta: ") && p.contains("map.yaml") && p.contains("none")),
        "{:#?}",
        r.problems
    );
}

#[test]
fn a_set_without_agents_loads_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("set.yaml"), "seed: 1\nheld_out: []\n").expect("write");
    let r = run_dir(dir.path());
    assert_eq!(r.agents, 0);
    assert!(r.failure().is_empty(), "{}", r.failure());
}

fn st(id: &str, critical: bool, open: bool) -> Statement {
    Statement {
        id: id.into(),
        text: "x".into(),
        critical,
        open,
    }
}

fn fired(id: &str, definite: bool, severity: Severity) -> Fired {
    Fired {
        id: id.into(),
        definite,
        severity,
    }
}

/// The arithmetic on hand-made findings, independent of what the catalog makes fire.
#[test]
fn scoring_arithmetic_on_hand_made_findings() {
    let k = &*KNOWLEDGE;
    let expect = Expect {
        must: vec![
            st("m1", true, false),
            st("m2", true, false),
            st("m3", false, true),
            st("m4", false, false),
            st("m5", false, false),
        ],
        must_not: vec![
            st("n1", false, false),
            st("n2", false, false),
            st("n3", false, false),
        ],
        notice_must: vec![],
        notice_must_not: vec![],
    };
    let threats = |ids: &[&str]| Mapped::Threats(ids.iter().map(|s| (*s).to_string()).collect());
    let map: BTreeMap<String, Mapped> = [
        (
            "m1",
            threats(&["shell-without-sandbox", "output-executed-as-code"]),
        ),
        ("m2", threats(&["no-rate-limit"])),
        ("m3", threats(&["key-in-frontend"])),
        ("m4", Mapped::None),
        ("m5", threats(&["system-prompt-leak"])),
        ("n1", threats(&["no-rate-limit"])),
        ("n2", threats(&["eu-gdpr-notice"])),
        ("n3", Mapped::None),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let agent = Agent {
        slug: "hand".into(),
        zh: false,
        held_out: false,
        expect: None,
        map: None,
        notice_map: None,
        assessment: None,
        judged: [
            ("pii-in-logs", Verdict::Right),
            ("jailbreak-off-purpose", Verdict::Wrong),
            ("no-user-contact", Verdict::Noise),
        ]
        .into_iter()
        .map(|(t, v)| {
            (
                t.to_string(),
                Judgement {
                    verdict: v,
                    why: "x".into(),
                },
            )
        })
        .collect(),
        broken: false,
    };
    let findings = vec![
        fired("output-executed-as-code", true, Severity::Critical), // m1: right, critical covered
        fired("no-rate-limit", true, Severity::High), // m2 and n1: must_not wins → wrong
        fired("key-in-frontend", false, Severity::High), // m3 open: matched by possible
        fired("system-prompt-leak", false, Severity::Medium), // m5 not open: miss
        fired("eu-gdpr-notice", true, Severity::Medium), // n2 → wrong
        fired("pii-in-logs", true, Severity::Medium), // judged right
        fired("jailbreak-off-purpose", true, Severity::Medium), // judged wrong
        fired("no-user-contact", true, Severity::Low), // judged noise → wrong
        fired("shared-admin-key", true, Severity::High), // unjudged → wrong + reported
    ];
    let mut sink = Sink::default();
    let s = score_agent(&agent, &expect, &map, &findings, 17, k, &mut sink);
    assert!(sink.problems.is_empty(), "{:#?}", sink.problems);
    assert_eq!((s.matched, s.must), (3, 5)); // m1, m2, m3
    assert_eq!(
        s.missed,
        vec![
            "m4 (mapped to none)".to_string(),
            "m5 (only possible; not open)".to_string()
        ]
    );
    assert_eq!(s.definite, 7);
    assert_eq!(
        s.wrong,
        vec![
            "no-rate-limit (must_not n1)".to_string(),
            "eu-gdpr-notice (must_not n2)".to_string(),
            "jailbreak-off-purpose (judged wrong)".to_string(),
            "no-user-contact (judged noise)".to_string(),
            "shared-admin-key (unjudged)".to_string(),
        ]
    );
    // m2's only finding is high, so m2 is covered even though must_not wins for precision.
    assert!(s.critical_misses.is_empty(), "{s:#?}");
    assert_eq!(sink.unjudged.len(), 1);
    assert_eq!(sink.unjudged[0].threat, "shared-admin-key");
    assert_eq!(sink.unjudged[0].severity, Severity::High);
    let t = Totals::of([&s]);
    assert!((t.recall().expect("recall") - 0.6).abs() < 1e-12);
    assert!((t.precision().expect("precision") - 2.0 / 7.0).abs() < 1e-12);

    // A critical statement whose match is only medium, or only possible, is a critical miss.
    let findings = vec![
        fired("shell-without-sandbox", true, Severity::Medium),
        fired("no-rate-limit", false, Severity::Critical),
    ];
    let mut sink = Sink::default();
    let s = score_agent(&agent, &expect, &map, &findings, 17, k, &mut sink);
    assert_eq!(
        s.critical_misses,
        vec![
            "m1 (shell-without-sandbox is medium)".to_string(),
            "m2 (no definite finding)".to_string()
        ]
    );
    // The three verdicts are now stale.
    assert_eq!(sink.problems.len(), 3, "{:#?}", sink.problems);
}

#[test]
fn personal_tools_have_their_own_question_target_and_enforced_targets_are_the_met_ones() {
    let score = |slug: &str, questions, personal| AgentScore {
        slug: slug.into(),
        must: 10,
        matched: 10,
        definite: 10,
        questions,
        personal,
        ..AgentScore::default()
    };
    // 21 questions are fine for a hosted service and one too many for a personal tool.
    let t = Totals::of(&[score("a", 21, false), score("b", 20, true)]);
    assert!(
        missed_targets("x", &t).is_empty(),
        "{:#?}",
        missed_targets("x", &t)
    );
    let t = Totals::of(&[score("a", 21, true), score("b", 20, true)]);
    assert_eq!(
        missed_targets("x", &t),
        vec![(
            Target::PersonalQuestions,
            "x: a personal tool shows 21 questions, above 20".to_string()
        )]
    );
    // What the field set already meets is enforced; what it does not yet meet is reported only.
    assert!(ENFORCED.contains(&Target::PersonalQuestions));
    assert!(ENFORCED.contains(&Target::QuestionsMax));
    assert!(!ENFORCED.contains(&Target::Recall));
}

#[test]
fn totals_median_max_and_targets() {
    let score = |slug: &str, matched, wrong: usize, critical: bool, questions| AgentScore {
        slug: slug.into(),
        must: 10,
        matched,
        definite: 10,
        wrong: vec!["x".into(); wrong],
        critical_misses: if critical { vec!["m1".into()] } else { vec![] },
        questions,
        ..AgentScore::default()
    };
    let good = [score("a", 10, 0, false, 20), score("b", 10, 1, false, 35)];
    let t = Totals::of(&good);
    assert_eq!(t.questions_median(), Some(27.5));
    assert_eq!(t.questions_max(), Some(35));
    assert_eq!(t.precision(), Some(0.95));
    assert!(
        below_target("x", &t).is_empty(),
        "{:#?}",
        below_target("x", &t)
    );

    let bad = [
        score("a", 9, 2, true, 36),
        score("b", 10, 0, false, 43),
        score("c", 10, 0, false, 30),
    ];
    let t = Totals::of(&bad);
    assert_eq!(t.questions_median(), Some(36.0));
    let below = below_target("x", &t);
    assert_eq!(below.len(), 3, "{below:#?}"); // recall 96.7% and precision 93.3% are fine
    for needle in [
        "x: 1 agents with a critical miss (a)",
        "median questions shown 36 above 35",
        "most questions shown 43 above 42",
    ] {
        assert!(
            below.iter().any(|b| b.contains(needle)),
            "{needle}: {below:#?}"
        );
    }
    let worse = [score("a", 9, 2, false, 30), score("b", 9, 2, false, 30)];
    let below = below_target("x", &Totals::of(&worse));
    assert_eq!(
        below,
        vec![
            "x: recall 90.0% below 95.0%".to_string(),
            "x: precision 80.0% below 90.0%".to_string()
        ]
    );
    assert!(below_target("x", &Totals::default()).is_empty());
}

// ---- the notice score -------------------------------------------------------------------------

fn notice_expect() -> Expect {
    let st = |id: &str| Statement {
        id: id.into(),
        text: format!("statement {id}"),
        critical: false,
        open: false,
    };
    Expect {
        must: vec![],
        must_not: vec![],
        notice_must: vec![st("p1"), st("p2"), st("p3"), st("p4")],
        notice_must_not: vec![st("q1"), st("q2")],
    }
}

fn notice_map(yaml: &str) -> BTreeMap<String, NoticeMapped> {
    serde_saphyr::from_str(yaml).expect("notice map parses")
}

#[test]
fn fact_patterns_match_kind_subject_and_value() {
    let code = "location:deepseek=cn_mainland";
    assert!(fact_matches(code, "location"));
    assert!(fact_matches(code, "location:deepseek"));
    assert!(fact_matches(code, "location:deepseek=cn_mainland"));
    assert!(!fact_matches(code, "location:deepseek=eu"));
    assert!(!fact_matches(code, "location:deep"));
    assert!(!fact_matches(code, "recipient"));
    assert!(fact_matches("retention:under_1y", "retention:under_1y"));
    assert!(!fact_matches("retention:under_1y", "retention:under_1"));
}

#[test]
fn the_notice_score_counts_stated_missed_violated_and_prose() {
    let x = notice_expect();
    let m = notice_map(
        "p1: [recipient:deepseek, location:deepseek=cn_mainland]\n\
         p2: [[retention:7d, retention:not_kept]]\n\
         p3: [children:coppa_under_13]\n\
         p4: prose\n\
         q1: [transfer]\n\
         q2: [ai_label:marked]\n",
    );
    let codes: Vec<String> = [
        "recipient:deepseek=model_api",
        "location:deepseek=cn_mainland",
        "retention:not_kept",
        "ai_label:marked",
    ]
    .map(String::from)
    .to_vec();
    let n = score_notice(&x, &m, &codes);
    assert_eq!((n.stated, n.must), (2, 3), "{n:#?}");
    assert_eq!(n.missed, vec!["p3".to_string()]);
    assert_eq!(n.violated, vec!["q2".to_string()]);
    assert_eq!(n.prose, vec!["p4".to_string()]);

    // One missing fact of an all-of list is a miss; none of an any-of list is a miss.
    let fewer: Vec<String> = codes[..1].to_vec();
    let n = score_notice(&x, &m, &fewer);
    assert_eq!(n.missed, vec!["p1", "p2", "p3"]);
    assert!(n.violated.is_empty());
}

#[test]
fn notice_map_problems_are_reported() {
    let x = notice_expect();
    let m = notice_map(
        "p1: [recipient:deepseek]\n\
         p2: []\n\
         p3: [colour:blue]\n\
         p9: prose\n\
         q1: [transfer]\n\
         q2: prose\n",
    );
    let mut problems = Vec::new();
    check_notice_map("hand", &x, &m, &mut problems);
    let all = problems.join("\n");
    for needle in [
        "`p2` has an empty list",
        "names `colour:blue`, whose fact kind `colour` is not in the vocabulary",
        "maps `p9`, which is not a notice_must",
        "does not map notice statement `p4`",
    ] {
        assert!(all.contains(needle), "no `{needle}` in:\n{all}");
    }
    assert_eq!(problems.len(), 4, "{all}");
    let bad: Result<BTreeMap<String, NoticeMapped>, _> = serde_saphyr::from_str("p1: none\n");
    assert!(bad.is_err(), "only `prose` is a word a notice map accepts");
}

#[test]
fn the_notice_target_is_reported_below_it() {
    let t = Totals {
        agents: 2,
        notice_agents: 2,
        notice_must: 10,
        notice_stated: 9,
        notice_violated: 1,
        ..Totals::default()
    };
    let below = below_target("set", &t).join("\n");
    assert!(below.contains("set: notice 90.0% below 95.0%"), "{below}");
    assert!(
        below.contains("set: 1 notice_must_not statements stated, at most 0"),
        "{below}"
    );
    let fine = Totals {
        notice_stated: 10,
        notice_violated: 0,
        ..t
    };
    assert!(below_target("set", &fine).is_empty());
}
