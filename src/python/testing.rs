//! Test support for the Python rules: a module with flows built by hand
//! (with a generated `main.tf` so that spans point at real text), Python
//! files analysed with [`super::analyze`], and a plain renderer of findings
//! for snapshots.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::lint::{LintContext, Rule};
use crate::module::{
    Attribute, Body, Entity, ImplementationRef, ImplementationRole, ImplementationSource, Mode,
    Module, NestedBlock, UnknownReason, Value,
};
use crate::source::{FileId, SourceFile, SourceMap, Span};

use super::PyAnalysis;

const TF: FileId = FileId(0);

/// One prompt field of a fixture flow.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub name: String,
    pub field_type: String,
    pub prefetch: Option<bool>,
}

/// A `sym_flow` of a fixture.
#[derive(Debug, Clone)]
pub struct FlowSpec {
    pub name: String,
    pub file: FileId,
    pub fields: Vec<FieldSpec>,
    /// `None`: no `vars` attribute.
    pub vars: Option<Vec<String>>,
    pub vars_unknown: bool,
    pub fields_unknown: bool,
    pub strategy: bool,
}

impl FlowSpec {
    pub fn field(&mut self, name: &str, field_type: &str) -> &mut Self {
        self.fields.push(FieldSpec {
            name: name.to_owned(),
            field_type: field_type.to_owned(),
            prefetch: None,
        });
        self
    }

    pub fn prefetch_field(&mut self, name: &str, prefetch: bool) -> &mut Self {
        self.fields.push(FieldSpec {
            name: name.to_owned(),
            field_type: "string".to_owned(),
            prefetch: Some(prefetch),
        });
        self
    }

    pub fn vars(&mut self, keys: &[&str]) -> &mut Self {
        self.vars = Some(keys.iter().map(|k| (*k).to_owned()).collect());
        self
    }

    pub fn vars_unknown(&mut self) -> &mut Self {
        self.vars_unknown = true;
        self
    }

    pub fn fields_unknown(&mut self) -> &mut Self {
        self.fields_unknown = true;
        self
    }

    pub fn strategy(&mut self) -> &mut Self {
        self.strategy = true;
        self
    }
}

/// A module under construction.
#[derive(Debug, Default)]
pub struct Fixture {
    py: Vec<(String, String)>,
    flows: Vec<FlowSpec>,
    others: Vec<(String, FileId, ImplementationRole)>,
}

impl Fixture {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a Python file; ids start at 1 (`main.tf` is 0).
    pub fn py(&mut self, path: &str, text: &str) -> FileId {
        self.py.push((path.to_owned(), text.to_owned()));
        FileId(u32::try_from(self.py.len()).expect("few files"))
    }

    /// A flow using `file` as its implementation, with a `reason` field.
    pub fn flow(&mut self, name: &str, file: FileId) -> &mut FlowSpec {
        self.flows.push(FlowSpec {
            name: name.to_owned(),
            file,
            fields: vec![FieldSpec {
                name: "reason".to_owned(),
                field_type: "string".to_owned(),
                prefetch: None,
            }],
            vars: None,
            vars_unknown: false,
            fields_unknown: false,
            strategy: false,
        });
        self.flows.last_mut().expect("just pushed")
    }

    /// `file` used in another role (`on_change`, strategy, flows filter).
    pub fn other(&mut self, owner: &str, file: FileId, role: ImplementationRole) {
        self.others.push((owner.to_owned(), file, role));
    }

    /// Build the module and run one rule; the findings rendered as text.
    pub fn run(&self, rule: &dyn Rule) -> String {
        let (sources, module, python) = self.build();
        let ctx = LintContext::new(&module, &sources, &python);
        let mut out = Vec::new();
        rule.check(&ctx, &mut out);
        for d in &out {
            assert_eq!(
                d.code,
                rule.info().code,
                "a rule reports under its own code"
            );
            assert!(
                !d.message.starts_with(|c: char| c.is_uppercase()) && !d.message.ends_with('.'),
                "messages start lowercase and have no trailing period: {}",
                d.message
            );
            if let Some(h) = &d.help {
                assert!(!h.ends_with('.'), "help without trailing period: {h}");
            }
        }
        render(&sources, &out)
    }

