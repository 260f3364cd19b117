//! Small shared helpers: civil dates without a date crate, number formatting, atomic writes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Formats a number without a trailing `.0` for whole values.
pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)]
        let i = n as i64;
        i.to_string()
    } else {
        n.to_string()
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let d = i64::from(d);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses an ISO 8601 calendar date, strictly: `YYYY-MM-DD`, four-digit year, two-digit month
/// and day, a day that exists. An RFC 3339 timestamp is accepted too and its date used, but only
/// a whole one (`2026-11-26T09:12:03Z`, `2026-11-26 09:12:03.5+08:00`); anything else around the
/// date (`2099-01-01 junk`, `+999-12-31`, spaces) makes it invalid.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    if b.len() < 10
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
    {
        return None;
    }
    if b.len() > 10 && !(matches!(b[10], b'T' | b't' | b' ') && is_rfc3339_time(&s[11..])) {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// `HH:MM:SS`, an optional fraction, then `Z` or `±HH:MM` (RFC 3339 `full-time`).
fn is_rfc3339_time(t: &str) -> bool {
    let b = t.as_bytes();
    let two = |i: usize, max: u8| {
        b.get(i..i + 2).is_some_and(|x| {
            x.iter().all(u8::is_ascii_digit) && (x[0] - b'0') * 10 + (x[1] - b'0') <= max
        })
    };
    if !(two(0, 23)
        && b.get(2) == Some(&b':')
        && two(3, 59)
        && b.get(5) == Some(&b':')
        && two(6, 60))
    {
        return false;
    }
    let mut i = 8;
    if b.get(i) == Some(&b'.') {
        let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        i += 1 + n;
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            two(i + 1, 23) && b.get(i + 3) == Some(&b':') && two(i + 4, 59) && i + 6 == b.len()
        }
        _ => false,
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Seconds since the epoch, or the fixed clock in `AGENTGUARD_NOW` (RFC 3339 or a date), which
/// makes golden outputs and tests reproducible.
pub fn now_seconds() -> i64 {
    if let Ok(fixed) = std::env::var("AGENTGUARD_NOW")
        && let Some(days) = parse_date(&fixed)
    {
        {
            let secs = fixed
                .get(11..19)
                .and_then(|t| {
                    let mut p = t.split(':').map(|x| x.parse::<i64>().ok());
                    Some(p.next()?? * 3600 + p.next()?? * 60 + p.next()??)
                })
                .unwrap_or(0);
            return days * 86_400 + secs;
        }
    }
    now_seconds_system()
}

/// Seconds since the epoch from the system clock, ignoring `AGENTGUARD_NOW`.
pub fn now_seconds_system() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// `2026-11-26T09:12:03Z`.
pub fn now_rfc3339() -> String {
    let s = now_seconds();
    let days = s.div_euclid(86_400);
    let rem = s.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_date(days),
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// The name prefix of agentguard's temporary files (`.agentguard-tmp-XXXXXX`), so stale ones can
/// be told from other tools' temporary files and removed.
pub const TEMP_PREFIX: &str = ".agentguard-tmp-";

/// Where a write to a named file goes, symbolic links followed.
#[derive(Debug)]
pub enum WriteTarget {
    /// A regular file at this resolved path, or none yet (`existing` is `None`): replaced
    /// atomically.
    File {
        path: PathBuf,
        existing: Option<std::fs::Metadata>,
    },
    /// A device, a FIFO or an open file reached through `/proc/self/fd` (`/dev/stdout`): written
    /// in place, with no temporary file.
    Direct(PathBuf),
}

impl WriteTarget {
    /// The resolved path: the file replaced, or the path written in place.
    pub fn path(&self) -> &Path {
        match self {
            WriteTarget::File { path, .. } | WriteTarget::Direct(path) => path,
        }
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A link into a process's open files (`/proc/self/fd/1`, `/dev/fd/1`): its target names an
/// open file (or `pipe:[…]`), so it is written by opening the link, never resolved by name.
fn is_open_file_link(p: &Path) -> bool {
    (p.starts_with("/proc") || p.starts_with("/dev/fd"))
        && p.parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == "fd")
}

/// Follows `path`'s symbolic links (a dangling one too) to the file a write must replace, or
/// finds that it is to be written in place. A folder is an error.
pub fn resolve_write_target(path: &Path) -> std::io::Result<WriteTarget> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                if is_open_file_link(&p) {
                    return Ok(WriteTarget::Direct(path.to_path_buf()));
                }
                let to = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) => dir.join(to),
                    None => to,
                };
            }
            Ok(m) if m.is_file() => {
                return Ok(WriteTarget::File {
                    path: p,
                    existing: Some(m),
                });
            }
            Ok(m) if m.is_dir() => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "it is a folder",
                ));
            }
            Ok(_) => return Ok(WriteTarget::Direct(p)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(WriteTarget::File {
                    path: p,
                    existing: None,
                });
            }
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Writes a file without ever leaving half of it: a regular file (or a new one) is replaced
/// atomically, through its symbolic links, keeping its permissions; a device or FIFO is written in
/// place. A read-only file is refused, by its mode bits (so for root too). See [`write_target`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_target(&resolve_write_target(path)?, bytes)
}

