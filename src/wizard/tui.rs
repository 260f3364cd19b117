//! The full-screen front end (ratatui + crossterm). `run` is generic over the ratatui `Backend`,
//! so the whole application runs against `TestBackend` in tests; `run_terminal` sets the real
//! terminal up with `ratatui::try_init` (whose panic hook restores it) and always restores it.
//! Everything is drawn from `&Flow` by widgets; colours live in one `Theme`; the key bindings
//! are declared once in `BINDINGS`, which maps keys to commands and feeds both the footer and
//! the help overlay.

use std::cell::Cell;
use std::collections::VecDeque;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    self, Event as CEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::flow::{
    Command, Context, Event, Flow, Form, LineInput, NoticeKind, Overlay, SaveState, Screen,
    SummaryRow,
};
use super::{Outcome, Session, WizardError};
use crate::dataflow::{Crossing, DataFlow, NodeKind};
use crate::evaluate::{Certainty, MitigationState};
use crate::model::{DecisionStatus, Dimension, FactValue, Lang, QuestionKind, Severity, Value};
use crate::report::WhyView;

/// The smallest terminal the wizard draws in; smaller ones get a message instead.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// From this width on, the risk panel sits on the right instead of below the question.
pub const WIDE: u16 = 110;

// ---- theme -------------------------------------------------------------------------------------

/// Every colour and emphasis the wizard uses.
#[derive(Clone, Debug)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub accent: Style,
    pub selected: Style,
    pub border: Style,
    pub focus_border: Style,
    pub key: Style,
    pub error: Style,
    pub ok: Style,
    pub mark: Style,
    pub critical: Style,
    pub high: Style,
    pub medium: Style,
    pub low: Style,
}

impl Theme {
    pub fn color() -> Theme {
        Theme {
            text: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            title: Style::new().add_modifier(Modifier::BOLD),
            accent: Style::new().fg(Color::Cyan),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            focus_border: Style::new().fg(Color::Cyan),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            mark: Style::new().fg(Color::Yellow),
            critical: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            high: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            medium: Style::new().fg(Color::Yellow),
            low: Style::new().fg(Color::Gray),
        }
    }

    /// For `NO_COLOR` and `--no-color`: emphasis only, no colour.
    pub fn no_color() -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            text: Style::new(),
            dim: Style::new(),
            title: bold,
            accent: bold,
            selected: Style::new().add_modifier(Modifier::REVERSED),
            border: Style::new(),
            focus_border: bold,
            key: bold,
            error: bold,
            ok: Style::new(),
            mark: bold,
            critical: bold,
            high: bold,
            medium: Style::new(),
            low: Style::new(),
        }
    }

    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

// ---- key bindings ------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// One line of the key table: keys (each with its command) shown under one label.
pub struct Binding {
    pub contexts: &'static [Context],
    pub keys: &'static [(Key, Command)],
    /// Locale key of the label.
    pub label: &'static str,
    /// Shown in the footer (everything is shown in the help overlay).
    pub footer: bool,
}

use Context as X;
const SCREENS: &[Context] = &[X::Question, X::Typing, X::Summary, X::Detail, X::DataFlow];
const QUESTION: &[Context] = &[X::Question, X::Typing];

/// The key table. Earlier lines win, so the text-editing keys of a typing context shadow the
/// same keys further down; hints only show keys that really reach their command.
pub const BINDINGS: &[Binding] = &[
    Binding {
        contexts: &[X::Typing, X::Form],
        keys: &[
            (key(KeyCode::Left), Command::Left),
            (key(KeyCode::Right), Command::Right),
            (key(KeyCode::Home), Command::Home),
            (key(KeyCode::End), Command::End),
            (key(KeyCode::Backspace), Command::Backspace),
            (key(KeyCode::Delete), Command::Delete),
        ],
        label: "wizard.key.edit",
        footer: false,
    },
    Binding {
        contexts: QUESTION,
        keys: &[(key(KeyCode::Enter), Command::Accept)],
        label: "wizard.key.accept",
        footer: true,
    },
    Binding {
        contexts: &[X::Question, X::Typing, X::Summary, X::Detail],
        keys: &[
            (key(KeyCode::Up), Command::Up),
            (key(KeyCode::Down), Command::Down),
            (ch('k'), Command::Up),
            (ch('j'), Command::Down),
        ],
        label: "wizard.key.move",
        footer: true,
    },
    Binding {
        contexts: &[X::Question, X::Summary],
        keys: &[
            (key(KeyCode::Home), Command::Home),
            (key(KeyCode::End), Command::End),
        ],
        label: "wizard.key.first_last",
        footer: false,
    },
    Binding {
        contexts: &[X::Question],
        keys: &[(ch(' '), Command::Toggle)],
        label: "wizard.key.toggle",
        footer: true,
    },
    Binding {
        contexts: QUESTION,
        keys: &[
            (key(KeyCode::Left), Command::Back),
            (key(KeyCode::PageUp), Command::Back),
            (key(KeyCode::BackTab), Command::Back),
            (ch('h'), Command::Back),
        ],
        label: "wizard.key.back",
        footer: true,
    },
    Binding {
        contexts: QUESTION,
        keys: &[
            (key(KeyCode::Right), Command::Skip),
            (key(KeyCode::PageDown), Command::Skip),
            (key(KeyCode::Tab), Command::Skip),
        ],
        label: "wizard.key.skip",
        footer: true,
    },
    Binding {
        contexts: QUESTION,
        keys: &[
            (ch('w'), Command::ToggleWhy),
            (key(KeyCode::F(3)), Command::ToggleWhy),
        ],
        label: "wizard.key.why",
        footer: true,
    },
    Binding {
        contexts: QUESTION,
        keys: &[
            (ch('s'), Command::Summary),
            (key(KeyCode::F(5)), Command::Summary),
        ],
        label: "wizard.key.summary",
        footer: true,
    },
    Binding {
        contexts: &[X::Summary],
        keys: &[
            (key(KeyCode::Enter), Command::Accept),
            (key(KeyCode::Right), Command::Accept),
        ],
        label: "wizard.key.open",
        footer: true,
    },
    Binding {
        contexts: &[X::Summary],
        keys: &[(ch('w'), Command::WriteDocs)],
        label: "wizard.key.write_docs",
        footer: true,
    },
    Binding {
        contexts: &[X::Summary],
        keys: &[
            (key(KeyCode::Esc), Command::Back),
            (key(KeyCode::Left), Command::Back),
            (ch('b'), Command::Back),
        ],
        label: "wizard.key.to_questions",
        footer: true,
    },
    Binding {
        contexts: &[X::Summary, X::DataFlow],
        keys: &[
            (key(KeyCode::PageUp), Command::PageUp),
            (key(KeyCode::PageDown), Command::PageDown),
        ],
        label: "wizard.key.page",
        footer: false,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[(ch(' '), Command::MarkDone), (ch('d'), Command::MarkDone)],
        label: "wizard.key.mark_done",
        footer: true,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[(ch('a'), Command::AcceptRisk)],
        label: "wizard.key.accept_risk",
        footer: true,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[(ch('n'), Command::NotApplicable)],
        label: "wizard.key.not_applicable",
        footer: true,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[(ch('o'), Command::Reopen)],
        label: "wizard.key.reopen",
        footer: false,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[
            (key(KeyCode::PageUp), Command::PageUp),
            (key(KeyCode::PageDown), Command::PageDown),
        ],
        label: "wizard.key.scroll",
        footer: false,
    },
    Binding {
        contexts: &[X::Detail, X::DataFlow],
        keys: &[
            (key(KeyCode::Esc), Command::Back),
            (key(KeyCode::Left), Command::Back),
            (ch('b'), Command::Back),
        ],
        label: "wizard.key.back_screen",
        footer: true,
    },
    Binding {
        contexts: &[X::DataFlow],
        keys: &[
            (key(KeyCode::Up), Command::Up),
            (key(KeyCode::Down), Command::Down),
        ],
        label: "wizard.key.scroll",
        footer: true,
    },
    Binding {
        contexts: &[X::Question, X::Typing, X::Summary, X::Detail],
        keys: &[
            (ch('f'), Command::DataFlow),
            (key(KeyCode::F(6)), Command::DataFlow),
        ],
        label: "wizard.key.dataflow",
        footer: true,
    },
    Binding {
        contexts: SCREENS,
        keys: &[
            (ch('l'), Command::ToggleLang),
            (key(KeyCode::F(2)), Command::ToggleLang),
        ],
        label: "wizard.key.lang",
        footer: true,
    },
    Binding {
        contexts: SCREENS,
        keys: &[
            (ch('?'), Command::Help),
            (key(KeyCode::F(1)), Command::Help),
        ],
        label: "wizard.key.help",
        footer: true,
    },
    Binding {
        contexts: &[X::Form],
        keys: &[(key(KeyCode::Enter), Command::Accept)],
        label: "wizard.key.save",
        footer: true,
    },
    Binding {
        contexts: &[X::Form],
        keys: &[
            (key(KeyCode::Tab), Command::NextField),
            (key(KeyCode::Up), Command::Up),
            (key(KeyCode::Down), Command::Down),
        ],
        label: "wizard.key.next_field",
        footer: true,
    },
    Binding {
        contexts: &[X::Form, X::Conflict, X::Help],
        keys: &[(key(KeyCode::Esc), Command::Close)],
        label: "wizard.key.cancel",
        footer: true,
    },
    Binding {
        contexts: &[X::Conflict],
        keys: &[(ch('r'), Command::Reload)],
        label: "wizard.key.reload",
        footer: true,
    },
    Binding {
        contexts: &[X::Conflict],
        keys: &[(ch('o'), Command::Overwrite)],
        label: "wizard.key.overwrite",
        footer: true,
    },
    Binding {
        contexts: &[
            X::Question,
            X::Typing,
            X::Summary,
            X::Detail,
            X::DataFlow,
            X::Form,
            X::Conflict,
            X::Help,
        ],
        keys: &[(ch('q'), Command::Quit), (ctrl('c'), Command::Quit)],
        label: "wizard.key.quit",
        footer: true,
    },
];

