//! The entities of the Sym API, one [`Kind`] per `/entities/...` collection,
//! each described by a table of its attributes: Terraform name, JSON name
//! (`name` -> `slug`, `params.prompt_field` -> `params.prompt_fields`),
//! encoding (base64 implementations and `on_change`, the `"<null>"`
//! integration of `http` strategies), when it is sent (always / omitted when
//! empty / only when configured) and the provider's default.
//!
//! Desired and remote entities meet as [`Fields`]: Terraform-named,
//! decoded, normalised values with the provider's defaults filled in, so that
//! comparing two of them is a plain field-by-field comparison.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{Map, Value as Json};

/// One `/entities/...` collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Integration,
    SecretSource,
    Secret,
    Runtime,
    ErrorLogger,
    LogDestination,
    Target,
    Strategy,
    Environment,
    Flow,
    FlowsFilter,
}

/// How an entity is found again without a state file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityRule {
    /// `?slug=<name>`
    Slug,
    /// `?slug=<name>&type=<type>`
    SlugAndType,
    /// Nameless: matched by these fields' values.
    Content(&'static [&'static str]),
    /// The flows filter: one per org.
    Singleton,
}

/// How Terraform imports it (reference §2.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Slug,
    TypeSlug,
    Singleton,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Integration,
        Kind::SecretSource,
        Kind::Secret,
        Kind::Runtime,
        Kind::ErrorLogger,
        Kind::LogDestination,
        Kind::Target,
        Kind::Strategy,
        Kind::Environment,
        Kind::Flow,
        Kind::FlowsFilter,
    ];

    /// The Terraform resource type.
    #[must_use]
    pub fn rtype(self) -> &'static str {
        match self {
            Kind::Integration => "sym_integration",
            Kind::SecretSource => "sym_secrets",
            Kind::Secret => "sym_secret",
            Kind::Runtime => "sym_runtime",
            Kind::ErrorLogger => "sym_error_logger",
            Kind::LogDestination => "sym_log_destination",
            Kind::Target => "sym_target",
            Kind::Strategy => "sym_strategy",
            Kind::Environment => "sym_environment",
            Kind::Flow => "sym_flow",
            Kind::FlowsFilter => "sym_flows_filter",
        }
    }

    #[must_use]
    pub fn from_rtype(rtype: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.rtype() == rtype)
    }

    /// The collection path (the flows filter's singleton path).
    #[must_use]
    pub fn collection(self) -> &'static str {
        match self {
            Kind::Integration => "/entities/integrations",
            Kind::SecretSource => "/entities/secret-sources",
            Kind::Secret => "/entities/secrets",
            Kind::Runtime => "/entities/runtimes",
            Kind::ErrorLogger => "/entities/error-loggers",
            Kind::LogDestination => "/entities/log-destinations",
            Kind::Target => "/entities/access-targets",
            Kind::Strategy => "/entities/access-strategies",
            Kind::Environment => "/entities/environments",
            Kind::Flow => "/entities/flows",
            Kind::FlowsFilter => "/entities/flows-filter",
        }
    }

    /// The path of one entity.
    #[must_use]
    pub fn item_path(self, id: &str) -> String {
        if self == Kind::FlowsFilter {
            return self.collection().to_owned();
        }
        format!("{}/{}", self.collection(), id)
    }

    #[must_use]
    pub fn identity(self) -> IdentityRule {
        match self {
            Kind::Flow | Kind::Environment | Kind::Runtime => IdentityRule::Slug,
            Kind::Integration | Kind::SecretSource | Kind::Target | Kind::Strategy => {
                IdentityRule::SlugAndType
            }
            Kind::ErrorLogger => IdentityRule::Content(&["integration_id", "destination"]),
            Kind::Secret => IdentityRule::Content(&["source_id", "path"]),
            Kind::LogDestination => IdentityRule::Content(&["type", "integration_id", "settings"]),
            Kind::FlowsFilter => IdentityRule::Singleton,
        }
    }

    #[must_use]
    pub fn import_format(self) -> ImportFormat {
        match self {
            Kind::Flow | Kind::Environment | Kind::Runtime | Kind::ErrorLogger | Kind::Secret => {
                ImportFormat::Slug
            }
            Kind::Integration
            | Kind::Target
            | Kind::Strategy
            | Kind::SecretSource
            | Kind::LogDestination => ImportFormat::TypeSlug,
            Kind::FlowsFilter => ImportFormat::Singleton,
        }
    }

    /// The attribute table.
    #[must_use]
    pub fn attrs(self) -> &'static [Attr] {
        match self {
            Kind::Flow => FLOW,
            Kind::Environment => ENVIRONMENT,
            Kind::Integration => INTEGRATION,
            Kind::Runtime => RUNTIME,
            Kind::SecretSource => SECRET_SOURCE,
            Kind::Secret => SECRET,
            Kind::Target => TARGET,
            Kind::Strategy => STRATEGY,
            Kind::ErrorLogger => ERROR_LOGGER,
            Kind::LogDestination => LOG_DESTINATION,
            Kind::FlowsFilter => FLOWS_FILTER,
        }
    }

    /// A human name for messages.
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Integration => "integration",
            Kind::SecretSource => "secret source",
            Kind::Secret => "secret",
            Kind::Runtime => "runtime",
            Kind::ErrorLogger => "error logger",
            Kind::LogDestination => "log destination",
            Kind::Target => "target",
            Kind::Strategy => "strategy",
            Kind::Environment => "environment",
            Kind::Flow => "flow",
            Kind::FlowsFilter => "flows filter",
        }
    }
}

