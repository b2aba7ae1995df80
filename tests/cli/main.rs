//! CLI tests: the real binary, in a temp dir, with paths and versions
//! filtered. One test binary for all commands (one link, one harness).

mod support;

mod deploy;
mod foundation;
mod init;
mod python;
mod robust;
mod test;
mod validate;

#[path = "../fake_api/mod.rs"]
mod fake_api;
