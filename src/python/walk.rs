//! One walk over the syntax tree: scopes and bindings (for undefined
//! names), module-level functions and their decorators, imports, and the
//! `fields` / `vars` reads of handlers.
//!
//! Name resolution follows Python's rules, resolved after the whole file has
//! been walked so that definition order never matters (a function body may
//! use a name bound later in the module; whether that binding has happened
//! at call time is not something we can know, so it counts as defined):
//! - a function, lambda or comprehension sees its own bindings, those of
//!   enclosing function scopes, the module and the builtins, but not the
//!   bindings of an enclosing class body;
//! - a class body sees its own bindings first;
//! - PEP 695 annotation scopes (`def f[T]()`) see an enclosing class;
//! - a comprehension's first iterable is evaluated in the enclosing scope,
//!   and `:=` inside a comprehension binds in the enclosing scope;
//! - `global x` makes `x` a module binding; `nonlocal x` a local one.
//!
//! A use is reported only when nothing anywhere could bind the name:
//! star imports, `globals()` / `exec` / `sys.modules` tricks, syntax
//! errors and a truncated walk switch the report off for the whole file,
//! and uses guarded by `except NameError` (or a bare `except:`) are skipped.

use std::collections::hash_map::Entry;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{
    self as ast, ExceptHandler, Expr, ExprContext, ModModule, Pattern, Stmt, TypeParam,
};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashMap;

use super::sdk::{self, HandlerDecorator, TEMPLATE_ACTIONS};
use super::{
    builtins, to_range, Decorator, Function, Import, KeyRead, NameSet, NameUse, PyAnalysis,
    MAX_DEPTH,
};

/// An identifier of the file, interned: scopes hold a few of them each and
/// compare numbers, so each name occurrence is hashed once.
type Sym = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
    /// PEP 695 type parameters.
    Annotation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Fields,
    Vars,
}

/// One scope's names. Scopes bind a handful of names (the module a few
/// dozen): small vectors of interned names beat hash tables here.
#[derive(Debug)]
struct Scope {
    kind: ScopeKind,
    parent: Option<usize>,
    /// Name -> number of binding sites in this scope.
    bindings: Vec<(Sym, u32)>,
    globals: Vec<Sym>,
    /// Name -> (kind, number of `name = event.payload.fields`-like binds);
    /// `None` kind when two kinds were mixed.
    aliases: Vec<(Sym, Option<KeyKind>, u32)>,
}

impl Scope {
    fn new(kind: ScopeKind, parent: Option<usize>) -> Self {
        Scope {
            kind,
            parent,
            bindings: Vec::new(),
            globals: Vec::new(),
            aliases: Vec::new(),
        }
    }

    fn count(&self, name: Sym) -> u32 {
        self.bindings
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, c)| *c)
    }

    fn binds(&self, name: Sym) -> bool {
        self.bindings.iter().any(|(n, _)| *n == name)
    }

    fn is_global(&self, name: Sym) -> bool {
        self.globals.contains(&name)
    }
}

struct PendingUse {
    name: Sym,
    range: TextRange,
    scope: usize,
}

struct PendingAliasRead<'a> {
    name: Sym,
    scope: usize,
    key: &'a str,
    range: TextRange,
}

/// What a module-level import binds a name to, without building the
/// dotted string: `a` / `a.b` (`import`), `a.b` + `c` (`from a.b import c`),
/// or a relative import (bound, but not resolvable).
#[derive(Debug, Clone, Copy)]
enum ImportPath<'a> {
    Module(&'a str),
    Member(&'a str, &'a str),
    Relative,
}

impl<'a> ImportPath<'a> {
    /// The dotted path, as bytes (`Relative` is empty).
    fn bytes(self) -> impl Iterator<Item = u8> + 'a {
        let (a, dot, b): (&'a str, &'static str, &'a str) = match self {
            ImportPath::Module(m) => (m, "", ""),
            ImportPath::Member(m, n) => (m, ".", n),
            ImportPath::Relative => ("", "", ""),
        };
        a.bytes().chain(dot.bytes()).chain(b.bytes())
    }

    fn is_empty(self) -> bool {
        match self {
            ImportPath::Module(m) => m.is_empty(),
            ImportPath::Member(..) => false,
            ImportPath::Relative => true,
        }
    }

    fn same(self, other: ImportPath<'_>) -> bool {
        self.bytes().eq(other.bytes())
    }

    fn to_string_with(self, rest: Option<&str>) -> String {
        let mut out = String::new();
        match self {
            ImportPath::Module(m) => out.push_str(m),
            ImportPath::Member(m, n) => {
                out.push_str(m);
                out.push('.');
                out.push_str(n);
            }
            ImportPath::Relative => {}
        }
        if let Some(r) = rest {
            out.push('.');
            out.push_str(r);
        }
        out
    }
}

