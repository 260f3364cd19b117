//! `agentguard check`, the CI gate (issue 15): the engine (`agentguard::check`) on fixture
//! assessments, then the real binary for every exit code, expiry around `--today`, `--baseline`,
//! the review date, the JSON (against `schemas/check.schema.json`) and the SARIF (against the
//! official SARIF 2.1.0 schema in `../shared`, and its fingerprints). Fixtures are in
//! `tests/fixtures/check/`.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

use agentguard::check::{
    AnswerLines, BaselineChoice, Change, CheckError, CheckInput, CheckOutcome, DueFrom, Reason,
    Warning,
};
use agentguard::model::{Assessment, Knowledge, Severity};

const FIRING: &str = "untrusted-model-weights";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "../shared is missing: CI must run with the shared folder beside the repository"
        );
        None
    }
}

// ---- engine ----------------------------------------------------------------------------------

fn knowledge() -> Knowledge {
    agentguard::knowledge(&agentguard::Sources::embedded())
        .expect("embedded catalog")
        .0
}

fn load(k: &Knowledge, name: &str) -> Assessment {
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    agentguard::load::assessment(name, &bytes, k)
        .expect("valid fixture")
        .0
}

fn day(s: &str) -> i64 {
    agentguard::util::parse_date(s).expect("date")
}

fn run(
    k: &Knowledge,
    a: &Assessment,
    today: &str,
    fail_on: Severity,
    baseline: BaselineChoice,
) -> Result<CheckOutcome, CheckError> {
    let findings = agentguard::evaluate(k, a, day(today));
    agentguard::check::check(&CheckInput {
        knowledge: k,
        assessment: a,
        findings: &findings,
        today: day(today),
        fail_on,
        baseline,
        fail_on_overdue: false,
    })
}

fn failing_ids(k: &Knowledge, a: &Assessment, today: &str, o: &CheckOutcome) -> Vec<String> {
    let findings = agentguard::evaluate(k, a, day(today));
    o.failing()
        .map(|g| {
            k.catalog.threats[findings.findings[g.finding].threat]
                .id
                .clone()
        })
        .collect()
}

#[test]
fn engine_fails_at_or_above_the_threshold_only() {
    let k = knowledge();
    let a = load(&k, "gate.yaml");
    let o = run(&k, &a, "2026-12-05", Severity::High, BaselineChoice::None).expect("check");
    assert_eq!(o.exit_code, 0, "{o:#?}");
    assert!(o.reasons.is_empty());
    assert_eq!(
        o.open.len(),
        1,
        "the medium finding is still listed as open"
    );
    let o = run(&k, &a, "2026-12-05", Severity::Medium, BaselineChoice::None).expect("check");
    assert_eq!(o.exit_code, 1);
    assert_eq!(o.reasons, vec![Reason::Findings]);
    assert_eq!(failing_ids(&k, &a, "2026-12-05", &o), vec![FIRING]);
}

#[test]
fn engine_possible_findings_never_fail() {
    let k = knowledge();
    // newer.yaml leaves a question unanswered, which makes some findings possible.
    let a = load(&k, "newer.yaml");
    let findings = agentguard::evaluate(&k, &a, day("2026-12-05"));
    assert!(
        findings.possible().count() > 0,
        "the fixture has possible findings"
    );
    let o = run(&k, &a, "2026-12-05", Severity::Low, BaselineChoice::None).expect("check");
    for g in &o.open {
        assert_eq!(
            findings.findings[g.finding].certainty,
            agentguard::evaluate::Certainty::Definite
        );
    }
    assert_eq!(
        o.open.len(),
        findings.definite().filter(|f| f.is_open()).count()
    );
}

