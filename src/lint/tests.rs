//! Per-rule fixtures in the style of tflint's rule tests: each rule has a
//! module that must trigger it (its human output is snapshotted) and one
//! that must not. Every fixture is a real module on disk, loaded with
//! `module::load`, analysed and linted exactly as `symflow validate` does.

use std::collections::BTreeMap;
use std::path::Path;

use super::config::Config;
use super::{registry, runner};
use crate::diag::Diagnostic;
use crate::module::{self, LoadOptions};
use crate::output::Styles;
use crate::report::{Emitter, Human, Report};
use crate::source::SourceMap;

const VERSIONS_V3: &str = r#"terraform {
  required_providers {
    sym = {
      source  = "symopsio/sym"
      version = "~> 3.0"
    }
  }
}
"#;

const VERSIONS_V2: &str = r#"terraform {
  required_providers {
    sym = {
      source  = "symopsio/sym"
      version = "~> 2.1"
    }
  }
}
"#;

const BASE: &str = r#"provider "sym" {
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
"#;

/// A flow as provider 1.x took it.
const V1_FLOW: &str = r#"resource "sym_flow" "approval" {
  name           = "approval"
  label          = "Approval"
  template       = "sym:template:approval:1.0.0"
  implementation = "impl.py"
  environment_id = sym_environment.prod.id

  params = {
    prompt_fields_json = jsonencode([{ name = "reason", type = "string", required = true }])
  }
}
"#;

const IMPL: &str = r"from sym.sdk.annotations import reducer
from sym.sdk.request_permission import PermissionLevel, RequestPermission


@reducer
def get_permissions(event):
    return RequestPermission(
        webapp_view=PermissionLevel.MEMBER,
        approve_deny=PermissionLevel.MEMBER,
        allow_self_approval=False,
    )
";

const FILTER: &str = "def get_flows(user, flows, flows_filter_vars):\n    return flows\n";

/// A flow using the base environment, with `{}` replaced by extra params content.
fn flow(name: &str, params: &str) -> String {
    format!(
        r#"resource "sym_flow" "{name}" {{
  name           = "{name}"
  implementation = file("${{path.module}}/impl.py")
  environment_id = sym_environment.prod.id

  params {{
{params}
  }}
}}
"#
    )
}

struct Case {
    code: &'static str,
    major: u8,
    /// Extra files of the module that must trigger the rule.
    bad: Vec<(&'static str, Vec<u8>)>,
    /// Extra files of a similar module that must not.
    good: Vec<(&'static str, Vec<u8>)>,
}

fn case(code: &'static str, bad: &str, good: &str) -> Case {
    Case {
        code,
        major: 3,
        bad: vec![("case.tf", bad.as_bytes().to_vec())],
        good: vec![("case.tf", good.as_bytes().to_vec())],
    }
}

/// A local child module's variables (SF212: one with a default).
const CHILD_212: &str = "variable \"flow_name\" {\n  type    = string\n  default = \"x\"\n}\n";
/// SF213: two required variables and one whose default is null.
const CHILD_213: &str = "variable \"flow_name\" {\n  type = string\n}\n\nvariable \"region\" {}\n\nvariable \"label\" {\n  default = null\n}\n";

/// `case.tf` calling the module in `child/`, whose variables are `child`.
fn module_and_child(case: &str, child: &str) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("case.tf", case.as_bytes().to_vec()),
        ("child/vars.tf", child.as_bytes().to_vec()),
    ]
}