struct PendingFunction<'a> {
    def: &'a ast::StmtFunctionDef,
}

struct Walker<'a> {
    /// Interned names: text -> id, and id -> text.
    interner: FxHashMap<&'a str, Sym>,
    names: Vec<&'a str>,
    scopes: Vec<Scope>,
    cur: usize,
    depth: u32,
    truncated: bool,
    try_depth: u32,
    name_error_guard: u32,
    future_annotations: bool,
    /// `globals()`, `exec`, `sys.modules`, `import builtins`...: names may
    /// appear that no statement binds.
    dynamic_names: bool,
    uses: Vec<PendingUse>,
    alias_reads: Vec<PendingAliasRead<'a>>,
    functions: Vec<PendingFunction<'a>>,
    /// Module-level import bindings: local name and import path, in order.
    module_imports: Vec<(Sym, ImportPath<'a>)>,
    out: PyAnalysis,
}

/// Walk a parsed module. `has_syntax_errors` switches the undefined-name
/// report off (the tree is a recovery and the file does not run anyway).
pub(super) fn walk_module(text: &str, module: &ModModule, has_syntax_errors: bool) -> PyAnalysis {
    let mut interner = FxHashMap::default();
    // About one distinct name per 40 bytes of a typical impl.py.
    interner.reserve(text.len() / 40 + 16);
    let mut w = Walker {
        interner,
        names: Vec::with_capacity(text.len() / 40 + 16),
        scopes: vec![Scope::new(ScopeKind::Module, None)],
        cur: 0,
        depth: 0,
        truncated: false,
        try_depth: 0,
        name_error_guard: 0,
        future_annotations: false,
        dynamic_names: false,
        // About one name read per 24 bytes of a typical impl.py.
        uses: Vec::with_capacity(text.len() / 24 + 16),
        alias_reads: Vec::new(),
        functions: Vec::new(),
        module_imports: Vec::new(),
        out: PyAnalysis::default(),
    };
    w.visit_body(&module.body);
    w.finish(has_syntax_errors)
}

