//! ## What it does
//! Checks that every function decorated with `@reducer` is named `get_*`.
//!
//! ## Why is this bad?
//! Sym looks reducers up by name, and every reducer name starts with
//! `get_` (`get_permissions`, `get_request_notifications`, ...). A
//! `@reducer` with another name is never called, so whatever it was meant
//! to decide falls back to Sym's default or fails the request.
//!
//! ## Example
//! ```python
//! @reducer
//! def permissions(event):
//!     return RequestPermission(
//!         webapp_view=PermissionLevel.ADMIN,
//!         approve_deny=PermissionLevel.MEMBER,
//!     )
//! ```
//!
//! ## Use instead
//! ```python
//! @reducer
//! def get_permissions(event):
//!     return RequestPermission(
//!         webapp_view=PermissionLevel.ADMIN,
//!         approve_deny=PermissionLevel.MEMBER,
//!     )
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::ImplementationRole;
use crate::python::sdk::{FLOWS_FILTER_REDUCERS, FLOW_REDUCERS};
use crate::python::HandlerDecorator;
use crate::source::Span;

pub struct PyReducerName;

pub static RULE: PyReducerName = PyReducerName;

static INFO: RuleInfo = RuleInfo {
    code: "SF305",
    name: "reducer-name",
    category: Category::Python,
    default_severity: Severity::Error,
    doc: include_str!("py_reducer_name.rs"),
};

impl Rule for PyReducerName {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for pf in ctx.python_files() {
            let (file, a) = (&pf.id, pf.analysis);
            let usage = &pf.usage;
            let flow = usage.is_flow();
            let filter = usage.has_role(ImplementationRole::FlowsFilter);
            if !flow && !filter {
                continue;
            }
            for f in &a.functions {
                if !f.has(HandlerDecorator::Reducer) || f.name.starts_with("get_") {
                    continue;
                }
                let candidate = format!("get_{}", f.name.trim_start_matches('_'));
                let known = flow && FLOW_REDUCERS.iter().any(|r| r.name == candidate)
                    || filter && FLOWS_FILTER_REDUCERS.contains(&candidate.as_str());
                let help = if known {
                    format!("rename it to `{candidate}`")
                } else {
                    "reducers are named `get_<what>`, e.g. `get_permissions`".to_owned()
                };
                out.push(
                    INFO.diag(
                        format!(
                            "reducer `{}` is not named `get_*` and is never called",
                            f.name
                        ),
                        Span::new(*file, f.name_range.clone()),
                    )
                    .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::module::ImplementationRole;
    use crate::python::testing::Fixture;

    #[test]
    fn reducers_not_named_get_are_reported() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import reducer\n\n@reducer\ndef permissions(event):\n    pass\n\n@reducer\ndef route(event):\n    pass\n",
        );
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn get_reducers_and_other_roles_pass() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_permissions(event):\n    pass\n\ndef helper(event):\n    pass\n",
        );
        fx.flow("approval", f);
        let s = fx.py(
            "strategy.py",
            "from sym.sdk.annotations import reducer\n\n@reducer\ndef anything(event):\n    pass\n",
        );
        fx.other("sym_strategy.s", s, ImplementationRole::Strategy);
        assert_eq!(fx.run(&super::RULE), "");
    }
}
