//! What changed since the last review (issue 15): a typed [`ReviewPlan`] computed from the
//! knowledge (with its changelog), the assessment, the findings now and today's date, with no
//! I/O and no UI. The plan lists threats the catalog added or changed since the catalog version
//! of the last review that now apply, questions and options added or retired since, findings
//! whose status or severity changed against the last review's `open` map, acceptances that
//! expired or expire within [`EXPIRY_WARN_DAYS`], new unknowns and stale answers; [`ReviewPlan::walk`]
//! turns it into the steps the wizard walks through (ending with one step per such acceptance,
//! decided with [`renew`]), and [`record`] appends the review once the walk is done. `lines` renders the plan as text for `--dry-run`, line mode and the overview
//! screen, so all three say the same.

use std::collections::{BTreeMap, BTreeSet};

use crate::condition::Leaf;
use crate::evaluate::{Certainty, Findings};
use crate::i18n::Ui;
use crate::model::{Assessment, Decision, DecisionStatus, Knowledge, Lang, Review, Severity};

/// Acceptances that end within this many days are listed (and those already ended).
pub const EXPIRY_WARN_DAYS: i64 = 14;

/// Whether the catalog added a threat or changed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Changed,
    Retired,
}

/// A threat the catalog added or changed since the last review that is now a finding (definite
/// or possible) for this assessment.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogThreat {
    /// Index into `Catalog::threats`.
    pub threat: usize,
    pub change: ChangeKind,
    /// The catalog version that added or changed it.
    pub version: u32,
    pub certainty: Certainty,
    pub severity: Severity,
    /// The questions whose answers make it apply (or would decide it).
    pub questions: Vec<usize>,
}

/// A question or option added or retired since the last review that concerns this assessment.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionnaireChange {
    /// `question.id` or `question.id/option`, as in the changelog.
    pub id: String,
    pub change: ChangeKind,
    pub version: u32,
    /// Index into `Questionnaire::questions`.
    pub question: usize,
    /// The options, for an option change (indices into the question's `options`); empty for a
    /// question change. Options of a question added in the same range are not listed apart.
    pub options: Vec<usize>,
}

/// How a definite finding moved since the last review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingMove {
    /// Open now, not open at the last review.
    New(Severity),
    /// Open at the last review, not now.
    Closed(Severity),
    Up {
        from: Severity,
        to: Severity,
    },
    Down {
        from: Severity,
        to: Severity,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct FindingChange {
    pub threat_id: String,
    /// `None` for a threat the catalog no longer has.
    pub threat: Option<usize>,
    pub change: FindingMove,
    pub questions: Vec<usize>,
}

/// An acceptance (of a threat or a mitigation) that ended or ends soon.
#[derive(Clone, Debug, PartialEq)]
pub struct Expiry {
    /// The decision's id: a threat or a mitigation.
    pub id: String,
    pub until: String,
    /// Days from today to `until`: negative once expired (an acceptance holds through its
    /// `until` day), 0 when it ends today.
    pub days: i64,
}

impl Expiry {
    pub fn is_expired(&self) -> bool {
        self.days < 0
    }
}

/// An answer older than the review interval, given before the last review (or with none).
#[derive(Clone, Debug, PartialEq)]
pub struct StaleAnswer {
    pub question: usize,
    /// The date the answer was given (`None` when the file records none).
    pub at: Option<String>,
    /// Asked again one by one (it is "not sure", or an open finding of medium or above rests on
    /// it); otherwise confirmed with its section.
    pub ask: bool,
}

/// One step of the review walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Ask this question again (index into `Questionnaire::questions`).
    Ask(usize),
    /// Confirm the stale answers of a section at once (section index, questions).
    Confirm {
        section: usize,
        questions: Vec<usize>,
    },
    /// Decide what happens to an acceptance that expired or ends soon (the decision's id, a
    /// threat or a mitigation): see [`Renewal`].
    Acceptance(String),
}

/// What the user decides about an acceptance that expired or ends within
/// [`EXPIRY_WARN_DAYS`], in the order the review offers the choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renewal {
    /// Keep accepting for another `review_interval_days` from today; the reason is kept.
    Extend,
    /// Remove the decision: the finding is open again.
    Reopen,
    /// The fix is in place: status `done`.
    Done,
    /// Change nothing: an expired acceptance keeps counting as open.
    Leave,
}

