//! A hand-written recursive-descent parser for HCL's native syntax.
//!
//! Why not hcl-edit's parser: it keeps every byte of whitespace and
//! formatting (it is built for editing) and parses at 10-17 MB/s on this
//! project's bench machine, which alone is more than validate's whole time
//! budget on a 1,000-flow module. This parser builds only what the loader
//! reads and works on bytes. It accepts the same language as hcl-edit 0.10
//! (which the test suite checks by parsing the same inputs with both and
//! comparing trees and spans), with two deliberate differences that follow
//! HashiCorp's grammar instead: a newline after a closing `]` or `)` ends an
//! attribute's expression, and escapes are decoded inside the branches of a
//! quoted string's `%{ if }` / `%{ for }`.

use super::ast::{
    Array, Attribute, BinaryOp, BinaryOperator, Block, BlockLabel, Body, Conditional, Decorated,
    Directive, Element, ElseTemplateExpr, EndforTemplateExpr, EndifTemplateExpr, Expression,
    ForCond, ForDirective, ForExpr, ForIntro, ForTemplateExpr, FuncArgs, FuncCall, FuncName,
    HeredocTemplate, Ident, IfDirective, IfTemplateExpr, Interpolation, Null, Number, Object,
    ObjectKey, ObjectValue, Parenthesis, Sp, Splat, StringTemplate, Strip, Structure, Template,
    Traversal, TraversalOperator, UnaryOp, UnaryOperator,
};

/// Deepest nesting of blocks, brackets and template directives.
pub const MAX_NESTING_DEPTH: usize = 64;
/// Most binary operators in one expression.
pub const MAX_OPERATORS: usize = 128;

/// A syntax error: what was expected, and where (byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    offset: usize,
}

impl Error {
    pub(crate) fn new(message: String, offset: usize) -> Error {
        Error { message, offset }
    }

    /// What is wrong, e.g. "expected `=` or `{` after the name `foo`".
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset in the parsed text.
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for Error {}

type PResult<T> = Result<T, Error>;

/// The stacks a [`Parser`] builds bodies and objects on.
type Stacks = (Vec<Structure>, Vec<(ObjectKey, ObjectValue)>);

thread_local! {
    /// The stacks, kept (empty) between the files a thread parses: each
    /// file would otherwise grow a pair of its own, then free them.
    static STACKS: std::cell::Cell<Stacks> = const { std::cell::Cell::new((Vec::new(), Vec::new())) };
}

/// Parse a whole file (a body of attributes and blocks).
pub fn parse_body(text: &str) -> PResult<Body> {
    parse_body_noting_file_calls(text).map(|(body, _)| body)
}

/// [`parse_body`], with the indexes (increasing) of the top-level
/// attributes and blocks that call `file()` or `templatefile()` somewhere
/// inside: the loader reads those files ahead, and need not walk the rest
/// of the tree to find them.
pub fn parse_body_noting_file_calls(text: &str) -> PResult<(Body, Vec<usize>)> {
    let mut p = Parser::new(text)?;
    (p.structures, p.items) = STACKS.take();
    let body = p.body(None);
    p.structures.clear();
    p.items.clear();
    STACKS.set((p.structures, p.items));
    Ok((body?, p.file_calls))
}

/// Parse one expression (e.g. a `--var` value), surrounded by any whitespace.
pub fn parse_expr(text: &str) -> PResult<Expression> {
    parse_expr_in(text, 0, text.len())
}

/// Parse a template file's text (`templatefile`): literal text with
/// `${...}` and `%{...}` sequences, no quote escapes.
pub fn parse_template(text: &str) -> PResult<Template> {
    let mut p = Parser::new(text)?;
    let t = p.template(TemplateEnd::Eof)?;
    if p.pos < p.b.len() {
        return Err(p.err("unexpected template directive"));
    }
    Ok(t)
}

/// The quoted string (or template) whose opening `"` is at `start` in
/// `text`, with spans in `text`. The JSON syntax reads its strings without
/// escapes with this (`text` ends at the string's closing quote).
pub(crate) fn parse_quoted_at(text: &str, start: usize) -> PResult<Expression> {
    let mut p = Parser::new(text)?;
    p.pos = start;
    if p.peek() != Some(b'"') {
        return Err(p.err("expected a string"));
    }
    p.quoted()
}

/// The expression that is all of `text[start..end]` (surrounding spaces
/// aside), with spans in `text`: a JSON string holding a reference.
pub(crate) fn parse_expr_in(text: &str, start: usize, end: usize) -> PResult<Expression> {
    let Some(inner) = text.get(..end) else {
        return Err(Error {
            message: "expected an expression".to_owned(),
            offset: start,
        });
    };
    let mut p = Parser::new(inner)?;
    p.pos = start.min(end);
    p.skip_ws();
    let e = p.expr(true)?;
    p.skip_ws();
    if p.pos < p.b.len() {
        return Err(p.err("expected the end of the expression"));
    }
    Ok(e)
}

/// Where the text of a template stops.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TemplateEnd<'d> {
    /// A quoted string: `"` ends it; escapes are decoded.
    Quote,
    /// A heredoc: a line holding only the delimiter (after spaces).
    Heredoc(&'d [u8]),
    /// A template file: the end of the text.
    Eof,
}

struct Parser<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    depth: usize,
    // Bodies and objects are built on these stacks (a nested one above the
    // one that contains it) and moved into a vector of the exact size when
    // complete: growing a vector per body one push at a time leaves spare
    // capacity and dead copies behind, a third of the parser's memory.
    structures: Vec<Structure>,
    items: Vec<(ObjectKey, ObjectValue)>,
    /// The top-level structure being parsed (its index in the file).
    top: usize,
    /// Top-level structures with a `file()` / `templatefile()` call.
    file_calls: Vec<usize>,
}

fn is_ascii_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

/// Bytes that continue a name: ASCII letters, digits, `_` and `-`.
static ID_CONTINUE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        c += 1;
    }
    t
};

/// Bytes that end the plain text of a quoted string, or make it more than
/// plain text: `"`, `\\`, `$`, `%` and line breaks.
static QUOTED_STOP: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'$' as usize] = true;
    t[b'%' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
};