/// The shape of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A case-insensitive name (JSON `slug`).
    Name,
    Str,
    /// Source code: compared exactly, shown as a unified diff.
    Text,
    Bool,
    /// A list of strings.
    List,
    /// A map of strings (settings, vars, integrations).
    Map,
    /// A list of prompt fields.
    PromptFields,
}

/// The provider's default when the attribute is not configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Def {
    Required,
    /// `""`, `[]` or `{}`.
    Empty,
    True,
    False,
    /// Stays absent (`allowed_sources`: unset is not `[]`).
    Unset,
}

/// When the attribute goes into a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Send {
    Always,
    /// Left out when empty (the provider's `omitempty`).
    OmitEmpty,
    /// Sent only when configured.
    OmitUnset,
}

/// How the value is encoded in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Plain,
    /// Standard base64 with padding.
    Base64,
    /// The literal `"<null>"` when empty and the entity's type is one of these.
    NullFor(&'static [&'static str]),
}

/// One attribute of an entity.
#[derive(Debug, Clone, Copy)]
pub struct Attr {
    /// Terraform name; `params.x` for the flow's params block.
    pub key: &'static str,
    /// JSON path (dots for nesting).
    pub json: &'static str,
    pub ty: Ty,
    pub def: Def,
    pub send: Send,
    pub enc: Enc,
}

const fn a(key: &'static str, json: &'static str, ty: Ty, def: Def, send: Send) -> Attr {
    Attr {
        key,
        json,
        ty,
        def,
        send,
        enc: Enc::Plain,
    }
}

const fn name() -> Attr {
    a("name", "slug", Ty::Name, Def::Required, Send::Always)
}
const fn label() -> Attr {
    a("label", "label", Ty::Str, Def::Empty, Send::OmitEmpty)
}
const fn typ() -> Attr {
    a("type", "type", Ty::Str, Def::Required, Send::Always)
}
const fn settings() -> Attr {
    a("settings", "settings", Ty::Map, Def::Empty, Send::Always)
}
const fn b64(mut attr: Attr) -> Attr {
    attr.enc = Enc::Base64;
    attr
}
const fn null_for(mut attr: Attr, types: &'static [&'static str]) -> Attr {
    attr.enc = Enc::NullFor(types);
    attr
}

