//! Issue 12: agentguard never loses or clobbers the user's files and never hangs on them.
//! Atomic writes replace the file a link points to (not the link), write devices and FIFOs
//! directly, refuse read-only files; saves of one assessment are serialised by a lock; killed
//! writes leave only private temporary files; `privacy todo` reads a whole text file or refuses;
//! FIFOs never block a command.
//!
//! Everything here is Unix-only (modes, FIFOs, device nodes, links, `setpriv`). No test touches a
//! real device node: device cases make their own node in a temporary folder (root only).

#![cfg(unix)]

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn exe() -> PathBuf {
    assert_cmd::cargo::cargo_bin("agentguard")
}

fn env(c: &mut Command) -> &mut Command {
    c.env_remove("LANG")
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("AGENTGUARD_NOW", "2026-11-26T10:00:00Z")
        .env("XDG_CONFIG_HOME", "/nonexistent-agentguard-test")
        .env("HOME", "/nonexistent-agentguard-test")
}

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(exe());
    env(&mut c).current_dir(dir);
    c
}

/// The binary run as `nobody` (uid/gid 65534, no groups): permission bits apply again.
fn unprivileged(dir: &Path) -> Option<Command> {
    if !is_root() || !Path::new("/usr/bin/setpriv").exists() {
        return None;
    }
    let mut c = Command::new("/usr/bin/setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(exe());
    env(&mut c).current_dir(dir);
    Some(c)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn skip(why: &str) {
    eprintln!("skipped: {why}");
}

/// Runs `c` with stdin closed; kills it after `secs` and returns `None` (a hang).
fn run_for(c: &mut Command, secs: u64) -> Option<Output> {
    use std::io::Read;
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Drain both pipes while waiting, so a large output cannot block the child.
    let mut so = child.stdout.take().expect("stdout");
    let mut se = child.stderr.take().expect("stderr");
    let so = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = so.read_to_end(&mut b);
        b
    });
    let se = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = se.read_to_end(&mut b);
        b
    });
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(Output {
                status,
                stdout: so.join().expect("stdout"),
                stderr: se.join().expect("stderr"),
            });
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(c: &mut Command) -> Output {
    run_for(c, 60).expect("the command hung for 60 s")
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs/real-rich.yaml")
}

/// A temporary folder with the rich real-catalog assessment as `agentguard.yaml`.
fn workdir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::copy(fixture(), tmp.path().join("agentguard.yaml")).expect("copy");
    tmp
}

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo")
        .arg(p)
        .status()
        .expect("mkfifo")
        .success();
    assert!(ok, "mkfifo {}", p.display());
}

/// A character device node made in a temporary folder (root only): `(1, 3)` is null, `(1, 5)`
/// zero, `(1, 7)` full on Linux.
fn mknod(p: &Path, major: u32, minor: u32) -> bool {
    cfg!(target_os = "linux")
        && is_root()
        && Command::new("mknod")
            .arg(p)
            .args(["c", &major.to_string(), &minor.to_string()])
            .status()
            .is_ok_and(|s| s.success())
}

