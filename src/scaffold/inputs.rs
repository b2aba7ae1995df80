//! What `init` asks for: each input's flag, prompt, default and validation
//! rule. Validation matches what Sym accepts, so a module that `init` writes
//! never fails on a malformed ID at deploy time.

use crate::cli::FlowType;

/// One value `init` needs. The order of the variants is the order of the
/// prompts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Org,
    Environment,
    SlackWorkspaceId,
    FlowName,
    OktaDomain,
    OktaGroupId,
    IamGroup,
    SsoInstanceArn,
    SsoPermissionSetArn,
    LambdaArn,
    PagerdutyDomain,
    PagerdutySchedule,
    AwsAccountId,
    AwsRoleArn,
}

impl Field {
    /// Every field, in prompt order.
    pub const ALL: [Field; 14] = [
        Field::Org,
        Field::Environment,
        Field::SlackWorkspaceId,
        Field::FlowName,
        Field::OktaDomain,
        Field::OktaGroupId,
        Field::IamGroup,
        Field::SsoInstanceArn,
        Field::SsoPermissionSetArn,
        Field::LambdaArn,
        Field::PagerdutyDomain,
        Field::PagerdutySchedule,
        Field::AwsAccountId,
        Field::AwsRoleArn,
    ];

    /// The command-line flag that sets it.
    #[must_use]
    pub fn flag(self) -> &'static str {
        match self {
            Field::Org => "--org",
            Field::Environment => "--environment",
            Field::SlackWorkspaceId => "--slack-workspace-id",
            Field::FlowName => "--flow-name",
            Field::OktaDomain => "--okta-domain",
            Field::OktaGroupId => "--okta-group-id",
            Field::IamGroup => "--iam-group",
            Field::SsoInstanceArn => "--sso-instance-arn",
            Field::SsoPermissionSetArn => "--sso-permission-set-arn",
            Field::LambdaArn => "--lambda-arn",
            Field::PagerdutyDomain => "--pagerduty-domain",
            Field::PagerdutySchedule => "--pagerduty-schedule",
            Field::AwsAccountId => "--aws-account-id",
            Field::AwsRoleArn => "--aws-role-arn",
        }
    }

    /// The template variable that carries it.
    #[must_use]
    pub fn variable(self) -> &'static str {
        match self {
            Field::Org => "org",
            Field::Environment => "environment",
            Field::SlackWorkspaceId => "slack_workspace_id",
            Field::FlowName => "flow_name",
            Field::OktaDomain => "okta_domain",
            Field::OktaGroupId => "okta_group_id",
            Field::IamGroup => "iam_group",
            Field::SsoInstanceArn => "sso_instance_arn",
            Field::SsoPermissionSetArn => "sso_permission_set_arn",
            Field::LambdaArn => "lambda_arn",
            Field::PagerdutyDomain => "pagerduty_domain",
            Field::PagerdutySchedule => "pagerduty_schedule",
            Field::AwsAccountId => "aws_account_id",
            Field::AwsRoleArn => "aws_role_arn",
        }
    }

    /// The question asked on a terminal.
    #[must_use]
    pub fn prompt(self) -> &'static str {
        match self {
            Field::Org => "Sym org slug",
            Field::Environment => "Environment name",
            Field::SlackWorkspaceId => "Slack workspace ID (like T0123ABCD)",
            Field::FlowName => "Flow name",
            Field::OktaDomain => "Okta domain (like acme.okta.com)",
            Field::OktaGroupId => "Okta group ID to grant (like 00g1abcd2EFGH3ijk4x7)",
            Field::IamGroup => "IAM group name to grant",
            Field::SsoInstanceArn => "IAM Identity Center instance ARN",
            Field::SsoPermissionSetArn => "Permission set ARN to grant",
            Field::LambdaArn => "ARN of the Lambda function that grants access",
            Field::PagerdutyDomain => "PagerDuty domain (like acme.pagerduty.com)",
            Field::PagerdutySchedule => "PagerDuty schedule ID whose on-call users are approved",
            Field::AwsAccountId => "AWS account ID (12 digits)",
            Field::AwsRoleArn => "ARN of the IAM role Sym assumes in that account",
        }
    }

    /// Check a value; the error says what a valid one looks like.
    ///
    /// # Errors
    /// A one-line reason, fit for an inline prompt error.
    pub fn validate(self, value: &str) -> Result<(), String> {
        match self {
            Field::Org | Field::Environment | Field::FlowName => slug(value),
            Field::SlackWorkspaceId => slack_workspace_id(value),
            Field::OktaDomain | Field::PagerdutyDomain => domain(value),
            Field::OktaGroupId => okta_group_id(value),
            Field::IamGroup => iam_group(value),
            Field::SsoInstanceArn => arn(value, "sso", |r| {
                r.strip_prefix("instance/ssoins-").is_some_and(|id| !id.is_empty())
            })
            .map_err(|e| format!("{e} (like arn:aws:sso:::instance/ssoins-1234567890abcdef)")),
            Field::SsoPermissionSetArn => arn(value, "sso", |r| {
                r.strip_prefix("permissionSet/ssoins-")
                    .is_some_and(|rest| rest.contains("/ps-"))
            })
            .map_err(|e| {
                format!("{e} (like arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef)")
            }),
            Field::LambdaArn => arn(value, "lambda", |r| {
                r.strip_prefix("function:").is_some_and(|name| !name.is_empty())
            })
            .map_err(|e| format!("{e} (like arn:aws:lambda:us-east-1:123456789012:function:sym-access)")),
            Field::PagerdutySchedule => pagerduty_id(value),
            Field::AwsAccountId => aws_account_id(value),
            Field::AwsRoleArn => arn(value, "iam", |r| {
                r.strip_prefix("role/").is_some_and(|name| !name.is_empty())
            })
            .map_err(|e| format!("{e} (like arn:aws:iam::123456789012:role/SymRuntime)")),
        }
    }

    /// The value used when the user gives none.
    #[must_use]
    pub fn default_value(self, flow_type: Option<FlowType>) -> Option<String> {
        match self {
            Field::Environment => Some("prod".to_owned()),
            Field::FlowName => flow_type.map(|t| default_flow_name(t).to_owned()),
            _ => None,
        }
    }
}

