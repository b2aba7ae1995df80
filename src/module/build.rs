//! Building the [`Module`] model: declarations, variables, locals, blocks,
//! entities, child modules, references and implementation files.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use crate::hcl::expr::Expression;
use crate::hcl::structure::{Block, Structure};
use crate::hcl::Span as _;

use super::decls::{span_of, Decls};
use super::eval::{Env, Expansion, ImplHit, LoggedRead, Memo, Store};
use super::files::{self, ReadCache};
use super::model::{
    Attribute, ChildModule, Dependency, Entity, ImplementationRef, ImplementationRole,
    ImplementationSource, InstanceKey, LoadOptions, Local, Mode, Module, Output, Problem,
    ProblemKind, ProviderConfig, ProviderVersion, RefTarget, Reference, ResourceBlock,
    UndeclaredValue, Variable, VariableSource, VersionSource,
};
use super::refs::{Collector, RawRef};
use super::value::{UnknownReason, Value};
use super::vars;
use crate::source::{FileId, SourceMap, Span};

/// Deepest chain of local child modules.
const MAX_MODULE_DEPTH: usize = 16;

/// Where a module sits and what it receives.
pub(crate) struct ModuleSite {
    pub dir: PathBuf,
    pub root_dir: PathBuf,
    pub path_module: String,
    pub module_path: Vec<String>,
    /// `None` for the root (values come from tfvars and the like).
    pub inputs: Option<BTreeMap<String, Value>>,
    pub ancestors: Vec<PathBuf>,
    pub parent_version: Option<ProviderVersion>,
    /// Load the known instances of repeated child modules one by one
    /// (for deploy). Off inside a load that stands for all the instances
    /// of a repeated module: its instances are loaded on their own.
    pub expand: bool,
    pub sym_providers: SymProviders,
}

/// How the `sym` provider configurations a module names (`sym`,
/// `sym.sandbox`) resolve to configurations of the root module: through the
/// `providers` argument of each `module` block on the way down, or by
/// inheriting the default `sym` when there is none (as Terraform does).
#[derive(Debug, Clone, Default)]
pub(crate) struct SymProviders {
    /// For a child module: its names -> the root's configuration (`None`:
    /// the root's default `sym`). Empty for the root, whose names are its own.
    map: BTreeMap<String, Option<String>>,
    child: bool,
}

impl SymProviders {
    /// The root configuration that `local` (`sym` or `sym.ALIAS`, as this
    /// module writes it) is: `None` for the root's default `sym`.
    pub(crate) fn resolve(&self, local: &str) -> Option<String> {
        if !self.child {
            return (local != "sym").then(|| local.to_owned());
        }
        match self.map.get(local) {
            Some(root) => root.clone(),
            // The default configuration is inherited; an alias that is not
            // passed down does not exist (Terraform refuses it): keep its
            // name, which deploy refuses too.
            None if local == "sym" => None,
            None => Some(local.to_owned()),
        }
    }

    /// The names of a child module called by `block` from this module.
    fn for_child(&self, block: &Block) -> SymProviders {
        let mut map = BTreeMap::new();
        match block
            .body
            .get_attribute("providers")
            .map(|a| a.value.interpolated())
        {
            Some(Expression::Object(o)) => {
                for (k, v) in o.iter() {
                    let key = match k {
                        crate::hcl::expr::ObjectKey::Ident(i) => {
                            Some(i.value().as_str().to_owned())
                        }
                        crate::hcl::expr::ObjectKey::Expression(e) => provider_address(e),
                    };
                    if let (Some(key), Some(value)) = (key, provider_address(&v.expr)) {
                        if key == "sym" || key.starts_with("sym.") {
                            map.insert(key, self.resolve(&value));
                        }
                    }
                }
            }
            _ => {
                map.insert("sym".to_owned(), self.resolve("sym"));
            }
        }
        SymProviders { map, child: true }
    }
}

/// `sym.sandbox` for the expression `sym.sandbox` (a provider reference as
/// the `provider` and `providers` meta-arguments write it).
pub(crate) fn provider_address(e: &Expression) -> Option<String> {
    match e.interpolated() {
        Expression::Variable(v) => Some(v.value().as_str().to_owned()),
        Expression::String(s) => Some(s.value().clone()),
        Expression::Traversal(t) => {
            let Expression::Variable(root) = &t.expr else {
                return None;
            };
            let mut out = root.value().as_str().to_owned();
            for op in &t.operators {
                let crate::hcl::expr::TraversalOperator::GetAttr(name) = op.value() else {
                    return None;
                };
                out.push('.');
                out.push_str(name.value().as_str());
            }
            Some(out)
        }
        _ => None,
    }
}

/// The root `sym` provider configuration the resource block `b` uses:
/// `None` for the default one.
fn block_provider(env: &Env<'_, '_>, b: &Block) -> Option<String> {
    let local = b
        .body
        .get_attribute("provider")
        .and_then(|a| provider_address(&a.value))
        .unwrap_or_else(|| "sym".to_owned());
    env.sym_providers.resolve(&local)
}

/// The `count` or `for_each` argument `a` of a block in `file`, as the
/// model keeps it: the unknown of its `expansion` when that is unknown (an
/// error Terraform would refuse, say), else its value.
fn repetition_attribute<'a>(
    env: &mut Env<'a, '_>,
    a: &'a crate::hcl::structure::Attribute,
    file: FileId,
    expansion: &Expansion,
) -> Attribute {
    let value = match expansion {
        Expansion::Unknown(u) => u.clone(),
        _ => env.in_file(file, |env| env.eval(&a.value)),
    };
    Attribute {
        name: a.key.value().as_str().to_owned(),
        span: span_of(file, a.span()),
        name_span: span_of(file, a.key.span()),
        expr_span: span_of(file, a.value.span()),
        value,
    }
}