fn kind(p: &Path) -> &'static str {
    match std::fs::symlink_metadata(p) {
        Err(_) => "missing",
        Ok(m) if m.file_type().is_symlink() => "symlink",
        Ok(m) if m.file_type().is_char_device() => "char device",
        Ok(m) if m.file_type().is_fifo() => "fifo",
        Ok(m) if m.is_file() => "file",
        Ok(_) => "other",
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("meta").permissions().mode() & 0o7777
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn threat_ids(dir: &Path) -> Vec<String> {
    let o = run(bin(dir).args(["catalog", "list", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("catalog list json");
    v["threats"]
        .as_array()
        .expect("threats")
        .iter()
        .map(|t| t["id"].as_str().expect("id").to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Item 1: writes replace the file, not the link; non-regular targets are written directly.

#[test]
fn output_into_device_nodes_writes_into_them() {
    let tmp = workdir();
    let d = tmp.path();
    if !mknod(&d.join("null"), 1, 3) || !mknod(&d.join("full"), 1, 7) {
        return skip("making a device node needs root on Linux");
    }
    let o = run(bin(d).args(["report", "--format", "md", "-o", "null"]));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(kind(&d.join("null")), "char device");
    let o = run(bin(d).args(["report", "--format", "md", "-o", "full"]));
    assert_eq!(o.status.code(), Some(2), "a full device is a write error");
    assert!(err(&o).contains("full"), "{}", err(&o));
    assert_eq!(kind(&d.join("full")), "char device");
    assert_eq!(
        names(d),
        ["agentguard.yaml", "full", "null"],
        "no temporary file"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn output_through_a_proc_fd_link_goes_to_the_open_file() {
    // What `-o /dev/stdout` is on Linux, without touching /dev.
    let tmp = workdir();
    let d = tmp.path();
    std::os::unix::fs::symlink("/proc/self/fd/1", d.join("out")).expect("link");
    let o = run(bin(d).args(["report", "--format", "md", "-o", "out"]));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(kind(&d.join("out")), "symlink", "the link is not replaced");
    assert!(out(&o).contains("agentguard"), "the report went to stdout");
    // Standard output redirected to a file in append mode: appended to, not replaced.
    let log = d.join("log.md");
    std::fs::write(&log, "before\n").expect("write");
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .expect("open");
    let status = bin(d)
        .args(["report", "--format", "md", "-o", "out"])
        .stdin(Stdio::null())
        .stdout(f)
        .stderr(Stdio::null())
        .status()
        .expect("run");
    assert!(status.success());
    let text = std::fs::read_to_string(&log).expect("read");
    assert!(
        text.starts_with("before\n") && text.contains("agentguard"),
        "{text:.200}"
    );
}

#[test]
fn output_into_a_fifo_goes_to_its_reader_and_fails_without_one() {
    let tmp = workdir();
    let d = tmp.path();
    let fifo = d.join("pipe");
    mkfifo(&fifo);
    // No reader: an error at once, the FIFO stays.
    let o = run_for(bin(d).args(["report", "--format", "md", "-o", "pipe"]), 20)
        .expect("no hang without a reader");
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("pipe"), "{}", err(&o));
    assert_eq!(kind(&fifo), "fifo");
    // A reader: it gets the whole document.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read fifo"))
    };
    // Wait until the reader has opened the FIFO (a writer can then open it).
    std::thread::sleep(Duration::from_millis(300));
    let o = run_for(bin(d).args(["report", "--format", "md", "-o", "pipe"]), 20);
    let fifo_kind = kind(&fifo);
    if fifo_kind != "fifo" {
        // Unblock the reader before failing, so the test ends.
        let _ = std::fs::remove_file(&fifo);
    }
    assert_eq!(fifo_kind, "fifo", "the FIFO was replaced");
    let o = o.expect("no hang with a reader");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let got = reader.join().expect("reader");
    assert!(got.contains("agentguard"), "{got:.200}");
    assert_eq!(names(d), ["agentguard.yaml", "pipe"]);
}

#[test]
fn output_through_a_symlink_updates_the_linked_file() {
    let tmp = workdir();
    let d = tmp.path();
    std::fs::create_dir(d.join("docs")).expect("mkdir");
    std::fs::write(d.join("docs/real.md"), "old").expect("write");
    std::os::unix::fs::symlink("docs/real.md", d.join("link.md")).expect("link");
    std::os::unix::fs::symlink("docs/new.md", d.join("dangling.md")).expect("link");
    for name in ["link.md", "dangling.md"] {
        let o = run(bin(d).args(["report", "--format", "md", "-o", name]));
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        assert_eq!(kind(&d.join(name)), "symlink", "{name} is still a link");
    }
    for real in ["docs/real.md", "docs/new.md"] {
        let text = std::fs::read_to_string(d.join(real)).expect(real);
        assert!(text.contains("agentguard"), "{real}: {text:.100}");
    }
    assert_eq!(names(&d.join("docs")), ["new.md", "real.md"]);
}

#[test]
fn mark_through_a_symlinked_assessment_updates_the_real_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    std::fs::create_dir_all(d.join("repo")).expect("mkdir");
    std::fs::create_dir_all(d.join("real")).expect("mkdir");
    std::fs::copy(fixture(), d.join("real/shared.yaml")).expect("copy");
    std::os::unix::fs::symlink("../real/shared.yaml", d.join("repo/agentguard.yaml"))
        .expect("link");
    let repo = d.join("repo");
    let o = run(bin(&repo).args(["mark", "move-key-to-server", "done"]));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(kind(&repo.join("agentguard.yaml")), "symlink");
    let real = std::fs::read_to_string(d.join("real/shared.yaml")).expect("read");
    assert!(real.contains("move-key-to-server:"), "{real}");
    assert_eq!(names(&repo), ["agentguard.yaml"]);
    assert!(
        names(&d.join("real")).iter().all(|n| !n.contains("tmp")),
        "{:?}",
        names(&d.join("real"))
    );
}

#[test]
fn a_new_assessment_behind_a_dangling_link_is_created_at_its_target() {
    // The wizard's first save of a new assessment (`Stored::save`), through a dangling link.
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    std::fs::create_dir_all(d.join("repo")).expect("mkdir");
    std::fs::create_dir_all(d.join("real")).expect("mkdir");
    let link = d.join("repo/agentguard.yaml");
    std::os::unix::fs::symlink("../real/new.yaml", &link).expect("link");
    let (k, _) = agentguard::knowledge(&agentguard::Sources::embedded()).expect("knowledge");
    let mut s = agentguard::store::Stored::open(&link, &k, agentguard::Lang::En).expect("open");
    assert!(!s.exists());
    s.save().expect("first save");
    s.assessment.review_interval_days = 42;
    s.save().expect("second save");
    assert_eq!(kind(&link), "symlink");
    let text = std::fs::read_to_string(d.join("real/new.yaml")).expect("created at the target");
    assert!(text.contains("review_interval_days: 42"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Item 5 (second half): read-only files are refused by their mode bits.

#[test]
fn read_only_files_are_refused_even_for_root() {
    let tmp = workdir();
    let d = tmp.path();
    let a = d.join("agentguard.yaml");
    let before = std::fs::read(&a).expect("read");
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let o = run(bin(d).args(["mark", "move-key-to-server", "done"]));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("agentguard.yaml") && err(&o).contains("read-only"),
        "{}",
        err(&o)
    );
    assert_eq!(std::fs::read(&a).expect("read"), before);
    assert_eq!(mode(&a), 0o444);

    let doc = d.join("ro.md");
    std::fs::write(&doc, "keep").expect("write");
    std::fs::set_permissions(&doc, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let o = run(bin(d).args(["report", "--format", "md", "-o", "ro.md"]));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("ro.md") && err(&o).contains("read-only"),
        "{}",
        err(&o)
    );
    assert_eq!(std::fs::read_to_string(&doc).expect("read"), "keep");
}

#[test]
fn files_an_unprivileged_user_may_not_write_are_refused() {
    let tmp = workdir();
    let d = tmp.path();
    // A world-writable folder: renaming over a file in it needs no permission on the file.
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let Some(mut c) = unprivileged(d) else {
        return skip("needs root and setpriv to run as an unprivileged user");
    };
    let a = d.join("agentguard.yaml");
    let before = std::fs::read(&a).expect("read");
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let o = run(c.args(["mark", "move-key-to-server", "done"]));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(std::fs::read(&a).expect("read"), before);
    // Owned by root, 0644: nobody may not write it, even though the folder allows a rename.
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let mut c = unprivileged(d).expect("setpriv");
    let o = run(c.args(["mark", "move-key-to-server", "done"]));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(std::fs::read(&a).expect("read"), before);
    assert_eq!(std::fs::metadata(&a).expect("meta").uid(), 0);
    let doc = d.join("ro.md");
    std::fs::write(&doc, "keep").expect("write");
    let mut c = unprivileged(d).expect("setpriv");
    let o = run(c.args(["report", "--format", "md", "-o", "ro.md"]));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(&doc).expect("read"), "keep");
}

// ---------------------------------------------------------------------------------------------
// Item 2: saves of one assessment are serialised.

#[test]
fn two_mark_loops_on_one_assessment_lose_no_mark() {
    mark_loops(false);
}

#[test]
fn two_mark_loops_on_one_assessment_all_succeed() {
    mark_loops(true);
}

/// Two processes each run 100 `agentguard mark` on their own threat ids against one file. No
/// mark that reported success may be lost; one that failed must have said so (exit 2, naming the
/// file). With `all_succeed`, none may fail.
fn mark_loops(all_succeed: bool) {
    let tmp = workdir();
    let d = tmp.path().to_path_buf();
    let ids = threat_ids(&d);
    assert!(ids.len() >= 100, "{}", ids.len());
    let per = 100;
    // Writer 0 takes the even ids, writer 1 the odd ones; each marks `per` times, cycling over
    // its ids with a reason that names the round.
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let d = d.clone();
            let mine: Vec<String> = ids.iter().skip(w).step_by(2).cloned().collect();
            std::thread::spawn(move || {
                let mut last = std::collections::BTreeMap::new();
                let mut failed = Vec::new();
                for i in 0..per {
                    let id = &mine[i % mine.len()];
                    let reason = format!("w{w}-{i}");
                    let o = run(bin(&d).args(["mark", id, "not-applicable", "--reason", &reason]));
                    if o.status.success() {
                        last.insert(id.clone(), reason);
                    } else {
                        assert_eq!(o.status.code(), Some(2), "{}", err(&o));
                        assert!(err(&o).contains("agentguard.yaml"), "{}", err(&o));
                        failed.push(format!("{id}: {}", err(&o)));
                    }
                }
                (last, failed)
            })
        })
        .collect();
    let mut expected = std::collections::BTreeMap::new();
    let mut failed = Vec::new();
    for w in writers {
        let (last, f) = w.join().expect("writer");
        expected.extend(last);
        failed.extend(f);
    }
    let yaml = std::fs::read_to_string(d.join("agentguard.yaml")).expect("read");
    let doc: serde_json::Value = serde_saphyr::from_str(&yaml).expect("yaml");
    let lost: Vec<_> = expected
        .iter()
        .filter(|(id, reason)| {
            doc["decisions"][id.as_str()]["reason"].as_str() != Some(reason.as_str())
        })
        .collect();
    assert!(
        lost.is_empty(),
        "{} marks reported success and were lost: {lost:?}",
        lost.len()
    );
    if all_succeed {
        assert!(
            failed.is_empty(),
            "{} marks failed: {failed:?}",
            failed.len()
        );
    } else {
        eprintln!(
            "{} of {} marks failed visibly (a conflict)",
            failed.len(),
            2 * per
        );
    }
    assert!(
        names(&d).iter().all(|n| !n.contains("tmp")),
        "{:?}",
        names(&d)
    );
}

#[test]
fn two_locked_updaters_on_one_assessment_lose_nothing() {
    // What `mark` does once it opens with `Stored::open_locked`: read-modify-write as one step.
    use agentguard::model::{Decision, DecisionStatus};
    let tmp = workdir();
    let path = tmp.path().join("agentguard.yaml");
    let (k, _) = agentguard::knowledge(&agentguard::Sources::embedded()).expect("knowledge");
    let mut ids: Vec<String> = k.catalog.threats.iter().map(|t| t.id.clone()).collect();
    // An even count keeps the two writers' ids apart ((2i + w) mod an even number keeps w's
    // parity), so each id has one writer and its last write is known.
    ids.truncate(ids.len() & !1);
    std::thread::scope(|scope| {
        for w in 0..2 {
            let (k, ids, path) = (&k, &ids, &path);
            scope.spawn(move || {
                for i in 0..100 {
                    let id = &ids[(2 * i + w) % ids.len()];
                    let mut s =
                        agentguard::store::Stored::open_locked(path, k, agentguard::Lang::En)
                            .expect("open locked");
                    s.assessment.decisions.insert(
                        id.clone(),
                        Decision {
                            status: DecisionStatus::NotApplicable,
                            reason: Some(format!("w{w}-{i}")),
                            until: None,
                            at: "2026-11-26".into(),
                        },
                    );
                    s.save().expect("save");
                }
            });
        }
    });
    let s = agentguard::store::Stored::open(&path, &k, agentguard::Lang::En).expect("open");
    // The last write of each id wins, and every id written is there.
    let last: std::collections::BTreeMap<&String, String> = (0..2)
        .flat_map(|w| (0..100).map(move |i| (w, i)))
        .map(|(w, i)| (&ids[(2 * i + w) % ids.len()], format!("w{w}-{i}")))
        .collect();
    for (id, reason) in last {
        assert_eq!(
            s.assessment.decisions[id].reason.as_deref(),
            Some(reason.as_str()),
            "{id}"
        );
    }
}

#[test]
fn a_held_lock_makes_mark_wait_then_exit_2() {
    let tmp = workdir();
    let d = tmp.path();
    // The lock file of another agentguard that is saving.
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(d.join(".agentguard.lock"))
        .expect("lock file");
    lock.lock().expect("lock");
    let t = Instant::now();
    let o = run(bin(d).args(["--lang", "zh", "mark", "move-key-to-server", "done"]));
    let waited = t.elapsed();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("agentguard.yaml"), "{}", err(&o));
    assert!(err(&o).contains("锁"), "said in Chinese: {}", err(&o));
    assert!(waited >= Duration::from_secs(9), "{waited:?}");
    // Released within the wait: the mark goes through.
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        drop(lock);
    });
    let o = run(bin(d).args(["mark", "move-key-to-server", "done"]));
    releaser.join().expect("release");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        kind(&d.join(".agentguard.lock")),
        "file",
        "the lock file stays"
    );
}

