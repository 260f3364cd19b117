//! The review walk of the wizard's state machine (`agentguard review`): the same `Flow`, the same
//! question screen and the same saving, restricted to the steps of a [`ReviewPlan`]. It opens on
//! an overview of the plan; Enter walks through the questions to ask again one by one and, per
//! section, one screen that confirms the section's stale answers with one key, then one
//! single-choice screen per acceptance that expired or ends soon (keep accepting, reopen, mark
//! done, leave it); when the last step is done the review is recorded in the assessment (and
//! saved like any answer). Quitting before that records nothing, but keeps every answer and
//! decision given.

use crate::i18n::Ui;
use crate::model::{Assessment, DecisionStatus, Knowledge, Lang};
use crate::review::{self, Renewal, ReviewPlan, Step};

use super::{Command, Effect, Event, Flow, Notice, Screen};

/// Where a review walk is.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewWalk {
    pub plan: ReviewPlan,
    pub steps: Vec<Step>,
    /// Index of the current step (`steps.len()` once finished).
    pub at: usize,
    /// A question opened from a confirm screen: answering it returns there.
    pub detour: bool,
    /// Selected row on a confirm screen; the choice under the cursor on an acceptance screen
    /// (an index into [`Renewal::ALL`]).
    pub selected: usize,
    /// Scroll of the overview, in lines.
    pub scroll: u16,
    /// The review is recorded.
    pub done: bool,
}

/// Where the cursor starts on an acceptance screen: "leave it as it is", so an Enter pressed
/// without reading neither extends the acceptance of a risk nor claims a fix.
pub const ACCEPTANCE_START: usize = 3;

/// What an acceptance screen shows, in the flow's language; catalog and user text in it is not
/// escaped yet (each front end escapes for its output).
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptanceText {
    /// The decision's id (a threat or a mitigation).
    pub id: String,
    /// The threat (or mitigation) with its severity now.
    pub heading: String,
    /// When the acceptance ends or ended, and the reason recorded.
    pub lines: Vec<String>,
    pub prompt: String,
    /// One label per [`Renewal::ALL`], in that order.
    pub choices: Vec<String>,
    /// The choice under the cursor.
    pub selected: usize,
    /// The acceptance has ended (its `until` day is past).
    pub expired: bool,
}

/// The command that picks `choice` on an acceptance screen (a front end binds a key to it).
pub fn renewal_command(choice: Renewal) -> Command {
    match choice {
        Renewal::Extend => Command::AcceptRisk,
        Renewal::Reopen => Command::Reopen,
        Renewal::Done => Command::MarkDone,
        Renewal::Leave => Command::Skip,
    }
}

impl<'k> Flow<'k> {
    /// A machine over `assessment` that walks through a review: it opens on the overview of
    /// what changed since the last review.
    pub fn review(
        k: &'k Knowledge,
        ui: &'k Ui,
        assessment: Assessment,
        lang: Lang,
        today: i64,
    ) -> Self {
        let mut f = Flow::new(k, ui, assessment, lang, today);
        let plan = review::plan(k, &f.a, &f.findings, today);
        let steps = plan.walk(k, &f.findings);
        f.review = Some(ReviewWalk {
            plan,
            steps,
            at: 0,
            detour: false,
            selected: 0,
            scroll: 0,
            done: false,
        });
        f.screen = Screen::Review;
        f
    }

    /// The review walk, when this machine runs one.
    pub fn review_walk(&self) -> Option<&ReviewWalk> {
        self.review.as_ref()
    }

    /// The questions of the confirm screen shown now.
    pub fn confirm_questions(&self) -> &[usize] {
        match self.review.as_ref().and_then(|r| r.steps.get(r.at)) {
            Some(Step::Confirm { questions, .. }) if self.screen == Screen::Confirm => questions,
            _ => &[],
        }
    }

    /// Position in the walk (1-based) and its length, for the header of a step.
    pub fn review_step(&self) -> Option<(usize, usize)> {
        self.review
            .as_ref()
            .map(|r| ((r.at + 1).min(r.steps.len()), r.steps.len()))
    }

