//! Lint framework: the [`Rule`] interface, the context rules query, and the
//! registry. Rules never do I/O and never print: they look at the module
//! model, the schema and the impl.py analysis, and push [`Diagnostic`]s.

pub mod config;
pub mod ignore;
pub mod registry;
pub mod rules;
pub mod runner;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::diag::{Diagnostic, Severity};
use crate::module::{Attribute, Module};
use crate::python::flows::{self, DeclaredFields, DeclaredVars, FileUse, ModuleIndex};
use crate::python::PyAnalysis;
use crate::schema::AttrSchema;
use crate::source::{FileId, SourceMap, Span};

/// Rule families; each carries a default severity in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Files that do not parse or cannot be read.
    Syntax,
    /// The Sym provider schema: attributes, blocks, types, enums.
    Schema,
    /// References, duplicates and names.
    Reference,
    /// Rules the provider or the Sym API enforce beyond the schema.
    Provider,
    /// impl.py: handlers, reducers, imports, names.
    Python,
}

impl Category {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Schema => "schema",
            Category::Reference => "reference",
            Category::Provider => "provider",
            Category::Python => "python",
        }
    }
}

/// What the registry knows about a rule.
#[derive(Debug)]
pub struct RuleInfo {
    /// Stable code, never reused: `SF` + 3 digits.
    pub code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    /// The rule file's source, `include_str!("<rule>.rs")`: its `//!`
    /// documentation, in ruff's sections (What it does / Why is this bad? /
    /// Example / Use instead), is what `validate --explain` prints (see
    /// [`RuleInfo::docs`]). Plain documentation text is accepted as well.
    pub doc: &'static str,
}

impl RuleInfo {
    /// A diagnostic of this rule at `span` with its default severity (the
    /// runner applies configured overrides later).
    #[must_use]
    pub fn diag(&'static self, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(self.code, self.name, self.default_severity, message, span)
    }

    /// The rule's documentation as plain text (the `//!` lines of its file).
    #[must_use]
    pub fn docs(&self) -> String {
        if self.doc.trim_start().starts_with("//!") {
            module_doc(self.doc)
        } else {
            self.doc.trim().to_owned()
        }
    }

    /// The first sentence of the doc, for `--list-rules` and SARIF.
    #[must_use]
    pub fn summary(&self) -> String {
        let docs = self.docs();
        let paragraph: Vec<&str> = docs
            .lines()
            .map(str::trim)
            .skip_while(|l| l.is_empty() || l.starts_with('#'))
            .take_while(|l| !l.is_empty())
            .collect();
        let text = paragraph.join(" ");
        match text.find(". ") {
            Some(i) => text[..=i].to_owned(),
            None => text,
        }
    }
}

/// One lint rule.
pub trait Rule: Sync {
    fn info(&self) -> &'static RuleInfo;
    /// Look at the context and report findings. Never panics on any model.
    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>);
}

/// What rules can see.
pub struct LintContext<'a> {
    pub module: &'a Module,
    pub sources: &'a SourceMap,
    /// impl.py (and other Python) analyses, keyed by file.
    pub python: &'a BTreeMap<FileId, PyAnalysis>,
    /// Facts several rules need, computed once on first use.
    shared: Shared<'a>,
}

#[derive(Default)]
struct Shared<'a> {
    bodies: OnceLock<Bodies<'a>>,
    files: OnceLock<Vec<PyFile<'a>>>,
    unsupported_attributes: OnceLock<Vec<Diagnostic>>,
}

/// The schema walk, with each attribute's schema looked up once.
struct Bodies<'a> {
    bodies: Vec<rules::walk::Checked<'a>>,
    /// The schema of every attribute of every body, in order.
    attr_schemas: Vec<Option<&'static AttrSchema>>,
}

/// How the module uses one analysed Python file, with what its flows
/// declare (computed on first use).
pub struct PyFile<'a> {
    pub id: FileId,
    pub analysis: &'a PyAnalysis,
    pub usage: FileUse<'a>,
    fields: OnceLock<DeclaredFields<'a>>,
    vars: OnceLock<DeclaredVars>,
}

impl<'a> PyFile<'a> {
    /// The prompt fields of the file's flows ([`flows::declared_fields`]).
    pub fn fields(&self) -> &DeclaredFields<'a> {
        self.fields
            .get_or_init(|| flows::declared_fields(&self.usage.flows))
    }

    /// The `vars` keys of the file's flows ([`flows::declared_vars`]).
    pub fn vars(&self) -> &DeclaredVars {
        self.vars
            .get_or_init(|| flows::declared_vars(&self.usage.flows))
    }
}

impl<'a> LintContext<'a> {
    #[must_use]
    pub fn new(
        module: &'a Module,
        sources: &'a SourceMap,
        python: &'a BTreeMap<FileId, PyAnalysis>,
    ) -> Self {
        LintContext {
            module,
            sources,
            python,
            shared: Shared::default(),
        }
    }

    /// Every schema-described body of the module ([`rules::walk::bodies`]),
    /// walked once for all rules.
    pub fn bodies(&self) -> &[rules::walk::Checked<'a>] {
        &self.walked().bodies
    }

    /// Every attribute of every body of [`LintContext::bodies`] with its
    /// schema (`None`: not in the body's schema).
    pub fn schema_attrs(
        &self,
    ) -> impl Iterator<
        Item = (
            &rules::walk::Checked<'a>,
            &'a Attribute,
            Option<&'static AttrSchema>,
        ),
    > {
        let walked = self.walked();
        walked
            .bodies
            .iter()
            .flat_map(|c| c.body.attributes.iter().map(move |a| (c, a)))
            .zip(walked.attr_schemas.iter().copied())
            .map(|((c, a), s)| (c, a, s))
    }

    fn walked(&self) -> &Bodies<'a> {
        self.shared.bodies.get_or_init(|| {
            let bodies: Vec<_> = rules::walk::bodies(self.module).collect();
            let attr_schemas = bodies
                .iter()
                .flat_map(|c| c.body.attributes.iter().map(|a| c.schema.attr(&a.name)))
                .collect();
            Bodies {
                bodies,
                attr_schemas,
            }
        })
    }

    /// The findings for references to attributes Sym resources do not have
    /// ([`rules::undeclared_reference::unsupported_attributes`]): reported
    /// by one rule, and kept out of another's.
    pub fn unsupported_attributes(&self) -> &[Diagnostic] {
        self.shared
            .unsupported_attributes
            .get_or_init(|| rules::undeclared_reference::unsupported_attributes(self.module))
    }

    /// Every analysed Python file in file order, with how this module
    /// uses it.
    pub fn python_files(&self) -> &[PyFile<'a>] {
        self.shared.files.get_or_init(|| {
            let index = ModuleIndex::new(self.module);
            self.python
                .iter()
                .map(|(&id, analysis)| PyFile {
                    id,
                    analysis,
                    usage: index.file_use(id),
                    fields: OnceLock::new(),
                    vars: OnceLock::new(),
                })
                .collect()
        })
    }
}

/// Turn a file's `//!` lines into plain text (used by the registry with
/// `include_str!`).
#[must_use]
pub fn module_doc(source: &str) -> String {
    source
        .lines()
        .take_while(|l| l.trim_start().starts_with("//!") || l.trim().is_empty())
        .filter_map(|l| l.trim_start().strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}
