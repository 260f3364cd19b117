//! The assessment file on disk: load it, save it atomically in a stable, diff-friendly order, and
//! refuse to overwrite a file that changed on disk since it was read (another editor, another
//! agentguard, a `git checkout`).
//!
//! Every save is one step under a lock: `.agentguard.lock` in the folder of the file the path
//! resolves to (links followed), locked with `File::lock` while the file on disk is compared with
//! what was read and replaced. The lock file is created 0600 and never deleted (deleting lock
//! files races); a save waits up to [`LOCK_WAIT`] for it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diag::Diagnostics;
use crate::model::{Assessment, Knowledge, Lang};

pub const DEFAULT_FILE: &str = "agentguard.yaml";

/// The lock file beside an assessment; never deleted (ignore it in git).
pub const LOCK_FILE: &str = ".agentguard.lock";

/// How long a save waits for another agentguard's save of the same folder.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

const HEADER: &str = "# agentguard assessment. agentguard rewrites this file: comments are not kept.\n\
# agentguard 评估文件。agentguard 会重写此文件，注释不会保留。\n";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid assessment")]
    Invalid {
        path: PathBuf,
        diagnostics: Diagnostics,
    },
    #[error("{path} changed on disk since agentguard read it")]
    Conflict { path: PathBuf },
    #[error("cannot serialise the assessment: {0}")]
    Serialise(String),
    #[error(
        "{path} is being saved by another agentguard: its lock ({lock}) was still held after {secs} s",
        secs = LOCK_WAIT.as_secs()
    )]
    Locked { path: PathBuf, lock: PathBuf },
    #[error("cannot lock {path} for saving (lock file {lock}): {source}")]
    Lock {
        path: PathBuf,
        lock: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot save to {path}: it is not a regular file (a device, a FIFO or a pipe)")]
    NotRegular { path: PathBuf },
}

/// An assessment bound to its file.
#[derive(Debug)]
pub struct Stored {
    pub path: PathBuf,
    pub assessment: Assessment,
    pub warnings: Diagnostics,
    /// The bytes as last read or written; `None` when the file did not exist.
    on_disk: Option<Vec<u8>>,
    /// The lock held from [`Stored::open_locked`] to the next save.
    lock: Option<std::fs::File>,
}