pub(crate) fn load_module(
    site: &ModuleSite,
    sources: &mut SourceMap,
    cache: &mut ReadCache,
    opts: &LoadOptions,
) -> Module {
    let mut prefix = String::new();
    for m in &site.module_path {
        prefix.push_str("module.");
        prefix.push_str(m);
        prefix.push('.');
    }
    let dir_files = files::load_dir(&site.dir, &site.root_dir, &site.path_module, sources, cache);
    if site.module_path.is_empty() {
        if let Some(f) = &cache.observer {
            f(super::Event::Parsed);
        }
    }
    let parsed = &dir_files.files;
    let mut problems = dir_files.problems.clone();
    let mut decls = Decls::build(parsed, &prefix);
    decls.incomplete = parsed.iter().any(|f| f.body.is_none())
        || problems
            .iter()
            .any(|p| matches!(p.kind, ProblemKind::Syntax | ProblemKind::Unreadable));
    let decls = decls;

    let mut env = Env {
        decls: &decls,
        store: Store::Own { sources, cache },
        opts,
        root_dir: site.root_dir.clone(),
        dir: site.dir.clone(),
        path_module: site.path_module.clone(),
        prefix,
        module_path: site.module_path.clone(),
        ancestors: site.ancestors.clone(),
        read_files: Vec::new(),
        read_set: rustc_hash::FxHashSet::default(),
        var_values: Vec::new(),
        locals: decls.locals.iter().map(|_| Memo::Todo).collect(),
        expansions: decls.resources.iter().map(|_| Memo::Todo).collect(),
        attr_memo: HashMap::default(),
        children: decls.modules.iter().map(|_| Memo::Todo).collect(),
        instance_children: decls.modules.iter().map(|_| Memo::Todo).collect(),
        module_expansions: decls.modules.iter().map(|_| Memo::Todo).collect(),
        expand: site.expand,
        scope: Vec::new(),
        file: FileId(0),
        depth: 0,
        impl_hits: Vec::new(),
        depth_exceeded: None,
        problems: Vec::new(),
        provider_version: ProviderVersion::default(),
        sym_providers: site.sym_providers.clone(),
    };

    let mut module = Module {
        dir: site.dir.clone(),
        module_path: site.module_path.clone(),
        files: parsed.iter().map(|f| f.id).collect(),
        unparsed_files: decls.incomplete,
        ..Module::default()
    };

    // Variables.
    let variables = variables(
        &mut env,
        site,
        &dir_files.var_files,
        &mut problems,
        &mut module.undeclared_values,
    );
    module.variables = variables;

    // Provider version and configuration.
    module.provider_version = provider_version(&mut env, site);
    module.provider = provider_config(&mut env);

    // Locals.
    for (i, l) in decls.locals.iter().enumerate() {
        let sp = span_of(l.file, l.attr.span());
        let value = env.local_value(l.name, sp);
        let _ = i;
        module.locals.insert(
            l.name.to_owned(),
            Local {
                name: l.name.to_owned(),
                span: sp,
                value,
            },
        );
    }

    // Child modules (every one: a reference to a remote one is then known
    // to be external without loading anything).
    let mut child_refs: Vec<RawRef> = Vec::new();
    for (i, m) in decls.modules.iter().enumerate() {
        let mut c = Collector::new(m.file);
        c.body(&m.block.body);
        child_refs.extend(c.out);
        let source = module_source(m.block);
        let is_local = source
            .as_deref()
            .is_some_and(|s| s.starts_with("./") || s.starts_with("../"));
        if !is_local {
            module.external_modules.push(m.name.to_owned());
        }
        let _ = env.child(i);
        if let Some(a) = env.module_repetition(i) {
            let expansion = env.module_expansion(i);
            let r = repetition_attribute(&mut env, a, m.file, &expansion);
            module.module_repetitions.push(r);
            // Known instances too, now, while every child is still loaded
            // (an instance's inputs may read another child's outputs).
            if env.expand {
                let _ = env.module_instances(i);
            }
        }
    }
    // How each block repeats, before the blocks themselves: parallel
    // workers read these.
    for idx in 0..decls.resources.len() {
        let _ = env.expansion(idx);
    }
    // Resource and data blocks, with their references.
    let n = decls.resources.len();
    module.blocks.reserve_exact(n);
    module.entities.reserve(n);
    let mut block_refs: Vec<Vec<RawRef>> = Vec::with_capacity(n);
    let mut single_hits: Vec<Vec<ImplHit>> = Vec::with_capacity(n);
    let mut block_undeclared: Vec<Reference> = Vec::new();
    let mut single_entities: Vec<Option<Box<Entity>>> = Vec::with_capacity(n);
    eval_blocks(&mut env, |out| {
        module.blocks.push(out.block);
        block_refs.push(out.refs);
        single_hits.push(out.hits);
        block_undeclared.extend(out.undeclared);
        single_entities.push(out.entity);
    });

    // Entities: `sym_*` instances.
    let mut local_closure = LocalClosure::new(&decls);
    for (idx, d) in decls.resources.iter().enumerate() {
        if !d.rtype.starts_with("sym_") {
            continue;
        }
        if let Some(entity) = single_entities[idx].take() {
            for hit in std::mem::take(&mut single_hits[idx]) {
                if let Some(r) = classify(&mut env, d.rtype, &entity.address, hit) {
                    module.implementations.push(r);
                }
            }
            module.entities.push(*entity);
            continue;
        }
        let keys: Vec<Option<InstanceKey>> = match env.expansion(idx) {
            Expansion::Single | Expansion::Unknown(_) => vec![None],
            known => super::eval::instance_keys(&known)
                .into_iter()
                .map(Some)
                .collect(),
        };
        let deps = dependencies(&mut env, &mut local_closure, &block_refs[idx], idx);
        let block_address = module.blocks[idx].address.clone();
        let provider = block_provider(&env, d.block);
        let name_span = module.blocks[idx].name_span;
        for key in keys {
            let address = env.instance_address(idx, key.as_ref());
            let (body, hits) = if key.is_none() && matches!(env.expansion(idx), Expansion::Single) {
                (
                    module.blocks[idx].body.clone(),
                    std::mem::take(&mut single_hits[idx]),
                )
            } else {
                env.impl_hits.clear();
                let bindings = env.instance_bindings(idx, key.as_ref());
                let body = env.in_file(d.file, |env| {
                    env.with_bindings(bindings, |env| env.eval_body(&d.block.body, true, ""))
                });
                (body.into(), std::mem::take(&mut env.impl_hits))
            };
            for hit in hits {
                if let Some(r) = classify(&mut env, d.rtype, &address, hit) {
                    module.implementations.push(r);
                }
            }
            module.entities.push(Entity {
                mode: d.mode,
                rtype: d.rtype.to_owned(),
                name: d.name.to_owned(),
                key,
                address,
                block_address: block_address.clone(),
                module_path: site.module_path.clone(),
                span: span_of(d.file, d.block.span()),
                name_span,
                body,
                depends_on: deps.clone(),
                provider: provider.clone(),
            });
        }
    }

    // Outputs.
    let mut other_refs: Vec<RawRef> = child_refs;
    for o in &decls.outputs {
        let mut c = Collector::new(o.file);
        c.body(&o.block.body);
        let depends_on = dependencies(&mut env, &mut local_closure, &c.out, usize::MAX);
        other_refs.extend(c.out);
        let value = match o.block.body.get_attribute("value") {
            Some(a) => env.in_file(o.file, |env| env.eval(&a.value)),
            None => Value::Null,
        };
        module.outputs.insert(
            o.name.to_owned(),
            Output {
                name: o.name.to_owned(),
                span: span_of(o.file, o.block.span()),
                value,
                depends_on,
            },
        );
    }
    for (i, m) in decls.modules.iter().enumerate() {
        if let Memo::Done(Some(child)) = std::mem::replace(&mut env.children[i], Memo::Todo) {
            let child = *child;
            if !env.module_has_no_instances(i) {
                module.entities.extend(child.entities.iter().cloned());
                let mut expanded = false;
                if env.module_repetition(i).is_some() {
                    let address = env.address(&format!("module.{}", m.name));
                    module.repeated_modules.push(address.clone());
                    // Known instances, each loaded on its own: what deploy
                    // creates, nested expansions included.
                    let expand = env.expand;
                    if let Some(instances) = env.module_instances(i).filter(|_| expand) {
                        expanded = true;
                        module.expanded_modules.push(address);
                        for (_, instance) in instances {
                            module
                                .instance_entities
                                .extend(instance.instances().cloned());
                            module
                                .repeated_modules
                                .extend(instance.repeated_modules.iter().cloned());
                        }
                    }
                }
                module
                    .repeated_modules
                    .extend(child.repeated_modules.iter().cloned());
                if !expanded {
                    module
                        .expanded_modules
                        .extend(child.expanded_modules.iter().cloned());
                    module
                        .instance_entities
                        .extend(child.instance_entities.iter().cloned());
                }
            }
            // A module used twice has the same files: keep one finding per
            // place.
            for p in &child.problems {
                if !module
                    .problems
                    .iter()
                    .any(|q| q.span == p.span && q.message == p.message && q.path == p.path)
                {
                    module.problems.push(p.clone());
                }
            }
            for r in &child.undeclared {
                if !module.undeclared.iter().any(|q| q.span == r.span) {
                    module.undeclared.push(r.clone());
                }
            }
            for d in &child.duplicates {
                if !module
                    .duplicates
                    .iter()
                    .any(|q| q.first == d.first && q.second == d.second)
                {
                    module.duplicates.push(d.clone());
                }
            }
            module
                .implementations
                .extend(child.implementations.iter().cloned());
            module.children.push(ChildModule {
                name: m.name.to_owned(),
                span: span_of(m.file, m.block.span()),
                name_span: super::decls::label_span(m.block, 0, m.file),
                source: module_source(m.block).unwrap_or_default(),
                inputs: module_inputs(m.block)
                    .map(|a| {
                        (
                            a.key.value().as_str().to_owned(),
                            span_of(m.file, a.key.span()),
                        )
                    })
                    .collect(),
                module: child,
            });
        }
    }

    for l in &decls.locals {
        let mut c = Collector::new(l.file);
        c.expr(&l.attr.value, 0);
        other_refs.extend(c.out);
    }
    for (b, file) in &decls.providers {
        let mut c = Collector::new(*file);
        c.body(&b.body);
        other_refs.extend(c.out);
    }

    // Undeclared references, in source order per kind of declaration.
    // (Those of resource and data blocks were found with the blocks.)
    let mut undeclared: Vec<Reference> = block_undeclared;
    for r in other_refs.iter().map(|r| &r.reference) {
        if !declared(&decls, &r.target) {
            undeclared.push(r.clone());
        }
    }
    undeclared.sort_by_key(|r| (r.span.file, r.span.start));
    // A file of this module that could not be read or parsed may declare
    // what these name: its own error says what to fix, and "undeclared"
    // findings on top of it would be false until it is fixed (Terraform
    // reports only the syntax error too).
    if decls.incomplete {
        undeclared.clear();
    }
    undeclared.extend(std::mem::take(&mut module.undeclared));
    module.undeclared = undeclared;

    let mut dups = decls.duplicates.clone();
    dups.append(&mut module.duplicates);
    module.duplicates = dups;

    if let Some(sp) = env.depth_exceeded {
        problems.push(Problem {
            kind: ProblemKind::Syntax,
            message: format!(
                "expression nested too deeply (more than {} levels)",
                super::eval::MAX_EVAL_DEPTH
            ),
            span: Some(sp),
            path: env.sources().get(sp.file).path.clone(),
            help: Some("split the expression into locals".to_owned()),
        });
    }
    problems.append(&mut env.problems);
    problems.append(&mut module.problems);
    module.problems = problems;
    let mut read = std::mem::take(&mut env.read_files);
    for c in &module.children {
        for id in &c.module.read_files {
            if !read.contains(id) {
                read.push(*id);
            }
        }
    }
    module.read_files = read;
    module
}

