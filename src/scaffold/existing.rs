//! A light scan of an existing module for `init --add-flow`: which
//! `sym_environment` to wire the new flow to, what that environment is
//! called, and which resource addresses are already taken. The full module
//! model lives in `crate::module`; this scan needs only block headers and two
//! attributes, so it reads each `.tf` file with hcl-edit directly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body};

use super::ScaffoldError;

/// What `--add-flow` needs to know about the module it adds to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingModule {
    /// The label of the `sym_environment` resource (`this` in
    /// `sym_environment.this`).
    pub environment_resource: String,
    /// The environment's `name`, when it is a literal or a literal local;
    /// else the resource label.
    pub environment_name: String,
    /// Keys of the environment's `integrations` map (`slack_id`, ...).
    pub integration_keys: Vec<String>,
    /// The file that declares the environment.
    pub environment_file: PathBuf,
    /// Every `resource` already declared, as `(type, label)`, with the name
    /// of the file that declares it.
    pub resources: BTreeMap<(String, String), String>,
}

struct EnvCandidate {
    label: String,
    name: Option<String>,
    name_local: Option<String>,
    integration_keys: Vec<String>,
    file: PathBuf,
}

/// Whether `dir` holds `.tf.json` files (which `--add-flow` does not read).
fn has_json_config(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".tf.json"))
    })
}

