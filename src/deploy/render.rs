//! The plan as text (`+`/`~`/`=`/`!` with a summary line) and as JSON.

use std::fmt::Write as _;

use serde_json::{json, Value as Json};

use super::plan::{Action, Change, Entry, Plan};
use crate::api::entities::Field;
use crate::output::Styles;

/// The human plan. `verbose` also lists unchanged entities one per line.
#[must_use]
pub fn human(plan: &Plan, styles: Styles) -> String {
    let mut out = String::new();
    for e in &plan.entries {
        entry_text(&mut out, e, styles);
    }
    let _ = writeln!(out, "{}", summary_line(plan));
    out
}

/// `Plan: 1 to create, 2 to update, 3 unchanged, 0 cannot deploy.`
#[must_use]
pub fn summary_line(plan: &Plan) -> String {
    let s = plan.summary();
    let mut line = format!(
        "Plan: {} to create, {} to update, {} unchanged",
        s.create, s.update, s.unchanged
    );
    if s.cannot_deploy > 0 {
        let _ = write!(line, ", {} cannot deploy", s.cannot_deploy);
    }
    line.push('.');
    line
}

fn entry_text(out: &mut String, e: &Entry, styles: Styles) {
    let paint = |s: &str| match e.action {
        Action::Create => styles.green(s),
        Action::Update => styles.yellow(s),
        Action::CannotDeploy => styles.red(s),
        Action::Unchanged | Action::Read => styles.dim(s),
    };
    let what = match e.action {
        Action::Create => "will be created",
        Action::Update => "will be updated",
        Action::Unchanged => "is up to date",
        Action::Read => "exists (data source)",
        Action::CannotDeploy => "cannot be deployed",
    };
    let _ = writeln!(
        out,
        "{} {} {}",
        paint(e.action.symbol()),
        styles.bold(&e.address),
        styles.dim(what)
    );
    match e.action {
        Action::Create | Action::Update => {
            let width = e.changes.iter().map(|c| c.key.len()).max().unwrap_or(0);
            for c in &e.changes {
                change_text(out, c, width, e.action, styles);
            }
        }
        Action::CannotDeploy => {
            for (key, b) in &e.blockers {
                if key.is_empty() {
                    let _ = writeln!(out, "    needs {}", b.what);
                } else {
                    let _ = writeln!(out, "    `{key}` depends on {}", b.what);
                }
                let _ = writeln!(out, "    {} {}", styles.info("hint:"), b.hint);
            }
            if let Some(loc) = &e.location {
                let _ = writeln!(out, "    {} {loc}", styles.dim("at"));
            }
        }
        Action::Unchanged | Action::Read => {}
    }
}

fn change_text(out: &mut String, c: &Change, width: usize, action: Action, styles: Styles) {
    let key = if action == Action::Create {
        format!("{:<width$}", c.key)
    } else {
        c.key.clone()
    };
    let is_text =
        matches!(c.after, Some(Field::Text(_))) || matches!(c.before, Some(Field::Text(_)));
    if is_text {
        let before = c.before.as_ref().and_then(Field::as_str).unwrap_or("");
        let after = c.after.as_ref().and_then(Field::as_str).unwrap_or("");
        if action == Action::Create {
            let lines = after.lines().count();
            let _ = writeln!(out, "    {key} = <{lines} lines>");
            return;
        }
        let _ = writeln!(out, "    {} {key}:", styles.yellow("~"));
        out.push_str(&unified_diff(before, after, styles));
        return;
    }
    let after = c.after.as_ref().map_or_else(|| "(unset)".to_owned(), show);
    if action == Action::Create {
        let _ = writeln!(out, "    {key} = {after}");
    } else {
        let before = c.before.as_ref().map_or_else(|| "(unset)".to_owned(), show);
        let _ = writeln!(out, "    {} {key}: {before} -> {after}", styles.yellow("~"));
    }
}

/// A value as it would be written in HCL.
#[must_use]
pub fn show(f: &Field) -> String {
    match f {
        Field::Name(s) | Field::Str(s) | Field::Text(s) => quote(s),
        Field::Bool(b) => b.to_string(),
        Field::List(l) => format!(
            "[{}]",
            l.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ")
        ),
        Field::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k} = {}", quote(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Field::PromptFields(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| {
                    let name = i.get("name").and_then(Field::as_str).unwrap_or("?");
                    let typ = i.get("type").and_then(Field::as_str).unwrap_or("?");
                    format!("{name}: {typ}")
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Field::Pending(a) => format!("(id of {a}, known after apply)"),
        Field::Blocked(b) => format!("(unknown: {})", b.what),
    }
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// A unified diff of two texts, indented for the plan.
#[must_use]
pub fn unified_diff(before: &str, after: &str, styles: Styles) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header("remote", "module")
        .to_string();
    let mut out = String::new();
    for line in text.lines() {
        let painted = if line.starts_with("+++") || line.starts_with("---") {
            styles.bold(line)
        } else if line.starts_with('+') {
            styles.green(line)
        } else if line.starts_with('-') {
            styles.red(line)
        } else if line.starts_with("@@") {
            styles.info(line)
        } else {
            line.to_owned()
        };
        let _ = writeln!(out, "        {painted}");
    }
    if !before.is_empty() && !after.is_empty() && before.ends_with('\n') != after.ends_with('\n') {
        let _ = writeln!(out, "        (the final newline differs)");
    }
    out
}

/// A field as JSON (for `--format json`).
#[must_use]
pub fn field_json(f: &Field) -> Json {
    match f {
        Field::Name(s) | Field::Str(s) | Field::Text(s) => Json::String(s.clone()),
        Field::Bool(b) => Json::Bool(*b),
        Field::List(l) => json!(l),
        Field::Map(m) => json!(m),
        Field::PromptFields(items) => Json::Array(
            items
                .iter()
                .map(|i| Json::Object(i.iter().map(|(k, v)| (k.clone(), field_json(v))).collect()))
                .collect(),
        ),
        Field::Pending(a) => json!({"known_after_apply": a}),
        Field::Blocked(b) => json!({"unknown": b.what}),
    }
}

/// The plan as JSON (`version` 1).
#[must_use]
pub fn plan_json(plan: &Plan) -> Json {
    let entries: Vec<Json> = plan
        .entries
        .iter()
        .map(|e| {
            json!({
                "address": e.address,
                "type": e.kind.rtype(),
                "action": e.action,
                "id": e.id,
                "changes": e.changes.iter().map(|c| json!({
                    "field": c.key,
                    "before": c.before.as_ref().map(field_json),
                    "after": c.after.as_ref().map(field_json),
                })).collect::<Vec<_>>(),
                "blockers": e.blockers.iter().map(|(k, b)| json!({
                    "field": k, "needs": b.what, "hint": b.hint,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "entries": entries,
        "summary": plan.summary(),
    })
}
