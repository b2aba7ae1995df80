//! Benchmark of `module::load` on a generated corpus.
//!
//! ```sh
//! python3 ../shared/bench/gen_corpus.py /tmp/corpus/1000 --flows 1000 --seed 1
//! cargo bench --bench load -- /tmp/corpus/1000      # or SYMFLOW_BENCH_DIR=/tmp/corpus/1000
//! ```
//!
//! Prints the median, minimum and maximum wall time of several full loads
//! (list, read and parse every `.tf` file, evaluate, read every `file()`
//! target), each with a fresh `SourceMap`, as a user's run would.

// A benchmark reports on stdout.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use symflow::module::{self, LoadOptions};

// The allocator the `symflow` binary uses, so the figures match its runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use symflow::source::SourceMap;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .or_else(|| std::env::var("SYMFLOW_BENCH_DIR").ok());
    let Some(dir) = dir.map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench load -- CORPUS_DIR (or set SYMFLOW_BENCH_DIR)");
        return;
    };
    let runs: usize = std::env::var("SYMFLOW_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(21);
    let opts = LoadOptions::default();

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

    // Each run as `validate` makes it: `load_observed` leaves the syntax
    // trees to the process exit, so no freeing of the previous run's trees
    // overlaps the next one. The `Parsed` event splits the time into
    // reading and parsing (parallel) and evaluating (one thread).
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut parse_times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
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
        let m = module::load_observed(&dir, &mut sources, &opts, observer);
        let t = start.elapsed();
        std::hint::black_box(&m);
        times.push(t);
        let parsed = parsed_at.lock().ok().and_then(|at| *at);
        parse_times.push(parsed.map_or(t, |at| at - start));
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
        "module::load: median {:.2} ms, min {:.2} ms, max {:.2} ms over {runs} runs",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
    println!(
        "  of which: list, read and parse median {:.2} ms; evaluate and build median {:.2} ms",
        ms(parse_times[parse_times.len() / 2]),
        ms(evaluate[evaluate.len() / 2]),
    );
}
