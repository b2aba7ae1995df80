//! Variable inputs shared by the commands that evaluate a module
//! (`validate`, `test`, `deploy`): `--var`, `--var-file` and `TF_VAR_*`,
//! checked the same way everywhere.

use std::collections::BTreeSet;

use crate::cli::VarArgs;
use crate::error::UserError;
use crate::module::LoadOptions;

/// Load options carrying the variable inputs of `args` and of the
/// environment (`TF_VAR_NAME`, UTF-8 only, sorted by name).
///
/// # Errors
/// A `--var` without `=` or without a name, or a `--var-file` that does not
/// exist (exit 2, with a hint).
pub(crate) fn load_options(args: &VarArgs) -> anyhow::Result<LoadOptions> {
    let mut vars = Vec::with_capacity(args.vars.len());
    for v in &args.vars {
        let Some((name, value)) = v.split_once('=') else {
            return Err(UserError::new(format!("`--var {v}` has no `=`"))
                .hint("write --var NAME=VALUE")
                .into());
        };
        if name.trim().is_empty() {
            return Err(UserError::new(format!("`--var {v}` has no variable name"))
                .hint("write --var NAME=VALUE")
                .into());
        }
        vars.push((name.trim().to_owned(), value.to_owned()));
    }
    for f in &args.var_files {
        if !f.is_file() {
            return Err(UserError::new(format!(
                "the variables file {} does not exist",
                f.display()
            ))
            .hint("check the path given to --var-file")
            .into());
        }
    }
    let mut env_vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| {
            let k = k.into_string().ok()?;
            let name = k.strip_prefix("TF_VAR_")?.to_owned();
            Some((name, v.into_string().ok()?))
        })
        .filter(|(name, _)| !name.is_empty())
        .collect();
    env_vars.sort();
    Ok(LoadOptions {
        vars,
        var_files: args.var_files.clone(),
        env_vars,
        ..LoadOptions::default()
    })
}

/// Terraform refuses a `-var` for a variable the configuration does not
/// declare (a typo would otherwise leave the real variable unset without a
/// word). `declared` holds the variables of the module(s) the command ran
/// on; `where_` names them for the message ("the module `DIR`").
///
/// # Errors
/// The first `--var` whose name is not in `declared` (exit 2), with the
/// closest declared name as a hint when there is one.
pub(crate) fn check_declared(
    options: &LoadOptions,
    declared: &BTreeSet<String>,
    where_: &str,
) -> anyhow::Result<()> {
    let Some((name, _)) = options.vars.iter().find(|(n, _)| !declared.contains(n)) else {
        return Ok(());
    };
    let declare = format!("declare it with `variable \"{name}\" {{}}`, or drop the --var");
    let hint = match crate::schema::did_you_mean(name, declared.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `--var {close}=...`?"),
        None if declared.is_empty() => {
            format!("no variables are declared in {where_}: {declare}")
        }
        None => format!(
            "declared in {where_}: {}; or {declare}",
            declared
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(UserError::new(format!(
        "`--var {name}=...` names no variable declared in {where_}"
    ))
    .hint(hint)
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(vars: &[&str]) -> LoadOptions {
        LoadOptions {
            vars: vars
                .iter()
                .map(|v| ((*v).to_owned(), "x".to_owned()))
                .collect(),
            ..LoadOptions::default()
        }
    }

    fn names(n: &[&str]) -> BTreeSet<String> {
        n.iter().map(|s| (*s).to_owned()).collect()
    }

    fn message(e: &anyhow::Error) -> String {
        let u = e.downcast_ref::<UserError>().expect("a user error");
        assert_eq!(u.exit_code, 2);
        format!("{} | {}", u.message, u.hint.as_deref().unwrap_or(""))
    }

    #[test]
    fn declared_variables_pass() {
        let declared = names(&["flow_name", "region"]);
        assert!(
            check_declared(&options(&["region", "flow_name"]), &declared, "the module").is_ok()
        );
        assert!(check_declared(&options(&[]), &names(&[]), "the module").is_ok());
    }

    #[test]
    fn an_undeclared_variable_is_named_with_the_closest_declared_one() {
        let declared = names(&["flow_name", "region"]);
        let e = check_declared(&options(&["region", "flow_nmae"]), &declared, "the module")
            .expect_err("flow_nmae is not declared");
        let m = message(&e);
        assert!(
            m.contains("`--var flow_nmae=...` names no variable declared in the module"),
            "{m}"
        );
        assert!(m.contains("did you mean `--var flow_name=...`?"), "{m}");
    }

    #[test]
    fn without_a_close_name_the_declared_ones_are_listed() {
        let e = check_declared(&options(&["zzz"]), &names(&["flow_name", "region"]), "dir")
            .expect_err("zzz is not declared");
        assert!(
            message(&e).contains("declared in dir: `flow_name`, `region`"),
            "{}",
            message(&e)
        );
        let e =
            check_declared(&options(&["zzz"]), &names(&[]), "dir").expect_err("nothing declared");
        assert!(
            message(&e).contains("no variables are declared in dir"),
            "{}",
            message(&e)
        );
    }
}
