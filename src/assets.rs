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
            let bytes = read_limited(&path)?;
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

/// Reads a file, refusing at once anything over [`MAX_INPUT_BYTES`] (reading one byte more than
/// the limit is enough to know). The refusal is reported by the loader with its code.
pub fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let f = std::fs::File::open(path)?;
    let mut buf = Vec::new();
    f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf)?;
    Ok(buf)
}