fn cases() -> Vec<Case> {
    let field = |name: &str, ty: &str, extra: &str| {
        format!(
            "    prompt_field {{\n      name = \"{name}\"\n      type = \"{ty}\"\n{extra}    }}\n"
        )
    };
    let okta_target = |settings: &str| {
        format!(
            "resource \"sym_target\" \"admins\" {{\n  type     = \"okta_group\"\n  name     = \"admins\"\n  settings = {{\n    {settings} = \"00g123\"\n  }}\n}}\n"
        )
    };
    let mut out = vec![
        case(
            "SF001",
            "resource \"sym_runtime\" \"this\" {\n  name = \"prod\"\n",
            "resource \"sym_runtime\" \"this\" {\n  name = \"prod\"\n}\n",
        ),
        Case {
            code: "SF002",
            major: 3,
            bad: vec![("broken.tf", b"locals {\n  x = \"\xff\xfe\"\n}\n".to_vec())],
            good: vec![("fine.tf", b"locals {\n  x = \"caf\xc3\xa9\"\n}\n".to_vec())],
        },
        case(
            "SF004",
            "module \"child\" {\n  source = \"./modules/nope\"\n}\n",
            "module \"remote\" {\n  source  = \"terraform-aws-modules/iam/aws\"\n  version = \"5.0.0\"\n}\n",
        ),
        case(
            "SF010",
            "resource \"sym_runtime\" \"this\" {\n  # symflow:ignore unknown-atribute\n  lable = \"x\"\n  name  = \"prod\"\n}\n",
            "resource \"sym_runtime\" \"this\" {\n  # symflow:ignore unknown-attribute -- kept for an old tool\n  lable = \"x\"\n  name  = \"prod\"\n}\n",
        ),
        case(
            "SF100",
            "resource \"sym_flows\" \"x\" {\n  name = \"x\"\n}\n",
            "data \"sym_runtime\" \"shared\" {\n  name = \"shared\"\n}\n",
        ),
        case(
            "SF101",
            &flow("approval", &field("reason", "string", "      lable = \"Why?\"\n")),
            &flow("approval", &field("reason", "string", "      label = \"Why?\"\n")),
        ),
        case(
            "SF102",
            "resource \"sym_runtime\" \"this\" {\n  name = \"prod\"\n  settings {\n    a = \"b\"\n  }\n}\n",
            "resource \"sym_runtime\" \"this\" {\n  name = \"prod\"\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n",
        ),
        case(
            "SF103",
            "resource \"sym_integration\" \"okta\" {\n  type = \"okta\"\n  name = \"okta\"\n  settings = {\n    api_token_secret = \"x\"\n  }\n}\n",
            "resource \"sym_integration\" \"okta\" {\n  type        = \"okta\"\n  name        = \"okta\"\n  external_id = \"dev-1.okta.com\"\n  settings = {\n    api_token_secret = \"x\"\n  }\n}\n",
        ),
        case(
            "SF104",
            &flow("approval", "    allowed_sources = \"slack\"\n"),
            &format!(
                "variable \"sources\" {{\n  type = list(string)\n}}\n\n{}",
                flow("approval", "    allowed_sources = var.sources\n    allow_revoke    = \"false\"\n")
            ),
        ),
        case(
            "SF105",
            &flow("approval", &field("reason", "text", "")),
            &flow("approval", &format!("{}    allowed_sources = [\"slack\", \"api\"]\n", field("reason", "str_list", ""))),
        ),
        case(
            "SF106",
            &format!(
                "resource \"sym_flow\" \"approval\" {{\n  name           = \"approval\"\n  implementation = file(\"${{path.module}}/impl.py\")\n  environment_id = sym_environment.prod.id\n\n  params {{\n    allow_revoke = true\n  }}\n\n  params {{\n{}  }}\n}}\n",
                field("reason", "string", "")
            ),
            &flow("approval", "    allow_revoke = true\n"),
        ),
        case("SF107", &okta_target("group_id").replace("okta_group", "okta_groups"), &okta_target("group_id")),
        case("SF108", &okta_target("group"), &okta_target("group_id")),
        case(
            "SF109",
            "resource \"sym_strategy\" \"sso\" {\n  type           = \"aws_sso\"\n  name           = \"sso\"\n  integration_id = \"x\"\n  targets        = []\n}\n",
            "variable \"settings\" {\n  type = map(string)\n}\n\nresource \"sym_strategy\" \"sso\" {\n  type           = \"aws_sso\"\n  name           = \"sso\"\n  integration_id = \"x\"\n  targets        = []\n  settings       = var.settings\n}\n",
        ),
        case(
            "SF110",
            &flow("approval", &field("approver", "slack_user", "      default = \"alice\"\n")),
            &flow("approval", &field("duration", "duration", "      default = \"1h\"\n      allowed_values = [\"1h\", \"4h\"]\n")),
        ),
        case(
            "SF201",
            "resource \"sym_runtime\" \"this\" {\n  name  = local.runtme_name\n  label = var.label\n}\n\nlocals {\n  runtime_name = \"prod\"\n}\n\nvariable \"label\" {\n  type = string\n}\n",
            "resource \"sym_runtime\" \"this\" {\n  name  = local.runtime_name\n  label = var.label\n}\n\nlocals {\n  runtime_name = \"prod\"\n}\n\nvariable \"label\" {\n  type = string\n}\n",
        ),
        Case {
            code: "SF202",
            major: 3,
            bad: vec![
                ("a.tf", b"resource \"sym_runtime\" \"this\" {\n  name = \"a\"\n}\n".to_vec()),
                ("b.tf", b"resource \"sym_runtime\" \"this\" {\n  name = \"b\"\n}\n".to_vec()),
            ],
            good: vec![
                ("a.tf", b"resource \"sym_runtime\" \"a\" {\n  name = \"a\"\n}\n".to_vec()),
                ("b.tf", b"data \"sym_runtime\" \"a\" {\n  name = \"a\"\n}\n".to_vec()),
            ],
        },
        case(
            "SF203",
            &format!("{}\n{}", flow("one", ""), flow("two", "").replace("name           = \"two\"", "name           = \"ONE\"")),
            &format!("{}\n{}", flow("one", ""), flow("two", "")),
        ),
        case(
            "SF204",
            &flow("approval", &format!("{}{}", field("reason", "string", ""), field("reason", "string", ""))),
            &flow("approval", &format!("{}{}", field("reason", "string", ""), field("urgency", "string", ""))),
        ),
        case(
            "SF205",
            &flow("approval", "").replace("file(\"${path.module}/impl.py\")", "\"impl.py\""),
            &flow("approval", ""),
        ),
        case(
            "SF206",
            &flow("approval", "").replace("/impl.py", "/impls/aproval.py"),
            "resource \"sym_strategy\" \"custom\" {\n  type           = \"custom\"\n  name           = \"custom\"\n  integration_id = \"x\"\n  targets        = []\n  implementation = \"impl.py\"\n}\n",
        ),
        case(
            "SF207",
            &flow("approval", "    allow_revoke          = false\n    schedule_deescalation = false\n"),
            &flow("approval", "    allow_revoke          = false\n    schedule_deescalation = true\n"),
        ),
        case(
            "SF208",
            &flow("approval", "").replace(
                "  params {",
                "  vars = {\n    auto_approve = true\n    max_hours    = \"+8\"\n    channel      = \"#ops\"\n  }\n\n  params {",
            ),
            &flow("approval", "").replace("  params {", "  vars = {\n    channel = \"#ops\"\n    users   = \"alice,bob\"\n  }\n\n  params {"),
        ),
        case(
            "SF209",
            "resource \"sym_strategy\" \"okta\" {\n  type    = \"okta\"\n  name    = \"okta\"\n  targets = []\n}\n\nresource \"sym_log_destination\" \"firehose\" {\n  type     = \"kinesis_firehose\"\n  settings = {\n    stream_name = \"s\"\n  }\n}\n",
            "resource \"sym_strategy\" \"hook\" {\n  type    = \"http\"\n  name    = \"hook\"\n  targets = []\n}\n\nresource \"sym_log_destination\" \"dd\" {\n  type = \"datadog\"\n}\n",
        ),
        Case {
            code: "SF214",
            major: 2,
            // A provider 1.x flow: `template`, and `params` as a map of
            // strings. Checked against 2.x it would be three errors.
            bad: vec![
                ("versions.tf", VERSIONS_V2.replace("~> 2.1", ">= 1.0.5, < 2.0.0").into_bytes()),
                ("case.tf", V1_FLOW.as_bytes().to_vec()),
            ],
            good: vec![("case.tf", flow("approval", "").replace("file(\"${path.module}/impl.py\")", "\"impl.py\"").into_bytes())],
        },
        Case {
            code: "SF210",
            major: 3,
            bad: vec![
                ("case.tf", b"resource \"sym_flows_filter\" \"a\" {\n  implementation = file(\"${path.module}/filter.py\")\n}\n\nresource \"sym_flows_filter\" \"b\" {\n  implementation = file(\"${path.module}/filter.py\")\n}\n".to_vec()),
                ("filter.py", FILTER.as_bytes().to_vec()),
            ],
            good: vec![
                ("case.tf", b"resource \"sym_flows_filter\" \"a\" {\n  implementation = file(\"${path.module}/filter.py\")\n}\n".to_vec()),
                ("filter.py", FILTER.as_bytes().to_vec()),
            ],
        },
        Case {
            code: "SF211",
            major: 3,
            bad: vec![
                ("case.tf", b"variable \"slack_channel\" {\n  type = string\n}\n".to_vec()),
                ("terraform.tfvars", b"slack_chanel = \"#access\"\n".to_vec()),
                ("extra.auto.tfvars.json", b"{\"other\": {\"slack_channel\": 1}, \"region\": \"x\"}\n".to_vec()),
            ],
            good: vec![
                ("case.tf", b"variable \"slack_channel\" {\n  type = string\n}\n".to_vec()),
                ("terraform.tfvars", b"slack_channel = \"#access\"\n".to_vec()),
                ("extra.auto.tfvars.json", b"{\"slack_channel\": \"#x\"}\n".to_vec()),
            ],
        },
        Case {
            code: "SF212",
            major: 3,
            bad: module_and_child(
                "module \"flow\" {\n  source    = \"./child\"\n  count     = 1\n  flow_nmae = \"okta\"\n  other     = 1\n}\n",
                CHILD_212,
            ),
            good: module_and_child(
                "module \"flow\" {\n  source    = \"./child\"\n  count     = 1\n  flow_name = \"okta\"\n}\n\nmodule \"remote\" {\n  source  = \"example/sym/aws\"\n  version = \"1.0\"\n  anything = 1\n}\n",
                CHILD_212,
            ),
        },
        Case {
            code: "SF213",
            major: 3,
            bad: module_and_child(
                "module \"flow\" {\n  source = \"./child\"\n  region = \"eu\"\n}\n",
                CHILD_213,
            ),
            good: module_and_child(
                "module \"flow\" {\n  source    = \"./child\"\n  region    = \"eu\"\n  flow_name = \"okta\"\n}\n",
                CHILD_213,
            ),
        },
    ];
    // Provider 2.x: `implementation` is a path, `str_list` does not exist.
    out.push(Case {
        code: "SF205",
        major: 2,
        bad: vec![("case.tf", flow("approval", "").into_bytes())],
        good: vec![(
            "case.tf",
            flow("approval", "")
                .replace("file(\"${path.module}/impl.py\")", "\"impl.py\"")
                .into_bytes(),
        )],
    });
    out.push(Case {
        code: "SF101",
        major: 2,
        bad: vec![(
            "case.tf",
            flow(
                "approval",
                &field("reason", "string", "      visible = false\n"),
            )
            .into_bytes(),
        )],
        good: vec![(
            "case.tf",
            flow(
                "approval",
                &field("reason", "string", "      prefetch = false\n"),
            )
            .replace("file(\"${path.module}/impl.py\")", "\"impl.py\"")
            .into_bytes(),
        )],
    });
    out
}

