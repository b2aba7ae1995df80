//! The harness every CLI test goes through.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A scratch directory plus a builder for `symflow` invocations inside it.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

/// The captured result of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::Builder::new()
                .prefix("symflow-test")
                .tempdir()
                .expect("create temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a file (creating parent directories).
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write file");
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).expect("read file")
    }

    /// A `symflow` command running in the sandbox with a clean environment:
    /// no colour, no Sym credentials, HOME and XDG_CONFIG_HOME inside the sandbox.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("symflow").expect("binary built");
        cmd.current_dir(self.path());
        for var in [
            "SYM_JWT",
            "SYM_API_URL",
            "SYM_TF_SKIP_VALIDATION",
            "NO_COLOR",
            "CLICOLOR_FORCE",
            "XDG_CONFIG_HOME",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.join("home"));
        cmd.env("TERM", "dumb");
        cmd
    }

    /// Run with arguments and capture everything, filtering the sandbox path.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_cmd(self.cmd().args(args))
    }

    /// Run a prepared command and capture everything.
    pub fn run_cmd(&self, cmd: &mut Command) -> Run {
        let out = cmd.output().expect("run symflow");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: self.filter(&String::from_utf8_lossy(&out.stdout)),
            stderr: self.filter(&String::from_utf8_lossy(&out.stderr)),
        }
    }

    /// Replace the sandbox path with `[SANDBOX]` and the version with `[VERSION]`.
    pub fn filter(&self, text: &str) -> String {
        let mut t = text.to_owned();
        for p in [
            self.path().canonicalize().ok(),
            Some(self.path().to_path_buf()),
        ]
        .into_iter()
        .flatten()
        {
            t = t.replace(&p.display().to_string(), "[SANDBOX]");
        }
        t.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
    }
}

/// `init` flags with fixed, valid inputs for every type-specific field
/// (shared by the init and validate tests).
pub fn type_args(flow_type: symflow::cli::FlowType) -> Vec<String> {
    let mut args = vec!["--type".to_owned(), flow_type.name().to_owned()];
    for field in symflow::scaffold::inputs::type_fields(flow_type) {
        args.push(field.flag().to_owned());
        args.push(fixed_value(*field).to_owned());
    }
    args
}

/// A fixed, valid value for one of `init`'s inputs.
pub fn fixed_value(field: symflow::scaffold::inputs::Field) -> &'static str {
    use symflow::scaffold::inputs::Field;
    match field {
        Field::Org => "acme",
        Field::Environment => "prod",
        Field::SlackWorkspaceId => "T0123ABCD",
        Field::FlowName => "access",
        Field::OktaDomain => "acme.okta.com",
        Field::OktaGroupId => "00g1abcd2EFGH3ijk4x7",
        Field::IamGroup => "DBAdmins",
        Field::SsoInstanceArn => "arn:aws:sso:::instance/ssoins-1234567890abcdef",
        Field::SsoPermissionSetArn => {
            "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef"
        }
        Field::LambdaArn => "arn:aws:lambda:eu-west-1:123456789012:function:sym-access",
        Field::PagerdutyDomain => "acme.pagerduty.com",
        Field::PagerdutySchedule => "P1AB2CD",
        Field::AwsAccountId => "123456789012",
        Field::AwsRoleArn => "arn:aws:iam::123456789012:role/SymRuntime",
    }
}
