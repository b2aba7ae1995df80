//! Apply progress: on a terminal, a total bar plus one line per in-flight
//! entity (indicatif); otherwise plain lines on stderr.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::apply::{Outcome, Progress};
use super::plan::Action;
use crate::output::Ui;

fn verb(action: Action) -> &'static str {
    match action {
        Action::Create => "creating",
        Action::Update => "updating",
        _ => "reading",
    }
}

/// Plain lines through the Ui (logs, CI, tests).
pub struct Lines {
    pub ui: Ui,
}

impl Progress for Lines {
    fn begin(&self, total: usize) {
        self.ui.info(&format!("applying {total} change(s)"));
    }
    fn start(&self, address: &str, action: Action) {
        self.ui.debug(&format!("{} {address}", verb(action)));
    }
    fn retry(&self, address: &str, message: &str) {
        self.ui.info(&format!("  retry {address}: {message}"));
    }
    fn done(&self, address: &str, outcome: &Outcome) {
        match outcome {
            Outcome::Created(r) => self.ui.info(&format!("  created {address} (id {})", r.id)),
            Outcome::Updated(id) => self.ui.info(&format!("  updated {address} (id {id})")),
            Outcome::Failed(why) => self.ui.error(&format!("{address} failed: {why}")),
            Outcome::NotApplied(_) => {}
        }
    }
    fn finish(&self) {}
}

/// indicatif bars on a terminal.
pub struct Bars {
    multi: MultiProgress,
    total: ProgressBar,
    lines: Mutex<BTreeMap<String, ProgressBar>>,
}

impl Bars {
    #[must_use]
    pub fn new() -> Self {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let total = multi.add(ProgressBar::new(0));
        total.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} applied  {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bars {
            multi,
            total,
            lines: Mutex::new(BTreeMap::new()),
        }
    }
}

impl Default for Bars {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for Bars {
    fn begin(&self, total: usize) {
        self.total.set_length(total as u64);
    }
    fn start(&self, address: &str, action: Action) {
        let bar = self.multi.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("  {spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("{} {address}", verb(action)));
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut l) = self.lines.lock() {
            l.insert(address.to_owned(), bar);
        }
    }
    fn retry(&self, address: &str, message: &str) {
        if let Ok(l) = self.lines.lock() {
            if let Some(bar) = l.get(address) {
                bar.set_message(format!("{address}: {message}"));
            }
        }
    }
    fn done(&self, address: &str, outcome: &Outcome) {
        if let Ok(mut l) = self.lines.lock() {
            if let Some(bar) = l.remove(address) {
                bar.finish_and_clear();
                self.multi.remove(&bar);
            }
        }
        let line = match outcome {
            Outcome::Created(r) => format!("  created {address} (id {})", r.id),
            Outcome::Updated(id) => format!("  updated {address} (id {id})"),
            Outcome::Failed(why) => format!("  failed  {address}: {why}"),
            Outcome::NotApplied(_) => return,
        };
        let _ = self.multi.println(line);
        self.total.inc(1);
    }
    fn finish(&self) {
        self.total.finish_and_clear();
    }
}
