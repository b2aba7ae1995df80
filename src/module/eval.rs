//! The evaluator: hcl-edit expressions to [`Value`]s, with known-unknowns.
//!
//! Evaluation never fails: whatever cannot be known (another provider's
//! resource, a `sym_*` id before deploy, a variable without value, an
//! unsupported function, a type error) becomes a [`Value::Unknown`] that says
//! why, and unknowns propagate through operators and functions.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::hcl::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use crate::hcl::structure::{Block, Body as HclBody, Structure};
use crate::hcl::template::{Directive, Element, Template};
use crate::hcl::Span as _;

use super::decls::{span_of, Decls};
use super::files::{read_text, ReadCache, ReadOutcome};
use super::funcs;
use super::model::{Attribute, Body, InstanceKey, LoadOptions, Mode, Module, NestedBlock};
use super::value::{format_number, UnknownReason, Value};
use crate::source::{FileId, SourceMap, Span};

/// Deepest nesting of evaluation (expressions inside expressions, locals
/// referring to locals...) before giving up with an error unknown.
pub(crate) const MAX_EVAL_DEPTH: usize = 400;

/// Most instances one repeated block may expand to (a bigger `count` is a
/// mistake, and expanding it would exhaust memory).
pub(crate) const MAX_INSTANCES: usize = 10_000;
use super::model::MAX_MODULE_INSTANCES;

/// Attributes that are Terraform meta-arguments, not resource attributes.
pub(crate) const META_ATTRIBUTES: &[&str] = &["count", "for_each", "depends_on", "provider"];
/// Blocks that are Terraform meta-arguments.
pub(crate) const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// A copy of memos of loaded modules for a worker, when none holds a
/// module (modules are not copied): `None` otherwise.
fn none_loaded<T>(memos: &[Memo<Option<T>>]) -> Option<Vec<Memo<Option<T>>>> {
    memos
        .iter()
        .map(|c| match c {
            Memo::Done(None) => Some(Memo::Done(None)),
            Memo::Todo => Some(Memo::Todo),
            _ => None,
        })
        .collect()
}

/// The instances of a repeated module, each loaded with its own bindings.
pub(crate) type ModuleInstances = Option<Vec<(InstanceKey, Module)>>;

#[derive(Clone)]
pub(crate) enum Memo<T> {
    Todo,
    Busy,
    Done(T),
}

/// How a repeated block expands.
#[derive(Clone)]
pub(crate) enum Expansion {
    Single,
    Count(u64),
    /// `for_each` keys and values, sorted by key.
    Map(Vec<(String, Value)>),
    Unknown(Value),
}

/// An implementation-like attribute met while evaluating a body.
pub(crate) struct ImplHit {
    pub attribute: String,
    pub expr_is_file_call: Option<Value>,
    pub value: Value,
    pub span: Span,
}

pub(crate) fn err(message: impl Into<String>, span: Option<Span>) -> Value {
    Value::unknown(
        UnknownReason::Error {
            message: message.into(),
        },
        span,
    )
}

/// The first unknown inside any of `values`, as a value.
pub(crate) fn first_unknown<'v>(values: impl IntoIterator<Item = &'v Value>) -> Option<Value> {
    for v in values {
        if let Some(u) = v.unknowns().first() {
            return Some(Value::Unknown(Box::new((*u).clone())));
        }
    }
    None
}

/// Where evaluation reads files from.
pub(crate) enum Store<'s> {
    /// The loading thread: files are read and registered as needed.
    Own {
        sources: &'s mut SourceMap,
        cache: &'s mut ReadCache,
    },
    /// A worker evaluating blocks in parallel: it sees the files registered
    /// or read ahead so far, and logs each file it reads so the loading
    /// thread can register them afterwards, in the order a single thread
    /// would have.
    Shared {
        sources: &'s SourceMap,
        cache: &'s ReadCache,
        /// Files read here that nobody had read before.
        fresh: HashMap<PathBuf, ReadOutcome>,
        log: Vec<LoggedRead>,
        /// Set when evaluation needed what a worker cannot do (register a
        /// template, load a child module): its results are thrown away and
        /// the module is evaluated on one thread.
        blocked: bool,
    },
}

/// A file a worker read, for the loading thread to register.
pub(crate) struct LoggedRead {
    /// Normalized.
    pub path: PathBuf,
    /// What the worker read, when nobody had read it before.
    pub fresh: Option<ReadOutcome>,
}

pub(crate) struct Env<'a, 's> {
    pub decls: &'a Decls<'a>,
    pub store: Store<'s>,
    pub opts: &'s LoadOptions,
    /// Directory relative paths resolve against (the root module's).
    pub root_dir: PathBuf,
    /// What `path.module` evaluates to (`.` for the root).
    pub path_module: String,
    /// `module.a.` for child `a`, empty for the root.
    pub prefix: String,
    pub module_path: Vec<String>,
    /// Canonical directories of the modules being loaded, to stop cycles.
    pub ancestors: Vec<PathBuf>,
    pub read_files: Vec<FileId>,
    pub read_set: rustc_hash::FxHashSet<FileId>,
    pub var_values: Vec<Value>,
    pub locals: Vec<Memo<Value>>,
    pub expansions: Vec<Memo<Expansion>>,
    /// Attributes of `sym_*` instances evaluated for references.
    pub attr_memo: HashMap<(usize, Option<InstanceKey>, String), Memo<Value>>,
    pub children: Vec<Memo<Option<Box<Module>>>>,
    /// The instances of each repeated `module` block, loaded one by one
    /// (`None`: not known, or not repeated).
    pub instance_children: Vec<Memo<ModuleInstances>>,
    /// How each `module` block repeats, evaluated once.
    pub module_expansions: Vec<Memo<Expansion>>,
    /// Load known instances of repeated child modules (`ModuleSite::expand`).
    pub expand: bool,
    pub scope: Vec<(String, Value)>,
    pub file: FileId,
    pub depth: usize,
    pub impl_hits: Vec<ImplHit>,
    pub depth_exceeded: Option<Span>,
    /// The module's own directory (child module sources resolve against it).
    pub dir: PathBuf,
    pub problems: Vec<super::model::Problem>,
    pub provider_version: super::model::ProviderVersion,
    /// Which configuration of the root module each `sym` provider this
    /// module names stands for.
    pub sym_providers: super::build::SymProviders,
}

/// `B::Plus` -> `+`, for messages.
fn op_text(op: BinaryOperator) -> &'static str {
    use BinaryOperator as B;
    match op {
        B::Eq => "==",
        B::NotEq => "!=",
        B::LessEq => "<=",
        B::GreaterEq => ">=",
        B::Less => "<",
        B::Greater => ">",
        B::Plus => "+",
        B::Minus => "-",
        B::Mul => "*",
        B::Div => "/",
        B::Mod => "%",
        B::And => "&&",
        B::Or => "||",
    }
}

