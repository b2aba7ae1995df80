//! The public surface of Sym's Python SDK (`sym-sdk` 0.61.0) as data:
//! its module tree (module -> names it exports), the template steps hooks are
//! named after, and the reducers the runtime knows. Source:
//! `reference/sym-sdk.md` §1 (module tree), §2.2 (reducers), §2.3 (steps).
//!
//! Lint rules and the `symflow test` runner share these tables so that what
//! `validate` accepts and what the stand-in SDK provides cannot drift apart.

/// One module (or package) of `sym.sdk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SdkModule {
    /// Dotted path, e.g. `sym.sdk.annotations`.
    pub path: &'static str,
    /// Names the module exports (functions, classes, re-exports), not its
    /// submodules.
    pub names: &'static [&'static str],
    /// Submodules, for packages (`sym.sdk.integrations` -> `slack`, ...).
    pub submodules: &'static [&'static str],
    /// Other SDK names present at runtime without being exported: what the
    /// module imports for its own use (`sym.sdk.event` imports `User`), so
    /// `from sym.sdk.event import User` works. Typing and library helpers
    /// are in [`INCIDENTAL_NAMES`] instead.
    pub leaked: &'static [&'static str],
    /// True when everything the module holds at runtime is known: its
    /// names, submodules and leaked names (plus [`INCIDENTAL_NAMES`]), as
    /// in the 0.61.0 wheel. Lint then reports any other name. For a module
    /// whose contents are not fully known, a name might be a submodule or
    /// leak in through an import, so lint only reports names found nowhere
    /// in the SDK.
    pub complete: bool,
}

impl SdkModule {
    /// Whether `from <self> import <name>` succeeds as far as the reference
    /// knows: an exported name or a submodule.
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.names.contains(&name) || self.submodules.contains(&name)
    }

    /// Whether `from <self> import <name>` succeeds at runtime as far as
    /// the reference knows: [`SdkModule::has`], a leaked name, a private
    /// name or an incidental import.
    #[must_use]
    pub fn has_at_runtime(&self, name: &str) -> bool {
        self.has(name)
            || self.leaked.contains(&name)
            || name.starts_with('_')
            || INCIDENTAL_NAMES.contains(&name)
    }

    /// The same module with names it holds at runtime without exporting
    /// them ([`SdkModule::leaked`]).
    const fn leaking(self, leaked: &'static [&'static str]) -> Self {
        SdkModule { leaked, ..self }
    }
}

/// The steps of the `sym:approval` template, in run order, followed by
/// `$extra` (one list written once for the two constants below).
macro_rules! steps_and {
    ($($extra:literal),*) => {
        &[
            "prompt",
            "request",
            "request_forward",
            "request_expire",
            "approve",
            "deny",
            "escalate",
            "deescalate",
            $($extra),*
        ]
    };
}

/// The steps of the `sym:approval` template (`ApprovalTemplateStep`), in
/// the order a run goes through them. Hooks are `on_<step>` / `after_<step>`.
pub const TEMPLATE_STEPS: &[&str] = steps_and!();

/// Template actions a hook can return (`ApprovalTemplate.<action>(...)`):
/// every step plus `ignore`.
pub const TEMPLATE_ACTIONS: &[&str] = steps_and!("ignore");

/// Hook names of the pre-`sym.sdk` API and what they are called now.
pub const LEGACY_HOOKS: &[(&str, &str)] = &[
    ("on_approval", "on_approve"),
    ("after_approval", "after_approve"),
    ("on_denial", "on_deny"),
    ("after_denial", "after_deny"),
];

/// Whether a reducer is current, deprecated or an optional extra.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReducerStatus {
    Current,
    Deprecated,
    Optional,
}

/// A reducer the approval template knows (§2.2).
#[derive(Debug, Clone, Copy)]
pub struct KnownReducer {
    pub name: &'static str,
    pub status: ReducerStatus,
    /// What it must return, for messages.
    pub returns: &'static str,
}

