//! Reading and parsing the files of one module directory, in parallel.

use rustc_hash::FxHashMap as HashMap;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::hcl::expr::{Expression, TraversalOperator};
use crate::hcl::structure::{Body, Structure};
use crate::hcl::template::Element;

use super::model::{Problem, ProblemKind};
use crate::source::{FileId, SourceFile, SourceMap, Span};

/// Files larger than this are not read (a `.tf` or `impl.py` of this size is
/// a mistake, and reading it would make every run slow).
pub(crate) const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Stack size of the threads that parse and evaluate: the parser and the
/// evaluator recurse (both cap their depth), debug builds use big frames.
pub(crate) const STACK_BYTES: usize = 64 * 1024 * 1024;

/// The text of a file, or why it could not be read.
#[derive(Clone)]
pub(crate) enum ReadOutcome {
    /// Shared: a file read ahead may be analysed on another thread too.
    Text(Arc<String>),
    /// Not UTF-8: the lossy text and the offset of the first bad byte.
    BadUtf8(String, usize),
    Failed(String),
}

/// Read a file as text, refusing directories, huge files and the like with
/// a message that says why.
pub(crate) fn read_text(path: &Path) -> ReadOutcome {
    read_text_in(None, path)
}

/// [`read_text`], opening `path` relative to `dir` when it lies under it.
pub(crate) fn read_text_in(dir: Option<&OpenDir>, path: &Path) -> ReadOutcome {
    // Open first, then ask the open file what it is: one path lookup per
    // file instead of two (this runs for every file of a module).
    let opened = match dir {
        Some(d) => d.open(path),
        None => open_for_reading(path),
    };
    let file = match opened {
        Ok(f) => f,
        Err(e) => return ReadOutcome::Failed(io_message(&e)),
    };
    let (kind, len) = match kind_and_size(&file) {
        Ok(k) => k,
        Err(e) => return ReadOutcome::Failed(io_message(&e)),
    };
    match kind {
        FileKind::Regular => {}
        FileKind::Directory => {
            return ReadOutcome::Failed("is a directory, not a file".to_owned());
        }
        // A FIFO or device would block or never end.
        FileKind::Other => return ReadOutcome::Failed("is not a regular file".to_owned()),
    }
    if len > MAX_FILE_BYTES {
        return ReadOutcome::Failed(format!(
            "file is too large ({len} bytes; the limit is {MAX_FILE_BYTES} bytes)"
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Read the size the file announced, without one more read to find its
    // end (one system call per file less); a file announcing no size (some
    // special files) is read to its end, within the limit.
    let limit = match len {
        0 => MAX_FILE_BYTES + 1,
        n => n,
    };
    if let Err(e) = file.take(limit).read_to_end(&mut bytes) {
        return ReadOutcome::Failed(io_message(&e));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return ReadOutcome::Failed(format!(
            "file is too large (more than {MAX_FILE_BYTES} bytes)"
        ));
    }
    match String::from_utf8(bytes) {
        Ok(s) => ReadOutcome::Text(Arc::new(s)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            ReadOutcome::BadUtf8(lossy, at)
        }
    }
}

enum FileKind {
    Regular,
    Directory,
    Other,
}

/// What an open file is, and its size. On Unix this asks with `fstat`:
/// the standard library's `metadata()` asks with `statx`, which costs this
/// kernel a microsecond more per file, a thousand files and more per run.
fn kind_and_size(file: &std::fs::File) -> std::io::Result<(FileKind, u64)> {
    #[cfg(unix)]
    {
        use rustix::fs::FileType;
        let st = rustix::fs::fstat(file)?;
        let kind = match FileType::from_raw_mode(st.st_mode) {
            FileType::RegularFile => FileKind::Regular,
            FileType::Directory => FileKind::Directory,
            _ => FileKind::Other,
        };
        Ok((kind, u64::try_from(st.st_size).unwrap_or(0)))
    }
    #[cfg(not(unix))]
    {
        let meta = file.metadata()?;
        let kind = if meta.is_file() {
            FileKind::Regular
        } else if meta.is_dir() {
            FileKind::Directory
        } else {
            FileKind::Other
        };
        Ok((kind, meta.len()))
    }
}

/// A module directory, opened once so that the files under it are opened
/// by their path relative to it: the kernel then resolves a name or two per
/// file instead of every component of the full path. With a thousand files
/// and more per run that is a tenth of the time spent opening them.
pub(crate) struct OpenDir {
    path: PathBuf,
    #[cfg(unix)]
    fd: Option<rustix::fd::OwnedFd>,
}

impl OpenDir {
    /// `path` as given; when it cannot be opened (it then fails to list
    /// too), files are opened by their full paths.
    pub(crate) fn new(path: &Path) -> OpenDir {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            OpenDir {
                path: path.to_path_buf(),
                fd: rustix::fs::open(dir_or_dot(path), flags, Mode::empty()).ok(),
            }
        }
        #[cfg(not(unix))]
        OpenDir {
            path: path.to_path_buf(),
        }
    }

    /// The names in this directory (UTF-8 ones: no other can be a file we
    /// read), in no particular order. Listed through the open descriptor
    /// when there is one: the directory is then opened once, and entries
    /// cost no allocation but their names.
    fn list(&self) -> std::io::Result<Vec<String>> {
        #[cfg(unix)]
        if let Some(fd) = &self.fd {
            let mut buf = vec![std::mem::MaybeUninit::<u8>::uninit(); 32 * 1024];
            let mut dir = rustix::fs::RawDir::new(fd, &mut buf);
            let mut names = Vec::new();
            // An error ends the listing (it would come back at every call).
            while let Some(entry) = dir.next() {
                let entry = entry.map_err(std::io::Error::from)?;
                match entry.file_name().to_str() {
                    Ok("." | "..") | Err(_) => {}
                    Ok(name) => names.push(name.to_owned()),
                }
            }
            return Ok(names);
        }
        Ok(std::fs::read_dir(dir_or_dot(&self.path))?
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .collect())
    }

    /// Open `path` for reading, relative to this directory when under it.
    fn open(&self, path: &Path) -> std::io::Result<std::fs::File> {
        #[cfg(unix)]
        if let (Some(fd), Some(rel)) = (&self.fd, self.relative(path)) {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
            return rustix::fs::openat(fd, rel, flags, Mode::empty())
                .map(std::fs::File::from)
                .map_err(std::io::Error::from);
        }
        open_for_reading(path)
    }

    /// `path` without this directory in front, if it starts with it
    /// (compared as bytes: this runs for every file read). Files read
    /// ahead have normalized paths: they match when the directory was
    /// given in its normalized form, or as `.`.
    #[cfg(unix)]
    fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        use std::os::unix::ffi::OsStrExt;
        let p = path.as_os_str().as_bytes();
        let d = self.path.as_os_str().as_bytes();
        let d = d.strip_suffix(b"/").unwrap_or(d);
        let rest = if d.is_empty() || d == b"." {
            p
        } else {
            p.strip_prefix(d)?.strip_prefix(b"/")?
        };
        let rest = rest.strip_prefix(b"./").unwrap_or(rest);
        (!rest.is_empty() && !rest.starts_with(b"/"))
            .then(|| Path::new(std::ffi::OsStr::from_bytes(rest)))
    }
}

/// A directory to open or list: the empty path (a module given as `""`)
/// is the current directory.
fn dir_or_dot(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// Open a file for reading without waiting: opening a FIFO for reading
/// blocks until a writer appears, and `read_text` refuses FIFOs anyway.
fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

pub(crate) fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let s = e.to_string();
            // "Too many levels of symbolic links (os error 40)" -> lower-case start
            let mut out = s.split(" (os error").next().unwrap_or(&s).trim().to_owned();
            if let Some(first) = out.get(..1) {
                let lower = first.to_lowercase();
                out.replace_range(..1, &lower);
            }
            out
        }
    }
}