static FLOW: &[Attr] = &[
    name(),
    label(),
    b64(a(
        "implementation",
        "implementation",
        Ty::Text,
        Def::Required,
        Send::Always,
    )),
    a(
        "environment_id",
        "environment_id",
        Ty::Str,
        Def::Required,
        Send::Always,
    ),
    a("vars", "vars", Ty::Map, Def::Empty, Send::Always),
    a(
        "params.strategy_id",
        "params.strategy_id",
        Ty::Str,
        Def::Empty,
        Send::OmitEmpty,
    ),
    a(
        "params.allow_revoke",
        "params.allow_revoke",
        Ty::Bool,
        Def::True,
        Send::Always,
    ),
    a(
        "params.schedule_deescalation",
        "params.schedule_deescalation",
        Ty::Bool,
        Def::True,
        Send::Always,
    ),
    a(
        "params.include_decision_message",
        "params.include_decision_message",
        Ty::Bool,
        Def::False,
        Send::Always,
    ),
    a(
        "params.allow_guest_interaction",
        "params.allow_guest_interaction",
        Ty::Bool,
        Def::False,
        Send::Always,
    ),
    a(
        "params.additional_header_text",
        "params.additional_header_text",
        Ty::Str,
        Def::Empty,
        Send::Always,
    ),
    a(
        "params.allowed_sources",
        "params.allowed_sources",
        Ty::List,
        Def::Unset,
        Send::OmitUnset,
    ),
    a(
        "params.prompt_field",
        "params.prompt_fields",
        Ty::PromptFields,
        Def::Empty,
        Send::Always,
    ),
];

/// The attributes of one `params.prompt_field` block.
pub static PROMPT_FIELD: &[Attr] = &[
    a("name", "name", Ty::Str, Def::Required, Send::Always),
    a("type", "type", Ty::Str, Def::Required, Send::Always),
    a("required", "required", Ty::Bool, Def::True, Send::Always),
    a("label", "label", Ty::Str, Def::Empty, Send::Always),
    a("default", "default", Ty::Str, Def::Empty, Send::Always),
    a("visible", "visible", Ty::Bool, Def::True, Send::Always),
    a(
        "allowed_values",
        "allowed_values",
        Ty::List,
        Def::Empty,
        Send::Always,
    ),
    a("prefetch", "prefetch", Ty::Bool, Def::False, Send::Always),
    b64(a(
        "on_change",
        "on_change",
        Ty::Text,
        Def::Empty,
        Send::Always,
    )),
];

static ENVIRONMENT: &[Attr] = &[
    name(),
    label(),
    a(
        "runtime_id",
        "runtime_id",
        Ty::Str,
        Def::Empty,
        Send::OmitEmpty,
    ),
    a(
        "integrations",
        "integrations",
        Ty::Map,
        Def::Empty,
        Send::Always,
    ),
    a(
        "error_logger_id",
        "error_logger_id",
        Ty::Str,
        Def::Empty,
        Send::OmitEmpty,
    ),
    a(
        "log_destination_ids",
        "log_destination_ids",
        Ty::List,
        Def::Empty,
        Send::OmitEmpty,
    ),
];

static INTEGRATION: &[Attr] = &[
    typ(),
    name(),
    a(
        "external_id",
        "external_id",
        Ty::Str,
        Def::Required,
        Send::Always,
    ),
    label(),
    settings(),
];

static RUNTIME: &[Attr] = &[
    name(),
    label(),
    a(
        "context_id",
        "context_id",
        Ty::Str,
        Def::Empty,
        Send::OmitEmpty,
    ),
];

static SECRET_SOURCE: &[Attr] = &[typ(), name(), label(), settings()];

static SECRET: &[Attr] = &[
    a("path", "path", Ty::Str, Def::Required, Send::Always),
    a(
        "source_id",
        "source_id",
        Ty::Str,
        Def::Required,
        Send::Always,
    ),
    label(),
    settings(),
];

static TARGET: &[Attr] = &[
    typ(),
    name(),
    label(),
    a(
        "field_bindings",
        "field_bindings",
        Ty::List,
        Def::Empty,
        Send::OmitEmpty,
    ),
    settings(),
];

static STRATEGY: &[Attr] = &[
    typ(),
    name(),
    label(),
    null_for(
        a(
            "integration_id",
            "integration_id",
            Ty::Str,
            Def::Empty,
            Send::Always,
        ),
        &["http"],
    ),
    a("targets", "targets", Ty::List, Def::Required, Send::Always),
    settings(),
    b64(a(
        "implementation",
        "implementation",
        Ty::Text,
        Def::Empty,
        Send::OmitEmpty,
    )),
];

static ERROR_LOGGER: &[Attr] = &[
    a(
        "integration_id",
        "integration_id",
        Ty::Str,
        Def::Required,
        Send::Always,
    ),
    a(
        "destination",
        "destination",
        Ty::Str,
        Def::Required,
        Send::Always,
    ),
];

