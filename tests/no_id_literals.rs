//! No question or option id is spelled in `src/` (`../shared/STYLE.md` 10b, issue 13 §1): what an
//! answer means is declared next to the option (`means:`), and the engine reads those meanings, so
//! a renamed question can never silently empty a document section. This test reads every string
//! literal in `src/**/*.rs` and fails on one equal to an id of the embedded questionnaire.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use agentguard::{Sources, load};

/// Words that are option ids of the questionnaire but also words of the formats or the command
/// line, spelled in `src/` for that other reason. Each says why it is unavoidable.
const ALLOWED: &[(&str, &str)] = &[
    (
        "yes",
        "the format's own option of every yes_no question (formats.md §1)",
    ),
    (
        "no",
        "the format's own option of every yes_no question (formats.md §1)",
    ),
    (
        "not_sure",
        "the format's own option added by `not_sure: true` (formats.md §1)",
    ),
    (
        "text",
        "a question kind (`kind: text`) and an output format (`--format text`)",
    ),
    ("none", "a value of `--fail-on none` on the command line"),
    (
        "other",
        "the `{other}` placeholder of the clap conflict message",
    ),
    (
        "platform",
        "a provider kind and a mitigation owner in the catalog format",
    ),
    (
        "relay",
        "a provider kind in the catalog format (`kind: relay`)",
    ),
    (
        "self_hosted",
        "a provider kind in the catalog format (`kind: self_hosted`)",
    ),
    (
        "partial",
        "a template partial, the `{partial}` argument of diagnostics E0702-E0704 (formats.md)",
    ),
    (
        "credentials",
        "a key name after which redaction hides a value (`credentials=…`, as gitleaks keys on)",
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The string literals of a Rust source with their line numbers: plain, byte and raw strings;
/// comments and character literals are skipped. Escapes are kept as written (an id has none).
fn string_literals(src: &str) -> Vec<(usize, String)> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| b.get(i).copied().unwrap_or('\0');
    while i < b.len() {
        let c = b[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if b[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == 'r' && (at(i + 1) == '"' || at(i + 1) == '#') && !ident_char(prev(&b, i)) {
            let mut j = i + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) != '"' {
                i += 1;
                continue;
            }
            let start = line;
            let mut s = String::new();
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (1..=hashes).all(|h| at(j + h) == '#') {
                    j += 1 + hashes;
                    break;
                }
                if b[j] == '\n' {
                    line += 1;
                }
                s.push(b[j]);
                j += 1;
            }
            out.push((start, s));
            i = j;
        } else if c == '"' {
            let start = line;
            let mut s = String::new();
            let mut j = i + 1;
            while j < b.len() && b[j] != '"' {
                if b[j] == '\\' {
                    s.push(b[j]);
                    j += 1;
                }
                if at(j) == '\n' {
                    line += 1;
                }
                s.push(at(j));
                j += 1;
            }
            out.push((start, s));
            i = j + 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a): skip either.
            if at(i + 1) == '\\' {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

fn prev(b: &[char], i: usize) -> char {
    if i == 0 { '\0' } else { b[i - 1] }
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[test]
fn the_lexer_finds_literals_and_skips_comments() {
    let src = "let a = \"one\"; // \"two\"\n/* \"three\" */ let b = r#\"four\"#; let c = '\"';\n\
               let d = b\"five\"; let e = \"a\\\"b\";";
    let found: Vec<String> = string_literals(src).into_iter().map(|(_, s)| s).collect();
    assert_eq!(found, ["one", "four", "five", "a\\\"b"]);
    assert_eq!(string_literals("\n\n\"x\"")[0].0, 3);
}

#[test]
fn no_question_or_option_id_is_spelled_in_src() {
    let (k, _) = load::knowledge(&Sources::embedded()).expect("embedded catalog");
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for q in &k.questionnaire.questions {
        ids.insert(q.id.clone());
        for o in &q.options {
            ids.insert(o.id.clone());
        }
    }
    assert!(ids.len() > 50, "the questionnaire has ids to look for");
    for (word, why) in ALLOWED {
        assert!(!why.is_empty());
        // An allowance for a word that is no longer an id is stale: drop it.
        assert!(
            ids.contains(*word),
            "`{word}` is allowed but is no id any more"
        );
    }
    let allowed: BTreeSet<&str> = ALLOWED.iter().map(|(w, _)| *w).collect();
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    assert!(files.len() > 20);
    let mut found = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("read");
        for (line, lit) in string_literals(&src) {
            if ids.contains(&lit) && !allowed.contains(lit.as_str()) {
                found.push(format!("{}:{line}: \"{lit}\"", f.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "question or option ids spelled in src/ (read the meaning instead, `means:`):\n{}",
        found.join("\n")
    );
}
