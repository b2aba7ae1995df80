//! Which flows use an implementation file, and what those flows declare:
//! prompt fields (with `prefetch`), `vars`, strategy or not. Rules use this
//! to check `@prefetch`, `fields["x"]` and `vars["y"]` against the config.
//!
//! A file shared by several flows is checked against the union of what
//! they declare (a read is fine when any owner declares it). Whenever a
//! part of the config is not known (a `dynamic` block over an unknown
//! collection, a name from a variable without value, v1-style `params`
//! maps), the corresponding set is marked incomplete and rules stay quiet.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::module::{
    Entity, ImplementationRef, ImplementationRole, ImplementationSource, Mode, Module, NestedBlock,
    Value,
};
use crate::source::{FileId, Span};

use super::sdk::STRATEGY_IMPLICIT_FIELDS;

/// How a module uses one Python file.
#[derive(Debug, Default)]
pub struct FileUse<'m> {
    /// Every implementation attribute that points at the file.
    pub refs: Vec<&'m ImplementationRef>,
    /// The `sym_flow` instances whose `implementation` it is.
    pub flows: Vec<&'m Entity>,
    /// Some flow referencing the file could not be found among the
    /// entities: what flows declare is then not fully known.
    pub missing_owner: bool,
}

impl FileUse<'_> {
    #[must_use]
    pub fn has_role(&self, role: ImplementationRole) -> bool {
        self.refs.iter().any(|r| r.role == role)
    }

    /// The file is the implementation of at least one `sym_flow`.
    #[must_use]
    pub fn is_flow(&self) -> bool {
        self.has_role(ImplementationRole::Flow)
    }

    /// Owner addresses of flow references, sorted and deduplicated, for
    /// messages.
    #[must_use]
    pub fn flow_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .refs
            .iter()
            .filter(|r| r.role == ImplementationRole::Flow)
            .map(|r| r.owner.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// `` `sym_flow.a` `` or `` `sym_flow.a`, `sym_flow.b` `` for messages;
    /// long lists are cut: `` `a`, `b` and 5 more flows ``.
    #[must_use]
    pub fn flow_list(&self) -> String {
        let names = self.flow_names();
        let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
        let mut list = shown.join(", ");
        if names.len() > 3 {
            list = format!(
                "{}, {} and {} more flows",
                shown[0],
                shown[1],
                names.len() - 2
            );
        }
        list
    }
}

/// The file id an implementation reference points at, when it was read.
#[must_use]
pub fn ref_file(r: &ImplementationRef) -> Option<FileId> {
    match &r.source {
        ImplementationSource::File { file, .. }
        | ImplementationSource::LiteralPath { file, .. } => *file,
        ImplementationSource::Inline | ImplementationSource::Unknown => None,
    }
}

/// Implementation references and flows of a module (and its local child
/// modules), indexed so that looking up every Python file of a large
/// module stays linear.
#[derive(Debug, Default)]
pub struct ModuleIndex<'m> {
    /// File -> (reference, owner address with the child-module prefix).
    refs: FxHashMap<FileId, Vec<(&'m ImplementationRef, Cow<'m, str>)>>,
    /// `sym_flow` block or instance address -> instances.
    flows: FxHashMap<&'m str, Vec<&'m Entity>>,
}

impl<'m> ModuleIndex<'m> {
    #[must_use]
    pub fn new(module: &'m Module) -> Self {
        let mut index = ModuleIndex::default();
        index.add(module);
        index
    }

    fn add(&mut self, module: &'m Module) {
        let mut prefix = String::new();
        for m in &module.module_path {
            prefix.push_str("module.");
            prefix.push_str(m);
            prefix.push('.');
        }
        for r in &module.implementations {
            if let Some(file) = ref_file(r) {
                let owner = if prefix.is_empty() || r.owner.starts_with("module.") {
                    Cow::Borrowed(r.owner.as_str())
                } else {
                    Cow::Owned(format!("{prefix}{}", r.owner))
                };
                self.refs.entry(file).or_default().push((r, owner));
            }
        }
        for e in &module.entities {
            if e.rtype == "sym_flow" && e.mode == Mode::Managed {
                self.flows
                    .entry(e.block_address.as_str())
                    .or_default()
                    .push(e);
                if e.address != e.block_address {
                    self.flows.entry(e.address.as_str()).or_default().push(e);
                }
            }
        }
        for child in &module.children {
            self.add(&child.module);
        }
    }

