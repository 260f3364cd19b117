//! The wizard's state machine without any rendering, on the frozen mini fixture: navigation, skip
//! logic, back, resume, language switch, scan suggestions, exclusive options, input validation,
//! decisions, the save/conflict protocol, and the line-mode front end driving the same machine.

use std::path::Path;

use agentguard::i18n::Ui;
use agentguard::model::{AnswerSource, Assessment, DecisionStatus, Knowledge, Lang, Value};
use agentguard::store::Stored;
use agentguard::wizard::flow::{
    Command, Context, Effect, Event, Flow, NoticeKind, Overlay, SaveState, Screen, SummaryRow,
};
use agentguard::wizard::plain::{self, Scripted, ScriptedPrompter};
use agentguard::wizard::{Outcome, Session, Trace};
use agentguard::{Sources, load};

fn mini() -> Knowledge {
    let mut s = Sources::empty();
    s.overlay(Path::new("tests/fixtures/mini"))
        .expect("fixture folder");
    match load::knowledge(&s) {
        Ok((k, _)) => k,
        Err(d) => panic!("fixture invalid: {d:#?}"),
    }
}

fn assess(k: &Knowledge, yaml: &str) -> Assessment {
    let text = format!("schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n{yaml}");
    match load::assessment("test.yaml", text.as_bytes(), k) {
        Ok((a, _)) => a,
        Err(d) => panic!("assessment invalid: {d:#?}\n{text}"),
    }
}

fn today() -> i64 {
    agentguard::util::parse_date("2026-11-26").expect("date")
}

fn clock() -> String {
    "2026-11-26T10:00:00Z".into()
}

fn flow(k: &Knowledge, a: Assessment) -> Flow<'_> {
    Flow::new(k, Ui::embedded(), a, Lang::En, today()).with_clock(clock)
}

fn empty(_k: &Knowledge) -> Assessment {
    Assessment::new(1, Lang::En)
}

fn id(f: &Flow<'_>) -> String {
    f.question().id.clone()
}

fn cmd(f: &mut Flow<'_>, c: Command) -> Vec<Effect> {
    f.handle(Event::Cmd(c))
}

/// Moves the cursor to the offered option `opt`.
fn cursor_to(f: &mut Flow<'_>, opt: &str) {
    let q = f.question();
    let i = f
        .offered()
        .iter()
        .position(|&o| q.options[o].id == opt)
        .unwrap_or_else(|| panic!("no option {opt} in {}", q.id));
    for _ in 0..20 {
        cmd(f, Command::Up);
    }
    for _ in 0..i {
        cmd(f, Command::Down);
    }
}

fn choose(f: &mut Flow<'_>, opt: &str) -> Vec<Effect> {
    cursor_to(f, opt);
    cmd(f, Command::Accept)
}

fn tick(f: &mut Flow<'_>, opts: &[&str]) -> Vec<Effect> {
    for o in opts {
        cursor_to(f, o);
        cmd(f, Command::Toggle);
    }
    cmd(f, Command::Accept)
}

fn type_text(f: &mut Flow<'_>, s: &str) {
    for c in s.chars() {
        f.handle(Event::Char(c));
    }
}

fn answer<'a>(f: &'a Flow<'_>, q: &str) -> Option<&'a Value> {
    f.assessment().answers.get(q).map(|a| &a.value)
}

#[test]
fn starts_at_the_first_question_and_skips_hidden_ones() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    assert_eq!(id(&f), "users.audience");
    assert_eq!(f.screen(), Screen::Question);
    assert_eq!(f.context(), Context::Question);
    // "Only me" hides the count, regions and minors questions.
    let fx = choose(&mut f, "just_me");
    assert_eq!(fx, [Effect::Save]);
    assert_eq!(f.save_state(), SaveState::Unsaved);
    assert_eq!(id(&f), "model.providers");
    assert_eq!(
        answer(&f, "users.audience"),
        Some(&Value::Choice("just_me".into()))
    );
    let a = &f.assessment().answers["users.audience"];
    assert_eq!(
        (a.at.as_str(), a.source, a.confirmed),
        ("2026-11-26T10:00:00Z", AnswerSource::User, true)
    );
    assert_eq!(f.step(), (2, 5));
}

#[test]
fn a_public_agent_is_asked_the_conditional_questions() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    choose(&mut f, "public");
    assert_eq!(id(&f), "users.count");
    assert_eq!(f.context(), Context::Typing);
    type_text(&mut f, "2,000");
    cmd(&mut f, Command::Accept);
    assert_eq!(answer(&f, "users.count"), Some(&Value::Number(2000.0)));
    assert_eq!(id(&f), "users.regions");
    // model.confirm is shown only once tools include email or shell.
    tick(&mut f, &["eu"]);
    choose(&mut f, "no");
    tick(&mut f, &["alpha"]);
    assert_eq!(id(&f), "model.tools");
    tick(&mut f, &["email"]);
    assert_eq!(id(&f), "model.confirm");
}

