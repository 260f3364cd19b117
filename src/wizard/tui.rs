//! The full-screen front end (ratatui + crossterm). `run` is generic over the ratatui `Backend`,
//! so the whole application runs against `TestBackend` in tests; `run_terminal` sets the real
//! terminal up with `ratatui::try_init` (whose panic hook restores it) and always restores it.
//! Everything is drawn from `&Flow` by widgets; colours live in one `Theme`; the key bindings
//! are declared once in `BINDINGS`, which maps keys to commands and feeds both the footer and
//! the help overlay. This file owns the loop and `App`, which lays the frame and the current
//! screen out; each screen has its own file under `tui/` (`question`, `risk`, `summary`,
//! `dataflow`, `help`, `dialog`, `review`), beside the shared `frame`, `keys`, `text` and `theme`.

mod dataflow;
mod dialog;
mod frame;
mod help;
mod keys;
mod question;
mod review;
mod risk;
mod summary;
mod text;
mod theme;

use std::cell::Cell;
use std::collections::VecDeque;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{self, Event as CEvent, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::widgets::Widget;

use super::flow::{Flow, Overlay, Screen};
use super::{Outcome, Session, WizardError};
use frame::{Header, StatusLine};

pub use dataflow::{FlowView, flow_lines};
pub use dialog::{ConflictView, DocsEditedView, FormView, SecretView};
pub use frame::{Footer, MIN_HEIGHT, MIN_WIDTH, TooSmall, WIDE};
pub use help::HelpView;
pub use keys::{BINDINGS, Binding, Key, key_for, key_label, lookup, to_event};
pub use question::{QuestionView, Sections};
pub use review::ReviewView;
pub use risk::RiskPanel;
pub use summary::{DetailView, SummaryView};
pub use text::{fit, wrap};
pub use theme::Theme;

/// Where terminal events come from: the real terminal, or a script in tests.
pub trait Input {
    /// The next event; `None` ends the run.
    fn next(&mut self) -> std::io::Result<Option<CEvent>>;
}

/// The real terminal. Waits in short polls so a caught signal (see [`Signals`]) ends the run
/// within [`SIGNAL_POLL`].
pub struct TerminalInput<'a> {
    signals: &'a Signals,
}

/// How often a waiting full-screen run checks for a caught signal.
pub const SIGNAL_POLL: std::time::Duration = std::time::Duration::from_millis(100);

impl Input for TerminalInput<'_> {
    fn next(&mut self) -> std::io::Result<Option<CEvent>> {
        loop {
            if self.signals.caught().is_some() {
                return Ok(None);
            }
            if event::poll(SIGNAL_POLL)? {
                return event::read().map(Some);
            }
        }
    }
}

/// The catchable signals that would otherwise end the process with the terminal still in the
/// alternate screen and raw mode. While registered, a signal only records itself; the run then
/// ends, the terminal is restored, and the caller exits with 128 + the signal. Completed answers
/// are already on disk; a half-typed one is dropped.
pub struct Signals {
    caught: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    #[cfg(unix)]
    ids: Vec<signal_hook::SigId>,
}

impl Signals {
    /// Registers SIGTERM, SIGHUP, SIGQUIT and SIGINT (Unix; elsewhere none, and Ctrl-C arrives
    /// as a key in raw mode).
    pub fn register() -> std::io::Result<Signals> {
        let caught = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
            let mut ids = Vec::new();
            for sig in [SIGTERM, SIGHUP, SIGQUIT, SIGINT] {
                let value = usize::try_from(sig).unwrap_or(0);
                ids.push(signal_hook::flag::register_usize(
                    sig,
                    std::sync::Arc::clone(&caught),
                    value,
                )?);
            }
            Ok(Signals { caught, ids })
        }
        #[cfg(not(unix))]
        Ok(Signals { caught })
    }

    /// The signal caught, if any.
    pub fn caught(&self) -> Option<i32> {
        match self.caught.load(std::sync::atomic::Ordering::SeqCst) {
            0 => None,
            n => i32::try_from(n).ok(),
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        #[cfg(unix)]
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
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
/// all three undone on every way out (the panic hook of `ratatui::try_init` restores too, and a
/// caught SIGTERM, SIGHUP, SIGQUIT or SIGINT ends the run so they are undone, see [`Signals`]).
pub fn run_terminal(
    flow: &mut Flow<'_>,
    session: &mut Session<'_>,
    theme: &Theme,
) -> Result<Outcome, WizardError> {
    let signals = Signals::register()?;
    let mut terminal = ratatui::try_init()?;
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::EnableBracketedPaste);
    let r = run(
        &mut terminal,
        flow,
        session,
        &mut TerminalInput { signals: &signals },
        theme,
    );
    // Write errors are ignored: after SIGHUP the terminal may be gone.
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::DisableBracketedPaste);
    let _ = ratatui::try_restore();
    // After SIGHUP reading the terminal may fail too: the signal, not that error, ended the run.
    if let Some(sig) = signals.caught() {
        let mut outcome = Outcome::of(flow);
        outcome.signal = Some(sig);
        return Ok(outcome);
    }
    r
}

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
            Screen::Review | Screen::Confirm | Screen::Acceptance => ReviewView {
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
            Some(Overlay::DocsEdited(files)) => DocsEditedView {
                flow: f,
                files,
                theme: self.theme,
            }
            .render(body, buf),
            Some(Overlay::ConfirmSecret(_)) => SecretView {
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
