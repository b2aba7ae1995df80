//! The Sym Terraform provider's schema as data: every resource and data
//! source, their attributes and nested blocks (type, required/optional,
//! default, enum values, max items), what changed between provider majors 2
//! and 3, and the *known* `type` values and `settings` keys of integrations,
//! targets, strategies, log destinations and secret sources.
//!
//! Facts come from the provider reference (`reference/sym-provider.md`).
//! `type` values and `settings` keys are an open set (the provider checks
//! none): rules treat an unknown one as a warning, never an error.

pub mod types;

pub use types::{known_types, TypeCatalog, TypeInfo};

/// The value type of an attribute, as Terraform declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    String,
    Bool,
    /// `list(string)`
    StringList,
    /// `map(string)`
    StringMap,
}

impl AttrType {
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            AttrType::String => "a string",
            AttrType::Bool => "a bool",
            AttrType::StringList => "a list of strings",
            AttrType::StringMap => "a map of strings",
        }
    }
}

/// Which provider majors accept an attribute or block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// Provider 2.x and 3.x.
    Always,
    /// Added in a 3.x release (the text names it, e.g. `3.2.0`).
    V3(&'static str),
}

impl Since {
    /// Whether provider major `major` has it.
    #[must_use]
    pub fn available_in(self, major: u8) -> bool {
        match self {
            Since::Always => true,
            Since::V3(_) => major >= 3,
        }
    }
}

/// How strictly an enum is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumKind {
    /// The provider (or Sym's documentation) accepts exactly these values.
    Closed,
    /// Known values of an open set: another value is a warning.
    Open,
}

#[derive(Debug)]
pub struct AttrSchema {
    pub name: &'static str,
    pub ty: AttrType,
    pub required: bool,
    /// The provider's default, as Terraform would show it.
    pub default: Option<&'static str>,
    /// Allowed values of a string (or of each element of a string list).
    pub values: Option<(EnumKind, &'static [&'static str])>,
    pub since: Since,
}

#[derive(Debug)]
pub struct BlockSchema {
    pub name: &'static str,
    pub max_items: Option<usize>,
    pub required: bool,
    pub body: &'static BodySchema,
    pub since: Since,
}

#[derive(Debug)]
pub struct BodySchema {
    pub attributes: &'static [AttrSchema],
    pub blocks: &'static [BlockSchema],
}

impl BodySchema {
    #[must_use]
    pub fn attr(&self, name: &str) -> Option<&'static AttrSchema> {
        let attributes: &'static [AttrSchema] = self.attributes;
        attributes.iter().find(|a| a.name == name)
    }

    #[must_use]
    pub fn block(&self, name: &str) -> Option<&'static BlockSchema> {
        let blocks: &'static [BlockSchema] = self.blocks;
        blocks.iter().find(|b| b.name == name)
    }

    /// Names a user may write in this body for provider major `major`.
    pub fn names(&self, major: u8) -> impl Iterator<Item = &'static str> + '_ {
        self.attributes
            .iter()
            .filter(move |a| a.since.available_in(major))
            .map(|a| a.name)
            .chain(
                self.blocks
                    .iter()
                    .filter(move |b| b.since.available_in(major))
                    .map(|b| b.name),
            )
    }
}

/// Whether a schema describes a managed resource or a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Resource,
    DataSource,
}

/// One resource type or data source of the provider.
#[derive(Debug)]
pub struct ResourceSchema {
    pub rtype: &'static str,
    pub kind: Kind,
    pub body: &'static BodySchema,
    /// The provider major that introduced it (flows filter: 3.5.0).
    pub since: Since,
    /// `name` is a slug that must be unique (per type, and per `type` value
    /// for integrations, targets, strategies and secret sources).
    pub slugged: bool,
}

const fn attr(name: &'static str, ty: AttrType) -> AttrSchema {
    AttrSchema {
        name,
        ty,
        required: false,
        default: None,
        values: None,
        since: Since::Always,
    }
}

const fn req(name: &'static str, ty: AttrType) -> AttrSchema {
    AttrSchema {
        required: true,
        ..attr(name, ty)
    }
}

