//! `agentguard catalog`: `lint` checks a catalog folder (and the locales), `hash` prints the
//! content hash, `list` the questions, threats and providers, `show ID` one entry in full.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Serialize;

use agentguard::escape;
use agentguard::i18n::Ui;
use agentguard::model::{Knowledge, Lang};

use super::{Ctx, EXIT_INVALID, InvalidInput, print_out};
use crate::cli::{CatalogCmd, ListFormat};

pub(crate) fn catalog(ctx: &Ctx, cmd: CatalogCmd) -> Result<u8> {
    match cmd {
        CatalogCmd::Lint { dir, format } => lint(ctx, dir.as_deref(), format),
        CatalogCmd::Hash => {
            let sources = ctx.sources()?;
            print_out(&format!("{}\n", agentguard::load::content_hash(&sources)))?;
            Ok(0)
        }
        CatalogCmd::List { format } => {
            let sources = ctx.sources()?;
            let k = ctx.knowledge(&sources)?;
            let listing = agentguard_listing(&k, ctx.lang());
            let s = match format {
                ListFormat::Json => format!("{}\n", agentguard::render::json(&listing)?),
                ListFormat::Text => listing_text(&listing, ctx.ui, ctx.lang()),
            };
            print_out(&s)?;
            Ok(0)
        }
        CatalogCmd::Show { id } => {
            let sources = ctx.sources()?;
            let k = ctx.knowledge(&sources)?;
            match show(&k, &id, ctx.ui, ctx.lang()) {
                Some(s) => {
                    print_out(&s)?;
                    Ok(0)
                }
                None => Err(InvalidInput {
                    message: ctx.ui.fmt(
                        ctx.lang(),
                        "error.unknown_id",
                        &[("id", agentguard::redact::redact(&id))],
                    ),
                    reported: false,
                }
                .into()),
            }
        }
    }
}

#[derive(Serialize)]
struct LintItem {
    code: &'static str,
    level: agentguard::diag::Level,
    file: String,
    line: u64,
    col: u64,
    message: String,
    help: String,
}

fn lint(ctx: &Ctx, dir: Option<&Path>, format: ListFormat) -> Result<u8> {
    let lang = ctx.lang();
    let mut sources = ctx.sources()?;
    if let Some(d) = dir {
        sources.overlay(d).with_context(|| {
            ctx.ui.fmt(
                lang,
                "error.catalog_dir",
                &[("path", d.display().to_string())],
            )
        })?;
    }
    let mut diags = match agentguard::load::knowledge(&sources) {
        Ok((k, w)) => {
            let mut w = w;
            for u in agentguard::load::unused(&k).0 {
                w.push(u);
            }
            let hash = agentguard::load::content_hash(&sources);
            let latest = k
                .catalog
                .manifest
                .changelog
                .last()
                .map(|e| e.content_hash.clone());
            if latest.as_deref() != Some(hash.as_str()) {
                w.push(
                    agentguard::Diagnostic::error(
                        "W0401",
                        agentguard::model::Span {
                            file: "catalog/catalog.yaml".into(),
                            line: 0,
                            col: 0,
                        },
                    )
                    .arg("hash", hash)
                    .arg("version", k.catalog.manifest.version.to_string()),
                );
            }
            w
        }
        Err(d) => d,
    };
    // The locale files (located, one problem per cause) and the templates (nesting, partial
    // cycles, syntax, helpers), which the catalog loader does not read.
    diags.extend(agentguard::i18n::lint(&sources));
    diags.extend(agentguard::docs::template::lint(&sources));
    diags.sort();
    let errors = diags.errors().count();
    let warnings = diags.warnings().count();
    let s = match format {
        ListFormat::Json => {
            let items: Vec<LintItem> = diags
                .0
                .iter()
                .map(|d| LintItem {
                    code: d.code,
                    level: d.level,
                    file: d.span.file.clone(),
                    line: d.span.line,
                    col: d.span.col,
                    message: d.message(ctx.ui, lang),
                    help: d.full_help(ctx.ui, lang),
                })
                .collect();
            format!("{}\n", agentguard::render::json(&items)?)
        }
        ListFormat::Text => {
            let mut s = String::new();
            for d in &diags.0 {
                s.push_str(&escape::terminal(
                    &agentguard::redact::redact(&d.render(ctx.ui, lang)),
                    true,
                ));
                s.push_str("\n\n");
            }
            s.push_str(&ctx.ui.fmt(
                lang,
                "lint.summary",
                &[
                    ("errors", errors.to_string()),
                    ("warnings", warnings.to_string()),
                ],
            ));
            s.push('\n');
            s
        }
    };
    print_out(&s)?;
    Ok(if errors > 0 { EXIT_INVALID } else { 0 })
}

#[derive(Serialize)]
struct Listing {
    schema_version: u32,
    catalog: ListingCatalog,
    counts: Counts,
    sections: Vec<ListingSection>,
    threats: Vec<ListingThreat>,
    providers: Vec<ListingProvider>,
    coverage: Coverage,
}

