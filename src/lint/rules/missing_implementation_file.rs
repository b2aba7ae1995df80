//! ## What it does
//! Reports an implementation file that does not exist: the path inside
//! `file("...")` of a flow, flows filter or `on_change`, the path of a
//! provider 2.x flow, or a `sym_strategy.implementation` path. Paths are
//! resolved as Terraform does (`path.module`, relative to the module).
//!
//! ## Why is this bad?
//! Terraform fails with "Invalid value for \"path\" parameter: no file
//! exists at ..." (or the provider with "Unable to read sym_strategy
//! implementation file").
//!
//! ## Example
//! ```hcl
//! implementation = file("${path.module}/impls/aproval.py")
//! ```
//!
//! ## Use instead
//! ```hcl
//! implementation = file("${path.module}/impls/approval.py")
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::{ImplementationRole, ImplementationSource};

pub static INFO: RuleInfo = RuleInfo {
    code: "SF206",
    name: "missing-implementation-file",
    category: Category::Provider,
    default_severity: Severity::Error,
    doc: include_str!("missing_implementation_file.rs"),
};

pub struct MissingImplementationFile;

impl Rule for MissingImplementationFile {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let major = ctx.module.provider_version.major;
        for i in &ctx.module.implementations {
            let path = match &i.source {
                ImplementationSource::File {
                    path,
                    exists: false,
                    ..
                } => path.display().to_string(),
                // A literal is a path only for strategies, and for flows
                // under provider 2.x; elsewhere implementation-path reports it.
                ImplementationSource::LiteralPath {
                    path,
                    exists: false,
                    ..
                } if i.role == ImplementationRole::Strategy || major < 3 => path.clone(),
                // It is there but could not be read as text (not UTF-8,
                // too large): say so rather than check nothing silently.
                ImplementationSource::File {
                    path,
                    exists: true,
                    file: None,
                    ..
                } => {
                    out.push(unreadable(&path.display().to_string(), i));
                    continue;
                }
                ImplementationSource::LiteralPath {
                    path,
                    exists: true,
                    file: None,
                    ..
                } if i.role == ImplementationRole::Strategy || major < 3 => {
                    out.push(unreadable(path, i));
                    continue;
                }
                _ => continue,
            };
            out.push(
                INFO.diag(
                    format!("implementation file `{path}` of {} does not exist", i.owner),
                    i.span,
                )
                .with_help("check the name; a relative path is read from the directory Terraform runs in (the root module's), so name a file of this module as `${path.module}/...`"),
            );
        }
    }
}

fn unreadable(path: &str, i: &crate::module::ImplementationRef) -> Diagnostic {
    INFO.diag(
        format!(
            "implementation file `{path}` of {} cannot be read as text",
            i.owner
        ),
        i.span,
    )
    .with_help("save it as UTF-8 Python source (under 32 MiB)")
}