/// Whether `normalize` would give `p` back unchanged: no `.`, `..` or
/// empty components (most paths; the check is cheaper than rebuilding).
fn is_tidy(p: &Path) -> bool {
    if !cfg!(unix) {
        return false;
    }
    let b = p.as_os_str().as_encoded_bytes();
    let rest = b.strip_prefix(b"/").unwrap_or(b);
    (rest.is_empty() && !b.is_empty())
        || (!rest.is_empty()
            && rest
                .split(|c| *c == b'/')
                .all(|seg| !seg.is_empty() && seg != b"." && seg != b".."))
}

/// `normalize(base.join(rel))`. A leading `./` (as `${path.module}/x`
/// gives in the root module) is dropped first: the joined path is then
/// usually tidy already and is only copied.
pub(crate) fn join_normalized(base: &Path, rel: &str) -> PathBuf {
    let mut rel = rel;
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest.trim_start_matches('/');
    }
    // Both parts tidy (the common case: a module directory and
    // `impls/x.py`): the result is the two with a `/` between, built in
    // one buffer of the right size, with no tidying pass.
    if !rel.starts_with('/') && is_tidy(Path::new(rel)) && is_tidy(base) {
        let b = base.as_os_str();
        let slash = !b.as_encoded_bytes().ends_with(b"/");
        let mut joined = std::ffi::OsString::with_capacity(b.len() + 1 + rel.len());
        joined.push(b);
        if slash {
            joined.push("/");
        }
        joined.push(rel);
        return PathBuf::from(joined);
    }
    normalize(&base.join(rel))
}