impl<'a> Env<'a, '_> {
    pub(crate) fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        span_of(self.file, r)
    }

    /// Run `f` with spans pointing into `file`.
    pub(crate) fn in_file<T>(&mut self, file: FileId, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.file, file);
        let out = f(self);
        self.file = saved;
        out
    }

    /// Run `f` with extra names bound (count, each, for variables...).
    pub(crate) fn with_bindings<T>(
        &mut self,
        bindings: Vec<(String, Value)>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let n = bindings.len();
        self.scope.extend(bindings);
        let out = f(self);
        let keep = self.scope.len().saturating_sub(n);
        self.scope.truncate(keep);
        out
    }

    fn lookup_scope(&self, name: &str) -> Option<&Value> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    pub(crate) fn address(&self, local: &str) -> String {
        [self.prefix.as_str(), local].concat()
    }

    // ------------------------------------------------------------------
    // Expressions

    pub(crate) fn eval(&mut self, e: &'a Expression) -> Value {
        if self.depth >= MAX_EVAL_DEPTH {
            let sp = self.span(e.span());
            self.depth_exceeded.get_or_insert(sp);
            return err(
                format!("expression nested too deeply (more than {MAX_EVAL_DEPTH} levels)"),
                Some(sp),
            );
        }
        self.depth += 1;
        let v = self.eval_inner(e);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, e: &'a Expression) -> Value {
        match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => match n.value().as_f64() {
                Some(f) => Value::Number(f),
                None => err("invalid number", Some(self.span(n.span()))),
            },
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(a) => Value::List(a.iter().map(|x| self.eval(x)).collect()),
            Expression::Object(o) => {
                let mut map = BTreeMap::new();
                for (k, v) in o {
                    let key = match k {
                        ObjectKey::Ident(i) => Value::String(i.value().as_str().to_owned()),
                        ObjectKey::Expression(ke) => {
                            // A bare identifier in parentheses or a traversal is a key expression;
                            // a bare variable name is a literal key, as in Terraform.
                            match ke {
                                Expression::Variable(var) => {
                                    Value::String(var.value().as_str().to_owned())
                                }
                                _ => self.eval(ke),
                            }
                        }
                    };
                    let val = self.eval(v.expr());
                    if let Some(k) = key.to_tf_string() {
                        map.insert(k, val);
                    } else {
                        let sp = self.span(k.span());
                        return match key {
                            Value::Unknown(_) => key,
                            _ => err(
                                format!("object key must be a string, not {}", key.type_name()),
                                Some(sp),
                            ),
                        };
                    }
                }
                Value::Object(map)
            }
            Expression::StringTemplate(t) => match e.only_interpolation() {
                Some(inner) => self.eval(inner),
                None => self.eval_template(t),
            },
            Expression::HeredocTemplate(h) => self.eval_template(&h.template),
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => {
                let name = v.value().as_str();
                if let Some(val) = self.lookup_scope(name) {
                    return val.clone();
                }
                let sp = self.span(v.span());
                err(format!("unknown name `{name}`"), Some(sp))
            }
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr);
                match cond {
                    Value::Bool(true) => self.eval(&c.true_expr),
                    Value::Bool(false) => self.eval(&c.false_expr),
                    Value::Unknown(_) => cond,
                    Value::String(s) if s == "true" => self.eval(&c.true_expr),
                    Value::String(s) if s == "false" => self.eval(&c.false_expr),
                    other => err(
                        format!("condition must be a bool, not {}", other.type_name()),
                        Some(self.span(c.cond_expr.span())),
                    ),
                }
            }
            Expression::FuncCall(f) => self.eval_call(f),
            Expression::Traversal(t) => self.eval_traversal(t),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr);
                let sp = self.span(e.span());
                match (u.operator.value(), v) {
                    (_, v @ Value::Unknown(_)) => v,
                    (UnaryOperator::Neg, v) => match to_number(&v) {
                        Some(n) => Value::Number(-n),
                        None => err(format!("cannot negate a {}", v.type_name()), Some(sp)),
                    },
                    (UnaryOperator::Not, v) => match to_bool(&v) {
                        Some(b) => Value::Bool(!b),
                        None => err(format!("cannot apply `!` to a {}", v.type_name()), Some(sp)),
                    },
                }
            }
            Expression::BinaryOp(b) => {
                let sp = self.span(e.span());
                let op = *b.operator.value();
                let l = self.eval(&b.lhs_expr);
                // Short-circuit known booleans, as Terraform does for unknowns.
                match (op, &l) {
                    (BinaryOperator::And, Value::Bool(false)) => return Value::Bool(false),
                    (BinaryOperator::Or, Value::Bool(true)) => return Value::Bool(true),
                    _ => {}
                }
                let r = self.eval(&b.rhs_expr);
                binary(op, &l, &r, sp)
            }
            Expression::ForExpr(f) => self.eval_for(f),
        }
    }

    fn eval_template(&mut self, t: &'a Template) -> Value {
        let mut out = String::new();
        let mut unknown: Option<Value> = None;
        render_template(self, t, &mut out, &mut unknown, &mut Strip::default());
        if let Some(u) = unknown {
            return u;
        }
        Value::String(out)
    }

    fn eval_for(&mut self, f: &'a ForExpr) -> Value {
        let coll = self.eval(&f.intro.collection_expr);
        let Ok(items) = iter_items(&coll) else {
            return match coll {
                Value::Unknown(_) => coll,
                _ => err(
                    format!("cannot iterate over a {}", coll.type_name()),
                    Some(self.span(f.intro.collection_expr.span())),
                ),
            };
        };
        let vname = f.intro.value_var.value().as_str().to_owned();
        let kname = f
            .intro
            .key_var
            .as_ref()
            .map(|k| k.value().as_str().to_owned());
        let mut list = Vec::new();
        let mut obj: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (k, v) in items {
            let mut b = vec![(vname.clone(), v)];
            if let Some(kn) = &kname {
                b.push((kn.clone(), k));
            }
            let res = self.with_bindings(b, |env| -> Result<(), Value> {
                if let Some(c) = &f.cond {
                    match env.eval(&c.expr) {
                        Value::Bool(true) => {}
                        Value::Bool(false) => return Ok(()),
                        u @ Value::Unknown(_) => return Err(u),
                        other => {
                            return Err(err(
                                format!("`for` condition must be a bool, not {}", other.type_name()),
                                Some(env.span(c.expr.span())),
                            ))
                        }
                    }
                }
                let val = env.eval(&f.value_expr);
                match &f.key_expr {
                    None => list.push(val),
                    Some(ke) => {
                        let key = env.eval(ke);
                        let key = match key {
                            Value::Unknown(_) => return Err(key),
                            other => match other.to_tf_string() {
                                Some(s) => s,
                                None => {
                                    return Err(err(
                                        "`for` key must be a string",
                                        Some(env.span(ke.span())),
                                    ))
                                }
                            },
                        };
                        if f.grouping {
                            groups.entry(key).or_default().push(val);
                        } else {
                            match obj.entry(key) {
                                std::collections::btree_map::Entry::Occupied(o) => {
                                    return Err(err(
                                        format!(
                                            "duplicate key `{}` in `for` expression (use `...` to group)",
                                            o.key()
                                        ),
                                        Some(env.span(ke.span())),
                                    ));
                                }
                                std::collections::btree_map::Entry::Vacant(v) => {
                                    v.insert(val);
                                }
                            }
                        }
                    }
                }
                Ok(())
            });
            if let Err(u) = res {
                return u;
            }
        }
        if f.key_expr.is_none() {
            Value::List(list)
        } else if f.grouping {
            Value::Object(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, Value::List(v)))
                    .collect(),
            )
        } else {
            Value::Object(obj)
        }
    }

    // ------------------------------------------------------------------
    // Function calls

    fn eval_call(&mut self, f: &'a FuncCall) -> Value {
        let sp = self.span(f.span());
        let mut name = f.name.name.value().as_str().to_owned();
        if !f.name.namespace.is_empty() {
            let ns: Vec<&str> = f
                .name
                .namespace
                .iter()
                .map(|i| i.value().as_str())
                .collect();
            if ns == ["provider", "terraform"] || ns == ["core"] {
                // `core::file(...)`: the built-in
            } else {
                name = format!("{}::{name}", ns.join("::"));
                return Value::unknown(
                    UnknownReason::Unsupported {
                        what: format!("{name}()"),
                    },
                    Some(sp),
                );
            }
        }
        let mut args: Vec<Value> = f.args.iter().map(|a| self.eval(a)).collect();
        if f.args.expand_final() {
            match args.pop() {
                Some(Value::List(l)) => args.extend(l),
                Some(u @ Value::Unknown(_)) => return u,
                Some(other) => {
                    return err(
                        format!("cannot expand a {} into arguments", other.type_name()),
                        Some(sp),
                    )
                }
                None => {}
            }
        }
        match name.as_str() {
            "file" => self.fn_file(&args, sp),
            "templatefile" => self.fn_templatefile(&args, sp),
            "fileexists" => match args.as_slice() {
                [Value::String(p)] => {
                    let path = self.resolve(p);
                    Value::Bool(path.is_file())
                }
                [u @ Value::Unknown(_)] => u.clone(),
                _ => err("fileexists() takes one string argument", Some(sp)),
            },
            _ => funcs::call(&name, args, sp),
        }
    }

    /// A path as Terraform resolves it (relative to the root module).
    pub(crate) fn resolve(&self, p: &str) -> PathBuf {
        super::files::join_normalized(&self.root_dir, p)
    }

    /// The files registered so far and the read cache, read-only.
    fn view(&self) -> (&SourceMap, &ReadCache) {
        match &self.store {
            Store::Own { sources, cache } => (sources, cache),
            Store::Shared { sources, cache, .. } => (sources, cache),
        }
    }

    /// The files registered so far.
    pub(crate) fn sources(&self) -> &SourceMap {
        self.view().0
    }

    /// The files registered so far and the read cache, to register more;
    /// `None` on a worker (which then gives up, see [`Store::Shared`]).
    pub(crate) fn own_store(&mut self) -> Option<(&mut SourceMap, &mut ReadCache)> {
        match &mut self.store {
            Store::Own { sources, cache } => Some((&mut **sources, &mut **cache)),
            Store::Shared { blocked, .. } => {
                *blocked = true;
                None
            }
        }
    }

    /// The id of a file already registered under `path` (normalized).
    pub(crate) fn registered_id(&self, path: &Path) -> Option<FileId> {
        match self.view().1.registered.get(path.as_os_str()) {
            Some(Ok(id)) => Some(*id),
            _ => None,
        }
    }

    /// A worker for evaluating blocks in parallel: it starts from what this
    /// environment knows (variables, locals, expansions, child modules) and
    /// reads files through [`Store::Shared`]. `None` when this environment
    /// is itself a worker or holds loaded child modules (not copied).
    pub(crate) fn fork(&self) -> Option<Env<'a, '_>> {
        let Store::Own { sources, cache } = &self.store else {
            return None;
        };
        let children = none_loaded(&self.children)?;
        let instance_children = none_loaded(&self.instance_children)?;
        Some(Env {
            decls: self.decls,
            store: Store::Shared {
                sources,
                cache,
                fresh: HashMap::default(),
                log: Vec::new(),
                blocked: false,
            },
            opts: self.opts,
            root_dir: self.root_dir.clone(),
            path_module: self.path_module.clone(),
            prefix: self.prefix.clone(),
            module_path: self.module_path.clone(),
            ancestors: self.ancestors.clone(),
            read_files: Vec::new(),
            read_set: rustc_hash::FxHashSet::default(),
            var_values: self.var_values.clone(),
            locals: self.locals.clone(),
            expansions: self.expansions.clone(),
            attr_memo: self.attr_memo.clone(),
            children,
            instance_children,
            module_expansions: self.module_expansions.clone(),
            expand: self.expand,
            scope: Vec::new(),
            file: self.file,
            depth: 0,
            impl_hits: Vec::new(),
            depth_exceeded: None,
            dir: self.dir.clone(),
            problems: Vec::new(),
            provider_version: self.provider_version.clone(),
            sym_providers: self.sym_providers.clone(),
        })
    }

    /// The files a worker read since the last call, in order.
    pub(crate) fn take_log(&mut self) -> Vec<LoggedRead> {
        match &mut self.store {
            Store::Shared { log, .. } => std::mem::take(log),
            Store::Own { .. } => Vec::new(),
        }
    }

    /// Register (in order) the files a worker read, as [`Env::read_file`]
    /// would have when reading them here.
    pub(crate) fn replay(&mut self, log: Vec<LoggedRead>) {
        for r in log {
            let Some((sources, cache)) = self.own_store() else {
                return;
            };
            // (Logged paths are normalized: `read_file`, `resolve`.)
            if let Ok(id) = cache.read_normalized(r.path, sources, r.fresh) {
                if self.read_set.insert(id) {
                    self.read_files.push(id);
                }
            }
        }
    }

    /// Whether a worker met something only the loading thread can do.
    pub(crate) fn blocked(&self) -> bool {
        matches!(self.store, Store::Shared { blocked: true, .. })
    }

    /// Read a file through the cache, registering it and recording it.
    pub(crate) fn read_file(&mut self, path: &Path) -> Result<FileId, String> {
        if let Store::Shared { cache, log, .. } = &mut self.store {
            let path = super::files::normalize(path);
            if let Some(Ok(id)) = cache.registered.get(path.as_os_str()) {
                log.push(LoggedRead { path, fresh: None });
                return Ok(*id);
            }
        }
        let Some((sources, cache)) = self.own_store() else {
            return Err("internal: a worker cannot register files".to_owned());
        };
        let res = cache.read(path, sources);
        if let Ok(id) = res {
            if self.read_set.insert(id) {
                self.read_files.push(id);
            }
        }
        res
    }

    /// The text of the file `file(p)` names (as registered: without a
    /// leading BOM) and its path, or the evaluation error saying why it
    /// cannot be read. On a worker the read is logged, not registered.
    fn read_file_arg(&mut self, p: &str, sp: Span) -> Result<(PathBuf, Arc<String>), Value> {
        let path = self.resolve(p);
        let fail = |m: &str| err(format!("cannot read {}: {m}", path.display()), Some(sp));
        match &mut self.store {
            Store::Own { .. } => match self.read_file(&path) {
                Ok(id) => {
                    let f = self.sources().get(id);
                    Ok((f.path.clone(), Arc::clone(&f.text)))
                }
                Err(m) => Err(fail(&m)),
            },
            Store::Shared {
                sources,
                cache,
                fresh,
                log,
                ..
            } => {
                // `path` is normalized (`resolve`). Registered, read ahead or
                // read here for the first time, as `ReadCache::read` would.
                let (text, first_read) = match cache.registered.get(path.as_os_str()) {
                    Some(Ok(id)) => (Ok(Arc::clone(&sources.get(*id).text)), None),
                    Some(Err(m)) => (Err(m.clone()), None),
                    None => {
                        let (outcome, first_read) =
                            if let Some(o) = cache.prefetched.get(path.as_os_str()) {
                                (o.clone(), None)
                            } else {
                                let o = fresh
                                    .entry(path.clone())
                                    .or_insert_with(|| read_text(&path))
                                    .clone();
                                (o.clone(), Some(o))
                            };
                        let text = match outcome {
                            ReadOutcome::Text(t) => Ok(crate::source::without_bom(t)),
                            other => Err(ReadCache::failure(&other)),
                        };
                        (text, first_read)
                    }
                };
                log.push(LoggedRead {
                    path: path.clone(),
                    fresh: first_read,
                });
                match text {
                    Ok(t) => Ok((path, t)),
                    Err(m) => Err(fail(&m)),
                }
            }
        }
    }

    fn fn_file(&mut self, args: &[Value], sp: Span) -> Value {
        match args {
            [Value::String(p)] => match self.read_file_arg(p, sp) {
                Ok((_, text)) => Value::String(String::clone(&text)),
                Err(e) => e,
            },
            [u @ Value::Unknown(_)] => u.clone(),
            [other] => err(
                format!("file() needs a string path, not {}", other.type_name()),
                Some(sp),
            ),
            _ => err("file() takes exactly one argument", Some(sp)),
        }
    }

    fn fn_templatefile(&mut self, args: &[Value], sp: Span) -> Value {
        let (p, vars) = match args {
            [Value::String(p), Value::Object(vars)] => (p, vars.clone()),
            [Value::String(p), Value::Null] => (p, BTreeMap::new()),
            [Value::Unknown(_), _] => return args[0].clone(),
            [_, Value::Unknown(_)] => return args[1].clone(),
            _ => {
                return err(
                    "templatefile() takes a path and an object of variables",
                    Some(sp),
                )
            }
        };
        let path = self.resolve(p);
        let id = match self.read_file(&path) {
            Ok(id) => id,
            Err(m) => return err(format!("cannot read {}: {m}", path.display()), Some(sp)),
        };
        let text = self.sources().get(id).text.clone();
        let template = match crate::hcl::parser::parse_template(&text) {
            Ok(t) => t,
            Err(e) => {
                let at = e.offset().min(text.len());
                return err(
                    format!(
                        "template {} does not parse: {}",
                        path.display(),
                        e.message()
                    ),
                    Some(Span::new(id, at..at)),
                );
            }
        };
        // The template only sees its own variables.
        let bindings: Vec<(String, Value)> = vars.into_iter().collect();
        let saved_scope = std::mem::take(&mut self.scope);
        let result = self.in_file(id, |env| {
            env.with_bindings(bindings, |env| {
                let mut out = String::new();
                let mut unknown = None;
                // The template tree lives only for this call, so it is
                // rendered by the lifetime-free template evaluator.
                render_template_any(env, &template, &mut out, &mut unknown);
                unknown.unwrap_or(Value::String(out))
            })
        });
        self.scope = saved_scope;
        result
    }

    // ------------------------------------------------------------------
    // References

    fn eval_traversal(&mut self, t: &'a Traversal) -> Value {
        let sp = self.span(t.span());
        let ops: Vec<&'a TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let Expression::Variable(root) = &t.expr else {
            let base = self.eval(&t.expr);
            return self.apply_ops(base, &ops, sp);
        };
        let root = root.value().as_str();
        if let Some(v) = self.lookup_scope(root) {
            let v = v.clone();
            return self.apply_ops(v, &ops, sp);
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.value().as_str()),
            _ => None,
        };
        match root {
            "var" => {
                let Some(name) = attr(0) else {
                    return err("`var` must be followed by a variable name", Some(sp));
                };
                let Some(&i) = self.decls.var_idx.get(name) else {
                    return self.undeclared(&format!("variable `var.{name}`"), sp);
                };
                let v = respan_unknown(self.var_values[i].clone(), sp);
                self.apply_ops(v, &ops[1..], sp)
            }
            "local" => {
                let Some(name) = attr(0) else {
                    return err("`local` must be followed by a local value name", Some(sp));
                };
                let v = self.local_value(name, sp);
                self.apply_ops(v, &ops[1..], sp)
            }
            "path" => {
                let v = match attr(0) {
                    Some("module") => Value::String(self.path_module.clone()),
                    Some("root" | "cwd") => Value::String(".".to_owned()),
                    _ => return err("unknown `path` attribute", Some(sp)),
                };
                self.apply_ops(v, &ops[1..], sp)
            }
            "terraform" => match attr(0) {
                Some("workspace") => Value::String("default".to_owned()),
                _ => Value::unknown(
                    UnknownReason::Unsupported {
                        what: "terraform.*".to_owned(),
                    },
                    Some(sp),
                ),
            },
            "count" | "each" => err(
                format!(
                    "`{root}` is only available in blocks that set `{}`",
                    if root == "count" { "count" } else { "for_each" }
                ),
                Some(sp),
            ),
            "self" => Value::unknown(
                UnknownReason::Unsupported {
                    what: "self".to_owned(),
                },
                Some(sp),
            ),
            "data" => {
                let (Some(rtype), Some(name)) = (attr(0), attr(1)) else {
                    return err("`data` must be followed by a type and a name", Some(sp));
                };
                self.resource_ref(Mode::Data, rtype, name, &ops[2..], sp)
            }
            "module" => {
                let Some(name) = attr(0) else {
                    return err("`module` must be followed by a module name", Some(sp));
                };
                let v = self.module_value(name, sp);
                let v = self.apply_ops(v, &ops[1..], sp);
                respan_unknown(v, sp)
            }
            rtype => {
                let Some(name) = attr(0) else {
                    return err(format!("unknown name `{rtype}`"), Some(sp));
                };
                self.resource_ref(Mode::Managed, rtype, name, &ops[1..], sp)
            }
        }
    }

    /// The value of a reference to `what`, which nothing declares: an error,
    /// or unknown when a file of the module does not parse (it may be
    /// declared there; the syntax error is what gets reported).
    fn undeclared(&self, what: &str, sp: Span) -> Value {
        if self.decls.incomplete {
            Value::unknown(
                UnknownReason::Unsupported {
                    what: format!("{what}, which may be declared in a file that does not parse"),
                },
                Some(sp),
            )
        } else {
            err(format!("undeclared {what}"), Some(sp))
        }
    }

    pub(crate) fn local_value(&mut self, name: &str, sp: Span) -> Value {
        let Some(&i) = self.decls.local_idx.get(name) else {
            return self.undeclared(&format!("local value `local.{name}`"), sp);
        };
        match &self.locals[i] {
            Memo::Done(v) => return v.clone(),
            Memo::Busy => {
                return err(
                    format!("`local.{name}` refers to itself (a cycle)"),
                    Some(sp),
                );
            }
            Memo::Todo => {}
        }
        self.locals[i] = Memo::Busy;
        let decl = &self.decls.locals[i];
        let (expr, file) = (&decl.attr.value, decl.file);
        // Locals see no `count`/`each`/`for` bindings of the referrer.
        let saved = std::mem::take(&mut self.scope);
        let v = self.in_file(file, |env| env.eval(expr));
        self.scope = saved;
        self.locals[i] = Memo::Done(v.clone());
        v
    }

    fn module_value(&mut self, name: &str, sp: Span) -> Value {
        let Some(&i) = self.decls.mod_idx.get(name) else {
            return self.undeclared(&format!("module `module.{name}`"), sp);
        };
        let address = self.address(&format!("module.{name}"));
        // Its own arguments (of the module or of one instance) are being
        // evaluated: a cycle, as Terraform reports it.
        if matches!(self.children[i], Memo::Busy) || matches!(self.instance_children[i], Memo::Busy)
        {
            return err(
                format!(
                    "`{address}` refers to itself: a module's arguments cannot use its outputs"
                ),
                Some(sp),
            );
        }
        // A repeated module's value is its instances: a list (`count`) or a
        // map (`for_each`) of their outputs, when they are known.
        if let Some(u) = self.module_instances_unknown(i) {
            match self.module_expansion(i) {
                Expansion::Count(0) => return Value::List(Vec::new()),
                Expansion::Map(m) if m.is_empty() => return Value::Object(BTreeMap::new()),
                _ => {}
            }
            let Some(instances) = self.module_instances(i) else {
                return respan_unknown(u, sp);
            };
            let outputs = |m: &Module| outputs_value(m, &address, sp);
            return match instances.first() {
                Some((InstanceKey::Index(_), _)) => {
                    Value::List(instances.iter().map(|(_, m)| outputs(m)).collect())
                }
                _ => Value::Object(
                    instances
                        .iter()
                        .map(|(k, m)| match k {
                            InstanceKey::Key(k) => (k.clone(), outputs(m)),
                            InstanceKey::Index(i) => (i.to_string(), outputs(m)),
                        })
                        .collect(),
                ),
            };
        }
        match self.child(i) {
            Some(m) => outputs_value(m, &address, sp),
            None => Value::unknown(UnknownReason::External { address }, Some(sp)),
        }
    }

    /// The `for_each` (or else `count`) argument of `module` block `i`.
    pub(crate) fn module_repetition(
        &self,
        i: usize,
    ) -> Option<&'a crate::hcl::structure::Attribute> {
        let body = &self.decls.modules[i].block.body;
        body.get_attribute("count")
            .or_else(|| body.get_attribute("for_each"))
    }

    /// For a `module` block with `count` or `for_each`: the unknown that
    /// stands for anything that differs between its instances (they are
    /// not expanded: the module is loaded once, for all of them).
    pub(crate) fn module_instances_unknown(&self, i: usize) -> Option<Value> {
        let m = &self.decls.modules[i];
        let a = self.module_repetition(i)?;
        Some(Value::unknown(
            UnknownReason::Unsupported {
                what: format!(
                    "the instances of {} (a module with {} is loaded once, for all of them)",
                    self.address(&format!("module.{}", m.name)),
                    a.key.value().as_str()
                ),
            },
            Some(span_of(m.file, a.span())),
        ))
    }

    /// Whether the `module` block `i` has no instances at all: a known
    /// `count = 0`, or a known empty `for_each`. Its module is still loaded
    /// and checked (as `terraform validate` checks it), but it declares no
    /// entities.
    pub(crate) fn module_has_no_instances(&mut self, i: usize) -> bool {
        match self.module_expansion(i) {
            Expansion::Count(n) => n == 0,
            Expansion::Map(m) => m.is_empty(),
            Expansion::Single | Expansion::Unknown(_) => false,
        }
    }

    /// Load (once) each instance of the repeated local module `i`, with its
    /// own `each` / `count.index`; `None` when the instances are not known
    /// (or the module is remote, missing, or being loaded).
    pub(crate) fn module_instances(&mut self, i: usize) -> Option<&[(InstanceKey, Module)]> {
        if matches!(self.instance_children[i], Memo::Todo) {
            self.own_store()?;
            self.instance_children[i] = Memo::Busy;
            let expansion = self.module_expansion(i);
            let keys = instance_keys(&expansion);
            let within_cap = {
                let (_, cache) = self.own_store()?;
                let total = cache.module_instances + keys.len();
                let ok = total <= MAX_MODULE_INSTANCES;
                if ok {
                    cache.module_instances = total;
                }
                ok
            };
            let loaded = if keys.is_empty() || !within_cap || self.child(i).is_none() {
                None
            } else {
                Some(
                    keys.into_iter()
                        .filter_map(|k| {
                            super::build::load_child(self, i, Some((&k, &expansion)))
                                .map(|m| (k, m))
                        })
                        .collect(),
                )
            };
            self.instance_children[i] = Memo::Done(loaded);
        }
        match &self.instance_children[i] {
            Memo::Done(Some(v)) => Some(v),
            _ => None,
        }
    }

    /// Load (once) the local child module `i`; `None` when it is remote,
    /// missing or being loaded (a cycle).
    pub(crate) fn child(&mut self, i: usize) -> Option<&Module> {
        if matches!(self.children[i], Memo::Todo) {
            // A worker cannot load a module: it gives up (see `Store`).
            self.own_store()?;
            self.children[i] = Memo::Busy;
            let loaded = super::build::load_child(self, i, None);
            self.children[i] = Memo::Done(loaded.map(Box::new));
        }
        match &self.children[i] {
            Memo::Done(Some(m)) => Some(m),
            _ => None,
        }
    }

    fn resource_ref(
        &mut self,
        mode: Mode,
        rtype: &str,
        name: &str,
        ops: &[&'a TraversalOperator],
        sp: Span,
    ) -> Value {
        let Some(&idx) = self.decls.res_idx.get(&(mode, rtype, name)) else {
            let what = if mode == Mode::Managed {
                "resource"
            } else {
                "data source"
            };
            let local_addr = super::decls::local_address(mode, rtype, name);
            return self.undeclared(&format!("{what} `{local_addr}`"), sp);
        };
        if !rtype.starts_with("sym_") {
            return Value::unknown(
                UnknownReason::External {
                    address: self.decls.resources[idx].address(&self.prefix),
                },
                Some(sp),
            );
        }
        let expansion = self.expansion(idx);
        match expansion {
            Expansion::Single => self.instance_ref(idx, None, ops, sp),
            Expansion::Unknown(u) => respan_unknown(u, sp),
            Expansion::Count(n) => {
                // `sym_target.g[0]` picks one instance.
                if let Some((key, rest)) = self.static_key(ops) {
                    let i = match key {
                        Value::Number(f) if f >= 0.0 && f.fract() == 0.0 => f as u64,
                        Value::String(s) => match s.parse::<u64>() {
                            Ok(i) => i,
                            Err(_) => return err("a `count` index must be a number", Some(sp)),
                        },
                        u @ Value::Unknown(_) => return u,
                        _ => return err("a `count` index must be a whole number", Some(sp)),
                    };
                    if i >= n {
                        return err(
                            format!(
                                "index {i} is out of range for `{}` (count = {n})",
                                self.decls.resources[idx].address("")
                            ),
                            Some(sp),
                        );
                    }
                    let k = Some(InstanceKey::Index(i));
                    return self.instance_ref(idx, k.as_ref(), rest, sp);
                }
                let list = (0..n)
                    .map(|i| self.instance_value(idx, Some(&InstanceKey::Index(i)), sp))
                    .collect();
                self.apply_ops(Value::List(list), ops, sp)
            }
            Expansion::Map(entries) => {
                if let Some((key, rest)) = self.static_key(ops) {
                    let k = match key {
                        u @ Value::Unknown(_) => return u,
                        other => match other.to_tf_string() {
                            Some(s) => s,
                            None => return err("a `for_each` key must be a string", Some(sp)),
                        },
                    };
                    if !entries.iter().any(|(ek, _)| *ek == k) {
                        return err(
                            format!(
                                "`{}` has no instance with key \"{k}\"",
                                self.decls.resources[idx].address("")
                            ),
                            Some(sp),
                        );
                    }
                    let k = Some(InstanceKey::Key(k));
                    return self.instance_ref(idx, k.as_ref(), rest, sp);
                }
                let obj = entries
                    .iter()
                    .map(|(k, _)| {
                        (
                            k.clone(),
                            self.instance_value(idx, Some(&InstanceKey::Key(k.clone())), sp),
                        )
                    })
                    .collect();
                self.apply_ops(Value::Object(obj), ops, sp)
            }
        }
    }

    /// The index operator right after a resource name, evaluated.
    fn static_key<'o>(
        &mut self,
        ops: &'o [&'a TraversalOperator],
    ) -> Option<(Value, &'o [&'a TraversalOperator])> {
        match ops.first() {
            Some(TraversalOperator::Index(e)) => {
                let v = self.eval(e);
                Some((v, &ops[1..]))
            }
            Some(TraversalOperator::LegacyIndex(i)) => {
                Some((Value::Number(*i.value() as f64), &ops[1..]))
            }
            _ => None,
        }
    }

    /// A reference into one `sym_*` instance. `.id` needs no evaluation;
    /// another attribute evaluates only that attribute (configured ones are
    /// known, others are sym-unknowns); the whole object evaluates all.
    fn instance_ref(
        &mut self,
        idx: usize,
        key: Option<&InstanceKey>,
        ops: &[&'a TraversalOperator],
        sp: Span,
    ) -> Value {
        if let Some(TraversalOperator::GetAttr(a)) = ops.first() {
            let attr = a.value().as_str();
            let v = if attr == "id" {
                self.instance_id(idx, key, sp)
            } else {
                self.instance_attr(idx, key, attr, sp)
            };
            return self.apply_ops(respan_unknown(v, sp), &ops[1..], sp);
        }
        let inst = self.instance_value(idx, key, sp);
        self.apply_ops(inst, ops, sp)
    }

    /// `<instance>.id`: known when deploy says so, else a sym-unknown.
    fn instance_id(&self, idx: usize, key: Option<&InstanceKey>, sp: Span) -> Value {
        let address = self.instance_address(idx, key);
        match self.opts.known_ids.get(&address) {
            Some(id) => Value::String(id.clone()),
            None => Value::unknown(
                UnknownReason::SymAttribute {
                    address,
                    attribute: "id".to_owned(),
                },
                Some(sp),
            ),
        }
    }

    /// One attribute of one instance, evaluated once.
    fn instance_attr(
        &mut self,
        idx: usize,
        key: Option<&InstanceKey>,
        attr: &str,
        sp: Span,
    ) -> Value {
        let d = &self.decls.resources[idx];
        let (block, file) = (d.block, d.file);
        let configured = block
            .body
            .get_attribute(attr)
            .filter(|_| !META_ATTRIBUTES.contains(&attr));
        let Some(a) = configured else {
            return Value::unknown(
                UnknownReason::SymAttribute {
                    address: self.instance_address(idx, key),
                    attribute: attr.to_owned(),
                },
                Some(sp),
            );
        };
        let memo_key = (idx, key.cloned(), attr.to_owned());
        match self.attr_memo.get(&memo_key) {
            Some(Memo::Done(v)) => return v.clone(),
            Some(Memo::Busy) => {
                return err(
                    format!(
                        "`{}.{attr}` refers to itself",
                        self.instance_address(idx, key)
                    ),
                    Some(sp),
                )
            }
            _ => {}
        }
        self.attr_memo.insert(memo_key.clone(), Memo::Busy);
        let bindings = self.instance_bindings(idx, key);
        let saved = std::mem::take(&mut self.scope);
        let v = self.in_file(file, |env| {
            env.with_bindings(bindings, |env| env.eval(&a.value))
        });
        self.scope = saved;
        self.attr_memo.insert(memo_key, Memo::Done(v.clone()));
        v
    }

    pub(crate) fn instance_address(&self, idx: usize, key: Option<&InstanceKey>) -> String {
        let base = self.decls.resources[idx].address(&self.prefix);
        match key {
            None => base,
            Some(k) => base + &key_suffix(k),
        }
    }

    /// How block `idx` expands (`count` / `for_each`), evaluated once.
    pub(crate) fn expansion(&mut self, idx: usize) -> Expansion {
        match &self.expansions[idx] {
            Memo::Done(e) => return e.clone(),
            Memo::Busy => {
                let d = &self.decls.resources[idx];
                return Expansion::Unknown(err(
                    format!(
                        "the `count` or `for_each` of `{}` refers to itself",
                        d.address("")
                    ),
                    None,
                ));
            }
            Memo::Todo => {}
        }
        self.expansions[idx] = Memo::Busy;
        let d = &self.decls.resources[idx];
        let e = self.repetition(d.count, d.for_each, d.file);
        self.expansions[idx] = Memo::Done(e.clone());
        e
    }

    /// How the `module` block `i` expands: `Single` without `count` or
    /// `for_each`.
    pub(crate) fn module_expansion(&mut self, i: usize) -> Expansion {
        match &self.module_expansions[i] {
            Memo::Done(e) => return e.clone(),
            Memo::Busy => {
                return Expansion::Unknown(err(
                    format!(
                        "the `count` or `for_each` of `module.{}` refers to itself",
                        self.decls.modules[i].name
                    ),
                    None,
                ))
            }
            Memo::Todo => {}
        }
        self.module_expansions[i] = Memo::Busy;
        let m = &self.decls.modules[i];
        let body = &m.block.body;
        let e = self.repetition(
            body.get_attribute("count"),
            body.get_attribute("for_each"),
            m.file,
        );
        self.module_expansions[i] = Memo::Done(e.clone());
        e
    }

    /// The instances a `count` or `for_each` argument (of a block in
    /// `file`) makes, evaluated outside any instance.
    fn repetition(
        &mut self,
        count: Option<&'a crate::hcl::structure::Attribute>,
        for_each: Option<&'a crate::hcl::structure::Attribute>,
        file: FileId,
    ) -> Expansion {
        let saved = std::mem::take(&mut self.scope);
        let e = self.in_file(file, |env| {
            if let (Some(_), Some(f)) = (count, for_each) {
                // Terraform refuses the pair: which would say how many?
                Expansion::Unknown(err(
                    "`count` and `for_each` cannot be used together: keep one",
                    Some(env.span(f.key.span())),
                ))
            } else if let Some(c) = count {
                let sp = env.span(c.value.span());
                match env.eval(&c.value) {
                    u @ Value::Unknown(_) => Expansion::Unknown(u),
                    v => match to_number(&v) {
                        Some(n) if n > MAX_INSTANCES as f64 => Expansion::Unknown(err(
                            format!("`count` is too large (more than {MAX_INSTANCES} instances)"),
                            Some(sp),
                        )),
                        Some(n) if n >= 0.0 && n.fract() == 0.0 => Expansion::Count(n as u64),
                        _ => Expansion::Unknown(err(
                            "`count` must be a whole, non-negative number",
                            Some(sp),
                        )),
                    },
                }
            } else if let Some(f) = for_each {
                let sp = env.span(f.value.span());
                match env.eval(&f.value) {
                    u @ Value::Unknown(_) => Expansion::Unknown(u),
                    Value::Object(o) if o.len() > MAX_INSTANCES => Expansion::Unknown(err(
                        format!("`for_each` is too large (more than {MAX_INSTANCES} instances)"),
                        Some(sp),
                    )),
                    Value::Object(o) => Expansion::Map(o.into_iter().collect()),
                    Value::List(l) => {
                        let mut out = Vec::new();
                        for v in l {
                            match v {
                                Value::String(s) => out.push((s.clone(), Value::String(s))),
                                u @ Value::Unknown(_) => return Expansion::Unknown(u),
                                _ => {
                                    return Expansion::Unknown(err(
                                        "`for_each` needs a map or a set of strings",
                                        Some(sp),
                                    ))
                                }
                            }
                        }
                        out.sort_by(|a, b| a.0.cmp(&b.0));
                        out.dedup_by(|a, b| a.0 == b.0);
                        if out.len() > MAX_INSTANCES {
                            return Expansion::Unknown(err(
                                format!(
                                    "`for_each` is too large (more than {MAX_INSTANCES} instances)"
                                ),
                                Some(sp),
                            ));
                        }
                        Expansion::Map(out)
                    }
                    other => Expansion::Unknown(err(
                        match other {
                            Value::Null => {
                                "`for_each` needs a map or a set of strings, not null".to_owned()
                            }
                            _ => format!(
                                "`for_each` needs a map or a set of strings, not a {}",
                                other.type_name()
                            ),
                        },
                        Some(sp),
                    )),
                }
            } else {
                Expansion::Single
            }
        });
        self.scope = saved;
        e
    }

    /// The bindings (`count`, `each`) of one instance.
    pub(crate) fn instance_bindings(
        &mut self,
        idx: usize,
        key: Option<&InstanceKey>,
    ) -> Vec<(String, Value)> {
        match key {
            None => {
                // A block whose `count` / `for_each` is unknown stands for
                // all its instances: `count.index` / `each.*` are unknown too.
                let Expansion::Unknown(u) = self.expansion(idx) else {
                    return Vec::new();
                };
                let d = &self.decls.resources[idx];
                if d.count.is_some() {
                    vec![unknown_count(u)]
                } else {
                    vec![unknown_each(u)]
                }
            }
            Some(key) => {
                let expansion = self.expansion(idx);
                vec![instance_binding(key, &expansion)]
            }
        }
    }

    /// The configured attributes of one `sym_*` instance plus its `id`.
    fn instance_value(&mut self, idx: usize, key: Option<&InstanceKey>, sp: Span) -> Value {
        let block = self.decls.resources[idx].block;
        let mut obj = BTreeMap::new();
        for a in block.body.attributes() {
            let name = a.key.value().as_str();
            if META_ATTRIBUTES.contains(&name) {
                continue;
            }
            let v = self.instance_attr(idx, key, name, sp);
            obj.insert(name.to_owned(), v);
        }
        obj.insert("id".to_owned(), self.instance_id(idx, key, sp));
        Value::Object(obj)
    }

    /// Apply traversal operators (attributes, indexes, splats) to a value.
    pub(crate) fn apply_ops(
        &mut self,
        mut v: Value,
        ops: &[&'a TraversalOperator],
        sp: Span,
    ) -> Value {
        let mut i = 0;
        while i < ops.len() {
            if let Value::Unknown(_) = v {
                return v;
            }
            match ops[i] {
                TraversalOperator::GetAttr(a) => {
                    let name = a.value().as_str();
                    v = match v {
                        Value::Object(mut o) => match o.remove(name) {
                            Some(x) => x,
                            None => {
                                return err(format!("object has no attribute `{name}`"), Some(sp))
                            }
                        },
                        Value::Null => {
                            return err(format!("cannot read attribute `{name}` of null"), Some(sp))
                        }
                        other => {
                            return err(
                                format!(
                                    "cannot read attribute `{name}` of a {}",
                                    other.type_name()
                                ),
                                Some(sp),
                            )
                        }
                    };
                }
                TraversalOperator::Index(e) => {
                    let k = self.eval(e);
                    v = index(v, &k, sp);
                }
                TraversalOperator::LegacyIndex(n) => {
                    v = index(v, &Value::Number(*n.value() as f64), sp);
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let full = matches!(ops[i], TraversalOperator::FullSplat(_));
                    let rest = &ops[i + 1..];
                    let n = if full {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|o| matches!(o, TraversalOperator::GetAttr(_)))
                            .count()
                    };
                    let sub = &rest[..n];
                    let items = match v {
                        Value::List(l) => l,
                        Value::Null => Vec::new(),
                        other => vec![other],
                    };
                    v = Value::List(
                        items
                            .into_iter()
                            .map(|x| self.apply_ops(x, sub, sp))
                            .collect(),
                    );
                    i += 1 + n;
                    continue;
                }
            }
            i += 1;
        }
        v
    }

    // ------------------------------------------------------------------
    // Bodies

    /// Evaluate a block body into the model's [`Body`], expanding `dynamic`
    /// blocks. `skip_meta` drops Terraform meta-arguments.
    pub(crate) fn eval_body(&mut self, body: &'a HclBody, skip_meta: bool, path: &str) -> Body {
        // Sized up front: bodies are many and small, and growing them
        // one push at a time reallocates (and touches fresh memory).
        let blocks = body
            .iter()
            .filter(|s| matches!(s, Structure::Block(_)))
            .count();
        let mut out = Body {
            attributes: Vec::with_capacity(body.len() - blocks),
            blocks: Vec::with_capacity(blocks),
        };
        for s in body {
            match s {
                Structure::Attribute(a) => {
                    let name = a.key.value().as_str();
                    if skip_meta && META_ATTRIBUTES.contains(&name) {
                        continue;
                    }
                    let is_code = name == "implementation" || name == "on_change";
                    // `file(...)` in a code attribute: its argument (evaluated
                    // once) says which file holds the code.
                    let file_call = match a.value.interpolated() {
                        Expression::FuncCall(f)
                            if is_code
                                && f.name.namespace.is_empty()
                                && f.name.name.value().as_str() == "file" =>
                        {
                            Some(f)
                        }
                        _ => None,
                    };
                    let file_arg =
                        file_call.map(|f| f.args.get(0).map_or(Value::Null, |x| self.eval(x)));
                    let value = match (&file_arg, file_call) {
                        (Some(Value::String(p)), Some(f))
                            if self.opts.skip_implementation_text && f.args.len() == 1 =>
                        {
                            let sp = self.span(a.value.span());
                            self.file_text_left_out(p, sp)
                        }
                        _ => self.eval(&a.value),
                    };
                    let span = self.span(a.span());
                    if is_code {
                        self.impl_hits.push(ImplHit {
                            attribute: if path.is_empty() {
                                name.to_owned()
                            } else {
                                [path, ".", name].concat()
                            },
                            // Inline code or a path: the value decides; for
                            // `file(...)` the argument does (no copy of the text).
                            value: if file_arg.is_some() {
                                Value::Null
                            } else {
                                value.clone()
                            },
                            expr_is_file_call: file_arg,
                            span: self.span(a.value.span()),
                        });
                    }
                    out.attributes.push(Attribute {
                        name: name.to_owned(),
                        span,
                        name_span: self.span(a.key.span()),
                        expr_span: self.span(a.value.span()),
                        value,
                    });
                }
                Structure::Block(b) => {
                    let kind = b.ident.value().as_str();
                    if skip_meta && META_BLOCKS.contains(&kind) {
                        continue;
                    }
                    if kind == "dynamic" {
                        self.eval_dynamic(b, path, &mut out);
                        continue;
                    }
                    let sub = if path.is_empty() {
                        kind.to_owned()
                    } else {
                        [path, ".", kind].concat()
                    };
                    let inner = self.eval_body(&b.body, false, &sub);
                    out.blocks.push(NestedBlock {
                        kind: kind.to_owned(),
                        labels: b.labels.iter().map(|l| l.as_str().to_owned()).collect(),
                        span: self.span(b.span()),
                        kind_span: self.span(b.ident.span()),
                        body: inner,
                        dynamic: false,
                        dynamic_unknown: false,
                    });
                }
            }
        }
        out
    }

    /// With [`LoadOptions::skip_implementation_text`], the value of
    /// `file("<p>")` in an implementation attribute: the file is read and
    /// registered as `file()` would, its text stays out of the value.
    fn file_text_left_out(&mut self, p: &str, sp: Span) -> Value {
        match self.read_file_arg(p, sp) {
            Ok((path, _)) => Value::unknown(
                UnknownReason::Unsupported {
                    what: format!("the text of {} (not kept when validating)", path.display()),
                },
                Some(sp),
            ),
            Err(e) => e,
        }
    }

    fn eval_dynamic(&mut self, b: &'a Block, path: &str, out: &mut Body) {
        let Some(label) = b.labels.first() else {
            return;
        };
        let kind = label.as_str().to_owned();
        let kind_span = self.span(label.span());
        let span = self.span(b.span());
        let iterator = b
            .body
            .get_attribute("iterator")
            .and_then(|a| match &a.value {
                Expression::Variable(v) => Some(v.value().as_str().to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| kind.clone());
        let content = b.body.get_blocks("content").next();
        let sub = if path.is_empty() {
            kind.clone()
        } else {
            [path, ".", kind.as_str()].concat()
        };
        let coll = match b.body.get_attribute("for_each") {
            Some(a) => self.eval(&a.value),
            None => err("a `dynamic` block needs `for_each`", Some(span)),
        };
        let items = iter_items(&coll);
        let Some(content) = content else { return };
        if let Ok(items) = items {
            for (k, v) in items {
                let it = Value::Object(BTreeMap::from([
                    ("key".to_owned(), k),
                    ("value".to_owned(), v),
                ]));
                let body = self.with_bindings(vec![(iterator.clone(), it)], |env| {
                    env.eval_body(&content.body, false, &sub)
                });
                out.blocks.push(NestedBlock {
                    kind: kind.clone(),
                    labels: Vec::new(),
                    span,
                    kind_span,
                    body,
                    dynamic: true,
                    dynamic_unknown: false,
                });
            }
        } else {
            let u = match coll {
                Value::Unknown(_) => coll,
                other => err(
                    format!("cannot iterate over a {}", other.type_name()),
                    Some(span),
                ),
            };
            let it = Value::Object(BTreeMap::from([
                ("key".to_owned(), u.clone()),
                ("value".to_owned(), u),
            ]));
            let body = self.with_bindings(vec![(iterator.clone(), it)], |env| {
                env.eval_body(&content.body, false, &sub)
            });
            out.blocks.push(NestedBlock {
                kind,
                labels: Vec::new(),
                span,
                kind_span,
                body,
                dynamic: true,
                dynamic_unknown: true,
            });
        }
    }
}

fn render_template_any(
    env: &mut Env<'_, '_>,
    t: &Template,
    out: &mut String,
    unknown: &mut Option<Value>,
) {
    let mut sub = TemplateEval { env };
    render_template(&mut sub, t, out, unknown, &mut Strip::default());
}

/// A minimal evaluator for templatefile() templates: variables in scope,
/// functions, operators, conditionals, `for`; no module references.
struct TemplateEval<'e, 'a, 's> {
    env: &'e mut Env<'a, 's>,
}

/// What renders a template: the module's evaluator for string templates
/// ([`Env`]), or [`TemplateEval`] for `templatefile` (its variables only).
trait TemplateHost<'t> {
    fn eval_expr(&mut self, e: &'t Expression) -> Value;
    fn span_at(&self, e: &Expression) -> Span;
    /// Run `f` with the names of a `for` directive bound.
    fn bind(&mut self, bindings: Vec<(String, Value)>, f: impl FnOnce(&mut Self));
}

impl<'a> TemplateHost<'a> for Env<'a, '_> {
    fn eval_expr(&mut self, e: &'a Expression) -> Value {
        self.eval(e)
    }
    fn span_at(&self, e: &Expression) -> Span {
        self.span(e.span())
    }
    fn bind(&mut self, bindings: Vec<(String, Value)>, f: impl FnOnce(&mut Self)) {
        self.with_bindings(bindings, f);
    }
}

impl<'t> TemplateHost<'t> for TemplateEval<'_, '_, '_> {
    fn eval_expr(&mut self, e: &'t Expression) -> Value {
        self.eval(e)
    }
    fn span_at(&self, e: &Expression) -> Span {
        self.env.span(e.span())
    }
    fn bind(&mut self, bindings: Vec<(String, Value)>, f: impl FnOnce(&mut Self)) {
        let n = bindings.len();
        self.env.scope.extend(bindings);
        f(self);
        let keep = self.env.scope.len().saturating_sub(n);
        self.env.scope.truncate(keep);
    }
}