    pub fn build(&self) -> (SourceMap, Module, BTreeMap<FileId, PyAnalysis>) {
        let mut tf = String::new();
        let mut entities = Vec::new();
        let mut implementations = Vec::new();
        for flow in &self.flows {
            let (entity, imp) = self.emit_flow(&mut tf, flow);
            entities.push(entity);
            implementations.push(imp);
        }
        for (owner, file, role) in &self.others {
            let start = tf.len();
            let path = &self.py[file.0 as usize - 1].0;
            let _ = writeln!(tf, "# {owner} uses {path}");
            implementations.push(ImplementationRef {
                owner: owner.clone(),
                attribute: "implementation".to_owned(),
                role: *role,
                span: Span::new(TF, start..tf.len() - 1),
                source: file_source(path, *file),
            });
        }
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new("main.tf".into(), "main.tf".into(), tf));
        let mut python = BTreeMap::new();
        for (path, text) in &self.py {
            let id = sources.add(SourceFile::new(path.into(), path.into(), text.clone()));
            python.insert(id, super::analyze(text));
        }
        let module = Module {
            dir: PathBuf::from("."),
            files: vec![TF],
            entities,
            implementations,
            ..Module::default()
        };
        (sources, module, python)
    }

    fn emit_flow(&self, tf: &mut String, flow: &FlowSpec) -> (Entity, ImplementationRef) {
        let path = &self.py[flow.file.0 as usize - 1].0;
        let start = tf.len();
        let _ = writeln!(tf, "resource \"sym_flow\" \"{}\" {{", flow.name);
        let name_attr = attr_line(
            tf,
            "  ",
            "name",
            &format!("\"{}\"", flow.name),
            str_value(&flow.name),
        );
        let impl_attr = attr_line(
            tf,
            "  ",
            "implementation",
            &format!("file(\"${{path.module}}/{path}\")"),
            Value::String(String::new()),
        );
        let mut attributes = vec![name_attr, impl_attr.clone()];
        if flow.vars_unknown {
            attributes.push(attr_line(
                tf,
                "  ",
                "vars",
                "var.flow_vars",
                Value::unknown(
                    UnknownReason::Variable {
                        name: "flow_vars".to_owned(),
                    },
                    None,
                ),
            ));
        } else if let Some(vars) = &flow.vars {
            let vstart = tf.len();
            tf.push_str("  vars = {\n");
            let mut map = BTreeMap::new();
            for k in vars {
                let _ = writeln!(tf, "    {k} = \"x\"");
                map.insert(k.clone(), str_value("x"));
            }
            tf.push_str("  }\n");
            attributes.push(Attribute {
                name: "vars".to_owned(),
                span: Span::new(TF, vstart + 2..tf.len() - 1),
                name_span: Span::new(TF, vstart + 2..vstart + 6),
                expr_span: Span::new(TF, vstart + 9..tf.len() - 1),
                value: Value::Object(map),
            });
        }
        let pstart = tf.len();
        tf.push_str("  params {\n");
        let mut pattrs = Vec::new();
        if flow.strategy {
            pattrs.push(attr_line(
                tf,
                "    ",
                "strategy_id",
                "sym_strategy.s.id",
                Value::unknown(
                    UnknownReason::SymAttribute {
                        address: "sym_strategy.s".to_owned(),
                        attribute: "id".to_owned(),
                    },
                    None,
                ),
            ));
        }
        let mut blocks = Vec::new();
        for field in &flow.fields {
            let fstart = tf.len();
            tf.push_str("    prompt_field {\n");
            let mut fattrs = vec![
                attr_line(
                    tf,
                    "      ",
                    "name",
                    &format!("\"{}\"", field.name),
                    str_value(&field.name),
                ),
                attr_line(
                    tf,
                    "      ",
                    "type",
                    &format!("\"{}\"", field.field_type),
                    str_value(&field.field_type),
                ),
            ];
            if let Some(p) = field.prefetch {
                fattrs.push(attr_line(
                    tf,
                    "      ",
                    "prefetch",
                    &p.to_string(),
                    Value::Bool(p),
                ));
            }
            tf.push_str("    }\n");
            blocks.push(NestedBlock {
                kind: "prompt_field".to_owned(),
                labels: Vec::new(),
                span: Span::new(TF, fstart + 4..tf.len() - 1),
                kind_span: Span::new(TF, fstart + 4..fstart + 16),
                body: Body {
                    attributes: fattrs,
                    blocks: Vec::new(),
                },
                dynamic: false,
                dynamic_unknown: false,
            });
        }
        if flow.fields_unknown {
            let fstart = tf.len();
            tf.push_str("    dynamic \"prompt_field\" {\n      for_each = var.fields\n    }\n");
            blocks.push(NestedBlock {
                kind: "prompt_field".to_owned(),
                labels: Vec::new(),
                span: Span::new(TF, fstart + 4..tf.len() - 1),
                kind_span: Span::new(TF, fstart + 12..fstart + 26),
                body: Body::default(),
                dynamic: true,
                dynamic_unknown: true,
            });
        }
        tf.push_str("  }\n");
        let params = NestedBlock {
            kind: "params".to_owned(),
            labels: Vec::new(),
            span: Span::new(TF, pstart + 2..tf.len() - 1),
            kind_span: Span::new(TF, pstart + 2..pstart + 8),
            body: Body {
                attributes: pattrs,
                blocks,
            },
            dynamic: false,
            dynamic_unknown: false,
        };
        tf.push_str("}\n\n");
        let address = format!("sym_flow.{}", flow.name);
        let entity = Entity {
            mode: Mode::Managed,
            rtype: "sym_flow".to_owned(),
            name: flow.name.clone(),
            key: None,
            address: address.clone(),
            block_address: address.clone(),
            module_path: Vec::new(),
            span: Span::new(TF, start..tf.len() - 2),
            name_span: Span::new(TF, start + 20..start + 22 + flow.name.len()),
            body: Body {
                attributes,
                blocks: vec![params],
            }
            .into(),
            depends_on: Vec::new(),
            provider: None,
        };
        let imp = ImplementationRef {
            owner: address,
            attribute: "implementation".to_owned(),
            role: ImplementationRole::Flow,
            span: impl_attr.span,
            source: file_source(path, flow.file),
        };
        (entity, imp)
    }
}