/// Reducers of `sym_flow` implementations.
pub const FLOW_REDUCERS: &[KnownReducer] = &[
    KnownReducer {
        name: "get_permissions",
        status: ReducerStatus::Current,
        returns: "RequestPermission",
    },
    KnownReducer {
        name: "get_request_notifications",
        status: ReducerStatus::Current,
        returns: "List[Notification]",
    },
    KnownReducer {
        name: "get_approvers",
        status: ReducerStatus::Deprecated,
        returns: "RequestDestination or RequestDestinationFallback",
    },
    KnownReducer {
        name: "get_identity",
        status: ReducerStatus::Optional,
        returns: "Optional[str]",
    },
    KnownReducer {
        name: "get_identity_lookup",
        status: ReducerStatus::Optional,
        returns: "an alternative email",
    },
    KnownReducer {
        name: "get_timeout",
        status: ReducerStatus::Optional,
        returns: "a request timeout",
    },
];

/// The reducer of a `sym_flows_filter` implementation.
pub const FLOWS_FILTER_REDUCERS: &[&str] = &["get_flows"];

/// A flow implementation needs one of these reducers (§2.2: "If
/// `get_permissions` is not present, `get_approvers` is required").
pub const REQUIRED_REDUCERS: &[&str] = &["get_permissions", "get_approvers"];

/// What replaces the deprecated `get_approvers` (§1.16, §2.2).
pub const GET_APPROVERS_REPLACEMENT: &str = "replace it with a `get_permissions` reducer returning `RequestPermission` (who may approve) and a `get_request_notifications` reducer returning a list of `Notification` (where requests go)";

/// Fields Sym adds to the payload of flows with a strategy (§3.2, §6).
pub const STRATEGY_IMPLICIT_FIELDS: &[&str] = &["target", "target_id", "duration"];

/// Handler decorators of `sym.sdk.annotations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerDecorator {
    Hook,
    Reducer,
    Prefetch,
}

impl HandlerDecorator {
    /// Classify a fully resolved decorator path: `sym.sdk.annotations.hook`,
    /// the re-export `sym.sdk.hook`, the private `_handlers` module, or the
    /// pre-`sym.sdk` `sym.annotations` API.
    #[must_use]
    pub fn from_path(path: &str) -> Option<Self> {
        let last = path.rsplit('.').next()?;
        let module = path
            .get(..path.len() - last.len())
            .map(|m| m.trim_end_matches('.'))?;
        if !matches!(
            module,
            "sym.sdk" | "sym.sdk.annotations" | "sym.sdk.annotations._handlers" | "sym.annotations"
        ) {
            return None;
        }
        Self::from_name(last)
    }

    /// The decorator a bare name stands for.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "hook" => Some(Self::Hook),
            "reducer" => Some(Self::Reducer),
            "prefetch" => Some(Self::Prefetch),
            _ => None,
        }
    }
}

const SYM_SDK_ALL: &[&str] = &[
    "AccessTarget",
    "ApprovalTemplate",
    "Channel",
    "Event",
    "EventMeta",
    "FieldOption",
    "Flow",
    "RequestPermission",
    "Payload",
    "RequestDestination",
    "RequestDestinationFallback",
    "PermissionLevel",
    "Run",
    "SRN",
    "SlackChannelID",
    "SlackChannelName",
    "SlackUser",
    "SlackUserGroup",
    "SymIntegrationError",
    "SymResource",
    "SymSDKError",
    "Template",
    "User",
    "UserIdentity",
    "UserRole",
    "aws_lambda",
    "github",
    "google",
    "hook",
    "okta",
    "onelogin",
    "pagerduty",
    "prefetch",
    "reducer",
    "slack",
    // present at runtime, not in `__all__`
    "Environment",
    "sym",
];

