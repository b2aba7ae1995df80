//! ## What it does
//! Warns when `settings` lacks a key that the resource's `type` needs (for
//! example `instance_arn` on an `aws_sso` strategy, `api_token_secret` on an
//! `okta` integration, `stream_name` on a Kinesis log destination). Keys a
//! target lists in `field_bindings` come from the request and are not
//! required. Settings symflow cannot know (a module output) are not checked.
//!
//! ## Why is this bad?
//! Terraform and the provider accept any map; Sym fails when the flow runs.
//!
//! ## Example
//! ```hcl
//! resource "sym_integration" "okta" {
//!   type        = "okta"
//!   name        = "okta"
//!   external_id = "dev-123.okta.com"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_integration" "okta" {
//!   type        = "okta"
//!   name        = "okta"
//!   external_id = "dev-123.okta.com"
//!   settings    = { api_token_secret = sym_secret.okta.id }
//! }
//! ```

use std::collections::BTreeMap;

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::{Mode, Value};
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF109",
    name: "missing-setting",
    category: Category::Schema,
    default_severity: Severity::Warning,
    doc: include_str!("missing_setting.rs"),
};

pub struct MissingSetting;

impl Rule for MissingSetting {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let empty = BTreeMap::new();
        for (b, _) in walk::sym_blocks(ctx.module) {
            if b.mode != Mode::Managed {
                continue;
            }
            let Some(catalog) = schema::known_types(&b.rtype) else {
                continue;
            };
            let Some(t) = walk::known_str(&b.body, "type") else {
                continue;
            };
            let Some(info) = catalog.get(t) else { continue };
            let (map, span) = match b.body.attr("settings") {
                None => (&empty, walk::header(b)),
                Some(a) => match &a.value {
                    Value::Object(m) => (m, a.name_span),
                    Value::Null => (&empty, a.name_span),
                    _ => continue,
                },
            };
            let bound: Vec<&str> = match b.body.value("field_bindings") {
                None | Some(Value::Null) => Vec::new(),
                Some(v) if v.contains_unknown() => continue,
                Some(v) => walk::list_strings(v).map(|(_, s)| s).collect(),
            };
            for key in info.required {
                if map.contains_key(*key) || bound.contains(key) {
                    continue;
                }
                out.push(INFO.diag(
                    format!("{} of type \"{t}\" needs the setting `{key}`", b.address),
                    span,
                ));
            }
        }
    }
}
