//! What ships beside the binary for CI: the example workflow (`examples/ci/agentguard.yml`), the
//! release workflow (`.github/workflows/release.yml`), the pre-commit manifest and examples, and the
//! README's install line. actionlint (in `.ci/run`) checks the workflows' syntax and expressions;
//! these tests check what the example and the release depend on: triggers, least-privilege
//! permissions, pinned actions, the archive name both workflows agree on, the package name, and
//! that every `agentguard check` they run passes flags the `check` interface accepts.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> Value {
    serde_saphyr::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every workflow that ships: the repository's own and the examples.
fn workflows() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [".github/workflows", "examples/ci"] {
        for e in std::fs::read_dir(root().join(dir)).expect(dir) {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "yml" || x == "yaml")
                && p.file_name().is_some_and(|n| n != "pre-commit-config.yaml")
            {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// Every `uses:` in a workflow, with where it is.
fn uses(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (job_id, job) in doc["jobs"].as_object().expect("jobs") {
        for step in job["steps"].as_array().expect("steps") {
            if let Some(u) = step["uses"].as_str() {
                out.push((job_id.clone(), u.to_owned()));
            }
        }
    }
    out
}

/// Every `run:` script in a workflow.
fn runs(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for job in doc["jobs"].as_object().expect("jobs").values() {
        for step in job["steps"].as_array().expect("steps") {
            if let Some(r) = step["run"].as_str() {
                out.push(r.to_owned());
            }
        }
    }
    out
}

#[test]
fn every_action_is_pinned_to_a_commit_with_its_version_named() {
    let files = workflows();
    assert!(files.len() >= 2, "workflows found: {files:?}");
    let mut checked = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("workflow");
        let doc: Value = serde_saphyr::from_str(&text).expect("workflow YAML");
        for (job, u) in uses(&doc) {
            let (action, rev) = u.split_once('@').unwrap_or((&u, ""));
            assert!(
                rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()),
                "{}: job {job}: {action} is not pinned to a commit SHA ({u})",
                path.display()
            );
            // A SHA alone does not say which release it is: the line names it (`# vX.Y.Z`).
            let line = text
                .lines()
                .find(|l| l.contains(&u))
                .expect("the uses line");
            let comment = line.split_once("# v").map(|(_, v)| v);
            assert!(
                comment.is_some_and(|v| v.split('.').count() == 3),
                "{}: `{}` does not name the version it pins (`# vX.Y.Z`)",
                path.display(),
                line.trim()
            );
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} actions found");
}

#[test]
fn the_example_workflow_gates_pull_requests_with_least_privilege() {
    let doc = yaml("examples/ci/agentguard.yml");
    let on = doc["on"].as_object().expect("on: a mapping of triggers");
    assert!(
        on.contains_key("pull_request") && on.contains_key("push"),
        "triggers: {on:?}"
    );
    assert_eq!(
        doc["permissions"],
        serde_json::json!({"contents": "read"}),
        "workflow-wide permissions are read-only"
    );
    let jobs = doc["jobs"].as_object().expect("jobs");
    let writers: Vec<&String> = jobs
        .iter()
        .filter(|(_, j)| j["permissions"]["security-events"] == "write")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        writers,
        ["upload"],
        "only the upload job may write security events"
    );
    for (id, job) in jobs {
        if let Some(p) = job["permissions"].as_object() {
            for (scope, level) in p {
                assert!(
                    level == "read" || (id == "upload" && scope == "security-events"),
                    "job {id} asks for {scope}: {level}"
                );
            }
        }
    }

    // The upload job uploads SARIF, and only for a public repository or with AGENTGUARD_SARIF.
    let upload = &jobs["upload"];
    let cond = upload["if"].as_str().expect("upload has a condition");
    for needed in [
        "github.event.repository.visibility == 'public'",
        "vars.AGENTGUARD_SARIF == 'true'",
        "needs.check.outputs.sarif == 'true'",
        "!cancelled()",
    ] {
        assert!(
            cond.contains(needed),
            "upload condition lacks `{needed}`: {cond}"
        );
    }
    assert!(
        uses(&doc)
            .iter()
            .any(|(job, u)| job == "upload" && u.starts_with("github/codeql-action/upload-sarif@")),
        "the upload job uses upload-sarif"
    );

    // The check job keeps check's exit code, lets the SARIF out, then fails with that code.
    let steps = jobs["check"]["steps"].as_array().expect("check steps");
    let pos = |pred: &dyn Fn(&Value) -> bool| steps.iter().position(pred);
    let check = pos(&|s| s["id"] == "check").expect("a step with id check");
    let keep = pos(&|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
    })
    .expect("the SARIF file is kept for the upload job");
    let gate = steps.len() - 1;
    let check_run = steps[check]["run"].as_str().expect("check run");
    assert!(check_run.contains("set +e") && check_run.contains("code=$?"));
    assert!(check_run.contains("--format sarif -o agentguard.sarif"));
    assert!(
        check < keep && keep < gate,
        "order: check, keep the SARIF, gate"
    );
    assert_eq!(steps[gate]["run"], "exit \"$CODE\"");
    assert_eq!(
        steps[gate]["env"]["CODE"],
        "${{ steps.check.outputs.code }}"
    );
}

