//! The typed model of one Terraform module, shared by validate, test and
//! deploy. Loading produces facts (values, spans, references, problems); it
//! never prints and never decides severities: lint rules do that.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::value::Value;
use crate::source::{FileId, Span};

/// One loaded module (a directory of `.tf` files).
#[derive(Debug, Clone, Default)]
pub struct Module {
    /// The directory as given (joined onto the command line path).
    pub dir: PathBuf,
    /// Module path from the root: `[]` for the root, `["child"]` for
    /// `module "child" { source = "./child" }`.
    pub module_path: Vec<String>,
    /// The `.tf` files, in sorted order.
    pub files: Vec<FileId>,
    /// Other files read while evaluating (`file()`, `templatefile()`,
    /// tfvars), so that diagnostics can point into them.
    pub read_files: Vec<FileId>,
    pub provider_version: ProviderVersion,
    pub provider: Option<ProviderConfig>,
    pub variables: BTreeMap<String, Variable>,
    pub locals: BTreeMap<String, Local>,
    /// Every `resource` and `data` block as written (one per block, not per
    /// instance), any provider, with attributes evaluated where possible.
    /// Schema rules check these. Meta-arguments (`count`, `for_each`,
    /// `depends_on`, `provider`, `lifecycle`...) are not in `body`.
    pub blocks: Vec<ResourceBlock>,
    /// Every `sym_*` resource and data source *instance* after `count` /
    /// `for_each` expansion (including those of local child modules, whose
    /// addresses carry `module.NAME.`). Deploy and test use these.
    pub entities: Vec<Entity>,
    /// Local child modules (`source = "./..."`), loaded with their inputs.
    pub children: Vec<ChildModule>,
    /// The `count` or `for_each` of each `module` block that has one, any
    /// source, evaluated (an error when Terraform would refuse it).
    pub module_repetitions: Vec<Attribute>,
    /// `module` blocks whose source is remote (registry, git): external.
    pub external_modules: Vec<String>,
    /// Addresses (`module.NAME`, `module.A.module.B`) of local modules whose
    /// block has `count` or `for_each`: each is loaded once, and its
    /// entities (in `entities`) stand for all its instances, with unknown
    /// values where instances differ. Validate and test use that one load.
    pub repeated_modules: Vec<String>,
    /// The repeated modules of `repeated_modules` whose instances are known
    /// (a known `count`, a `for_each` of known keys): each instance is also
    /// loaded with its own `count.index` / `each`, and its entities are in
    /// `instance_entities`. Deploy creates those, one per instance.
    pub expanded_modules: Vec<String>,
    /// The entities of every instance of the `expanded_modules`, addressed
    /// `module.NAME["key"].sym_flow.x` as Terraform addresses them.
    pub instance_entities: Vec<Entity>,
    /// A `.tf` file of this module (not of its children) could not be read
    /// or parsed: what it declares is unknown (see `has_unparsed_files`).
    pub unparsed_files: bool,
    /// References to things that are not declared anywhere.
    pub undeclared: Vec<Reference>,
    /// Values that variables files (`terraform.tfvars`, `*.auto.tfvars`,
    /// `--var-file`) assign to variables the root module does not declare:
    /// Terraform warns about them and ignores them.
    pub undeclared_values: Vec<UndeclaredValue>,
    /// Two blocks with the same address.
    pub duplicates: Vec<Duplicate>,
    /// Problems found while reading and parsing: syntax errors, unreadable
    /// files, invalid UTF-8, an empty directory.
    pub problems: Vec<Problem>,
    /// `sym_*` implementation-like attributes, classified.
    pub implementations: Vec<ImplementationRef>,
    /// `output` blocks, evaluated (a child's are what `module.NAME.x` reads).
    pub outputs: BTreeMap<String, Output>,
}

/// `output "name" { value = ... }`
#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    pub span: Span,
    pub value: Value,
    /// The `sym_*` instances the value refers to (so that a parent's
    /// entity using `module.NAME.out` depends on them).
    pub depends_on: Vec<Dependency>,
}

