//! Embedded assets (questionnaire, catalog, templates, locales) and the user's override folders,
//! which replace or add files by relative path. The binary works from any directory with nothing
//! beside it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;

// One embed per asset folder: a debug build reads embedded files from disk, walking each folder
// on every start, and walking the repository root would walk `target/` too.
#[derive(RustEmbed)]
#[folder = "questionnaires"]
#[prefix = "questionnaires/"]
#[include = "*.yaml"]
struct Questionnaires;

#[derive(RustEmbed)]
#[folder = "catalog"]
#[prefix = "catalog/"]
#[include = "*.yaml"]
#[include = "threats/*.yaml"]
struct Catalog;

#[derive(RustEmbed)]
#[folder = "locales"]
#[prefix = "locales/"]
#[include = "*.yaml"]
struct Locales;

#[derive(RustEmbed)]
#[folder = "templates"]
#[prefix = "templates/"]
#[include = "*.hbs"]
#[include = "*.css"]
struct Templates;

/// The folders an override directory may hold, mirroring the repository layout.
pub const ROOTS: [&str; 4] = ["questionnaires", "catalog", "locales", "templates"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    Override(PathBuf),
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Relative path, `/`-separated: `catalog/threats/keys.yaml`.
    pub rel: String,
    pub origin: Origin,
    pub bytes: Cow<'static, [u8]>,
}

impl SourceFile {
    /// The name shown in diagnostics: the relative path for embedded files, the real path for
    /// files from an override folder.
    pub fn display(&self) -> String {
        match &self.origin {
            Origin::Embedded => self.rel.clone(),
            Origin::Override(p) => p.display().to_string(),
        }
    }
}

/// The effective set of asset files.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: BTreeMap<String, SourceFile>,
}

impl Sources {
    pub fn embedded() -> Self {
        fn add<E: RustEmbed>(files: &mut BTreeMap<String, SourceFile>) {
            for rel in E::iter() {
                if let Some(f) = E::get(&rel) {
                    files.insert(
                        rel.to_string(),
                        SourceFile {
                            rel: rel.to_string(),
                            origin: Origin::Embedded,
                            bytes: f.data,
                        },
                    );
                }
            }
        }
        let mut files = BTreeMap::new();
        add::<Questionnaires>(&mut files);
        add::<Catalog>(&mut files);
        add::<Locales>(&mut files);
        add::<Templates>(&mut files);
        Sources { files }
    }

    /// Only the files of a directory, nothing embedded (for tests and `catalog lint --only`).
    pub fn empty() -> Self {
        Sources::default()
    }

    /// The default user override folder (`<config dir>/agentguard`), if the platform has one.
    pub fn user_dir() -> Option<PathBuf> {
        dirs::config_dir().map(|d| d.join("agentguard"))
    }

    /// Lays the files of `dir` over these, by relative path. Missing `dir` is an error for an
    /// explicit `--catalog`; callers skip the default user folder when it does not exist.
    pub fn overlay(&mut self, dir: &Path) -> std::io::Result<usize> {
        let meta = std::fs::metadata(dir)?;
        if !meta.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                format!("{} is not a directory", dir.display()),
            ));
        }
        let mut n = 0;
        for root in ROOTS {
            let sub = dir.join(root);
            if sub.is_dir() {
                n += self.overlay_tree(dir, &sub)?;
            }
        }
        Ok(n)
    }

    fn overlay_tree(&mut self, base: &Path, dir: &Path) -> std::io::Result<usize> {
        let mut n = 0;
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                n += self.overlay_tree(base, &path)?;
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "yaml" | "yml" | "hbs" | "css") {
                continue;
            }
            let rel = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            // Only regular files (a link to one too): a FIFO or a device found while walking
            // would block or never end.
            let Some(bytes) = read_regular(&path)? else {
                // Not `eprintln!`, which panics when standard error is full.
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr(),
                    "agentguard: warning: skipped {}: not a regular file",
                    path.display().to_string().escape_debug()
                );
                continue;
            };
            self.files.insert(
                rel.clone(),
                SourceFile {
                    rel,
                    origin: Origin::Override(path),
                    bytes: Cow::Owned(bytes),
                },
            );
            n += 1;
        }
        Ok(n)
    }

    pub fn insert(&mut self, rel: &str, bytes: Vec<u8>) {
        self.files.insert(
            rel.to_string(),
            SourceFile {
                rel: rel.to_string(),
                origin: Origin::Override(PathBuf::from(rel)),
                bytes: Cow::Owned(bytes),
            },
        );
    }

    pub fn get(&self, rel: &str) -> Option<&SourceFile> {
        self.files.get(rel)
    }

    /// Files directly in folder `dir` (not below it), in name order.
    pub fn in_dir<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a SourceFile> + 'a {
        self.files.values().filter(move |f| {
            f.rel
                .strip_prefix(dir)
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|r| {
                    !r.contains('/')
                        && Path::new(r)
                            .extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("yaml"))
                })
        })
    }

    /// True when no file comes from an override folder.
    pub fn is_all_embedded(&self) -> bool {
        self.files.values().all(|f| f.origin == Origin::Embedded)
    }

    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.values()
    }
}

