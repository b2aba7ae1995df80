//! `symflow init`: the template registry, rendering, the scan of an existing
//! module for `--add-flow`, and the all-or-nothing file writer. Prompts live
//! in `commands/init.rs`; this module never talks to the terminal.

pub mod escape;
pub mod existing;
pub mod inputs;
pub mod templates;
pub mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{json, Map, Value};

use crate::cli::FlowType;
use inputs::{needs_aws, needs_secrets, type_fields, Field};
pub use templates::TemplateSet;

/// Why scaffolding failed.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("could not read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("template directory {}: {message}", path.display())]
    TemplateDir { path: PathBuf, message: String },
    #[error("{} matches no template symflow knows", path.display())]
    UnknownTemplate { path: PathBuf, known: Vec<String> },
    #[error("template {template} does not parse: {message}")]
    Template { template: String, message: String },
    #[error("template {template} failed to render: {message}")]
    Render { template: String, message: String },
    #[error("{file} does not parse: {message}")]
    Parse { file: PathBuf, message: String },
    #[error("{message}")]
    Module { message: String, hint: String },
}

/// Everything the templates are rendered from, validated.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub flow_type: FlowType,
    /// Values by field (org, environment, flow name, type-specific ones).
    pub values: BTreeMap<Field, String>,
}

impl Inputs {
    fn get(&self, field: Field) -> Option<&str> {
        self.values.get(&field).map(String::as_str)
    }
}

/// What `init` is creating.
#[derive(Debug, Clone)]
pub enum Mode {
    /// A whole new module.
    NewModule,
    /// One flow added to an existing module.
    AddFlow(existing::ExistingModule),
}

/// One file to write, relative to the module directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    pub path: String,
    pub contents: String,
}

