//! Output discipline: results go to stdout, everything else (progress,
//! prompts, logs) to stderr. Colour follows `--color` and `NO_COLOR` and is
//! off when the stream is not a terminal. Prompts sit behind [`Prompter`] so
//! that commands can be tested without a TTY.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

use crate::cli::ColorChoice;
use crate::error::UserError;

/// Styling helpers that are no-ops when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    pub enabled: bool,
}

impl Styles {
    fn paint<'a>(
        self,
        s: &'a str,
        f: impl Fn(console::StyledObject<&'a str>) -> console::StyledObject<&'a str>,
    ) -> String {
        if self.enabled {
            f(console::style(s)).force_styling(true).to_string()
        } else {
            s.to_owned()
        }
    }
    #[must_use]
    pub fn error(self, s: &str) -> String {
        self.paint(s, |x| x.red().bold())
    }
    #[must_use]
    pub fn warning(self, s: &str) -> String {
        self.paint(s, |x| x.yellow().bold())
    }
    #[must_use]
    pub fn good(self, s: &str) -> String {
        self.paint(s, |x| x.green().bold())
    }
    #[must_use]
    pub fn info(self, s: &str) -> String {
        self.paint(s, |x| x.cyan().bold())
    }
    #[must_use]
    pub fn bold(self, s: &str) -> String {
        self.paint(s, |x| x.bold())
    }
    #[must_use]
    pub fn dim(self, s: &str) -> String {
        self.paint(s, |x| x.dim())
    }
    #[must_use]
    pub fn red(self, s: &str) -> String {
        self.paint(s, |x| x.red())
    }
    #[must_use]
    pub fn green(self, s: &str) -> String {
        self.paint(s, |x| x.green())
    }
    #[must_use]
    pub fn yellow(self, s: &str) -> String {
        self.paint(s, |x| x.yellow())
    }
}

/// Resolve a colour choice for one stream.
#[must_use]
pub fn color_enabled(choice: ColorChoice, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_tty
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// Where stderr-side messages go. Shared and thread-safe so that deploy
/// workers can log.
#[derive(Clone)]
pub struct Ui {
    err: Arc<Mutex<Box<dyn Write + Send>>>,
    /// Styles for stdout (results).
    pub out_styles: Styles,
    /// Styles for stderr (logs).
    pub err_styles: Styles,
    pub quiet: bool,
    pub verbose: u8,
    /// True when stderr is a terminal (progress bars allowed).
    pub err_is_tty: bool,
    /// True when we may prompt: stdin and stderr are terminals and `--no-input` is off.
    pub interactive: bool,
}

impl std::fmt::Debug for Ui {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ui")
            .field("quiet", &self.quiet)
            .field("verbose", &self.verbose)
            .field("interactive", &self.interactive)
            .finish_non_exhaustive()
    }
}

impl Ui {
    /// The real terminal.
    #[must_use]
    pub fn from_env(color: ColorChoice, quiet: bool, verbose: u8, no_input: bool) -> Self {
        let out_tty = std::io::stdout().is_terminal();
        let err_tty = std::io::stderr().is_terminal();
        let in_tty = std::io::stdin().is_terminal();
        Ui {
            err: Arc::new(Mutex::new(Box::new(std::io::stderr()))),
            out_styles: Styles {
                enabled: color_enabled(color, out_tty),
            },
            err_styles: Styles {
                enabled: color_enabled(color, err_tty),
            },
            quiet,
            verbose,
            err_is_tty: err_tty,
            interactive: !no_input && in_tty && err_tty,
        }
    }

    /// A silent, non-interactive Ui capturing stderr into a buffer (tests).
    #[must_use]
    pub fn capture() -> (Self, Arc<Mutex<Vec<u8>>>) {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let ui = Ui {
            err: Arc::new(Mutex::new(Box::new(SharedBuf(buf.clone())))),
            out_styles: Styles { enabled: false },
            err_styles: Styles { enabled: false },
            quiet: false,
            verbose: 0,
            err_is_tty: false,
            interactive: false,
        };
        (ui, buf)
    }

    fn write_err(&self, line: &str) {
        if let Ok(mut w) = self.err.lock() {
            // A closed stderr is not worth failing a command over.
            let _ = writeln!(w, "{line}");
        }
    }

    /// A cargo-style status line: right-aligned green verb, then the rest.
    pub fn status(&self, verb: &str, rest: &str) {
        if self.quiet {
            return;
        }
        let verb = format!("{verb:>12}");
        self.write_err(&format!("{} {rest}", self.err_styles.good(&verb)));
    }

    /// A plain informational line (suppressed by `-q`).
    pub fn info(&self, msg: &str) {
        if !self.quiet {
            self.write_err(msg);
        }
    }

    /// A line shown only with `-v`.
    pub fn debug(&self, msg: &str) {
        if self.verbose > 0 && !self.quiet {
            self.write_err(&format!("{} {msg}", self.err_styles.dim("debug:")));
        }
    }