#[test]
fn a_question_whose_condition_is_unknown_is_asked() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    // Skipping the audience leaves users.count's condition unknown: it is asked, not hidden.
    cmd(&mut f, Command::Skip);
    assert_eq!(id(&f), "users.count");
    assert_eq!(f.assessment().answers.len(), 0);
}

#[test]
fn back_goes_to_the_previous_visible_question_and_shows_its_answer() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    cmd(&mut f, Command::Back);
    assert_eq!(id(&f), "users.audience");
    assert_eq!(
        f.notice().map(|n| n.key),
        Some("wizard.notice.first_question")
    );
    choose(&mut f, "just_me");
    tick(&mut f, &["beta", "gamma"]);
    assert_eq!(id(&f), "model.tools");
    cmd(&mut f, Command::Back);
    assert_eq!(id(&f), "model.providers");
    let ticked: Vec<bool> = f.edit().checked.clone();
    assert_eq!(ticked, [false, true, true, false, false]);
    cmd(&mut f, Command::Back);
    assert_eq!(id(&f), "users.audience");
    assert_eq!(f.edit().chosen, Some(0));
    assert_eq!(f.edit().cursor, 0);
    // Accepting an unchanged answer moves on without saving again.
    let fx = cmd(&mut f, Command::Accept);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(id(&f), "model.providers");
}

#[test]
fn resumes_at_the_first_unanswered_visible_question() {
    let k = mini();
    let a = assess(
        &k,
        "  users.audience: {value: public}\n  users.count: {value: 50}\n  model.name: {value: Bot}\n",
    );
    let f = flow(&k, a);
    assert_eq!(id(&f), "users.regions");
    assert_eq!(f.answered_count(), 3);

    let done = assess(
        &k,
        "  users.audience: {value: just_me}\n  model.providers: {value: [gamma]}\n  model.tools: {value: [none]}\n  model.name: {value: Bot}\n",
    );
    let f = flow(&k, done);
    assert_eq!(f.screen(), Screen::Summary, "all answered: the summary");
}

#[test]
fn language_switch_keeps_the_position_and_is_saved() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    choose(&mut f, "public");
    type_text(&mut f, "12");
    let fx = cmd(&mut f, Command::ToggleLang);
    assert_eq!(fx, [Effect::Save]);
    assert_eq!(f.lang(), Lang::Zh);
    assert_eq!(f.assessment().lang, Lang::Zh);
    assert_eq!(id(&f), "users.count");
    assert_eq!(f.edit().input.text(), "12", "the half-typed answer stays");
    cmd(&mut f, Command::ToggleLang);
    assert_eq!(f.lang(), Lang::En);
}

#[test]
fn scan_suggestions_are_preselected_and_count_only_once_confirmed() {
    let k = mini();
    let a = assess(
        &k,
        "  users.audience: {value: just_me}\n  model.providers: {value: [alpha], source: scan, confirmed: false, evidence: \"src/llm.ts:12 api.alpha.example\"}\n",
    );
    let mut f = flow(&k, a);
    assert_eq!(
        id(&f),
        "model.providers",
        "an unconfirmed suggestion is unanswered"
    );
    assert!(f.edit().from_scan);
    assert!(f.edit().checked[0], "pre-selected");
    assert_eq!(f.answered_count(), 1);
    let fx = cmd(&mut f, Command::Accept);
    assert_eq!(fx, [Effect::Save]);
    let ans = &f.assessment().answers["model.providers"];
    assert_eq!(ans.source, AnswerSource::Scan);
    assert!(ans.confirmed);
    assert_eq!(
        ans.evidence.as_deref(),
        Some("src/llm.ts:12 api.alpha.example")
    );
    assert_eq!(f.answered_count(), 2);

    // Changing a suggestion makes it the user's answer.
    let a = assess(
        &k,
        "  users.audience: {value: just_me}\n  model.providers: {value: [alpha], source: scan, confirmed: false, evidence: x}\n",
    );
    let mut f = flow(&k, a);
    tick(&mut f, &["beta"]);
    let ans = &f.assessment().answers["model.providers"];
    assert_eq!(ans.source, AnswerSource::User);
    assert_eq!(ans.evidence, None);
    assert_eq!(
        ans.value,
        Value::Choices(vec!["alpha".into(), "beta".into()])
    );
}

#[test]
fn exclusive_options_clear_the_others() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    choose(&mut f, "just_me");
    tick(&mut f, &["gamma"]);
    assert_eq!(id(&f), "model.tools");
    cursor_to(&mut f, "email");
    cmd(&mut f, Command::Toggle);
    cursor_to(&mut f, "shell");
    cmd(&mut f, Command::Toggle);
    cursor_to(&mut f, "none");
    cmd(&mut f, Command::Toggle);
    assert_eq!(f.edit().checked, [true, false, false]);
    cursor_to(&mut f, "email");
    cmd(&mut f, Command::Toggle);
    assert_eq!(f.edit().checked, [false, true, false]);
    // "not sure" is exclusive too.
    cmd(&mut f, Command::Back);
    cursor_to(&mut f, "not_sure");
    cmd(&mut f, Command::Toggle);
    assert_eq!(f.edit().checked, [false, false, false, false, true]);
}

