//! ## What it does
//! Reports a reference to a resource, data source, local value, variable or
//! module that the module does not declare, with the closest declared name;
//! and (provider 3.x) a reference to an attribute a Sym resource or data
//! source does not have (`sym_environment.prod.slug`): its arguments, its
//! blocks and `id` are all there is.
//!
//! ## Why is this bad?
//! Terraform fails with "Reference to undeclared resource" (or local value,
//! input variable, module), or "Unsupported attribute". Renaming a resource
//! without updating its users is the usual cause.
//!
//! ## Example
//! ```hcl
//! environment_id = sym_environment.prod.id   # declared as sym_environment.this
//! ```
//!
//! ## Use instead
//! ```hcl
//! environment_id = sym_environment.this.id
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::{Mode, Module, RefTarget, Reference};
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF201",
    name: "undeclared-reference",
    category: Category::Reference,
    default_severity: Severity::Error,
    doc: include_str!("undeclared_reference.rs"),
};

pub struct UndeclaredReference;

impl Rule for UndeclaredReference {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let m = ctx.module;
        for r in &m.undeclared {
            let (what, name, candidates): (String, &str, Vec<&str>) = match &r.target {
                RefTarget::Resource { rtype, name } => (
                    format!("resource `{rtype}.{name}`"),
                    name,
                    m.blocks
                        .iter()
                        .filter(|b| b.mode == Mode::Managed && &b.rtype == rtype)
                        .map(|b| b.name.as_str())
                        .collect(),
                ),
                RefTarget::Data { rtype, name } => (
                    format!("data source `data.{rtype}.{name}`"),
                    name,
                    m.blocks
                        .iter()
                        .filter(|b| b.mode == Mode::Data && &b.rtype == rtype)
                        .map(|b| b.name.as_str())
                        .collect(),
                ),
                RefTarget::Local(name) => (
                    format!("local value `local.{name}`"),
                    name,
                    m.locals.keys().map(String::as_str).collect(),
                ),
                RefTarget::Variable(name) => (
                    format!("variable `var.{name}`"),
                    name,
                    m.variables.keys().map(String::as_str).collect(),
                ),
                RefTarget::Module(name) => (
                    format!("module `module.{name}`"),
                    name,
                    m.children
                        .iter()
                        .map(|c| c.name.as_str())
                        .chain(m.external_modules.iter().map(String::as_str))
                        .collect(),
                ),
            };
            let mut d = INFO.diag(format!("reference to undeclared {what}"), r.span);
            if let Some(s) = schema::did_you_mean(name, candidates) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
        out.extend(ctx.unsupported_attributes().iter().cloned());
    }
}

/// Provider 3.x: the references of the module's blocks to attributes Sym
/// resources and data sources do not have (see [`unsupported_attribute`]).
pub fn unsupported_attributes(m: &Module) -> Vec<Diagnostic> {
    if m.provider_version.major < 3 {
        return Vec::new();
    }
    m.blocks
        .iter()
        .flat_map(|b| &b.references)
        .filter_map(unsupported_attribute)
        .collect()
}

/// A reference to `sym_x.name.attr` (or `data.sym_x.name.attr`, with an
/// instance key or splat in between) whose `attr` the schema does not have.
fn unsupported_attribute(r: &Reference) -> Option<Diagnostic> {
    let (kind, rtype, name, prefix) = match &r.target {
        RefTarget::Resource { rtype, name } => (schema::Kind::Resource, rtype, name, ""),
        RefTarget::Data { rtype, name } => (schema::Kind::DataSource, rtype, name, "data."),
        _ => return None,
    };
    if !rtype.starts_with("sym_") {
        return None;
    }
    let body = schema::lookup(kind, rtype)?.body;
    let head = format!("{prefix}{rtype}.{name}");
    let attr = attribute_after(r.text.strip_prefix(head.as_str())?)?;
    if attr == "id" || body.attr(attr).is_some() || body.block(attr).is_some() {
        return None;
    }
    let mut d = INFO.diag(format!("`{head}` has no attribute `{attr}`"), r.span);
    let names = std::iter::once("id").chain(body.names(u8::MAX));
    d = match schema::did_you_mean(attr, names) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d.with_help(format!(
            "a {rtype} has its arguments and `id`: {}",
            body.names(u8::MAX).collect::<Vec<_>>().join(", ")
        )),
    };
    Some(d)
}

/// The first attribute name in what follows `type.name` in a traversal:
/// `.id` -> `id`, `[0].id` and `[*].id` -> `id`, `.*.id` -> `id`; `None`
/// when there is none (`sym_flow.x` itself, in `depends_on`).
fn attribute_after(rest: &str) -> Option<&str> {
    let mut rest = rest;
    loop {
        if let Some(r) = rest.strip_prefix('[') {
            // An instance key or a splat: skip to its closing bracket.
            let mut depth = 1usize;
            let mut in_string = false;
            let mut end = None;
            let mut escaped = false;
            for (i, c) in r.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' if in_string => escaped = true,
                    '"' => in_string = !in_string,
                    '[' if !in_string => depth += 1,
                    ']' if !in_string => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            rest = &r[end? + 1..];
        } else if let Some(r) = rest.strip_prefix(".*") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix('.') {
            let len = r
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(r.len());
            let word = &r[..len];
            if word.is_empty() {
                return None;
            }
            // A legacy index (`.0`) is an instance key, not an attribute.
            if word.bytes().all(|b| b.is_ascii_digit()) {
                rest = &r[len..];
                continue;
            }
            return Some(word);
        } else {
            return None;
        }
    }
}
