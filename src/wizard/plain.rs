//! The line-mode front end (`agentguard wizard --plain`): the same questions in the same order,
//! one prompt at a time, for screen readers, simple terminals and people who prefer it. It drives
//! the same `Flow` as the full-screen interface, so saving, resuming, skip logic and validation
//! are identical. Prompts go through the `Prompter` trait: `Inquire` asks on the terminal,
//! `ScriptedPrompter` replays answers in tests.

use std::collections::VecDeque;

use inquire::error::InquireError;

use super::flow::{Command, Event, Flow, NoticeKind, Screen, renewal_command};
use super::{Outcome, Session, WizardError};
use crate::evaluate::Certainty;
use crate::model::{NOT_SURE, QuestionKind, Value};
use crate::review::Renewal;

/// What the user did at a prompt.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply<T> {
    Value(T),
    /// Esc: the previous question.
    Back,
    /// Ctrl-C: stop (every answer so far is saved).
    Quit,
}

/// One question as a prompt.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prompt {
    pub message: String,
    pub help: String,
}

pub trait Prompter {
    /// Prints a line (section headings, what the last answer changed, errors).
    fn say(&mut self, text: &str);
    fn select(
        &mut self,
        p: &Prompt,
        options: &[String],
        start: usize,
    ) -> Result<Reply<usize>, WizardError>;
    fn multi_select(
        &mut self,
        p: &Prompt,
        options: &[String],
        ticked: &[usize],
    ) -> Result<Reply<Vec<usize>>, WizardError>;
    fn text(&mut self, p: &Prompt, initial: &str) -> Result<Reply<String>, WizardError>;
}

/// Prompts on the terminal with inquire (which draws on stderr).
pub struct Inquire;

fn reply<T>(r: Result<T, InquireError>) -> Result<Reply<T>, WizardError> {
    match r {
        Ok(v) => Ok(Reply::Value(v)),
        Err(InquireError::OperationCanceled) => Ok(Reply::Back),
        Err(InquireError::OperationInterrupted) => Ok(Reply::Quit),
        Err(InquireError::IO(e)) => Err(WizardError::Terminal(e)),
        Err(e) => Err(WizardError::Prompt(e.to_string())),
    }
}

impl Prompter for Inquire {
    fn say(&mut self, text: &str) {
        eprintln!("{text}");
    }

    fn select(
        &mut self,
        p: &Prompt,
        options: &[String],
        start: usize,
    ) -> Result<Reply<usize>, WizardError> {
        let indexed: Vec<Indexed> = options
            .iter()
            .enumerate()
            .map(|(i, s)| Indexed(i, s.clone()))
            .collect();
        let r = inquire::Select::new(&p.message, indexed)
            .with_help_message(&p.help)
            .with_starting_cursor(start.min(options.len().saturating_sub(1)))
            .with_page_size(12)
            .prompt();
        reply(r.map(|o| o.0))
    }

    fn multi_select(
        &mut self,
        p: &Prompt,
        options: &[String],
        ticked: &[usize],
    ) -> Result<Reply<Vec<usize>>, WizardError> {
        let indexed: Vec<Indexed> = options
            .iter()
            .enumerate()
            .map(|(i, s)| Indexed(i, s.clone()))
            .collect();
        let r = inquire::MultiSelect::new(&p.message, indexed)
            .with_help_message(&p.help)
            .with_default(ticked)
            .with_page_size(12)
            .prompt();
        reply(r.map(|v| v.into_iter().map(|o| o.0).collect()))
    }

    fn text(&mut self, p: &Prompt, initial: &str) -> Result<Reply<String>, WizardError> {
        let r = inquire::Text::new(&p.message)
            .with_help_message(&p.help)
            .with_initial_value(initial)
            .prompt();
        reply(r)
    }
}

#[derive(Clone)]
struct Indexed(usize, String);

impl std::fmt::Display for Indexed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1)
    }
}