const fn dflt(name: &'static str, ty: AttrType, default: &'static str) -> AttrSchema {
    AttrSchema {
        default: Some(default),
        ..attr(name, ty)
    }
}

const fn v3(mut a: AttrSchema, version: &'static str) -> AttrSchema {
    a.since = Since::V3(version);
    a
}

use AttrType::{Bool, String as Str, StringList, StringMap};

/// Valid `prompt_field.type` values under provider 3.x (case-sensitive).
pub const PROMPT_FIELD_TYPES_V3: &[&str] = &[
    "string",
    "int",
    "bool",
    "duration",
    "slack_user",
    "slack_user_list",
    "str_list",
    "int_list",
];
/// Valid `prompt_field.type` values under provider 2.x (`str_list` and
/// `int_list` arrived in 3.4.2).
pub const PROMPT_FIELD_TYPES_V2: &[&str] = &[
    "string",
    "int",
    "bool",
    "duration",
    "slack_user",
    "slack_user_list",
];
/// `params.allowed_sources` values (docs).
pub const ALLOWED_SOURCES: &[&str] = &["slack", "api"];
/// Prompt field types whose `default` Sym ignores (docs).
pub const NO_DEFAULT_TYPES: &[&str] = &["slack_user", "slack_user_list", "int_list", "str_list"];
/// Prompt field types whose `allowed_values` and `prefetch` Sym ignores (docs).
pub const NO_ALLOWED_VALUES_TYPES: &[&str] = &["slack_user", "slack_user_list"];

/// The prompt field types of a provider: with or without the list types
/// of 3.4.2.
#[must_use]
pub fn prompt_field_types(list_types: bool) -> &'static [&'static str] {
    if list_types {
        PROMPT_FIELD_TYPES_V3
    } else {
        PROMPT_FIELD_TYPES_V2
    }
}

static PROMPT_FIELD: BodySchema = BodySchema {
    attributes: &[
        req("name", Str),
        AttrSchema {
            values: Some((EnumKind::Closed, PROMPT_FIELD_TYPES_V3)),
            ..req("type", Str)
        },
        dflt("required", Bool, "true"),
        dflt("label", Str, ""),
        dflt("default", Str, ""),
        v3(dflt("visible", Bool, "true"), "3.4.2"),
        attr("allowed_values", StringList),
        dflt("prefetch", Bool, "false"),
        v3(dflt("on_change", Str, ""), "3.4.2"),
    ],
    blocks: &[],
};

static PARAMS: BodySchema = BodySchema {
    attributes: &[
        dflt("strategy_id", Str, ""),
        dflt("allow_revoke", Bool, "true"),
        dflt("schedule_deescalation", Bool, "true"),
        v3(dflt("include_decision_message", Bool, "false"), "3.2.0"),
        dflt("allow_guest_interaction", Bool, "false"),
        dflt("additional_header_text", Str, ""),
        AttrSchema {
            values: Some((EnumKind::Closed, ALLOWED_SOURCES)),
            ..attr("allowed_sources", StringList)
        },
    ],
    blocks: &[BlockSchema {
        name: "prompt_field",
        max_items: None,
        required: false,
        body: &PROMPT_FIELD,
        since: Since::Always,
    }],
};

static FLOW: BodySchema = BodySchema {
    attributes: &[
        req("name", Str),
        dflt("label", Str, ""),
        req("implementation", Str),
        req("environment_id", Str),
        dflt("vars", StringMap, "{}"),
    ],
    blocks: &[BlockSchema {
        name: "params",
        max_items: Some(1),
        required: false,
        body: &PARAMS,
        since: Since::Always,
    }],
};

static ENVIRONMENT: BodySchema = BodySchema {
    attributes: &[
        req("name", Str),
        dflt("label", Str, ""),
        dflt("runtime_id", Str, ""),
        dflt("integrations", StringMap, "{}"),
        dflt("error_logger_id", Str, ""),
        attr("log_destination_ids", StringList),
    ],
    blocks: &[],
};