fn is_printable(k: Key) -> bool {
    matches!(k.code, KeyCode::Char(_))
        && !k.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

fn is_typing_context(c: Context) -> bool {
    matches!(c, Context::Typing | Context::Form)
}

/// The command a key gives in a context (printable keys type in a typing context).
pub fn lookup(ctx: Context, k: Key) -> Option<Command> {
    if is_typing_context(ctx) && is_printable(k) {
        return None;
    }
    BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&ctx))
        .flat_map(|b| b.keys.iter())
        .find(|(bk, _)| *bk == k)
        .map(|(_, c)| *c)
}

/// The keys of a binding that really reach it in a context.
fn usable_keys(b: &Binding, ctx: Context) -> Vec<Key> {
    b.keys
        .iter()
        .filter(|(k, c)| lookup(ctx, *k) == Some(*c))
        .map(|(k, _)| *k)
        .collect()
}

pub fn key_label(k: Key) -> String {
    let base = match k.code {
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "⇧Tab".into(),
        KeyCode::Backspace => "⌫".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_string(),
        _ => "?".into(),
    };
    if k.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// Keys shown together: `↑↓`, `←/PgUp`.
fn keys_text(keys: &[Key], max: usize) -> String {
    let mut out = String::new();
    let mut prev: Option<Key> = None;
    for k in keys.iter().take(max) {
        let arrows = prev.is_some_and(|p| {
            matches!(
                (p.code, k.code),
                (KeyCode::Up, KeyCode::Down) | (KeyCode::Left, KeyCode::Right)
            )
        });
        if prev.is_some() && !arrows {
            out.push('/');
        }
        out.push_str(&key_label(*k));
        prev = Some(*k);
    }
    out
}

/// The first usable key for a command in a context, for inline hints (“Why we ask (w)”).
pub fn key_for(ctx: Context, cmd: Command) -> Option<String> {
    BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&ctx))
        .flat_map(|b| usable_keys(b, ctx).into_iter().map(move |k| (k, b)))
        .find(|(k, _)| lookup(ctx, *k) == Some(cmd))
        .map(|(k, _)| key_label(k))
}

/// Maps a terminal event to a machine event.
pub fn to_event(flow: &Flow<'_>, ev: &CEvent) -> Option<Event> {
    match ev {
        CEvent::Key(KeyEvent {
            code,
            modifiers,
            kind,
            ..
        }) if *kind != KeyEventKind::Release => {
            let k = Key {
                code: *code,
                // Shift is part of the character itself.
                mods: *modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT),
            };
            let ctx = flow.context();
            if let Some(c) = lookup(ctx, k) {
                return Some(Event::Cmd(c));
            }
            if let KeyCode::Char(c) = code
                && is_typing_context(ctx)
                && is_printable(k)
            {
                return Some(Event::Char(*c));
            }
            // Any other key closes the help overlay.
            (ctx == Context::Help).then_some(Event::Cmd(Command::Close))
        }
        CEvent::Paste(s) => Some(Event::Paste(s.clone())),
        _ => None,
    }
}

// ---- the loop ----------------------------------------------------------------------------------

/// Where terminal events come from: the real terminal, or a script in tests.
pub trait Input {
    /// The next event; `None` ends the run.
    fn next(&mut self) -> std::io::Result<Option<CEvent>>;
}

pub struct TerminalInput;

impl Input for TerminalInput {
    fn next(&mut self) -> std::io::Result<Option<CEvent>> {
        event::read().map(Some)
    }
}

/// Scripted events, for tests.
#[derive(Default)]
pub struct Scripted(pub VecDeque<CEvent>);

impl Scripted {
    pub fn keys(keys: &[KeyCode]) -> Scripted {
        Scripted(
            keys.iter()
                .map(|&c| CEvent::Key(KeyEvent::new(c, KeyModifiers::NONE)))
                .collect(),
        )
    }

    /// Types `s` character by character.
    #[must_use]
    pub fn text(mut self, s: &str) -> Scripted {
        for c in s.chars() {
            self.0.push_back(CEvent::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
        self
    }

    #[must_use]
    pub fn key(mut self, c: KeyCode) -> Scripted {
        self.0
            .push_back(CEvent::Key(KeyEvent::new(c, KeyModifiers::NONE)));
        self
    }
}

impl Input for Scripted {
    fn next(&mut self) -> std::io::Result<Option<CEvent>> {
        Ok(self.0.pop_front())
    }
}

fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    flow: &Flow<'_>,
    theme: &Theme,
) -> Result<(), WizardError> {
    terminal
        .draw(|frame| {
            let app = App::new(flow, theme);
            frame.render_widget(&app, frame.area());
            if let Some(p) = app.cursor.get() {
                frame.set_cursor_position(p);
            }
        })
        .map_err(|e| WizardError::Terminal(std::io::Error::other(e.to_string())))?;
    Ok(())
}

/// Runs the wizard on a terminal until the user quits or the input ends.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    flow: &mut Flow<'_>,
    session: &mut Session<'_>,
    input: &mut dyn Input,
    theme: &Theme,
) -> Result<Outcome, WizardError> {
    let t = Instant::now();
    draw(terminal, flow, theme)?;
    session.trace.frame(t.elapsed());
    while let Some(ev) = input.next()? {
        let t = Instant::now();
        let is_key = matches!(ev, CEvent::Key(_) | CEvent::Paste(_));
        if let Some(e) = to_event(flow, &ev)
            && session.dispatch(flow, e)
        {
            break;
        }
        let r = Instant::now();
        draw(terminal, flow, theme)?;
        session.trace.frame(r.elapsed());
        if is_key {
            session.trace.key_to_frame(t.elapsed());
        }
    }
    Ok(Outcome::of(flow))
}

/// Runs the wizard on the real terminal: raw mode, alternate screen and bracketed paste on;
/// all three undone on every way out (the panic hook of `ratatui::try_init` restores too).
pub fn run_terminal(
    flow: &mut Flow<'_>,
    session: &mut Session<'_>,
    theme: &Theme,
) -> Result<Outcome, WizardError> {
    let mut terminal = ratatui::try_init()?;
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::EnableBracketedPaste);
    let r = run(&mut terminal, flow, session, &mut TerminalInput, theme);
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::DisableBracketedPaste);
    ratatui::restore();
    r
}

// ---- text helpers ------------------------------------------------------------------------------

/// Catalog and user text, made safe for the terminal.
fn t(s: &str) -> String {
    crate::escape::terminal(s, true)
}

fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Wraps text to `max` columns: at spaces between words, and between any two wide (CJK)
/// characters; a word longer than a line is cut. `\n` starts a new line.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        let mut tokens: Vec<String> = Vec::new();
        let mut word = String::new();
        for c in para.chars() {
            let c = if c == '\t' { ' ' } else { c };
            if c == ' ' || char_width(c) > 1 {
                if !word.is_empty() {
                    tokens.push(std::mem::take(&mut word));
                }
                tokens.push(c.to_string());
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            tokens.push(word);
        }
        for tok in tokens {
            let tw = width(&tok);
            if tok == " " {
                if w > 0 && w < max {
                    line.push(' ');
                    w += 1;
                }
                continue;
            }
            if w + tw > max && w > 0 {
                // Line-breaking rules for CJK: a closing mark does not start a line and an
                // opening mark does not end one, so one character moves down with it.
                let mut carry = String::new();
                let closing = tok.chars().next().is_some_and(is_closing);
                if let Some(c) = line.chars().last()
                    && ((closing && char_width(c) > 1 && !is_closing(c)) || is_opening(c))
                {
                    line.pop();
                    carry.push(c);
                }
                lines.push(line.trim_end().to_string());
                w = width(&carry);
                line = carry;
            }
            if tw > max {
                for c in tok.chars() {
                    let cw = char_width(c);
                    if w + cw > max {
                        lines.push(std::mem::take(&mut line));
                        w = 0;
                    }
                    line.push(c);
                    w += cw;
                }
            } else {
                line.push_str(&tok);
                w += tw;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

fn is_closing(c: char) -> bool {
    "，。、；：！？）》」』”’".contains(c)
}

fn is_opening(c: char) -> bool {
    "（《「『“‘".contains(c)
}

/// Cuts text to `max` columns, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads (or cuts) text to exactly `cols` columns.
fn pad(s: &str, cols: usize) -> String {
    let s = fit(s, cols);
    let w = width(&s);
    format!("{s}{}", " ".repeat(cols.saturating_sub(w)))
}

/// Lays spans out on lines of `max` columns, breaking only between spans; a separator span
/// (" · ") at the start of a line is dropped.
fn span_lines(spans: Vec<Span<'static>>, max: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut w = 0;
    for s in spans {
        let sw = width(&s.content);
        if w + sw > max && !cur.is_empty() {
            if cur.last().is_some_and(|l| l.content == " · ") {
                cur.pop();
            }
            lines.push(Line::from(std::mem::take(&mut cur)));
            w = 0;
        }
        if w == 0 && s.content == " · " {
            continue;
        }
        w += sw;
        cur.push(s);
    }
    if !cur.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

fn u16_of(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn sev_label(flow: &Flow<'_>, s: Severity) -> String {
    flow.ui()
        .get(flow.lang(), &format!("severity.{}", s.code()))
}

/// Width of the severity column: the widest severity name in the current language.
fn sev_col(flow: &Flow<'_>) -> usize {
    Severity::ALL
        .iter()
        .map(|&s| width(&sev_label(flow, s)))
        .max()
        .unwrap_or(8)
}

fn tr(flow: &Flow<'_>, key: &str) -> String {
    flow.ui().get(flow.lang(), key)
}

fn trf(flow: &Flow<'_>, key: &str, args: &[(&str, String)]) -> String {
    flow.ui().fmt(flow.lang(), key, args)
}

fn bordered<'a>(title: &str, theme: &Theme, focus: bool) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(if focus {
            theme.focus_border
        } else {
            theme.border
        })
        .title(Span::styled(format!(" {title} "), theme.title))
}

// ---- the application widget --------------------------------------------------------------------

/// The whole screen, drawn from the machine's state. The text cursor position (for the input
/// line, and so input methods place their candidate window) is reported through `cursor`.
pub struct App<'a> {
    flow: &'a Flow<'a>,
    theme: &'a Theme,
    pub cursor: Cell<Option<Position>>,
}

impl<'a> App<'a> {
    pub fn new(flow: &'a Flow<'a>, theme: &'a Theme) -> App<'a> {
        App {
            flow,
            theme,
            cursor: Cell::new(None),
        }
    }
}

impl Widget for &App<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            TooSmall {
                flow: f,
                size: (area.width, area.height),
            }
            .render(area, buf);
            return;
        }
        let [header, body, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        Header {
            flow: f,
            theme: self.theme,
        }
        .render(header, buf);
        match f.screen() {
            Screen::Question => {
                let wide = area.width >= WIDE;
                let side = if wide { 30 } else { 24 };
                let [left, rest] =
                    Layout::horizontal([Constraint::Length(side), Constraint::Fill(1)]).areas(body);
                Sections {
                    flow: f,
                    theme: self.theme,
                }
                .render(left, buf);
                let (centre, risk) = if wide {
                    let [c, r] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(34)])
                        .areas(rest);
                    (c, r)
                } else {
                    let [c, r] =
                        Layout::vertical([Constraint::Fill(1), Constraint::Length(6)]).areas(rest);
                    (c, r)
                };
                let q = QuestionView {
                    flow: f,
                    theme: self.theme,
                    cursor: Cell::new(None),
                };
                q.render(centre, buf);
                if f.overlay().is_none() {
                    self.cursor.set(q.cursor.get());
                }
                RiskPanel {
                    flow: f,
                    theme: self.theme,
                    compact: !wide,
                }
                .render(risk, buf);
            }
            Screen::Summary => SummaryView {
                flow: f,
                theme: self.theme,
            }
            .render(body, buf),
            Screen::Detail(_) => DetailView {
                flow: f,
                theme: self.theme,
            }
            .render(body, buf),
            Screen::DataFlow => FlowView {
                flow: f,
                theme: self.theme,
            }
            .render(body, buf),
        }
        StatusLine {
            flow: f,
            theme: self.theme,
        }
        .render(status, buf);
        Footer {
            flow: f,
            theme: self.theme,
        }
        .render(footer, buf);
        match f.overlay() {
            Some(Overlay::Help) => HelpView {
                flow: f,
                theme: self.theme,
            }
            .render(body, buf),
            Some(Overlay::Conflict) => ConflictView {
                flow: f,
                theme: self.theme,
            }
            .render(body, buf),
            Some(Overlay::Form(form)) => {
                let v = FormView {
                    flow: f,
                    form,
                    theme: self.theme,
                    cursor: Cell::new(None),
                };
                v.render(body, buf);
                self.cursor.set(v.cursor.get());
            }
            None => {}
        }
    }
}

pub struct TooSmall<'a> {
    pub flow: &'a Flow<'a>,
    pub size: (u16, u16),
}

impl Widget for TooSmall<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let text = trf(
            self.flow,
            "wizard.too_small",
            &[
                ("width", self.size.0.to_string()),
                ("height", self.size.1.to_string()),
                ("min_width", MIN_WIDTH.to_string()),
                ("min_height", MIN_HEIGHT.to_string()),
            ],
        );
        let lines: Vec<Line> = wrap(&text, usize::from(area.width.max(1)))
            .into_iter()
            .map(Line::from)
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}

struct Header<'a> {
    flow: &'a Flow<'a>,
    theme: &'a Theme,
}

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let name = match f.assessment().answers.get("agent.name").map(|a| &a.value) {
            Some(Value::Text(s)) if !s.trim().is_empty() => t(s),
            _ => tr(f, "report.unnamed_agent"),
        };
        let left = format!(" agentguard · {name}");
        let saved = match f.save_state() {
            SaveState::Saved => tr(f, "wizard.header.saved"),
            SaveState::Unsaved => tr(f, "wizard.header.unsaved"),
        };
        let right = format!(
            "{} · {saved} · {} ",
            trf(
                f,
                "wizard.header.answered",
                &[
                    ("answered", f.answered_count().to_string()),
                    ("visible", f.findings().visible.len().to_string()),
                ]
            ),
            match f.lang() {
                Lang::En => "EN",
                Lang::Zh => "中文",
            }
        );
        let w = usize::from(area.width);
        let right_w = width(&right);
        let left = pad(&left, w.saturating_sub(right_w));
        let save_style = if f.save_state() == SaveState::Saved {
            self.theme.title
        } else {
            self.theme.error
        };
        Line::from(vec![
            Span::styled(left, self.theme.title),
            Span::styled(right, save_style),
        ])
        .style(Style::new().add_modifier(Modifier::REVERSED))
        .render(area, buf);
    }
}

