//! The interactive wizard: one pure state machine (`flow`) and two front ends that drive it, the
//! full-screen terminal interface (`tui`, ratatui) and the line-by-line prompts (`plain`,
//! inquire). This module owns what both front ends share: carrying out the machine's effects
//! (saving the assessment, reloading it, writing the documents) and the timing trace.

pub mod flow;
pub mod plain;
pub mod tui;

use std::io::Write as _;
use std::time::{Duration, Instant};

use crate::docs::{OnEdited, WriteReport};
use crate::evaluate::Findings;
use crate::i18n::Ui;
use crate::model::{Assessment, Knowledge, Lang};
use crate::store::{StoreError, Stored};

use flow::{Effect, Event, Flow};

#[derive(Debug, thiserror::Error)]
pub enum WizardError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("prompt: {0}")]
    Prompt(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Writes the documents (checklist, privacy notice) for the answers, handling documents the
/// user edited as `OnEdited` says; reports the files written (with their hashes) or the edited
/// ones. Supplied by the binary so the wizard does not depend on where templates come from.
pub type DocWriter<'a> = dyn Fn(&Knowledge, &Assessment, &Findings, &Ui, Lang, OnEdited) -> Result<WriteReport, String>
    + 'a;

/// What the wizard ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub answered: usize,
    pub visible: usize,
    /// Every visible question is answered.
    pub complete: bool,
    /// Everything the user gave is on disk (the last save succeeded, or nothing changed).
    pub saved: bool,
    /// What is not on disk when `saved` is false: answer and decision ids.
    pub not_on_disk: Vec<String>,
    /// Why the last save failed (`None` for a change on disk that was not resolved).
    pub save_error: Option<String>,
    /// The signal that ended a full-screen run (SIGTERM, SIGHUP …), if one did.
    pub signal: Option<i32>,
}

impl Outcome {
    pub fn of(flow: &Flow<'_>) -> Outcome {
        let visible = flow.findings().visible.len();
        let answered = flow.answered_count();
        let saved = flow.save_state() == flow::SaveState::Saved;
        Outcome {
            answered,
            visible,
            complete: answered == visible,
            saved,
            not_on_disk: if saved {
                Vec::new()
            } else {
                flow.not_on_disk()
            },
            save_error: flow.save_error().map(str::to_string),
            signal: None,
        }
    }

    /// The line printed when the wizard ends: what is answered and whether it is all on disk.
    /// The path is escaped for the terminal; a secret in an error detail is redacted.
    pub fn message(&self, ui: &Ui, lang: Lang, path: &std::path::Path) -> String {
        let path = crate::escape::terminal(&path.display().to_string(), false);
        let counts = [
            ("answered", self.answered.to_string()),
            ("visible", self.visible.to_string()),
        ];
        if !self.saved {
            let detail = self.save_error.as_deref().map_or_else(
                || ui.get(lang, "wizard.exit.conflict_detail"),
                |d| crate::escape::terminal(&crate::redact::redact(d), false),
            );
            let missing = if self.not_on_disk.is_empty() {
                ui.get(lang, "wizard.exit.unsaved_settings")
            } else {
                crate::escape::terminal(&self.not_on_disk.join(", "), false)
            };
            let mut args = counts.to_vec();
            args.extend([("path", path), ("detail", detail), ("missing", missing)]);
            return ui.fmt(lang, "wizard.exit.unsaved", &args);
        }
        let mut args = counts.to_vec();
        args.push(("path", path));
        ui.fmt(
            lang,
            if self.complete {
                "wizard.exit.complete"
            } else {
                "wizard.exit.partial"
            },
            &args,
        )
    }

    /// The process's exit code: 2 when the last save failed, 128 + the signal when one ended
    /// the run, else 0.
    pub fn exit_code(&self) -> u8 {
        if let Some(sig) = self.signal {
            return u8::try_from(128 + sig).unwrap_or(2);
        }
        if self.saved { 0 } else { 2 }
    }
}

/// The I/O side of a wizard run: the assessment file and the document writer.
pub struct Session<'a> {
    pub stored: Stored,
    pub docs: Option<&'a DocWriter<'a>>,
    pub trace: Trace,
}

