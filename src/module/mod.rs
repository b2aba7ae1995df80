//! The module model: load, parse, evaluate and cross-reference the `.tf`
//! files of a directory. See [`model`] for what it produces.

pub mod model;
pub mod value;

pub use model::*;
pub use value::{Unknown, UnknownReason, Value};

use std::path::Path;

use crate::source::SourceMap;

/// Load the module in `dir`, registering every file it reads in `sources`.
///
/// Never fails: unreadable files, syntax errors and the like are recorded in
/// [`Module::problems`] so that the rest of the module is still checked.
pub fn load(dir: &Path, sources: &mut SourceMap, options: &LoadOptions) -> Module {
    // Filled in by the module-model work (issue 4).
    let _ = (sources, options);
    Module {
        dir: dir.to_path_buf(),
        ..Module::default()
    }
}
