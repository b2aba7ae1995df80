//! The desired state: the module's `sym_*` instances as [`Fields`], with the
//! provider's defaults filled in and unknown values classified as pending (an
//! entity of this module not created yet) or blocked (a value symflow cannot
//! know).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::api::entities::{fill_defaults, Attr, Blocker, Field, Fields, Kind, Ty, PROMPT_FIELD};
use crate::module::{Body, Mode, Module, UnknownReason, Value};

/// One entity the module declares (or a data source it reads).
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    /// Instance address: `sym_flow.access`, `data.sym_integration.slack`.
    pub address: String,
    pub kind: Kind,
    /// A data source: looked up, never written.
    pub data: bool,
    pub fields: Fields,
    /// Addresses of the entities it references.
    pub depends_on: Vec<String>,
    /// `file:line` of its block, when known.
    pub location: Option<String>,
}

impl Desired {
    /// Every blocked field (key, why).
    #[must_use]
    pub fn blockers(&self) -> Vec<(String, Blocker)> {
        let mut out = Vec::new();
        collect_blockers("", &self.fields, &mut out);
        out
    }

    /// Addresses this entity's fields still wait for.
    #[must_use]
    pub fn pending(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        collect_pending(&self.fields, &mut out);
        out
    }
}

fn collect_blockers(prefix: &str, fields: &Fields, out: &mut Vec<(String, Blocker)>) {
    for (k, v) in fields {
        match v {
            Field::Blocked(b) => out.push((format!("{prefix}{k}"), b.clone())),
            Field::PromptFields(items) => {
                for (i, item) in items.iter().enumerate() {
                    collect_blockers(&format!("{prefix}{k}[{i}]."), item, out);
                }
            }
            _ => {}
        }
    }
}

fn collect_pending(fields: &Fields, out: &mut BTreeSet<String>) {
    for v in fields.values() {
        match v {
            Field::Pending(a) => {
                out.insert(a.clone());
            }
            Field::PromptFields(items) => items.iter().for_each(|i| collect_pending(i, out)),
            _ => {}
        }
    }
}

/// The desired entities of a loaded module, in declaration order. Strategy
/// implementation paths are read relative to the module directory, as the
/// provider reads them relative to where Terraform runs.
#[must_use]
pub fn from_module(
    module: &Module,
    location: &dyn Fn(&crate::module::Entity) -> Option<String>,
) -> Vec<Desired> {
    module
        .instances()
        .filter_map(|e| {
            let kind = Kind::from_rtype(&e.rtype)?;
            let data = e.mode == Mode::Data;
            let mut fields = if data {
                data_fields(kind, &e.body)
            } else {
                fields_from_body(
                    kind.attrs(),
                    &e.body,
                    (kind == Kind::Strategy).then_some(module.dir.as_path()),
                )
            };
            if !data {
                fill_defaults(kind.attrs(), &mut fields);
            }
            // One entity standing for every instance of a repeated module
            // whose instances are not known: creating it once would be
            // wrong whatever its values.
            if let Some(m) = module
                .repeated_modules
                .iter()
                .find(|m| crate::module::under_module(&e.address, m))
            {
                fields.insert(
                    "module instances".to_owned(),
                    Field::Blocked(Blocker {
                        what: format!("`{m}`, a module with `count` or `for_each` whose instances are not known (or more than {} module instances in all)", crate::module::MAX_MODULE_INSTANCES),
                        hint: "deploy this module with Terraform, or call it once without `count`/`for_each`".to_owned(),
                    }),
                );
            }
            // symflow holds one token: that of the default `sym` provider.
            // Another configuration may be another organization.
            if let Some(p) = &e.provider {
                fields.insert(
                    "provider".to_owned(),
                    Field::Blocked(Blocker {
                        what: format!("`{p}`, a `sym` provider configuration other than the default one (its own token, maybe another organization)"),
                        hint: "symflow deploys with the default `sym` provider's token only: deploy these entities with Terraform, or pick the others with --target".to_owned(),
                    }),
                );
            }
            let mut depends_on: Vec<String> =
                e.depends_on.iter().map(|d| d.address.clone()).collect();
            // An id that reaches it from another module (an input, an
            // output) is no reference of its own block, but it must wait
            // for that entity all the same.
            let mut waits = BTreeSet::new();
            collect_pending(&fields, &mut waits);
            depends_on.extend(waits.into_iter().filter(|a| *a != e.address));
            depends_on.sort();
            depends_on.dedup();
            Some(Desired {
                address: e.address.clone(),
                kind,
                data,
                fields,
                depends_on,
                location: location(e),
            })
        })
        .collect()
}

/// A data source needs only its lookup keys.
fn data_fields(kind: Kind, body: &Body) -> Fields {
    let mut fields = Fields::new();
    for attr in kind
        .attrs()
        .iter()
        .filter(|a| a.key == "name" || a.key == "type")
    {
        if let Some(v) = body.value(attr.key) {
            if let Some(f) = field_of(attr, v, None) {
                fields.insert(attr.key.to_owned(), f);
            }
        }
    }
    fields
}

