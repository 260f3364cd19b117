//! The CI gate behind `agentguard check` (issue 15): findings, unanswered questions, the review
//! date and an optional baseline in, a typed [`CheckOutcome`] out — which findings fail, which
//! questions block, what only warns, and the exit code that follows. Nothing here prints: the
//! command says the outcome in the user's language, and [`view`] gives its JSON shape
//! (`schemas/check.schema.json`).
//!
//! The rules, from the issue: a *definite* open finding at or above the threshold fails (possible
//! findings never do; an expired acceptance is open); unanswered visible questions fail, except
//! those added by a catalog newer than the assessment's (they warn, so a catalog upgrade does not
//! turn every pull request red); an overdue review warns, or fails with `fail_on_overdue`; with a
//! baseline only findings new since it (or now more severe than recorded there) fail.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::condition::Leaf;
use crate::evaluate::{Certainty, Finding, Findings};
use crate::model::{Assessment, Knowledge, Lang, Review, Severity};

/// The version of the check JSON (`schemas/check.schema.json`); raised on an incompatible change.
pub const CHECK_SCHEMA_VERSION: u32 = 1;

/// Which review the findings are compared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaselineChoice {
    /// Every finding at or above the threshold counts.
    None,
    /// The last completed review that recorded its open findings.
    Last,
    /// The review of this date (days since the epoch).
    On(i64),
}

/// Why a baseline cannot be used: exit 2, with a message saying to run `agentguard review` once
/// (or to drop `--baseline`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("no review in the assessment records its open findings")]
    NoBaseline,
    #[error("no review on {date}")]
    NoReviewOn {
        date: String,
        /// The dates of the reviews there are, oldest first.
        available: Vec<String>,
    },
    #[error("the review of {date} does not record its open findings")]
    BaselineWithoutOpen { date: String },
}

/// What the gate is asked.
#[derive(Clone, Debug)]
pub struct CheckInput<'a> {
    pub knowledge: &'a Knowledge,
    pub assessment: &'a Assessment,
    pub findings: &'a Findings,
    /// Days since the epoch: the user's calendar date, or `--today`.
    pub today: i64,
    pub fail_on: Severity,
    pub baseline: BaselineChoice,
    pub fail_on_overdue: bool,
}

/// Why the gate failed (exit 1); several may hold at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// An open definite finding at or above the threshold (new since the baseline, with one).
    Findings,
    /// Visible questions of the assessment's own catalog version are unanswered.
    Unanswered,
    /// The review is overdue and `--fail-on-overdue` was given.
    Overdue,
}

/// What is said but does not fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// Unanswered questions that a catalog newer than the assessment's added.
    NewerQuestions,
    /// The review is overdue (without `--fail-on-overdue`).
    OverdueReview,
}

/// How a finding stands against the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Not open at the baseline.
    New,
    /// Open at the baseline with a lower severity.
    Raised,
    /// Open at the baseline with the same or a higher severity.
    Unchanged,
}

/// One open definite finding as the gate sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gated {
    /// Index into `Findings::findings`.
    pub finding: usize,
    /// Against the baseline; `None` without one.
    pub change: Option<Change>,
    /// The severity recorded at the baseline, when it was open there.
    pub baseline_severity: Option<Severity>,
    /// Whether this finding makes the gate fail.
    pub fails: bool,
}

/// Where the review date comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DueFrom {
    /// The last review's date.
    Review,
    /// No review yet: the newest answer's date.
    Answers,
}

/// When the next review falls due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewDue {
    pub from: DueFrom,
    /// The date counted from (days since the epoch).
    pub since: i64,
    pub interval_days: u32,
    /// `since + interval_days`; overdue from the day after.
    pub due: i64,
    pub overdue: bool,
}

/// The baseline used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    pub date: String,
    pub open: BTreeMap<String, Severity>,
}

