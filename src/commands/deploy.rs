//! `symflow deploy`: load, refuse on errors, read remote state, plan,
//! confirm, apply, report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use std::fmt::Write as _;

use anyhow::Context as _;
use serde_json::json;

use super::{Context, Exit};
use crate::api::entities::import_id;
use crate::api::retry::RetryPolicy;
use crate::api::{self, ApiError, Client, ClientOptions};
use crate::cli::{DeployArgs, DeployFormat};
use crate::deploy::apply::{Outcome, Progress, Report};
use crate::deploy::desired::{from_module, Desired};
use crate::deploy::read::{read_named, read_nameless, ReadOptions};
use crate::deploy::{self, render, Action, Plan, Resolve};
use crate::diag::Severity;
use crate::error::UserError;
use crate::lint::config::Config;
use crate::lint::runner;
use crate::module::{self, LoadOptions, Module};
use crate::output::Ui;
use crate::source::SourceMap;

/// Run `symflow deploy`. With `--detailed-exitcode`, every error exits 1.
///
/// # Errors
/// Anything that stops the deploy; `main` prints it.
pub fn run(args: &DeployArgs, ctx: &mut Context<'_>) -> anyhow::Result<Exit> {
    let result = run_inner(args, ctx);
    if args.detailed_exitcode {
        return result.map_err(|e| match e.downcast::<UserError>() {
            Ok(u) => u.exit_code(1).into(),
            Err(other) => UserError::new(other.to_string()).exit_code(1).into(),
        });
    }
    result
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn api_error(e: &ApiError) -> UserError {
    UserError::new(e.to_string()).hint(e.hint()).exit_code(1)
}

/// Loads the module again with more known ids (it takes milliseconds).
struct ModuleResolver {
    dir: PathBuf,
    options: LoadOptions,
    targets: Option<BTreeSet<String>>,
}

impl ModuleResolver {
    fn load(&self, known: &BTreeMap<String, String>) -> (Module, SourceMap) {
        let mut sources = SourceMap::new();
        let mut options = self.options.clone();
        options.known_ids.clone_from(known);
        let m = module::load(&self.dir, &mut sources, &options);
        (m, sources)
    }

    fn desired(&self, known: &BTreeMap<String, String>) -> Vec<Desired> {
        let (m, sources) = self.load(known);
        let mut d = from_module(&m, &|e| location(&sources, e));
        if let Some(t) = &self.targets {
            d.retain(|x| t.contains(&x.address));
        }
        d
    }
}

impl Resolve for ModuleResolver {
    fn resolve(&mut self, known: &BTreeMap<String, String>) -> Vec<Desired> {
        self.desired(known)
    }
}

fn location(sources: &SourceMap, e: &module::Entity) -> Option<String> {
    super::span_location(sources, e.span)
}

/// Refuse a module with errors before any request.
fn check_module(m: &Module, sources: &SourceMap) -> anyhow::Result<()> {
    // Provider 1.x's flows (`template`, `params` as a map) are not what
    // symflow sends: validate only warns (SF214), deploy must not guess.
    super::refuse_older_provider(
        m,
        sources,
        "deploys",
        "so nothing was deployed",
        "deploy it with Terraform",
    )?;
    if let Some(p) = m.problems.first() {
        let at = p
            .span
            .and_then(|s| super::span_location(sources, s))
            .unwrap_or_else(|| p.path.display().to_string());
        return Err(UserError::new(format!(
            "the module has errors, so nothing was deployed: {at}: {}",
            p.message
        ))
        .hint("run `symflow validate` and fix what it reports")
        .into());
    }
    if let Some(r) = m.undeclared.first() {
        return Err(UserError::new(format!(
            "the module refers to `{}`, which is not declared, so nothing was deployed",
            r.text
        ))
        .hint("run `symflow validate` and fix what it reports")
        .into());
    }
    if let Some(d) = m.duplicates.first() {
        return Err(UserError::new(format!(
            "`{}` is declared twice, so nothing was deployed",
            d.address
        ))
        .hint("run `symflow validate` and fix what it reports")
        .into());
    }
    Ok(())
}

/// Run every validate rule (with the module's `.symflow.toml`, if any):
/// an error-level finding stops the deploy before any request.
fn check_lint(m: &Module, sources: &mut SourceMap, dir: &Path) -> anyhow::Result<()> {
    let config = match Config::discover(dir) {
        Some(path) => Config::load(&path).map_err(|e| {
            UserError::new(format!("{e}"))
                .hint("fix the config file, or run `symflow validate` to see why")
        })?,
        None => Config::default(),
    };
    let python = super::validate::analyze_implementations(m, sources);
    let diags = runner::run(m, sources, &python, &config);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let Some(first) = errors.first() else {
        return Ok(());
    };
    let at = first
        .span
        .and_then(|s| super::span_location(sources, s))
        .or_else(|| first.path.as_ref().map(|p| p.display().to_string()))
        .unwrap_or_else(|| dir.display().to_string());
    let more = match errors.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    Err(UserError::new(format!(
        "the module has validation errors, so nothing was deployed: {at}: {} [{}]{more}",
        first.message, first.rule
    ))
    .hint("run `symflow validate` and fix what it reports")
    .into())
}

/// `--target`: those entities and everything they depend on.
fn target_closure(
    desired: &[Desired],
    targets: &[String],
) -> anyhow::Result<Option<BTreeSet<String>>> {
    if targets.is_empty() {
        return Ok(None);
    }
    let by_addr: BTreeMap<&str, &Desired> =
        desired.iter().map(|d| (d.address.as_str(), d)).collect();
    let mut keep = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    for t in targets {
        let matches: Vec<&Desired> = desired
            .iter()
            .filter(|d| {
                d.address == *t
                    || d.address
                        .strip_prefix(t.as_str())
                        .is_some_and(|rest| rest.starts_with('['))
            })
            .collect();
        if matches.is_empty() {
            let best = desired
                .iter()
                .map(|d| (strsim::jaro_winkler(&d.address, t), &d.address))
                .filter(|(s, _)| *s > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let mut err = UserError::new(format!(
                "--target `{t}` matches no sym_* resource of the module"
            ));
            if let Some((_, b)) = best {
                err = err.hint(format!("did you mean `{b}`?"));
            } else {
                err = err.hint("use an address such as sym_flow.NAME");
            }
            return Err(err.into());
        }
        stack.extend(matches.iter().map(|d| d.address.clone()));
    }
    while let Some(a) = stack.pop() {
        if !keep.insert(a.clone()) {
            continue;
        }
        if let Some(d) = by_addr.get(a.as_str()) {
            stack.extend(d.depends_on.iter().cloned());
        }
    }
    Ok(Some(keep))
}

fn client_options(base_url: &str) -> ClientOptions {
    let mut o = ClientOptions::new(base_url);
    // Tuning knob for tests and slow links: the time one request may take.
    if let Some(ms) = env("SYMFLOW_HTTP_TIMEOUT_MS").and_then(|v| v.parse::<u64>().ok()) {
        o.timeout = Duration::from_millis(ms.max(1));
        o.connect_timeout = o.connect_timeout.min(o.timeout);
    }
    o
}

fn retry_policy() -> RetryPolicy {
    let mut p = RetryPolicy::default();
    // Tuning knobs for tests and slow links.
    if let Some(ms) = env("SYMFLOW_RETRY_BASE_MS").and_then(|v| v.parse::<u64>().ok()) {
        p.base = Duration::from_millis(ms);
        p.max = p
            .max
            .min(Duration::from_millis(ms.saturating_mul(32).max(1)));
    }
    if let Some(n) = env("SYMFLOW_RETRY_ATTEMPTS").and_then(|v| v.parse::<u32>().ok()) {
        p.attempts = n.max(1);
    }
    p
}

fn run_inner(args: &DeployArgs, ctx: &mut Context<'_>) -> anyhow::Result<Exit> {
    if args.prune {
        return Err(UserError::new("`--prune` is not available yet: symflow deploy never deletes anything")
            .hint("delete entities the module no longer declares in the Sym UI or with Terraform; run without --prune to deploy")
            .into());
    }
    let base_url = args
        .api_url
        .clone()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| api::DEFAULT_API_URL.to_owned());
    if let Err(e) = api::check_base_url(&base_url) {
        let hint = match e {
            api::UrlError::Insecure(_) => {
                "use an https:// URL (plain http is allowed only for localhost)"
            }
            api::UrlError::Invalid(_) => "pass a URL like https://api.symops.com/api/v1",
        };
        return Err(UserError::new(e.to_string()).hint(hint).into());
    }
    if !args.dir.is_dir() {
        return Err(
            UserError::new(format!("`{}` is not a directory", args.dir.display()))
                .hint("pass the module directory: symflow deploy DIR")
                .into(),
        );
    }
    let options = super::vars::load_options(&args.vars)?;
    let mut resolver = ModuleResolver {
        dir: args.dir.clone(),
        options,
        targets: None,
    };
    let no_ids = BTreeMap::new();
    let (module, mut sources) = resolver.load(&no_ids);
    check_module(&module, &sources)?;
    super::vars::check_declared(
        &resolver.options,
        &module.variables.keys().cloned().collect(),
        &format!("the module `{}`", args.dir.display()),
    )?;
    check_lint(&module, &mut sources, &args.dir)?;
    let all_desired = from_module(&module, &|e| location(&sources, e));
    if all_desired.iter().all(|d| d.data) {
        return Err(UserError::new(format!(
            "`{}` declares no sym_* resources, so there is nothing to deploy",
            args.dir.display()
        ))
        .hint("run symflow deploy in the directory of your Sym module")
        .into());
    }
    resolver.targets = target_closure(&all_desired, &args.targets)?;
    let mut desired0 = all_desired;
    if let Some(t) = &resolver.targets {
        desired0.retain(|d| t.contains(&d.address));
    }

    // Credentials, as the provider finds them.
    let provider = module.provider.as_ref();
    let jwt_var = provider
        .and_then(|p| p.jwt_env_var.as_ref())
        .and_then(|a| a.value.as_str().map(str::to_owned));
    let org = provider
        .and_then(|p| p.org.as_ref())
        .and_then(|a| a.value.as_str().map(str::to_owned));
    let creds = api::credentials::resolve(&env, jwt_var.as_deref(), org.as_deref())
        .map_err(|e| UserError::new(e.to_string()).hint(e.hint()))?;
    ctx.ui
        .debug(&format!("using the Sym token from {}", creds.source));
    let ui_log = ctx.ui.clone();
    let client = Client::new(&client_options(&base_url), creds.token)
        .map_err(|e| UserError::new(e.to_string()))?
        .with_log(Arc::new(move |line: &str| ui_log.debug(line)));

    // Read remote state.
    let parallelism = usize::from(args.parallelism);
    let retry = retry_policy();
    let ui_retry = ctx.ui.clone();
    let on_retry = move |what: &str, e: &ApiError, d: Duration| {
        ui_retry.debug(&format!("retrying {what} in {} ms: {e}", d.as_millis()));
    };
    let read_opts = ReadOptions {
        parallelism,
        retry,
        on_retry: &on_retry,
    };
    ctx.ui.status(
        "Reading",
        &format!("{} entities from {base_url}", desired0.len()),
    );
    let mut state = read_named(&client, &read_opts, &desired0).map_err(|e| api_error(&e))?;
    let known: BTreeMap<String, String> = desired0
        .iter()
        .filter_map(|d| {
            state
                .entities
                .iter()
                .find(|r| {
                    r.kind == d.kind && api::entities::same_identity(d.kind, &d.fields, &r.fields)
                })
                .map(|r| (d.address.clone(), r.id.clone()))
        })
        .collect();
    let desired1 = resolver.desired(&known);
    read_nameless(&client, &read_opts, &desired0, &desired1, &mut state)
        .map_err(|e| api_error(&e))?;
    // Ids of nameless entities found now feed their referrers.
    let first = deploy::plan(&desired1, &state);
    let known = first.known_ids();
    let desired = resolver.desired(&known);
    let plan = deploy::plan(&desired, &state);

    // Show the plan.
    let blocked = plan.summary().cannot_deploy > 0;
    if args.format == DeployFormat::Human {
        write!(ctx.out, "{}", render::human(&plan, ctx.ui.out_styles))?;
    }
    if args.plan {
        if args.format == DeployFormat::Json {
            let doc = json!({"version": 1, "plan": render::plan_json(&plan)});
            writeln!(ctx.out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        write_imports(args.emit_imports.as_deref(), &plan, None, &ctx.ui)?;
        if blocked {
            return Ok(1);
        }
        return Ok(if args.detailed_exitcode && plan.has_changes() {
            2
        } else {
            0
        });
    }
    if !plan.has_changes() {
        if args.format == DeployFormat::Json {
            let doc = json!({"version": 1, "plan": render::plan_json(&plan), "apply": {"applied": [], "failed": [], "not_applied": []}});
            writeln!(ctx.out, "{}", serde_json::to_string_pretty(&doc)?)?;
        } else {
            ctx.ui.info("No changes: Sym matches the module.");
        }
        write_imports(args.emit_imports.as_deref(), &plan, None, &ctx.ui)?;
        return Ok(u8::from(blocked));
    }
    if !args.yes {
        if !ctx.ui.interactive {
            return Err(UserError::new(
                "refusing to apply without confirmation: there is no terminal to ask on",
            )
            .hint("pass --yes to apply, or --plan to only show the plan")
            .into());
        }
        ctx.out.flush()?;
        let ok = ctx
            .ui
            .prompter()
            .confirm("Apply these changes to Sym?", false)?;
        if !ok {
            ctx.ui.info("Nothing applied.");
            return Ok(0);
        }
    }

    // Apply.
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let c = Arc::clone(&cancel);
        // Only one handler per process; a second deploy in-process keeps the first.
        let _ = ctrlc::set_handler(move || c.store(true, Ordering::SeqCst));
    }
    let progress: Box<dyn Progress> =
        if ctx.ui.err_is_tty && !ctx.ui.quiet && args.format == DeployFormat::Human {
            Box::new(deploy::progress::Bars::new())
        } else if args.format == DeployFormat::Human {
            Box::new(deploy::progress::Lines { ui: ctx.ui.clone() })
        } else {
            Box::new(deploy::apply::Silent)
        };
    let report = deploy::apply(
        &client,
        &plan,
        desired,
        &mut resolver,
        &deploy::ApplyOptions { parallelism, retry },
        progress.as_ref(),
        &cancel,
    );
    write_imports(args.emit_imports.as_deref(), &plan, Some(&report), &ctx.ui)?;
    let failed = report.failed();
    if args.format == DeployFormat::Json {
        let pick = |f: fn(&Outcome) -> bool| -> Vec<serde_json::Value> {
            report
                .outcomes
                .iter()
                .filter(|(_, o)| f(o))
                .map(|(a, o)| match o {
                    Outcome::Created(r) => json!({"address": a, "action": "create", "id": r.id}),
                    Outcome::Updated(id) => json!({"address": a, "action": "update", "id": id}),
                    Outcome::Failed(why) | Outcome::NotApplied(why) => {
                        json!({"address": a, "reason": why})
                    }
                })
                .collect()
        };
        let doc = json!({
            "version": 1,
            "plan": render::plan_json(&plan),
            "apply": {
                "applied": pick(Outcome::applied),
                "failed": pick(|o| matches!(o, Outcome::Failed(_))),
                "not_applied": pick(|o| matches!(o, Outcome::NotApplied(_))),
                "interrupted": report.interrupted,
            }
        });
        writeln!(ctx.out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        summarize(&report, ctx)?;
    }
    Ok(u8::from(failed || blocked))
}

fn summarize(report: &Report, ctx: &mut Context<'_>) -> anyhow::Result<()> {
    let applied = report.outcomes.iter().filter(|(_, o)| o.applied()).count();
    let failed: Vec<_> = report
        .outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .collect();
    let not_applied: Vec<_> = report
        .outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::NotApplied(_)))
        .collect();
    if failed.is_empty() && not_applied.is_empty() && !report.interrupted {
        writeln!(ctx.out, "Applied {applied} change(s).")?;
        return Ok(());
    }
    if report.interrupted {
        writeln!(
            ctx.out,
            "Interrupted: in-flight requests finished, nothing new was started."
        )?;
    }
    writeln!(
        ctx.out,
        "Applied {applied} of {} change(s); {} failed, {} not applied.",
        report.outcomes.len(),
        failed.len(),
        not_applied.len()
    )?;
    for (a, o) in &failed {
        if let Outcome::Failed(why) = o {
            writeln!(ctx.out, "  failed       {a}: {why}")?;
        }
    }
    for (a, _) in &not_applied {
        writeln!(ctx.out, "  not applied  {a}")?;
    }
    writeln!(
        ctx.out,
        "Run the same command again to finish: it picks up where this one stopped."
    )?;
    Ok(())
}

/// Terraform `import {}` blocks for every entity that exists in Sym.
fn write_imports(
    path: Option<&Path>,
    plan: &Plan,
    report: Option<&Report>,
    ui: &Ui,
) -> anyhow::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let mut out = String::from("# Terraform import blocks for the entities symflow deployed.\n# Generated by symflow; ids per the Sym provider's import formats.\n");
    let mut skipped = Vec::new();
    for e in &plan.entries {
        if e.kind == api::Kind::FlowsFilter && e.action == Action::CannotDeploy {
            continue;
        }
        if e.action == Action::Read || e.address.starts_with("data.") {
            continue;
        }
        let created = report.and_then(|r| {
            r.outcomes.iter().find_map(|(a, o)| match o {
                Outcome::Created(remote) if *a == e.address => Some(remote.clone()),
                _ => None,
            })
        });
        let remote = created.or_else(|| e.remote.clone());
        let Some(remote) = remote else { continue };
        let Some(id) = import_id(&remote) else {
            skipped.push(e.address.clone());
            continue;
        };
        let _ = write!(
            out,
            "\nimport {{\n  to = {}\n  id = {}\n}}\n",
            e.address,
            serde_json::to_string(&id)?
        );
    }
    write_atomic(path, &out).with_context(|| format!("could not write {}", path.display()))?;
    if !skipped.is_empty() {
        ui.warn(&format!(
            "no import id for {} (the API did not report their slugs)",
            skipped.join(", ")
        ));
    }
    Ok(())
}

fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