/// Whitespace stripping while a template renders. Terraform applies a
/// strip marker to the literal text next to it, as written: `${~ x}` trims
/// the end of the literal just before, `${x ~}` the start of the literal
/// just after; an interpolated value or a directive next to a marker is
/// never trimmed.
#[derive(Default)]
struct Strip {
    /// The next element is stripped at its start (after a `~}`), if it is
    /// a literal.
    next: bool,
    /// Where the last element written began in the output, when it was a
    /// literal: a `{~` that follows trims it.
    last_literal: Option<usize>,
}

impl Strip {
    /// `${~`, `%{~`: the literal just written loses its trailing whitespace.
    fn trim_last_literal(&mut self, marker: bool, out: &mut String) {
        if let (true, Some(start)) = (marker, self.last_literal) {
            let keep = out.trim_end().len().max(start);
            out.truncate(keep);
        }
    }

    /// A non-literal element comes next: it is never trimmed, and it
    /// separates what comes before it from what comes after.
    fn not_literal(&mut self) {
        self.next = false;
        self.last_literal = None;
    }
}

/// Render template `t` into `out`. The first value that cannot be written
/// (unknown, or an error) goes to `unknown` and makes the whole template
/// that value; `strip` carries the strip markers' effect across elements.
fn render_template<'t, H: TemplateHost<'t>>(
    h: &mut H,
    t: &'t Template,
    out: &mut String,
    unknown: &mut Option<Value>,
    strip: &mut Strip,
) {
    for el in t {
        match el {
            Element::Literal(l) => {
                let s = l.value();
                let start = out.len();
                out.push_str(if strip.next { s.trim_start() } else { s });
                strip.next = false;
                strip.last_literal = Some(start);
            }
            Element::Interpolation(i) => {
                strip.trim_last_literal(i.strip.strip_start(), out);
                strip.not_literal();
                let v = h.eval_expr(&i.expr);
                match v {
                    Value::Unknown(_) => {
                        if unknown.is_none() {
                            *unknown = Some(v);
                        }
                    }
                    other => match other.to_tf_string() {
                        Some(s) => out.push_str(&s),
                        None => {
                            if unknown.is_none() {
                                let sp = h.span_at(&i.expr);
                                *unknown = Some(match other {
                                    Value::Null => err(
                                        "cannot include a null value in a string template",
                                        Some(sp),
                                    ),
                                    _ => err(
                                        format!(
                                            "cannot include a {} in a string template",
                                            other.type_name()
                                        ),
                                        Some(sp),
                                    ),
                                });
                            }
                        }
                    },
                }
                strip.next = i.strip.strip_end();
            }
            Element::Directive(d) => match d.as_ref() {
                Directive::If(ifd) => {
                    strip.trim_last_literal(ifd.if_expr.strip.strip_start(), out);
                    strip.not_literal();
                    let c = h.eval_expr(&ifd.if_expr.cond_expr);
                    let cond = to_bool(&c);
                    match (branch(ifd, cond), cond) {
                        (Some((template, open, close)), _) => {
                            strip.next = open;
                            render_template(h, template, out, unknown, strip);
                            strip.trim_last_literal(close, out);
                        }
                        (None, Some(_)) => {}
                        (None, None) => {
                            if unknown.is_none() {
                                *unknown = Some(match c {
                                    Value::Unknown(_) => c,
                                    _ => err(
                                        "template condition must be a bool",
                                        Some(h.span_at(&ifd.if_expr.cond_expr)),
                                    ),
                                });
                            }
                        }
                    }
                    strip.not_literal();
                    strip.next = ifd.endif_expr.strip.strip_end();
                }
                Directive::For(fd) => {
                    let fe = &fd.for_expr;
                    strip.trim_last_literal(fe.strip.strip_start(), out);
                    strip.not_literal();
                    let coll = h.eval_expr(&fe.collection_expr);
                    let Ok(items) = iter_items(&coll) else {
                        if unknown.is_none() {
                            *unknown = Some(match coll {
                                Value::Unknown(_) => coll,
                                _ => err(
                                    format!("cannot iterate over a {}", coll.type_name()),
                                    Some(h.span_at(&fe.collection_expr)),
                                ),
                            });
                        }
                        strip.next = fd.endfor_expr.strip.strip_end();
                        continue;
                    };
                    for (k, v) in items {
                        let mut b = vec![(fe.value_var.value().as_str().to_owned(), v)];
                        if let Some(kv) = &fe.key_var {
                            b.push((kv.value().as_str().to_owned(), k));
                        }
                        // Each pass renders the body as written: its first
                        // literal follows `for ... ~}`, its last one
                        // precedes `%{~ endfor`.
                        strip.not_literal();
                        strip.next = fe.strip.strip_end();
                        h.bind(b, |h| {
                            render_template(h, &fe.template, out, unknown, strip);
                        });
                        strip.trim_last_literal(fd.endfor_expr.strip.strip_start(), out);
                    }
                    strip.not_literal();
                    strip.next = fd.endfor_expr.strip.strip_end();
                }
            },
        }
    }
}