impl Renewal {
    pub const ALL: [Renewal; 4] = [
        Renewal::Extend,
        Renewal::Reopen,
        Renewal::Done,
        Renewal::Leave,
    ];

    /// The last part of its locale keys (`review.acceptance.<code>`, `review.notice.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Renewal::Extend => "extend",
            Renewal::Reopen => "reopen",
            Renewal::Done => "done",
            Renewal::Leave => "leave",
        }
    }
}

/// The `until` an extended acceptance gets: `review_interval_days` after `today`.
pub fn extended_until(a: &Assessment, today: i64) -> i64 {
    today + i64::from(a.review_interval_days)
}

/// Carries out `choice` on the acceptance `id` as of `today`; returns whether the assessment
/// changed. A decision that is no longer an acceptance (changed elsewhere meanwhile) is left
/// alone.
pub fn renew(a: &mut Assessment, id: &str, choice: Renewal, today: i64) -> bool {
    let until = crate::util::format_date(extended_until(a, today));
    let Some(d) = a
        .decisions
        .get_mut(id)
        .filter(|d| d.status == DecisionStatus::Accepted)
    else {
        return false;
    };
    let at = crate::util::format_date(today);
    match choice {
        Renewal::Extend => {
            d.until = Some(until);
            d.at = at;
        }
        Renewal::Reopen => {
            a.decisions.remove(id);
        }
        Renewal::Done => {
            // The reason and the date were the acceptance's; a done decision needs neither.
            *d = Decision {
                status: DecisionStatus::Done,
                reason: None,
                until: None,
                at,
            };
        }
        Renewal::Leave => return false,
    }
    true
}

/// Everything a review shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewPlan {
    pub today: i64,
    /// The last completed review's date, if any.
    pub last_review: Option<String>,
    /// The catalog version compared with: the last review's, else the assessment's.
    pub since_version: u32,
    pub catalog_version: u32,
    /// `review_interval_days` of the assessment: answers older than this are stale.
    pub interval_days: u32,
    /// The last review recorded its open findings, so finding changes could be computed.
    pub has_baseline: bool,
    pub threats: Vec<CatalogThreat>,
    /// Threats added or changed since that do not apply to this assessment.
    pub other_threats: usize,
    pub questionnaire: Vec<QuestionnaireChange>,
    /// Questions and options added or retired since that do not concern this assessment.
    pub other_questionnaire: usize,
    pub findings: Vec<FindingChange>,
    pub expiries: Vec<Expiry>,
    /// Visible questions unanswered, or answered "not sure" since the last review.
    pub unknowns: Vec<usize>,
    pub stale: Vec<StaleAnswer>,
}

fn leaf_question(l: &Leaf) -> usize {
    match l {
        Leaf::Answer { question } | Leaf::ProviderFact { question, .. } => *question,
    }
}

fn sorted(v: impl IntoIterator<Item = usize>) -> Vec<usize> {
    v.into_iter().collect::<BTreeSet<_>>().into_iter().collect()
}

/// The day of an answer's or review's date (`YYYY-MM-DD` or an RFC 3339 time stamp).
fn day(s: &str) -> Option<i64> {
    crate::util::parse_date(s)
}

/// The open definite findings now, by threat id.
pub fn open_now(k: &Knowledge, f: &Findings) -> BTreeMap<String, Severity> {
    f.definite()
        .filter(|x| x.is_open())
        .map(|x| (k.catalog.threats[x.threat].id.clone(), x.severity))
        .collect()
}

/// Computes what a review shows, as of `today`.
pub fn plan(k: &Knowledge, a: &Assessment, f: &Findings, today: i64) -> ReviewPlan {
    let last = a.reviews.last();
    let since_version = last.map_or(a.catalog_version, |r| r.catalog_version);
    let last_day = last.and_then(|r| day(&r.date));
    let mut p = ReviewPlan {
        today,
        last_review: last.map(|r| r.date.clone()),
        since_version,
        catalog_version: k.catalog.manifest.version,
        interval_days: a.review_interval_days,
        has_baseline: last.is_some_and(|r| r.open.is_some()),
        ..ReviewPlan::default()
    };
    catalog_changes(k, a, f, &mut p);
    if let Some(before) = last.and_then(|r| r.open.as_ref()) {
        p.findings = finding_changes(k, f, before);
    }
    p.expiries = a
        .decisions
        .iter()
        .filter(|(_, d)| d.status == DecisionStatus::Accepted)
        .filter_map(|(id, d)| {
            let until = d.until.as_deref()?;
            let days = day(until)? - today;
            (days <= EXPIRY_WARN_DAYS).then(|| Expiry {
                id: id.clone(),
                until: until.to_string(),
                days,
            })
        })
        .collect();
    p.expiries
        .sort_by(|x, y| (x.days, &x.id).cmp(&(y.days, &y.id)));
    // Without an answer history, an unanswered visible question is always new; a "not sure"
    // is new when it was given after the last review (or there is none).
    let qn = &k.questionnaire;
    let not_sure_since = |q: usize| {
        a.answers
            .get(&qn.questions[q].id)
            .is_some_and(|x| match (day(&x.at), last_day) {
                (Some(at), Some(l)) => at >= l,
                _ => true,
            })
    };
    p.unknowns = sorted(
        f.unanswered
            .iter()
            .copied()
            .chain(f.not_sure.iter().copied().filter(|&q| not_sure_since(q))),
    );
    p.stale = stale_answers(k, a, f, today, last_day);
    p
}

