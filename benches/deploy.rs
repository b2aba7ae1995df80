//! Deploy speed: 200 flows against the fake Sym API with 20 ms latency per
//! request, through the real binary. Prints the measured time, the ideal of
//! DESIGN §4 (critical-path depth × latency + (reads + writes) × latency /
//! parallelism) and their ratio; exits non-zero above 1.5×.
//!
//! Run with `cargo bench --bench deploy`.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

#[path = "../tests/fake_api/mod.rs"]
mod fake_api;

use std::fmt::Write as _;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use fake_api::{FakeApi, Faults};

const FLOWS: usize = 200;
const LATENCY_MS: u64 = 20;
const PARALLELISM: usize = 8;

fn module(dir: &std::path::Path) {
    let mut tf = String::from(
        r##"
provider "sym" {
  org = "bench"
}

resource "sym_integration" "slack" {
  type        = "slack"
  name        = "slack"
  external_id = "T0123ABCD"
}

resource "sym_error_logger" "slack" {
  integration_id = sym_integration.slack.id
  destination    = "#sym-errors"
}

resource "sym_environment" "prod" {
  name            = "prod"
  error_logger_id = sym_error_logger.slack.id
  integrations = {
    slack_id = sym_integration.slack.id
  }
}
"##,
    );
    for i in 0..FLOWS {
        let _ = write!(
            tf,
            r#"
resource "sym_flow" "f{i}" {{
  name           = "flow-{i}"
  implementation = file("${{path.module}}/impl.py")
  environment_id = sym_environment.prod.id
  vars = {{ index = "{i}" }}
  params {{
    prompt_field {{
      name = "reason"
      type = "string"
    }}
  }}
}}
"#
        );
    }
    std::fs::write(dir.join("main.tf"), tf).unwrap();
    std::fs::write(
        dir.join("impl.py"),
        "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_approvers(event):\n    return None\n",
    )
    .unwrap();
}

fn main() -> ExitCode {
    let dir = tempfile::tempdir().unwrap();
    module(dir.path());
    let api = FakeApi::start("bench-token", 42);
    api.set_faults(Faults {
        latency: Duration::from_millis(LATENCY_MS),
        ..Faults::default()
    });
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_symflow"))
        .args([
            "deploy",
            "--yes",
            "-q",
            "--parallelism",
            &PARALLELISM.to_string(),
            "--api-url",
            &api.url(),
        ])
        .arg(dir.path())
        .env("SYM_JWT", "bench-token")
        .env_remove("SYM_API_URL")
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    if !out.status.success() {
        eprintln!("deploy failed:\n{}", String::from_utf8_lossy(&out.stderr));
        return ExitCode::FAILURE;
    }
    let log = api.log();
    let reads = log.iter().filter(|l| l.method == "GET").count();
    let writes = log.iter().filter(|l| l.method != "GET").count();
    assert_eq!(api.entities("flows").len(), FLOWS);
    // Critical path: named lookups, the error-logger listing, then
    // integration -> error logger -> environment -> flow.
    let depth: u32 = 2 + 4;
    let latency = LATENCY_MS as f64;
    let ideal_ms =
        f64::from(depth) * latency + (reads + writes) as f64 * latency / PARALLELISM as f64;
    let ms = elapsed.as_secs_f64() * 1000.0;
    let ratio = ms / ideal_ms;
    println!(
        "deploy of {FLOWS} flows: {ms:.0} ms for {reads} reads + {writes} writes at {LATENCY_MS} ms latency, parallelism {PARALLELISM}; ideal {ideal_ms:.0} ms; ratio {ratio:.2}x (limit 1.50x)"
    );
    // A re-deploy: reads only.
    api.clear_log();
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_symflow"))
        .args(["deploy", "--yes", "-q", "--api-url", &api.url()])
        .arg(dir.path())
        .env("SYM_JWT", "bench-token")
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let again = started.elapsed().as_secs_f64() * 1000.0;
    let writes_again = api.log().iter().filter(|l| l.method != "GET").count();
    println!(
        "re-deploy (no changes): {again:.0} ms, {writes_again} writes, exit {:?}",
        out.status.code()
    );
    if ratio > 1.5 || writes_again > 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