struct Outcome {
    diagnostics: Vec<Diagnostic>,
    human: String,
}

fn lint(major: u8, files: &[(&str, Vec<u8>)]) -> Outcome {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |rel: &str, bytes: &[u8]| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    };
    write(
        "versions.tf",
        if major >= 3 { VERSIONS_V3 } else { VERSIONS_V2 }.as_bytes(),
    );
    write("base.tf", BASE.as_bytes());
    write("impl.py", IMPL.as_bytes());
    for (rel, bytes) in files {
        write(rel, bytes);
    }
    lint_dir(dir.path())
}

/// Load, analyse and lint a module directory like `symflow validate` does;
/// the human output has the directory prefix removed.
fn lint_dir(dir: &Path) -> Outcome {
    let mut sources = SourceMap::new();
    let m = module::load(dir, &mut sources, &LoadOptions::default());
    let mut python = BTreeMap::new();
    for i in &m.implementations {
        if let crate::module::ImplementationSource::File { file: Some(id), .. }
        | crate::module::ImplementationSource::LiteralPath { file: Some(id), .. } = &i.source
        {
            python.insert(*id, crate::python::analyze(&sources.get(*id).text));
        }
    }
    let diagnostics = runner::run(&m, &sources, &python, &Config::default());
    let mut out = Vec::new();
    Human {
        styles: Styles { enabled: false },
    }
    .emit(
        &Report {
            diagnostics: &diagnostics,
            sources: &sources,
            files: sources.len(),
        },
        &mut out,
    )
    .expect("render");
    let prefix = format!("{}/", dir.display());
    let human = String::from_utf8_lossy(&out).replace(&prefix, "");
    Outcome { diagnostics, human }
}