#[test]
fn nothing_ticked_is_refused_with_a_message() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    choose(&mut f, "just_me");
    let fx = cmd(&mut f, Command::Accept);
    assert!(fx.is_empty());
    assert_eq!(id(&f), "model.providers");
    let n = f.notice().expect("notice");
    assert_eq!(n.kind, NoticeKind::Error);
    assert_eq!(n.key, "wizard.notice.pick_at_least_one");
    // Line mode gets the same check through a direct answer.
    let fx = f.handle(Event::Answer(Value::Choices(vec![
        "alpha".into(),
        "not_sure".into(),
    ])));
    assert!(fx.is_empty());
    assert_eq!(f.notice().map(|n| n.key), Some("wizard.notice.exclusive"));
}

#[test]
fn numbers_are_parsed_and_checked_against_the_range() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    choose(&mut f, "public");
    type_text(&mut f, "abc");
    assert!(cmd(&mut f, Command::Accept).is_empty());
    assert_eq!(
        f.notice().map(|n| n.key),
        Some("wizard.notice.not_a_number")
    );
    for _ in 0..3 {
        cmd(&mut f, Command::Backspace);
    }
    type_text(&mut f, "-5");
    assert!(cmd(&mut f, Command::Accept).is_empty());
    assert_eq!(
        f.notice().map(|n| n.key),
        Some("wizard.notice.out_of_range")
    );
    assert_eq!(id(&f), "users.count");
    for _ in 0..2 {
        cmd(&mut f, Command::Backspace);
    }
    type_text(&mut f, "10万");
    cmd(&mut f, Command::Accept);
    assert_eq!(answer(&f, "users.count"), Some(&Value::Number(100_000.0)));
    // The "not sure" row under the input.
    cmd(&mut f, Command::Back);
    cmd(&mut f, Command::Down);
    assert_eq!(
        f.context(),
        Context::Question,
        "not typing on the not-sure row"
    );
    cmd(&mut f, Command::Accept);
    assert_eq!(
        answer(&f, "users.count"),
        Some(&Value::Choice("not_sure".into()))
    );
    assert_eq!(agentguard::wizard::flow::parse_number("1.5k"), Some(1500.0));
    assert_eq!(
        agentguard::wizard::flow::parse_number("2 000"),
        Some(2000.0)
    );
}

#[test]
fn text_input_edits_wide_characters_and_pastes() {
    let k = mini();
    let a = assess(
        &k,
        "  users.audience: {value: just_me}\n  model.providers: {value: [gamma]}\n  model.tools: {value: [none]}\n",
    );
    let mut f = flow(&k, a);
    assert_eq!(id(&f), "model.name");
    type_text(&mut f, "小店助手");
    cmd(&mut f, Command::Left);
    cmd(&mut f, Command::Left);
    f.handle(Event::Char('X'));
    assert_eq!(f.edit().input.text(), "小店X助手");
    assert_eq!(f.edit().input.cursor(), 3);
    cmd(&mut f, Command::Backspace);
    cmd(&mut f, Command::End);
    f.handle(Event::Paste(" v2\nbeta\x1b[31m".into()));
    assert_eq!(
        f.edit().input.text(),
        "小店助手 v2 beta[31m",
        "control characters dropped"
    );
    // Letters type; they are not commands while typing.
    f.handle(Event::Char('q'));
    assert_eq!(f.context(), Context::Typing);
    let fx = cmd(&mut f, Command::Accept);
    assert_eq!(fx, [Effect::Save]);
    assert_eq!(
        answer(&f, "model.name"),
        Some(&Value::Text("小店助手 v2 beta[31mq".into()))
    );
    assert_eq!(
        f.screen(),
        Screen::Summary,
        "the last question leads to the summary"
    );
}

#[test]
fn the_risk_panel_diff_names_the_threats_an_answer_triggered() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    choose(&mut f, "public");
    let new: Vec<&str> = f
        .new_threats()
        .iter()
        .map(|&t| k.catalog.threats[t].id.as_str())
        .collect();
    assert_eq!(new, ["harmful-output"]);
    assert_eq!(f.settled(), 0);
    // Going back and choosing "only me" settles it.
    cmd(&mut f, Command::Back);
    choose(&mut f, "just_me");
    assert!(f.new_threats().is_empty());
    assert_eq!(f.settled(), 1);
    let sections = f.sections();
    assert_eq!(sections[0].visible, 1);
    assert_eq!(sections[0].answered, 1);
}

fn finished(k: &Knowledge) -> Assessment {
    assess(
        k,
        "  users.audience: {value: public}\n  users.count: {value: 200000}\n  users.regions: {value: [cn_mainland]}\n  users.minors: {value: \"no\"}\n  model.providers: {value: [alpha]}\n  model.tools: {value: [email, shell]}\n  model.confirm: {value: \"no\"}\n  model.name: {value: Bot}\n",
    )
}