const EXCEPTIONS_ALL: &[&str] = &[
    "AccessStrategyError",
    "AptibleError",
    "AWSError",
    "AWSIAMError",
    "AWSSSOError",
    "AWSLambdaError",
    "BoundaryError",
    "CouldNotSaveError",
    "ExceptionWithHint",
    "GitHubError",
    "GoogleError",
    "HTTPError",
    "IdentityError",
    "JiraError",
    "KnowBe4Error",
    "MissingArgument",
    "OktaError",
    "OneLoginError",
    "PagerDutyError",
    "SDKError",
    "SlackError",
    "SymException",
    "SymIntegrationError",
];

const INTEGRATIONS: &[&str] = &[
    "aws_iam",
    "aws_lambda",
    "aws_sso",
    "boundary",
    "github",
    "google",
    "jira",
    "knowbe4",
    "okta",
    "onelogin",
    "pagerduty",
    "slack",
    "store",
    "sym",
];

/// What `sym.sdk.integrations` holds besides its submodules: its
/// `__init__.py` star-imports each module of its `__all__` (not `jira`,
/// `store`), so their functions and imports leak into the package and
/// shadow each other (reference §1.15).
const INTEGRATIONS_LEAKED: &[&str] = &[
    "AWSIAMError",
    "AWSLambdaError",
    "AWSSSOError",
    "BoundaryError",
    "Event",
    "GitHubDefaultRolesT",
    "GitHubError",
    "GitHubRoleT",
    "GoogleError",
    "KnowBe4Error",
    "OktaError",
    "PagerDutyError",
    "PagerDutyStatus",
    "PagerDutyUrgency",
    "RequestDestination",
    "RequestDestinationFallback",
    "SlackChannelID",
    "SlackChannelName",
    "SlackError",
    "SlackUser",
    "SlackUserGroup",
    "User",
    "channel",
    "fallback",
    "get_group",
    "get_incidents",
    "get_or_create_user_by_email",
    "get_or_create_users_by_emails",
    "get_repo_collaborators",
    "get_training_enrollments_for_user",
    "get_user_info",
    "group",
    "has_incident",
    "invoke",
    "invoke_async",
    "is_on_call",
    "is_user_in_group",
    "is_user_in_role",
    "list_accounts",
    "list_groups",
    "list_roles",
    "list_users",
    "mention",
    "send_message",
    "send_thread_message",
    "user",
    "users_for_schedule",
    "users_in_channel",
    "users_in_group",
    "users_in_role",
    "users_on_call",
];

const fn module(
    path: &'static str,
    names: &'static [&'static str],
    submodules: &'static [&'static str],
    complete: bool,
) -> SdkModule {
    SdkModule {
        path,
        names,
        submodules,
        leaked: &[],
        complete,
    }
}

