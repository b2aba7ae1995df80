//! Runs every enabled rule over a module tree, then applies `# symflow:ignore`
//! comments, configured severities and ignored paths, and sorts the findings
//! deterministically (file, position, code, message), without duplicates.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::config::{Config, Level};
use super::{ignore, registry, rules, Category, LintContext, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::module::Module;
use crate::python::PyAnalysis;
use crate::source::{FileId, SourceMap};

/// Lint `module` (and its local child modules).
#[must_use]
pub fn run(
    module: &Module,
    sources: &SourceMap,
    python: &BTreeMap<FileId, PyAnalysis>,
    config: &Config,
) -> Vec<Diagnostic> {
    run_with(module, sources, python, config, false)
}

/// [`run`] for a process about to exit: the facts the rules share are left
/// to the exit instead of freed (a few milliseconds of cross-thread frees
/// at the end of every `validate`). A caller that goes on (tests, the fuzz
/// targets, deploy) uses [`run`], which frees them.
#[must_use]
pub fn run_before_exit(
    module: &Module,
    sources: &SourceMap,
    python: &BTreeMap<FileId, PyAnalysis>,
    config: &Config,
) -> Vec<Diagnostic> {
    run_with(module, sources, python, config, true)
}

fn run_with(
    module: &Module,
    sources: &SourceMap,
    python: &BTreeMap<FileId, PyAnalysis>,
    config: &Config,
    leave_to_exit: bool,
) -> Vec<Diagnostic> {
    let mut modules = Vec::new();
    collect_modules(module, &mut modules);

    let enabled: Vec<&dyn Rule> = registry::RULES
        .iter()
        .copied()
        .filter(|r| {
            let info = r.info();
            config.level(info.code, info.default_severity) != Level::Off
        })
        .collect();
    let mut out = Vec::new();
    // The schema and provider rules know provider 2.x and 3.x: a module for
    // an older provider gets one finding saying so (SF214), not the
    // differences between its schema and 2.x's. A missing implementation
    // file (SF206) is missing whatever the version: 1.x took paths, as 2.x.
    let without_schema: Vec<&dyn Rule> = enabled
        .iter()
        .copied()
        .filter(|r| {
            let info = r.info();
            [
                rules::old_provider_version::INFO.code,
                rules::missing_implementation_file::INFO.code,
            ]
            .contains(&info.code)
                || !matches!(info.category, Category::Schema | Category::Provider)
        })
        .collect();
    // Python files are checked once, in the context of the root module:
    // its index spans the local children, so an impl.py shared by several
    // module calls (or instances) is checked against the union of all the
    // flows using it, as one shared by several flows of one module is
    // (DESIGN §4). A child's context alone would see some of them only.
    let no_python = BTreeMap::new();
    for (i, m) in modules.iter().enumerate() {
        let python = if i == 0 { python } else { &no_python };
        let ctx = LintContext::new(m, sources, python);
        let rules = if m.provider_version.major < crate::module::OLDEST_KNOWN_MAJOR {
            &without_schema
        } else {
            &enabled
        };
        check_all(&ctx, rules, &mut out);
        // The shared facts were built on two threads: freeing them here is
        // a few milliseconds of cross-thread frees at the end of a run, for
        // memory that is small next to the module's.
        if leave_to_exit {
            std::mem::forget(ctx);
        }
    }

    let mut files = BTreeSet::new();
    for m in &modules {
        files.extend(m.files.iter().copied());
        files.extend(m.read_files.iter().copied());
    }
    files.extend(python.keys().copied());
    files.retain(|f| (f.0 as usize) < sources.len());

    apply_ignores(&files, sources, config, &mut out);
    finish(out, sources, config)
}

/// Entities from which running the rules on two threads pays for the thread.
const PARALLEL_FROM: usize = 256;

/// Run `rules` over one module: on two threads for a large module, each
/// taking the next rule not yet taken (rules differ a lot in cost). The
/// shared facts are computed once; the two most rules start from are built
/// first, one on each thread. The order of findings does not matter here:
/// [`finish`] sorts them.
fn check_all(ctx: &LintContext<'_>, rules: &[&dyn Rule], out: &mut Vec<Diagnostic>) {
    let threads = crate::cores();
    let parallel = threads >= 2 && rules.len() >= 2 && ctx.module.entities.len() >= PARALLEL_FROM;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take_all = |found: &mut Vec<Diagnostic>| {
        while let Some(rule) = rules.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            rule.check(ctx, found);
        }
    };
    if !parallel {
        take_all(out);
        return;
    }
    std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .name("symflow-rules".to_owned())
            .spawn_scoped(s, || {
                ctx.python_files();
                let mut found = Vec::new();
                take_all(&mut found);
                found
            });
        ctx.bodies();
        // Without a second thread, this one takes every rule.
        take_all(out);
        if let Ok(other) = other {
            match other.join() {
                Ok(found) => out.extend(found),
                // The panic hook has reported it; let `main` end the run.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
}

fn collect_modules<'a>(m: &'a Module, out: &mut Vec<&'a Module>) {
    out.push(m);
    for c in &m.children {
        collect_modules(&c.module, out);
    }
}

/// Drop findings silenced by ignore comments; report unknown rules named in
/// them.
fn apply_ignores(
    files: &BTreeSet<FileId>,
    sources: &SourceMap,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) {
    // file -> line -> rule codes silenced on that line
    let mut silenced: BTreeMap<FileId, BTreeMap<usize, Vec<&'static str>>> = BTreeMap::new();
    let mut unknown = Vec::new();
    for &file in files {
        let src = sources.get(file);
        for entry in ignore::parse(file, src) {
            if let Some(rule) = registry::find(&entry.key) {
                let lines = silenced.entry(file).or_default();
                for line in [entry.line, entry.line + 1] {
                    lines.entry(line).or_default().push(rule.info().code);
                }
            } else {
                let info = &rules::unknown_ignore_rule::INFO;
                let help = crate::schema::did_you_mean(
                    &entry.key,
                    registry::RULES
                        .iter()
                        .flat_map(|r| [r.info().code, r.info().name]),
                )
                .map_or_else(
                    || "see `symflow validate --list-rules`".to_owned(),
                    |s| format!("did you mean `{s}`?"),
                );
                unknown.push(
                    info.diag(
                        format!("unknown rule `{}` in an ignore comment", entry.key),
                        entry.span,
                    )
                    .with_help(help),
                );
            }
        }
    }
    if config.level(
        rules::unknown_ignore_rule::INFO.code,
        rules::unknown_ignore_rule::INFO.default_severity,
    ) != Level::Off
    {
        out.extend(unknown);
    }
    if silenced.is_empty() {
        return;
    }
    out.retain(|d| {
        let Some(span) = d.span else { return true };
        let Some(lines) = silenced.get(&span.file) else {
            return true;
        };
        let line = sources.get(span.file).line_col(span.start).line;
        !lines
            .get(&line)
            .is_some_and(|codes| codes.contains(&d.code))
    });
}

/// Severity overrides, ignored paths, order, duplicates.
fn finish(mut out: Vec<Diagnostic>, sources: &SourceMap, config: &Config) -> Vec<Diagnostic> {
    let cwd = std::env::current_dir().unwrap_or_default();
    out.retain_mut(|d| {
        match config.level(d.code, d.severity) {
            Level::Off => return false,
            Level::Error => d.severity = Severity::Error,
            Level::Warning => d.severity = Severity::Warning,
        }
        if config.ignore.is_empty() {
            return true;
        }
        let path = match (&d.span, &d.path) {
            (Some(span), _) => sources.get(span.file).path.clone(),
            (None, Some(p)) => p.clone(),
            (None, None) => return true,
        };
        !config.is_ignored(&absolute(&cwd, &path))
    });
    sort_and_dedup(&mut out, sources);
    out
}

fn absolute(cwd: &Path, p: &Path) -> std::path::PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    }
}

/// The one deterministic order of findings: by displayed file, position,
/// code, message; exact duplicates (a child module loaded twice) removed.
pub fn sort_and_dedup(out: &mut Vec<Diagnostic>, sources: &SourceMap) {
    let key = |d: &Diagnostic| {
        let (file, start, end) = match (&d.span, &d.path) {
            (Some(s), _) => (sources.get(s.file).display.clone(), s.start, s.end),
            (None, Some(p)) => (p.clone(), 0, 0),
            (None, None) => (std::path::PathBuf::new(), 0, 0),
        };
        (file, start, end, d.code, d.message.clone())
    };
    let mut keyed: Vec<_> = out.drain(..).map(|d| (key(&d), d)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    out.extend(keyed.into_iter().map(|(_, d)| d));
}
