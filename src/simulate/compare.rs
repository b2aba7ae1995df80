//! Compare what a run did with what its `expect` block says.

use serde_json::Value as Json;

use super::model::{Expect, MessageExpect};

/// Why a test failed, as lines for the reports.
pub fn compare(expect: &Expect, result: &Json) -> Vec<String> {
    let mut out = Vec::new();
    let error = result.get("error").filter(|e| !e.is_null());
    let error_text = error.map(|e| {
        format!(
            "{}: {}",
            e.get("type").and_then(Json::as_str).unwrap_or("Error"),
            e.get("message").and_then(Json::as_str).unwrap_or_default()
        )
    });
    match (&expect.error, &error_text) {
        (Some(Some(want)), Some(got)) => {
            if !got.contains(want.as_str()) {
                out.push(format!(
                    "expect.error: expected an error containing {}, got {}",
                    quote(want),
                    quote(got)
                ));
                out.extend(error_lines(error));
            }
        }
        (Some(Some(want)), None) => {
            out.push(format!(
                "expect.error: expected an error containing {}, but the run raised nothing",
                quote(want)
            ));
        }
        (_, Some(_)) => out.extend(error_lines(error)),
        (_, None) => {}
    }
    let field = |k: &str| result.get(k).cloned().unwrap_or(Json::Null);
    if let Some(want) = &expect.outcome {
        let got = field("outcome");
        if got.as_str() != Some(want.as_str()) {
            out.push(format!(
                "expect.outcome: expected {}, got {}",
                quote(want),
                show(&got)
            ));
        }
    }
    let lists: [(&str, &Option<Vec<String>>); 5] = [
        ("notifications", &expect.notifications),
        ("steps", &expect.steps),
        ("hooks", &expect.hooks),
        ("reducers", &expect.reducers),
        ("calls", &expect.calls),
    ];
    for (key, want) in lists {
        let Some(want) = want else { continue };
        let got: Vec<String> = match result.get(key) {
            Some(Json::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Json::String(s) => s.clone(),
                    other => other
                        .get("name")
                        .and_then(Json::as_str)
                        .map_or_else(|| other.to_string(), str::to_owned),
                })
                .collect(),
            _ => Vec::new(),
        };
        if &got != want {
            out.push(format!("expect.{key} differs (- expected, + actual):"));
            out.extend(diff(&to_json(want), &to_json(&got)));
        }
    }
    if let Some(want) = &expect.permissions {
        let got = field("permissions");
        for (k, w) in want {
            let g = got.get(k).cloned().unwrap_or(Json::Null);
            if !loose_eq(w, &g) {
                out.push(format!(
                    "expect.permissions.{k}: expected {}, got {}",
                    show(w),
                    show(&g)
                ));
            }
        }
    }
    for (key, want) in [
        ("step_outputs", &expect.step_outputs),
        ("options", &expect.options),
    ] {
        let Some(want) = want else { continue };
        let got = field(key);
        for (k, w) in want {
            let g = got.get(k).cloned().unwrap_or(Json::Null);
            if &g != w {
                out.push(format!("expect.{key}.{k} differs (- expected, + actual):"));
                out.extend(diff(w, &g));
            }
        }
    }
    if let Some(want) = &expect.messages {
        let sent: Vec<(String, String)> = match result.get("messages") {
            Some(Json::Array(items)) => items
                .iter()
                .map(|m| {
                    (
                        m.get("to")
                            .and_then(Json::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        m.get("text")
                            .and_then(Json::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut used = vec![false; sent.len()];
        let mut missing = Vec::new();
        for w in want {
            let hit = sent
                .iter()
                .enumerate()
                .position(|(i, (to, text))| !used[i] && message_matches(w, to, text));
            match hit {
                Some(i) => used[i] = true,
                None => missing.push(w),
            }
        }
        if !missing.is_empty() {
            for w in missing {
                out.push(format!(
                    "expect.messages: no message matches {}",
                    describe(w)
                ));
            }
            if sent.is_empty() {
                out.push("  messages sent: none".to_owned());
            } else {
                out.push("  messages sent:".to_owned());
                for (to, text) in &sent {
                    out.push(format!("    to {to}: {}", quote(text)));
                }
            }
        }
    }
    out
}

fn message_matches(w: &MessageExpect, to: &str, text: &str) -> bool {
    w.to.as_deref().is_none_or(|t| t == to)
        && w.contains.as_deref().is_none_or(|c| text.contains(c))
        && w.text.as_deref().is_none_or(|t| t == text)
}

fn describe(w: &MessageExpect) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &w.to {
        parts.push(format!("to = {}", quote(t)));
    }
    if let Some(c) = &w.contains {
        parts.push(format!("contains = {}", quote(c)));
    }
    if let Some(t) = &w.text {
        parts.push(format!("text = {}", quote(t)));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn error_lines(error: Option<&Json>) -> Vec<String> {
    let Some(e) = error else { return Vec::new() };
    let kind = e.get("type").and_then(Json::as_str).unwrap_or("Error");
    let msg = e.get("message").and_then(Json::as_str).unwrap_or_default();
    let mut out = vec![match e.get("location").and_then(Json::as_str) {
        Some(loc) => format!("raised {kind}: {msg} (at {loc})"),
        None => format!("raised {kind}: {msg}"),
    }];
    if let Some(tb) = e.get("traceback").and_then(Json::as_str) {
        if tb.contains('\n') {
            out.extend(tb.lines().map(|l| format!("  {l}")));
        }
    }
    out
}

/// Booleans and permission levels compare loosely: `"member"` matches the
/// enum's value and UUID lists compare as strings.
fn loose_eq(want: &Json, got: &Json) -> bool {
    want == got || (want.as_str().is_some() && want.as_str() == got.as_str())
}

fn to_json(v: &[String]) -> Json {
    Json::Array(v.iter().cloned().map(Json::String).collect())
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn show(v: &Json) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A line diff of two values printed as pretty JSON.
pub fn diff(want: &Json, got: &Json) -> Vec<String> {
    let a = serde_json::to_string_pretty(want).unwrap_or_default() + "\n";
    let b = serde_json::to_string_pretty(got).unwrap_or_default() + "\n";
    let d = similar::TextDiff::from_lines(&a, &b);
    d.iter_all_changes()
        .map(|c| {
            let sign = match c.tag() {
                similar::ChangeTag::Delete => "-",
                similar::ChangeTag::Insert => "+",
                similar::ChangeTag::Equal => " ",
            };
            format!("  {sign} {}", c.value().trim_end_matches('\n'))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn passes_when_everything_matches() {
        let e = Expect {
            outcome: Some("approve".into()),
            notifications: Some(vec!["#a".into()]),
            messages: Some(vec![MessageExpect {
                to: Some("#a".into()),
                contains: Some("ok".into()),
                text: None,
            }]),
            error: Some(None),
            ..Expect::default()
        };
        let r = json!({"outcome": "approve", "notifications": ["#a"], "messages": [{"to": "#a", "text": "all ok"}], "error": null});
        assert!(compare(&e, &r).is_empty());
    }

    #[test]
    fn reports_each_difference() {
        let e = Expect {
            outcome: Some("approve".into()),
            notifications: Some(vec!["#a".into()]),
            messages: Some(vec![
                MessageExpect {
                    to: Some("#a".into()),
                    contains: None,
                    text: None,
                },
                MessageExpect {
                    to: Some("#a".into()),
                    contains: None,
                    text: None,
                },
            ]),
            error: Some(Some("boom".into())),
            ..Expect::default()
        };
        let r = json!({"outcome": "none", "notifications": ["#b"], "messages": [{"to": "#a", "text": "x"}], "error": null});
        let lines = compare(&e, &r).join("\n");
        assert!(
            lines.contains("expect.outcome: expected \"approve\", got \"none\""),
            "{lines}"
        );
        assert!(lines.contains("-   \"#a\""), "{lines}");
        assert!(lines.contains("+   \"#b\""), "{lines}");
        assert!(
            lines.contains("no message matches { to = \"#a\" }"),
            "{lines}"
        );
        assert!(
            lines.contains("expected an error containing \"boom\""),
            "{lines}"
        );
    }

    #[test]
    fn an_unexpected_error_fails_with_its_location() {
        let r = json!({"error": {"type": "ValueError", "message": "bad", "location": "impl.py:3", "traceback": "Traceback\n  File \"impl.py\", line 3"}});
        let lines = compare(&Expect::default(), &r).join("\n");
        assert!(
            lines.contains("raised ValueError: bad (at impl.py:3)"),
            "{lines}"
        );
    }
}
