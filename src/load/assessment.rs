//! The assessment file: parse it, check it against the questionnaire (answers, decisions, reviews,
//! dates, limits) and move answers of retired questions to their replacements. Split from
//! `load.rs`, which owns the shared helpers used here.

use super::{
    Answer, AnswerSource, Assessment, BTreeMap, Decision, DecisionStatus, Diagnostic, Diagnostics,
    HashSet, Knowledge, Lang, NOT_SURE, Question, QuestionKind, RawValue, Review, S, Value,
    check_date, echo, parse_yaml, raw, span_of, suggest,
};

/// Loads an assessment against the knowledge. Returns it with its warnings (retired options, a
/// newer catalog version …), or every problem found.
pub fn assessment(
    name: &str,
    bytes: &[u8],
    k: &Knowledge,
) -> Result<(Assessment, Diagnostics), Diagnostics> {
    check_assessment(name, parse_assessment(name, bytes)?, k)
}

/// The first half of [`assessment`]: the YAML read into its raw form, nothing checked against
/// the questionnaire yet. It needs no catalog, so it can run while the catalog loads.
pub fn parse_assessment(name: &str, bytes: &[u8]) -> Result<raw::RawAssessment, Diagnostics> {
    parse_yaml(name, bytes).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(e);
        d
    })
}

