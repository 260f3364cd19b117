//! `check --format sarif`: the gate's open findings as a SARIF 2.1.0 log for code-scanning
//! dashboards (GitHub and others). Hand-written serde structs for the part of SARIF agentguard
//! uses, which costs less than a SARIF crate.
//!
//! One rule per live catalog threat, with `security-severity` so GitHub shows severities; one
//! result per open definite finding, located at the assessment line of the first answer that made
//! it apply. `partialFingerprints` hash the threat id and the assessment path only — never a line —
//! so a dashboard tracks a finding across runs and does not reopen one that was dismissed when
//! answers are added above it.

use std::fmt::Write as _;

use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::check::{AnswerLines, Change, CheckOutcome};
use crate::evaluate::Findings;
use crate::i18n::Ui;
use crate::model::{Knowledge, Lang, Severity, Threat};

pub const SARIF_VERSION: &str = "2.1.0";
/// The official schema's id (OASIS), as SARIF producers name it in `$schema`.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The key of agentguard's fingerprint in `partialFingerprints`; `/v1` changes only if the
/// fingerprint's inputs ever do.
pub const FINGERPRINT_KEY: &str = "agentguard/v1";
/// GitHub shows at most this many tags per rule.
const MAX_TAGS: usize = 20;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    pub tool: Tool,
    /// The language of the messages: `en` or `zh-CN`.
    pub language: &'static str,
    pub results: Vec<ResultItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub semantic_version: &'static str,
    pub rules: Vec<Rule>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message {
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Help {
    pub text: String,
    pub markdown: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    /// critical and high are errors, medium a warning, low a note.
    pub fn of(s: Severity) -> Level {
        match s {
            Severity::Critical | Severity::High => Level::Error,
            Severity::Medium => Level::Warning,
            Severity::Low => Level::Note,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Configuration {
    pub level: Level,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub short_description: Message,
    pub full_description: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub help: Help,
    pub default_configuration: Configuration,
    pub properties: RuleProperties,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleProperties {
    pub tags: Vec<String>,
    /// GitHub's severity score, a number written as a string.
    #[serde(rename = "security-severity")]
    pub security_severity: &'static str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultItem {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: Level,
    pub message: Message,
    pub locations: Vec<Location>,
    pub partial_fingerprints: std::collections::BTreeMap<&'static str, String>,
    /// Against `--baseline`: `new`, `updated` (more severe) or `unchanged`; absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<&'static str>,
    pub properties: ResultProperties,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultProperties {
    pub severity: Severity,
    /// Whether this finding makes `check` fail.
    pub fails: bool,
    pub acceptance_expired: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub physical_location: PhysicalLocation,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArtifactLocation {
    pub uri: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: u64,
}

/// GitHub's `security-severity` for a severity: critical 9.5, high 8.0, medium 5.5, low 3.0
/// (GitHub reads over 9.0 as critical, 7.0–8.9 high, 4.0–6.9 medium, below that low).
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// `hex(sha256(threat_id + "\n" + assessment_path))`: the same finding in the same file is the
/// same alert, wherever its line moves.
pub fn fingerprint(threat_id: &str, assessment_path: &str) -> String {
    let mut h = Sha256::new();
    h.update(threat_id.as_bytes());
    h.update(b"\n");
    h.update(assessment_path.as_bytes());
    let mut out = String::with_capacity(64);
    for b in h.finalize() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A relative path written as a URI reference: `/`-separated segments, with every byte outside
/// the unreserved set and `/` percent-encoded (spaces, `#`, `%`, non-ASCII names).
pub fn path_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// What [`build`] needs.
#[derive(Clone, Copy, Debug)]
pub struct SarifInput<'a> {
    pub knowledge: &'a Knowledge,
    pub findings: &'a Findings,
    pub outcome: &'a CheckOutcome,
    pub lines: &'a AnswerLines,
    pub lang: Lang,
    pub ui: &'a Ui,
    /// The assessment path relative to the current directory, `/`-separated (not yet a URI).
    pub path: &'a str,
}

/// The SARIF log of a check.
pub fn build(input: &SarifInput<'_>) -> Log {
    let k = input.knowledge;
    let live: Vec<(usize, &Threat)> = k
        .catalog
        .threats
        .iter()
        .enumerate()
        .filter(|(_, t)| t.retired.is_none())
        .collect();
    let rule_index: std::collections::HashMap<usize, usize> =
        live.iter().enumerate().map(|(r, &(t, _))| (t, r)).collect();
    // GitHub reads a severity only from the rule: where this run has an open finding, the rule
    // carries that finding's severity (after the catalog's severity rules), so the alert shows
    // what agentguard says for this agent, not the threat's base severity.
    let effective: std::collections::HashMap<usize, Severity> = input
        .outcome
        .open
        .iter()
        .map(|g| {
            let f = &input.findings.findings[g.finding];
            (f.threat, f.severity)
        })
        .collect();
    let rules = live
        .iter()
        .map(|&(ti, t)| rule(input, t, effective.get(&ti).copied()))
        .collect();
    let uri = path_uri(input.path);
    let results = input
        .outcome
        .open
        .iter()
        .filter_map(|g| {
            let f = &input.findings.findings[g.finding];
            let t = &k.catalog.threats[f.threat];
            let index = *rule_index.get(&f.threat)?;
            let text = input.ui.fmt(
                input.lang,
                if f.acceptance_expired {
                    "check.sarif.message_expired"
                } else {
                    "check.sarif.message"
                },
                &[
                    ("title", t.title.get(input.lang).to_string()),
                    ("why", t.why.get(input.lang).to_string()),
                ],
            );
            Some(ResultItem {
                rule_id: t.id.clone(),
                rule_index: index,
                level: Level::of(f.severity),
                message: Message { text },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri.clone() },
                        region: Region {
                            start_line: input.lines.line_of(k, f),
                        },
                    },
                }],
                partial_fingerprints: std::iter::once((
                    FINGERPRINT_KEY,
                    fingerprint(&t.id, input.path),
                ))
                .collect(),
                baseline_state: g.change.map(|c| match c {
                    Change::New => "new",
                    Change::Raised => "updated",
                    Change::Unchanged => "unchanged",
                }),
                properties: ResultProperties {
                    severity: f.severity,
                    fails: g.fails,
                    acceptance_expired: f.acceptance_expired,
                },
            })
        })
        .collect();
    Log {
        schema: SARIF_SCHEMA,
        version: SARIF_VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "agentguard",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            language: match input.lang {
                Lang::En => "en",
                Lang::Zh => "zh-CN",
            },
            results,
        }],
    }
}

/// `api-key-in-frontend` → `ApiKeyInFrontend`: SARIF's rule name is an identifier.
fn rule_name(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn rule(input: &SarifInput<'_>, t: &Threat, severity: Option<Severity>) -> Rule {
    let k = input.knowledge;
    let lang = input.lang;
    let ui = input.ui;
    let refs: Vec<&crate::model::Reference> = t
        .references
        .iter()
        .filter_map(|&r| k.catalog.references.get(r))
        .collect();
    let help_uri = refs.iter().find_map(|r| r.url.clone());
    let first_step = t
        .mitigations
        .first()
        .and_then(|&m| k.catalog.mitigations.get(m));
    let description = t.description.get(lang);
    let mut text = description.to_string();
    let mut markdown = crate::escape::markdown(description);
    if let Some(m) = first_step {
        let line = ui.fmt(
            lang,
            "check.sarif.first_step",
            &[("title", m.title.get(lang).to_string())],
        );
        text.push_str(&format!("\n\n{line}\n{}", m.detail.get(lang)));
        markdown.push_str(&format!(
            "\n\n**{}**\n\n{}",
            crate::escape::markdown(&line),
            crate::escape::markdown(m.detail.get(lang))
        ));
    }
    if !refs.is_empty() {
        let heading = ui.get(lang, "check.sarif.references");
        text.push_str(&format!("\n\n{heading}"));
        markdown.push_str(&format!("\n\n**{}**\n", crate::escape::markdown(&heading)));
        for r in &refs {
            let name = r.name.get(lang);
            let label = format!("{} {name}", r.id);
            match &r.url {
                Some(url) => {
                    text.push_str(&format!(
                        "\n- {}",
                        ui.fmt(
                            lang,
                            "check.sarif.reference",
                            &[("name", label.clone()), ("url", url.clone())]
                        )
                    ));
                    markdown.push_str(&format!(
                        "\n- [{}](<{url}>)",
                        crate::escape::markdown(&label)
                    ));
                }
                None => {
                    text.push_str(&format!("\n- {label}"));
                    markdown.push_str(&format!("\n- {}", crate::escape::markdown(&label)));
                }
            }
        }
    }
    let mut tags = vec!["security".to_string()];
    for r in &refs {
        if tags.len() < MAX_TAGS && !tags.contains(&r.id) {
            tags.push(r.id.clone());
        }
    }
    Rule {
        id: t.id.clone(),
        name: rule_name(&t.id),
        short_description: Message {
            text: t.title.get(lang).to_string(),
        },
        full_description: Message {
            text: description.to_string(),
        },
        help_uri,
        help: Help { text, markdown },
        default_configuration: Configuration {
            level: Level::of(t.severity),
        },
        properties: RuleProperties {
            tags,
            security_severity: security_severity(severity.unwrap_or(t.severity)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_sha256_of_id_newline_path() {
        // sha256("a\nb")
        assert_eq!(
            fingerprint("a", "b"),
            "7e18f737311b2dc3b2f269dd78396b0351f14fb66efa879f768cb23181883c78"
        );
        assert_ne!(fingerprint("a", "b"), fingerprint("a", "c"));
    }

    #[test]
    fn uris_are_percent_encoded_and_slash_separated() {
        assert_eq!(path_uri("ci/agentguard.yaml"), "ci/agentguard.yaml");
        assert_eq!(
            path_uri("my dir/评估.yaml"),
            "my%20dir/%E8%AF%84%E4%BC%B0.yaml"
        );
        assert_eq!(path_uri("a#b%c"), "a%23b%25c");
    }

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(rule_name("api-key-in-frontend"), "ApiKeyInFrontend");
        assert_eq!(rule_name("x"), "X");
    }

    #[test]
    fn severities_map_to_levels_and_scores() {
        assert_eq!(Level::of(Severity::Critical), Level::Error);
        assert_eq!(Level::of(Severity::High), Level::Error);
        assert_eq!(Level::of(Severity::Medium), Level::Warning);
        assert_eq!(Level::of(Severity::Low), Level::Note);
        let scores: Vec<f64> = Severity::ALL
            .iter()
            .map(|&s| security_severity(s).parse().unwrap_or(-1.0))
            .collect();
        assert_eq!(scores, vec![3.0, 5.5, 8.0, 9.5]);
    }
}
