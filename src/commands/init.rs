//! `symflow init`: gather inputs (flags, then prompts on a terminal), render
//! the templates in memory, write them all or nothing, and say what is next.

use std::collections::BTreeMap;
use std::path::Path;

use crate::cli::{FlowType, InitArgs};
use crate::commands::{Context, Exit};
use crate::error::UserError;
use crate::output::Prompter;
use crate::scaffold::existing::{self, ExistingModule};
use crate::scaffold::inputs::{describe, type_fields, Field, FLOW_TYPES};
use crate::scaffold::write::{self, AtomicWriter, WriteError, Writer};
use crate::scaffold::{self, Inputs, Mode, ScaffoldError, TemplateSet};

/// Run `symflow init` with the real file writer.
///
/// # Errors
/// Bad or missing inputs, templates that fail, files in the way.
pub fn run(args: &InitArgs, ctx: &mut Context<'_>) -> anyhow::Result<Exit> {
    let prompter = ctx.ui.prompter();
    run_with(args, ctx, prompter.as_ref(), &mut AtomicWriter)
}

/// `init` with an explicit prompter and writer (tests inject failures here).
///
/// # Errors
/// As [`run`].
pub fn run_with(
    args: &InitArgs,
    ctx: &mut Context<'_>,
    prompter: &dyn Prompter,
    writer: &mut dyn Writer,
) -> anyhow::Result<Exit> {
    let interactive = ctx.ui.interactive;
    let given = given_flags(args);
    // Flags are checked before anything is asked.
    for (field, value) in &given {
        field
            .validate(value)
            .map_err(|why| invalid_flag(*field, value, &why))?;
    }
    if let Some(name) = &args.add_flow {
        Field::FlowName
            .validate(name)
            .map_err(|why| invalid_flag_named("--add-flow", name, &why))?;
    }
    let add_flow = args.add_flow.is_some();

    // The module an added flow joins, before any question is asked.
    let mode = if add_flow {
        let module = scan_existing(&args.dir, args.environment.as_deref())?;
        Mode::AddFlow(module)
    } else {
        Mode::NewModule
    };

    // Files in the way are reported before any question is asked.
    if !args.force {
        refuse_existing(args, &mode)?;
    }

    let inputs = if interactive {
        ask(args, &given, prompter)?
    } else {
        from_flags(args, &given)?
    };
    warn_unused(ctx, &given, inputs.flow_type, add_flow);

    let set = match &args.template_dir {
        Some(dir) => {
            let set = TemplateSet::with_overrides(dir).map_err(scaffold_error)?;
            ctx.ui.debug(&format!(
                "using {} template(s) from {}: {}",
                set.overridden().len(),
                dir.display(),
                set.overridden().join(", ")
            ));
            set
        }
        None => TemplateSet::embedded(),
    };
    let files = scaffold::render(&set, &inputs, &mode).map_err(scaffold_error)?;
    let outcome = write::apply(&args.dir, &files, args.force, writer)
        .map_err(|e| write_error(e, &args.dir))?;

    for path in &outcome.created {
        ctx.ui.status("Created", &shown(&args.dir, path));
    }
    for path in &outcome.replaced {
        ctx.ui.status("Replaced", &shown(&args.dir, path));
    }
    if let Mode::AddFlow(module) = &mode {
        if inputs.flow_type == FlowType::Pagerduty
            && !module.integration_keys.iter().any(|k| k == "pagerduty_id")
        {
            let flow = inputs
                .values
                .get(&Field::FlowName)
                .map_or(String::new(), |f| f.replace('-', "_"));
            ctx.ui.warn(&format!(
                "add `pagerduty_id = sym_integration.{flow}_pagerduty.id` to the integrations of sym_environment.{} in {}, so the flow can ask PagerDuty who is on call",
                module.environment_resource,
                module.environment_file.display()
            ));
        }
    }
    let target = if args.dir == Path::new(".") {
        String::new()
    } else {
        format!(" {}", args.dir.display())
    };
    writeln!(ctx.out, "Next steps:")?;
    writeln!(ctx.out, "  symflow validate{target}")?;
    writeln!(ctx.out, "  symflow test{target}")?;
    writeln!(ctx.out, "  symflow deploy{target} --plan")?;
    Ok(0)
}

