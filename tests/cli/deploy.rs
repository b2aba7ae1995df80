//! `symflow deploy` and `symflow login` against the fake Sym API.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value as Json;

use crate::fake_api::{FakeApi, Faults};
use crate::support::{Run, Sandbox};

/// A token that must never show up anywhere.
const CANARY: &str = "canary-tok-7f3a9c1e5b";

const MAIN_TF: &str = r##"
provider "sym" {
  org = "acme"
}

locals {
  teams = {
    billing = "Billing access"
    data    = "Data access"
  }
}

resource "sym_integration" "slack" {
  type        = "slack"
  name        = "Slack"
  external_id = "T0123ABCD"
}

resource "sym_secrets" "aws" {
  type = "aws_secrets_manager"
  name = "aws"
  settings = {
    context_id = sym_integration.context.id
  }
}

resource "sym_integration" "context" {
  type        = "permission_context"
  name        = "runtime-context"
  external_id = "123456789012"
  settings = {
    cloud    = "aws"
    region   = "us-east-1"
    role_arn = "arn:aws:iam::123456789012:role/sym"
  }
}

resource "sym_secret" "pd_key" {
  path      = "sym/pagerduty-key"
  source_id = sym_secrets.aws.id
}

resource "sym_integration" "pagerduty" {
  type        = "pagerduty"
  name        = "pd"
  external_id = "acme.pagerduty.com"
  settings = {
    api_token_secret = sym_secret.pd_key.id
  }
}

resource "sym_error_logger" "slack" {
  integration_id = sym_integration.slack.id
  destination    = "#sym-errors"
}

resource "sym_environment" "prod" {
  name            = "prod"
  label           = "Production"
  error_logger_id = sym_error_logger.slack.id
  integrations = {
    slack_id     = sym_integration.slack.id
    pagerduty_id = sym_integration.pagerduty.id
  }
}

resource "sym_flow" "approval" {
  name           = "approval"
  label          = "Approval"
  implementation = file("${path.module}/impl.py")
  environment_id = sym_environment.prod.id
  vars = {
    auto_approve = "alice@example.com"
  }
  params {
    prompt_field {
      name     = "reason"
      type     = "string"
      required = true
    }
    prompt_field {
      name           = "duration"
      type           = "duration"
      allowed_values = ["1h", "1d"]
    }
  }
}

resource "sym_flow" "team" {
  for_each       = local.teams
  name           = "team-${each.key}"
  label          = each.value
  implementation = file("${path.module}/impl.py")
  environment_id = sym_environment.prod.id
}
"##;

const IMPL_PY: &str = "from sym.sdk.annotations import reducer\nfrom sym.sdk.integrations import slack\n\n\n@reducer\ndef get_approvers(event):\n    return slack.channel(\"#sym-requests\")\n";

/// Entities MAIN_TF declares.
const ENTITIES: usize = 10;

fn module(sb: &Sandbox) {
    sb.write("mod/main.tf", MAIN_TF);
    sb.write("mod/impl.py", IMPL_PY);
}

fn deploy(sb: &Sandbox, api: &FakeApi, args: &[&str]) -> Run {
    deploy_env(sb, api, args, &[])
}

fn deploy_env(sb: &Sandbox, api: &FakeApi, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = sb.cmd();
    cmd.envs(env.iter().copied());
    cmd.env("SYM_JWT", CANARY)
        .env("SYMFLOW_RETRY_BASE_MS", "2")
        .arg("deploy")
        .arg("mod")
        .arg("--api-url")
        .arg(api.url())
        .args(args);
    let run = sb.run_cmd(&mut cmd);
    assert_no_canary(&run);
    run
}

fn assert_no_canary(run: &Run) {
    assert!(
        !run.stdout.contains(CANARY) && !run.stderr.contains(CANARY),
        "the token leaked:\n{}\n{}",
        run.stdout,
        run.stderr
    );
}

