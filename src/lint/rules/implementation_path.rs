//! ## What it does
//! Under provider 3.x, reports a `sym_flow` or `sym_flows_filter`
//! `implementation` (or a prompt field's `on_change`) that is a file path
//! ending in `.py` instead of the file's contents. Under provider 2.x, where
//! `sym_flow.implementation` *is* a path, it reports the opposite: the
//! contents passed with `file(...)`. `sym_strategy.implementation` is a path
//! in every version: its contents (by `file(...)` or inline) are reported.
//!
//! ## Why is this bad?
//! Provider 3.x rejects the value at plan time ("Implementation values must
//! be file contents, not file paths"); provider 2.x tries to open a file
//! named after your Python source.
//!
//! ## Example
//! ```hcl
//! implementation = "impl.py"
//! ```
//!
//! ## Use instead
//! ```hcl
//! implementation = file("${path.module}/impl.py")
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::{ImplementationRole, ImplementationSource};
use crate::source::Span;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF205",
    name: "implementation-path",
    category: Category::Provider,
    default_severity: Severity::Error,
    doc: include_str!("implementation_path.rs"),
};

pub struct ImplementationPath;

fn check_text(
    ctx: &LintContext<'_>,
    attr: &crate::module::Attribute,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(v) = attr.value.as_str() else { return };
    // The provider's check is exactly this: a case-sensitive suffix match.
    #[allow(clippy::case_sensitive_file_extension_comparisons)]
    if !v.ends_with(".py") {
        return;
    }
    let path = if v.starts_with('/') || v.contains("path.module") {
        v.to_owned()
    } else {
        format!("${{path.module}}/{v}")
    };
    out.push(
        INFO.diag(
            format!(
                "`{}` of {what} is a file path; provider 3.x expects the file's contents",
                attr.name
            ),
            attr.expr_span,
        )
        .with_help(format!(
            "use `{} = file(\"{path}\")` (this module uses {})",
            attr.name,
            walk::provider_version_text(ctx.module)
        )),
    );
}

impl Rule for ImplementationPath {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        strategy_paths(ctx, out);
        let major = ctx.module.provider_version.major;
        if major >= 3 {
            for (b, _) in walk::sym_blocks(ctx.module) {
                match b.rtype.as_str() {
                    "sym_flow" => {
                        if let Some(a) = b.body.attr("implementation") {
                            check_text(ctx, a, &b.address, out);
                        }
                        for p in b.body.blocks_of("params") {
                            for f in p.body.blocks_of("prompt_field") {
                                if let Some(a) = f.body.attr("on_change") {
                                    check_text(
                                        ctx,
                                        a,
                                        &format!("a prompt field of {}", b.address),
                                        out,
                                    );
                                }
                            }
                        }
                    }
                    "sym_flows_filter" => {
                        if let Some(a) = b.body.attr("implementation") {
                            check_text(ctx, a, &b.address, out);
                        }
                    }
                    _ => {}
                }
            }
            return;
        }
        for i in &ctx.module.implementations {
            if i.role != ImplementationRole::Flow {
                continue;
            }
            if let ImplementationSource::File { path, .. } = &i.source {
                out.push(
                    INFO.diag(
                        format!("`implementation` of {} passes the file's contents; provider 2.x expects a path", i.owner),
                        Span::new(i.span.file, i.span.range()),
                    )
                    .with_help(format!(
                        "use `implementation = \"{}\"`, or move to provider 3.x (this module uses {})",
                        path.display(),
                        walk::provider_version_text(ctx.module)
                    )),
                );
            }
        }
    }
}

/// `sym_strategy.implementation` is a path in every provider version: the
/// provider opens it ("Unable to read sym_strategy implementation file").
/// Its contents, by `file(...)` or written inline, are reported.
fn strategy_paths(ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for i in &ctx.module.implementations {
        if i.role != ImplementationRole::Strategy {
            continue;
        }
        let (what, path) = match &i.source {
            ImplementationSource::File { path, .. } => {
                ("passes the file's contents", path.display().to_string())
            }
            ImplementationSource::Inline => ("is Python source", "strategy.py".to_owned()),
            _ => continue,
        };
        out.push(
            INFO.diag(
                format!(
                    "`implementation` of {} {what}; the provider reads a strategy's implementation as a file path, in every version",
                    i.owner
                ),
                Span::new(i.span.file, i.span.range()),
            )
            .with_help(format!(
                "use `implementation = \"{path}\"` (unlike a flow's, a strategy's implementation stayed a path in provider 3.x)"
            )),
        );
    }
}
