//! Known `type` values and their `settings` keys (reference §3 and §3.7).
//!
//! The provider checks none of these: every list is "known values", so an
//! unknown type or key is only ever a warning. A type whose settings keys
//! nobody has documented is `open` (no unknown-key warnings for it).

/// What is known about one `type` value.
#[derive(Debug)]
pub struct TypeInfo {
    pub name: &'static str,
    /// Settings keys Sym needs for this type.
    pub required: &'static [&'static str],
    /// Settings keys Sym knows but does not need.
    pub optional: &'static [&'static str],
    /// True when the known keys are not the whole story (no warnings for
    /// other keys).
    pub open: bool,
    /// Whether an `integration_id` is required (strategies and log
    /// destinations only; the provider checks it at apply).
    pub needs_integration: bool,
}

impl TypeInfo {
    /// Every key this type is known to accept.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.required.iter().chain(self.optional).copied()
    }
}

const fn closed(
    name: &'static str,
    required: &'static [&'static str],
    optional: &'static [&'static str],
) -> TypeInfo {
    TypeInfo {
        name,
        required,
        optional,
        open: false,
        needs_integration: false,
    }
}

const fn open(name: &'static str, required: &'static [&'static str]) -> TypeInfo {
    TypeInfo {
        name,
        required,
        optional: &[],
        open: true,
        needs_integration: false,
    }
}

const fn with_integration(mut t: TypeInfo) -> TypeInfo {
    t.needs_integration = true;
    t
}

/// The known types of one resource type.
#[derive(Debug)]
pub struct TypeCatalog {
    pub rtype: &'static str,
    pub types: &'static [TypeInfo],
}

impl TypeCatalog {
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&'static TypeInfo> {
        let types: &'static [TypeInfo] = self.types;
        types.iter().find(|t| t.name == name)
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        let types: &'static [TypeInfo] = self.types;
        types.iter().map(|t| t.name)
    }
}

const API_TOKEN: &[&str] = &["api_token_secret"];

static INTEGRATIONS: &[TypeInfo] = &[
    closed("slack", &[], &[]),
    // `account_id`: set by the runtime connector in Sym's own examples
    // (symopsio/examples, basic/aws_iam_strategy/runtime.tf).
    closed(
        "permission_context",
        &["cloud", "region", "role_arn"],
        &["external_id", "account_id"],
    ),
    closed("pagerduty", API_TOKEN, &[]),
    closed("okta", API_TOKEN, &[]),
    closed("github", API_TOKEN, &[]),
    closed("tailscale", API_TOKEN, &[]),
    closed("knowbe4", API_TOKEN, &["region"]),
    closed("aptible", &["username_secret", "password_secret"], &[]),
    closed("onelogin", &["client_id", "client_secret"], &[]),
    // The docs disagree on the key name (reference §3.1): accept both,
    // require neither.
    closed("segment", &[], &["write_key_secret", "api_token_secret"]),
    // `api_token_secret`: Sym's custom strategy quickstart sets it
    // (symopsio/sym-custom-strategy-quickstart).
    closed("custom", &[], &["secret_ids_json", "api_token_secret"]),
];

static TARGETS: &[TypeInfo] = &[
    closed("okta_group", &["group_id"], &[]),
    closed("aws_iam_group", &["iam_group"], &[]),
    closed(
        "aws_sso_permission_set",
        &["permission_set_arn", "account_id"],
        &[],
    ),
    closed("aws_sso_group", &["group_id"], &[]),
    closed("aws_lambda_function", &["arn"], &[]),
    closed("github_repo", &["repo_name"], &[]),
    closed("google_group", &["group_email"], &["role"]),
    // `privilege_level` (`member` or `admin`): Sym's demo configuration
    // documents it next to `role_id` (symopsio/sym-demo-terraform).
    closed("onelogin_role", &["role_id"], &["privilege_level"]),
    closed("aptible_role", &["role_id"], &[]),
    closed("tailscale_group", &["group_name"], &[]),
    // Custom targets carry whatever the custom strategy reads.
    open("custom", &[]),
];

static STRATEGIES: &[TypeInfo] = &[
    with_integration(closed("aws_sso", &["instance_arn"], &[])),
    with_integration(open("okta", &[])),
    with_integration(open("aws_iam", &[])),
    with_integration(open("aws_lambda", &[])),
    with_integration(open("github", &[])),
    with_integration(open("google_group", &[])),
    with_integration(open("onelogin", &[])),
    with_integration(open("aptible", &[])),
    with_integration(open("tailscale", &[])),
    with_integration(open("custom", &[])),
    // The only type that may omit `integration_id` (`validateStrategy`).
    open("http", &[]),
];

static LOG_DESTINATIONS: &[TypeInfo] = &[
    with_integration(closed("kinesis_firehose", &["stream_name"], &[])),
    with_integration(closed("kinesis_data_stream", &["stream_name"], &[])),
    with_integration(open("segment", &[])),
    // `http` and `datadog` may omit `integration_id` (`validateLogDestination`).
    closed("http", &["url"], &[]),
    open("datadog", &[]),
];

static SECRET_SOURCES: &[TypeInfo] = &[closed("aws_secrets_manager", &["context_id"], &[])];

static CATALOGS: &[TypeCatalog] = &[
    TypeCatalog {
        rtype: "sym_integration",
        types: INTEGRATIONS,
    },
    TypeCatalog {
        rtype: "sym_target",
        types: TARGETS,
    },
    TypeCatalog {
        rtype: "sym_strategy",
        types: STRATEGIES,
    },
    TypeCatalog {
        rtype: "sym_log_destination",
        types: LOG_DESTINATIONS,
    },
    TypeCatalog {
        rtype: "sym_secrets",
        types: SECRET_SOURCES,
    },
];

/// The known types of a resource type that has a `type` attribute.
#[must_use]
pub fn known_types(rtype: &str) -> Option<&'static TypeCatalog> {
    CATALOGS.iter().find(|c| c.rtype == rtype)
}

/// Known `sym_secret.settings` keys.
pub const SECRET_SETTINGS: &[&str] = &["json_key"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integration_rules_follow_the_provider() {
        let s = known_types("sym_strategy").expect("strategies");
        assert!(!s.get("http").expect("http").needs_integration);
        assert!(s.get("aws_sso").expect("aws_sso").needs_integration);
        let l = known_types("sym_log_destination").expect("log destinations");
        assert!(!l.get("datadog").expect("datadog").needs_integration);
        assert!(l.get("kinesis_firehose").expect("kf").needs_integration);
        assert!(known_types("sym_flow").is_none());
    }
}
