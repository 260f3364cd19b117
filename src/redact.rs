//! Secrets never leave agentguard whole: this recognises strings that look like credentials and
//! shortens them to a recognisable stub. Used for evidence in the assessment, for scan results,
//! for every report and document, and for anything an error message echoes from the user's files.
//!
//! The patterns are built in, named and fixed: an override folder (`--catalog`) cannot change or
//! remove them, and rules elsewhere (the scan's secret rules) refer to them by [`Pattern::name`].
//! Each pattern cites where its shape comes from. Where a provider publishes no format, the shape
//! is the one its keys are seen in and the pattern says so; the bounds are kept loose (a
//! minimum length rather than an exact one), because a missed key leaks and a redacted
//! non-key only costs a shorter string.

use std::borrow::Cow;
use std::fmt::Write as _;

/// One built-in key shape.
#[derive(Debug)]
pub struct Pattern {
    /// Stable name, used by rules that refer to this pattern.
    pub name: &'static str,
    /// What the key is, for people.
    pub what: &'static str,
    /// Whether a token (see [`redact`]) is such a key. Tokens are runs of ASCII letters, digits,
    /// `-`, `_`, `.` and `/`, without a trailing `.` or `/`.
    matches: fn(&str) -> bool,
}

impl Pattern {
    pub fn matches(&self, token: &str) -> bool {
        (self.matches)(token)
    }
}

fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// `prefix` then at least `min` characters of `class`, and nothing else.
fn prefixed(t: &str, prefix: &str, min: usize, class: fn(u8) -> bool) -> bool {
    t.strip_prefix(prefix)
        .is_some_and(|rest| rest.len() >= min && rest.bytes().all(class))
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn upper_digit(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

/// The built-in patterns, most specific first. A token matching any of them is a secret.
pub const PATTERNS: &[Pattern] = &[
    // gitleaks config/gitleaks.toml, rule `openai-api-key`: `sk-(proj|svcacct|admin)-…` with
    // the `T3BlbkFJ` marker; the marker is not required here, so keys of a future layout match.
    Pattern {
        name: "openai-project-key",
        what: "OpenAI project, service-account or admin key (sk-proj-, sk-svcacct-, sk-admin-)",
        matches: |t| {
            ["sk-proj-", "sk-svcacct-", "sk-admin-"]
                .iter()
                .any(|p| prefixed(t, p, 20, is_key_char))
        },
    },
    // gitleaks rules `anthropic-api-key` and `anthropic-admin-api-key`:
    // `sk-ant-api03-[a-zA-Z0-9_-]{93}AA`, `sk-ant-admin01-…`.
    Pattern {
        name: "anthropic-key",
        what: "Anthropic API key (sk-ant-)",
        matches: |t| prefixed(t, "sk-ant-", 20, is_key_char),
    },
    // DeepSeek and Alibaba DashScope (Model Studio / 百炼) keys: `sk-` and 32 lowercase hex
    // digits. Neither provider publishes a format beyond "starts with sk-"; this is the shape
    // their consoles issue, as seen in public code (DashScope's console docs show
    // `sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`).
    Pattern {
        name: "sk-hex32",
        what: "DeepSeek or DashScope API key (sk- and 32 hex digits)",
        matches: |t| t.len() == 35 && prefixed(t, "sk-", 32, hex),
    },
    // Moonshot (Kimi) keys and legacy OpenAI user keys: `sk-` and 48 letters and digits (the
    // legacy OpenAI form is gitleaks' `sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}`; Moonshot
    // publishes no format, its keys are seen in this shape).
    Pattern {
        name: "sk-alnum48",
        what: "Moonshot (Kimi) or legacy OpenAI API key (sk- and 48 letters and digits)",
        matches: |t| t.len() == 51 && prefixed(t, "sk-", 48, alnum),
    },
    // Every other `sk-` key (OpenAI-compatible providers, many Chinese ones among them, issue
    // `sk-` keys of varying length): `sk-` and 20 or more key characters.
    Pattern {
        name: "sk-generic",
        what: "OpenAI-compatible API key (sk- and 20 or more characters)",
        matches: |t| prefixed(t, "sk-", 20, is_key_char),
    },
    // gitleaks rule `gcp-api-key`: `AIza[\w-]{35}`.
    Pattern {
        name: "google-api-key",
        what: "Google API key (AIza)",
        matches: |t| prefixed(t, "AIza", 30, is_key_char),
    },
    // Zhipu (BigModel / 智谱) keys are `<id>.<secret>`: the official SDK splits the key at the
    // dot and signs a JWT with the secret (zhipuai `generate_token`: `id, secret =
    // apikey.split(".")`); the id is 32 hex digits and the secret 16 letters and digits in the
    // keys the console issues.
    Pattern {
        name: "zhipu-key",
        what: "Zhipu (BigModel) API key (<32 hex>.<secret>)",
        matches: |t| {
            t.split_once('.').is_some_and(|(id, secret)| {
                id.len() == 32
                    && id.bytes().all(|b| b.is_ascii_hexdigit())
                    && secret.len() >= 8
                    && secret.bytes().all(alnum)
            })
        },
    },
    // gitleaks rule `alibaba-access-key-id`: `LTAI(?i)[a-z0-9]{20}`; older ids are `LTAI` and 12
    // characters (Sonar secrets rule S6336: `LTAI[0-9A-Za-z]{12}([0-9A-Za-z]{8})?`).
    Pattern {
        name: "alibaba-access-key-id",
        what: "Alibaba Cloud AccessKey ID (LTAI)",
        matches: |t| prefixed(t, "LTAI", 12, alnum),
    },
    // Tencent Cloud SecretId: `AKID` and 32 letters and digits (Sonar secrets rule S7007,
    // `\bAKID[A-Za-z0-9]{32}\b`); shorter old ids are allowed down to 13.
    Pattern {
        name: "tencent-secret-id",
        what: "Tencent Cloud SecretId (AKID)",
        matches: |t| prefixed(t, "AKID", 13, alnum),
    },
    // Volcengine (火山引擎) access key ids: `AKLT` (long-term) or `AKTP` (temporary) and a long
    // run of key characters. Volcengine publishes no format; the prefixes are the ones its IAM
    // console issues and public secret scanners match (`AKLT[A-Za-z0-9]{20,}`,
    // `AKTP[A-Za-z0-9]{20,}`).
    Pattern {
        name: "volcengine-access-key-id",
        what: "Volcengine AccessKey ID (AKLT, AKTP)",
        matches: |t| prefixed(t, "AKLT", 16, is_key_char) || prefixed(t, "AKTP", 16, is_key_char),
    },
    // Baidu Qianfan API keys (v2 API): `bce-v3/ALTAK-<id>/<hex secret>`, the format the Qianfan
    // console shows ("API Key 格式：bce-v3/ALTAK-xxxxx/xxxxxx").
    Pattern {
        name: "baidu-qianfan-key",
        what: "Baidu Qianfan API key (bce-v3/ALTAK-…/…)",
        matches: |t| {
            t.strip_prefix("bce-v3/ALTAK-")
                .and_then(|rest| rest.split_once('/'))
                .is_some_and(|(id, secret)| {
                    !id.is_empty()
                        && id.bytes().all(is_key_char)
                        && secret.len() >= 16
                        && secret.bytes().all(alnum)
                })
        },
    },
    // gitleaks rule `aws-access-token`: `(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}`.
    Pattern {
        name: "aws-access-key-id",
        what: "AWS access key id (AKIA, ASIA, ABIA, ACCA)",
        matches: |t| {
            t.len() == 20
                && ["AKIA", "ASIA", "ABIA", "ACCA"]
                    .iter()
                    .any(|p| prefixed(t, p, 16, upper_digit))
        },
    },
    // gitleaks rules `github-pat` (`ghp_[0-9a-zA-Z]{36}`), `github-oauth`, `github-app-token`
    // (`gho_`, `ghu_`, `ghs_`), `github-refresh-token` (`ghr_`) and `github-fine-grained-pat`
    // (`github_pat_\w{82}`).
    Pattern {
        name: "github-token",
        what: "GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)",
        matches: |t| {
            ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
                .iter()
                .any(|p| prefixed(t, p, 30, alnum))
                || prefixed(t, "github_pat_", 22, |b| alnum(b) || b == b'_')
        },
    },
    // gitleaks rules `slack-bot-token` (`xoxb-`), `slack-user-token` (`xox[pe]-`),
    // `slack-legacy-*` (`xoxa-`, `xoxo-`, `xoxs-`, `xoxr-`) and `slack-app-token` (`xapp-`).
    Pattern {
        name: "slack-token",
        what: "Slack token (xoxb-, xoxp-, xoxa-, xoxe-, xoxo-, xoxr-, xoxs-, xapp-)",
        matches: |t| {
            [
                "xoxb-", "xoxp-", "xoxa-", "xoxe-", "xoxo-", "xoxr-", "xoxs-", "xapp-",
            ]
            .iter()
            .any(|p| prefixed(t, p, 10, is_key_char))
        },
    },
    // gitleaks rule `stripe-access-token`: `(sk|rk)_(test|live|prod)_[a-zA-Z0-9]{10,99}`.
    Pattern {
        name: "stripe-key",
        what: "Stripe secret or restricted key (sk_live_, rk_live_, …)",
        matches: |t| {
            ["sk_", "rk_"].iter().any(|k| {
                ["test_", "live_", "prod_"]
                    .iter()
                    .any(|m| prefixed(t, &format!("{k}{m}"), 10, alnum))
            })
        },
    },
    // gitleaks rules `huggingface-access-token` (`hf_(?i:[a-z]{34})`) and
    // `huggingface-organization-api-token` (`api_org_`).
    Pattern {
        name: "huggingface-token",
        what: "Hugging Face token (hf_, api_org_)",
        matches: |t| prefixed(t, "hf_", 30, alnum) || prefixed(t, "api_org_", 30, alnum),
    },
    // gitleaks rule `jwt`: `ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9\/\\_-]{17,}\.(…{10,})?`.
    Pattern {
        name: "jwt",
        what: "JSON Web Token (ey….ey….…)",
        matches: |t| {
            let mut parts = t.split('.');
            let (Some(h), Some(p)) = (parts.next(), parts.next()) else {
                return false;
            };
            let b64 = |s: &str| s.bytes().all(|b| is_key_char(b) || b == b'/');
            h.starts_with("ey")
                && h.len() >= 19
                && b64(h)
                && p.starts_with("ey")
                && p.len() >= 19
                && b64(p)
        },
    },
    // A long token of mixed letters and digits, such as a secret key without a known prefix
    // (AWS secret access keys, Alibaba AccessKey secrets, Tencent SecretKeys are 30–40 such
    // characters): 32 or more characters with at least 4 digits, 4 upper- and 4 lowercase
    // letters. Dotted names and paths are not tokens of this kind.
    Pattern {
        name: "high-entropy",
        what: "long random-looking token (32+ mixed letters and digits)",
        matches: |t| {
            t.len() >= 32
                && t.bytes().all(is_key_char)
                && t.bytes().filter(u8::is_ascii_digit).count() >= 4
                && t.bytes().filter(u8::is_ascii_uppercase).count() >= 4
                && t.bytes().filter(u8::is_ascii_lowercase).count() >= 4
        },
    },
];

/// Names after which a value is a secret whatever its shape, in `name=value`, `name: value`,
/// `"name": "value"`: the generic `key=…` rule (compare gitleaks' `generic-api-key`, which keys
/// on the same words).
const SECRET_NAMES: [&str; 8] = [
    "key",
    "secret",
    "token",
    "password",
    "passwd",
    "pwd",
    "credential",
    "credentials",
];

/// The pattern of that name.
pub fn pattern(name: &str) -> Option<&'static Pattern> {
    PATTERNS.iter().find(|p| p.name == name)
}

/// The name of the first pattern a token matches.
pub fn secret_kind(token: &str) -> Option<&'static str> {
    PATTERNS.iter().find(|p| p.matches(token)).map(|p| p.name)
}