static LOG_DESTINATION: &[Attr] = &[
    typ(),
    null_for(
        a(
            "integration_id",
            "integration_id",
            Ty::Str,
            Def::Empty,
            Send::Always,
        ),
        &["http", "datadog"],
    ),
    settings(),
];

static FLOWS_FILTER: &[Attr] = &[
    b64(a(
        "implementation",
        "implementation",
        Ty::Text,
        Def::Required,
        Send::Always,
    )),
    a("vars", "vars", Ty::Map, Def::Empty, Send::Always),
    a(
        "integrations",
        "integrations",
        Ty::Map,
        Def::Empty,
        Send::Always,
    ),
];

/// Why a desired value is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    /// What the value depends on: `aws_iam_role.x.arn`, `var.y`, `module.m`.
    pub what: String,
    /// What to do about it.
    pub hint: String,
}

/// A value, desired or remote, in Terraform terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Name(String),
    Str(String),
    Text(String),
    Bool(bool),
    List(Vec<String>),
    Map(BTreeMap<String, String>),
    PromptFields(Vec<Fields>),
    /// Desired only: the id of an entity of this module that does not exist
    /// yet (known after apply); the instance address.
    Pending(String),
    /// Desired only: a value symflow cannot know.
    Blocked(Blocker),
}

impl Field {
    /// The same value, for a diff (names ignore case).
    #[must_use]
    pub fn same_as(&self, other: &Field) -> bool {
        match (self, other) {
            (Field::Name(a) | Field::Str(a), Field::Name(b) | Field::Str(b))
                if matches!(self, Field::Name(_)) || matches!(other, Field::Name(_)) =>
            {
                // Unicode, like the provider's `strings.EqualFold` (and the
                // API's lower-casing of slugs), not just ASCII.
                a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
            }
            (Field::PromptFields(a), Field::PromptFields(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| fields_equal(x, y))
            }
            (Field::Pending(_) | Field::Blocked(_), _)
            | (_, Field::Pending(_) | Field::Blocked(_)) => false,
            _ => self == other,
        }
    }

    /// True for `""`, `[]`, `{}`.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self {
            Field::Name(s) | Field::Str(s) | Field::Text(s) => s.is_empty(),
            Field::List(l) => l.is_empty(),
            Field::Map(m) => m.is_empty(),
            Field::PromptFields(p) => p.is_empty(),
            Field::Bool(_) | Field::Pending(_) | Field::Blocked(_) => false,
        }
    }

    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Field::Name(s) | Field::Str(s) | Field::Text(s) => Some(s),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_known(&self) -> bool {
        match self {
            Field::Pending(_) | Field::Blocked(_) => false,
            Field::PromptFields(p) => p.iter().all(|f| f.values().all(Field::is_known)),
            _ => true,
        }
    }
}

/// Terraform-named attributes of one entity.
pub type Fields = BTreeMap<String, Field>;

/// Two field sets hold the same values (names ignore case).
#[must_use]
pub fn fields_equal(a: &Fields, b: &Fields) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(k, v)| b.get(k).is_some_and(|w| v.same_as(w)))
}

/// The default value of an attribute, if it has one.
#[must_use]
pub fn default_of(attr: &Attr) -> Option<Field> {
    Some(match (attr.def, attr.ty) {
        (Def::Required | Def::Unset, _) => return None,
        (Def::True, _) => Field::Bool(true),
        (Def::False, _) => Field::Bool(false),
        (Def::Empty, Ty::Name) => Field::Name(String::new()),
        (Def::Empty, Ty::Str) => Field::Str(String::new()),
        (Def::Empty, Ty::Text) => Field::Text(String::new()),
        (Def::Empty, Ty::Bool) => Field::Bool(false),
        (Def::Empty, Ty::List) => Field::List(Vec::new()),
        (Def::Empty, Ty::Map) => Field::Map(BTreeMap::new()),
        (Def::Empty, Ty::PromptFields) => Field::PromptFields(Vec::new()),
    })
}

/// Fill in the provider's defaults for attributes that are not set.
pub fn fill_defaults(attrs: &[Attr], fields: &mut Fields) {
    for attr in attrs {
        if !fields.contains_key(attr.key) {
            if let Some(d) = default_of(attr) {
                fields.insert(attr.key.to_owned(), d);
            }
        }
    }
}