/// Scan the `.tf` files directly in `dir`. With several environments,
/// `choose` (an environment name or resource label) picks one.
///
/// # Errors
/// No `.tf` file, a file that does not parse, no environment, or several
/// environments and no (matching) choice.
pub fn scan(dir: &Path, choose: Option<&str>) -> Result<ExistingModule, ScaffoldError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| ScaffoldError::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ScaffoldError::Module {
            message: format!("{} has no .tf files to add a flow to", dir.display()),
            hint: if has_json_config(dir) {
                "--add-flow edits the native syntax only (`.tf`), not `.tf.json` files"
            } else {
                "run `symflow init` without --add-flow to create a module first"
            }
            .to_owned(),
        });
    }
    let mut envs = Vec::new();
    let mut resources = BTreeMap::new();
    let mut locals = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|source| ScaffoldError::Io {
            path: file.clone(),
            source,
        })?;
        let body = parse(file, &text)?;
        let file_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for block in body.blocks() {
            match block.ident.as_str() {
                "resource" => {
                    let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                    if let [kind, label] = labels[..] {
                        resources.insert((kind.to_owned(), label.to_owned()), file_name.clone());
                        if kind == "sym_environment" {
                            envs.push(environment(block, label, file));
                        }
                    }
                }
                "locals" => {
                    for attr in block.body.attributes() {
                        if let Expression::String(s) = &attr.value {
                            locals.insert(attr.key.as_str().to_owned(), s.as_str().to_owned());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let resolve = |e: &EnvCandidate| -> String {
        e.name
            .clone()
            .or_else(|| e.name_local.as_ref().and_then(|l| locals.get(l).cloned()))
            .unwrap_or_else(|| e.label.clone())
    };
    let chosen =
        match (envs.len(), choose) {
            (0, _) => return Err(ScaffoldError::Module {
                message: format!("{} declares no sym_environment", dir.display()),
                hint: if has_json_config(dir) {
                    "--add-flow reads the native syntax only (`.tf`): declare the environment in a `.tf` file, or add the flow by hand"
                } else {
                    "add a flow to a module made by `symflow init`, or run it without --add-flow"
                }
                .to_owned(),
            }),
            (1, None) => envs.remove(0),
            (_, Some(want)) => {
                let idx = envs
                    .iter()
                    .position(|e| e.label == want || resolve(e) == want)
                    .ok_or_else(|| ScaffoldError::Module {
                        message: format!("no sym_environment named `{want}` in {}", dir.display()),
                        hint: format!("choose one of: {}", env_list(&envs, &resolve)),
                    })?;
                envs.remove(idx)
            }
            (_, None) => {
                return Err(ScaffoldError::Module {
                    message: format!(
                        "{} declares {} environments and the new flow can join only one",
                        dir.display(),
                        envs.len()
                    ),
                    hint: format!(
                        "pass --environment with one of: {}",
                        env_list(&envs, &resolve)
                    ),
                })
            }
        };
    Ok(ExistingModule {
        environment_name: resolve(&chosen),
        environment_resource: chosen.label,
        integration_keys: chosen.integration_keys,
        environment_file: chosen.file,
        resources,
    })
}

fn env_list(envs: &[EnvCandidate], resolve: &dyn Fn(&EnvCandidate) -> String) -> String {
    envs.iter()
        .map(|e| format!("{} (sym_environment.{})", resolve(e), e.label))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse(file: &Path, text: &str) -> Result<Body, ScaffoldError> {
    hcl_edit::parser::parse_body(text).map_err(|e| ScaffoldError::Parse {
        file: file.to_path_buf(),
        message: format!(
            "line {}, column {}: {}",
            e.location().line(),
            e.location().column(),
            e.message()
        ),
    })
}

fn environment(block: &Block, label: &str, file: &Path) -> EnvCandidate {
    let mut name = None;
    let mut name_local = None;
    if let Some(attr) = block.body.get_attribute("name") {
        match &attr.value {
            Expression::String(s) => name = Some(s.as_str().to_owned()),
            Expression::Traversal(t) => {
                if let (Expression::Variable(root), [op]) = (&t.expr, &t.operators[..]) {
                    if root.as_str() == "local" {
                        if let TraversalOperator::GetAttr(key) = op.value() {
                            name_local = Some(key.as_str().to_owned());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut integration_keys = Vec::new();
    if let Some(attr) = block.body.get_attribute("integrations") {
        if let Expression::Object(obj) = &attr.value {
            for (key, _) in obj {
                match key {
                    ObjectKey::Ident(id) => integration_keys.push(id.as_str().to_owned()),
                    ObjectKey::Expression(Expression::String(s)) => {
                        integration_keys.push(s.as_str().to_owned());
                    }
                    ObjectKey::Expression(_) => {}
                }
            }
        }
    }
    EnvCandidate {
        label: label.to_owned(),
        name,
        name_local,
        integration_keys,
        file: file.to_path_buf(),
    }
}

impl ExistingModule {
    /// Refuse a rendered flow file that declares a resource the module
    /// already has in another file (Terraform would reject the duplicate).
    /// Resources of `file` itself do not count: `--force` replaces it.
    ///
    /// # Errors
    /// The first clashing resource address.
    pub fn check_no_clash(&self, file: &str, text: &str) -> Result<(), ScaffoldError> {
        let body = parse(Path::new(file), text)?;
        for block in body.blocks() {
            if block.ident.as_str() != "resource" {
                continue;
            }
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            if let [kind, label] = labels[..] {
                let owner = self.resources.get(&(kind.to_owned(), label.to_owned()));
                if owner.is_some_and(|owner| owner != file) {
                    return Err(ScaffoldError::Module {
                        message: format!(
                            "the module already declares {kind}.{label}, which {file} would declare again"
                        ),
                        hint: "choose another flow name for --add-flow".to_owned(),
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        dir
    }

    #[test]
    fn finds_the_environment_and_its_local_name() {
        let dir = module(&[(
            "main.tf",
            "locals {\n  environment_name = \"staging\"\n}\nresource \"sym_environment\" \"main\" {\n  name = local.environment_name\n  integrations = {\n    slack_id = sym_integration.slack.id\n  }\n}\n",
        )]);
        let m = scan(dir.path(), None).expect("scan");
        assert_eq!(m.environment_resource, "main");
        assert_eq!(m.environment_name, "staging");
        assert_eq!(m.integration_keys, vec!["slack_id".to_owned()]);
        assert_eq!(
            m.resources
                .get(&("sym_environment".to_owned(), "main".to_owned()))
                .map(String::as_str),
            Some("main.tf")
        );
    }

    #[test]
    fn several_environments_need_a_choice() {
        let dir = module(&[
            (
                "a.tf",
                "resource \"sym_environment\" \"prod\" {\n  name = \"prod\"\n}\n",
            ),
            (
                "b.tf",
                "resource \"sym_environment\" \"stg\" {\n  name = \"staging\"\n}\n",
            ),
        ]);
        let err = scan(dir.path(), None).expect_err("ambiguous");
        assert!(err.to_string().contains("2 environments"), "{err}");
        let m = scan(dir.path(), Some("staging")).expect("chosen by name");
        assert_eq!(m.environment_resource, "stg");
        let m = scan(dir.path(), Some("prod")).expect("chosen by label");
        assert_eq!(m.environment_name, "prod");
        assert!(scan(dir.path(), Some("dev")).is_err());
    }

    #[test]
    fn no_environment_or_no_files_is_an_error() {
        let dir = module(&[]);
        assert!(scan(dir.path(), None).is_err());
        let dir = module(&[("x.tf", "variable \"a\" {}\n")]);
        assert!(scan(dir.path(), None)
            .expect_err("no env")
            .to_string()
            .contains("no sym_environment"));
    }

    #[test]
    fn an_environment_in_json_syntax_is_not_read_and_the_hint_says_so() {
        let hint = |files: &[(&str, &str)]| match scan(module(files).path(), None) {
            Err(ScaffoldError::Module { hint, .. }) => hint,
            other => panic!("{other:?}"),
        };
        let env = "{\"resource\": {\"sym_environment\": {\"prod\": {\"name\": \"prod\"}}}}";
        assert!(hint(&[("env.tf.json", env)]).contains("native syntax only"));
        assert!(
            hint(&[("x.tf", "variable \"a\" {}\n"), ("env.tf.json", env)])
                .contains("declare the environment in a `.tf` file")
        );
        assert!(!hint(&[("x.tf", "variable \"a\" {}\n")]).contains(".tf.json"));
    }

    #[test]
    fn a_broken_file_is_reported_with_its_location() {
        let dir = module(&[("x.tf", "resource \"sym_environment\" {\n")]);
        let err = scan(dir.path(), None).expect_err("parse error");
        assert!(err.to_string().contains("x.tf"), "{err}");
        assert!(err.to_string().contains("line"), "{err}");
    }

    #[test]
    fn clashing_resources_are_refused() {
        let dir = module(&[(
            "main.tf",
            "resource \"sym_environment\" \"this\" {\n  name = \"prod\"\n}\nresource \"sym_flow\" \"db\" {\n}\n",
        )]);
        let m = scan(dir.path(), None).expect("scan");
        assert!(m
            .check_no_clash("db.tf", "resource \"sym_flow\" \"db\" {\n}\n")
            .is_err());
        assert!(m
            .check_no_clash("db2.tf", "resource \"sym_flow\" \"db2\" {\n}\n")
            .is_ok());
        // The file a forced run replaces does not clash with itself.
        assert!(m
            .check_no_clash("main.tf", "resource \"sym_flow\" \"db\" {\n}\n")
            .is_ok());
    }
}