#[derive(Serialize)]
struct ListingCatalog {
    version: u32,
    released: String,
    lang: Lang,
}

#[derive(Serialize)]
struct Counts {
    sections: usize,
    questions: usize,
    threats: usize,
    mitigations: usize,
    providers: usize,
    references: usize,
}

#[derive(Serialize)]
struct ListingSection {
    id: String,
    title: String,
    questions: Vec<ListingQuestion>,
}

#[derive(Serialize)]
struct ListingQuestion {
    id: String,
    kind: &'static str,
    prompt: String,
    options: Vec<String>,
    conditional: bool,
}

#[derive(Serialize)]
struct ListingThreat {
    id: String,
    title: String,
    dimension: &'static str,
    severity: &'static str,
    references: Vec<String>,
    mitigations: Vec<String>,
}

#[derive(Serialize)]
struct ListingProvider {
    id: String,
    kind: &'static str,
    name: String,
}

/// Which external ids the live threats cite, by kind.
#[derive(Serialize, Default)]
struct Coverage {
    owasp_llm: Vec<String>,
    owasp_agentic: Vec<String>,
    owasp_agentic_threats: Vec<String>,
    atlas: Vec<String>,
    cwe: Vec<String>,
    law: Vec<String>,
}

fn agentguard_listing(k: &Knowledge, lang: Lang) -> Listing {
    use agentguard::model::ReferenceKind as R;
    let qn = &k.questionnaire;
    let cat = &k.catalog;
    let mut cov = Coverage::default();
    for t in cat.threats.iter().filter(|t| t.retired.is_none()) {
        for &r in &t.references {
            let r = &cat.references[r];
            let v = match r.kind {
                R::OwaspLlm => &mut cov.owasp_llm,
                R::OwaspAgentic => &mut cov.owasp_agentic,
                R::OwaspAgenticThreat => &mut cov.owasp_agentic_threats,
                R::Atlas => &mut cov.atlas,
                R::Cwe => &mut cov.cwe,
                R::Law | R::Standard => &mut cov.law,
            };
            v.push(r.id.clone());
        }
    }
    for v in [
        &mut cov.owasp_llm,
        &mut cov.owasp_agentic,
        &mut cov.owasp_agentic_threats,
        &mut cov.atlas,
        &mut cov.cwe,
        &mut cov.law,
    ] {
        v.sort_by_key(|id| natural_key(id));
        v.dedup();
    }
    Listing {
        schema_version: 1,
        catalog: ListingCatalog {
            version: cat.manifest.version,
            released: cat.manifest.released.clone(),
            lang,
        },
        counts: Counts {
            sections: qn.sections.len(),
            questions: qn.questions.iter().filter(|q| q.retired.is_none()).count(),
            threats: cat.threats.iter().filter(|t| t.retired.is_none()).count(),
            mitigations: cat.mitigations.len(),
            providers: cat.providers.len(),
            references: cat.references.len(),
        },
        sections: qn
            .sections
            .iter()
            .map(|s| ListingSection {
                id: s.id.clone(),
                title: s.title.get(lang).to_string(),
                questions: s
                    .questions
                    .iter()
                    .map(|&i| {
                        let q = &qn.questions[i];
                        ListingQuestion {
                            id: q.id.clone(),
                            kind: q.kind.code(),
                            prompt: q.prompt.get(lang).to_string(),
                            options: q.options.iter().map(|o| o.id.clone()).collect(),
                            conditional: q.show_when.is_some(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        threats: cat
            .threats
            .iter()
            .filter(|t| t.retired.is_none())
            .map(|t| ListingThreat {
                id: t.id.clone(),
                title: t.title.get(lang).to_string(),
                dimension: t.dimension.code(),
                severity: t.severity.code(),
                references: t
                    .references
                    .iter()
                    .map(|&r| cat.references[r].id.clone())
                    .collect(),
                mitigations: t
                    .mitigations
                    .iter()
                    .map(|&m| cat.mitigations[m].id.clone())
                    .collect(),
            })
            .collect(),
        providers: cat
            .providers
            .iter()
            .map(|p| ListingProvider {
                id: p.id.clone(),
                kind: p.kind.code(),
                name: p.name.get(lang).to_string(),
            })
            .collect(),
        coverage: cov,
    }
}

/// Sorts `LLM2` before `LLM10` and `T2` before `T10`.
fn natural_key(s: &str) -> (String, u64, String) {
    let start = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    let end = s[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(s.len(), |e| start + e);
    (
        s[..start].to_string(),
        s[start..end].parse().unwrap_or(0),
        s[end..].to_string(),
    )
}

fn listing_text(l: &Listing, ui: &Ui, lang: Lang) -> String {
    let mut s = ui.fmt(
        lang,
        "catalog.list.counts",
        &[
            ("version", l.catalog.version.to_string()),
            ("sections", l.counts.sections.to_string()),
            ("questions", l.counts.questions.to_string()),
            ("threats", l.counts.threats.to_string()),
            ("mitigations", l.counts.mitigations.to_string()),
            ("providers", l.counts.providers.to_string()),
        ],
    );
    s.push_str("\n\n");
    for sec in &l.sections {
        s.push_str(&format!(
            "## {} ({})\n",
            escape::terminal(&sec.title, false),
            sec.id
        ));
        for q in &sec.questions {
            s.push_str(&format!(
                "  {:<32} {:<9} {}\n",
                q.id,
                q.kind,
                escape::terminal(&q.prompt, false)
            ));
        }
    }
    s.push('\n');
    s.push_str(&format!("## {}\n", ui.get(lang, "catalog.list.threats")));
    for t in &l.threats {
        s.push_str(&format!(
            "  {:<40} {:<9} {:<16} {}\n",
            t.id,
            ui.get(lang, &format!("severity.{}", t.severity)),
            ui.get(lang, &format!("dimension.{}", t.dimension)),
            escape::terminal(&t.title, false)
        ));
    }
    s.push('\n');
    s.push_str(&format!("## {}\n", ui.get(lang, "catalog.list.providers")));
    for p in &l.providers {
        s.push_str(&format!(
            "  {:<28} {:<12} {}\n",
            p.id,
            p.kind,
            escape::terminal(&p.name, false)
        ));
    }
    s
}

fn show(k: &Knowledge, id: &str, ui: &Ui, lang: Lang) -> Option<String> {
    let cat = &k.catalog;
    let t = |s: &str| escape::terminal(s, true);
    if let Some(th) = cat.threat(id) {
        let mut s = format!(
            "{} — {}\n{}: {} · {}: {}\n\n{}\n\n{}\n",
            th.id,
            t(th.title.get(lang)),
            ui.get(lang, "catalog.show.severity"),
            ui.get(lang, &format!("severity.{}", th.severity.code())),
            ui.get(lang, "catalog.show.dimension"),
            ui.get(lang, &format!("dimension.{}", th.dimension.code())),
            t(th.description.get(lang)),
            t(th.why.get(lang)),
        );
        s.push_str(&format!("\n{}\n", ui.get(lang, "report.do")));
        for &m in &th.mitigations {
            let m = &cat.mitigations[m];
            s.push_str(&format!(
                "  - {} — {} ({}, {}, {})\n    {}\n",
                m.id,
                t(m.title.get(lang)),
                ui.get(lang, &format!("stage.{}", m.stage.code())),
                ui.get(lang, &format!("owner.{}", m.owner.code())),
                ui.get(lang, &format!("effort.{}", m.effort.code())),
                t(m.detail.get(lang)),
            ));
        }
        s.push_str(&format!("\n{}\n", ui.get(lang, "report.refs")));
        for &r in &th.references {
            let r = &cat.references[r];
            s.push_str(&format!(
                "  - {} {}{}\n",
                r.id,
                t(r.name.get(lang)),
                r.url
                    .as_deref()
                    .map(|u| format!(" <{u}>"))
                    .unwrap_or_default()
            ));
        }
        return Some(s);
    }
    if let Some(m) = cat.mitigation(id) {
        return Some(format!(
            "{} — {}\n{}\n({}, {}, {})\n",
            m.id,
            t(m.title.get(lang)),
            t(m.detail.get(lang)),
            ui.get(lang, &format!("stage.{}", m.stage.code())),
            ui.get(lang, &format!("owner.{}", m.owner.code())),
            ui.get(lang, &format!("effort.{}", m.effort.code())),
        ));
    }
    if let Some(q) = k.questionnaire.question(id) {
        let mut s = format!("{} ({})\n{}\n", q.id, q.kind.code(), t(q.prompt.get(lang)));
        if let Some(h) = &q.help {
            s.push_str(&format!("{}\n", t(h.get(lang))));
        }
        s.push_str(&format!(
            "{} {}\n",
            ui.get(lang, "catalog.show.why_ask"),
            t(q.why.get(lang))
        ));
        for o in &q.options {
            s.push_str(&format!("  - {} — {}\n", o.id, t(o.label.get(lang))));
        }
        return Some(s);
    }
    if let Some(p) = cat.provider(id) {
        let mut s = format!(
            "{} — {}\n{}\n{}\n\n{} {}\n{} {}\n\n",
            p.id,
            t(p.name.get(lang)),
            t(p.operator.get(lang)),
            t(p.region.get(lang)),
            ui.get(lang, "catalog.show.covers"),
            t(p.covers.get(lang)),
            ui.get(lang, "catalog.show.does_not_cover"),
            t(p.does_not_cover.get(lang)),
        );
        for (fd, f) in cat.facts.iter().zip(&p.facts) {
            s.push_str(&format!(
                "  {:<8} {} [{}; {}]\n",
                ui.get(lang, &format!("fact.{}", f.value.code())),
                t(fd.label.get(lang)),
                t(&f.source),
                f.checked
            ));
        }
        return Some(s);
    }
    None
}
