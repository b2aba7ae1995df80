//! Completions and the man page are generated from the clap definition and
//! committed; this test fails when a committed copy is stale.
//!
//! Regenerate with: `SYMFLOW_REGENERATE=1 cargo test --test generated`

use std::path::{Path, PathBuf};

use clap_complete::Shell;

const REGENERATE: &str = "SYMFLOW_REGENERATE=1 cargo test --test generated";

fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut files = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "symflow.bash"),
        (Shell::Zsh, "_symflow"),
        (Shell::Fish, "symflow.fish"),
        (Shell::PowerShell, "_symflow.ps1"),
        (Shell::Elvish, "symflow.elv"),
    ] {
        let mut buf = Vec::new();
        let mut cmd = symflow::cli::command();
        clap_complete::generate(shell, &mut cmd, "symflow", &mut buf);
        files.push((root.join(name), buf));
    }
    let mut man = Vec::new();
    clap_mangen::Man::new(symflow::cli::command())
        .render(&mut man)
        .expect("render man page");
    files.push((root.join("symflow.1"), man));
    files
}

#[test]
fn completions_and_man_page_are_fresh() {
    let regenerate = std::env::var_os("SYMFLOW_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (path, want) in generated() {
        let have = std::fs::read(&path).unwrap_or_default();
        if have != want {
            if regenerate {
                std::fs::write(&path, &want).expect("write generated file");
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {}\nregenerate them with: {REGENERATE}",
        stale.join(", ")
    );
}
