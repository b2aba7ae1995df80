//! Terraform's built-in functions that Sym configurations use. Functions
//! that need the module (`file`, `templatefile`) live in the evaluator.

use std::collections::BTreeMap;

use base64::Engine as _;
use unicode_segmentation::UnicodeSegmentation as _;

use super::eval::{err, first_unknown, to_bool, to_number};
use super::value::{UnknownReason, Value};
use crate::source::Span;

/// Call a pure function. Unknown arguments make the result unknown (with
/// the argument's reason), except where the function does not need them.
pub(crate) fn call(name: &str, args: Vec<Value>, sp: Span) -> Value {
    // Functions that look only at the shape of their arguments.
    match name {
        "length" => return length(&args, sp),
        "concat" => return concat(args, sp),
        "merge" => return merge(args, sp),
        "tolist" | "toset" => return to_list(name, args, sp),
        "tomap" => return to_map(args, sp),
        "keys" => return keys(&args, sp),
        "values" => return values(args, sp),
        "coalesce" => return coalesce(args, sp),
        "flatten" => return flatten(args, sp),
        "lookup" => return lookup(args, sp),
        "try" => return try_fn(args, sp),
        "can" => return can(&args, sp),
        _ => {}
    }
    if let Some(u) = first_unknown(args.iter()) {
        return u;
    }
    match name {
        "jsonencode" => one(&args, name, sp, |v| Ok(Value::String(json_like_go(v)))),
        "jsondecode" => one(&args, name, sp, |v| match v {
            Value::String(s) => match serde_json::from_str::<serde_json::Value>(s) {
                Ok(j) => Ok(from_json(&j)),
                Err(e) => Err(format!("jsondecode(): invalid JSON: {e}")),
            },
            _ => Err("jsondecode() needs a string".to_owned()),
        }),
        "format" => super::format::format(&args, sp),
        "lower" => string_fn(&args, name, sp, |s| s.chars().map(simple_lower).collect()),
        "upper" => string_fn(&args, name, sp, |s| s.chars().map(simple_upper).collect()),
        "title" => string_fn(&args, name, sp, title),
        "trimspace" => string_fn(&args, name, sp, |s| s.trim().to_owned()),
        "base64encode" => string_fn(&args, name, sp, |s| {
            base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
        }),
        "base64decode" => one(&args, name, sp, |v| {
            let s = v.to_tf_string().ok_or("base64decode() needs a string")?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map_err(|e| format!("base64decode(): {e}"))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| "base64decode(): the result is not UTF-8".to_owned())
        }),
        "join" => match args.as_slice() {
            [sep, rest @ ..] if !rest.is_empty() => {
                let Some(sep) = sep.to_tf_string() else {
                    return err("join() needs a string separator", Some(sp));
                };
                let mut parts = Vec::new();
                for l in rest {
                    let Value::List(items) = l else {
                        return err("join() needs lists of strings", Some(sp));
                    };
                    for i in items {
                        match i.to_tf_string() {
                            Some(s) => parts.push(s),
                            None => return err("join() needs lists of strings", Some(sp)),
                        }
                    }
                }
                Value::String(parts.join(&sep))
            }
            _ => err("join() takes a separator and one or more lists", Some(sp)),
        },
        "split" => match args.as_slice() {
            [sep, s] => match (sep.to_tf_string(), s.to_tf_string()) {
                // Go's `strings.Split`, as Terraform calls it: an empty
                // string is one empty part (`[""]`), an empty separator
                // splits between characters.
                (Some(sep), Some(s)) => {
                    if sep.is_empty() {
                        Value::List(s.chars().map(|c| Value::String(c.to_string())).collect())
                    } else {
                        Value::List(
                            s.split(sep.as_str())
                                .map(|p| Value::String(p.to_owned()))
                                .collect(),
                        )
                    }
                }
                _ => err("split() needs two strings", Some(sp)),
            },
            _ => err("split() takes a separator and a string", Some(sp)),
        },
        "replace" => match args.as_slice() {
            [s, from, to] => match (s.to_tf_string(), from.to_tf_string(), to.to_tf_string()) {
                (Some(s), Some(from), Some(to)) => replace(&s, &from, &to, sp),
                _ => err("replace() needs three strings", Some(sp)),
            },
            _ => err(
                "replace() takes a string, a substring and a replacement",
                Some(sp),
            ),
        },
        "contains" => match args.as_slice() {
            [Value::List(l), v] => Value::Bool(l.iter().any(|x| {
                x == v
                    || x.to_tf_string().is_some()
                        && x.to_tf_string() == v.to_tf_string()
                        && x.type_name() == v.type_name()
            })),
            [_, _] => err("contains() needs a list", Some(sp)),
            _ => err("contains() takes a list and a value", Some(sp)),
        },
        "tostring" => one(&args, name, sp, |v| match v {
            Value::Null => Ok(Value::Null),
            other => other
                .to_tf_string()
                .map(Value::String)
                .ok_or_else(|| format!("cannot convert a {} to a string", other.type_name())),
        }),
        "tonumber" => one(&args, name, sp, |v| match v {
            Value::Null => Ok(Value::Null),
            other => to_number(other)
                .map(Value::Number)
                .ok_or_else(|| format!("cannot convert this {} to a number", other.type_name())),
        }),
        "tobool" => one(&args, name, sp, |v| match v {
            Value::Null => Ok(Value::Null),
            other => to_bool(other)
                .map(Value::Bool)
                .ok_or_else(|| format!("cannot convert this {} to a bool", other.type_name())),
        }),
        "abs" => one(&args, name, sp, |v| {
            to_number(v)
                .map(|n| Value::Number(n.abs()))
                .ok_or_else(|| "abs() needs a number".to_owned())
        }),
        "max" | "min" => {
            let mut nums = Vec::new();
            for a in &args {
                match to_number(a) {
                    Some(n) => nums.push(n),
                    None => return err(format!("{name}() needs numbers"), Some(sp)),
                }
            }
            let r = if name == "max" {
                nums.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            } else {
                nums.iter().copied().fold(f64::INFINITY, f64::min)
            };
            if nums.is_empty() {
                err(format!("{name}() needs at least one number"), Some(sp))
            } else {
                Value::Number(r)
            }
        }
        "distinct" => one(&args, name, sp, |v| match v {
            Value::List(l) => Ok(Value::List(super::types::distinct(l.iter().cloned()))),
            _ => Err("distinct() needs a list".to_owned()),
        }),
        "startswith" | "endswith" => match args.as_slice() {
            [Value::String(s), Value::String(p)] => Value::Bool(if name == "startswith" {
                s.starts_with(p.as_str())
            } else {
                s.ends_with(p.as_str())
            }),
            _ => err(format!("{name}() takes two strings"), Some(sp)),
        },
        "element" => match args.as_slice() {
            [Value::List(l), i] => match to_number(i) {
                Some(n) if !l.is_empty() && n >= 0.0 => l[(n as usize) % l.len()].clone(),
                _ => err("element() needs a non-empty list and an index", Some(sp)),
            },
            _ => err("element() takes a list and an index", Some(sp)),
        },
        // Sensitivity is not tracked: the value is what matters here.
        "sensitive" | "nonsensitive" => one(&args, name, sp, |v| Ok(v.clone())),
        "one" => one(&args, name, sp, |v| match v {
            Value::List(l) if l.len() <= 1 => Ok(l.first().cloned().unwrap_or(Value::Null)),
            Value::List(l) => Err(format!(
                "one() needs a list of at most one element, not {}",
                l.len()
            )),
            Value::Null => Ok(Value::Null),
            other => Err(format!("one() needs a list, not {}", other.type_name())),
        }),
        "compact" => one(&args, name, sp, |v| match v {
            Value::List(l) => l
                .iter()
                .filter(|x| !matches!(x, Value::Null))
                .map(|x| x.to_tf_string().ok_or("compact() needs a list of strings"))
                .filter(|x| !matches!(x, Ok(s) if s.is_empty()))
                .map(|x| x.map(Value::String).map_err(str::to_owned))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::List),
            other => Err(format!("compact() needs a list, not {}", other.type_name())),
        }),
        "reverse" => one(&args, name, sp, |v| match v {
            Value::List(l) => Ok(Value::List(l.iter().rev().cloned().collect())),
            other => Err(format!("reverse() needs a list, not {}", other.type_name())),
        }),
        "sum" => one(&args, name, sp, |v| match v {
            Value::List(l) if !l.is_empty() => l
                .iter()
                .map(|x| to_number(x).ok_or("sum() needs a list of numbers"))
                .sum::<Result<f64, _>>()
                .map(Value::Number)
                .map_err(str::to_owned),
            Value::List(_) => Err("sum() cannot sum an empty list".to_owned()),
            other => Err(format!("sum() needs a list, not {}", other.type_name())),
        }),
        "alltrue" | "anytrue" => one(&args, name, sp, |v| match v {
            Value::List(l) => {
                let bools = l
                    .iter()
                    .map(|x| to_bool(x).ok_or_else(|| format!("{name}() needs a list of bools")))
                    .collect::<Result<Vec<bool>, _>>()?;
                Ok(Value::Bool(if name == "alltrue" {
                    bools.iter().all(|b| *b)
                } else {
                    bools.iter().any(|b| *b)
                }))
            }
            other => Err(format!("{name}() needs a list, not {}", other.type_name())),
        }),
        "ceil" | "floor" => one(&args, name, sp, |v| {
            to_number(v)
                .map(|n| Value::Number(if name == "ceil" { n.ceil() } else { n.floor() }))
                .ok_or_else(|| format!("{name}() needs a number"))
        }),
        "chomp" => string_fn(&args, name, sp, |s| {
            s.trim_end_matches(['\r', '\n']).to_owned()
        }),
        "trimprefix" | "trimsuffix" | "trim" => match args.as_slice() {
            [s, t] => match (s.to_tf_string(), t.to_tf_string()) {
                (Some(s), Some(t)) => Value::String(match name {
                    "trimprefix" => s.strip_prefix(t.as_str()).unwrap_or(&s).to_owned(),
                    "trimsuffix" => s.strip_suffix(t.as_str()).unwrap_or(&s).to_owned(),
                    _ => s.trim_matches(|c| t.contains(c)).to_owned(),
                }),
                _ => err(format!("{name}() needs two strings"), Some(sp)),
            },
            _ => err(format!("{name}() takes two arguments"), Some(sp)),
        },
        "sort" => one(&args, name, sp, |v| match v {
            Value::List(l) => {
                let mut strings = l
                    .iter()
                    .map(|x| x.to_tf_string().ok_or("sort() needs a list of strings"))
                    .collect::<Result<Vec<String>, _>>()?;
                strings.sort();
                Ok(Value::List(
                    strings.into_iter().map(Value::String).collect(),
                ))
            }
            other => Err(format!("sort() needs a list, not {}", other.type_name())),
        }),
        "index" => match args.as_slice() {
            [Value::List(l), v] => match l.iter().position(|x| x == v) {
                Some(i) => Value::Number(i as f64),
                None => err("index(): the item is not in the list", Some(sp)),
            },
            _ => err("index() takes a list and a value", Some(sp)),
        },
        "formatlist" => formatlist(&args, sp),
        "substr" => match args.as_slice() {
            [s, o, l] => match (s.to_tf_string(), to_number(o), to_number(l)) {
                (Some(s), Some(o), Some(l)) if o.fract() == 0.0 && l.fract() == 0.0 => {
                    Value::String(substr(&s, o as i64, l as i64))
                }
                _ => err("substr() takes a string and two whole numbers", Some(sp)),
            },
            _ => err("substr() takes a string, an offset and a length", Some(sp)),
        },
        "zipmap" => match args.as_slice() {
            [Value::List(k), Value::List(v)] if k.len() == v.len() => {
                let mut m = BTreeMap::new();
                for (k, v) in k.iter().zip(v) {
                    let Some(k) = k.to_tf_string() else {
                        return err("zipmap() keys must be strings", Some(sp));
                    };
                    m.insert(k, v.clone());
                }
                Value::Object(m)
            }
            _ => err("zipmap() takes two lists of the same length", Some(sp)),
        },
        _ => Value::unknown(
            UnknownReason::Unsupported {
                what: format!("{name}()"),
            },
            Some(sp),
        ),
    }
}

