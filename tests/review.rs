//! `agentguard review` (issue 15): the review plan on fixture catalogs one version apart
//! (tests/fixtures/mini under tests/fixtures/review), the review walk of the wizard's state
//! machine, line mode driven by a scripted prompter, whole-screen snapshots at 80×24 in both
//! languages, and the real binary (`--dry-run`, recording with nothing to ask, no terminal).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use agentguard::evaluate::{self, Certainty};
use agentguard::i18n::Ui;
use agentguard::model::DecisionStatus;
use agentguard::model::{Assessment, Knowledge, Lang, Review, Severity};
use agentguard::review::{self, ChangeKind, FindingMove, Renewal, Step};
use agentguard::store::Stored;
use agentguard::wizard::flow::{Command, Effect, Event, Flow, Screen};
use agentguard::wizard::plain::{self, Scripted, ScriptedPrompter};
use agentguard::wizard::tui::{self, App, Theme};
use agentguard::wizard::{Session, Trace};
use agentguard::{Sources, load};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

/// The mini catalog (version 1), or with the review overlay laid over it (version 2).
fn knowledge(upgraded: bool) -> Knowledge {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/mini")).expect("mini");
    if upgraded {
        s.overlay(Path::new("tests/fixtures/review"))
            .expect("review overlay");
    }
    match load::knowledge(&s) {
        Ok((k, _)) => k,
        Err(d) => panic!("fixture invalid: {d:#?}"),
    }
}

fn day(s: &str) -> i64 {
    agentguard::util::parse_date(s).expect("date")
}

const TODAY: &str = "2026-06-01";
const OLD: &str = "2026-01-05T09:00:00Z";
const FRESH: &str = "2026-05-20T09:00:00Z";

/// A public agent with email and no approval, answered on 5 January 2026 except its name
/// (20 May); `extra` is appended to the file (decisions, reviews).
fn assessment(k: &Knowledge, extra: &str) -> Assessment {
    let text = format!(
        "schema_version: 2\ncatalog_version: 1\nlang: en\nanswers:\n\
         \x20 users.audience: {{value: public, at: {OLD}}}\n\
         \x20 users.count: {{value: 5000, at: {OLD}}}\n\
         \x20 users.regions: {{value: [cn_mainland], at: {OLD}}}\n\
         \x20 users.minors: {{value: \"no\", at: {OLD}}}\n\
         \x20 model.providers: {{value: [beta], at: {OLD}}}\n\
         \x20 model.tools: {{value: [email], at: {OLD}}}\n\
         \x20 model.confirm: {{value: \"no\", at: {OLD}}}\n\
         \x20 model.name: {{value: Shop Bot, at: {FRESH}}}\n{extra}"
    );
    match load::assessment("test.yaml", text.as_bytes(), k) {
        Ok((a, _)) => a,
        Err(d) => panic!("assessment invalid: {d:#?}\n{text}"),
    }
}

fn plan_of(k: &Knowledge, a: &Assessment, today: &str) -> review::ReviewPlan {
    let f = evaluate::evaluate(k, a, day(today));
    review::plan(k, a, &f, day(today))
}

fn threat(k: &Knowledge, id: &str) -> usize {
    k.catalog.threat_by_id[id]
}

fn question(k: &Knowledge, id: &str) -> usize {
    k.questionnaire.index(id).expect("question")
}

// ---- the plan ---------------------------------------------------------------------------------

#[test]
fn catalog_upgrade_lists_the_threat_that_applies_and_counts_the_one_that_cannot() {
    let k = knowledge(true);
    let p = plan_of(&k, &assessment(&k, ""), TODAY);
    assert_eq!((p.since_version, p.catalog_version), (1, 2));
    let listed: Vec<(&str, ChangeKind)> = p
        .threats
        .iter()
        .map(|t| (k.catalog.threats[t.threat].id.as_str(), t.change))
        .collect();
    // hijacked-email changed and applies (email, no approval); the new public-spam threat applies.
    assert_eq!(
        listed,
        vec![
            ("hijacked-email", ChangeKind::Changed),
            ("review-public-spam", ChangeKind::Added),
        ]
    );
    let spam = &p.threats[1];
    assert_eq!(spam.certainty, Certainty::Definite);
    assert_eq!(spam.severity, Severity::Medium);
    assert_eq!(spam.version, 2);
    assert_eq!(spam.questions, vec![question(&k, "users.audience")]);
    // review-solo-backup needs an agent only its maker uses: counted, not listed.
    assert!(
        !p.threats
            .iter()
            .any(|t| t.threat == threat(&k, "review-solo-backup"))
    );
    assert_eq!(p.other_threats, 1);
    // The same assessment against the catalog it was made with: no catalog change at all.
    let k1 = knowledge(false);
    let p1 = plan_of(&k1, &assessment(&k1, ""), TODAY);
    assert!(p1.threats.is_empty() && p1.questionnaire.is_empty());
    assert_eq!((p1.other_threats, p1.other_questionnaire), (0, 0));
}

#[test]
fn a_possible_finding_of_a_new_threat_is_listed_as_possible() {
    let k = knowledge(true);
    let mut a = assessment(&k, "");
    a.answers.remove("users.audience");
    let p = plan_of(&k, &a, TODAY);
    let spam = p
        .threats
        .iter()
        .find(|t| t.threat == threat(&k, "review-public-spam"))
        .expect("spam listed while the audience is unknown");
    assert_eq!(spam.certainty, Certainty::Possible);
    // Both new threats hang on the audience: neither is counted as not applying.
    assert_eq!(p.other_threats, 0);
    assert!(p.unknowns.contains(&question(&k, "users.audience")));
}

