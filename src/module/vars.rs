//! Variable values: defaults, `TF_VAR_*`, `terraform.tfvars`,
//! `*.auto.tfvars`, `--var-file`, `--var`, with Terraform's precedence.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::hcl::expr::{Expression, ObjectKey};
use crate::hcl::structure::Structure;
use crate::hcl::template::Element;
use crate::hcl::Span as _;

use super::decls::span_of;
use super::eval::err;
use super::files::ReadCache;
use super::funcs::from_json;
use super::model::{LoadOptions, Problem, ProblemKind, UndeclaredValue, VariableSource};
use super::value::Value;
use crate::source::{FileId, SourceMap, Span};

/// A literal expression's value (tfvars and `--var` values may not refer to
/// anything). Non-literal parts become error unknowns.
pub(crate) fn literal_value(e: &Expression, file: Option<FileId>, depth: usize) -> Value {
    let sp = file.map(|f| span_of(f, e.span()));
    if depth > 128 {
        return err("value nested too deeply", sp);
    }
    match e {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Number(n) => n.value().as_f64().map_or(Value::Null, Value::Number),
        Expression::String(s) => Value::String(s.value().clone()),
        Expression::Array(a) => Value::List(
            a.iter()
                .map(|x| literal_value(x, file, depth + 1))
                .collect(),
        ),
        Expression::Object(o) => {
            let mut m = BTreeMap::new();
            for (k, v) in o {
                let key = match k {
                    ObjectKey::Ident(i) => i.value().as_str().to_owned(),
                    ObjectKey::Expression(Expression::Variable(v)) => v.value().as_str().to_owned(),
                    ObjectKey::Expression(ke) => {
                        match literal_value(ke, file, depth + 1).to_tf_string() {
                            Some(s) => s,
                            None => return err("object keys must be strings", sp),
                        }
                    }
                };
                m.insert(key, literal_value(v.expr(), file, depth + 1));
            }
            Value::Object(m)
        }
        Expression::StringTemplate(t) => literal_template(t.iter(), sp),
        Expression::HeredocTemplate(h) => literal_template(h.template.iter(), sp),
        Expression::Parenthesis(p) => literal_value(p.inner(), file, depth + 1),
        Expression::UnaryOp(u) => {
            match (u.operator.value(), literal_value(&u.expr, file, depth + 1)) {
                (crate::hcl::expr::UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
                _ => err("variable values must be literals", sp),
            }
        }
        _ => err(
            "variable values must be literals (no references or function calls)",
            sp,
        ),
    }
}

fn literal_template<'t>(els: impl Iterator<Item = &'t Element>, sp: Option<Span>) -> Value {
    let mut out = String::new();
    for el in els {
        match el {
            Element::Literal(l) => out.push_str(l.value()),
            _ => return err("variable values must be literals (no interpolation)", sp),
        }
    }
    Value::String(out)
}

/// Convert a value to its variable's type constraint, as Terraform does
/// (see [`super::types`]); a constraint symflow cannot read leaves the value
/// as it is.
pub(crate) fn apply_type(v: Value, type_text: Option<&str>) -> Value {
    match type_text.and_then(super::types::parse_text) {
        Some(t) => super::types::convert(v, &t),
        None => v,
    }
}

/// A raw string value (`--var`, `TF_VAR_*`): strings stay strings; complex
/// types are parsed as HCL literals.
fn raw_value(raw: &str, type_text: Option<&str>) -> Value {
    let t = type_text.map(str::trim);
    match t {
        None | Some("string" | "any") => Value::String(raw.to_owned()),
        Some("number" | "bool") => apply_type(Value::String(raw.to_owned()), t),
        Some(_) => match crate::hcl::parser::parse_expr(raw) {
            Ok(e) => literal_value(&e, None, 0),
            Err(_) => Value::String(raw.to_owned()),
        },
    }
}

pub(crate) struct VarSetting {
    pub value: Value,
    pub source: VariableSource,
}

/// A module directory and the names of the variable files its listing
/// showed (`terraform.tfvars`, `*.auto.tfvars`...): it is listed once.
pub(crate) struct VarDir<'a> {
    pub path: &'a Path,
    pub listed: &'a [String],
}

/// What reading the variables files found besides values: problems in them,
/// assignments to undeclared variables, and the files read.
pub(crate) struct VarFileFindings<'a> {
    pub read_files: &'a mut Vec<FileId>,
    pub problems: &'a mut Vec<Problem>,
    pub undeclared: &'a mut Vec<UndeclaredValue>,
}