/// A value after a secret name (`api_key=…`): 12 or more key characters, letters and digits
/// mixed (so `api_key=your-key-here` and `token: none` stay).
fn is_named_secret_value(t: &str) -> bool {
    t.len() >= 12
        && t.bytes().all(is_key_char)
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
}

fn is_token_byte(b: u8) -> bool {
    is_key_char(b) || b == b'.' || b == b'/'
}

/// True when `s` contains anything [`redact`] would shorten.
pub fn looks_secret(s: &str) -> bool {
    matches!(redact_cow(s), Cow::Owned(_))
}

/// Replaces every secret-looking token with its first four characters, an ellipsis and its
/// length: `sk-p…(51 chars)`. A PEM private key block becomes `-----BEGIN … PRIVATE KEY-----…`.
pub fn redact(s: &str) -> String {
    redact_cow(s).into_owned()
}

/// [`redact`], borrowing when nothing is redacted (the common case for document text).
pub fn redact_cow(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    // Fast path: no run of 12+ token characters, no PEM block: nothing can match.
    let mut run = 0usize;
    let mut long = false;
    for &c in b {
        if is_token_byte(c) {
            run += 1;
            if run >= 12 {
                long = true;
                break;
            }
        } else {
            run = 0;
        }
    }
    if !long && !s.contains("PRIVATE KEY") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    // The last word before the current position and whether only `=`/`:`/quotes/spaces have
    // followed it since.
    let mut last_word: &str = "";
    let mut after_assign = false;
    let mut pending_assign_sep = false;
    while i < b.len() {
        if b[i..].starts_with(b"-----BEGIN")
            && let Some(end) = pem_block_end(&s[i..])
        {
            out.push_str("-----BEGIN … PRIVATE KEY-----…");
            changed = true;
            i += end;
            continue;
        }
        if !is_token_byte(b[i]) {
            let c = s[i..].chars().next().unwrap_or(' ');
            match c {
                '=' | ':' => pending_assign_sep = !last_word.is_empty(),
                '"' | '\'' | ' ' | '\t' => {}
                _ => {
                    last_word = "";
                    pending_assign_sep = false;
                }
            }
            after_assign = pending_assign_sep;
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let start = i;
        while i < b.len() && is_token_byte(b[i]) {
            i += 1;
        }
        let mut token = &s[start..i];
        let trail_len = token.len() - token.trim_end_matches(['.', '/']).len();
        token = &token[..token.len() - trail_len];
        let named = after_assign && is_secret_name(last_word);
        changed |= redact_token(token, named, &mut out);
        out.push_str(&s[start + token.len()..i]);
        last_word = token;
        pending_assign_sep = false;
        after_assign = false;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

fn is_secret_name(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    let last = w.rsplit(['_', '-', '.']).next().unwrap_or(&w);
    SECRET_NAMES.contains(&last)
        || ["apikey", "secretkey", "accesskey", "authtoken", "password"]
            .iter()
            .any(|n| w.ends_with(n))
}

/// The byte length of a PEM private-key block starting at `s` (through its `-----END …-----`
/// line, or to the end of `s` when it is cut off), or `None` when this is not one.
fn pem_block_end(s: &str) -> Option<usize> {
    let header_end = s.get(10..)?.find("-----")? + 10;
    let label = &s[10..header_end];
    if !label.ends_with("PRIVATE KEY") && !label.ends_with("PRIVATE KEY BLOCK") {
        return None;
    }
    let body = header_end + 5;
    Some(match s[body..].find("-----END") {
        Some(e) => {
            let after = body + e + 8;
            s[after..].find("-----").map_or(s.len(), |x| after + x + 5)
        }
        None => s.len(),
    })
}

/// Writes `token`, or its redacted stub when it (or a `.`/`/`-separated part of it) is a secret.
/// Returns whether anything was redacted.
fn redact_token(token: &str, named: bool, out: &mut String) -> bool {
    if token.len() < 12 {
        out.push_str(token);
        return false;
    }
    if PATTERNS.iter().any(|p| p.matches(token)) || (named && is_named_secret_value(token)) {
        stub(token, out);
        return true;
    }
    if !token.contains(['.', '/']) {
        out.push_str(token);
        return false;
    }
    // A path or dotted name: each part on its own.
    let mut changed = false;
    let mut rest = token;
    while !rest.is_empty() {
        let cut = rest.find(['.', '/']).unwrap_or(rest.len());
        let part = &rest[..cut];
        if part.len() >= 12 && PATTERNS.iter().any(|p| p.matches(part)) {
            stub(part, out);
            changed = true;
        } else {
            out.push_str(part);
        }
        if cut < rest.len() {
            out.push_str(&rest[cut..=cut]);
            rest = &rest[cut + 1..];
        } else {
            rest = "";
        }
    }
    changed
}

fn stub(token: &str, out: &mut String) {
    let head: String = token.chars().take(4).collect();
    let _ = write!(out, "{head}…({} chars)", token.chars().count());
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

    /// One made-up key of each shape, named by the pattern that must catch it.
    pub(crate) const SAMPLES: &[(&str, &str)] = &[
        (
            "openai-project-key",
            "sk-proj-Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2gHi3jKl",
        ),
        (
            "openai-project-key",
            "sk-svcacct-Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf",
        ),
        (
            "anthropic-key",
            "sk-ant-api03-Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2gHi3jKlAA",
        ),
        ("sk-hex32", "sk-0123456789abcdef0123456789abcdef"),
        (
            "sk-alnum48",
            "sk-Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2gHi3jKl4mNo5p",
        ),
        ("google-api-key", "AIzaSyAb3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dE"),
        (
            "zhipu-key",
            "6dc6250f248ab34401d1e974424755b1.auuRSiYueq7Mvc6m",
        ),
        ("alibaba-access-key-id", "LTAI5tAb3dEf9hIj2lMn4pQr"),
        ("alibaba-access-key-id", "LTAIAb3dEf9hIj2l"),
        ("tencent-secret-id", "AKIDAb3dEf9hIj2lMn4pQr6tUv8xYz0aBc1d"),
        (
            "volcengine-access-key-id",
            "AKLTAb3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2g",
        ),
        (
            "baidu-qianfan-key",
            "bce-v3/ALTAK-Ab3dEf9hIj2lMn4pQr6t/0123456789abcdef0123456789abcdef01234567",
        ),
        ("aws-access-key-id", "AKIAIOSFODNN7EXAMPL3"),
        ("aws-access-key-id", "ASIAIOSFODNN7EXAMPL3"),
        ("github-token", "ghp_Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2g"),
        (
            "github-token",
            "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nOp4qRs5tUv",
        ),
        (
            "slack-token",
            "xoxb-1234567890-1234567890123-Ab3dEf9hIj2lMn4pQr6tUv8x",
        ),
        ("stripe-key", "sk_live_Ab3dEf9hIj2lMn4pQr6tUv8x"),
        ("stripe-key", "rk_live_Ab3dEf9hIj2lMn4pQr6tUv8x"),
        ("huggingface-token", "hf_AbcdEfghIjklMnopQrstUvwxYzabCdefGh"),
        (
            "jwt",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        ),
        ("high-entropy", "wJalrXUtnFEMI7K7MDENG8bPxRfiCY4X9mPLEKEY2"),
    ];

    #[test]
    fn every_provider_shape_is_caught_and_named() {
        for (name, key) in SAMPLES {
            assert_eq!(secret_kind(key), Some(*name), "{key}");
            for text in [
                (*key).to_string(),
                format!("KEY={key}"),
                format!("\"{key}\","),
                format!("我的密钥是{key}。"),
                format!("key: {key}."),
            ] {
                let r = redact(&text);
                assert!(!r.contains(key), "{name}: {text} -> {r}");
                assert!(looks_secret(&text), "{text}");
            }
            assert!(pattern(name).is_some());
        }
    }

    #[test]
    fn ordinary_text_stays() {
        for s in [
            "api.deepseek.com",
            "https://open.bigmodel.cn/api/paas/v4/chat/completions",
            "src/components/VeryLongComponentName.tsx",
            "prompt-injection-through-retrieved-documents",
            "data.personal_categories",
            "2026-11-26T09:12:03Z",
            "sk-short",
            "token: none",
            "api_key=your-key-here",
            "我们只在中国大陆处理数据，日志保存 30 天。",
            "LTAI",
            "1234567890abcdef1234567890abcdef",
        ] {
            assert_eq!(redact(s), s);
            assert!(!looks_secret(s), "{s}");
        }
    }

    #[test]
    fn named_values_and_pem_blocks_are_redacted() {
        let r = redact("db_password=hunter2hunter2x9 and API_KEY: \"q8w7e6r5t4y3u2i1\"");
        assert!(
            !r.contains("hunter2hunter2x9") && !r.contains("q8w7e6r5t4y3u2i1"),
            "{r}"
        );
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x+/=\nabc\n-----END RSA PRIVATE KEY-----\nafter";
        let r = redact(pem);
        assert!(!r.contains("MIIEow") && r.ends_with("\nafter"), "{r}");
        let cut = redact("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA");
        assert!(!cut.contains("b3Blbn"), "{cut}");
        assert_eq!(
            redact("-----BEGIN CERTIFICATE-----"),
            "-----BEGIN CERTIFICATE-----"
        );
    }
}
