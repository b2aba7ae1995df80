//! ## What it does
//! Checks for a `get_approvers` reducer in a flow implementation.
//!
//! ## Why is this bad?
//! `get_approvers` is deprecated since January 2024. Sym still calls it
//! when `get_permissions` is absent, but new features (permission levels
//! for the web app, notification chains with timeouts) only exist in the
//! `get_permissions` + `get_request_notifications` pair that replaces it.
//!
//! ## Example
//! ```python
//! @reducer
//! def get_approvers(event):
//!     return slack.channel("#sym-requests", allow_self=True)
//! ```
//!
//! ## Use instead
//! ```python
//! @reducer
//! def get_permissions(event):
//!     return RequestPermission(
//!         webapp_view=PermissionLevel.ADMIN,
//!         approve_deny=PermissionLevel.MEMBER,
//!         allow_self_approval=True,
//!     )
//!
//! @reducer
//! def get_request_notifications(event):
//!     return [Notification(destinations=[slack.channel("#sym-requests")])]
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::python::sdk::GET_APPROVERS_REPLACEMENT;
use crate::python::HandlerDecorator;
use crate::source::Span;

pub struct PyDeprecatedGetApprovers;

pub static RULE: PyDeprecatedGetApprovers = PyDeprecatedGetApprovers;

static INFO: RuleInfo = RuleInfo {
    code: "SF303",
    name: "deprecated-get-approvers",
    category: Category::Python,
    default_severity: Severity::Warning,
    doc: include_str!("py_deprecated_get_approvers.rs"),
};

impl Rule for PyDeprecatedGetApprovers {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for pf in ctx.python_files() {
            let (file, a) = (&pf.id, pf.analysis);
            if !pf.usage.is_flow() {
                continue;
            }
            for f in &a.functions {
                if f.name == "get_approvers" && f.has(HandlerDecorator::Reducer) {
                    out.push(
                        INFO.diag(
                            "the `get_approvers` reducer is deprecated",
                            Span::new(*file, f.name_range.clone()),
                        )
                        .with_help(GET_APPROVERS_REPLACEMENT),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::python::testing::Fixture;

    #[test]
    fn get_approvers_is_reported_with_its_replacement() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import reducer\nfrom sym.sdk.integrations import slack\n\n@reducer\ndef get_approvers(event):\n    return slack.channel(\"#sym-requests\", allow_self=True)\n",
        );
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn get_permissions_and_undecorated_helpers_pass() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_permissions(event):\n    return None\n\ndef get_approvers(event):\n    return None\n",
        );
        fx.flow("approval", f);
        assert_eq!(fx.run(&super::RULE), "");
    }
}
