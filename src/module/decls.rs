//! The declarations of one module, indexed by name: what references resolve
//! against. Built from the parsed files; borrows their syntax trees.

use rustc_hash::FxHashMap as HashMap;

use crate::hcl::expr::Expression;
use crate::hcl::structure::{Attribute, Block, Structure};
use crate::hcl::Span as _;

use super::files::ParsedFile;
use super::model::{Duplicate, Mode};
use crate::source::{FileId, Span};

pub(crate) fn span_of(file: FileId, r: Option<std::ops::Range<usize>>) -> Span {
    match r {
        Some(r) => Span::new(file, r),
        None => Span::new(file, 0..0),
    }
}

/// `sym_flow.x` or `data.sym_runtime.y`: a block's address within its
/// module.
pub(crate) fn local_address(mode: Mode, rtype: &str, name: &str) -> String {
    prefixed_address("", mode, rtype, name)
}

/// A block's address after `prefix` (`module.m.` in a child module), in
/// one buffer.
pub(crate) fn prefixed_address(prefix: &str, mode: Mode, rtype: &str, name: &str) -> String {
    match mode {
        Mode::Managed => [prefix, rtype, ".", name].concat(),
        Mode::Data => [prefix, "data.", rtype, ".", name].concat(),
    }
}

pub(crate) struct VarDecl<'a> {
    pub name: &'a str,
    pub block: &'a Block,
    pub file: FileId,
    pub default: Option<&'a Expression>,
    pub type_expr: Option<&'a Expression>,
}

pub(crate) struct LocalDecl<'a> {
    pub name: &'a str,
    pub attr: &'a Attribute,
    pub file: FileId,
}

pub(crate) struct ResDecl<'a> {
    pub mode: Mode,
    pub rtype: &'a str,
    pub name: &'a str,
    pub block: &'a Block,
    pub file: FileId,
    pub count: Option<&'a Attribute>,
    pub for_each: Option<&'a Attribute>,
}

impl ResDecl<'_> {
    /// `prefix` then the block's address in its module (`sym_flow.x`,
    /// `data.sym_runtime.y`), in one buffer. Made when needed, on whichever
    /// thread needs it, not for every block while declarations are indexed.
    pub(crate) fn address(&self, prefix: &str) -> String {
        prefixed_address(prefix, self.mode, self.rtype, self.name)
    }
}

pub(crate) struct ModDecl<'a> {
    pub name: &'a str,
    pub block: &'a Block,
    pub file: FileId,
}

pub(crate) struct OutDecl<'a> {
    pub name: &'a str,
    pub block: &'a Block,
    pub file: FileId,
}