#[test]
fn the_lock_file_is_private_and_stays() {
    let tmp = workdir();
    let d = tmp.path();
    let o = run(bin(d).args(["mark", "move-key-to-server", "done"]));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let lock = d.join(".agentguard.lock");
    assert_eq!(kind(&lock), "file", "{:?}", names(d));
    assert_eq!(mode(&lock) & 0o777, 0o600);
}

// ---------------------------------------------------------------------------------------------
// Item 6: temporary files.

#[cfg(target_os = "linux")]
#[test]
fn a_write_killed_before_its_rename_leaves_a_private_agentguard_temp_file() {
    if !Path::new("/usr/bin/strace").exists() {
        return skip("strace is not installed (it kills the process at its rename)");
    }
    let tmp = workdir();
    let d = tmp.path();
    let mut c = Command::new("/usr/bin/strace");
    c.args([
        "-f",
        "-qq",
        "-o",
        "/dev/null",
        "-e",
        "trace=rename,renameat,renameat2",
        "-e",
        "inject=rename,renameat,renameat2:signal=KILL",
    ])
    .arg(exe())
    .args(["report", "--format", "md", "-o", "out.md"]);
    env(&mut c).current_dir(d);
    let o = run(&mut c);
    if std::os::unix::process::ExitStatusExt::signal(&o.status) != Some(9) {
        // strace could not trace (no ptrace in this container) or inject.
        return skip(&format!("strace did not kill at the rename: {}", err(&o)));
    }
    let left: Vec<String> = names(d)
        .into_iter()
        .filter(|n| n != "agentguard.yaml")
        .collect();
    assert_eq!(
        left.len(),
        1,
        "one temporary file left by the kill: {left:?}"
    );
    assert!(left[0].starts_with(".agentguard-tmp-"), "{left:?}");
    assert_eq!(mode(&d.join(&left[0])) & 0o777, 0o600, "{left:?}");
}