#[test]
fn every_rule_has_a_fixture() {
    let cases = cases();
    for r in registry::RULES {
        let code = r.info().code;
        // SF003 (an empty directory) and SF005 (evaluation errors) are
        // covered by their own tests below.
        if code.starts_with("SF3") || code == "SF003" || code == "SF005" {
            continue;
        }
        assert!(
            cases.iter().any(|c| c.code == code),
            "{code} has no fixture"
        );
    }
}

#[test]
fn rule_fixtures() {
    let mut failures = Vec::new();
    for c in cases() {
        let bad = lint(c.major, &c.bad);
        if !bad.diagnostics.iter().any(|d| d.code == c.code) {
            failures.push(format!(
                "{} (v{}): positive case not reported:\n{}",
                c.code, c.major, bad.human
            ));
        }
        for d in &bad.diagnostics {
            let first = d.message.chars().next().unwrap_or(' ');
            if first.is_uppercase() || d.message.ends_with('.') || d.message.is_empty() {
                failures.push(format!(
                    "{}: message style (lowercase start, no trailing period): {:?}",
                    d.code, d.message
                ));
            }
        }
        let name = format!("{}_v{}", c.code, c.major);
        insta::assert_snapshot!(name, bad.human);
        let good = lint(c.major, &c.good);
        if !good.diagnostics.is_empty() {
            failures.push(format!(
                "{} (v{}): negative case has findings:\n{}",
                c.code, c.major, good.human
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_error_in_a_module_argument_is_reported_once_where_it_is_written() {
    let child = "variable \"flow_name\" {\n  type = string\n}\n\nresource \"sym_runtime\" \"r\" {\n  name  = var.flow_name\n  label = \"${var.flow_name}-runtime\"\n}\n";
    let out = lint(
        3,
        &module_and_child(
            "module \"flow\" {\n  source    = \"./child\"\n  flow_name = { a = \"x\" }.b\n}\n",
            child,
        ),
    );
    let found: Vec<String> = out
        .diagnostics
        .iter()
        .map(|d| {
            let s = d.span.expect("span");
            format!("{} {}@{}", d.code, d.message, s.start)
        })
        .collect();
    // One warning, at the argument in case.tf; none at the two uses of
    // `var.flow_name` inside the module.
    assert_eq!(found.len(), 1, "{}", out.human);
    assert!(
        out.human
            .starts_with("case.tf:3:15: warning[SF005] object has no attribute `b`"),
        "{}",
        out.human
    );
}

#[test]
fn an_error_in_a_module_output_is_reported_once_in_the_module() {
    let child = "output \"name\" {\n  value = { a = \"x\" }.b\n}\n";
    let out = lint(
        3,
        &module_and_child(
            "module \"flow\" {\n  source = \"./child\"\n}\n\nresource \"sym_runtime\" \"r\" {\n  name  = module.flow.name\n  label = \"${module.flow.name}-runtime\"\n}\n",
            child,
        ),
    );
    // One warning, in the output; none where the parent uses it.
    assert_eq!(out.diagnostics.len(), 1, "{}", out.human);
    assert!(
        out.human
            .starts_with("child/vars.tf:2:11: warning[SF005] object has no attribute `b`"),
        "{}",
        out.human
    );
}

#[test]
fn count_and_for_each_terraform_refuses_are_reported_where_written() {
    let out = lint(
        3,
        &[
            (
                "case.tf",
                b"resource \"sym_target\" \"t\" {\n  count    = -1\n  type     = \"aws_sso_permission_set\"\n  name     = \"t\"\n  label    = \"T\"\n  settings = { account_id = \"1\", permission_set_arn = \"a\" }\n}\n\nmodule \"both\" {\n  source   = \"./child\"\n  count    = 2\n  for_each = toset([\"a\"])\n}\n\nmodule \"remote\" {\n  source   = \"org/flows/sym\"\n  for_each = \"prod\"\n}\n\nmodule \"fine\" {\n  source   = \"./child\"\n  for_each = toset([\"a\"])\n}\n".to_vec(),
            ),
            ("child/main.tf", b"output \"x\" {\n  value = 1\n}\n".to_vec()),
        ],
    );
    let found: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "SF005")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(
        found,
        [
            "`count` must be a whole, non-negative number",
            "`count` and `for_each` cannot be used together: keep one",
            "`for_each` needs a map or a set of strings, not a string",
        ],
        "{}",
        out.human
    );
    assert!(
        out.human.contains("case.tf:2:14: warning[SF005]"),
        "{}",
        out.human
    );
    assert!(
        out.human.contains("case.tf:12:3: warning[SF005]"),
        "{}",
        out.human
    );
}

#[test]
fn names_and_flows_filters_are_per_sym_provider_configuration() {
    let case = |child_provider: &str| {
        lint(
            3,
            &[
                (
                    "case.tf",
                    format!("provider \"sym\" {{\n  alias       = \"sandbox\"\n  org         = \"acme-sandbox\"\n  jwt_env_var = \"SYM_SANDBOX_JWT\"\n}}\n\nresource \"sym_integration\" \"slack_sandbox\" {{\n  provider    = sym.sandbox\n  type        = \"slack\"\n  name        = \"slack\"\n  external_id = \"T0123ABCD\"\n}}\n\nresource \"sym_flows_filter\" \"f\" {{\n  implementation = file(\"${{path.module}}/filter.py\")\n}}\n\nmodule \"sandbox\" {{\n  source    = \"./child\"\n  providers = {{ sym = {child_provider} }}\n}}\n").into_bytes(),
                ),
                ("filter.py", FILTER.as_bytes().to_vec()),
                (
                    "child/main.tf",
                    b"resource \"sym_flows_filter\" \"f\" {\n  implementation = file(\"${path.module}/../filter.py\")\n}\n".to_vec(),
                ),
            ],
        )
    };
    // The sandbox's `slack` and filter are another organization's: no
    // clash with the default provider's `slack` (in BASE) and filter.
    let apart = case("sym.sandbox");
    assert!(
        !apart
            .diagnostics
            .iter()
            .any(|d| d.code == "SF203" || d.code == "SF210"),
        "{}",
        apart.human
    );
    // Through the default provider, the child's filter is a second one.
    let together = case("sym");
    let codes: Vec<&str> = together.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["SF210"], "{}", together.human);
}

#[test]
fn a_strategy_implementation_is_a_path_in_every_provider_version() {
    let strategy = |implementation: &str| {
        format!("resource \"sym_strategy\" \"custom\" {{\n  type           = \"custom\"\n  name           = \"custom\"\n  integration_id = \"x\"\n  targets        = []\n  implementation = {implementation}\n}}\n").into_bytes()
    };
    for major in [2, 3] {
        let sf205 = |o: &Outcome| -> Vec<String> {
            o.diagnostics
                .iter()
                .filter(|d| d.code == "SF205")
                .map(|d| d.message.clone())
                .collect()
        };
        let contents = lint(
            major,
            &[("case.tf", strategy("file(\"${path.module}/impl.py\")"))],
        );
        assert_eq!(
            sf205(&contents),
            ["`implementation` of sym_strategy.custom passes the file's contents; the provider reads a strategy's implementation as a file path, in every version"],
            "v{major}: {}",
            contents.human
        );
        assert!(
            contents
                .human
                .contains("use `implementation = \"./impl.py\"`"),
            "{}",
            contents.human
        );
        let inline = lint(
            major,
            &[(
                "case.tf",
                strategy("<<-EOT\n    def get_permissions(event):\n        return []\n  EOT"),
            )],
        );
        assert_eq!(sf205(&inline).len(), 1, "v{major}: {}", inline.human);
        let path = lint(
            major,
            &[("case.tf", strategy("\"${path.module}/impl.py\""))],
        );
        assert!(sf205(&path).is_empty(), "v{major}: {}", path.human);
    }
}

#[test]
fn features_newer_than_a_pinned_or_locked_3x_provider_are_reported() {
    let case = r#"resource "sym_flows_filter" "f" {
  implementation = file("${path.module}/filter.py")
}
"#;
    let files = |version: &str, lock: Option<&str>| {
        let mut files = vec![
            ("case.tf", case.as_bytes().to_vec()),
            ("filter.py", FILTER.as_bytes().to_vec()),
            (
                "versions.tf",
                VERSIONS_V3.replace("~> 3.0", version).into_bytes(),
            ),
        ];
        if let Some(l) = lock {
            files.push((
                ".terraform.lock.hcl",
                format!("provider \"registry.terraform.io/symopsio/sym\" {{\n  version     = \"{l}\"\n  constraints = \"~> 3.0\"\n}}\n").into_bytes(),
            ));
        }
        files
    };
    let sf100 = |o: &Outcome| -> Vec<String> {
        o.diagnostics
            .iter()
            .filter(|d| d.code == "SF100")
            .map(|d| d.message.clone())
            .collect()
    };
    let needs = ["resource type `sym_flows_filter` needs provider 3.5.0 or later"];
    for (version, lock) in [
        ("3.1.0", None),
        ("~> 3.4.0", None),
        ("~> 3.0", Some("3.4.2")),
    ] {
        let o = lint(3, &files(version, lock));
        assert_eq!(sf100(&o), needs, "{version} {lock:?}: {}", o.human);
    }
    for (version, lock) in [
        ("~> 3.0", None),
        ("~> 3.5.0", None),
        ("~> 3.0", Some("3.6.0")),
    ] {
        let o = lint(3, &files(version, lock));
        assert!(sf100(&o).is_empty(), "{version} {lock:?}: {}", o.human);
    }
}

#[test]
fn references_to_attributes_a_sym_resource_does_not_have_are_reported() {
    let out = lint(
        3,
        &[(
            "case.tf",
            br#"data "sym_integration" "okta" {
  type = "okta"
  name = "okta"
}

resource "sym_target" "t" {
  count    = 2
  type     = "okta_group"
  name     = "t${count.index}"
  settings = { group_id = "00g1" }
}

locals {
  good = [
    sym_integration.slack.id,
    sym_integration.slack.external_id,
    sym_environment.prod.integrations["slack_id"],
    data.sym_integration.okta.settings,
    sym_target.t[0].id,
    sym_target.t[*].id,
  ]
}

resource "sym_strategy" "s" {
  type           = "okta"
  name           = "s"
  integration_id = data.sym_integration.okta.uuid
  targets        = [sym_target.t[0].arn, sym_target.t.1.arn]
  depends_on     = [sym_environment.prod]
}

resource "sym_runtime" "r" {
  name = sym_environment.prod.nme
}
"#
            .to_vec(),
        )],
    );
    let found: Vec<&str> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "SF201")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        found,
        [
            "`data.sym_integration.okta` has no attribute `uuid`",
            "`sym_target.t` has no attribute `arn`",
            "`sym_target.t` has no attribute `arn`",
            "`sym_environment.prod` has no attribute `nme`",
        ],
        "{}",
        out.human
    );
    assert!(out.human.contains("did you mean `name`?"), "{}", out.human);
    // Reported once: not again as an evaluation error (SF005).
    assert!(
        !out.diagnostics.iter().any(|d| d.code == "SF005"),
        "{}",
        out.human
    );
}

