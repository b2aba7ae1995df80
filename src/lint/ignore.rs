//! `# symflow:ignore RULE[, RULE...]` comments.
//!
//! A comment silences the named rules (code or kebab name) on its own line
//! and on the line below it. It may follow code on the line (`attr = 1 #
//! symflow:ignore SF101`) or stand alone above it. HCL accepts `#` and `//`
//! comments, Python `#`. Words after the list (separated by whitespace, not
//! a comma) are a free-text reason.

use crate::source::{FileId, SourceFile, Span};

const MARKER: &str = "symflow:ignore";

/// One rule named in an ignore comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreEntry {
    /// 1-based line of the comment.
    pub line: usize,
    /// The rule as written (code or name).
    pub key: String,
    /// Where the rule is written, for "unknown rule" findings.
    pub span: Span,
}

/// Every ignore entry of a file, in order.
#[must_use]
pub fn parse(file_id: FileId, file: &SourceFile) -> Vec<IgnoreEntry> {
    let text = &file.text;
    let mut out = Vec::new();
    if !text.contains(MARKER) {
        return out;
    }
    let python = file.path.extension().is_some_and(|e| e == "py");
    let mut line_start = 0;
    for (idx, line) in text.split_inclusive('\n').enumerate() {
        let this_start = line_start;
        line_start += line.len();
        let Some(pos) = line.find(MARKER) else {
            continue;
        };
        let before = &line[..pos];
        let is_comment = before.contains('#') || (!python && before.contains("//"));
        if !is_comment {
            continue;
        }
        let rest_start = pos + MARKER.len();
        let rest = &line[rest_start..];
        // `symflow:ignore` must be followed by whitespace (or `:` / `=`).
        let Some(first) = rest.chars().next() else {
            continue;
        };
        if !(first == ' ' || first == '\t' || first == ':' || first == '=') {
            continue;
        }
        let base = this_start + rest_start + 1;
        scan_keys(&rest[1..], base, idx + 1, file_id, &mut out);
    }
    out
}

fn scan_keys(list: &str, base: usize, line: usize, file: FileId, out: &mut Vec<IgnoreEntry>) {
    let bytes = list.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-' || bytes[i] == b'_')
        {
            i += 1;
        }
        if i == start {
            return;
        }
        out.push(IgnoreEntry {
            line,
            key: list[start..i].to_owned(),
            span: Span::new(file, base + start..base + i),
        });
        // A comma continues the list; anything else ends it.
        let mut j = i;
        while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b',' {
            i = j + 1;
        } else {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(path: &str, text: &str) -> Vec<(usize, String)> {
        let f = SourceFile::new(path.into(), path.into(), text.to_owned());
        parse(FileId(0), &f)
            .into_iter()
            .map(|e| (e.line, e.key))
            .collect()
    }

    #[test]
    fn parses_lists_and_reasons() {
        let text = "a = 1\n# symflow:ignore SF101, unknown-type legacy stuff\nb = 2 // symflow:ignore SF999\n";
        assert_eq!(
            keys("main.tf", text),
            vec![
                (2, "SF101".to_owned()),
                (2, "unknown-type".to_owned()),
                (3, "SF999".to_owned())
            ]
        );
    }

    #[test]
    fn needs_a_comment_marker() {
        assert!(keys("main.tf", "x = \"symflow:ignore SF101\"\n").is_empty());
        // `//` is not a Python comment
        assert!(keys("impl.py", "x = 1 // symflow:ignore SF101\n").is_empty());
        assert_eq!(keys("impl.py", "x = 1  # symflow:ignore SF301\n").len(), 1);
        assert!(keys("main.tf", "# symflow:ignoreSF101\n").is_empty());
    }

    #[test]
    fn spans_point_at_the_key() {
        let text = "# symflow:ignore SF101\n";
        let f = SourceFile::new("a.tf".into(), "a.tf".into(), text.to_owned());
        let e = &parse(FileId(0), &f)[0];
        assert_eq!(&text[e.span.range()], "SF101");
    }
}