/// A human label from a slug: `prod-db-access` -> `Prod Db Access`.
#[must_use]
pub fn label_from_slug(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |first| {
                first.to_uppercase().collect::<String>() + c.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The template variables for `inputs` in `mode`. Documented in the README
/// ("Template variables"); a test keeps the two in sync.
#[must_use]
pub fn variables(inputs: &Inputs, mode: &Mode) -> Value {
    let mut vars = Map::new();
    let flow_name = inputs.get(Field::FlowName).unwrap_or_default().to_owned();
    let environment = match mode {
        Mode::NewModule => inputs
            .get(Field::Environment)
            .unwrap_or_default()
            .to_owned(),
        Mode::AddFlow(m) => m.environment_name.clone(),
    };
    let standalone = matches!(mode, Mode::AddFlow(_));
    for (field, value) in &inputs.values {
        vars.insert(field.variable().to_owned(), json!(value));
    }
    vars.insert("environment".into(), json!(environment));
    vars.insert("flow_type".into(), json!(inputs.flow_type.name()));
    vars.insert("flow_label".into(), json!(label_from_slug(&flow_name)));
    vars.insert(
        "flow_resource".into(),
        json!(escape::identifier(&flow_name.replace('-', "_"))),
    );
    vars.insert("standalone".into(), json!(standalone));
    vars.insert("needs_runtime".into(), json!(needs_aws(inputs.flow_type)));
    vars.insert(
        "needs_secrets".into(),
        json!(needs_secrets(inputs.flow_type)),
    );
    let (impl_path, environment_resource) = match mode {
        Mode::NewModule => ("impl.py".to_owned(), "this".to_owned()),
        Mode::AddFlow(m) => (
            format!("impls/{flow_name}.py"),
            m.environment_resource.clone(),
        ),
    };
    vars.insert("impl_path".into(), json!(impl_path));
    vars.insert(
        "test_path".into(),
        json!(format!("tests/{flow_name}.symtest.hcl")),
    );
    vars.insert("environment_resource".into(), json!(environment_resource));
    if needs_aws(inputs.flow_type) {
        let region = inputs
            .get(Field::LambdaArn)
            .and_then(inputs::arn_region)
            .unwrap_or("us-east-1");
        vars.insert("aws_region".into(), json!(region));
        let ident = escape::identifier(&flow_name.replace('-', "_"));
        let (ctx_res, ctx_name, sec_res, sec_name) = if standalone {
            (
                format!("{ident}_context"),
                format!("{environment}-{flow_name}-context"),
                format!("{ident}_secrets"),
                format!("{environment}-{flow_name}-secrets"),
            )
        } else {
            (
                "runtime_context".to_owned(),
                format!("{environment}-runtime"),
                "this".to_owned(),
                format!("{environment}-secrets"),
            )
        };
        vars.insert("context_resource".into(), json!(ctx_res));
        vars.insert("context_name".into(), json!(ctx_name));
        if needs_secrets(inputs.flow_type) {
            vars.insert("secrets_resource".into(), json!(sec_res));
            vars.insert("secrets_name".into(), json!(sec_name));
        }
    }
    Value::Object(vars)
}

/// Which template makes which file.
#[must_use]
pub fn layout(flow_type: FlowType, mode: &Mode, flow_name: &str) -> Vec<(String, String)> {
    let t = flow_type.name();
    let test = format!("tests/{flow_name}.symtest.hcl");
    match mode {
        Mode::NewModule => vec![
            ("shared/main.tf.hbs".to_owned(), "main.tf".to_owned()),
            (
                "shared/versions.tf.hbs".to_owned(),
                "versions.tf".to_owned(),
            ),
            (format!("{t}/impl.py.hbs"), "impl.py".to_owned()),
            (format!("{t}/test.symtest.hcl.hbs"), test),
            ("shared/gitignore.hbs".to_owned(), ".gitignore".to_owned()),
            ("shared/README.md.hbs".to_owned(), "README.md".to_owned()),
            (
                "shared/pre-commit-config.yaml.hbs".to_owned(),
                ".pre-commit-config.yaml".to_owned(),
            ),
        ],
        Mode::AddFlow(_) => vec![
            (format!("{t}/flow.tf.hbs"), format!("{flow_name}.tf")),
            (format!("{t}/impl.py.hbs"), format!("impls/{flow_name}.py")),
            (format!("{t}/test.symtest.hcl.hbs"), test),
        ],
    }
}

/// Render every file of the module (or of the added flow) in memory.
///
/// # Errors
/// A template that fails to parse or render, or (with `--add-flow`) a
/// rendered flow that would declare a resource the module already has.
pub fn render(
    set: &TemplateSet,
    inputs: &Inputs,
    mode: &Mode,
) -> Result<Vec<PlannedFile>, ScaffoldError> {
    let renderer = set.renderer(inputs.flow_type)?;
    let data = variables(inputs, mode);
    let flow_name = inputs.get(Field::FlowName).unwrap_or_default();
    let mut files = Vec::new();
    for (template, output) in layout(inputs.flow_type, mode, flow_name) {
        let contents = renderer.render(&template, &output, &data)?;
        files.push(PlannedFile {
            path: output,
            contents: tidy(&contents),
        });
    }
    if let Mode::AddFlow(module) = mode {
        if let Some(tf) = files.first() {
            module.check_no_clash(&tf.path, &tf.contents)?;
        }
    }
    Ok(files)
}

/// Trim trailing spaces and leading blank lines, and end the file with
/// exactly one newline.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.trim_start_matches('\n').lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The inputs a flow type needs beyond the common ones.
#[must_use]
pub fn required_fields(flow_type: FlowType, add_flow: bool) -> Vec<Field> {
    let mut fields = if add_flow {
        vec![Field::FlowName]
    } else {
        vec![
            Field::Org,
            Field::Environment,
            Field::SlackWorkspaceId,
            Field::FlowName,
        ]
    };
    fields.extend_from_slice(type_fields(flow_type));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_from_slugs() {
        assert_eq!(label_from_slug("prod-db-access"), "Prod Db Access");
        assert_eq!(label_from_slug("okta"), "Okta");
        assert_eq!(label_from_slug(""), "");
    }

    #[test]
    fn tidy_trims_trailing_space_and_blank_ends() {
        assert_eq!(tidy("\na  \n\n\nb\n\n"), "a\n\n\nb\n");
    }
}
