//! symflow: a fast developer CLI for Sym access workflows.
//!
//! Data flows one way: files -> module -> (lint | simulate | deploy) -> report.
//! `main.rs` is a thin shell over [`commands::run`].

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