#[test]
fn the_example_installs_a_checked_release_or_builds_this_package() {
    let doc = yaml("examples/ci/agentguard.yml");
    let install = runs(&doc)
        .into_iter()
        .find(|r| r.contains("gh release download"))
        .expect("an install step");
    let package = env!("CARGO_PKG_NAME");
    assert_eq!(package, "agentguard-cli");
    for needed in [
        "--repo \"$AGENTGUARD_REPO\"",
        "sha256sum -c -",
        // The archive name the release workflow writes (agentguard-$TAG-$TARGET).
        "name=\"agentguard-$AGENTGUARD_VERSION-x86_64-unknown-linux-musl\"",
        &format!(
            "cargo install --locked --git \"https://github.com/$AGENTGUARD_REPO\" \"${{tag[@]}}\" {package}"
        ),
    ] {
        assert!(
            install.contains(needed),
            "install step lacks `{needed}`:\n{install}"
        );
    }
    let step_env = doc["jobs"]["check"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["run"].as_str() == Some(install.as_str()))
        .map(|s| s["env"].clone())
        .expect("install step");
    assert_eq!(step_env["AGENTGUARD_REPO"], "${{ vars.AGENTGUARD_REPO }}");
    let env = &doc["env"];
    assert!(env["AGENTGUARD_VERSION"].is_string() && env["AGENTGUARD_SHA256"].is_string());

    let release = read(".github/workflows/release.yml");
    assert!(release.contains("name=\"agentguard-$TAG-$TARGET\""));
    assert!(release.contains("tar -czf \"$name.tar.gz\" \"$name\""));
    assert!(release.contains("cp \"target/$TARGET/release/agentguard\""));
}

