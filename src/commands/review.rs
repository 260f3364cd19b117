//! `agentguard review`: binary-side glue for the periodic re-review. Loads the knowledge and the
//! assessment (which must exist), computes the review plan as of today (or `--today`), and
//! prints it (`--dry-run`, nothing written), records the review at once when there is nothing
//! to ask, or hands over to the wizard's front ends (full-screen, or `--plain`) in review mode,
//! which record the review through the store when the walk is done.

use std::io::{IsTerminal as _, Write as _};
use std::time::Instant;

use anyhow::{Context as _, Result};

use agentguard::evaluate::Findings;
use agentguard::i18n::Ui;
use agentguard::model::{Knowledge, Lang};
use agentguard::review::{self, ReviewPlan};
use agentguard::wizard::{Session, Trace, flow::Flow};
use agentguard::{escape, evaluate};

use super::{Ctx, open_assessment, print_out};
use crate::cli::ReviewArgs;

pub(crate) fn run(ctx: &Ctx, args: &ReviewArgs) -> Result<u8> {
    let start = Instant::now();
    let ui = ctx.ui;
    let today = match &args.today {
        None => agentguard::clock::today(),
        Some(s) => agentguard::util::parse_date(s).ok_or_else(|| {
            anyhow::Error::msg(ui.fmt(
                ctx.lang(),
                "review.error.today",
                &[(
                    "value",
                    escape::terminal(&agentguard::redact::redact(s), false),
                )],
            ))
        })?,
    };
    let sources = ctx.sources()?;
    let k = ctx.knowledge(&sources)?;
    let path = ctx.answers_path();
    let mut stored = open_assessment(ctx, &k, false)?;
    let lang = ctx.lang_flag.unwrap_or(stored.assessment.lang);
    let findings = evaluate::evaluate(&k, &stored.assessment, today);
    let plan = review::plan(&k, &stored.assessment, &findings, today);
    let langs: Vec<Lang> = if ctx.lang_both {
        Lang::ALL.to_vec()
    } else {
        vec![lang]
    };
    if args.dry_run {
        print_out(&plan_text(&k, ui, &langs, &plan, &findings, true))?;
        return Ok(0);
    }
    if plan.walk(&k, &findings).is_empty() {
        // Nothing to ask: no terminal is needed to confirm that.
        print_out(&plan_text(&k, ui, &langs, &plan, &findings, false))?;
        review::record(&k, &mut stored.assessment, &findings, today);
        stored.save().map_err(|e| ctx.store_error(e, lang))?;
        let shown = escape::terminal(&path.display().to_string(), false);
        super::print_err(&format!(
            "{}\n",
            ui.fmt(lang, "review.exit.recorded", &[("path", shown)])
        ));
        return Ok(0);
    }
    // Questions to ask and nobody to answer them: the wizard's refusal, in both languages.
    if !std::io::stdin().is_terminal() || (!args.plain && !std::io::stdout().is_terminal()) {
        anyhow::bail!(
            "{}\n{}",
            ui.get(Lang::En, "review.no_tty"),
            ui.get(Lang::Zh, "review.no_tty")
        );
    }
    crate::commands::warn_if_catalog_old(ctx, &k, lang);
    let mut flow = Flow::review(&k, ui, stored.assessment.clone(), lang, today);
    let write_docs = crate::commands::doc_writer(ctx, sources, &path);
    let mut session = Session {
        stored,
        docs: Some(&write_docs),
        trace: Trace::from_env(start),
    };
    let outcome = crate::commands::run_front_end(ctx, args.plain, &mut flow, &mut session)
        .with_context(|| ui.get(lang, "review.failed"))?;
    let lang = flow.lang();
    let shown = escape::terminal(&path.display().to_string(), false);
    let message = if !outcome.saved {
        outcome.message(ui, lang, &path)
    } else if flow.is_review_done() {
        ui.fmt(lang, "review.exit.recorded", &[("path", shown)])
    } else {
        ui.fmt(lang, "review.exit.not_recorded", &[("path", shown)])
    };
    let _ = writeln!(std::io::stderr(), "{message}");
    Ok(outcome.exit_code())
}

/// The plan as text in each language, with what the walk would ask (and, for `--dry-run`, that
/// nothing was written).
fn plan_text(
    k: &Knowledge,
    ui: &Ui,
    langs: &[Lang],
    plan: &ReviewPlan,
    findings: &Findings,
    dry_run: bool,
) -> String {
    let steps = plan.walk(k, findings);
    let count = |is: fn(&review::Step) -> bool| steps.iter().filter(|s| is(s)).count();
    let asked = count(|s| matches!(s, review::Step::Ask(_)));
    let confirm = count(|s| matches!(s, review::Step::Confirm { .. }));
    let acceptances = count(|s| matches!(s, review::Step::Acceptance(_)));
    let mut out = String::new();
    for (i, &lang) in langs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("# {}\n", ui.get(lang, "review.title")));
        for l in review::lines(k, ui, lang, plan, findings) {
            let text = escape::terminal(&l.text, false);
            if l.heading {
                out.push_str(&format!("\n## {text}\n"));
            } else {
                out.push_str(&format!("{text}\n"));
            }
        }
        if dry_run {
            out.push('\n');
            out.push_str(&ui.fmt(
                lang,
                "review.dry_run.steps",
                &[
                    ("asked", asked.to_string()),
                    ("confirm", confirm.to_string()),
                    ("acceptances", acceptances.to_string()),
                ],
            ));
            out.push('\n');
        }
    }
    out
}
