//! `agentguard check`: the CI gate. Loads the assessment, runs [`agentguard::check`], writes the
//! chosen format (text, JSON, SARIF) to standard output or `-o FILE`, and a one-screen summary in
//! the user's language to standard error. Exit 1 when the gate fails, 2 on a runtime error (an
//! unusable `--baseline`, a bad `--today`), 78 on an invalid assessment.

use std::path::{Component, Path, PathBuf};

use anyhow::Result;

use agentguard::check::{
    AnswerLines, BaselineChoice, Change, CheckError, CheckInput, CheckOutcome, DueFrom, Reason,
};
use agentguard::escape;
use agentguard::model::{Knowledge, Lang, Severity};

use super::{Ctx, os_text, print_err, write_output};
use crate::cli::{CheckArgs, CheckFormat};

/// Failing findings named in the summary; the rest are counted (the summary fits one screen).
const SUMMARY_FINDINGS: usize = 10;
/// Unanswered question ids named in the summary.
const SUMMARY_QUESTIONS: usize = 8;

pub(crate) fn check(ctx: &Ctx, args: &CheckArgs) -> Result<u8> {
    let lang0 = ctx.lang();
    let today = match &args.today {
        None => agentguard::clock::today(),
        Some(s) => agentguard::util::parse_date(s).ok_or_else(|| {
            anyhow::Error::msg(ctx.ui.fmt(
                lang0,
                "check.error.bad_today",
                &[("value", agentguard::redact::redact(s))],
            ))
        })?,
    };
    let baseline = match &args.baseline {
        None => BaselineChoice::None,
        Some(None) => BaselineChoice::Last,
        Some(Some(s)) => BaselineChoice::On(agentguard::util::parse_date(s).ok_or_else(|| {
            anyhow::Error::msg(ctx.ui.fmt(
                lang0,
                "check.error.bad_baseline",
                &[("value", agentguard::redact::redact(s))],
            ))
        })?),
    };
    let sources = ctx.sources()?;
    let path = ctx.answers_path();
    let (bytes, raw) = read_assessment(ctx, &path)?;
    let k = ctx.knowledge(&sources)?;
    let name = path.display().to_string();
    let text = String::from_utf8_lossy(&bytes);
    let lines = raw
        .as_ref()
        .map(|r| AnswerLines::from_raw(r, &text))
        .unwrap_or_default();
    let a = match raw.and_then(|raw| agentguard::load::check_assessment(&name, raw, &k)) {
        Ok((a, warnings)) => {
            ctx.print_diagnostics(&warnings, ctx.lang_flag.unwrap_or(a.lang));
            a
        }
        Err(d) => return Err(ctx.invalid_assessment(&d, &path)),
    };
    let lang = ctx.lang_flag.unwrap_or(a.lang);
    let findings = agentguard::evaluate(&k, &a, today);
    let input = CheckInput {
        knowledge: &k,
        assessment: &a,
        findings: &findings,
        today,
        fail_on: args.fail_on.severity(),
        baseline,
        fail_on_overdue: args.fail_on_overdue,
    };
    let outcome = agentguard::check::check(&input)
        .map_err(|e| anyhow::Error::msg(baseline_error(ctx, lang, &path, &e)))?;
    let rel = relative_path(&path);
    let output = match args.format {
        CheckFormat::Text => text_lines(ctx, &input, &outcome, &lines, lang, &rel),
        CheckFormat::Json => {
            let view = agentguard::check::view(&agentguard::check::ViewInput {
                input: &input,
                outcome: &outcome,
                lines: &lines,
                lang,
                file: &name,
            });
            agentguard::render::json(&view)? + "\n"
        }
        CheckFormat::Sarif => {
            let log = agentguard::sarif::build(&agentguard::sarif::SarifInput {
                knowledge: &k,
                findings: &findings,
                outcome: &outcome,
                lines: &lines,
                lang,
                ui: ctx.ui,
                path: &rel,
            });
            agentguard::render::json(&log)? + "\n"
        }
    };
    write_output(ctx, args.output.as_deref(), &output)?;
    print_err(&summary(ctx, &input, &outcome, lang, &name));
    Ok(outcome.exit_code)
}

type Raw = Result<agentguard::load::raw::RawAssessment, agentguard::Diagnostics>;

/// The assessment's bytes and its parse; a missing or unreadable file is exit 2 at once.
fn read_assessment(ctx: &Ctx, path: &Path) -> Result<(Vec<u8>, Raw)> {
    let lang = ctx.lang();
    let shown = path.display().to_string();
    let bytes = match agentguard::assets::read_limited(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!(ctx.ui.fmt(lang, "error.no_assessment", &[("path", shown)]));
        }
        Err(e) => {
            anyhow::bail!(ctx.ui.fmt(
                lang,
                "error.read_because",
                &[("path", shown), ("error", os_text(&e))]
            ));
        }
    };
    let raw = agentguard::load::parse_assessment(&shown, &bytes);
    Ok((bytes, raw))
}