#[test]
fn stale_agentguard_temp_files_are_removed_and_others_kept() {
    let tmp = workdir();
    let d = tmp.path();
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    for name in [".agentguard-tmp-old", ".tmpOTHER", ".agentguard-tmp-fresh"] {
        let f = std::fs::File::create(d.join(name)).expect("create");
        if name != ".agentguard-tmp-fresh" {
            f.set_modified(two_hours_ago).expect("mtime");
        }
    }
    let o = run(bin(d).args(["mark", "move-key-to-server", "done"]));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let left = names(d);
    assert!(
        !left.contains(&".agentguard-tmp-old".to_string()),
        "{left:?}"
    );
    assert!(left.contains(&".tmpOTHER".to_string()), "{left:?}");
    assert!(
        left.contains(&".agentguard-tmp-fresh".to_string()),
        "{left:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Item 7: `privacy todo` reads the whole text or refuses.

#[test]
fn privacy_todo_reads_the_whole_text_or_refuses() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    // A marker after the first 8 MiB.
    let mut big = "We are Example Ltd.\n".repeat(9 * 1024 * 1024 / 20 + 1);
    big.push_str("Contact: TODO(email)\n");
    std::fs::write(d.join("big.md"), &big).expect("write");
    let o = run(bin(d).args(["privacy", "todo", "big.md"]));
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("TODO(email)"), "{}", out(&o));
    // A PNG is not a text file.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    std::fs::write(d.join("image.png"), png).expect("write");
    let o = run(bin(d).args(["privacy", "todo", "image.png"]));
    assert_eq!(o.status.code(), Some(2), "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("image.png"), "{}", err(&o));
    if mknod(&d.join("zero"), 1, 5) {
        let o = run_for(bin(d).args(["privacy", "todo", "zero"]), 30).expect("no hang");
        assert_eq!(o.status.code(), Some(2), "{}{}", out(&o), err(&o));
    } else {
        skip("a zero device node needs root on Linux");
    }
}

#[test]
fn todo_scan_file_reads_the_whole_text_or_refuses() {
    use agentguard::docs::todo;
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    let mut big = "We are Example Ltd.\n".repeat(9 * 1024 * 1024 / 20 + 1);
    big.push_str("Contact: TODO(email)\n");
    std::fs::write(d.join("big.md"), &big).expect("write");
    let found = todo::scan_file(&d.join("big.md")).expect("a big text file is read whole");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, "TODO(email)");
    assert_eq!(found[0].line, 9 * 1024 * 1024 / 20 + 2);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    std::fs::write(d.join("image.png"), png).expect("write");
    let e = todo::scan_file(&d.join("image.png")).expect_err("a PNG is refused");
    assert!(e.to_string().contains("image.png"), "{e}");
    if mknod(&d.join("zero"), 1, 5) {
        let e = todo::scan_file(&d.join("zero")).expect_err("zeros are refused");
        assert!(e.to_string().contains("zero"), "{e}");
    } else {
        skip("a zero device node needs root on Linux");
    }
    let fifo = d.join("pipe");
    mkfifo(&fifo);
    let e = todo::scan_file(&fifo).expect_err("a FIFO without a writer is refused");
    assert!(e.to_string().contains("pipe"), "{e}");
    std::fs::write(d.join("ok.md"), "Hi TODO（联系方式）\n").expect("write");
    assert_eq!(todo::scan_file(&d.join("ok.md")).expect("ok").len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Item 8: FIFOs never block.

#[test]
fn a_fifo_assessment_without_a_writer_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    mkfifo(&d.join("agentguard.yaml"));
    for args in [
        &["report", "--format", "md"][..],
        &["mark", "move-key-to-server", "done"][..],
    ] {
        let o = run_for(bin(d).args(args), 20).expect("no hang on a FIFO without a writer");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("agentguard.yaml"), "{}", err(&o));
    }
    assert_eq!(kind(&d.join("agentguard.yaml")), "fifo");
}