static INTEGRATION: BodySchema = BodySchema {
    attributes: &[
        req("type", Str),
        req("name", Str),
        req("external_id", Str),
        dflt("label", Str, ""),
        dflt("settings", StringMap, "{}"),
    ],
    blocks: &[],
};

static ERROR_LOGGER: BodySchema = BodySchema {
    attributes: &[req("integration_id", Str), req("destination", Str)],
    blocks: &[],
};

static RUNTIME: BodySchema = BodySchema {
    attributes: &[
        req("name", Str),
        dflt("label", Str, ""),
        dflt("context_id", Str, ""),
    ],
    blocks: &[],
};

static SECRETS: BodySchema = BodySchema {
    attributes: &[
        req("type", Str),
        req("name", Str),
        dflt("label", Str, ""),
        dflt("settings", StringMap, "{}"),
    ],
    blocks: &[],
};

static SECRET: BodySchema = BodySchema {
    attributes: &[
        req("path", Str),
        req("source_id", Str),
        dflt("label", Str, ""),
        dflt("settings", StringMap, "{}"),
    ],
    blocks: &[],
};

static TARGET: BodySchema = BodySchema {
    attributes: &[
        req("type", Str),
        req("name", Str),
        dflt("label", Str, ""),
        attr("field_bindings", StringList),
        dflt("settings", StringMap, "{}"),
    ],
    blocks: &[],
};

static STRATEGY: BodySchema = BodySchema {
    attributes: &[
        req("type", Str),
        req("name", Str),
        dflt("label", Str, ""),
        attr("integration_id", Str),
        req("targets", StringList),
        dflt("settings", StringMap, "{}"),
        attr("implementation", Str),
    ],
    blocks: &[],
};

static LOG_DESTINATION: BodySchema = BodySchema {
    attributes: &[
        req("type", Str),
        attr("integration_id", Str),
        dflt("settings", StringMap, "{}"),
    ],
    blocks: &[],
};

static FLOWS_FILTER: BodySchema = BodySchema {
    attributes: &[
        req("implementation", Str),
        dflt("vars", StringMap, "{}"),
        dflt("integrations", StringMap, "{}"),
    ],
    blocks: &[],
};

static DATA_INTEGRATION: BodySchema = BodySchema {
    attributes: &[
        req("name", Str),
        req("type", Str),
        attr("settings", StringMap),
        attr("external_id", Str),
        attr("label", Str),
    ],
    blocks: &[],
};

static DATA_RUNTIME: BodySchema = BodySchema {
    attributes: &[
        req("name", Str),
        attr("label", Str),
        attr("context_id", Str),
    ],
    blocks: &[],
};

static DATA_ENVIRONMENT: BodySchema = BodySchema {
    attributes: &[
        req("name", Str),
        attr("label", Str),
        attr("runtime_id", Str),
        attr("log_destination_ids", StringList),
        attr("integrations", StringMap),
        attr("error_logger_id", Str),
    ],
    blocks: &[],
};

static DATA_SECRETS: BodySchema = BodySchema {
    attributes: &[
        req("name", Str),
        req("type", Str),
        attr("label", Str),
        attr("settings", StringMap),
    ],
    blocks: &[],
};

/// `provider "sym" { ... }`
pub static PROVIDER: BodySchema = BodySchema {
    attributes: &[req("org", Str), v3(attr("jwt_env_var", Str), "3.6.0")],
    blocks: &[],
};

const fn resource(rtype: &'static str, body: &'static BodySchema, slugged: bool) -> ResourceSchema {
    ResourceSchema {
        rtype,
        kind: Kind::Resource,
        body,
        since: Since::Always,
        slugged,
    }
}

const fn data(rtype: &'static str, body: &'static BodySchema) -> ResourceSchema {
    ResourceSchema {
        rtype,
        kind: Kind::DataSource,
        body,
        since: Since::Always,
        slugged: false,
    }
}