    pub(super) fn on_review_overview(&mut self, event: &Event, fx: &mut Vec<Effect>) {
        let Some(r) = self.review.as_mut() else {
            return;
        };
        match event {
            Event::Cmd(Command::Down) => r.scroll = r.scroll.saturating_add(1),
            Event::Cmd(Command::Up) => r.scroll = r.scroll.saturating_sub(1),
            Event::Cmd(Command::PageDown) => r.scroll = r.scroll.saturating_add(10),
            Event::Cmd(Command::PageUp) => r.scroll = r.scroll.saturating_sub(10),
            Event::Cmd(Command::Accept) => {
                if r.done {
                    self.open_summary();
                    return;
                }
                r.at = 0;
                self.notice = None;
                self.review_open(fx);
            }
            _ => {}
        }
    }

    pub(super) fn on_review_confirm(&mut self, event: &Event, fx: &mut Vec<Effect>) {
        let n = self.confirm_questions().len();
        let Some(r) = self.review.as_mut() else {
            return;
        };
        match event {
            Event::Cmd(Command::Up) => r.selected = r.selected.saturating_sub(1),
            Event::Cmd(Command::Down) => r.selected = (r.selected + 1).min(n.saturating_sub(1)),
            Event::Cmd(Command::Accept) => {
                r.at += 1;
                self.notice = Some(Notice::info("review.notice.confirmed"));
                self.review_open(fx);
            }
            Event::Cmd(Command::Toggle | Command::Right) => {
                let selected = r.selected;
                if let Some(&q) = self.confirm_questions().get(selected) {
                    if let Some(r) = self.review.as_mut() {
                        r.detour = true;
                    }
                    self.notice = None;
                    self.screen = Screen::Question;
                    self.open_question(q);
                }
            }
            Event::Cmd(Command::Back | Command::Left | Command::Close) => self.review_back(),
            _ => {}
        }
    }

    /// After a question of the walk is answered or skipped: the next step, or back to the
    /// confirm screen it was opened from (without it, since it is answered anew).
    pub(super) fn review_forward(&mut self, fx: &mut Vec<Effect>) {
        let pos = self.pos;
        let Some(r) = self.review.as_mut() else {
            return;
        };
        if r.detour {
            r.detour = false;
            if let Some(Step::Confirm { questions, .. }) = r.steps.get_mut(r.at) {
                questions.retain(|&q| q != pos);
                if questions.is_empty() {
                    r.at += 1;
                }
            }
            r.selected = 0;
        } else {
            r.at += 1;
        }
        self.review_open(fx);
    }

    /// The previous step (passing over steps with nothing left to show); from the first, the
    /// overview.
    pub(super) fn review_back(&mut self) {
        self.notice = None;
        let Some(r) = self.review.as_mut() else {
            return;
        };
        if r.detour {
            r.detour = false;
            self.screen = Screen::Confirm;
            return;
        }
        let mut i = r.at;
        while i > 0 {
            i -= 1;
            if self.review_step_shows(i) {
                if let Some(r) = self.review.as_mut() {
                    r.at = i;
                }
                self.review_open(&mut Vec::new());
                return;
            }
        }
        if let Some(r) = self.review.as_mut() {
            r.at = 0;
        }
        self.screen = Screen::Review;
    }

    /// Returns to the step shown before the summary or the data-flow view was opened.
    pub(super) fn review_resume(&mut self) {
        match self.review.as_ref() {
            Some(r) if r.done || r.at >= r.steps.len() => self.screen = Screen::Review,
            Some(r) if r.detour => {
                self.screen = Screen::Question;
            }
            Some(_) => self.review_open(&mut Vec::new()),
            None => {}
        }
    }

    /// Whether step `i` still has something to show: its question is still asked, or its
    /// section has stale answers to questions still asked.
    fn review_step_shows(&self, i: usize) -> bool {
        let visible = |q: &usize| self.findings.visible.contains(q);
        match self.review.as_ref().and_then(|r| r.steps.get(i)) {
            Some(Step::Ask(q)) => visible(q),
            Some(Step::Confirm { questions, .. }) => questions.iter().any(visible),
            Some(Step::Acceptance(id)) => self.is_accepted(id),
            None => false,
        }
    }