fn catalog_changes(k: &Knowledge, a: &Assessment, f: &Findings, p: &mut ReviewPlan) {
    let qn = &k.questionnaire;
    let mut seen_threats = BTreeSet::new();
    let mut seen_ids = BTreeSet::new();
    let in_range = |v: u32| v > p.since_version && v <= p.catalog_version;
    // A new question brings its options: they are not listed (nor counted) one by one.
    let new_questions: BTreeSet<&str> = k
        .catalog
        .manifest
        .changelog
        .iter()
        .filter(|e| in_range(e.version))
        .flat_map(|e| e.added.iter())
        .filter(|id| !id.contains('/') && qn.index(id).is_some())
        .map(String::as_str)
        .collect();
    // Newest first, so a threat added and later changed is listed once, as changed in the
    // newer version.
    for entry in k
        .catalog
        .manifest
        .changelog
        .iter()
        .rev()
        .filter(|e| in_range(e.version))
    {
        let lists = [
            (ChangeKind::Added, &entry.added),
            (ChangeKind::Changed, &entry.changed),
            (ChangeKind::Retired, &entry.retired),
        ];
        for (change, ids) in lists {
            for id in ids {
                if let Some(&t) = k.catalog.threat_by_id.get(id) {
                    if change == ChangeKind::Retired || !seen_threats.insert(t) {
                        continue;
                    }
                    match f.findings.iter().find(|x| x.threat == t) {
                        Some(x) => p.threats.push(CatalogThreat {
                            threat: t,
                            change,
                            version: entry.version,
                            certainty: x.certainty,
                            severity: x.severity,
                            questions: sorted(
                                x.why
                                    .iter()
                                    .map(leaf_question)
                                    .chain(x.unknowns.iter().copied()),
                            ),
                        }),
                        None => p.other_threats += 1,
                    }
                    continue;
                }
                if change == ChangeKind::Changed || !seen_ids.insert(id.clone()) {
                    continue;
                }
                let (qid, oid) = match id.split_once('/') {
                    Some((q, o)) => (q, Some(o)),
                    None => (id.as_str(), None),
                };
                let Some(qi) = qn.index(qid) else {
                    continue;
                };
                if oid.is_some() && change == ChangeKind::Added && new_questions.contains(qid) {
                    continue;
                }
                let question = &qn.questions[qi];
                let option = oid.and_then(|o| question.option_index(o));
                if oid.is_some() && option.is_none() {
                    continue;
                }
                if concerns(question, option, change, a, f, qi) {
                    // Options of one question changed the same way make one item.
                    let same = p
                        .questionnaire
                        .iter_mut()
                        .find(|c| c.question == qi && c.change == change && !c.options.is_empty());
                    match (same, option) {
                        (Some(c), Some(o)) => {
                            c.options.push(o);
                            c.options.sort_unstable();
                            c.version = c.version.max(entry.version);
                        }
                        (_, option) => p.questionnaire.push(QuestionnaireChange {
                            id: id.clone(),
                            change,
                            version: entry.version,
                            question: qi,
                            options: option.into_iter().collect(),
                        }),
                    }
                } else {
                    p.other_questionnaire += 1;
                }
            }
        }
    }
    p.threats.sort_by(|x, y| {
        (
            x.certainty != Certainty::Definite,
            std::cmp::Reverse(x.severity),
            x.threat,
        )
            .cmp(&(
                y.certainty != Certainty::Definite,
                std::cmp::Reverse(y.severity),
                y.threat,
            ))
    });
    p.questionnaire
        .sort_by(|x, y| (x.question, &x.options, &x.id).cmp(&(y.question, &y.options, &y.id)));
}

