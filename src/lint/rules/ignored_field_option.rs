//! ## What it does
//! Warns about `prompt_field` options that Sym ignores for the field's
//! type: `default` on `slack_user`, `slack_user_list`, `str_list` and
//! `int_list` fields; `allowed_values` and `prefetch` on `slack_user` and
//! `slack_user_list` fields; and `allowed_values` on a field named
//! `target_id` (Sym fills its values from the strategy's targets, and the
//! provider warns at apply).
//!
//! ## Why is this bad?
//! The option looks like it does something in review but has no effect in
//! Slack.
//!
//! ## Example
//! ```hcl
//! prompt_field {
//!   name    = "approver"
//!   type    = "slack_user"
//!   default = "alice"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! prompt_field {
//!   name = "approver"
//!   type = "slack_user"
//! }
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::Value;
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF110",
    name: "ignored-field-option",
    category: Category::Schema,
    default_severity: Severity::Warning,
    doc: include_str!("ignored_field_option.rs"),
};

pub struct IgnoredFieldOption;

fn is_set(v: &Value) -> bool {
    match v {
        Value::Null | Value::Unknown(_) => false,
        Value::String(s) => !s.is_empty(),
        Value::List(l) => !l.is_empty(),
        Value::Bool(b) => *b,
        _ => true,
    }
}

impl Rule for IgnoredFieldOption {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for c in ctx.bodies() {
            if c.kind != "prompt_field" {
                continue;
            }
            let name = walk::known_str(c.body, "name");
            if let Some(t) = walk::known_str(c.body, "type") {
                let checks: [(&str, &[&str]); 3] = [
                    ("default", schema::NO_DEFAULT_TYPES),
                    ("allowed_values", schema::NO_ALLOWED_VALUES_TYPES),
                    ("prefetch", schema::NO_ALLOWED_VALUES_TYPES),
                ];
                for (option, types) in checks {
                    let Some(a) = c.body.attr(option) else {
                        continue;
                    };
                    if types.contains(&t) && is_set(&a.value) {
                        out.push(
                            INFO.diag(
                                format!(
                                    "`{option}` has no effect on a prompt field of type \"{t}\""
                                ),
                                a.name_span,
                            )
                            .with_help(format!("remove `{option}`")),
                        );
                    }
                }
            }
            if name == Some("target_id") {
                if let Some(a) = c.body.attr("allowed_values") {
                    if is_set(&a.value) {
                        out.push(
                            INFO.diag(
                                "`allowed_values` of a prompt field named `target_id` is ignored",
                                a.name_span,
                            )
                            .with_help("Sym fills `target_id` choices from the strategy's targets"),
                        );
                    }
                }
            }
        }
    }
}