#[test]
fn a_fifo_or_stdin_with_a_writer_is_read_to_the_end() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    let fifo = d.join("answers.yaml");
    mkfifo(&fifo);
    // A slow writer, as `--answers <(git show …)` can be.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let bytes = std::fs::read(fixture()).expect("fixture");
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(fifo)
                .expect("open for writing");
            let (a, b) = bytes.split_at(bytes.len() / 2);
            f.write_all(a).expect("write");
            std::thread::sleep(Duration::from_millis(300));
            f.write_all(b).expect("write");
        })
    };
    let o = run_for(
        bin(d).args(["--answers", "answers.yaml", "report", "--format", "json"]),
        30,
    )
    .expect("no hang");
    writer.join().expect("writer");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("\"findings\""), "{:.200}", out(&o));
    // `--answers /dev/stdin` from a pipe.
    let mut child = bin(d)
        .args(["--answers", "/dev/stdin", "report", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(&std::fs::read(fixture()).expect("fixture"))
            .expect("write");
    }
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("\"findings\""), "{:.200}", out(&o));
}

#[test]
fn fifos_in_the_catalog_or_config_folder_are_skipped_with_a_warning() {
    let tmp = workdir();
    let d = tmp.path();
    // --catalog DIR
    std::fs::create_dir_all(d.join("over/catalog/threats")).expect("mkdir");
    mkfifo(&d.join("over/catalog/threats/stuck.yaml"));
    let o = run_for(
        bin(d).args(["--catalog", "over", "catalog", "list", "--format", "json"]),
        30,
    )
    .expect("no hang on a FIFO in --catalog");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains("stuck.yaml") && err(&o).contains("warning"),
        "{}",
        err(&o)
    );
    // The user's config folder.
    std::fs::create_dir_all(d.join("config/agentguard/locales")).expect("mkdir");
    mkfifo(&d.join("config/agentguard/locales/en.yaml"));
    let o = run_for(
        bin(d)
            .env("XDG_CONFIG_HOME", d.join("config"))
            .args(["report", "--format", "md"]),
        30,
    )
    .expect("no hang on a FIFO in the config folder");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains("en.yaml") && err(&o).contains("warning"),
        "{}",
        err(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// Command side: `-o -`, `-o` naming the assessment, closed and full outputs, repeated errors.

#[test]
fn output_dash_is_standard_output_and_the_assessment_is_never_an_output() {
    let tmp = workdir();
    let d = tmp.path();
    let o = run(bin(d).args(["report", "--format", "md", "-o", "-"]));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with('#'), "{:.200}", out(&o));
    assert_eq!(kind(&d.join("-")), "missing", "{:?}", names(d));
    let before = std::fs::read(d.join("agentguard.yaml")).expect("read");
    std::os::unix::fs::symlink("agentguard.yaml", d.join("link.yaml")).expect("symlink");
    for args in [
        &["report", "-o", "agentguard.yaml"][..],
        &["report", "--format", "md", "-o", "./agentguard.yaml"],
        &["report", "--format", "html", "-o", "link.yaml"],
        &["--answers", "link.yaml", "privacy", "-o", "agentguard.yaml"],
        &["privacy", "--format", "json", "-o", "link.yaml"],
    ] {
        let o = run(bin(d).args(args));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("agentguard.yaml"), "{args:?}: {}", err(&o));
        assert_eq!(
            std::fs::read(d.join("agentguard.yaml")).expect("read"),
            before,
            "{args:?}"
        );
        assert_eq!(kind(&d.join("link.yaml")), "symlink");
    }
    let o = run(bin(d).args(["--lang", "zh", "report", "-o", "agentguard.yaml"]));
    assert!(err(&o).contains("评估文件"), "{}", err(&o));
}

