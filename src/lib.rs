//! symflow: a fast developer CLI for Sym access workflows.
//!
//! Data flows one way: files -> module -> (lint | simulate | deploy) -> report.
//! `main.rs` is a thin shell over [`commands::run`].

pub mod alloc;
pub mod api;
pub mod cli;
pub mod commands;
pub mod deploy;
pub mod diag;
pub mod error;
#[doc(hidden)]
pub mod fuzz_targets;
pub mod hcl;
pub mod lint;
pub mod module;
pub mod output;
pub mod python;
pub mod report;
pub mod scaffold;
pub mod schema;
pub mod simulate;
pub mod source;

/// How many threads can run at once (at least 1). Asked of the system once:
/// the answer reads cgroup files, and loading and checking ask it often.
#[must_use]
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES
        .get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get))
}
