//! `symflow validate [PATH...]`: map paths to modules, load each module
//! once, analyse its implementation files, run the rules, emit a report.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::{Context, Exit};
use crate::cli::{ValidateArgs, ValidateFormat};
use crate::diag::Severity;
use crate::error::UserError;
use crate::lint::config::{self, Config};
use crate::lint::{registry, runner};
use crate::module::{self, ImplementationSource, LoadOptions, Module};
use crate::python;
use crate::report::{self, Emitter, Report};
use crate::schema;
use crate::source::{FileId, SourceFile, SourceMap};

/// Run the command.
pub fn run(args: &ValidateArgs, ctx: &mut Context<'_>) -> anyhow::Result<Exit> {
    if args.list_rules {
        list_rules(ctx.out)?;
        return Ok(0);
    }
    if let Some(key) = &args.explain {
        explain(key, ctx.out)?;
        return Ok(0);
    }
    let started = Instant::now();
    let cwd = std::env::current_dir()?;
    let config = load_config(args.config.as_deref(), &cwd)?;
    let mut options = super::vars::load_options(&args.vars)?;
    // Implementation files are analysed from the source map.
    options.skip_implementation_text = true;
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let targets = targets(&paths, &cwd, &config)?;

    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let mut modules = 0;
    let mut checked: BTreeSet<FileId> = BTreeSet::new();
    // Variables of the validated modules: each `--var` must name one.
    let mut declared: BTreeSet<String> = BTreeSet::new();
    let mut validated_dir: Option<&Path> = None;
    let debug = ctx.ui.verbose > 0 && !ctx.ui.quiet;
    for (i, target) in targets.iter().enumerate() {
        let t = Instant::now();
        let (m, mut prepared) = load_with_python(&target.dir, &mut sources, &options);
        let load_ms = t.elapsed().as_secs_f64() * 1000.0;
        if let Some(py) = &target.only_if_uses {
            if !references(&m, py) {
                ctx.ui.debug(&format!(
                    "{} does not use {}: skipped",
                    target.dir.display(),
                    py.display()
                ));
                continue;
            }
        }
        modules += 1;
        declared.extend(m.variables.keys().cloned());
        validated_dir = Some(&target.dir);
        let t = Instant::now();
        let python = analyze_prepared(&m, &mut sources, &mut prepared);
        let python_ms = t.elapsed().as_secs_f64() * 1000.0;
        module_files(&m, &mut checked);
        checked.extend(python.keys().copied());
        let t = Instant::now();
        let last = i + 1 == targets.len();
        diagnostics.extend(if last {
            runner::run_before_exit(&m, &sources, &python, &config)
        } else {
            runner::run(&m, &sources, &python, &config)
        });
        if debug {
            ctx.ui.debug(&format!(
                "{}: load {load_ms:.1} ms, python analysis {python_ms:.1} ms, rules {:.1} ms{}",
                target.dir.display(),
                t.elapsed().as_secs_f64() * 1000.0,
                memory_note()
            ));
        }
        if last {
            // The process ends soon: freeing a large module tree node by
            // node costs more than the rest of the run after loading
            // (measured: ~20 ms on the 1,000-flow corpus). Earlier modules
            // are dropped to keep the peak memory at one module.
            std::mem::forget(m);
            std::mem::forget(python);
        }
    }
    if let Some(dir) = validated_dir {
        let where_ = if modules == 1 {
            format!("the module `{}`", dir.display())
        } else {
            format!("the {modules} modules validated")
        };
        super::vars::check_declared(&options, &declared, &where_)?;
    }
    runner::sort_and_dedup(&mut diagnostics, &sources);
    ctx.ui.debug(&format!(
        "validated {modules} module(s), {} file(s) in {:.1} ms",
        sources.len(),
        started.elapsed().as_secs_f64() * 1000.0
    ));

    // Files of the validated modules (a child module used twice is read
    // twice: count each file once).
    let files: BTreeSet<&Path> = checked
        .iter()
        .filter(|id| (id.0 as usize) < sources.len())
        .map(|id| sources.get(*id).path.as_path())
        .collect();
    let report = Report {
        diagnostics: &diagnostics,
        sources: &sources,
        files: files.len(),
    };
    // One write for the whole report (stdout is line-buffered: hundreds of
    // findings would otherwise be thousands of write calls).
    let mut buf = Vec::with_capacity(64 * 1024);
    emitter(args.format, ctx).emit(&report, &mut buf)?;
    ctx.out.write_all(&buf)?;
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    drop(buf);
    // As above: no point freeing these one allocation at a time.
    std::mem::forget(diagnostics);
    std::mem::forget(sources);
    Ok(u8::from(failed))
}

