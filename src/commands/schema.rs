//! `agentguard schema`: prints the JSON Schema of the assessment file, or (`--findings`) of
//! `report --format json`.

use anyhow::Result;

use super::print_out;

pub(crate) fn schema(findings: bool) -> Result<u8> {
    let s = if findings {
        agentguard::schema::FINDINGS
    } else {
        agentguard::schema::ASSESSMENT
    };
    print_out(s)?;
    Ok(0)
}