#[test]
fn engine_unanswered_of_the_own_version_fail_and_newer_ones_warn() {
    let k = knowledge();
    let a = load(&k, "unanswered.yaml");
    let o = run(
        &k,
        &a,
        "2026-12-05",
        Severity::Critical,
        BaselineChoice::None,
    )
    .expect("check");
    assert_eq!(o.exit_code, 1);
    assert_eq!(o.reasons, vec![Reason::Unanswered]);
    let ids: Vec<&str> = o
        .unanswered
        .iter()
        .map(|&q| k.questionnaire.questions[q].id.as_str())
        .collect();
    assert!(ids.contains(&"memory.history"), "{ids:?}");
    assert!(o.unanswered_newer.is_empty());

    let a = load(&k, "newer.yaml");
    assert_eq!(a.catalog_version, 2);
    let o = run(
        &k,
        &a,
        "2026-12-05",
        Severity::Critical,
        BaselineChoice::None,
    )
    .expect("check");
    assert_eq!(o.exit_code, 0, "{o:#?}");
    assert_eq!(o.warnings, vec![Warning::NewerQuestions]);
    let newer: Vec<&str> = o
        .unanswered_newer
        .iter()
        .map(|&q| k.questionnaire.questions[q].id.as_str())
        .collect();
    assert_eq!(newer, vec!["knowledge.untrusted"]);
    // The same answers claiming catalog v3 make that question one of their own: it fails.
    let mut own = a.clone();
    own.catalog_version = 3;
    let o = run(
        &k,
        &own,
        "2026-12-05",
        Severity::Critical,
        BaselineChoice::None,
    )
    .expect("c");
    assert_eq!(o.reasons, vec![Reason::Unanswered]);
}

/// Expiry follows the engine's `until`: an acceptance holds through its `until` date and is open
/// again the day after.
#[test]
fn engine_acceptance_until_today_holds_until_yesterday_is_open() {
    let k = knowledge();
    let a = load(&k, "accepted.yaml");
    let until = "2027-01-15";
    // until = today: still accepted.
    let o = run(&k, &a, until, Severity::Medium, BaselineChoice::None).expect("check");
    assert_eq!(o.exit_code, 0, "{o:#?}");
    assert!(o.open.is_empty());
    // until = yesterday: expired, open, fails.
    let o = run(&k, &a, "2027-01-16", Severity::Medium, BaselineChoice::None).expect("check");
    assert_eq!(o.exit_code, 1);
    let findings = agentguard::evaluate(&k, &a, day("2027-01-16"));
    let f = &findings.findings[o.open[0].finding];
    assert!(f.acceptance_expired && f.is_open());
    // until in 14 days: accepted.
    let o = run(&k, &a, "2027-01-01", Severity::Medium, BaselineChoice::None).expect("check");
    assert_eq!(o.exit_code, 0);
}

#[test]
fn engine_baseline_fails_only_on_new_or_raised_findings() {
    let k = knowledge();
    let a = load(&k, "reviewed.yaml");
    let today = "2026-12-05";
    // The last review (2026-12-01) has the finding at medium: known, passes.
    let o = run(&k, &a, today, Severity::Medium, BaselineChoice::Last).expect("check");
    assert_eq!(o.exit_code, 0, "{o:#?}");
    assert_eq!(
        o.baseline.as_ref().map(|b| b.date.as_str()),
        Some("2026-12-01")
    );
    assert_eq!(o.open[0].change, Some(Change::Unchanged));
    // 2026-11-01 recorded it as low: now more severe, fails.
    let o = run(
        &k,
        &a,
        today,
        Severity::Medium,
        BaselineChoice::On(day("2026-11-01")),
    )
    .expect("check");
    assert_eq!(o.exit_code, 1);
    assert_eq!(o.open[0].change, Some(Change::Raised));
    assert_eq!(o.open[0].baseline_severity, Some(Severity::Low));
    // 2026-11-15 had nothing open: new, fails.
    let o = run(
        &k,
        &a,
        today,
        Severity::Medium,
        BaselineChoice::On(day("2026-11-15")),
    )
    .expect("check");
    assert_eq!(o.open[0].change, Some(Change::New));
    assert_eq!(o.exit_code, 1);
    // A new finding below the threshold still does not fail.
    let o = run(
        &k,
        &a,
        today,
        Severity::High,
        BaselineChoice::On(day("2026-11-15")),
    )
    .expect("check");
    assert_eq!(o.exit_code, 0);
}