/// The gate's decision with everything needed to explain it.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckOutcome {
    /// 0 (pass) or 1 (failed gate).
    pub exit_code: u8,
    pub reasons: Vec<Reason>,
    pub warnings: Vec<Warning>,
    /// Every open definite finding, in the findings' order (failing ones marked).
    pub open: Vec<Gated>,
    /// Unanswered visible questions of the assessment's catalog version (they fail), in order.
    pub unanswered: Vec<usize>,
    /// Unanswered visible questions a newer catalog added (they warn), in order.
    pub unanswered_newer: Vec<usize>,
    /// `None` when there is no date to count from (no review, no dated answer).
    pub review: Option<ReviewDue>,
    pub baseline: Option<Baseline>,
}

impl CheckOutcome {
    /// The failing findings, in order.
    pub fn failing(&self) -> impl Iterator<Item = &Gated> {
        self.open.iter().filter(|g| g.fails)
    }
}

/// Runs the gate.
pub fn check(input: &CheckInput<'_>) -> Result<CheckOutcome, CheckError> {
    let a = input.assessment;
    let k = input.knowledge;
    let baseline = select_baseline(&a.reviews, &input.baseline)?;
    let mut open: Vec<Gated> = input
        .findings
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.certainty == Certainty::Definite && f.is_open())
        .map(|(i, f)| gate(k, f, i, input.fail_on, baseline.as_ref()))
        .collect();
    // Most severe first in every format (text, JSON, SARIF); the sort is stable, so findings of
    // one severity keep the engine's order (lifecycle stage, then catalog order).
    open.sort_by_key(|g| std::cmp::Reverse(input.findings.findings[g.finding].severity));

    let newer = newer_question_ids(k, a.catalog_version);
    let (unanswered_newer, unanswered): (Vec<usize>, Vec<usize>) = input
        .findings
        .unanswered
        .iter()
        .partition(|&&q| newer.contains(k.questionnaire.questions[q].id.as_str()));

    let review = review_due(a, input.today);
    let overdue = review.as_ref().is_some_and(|r| r.overdue);

    let mut reasons = Vec::new();
    let mut warnings = Vec::new();
    if open.iter().any(|g| g.fails) {
        reasons.push(Reason::Findings);
    }
    if !unanswered.is_empty() {
        reasons.push(Reason::Unanswered);
    }
    if !unanswered_newer.is_empty() {
        warnings.push(Warning::NewerQuestions);
    }
    if overdue {
        if input.fail_on_overdue {
            reasons.push(Reason::Overdue);
        } else {
            warnings.push(Warning::OverdueReview);
        }
    }
    Ok(CheckOutcome {
        exit_code: u8::from(!reasons.is_empty()),
        reasons,
        warnings,
        open,
        unanswered,
        unanswered_newer,
        review,
        baseline,
    })
}

fn gate(
    k: &Knowledge,
    f: &Finding,
    index: usize,
    fail_on: Severity,
    baseline: Option<&Baseline>,
) -> Gated {
    let id = &k.catalog.threats[f.threat].id;
    let at_or_above = f.severity >= fail_on;
    let Some(b) = baseline else {
        return Gated {
            finding: index,
            change: None,
            baseline_severity: None,
            fails: at_or_above,
        };
    };
    let recorded = b.open.get(id).copied();
    let change = match recorded {
        None => Change::New,
        Some(s) if f.severity > s => Change::Raised,
        Some(_) => Change::Unchanged,
    };
    Gated {
        finding: index,
        change: Some(change),
        baseline_severity: recorded,
        fails: at_or_above && change != Change::Unchanged,
    }
}

/// The ids (questions, options, threats) that catalog versions after `version` added.
pub fn newer_question_ids(k: &Knowledge, version: u32) -> HashSet<&str> {
    k.catalog
        .manifest
        .changelog
        .iter()
        .filter(|e| e.version > version)
        .flat_map(|e| e.added.iter().map(String::as_str))
        .collect()
}