pub struct Sections<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for Sections<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let block = bordered(&tr(f, "wizard.sections"), self.theme, false);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let current = f.question().section;
        let progress = f.sections();
        let mut lines = Vec::new();
        for (i, (s, p)) in f
            .knowledge()
            .questionnaire
            .sections
            .iter()
            .zip(&progress)
            .enumerate()
        {
            if p.visible == 0 {
                continue;
            }
            let mark = if i == current && f.screen() == Screen::Question {
                "▸"
            } else if p.answered == p.visible {
                "✓"
            } else {
                " "
            };
            let count = format!("{}/{}", p.answered, p.visible);
            let high = if p.has_open_high { "▲" } else { " " };
            let title_w = w.saturating_sub(5 + width(&count));
            let title = pad(&t(s.title.get(f.lang())), title_w);
            let style = if i == current {
                self.theme.title
            } else if p.answered == p.visible {
                self.theme.ok
            } else {
                self.theme.text
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::styled(title, style),
                Span::styled(format!(" {count}"), self.theme.dim),
                Span::styled(format!(" {high}"), self.theme.high),
            ]));
        }
        let open_high = progress.iter().any(|p| p.has_open_high);
        if open_high && usize::from(inner.height) > lines.len() + 1 {
            lines.push(Line::default());
            for l in wrap(&format!("▲ {}", tr(f, "wizard.sections.high")), w) {
                lines.push(Line::styled(l, self.theme.dim));
            }
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

pub struct QuestionView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
    pub cursor: Cell<Option<Position>>,
}

impl QuestionView<'_> {
    /// The rows of the answer area: options, or the input box (3 rows) and its "not sure" row.
    fn body(&self, w: usize, area_top: u16, area_x: u16) -> Vec<Line<'static>> {
        let f = self.flow;
        let q = f.question();
        let edit = f.edit();
        let th = self.theme;
        let mut rows = Vec::new();
        match q.kind {
            QuestionKind::Text | QuestionKind::Number => {
                let focus = edit.cursor == 0;
                let title = if q.kind == QuestionKind::Number {
                    q.unit
                        .as_ref()
                        .map(|u| t(u.get(f.lang())))
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                let inner_w = w.saturating_sub(4).max(1);
                let (shown, cursor_col) = input_window(&edit.input, inner_w);
                let bstyle = if focus { th.focus_border } else { th.border };
                let top_fill = inner_w + 2 - width(&title).min(inner_w + 2);
                rows.push(Line::styled(
                    format!("╭{}{}╮", fit(&title, inner_w + 2), "─".repeat(top_fill)),
                    bstyle,
                ));
                rows.push(Line::from(vec![
                    Span::styled("│ ", bstyle),
                    Span::styled(pad(&shown, inner_w), th.text),
                    Span::styled(" │", bstyle),
                ]));
                rows.push(Line::styled(
                    format!("╰{}╯", "─".repeat(inner_w + 2)),
                    bstyle,
                ));
                if focus {
                    self.cursor.set(Some(Position::new(
                        area_x + 2 + u16_of(cursor_col),
                        area_top + 1,
                    )));
                }
                if f.has_not_sure_row() {
                    let on = edit.cursor == 1;
                    let chosen = matches!(
                        f.current_answer().map(|a| &a.value),
                        Some(Value::Choice(c)) if c == crate::model::NOT_SURE
                    );
                    let label = q
                        .option(crate::model::NOT_SURE)
                        .map_or_else(|| tr(f, "choice.not_sure"), |o| t(o.label.get(f.lang())));
                    let text = format!(
                        "{} {} {label}",
                        if on { "❯" } else { " " },
                        if chosen { "(•)" } else { "( )" }
                    );
                    rows.push(Line::styled(
                        pad(&text, w),
                        if on { th.selected } else { th.text },
                    ));
                }
            }
            _ => {
                let multiple = q.kind == QuestionKind::Multiple;
                for (i, &o) in f.offered().iter().enumerate() {
                    let opt = &q.options[o];
                    let on = i == edit.cursor;
                    let mark = if multiple {
                        if edit.checked.get(i).copied().unwrap_or(false) {
                            "[x]"
                        } else {
                            "[ ]"
                        }
                    } else if edit.chosen == Some(i) {
                        "(•)"
                    } else {
                        "( )"
                    };
                    let text = format!(
                        "{} {mark} {}",
                        if on { "❯" } else { " " },
                        t(opt.label.get(f.lang()))
                    );
                    rows.push(Line::styled(
                        pad(&text, w),
                        if on { th.selected } else { th.text },
                    ));
                }
            }
        }
        rows
    }
}

/// The part of an input line that fits `cols` columns with the cursor in view, and the cursor's
/// column within it.
fn input_window(input: &LineInput, cols: usize) -> (String, usize) {
    let chars: Vec<char> = input.text().chars().collect();
    let cur = input.cursor();
    // Start far enough right that the cursor (plus one cell for it) fits.
    let mut start = 0;
    let width_between =
        |a: usize, b: usize| -> usize { chars[a..b].iter().map(|&c| char_width(c)).sum() };
    while start < cur && width_between(start, cur) + 1 > cols {
        start += 1;
    }
    let mut shown = String::new();
    let mut w = 0;
    for &c in &chars[start..] {
        let cw = char_width(c);
        if w + cw > cols {
            break;
        }
        shown.push(c);
        w += cw;
    }
    (t(&shown), width_between(start, cur))
}

impl Widget for &QuestionView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let q = f.question();
        let lang = f.lang();
        let th = self.theme;
        let section = &f.knowledge().questionnaire.sections[q.section];
        let (step, total) = f.step();
        let step = trf(
            f,
            "wizard.step",
            &[("step", step.to_string()), ("total", total.to_string())],
        );
        // The counter stays whole; a long section name is cut instead.
        let room = usize::from(area.width).saturating_sub(width(&step) + 7);
        let title = format!("{} · {step}", fit(&t(section.title.get(lang)), room));
        let block = bordered(&title, th, true);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let avail = usize::from(inner.height);
        let ctx = f.base_context();

        let prompt: Vec<Line> = wrap(&t(q.prompt.get(lang)), w)
            .into_iter()
            .map(|l| Line::styled(l, th.title))
            .collect();
        let mut scan: Vec<Line> = Vec::new();
        if let Some(a) = f.current_answer().filter(|_| f.edit().from_scan) {
            let text = trf(
                f,
                "wizard.scan.suggested",
                &[("evidence", t(a.evidence.as_deref().unwrap_or("—")))],
            );
            scan.extend(
                wrap(&format!("⚑ {text}"), w)
                    .into_iter()
                    .map(|l| Line::styled(l, th.mark)),
            );
        }
        let help: Vec<String> = q
            .help
            .as_ref()
            .map(|h| wrap(&t(h.get(lang)), w))
            .unwrap_or_default();
        let option_help: Vec<String> = if q.kind.has_options() {
            f.offered()
                .get(f.edit().cursor)
                .and_then(|&o| q.options[o].help.as_ref())
                .map(|h| wrap(&t(h.get(lang)), w.saturating_sub(6)))
                .unwrap_or_default()
                .into_iter()
                .take(2)
                .collect()
        } else {
            Vec::new()
        };
        let why_key = key_for(ctx, Command::ToggleWhy).unwrap_or_default();
        let why_head = format!(
            "{} {} ({why_key})",
            if f.why_open() { "▾" } else { "▸" },
            tr(f, "wizard.why")
        );
        let why_text: Vec<String> = if f.why_open() {
            wrap(&t(q.why.get(lang)), w.saturating_sub(2))
        } else {
            Vec::new()
        };
        let body = self.body(w, 0, 0);

        // Space: prompt and the answer area first, then help, then the "why" text.
        let fixed = prompt.len() + 1 + scan.len() + option_help.len() + 2;
        let rest = avail.saturating_sub(fixed);
        let body_min = body.len().min(4).min(rest);
        let (help_h, body_h, why_h);
        if f.why_open() {
            why_h = why_text.len().min(rest.saturating_sub(body_min));
            body_h = body.len().min(rest.saturating_sub(why_h));
            help_h = 0;
        } else {
            why_h = 0;
            // Every option if possible, keeping two lines of help (cut with "…").
            let help_room = if help.is_empty() {
                0
            } else {
                help.len().min(2) + 1
            };
            body_h = body.len().min(rest.saturating_sub(help_room).max(body_min));
            help_h = help
                .len()
                .min(rest.saturating_sub(body_h).saturating_sub(1));
        }

        let mut lines: Vec<Line> = Vec::new();
        lines.extend(prompt);
        lines.extend(scan);
        if help_h > 0 {
            for (i, l) in help.iter().take(help_h).enumerate() {
                let l = if i + 1 == help_h && help.len() > help_h {
                    fit(&format!("{l}…"), w)
                } else {
                    l.clone()
                };
                lines.push(Line::styled(l, th.dim));
            }
        }
        lines.push(Line::default());
        let body_top = lines.len();
        // A window over the options that keeps the cursor in view.
        let cursor_row = if q.kind.has_options() {
            f.edit().cursor
        } else {
            0
        };
        let start = if body.len() > body_h && body_h > 0 {
            (cursor_row + 1)
                .saturating_sub(body_h)
                .min(body.len() - body_h)
        } else {
            0
        };
        let more_above = start > 0;
        let more_below = start + body_h < body.len();
        for (i, l) in body.into_iter().skip(start).take(body_h).enumerate() {
            let last = i + 1 == body_h;
            if (i == 0 && more_above) || (last && more_below) {
                let arrow = if i == 0 && more_above { "↑" } else { "↓" };
                let mut spans = l.spans.clone();
                if let Some(s) = spans.last_mut() {
                    let c = s.content.to_string();
                    let keep = fit(c.trim_end(), w.saturating_sub(2));
                    s.content = pad(&format!("{keep} {arrow}"), w).into();
                }
                lines.push(Line::from(spans).style(l.style));
            } else {
                lines.push(l);
            }
        }
        for l in &option_help {
            lines.push(Line::styled(format!("      {l}"), th.dim));
        }
        lines.push(Line::default());
        lines.push(Line::styled(why_head, th.accent));
        for l in why_text.into_iter().take(why_h) {
            lines.push(Line::styled(format!("  {l}"), th.text));
        }
        // The input box cursor, now that its row is known.
        if matches!(q.kind, QuestionKind::Text | QuestionKind::Number) {
            let _ = self.body(w, inner.y + u16_of(body_top), inner.x);
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

pub struct RiskPanel<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
    pub compact: bool,
}