fn fields_from_body(attrs: &[Attr], body: &Body, dir: Option<&Path>) -> Fields {
    let mut fields = Fields::new();
    for attr in attrs {
        if let Some(rest) = attr.key.strip_prefix("params.") {
            let Some(params) = body.blocks_of("params").next() else {
                continue;
            };
            if attr.ty == Ty::PromptFields {
                let items: Vec<Fields> = params
                    .body
                    .blocks_of("prompt_field")
                    .map(|b| {
                        let mut f = fields_from_body(PROMPT_FIELD, &b.body, dir);
                        fill_defaults(PROMPT_FIELD, &mut f);
                        f
                    })
                    .collect();
                fields.insert(attr.key.to_owned(), Field::PromptFields(items));
            } else if let Some(v) = params.body.value(rest) {
                if let Some(f) = field_of(attr, v, dir) {
                    fields.insert(attr.key.to_owned(), f);
                }
            }
            continue;
        }
        if let Some(v) = body.value(attr.key) {
            if let Some(f) = field_of(attr, v, dir) {
                fields.insert(attr.key.to_owned(), f);
            }
        }
    }
    fields
}

/// A classified unknown: pending on an entity of this module, or blocked.
fn unknown_field(reason: &UnknownReason) -> Field {
    match reason {
        UnknownReason::SymAttribute { address, .. } => Field::Pending(address.clone()),
        UnknownReason::External { address } => Field::Blocked(Blocker {
            what: format!("`{address}`, a value from outside Sym"),
            hint: "symflow cannot read other providers' resources or remote modules: pass the value in a variable (--var or a .tfvars file) or write it literally".to_owned(),
        }),
        UnknownReason::Variable { name } => Field::Blocked(Blocker {
            what: format!("`var.{name}`, a variable without a value"),
            hint: format!("give it a value with --var {name}=..., a .tfvars file or TF_VAR_{name}"),
        }),
        UnknownReason::Unsupported { what } => Field::Blocked(Blocker {
            what: format!("`{what}`, which symflow does not evaluate"),
            hint: "replace it with a literal value or a variable".to_owned(),
        }),
        UnknownReason::Error { message } => Field::Blocked(Blocker {
            what: format!("a value that could not be evaluated ({message})"),
            hint: "run `symflow validate` and fix what it reports".to_owned(),
        }),
    }
}

/// The first unknown inside a value: blocked ones win over pending ones.
fn worst_unknown(v: &Value) -> Option<Field> {
    let unknowns = v.unknowns();
    let fields: Vec<Field> = unknowns.iter().map(|u| unknown_field(&u.reason)).collect();
    fields
        .iter()
        .find(|f| matches!(f, Field::Blocked(_)))
        .or_else(|| fields.first())
        .cloned()
}

fn field_of(attr: &Attr, v: &Value, dir: Option<&Path>) -> Option<Field> {
    if v.contains_unknown() {
        return worst_unknown(v);
    }
    if matches!(v, Value::Null) {
        return None;
    }
    Some(match attr.ty {
        Ty::Name => Field::Name(v.to_tf_string()?),
        Ty::Str => Field::Str(v.to_tf_string()?),
        Ty::Text => {
            let s = v.to_tf_string()?;
            // sym_strategy.implementation is still a path in v3.
            if let (Some(dir), true) = (dir, attr.key == "implementation") {
                if let Ok(text) = std::fs::read_to_string(dir.join(&s)) {
                    return Some(Field::Text(text));
                }
            }
            Field::Text(s)
        }
        Ty::Bool => match v {
            Value::Bool(b) => Field::Bool(*b),
            Value::String(s) if s == "true" => Field::Bool(true),
            Value::String(s) if s == "false" => Field::Bool(false),
            _ => return None,
        },
        Ty::List => Field::List(
            v.as_list()?
                .iter()
                .filter_map(Value::to_tf_string)
                .collect(),
        ),
        Ty::Map => Field::Map(
            v.as_object()?
                .iter()
                .filter_map(|(k, x)| x.to_tf_string().map(|s| (k.clone(), s)))
                .collect::<BTreeMap<_, _>>(),
        ),
        Ty::PromptFields => return None,
    })
}

/// Replace pending ids whose entity now exists (for desired states built
/// without a module, and for plain `x = sym_y.z.id` attributes).
pub fn substitute_ids(desired: &mut [Desired], known: &BTreeMap<String, String>) {
    fn walk(fields: &mut Fields, known: &BTreeMap<String, String>) {
        for v in fields.values_mut() {
            match v {
                Field::Pending(a) => {
                    if let Some(id) = known.get(a.as_str()) {
                        *v = Field::Str(id.clone());
                    }
                }
                Field::PromptFields(items) => items.iter_mut().for_each(|i| walk(i, known)),
                _ => {}
            }
        }
    }
    for d in desired {
        walk(&mut d.fields, known);
    }
}