fn is_ascii_id_continue(c: u8) -> bool {
    ID_CONTINUE[usize::from(c)]
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> PResult<Parser<'t>> {
        if u32::try_from(text.len()).is_err() {
            return Err(Error {
                message: "file is too large (more than 4 GiB)".to_owned(),
                offset: 0,
            });
        }
        Ok(Parser {
            text,
            b: text.as_bytes(),
            pos: 0,
            depth: 0,
            structures: Vec::new(),
            items: Vec::new(),
            top: 0,
            file_calls: Vec::new(),
        })
    }

    // ------------------------------------------------------------ basics

    fn err(&self, message: &str) -> Error {
        self.err_at(self.pos, message.to_owned())
    }

    fn err_at(&self, offset: usize, message: String) -> Error {
        Error {
            message,
            offset: offset.min(self.b.len()),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.b.get(self.pos + n).copied()
    }

    /// Move past the bytes `keep` accepts, in one tight run.
    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        let rest = &self.b[self.pos..];
        self.pos += rest.iter().position(|&c| !keep(c)).unwrap_or(rest.len());
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.b[self.pos..].starts_with(s)
    }

    fn expect(&mut self, c: u8, what: &str) -> PResult<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    /// "expected X, found Y" at the current position.
    fn unexpected(&self, what: &str) -> Error {
        let mut at = self.pos.min(self.b.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let found = match self.text[at..].chars().next() {
            None => "the end of the file".to_owned(),
            Some('\n' | '\r') => "a newline".to_owned(),
            Some(c) => format!("`{c}`"),
        };
        self.err(&format!("expected {what}, found {found}"))
    }

    fn enter(&mut self) -> PResult<()> {
        if self.depth >= MAX_NESTING_DEPTH {
            return Err(self.err(&format!(
                "nested too deeply (more than {MAX_NESTING_DEPTH} levels)"
            )));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Spaces, tabs and `/* */` comments (not newlines).
    #[inline]
    fn skip_sp(&mut self) {
        // Called between most tokens: nothing to skip is the common case.
        if matches!(self.peek(), Some(b' ' | b'\t' | b'/')) {
            self.skip_sp_run();
        }
    }

    fn skip_sp_run(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.skip_while(|c| c == b' ' || c == b'\t'),
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    if !self.skip_inline_comment() {
                        return;
                    }
                }
                _ => return,
            }
        }
    }

    /// `/* ... */`; false (and nothing consumed) when it is not closed.
    fn skip_inline_comment(&mut self) -> bool {
        // `/*` is ASCII: `pos + 2` is a character boundary.
        match self.text[self.pos + 2..].find("*/") {
            Some(i) => {
                self.pos += 2 + i + 2;
                true
            }
            None => false,
        }
    }

    /// Up to (not including) the end of the line.
    fn skip_to_eol(&mut self) {
        match self.b[self.pos..].iter().position(|&c| c == b'\n') {
            Some(i) => {
                self.pos += i;
                // A CRLF line ending starts at the `\r`.
                if self.pos > 0 && self.b[self.pos - 1] == b'\r' {
                    self.pos -= 1;
                }
            }
            None => self.pos = self.b.len(),
        }
    }

    /// `# ...` or `// ...`, up to the end of the line.
    fn skip_line_comment(&mut self) -> bool {
        match self.peek() {
            Some(b'#') => {
                self.skip_to_eol();
                true
            }
            Some(b'/') if self.peek_at(1) == Some(b'/') => {
                self.skip_to_eol();
                true
            }
            _ => false,
        }
    }

    /// All whitespace (newlines included) and comments.
    #[inline]
    fn skip_ws(&mut self) {
        if matches!(
            self.peek(),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'#' | b'/')
        ) {
            self.skip_ws_run();
        }
    }

    fn skip_ws_run(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.skip_blank(),
                Some(b'#') => self.skip_to_eol(),
                Some(b'/') if self.peek_at(1) == Some(b'/') => self.skip_to_eol(),
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    if !self.skip_inline_comment() {
                        return;
                    }
                }
                _ => return,
            }
        }
    }

    /// Spaces, tabs and line breaks. Indentation and the spaces that align
    /// `=` signs come in runs: those are taken eight bytes at a time (the
    /// count of leading spaces in a word is its count of trailing zero
    /// bytes once XORed with eight spaces).
    fn skip_blank(&mut self) {
        const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
        let b = self.b;
        let mut i = self.pos;
        loop {
            if let Some(chunk) = b.get(i..i + 8) {
                let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
                let spaces = ((word ^ SPACES).trailing_zeros() / 8) as usize;
                i += spaces;
                if spaces == 8 {
                    continue;
                }
            }
            match b.get(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => i += 1,
                _ => break,
            }
        }
        self.pos = i;
    }

    /// Newlines are skipped inside `(...)` and `[...]`, not elsewhere.
    #[inline]
    fn skip(&mut self, nl: bool) {
        if nl {
            self.skip_ws();
        } else {
            self.skip_sp();
        }
    }

    /// `\n` or `\r\n`.
    fn line_ending(&mut self) -> bool {
        match self.peek() {
            Some(b'\n') => {
                self.pos += 1;
                true
            }
            Some(b'\r') if self.peek_at(1) == Some(b'\n') => {
                self.pos += 2;
                true
            }
            _ => false,
        }
    }

    #[inline]
    fn at_id_start(&self) -> bool {
        match self.peek() {
            Some(c) if c.is_ascii() => is_ascii_id_start(c),
            Some(_) => self.text[self.pos..]
                .chars()
                .next()
                .is_some_and(unicode_ident::is_xid_start),
            None => false,
        }
    }

    /// An identifier starting here, or `None` (nothing consumed).
    fn ident_str(&mut self) -> Option<(&'t str, Sp)> {
        let start = self.pos;
        let b = self.b;
        // ASCII names (nearly all): one tight run over the table.
        if let Some(&c) = b.get(start) {
            if is_ascii_id_start(c) {
                let mut end = start + 1;
                while end < b.len() && ID_CONTINUE[usize::from(b[end])] {
                    end += 1;
                }
                if end == b.len() || b[end].is_ascii() {
                    self.pos = end;
                    return Some((&self.text[start..end], Sp::new(start, end)));
                }
            }
        }
        if !self.at_id_start() {
            return None;
        }
        loop {
            // ASCII name characters in one tight run.
            self.skip_while(is_ascii_id_continue);
            match self.peek() {
                Some(c) if c.is_ascii() => break,
                Some(_) => match self.text[self.pos..].chars().next() {
                    Some(ch) if unicode_ident::is_xid_continue(ch) => self.pos += ch.len_utf8(),
                    _ => break,
                },
                None => break,
            }
        }
        Some((&self.text[start..self.pos], Sp::new(start, self.pos)))
    }

    fn ident(&mut self, what: &str) -> PResult<Decorated<Ident>> {
        match self.ident_str() {
            Some((s, sp)) => Ok(Decorated::new(Ident::new(s), sp)),
            None => Err(self.unexpected(what)),
        }
    }

    /// The keyword `kw` followed by something that cannot continue a name.
    fn at_keyword(&self, kw: &[u8]) -> bool {
        self.word_at(self.pos, kw)
    }

    /// `word` at byte `i`, not followed by a character that continues a name.
    fn word_at(&self, i: usize, word: &[u8]) -> bool {
        self.b.get(i..).is_some_and(|rest| rest.starts_with(word))
            && !self
                .b
                .get(i + word.len())
                .is_some_and(|&c| is_ascii_id_continue(c) || !c.is_ascii())
    }

    /// Past spaces and tabs from byte `i`.
    fn after_spaces(&self, mut i: usize) -> usize {
        while matches!(self.b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    }

    // ------------------------------------------------------------- bodies

    /// Attributes and blocks up to the end of the text or a `}` (not
    /// consumed) when `in_block`.
    fn body(&mut self, open: Option<usize>) -> PResult<Body> {
        let in_block = open.is_some();
        let start = self.pos;
        let base = self.structures.len();
        let text = self.text;
        let mut keys: Option<std::collections::HashSet<&'t str>> = None;
        let mut n_attrs = 0usize;
        loop {
            self.skip_ws();
            match self.peek() {
                None => {
                    if let Some(at) = open {
                        return Err(self.err_at(
                            at,
                            "block is not closed: this `{` has no matching `}` before the end of the file"
                                .to_owned(),
                        ));
                    }
                    break;
                }
                Some(b'}') if in_block => break,
                _ => {}
            }
            if !in_block {
                self.top = self.structures.len() - base;
            }
            let s = self.structure()?;
            if let Structure::Attribute(a) = &s {
                let key: &'t str = &text[a.key.sp.range()];
                let siblings = &self.structures[base..];
                let dup = if n_attrs < 16 {
                    siblings
                        .iter()
                        .filter_map(Structure::as_attribute)
                        .any(|b| b.key.as_str() == key)
                } else {
                    let set = keys.get_or_insert_with(|| {
                        siblings
                            .iter()
                            .filter_map(Structure::as_attribute)
                            .map(|b| &text[b.key.sp.range()])
                            .collect()
                    });
                    !set.insert(key)
                };
                if dup {
                    return Err(self.err_at(
                        a.key.sp.start as usize,
                        format!("attribute `{key}` is already defined in this body"),
                    ));
                }
                if let Some(set) = &mut keys {
                    set.insert(key);
                }
                n_attrs += 1;
            }
            self.structures.push(s);
            // After a structure: a comment, then a newline or the end.
            self.skip_sp();
            self.skip_line_comment();
            if !self.line_ending() && self.pos < self.b.len() {
                return Err(self.unexpected("a newline after the attribute or block"));
            }
        }
        let end = if in_block { self.pos } else { self.b.len() };
        Ok(Body {
            structures: self.structures.drain(base..).collect(),
            sp: Sp::new(start, end),
        })
    }

    fn structure(&mut self) -> PResult<Structure> {
        let start = self.pos;
        let Some((name, name_sp)) = self.ident_str() else {
            return Err(self.unexpected("an attribute name or a block type"));
        };
        let ident = Decorated::new(Ident::new(name), name_sp);
        self.skip_sp();
        match self.peek() {
            _ if self.at_assign() => Ok(Structure::Attribute(self.attribute_rest(start, ident)?)),
            Some(b'{' | b'"') => self.labelled_block(start, ident),
            _ if self.at_id_start() => self.labelled_block(start, ident),
            _ => Err(self.unexpected(&format!("`=`, `{{`, a label or a name after `{name}`"))),
        }
    }

    /// At the `=` of an attribute (not `==`).
    fn at_assign(&self) -> bool {
        self.peek() == Some(b'=') && self.peek_at(1) != Some(b'=')
    }

    /// `= value` of an attribute whose key (starting at `start`) is read.
    fn attribute_rest(&mut self, start: usize, key: Decorated<Ident>) -> PResult<Attribute> {
        self.pos += 1;
        self.skip_sp();
        let value = self.expr(false)?;
        let end = value.sp().end as usize;
        Ok(Attribute {
            key,
            value,
            sp: Sp::new(start, end),
        })
    }

    /// A block's labels (possibly none) and body, after its type.
    fn labelled_block(&mut self, start: usize, ident: Decorated<Ident>) -> PResult<Structure> {
        let mut labels = Vec::new();
        loop {
            match self.peek() {
                Some(b'"') => {
                    let lstart = self.pos;
                    let s = self.plain_string()?;
                    labels.push(BlockLabel::String(Decorated::new(
                        s,
                        Sp::new(lstart, self.pos),
                    )));
                }
                Some(b'{') => break,
                _ => match self.ident_str() {
                    Some((s, sp)) => {
                        labels.push(BlockLabel::Ident(Decorated::new(Ident::new(s), sp)));
                    }
                    None => return Err(self.unexpected("a block label or `{`")),
                },
            }
            self.skip_sp();
        }
        let body = self.block_body()?;
        Ok(Structure::Block(Block {
            ident,
            labels,
            body,
            sp: Sp::new(start, self.pos),
        }))
    }

    /// `{ ... }` of a block: several lines, or one line with at most one
    /// attribute.
    fn block_body(&mut self) -> PResult<Body> {
        self.enter()?;
        let open = self.pos;
        self.expect(b'{', "`{`")?;
        let save = self.pos;
        self.skip_sp();
        self.skip_line_comment();
        let body = if self.line_ending() {
            let body = self.body(Some(open))?;
            self.expect(b'}', "`}`")?;
            body
        } else {
            self.pos = save;
            self.skip_sp();
            let mut structures = Vec::new();
            if self.at_id_start() {
                let start = self.pos;
                let key = self.ident("an attribute name")?;
                self.skip_sp();
                if !self.at_assign() {
                    return Err(self.unexpected(
                        "`=` (a block written on one line holds at most one attribute)",
                    ));
                }
                structures.push(Structure::Attribute(self.attribute_rest(start, key)?));
                self.skip_sp();
            }
            if self.peek() != Some(b'}') {
                return Err(self.unexpected("`}` or a newline"));
            }
            let inner_end = self.pos;
            self.pos += 1;
            Body {
                structures,
                sp: Sp::new(save, inner_end),
            }
        };
        self.leave();
        Ok(body)
    }

    // -------------------------------------------------------- expressions

    /// An expression: operators and an optional conditional. `nl`: whether
    /// newlines may appear between its parts.
    fn expr(&mut self, nl: bool) -> PResult<Expression> {
        self.enter()?;
        let r = self.expr_inner(nl);
        self.leave();
        r
    }

    fn expr_inner(&mut self, nl: bool) -> PResult<Expression> {
        let start = self.pos;
        let first = self.term(nl)?;
        // Most expressions are one term that ends right here: nothing can
        // follow that makes it an operation or a conditional.
        if self.at_expression_end(nl) {
            return Ok(first);
        }
        let lhs = self.binary_ops(first, nl)?;
        let save = self.pos;
        self.skip(nl);
        if self.peek() == Some(b'?') {
            self.pos += 1;
            self.skip(nl);
            let true_expr = self.expr(nl)?;
            self.skip(nl);
            self.expect(b':', "`:` of the conditional")?;
            self.skip(nl);
            let false_expr = self.expr(nl)?;
            let end = false_expr.sp().end as usize;
            return Ok(Expression::Conditional(Box::new(Conditional {
                cond_expr: lhs,
                true_expr,
                false_expr,
                sp: Sp::new(start, end),
            })));
        }
        self.pos = save;
        Ok(lhs)
    }

    /// At a byte that ends an expression whatever came before: the end of
    /// the text, a `,` or a closing bracket, or (outside brackets, where a
    /// newline does not end it) the end of the line.
    #[inline]
    fn at_expression_end(&self, nl: bool) -> bool {
        match self.peek() {
            None | Some(b',' | b')' | b']' | b'}') => true,
            Some(b'\n' | b'\r') => !nl,
            _ => false,
        }
    }

    /// A binary operator starting here (after whitespace), not consumed.
    fn peek_operator(&self) -> Option<(BinaryOperator, usize)> {
        let c = self.peek()?;
        let n = self.peek_at(1);
        Some(match (c, n) {
            (b'=', Some(b'=')) => (BinaryOperator::Eq, 2),
            (b'!', Some(b'=')) => (BinaryOperator::NotEq, 2),
            (b'<', Some(b'=')) => (BinaryOperator::LessEq, 2),
            (b'>', Some(b'=')) => (BinaryOperator::GreaterEq, 2),
            (b'<', _) => (BinaryOperator::Less, 1),
            (b'>', _) => (BinaryOperator::Greater, 1),
            (b'+', _) => (BinaryOperator::Plus, 1),
            (b'-', _) => (BinaryOperator::Minus, 1),
            (b'*', _) => (BinaryOperator::Mul, 1),
            (b'/', Some(b'/' | b'*')) => return None,
            (b'/', _) => (BinaryOperator::Div, 1),
            (b'%', _) => (BinaryOperator::Mod, 1),
            (b'&', Some(b'&')) => (BinaryOperator::And, 2),
            (b'|', Some(b'|')) => (BinaryOperator::Or, 2),
            _ => return None,
        })
    }

    /// A chain `a op b op c ...`, grouped by precedence (left-associative).
    fn binary_ops(&mut self, first: Expression, nl: bool) -> PResult<Expression> {
        let mut operands: Vec<Expression> = Vec::new();
        let mut ops: Vec<Decorated<BinaryOperator>> = Vec::new();
        let mut current = first;
        let mut count = 0usize;
        loop {
            let save = self.pos;
            self.skip(nl);
            let Some((op, len)) = self.peek_operator() else {
                self.pos = save;
                break;
            };
            count += 1;
            if count > MAX_OPERATORS {
                return Err(self.err(&format!(
                    "too many operators in one expression (more than {MAX_OPERATORS})"
                )));
            }
            let op_sp = Sp::new(self.pos, self.pos + len);
            self.pos += len;
            self.skip(nl);
            let rhs = self.term(nl)?;
            // Reduce while the operator on the stack binds at least as
            // tightly (left associativity).
            while let Some(top) = ops.last() {
                if top.value().precedence() >= op.precedence() {
                    let top = ops.pop().unwrap_or_else(|| unreachable!());
                    let lhs = operands.pop().unwrap_or_else(|| unreachable!());
                    current = make_binary(lhs, top, current);
                } else {
                    break;
                }
            }
            operands.push(current);
            ops.push(Decorated::new(op, op_sp));
            current = rhs;
        }
        while let Some(top) = ops.pop() {
            let lhs = operands.pop().unwrap_or_else(|| unreachable!());
            current = make_binary(lhs, top, current);
        }
        Ok(current)
    }

    /// A term with its traversal: `a.b[0]`, `f(x)[1]`, `"s"`, `-x`...
    fn term(&mut self, nl: bool) -> PResult<Expression> {
        let start = self.pos;
        let base = match self.peek() {
            Some(b'"') => self.quoted()?,
            Some(b'[') => self.array()?,
            Some(b'{') => self.object()?,
            Some(b'0'..=b'9') => self.number(start, false)?,
            Some(b'<') => self.heredoc()?,
            Some(b'-') => {
                let save = self.pos;
                self.pos += 1;
                self.skip_sp();
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.number(start, true)?
                } else {
                    self.pos = save;
                    self.unary(nl)?
                }
            }
            Some(b'!') => self.unary(nl)?,
            Some(b'(') => self.parenthesis()?,
            _ if self.at_id_start() => self.identlike(nl)?,
            _ => return Err(self.unexpected("an expression")),
        };
        // Traversal operators, possibly after spaces (not where terms
        // usually end).
        if self.at_expression_end(nl) {
            return Ok(base);
        }
        let save = self.pos;
        self.skip(nl);
        match (self.peek(), self.peek_at(1)) {
            (Some(b'.'), Some(b'.')) => {
                self.pos = save;
                Ok(base)
            }
            (Some(b'.' | b'['), _) => self.traversal(start, base, nl),
            _ => {
                self.pos = save;
                Ok(base)
            }
        }
    }

    fn traversal(&mut self, start: usize, base: Expression, nl: bool) -> PResult<Expression> {
        let mut operators = Vec::new();
        let mut last_end = self.pos;
        loop {
            let op_start = self.pos;
            match (self.peek(), self.peek_at(1)) {
                (Some(b'.'), Some(b'.')) | (None, _) => {
                    self.pos = last_end;
                    break;
                }
                (Some(b'.'), _) => {
                    self.pos += 1;
                    self.skip_ws();
                    let op = match self.peek() {
                        Some(b'*') => {
                            let sp = Sp::new(self.pos, self.pos + 1);
                            self.pos += 1;
                            TraversalOperator::AttrSplat(Decorated::new(Splat, sp))
                        }
                        Some(b'0'..=b'9') => {
                            let ds = self.pos;
                            while matches!(self.peek(), Some(b'0'..=b'9')) {
                                self.pos += 1;
                            }
                            let n: u64 = self.text[ds..self.pos]
                                .parse()
                                .map_err(|_| self.err_at(ds, "index is too large".to_owned()))?;
                            TraversalOperator::LegacyIndex(Decorated::new(n, Sp::new(ds, self.pos)))
                        }
                        _ => match self.ident_str() {
                            Some((s, sp)) => {
                                TraversalOperator::GetAttr(Decorated::new(Ident::new(s), sp))
                            }
                            None => {
                                return Err(
                                    self.unexpected("an attribute name, an index or `*` after `.`")
                                )
                            }
                        },
                    };
                    operators.push(Decorated::new(op, Sp::new(op_start, self.pos)));
                    last_end = self.pos;
                }
                (Some(b'['), _) => {
                    self.pos += 1;
                    self.skip_ws();
                    let op = if self.peek() == Some(b'*') {
                        let sp = Sp::new(self.pos, self.pos + 1);
                        self.pos += 1;
                        TraversalOperator::FullSplat(Decorated::new(Splat, sp))
                    } else {
                        TraversalOperator::Index(self.expr(true)?)
                    };
                    self.skip_ws();
                    self.expect(b']', "`]` to close the index")?;
                    operators.push(Decorated::new(op, Sp::new(op_start, self.pos)));
                    last_end = self.pos;
                }
                _ => {
                    self.pos = last_end;
                    break;
                }
            }
            let save = self.pos;
            self.skip(nl);
            if !matches!(self.peek(), Some(b'.' | b'[')) {
                self.pos = save;
                break;
            }
        }
        Ok(Expression::Traversal(Box::new(Traversal {
            expr: base,
            operators,
            sp: Sp::new(start, self.pos),
        })))
    }

    fn number(&mut self, start: usize, negative: bool) -> PResult<Expression> {
        let ds = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        if self.peek() == Some(b'.') && matches!(self.peek_at(1), Some(b'0'..=b'9')) {
            self.pos += 1;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if matches!(self.peek(), Some(b'0'..=b'9')) {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
            } else {
                let _ = save;
                return Err(self.unexpected("a digit of the exponent"));
            }
        }
        let f: f64 = self.text[ds..self.pos]
            .parse()
            .map_err(|_| self.err_at(ds, "invalid number".to_owned()))?;
        if !f.is_finite() {
            return Err(self.err_at(ds, "number is too large".to_owned()));
        }
        let f = if negative { -f } else { f };
        Ok(Expression::Number(Decorated::new(
            Number::new(f),
            Sp::new(start, self.pos),
        )))
    }

    fn unary(&mut self, nl: bool) -> PResult<Expression> {
        let start = self.pos;
        let op = if self.peek() == Some(b'-') {
            UnaryOperator::Neg
        } else {
            UnaryOperator::Not
        };
        self.pos += 1;
        let op_sp = Sp::new(start, self.pos);
        self.skip_sp();
        self.enter()?;
        let expr = self.term(nl);
        self.leave();
        let expr = expr?;
        let end = expr.sp().end as usize;
        Ok(Expression::UnaryOp(Box::new(UnaryOp {
            operator: Decorated::new(op, op_sp),
            expr,
            sp: Sp::new(start, end),
        })))
    }

    fn parenthesis(&mut self) -> PResult<Expression> {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws();
        let inner = self.expr(true)?;
        self.skip_ws();
        self.expect(b')', "`)`")?;
        Ok(Expression::Parenthesis(Box::new(Parenthesis {
            inner,
            sp: Sp::new(start, self.pos),
        })))
    }

    fn identlike(&mut self, nl: bool) -> PResult<Expression> {
        let (name, sp) = self.ident_str().unwrap_or_else(|| unreachable!());
        let save = self.pos;
        self.skip(nl);
        let is_call = self.peek() == Some(b'(') || self.starts_with(b"::");
        if !is_call {
            self.pos = save;
            return Ok(match name {
                "null" => Expression::Null(Decorated::new(Null, sp)),
                "true" => Expression::Bool(Decorated::new(true, sp)),
                "false" => Expression::Bool(Decorated::new(false, sp)),
                _ => Expression::Variable(Decorated::new(Ident::new(name), sp)),
            });
        }
        let start = sp.start as usize;
        let mut parts = vec![Decorated::new(Ident::new(name), sp)];
        while self.starts_with(b"::") {
            self.pos += 2;
            self.skip(nl);
            parts.push(self.ident("a function name after `::`")?);
            self.skip(nl);
        }
        let name = parts.pop().unwrap_or_else(|| unreachable!());
        if parts.is_empty()
            && matches!(name.value().as_str(), "file" | "templatefile")
            && self.file_calls.last() != Some(&self.top)
        {
            self.file_calls.push(self.top);
        }
        let args = self.func_args()?;
        Ok(Expression::FuncCall(Box::new(FuncCall {
            name: FuncName {
                namespace: parts,
                name,
            },
            args,
            sp: Sp::new(start, self.pos),
        })))
    }

    fn func_args(&mut self) -> PResult<FuncArgs> {
        self.expect(b'(', "`(`")?;
        let mut args = Vec::new();
        let mut expand_final = false;
        self.skip_ws();
        if self.peek() != Some(b')') {
            loop {
                args.push(self.expr(true)?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() == Some(b')') {
                            break;
                        }
                    }
                    Some(b'.') if self.starts_with(b"...") => {
                        self.pos += 3;
                        expand_final = true;
                        self.skip_ws();
                        break;
                    }
                    _ => break,
                }
            }
        }
        self.expect(b')', "`,` or `)` in the function call")?;
        Ok(FuncArgs { args, expand_final })
    }

    fn array(&mut self) -> PResult<Expression> {
        let start = self.pos;
        self.pos += 1;
        if let Some(e) = self.for_expr(start, false)? {
            return Ok(e);
        }
        let mut values = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                break;
            }
            values.push(self.expr(true)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => break,
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
        self.pos += 1;
        Ok(Expression::Array(Array {
            values,
            sp: Sp::new(start, self.pos),
        }))
    }

    fn object(&mut self) -> PResult<Expression> {
        let start = self.pos;
        self.pos += 1;
        if let Some(e) = self.for_expr(start, true)? {
            return Ok(e);
        }
        let base = self.items.len();
        loop {
            self.skip_ws();
            if self.peek() == Some(b'}') {
                break;
            }
            let key_start = self.pos;
            let key = match self.expr(false)? {
                Expression::Variable(v) => ObjectKey::Ident(v),
                e => ObjectKey::Expression(e),
            };
            if self.items[base..].iter().any(|(k, _)| same_key(k, &key)) {
                return Err(self.err_at(key_start, "this object key is already defined".to_owned()));
            }
            self.skip_sp();
            match self.peek() {
                Some(b'=' | b':') => self.pos += 1,
                _ => return Err(self.unexpected("`=` or `:` after the object key")),
            }
            self.skip_sp();
            let expr = self.expr(false)?;
            self.items.push((key, ObjectValue { expr }));
            self.skip_sp();
            match self.peek() {
                Some(b'}') => break,
                Some(b',') => self.pos += 1,
                _ if self.line_ending() => {}
                Some(b'#' | b'/') if self.skip_line_comment() => {
                    if !self.line_ending() && self.pos < self.b.len() {
                        return Err(self.unexpected("a newline"));
                    }
                }
                _ => return Err(self.unexpected("`,`, `}` or a newline after the object item")),
            }
        }
        self.pos += 1;
        Ok(Expression::Object(Object {
            items: self.items.drain(base..).collect(),
            sp: Sp::new(start, self.pos),
        }))
    }

    /// After `[` or `{`: a `for` expression, or `None` (nothing consumed).
    fn for_expr(&mut self, start: usize, object: bool) -> PResult<Option<Expression>> {
        let save = self.pos;
        self.skip_ws();
        let is_for = self.starts_with(b"for")
            && matches!(
                self.peek_at(3),
                Some(b' ' | b'\t' | b'#' | b'/' | b'\n' | b'\r')
            );
        if !is_for {
            self.pos = save;
            return Ok(None);
        }
        self.pos += 3;
        self.skip_ws();
        let (key_var, value_var) = self.for_vars()?;
        if !self.at_keyword(b"in") {
            return Err(self.unexpected("`in`"));
        }
        self.pos += 2;
        self.skip_ws();
        let collection_expr = self.expr(false)?;
        self.skip_ws();
        self.expect(b':', "`:` after the `for` collection")?;
        self.skip_ws();
        let (key_expr, value_expr, grouping) = if object {
            let k = self.expr(false)?;
            self.skip_ws();
            if !self.starts_with(b"=>") {
                return Err(self.unexpected("`=>`"));
            }
            self.pos += 2;
            self.skip_ws();
            let v = self.expr(false)?;
            self.skip_ws();
            let grouping = if self.starts_with(b"...") {
                self.pos += 3;
                self.skip_ws();
                true
            } else {
                false
            };
            (Some(k), v, grouping)
        } else {
            let v = self.expr(true)?;
            self.skip_ws();
            (None, v, false)
        };
        let cond = if self.at_keyword(b"if") {
            self.pos += 2;
            self.skip_ws();
            let e = self.expr(true)?;
            self.skip_ws();
            Some(ForCond { expr: e })
        } else {
            None
        };
        let close = if object { b'}' } else { b']' };
        self.expect(
            close,
            if object {
                "`}` to close the `for` expression"
            } else {
                "`]` to close the `for` expression"
            },
        )?;
        Ok(Some(Expression::ForExpr(Box::new(ForExpr {
            intro: ForIntro {
                key_var,
                value_var,
                collection_expr,
            },
            key_expr,
            value_expr,
            grouping,
            cond,
            sp: Sp::new(start, self.pos),
        }))))
    }

    /// `v` or `k, v` after `for` (and the whitespace after them).
    #[allow(clippy::type_complexity)]
    fn for_vars(&mut self) -> PResult<(Option<Decorated<Ident>>, Decorated<Ident>)> {
        let first = self.ident("a variable name after `for`")?;
        self.skip_ws();
        if self.peek() != Some(b',') {
            return Ok((None, first));
        }
        self.pos += 1;
        self.skip_ws();
        let second = self.ident("a value variable name after `,`")?;
        self.skip_ws();
        Ok((Some(first), second))
    }

    // ------------------------------------------------- strings, templates

    /// A quoted string without interpolation (block labels).
    fn plain_string(&mut self) -> PResult<String> {
        let start = self.pos;
        match self.quoted()? {
            Expression::String(s) => Ok(s.into_value()),
            _ => Err(self.err_at(
                start,
                "a block label cannot contain `${` or `%{`".to_owned(),
            )),
        }
    }

    /// `"..."`: a plain string, or a template when it interpolates.
    fn quoted(&mut self) -> PResult<Expression> {
        let start = self.pos;
        self.pos += 1;
        // Most strings are plain text: no escape, no `${`/`%{`. Take those
        // in one slice, without building a template.
        let rest = &self.b[self.pos..];
        if let Some(n) = rest.iter().position(|&c| QUOTED_STOP[usize::from(c)]) {
            if rest[n] == b'"' {
                let s = self.text[self.pos..self.pos + n].to_owned();
                self.pos += n + 1;
                return Ok(Expression::String(Decorated::new(
                    s,
                    Sp::new(start, self.pos),
                )));
            }
        }
        let t = self.template(TemplateEnd::Quote)?;
        self.expect(b'"', "`\"` to close the string")?;
        let sp = Sp::new(start, self.pos);
        let only_text = t.elements.iter().all(|e| matches!(e, Element::Literal(_)));
        if only_text {
            let mut s = String::new();
            for e in t.elements {
                if let Element::Literal(l) = e {
                    if s.is_empty() {
                        s = l.into_value();
                    } else {
                        s.push_str(l.value());
                    }
                }
            }
            return Ok(Expression::String(Decorated::new(s, sp)));
        }
        Ok(Expression::StringTemplate(StringTemplate {
            template: t,
            sp,
        }))
    }

    /// Template elements up to the end marker (not consumed) or, inside a
    /// directive, up to the next `%{ else / endif / endfor }`.
    fn template(&mut self, end: TemplateEnd<'_>) -> PResult<Template> {
        let mut elements: Vec<Element> = Vec::new();
        loop {
            match self.peek() {
                None => break,
                Some(b'"') if end == TemplateEnd::Quote => break,
                Some(b'$') if self.peek_at(1) == Some(b'{') => {
                    elements.push(Element::Interpolation(self.interpolation()?));
                }
                Some(b'%') if self.peek_at(1) == Some(b'{') => {
                    if self.at_closing_directive() {
                        break;
                    }
                    let d = self.directive(end)?;
                    elements.push(Element::Directive(Box::new(d)));
                }
                _ => {
                    if let TemplateEnd::Heredoc(delim) = end {
                        if self.at_heredoc_end(delim) {
                            break;
                        }
                    }
                    let lit = self.literal(end)?;
                    match elements.last_mut() {
                        Some(Element::Literal(prev)) if prev.sp.end == lit.sp.start => {
                            prev.value_mut().push_str(lit.value());
                            prev.sp.end = lit.sp.end;
                        }
                        _ => elements.push(Element::Literal(lit)),
                    }
                }
            }
        }
        Ok(Template { elements })
    }

    /// Literal text up to the next `${`, `%{`, closing quote or heredoc end.
    fn literal(&mut self, end: TemplateEnd<'_>) -> PResult<Decorated<String>> {
        let start = self.pos;
        let mut out = String::new();
        let mut run = self.pos;
        let quote = end == TemplateEnd::Quote;
        loop {
            // Skip plain text in one tight run up to a byte that may matter.
            self.skip_while(|c| {
                !(matches!(c, b'$' | b'%' | b'\n' | b'\r') || (quote && matches!(c, b'"' | b'\\')))
            });
            let Some(c) = self.peek() else { break };
            match c {
                b'$' | b'%' if self.peek_at(1) == Some(b'{') => break,
                b'$' | b'%' if self.peek_at(1) == Some(c) && self.peek_at(2) == Some(b'{') => {
                    // `$${` and `%%{` stand for `${` and `%{`.
                    out.push_str(&self.text[run..self.pos]);
                    out.push(c as char);
                    out.push('{');
                    self.pos += 3;
                    run = self.pos;
                }
                b'"' if end == TemplateEnd::Quote => break,
                b'\\' if end == TemplateEnd::Quote => {
                    out.push_str(&self.text[run..self.pos]);
                    let ch = self.escape()?;
                    out.push(ch);
                    run = self.pos;
                }
                b'\n' if end == TemplateEnd::Quote => {
                    return Err(self.err(
                        "a quoted string cannot span lines: close it with `\"` on this line, \
                         or write `\\n`, or use a heredoc (`<<EOT`) for text on several lines",
                    ));
                }
                b'\n' | b'\r' => {
                    if let TemplateEnd::Heredoc(delim) = end {
                        if self.pos > start && self.at_heredoc_end(delim) {
                            break;
                        }
                    }
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        if out.is_empty() {
            self.text[run..self.pos].clone_into(&mut out);
        } else {
            out.push_str(&self.text[run..self.pos]);
        }
        Ok(Decorated::new(out, Sp::new(start, self.pos)))
    }

    fn escape(&mut self) -> PResult<char> {
        let at = self.pos;
        self.pos += 1;
        let Some(c) = self.peek() else {
            return Err(self.unexpected("an escape sequence after `\\`"));
        };
        self.pos += 1;
        Ok(match c {
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'\\' => '\\',
            b'"' => '"',
            b'u' | b'U' => {
                let n = if c == b'u' { 4 } else { 8 };
                let hex = self.b.get(self.pos..self.pos + n).unwrap_or_default();
                let ok = hex.len() == n && hex.iter().all(u8::is_ascii_hexdigit);
                let ch = ok
                    .then(|| u32::from_str_radix(&self.text[self.pos..self.pos + n], 16).ok())
                    .flatten()
                    .and_then(char::from_u32);
                match ch {
                    Some(ch) => {
                        self.pos += n;
                        ch
                    }
                    None => {
                        return Err(self.err_at(
                            at,
                            format!(
                            "invalid escape: `\\{}` needs {n} hex digits of a Unicode character",
                            c as char
                        ),
                        ))
                    }
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.err_at(
                    at,
                    "invalid escape sequence (use \\n, \\r, \\t, \\\\, \\\", \\uNNNN or \\UNNNNNNNN)"
                        .to_owned(),
                ));
            }
        })
    }

    /// At a newline followed by spaces and the heredoc's delimiter.
    fn at_heredoc_end(&self, delim: &[u8]) -> bool {
        let mut i = self.pos;
        match self.b.get(i) {
            Some(b'\n') => i += 1,
            Some(b'\r') if self.b.get(i + 1) == Some(&b'\n') => i += 2,
            _ => return false,
        }
        self.word_at(self.after_spaces(i), delim)
    }

    /// `${ expr }`
    fn interpolation(&mut self) -> PResult<Interpolation> {
        let start = self.pos;
        self.pos += 2;
        let strip_start = self.peek() == Some(b'~');
        if strip_start {
            self.pos += 1;
        }
        self.skip_ws();
        let expr = self.expr(true)?;
        self.skip_ws();
        let strip_end = self.peek() == Some(b'~');
        if strip_end {
            self.pos += 1;
        }
        self.expect(b'}', "`}` to close the interpolation")?;
        Ok(Interpolation {
            expr,
            strip: Strip::new(strip_start, strip_end),
            sp: Sp::new(start, self.pos),
        })
    }

    /// Where the keyword of the `%{` control sequence here starts (past
    /// `%{`, a `~` and whitespace).
    fn directive_keyword(&self) -> usize {
        let mut i = self.pos + 2;
        if self.b.get(i) == Some(&b'~') {
            i += 1;
        }
        while matches!(self.b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i.min(self.b.len())
    }

    /// At `%{ else }`, `%{ endif }` or `%{ endfor }` (possibly with `~`).
    fn at_closing_directive(&self) -> bool {
        let rest = &self.b[self.directive_keyword()..];
        rest.starts_with(b"else") || rest.starts_with(b"endif") || rest.starts_with(b"endfor")
    }

    /// `%{` [~] ws KEYWORD ... [~] `}`: opens a control sequence, returns
    /// the strip-start flag. The keyword is consumed.
    fn control_open(&mut self, kw: &[u8]) -> PResult<bool> {
        self.expect(b'%', "`%{`")?;
        self.expect(b'{', "`%{`")?;
        let strip = self.peek() == Some(b'~');
        if strip {
            self.pos += 1;
        }
        self.skip_ws();
        if !self.starts_with(kw) {
            let what = format!("`{}`", String::from_utf8_lossy(kw));
            return Err(self.unexpected(&what));
        }
        self.pos += kw.len();
        Ok(strip)
    }

    fn control_close(&mut self) -> PResult<bool> {
        self.skip_ws();
        let strip = self.peek() == Some(b'~');
        if strip {
            self.pos += 1;
        }
        self.expect(b'}', "`}` to close the template directive")?;
        Ok(strip)
    }

    fn directive(&mut self, end: TemplateEnd<'_>) -> PResult<Directive> {
        let start = self.pos;
        self.enter()?;
        let i = self.directive_keyword();
        let rest = &self.b[i..];
        let d = if rest.starts_with(b"if") {
            let s0 = self.control_open(b"if")?;
            self.skip_ws();
            let cond_expr = self.expr(false)?;
            let s1 = self.control_close()?;
            let template = self.template(end)?;
            let mut else_expr = None;
            if self.peek() == Some(b'%') && self.peek_at(1) == Some(b'{') {
                let save = self.pos;
                if let Ok(es0) = self.control_open(b"else") {
                    let es1 = self.control_close()?;
                    let template = self.template(end)?;
                    let _ = es0;
                    else_expr = Some(ElseTemplateExpr {
                        template,
                        strip: Strip::new(es0, es1),
                    });
                } else {
                    self.pos = save;
                }
            }
            let e0 = self.control_open(b"endif")?;
            let e1 = self.control_close()?;
            Directive::If(IfDirective {
                if_expr: IfTemplateExpr {
                    cond_expr,
                    template,
                    strip: Strip::new(s0, s1),
                },
                else_expr,
                endif_expr: EndifTemplateExpr {
                    strip: Strip::new(e0, e1),
                },
                sp: Sp::new(start, self.pos),
            })
        } else if rest.starts_with(b"for") {
            let s0 = self.control_open(b"for")?;
            self.skip_ws();
            let (key_var, value_var) = self.for_vars()?;
            if !self.starts_with(b"in") {
                return Err(self.unexpected("`in`"));
            }
            self.pos += 2;
            self.skip_ws();
            let collection_expr = self.expr(false)?;
            let s1 = self.control_close()?;
            let template = self.template(end)?;
            let e0 = self.control_open(b"endfor")?;
            let e1 = self.control_close()?;
            Directive::For(ForDirective {
                for_expr: ForTemplateExpr {
                    key_var,
                    value_var,
                    collection_expr,
                    template,
                    strip: Strip::new(s0, s1),
                },
                endfor_expr: EndforTemplateExpr {
                    strip: Strip::new(e0, e1),
                },
                sp: Sp::new(start, self.pos),
            })
        } else {
            self.pos = i;
            return Err(self.unexpected("`if` or `for` in the template directive"));
        };
        self.leave();
        Ok(d)
    }

    /// `<<EOT` / `<<-EOT` ... `EOT`
    fn heredoc(&mut self) -> PResult<Expression> {
        let start = self.pos;
        if !self.starts_with(b"<<") {
            return Err(self.unexpected("an expression"));
        }
        self.pos += 2;
        let indented = self.peek() == Some(b'-');
        if indented {
            self.pos += 1;
        }
        let Some((delim, _)) = self.ident_str() else {
            return Err(self.unexpected("the heredoc's delimiter name after `<<`"));
        };
        if !self.line_ending() {
            return Err(self.unexpected("a newline after the heredoc's delimiter"));
        }
        let d = delim.as_bytes();
        let mut template = if self.at_heredoc_start_is_end(d) {
            Template::default()
        } else {
            let mut t = self.template(TemplateEnd::Heredoc(d))?;
            // The newline before the closing delimiter belongs to the text.
            let nl_start = self.pos;
            if !self.line_ending() {
                return Err(self.err_at(
                    start,
                    format!("heredoc is not closed: no line holding only `{delim}`"),
                ));
            }
            let nl = &self.text[nl_start..self.pos];
            match t.elements.last_mut() {
                Some(Element::Literal(l)) if l.sp.end as usize == nl_start => {
                    l.value_mut().push_str(nl);
                    l.sp.end = self.pos as u32;
                }
                _ => t.elements.push(Element::Literal(Decorated::new(
                    nl.to_owned(),
                    Sp::new(nl_start, self.pos),
                ))),
            }
            t
        };
        self.pos = self.after_spaces(self.pos);
        if !self.at_keyword(d) {
            return Err(self.err_at(
                start,
                format!("heredoc is not closed: no line holding only `{delim}`"),
            ));
        }
        self.pos += d.len();
        let indent = if indented {
            dedent(&mut template)
        } else {
            None
        };
        Ok(Expression::HeredocTemplate(Box::new(HeredocTemplate {
            delimiter: Ident::new(delim),
            template,
            indent,
            sp: Sp::new(start, self.pos),
        })))
    }

    /// The heredoc is empty: its first line is already the delimiter.
    fn at_heredoc_start_is_end(&self, delim: &[u8]) -> bool {
        self.word_at(self.after_spaces(self.pos), delim)
    }
}

fn make_binary(lhs: Expression, op: Decorated<BinaryOperator>, rhs: Expression) -> Expression {
    let sp = Sp {
        start: lhs.sp().start,
        end: rhs.sp().end,
    };
    Expression::BinaryOp(Box::new(BinaryOp {
        lhs_expr: lhs,
        operator: op,
        rhs_expr: rhs,
        sp,
    }))
}

/// Keys that are the same when written as a name or a plain string.
fn same_key(a: &ObjectKey, b: &ObjectKey) -> bool {
    match (a, b) {
        (ObjectKey::Ident(x), ObjectKey::Ident(y)) => x.as_str() == y.as_str(),
        (
            ObjectKey::Expression(Expression::String(x)),
            ObjectKey::Expression(Expression::String(y)),
        ) => x.value() == y.value(),
        _ => false,
    }
}

/// `<<-`: remove the common leading whitespace of the lines that start with
/// literal text. Returns how much was removed.
fn dedent(t: &mut Template) -> Option<usize> {
    let mut indent: Option<usize> = None;
    let mut mid_line = false;
    for e in &t.elements {
        match e {
            Element::Literal(l) => {
                if let Some(n) = min_indent(l.value(), mid_line) {
                    indent = Some(indent.map_or(n, |i| i.min(n)));
                }
                mid_line = !l.value().ends_with('\n');
            }
            // An interpolation or directive at the start of a line: that
            // line has no indentation to remove.
            _ if !mid_line => return None,
            _ => {}
        }
    }
    let n = indent?;
    let mut mid_line = false;
    for e in &mut t.elements {
        match e {
            Element::Literal(l) => {
                let text = remove_indent(l.value(), n, mid_line);
                *l.value_mut() = text;
                mid_line = !l.value().ends_with('\n');
            }
            _ => mid_line = true,
        }
    }
    Some(n)
}

/// Smallest count of leading whitespace characters over the non-empty lines
/// (the first skipped when it continues a line); `None` when a line has none.
fn min_indent(s: &str, skip_first: bool) -> Option<usize> {
    let mut min: Option<usize> = None;
    for (i, line) in s.lines().enumerate() {
        if (i == 0 && skip_first) || line.is_empty() {
            continue;
        }
        let n = line.chars().take_while(|c| c.is_whitespace()).count();
        if n == 0 {
            return None;
        }
        min = Some(min.map_or(n, |m| m.min(n)));
    }
    min
}

fn remove_indent(s: &str, n: usize, skip_first: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i == 0 && skip_first {
            out.push_str(line);
        } else if !line.is_empty() {
            out.extend(line.chars().skip(n));
        }
        out.push('\n');
    }
    if !s.ends_with('\n') {
        out.pop();
    }
    out
}
