//! ## What it does
//! Checks that every `event.payload.fields["x"]` (or `.fields.get("x")`)
//! reads a field the flow has: a `prompt_field`, a field Sym adds to
//! strategy flows (`target`, `target_id`, `duration`), or a keyword that a
//! hook passes to a template action (`ApprovalTemplate.approve(x=...)`
//! merges `x` into the fired event's fields).
//!
//! For an implementation shared by several flows, a field declared by any
//! of them counts, also when the flows come from several calls (or
//! instances) of a local module; each read is reported once. Flows whose prompt fields are not known (a `dynamic`
//! block over an unknown value) are not checked.
//!
//! ## Why is this bad?
//! A `fields["x"]` for a field the flow does not have raises `KeyError`
//! when the handler runs (and `.get("x")` always returns the default),
//! typically after a prompt field was renamed in Terraform but not in
//! Python. This is a warning because fields may also come from places
//! symflow cannot see, such as API-invoked requests.
//!
//! ## Example
//! ```python
//! @hook
//! def on_request(event):
//!     reason = event.payload.fields["justification"]
//! ```
//! ```hcl
//! prompt_field {
//!   name = "reason"
//!   type = "string"
//! }
//! ```
//!
//! ## Use instead
//! ```python
//! @hook
//! def on_request(event):
//!     reason = event.payload.fields["reason"]
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::python::sdk::STRATEGY_IMPLICIT_FIELDS;
use crate::python::suggest;
use crate::source::Span;

pub struct PyUndeclaredField;

pub static RULE: PyUndeclaredField = PyUndeclaredField;

static INFO: RuleInfo = RuleInfo {
    code: "SF310",
    name: "undeclared-field",
    category: Category::Python,
    default_severity: Severity::Warning,
    doc: include_str!("py_undeclared_field.rs"),
};

impl Rule for PyUndeclaredField {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for pf in ctx.python_files() {
            let (file, a) = (&pf.id, pf.analysis);
            if a.field_reads.is_empty() || a.template_kwargs_dynamic {
                continue;
            }
            let usage = &pf.usage;
            if !usage.is_flow() || usage.missing_owner {
                continue;
            }
            let fields = pf.fields();
            if !fields.complete {
                continue;
            }
            for read in &a.field_reads {
                if fields.knows(&read.key) || a.template_kwargs.contains(&read.key) {
                    continue;
                }
                let mut candidates: Vec<&str> = fields.names().collect();
                if fields.strategy {
                    candidates.extend(STRATEGY_IMPLICIT_FIELDS);
                }
                let help = match suggest(&read.key, candidates.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if candidates.is_empty() => {
                        format!("{} declare no prompt fields", usage.flow_list())
                    }
                    None => format!("declared fields: {}", candidates.join(", ")),
                };
                out.push(
                    INFO.diag(
                        format!(
                            "field `{}` is not a prompt_field of {}",
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

#[cfg(test)]
mod tests {
    use crate::python::testing::Fixture;

    const SRC: &str = "from sym.sdk.annotations import hook\nfrom sym.sdk.templates import ApprovalTemplate\n\n@hook\ndef on_request(event):\n    fields = event.payload.fields\n    if fields.get(\"urgncy\") == \"High\":\n        return ApprovalTemplate.approve(auto=True)\n    return event.payload.fields[\"reason\"], fields[\"auto\"], event.payload.fields[\"target_id\"]\n";

    #[test]
    fn undeclared_fields_are_reported() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", SRC);
        fx.flow("approval", f).field("urgency", "string");
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn strategy_fields_template_kwargs_and_shared_flows_pass() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", SRC);
        fx.flow("a", f).field("urgency", "string").strategy();
        fx.flow("b", f).field("urgncy", "string");
        assert_eq!(fx.run(&super::RULE), "");
    }

    #[test]
    fn unknown_fields_stay_quiet() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", SRC);
        fx.flow("a", f).fields_unknown();
        let g = fx.py(
            "dynamic.py",
            "def on_request(event, extra):\n    event.payload.fields[\"nope\"]\n    return ApprovalTemplate.approve(**extra)\n",
        );
        fx.flow("b", g);
        assert_eq!(fx.run(&super::RULE), "");
    }
}
