//! The module model: load, parse, evaluate and cross-reference the `.tf`
//! files of a directory. See [`model`] for what it produces.
//!
//! - `files`: listing, parallel reading and parsing (`crate::hcl`, spans).
//! - `decls`: declarations indexed by name.
//! - `eval` and `funcs`: the evaluator, with known-unknowns.
//! - `refs`: syntactic references (for `undeclared` and dependencies).
//! - `vars`: variable values (tfvars, `--var`, `TF_VAR_*`).
//! - `build`: putting the [`Module`] together, child modules included.

// Pattern-heavy evaluator code reads best with short binding names; the
// provider's `.py` check is case-sensitive, and so is ours.
#![allow(clippy::many_single_char_names)]
#![allow(clippy::case_sensitive_file_extension_comparisons)]

mod build;
mod decls;
mod eval;
mod files;
mod format;
mod funcs;
pub mod model;
mod refs;
mod types;
pub mod value;
mod vars;

pub use files::is_config_file_name;
pub use model::*;
pub use value::{Unknown, UnknownReason, Value};

use std::path::Path;

use crate::source::SourceMap;

/// Load the module in `dir`, registering every file it reads in `sources`.
///
/// Never fails: unreadable files, syntax errors and the like are recorded in
/// [`Module::problems`] so that the rest of the module is still checked.
/// Entities, problems, undeclared references, duplicates and implementation
/// files of local child modules are included in the root's lists (with
/// `module.NAME.` addresses); each child's own model is in
/// [`Module::children`].
pub fn load(dir: &Path, sources: &mut SourceMap, options: &LoadOptions) -> Module {
    load_inner(dir, sources, options, None, || ()).0
}

/// Something to run on the text of each file read ahead for `file(...)`
/// (implementation files, mostly) from the reading threads, while the rest
/// of the module is still being loaded: validate starts analysing Python
/// files there instead of waiting for the whole model.
pub type Observer = std::sync::Arc<dyn Fn(Event<'_>) + Send + Sync>;

/// What an [`Observer`] is told.
pub enum Event<'a> {
    /// A file read ahead: its path as it will be registered, and its text
    /// as read (a leading BOM, which `SourceFile` drops, is still there).
    ReadAhead(&'a Path, &'a std::sync::Arc<String>),
    /// The root directory's files are read and parsed; evaluation (on one
    /// thread) starts.
    Parsed,
    /// Loading is over, normally or not: the last event, sent from the
    /// loading thread (or from the caller's when no thread could start).
    Finished,
}

/// Sends [`Event::Finished`] when dropped, unwinding included.
struct FinishGuard(Option<Observer>);

impl Drop for FinishGuard {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f(Event::Finished);
        }
    }
}

/// [`load`], calling `observer` with each file read ahead (path as it will
/// be registered in `sources`, text). Meant for a process that ends after
/// checking the module: the syntax trees are not freed.
pub fn load_observed(
    dir: &Path,
    sources: &mut SourceMap,
    options: &LoadOptions,
    observer: Observer,
) -> Module {
    load_inner(dir, sources, options, Some(observer), || ()).0
}

/// [`load_observed`], running `alongside` on the calling thread while the
/// module loads on another: the caller's thread works (on what the observer
/// hands it, say) instead of waiting. `alongside` must return once it has
/// seen [`Event::Finished`].
pub fn load_alongside<R>(
    dir: &Path,
    sources: &mut SourceMap,
    options: &LoadOptions,
    observer: Observer,
    alongside: impl FnOnce() -> R,
) -> (Module, R) {
    load_inner(dir, sources, options, Some(observer), alongside)
}

fn load_inner<R>(
    dir: &Path,
    sources: &mut SourceMap,
    options: &LoadOptions,
    mut observer: Option<Observer>,
    alongside: impl FnOnce() -> R,
) -> (Module, R) {
    let leak_trees = observer.is_some();
    // `Finished` once loading is done, unwinding included; moved into the
    // loading thread, or dropped here with it if no thread can start.
    let finish = FinishGuard(observer.clone());
    // Parsing and evaluation recurse (with depth caps); give them a stack
    // that does not depend on the caller's thread.
    let mut run = |sources: &mut SourceMap| {
        let mut cache = files::ReadCache {
            observer: observer.take(),
            ..files::ReadCache::default()
        };
        let site = build::ModuleSite {
            dir: dir.to_path_buf(),
            root_dir: dir.to_path_buf(),
            path_module: ".".to_owned(),
            module_path: Vec::new(),
            inputs: None,
            ancestors: std::fs::canonicalize(dir).into_iter().collect(),
            parent_version: None,
            expand: true,
            sym_providers: build::SymProviders::default(),
        };
        let module = build::load_module(&site, sources, &mut cache, options);
        // Freeing thousands of syntax trees takes a while; let a helper
        // thread do it while the caller goes on with the model (or, for a
        // one-shot caller, not at all).
        let trees = std::mem::take(&mut cache.dirs);
        if leak_trees {
            std::mem::forget(trees);
        } else if let Err(e) = std::thread::Builder::new()
            .name("symflow-drop".to_owned())
            .spawn(move || drop(trees))
        {
            drop(e);
        }
        module
    };
    let (outcome, alongside_result) = std::thread::scope(|s| {
        let loader = std::thread::Builder::new()
            .name("symflow-load".to_owned())
            .stack_size(files::STACK_BYTES)
            .spawn_scoped(s, move || {
                let _finish = finish;
                run(sources)
            });
        let r = alongside();
        (loader.map(|h| h.join()), r)
    });
    let module = match outcome {
        Ok(Ok(module)) => module,
        // No thread (resources exhausted) or an internal bug: report it as a
        // problem rather than crash the run.
        Ok(Err(_)) | Err(_) => Module {
            dir: dir.to_path_buf(),
            problems: vec![Problem {
                kind: ProblemKind::Unreadable,
                message: format!("internal error while loading {}", dir.display()),
                span: None,
                path: dir.to_path_buf(),
                help: Some("please report this as a bug".to_owned()),
            }],
            ..Module::default()
        },
    };
    (module, alongside_result)
}
