//! ## What it does
//! Checks that every `event.flow.vars["y"]` (or `.vars.get("y")`) reads a
//! key of the flow's `vars` map.
//!
//! For an implementation shared by several flows, a key of any of them
//! counts, also when the flows come from several calls (or instances) of a
//! local module; each read is reported once. Flows whose `vars` are not known (built from a variable without
//! a value, for instance) are not checked.
//!
//! ## Why is this bad?
//! `vars["y"]` raises `KeyError` when the key is missing (and `.get("y")`
//! silently returns the default), usually because the key was renamed or
//! only added in one environment's `vars`. This is a warning because the
//! value may be set in a way symflow cannot see.
//!
//! ## Example
//! ```python
//! channel = event.flow.vars["request_chanel"]
//! ```
//! ```hcl
//! vars = {
//!   request_channel = "#sym-requests"
//! }
//! ```
//!
//! ## Use instead
//! ```python
//! channel = event.flow.vars["request_channel"]
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::{Entity, Module, VariableSource};
use crate::python::suggest;
use crate::source::Span;

pub struct PyUndeclaredVar;

pub static RULE: PyUndeclaredVar = PyUndeclaredVar;

static INFO: RuleInfo = RuleInfo {
    code: "SF311",
    name: "undeclared-var",
    category: Category::Python,
    default_severity: Severity::Warning,
    doc: include_str!("py_undeclared_var.rs"),
};

impl Rule for PyUndeclaredVar {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for pf in ctx.python_files() {
            let (file, a) = (&pf.id, pf.analysis);
            if a.var_reads.is_empty() {
                continue;
            }
            let usage = &pf.usage;
            if !usage.is_flow() || usage.missing_owner {
                continue;
            }
            let vars = pf.vars();
            if !vars.complete {
                continue;
            }
            for read in &a.var_reads {
                if vars.names.contains(&read.key) {
                    continue;
                }
                let help = match suggest(&read.key, vars.names.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => match vars_from_default(ctx, &usage.flows) {
                        Some(var) => format!(
                            "`vars` is `var.{var}`, whose value here is its default: add `{}` to it, or pass the variables file you deploy with (`--var-file`)",
                            read.key
                        ),
                        None => {
                            format!("add `{}` to the `vars` of {}", read.key, usage.flow_list())
                        }
                    },
                };
                out.push(
                    INFO.diag(
                        format!(
                            "`{}` is not in the `vars` of {}",
                            read.key,
                            usage.flow_list()
                        ),
                        Span::new(*file, read.range.clone()),
                    )
                    .with_help(help),
                );
            }
        }
    }
}

/// When every flow's `vars` is written as `var.NAME` (or `"${var.NAME}"`)
/// and that variable has
/// only its default (no tfvars, `--var` or `TF_VAR_*` value): the name. The
/// key is then most likely set where symflow cannot see it, and the hint
/// should say so.
fn vars_from_default(ctx: &LintContext<'_>, flows: &[&Entity]) -> Option<String> {
    let mut found: Option<&str> = None;
    for f in flows {
        let a = f.body.attr("vars")?;
        let text = ctx
            .sources
            .get(a.expr_span.file)
            .text
            .get(a.expr_span.start..a.expr_span.end)?;
        // `var.NAME`, or `"${var.NAME}"` (the JSON syntax, older HCL).
        let text = text.trim();
        let text = text
            .strip_prefix("\"${")
            .and_then(|t| t.strip_suffix("}\""))
            .map_or(text, str::trim);
        let name = text.strip_prefix("var.")?;
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return None;
        }
        let m = module_of(ctx.module, &f.module_path)?;
        if m.variables.get(name)?.value_source != VariableSource::Default {
            return None;
        }
        if found.is_some_and(|n| n != name) {
            return None;
        }
        found = Some(name);
    }
    found.map(str::to_owned)
}

/// The module (this one or a local child) at `path`.
fn module_of<'m>(m: &'m Module, path: &[String]) -> Option<&'m Module> {
    let rest = path.strip_prefix(m.module_path.as_slice())?;
    let mut cur = m;
    for name in rest {
        cur = &cur.children.iter().find(|c| &c.name == name)?.module;
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use crate::python::testing::Fixture;

    const SRC: &str = "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_request_notifications(event):\n    flow_vars = event.flow.vars\n    return event.flow.vars[\"request_chanel\"], flow_vars.get(\"approvers\"), flow_vars[\"team\"]\n";

    #[test]
    fn missing_keys_are_reported() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", SRC);
        fx.flow("approval", f)
            .vars(&["request_channel", "approvers"]);
        let g = fx.py("novars.py", SRC);
        fx.flow("bare", g);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn union_of_shared_flows_and_unknown_vars_pass() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", SRC);
        fx.flow("a", f).vars(&["request_chanel", "approvers"]);
        fx.flow("b", f).vars(&["team"]);
        let g = fx.py("unknown.py", SRC);
        fx.flow("c", g).vars_unknown();
        assert_eq!(fx.run(&super::RULE), "");
    }
}