/// An entity as the API returned it.
#[derive(Debug, Clone, PartialEq)]
pub struct Remote {
    pub kind: Kind,
    pub id: String,
    /// The server's slug (for nameless entities, server-derived; used only
    /// for Terraform import ids).
    pub slug: Option<String>,
    pub fields: Fields,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum EntityError {
    #[error("the {noun} answer has no `id`")]
    NoId { noun: &'static str },
    #[error("the {noun} answer is not a JSON object")]
    NotObject { noun: &'static str },
    #[error("`{key}` of {address} is not known yet")]
    NotKnown { address: String, key: String },
}

/// Decode one entity of `kind` from the API's JSON: renames undone, base64
/// decoded, null settings dropped, `"<null>"` integrations emptied, the
/// provider's defaults filled in.
///
/// # Errors
/// An answer that is not an object or has no id.
pub fn decode(kind: Kind, json: &Json) -> Result<Remote, EntityError> {
    let obj = json
        .as_object()
        .ok_or(EntityError::NotObject { noun: kind.noun() })?;
    let id = obj
        .get("id")
        .and_then(scalar_string)
        .filter(|s| !s.is_empty())
        .ok_or(EntityError::NoId { noun: kind.noun() })?;
    let slug = obj.get("slug").and_then(scalar_string);
    let fields = decode_fields(kind.attrs(), obj);
    Ok(Remote {
        kind,
        id,
        slug,
        fields,
    })
}

fn decode_fields(attrs: &[Attr], obj: &Map<String, Json>) -> Fields {
    let mut fields = Fields::new();
    for attr in attrs {
        let raw = lookup(obj, attr.json);
        if let Some(v) = raw.and_then(|raw| decode_value(attr, raw)) {
            fields.insert(attr.key.to_owned(), v);
        }
    }
    fill_defaults(attrs, &mut fields);
    fields
}

fn lookup<'a>(obj: &'a Map<String, Json>, path: &str) -> Option<&'a Json> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let mut cur = obj.get(first)?;
    for p in parts {
        cur = cur.as_object()?.get(p)?;
    }
    Some(cur)
}

fn scalar_string(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn decode_value(attr: &Attr, raw: &Json) -> Option<Field> {
    if raw.is_null() {
        return None;
    }
    Some(match attr.ty {
        Ty::Name => Field::Name(scalar_string(raw)?),
        Ty::Str => {
            let s = scalar_string(raw)?;
            match attr.enc {
                Enc::NullFor(_) if s == "<null>" => Field::Str(String::new()),
                _ => Field::Str(s),
            }
        }
        Ty::Text => {
            let s = scalar_string(raw)?;
            Field::Text(if attr.enc == Enc::Base64 {
                decode_base64(&s)
            } else {
                s
            })
        }
        Ty::Bool => match raw {
            Json::Bool(b) => Field::Bool(*b),
            Json::String(s) => Field::Bool(s.eq_ignore_ascii_case("true")),
            _ => return None,
        },
        Ty::List => Field::List(raw.as_array()?.iter().filter_map(scalar_string).collect()),
        Ty::Map => Field::Map(
            raw.as_object()?
                .iter()
                .filter_map(|(k, v)| scalar_string(v).map(|s| (k.clone(), s)))
                .collect(),
        ),
        Ty::PromptFields => Field::PromptFields(
            raw.as_array()?
                .iter()
                .filter_map(|item| item.as_object().map(|o| decode_fields(PROMPT_FIELD, o)))
                .collect(),
        ),
    })
}

/// Base64 text as UTF-8, or the raw text when it is not base64 (tolerant
/// of an API that stored plain text).
fn decode_base64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| s.to_owned())
}

/// Build the JSON body for `kind` from fully known `fields`. With `clear`,
/// attributes that are normally omitted when empty are sent empty (to clear
/// them on update).
///
/// # Errors
/// A field that is not known yet.
pub fn encode(
    kind: Kind,
    address: &str,
    fields: &Fields,
    id: Option<&str>,
    clear: &[String],
) -> Result<Json, EntityError> {
    let mut obj = encode_fields(kind.attrs(), address, fields, clear)?;
    if let (Some(id), true) = (id, kind != Kind::FlowsFilter) {
        obj.insert("id".to_owned(), Json::String(id.to_owned()));
    }
    Ok(Json::Object(obj))
}