fn select_baseline(
    reviews: &[Review],
    choice: &BaselineChoice,
) -> Result<Option<Baseline>, CheckError> {
    let dated = |r: &Review| crate::util::parse_date(&r.date);
    let review = match choice {
        BaselineChoice::None => return Ok(None),
        BaselineChoice::Last => reviews
            .iter()
            .enumerate()
            .filter(|(_, r)| r.open.is_some())
            // The latest date; on one date, the one written last.
            .max_by_key(|&(i, r)| (dated(r), i))
            .map(|(_, r)| r)
            .ok_or(CheckError::NoBaseline)?,
        BaselineChoice::On(day) => {
            let on_day: Vec<&Review> = reviews.iter().filter(|r| dated(r) == Some(*day)).collect();
            match (
                on_day.iter().rev().find(|r| r.open.is_some()).copied(),
                on_day.last(),
            ) {
                (Some(r), _) => r,
                (None, Some(r)) => {
                    return Err(CheckError::BaselineWithoutOpen {
                        date: r.date.clone(),
                    });
                }
                (None, None) => {
                    let mut available: Vec<String> =
                        reviews.iter().map(|r| r.date.clone()).collect();
                    available.sort();
                    available.dedup();
                    return Err(CheckError::NoReviewOn {
                        date: crate::util::format_date(*day),
                        available,
                    });
                }
            }
        }
    };
    Ok(Some(Baseline {
        date: review.date.clone(),
        open: review.open.clone().unwrap_or_default(),
    }))
}

/// When the next review falls due: `review_interval_days` after the last review (the latest
/// date), or, before any review, after the newest answer's date.
pub fn review_due(a: &Assessment, today: i64) -> Option<ReviewDue> {
    let last_review = a
        .reviews
        .iter()
        .filter_map(|r| crate::util::parse_date(&r.date))
        .max();
    let (from, since) = match last_review {
        Some(d) => (DueFrom::Review, d),
        None => (
            DueFrom::Answers,
            a.answers
                .values()
                .filter_map(|x| x.at.get(..10).and_then(crate::util::parse_date))
                .max()?,
        ),
    };
    let due = since + i64::from(a.review_interval_days);
    Some(ReviewDue {
        from,
        since,
        interval_days: a.review_interval_days,
        due,
        overdue: today > due,
    })
}

/// The lines of the assessment file where answers start, for locating findings (SARIF, text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnswerLines {
    /// Question id → line (1-based) of its key under `answers:`.
    pub answers: HashMap<String, u64>,
    /// The line of the `answers:` key itself.
    pub answers_key: Option<u64>,
}

