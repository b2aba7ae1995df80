//! ## What it does
//! Warns about a `sym_flow` `vars` value that looks like an integer or a
//! boolean, by Go's rules as the provider applies them (`strconv.Atoi`:
//! `5`, `+5`, `-1`; `strconv.ParseBool`: `1`, `0`, `t`, `F`, `true`,
//! `False`...). Numbers and bools written without quotes count too:
//! Terraform turns them into strings.
//!
//! ## Why is this bad?
//! Every var reaches the implementation as a string: `if
//! event.flow.vars["auto_approve"]:` is true for `"false"`, and
//! `vars["max"] > 3` raises. The provider prints the same warning at apply.
//!
//! ## Example
//! ```hcl
//! vars = { auto_approve = true }
//! ```
//!
//! ## Use instead
//! Keep the value, and compare strings in Python:
//! `event.flow.vars["auto_approve"] == "true"` (or convert with `int()`).

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF208",
    name: "var-looks-typed",
    category: Category::Provider,
    default_severity: Severity::Warning,
    doc: include_str!("var_looks_typed.rs"),
};

pub struct VarLooksTyped;

impl Rule for VarLooksTyped {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (b, _) in walk::sym_blocks(ctx.module) {
            if b.rtype != "sym_flow" || b.mode != crate::module::Mode::Managed {
                continue;
            }
            let Some(vars) = b.body.attr("vars") else {
                continue;
            };
            let Some(map) = vars.value.as_object() else {
                continue;
            };
            for (key, v) in map {
                let Some(s) = v.to_tf_string() else { continue };
                let looks = if schema::go_parses_int(&s) && schema::go_parses_bool(&s) {
                    "an integer and a boolean"
                } else if schema::go_parses_int(&s) {
                    "an integer"
                } else if schema::go_parses_bool(&s) {
                    "a boolean"
                } else {
                    continue;
                };
                let help = if looks == "a boolean" {
                    format!("vars reach the implementation as strings: compare with `== \"{s}\"`")
                } else {
                    "vars reach the implementation as strings: convert with `int()`".to_owned()
                };
                out.push(
                    INFO.diag(
                        format!(
                            "the value of `{key}` in `vars` of {} looks like {looks}",
                            b.address
                        ),
                        walk::key_span(ctx.sources, vars.expr_span, key),
                    )
                    .with_help(help),
                );
            }
        }
    }
}