/// The branch of an `if` directive that `cond` selects: its template,
/// whether whitespace at its start is stripped (`if ~}`, `else ~}`) and at
/// its end (`%{~ else`, `%{~ endif`). `None` when there is nothing to
/// write (false without `else`, or not a known bool).
fn branch(
    ifd: &crate::hcl::template::IfDirective,
    cond: Option<bool>,
) -> Option<(&Template, bool, bool)> {
    if cond? {
        let close = ifd
            .else_expr
            .as_ref()
            .map_or(ifd.endif_expr.strip, |e| e.strip)
            .strip_start();
        Some((&ifd.if_expr.template, ifd.if_expr.strip.strip_end(), close))
    } else {
        ifd.else_expr.as_ref().map(|e| {
            (
                &e.template,
                e.strip.strip_end(),
                ifd.endif_expr.strip.strip_start(),
            )
        })
    }
}

impl TemplateEval<'_, '_, '_> {
    fn eval(&mut self, e: &Expression) -> Value {
        if self.env.depth >= MAX_EVAL_DEPTH {
            return err("template nested too deeply", Some(self.env.span(e.span())));
        }
        self.env.depth += 1;
        let v = self.eval_inner(e);
        self.env.depth -= 1;
        v
    }

    fn eval_inner(&mut self, e: &Expression) -> Value {
        let sp = self.env.span(e.span());
        match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => n.value().as_f64().map_or(Value::Null, Value::Number),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(a) => Value::List(a.iter().map(|x| self.eval(x)).collect()),
            Expression::Object(o) => {
                let mut map = BTreeMap::new();
                for (k, v) in o {
                    let key = match k {
                        ObjectKey::Ident(i) => i.value().as_str().to_owned(),
                        ObjectKey::Expression(Expression::Variable(var)) => {
                            var.value().as_str().to_owned()
                        }
                        ObjectKey::Expression(ke) => match self.eval(ke).to_tf_string() {
                            Some(s) => s,
                            None => return err("object key must be a string", Some(sp)),
                        },
                    };
                    map.insert(key, self.eval(v.expr()));
                }
                Value::Object(map)
            }
            Expression::StringTemplate(t) => {
                if let Some(inner) = e.only_interpolation() {
                    return self.eval(inner);
                }
                let mut out = String::new();
                let mut unknown = None;
                render_template(self, t, &mut out, &mut unknown, &mut Strip::default());
                unknown.unwrap_or(Value::String(out))
            }
            Expression::HeredocTemplate(h) => {
                let mut out = String::new();
                let mut unknown = None;
                render_template(
                    self,
                    &h.template,
                    &mut out,
                    &mut unknown,
                    &mut Strip::default(),
                );
                unknown.unwrap_or(Value::String(out))
            }
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => {
                let name = v.value().as_str();
                match self.env.lookup_scope(name) {
                    Some(x) => x.clone(),
                    None => err(
                        format!("template variable `{name}` is not defined"),
                        Some(sp),
                    ),
                }
            }
            Expression::Conditional(c) => match self.eval(&c.cond_expr) {
                Value::Bool(true) => self.eval(&c.true_expr),
                Value::Bool(false) => self.eval(&c.false_expr),
                u @ Value::Unknown(_) => u,
                _ => err("condition must be a bool", Some(sp)),
            },
            Expression::FuncCall(f) => {
                let args: Vec<Value> = f.args.iter().map(|a| self.eval(a)).collect();
                let name = f.name.name.value().as_str();
                if name == "file" || name == "templatefile" {
                    return Value::unknown(
                        UnknownReason::Unsupported {
                            what: format!("{name}() inside a template"),
                        },
                        Some(sp),
                    );
                }
                funcs::call(name, args, sp)
            }
            Expression::Traversal(t) => {
                let base = self.eval(&t.expr);
                let mut v = base;
                let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
                for op in ops {
                    if v.is_unknown() {
                        return v;
                    }
                    v = match op {
                        TraversalOperator::GetAttr(a) => match v {
                            Value::Object(mut o) => match o.remove(a.value().as_str()) {
                                Some(x) => x,
                                None => {
                                    return err(
                                        format!("object has no attribute `{}`", a.value().as_str()),
                                        Some(sp),
                                    )
                                }
                            },
                            _ => return err("cannot read an attribute of a non-object", Some(sp)),
                        },
                        TraversalOperator::Index(ie) => {
                            let k = self.eval(ie);
                            index(v, &k, sp)
                        }
                        TraversalOperator::LegacyIndex(n) => {
                            index(v, &Value::Number(*n.value() as f64), sp)
                        }
                        _ => {
                            return Value::unknown(
                                UnknownReason::Unsupported {
                                    what: "splat inside a template".to_owned(),
                                },
                                Some(sp),
                            )
                        }
                    };
                }
                v
            }
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr);
                match (u.operator.value(), v) {
                    (_, v @ Value::Unknown(_)) => v,
                    (UnaryOperator::Neg, v) => to_number(&v)
                        .map_or_else(|| err("cannot negate", Some(sp)), |n| Value::Number(-n)),
                    (UnaryOperator::Not, v) => to_bool(&v)
                        .map_or_else(|| err("cannot negate", Some(sp)), |b| Value::Bool(!b)),
                }
            }
            Expression::BinaryOp(b) => {
                let l = self.eval(&b.lhs_expr);
                let r = self.eval(&b.rhs_expr);
                binary(*b.operator.value(), &l, &r, sp)
            }
            Expression::ForExpr(f) => {
                let coll = self.eval(&f.intro.collection_expr);
                let Ok(items) = iter_items(&coll) else {
                    return match coll {
                        Value::Unknown(_) => coll,
                        _ => err("cannot iterate", Some(sp)),
                    };
                };
                let mut list = Vec::new();
                let mut obj = BTreeMap::new();
                for (k, v) in items {
                    let mut b = vec![(f.intro.value_var.value().as_str().to_owned(), v)];
                    if let Some(kv) = &f.intro.key_var {
                        b.push((kv.value().as_str().to_owned(), k));
                    }
                    let n = b.len();
                    self.env.scope.extend(b);
                    let keep_item = match &f.cond {
                        Some(c) => to_bool(&self.eval(&c.expr)) == Some(true),
                        None => true,
                    };
                    if keep_item {
                        let val = self.eval(&f.value_expr);
                        match &f.key_expr {
                            None => list.push(val),
                            Some(ke) => {
                                if let Some(k) = self.eval(ke).to_tf_string() {
                                    obj.insert(k, val);
                                }
                            }
                        }
                    }
                    let keep = self.env.scope.len() - n;
                    self.env.scope.truncate(keep);
                }
                if f.key_expr.is_some() {
                    Value::Object(obj)
                } else {
                    Value::List(list)
                }
            }
        }
    }
}