fn encode_fields(
    attrs: &[Attr],
    address: &str,
    fields: &Fields,
    clear: &[String],
) -> Result<Map<String, Json>, EntityError> {
    let mut obj = Map::new();
    let typ = fields.get("type").and_then(Field::as_str).unwrap_or("");
    for attr in attrs {
        let value = fields.get(attr.key).cloned().or_else(|| default_of(attr));
        let Some(value) = value else { continue };
        let cleared = clear.iter().any(|c| c == attr.key);
        if attr.send == Send::OmitEmpty && value.is_empty() && !cleared {
            continue;
        }
        let json = match value {
            Field::Name(s) | Field::Str(s) => match attr.enc {
                Enc::NullFor(types) if s.is_empty() && types.contains(&typ) => {
                    Json::String("<null>".to_owned())
                }
                _ => Json::String(s),
            },
            Field::Text(s) => Json::String(if attr.enc == Enc::Base64 {
                base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
            } else {
                s
            }),
            Field::Bool(b) => Json::Bool(b),
            Field::List(l) => Json::Array(l.into_iter().map(Json::String).collect()),
            Field::Map(m) => {
                Json::Object(m.into_iter().map(|(k, v)| (k, Json::String(v))).collect())
            }
            Field::PromptFields(items) => Json::Array(
                items
                    .iter()
                    .map(|f| encode_fields(PROMPT_FIELD, address, f, &[]).map(Json::Object))
                    .collect::<Result<_, _>>()?,
            ),
            Field::Pending(_) | Field::Blocked(_) => {
                return Err(EntityError::NotKnown {
                    address: address.to_owned(),
                    key: attr.key.to_owned(),
                })
            }
        };
        insert_path(&mut obj, attr.json, json);
    }
    Ok(obj)
}

fn insert_path(obj: &mut Map<String, Json>, path: &str, value: Json) {
    match path.split_once('.') {
        None => {
            obj.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = obj
                .entry(head.to_owned())
                .or_insert_with(|| Json::Object(Map::new()));
            if !child.is_object() {
                *child = Json::Object(Map::new());
            }
            if let Json::Object(m) = child {
                insert_path(m, rest, value);
            }
        }
    }
}

/// The lookup query of a slugged entity: `slug` (lower-cased, as the API
/// stores it) and, for typed kinds, `type`.
#[must_use]
pub fn lookup_query(kind: Kind, fields: &Fields) -> Option<Vec<(&'static str, String)>> {
    let slug = fields.get("name").and_then(Field::as_str)?;
    match kind.identity() {
        IdentityRule::Slug => Some(vec![("slug", slug.to_lowercase())]),
        IdentityRule::SlugAndType => {
            let typ = fields.get("type").and_then(Field::as_str)?;
            Some(vec![
                ("slug", slug.to_lowercase()),
                ("type", typ.to_owned()),
            ])
        }
        _ => None,
    }
}

/// True when a remote entity is the one these desired fields describe:
/// same name (ignoring case) and type, or the same identifying content.
#[must_use]
pub fn same_identity(kind: Kind, desired: &Fields, remote: &Fields) -> bool {
    let eq = |k: &str| match (desired.get(k), remote.get(k)) {
        (Some(a), Some(b)) => a.same_as(b),
        (None, None) => true,
        _ => false,
    };
    match kind.identity() {
        IdentityRule::Slug => eq("name"),
        IdentityRule::SlugAndType => eq("name") && eq("type"),
        IdentityRule::Content(keys) => keys.iter().all(|k| eq(k)),
        IdentityRule::Singleton => true,
    }
}