/// Values assigned to root variables, in increasing precedence, applied on
/// top of each other. Returns name -> setting; problems in tfvars files and
/// values for variables not in `types` go to `found`.
pub(crate) fn root_values(
    dir: &VarDir<'_>,
    types: &BTreeMap<String, Option<String>>,
    opts: &LoadOptions,
    sources: &mut SourceMap,
    cache: &mut ReadCache,
    found: &mut VarFileFindings<'_>,
) -> BTreeMap<String, VarSetting> {
    let mut out: BTreeMap<String, VarSetting> = BTreeMap::new();
    let ty = |n: &str| types.get(n).and_then(|t| t.as_deref());
    for (name, raw) in &opts.env_vars {
        if types.contains_key(name) {
            out.insert(
                name.clone(),
                VarSetting {
                    value: raw_value(raw, ty(name)),
                    source: VariableSource::Environment,
                },
            );
        }
    }
    let (listed, dir) = (dir.listed, dir.path);
    let mut files: Vec<PathBuf> = Vec::new();
    for base in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(base);
        if listed.iter().any(|n| n == base) && p.is_file() {
            files.push(p);
        }
    }
    let mut auto: Vec<&String> = listed
        .iter()
        .filter(|n| super::files::is_auto_var_file(n))
        .collect();
    auto.sort();
    files.extend(auto.into_iter().map(|n| dir.join(n)));
    files.extend(opts.var_files.iter().cloned());
    for f in files {
        let values = read_tfvars(&f, sources, cache, found.read_files, found.problems);
        for (name, value, span) in values {
            if types.contains_key(&name) {
                let value = apply_type(value, ty(&name));
                out.insert(
                    name,
                    VarSetting {
                        value,
                        source: VariableSource::VarFile(f.clone()),
                    },
                );
            } else {
                found.undeclared.push(UndeclaredValue { name, span });
            }
        }
    }
    for (name, raw) in &opts.vars {
        if types.contains_key(name) {
            out.insert(
                name.clone(),
                VarSetting {
                    value: raw_value(raw, ty(name)),
                    source: VariableSource::CommandLine,
                },
            );
        }
    }
    out
}

/// The `name = value` assignments of a variables file, with the span of
/// each name.
fn read_tfvars(
    path: &Path,
    sources: &mut SourceMap,
    cache: &mut ReadCache,
    read_files: &mut Vec<FileId>,
    problems: &mut Vec<Problem>,
) -> Vec<(String, Value, Span)> {
    let id = match cache.read(path, sources) {
        Ok(id) => id,
        Err(m) => {
            problems.push(Problem {
                kind: ProblemKind::Unreadable,
                message: format!("cannot read {}: {m}", path.display()),
                span: None,
                path: path.to_path_buf(),
                help: None,
            });
            return Vec::new();
        }
    };
    if !read_files.contains(&id) {
        read_files.push(id);
    }
    let text = &sources.get(id).text;
    if path.extension().is_some_and(|e| e == "json") {
        return match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(o)) => {
                let keys = json_key_offsets(text);
                o.iter()
                    .map(|(k, v)| {
                        let at = keys.get(k.as_str()).cloned().unwrap_or(0..0);
                        (k.clone(), from_json(v), Span::new(id, at))
                    })
                    .collect()
            }
            Ok(_) => {
                problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    message: format!("{} must hold a JSON object", path.display()),
                    span: Some(Span::new(id, 0..0)),
                    path: path.to_path_buf(),
                    help: None,
                });
                Vec::new()
            }
            Err(e) => {
                let off = sources.get(id).offset_of(e.line(), e.column());
                problems.push(Problem {
                    kind: ProblemKind::Syntax,
                    message: format!("invalid JSON: {e}"),
                    span: Some(Span::new(id, off..off)),
                    path: path.to_path_buf(),
                    help: None,
                });
                Vec::new()
            }
        };
    }
    match crate::hcl::parser::parse_body(text) {
        Ok(body) => body
            .iter()
            .filter_map(|s| match s {
                Structure::Attribute(a) => Some((
                    a.key.value().as_str().to_owned(),
                    literal_value(&a.value, Some(id), 0),
                    span_of(id, a.key.span()),
                )),
                Structure::Block(_) => None,
            })
            .collect(),
        Err(e) => {
            let at = e.offset().min(text.len());
            problems.push(Problem {
                kind: ProblemKind::Syntax,
                message: format!("invalid HCL syntax: {}", e.message()),
                span: Some(Span::new(id, at..at)),
                path: path.to_path_buf(),
                help: None,
            });
            Vec::new()
        }
    }
}

/// Where each top-level key of a JSON object is written (the quoted key;
/// the first place, for a key written twice), in one pass over the text:
/// serde_json keeps no positions. Keys of nested objects are skipped.
fn json_key_offsets(text: &str) -> BTreeMap<String, std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut keys = BTreeMap::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(b.len());
                if depth == 1 && text[end..].trim_start().starts_with(':') {
                    if let Ok(k) = serde_json::from_str::<String>(&text[start..end]) {
                        keys.entry(k).or_insert(start..end);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::json_key_offsets;

    #[test]
    fn json_keys_are_found_at_the_top_level_only() {
        let text = r#"{"a": {"b": "\"b\":"}, "b": 2, "c\u0064": [1, {"d": 3}], "b": 4}"#;
        let keys = json_key_offsets(text);
        assert_eq!(&text[keys["b"].clone()], r#""b""#);
        assert_eq!(keys["b"].start, 23);
        assert_eq!(&text[keys["cd"].clone()], r#""c\u0064""#);
        assert!(!keys.contains_key("d"));
        assert!(json_key_offsets("{\"x\\").is_empty());
    }
}
