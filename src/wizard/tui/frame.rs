//! The frame around every screen: the minimum terminal size (and the message shown below it),
//! the header line, the status line, the footer's key hints, and the bordered boxes and popups
//! the screens draw in.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

use crate::model::Lang;
use crate::wizard::flow::{Command, Flow, NoticeKind, SaveState};

use super::keys::{BINDINGS, keys_text, usable_keys};
use super::text::{fit, pad, t, tr, trf, width, wrap};
use super::theme::Theme;

/// The smallest terminal the wizard draws in; smaller ones get a message instead.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// From this width on, the risk panel sits on the right instead of below the question.
pub const WIDE: u16 = 110;

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

pub(super) struct Header<'a> {
    pub(super) flow: &'a Flow<'a>,
    pub(super) theme: &'a Theme,
}

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let f = self.flow;
        // Shown, never edited here: a credential-shaped name is shortened.
        let name = crate::docs::profile::agent_name(f.knowledge(), f.assessment())
            .filter(|s| !s.trim().is_empty())
            .map_or_else(
                || tr(f, "report.unnamed_agent"),
                |s| t(&crate::redact::redact(&s)),
            );
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

pub(super) struct StatusLine<'a> {
    pub(super) flow: &'a Flow<'a>,
    pub(super) theme: &'a Theme,
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

pub(super) fn bordered<'a>(title: &str, theme: &Theme, focus: bool) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(if focus {
            theme.focus_border
        } else {
            theme.border
        })
        .title(Span::styled(format!(" {title} "), theme.title))
}

pub(super) fn popup(area: Rect, w: u16, h: u16) -> Rect {
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
pub(super) fn clear_popup(r: Rect, buf: &mut Buffer) {
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