/// Every managed resource type of provider 3.x.
pub static RESOURCES: &[ResourceSchema] = &[
    resource("sym_flow", &FLOW, true),
    resource("sym_environment", &ENVIRONMENT, true),
    resource("sym_integration", &INTEGRATION, true),
    resource("sym_error_logger", &ERROR_LOGGER, false),
    resource("sym_runtime", &RUNTIME, true),
    resource("sym_secrets", &SECRETS, true),
    resource("sym_secret", &SECRET, false),
    resource("sym_target", &TARGET, true),
    resource("sym_strategy", &STRATEGY, true),
    resource("sym_log_destination", &LOG_DESTINATION, false),
    ResourceSchema {
        since: Since::V3("3.5.0"),
        ..resource("sym_flows_filter", &FLOWS_FILTER, false)
    },
];

/// Every data source of provider 3.x.
pub static DATA_SOURCES: &[ResourceSchema] = &[
    data("sym_environment", &DATA_ENVIRONMENT),
    data("sym_integration", &DATA_INTEGRATION),
    data("sym_runtime", &DATA_RUNTIME),
    data("sym_secrets", &DATA_SECRETS),
];

/// Meta-arguments Terraform accepts in every `resource` / `data` block.
pub const META_ARGUMENTS: &[&str] = &["count", "for_each", "depends_on", "provider", "id"];
/// Meta-blocks Terraform accepts in every `resource` / `data` block.
pub const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection", "dynamic"];

/// The schema of a resource type or data source.
#[must_use]
pub fn lookup(kind: Kind, rtype: &str) -> Option<&'static ResourceSchema> {
    let table = match kind {
        Kind::Resource => RESOURCES,
        Kind::DataSource => DATA_SOURCES,
    };
    table.iter().find(|s| s.rtype == rtype)
}

/// The closest candidate to `word` (Jaro-Winkler), if it is close enough to
/// be a likely typo.
#[must_use]
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Go's `strconv.ParseBool`: the strings the provider's vars warning treats
/// as booleans.
#[must_use]
pub fn go_parses_bool(s: &str) -> bool {
    matches!(
        s,
        "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False"
    )
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits, within 64 bits.
#[must_use]
pub fn go_parses_int(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && s.parse::<i64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_has_a_schema_and_required_names() {
        for r in RESOURCES {
            if r.slugged {
                assert!(
                    r.body.attr("name").is_some_and(|a| a.required),
                    "{}",
                    r.rtype
                );
            }
        }
        assert_eq!(RESOURCES.len(), 11);
        assert_eq!(DATA_SOURCES.len(), 4);
        let flow = lookup(Kind::Resource, "sym_flow").expect("flow");
        let params = flow.body.block("params").expect("params");
        assert_eq!(params.max_items, Some(1));
        let pf = params.body.block("prompt_field").expect("prompt_field");
        assert_eq!(
            pf.body.attr("required").and_then(|a| a.default),
            Some("true")
        );
        assert!(lookup(Kind::DataSource, "sym_flow").is_none());
    }

    #[test]
    fn version_gates() {
        let pf = lookup(Kind::Resource, "sym_flow")
            .and_then(|f| f.body.block("params"))
            .and_then(|p| p.body.block("prompt_field"))
            .expect("prompt_field");
        let v2: Vec<_> = pf.body.names(2).collect();
        assert!(!v2.contains(&"visible") && !v2.contains(&"on_change"));
        assert!(pf.body.names(3).any(|n| n == "visible"));
        assert!(!prompt_field_types(false).contains(&"str_list"));
        assert!(prompt_field_types(true).contains(&"int_list"));
    }

    #[test]
    fn go_parsing_rules_match_the_provider() {
        for s in ["1", "0", "t", "F", "TRUE", "True", "false"] {
            assert!(go_parses_bool(s), "{s}");
        }
        for s in ["yes", "tRuE", "", " true"] {
            assert!(!go_parses_bool(s), "{s}");
        }
        for s in ["1", "+5", "-12", "0"] {
            assert!(go_parses_int(s), "{s}");
        }
        for s in ["", "+", "1.5", "1e3", " 1", "99999999999999999999"] {
            assert!(!go_parses_int(s), "{s}");
        }
    }

    #[test]
    fn did_you_mean_finds_close_names_only() {
        assert_eq!(did_you_mean("lable", ["label", "name"]), Some("label"));
        assert_eq!(did_you_mean("zzz", ["label", "name"]), None);
    }
}