fn one(
    args: &[Value],
    name: &str,
    sp: Span,
    f: impl FnOnce(&Value) -> Result<Value, String>,
) -> Value {
    match args {
        [v] => f(v).unwrap_or_else(|m| err(m, Some(sp))),
        _ => err(format!("{name}() takes exactly one argument"), Some(sp)),
    }
}

fn string_fn(args: &[Value], name: &str, sp: Span, f: impl FnOnce(&str) -> String) -> Value {
    one(args, name, sp, |v| match v.to_tf_string() {
        Some(s) => Ok(Value::String(f(&s))),
        None => Err(format!("{name}() needs a string, not {}", v.type_name())),
    })
}

/// A value as JSON text the way Terraform writes it (`jsonencode`, and
/// `format`'s `%#v` and `%q`).
pub(crate) fn json_like_go(v: &Value) -> String {
    escape_like_go(serde_json::to_string(&to_json(v)).unwrap_or_default())
}

/// String escapes beyond JSON's own: Terraform encodes with Go's
/// `encoding/json`, which writes `<`, `>`, `&`, U+2028 and U+2029 as `\u`
/// escapes. They can only occur inside strings of the encoded text.
fn escape_like_go(json: String) -> String {
    if !json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The simple (one character to one character) uppercase mapping that Go's
/// `strings.ToUpper`, and so Terraform's `upper`, applies: `ß` stays `ß`
/// (Rust's full mapping would make it `SS`).
fn simple_upper(c: char) -> char {
    let mut full = c.to_uppercase();
    match (full.next(), full.next()) {
        (Some(u), None) => u,
        // Where the full mapping has several characters the simple one is
        // the character itself, except for the Greek letters with iota
        // subscript (`ᾳ` to `ᾼ`).
        _ => match c {
            '\u{1F80}'..='\u{1F87}'
            | '\u{1F90}'..='\u{1F97}'
            | '\u{1FA0}'..='\u{1FA7}'
            | '\u{1FB3}'
            | '\u{1FC3}'
            | '\u{1FF3}' => {
                let to = match c {
                    '\u{1FB3}' | '\u{1FC3}' | '\u{1FF3}' => c as u32 + 9,
                    _ => c as u32 + 8,
                };
                char::from_u32(to).unwrap_or(c)
            }
            _ => c,
        },
    }
}

/// The simple lowercase mapping of Go's `strings.ToLower` (Terraform's
/// `lower`): `İ` becomes `i`, and a final `Σ` is `σ` like any other.
fn simple_lower(c: char) -> char {
    let mut full = c.to_lowercase();
    match (full.next(), full.next()) {
        (Some(l), None) => l,
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

/// The simple titlecase mapping (Go's `unicode.ToTitle`): the uppercase one
/// except for the digraphs (`ǆ` to `ǅ`) and Georgian letters (no title
/// case).
fn simple_title(c: char) -> char {
    match c {
        '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
        '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
        '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
        '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
        '\u{10D0}'..='\u{10FA}' | '\u{10FD}'..='\u{10FF}' => c,
        _ => simple_upper(c),
    }
}

/// Terraform's `title` (Go's `strings.Title`): the first character of each
/// word in title case, where words are separated by anything but letters,
/// digits and `_` (non-ASCII punctuation other than spaces does not
/// separate).
fn title(s: &str) -> String {
    fn separates(c: char) -> bool {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else {
            c.is_whitespace()
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut after_separator = true;
    for c in s.chars() {
        out.push(if after_separator { simple_title(c) } else { c });
        after_separator = separates(c);
    }
    out
}

fn length(args: &[Value], sp: Span) -> Value {
    match args {
        [Value::List(l)] => Value::Number(l.len() as f64),
        [Value::Object(o)] => Value::Number(o.len() as f64),
        // Terraform counts user-perceived characters (grapheme clusters):
        // `length("🕹️")` is 1, though it is two code points.
        [Value::String(s)] => Value::Number(s.graphemes(true).count() as f64),
        [u @ Value::Unknown(_)] => u.clone(),
        [other] => err(
            format!("length() cannot take a {}", other.type_name()),
            Some(sp),
        ),
        _ => err("length() takes exactly one argument", Some(sp)),
    }
}

/// `substr(s, offset, length)` in grapheme clusters, as Terraform computes
/// it: a negative offset counts from the end, a negative length takes the
/// rest. (Terraform's quirk is kept: a length of 0 gives "" only with an
/// offset that is not negative; with a negative one it takes the rest.)
fn substr(s: &str, offset: i64, length: i64) -> String {
    let g: Vec<&str> = s.graphemes(true).collect();
    let mut offset = offset;
    if offset < 0 {
        offset += g.len() as i64;
    } else if length == 0 {
        return String::new();
    }
    let start = offset.clamp(0, g.len() as i64) as usize;
    let rest = &g[start..];
    match usize::try_from(length) {
        Ok(n) if n > 0 => rest.iter().take(n).copied().collect(),
        _ => rest.concat(),
    }
}

/// `formatlist(format, args...)`: `format` applied element by element to
/// the list arguments (all of one length), the others repeated; one
/// element when no argument is a list.
fn formatlist(args: &[Value], sp: Span) -> Value {
    let mut len: Option<usize> = None;
    for a in args.iter().skip(1) {
        if let Value::List(l) = a {
            if len.is_some_and(|n| n != l.len()) {
                return err("formatlist() needs lists of one length", Some(sp));
            }
            len = Some(l.len());
        }
    }
    let mut out = Vec::with_capacity(len.unwrap_or(1));
    for i in 0..len.unwrap_or(1) {
        let row: Vec<Value> = args
            .iter()
            .enumerate()
            .map(|(n, a)| match a {
                Value::List(l) if n > 0 => l[i].clone(),
                other => other.clone(),
            })
            .collect();
        match super::format::format(&row, sp) {
            v @ Value::String(_) => out.push(v),
            other => return other,
        }
    }
    Value::List(out)
}

/// The first evaluation error inside a value, if any.
fn first_error(v: &Value) -> Option<&str> {
    v.unknowns().into_iter().find_map(|u| match &u.reason {
        UnknownReason::Error { message } => Some(message.as_str()),
        _ => None,
    })
}

/// `try(a, b, ...)`: the first argument that evaluated without an error
/// (an unknown one included: which one succeeds is then not known before
/// apply, and the value is unknown).
fn try_fn(args: Vec<Value>, sp: Span) -> Value {
    let mut failed: Option<String> = None;
    for a in args {
        match first_error(&a) {
            Some(m) => {
                failed.get_or_insert_with(|| m.to_owned());
            }
            None => return a,
        }
    }
    match failed {
        Some(m) => err(
            format!("try(): no argument could be evaluated: {m}"),
            Some(sp),
        ),
        None => err("try() needs at least one argument", Some(sp)),
    }
}

/// `can(expr)`: whether the argument evaluated without an error.
fn can(args: &[Value], sp: Span) -> Value {
    match args {
        [v] if first_error(v).is_some() => Value::Bool(false),
        [v] => first_unknown([v]).unwrap_or(Value::Bool(true)),
        _ => err("can() takes exactly one argument", Some(sp)),
    }
}

fn concat(args: Vec<Value>, sp: Span) -> Value {
    let mut out = Vec::new();
    for a in args {
        match a {
            Value::List(l) => out.extend(l),
            u @ Value::Unknown(_) => return u,
            other => {
                return err(
                    format!("concat() needs lists, not {}", other.type_name()),
                    Some(sp),
                )
            }
        }
    }
    Value::List(out)
}

fn merge(args: Vec<Value>, sp: Span) -> Value {
    let mut out = BTreeMap::new();
    for a in args {
        match a {
            Value::Object(o) => out.extend(o),
            Value::Null => {}
            u @ Value::Unknown(_) => return u,
            other => {
                return err(
                    format!("merge() needs maps or objects, not {}", other.type_name()),
                    Some(sp),
                )
            }
        }
    }
    Value::Object(out)
}

/// Terraform's element type for a list of primitives with a string among
/// them is `string`: numbers and bools become their string forms
/// (`tolist([1, "a"])` is `["1", "a"]`). Other lists are left alone.
fn unify_primitives(l: Vec<Value>) -> Vec<Value> {
    let primitive = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let has_string = l.iter().any(|v| matches!(v, Value::String(_)));
    let mixed = l.iter().any(|v| !matches!(v, Value::String(_)));
    if !(has_string && mixed && l.iter().all(primitive)) {
        return l;
    }
    l.into_iter()
        .map(|v| match v.to_tf_string() {
            Some(s) => Value::String(s),
            None => v,
        })
        .collect()
}

fn to_list(name: &str, args: Vec<Value>, sp: Span) -> Value {
    let Ok([v]) = <[Value; 1]>::try_from(args) else {
        return err(format!("{name}() takes exactly one argument"), Some(sp));
    };
    match v {
        Value::List(l) => {
            let l = unify_primitives(l);
            if name == "toset" {
                Value::List(super::types::set_of(l))
            } else {
                Value::List(l)
            }
        }
        Value::Null => Value::Null,
        u @ Value::Unknown(_) => u,
        other => err(
            format!("{name}() needs a list, not {}", other.type_name()),
            Some(sp),
        ),
    }
}

fn to_map(args: Vec<Value>, sp: Span) -> Value {
    match <[Value; 1]>::try_from(args) {
        Ok([Value::Object(o)]) => {
            // A map has one element type: as for lists, a string among
            // primitive values makes them all strings.
            let (keys, values): (Vec<String>, Vec<Value>) = o.into_iter().unzip();
            Value::Object(keys.into_iter().zip(unify_primitives(values)).collect())
        }
        Ok([v @ (Value::Null | Value::Unknown(_))]) => v,
        Ok([other]) => err(
            format!("tomap() needs an object, not {}", other.type_name()),
            Some(sp),
        ),
        Err(_) => err("tomap() takes exactly one argument", Some(sp)),
    }
}

fn keys(args: &[Value], sp: Span) -> Value {
    match args {
        [Value::Object(o)] => Value::List(o.keys().map(|k| Value::String(k.clone())).collect()),
        [u @ Value::Unknown(_)] => u.clone(),
        _ => err("keys() takes one map or object", Some(sp)),
    }
}

fn values(args: Vec<Value>, sp: Span) -> Value {
    match <[Value; 1]>::try_from(args) {
        Ok([Value::Object(o)]) => Value::List(o.into_values().collect()),
        Ok([u @ Value::Unknown(_)]) => u,
        _ => err("values() takes one map or object", Some(sp)),
    }
}

fn coalesce(args: Vec<Value>, sp: Span) -> Value {
    // The arguments share one type first: with a string among primitive
    // arguments the result is a string (`coalesce(1, "a")` is "1").
    let args = if args.iter().any(Value::is_unknown) {
        args
    } else {
        unify_primitives(
            args.into_iter()
                .filter(|a| !matches!(a, Value::Null))
                .collect(),
        )
    };
    for a in args {
        match a {
            Value::Null => {}
            Value::String(ref s) if s.is_empty() => {}
            other => return other,
        }
    }
    err("coalesce() found no non-null, non-empty argument", Some(sp))
}

fn flatten(args: Vec<Value>, sp: Span) -> Value {
    fn walk(v: Value, out: &mut Vec<Value>) -> Option<Value> {
        match v {
            Value::List(l) => {
                for x in l {
                    if let Some(u) = walk(x, out) {
                        return Some(u);
                    }
                }
                None
            }
            u @ Value::Unknown(_) => Some(u),
            other => {
                out.push(other);
                None
            }
        }
    }
    match <[Value; 1]>::try_from(args) {
        Ok([v @ Value::List(_)]) => {
            let mut out = Vec::new();
            match walk(v, &mut out) {
                Some(u) => u,
                None => Value::List(out),
            }
        }
        Ok([u @ Value::Unknown(_)]) => u,
        _ => err("flatten() takes one list", Some(sp)),
    }
}

fn lookup(args: Vec<Value>, sp: Span) -> Value {
    let (map, key, default) = match args.len() {
        2 | 3 => {
            let mut it = args.into_iter();
            let m = it.next().unwrap_or(Value::Null);
            let k = it.next().unwrap_or(Value::Null);
            (m, k, it.next())
        }
        _ => {
            return err(
                "lookup() takes a map, a key and an optional default",
                Some(sp),
            )
        }
    };
    if let Value::Unknown(_) = key {
        return key;
    }
    let Some(k) = key.to_tf_string() else {
        return err("lookup() needs a string key", Some(sp));
    };
    match map {
        Value::Object(mut o) => match o.remove(&k) {
            Some(v) => v,
            None => default
                .unwrap_or_else(|| err(format!("lookup(): key \"{k}\" does not exist"), Some(sp))),
        },
        u @ Value::Unknown(_) => u,
        other => err(
            format!("lookup() needs a map, not {}", other.type_name()),
            Some(sp),
        ),
    }
}

/// A known value as JSON (callers check for unknowns first).
pub(crate) fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null | Value::Unknown(_) => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                serde_json::Value::from(*n as i64)
            } else {
                serde_json::Number::from_f64(*n)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(l) => serde_json::Value::Array(l.iter().map(to_json).collect()),
        Value::Object(o) => {
            serde_json::Value::Object(o.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

pub(crate) fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(a) => Value::List(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

/// Terraform's `replace(s, from, to)`. A `from` wrapped in slashes is a
/// regular expression in Go's syntax, whose groups `to` may use as `$1` or
/// `${name}` (`$$` is a `$`); any other `from` is replaced literally, and
/// an empty one is inserted around every character, as Go's
/// `strings.Replace` does.
///
/// `regex_lite` reads a pattern as Go's `regexp` does where both accept it
/// (ASCII `\d \w \s \b`, `.` per character, the same `$` expansion). Where
/// they could differ the value is left unknown, never guessed: a pattern it
/// refuses (Unicode classes such as `\pL`: Go may accept them) and
/// case-insensitive matching of non-ASCII text (Go folds Unicode case).
fn replace(s: &str, from: &str, to: &str, sp: Span) -> Value {
    let unsupported = |what: String| Value::unknown(UnknownReason::Unsupported { what }, Some(sp));
    // (`/` alone has no second slash: it is a literal.)
    let Some(pattern) = from.strip_prefix('/').and_then(|p| p.strip_suffix('/')) else {
        return Value::String(s.replace(from, to));
    };
    if folds_case(pattern) && !(s.is_ascii() && pattern.is_ascii()) {
        return unsupported(
            "replace() with a case-insensitive regular expression on non-ASCII text".to_owned(),
        );
    }
    match regex_lite::Regex::new(pattern) {
        Ok(re) => Value::String(re.replace_all(s, to).into_owned()),
        Err(e) => unsupported(format!(
            "replace() with the regular expression /{pattern}/ ({})",
            e.to_string()
                .lines()
                .last()
                .unwrap_or("not supported")
                .trim()
        )),
    }
}

/// Whether a pattern turns on case-insensitive matching: an `i` among the
/// flags of a `(?flags)` or `(?flags:...)` group before any `-`.
fn folds_case(pattern: &str) -> bool {
    pattern.match_indices("(?").any(|(i, _)| {
        pattern[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .any(|c| c == 'i')
    })
}