/// The second half of [`assessment`]: a parsed assessment checked against the questionnaire and
/// catalog (`name` is the file, for positions).
pub fn check_assessment(
    name: &str,
    raw: raw::RawAssessment,
    k: &Knowledge,
) -> Result<(Assessment, Diagnostics), Diagnostics> {
    let mut d = Diagnostics::default();
    if raw.schema_version.value > crate::model::ASSESSMENT_SCHEMA_VERSION {
        d.push(
            Diagnostic::error("E0506", span_of(name, &raw.schema_version))
                .arg("found", raw.schema_version.value.to_string())
                .arg(
                    "supported",
                    crate::model::ASSESSMENT_SCHEMA_VERSION.to_string(),
                ),
        );
    }
    if raw.catalog_version.value > k.catalog.manifest.version {
        d.push(
            Diagnostic::error("W0503", span_of(name, &raw.catalog_version))
                .arg("found", raw.catalog_version.value.to_string())
                .arg("have", k.catalog.manifest.version.to_string()),
        );
    }
    let lang = Lang::parse(&raw.lang.value).unwrap_or_else(|| {
        d.push(
            Diagnostic::error("E0510", span_of(name, &raw.lang))
                .arg("value", echo(&raw.lang.value)),
        );
        Lang::En
    });
    let mut answers = BTreeMap::new();
    let raw_answers = raw.answers.map(|m| m.0).unwrap_or_default();
    let raw_keys: HashSet<String> = raw_answers.iter().map(|(k, _)| k.value.clone()).collect();
    // Answers of folded questions, by the question they fold into.
    let mut folded: BTreeMap<String, Vec<super::fold::Folded>> = BTreeMap::new();
    for (key, ra) in raw_answers {
        let Some(q) = k.questionnaire.question(&key.value) else {
            d.push(
                Diagnostic::error("E0501", span_of(name, &key))
                    .arg("id", echo(&key.value))
                    .arg(
                        "suggestion",
                        suggest(
                            &key.value,
                            k.questionnaire.questions.iter().map(|q| q.id.as_str()),
                        ),
                    ),
            );
            continue;
        };
        // A retired question's answer moves to its replacement when it is a valid answer there
        // (every option id is a live option of the new question) and the file holds none yet; otherwise it
        // stays under its old id and the new question counts as unanswered.
        let mut q = q;
        let mut id = key.value.clone();
        // A fold: the answer becomes options of its target, merged once every answer is read.
        if let Some(to) = q
            .retired
            .as_ref()
            .filter(|r| r.folds.is_some())
            .and_then(|r| r.replaced_by.as_deref())
            .and_then(|to| k.questionnaire.question(to))
        {
            if let Some(value) = answer_value(q, &ra.value.value, name, &mut d) {
                let span = span_of(name, &key);
                let options = super::fold::mapped(q, to, &value);
                d.push(
                    Diagnostic::error("W0508", span.clone())
                        .arg("from", key.value.clone())
                        .arg("to", to.id.clone())
                        .arg("options", options.join(", ")),
                );
                let ra = ra.value;
                if let Some(at) = &ra.at
                    && crate::util::parse_date(&at.value).is_none()
                {
                    d.push(
                        Diagnostic::error("E0507", span_of(name, at)).arg("value", echo(&at.value)),
                    );
                }
                let source = ra.source.unwrap_or(AnswerSource::User);
                folded
                    .entry(to.id.clone())
                    .or_default()
                    .push(super::fold::Folded {
                        from: key.value.clone(),
                        span,
                        options,
                        answer: Answer {
                            value,
                            at: ra.at.map(|a| a.value).unwrap_or_default(),
                            source,
                            confirmed: ra.confirmed.unwrap_or(source == AnswerSource::User),
                            evidence: None,
                        },
                    });
            }
            continue;
        }
        match q.retired.as_ref() {
            None => {}
            Some(r) => match r
                .replaced_by
                .as_deref()
                .and_then(|to| k.questionnaire.question(to))
            {
                None => d.push(
                    Diagnostic::error("W0502", span_of(name, &key)).arg("id", key.value.clone()),
                ),
                Some(to) => {
                    let mut scratch = Diagnostics::default();
                    // Only a choice moves: its option ids say the same thing in the new
                    // question. A number or a text keeps its old meaning (a monthly count is not
                    // a yearly one), so it stays under the old id for the user to answer again.
                    let fits = to.kind == q.kind
                        && matches!(
                            q.kind,
                            QuestionKind::Single | QuestionKind::Multiple | QuestionKind::YesNo
                        )
                        && answer_value(to, &ra.value.value, name, &mut scratch).is_some()
                        && scratch.0.is_empty();
                    let taken = raw_keys.contains(to.id.as_str()) || answers.contains_key(&to.id);
                    if fits && !taken {
                        d.push(
                            Diagnostic::error("W0505", span_of(name, &key))
                                .arg("from", key.value.clone())
                                .arg("to", to.id.clone()),
                        );
                        q = to;
                        id.clone_from(&to.id);
                    } else {
                        d.push(
                            Diagnostic::error("W0506", span_of(name, &key))
                                .arg("id", key.value.clone())
                                .arg("version", r.version.to_string())
                                .arg("to", to.id.clone()),
                        );
                    }
                }
            },
        }
        let aspan = span_of(name, &ra);
        let ra = ra.value;
        if let Some(at) = &ra.at
            && crate::util::parse_date(&at.value).is_none()
        {
            d.push(Diagnostic::error("E0507", span_of(name, at)).arg("value", echo(&at.value)));
        }
        let Some(value) = answer_value(q, &ra.value, name, &mut d) else {
            continue;
        };
        let source = ra.source.unwrap_or(AnswerSource::User);
        if let Some(ev) = &ra.evidence
            && crate::redact::looks_secret(ev)
        {
            d.push(Diagnostic::error("E0511", aspan).arg("id", key.value.clone()));
            continue;
        }
        answers.insert(
            id,
            Answer {
                value,
                at: ra.at.map(|a| a.value).unwrap_or_default(),
                source,
                confirmed: ra.confirmed.unwrap_or(source == AnswerSource::User),
                evidence: ra.evidence,
            },
        );
    }
    for (to, parts) in folded {
        if let Some(q) = k.questionnaire.question(&to) {
            super::fold::merge(q, &parts, &mut answers, &mut d);
        }
    }
    let mut decisions = BTreeMap::new();
    for (key, rd) in raw.decisions.map(|m| m.0).unwrap_or_default() {
        let id = &key.value;
        let known_threat = k.catalog.threat(id);
        if known_threat.is_none() && k.catalog.mitigation(id).is_none() {
            d.push(
                Diagnostic::error("E0504", span_of(name, &key))
                    .arg("id", echo(id))
                    .arg(
                        "suggestion",
                        suggest(
                            id,
                            k.catalog
                                .threats
                                .iter()
                                .map(|t| t.id.as_str())
                                .chain(k.catalog.mitigations.iter().map(|m| m.id.as_str())),
                        ),
                    ),
            );
            continue;
        }
        if known_threat.is_some_and(|t| t.retired.is_some()) {
            d.push(Diagnostic::error("W0504", span_of(name, &key)).arg("id", id.clone()));
        }
        let dspan = span_of(name, &rd);
        let rd = rd.value;
        let status = rd.status.value;
        let needs_reason = matches!(
            status,
            DecisionStatus::Accepted | DecisionStatus::NotApplicable
        );
        if needs_reason && rd.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            d.push(
                Diagnostic::error("E0505", dspan.clone())
                    .arg("id", id.clone())
                    .arg("status", status.code()),
            );
        }
        if let Some(reason) = &rd.reason
            && reason.chars().count() > crate::model::MAX_TEXT_CHARS
        {
            d.push(
                Diagnostic::error("E0515", dspan.clone())
                    .arg("id", id.clone())
                    .arg("max", crate::model::MAX_TEXT_CHARS.to_string()),
            );
        }
        for date in [&rd.until, &rd.at].into_iter().flatten() {
            if crate::util::parse_date(&date.value).is_none() {
                d.push(
                    Diagnostic::error("E0507", span_of(name, date)).arg("value", echo(&date.value)),
                );
            }
        }
        decisions.insert(
            id.clone(),
            Decision {
                status,
                reason: rd.reason,
                until: rd.until.map(|u| u.value),
                at: rd.at.map(|a| a.value).unwrap_or_default(),
            },
        );
    }
    let mut reviews = Vec::new();
    for r in raw.reviews {
        check_date(&r.value.date, name, &mut d);
        let open = r.value.open.map(|m| {
            let mut open = std::collections::BTreeMap::new();
            for (id, sev) in m.0 {
                match crate::model::Severity::parse(&sev.value) {
                    Some(s) => {
                        open.insert(id.value, s);
                    }
                    None => d.push(
                        Diagnostic::error("E0516", span_of(name, &sev))
                            .arg("id", id.value.clone())
                            .arg("value", echo(&sev.value)),
                    ),
                }
            }
            open
        });
        reviews.push(Review {
            date: r.value.date.value.clone(),
            catalog_version: r.value.catalog_version,
            findings: r.value.findings,
            open,
        });
    }
    let mut written = std::collections::BTreeMap::new();
    for (file, hash) in raw.written.unwrap_or_default() {
        let ok = hash.value.len() == 64 && hash.value.bytes().all(|b| b.is_ascii_hexdigit());
        if ok && !file.is_empty() {
            written.insert(file, hash.value.to_ascii_lowercase());
        } else {
            // Not a hash agentguard wrote: forgetting it only makes the next `w` ask.
            d.push(Diagnostic::error("W0507", span_of(name, &hash)).arg("file", file));
        }
    }
    d.sort();
    if d.has_errors() {
        return Err(d);
    }
    Ok((
        Assessment {
            // Read as 1 or 2, held (and saved) as the current version.
            schema_version: crate::model::ASSESSMENT_SCHEMA_VERSION,
            catalog_version: raw.catalog_version.value,
            lang,
            answers,
            decisions,
            reviews,
            review_interval_days: raw.review_interval_days.map_or(90, |v| v.value),
            written,
        },
        d,
    ))
}