/// A resource or data block evaluated once (with placeholders for
/// `count`/`each`), its references and the implementation attributes met.
struct BlockOut {
    block: ResourceBlock,
    /// The references with their instance keys, for a repeated `sym_*`
    /// block (its instances' dependencies); empty for the others.
    refs: Vec<RawRef>,
    hits: Vec<ImplHit>,
    /// The block's references to nothing declared.
    undeclared: Vec<Reference>,
    /// The entity of a `sym_*` block that does not repeat (its
    /// implementation files are classified after the files are registered).
    entity: Option<Box<Entity>>,
}

/// Blocks at which evaluating them on several threads starts to pay for
/// the threads.
const PARALLEL_BLOCKS: usize = 256;

/// Evaluate every resource and data block of `env`'s module, in order. A
/// big module is shared out among worker threads (each takes the next
/// block), whose file reads are then registered here in block order: the
/// result is the same as on one thread. If a worker meets what only this
/// thread can do, the module is evaluated here instead.
fn eval_blocks(env: &mut Env<'_, '_>, mut sink: impl FnMut(BlockOut)) {
    let n = env.decls.resources.len();
    let threads = crate::cores().min(4);
    if n >= PARALLEL_BLOCKS && threads > 1 && !env.opts.single_thread {
        if let Some(done) = eval_blocks_parallel(env, threads) {
            for (out, log, deep) in done {
                env.replay(log);
                if let Some(sp) = deep {
                    env.depth_exceeded.get_or_insert(sp);
                }
                sink(out);
            }
            return;
        }
    }
    let mut closure = LocalClosure::new(env.decls);
    for idx in 0..n {
        sink(eval_block(env, &mut closure, idx));
    }
}