/// Runs `c` with standard output (and, with `both`, standard error) a pipe whose reader is gone.
fn closed_output(c: &mut Command, both: bool) -> Output {
    let (r, w) = std::io::pipe().expect("pipe");
    drop(r);
    let stderr = if both {
        Stdio::from(w.try_clone().expect("clone"))
    } else {
        Stdio::piped()
    };
    let child = c
        .stdin(Stdio::null())
        .stdout(Stdio::from(w))
        .stderr(stderr)
        .spawn()
        .expect("spawn");
    child.wait_with_output().expect("wait")
}

#[test]
fn a_closed_output_stops_quietly_with_the_commands_own_code() {
    // The assessment must load without a warning, or standard error is not quiet for a reason
    // that has nothing to do with the pipe: a maintained example of the current questionnaire
    // (the rich docs fixture is a v1 file, whose retired answers warn, W0505/W0506).
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/kids-homework-miniprogram.yaml"),
        d.join("agentguard.yaml"),
    )
    .expect("copy");
    let o = bin(d)
        .args(["report", "--fail-on", "low"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(!out(&o).is_empty(), "a report to write");
    assert_eq!(err(&o), "", "the input gives no warning on an open pipe");
    // `report --answers /nonexistent 2>&1 | true`: the error cannot be shown; exit 2 all the same.
    let o = closed_output(bin(d).args(["--answers", "/nonexistent", "report"]), true);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    // A gate piped into `head` still fails.
    let o = closed_output(bin(d).args(["report", "--fail-on", "low"]), false);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(err(&o), "", "quiet on a closed pipe");
    let o = closed_output(bin(d).args(["report"]), false);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    for args in [
        &["completions", "zsh"][..],
        &["man"],
        &["--help"],
        &["report", "--help"],
        &["--version"],
        &["schema"],
        &["catalog", "list"],
        &["privacy"],
    ] {
        let o = closed_output(bin(d).args(args), false);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
        assert!(!err(&o).contains("panicked"), "{args:?}: {}", err(&o));
    }
    // A command-line mistake with both outputs closed.
    let o = closed_output(bin(d).args(["report", "--format", "nope"]), true);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}

#[test]
fn a_full_output_is_an_error_and_a_full_error_output_keeps_the_code() {
    let tmp = workdir();
    let d = tmp.path();
    let full = d.join("full");
    if !mknod(&full, 1, 7) {
        return skip("a full device node needs root on Linux");
    }
    let open = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open(&full)
            .expect("open full")
    };
    // Standard output on a full disk: a message, exit 2.
    for args in [
        &["report"][..],
        &["report", "--format", "json"],
        &["schema"],
        &["completions", "zsh"],
        &["man"],
        &["--help"],
    ] {
        let child = bin(d)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::from(open()))
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let o = child.wait_with_output().expect("wait");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("agentguard: "), "{args:?}: {}", err(&o));
        assert!(!err(&o).contains("panicked"), "{args:?}: {}", err(&o));
    }
    // Standard error on a full disk: the code, silently.
    for (args, code) in [
        (&["--answers", "/nonexistent", "report"][..], 2),
        (&["report", "--format", "nope"], 2),
        (&["mark", "no-such-id", "done"], 78),
        (&["report", "--fail-on", "low", "-o", "out.txt"], 1),
    ] {
        let child = bin(d)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(open()))
            .spawn()
            .expect("spawn");
        let o = child.wait_with_output().expect("wait");
        assert_eq!(o.status.code(), Some(code), "{args:?}");
    }
    // Both full.
    let child = bin(d)
        .args(["report"])
        .stdin(Stdio::null())
        .stdout(Stdio::from(open()))
        .stderr(Stdio::from(open()))
        .spawn()
        .expect("spawn");
    assert_eq!(
        child.wait_with_output().expect("wait").status.code(),
        Some(2)
    );
}

