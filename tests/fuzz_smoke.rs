//! Fuzz smoke run: the cargo-fuzz targets' bodies (`symflow::fuzz_targets`)
//! driven by a small seeded mutator over a seed corpus, for a bounded number
//! of iterations and a bounded time per target. Deterministic for a given
//! seed (`SYMFLOW_FUZZ_SEED` overrides it, `SYMFLOW_FUZZ_ITERS` the count);
//! the long, coverage-guided run is `cargo fuzz` (README, "Robustness").
//!
//! A failing input is written to `target/fuzz-smoke/` so that it can be
//! replayed with `cargo fuzz run <target> <file>`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use symflow::fuzz_targets;

type Target = fn(&[u8]);

/// A target, its seed file suffixes and fixture directories, iterations
/// and seconds.
struct Spec(
    &'static str,
    Target,
    &'static [&'static str],
    &'static [&'static str],
    u64,
    u64,
);

/// Panics seen by the hook, including ones the code under test catches.
static PANICS: AtomicUsize = AtomicUsize::new(0);
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

fn install_hook() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            default(info);
            PANICS.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut last) = LAST_PANIC.lock() {
                *last = info.to_string();
            }
        }));
    });
}

/// xorshift64*: small, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that matter to the parsers under test.
const DICTIONARY: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b"\"",
    b"${",
    b"%{",
    b"<<EOT\n",
    b"<<-EOT\n",
    b"\nEOT\n",
    b"\n",
    b"\r\n",
    b"\t",
    b"\0",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\\",
    b"#",
    b"//",
    b"/*",
    b"*/",
    b" = ",
    b",",
    b".",
    b"*",
    b"...",
    b"?",
    b":",
    b"=>",
    b"for x in y : ",
    b"resource \"sym_flow\" \"x\" {",
    b"count = 3",
    b"for_each = {a=1}",
    b"file(\"impl.py\")",
    b"var.",
    b"local.",
    b"module.",
    b"each.key",
    b"count.index",
    b"null",
    b"true",
    b"-1",
    b"1e999",
    b"18446744073709551616",
    b"def ",
    b"lambda: ",
    b"@hook\n",
    b"@reducer\n",
    b"    ",
    b"f\"{",
    b"\"\"\"",
    b"'",
    b"run \"r\" {",
    b"expect {",
    b"mock \"m.f\" {",
    b"\"id\":",
    b"\"slug\":",
    b"\"implementation\":",
    b"\"params\":{",
    b"\"prompt_fields\":[{",
    b"\"<null>\"",
    b"\xf0\x9f\x98\x80",
    b"\xc3\xa9",
];

fn mutate(rng: &mut Rng, input: &[u8], seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = out.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                out.insert(i, rng.next() as u8);
            }
            2 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(16)).min(len);
                out.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                let chunk = out[a..b].to_vec();
                let at = rng.below(len + 1);
                out.splice(at..at, chunk);
            }
            4 | 5 => {
                let token = DICTIONARY[rng.below(DICTIONARY.len())];
                let at = rng.below(len + 1);
                out.splice(at..at, token.iter().copied());
            }
            6 if !seeds.is_empty() => {
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                out.truncate(cut);
                out.extend_from_slice(&other[from..]);
            }
            7 if len > 0 => out.truncate(rng.below(len)),
            _ => {
                // Repeat an opening token: nesting depth.
                let token: &[u8] = [&b"{"[..], b"(", b"[", b"${"][rng.below(4)];
                let at = rng.below(len + 1);
                let times = 1 + rng.below(64);
                let repeated: Vec<u8> = token
                    .iter()
                    .copied()
                    .cycle()
                    .take(token.len() * times)
                    .collect();
                out.splice(at..at, repeated);
            }
        }
    }
    // Bounded input size, like libFuzzer's -max_len.
    out.truncate(64 * 1024);
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files under `dir` (recursively) whose names end in one of `suffixes`.
fn collect(dir: &Path, suffixes: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() && !p.is_symlink() {
            collect(&p, suffixes, out);
        } else if suffixes.iter().any(|s| name.ends_with(s)) {
            out.push(p);
        }
    }
}

