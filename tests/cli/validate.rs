//! `symflow validate`: exit codes, formats, paths, control, and no false
//! alarms on realistic modules and on the benchmark corpus.

use std::path::{Path, PathBuf};

use crate::support::{Run, Sandbox};

const VERSIONS: &str = "terraform {\n  required_providers {\n    sym = {\n      source  = \"symopsio/sym\"\n      version = \"~> 3.0\"\n    }\n  }\n}\n";

const MAIN: &str = r#"provider "sym" {
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
  implementation = file("${path.module}/impl.py")
  environment_id = sym_environment.prod.id

  params {
    prompt_field {
      name = "reason"
      type = "string"
    }
  }
}
"#;

const IMPL: &str = "from sym.sdk.annotations import reducer
from sym.sdk.request_permission import PermissionLevel, RequestPermission


@reducer
def get_permissions(event):
    return RequestPermission(
        webapp_view=PermissionLevel.MEMBER,
        approve_deny=PermissionLevel.MEMBER,
        allow_self_approval=False,
    )
";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A clean module in `dir` of the sandbox.
fn module(sb: &Sandbox, dir: &str) {
    sb.write(&format!("{dir}/versions.tf"), VERSIONS);
    sb.write(&format!("{dir}/main.tf"), MAIN);
    sb.write(&format!("{dir}/impl.py"), IMPL);
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", r.stdout, r.stderr))
}

/// No findings other than those of the rules in `allowed`.
fn assert_clean(path: &Path, allowed: &[&str]) {
    let sb = Sandbox::new();
    let r = sb.run(&["validate", "--format", "json", &path.display().to_string()]);
    let v = json(&r);
    let unexpected: Vec<_> = v["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| !allowed.iter().any(|a| d["rule"] == *a))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} has findings:\n{}",
        path.display(),
        r.stdout
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        v["summary"]["files"].as_u64().unwrap_or(0) > 0,
        "no files checked"
    );
}

