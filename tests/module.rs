//! Integration tests of the module model (`symflow::module::load`).

use std::path::{Path, PathBuf};

use symflow::module::{self, LoadOptions, Module};
use symflow::source::SourceMap;

fn load(dir: &Path) -> (Module, SourceMap) {
    let mut sources = SourceMap::new();
    let m = module::load(dir, &mut sources, &LoadOptions::default());
    (m, sources)
}

/// Generate the synthetic corpus with the shared generator.
fn corpus(n: u32) -> (tempfile::TempDir, PathBuf) {
    let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    assert!(
        gen.is_file(),
        "the corpus generator is missing: expected {} (CI keeps /work/shared as ../shared beside the repo)",
        gen.display()
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join(n.to_string());
    let status = std::process::Command::new("python3")
        .arg(&gen)
        .arg(&out)
        .args(["--flows", &n.to_string(), "--seed", "1"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run python3");
    assert!(status.success(), "gen_corpus.py failed");
    (tmp, out)
}

#[test]
fn corpus_100_loads_without_problems() {
    let (_tmp, dir) = corpus(100);
    let (m, sources) = load(&dir);
    let problems: Vec<String> = m.problems.iter().map(|p| p.message.clone()).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let undeclared: Vec<&str> = m.undeclared.iter().map(|r| r.text.as_str()).collect();
    assert!(undeclared.is_empty(), "{undeclared:?}");
    assert!(m.duplicates.is_empty());
    assert_eq!(m.files.len(), 103);
    assert_eq!(m.entities_of("sym_flow").count(), 100);
    assert_eq!(m.entities.len(), 367);
    assert_eq!(m.read_files.len(), 100);
    assert_eq!(m.provider_version.major, 3);
    let _ = sources;
}