struct Counts {
    open: [usize; 4],
    possible: usize,
    dims: Vec<(Dimension, usize)>,
}

fn counts(f: &Flow<'_>) -> Counts {
    let cat = &f.knowledge().catalog;
    let mut open = [0; 4];
    let mut dims: Vec<(Dimension, usize)> = Dimension::ALL.iter().map(|&d| (d, 0)).collect();
    for x in f.findings().definite().filter(|x| x.is_open()) {
        open[3 - x.severity as usize] += 1;
        let d = cat.threats[x.threat].dimension;
        if let Some(e) = dims.iter_mut().find(|(dd, _)| *dd == d) {
            e.1 += 1;
        }
    }
    Counts {
        open,
        possible: f.findings().possible().count(),
        dims,
    }
}

const SEVERITIES_DESC: [Severity; 4] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
];

impl Widget for RiskPanel<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let block = if self.compact {
            Block::new()
                .borders(Borders::TOP)
                .border_style(th.border)
                .title(Span::styled(
                    format!(" {} ", tr(f, "wizard.risk.title")),
                    th.title,
                ))
        } else {
            bordered(&tr(f, "wizard.risk.title"), th, false)
        };
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let c = counts(f);
        let total: usize = c.open.iter().sum();
        let cat = &f.knowledge().catalog;
        let mut lines: Vec<Line> = Vec::new();
        let new: Vec<Line> = f
            .new_threats()
            .iter()
            .map(|&ti| {
                let th_ = &cat.threats[ti];
                let sev = f
                    .findings()
                    .findings
                    .iter()
                    .find(|x| x.threat == ti)
                    .map_or(th_.severity, |x| x.severity);
                let badge = format!("{} ", pad(&sev_label(f, sev), sev_col(f)));
                let title_w = w.saturating_sub(3 + sev_col(f));
                let title = t(th_.title.get(f.lang()));
                // On the wide layout there is room for whole titles; compact cuts them.
                let parts = if self.compact {
                    vec![fit(&title, title_w)]
                } else {
                    wrap(&title, title_w)
                };
                parts
                    .into_iter()
                    .enumerate()
                    .map(|(i, part)| {
                        if i == 0 {
                            Line::from(vec![
                                Span::styled("+ ", th.error),
                                Span::styled(badge.clone(), th.severity(sev)),
                                Span::raw(part),
                            ])
                        } else {
                            Line::raw(format!("{}{part}", " ".repeat(3 + sev_col(f))))
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect();
        if self.compact {
            let mut spans = vec![Span::styled(
                trf(f, "wizard.risk.open", &[("count", total.to_string())]),
                th.title,
            )];
            for (i, s) in SEVERITIES_DESC.iter().enumerate() {
                spans.push(Span::raw(" · "));
                spans.push(Span::styled(
                    format!("{} {}", sev_label(f, *s), c.open[i]),
                    th.severity(*s),
                ));
            }
            spans.push(Span::raw(" · "));
            spans.push(Span::styled(
                trf(
                    f,
                    "wizard.risk.possible_short",
                    &[("count", c.possible.to_string())],
                ),
                th.dim,
            ));
            lines.extend(span_lines(spans, w));
            let mut dims = Vec::new();
            for (i, (d, n)) in c.dims.iter().enumerate() {
                if i > 0 {
                    dims.push(Span::raw(" · "));
                }
                dims.push(Span::raw(format!(
                    "{}{} {n}",
                    tr(f, &format!("dimension.{}", d.code())),
                    if d.is_blind_spot() { " ◆" } else { "" }
                )));
            }
            lines.extend(span_lines(dims, w));
            if new.is_empty() {
                lines.push(Line::styled(self.last_answer_text(), th.dim));
            } else {
                let room = usize::from(inner.height).saturating_sub(lines.len());
                let more = new.len().saturating_sub(room);
                let shown = if more > 0 {
                    room.saturating_sub(1)
                } else {
                    room
                };
                lines.extend(new.into_iter().take(shown));
                if more > 0 {
                    lines.push(Line::styled(
                        trf(f, "wizard.risk.more", &[("count", (more + 1).to_string())]),
                        th.dim,
                    ));
                }
            }
        } else {
            lines.push(Line::styled(
                trf(f, "wizard.risk.open", &[("count", total.to_string())]),
                th.title,
            ));
            for (i, s) in SEVERITIES_DESC.iter().enumerate() {
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(pad(&sev_label(f, *s), 10), th.severity(*s)),
                    Span::raw(format!("{:>3}", c.open[i])),
                ]));
            }
            for l in wrap(
                &trf(
                    f,
                    "wizard.risk.possible",
                    &[("count", c.possible.to_string())],
                ),
                w,
            ) {
                lines.push(Line::styled(l, th.dim));
            }
            lines.push(Line::default());
            lines.push(Line::styled(tr(f, "wizard.risk.by_dimension"), th.title));
            for (d, n) in &c.dims {
                let name = format!(
                    "{}{}",
                    tr(f, &format!("dimension.{}", d.code())),
                    if d.is_blind_spot() { " ◆" } else { "" }
                );
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::raw(pad(&name, w.saturating_sub(6))),
                    Span::raw(format!("{n:>3}")),
                ]));
            }
            for l in wrap(
                &format!("◆ {}", tr(f, "wizard.risk.blind_spot")),
                w.saturating_sub(2),
            ) {
                lines.push(Line::styled(format!("  {l}"), th.dim));
            }
            lines.push(Line::default());
            lines.push(Line::styled(tr(f, "wizard.risk.last_answer"), th.title));
            if new.is_empty() {
                lines.push(Line::styled(self.last_answer_text(), th.dim));
            } else {
                let room = usize::from(inner.height).saturating_sub(lines.len() + 1);
                let more = new.len().saturating_sub(room);
                lines.extend(new.into_iter().take(room));
                if more > 0 {
                    lines.push(Line::styled(
                        trf(f, "wizard.risk.more", &[("count", more.to_string())]),
                        th.dim,
                    ));
                }
            }
            if f.settled() > 0 {
                lines.push(Line::styled(
                    trf(
                        f,
                        "wizard.risk.settled",
                        &[("count", f.settled().to_string())],
                    ),
                    th.ok,
                ));
            }
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

impl RiskPanel<'_> {
    fn last_answer_text(&self) -> String {
        let f = self.flow;
        if f.settled() > 0 {
            trf(
                f,
                "wizard.risk.settled",
                &[("count", f.settled().to_string())],
            )
        } else {
            tr(f, "wizard.risk.nothing_new")
        }
    }
}

struct StatusLine<'a> {
    flow: &'a Flow<'a>,
    theme: &'a Theme,
}

impl Widget for StatusLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let Some(n) = f.notice() else { return };
        let style = match n.kind {
            NoticeKind::Info => self.theme.ok,
            NoticeKind::Error => self.theme.error,
        };
        let text = t(&n.text(f.ui(), f.lang()));
        Line::styled(fit(&format!(" {text}"), usize::from(area.width)), style).render(area, buf);
    }
}