impl Stored {
    /// Opens `path`, or starts a new assessment in memory when it does not exist (nothing is
    /// written until the first `save`).
    pub fn open(path: &Path, k: &Knowledge, lang: Lang) -> Result<Stored, StoreError> {
        match crate::assets::read_limited(path) {
            Ok(bytes) => {
                let name = path.display().to_string();
                let (assessment, warnings) =
                    crate::load::assessment(&name, &bytes, k).map_err(|diagnostics| {
                        StoreError::Invalid {
                            path: path.to_path_buf(),
                            diagnostics,
                        }
                    })?;
                Ok(Stored {
                    path: path.to_path_buf(),
                    assessment,
                    warnings,
                    on_disk: Some(bytes),
                    lock: None,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Stored {
                path: path.to_path_buf(),
                assessment: Assessment::new(k.catalog.manifest.version, lang),
                warnings: Diagnostics::default(),
                on_disk: None,
                lock: None,
            }),
            Err(source) => Err(StoreError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    pub fn exists(&self) -> bool {
        self.on_disk.is_some()
    }

    /// Opens `path` like [`Stored::open`], holding the assessment's lock until the next `save`
    /// (or until dropped): for a one-shot read-modify-write such as `mark`, which then cannot
    /// meet a `Conflict` with another agentguard. Not for an interactive session, which must not
    /// hold the lock while the user thinks (it saves with [`Stored::save`]).
    pub fn open_locked(path: &Path, k: &Knowledge, lang: Lang) -> Result<Stored, StoreError> {
        let target = resolve(path)?;
        let lock = lock_beside(path, target.path())?;
        let mut s = Stored::open(path, k, lang)?;
        s.lock = Some(lock);
        Ok(s)
    }

    /// Writes the assessment atomically, through a link to the file it points to. Under the
    /// assessment's lock, fails with `Conflict` when the file on disk is no longer what was read
    /// (or appeared since), so no one's edits are silently lost; then replaces it. Also removes
    /// agentguard's stale temporary files (over an hour old) beside it.
    pub fn save(&mut self) -> Result<(), StoreError> {
        let text = to_yaml(&self.assessment)?;
        let target = resolve(&self.path)?;
        let _lock = match self.lock.take() {
            Some(held) => held,
            None => lock_beside(&self.path, target.path())?,
        };
        // Resolved again under the lock: another save may have replaced the file meanwhile.
        let target = resolve(&self.path)?;
        let real = target.path();
        crate::util::remove_stale_temps(parent_dir(real));
        let current = match std::fs::read(real) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(StoreError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        if current != self.on_disk {
            return Err(StoreError::Conflict {
                path: self.path.clone(),
            });
        }
        crate::util::write_target(&target, text.as_bytes()).map_err(|source| {
            StoreError::Write {
                path: self.path.clone(),
                source,
            }
        })?;
        self.on_disk = Some(text.into_bytes());
        Ok(())
    }

    /// Forgets what was read, so the next `save` overwrites whatever is on disk. Only for an
    /// explicit user choice after a `Conflict`.
    pub fn take_over(&mut self) {
        self.on_disk = std::fs::read(&self.path).ok();
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Where a save of `path` goes: a regular file (or a new one), links followed.
fn resolve(path: &Path) -> Result<crate::util::WriteTarget, StoreError> {
    match crate::util::resolve_write_target(path) {
        Ok(crate::util::WriteTarget::Direct(_)) => Err(StoreError::NotRegular {
            path: path.to_path_buf(),
        }),
        Ok(t) => Ok(t),
        Err(source) => Err(StoreError::Write {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Opens (creating it 0600) and locks `.agentguard.lock` in the folder of `real`, the resolved
/// file behind the user's `path`; waits up to [`LOCK_WAIT`] for another holder.
fn lock_beside(path: &Path, real: &Path) -> Result<std::fs::File, StoreError> {
    let lock = parent_dir(real).join(LOCK_FILE);
    let failed = |source| StoreError::Lock {
        path: path.to_path_buf(),
        lock: lock.clone(),
        source,
    };
    let file = open_lock_file(&lock).map_err(failed)?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {}
        Err(std::fs::TryLockError::Error(source)) => return Err(failed(source)),
    }
    // Wait in the kernel's queue rather than polling: a poller can starve behind a writer that
    // saves again at once (two `mark` loops), while a blocked waiter is woken when the lock is
    // released. The wait runs on a helper thread so that it can end after LOCK_WAIT; a helper
    // that gets the lock after that drops it at once (its channel is closed).
    let waiter = file.try_clone().map_err(failed)?;
    drop(file);
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("agentguard-lock".into())
        .spawn(move || {
            let got = waiter.lock();
            let _ = tx.send(got.map(|()| waiter));
        });
    if let Err(source) = spawned {
        return Err(failed(source));
    }
    match rx.recv_timeout(LOCK_WAIT) {
        Ok(Ok(file)) => Ok(file),
        Ok(Err(source)) => Err(failed(source)),
        Err(_) => Err(StoreError::Locked {
            path: path.to_path_buf(),
            lock,
        }),
    }
}

/// The lock file, created 0600, never through a link, never blocking; read-only when another
/// user created it (a lock needs no write access).
#[cfg(unix)]
fn open_lock_file(lock: &Path) -> std::io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    let common = OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let fd = match rustix::fs::open(
        lock,
        OFlags::RDWR | OFlags::CREATE | common,
        Mode::RUSR | Mode::WUSR,
    ) {
        // Not even readable, or not there to read: the folder's permission is the problem.
        Err(rustix::io::Errno::ACCESS) => {
            rustix::fs::open(lock, OFlags::RDONLY | common, Mode::empty())
                .map_err(|_| rustix::io::Errno::ACCESS)?
        }
        r => r?,
    };
    Ok(std::fs::File::from(fd))
}

#[cfg(not(unix))]
fn open_lock_file(lock: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock)
}

/// The assessment as YAML in its stable order: fields as declared, answers and decisions sorted
/// by id.
pub fn to_yaml(a: &Assessment) -> Result<String, StoreError> {
    let body = serde_saphyr::to_string(a).map_err(|e| StoreError::Serialise(e.to_string()))?;
    Ok(format!("{HEADER}{body}"))
}
