//! The flow under test, as the module configures it: vars, prompt fields,
//! strategy, environment integrations and implementation. Also the
//! cross-checks that keep a test's `fields` in line with the prompt fields.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use crate::module::{
    Entity, ImplementationRole, ImplementationSource, Module, UnknownReason, Value,
};
use crate::source::SourceMap;

/// One `prompt_field` block.
#[derive(Debug, Clone, PartialEq)]
pub struct PromptField {
    pub name: String,
    /// `string`, `int`, ...; `None` when not known.
    pub ftype: Option<String>,
    pub required: bool,
    pub visible: bool,
    pub prefetch: bool,
    pub label: Option<String>,
    pub default: Option<String>,
    /// `None` when absent or unknown.
    pub allowed_values: Option<Vec<String>>,
}

/// The implementation file's text, or why there is none.
#[derive(Debug, Clone)]
pub enum Implementation {
    Code { display: String, text: String },
    Missing(String),
}

/// A `sym_flow` ready to be simulated.
#[derive(Debug, Clone)]
pub struct FlowConfig {
    pub name: String,
    pub address: String,
    pub vars: BTreeMap<String, String>,
    pub fields: Vec<PromptField>,
    pub strategy: Option<Json>,
    pub environment: Json,
    pub allow_guest_interaction: bool,
    pub implementation: Implementation,
}

impl FlowConfig {
    /// The JSON the Python side receives as `flow`.
    #[must_use]
    pub fn to_json(&self) -> Json {
        let fields: Vec<Json> = self
            .fields
            .iter()
            .map(|f| {
                json!({
                    "name": f.name,
                    "type": f.ftype.clone().unwrap_or_else(|| "string".to_owned()),
                    "required": f.required,
                    "visible": f.visible,
                    "label": f.label,
                    "allowed_values": f.allowed_values.clone().unwrap_or_default(),
                })
            })
            .collect();
        json!({
            "name": self.name,
            "fields": fields,
            "strategy": self.strategy,
            "environment": self.environment,
            "allow_guest_interaction": self.allow_guest_interaction,
        })
    }

    /// The prompt fields a test may set, plus the implicit ones of strategy flows.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&PromptField> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Every `sym_flow` of the module, in source order.
#[must_use]
pub fn flows(module: &Module) -> Vec<&Entity> {
    module.entities_of("sym_flow").collect()
}

/// Find a flow by `name` (case-insensitive) or resource address.
#[must_use]
pub fn find<'m>(module: &'m Module, wanted: &str) -> Option<&'m Entity> {
    let lower = wanted.to_lowercase();
    module.entities_of("sym_flow").find(|e| {
        e.address == wanted
            || e.block_address == wanted
            || e.body
                .str("name")
                .is_some_and(|n| n.to_lowercase() == lower)
    })
}

/// A flow's name as users know it.
#[must_use]
pub fn display_name(e: &Entity) -> String {
    e.body
        .str("name")
        .map_or_else(|| e.address.clone(), str::to_owned)
}