#[test]
fn the_bundled_example_is_clean() {
    let sb = Sandbox::new();
    let r = sb.run(&[
        "validate",
        &repo().join("examples/approval").display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.starts_with("no problems found in "),
        "{}",
        r.stdout
    );
}

#[test]
fn realistic_modules_have_no_findings() {
    for name in ["v3-okta", "v3-aws-sso", "multi-env"] {
        assert_clean(&repo().join("tests/fixtures/validate").join(name), &[]);
    }
    // The same module in native and in JSON syntax.
    for syntax in ["native", "json"] {
        assert_clean(
            &repo().join("tests/fixtures/modules/json_twin").join(syntax),
            &[],
        );
    }
    // Provider 2.x era code: `get_approvers` was the way then.
    assert_clean(
        &repo().join("tests/fixtures/validate/v2-approval"),
        &["deprecated-get-approvers"],
    );
}

#[test]
fn the_benchmark_corpus_has_no_errors() {
    let sb = Sandbox::new();
    let generator = repo().join("../shared/bench/gen_corpus.py");
    let status = std::process::Command::new("python3")
        .arg(&generator)
        .arg(sb.join("corpus"))
        .args(["--flows", "100", "--seed", "1"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run python3");
    assert!(status.success(), "{} failed", generator.display());
    let r = sb.run(&["validate", "--format", "json", "corpus"]);
    let v = json(&r);
    assert_eq!(v["summary"]["errors"], 0, "{}", r.stdout);
    // The only findings: vars such as `auto_approve_max_seconds = "3600"`,
    // which the provider itself warns about.
    for d in v["diagnostics"].as_array().expect("list") {
        assert_eq!(d["rule"], "var-looks-typed", "{d}");
    }
    assert_eq!(v["summary"]["files"], 203);
    assert_eq!(r.code, 0);
}

#[test]
fn exit_codes_follow_errors_warnings_and_deny_warnings() {
    let sb = Sandbox::new();
    module(&sb, "clean");
    assert_eq!(sb.run(&["validate", "clean"]).code, 0);

    module(&sb, "warn");
    sb.write(
        "warn/main.tf",
        MAIN.replace(
            "  params {",
            "  vars = {\n    enabled = \"true\"\n  }\n\n  params {",
        ),
    );
    let r = sb.run(&["validate", "warn"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning[SF208]"), "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("found 0 errors and 1 warning in 3 files\n"),
        "{}",
        r.stdout
    );
    assert_eq!(sb.run(&["validate", "--deny-warnings", "warn"]).code, 1);

    module(&sb, "bad");
    sb.write(
        "bad/main.tf",
        MAIN.replace("type = \"string\"", "type = \"strng\""),
    );
    let r = sb.run(&["validate", "bad"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("human_error", r.stdout);

    let r = sb.run(&["validate", "missing-dir"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("the path missing-dir does not exist"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn json_follows_the_contract() {
    let sb = Sandbox::new();
    module(&sb, "m");
    sb.write(
        "m/main.tf",
        MAIN.replace(
            "  name           = \"approval\"",
            "  name           = \"approval\"\n  lable          = \"x\"",
        ),
    );
    let r = sb.run(&["validate", "--format", "json", "m"]);
    assert_eq!(r.code, 1);
    let v = json(&r);
    assert_eq!(v["version"], 1);
    assert_eq!(
        v["diagnostics"][0],
        serde_json::json!({
            "code": "SF101", "rule": "unknown-attribute", "severity": "error",
            "message": "unknown attribute `lable` in sym_flow", "file": "m/main.tf",
            "line": 20, "column": 3, "end_line": 20, "end_column": 8,
            "help": "did you mean `label`?"
        })
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 3, "errors": 1, "warnings": 0})
    );
}

#[test]
fn sarif_and_github_formats() {
    let sb = Sandbox::new();
    module(&sb, "m");
    sb.write(
        "m/main.tf",
        MAIN.replace("type = \"string\"", "type = \"text\""),
    );
    let r = sb.run(&["validate", "--format", "sarif", "m"]);
    assert_eq!(r.code, 1);
    let v = json(&r);
    assert_eq!(v["version"], "2.1.0");
    let result = &v["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "SF105");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "m/main.tf"
    );
    let r = sb.run(&["validate", "--format", "github", "m"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("::error file=m/main.tf,line=26,col=14,endLine=26,endColumn=20,title=SF105 invalid-enum-value::"),
        "{}",
        r.stdout
    );
}

#[test]
fn files_map_to_their_modules_once() {
    let sb = Sandbox::new();
    module(&sb, "infra");
    sb.write("infra/tests/approval.symtest.hcl", "flow = \"approval\"\n");
    sb.write("infra/terraform.tfvars", "");
    sb.write("README.md", "# hi\n");
    sb.write("infra/notes.txt", "x");
    let r = sb.run(&[
        "validate",
        "--format",
        "json",
        "infra/main.tf",
        "infra/impl.py",
        "infra/tests/approval.symtest.hcl",
        "infra/terraform.tfvars",
        "README.md",
        "infra/notes.txt",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = json(&r);
    // versions.tf, main.tf, terraform.tfvars (read by the loader) and impl.py, once each
    let files = v["summary"]["files"].as_u64().expect("files");
    assert!((3..=4).contains(&files), "{}", r.stdout);

    // A Python file no module uses is ignored, as are other files.
    sb.write("scripts/tool.py", "print('hi')\n");
    sb.write("scripts/x.tf", "locals {\n  a = 1\n}\n");
    let r = sb.run(&[
        "validate",
        "--format",
        "json",
        "scripts/tool.py",
        "README.md",
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(json(&r)["summary"]["files"], 0, "{}", r.stdout);
}

#[test]
fn list_rules_and_explain() {
    let sb = Sandbox::new();
    let r = sb.run(&["validate", "--list-rules"]);
    assert_eq!(r.code, 0);
    for needle in [
        "SF001  syntax-error",
        "SF101  unknown-attribute",
        "SF205  implementation-path",
    ] {
        assert!(r.stdout.contains(needle), "{needle} missing:\n{}", r.stdout);
    }
    let r = sb.run(&["validate", "--explain", "unknown-attribute"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .starts_with("SF101 unknown-attribute (schema, error by default)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("## Why is this bad?"));
    let r = sb.run(&["validate", "--explain", "SF1O1"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("there is no rule `SF1O1`"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_overrides_severities_and_ignores_paths() {
    let sb = Sandbox::new();
    module(&sb, "m");
    sb.write(
        "m/main.tf",
        MAIN.replace("  params {", "  vars = {\n    n = \"5\"\n  }\n\n  params {"),
    );
    sb.write(".symflow.toml", "[rules]\nvar-looks-typed = \"error\"\n");
    let r = sb.run(&["validate", "m"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("error[SF208]"), "{}", r.stdout);

    sb.write(".symflow.toml", "[rules]\nSF208 = \"off\"\n");
    let r = sb.run(&["validate", "m"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("no problems found"), "{}", r.stdout);

    sb.write(
        ".symflow.toml",
        "ignore = [\"m/*.tf\"]\n[rules]\nSF208 = \"error\"\n",
    );
    assert_eq!(sb.run(&["validate", "m"]).code, 0);

    sb.write(".symflow.toml", "[rule]\nSF208 = \"off\"\n");
    let r = sb.run(&["validate", "m"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown field `rule`"), "{}", r.stderr);

    sb.write("other.toml", "[rules]\nnot-a-rule = \"off\"\n");
    let r = sb.run(&["validate", "--config", "other.toml", "m"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown rule `not-a-rule`"),
        "{}",
        r.stderr
    );
}

#[test]
fn ignore_comments_work_in_hcl_and_report_unknown_rules() {
    let sb = Sandbox::new();
    module(&sb, "m");
    sb.write(
        "m/main.tf",
        MAIN.replace(
            "  name           = \"approval\"",
            "  name           = \"approval\"\n  # symflow:ignore SF101\n  lable          = \"x\"\n  label2         = \"y\" // symflow:ignore unknown-attribute, SF999",
        ),
    );
    let r = sb.run(&["validate", "--format", "json", "m"]);
    let v = json(&r);
    let codes: Vec<_> = v["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert_eq!(codes, vec![serde_json::json!("SF010")], "{}", r.stdout);
    assert_eq!(r.code, 0);
}

#[test]
fn variables_come_from_flags_files_and_the_environment() {
    let sb = Sandbox::new();
    module(&sb, "m");
    sb.write("m/vars.tf", "variable \"flag\" {\n  type = string\n}\n");
    sb.write(
        "m/main.tf",
        MAIN.replace(
            "  params {",
            "  vars = {\n    flag = var.flag\n  }\n\n  params {",
        ),
    );
    // unknown: nothing to say
    assert_eq!(
        sb.run(&["validate", "m"]).stdout.lines().next(),
        Some("no problems found in 4 files")
    );
    let r = sb.run(&["validate", "--var", "flag=true", "m"]);
    assert!(r.stdout.contains("warning[SF208]"), "{}", r.stdout);
    let r = sb.run_cmd(sb.cmd().args(["validate", "m"]).env("TF_VAR_flag", "1"));
    assert!(
        r.stdout.contains("looks like an integer and a boolean"),
        "{}",
        r.stdout
    );
    sb.write("flags.tfvars", "flag = \"F\"\n");
    let r = sb.run(&["validate", "--var-file", "flags.tfvars", "m"]);
    assert!(r.stdout.contains("looks like a boolean"), "{}", r.stdout);
    let r = sb.run(&["validate", "--var", "flag", "m"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has no `=`"), "{}", r.stderr);
}

#[test]
fn a_var_for_an_undeclared_variable_is_refused_like_terraform_does() {
    let sb = Sandbox::new();
    module(&sb, "m");
    sb.write("m/vars.tf", "variable \"flag\" {\n  type = string\n}\n");
    // A typo would otherwise leave `flag` unset without a word.
    let r = sb.run(&["validate", "--var", "falg=true", "m"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("`--var falg=...` names no variable declared in the module `m`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `--var flag=...`?"),
        "{}",
        r.stderr
    );
    // Several modules: a variable declared in any of them is fine.
    module(&sb, "other");
    let r = sb.run(&["validate", "--var", "flag=x", "m", "other"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = sb.run(&["validate", "--var", "zzz=x", "m", "other"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("names no variable declared in the 2 modules validated"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("declared in the 2 modules validated: `flag`"),
        "{}",
        r.stderr
    );
    // TF_VAR_* for an undeclared variable is ignored, as Terraform does.
    let r = sb.run_cmd(sb.cmd().args(["validate", "other"]).env("TF_VAR_zzz", "1"));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn colour_only_when_asked() {
    let sb = Sandbox::new();
    module(&sb, "m");
    sb.write(
        "m/main.tf",
        MAIN.replace("type = \"string\"", "type = \"text\""),
    );
    assert!(!sb.run(&["validate", "m"]).stdout.contains('\u{1b}'));
    assert!(sb
        .run(&["--color", "always", "validate", "m"])
        .stdout
        .contains('\u{1b}'));
}

#[test]
fn a_finding_on_a_very_long_line_shows_a_window_of_it() {
    let sb = Sandbox::new();
    module(&sb, "m");
    // One line of 100,000 characters with a mistake near its end.
    let filler = "       7, ".repeat(10_000);
    sb.write(
        "m/extra.tf",
        format!("locals {{ xs = [{filler}local.nope] }}\n"),
    );
    let r = sb.run(&["validate", "m"]);
    assert!(
        r.stdout.contains("m/extra.tf:1:100016:"),
        "{}",
        &r.stdout[..r.stdout.len().min(2000)]
    );
    let widest = r.stdout.lines().map(|l| l.chars().count()).max();
    assert!(widest < Some(200), "a line of {widest:?} characters");
    let snippet = r
        .stdout
        .lines()
        .find(|l| l.starts_with("1 | "))
        .expect("the snippet line");
    assert!(snippet.contains("...") && snippet.ends_with("local.nope] }"));
    // The carets sit under the reference.
    let carets = r
        .stdout
        .lines()
        .find(|l| l.contains('^'))
        .expect("an underline");
    let at = snippet.find("local.nope").expect("reference");
    assert_eq!(carets.find('^'), Some(at), "{snippet}\n{carets}");
}

#[test]
fn the_pre_commit_hook_is_declared() {
    let text = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).expect("hooks file");
    assert!(text.contains("- id: symflow-validate"));
    assert!(text.contains("entry: symflow validate"));
    assert!(text.contains("pass_filenames: true"));
}

#[test]
fn every_init_output_validates_with_zero_findings() {
    for flow_type in symflow::scaffold::inputs::FLOW_TYPES {
        let sb = Sandbox::new();
        let mut args: Vec<String> = [
            "init",
            "m",
            "--no-input",
            "--org",
            "acme",
            "--slack-workspace-id",
            "T0123ABCD",
            "--flow-name",
            "access",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        args.extend(crate::support::type_args(flow_type));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = sb.run(&refs);
        assert_eq!(r.code, 0, "init {}: {}", flow_type.name(), r.stderr);
        // and a second flow of every type added to it
        for second in symflow::scaffold::inputs::FLOW_TYPES {
            let name = format!("second-{}", second.name());
            let mut args: Vec<String> = vec![
                "init".into(),
                "m".into(),
                "--no-input".into(),
                "--add-flow".into(),
                name,
            ];
            args.extend(crate::support::type_args(second));
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = sb.run(&refs);
            assert_eq!(r.code, 0, "init --add-flow {}: {}", second.name(), r.stderr);
        }
        let r = sb.run(&["validate", "--deny-warnings", "m"]);
        assert_eq!(
            r.code,
            0,
            "init --type {} output has findings:\n{}{}",
            flow_type.name(),
            r.stdout,
            r.stderr
        );
        assert!(
            r.stdout.starts_with("no problems found in "),
            "{}",
            r.stdout
        );
    }
}

#[test]
fn json_syntax_files_are_part_of_the_module() {
    let sb = Sandbox::new();
    module(&sb, "m");
    // The environment moves to JSON: the flow's reference to it must still
    // resolve, and findings in JSON point inside its strings.
    let main = MAIN.replace(
        "resource \"sym_environment\" \"prod\" {\n  name = \"prod\"\n  integrations = {\n    slack_id = sym_integration.slack.id\n  }\n}\n",
        "",
    );
    assert_ne!(main, MAIN, "the environment block was not found");
    sb.write("m/main.tf", &main);
    sb.write(
        "m/env.tf.json",
        "{\n  \"resource\": {\n    \"sym_environment\": {\n      \"prod\": {\n        \"name\": \"prod\",\n        \"integrations\": {\"slack_id\": \"${sym_integration.slack.id}\"}\n      }\n    }\n  }\n}\n",
    );
    let r = sb.run(&["validate", "m"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.starts_with("no problems found in 4 files"),
        "{}",
        r.stdout
    );

    // A typo in a JSON reference: reported at the reference in the string.
    sb.write(
        "m/env.tf.json",
        "{\n  \"resource\": {\n    \"sym_environment\": {\n      \"prod\": {\n        \"name\": \"prod\",\n        \"integrations\": {\"slack_id\": \"${sym_integration.slak.id}\"}\n      }\n    }\n  }\n}\n",
    );
    let r = sb.run(&["validate", "m", "--format", "json"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v = json(&r);
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "undeclared-reference", "{}", r.stdout);
    assert_eq!(d["file"], "m/env.tf.json", "{}", r.stdout);
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(41)),
        "{}",
        r.stdout
    );

    // A `"//"` comment property silences a rule, as `#` does in HCL.
    sb.write(
        "m/env.tf.json",
        "{\n  \"resource\": {\n    \"sym_environment\": {\n      \"prod\": {\n        \"name\": \"prod\",\n        \"//\": \"symflow:ignore SF201\",\n        \"integrations\": {\"slack_id\": \"${sym_integration.slak.id}\"}\n      }\n    }\n  }\n}\n",
    );
    let r = sb.run(&["validate", "m"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    // Broken JSON: a syntax error with its place; the other files load.
    sb.write(
        "m/env.tf.json",
        "{\n  \"resource\": {\n    \"sym_environment\": [1]\n  }\n}\n",
    );
    let r = sb.run(&["validate", "m"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("m/env.tf.json:3:25: error[SF001] invalid JSON configuration syntax: `resource` is a block with 1 more label"),
        "{}",
        r.stdout
    );
    // The flow's environment is in the broken file: no false SF201 on top.
    assert!(!r.stdout.contains("SF201"), "{}", r.stdout);

    // A `.tf.json` path means its module, as a `.tf` path does.
    let r = sb.run(&["validate", "m/env.tf.json", "--format", "json"]);
    assert_eq!(json(&r)["summary"]["files"], 4, "{}", r.stdout);
}
