//! CLI tests: the real binary, in a temp dir, with paths and versions
//! filtered. One test binary for all commands (one link, one harness).

mod support;

mod foundation;
mod init;
mod validate;
mod test;