/// The flow name offered when none is given.
#[must_use]
pub fn default_flow_name(flow_type: FlowType) -> &'static str {
    match flow_type {
        FlowType::Approval => "approval",
        FlowType::Okta => "okta-access",
        FlowType::AwsIam => "aws-iam-access",
        FlowType::AwsSso => "aws-sso-access",
        FlowType::AwsLambda => "lambda-access",
        FlowType::Pagerduty => "on-call-access",
    }
}

/// The type-specific fields a flow type needs, in prompt order.
#[must_use]
pub fn type_fields(flow_type: FlowType) -> &'static [Field] {
    match flow_type {
        FlowType::Approval => &[],
        FlowType::Okta => &[
            Field::OktaDomain,
            Field::OktaGroupId,
            Field::AwsAccountId,
            Field::AwsRoleArn,
        ],
        FlowType::AwsIam => &[Field::IamGroup, Field::AwsAccountId, Field::AwsRoleArn],
        FlowType::AwsSso => &[
            Field::SsoInstanceArn,
            Field::SsoPermissionSetArn,
            Field::AwsAccountId,
            Field::AwsRoleArn,
        ],
        FlowType::AwsLambda => &[Field::LambdaArn, Field::AwsAccountId, Field::AwsRoleArn],
        FlowType::Pagerduty => &[
            Field::PagerdutyDomain,
            Field::PagerdutySchedule,
            Field::AwsAccountId,
            Field::AwsRoleArn,
        ],
    }
}

/// Whether a flow type reaches AWS (a runtime and a permission context).
#[must_use]
pub fn needs_aws(flow_type: FlowType) -> bool {
    flow_type != FlowType::Approval
}

/// Whether a flow type reads an API token from AWS Secrets Manager.
#[must_use]
pub fn needs_secrets(flow_type: FlowType) -> bool {
    matches!(flow_type, FlowType::Okta | FlowType::Pagerduty)
}

/// Every flow type, in the order the type prompt lists them.
pub const FLOW_TYPES: [FlowType; 6] = [
    FlowType::Approval,
    FlowType::Okta,
    FlowType::AwsIam,
    FlowType::AwsSso,
    FlowType::AwsLambda,
    FlowType::Pagerduty,
];

/// A one-line description of a flow type, for the type prompt.
#[must_use]
pub fn describe(flow_type: FlowType) -> &'static str {
    match flow_type {
        FlowType::Approval => {
            "approval-only: a request, an approver, nothing granted automatically"
        }
        FlowType::Okta => "temporary membership in an Okta group",
        FlowType::AwsIam => "temporary membership in an AWS IAM group",
        FlowType::AwsSso => "a temporary AWS IAM Identity Center permission set",
        FlowType::AwsLambda => "access granted by your own AWS Lambda function",
        FlowType::Pagerduty => "approval that auto-approves whoever is on call in PagerDuty",
    }
}

/// A Sym slug: lowercase letters, digits and single hyphens, starting with a
/// letter or digit, at most 63 characters.
///
/// # Errors
/// Why the value is not a slug.
pub fn slug(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if value.len() > 63 {
        return Err("must be at most 63 characters".to_owned());
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "may contain only lowercase letters, digits and hyphens, not {c:?}"
        ));
    }
    if value.starts_with('-') || value.ends_with('-') || value.contains("--") {
        return Err("must not start or end with a hyphen or contain two in a row".to_owned());
    }
    Ok(())
}