#[derive(Default)]
pub(crate) struct Decls<'a> {
    pub variables: Vec<VarDecl<'a>>,
    pub var_idx: HashMap<&'a str, usize>,
    pub locals: Vec<LocalDecl<'a>>,
    pub local_idx: HashMap<&'a str, usize>,
    pub resources: Vec<ResDecl<'a>>,
    pub res_idx: HashMap<(Mode, &'a str, &'a str), usize>,
    pub modules: Vec<ModDecl<'a>>,
    pub mod_idx: HashMap<&'a str, usize>,
    pub outputs: Vec<OutDecl<'a>>,
    pub out_idx: HashMap<&'a str, usize>,
    pub terraform: Vec<(&'a Block, FileId)>,
    pub providers: Vec<(&'a Block, FileId)>,
    pub duplicates: Vec<Duplicate>,
    /// A file of the module could not be read or parsed: what it declares
    /// is unknown, so a name not declared elsewhere may be declared there.
    pub incomplete: bool,
}

/// The span of label `i` of a block (its type name when it has no such label).
pub(crate) fn label_span(b: &Block, i: usize, file: FileId) -> Span {
    match b.labels.get(i) {
        Some(l) => span_of(file, l.span()),
        None => span_of(file, b.ident.span()),
    }
}

impl<'a> Decls<'a> {
    pub(crate) fn build(files: &'a [ParsedFile], prefix: &str) -> Decls<'a> {
        let mut d = Decls::default();
        // Room for every top-level block as a resource: growing the tables
        // would copy and rehash them.
        let blocks: usize = files
            .iter()
            .filter_map(|f| f.body.as_ref())
            .map(|b| b.structures.len())
            .sum();
        d.resources.reserve(blocks);
        d.res_idx.reserve(blocks);
        for f in files {
            // Override files change blocks declared elsewhere; they are
            // parsed (syntax errors count) but are not new declarations, so
            // they cause no false duplicates. Their values are not merged.
            if f.is_override {
                continue;
            }
            let Some(body) = &f.body else { continue };
            for s in body {
                let Structure::Block(b) = s else { continue };
                d.add_block(b, f.id, prefix);
            }
        }
        d
    }

    fn dup(&mut self, address: String, first: Span, second: Span) {
        self.duplicates.push(Duplicate {
            address,
            first,
            second,
        });
    }

    fn add_block(&mut self, b: &'a Block, file: FileId, prefix: &str) {
        let kind = b.ident.value().as_str();
        let label = |i: usize| b.labels.get(i).map(|l| l.as_str());
        match kind {
            "variable" => {
                let Some(name) = label(0) else { return };
                let decl = VarDecl {
                    name,
                    block: b,
                    file,
                    default: b.body.get_attribute("default").map(|a| &a.value),
                    type_expr: b.body.get_attribute("type").map(|a| &a.value),
                };
                if let Some(&i) = self.var_idx.get(name) {
                    let first = self.variables[i].block;
                    let first = label_span(first, 0, self.variables[i].file);
                    self.dup(format!("{prefix}var.{name}"), first, label_span(b, 0, file));
                    return;
                }
                self.var_idx.insert(name, self.variables.len());
                self.variables.push(decl);
            }
            "locals" => {
                for a in b.body.attributes() {
                    let name = a.key.value().as_str();
                    if let Some(&i) = self.local_idx.get(name) {
                        let prev = &self.locals[i];
                        let first = span_of(prev.file, prev.attr.key.span());
                        self.dup(
                            format!("{prefix}local.{name}"),
                            first,
                            span_of(file, a.key.span()),
                        );
                        continue;
                    }
                    self.local_idx.insert(name, self.locals.len());
                    self.locals.push(LocalDecl {
                        name,
                        attr: a,
                        file,
                    });
                }
            }
            "resource" | "data" => {
                let (Some(rtype), Some(name)) = (label(0), label(1)) else {
                    return;
                };
                let mode = if kind == "resource" {
                    Mode::Managed
                } else {
                    Mode::Data
                };
                if let Some(&i) = self.res_idx.get(&(mode, rtype, name)) {
                    let prev = &self.resources[i];
                    let first = label_span(prev.block, 1, prev.file);
                    let address = prev.address(prefix);
                    self.dup(address, first, label_span(b, 1, file));
                    return;
                }
                self.res_idx
                    .insert((mode, rtype, name), self.resources.len());
                self.resources.push(ResDecl {
                    mode,
                    rtype,
                    name,
                    block: b,
                    file,
                    count: b.body.get_attribute("count"),
                    for_each: b.body.get_attribute("for_each"),
                });
            }
            "module" => {
                let Some(name) = label(0) else { return };
                if let Some(&i) = self.mod_idx.get(name) {
                    let prev = &self.modules[i];
                    let first = label_span(prev.block, 0, prev.file);
                    self.dup(
                        format!("{prefix}module.{name}"),
                        first,
                        label_span(b, 0, file),
                    );
                    return;
                }
                self.mod_idx.insert(name, self.modules.len());
                self.modules.push(ModDecl {
                    name,
                    block: b,
                    file,
                });
            }
            "output" => {
                let Some(name) = label(0) else { return };
                if let Some(&i) = self.out_idx.get(name) {
                    let prev = &self.outputs[i];
                    let first = label_span(prev.block, 0, prev.file);
                    self.dup(
                        format!("{prefix}output.{name}"),
                        first,
                        label_span(b, 0, file),
                    );
                    return;
                }
                self.out_idx.insert(name, self.outputs.len());
                self.outputs.push(OutDecl {
                    name,
                    block: b,
                    file,
                });
            }
            "terraform" => self.terraform.push((b, file)),
            "provider" => self.providers.push((b, file)),
            _ => {}
        }
    }
}
