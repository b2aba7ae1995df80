//! impl.py analysis: parse Python source and extract the facts lint rules
//! and the test runner need (handlers, decorators, imports, names, field and
//! var reads). Filled in by the impl.py-analysis work (issue 5).

/// Facts about one Python file.
#[derive(Debug, Clone, Default)]
pub struct PyAnalysis {
    /// Placeholder until the analysis lands.
    pub source_len: usize,
}
