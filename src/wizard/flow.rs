//! The wizard as a pure state machine: the questionnaire position, the answer being edited, the
//! live findings, the summary, drill-down, data-flow and decision screens. `Flow::handle` takes
//! one event and returns the effects the driver must carry out (save, reload, write documents,
//! quit); it does no I/O and knows nothing of ratatui or inquire, so the full-screen front end,
//! the line-mode front end and the tests all drive this same machine.

mod review;

use std::collections::BTreeSet;

use crate::condition::Leaf;
use crate::docs::OnEdited;
use crate::evaluate::{self, Certainty, Findings, Status};
use crate::i18n::Ui;
use crate::model::{
    Answer, AnswerSource, Assessment, Decision, DecisionStatus, Dimension, Knowledge, Lang,
    MAX_TEXT_CHARS, NOT_SURE, Question, QuestionKind, Severity, Value,
};

/// A semantic command. Front ends map their keys (or prompts) onto these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// Space: tick an option, mark a mitigation done.
    Toggle,
    /// Enter: accept the answer and move on; open the selected finding; confirm a form.
    Accept,
    /// The previous question; from a sub-screen, the screen it came from.
    Back,
    /// The next question, leaving this one unanswered for now.
    Skip,
    Backspace,
    Delete,
    /// Next field in a form.
    NextField,
    ToggleWhy,
    ToggleLang,
    Help,
    /// Close an overlay or sub-screen (Esc).
    Close,
    Summary,
    DataFlow,
    WriteDocs,
    Quit,
    /// Drill-down: mark the selected mitigation done (or open again).
    MarkDone,
    /// Drill-down: accept the finding's risk (asks for a reason and an expiry date).
    AcceptRisk,
    /// Drill-down: mark the finding not applicable (asks for a reason).
    NotApplicable,
    /// Drill-down: remove the decision on the finding.
    Reopen,
    /// Conflict dialog: take the file on disk, dropping the unsaved change.
    Reload,
    /// Conflict dialog: overwrite the file on disk with the wizard's answers.
    Overwrite,
}

/// What a driver feeds the machine: commands, typed text, and the results of effects.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Cmd(Command),
    Char(char),
    Paste(String),
    /// Answers the current question directly (line mode and tests); validated like typed input.
    Answer(Value),
    Saved,
    SaveConflict,
    SaveFailed(String),
    Reloaded(Box<Assessment>),
    ReloadFailed(String),
    /// The documents written: their paths (to show) and `(file name, SHA-256)` to record in the
    /// assessment's `written`.
    DocsWritten {
        paths: Vec<String>,
        written: Vec<(String, String)>,
    },
    /// Writing stopped: these documents were edited since agentguard wrote them.
    DocsEdited(Vec<String>),
    DocsFailed(String),
    DocsUnavailable,
}

impl From<Command> for Event {
    fn from(c: Command) -> Event {
        Event::Cmd(c)
    }
}

/// What the driver must do after an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Write `Flow::assessment()` to the file (atomically) and report `Saved` / `SaveConflict`
    /// / `SaveFailed`.
    Save,
    /// Re-read the file and report `Reloaded` / `ReloadFailed`.
    Reload,
    /// Forget what was read and save over the file on disk.
    Overwrite,
    /// Write the documents and report `DocsWritten` / `DocsEdited` / `DocsFailed` /
    /// `DocsUnavailable`; an edited document is handled as the policy says.
    WriteDocs(OnEdited),
    Quit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Question,
    Summary,
    /// The drill-down of one finding, by threat index.
    Detail(usize),
    DataFlow,
    /// `agentguard review`: the overview of what changed since the last review.
    Review,
    /// `agentguard review`: confirm the stale answers of one section with one key.
    Confirm,
    /// `agentguard review`: decide on an acceptance that expired or ends soon.
    Acceptance,
}

/// Where key bindings apply; the front end's key table is keyed by this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    Question,
    /// A text or number question: printable keys type.
    Typing,
    Summary,
    Detail,
    DataFlow,
    Help,
    Form,
    Conflict,
    /// The "this looks like a secret" question.
    ConfirmSecret,
    /// The "you edited these documents" question.
    DocsEdited,
    /// The review overview.
    Review,
    /// The review's confirm screen of a section.
    Confirm,
    /// The review's screen deciding on an acceptance that expired or ends soon.
    Acceptance,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A message for the user, kept as a locale key so a language switch re-renders it.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Notice {
    fn info(key: &'static str) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            key,
            args: Vec::new(),
        }
    }
    fn error(key: &'static str) -> Notice {
        Notice {
            kind: NoticeKind::Error,
            key,
            args: Vec::new(),
        }
    }
    #[must_use]
    fn arg(mut self, name: &'static str, value: impl Into<String>) -> Notice {
        self.args.push((name, value.into()));
        self
    }

    pub fn text(&self, ui: &Ui, lang: Lang) -> String {
        ui.fmt(lang, self.key, &self.args)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing to save yet, or everything is on disk.
    Saved,
    /// A change is not on disk (a save failed or a conflict is open).
    Unsaved,
}

/// A one-line text input: the text and the cursor, in characters. Wide (CJK) characters are
/// measured by the renderer with `unicode-width`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    cursor: usize,
}

