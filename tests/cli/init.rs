//! `symflow init`: generated files (snapshots), safety (no overwrite, all or
//! nothing, no escaping DIR), `--add-flow`, `--template-dir`, the prompts on a
//! real pseudo-terminal, and escaping of hostile values.

use std::collections::BTreeMap;
use std::path::Path;

use symflow::cli::FlowType;
use symflow::scaffold::existing::ExistingModule;
use symflow::scaffold::inputs::{Field, FLOW_TYPES};
use symflow::scaffold::{self, Inputs, Mode, TemplateSet};

use crate::support::{fixed_value, type_args, Sandbox};

fn init_args(dir: &str, flow_type: FlowType) -> Vec<String> {
    let mut args: Vec<String> = [
        "init",
        dir,
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
    args.extend(type_args(flow_type));
    args
}

fn run(sb: &Sandbox, args: &[String]) -> crate::support::Run {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    sb.run(&refs)
}

/// Every file under `dir`, by relative path (with `/`).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("inside").to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// `.tf` and `.hcl` files.
fn is_hcl(path: &str) -> bool {
    Path::new(path)
        .extension()
        .is_some_and(|e| e == "tf" || e == "hcl")
}

fn render_tree(files: &BTreeMap<String, Vec<u8>>) -> String {
    files
        .iter()
        .map(|(path, bytes)| format!("=== {path} ===\n{}", String::from_utf8_lossy(bytes)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_type_generates_a_complete_module() {
    for flow_type in FLOW_TYPES {
        let sb = Sandbox::new();
        let r = run(&sb, &init_args("mod", flow_type));
        assert_eq!(r.code, 0, "{}: {}", flow_type.name(), r.stderr);
        let files = tree(&sb.join("mod"));
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                ".gitignore",
                ".pre-commit-config.yaml",
                "README.md",
                "impl.py",
                "main.tf",
                "tests/access.symtest.hcl",
                "versions.tf"
            ],
            "{}",
            flow_type.name()
        );
        insta::assert_snapshot!(
            format!("new_module_{}", flow_type.name()),
            render_tree(&files)
        );
        for (path, bytes) in &files {
            let text = String::from_utf8(bytes.clone()).expect("utf-8");
            if is_hcl(path) {
                hcl::parse(&text).unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
            }
        }
        assert_python_parses(&[String::from_utf8(files["impl.py"].clone()).expect("utf-8")]);
    }
}

#[test]
fn output_lists_files_and_the_next_three_commands() {
    let sb = Sandbox::new();
    let r = run(&sb, &init_args("acme-sym", FlowType::Okta));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(
        "init_output",
        format!("--- stdout\n{}--- stderr\n{}", r.stdout, r.stderr)
    );
}

#[test]
fn the_bundled_example_is_exactly_what_init_writes() {
    let sb = Sandbox::new();
    let r = sb.run(&[
        "init",
        "approval",
        "--no-input",
        "--org",
        "acme",
        "--slack-workspace-id",
        "T0123ABCD",
        "--flow-name",
        "approval",
        "--type",
        "approval",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/approval");
    let expected = tree(&example);
    let actual = tree(&sb.join("approval"));
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        actual.keys().collect::<Vec<_>>(),
        "regenerate examples/approval with the command in this test"
    );
    for (path, bytes) in &expected {
        assert!(
            actual[path] == *bytes,
            "examples/approval/{path} differs from what init writes"
        );
    }
}

#[test]
fn rerunning_without_force_changes_no_byte() {
    let sb = Sandbox::new();
    assert_eq!(run(&sb, &init_args("m", FlowType::Approval)).code, 0);
    sb.write("m/impl.py", "# my own logic\n");
    let before = tree(&sb.join("m"));
    let r = run(&sb, &init_args("m", FlowType::Approval));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("already exist in m"), "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(tree(&sb.join("m")), before);

    let r = run(
        &sb,
        &[init_args("m", FlowType::Approval), vec!["--force".into()]].concat(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Replaced m/impl.py"), "{}", r.stderr);
    assert_ne!(sb.read("m/impl.py"), "# my own logic\n");
}

#[test]
fn no_input_names_every_missing_flag_at_once() {
    let sb = Sandbox::new();
    let r = sb.run(&["init", "x", "--no-input"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("missing required values: --org, --slack-workspace-id, --type"),
        "{}",
        r.stderr
    );
    let r = sb.run(&[
        "init",
        "x",
        "--no-input",
        "--type",
        "aws-sso",
        "--org",
        "acme",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "missing required values: --slack-workspace-id, --sso-instance-arn, --sso-permission-set-arn, --aws-account-id, --aws-role-arn"
        ),
        "{}",
        r.stderr
    );
    // A non-terminal stdin never prompts either.
    let r = sb.run(&["init", "x", "--org", "acme", "--type", "approval"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("missing required value: --slack-workspace-id"),
        "{}",
        r.stderr
    );
    assert!(!sb.join("x").exists());
}

#[test]
fn invalid_values_are_refused_with_the_rule() {
    let sb = Sandbox::new();
    for (flag, value, needle) in [
        (
            "--org",
            "Acme Corp",
            "lowercase letters, digits and hyphens",
        ),
        ("--slack-workspace-id", "acme", "like T0123ABCD"),
        ("--flow-name", "../escape", "lowercase letters"),
    ] {
        let mut args = vec!["init", "x", "--no-input", "--type", "approval"];
        let defaults = [("--org", "acme"), ("--slack-workspace-id", "T0123ABCD")];
        for (f, v) in defaults {
            if f != flag {
                args.extend([f, v]);
            }
        }
        args.extend([flag, value]);
        let r = sb.run(&args);
        assert_eq!(r.code, 2, "{flag}");
        assert!(
            r.stderr.contains(&format!("invalid {flag}")),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains(needle), "{}", r.stderr);
    }
    let r = sb.run(&[
        "init",
        "x",
        "--no-input",
        "--org",
        "acme",
        "--slack-workspace-id",
        "T0123ABCD",
        "--type",
        "aws-iam",
        "--iam-group",
        "Admins",
        "--aws-account-id",
        "123456789012",
        "--aws-role-arn",
        "arn:aws:iam::123456789012:user/bob",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid --aws-role-arn"), "{}", r.stderr);
    assert!(!sb.join("x").exists());
}

#[test]
fn flags_for_another_type_are_warned_about() {
    let sb = Sandbox::new();
    let mut args = init_args("m", FlowType::Approval);
    args.extend(["--okta-domain".into(), "acme.okta.com".into()]);
    let r = run(&sb, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: --okta-domain is not used by approval flows"),
        "{}",
        r.stderr
    );
}

#[test]
fn add_flow_adds_three_files_and_touches_nothing_else() {
    for flow_type in FLOW_TYPES {
        let sb = Sandbox::new();
        assert_eq!(run(&sb, &init_args("m", FlowType::Approval)).code, 0);
        let before = tree(&sb.join("m"));
        let mut args: Vec<String> = ["init", "m", "--no-input", "--add-flow", "db-access"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        args.extend(type_args(flow_type));
        let r = run(&sb, &args);
        assert_eq!(r.code, 0, "{}: {}", flow_type.name(), r.stderr);
        let after = tree(&sb.join("m"));
        let mut added = BTreeMap::new();
        for (path, bytes) in &after {
            match before.get(path) {
                Some(old) => assert_eq!(old, bytes, "{path} changed"),
                None => {
                    added.insert(path.clone(), bytes.clone());
                }
            }
        }
        assert_eq!(
            added.keys().map(String::as_str).collect::<Vec<_>>(),
            [
                "db-access.tf",
                "impls/db-access.py",
                "tests/db-access.symtest.hcl"
            ]
        );
        let tf = String::from_utf8(added["db-access.tf"].clone()).expect("utf-8");
        assert!(
            tf.contains("environment_id = sym_environment.this.id"),
            "{tf}"
        );
        assert!(
            tf.contains("file(\"${path.module}/impls/db-access.py\")"),
            "{tf}"
        );
        hcl::parse(&tf).expect("flow file parses");
        // Together with the module it still parses as one body.
        let all: String = after
            .iter()
            .filter(|(p, _)| Path::new(p.as_str()).extension().is_some_and(|e| e == "tf"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
        hcl::parse(&all).expect("module parses");
        insta::assert_snapshot!(
            format!("add_flow_{}", flow_type.name()),
            render_tree(&added)
        );
        if flow_type == FlowType::Pagerduty {
            assert!(
                r.stderr
                    .contains("add `pagerduty_id = sym_integration.db_access_pagerduty.id`"),
                "{}",
                r.stderr
            );
        }
    }
}

#[test]
fn add_flow_refuses_clashes_and_missing_modules() {
    let sb = Sandbox::new();
    let r = sb.run(&[
        "init",
        "nothing-here",
        "--no-input",
        "--add-flow",
        "x",
        "--type",
        "approval",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not a directory with a Sym module"),
        "{}",
        r.stderr
    );

    assert_eq!(run(&sb, &init_args("m", FlowType::Approval)).code, 0);
    // `access` already exists as sym_flow.access in main.tf: even --force
    // (which would replace tests/access.symtest.hcl) must not declare it twice.
    let before = tree(&sb.join("m"));
    let r = sb.run(&[
        "init",
        "m",
        "--no-input",
        "--add-flow",
        "access",
        "--type",
        "approval",
        "--force",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("already declares sym_flow.access"),
        "{}",
        r.stderr
    );
    assert_eq!(tree(&sb.join("m")), before);

    let r = sb.run(&[
        "init",
        "m",
        "--no-input",
        "--add-flow",
        "../up",
        "--type",
        "approval",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid --add-flow"), "{}", r.stderr);
}

#[test]
fn template_dir_overrides_templates_by_path() {
    let sb = Sandbox::new();
    sb.write(
        "tpl/shared/README.md.hbs",
        "# {{org}} / {{environment}}\n\nFlow {{flow_name}} ({{flow_type}}), label {{flow_label}}.\n",
    );
    sb.write(
        "tpl/approval/impl.py.hbs",
        "# {{flow_name}}\nfrom sym.sdk.annotations import reducer\n\n\n@reducer\ndef get_permissions(event):\n    return None\n",
    );
    let mut args = init_args("m", FlowType::Approval);
    args.extend(["--template-dir".into(), "tpl".into()]);
    let r = run(&sb, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        sb.read("m/README.md"),
        "# acme / prod\n\nFlow access (approval), label Access.\n"
    );
    assert!(sb.read("m/impl.py").starts_with("# access\n"));
    // Templates not overridden are the built-in ones.
    assert!(sb
        .read("m/main.tf")
        .contains("resource \"sym_flow\" \"access\""));

    // A missing variable is an error (strict mode) and nothing is written.
    sb.write("bad/shared/versions.tf.hbs", "# {{no_such_variable}}\n");
    let mut args = init_args("n", FlowType::Approval);
    args.extend(["--template-dir".into(), "bad".into()]);
    let r = run(&sb, &args);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no_such_variable"), "{}", r.stderr);
    assert!(!sb.join("n").exists());

    // A file that matches no template is a typo, not something to ignore.
    sb.write("typo/shared/mian.tf.hbs", "x\n");
    let mut args = init_args("n", FlowType::Approval);
    args.extend(["--template-dir".into(), "typo".into()]);
    let r = run(&sb, &args);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("matches no template"), "{}", r.stderr);
}

#[test]
fn template_variables_are_documented_in_the_readme() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let section = readme
        .split("### Template variables")
        .nth(1)
        .expect("README has a Template variables section");
    for flow_type in FLOW_TYPES {
        for mode in [Mode::NewModule, Mode::AddFlow(sample_module("prod"))] {
            let inputs = fixed_inputs(flow_type);
            let vars = scaffold::variables(&inputs, &mode);
            for key in vars.as_object().expect("object").keys() {
                assert!(
                    section.contains(&format!("`{key}`")),
                    "README lacks `{key}`"
                );
            }
        }
    }
}

#[test]
fn an_interrupted_forced_init_leaves_the_old_files_intact() {
    use symflow::commands::{init, Context};
    use symflow::output::{NoPrompter, Ui};
    use symflow::scaffold::write::{AtomicWriter, FailAfter};

    let sb = Sandbox::new();
    assert_eq!(run(&sb, &init_args("m", FlowType::Approval)).code, 0);
    sb.write("m/main.tf", "# edited by hand\n");
    let before = tree(&sb.join("m"));
    for ok in 0..7 {
        let mut argv = vec!["symflow".to_owned()];
        argv.extend(init_args(
            &sb.join("m").display().to_string(),
            FlowType::Okta,
        ));
        argv.push("--force".into());
        let cli = <symflow::cli::Cli as clap::Parser>::try_parse_from(&argv).expect("parses");
        let symflow::cli::Command::Init(args) = cli.command else {
            panic!("not init")
        };
        let (ui, _) = Ui::capture();
        let mut out = Vec::new();
        let mut ctx = Context { ui, out: &mut out };
        let mut writer = FailAfter {
            inner: AtomicWriter,
            ok,
        };
        let err =
            init::run_with(&args, &mut ctx, &NoPrompter, &mut writer).expect_err("the write fails");
        assert!(err.to_string().contains("simulated write failure"), "{err}");
        assert_eq!(tree(&sb.join("m")), before, "after {ok} good writes");
    }
}

fn sample_module(env: &str) -> ExistingModule {
    ExistingModule {
        environment_resource: "main".to_owned(),
        environment_name: env.to_owned(),
        integration_keys: vec!["slack_id".to_owned()],
        environment_file: "main.tf".into(),
        resources: BTreeMap::new(),
    }
}

fn fixed_inputs(flow_type: FlowType) -> Inputs {
    let mut values = BTreeMap::new();
    for field in scaffold::required_fields(flow_type, false) {
        values.insert(field, fixed_value(field).to_owned());
    }
    Inputs { flow_type, values }
}

/// Parse Python sources with the machine's python3; panics with the error.
fn assert_python_parses(sources: &[String]) {
    use std::io::Write as _;
    let script = "import ast, json, sys\nfor i, src in enumerate(json.load(sys.stdin)):\n    try:\n        ast.parse(src)\n    except SyntaxError as e:\n        print(f'source {i}: {e}')\n        sys.exit(1)\n";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(serde_json::to_string(sources).expect("json").as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("python3 finishes");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        sources.join("\n----\n")
    );
}

mod hostile {
    use super::*;
    use proptest::prelude::*;

    fn hostile_string() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\"; } resource \"x\" \"y\" { a = \"".to_owned()),
            Just("${file(\"/etc/passwd\")}".to_owned()),
            Just("%{ for x in y }".to_owned()),
            Just("\\\"\"\"\nimport os; os.system('x')\n\"\"\"".to_owned()),
            Just("back\\slash\\".to_owned()),
            Just("$".to_owned()),
            Just("\u{2028}\r\n\t\u{0}".to_owned()),
            "\\PC{0,24}",
            any::<String>(),
        ]
    }

    fn values() -> impl Strategy<Value = BTreeMap<Field, String>> {
        proptest::collection::vec(hostile_string(), Field::ALL.len()).prop_map(|v| {
            Field::ALL
                .iter()
                .copied()
                .zip(v)
                .collect::<BTreeMap<_, _>>()
        })
    }

    /// The value of attribute `key` in the first block `ident` with `labels`.
    fn attr(body: &hcl::Body, ident: &str, labels: &[&str], key: &str) -> Option<hcl::Expression> {
        body.blocks()
            .find(|b| {
                b.identifier() == ident
                    && b.labels()
                        .iter()
                        .map(hcl::BlockLabel::as_str)
                        .eq(labels.iter().copied())
            })
            .and_then(|b| b.body().attributes().find(|a| a.key() == key))
            .map(|a| a.expr().clone())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn hostile_values_still_produce_files_that_parse(values in values(), add in any::<bool>()) {
            let set = TemplateSet::embedded();
            let mut sources = Vec::new();
            for flow_type in FLOW_TYPES {
                let mut inputs = Inputs { flow_type, values: BTreeMap::new() };
                for field in scaffold::required_fields(flow_type, add) {
                    inputs.values.insert(field, values[&field].clone());
                }
                let mode = if add {
                    Mode::AddFlow(sample_module(&values[&Field::Environment]))
                } else {
                    Mode::NewModule
                };
                let files = scaffold::render(&set, &inputs, &mode).expect("renders");
                let flow_name = &values[&Field::FlowName];
                for file in &files {
                    if is_hcl(&file.path) {
                        let body = hcl::parse(&file.contents)
                            .unwrap_or_else(|e| panic!("{} does not parse: {e}\n{}", file.path, file.contents));
                        if file.path.ends_with(".symtest.hcl") {
                            let flow = body.attributes().find(|a| a.key() == "flow").map(|a| a.expr().clone());
                            prop_assert_eq!(flow, Some(hcl::Expression::String(flow_name.clone())));
                        }
                        if file.path == "main.tf" {
                            prop_assert_eq!(
                                attr(&body, "provider", &["sym"], "org"),
                                Some(hcl::Expression::String(values[&Field::Org].clone()))
                            );
                        }
                        let flows: Vec<_> = body.blocks().filter(|b| b.labels().first().is_some_and(|l| l.as_str() == "sym_flow")).collect();
                        if !flows.is_empty() {
                            prop_assert_eq!(flows.len(), 1);
                            let name = flows[0].body().attributes().find(|a| a.key() == "name").map(|a| a.expr().clone());
                            prop_assert_eq!(name, Some(hcl::Expression::String(flow_name.clone())));
                        }
                    } else if Path::new(&file.path).extension().is_some_and(|e| e == "py") {
                        sources.push(file.contents.clone());
                    }
                }
            }
            assert_python_parses(&sources);
        }
    }
}

#[cfg(unix)]
#[test]
fn interactive_prompts_on_a_terminal() {
    use rexpect::reader::Options;
    use rexpect::session::spawn_with_options;

    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("symflow"));
    cmd.current_dir(sb.path())
        .args(["init", "acme-sym"])
        .env("HOME", sb.join("home"))
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("SYM_JWT");
    let mut p = spawn_with_options(
        cmd,
        Options {
            timeout_ms: Some(20_000),
            strip_ansi_escape_codes: true,
        },
    )
    .expect("spawn in a pty");
    p.exp_string("Sym org slug").expect("org prompt");
    p.send_line("Acme Corp").expect("send");
    p.exp_string("lowercase letters, digits and hyphens")
        .expect("inline error");
    // Clear the rejected answer before typing the right one.
    for _ in 0.."Acme Corp".len() {
        p.send("\x7f").expect("backspace");
    }
    p.send_line("acme").expect("send");
    p.exp_string("Environment name")
        .expect("environment prompt");
    p.send_line("").expect("accept the default");
    p.exp_string("Slack workspace ID").expect("slack prompt");
    p.send_line("T0123ABCD").expect("send");
    p.exp_string("Flow type").expect("type prompt");
    p.exp_string("on call in PagerDuty")
        .expect("the last type is listed");
    // The select reads raw keys: give it a moment to switch the terminal.
    std::thread::sleep(std::time::Duration::from_millis(300));
    // approval, okta, aws-iam: two steps down.
    for key in ["\x1b[B", "\x1b[B", "\r"] {
        p.send(key).expect("key");
        p.flush().expect("flush");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    p.exp_string("Flow name").expect("flow name prompt");
    p.send_line("db-access").expect("send");
    p.exp_string("IAM group name").expect("iam group prompt");
    p.send_line("DBAdmins").expect("send");
    p.exp_string("AWS account ID").expect("account prompt");
    p.send_line("123456789012").expect("send");
    p.exp_string("ARN of the IAM role").expect("role prompt");
    p.send_line("arn:aws:iam::123456789012:role/SymRuntime")
        .expect("send");
    p.exp_string("symflow deploy acme-sym --plan")
        .expect("next steps");
    p.exp_eof().expect("exits");

    let main = sb.read("acme-sym/main.tf");
    assert!(main.contains("org = \"acme\""), "{main}");
    assert!(main.contains("external_id = \"T0123ABCD\""), "{main}");
    assert!(main.contains("environment_name = \"prod\""), "{main}");
    assert!(main.contains("iam_group = \"DBAdmins\""), "{main}");
    assert!(
        main.contains("resource \"sym_flow\" \"db_access\""),
        "{main}"
    );
    assert!(sb.join("acme-sym/tests/db-access.symtest.hcl").is_file());
    assert!(sb
        .read("acme-sym/impl.py")
        .contains("aws_iam.is_user_in_group"));
}

/// What `init` writes must validate with zero findings of any severity and
/// pass every one of its scenarios, for every type, as a new module and as a
/// flow added to an existing one.
#[test]
fn every_generated_module_validates_clean_and_tests_green() {
    for flow_type in FLOW_TYPES {
        let sb = Sandbox::new();
        assert_eq!(run(&sb, &init_args("m", flow_type)).code, 0);
        let mut args: Vec<String> = ["init", "m", "--no-input", "--add-flow", "extra"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        // Add a flow of another type next to it.
        let other = FLOW_TYPES
            [(FLOW_TYPES.iter().position(|t| *t == flow_type).unwrap_or(0) + 1) % FLOW_TYPES.len()];
        args.extend(type_args(other));
        let r = run(&sb, &args);
        assert_eq!(r.code, 0, "{}: {}", flow_type.name(), r.stderr);

        let r = sb.run(&["validate", "--format", "json", "m"]);
        let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: not JSON ({e}): {}{}",
                flow_type.name(),
                r.stdout,
                r.stderr
            )
        });
        assert_eq!(
            report["diagnostics"],
            serde_json::json!([]),
            "{} + {}: {}",
            flow_type.name(),
            other.name(),
            r.stdout
        );
        assert_eq!(r.code, 0, "{}", r.stderr);

        let r = sb.run(&["test", "m"]);
        assert_eq!(
            r.code,
            0,
            "{} + {}:\n{}{}",
            flow_type.name(),
            other.name(),
            r.stdout,
            r.stderr
        );
        assert!(r.stdout.contains(" passed, 0 failed"), "{}", r.stdout);
        assert!(!r.stdout.contains(" 0 passed"), "{}", r.stdout);
    }
}

#[cfg(unix)]
#[test]
fn files_in_the_way_are_reported_before_any_question() {
    use rexpect::reader::Options;
    use rexpect::session::spawn_with_options;

    let sb = Sandbox::new();
    assert_eq!(run(&sb, &init_args("m", FlowType::Approval)).code, 0);
    let before = tree(&sb.join("m"));
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("symflow"));
    cmd.current_dir(sb.path())
        .args(["init", "m"])
        .env("HOME", sb.join("home"))
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut p = spawn_with_options(
        cmd,
        Options {
            timeout_ms: Some(20_000),
            strip_ansi_escape_codes: true,
        },
    )
    .expect("spawn in a pty");
    let out = p.exp_eof().expect("exits without asking");
    assert!(out.contains("main.tf, versions.tf, impl.py"), "{out}");
    assert!(out.contains("already exist in m"), "{out}");
    assert!(!out.contains("Sym org slug"), "{out}");
    assert_eq!(tree(&sb.join("m")), before);
}

/// Answers prompts from a script and records what was asked.
struct Scripted {
    answers: std::cell::RefCell<Vec<String>>,
    asked: std::cell::RefCell<Vec<String>>,
}

impl symflow::output::Prompter for Scripted {
    fn input(
        &self,
        prompt: &str,
        default: Option<&str>,
        validate: symflow::output::Validator<'_>,
    ) -> Result<String, symflow::error::UserError> {
        self.asked.borrow_mut().push(prompt.to_owned());
        let answer = self.answers.borrow_mut().remove(0);
        let answer = if answer.is_empty() {
            default.unwrap_or_default().to_owned()
        } else {
            answer
        };
        validate(&answer).map_err(symflow::error::UserError::new)?;
        Ok(answer)
    }
    fn select(
        &self,
        prompt: &str,
        items: &[String],
        _: usize,
    ) -> Result<usize, symflow::error::UserError> {
        self.asked.borrow_mut().push(prompt.to_owned());
        let answer = self.answers.borrow_mut().remove(0);
        Ok(items
            .iter()
            .position(|i| i.starts_with(&format!("{answer} ")))
            .expect("a listed type"))
    }
    fn confirm(&self, _: &str, _: bool) -> Result<bool, symflow::error::UserError> {
        unreachable!("init never asks for a confirmation")
    }
}

#[test]
fn add_flow_asks_only_for_the_type_and_its_inputs() {
    use symflow::commands::{init, Context};
    use symflow::output::Ui;
    use symflow::scaffold::write::AtomicWriter;

    let sb = Sandbox::new();
    assert_eq!(run(&sb, &init_args("m", FlowType::Approval)).code, 0);
    let dir = sb.join("m").display().to_string();
    let cli = <symflow::cli::Cli as clap::Parser>::try_parse_from([
        "symflow",
        "init",
        dir.as_str(),
        "--add-flow",
        "sso",
    ])
    .expect("parses");
    let symflow::cli::Command::Init(args) = cli.command else {
        panic!("not init")
    };
    let (mut ui, _) = Ui::capture();
    ui.interactive = true;
    let mut out = Vec::new();
    let mut ctx = Context { ui, out: &mut out };
    let prompter = Scripted {
        answers: std::cell::RefCell::new(
            [
                "aws-sso",
                "arn:aws:sso:::instance/ssoins-1234567890abcdef",
                "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef",
                "123456789012",
                "arn:aws:iam::123456789012:role/SymRuntime",
            ]
            .map(str::to_owned)
            .to_vec(),
        ),
        asked: std::cell::RefCell::new(Vec::new()),
    };
    init::run_with(&args, &mut ctx, &prompter, &mut AtomicWriter).expect("init runs");
    assert_eq!(
        *prompter.asked.borrow(),
        [
            "Flow type",
            Field::SsoInstanceArn.prompt(),
            Field::SsoPermissionSetArn.prompt(),
            Field::AwsAccountId.prompt(),
            Field::AwsRoleArn.prompt(),
        ]
    );
    let tf = sb.read("m/sso.tf");
    assert!(tf.contains("type           = \"aws_sso\""), "{tf}");
    assert!(tf.contains("account_id         = \"123456789012\""), "{tf}");
    assert!(sb.join("m/impls/sso.py").is_file());
    assert!(String::from_utf8(out)
        .expect("utf-8")
        .contains("symflow test"));
}

#[cfg(unix)]
#[test]
fn a_template_dir_with_a_symlink_loop_does_not_hang() {
    let sb = Sandbox::new();
    sb.write("tpl/shared/versions.tf.hbs", "# pinned by {{org}}\n");
    std::os::unix::fs::symlink(sb.join("tpl"), sb.join("tpl/shared/loop")).expect("symlink");
    let mut args = init_args("m", FlowType::Approval);
    args.extend(["--template-dir".into(), "tpl".into()]);
    let r = run(&sb, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(sb.read("m/versions.tf"), "# pinned by acme\n");
}
