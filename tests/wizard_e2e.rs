//! The real `agentguard wizard` binary in a real terminal: tmux runs it in a 120×40 pane, the
//! test types keys and reads the screen. One test answers the whole questionnaire and checks the
//! saved file; another kills the process with SIGKILL mid-way, restarts it, and checks that every
//! answer given is on disk and the wizard resumes at the right question. Without tmux these
//! tests are skipped locally and fail under CI (`.ci/run` installs tmux).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use agentguard::i18n::Ui;
use agentguard::model::{Knowledge, Lang, QuestionKind, Value};
use agentguard::store::Stored;
use agentguard::wizard::flow::{Event, Flow, Screen};
use agentguard::{Sources, load};

const NOW: &str = "2026-11-26T10:00:00Z";

fn has_tmux() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is required for the terminal end-to-end tests under CI"
        );
        eprintln!("tmux not found: skipping the terminal end-to-end test");
    }
    found
}

fn knowledge() -> Knowledge {
    match load::knowledge(&Sources::embedded()) {
        Ok((k, _)) => k,
        Err(d) => panic!("embedded catalog invalid: {d:#?}"),
    }
}

/// One tmux server (private socket) with one session running the wizard.
struct Pane {
    socket: String,
    home: PathBuf,
}

impl Pane {
    fn start(name: &str, home: &Path, file: &Path, extra: &str) -> Pane {
        let socket = format!("agentguard-e2e-{}-{name}", std::process::id());
        let pane = Pane {
            socket,
            home: home.to_path_buf(),
        };
        pane.spawn(file, extra);
        pane
    }

