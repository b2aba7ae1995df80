//! Benchmark of `module::load` on a generated corpus.
//!
//! ```sh
//! python3 ../shared/bench/gen_corpus.py /tmp/corpus/1000 --flows 1000 --seed 1
//! cargo bench --bench load -- /tmp/corpus/1000      # or SYMFLOW_BENCH_DIR=/tmp/corpus/1000
//! ```
//!
//! Prints the median, minimum and maximum wall time of several full loads
//! (list, read and parse every `.tf` file, evaluate, read every `file()`
//! target), each with a fresh `SourceMap`.
//!
//! Each load runs in a process of its own, as a `symflow` run does: the
//! timer starts just before `module::load` and stops just after it, so
//! process start and exit are not counted, while the costs a one-shot
//! process pays (fresh memory, new threads) are. `SYMFLOW_BENCH_IN_PROCESS=1`
//! instead loads repeatedly in one process (warmer allocator, but each
//! load meets the previous loads' leftovers).
//!
//! Other settings: `SYMFLOW_BENCH_RUNS` (default 21) and
//! `SYMFLOW_BENCH_VALIDATE=1` (load as `validate` does: implementation text
//! left out of the values, see `LoadOptions::skip_implementation_text`).

// A benchmark reports on stdout.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use symflow::module::{self, LoadOptions};
use symflow::source::SourceMap;

// The allocator the `symflow` binary uses, so the figures match its runs.
#[global_allocator]
static GLOBAL: symflow::alloc::Allocator = symflow::alloc::Allocator;

/// Set in a child process: load once and print the two times.
const CHILD: &str = "SYMFLOW_BENCH_CHILD";

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .or_else(|| std::env::var("SYMFLOW_BENCH_DIR").ok());
    let Some(dir) = dir.map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench load -- CORPUS_DIR (or set SYMFLOW_BENCH_DIR)");
        return;
    };
    let opts = LoadOptions {
        skip_implementation_text: flag("SYMFLOW_BENCH_VALIDATE"),
        ..LoadOptions::default()
    };
    if flag(CHILD) {
        let (total, parse) = timed_load(&dir, &opts);
        println!("{} {}", total.as_nanos(), parse.as_nanos());
        return;
    }
    let runs: usize = std::env::var("SYMFLOW_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(21)
        .max(1);

    // Warm the page cache and check the corpus once.
    let mut sources = SourceMap::new();
    let m = module::load(&dir, &mut sources, &opts);
    let bytes: usize = sources.iter().map(|(_, f)| f.text.len()).sum();
    println!(
        "corpus {}: {} .tf files, {} files read in all ({} bytes), {} entities, {} problems, {} undeclared",
        dir.display(),
        m.files.len(),
        sources.len(),
        bytes,
        m.entities.len(),
        m.problems.len(),
        m.undeclared.len()
    );
    drop(m);

    let in_process = flag("SYMFLOW_BENCH_IN_PROCESS");
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut parse_times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (t, p) = if in_process {
            timed_load(&dir, &opts)
        } else {
            match in_child(&dir) {
                Ok(tp) => tp,
                Err(e) => {
                    eprintln!("bench child failed: {e}");
                    return;
                }
            }
        };
        times.push(t);
        parse_times.push(p);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut evaluate: Vec<Duration> = times
        .iter()
        .zip(&parse_times)
        .map(|(t, p)| t.saturating_sub(*p))
        .collect();
    times.sort();
    parse_times.sort();
    evaluate.sort();
    println!(
        "module::load{}: median {:.2} ms, min {:.2} ms, max {:.2} ms over {runs} runs ({})",
        if opts.skip_implementation_text {
            " (as validate loads)"
        } else {
            ""
        },
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        if in_process {
            "in one process"
        } else {
            "one process per load"
        }
    );
    println!(
        "  of which: list, read and parse median {:.2} ms; evaluate and build median {:.2} ms",
        ms(parse_times[parse_times.len() / 2]),
        ms(evaluate[evaluate.len() / 2]),
    );
}

fn flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// One load as `validate` makes it: `load_observed` leaves the syntax trees
/// to the process exit. The `Parsed` event splits the time into reading and
/// parsing (parallel) and evaluating and building.
fn timed_load(dir: &Path, opts: &LoadOptions) -> (Duration, Duration) {
    let mut sources = SourceMap::new();
    let parsed_at = Arc::new(Mutex::new(None::<Instant>));
    let mark = Arc::clone(&parsed_at);
    let observer: module::Observer = Arc::new(move |event| {
        if let module::Event::Parsed = event {
            if let Ok(mut at) = mark.lock() {
                *at = Some(Instant::now());
            }
        }
    });
    let start = Instant::now();
    let m = module::load_observed(dir, &mut sources, opts, observer);
    let t = start.elapsed();
    std::hint::black_box(&m);
    // Left to the process exit, as validate does.
    std::mem::forget(m);
    std::mem::forget(sources);
    let parsed = parsed_at.lock().ok().and_then(|at| *at);
    (t, parsed.map_or(t, |at| at - start))
}

/// Run one load in a fresh copy of this benchmark and read its times.
fn in_child(dir: &Path) -> Result<(Duration, Duration), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = std::process::Command::new(exe)
        .arg(dir)
        .env(CHILD, "1")
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut nums = text
        .split_whitespace()
        .map(|n| n.parse::<u64>().map(Duration::from_nanos));
    match (nums.next(), nums.next()) {
        (Some(Ok(t)), Some(Ok(p))) => Ok((t, p)),
        _ => Err(format!("unexpected output: {text}")),
    }
}
