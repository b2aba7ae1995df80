//! Variable type constraints (`type = list(object({ a = optional(string,
//! "x") }))`) and the conversion Terraform applies to a variable's value:
//! primitives converted (`"5"` for a `number` is 5), collections converted
//! element by element, sets deduplicated and ordered, object attributes not
//! in the type dropped and missing `optional(...)` ones filled with their
//! default (or `null`).
//!
//! A value that does not fit its type is left as it is: finding that
//! mistake is validate's business, and the value is the best guess of what
//! was meant.

use std::collections::BTreeMap;

use crate::hcl::expr::{Expression, ObjectKey};

use super::value::Value;
use super::vars::literal_value;

/// A type constraint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    Any,
    String,
    Number,
    Bool,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
    Object(Vec<Attr>),
}

/// An attribute of an object type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attr {
    pub name: String,
    pub ty: Ty,
    /// `optional(T)` or `optional(T, default)`.
    pub optional: bool,
    /// The default of `optional(T, default)`, converted to `T`.
    pub default: Option<Value>,
}

/// Nesting beyond this is not followed (a type is a few levels deep).
const MAX_DEPTH: usize = 32;

/// The type an expression such as `map(list(string))` names; `None` for
/// anything that is not a type constraint Terraform knows.
pub(crate) fn parse(e: &Expression) -> Option<Ty> {
    parse_at(e, 0)
}

/// [`parse`] of a type written as text (`--var` handling keeps the text).
pub(crate) fn parse_text(text: &str) -> Option<Ty> {
    crate::hcl::parser::parse_expr(text)
        .ok()
        .and_then(|e| parse(&e))
}