    fn spawn(&self, file: &Path, extra: &str) {
        let bin = env!("CARGO_BIN_EXE_agentguard");
        // `exec` makes the pane's process the wizard itself, so its pid can be killed.
        let cmd = format!(
            "exec env -i PATH=/usr/bin:/bin HOME={home} XDG_CONFIG_HOME={home}/config \
             LANG=C.UTF-8 TERM=xterm-256color AGENTGUARD_NOW={NOW} {bin} wizard --answers {file} {extra}",
            home = self.home.display(),
            file = file.display(),
        );
        let ok = self
            .tmux(&[
                "new-session",
                "-d",
                "-s",
                "w",
                "-x",
                "120",
                "-y",
                "40",
                &cmd,
            ])
            .status
            .success();
        assert!(ok, "tmux new-session failed");
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-u", "-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "w"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "w"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success(), "send-keys {keys:?}");
    }

    fn text(&self, text: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", "w", "-l", text])
                .status
                .success()
        );
    }

    fn wait_for(&self, needles: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if needles.iter().all(|n| s.contains(n)) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {needles:?}; the screen is:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    fn is_running(&self) -> bool {
        self.tmux(&["has-session", "-t", "w"]).status.success()
    }

    fn wait_exit(&self) {
        let start = Instant::now();
        while self.is_running() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the wizard did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Answers the two questions before the agent's name (questionnaire v2): a public service
    /// (the fourth option) run from mainland China (the first option ticked). Both modes take the
    /// same keys.
    fn past_delivery(&self) {
        self.wait_for(&["How do people get to use your agent?"]);
        self.keys(&["Down", "Down", "Down", "Enter"]);
        self.wait_for(&["Where are you, and your company"]);
        self.keys(&["Space", "Enter"]);
    }

    fn pid(&self) -> i32 {
        let out = self.tmux(&["display-message", "-p", "-t", "w", "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("pane pid")
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// What the test answers to each kind of question, and the keys that give that answer.
fn answer_for(flow: &Flow<'_>) -> (Value, Vec<Step>) {
    let q = flow.question();
    // How the agent is delivered: a public service, the shape with the most questions. Its
    // option sits two above the last one.
    if q.id == "agent.delivery" {
        let offered = flow.offered();
        let public = q.options[offered[offered.len() - 3]].id.clone();
        return (
            Value::Choice(public),
            vec![
                Step::Key("End"),
                Step::Key("Up"),
                Step::Key("Up"),
                Step::Key("Enter"),
            ],
        );
    }
    // Otherwise the last option: on this questionnaire it takes the path with the most questions.
    let last = || {
        let offered = flow.offered();
        q.options[offered[offered.len() - 1]].id.clone()
    };
    match q.kind {
        QuestionKind::Text => (
            Value::Text("Shop helper 小店".into()),
            vec![Step::Text("Shop helper 小店"), Step::Key("Enter")],
        ),
        QuestionKind::Number => (
            Value::Number(1500.0),
            vec![Step::Text("1,500"), Step::Key("Enter")],
        ),
        QuestionKind::Single | QuestionKind::YesNo => (
            Value::Choice(last()),
            vec![Step::Key("End"), Step::Key("Enter")],
        ),
        QuestionKind::Multiple => (
            Value::Choices(vec![last()]),
            vec![Step::Key("End"), Step::Key("Space"), Step::Key("Enter")],
        ),
    }
}

enum Step {
    Key(&'static str),
    Text(&'static str),
}

/// The texts that identify the screen of the mirror's current question.
fn marks(flow: &Flow<'_>) -> Vec<String> {
    let (step, total) = flow.step();
    let prompt: String = flow.question().prompt.en.chars().take(24).collect();
    vec![format!("question {step} of {total} "), prompt]
}

/// Answers `n` questions (or all, for `None`) in the pane, keeping a mirror machine in step.
fn answer(pane: &Pane, mirror: &mut Flow<'_>, n: Option<usize>) -> usize {
    let mut given = 0;
    while mirror.screen() == Screen::Question && n.is_none_or(|n| given < n) {
        let m = marks(mirror);
        pane.wait_for(&[&m[0], &m[1]]);
        let (value, steps) = answer_for(mirror);
        for s in steps {
            match s {
                Step::Key(k) => pane.keys(&[k]),
                Step::Text(t) => pane.text(t),
            }
        }
        let fx = mirror.handle(Event::Answer(value));
        assert!(!fx.is_empty(), "the mirror refused the answer");
        given += 1;
    }
    given
}

fn mirror(k: &Knowledge, a: agentguard::Assessment) -> Flow<'_> {
    let today = agentguard::util::parse_date(NOW).expect("date");
    Flow::new(k, Ui::embedded(), a, Lang::En, today).with_clock(|| NOW.to_string())
}

fn saved(path: &Path, k: &Knowledge) -> agentguard::Assessment {
    Stored::open(path, k, Lang::En)
        .expect("saved file loads")
        .assessment
}

#[test]
fn a_whole_questionnaire_by_keystrokes() {
    if !has_tmux() {
        return;
    }
    let k = knowledge();
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("agentguard.yaml");
    let pane = Pane::start("whole", dir.path(), &file, "");
    let mut m = mirror(&k, agentguard::Assessment::new(1, Lang::En));
    let n = answer(&pane, &mut m, None);
    assert!(n > 30, "only {n} questions were asked");
    let screen = pane.wait_for(&["Summary: what your answers imply", "answered"]);
    assert!(screen.contains("Open findings"), "{screen}");
    // `w` writes the documents beside the assessment.
    pane.keys(&["w"]);
    pane.wait_for(&["Written:"]);
    assert!(dir.path().join("checklist.md").is_file());
    assert!(dir.path().join("privacy-notice.html").is_file());
    // The developer's to-do list is beside the notice, never in it.
    let todo = std::fs::read_to_string(dir.path().join("privacy-notice.todo.md")).expect("todo");
    let notice = std::fs::read_to_string(dir.path().join("privacy-notice.md")).expect("notice");
    assert!(todo.starts_with("## Before you publish") || todo.starts_with("## 发布前"));
    assert!(!notice.contains("## Before you publish") && !notice.contains("## 发布前"));
    // The data-flow view and the language key on the summary.
    pane.keys(&["f"]);
    pane.wait_for(&["Data flow: where your users' data goes"]);
    pane.keys(&["Escape"]);
    // A key right after Esc would reach the terminal as Alt+key: wait for the summary first.
    pane.wait_for(&["Summary: what your answers imply"]);
    pane.keys(&["l"]);
    pane.wait_for(&["总结：你的回答意味着什么"]);
    pane.keys(&["q"]);
    pane.wait_exit();

    let a = saved(&file, &k);
    assert_eq!(a.lang, Lang::Zh, "the language switch is saved");
    assert_eq!(a.answers.len(), m.assessment().answers.len());
    for (id, want) in &m.assessment().answers {
        let got = a
            .answers
            .get(id)
            .unwrap_or_else(|| panic!("{id} missing from the file"));
        assert_eq!(got.value, want.value, "{id}");
        assert_eq!(got.at, NOW, "{id}: AGENTGUARD_NOW stamps the answers");
        assert!(got.confirmed, "{id}");
    }
}

#[test]
fn sigkill_mid_way_loses_nothing_and_resumes_at_the_next_question() {
    if !has_tmux() {
        return;
    }
    let k = knowledge();
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("agentguard.yaml");
    let pane = Pane::start("kill", dir.path(), &file, "");
    let mut m = mirror(&k, agentguard::Assessment::new(1, Lang::En));
    assert_eq!(answer(&pane, &mut m, Some(7)), 7);
    // The eighth question is on screen: every earlier answer was saved before it was drawn.
    let next = marks(&m);
    pane.wait_for(&[&next[0], &next[1]]);
    let pid = pane.pid();
    let killed = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    pane.wait_exit();

    let a = saved(&file, &k);
    assert_eq!(a.answers.len(), 7, "{:#?}", a.answers.keys());
    for (id, want) in &m.assessment().answers {
        assert_eq!(
            a.answers.get(id).map(|x| &x.value),
            Some(&want.value),
            "{id}"
        );
    }
    // No temporary file is left behind by the atomic writes.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The lock file stays by design (deleting lock files races).
        .filter(|n| n != "agentguard.yaml" && n != "config" && n != ".agentguard.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Restart: it resumes at the eighth question, and carries on from there.
    pane.spawn(&file, "");
    let resumed = mirror(&k, a);
    assert_eq!(marks(&resumed), next);
    pane.wait_for(&[&next[0], &next[1], "7/"]);
    let mut m = resumed;
    assert_eq!(answer(&pane, &mut m, Some(1)), 1);
    let after = marks(&m);
    pane.wait_for(&[&after[0]]);
    pane.keys(&["C-c"]);
    pane.wait_exit();
    assert_eq!(saved(&file, &k).answers.len(), 8);
}

#[test]
fn line_mode_saves_in_a_real_terminal() {
    if !has_tmux() {
        return;
    }
    let k = knowledge();
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("agentguard.yaml");
    let pane = Pane::start("plain", dir.path(), &file, "--plain");
    pane.wait_for(&["How do people get to use your agent?"]);
    // The fourth option: a public service, so the name and the location are asked.
    pane.keys(&["Down", "Down", "Down", "Enter"]);
    pane.wait_for(&["Where are you, and your company"]);
    pane.keys(&["Space", "Enter"]);
    pane.wait_for(&["What is your agent called?"]);
    pane.text("小店助手");
    pane.keys(&["Enter"]);
    pane.wait_for(&["What is your agent mainly for?"]);
    pane.keys(&["Down", "Enter"]);
    pane.wait_for(&["What does your agent produce, and how does it present itself?"]);
    pane.keys(&["C-c"]);
    pane.wait_exit();
    let a = saved(&file, &k);
    assert_eq!(
        a.answers["agent.delivery"].value,
        Value::Choice("public".into())
    );
    assert_eq!(
        a.answers["agent.where"].value,
        Value::Choices(vec!["cn_mainland".into()])
    );
    assert_eq!(
        a.answers["agent.name"].value,
        Value::Text("小店助手".into())
    );
    assert_eq!(
        a.answers["agent.purpose"].value,
        Value::Choice("companion".into())
    );
}

#[test]
fn without_a_terminal_it_refuses_in_both_languages() {
    for extra in [&[][..], &["--plain"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_agentguard"))
            .arg("wizard")
            .args(extra)
            .env("LANG", "C")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("interactive terminal"), "{err}");
        assert!(err.contains("交互式终端"), "{err}");
        assert!(err.contains("--answers FILE"), "{err}");
        assert!(err.contains("agentguard report"), "{err}");
    }
}

// ---- reliability (issue 12): failed saves, signals, escaped paths, template overrides --------

impl Pane {
    /// A pane running `cmd` through the shell, kept on screen after the process ends
    /// (`remain-on-exit`), so its exit status and terminal modes can be read.
    fn shell(name: &str, home: &Path, cmd: &str) -> Pane {
        let socket = format!("agentguard-e2e-{}-{name}", std::process::id());
        let pane = Pane {
            socket,
            home: home.to_path_buf(),
        };
        let ok = pane
            .tmux(&[
                "new-session",
                "-d",
                "-s",
                "w",
                "-x",
                "120",
                "-y",
                "40",
                cmd,
                ";",
                "set-option",
                "-t",
                "w",
                "remain-on-exit",
                "on",
            ])
            .status
            .success();
        assert!(ok, "tmux new-session failed");
        pane
    }

    fn display(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "w", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits until the pane's process has ended.
    fn wait_dead(&self) {
        let start = Instant::now();
        while self.display("#{pane_dead}") != "1" {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the wizard did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The screen with wrapped lines joined.
    fn joined(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-J", "-t", "w"]).stdout)
            .into_owned()
    }
}

fn wizard_cmd(home: &Path, args: &str) -> String {
    format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_CONFIG_HOME={home}/config LANG=C.UTF-8 \
         TERM=xterm-256color AGENTGUARD_NOW={NOW} {bin} wizard {args}",
        home = home.display(),
        bin = env!("CARGO_BIN_EXE_agentguard"),
    )
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Issue 12 item 3: in a folder the user cannot write, every save fails; on exit the wizard
/// must not say "saved", must name the answers that are not on disk, and must exit 2, in both
/// front ends. Runs as uid 65534 (root ignores permission bits).
#[cfg(unix)]
#[test]
fn a_failed_save_is_not_called_saved_and_exits_2() {
    if !has_tmux() {
        return;
    }
    if !is_root() {
        eprintln!("skipped: needs root to run the wizard as uid 65534 with setpriv");
        return;
    }
    for (name, extra) in [("ro-plain", "--plain"), ("ro-tui", "")] {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::set_permissions(
            tmp.path(),
            <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755),
        )
        .expect("chmod");
        // Owned by root, 0755: uid 65534 can read it but not create anything in it.
        let ro = tmp.path().join("ro");
        std::fs::create_dir(&ro).expect("mkdir");
        // A lock file left by an earlier run: the lock is taken read-only, the write itself fails.
        std::fs::write(ro.join(".agentguard.lock"), "").expect("lock file");
        let file = ro.join("agentguard.yaml");
        let cmd = format!(
            "setpriv --reuid=65534 --regid=65534 --clear-groups {} ; echo \"exit=$?\"; sleep 600",
            wizard_cmd(tmp.path(), &format!("--answers {} {extra}", file.display()))
        );
        let pane = Pane::shell(name, tmp.path(), &cmd);
        pane.past_delivery();
        pane.wait_for(&["What is your agent called?"]);
        pane.text("Helper");
        pane.keys(&["Enter"]);
        pane.wait_for(&["What is your agent mainly for?"]);
        if extra.is_empty() {
            pane.wait_for(&["Permission denied"]);
            // The first q warns that the last change is not saved; the second quits.
            pane.keys(&["q"]);
            pane.wait_for(&["Press q again"]);
            pane.keys(&["q"]);
        } else {
            pane.keys(&["C-c"]);
        }
        pane.wait_for(&["exit="]);
        let screen = pane.joined();
        assert!(!file.exists(), "{name}: nothing could be written");
        assert!(screen.contains("exit=2"), "{name}: {screen}");
        assert!(!screen.contains("saved to"), "{name}: {screen}");
        assert!(
            !screen.contains("Every answer so far is saved"),
            "{name}: {screen}"
        );
        assert!(
            screen.contains("agent.name"),
            "{name}: names the answer not on disk: {screen}"
        );
        assert!(screen.contains("Permission denied"), "{name}: {screen}");
    }
}

/// Issue 12 item 11: SIGTERM, SIGHUP and SIGQUIT restore the terminal (the pane is back on the
/// normal screen) and end the wizard with the conventional code; the answers file is intact.
#[test]
fn a_catchable_signal_restores_the_terminal() {
    if !has_tmux() {
        return;
    }
    let k = knowledge();
    for (sig, code) in [("TERM", 143), ("HUP", 129), ("QUIT", 131)] {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("agentguard.yaml");
        // The shell stays to print the exit status (tmux's own pane_dead_status proved unreliable
        // under load); the wizard is its child.
        let cmd = format!(
            "{}; echo \"exit=$?\"; sleep 600",
            wizard_cmd(dir.path(), &format!("--answers {}", file.display()))
        );
        let pane = Pane::shell(&format!("sig{sig}"), dir.path(), &cmd);
        pane.past_delivery();
        pane.wait_for(&["What is your agent called?"]);
        assert_eq!(pane.display("#{alternate_on}"), "1");
        pane.text("Helper");
        pane.keys(&["Enter"]);
        pane.wait_for(&["What is your agent mainly for?"]);
        let out = Command::new("pgrep")
            .args(["-P", &pane.pid().to_string()])
            .output()
            .expect("pgrep");
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(!pid.is_empty(), "no wizard process under the pane's shell");
        let sent = Command::new("kill")
            .args([&format!("-{sig}"), &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let screen = pane.wait_for(&["exit="]);
        assert_eq!(
            pane.display("#{alternate_on}"),
            "0",
            "SIG{sig}: still in the alternate screen"
        );
        assert!(
            screen.contains(&format!("exit={code}")),
            "SIG{sig}: {screen}"
        );
        let a = saved(&file, &k);
        assert_eq!(a.answers["agent.name"].value, Value::Text("Helper".into()));
    }
}

/// Issue 12 item 15: an escape sequence in the answers file's name is shown escaped in the exit
/// message, never sent to the terminal.
#[test]
fn the_exit_message_escapes_the_file_name() {
    if !has_tmux() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let log = dir.path().join("err.log");
    let cmd = format!(
        "f=\"$(printf '%s/a\\033]2;pwned\\007.yaml' {dir})\"; {} 2>{log}; echo \"exit=$?\"; sleep 600",
        wizard_cmd(dir.path(), "--answers \"$f\""),
        dir = dir.path().display(),
        log = log.display(),
    );
    let pane = Pane::shell("osc", dir.path(), &cmd);
    pane.past_delivery();
    pane.wait_for(&["What is your agent called?"]);
    pane.keys(&["C-c"]);
    pane.wait_for(&["exit=0"]);
    let err = std::fs::read_to_string(&log).expect("log");
    assert!(!err.contains('\u{1b}'), "raw ESC in {err:?}");
    assert!(!err.contains('\u{7}'), "raw BEL in {err:?}");
    assert!(err.contains("\\u{1b}]2;pwned\\u{7}.yaml"), "{err:?}");
}

/// Issue 12 item 22: `w` on the summary renders with the `--catalog` folder's templates.
#[test]
fn w_uses_the_catalog_template_overrides() {
    if !has_tmux() {
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let cat = dir.path().join("cat");
    std::fs::create_dir_all(cat.join("templates")).expect("mkdir");
    std::fs::write(
        cat.join("templates/checklist.md.hbs"),
        "# OVERRIDDEN CHECKLIST {{agent_name}}\n",
    )
    .expect("write");
    let file = dir.path().join("agentguard.yaml");
    let cmd = format!(
        "exec {}",
        wizard_cmd(
            dir.path(),
            &format!("--catalog {} --answers {}", cat.display(), file.display())
        )
    );
    let pane = Pane::shell("tpl", dir.path(), &cmd);
    pane.past_delivery();
    pane.wait_for(&["What is your agent called?"]);
    pane.text("Helper");
    pane.keys(&["Enter"]);
    pane.wait_for(&["What is your agent mainly for?"]);
    pane.keys(&["F5"]);
    pane.wait_for(&["Summary: what your answers imply"]);
    pane.keys(&["w"]);
    pane.wait_for(&["Written:"]);
    let md = std::fs::read_to_string(dir.path().join("checklist.md")).expect("checklist");
    assert!(md.starts_with("# OVERRIDDEN CHECKLIST"), "{md}");
    pane.keys(&["q"]);
    pane.wait_dead();
}

/// Issue 12 item 4: `w` again after the user edited the privacy notice asks; Enter writes
/// `privacy-notice.new.md` beside it and leaves the edit alone; the hashes are saved.
#[test]
fn w_never_replaces_an_edited_document_unasked() {
    if !has_tmux() {
        return;
    }
    let k = knowledge();
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("agentguard.yaml");
    let cmd = format!(
        "exec {}",
        wizard_cmd(dir.path(), &format!("--answers {}", file.display()))
    );
    let pane = Pane::shell("edited", dir.path(), &cmd);
    pane.past_delivery();
    pane.wait_for(&["What is your agent called?"]);
    pane.text("Helper");
    pane.keys(&["Enter"]);
    pane.wait_for(&["What is your agent mainly for?"]);
    pane.keys(&["F5"]);
    pane.wait_for(&["Summary: what your answers imply"]);
    pane.keys(&["w"]);
    pane.wait_for(&["Written:"]);
    let notice = dir.path().join("privacy-notice.md");
    std::fs::write(&notice, "# My own notice\n").expect("edit");
    pane.keys(&["w"]);
    pane.wait_for(&["You edited these documents", "privacy-notice.md"]);
    pane.keys(&["Enter"]);
    let beside = dir.path().join("privacy-notice.new.md");
    let start = Instant::now();
    while !beside.is_file() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no {}:\n{}",
            beside.display(),
            pane.screen()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    pane.wait_for(&["Written:"]);
    assert_eq!(
        std::fs::read_to_string(&notice).expect("read"),
        "# My own notice\n"
    );
    pane.keys(&["q"]);
    pane.wait_dead();
    let a = saved(&file, &k);
    assert!(a.written.contains_key("checklist.md"), "{:?}", a.written);
    assert!(
        a.written.contains_key("privacy-notice.new.md"),
        "{:?}",
        a.written
    );
}