#[test]
fn a_retired_option_in_an_answer_is_a_review_item_and_its_question_is_asked_again() {
    let k = knowledge(true);
    let a = assessment(&k, "");
    let f = evaluate::evaluate(&k, &a, day(TODAY));
    let p = review::plan(&k, &a, &f, day(TODAY));
    let providers = question(&k, "model.providers");
    let beta = k.questionnaire.questions[providers]
        .option_index("beta")
        .expect("beta");
    assert_eq!(p.questionnaire.len(), 1, "{:#?}", p.questionnaire);
    let c = &p.questionnaire[0];
    assert_eq!(
        (
            c.id.as_str(),
            c.change,
            c.question,
            c.options.clone(),
            c.version
        ),
        (
            "model.providers/beta",
            ChangeKind::Retired,
            providers,
            vec![beta],
            2
        )
    );
    assert!(p.walk(&k, &f).contains(&Step::Ask(providers)));
    // An assessment that does not use the option is not concerned: counted only.
    let mut other = a.clone();
    other
        .answers
        .get_mut("model.providers")
        .expect("answer")
        .value = agentguard::model::Value::Choices(vec!["alpha".into()]);
    let p = plan_of(&k, &other, TODAY);
    assert!(p.questionnaire.is_empty());
    assert_eq!(p.other_questionnaire, 1);
}

#[test]
fn a_stale_answer_is_listed_and_a_fresh_one_is_not() {
    let k = knowledge(true);
    let a = assessment(&k, "");
    let p = plan_of(&k, &a, TODAY);
    let stale: Vec<&str> = p
        .stale
        .iter()
        .map(|s| k.questionnaire.questions[s.question].id.as_str())
        .collect();
    assert!(stale.contains(&"users.audience"), "{stale:?}");
    assert!(!stale.contains(&"model.name"), "answered 12 days ago");
    assert_eq!(
        p.stale[0].at.as_deref(),
        Some("2026-01-05"),
        "the date of the answer"
    );
    // The audience is behind open findings of medium and above: asked one by one. The regions
    // are behind none: confirmed with their section.
    let ask = |id: &str| p.stale.iter().find(|s| s.question == question(&k, id));
    assert!(ask("users.audience").expect("listed").ask);
    assert!(!ask("users.regions").expect("listed").ask);
    // 90 days is the default interval: answered 90 days before today is not yet stale.
    let mut edge = a.clone();
    for x in edge.answers.values_mut() {
        x.at = "2026-03-03T09:00:00Z".into();
    }
    assert!(plan_of(&k, &edge, TODAY).stale.is_empty());
    assert_eq!(day(TODAY) - day("2026-03-03"), 90);
    // A review within the interval confirmed them: nothing is stale.
    let reviewed = assessment(
        &k,
        "reviews:\n  - {date: 2026-05-01, catalog_version: 2, findings: 0}\n",
    );
    assert!(plan_of(&k, &reviewed, TODAY).stale.is_empty());
    // A review older than the interval did not: the old answers are stale again.
    let long_ago = assessment(
        &k,
        "reviews:\n  - {date: 2026-02-01, catalog_version: 2, findings: 0}\n",
    );
    assert!(!plan_of(&k, &long_ago, TODAY).stale.is_empty());
    // A shorter interval set in the file is honoured.
    let mut short = a;
    short.review_interval_days = 7;
    let p = plan_of(&k, &short, TODAY);
    assert!(
        p.stale
            .iter()
            .any(|s| s.question == question(&k, "model.name"))
    );
}

#[test]
fn acceptances_expired_yesterday_ending_today_and_in_14_days_are_listed_in_15_not() {
    let k = knowledge(true);
    let a = assessment(
        &k,
        "decisions:\n\
         \x20 hijacked-email: {status: accepted, reason: pilot only, until: 2026-05-31, at: 2026-05-01}\n\
         \x20 shell-rce: {status: accepted, reason: no shell yet, until: 2026-06-01, at: 2026-05-01}\n\
         \x20 harmful-output: {status: accepted, reason: small pilot, until: 2026-06-15, at: 2026-05-01}\n\
         \x20 review-public-spam: {status: accepted, reason: rate limit, until: 2026-06-16, at: 2026-05-01}\n",
    );
    let p = plan_of(&k, &a, TODAY);
    let got: Vec<(&str, i64, bool)> = p
        .expiries
        .iter()
        .map(|e| (e.id.as_str(), e.days, e.is_expired()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("hijacked-email", -1, true),
            ("shell-rce", 0, false),
            ("harmful-output", 14, false),
        ]
    );
    let ui = Ui::embedded();
    let f = evaluate::evaluate(&k, &a, day(TODAY));
    let text: Vec<String> = review::lines(&k, ui, Lang::En, &p, &f)
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert!(
        text.iter()
            .any(|l| l.contains("Expired 1 day(s) ago (2026-05-31)")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|l| l.contains("Expires today (2026-06-01)"))
    );
    assert!(text.iter().any(|l| l.contains("Expires in 14 day(s)")));
    assert!(
        text.iter()
            .any(|l| l.contains("The review will ask what to do with 3 acceptance(s)")),
        "{text:#?}"
    );
}