/// An answer kept under a retired question's id: it did not move to the question that replaces
/// it (W0506), or nothing replaces it (W0502). It counts for nothing; the wizard lists it so that
/// the user answers the new question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetiredAnswer {
    /// Index into `Questionnaire::questions` of the retired question.
    pub question: usize,
    /// The question that replaces it, when there is one.
    pub replaced_by: Option<usize>,
}

/// The answers of an assessment kept under retired questions, in questionnaire order.
pub fn retired_answers(k: &Knowledge, a: &Assessment) -> Vec<RetiredAnswer> {
    k.questionnaire
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.is_retired() && a.answers.contains_key(&q.id))
        .map(|(question, q)| RetiredAnswer {
            question,
            replaced_by: q
                .retired
                .as_ref()
                .and_then(|r| r.replaced_by.as_deref())
                .and_then(|to| k.questionnaire.index(to)),
        })
        .collect()
}

/// Checks one answer value against its question's kind and options.
fn answer_value(q: &Question, raw: &S<RawValue>, file: &str, d: &mut Diagnostics) -> Option<Value> {
    let span = span_of(file, raw);
    let wrong = |d: &mut Diagnostics| {
        d.push(
            Diagnostic::error("E0502", span.clone())
                .arg("id", q.id.clone())
                .arg("kind", q.kind.code()),
        );
    };
    let check_option = |id: &str, d: &mut Diagnostics| -> bool {
        match q.option(id) {
            None => {
                d.push(
                    Diagnostic::error("E0503", span.clone())
                        .arg("option", echo(id))
                        .arg("id", q.id.clone())
                        .arg(
                            "choices",
                            q.options
                                .iter()
                                .filter(|o| o.retired.is_none())
                                .map(|o| o.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                );
                false
            }
            Some(o) => {
                if o.retired.is_some() {
                    d.push(
                        Diagnostic::error("W0501", span.clone())
                            .arg("option", id.to_string())
                            .arg("id", q.id.clone()),
                    );
                }
                true
            }
        }
    };
    let scalar = |v: &RawValue| -> Option<String> {
        match v {
            RawValue::Bool(true) => Some("yes".into()),
            RawValue::Bool(false) => Some("no".into()),
            RawValue::Str(s) => Some(s.clone()),
            RawValue::Number(n) => Some(crate::util::fmt_number(*n)),
            RawValue::List(_) => None,
        }
    };
    match q.kind {
        QuestionKind::Single | QuestionKind::YesNo => {
            let Some(s) = scalar(&raw.value) else {
                wrong(d);
                return None;
            };
            check_option(&s, d).then_some(Value::Choice(s))
        }
        QuestionKind::Multiple => {
            let items: Vec<String> = match &raw.value {
                RawValue::List(items) => items
                    .iter()
                    .cloned()
                    .map(raw::RawScalar::into_string)
                    .collect(),
                other => vec![scalar(other)?],
            };
            if items.is_empty() {
                d.push(Diagnostic::error("E0508", span.clone()).arg("id", q.id.clone()));
                return None;
            }
            let mut ok = true;
            for i in &items {
                ok &= check_option(i, d);
            }
            let exclusive = items
                .iter()
                .filter(|i| q.option(i).is_some_and(|o| o.exclusive || o.is_not_sure))
                .count();
            if ok && items.len() > 1 && exclusive > 0 {
                d.push(Diagnostic::error("E0509", span.clone()).arg("id", q.id.clone()));
                ok = false;
            }
            let mut uniq = items.clone();
            uniq.sort();
            uniq.dedup();
            if uniq.len() != items.len() {
                d.push(Diagnostic::error("E0512", span.clone()).arg("id", q.id.clone()));
                ok = false;
            }
            ok.then_some(Value::Choices(items))
        }
        QuestionKind::Number => match &raw.value {
            RawValue::Number(n) if n.is_finite() => {
                let low = q.min.is_some_and(|m| *n < m);
                let high = q.max.is_some_and(|m| *n > m);
                if low || high {
                    d.push(
                        Diagnostic::error("E0513", span.clone())
                            .arg("id", q.id.clone())
                            .arg("value", crate::util::fmt_number(*n))
                            .arg(
                                "min",
                                q.min.map(crate::util::fmt_number).unwrap_or_default(),
                            )
                            .arg(
                                "max",
                                q.max.map(crate::util::fmt_number).unwrap_or_default(),
                            ),
                    );
                    return None;
                }
                Some(Value::Number(*n))
            }
            RawValue::Str(s) if q.not_sure && s == NOT_SURE => Some(Value::Choice(NOT_SURE.into())),
            _ => {
                wrong(d);
                None
            }
        },
        QuestionKind::Text => match scalar(&raw.value) {
            Some(s) if s.chars().count() <= crate::model::MAX_TEXT_CHARS => Some(Value::Text(s)),
            Some(_) => {
                d.push(
                    Diagnostic::error("E0514", span.clone())
                        .arg("id", q.id.clone())
                        .arg("max", crate::model::MAX_TEXT_CHARS.to_string()),
                );
                None
            }
            None => {
                wrong(d);
                None
            }
        },
    }
}
