//! agentguard's engine: load the questionnaire, the threat catalog and a user's assessment, check
//! them strictly, evaluate which threats apply and why, and render the results. Nothing here
//! touches the terminal or the network; the binary (`main.rs`) is a thin layer over it.

pub mod assets;
pub mod condition;
pub mod dataflow;
pub mod diag;
pub mod docs;
pub mod escape;
pub mod evaluate;
pub mod i18n;
pub mod load;
pub mod model;
pub mod redact;
pub mod render;
pub mod report;
pub mod schema;
pub mod store;
pub mod util;
pub mod wizard;

use std::path::Path;

/// The embedded assets as validated by `build.rs`, ready to deserialise.
pub(crate) mod precompiled {
    const KNOWLEDGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/knowledge.json"));
    const KNOWLEDGE_HASH: &str = include_str!(concat!(env!("OUT_DIR"), "/knowledge.hash"));
    const UI: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ui.json"));

    /// The precompiled knowledge, when it matches `sources` (all embedded). Debug builds read
    /// embedded files from disk, which may have changed since the build: there the content hash
    /// is checked too.
    pub fn knowledge(sources: &crate::Sources) -> Option<crate::Knowledge> {
        if KNOWLEDGE.is_empty() || !sources.is_all_embedded() {
            return None;
        }
        if cfg!(debug_assertions) && crate::load::content_hash(sources) != KNOWLEDGE_HASH {
            return None;
        }
        let mut k: crate::Knowledge = serde_json::from_slice(KNOWLEDGE).ok()?;
        k.questionnaire.reindex();
        k.catalog.reindex();
        Some(k)
    }

    pub fn ui() -> Option<crate::i18n::Ui> {
        // Debug builds read locale files from disk: use them, so edits show without a rebuild.
        if UI.is_empty() || cfg!(debug_assertions) {
            return None;
        }
        serde_json::from_slice(UI).ok()
    }
}

/// Loads the questionnaire and catalog: the precompiled embedded ones when nothing is
/// overridden, otherwise by parsing and validating the YAML.
pub fn knowledge(sources: &Sources) -> Result<(Knowledge, Diagnostics), Diagnostics> {
    match precompiled::knowledge(sources) {
        Some(k) => Ok((k, Diagnostics::default())),
        None => load::knowledge(sources),
    }
}

pub use assets::Sources;
pub use diag::{Diagnostic, Diagnostics};
pub use evaluate::{Findings, evaluate};
pub use model::{Assessment, Knowledge, Lang};

/// The effective asset set: embedded files, then the user's config folder (when it exists), then
/// `catalog_dir` (which must exist).
pub fn sources(catalog_dir: Option<&Path>, use_user_dir: bool) -> std::io::Result<Sources> {
    let mut s = Sources::embedded();
    if use_user_dir
        && let Some(dir) = Sources::user_dir()
        && dir.is_dir()
    {
        s.overlay(&dir)?;
    }
    if let Some(dir) = catalog_dir {
        s.overlay(dir)?;
    }
    Ok(s)
}