#[test]
fn a_required_attribute_written_null_is_missing() {
    let out = lint(
        3,
        &[(
            "case.tf",
            b"variable \"workspace\" {\n  type    = string\n  default = null\n}\n\nresource \"sym_integration\" \"a\" {\n  type        = \"slack\"\n  name        = \"a\"\n  external_id = null\n}\n\nresource \"sym_integration\" \"b\" {\n  type        = \"slack\"\n  name        = \"b\"\n  external_id = var.workspace\n}\n".to_vec(),
        )],
    );
    let found: Vec<&str> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "SF103")
        .map(|d| d.message.as_str())
        .collect();
    // The literal only: a variable's null default may be overridden where
    // the module is applied.
    assert_eq!(
        found,
        ["the required attribute `external_id` of sym_integration.a is null"],
        "{}",
        out.human
    );
    assert!(
        out.human.contains("case.tf:9:17: error[SF103]"),
        "{}",
        out.human
    );
}

#[test]
fn settings_seen_in_syms_public_examples_are_known() {
    // Shapes from Sym's public example repositories: none is a typo.
    let tf = r#"resource "sym_integration" "runtime_context" {
  type        = "permission_context"
  name        = "runtime"
  external_id = "123456789012"
  settings = {
    cloud       = "aws"
    region      = "us-east-1"
    role_arn    = "arn:aws:iam::123456789012:role/sym/runtime"
    external_id = "e"
    account_id  = "123456789012"
  }
}