#[test]
fn summary_groups_by_dimension_with_blind_spots_and_severity_first() {
    let k = mini();
    let f = flow(&k, finished(&k));
    assert_eq!(f.screen(), Screen::Summary);
    let rows = f.summary_rows();
    assert!(matches!(rows[0], SummaryRow::Heading(Some(_))));
    let mut last_dim = None;
    let mut last_sev = None;
    for r in &rows {
        match *r {
            SummaryRow::Heading(d) => {
                if let (Some(prev), Some(d)) = (last_dim, d) {
                    assert!(prev < d, "dimensions in order, blind spots first");
                }
                last_dim = d;
                last_sev = None;
            }
            SummaryRow::Finding(i) => {
                let x = &f.findings().findings[i];
                if let Some(prev) = last_sev {
                    assert!(prev >= x.severity, "highest first within a dimension");
                }
                last_sev = Some(x.severity);
            }
        }
    }
    assert!(matches!(rows[f.summary_selected()], SummaryRow::Finding(_)));
}

fn open_detail(f: &mut Flow<'_>, k: &Knowledge, threat: &str) {
    let rows = f.summary_rows();
    let target = rows
        .iter()
        .position(|r| matches!(r, SummaryRow::Finding(i) if k.catalog.threats[f.findings().findings[*i].threat].id == threat))
        .expect("finding listed");
    cmd(f, Command::Home);
    while f.summary_selected() < target {
        cmd(f, Command::Down);
    }
    cmd(f, Command::Accept);
    assert!(matches!(f.screen(), Screen::Detail(_)));
}

#[test]
fn decisions_are_recorded_from_the_drill_down() {
    let k = mini();
    let mut f = flow(&k, finished(&k));
    open_detail(&mut f, &k, "shell-rce");
    assert_eq!(f.context(), Context::Detail);
    // Mark the first mitigation done, then undo it.
    let fx = cmd(&mut f, Command::MarkDone);
    assert_eq!(fx, [Effect::Save]);
    let d = &f.assessment().decisions["sandbox-shell"];
    assert_eq!(
        (d.status, d.at.as_str()),
        (DecisionStatus::Done, "2026-11-26")
    );
    cmd(&mut f, Command::MarkDone);
    assert!(!f.assessment().decisions.contains_key("sandbox-shell"));

    // Accept the risk: a reason is required and the date must be valid.
    cmd(&mut f, Command::AcceptRisk);
    assert_eq!(f.context(), Context::Form);
    assert!(cmd(&mut f, Command::Accept).is_empty());
    match f.overlay() {
        Some(Overlay::Form(form)) => {
            assert_eq!(
                form.error.as_ref().map(|e| e.key),
                Some("wizard.form.need_reason")
            );
            assert_eq!(form.until.text(), "2027-02-24", "90 days by default");
        }
        other => panic!("form expected, got {other:?}"),
    }
    type_text(&mut f, "sandboxed by the platform");
    cmd(&mut f, Command::NextField);
    for _ in 0..10 {
        cmd(&mut f, Command::Backspace);
    }
    type_text(&mut f, "2020-01-01");
    assert!(
        cmd(&mut f, Command::Accept).is_empty(),
        "a past date is refused"
    );
    for _ in 0..10 {
        cmd(&mut f, Command::Backspace);
    }
    type_text(&mut f, "2027-03-01");
    let fx = cmd(&mut f, Command::Accept);
    assert_eq!(fx, [Effect::Save]);
    let d = &f.assessment().decisions["shell-rce"];
    assert_eq!(d.status, DecisionStatus::Accepted);
    assert_eq!(d.reason.as_deref(), Some("sandboxed by the platform"));
    assert_eq!(d.until.as_deref(), Some("2027-03-01"));
    assert_eq!(
        f.detail_finding().map(|x| x.status),
        Some(agentguard::evaluate::Status::Accepted)
    );
    // Reopen, then not applicable.
    cmd(&mut f, Command::Reopen);
    assert!(!f.assessment().decisions.contains_key("shell-rce"));
    cmd(&mut f, Command::NotApplicable);
    type_text(&mut f, "no shell tool in production");
    cmd(&mut f, Command::Accept);
    assert_eq!(
        f.assessment().decisions["shell-rce"].status,
        DecisionStatus::NotApplicable
    );
    // Esc on a form cancels without a decision.
    open_back_to_summary(&mut f);
    open_detail(&mut f, &k, "hijacked-email");
    cmd(&mut f, Command::AcceptRisk);
    type_text(&mut f, "x");
    cmd(&mut f, Command::Close);
    assert!(f.overlay().is_none());
    assert!(!f.assessment().decisions.contains_key("hijacked-email"));
}

fn open_back_to_summary(f: &mut Flow<'_>) {
    cmd(f, Command::Back);
    assert_eq!(f.screen(), Screen::Summary);
}

