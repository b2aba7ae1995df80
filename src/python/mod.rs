//! impl.py analysis: parse Python source and extract the facts lint rules
//! and the test runner need (handlers, decorators, imports, undefined names,
//! field and var reads), with byte ranges into the text.
//!
//! # Parser choice
//!
//! We parse with `ruff_python_parser` (pinned, with its `ruff_python_ast`),
//! the parser of the ruff linter:
//! - it accepts current Python (3.12 syntax: PEP 695 type parameters,
//!   PEP 701 f-strings, `match`, `except*`), which Sym users write;
//! - every node carries a byte range, so findings point at `file:line:col`
//!   without a second pass;
//! - it recovers from syntax errors and reports all of them, with ranges;
//! - it grows its own stack on deep nesting (`stacker`), so hostile input
//!   cannot overflow the parser; it is fuzzed upstream;
//! - it is pure Rust and fast (a 60-line impl.py parses in microseconds).
//!
//! The alternatives were weaker on one of these: `rustpython-parser` is
//! unmaintained and stops at Python 3.11 syntax, and `tree-sitter-python`
//! needs a C build, gives a concrete tree we would have to re-interpret,
//! and reports syntax errors as bare `ERROR` nodes without messages.
//!
//! # Guarantees
//!
//! [`analyze`] never panics and never overflows the stack, on any input:
//! null bytes, invalid UTF-8 replacement characters, deep nesting and
//! invalid syntax included. Our own walk stops descending at
//! [`MAX_DEPTH`]; the facts of a truncated walk are flagged
//! ([`PyAnalysis::truncated`]) and the undefined-name analysis, which needs
//! every binding, reports nothing for such a file.

pub mod builtins;
pub mod flows;
pub mod sdk;
#[cfg(test)]
pub(crate) mod testing;
mod walk;

use std::collections::BTreeSet;
use std::ops::Range;

use ruff_python_ast::PythonVersion;
use ruff_python_parser::{Mode, ParseOptions};
use ruff_text_size::TextRange;

pub use sdk::HandlerDecorator;

/// How deep our own AST walk goes before it stops (statements and
/// expressions nested in each other). CPython itself rejects more than 200
/// nested parentheses; real impl.py files nest a few dozen levels at most.
pub const MAX_DEPTH: u32 = 200;

/// Files larger than this are not analysed (Sym implementations are a few
/// kilobytes; a file this large is not an impl.py).
pub const MAX_SOURCE_LEN: usize = 8 * 1024 * 1024;

/// Facts about one Python file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PyAnalysis {
    /// Syntax errors, in source order. When there are any, the other facts
    /// come from the parser's recovered tree and the undefined-name
    /// analysis is skipped.
    pub syntax_errors: Vec<PySyntaxError>,
    /// Every `import` / `from ... import` anywhere in the file, one entry per
    /// imported name, in source order.
    pub imports: Vec<Import>,
    /// Functions defined at module level (including inside module-level
    /// `if` / `try` / `with` blocks), in source order.
    pub functions: Vec<Function>,
    /// Names that are certainly undefined where they are used (would raise
    /// `NameError`), in source order. Empty when that cannot be decided
    /// (star imports, `globals()` tricks, syntax errors, truncated walk).
    pub undefined_names: Vec<NameUse>,
    /// `event.payload.fields["x"]` and `.fields.get("x")` reads with a
    /// literal key (also through a local alias of `event.payload.fields`).
    pub field_reads: Vec<KeyRead>,
    /// `event.flow.vars["y"]` and `.vars.get("y")` reads with a literal key.
    pub var_reads: Vec<KeyRead>,
    /// `from x import *` somewhere in the file.
    pub has_star_import: bool,
    /// Keyword argument names passed to template actions
    /// (`ApprovalTemplate.approve(reason=...)`); the runtime merges them
    /// into the fired event's payload fields.
    pub template_kwargs: BTreeSet<String>,
    /// A template action was called with `**kwargs`: any field may be set.
    pub template_kwargs_dynamic: bool,
    /// Names bound at module level (functions, classes, imports,
    /// assignments, `global` declarations).
    pub module_bindings: NameSet,
    /// The walk stopped at [`MAX_DEPTH`] somewhere: facts may be missing.
    pub truncated: bool,
}