pub struct Footer<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let ctx = f.context();
        let w = usize::from(area.width);
        let mut hints: Vec<(String, String, bool)> = Vec::new();
        for b in BINDINGS
            .iter()
            .filter(|b| b.footer && b.contexts.contains(&ctx))
        {
            let keys = usable_keys(b, ctx);
            if keys.is_empty() {
                continue;
            }
            let is_help = b
                .keys
                .iter()
                .any(|(_, c)| matches!(c, Command::Help | Command::Quit));
            hints.push((keys_text(&keys, 2), tr(f, b.label), is_help));
        }
        // Help and quit always show; the others as far as they fit, in table order.
        let help_w = hints
            .iter()
            .filter(|h| h.2)
            .map(|(k, l, _)| width(k) + width(l) + 3)
            .sum::<usize>();
        let mut used = 1 + help_w;
        let mut spans = vec![Span::raw(" ")];
        for (k, l, is_help) in &hints {
            let need = width(k) + width(l) + 3;
            if !is_help {
                if used + need > w {
                    continue;
                }
                used += need;
            }
            spans.push(Span::styled(k.clone(), self.theme.key));
            spans.push(Span::styled(format!(" {l}  "), self.theme.dim));
        }
        Line::from(spans).render(area, buf);
    }
}

// ---- summary, drill-down, data flow ------------------------------------------------------------

pub struct SummaryView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for SummaryView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let wide = area.width >= WIDE;
        let (list_area, preview_area) = if wide {
            let [l, p] =
                Layout::horizontal([Constraint::Percentage(58), Constraint::Fill(1)]).areas(area);
            (l, Some(p))
        } else {
            (area, None)
        };
        let block = bordered(&tr(f, "wizard.summary.title"), th, true);
        let inner = block.inner(list_area);
        block.render(list_area, buf);
        let w = usize::from(inner.width);
        let tally = counts(f);
        let mut head: Vec<Line> = Vec::new();
        let unanswered = f.findings().unanswered.len();
        let mut progress = trf(
            f,
            "wizard.summary.progress",
            &[
                ("answered", f.answered_count().to_string()),
                ("visible", f.findings().visible.len().to_string()),
            ],
        );
        if unanswered > 0 {
            progress.push_str(&trf(
                f,
                "wizard.summary.unanswered",
                &[("count", unanswered.to_string())],
            ));
        }
        for l in wrap(&progress, w) {
            head.push(Line::styled(
                l,
                if unanswered > 0 { th.mark } else { th.text },
            ));
        }
        let mut spans = vec![Span::styled(
            trf(
                f,
                "wizard.risk.open",
                &[("count", tally.open.iter().sum::<usize>().to_string())],
            ),
            th.title,
        )];
        for (i, s) in SEVERITIES_DESC.iter().enumerate() {
            spans.push(Span::raw(" · "));
            spans.push(Span::styled(
                format!("{} {}", sev_label(f, *s), tally.open[i]),
                th.severity(*s),
            ));
        }
        head.push(Line::from(spans));
        head.push(Line::default());

        let rows = f.summary_rows();
        let list_h = usize::from(inner.height).saturating_sub(head.len());
        let sel = f.summary_selected();
        let start = if rows.len() > list_h && list_h > 0 {
            (sel + 2).saturating_sub(list_h).min(rows.len() - list_h)
        } else {
            0
        };
        let cat = &f.knowledge().catalog;
        let scores = &f.findings().scores;
        let mut lines = head;
        if rows.is_empty() {
            lines.push(Line::styled(tr(f, "report.no_findings"), th.dim));
        }
        for (i, row) in rows.iter().enumerate().skip(start).take(list_h) {
            match *row {
                SummaryRow::Heading(Some(d)) => {
                    let s = scores.iter().find(|s| s.dimension == Some(d));
                    let counts = s.map_or(String::new(), |s| {
                        trf(
                            f,
                            "wizard.summary.dimension_counts",
                            &[
                                ("handled", s.handled.to_string()),
                                ("applicable", s.applicable.to_string()),
                            ],
                        )
                    });
                    let name = tr(f, &format!("dimension.{}", d.code()));
                    let blind = if d.is_blind_spot() {
                        format!(" ◆ {}", tr(f, "wizard.risk.blind_spot"))
                    } else {
                        String::new()
                    };
                    let left = format!("{name}{blind}");
                    lines.push(Line::from(vec![
                        Span::styled(pad(&left, w.saturating_sub(width(&counts) + 1)), th.accent),
                        Span::styled(format!(" {counts}"), th.dim),
                    ]));
                }
                SummaryRow::Heading(None) => {
                    lines.push(Line::styled(
                        fit(&tr(f, "wizard.summary.possible"), w),
                        th.accent,
                    ));
                }
                SummaryRow::Finding(fi) => {
                    let x = &f.findings().findings[fi];
                    let threat = &cat.threats[x.threat];
                    let status = if x.certainty == Certainty::Possible {
                        tr(f, "wizard.summary.possible_status")
                    } else {
                        tr(f, Flow::status_key(x))
                    };
                    let status = fit(&status, 14);
                    let on = i == sel;
                    let col = sev_col(f);
                    let badge = pad(&sev_label(f, x.severity), col);
                    let title_w = w.saturating_sub(4 + col + width(&status) + 1);
                    let style = if on { th.selected } else { th.text };
                    lines.push(Line::from(vec![
                        Span::styled(if on { " ❯ " } else { "   " }, style),
                        Span::styled(badge, if on { style } else { th.severity(x.severity) }),
                        Span::styled(
                            format!(" {}", pad(&t(threat.title.get(f.lang())), title_w)),
                            style,
                        ),
                        Span::styled(
                            format!(" {status}"),
                            if on {
                                style
                            } else if x.is_open() {
                                th.text
                            } else {
                                th.ok
                            },
                        ),
                    ]));
                }
            }
        }
        Paragraph::new(lines).render(inner, buf);

        if let Some(p) = preview_area {
            let block = bordered(&tr(f, "wizard.summary.preview"), th, false);
            let inner = block.inner(p);
            block.render(p, buf);
            if let Some(SummaryRow::Finding(fi)) = rows.get(sel) {
                let x = &f.findings().findings[*fi];
                let lines = detail_lines(f, th, x.threat, usize::from(inner.width), false).0;
                Paragraph::new(lines).render(inner, buf);
            }
        }
    }
}