#[test]
fn overlays_and_screens_open_and_close() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    cmd(&mut f, Command::Help);
    assert_eq!(f.context(), Context::Help);
    assert_eq!(f.base_context(), Context::Question);
    f.handle(Event::Char('x'));
    cmd(&mut f, Command::Close);
    assert!(f.overlay().is_none());
    cmd(&mut f, Command::DataFlow);
    assert_eq!(f.screen(), Screen::DataFlow);
    cmd(&mut f, Command::Close);
    assert_eq!(f.screen(), Screen::Question);
    cmd(&mut f, Command::Summary);
    assert_eq!(f.screen(), Screen::Summary);
    cmd(&mut f, Command::Back);
    assert_eq!(id(&f), "users.audience", "back to the first unanswered");
    cmd(&mut f, Command::ToggleWhy);
    assert!(f.why_open());
}

#[test]
fn conflicts_offer_reload_or_overwrite_and_quit_warns_about_unsaved_changes() {
    let k = mini();
    let mut f = flow(&k, empty(&k));
    choose(&mut f, "just_me");
    f.handle(Event::SaveConflict);
    assert_eq!(f.context(), Context::Conflict);
    assert_eq!(cmd(&mut f, Command::Overwrite), [Effect::Overwrite]);
    f.handle(Event::SaveConflict);
    assert_eq!(cmd(&mut f, Command::Reload), [Effect::Reload]);
    f.handle(Event::SaveConflict);
    assert!(cmd(&mut f, Command::Close).is_empty());
    assert_eq!(f.save_state(), SaveState::Unsaved);
    assert!(cmd(&mut f, Command::Quit).is_empty(), "first q warns");
    assert_eq!(cmd(&mut f, Command::Quit), [Effect::Quit]);
    f.handle(Event::Saved);
    assert_eq!(cmd(&mut f, Command::Quit), [Effect::Quit]);
    // A reload replaces the answers and resumes from them.
    let other = assess(&k, "  users.audience: {value: public}\n");
    f.handle(Event::Reloaded(Box::new(other)));
    assert_eq!(id(&f), "users.count");
    assert_eq!(f.save_state(), SaveState::Saved);
}

fn session(path: &Path, k: &Knowledge) -> Session<'static> {
    Session {
        stored: Stored::open(path, k, Lang::En).expect("open"),
        docs: None,
        trace: Trace::off(),
    }
}

#[test]
fn the_session_saves_every_answer_and_detects_changes_on_disk() {
    let k = mini();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("agentguard.yaml");
    let mut s = session(&path, &k);
    let mut f = flow(&k, s.stored.assessment.clone());
    cursor_to(&mut f, "public");
    assert!(!s.dispatch(&mut f, Event::Cmd(Command::Accept)));
    assert_eq!(f.save_state(), SaveState::Saved);
    let on_disk = Stored::open(&path, &k, Lang::En).expect("reopen");
    assert_eq!(
        on_disk.assessment.answers["users.audience"].value,
        Value::Choice("public".into())
    );
    // Someone else edits the file: the next save is refused and the dialog opens.
    std::fs::write(
        &path,
        "schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n  model.name: {value: Theirs}\n",
    )
    .expect("write");
    f.handle(Event::Char('7'));
    s.dispatch(&mut f, Event::Cmd(Command::Accept));
    assert_eq!(f.context(), Context::Conflict);
    assert_eq!(f.save_state(), SaveState::Unsaved);
    // Overwrite keeps the wizard's answers.
    s.dispatch(&mut f, Event::Cmd(Command::Overwrite));
    assert_eq!(f.save_state(), SaveState::Saved);
    let on_disk = Stored::open(&path, &k, Lang::En).expect("reopen");
    assert_eq!(
        on_disk.assessment.answers["users.count"].value,
        Value::Number(7.0)
    );
    assert!(!on_disk.assessment.answers.contains_key("model.name"));
    // Reload takes theirs.
    std::fs::write(
        &path,
        "schema_version: 1\ncatalog_version: 1\nlang: zh\nanswers:\n  users.audience: {value: just_me}\n",
    )
    .expect("write");
    for e in tick(&mut f, &["eu"]) {
        if let Some(ev) = s.apply(&f, e) {
            f.handle(ev);
        }
    }
    assert_eq!(f.context(), Context::Conflict);
    s.dispatch(&mut f, Event::Cmd(Command::Reload));
    assert_eq!(f.lang(), Lang::Zh);
    assert_eq!(id(&f), "model.providers");
    // Documents are not available until the outputs work lands.
    f.handle(Event::Cmd(Command::Summary));
    s.dispatch(&mut f, Event::Cmd(Command::WriteDocs));
    assert_eq!(
        f.notice().map(|n| n.key),
        Some("wizard.notice.docs_unavailable")
    );
    assert!(s.dispatch(&mut f, Event::Cmd(Command::Quit)));
}