/// `, peak memory N MiB (anonymous A MiB, files F MiB now)` where the OS
/// tells (Linux), for `-v`.
fn memory_note() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let mib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (mib("VmHWM:"), mib("RssAnon:"), mib("RssFile:")) {
        (Some(peak), Some(anon), Some(file)) => {
            format!(", peak memory {peak} MiB (now: anonymous {anon} MiB, files {file} MiB)")
        }
        (Some(peak), _, _) => format!(", peak memory {peak} MiB"),
        _ => String::new(),
    }
}

fn emitter(format: ValidateFormat, ctx: &Context<'_>) -> Box<dyn Emitter> {
    match format {
        ValidateFormat::Human => Box::new(report::Human {
            styles: ctx.ui.out_styles,
        }),
        ValidateFormat::Json => Box::new(report::Json),
        ValidateFormat::Sarif => Box::new(report::Sarif),
        ValidateFormat::Github => Box::new(report::Github),
    }
}

fn list_rules(out: &mut dyn Write) -> anyhow::Result<()> {
    let name_width = registry::RULES
        .iter()
        .map(|r| r.info().name.len())
        .max()
        .unwrap_or(0);
    for r in registry::RULES {
        let i = r.info();
        writeln!(
            out,
            "{}  {:name_width$}  {:9}  {:7}  {}",
            i.code,
            i.name,
            i.category.as_str(),
            i.default_severity.as_str(),
            i.summary()
        )?;
    }
    Ok(())
}

fn explain(key: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(rule) = registry::find(key) else {
        let names = registry::RULES
            .iter()
            .flat_map(|r| [r.info().code, r.info().name]);
        let hint = match schema::did_you_mean(key, names) {
            Some(s) => {
                format!("did you mean `{s}`? `symflow validate --list-rules` lists every rule")
            }
            None => "`symflow validate --list-rules` lists every rule".to_owned(),
        };
        return Err(UserError::new(format!("there is no rule `{key}`"))
            .hint(hint)
            .into());
    };
    let i = rule.info();
    writeln!(
        out,
        "{} {} ({}, {} by default)\n",
        i.code,
        i.name,
        i.category.as_str(),
        i.default_severity.as_str()
    )?;
    writeln!(out, "{}", i.docs())?;
    Ok(())
}

fn load_config(explicit: Option<&Path>, cwd: &Path) -> anyhow::Result<Config> {
    let path = match explicit {
        Some(p) => {
            if !p.is_file() {
                return Err(UserError::new(format!(
                    "the config file {} does not exist",
                    p.display()
                ))
                .hint("pass an existing file to --config, or drop the flag to use .symflow.toml")
                .into());
            }
            absolute(cwd, p)
        }
        None => match Config::discover(cwd) {
            Some(p) => p,
            None => return Ok(Config::default()),
        },
    };
    Config::load(&path).map_err(|e| {
        UserError::new(e.to_string())
            .hint("`.symflow.toml` takes `ignore = [\"glob\", ...]` and a `[rules]` table of `RULE = \"error\" | \"warning\" | \"off\"`")
            .into()
    })
}

/// A module directory to validate.
#[derive(Debug)]
struct Target {
    /// As the user should see it (joined onto the command-line path).
    dir: PathBuf,
    /// Set when the module was found from a `.py` path: validate it only
    /// if it uses that file.
    only_if_uses: Option<PathBuf>,
}

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    config::normalize(&if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    })
}

/// How many directories, from a `.py` file's own up, are searched for the
/// module that uses it.
const PY_MODULE_SEARCH_DEPTH: usize = 6;

/// `dir` (absolute and normalized) as seen from `cwd`: `.`, `..`,
/// `sub/dir`, `../other`; absolute when they share no prefix (another
/// drive on Windows).
fn relative_to(cwd: &Path, dir: &Path) -> PathBuf {
    let cwd = config::normalize(cwd);
    let mut base = cwd.components().peekable();
    let mut rest = dir.components().peekable();
    let mut shared = 0;
    while let (Some(a), Some(b)) = (base.peek(), rest.peek()) {
        if a != b {
            break;
        }
        base.next();
        rest.next();
        shared += 1;
    }
    if shared == 0 {
        return dir.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in base {
        out.push("..");
    }
    out.extend(rest);
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

fn parent_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.flatten().any(|e| {
            crate::module::is_config_file_name(&e.file_name().to_string_lossy())
                && e.file_type().is_ok_and(|t| !t.is_dir())
        })
    })
}