    /// A warning (shown even with `-q`).
    pub fn warn(&self, msg: &str) {
        self.write_err(&format!("{} {msg}", self.err_styles.warning("warning:")));
    }

    /// An error line (shown even with `-q`).
    pub fn error(&self, msg: &str) {
        self.write_err(&format!("{} {msg}", self.err_styles.error("error:")));
    }

    /// The prompter to use for this run.
    #[must_use]
    pub fn prompter(&self) -> Box<dyn Prompter> {
        if self.interactive {
            Box::new(TermPrompter)
        } else {
            Box::new(NoPrompter)
        }
    }
}

struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A validator for text input: `Err(message)` rejects the value.
pub type Validator<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// Asking the user things. Implemented by the terminal (dialoguer), by a
/// refusing prompter for non-interactive runs, and by scripted test doubles.
pub trait Prompter {
    /// Free text with an optional default and inline validation.
    ///
    /// # Errors
    /// When prompting is impossible or the terminal fails.
    fn input(
        &self,
        prompt: &str,
        default: Option<&str>,
        validate: Validator<'_>,
    ) -> Result<String, UserError>;
    /// One choice out of `items`; returns its index.
    ///
    /// # Errors
    /// When prompting is impossible or the terminal fails.
    fn select(&self, prompt: &str, items: &[String], default: usize) -> Result<usize, UserError>;
    /// Yes or no.
    ///
    /// # Errors
    /// When prompting is impossible or the terminal fails.
    fn confirm(&self, prompt: &str, default: bool) -> Result<bool, UserError>;
}

fn term_error(e: &dialoguer::Error) -> UserError {
    UserError::new(format!("could not read an answer from the terminal: {e}"))
        .hint("pass the value as a flag, or use --no-input in scripts")
}

/// dialoguer on stderr.
pub struct TermPrompter;

impl Prompter for TermPrompter {
    fn input(
        &self,
        prompt: &str,
        default: Option<&str>,
        validate: Validator<'_>,
    ) -> Result<String, UserError> {
        let theme = dialoguer::theme::ColorfulTheme::default();
        let mut input = dialoguer::Input::<String>::with_theme(&theme).with_prompt(prompt);
        if let Some(d) = default {
            input = input.default(d.to_owned());
        }
        input
            .validate_with(|s: &String| validate(s))
            .interact_text()
            .map_err(|e| term_error(&e))
    }

    fn select(&self, prompt: &str, items: &[String], default: usize) -> Result<usize, UserError> {
        let theme = dialoguer::theme::ColorfulTheme::default();
        dialoguer::Select::with_theme(&theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact()
            .map_err(|e| term_error(&e))
    }

    fn confirm(&self, prompt: &str, default: bool) -> Result<bool, UserError> {
        let theme = dialoguer::theme::ColorfulTheme::default();
        dialoguer::Confirm::with_theme(&theme)
            .with_prompt(prompt)
            .default(default)
            .interact()
            .map_err(|e| term_error(&e))
    }
}

/// Used with `--no-input` or without a terminal: every prompt is an error.
pub struct NoPrompter;

fn cannot_prompt(prompt: &str) -> UserError {
    UserError::new(format!(
        "`{prompt}` needs an answer, but symflow is not allowed to prompt"
    ))
    .hint("run in a terminal without --no-input, or pass the value as a flag")
}

impl Prompter for NoPrompter {
    fn input(&self, prompt: &str, _: Option<&str>, _: Validator<'_>) -> Result<String, UserError> {
        Err(cannot_prompt(prompt))
    }
    fn select(&self, prompt: &str, _: &[String], _: usize) -> Result<usize, UserError> {
        Err(cannot_prompt(prompt))
    }
    fn confirm(&self, prompt: &str, _: bool) -> Result<bool, UserError> {
        Err(cannot_prompt(prompt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_choice_is_honoured() {
        assert!(color_enabled(ColorChoice::Always, false));
        assert!(!color_enabled(ColorChoice::Never, true));
        assert!(!color_enabled(ColorChoice::Auto, false));
    }

    #[test]
    fn styles_are_plain_when_disabled() {
        let s = Styles { enabled: false };
        assert_eq!(s.error("x"), "x");
        let s = Styles { enabled: true };
        assert_ne!(s.error("x"), "x");
    }

    #[test]
    fn capture_ui_collects_stderr_and_quiet_hides_info() {
        let (mut ui, buf) = Ui::capture();
        ui.info("hello");
        ui.quiet = true;
        ui.info("hidden");
        ui.warn("careful");
        let text = String::from_utf8(buf.lock().map(|b| b.clone()).unwrap_or_default())
            .unwrap_or_default();
        assert_eq!(text, "hello\nwarning: careful\n");
    }

    #[test]
    fn no_prompter_refuses_with_a_hint() {
        let err = NoPrompter.confirm("Apply?", false).err();
        assert!(err.is_some_and(|e| e.hint.is_some()));
    }
}
