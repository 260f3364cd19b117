//! Work started on other threads before the arguments are parsed (decoding the embedded
//! knowledge, compiling a document template), and the handles the commands take it from.

use agentguard::diag::Diagnostics;
use agentguard::model::Knowledge;
use agentguard::{Sources, docs, i18n, knowledge, precompiled};

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
