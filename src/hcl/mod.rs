//! HCL native syntax: a compact syntax tree and a fast parser for it.
//!
//! The module loader reads every `.tf` file of a module through this; the
//! rest of the crate (test files, `init`'s edits of existing files) uses
//! hcl-edit, which keeps formatting. The submodules mirror hcl-edit's paths
//! (`expr`, `structure`, `template`) so the loader reads like code written
//! against hcl-edit.

pub mod ast;
pub mod json;
pub mod parser;
#[cfg(test)]
mod tests;

pub use ast::Span;

pub mod expr {
    pub use super::ast::{
        Array, BinaryOp, BinaryOperator, Conditional, Expression, ForCond, ForExpr, ForIntro,
        FuncArgs, FuncCall, FuncName, Null, Number, Object, ObjectKey, ObjectValue, Parenthesis,
        Splat, Traversal, TraversalOperator, UnaryOp, UnaryOperator,
    };
}

pub mod structure {
    pub use super::ast::{Attribute, Block, BlockLabel, Body, Structure};
}

pub mod template {
    pub use super::ast::{
        Directive, Element, ElseTemplateExpr, EndforTemplateExpr, EndifTemplateExpr, ForDirective,
        ForTemplateExpr, HeredocTemplate, IfDirective, IfTemplateExpr, Interpolation,
        StringTemplate, Strip, Template,
    };
}

pub use ast::{Decorated, Ident, Number, Spanned};