#[test]
fn the_release_builds_every_target_on_a_tag_into_this_repository() {
    let doc = yaml(".github/workflows/release.yml");
    assert_eq!(doc["on"], serde_json::json!({"push": {"tags": ["v*"]}}));
    assert_eq!(doc["permissions"], serde_json::json!({"contents": "read"}));
    let build = &doc["jobs"]["build"];
    let targets: Vec<&str> = build["strategy"]["matrix"]["include"]
        .as_array()
        .expect("matrix")
        .iter()
        .map(|m| m["target"].as_str().expect("target"))
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-musl",
            "aarch64-apple-darwin",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc"
        ]
    );
    let scripts = runs(&doc);
    let builds: Vec<&String> = scripts
        .iter()
        .filter(|r| r.starts_with("cargo build"))
        .collect();
    assert!(!builds.is_empty());
    for b in builds {
        assert_eq!(b, "cargo build --release --locked --target \"$TARGET\"");
    }
    let linux = build["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["name"] == "Build (Linux)")
        .expect("Linux build step");
    assert_eq!(linux["env"]["RUSTFLAGS"], "-C target-feature=+crt-static");

    // Every gh call names the repository the workflow runs in, never a written-in owner.
    let gh: Vec<&str> = scripts
        .iter()
        .flat_map(|s| s.lines())
        .filter(|l| l.trim_start().starts_with("gh "))
        .collect();
    assert!(gh.len() >= 4, "gh calls: {gh:?}");
    for line in gh {
        assert!(line.contains("--repo \"$GITHUB_REPOSITORY\""), "{line}");
    }
    for (id, job) in doc["jobs"].as_object().expect("jobs") {
        let writes = job["permissions"]["contents"] == "write";
        let calls_gh = job["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .any(|s| s["run"].as_str().is_some_and(|r| r.contains("gh release")));
        assert_eq!(
            writes, calls_gh,
            "job {id}: contents: write only where it releases"
        );
    }
}

#[test]
fn the_readme_installs_this_package() {
    let readme = read("README.md");
    let line = format!("cargo install --locked {}", env!("CARGO_PKG_NAME"));
    assert!(readme.contains(&line), "README lacks `{line}`");
    assert!(
        !readme.contains("cargo install agentguard ")
            && !readme.contains("cargo install --locked agentguard\n"),
        "`cargo install agentguard` installs an unrelated crate"
    );
}

// ---------------------------------------------------------------------------------------------
// The `agentguard check` command lines that ship.

/// The words after `agentguard` of the `agentguard check` on a shell line, if any.
fn check_words(line: &str) -> Option<Vec<String>> {
    let i = line.find("agentguard check")?;
    Some(
        line[i + "agentguard ".len()..]
            .split_whitespace()
            .take_while(|w| !matches!(*w, "|" | "||" | "&&" | ";" | ">" | "2>&1"))
            .map(|w| {
                let w = w.trim_matches('"');
                if w.starts_with('$') {
                    "agentguard.yaml".to_owned()
                } else {
                    w.to_owned()
                }
            })
            .collect(),
    )
}

/// Every `agentguard check` command line in what ships, as argument lists after `agentguard`,
/// with where each comes from. Shell variables are given a sample value.
fn check_invocations() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for path in workflows() {
        let doc: Value =
            serde_saphyr::from_str(&std::fs::read_to_string(&path).expect("read")).expect("yaml");
        for script in runs(&doc) {
            for line in script.lines() {
                if let Some(w) = check_words(line) {
                    out.push((path.display().to_string(), w));
                }
            }
        }
    }
    for line in read("examples/ci/pre-commit").lines() {
        if !line.trim_start().starts_with('#')
            && let Some(w) = check_words(line)
        {
            out.push(("examples/ci/pre-commit".into(), w));
        }
    }
    // Hook manifests: the entry, then the args.
    let manifest = yaml(".pre-commit-hooks.yaml");
    let config = yaml("examples/ci/pre-commit-config.yaml");
    let config_hooks = config["repos"]
        .as_array()
        .expect("repos")
        .iter()
        .flat_map(|r| r["hooks"].as_array().expect("hooks").iter().cloned());
    let manifest_hooks = manifest.as_array().expect("hook list").iter().cloned();
    for (origin, hook) in manifest_hooks
        .map(|h| (".pre-commit-hooks.yaml", h))
        .chain(config_hooks.map(|h| ("examples/ci/pre-commit-config.yaml", h)))
    {
        assert_eq!(hook["id"], "agentguard-check", "{origin}");
        assert_eq!(
            hook["pass_filenames"], false,
            "{origin}: check takes no file names"
        );
        assert_eq!(hook["files"], "agentguard\\.yaml$", "{origin}");
        let entry = hook["entry"].as_str().expect("entry");
        let mut words: Vec<String> = entry
            .split_whitespace()
            .skip(1)
            .map(str::to_owned)
            .collect();
        if let Some(args) = hook["args"].as_array() {
            words.extend(args.iter().map(|a| a.as_str().expect("arg").to_owned()));
        }
        assert_eq!(entry, "agentguard check", "{origin}");
        out.push((origin.to_owned(), words));
    }
    // The README's shell examples.
    let readme = read("README.md");
    let mut in_sh = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh" || line == "```bash";
        } else if in_sh
            && line.trim_start().starts_with("agentguard check")
            && let Some(w) = check_words(line.split(" #").next().unwrap_or(line))
        {
            out.push(("README.md".into(), w));
        }
    }
    out
}

/// The `check` interface the examples are written against (issue 15): what each flag takes.
enum Takes {
    Nothing,
    One(&'static [&'static str]),
    Date,
    OptionalDate,
    Path,
}

fn check_flag(flag: &str) -> Option<Takes> {
    Some(match flag {
        "--fail-on" => Takes::One(&["low", "medium", "high", "critical"]),
        "--baseline" => Takes::OptionalDate,
        "--fail-on-overdue" | "--no-color" => Takes::Nothing,
        "--today" => Takes::Date,
        "--format" => Takes::One(&["text", "json", "sarif"]),
        "--lang" => Takes::One(&["en", "zh"]),
        "-o" | "--output" | "--answers" | "--catalog" => Takes::Path,
        _ => return None,
    })
}

fn is_date(s: &str) -> bool {
    agentguard::util::parse_date(s).is_some() && s.len() == 10
}

/// Problems with one argument list against the interface.
fn interface_problems(words: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    if words.first().map(String::as_str) != Some("check") {
        return vec![format!("not a check command: {words:?}")];
    }
    let mut it = words[1..].iter().peekable();
    while let Some(w) = it.next() {
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (w.as_str(), None),
        };
        let Some(takes) = check_flag(flag) else {
            problems.push(format!("unknown flag or argument `{w}`"));
            continue;
        };
        let mut value = || inline.clone().or_else(|| it.next().cloned());
        match takes {
            Takes::Nothing => {
                if inline.is_some() {
                    problems.push(format!("{flag} takes no value"));
                }
            }
            Takes::One(allowed) => match value() {
                Some(v) if allowed.contains(&v.as_str()) => {}
                v => problems.push(format!("{flag} {v:?}: expected one of {allowed:?}")),
            },
            Takes::Date => match value() {
                Some(v) if is_date(&v) => {}
                v => problems.push(format!("{flag} {v:?}: expected YYYY-MM-DD")),
            },
            Takes::OptionalDate => {
                if let Some(v) = &inline {
                    if !is_date(v) {
                        problems.push(format!("{flag}={v}: expected YYYY-MM-DD"));
                    }
                } else if it.peek().is_some_and(|n| is_date(n)) {
                    it.next();
                }
            }
            Takes::Path => {
                if value().is_none_or(|v| v.starts_with('-') && v != "-") {
                    problems.push(format!("{flag} needs a file"));
                }
            }
        }
    }
    problems
}

#[test]
fn the_interface_check_rejects_what_check_would_reject() {
    let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    for good in [
        "check",
        "check --fail-on medium --baseline --format sarif -o x.sarif",
        "check --baseline 2026-01-31 --fail-on-overdue --today 2026-02-01",
        "check --answers a.yaml --lang zh --catalog dir --format=json",
    ] {
        assert_eq!(
            interface_problems(&words(good)),
            Vec::<String>::new(),
            "{good}"
        );
    }
    for bad in [
        "report --fail-on high",
        "check --fail-on none",
        "check --format md",
        "check --today tomorrow",
        "check --baseline=yesterday",
        "check --fail-on-overdue=yes",
        "check -o",
        "check --strict",
        "check agentguard.yaml",
    ] {
        assert!(
            !interface_problems(&words(bad)).is_empty(),
            "accepted: {bad}"
        );
    }
}

#[test]
fn every_shipped_check_command_uses_the_check_interface() {
    let all = check_invocations();
    let from = |o: &str| all.iter().filter(|(origin, _)| origin.ends_with(o)).count();
    assert!(from("agentguard.yml") >= 1, "example workflow: {all:?}");
    assert!(from("pre-commit") >= 1 && from(".pre-commit-hooks.yaml") == 1);
    assert!(from("pre-commit-config.yaml") == 1);
    for (origin, words) in &all {
        let problems = interface_problems(words);
        assert!(
            problems.is_empty(),
            "{origin}: agentguard {}: {problems:?}",
            words.join(" ")
        );
    }
}

/// The same command lines through the real binary's clap parser: `--help` at the end makes clap
/// parse and check everything before it, then print help and exit 0 without running the check.
#[test]

fn every_shipped_check_command_parses_with_the_binary() {
    let bin = env!("CARGO_BIN_EXE_agentguard");
    for (origin, words) in check_invocations() {
        let out = Command::new(bin)
            .args(&words)
            .arg("--help")
            .env("HOME", "/nonexistent-agentguard-test")
            .env("XDG_CONFIG_HOME", "/nonexistent-agentguard-test")
            .output()
            .expect("run agentguard");
        assert!(
            out.status.success(),
            "{origin}: agentguard {} --help: {:?}\n{}",
            words.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let help = String::from_utf8_lossy(&out.stdout);
        for flag in words.iter().filter(|w| w.starts_with("--")) {
            let name = flag.split('=').next().unwrap_or(flag);
            assert!(
                help.contains(name),
                "{origin}: `check --help` does not list {name}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The plain git hook.

/// Runs the hook in a fresh git repository with a stand-in `agentguard` on PATH that records its
/// arguments and exits with `code`.
fn run_hook(stage_assessment: bool, code: i32, answers_env: Option<&str>) -> (i32, Option<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&repo).expect("repo");
    std::fs::create_dir_all(&bin).expect("bin");
    let log = dir.path().join("args");
    let fake = bin.join("agentguard");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho \"$*\" > '{}'\nexit {code}\n",
            log.display()
        ),
    )
    .expect("fake");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let git = |args: &[&str]| {
        let s = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .expect("git");
        assert!(s.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(repo.join("notes.txt"), "x").expect("write");
    git(&["add", "notes.txt"]);
    if stage_assessment {
        std::fs::write(repo.join("agentguard.yaml"), "schema: 2\n").expect("write");
        git(&["add", "agentguard.yaml"]);
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut hook = Command::new("sh");
    hook.arg(root().join("examples/ci/pre-commit"))
        .current_dir(&repo)
        .env("PATH", path)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("AGENTGUARD_ANSWERS");
    if let Some(a) = answers_env {
        hook.env("AGENTGUARD_ANSWERS", a);
    }
    let status = hook.status().expect("hook");
    let args = std::fs::read_to_string(&log)
        .ok()
        .map(|s| s.trim().to_owned());
    (status.code().expect("exit code"), args)
}

#[test]
fn the_git_hook_runs_check_only_when_the_assessment_is_committed_and_keeps_its_exit_code() {
    assert_eq!(
        run_hook(false, 1, None),
        (0, None),
        "no assessment staged: nothing to check"
    );
    let expected = Some("check --answers agentguard.yaml --fail-on high".to_owned());
    assert_eq!(run_hook(true, 0, None), (0, expected.clone()));
    assert_eq!(
        run_hook(true, 1, None),
        (1, expected.clone()),
        "a failed gate blocks"
    );
    assert_eq!(run_hook(true, 78, None), (78, expected));
    // An assessment kept outside the repository is checked on every commit.
    assert_eq!(
        run_hook(false, 1, Some("/elsewhere/a.yaml")),
        (
            1,
            Some("check --answers /elsewhere/a.yaml --fail-on high".to_owned())
        )
    );
}
