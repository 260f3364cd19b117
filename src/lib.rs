//! agentguard's engine: load the questionnaire, the threat catalog and a user's assessment, check
//! them strictly, evaluate which threats apply and why, and render the results. Nothing here
//! touches the terminal or the network; the binary (`main.rs`) is a thin layer over it.

pub mod assets;
pub mod check;
pub mod clock;
pub mod condition;
pub mod dataflow;
pub mod diag;
pub mod docs;
pub mod escape;
pub mod evaluate;
pub mod i18n;
pub mod load;
pub mod meaning;
pub mod model;
pub mod redact;
pub mod render;
pub mod report;
pub mod review;
pub mod sarif;
pub mod schema;
pub mod store;
pub mod util;
pub mod wizard;

use std::path::Path;

/// The embedded assets as validated by `build.rs`, ready to deserialise.
pub mod precompiled {
    const KNOWLEDGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/knowledge.bin"));
    const KNOWLEDGE_HASH: &str = include_str!(concat!(env!("OUT_DIR"), "/knowledge.hash"));
    const UI: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ui.bin"));

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
        let mut k: crate::Knowledge = postcard::from_bytes(KNOWLEDGE).ok()?;
        k.questionnaire.reindex();
        k.catalog.reindex();
        Some(k)
    }

    pub fn ui() -> Option<crate::i18n::Ui> {
        // Debug builds read locale files from disk: use them, so edits show without a rebuild.
        if cfg!(debug_assertions) {
            return None;
        }
        ui_snapshot()
    }

    fn ui_snapshot() -> Option<crate::i18n::Ui> {
        if UI.is_empty() {
            return None;
        }
        postcard::from_bytes(UI).ok()
    }

    #[cfg(test)]
    mod tests {
        use crate::Sources;

        /// The snapshot must decode, and decode to exactly what the YAML loader gives: a snapshot
        /// that failed to decode would silently fall back to parsing YAML (20 times slower).
        #[test]
        fn snapshots_decode_to_what_the_loaders_give() {
            let sources = Sources::embedded();
            let snapshot = super::knowledge(&sources).expect("the knowledge snapshot decodes");
            let (loaded, _) = crate::load::knowledge(&sources).expect("embedded catalog");
            assert!(
                snapshot == loaded,
                "knowledge snapshot differs from the YAML"
            );
            let ui = super::ui_snapshot().expect("the locale snapshot decodes");
            let from_files = crate::i18n::Ui::from_sources(&sources).expect("locales");
            assert!(ui == from_files, "locale snapshot differs from the files");
        }
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