/// Map command-line paths to module directories (DESIGN §2, §4): a
/// directory is a module; `.tf` and `.tfvars` files mean their directory;
/// `tests/*.symtest.hcl` means the module above `tests/`; a `.py` file means
/// the nearest enclosing module that uses it; other files are ignored.
/// Extensions are case-sensitive, as Terraform's are.
#[allow(clippy::case_sensitive_file_extension_comparisons)]
fn targets(paths: &[PathBuf], cwd: &Path, config: &Config) -> anyhow::Result<Vec<Target>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| {
            let what = if e.kind() == std::io::ErrorKind::NotFound {
                "does not exist".to_owned()
            } else {
                format!("cannot be read ({e})")
            };
            UserError::new(format!("the path {} {what}", p.display()))
                .hint("pass module directories or files inside them")
        })?;
        if config.is_ignored(&absolute(cwd, p)) {
            continue;
        }
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (dir, only_if_uses) = if meta.is_dir() {
            if std::fs::read_dir(p).is_err() {
                return Err(UserError::new(format!(
                    "the directory {} cannot be read",
                    p.display()
                ))
                .hint("check its permissions")
                .into());
            }
            (p.clone(), None)
        } else if name.ends_with(".symtest.hcl") {
            let dir = parent_dir(p);
            let module = if dir.file_name().is_some_and(|n| n == "tests") {
                parent_dir(&dir)
            } else {
                dir
            };
            (module, None)
        } else if crate::module::is_config_file_name(&name)
            || name.ends_with(".tfvars")
            || name.ends_with(".tfvars.json")
        {
            (parent_dir(p), None)
        } else if name.ends_with(".py") {
            // Search from the file's own directory, spelled absolutely: a
            // relative spelling (`impl.py`, `sub/impl.py`) must find the
            // module above the working directory as the absolute path does.
            let py = absolute(cwd, p);
            let Some(dir) = parent_dir(&py)
                .ancestors()
                .take(PY_MODULE_SEARCH_DEPTH)
                .find(|d| has_tf_files(d))
                // Shown as the user spelled the path: relative stays relative.
                .map(|d| {
                    if p.is_absolute() {
                        d.to_path_buf()
                    } else {
                        relative_to(cwd, d)
                    }
                })
            else {
                continue;
            };
            (dir, Some(py))
        } else {
            continue;
        };
        let key = std::fs::canonicalize(&dir).unwrap_or_else(|_| absolute(cwd, &dir));
        if !seen.insert(key) {
            // Loaded already; a `.py` target adds nothing to a module that is
            // validated anyway.
            continue;
        }
        out.push(Target { dir, only_if_uses });
    }
    Ok(out)
}

fn module_files(m: &Module, out: &mut BTreeSet<FileId>) {
    out.extend(m.files.iter().copied());
    out.extend(m.read_files.iter().copied());
    for p in &m.problems {
        if let Some(s) = p.span {
            out.insert(s.file);
        }
    }
    for c in &m.children {
        module_files(&c.module, out);
    }
}

fn implementation_path(source: &ImplementationSource) -> Option<(&Path, Option<FileId>, bool)> {
    match source {
        ImplementationSource::File {
            resolved,
            exists,
            file,
            ..
        }
        | ImplementationSource::LiteralPath {
            resolved,
            exists,
            file,
            ..
        } => Some((resolved.as_path(), *file, *exists)),
        _ => None,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => config::normalize(a) == config::normalize(b),
    }
}

/// Whether the module (or a child) uses `py` as an implementation.
fn references(m: &Module, py: &Path) -> bool {
    m.implementations
        .iter()
        .filter_map(|i| implementation_path(&i.source))
        .any(|(path, _, _)| same_file(path, py))
        || m.children.iter().any(|c| references(&c.module, py))
}

/// Analyses of files read ahead while loading, by registered path.
type Prepared = std::collections::HashMap<PathBuf, python::PyAnalysis>;

/// Load a module while this thread analyses the Python files the loader
/// reads ahead (`file("${path.module}/impl.py")`): the analysis of
/// implementations overlaps the evaluation of the module, which runs on one
/// thread; when loading is over, the loading thread helps with what is
/// left. The analyses are keyed by path, as the files are registered.
fn load_with_python(
    dir: &Path,
    sources: &mut SourceMap,
    options: &LoadOptions,
) -> (Module, Prepared) {
    let queue = Arc::new(PyQueue::default());
    let producer = Arc::clone(&queue);
    let observer: module::Observer = Arc::new(move |event| match event {
        module::Event::ReadAhead(path, text) => {
            if path.extension().is_some_and(|e| e == "py") {
                producer.push((path.to_path_buf(), Arc::clone(text)));
            }
        }
        module::Event::Parsed => producer.release(),
        module::Event::Finished => {
            producer.close();
            // On the loading thread, now free: take part in the tail (not
            // while unwinding from an internal error).
            if !std::thread::panicking() {
                let mine = producer.work();
                producer.hand_in(mine);
            }
        }
    });
    let (m, mut prepared) =
        module::load_alongside(dir, sources, options, observer, || queue.work());
    prepared.extend(queue.handed_in());
    (m, prepared)
}

