//! One file per rule. Each file starts with `//!` documentation in ruff's
//! sections; that text is what `symflow validate --explain` prints.
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