impl LineInput {
    pub fn new(text: &str) -> LineInput {
        let mut i = LineInput::default();
        i.insert_str(text);
        i
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor position in characters.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(b, _)| b)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Inserts a character; control characters are dropped (a pasted newline becomes a space).
    pub fn insert(&mut self, c: char) {
        let c = if c == '\n' || c == '\t' || c == '\r' {
            ' '
        } else {
            c
        };
        if c.is_control() || self.len() >= MAX_TEXT_CHARS {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn insert_str(&mut self, s: &str) {
        let s = s.replace("\r\n", "\n");
        for c in s.chars() {
            self.insert(c);
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.text.remove(at);
    }

    pub fn delete(&mut self) {
        if self.cursor < self.len() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len();
    }
}

/// The answer being edited on the current question.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edit {
    /// Row under the cursor, an index into `Flow::offered()`. For a number question with
    /// "not sure", row 0 is the input and row 1 the "not sure" choice.
    pub cursor: usize,
    /// Ticked options (multiple choice), indexed like `offered()`.
    pub checked: Vec<bool>,
    /// The option chosen earlier (single / yes-no), indexed like `offered()`.
    pub chosen: Option<usize>,
    pub input: LineInput,
    /// The values shown are a scan suggestion not yet confirmed.
    pub from_scan: bool,
    /// The user changed something since the question opened.
    pub touched: bool,
}

/// The decision form on the drill-down (accept a risk, or mark it not applicable).
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub status: DecisionStatus,
    pub threat: usize,
    pub reason: LineInput,
    pub until: LineInput,
    /// 0 = reason, 1 = until (accept only).
    pub field: usize,
    pub error: Option<Notice>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    Help,
    Form(Form),
    Conflict,
    /// A text answer or a decision reason looks like a secret: store it anyway, or go back.
    ConfirmSecret(Pending),
    /// Documents the user edited would be replaced: replace, write beside them, or cancel.
    DocsEdited(Vec<String>),
}

/// What waits for the user's word before it is stored.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    /// An answer to the current question.
    Answer(Value),
    /// A decision form whose reason looks like a secret.
    Decision(Form),
}

/// One row of the summary list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryRow {
    /// A dimension heading; `None` is the "possible findings" group.
    Heading(Option<Dimension>),
    /// Index into `Findings::findings`.
    Finding(usize),
}

/// Progress through one section.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SectionProgress {
    pub answered: usize,
    pub visible: usize,
    /// An open definite finding of high or critical severity rests on an answer here.
    pub has_open_high: bool,
}

/// How many days an acceptance holds by default.
pub const DEFAULT_ACCEPT_DAYS: i64 = 90;

/// The state machine.
pub struct Flow<'k> {
    k: &'k Knowledge,
    ui: &'k Ui,
    a: Assessment,
    lang: Lang,
    today: i64,
    clock: fn() -> String,
    findings: Findings,
    screen: Screen,
    overlay: Option<Overlay>,
    /// Index into `Questionnaire::questions` of the question shown.
    pos: usize,
    edit: Edit,
    why_open: bool,
    notice: Option<Notice>,
    save: SaveState,
    /// The assessment as last saved (or read): what is on disk.
    on_disk: Assessment,
    /// Why the last save failed; `None` after a successful one (and during a conflict).
    save_error: Option<String>,
    /// Threats (indices) that became open definite findings with the last answer.
    new_threats: Vec<usize>,
    /// Open definite findings that the last answer settled.
    settled: usize,
    summary_sel: usize,
    detail_sel: usize,
    detail_scroll: u16,
    dataflow_scroll: u16,
    /// The screen to return to from the data-flow view.
    dataflow_return: Screen,
    quit_armed: bool,
    /// The review walk (`agentguard review`); `None` in the wizard.
    review: Option<ReviewWalk>,
}

pub use review::{ACCEPTANCE_START, AcceptanceText, ReviewWalk, renewal_command};

impl<'k> Flow<'k> {
    /// A machine over `assessment`, positioned at the first unanswered visible question (the
    /// summary when every visible question is answered).
    pub fn new(
        k: &'k Knowledge,
        ui: &'k Ui,
        assessment: Assessment,
        lang: Lang,
        today: i64,
    ) -> Self {
        let findings = evaluate::evaluate(k, &assessment, today);
        let mut f = Flow {
            k,
            ui,
            on_disk: assessment.clone(),
            save_error: None,
            a: assessment,
            lang,
            today,
            clock: crate::util::now_rfc3339,
            findings,
            screen: Screen::Question,
            overlay: None,
            pos: 0,
            edit: Edit::default(),
            why_open: false,
            notice: None,
            save: SaveState::Saved,
            new_threats: Vec::new(),
            settled: 0,
            summary_sel: 0,
            detail_sel: 0,
            detail_scroll: 0,
            dataflow_scroll: 0,
            dataflow_return: Screen::Question,
            quit_armed: false,
            review: None,
        };
        f.resume();
        f
    }

    /// Replaces the clock that stamps answers (`util::now_rfc3339` by default).
    #[must_use]
    pub fn with_clock(mut self, clock: fn() -> String) -> Self {
        self.clock = clock;
        self
    }

    fn resume(&mut self) {
        if self.review.is_some() {
            self.review_resume();
            return;
        }
        if let Some(&q) = self.findings.unanswered.first() {
            self.screen = Screen::Question;
            self.open_question(q);
        } else {
            let last = self.findings.visible.last().copied().unwrap_or(0);
            self.open_question(last);
            self.screen = Screen::Summary;
            self.summary_sel = self.first_finding_row();
        }
    }

    // ---- read access for the front ends ------------------------------------------------------

