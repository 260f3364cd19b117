//! The help overlay: every key of the current context, from the same table as the footer.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::wizard::flow::{Context, Flow};

use super::frame::{bordered, clear_popup, popup};
use super::keys::{BINDINGS, keys_text, usable_keys};
use super::text::{fit, pad, tr, u16_of, wrap};
use super::theme::Theme;

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
