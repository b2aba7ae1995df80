//! One file per rule. Each file starts with `//!` documentation in ruff's
//! sections; that text is what `symflow validate --explain` prints.

pub mod walk;

// SF0xx: files that do not parse or cannot be read
pub mod invalid_expression;
pub mod missing_module;
pub mod missing_module_input;
pub mod no_configuration;
pub mod syntax_error;
pub mod unknown_ignore_rule;
pub mod unknown_module_input;
pub mod unreadable_file;
// SF1xx: the Sym provider schema
pub mod ignored_field_option;
pub mod invalid_enum_value;
pub mod missing_required;
pub mod missing_setting;
pub mod too_many_blocks;
pub mod unknown_attribute;
pub mod unknown_block;
pub mod unknown_resource_type;
pub mod unknown_setting;
pub mod unknown_type;
pub mod wrong_type;
// SF2xx: references, names, provider rules
pub mod duplicate_address;
pub mod duplicate_name;
pub mod duplicate_prompt_field;
pub mod implementation_path;
pub mod missing_implementation_file;
pub mod missing_integration_id;
pub mod multiple_flows_filters;
pub mod no_revoke_no_deescalation;
pub mod old_provider_version;
pub mod undeclared_reference;
pub mod undeclared_variable_value;
pub mod var_looks_typed;

use crate::diag::Diagnostic;
use crate::lint::{LintContext, RuleInfo};
use crate::module::ProblemKind;

/// Turn the loader's problems of one kind into findings of one rule.
pub(crate) fn report_problems(
    ctx: &LintContext<'_>,
    kind: ProblemKind,
    info: &'static RuleInfo,
    out: &mut Vec<Diagnostic>,
) {
    for p in ctx.module.problems.iter().filter(|p| p.kind == kind) {
        let mut d = match p.span {
            Some(span) => info.diag(p.message.clone(), span),
            None => Diagnostic::for_path(
                info.code,
                info.name,
                info.default_severity,
                p.message.clone(),
                p.path.clone(),
            ),
        };
        if let Some(h) = &p.help {
            d = d.with_help(h.clone());
        }
        out.push(d);
    }
}

// SF3xx: impl.py
pub mod py_deprecated_get_approvers;
pub mod py_missing_reducer;
pub mod py_prefetch_field;
pub mod py_reducer_name;
pub mod py_syntax_error;
pub mod py_undeclared_field;
pub mod py_undeclared_var;
pub mod py_undefined_name;
pub mod py_unknown_hook;
pub mod py_unknown_reducer;
pub mod py_unknown_sdk_import;
