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

/// Work started on other threads before the arguments are parsed: decoding the embedded
/// knowledge and compiling the embedded document templates, so that both overlap argument
/// parsing and reading the assessment. Each is used only when the effective sources turn out to
/// be all embedded (and, for templates, when the guess of document and format was right);
/// otherwise it is dropped unused and the real sources are loaded.
#[derive(Debug, Default)]
pub struct Prefetch {
    knowledge: Option<std::thread::JoinHandle<Option<Knowledge>>>,
    templates: Option<PrefetchedTemplates>,
}

/// Templates compiling on another thread; join with [`join_templates`].
pub type TemplatesHandle =
    std::thread::JoinHandle<Result<docs::Templates<'static>, docs::DocsError>>;

#[derive(Debug)]
struct PrefetchedTemplates {
    doc: docs::Doc,
    page: bool,
    handle: TemplatesHandle,
}

impl Prefetch {
    /// Starts decoding the embedded knowledge and, for `templates` = `(document, with the HTML
    /// page)`, compiling its template. What no thread can be started for is not prefetched.
    pub fn start(templates: Option<(docs::Doc, bool)>) -> Prefetch {
        let knowledge = std::thread::Builder::new()
            .name("prefetch-knowledge".into())
            .spawn(|| precompiled::knowledge(&Sources::embedded()))
            .ok();
        let templates = templates.and_then(|(doc, page)| {
            std::thread::Builder::new()
                .name("prefetch-templates".into())
                .spawn(move || {
                    docs::Templates::only(
                        i18n::Ui::embedded(),
                        &Sources::embedded(),
                        &[doc.template()],
                        page,
                    )
                })
                .ok()
                .map(|handle| PrefetchedTemplates { doc, page, handle })
        });
        Prefetch {
            knowledge,
            templates,
        }
    }

    /// The knowledge of `sources`: the prefetched snapshot when they are all embedded, otherwise
    /// as [`knowledge`] loads it.
    pub fn knowledge(
        &mut self,
        sources: &Sources,
    ) -> Result<(Knowledge, Diagnostics), Diagnostics> {
        if sources.is_all_embedded()
            && let Some(handle) = self.knowledge.take()
            && let Ok(Some(k)) = handle.join()
        {
            return Ok((k, Diagnostics::default()));
        }
        knowledge(sources)
    }

    /// The prefetched templates, still compiling, when they are the ones `doc` (with the page
    /// when `page`) needs from `sources`.
    pub fn templates(
        &mut self,
        sources: &Sources,
        doc: docs::Doc,
        page: bool,
    ) -> Option<TemplatesHandle> {
        let p = self.templates.take()?;
        (sources.is_all_embedded() && p.doc == doc && (p.page || !page)).then_some(p.handle)
    }
}

/// Waits for templates compiling on another thread; a panic there is an error, not a crash.
pub fn join_templates(
    handle: TemplatesHandle,
    doc: docs::Doc,
) -> Result<docs::Templates<'static>, docs::DocsError> {
    handle
        .join()
        .unwrap_or_else(|_| Err(docs::DocsError::compile_panicked(doc)))
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