/// Inputs over this size are refused before parsing.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

/// How long a FIFO may stay without a writer after it is opened (a writer blocked in its own
/// `open` needs a moment once a reader appears) before it counts as having none.
#[cfg(unix)]
const FIFO_WRITER_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// A file the user named, opened for reading without ever blocking in `open`, and the kind of
/// file it is (from `fstat` on the open file, so it cannot change in between).
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let file = std::fs::File::from(rustix::fs::open(path, flags, Mode::empty())?);
    let meta = file.metadata()?;
    Ok((file, meta))
}

#[cfg(unix)]
fn set_blocking(file: &std::fs::File) -> std::io::Result<()> {
    let flags = rustix::fs::fcntl_getfl(file)?;
    rustix::fs::fcntl_setfl(file, flags - rustix::fs::OFlags::NONBLOCK)?;
    Ok(())
}

/// Opens a file the user named for reading, to be read to its end. A regular file or a device is
/// read as usual; a FIFO (`--answers <(git show …)`, a pipe as `/dev/stdin`) is read once a
/// process writes to it, and is an error when none does, instead of blocking forever.
pub fn open_input(path: &Path) -> std::io::Result<Input> {
    #[cfg(unix)]
    {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let (mut file, meta) = open_nonblocking(path)?;
        if meta.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "it is a folder",
            ));
        }
        let mut head = Vec::new();
        if meta.file_type().is_fifo() {
            // Non-blocking, a read returns data, `WouldBlock` (a writer, nothing written yet) or
            // end of file (no writer at all, or one that wrote everything and closed).
            let started = std::time::Instant::now();
            let mut chunk = [0u8; 8192];
            loop {
                match file.read(&mut chunk) {
                    Ok(0) if started.elapsed() < FIFO_WRITER_GRACE => {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    Ok(0) => {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "it is a FIFO (named pipe) that no process writes to",
                        ));
                    }
                    Ok(n) => {
                        head.extend_from_slice(&chunk[..n]);
                        break;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        set_blocking(&file)?;
        Ok(Input {
            inner: std::io::Cursor::new(head).chain(file),
        })
    }
    #[cfg(not(unix))]
    {
        use std::io::Read;
        let file = std::fs::File::open(path)?;
        Ok(Input {
            inner: std::io::Cursor::new(Vec::new()).chain(file),
        })
    }
}

/// A file opened by [`open_input`], read from its start.
pub struct Input {
    inner: std::io::Chain<std::io::Cursor<Vec<u8>>, std::fs::File>,
}

impl std::io::Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

/// Reads a file the user named (see [`open_input`]), refusing at once anything over
/// [`MAX_INPUT_BYTES`] (reading one byte more than the limit is enough to know). The refusal is
/// reported by the loader with its code.
pub fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    open_input(path)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// Reads a file found while walking a folder, limited like [`read_limited`]; `None` when it is not
/// a regular file (a FIFO, a device, a socket, a folder behind a link), which is never opened in
/// a way that could block.
pub fn read_regular(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    #[cfg(unix)]
    let (file, meta) = open_nonblocking(path)?;
    #[cfg(not(unix))]
    let (file, meta) = {
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Ok(None);
        }
        (std::fs::File::open(path)?, meta)
    };
    if !meta.is_file() {
        return Ok(None);
    }
    let mut buf = Vec::new();
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf)?;
    Ok(Some(buf))
}
