//! `agentguard mark ID STATUS`: records a decision on a threat or mitigation (done, accepted
//! with a reason and an optional end date, not applicable, or open again) in the assessment.

use anyhow::Result;

use agentguard::escape;
use agentguard::model::{Decision, DecisionStatus};
use agentguard::redact::redact;

use super::{Ctx, InvalidInput, open_assessment};
use crate::cli::{MarkArgs, MarkStatus};

pub(crate) fn mark(ctx: &Ctx, args: &MarkArgs) -> Result<u8> {
    let sources = ctx.sources()?;
    let k = ctx.knowledge(&sources)?;
    // Locked from reading to saving: another agentguard's `mark` waits instead of meeting a
    // changed file.
    let mut stored = open_assessment(ctx, &k, true)?;
    let lang = ctx.lang_flag.unwrap_or(stored.assessment.lang);
    let invalid = |message: String| -> anyhow::Error {
        InvalidInput {
            message,
            reported: false,
        }
        .into()
    };
    let id = args.id.trim();
    if k.catalog.threat(id).is_none() && k.catalog.mitigation(id).is_none() {
        return Err(invalid(ctx.ui.fmt(
            lang,
            "docs.error.unknown_id",
            &[("id", escape::terminal(&redact(id), false))],
        )));
    }
    let status = match args.status {
        MarkStatus::Done => Some(DecisionStatus::Done),
        MarkStatus::Accepted => Some(DecisionStatus::Accepted),
        MarkStatus::NotApplicable => Some(DecisionStatus::NotApplicable),
        MarkStatus::Open => None,
    };
    let reason = args
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > agentguard::model::MAX_TEXT_CHARS)
    {
        return Err(invalid(ctx.ui.fmt(
            lang,
            "docs.error.reason_too_long",
            &[("max", agentguard::model::MAX_TEXT_CHARS.to_string())],
        )));
    }
    let today = agentguard::clock::today();
    if let Some(until) = &args.until {
        if status != Some(DecisionStatus::Accepted) {
            return Err(invalid(ctx.ui.get(lang, "docs.error.until_only_accepted")));
        }
        match agentguard::util::parse_date(until) {
            None => {
                return Err(invalid(ctx.ui.fmt(
                    lang,
                    "docs.error.until_invalid",
                    &[("value", escape::terminal(&redact(until), false))],
                )));
            }
            Some(d) if d < today => {
                return Err(invalid(ctx.ui.fmt(
                    lang,
                    "docs.error.until_past",
                    &[("date", until.clone())],
                )));
            }
            Some(_) => {}
        }
    }
    let message = match status {
        None => {
            if stored.assessment.decisions.remove(id).is_none() {
                crate::commands::print_out(&format!(
                    "{}\n",
                    ctx.ui
                        .fmt(lang, "docs.mark.nothing", &[("id", id.to_string())])
                ))?;
                return Ok(0);
            }
            ctx.ui
                .fmt(lang, "docs.mark.cleared", &[("id", id.to_string())])
        }
        Some(status) => {
            if status != DecisionStatus::Done && reason.is_none() {
                return Err(invalid(
                    ctx.ui.fmt(
                        lang,
                        "docs.error.reason_required",
                        &[(
                            "status",
                            ctx.ui
                                .get(lang, &format!("docs.mark.status.{}", status.code())),
                        )],
                    ),
                ));
            }
            stored.assessment.decisions.insert(
                id.to_string(),
                Decision {
                    status,
                    reason,
                    until: args.until.clone(),
                    at: agentguard::util::format_date(today),
                },
            );
            ctx.ui.fmt(
                lang,
                "docs.mark.set",
                &[
                    ("id", id.to_string()),
                    (
                        "status",
                        ctx.ui
                            .get(lang, &format!("docs.mark.status.{}", status.code())),
                    ),
                ],
            )
        }
    };
    stored.save().map_err(|e| ctx.store_error(e, lang))?;
    crate::commands::print_out(&format!("{}\n", escape::terminal(&message, false)))?;
    Ok(0)
}
