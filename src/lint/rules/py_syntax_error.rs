//! ## What it does
//! Checks that every Python file a module uses (flow implementations,
//! flows filters, `on_change` code, custom strategies) parses as Python.
//!
//! ## Why is this bad?
//! Sym loads the implementation when a request arrives; a file that does
//! not parse fails every request of the flow, and the error only shows up
//! in Slack. The parser accepts current Python (3.12 syntax), so this is a
//! real syntax error, not a version quirk.
//!
//! ## Example
//! ```python
//! @hook
//! def on_request(event)
//!     return None
//! ```
//!
//! ## Use instead
//! ```python
//! @hook
//! def on_request(event):
//!     return None
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::source::Span;

pub struct PySyntaxError;

pub static RULE: PySyntaxError = PySyntaxError;

static INFO: RuleInfo = RuleInfo {
    code: "SF301",
    name: "python-syntax-error",
    category: Category::Syntax,
    default_severity: Severity::Error,
    doc: include_str!("py_syntax_error.rs"),
};

impl Rule for PySyntaxError {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (file, analysis) in ctx.python {
            let mut last_start = None;
            for e in &analysis.syntax_errors {
                // The parser's recovery can report twice at one offset.
                if last_start == Some(e.range.start) {
                    continue;
                }
                last_start = Some(e.range.start);
                out.push(INFO.diag(
                    format!("python syntax error: {}", e.message),
                    Span::new(*file, e.range.clone()),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::python::testing::Fixture;

    #[test]
    fn reports_the_line_of_the_error() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", "@hook\ndef on_request(event)\n    return None\n");
        fx.flow("approval", f);
        insta::assert_snapshot!(fx.run(&super::RULE));
    }

    #[test]
    fn valid_python_passes() {
        let mut fx = Fixture::new();
        let f = fx.py("impl.py", "def on_request(event):\n    return None\n");
        fx.flow("approval", f);
        assert_eq!(fx.run(&super::RULE), "");
    }
}