/// Lexically tidy a path: drop `.` components and fold `a/..`.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    if is_tidy(p) {
        return p.to_path_buf();
    }
    #[cfg(unix)]
    {
        normalize_bytes(p)
    }
    #[cfg(not(unix))]
    {
        normalize_components(p)
    }
}

/// [`normalize`] on the bytes of a Unix path, in one pass and one buffer.
#[cfg(unix)]
fn normalize_bytes(p: &Path) -> PathBuf {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let b = p.as_os_str().as_bytes();
    let absolute = b.starts_with(b"/");
    // Room for the components of most paths at once.
    let mut parts: Vec<&[u8]> = Vec::with_capacity(16);
    // Components that a `..` may still remove.
    let mut depth = 0usize;
    for seg in b.split(|c| *c == b'/') {
        match seg {
            b"" | b"." => {}
            b".." => {
                if depth > 0 {
                    parts.pop();
                    depth -= 1;
                } else {
                    parts.push(b"..");
                }
            }
            s => {
                parts.push(s);
                depth += 1;
            }
        }
    }
    let mut out: Vec<u8> = Vec::with_capacity(b.len().max(1));
    if absolute {
        out.push(b'/');
    }
    for (i, s) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        out.extend_from_slice(s);
    }
    if out.is_empty() {
        out.push(b'.');
    }
    PathBuf::from(std::ffi::OsString::from_vec(out))
}

/// [`normalize`] through `Path::components` (other systems).
#[cfg_attr(unix, allow(dead_code))]
fn normalize_components(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    let mut depth = 0usize;
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if depth > 0 {
                    out.pop();
                    depth -= 1;
                } else {
                    out.push("..");
                }
            }
            Component::Normal(x) => {
                out.push(x);
                depth += 1;
            }
            other => {
                out.push(other.as_os_str());
                depth = 0;
            }
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Terraform ignores editor backups and hidden files.
fn ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// One `.tf` file after reading and parsing.
pub(crate) struct ParsedFile {
    pub id: FileId,
    pub body: Option<Body>,
    /// `override.tf` / `*_override.tf`: Terraform merges these into the
    /// blocks they name; they declare nothing new.
    pub is_override: bool,
}

/// Files Terraform reads variable values from without being told to.
fn is_var_file_name(name: &str) -> bool {
    matches!(name, "terraform.tfvars" | "terraform.tfvars.json") || is_auto_var_file(name)
}

/// `*.auto.tfvars` and `*.auto.tfvars.json`: read in name order.
pub(crate) fn is_auto_var_file(name: &str) -> bool {
    name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")
}

/// The configuration files Terraform reads: `*.tf` (native syntax) and
/// `*.tf.json` (JSON syntax).
pub fn is_config_file_name(name: &str) -> bool {
    name.ends_with(".tf") || name.ends_with(".tf.json")
}

/// A `*.tf.json` file: JSON syntax.
pub(crate) fn is_json_config(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".tf.json"))
}

/// Terraform's override file names (`override.tf`, `*_override.tf` and
/// their `.tf.json` forms).
pub(crate) fn is_override_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        let stem = n.strip_suffix(".tf").or_else(|| n.strip_suffix(".tf.json"));
        stem.is_some_and(|s| s == "override" || s.ends_with("_override"))
    })
}

/// What a worker thread produced for one file.
struct Work {
    path: PathBuf,
    outcome: ReadOutcome,
    body: Option<Body>,
    syntax: Option<(String, usize)>,
    prefetched: Vec<(PathBuf, ReadOutcome)>,
}

/// Files read ahead of evaluation (`file("${path.module}/x")`) and files
/// already registered, shared by a module and its children.
#[derive(Default)]
pub(crate) struct ReadCache {
    /// (Keyed by the bytes of normalized paths: hashing a `Path` walks its
    /// components, and these maps see every file of a module.)
    pub prefetched: HashMap<OsString, ReadOutcome>,
    /// Path -> registered file id, or the reason it could not be read.
    pub registered: HashMap<OsString, Result<FileId, String>>,
    /// Module directories already read (shared by every instance of a
    /// child module).
    pub dirs: HashMap<PathBuf, Arc<DirFiles>>,
    /// Told about each file read ahead (see [`super::load_observed`]).
    pub observer: Option<super::Observer>,
    /// Module instances loaded one by one so far, in the whole tree (see
    /// `MAX_MODULE_INSTANCES`).
    pub module_instances: usize,
}

