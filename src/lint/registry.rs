//! The one table of rules: code, name, category and default severity live in
//! each rule's `RuleInfo`; this table lists the rules in code order.

use super::{rules, Rule};

/// Every rule, in code order. Codes are never reused; a renamed rule keeps a
/// redirect in [`REDIRECTS`].
pub static RULES: &[&dyn Rule] = &[
    &rules::py_syntax_error::RULE,
    &rules::py_missing_reducer::RULE,
    &rules::py_deprecated_get_approvers::RULE,
    &rules::py_unknown_hook::RULE,
    &rules::py_reducer_name::RULE,
    &rules::py_unknown_reducer::RULE,
    &rules::py_unknown_sdk_import::RULE,
    &rules::py_undefined_name::RULE,
    &rules::py_prefetch_field::RULE,
    &rules::py_undeclared_field::RULE,
    &rules::py_undeclared_var::RULE,
];

/// Old names that still resolve, `(old, current)`.
pub static REDIRECTS: &[(&str, &str)] = &[];

/// Look a rule up by code (`SF101`) or name (`unknown-attribute`), case-insensitively,
/// following redirects.
#[must_use]
pub fn find(key: &str) -> Option<&'static dyn Rule> {
    let key = REDIRECTS
        .iter()
        .find(|(old, _)| old.eq_ignore_ascii_case(key))
        .map_or(key, |(_, new)| new);
    RULES.iter().copied().find(|r| {
        let i = r.info();
        i.code.eq_ignore_ascii_case(key) || i.name.eq_ignore_ascii_case(key)
    })
}