fn baseline_error(ctx: &Ctx, lang: Lang, path: &Path, e: &CheckError) -> String {
    let shown = path.display().to_string();
    match e {
        CheckError::NoBaseline => ctx
            .ui
            .fmt(lang, "check.error.no_baseline", &[("path", shown)]),
        CheckError::NoReviewOn { date, available } => ctx.ui.fmt(
            lang,
            "check.error.no_review_on",
            &[
                ("date", date.clone()),
                ("path", shown),
                (
                    "available",
                    if available.is_empty() {
                        ctx.ui.get(lang, "check.none")
                    } else {
                        available.join(", ")
                    },
                ),
            ],
        ),
        CheckError::BaselineWithoutOpen { date } => ctx.ui.fmt(
            lang,
            "check.error.baseline_without_open",
            &[("date", date.clone())],
        ),
    }
}

/// The assessment path relative to the current directory, `/`-separated, without `./`: the same
/// file gives the same path (and so the same SARIF fingerprints) however it was named.
pub(crate) fn relative_path(path: &Path) -> String {
    let rel: PathBuf = if path.is_absolute() {
        let cwd = std::env::current_dir().ok();
        cwd.as_deref()
            .and_then(|c| path.strip_prefix(c).ok())
            .map(Path::to_path_buf)
            .or_else(|| {
                let c = std::fs::canonicalize(cwd.as_deref()?).ok()?;
                let p = std::fs::canonicalize(path).ok()?;
                p.strip_prefix(&c).ok().map(Path::to_path_buf)
            })
            .unwrap_or_else(|| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    let mut parts: Vec<String> = Vec::new();
    let mut rooted = false;
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::RootDir => rooted = true,
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".to_string()),
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if rooted { format!("/{joined}") } else { joined }
}

/// The width of the severity column of the summary ("critical", "严重").
const SEVERITY_COLUMN: usize = 8;

/// `s` padded with spaces to `width` terminal columns (Chinese characters take two).
fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn severity_word(ctx: &Ctx, lang: Lang, s: Severity) -> String {
    ctx.ui.get(lang, &format!("severity.{}", s.code()))
}

/// ` [new]`, ` [was low]`, ` [acceptance expired]`: what applies to a finding.
fn finding_notes(
    ctx: &Ctx,
    lang: Lang,
    g: &agentguard::check::Gated,
    f: &agentguard::evaluate::Finding,
) -> String {
    let mut notes = Vec::new();
    match g.change {
        Some(Change::New) => notes.push(ctx.ui.get(lang, "check.note.new")),
        Some(Change::Raised) => notes.push(
            ctx.ui.fmt(
                lang,
                "check.note.raised",
                &[(
                    "severity",
                    g.baseline_severity
                        .map(|s| severity_word(ctx, lang, s))
                        .unwrap_or_default(),
                )],
            ),
        ),
        Some(Change::Unchanged) | None => {}
    }
    if f.acceptance_expired {
        notes.push(ctx.ui.get(lang, "check.text.expired"));
    }
    let mut out = String::new();
    for n in notes {
        out.push_str(" [");
        out.push_str(&n);
        out.push(']');
    }
    out
}

/// `--format text`: one line per open definite finding, `FILE:LINE: severity: id: title`, with
/// what applies of `[fails]`, `[new]`, `[was …]`, `[acceptance expired]`.
fn text_lines(
    ctx: &Ctx,
    input: &CheckInput<'_>,
    outcome: &CheckOutcome,
    lines: &AnswerLines,
    lang: Lang,
    file: &str,
) -> String {
    let k = input.knowledge;
    let mut out = String::new();
    for g in &outcome.open {
        let f = &input.findings.findings[g.finding];
        let t = &k.catalog.threats[f.threat];
        let mut notes = String::new();
        if g.fails {
            notes.push_str(&format!(" [{}]", ctx.ui.get(lang, "check.text.fails")));
        }
        notes.push_str(&finding_notes(ctx, lang, g, f));
        out.push_str(&format!(
            "{file}:{}: {}: {}: {}{notes}\n",
            lines.line_of(k, f),
            severity_word(ctx, lang, f.severity),
            t.id,
            t.title.get(lang)
        ));
    }
    escape::terminal(&agentguard::redact::redact(&out), true)
}

/// The summary on standard error: what failed and why, what only warns, the verdict.
fn summary(
    ctx: &Ctx,
    input: &CheckInput<'_>,
    outcome: &CheckOutcome,
    lang: Lang,
    file: &str,
) -> String {
    let ui = ctx.ui;
    let k: &Knowledge = input.knowledge;
    let sev = severity_word(ctx, lang, input.fail_on);
    let mut out = vec![ui.fmt(
        lang,
        "check.heading",
        &[
            ("file", file.to_string()),
            ("catalog", k.catalog.manifest.version.to_string()),
            ("version", input.assessment.catalog_version.to_string()),
            ("today", agentguard::util::format_date(input.today)),
        ],
    )];
    let failing: Vec<_> = outcome.failing().collect();
    if !failing.is_empty() {
        let count = ("count", failing.len().to_string());
        out.push(match &outcome.baseline {
            Some(b) => ui.fmt(
                lang,
                "check.failing_since",
                &[count, ("severity", sev.clone()), ("date", b.date.clone())],
            ),
            None => ui.fmt(lang, "check.failing", &[count, ("severity", sev.clone())]),
        });
        for g in failing.iter().take(SUMMARY_FINDINGS) {
            let f = &input.findings.findings[g.finding];
            let t = &k.catalog.threats[f.threat];
            let notes = finding_notes(ctx, lang, g, f);
            out.push(format!(
                "  {} {}  {}{notes}",
                pad(&severity_word(ctx, lang, f.severity), SEVERITY_COLUMN),
                t.id,
                t.title.get(lang)
            ));
        }
        if failing.len() > SUMMARY_FINDINGS {
            out.push(format!(
                "  {}",
                ui.fmt(
                    lang,
                    "check.more",
                    &[("count", (failing.len() - SUMMARY_FINDINGS).to_string())]
                )
            ));
        }
    }
    if let Some(b) = &outcome.baseline {
        let known = outcome
            .open
            .iter()
            .filter(|g| {
                g.change == Some(Change::Unchanged)
                    && input.findings.findings[g.finding].severity >= input.fail_on
            })
            .count();
        if known > 0 {
            out.push(ui.fmt(
                lang,
                "check.known",
                &[
                    ("count", known.to_string()),
                    ("severity", sev.clone()),
                    ("date", b.date.clone()),
                ],
            ));
        }
    }
    let possible = input.findings.possible().count();
    if possible > 0 {
        out.push(ui.fmt(lang, "check.possible", &[("count", possible.to_string())]));
    }
    let ids = |qs: &[usize]| {
        let mut s: Vec<&str> = qs
            .iter()
            .take(SUMMARY_QUESTIONS)
            .map(|&q| k.questionnaire.questions[q].id.as_str())
            .collect();
        if qs.len() > SUMMARY_QUESTIONS {
            s.push("…");
        }
        s.join(", ")
    };
    if !outcome.unanswered.is_empty() {
        out.push(ui.fmt(
            lang,
            "check.unanswered",
            &[
                ("count", outcome.unanswered.len().to_string()),
                ("ids", ids(&outcome.unanswered)),
            ],
        ));
    }
    if !outcome.unanswered_newer.is_empty() {
        out.push(ui.fmt(
            lang,
            "check.unanswered_newer",
            &[
                ("count", outcome.unanswered_newer.len().to_string()),
                ("version", input.assessment.catalog_version.to_string()),
                ("ids", ids(&outcome.unanswered_newer)),
            ],
        ));
    }
    if let Some(r) = outcome.review.as_ref().filter(|r| r.overdue) {
        let key = match r.from {
            DueFrom::Review => "check.overdue",
            DueFrom::Answers => "check.overdue_from_answers",
        };
        let text = ui.fmt(
            lang,
            key,
            &[
                ("due", agentguard::util::format_date(r.due)),
                ("interval", r.interval_days.to_string()),
                ("since", agentguard::util::format_date(r.since)),
            ],
        );
        out.push(if input.fail_on_overdue {
            text
        } else {
            ui.fmt(lang, "check.overdue_warning", &[("text", text)])
        });
    }
    out.push(if outcome.reasons.is_empty() {
        match &outcome.baseline {
            Some(b) => ui.fmt(
                lang,
                "check.passed_since",
                &[("severity", sev), ("date", b.date.clone())],
            ),
            None => ui.fmt(lang, "check.passed", &[("severity", sev)]),
        }
    } else {
        let reasons: Vec<String> = outcome
            .reasons
            .iter()
            .map(|r| {
                ui.get(
                    lang,
                    match r {
                        Reason::Findings => "check.reason.findings",
                        Reason::Unanswered => "check.reason.unanswered",
                        Reason::Overdue => "check.reason.overdue",
                    },
                )
            })
            .collect();
        ui.fmt(
            lang,
            "check.failed",
            &[("reasons", reasons.join(&ui.get(lang, "check.reason.sep")))],
        )
    });
    let mut s = out.join("\n");
    s.push('\n');
    escape::terminal(&agentguard::redact::redact(&s), true)
}