impl ReadCache {
    /// Read (once) and register a file that evaluation needs.
    pub(crate) fn read(&mut self, path: &Path, sources: &mut SourceMap) -> Result<FileId, String> {
        self.read_with(path, sources, None)
    }

    /// [`ReadCache::read`], with what a worker already read of a file
    /// nobody had read before (used instead of reading it again).
    pub(crate) fn read_with(
        &mut self,
        path: &Path,
        sources: &mut SourceMap,
        fresh: Option<ReadOutcome>,
    ) -> Result<FileId, String> {
        self.read_normalized(normalize(path), sources, fresh)
    }

    /// [`ReadCache::read_with`] of a path already normalized (a worker's
    /// logged read).
    pub(crate) fn read_normalized(
        &mut self,
        path: PathBuf,
        sources: &mut SourceMap,
        fresh: Option<ReadOutcome>,
    ) -> Result<FileId, String> {
        if let Some(r) = self.registered.get(path.as_os_str()) {
            return r.clone();
        }
        let outcome = match self.prefetched.remove(path.as_os_str()).or(fresh) {
            Some(o) => o,
            None => read_text(&path),
        };
        let res = match outcome {
            ReadOutcome::Text(t) => {
                Ok(sources.add(SourceFile::shared(path.clone(), path.clone(), t)))
            }
            other => Err(Self::failure(&other)),
        };
        self.registered.insert(path.into_os_string(), res.clone());
        res
    }

    /// Why a file that was not read as text cannot be used.
    pub(crate) fn failure(outcome: &ReadOutcome) -> String {
        match outcome {
            ReadOutcome::Text(_) => String::new(),
            ReadOutcome::BadUtf8(_, at) => format!("file is not valid UTF-8 (byte {at})"),
            ReadOutcome::Failed(m) => m.clone(),
        }
    }
}

/// The result of reading a module directory.
pub(crate) struct DirFiles {
    pub files: Vec<ParsedFile>,
    pub problems: Vec<Problem>,
    /// Names of the variable files the listing showed: `terraform.tfvars`,
    /// `terraform.tfvars.json`, `*.auto.tfvars`, `*.auto.tfvars.json` (so
    /// that the directory is listed once).
    pub var_files: Vec<String>,
}

/// List, read and parse the `.tf` files of `dir` (sorted by name), in
/// parallel. `path_module` is what `path.module` evaluates to, used to read
/// the targets of `file("${path.module}/...")` ahead of time.
pub(crate) fn load_dir(
    dir: &Path,
    root_dir: &Path,
    path_module: &str,
    sources: &mut SourceMap,
    cache: &mut ReadCache,
) -> Arc<DirFiles> {
    // A child module used twice is read and registered once: its files keep
    // one id, so findings in them are not doubled.
    let key = normalize(dir);
    if let Some(d) = cache.dirs.get(&key) {
        return Arc::clone(d);
    }
    let d = Arc::new(load_dir_uncached(
        dir,
        root_dir,
        path_module,
        sources,
        cache,
    ));
    cache.dirs.insert(key, Arc::clone(&d));
    d
}

