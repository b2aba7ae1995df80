//! `symflow test`: run flow logic locally against `.symtest.hcl` scenarios.

use std::path::Path;

use crate::cli::{TestArgs, TestFormat};
use crate::commands::{Context, Exit};
use crate::error::UserError;
use crate::module::{self, ProblemKind};
use crate::simulate::{self, driver::DriverError, report, Options, SuiteError};
use crate::source::SourceMap;

/// Run the command.
///
/// # Errors
/// Could-not-run problems (exit 2): a bad `--timeout`, a module that does
/// not load, no test files, a test file that does not parse, no Python.
pub fn run(args: &TestArgs, ctx: &mut Context<'_>) -> anyhow::Result<Exit> {
    let timeout = simulate::model::parse_duration(&args.timeout).map_err(|m| {
        UserError::new(format!("invalid --timeout: {m}")).hint("use a value like 5s, 500ms or 1m")
    })?;
    if !args.dir.is_dir() {
        return Err(
            UserError::new(format!("{} is not a directory", args.dir.display()))
                .hint("pass the module directory (the one with your .tf files)")
                .into(),
        );
    }
    let options = super::vars::load_options(&args.vars)?;
    let mut sources = SourceMap::new();
    let module = module::load(&args.dir, &mut sources, &options);
    if let Some(p) = module.problems.iter().find(|p| {
        matches!(
            p.kind,
            ProblemKind::Syntax | ProblemKind::NoConfiguration | ProblemKind::Unreadable
        )
    }) {
        let place = p
            .span
            .and_then(|s| super::span_location(&sources, s))
            .unwrap_or_else(|| p.path.display().to_string());
        return Err(
            UserError::new(format!("cannot load the module: {place}: {}", p.message))
                .hint(format!(
                    "run `symflow validate {}` for details",
                    args.dir.display()
                ))
                .into(),
        );
    }
    // Its flows' prompt fields and params are in 1.x's shape (a map with
    // `prompt_fields_json`): checking tests against them would mislead.
    super::refuse_older_provider(
        &module,
        &sources,
        "tests",
        "so no test was run",
        "try its flows in Sym",
    )?;
    super::vars::check_declared(
        &options,
        &module.variables.keys().cloned().collect(),
        &format!("the module `{}`", args.dir.display()),
    )?;
    let files = simulate::discover(&args.dir);
    if files.is_empty() {
        let where_ = if args.dir == Path::new(".") {
            Path::new("tests").to_path_buf()
        } else {
            args.dir.join("tests")
        };
        return Err(UserError::new(format!(
            "no test files (*.symtest.hcl) in {}",
            where_.display()
        ))
        .hint("add tests/<flow>.symtest.hcl (see the `symflow test` section of the README, or run `symflow init`)")
        .into());
    }
    let opts = Options {
        filter: args.filter.clone(),
        timeout,
        python: args.python.clone(),
    };
    ctx.ui.debug(&format!(
        "running {} test file(s) with {}",
        files.len(),
        args.python.display()
    ));
    let results =
        simulate::run_suite(&module, &mut sources, &files, &opts).map_err(|e| match e {
            SuiteError::TestFile { .. } => UserError::new(e.to_string())
                .hint("see the `symflow test` section of the README for the file format"),
            SuiteError::Driver(DriverError::NotFound(ref p)) => UserError::new(format!(
                "python interpreter `{}` was not found",
                p.display()
            ))
            .hint("install Python 3.8 or newer, or point --python at an interpreter"),
            other => UserError::new(other.to_string())
                .hint("check the interpreter with --python PATH; run with -v for details"),
        })?;
    match args.format {
        TestFormat::Human => report::human(ctx.out, &results, ctx.ui.out_styles)?,
        TestFormat::Json => report::json(ctx.out, &results)?,
        TestFormat::Junit => report::junit(ctx.out, &results)?,
    }
    let failed = results.iter().any(|r| r.status == report::Status::Failed);
    Ok(u8::from(failed))
}