/// Line mode offers the conflict dialog's choices as a prompt: overwrite, reload, or stop with
/// nothing lost.
#[test]
fn line_mode_resolves_a_file_changed_on_disk() {
    let k = mini();
    let theirs = "schema_version: 1\ncatalog_version: 1\nlang: en\nanswers:\n  model.name: {value: Theirs}\n";
    for (choice, expect) in [(1, "overwrite"), (0, "reload"), (2, "stop")] {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("agentguard.yaml");
        let mut s = session(&path, &k);
        let mut f = flow(&k, s.stored.assessment.clone());
        // Someone else writes the file after the wizard read it.
        std::fs::write(&path, theirs).expect("write");
        let mut p = ScriptedPrompter::new([
            Scripted::Pick(1), // audience: public -> the save meets the change
            Scripted::Pick(choice),
            Scripted::Quit,
        ]);
        let r = plain::run(&mut p, &mut f, &mut s);
        assert!(
            p.shown.iter().any(|l| l == "? The file changed on disk"),
            "{expect}: {:#?}",
            p.shown
        );
        let on_disk = Stored::open(&path, &k, Lang::En).expect("reopen");
        let answers = &on_disk.assessment.answers;
        match expect {
            "overwrite" => {
                r.expect("run");
                assert_eq!(
                    answers["users.audience"].value,
                    Value::Choice("public".into())
                );
                assert!(!answers.contains_key("model.name"));
            }
            "reload" => {
                r.expect("run");
                assert_eq!(answers["model.name"].value, Value::Text("Theirs".into()));
                assert!(!answers.contains_key("users.audience"));
                assert_eq!(
                    answer(&f, "model.name"),
                    Some(&Value::Text("Theirs".into()))
                );
            }
            _ => {
                assert!(r.is_err(), "stopping is reported");
                assert_eq!(answers["model.name"].value, Value::Text("Theirs".into()));
                assert!(
                    p.shown.iter().any(|l| l.contains("not saved")),
                    "{:#?}",
                    p.shown
                );
            }
        }
    }
}

#[test]
fn line_mode_asks_the_same_questions_saves_and_resumes() {
    let k = mini();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("agentguard.yaml");
    let mut s = session(&path, &k);
    let mut f = flow(&k, s.stored.assessment.clone());
    let mut p = ScriptedPrompter::new([
        Scripted::Pick(1), // audience: public
        Scripted::Type("abc".into()),
        Scripted::Type("5000".into()),
        Scripted::Back, // back to the count
        Scripted::Keep, // keeps 5000
        Scripted::Tick(vec![0, 1]),
        Scripted::Quit,
    ]);
    let out = plain::run(&mut p, &mut f, &mut s).expect("run");
    assert_eq!(out.answered, 3);
    assert!(!out.complete);
    assert!(
        p.shown.iter().any(|l| l.contains("is not a number")),
        "{:#?}",
        p.shown
    );
    assert!(
        p.shown.iter().any(|l| l.starts_with("  + [")),
        "new threats are listed"
    );
    let asked: Vec<&String> = p.shown.iter().filter(|l| l.starts_with("? ")).collect();
    assert_eq!(asked.len(), 7, "{asked:#?}");

    // Resume: a new run starts at users.minors.
    let mut s = session(&path, &k);
    let mut f = flow(&k, s.stored.assessment.clone());
    assert_eq!(id(&f), "users.minors");
    let mut p = ScriptedPrompter::new([
        Scripted::Pick(1),
        Scripted::Tick(vec![2]),
        Scripted::Tick(vec![0]),
        Scripted::Type("小店助手".into()),
    ]);
    let out = plain::run(&mut p, &mut f, &mut s).expect("run");
    assert!(out.complete, "{out:?} {:#?}", p.shown);
    let saved = Stored::open(&path, &k, Lang::En).expect("reopen");
    assert_eq!(saved.assessment.answers.len(), 7);
    assert_eq!(
        saved.assessment.answers["model.name"].value,
        Value::Text("小店助手".into())
    );
    assert!(p.shown.iter().any(|l| l.contains("Summary")));
}

// ---- reliability (issue 12) -----------------------------------------------------------------

const KEY: &str = "sk-proj-Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2gHi3jKl";

/// Everything up to the free-text `model.name` is answered.
fn at_model_name(k: &Knowledge) -> Assessment {
    assess(
        k,
        "  users.audience: {value: just_me}\n  model.providers: {value: [alpha]}\n  model.tools: {value: [none]}\n",
    )
}