/// Every module of `sym.sdk` 0.61.0 the reference documents.
pub const MODULES: &[SdkModule] = &[
    module(
        "sym.sdk",
        SYM_SDK_ALL,
        &[
            "annotations",
            "errors",
            "event",
            "exceptions",
            "field_option",
            "flow",
            "forms",
            "integrations",
            "models",
            "notifications",
            "request_destination",
            "request_permission",
            "resource",
            "secret",
            "strategies",
            "strategy",
            "target",
            "templates",
            "tests",
            "user",
            "utils",
        ],
        true,
    ),
    module(
        "sym.sdk.annotations",
        &["hook", "reducer", "prefetch"],
        &["_handlers"],
        true,
    ),
    module(
        "sym.sdk.annotations._handlers",
        &["hook", "reducer", "prefetch"],
        &[],
        true,
    )
    .leaking(&["FieldOption"]),
    module(
        "sym.sdk.templates",
        &[
            "ApprovalTemplate",
            "ApprovalTemplateStep",
            "Template",
            "TemplateStep",
            "get_step_output",
        ],
        &["approval", "step", "template"],
        true,
    ),
    module(
        "sym.sdk.templates.approval",
        &["ApprovalTemplate", "ApprovalTemplateStep"],
        &[],
        true,
    )
    .leaking(&["SRN", "Template"]),
    module(
        "sym.sdk.templates.step",
        &["ApprovalTemplateStep", "get_step_output"],
        &[],
        true,
    ),
    module(
        "sym.sdk.templates.template",
        &["Template", "TemplateStep"],
        &[],
        true,
    )
    .leaking(&["SymResource"]),
    module(
        "sym.sdk.event",
        &["Payload", "Channel", "EventMeta", "Event"],
        &[],
        true,
    )
    .leaking(&["Flow", "Run", "SRN", "SymResource", "Template", "User"]),
    module("sym.sdk.flow", &["Environment", "Flow", "Run"], &[], true)
        .leaking(&["SymResource", "User"]),
    module(
        "sym.sdk.user",
        &["user_ids", "UserIdentity", "UserRole", "User"],
        &[],
        true,
    )
    .leaking(&["PermissionLevel", "SymBaseResource"]),
    module("sym.sdk.target", &["AccessTarget"], &[], true).leaking(&["SymResource"]),
    module("sym.sdk.secret", &["SecretSource", "Secret"], &[], true).leaking(&["SymResource"]),
    module(
        "sym.sdk.strategies",
        &["Integration", "AccessStrategy"],
        &["access_strategy", "integration"],
        true,
    ),
    module(
        "sym.sdk.strategies.access_strategy",
        &["AccessStrategy"],
        &[],
        true,
    )
    .leaking(&[
        "Event",
        "IdentityNotFound",
        "Integration",
        "User",
        "persist_user_identity",
    ]),
    module(
        "sym.sdk.strategies.integration",
        &["Integration"],
        &[],
        true,
    )
    .leaking(&["SymResource"]),
    module("sym.sdk.strategy", &["Strategy"], &[], true).leaking(&[
        "AccessTarget",
        "Integration",
        "SRN",
    ]),
    module(
        "sym.sdk.resource",
        &[
            "SRN",
            "SymBaseResource",
            "SymResource",
            "InvalidSRNError",
            "InvalidSlugError",
            "MissingComponentError",
            "InvalidVersionError",
            "TrailingSeparatorError",
            "MultipleErrors",
        ],
        &[],
        true,
    )
    .leaking(&["SymSDKError"]),
    module(
        "sym.sdk.request_destination",
        &[
            "RequestDestination",
            "SlackRequestDestination",
            "SlackChannelID",
            "SlackChannelName",
            "SlackUser",
            "SlackUserGroup",
            "RequestDestinationFallback",
            "RequestForwardContext",
        ],
        &[],
        true,
    ),
    module(
        "sym.sdk.request_permission",
        &["PermissionLevel", "RequestPermission"],
        &[],
        true,
    ),
    module("sym.sdk.notifications", &["Notification"], &[], true).leaking(&[
        "RequestDestination",
        "SlackRequestDestination",
        "User",
    ]),
    module(
        "sym.sdk.forms",
        &[
            "FieldType",
            "FieldOption",
            "SlackUserSelection",
            "PromptField",
            "SymPromptForm",
        ],
        &[],
        true,
    ),
    module("sym.sdk.field_option", &["FieldOption"], &[], true),
    module("sym.sdk.utils", &["persist_user_identity"], &["user"], true),
    module("sym.sdk.utils.user", &["persist_user_identity"], &[], true).leaking(&["UserIdentity"]),
    module(
        "sym.sdk.models",
        &[
            "Channel",
            "Event",
            "EventMeta",
            "Payload",
            "FieldOption",
            "Environment",
            "Flow",
            "Run",
            "RequestDestination",
            "RequestDestinationFallback",
            "SlackChannelID",
            "SlackChannelName",
            "SlackUser",
            "SlackUserGroup",
            "SRN",
            "SymResource",
            "AccessTarget",
            "User",
            "UserIdentity",
            "UserRole",
        ],
        &[],
        true,
    ),
    module(
        "sym.sdk.errors",
        &["SymSDKError", "SymIntegrationError"],
        &[],
        true,
    ),
    module(
        "sym.sdk.exceptions",
        EXCEPTIONS_ALL,
        &[
            "access_strategy",
            "aptible",
            "aws",
            "boundary",
            "github",
            "google",
            "http",
            "identity",
            "jira",
            "knowbe4",
            "okta",
            "onelogin",
            "pagerduty",
            "sdk",
            "slack",
            "sym_exception",
            "sym_integration",
        ],
        true,
    ),
    module(
        "sym.sdk.exceptions.access_strategy",
        &["AccessStrategyError"],
        &[],
        true,
    )
    .leaking(&["SymException"]),
    module("sym.sdk.exceptions.aptible", &["AptibleError"], &[], true).leaking(&["SymException"]),
    module(
        "sym.sdk.exceptions.aws",
        &["AWSError", "AWSLambdaError", "AWSIAMError", "AWSSSOError"],
        &[],
        true,
    )
    .leaking(&["SymException"]),
    module("sym.sdk.exceptions.boundary", &["BoundaryError"], &[], true).leaking(&["SymException"]),
    module("sym.sdk.exceptions.github", &["GitHubError"], &[], true).leaking(&["SymException"]),
    module("sym.sdk.exceptions.google", &["GoogleError"], &[], true).leaking(&["SymException"]),
    module("sym.sdk.exceptions.http", &["HTTPError"], &[], true).leaking(&["SymException"]),
    module(
        "sym.sdk.exceptions.identity",
        &["IdentityError", "CouldNotSaveError", "IdentityNotFound"],
        &[],
        true,
    )
    .leaking(&["ExceptionWithHint", "SymException"]),
    module("sym.sdk.exceptions.jira", &["JiraError"], &[], true).leaking(&["SymException"]),
    module("sym.sdk.exceptions.knowbe4", &["KnowBe4Error"], &[], true).leaking(&["SymException"]),
    module("sym.sdk.exceptions.okta", &["OktaError"], &[], true).leaking(&["SymException"]),
    module("sym.sdk.exceptions.onelogin", &["OneLoginError"], &[], true).leaking(&["SymException"]),
    module(
        "sym.sdk.exceptions.pagerduty",
        &["PagerDutyError"],
        &[],
        true,
    )
    .leaking(&["SymException"]),
    module(
        "sym.sdk.exceptions.sdk",
        &["SDKError", "MissingArgument"],
        &[],
        true,
    )
    .leaking(&["SymException"]),
    module("sym.sdk.exceptions.slack", &["SlackError"], &[], true).leaking(&["SymException"]),
    module(
        "sym.sdk.exceptions.sym_exception",
        &["SymException", "ExceptionWithHint"],
        &[],
        true,
    ),
    module(
        "sym.sdk.exceptions.sym_integration",
        &["SymIntegrationError"],
        &[],
        true,
    )
    .leaking(&["SymException"]),
    module("sym.sdk.integrations", &[], INTEGRATIONS, true).leaking(INTEGRATIONS_LEAKED),
    module(
        "sym.sdk.integrations.slack",
        &[
            "user",
            "mention",
            "channel",
            "group",
            "fallback",
            "send_message",
            "send_thread_message",
            "get_user_info",
            "list_users",
            "is_user_in_group",
            "users_in_channel",
            "SlackError",
        ],
        &[],
        true,
    )
    .leaking(&[
        "RequestDestination",
        "RequestDestinationFallback",
        "SlackChannelID",
        "SlackChannelName",
        "SlackUser",
        "SlackUserGroup",
        "User",
    ]),
    module(
        "sym.sdk.integrations.okta",
        &[
            "is_user_in_group",
            "users_in_group",
            "get_user_info",
            "list_groups",
            "OktaError",
        ],
        &[],
        true,
    )
    .leaking(&["User"]),
    module(
        "sym.sdk.integrations.aws_iam",
        &["is_user_in_group", "AWSIAMError"],
        &[],
        true,
    )
    .leaking(&["User"]),
    module(
        "sym.sdk.integrations.aws_sso",
        &[
            "is_user_in_group",
            "list_groups",
            "users_in_group",
            "list_accounts",
            "AWSSSOError",
        ],
        &[],
        true,
    )
    .leaking(&["User"]),
    module(
        "sym.sdk.integrations.aws_lambda",
        &["invoke", "invoke_async", "AWSLambdaError"],
        &[],
        true,
    )
    .leaking(&["Event"]),
    module(
        "sym.sdk.integrations.pagerduty",
        &[
            "PagerDutyStatus",
            "PagerDutyUrgency",
            "is_on_call",
            "users_on_call",
            "users_for_schedule",
            "get_incidents",
            "has_incident",
            "PagerDutyError",
        ],
        &[],
        true,
    )
    .leaking(&["User"]),
    module(
        "sym.sdk.integrations.github",
        &[
            "GitHubDefaultRolesT",
            "GitHubRoleT",
            "get_repo_collaborators",
            "GitHubError",
        ],
        &[],
        true,
    )
    .leaking(&["User"]),
    module(
        "sym.sdk.integrations.google",
        &[
            "is_user_in_group",
            "list_groups",
            "users_in_group",
            "GoogleError",
        ],
        &[],
        true,
    )
    .leaking(&["User"]),
    module(
        "sym.sdk.integrations.jira",
        &[
            "search_issues",
            "add_comment_to_issue",
            "create_issue",
            "JiraError",
        ],
        &[],
        true,
    ),
    module(
        "sym.sdk.integrations.onelogin",
        &[
            "list_roles",
            "get_user_info",
            "users_in_role",
            "is_user_in_role",
        ],
        &[],
        true,
    )
    .leaking(&["User"]),
    module(
        "sym.sdk.integrations.boundary",
        &["list_groups", "get_group", "BoundaryError"],
        &[],
        true,
    ),
    module(
        "sym.sdk.integrations.knowbe4",
        &[
            "get_training_enrollments_for_user",
            "is_user_in_group",
            "KnowBe4Error",
        ],
        &[],
        true,
    )
    .leaking(&["User"]),
    module(
        "sym.sdk.integrations.sym",
        &[
            "get_or_create_user_by_email",
            "get_or_create_users_by_emails",
        ],
        &[],
        true,
    )
    .leaking(&["User"]),
    module("sym.sdk.integrations.store", &["fetch", "put"], &[], true),
];