#[test]
fn findings_are_compared_with_the_open_map_of_the_last_review() {
    let k = knowledge(true);
    // At the last review: hijacked-email was open as high, shell-rce as critical, and a threat
    // the catalog no longer has was open. Now hijacked-email is critical (public audience).
    let a = assessment(
        &k,
        "reviews:\n  - date: 2026-05-01\n    catalog_version: 2\n    findings: 3\n    open: {hijacked-email: high, shell-rce: critical, harmful-output: critical}\n",
    );
    let f = evaluate::evaluate(&k, &a, day(TODAY));
    let now = review::open_now(&k, &f);
    assert_eq!(now.get("hijacked-email"), Some(&Severity::Critical));
    let p = review::plan(&k, &a, &f, day(TODAY));
    assert!(p.has_baseline);
    let moves: BTreeMap<&str, FindingMove> = p
        .findings
        .iter()
        .map(|c| (c.threat_id.as_str(), c.change))
        .collect();
    assert_eq!(
        moves.get("hijacked-email"),
        Some(&FindingMove::Up {
            from: Severity::High,
            to: Severity::Critical
        })
    );
    assert_eq!(
        moves.get("shell-rce"),
        Some(&FindingMove::Closed(Severity::Critical)),
        "email only, no shell"
    );
    assert_eq!(
        moves.get("review-public-spam"),
        Some(&FindingMove::New(Severity::Medium))
    );
    assert!(matches!(
        moves.get("harmful-output"),
        Some(FindingMove::Down { .. })
    ));
    // A review written before `open` existed cannot serve as a baseline.
    let old = assessment(
        &k,
        "reviews:\n  - {date: 2026-05-01, catalog_version: 2, findings: 3}\n",
    );
    let p = plan_of(&k, &old, TODAY);
    assert!(!p.has_baseline && p.findings.is_empty());
}

#[test]
fn record_appends_the_review_with_its_open_findings_and_keeps_answer_dates() {
    let k = knowledge(true);
    let mut a = assessment(&k, "");
    let before = a.answers.clone();
    let f = evaluate::evaluate(&k, &a, day(TODAY));
    review::record(&k, &mut a, &f, day(TODAY));
    let r = a.reviews.last().expect("recorded");
    assert_eq!(r.date, TODAY);
    assert_eq!(r.catalog_version, 2);
    let open = r.open.clone().expect("open map");
    assert_eq!(usize::try_from(r.findings).expect("count"), open.len());
    assert_eq!(open, review::open_now(&k, &f));
    assert_eq!(a.catalog_version, 2);
    assert_eq!(a.answers, before);
    // The next review compares with this one: nothing new in the catalog, nothing stale.
    let p = plan_of(&k, &a, "2026-06-02");
    assert!(p.threats.is_empty() && p.questionnaire.is_empty() && p.stale.is_empty());
    assert_eq!(p.last_review.as_deref(), Some(TODAY));
}

// ---- the walk in the wizard's state machine ---------------------------------------------------

fn clock() -> String {
    "2026-06-01T10:00:00Z".into()
}

/// A review over `a` saved to a file in a fresh folder (returned, so it lives as long as the
/// test): the file's path, the review flow in `lang` over what was read back from disk, and the
/// session that saves through the store.
fn saved_review(
    k: &Knowledge,
    a: Assessment,
    lang: Lang,
) -> (tempfile::TempDir, PathBuf, Flow<'_>, Session<'static>) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("agentguard.yaml");
    let mut stored = Stored::open(&path, k, lang).expect("new");
    stored.assessment = a;
    stored.save().expect("save");
    let stored = Stored::open(&path, k, lang).expect("reopen");
    let flow = Flow::review(
        k,
        Ui::embedded(),
        stored.assessment.clone(),
        lang,
        day(TODAY),
    )
    .with_clock(clock);
    let session = Session {
        stored,
        docs: None,
        trace: Trace::off(),
    };
    (dir, path, flow, session)
}

#[test]
fn the_walk_asks_then_confirms_per_section_and_records_the_review() {
    let k = knowledge(true);
    let ui = Ui::embedded();
    let a = assessment(&k, "");
    let dates: BTreeMap<String, String> = a
        .answers
        .iter()
        .map(|(id, x)| (id.clone(), x.at.clone()))
        .collect();
    let mut f = Flow::review(&k, ui, a, Lang::En, day(TODAY)).with_clock(clock);
    assert_eq!(f.screen(), Screen::Review);
    let steps = f.review_walk().expect("walk").steps.clone();
    assert!(steps.iter().any(|s| matches!(s, Step::Confirm { .. })));
    assert!(f.handle(Event::Cmd(Command::Accept)).is_empty());
    let mut seen = Vec::new();
    let mut saved = false;
    for _ in 0..40 {
        match f.screen() {
            Screen::Question => {
                seen.push(format!("ask {}", f.question().id));
                let fx = if f.question().id == "model.providers" {
                    // The retired option is replaced.
                    f.handle(Event::Answer(agentguard::model::Value::Choices(vec![
                        "alpha".into(),
                    ])))
                } else {
                    f.handle(Event::Cmd(Command::Accept))
                };
                saved |= fx.contains(&Effect::Save);
            }
            Screen::Confirm => {
                seen.push(format!("confirm {}", f.confirm_questions().len()));
                let fx = f.handle(Event::Cmd(Command::Accept));
                saved |= fx.contains(&Effect::Save);
            }
            _ => break,
        }
    }
    assert_eq!(f.screen(), Screen::Summary, "{seen:?}");
    assert!(saved);
    assert!(f.is_review_done());
    assert_eq!(seen.len(), steps.len(), "{seen:?}");
    let a = f.assessment();
    assert_eq!(a.reviews.len(), 1);
    assert_eq!(a.catalog_version, 2);
    for (id, at) in &dates {
        if id == "model.providers" {
            assert_eq!(a.answers[id].at, clock(), "re-answered: new date");
        } else {
            assert_eq!(&a.answers[id].at, at, "{id}: confirmed, date kept");
        }
    }
}