type WorkerBlock = (BlockOut, Vec<LoggedRead>, Option<Span>);

/// The blocks evaluated by `threads` workers, in block order (moved out of
/// the workers' lists as they are taken), or `None`
/// when a worker could not finish (see [`eval_blocks`]).
fn eval_blocks_parallel(
    env: &Env<'_, '_>,
    threads: usize,
) -> Option<impl Iterator<Item = WorkerBlock>> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let n = env.decls.resources.len();
    let next = AtomicUsize::new(0);
    let give_up = AtomicBool::new(false);
    // Each worker takes the next block and keeps what it made, in the
    // order it took them (increasing); the lists are merged afterwards.
    let work = |mut w: Env<'_, '_>| -> Option<Vec<(usize, WorkerBlock)>> {
        let mut closure = LocalClosure::new(w.decls);
        let mut done = Vec::with_capacity(n.div_ceil(threads) + 64);
        while !give_up.load(Ordering::Relaxed) {
            let idx = next.fetch_add(1, Ordering::Relaxed);
            if idx >= n {
                return Some(done);
            }
            let out = eval_block(&mut w, &mut closure, idx);
            if w.blocked() {
                give_up.store(true, Ordering::Relaxed);
                return None;
            }
            done.push((idx, (out, w.take_log(), w.depth_exceeded.take())));
        }
        None
    };
    let mut forks = Vec::with_capacity(threads);
    for _ in 0..threads {
        forks.push(env.fork()?);
    }
    let mine = forks.pop()?;
    let lists = std::thread::scope(|s| {
        let helpers: Vec<_> = forks
            .into_iter()
            .filter_map(|w| {
                std::thread::Builder::new()
                    .stack_size(files::STACK_BYTES)
                    .spawn_scoped(s, || work(w))
                    .ok()
            })
            .collect();
        // A panicking worker (a bug) gives the blocks back to this thread.
        let mut lists =
            vec![std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(mine))).ok()?];
        for h in helpers {
            lists.push(h.join().ok()?);
        }
        lists.into_iter().collect::<Option<Vec<_>>>()
    })?;
    in_order(lists, n)
}

/// Lists of `(index, item)`, each in increasing index order and together
/// holding each index of `0..n` once, as one sequence in index order;
/// `None` if some index is missing.
fn in_order<T>(lists: Vec<Vec<(usize, T)>>, n: usize) -> Option<impl Iterator<Item = T>> {
    // Indexes are handed out once each and are below `n`: all are there
    // when there are `n` of them.
    if lists.iter().map(Vec::len).sum::<usize>() != n {
        return None;
    }
    Some(files::by_index(lists, n).flatten())
}

/// Evaluate resource or data block `idx` once, with placeholders for
/// `count.index` and `each.*` when it repeats.
fn eval_block(env: &mut Env<'_, '_>, closure: &mut LocalClosure, idx: usize) -> BlockOut {
    let d = &env.decls.resources[idx];
    let mut c = Collector::new(d.file);
    c.body(&d.block.body);
    let refs = c.out;
    let expansion = env.expansion(idx);
    let placeholder = match (&expansion, d.count.is_some()) {
        (Expansion::Single, _) => Vec::new(),
        (_, true) => vec![(
            "count".to_owned(),
            Value::Object(BTreeMap::from([(
                "index".to_owned(),
                Value::unknown(
                    UnknownReason::Unsupported {
                        what: "count.index outside one instance (see the entities)".to_owned(),
                    },
                    None,
                ),
            )])),
        )],
        (_, false) => {
            let u = Value::unknown(
                UnknownReason::Unsupported {
                    what: "each.* outside one instance (see the entities)".to_owned(),
                },
                None,
            );
            vec![(
                "each".to_owned(),
                Value::Object(BTreeMap::from([
                    ("key".to_owned(), u.clone()),
                    ("value".to_owned(), u),
                ])),
            )]
        }
    };
    env.impl_hits.clear();
    let body = env.in_file(d.file, |env| {
        env.with_bindings(placeholder, |env| env.eval_body(&d.block.body, true, ""))
    });
    let hits = std::mem::take(&mut env.impl_hits);
    let repetition = d
        .count
        .or(d.for_each)
        .map(|a| Box::new(repetition_attribute(env, a, d.file, &expansion)));
    let undeclared = refs
        .iter()
        .filter(|r| !declared(env.decls, &r.reference.target))
        .map(|r| r.reference.clone())
        .collect();
    let (type_span, name_span) = label_spans(d.block, d.file);
    let is_sym = d.rtype.starts_with("sym_");
    let single = matches!(expansion, Expansion::Single);
    let depends_on = (is_sym && single).then(|| dependencies(env, closure, &refs, idx));
    // The instances of a repeated `sym_*` block need the references (with
    // their instance keys) again; the others' move into the block.
    let (references, refs) = if is_sym && !single {
        (refs.iter().map(|r| r.reference.clone()).collect(), refs)
    } else {
        (refs.into_iter().map(|r| r.reference).collect(), Vec::new())
    };
    let block = ResourceBlock {
        mode: d.mode,
        rtype: d.rtype.to_owned(),
        name: d.name.to_owned(),
        address: d.address(&env.prefix),
        span: span_of(d.file, d.block.span()),
        type_span,
        name_span,
        body: body.into(),
        repetition,
        references,
    };
    let entity = depends_on.map(|depends_on| {
        Box::new(Entity {
            mode: d.mode,
            rtype: d.rtype.to_owned(),
            name: d.name.to_owned(),
            key: None,
            address: block.address.clone(),
            block_address: block.address.clone(),
            module_path: env.module_path.clone(),
            span: block.span,
            name_span,
            body: std::sync::Arc::clone(&block.body),
            depends_on,
            provider: block_provider(env, d.block),
        })
    });
    BlockOut {
        block,
        refs,
        hits,
        undeclared,
        entity,
    }
}