/// The Terraform import id of a remote entity (reference §2.0).
#[must_use]
pub fn import_id(remote: &Remote) -> Option<String> {
    let slug = remote.slug.clone().or_else(|| {
        remote
            .fields
            .get("name")
            .and_then(Field::as_str)
            .map(str::to_owned)
    });
    match remote.kind.import_format() {
        ImportFormat::Singleton => Some("sym_flows_filter".to_owned()),
        ImportFormat::Slug => slug,
        ImportFormat::TypeSlug => {
            let typ = remote.fields.get("type").and_then(Field::as_str)?;
            Some(format!("{typ}:{}", slug?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flow_fields() -> Fields {
        let mut f = Fields::new();
        f.insert("name".into(), Field::Name("Access".into()));
        f.insert("implementation".into(), Field::Text("print('hi')\n".into()));
        f.insert("environment_id".into(), Field::Str("env-1".into()));
        let mut pf = Fields::new();
        pf.insert("name".into(), Field::Str("reason".into()));
        pf.insert("type".into(), Field::Str("string".into()));
        fill_defaults(PROMPT_FIELD, &mut pf);
        f.insert("params.prompt_field".into(), Field::PromptFields(vec![pf]));
        fill_defaults(FLOW, &mut f);
        f
    }

    #[test]
    fn flow_encodes_with_renames_base64_and_defaults() {
        let body = encode(Kind::Flow, "sym_flow.a", &flow_fields(), None, &[]).expect("known");
        assert_eq!(
            body,
            json!({
                "slug": "Access",
                "implementation": "cHJpbnQoJ2hpJykK",
                "environment_id": "env-1",
                "vars": {},
                "params": {
                    "allow_revoke": true,
                    "schedule_deescalation": true,
                    "include_decision_message": false,
                    "allow_guest_interaction": false,
                    "additional_header_text": "",
                    "prompt_fields": [{
                        "name": "reason", "type": "string", "required": true,
                        "label": "", "default": "", "visible": true,
                        "allowed_values": [], "prefetch": false, "on_change": ""
                    }]
                }
            })
        );
    }

    #[test]
    fn decode_round_trips_and_normalises() {
        let mut body = encode(Kind::Flow, "sym_flow.a", &flow_fields(), None, &[]).expect("known");
        body["id"] = json!("f-1");
        body["slug"] = json!("access");
        body["vars"] = json!({"a": null});
        body["params"]["prompt_fields"][0]["on_change"] = json!(null);
        body["params"]["unknown_key"] = json!(1);
        let remote = decode(Kind::Flow, &body).expect("decodes");
        assert_eq!(remote.id, "f-1");
        assert!(fields_equal(&remote.fields, &flow_fields()));
    }

    #[test]
    fn null_integration_for_http_strategies() {
        let mut f = Fields::new();
        f.insert("type".into(), Field::Str("http".into()));
        f.insert("name".into(), Field::Name("s".into()));
        f.insert("targets".into(), Field::List(vec!["t".into()]));
        fill_defaults(STRATEGY, &mut f);
        let body = encode(Kind::Strategy, "x", &f, Some("id-1"), &[]).expect("known");
        assert_eq!(body["integration_id"], json!("<null>"));
        assert_eq!(body["id"], json!("id-1"));
        assert!(body.get("implementation").is_none());
        let back = decode(Kind::Strategy, &body).expect("decode");
        assert!(fields_equal(&back.fields, &f));
    }

    #[test]
    fn omitted_fields_are_sent_when_cleared() {
        let mut f = Fields::new();
        f.insert("name".into(), Field::Name("prod".into()));
        fill_defaults(ENVIRONMENT, &mut f);
        let body = encode(Kind::Environment, "x", &f, None, &[]).expect("known");
        assert!(body.get("label").is_none());
        let body = encode(Kind::Environment, "x", &f, None, &["label".into()]).expect("known");
        assert_eq!(body["label"], json!(""));
    }

    #[test]
    fn pending_fields_cannot_be_encoded() {
        let mut f = flow_fields();
        f.insert(
            "environment_id".into(),
            Field::Pending("sym_environment.e".into()),
        );
        assert!(encode(Kind::Flow, "sym_flow.a", &f, None, &[]).is_err());
    }

    #[test]
    fn import_ids_follow_the_reference() {
        let remote = |kind, slug: &str, typ: Option<&str>| {
            let mut fields = Fields::new();
            if let Some(t) = typ {
                fields.insert("type".into(), Field::Str(t.into()));
            }
            Remote {
                kind,
                id: "u".into(),
                slug: Some(slug.into()),
                fields,
            }
        };
        assert_eq!(
            import_id(&remote(Kind::Flow, "a", None)).as_deref(),
            Some("a")
        );
        assert_eq!(
            import_id(&remote(Kind::Integration, "pd", Some("pagerduty"))).as_deref(),
            Some("pagerduty:pd")
        );
        assert_eq!(
            import_id(&remote(Kind::FlowsFilter, "x", None)).as_deref(),
            Some("sym_flows_filter")
        );
    }
}