fn slack_workspace_id(value: &str) -> Result<(), String> {
    let rest = value.strip_prefix('T').unwrap_or("");
    let ok = (6..=14).contains(&rest.len())
        && rest
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(
            "must be a Slack workspace ID: T and 6 to 14 capital letters or digits, like T0123ABCD"
                .to_owned(),
        )
    }
}

fn domain(value: &str) -> Result<(), String> {
    let labels: Vec<&str> = value.split('.').collect();
    let ok = value.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if ok {
        Ok(())
    } else {
        Err("must be a domain name without a scheme or path, like acme.okta.com".to_owned())
    }
}

fn okta_group_id(value: &str) -> Result<(), String> {
    let ok = value.len() >= 12
        && value.len() <= 32
        && value.starts_with("00g")
        && value.chars().all(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(
            "must be an Okta group ID: 00g and letters or digits, like 00g1abcd2EFGH3ijk4x7"
                .to_owned(),
        )
    }
}

fn iam_group(value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.len() <= 128
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if ok {
        Ok(())
    } else {
        Err("must be an IAM group name: up to 128 letters, digits and +=,.@_-".to_owned())
    }
}

fn pagerduty_id(value: &str) -> Result<(), String> {
    let ok = (5..=16).contains(&value.len())
        && value.starts_with('P')
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(
            "must be a PagerDuty schedule ID: P and capital letters or digits, like P1AB2CD"
                .to_owned(),
        )
    }
}

fn aws_account_id(value: &str) -> Result<(), String> {
    if value.len() == 12 && value.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err("must be an AWS account ID: exactly 12 digits".to_owned())
    }
}

/// An ARN of `service` whose resource part satisfies `resource_ok`:
/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
fn arn(value: &str, service: &str, resource_ok: impl Fn(&str) -> bool) -> Result<(), String> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [prefix, partition, svc, region, account, resource] = parts[..] else {
        return Err(format!("must be an {service} ARN"));
    };
    let partition_ok = matches!(partition, "aws" | "aws-cn" | "aws-us-gov");
    let region_ok = region.is_empty()
        || region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let account_ok = account.is_empty() || aws_account_id(account).is_ok();
    let no_space = !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if prefix == "arn"
        && partition_ok
        && svc == service
        && region_ok
        && account_ok
        && no_space
        && resource_ok(resource)
    {
        Ok(())
    } else {
        Err(format!("must be an {service} ARN"))
    }
}

/// The region part of an ARN, when it has one.
#[must_use]
pub fn arn_region(value: &str) -> Option<&str> {
    value.split(':').nth(3).filter(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["acme", "prod", "db-access", "a1", "9"] {
            assert!(slug(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Acme", "db_access", "-x", "x-", "a--b", "a b", "é"] {
            assert!(slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slack_ids() {
        assert!(Field::SlackWorkspaceId.validate("T0123ABCD").is_ok());
        for bad in ["t0123abcd", "C0123ABCD", "T12", "T0123 ABCD", ""] {
            assert!(Field::SlackWorkspaceId.validate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arns() {
        let f = Field::AwsRoleArn;
        assert!(f
            .validate("arn:aws:iam::123456789012:role/SymRuntime")
            .is_ok());
        assert!(f
            .validate("arn:aws:iam::123456789012:role/path/Sym")
            .is_ok());
        for bad in [
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::12345:role/x",
            "role/x",
            "arn:aws:iam::123456789012:role/",
        ] {
            assert!(f.validate(bad).is_err(), "{bad}");
        }
        assert!(Field::LambdaArn
            .validate("arn:aws:lambda:eu-west-1:123456789012:function:grant")
            .is_ok());
        assert!(Field::SsoInstanceArn
            .validate("arn:aws:sso:::instance/ssoins-1234567890abcdef")
            .is_ok());
        assert!(Field::SsoPermissionSetArn
            .validate("arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef")
            .is_ok());
        assert_eq!(
            arn_region("arn:aws:lambda:eu-west-1:123456789012:function:grant"),
            Some("eu-west-1")
        );
    }

    #[test]
    fn other_ids() {
        assert!(Field::OktaDomain.validate("acme.okta.com").is_ok());
        assert!(Field::OktaDomain.validate("https://acme.okta.com").is_err());
        assert!(Field::OktaGroupId.validate("00g1abcd2EFGH3ijk4x7").is_ok());
        assert!(Field::OktaGroupId.validate("group").is_err());
        assert!(Field::AwsAccountId.validate("123456789012").is_ok());
        assert!(Field::AwsAccountId.validate("12345678901a").is_err());
        assert!(Field::PagerdutySchedule.validate("P1AB2CD").is_ok());
        assert!(Field::PagerdutySchedule.validate("schedule").is_err());
        assert!(Field::IamGroup.validate("DBAdmins").is_ok());
        assert!(Field::IamGroup.validate("DB Admins").is_err());
    }

    #[test]
    fn every_type_field_has_a_flag() {
        for t in FLOW_TYPES {
            for f in type_fields(t) {
                assert!(f.flag().starts_with("--"));
            }
        }
    }
}
