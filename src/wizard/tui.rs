//! The full-screen front end (ratatui + crossterm). `run` is generic over the ratatui `Backend`,
//! so the whole application runs against `TestBackend` in tests; `run_terminal` sets the real
//! terminal up with `ratatui::try_init` (whose panic hook restores it) and always restores it.
//! Everything is drawn from `&Flow` by widgets; colours live in one `Theme`; the key bindings
//! are declared once in `BINDINGS`, which maps keys to commands and feeds both the footer and
//! the help overlay. This file owns the loop and `App`, which lays the frame and the current
//! screen out; each screen has its own file under `tui/` (`question`, `risk`, `summary`,
//! `dataflow`, `help`, `dialog`), beside the shared `frame`, `keys`, `text` and `theme`.

mod dataflow;
mod dialog;
mod frame;
mod help;
mod keys;
mod question;
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
pub use dialog::{ConflictView, FormView};
pub use frame::{Footer, MIN_HEIGHT, MIN_WIDTH, TooSmall, WIDE};
pub use help::HelpView;
pub use keys::{BINDINGS, Binding, Key, key_for, key_label, lookup, to_event};
pub use question::{QuestionView, Sections};
pub use risk::RiskPanel;
pub use summary::{DetailView, SummaryView};
pub use text::{fit, wrap};
pub use theme::Theme;

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