/// Whether a questionnaire change concerns this assessment: an added question it is asked, an
/// added option of a question it answered, a retired question it answered, a retired option its
/// answer uses.
fn concerns(
    q: &crate::model::Question,
    option: Option<usize>,
    change: ChangeKind,
    a: &Assessment,
    f: &Findings,
    qi: usize,
) -> bool {
    let answer = a.answers.get(&q.id);
    match (change, option) {
        (ChangeKind::Added, None) => f.visible.contains(&qi),
        (ChangeKind::Added, Some(_)) => f.visible.contains(&qi) && answer.is_some(),
        (ChangeKind::Retired, None) => answer.is_some(),
        (ChangeKind::Retired, Some(o)) => answer.is_some_and(|x| {
            let id = q.options[o].id.as_str();
            match &x.value {
                crate::model::Value::Choice(c) => c == id,
                crate::model::Value::Choices(cs) => cs.iter().any(|c| c == id),
                _ => false,
            }
        }),
        (ChangeKind::Changed, _) => false,
    }
}

fn finding_changes(
    k: &Knowledge,
    f: &Findings,
    before: &BTreeMap<String, Severity>,
) -> Vec<FindingChange> {
    let now = open_now(k, f);
    let questions = |id: &str| -> Vec<usize> {
        let Some(&t) = k.catalog.threat_by_id.get(id) else {
            return Vec::new();
        };
        f.findings
            .iter()
            .find(|x| x.threat == t)
            .map(|x| sorted(x.why.iter().map(leaf_question)))
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let ids: BTreeSet<&String> = now.keys().chain(before.keys()).collect();
    for id in ids {
        let change = match (before.get(id), now.get(id)) {
            (None, Some(&s)) => FindingMove::New(s),
            (Some(&s), None) => FindingMove::Closed(s),
            (Some(&from), Some(&to)) if to > from => FindingMove::Up { from, to },
            (Some(&from), Some(&to)) if to < from => FindingMove::Down { from, to },
            _ => continue,
        };
        out.push(FindingChange {
            threat_id: id.clone(),
            threat: k.catalog.threat_by_id.get(id).copied(),
            change,
            questions: questions(id),
        });
    }
    out
}

fn stale_answers(
    k: &Knowledge,
    a: &Assessment,
    f: &Findings,
    today: i64,
    last_day: Option<i64>,
) -> Vec<StaleAnswer> {
    let interval = i64::from(a.review_interval_days);
    let old = |d: Option<i64>| d.is_none_or(|d| today - d > interval);
    if last_day.is_some() && !old(last_day) {
        return Vec::new();
    }
    // Answers behind open definite findings of medium or above are asked one by one.
    let behind: BTreeSet<usize> = f
        .definite()
        .filter(|x| x.is_open() && x.severity >= Severity::Medium)
        .flat_map(|x| x.why.iter().map(leaf_question))
        .collect();
    let qn = &k.questionnaire;
    f.visible
        .iter()
        .filter_map(|&q| {
            let x = a.answers.get(&qn.questions[q].id).filter(|x| x.counts())?;
            let at = day(&x.at);
            old(at).then(|| StaleAnswer {
                question: q,
                at: at.map(crate::util::format_date),
                ask: x.value.is_not_sure() || behind.contains(&q),
            })
        })
        .collect()
}

impl ReviewPlan {
    /// Nothing to show at all.
    pub fn is_empty(&self) -> bool {
        self.threats.is_empty()
            && self.questionnaire.is_empty()
            && self.findings.is_empty()
            && self.expiries.is_empty()
            && self.unknowns.is_empty()
            && self.stale.is_empty()
    }

    /// The questions to ask again one by one: new unknowns, the questions of added or retired
    /// questions and options that concern the assessment (when still asked), and stale answers
    /// marked `ask`. In questionnaire order.
    pub fn asked(&self, f: &Findings) -> Vec<usize> {
        sorted(
            self.unknowns
                .iter()
                .copied()
                .chain(self.questionnaire.iter().map(|c| c.question))
                .chain(self.stale.iter().filter(|s| s.ask).map(|s| s.question))
                .filter(|q| f.visible.contains(q)),
        )
    }

    /// The walk: per section in questionnaire order, the questions asked one by one, then one
    /// screen confirming the section's other stale answers; last, one step per acceptance that
    /// expired or ends soon. Acceptances come last because the answers given before them can
    /// change whether their threat still applies and how severe it is: the user decides on
    /// the picture the review ends with.
    pub fn walk(&self, k: &Knowledge, f: &Findings) -> Vec<Step> {
        let asked = self.asked(f);
        let mut steps = Vec::new();
        for s in 0..k.questionnaire.sections.len() {
            let in_section = |q: &usize| k.questionnaire.questions[*q].section == s;
            steps.extend(asked.iter().copied().filter(in_section).map(Step::Ask));
            let confirm: Vec<usize> = self
                .stale
                .iter()
                .filter(|x| !x.ask && !asked.contains(&x.question))
                .map(|x| x.question)
                .filter(in_section)
                .collect();
            if !confirm.is_empty() {
                steps.push(Step::Confirm {
                    section: s,
                    questions: confirm,
                });
            }
        }
        steps.extend(self.expiries.iter().map(|e| Step::Acceptance(e.id.clone())));
        steps
    }
}

/// Appends a completed review to the assessment: today's date, the catalog version, the number
/// and the map of open definite findings; the assessment's `catalog_version` becomes the
/// current one. Answers keep their `at`: the review itself is the confirmation.
pub fn record(k: &Knowledge, a: &mut Assessment, f: &Findings, today: i64) {
    let open = open_now(k, f);
    a.reviews.push(Review {
        date: crate::util::format_date(today),
        catalog_version: k.catalog.manifest.version,
        findings: u32::try_from(open.len()).unwrap_or(u32::MAX),
        open: Some(open),
    });
    a.catalog_version = k.catalog.manifest.version;
}

/// One line of the plan as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanLine {
    pub heading: bool,
    pub text: String,
}