#[test]
fn changing_one_answer_from_a_confirm_screen_returns_to_it() {
    let k = knowledge(true);
    let ui = Ui::embedded();
    // Reviewed long ago at version 2: only stale answers, the regions among those confirmed.
    let a = assessment(
        &k,
        "reviews:\n  - {date: 2026-01-10, catalog_version: 2, findings: 0}\n",
    );
    let mut f = Flow::review(&k, ui, a, Lang::En, day(TODAY)).with_clock(clock);
    f.handle(Event::Cmd(Command::Accept));
    while f.screen() == Screen::Question {
        f.handle(Event::Cmd(Command::Skip));
    }
    assert_eq!(f.screen(), Screen::Confirm);
    let regions = question(&k, "users.regions");
    let row = f
        .confirm_questions()
        .iter()
        .position(|&q| q == regions)
        .expect("regions to confirm");
    let n = f.confirm_questions().len();
    for _ in 0..row {
        f.handle(Event::Cmd(Command::Down));
    }
    f.handle(Event::Cmd(Command::Toggle));
    assert_eq!(f.screen(), Screen::Question);
    assert_eq!(f.question().id, "users.regions");
    // Esc goes back to the confirm screen, unchanged.
    f.handle(Event::Cmd(Command::Back));
    assert_eq!(f.screen(), Screen::Confirm);
    assert_eq!(f.confirm_questions().len(), n);
    f.handle(Event::Cmd(Command::Toggle));
    let fx = f.handle(Event::Answer(agentguard::model::Value::Choices(vec![
        "cn_mainland".into(),
        "eu".into(),
    ])));
    assert!(fx.contains(&Effect::Save));
    // Back on the confirm screen, without the answer just given.
    if n > 1 {
        assert_eq!(f.screen(), Screen::Confirm);
        assert!(!f.confirm_questions().contains(&regions));
    }
    assert_eq!(f.assessment().answers["users.regions"].at, clock());
    assert!(!f.is_review_done());
}

#[test]
fn quitting_before_the_end_records_nothing_and_back_from_the_first_step_is_the_overview() {
    let k = knowledge(true);
    let mut f = Flow::review(&k, Ui::embedded(), assessment(&k, ""), Lang::En, day(TODAY));
    f.handle(Event::Cmd(Command::Accept));
    assert_eq!(f.screen(), Screen::Question);
    f.handle(Event::Cmd(Command::Back));
    assert_eq!(f.screen(), Screen::Review);
    assert_eq!(f.handle(Event::Cmd(Command::Quit)), vec![Effect::Quit]);
    assert!(f.assessment().reviews.is_empty());
}

#[test]
fn nothing_to_ask_records_at_once_from_the_overview() {
    let k = knowledge(true);
    let mut a = assessment(&k, "");
    for x in a.answers.values_mut() {
        x.at = FRESH.into();
    }
    a.catalog_version = 2;
    let mut f = Flow::review(&k, Ui::embedded(), a, Lang::En, day(TODAY));
    assert!(f.review_walk().expect("walk").steps.is_empty());
    let fx = f.handle(Event::Cmd(Command::Accept));
    assert_eq!(fx, vec![Effect::Save]);
    assert!(f.is_review_done());
    assert_eq!(f.screen(), Screen::Summary);
}

// ---- line mode ----------------------------------------------------------------------------------

#[test]
fn line_mode_walks_the_review_and_saves_it_through_the_store() {
    let k = knowledge(true);
    let (_dir, path, mut f, mut session) = saved_review(&k, assessment(&k, ""), Lang::En);
    // Keep every answer as it is (the retired option is dropped by the prompt: alpha instead),
    // confirm every section.
    let mut replies = Vec::new();
    for _ in 0..30 {
        replies.push(Scripted::Keep);
    }
    let providers_at = {
        let steps = &f.review_walk().expect("walk").steps;
        steps
            .iter()
            .position(|s| *s == Step::Ask(question(&k, "model.providers")))
            .expect("providers asked")
    };
    replies[providers_at] = Scripted::Tick(vec![0]);
    let mut p = ScriptedPrompter::new(replies);
    let outcome = plain::run(&mut p, &mut f, &mut session).expect("run");
    assert!(outcome.saved);
    assert!(f.is_review_done(), "{:#?}", p.shown);
    assert!(p.shown.iter().any(|l| l.starts_with("== Review")));
    assert!(
        p.shown
            .iter()
            .any(|l| l == "? Are these answers still true?")
    );
    assert!(
        p.shown
            .iter()
            .any(|l| l.contains("Strangers use your agent to send spam"))
    );
    assert!(
        p.shown
            .iter()
            .any(|l| l == "Review recorded in the assessment.")
    );
    let on_disk = Stored::open(&path, &k, Lang::En).expect("reopen");
    let r: &Review = on_disk.assessment.reviews.last().expect("review on disk");
    assert_eq!(r.date, TODAY);
    assert!(r.open.is_some());
    assert_eq!(on_disk.assessment.catalog_version, 2);
    assert_eq!(on_disk.assessment.answers["users.audience"].at, OLD);
}

#[test]
fn line_mode_stopped_at_a_confirm_screen_records_nothing() {
    let k = knowledge(true);
    let a = assessment(
        &k,
        "reviews:\n  - {date: 2026-01-10, catalog_version: 2, findings: 0}\n",
    );
    let (_dir, path, mut f, mut session) = saved_review(&k, a, Lang::Zh);
    let asked = f
        .review_walk()
        .expect("walk")
        .steps
        .iter()
        .take_while(|s| matches!(s, Step::Ask(_)))
        .count();
    let mut replies = vec![Scripted::Keep; asked];
    replies.push(Scripted::Quit);
    let mut p = ScriptedPrompter::new(replies);
    plain::run(&mut p, &mut f, &mut session).expect("run");
    assert!(
        p.shown.iter().any(|l| l == "? 这些回答仍然属实吗？"),
        "{:#?}",
        p.shown
    );
    let on_disk = Stored::open(&path, &k, Lang::En).expect("reopen");
    assert_eq!(on_disk.assessment.reviews.len(), 1, "only the old review");
}

