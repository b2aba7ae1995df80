//! Command-line definitions. This is the single source of truth for flags:
//! `--help`, the man page and the shell completions in `completions/` are all
//! generated from it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  symflow init my-sym --org acme --slack-workspace-id T0123ABCD --flow-name access --type okta
  symflow validate                 # lint the module in the current directory
  symflow validate --format json   # machine-readable findings
  symflow test                     # run tests/*.symtest.hcl scenarios
  symflow deploy --plan            # show what would change in Sym

Exit codes: 0 success, 1 findings or failed tests, 2 could not run.";

/// A fast developer CLI for Sym access workflows: scaffold, validate, test
/// and deploy Sym Flows (Terraform `sym_*` resources plus `impl.py`).
#[derive(Debug, Parser)]
#[command(name = "symflow", version, about, long_about = None, after_help = AFTER_HELP)]
#[command(propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// When to use colour (NO_COLOR is honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print only results and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more about what symflow is doing (repeat for more)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Never prompt; a value that would be asked for is an error naming its flag
    #[arg(long, global = true)]
    pub no_input: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold a new Sym module (main.tf, impl.py, tests) from templates
    #[command(after_help = "\
Examples:
  symflow init                                  # ask for everything on a terminal
  symflow init acme-sym --no-input --org acme --slack-workspace-id T0123ABCD \\
      --flow-name prod-access --type approval
  symflow init --add-flow db-access --type aws-iam --aws-account-id 123456789012 \\
      --aws-role-arn arn:aws:iam::123456789012:role/SymRuntime --iam-group DBAdmins")]
    Init(InitArgs),

    /// Lint Terraform and impl.py against Sym's schema and SDK
    #[command(after_help = "\
Examples:
  symflow validate                      # the module in the current directory
  symflow validate infra/sym main.tf    # several modules; files map to their module
  symflow validate --format sarif > symflow.sarif
  symflow validate --list-rules
  symflow validate --explain unknown-attribute")]
    Validate(ValidateArgs),

    /// Run flow logic locally against tests/*.symtest.hcl scenarios
    #[command(after_help = "\
Examples:
  symflow test                      # every scenario of the module in .
  symflow test infra/sym --filter approve
  symflow test --format junit > report.xml")]
    Test(TestArgs),

    /// Plan and push the module's Sym resources to the Sym API
    #[command(after_help = "\
Examples:
  symflow deploy --plan             # show the diff, change nothing
  symflow deploy                    # plan, confirm, apply
  symflow deploy --yes --format json
  symflow deploy --target sym_flow.approval --yes

Credentials: $SYM_JWT (or the provider's jwt_env_var), else the file written
by `symflow login`. SYM_API_URL or --api-url selects the API.")]
    Deploy(DeployArgs),

    /// Store a Sym API token for deploy (read from standard input)
    #[command(after_help = "\
Examples:
  echo \"$TOKEN\" | symflow login --with-token --org acme")]
    Login(LoginArgs),
}

/// Flow types `init` can scaffold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowType {
    /// Approval only: no access is granted automatically
    Approval,
    /// Temporary membership in an Okta group
    Okta,
    /// Temporary membership in an AWS IAM group
    AwsIam,
    /// A temporary AWS IAM Identity Center (SSO) permission set
    AwsSso,
    /// Escalation handled by your own AWS Lambda function
    AwsLambda,
    /// Approval flow that auto-approves requesters who are on call in PagerDuty
    Pagerduty,
}

impl FlowType {
    /// The kebab-case name, as on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            FlowType::Approval => "approval",
            FlowType::Okta => "okta",
            FlowType::AwsIam => "aws-iam",
            FlowType::AwsSso => "aws-sso",
            FlowType::AwsLambda => "aws-lambda",
            FlowType::Pagerduty => "pagerduty",
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Directory to create the module in
    #[arg(default_value = ".", value_hint = clap::ValueHint::DirPath)]
    pub dir: PathBuf,

    /// Sym org slug (provider "sym" org)
    #[arg(long, value_name = "SLUG")]
    pub org: Option<String>,

    /// Environment name
    #[arg(long, value_name = "NAME")]
    pub environment: Option<String>,

    /// Slack workspace ID, like T0123ABCD
    #[arg(long, value_name = "ID")]
    pub slack_workspace_id: Option<String>,

    /// Name of the flow to create
    #[arg(long, value_name = "NAME")]
    pub flow_name: Option<String>,

    /// Kind of flow
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub flow_type: Option<FlowType>,

    /// Add a flow NAME to the existing module in DIR instead of creating one
    #[arg(long, value_name = "NAME", conflicts_with = "flow_name")]
    pub add_flow: Option<String>,

    /// Render your organisation's own templates from DIR
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub template_dir: Option<PathBuf>,

    /// Replace files that already exist
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub type_args: InitTypeArgs,
}