impl AnswerLines {
    /// From the parsed file (its keys keep their positions) and its text (for `answers:`).
    pub fn from_raw(raw: &crate::load::raw::RawAssessment, text: &str) -> AnswerLines {
        let answers = raw
            .answers
            .iter()
            .flat_map(|m| m.0.iter())
            .map(|(key, _)| (key.value.clone(), key.referenced.line()))
            .filter(|&(_, line)| line > 0)
            .collect();
        let answers_key = text
            .lines()
            .position(|l| {
                l.strip_prefix("answers")
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .and_then(|i| u64::try_from(i + 1).ok());
        AnswerLines {
            answers,
            answers_key,
        }
    }

    /// The line of a finding: the answer of its why-trace that its threat's condition reads
    /// first (the premise the threat is written around, rather than a scoping clause such as the
    /// delivery shape), else the first answer of the trace, else the `answers:` key, else 1.
    pub fn line_of(&self, k: &Knowledge, f: &Finding) -> u64 {
        let why: Vec<usize> = f
            .why
            .iter()
            .map(|leaf| match leaf {
                Leaf::Answer { question } | Leaf::ProviderFact { question, .. } => *question,
            })
            .collect();
        let mut order = Vec::new();
        if let Some(t) = k.catalog.threats.get(f.threat) {
            t.applies_when.questions(&mut order);
        }
        let line = |q: usize| {
            k.questionnaire
                .questions
                .get(q)
                .and_then(|q| self.answers.get(&q.id))
                .copied()
        };
        order
            .iter()
            .filter(|q| why.contains(q))
            .chain(&why)
            .find_map(|&q| line(q))
            .or(self.answers_key)
            .unwrap_or(1)
    }
}

// ---- JSON ------------------------------------------------------------------------------------

/// `check --format json` (`schemas/check.schema.json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckView {
    pub schema_version: u32,
    pub tool: ToolView,
    pub catalog: CatalogView,
    pub lang: Lang,
    pub today: String,
    pub assessment: AssessmentView,
    pub fail_on: Severity,
    pub fail_on_overdue: bool,
    pub baseline: Option<BaselineView>,
    pub exit_code: u8,
    pub reasons: Vec<Reason>,
    pub warnings: Vec<Warning>,
    pub failing: Vec<FindingView>,
    pub open: Vec<FindingView>,
    pub unanswered: Vec<QuestionView>,
    pub unanswered_newer: Vec<QuestionView>,
    pub review: Option<ReviewView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ToolView {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CatalogView {
    pub version: u32,
    pub released: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssessmentView {
    pub file: String,
    pub catalog_version: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BaselineView {
    pub date: String,
    pub open: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingView {
    pub threat: String,
    pub title: String,
    pub severity: Severity,
    pub acceptance_expired: bool,
    pub fails: bool,
    pub change: Option<Change>,
    pub baseline_severity: Option<Severity>,
    /// The assessment line it is located at (see [`AnswerLines::line_of`]).
    pub line: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub section: String,
    pub prompt: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewView {
    pub from: DueFrom,
    pub since: String,
    pub interval_days: u32,
    pub due: String,
    pub overdue: bool,
}

/// What [`view`] needs besides the outcome.
#[derive(Clone, Copy, Debug)]
pub struct ViewInput<'a> {
    pub input: &'a CheckInput<'a>,
    pub outcome: &'a CheckOutcome,
    pub lines: &'a AnswerLines,
    pub lang: Lang,
    /// The assessment as the user named it.
    pub file: &'a str,
}

/// The JSON view of an outcome, texts in `lang`.
pub fn view(v: &ViewInput<'_>) -> CheckView {
    let k = v.input.knowledge;
    let findings = v.input.findings;
    let finding = |g: &Gated| {
        let f = &findings.findings[g.finding];
        let t = &k.catalog.threats[f.threat];
        FindingView {
            threat: t.id.clone(),
            title: t.title.get(v.lang).to_string(),
            severity: f.severity,
            acceptance_expired: f.acceptance_expired,
            fails: g.fails,
            change: g.change,
            baseline_severity: g.baseline_severity,
            line: v.lines.line_of(k, f),
        }
    };
    let question = |&q: &usize| {
        let q = &k.questionnaire.questions[q];
        QuestionView {
            id: q.id.clone(),
            section: k
                .questionnaire
                .sections
                .get(q.section)
                .map(|s| s.id.clone())
                .unwrap_or_default(),
            prompt: q.prompt.get(v.lang).to_string(),
        }
    };
    let o = v.outcome;
    CheckView {
        schema_version: CHECK_SCHEMA_VERSION,
        tool: ToolView {
            name: "agentguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        catalog: CatalogView {
            version: k.catalog.manifest.version,
            released: k.catalog.manifest.released.clone(),
        },
        lang: v.lang,
        today: crate::util::format_date(v.input.today),
        assessment: AssessmentView {
            file: v.file.to_string(),
            catalog_version: v.input.assessment.catalog_version,
        },
        fail_on: v.input.fail_on,
        fail_on_overdue: v.input.fail_on_overdue,
        baseline: o.baseline.as_ref().map(|b| BaselineView {
            date: b.date.clone(),
            open: b.open.len(),
        }),
        exit_code: o.exit_code,
        reasons: o.reasons.clone(),
        warnings: o.warnings.clone(),
        failing: o.failing().map(finding).collect(),
        open: o.open.iter().map(finding).collect(),
        unanswered: o.unanswered.iter().map(question).collect(),
        unanswered_newer: o.unanswered_newer.iter().map(question).collect(),
        review: o.review.as_ref().map(|r| ReviewView {
            from: r.from,
            since: crate::util::format_date(r.since),
            interval_days: r.interval_days,
            due: crate::util::format_date(r.due),
            overdue: r.overdue,
        }),
    }
}