    pub fn knowledge(&self) -> &'k Knowledge {
        self.k
    }
    pub fn ui(&self) -> &'k Ui {
        self.ui
    }
    pub fn assessment(&self) -> &Assessment {
        &self.a
    }
    pub fn lang(&self) -> Lang {
        self.lang
    }
    pub fn today(&self) -> i64 {
        self.today
    }
    pub fn findings(&self) -> &Findings {
        &self.findings
    }
    pub fn screen(&self) -> Screen {
        self.screen
    }
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }
    pub fn position(&self) -> usize {
        self.pos
    }
    pub fn question(&self) -> &'k Question {
        &self.k.questionnaire.questions[self.pos]
    }
    pub fn edit(&self) -> &Edit {
        &self.edit
    }
    pub fn why_open(&self) -> bool {
        self.why_open
    }
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }
    pub fn save_state(&self) -> SaveState {
        self.save
    }
    /// Why the last save failed, while it is not followed by a successful one.
    pub fn save_error(&self) -> Option<&str> {
        self.save_error.as_deref()
    }

    /// The answers (question ids) and decisions (threat or mitigation ids) whose current state
    /// is not on disk, because the saves since they changed failed; `lang` and `written` when
    /// the language or the record of written documents is not.
    pub fn not_on_disk(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let (now, disk) = (&self.a, &self.on_disk);
        if now.lang != disk.lang {
            out.push("lang".into());
        }
        if now.written != disk.written {
            out.push("written".into());
        }
        for (id, a) in &now.answers {
            if disk
                .answers
                .get(id)
                .is_none_or(|d| d.value != a.value || d.confirmed != a.confirmed)
            {
                out.push(id.clone());
            }
        }
        out.extend(
            disk.answers
                .keys()
                .filter(|id| !now.answers.contains_key(*id))
                .cloned(),
        );
        for (id, d) in &now.decisions {
            if disk.decisions.get(id) != Some(d) {
                out.push(id.clone());
            }
        }
        out.extend(
            disk.decisions
                .keys()
                .filter(|id| !now.decisions.contains_key(*id))
                .cloned(),
        );
        out.sort();
        out.dedup();
        out
    }
    pub fn new_threats(&self) -> &[usize] {
        &self.new_threats
    }
    pub fn settled(&self) -> usize {
        self.settled
    }
    pub fn summary_selected(&self) -> usize {
        self.summary_sel
    }
    pub fn detail_selected(&self) -> usize {
        self.detail_sel
    }
    pub fn detail_scroll(&self) -> u16 {
        self.detail_scroll
    }
    pub fn flow_scroll(&self) -> u16 {
        self.dataflow_scroll
    }

    /// Where key bindings apply now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help) => Context::Help,
            Some(Overlay::Form(_)) => Context::Form,
            Some(Overlay::Conflict) => Context::Conflict,
            Some(Overlay::ConfirmSecret(_)) => Context::ConfirmSecret,
            Some(Overlay::DocsEdited(_)) => Context::DocsEdited,
            None => self.base_context(),
        }
    }

    /// The context of the screen under any overlay (what the help overlay explains).
    pub fn base_context(&self) -> Context {
        match self.screen {
            Screen::Question if self.question_is_typing() => Context::Typing,
            Screen::Question => Context::Question,
            Screen::Summary => Context::Summary,
            Screen::Detail(_) => Context::Detail,
            Screen::DataFlow => Context::DataFlow,
            Screen::Review => Context::Review,
            Screen::Confirm => Context::Confirm,
            Screen::Acceptance => Context::Acceptance,
        }
    }

    /// Whether printable keys go into a text input.
    pub fn is_typing(&self) -> bool {
        match &self.overlay {
            Some(Overlay::Form(_)) => true,
            Some(_) => false,
            None => self.question_is_typing(),
        }
    }

    fn question_is_typing(&self) -> bool {
        self.screen == Screen::Question
            && match self.question().kind {
                QuestionKind::Text => true,
                QuestionKind::Number => self.edit.cursor == 0,
                _ => false,
            }
    }

    /// The options offered for the current question (retired ones are not), as indices into
    /// `Question::options`.
    pub fn offered(&self) -> Vec<usize> {
        offered(self.question())
    }

    /// Number questions with "not sure" show it as a second row under the input.
    pub fn has_not_sure_row(&self) -> bool {
        let q = self.question();
        q.kind == QuestionKind::Number && q.not_sure
    }

    /// Position of the current question among the visible ones (1-based) and how many there are.
    pub fn step(&self) -> (usize, usize) {
        let v = &self.findings.visible;
        let i = v.iter().position(|&q| q == self.pos).map_or(0, |i| i + 1);
        (i, v.len())
    }

    pub fn answered_count(&self) -> usize {
        self.findings.visible.len() - self.findings.unanswered.len()
    }

    /// The stored answer to the current question, confirmed or not.
    pub fn current_answer(&self) -> Option<&Answer> {
        self.a.answers.get(&self.question().id)
    }

    /// Progress for every section, in order.
    pub fn sections(&self) -> Vec<SectionProgress> {
        let qn = &self.k.questionnaire;
        let mut out = vec![SectionProgress::default(); qn.sections.len()];
        for &q in &self.findings.visible {
            let s = qn.questions[q].section;
            out[s].visible += 1;
            if !self.findings.unanswered.contains(&q) {
                out[s].answered += 1;
            }
        }
        for f in self
            .findings
            .definite()
            .filter(|f| f.is_open() && f.severity >= Severity::High)
        {
            for leaf in &f.why {
                let q = match leaf {
                    Leaf::Answer { question } | Leaf::ProviderFact { question, .. } => *question,
                };
                out[qn.questions[q].section].has_open_high = true;
            }
        }
        out
    }

    /// The summary list: definite findings grouped by dimension (blind spots first, open and
    /// most severe first), then the possible findings.
    pub fn summary_rows(&self) -> Vec<SummaryRow> {
        let cat = &self.k.catalog;
        let mut rows = Vec::new();
        for d in Dimension::ALL {
            let mut items: Vec<usize> = self
                .findings
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    f.certainty == Certainty::Definite && cat.threats[f.threat].dimension == d
                })
                .map(|(i, _)| i)
                .collect();
            if items.is_empty() {
                continue;
            }
            items.sort_by_key(|&i| {
                let f = &self.findings.findings[i];
                (
                    !f.is_open(),
                    std::cmp::Reverse(f.severity),
                    cat.threats[f.threat].id.as_str(),
                )
            });
            rows.push(SummaryRow::Heading(Some(d)));
            rows.extend(items.into_iter().map(SummaryRow::Finding));
        }
        let mut possible: Vec<usize> = self
            .findings
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.certainty == Certainty::Possible)
            .map(|(i, _)| i)
            .collect();
        if !possible.is_empty() {
            possible.sort_by_key(|&i| {
                let f = &self.findings.findings[i];
                (
                    std::cmp::Reverse(f.severity),
                    cat.threats[f.threat].id.as_str(),
                )
            });
            rows.push(SummaryRow::Heading(None));
            rows.extend(possible.into_iter().map(SummaryRow::Finding));
        }
        rows
    }

    /// The finding shown on the drill-down, if it still applies.
    pub fn detail_finding(&self) -> Option<&evaluate::Finding> {
        match self.screen {
            Screen::Detail(t) => self.findings.findings.iter().find(|f| f.threat == t),
            _ => None,
        }
    }

    // ---- the machine -------------------------------------------------------------------------

    /// Handles one event and returns what the driver must do.
    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        let mut fx = Vec::new();
        match event {
            Event::Cmd(Command::Quit) => {
                if self.save == SaveState::Unsaved && !self.quit_armed {
                    self.quit_armed = true;
                    self.notice = Some(Notice::error("wizard.notice.quit_unsaved"));
                } else {
                    fx.push(Effect::Quit);
                }
                return fx;
            }
            Event::Cmd(Command::ToggleLang) => {
                self.lang = self.lang.other();
                self.a.lang = self.lang;
                self.set_dirty(&mut fx);
                return fx;
            }
            Event::Saved => {
                self.save = SaveState::Saved;
                self.save_error = None;
                self.on_disk.clone_from(&self.a);
                self.quit_armed = false;
                return fx;
            }
            Event::SaveConflict => {
                self.save = SaveState::Unsaved;
                self.save_error = None;
                self.overlay = Some(Overlay::Conflict);
                return fx;
            }
            Event::SaveFailed(detail) => {
                self.save = SaveState::Unsaved;
                self.save_error = Some(detail.clone());
                self.notice =
                    Some(Notice::error("wizard.notice.save_failed").arg("detail", detail));
                return fx;
            }
            Event::Reloaded(a) => {
                self.a = *a;
                self.lang = self.a.lang;
                self.save = SaveState::Saved;
                self.save_error = None;
                self.on_disk.clone_from(&self.a);
                self.reevaluate();
                self.new_threats.clear();
                self.settled = 0;
                self.resume();
                self.notice = Some(Notice::info("wizard.notice.reloaded"));
                return fx;
            }
            Event::ReloadFailed(detail) => {
                self.notice =
                    Some(Notice::error("wizard.notice.reload_failed").arg("detail", detail));
                return fx;
            }
            Event::DocsWritten { paths, written } => {
                self.notice =
                    Some(Notice::info("wizard.notice.docs_written").arg("paths", paths.join(", ")));
                let mut changed = false;
                for (name, hash) in written {
                    if self.a.written.get(&name) != Some(&hash) {
                        self.a.written.insert(name, hash);
                        changed = true;
                    }
                }
                if changed {
                    self.set_dirty(&mut fx);
                }
                return fx;
            }
            Event::DocsEdited(files) => {
                self.overlay = Some(Overlay::DocsEdited(files));
                return fx;
            }
            Event::DocsFailed(detail) => {
                self.notice =
                    Some(Notice::error("wizard.notice.docs_failed").arg("detail", detail));
                return fx;
            }
            Event::DocsUnavailable => {
                self.notice = Some(Notice::info("wizard.notice.docs_unavailable"));
                return fx;
            }
            _ => {}
        }
        if !matches!(event, Event::Cmd(Command::Quit)) {
            self.quit_armed = false;
        }
        match self.overlay.take() {
            Some(Overlay::Help) => {
                // Any key closes the help; it does nothing else.
                return fx;
            }
            Some(Overlay::Conflict) => {
                match event {
                    Event::Cmd(Command::Reload) => fx.push(Effect::Reload),
                    Event::Cmd(Command::Overwrite) => fx.push(Effect::Overwrite),
                    Event::Cmd(Command::Close | Command::Back) => {
                        self.notice = Some(Notice::error("wizard.notice.not_saved"));
                    }
                    _ => self.overlay = Some(Overlay::Conflict),
                }
                return fx;
            }
            Some(Overlay::Form(form)) => {
                self.on_form(form, event, &mut fx);
                return fx;
            }
            Some(Overlay::ConfirmSecret(pending)) => {
                self.on_confirm_secret(pending, &event, &mut fx);
                return fx;
            }
            Some(Overlay::DocsEdited(files)) => {
                match event {
                    Event::Cmd(Command::Overwrite) => fx.push(Effect::WriteDocs(OnEdited::Replace)),
                    Event::Cmd(Command::Accept) => fx.push(Effect::WriteDocs(OnEdited::Beside)),
                    Event::Cmd(Command::Close | Command::Back) => {
                        self.notice = Some(Notice::info("wizard.notice.docs_cancelled"));
                    }
                    _ => self.overlay = Some(Overlay::DocsEdited(files)),
                }
                return fx;
            }
            None => {}
        }
        if event == Event::Cmd(Command::Help) {
            self.overlay = Some(Overlay::Help);
            return fx;
        }
        match self.screen {
            Screen::Question => self.on_question(event, &mut fx),
            Screen::Summary => self.on_summary(&event, &mut fx),
            Screen::Detail(t) => self.on_detail(t, &event, &mut fx),
            Screen::DataFlow => self.on_dataflow(&event),
            Screen::Review => self.on_review_overview(&event, &mut fx),
            Screen::Confirm => self.on_review_confirm(&event, &mut fx),
            Screen::Acceptance => self.on_review_acceptance(&event, &mut fx),
        }
        fx
    }

    fn set_dirty(&mut self, fx: &mut Vec<Effect>) {
        self.save = SaveState::Unsaved;
        fx.push(Effect::Save);
    }

    fn reevaluate(&mut self) {
        self.findings = evaluate::evaluate(self.k, &self.a, self.today);
    }

    fn open_question(&mut self, q: usize) {
        self.pos = q;
        self.why_open = false;
        let question = self.question();
        let offered = offered(question);
        let mut edit = Edit {
            checked: vec![false; offered.len()],
            ..Edit::default()
        };
        if let Some(ans) = self.a.answers.get(&question.id) {
            edit.from_scan = !ans.counts();
            let index = |id: &str| offered.iter().position(|&o| question.options[o].id == id);
            match (&ans.value, question.kind) {
                (Value::Choice(c), QuestionKind::Number) if c == NOT_SURE => edit.cursor = 1,
                (Value::Choice(c), _) => {
                    edit.chosen = index(c);
                    edit.cursor = edit.chosen.unwrap_or(0);
                }
                (Value::Choices(cs), _) => {
                    for c in cs {
                        if let Some(i) = index(c) {
                            edit.checked[i] = true;
                        }
                    }
                    edit.cursor = edit.checked.iter().position(|&c| c).unwrap_or(0);
                }
                (Value::Number(n), _) => edit.input = LineInput::new(&crate::util::fmt_number(*n)),
                (Value::Text(t), _) => edit.input = LineInput::new(t),
            }
        }
        self.edit = edit;
    }

    fn next_visible(&self, after: usize) -> Option<usize> {
        self.findings.visible.iter().copied().find(|&q| q > after)
    }

    fn prev_visible(&self, before: usize) -> Option<usize> {
        self.findings
            .visible
            .iter()
            .rev()
            .copied()
            .find(|&q| q < before)
    }

    fn go_forward(&mut self, fx: &mut Vec<Effect>) {
        if self.review.is_some() {
            self.review_forward(fx);
            return;
        }
        match self.next_visible(self.pos) {
            Some(q) => self.open_question(q),
            None => self.open_summary(),
        }
    }

    fn open_summary(&mut self) {
        self.screen = Screen::Summary;
        let rows = self.summary_rows();
        if !matches!(rows.get(self.summary_sel), Some(SummaryRow::Finding(_))) {
            self.summary_sel = self.first_finding_row();
        }
    }

    fn first_finding_row(&self) -> usize {
        self.summary_rows()
            .iter()
            .position(|r| matches!(r, SummaryRow::Finding(_)))
            .unwrap_or(0)
    }

    fn on_question(&mut self, event: Event, fx: &mut Vec<Effect>) {
        let kind = self.question().kind;
        let rows = self.rows();
        match event {
            Event::Cmd(Command::Up) => self.edit.cursor = self.edit.cursor.saturating_sub(1),
            Event::Cmd(Command::Down) => {
                self.edit.cursor = (self.edit.cursor + 1).min(rows.saturating_sub(1));
            }
            Event::Cmd(Command::Home) if !self.is_typing() => self.edit.cursor = 0,
            Event::Cmd(Command::End) if !self.is_typing() => {
                self.edit.cursor = rows.saturating_sub(1);
            }
            Event::Cmd(Command::Toggle) if kind == QuestionKind::Multiple => self.toggle(),
            Event::Cmd(Command::Toggle) if kind.has_options() => {
                self.edit.chosen = Some(self.edit.cursor);
                self.edit.touched = true;
            }
            Event::Cmd(Command::Toggle) if self.is_typing() => self.type_char(' '),
            Event::Cmd(Command::Accept) => match self.value_from_edit() {
                Ok(v) if self.needs_secret_confirm(&v) => {
                    self.overlay = Some(Overlay::ConfirmSecret(Pending::Answer(v)));
                }
                Ok(v) => self.commit(v, fx),
                Err(n) => self.notice = Some(n),
            },
            Event::Answer(v) => match validate(self.question(), v) {
                Ok(v) => {
                    self.edit.touched = !self.current_answer().is_some_and(|a| a.value == v);
                    if self.needs_secret_confirm(&v) {
                        // Line mode asks again with what was typed.
                        if let Value::Text(t) = &v {
                            self.edit.input = LineInput::new(t);
                        }
                        self.overlay = Some(Overlay::ConfirmSecret(Pending::Answer(v)));
                    } else {
                        self.commit(v, fx);
                    }
                }
                Err(n) => self.notice = Some(n),
            },
            Event::Cmd(Command::Back) if self.review.is_some() => self.review_back(),
            Event::Cmd(Command::Back) => match self.prev_visible(self.pos) {
                Some(q) => {
                    self.notice = None;
                    self.open_question(q);
                }
                None => self.notice = Some(Notice::info("wizard.notice.first_question")),
            },
            Event::Cmd(Command::Skip) => {
                self.notice = None;
                self.go_forward(fx);
            }
            Event::Cmd(Command::ToggleWhy) => self.why_open = !self.why_open,
            Event::Cmd(Command::Summary) => {
                self.notice = None;
                self.open_summary();
            }
            Event::Cmd(Command::DataFlow) => self.open_dataflow(),
            Event::Char(c) if self.is_typing() => self.type_char(c),
            Event::Paste(s) if self.is_typing() => {
                self.edit.input.insert_str(&s);
                self.edit.touched = true;
            }
            Event::Cmd(c) if self.is_typing() => {
                let input = &mut self.edit.input;
                match c {
                    Command::Backspace => input.backspace(),
                    Command::Delete => input.delete(),
                    Command::Left => input.left(),
                    Command::Right => input.right(),
                    Command::Home => input.home(),
                    Command::End => input.end(),
                    _ => return,
                }
                self.edit.touched = true;
            }
            _ => {}
        }
    }

    /// A new text answer that looks like a credential is stored only after the user confirms
    /// it (the assessment file is meant to be committed and shared).
    fn needs_secret_confirm(&self, v: &Value) -> bool {
        matches!(v, Value::Text(t) if crate::redact::looks_secret(t))
            && !self.current_answer().is_some_and(|a| a.value == *v)
    }

    fn on_confirm_secret(&mut self, pending: Pending, event: &Event, fx: &mut Vec<Effect>) {
        match (event, pending) {
            (Event::Cmd(Command::Accept), Pending::Answer(v)) => {
                self.edit.touched = true;
                self.commit(v, fx);
            }
            (Event::Cmd(Command::Accept), Pending::Decision(form)) => {
                self.accept_form(form, true, fx);
            }
            (Event::Cmd(Command::Close | Command::Back), Pending::Answer(_)) => {
                self.notice = Some(Notice::info("wizard.secret.not_stored"));
            }
            (Event::Cmd(Command::Close | Command::Back), Pending::Decision(form)) => {
                self.overlay = Some(Overlay::Form(form));
            }
            (_, pending) => self.overlay = Some(Overlay::ConfirmSecret(pending)),
        }
    }

    fn type_char(&mut self, c: char) {
        self.edit.input.insert(c);
        self.edit.touched = true;
        if self
            .notice
            .as_ref()
            .is_some_and(|n| n.kind == NoticeKind::Error)
        {
            self.notice = None;
        }
    }

    /// Rows the cursor moves over on the current question.
    fn rows(&self) -> usize {
        let q = self.question();
        match q.kind {
            QuestionKind::Number if q.not_sure => 2,
            QuestionKind::Number | QuestionKind::Text => 1,
            _ => offered(q).len(),
        }
    }

    /// Ticks or unticks the option under the cursor; an exclusive option ("none", "not sure")
    /// clears the others, and any other option clears the exclusive ones.
    fn toggle(&mut self) {
        let q = self.question();
        let offered = offered(q);
        let i = self.edit.cursor;
        let Some(&opt) = offered.get(i) else { return };
        let now = !self.edit.checked[i];
        self.edit.checked[i] = now;
        if now {
            let exclusive = |o: usize| q.options[o].exclusive || q.options[o].is_not_sure;
            let this_exclusive = exclusive(opt);
            for (j, &o) in offered.iter().enumerate() {
                if j != i && (this_exclusive || exclusive(o)) {
                    self.edit.checked[j] = false;
                }
            }
        }
        self.edit.touched = true;
        self.notice = None;
    }

    fn value_from_edit(&self) -> Result<Value, Notice> {
        let q = self.question();
        let offered = offered(q);
        let v = match q.kind {
            QuestionKind::Single | QuestionKind::YesNo => {
                let i = self.edit.cursor;
                let o = offered
                    .get(i)
                    .ok_or_else(|| Notice::error("wizard.notice.pick_one"))?;
                Value::Choice(q.options[*o].id.clone())
            }
            QuestionKind::Multiple => {
                let cs: Vec<String> = offered
                    .iter()
                    .zip(&self.edit.checked)
                    .filter(|(_, c)| **c)
                    .map(|(&o, _)| q.options[o].id.clone())
                    .collect();
                Value::Choices(cs)
            }
            QuestionKind::Number if q.not_sure && self.edit.cursor == 1 => {
                Value::Choice(NOT_SURE.into())
            }
            QuestionKind::Number => {
                Value::Number(parse_number(self.edit.input.text()).ok_or_else(|| {
                    Notice::error("wizard.notice.not_a_number")
                        .arg("text", crate::redact::redact(self.edit.input.text()))
                })?)
            }
            QuestionKind::Text => Value::Text(self.edit.input.text().trim().to_string()),
        };
        validate(q, v)
    }

    /// Stores the answer, saves, re-evaluates and moves on.
    fn commit(&mut self, value: Value, fx: &mut Vec<Effect>) {
        let q = self.question();
        let before: BTreeSet<usize> = open_definite(&self.findings);
        let at = (self.clock)();
        let answer = match self.a.answers.get(&q.id) {
            // Enter on an untouched scan suggestion confirms it and keeps its evidence.
            Some(old) if self.edit.from_scan && !self.edit.touched && old.value == value => {
                Answer {
                    value,
                    at,
                    source: AnswerSource::Scan,
                    confirmed: true,
                    evidence: old.evidence.clone(),
                }
            }
            _ => Answer {
                value,
                at,
                source: AnswerSource::User,
                confirmed: true,
                evidence: None,
            },
        };
        // Re-accepting an unchanged answer does not rewrite its time stamp.
        let unchanged = self.a.answers.get(&q.id).is_some_and(|old| {
            old.counts() && old.value == answer.value && old.source == answer.source
        });
        if !unchanged {
            self.a.answers.insert(q.id.clone(), answer);
            self.set_dirty(fx);
            self.reevaluate();
            let after = open_definite(&self.findings);
            self.new_threats = after.difference(&before).copied().collect();
            self.new_threats
                .sort_by_key(|&t| std::cmp::Reverse(self.k.catalog.threats[t].severity));
            self.settled = before.difference(&after).count();
        }
        self.notice = None;
        self.go_forward(fx);
    }

    fn open_dataflow(&mut self) {
        if self.screen != Screen::DataFlow {
            self.dataflow_return = self.screen;
        }
        self.screen = Screen::DataFlow;
        self.dataflow_scroll = 0;
    }

    fn on_summary(&mut self, event: &Event, fx: &mut Vec<Effect>) {
        let rows = self.summary_rows();
        let is_finding = |i: usize| matches!(rows.get(i), Some(SummaryRow::Finding(_)));
        match event {
            Event::Cmd(Command::Up) => {
                if let Some(i) = (0..self.summary_sel).rev().find(|&i| is_finding(i)) {
                    self.summary_sel = i;
                }
            }
            Event::Cmd(Command::Down) => {
                if let Some(i) = (self.summary_sel + 1..rows.len()).find(|&i| is_finding(i)) {
                    self.summary_sel = i;
                }
            }
            Event::Cmd(Command::PageDown) => {
                for _ in 0..10 {
                    self.on_summary(&Event::Cmd(Command::Down), fx);
                }
            }
            Event::Cmd(Command::PageUp) => {
                for _ in 0..10 {
                    self.on_summary(&Event::Cmd(Command::Up), fx);
                }
            }
            Event::Cmd(Command::Home) => self.summary_sel = self.first_finding_row(),
            Event::Cmd(Command::End) => {
                if let Some(i) = (0..rows.len()).rev().find(|&i| is_finding(i)) {
                    self.summary_sel = i;
                }
            }
            Event::Cmd(Command::Accept | Command::Right) => {
                if let Some(SummaryRow::Finding(i)) = rows.get(self.summary_sel) {
                    self.screen = Screen::Detail(self.findings.findings[*i].threat);
                    self.detail_sel = 0;
                    self.detail_scroll = 0;
                    self.notice = None;
                }
            }
            Event::Cmd(Command::Back | Command::Left | Command::Close) if self.review.is_some() => {
                self.notice = None;
                self.review_resume();
            }
            Event::Cmd(Command::Back | Command::Left | Command::Close) => {
                self.notice = None;
                self.screen = Screen::Question;
                let q = self
                    .findings
                    .unanswered
                    .first()
                    .or(self.findings.visible.last())
                    .copied()
                    .unwrap_or(0);
                self.open_question(q);
            }
            Event::Cmd(Command::DataFlow) => self.open_dataflow(),
            Event::Cmd(Command::WriteDocs) => fx.push(Effect::WriteDocs(OnEdited::Stop)),
            _ => {}
        }
    }

    fn on_detail(&mut self, threat: usize, event: &Event, fx: &mut Vec<Effect>) {
        // The mitigations the drill-down shows: the finding's own list, which leaves out those
        // whose `needs` is false for this agent.
        let mitigations: Vec<usize> = self
            .findings
            .findings
            .iter()
            .find(|x| x.threat == threat)
            .map_or_else(
                || self.k.catalog.threats[threat].mitigations.clone(),
                |x| x.mitigations.iter().map(|&(m, _)| m).collect(),
            );
        let n = mitigations.len();
        match event {
            Event::Cmd(Command::Up) => self.detail_sel = self.detail_sel.saturating_sub(1),
            Event::Cmd(Command::Down) => {
                self.detail_sel = (self.detail_sel + 1).min(n.saturating_sub(1));
            }
            Event::Cmd(Command::PageDown) => {
                self.detail_scroll = self.detail_scroll.saturating_add(5);
            }
            Event::Cmd(Command::PageUp) => {
                self.detail_scroll = self.detail_scroll.saturating_sub(5);
            }
            Event::Cmd(Command::Back | Command::Left | Command::Close) => {
                self.screen = Screen::Summary;
                self.notice = None;
                // Keep the selection on the same finding, wherever it moved after a decision.
                let rows = self.summary_rows();
                if let Some(i) = rows.iter().position(|r| {
                    matches!(r, SummaryRow::Finding(f) if self.findings.findings[*f].threat == threat)
                }) {
                    self.summary_sel = i;
                } else {
                    self.open_summary();
                }
            }
            Event::Cmd(Command::MarkDone | Command::Toggle) => {
                let Some(&m) = mitigations.get(self.detail_sel) else {
                    return;
                };
                let id = self.k.catalog.mitigations[m].id.clone();
                let done = self
                    .a
                    .decisions
                    .get(&id)
                    .is_some_and(|d| d.status == DecisionStatus::Done);
                if done {
                    self.a.decisions.remove(&id);
                    self.notice = Some(Notice::info("wizard.notice.mitigation_open"));
                } else {
                    self.a.decisions.insert(
                        id,
                        Decision {
                            status: DecisionStatus::Done,
                            reason: None,
                            until: None,
                            at: crate::util::format_date(self.today),
                        },
                    );
                    self.notice = Some(Notice::info("wizard.notice.mitigation_done"));
                }
                self.reevaluate();
                self.set_dirty(fx);
            }
            Event::Cmd(Command::AcceptRisk) => {
                self.overlay = Some(Overlay::Form(Form {
                    status: DecisionStatus::Accepted,
                    threat,
                    reason: LineInput::default(),
                    until: LineInput::new(&crate::util::format_date(
                        self.today + DEFAULT_ACCEPT_DAYS,
                    )),
                    field: 0,
                    error: None,
                }));
            }
            Event::Cmd(Command::NotApplicable) => {
                self.overlay = Some(Overlay::Form(Form {
                    status: DecisionStatus::NotApplicable,
                    threat,
                    reason: LineInput::default(),
                    until: LineInput::default(),
                    field: 0,
                    error: None,
                }));
            }
            Event::Cmd(Command::Reopen) => {
                let id = self.k.catalog.threats[threat].id.clone();
                if self.a.decisions.remove(&id).is_some() {
                    self.notice = Some(Notice::info("wizard.notice.reopened"));
                    self.reevaluate();
                    self.set_dirty(fx);
                }
            }
            Event::Cmd(Command::DataFlow) => self.open_dataflow(),
            _ => {}
        }
    }

    fn on_form(&mut self, mut form: Form, event: Event, fx: &mut Vec<Effect>) {
        let fields = if form.status == DecisionStatus::Accepted {
            2
        } else {
            1
        };
        let input = if form.field == 0 {
            &mut form.reason
        } else {
            &mut form.until
        };
        match event {
            Event::Cmd(Command::Close) => return,
            Event::Char(c) => input.insert(c),
            Event::Paste(s) => input.insert_str(&s),
            Event::Cmd(Command::Toggle) => input.insert(' '),
            Event::Cmd(Command::Backspace) => input.backspace(),
            Event::Cmd(Command::Delete) => input.delete(),
            Event::Cmd(Command::Left) => input.left(),
            Event::Cmd(Command::Right) => input.right(),
            Event::Cmd(Command::Home) => input.home(),
            Event::Cmd(Command::End) => input.end(),
            Event::Cmd(
                Command::NextField | Command::Down | Command::Up | Command::Skip | Command::Back,
            ) => {
                form.field = (form.field + 1) % fields;
            }
            Event::Cmd(Command::Accept) => {
                self.accept_form(form, false, fx);
                return;
            }
            _ => {}
        }
        form.error = None;
        self.overlay = Some(Overlay::Form(form));
    }

    /// Checks the decision form and stores the decision; a reason that looks like a secret is
    /// stored only once `secret_ok`.
    fn accept_form(&mut self, mut form: Form, secret_ok: bool, fx: &mut Vec<Effect>) {
        let reason = form.reason.text().trim().to_string();
        if reason.is_empty() {
            form.error = Some(Notice::error("wizard.form.need_reason"));
            form.field = 0;
            self.overlay = Some(Overlay::Form(form));
            return;
        }
        let until = if form.status == DecisionStatus::Accepted {
            let u = form.until.text().trim().to_string();
            match crate::util::parse_date(&u) {
                Some(d) if d >= self.today => Some(crate::util::format_date(d)),
                _ => {
                    form.error = Some(
                        Notice::error("wizard.form.bad_date")
                            .arg("text", crate::redact::redact(&u)),
                    );
                    form.field = 1;
                    self.overlay = Some(Overlay::Form(form));
                    return;
                }
            }
        } else {
            None
        };
        if !secret_ok && crate::redact::looks_secret(&reason) {
            self.overlay = Some(Overlay::ConfirmSecret(Pending::Decision(form)));
            return;
        }
        let id = self.k.catalog.threats[form.threat].id.clone();
        self.a.decisions.insert(
            id,
            Decision {
                status: form.status,
                reason: Some(reason),
                until,
                at: crate::util::format_date(self.today),
            },
        );
        self.notice = Some(Notice::info(if form.status == DecisionStatus::Accepted {
            "wizard.notice.accepted"
        } else {
            "wizard.notice.not_applicable"
        }));
        self.reevaluate();
        self.set_dirty(fx);
    }

    fn on_dataflow(&mut self, event: &Event) {
        match event {
            Event::Cmd(Command::Down) => {
                self.dataflow_scroll = self.dataflow_scroll.saturating_add(1);
            }
            Event::Cmd(Command::Up) => {
                self.dataflow_scroll = self.dataflow_scroll.saturating_sub(1);
            }
            Event::Cmd(Command::PageDown) => {
                self.dataflow_scroll = self.dataflow_scroll.saturating_add(10);
            }
            Event::Cmd(Command::PageUp) => {
                self.dataflow_scroll = self.dataflow_scroll.saturating_sub(10);
            }
            Event::Cmd(Command::Back | Command::Close | Command::Left | Command::DataFlow) => {
                self.screen = self.dataflow_return;
            }
            _ => {}
        }
    }

    /// The status a finding has in the summary, with an expired acceptance shown as such.
    pub fn status_key(f: &evaluate::Finding) -> &'static str {
        if f.acceptance_expired {
            return "status.expired";
        }
        match f.status {
            Status::Open => "status.open",
            Status::Mitigated => "status.mitigated",
            Status::Accepted => "status.accepted",
            Status::NotApplicable => "status.not_applicable",
        }
    }
}

