//! The one `Theme`: every colour and emphasis the wizard uses, in colour and without.

use ratatui::style::{Color, Modifier, Style};

use crate::model::Severity;

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