// ---- acceptances that expired or end soon ------------------------------------------------------

/// Every answer fresh and the catalog already at version 2: the only steps are the acceptances.
/// hijacked-email (applies: email, public, no approval) ended yesterday; harmful-output ends in
/// 9 days; review-public-spam in 15 days, one day beyond the warning window.
fn with_acceptances(k: &Knowledge) -> Assessment {
    let mut a = assessment(
        k,
        "decisions:\n\
         \x20 hijacked-email: {status: accepted, reason: pilot only, until: 2026-05-31, at: 2026-03-02}\n\
         \x20 harmful-output: {status: accepted, reason: small pilot, until: 2026-06-10, at: 2026-03-02}\n\
         \x20 review-public-spam: {status: accepted, reason: rate limit, until: 2026-06-16, at: 2026-03-02}\n",
    );
    for x in a.answers.values_mut() {
        x.at = FRESH.into();
    }
    a.catalog_version = 2;
    a
}

#[test]
fn acceptances_ending_within_14_days_are_the_last_steps_and_one_ending_in_15_days_is_not() {
    let k = knowledge(true);
    let a = with_acceptances(&k);
    let f = evaluate::evaluate(&k, &a, day(TODAY));
    let p = review::plan(&k, &a, &f, day(TODAY));
    assert_eq!(
        p.walk(&k, &f),
        vec![
            Step::Acceptance("hijacked-email".into()),
            Step::Acceptance("harmful-output".into()),
        ]
    );
    assert_eq!(day("2026-06-16") - day(TODAY), 15);
    // With stale answers too, the acceptances come after every question and confirm screen.
    let mut stale = a.clone();
    for x in stale.answers.values_mut() {
        x.at = OLD.into();
    }
    let f = evaluate::evaluate(&k, &stale, day(TODAY));
    let steps = review::plan(&k, &stale, &f, day(TODAY)).walk(&k, &f);
    let first = steps
        .iter()
        .position(|s| matches!(s, Step::Acceptance(_)))
        .expect("acceptance steps");
    assert!(first > 0, "{steps:?}");
    assert!(
        steps[first..]
            .iter()
            .all(|s| matches!(s, Step::Acceptance(_))),
        "{steps:?}"
    );
}

#[test]
fn renew_carries_out_each_choice_and_leaves_other_decisions_alone() {
    let k = knowledge(true);
    let a = with_acceptances(&k);
    let today = day(TODAY);
    let mut x = a.clone();
    assert!(review::renew(
        &mut x,
        "hijacked-email",
        Renewal::Extend,
        today
    ));
    let d = &x.decisions["hijacked-email"];
    assert_eq!(
        (
            d.status,
            d.until.as_deref(),
            d.reason.as_deref(),
            d.at.as_str()
        ),
        (
            DecisionStatus::Accepted,
            Some("2026-08-30"),
            Some("pilot only"),
            TODAY
        )
    );
    let mut x = a.clone();
    x.review_interval_days = 30;
    assert!(review::renew(
        &mut x,
        "hijacked-email",
        Renewal::Extend,
        today
    ));
    assert_eq!(
        x.decisions["hijacked-email"].until.as_deref(),
        Some("2026-07-01"),
        "the interval set in the file"
    );
    let mut x = a.clone();
    assert!(review::renew(
        &mut x,
        "hijacked-email",
        Renewal::Reopen,
        today
    ));
    assert!(!x.decisions.contains_key("hijacked-email"));
    let mut x = a.clone();
    assert!(review::renew(
        &mut x,
        "hijacked-email",
        Renewal::Done,
        today
    ));
    let d = &x.decisions["hijacked-email"];
    assert_eq!(
        (
            d.status,
            d.until.as_deref(),
            d.reason.as_deref(),
            d.at.as_str()
        ),
        (DecisionStatus::Done, None, None, TODAY)
    );
    let mut x = a.clone();
    assert!(!review::renew(
        &mut x,
        "hijacked-email",
        Renewal::Leave,
        today
    ));
    assert_eq!(x, a);
    // A decision that is not (or no longer) an acceptance is not touched.
    let mut x = a.clone();
    review::renew(&mut x, "hijacked-email", Renewal::Done, today);
    let done = x.clone();
    assert!(!review::renew(
        &mut x,
        "hijacked-email",
        Renewal::Reopen,
        today
    ));
    assert!(!review::renew(&mut x, "no-such-id", Renewal::Extend, today));
    assert_eq!(x, done);
}