/// How often `needle` occurs in `hay`.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn an_unreadable_assessment_is_named_once_with_its_error_once() {
    let tmp = workdir();
    let d = tmp.path();
    if unprivileged(d).is_none() {
        return skip("needs root and setpriv to run as an unprivileged user");
    }
    // The folder is writable (the lock file can be made); the assessment is root's, 0600.
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let a = d.join("agentguard.yaml");
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    for args in [
        &["mark", "move-key-to-server", "done"][..],
        &["privacy"],
        &["report"],
        &["report", "--format", "md"],
    ] {
        let mut c = unprivileged(d).expect("setpriv");
        let o = run(c.args(args));
        let e = err(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert_eq!(count(&e, "agentguard.yaml"), 1, "{args:?}: {e}");
        assert_eq!(count(&e, "os error 13"), 1, "{args:?}: {e}");
    }
    // A folder the user may not write: no lock file for `mark`, no temporary file for `-o`.
    let ro = d.join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::copy(fixture(), ro.join("agentguard.yaml")).expect("copy");
    for args in [
        &[
            "--answers",
            "ro/agentguard.yaml",
            "mark",
            "move-key-to-server",
            "done",
        ][..],
        &[
            "--answers",
            "ro/agentguard.yaml",
            "report",
            "--format",
            "md",
            "-o",
            "ro/out.md",
        ],
    ] {
        let mut c = unprivileged(d).expect("setpriv");
        let o = run(c.args(args));
        let e = err(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        let named = if args.contains(&"mark") {
            "agentguard.yaml"
        } else {
            "out.md"
        };
        assert_eq!(count(&e, named), 1, "{args:?}: {e}");
        assert!(!e.contains("tmp"), "{args:?}: {e}");
        assert_eq!(count(&e, "os error 13"), 1, "{args:?}: {e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Items 9, 13, 14 end to end: lint, override errors, redaction and JSON escapes in the binary.

fn override_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let t = dir.path().join("templates");
    std::fs::create_dir_all(&t).expect("mkdir");
    for (name, text) in files {
        std::fs::write(t.join(name), text).expect("write");
    }
    dir
}

#[test]
fn catalog_lint_reports_locale_and_template_problems_located() {
    let tmp = workdir();
    let d = tmp.path();
    let deep_if = format!(
        "x\n{}y{}\n",
        "{{#if lang}}".repeat(5_000),
        "{{/if}}".repeat(5_000)
    );
    let cases: [(&str, &str, String, &str); 4] = [
        (
            "recursive partial",
            "checklist.md.hbs",
            "# T\n{{#*inline \"p\"}}{{> p}}{{/inline}}\n{{> p}}\n".into(),
            "E0702",
        ),
        ("5,000 nested ifs", "checklist.md.hbs", deep_if, "E0701"),
        (
            "syntax error",
            "privacy.md.hbs",
            "# T\n\n{{#if lang}}\nx\n".into(),
            "E0705",
        ),
        (
            "unknown helper",
            "privacy.md.hbs",
            "# T\n\n{{nohelper lang}}\n".into(),
            "E0706",
        ),
    ];
    for (what, file, text, code) in cases {
        let over = override_dir(&[(file, &text)]);
        let path = over.path().join("templates").join(file);
        let o = run(bin(d).args([
            "catalog",
            "lint",
            &over.path().display().to_string(),
            "--format",
            "json",
        ]));
        assert_eq!(o.status.code(), Some(78), "{what}: {}", err(&o));
        let items: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert!(
            items
                .as_array()
                .expect("array")
                .iter()
                .any(|i| i["code"] == code
                    && i["file"] == path.display().to_string().as_str()
                    && i["line"].as_u64().unwrap_or(0) > 0),
            "{what}: {items:#}"
        );
    }
    // A locale problem is located too.
    let over = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(over.path().join("locales")).expect("mkdir");
    std::fs::write(over.path().join("locales/zh.yaml"), "").expect("write");
    let o = run(bin(d).args(["catalog", "lint", &over.path().display().to_string()]));
    assert_eq!(o.status.code(), Some(78), "{}", out(&o));
    assert!(out(&o).contains("zh.yaml"), "{}", out(&o));
}

#[test]
fn override_template_errors_exit_78_and_name_the_override_file() {
    let tmp = workdir();
    let d = tmp.path();
    let over = override_dir(&[("checklist.md.hbs", "# T\n\n{{t \"no.such.key\"}}\n")]);
    let path = over.path().join("templates/checklist.md.hbs");
    let catalog = over.path().display().to_string();
    let o = run(bin(d).args(["--catalog", &catalog, "report", "--format", "md"]));
    assert_eq!(o.status.code(), Some(78), "{}", err(&o));
    assert!(
        err(&o).contains(&path.display().to_string()) && err(&o).contains("line 3"),
        "{}",
        err(&o)
    );
    let deep = format!("{}y{}\n", "{{#if lang}}".repeat(100), "{{/if}}".repeat(100));
    let over = override_dir(&[("privacy.md.hbs", &deep)]);
    let path = over.path().join("templates/privacy.md.hbs");
    let catalog = over.path().display().to_string();
    let o = run(bin(d).args(["--catalog", &catalog, "privacy"]));
    assert_eq!(o.status.code(), Some(78), "{}", err(&o));
    assert!(
        err(&o).contains(&format!("{}:1:", path.display())),
        "{}",
        err(&o)
    );
}

const SECRETS: [&str; 3] = [
    "sk-proj-Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2gHi3jKl",
    "6dc6250f248ab34401d1e974424755b1.auuRSiYueq7Mvc6m",
    "LTAI5tAb3dEf9hIj2lMn4pQr",
];

#[test]
fn no_command_prints_a_secret_it_was_given() {
    let tmp = workdir();
    let d = tmp.path();
    for key in SECRETS {
        let shown = |o: &Output| format!("{}{}", out(o), err(o));
        for args in [
            vec!["mark", key, "done"],
            vec!["mark", "move-key-to-server", key],
            vec!["--lang", key, "report"],
            vec!["report", "--format", key],
            vec!["catalog", "list", "--format", key],
            vec!["catalog", "show", key],
            vec![
                "mark",
                "move-key-to-server",
                "accepted",
                "--reason",
                "x",
                "--until",
                key,
            ],
            vec!["--lang", "zh", "mark", key, "done"],
            vec!["--lang", "zh", "mark", "move-key-to-server", key],
        ] {
            let o = run(bin(d).args(&args));
            assert_ne!(o.status.code(), Some(0), "{args:?}");
            assert!(!shown(&o).contains(key), "{args:?}: {}", shown(&o));
            assert!(shown(&o).contains(&key[..4]), "{args:?}: {}", shown(&o));
        }
        let reason = format!("rotated {key} already");
        let o = run(bin(d).args([
            "mark",
            "move-key-to-server",
            "accepted",
            "--reason",
            &reason,
        ]));
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        assert!(!shown(&o).contains(key), "{}", shown(&o));
        for args in [
            &["report"][..],
            &["report", "--format", "json"],
            &["report", "--format", "md"],
            &["--lang", "both", "report", "--format", "md"],
            &["report", "--format", "html", "-o", "c.html"],
            &["privacy"],
            &["privacy", "--format", "json"],
            &["privacy", "--format", "html", "-o", "p.html"],
        ] {
            let o = run(bin(d).args(args));
            assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
            assert!(!shown(&o).contains(key), "{args:?}: {}", shown(&o));
        }
        for f in ["c.html", "p.html"] {
            let s = std::fs::read_to_string(d.join(f)).expect("read");
            assert!(!s.contains(key), "{f}");
        }
    }
}

#[test]
fn json_outputs_escape_c1_controls() {
    let tmp = workdir();
    let d = tmp.path();
    let a = d.join("agentguard.yaml");
    let yaml = std::fs::read_to_string(&a).expect("read").replace(
        "agent.name: {value: 小店客服助手}",
        r#"agent.name: {value: "a\x85b\x9b31mc\x7fd\u202ee"}"#,
    );
    std::fs::write(&a, yaml).expect("write");
    for args in [
        &["report", "--format", "json"][..],
        &["privacy", "--format", "json"],
        &["--lang", "both", "privacy", "--format", "json"],
    ] {
        let o = run(bin(d).args(args));
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
        let s = out(&o);
        assert!(
            s.contains("\\u0085") && s.contains("\\u009b"),
            "{args:?}: {s:.2000}"
        );
        assert!(
            !s.chars().any(agentguard::render::json_escapes),
            "{args:?}: raw control"
        );
        serde_json::from_str::<serde_json::Value>(&s).expect("valid JSON");
    }
}
