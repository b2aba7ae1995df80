//! ## What it does
//! Checks that every `@reducer` of a flow implementation is one Sym knows:
//! `get_permissions`, `get_request_notifications`, `get_approvers`
//! (deprecated), `get_identity`, `get_identity_lookup` or `get_timeout`.
//! Flows filters (whose reducer is `get_flows`) are not checked.
//!
//! ## Why is this bad?
//! Sym calls reducers by name at fixed moments of a request. A reducer
//! with any other name (often a typo such as `get_permission`) is never
//! called. This is a warning, not an error, because Sym may know reducers
//! that are not documented.
//!
//! ## Example
//! ```python
//! @reducer
//! def get_request_notification(event):
//!     return [Notification(destinations=[slack.channel("#sym-requests")])]
//! ```
//!
//! ## Use instead
//! ```python
//! @reducer
//! def get_request_notifications(event):
//!     return [Notification(destinations=[slack.channel("#sym-requests")])]
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::ImplementationRole;
use crate::python::sdk::{FLOWS_FILTER_REDUCERS, FLOW_REDUCERS};
use crate::python::{suggest, HandlerDecorator};
use crate::source::Span;

pub struct PyUnknownReducer;

pub static RULE: PyUnknownReducer = PyUnknownReducer;

static INFO: RuleInfo = RuleInfo {
    code: "SF306",
    name: "unknown-reducer",
    category: Category::Python,
    default_severity: Severity::Warning,
    doc: include_str!("py_unknown_reducer.rs"),
};

impl Rule for PyUnknownReducer {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for pf in ctx.python_files() {
            let (file, a) = (&pf.id, pf.analysis);
            let usage = &pf.usage;
            if !usage.is_flow() {
                continue;
            }
            let mut known: Vec<&str> = FLOW_REDUCERS.iter().map(|r| r.name).collect();
            // A file shared with a flows filter may carry its reducer too.
            if usage.has_role(ImplementationRole::FlowsFilter) {
                known.extend(FLOWS_FILTER_REDUCERS);
            }
            for f in &a.functions {
                // Names without `get_` are `reducer-name`'s business.
                if !f.has(HandlerDecorator::Reducer)
                    || !f.name.starts_with("get_")
                    || known.contains(&f.name.as_str())
                {
                    continue;
                }
                let help = match suggest(&f.name, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("Sym calls these reducers: {}", known.join(", ")),
                };
                out.push(
                    INFO.diag(
                        format!("`{}` is not a reducer Sym calls", f.name),
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
    fn unknown_reducers_get_a_suggestion() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_permissions(event):\n    pass\n\n@reducer\ndef get_request_notification(event):\n    pass\n\n@reducer\ndef get_weather(event):\n    pass\n",
        );
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn known_reducers_pass_and_flows_filters_are_not_checked() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_permissions(event):\n    pass\n\n@reducer\ndef get_request_notifications(event):\n    pass\n\n@reducer\ndef get_identity(event, service_type, external_id, user):\n    return None\n\ndef get_helper(event):\n    pass\n",
        );
        fx.flow("approval", f);
        let g = fx.py(
            "filter.py",
            "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_flows(user, flows, flows_filter_vars):\n    return flows\n\n@reducer\ndef get_permissions(event):\n    return None\n",
        );
        fx.other("sym_flows_filter.f", g, ImplementationRole::FlowsFilter);
        assert_eq!(fx.run(&super::RULE), "");
    }
}