fn parse_at(e: &Expression, depth: usize) -> Option<Ty> {
    if depth > MAX_DEPTH {
        return None;
    }
    match e {
        Expression::Variable(v) => match v.value().as_str() {
            "any" => Some(Ty::Any),
            "string" => Some(Ty::String),
            "number" => Some(Ty::Number),
            "bool" => Some(Ty::Bool),
            _ => None,
        },
        Expression::Parenthesis(p) => parse_at(p.inner(), depth + 1),
        Expression::FuncCall(f) if f.name.namespace.is_empty() && f.args.len() == 1 => {
            let arg = f.args.get(0)?;
            match f.name.name.value().as_str() {
                "list" => Some(Ty::List(Box::new(parse_at(arg, depth + 1)?))),
                "set" => Some(Ty::Set(Box::new(parse_at(arg, depth + 1)?))),
                "map" => Some(Ty::Map(Box::new(parse_at(arg, depth + 1)?))),
                "tuple" => match arg {
                    Expression::Array(a) => a
                        .iter()
                        .map(|x| parse_at(x, depth + 1))
                        .collect::<Option<Vec<_>>>()
                        .map(Ty::Tuple),
                    _ => None,
                },
                "object" => match arg {
                    Expression::Object(o) => {
                        let mut attrs = Vec::with_capacity(o.len());
                        for (k, v) in o {
                            let name = match k {
                                ObjectKey::Ident(i) => i.value().as_str().to_owned(),
                                ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                                ObjectKey::Expression(_) => return None,
                            };
                            attrs.push(attribute(name, v.expr(), depth + 1)?);
                        }
                        Some(Ty::Object(attrs))
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

fn attribute(name: String, e: &Expression, depth: usize) -> Option<Attr> {
    if let Expression::FuncCall(f) = e {
        if f.name.namespace.is_empty() && f.name.name.value().as_str() == "optional" {
            let ty = parse_at(f.args.get(0)?, depth)?;
            let default = match f.args.get(1) {
                Some(d) if f.args.len() == 2 => Some(convert(literal_value(d, None, 0), &ty)),
                None => None,
                Some(_) => return None,
            };
            return Some(Attr {
                name,
                ty,
                optional: true,
                default,
            });
        }
    }
    Some(Attr {
        name,
        ty: parse_at(e, depth)?,
        optional: false,
        default: None,
    })
}

/// `v` converted to `t` as far as it fits (see the module documentation).
pub(crate) fn convert(v: Value, t: &Ty) -> Value {
    match (t, v) {
        (_, v @ (Value::Unknown(_) | Value::Null)) | (Ty::Any, v) => v,
        (Ty::String, v @ (Value::Number(_) | Value::Bool(_))) => {
            Value::String(v.to_tf_string().unwrap_or_default())
        }
        (Ty::Number, v @ Value::String(_)) => super::eval::to_number(&v).map_or(v, Value::Number),
        (Ty::Bool, v @ Value::String(_)) => super::eval::to_bool(&v).map_or(v, Value::Bool),
        (Ty::List(e), Value::List(items)) => {
            Value::List(items.into_iter().map(|x| convert(x, e)).collect())
        }
        (Ty::Set(e), Value::List(items)) => {
            Value::List(set_of(items.into_iter().map(|x| convert(x, e))))
        }
        (Ty::Map(e), Value::Object(o)) => {
            Value::Object(o.into_iter().map(|(k, x)| (k, convert(x, e))).collect())
        }
        (Ty::Tuple(ts), Value::List(items)) if ts.len() == items.len() => Value::List(
            items
                .into_iter()
                .zip(ts)
                .map(|(x, t)| convert(x, t))
                .collect(),
        ),
        (Ty::Object(attrs), Value::Object(mut o)) => {
            let mut out = BTreeMap::new();
            for a in attrs {
                match o.remove(&a.name) {
                    Some(x) => {
                        let x = match (x, &a.default) {
                            // An optional attribute set to null takes its default.
                            (Value::Null, Some(d)) if a.optional => d.clone(),
                            (x, _) => convert(x, &a.ty),
                        };
                        out.insert(a.name.clone(), x);
                    }
                    None if a.optional => {
                        out.insert(a.name.clone(), a.default.clone().unwrap_or(Value::Null));
                    }
                    // A required attribute is missing: Terraform refuses the
                    // value; keep what is there.
                    None => {}
                }
            }
            Value::Object(out)
        }
        (_, v) => v,
    }
}

/// The items in order, each once (the first of equal ones kept).
pub(crate) fn distinct(items: impl IntoIterator<Item = Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for x in items {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// The elements of a set made of `items`: each once, in Terraform's order
/// (strings lexically, numbers numerically; other sets keep their order).
pub(crate) fn set_of(items: impl IntoIterator<Item = Value>) -> Vec<Value> {
    let mut items = distinct(items);
    if items.iter().all(|x| matches!(x, Value::String(_))) {
        items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if items.iter().all(|x| matches!(x, Value::Number(_))) {
        items.sort_by(|a, b| match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.total_cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::{convert, parse_text, Ty};
    use crate::module::value::Value;
    use std::collections::BTreeMap;

    fn s(x: &str) -> Value {
        Value::String(x.to_owned())
    }

    fn value(text: &str) -> Value {
        let e = crate::hcl::parser::parse_expr(text).expect("value parses");
        super::literal_value(&e, None, 0)
    }

    fn conv(ty: &str, v: &str) -> Value {
        convert(value(v), &parse_text(ty).expect("type parses"))
    }

    #[test]
    fn types_parse() {
        assert_eq!(parse_text("string"), Some(Ty::String));
        assert_eq!(
            parse_text("map(list(number))"),
            Some(Ty::Map(Box::new(Ty::List(Box::new(Ty::Number)))))
        );
        assert!(matches!(parse_text("tuple([string, bool])"), Some(Ty::Tuple(t)) if t.len() == 2));
        assert_eq!(parse_text("strin"), None);
        assert_eq!(parse_text("list(string, number)"), None);
        assert_eq!(parse_text("var.x"), None);
    }

    #[test]
    fn collections_convert_their_elements() {
        assert_eq!(
            conv("list(string)", "[1, true]"),
            Value::List(vec![s("1"), s("true")])
        );
        assert_eq!(
            conv("set(string)", r#"["b", "a", "b"]"#),
            Value::List(vec![s("a"), s("b")])
        );
        assert_eq!(
            conv("set(number)", "[10, 9]"),
            Value::List(vec![Value::Number(9.0), Value::Number(10.0)])
        );
        assert_eq!(
            conv("map(string)", "{ x = true }"),
            Value::Object(BTreeMap::from([("x".to_owned(), s("true"))]))
        );
        assert_eq!(
            conv("tuple([string, number])", r#"[1, "2"]"#),
            Value::List(vec![s("1"), Value::Number(2.0)])
        );
        // What does not fit is left alone.
        assert_eq!(conv("number", r#""five""#), s("five"));
        assert_eq!(conv("list(string)", r#""x""#), s("x"));
    }

    #[test]
    fn objects_get_optional_defaults_and_lose_other_attributes() {
        let v = conv(
            "object({ a = string, b = optional(number, 7), c = optional(string), d = optional(list(object({ e = optional(bool, true) })), [{}]) })",
            "{ a = 1, extra = 2 }",
        );
        assert_eq!(
            v,
            value(r#"{ a = "1", b = 7, c = null, d = [{ e = true }] }"#)
        );
        // Set to null: the default. Set: converted.
        assert_eq!(
            conv("object({ b = optional(number, 7) })", "{ b = null }"),
            value("{ b = 7 }")
        );
        assert_eq!(
            conv("object({ b = optional(number, 7) })", r#"{ b = "8" }"#),
            value("{ b = 8 }")
        );
        // Required and missing: kept as given (Terraform refuses the value).
        assert_eq!(conv("object({ a = string })", "{}"), value("{}"));
    }
}