impl<'a> Walker<'a> {
    fn sym(&mut self, name: &'a str) -> Sym {
        let next = self.names.len() as Sym;
        match self.interner.entry(name) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                e.insert(next);
                self.names.push(name);
                next
            }
        }
    }

    /// A name bound at module level (by text, for dotted decorator names).
    fn module_binds(&self, name: &str) -> bool {
        self.interner
            .get(name)
            .is_some_and(|&s| self.scopes[0].binds(s))
    }

    fn push(&mut self, kind: ScopeKind) -> usize {
        let id = self.scopes.len();
        self.scopes.push(Scope::new(kind, Some(self.cur)));
        self.cur = id;
        id
    }

    fn pop_to(&mut self, scope: usize) {
        self.cur = scope;
    }

    fn bind_in(&mut self, scope: usize, name: &'a str) {
        let name = self.sym(name);
        self.bind_sym(scope, name);
    }

    fn bind_sym(&mut self, scope: usize, name: Sym) {
        let bindings = &mut self.scopes[scope].bindings;
        match bindings.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => bindings.push((name, 1)),
        }
    }

    fn bind(&mut self, name: &'a str) {
        let name = self.sym(name);
        let cur = self.cur;
        if self.scopes[cur].is_global(name) {
            self.bind_sym(0, name);
        } else {
            self.bind_sym(cur, name);
        }
    }

    /// Where `:=` binds: the nearest scope that is not a comprehension.
    fn walrus_scope(&self) -> usize {
        let mut s = self.cur;
        while self.scopes[s].kind == ScopeKind::Comprehension {
            match self.scopes[s].parent {
                Some(p) => s = p,
                None => break,
            }
        }
        s
    }

    fn use_name(&mut self, name: &'a str, range: TextRange) {
        if matches!(
            name,
            "globals" | "locals" | "vars" | "exec" | "eval" | "__builtins__" | "__dict__"
        ) {
            self.dynamic_names = true;
        }
        if self.name_error_guard > 0 {
            return;
        }
        let name = self.sym(name);
        self.uses.push(PendingUse {
            name,
            range,
            scope: self.cur,
        });
    }

    fn bind_parameters(&mut self, parameters: &'a ast::Parameters) {
        for p in parameters {
            self.bind(p.name().as_str());
        }
    }

    fn visit_annotation_expr(&mut self, expr: &'a Expr) {
        // String annotations are forward references: never evaluated here.
        if self.future_annotations || matches!(expr, Expr::StringLiteral(_)) {
            return;
        }
        self.visit_expr(expr);
    }

    /// PEP 695 type parameters open an annotation scope; returns the scope
    /// to restore afterwards.
    fn open_type_params(&mut self, type_params: Option<&'a ast::TypeParams>) -> usize {
        let outer = self.cur;
        if let Some(tp) = type_params {
            self.push(ScopeKind::Annotation);
            for p in &tp.type_params {
                let name = match p {
                    TypeParam::TypeVar(t) => &t.name,
                    TypeParam::TypeVarTuple(t) => &t.name,
                    TypeParam::ParamSpec(t) => &t.name,
                };
                self.bind(name.as_str());
            }
            // Bounds and defaults are lazily evaluated: not checked.
        }
        outer
    }

    fn visit_function_def(&mut self, f: &'a ast::StmtFunctionDef) {
        let outer = self.cur;
        if outer == 0 {
            self.functions.push(PendingFunction { def: f });
        }
        for d in &f.decorator_list {
            self.visit_expr(&d.expression);
        }
        self.open_type_params(f.type_params.as_deref());
        for p in f.parameters.iter_non_variadic_params() {
            if let Some(d) = p.default.as_deref() {
                self.visit_expr(d);
            }
        }
        for p in &*f.parameters {
            if let Some(a) = p.annotation() {
                self.visit_annotation_expr(a);
            }
        }
        if let Some(r) = f.returns.as_deref() {
            self.visit_annotation_expr(r);
        }
        let header = self.cur;
        self.cur = outer;
        self.bind(f.name.as_str());
        self.cur = header;
        self.push(ScopeKind::Function);
        self.bind_parameters(&f.parameters);
        self.visit_body(&f.body);
        self.pop_to(outer);
    }

    fn visit_class_def(&mut self, c: &'a ast::StmtClassDef) {
        let outer = self.cur;
        for d in &c.decorator_list {
            self.visit_expr(&d.expression);
        }
        self.open_type_params(c.type_params.as_deref());
        if let Some(args) = c.arguments.as_deref() {
            self.visit_arguments(args);
        }
        let header = self.cur;
        self.cur = outer;
        self.bind(c.name.as_str());
        self.cur = header;
        self.push(ScopeKind::Class);
        self.bind("__module__");
        self.bind("__qualname__");
        self.visit_body(&c.body);
        self.pop_to(outer);
    }

    fn visit_comprehension_scope(
        &mut self,
        generators: &'a [ast::Comprehension],
        elts: &[&'a Expr],
    ) {
        let outer = self.cur;
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.push(ScopeKind::Comprehension);
        for (i, g) in generators.iter().enumerate() {
            if i > 0 {
                self.visit_expr(&g.iter);
            }
            self.visit_expr(&g.target);
            for cond in &g.ifs {
                self.visit_expr(cond);
            }
        }
        for e in elts {
            self.visit_expr(e);
        }
        self.pop_to(outer);
    }

    fn record_import(&mut self, stmt: &'a Stmt) {
        let in_try = self.try_depth > 0;
        match stmt {
            Stmt::Import(imp) => {
                for alias in &imp.names {
                    let module = alias.name.as_str();
                    if module == "builtins" || module == "__builtin__" {
                        self.dynamic_names = true;
                    }
                    let (local, path) = if let Some(a) = &alias.asname {
                        (a.as_str(), module)
                    } else {
                        let first = module.split('.').next().unwrap_or(module);
                        (first, first)
                    };
                    self.bind(local);
                    if self.cur == 0 {
                        let local = self.sym(local);
                        self.module_imports.push((local, ImportPath::Module(path)));
                    }
                    self.out.imports.push(Import {
                        module: module.to_owned(),
                        name: None,
                        alias: alias.asname.as_ref().map(|a| a.as_str().to_owned()),
                        star: false,
                        in_try,
                        level: 0,
                        range: to_range(alias.range),
                        module_range: to_range(alias.name.range),
                    });
                }
            }
            Stmt::ImportFrom(imp) => {
                let module = imp.module.as_ref().map_or("", |m| m.as_str());
                let module_range = imp
                    .module
                    .as_ref()
                    .map_or_else(|| to_range(imp.range), |m| to_range(m.range));
                if imp.level == 0
                    && module == "__future__"
                    && imp.names.iter().any(|a| a.name.as_str() == "annotations")
                {
                    self.future_annotations = true;
                }
                if imp.level == 0 && (module == "builtins" || module == "__builtin__") {
                    self.dynamic_names = true;
                }
                for alias in &imp.names {
                    let name = alias.name.as_str();
                    let star = name == "*";
                    if star {
                        self.out.has_star_import = true;
                    } else {
                        let local = alias.asname.as_ref().map_or(name, |a| a.as_str());
                        self.bind(local);
                        if self.cur == 0 {
                            let path = if imp.level == 0 {
                                ImportPath::Member(module, name)
                            } else {
                                // A relative import: bound, but not resolvable.
                                ImportPath::Relative
                            };
                            let local = self.sym(local);
                            self.module_imports.push((local, path));
                        }
                    }
                    self.out.imports.push(Import {
                        module: module.to_owned(),
                        name: Some(name.to_owned()),
                        alias: alias.asname.as_ref().map(|a| a.as_str().to_owned()),
                        star,
                        in_try,
                        level: imp.level,
                        range: to_range(alias.range),
                        module_range: module_range.clone(),
                    });
                }
            }
            _ => {}
        }
    }

    /// `event.payload.fields["x"]`, `fields.get("x")` and friends.
    fn record_key_read(&mut self, container: &'a Expr, key: &'a Expr) {
        let Expr::StringLiteral(lit) = key else {
            return;
        };
        let key_text = lit.value.to_str();
        match classify(container) {
            Some(kind) => self.push_read(kind, key_text, lit.range),
            None => {
                if let Expr::Name(n) = container {
                    if n.ctx == ExprContext::Load {
                        let name = self.sym(n.id.as_str());
                        self.alias_reads.push(PendingAliasRead {
                            name,
                            scope: self.cur,
                            key: key_text,
                            range: lit.range,
                        });
                    }
                }
            }
        }
    }

    fn push_read(&mut self, kind: KeyKind, key: &str, range: TextRange) {
        let read = KeyRead {
            key: key.to_owned(),
            range: to_range(range),
        };
        match kind {
            KeyKind::Fields => self.out.field_reads.push(read),
            KeyKind::Vars => self.out.var_reads.push(read),
        }
    }

    fn inspect_call(&mut self, call: &'a ast::ExprCall) {
        let Expr::Attribute(attr) = call.func.as_ref() else {
            return;
        };
        let method = attr.attr.as_str();
        if method == "get" {
            if let Some(first) = call.arguments.args.first() {
                self.record_key_read(&attr.value, first);
            }
        }
        if TEMPLATE_ACTIONS.contains(&method) {
            for kw in &call.arguments.keywords {
                match &kw.arg {
                    Some(arg) => {
                        self.out.template_kwargs.insert(arg.as_str().to_owned());
                    }
                    None => self.out.template_kwargs_dynamic = true,
                }
            }
        }
    }

    fn finish(mut self, has_syntax_errors: bool) -> PyAnalysis {
        // Functions and their decorators, now that every import is known.
        let functions = std::mem::take(&mut self.functions);
        for f in functions {
            let func = self.function_facts(f.def);
            self.out.functions.push(func);
        }

        // Alias reads.
        let alias_reads = std::mem::take(&mut self.alias_reads);
        for r in alias_reads {
            if let Some(kind) = self.alias_kind(r.name, r.scope) {
                self.push_read(kind, r.key, r.range);
            }
        }
        self.out.field_reads.sort_by_key(|r| r.range.start);
        self.out.var_reads.sort_by_key(|r| r.range.start);

        self.out.module_bindings = NameSet::new(
            self.scopes[0]
                .bindings
                .iter()
                .map(|&(n, _)| self.names[n as usize]),
        );
        self.out.truncated = self.truncated;

        let certain = !has_syntax_errors
            && !self.truncated
            && !self.dynamic_names
            && !self.out.has_star_import;
        if certain {
            let mut undefined = Vec::new();
            for u in &self.uses {
                if !self.is_defined(u.name, u.scope) {
                    undefined.push(NameUse {
                        name: self.names[u.name as usize].to_owned(),
                        range: to_range(u.range),
                    });
                }
            }
            undefined.sort_by_key(|u| u.range.start);
            self.out.undefined_names = undefined;
        }
        self.out
    }

    fn is_defined(&self, sym: Sym, scope: usize) -> bool {
        let name = self.names[sym as usize];
        let mut s = Some(scope);
        let mut prev: Option<ScopeKind> = None;
        let mut in_function = false;
        while let Some(i) = s {
            let sc = &self.scopes[i];
            if sc.is_global(sym) {
                return self.scopes[0].binds(sym) || builtins::is_builtin(name);
            }
            let visible = match prev {
                None => true,
                Some(p) => sc.kind != ScopeKind::Class || p == ScopeKind::Annotation,
            };
            if visible && sc.binds(sym) {
                return true;
            }
            if matches!(sc.kind, ScopeKind::Function | ScopeKind::Lambda) {
                in_function = true;
            }
            prev = Some(sc.kind);
            s = sc.parent;
        }
        builtins::is_builtin(name)
            || builtins::is_module_global(name)
            || (in_function && name == "__class__")
    }

    /// The scope a name used in `scope` resolves to, if bound anywhere.
    fn binding_scope(&self, name: Sym, scope: usize) -> Option<usize> {
        let mut s = Some(scope);
        let mut prev: Option<ScopeKind> = None;
        while let Some(i) = s {
            let sc = &self.scopes[i];
            if sc.is_global(name) {
                return Some(0);
            }
            let visible = match prev {
                None => true,
                Some(p) => sc.kind != ScopeKind::Class || p == ScopeKind::Annotation,
            };
            if visible && sc.binds(name) {
                return Some(i);
            }
            prev = Some(sc.kind);
            s = sc.parent;
        }
        None
    }

    /// `name` is an alias of `event.payload.fields` / `event.flow.vars` when
    /// every binding of it in its scope is such an assignment.
    fn alias_kind(&self, name: Sym, scope: usize) -> Option<KeyKind> {
        let s = self.binding_scope(name, scope)?;
        let sc = &self.scopes[s];
        let total = sc.count(name);
        match sc.aliases.iter().find(|(n, _, _)| *n == name) {
            Some((_, Some(kind), n)) if *n == total => Some(*kind),
            _ => None,
        }
    }

    fn function_facts(&self, f: &'a ast::StmtFunctionDef) -> Function {
        let decorators = f
            .decorator_list
            .iter()
            .map(|d| self.decorator_facts(d))
            .collect();
        Function {
            name: f.name.as_str().to_owned(),
            range: to_range(f.range),
            name_range: to_range(f.name.range),
            decorators,
            params: f
                .parameters
                .iter()
                .map(|p| p.name().as_str().to_owned())
                .collect(),
            is_async: f.is_async,
        }
    }

    fn decorator_facts(&self, d: &'a ast::Decorator) -> Decorator {
        let (callee, call) = match &d.expression {
            Expr::Call(c) => (c.func.as_ref(), Some(c)),
            e => (e, None),
        };
        let name = dotted_name(callee).unwrap_or_default();
        let mut resolved = self.resolve(&name);
        let unbound = !name.is_empty() && !name.contains('.') && !self.module_binds(&name);
        if resolved.is_none() && unbound && self.out.has_star_import {
            // `from sym.sdk.annotations import *` brings `hook` in.
            resolved = self
                .out
                .imports
                .iter()
                .filter(|i| i.star && i.level == 0)
                .find(|i| sdk::module_of(&i.module).is_some_and(|m| m.has(&name)))
                .map(|i| format!("{}.{name}", i.module));
        }
        let kind = match &resolved {
            Some(path) => HandlerDecorator::from_path(path),
            // A bare `@hook` that nothing binds: the SDK decorator whose
            // import is missing (reported as an undefined name).
            None if unbound && !self.out.has_star_import => HandlerDecorator::from_name(&name),
            None => None,
        };
        let mut kwargs = Vec::new();
        let mut args = Vec::new();
        if let Some(c) = call {
            for a in &c.arguments.args {
                args.push((literal_str(a), to_range(a.range())));
            }
            for kw in &c.arguments.keywords {
                if let Some(arg) = &kw.arg {
                    kwargs.push((
                        arg.as_str().to_owned(),
                        literal_str(&kw.value),
                        to_range(kw.range),
                    ));
                }
            }
        }
        Decorator {
            name,
            resolved,
            kind,
            kwargs,
            args,
            is_call: call.is_some(),
            range: to_range(d.expression.range()),
        }
    }

    /// `a.b.c` -> the import path of `a` + `.b.c`, when `a` is bound at
    /// module level by imports of one and the same path only.
    fn resolve(&self, dotted: &str) -> Option<String> {
        if dotted.is_empty() {
            return None;
        }
        let (base, rest) = match dotted.split_once('.') {
            Some((b, r)) => (b, Some(r)),
            None => (dotted, None),
        };
        let base = *self.interner.get(base)?;
        let mut paths = self
            .module_imports
            .iter()
            .filter(|(local, _)| *local == base)
            .map(|(_, p)| *p);
        let first = paths.next()?;
        let mut count = 1;
        for p in paths {
            if !p.same(first) {
                return None;
            }
            count += 1;
        }
        if first.is_empty() || self.scopes[0].count(base) != count {
            return None;
        }
        Some(first.to_string_with(rest))
    }
}