/// A sorted set of names in one buffer (two allocations for the whole
/// set, where a `BTreeSet<String>` makes one per name plus its nodes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameSet {
    text: String,
    /// End offset of each name in `text`, in sorted name order.
    ends: Vec<u32>,
}

impl NameSet {
    /// The set of `names` (any order, duplicates allowed).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut sorted: Vec<&str> = names.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut set = NameSet {
            text: String::with_capacity(sorted.iter().map(|n| n.len()).sum()),
            ends: Vec::with_capacity(sorted.len()),
        };
        for n in sorted {
            set.text.push_str(n);
            set.ends.push(set.text.len() as u32);
        }
        set
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(name) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// The names in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.get(i))
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A syntax error with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PySyntaxError {
    /// Lowercase, no trailing period.
    pub message: String,
    pub range: Range<usize>,
}

/// One imported name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// `a.b` for `import a.b` and `from a.b import c`; empty for `from . import c`.
    pub module: String,
    /// `c` for `from a.b import c`; `None` for `import a.b`.
    pub name: Option<String>,
    /// `d` for `... import c as d`.
    pub alias: Option<String>,
    /// `from a.b import *`.
    pub star: bool,
    /// Inside a `try` statement (body or handlers): an optional import.
    pub in_try: bool,
    /// Relative import level (`from .. import x` is 2).
    pub level: u32,
    /// The imported name (with its `as` part).
    pub range: Range<usize>,
    /// The module path as written.
    pub module_range: Range<usize>,
}

impl Import {
    /// The full dotted path of what is imported: `a.b.c` for
    /// `from a.b import c`, `a.b` for `import a.b`.
    #[must_use]
    pub fn full_path(&self) -> String {
        match &self.name {
            Some(n) if self.module.is_empty() => n.clone(),
            Some(n) => format!("{}.{n}", self.module),
            None => self.module.clone(),
        }
    }
}

/// A module-level function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// The whole `def`, decorators included.
    pub range: Range<usize>,
    pub name_range: Range<usize>,
    pub decorators: Vec<Decorator>,
    /// Parameter names, in order (`*args` / `**kwargs` without stars).
    pub params: Vec<String>,
    pub is_async: bool,
}

impl Function {
    /// The SDK handler decorators on this function.
    pub fn handler_kinds(&self) -> impl Iterator<Item = HandlerDecorator> + '_ {
        self.decorators.iter().filter_map(|d| d.kind)
    }

    #[must_use]
    pub fn has(&self, kind: HandlerDecorator) -> bool {
        self.handler_kinds().any(|k| k == kind)
    }
}

/// One decorator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decorator {
    /// The decorator (or the callee of a call decorator) as dotted text:
    /// `hook`, `annotations.reducer`; empty when it is another expression.
    pub name: String,
    /// The import path the name resolves to, e.g.
    /// `sym.sdk.annotations.hook`, when the first part of `name` is bound
    /// only by imports at module level.
    pub resolved: Option<String>,
    /// The SDK handler decorator this is, if any: resolved through imports,
    /// or a bare `hook` / `reducer` / `prefetch` that nothing binds (a
    /// missing import, reported as an undefined name).
    pub kind: Option<HandlerDecorator>,
    /// Keyword arguments of a call decorator: name, literal string value,
    /// range of the whole `name=value`.
    pub kwargs: Vec<(String, Option<String>, Range<usize>)>,
    /// Positional arguments: literal string value, range.
    pub args: Vec<(Option<String>, Range<usize>)>,
    /// True for `@x(...)`.
    pub is_call: bool,
    /// The decorator expression (without the `@`).
    pub range: Range<usize>,
}

/// A use of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameUse {
    pub name: String,
    pub range: Range<usize>,
}

/// A read of a literal key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRead {
    pub key: String,
    /// The string literal of the key.
    pub range: Range<usize>,
}