resource "sym_integration" "custom" {
  type        = "custom"
  name        = "custom"
  external_id = "custom"
  settings = {
    api_token_secret = "s"
  }
}

resource "sym_target" "member" {
  type  = "onelogin_role"
  name  = "member"
  label = "Member"
  settings = {
    role_id         = "123467"
    privilege_level = "member"
  }
}
"#;
    let out = lint(3, &[("case.tf", tf.as_bytes().to_vec())]);
    assert!(out.diagnostics.is_empty(), "{}", out.human);
    // A real typo next to them is still reported.
    let typo = tf.replace("privilege_level", "privilege_levle");
    let out = lint(3, &[("case.tf", typo.into_bytes())]);
    assert!(
        out.diagnostics.iter().any(|d| d.code == "SF108"),
        "{}",
        out.human
    );
}

#[test]
fn a_flows_filter_in_a_module_with_known_instances_counts_once_per_instance() {
    let filter_module = b"resource \"sym_flows_filter\" \"f\" {\n  implementation = file(\"${path.module}/filter.py\")\n}\n".to_vec();
    let outcome = |instances: &str| {
        lint(
            3,
            &[
                (
                    "case.tf",
                    format!("module \"filters\" {{\n  for_each = {instances}\n  source   = \"./filters\"\n}}\n").into_bytes(),
                ),
                ("filters/main.tf", filter_module.clone()),
                ("filters/filter.py", FILTER.as_bytes().to_vec()),
            ],
        )
    };
    let sf210 = |o: &Outcome| -> Vec<String> {
        o.diagnostics
            .iter()
            .filter(|d| d.code == "SF210")
            .map(|d| d.message.clone())
            .collect()
    };
    let two = outcome("toset([\"a\", \"b\"])");
    assert_eq!(
        sf210(&two),
        ["module.filters[\"b\"].sym_flows_filter.f repeats the flows filter module.filters[\"a\"].sym_flows_filter.f; an organization has only one"],
        "{}",
        two.human
    );
    // Instances at one place make one finding that names them, not one
    // finding per instance at the same line.
    let five = outcome("toset([\"a\", \"b\", \"c\", \"d\", \"e\"])");
    assert_eq!(
        sf210(&five),
        ["module.filters[\"b\"].sym_flows_filter.f, module.filters[\"c\"].sym_flows_filter.f, module.filters[\"d\"].sym_flows_filter.f and 1 more repeat the flows filter module.filters[\"a\"].sym_flows_filter.f; an organization has only one"],
        "{}",
        five.human
    );
    // A filter at the root too: the instances are further filters, and the
    // finding points at the root one.
    let root = lint(
        3,
        &[
            (
                "case.tf",
                b"resource \"sym_flows_filter\" \"root\" {\n  implementation = file(\"${path.module}/filter.py\")\n}\n\nmodule \"filters\" {\n  count  = 2\n  source = \"./filters\"\n}\n".to_vec(),
            ),
            ("filter.py", FILTER.as_bytes().to_vec()),
            ("filters/main.tf", filter_module.clone()),
            ("filters/filter.py", FILTER.as_bytes().to_vec()),
        ],
    );
    assert_eq!(
        sf210(&root),
        ["module.filters[0].sym_flows_filter.f and module.filters[1].sym_flows_filter.f are further flows filters; an organization has only one"],
        "{}",
        root.human
    );
    assert!(
        root.human
            .contains("sym_flows_filter.root is declared here"),
        "{}",
        root.human
    );
    let one = outcome("toset([\"a\"])");
    assert!(
        !one.diagnostics.iter().any(|d| d.code == "SF210"),
        "{}",
        one.human
    );
}