fn classify(e: &Expr) -> Option<KeyKind> {
    let Expr::Attribute(a) = e else {
        return None;
    };
    let Expr::Attribute(parent) = a.value.as_ref() else {
        return None;
    };
    match (parent.attr.as_str(), a.attr.as_str()) {
        ("payload", "fields") => Some(KeyKind::Fields),
        ("flow", "vars") => Some(KeyKind::Vars),
        _ => None,
    }
}

/// `a.b.c` for a chain of names and attributes (iterative: no recursion).
fn dotted_name(e: &Expr) -> Option<String> {
    let mut parts = Vec::new();
    let mut cur = e;
    loop {
        match cur {
            Expr::Name(n) => {
                parts.push(n.id.as_str());
                break;
            }
            Expr::Attribute(a) => {
                parts.push(a.attr.as_str());
                cur = &a.value;
            }
            _ => return None,
        }
        if parts.len() > 64 {
            return None;
        }
    }
    parts.reverse();
    Some(parts.join("."))
}

fn literal_str(e: &Expr) -> Option<String> {
    match e {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_owned()),
        _ => None,
    }
}

fn catches_name_error(handlers: &[ExceptHandler]) -> bool {
    handlers.iter().any(|h| {
        let ExceptHandler::ExceptHandler(h) = h;
        match h.type_.as_deref() {
            None => true,
            Some(Expr::Name(n)) => n.id.as_str() == "NameError",
            Some(Expr::Tuple(t)) => t
                .elts
                .iter()
                .any(|e| matches!(e, Expr::Name(n) if n.id.as_str() == "NameError")),
            Some(_) => false,
        }
    })
}