/// Names that SDK modules import for their own use (typing helpers,
/// pydantic, the standard library). Python exposes them as module
/// attributes, so `from sym.sdk.x import Optional` works even though it is
/// not part of the API: lint never calls those missing.
pub const INCIDENTAL_NAMES: &[&str] = &[
    "ABC",
    "Any",
    "BaseModel",
    "Callable",
    "Dict",
    "Enum",
    "Field",
    "FrozenSet",
    "Iterable",
    "List",
    "Literal",
    "Mapping",
    "Optional",
    "OrderedDict",
    "Sequence",
    "Set",
    "TYPE_CHECKING",
    "Tuple",
    "Type",
    "TypeVar",
    "UUID",
    "Union",
    "abstractmethod",
    "datetime",
    "final",
    "itertools",
    "json",
    "re",
    "root_validator",
    "timedelta",
    "uuid",
    "validator",
];

/// The module with this dotted path, if the reference documents it.
#[must_use]
pub fn module_of(path: &str) -> Option<&'static SdkModule> {
    MODULES.iter().find(|m| m.path == path)
}

/// Whether `name` is defined anywhere in the SDK (any module's names or
/// submodules). A name defined somewhere may have leaked into another module
/// through an import, so lint only calls a name missing when it is nowhere.
#[must_use]
pub fn defined_anywhere(name: &str) -> bool {
    MODULES.iter().any(|m| m.has(name)) || INCIDENTAL_NAMES.contains(&name)
}