#[test]
fn names_are_compared_across_known_instances_of_a_module() {
    let outcome = |name: &str| {
        lint(
            3,
            &[
                (
                    "case.tf",
                    b"module \"env\" {\n  for_each = toset([\"a\", \"b\"])\n  source   = \"./env\"\n  key      = each.key\n}\n".to_vec(),
                ),
                (
                    "env/main.tf",
                    format!("variable \"key\" {{}}\n\nresource \"sym_environment\" \"e\" {{\n  name = {name}\n}}\n").into_bytes(),
                ),
            ],
        )
    };
    // Both instances would be the environment `prod` in Sym.
    let same = outcome("\"prod\"");
    assert!(
        same.diagnostics.iter().any(|d| d.code == "SF203"
            && d.message.contains("module.env[\"b\"].sym_environment.e")),
        "{}",
        same.human
    );
    let apart = outcome("\"prod-${var.key}\"");
    assert!(
        !apart.diagnostics.iter().any(|d| d.code == "SF203"),
        "{}",
        apart.human
    );
}

#[test]
fn vars_from_a_variable_default_say_so_in_the_help() {
    let reads = "from sym.sdk.annotations import reducer\nfrom sym.sdk.request_permission import PermissionLevel, RequestPermission\n\n\n@reducer\ndef get_permissions(event):\n    return RequestPermission(webhook=event.flow.vars[\"request_channel\"], approver_permission=PermissionLevel.MEMBER)\n";
    let module = |vars_line: &str, tfvars: Option<&str>| {
        let mut files = vec![
            (
                "case.tf",
                flow("approval", "")
                    .replace("  params {\n\n  }\n", &format!("  {vars_line}\n"))
                    .into_bytes(),
            ),
            (
                "vars.tf",
                b"variable \"flow_vars\" {\n  type    = map(string)\n  default = {}\n}\n".to_vec(),
            ),
            ("impl.py", reads.as_bytes().to_vec()),
        ];
        if let Some(t) = tfvars {
            files.push(("terraform.tfvars", t.as_bytes().to_vec()));
        }
        lint(3, &files)
    };
    let help = |o: &Outcome| {
        o.diagnostics
            .iter()
            .find(|d| d.code == "SF311")
            .and_then(|d| d.help.clone())
            .unwrap_or_else(|| panic!("no SF311:\n{}", o.human))
    };
    // The default is what symflow sees: the hint names the variable.
    let from_default = module("vars = var.flow_vars", None);
    assert!(
        help(&from_default).contains("`var.flow_vars`, whose value here is its default"),
        "{}",
        from_default.human
    );
    // The older `"${...}"` form (and the JSON syntax's) says the same.
    let interpolated = module("vars = \"${var.flow_vars}\"", None);
    assert!(
        help(&interpolated).contains("`var.flow_vars`, whose value here is its default"),
        "{}",
        interpolated.human
    );
    // A tfvars value without the key: the key is missing, plainly.
    let from_tfvars = module(
        "vars = var.flow_vars",
        Some("flow_vars = { team = \"x\" }\n"),
    );
    assert_eq!(
        help(&from_tfvars),
        "add `request_channel` to the `vars` of `sym_flow.approval`"
    );
    // Written out in the flow: the plain hint too.
    let literal = module("vars = { team = \"x\" }", None);
    assert_eq!(
        help(&literal),
        "add `request_channel` to the `vars` of `sym_flow.approval`"
    );
}