impl<'a> Visitor<'a> for Walker<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_DEPTH {
            self.truncated = true;
            return;
        }
        self.depth += 1;
        match stmt {
            Stmt::FunctionDef(f) => self.visit_function_def(f),
            Stmt::ClassDef(c) => self.visit_class_def(c),
            Stmt::Import(_) | Stmt::ImportFrom(_) => self.record_import(stmt),
            Stmt::Global(g) => {
                for name in &g.names {
                    let cur = self.cur;
                    let name = self.sym(name.as_str());
                    if !self.scopes[cur].is_global(name) {
                        self.scopes[cur].globals.push(name);
                    }
                    self.bind_sym(0, name);
                }
            }
            Stmt::Nonlocal(n) => {
                for name in &n.names {
                    self.bind(name.as_str());
                }
            }
            Stmt::Try(t) => {
                let guarded = catches_name_error(&t.handlers);
                self.try_depth += 1;
                if guarded {
                    self.name_error_guard += 1;
                }
                self.visit_body(&t.body);
                if guarded {
                    self.name_error_guard -= 1;
                }
                for h in &t.handlers {
                    let ExceptHandler::ExceptHandler(h) = h;
                    if let Some(ty) = h.type_.as_deref() {
                        self.visit_expr(ty);
                    }
                    if let Some(name) = &h.name {
                        self.bind(name.as_str());
                    }
                    self.visit_body(&h.body);
                }
                self.try_depth -= 1;
                self.visit_body(&t.orelse);
                self.visit_body(&t.finalbody);
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = a.value.as_deref() {
                    self.visit_expr(v);
                }
                // Annotations of local variables are never evaluated.
                let kind = self.scopes[self.cur].kind;
                if matches!(kind, ScopeKind::Module | ScopeKind::Class) {
                    self.visit_annotation_expr(&a.annotation);
                }
                self.visit_expr(&a.target);
            }
            Stmt::TypeAlias(t) => {
                // The value is lazily evaluated: only the name binds.
                if let Expr::Name(n) = t.name.as_ref() {
                    self.bind(n.id.as_str());
                }
            }
            Stmt::Assign(a) => {
                visitor::walk_stmt(self, stmt);
                if let ([Expr::Name(target)], Some(kind)) =
                    (a.targets.as_slice(), classify(&a.value))
                {
                    let cur = self.cur;
                    let name = self.sym(target.id.as_str());
                    let scope = if self.scopes[cur].is_global(name) {
                        0
                    } else {
                        cur
                    };
                    let aliases = &mut self.scopes[scope].aliases;
                    match aliases.iter_mut().find(|(n, _, _)| *n == name) {
                        Some(entry) => {
                            if entry.1 != Some(kind) {
                                entry.1 = None;
                            }
                            entry.2 += 1;
                        }
                        None => aliases.push((name, Some(kind), 1)),
                    }
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_DEPTH {
            self.truncated = true;
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Name(n) => match n.ctx {
                ExprContext::Load => self.use_name(n.id.as_str(), n.range),
                ExprContext::Store | ExprContext::Del => self.bind(n.id.as_str()),
                ExprContext::Invalid => {}
            },
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                if let Expr::Name(n) = named.target.as_ref() {
                    let s = self.walrus_scope();
                    self.bind_in(s, n.id.as_str());
                } else {
                    self.visit_expr(&named.target);
                }
            }
            Expr::Lambda(l) => {
                let outer = self.cur;
                if let Some(params) = l.parameters.as_deref() {
                    for p in params.iter_non_variadic_params() {
                        if let Some(d) = p.default.as_deref() {
                            self.visit_expr(d);
                        }
                    }
                }
                self.push(ScopeKind::Lambda);
                if let Some(params) = l.parameters.as_deref() {
                    self.bind_parameters(params);
                }
                self.visit_expr(&l.body);
                self.pop_to(outer);
            }
            Expr::ListComp(c) => self.visit_comprehension_scope(&c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.visit_comprehension_scope(&c.generators, &[&c.elt]),
            Expr::Generator(c) => self.visit_comprehension_scope(&c.generators, &[&c.elt]),
            Expr::DictComp(c) => match c.key.as_deref() {
                Some(k) => self.visit_comprehension_scope(&c.generators, &[k, &c.value]),
                None => self.visit_comprehension_scope(&c.generators, &[&c.value]),
            },
            Expr::Subscript(s) => {
                if s.ctx == ExprContext::Load {
                    self.record_key_read(&s.value, &s.slice);
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Attribute(a) => {
                if a.attr.as_str() == "modules" || a.attr.as_str() == "__dict__" {
                    // `sys.modules[__name__].x = ...`, `module.__dict__`
                    self.dynamic_names = true;
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Call(c) => {
                self.inspect_call(c);
                if let Expr::Name(n) = c.func.as_ref() {
                    if n.id.as_str() == "setattr" {
                        self.dynamic_names = true;
                    }
                }
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        if self.depth >= MAX_DEPTH {
            self.truncated = true;
            return;
        }
        self.depth += 1;
        match pattern {
            Pattern::MatchAs(p) => {
                if let Some(n) = &p.name {
                    self.bind(n.as_str());
                }
            }
            Pattern::MatchStar(p) => {
                if let Some(n) = &p.name {
                    self.bind(n.as_str());
                }
            }
            Pattern::MatchMapping(p) => {
                if let Some(n) = &p.rest {
                    self.bind(n.as_str());
                }
            }
            _ => {}
        }
        visitor::walk_pattern(self, pattern);
        self.depth -= 1;
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        // Handlers are visited by hand in `visit_stmt` (Try); this is only
        // reached through other paths, which do not exist today.
        let ExceptHandler::ExceptHandler(h) = handler;
        if let Some(name) = &h.name {
            self.bind(name.as_str());
        }
        visitor::walk_except_handler(self, handler);
    }
}
