//! All-or-nothing writing of a rendered module: paths are checked before
//! anything is touched, every file is written atomically (a temporary file in
//! the same directory, then a rename), and when one write fails every file
//! this run created is removed and every file it replaced is restored.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use super::PlannedFile;

/// Writes one file. The real one is [`AtomicWriter`]; tests wrap it to
/// simulate a failure part-way through (see [`FailAfter`]).
pub trait Writer {
    /// Replace `path` with `contents` in one step.
    ///
    /// # Errors
    /// Any I/O error; the target is then left as it was.
    fn write(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<()>;
}

/// Temporary file in the target's directory, flushed to disk, then renamed
/// over the target. Keeps the permissions of a file it replaces.
#[derive(Debug, Default, Clone, Copy)]
pub struct AtomicWriter;

impl Writer for AtomicWriter {
    fn write(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        atomic_write(path, contents)
    }
}

fn atomic_write(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".symflow-").suffix(".tmp");
    // New files get the usual mode (0666 less the umask), not the private
    // 0600 of a temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A test seam: lets `ok` writes through, then fails every later one.
#[derive(Debug)]
pub struct FailAfter<W> {
    pub inner: W,
    pub ok: usize,
}

impl<W: Writer> Writer for FailAfter<W> {
    fn write(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        if self.ok == 0 {
            return Err(std::io::Error::other("simulated write failure"));
        }
        self.ok -= 1;
        self.inner.write(path, contents)
    }
}

/// Why nothing (or nothing lasting) was written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("`{path}` is not a relative path inside the module directory")]
    Escapes { path: String },
    #[error("{}", exists_message(.paths))]
    Exists { paths: Vec<String> },
    #[error("{} is a directory, not a file", .path)]
    IsDir { path: String },
    #[error("{} is reached through a symbolic link", .path)]
    Symlink { path: String },
    #[error("could not write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn exists_message(paths: &[String]) -> String {
    match paths {
        [one] => format!("{one} already exists"),
        _ => format!("{} already exist", paths.join(", ")),
    }
}

/// What a successful run did, in the order of the plan.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub created: Vec<String>,
    pub replaced: Vec<String>,
}

/// Reject anything but plain relative paths (no root, no `..`, no `.`).
///
/// # Errors
/// The offending path.
pub fn check_relative(path: &str) -> Result<(), WriteError> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && !path.contains('\\');
    if ok {
        Ok(())
    } else {
        Err(WriteError::Escapes {
            path: path.to_owned(),
        })
    }
}

/// Write `files` under `dir` (created if missing). Without `force`, any file
/// that exists already stops the run before anything is written.
///
/// # Errors
/// A path that escapes `dir`, existing files without `force`, or an I/O
/// error (after which the directory is as it was).
pub fn apply(
    dir: &Path,
    files: &[PlannedFile],
    force: bool,
    writer: &mut dyn Writer,
) -> Result<Outcome, WriteError> {
    // 1. Check every path before touching anything.
    let mut existing = Vec::new();
    for file in files {
        check_relative(&file.path)?;
        let mut cur = dir.to_path_buf();
        let parts: Vec<_> = Path::new(&file.path).components().collect();
        for (i, part) in parts.iter().enumerate() {
            cur.push(part);
            let Ok(meta) = std::fs::symlink_metadata(&cur) else {
                break;
            };
            let last = i + 1 == parts.len();
            if meta.file_type().is_symlink() && !last {
                return Err(WriteError::Symlink {
                    path: file.path.clone(),
                });
            }
            if last {
                if meta.is_dir() {
                    return Err(WriteError::IsDir {
                        path: file.path.clone(),
                    });
                }
                existing.push(file.path.clone());
            } else if !meta.is_dir() {
                return Err(WriteError::IsDir {
                    path: file.path.clone(),
                });
            }
        }
    }
    if !existing.is_empty() && !force {
        return Err(WriteError::Exists { paths: existing });
    }

    // 2. Keep what will be replaced, so a failure can put it back.
    let mut backups = Vec::new();
    for rel in &existing {
        let path = dir.join(rel);
        let old = std::fs::read(&path).map_err(|source| WriteError::Io {
            path: path.clone(),
            source,
        })?;
        backups.push((rel.clone(), old));
    }

    // 3. Write, remembering every step for the rollback.
    let mut tx = Transaction::default();
    let result = write_all(dir, files, &existing, writer, &mut tx);
    match result {
        Ok(outcome) => Ok(outcome),
        Err(err) => {
            tx.rollback(dir, &backups);
            Err(err)
        }
    }
}

#[derive(Default)]
struct Transaction {
    created_dirs: Vec<PathBuf>,
    written: Vec<String>,
}

fn write_all(
    dir: &Path,
    files: &[PlannedFile],
    existing: &[String],
    writer: &mut dyn Writer,
    tx: &mut Transaction,
) -> Result<Outcome, WriteError> {
    let mut outcome = Outcome::default();
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            create_dirs(parent, tx)?;
        }
        writer
            .write(&path, file.contents.as_bytes())
            .map_err(|source| WriteError::Io {
                path: PathBuf::from(&file.path),
                source,
            })?;
        tx.written.push(file.path.clone());
        if existing.contains(&file.path) {
            outcome.replaced.push(file.path.clone());
        } else {
            outcome.created.push(file.path.clone());
        }
    }
    Ok(outcome)
}