    /// How the module uses `file`.
    #[must_use]
    pub fn file_use(&self, file: FileId) -> FileUse<'m> {
        let mut out = FileUse::default();
        let mut seen: Vec<(&str, Span)> = Vec::new();
        for (r, owner) in self.refs.get(&file).map_or(&[][..], Vec::as_slice) {
            let owner: &str = owner;
            // A loader may list a child's references in the parent too.
            if seen.contains(&(owner, r.span)) {
                continue;
            }
            seen.push((owner, r.span));
            out.refs.push(*r);
            if r.role != ImplementationRole::Flow {
                continue;
            }
            match self
                .flows
                .get(owner)
                .or_else(|| self.flows.get(r.owner.as_str()))
            {
                Some(found) => out.flows.extend(found.iter().copied()),
                None => out.missing_owner = true,
            }
        }
        out.flows.sort_by(|a, b| a.address.cmp(&b.address));
        out.flows.dedup_by(|a, b| a.address == b.address);
        out
    }
}

/// One declared prompt field (its name is the key in
/// [`DeclaredFields::fields`]). Borrows from the module.
#[derive(Debug, Clone)]
pub struct FieldDecl<'m> {
    /// `Some(true)` / `Some(false)`, or `None` when not known.
    pub prefetch: Option<bool>,
    /// The `type` when known.
    pub field_type: Option<&'m str>,
    /// The `prompt_field` block.
    pub span: Span,
    /// The flow declaring it.
    pub flow: &'m str,
}

/// The prompt fields of a file's flows.
#[derive(Debug, Clone, Default)]
pub struct DeclaredFields<'m> {
    /// By name; one entry per declaring flow.
    pub fields: BTreeMap<Cow<'m, str>, Vec<FieldDecl<'m>>>,
    /// Every prompt_field of every owner is known.
    pub complete: bool,
    /// Some owner has (or may have) a strategy: Sym adds `target`,
    /// `target_id` and `duration`.
    pub strategy: bool,
}

impl DeclaredFields<'_> {
    /// Whether reading `payload.fields[name]` is backed by the config.
    #[must_use]
    pub fn knows(&self, name: &str) -> bool {
        self.fields.contains_key(name)
            || (self.strategy && STRATEGY_IMPLICIT_FIELDS.contains(&name))
    }

    /// The declared field names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.fields.keys().map(|k| &**k)
    }
}

/// The `vars` keys of a file's flows.
#[derive(Debug, Clone, Default)]
pub struct DeclaredVars {
    pub names: BTreeSet<String>,
    pub complete: bool,
}

/// Prompt fields of the given flows (union).
#[must_use]
pub fn declared_fields<'m>(flows: &[&'m Entity]) -> DeclaredFields<'m> {
    let mut out = DeclaredFields {
        complete: !flows.is_empty(),
        ..DeclaredFields::default()
    };
    for flow in flows {
        if flow.body.attr("params").is_some() {
            // v1-style `params = { prompt_fields_json = ... }`
            out.complete = false;
            out.strategy = true;
        }
        for params in flow.body.blocks_of("params") {
            if params.dynamic_unknown {
                out.complete = false;
                out.strategy = true;
                continue;
            }
            match params.body.value("strategy_id") {
                None => {}
                Some(Value::String(s)) if s.is_empty() => {}
                Some(Value::Null) => {}
                Some(_) => out.strategy = true,
            }
            for field in params.body.blocks_of("prompt_field") {
                add_field(&mut out, field, &flow.address);
            }
        }
    }
    out
}

fn add_field<'m>(out: &mut DeclaredFields<'m>, field: &'m NestedBlock, flow: &'m str) {
    if field.dynamic_unknown {
        out.complete = false;
        return;
    }
    let name = match field.body.value("name") {
        Some(Value::String(s)) => Cow::Borrowed(s.as_str()),
        other => {
            let Some(s) = other.and_then(Value::to_tf_string) else {
                out.complete = false;
                return;
            };
            Cow::Owned(s)
        }
    };
    let prefetch = match field.body.value("prefetch") {
        None | Some(Value::Null) => Some(false),
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) if s == "true" => Some(true),
        Some(Value::String(s)) if s == "false" => Some(false),
        Some(_) => None,
    };
    out.fields.entry(name).or_default().push(FieldDecl {
        prefetch,
        field_type: field.body.str("type"),
        span: field.span,
        flow,
    });
}

/// `vars` keys of the given flows (union).
#[must_use]
pub fn declared_vars(flows: &[&Entity]) -> DeclaredVars {
    let mut out = DeclaredVars {
        complete: !flows.is_empty(),
        ..DeclaredVars::default()
    };
    for flow in flows {
        match flow.body.value("vars") {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => out.names.extend(map.keys().cloned()),
            Some(_) => out.complete = false,
        }
    }
    out
}