/// Build the configuration of one flow.
#[must_use]
pub fn config(module: &Module, sources: &SourceMap, flow: &Entity) -> FlowConfig {
    let mut vars = BTreeMap::new();
    if let Some(Value::Object(map)) = flow.body.value("vars") {
        for (k, v) in map {
            if let Some(s) = v.to_tf_string() {
                vars.insert(k.clone(), s);
            }
        }
    }
    let params = flow.body.blocks_of("params").next();
    let mut fields = Vec::new();
    let mut strategy = None;
    let mut allow_guest = false;
    if let Some(p) = params {
        allow_guest = p
            .body
            .value("allow_guest_interaction")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        for pf in p.body.blocks_of("prompt_field") {
            let Some(name) = pf.body.str("name") else {
                continue;
            };
            let allowed = match pf.body.value("allowed_values") {
                Some(Value::List(items)) if !items.iter().any(Value::contains_unknown) => {
                    Some(items.iter().filter_map(Value::to_tf_string).collect())
                }
                _ => None,
            };
            fields.push(PromptField {
                name: name.to_owned(),
                ftype: pf.body.str("type").map(str::to_owned),
                required: pf
                    .body
                    .value("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
                visible: pf
                    .body
                    .value("visible")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
                prefetch: pf
                    .body
                    .value("prefetch")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                label: pf.body.str("label").map(str::to_owned),
                default: pf
                    .body
                    .value("default")
                    .and_then(Value::to_tf_string)
                    .filter(|s| !s.is_empty()),
                allowed_values: allowed,
            });
        }
        if let Some(v) = p.body.value("strategy_id") {
            let empty = v.as_str().is_some_and(str::is_empty) || matches!(v, Value::Null);
            if !empty {
                strategy = Some(strategy_json(module, v));
            }
        }
    }
    let environment = flow
        .body
        .value("environment_id")
        .and_then(|v| referenced(module, v, "sym_environment"))
        .map_or_else(
            || json!({"name": "main", "integrations": {}}),
            |env| environment_json(module, env),
        );
    FlowConfig {
        name: display_name(flow),
        address: flow.address.clone(),
        vars,
        fields,
        strategy,
        environment,
        allow_guest_interaction: allow_guest,
        implementation: implementation(module, sources, flow),
    }
}

/// The entity a `<rtype>.<name>.id` value refers to.
fn referenced<'m>(module: &'m Module, v: &Value, rtype: &str) -> Option<&'m Entity> {
    let Value::Unknown(u) = v else { return None };
    match &u.reason {
        UnknownReason::SymAttribute { address, .. } => module
            .entity(address)
            .or_else(|| module.entities.iter().find(|e| e.block_address == *address))
            .filter(|e| e.rtype == rtype || address.contains(rtype)),
        _ => None,
    }
}

fn settings_json(module: &Module, v: Option<&Value>) -> Json {
    let mut out = serde_json::Map::new();
    if let Some(Value::Object(map)) = v {
        for (k, x) in map {
            out.insert(k.clone(), value_json(module, x));
        }
    }
    Json::Object(out)
}

fn secret_json(e: &Entity) -> Json {
    json!({"__secret__": {
        "name": e.name,
        "path": e.body.str("path").unwrap_or_default(),
        "settings": {},
    }})
}

/// A module value as JSON; references to `sym_secret`s become secret markers.
fn value_json(module: &Module, v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::String(crate::module::value::format_number(*n)),
        Value::String(s) => Json::String(s.clone()),
        Value::List(l) => Json::Array(l.iter().map(|x| value_json(module, x)).collect()),
        Value::Object(o) => Json::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), value_json(module, x)))
                .collect(),
        ),
        Value::Unknown(_) => referenced(module, v, "sym_secret").map_or(Json::Null, secret_json),
    }
}

fn integration_json(module: &Module, e: &Entity) -> Json {
    let itype = e.body.str("type").unwrap_or_default().to_owned();
    let mut settings = settings_json(module, e.body.value("settings"));
    if itype == "custom" {
        let secrets: Vec<Json> = e
            .depends_on
            .iter()
            .filter_map(|d| module.entity(&d.address))
            .filter(|s| s.rtype == "sym_secret")
            .map(secret_json)
            .collect();
        if let Json::Object(m) = &mut settings {
            m.insert("secrets".to_owned(), Json::Array(secrets));
        }
    }
    json!({
        "type": itype,
        "name": e.body.str("name").unwrap_or(&e.name),
        "external_id": e.body.value("external_id").and_then(Value::to_tf_string),
        "settings": settings,
    })
}

fn environment_json(module: &Module, env: &Entity) -> Json {
    let mut integrations = serde_json::Map::new();
    if let Some(Value::Object(map)) = env.body.value("integrations") {
        for (key, v) in map {
            let name = key.strip_suffix("_id").unwrap_or(key).to_owned();
            let value = referenced(module, v, "sym_integration").map_or_else(
                || json!({"type": name, "name": name, "external_id": null, "settings": {}}),
                |i| integration_json(module, i),
            );
            integrations.insert(name, value);
        }
    }
    json!({"name": env.body.str("name").unwrap_or(&env.name), "integrations": integrations})
}