#[test]
fn engine_unusable_baselines_are_errors() {
    let k = knowledge();
    let reviewed = load(&k, "reviewed.yaml");
    let gate = load(&k, "gate.yaml");
    let today = "2026-12-05";
    assert_eq!(
        run(&k, &gate, today, Severity::High, BaselineChoice::Last),
        Err(CheckError::NoBaseline)
    );
    assert_eq!(
        run(
            &k,
            &reviewed,
            today,
            Severity::High,
            BaselineChoice::On(day("2026-10-15"))
        ),
        Err(CheckError::BaselineWithoutOpen {
            date: "2026-10-15".into()
        })
    );
    match run(
        &k,
        &reviewed,
        today,
        Severity::High,
        BaselineChoice::On(day("2026-10-01")),
    ) {
        Err(CheckError::NoReviewOn { date, available }) => {
            assert_eq!(date, "2026-10-01");
            assert_eq!(available.len(), 4);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn engine_review_falls_due_after_the_interval() {
    let k = knowledge();
    let reviewed = load(&k, "reviewed.yaml");
    // Last review 2026-12-01 + 90 days = 2027-03-01.
    let r = agentguard::check::review_due(&reviewed, day("2027-03-01")).expect("due");
    assert_eq!(
        (r.from, r.due, r.overdue),
        (DueFrom::Review, day("2027-03-01"), false)
    );
    let r = agentguard::check::review_due(&reviewed, day("2027-03-02")).expect("due");
    assert!(r.overdue);
    // No review: from the newest answer (2026-11-26) + 90 = 2027-02-24.
    let gate = load(&k, "gate.yaml");
    let r = agentguard::check::review_due(&gate, day("2027-02-25")).expect("due");
    assert_eq!(
        (r.from, r.due, r.overdue),
        (DueFrom::Answers, day("2027-02-24"), true)
    );
    let o = run(
        &k,
        &gate,
        "2027-02-25",
        Severity::Critical,
        BaselineChoice::None,
    )
    .expect("c");
    assert_eq!(
        (o.exit_code, o.warnings.clone()),
        (0, vec![Warning::OverdueReview])
    );
}

#[test]
fn engine_locates_a_finding_at_its_first_answer() {
    let k = knowledge();
    let text = std::fs::read_to_string(fixture("gate.yaml")).expect("fixture");
    let raw = agentguard::load::parse_assessment("gate.yaml", text.as_bytes()).expect("parse");
    let lines = AnswerLines::from_raw(&raw, &text);
    let line_of = |id: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(&format!("{id}:")))
            .map(|i| i as u64 + 1)
    };
    assert_eq!(lines.answers_key, line_of("answers"));
    let a = load(&k, "gate.yaml");
    let findings = agentguard::evaluate(&k, &a, day("2026-12-05"));
    let f = findings
        .findings
        .iter()
        .find(|f| k.catalog.threats[f.threat].id == FIRING)
        .expect("the finding");
    assert_eq!(Some(lines.line_of(&k, f)), line_of("model.providers"));
    // Without answer positions: the `answers:` key; without that: line 1.
    let only_key = AnswerLines {
        answers: std::collections::HashMap::new(),
        answers_key: Some(5),
    };
    assert_eq!(only_key.line_of(&k, f), 5);
    assert_eq!(AnswerLines::default().line_of(&k, f), 1);
}

// ---- the binary ------------------------------------------------------------------------------

fn bin() -> Command {
    let mut c = Command::cargo_bin("agentguard").expect("binary");
    c.env_remove("LANG")
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("AGENTGUARD_ANSWERS")
        .env("AGENTGUARD_NOW", "2026-12-05")
        .env("XDG_CONFIG_HOME", "/nonexistent-agentguard-test")
        .env("HOME", "/nonexistent-agentguard-test");
    c
}

fn check(dir: &Path, file: &str, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(["--answers", file, "check"])
        .args(args)
        .output()
        .expect("runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixtures() -> PathBuf {
    fixture("")
}

#[test]
fn open_findings_come_most_severe_first_in_every_format() {
    // A rich example: many open findings over several lifecycle stages, so the engine's own order
    // (stage, then catalog) is not by severity and the sort is what makes this hold.
    let o = check(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        "coze-shop-bot.yaml",
        &["--format", "text", "--lang", "en"],
    );
    let severities: Vec<u8> = out(&o)
        .lines()
        .map(|l| {
            let s = l
                .split(": ")
                .nth(1)
                .expect("file:line: severity: id: title");
            ["low", "medium", "high", "critical"]
                .iter()
                .position(|x| *x == s)
                .and_then(|p| u8::try_from(p).ok())
                .unwrap_or_else(|| panic!("no severity in {l}"))
        })
        .collect();
    let mut distinct = severities.clone();
    distinct.dedup();
    assert!(distinct.len() >= 3, "{}", out(&o));
    assert!(
        severities.windows(2).all(|w| w[0] >= w[1]),
        "not most severe first:\n{}",
        out(&o)
    );
}

#[test]
fn exit_0_when_nothing_reaches_the_default_threshold_high() {
    let o = check(&fixtures(), "gate.yaml", &[]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        err(&o).contains("passed: no open finding at or above high"),
        "{}",
        err(&o)
    );
    // The medium finding is still listed on standard output, not failing.
    assert_eq!(out(&o).lines().count(), 1, "{}", out(&o));
    assert!(out(&o).starts_with("gate.yaml:10: medium: untrusted-model-weights: "));
    assert!(!out(&o).contains("[fails]"));
}

#[test]
fn exit_1_on_a_definite_open_finding_at_the_threshold() {
    let o = check(&fixtures(), "gate.yaml", &["--fail-on", "medium"]);
    assert_eq!(code(&o), 1);
    let e = err(&o);
    assert!(e.contains("1 open finding(s) at or above medium:"), "{e}");
    assert!(e.contains("untrusted-model-weights"), "{e}");
    assert!(e.contains("check failed (exit 1): open findings."), "{e}");
    assert!(e.lines().count() <= 20, "{e}");
    assert!(out(&o).contains("[fails]"));
}

#[test]
fn exit_1_on_unanswered_questions_with_its_own_message() {
    let o = check(&fixtures(), "unanswered.yaml", &["--fail-on", "critical"]);
    assert_eq!(code(&o), 1);
    let e = err(&o);
    assert!(e.contains("question(s) unanswered: memory.history"), "{e}");
    assert!(
        e.contains("check failed (exit 1): unanswered questions."),
        "{e}"
    );
    // With a baseline too: unanswered questions always fail.
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(fixture("reviewed.yaml")).expect("fixture").replace(
        "  memory.history: {value: session, at: '2026-11-26T09:00:00Z', source: user, confirmed: true}\n",
        "",
    );
    std::fs::write(dir.path().join("a.yaml"), text).expect("write");
    let o = check(dir.path(), "a.yaml", &["--baseline"]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(err(&o).contains("unanswered questions."), "{}", err(&o));
}

#[test]
fn questions_of_a_newer_catalog_only_warn() {
    let o = check(&fixtures(), "newer.yaml", &["--fail-on", "critical"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("warning: 1 question(s) added by catalog versions after v2 are unanswered: knowledge.untrusted."),
        "{e}"
    );
    assert!(e.contains("possible finding(s) do not fail"), "{e}");
}

#[test]
fn exit_78_on_an_invalid_assessment() {
    let o = check(&fixtures(), "invalid.yaml", &[]);
    assert_eq!(code(&o), 78);
    assert!(err(&o).contains("E0510"), "{}", err(&o));
    assert!(out(&o).is_empty());
}

#[test]
fn exit_2_on_runtime_errors() {
    let o = check(&fixtures(), "missing.yaml", &[]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("no assessment at missing.yaml"),
        "{}",
        err(&o)
    );
    let o = check(&fixtures(), "gate.yaml", &["--today", "2026-13-01"]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("--today 2026-13-01: not a date"),
        "{}",
        err(&o)
    );
    let o = check(&fixtures(), "gate.yaml", &["--fail-on", "none"]);
    assert_eq!(code(&o), 2, "check has no `none` threshold");
}

#[test]
fn expiry_today_yesterday_and_in_14_days() {
    let dir = fixtures();
    // until 2027-01-15 = today: the acceptance holds.
    let o = check(
        &dir,
        "accepted.yaml",
        &["--fail-on", "medium", "--today", "2027-01-15"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(out(&o).is_empty());
    // until = yesterday: open again, fails, said so.
    let o = check(
        &dir,
        "accepted.yaml",
        &["--fail-on", "medium", "--today", "2027-01-16"],
    );
    assert_eq!(code(&o), 1);
    assert!(out(&o).contains("[acceptance expired]"), "{}", out(&o));
    assert!(err(&o).contains("[acceptance expired]"), "{}", err(&o));
    // until in 14 days: holds.
    let o = check(
        &dir,
        "accepted.yaml",
        &["--fail-on", "medium", "--today", "2027-01-01"],
    );
    assert_eq!(code(&o), 0);
}

#[test]
fn baseline_last_date_raised_new_and_missing() {
    let dir = fixtures();
    let o = check(
        &dir,
        "reviewed.yaml",
        &["--fail-on", "medium", "--baseline"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("were already open at the review of 2026-12-01"),
        "{e}"
    );
    assert!(e.contains("new since the review of 2026-12-01"), "{e}");
    let o = check(
        &dir,
        "reviewed.yaml",
        &["--fail-on", "medium", "--baseline", "2026-11-01"],
    );
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains("[was low]"), "{}", err(&o));
    let o = check(
        &dir,
        "reviewed.yaml",
        &["--fail-on", "medium", "--baseline=2026-11-15"],
    );
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains("[new]"), "{}", err(&o));
    // No usable baseline: exit 2, saying what to do.
    let o = check(&dir, "gate.yaml", &["--baseline"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("Run `agentguard review` once, or drop --baseline."));
    let o = check(&dir, "reviewed.yaml", &["--baseline", "2026-10-15"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("before agentguard kept its open findings"));
    let o = check(&dir, "reviewed.yaml", &["--baseline", "2026-10-01"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("(reviews: 2026-10-15, 2026-11-01, 2026-11-15, 2026-12-01)"));
    let o = check(&dir, "reviewed.yaml", &["--baseline", "yesterday"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("--baseline yesterday: not a date"));
}

#[test]
fn an_overdue_review_warns_or_fails_with_fail_on_overdue() {
    let dir = fixtures();
    let on_time = check(&dir, "reviewed.yaml", &["--today", "2027-03-01"]);
    assert_eq!(code(&on_time), 0);
    assert!(!err(&on_time).contains("overdue"), "{}", err(&on_time));
    let late = check(&dir, "reviewed.yaml", &["--today", "2027-03-02"]);
    assert_eq!(code(&late), 0);
    assert!(
        err(&late).contains("warning: The review is overdue since 2027-03-01 (every 90 days; last review 2026-12-01)"),
        "{}",
        err(&late)
    );
    let strict = check(
        &dir,
        "reviewed.yaml",
        &["--today", "2027-03-02", "--fail-on-overdue"],
    );
    assert_eq!(code(&strict), 1);
    assert!(err(&strict).contains("check failed (exit 1): overdue review."));
    let strict_on_time = check(
        &dir,
        "reviewed.yaml",
        &["--today", "2027-03-01", "--fail-on-overdue"],
    );
    assert_eq!(code(&strict_on_time), 0);
}

#[test]
fn the_summary_speaks_the_assessment_language_or_lang() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(fixture("gate.yaml"))
        .expect("fixture")
        .replace("lang: en", "lang: zh");
    std::fs::write(dir.path().join("zh.yaml"), text).expect("write");
    let o = check(dir.path(), "zh.yaml", &["--fail-on", "medium"]);
    assert_eq!(code(&o), 1);
    let e = err(&o);
    assert!(e.contains("有 1 项待处理风险达到或高于“中”："), "{e}");
    assert!(e.contains("检查未通过（退出码 1）：有待处理风险。"), "{e}");
    let o = bin()
        .current_dir(dir.path())
        .args(["--lang", "en", "--answers", "zh.yaml", "check"])
        .output()
        .expect("runs");
    assert!(
        err(&o).contains("passed: no open finding at or above high."),
        "{}",
        err(&o)
    );
}

#[test]
fn answers_come_from_agentguard_answers_when_no_flag_is_given() {
    let o = bin()
        .current_dir(fixtures())
        .env("AGENTGUARD_ANSWERS", "gate.yaml")
        .args(["check", "--fail-on", "medium"])
        .output()
        .expect("runs");
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(out(&o).starts_with("gate.yaml:10:"), "{}", out(&o));
    // The flag wins over the variable.
    let o = bin()
        .current_dir(fixtures())
        .env("AGENTGUARD_ANSWERS", "missing.yaml")
        .args(["--answers", "accepted.yaml", "check", "--fail-on", "medium"])
        .output()
        .expect("runs");
    assert_eq!(code(&o), 0, "{}", err(&o));
}

#[test]
fn json_follows_its_schema_and_says_the_decision() {
    let schema: Value = serde_json::from_str(agentguard::schema::CHECK).expect("schema");
    let validator = jsonschema::draft202012::new(&schema).expect("a valid schema");
    let dir = fixtures();
    for (file, args) in [
        ("gate.yaml", vec!["--fail-on", "medium"]),
        (
            "reviewed.yaml",
            vec!["--baseline", "2026-11-01", "--today", "2027-03-02"],
        ),
        ("newer.yaml", vec![]),
        (
            "accepted.yaml",
            vec!["--today", "2027-01-16", "--fail-on", "low"],
        ),
    ] {
        let mut args = args.clone();
        args.extend(["--format", "json"]);
        let o = check(&dir, file, &args);
        let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}\n{v:#}");
        assert_eq!(v["exit_code"].as_i64(), Some(i64::from(code(&o))), "{file}");
    }
    let o = check(
        &dir,
        "reviewed.yaml",
        &[
            "--baseline",
            "2026-11-01",
            "--fail-on",
            "medium",
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["reasons"], serde_json::json!(["findings"]));
    assert_eq!(v["failing"][0]["threat"], FIRING);
    assert_eq!(v["failing"][0]["change"], "raised");
    assert_eq!(v["failing"][0]["baseline_severity"], "low");
    assert_eq!(v["failing"][0]["line"], 10);
    assert_eq!(v["baseline"]["date"], "2026-11-01");
}

fn sarif(dir: &Path, file: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "sarif"];
    all.extend(args);
    let o = check(dir, file, &all);
    (
        code(&o),
        serde_json::from_slice(&o.stdout).expect("SARIF is JSON"),
    )
}

#[test]
fn sarif_follows_the_official_schema() {
    let Some(shared) = shared() else { return };
    let text = std::fs::read_to_string(shared.join("schemas/sarif-schema-2.1.0.json"))
        .expect("the SARIF schema");
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    let validator = jsonschema::draft4::new(&schema).expect("a valid draft-04 schema");
    let dir = fixtures();
    for (file, args) in [
        ("gate.yaml", vec![]),
        ("reviewed.yaml", vec!["--baseline", "2026-11-15"]),
        ("accepted.yaml", vec!["--today", "2027-01-16"]),
        ("newer.yaml", vec!["--lang", "zh"]),
    ] {
        let (_, v) = sarif(&dir, file, &args);
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
    // The validator is not vacuous: a result without a message is refused.
    let (_, mut v) = sarif(&dir, "gate.yaml", &[]);
    if let Some(r) = v["runs"][0]["results"][0].as_object_mut() {
        r.remove("message");
    }
    assert!(!validator.is_valid(&v));
}

#[test]
fn sarif_rules_and_results_carry_what_github_reads() {
    let dir = fixtures();
    let (code, v) = sarif(&dir, "gate.yaml", &["--fail-on", "medium"]);
    assert_eq!(code, 1);
    let run = &v["runs"][0];
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "agentguard");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let k = knowledge();
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let live = k
        .catalog
        .threats
        .iter()
        .filter(|t| t.retired.is_none())
        .count();
    assert_eq!(rules.len(), live, "one rule per live threat");
    let t = k.catalog.threat(FIRING).expect("threat");
    let rule = rules.iter().find(|r| r["id"] == FIRING).expect("its rule");
    let first_url = t
        .references
        .iter()
        .find_map(|&r| k.catalog.references[r].url.clone());
    assert_eq!(rule["helpUri"].as_str(), first_url.as_deref());
    let tags: Vec<&str> = rule["properties"]["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(tags[0], "security");
    for &r in &t.references {
        let reference = &k.catalog.references[r];
        assert!(tags.contains(&reference.id.as_str()), "{tags:?}");
        assert!(
            rule["help"]["text"]
                .as_str()
                .is_some_and(|h| h.contains(&reference.id)),
            "help names {}",
            reference.id
        );
    }
    assert_eq!(rule["properties"]["security-severity"], "5.5");
    assert_eq!(rule["shortDescription"]["text"], t.title.en);
    // Every rule without a result scores its threat's base severity (one with a result: the
    // finding's, see the next test).
    let results_of = |id: &str| {
        run["results"]
            .as_array()
            .is_some_and(|rs| rs.iter().any(|x| x["ruleId"] == id))
    };
    for r in rules
        .iter()
        .filter(|r| !results_of(r["id"].as_str().unwrap_or("")))
    {
        let threat = k.catalog.threat(r["id"].as_str().expect("id")).expect("t");
        let want = match threat.severity {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
        };
        assert_eq!(r["properties"]["security-severity"], want);
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], FIRING);
    assert_eq!(r["level"], "warning");
    assert_eq!(r["properties"]["fails"], true);
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "gate.yaml");
    assert_eq!(loc["region"]["startLine"], 10);
    assert_eq!(
        r["partialFingerprints"]["agentguard/v1"],
        agentguard::sarif::fingerprint(FIRING, "gate.yaml")
    );
    assert!(r.get("baselineState").is_none());
    let rule_index = usize::try_from(r["ruleIndex"].as_u64().expect("index")).expect("usize");
    assert_eq!(rules[rule_index]["id"], FIRING);
}

#[test]
fn sarif_fingerprints_are_stable_across_runs_and_line_moves() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(fixture("gate.yaml")).expect("fixture");
    std::fs::write(dir.path().join("agentguard.yaml"), &text).expect("write");
    let result = |v: &Value| v["runs"][0]["results"][0].clone();
    let (_, first) = sarif(dir.path(), "agentguard.yaml", &[]);
    let (_, second) = sarif(dir.path(), "./agentguard.yaml", &[]);
    assert_eq!(first, second, "two runs give the same log");
    let before = result(&first);
    // Answers added above the firing one move its line, not its fingerprint.
    let moved = text.replace(
        "answers:\n",
        "answers:\n  agent.name: {value: notes, at: '2026-11-27T09:00:00Z', source: user, confirmed: true}\n  agent.decisions: {value: 'no', at: '2026-11-27T09:00:00Z', source: user, confirmed: true}\n",
    );
    assert_ne!(moved, text);
    std::fs::write(dir.path().join("agentguard.yaml"), &moved).expect("write");
    let (_, third) = sarif(dir.path(), "agentguard.yaml", &[]);
    let after = result(&third);
    assert_eq!(after["ruleId"], FIRING);
    let line = |r: &Value| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
    assert_eq!(line(&before), Some(10));
    assert_eq!(line(&after), Some(12), "the region follows the answer");
    assert_eq!(after["partialFingerprints"], before["partialFingerprints"]);
    // An absolute --answers inside the current folder is the same artifact.
    let abs = dir.path().join("agentguard.yaml");
    let (_, fourth) = sarif(dir.path(), abs.to_str().expect("utf-8 path"), &[]);
    assert_eq!(
        result(&fourth)["partialFingerprints"],
        before["partialFingerprints"]
    );
    assert_eq!(
        result(&fourth)["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "agentguard.yaml"
    );
}

#[test]
fn sarif_marks_the_baseline_state_and_output_goes_to_a_file() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::copy(fixture("reviewed.yaml"), dir.path().join("a.yaml")).expect("copy");
    let o = check(
        dir.path(),
        "a.yaml",
        &[
            "--format",
            "sarif",
            "--baseline",
            "2026-11-01",
            "--fail-on",
            "medium",
            "-o",
            "out.sarif",
        ],
    );
    assert_eq!(code(&o), 1);
    assert!(
        out(&o).is_empty(),
        "-o writes the file, not standard output"
    );
    assert!(err(&o).contains("[was low]"), "{}", err(&o));
    let v: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.sarif")).expect("written"))
            .expect("JSON");
    assert_eq!(v["runs"][0]["results"][0]["baselineState"], "updated");
    // -o naming the assessment itself is refused.
    let o = check(dir.path(), "a.yaml", &["-o", "a.yaml"]);
    assert_eq!(code(&o), 2);
}

/// GitHub shows a rule's `security-severity`: where a severity rule raised this agent's finding
/// above the threat's base severity, the rule says the raised one.
#[test]
fn sarif_rule_carries_the_raised_severity_of_its_finding() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        "examples/coze-shop-bot.yaml",
        dir.path().join("agentguard.yaml"),
    )
    .expect("copy");
    let (_, v) = sarif(dir.path(), "agentguard.yaml", &[]);
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let k = knowledge();
    let score = |s: Severity| match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    };
    let mut raised = 0;
    for r in run["results"].as_array().expect("results") {
        let id = r["ruleId"].as_str().expect("id");
        let sev = Severity::parse(r["properties"]["severity"].as_str().expect("sev")).expect("sev");
        let rule = rules.iter().find(|x| x["id"] == id).expect("rule");
        assert_eq!(rule["properties"]["security-severity"], score(sev), "{id}");
        if k.catalog.threat(id).expect("t").severity != sev {
            raised += 1;
        }
    }
    assert!(
        raised > 0,
        "the example has a finding whose severity a rule changed"
    );
}
