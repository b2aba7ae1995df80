//! ## What it does
//! Checks that every function decorated with `@hook` is named `on_<step>`
//! or `after_<step>`, where `<step>` is a step of the approval template:
//! `prompt`, `request`, `request_forward`, `request_expire`, `approve`,
//! `deny`, `escalate` or `deescalate`.
//!
//! ## Why is this bad?
//! Sym finds hooks by name. A hook whose name matches no step (a typo such
//! as `on_aprove`, or a pre-`sym.sdk` name such as `on_approval`) is never
//! called, silently: the check it was meant to make does not happen.
//!
//! ## Example
//! ```python
//! @hook
//! def on_aprove(event):
//!     if not is_approver(event.user):
//!         return ApprovalTemplate.ignore(message="Not an approver")
//! ```
//!
//! ## Use instead
//! ```python
//! @hook
//! def on_approve(event):
//!     if not is_approver(event.user):
//!         return ApprovalTemplate.ignore(message="Not an approver")
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::python::sdk::{LEGACY_HOOKS, TEMPLATE_STEPS};
use crate::python::{suggest, HandlerDecorator};
use crate::source::Span;

pub struct PyUnknownHook;

pub static RULE: PyUnknownHook = PyUnknownHook;

static INFO: RuleInfo = RuleInfo {
    code: "SF304",
    name: "unknown-hook",
    category: Category::Python,
    default_severity: Severity::Error,
    doc: include_str!("py_unknown_hook.rs"),
};

/// `on_<step>` / `after_<step>` for every template step.
fn hook_names() -> Vec<String> {
    ["on_", "after_"]
        .iter()
        .flat_map(|p| TEMPLATE_STEPS.iter().map(move |s| format!("{p}{s}")))
        .collect()
}

fn is_hook_name(name: &str) -> bool {
    let step = name
        .strip_prefix("on_")
        .or_else(|| name.strip_prefix("after_"));
    // `ignore` is a step a hook can return; whether `on_ignore` fires is
    // not documented, so it is not called wrong either.
    step.is_some_and(|s| TEMPLATE_STEPS.contains(&s) || s == "ignore")
}

impl Rule for PyUnknownHook {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let names = hook_names();
        for pf in ctx.python_files() {
            let (file, a) = (&pf.id, pf.analysis);
            if !pf.usage.is_flow() {
                continue;
            }
            for f in &a.functions {
                if !f.has(HandlerDecorator::Hook) || is_hook_name(&f.name) {
                    continue;
                }
                let help =
                    if let Some((_, now)) = LEGACY_HOOKS.iter().find(|(old, _)| *old == f.name) {
                        format!(
                            "`{}` is the name of the pre-`sym.sdk` API; it is now `{now}`",
                            f.name
                        )
                    } else if let Some(s) = suggest(&f.name, names.iter().map(String::as_str)) {
                        format!("did you mean `{s}`?")
                    } else {
                        format!(
                            "hooks are named `on_<step>` or `after_<step>`, with a step of: {}",
                            TEMPLATE_STEPS.join(", ")
                        )
                    };
                out.push(
                    INFO.diag(
                        format!(
                            "hook `{}` matches no template step and is never called",
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
    use std::fmt::Write as _;

    use crate::python::testing::Fixture;

    #[test]
    fn misnamed_hooks_get_a_suggestion() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import hook\n\n@hook\ndef on_aprove(event):\n    pass\n\n@hook\ndef on_approval(event):\n    pass\n\n@hook\ndef notify(event):\n    pass\n",
        );
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn every_step_hook_passes_and_undecorated_functions_are_free() {
        let mut src = String::from("from sym.sdk.annotations import hook\n");
        for name in super::hook_names() {
            let _ = write!(src, "\n@hook\ndef {name}(event):\n    pass\n");
        }
        src.push_str("\ndef on_aprove(event):\n    pass\n");
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", &src);
        fx.flow("approval", f);
        assert_eq!(fx.run(&super::RULE), "");
    }

    #[test]
    fn a_decorator_of_another_library_is_not_the_sdk_hook() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from mylib import hook\n\n@hook\ndef notify(event):\n    pass\n",
        );
        fx.flow("approval", f);
        assert_eq!(fx.run(&super::RULE), "");
    }
}