/// The committed seeds of a target plus the repository's fixtures of the
/// same kind.
fn seeds(target: &str, suffixes: &[&str], fixture_dirs: &[&str]) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    collect(&root().join("fuzz/seeds").join(target), &[""], &mut files);
    for d in fixture_dirs {
        collect(&root().join(d), suffixes, &mut files);
    }
    let seeds: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter(|b| b.len() <= 64 * 1024)
        .collect();
    assert!(!seeds.is_empty(), "no seeds for {target}");
    seeds
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok()
}

/// Run `target` over every seed, then over `iterations` mutants (or until
/// `budget` runs out). Returns the number of executions.
fn smoke(name: &str, target: Target, seeds: &[Vec<u8>], iterations: u64, budget: Duration) -> u64 {
    install_hook();
    let seed = env_number("SYMFLOW_FUZZ_SEED").unwrap_or(0x5EED_F1A7);
    let iterations = env_number("SYMFLOW_FUZZ_ITERS").unwrap_or(iterations);
    let mut rng = Rng(seed ^ (name.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let started = Instant::now();
    let mut runs = 0;
    let run_one = |input: &[u8], runs: u64| {
        let before = PANICS.load(Ordering::SeqCst);
        let one = Instant::now();
        let outcome = std::panic::catch_unwind(|| target(input));
        let took = one.elapsed();
        let panicked = outcome.is_err() || PANICS.load(Ordering::SeqCst) != before;
        // A single input must never take long (a hang or a blow-up).
        let slow = took > Duration::from_secs(10);
        if panicked || slow {
            let dir = root().join("target/fuzz-smoke");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{name}-{seed:x}-{runs}"));
            let _ = std::fs::write(&file, input);
            let why = if panicked {
                LAST_PANIC.lock().map(|s| s.clone()).unwrap_or_default()
            } else {
                format!("one input took {took:?}")
            };
            panic!(
                "fuzz smoke: {name} failed on input {} ({} bytes): {why}",
                file.display(),
                input.len()
            );
        }
    };
    for s in seeds {
        run_one(s, runs);
        runs += 1;
    }
    let mut current = seeds[0].clone();
    for _ in 0..iterations {
        if started.elapsed() > budget {
            break;
        }
        let base = if rng.below(4) == 0 {
            &current
        } else {
            &seeds[rng.below(seeds.len())]
        };
        let input = mutate(&mut rng, base, seeds);
        run_one(&input, runs);
        runs += 1;
        current = input;
    }
    runs
}

/// One test, the targets in turn: the panic hook is process-wide, so
/// nothing else in this binary may panic while a target runs.
#[test]
fn fuzz_smoke() {
    // The loader and the Python analysis catch their own panics; the hook
    // must still see one, or the smoke run could not find those bugs.
    install_hook();
    let before = PANICS.load(Ordering::SeqCst);
    let caught = std::panic::catch_unwind(|| panic!("deliberate"));
    assert!(caught.is_err());
    assert!(
        PANICS.load(Ordering::SeqCst) > before,
        "the hook saw no panic"
    );

    let targets: [Spec; 5] = [
        Spec(
            "validate_tf_json",
            fuzz_targets::validate_tf_json,
            &[".tf.json"],
            &["tests/fixtures/modules"],
            400,
            4,
        ),
        Spec(
            "validate_tf",
            fuzz_targets::validate_tf,
            &[".tf"],
            &[
                "examples",
                "tests/fixtures/modules",
                "tests/fixtures/validate",
            ],
            400,
            5,
        ),
        Spec(
            "python_analyze",
            fuzz_targets::python_analyze,
            &[".py"],
            &["examples", "tests/fixtures", "src/python/fixtures"],
            1500,
            3,
        ),
        Spec(
            "symtest_parse",
            fuzz_targets::symtest_parse,
            &[".symtest.hcl"],
            &["examples", "tests/fixtures/simulate"],
            3000,
            2,
        ),
        Spec(
            "api_decode",
            fuzz_targets::api_decode,
            &[".json"],
            &[],
            5000,
            2,
        ),
    ];
    for Spec(name, target, suffixes, dirs, iterations, secs) in targets {
        let seeds = seeds(name, suffixes, dirs);
        let runs = smoke(name, target, &seeds, iterations, Duration::from_secs(secs));
        assert!(runs > seeds.len() as u64, "{name}: only {runs} runs");
        #[allow(clippy::print_stderr)] // the run's figures, for `--nocapture`
        {
            eprintln!("fuzz smoke: {name}: {runs} executions, 0 failures");
        }
    }
}