/// Python files waiting for analysis. The workers start once the module's
/// files are parsed (parsing already uses every core; evaluation then runs
/// on one thread, which leaves a core for Python) and take them in batches.
#[derive(Default)]
struct PyQueue {
    state: std::sync::Mutex<QueueState>,
    ready: std::sync::Condvar,
    /// Analyses made by the loading thread at the end.
    handed_in: std::sync::Mutex<Prepared>,
}

#[derive(Default)]
struct QueueState {
    jobs: Vec<(PathBuf, Arc<String>)>,
    /// Parsing is over: work may start.
    released: bool,
    /// No more files will come.
    closed: bool,
}

const PY_BATCH: usize = 32;

impl PyQueue {
    fn push(&self, job: (PathBuf, Arc<String>)) {
        let Ok(mut g) = self.state.lock() else { return };
        g.jobs.push(job);
        if g.released {
            self.ready.notify_one();
        }
    }

    fn release(&self) {
        if let Ok(mut g) = self.state.lock() {
            g.released = true;
        }
        self.ready.notify_all();
    }

    fn close(&self) {
        if let Ok(mut g) = self.state.lock() {
            g.released = true;
            g.closed = true;
        }
        self.ready.notify_all();
    }

    fn hand_in(&self, done: Prepared) {
        if let Ok(mut g) = self.handed_in.lock() {
            g.extend(done);
        }
    }

    fn handed_in(&self) -> Prepared {
        self.handed_in
            .lock()
            .map(|mut g| std::mem::take(&mut *g))
            .unwrap_or_default()
    }

    /// Analyse batches until the queue is closed and empty.
    fn work(&self) -> Prepared {
        let mut out = Prepared::new();
        loop {
            let batch = {
                let Ok(mut g) = self.state.lock() else { break };
                while !(g.closed || (g.released && !g.jobs.is_empty())) {
                    g = match self.ready.wait(g) {
                        Ok(g) => g,
                        Err(_) => return out,
                    };
                }
                if g.jobs.is_empty() {
                    break;
                }
                // Once closed, take one file at a time so that both
                // threads share the tail.
                let n = if g.closed {
                    1
                } else {
                    PY_BATCH.min(g.jobs.len())
                };
                let at = g.jobs.len() - n;
                g.jobs.split_off(at)
            };
            for (path, text) in batch {
                // Spans index the text as registered: without a BOM.
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                out.entry(path).or_insert_with(|| python::analyze(text));
            }
        }
        out
    }
}

/// Analyse every implementation file of the module tree once.
pub(crate) fn analyze_implementations(
    m: &Module,
    sources: &mut SourceMap,
) -> BTreeMap<FileId, python::PyAnalysis> {
    analyze_prepared(m, sources, &mut Prepared::new())
}

/// [`analyze_implementations`], taking the analyses already made of files
/// read ahead.
fn analyze_prepared(
    m: &Module,
    sources: &mut SourceMap,
    prepared: &mut Prepared,
) -> BTreeMap<FileId, python::PyAnalysis> {
    let mut ids = BTreeSet::new();
    let mut stack = vec![m];
    while let Some(m) = stack.pop() {
        for i in &m.implementations {
            let Some((path, file, exists)) = implementation_path(&i.source) else {
                continue;
            };
            let id = match file {
                Some(id) => Some(id),
                None if exists => sources.find(path).or_else(|| read_source(path, m, sources)),
                None => None,
            };
            if let Some(id) = id.filter(|id| (id.0 as usize) < sources.len()) {
                ids.insert(id);
            }
        }
        stack.extend(m.children.iter().map(|c| &c.module));
    }
    let mut out = BTreeMap::new();
    let ids: Vec<FileId> = ids
        .into_iter()
        .filter(|id| match prepared.remove(&sources.get(*id).path) {
            Some(a) => {
                out.insert(*id, a);
                false
            }
            None => true,
        })
        .collect();
    // Files are independent: analyse them on every core.
    let texts: Vec<&str> = ids
        .iter()
        .map(|id| sources.get(*id).text.as_str())
        .collect();
    out.extend(ids.iter().copied().zip(python::analyze_all(&texts)));
    out
}

/// Register an implementation file the loader did not read.
fn read_source(path: &Path, m: &Module, sources: &mut SourceMap) -> Option<FileId> {
    let text = std::fs::read_to_string(path).ok()?;
    let display = match path.strip_prefix(&m.dir) {
        Ok(rel) => m.dir.join(rel),
        Err(_) => path.to_path_buf(),
    };
    Some(sources.add(SourceFile::new(path.to_path_buf(), display, text)))
}
