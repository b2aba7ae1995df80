//! The one table of rules: code, name, category and default severity live in
//! each rule's `RuleInfo`; this table lists the rules in code order.

use super::rules as r;
use super::Rule;

/// Every rule, in code order. Codes are never reused; a renamed rule keeps a
/// redirect in [`REDIRECTS`].
pub static RULES: &[&dyn Rule] = &[
    // SF0xx: syntax and unreadable files
    &r::syntax_error::SyntaxError,
    &r::unreadable_file::UnreadableFile,
    &r::no_configuration::NoConfiguration,
    &r::missing_module::MissingModule,
    &r::invalid_expression::InvalidExpression,
    &r::unknown_ignore_rule::UnknownIgnoreRule,
    // SF1xx: the Sym provider schema
    &r::unknown_resource_type::UnknownResourceType,
    &r::unknown_attribute::UnknownAttribute,
    &r::unknown_block::UnknownBlock,
    &r::missing_required::MissingRequired,
    &r::wrong_type::WrongType,
    &r::invalid_enum_value::InvalidEnumValue,
    &r::too_many_blocks::TooManyBlocks,
    &r::unknown_type::UnknownType,
    &r::unknown_setting::UnknownSetting,
    &r::missing_setting::MissingSetting,
    &r::ignored_field_option::IgnoredFieldOption,
    // SF2xx: references, names and provider rules
    &r::undeclared_reference::UndeclaredReference,
    &r::duplicate_address::DuplicateAddress,
    &r::duplicate_name::DuplicateName,
    &r::duplicate_prompt_field::DuplicatePromptField,
    &r::implementation_path::ImplementationPath,
    &r::missing_implementation_file::MissingImplementationFile,
    &r::no_revoke_no_deescalation::NoRevokeNoDeescalation,
    &r::var_looks_typed::VarLooksTyped,
    &r::missing_integration_id::MissingIntegrationId,
    &r::multiple_flows_filters::MultipleFlowsFilters,
    &r::undeclared_variable_value::UndeclaredVariableValue,
    &r::unknown_module_input::UnknownModuleInput,
    &r::missing_module_input::MissingModuleInput,
    &r::old_provider_version::OldProviderVersion,
    // SF3xx: impl.py (python analysis)
    &r::py_syntax_error::RULE,
    &r::py_missing_reducer::RULE,
    &r::py_deprecated_get_approvers::RULE,
    &r::py_unknown_hook::RULE,
    &r::py_reducer_name::RULE,
    &r::py_unknown_reducer::RULE,
    &r::py_unknown_sdk_import::RULE,
    &r::py_undefined_name::RULE,
    &r::py_prefetch_field::RULE,
    &r::py_undeclared_field::RULE,
    &r::py_undeclared_var::RULE,
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = BTreeSet::new();
        let mut names = BTreeSet::new();
        for r in RULES {
            let i = r.info();
            assert!(codes.insert(i.code), "duplicate code {}", i.code);
            assert!(names.insert(i.name), "duplicate name {}", i.name);
            assert!(
                i.code.len() == 5
                    && i.code.starts_with("SF")
                    && i.code[2..].bytes().all(|b| b.is_ascii_digit()),
                "bad code {}",
                i.code
            );
            assert!(
                i.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "bad name {}",
                i.name
            );
        }
    }

    #[test]
    fn every_rule_is_documented_in_ruffs_sections() {
        for r in RULES {
            let i = r.info();
            let doc = i.docs();
            for section in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(doc.contains(section), "{} lacks `{section}`", i.code);
            }
            assert!(!i.summary().is_empty(), "{} has no summary", i.code);
        }
    }

    #[test]
    fn find_accepts_codes_and_names() {
        assert_eq!(
            find("sf101").map(|r| r.info().name),
            Some("unknown-attribute")
        );
        assert_eq!(
            find("Unknown-Attribute").map(|r| r.info().code),
            Some("SF101")
        );
        assert!(find("nope").is_none());
    }
}