impl Session<'_> {
    /// Carries out one effect; returns the event that reports its result (none for `Quit`).
    pub fn apply(&mut self, flow: &Flow<'_>, effect: Effect) -> Option<Event> {
        match effect {
            Effect::Save | Effect::Overwrite => {
                if effect == Effect::Overwrite {
                    self.stored.take_over();
                }
                self.stored.assessment.clone_from(flow.assessment());
                let t = Instant::now();
                let r = self.stored.save();
                self.trace.save(t.elapsed());
                Some(match r {
                    Ok(()) => Event::Saved,
                    Err(StoreError::Conflict { .. }) => Event::SaveConflict,
                    Err(e) => Event::SaveFailed(e.to_string()),
                })
            }
            Effect::Reload => {
                match Stored::open(&self.stored.path, flow.knowledge(), flow.lang()) {
                    Ok(s) => {
                        let a = s.assessment.clone();
                        self.stored = s;
                        Some(Event::Reloaded(Box::new(a)))
                    }
                    Err(e) => Some(Event::ReloadFailed(e.to_string())),
                }
            }
            Effect::WriteDocs(policy) => Some(match self.docs {
                None => Event::DocsUnavailable,
                Some(write) => match write(
                    flow.knowledge(),
                    flow.assessment(),
                    flow.findings(),
                    flow.ui(),
                    flow.lang(),
                    policy,
                ) {
                    Ok(WriteReport::Written(files)) => Event::DocsWritten {
                        paths: files.iter().map(|w| w.path.display().to_string()).collect(),
                        written: files.into_iter().map(|w| (w.name, w.sha256)).collect(),
                    },
                    Ok(WriteReport::Edited(paths)) => Event::DocsEdited(
                        paths
                            .iter()
                            .map(|p| {
                                p.file_name().map_or_else(
                                    || p.display().to_string(),
                                    |n| n.to_string_lossy().into_owned(),
                                )
                            })
                            .collect(),
                    ),
                    Err(e) => Event::DocsFailed(e),
                },
            }),
            Effect::Quit => None,
        }
    }

    /// Feeds `event` to the machine and carries out every effect, feeding their results back
    /// until nothing is left. Returns true when the machine asked to quit.
    pub fn dispatch(&mut self, flow: &mut Flow<'_>, event: Event) -> bool {
        let mut queue = vec![event];
        let mut quit = false;
        while let Some(ev) = queue.pop() {
            let t = Instant::now();
            let label = self.trace.is_on().then(|| event_label(&ev));
            let effects = flow.handle(ev);
            if let Some(label) = label {
                self.trace.event(&label, t.elapsed());
            }
            for e in effects {
                if e == Effect::Quit {
                    quit = true;
                } else if let Some(next) = self.apply(flow, e) {
                    queue.push(next);
                }
            }
        }
        quit
    }
}

fn event_label(e: &Event) -> String {
    match e {
        Event::Cmd(c) => format!("{c:?}"),
        Event::Char(_) => "Char".into(),
        Event::Paste(s) => format!("Paste({})", s.chars().count()),
        Event::Answer(_) => "Answer".into(),
        Event::Reloaded(_) => "Reloaded".into(),
        other => format!("{other:?}").chars().take(40).collect(),
    }
}

/// Per-event handling and per-frame render times, written when `AGENTGUARD_TRACE` is set (`1`
/// for stderr, anything else is a file path), so the timing figures can be reproduced. Times
/// are microseconds; `t` is since the wizard started; `unix_us` lets a script measure from
/// before the process started.
pub struct Trace {
    out: Option<Box<dyn std::io::Write>>,
    start: Instant,
    frames: u64,
    /// Time spent saving since the last key's frame, reported apart from handling and drawing.
    saving: Duration,
}

impl Trace {
    pub fn off() -> Trace {
        Trace {
            out: None,
            start: Instant::now(),
            frames: 0,
            saving: Duration::ZERO,
        }
    }

    /// From the environment; `start` is when the command began.
    pub fn from_env(start: Instant) -> Trace {
        let out: Option<Box<dyn std::io::Write>> = match std::env::var("AGENTGUARD_TRACE") {
            Ok(v) if v.is_empty() || v == "0" => None,
            Ok(v) if v == "1" => Some(Box::new(std::io::stderr())),
            Ok(path) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .ok()
                .map(|f| Box::new(std::io::LineWriter::new(f)) as Box<dyn std::io::Write>),
            Err(_) => None,
        };
        Trace {
            out,
            start,
            frames: 0,
            saving: Duration::ZERO,
        }
    }

    pub fn is_on(&self) -> bool {
        self.out.is_some()
    }

    fn line(&mut self, what: std::fmt::Arguments<'_>) {
        let t = self.start.elapsed().as_micros();
        if let Some(out) = &mut self.out {
            let _ = writeln!(out, "agentguard-trace t_us={t} {what}");
        }
    }

    pub fn event(&mut self, name: &str, took: Duration) {
        self.line(format_args!(
            "kind=event name={name} handle_us={}",
            took.as_micros()
        ));
    }

    pub fn save(&mut self, took: Duration) {
        self.saving += took;
        self.line(format_args!("kind=save save_us={}", took.as_micros()));
    }

    pub fn frame(&mut self, took: Duration) {
        self.frames += 1;
        let n = self.frames;
        if n == 1 {
            let unix_us = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_micros());
            self.line(format_args!(
                "kind=first_frame render_us={} unix_us={unix_us}",
                took.as_micros()
            ));
        } else {
            self.line(format_args!(
                "kind=frame n={n} render_us={}",
                took.as_micros()
            ));
        }
    }

    /// From a key arriving to its frame being on the terminal: in all, the part spent saving,
    /// and the rest (handling and drawing).
    pub fn key_to_frame(&mut self, took: Duration) {
        let saving = std::mem::take(&mut self.saving);
        self.line(format_args!(
            "kind=key_to_frame us={} save_us={} without_save_us={}",
            took.as_micros(),
            saving.as_micros(),
            took.saturating_sub(saving).as_micros()
        ));
    }

    pub fn note(&mut self, what: &str) {
        self.line(format_args!("kind=note {what}"));
    }
}