#[test]
fn an_empty_directory_has_no_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("README.md"), "hi").expect("write");
    let out = lint_dir(dir.path());
    assert!(
        out.diagnostics.iter().any(|d| d.code == "SF003"),
        "{}",
        out.human
    );
}

#[test]
fn ignore_comments_silence_only_their_rule_and_lines() {
    let tf = "resource \"sym_runtime\" \"a\" {\n  name  = \"a\"\n  lable = \"x\" # symflow:ignore SF101\n}\n\nresource \"sym_runtime\" \"b\" {\n  name  = \"b\"\n  # symflow:ignore missing-required\n  lable = \"x\"\n}\n";
    let out = lint(3, &[("case.tf", tf.as_bytes().to_vec())]);
    let codes: Vec<_> = out.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["SF101"], "{}", out.human);
    assert!(out.human.contains("case.tf:9:3"), "{}", out.human);
}

#[test]
fn an_impl_shared_by_module_calls_is_checked_once_against_all_of_them() {
    let child = "variable \"name\" { type = string }\nvariable \"field\" { type = string }\nvariable \"vars\" { type = map(string) }\n\nresource \"sym_flow\" \"this\" {\n  name           = var.name\n  implementation = file(\"${path.module}/impl.py\")\n  environment_id = \"env\"\n  vars           = var.vars\n\n  params {\n    prompt_field {\n      name = var.field\n      type = \"string\"\n    }\n  }\n}\n";
    let reads = "from sym.sdk.annotations import reducer\nfrom sym.sdk.request_permission import PermissionLevel, RequestPermission\n\n\n@reducer\ndef get_permissions(event):\n    event.payload.fields.get(\"urgency\"), event.payload.fields.get(\"reason\")\n    event.flow.vars.get(\"escalation_channel\")\n    return RequestPermission(webapp_view=PermissionLevel.ADMIN, approve_deny=PermissionLevel.MEMBER)\n";
    let outcome = |eng_vars: &str| {
        lint(
            3,
            &[
                (
                    "case.tf",
                    format!("module \"eng\" {{\n  source = \"./flow\"\n  name   = \"eng\"\n  field  = \"urgency\"\n  vars   = {{ request_channel = \"#eng\"{eng_vars} }}\n}}\n\nmodule \"ops\" {{\n  source = \"./flow\"\n  name   = \"ops\"\n  field  = \"notes\"\n  vars   = {{ request_channel = \"#ops\" }}\n}}\n").into_bytes(),
                ),
                ("flow/main.tf", child.as_bytes().to_vec()),
                ("flow/impl.py", reads.as_bytes().to_vec()),
            ],
        )
    };
    let found = |o: &Outcome, code: &str| -> Vec<String> {
        o.diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| d.message.clone())
            .collect()
    };
    // A key or field one module call declares is declared for the shared
    // file: no finding for the calls that lack it.
    let set = outcome(", escalation_channel = \"#eng-oncall\"");
    assert_eq!(found(&set, "SF311"), Vec::<String>::new(), "{}", set.human);
    // Declared by no call: one finding per read, naming every flow.
    let unset = outcome("");
    assert_eq!(
        found(&unset, "SF311"),
        ["`escalation_channel` is not in the `vars` of `module.eng.sym_flow.this`, `module.ops.sym_flow.this`"],
        "{}",
        unset.human
    );
    // `urgency` is eng's field; `reason` is nobody's (ops's is `notes`).
    assert_eq!(
        found(&unset, "SF310"),
        ["field `reason` is not a prompt_field of `module.eng.sym_flow.this`, `module.ops.sym_flow.this`"],
        "{}",
        unset.human
    );
}

#[test]
fn sdk_names_imported_from_the_wrong_module_are_reported_with_their_home() {
    let imports = "from sym.sdk.annotations import reducer\nfrom sym.sdk.templates import ApprovalTemplate, hook\nfrom sym.sdk import Notification, Environment, slack\nfrom sym.sdk.event import User\n";
    let out = lint(
        3,
        &[
            ("case.tf", flow("approval", "").into_bytes()),
            (
                "impl.py",
                format!("{imports}{}", &IMPL[IMPL.find('\n').unwrap_or(0) + 1..]).into_bytes(),
            ),
        ],
    );
    let sf307: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "SF307")
        .map(|d| (d.message.as_str(), d.help.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(
        sf307,
        [
            (
                "`sym.sdk.templates` has no `hook`",
                "`hook` is in `sym.sdk.annotations`"
            ),
            (
                "`sym.sdk` has no `Notification`",
                "`Notification` is in `sym.sdk.notifications`"
            ),
        ],
        "{}",
        out.human
    );
}
