//! The `symflow` binary: parse, run, map the outcome to an exit code. This is
//! the only place that prints errors.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use symflow::cli::Cli;
use symflow::commands::{self, Context};
use symflow::error::UserError;
use symflow::output::{color_enabled, Styles, Ui};

// A fast general-purpose allocator: loading a large module makes many small
// allocations from several threads, where glibc's arenas spend much of the
// time growing heaps (measured: a fifth of validate's CPU on the 1,000-flow
// corpus). mimalloc 2 with transparent huge pages where the system allows
// them (`madvise` mode): on the 1,000-flow corpus that replaces about 11,000
// page faults (a quarter of the CPU time on a virtual machine) with a few
// hundred, for about 10 MiB more peak memory (58-60 MiB). mimalloc 3 with
// huge pages needs 75 MiB for the same run. Called through
// `symflow::alloc::Allocator`, which skips mimalloc's alignment wrapper where
// every block is aligned enough anyway.
#[global_allocator]
static GLOBAL: symflow::alloc::Allocator = symflow::alloc::Allocator;

const ISSUES_URL: &str = "https://github.com/symflow/symflow/issues";

fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // Help and version go to stdout; a closed pipe is not an error.
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let ui = Ui::from_env(
        cli.global.color,
        cli.global.quiet,
        cli.global.verbose,
        cli.global.no_input,
    );
    let styles = ui.err_styles;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut ctx = Context { ui, out: &mut out };
        commands::run(cli, &mut ctx)
    }));
    match result {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(err)) => report_error(&err, styles),
        // The panic hook has already explained; 2 = could not run.
        Err(_) => ExitCode::from(2),
    }
}

fn report_error(err: &anyhow::Error, styles: Styles) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    let mut stderr = std::io::stderr().lock();
    if let Some(user) = err.downcast_ref::<UserError>() {
        let _ = writeln!(stderr, "{} {}", styles.error("error:"), user.message);
        if let Some(hint) = &user.hint {
            let _ = writeln!(stderr, "  {} {hint}", styles.info("hint:"));
        }
        return ExitCode::from(user.exit_code);
    }
    // One sentence: the chain of causes, outermost first.
    let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
    let _ = writeln!(stderr, "{} {}", styles.error("error:"), chain.join(": "));
    ExitCode::from(2)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let styles = Styles {
            enabled: color_enabled(
                symflow::cli::ColorChoice::Auto,
                std::io::IsTerminal::is_terminal(&std::io::stderr()),
            ),
        };
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "{} symflow crashed: this is a bug in symflow, not in your files.\n  {} {what}{place}\n  {} please report it at {ISSUES_URL} with the command you ran and `symflow --version`",
            styles.error("error:"),
            styles.dim("panic:"),
            styles.info("hint:"),
        );
    }));
}