/// Writes `bytes` to a target found by [`resolve_write_target`].
///
/// A regular file: a private (0600) temporary file `.agentguard-tmp-*` in the same folder,
/// flushed and synced, renamed over the target, and only then given the target's permissions (or
/// 0644 for a new file), so a crash leaves either the old or the new file and at most a private
/// temporary file. Anything else is opened without blocking (a FIFO nobody reads is an error, not
/// a hang) and written in place, appending (as a shell's `>>` would).
pub fn write_target(target: &WriteTarget, bytes: &[u8]) -> std::io::Result<()> {
    match target {
        WriteTarget::Direct(path) => write_in_place(path, bytes),
        WriteTarget::File { path, existing } => {
            if let Some(m) = existing {
                check_writable(path, m)?;
            }
            replace(path, existing.as_ref(), bytes)
        }
    }
}

fn read_only() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        "the file is read-only; make it writable first if it should be changed",
    )
}

/// Refuses a file that may not be written: no write bit at all, or (for an unprivileged user) no
/// write permission, even when the folder would allow replacing it.
#[cfg(unix)]
fn check_writable(path: &Path, m: &std::fs::Metadata) -> std::io::Result<()> {
    use rustix::fs::{Mode, OFlags};
    use std::os::unix::fs::PermissionsExt;
    if m.permissions().mode() & 0o222 == 0 {
        return Err(read_only());
    }
    let flags = OFlags::WRONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    match rustix::fs::open(path, flags, Mode::empty()) {
        Err(rustix::io::Errno::ACCESS | rustix::io::Errno::PERM) => Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "you may not write this file",
        )),
        // Other failures (a file being executed, a full disk …) show when it is replaced.
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn check_writable(_path: &Path, m: &std::fs::Metadata) -> std::io::Result<()> {
    if m.permissions().readonly() {
        return Err(read_only());
    }
    Ok(())
}

fn replace(path: &Path, existing: Option<&std::fs::Metadata>, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(parent_dir(path))?;
    tmp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // Private until renamed (tempfile creates it 0600; say so in case that changes).
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
        if let Some(m) = existing {
            // Keep the owner when root rewrites a user's file; an ordinary user cannot (and
            // needs not) change it.
            let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(m.uid()), Some(m.gid()));
        }
    }
    tmp.as_file().sync_all()?;
    let file = tmp.persist(path).map_err(|e| e.error)?;
    // The result keeps the permissions of the file it replaces, or gets the usual 0644 for a new
    // file (documents are meant to be shared), once it has its full content.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = existing.map_or(0o644, |m| m.permissions().mode() & 0o777);
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    {
        let _ = (file, existing);
    }
    Ok(())
}

