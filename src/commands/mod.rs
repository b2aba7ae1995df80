//! One file per subcommand: orchestration only (no parsing, no printing of
//! errors: errors go back to `main`).

pub mod deploy;
pub mod init;
pub mod login;
pub mod test;
pub mod validate;
mod vars;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::output::Ui;

/// `file:line:col` of a span's start, if its file is in `sources`.
fn span_location(sources: &crate::source::SourceMap, span: crate::source::Span) -> Option<String> {
    if span.file.0 as usize >= sources.len() {
        return None;
    }
    let file = sources.get(span.file);
    let lc = file.line_col(span.start);
    Some(format!(
        "{}:{}:{}",
        file.display.display(),
        lc.line,
        lc.column
    ))
}

/// Refuse to run a command (`verb`: deploys, tests) on a module whose provider (or a
/// local child's) is older than the configurations symflow knows; validate
/// only warns about it (SF214).
fn refuse_older_provider(
    m: &crate::module::Module,
    sources: &crate::source::SourceMap,
    verb: &str,
    consequence: &str,
    instead: &str,
) -> anyhow::Result<()> {
    let Some(old) = m.on_older_provider() else {
        return Ok(());
    };
    let at = old
        .provider_version
        .span
        .and_then(|s| span_location(sources, s))
        .map(|l| l + ": ")
        .unwrap_or_default();
    Err(crate::error::UserError::new(format!(
        "{at}the module targets {}; symflow {verb} configurations for provider 2.x and 3.x only, {consequence}",
        crate::lint::rules::walk::provider_version_text(old)
    ))
    .hint(format!("{instead}, or upgrade it to provider 2.x and then 3.x (see the provider's upgrade guides)"))
    .into())
}

/// What a command hands back to `main`: the exit code of a run that went as
/// planned (0 success, 1 findings or failures, 2 changes for
/// `deploy --detailed-exitcode`). Failures to run are `Err`.
pub type Exit = u8;

/// Everything a command needs from the outside world.
pub struct Context<'a> {
    pub ui: Ui,
    /// Where results go (stdout in the real binary).
    pub out: &'a mut dyn Write,
}

/// Run a parsed command line.
///
/// # Errors
/// Anything that stops the command from running; `main` prints it.
pub fn run(cli: Cli, ctx: &mut Context<'_>) -> anyhow::Result<Exit> {
    let code = match cli.command {
        Command::Init(args) => init::run(&args, ctx),
        Command::Validate(args) => validate::run(&args, ctx),
        Command::Test(args) => test::run(&args, ctx),
        Command::Deploy(args) => deploy::run(&args, ctx),
        Command::Login(args) => login::run(&args, ctx),
    }?;
    ctx.out.flush()?;
    Ok(code)
}
