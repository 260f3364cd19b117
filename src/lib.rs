//! agentguard's engine: load the questionnaire, the threat catalog and a user's assessment, check
//! them strictly, evaluate which threats apply and why, and render the results. Nothing here
//! touches the terminal or the network; the binary (`main.rs`) is a thin layer over it.

pub mod assets;
pub mod condition;
pub mod dataflow;
pub mod diag;
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

use std::path::Path;

pub use assets::Sources;
pub use diag::{Diagnostic, Diagnostics};
pub use evaluate::{Findings, evaluate};
pub use model::{Assessment, Knowledge, Lang};

/// The effective asset set: embedded files, then the user's config folder (when it exists), then
/// `catalog_dir` (which must exist).
pub fn sources(catalog_dir: Option<&Path>, use_user_dir: bool) -> std::io::Result<Sources> {
    let mut s = Sources::embedded();
    if use_user_dir {
        if let Some(dir) = Sources::user_dir() {
            if dir.is_dir() {
                s.overlay(&dir)?;
            }
        }
    }
    if let Some(dir) = catalog_dir {
        s.overlay(dir)?;
    }
    Ok(s)
}