/// The files this run will write that are known before the inputs are (all
/// but a new module's test file when the flow name is still to be asked).
fn refuse_existing(args: &InitArgs, mode: &Mode) -> Result<(), UserError> {
    let flow_name = args.add_flow.as_deref().or(args.flow_name.as_deref());
    let existing: Vec<String> = scaffold::layout(FlowType::Approval, mode, flow_name.unwrap_or(""))
        .into_iter()
        .map(|(_, output)| output)
        .filter(|output| flow_name.is_some() || !output.starts_with("tests/"))
        .filter(|output| args.dir.join(output).exists())
        .collect();
    if existing.is_empty() {
        Ok(())
    } else {
        Err(write_error(
            WriteError::Exists { paths: existing },
            &args.dir,
        ))
    }
}

fn shown(dir: &Path, rel: &str) -> String {
    if dir == Path::new(".") {
        rel.to_owned()
    } else {
        dir.join(rel).display().to_string()
    }
}

/// Every input given as a flag.
fn given_flags(args: &InitArgs) -> BTreeMap<Field, String> {
    let t = &args.type_args;
    let pairs = [
        (Field::Org, &args.org),
        (Field::Environment, &args.environment),
        (Field::SlackWorkspaceId, &args.slack_workspace_id),
        (Field::FlowName, &args.flow_name),
        (Field::OktaDomain, &t.okta_domain),
        (Field::OktaGroupId, &t.okta_group_id),
        (Field::IamGroup, &t.iam_group),
        (Field::SsoInstanceArn, &t.sso_instance_arn),
        (Field::SsoPermissionSetArn, &t.sso_permission_set_arn),
        (Field::LambdaArn, &t.lambda_arn),
        (Field::PagerdutyDomain, &t.pagerduty_domain),
        (Field::PagerdutySchedule, &t.pagerduty_schedule),
        (Field::AwsAccountId, &t.aws_account_id),
        (Field::AwsRoleArn, &t.aws_role_arn),
    ];
    pairs
        .into_iter()
        .filter_map(|(f, v)| v.clone().map(|v| (f, v)))
        .collect()
}

/// The fields to collect, in prompt order, for a type (or before the type is
/// known, with `None`).
fn wanted(flow_type: Option<FlowType>, add_flow: bool) -> Vec<Field> {
    let mut fields = Vec::new();
    if !add_flow {
        fields.extend([
            Field::Org,
            Field::Environment,
            Field::SlackWorkspaceId,
            Field::FlowName,
        ]);
    }
    if let Some(t) = flow_type {
        fields.extend_from_slice(type_fields(t));
    }
    fields
}

fn finish(args: &InitArgs, flow_type: FlowType, mut values: BTreeMap<Field, String>) -> Inputs {
    if let Some(name) = &args.add_flow {
        values.insert(Field::FlowName, name.clone());
        values.remove(&Field::Environment);
    }
    let keep: Vec<Field> = scaffold::required_fields(flow_type, args.add_flow.is_some());
    values.retain(|f, _| keep.contains(f));
    Inputs { flow_type, values }
}

/// `--no-input` or no terminal: flags and defaults only; every missing value
/// is named at once.
fn from_flags(args: &InitArgs, given: &BTreeMap<Field, String>) -> Result<Inputs, UserError> {
    let add_flow = args.add_flow.is_some();
    let mut missing = Vec::new();
    let mut values = BTreeMap::new();
    for field in wanted(args.flow_type, add_flow) {
        match given.get(&field) {
            Some(v) => {
                values.insert(field, v.clone());
            }
            None => match field.default_value(args.flow_type) {
                Some(d) => {
                    values.insert(field, d);
                }
                None => missing.push(field.flag()),
            },
        }
    }
    if args.flow_type.is_none() {
        // The type comes right after the common inputs, as on a terminal.
        let at = missing
            .iter()
            .position(|f| *f == "--flow-name")
            .unwrap_or(missing.len());
        missing.insert(at.min(missing.len()), "--type");
    }
    match args.flow_type {
        Some(t) if missing.is_empty() => Ok(finish(args, t, values)),
        _ => {
            let (noun, list) = if missing.len() == 1 {
                ("value", missing[0].to_owned())
            } else {
                ("values", missing.join(", "))
            };
            Err(UserError::new(format!("missing required {noun}: {list}")).hint(
                "pass them as flags, or run `symflow init` in a terminal without --no-input to be asked",
            ))
        }
    }
}

