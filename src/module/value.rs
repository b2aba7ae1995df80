//! Evaluated values, with a first-class "known-unknown".

use std::collections::BTreeMap;

use crate::source::Span;

/// The value of an expression as far as symflow can know it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// Tuples, lists and sets.
    List(Vec<Value>),
    /// Objects and maps (keys sorted, as Terraform prints them).
    Object(BTreeMap<String, Value>),
    /// A value that exists but cannot be known before apply (or at all, here).
    /// Boxed: unknowns are rare next to strings and lists, and a small
    /// `Value` keeps every evaluated body small.
    Unknown(Box<Unknown>),
}

/// Why a value is unknown, and where the unknown part came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub reason: UnknownReason,
    /// The expression (or reference) that made it unknown.
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UnknownReason {
    /// The `id` (or another computed attribute) of a `sym_*` resource or
    /// data source of this module: known once that entity exists in Sym.
    /// `address` is the instance address, e.g. `sym_integration.slack` or
    /// `sym_target.group["a"]`; `attribute` is usually `id`.
    SymAttribute { address: String, attribute: String },
    /// A value from outside Sym: another provider's resource or data source
    /// (`aws_iam_role.x.arn`), a remote module's output (`module.x.y`).
    External { address: String },
    /// A variable with no default and no value from tfvars, `--var` or `TF_VAR_*`.
    Variable { name: String },
    /// A function or construct symflow does not evaluate (`timestamp()`, ...).
    Unsupported { what: String },
    /// Evaluation failed (wrong argument type, missing file, ...); the
    /// message says why. Validate may report it; it never crashes a run.
    Error { message: String },
}

impl Value {
    #[must_use]
    pub fn unknown(reason: UnknownReason, span: Option<Span>) -> Self {
        Value::Unknown(Box::new(Unknown { reason, span }))
    }

    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// True when the value or anything inside it is unknown.
    #[must_use]
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::List(l) => l.iter().any(Value::contains_unknown),
            Value::Object(o) => o.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    /// Every unknown inside the value, outermost first.
    #[must_use]
    pub fn unknowns(&self) -> Vec<&Unknown> {
        let mut out = Vec::new();
        fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Unknown>) {
            match v {
                Value::Unknown(u) => out.push(u),
                Value::List(l) => l.iter().for_each(|x| walk(x, out)),
                Value::Object(o) => o.values().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        walk(self, &mut out);
        out
    }

    /// A Terraform-ish type name for messages: `string`, `number`, `bool`,
    /// `list`, `object`, `null`, `unknown`.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Unknown(_) => "unknown",
        }
    }

    /// Terraform's conversion to string for primitive values (numbers and
    /// bools become strings, as in a `map(string)` attribute).
    #[must_use]
    pub fn to_tf_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(format_number(*n)),
            _ => None,
        }
    }
}

/// Numbers print like Terraform: integers without a fraction.
#[must_use]
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
