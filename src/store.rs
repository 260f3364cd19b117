//! The assessment file on disk: load it, save it atomically in a stable, diff-friendly order, and
//! refuse to overwrite a file that changed on disk since it was read (another editor, another
//! agentguard, a `git checkout`).

use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::model::{Assessment, Knowledge, Lang};

pub const DEFAULT_FILE: &str = "agentguard.yaml";

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
}

/// An assessment bound to its file.
#[derive(Debug)]
pub struct Stored {
    pub path: PathBuf,
    pub assessment: Assessment,
    pub warnings: Diagnostics,
    /// The bytes as last read or written; `None` when the file did not exist.
    on_disk: Option<Vec<u8>>,
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
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Stored {
                path: path.to_path_buf(),
                assessment: Assessment::new(k.catalog.manifest.version, lang),
                warnings: Diagnostics::default(),
                on_disk: None,
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

    /// Writes the assessment atomically. Fails with `Conflict` when the file on disk is no longer
    /// what was read (or appeared since), so no one's edits are silently lost.
    pub fn save(&mut self) -> Result<(), StoreError> {
        let current = match std::fs::read(&self.path) {
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
        let text = to_yaml(&self.assessment)?;
        crate::util::write_atomic(&self.path, text.as_bytes()).map_err(|source| {
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

/// The assessment as YAML in its stable order: fields as declared, answers and decisions sorted
/// by id.
pub fn to_yaml(a: &Assessment) -> Result<String, StoreError> {
    let body = serde_saphyr::to_string(a).map_err(|e| StoreError::Serialise(e.to_string()))?;
    Ok(format!("{HEADER}{body}"))
}