#[cfg(unix)]
fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use rustix::fs::{Mode, OFlags};
    let flags =
        OFlags::WRONLY | OFlags::APPEND | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty()).map_err(|e| {
        if e == rustix::io::Errno::NXIO {
            std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "no process is reading from it",
            )
        } else {
            e.into()
        }
    })?;
    let mut file = std::fs::File::from(fd);
    let flags = rustix::fs::fcntl_getfl(&file)?;
    rustix::fs::fcntl_setfl(&file, flags - OFlags::NONBLOCK)?;
    file.write_all(bytes)?;
    file.flush()
}

#[cfg(not(unix))]
fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Removes agentguard's own temporary files (`.agentguard-tmp-*`) older than an hour from `dir`,
/// left by a killed write. Only call it holding the folder's assessment lock; other tools'
/// temporary files are never touched.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let hour = std::time::Duration::from_secs(3600);
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let stale = entry.metadata().is_ok_and(|m| {
            m.is_file()
                && m.modified()
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > hour)
        });
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Line and column (1-based, in characters) of a byte offset, for located errors in raw bytes.
pub fn line_col(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line as u64, col as u64)
}

/// FNV-1a, a fast and deterministic hash for short keys (locale keys, ids) in maps built from the
/// tool's own files. It is not meant to resist chosen collisions; nothing here hashes input from a
/// network.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A hash map keyed with [`Fnv`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Serialises a hash map (a [`FastMap`]) in key order, so that what is written does not depend on hashing.
pub fn sorted<S: serde::Serializer, V: serde::Serialize, H: std::hash::BuildHasher>(
    map: &std::collections::HashMap<String, V, H>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let ordered: std::collections::BTreeMap<&String, &V> = map.iter().collect();
    serde::Serialize::serialize(&ordered, s)
}

/// Timing trace for reproducible performance figures: when `AGENTGUARD_TRACE` is set, each phase
/// is written to standard error as `trace: <phase> <microseconds>µs`.
pub struct Trace {
    on: bool,
    last: std::time::Instant,
}

impl Trace {
    pub fn start() -> Trace {
        Trace {
            on: std::env::var_os("AGENTGUARD_TRACE").is_some_and(|v| !v.is_empty()),
            last: std::time::Instant::now(),
        }
    }

    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Records the time since the previous mark under `phase`.
    pub fn mark(&mut self, phase: &str) {
        if self.on {
            let now = std::time::Instant::now();
            // Not `eprintln!`, which panics when standard error is full.
            let _ = writeln!(
                std::io::stderr(),
                "trace: {phase} {}µs",
                now.duration_since(self.last).as_micros()
            );
            self.last = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2026-11-26", "2100-12-31"] {
            assert_eq!(format_date(parse_date(s).expect(s)), s);
        }
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("26-11-2026"), None);
        assert_eq!(parse_date("2026-11-26T10:00:00Z"), parse_date("2026-11-26"));
        assert_eq!(parse_date("2026-11-26x"), None);
        assert_eq!(
            parse_date("2026-11-26 09:12:03.25+08:00"),
            parse_date("2026-11-26")
        );
        for junk in [
            "2099-01-01 junk here",
            "+999-12-31",
            "-999-12-31",
            " 2026-11-26",
            "2026-11-26 ",
            "2026-1-26",
            "2026-11-26T",
            "2026-11-26T25:00:00Z",
            "2026-11-26T10:00:00",
            "2026-11-26T10:00:00Zjunk",
            "２０２６-11-26",
        ] {
            assert_eq!(parse_date(junk), None, "{junk}");
        }
    }

    #[test]
    fn atomic_writes_keep_or_set_readable_permissions() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.md");
        write_atomic(&p, b"one").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o644);
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
            write_atomic(&p, b"two").expect("write");
            let mode = std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        let leftovers = std::fs::read_dir(dir.path()).expect("ls").count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }

    #[test]
    fn numbers_format_plainly() {
        assert_eq!(fmt_number(5000.0), "5000");
        assert_eq!(fmt_number(2.5), "2.5");
    }

    #[test]
    fn line_col_counts_characters() {
        let b = "ab\n中文x".as_bytes();
        assert_eq!(line_col(b, 0), (1, 1));
        assert_eq!(line_col(b, 3), (2, 1));
        assert_eq!(line_col(b, 9), (2, 3));
    }
}