/// The arguments of a `module` block that set the child's variables (its
/// meta-arguments left out).
fn module_inputs(b: &Block) -> impl Iterator<Item = &crate::hcl::structure::Attribute> {
    b.body.attributes().filter(|a| {
        !matches!(
            a.key.value().as_str(),
            "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
        )
    })
}

fn module_source(b: &Block) -> Option<String> {
    match b.body.get_attribute("source").map(|a| &a.value) {
        Some(Expression::String(s)) => Some(s.value().clone()),
        _ => None,
    }
}

fn label_spans(b: &Block, file: FileId) -> (Span, Span) {
    let t = b
        .labels
        .first()
        .map_or_else(|| b.ident.span(), |l| l.span());
    let n = b.labels.get(1).map_or_else(|| b.ident.span(), |l| l.span());
    (span_of(file, t), span_of(file, n))
}

fn declared(decls: &Decls<'_>, t: &RefTarget) -> bool {
    match t {
        RefTarget::Resource { rtype, name } => {
            decls
                .res_idx
                .contains_key(&(Mode::Managed, rtype.as_str(), name.as_str()))
        }
        RefTarget::Data { rtype, name } => {
            decls
                .res_idx
                .contains_key(&(Mode::Data, rtype.as_str(), name.as_str()))
        }
        RefTarget::Local(n) => decls.local_idx.contains_key(n.as_str()),
        RefTarget::Variable(n) => decls.var_idx.contains_key(n.as_str()),
        RefTarget::Module(n) => decls.mod_idx.contains_key(n.as_str()),
    }
}

/// Load the local child module of `module` block `i`: for all its
/// instances at once (`instance` is `None`; `count.index` and `each` are
/// unknown when the block repeats), or as the one instance `instance`.
pub(crate) fn load_child(
    env: &mut Env<'_, '_>,
    i: usize,
    instance: Option<(&InstanceKey, &super::eval::Expansion)>,
) -> Option<Module> {
    let decls = env.decls;
    let m = &decls.modules[i];
    let source = module_source(m.block)?;
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    let src_span = m.block.body.get_attribute("source").map_or_else(
        || span_of(m.file, m.block.span()),
        |a| span_of(m.file, a.value.span()),
    );
    let child_dir = files::normalize(&env.dir.join(&source));
    let path = env.sources().get(m.file).path.clone();
    if !child_dir.is_dir() {
        env.problems.push(Problem {
            kind: ProblemKind::MissingModule,
            message: format!(
                "module `{}`: directory {} does not exist",
                m.name,
                child_dir.display()
            ),
            span: Some(src_span),
            path,
            help: Some("fix `source`, or create the module directory".to_owned()),
        });
        return None;
    }
    let canon = std::fs::canonicalize(&child_dir).unwrap_or_else(|_| child_dir.clone());
    if env.ancestors.contains(&canon) || env.module_path.len() >= MAX_MODULE_DEPTH {
        env.problems.push(Problem {
            kind: ProblemKind::MissingModule,
            message: format!("module `{}` includes itself (a module cycle)", m.name),
            span: Some(src_span),
            path,
            help: Some("a module may not call itself, directly or through others".to_owned()),
        });
        return None;
    }
    let mut inputs = BTreeMap::new();
    let saved = std::mem::take(&mut env.scope);
    if let Some((key, expansion)) = instance {
        env.scope
            .push(super::eval::instance_binding(key, expansion));
    } else if let Some(u) = env.module_instances_unknown(i) {
        // A module with `count` or `for_each` is loaded once, standing for
        // all its instances: `count.index` and `each.*` in its inputs are
        // unknown.
        env.scope.push(super::eval::unknown_count(u.clone()));
        env.scope.push(super::eval::unknown_each(u));
    }
    for a in module_inputs(m.block) {
        let name = a.key.value().as_str();
        let v = env.in_file(m.file, |env| env.eval(&a.value));
        inputs.insert(name.to_owned(), v);
    }
    env.scope = saved;
    let mut ancestors = env.ancestors.clone();
    ancestors.push(canon);
    let mut module_path = env.module_path.clone();
    module_path.push(match instance {
        Some((key, _)) => [m.name, &super::eval::key_suffix(key)].concat(),
        None => m.name.to_owned(),
    });
    let path_module = files::normalize(&Path::new(&env.path_module).join(&source))
        .to_string_lossy()
        .into_owned();
    let site = ModuleSite {
        dir: child_dir,
        root_dir: env.root_dir.clone(),
        path_module,
        module_path,
        inputs: Some(inputs),
        ancestors,
        parent_version: Some(env.provider_version.clone()),
        // A load for all the instances of a repeated module expands
        // nothing below it: each instance is loaded on its own.
        expand: env.expand && (instance.is_some() || env.module_repetition(i).is_none()),
        sym_providers: env.sym_providers.for_child(m.block),
    };
    let opts = env.opts;
    let (sources, cache) = env.own_store()?;
    Some(load_module(&site, sources, cache, opts))
}

