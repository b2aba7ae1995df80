//! ## What it does
//! Checks for names that are used but defined nowhere: not imported, not
//! assigned, not a parameter, not a Python builtin.
//!
//! The analysis follows Python's scoping rules (function, class and
//! comprehension scopes, `global` and `nonlocal`) and reports only what is
//! certain: a file with a star import, `globals()` or `exec` tricks, or a
//! syntax error is not checked, and a use guarded by `except NameError` is
//! skipped.
//!
//! ## Why is this bad?
//! The handler raises `NameError` when it runs, which fails the request in
//! Slack. Sym's own examples have shipped this bug: `user_ids` used
//! without importing it from `sym.sdk.user`, `persist_user_identity`
//! without `sym.sdk.utils`, `@hook` without `sym.sdk.annotations`.
//!
//! ## Example
//! ```python
//! from sym.sdk.annotations import reducer
//! from sym.sdk.integrations import okta
//!
//! @reducer
//! def get_permissions(event):
//!     approvers = okta.users_in_group(group_id="00g123")
//!     return RequestPermission(
//!         webapp_view=PermissionLevel.ADMIN,
//!         approve_deny=user_ids(approvers),
//!     )
//! ```
//!
//! ## Use instead
//! ```python
//! from sym.sdk.annotations import reducer
//! from sym.sdk.integrations import okta
//! from sym.sdk.request_permission import PermissionLevel, RequestPermission
//! from sym.sdk.user import user_ids
//!
//! @reducer
//! def get_permissions(event):
//!     approvers = okta.users_in_group(group_id="00g123")
//!     return RequestPermission(
//!         webapp_view=PermissionLevel.ADMIN,
//!         approve_deny=user_ids(approvers),
//!     )
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::python::sdk;
use crate::python::suggest;
use crate::source::Span;

pub struct PyUndefinedName;

pub static RULE: PyUndefinedName = PyUndefinedName;

static INFO: RuleInfo = RuleInfo {
    code: "SF308",
    name: "undefined-name",
    category: Category::Python,
    default_severity: Severity::Error,
    doc: include_str!("py_undefined_name.rs"),
};

impl Rule for PyUndefinedName {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (file, a) in ctx.python {
            for u in &a.undefined_names {
                let help = if let Some(home) = sdk::home_of(&u.name) {
                    Some(format!("import it: `from {home} import {}`", u.name))
                } else {
                    suggest(&u.name, a.module_bindings.iter())
                        .map(|s| format!("did you mean `{s}`?"))
                };
                let mut d = INFO.diag(
                    format!("undefined name `{}`", u.name),
                    Span::new(*file, u.range.clone()),
                );
                if let Some(h) = help {
                    d = d.with_help(h);
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::python::testing::Fixture;

    #[test]
    fn the_bugs_of_syms_examples_are_reported_with_the_import_to_add() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import reducer\nfrom sym.sdk.integrations import okta\n\n\n@reducer\ndef get_permissions(event):\n    approvers = okta.users_in_group(group_id=\"00g1\")\n    return user_ids(approvers)\n\n\n@hook\ndef after_escalate(event):\n    helpr(event)\n    slack.send_message(event.user, \"done\")\n\n\ndef helper(event):\n    return persist_user_identity(email=event.user.email, service=\"x\", service_id=\"y\", user_id=\"z\")\n",
        );
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn defined_names_pass() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import hook\nfrom sym.sdk.user import user_ids\n\n@hook\ndef on_request(event):\n    return user_ids([event.user]), helper(), len([])\n\ndef helper():\n    return CONSTANT\n\nCONSTANT = 1\n",
        );
        fx.flow("approval", f);
        assert_eq!(fx.run(&super::RULE), "");
    }
}
