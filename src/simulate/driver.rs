//! Runs the embedded Python runner: one interpreter per `symflow test`,
//! JSON lines over pipes, one forked child per test on the Python side.
//!
//! The runner leads a process group of its own; once its results are in
//! (or it stops), the whole group is killed, so a process the flow left
//! running (`subprocess.Popen`, `os.fork()`) neither keeps `symflow test`
//! waiting on a pipe nor outlives it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value as Json};

use super::embed;

/// An implementation file sent once and referred to by `key`.
#[derive(Debug, Clone)]
pub struct ImplFile {
    pub key: String,
    /// The name tracebacks show (e.g. `impl.py`).
    pub filename: String,
    pub source: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error("python interpreter `{0}` was not found")]
    NotFound(PathBuf),
    #[error("could not start `{python}`: {source}")]
    Spawn {
        python: PathBuf,
        source: std::io::Error,
    },
    #[error("`{python}` is Python {version}; symflow test needs Python 3.8 or newer")]
    TooOld { python: PathBuf, version: String },
    #[error("the Python test runner stopped unexpectedly{detail}")]
    Died { detail: String },
    #[error("could not unpack the sym.sdk stand-in: {0}")]
    Unpack(std::io::Error),
}

/// Where the stand-in lives for this run: a per-user cache directory named
/// after the embedded sources (so Python's bytecode cache survives between
/// runs), else a fresh temp dir.
enum SdkDir {
    Cached(PathBuf),
    Temp(tempfile::TempDir),
}

impl SdkDir {
    fn path(&self) -> &Path {
        match self {
            SdkDir::Cached(p) => p,
            SdkDir::Temp(t) => t.path(),
        }
    }
}

/// A stable fingerprint of the embedded sources (FNV-1a, 64 bits).
fn fingerprint() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, text) in embed::FILES {
        for b in rel.bytes().chain([0u8]).chain(text.bytes()).chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn write_tree(root: &Path) -> std::io::Result<()> {
    for (rel, text) in embed::FILES {
        let path = root.join(rel);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // Write beside, then rename: a concurrent run never sees half a file.
        let tmp = path.with_extension(format!("py.{}.tmp", std::process::id()));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &path)?;
    }
    Ok(())
}

fn unpack() -> Result<SdkDir, DriverError> {
    let cache_root = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        });
    if let Some(root) = cache_root {
        let dir = root.join("symflow").join(format!("sdk-{}", fingerprint()));
        if write_tree(&dir).is_ok() {
            return Ok(SdkDir::Cached(dir));
        }
    }
    let dir = tempfile::Builder::new()
        .prefix("symflow-sdk")
        .tempdir()
        .map_err(DriverError::Unpack)?;
    write_tree(dir.path()).map_err(DriverError::Unpack)?;
    Ok(SdkDir::Temp(dir))
}

/// How long to wait for the rest of the runner's stderr once its group is
/// killed.
const STDERR_GRACE: Duration = Duration::from_secs(1);

/// Kill the runner and everything left in its process group (what the flow
/// started and did not wait for). The runner must not be reaped yet.
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        if let Some(pid) = i32::try_from(child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            if rustix::process::kill_process_group(pid, rustix::process::Signal::KILL).is_ok() {
                return;
            }
        }
    }
    let _ = child.kill();
}

/// Run `tests` (JSON objects with `id`, `impl`, `timeout`, ...) and return
/// one result per test, in order.
///
/// # Errors
/// When the interpreter is missing, too old, or the runner dies.
pub fn run(
    python: &Path,
    cwd: &Path,
    impls: &[ImplFile],
    tests: &[Json],
) -> Result<Vec<Json>, DriverError> {
    let dir = unpack()?;
    let mut command = Command::new(python);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command
        .arg(dir.path().join(embed::RUNNER))
        .current_dir(cwd)
        .env_remove("PYTHONDONTWRITEBYTECODE")
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                DriverError::NotFound(python.to_path_buf())
            } else {
                DriverError::Spawn {
                    python: python.to_path_buf(),
                    source,
                }
            }
        })?;
    let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        return Err(DriverError::Died {
            detail: String::new(),
        });
    };
    // Flow code may print to stderr; drain it so a full pipe never blocks a test.
    // The text comes back over a channel: a process that escaped the group
    // may hold the pipe open for ever, and symflow does not wait for it.
    let (err_tx, err_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            match stderr.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    if buf.len() > 64 * 1024 {
                        buf.drain(..buf.len() - 64 * 1024);
                    }
                }
            }
        }
        let _ = err_tx.send(String::from_utf8_lossy(&buf).into_owned());
    });
    let mut lines = Vec::with_capacity(impls.len() + tests.len());
    for i in impls {
        lines.push(
            json!({"type": "impl", "key": i.key, "filename": i.filename, "source": i.source})
                .to_string(),
        );
    }
    for t in tests {
        lines.push(t.to_string());
    }
    let writer = std::thread::spawn(move || {
        for line in lines {
            if stdin.write_all(line.as_bytes()).is_err() || stdin.write_all(b"\n").is_err() {
                return;
            }
        }
        let _ = stdin.flush();
    });
    let mut reader = BufReader::new(stdout);
    let mut results = Vec::with_capacity(tests.len());
    let mut line = String::new();
    let mut hello = None;
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let Ok(value) = serde_json::from_str::<Json>(line.trim()) else {
            continue;
        };
        if hello.is_none() {
            hello = Some(value);
            continue;
        }
        results.push(value);
        if results.len() == tests.len() {
            break;
        }
    }
    drop(reader);
    // Before reaping the runner: its group ID stays reserved until then.
    kill_group(&mut child);
    let _ = child.wait();
    let _ = writer.join();
    let stderr_text = err_rx.recv_timeout(STDERR_GRACE).unwrap_or_default();
    if let Some(h) = &hello {
        if h.get("ready") == Some(&Json::Bool(false)) {
            return Err(DriverError::TooOld {
                python: python.to_path_buf(),
                version: h
                    .get("python")
                    .and_then(Json::as_str)
                    .unwrap_or("?")
                    .to_owned(),
            });
        }
    }
    if hello.is_none() || results.len() < tests.len() {
        let tail: Vec<&str> = stderr_text.lines().rev().take(12).collect();
        let detail = if tail.is_empty() {
            String::new()
        } else {
            format!(
                ":\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            )
        };
        return Err(DriverError::Died { detail });
    }
    Ok(results)
}