fn variables(
    env: &mut Env<'_, '_>,
    site: &ModuleSite,
    var_files: &[String],
    problems: &mut Vec<Problem>,
    undeclared: &mut Vec<UndeclaredValue>,
) -> BTreeMap<String, Variable> {
    let decls = env.decls;
    let type_text = |env: &Env<'_, '_>, e: Option<&Expression>, file: FileId| {
        e.and_then(|e| e.span())
            .and_then(|r| env.sources().get(file).text.get(r).map(str::to_owned))
    };
    let types: BTreeMap<String, Option<String>> = decls
        .variables
        .iter()
        .map(|v| (v.name.to_owned(), type_text(env, v.type_expr, v.file)))
        .collect();
    let mut settings = match &site.inputs {
        None => {
            let mut read = Vec::new();
            let opts = env.opts;
            let dir = vars::VarDir {
                path: &site.dir,
                listed: var_files,
            };
            let s = match env.own_store() {
                Some((sources, cache)) => {
                    let mut found = vars::VarFileFindings {
                        read_files: &mut read,
                        problems,
                        undeclared,
                    };
                    vars::root_values(&dir, &types, opts, sources, cache, &mut found)
                }
                None => BTreeMap::new(),
            };
            for id in read {
                if env.read_set.insert(id) {
                    env.read_files.push(id);
                }
            }
            s
        }
        Some(inputs) => inputs
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    vars::VarSetting {
                        value: v.clone(),
                        source: VariableSource::ModuleInput,
                    },
                )
            })
            .collect(),
    };
    let mut out = BTreeMap::new();
    env.var_values = Vec::with_capacity(decls.variables.len());
    for v in &decls.variables {
        let span = span_of(v.file, v.block.span());
        let ty = types.get(v.name).cloned().flatten();
        let default = v
            .default
            .map(|d| vars::literal_value(d, Some(v.file), 0))
            .map(|d| vars::apply_type(d, ty.as_deref()));
        let (value, source) = match settings.remove(v.name) {
            Some(s) => (vars::apply_type(s.value, ty.as_deref()), s.source),
            None => match &default {
                Some(d) => (d.clone(), VariableSource::Default),
                None => (
                    Value::unknown(
                        UnknownReason::Variable {
                            name: v.name.to_owned(),
                        },
                        Some(span),
                    ),
                    VariableSource::Missing,
                ),
            },
        };
        // An error in what the `module` block passes is reported there, in
        // the caller (SF005 checks module arguments): inside the module it
        // is a value that cannot be known, not an error of its own.
        env.var_values
            .push(if source == VariableSource::ModuleInput {
                let caller = site.module_path.last().map_or("", String::as_str);
                super::eval::errors_reported_elsewhere(
                    &value,
                    &format!(
                        "var.{}, whose argument in module.{caller} has an error",
                        v.name
                    ),
                )
            } else {
                value.clone()
            });
        out.insert(
            v.name.to_owned(),
            Variable {
                name: v.name.to_owned(),
                span,
                type_text: ty,
                default,
                value,
                value_source: source,
            },
        );
    }
    out
}

/// The newest major version of the Sym provider.
const LATEST_MAJOR: u8 = 3;

/// A version as a number, 1,000,000 per major and 1,000 per minor (enough
/// for comparing ranges), and how many of its three parts are written.
/// Pre-release and build suffixes are left out.
pub(crate) fn version_number(v: &str) -> Option<(u64, usize)> {
    let core = v.trim().trim_start_matches('v');
    let core = core.split(['-', '+']).next()?;
    let parts: Vec<u64> = core
        .split('.')
        .map(|p| p.parse::<u64>().ok().filter(|n| *n < 1000))
        .collect::<Option<_>>()?;
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let at = |i: usize| parts.get(i).copied().unwrap_or(0);
    Some((at(0) * 1_000_000 + at(1) * 1000 + at(2), parts.len()))
}

/// The versions a constraint allows, as [`version_number`]s: the lowest
/// allowed and the first not allowed above it (`!=` is ignored: it leaves
/// whole majors open). `None` when a part cannot be read.
pub(crate) fn constraint_range(text: &str) -> Option<(u64, u64)> {
    let mut low = 0u64;
    let mut high = u64::MAX;
    for part in text.split(',') {
        let part = part.trim();
        let (op, rest) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|r| (*op, r)))
            .unwrap_or(("=", part));
        let (v, n) = version_number(rest)?;
        match op {
            ">=" => low = low.max(v),
            ">" => low = low.max(v + 1),
            "<" => high = high.min(v),
            "<=" => high = high.min(v + 1),
            "=" => {
                low = low.max(v);
                high = high.min(v + 1);
            }
            "~>" => {
                low = low.max(v);
                // `~> 2` and `~> 2.1` stay within major 2; `~> 2.1.3`
                // within minor 2.1.
                let step = if n == 3 { 1000 } else { 1_000_000 };
                high = high.min(v - v % step + step);
            }
            _ => {}
        }
    }
    Some((low, high))
}

/// The major version `terraform init` installs for a version constraint:
/// the newest major (up to [`LATEST_MAJOR`]) that some version allowed by
/// every comma-separated part satisfies (`>= 2.0, < 4` installs 3.x, `~>
/// 2.1` 2.x). Falls back to the first number of a constraint it cannot
/// read, and `None` when there is no number at all.
fn constraint_major(text: &str) -> Option<u8> {
    let Some((low, high)) = constraint_range(text) else {
        return major_of(text);
    };
    (0..=LATEST_MAJOR)
        .rev()
        .find(|m| {
            let from = u64::from(*m) * 1_000_000;
            let to = from + 1_000_000;
            low.max(from) < high.min(to)
        })
        .or_else(|| major_of(text))
}

/// The major version in a version text (`3.6.0`): the first number.
fn major_of(text: &str) -> Option<u8> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn provider_version(env: &mut Env<'_, '_>, site: &ModuleSite) -> ProviderVersion {
    let version = provider_version_inner(env, site);
    env.provider_version = version.clone();
    version
}

fn provider_version_inner(env: &mut Env<'_, '_>, site: &ModuleSite) -> ProviderVersion {
    if site.inputs.is_none() {
        let lock = site.dir.join(".terraform.lock.hcl");
        if lock.is_file() {
            if let Ok(id) = env.read_file(&lock) {
                if let Some(v) = lock_version(env.sources(), id) {
                    return v;
                }
            }
        }
    }
    let decls = env.decls;
    for (b, file) in &decls.terraform {
        for rp in b.body.get_blocks("required_providers") {
            let Some(sym) = rp.body.get_attribute("sym") else {
                continue;
            };
            let Expression::Object(o) = &sym.value else {
                continue;
            };
            for (k, v) in o {
                let key = match k {
                    crate::hcl::expr::ObjectKey::Ident(i) => i.value().as_str().to_owned(),
                    crate::hcl::expr::ObjectKey::Expression(Expression::String(s)) => {
                        s.value().clone()
                    }
                    crate::hcl::expr::ObjectKey::Expression(Expression::Variable(s)) => {
                        s.value().as_str().to_owned()
                    }
                    crate::hcl::expr::ObjectKey::Expression(_) => continue,
                };
                if key != "version" {
                    continue;
                }
                if let Expression::String(s) = v.expr() {
                    let text = s.value().clone();
                    if let Some(major) = constraint_major(&text) {
                        return ProviderVersion {
                            major,
                            text: Some(text),
                            source: VersionSource::Constraint,
                            span: Some(span_of(*file, v.expr().span())),
                        };
                    }
                }
            }
        }
    }
    site.parent_version.clone().unwrap_or_default()
}