pub(crate) fn to_range(r: TextRange) -> Range<usize> {
    r.start().to_usize()..r.end().to_usize()
}

/// Analyse one Python source text. Never panics; see the module docs.
#[must_use]
pub fn analyze(text: &str) -> PyAnalysis {
    if text.len() > MAX_SOURCE_LEN {
        return PyAnalysis {
            syntax_errors: vec![PySyntaxError {
                message: format!(
                    "file is too large to analyze ({} bytes, limit {MAX_SOURCE_LEN})",
                    text.len()
                ),
                range: 0..0,
            }],
            truncated: true,
            ..PyAnalysis::default()
        };
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze_inner(text))) {
        Ok(a) => a,
        // A bug in the parser or in our walk; the panic hook has reported
        // it. Claim nothing about the file rather than guess.
        Err(_) => PyAnalysis {
            truncated: true,
            ..PyAnalysis::default()
        },
    }
}

/// [`analyze`] over many files, spread over the available cores when there
/// is enough text to pay for the threads. Results are in input order.
#[must_use]
pub fn analyze_all(texts: &[&str]) -> Vec<PyAnalysis> {
    const MIN_PARALLEL_BYTES: usize = 256 * 1024;
    let total: usize = texts.iter().map(|t| t.len()).sum();
    let threads = crate::cores().min(8);
    if threads < 2 || total < MIN_PARALLEL_BYTES || texts.len() < 2 {
        return texts.iter().map(|t| analyze(t)).collect();
    }
    let chunk = texts.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                std::thread::Builder::new()
                    .name("symflow-python".to_owned())
                    .spawn_scoped(s, move || {
                        part.iter().map(|t| analyze(t)).collect::<Vec<_>>()
                    })
            })
            .collect();
        let mut out = Vec::with_capacity(texts.len());
        for (h, part) in handles.into_iter().zip(texts.chunks(chunk)) {
            match h.ok().and_then(|h| h.join().ok()) {
                Some(results) => out.extend(results),
                // Could not spawn (resource limits): do it here.
                None => out.extend(part.iter().map(|t| analyze(t))),
            }
        }
        out
    })
}

fn analyze_inner(text: &str) -> PyAnalysis {
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY312);
    let parsed = ruff_python_parser::parse_unchecked(text, options);
    let syntax_errors = parsed
        .errors()
        .iter()
        .map(|e| PySyntaxError {
            message: diagnostic_message(&e.error.to_string()),
            range: to_range(e.location),
        })
        .collect::<Vec<_>>();
    let mut analysis = match parsed.syntax().as_module() {
        Some(module) => walk::walk_module(text, module, !syntax_errors.is_empty()),
        None => PyAnalysis::default(),
    };
    analysis.syntax_errors = syntax_errors;
    drop_deep(parsed, text.len(), analysis.truncated);
    analysis
}

/// Drop a syntax tree that may be deeper than our walk went. Dropping
/// recurses once per nesting level; a tree deeper than [`MAX_DEPTH`] is
/// dropped on a fresh stack sized for the worst case (one level per byte).
fn drop_deep<T>(value: T, text_len: usize, deep: bool) {
    if !deep {
        drop(value);
        return;
    }
    // Generous per-level frame size for `drop_in_place` of boxed nodes.
    const PER_LEVEL: usize = 512;
    let size = text_len.saturating_mul(PER_LEVEL).saturating_add(1 << 20);
    stacker::grow(size, move || drop(value));
}

/// Parser messages read "Expected ':', found newline"; diagnostics start
/// lowercase and have no trailing period.
fn diagnostic_message(raw: &str) -> String {
    let raw = raw.trim().trim_end_matches('.');
    let mut chars = raw.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            let mut s = String::with_capacity(raw.len());
            s.extend(first.to_lowercase());
            s.push_str(&raw[first.len_utf8()..]);
            s
        }
        _ => raw.to_owned(),
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo ("did you mean ...?"). Ties go to the earliest candidate.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let d = strsim::damerau_levenshtein(word, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests;