#[test]
fn the_walk_asks_about_each_acceptance_saves_each_choice_and_records_the_review_after_them() {
    let k = knowledge(true);
    let ui = Ui::embedded();
    let mut f = Flow::review(&k, ui, with_acceptances(&k), Lang::En, day(TODAY)).with_clock(clock);
    assert_eq!(f.review_walk().expect("walk").steps.len(), 2);
    f.handle(Event::Cmd(Command::Accept));
    assert_eq!(f.screen(), Screen::Acceptance);
    let shown = f.acceptance().expect("acceptance shown");
    assert_eq!(shown.id, "hijacked-email");
    assert_eq!(
        shown.heading,
        "[critical] A message makes your agent send email"
    );
    assert_eq!(
        shown.lines,
        vec![
            "Your acceptance ended 1 day(s) ago (2026-05-31): the risk counts as open again."
                .to_string(),
            "Reason you gave on 2026-03-02: pilot only".to_string(),
        ]
    );
    assert_eq!(shown.choices.len(), Renewal::ALL.len());
    assert!(shown.choices[0].contains("until 2026-08-30"), "{shown:?}");
    // The cursor starts on "leave it as it is"; arrows move it, Enter takes it.
    assert_eq!(Renewal::ALL[shown.selected], Renewal::Leave);
    f.handle(Event::Cmd(Command::Up));
    f.handle(Event::Cmd(Command::Up));
    assert_eq!(f.acceptance().expect("shown").selected, 1);
    let fx = f.handle(Event::Cmd(Command::Accept));
    assert_eq!(fx, vec![Effect::Save], "reopened and saved at once");
    assert!(!f.assessment().decisions.contains_key("hijacked-email"));
    assert!(!f.is_review_done());
    // The second acceptance: not expired, so "leave" keeps its date.
    let shown = f.acceptance().expect("second acceptance");
    assert_eq!(shown.id, "harmful-output");
    assert_eq!(
        shown.lines[0],
        "Your acceptance ends in 9 day(s) (2026-06-10)."
    );
    assert_eq!(shown.choices[3], "Leave it as it is (until 2026-06-10)");
    // Back returns to the previous step that still has something to decide: the reopened
    // acceptance has none, so the overview.
    f.handle(Event::Cmd(Command::Back));
    assert_eq!(f.screen(), Screen::Review);
    f.handle(Event::Cmd(Command::Accept));
    assert_eq!(f.acceptance().expect("again").id, "harmful-output");
    // The one-key choice: the fix is in place.
    let fx = f.handle(Event::Cmd(Command::MarkDone));
    assert!(fx.contains(&Effect::Save));
    assert!(f.is_review_done());
    assert_eq!(f.screen(), Screen::Summary);
    let a = f.assessment();
    assert_eq!(a.decisions["harmful-output"].status, DecisionStatus::Done);
    let r = a.reviews.last().expect("recorded");
    let open = r.open.as_ref().expect("open map");
    assert!(open.contains_key("hijacked-email"), "reopened: open now");
    assert!(!open.contains_key("harmful-output"), "done: not open");
    // The acceptance 15 days out was never asked about and is untouched.
    assert_eq!(
        a.decisions["review-public-spam"].until.as_deref(),
        Some("2026-06-16")
    );
}

#[test]
fn an_accepted_mitigation_is_shown_with_the_most_severe_finding_it_belongs_to() {
    let k = knowledge(true);
    let mut a = assessment(
        &k,
        "decisions:\n  confirm-email: {status: accepted, reason: manual check weekly, until: 2026-06-01}\n",
    );
    for x in a.answers.values_mut() {
        x.at = FRESH.into();
    }
    a.catalog_version = 2;
    let mut f = Flow::review(&k, Ui::embedded(), a, Lang::Zh, day(TODAY));
    assert_eq!(
        f.review_walk().expect("walk").steps,
        vec![Step::Acceptance("confirm-email".into())]
    );
    f.handle(Event::Cmd(Command::Accept));
    let shown = f.acceptance().expect("shown");
    assert_eq!(
        shown.heading,
        "［严重］每封邮件都先确认（应对：一条消息让智能体乱发邮件）"
    );
    assert_eq!(
        shown.lines,
        vec![
            "这项风险接受今天到期（2026-06-01）。".to_string(),
            "你给出的理由：manual check weekly".to_string(),
        ]
    );
    assert_eq!(shown.choices[3], "保持不变（到 2026-06-01 为止）");
    let fx = f.handle(Event::Cmd(Command::AcceptRisk));
    assert!(fx.contains(&Effect::Save));
    assert_eq!(
        f.assessment().decisions["confirm-email"].until.as_deref(),
        Some("2026-08-30")
    );
    assert!(f.is_review_done());
}

/// Line mode over a stored file: `first` is the choice for the first acceptance, then the user
/// stops at the second. Returns the decisions on disk and the lines shown.
fn line_mode_first_choice(first: usize) -> (Assessment, Vec<String>) {
    let k = knowledge(true);
    let (_dir, path, mut f, mut session) = saved_review(&k, with_acceptances(&k), Lang::En);
    let mut p = ScriptedPrompter::new([Scripted::Pick(first), Scripted::Quit]);
    let outcome = plain::run(&mut p, &mut f, &mut session).expect("run");
    assert!(outcome.saved);
    assert!(!f.is_review_done());
    let on_disk = Stored::open(&path, &k, Lang::En).expect("reopen");
    assert!(
        on_disk.assessment.reviews.is_empty(),
        "stopped part-way: no review"
    );
    (on_disk.assessment, p.shown)
}

#[test]
fn line_mode_keep_accepting_is_on_disk_after_the_step() {
    let (a, shown) = line_mode_first_choice(0);
    let d = &a.decisions["hijacked-email"];
    assert_eq!(d.status, DecisionStatus::Accepted);
    assert_eq!(d.until.as_deref(), Some("2026-08-30"));
    assert_eq!(d.reason.as_deref(), Some("pilot only"));
    assert_eq!(d.at, TODAY);
    // The numbered choice, what it did, and the next acceptance asked about.
    assert!(
        shown
            .iter()
            .any(|l| l == "== Accepted risk · step 1 of 2 =="),
        "{shown:#?}"
    );
    assert!(
        shown
            .iter()
            .any(|l| l == "[critical] A message makes your agent send email"),
        "{shown:#?}"
    );
    assert!(
        shown
            .iter()
            .any(|l| l == "Acceptance extended until 2026-08-30.")
    );
    assert_eq!(
        shown.iter().filter(|l| *l == "? What now?").count(),
        2,
        "{shown:#?}"
    );
    // Untouched: the one still to decide and the one beyond 14 days.
    assert_eq!(
        a.decisions["harmful-output"].until.as_deref(),
        Some("2026-06-10")
    );
}