fn load_dir_uncached(
    dir: &Path,
    root_dir: &Path,
    path_module: &str,
    sources: &mut SourceMap,
    cache: &mut ReadCache,
) -> DirFiles {
    let mut problems = Vec::new();
    let open_dir = OpenDir::new(dir);
    let listed = match open_dir.list() {
        Ok(l) => l,
        Err(e) => {
            problems.push(Problem {
                kind: ProblemKind::Unreadable,
                message: format!(
                    "cannot read directory {}: {}",
                    dir.display(),
                    io_message(&e)
                ),
                span: None,
                path: dir.to_path_buf(),
                help: Some("check that the path exists and is a readable directory".to_owned()),
            });
            return DirFiles {
                files: Vec::new(),
                problems,
                var_files: Vec::new(),
            };
        }
    };
    let mut names: Vec<String> = Vec::new();
    let mut var_files: Vec<String> = Vec::new();
    for name in listed {
        if is_var_file_name(&name) {
            var_files.push(name);
        } else if is_config_file_name(&name) && !ignored_name(&name) {
            names.push(name);
        }
    }
    names.sort();
    if names.is_empty() {
        problems.push(Problem {
            kind: ProblemKind::NoConfiguration,
            message: format!("no .tf or .tf.json files in {}", dir.display()),
            span: None,
            path: dir.to_path_buf(),
            help: Some("point symflow at a Terraform module directory".to_owned()),
        });
        return DirFiles {
            files: Vec::new(),
            problems,
            var_files,
        };
    }
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    let works = parse_parallel(
        &paths,
        &open_dir,
        root_dir,
        path_module,
        cache.observer.as_ref(),
    );

    let mut files = Vec::with_capacity(works.len());
    let ahead: usize = works.iter().map(|w| w.prefetched.len()).sum();
    sources.reserve(works.len() + ahead);
    cache.prefetched.reserve(ahead);
    cache.registered.reserve(ahead);
    for w in works {
        let is_override = is_override_file(&w.path);
        for (p, o) in w.prefetched {
            cache.prefetched.entry(p.into_os_string()).or_insert(o);
        }
        match w.outcome {
            ReadOutcome::Failed(msg) => problems.push(Problem {
                kind: ProblemKind::Unreadable,
                message: format!("cannot read {}: {msg}", w.path.display()),
                span: None,
                path: w.path,
                help: None,
            }),
            ReadOutcome::BadUtf8(text, at) => {
                // The lossy text holds U+FFFD where the bad bytes were; a
                // leading BOM is stripped by `SourceFile::new`. Point at the
                // whole replacement character, never inside it.
                let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
                let id = sources.add(SourceFile::new(w.path.clone(), w.path.clone(), text));
                let len = sources.get(id).text.len();
                let start = at.saturating_sub(bom).min(len);
                let end = (start + '\u{fffd}'.len_utf8()).min(len);
                problems.push(Problem {
                    kind: ProblemKind::Unreadable,
                    message: format!("{} is not valid UTF-8", w.path.display()),
                    span: Some(Span::new(id, start..end)),
                    path: w.path,
                    help: Some("save the file as UTF-8".to_owned()),
                });
                files.push(ParsedFile {
                    id,
                    body: None,
                    is_override,
                });
            }
            ReadOutcome::Text(text) => {
                let id = sources.add(SourceFile::shared(w.path.clone(), w.path.clone(), text));
                if let Some((msg, at)) = w.syntax {
                    let text = &sources.get(id).text;
                    let mut start = at.min(text.len());
                    while !text.is_char_boundary(start) {
                        start -= 1;
                    }
                    let end = sources.get(id).text[start..]
                        .chars()
                        .next()
                        .filter(|c| *c != '\n' && *c != '\r')
                        .map_or(start, |c| start + c.len_utf8());
                    problems.push(Problem {
                        kind: ProblemKind::Syntax,
                        message: msg,
                        span: Some(Span::new(id, start..end)),
                        path: w.path,
                        help: None,
                    });
                }
                files.push(ParsedFile {
                    id,
                    body: w.body,
                    is_override,
                });
            }
        }
    }
    DirFiles {
        files,
        problems,
        var_files,
    }
}

fn parse_parallel(
    paths: &[PathBuf],
    dir: &OpenDir,
    root_dir: &Path,
    path_module: &str,
    observer: Option<&super::Observer>,
) -> Vec<Work> {
    let threads = crate::cores()
        .clamp(1, 8)
        .min(paths.len().div_ceil(16).max(1));
    let work = |p: &PathBuf| work_on(p, dir, root_dir, path_module, observer);
    if threads <= 1 {
        return paths.iter().map(work).collect();
    }
    // Each thread (this one included) takes the next file until none is
    // left: files differ in size and a shared machine stalls threads, so a
    // fixed split leaves one core idle while the other finishes its half.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take_all = || {
        // Room for a fair share and then some: growing a vector of results
        // copies them.
        let mut done: Vec<(usize, Work)> =
            Vec::with_capacity(paths.len().div_ceil(threads) + paths.len() / 8);
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(p) = paths.get(i) else { break };
            // A bug in the parser costs that file, not the run.
            if let Ok(w) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(p))) {
                done.push((i, w));
            }
        }
        done
    };
    let lists = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(s, take_all)
                    .ok()
            })
            .collect();
        let mut lists = vec![take_all()];
        // A file whose parse panicked is missing and reported below.
        lists.extend(helpers.into_iter().filter_map(|h| h.join().ok()));
        lists
    });
    by_index(lists, paths.len())
        .zip(paths)
        .map(|(w, p)| {
            w.unwrap_or_else(|| Work {
                path: p.clone(),
                outcome: ReadOutcome::Failed("internal error while parsing".to_owned()),
                body: None,
                syntax: None,
                prefetched: Vec::new(),
            })
        })
        .collect()
}

