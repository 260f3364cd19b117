//! Diagnostics: one problem found in an input file, with a stable code, a location and a fix hint.
//! The words live in the locale files (`diag.<code>` and `diag.<code>.help`), so every problem can
//! be told in both languages; arguments fill the `{placeholders}`.

use serde::Serialize;

use crate::i18n::Ui;
use crate::model::{Lang, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub level: Level,
    pub span: Span,
    pub args: Vec<(&'static str, String)>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span) -> Self {
        Diagnostic {
            code,
            level: if code.starts_with('W') {
                Level::Warning
            } else {
                Level::Error
            },
            span,
            args: Vec::new(),
        }
    }

    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    pub fn message(&self, ui: &Ui, lang: Lang) -> String {
        ui.fmt(lang, &format!("diag.{}", self.code), &self.args)
    }

    pub fn help(&self, ui: &Ui, lang: Lang) -> String {
        ui.fmt(lang, &format!("diag.{}.help", self.code), &self.args)
    }

    /// The hint, with "did you mean …?" when a near id was found.
    pub fn full_help(&self, ui: &Ui, lang: Lang) -> String {
        let mut help = self.help(ui, lang);
        if let Some((_, s)) = self
            .args
            .iter()
            .find(|(n, v)| *n == "suggestion" && !v.is_empty())
        {
            let sep = if lang == Lang::Zh { "" } else { " " };
            help = format!(
                "{}{sep}{help}",
                ui.fmt(lang, "diag.did_you_mean", &[("suggestion", s.clone())])
            );
        }
        help
    }

    /// rustc-style rendering: `error[E0203]: message\n  --> file:line:col\n  = help: …`.
    pub fn render(&self, ui: &Ui, lang: Lang) -> String {
        let level = ui.get(
            lang,
            match self.level {
                Level::Error => "diag.level.error",
                Level::Warning => "diag.level.warning",
            },
        );
        format!(
            "{level}[{code}]: {msg}\n  --> {span}\n  = {help_word}: {help}",
            code = self.code,
            msg = self.message(ui, lang),
            span = self.span,
            help_word = ui.get(lang, "diag.help_word"),
            help = self.full_help(ui, lang),
        )
    }
}

/// All problems found while loading, errors first, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    pub fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (a.level, &a.span).cmp(&(b.level, &b.span)));
        self.0.dedup();
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Loading failed: the problems that stop it (and any warnings found on the way).
#[derive(Debug, thiserror::Error)]
#[error("invalid input: {} problem(s)", .0.len())]
pub struct Invalid(pub Diagnostics);