/// Inputs specific to one flow type.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Flow type options")]
pub struct InitTypeArgs {
    /// Okta domain, like acme.okta.com (okta)
    #[arg(long, value_name = "DOMAIN")]
    pub okta_domain: Option<String>,

    /// Okta group ID, like 00g1abcd2EFGH3ijk4x7 (okta)
    #[arg(long, value_name = "ID")]
    pub okta_group_id: Option<String>,

    /// AWS account ID, 12 digits (every type but approval)
    #[arg(long, value_name = "ID")]
    pub aws_account_id: Option<String>,

    /// ARN of the IAM role Sym's runtime assumes (every type but approval)
    #[arg(long, value_name = "ARN")]
    pub aws_role_arn: Option<String>,

    /// IAM group name to grant (aws-iam)
    #[arg(long, value_name = "NAME")]
    pub iam_group: Option<String>,

    /// IAM Identity Center instance ARN (aws-sso)
    #[arg(long, value_name = "ARN")]
    pub sso_instance_arn: Option<String>,

    /// Permission set ARN to grant (aws-sso)
    #[arg(long, value_name = "ARN")]
    pub sso_permission_set_arn: Option<String>,

    /// ARN of the Lambda function that escalates and de-escalates (aws-lambda)
    #[arg(long, value_name = "ARN")]
    pub lambda_arn: Option<String>,

    /// PagerDuty domain, like acme.pagerduty.com (pagerduty)
    #[arg(long, value_name = "DOMAIN")]
    pub pagerduty_domain: Option<String>,

    /// PagerDuty schedule ID whose on-call users are auto-approved (pagerduty)
    #[arg(long, value_name = "ID")]
    pub pagerduty_schedule: Option<String>,
}

/// Variable inputs shared by commands that evaluate a module.
#[derive(Debug, Clone, Default, Args)]
pub struct VarArgs {
    /// Set a Terraform variable (repeatable)
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,

    /// Read Terraform variables from a .tfvars file (repeatable)
    #[arg(long = "var-file", value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub var_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Module directories, or files (.tf, .tfvars, .py, .symtest.hcl) that map to their module
    #[arg(value_hint = clap::ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,

    /// Exit 1 when there are warnings, too
    #[arg(long)]
    pub deny_warnings: bool,

    /// List every rule with its code, category and default severity
    #[arg(long, exclusive = true)]
    pub list_rules: bool,

    /// Print the documentation of one rule (code or name)
    #[arg(long, value_name = "RULE", exclusive = true)]
    pub explain: Option<String>,

    /// Project configuration file [default: .symflow.toml found upwards]
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub vars: VarArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    Human,
    Json,
    Junit,
}

#[derive(Debug, Clone, Args)]
pub struct TestArgs {
    /// Module directory
    #[arg(default_value = ".", value_hint = clap::ValueHint::DirPath)]
    pub dir: PathBuf,

    /// Run only tests whose name contains this text
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,

    /// Default per-test timeout, like 5s or 500ms
    #[arg(long, value_name = "DURATION", default_value = "5s")]
    pub timeout: String,

    /// Python interpreter to run the flow logic with
    #[arg(long, value_name = "PATH", default_value = "python3", value_hint = clap::ValueHint::CommandName)]
    pub python: PathBuf,

    #[command(flatten)]
    pub vars: VarArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeployFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    /// Module directory
    #[arg(default_value = ".", value_hint = clap::ValueHint::DirPath)]
    pub dir: PathBuf,

    /// Show the plan and stop
    #[arg(long)]
    pub plan: bool,

    /// With --plan: exit 0 when nothing changes, 2 when something would, 1 on error
    #[arg(long, requires = "plan")]
    pub detailed_exitcode: bool,

    /// Apply without asking for confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// How many requests may be in flight at once
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub parallelism: u16,

    /// Limit to these resources (and what they depend on); repeatable
    #[arg(long = "target", value_name = "ADDRESS")]
    pub targets: Vec<String>,

    /// Also delete entities of this module's environment it no longer declares
    #[arg(long)]
    pub prune: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = DeployFormat::Human)]
    pub format: DeployFormat,

    /// Write Terraform `import {}` blocks for every deployed entity to FILE
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub emit_imports: Option<PathBuf>,

    /// Sym API base URL
    #[arg(long, env = "SYM_API_URL", value_name = "URL", hide_env_values = true)]
    pub api_url: Option<String>,

    #[command(flatten)]
    pub vars: VarArgs,
}

#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    /// Read the token from standard input
    #[arg(long, required = true)]
    pub with_token: bool,

    /// The Sym org slug the token belongs to
    #[arg(long, value_name = "SLUG")]
    pub org: Option<String>,
}

/// The clap command, for completions and the man page.
#[must_use]
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        super::command().debug_assert();
    }
}