fn sev(ui: &Ui, lang: Lang, s: Severity) -> String {
    ui.get(lang, &format!("severity.{}", s.code()))
}

/// The plan as lines of text in `lang`: a heading per kind of item that has any, the items
/// under it. Content (titles, prompts) is escaped by the caller for its output.
pub fn lines(k: &Knowledge, ui: &Ui, lang: Lang, p: &ReviewPlan, f: &Findings) -> Vec<PlanLine> {
    let mut out = Vec::new();
    let head = |out: &mut Vec<PlanLine>, key: &str, args: &[(&str, String)]| {
        out.push(PlanLine {
            heading: true,
            text: ui.fmt(lang, key, args),
        });
    };
    let item = |out: &mut Vec<PlanLine>, text: String| {
        out.push(PlanLine {
            heading: false,
            text: format!("  {text}"),
        });
    };
    let qn = &k.questionnaire;
    let prompt = |q: usize| qn.questions[q].prompt.get(lang).to_string();
    out.push(PlanLine {
        heading: false,
        text: match &p.last_review {
            Some(d) => ui.fmt(
                lang,
                "review.since_review",
                &[
                    ("date", d.clone()),
                    ("from", p.since_version.to_string()),
                    ("to", p.catalog_version.to_string()),
                ],
            ),
            None => ui.fmt(
                lang,
                "review.first_review",
                &[
                    ("from", p.since_version.to_string()),
                    ("to", p.catalog_version.to_string()),
                ],
            ),
        },
    });
    if !p.threats.is_empty() || p.other_threats > 0 {
        head(&mut out, "review.head.threats", &[]);
        for t in &p.threats {
            let th = &k.catalog.threats[t.threat];
            let key = match (t.change, t.certainty) {
                (ChangeKind::Added, Certainty::Definite) => "review.threat.added",
                (ChangeKind::Added, Certainty::Possible) => "review.threat.added_possible",
                (_, Certainty::Definite) => "review.threat.changed",
                (_, Certainty::Possible) => "review.threat.changed_possible",
            };
            item(
                &mut out,
                ui.fmt(
                    lang,
                    key,
                    &[
                        ("severity", sev(ui, lang, t.severity)),
                        ("title", th.title.get(lang).to_string()),
                        ("id", th.id.clone()),
                        ("version", t.version.to_string()),
                    ],
                ),
            );
        }
        if p.other_threats > 0 {
            item(
                &mut out,
                ui.fmt(
                    lang,
                    "review.threat.others",
                    &[("count", p.other_threats.to_string())],
                ),
            );
        }
    }
    if !p.questionnaire.is_empty() || p.other_questionnaire > 0 {
        head(&mut out, "review.head.questionnaire", &[]);
        for c in &p.questionnaire {
            let q = &qn.questions[c.question];
            let key = match (c.change, c.options.is_empty()) {
                (ChangeKind::Retired, true) => "review.question.retired",
                (ChangeKind::Retired, false) => "review.option.retired",
                (_, true) => "review.question.added",
                (_, false) => "review.option.added",
            };
            let quote = |o: &usize| {
                ui.fmt(
                    lang,
                    "review.quoted",
                    &[("text", q.options[*o].label.get(lang).to_string())],
                )
            };
            let option = c
                .options
                .iter()
                .map(quote)
                .collect::<Vec<_>>()
                .join(if lang == Lang::Zh { "、" } else { ", " });
            item(
                &mut out,
                ui.fmt(
                    lang,
                    key,
                    &[
                        ("prompt", q.prompt.get(lang).to_string()),
                        ("option", option),
                        ("version", c.version.to_string()),
                    ],
                ),
            );
        }
        if p.other_questionnaire > 0 {
            item(
                &mut out,
                ui.fmt(
                    lang,
                    "review.question.others",
                    &[("count", p.other_questionnaire.to_string())],
                ),
            );
        }
    }
    if !p.findings.is_empty() {
        head(&mut out, "review.head.findings", &[]);
        for c in &p.findings {
            let title = c.threat.map_or_else(
                || c.threat_id.clone(),
                |t| k.catalog.threats[t].title.get(lang).to_string(),
            );
            let (key, args) = match c.change {
                FindingMove::New(s) => ("review.finding.new", vec![("severity", sev(ui, lang, s))]),
                FindingMove::Closed(s) => (
                    "review.finding.closed",
                    vec![("severity", sev(ui, lang, s))],
                ),
                FindingMove::Up { from, to } => (
                    "review.finding.up",
                    vec![("from", sev(ui, lang, from)), ("to", sev(ui, lang, to))],
                ),
                FindingMove::Down { from, to } => (
                    "review.finding.down",
                    vec![("from", sev(ui, lang, from)), ("to", sev(ui, lang, to))],
                ),
            };
            let mut args = args;
            args.push(("title", title));
            item(&mut out, ui.fmt(lang, key, &args));
        }
    } else if p.last_review.is_some() && !p.has_baseline {
        head(&mut out, "review.head.findings", &[]);
        item(&mut out, ui.get(lang, "review.finding.no_baseline"));
    }
    if !p.expiries.is_empty() {
        head(&mut out, "review.head.expiries", &[]);
        for e in &p.expiries {
            let name = k.catalog.threat(&e.id).map_or_else(
                || {
                    k.catalog
                        .mitigation(&e.id)
                        .map_or_else(|| e.id.clone(), |m| m.title.get(lang).to_string())
                },
                |t| t.title.get(lang).to_string(),
            );
            let key = match e.days {
                d if d < 0 => "review.expiry.expired",
                0 => "review.expiry.today",
                _ => "review.expiry.soon",
            };
            item(
                &mut out,
                ui.fmt(
                    lang,
                    key,
                    &[
                        ("title", name),
                        ("date", e.until.clone()),
                        ("days", e.days.abs().to_string()),
                    ],
                ),
            );
        }
        item(
            &mut out,
            ui.fmt(
                lang,
                "review.expiry.asked",
                &[("count", p.expiries.len().to_string())],
            ),
        );
    }
    if !p.unknowns.is_empty() {
        head(&mut out, "review.head.unknowns", &[]);
        for &q in &p.unknowns {
            let key = if f.unanswered.contains(&q) {
                "review.unknown.unanswered"
            } else {
                "review.unknown.not_sure"
            };
            item(&mut out, ui.fmt(lang, key, &[("prompt", prompt(q))]));
        }
    }
    if !p.stale.is_empty() {
        head(
            &mut out,
            "review.head.stale",
            &[("days", p.interval_days.to_string())],
        );
        for s in &p.stale {
            let key = if s.ask {
                "review.stale.ask"
            } else {
                "review.stale.confirm"
            };
            item(
                &mut out,
                ui.fmt(
                    lang,
                    key,
                    &[
                        ("prompt", prompt(s.question)),
                        ("date", s.at.clone().unwrap_or_else(|| "—".into())),
                    ],
                ),
            );
        }
    }
    if p.is_empty() {
        item(&mut out, ui.get(lang, "review.nothing"));
    }
    out
}