/// Issue 12 item 3 (the full-screen side, at the machine): a failed save leaves the outcome
/// unsaved, naming the answer that is not on disk, with exit code 2; a later successful save
/// clears it.
#[test]
fn a_failed_save_is_reported_in_the_outcome_and_exits_2() {
    let k = mini();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("agentguard.yaml");
    let mut s = session(&path, &k);
    let mut f = flow(&k, s.stored.assessment.clone());
    // A path under a regular file cannot be written, not even by root.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "x").expect("write");
    s.stored.path = blocker.join("agentguard.yaml");
    cursor_to(&mut f, "public");
    s.dispatch(&mut f, Event::Cmd(Command::Accept));
    assert_eq!(f.save_state(), SaveState::Unsaved);
    let out = Outcome::of(&f);
    assert!(!out.saved);
    assert_eq!(out.not_on_disk, ["users.audience"]);
    assert_eq!(out.exit_code(), 2);
    let msg = out.message(Ui::embedded(), Lang::En, &s.stored.path);
    assert!(!msg.contains("saved to"), "{msg}");
    assert!(msg.contains("Not on disk: users.audience"), "{msg}");
    assert!(msg.contains("failed"), "{msg}");
    let zh = out.message(Ui::embedded(), Lang::Zh, &s.stored.path);
    assert!(zh.contains("users.audience") && zh.contains("失败"), "{zh}");
    // Quitting after a failed save is not a normal end either.
    assert!(cmd(&mut f, Command::Quit).is_empty(), "first q warns");
    // The folder is writable again: the next save carries everything.
    s.stored.path = path.clone();
    f.handle(Event::Char('7'));
    s.dispatch(&mut f, Event::Cmd(Command::Accept));
    let out = Outcome::of(&f);
    assert!(out.saved, "{out:?}");
    assert_eq!(out.exit_code(), 0);
    assert!(
        out.message(Ui::embedded(), Lang::En, &path)
            .contains("saved to")
    );
}

/// Issue 12 item 15: the exit message escapes the file name.
#[test]
fn the_exit_message_escapes_the_path() {
    let k = mini();
    let f = flow(&k, empty(&k));
    let msg = Outcome::of(&f).message(Ui::embedded(), Lang::En, Path::new("a\u{1b}]2;x\u{7}.yaml"));
    assert!(
        !msg.contains('\u{1b}') && msg.contains("a\\u{1b}]2;x\\u{7}.yaml"),
        "{msg}"
    );
}

/// Issue 12 item 13: a text answer that looks like a credential is stored only after the user
/// confirms it; going back keeps the text for editing.
#[test]
fn a_secret_shaped_answer_asks_before_it_is_stored() {
    let k = mini();
    let mut f = flow(&k, at_model_name(&k));
    assert_eq!(id(&f), "model.name");
    type_text(&mut f, KEY);
    assert!(cmd(&mut f, Command::Accept).is_empty(), "nothing saved yet");
    assert_eq!(f.context(), Context::ConfirmSecret);
    assert!(matches!(f.overlay(), Some(Overlay::ConfirmSecret(_))));
    // Esc: back to the field, text kept, nothing stored.
    assert!(cmd(&mut f, Command::Close).is_empty());
    assert_eq!(f.overlay(), None);
    assert_eq!(id(&f), "model.name");
    assert_eq!(f.edit().input.text(), KEY);
    assert!(answer(&f, "model.name").is_none());
    // Enter, then confirm: stored as typed (never shortened).
    cmd(&mut f, Command::Accept);
    assert_eq!(cmd(&mut f, Command::Accept), [Effect::Save]);
    assert_eq!(answer(&f, "model.name"), Some(&Value::Text(KEY.into())));
    // An ordinary name is not asked about.
    let mut f = flow(&k, at_model_name(&k));
    type_text(&mut f, "Shop helper");
    assert_eq!(cmd(&mut f, Command::Accept), [Effect::Save]);
}

/// Issue 12 item 13, line mode: the same question as a prompt; "change it" asks again.
#[test]
fn line_mode_asks_before_storing_a_secret_shaped_answer() {
    let k = mini();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("agentguard.yaml");
    let mut s = session(&path, &k);
    s.stored.assessment = at_model_name(&k);
    let mut f = flow(&k, at_model_name(&k));
    let mut p = ScriptedPrompter::new([
        Scripted::Type(KEY.into()),
        Scripted::Pick(1), // go back and change it
        Scripted::Type("Shop helper".into()),
    ]);
    plain::run(&mut p, &mut f, &mut s).expect("run");
    assert!(
        p.shown.iter().any(|l| l == "? This looks like a secret"),
        "{:#?}",
        p.shown
    );
    assert_eq!(
        answer(&f, "model.name"),
        Some(&Value::Text("Shop helper".into()))
    );
    let mut f = flow(&k, at_model_name(&k));
    let mut p = ScriptedPrompter::new([Scripted::Type(KEY.into()), Scripted::Pick(0)]);
    plain::run(&mut p, &mut f, &mut s).expect("run");
    assert_eq!(answer(&f, "model.name"), Some(&Value::Text(KEY.into())));
}

/// Records the initial value of every text prompt and keeps it.
struct Keeper(Vec<String>);

impl plain::Prompter for Keeper {
    fn say(&mut self, _text: &str) {}
    fn select(
        &mut self,
        _p: &plain::Prompt,
        _options: &[String],
        _start: usize,
    ) -> Result<plain::Reply<usize>, agentguard::wizard::WizardError> {
        Ok(plain::Reply::Quit)
    }
    fn multi_select(
        &mut self,
        _p: &plain::Prompt,
        _options: &[String],
        _ticked: &[usize],
    ) -> Result<plain::Reply<Vec<usize>>, agentguard::wizard::WizardError> {
        Ok(plain::Reply::Quit)
    }
    fn text(
        &mut self,
        _p: &plain::Prompt,
        initial: &str,
    ) -> Result<plain::Reply<String>, agentguard::wizard::WizardError> {
        self.0.push(initial.to_string());
        Ok(if self.0.len() == 1 {
            plain::Reply::Value(initial.to_string())
        } else {
            plain::Reply::Quit
        })
    }
}

