//! The dialogs drawn over a screen: the save conflict (the file changed on disk: reload,
//! overwrite or cancel), the secret check (store a credential-shaped text anyway?), the edited
//! documents (replace, write beside, cancel) and the decision form (accepting a threat with a reason and an end date,
//! or marking it not applicable with a reason).

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::model::DecisionStatus;
use crate::wizard::flow::{Command, Context, Flow, Form};

use super::frame::{bordered, clear_popup, popup};
use super::keys::key_for;
use super::question::input_window;
use super::text::{fit, pad, t, tr, u16_of, wrap};
use super::theme::Theme;

pub struct ConflictView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for ConflictView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let text = tr(self.flow, "wizard.conflict.text");
        choice_dialog(
            &ChoiceDialog {
                flow: self.flow,
                theme: self.theme,
                title: "wizard.conflict.title",
                text: &text,
                context: Context::Conflict,
                options: &[
                    (Command::Reload, "wizard.conflict.reload"),
                    (Command::Overwrite, "wizard.conflict.overwrite"),
                    (Command::Close, "wizard.conflict.cancel"),
                ],
                key_width: 6,
            },
            area,
            buf,
        );
    }
}

/// A warning dialog: its text, then one line per choice with the key that makes it.
struct ChoiceDialog<'a> {
    flow: &'a Flow<'a>,
    theme: &'a Theme,
    /// Locale keys of the title and of each choice's label.
    title: &'a str,
    text: &'a str,
    context: Context,
    options: &'a [(Command, &'a str)],
    /// Columns the key column takes, so the labels line up.
    key_width: usize,
}

fn choice_dialog(d: &ChoiceDialog<'_>, area: Rect, buf: &mut Buffer) {
    let (f, th) = (d.flow, d.theme);
    let w = 64u16.min(area.width.saturating_sub(4));
    let inner_w = usize::from(w.saturating_sub(2));
    let mut lines: Vec<Line> = wrap(d.text, inner_w)
        .into_iter()
        .map(|l| Line::styled(l, th.text))
        .collect();
    lines.push(Line::default());
    for &(cmd, key) in d.options {
        let k = key_for(d.context, cmd).unwrap_or_default();
        for (i, l) in wrap(&tr(f, key), inner_w.saturating_sub(d.key_width))
            .into_iter()
            .enumerate()
        {
            lines.push(Line::from(vec![
                Span::styled(pad(if i == 0 { &k } else { "" }, d.key_width), th.key),
                Span::raw(l),
            ]));
        }
    }
    let r = popup(area, w, u16_of(lines.len() + 2));
    clear_popup(r, buf);
    let block = bordered(&tr(f, d.title), th, true).border_style(th.error);
    let inner = block.inner(r);
    block.render(r, buf);
    Paragraph::new(lines).render(inner, buf);
}

/// "This looks like a secret": store the text anyway, or go back and change it.
pub struct SecretView<'a> {
    pub flow: &'a Flow<'a>,
    pub theme: &'a Theme,
}

impl Widget for SecretView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let text = tr(self.flow, "wizard.secret.text");
        choice_dialog(
            &ChoiceDialog {
                flow: self.flow,
                theme: self.theme,
                title: "wizard.secret.title",
                text: &text,
                context: Context::ConfirmSecret,
                options: &[
                    (Command::Accept, "wizard.secret.store"),
                    (Command::Close, "wizard.secret.change"),
                ],
                key_width: 8,
            },
            area,
            buf,
        );
    }
}

/// "You edited these documents": replace them, write the new versions beside them, or cancel.
pub struct DocsEditedView<'a> {
    pub flow: &'a Flow<'a>,
    pub files: &'a [String],
    pub theme: &'a Theme,
}

impl Widget for DocsEditedView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let files = t(&self.files.join(", "));
        let text = self.flow.ui().fmt(
            self.flow.lang(),
            "wizard.docs_edited.text",
            &[("files", files)],
        );
        choice_dialog(
            &ChoiceDialog {
                flow: self.flow,
                theme: self.theme,
                title: "wizard.docs_edited.title",
                text: &text,
                context: Context::DocsEdited,
                options: &[
                    (Command::Accept, "wizard.docs_edited.beside"),
                    (Command::Overwrite, "wizard.docs_edited.replace"),
                    (Command::Close, "wizard.docs_edited.cancel"),
                ],
                key_width: 8,
            },
            area,
            buf,
        );
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
