//! ## What it does
//! Checks that the field of every `@prefetch(field_name="...")` reducer is
//! a `prompt_field` of the flow, and that this prompt field sets
//! `prefetch = true`.
//!
//! When an implementation is shared by several flows, the field must be
//! declared by at least one of them.
//!
//! ## Why is this bad?
//! Sym runs a prefetch reducer to fill the options of the prompt field it
//! names, and only for fields with `prefetch = true`. For any other field
//! the reducer is never called and the field shows no options.
//!
//! ## Example
//! ```python
//! @prefetch(field_name="repository")
//! def get_repos(event):
//!     return [FieldOption(value="api", label="API")]
//! ```
//! ```hcl
//! prompt_field {
//!   name = "repo_name"
//!   type = "string"
//! }
//! ```
//!
//! ## Use instead
//! ```python
//! @prefetch(field_name="repo_name")
//! def get_repos(event):
//!     return [FieldOption(value="api", label="API")]
//! ```
//! ```hcl
//! prompt_field {
//!   name     = "repo_name"
//!   type     = "string"
//!   prefetch = true
//! }
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::python::{suggest, HandlerDecorator};
use crate::source::Span;

pub struct PyPrefetchField;

pub static RULE: PyPrefetchField = PyPrefetchField;

static INFO: RuleInfo = RuleInfo {
    code: "SF309",
    name: "prefetch-field",
    category: Category::Python,
    default_severity: Severity::Error,
    doc: include_str!("py_prefetch_field.rs"),
};

impl Rule for PyPrefetchField {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for pf in ctx.python_files() {
            let (file, a) = (&pf.id, pf.analysis);
            let usage = &pf.usage;
            if !usage.is_flow()
                || usage.missing_owner
                || !a
                    .functions
                    .iter()
                    .any(|f| f.has(HandlerDecorator::Prefetch))
            {
                continue;
            }
            let fields = pf.fields();
            for f in &a.functions {
                for d in f
                    .decorators
                    .iter()
                    .filter(|d| d.kind == Some(HandlerDecorator::Prefetch))
                {
                    let arg = d
                        .kwargs
                        .iter()
                        .find(|(k, _, _)| k == "field_name")
                        .map(|(_, v, r)| (v.as_deref(), r.clone()))
                        .or_else(|| d.args.first().map(|(v, r)| (v.as_deref(), r.clone())));
                    let Some((Some(name), range)) = arg else {
                        continue;
                    };
                    let span = Span::new(*file, range);
                    match fields.fields.get(name) {
                        None if fields.complete => {
                            let help = match suggest(name, fields.names()) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => format!(
                                    "add a `prompt_field` named `{name}` with `prefetch = true` to {}",
                                    usage.flow_list()
                                ),
                            };
                            out.push(
                                INFO.diag(
                                    format!(
                                        "prefetch reducer `{}` is for field `{name}`, which no prompt_field of {} declares",
                                        f.name,
                                        usage.flow_list()
                                    ),
                                    span,
                                )
                                .with_help(help),
                            );
                        }
                        None => {}
                        Some(decls) => {
                            // Fine when any declaration has (or may have) it.
                            if decls.iter().any(|d| d.prefetch != Some(false)) {
                                continue;
                            }
                            let mut d = INFO
                                .diag(
                                    format!(
                                        "prompt_field `{name}` does not set `prefetch = true`, so prefetch reducer `{}` is never called",
                                        f.name
                                    ),
                                    span,
                                )
                                .with_help(format!(
                                    "add `prefetch = true` to the `{name}` prompt_field"
                                ));
                            for decl in decls {
                                d = d.with_label(
                                    decl.span,
                                    format!("prompt_field `{name}` of `{}`", decl.flow),
                                );
                            }
                            out.push(d);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::python::testing::Fixture;

    const SRC: &str = "from sym.sdk.annotations import prefetch\n\n@prefetch(field_name=\"repo_name\")\ndef get_repos(event):\n    return []\n";

    #[test]
    fn undeclared_field_is_reported() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", SRC);
        fx.flow("github", f).field("repo", "string");
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn field_without_prefetch_is_reported_with_the_field() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", SRC);
        fx.flow("github", f).field("repo_name", "string");
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn prefetch_fields_pass_also_when_one_of_several_flows_has_it() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", SRC);
        fx.flow("a", f).prefetch_field("repo_name", false);
        fx.flow("b", f).prefetch_field("repo_name", true);
        let g = fx.py(
            "positional.py",
            "from sym.sdk.annotations import prefetch\n\n@prefetch(\"repo_name\")\ndef get_repos(event):\n    return []\n",
        );
        fx.flow("c", g).prefetch_field("repo_name", true);
        assert_eq!(fx.run(&super::RULE), "");
    }

    #[test]
    fn unknown_fields_stay_quiet() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", SRC);
        fx.flow("a", f).fields_unknown();
        assert_eq!(fx.run(&super::RULE), "");
    }
}