/// Issue 12 item 15: line mode shows a stored text's bidi and escape characters escaped in the
/// prompt's initial value, and keeping it saves the real text back, not the escaped display.
#[test]
fn line_mode_shows_control_characters_escaped_and_keeps_the_real_text() {
    let k = mini();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("agentguard.yaml");
    let mut s = session(&path, &k);
    let real = "evil\u{1b}[2Jbot\u{202e}txt";
    let mut a = at_model_name(&k);
    a.answers.insert(
        "model.name".into(),
        agentguard::model::Answer {
            value: Value::Text(real.into()),
            at: clock(),
            source: AnswerSource::User,
            confirmed: true,
            evidence: None,
        },
    );
    s.stored.assessment = a.clone();
    let mut f = flow(&k, a);
    // Every question is answered: from the summary, back to the last one.
    cmd(&mut f, Command::Back);
    assert_eq!(id(&f), "model.name");
    let mut p = Keeper(Vec::new());
    plain::run(&mut p, &mut f, &mut s).expect("run");
    assert_eq!(p.0[0], "evil\\u{1b}[2Jbot\\u{202e}txt");
    assert_eq!(answer(&f, "model.name"), Some(&Value::Text(real.into())));
    // An edit of the escaped text keeps the characters it did not touch.
    assert_eq!(
        plain::unescape_terminal("evil\\u{1b}[2Jbot\\u{202e}TXT \\u{41}"),
        "evil\u{1b}[2Jbot\u{202e}TXT \\u{41}"
    );
}

/// Issue 12 item 4, at the machine: `w` asks the writer to stop at edited documents; when it
/// reports some, the dialog offers to write beside them (Enter), replace them (r) or cancel
/// (Esc); the hashes of what was written are recorded in `written` and saved.
#[test]
fn edited_documents_are_asked_about_and_hashes_recorded() {
    use agentguard::docs::OnEdited;
    let k = mini();
    let mut f = flow(&k, empty(&k));
    cmd(&mut f, Command::Summary);
    assert_eq!(
        cmd(&mut f, Command::WriteDocs),
        [Effect::WriteDocs(OnEdited::Stop)]
    );
    let edited = || Event::DocsEdited(vec!["privacy-notice.md".into()]);
    f.handle(edited());
    assert_eq!(f.context(), Context::DocsEdited);
    assert_eq!(
        cmd(&mut f, Command::Accept),
        [Effect::WriteDocs(OnEdited::Beside)]
    );
    f.handle(edited());
    assert_eq!(
        cmd(&mut f, Command::Overwrite),
        [Effect::WriteDocs(OnEdited::Replace)]
    );
    f.handle(edited());
    assert!(cmd(&mut f, Command::Close).is_empty());
    assert_eq!(f.overlay(), None);
    let fx = f.handle(Event::DocsWritten {
        paths: vec!["/x/checklist.md".into()],
        written: vec![("checklist.md".into(), "ab".repeat(32))],
    });
    assert_eq!(fx, [Effect::Save]);
    assert_eq!(f.assessment().written["checklist.md"], "ab".repeat(32));
    // The same hash again changes nothing, so nothing is saved.
    let fx = f.handle(Event::DocsWritten {
        paths: vec!["/x/checklist.md".into()],
        written: vec![("checklist.md".into(), "ab".repeat(32))],
    });
    assert!(fx.is_empty());
}

/// Schema 2: `written` loads, a version 1 file loads and is held as version 2.
#[test]
fn schema_2_written_loads_and_version_1_is_upgraded() {
    let k = mini();
    let text = format!(
        "schema_version: 2\ncatalog_version: 1\nlang: en\nwritten:\n  checklist.md: {}\n",
        "AB".repeat(32)
    );
    let (a, w) = load::assessment("t.yaml", text.as_bytes(), &k).expect("loads");
    assert!(w.is_empty());
    assert_eq!(a.written["checklist.md"], "ab".repeat(32));
    let a1 = assess(&k, "  users.audience: {value: public}\n");
    assert_eq!(a1.schema_version, 2);
    let yaml = agentguard::store::to_yaml(&a).expect("yaml");
    assert!(
        yaml.contains("schema_version: 2") && yaml.contains("written:"),
        "{yaml}"
    );
    let bad = "schema_version: 2\ncatalog_version: 1\nlang: en\nwritten:\n  checklist.md: nothex\n";
    let (a, w) = load::assessment("t.yaml", bad.as_bytes(), &k).expect("loads with a warning");
    assert!(a.written.is_empty());
    assert!(w.warnings().any(|d| d.code == "W0507"));
    let three = "schema_version: 3\ncatalog_version: 1\nlang: en\n";
    assert!(load::assessment("t.yaml", three.as_bytes(), &k).is_err());
}