fn strategy_json(module: &Module, v: &Value) -> Json {
    let Some(s) = referenced(module, v, "sym_strategy") else {
        return json!({"type": "custom", "name": "strategy", "targets": [], "settings": {}});
    };
    let targets: Vec<Json> = match s.body.value("targets") {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|t| referenced(module, t, "sym_target"))
            .map(|t| {
                json!({
                    "name": t.body.str("name").unwrap_or(&t.name),
                    "address": t.address,
                    "label": t.body.str("label"),
                    "type": t.body.str("type").unwrap_or_default(),
                    "settings": settings_json(module, t.body.value("settings")),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    let integration = s
        .body
        .value("integration_id")
        .and_then(|v| referenced(module, v, "sym_integration"))
        .map(|i| integration_json(module, i));
    json!({
        "type": s.body.str("type").unwrap_or("custom"),
        "name": s.body.str("name").unwrap_or(&s.name),
        "label": s.body.str("label"),
        "settings": settings_json(module, s.body.value("settings")),
        "targets": targets,
        "integration": integration,
    })
}

fn implementation(module: &Module, sources: &SourceMap, flow: &Entity) -> Implementation {
    let found = module
        .implementations
        .iter()
        .find(|i| {
            i.owner == flow.address
                && i.role == ImplementationRole::Flow
                && i.attribute == "implementation"
        })
        .or_else(|| {
            module.implementations.iter().find(|i| {
                i.owner == flow.block_address
                    && i.role == ImplementationRole::Flow
                    && i.attribute == "implementation"
            })
        });
    let Some(found) = found else {
        return match flow.body.str("implementation") {
            Some(text) => Implementation::Code {
                display: format!("{}.implementation", flow.address),
                text: text.to_owned(),
            },
            None => Implementation::Missing(format!("{} has no implementation", flow.address)),
        };
    };
    match &found.source {
        ImplementationSource::File {
            resolved,
            exists,
            file,
            ..
        }
        | ImplementationSource::LiteralPath {
            resolved,
            exists,
            file,
            ..
        } => {
            let shown = match &found.source {
                ImplementationSource::File { path, .. } => path.display().to_string(),
                ImplementationSource::LiteralPath { path, .. } => path.clone(),
                _ => String::new(),
            };
            if let Some(id) = file {
                let f = sources.get(*id);
                return Implementation::Code {
                    display: f.display.display().to_string(),
                    text: String::clone(&f.text),
                };
            }
            if !exists {
                return Implementation::Missing(format!(
                    "the implementation file {shown} does not exist"
                ));
            }
            match std::fs::read_to_string(resolved) {
                Ok(text) => Implementation::Code {
                    display: resolved.display().to_string(),
                    text,
                },
                Err(e) => {
                    Implementation::Missing(format!("cannot read {}: {e}", resolved.display()))
                }
            }
        }
        ImplementationSource::Inline => Implementation::Code {
            display: format!("{}.implementation", flow.address),
            text: flow
                .body
                .str("implementation")
                .unwrap_or_default()
                .to_owned(),
        },
        ImplementationSource::Unknown => Implementation::Missing(format!(
            "the implementation of {} is not known (it depends on a value symflow cannot evaluate)",
            flow.address
        )),
    }
}

/// Fields as the Python side receives them (typed per prompt-field type),
/// or the drift problems that fail the test.
///
/// # Errors
/// One message per problem: an undeclared field, a wrong type, a value
/// outside `allowed_values`, a missing required field (unless `require`
/// is false: a prompt happens before the form is filled).
pub fn check_fields(
    cfg: &FlowConfig,
    given: &[(String, Json)],
    require: bool,
) -> Result<serde_json::Map<String, Json>, Vec<String>> {
    let mut out = serde_json::Map::new();
    let mut problems = Vec::new();
    let strategy = cfg.strategy.is_some();
    for (name, value) in given {
        let Some(def) = cfg.field(name) else {
            if strategy && name == "duration" {
                match duration_seconds(value) {
                    Ok(s) => {
                        out.insert(name.clone(), json!(s));
                    }
                    Err(m) => problems.push(format!("field `duration`: {m}")),
                }
                continue;
            }
            if strategy && (name == "target" || name == "target_id") {
                problems.push(format!("field `{name}` is set by the strategy: choose the target with `target = \"<sym_target name>\"` in the run"));
                continue;
            }
            let declared: Vec<&str> = cfg.fields.iter().map(|f| f.name.as_str()).collect();
            let hint = declared
                .iter()
                .map(|d| (strsim::jaro_winkler(name, d), *d))
                .filter(|(s, _)| *s > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, d)| format!("; did you mean `{d}`?"))
                .unwrap_or_default();
            problems.push(format!(
                "field `{name}` is not a prompt_field of {} (declared: {}){hint}",
                cfg.address,
                if declared.is_empty() {
                    "none".to_owned()
                } else {
                    declared.join(", ")
                }
            ));
            continue;
        };
        match typed(def, value) {
            Ok(v) => {
                out.insert(name.clone(), v);
            }
            Err(m) => problems.push(format!("field `{name}`: {m}")),
        }
    }
    for def in &cfg.fields {
        if out.contains_key(&def.name) || given.iter().any(|(n, _)| *n == def.name) {
            continue;
        }
        if let Some(d) = &def.default {
            if let Ok(v) = typed(def, &default_json(def, d)) {
                out.insert(def.name.clone(), v);
                continue;
            }
        }
        if require && def.required && def.visible && !def.prefetch {
            problems.push(format!(
                "required field `{}` is missing (prompt_field of {})",
                def.name, cfg.address
            ));
        }
    }
    if strategy && !out.contains_key("duration") {
        out.insert("duration".to_owned(), json!(3600));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A `default` as a value of its field's type. The provider keeps every
/// default as a string (`default = 4` and `default = true` become "4" and
/// "true"), so an `int` or `bool` field's default is converted here; a text
/// that does not convert stays a string and fails the type check.
fn default_json(def: &PromptField, text: &str) -> Json {
    match def.ftype.as_deref() {
        Some("int") => text
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Json::String(text.to_owned()), |i| json!(i)),
        Some("bool") => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            _ => Json::String(text.to_owned()),
        },
        _ => Json::String(text.to_owned()),
    }
}

fn show(v: &Json) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn typed(def: &PromptField, value: &Json) -> Result<Json, String> {
    let ftype = def.ftype.as_deref().unwrap_or("string");
    let allowed = if def.prefetch || def.name == "target_id" {
        None
    } else {
        def.allowed_values.as_ref().filter(|a| !a.is_empty())
    };
    let check_allowed = |text: &str| -> Result<(), String> {
        match allowed {
            Some(list) if !list.iter().any(|a| a == text) => Err(format!(
                "{} is not one of the allowed_values ({})",
                show(&Json::String(text.to_owned())),
                list.iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => Ok(()),
        }
    };
    match ftype {
        "string" | "slack_user" => match value {
            Json::String(s) => {
                check_allowed(s)?;
                Ok(value.clone())
            }
            other => Err(format!(
                "expected a string ({ftype} field), got {}",
                show(other)
            )),
        },
        "int" => match value.as_i64() {
            Some(i) if value.is_i64() || value.is_u64() => {
                check_allowed(&i.to_string())?;
                Ok(json!(i))
            }
            _ => Err(format!(
                "expected a whole number (int field), got {}",
                show(value)
            )),
        },
        "bool" => match value {
            Json::Bool(b) => {
                check_allowed(&b.to_string())?;
                Ok(value.clone())
            }
            other => Err(format!(
                "expected true or false (bool field), got {}",
                show(other)
            )),
        },
        "duration" => {
            let secs = duration_seconds(value)?;
            if let Some(list) = allowed {
                let ok = list
                    .iter()
                    .any(|a| duration_seconds(&Json::String(a.clone())).ok() == Some(secs));
                if !ok {
                    return Err(format!(
                        "{} is not one of the allowed_values ({})",
                        show(value),
                        list.iter()
                            .map(|a| format!("\"{a}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
            Ok(json!(secs))
        }
        "str_list" | "slack_user_list" => match value {
            Json::Array(items) if items.iter().all(Json::is_string) => {
                for i in items {
                    check_allowed(i.as_str().unwrap_or_default())?;
                }
                Ok(value.clone())
            }
            other => Err(format!(
                "expected a list of strings ({ftype} field), got {}",
                show(other)
            )),
        },
        "int_list" => match value {
            Json::Array(items) if items.iter().all(|i| i.is_i64() || i.is_u64()) => {
                for i in items {
                    check_allowed(&i.to_string())?;
                }
                Ok(value.clone())
            }
            other => Err(format!(
                "expected a list of whole numbers (int_list field), got {}",
                show(other)
            )),
        },
        other => Err(format!("has type `{other}`, which symflow does not know")),
    }
}

/// A duration as seconds: a number of seconds, or `30s`, `10m`, `1h`, `1d`, `1mo`.
///
/// # Errors
/// What a duration looks like.
pub fn duration_seconds(v: &Json) -> Result<i64, String> {
    match v {
        Json::Number(n) => n
            .as_i64()
            .filter(|s| *s > 0)
            .ok_or_else(|| format!("expected a positive whole number of seconds, got {n}")),
        Json::String(s) => {
            let t = s.trim();
            let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
            let (num, unit) = t.split_at(split);
            let n: i64 = num
                .parse()
                .map_err(|_| format!("\"{s}\" is not a duration (like 30m, 1h, 1d)"))?;
            let mult = match unit {
                "" | "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86_400,
                "mo" => 30 * 86_400,
                _ => {
                    return Err(format!(
                        "\"{s}\" has an unknown unit (use s, m, h, d or mo)"
                    ))
                }
            };
            Ok(n * mult)
        }
        other => Err(format!(
            "expected a duration like \"1h\" or a number of seconds, got {}",
            show(other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> FlowConfig {
        let f = |name: &str, t: &str, allowed: Option<Vec<&str>>| PromptField {
            name: name.to_owned(),
            ftype: Some(t.to_owned()),
            required: true,
            visible: true,
            prefetch: false,
            label: None,
            default: None,
            allowed_values: allowed.map(|a| a.into_iter().map(str::to_owned).collect()),
        };
        FlowConfig {
            name: "approval".into(),
            address: "sym_flow.approval".into(),
            vars: BTreeMap::new(),
            fields: vec![
                f("reason", "string", None),
                f("env", "string", Some(vec!["prod", "staging"])),
                f("count", "int", Some(vec!["1", "2"])),
                f("length", "duration", Some(vec!["30m", "1h"])),
                f("tags", "str_list", None),
            ],
            strategy: None,
            environment: json!({}),
            allow_guest_interaction: false,
            implementation: Implementation::Missing(String::new()),
        }
    }

    fn given(v: &Json) -> Vec<(String, Json)> {
        v.as_object()
            .expect("object")
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    #[test]
    fn converts_valid_fields() {
        let out = check_fields(
            &cfg(),
            &given(
                &json!({"reason": "x", "env": "prod", "count": 2, "length": "1h", "tags": ["a"]}),
            ),
            true,
        )
        .expect("valid");
        assert_eq!(out["length"], json!(3600));
        assert_eq!(out["count"], json!(2));
    }

    #[test]
    fn int_and_bool_defaults_apply_typed() {
        let mut cfg = cfg();
        let field = |name: &str, t: &str, default: &str| {
            let mut f = cfg.fields[0].clone();
            f.name = name.to_owned();
            f.ftype = Some(t.to_owned());
            f.default = Some(default.to_owned());
            f
        };
        let extra = vec![
            field("hours", "int", "4"),
            field("break_glass", "bool", "false"),
            field("urgent", "bool", "true"),
            field("note", "string", "n/a"),
        ];
        cfg.fields.extend(extra);
        let out = check_fields(
            &cfg,
            &given(&json!({"reason": "x", "env": "prod", "count": 2, "length": "1h", "tags": []})),
            true,
        )
        .expect("defaults fill the missing fields");
        assert_eq!(out["hours"], json!(4));
        assert_eq!(out["break_glass"], json!(false));
        assert_eq!(out["urgent"], json!(true));
        assert_eq!(out["note"], json!("n/a"));
    }

    #[test]
    fn reports_drift() {
        let errs = check_fields(
            &cfg(),
            &given(&json!({"reasn": "x", "env": "dev", "count": "2", "length": "2h", "tags": "a"})),
            true,
        )
        .expect_err("drift");
        let all = errs.join("\n");
        assert!(
            all.contains("`reasn` is not a prompt_field of sym_flow.approval"),
            "{all}"
        );
        assert!(all.contains("did you mean `reason`"), "{all}");
        assert!(
            all.contains("\"dev\" is not one of the allowed_values"),
            "{all}"
        );
        assert!(all.contains("expected a whole number"), "{all}");
        assert!(
            all.contains("\"2h\" is not one of the allowed_values"),
            "{all}"
        );
        assert!(all.contains("expected a list of strings"), "{all}");
        assert!(all.contains("required field `reason` is missing"), "{all}");
    }
}