/// Quote a for_each key as Terraform prints it in an address.
pub(crate) fn quote(k: &str) -> String {
    let mut s = String::with_capacity(k.len() + 2);
    s.push('"');
    for c in k.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// The outputs of a loaded child module (or of one of its instances), as
/// `module.NAME` reads them at `sp`. An error in an output is reported in
/// the module, where the output is written; a file of the module that does
/// not parse may hold the output asked for, so they are all unknown then
/// (its syntax error is what gets reported).
fn outputs_value(m: &Module, address: &str, sp: Span) -> Value {
    if m.has_unparsed_files() {
        return Value::unknown(
            UnknownReason::Unsupported {
                what: format!("the outputs of {address}, which has a file that does not parse"),
            },
            Some(sp),
        );
    }
    Value::Object(
        m.outputs
            .iter()
            .map(|(k, o)| {
                let what = format!("the output {k} of {address}, which has an error");
                (k.clone(), errors_reported_elsewhere(&o.value, &what))
            })
            .collect(),
    )
}

/// `count` (`count.index`) or `each` (`each.key`, `each.value`) of the
/// instance `key` of a block or module that expands as `expansion`.
pub(crate) fn instance_binding(key: &InstanceKey, expansion: &Expansion) -> (String, Value) {
    match key {
        InstanceKey::Index(i) => (
            "count".to_owned(),
            Value::Object(BTreeMap::from([(
                "index".to_owned(),
                Value::Number(*i as f64),
            )])),
        ),
        InstanceKey::Key(k) => {
            // The entries are sorted by key.
            let value = match expansion {
                Expansion::Map(m) => m
                    .binary_search_by(|(ek, _)| ek.as_str().cmp(k))
                    .map_or(Value::Null, |at| m[at].1.clone()),
                _ => Value::Null,
            };
            (
                "each".to_owned(),
                Value::Object(BTreeMap::from([
                    ("key".to_owned(), Value::String(k.clone())),
                    ("value".to_owned(), value),
                ])),
            )
        }
    }
}

/// The keys of the instances of a known expansion (none for `Single` and
/// `Unknown`).
pub(crate) fn instance_keys(expansion: &Expansion) -> Vec<InstanceKey> {
    match expansion {
        Expansion::Single | Expansion::Unknown(_) => Vec::new(),
        Expansion::Count(n) => (0..*n).map(InstanceKey::Index).collect(),
        Expansion::Map(m) => m.iter().map(|(k, _)| InstanceKey::Key(k.clone())).collect(),
    }
}

/// `[0]` or `["key"]`: the instance part of an address.
pub(crate) fn key_suffix(key: &InstanceKey) -> String {
    match key {
        InstanceKey::Index(i) => format!("[{i}]"),
        InstanceKey::Key(k) => format!("[{}]", quote(k)),
    }
}

/// `count` with an unknown `count.index`: in a block or module that stands
/// for all its instances.
pub(crate) fn unknown_count(u: Value) -> (String, Value) {
    (
        "count".to_owned(),
        Value::Object(BTreeMap::from([("index".to_owned(), u)])),
    )
}

/// `each` with an unknown `each.key` and `each.value`: in a block or module
/// that stands for all its instances.
pub(crate) fn unknown_each(u: Value) -> (String, Value) {
    (
        "each".to_owned(),
        Value::Object(BTreeMap::from([
            ("key".to_owned(), u.clone()),
            ("value".to_owned(), u),
        ])),
    )
}

/// `value` with each evaluation error replaced by an unknown described by
/// `what`: for a value that crosses a module boundary (a module argument,
/// an output), whose error is reported where it is written, not at each
/// place the value reaches.
pub(crate) fn errors_reported_elsewhere(value: &Value, what: &str) -> Value {
    match value {
        Value::Unknown(u) if matches!(u.reason, UnknownReason::Error { .. }) => Value::unknown(
            UnknownReason::Unsupported {
                what: what.to_owned(),
            },
            u.span,
        ),
        Value::List(items) => Value::List(
            items
                .iter()
                .map(|x| errors_reported_elsewhere(x, what))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, x)| (k.clone(), errors_reported_elsewhere(x, what)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Unknowns met through a reference point at the reference.
pub(crate) fn respan_unknown(v: Value, sp: Span) -> Value {
    match v {
        Value::Unknown(mut u) => {
            u.span = Some(sp);
            Value::Unknown(u)
        }
        other => other,
    }
}

/// The (key, value) pairs a `for` iterates over.
pub(crate) fn iter_items(v: &Value) -> Result<Vec<(Value, Value)>, ()> {
    match v {
        Value::List(l) => Ok(l
            .iter()
            .enumerate()
            .map(|(i, x)| (Value::Number(i as f64), x.clone()))
            .collect()),
        Value::Object(o) => Ok(o
            .iter()
            .map(|(k, x)| (Value::String(k.clone()), x.clone()))
            .collect()),
        Value::Null => Ok(Vec::new()),
        _ => Err(()),
    }
}

pub(crate) fn to_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(*n),
        // As cty parses a string into a number: the whole string, no spaces.
        Value::String(s) => s.parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

pub(crate) fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn index(v: Value, k: &Value, sp: Span) -> Value {
    if let Value::Unknown(_) = k {
        return k.clone();
    }
    match v {
        Value::List(mut l) => match to_number(k) {
            Some(n) if n >= 0.0 && n.fract() == 0.0 && (n as usize) < l.len() => {
                l.swap_remove(n as usize)
            }
            Some(n) => err(
                format!(
                    "index {} is out of range for a list of {} elements",
                    format_number(n),
                    l.len()
                ),
                Some(sp),
            ),
            None => err("a list index must be a number", Some(sp)),
        },
        Value::Object(mut o) => match k.to_tf_string() {
            Some(s) => match o.remove(&s) {
                Some(x) => x,
                None => err(format!("key \"{s}\" does not exist"), Some(sp)),
            },
            None => err("an object key must be a string", Some(sp)),
        },
        u @ Value::Unknown(_) => u,
        Value::Null => err("cannot index null", Some(sp)),
        other => err(format!("cannot index a {}", other.type_name()), Some(sp)),
    }
}

fn binary(op: BinaryOperator, l: &Value, r: &Value, sp: Span) -> Value {
    use BinaryOperator as B;
    match op {
        B::Eq | B::NotEq => {
            if let Some(u) = first_unknown([l, r]) {
                return u;
            }
            let eq = values_equal(l, r);
            Value::Bool(if op == B::Eq { eq } else { !eq })
        }
        B::And | B::Or => {
            if let Value::Unknown(_) = l {
                return l.clone();
            }
            if let Value::Unknown(_) = r {
                return r.clone();
            }
            match (to_bool(l), to_bool(r)) {
                (Some(a), Some(b)) => Value::Bool(if op == B::And { a && b } else { a || b }),
                _ => err(format!("`{}` needs two bools", op_text(op)), Some(sp)),
            }
        }
        _ => {
            if let Value::Unknown(_) = l {
                return l.clone();
            }
            if let Value::Unknown(_) = r {
                return r.clone();
            }
            let (Some(a), Some(b)) = (to_number(l), to_number(r)) else {
                return err(
                    format!(
                        "`{}` needs two numbers, not a {} and a {}",
                        op_text(op),
                        l.type_name(),
                        r.type_name()
                    ),
                    Some(sp),
                );
            };
            match op {
                B::Plus => Value::Number(a + b),
                B::Minus => Value::Number(a - b),
                B::Mul => Value::Number(a * b),
                B::Div => {
                    if b == 0.0 {
                        err("division by zero", Some(sp))
                    } else {
                        Value::Number(a / b)
                    }
                }
                B::Mod => {
                    if b == 0.0 {
                        err("modulo by zero", Some(sp))
                    } else {
                        Value::Number(a % b)
                    }
                }
                B::Less => Value::Bool(a < b),
                B::LessEq => Value::Bool(a <= b),
                B::Greater => Value::Bool(a > b),
                B::GreaterEq => Value::Bool(a >= b),
                _ => err("unsupported operator", Some(sp)),
            }
        }
    }
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => (x - y).abs() < f64::EPSILON * x.abs().max(1.0),
        _ => a == b,
    }
}
