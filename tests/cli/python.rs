//! impl.py lint through the real binary: Python findings with exact
//! positions, `# symflow:ignore` in Python, `.py` paths (pre-commit) and
//! `--explain` for the Python rules.

use crate::support::Sandbox;

const MAIN: &str = r##"terraform {
  required_providers {
    sym = {
      source  = "symopsio/sym"
      version = "~> 3.0"
    }
  }
}

provider "sym" {
  org = "acme"
}

resource "sym_integration" "slack" {
  type        = "slack"
  name        = "slack"
  external_id = "T0123ABCD"
}

resource "sym_environment" "prod" {
  name = "prod"
  integrations = {
    slack_id = sym_integration.slack.id
  }
}

resource "sym_flow" "approval" {
  name           = "approval"
  implementation = file("${path.module}/impls/approval.py")
  environment_id = sym_environment.prod.id

  vars = {
    request_channel = "#sym-requests"
  }

  params {
    prompt_field {
      name = "reason"
      type = "string"
    }
  }
}
"##;

const IMPL: &str = r#"from sym.sdk.annotations import hook, reducer
from sym.sdk.integrations import slack
from sym.sdk.notifications import Notification
from sym.sdk.request_permission import PermissionLevel, RequestPermission


@reducer
def get_permissions(event):
    return RequestPermission(webapp_view=PermissionLevel.ADMIN, approve_deny=user_ids([]))


@reducer
def get_request_notifications(event):
    return [Notification(destinations=[slack.channel(event.flow.vars["request_chanel"])])]


@hook
def on_aprove(event):
    return event.payload.fields["reason"]
"#;

fn module(sb: &Sandbox, impl_py: &str) {
    sb.write("m/main.tf", MAIN);
    sb.write("m/impls/approval.py", impl_py);
}

fn findings(stdout: &str) -> Vec<(String, String, u64, u64)> {
    let v: serde_json::Value = serde_json::from_str(stdout).expect("json output");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["file"].as_str().expect("file").to_owned(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
            )
        })
        .collect()
}

#[test]
fn python_findings_point_at_the_impl_file() {
    let sb = Sandbox::new();
    module(&sb, IMPL);
    let run = sb.run(&["validate", "m", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let got = findings(&run.stdout);
    let py = "m/impls/approval.py".to_owned();
    assert_eq!(
        got,
        vec![
            ("SF308".to_owned(), py.clone(), 9, 78),
            ("SF311".to_owned(), py.clone(), 14, 70),
            ("SF304".to_owned(), py, 18, 5),
        ]
    );
}

#[test]
fn human_output_shows_the_python_line_and_help() {
    let sb = Sandbox::new();
    module(&sb, IMPL);
    let run = sb.run(&["validate", "m"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("m/impls/approval.py:18:5: error[SF304]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("def on_aprove(event):"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("did you mean `on_approve`?"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("import it: `from sym.sdk.user import user_ids`"),
        "{}",
        run.stdout
    );
}

#[test]
fn ignore_comments_work_in_python() {
    let sb = Sandbox::new();
    let text = IMPL
        .replace(
            "    return RequestPermission(",
            "    # symflow:ignore undefined-name\n    return RequestPermission(",
        )
        .replace(
            "@hook\ndef on_aprove",
            "@hook  # symflow:ignore SF304\ndef on_aprove",
        );
    module(&sb, &text);
    let run = sb.run(&["validate", "m", "--format", "json"]);
    let codes: Vec<String> = findings(&run.stdout).into_iter().map(|f| f.0).collect();
    assert_eq!(codes, vec!["SF311".to_owned()], "{}", run.stdout);
    // a warning only: exit 0, unless warnings are denied
    assert_eq!(run.code, 0);
    let denied = sb.run(&["validate", "m", "--deny-warnings"]);
    assert_eq!(denied.code, 1);
}

#[test]
fn a_changed_py_file_maps_to_its_module() {
    let sb = Sandbox::new();
    module(&sb, IMPL);
    let run = sb.run(&["validate", "m/impls/approval.py", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(findings(&run.stdout).len(), 3, "{}", run.stdout);
}

/// Pre-commit and editors pass `.py` paths relative to wherever they run:
/// every spelling finds the module above, as the absolute path does.
#[test]
fn a_py_path_finds_its_module_from_any_working_directory() {
    let sb = Sandbox::new();
    module(&sb, IMPL);
    sb.write("m/impls/deeper/.keep", "");
    let expected = |file: &str| {
        vec![
            ("SF308".to_owned(), file.to_owned(), 9, 78),
            ("SF311".to_owned(), file.to_owned(), 14, 70),
            ("SF304".to_owned(), file.to_owned(), 18, 5),
        ]
    };
    let absolute = sb.join("m/impls/approval.py");
    let absolute = absolute.to_str().expect("utf-8 path");
    for (cwd, arg, shown) in [
        ("m", "impls/approval.py", "impls/approval.py"),
        ("m/impls", "approval.py", "../impls/approval.py"),
        ("m/impls", "./approval.py", "../impls/approval.py"),
        (
            "m/impls/deeper",
            "../approval.py",
            "../../impls/approval.py",
        ),
        ("m/impls/deeper", absolute, "[SANDBOX]/m/impls/approval.py"),
    ] {
        let run = sb.run_cmd(
            sb.cmd()
                .current_dir(sb.join(cwd))
                .args(["validate", "--format", "json", arg]),
        );
        assert_eq!(
            run.code, 1,
            "in {cwd}: validate {arg}\n{}{}",
            run.stdout, run.stderr
        );
        assert_eq!(
            findings(&run.stdout),
            expected(shown),
            "in {cwd}: validate {arg}"
        );
    }

    // A Python file beside the impl that no module uses is still ignored.
    sb.write("m/impls/helper.py", "print('hi')\n");
    let run = sb.run_cmd(sb.cmd().current_dir(sb.join("m/impls")).args([
        "validate",
        "--format",
        "json",
        "helper.py",
    ]));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(findings(&run.stdout).is_empty(), "{}", run.stdout);
}

#[test]
fn a_correct_impl_is_clean() {
    let sb = Sandbox::new();
    let good = IMPL
        .replace(
            "approve_deny=user_ids([])",
            "approve_deny=PermissionLevel.MEMBER",
        )
        .replace("request_chanel", "request_channel")
        .replace("on_aprove", "on_approve");
    module(&sb, &good);
    let run = sb.run(&["validate", "m"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("SF3"), "{}", run.stdout);
}

#[test]
fn python_rules_are_listed_and_explained() {
    let sb = Sandbox::new();
    let list = sb.run(&["validate", "--list-rules"]);
    assert_eq!(list.code, 0);
    for code in ["SF301", "SF302", "SF308", "SF311"] {
        assert!(
            list.stdout.contains(code),
            "{code} missing:\n{}",
            list.stdout
        );
    }
    let explain = sb.run(&["validate", "--explain", "undefined-name"]);
    assert_eq!(explain.code, 0);
    for section in [
        "What it does",
        "Why is this bad?",
        "Example",
        "Use instead",
        "user_ids",
    ] {
        assert!(
            explain.stdout.contains(section),
            "{section}:\n{}",
            explain.stdout
        );
    }
}