fn writes(api: &FakeApi) -> Vec<(String, String)> {
    api.applied_writes()
        .into_iter()
        .map(|l| (l.method, l.path))
        .collect()
}

/// (collection, slug-or-content) of everything stored, to spot duplicates.
fn inventory(api: &FakeApi) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for c in [
        "flows",
        "environments",
        "integrations",
        "secret-sources",
        "secrets",
        "error-loggers",
    ] {
        for e in api.entities(c) {
            let key = match c {
                "secrets" => format!("{c}:{}", e["path"]),
                "error-loggers" => format!("{c}:{}", e["destination"]),
                _ => format!("{c}:{}", e["slug"]),
            };
            *out.entry(key).or_insert(0) += 1;
        }
    }
    out
}

#[test]
fn fresh_deploy_creates_everything_once_in_order_and_redeploy_writes_nothing() {
    let sb = Sandbox::new();
    module(&sb);
    let api = FakeApi::start(CANARY, 1);

    let run = deploy(&sb, &api, &["--yes", "-v"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("Plan: 10 to create, 0 to update, 0 unchanged."),
        "{}",
        run.stdout
    );
    let w = writes(&api);
    assert_eq!(w.len(), ENTITIES, "{w:?}");
    assert!(w.iter().all(|(m, _)| m == "POST"), "{w:?}");
    // The fake rejects references to ids that do not exist yet, so every
    // POST having succeeded proves the order; and every entity exists once.
    let inv = inventory(&api);
    assert_eq!(inv.values().sum::<usize>(), ENTITIES, "{inv:?}");
    assert!(inv.values().all(|n| *n == 1), "{inv:?}");
    assert!(inv.contains_key("flows:\"team-billing\""), "{inv:?}");
    // Each request had its own id and our user agent.
    let log = api.log();
    let mut ids: Vec<&str> = log.iter().map(|l| l.request_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), log.len());
    assert!(log.iter().all(|l| l.user_agent.starts_with("symflow/")));

    // The flow got its payload right (renames, base64, defaults).
    let flow = api
        .entities("flows")
        .into_iter()
        .find(|f| f["slug"] == "approval")
        .expect("approval flow");
    assert_eq!(
        flow["params"]["prompt_fields"][1]["allowed_values"],
        serde_json::json!(["1h", "1d"])
    );
    assert_eq!(flow["params"]["allow_revoke"], Json::Bool(true));
    assert!(flow["params"].get("allowed_sources").is_none());

    api.clear_log();
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(writes(&api).is_empty(), "{:?}", writes(&api));
    assert!(run.stderr.contains("No changes"), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("0 to create, 0 to update, 10 unchanged"),
        "{}",
        run.stdout
    );

    // Plan only, detailed exit code: 0 without changes.
    let run = deploy(&sb, &api, &["--plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn changing_one_impl_py_patches_one_flow_with_a_readable_diff() {
    let sb = Sandbox::new();
    module(&sb);
    let api = FakeApi::start(CANARY, 2);
    assert_eq!(deploy(&sb, &api, &["--yes"]).code, 0);
    // A second file so only one flow changes.
    sb.write(
        "mod/other.py",
        IMPL_PY.replace("#sym-requests", "#access-requests"),
    );
    sb.write(
        "mod/main.tf",
        MAIN_TF.replacen(
            "implementation = file(\"${path.module}/impl.py\")\n  environment_id = sym_environment.prod.id\n  vars",
            "implementation = file(\"${path.module}/other.py\")\n  environment_id = sym_environment.prod.id\n  vars",
            1,
        ),
    );
    api.clear_log();
    let run = deploy(&sb, &api, &["--plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(writes(&api).is_empty());
    insta::assert_snapshot!("impl_change_plan", run.stdout);

    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let w = writes(&api);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "PATCH");
    assert!(w[0].1.starts_with("/entities/flows/"), "{w:?}");
}

#[test]
fn faulty_network_converges_without_duplicates() {
    // With the default retries one run absorbs the faults; with only three
    // attempts per request runs fail part-way and re-runs must converge.
    // (With two attempts a run failed its read phase ~3 times in 4, and 15
    // failed runs in a row happened about once in 25 trials: a flaky test.)
    let (mut dropped, mut faulted) = (0, 0);
    for (seed, attempts, max_runs) in [(0x5eed, "6", 3), (0xbad, "3", 25)] {
        let sb = Sandbox::new();
        module(&sb);
        let api = FakeApi::start(CANARY, seed);
        api.set_faults(Faults {
            latency: Duration::from_millis(1),
            error_rate: 0.3,
            drop_rate: 0.2,
        });
        let mut runs = Vec::new();
        let mut last_stderr = String::new();
        for _ in 0..max_runs {
            let run = deploy_env(
                &sb,
                &api,
                &["--yes", "--parallelism", "4"],
                &[("SYMFLOW_RETRY_ATTEMPTS", attempts)],
            );
            let inv = inventory(&api);
            assert!(
                inv.values().all(|n| *n == 1),
                "duplicate after run {}: {inv:?}\n{}",
                runs.len(),
                run.stderr
            );
            runs.push(run.code);
            last_stderr.clone_from(&run.stderr);
            if run.code == 0 {
                break;
            }
            assert_eq!(run.code, 1, "{}", run.stderr);
            // Failed while reading (an error) or while applying (a report).
            assert!(
                run.stdout.contains("Run the same command again") || run.stderr.contains("error: "),
                "{}\n{}",
                run.stdout,
                run.stderr
            );
        }
        assert_eq!(
            runs.last(),
            Some(&0),
            "no convergence in {runs:?}: {:?}\nlast run:\n{last_stderr}",
            inventory(&api)
        );
        assert_eq!(inventory(&api).values().sum::<usize>(), ENTITIES);
        // Faults were really injected and answers really lost.
        let log = api.log();
        dropped += log.iter().filter(|l| l.status == 0).count();
        faulted += log
            .iter()
            .filter(|l| l.status == 503 || l.status == 429)
            .count();
        // Once converged, a clean run writes nothing.
        api.set_faults(Faults::default());
        api.clear_log();
        let run = deploy(&sb, &api, &["--yes"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(writes(&api).is_empty(), "{:?}", writes(&api));
    }
    assert!(dropped > 0, "no answer was dropped");
    assert!(faulted > 0, "no request was faulted");
}
#[test]
fn refuses_to_apply_without_a_terminal_or_yes() {
    let sb = Sandbox::new();
    module(&sb);
    let api = FakeApi::start(CANARY, 3);
    let run = deploy(&sb, &api, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert!(writes(&api).is_empty());
    let run = deploy(&sb, &api, &["--plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn prune_is_refused_honestly() {
    let sb = Sandbox::new();
    module(&sb);
    let api = FakeApi::start(CANARY, 4);
    let run = deploy(&sb, &api, &["--prune", "--yes"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("never deletes"), "{}", run.stderr);
    assert!(api.log().is_empty());
}

#[test]
fn plain_http_is_refused_for_remote_hosts() {
    let sb = Sandbox::new();
    module(&sb);
    let mut cmd = sb.cmd();
    cmd.env("SYM_JWT", CANARY).args([
        "deploy",
        "mod",
        "--plan",
        "--api-url",
        "http://api.example.com/api/v1",
    ]);
    let run = sb.run_cmd(&mut cmd);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("plain HTTP"), "{}", run.stderr);
    assert_no_canary(&run);
}

#[test]
fn external_values_block_only_what_needs_them() {
    let sb = Sandbox::new();
    module(&sb);
    sb.write(
        "mod/extra.tf",
        r#"
resource "aws_iam_role" "sym" {
  name = "sym"
}

resource "sym_runtime" "aws" {
  name       = "aws"
  context_id = aws_iam_role.sym.arn
}
"#,
    );
    let api = FakeApi::start(CANARY, 5);
    let run = deploy(&sb, &api, &["--plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("! sym_runtime.aws cannot be deployed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("`context_id` depends on `aws_iam_role.sym`"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 cannot deploy"), "{}", run.stdout);
}

#[test]
fn json_output_and_import_blocks() {
    let sb = Sandbox::new();
    module(&sb);
    let api = FakeApi::start(CANARY, 6);
    let run = deploy(
        &sb,
        &api,
        &["--yes", "--format", "json", "--emit-imports", "imports.tf"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Json = serde_json::from_str(&run.stdout).expect("json on stdout");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["plan"]["summary"]["create"], 10);
    assert_eq!(doc["apply"]["applied"].as_array().map(Vec::len), Some(10));
    let imports = sb.read("imports.tf");
    assert!(
        imports.contains("to = sym_flow.approval\n  id = \"approval\""),
        "{imports}"
    );
    assert!(imports.contains("id = \"slack:slack\""), "{imports}");
    assert!(
        imports.contains("to = sym_flow.team[\"billing\"]"),
        "{imports}"
    );
    assert!(imports.contains("id = \"sym-errors\""), "{imports}");
}

#[test]
fn target_limits_to_an_entity_and_its_dependencies() {
    let sb = Sandbox::new();
    module(&sb);
    let api = FakeApi::start(CANARY, 7);
    let run = deploy(&sb, &api, &["--yes", "--target", "sym_error_logger.slack"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(writes(&api).len(), 2, "{:?}", writes(&api));
    let run = deploy(&sb, &api, &["--plan", "--target", "sym_flow.nope"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("matches no sym_* resource"),
        "{}",
        run.stderr
    );
}

#[test]
fn api_errors_are_readable_and_never_leak_the_token() {
    let sb = Sandbox::new();
    module(&sb);
    let api = FakeApi::start("another-token", 8);
    let run = deploy(&sb, &api, &["--plan", "-vv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("401"), "{}", run.stderr);
    assert!(run.stderr.contains("request id"), "{}", run.stderr);
    assert!(run.stderr.contains("symflow login"), "{}", run.stderr);

    // A 400 from the server shows its field messages (validate would stop
    // this config; an ignore comment lets it through to the API).
    let api = FakeApi::start(CANARY, 9);
    sb.write(
        "mod/main.tf",
        r#"
resource "sym_environment" "prod" {
  name = "prod"
}

resource "sym_flow" "bad" {
  name           = "bad"
  implementation = "print(1)"
  environment_id = sym_environment.prod.id
  params {
    # The server's rule, not symflow's, is under test: silence the lint.
    allow_revoke          = false
    # symflow:ignore no-revoke-no-deescalation
    schedule_deescalation = false
  }
}

resource "sym_flow" "after" {
  name           = "after"
  implementation = "print(1)"
  environment_id = sym_environment.prod.id
  depends_on     = [sym_flow.bad]
}
"#,
    );
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("at least one of schedule_deescalation or allow_revoke must be true")
            || run
                .stderr
                .contains("at least one of schedule_deescalation or allow_revoke must be true"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stdout.contains("not applied") || run.stdout.contains("failed"),
        "{}",
        run.stdout
    );
}

#[test]
fn missing_credentials_are_explained() {
    let sb = Sandbox::new();
    module(&sb);
    let run = sb.run(&[
        "deploy",
        "mod",
        "--plan",
        "--api-url",
        "http://127.0.0.1:9/api/v1",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no Sym token found"), "{}", run.stderr);
    assert!(run.stderr.contains("symflow login"), "{}", run.stderr);
}

#[test]
fn login_stores_the_token_privately_and_deploy_uses_it() {
    let sb = Sandbox::new();
    module(&sb);
    sb.write(
        "home/.config/symflow/default/config.yml",
        "email: me@acme.io\nlast_update_check: 2024-01-01\nauth_token:\n  access_token: old\n  expires_in: 3600\n",
    );
    let run = sb.run_cmd(
        sb.cmd()
            .args(["login", "--with-token", "--org", "acme"])
            .write_stdin(format!("{CANARY}\n")),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_no_canary(&run);
    let text = sb.read("home/.config/symflow/default/config.yml");
    assert!(
        text.contains(CANARY) && text.contains("org: acme") && text.contains("email: me@acme.io"),
        "{text}"
    );
    assert!(text.contains("expires_in: 3600"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sb.join("home/.config/symflow/default/config.yml"))
            .expect("config")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // deploy finds it (no SYM_JWT) and checks the org.
    let api = FakeApi::start(CANARY, 10);
    let mut cmd = sb.cmd();
    cmd.args(["deploy", "mod", "--plan", "-v", "--api-url", &api.url()]);
    let run = sb.run_cmd(&mut cmd);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_no_canary(&run);
    sb.write(
        "mod/main.tf",
        MAIN_TF.replace("org = \"acme\"", "org = \"other\""),
    );
    let run = sb.run_cmd(
        sb.cmd()
            .args(["deploy", "mod", "--plan", "--api-url", &api.url()]),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("using the acme org"), "{}", run.stderr);
    assert_no_canary(&run);

    // Empty input: an error, and the file is untouched.
    let run = sb.run_cmd(sb.cmd().args(["login", "--with-token"]).write_stdin(""));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no token"), "{}", run.stderr);
    assert!(sb
        .read("home/.config/symflow/default/config.yml")
        .contains(CANARY));
}

#[test]
fn login_warns_when_xdg_differs_from_the_provider_path() {
    let sb = Sandbox::new();
    let run = sb.run_cmd(
        sb.cmd()
            .env("XDG_CONFIG_HOME", sb.join("xdg"))
            .args(["login", "--with-token"])
            .write_stdin(CANARY),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: the Terraform provider reads only"),
        "{}",
        run.stderr
    );
    assert!(sb.read("xdg/symflow/default/config.yml").contains(CANARY));
    assert_no_canary(&run);
}

#[cfg(unix)]
#[test]
fn ctrl_c_finishes_in_flight_work_and_reports() {
    use std::fmt::Write as _;
    let sb = Sandbox::new();
    let mut tf = String::from("resource \"sym_environment\" \"prod\" {\n  name = \"prod\"\n}\n");
    for i in 0..40 {
        let _ = write!(
            tf,
            "resource \"sym_flow\" \"f{i}\" {{\n  name = \"flow-{i}\"\n  implementation = \"print({i})\"\n  environment_id = sym_environment.prod.id\n}}\n"
        );
    }
    sb.write("mod/main.tf", tf);
    let api = FakeApi::start(CANARY, 11);
    api.set_faults(Faults {
        latency: Duration::from_millis(40),
        ..Faults::default()
    });
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("symflow"));
    cmd.current_dir(sb.path())
        .env_remove("SYM_API_URL")
        .env("HOME", sb.join("home"))
        .env("SYM_JWT", CANARY)
        .args([
            "deploy",
            "mod",
            "--yes",
            "--parallelism",
            "2",
            "--api-url",
            &api.url(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("spawn symflow");
    // Wait for the first flow write, then interrupt.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !api
        .log()
        .iter()
        .any(|l| l.method == "POST" && l.path.contains("flows"))
    {
        assert!(std::time::Instant::now() < deadline, "no write started");
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("Interrupted"), "{stdout}");
    assert!(stdout.contains("not applied"), "{stdout}");
    let created = api.entities("flows").len();
    assert!(
        created < 40,
        "{created} flows: the interrupt stopped nothing"
    );
    // Every write that started also finished (no half-applied request).
    assert!(api.log().iter().all(|l| l.status == 200));
    // A re-run converges.
    api.set_faults(Faults::default());
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(api.entities("flows").len(), 40);
}

#[test]
fn flows_filter_is_a_singleton() {
    let sb = Sandbox::new();
    sb.write(
        "mod/main.tf",
        r#"
resource "sym_flows_filter" "this" {
  implementation = file("${path.module}/filter.py")
  vars = {
    team = "ops"
  }
}
"#,
    );
    sb.write(
        "mod/filter.py",
        "def get_flows(user, flows, flows_filter_vars):\n    return flows\n",
    );
    let api = FakeApi::start(CANARY, 12);
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        writes(&api),
        vec![("POST".to_owned(), "/entities/flows-filter".to_owned())]
    );
    api.clear_log();
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(writes(&api).is_empty(), "{:?}", writes(&api));
    sb.write(
        "mod/filter.py",
        "def get_flows(user, flows, flows_filter_vars):\n    return []\n",
    );
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("+    return []"), "{}", run.stdout);
    assert_eq!(
        writes(&api),
        vec![("PATCH".to_owned(), "/entities/flows-filter".to_owned())]
    );
    let stored = api.entities("flows-filter");
    assert_eq!(stored.len(), 1);
    assert!(stored[0].get("id").is_some());
}

#[test]
fn a_module_with_errors_sends_no_request() {
    let sb = Sandbox::new();
    module(&sb);
    sb.write(
        "mod/broken.tf",
        "resource \"sym_flow\" \"x\" {\n  name = \n}\n",
    );
    let api = FakeApi::start(CANARY, 13);
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("nothing was deployed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("broken.tf"), "{}", run.stderr);
    assert!(api.log().is_empty());
    let run = deploy(&sb, &api, &["--plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn a_var_for_an_undeclared_variable_sends_no_request() {
    let sb = Sandbox::new();
    module(&sb);
    let api = FakeApi::start(CANARY, 13);
    let run = deploy(&sb, &api, &["--yes", "--var", "teams=x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`--var teams=...` names no variable declared in the module `mod`"),
        "{}",
        run.stderr
    );
    assert!(api.log().is_empty());
}

#[test]
fn names_needing_percent_encoding_are_looked_up_correctly() {
    let sb = Sandbox::new();
    sb.write(
        "mod/main.tf",
        r#"
resource "sym_integration" "odd" {
  type        = "custom"
  name        = "a&b c#d"
  external_id = "x"
}
"#,
    );
    let api = FakeApi::start(CANARY, 14);
    assert_eq!(deploy(&sb, &api, &["--yes"]).code, 0);
    api.clear_log();
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(writes(&api).is_empty(), "{:?}", writes(&api));
    assert!(
        api.log()[0].path.contains("slug=a%26b"),
        "{:?}",
        api.log()[0].path
    );
}

#[test]
fn a_changed_nameless_entity_is_found_through_its_referrer() {
    let sb = Sandbox::new();
    module(&sb);
    let api = FakeApi::start(CANARY, 15);
    assert_eq!(deploy(&sb, &api, &["--yes"]).code, 0);
    sb.write("mod/main.tf", MAIN_TF.replace("#sym-errors", "#sym-alerts"));
    api.clear_log();
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("~ destination: \"#sym-errors\" -> \"#sym-alerts\""),
        "{}",
        run.stdout
    );
    let w = writes(&api);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "PATCH");
    assert!(w[0].1.starts_with("/entities/error-loggers/"), "{w:?}");
    assert_eq!(api.entities("error-loggers").len(), 1);
}

#[test]
fn data_sources_are_looked_up_and_never_written() {
    let sb = Sandbox::new();
    sb.write(
        "mod/main.tf",
        r#"
data "sym_integration" "slack" {
  type = "slack"
  name = "Main-Slack"
}

resource "sym_environment" "prod" {
  name = "prod"
  integrations = {
    slack_id = data.sym_integration.slack.id
  }
}
"#,
    );
    let api = FakeApi::start(CANARY, 16);
    // Missing: the environment cannot be deployed, and says why.
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("no integration named `Main-Slack` of type `slack` exists in Sym"),
        "{}",
        run.stdout
    );
    assert!(writes(&api).is_empty());
    let id = api.seed(
        "integrations",
        serde_json::json!({"type": "slack", "slug": "main-slack", "external_id": "T1", "settings": {}}),
    );
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(writes(&api).len(), 1);
    assert_eq!(
        api.entities("environments")[0]["integrations"]["slack_id"],
        serde_json::json!(id)
    );
    assert_eq!(api.entities("integrations").len(), 1);
}

#[test]
fn a_module_for_provider_1_is_not_deployed() {
    let sb = Sandbox::new();
    module(&sb);
    // Validate only warns about it (SF214); deploy refuses before any request.
    sb.write(
        "mod/versions.tf",
        "terraform {\n  required_providers {\n    sym = {\n      source  = \"symopsio/sym\"\n      version = \">= 1.0.5, < 2.0.0\"\n    }\n  }\n}\n",
    );
    let api = FakeApi::start(CANARY, 3);
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("versions.tf:5:17: the module targets provider 1.x")
            && run.stderr.contains("so nothing was deployed"),
        "{}",
        run.stderr
    );
    assert!(
        api.log().is_empty(),
        "requests were made: {:?}",
        api.log().len()
    );
}

#[test]
fn validation_errors_stop_a_deploy_before_any_request() {
    let sb = Sandbox::new();
    module(&sb);
    // An invalid prompt_field type: the provider would reject it at plan.
    let broken = MAIN_TF.replacen("type     = \"string\"", "type     = \"strng\"", 1);
    assert_ne!(broken, MAIN_TF, "the fixture changed: update this test");
    sb.write("mod/main.tf", broken);
    let api = FakeApi::start(CANARY, 3);
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("validation errors, so nothing was deployed")
            && run.stderr.contains("main.tf:")
            && run.stderr.contains("strng"),
        "{}",
        run.stderr
    );
    assert!(
        api.log().is_empty(),
        "requests were made: {:?}",
        api.log().len()
    );
}

#[test]
fn a_module_in_json_syntax_deploys_like_its_native_twin() {
    let sb = Sandbox::new();
    sb.write("mod/impl.py", IMPL_PY);
    sb.write(
        "mod/main.tf.json",
        r#"{
  "provider": {"sym": {"org": "acme"}},
  "resource": {
    "sym_integration": {"slack": {"type": "slack", "name": "Slack", "external_id": "T0123ABCD"}},
    "sym_environment": {
      "prod": {"name": "prod", "integrations": {"slack_id": "${sym_integration.slack.id}"}}
    },
    "sym_flow": {
      "team": {
        "for_each": {"billing": "Billing access", "data": "Data access"},
        "name": "team-${each.key}",
        "label": "${each.value}",
        "implementation": "${file(\"${path.module}/impl.py\")}",
        "environment_id": "${sym_environment.prod.id}",
        "params": {
          "prompt_field": [
            {"name": "reason", "type": "string", "required": true},
            {"name": "duration", "type": "duration", "allowed_values": ["1h", "1d"]}
          ]
        }
      }
    }
  }
}
"#,
    );
    let api = FakeApi::start(CANARY, 17);
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("Plan: 4 to create, 0 to update, 0 unchanged."),
        "{}",
        run.stdout
    );
    let flows = api.entities("flows");
    let billing = flows
        .iter()
        .find(|f| f["slug"] == "team-billing")
        .expect("team-billing flow");
    assert_eq!(billing["label"], "Billing access");
    assert_eq!(
        billing["params"]["prompt_fields"][1]["allowed_values"],
        serde_json::json!(["1h", "1d"])
    );
    assert_eq!(billing["params"]["prompt_fields"][0]["name"], "reason");
    // The implementation is the file's text (base64 on the wire), not the
    // template around it.
    use base64::Engine as _;
    let code = base64::engine::general_purpose::STANDARD
        .decode(billing["implementation"].as_str().unwrap_or_default())
        .expect("base64");
    assert_eq!(String::from_utf8_lossy(&code), IMPL_PY);
    assert_eq!(
        billing["environment_id"],
        api.entities("environments")[0]["id"],
    );

    api.clear_log();
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(writes(&api).is_empty(), "{:?}", writes(&api));
}

#[test]
fn a_module_with_known_for_each_deploys_one_set_of_entities_per_instance() {
    let sb = Sandbox::new();
    sb.write(
        "mod/main.tf",
        r##"
provider "sym" {
  org = "acme"
}

resource "sym_integration" "slack" {
  type        = "slack"
  name        = "Slack"
  external_id = "T0123ABCD"
}

resource "sym_environment" "prod" {
  name = "prod"
  integrations = {
    slack_id = sym_integration.slack.id
  }
}

variable "teams" {
  default = {
    billing = "#billing-access"
    data    = "#data-access"
  }
}

module "team" {
  for_each    = var.teams
  source      = "./team"
  slug        = each.key
  channel     = each.value
  environment = sym_environment.prod
}
"##,
    );
    sb.write(
        "mod/team/main.tf",
        r#"
variable "slug" {}
variable "channel" {}
variable "environment" {}

resource "sym_flow" "access" {
  name           = "team-${var.slug}"
  label          = "Access (${var.slug})"
  implementation = file("${path.module}/../impl.py")
  environment_id = var.environment.id
  vars = {
    request_channel = var.channel
  }
}
"#,
    );
    sb.write("mod/impl.py", IMPL_PY);
    let api = FakeApi::start(CANARY, 18);
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("module.team[\"billing\"].sym_flow.access"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Plan: 4 to create, 0 to update, 0 unchanged."),
        "{}",
        run.stdout
    );
    let inv = inventory(&api);
    assert_eq!(inv.get("flows:\"team-billing\""), Some(&1), "{inv:?}");
    assert_eq!(inv.get("flows:\"team-data\""), Some(&1), "{inv:?}");
    let env_id = api.entities("environments")[0]["id"].clone();
    for f in api.entities("flows") {
        assert_eq!(f["environment_id"], env_id, "{f}");
    }
    let data = api
        .entities("flows")
        .into_iter()
        .find(|f| f["slug"] == "team-data")
        .expect("team-data");
    assert_eq!(data["vars"]["request_channel"], "#data-access");

    api.clear_log();
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(writes(&api).is_empty(), "{:?}", writes(&api));

    // `--target` names an instance.
    let run = deploy(
        &sb,
        &api,
        &[
            "--plan",
            "--target",
            "module.team[\"data\"].sym_flow.access",
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn an_id_passed_into_a_child_module_orders_the_apply() {
    let sb = Sandbox::new();
    sb.write(
        "mod/main.tf",
        r#"
resource "sym_integration" "slack" {
  type        = "slack"
  name        = "Slack"
  external_id = "T0123ABCD"
}

resource "sym_environment" "prod" {
  name = "prod"
  integrations = {
    slack_id = sym_integration.slack.id
  }
}

module "flow" {
  source         = "./flow"
  environment_id = sym_environment.prod.id
}
"#,
    );
    sb.write(
        "mod/flow/main.tf",
        r#"
variable "environment_id" {}

resource "sym_flow" "access" {
  name           = "access"
  implementation = file("${path.module}/../impl.py")
  environment_id = var.environment_id
}
"#,
    );
    sb.write("mod/impl.py", IMPL_PY);
    let api = FakeApi::start(CANARY, 19);
    // The flow sorts before the environment by address; the id it gets
    // through the module input must make it wait all the same.
    let run = deploy(&sb, &api, &["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(api.entities("flows").len(), 1);
    assert_eq!(
        api.entities("flows")[0]["environment_id"],
        api.entities("environments")[0]["id"]
    );
}
