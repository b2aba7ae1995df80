//! One file per rule. Each file starts with `//!` documentation in ruff's
//! sections; that text is what `symflow validate --explain` prints.
