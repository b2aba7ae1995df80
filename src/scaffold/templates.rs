//! The template registry: the embedded template set (one folder per flow type
//! plus `shared/`), optional overrides from `--template-dir`, and rendering in
//! handlebars strict mode with escaping chosen by the output file's language.

use std::collections::BTreeMap;
use std::path::Path;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};

use super::escape;
use super::ScaffoldError;
use crate::cli::FlowType;

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../templates/", $path)))),*]
    };
}

/// Every built-in template, by its path under `templates/`.
static EMBEDDED: &[(&str, &str)] = embedded![
    "shared/main.tf.hbs",
    "shared/context.tf.hbs",
    "shared/versions.tf.hbs",
    "shared/gitignore.hbs",
    "shared/README.md.hbs",
    "shared/pre-commit-config.yaml.hbs",
    "approval/flow.tf.hbs",
    "approval/impl.py.hbs",
    "approval/test.symtest.hcl.hbs",
    "okta/flow.tf.hbs",
    "okta/impl.py.hbs",
    "okta/test.symtest.hcl.hbs",
    "aws-iam/flow.tf.hbs",
    "aws-iam/impl.py.hbs",
    "aws-iam/test.symtest.hcl.hbs",
    "aws-sso/flow.tf.hbs",
    "aws-sso/impl.py.hbs",
    "aws-sso/test.symtest.hcl.hbs",
    "aws-lambda/flow.tf.hbs",
    "aws-lambda/impl.py.hbs",
    "aws-lambda/test.symtest.hcl.hbs",
    "pagerduty/flow.tf.hbs",
    "pagerduty/impl.py.hbs",
    "pagerduty/test.symtest.hcl.hbs",
];

/// The language of a generated file, which decides how `{{value}}` is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Language {
    /// `.tf` and `.hcl`: HCL string content.
    Hcl,
    /// `.py`: Python string content.
    Python,
    /// `.md`: Markdown text.
    Markdown,
    /// `.yaml`: YAML double-quoted scalar content.
    Yaml,
    /// Anything else: written as given.
    Plain,
}

impl Language {
    /// The language of an output file, from its name.
    #[must_use]
    pub fn of(output: &str) -> Language {
        let ext = output.rsplit('.').next().unwrap_or("");
        match ext {
            "tf" | "hcl" => Language::Hcl,
            "py" => Language::Python,
            "md" => Language::Markdown,
            "yaml" | "yml" => Language::Yaml,
            _ => Language::Plain,
        }
    }

    fn escape_fn(self) -> fn(&str) -> String {
        match self {
            Language::Hcl => escape::hcl_string,
            Language::Python => escape::python_string,
            Language::Markdown => escape::markdown,
            Language::Yaml => escape::yaml_string,
            Language::Plain => str::to_owned,
        }
    }
}

/// A set of templates: the built-in one, possibly with some files replaced
/// by an organisation's own.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    files: BTreeMap<String, String>,
    overridden: Vec<String>,
}

impl TemplateSet {
    /// The templates embedded in the binary.
    #[must_use]
    pub fn embedded() -> Self {
        TemplateSet {
            files: EMBEDDED
                .iter()
                .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
                .collect(),
            overridden: Vec::new(),
        }
    }

    /// The built-in set with every template found under `dir` (same layout:
    /// `shared/*.hbs`, `<type>/*.hbs`) replacing the built-in one of the same
    /// path. A file whose path matches no built-in template is an error, so a
    /// typo cannot be silently ignored.
    ///
    /// # Errors
    /// An unreadable directory or file, or an unknown template path.
    pub fn with_overrides(dir: &Path) -> Result<Self, ScaffoldError> {
        let mut set = Self::embedded();
        let meta = std::fs::metadata(dir).map_err(|source| ScaffoldError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(ScaffoldError::TemplateDir {
                path: dir.to_path_buf(),
                message: "is not a directory".to_owned(),
            });
        }
        let mut found = Vec::new();
        collect_hbs(dir, dir, 0, &mut found)?;
        found.sort();
        for rel in found {
            if !set.files.contains_key(&rel) {
                return Err(ScaffoldError::UnknownTemplate {
                    path: dir.join(&rel),
                    known: set.files.keys().cloned().collect(),
                });
            }
            let full = dir.join(&rel);
            let text = std::fs::read_to_string(&full)
                .map_err(|source| ScaffoldError::Io { path: full, source })?;
            set.files.insert(rel.clone(), text);
            set.overridden.push(rel);
        }
        Ok(set)
    }

    /// The templates replaced by `--template-dir`, by path.
    #[must_use]
    pub fn overridden(&self) -> &[String] {
        &self.overridden
    }