fn create_dirs(dir: &Path, tx: &mut Transaction) -> Result<(), WriteError> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    for d in missing.into_iter().rev() {
        std::fs::create_dir(&d).map_err(|source| WriteError::Io {
            path: d.clone(),
            source,
        })?;
        tx.created_dirs.push(d);
    }
    Ok(())
}

impl Transaction {
    /// Undo, newest first. Best effort: a rollback that fails cannot be
    /// reported better than the error that caused it.
    fn rollback(&self, dir: &Path, backups: &[(String, Vec<u8>)]) {
        for rel in self.written.iter().rev() {
            let path = dir.join(rel);
            match backups.iter().find(|(r, _)| r == rel) {
                Some((_, old)) => {
                    let _ = atomic_write(&path, old);
                }
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        for d in self.created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(files: &[(&str, &str)]) -> Vec<PlannedFile> {
        files
            .iter()
            .map(|(p, c)| PlannedFile {
                path: (*p).to_owned(),
                contents: (*c).to_owned(),
            })
            .collect()
    }

    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read dir") {
                let p = e.expect("entry").path();
                let rel = p
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                if p.is_dir() {
                    out.push((rel + "/", Vec::new()));
                    stack.push(p);
                } else {
                    out.push((rel, std::fs::read(&p).expect("read")));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn writes_new_files_and_directories() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("new/module");
        let out = apply(
            &dir,
            &plan(&[("main.tf", "a\n"), ("tests/x.symtest.hcl", "b\n")]),
            false,
            &mut AtomicWriter,
        )
        .expect("writes");
        assert_eq!(out.created, vec!["main.tf", "tests/x.symtest.hcl"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("tests/x.symtest.hcl")).expect("read"),
            "b\n"
        );
    }

    #[test]
    fn existing_files_stop_the_run_without_force() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("main.tf"), "mine\n").expect("write");
        let before = snapshot(tmp.path());
        let err = apply(
            tmp.path(),
            &plan(&[("impl.py", "x\n"), ("main.tf", "theirs\n")]),
            false,
            &mut AtomicWriter,
        )
        .expect_err("refuses");
        assert!(matches!(err, WriteError::Exists { ref paths } if paths == &["main.tf"]));
        assert_eq!(err.to_string(), "main.tf already exists");
        assert_eq!(snapshot(tmp.path()), before);
    }

    #[test]
    fn force_replaces_and_reports() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("main.tf"), "mine\n").expect("write");
        let out = apply(
            tmp.path(),
            &plan(&[("impl.py", "x\n"), ("main.tf", "theirs\n")]),
            true,
            &mut AtomicWriter,
        )
        .expect("writes");
        assert_eq!(out.replaced, vec!["main.tf"]);
        assert_eq!(out.created, vec!["impl.py"]);
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("main.tf")).expect("read"),
            "theirs\n"
        );
    }

    #[test]
    fn a_failed_write_restores_everything() {
        for ok in 0..4 {
            let tmp = tempfile::tempdir().expect("tempdir");
            std::fs::write(tmp.path().join("main.tf"), "mine\n").expect("write");
            std::fs::write(tmp.path().join("impl.py"), "old impl\n").expect("write");
            let before = snapshot(tmp.path());
            let mut writer = FailAfter {
                inner: AtomicWriter,
                ok,
            };
            let err = apply(
                tmp.path(),
                &plan(&[
                    ("main.tf", "new\n"),
                    ("tests/a/b.symtest.hcl", "t\n"),
                    ("impl.py", "new impl\n"),
                    ("README.md", "r\n"),
                ]),
                true,
                &mut writer,
            )
            .expect_err("fails part-way");
            assert!(err.to_string().contains("simulated"), "{err}");
            assert_eq!(snapshot(tmp.path()), before, "after {ok} good writes");
        }
    }

    #[test]
    fn paths_that_escape_are_refused() {
        for bad in ["../x.tf", "/etc/passwd", "a/../../b", "./a", "", "a\\..\\b"] {
            assert!(check_relative(bad).is_err(), "{bad}");
        }
        assert!(check_relative("tests/a.symtest.hcl").is_ok());
        let tmp = tempfile::tempdir().expect("tempdir");
        assert!(matches!(
            apply(tmp.path(), &plan(&[("../x", "")]), true, &mut AtomicWriter),
            Err(WriteError::Escapes { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_directories_are_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(outside.path(), tmp.path().join("tests")).expect("symlink");
        let err = apply(
            tmp.path(),
            &plan(&[("tests/a.symtest.hcl", "x")]),
            true,
            &mut AtomicWriter,
        )
        .expect_err("refuses");
        assert!(matches!(err, WriteError::Symlink { .. }));
        assert!(std::fs::read_dir(outside.path())
            .expect("read")
            .next()
            .is_none());
    }
}