fn lock_version(sources: &SourceMap, id: FileId) -> Option<ProviderVersion> {
    let body = crate::hcl::parser::parse_body(&sources.get(id).text).ok()?;
    for s in &body {
        let Structure::Block(b) = s else { continue };
        if b.ident.value().as_str() != "provider" {
            continue;
        }
        let Some(label) = b.labels.first() else {
            continue;
        };
        let l = label.as_str().to_ascii_lowercase();
        if !(l.ends_with("symopsio/sym") || l == "sym") {
            continue;
        }
        let a = b.body.get_attribute("version")?;
        let Expression::String(v) = &a.value else {
            continue;
        };
        let major = major_of(v.value())?;
        return Some(ProviderVersion {
            major,
            text: Some(v.value().clone()),
            source: VersionSource::LockFile,
            span: Some(span_of(id, a.value.span())),
        });
    }
    None
}

fn provider_config(env: &mut Env<'_, '_>) -> Option<ProviderConfig> {
    let decls = env.decls;
    let (b, file) = decls
        .providers
        .iter()
        .filter(|(b, _)| b.labels.first().is_some_and(|l| l.as_str() == "sym"))
        .min_by_key(|(b, _)| b.body.has_attribute("alias"))?;
    let body = env.in_file(*file, |env| env.eval_body(&b.body, false, ""));
    env.impl_hits.clear();
    Some(ProviderConfig {
        span: span_of(*file, b.span()),
        org: body.attr("org").cloned(),
        jwt_env_var: body.attr("jwt_env_var").cloned(),
        body,
    })
}

/// Which `sym_*` resources each local reaches, transitively.
struct LocalClosure {
    memo: Vec<Option<Vec<RawRef>>>,
    visiting: HashSet<usize>,
}

impl LocalClosure {
    fn new(decls: &Decls<'_>) -> Self {
        LocalClosure {
            memo: decls.locals.iter().map(|_| None).collect(),
            visiting: HashSet::default(),
        }
    }

    fn refs(&mut self, decls: &Decls<'_>, i: usize) -> Vec<RawRef> {
        if let Some(r) = &self.memo[i] {
            return r.clone();
        }
        if !self.visiting.insert(i) {
            return Vec::new();
        }
        let l = &decls.locals[i];
        let mut c = Collector::new(l.file);
        c.expr(&l.attr.value, 0);
        let mut out = Vec::new();
        for r in c.out {
            match &r.reference.target {
                RefTarget::Resource { .. } | RefTarget::Data { .. } => out.push(r),
                RefTarget::Local(n) => {
                    if let Some(&j) = decls.local_idx.get(n.as_str()) {
                        out.extend(self.refs(decls, j));
                    }
                }
                _ => {}
            }
        }
        self.visiting.remove(&i);
        self.memo[i] = Some(out.clone());
        out
    }
}

fn dependencies(
    env: &mut Env<'_, '_>,
    closure: &mut LocalClosure,
    refs: &[RawRef],
    own: usize,
) -> Vec<Dependency> {
    let decls = env.decls;
    let mut out: Vec<Dependency> = Vec::new();
    let mut seen: HashSet<String> = HashSet::default();
    let add = |env: &mut Env<'_, '_>,
               r: &RawRef,
               span: Span,
               out: &mut Vec<Dependency>,
               seen: &mut HashSet<String>| {
        let (mode, rtype, name) = match &r.reference.target {
            RefTarget::Resource { rtype, name } => (Mode::Managed, rtype, name),
            RefTarget::Data { rtype, name } => (Mode::Data, rtype, name),
            _ => return,
        };
        if !rtype.starts_with("sym_") {
            return;
        }
        let Some(&idx) = decls.res_idx.get(&(mode, rtype.as_str(), name.as_str())) else {
            return;
        };
        if idx == own {
            return;
        }
        match (&r.key, env.expansion(idx)) {
            (Some(k), _) => push_new(out, seen, env.instance_address(idx, Some(k)), span),
            (None, Expansion::Count(n)) => {
                for i in 0..n {
                    let a = env.instance_address(idx, Some(&InstanceKey::Index(i)));
                    push_new(out, seen, a, span);
                }
            }
            (None, Expansion::Map(m)) => {
                for (k, _) in m {
                    let a = env.instance_address(idx, Some(&InstanceKey::Key(k.clone())));
                    push_new(out, seen, a, span);
                }
            }
            (None, _) => push_new(out, seen, env.instance_address(idx, None), span),
        }
    };
    let seen = &mut seen;
    for r in refs {
        match &r.reference.target {
            RefTarget::Module(n) => {
                let Some(&i) = decls.mod_idx.get(n.as_str()) else {
                    continue;
                };
                let output = r.reference.text.split('.').nth(2).map(str::to_owned);
                // A module whose instances are loaded one by one: what the
                // output depends on in each of them (`module.t["a"].x` or
                // `module.t`; all of them, which never misorders).
                if env.expand && env.module_repetition(i).is_some() {
                    // No instances: nothing to wait for.
                    if env.module_has_no_instances(i) {
                        continue;
                    }
                    if let Some(instances) = env.module_instances(i) {
                        let deps: Vec<String> = instances
                            .iter()
                            .flat_map(|(_, child)| output_dependencies(child, output.as_deref()))
                            .collect();
                        for a in deps {
                            push_new(&mut out, seen, a, r.reference.span);
                        }
                        continue;
                    }
                }
                let deps: Vec<String> = match env.child(i) {
                    Some(child) => output_dependencies(child, output.as_deref()).collect(),
                    None => Vec::new(),
                };
                for a in deps {
                    push_new(&mut out, seen, a, r.reference.span);
                }
            }
            RefTarget::Local(n) => {
                if let Some(&j) = decls.local_idx.get(n.as_str()) {
                    for inner in closure.refs(decls, j) {
                        add(env, &inner, r.reference.span, &mut out, seen);
                    }
                }
            }
            _ => add(env, r, r.reference.span, &mut out, seen),
        }
    }
    out
}