/// Lists of `(index, item)`, each in increasing index order, with no index
/// in two lists: the item of each index of `0..n` in order, `None` for an
/// index no list has. Nothing is copied into a table first: the lists are
/// merged as they are read.
pub(crate) fn by_index<T>(
    lists: Vec<Vec<(usize, T)>>,
    n: usize,
) -> impl Iterator<Item = Option<T>> {
    let mut heads: Vec<_> = lists
        .into_iter()
        .map(|l| l.into_iter().peekable())
        .collect();
    (0..n).map(move |idx| {
        heads
            .iter_mut()
            .find_map(|l| l.next_if(|(i, _)| *i == idx))
            .map(|(_, item)| item)
    })
}

fn work_on(
    path: &Path,
    dir: &OpenDir,
    root_dir: &Path,
    path_module: &str,
    observer: Option<&super::Observer>,
) -> Work {
    let outcome = read_text_in(Some(dir), path);
    let mut body = None;
    let mut syntax = None;
    let mut prefetched = Vec::new();
    if let ReadOutcome::Text(text) = &outcome {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let parsed = if is_json_config(path) {
            // Rare and small: every top-level block is searched for
            // `file()` calls.
            crate::hcl::json::parse_body(text).map(|b| {
                let all = (0..b.len()).collect();
                (b, all)
            })
        } else {
            crate::hcl::parser::parse_body_noting_file_calls(text)
        };
        match parsed {
            Ok((b, calls)) => {
                let mut wanted = Vec::new();
                // Only the top-level attributes and blocks that call
                // `file()` / `templatefile()` can name a file to read.
                for s in calls.iter().filter_map(|&i| b.structures.get(i)) {
                    prefetch_structure(s, path_module, &mut wanted);
                }
                for rel in wanted {
                    let p = join_normalized(root_dir, &rel);
                    if prefetched.iter().any(|(q, _)| *q == p) {
                        continue;
                    }
                    let o = read_text_in(Some(dir), &p);
                    if let (Some(f), ReadOutcome::Text(t)) = (observer, &o) {
                        f(super::Event::ReadAhead(&p, t));
                    }
                    prefetched.push((p, o));
                }
                body = Some(b);
            }
            Err(e) => {
                let msg = e.message().to_owned();
                let what = if is_json_config(path) {
                    "invalid JSON configuration syntax"
                } else {
                    "invalid HCL syntax"
                };
                let msg = if msg.is_empty() {
                    what.to_owned()
                } else {
                    format!("{what}: {}", tidy_parse_message(&msg))
                };
                syntax = Some((msg, e.offset()));
            }
        }
    }
    Work {
        path: path.to_path_buf(),
        outcome,
        body,
        syntax,
        prefetched,
    }
}

fn tidy_parse_message(msg: &str) -> String {
    let m = msg.trim().trim_end_matches('.');
    let mut s = m.to_owned();
    if let Some(first) = s.get(..1) {
        let lower = first.to_lowercase();
        s.replace_range(..1, &lower);
    }
    s
}

/// Find `file(...)` / `templatefile(...)` calls whose path is built from
/// literals and `path.module` / `path.root` only.
fn prefetch_body(body: &Body, path_module: &str, out: &mut Vec<String>) {
    for s in body {
        prefetch_structure(s, path_module, out);
    }
}

fn prefetch_structure(s: &Structure, path_module: &str, out: &mut Vec<String>) {
    match s {
        Structure::Attribute(a) => prefetch_expr(&a.value, path_module, out, 0),
        Structure::Block(b) => prefetch_body(&b.body, path_module, out),
    }
}

fn prefetch_expr(e: &Expression, path_module: &str, out: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    match e {
        Expression::FuncCall(f) => {
            let name = f.name.name.value().as_str();
            if (name == "file" || name == "templatefile") && f.name.namespace.is_empty() {
                if let Some(p) = f.args.get(0).and_then(|a| static_path(a, path_module)) {
                    out.push(p);
                }
            }
            for a in &f.args {
                prefetch_expr(a, path_module, out, depth + 1);
            }
        }
        Expression::Object(o) => {
            for (_, v) in o {
                prefetch_expr(v.expr(), path_module, out, depth + 1);
            }
        }
        Expression::Array(a) => {
            for v in a {
                prefetch_expr(v, path_module, out, depth + 1);
            }
        }
        Expression::Parenthesis(p) => prefetch_expr(p.inner(), path_module, out, depth + 1),
        Expression::StringTemplate(_) => {
            if let Some(inner) = e.only_interpolation() {
                prefetch_expr(inner, path_module, out, depth + 1);
            }
        }
        Expression::Conditional(c) => {
            prefetch_expr(&c.true_expr, path_module, out, depth + 1);
            prefetch_expr(&c.false_expr, path_module, out, depth + 1);
        }
        _ => {}
    }
}