/// Replies from a script, for tests; records every prompt and line it was shown.
#[derive(Default)]
pub struct ScriptedPrompter {
    pub replies: VecDeque<Scripted>,
    pub shown: Vec<String>,
}

/// One scripted reply.
#[derive(Clone, Debug, PartialEq)]
pub enum Scripted {
    Pick(usize),
    Tick(Vec<usize>),
    Type(String),
    /// Accept what is pre-selected or pre-filled.
    Keep,
    Back,
    Quit,
}

impl ScriptedPrompter {
    pub fn new(replies: impl IntoIterator<Item = Scripted>) -> Self {
        ScriptedPrompter {
            replies: replies.into_iter().collect(),
            shown: Vec::new(),
        }
    }

    fn next(&mut self, p: &Prompt) -> Scripted {
        self.shown.push(format!("? {}", p.message));
        // An exhausted script quits, so a test can never loop forever.
        self.replies.pop_front().unwrap_or(Scripted::Quit)
    }
}

impl Prompter for ScriptedPrompter {
    fn say(&mut self, text: &str) {
        self.shown.push(text.to_string());
    }

    fn select(
        &mut self,
        p: &Prompt,
        _options: &[String],
        start: usize,
    ) -> Result<Reply<usize>, WizardError> {
        Ok(match self.next(p) {
            Scripted::Pick(i) => Reply::Value(i),
            Scripted::Keep => Reply::Value(start),
            Scripted::Back => Reply::Back,
            _ => Reply::Quit,
        })
    }

    fn multi_select(
        &mut self,
        p: &Prompt,
        _options: &[String],
        ticked: &[usize],
    ) -> Result<Reply<Vec<usize>>, WizardError> {
        Ok(match self.next(p) {
            Scripted::Tick(v) => Reply::Value(v),
            Scripted::Keep => Reply::Value(ticked.to_vec()),
            Scripted::Back => Reply::Back,
            _ => Reply::Quit,
        })
    }

    fn text(&mut self, p: &Prompt, initial: &str) -> Result<Reply<String>, WizardError> {
        Ok(match self.next(p) {
            Scripted::Type(s) => Reply::Value(s),
            Scripted::Keep => Reply::Value(initial.to_string()),
            Scripted::Back => Reply::Back,
            _ => Reply::Quit,
        })
    }
}

fn term(s: &str) -> String {
    crate::escape::terminal(s, false)
}

impl<T> Reply<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Reply<U> {
        match self {
            Reply::Value(v) => Reply::Value(f(v)),
            Reply::Back => Reply::Back,
            Reply::Quit => Reply::Quit,
        }
    }
}