/// Which provider major version the module targets, and why we think so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderVersion {
    pub major: u8,
    /// The constraint or locked version text, e.g. `~> 3.0` or `3.6.0`.
    pub text: Option<String>,
    pub source: VersionSource,
    pub span: Option<Span>,
}

impl ProviderVersion {
    /// Whether the module may get a provider version `feature` (`3.2.0`) or
    /// later: its locked version is that recent, or its constraint allows
    /// one. A text that cannot be read allows anything (no false alarm).
    #[must_use]
    pub fn allows(&self, feature: &str) -> bool {
        let Some((f, _)) = super::build::version_number(feature) else {
            return true;
        };
        match (self.source, &self.text) {
            (VersionSource::LockFile, Some(t)) => {
                super::build::version_number(t).is_none_or(|(v, _)| v >= f)
            }
            (VersionSource::Constraint, Some(t)) => {
                super::build::constraint_range(t).is_none_or(|(_, high)| f < high)
            }
            _ => true,
        }
    }
}

impl Default for ProviderVersion {
    fn default() -> Self {
        ProviderVersion {
            major: 3,
            text: None,
            source: VersionSource::Default,
            span: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSource {
    /// `.terraform.lock.hcl`
    LockFile,
    /// `terraform { required_providers { sym = { version = ... } } }`
    Constraint,
    /// Nothing said: the latest major, as `terraform init` would install.
    Default,
}

/// `provider "sym" { ... }`
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    pub span: Span,
    pub org: Option<Attribute>,
    pub jwt_env_var: Option<Attribute>,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub span: Span,
    /// The `type` constraint as written, e.g. `map(string)`.
    pub type_text: Option<String>,
    pub default: Option<Value>,
    /// The value in effect: `--var`, `--var-file`, `*.auto.tfvars`,
    /// `terraform.tfvars`, `TF_VAR_*`, default; else unknown.
    pub value: Value,
    /// Where the value in effect came from.
    pub value_source: VariableSource,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableSource {
    Default,
    Environment,
    VarFile(PathBuf),
    CommandLine,
    /// A child module's input from its `module` block.
    ModuleInput,
    Missing,
}

#[derive(Debug, Clone)]
pub struct Local {
    pub name: String,
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// `resource`
    Managed,
    /// `data`
    Data,
}

/// A `resource` or `data` block as written.
#[derive(Debug, Clone)]
pub struct ResourceBlock {
    pub mode: Mode,
    /// e.g. `sym_flow`
    pub rtype: String,
    pub name: String,
    /// `sym_flow.x` or `data.sym_integration.x` (with `module.M.` prefix in children).
    pub address: String,
    /// The whole block.
    pub span: Span,
    pub type_span: Span,
    pub name_span: Span,
    /// Attributes evaluated once, with `count.index` / `each.*` unknown when
    /// the block repeats (see `entities` for per-instance values). Shared
    /// with the entity of a block that does not repeat.
    pub body: std::sync::Arc<Body>,
    /// `count` or `for_each` as written, if any (boxed: most blocks have
    /// neither, and every block is moved a few times while loading).
    pub repetition: Option<Box<Attribute>>,
    /// Every reference made inside the block (meta-arguments included).
    pub references: Vec<Reference>,
}

/// One instance of a `sym_*` resource or data source.
///
/// When a block's `count` / `for_each` is unknown (a variable without
/// value...), one entity with `key: None` and the block's address stands for
/// all its instances; `count.index` / `each.*` are unknown inside it.
#[derive(Debug, Clone)]
pub struct Entity {
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    /// `None`, or the `count` index / `for_each` key of this instance.
    pub key: Option<InstanceKey>,
    /// Full instance address: `sym_target.group["a"]`, `module.m.sym_flow.x`.
    pub address: String,
    /// Address of the block it comes from (no instance key).
    pub block_address: String,
    pub module_path: Vec<String>,
    pub span: Span,
    pub name_span: Span,
    /// Attributes evaluated for this instance.
    pub body: std::sync::Arc<Body>,
    /// The other entities this one references (instance addresses), with
    /// the span of each reference; used to order deploys.
    pub depends_on: Vec<Dependency>,
    /// The root module's `sym` provider configuration it is managed with:
    /// `None` for the default one, `Some("sym.ALIAS")` for another (another
    /// token, so maybe another organization).
    pub provider: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceKey {
    Index(u64),
    Key(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub address: String,
    pub span: Span,
}

/// The contents of a block: attributes and nested blocks, in source order.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
}

impl Body {
    #[must_use]
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The value of an attribute, if present.
    #[must_use]
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.attr(name).map(|a| &a.value)
    }

    /// A string attribute's known value.
    #[must_use]
    pub fn str(&self, name: &str) -> Option<&str> {
        self.value(name).and_then(Value::as_str)
    }

    /// Nested blocks of one kind (e.g. `params`, `prompt_field`).
    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a NestedBlock> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: String,
    /// The whole `name = expr`.
    pub span: Span,
    pub name_span: Span,
    pub expr_span: Span,
    pub value: Value,
}

/// A nested block such as `params { ... }`, or one generated by a
/// `dynamic "prompt_field" { ... }` block.
#[derive(Debug, Clone)]
pub struct NestedBlock {
    pub kind: String,
    pub labels: Vec<String>,
    pub span: Span,
    /// Span of the block type identifier (or of the dynamic block's label).
    pub kind_span: Span,
    pub body: Body,
    /// True when generated from a `dynamic` block. When the `for_each` of a
    /// dynamic block is unknown, one block with unknown-valued attributes
    /// stands for all of them and `dynamic_unknown` is true.
    pub dynamic: bool,
    pub dynamic_unknown: bool,
}

/// A reference such as `sym_integration.slack.id`, `local.x`, `var.y`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub target: RefTarget,
    /// The traversal as written, e.g. `sym_integration.slack.id`.
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RefTarget {
    Resource { rtype: String, name: String },
    Data { rtype: String, name: String },
    Local(String),
    Variable(String),
    Module(String),
}

/// `name = value` in a variables file, for a variable that is not declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndeclaredValue {
    pub name: String,
    /// The name where it is assigned (in a `.tfvars.json` file, the key).
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Duplicate {
    pub address: String,
    pub first: Span,
    pub second: Span,
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub kind: ProblemKind,
    pub message: String,
    /// Where; `None` for a file that could not be read at all.
    pub span: Option<Span>,
    pub path: PathBuf,
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// HCL that does not parse.
    Syntax,
    /// A file or directory that could not be read (permissions, not UTF-8,
    /// a directory named `x.tf`, a symlink loop, too large...).
    Unreadable,
    /// A directory with no `.tf` files.
    NoConfiguration,
    /// A local child module whose directory is missing.
    MissingModule,
}

/// An attribute that carries Python code or a path to it.
#[derive(Debug, Clone)]
pub struct ImplementationRef {
    /// Address of the owning block, e.g. `sym_flow.approval`.
    pub owner: String,
    /// `implementation`, or `params.prompt_field.on_change` for on-change code.
    pub attribute: String,
    /// Why it matters: flow implementations need reducers, others do not.
    pub role: ImplementationRole,
    pub span: Span,
    pub source: ImplementationSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImplementationRole {
    Flow,
    FlowsFilter,
    OnChange,
    Strategy,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImplementationSource {
    /// `file("<path>")` (v3 style): the path as evaluated, resolved against
    /// the module directory, whether it exists, and its id when it was read.
    File {
        path: PathBuf,
        resolved: PathBuf,
        exists: bool,
        file: Option<FileId>,
    },
    /// A literal string path (`"impl.py"`, provider `~> 2` style; correct
    /// for `sym_strategy.implementation` in v3), resolved like `File`.
    LiteralPath {
        path: String,
        resolved: PathBuf,
        exists: bool,
        file: Option<FileId>,
    },
    /// Inline Python source (a heredoc or other string).
    Inline,
    /// The value is not known (a variable without value, ...).
    Unknown,
}

/// The oldest Sym provider major whose configurations symflow knows (the
/// schema it checks, the payloads it sends). 1.x took a different
/// `sym_flow` (`template`, `params` as a map of strings).
pub const OLDEST_KNOWN_MAJOR: u8 = 2;

impl Module {
    /// This module, or the first local child module, whose provider is
    /// older than [`OLDEST_KNOWN_MAJOR`].
    #[must_use]
    pub fn on_older_provider(&self) -> Option<&Module> {
        if self.provider_version.major < OLDEST_KNOWN_MAJOR {
            return Some(self);
        }
        self.children
            .iter()
            .find_map(|c| c.module.on_older_provider())
    }

    /// `sym_*` entities of one resource type (managed resources only).
    pub fn entities_of<'a>(&'a self, rtype: &'a str) -> impl Iterator<Item = &'a Entity> + 'a {
        self.entities
            .iter()
            .filter(move |e| e.mode == Mode::Managed && e.rtype == rtype)
    }

    /// The entities Terraform would create: `entities`, with those that
    /// stand for all the instances of an expanded module replaced by the
    /// instances' own (`instance_entities`).
    pub fn instances(&self) -> impl Iterator<Item = &Entity> + '_ {
        self.entities
            .iter()
            .filter(|e| {
                !self
                    .expanded_modules
                    .iter()
                    .any(|m| under_module(&e.address, m))
            })
            .chain(&self.instance_entities)
    }

    /// Whether a `.tf` file of this module (not of its children) could not
    /// be read or parsed: what it declares is unknown.
    #[must_use]
    pub fn has_unparsed_files(&self) -> bool {
        self.unparsed_files
    }

    /// The entity with this instance address.
    #[must_use]
    pub fn entity(&self, address: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.address == address)
    }
}

/// A local child module and its `module` block.
#[derive(Debug, Clone)]
pub struct ChildModule {
    pub name: String,
    pub span: Span,
    /// The block's label (`"flow"` in `module "flow" { ... }`).
    pub name_span: Span,
    pub source: String,
    /// The arguments the `module` block passes (meta-arguments such as
    /// `source` and `count` left out): name, and the span of the name.
    pub inputs: Vec<(String, Span)>,
    pub module: Module,
}

/// Inputs to loading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--var NAME=VALUE`, in order.
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in order.
    pub var_files: Vec<PathBuf>,
    /// `TF_VAR_*` from the environment (name without prefix, raw value);
    /// passed in so that loading itself does not read the environment.
    pub env_vars: Vec<(String, String)>,
    /// Ids of `sym_*` entities already known (deploy, after reading remote
    /// state or creating an entity): instance address -> id. When present,
    /// `<address>.id` evaluates to the id instead of an unknown, so deploy
    /// can re-load the module (it takes milliseconds) to get fully known
    /// payloads such as `jsonencode([sym_secret.x.id])`.
    pub known_ids: BTreeMap<String, String>,
    /// Leave the text of `implementation = file(...)` and `on_change =
    /// file(...)` out of the evaluated attribute (it becomes an unknown;
    /// the file is still read, registered and listed in
    /// [`Module::implementations`]). For validate, which analyses those
    /// files from the source map: a copy of every implementation would be
    /// memory touched for nothing.
    pub skip_implementation_text: bool,
    /// Evaluate on the loading thread only. A big module's blocks are
    /// otherwise shared out among threads; the model is the same either
    /// way (tests compare the two).
    pub single_thread: bool,
}

/// Whether `address` is inside the module at `module` (`module.m`):
/// `module.m.sym_flow.x`, not `module.mm.sym_flow.x`.
#[must_use]
pub fn under_module(address: &str, module: &str) -> bool {
    address
        .strip_prefix(module)
        .is_some_and(|rest| rest.starts_with('.'))
}

/// Most module instances loaded one by one in a whole module tree: nested
/// repeated modules multiply (four levels of `count = 10` are 10,000
/// loads). Past it, a repeated module stands for all its instances, as
/// when they are unknown (deploy blocks its entities).
pub const MAX_MODULE_INSTANCES: usize = 2_000;