fn str_value(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn file_source(path: &str, file: FileId) -> ImplementationSource {
    ImplementationSource::File {
        path: PathBuf::from(path),
        resolved: PathBuf::from(path),
        exists: true,
        file: Some(file),
    }
}

/// Append `<indent>name = expr` and return the attribute.
fn attr_line(tf: &mut String, indent: &str, name: &str, expr: &str, value: Value) -> Attribute {
    let start = tf.len() + indent.len();
    let _ = writeln!(tf, "{indent}{name} = {expr}");
    let end = tf.len() - 1;
    Attribute {
        name: name.to_owned(),
        span: Span::new(TF, start..end),
        name_span: Span::new(TF, start..start + name.len()),
        expr_span: Span::new(TF, end - expr.len()..end),
        value,
    }
}

/// Findings as `file:line:col: severity[code] message`, the source line
/// with the span underlined, help and labels.
pub fn render(sources: &SourceMap, diags: &[Diagnostic]) -> String {
    let mut diags = diags.to_vec();
    diags.sort_by_key(|d| d.span.map(|s| (s.file, s.start, s.end)));
    let mut out = String::new();
    for d in &diags {
        let Some(span) = d.span else {
            let _ = writeln!(out, "{}[{}] {}", d.severity, d.code, d.message);
            continue;
        };
        let file = sources.get(span.file);
        let lc = file.line_col(span.start);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{} {}] {}",
            file.display.display(),
            lc.line,
            lc.column,
            d.severity,
            d.code,
            d.rule,
            d.message
        );
        let line = file.line_text(lc.line);
        let end_lc = file.line_col(span.end);
        let width = if end_lc.line == lc.line {
            (end_lc.column - lc.column).max(1)
        } else {
            line.chars().count().saturating_sub(lc.column - 1).max(1)
        };
        let shown = crate::report::clip_line(line, lc.column - 1, width);
        let _ = writeln!(out, "  | {}", shown.text);
        let _ = writeln!(
            out,
            "  | {}{}",
            " ".repeat(shown.pad),
            "^".repeat(shown.width)
        );
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        for label in &d.labels {
            let lf = sources.get(label.span.file);
            let llc = lf.line_col(label.span.start);
            let _ = writeln!(
                out,
                "  = note: {} ({}:{}:{})",
                label.message,
                lf.display.display(),
                llc.line,
                llc.column
            );
        }
    }
    out
}