/// Undoes [`term`] on what the user sent back from an edited prompt: a `\u{…}` that stands for
/// a character `term` escapes becomes that character again, so editing one word of a stored text
/// keeps its other characters as they were. Anything else is the user's text as typed.
pub fn unescape_terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("\\u{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let decoded = after.find('}').and_then(|end| {
            let c = u32::from_str_radix(&after[..end], 16)
                .ok()
                .and_then(char::from_u32)?;
            (term(&c.to_string()) != c.to_string()).then_some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("\\u{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Asks every visible question in order, from the first unanswered one, until the end or until
/// the user quits; then prints the summary.
pub fn run(
    prompter: &mut dyn Prompter,
    flow: &mut Flow<'_>,
    session: &mut Session<'_>,
) -> Result<Outcome, WizardError> {
    let ui = flow.ui();
    let intro = if flow.review_walk().is_some() {
        "review.plain.intro"
    } else {
        "wizard.plain.intro"
    };
    prompter.say(&ui.get(flow.lang(), intro));
    let mut last_section = None;
    loop {
        match flow.screen() {
            Screen::Question => {}
            Screen::Review => {
                review_overview(prompter, flow);
                if session.dispatch(flow, Event::Cmd(Command::Accept)) {
                    return Ok(Outcome::of(flow));
                }
                continue;
            }
            Screen::Confirm => {
                last_section = None;
                match review_confirm(prompter, flow)? {
                    Some(events) => {
                        for e in events {
                            if session.dispatch(flow, e) {
                                return Ok(Outcome::of(flow));
                            }
                        }
                    }
                    None => {
                        prompter.say(&ui.get(flow.lang(), "wizard.plain.bye"));
                        return Ok(Outcome::of(flow));
                    }
                }
                if let Some(outcome) = resolve_conflict(prompter, flow, session)? {
                    return Ok(outcome);
                }
                continue;
            }
            Screen::Acceptance => {
                last_section = None;
                let Some(event) = review_acceptance(prompter, flow)? else {
                    prompter.say(&ui.get(flow.lang(), "wizard.plain.bye"));
                    return Ok(Outcome::of(flow));
                };
                if session.dispatch(flow, event) {
                    return Ok(Outcome::of(flow));
                }
                // What the choice did (or why it is not saved); the end of the review says so
                // itself.
                if let Some(n) = flow.notice().filter(|_| !flow.is_review_done()) {
                    let mark = if n.kind == NoticeKind::Error {
                        "! "
                    } else {
                        ""
                    };
                    prompter.say(&format!("{mark}{}", term(&n.text(ui, flow.lang()))));
                }
                if let Some(outcome) = resolve_conflict(prompter, flow, session)? {
                    return Ok(outcome);
                }
                continue;
            }
            _ => break,
        }
        let lang = flow.lang();
        let question = flow.question();
        let k = flow.knowledge();
        if last_section != Some(question.section) {
            let s = &k.questionnaire.sections[question.section];
            prompter.say("");
            prompter.say(&format!("== {} ==", term(s.title.get(lang))));
            if let Some(intro) = &s.intro {
                prompter.say(&term(intro.get(lang)));
            }
            last_section = Some(question.section);
        }
        let (step, total) = flow.step();
        let mut help = ui.fmt(
            lang,
            "wizard.step",
            &[("step", step.to_string()), ("total", total.to_string())],
        );
        if let Some(h) = &question.help {
            help = format!("{help} · {}", term(h.get(lang)));
        }
        if let Some(a) = flow.current_answer().filter(|_| flow.edit().from_scan) {
            help = format!(
                "{help} · {}",
                ui.fmt(
                    lang,
                    "wizard.scan.suggested",
                    &[("evidence", term(a.evidence.as_deref().unwrap_or("—")))]
                )
            );
        }
        let p = Prompt {
            message: term(question.prompt.get(lang)),
            help,
        };
        let offered = flow.offered();
        let labels: Vec<String> = offered
            .iter()
            .map(|&o| term(question.options[o].label.get(lang)))
            .collect();
        let event = match question.kind {
            QuestionKind::Single | QuestionKind::YesNo => {
                match prompter.select(&p, &labels, flow.edit().cursor)? {
                    Reply::Value(i) => offered
                        .get(i)
                        .map(|&o| Event::Answer(Value::Choice(question.options[o].id.clone()))),
                    Reply::Back => Some(Event::Cmd(Command::Back)),
                    Reply::Quit => None,
                }
            }
            QuestionKind::Multiple => {
                let ticked: Vec<usize> = flow
                    .edit()
                    .checked
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c)
                    .map(|(i, _)| i)
                    .collect();
                match prompter.multi_select(&p, &labels, &ticked)? {
                    Reply::Value(v) => Some(Event::Answer(Value::Choices(
                        v.iter()
                            .filter_map(|&i| offered.get(i))
                            .map(|&o| question.options[o].id.clone())
                            .collect(),
                    ))),
                    Reply::Back => Some(Event::Cmd(Command::Back)),
                    Reply::Quit => None,
                }
            }
            QuestionKind::Text | QuestionKind::Number => {
                // The text as stored (the edit line drops control characters), shown escaped:
                // inquire would send it to the terminal as it is.
                let real = match flow.current_answer().map(|a| &a.value) {
                    Some(Value::Text(t)) if !flow.edit().touched => t.clone(),
                    _ if flow.edit().cursor == 1 => "?".to_string(),
                    _ => flow.edit().input.text().to_string(),
                };
                let initial = term(&real);
                let p = if question.kind == QuestionKind::Number && question.not_sure {
                    Prompt {
                        help: format!(
                            "{} · {}",
                            p.help,
                            ui.get(lang, "wizard.plain.not_sure_hint")
                        ),
                        ..p
                    }
                } else {
                    p
                };
                match prompter.text(&p, &initial)?.map(|s| {
                    if s == initial {
                        real.clone()
                    } else {
                        unescape_terminal(&s)
                    }
                }) {
                    Reply::Value(s) if question.kind == QuestionKind::Text => {
                        Some(Event::Answer(Value::Text(s)))
                    }
                    Reply::Value(s) if question.not_sure && s.trim() == "?" => {
                        Some(Event::Answer(Value::Choice(NOT_SURE.into())))
                    }
                    Reply::Value(s) => {
                        let Some(n) = super::flow::parse_number(&s) else {
                            prompter.say(&ui.fmt(
                                lang,
                                "wizard.notice.not_a_number",
                                &[("text", term(&crate::redact::redact(&s)))],
                            ));
                            continue;
                        };
                        Some(Event::Answer(Value::Number(n)))
                    }
                    Reply::Back => Some(Event::Cmd(Command::Back)),
                    Reply::Quit => None,
                }
            }
        };
        let Some(event) = event else {
            prompter.say(&ui.get(
                lang,
                if flow.save_state() == super::flow::SaveState::Saved {
                    "wizard.plain.bye"
                } else {
                    "wizard.plain.bye_unsaved"
                },
            ));
            return Ok(Outcome::of(flow));
        };
        let was_answer = matches!(event, Event::Answer(_));
        let before = flow.position();
        if session.dispatch(flow, event) {
            return Ok(Outcome::of(flow));
        }
        if let Some(n) = flow.notice().filter(|n| n.kind == NoticeKind::Error) {
            prompter.say(&format!("! {}", term(&n.text(ui, flow.lang()))));
        }
        if matches!(flow.overlay(), Some(super::flow::Overlay::ConfirmSecret(_))) {
            let lang = flow.lang();
            prompter.say(&ui.get(lang, "wizard.secret.text"));
            let options = [
                ui.get(lang, "wizard.secret.store"),
                ui.get(lang, "wizard.secret.change"),
            ];
            let prompt = Prompt {
                message: ui.get(lang, "wizard.secret.title"),
                help: String::new(),
            };
            let command = match prompter.select(&prompt, &options, 1)? {
                Reply::Value(0) => Command::Accept,
                Reply::Value(_) | Reply::Back => Command::Close,
                Reply::Quit => {
                    session.dispatch(flow, Event::Cmd(Command::Close));
                    prompter.say(&ui.get(lang, "wizard.plain.bye"));
                    return Ok(Outcome::of(flow));
                }
            };
            let before = flow.position();
            if session.dispatch(flow, Event::Cmd(command)) {
                return Ok(Outcome::of(flow));
            }
            if command == Command::Close || flow.position() == before {
                continue;
            }
        }
        if was_answer && flow.position() != before || flow.screen() != Screen::Question {
            for &ti in flow.new_threats() {
                let t = &k.catalog.threats[ti];
                prompter.say(&format!(
                    "  + [{}] {}",
                    ui.get(lang, &format!("severity.{}", t.severity.code())),
                    term(t.title.get(lang))
                ));
            }
        }
        if let Some(outcome) = resolve_conflict(prompter, flow, session)? {
            return Ok(outcome);
        }
    }
    summary(prompter, flow);
    Ok(Outcome::of(flow))
}

/// The file changed on disk since it was read: the same choice as the dialog, until it is
/// resolved. `Some` ends the run with that outcome.
fn resolve_conflict(
    prompter: &mut dyn Prompter,
    flow: &mut Flow<'_>,
    session: &mut Session<'_>,
) -> Result<Option<Outcome>, WizardError> {
    let ui = flow.ui();
    while flow.save_state() == super::flow::SaveState::Unsaved
        && flow
            .overlay()
            .is_some_and(|o| *o == super::flow::Overlay::Conflict)
    {
        let lang = flow.lang();
        prompter.say(&term(&ui.get(lang, "wizard.conflict.text")));
        let options = [
            ui.get(lang, "wizard.conflict.reload"),
            ui.get(lang, "wizard.conflict.overwrite"),
            ui.get(lang, "wizard.plain.conflict_stop"),
        ];
        let prompt = Prompt {
            message: ui.get(lang, "wizard.conflict.title"),
            help: String::new(),
        };
        let command = match prompter.select(&prompt, &options, 1)? {
            Reply::Value(0) => Command::Reload,
            Reply::Value(1) => Command::Overwrite,
            _ => {
                // Stop rather than lose anything: the last answer is not on disk.
                prompter.say(&ui.get(lang, "wizard.plain.conflict"));
                return Err(WizardError::Store(crate::store::StoreError::Conflict {
                    path: session.stored.path.clone(),
                }));
            }
        };
        if session.dispatch(flow, Event::Cmd(command)) {
            return Ok(Some(Outcome::of(flow)));
        }
        if let Some(n) = flow.notice().filter(|n| n.kind == NoticeKind::Error) {
            prompter.say(&format!("! {}", term(&n.text(ui, flow.lang()))));
            if flow.overlay().is_none() {
                break;
            }
        }
    }
    Ok(None)
}

/// The review's overview in line mode: the same lines as `review --dry-run`.
fn review_overview(prompter: &mut dyn Prompter, flow: &Flow<'_>) {
    let Some(r) = flow.review_walk() else {
        return;
    };
    let (ui, lang) = (flow.ui(), flow.lang());
    prompter.say("");
    prompter.say(&format!("== {} ==", ui.get(lang, "review.title")));
    for l in crate::review::lines(flow.knowledge(), ui, lang, &r.plan, flow.findings()) {
        if l.heading {
            prompter.say(&format!("-- {}", term(&l.text)));
        } else {
            prompter.say(&term(&l.text));
        }
    }
}

/// One section's stale answers: confirm them all with one choice, or pick one to change.
/// Returns the events that carry the choice out; `None` when the user stops.
fn review_confirm(
    prompter: &mut dyn Prompter,
    flow: &Flow<'_>,
) -> Result<Option<Vec<Event>>, WizardError> {
    let (ui, lang, k) = (flow.ui(), flow.lang(), flow.knowledge());
    let questions = flow.confirm_questions();
    let Some(&first) = questions.first() else {
        return Ok(Some(vec![Event::Cmd(Command::Accept)]));
    };
    let section = &k.questionnaire.sections[k.questionnaire.questions[first].section];
    let (step, steps) = flow.review_step().unwrap_or((0, 0));
    prompter.say("");
    prompter.say(&format!(
        "== {} ==",
        ui.fmt(
            lang,
            "review.confirm.title",
            &[("section", term(section.title.get(lang)))]
        )
    ));
    prompter.say(&ui.fmt(
        lang,
        "review.confirm.intro",
        &[
            ("days", flow.assessment().review_interval_days.to_string()),
            ("step", step.to_string()),
            ("steps", steps.to_string()),
        ],
    ));
    let mut options = vec![ui.get(lang, "review.plain.confirm_all")];
    for &q in questions {
        let question = &k.questionnaire.questions[q];
        let answer = flow
            .assessment()
            .answers
            .get(&question.id)
            .map_or_else(String::new, |a| {
                crate::evaluate::answer_labels(k, q, &a.value, lang)
            });
        prompter.say(&format!(
            "  {} → {}",
            term(question.prompt.get(lang)),
            term(&answer)
        ));
        options.push(ui.fmt(
            lang,
            "review.plain.change",
            &[("prompt", term(question.prompt.get(lang)))],
        ));
    }
    let prompt = Prompt {
        message: ui.get(lang, "review.plain.confirm_prompt"),
        help: String::new(),
    };
    Ok(match prompter.select(&prompt, &options, 0)? {
        Reply::Value(0) => Some(vec![Event::Cmd(Command::Accept)]),
        Reply::Value(i) => {
            let mut events = vec![Event::Cmd(Command::Down); i - 1];
            events.push(Event::Cmd(Command::Toggle));
            Some(events)
        }
        Reply::Back => Some(vec![Event::Cmd(Command::Back)]),
        Reply::Quit => None,
    })
}

/// An acceptance that expired or ends soon: what it is, then a numbered single choice (the
/// choices of the full-screen list, in the same order). Returns the event that carries the
/// choice out; `None` when the user stops.
fn review_acceptance(
    prompter: &mut dyn Prompter,
    flow: &Flow<'_>,
) -> Result<Option<Event>, WizardError> {
    let (ui, lang) = (flow.ui(), flow.lang());
    let Some(a) = flow.acceptance() else {
        // Nothing left to decide: leave it and move on.
        return Ok(Some(Event::Cmd(renewal_command(Renewal::Leave))));
    };
    let (step, steps) = flow.review_step().unwrap_or((0, 0));
    prompter.say("");
    prompter.say(&format!(
        "== {} ==",
        ui.fmt(
            lang,
            "review.acceptance.title",
            &[("step", step.to_string()), ("steps", steps.to_string())]
        )
    ));
    prompter.say(&term(&a.heading));
    for l in &a.lines {
        prompter.say(&term(l));
    }
    let options: Vec<String> = a
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{}. {}", i + 1, term(c)))
        .collect();
    let prompt = Prompt {
        message: term(&a.prompt),
        help: String::new(),
    };
    Ok(match prompter.select(&prompt, &options, a.selected)? {
        Reply::Value(i) => Renewal::ALL.get(i).map(|&c| Event::Cmd(renewal_command(c))),
        Reply::Back => Some(Event::Cmd(Command::Back)),
        Reply::Quit => None,
    })
}

/// The end of line mode: what applies, by dimension, most severe first.
fn summary(prompter: &mut dyn Prompter, flow: &Flow<'_>) {
    let ui = flow.ui();
    let lang = flow.lang();
    let k = flow.knowledge();
    let found = flow.findings();
    if flow.is_review_done() {
        prompter.say("");
        prompter.say(&ui.get(lang, "review.notice.recorded"));
    }
    prompter.say("");
    prompter.say(&format!("== {} ==", ui.get(lang, "wizard.summary.title")));
    prompter.say(&ui.fmt(
        lang,
        "wizard.summary.progress",
        &[
            ("answered", flow.answered_count().to_string()),
            ("visible", found.visible.len().to_string()),
        ],
    ));
    for row in flow.summary_rows() {
        match row {
            super::flow::SummaryRow::Heading(Some(d)) => {
                prompter.say(&format!(
                    "-- {}",
                    ui.get(lang, &format!("dimension.{}", d.code()))
                ));
            }
            super::flow::SummaryRow::Heading(None) => {
                prompter.say(&format!("-- {}", ui.get(lang, "wizard.summary.possible")));
            }
            super::flow::SummaryRow::Finding(i) => {
                let x = &found.findings[i];
                let t = &k.catalog.threats[x.threat];
                let status = if x.certainty == Certainty::Possible {
                    ui.get(lang, "wizard.summary.possible_status")
                } else {
                    ui.get(lang, Flow::status_key(x))
                };
                prompter.say(&format!(
                    "  [{}] {} ({status})",
                    ui.get(lang, &format!("severity.{}", x.severity.code())),
                    term(t.title.get(lang))
                ));
            }
        }
    }
    prompter.say("");
    prompter.say(&ui.get(lang, "wizard.plain.next"));
}