/// Modules that export `name` (for "it lives in `sym.sdk.user`" hints).
pub fn modules_exporting(name: &str) -> impl Iterator<Item = &'static SdkModule> + '_ {
    MODULES.iter().filter(move |m| m.names.contains(&name))
}

/// Where to import an SDK name from: the most specific documented module
/// (not the `sym.sdk` / `sym.sdk.models` re-exports, not private modules);
/// integrations come from `sym.sdk.integrations`.
#[must_use]
pub fn home_of(name: &str) -> Option<&'static str> {
    let specific = |p: &&str| *p != "sym.sdk" && *p != "sym.sdk.models" && !p.contains("._");
    modules_exporting(name)
        .map(|m| m.path)
        .find(specific)
        .or_else(|| {
            module_of("sym.sdk.integrations")
                .filter(|m| m.submodules.contains(&name))
                .map(|m| m.path)
        })
        .or_else(|| modules_exporting(name).map(|m| m.path).next())
}

/// What `import <path>` / `from <path> import ...` finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleLookup {
    /// Not under `sym.sdk`: none of our business.
    Foreign,
    /// A documented module.
    Known(&'static SdkModule),
    /// Certainly missing: the parent is a documented module that cannot
    /// have this submodule. Carries the parent.
    Missing(&'static SdkModule),
    /// Under `sym.sdk` but not certain either way (a package whose files
    /// the reference does not list completely).
    Unsure,
}

/// Look a dotted module path up in the tree.
#[must_use]
pub fn lookup_module(path: &str) -> ModuleLookup {
    if path != "sym.sdk" && !path.starts_with("sym.sdk.") {
        return ModuleLookup::Foreign;
    }
    if let Some(m) = module_of(path) {
        return ModuleLookup::Known(m);
    }
    // Walk up to the nearest documented ancestor.
    let mut parent = path;
    while let Some(idx) = parent.rfind('.') {
        parent = &parent[..idx];
        if let Some(m) = module_of(parent) {
            let child = &path[idx + 1..];
            let child = child.split('.').next().unwrap_or(child);
            if m.submodules.contains(&child) {
                // A documented submodule with undocumented children.
                return ModuleLookup::Unsure;
            }
            return if m.complete {
                ModuleLookup::Missing(m)
            } else {
                ModuleLookup::Unsure
            };
        }
    }
    ModuleLookup::Unsure
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_are_unique_and_parents_list_their_children() {
        let mut paths: Vec<_> = MODULES.iter().map(|m| m.path).collect();
        paths.sort_unstable();
        let before = paths.len();
        paths.dedup();
        assert_eq!(before, paths.len(), "duplicate module path");
        for m in MODULES {
            if let Some((parent, child)) = m.path.rsplit_once('.') {
                if let Some(p) = module_of(parent) {
                    assert!(
                        p.submodules.contains(&child),
                        "{} does not list {child}",
                        p.path
                    );
                }
            }
        }
    }

    /// The table and the `symflow test` stand-in (`python/sym/sdk`, which
    /// `scripts/sdk_fidelity.py` keeps equal to the real 0.61.0 wheel) hold
    /// the same modules, and a complete module holds nothing the table
    /// does not know: lint reports an import exactly when the stand-in
    /// raises `ImportError`.
    #[test]
    fn the_table_matches_the_stand_in() {
        const DUMP: &str = r#"
import importlib, pkgutil, sys
import sym.sdk
names = ["sym.sdk"] + [m.name for m in pkgutil.walk_packages(sym.sdk.__path__, "sym.sdk.")]
for n in names:
    if any(p.startswith("_") for p in n.split(".")):
        continue
    mod = importlib.import_module(n)
    subs = [m.name for m in pkgutil.iter_modules(getattr(mod, "__path__", []))]
    held = [x for x in dir(mod) + subs if not x.startswith("_")]
    print(n, " ".join(sorted(set(held))))
"#;
        let standin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("python");
        let out = std::process::Command::new("python3")
            .args(["-c", DUMP])
            .env("PYTHONPATH", &standin)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let mut seen = Vec::new();
        for line in text.lines() {
            let (path, held) = line.split_once(' ').unwrap_or((line, ""));
            let held: Vec<&str> = held.split_whitespace().collect();
            let m = module_of(path).unwrap_or_else(|| panic!("{path} is not in MODULES"));
            seen.push(path);
            if m.complete {
                for name in &held {
                    assert!(m.has_at_runtime(name), "{path} holds `{name}`");
                }
            }
            // `sym.sdk.tests` ships in the wheel, not in the stand-in.
            for name in m
                .names
                .iter()
                .chain(m.submodules)
                .chain(m.leaked)
                .filter(|n| !(n.starts_with('_') || path == "sym.sdk" && **n == "tests"))
            {
                assert!(held.contains(name), "{path}: the stand-in lacks `{name}`");
            }
        }
        for m in MODULES.iter().filter(|m| !m.path.contains("._")) {
            assert!(seen.contains(&m.path), "the stand-in lacks {}", m.path);
        }
    }

    #[test]
    fn lookups_follow_the_reference() {
        assert!(matches!(
            lookup_module("sym.sdk.integrations.slack"),
            ModuleLookup::Known(_)
        ));
        assert!(matches!(
            lookup_module("sym.sdk.integrations.datadog"),
            ModuleLookup::Missing(m) if m.path == "sym.sdk.integrations"
        ));
        assert!(matches!(
            lookup_module("sym.sdk.templates.approval"),
            ModuleLookup::Known(_)
        ));
        assert!(matches!(
            lookup_module("sym.sdk.exceptions.base"),
            ModuleLookup::Missing(m) if m.path == "sym.sdk.exceptions"
        ));
        assert_eq!(lookup_module("sym.sdk.tests.x"), ModuleLookup::Unsure);
        assert_eq!(lookup_module("requests"), ModuleLookup::Foreign);
        assert_eq!(lookup_module("sym.sdkx"), ModuleLookup::Foreign);
        assert!(matches!(
            lookup_module("sym.sdk.user.x"),
            ModuleLookup::Missing(_)
        ));
    }

    #[test]
    fn decorators_resolve_through_every_documented_path() {
        for p in [
            "sym.sdk.annotations.hook",
            "sym.sdk.hook",
            "sym.sdk.annotations._handlers.hook",
            "sym.annotations.hook",
        ] {
            assert_eq!(
                HandlerDecorator::from_path(p),
                Some(HandlerDecorator::Hook),
                "{p}"
            );
        }
        assert_eq!(HandlerDecorator::from_path("mylib.hook"), None);
        assert_eq!(HandlerDecorator::from_path("hook"), None);
        assert_eq!(
            HandlerDecorator::from_path("sym.sdk.annotations.prefetch"),
            Some(HandlerDecorator::Prefetch)
        );
    }

    #[test]
    fn user_ids_and_persist_user_identity_are_where_the_reference_says() {
        let homes: Vec<_> = modules_exporting("user_ids").map(|m| m.path).collect();
        assert_eq!(homes, ["sym.sdk.user"]);
        assert!(module_of("sym.sdk.utils").is_some_and(|m| m.has("persist_user_identity")));
        assert!(!module_of("sym.sdk.annotations").is_some_and(|m| m.has("action")));
        assert_eq!(TEMPLATE_STEPS.len(), 8);
    }
}
