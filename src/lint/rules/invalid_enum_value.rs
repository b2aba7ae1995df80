//! ## What it does
//! Reports a value outside a closed set: a `prompt_field` `type` that is not
//! one of `string`, `int`, `bool`, `duration`, `slack_user`,
//! `slack_user_list`, `str_list`, `int_list` (the last two need provider
//! 3.4.2), and an `allowed_sources` entry other than `slack` or `api`.
//!
//! ## Why is this bad?
//! The provider rejects an invalid prompt field type at plan time ("Invalid
//! prompt_field.type"; the check is case-sensitive), and Sym rejects unknown
//! request sources.
//!
//! ## Example
//! ```hcl
//! prompt_field {
//!   name = "reason"
//!   type = "text"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! prompt_field {
//!   name = "reason"
//!   type = "string"
//! }
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::schema::{self, EnumKind};

pub static INFO: RuleInfo = RuleInfo {
    code: "SF105",
    name: "invalid-enum-value",
    category: Category::Schema,
    default_severity: Severity::Error,
    doc: include_str!("invalid_enum_value.rs"),
};

pub struct InvalidEnumValue;

fn quoted_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rule for InvalidEnumValue {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let major = ctx.module.provider_version.major;
        for (c, a, attr_schema) in ctx.schema_attrs() {
            let Some(s) = attr_schema else {
                continue;
            };
            let Some((EnumKind::Closed, all)) = s.values else {
                continue;
            };
            let allowed: &[&str] = if c.kind == "prompt_field" && a.name == "type" {
                schema::prompt_field_types(
                    major >= 3 && ctx.module.provider_version.allows("3.4.2"),
                )
            } else {
                all
            };
            let values: Vec<(usize, &str)> = match a.value.as_str() {
                Some(v) => vec![(0, v)],
                None => walk::list_strings(&a.value).collect(),
            };
            for (_, v) in values {
                if allowed.contains(&v) {
                    continue;
                }
                let span = walk::literal_span(ctx.sources, a.expr_span, v);
                let mut d = INFO.diag(
                    format!("\"{v}\" is not a valid `{}` for {}", a.name, c.kind),
                    span,
                );
                d = if all.contains(&v) {
                    d.with_help(format!(
                        "\"{v}\" needs provider 3.4.2 or later; this module uses {}",
                        walk::provider_version_text(ctx.module)
                    ))
                } else if let Some(s) = schema::did_you_mean(v, allowed.iter().copied()) {
                    d.with_help(format!(
                        "did you mean \"{s}\"? valid values: {}",
                        quoted_list(allowed)
                    ))
                } else {
                    d.with_help(format!("valid values: {}", quoted_list(allowed)))
                };
                out.push(d);
            }
        }
    }
}