    /// Shows the current step, passing over steps an earlier answer made moot; after the last,
    /// records the review.
    fn review_open(&mut self, fx: &mut Vec<Effect>) {
        loop {
            let Some(r) = self.review.as_ref() else {
                return;
            };
            if r.at >= r.steps.len() {
                self.review_finish(fx);
                return;
            }
            if self.review_step_shows(r.at) {
                break;
            }
            if let Some(r) = self.review.as_mut() {
                r.at += 1;
            }
        }
        let visible = self.findings.visible.clone();
        let Some(r) = self.review.as_mut() else {
            return;
        };
        match r.steps[r.at].clone() {
            Step::Ask(q) => {
                self.screen = Screen::Question;
                self.open_question(q);
            }
            Step::Confirm { .. } => {
                if let Some(Step::Confirm { questions, .. }) = r.steps.get_mut(r.at) {
                    questions.retain(|q| visible.contains(q));
                }
                r.selected = 0;
                self.screen = Screen::Confirm;
            }
            Step::Acceptance(_) => {
                r.selected = ACCEPTANCE_START;
                self.screen = Screen::Acceptance;
            }
        }
    }

    /// Whether the decision `id` is (still) an acceptance: one changed meanwhile, from the
    /// summary's drill-down, has nothing left to decide.
    fn is_accepted(&self, id: &str) -> bool {
        self.a
            .decisions
            .get(id)
            .is_some_and(|d| d.status == DecisionStatus::Accepted)
    }

    /// The acceptance the screen shown now decides on.
    fn acceptance_id(&self) -> Option<&str> {
        match self.review.as_ref().and_then(|r| r.steps.get(r.at)) {
            Some(Step::Acceptance(id)) if self.screen == Screen::Acceptance => Some(id),
            _ => None,
        }
    }

    pub(super) fn on_review_acceptance(&mut self, event: &Event, fx: &mut Vec<Effect>) {
        let Some(r) = self.review.as_mut() else {
            return;
        };
        let choice = match event {
            Event::Cmd(Command::Up) => {
                r.selected = r.selected.saturating_sub(1);
                return;
            }
            Event::Cmd(Command::Down) => {
                r.selected = (r.selected + 1).min(Renewal::ALL.len() - 1);
                return;
            }
            Event::Cmd(Command::Back | Command::Left | Command::Close) => {
                self.review_back();
                return;
            }
            Event::Cmd(Command::Accept) => Renewal::ALL[r.selected.min(Renewal::ALL.len() - 1)],
            Event::Cmd(c) => match Renewal::ALL.into_iter().find(|&x| renewal_command(x) == *c) {
                Some(x) => x,
                None => return,
            },
            _ => return,
        };
        self.decide_acceptance(choice, fx);
    }

    /// Carries out a choice on the acceptance shown, saves it at once, and moves on.
    pub(super) fn decide_acceptance(&mut self, choice: Renewal, fx: &mut Vec<Effect>) {
        let Some(id) = self.acceptance_id().map(str::to_string) else {
            return;
        };
        if review::renew(&mut self.a, &id, choice, self.today) {
            self.reevaluate();
            self.set_dirty(fx);
        }
        let until = crate::util::format_date(review::extended_until(&self.a, self.today));
        let notice = match choice {
            Renewal::Extend => Notice::info("review.notice.extend").arg("date", until),
            Renewal::Reopen => Notice::info("review.notice.reopen"),
            Renewal::Done => Notice::info("review.notice.done"),
            Renewal::Leave => Notice::info("review.notice.leave"),
        };
        if let Some(r) = self.review.as_mut() {
            r.at += 1;
        }
        self.review_open(fx);
        // Shown on the next step (the review's end sets its own notice).
        if !self.is_review_done() {
            self.notice = Some(notice);
        }
    }