#[test]
fn line_mode_reopen_removes_the_decision_on_disk() {
    let (a, shown) = line_mode_first_choice(1);
    assert!(!a.decisions.contains_key("hijacked-email"), "{shown:#?}");
    assert!(a.decisions.contains_key("harmful-output"));
}

#[test]
fn line_mode_mark_done_is_on_disk_after_the_step() {
    let (a, _) = line_mode_first_choice(2);
    let d = &a.decisions["hijacked-email"];
    assert_eq!((d.status, d.at.as_str()), (DecisionStatus::Done, TODAY));
    assert_eq!((d.reason.as_deref(), d.until.as_deref()), (None, None));
}

#[test]
fn line_mode_leave_changes_nothing() {
    let k = knowledge(true);
    let before = with_acceptances(&k);
    let (a, shown) = line_mode_first_choice(3);
    assert_eq!(a.decisions, before.decisions, "{shown:#?}");
    assert!(shown.iter().any(|l| l == "Left as it is."));
}

#[test]
fn line_mode_in_chinese_numbers_the_choices_and_records_after_the_last_acceptance() {
    let k = knowledge(true);
    let (_dir, path, mut f, mut session) = saved_review(&k, with_acceptances(&k), Lang::Zh);
    // Leave the first as it is (the pre-selected choice), extend the second.
    let mut p = ScriptedPrompter::new([Scripted::Keep, Scripted::Pick(0)]);
    plain::run(&mut p, &mut f, &mut session).expect("run");
    assert!(f.is_review_done(), "{:#?}", p.shown);
    assert!(
        p.shown.iter().any(|l| l == "? 接下来怎么处理？"),
        "{:#?}",
        p.shown
    );
    assert!(
        p.shown
            .iter()
            .any(|l| l == "这项风险接受已在 1 天前到期（2026-05-31），该风险重新算作待处理。"),
        "{:#?}",
        p.shown
    );
    let on_disk = Stored::open(&path, &k, Lang::En).expect("reopen");
    let a = &on_disk.assessment;
    assert_eq!(a.reviews.len(), 1);
    assert_eq!(
        a.decisions["hijacked-email"].until.as_deref(),
        Some("2026-05-31")
    );
    assert_eq!(
        a.decisions["harmful-output"].until.as_deref(),
        Some("2026-08-30")
    );
    // Left expired, the finding counts as open in the review recorded.
    let open = a.reviews[0].open.as_ref().expect("open map");
    assert!(open.contains_key("hijacked-email"));
}

#[test]
fn the_full_screen_digit_keys_choose_directly() {
    let k = knowledge(true);
    let (_dir, path, mut flow, mut session) = saved_review(&k, with_acceptances(&k), Lang::En);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut keys = tui::Scripted::keys(&[KeyCode::Enter, KeyCode::Char('3'), KeyCode::Char('1')]);
    tui::run(
        &mut terminal,
        &mut flow,
        &mut session,
        &mut keys,
        &Theme::color(),
    )
    .expect("run");
    assert!(flow.is_review_done());
    let on_disk = Stored::open(&path, &k, Lang::En).expect("reopen");
    let a = &on_disk.assessment;
    assert_eq!(a.decisions["hijacked-email"].status, DecisionStatus::Done);
    assert_eq!(
        a.decisions["harmful-output"].until.as_deref(),
        Some("2026-08-30")
    );
    assert_eq!(a.reviews.len(), 1);
}

// ---- the full-screen front end ------------------------------------------------------------------

fn screen(a: &Assessment, lang: Lang, keys: tui::Scripted) -> String {
    let k = knowledge(true);
    let dir = tempfile::tempdir().expect("tmp");
    let mut stored = Stored::open(&dir.path().join("agentguard.yaml"), &k, lang).expect("new");
    stored.assessment = a.clone();
    let mut session = Session {
        stored,
        docs: None,
        trace: Trace::off(),
    };
    let mut flow = Flow::review(&k, Ui::embedded(), a.clone(), lang, day(TODAY)).with_clock(clock);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut keys = keys;
    tui::run(
        &mut terminal,
        &mut flow,
        &mut session,
        &mut keys,
        &Theme::color(),
    )
    .expect("run");
    // As in tests/wizard_tui.rs: a last full redraw shows the screen as a terminal shows it.
    terminal.clear().expect("clear");
    let theme = Theme::color();
    terminal
        .draw(|frame| frame.render_widget(&App::new(&flow, &theme), frame.area()))
        .expect("draw");
    terminal.backend().to_string()
}

fn snap(name: &str, a: &Assessment, keys: &[KeyCode]) {
    for lang in Lang::ALL {
        let s = screen(a, lang, tui::Scripted::keys(keys));
        insta::assert_snapshot!(format!("review_{name}_{lang}_80x24"), s);
    }
}

#[test]
fn snapshot_overview() {
    let k = knowledge(true);
    let a = assessment(
        &k,
        "decisions:\n  shell-rce: {status: accepted, reason: no shell yet, until: 2026-06-05, at: 2026-05-01}\n",
    );
    snap("overview", &a, &[]);
}