/// The drill-down text of a finding, and the line where each mitigation starts.
fn detail_lines(
    f: &Flow<'_>,
    th: &Theme,
    threat: usize,
    w: usize,
    full: bool,
) -> (Vec<Line<'static>>, Vec<usize>, usize) {
    let k = f.knowledge();
    let lang = f.lang();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut starts = Vec::new();
    let Some(finding) = f
        .findings()
        .findings
        .iter()
        .find(|finding| finding.threat == threat)
    else {
        lines.push(Line::styled(tr(f, "wizard.detail.gone"), th.dim));
        return (lines, starts, 1);
    };
    let view = crate::report::finding_view(k, f.assessment(), finding, lang);
    let threat_m = &k.catalog.threats[threat];
    let status = if finding.certainty == Certainty::Possible {
        tr(f, "wizard.summary.possible_status")
    } else {
        tr(f, Flow::status_key(finding))
    };
    lines.push(Line::from(vec![
        Span::styled(
            sev_label(f, finding.severity).to_uppercase(),
            th.severity(finding.severity),
        ),
        Span::styled(
            format!(
                " · {} · {status}",
                tr(f, &format!("dimension.{}", threat_m.dimension.code()))
            ),
            th.dim,
        ),
    ]));
    for l in wrap(&t(&view.title), w) {
        lines.push(Line::styled(l, th.title));
    }
    if let Some(d) = f.assessment().decisions.get(&threat_m.id) {
        let text = match d.status {
            DecisionStatus::Accepted => trf(
                f,
                "wizard.detail.accepted",
                &[
                    ("until", d.until.clone().unwrap_or_else(|| "—".into())),
                    ("reason", t(d.reason.as_deref().unwrap_or(""))),
                ],
            ),
            DecisionStatus::NotApplicable => trf(
                f,
                "wizard.detail.not_applicable",
                &[("reason", t(d.reason.as_deref().unwrap_or("")))],
            ),
            DecisionStatus::Done => tr(f, "status.mitigated"),
        };
        for l in wrap(&text, w) {
            lines.push(Line::styled(l, th.mark));
        }
    }
    let head = lines.len();
    lines.push(Line::default());
    lines.push(Line::styled(tr(f, "report.what"), th.accent));
    for l in wrap(&t(&view.description), w.saturating_sub(2)) {
        lines.push(Line::raw(format!("  {l}")));
    }
    lines.push(Line::default());
    lines.push(Line::styled(tr(f, "report.why"), th.accent));
    for l in wrap(&t(&view.why_it_applies), w.saturating_sub(2)) {
        lines.push(Line::raw(format!("  {l}")));
    }
    for why in &view.why {
        let text = match why {
            WhyView::Answer { prompt, answer, .. } => format!("{} → {}", t(prompt), t(answer)),
            WhyView::ProviderFact {
                provider_name,
                fact_label,
                value,
                checked,
                ..
            } => {
                let key = match value {
                    FactValue::Yes => "report.fact_yes",
                    FactValue::No => "report.fact_no",
                    FactValue::Unknown => "report.fact_unknown",
                };
                trf(
                    f,
                    key,
                    &[
                        ("provider", t(provider_name)),
                        ("fact", t(fact_label)),
                        ("checked", checked.clone()),
                    ],
                )
            }
        };
        for (i, l) in wrap(&text, w.saturating_sub(4)).into_iter().enumerate() {
            lines.push(Line::styled(
                format!("{}{l}", if i == 0 { "  • " } else { "    " }),
                th.dim,
            ));
        }
    }
    if !view.unknowns.is_empty() {
        lines.push(Line::styled(tr(f, "report.decide_with"), th.accent));
        for u in &view.unknowns {
            for (i, l) in wrap(&t(&u.prompt), w.saturating_sub(4))
                .into_iter()
                .enumerate()
            {
                lines.push(Line::styled(
                    format!("{}{l}", if i == 0 { "  ? " } else { "    " }),
                    th.dim,
                ));
            }
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(tr(f, "report.do"), th.accent));
    for (i, m) in view.mitigations.iter().enumerate() {
        starts.push(lines.len());
        let on = full && i == f.detail_selected();
        let mark = match m.state {
            MitigationState::Open => "[ ]",
            MitigationState::Done => "[✓]",
            MitigationState::Accepted => "[~]",
            MitigationState::NotApplicable => "[-]",
        };
        let meta = format!(
            "{} · {} · {}",
            tr(f, &format!("owner.{}", m.owner.code())),
            tr(f, &format!("effort.{}", m.effort.code())),
            tr(f, &format!("stage.{}", m.stage.code()))
        );
        let head = format!("{} {mark} {}", if on { "❯" } else { " " }, t(&m.title));
        for (j, l) in wrap(&head, w).into_iter().enumerate() {
            let l = if j == 0 {
                l
            } else {
                format!("      {}", l.trim_start())
            };
            lines.push(Line::styled(
                if on { pad(&l, w) } else { l },
                if on { th.selected } else { th.text },
            ));
        }
        lines.push(Line::styled(format!("      {meta}"), th.dim));
        if full {
            for l in wrap(&t(&m.detail), w.saturating_sub(6)) {
                lines.push(Line::raw(format!("      {l}")));
            }
        }
    }
    if full && !view.references.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(tr(f, "report.refs"), th.accent));
        for r in &view.references {
            let text = format!(
                "{} {}{}",
                r.id,
                t(&r.name),
                r.url
                    .as_deref()
                    .map(|u| format!(" <{}>", t(u)))
                    .unwrap_or_default()
            );
            for (i, l) in wrap(&text, w.saturating_sub(4)).into_iter().enumerate() {
                lines.push(Line::styled(
                    format!("{}{l}", if i == 0 { "  • " } else { "    " }),
                    th.dim,
                ));
            }
        }
    }
    (lines, starts, head)
}

pub struct DetailView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for DetailView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let Screen::Detail(threat) = f.screen() else {
            return;
        };
        let block = bordered(&tr(f, "wizard.detail.title"), self.theme, true);
        let inner = block.inner(area);
        block.render(area, buf);
        let (mut lines, starts, head) =
            detail_lines(f, self.theme, threat, usize::from(inner.width), true);
        // The finding's title stays on screen; the rest scrolls.
        let body = lines.split_off(head.min(lines.len()));
        let [top, rest] =
            Layout::vertical([Constraint::Length(u16_of(lines.len())), Constraint::Fill(1)])
                .areas(inner);
        Paragraph::new(lines).render(top, buf);
        let lines = body;
        let starts: Vec<usize> = starts.iter().map(|s| s - head).collect();
        let inner = rest;
        let h = usize::from(inner.height);
        // Scroll far enough that the selected mitigation (and the line after it) is in view.
        let mut top = usize::from(f.detail_scroll());
        if let Some(&s) = starts.get(f.detail_selected()) {
            let end = starts
                .get(f.detail_selected() + 1)
                .copied()
                .unwrap_or(s + 3);
            if end > top + h {
                top = end.min(lines.len()).saturating_sub(h).min(s);
            }
            if s < top && usize::from(f.detail_scroll()) == 0 {
                top = s;
            }
        }
        top = top.min(lines.len().saturating_sub(1));
        Paragraph::new(lines)
            .scroll((u16_of(top), 0))
            .render(inner, buf);
    }
}

pub struct FlowView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

/// Rows of one-line-high boxes (`┌ label ┐` on three lines), wrapped to the width.
fn box_rows(items: &[(String, Style)], w: usize, indent: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut row: Vec<(String, Style)> = Vec::new();
    let mut row_w = indent;
    let flush = |row: &mut Vec<(String, Style)>, out: &mut Vec<Line<'static>>| {
        if row.is_empty() {
            return;
        }
        let mut top = vec![Span::raw(" ".repeat(indent))];
        let mut mid = vec![Span::raw(" ".repeat(indent))];
        let mut bot = vec![Span::raw(" ".repeat(indent))];
        for (label, style) in row.drain(..) {
            let lw = width(&label);
            top.push(Span::styled(format!("┌{}┐ ", "─".repeat(lw + 2)), style));
            mid.push(Span::styled(format!("│ {label} │ "), style));
            bot.push(Span::styled(format!("└{}┘ ", "─".repeat(lw + 2)), style));
        }
        out.push(Line::from(top));
        out.push(Line::from(mid));
        out.push(Line::from(bot));
    };
    for (label, style) in items {
        let label = fit(label, w.saturating_sub(indent + 5));
        let bw = width(&label) + 5;
        if row_w + bw > w && !row.is_empty() {
            flush(&mut row, &mut out);
            row_w = indent;
        }
        row.push((label, *style));
        row_w += bw;
    }
    flush(&mut row, &mut out);
    out
}