    /// The paths of every template in the set.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// A renderer for one flow type.
    ///
    /// # Errors
    /// A template that does not parse.
    pub fn renderer(&self, flow_type: FlowType) -> Result<Renderer, ScaffoldError> {
        let mut registries = BTreeMap::new();
        for lang in [
            Language::Hcl,
            Language::Python,
            Language::Markdown,
            Language::Yaml,
            Language::Plain,
        ] {
            registries.insert(lang, self.registry(flow_type, lang)?);
        }
        Ok(Renderer { registries })
    }

    fn registry(
        &self,
        flow_type: FlowType,
        lang: Language,
    ) -> Result<Handlebars<'static>, ScaffoldError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(lang.escape_fn());
        hb.register_helper("hcl", Box::new(EscapeHelper(escape::hcl_quoted)));
        hb.register_helper("hcl_str", Box::new(EscapeHelper(escape::hcl_string)));
        hb.register_helper("py", Box::new(EscapeHelper(escape::python_quoted)));
        hb.register_helper("py_str", Box::new(EscapeHelper(escape::python_string)));
        hb.register_helper("md", Box::new(EscapeHelper(escape::markdown)));
        hb.register_helper("ident", Box::new(EscapeHelper(escape::identifier)));
        let type_dir = format!("{}/", flow_type.name());
        for (path, text) in &self.files {
            let name = template_name(path);
            let mine = path.starts_with("shared/") || path.starts_with(&type_dir);
            if !mine {
                continue;
            }
            register(&mut hb, &name, path, text)?;
            // Short partial names: `{{> flow}}` is this type's flow, `{{> context}}`
            // the shared AWS permission context.
            if let Some(short) = name.strip_prefix(&type_dir) {
                register(&mut hb, short.trim_end_matches(".tf"), path, text)?;
            } else if name == "shared/context.tf" {
                register(&mut hb, "context", path, text)?;
            }
        }
        Ok(hb)
    }
}

fn register(
    hb: &mut Handlebars<'static>,
    name: &str,
    path: &str,
    text: &str,
) -> Result<(), ScaffoldError> {
    hb.register_template_string(name, text)
        .map_err(|e| ScaffoldError::Template {
            template: path.to_owned(),
            message: e.to_string(),
        })
}

/// `shared/main.tf.hbs` -> `shared/main.tf`.
fn template_name(path: &str) -> String {
    path.strip_suffix(".hbs").unwrap_or(path).to_owned()
}

/// Every `.hbs` file under `dir`, as a `/`-separated path relative to
/// `root`. Templates sit one folder deep, so the walk stops at depth 3 and
/// does not follow symbolic links to directories (no loops).
fn collect_hbs(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<String>,
) -> Result<(), ScaffoldError> {
    if depth > 3 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| ScaffoldError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| ScaffoldError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let is_real_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_real_dir {
            collect_hbs(root, &path, depth + 1, out)?;
        } else if path.extension().is_some_and(|e| e == "hbs") {
            if let Ok(rel) = path.strip_prefix(root) {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(rel.join("/"));
            }
        }
    }
    Ok(())
}

/// Renders the templates of one flow type.
pub struct Renderer {
    registries: BTreeMap<Language, Handlebars<'static>>,
}

impl Renderer {
    /// Render template `template` (a path like `okta/impl.py.hbs`) for the
    /// output file `output`, whose extension picks the escaping.
    ///
    /// # Errors
    /// A missing variable (strict mode) or a failing helper.
    pub fn render(
        &self,
        template: &str,
        output: &str,
        data: &serde_json::Value,
    ) -> Result<String, ScaffoldError> {
        let lang = Language::of(output);
        let hb = self
            .registries
            .get(&lang)
            .ok_or_else(|| ScaffoldError::Template {
                template: template.to_owned(),
                message: "no renderer for this file type".to_owned(),
            })?;
        hb.render(&template_name(template), data)
            .map_err(|e| ScaffoldError::Render {
                template: template.to_owned(),
                message: render_message(&e),
            })
    }
}

fn render_message(e: &RenderError) -> String {
    let mut msg = match e.reason() {
        RenderErrorReason::MissingVariable(Some(name)) => {
            format!("variable `{name}` is not defined")
        }
        other => other.to_string(),
    };
    if let Some(line) = e.line_no {
        msg = format!("line {line}: {msg}");
    }
    msg
}

/// A helper that writes its single argument through an escaping function.
/// Its output is final: the default escaping does not apply on top.
struct EscapeHelper(fn(&str) -> String);

impl HelperDef for EscapeHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let param = h
            .param(0)
            .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("escape helper", 0))?;
        if param.is_value_missing() {
            return Err(RenderErrorReason::MissingVariable(
                param.relative_path().map(ToOwned::to_owned),
            )
            .into());
        }
        let text = match param.value() {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.write(&(self.0)(&text))?;
        Ok(())
    }
}
