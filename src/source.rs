//! Source files, byte spans and line/column lookup.
//!
//! Every file symflow reads for a run (`.tf`, `.tfvars`, `impl.py`,
//! `.symtest.hcl`) is registered once in a [`SourceMap`]; everything else
//! refers to it by [`FileId`] and byte [`Span`]. Line and column numbers are
//! computed only when a diagnostic is rendered.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a file inside a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range inside one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    #[must_use]
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            start: range.start,
            end: range.end.max(range.start),
        }
    }

    #[must_use]
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A 1-based line and column (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// A file's text as it is registered: without a leading byte order mark
/// (copied only when there is one).
#[must_use]
pub fn without_bom(text: std::sync::Arc<String>) -> std::sync::Arc<String> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => std::sync::Arc::new(rest.to_owned()),
        None => text,
    }
}

/// One file's text plus a line index (built on first use: most files of a
/// run never need one).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user should see it (relative to where they pointed us).
    pub display: PathBuf,
    /// The path used to read the file.
    pub path: PathBuf,
    /// Text with a leading BOM removed. CRLF is kept: spans index this text.
    /// Shared, so that a file read once can be analysed on another thread
    /// without a copy.
    pub text: std::sync::Arc<String>,
    line_index: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    #[must_use]
    pub fn new(path: PathBuf, display: PathBuf, text: String) -> Self {
        SourceFile::shared(path, display, std::sync::Arc::new(text))
    }

    /// [`SourceFile::new`] with text that may also be held elsewhere (it is
    /// copied only to drop a leading BOM).
    #[must_use]
    pub fn shared(path: PathBuf, display: PathBuf, text: std::sync::Arc<String>) -> Self {
        SourceFile {
            display,
            path,
            text: without_bom(text),
            line_index: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_index.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(
                self.text
                    .bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            starts
        })
    }

    /// Line and column (1-based) of a byte offset; offsets past the end clamp.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts()[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[start..end].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The text of a 1-based line, without its line terminator.
    #[must_use]
    pub fn line_text(&self, line: usize) -> &str {
        if line == 0 || line > self.line_starts().len() {
            return "";
        }
        let start = self.line_starts()[line - 1];
        let end = self
            .line_starts()
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Byte offset where a 1-based line starts.
    #[must_use]
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Byte offset of a 1-based line/column (columns in characters).
    #[must_use]
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let start = self.line_start(line);
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }
}

/// All files of one run.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Make room for `n` more files (a module registers thousands at once).
    pub fn reserve(&mut self, n: usize) {
        self.files.reserve(n);
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(file);
        id
    }

    #[must_use]
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    #[must_use]
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .and_then(|i| u32::try_from(i).ok())
            .map(FileId)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("a.tf".into(), "a.tf".into(), text.to_owned())
    }

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let f = file("ab\ncé d\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // "cé " is 4 bytes, 3 chars: 'd' is column 4
        assert_eq!(f.line_col(7), LineCol { line: 2, column: 4 });
        assert_eq!(f.line_text(2), "cé d");
        assert_eq!(f.offset_of(2, 4), 7);
    }

    #[test]
    fn bom_is_stripped_and_crlf_kept_out_of_line_text() {
        let f = file("\u{feff}x = 1\r\ny = 2\r\n");
        assert!(f.text.starts_with('x'));
        assert_eq!(f.line_text(1), "x = 1");
        assert_eq!(f.line_col(7), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn offsets_past_end_clamp() {
        let f = file("abc");
        assert_eq!(f.line_col(99), LineCol { line: 1, column: 4 });
        assert_eq!(f.line_text(9), "");
    }
}