    /// The acceptance screen's text, while one is shown.
    pub fn acceptance(&self) -> Option<AcceptanceText> {
        let id = self.acceptance_id()?;
        let d = self.a.decisions.get(id)?;
        let (k, ui, lang) = (self.k, self.ui, self.lang);
        let sev = |s: crate::model::Severity| ui.get(lang, &format!("severity.{}", s.code()));
        let heading = if let Some(&t) = k.catalog.threat_by_id.get(id) {
            let title = k.catalog.threats[t].title.get(lang).to_string();
            match self.findings.findings.iter().find(|x| x.threat == t) {
                Some(x) => ui.fmt(
                    lang,
                    "review.acceptance.threat",
                    &[("severity", sev(x.severity)), ("title", title)],
                ),
                None => ui.fmt(lang, "review.acceptance.threat_gone", &[("title", title)]),
            }
        } else {
            let m = k.catalog.mitigation_by_id.get(id).copied();
            let title = m.map_or_else(
                || id.to_string(),
                |m| k.catalog.mitigations[m].title.get(lang).to_string(),
            );
            // The most severe finding the measure belongs to.
            let against = self
                .findings
                .findings
                .iter()
                .filter(|x| m.is_some_and(|m| x.mitigations.iter().any(|&(y, _)| y == m)))
                .max_by_key(|x| (x.severity, std::cmp::Reverse(x.threat)));
            match against {
                Some(x) => ui.fmt(
                    lang,
                    "review.acceptance.mitigation",
                    &[
                        ("severity", sev(x.severity)),
                        ("title", title),
                        (
                            "threat",
                            k.catalog.threats[x.threat].title.get(lang).to_string(),
                        ),
                    ],
                ),
                None => ui.fmt(
                    lang,
                    "review.acceptance.mitigation_gone",
                    &[("title", title)],
                ),
            }
        };
        let until = d.until.clone().unwrap_or_default();
        let days = crate::util::parse_date(&until).map_or(-1, |u| u - self.today);
        let ends = match days {
            d if d < 0 => "review.acceptance.expired",
            0 => "review.acceptance.today",
            _ => "review.acceptance.soon",
        };
        let mut lines = vec![ui.fmt(
            lang,
            ends,
            &[("days", days.abs().to_string()), ("date", until.clone())],
        )];
        let reason = d.reason.clone().unwrap_or_else(|| "—".into());
        lines.push(if d.at.is_empty() {
            ui.fmt(
                lang,
                "review.acceptance.reason_undated",
                &[("reason", reason)],
            )
        } else {
            ui.fmt(
                lang,
                "review.acceptance.reason",
                &[("at", d.at.clone()), ("reason", reason)],
            )
        });
        let extended = crate::util::format_date(review::extended_until(&self.a, self.today));
        let choices = Renewal::ALL
            .iter()
            .map(|c| match c {
                Renewal::Extend => ui.fmt(
                    lang,
                    "review.acceptance.extend",
                    &[
                        ("date", extended.clone()),
                        ("days", self.a.review_interval_days.to_string()),
                    ],
                ),
                Renewal::Leave if days < 0 => ui.get(lang, "review.acceptance.leave_expired"),
                Renewal::Leave => {
                    ui.fmt(lang, "review.acceptance.leave", &[("date", until.clone())])
                }
                c => ui.get(lang, &format!("review.acceptance.{}", c.code())),
            })
            .collect();
        Some(AcceptanceText {
            id: id.to_string(),
            heading,
            lines,
            prompt: ui.get(lang, "review.acceptance.prompt"),
            choices,
            selected: self
                .review
                .as_ref()
                .map_or(ACCEPTANCE_START, |r| r.selected),
            expired: days < 0,
        })
    }

    fn review_finish(&mut self, fx: &mut Vec<Effect>) {
        let Some(r) = self.review.as_mut() else {
            return;
        };
        if !r.done {
            r.done = true;
            review::record(self.k, &mut self.a, &self.findings, self.today);
            self.set_dirty(fx);
        }
        self.notice = Some(Notice::info("review.notice.recorded"));
        self.open_summary();
    }

    /// The review is recorded (the walk reached its end).
    pub fn is_review_done(&self) -> bool {
        self.review.as_ref().is_some_and(|r| r.done)
    }
}
