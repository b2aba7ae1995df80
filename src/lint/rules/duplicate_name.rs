//! ## What it does
//! Reports two Sym entities of one kind with the same `name`, compared
//! case-insensitively: flows, environments and runtimes by name;
//! integrations, targets, strategies and secret sources by name within one
//! `type`. Instances of `count`/`for_each` and of local child modules are
//! compared too. Entities managed through different `sym` provider
//! configurations (`provider = sym.sandbox`: another token, so maybe another
//! organization) are not compared.
//!
//! ## Why is this bad?
//! The name is the entity's slug in Sym, and Sym lower-cases it: the second
//! one either fails to create or silently updates the first.
//!
//! ## Example
//! ```hcl
//! resource "sym_flow" "a" { name = "Prod-Access" ... }
//! resource "sym_flow" "b" { name = "prod-access" ... }
//! ```
//!
//! ## Use instead
//! Give each flow its own name.

use std::borrow::Cow;

use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::Mode;
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF203",
    name: "duplicate-name",
    category: Category::Reference,
    default_severity: Severity::Error,
    doc: include_str!("duplicate_name.rs"),
};

pub struct DuplicateName;

impl Rule for DuplicateName {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        // Entities include those of child modules: check once, at the root.
        if !ctx.module.module_path.is_empty() {
            return;
        }
        // Keyed by provider configuration too: another `sym` provider has
        // its own token, so maybe its own organization and names.
        type Key<'m> = (Option<&'m str>, &'m str, &'m str, Cow<'m, str>);
        let mut seen: FxHashMap<Key<'_>, (&str, crate::source::Span)> =
            FxHashMap::with_capacity_and_hasher(ctx.module.entities.len(), FxBuildHasher);
        // Known instances of repeated modules one by one: two of them
        // named alike would be the same entity in Sym.
        for e in ctx.module.instances() {
            if e.mode != Mode::Managed {
                continue;
            }
            let Some(s) = schema::lookup(schema::Kind::Resource, &e.rtype) else {
                continue;
            };
            if !s.slugged {
                continue;
            }
            let Some(name_attr) = e.body.attr("name") else {
                continue;
            };
            let Some(name) = name_attr.value.as_str() else {
                continue;
            };
            let ty = if schema::known_types(&e.rtype).is_some() {
                match e.body.str("type") {
                    Some(t) => t,
                    None => continue,
                }
            } else {
                ""
            };
            // Most names are lower case already: compare them as they are.
            let folded = if name
                .bytes()
                .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
            {
                Cow::Owned(name.to_lowercase())
            } else {
                Cow::Borrowed(name)
            };
            let key = (e.provider.as_deref(), e.rtype.as_str(), ty, folded);
            match seen.get(&key) {
                None => {
                    seen.insert(key, (e.address.as_str(), name_attr.expr_span));
                }
                Some((first, first_span)) => {
                    let kind = if ty.is_empty() {
                        e.rtype.clone()
                    } else {
                        format!("{} of type \"{ty}\"", e.rtype)
                    };
                    out.push(
                        INFO.diag(
                            format!("{} has the same name as {first} (\"{name}\"); each {kind} needs its own name", e.address),
                            name_attr.expr_span,
                        )
                        .with_label(*first_span, format!("{first} is named here"))
                        .with_help("names are compared case-insensitively, as Sym lower-cases slugs"),
                    );
                }
            }
        }
    }
}