fn offered(q: &Question) -> Vec<usize> {
    q.options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.retired.is_none())
        .map(|(i, _)| i)
        .collect()
}

fn open_definite(f: &Findings) -> BTreeSet<usize> {
    f.definite()
        .filter(|x| x.is_open())
        .map(|x| x.threat)
        .collect()
}

/// Checks a value against its question the way the loader will when the file is read back, so
/// the wizard never writes a file it would refuse.
pub fn validate(q: &Question, value: Value) -> Result<Value, Notice> {
    match (q.kind, value) {
        (QuestionKind::Single | QuestionKind::YesNo, Value::Choice(c)) => {
            if q.option(&c).is_some_and(|o| o.retired.is_none()) {
                Ok(Value::Choice(c))
            } else {
                Err(Notice::error("wizard.notice.pick_one"))
            }
        }
        (QuestionKind::Multiple, Value::Choices(cs)) => {
            if cs.is_empty() {
                return Err(Notice::error("wizard.notice.pick_at_least_one"));
            }
            let mut seen = BTreeSet::new();
            for c in &cs {
                if q.option(c).is_none_or(|o| o.retired.is_some()) || !seen.insert(c) {
                    return Err(Notice::error("wizard.notice.pick_at_least_one"));
                }
            }
            let exclusive = cs
                .iter()
                .filter(|c| q.option(c).is_some_and(|o| o.exclusive || o.is_not_sure))
                .count();
            if exclusive > 0 && cs.len() > 1 {
                return Err(Notice::error("wizard.notice.exclusive"));
            }
            Ok(Value::Choices(cs))
        }
        (QuestionKind::Number, Value::Number(n)) => {
            let low = q.min.is_some_and(|m| n < m);
            let high = q.max.is_some_and(|m| n > m);
            if !n.is_finite() || low || high {
                return Err(Notice::error("wizard.notice.out_of_range")
                    .arg(
                        "min",
                        q.min.map_or_else(|| "…".into(), crate::util::fmt_number),
                    )
                    .arg(
                        "max",
                        q.max.map_or_else(|| "…".into(), crate::util::fmt_number),
                    ));
            }
            Ok(Value::Number(n))
        }
        (QuestionKind::Number, Value::Choice(c)) if q.not_sure && c == NOT_SURE => {
            Ok(Value::Choice(c))
        }
        (QuestionKind::Text, Value::Text(t)) => {
            let t = t.trim().to_string();
            if t.is_empty() {
                Err(Notice::error("wizard.notice.empty_text"))
            } else if t.chars().count() > MAX_TEXT_CHARS {
                Err(Notice::error("wizard.notice.too_long").arg("max", MAX_TEXT_CHARS.to_string()))
            } else {
                Ok(Value::Text(t))
            }
        }
        _ => Err(Notice::error("wizard.notice.pick_one")),
    }
}

/// Reads a number as people type it: `2000`, `2,000`, `2 000`, `1.5k`, `10万`, `1亿`.
pub fn parse_number(s: &str) -> Option<f64> {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '_' | ' ' | '\u{a0}'))
        .collect();
    let (digits, factor) = if let Some(d) = cleaned.strip_suffix('万') {
        (d, 1e4)
    } else if let Some(d) = cleaned.strip_suffix('亿') {
        (d, 1e8)
    } else if let Some(d) = cleaned.strip_suffix(['k', 'K']) {
        (d, 1e3)
    } else if let Some(d) = cleaned.strip_suffix(['m', 'M']) {
        (d, 1e6)
    } else {
        (cleaned.as_str(), 1.0)
    };
    let n: f64 = digits.parse().ok()?;
    let n = n * factor;
    n.is_finite().then_some(n)
}

impl Flow<'_> {
    /// Answers kept under retired questions (issue 13 §5): they count for nothing, and the
    /// wizard should list them so the user answers the questions that replace them.
    pub fn retired_answers(&self) -> Vec<crate::load::RetiredAnswer> {
        crate::load::retired_answers(self.knowledge(), self.assessment())
    }
}