/// On a terminal: ask for whatever the flags did not give.
fn ask(
    args: &InitArgs,
    given: &BTreeMap<Field, String>,
    prompter: &dyn Prompter,
) -> Result<Inputs, UserError> {
    let add_flow = args.add_flow.is_some();
    let mut values = BTreeMap::new();
    let common = wanted(None, add_flow);
    let (before_type, after_type): (Vec<Field>, Vec<Field>) =
        common.into_iter().partition(|f| *f != Field::FlowName);
    for field in before_type {
        values.insert(field, value_of(field, given, None, prompter)?);
    }
    let flow_type = if let Some(t) = args.flow_type {
        t
    } else {
        let items: Vec<String> = FLOW_TYPES
            .iter()
            .map(|t| format!("{:<11} {}", t.name(), describe(*t)))
            .collect();
        let idx = prompter.select("Flow type", &items, 0)?;
        FLOW_TYPES.get(idx).copied().unwrap_or(FlowType::Approval)
    };
    for field in after_type
        .into_iter()
        .chain(type_fields(flow_type).iter().copied())
    {
        values.insert(field, value_of(field, given, Some(flow_type), prompter)?);
    }
    Ok(finish(args, flow_type, values))
}

fn value_of(
    field: Field,
    given: &BTreeMap<Field, String>,
    flow_type: Option<FlowType>,
    prompter: &dyn Prompter,
) -> Result<String, UserError> {
    if let Some(v) = given.get(&field) {
        return Ok(v.clone());
    }
    let default = field.default_value(flow_type);
    let validate = move |s: &str| field.validate(s);
    prompter.input(field.prompt(), default.as_deref(), &validate)
}

fn warn_unused(
    ctx: &Context<'_>,
    given: &BTreeMap<Field, String>,
    flow_type: FlowType,
    add_flow: bool,
) {
    let used = scaffold::required_fields(flow_type, add_flow);
    for field in given.keys() {
        let env_choice = add_flow && *field == Field::Environment;
        if !used.contains(field) && !env_choice {
            ctx.ui.warn(&format!(
                "{} is not used by {} flows{}",
                field.flag(),
                flow_type.name(),
                if add_flow {
                    " added with --add-flow"
                } else {
                    ""
                }
            ));
        }
    }
}

fn scan_existing(dir: &Path, environment: Option<&str>) -> Result<ExistingModule, UserError> {
    if !dir.is_dir() {
        return Err(UserError::new(format!(
            "{} is not a directory with a Sym module",
            dir.display()
        ))
        .hint("run --add-flow inside a module made by `symflow init`, or pass its directory"));
    }
    existing::scan(dir, environment).map_err(scaffold_error)
}

fn invalid_flag(field: Field, value: &str, why: &str) -> UserError {
    invalid_flag_named(field.flag(), value, why)
}

fn invalid_flag_named(flag: &str, value: &str, why: &str) -> UserError {
    UserError::new(format!("invalid {flag} {value:?}: it {why}")).hint(format!(
        "fix the value of {flag}, or leave it out to be asked on a terminal"
    ))
}

fn scaffold_error(e: ScaffoldError) -> UserError {
    match e {
        ScaffoldError::Module { message, hint } => UserError::new(message).hint(hint),
        ScaffoldError::UnknownTemplate { ref known, .. } => {
            let known = known.join(", ");
            UserError::new(e.to_string())
                .hint(format!("a template directory mirrors templates/: {known}"))
        }
        ScaffoldError::Render { .. } | ScaffoldError::Template { .. } => {
            UserError::new(e.to_string())
                .hint("the README lists the variables templates can use (\"Template variables\")")
        }
        other => UserError::new(other.to_string()),
    }
}

fn write_error(e: WriteError, dir: &Path) -> UserError {
    match e {
        WriteError::Exists { .. } => UserError::new(format!("{e} in {}", dir.display()))
            .hint("nothing was written; pass --force to replace them, or choose another directory"),
        other => UserError::new(other.to_string())
            .hint("nothing was written: the directory is as it was before"),
    }
}
