//! The JSON Schemas agentguard publishes: the assessment file (`agentguard schema`) and the
//! findings JSON shared by every command that emits JSON (`agentguard schema --findings`), and
//! the JSON of `agentguard check`.

pub const ASSESSMENT: &str = include_str!("../schemas/assessment.schema.json");
pub const FINDINGS: &str = include_str!("../schemas/findings.schema.json");
/// `agentguard check --format json`.
pub const CHECK: &str = include_str!("../schemas/check.schema.json");
