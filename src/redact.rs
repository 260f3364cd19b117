//! Secrets never leave agentguard whole: this recognises strings that look like credentials and
//! shortens them to a recognisable stub. Used for evidence in the assessment, for scan results and
//! for anything printed from the user's files.

use std::fmt::Write as _;

/// Known key shapes: prefixes of common providers' keys and cloud credentials.
const PREFIXES: [&str; 12] = [
    "sk-",
    "sk_",
    "pk_live_",
    "rk_live_",
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "github_pat_",
    "xoxb-",
    "xoxp-",
    "AIza",
];

/// True when `s` contains a token that looks like a secret: a known key prefix followed by a long
/// run of key characters, or a long high-variety token (32+ characters of letters and digits
/// mixed).
pub fn looks_secret(s: &str) -> bool {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .any(is_secret_token)
}

fn is_secret_token(t: &str) -> bool {
    if t.len() < 20 {
        return false;
    }
    if PREFIXES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let upper = t.chars().filter(char::is_ascii_uppercase).count();
    let lower = t.chars().filter(char::is_ascii_lowercase).count();
    t.len() >= 32 && digits >= 4 && upper >= 4 && lower >= 4
}

/// Replaces every secret-looking token with its first four characters, an ellipsis and its
/// length: `sk-p…(51 chars)`.
pub fn redact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        if is_secret_token(token) {
            let head: String = token.chars().take(4).collect();
            let _ = write!(out, "{head}…({} chars)", token.chars().count());
        } else {
            out.push_str(token);
        }
        token.clear();
    };
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_and_redacts_keys() {
        let key = "sk-proj-AbCdEfGh1234567890XyZaBcDeFgH12345";
        assert!(looks_secret(&format!("OPENAI_API_KEY={key}")));
        let r = redact(&format!("const k = \"{key}\";"));
        assert!(!r.contains(key), "{r}");
        assert!(r.contains("sk-p…("), "{r}");
        assert!(!looks_secret(
            "src/llm.ts:12 baseURL points at api.deepseek.com"
        ));
        assert!(!looks_secret(
            "a-perfectly-normal-long-kebab-case-identifier"
        ));
    }
}
