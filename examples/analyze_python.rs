//! Speed of the impl.py analysis alone (`symflow::python::analyze`) over a
//! directory of Python files, e.g. the `impls/` of a bench corpus:
//!
//! ```sh
//! python3 ../shared/bench/gen_corpus.py /tmp/c1000 --flows 1000 --seed 1
//! cargo run --release --example analyze_python -- /tmp/c1000/impls
//! ```
//!
//! Prints the number of files and bytes, then the median time of one pass
//! over all of them and the time per 100 files (of 15 passes), then the
//! same with `analyze_all` (all cores).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            python_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "py") {
            out.push(p);
        }
    }
}

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: analyze_python DIR");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    python_files(Path::new(&dir), &mut files);
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    if texts.is_empty() {
        eprintln!("no .py files under {}", Path::new(&dir).display());
        std::process::exit(2);
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut findings = 0;
    let mut times: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for t in &texts {
                let a = symflow::python::analyze(t);
                findings += a.undefined_names.len() + a.syntax_errors.len();
            }
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut parallel: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            findings += symflow::python::analyze_all(&refs)
                .iter()
                .map(|a| a.undefined_names.len())
                .sum::<usize>();
            start.elapsed()
        })
        .collect();
    parallel.sort();
    let parallel_median = parallel[parallel.len() / 2];
    let per_100 = median.as_secs_f64() * 1000.0 * 100.0 / texts.len() as f64;
    println!(
        "{} files, {bytes} bytes: median {:.2} ms per pass, {per_100:.3} ms per 100 files ({findings} findings over all passes)",
        texts.len(),
        median.as_secs_f64() * 1000.0
    );
    println!(
        "analyze_all on all cores: median {:.2} ms per pass",
        parallel_median.as_secs_f64() * 1000.0
    );
}
