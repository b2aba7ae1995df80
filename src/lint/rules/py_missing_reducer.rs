//! ## What it does
//! Checks that the implementation of every `sym_flow` defines a
//! `get_permissions` reducer (or the deprecated `get_approvers`), decorated
//! with `@reducer`.
//!
//! Only `sym_flow` implementations need one: flows filters, `on_change`
//! code, custom strategies and Lambda functions are not checked.
//!
//! ## Why is this bad?
//! Sym asks the `get_permissions` reducer who may approve a request. Without
//! it (and without `get_approvers`) the request cannot be routed and the
//! flow fails at run time. Sym registers handlers by their decorator: an
//! undecorated `get_permissions` is never called.
//!
//! ## Example
//! ```python
//! from sym.sdk.annotations import reducer
//!
//! def get_permissions(event):
//!     return RequestPermission(
//!         webapp_view=PermissionLevel.ADMIN,
//!         approve_deny=PermissionLevel.MEMBER,
//!     )
//! ```
//!
//! ## Use instead
//! ```python
//! from sym.sdk.annotations import reducer
//!
//! @reducer
//! def get_permissions(event):
//!     return RequestPermission(
//!         webapp_view=PermissionLevel.ADMIN,
//!         approve_deny=PermissionLevel.MEMBER,
//!     )
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::python::sdk::REQUIRED_REDUCERS;
use crate::python::HandlerDecorator;
use crate::source::Span;

pub struct PyMissingReducer;

pub static RULE: PyMissingReducer = PyMissingReducer;

static INFO: RuleInfo = RuleInfo {
    code: "SF302",
    name: "missing-reducer",
    category: Category::Python,
    default_severity: Severity::Error,
    doc: include_str!("py_missing_reducer.rs"),
};

impl Rule for PyMissingReducer {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for pf in ctx.python_files() {
            let (file, a) = (&pf.id, pf.analysis);
            let usage = &pf.usage;
            // A recovered tree may miss functions; a star import of another
            // module may bring the reducer in (the SDK's cannot).
            let foreign_star = a
                .imports
                .iter()
                .any(|i| i.star && (i.level > 0 || !i.module.starts_with("sym.sdk")));
            if !usage.is_flow() || !a.syntax_errors.is_empty() || foreign_star {
                continue;
            }
            let decorated = a.functions.iter().any(|f| {
                REQUIRED_REDUCERS.contains(&f.name.as_str()) && f.has(HandlerDecorator::Reducer)
            });
            if decorated {
                continue;
            }
            if let Some(f) = a
                .functions
                .iter()
                .find(|f| REQUIRED_REDUCERS.contains(&f.name.as_str()) && f.decorators.is_empty())
            {
                out.push(
                    INFO.diag(
                        format!("`{}` is not decorated with `@reducer`", f.name),
                        Span::new(*file, f.name_range.clone()),
                    )
                    .with_help(
                        "add `@reducer` (from `sym.sdk.annotations`) above it: Sym only calls decorated handlers",
                    ),
                );
                continue;
            }
            // Bound some other way (`get_permissions = reducer(f)`, a
            // decorator of our own): not certain.
            if REQUIRED_REDUCERS
                .iter()
                .any(|r| a.module_bindings.contains(r))
            {
                continue;
            }
            let path = ctx.sources.get(*file).display.display().to_string();
            let mut seen = Vec::new();
            for r in usage
                .refs
                .iter()
                .filter(|r| r.role == crate::module::ImplementationRole::Flow)
            {
                if seen.contains(&r.span) {
                    continue;
                }
                seen.push(r.span);
                out.push(
                    INFO.diag(
                        format!(
                            "the implementation of `{}` ({path}) has no `get_permissions` reducer",
                            r.owner
                        ),
                        r.span,
                    )
                    .with_help(
                        "define `@reducer def get_permissions(event)` returning a `RequestPermission` in the implementation",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::module::ImplementationRole;
    use crate::python::testing::Fixture;

    const GOOD: &str = "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_permissions(event):\n    return None\n";

    #[test]
    fn flow_without_reducer_is_reported_at_its_implementation() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import hook\n\n@hook\ndef on_request(event):\n    return None\n",
        );
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn undecorated_reducer_is_reported_at_the_function() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", "def get_permissions(event):\n    return None\n");
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn decorated_reducers_pass_including_the_deprecated_one() {
        let mut fx = Fixture::new();
        let a = fx.py("a.py", GOOD);
        let b = fx.py(
            "b.py",
            "from sym.sdk import reducer\n\n@reducer\ndef get_approvers(event):\n    return None\n",
        );
        fx.flow("a", a);
        fx.flow("b", b);
        assert_eq!(fx.run(&super::RULE), "");
    }

    #[test]
    fn only_flow_implementations_need_a_reducer() {
        let mut fx = Fixture::new();
        let empty = "def on_change_reason(username, form):\n    return form\n";
        let on_change = fx.py("on_change.py", empty);
        let strategy = fx.py("strategy.py", "class S:\n    pass\n");
        let filter = fx.py("filter.py", "def helper():\n    pass\n");
        let orphan = fx.py("orphan.py", "x = 1\n");
        fx.other("sym_flow.a", on_change, ImplementationRole::OnChange);
        fx.other("sym_strategy.s", strategy, ImplementationRole::Strategy);
        fx.other(
            "sym_flows_filter.f",
            filter,
            ImplementationRole::FlowsFilter,
        );
        let _ = orphan;
        assert_eq!(fx.run(&super::RULE), "");
    }

    #[test]
    fn an_sdk_star_import_cannot_bring_a_reducer() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import *\n\n@hook\ndef on_request(event):\n    pass\n",
        );
        fx.flow("approval", f);
        assert!(fx
            .run(&super::RULE)
            .contains("has no `get_permissions` reducer"));
    }

    #[test]
    fn uncertain_files_are_not_reported() {
        let mut fx = Fixture::new();
        let star = fx.py("star.py", "from handlers import *\n");
        let bad = fx.py("bad.py", "def get_permissions(event)\n");
        let assigned = fx.py("assigned.py", "from sym.sdk.annotations import reducer\nget_permissions = reducer(lambda event: None)\n");
        fx.flow("a", star);
        fx.flow("b", bad);
        fx.flow("c", assigned);
        assert_eq!(fx.run(&super::RULE), "");
    }
}
