//! ## What it does
//! Checks that every import from `sym.sdk` names a module or a name that
//! the SDK (`sym-sdk` 0.61.0) really has.
//!
//! The check knows the SDK's module tree, including what each module
//! holds at runtime without exporting it (its own imports). It reports only
//! what certainly fails: a name that a fully known module does not hold
//! (the help says which module has it), a submodule such a module does not
//! have, or, in a module not fully known, a name that exists nowhere in the
//! SDK.
//!
//! ## Why is this bad?
//! The import fails with `ImportError` when Sym loads the file, so every
//! request of the flow fails. Typical causes are typos, names from old SDK
//! versions (the pre-`sym.sdk` `@action` decorator), integrations the
//! SDK does not have and names imported from the wrong module (`hook` is
//! in `sym.sdk.annotations`, not `sym.sdk.templates`).
//!
//! ## Example
//! ```python
//! from sym.sdk.annotations import action, reducer
//! from sym.sdk.integrations import datadog
//! from sym.sdk.templates import ApprovalTemplate, hook
//! from sym.sdk import Notification
//! ```
//!
//! ## Use instead
//! ```python
//! from sym.sdk.annotations import hook, reducer
//! from sym.sdk.integrations import slack
//! from sym.sdk.templates import ApprovalTemplate
//! from sym.sdk.notifications import Notification
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::python::sdk::{self, ModuleLookup, SdkModule};
use crate::python::suggest;
use crate::source::Span;

pub struct PyUnknownSdkImport;

pub static RULE: PyUnknownSdkImport = PyUnknownSdkImport;

static INFO: RuleInfo = RuleInfo {
    code: "SF307",
    name: "unknown-sdk-import",
    category: Category::Python,
    default_severity: Severity::Error,
    doc: include_str!("py_unknown_sdk_import.rs"),
};

fn names_of(m: &SdkModule) -> impl Iterator<Item = &'static str> {
    m.names.iter().chain(m.submodules.iter()).copied()
}

fn missing_module(path: &str, parent: &SdkModule) -> (String, String) {
    let child = path[parent.path.len() + 1..]
        .split('.')
        .next()
        .unwrap_or_default();
    let message = format!("module `{path}` does not exist");
    let help = match suggest(child, parent.submodules.iter().copied()) {
        Some(s) => format!("did you mean `{}.{s}`?", parent.path),
        None if parent.submodules.is_empty() => {
            format!("`{}` is a module, not a package", parent.path)
        }
        None => format!(
            "`{}` has these modules: {}",
            parent.path,
            parent.submodules.join(", ")
        ),
    };
    (message, help)
}

fn missing_name(name: &str, m: &SdkModule) -> String {
    if name == "action" && m.names.contains(&"hook") {
        return "there is no `@action` decorator any more: `after_*` handlers use `@hook`"
            .to_owned();
    }
    if let Some(home) = sdk::home_of(name) {
        return format!("`{name}` is in `{home}`");
    }
    if let Some(s) = suggest(name, names_of(m)) {
        return format!("did you mean `{s}`?");
    }
    if m.path == "sym.sdk.integrations" {
        return format!(
            "the SDK has these integrations: {}",
            m.submodules.join(", ")
        );
    }
    let mut exported: Vec<&str> = names_of(m).filter(|n| !n.starts_with('_')).collect();
    exported.sort_unstable();
    format!("`{}` exports: {}", m.path, exported.join(", "))
}

impl Rule for PyUnknownSdkImport {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (file, a) in ctx.python {
            let mut reported_modules = Vec::new();
            for imp in &a.imports {
                if imp.level > 0 {
                    continue;
                }
                match sdk::lookup_module(&imp.module) {
                    ModuleLookup::Foreign | ModuleLookup::Unsure => {}
                    ModuleLookup::Missing(parent) => {
                        if reported_modules.contains(&imp.module_range) {
                            continue;
                        }
                        reported_modules.push(imp.module_range.clone());
                        let (message, help) = missing_module(&imp.module, parent);
                        out.push(
                            INFO.diag(message, Span::new(*file, imp.module_range.clone()))
                                .with_help(help),
                        );
                    }
                    ModuleLookup::Known(m) => {
                        let Some(name) = imp.name.as_deref() else {
                            continue;
                        };
                        if imp.star || m.has_at_runtime(name) {
                            continue;
                        }
                        if !m.complete {
                            // A package whose files are not all known may
                            // have a submodule of that name.
                            let maybe_submodule = name
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                            // Defined elsewhere in the SDK: may have leaked
                            // into this module through an import.
                            if maybe_submodule || sdk::defined_anywhere(name) {
                                continue;
                            }
                        }
                        out.push(
                            INFO.diag(
                                format!("`{}` has no `{name}`", m.path),
                                Span::new(*file, imp.range.clone()),
                            )
                            .with_help(missing_name(name, m)),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use crate::python::testing::Fixture;

    #[test]
    fn missing_names_and_modules_are_reported() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.annotations import action, reducer\nfrom sym.sdk.integrations import datadog, slack\nimport sym.sdk.integration\nfrom sym.sdk.templates import ApprovalTemplates\nfrom sym.sdk.request_permission import PermissionLevels\n",
        );
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    /// Names that exist in the SDK, imported from a fully known module
    /// that does not hold them (each fails with `ImportError` in sym-sdk
    /// 0.61.0 and in the `symflow test` stand-in).
    #[test]
    fn names_from_the_wrong_module_are_reported() {
        let mut fx = Fixture::new();
        let f = fx.py(
            "impl.py",
            "from sym.sdk.templates import ApprovalTemplate, hook\n\
             from sym.sdk import Notification, aws_iam, jira, slack\n\
             from sym.sdk.exceptions import SymSDKError, IdentityNotFound\n\
             from sym.sdk.errors import SymException\n\
             from sym.sdk.field_option import FieldType\n\
             from sym.sdk.models import Notification\n\
             import sym.sdk.templates.steps\n\
             from sym.sdk.exceptions.base import SymException\n",
        );
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn every_documented_import_passes() {
        let mut src = String::new();
        for m in crate::python::sdk::MODULES {
            let _ = writeln!(src, "import {}", m.path);
            for n in m.names.iter().chain(m.submodules).chain(m.leaked) {
                let _ = writeln!(src, "from {} import {n}", m.path);
            }
        }
        // names used by Sym's own examples (reference §5.2), leaked names,
        // undocumented parts of open packages, other libraries
        src.push_str(
            "from sym.sdk.field_option import FieldOption\n\
             from sym.sdk.exceptions import SymException\n\
             from sym.sdk.event import User\n\
             from sym.sdk.templates import approval\n\
             from sym.sdk.templates.approval import ApprovalTemplate\n\
             from sym.sdk.integrations import is_user_in_group\n\
             from sym.sdk import Environment, sym, notifications, tests\n\
             from sym.sdk.tests.unknown import anything\n\
             from sym.sdk.integrations.slack import Optional\n\
             from sym.sdk import *\n\
             from requests.exceptions import RequestException\n\
             from .local import thing\n",
        );
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", &src);
        fx.flow("approval", f);
        assert_eq!(fx.run(&super::RULE), "");
    }
}