fn static_path(e: &Expression, path_module: &str) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.value().clone()),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t {
                match el {
                    Element::Literal(l) => out.push_str(l.value()),
                    Element::Interpolation(i) => match &i.expr {
                        Expression::Traversal(tr) => {
                            let Expression::Variable(v) = &tr.expr else {
                                return None;
                            };
                            if v.value().as_str() != "path" || tr.operators.len() != 1 {
                                return None;
                            }
                            match tr.operators[0].value() {
                                TraversalOperator::GetAttr(a) if a.value().as_str() == "module" => {
                                    out.push_str(path_module);
                                }
                                TraversalOperator::GetAttr(a)
                                    if a.value().as_str() == "root"
                                        || a.value().as_str() == "cwd" =>
                                {
                                    out.push('.');
                                }
                                _ => return None,
                            }
                        }
                        _ => return None,
                    },
                    Element::Directive(_) => return None,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_dots_and_folds_parents() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("./impl.py")), PathBuf::from("impl.py"));
        assert_eq!(normalize(Path::new("../x/./y")), PathBuf::from("../x/y"));
        assert_eq!(normalize(Path::new(".")), PathBuf::from("."));
        assert_eq!(
            normalize(Path::new("/r/./m/../i.py")),
            PathBuf::from("/r/i.py")
        );
    }

    #[cfg(unix)]
    #[test]
    fn files_under_an_open_directory_are_named_relative_to_it() {
        let d = OpenDir {
            path: PathBuf::from("/m/dir/"),
            fd: None,
        };
        let rel = |p: &str| d.relative(Path::new(p)).map(Path::to_path_buf);
        assert_eq!(rel("/m/dir/a.tf"), Some(PathBuf::from("a.tf")));
        assert_eq!(
            rel("/m/dir/./impls/x.py"),
            Some(PathBuf::from("impls/x.py"))
        );
        // Not under it, or not a file name under it: opened by full path.
        assert_eq!(rel("/m/dirx/a.tf"), None);
        assert_eq!(rel("/m/other/a.tf"), None);
        assert_eq!(rel("/m/dir"), None);
        assert_eq!(rel("/m/dir//a.tf"), None);
        // The current directory, as `.` or empty: every relative path.
        for cwd in [".", ""] {
            let d = OpenDir {
                path: PathBuf::from(cwd),
                fd: None,
            };
            let rel = |p: &str| d.relative(Path::new(p)).map(Path::to_path_buf);
            assert_eq!(rel("a.tf"), Some(PathBuf::from("a.tf")));
            assert_eq!(rel("./impls/x.py"), Some(PathBuf::from("impls/x.py")));
            assert_eq!(rel("../up.py"), Some(PathBuf::from("../up.py")));
            assert_eq!(rel("/abs/a.tf"), None);
        }
    }

    #[test]
    fn reading_through_an_open_directory_gives_the_same_outcomes() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("m");
        std::fs::create_dir_all(dir.join("impls")).expect("write fixture");
        std::fs::write(dir.join("a.tf"), "x = 1\n").expect("write fixture");
        std::fs::write(dir.join("impls/i.py"), "pass\n").expect("write fixture");
        std::fs::write(tmp.path().join("outside.py"), "out\n").expect("write fixture");
        let open = OpenDir::new(&dir);
        let text = |o: ReadOutcome| match o {
            ReadOutcome::Text(t) => Ok(t.as_str().to_owned()),
            ReadOutcome::BadUtf8(..) => Err("bad utf-8".to_owned()),
            ReadOutcome::Failed(m) => Err(m),
        };
        for p in [
            dir.join("a.tf"),
            normalize(&dir.join("./impls/i.py")),
            normalize(&dir.join("../outside.py")),
            dir.join("missing.tf"),
            dir.join("impls"),
        ] {
            assert_eq!(
                text(read_text_in(Some(&open), &p)),
                text(read_text(&p)),
                "{}",
                p.display()
            );
        }
        assert_eq!(
            text(read_text_in(Some(&open), &dir.join("a.tf"))).expect("a.tf reads"),
            "x = 1\n"
        );
    }

    /// Modules in which `file()` / `templatefile()` calls sit at every
    /// level, in every kind of expression the read-ahead walk enters (and
    /// some it does not).
    const FILE_CALL_MODULES: [&str; 5] = [
        "locals {\n  a = file(\"${path.module}/a.py\")\n  b = 1\n}\n\nresource \"x\" \"y\" {\n  n = 2\n}\n\nresource \"sym_flow\" \"f\" {\n  implementation = file(\"${path.module}/impls/f.py\")\n  params {\n    prompt_field {\n      on_change = file(\"./c.py\")\n    }\n  }\n}\n",
        "x = [file(\"a\"), { k = templatefile(\"t.tpl\", {}) }]\ny = true ? file(\"b\") : (file(\"c\"))\nz = \"${file(\"d\")}\"\nw = lower(file(\"e\"))\n",
        "a = 1\nb = 2\n",
        "v = provider::p::file(\"no\")\nw = foo.file\nf = file(var.x)\n",
        "resource \"a\" \"b\" {\n  for_each = { for k in [file(\"f\")] : k => k }\n}\nx = file(\"${path.root}/g\")\n",
    ];

    #[test]
    fn file_calls_noted_while_parsing_find_what_a_whole_walk_finds() {
        for text in FILE_CALL_MODULES {
            let (body, calls) =
                crate::hcl::parser::parse_body_noting_file_calls(text).expect("parses");
            let mut whole = Vec::new();
            prefetch_body(&body, ".", &mut whole);
            let mut noted = Vec::new();
            for s in calls.iter().filter_map(|&i| body.structures.get(i)) {
                prefetch_structure(s, ".", &mut noted);
            }
            assert_eq!(noted, whole, "{text}");
        }
    }

    #[test]
    fn lists_by_index_merge_in_order_with_gaps() {
        let lists = vec![
            vec![(0, 'a'), (2, 'c'), (5, 'f')],
            vec![(1, 'b'), (4, 'e')],
            vec![],
        ];
        let merged: Vec<Option<char>> = by_index(lists, 7).collect();
        assert_eq!(
            merged,
            [
                Some('a'),
                Some('b'),
                Some('c'),
                None,
                Some('e'),
                Some('f'),
                None
            ]
        );
        assert_eq!(by_index(Vec::<Vec<(usize, u8)>>::new(), 2).count(), 2);
    }

    #[test]
    fn joining_without_the_leading_dots_is_the_same() {
        for base in ["/r/m", "m", ".", "", "/", "/r/m/", "r/./m", "../m", "/r//m"] {
            for rel in [
                "./impls/x.py",
                "impls/x.py",
                "impls//x.py",
                "impls/./x.py",
                "impls/../x.py",
                "impls/x.py/",
                "a-b/c d/e.py",
                "././x.py",
                ".//x.py",
                "x.py",
                "../x.py",
                "./../x.py",
                "/abs/x.py",
                ".",
                "./",
                "",
            ] {
                let base = Path::new(base);
                // Compared as bytes: paths compare equal by components, but
                // registered files are looked up by their bytes.
                assert_eq!(
                    join_normalized(base, rel).as_os_str(),
                    normalize(&base.join(rel)).as_os_str(),
                    "{} + {rel}",
                    base.display()
                );
            }
        }
    }

    #[test]
    fn both_normalizations_agree() {
        let segs = ["a", "bb", ".", "..", "", "c.py"];
        let mut n = 0;
        for first in ["", "/", "./", "../"] {
            for x in segs {
                for y in segs {
                    for z in segs {
                        let p = format!("{first}{x}/{y}/{z}");
                        let p = Path::new(&p);
                        assert_eq!(normalize(p), normalize_components(p), "{}", p.display());
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 4 * 6 * 6 * 6);
        assert_eq!(normalize(Path::new("/")), PathBuf::from("/"));
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/../a"));
        assert_eq!(normalize(Path::new("a/../..")), PathBuf::from(".."));
    }

    #[test]
    fn terraform_ignores_hidden_and_backup_files() {
        assert!(ignored_name(".hidden.tf"));
        assert!(ignored_name("main.tf~"));
        assert!(ignored_name("#main.tf#"));
        assert!(!ignored_name("main.tf"));
    }

    #[test]
    fn static_paths_substitute_path_module() {
        let e = crate::hcl::parser::parse_expr(r#""${path.module}/impls/a.py""#).expect("parse");
        assert_eq!(
            static_path(&e, "modules/x"),
            Some("modules/x/impls/a.py".to_owned())
        );
        let e = crate::hcl::parser::parse_expr(r#""${var.dir}/a.py""#).expect("parse");
        assert_eq!(static_path(&e, "."), None);
    }
}
