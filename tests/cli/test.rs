//! `symflow test`: scenario suites over a fixture module with three flows
//! (approval-only, strategy, and one that raises or loops).

use std::fmt::Write as _;
use std::path::Path;

use crate::support::Sandbox;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/simulate");

/// A sandbox holding the fixture module plus the named suites in tests/.
fn module_with(suites: &[&str]) -> Sandbox {
    let sb = Sandbox::new();
    let module = Path::new(FIXTURES).join("module");
    for entry in std::fs::read_dir(&module).expect("fixture module") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        sb.write(&name, std::fs::read(&path).expect("read fixture"));
    }
    for suite in suites {
        let text = std::fs::read(Path::new(FIXTURES).join("suites").join(suite)).expect("suite");
        sb.write(&format!("tests/{suite}"), text);
    }
    sb
}

fn last_line(s: &str) -> &str {
    s.trim_end().lines().last().unwrap_or_default()
}

/// Python 3.11+ underlines the failing expression with carets; those lines
/// depend on the interpreter, not on symflow.
fn without_carets(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim().chars().all(|c| c == '^' || c == '~') || l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn scenario_suites_pass_with_exit_0() {
    let sb = module_with(&[
        "approval.symtest.hcl",
        "access.symtest.hcl",
        "fragile.symtest.hcl",
        "legacy.symtest.hcl",
    ]);
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(last_line(&r.stdout), "27 passed, 0 failed");
    assert!(!r.stdout.contains("FAILED"), "{}", r.stdout);
    for name in [
        "prompt_runs_prefetch_and_prompt_hooks",
        "on_call_requesters_are_auto_approved",
        "a_pagerduty_error_falls_back_to_a_message",
        "others_are_ignored_with_a_message",
        "approve_escalates_with_the_lambda_output",
        "deescalate_runs_after_escalate",
        "an_expected_error_passes",
    ] {
        assert!(
            r.stdout.contains(&format!("test {name} ... ok")),
            "{name}:\n{}",
            r.stdout
        );
    }
    // Unmocked calls are warnings, not failures.
    assert!(
        r.stdout.contains("warning: unmocked call pagerduty.is_on_call(user='alice@acme.com', schedule_name='primary') returned False"),
        "{}",
        r.stdout
    );
}

#[test]
fn wrong_expectations_drift_errors_and_broken_flows_fail_with_exit_1() {
    let sb = module_with(&["failing.symtest.hcl"]);
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 1, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(last_line(&r.stdout), "1 passed, 10 failed");
    insta::assert_snapshot!(without_carets(&r.stdout));
}

#[test]
fn json_report_follows_the_contract() {
    let sb = module_with(&["failing.symtest.hcl"]);
    let r = sb.run(&["test", "--format", "json", "--filter", "_"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json on stdout");
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["passed"], 1);
    assert_eq!(v["summary"]["failed"], 10);
    let tests = v["tests"].as_array().expect("tests");
    let first = &tests[0];
    assert_eq!(first["name"], "wrong_outcome");
    assert_eq!(first["file"], "tests/failing.symtest.hcl");
    assert_eq!(first["line"], 5);
    assert_eq!(first["status"], "failed");
    assert!(first["message"]
        .as_str()
        .expect("message")
        .contains("expect.outcome: expected \"approve\", got \"none\""));
    let raising = tests
        .iter()
        .find(|t| t["name"] == "raising_impl")
        .expect("raising_impl");
    assert!(
        raising["message"]
            .as_str()
            .expect("message")
            .contains("fragile.py:23"),
        "{raising}"
    );
    let last = tests.last().expect("a test");
    assert_eq!(last["status"], "passed");
    assert!(last["message"].is_null());
}

#[test]
fn junit_report_and_filter() {
    let sb = module_with(&["failing.symtest.hcl"]);
    let r = sb.run(&["test", "--format", "junit", "--filter", "bad_"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(r#"<testsuites name="symflow test" tests="2" failures="2">"#),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(r#"<testcase name="bad_allowed_value""#),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("&quot;dev&quot; is not one of the allowed_values"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.matches("<failure ").count(), 2);
}

#[test]
fn the_default_timeout_comes_from_the_flag() {
    let sb = module_with(&[]);
    sb.write(
        "tests/loop.symtest.hcl",
        "flow = \"fragile\"\n\nrun \"loops\" {\n  event  = \"request\"\n  fields = { mode = \"loop\" }\n}\n\nrun \"after\" {\n  event  = \"request\"\n  fields = { mode = \"ok\" }\n}\n",
    );
    let r = sb.run(&["test", "--timeout", "200ms"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("timed out after 200ms"), "{}", r.stdout);
    assert!(r.stdout.contains("test after ... ok"), "{}", r.stdout);
    assert_eq!(last_line(&r.stdout), "1 passed, 1 failed");
}

#[test]
fn a_test_file_that_does_not_parse_exits_2_with_its_location() {
    let sb = module_with(&["approval.symtest.hcl"]);
    sb.write(
        "tests/broken.symtest.hcl",
        "flow = \"approval\"\n\nrun \"x\" {\n  event = \"aprove\"\n}\n",
    );
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("error: tests/broken.symtest.hcl:4:11: unknown event `aprove`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean `approve`"), "{}", r.stderr);

    sb.write(
        "tests/broken.symtest.hcl",
        "run \"x\" {\n  event = \"request\"\n  fields = {\n}\n",
    );
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error: tests/broken.symtest.hcl:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("syntax error"), "{}", r.stderr);
}

#[test]
fn a_missing_interpreter_exits_2_with_a_hint() {
    let sb = module_with(&["fragile.symtest.hcl"]);
    let r = sb.run(&["test", "--python", "/nonexistent/python3"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("python interpreter `/nonexistent/python3` was not found"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("hint: install Python 3.8 or newer, or point --python at an interpreter"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_module_for_provider_1_is_not_tested() {
    let sb = module_with(&["fragile.symtest.hcl"]);
    sb.write(
        "old_versions.tf",
        "terraform {\n  required_providers {\n    sym = {\n      source  = \"symopsio/sym\"\n      version = \"~> 1.14\"\n    }\n  }\n}\n",
    );
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("old_versions.tf:5:17: the module targets provider 1.x")
            && r.stderr.contains("so no test was run"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_module_without_tests_exits_2() {
    let sb = module_with(&[]);
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no test files (*.symtest.hcl) in tests"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_var_for_an_undeclared_variable_exits_2() {
    let sb = module_with(&["approval.symtest.hcl"]);
    let r = sb.run(&["test", "--var", "nope=1"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("`--var nope=...` names no variable declared in the module `.`"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_bundled_example_is_green() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/approval");
    let sb = Sandbox::new();
    let r = sb.run(&["test", example]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        last_line(&r.stdout).ends_with("passed, 0 failed"),
        "{}",
        r.stdout
    );
}

/// The complete example of the README's `symflow test` section is green.
#[test]
fn the_readme_example_is_green() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("## `symflow test`")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has a symflow test section");
    let block = |lang: &str| -> String {
        let start = section.find(&format!("```{lang}\n")).expect("code block") + lang.len() + 4;
        let end = section[start..].find("```").expect("block end") + start;
        section[start..end].to_owned()
    };
    let sb = Sandbox::new();
    sb.write("main.tf", block("terraform"));
    sb.write("impl.py", block("python"));
    sb.write("tests/approval.symtest.hcl", block("hcl"));
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(last_line(&r.stdout), "3 passed, 0 failed");
}

/// A one-flow module (provider ~> 3) whose implementation is `impl_py`, with
/// `fields` as the flow's prompt_field blocks and `suite` as its only test file.
fn small_module(fields: &str, impl_py: &str, suite: &str) -> Sandbox {
    let sb = Sandbox::new();
    sb.write(
        "main.tf",
        format!(
            "terraform {{\n  required_providers {{\n    sym = {{\n      source  = \"symopsio/sym\"\n      version = \"~> 3.0\"\n    }}\n  }}\n}}\n\nprovider \"sym\" {{\n  org = \"acme\"\n}}\n\nresource \"sym_integration\" \"slack\" {{\n  type        = \"slack\"\n  name        = \"acme-slack\"\n  external_id = \"T0123ABCD\"\n}}\n\nresource \"sym_environment\" \"prod\" {{\n  name = \"prod\"\n\n  integrations = {{\n    slack_id = sym_integration.slack.id\n  }}\n}}\n\nresource \"sym_flow\" \"approval\" {{\n  name           = \"approval\"\n  implementation = file(\"${{path.module}}/impl.py\")\n  environment_id = sym_environment.prod.id\n\n  params {{\n    prompt_field {{\n      name = \"reason\"\n      type = \"string\"\n    }}\n{fields}  }}\n}}\n"
        ),
    );
    sb.write(
        "impl.py",
        format!(
            "from sym.sdk.annotations import hook, reducer\nfrom sym.sdk.integrations import slack\nfrom sym.sdk.notifications import Notification\nfrom sym.sdk.request_permission import PermissionLevel, RequestPermission\n\n\n{impl_py}"
        ),
    );
    sb.write(
        "tests/a.symtest.hcl",
        format!("flow = \"approval\"\n\n{suite}"),
    );
    sb
}

const PLAIN_REDUCERS: &str = "@reducer\ndef get_permissions(event):\n    return RequestPermission(webapp_view=PermissionLevel.ADMIN, approve_deny=PermissionLevel.MEMBER)\n\n\n@reducer\ndef get_request_notifications(event):\n    return [Notification(destinations=[slack.channel(\"#x\")])]\n\n\n";

#[test]
fn int_and_bool_defaults_apply_with_their_type() {
    let fields = "    prompt_field {\n      name    = \"hours\"\n      type    = \"int\"\n      default = \"4\"\n    }\n    prompt_field {\n      name    = \"count\"\n      type    = \"int\"\n      default = 7\n    }\n    prompt_field {\n      name    = \"break_glass\"\n      type    = \"bool\"\n      default = \"false\"\n    }\n    prompt_field {\n      name    = \"urgent\"\n      type    = \"bool\"\n      default = true\n    }\n";
    let hooks = format!(
        "{PLAIN_REDUCERS}@hook\ndef on_request(event):\n    f = event.payload.fields\n    slack.send_message(event.user, \"%r %r %r %r\" % (f[\"hours\"], f[\"count\"], f[\"break_glass\"], f[\"urgent\"]))\n"
    );
    let suite = "run \"defaults\" {\n  event  = \"request\"\n  fields = { reason = \"x\" }\n  expect {\n    messages = [{ to = \"requester@example.com\", contains = \"4 7 False True\" }]\n  }\n}\n\nrun \"given\" {\n  event  = \"request\"\n  fields = { reason = \"x\", hours = 2, break_glass = true }\n  expect {\n    messages = [{ to = \"requester@example.com\", contains = \"2 7 True True\" }]\n  }\n}\n";
    let sb = small_module(fields, &hooks, suite);
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(last_line(&r.stdout), "2 passed, 0 failed");
}

#[test]
fn event_template_is_the_approval_template() {
    let hooks = format!(
        "{PLAIN_REDUCERS}@hook\ndef on_request(event):\n    t = event.template\n    slack.send_message(event.user, \"template %s %s\" % (t.name, t.version))\n    return t.approve(reason=\"via event.template\")\n"
    );
    let suite = "run \"reads_the_template\" {\n  event = \"request\"\n  fields = { reason = \"x\" }\n  expect {\n    outcome  = \"approve\"\n    messages = [{ to = \"requester@example.com\", contains = \"template approval 1.0.0\" }]\n    error    = null\n  }\n}\n";
    let sb = small_module("", &hooks, suite);
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(last_line(&r.stdout), "1 passed, 0 failed");
}

#[test]
fn approve_deny_takes_a_list_not_a_set_and_dict_destinations_are_typed() {
    let hooks = "import uuid\n\n\n@reducer\ndef get_permissions(event):\n    ids = [str(uuid.uuid4())]\n    if event.payload.fields[\"reason\"] == \"set\":\n        return RequestPermission(webapp_view=PermissionLevel.ADMIN, approve_deny=set(ids))\n    if event.payload.fields[\"reason\"] == \"tuple\":\n        return RequestPermission(webapp_view=PermissionLevel.ADMIN, approve_deny=tuple(ids))\n    return RequestPermission(webapp_view=PermissionLevel.ADMIN, approve_deny=ids)\n\n\n@reducer\ndef get_request_notifications(event):\n    return [Notification(destinations=[{\"channel_name\": \"#from-a-dict\"}])]\n";
    let suite = "run \"a_set\" {\n  event  = \"request\"\n  fields = { reason = \"set\" }\n  expect {\n    error = \"Must be a PermissionLevel or a list\"\n  }\n}\n\nrun \"a_tuple\" {\n  event  = \"request\"\n  fields = { reason = \"tuple\" }\n  expect {\n    error = \"Must be a PermissionLevel or a list\"\n  }\n}\n\nrun \"a_list\" {\n  event  = \"request\"\n  fields = { reason = \"list\" }\n  expect {\n    error         = null\n    notifications = [\"#from-a-dict\"]\n  }\n}\n";
    let sb = small_module("", hooks, suite);
    let r = sb.run(&["test"]);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(last_line(&r.stdout), "3 passed, 0 failed");
}

/// Whether process `pid` still runs (a zombie does not count).
#[cfg(target_os = "linux")]
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z'))
    })
}

#[test]
#[cfg(target_os = "linux")]
fn processes_a_hook_leaves_running_neither_block_nor_outlive_the_run() {
    let hooks = format!(
        "import os\nimport subprocess\nimport time\n\n\ndef _note(pid):\n    with open(os.path.join(os.getcwd(), \"pids.txt\"), \"a\") as f:\n        f.write(\"%d\\n\" % pid)\n\n\n{PLAIN_REDUCERS}@hook\ndef on_request(event):\n    mode = event.payload.fields[\"reason\"]\n    if mode == \"popen\":\n        _note(subprocess.Popen([\"sleep\", \"1000\"]).pid)\n    if mode == \"fork\":\n        pid = os.fork()\n        if pid == 0:\n            time.sleep(1000)\n            os._exit(0)\n        _note(pid)\n    if mode == \"fork-and-return\":\n        os.fork()\n    slack.send_message(event.user, \"done %s\" % mode)\n"
    );
    let mut suite = String::new();
    for (name, mode) in [
        ("popen", "popen"),
        ("fork", "fork"),
        ("fork_and_return", "fork-and-return"),
        ("popen_again", "popen"),
        ("after", "after"),
    ] {
        let _ = write!(
            suite,
            "run \"{name}\" {{\n  event   = \"request\"\n  timeout = \"2s\"\n  fields  = {{ reason = \"{mode}\" }}\n  expect {{\n    messages = [{{ to = \"requester@example.com\", contains = \"done {mode}\" }}]\n  }}\n}}\n\n"
        );
    }
    let sb = small_module("", &hooks, &suite);
    let started = std::time::Instant::now();
    let r = sb.run_cmd(
        sb.cmd()
            .args(["test"])
            .timeout(std::time::Duration::from_secs(30)),
    );
    let took = started.elapsed();
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(last_line(&r.stdout), "5 passed, 0 failed");
    assert!(took.as_secs() < 15, "symflow test took {took:?}");
    let pids = sb.read("pids.txt");
    assert_eq!(pids.lines().count(), 3, "{pids}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    for pid in pids.lines() {
        while alive(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(!alive(pid), "process {pid} outlived symflow test");
    }
}