pub fn flow_lines(f: &Flow<'_>, th: &Theme, df: &DataFlow, w: usize) -> Vec<Line<'static>> {
    let lang = f.lang();
    let label = |i: usize| -> String {
        let n = &df.nodes[i];
        let mut s = t(n.label.get(lang));
        if let Some(r) = &n.region {
            s.push_str(" · ");
            s.push_str(&t(r.get(lang)));
        }
        // A flow that crosses a border marks where the data arrives.
        let crossing = df
            .edges
            .iter()
            .filter(|e| e.to == i)
            .map(|e| e.crossing)
            .fold(Crossing::No, |a, c| match (a, c) {
                (Crossing::Yes, _) | (_, Crossing::Yes) => Crossing::Yes,
                (Crossing::Maybe, _) | (_, Crossing::Maybe) => Crossing::Maybe,
                _ => Crossing::No,
            });
        if n.third_party {
            s.push_str(" ⚑");
        }
        match crossing {
            Crossing::Yes => s.push_str(" ✈"),
            Crossing::Maybe => s.push_str(" ✈?"),
            Crossing::No => {}
        }
        s
    };
    let style_of = |i: usize| -> Style {
        let n = &df.nodes[i];
        if n.kind == NodeKind::Agent {
            th.title
        } else if n.third_party {
            th.mark
        } else {
            th.text
        }
    };
    let of_kind = |kinds: &[NodeKind]| -> Vec<usize> {
        (0..df.nodes.len())
            .filter(|&i| kinds.contains(&df.nodes[i].kind))
            .collect()
    };
    let edge_label = |to: &[usize]| -> String {
        let mut labels: Vec<String> = df
            .edges
            .iter()
            .filter(|e| to.contains(&e.to) && df.nodes[e.from].kind != NodeKind::Knowledge)
            .map(|e| t(e.label.get(lang)))
            .collect();
        labels.dedup();
        labels.join(" / ")
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    let arrow = |text: String, up: bool| -> Line<'static> {
        Line::styled(
            format!("      {} {text}", if up { "▲" } else { "▼" }),
            th.dim,
        )
    };
    let items = |ids: &[usize]| -> Vec<(String, Style)> {
        ids.iter().map(|&i| (label(i), style_of(i))).collect()
    };
    // Inbound: users → channels → platforms → agent.
    let stages = [
        of_kind(&[NodeKind::Users]),
        of_kind(&[NodeKind::Channel]),
        of_kind(&[NodeKind::Platform]),
        of_kind(&[NodeKind::Agent]),
    ];
    let mut first = true;
    for ids in stages.iter().filter(|s| !s.is_empty()) {
        if !first {
            lines.push(arrow(edge_label(ids), false));
        }
        first = false;
        lines.extend(box_rows(&items(ids), w, 2));
    }
    // Outbound from the agent, one branch per kind.
    for kinds in [
        &[NodeKind::Model][..],
        &[NodeKind::Knowledge],
        &[NodeKind::Tool],
        &[NodeKind::Memory],
        &[NodeKind::Logs],
    ] {
        let ids = of_kind(kinds);
        if ids.is_empty() {
            continue;
        }
        let up = kinds[0] == NodeKind::Knowledge;
        let text = if up {
            df.edges
                .iter()
                .find(|e| ids.contains(&e.from))
                .map(|e| t(e.label.get(lang)))
                .unwrap_or_default()
        } else {
            edge_label(&ids)
        };
        lines.push(Line::styled(
            format!(
                "  {} {}",
                if up {
                    "└──◀──"
                } else {
                    "└──▶──"
                },
                text
            ),
            th.dim,
        ));
        lines.extend(box_rows(&items(&ids), w, 8));
    }
    lines.push(Line::default());
    let third = df.nodes.iter().filter(|n| n.third_party).count();
    let crossing = df
        .edges
        .iter()
        .filter(|e| e.crossing == Crossing::Yes)
        .count();
    let maybe = df
        .edges
        .iter()
        .filter(|e| e.crossing == Crossing::Maybe)
        .count();
    for l in wrap(
        &trf(
            f,
            "wizard.flow.legend",
            &[
                ("third", third.to_string()),
                ("crossing", crossing.to_string()),
                ("maybe", maybe.to_string()),
            ],
        ),
        w,
    ) {
        lines.push(Line::styled(l, th.dim));
    }
    lines
}

impl Widget for FlowView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let block = bordered(&tr(f, "wizard.flow.title"), self.theme, true);
        let inner = block.inner(area);
        block.render(area, buf);
        let df = crate::dataflow::build(f.knowledge(), f.assessment(), f.ui());
        let lines = flow_lines(f, self.theme, &df, usize::from(inner.width));
        let max = lines.len().saturating_sub(usize::from(inner.height));
        let top = usize::from(f.flow_scroll()).min(max);
        Paragraph::new(lines)
            .scroll((u16_of(top), 0))
            .render(inner, buf);
    }
}

// ---- overlays ----------------------------------------------------------------------------------

fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears a popup's area. A wide character just left of it would otherwise still cover the
/// popup's left border, so it is blanked too.
fn clear_popup(r: Rect, buf: &mut Buffer) {
    Clear.render(r, buf);
    if r.x == 0 {
        return;
    }
    for y in r.y..r.y + r.height {
        let cell = &mut buf[(r.x - 1, y)];
        if width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

pub struct HelpView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let ctx = f.base_context();
        let w = 72u16.min(area.width.saturating_sub(4));
        let inner_w = usize::from(w.saturating_sub(2));
        let mut lines: Vec<Line> = Vec::new();
        for l in wrap(&tr(f, "wizard.help.intro"), inner_w) {
            lines.push(Line::styled(l, th.text));
        }
        lines.push(Line::default());
        for b in BINDINGS.iter().filter(|b| b.contexts.contains(&ctx)) {
            let keys = usable_keys(b, ctx);
            if keys.is_empty() {
                continue;
            }
            lines.push(Line::from(vec![
                Span::styled(pad(&keys_text(&keys, 4), 18), th.key),
                Span::raw(fit(&tr(f, b.label), inner_w.saturating_sub(18))),
            ]));
        }
        if ctx == Context::Typing {
            lines.push(Line::styled(
                fit(&tr(f, "wizard.help.typing"), inner_w),
                th.dim,
            ));
        }
        let h = u16_of(lines.len() + 2).min(area.height);
        let r = popup(area, w, h);
        clear_popup(r, buf);
        let block = bordered(&tr(f, "wizard.help.title"), th, true);
        let inner = block.inner(r);
        block.render(r, buf);
        Paragraph::new(lines).render(inner, buf);
    }
}

pub struct ConflictView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for ConflictView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let w = 64u16.min(area.width.saturating_sub(4));
        let inner_w = usize::from(w.saturating_sub(2));
        let mut lines: Vec<Line> = wrap(&tr(f, "wizard.conflict.text"), inner_w)
            .into_iter()
            .map(|l| Line::styled(l, th.text))
            .collect();
        lines.push(Line::default());
        for (cmd, key) in [
            (Command::Reload, "wizard.conflict.reload"),
            (Command::Overwrite, "wizard.conflict.overwrite"),
            (Command::Close, "wizard.conflict.cancel"),
        ] {
            let k = key_for(Context::Conflict, cmd).unwrap_or_default();
            for (i, l) in wrap(&tr(f, key), inner_w.saturating_sub(6))
                .into_iter()
                .enumerate()
            {
                lines.push(Line::from(vec![
                    Span::styled(pad(if i == 0 { &k } else { "" }, 6), th.key),
                    Span::raw(l),
                ]));
            }
        }
        let r = popup(area, w, u16_of(lines.len() + 2));
        clear_popup(r, buf);
        let block = bordered(&tr(f, "wizard.conflict.title"), th, true).border_style(th.error);
        let inner = block.inner(r);
        block.render(r, buf);
        Paragraph::new(lines).render(inner, buf);
    }
}

pub struct FormView<'a> {
    pub flow: &'a Flow<'a>,
    pub form: &'a Form,
    pub theme: &'a Theme,
    pub cursor: Cell<Option<Position>>,
}

impl Widget for &FormView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        let th = self.theme;
        let form = self.form;
        let w = 66u16.min(area.width.saturating_sub(4));
        let inner_w = usize::from(w.saturating_sub(2));
        let title = tr(
            f,
            if form.status == DecisionStatus::Accepted {
                "wizard.form.accept_title"
            } else {
                "wizard.form.na_title"
            },
        );
        let threat = &f.knowledge().catalog.threats[form.threat];
        let mut lines: Vec<Line> = Vec::new();
        for l in wrap(&t(threat.title.get(f.lang())), inner_w) {
            lines.push(Line::styled(l, th.title));
        }
        lines.push(Line::default());
        let mut fields = vec![(tr(f, "wizard.form.reason"), &form.reason)];
        if form.status == DecisionStatus::Accepted {
            fields.push((tr(f, "wizard.form.until"), &form.until));
        }
        let mut cursor_at: Option<(usize, usize)> = None;
        for (i, (label, input)) in fields.iter().enumerate() {
            lines.push(Line::styled(fit(label, inner_w), th.accent));
            let (shown, col) = input_window(input, inner_w.saturating_sub(4));
            let focus = form.field == i;
            if focus {
                cursor_at = Some((lines.len(), col));
            }
            lines.push(Line::from(vec![
                Span::styled(if focus { "❯ " } else { "  " }, th.key),
                Span::styled(
                    pad(&shown, inner_w.saturating_sub(4)),
                    if focus {
                        Style::new().add_modifier(Modifier::UNDERLINED)
                    } else {
                        th.text
                    },
                ),
            ]));
        }
        if let Some(e) = &form.error {
            lines.push(Line::styled(
                fit(&e.text(f.ui(), f.lang()), inner_w),
                th.error,
            ));
        } else {
            lines.push(Line::default());
        }
        let r = popup(area, w, u16_of(lines.len() + 2));
        clear_popup(r, buf);
        let block = bordered(&title, th, true);
        let inner = block.inner(r);
        block.render(r, buf);
        if let Some((row, col)) = cursor_at {
            self.cursor.set(Some(Position::new(
                inner.x + 2 + u16_of(col),
                inner.y + u16_of(row),
            )));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}