#[test]
fn snapshot_question_asked_again() {
    let k = knowledge(true);
    snap("question", &assessment(&k, ""), &[KeyCode::Enter]);
}

#[test]
fn snapshot_confirm_section() {
    let k = knowledge(true);
    let a = assessment(
        &k,
        "reviews:\n  - {date: 2026-01-10, catalog_version: 2, findings: 0}\n",
    );
    let f = Flow::review(&k, Ui::embedded(), a.clone(), Lang::En, day(TODAY));
    let asked = f
        .review_walk()
        .expect("walk")
        .steps
        .iter()
        .take_while(|s| matches!(s, Step::Ask(_)))
        .count();
    let mut keys = vec![KeyCode::Enter];
    keys.extend(std::iter::repeat_n(KeyCode::Tab, asked));
    keys.push(KeyCode::Down);
    snap("confirm", &a, &keys);
}

#[test]
fn snapshot_acceptance() {
    let k = knowledge(true);
    snap("acceptance", &with_acceptances(&k), &[KeyCode::Enter]);
}

// ---- the binary -------------------------------------------------------------------------------

fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("agentguard").expect("binary");
    c.env_remove("LANG")
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env("AGENTGUARD_NOW", "2026-11-26T10:00:00Z")
        .env("XDG_CONFIG_HOME", "/nonexistent-agentguard-test")
        .env("HOME", "/nonexistent-agentguard-test");
    c
}

/// A review made on 2026-11-26 at the embedded catalog's version: nothing added since.
fn current_review() -> String {
    let k = agentguard::knowledge(&agentguard::Sources::embedded())
        .expect("embedded catalog")
        .0;
    format!(
        "reviews:\n  - {{date: 2026-11-26, catalog_version: {}, findings: 0}}\n",
        k.catalog.manifest.version
    )
}

fn shop_copy(dir: &Path, extra: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string("tests/fixtures/wizard/shop.yaml").expect("fixture");
    let text = text.replace("catalog_version: 1", "catalog_version: 3");
    let text = text.replace("reviews: []\n", extra);
    let path = dir.join("agentguard.yaml");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn dry_run_prints_the_plan_in_both_languages_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = shop_copy(dir.path(), "reviews: []\n");
    let before = std::fs::read(&path).expect("read");
    let out = bin()
        .args(["--answers"])
        .arg(&path)
        .args([
            "--lang",
            "both",
            "review",
            "--dry-run",
            "--today",
            "2027-06-01",
        ])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("## Answers older than 90 days"), "{stdout}");
    assert!(stdout.contains("## 超过 90 天的回答"), "{stdout}");
    assert!(stdout.contains("Nothing was written (--dry-run)."));
    assert_eq!(std::fs::read(&path).expect("read"), before);
    let entries: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(entries.len(), 1, "nothing written beside the file");
}

#[test]
fn with_nothing_to_ask_the_review_is_recorded_without_a_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = shop_copy(
        dir.path(),
        // Reviewed at the current catalog: options added since (the folds) would be asked again.
        &current_review(),
    );
    let out = bin()
        .args(["--answers"])
        .arg(&path)
        .args(["review", "--today", "2026-12-20"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("Review recorded in"), "{stderr}");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("date: \"2026-12-20\""), "{text}");
    assert!(text.contains("open:"), "{text}");
}

#[test]
fn dry_run_counts_the_acceptances_it_would_ask_about_and_without_a_terminal_review_refuses() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = shop_copy(
        dir.path(),
        // Reviewed at the current catalog: options added since (the folds) would be asked again.
        &current_review(),
    );
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("decisions: {}\n"));
    let text = text.replace(
        "decisions: {}\n",
        "decisions:\n  confused-deputy-tool: {status: accepted, reason: internal pilot, until: 2026-12-25, at: 2026-11-26}\n",
    );
    std::fs::write(&path, &text).expect("write");
    let run = |args: &[&str]| {
        bin()
            .args(["--answers"])
            .arg(&path)
            .args(args)
            .output()
            .expect("run")
    };
    let out = run(&[
        "--lang",
        "both",
        "review",
        "--dry-run",
        "--today",
        "2026-12-20",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Expires in 5 day(s) (2026-12-25)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("The review will ask what to do with 1 acceptance(s)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "ask 0 question(s) one by one, show 0 section(s) of answers to confirm and ask about 1 accepted risk(s)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("并询问 1 项风险接受怎么处理"), "{stdout}");
    // Without --dry-run there is something to ask now, and no terminal to ask it on.
    let out = run(&["review", "--today", "2026-12-20"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("needs an interactive terminal"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
}

#[test]
fn with_questions_and_no_terminal_review_refuses_and_missing_or_bad_input_has_its_exit_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = shop_copy(dir.path(), "reviews: []\n");
    let before = std::fs::read(&path).expect("read");
    let out = bin()
        .args(["--answers"])
        .arg(&path)
        .args(["review", "--today", "2027-06-01"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("needs an interactive terminal"), "{stderr}");
    assert!(stderr.contains("需要交互式终端"), "{stderr}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
    // No assessment: exit 2.
    let out = bin()
        .args(["--answers"])
        .arg(dir.path().join("missing.yaml"))
        .args(["review", "--dry-run"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    // An invalid assessment: exit 78.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "schema_version: 2\ncatalog_version: 3\nlang: en\nanswers: 7\n",
    )
    .expect("write");
    let out = bin()
        .args(["--answers"])
        .arg(&bad)
        .args(["review", "--dry-run"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(78));
    // A bad --today: exit 2.
    let out = bin()
        .args(["--answers"])
        .arg(&path)
        .args(["review", "--dry-run", "--today", "June"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
