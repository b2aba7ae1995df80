//! ## What it does
//! Reports an argument whose known value has a type the Sym provider cannot
//! accept: a list or object where a string is expected, a string other than
//! `"true"`/`"false"` where a bool is expected, a string where a list or map
//! is expected, a nested object inside a `map(string)` such as `vars` or
//! `settings`. Numbers and bools are fine where strings are expected
//! (Terraform converts them). Values symflow cannot know (variables without
//! a value, other providers' attributes) are never reported.
//!
//! ## Why is this bad?
//! Terraform fails with "Incorrect attribute value type".
//!
//! ## Example
//! ```hcl
//! params {
//!   allowed_sources = "slack"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! params {
//!   allowed_sources = ["slack"]
//! }
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::Value;
use crate::schema::AttrType;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF104",
    name: "wrong-type",
    category: Category::Schema,
    default_severity: Severity::Error,
    doc: include_str!("wrong_type.rs"),
};

pub struct WrongType;

fn is_primitive(v: &Value) -> bool {
    matches!(
        v,
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null | Value::Unknown(_)
    )
}

fn article(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "a list",
        Value::Object(_) => "an object",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a bool",
        Value::String(_) => "a string",
        Value::Null => "null",
        Value::Unknown(_) => "an unknown value",
    }
}

/// Why `v` cannot be converted to `ty`, if it cannot.
fn mismatch(ty: AttrType, v: &Value) -> Option<String> {
    match (ty, v) {
        (_, Value::Unknown(_) | Value::Null) => None,
        (AttrType::String, v) if is_primitive(v) => None,
        (AttrType::Bool, Value::Bool(_)) => None,
        (AttrType::Bool, Value::String(s)) if s == "true" || s == "false" => None,
        (AttrType::Bool, Value::String(s)) => Some(format!("the string \"{s}\"")),
        (AttrType::StringList, Value::List(items)) => items
            .iter()
            .position(|x| !is_primitive(x))
            .map(|i| format!("a list whose element {i} is {}", article(&items[i]))),
        (AttrType::StringMap, Value::Object(map)) => map
            .iter()
            .find(|(_, x)| !is_primitive(x))
            .map(|(k, x)| format!("a map whose `{k}` is {}", article(x))),
        (_, v) => Some(article(v).to_owned()),
    }
}

impl Rule for WrongType {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (c, a, s) in ctx.schema_attrs() {
            let Some(s) = s else {
                continue;
            };
            if let Some(found) = mismatch(s.ty, &a.value) {
                out.push(INFO.diag(
                    format!(
                        "`{}` in {} must be {}, not {found}",
                        a.name,
                        c.kind,
                        s.ty.describe()
                    ),
                    a.expr_span,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn conversions_follow_terraform() {
        assert!(mismatch(AttrType::String, &Value::Number(1.0)).is_none());
        assert!(mismatch(AttrType::String, &Value::Bool(true)).is_none());
        assert!(mismatch(AttrType::String, &Value::List(vec![])).is_some());
        assert!(mismatch(AttrType::Bool, &Value::String("true".into())).is_none());
        assert!(mismatch(AttrType::Bool, &Value::String("yes".into())).is_some());
        assert!(mismatch(AttrType::Bool, &Value::Number(1.0)).is_some());
        assert!(mismatch(AttrType::StringList, &Value::String("slack".into())).is_some());
        let nested = Value::Object(BTreeMap::from([("a".to_owned(), Value::List(vec![]))]));
        assert!(mismatch(AttrType::StringMap, &nested).is_some());
        let unknown = Value::unknown(
            crate::module::UnknownReason::Variable { name: "x".into() },
            None,
        );
        for ty in [
            AttrType::String,
            AttrType::Bool,
            AttrType::StringList,
            AttrType::StringMap,
        ] {
            assert!(mismatch(ty, &unknown).is_none());
        }
    }
}