/// What output `output` of a child module (every output: `None`) depends
/// on, as instance addresses.
fn output_dependencies<'m>(
    child: &'m Module,
    output: Option<&'m str>,
) -> impl Iterator<Item = String> + 'm {
    child
        .outputs
        .iter()
        .filter(move |(name, _)| output.is_none_or(|want| want == name.as_str()))
        .flat_map(|(_, o)| o.depends_on.iter().map(|d| d.address.clone()))
}

/// Add a dependency on `address` unless `out` has one already. Most
/// blocks depend on a handful of entities: those are compared one by one;
/// past that, `seen` (filled on first use) holds the addresses in `out`.
fn push_new(out: &mut Vec<Dependency>, seen: &mut HashSet<String>, address: String, span: Span) {
    const SCAN: usize = 16;
    if out.len() < SCAN {
        if out.iter().any(|d| d.address == address) {
            return;
        }
    } else {
        if seen.is_empty() {
            seen.extend(out.iter().map(|d| d.address.clone()));
        }
        if !seen.insert(address.clone()) {
            return;
        }
    }
    out.push(Dependency { address, span });
}

fn classify(
    env: &mut Env<'_, '_>,
    rtype: &str,
    owner: &str,
    hit: ImplHit,
) -> Option<ImplementationRef> {
    let role = match (rtype, hit.attribute.as_str()) {
        ("sym_flow", "implementation") => ImplementationRole::Flow,
        ("sym_flow", "params.prompt_field.on_change") => ImplementationRole::OnChange,
        ("sym_flows_filter", "implementation") => ImplementationRole::FlowsFilter,
        ("sym_strategy", "implementation") => ImplementationRole::Strategy,
        _ => return None,
    };
    let source = if let Some(arg) = hit.expr_is_file_call {
        match arg {
            Value::String(p) => {
                let resolved = env.resolve(&p);
                let file = env.registered_id(&resolved);
                let exists = file.is_some() || resolved.is_file();
                ImplementationSource::File {
                    path: PathBuf::from(p),
                    resolved,
                    exists,
                    file,
                }
            }
            _ => ImplementationSource::Unknown,
        }
    } else {
        match &hit.value {
            Value::String(s)
                if !s.contains('\n')
                    && (s.trim_end().ends_with(".py") || role == ImplementationRole::Strategy)
                    && !s.trim().is_empty() =>
            {
                let resolved = env.resolve(s);
                let exists = resolved.is_file();
                let file = if exists {
                    env.read_file(&resolved).ok()
                } else {
                    None
                };
                ImplementationSource::LiteralPath {
                    path: s.clone(),
                    resolved,
                    exists,
                    file,
                }
            }
            Value::String(_) => ImplementationSource::Inline,
            _ => ImplementationSource::Unknown,
        }
    };
    Some(ImplementationRef {
        owner: owner.to_owned(),
        attribute: hit.attribute,
        role,
        span: hit.span,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::{constraint_major, major_of};

    #[test]
    fn major_versions_come_from_the_first_number() {
        assert_eq!(major_of("3.6.0"), Some(3));
        assert_eq!(major_of("latest"), None);
    }

    #[test]
    fn constraints_give_the_major_terraform_init_installs() {
        assert_eq!(constraint_major("~> 3.0"), Some(3));
        assert_eq!(constraint_major("~> 2"), Some(2));
        assert_eq!(constraint_major("~> 2.10.1"), Some(2));
        assert_eq!(constraint_major("2.4.0"), Some(2));
        assert_eq!(constraint_major("= 2.4.0"), Some(2));
        // The newest allowed major, not the first number written.
        assert_eq!(constraint_major(">= 2.1, < 4"), Some(3));
        assert_eq!(constraint_major(">= 2.0, < 3.0.0"), Some(2));
        assert_eq!(constraint_major(">= 1.14, <= 3.0.0"), Some(3));
        assert_eq!(constraint_major(">= 2"), Some(3));
        assert_eq!(constraint_major("< 3"), Some(2));
        assert_eq!(constraint_major("> 2.99.999"), Some(3));
        assert_eq!(constraint_major(">= 2, != 3.1.0"), Some(3));
        // Nothing allowed, or not readable: the first number.
        assert_eq!(constraint_major(">= 3, < 2"), Some(3));
        assert_eq!(constraint_major("~> two"), None);
        assert_eq!(constraint_major("~> 2.x"), Some(2));
    }

    #[test]
    fn a_feature_is_allowed_when_the_newest_version_a_module_may_get_has_it() {
        use crate::module::{ProviderVersion, VersionSource};
        let v = |source, text: &str| ProviderVersion {
            major: 3,
            text: Some(text.to_owned()),
            source,
            span: None,
        };
        let constraint = |t| v(VersionSource::Constraint, t);
        let lock = |t| v(VersionSource::LockFile, t);
        assert!(constraint("~> 3.0").allows("3.6.0"));
        assert!(constraint(">= 3.1").allows("3.6.0"));
        assert!(constraint("~> 3.2.0").allows("3.2.0"));
        assert!(!constraint("~> 3.1.0").allows("3.2.0"));
        assert!(!constraint("3.1.0").allows("3.2.0"));
        assert!(!constraint("= 3.4.1").allows("3.4.2"));
        assert!(!constraint(">= 3.0, < 3.5").allows("3.5.0"));
        assert!(constraint(">= 3.0, <= 3.5.0").allows("3.5.0"));
        assert!(lock("3.6.0").allows("3.6.0"));
        assert!(!lock("3.5.1").allows("3.6.0"));
        // Unreadable: no finding rather than a false one.
        assert!(constraint("~> three").allows("3.6.0"));
        assert!(ProviderVersion::default().allows("3.6.0"));
    }
}
