//! Terraform's JSON configuration syntax (`*.tf.json`).
//!
//! A JSON document is read into a small tree that keeps the byte span of
//! every value and property name, then mapped onto the same syntax tree the
//! native parser builds, following Terraform's rules for the JSON syntax:
//!
//! - the root object's properties are top-level block types, and each
//!   level of nested objects under one of them is a block label (`resource`
//!   takes two, `variable` one, `locals` none); an array at a level gives
//!   several blocks;
//! - inside a block body a property is a nested block when the block type
//!   has one by that name (for `sym_*` resources: the provider schema), else
//!   an argument; properties named `//` are comments;
//! - an argument's value is an expression: strings are string templates
//!   (`"${var.x}"` is the value of `var.x` itself), arrays are tuples,
//!   objects are objects;
//! - the exceptions Terraform lists: `depends_on`, `provider`, lifecycle's
//!   `ignore_changes` and the like hold references written as strings;
//!   `variable` bodies, `terraform` blocks and the `source`/`version` of a
//!   module are literal values, never templates.
//!
//! A string without escapes is parsed in place by the native parser. One
//! with escapes is decoded first (as Terraform does: `"${f(\"x\")}"` calls
//! `f` with `"x"`), parsed, and its spans mapped back onto the file, so
//! every span inside a template is exact either way.

use super::ast::{
    Array, Attribute, Block, BlockLabel, Body, Decorated, Directive, Element, Expression, Ident,
    Null, Number, Object, ObjectKey, ObjectValue, Sp, StringTemplate, Structure, Template,
    TraversalOperator,
};
use super::parser::{self, Error};
use crate::schema::{self, BodySchema, Kind as SchemaKind};

/// Deepest nesting of arrays and objects in a JSON file.
pub const MAX_JSON_DEPTH: usize = 128;

type PResult<T> = Result<T, Error>;

fn error(message: impl Into<String>, offset: usize) -> Error {
    Error::new(message.into(), offset)
}

// ------------------------------------------------------------------ JSON

/// A JSON value and the bytes it covers (quotes included for a string).
#[derive(Debug)]
struct JValue {
    kind: JKind,
    sp: Sp,
}

#[derive(Debug)]
enum JKind {
    Null,
    Bool(bool),
    Number(f64),
    String(JString),
    Array(Vec<JValue>),
    Object(Vec<Member>),
}

#[derive(Debug)]
struct JString {
    /// The decoded text.
    text: String,
    /// Empty when the string has no escape (its text is its raw bytes).
    /// Else, for the start and after each escape: the offset in `text` and
    /// the offset in the file where the same character is.
    map: Vec<(u32, u32)>,
}

impl JString {
    fn escaped(&self) -> bool {
        !self.map.is_empty()
    }

    /// The file offset of offset `at` of the decoded text.
    fn file_offset(&self, at: u32) -> u32 {
        let i = self.map.partition_point(|&(d, _)| d <= at);
        match i.checked_sub(1).and_then(|i| self.map.get(i)) {
            Some(&(d, f)) => f + (at - d),
            None => at,
        }
    }

    /// A span of the decoded text, as a span of the file.
    fn file_span(&self, sp: Sp) -> Sp {
        Sp {
            start: self.file_offset(sp.start),
            end: self.file_offset(sp.end),
        }
    }
}

#[derive(Debug)]
struct Member {
    key: JString,
    /// The name with its quotes.
    key_sp: Sp,
    value: JValue,
}

struct Reader<'t> {
    b: &'t [u8],
    pos: usize,
    depth: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn unexpected(&self, what: &str) -> Error {
        match self.peek() {
            None => error(format!("unexpected end of file, expected {what}"), self.pos),
            Some(c) if c.is_ascii_graphic() => error(
                format!("unexpected `{}`, expected {what}", char::from(c)),
                self.pos,
            ),
            Some(_) => error(format!("unexpected character, expected {what}"), self.pos),
        }
    }

    fn value(&mut self) -> PResult<JValue> {
        self.ws();
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => self.nested(Self::object)?,
            Some(b'[') => self.nested(Self::array)?,
            Some(b'"') => JKind::String(self.string()?),
            Some(b't') => self.word("true", JKind::Bool(true))?,
            Some(b'f') => self.word("false", JKind::Bool(false))?,
            Some(b'n') => self.word("null", JKind::Null)?,
            Some(b'-' | b'0'..=b'9') => JKind::Number(self.number()?),
            _ => return Err(self.unexpected("a JSON value")),
        };
        Ok(JValue {
            kind,
            sp: Sp::new(start, self.pos),
        })
    }

    fn nested(&mut self, f: fn(&mut Self) -> PResult<JKind>) -> PResult<JKind> {
        if self.depth >= MAX_JSON_DEPTH {
            return Err(error(
                format!("nested too deeply (more than {MAX_JSON_DEPTH} levels)"),
                self.pos,
            ));
        }
        self.depth += 1;
        let k = f(self);
        self.depth -= 1;
        k
    }

    fn word(&mut self, w: &str, kind: JKind) -> PResult<JKind> {
        if self.b[self.pos..].starts_with(w.as_bytes()) {
            self.pos += w.len();
            Ok(kind)
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    fn object(&mut self) -> PResult<JKind> {
        self.pos += 1;
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(JKind::Object(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a property name in double quotes"));
            }
            let start = self.pos;
            let key = self.string()?;
            let key_sp = Sp::new(start, self.pos);
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("`:` after the property name"));
            }
            self.pos += 1;
            let value = self.value()?;
            members.push(Member { key, key_sp, value });
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JKind::Object(members));
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    fn array(&mut self) -> PResult<JKind> {
        self.pos += 1;
        let mut values = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(JKind::Array(values));
        }
        loop {
            values.push(self.value()?);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JKind::Array(values));
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn number(&mut self) -> PResult<f64> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while r.peek().is_some_and(|c| c.is_ascii_digit()) {
                r.pos += 1;
            }
            r.pos > from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else if !digits(self) {
            return Err(self.unexpected("a digit"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.unexpected("a digit after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.unexpected("a digit in the exponent"));
            }
        }
        let text = std::str::from_utf8(&self.b[start..self.pos]).unwrap_or("");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(f),
            _ => Err(error(format!("the number {text} is out of range"), start)),
        }
    }

    fn hex4(&mut self) -> PResult<u32> {
        let Some(h) = self.b.get(self.pos..self.pos + 4) else {
            return Err(error("`\\u` needs four hex digits", self.pos));
        };
        let h = std::str::from_utf8(h).ok();
        match h.and_then(|h| u32::from_str_radix(h, 16).ok()) {
            Some(n) if h.is_some_and(|h| h.bytes().all(|c| c.is_ascii_hexdigit())) => {
                self.pos += 4;
                Ok(n)
            }
            _ => Err(error("`\\u` needs four hex digits", self.pos)),
        }
    }

    fn string(&mut self) -> PResult<JString> {
        let open = self.pos;
        self.pos += 1;
        let mut text = String::new();
        let mut map: Vec<(u32, u32)> = Vec::new();
        let mut run = self.pos;
        loop {
            let Some(c) = self.peek() else {
                return Err(error("this string is not closed", open));
            };
            match c {
                b'"' => {
                    text.push_str(self.slice(run, self.pos));
                    self.pos += 1;
                    return Ok(JString { text, map });
                }
                b'\\' => {
                    text.push_str(self.slice(run, self.pos));
                    if map.is_empty() {
                        map.push((0, (open + 1) as u32));
                    }
                    let at = self.pos;
                    self.pos += 1;
                    let e = self.peek();
                    self.pos += 1;
                    match e {
                        Some(b'"') => text.push('"'),
                        Some(b'\\') => text.push('\\'),
                        Some(b'n') => text.push('\n'),
                        Some(b'r') => text.push('\r'),
                        Some(b't') => text.push('\t'),
                        Some(b'/') => text.push('/'),
                        Some(b'b') => text.push('\u{8}'),
                        Some(b'f') => text.push('\u{c}'),
                        Some(b'u') => text.push(self.unicode()?),
                        _ => {
                            return Err(error(
                                "invalid escape in a JSON string (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)",
                                at,
                            ))
                        }
                    }
                    run = self.pos;
                    map.push((text.len() as u32, self.pos as u32));
                }
                0..=0x1f => {
                    return Err(error(
                        "a control character must be escaped in a JSON string",
                        self.pos,
                    ))
                }
                _ => self.pos += 1,
            }
        }
    }

    /// The character of a `\u` escape (the `\u` read), a surrogate pair
    /// joined; a lone surrogate is U+FFFD, as Go's decoder has it.
    fn unicode(&mut self) -> PResult<char> {
        let first = self.hex4()?;
        if !(0xD800..0xE000).contains(&first) {
            return Ok(char::from_u32(first).unwrap_or('\u{fffd}'));
        }
        if (0xD800..0xDC00).contains(&first) && self.b[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.pos = save;
        }
        Ok('\u{fffd}')
    }

    fn slice(&self, from: usize, to: usize) -> &str {
        // Both ends are at ASCII bytes (a quote, a backslash, the start).
        std::str::from_utf8(&self.b[from..to]).unwrap_or("")
    }
}

fn read_json(text: &str) -> PResult<JValue> {
    if u32::try_from(text.len()).is_err() {
        return Err(error("file is too large (more than 4 GiB)", 0));
    }
    let mut r = Reader {
        b: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let v = r.value()?;
    r.ws();
    if r.pos < r.b.len() {
        return Err(r.unexpected("the end of the file"));
    }
    Ok(v)
}

// -------------------------------------------------------------- mapping

/// Parse a `.tf.json` file into the syntax tree of the equivalent native
/// syntax.
///
/// # Errors
/// Text that is not JSON, or JSON that is not a Terraform configuration
/// (a root that is not an object, a block given as a string...).
pub fn parse_body(text: &str) -> PResult<Body> {
    let root = read_json(text)?;
    let JKind::Object(members) = &root.kind else {
        return Err(error(
            "a .tf.json file must hold one JSON object whose properties are block types (`resource`, `variable`, ...)",
            root.sp.start as usize,
        ));
    };
    let m = Mapper { text };
    m.body(members, Ctx::Root, root.sp)
}

/// What kind of body a JSON object stands for: it decides which properties
/// are nested blocks and how argument values are read.
#[derive(Clone, Copy)]
enum Ctx {
    Root,
    /// A `resource` or `data` block, with the schema of its type when it is
    /// a `sym_*` one.
    Resource(Option<&'static BodySchema>),
    /// A nested block of a resource (its schema when known).
    Nested(Option<&'static BodySchema>),
    /// `dynamic "NAME"`: the schema of the blocks it makes.
    Dynamic(Option<&'static BodySchema>),
    Lifecycle,
    Condition,
    Connection,
    Provisioner,
    Variable,
    Output,
    Module,
    Provider,
    Terraform,
    /// Settings read literally (`required_providers`, `backend`...).
    Literal,
    Cloud,
    Locals,
    Moved,
    Import,
    Removed,
    Check,
    /// Anything else: every property an argument.
    Generic,
}

/// How one property of a body is read.
enum Prop {
    Comment,
    /// An argument holding an expression.
    Expr,
    /// An argument holding a literal value (no templates).
    Literal,
    /// An argument holding a reference or keyword written as a string.
    Ref,
    /// An argument holding a list of references written as strings.
    Refs,
    /// `ignore_changes`: `"all"` or a list of references.
    RefOrRefs,
    /// A module's `providers`: an object of provider addresses.
    Providers,
    /// Nested blocks with this many labels, of this kind.
    Block(usize, Ctx),
}

struct Mapper<'t> {
    text: &'t str,
}

fn property(ctx: Ctx, name: &str) -> Prop {
    if name == "//" {
        return Prop::Comment;
    }
    match ctx {
        Ctx::Root => match name {
            "resource" | "data" | "ephemeral" => Prop::Block(2, Ctx::Resource(None)),
            "variable" => Prop::Block(1, Ctx::Variable),
            "output" => Prop::Block(1, Ctx::Output),
            "module" => Prop::Block(1, Ctx::Module),
            "provider" => Prop::Block(1, Ctx::Provider),
            "check" => Prop::Block(1, Ctx::Check),
            "locals" => Prop::Block(0, Ctx::Locals),
            "terraform" => Prop::Block(0, Ctx::Terraform),
            "moved" => Prop::Block(0, Ctx::Moved),
            "import" => Prop::Block(0, Ctx::Import),
            "removed" => Prop::Block(0, Ctx::Removed),
            _ => Prop::Block(0, Ctx::Generic),
        },
        Ctx::Resource(schema) => match name {
            "count" | "for_each" => Prop::Expr,
            "depends_on" => Prop::Refs,
            "provider" => Prop::Ref,
            "lifecycle" => Prop::Block(0, Ctx::Lifecycle),
            "connection" => Prop::Block(0, Ctx::Connection),
            "provisioner" => Prop::Block(1, Ctx::Provisioner),
            _ => nested_or_expr(schema, name),
        },
        Ctx::Nested(schema) => nested_or_expr(schema, name),
        Ctx::Dynamic(schema) => match name {
            "iterator" => Prop::Ref,
            "content" => Prop::Block(0, Ctx::Nested(schema)),
            _ => Prop::Expr,
        },
        Ctx::Lifecycle => match name {
            "ignore_changes" => Prop::RefOrRefs,
            "replace_triggered_by" => Prop::Refs,
            "precondition" | "postcondition" => Prop::Block(0, Ctx::Condition),
            _ => Prop::Expr,
        },
        Ctx::Connection => Prop::Expr,
        Ctx::Provisioner => match name {
            "connection" => Prop::Block(0, Ctx::Connection),
            "when" | "on_failure" => Prop::Ref,
            _ => Prop::Expr,
        },
        Ctx::Variable => match name {
            "type" => Prop::Ref,
            "validation" => Prop::Block(0, Ctx::Condition),
            _ => Prop::Literal,
        },
        Ctx::Output => match name {
            "description" | "sensitive" | "ephemeral" => Prop::Literal,
            "depends_on" => Prop::Refs,
            "precondition" => Prop::Block(0, Ctx::Condition),
            _ => Prop::Expr,
        },
        Ctx::Module => match name {
            "source" | "version" => Prop::Literal,
            "providers" => Prop::Providers,
            "depends_on" => Prop::Refs,
            _ => Prop::Expr,
        },
        Ctx::Provider => match name {
            "alias" | "version" => Prop::Literal,
            _ => Prop::Expr,
        },
        Ctx::Terraform => match name {
            "required_providers" => Prop::Block(0, Ctx::Literal),
            "backend" | "provider_meta" => Prop::Block(1, Ctx::Literal),
            "cloud" => Prop::Block(0, Ctx::Cloud),
            "experiments" => Prop::Refs,
            _ => Prop::Literal,
        },
        Ctx::Cloud => match name {
            "workspaces" => Prop::Block(0, Ctx::Literal),
            _ => Prop::Literal,
        },
        Ctx::Literal => Prop::Literal,
        Ctx::Moved => match name {
            "from" | "to" => Prop::Ref,
            _ => Prop::Expr,
        },
        Ctx::Import => match name {
            "to" | "provider" => Prop::Ref,
            _ => Prop::Expr,
        },
        Ctx::Removed => match name {
            "from" => Prop::Ref,
            "lifecycle" => Prop::Block(0, Ctx::Lifecycle),
            "connection" => Prop::Block(0, Ctx::Connection),
            "provisioner" => Prop::Block(1, Ctx::Provisioner),
            _ => Prop::Expr,
        },
        Ctx::Check => match name {
            "data" => Prop::Block(2, Ctx::Resource(None)),
            "assert" => Prop::Block(0, Ctx::Condition),
            _ => Prop::Expr,
        },
        Ctx::Condition | Ctx::Locals | Ctx::Generic => Prop::Expr,
    }
}

/// A nested block of `schema` by this name, else an argument.
fn nested_or_expr(schema: Option<&'static BodySchema>, name: &str) -> Prop {
    if name == "dynamic" {
        return Prop::Block(1, Ctx::Dynamic(None));
    }
    match schema.and_then(|s| s.block(name)) {
        Some(b) => Prop::Block(0, Ctx::Nested(Some(b.body))),
        None => Prop::Expr,
    }
}

/// The body kind of a block once its labels are known: a resource's schema
/// comes from its type label, a dynamic block's from its name.
fn with_labels(ctx: Ctx, block_type: &str, parent: Ctx, labels: &[String]) -> Ctx {
    match ctx {
        Ctx::Resource(_) => {
            let kind = if block_type == "data" {
                SchemaKind::DataSource
            } else {
                SchemaKind::Resource
            };
            let schema = labels
                .first()
                .and_then(|t| schema::lookup(kind, t))
                .map(|s| s.body);
            Ctx::Resource(schema)
        }
        Ctx::Dynamic(_) => {
            let outer = match parent {
                Ctx::Resource(s) | Ctx::Nested(s) => s,
                _ => None,
            };
            let inner = outer
                .zip(labels.first())
                .and_then(|(s, name)| s.block(name))
                .map(|b| b.body);
            Ctx::Dynamic(inner)
        }
        other => other,
    }
}

impl Mapper<'_> {
    fn body(&self, members: &[Member], ctx: Ctx, sp: Sp) -> PResult<Body> {
        let mut structures = Vec::with_capacity(members.len());
        let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        for m in members {
            let name = m.key.text.as_str();
            match property(ctx, name) {
                Prop::Comment => {}
                Prop::Block(n, inner) => {
                    let ident = Decorated::new(Ident::new(name), m.key_sp);
                    self.blocks(
                        &ident,
                        &m.value,
                        (n, false),
                        inner,
                        ctx,
                        &mut Vec::new(),
                        &mut structures,
                    )?;
                }
                prop => {
                    if !seen.insert(name) {
                        return Err(error(
                            format!("the argument `{name}` is set twice in this object"),
                            m.key_sp.start as usize,
                        ));
                    }
                    let value = match prop {
                        Prop::Literal => Self::literal(&m.value),
                        Prop::Ref => self.reference(&m.value)?,
                        Prop::Refs => self.references(&m.value)?,
                        Prop::RefOrRefs => match &m.value.kind {
                            JKind::String(_) => self.reference(&m.value)?,
                            _ => self.references(&m.value)?,
                        },
                        Prop::Providers => self.providers(&m.value)?,
                        _ => self.expr(&m.value)?,
                    };
                    structures.push(Structure::Attribute(Attribute {
                        key: Decorated::new(Ident::new(name), m.key_sp),
                        value,
                        sp: Sp::new(m.key_sp.start as usize, m.value.sp.end as usize),
                    }));
                }
            }
        }
        Ok(Body { structures, sp })
    }

    /// The blocks of type `ident` given by `value`, which still needs `n`
    /// labels: an object per label level (its property names are the
    /// labels), or an array of such objects; after the labels, an object
    /// (or an array of objects) per block body, `null` for none. `in_array`:
    /// `value` is an item of an array (its block starts there).
    #[allow(clippy::too_many_arguments)]
    fn blocks(
        &self,
        ident: &Decorated<Ident>,
        value: &JValue,
        (n, in_array): (usize, bool),
        ctx: Ctx,
        parent: Ctx,
        labels: &mut Vec<(String, Sp)>,
        out: &mut Vec<Structure>,
    ) -> PResult<()> {
        match &value.kind {
            JKind::Null => Ok(()),
            JKind::Array(items) => {
                for item in items {
                    if !matches!(item.kind, JKind::Object(_) | JKind::Null) {
                        return Err(Self::not_a_block(ident, item, n));
                    }
                    self.blocks(ident, item, (n, true), ctx, parent, labels, out)?;
                }
                Ok(())
            }
            JKind::Object(members) if n == 0 => {
                let names: Vec<String> = labels.iter().map(|(l, _)| l.clone()).collect();
                let inner = with_labels(ctx, ident.as_str(), parent, &names);
                let body = self.body(members, inner, value.sp)?;
                // From the last label (`"name": {...}`), or the array item:
                // blocks that share their type's object do not overlap.
                let start = if in_array {
                    value.sp.start
                } else {
                    labels.last().map_or(ident.sp.start, |(_, sp)| sp.start)
                };
                out.push(Structure::Block(Block {
                    ident: ident.clone(),
                    labels: labels
                        .iter()
                        .map(|(l, sp)| BlockLabel::String(Decorated::new(l.clone(), *sp)))
                        .collect(),
                    body,
                    sp: Sp::new(start as usize, value.sp.end as usize),
                }));
                Ok(())
            }
            JKind::Object(members) if members.is_empty() => Err(error(
                format!(
                    "`{}` needs {n} more label{}: expected a property named after it",
                    ident.as_str(),
                    if n == 1 { "" } else { "s" }
                ),
                value.sp.start as usize,
            )),
            JKind::Object(members) => {
                for m in members {
                    labels.push((m.key.text.clone(), m.key_sp));
                    let r = self.blocks(ident, &m.value, (n - 1, false), ctx, parent, labels, out);
                    labels.pop();
                    r?;
                }
                Ok(())
            }
            _ => Err(Self::not_a_block(ident, value, n)),
        }
    }

    fn not_a_block(ident: &Decorated<Ident>, value: &JValue, n: usize) -> Error {
        let what = if n == 0 {
            format!(
                "`{}` is a block: its body must be a JSON object",
                ident.as_str()
            )
        } else {
            format!(
                "`{}` is a block with {n} more label{}: expected a JSON object whose property names are the labels",
                ident.as_str(),
                if n == 1 { "" } else { "s" }
            )
        };
        error(what, value.sp.start as usize)
    }

    /// A JSON value read as an expression.
    fn expr(&self, v: &JValue) -> PResult<Expression> {
        Ok(match &v.kind {
            JKind::Null => Expression::Null(Decorated::new(Null, v.sp)),
            JKind::Bool(b) => Expression::Bool(Decorated::new(*b, v.sp)),
            JKind::Number(f) => Expression::Number(Decorated::new(Number::new(*f), v.sp)),
            JKind::String(s) => self.template(s, v.sp)?,
            JKind::Array(items) => Expression::Array(Array {
                values: items.iter().map(|i| self.expr(i)).collect::<PResult<_>>()?,
                sp: v.sp,
            }),
            JKind::Object(members) => Expression::Object(Object {
                items: members
                    .iter()
                    .map(|m| {
                        let key = self.template(&m.key, m.key_sp)?;
                        Ok((
                            ObjectKey::Expression(key),
                            ObjectValue {
                                expr: self.expr(&m.value)?,
                            },
                        ))
                    })
                    .collect::<PResult<_>>()?,
                sp: v.sp,
            }),
        })
    }

    /// A JSON value read literally: strings are never templates.
    fn literal(v: &JValue) -> Expression {
        match &v.kind {
            JKind::String(s) => Expression::String(Decorated::new(s.text.clone(), v.sp)),
            JKind::Array(items) => Expression::Array(Array {
                values: items.iter().map(Self::literal).collect(),
                sp: v.sp,
            }),
            JKind::Object(members) => Expression::Object(Object {
                items: members
                    .iter()
                    .map(|m| {
                        (
                            ObjectKey::Expression(Expression::String(Decorated::new(
                                m.key.text.clone(),
                                m.key_sp,
                            ))),
                            ObjectValue {
                                expr: Self::literal(&m.value),
                            },
                        )
                    })
                    .collect(),
                sp: v.sp,
            }),
            JKind::Null => Expression::Null(Decorated::new(Null, v.sp)),
            JKind::Bool(b) => Expression::Bool(Decorated::new(*b, v.sp)),
            JKind::Number(f) => Expression::Number(Decorated::new(Number::new(*f), v.sp)),
        }
    }

    /// A string read as a string template.
    fn template(&self, s: &JString, sp: Sp) -> PResult<Expression> {
        let t = &s.text;
        if !t.contains("${") && !t.contains("%{") {
            return Ok(Expression::String(Decorated::new(t.clone(), sp)));
        }
        if !s.escaped() {
            // Only the string itself: a `"` or `/*` inside `${...}` must not
            // reach into the next JSON value (Terraform parses each string
            // on its own).
            let own = self.text.get(..sp.end as usize).unwrap_or(self.text);
            return parser::parse_quoted_at(own, sp.start as usize);
        }
        let mut template = parser::parse_template(t).map_err(|e| at_decoded(&e, s))?;
        respan_template(&mut template, &|x| s.file_span(x));
        let only_text = template
            .elements
            .iter()
            .all(|e| matches!(e, Element::Literal(_)));
        if only_text {
            // `$${` alone: a plain string after all.
            let text: String = template
                .elements
                .iter()
                .filter_map(|e| match e {
                    Element::Literal(l) => Some(l.value().as_str()),
                    _ => None,
                })
                .collect();
            return Ok(Expression::String(Decorated::new(text, sp)));
        }
        Ok(Expression::StringTemplate(StringTemplate { template, sp }))
    }

    /// A string holding a reference or keyword (`"aws.west"`,
    /// `"sym_flow.x"`, `"list(string)"`); another value as an expression.
    fn reference(&self, v: &JValue) -> PResult<Expression> {
        let JKind::String(s) = &v.kind else {
            return self.expr(v);
        };
        let (start, end) = (v.sp.start as usize + 1, v.sp.end as usize - 1);
        if !s.escaped() {
            return parser::parse_expr_in(self.text, start, end);
        }
        let mut e = parser::parse_expr(&s.text).map_err(|e| at_decoded(&e, s))?;
        respan_expr(&mut e, &|x| s.file_span(x));
        Ok(e)
    }

    /// An array of references written as strings.
    fn references(&self, v: &JValue) -> PResult<Expression> {
        let JKind::Array(items) = &v.kind else {
            return self.expr(v);
        };
        Ok(Expression::Array(Array {
            values: items
                .iter()
                .map(|i| self.reference(i))
                .collect::<PResult<_>>()?,
            sp: v.sp,
        }))
    }

    /// `"providers": {"aws": "aws.west"}`: both sides are provider
    /// addresses.
    fn providers(&self, v: &JValue) -> PResult<Expression> {
        let JKind::Object(members) = &v.kind else {
            return self.expr(v);
        };
        let mut items = Vec::with_capacity(members.len());
        for m in members {
            let key_value = JValue {
                kind: JKind::String(JString {
                    text: m.key.text.clone(),
                    map: m.key.map.clone(),
                }),
                sp: m.key_sp,
            };
            items.push((
                ObjectKey::Expression(self.reference(&key_value)?),
                ObjectValue {
                    expr: self.reference(&m.value)?,
                },
            ));
        }
        Ok(Expression::Object(Object { items, sp: v.sp }))
    }
}

/// An error inside a decoded string, placed where it is in the file.
fn at_decoded(e: &Error, s: &JString) -> Error {
    let at = u32::try_from(e.offset()).unwrap_or(u32::MAX);
    error(e.message().to_owned(), s.file_offset(at) as usize)
}

// ------------------------------------------------------------ respanning

/// A span of a decoded string's text, as a span of the file.
type SpanMap<'a> = &'a dyn Fn(Sp) -> Sp;

/// Map every span inside `e` onto the file: what is parsed from a decoded
/// string has spans in the decoded text.
fn respan_expr(e: &mut Expression, f: SpanMap<'_>) {
    match e {
        Expression::Null(d) => d.sp = f(d.sp),
        Expression::Bool(d) => d.sp = f(d.sp),
        Expression::Number(d) => d.sp = f(d.sp),
        Expression::String(d) => d.sp = f(d.sp),
        Expression::Variable(d) => d.sp = f(d.sp),
        Expression::Array(a) => {
            a.sp = f(a.sp);
            for v in &mut a.values {
                respan_expr(v, f);
            }
        }
        Expression::Object(o) => {
            o.sp = f(o.sp);
            for (k, v) in &mut o.items {
                match k {
                    ObjectKey::Ident(i) => i.sp = f(i.sp),
                    ObjectKey::Expression(x) => respan_expr(x, f),
                }
                respan_expr(&mut v.expr, f);
            }
        }
        Expression::StringTemplate(t) => {
            t.sp = f(t.sp);
            respan_template(&mut t.template, f);
        }
        Expression::HeredocTemplate(h) => {
            h.sp = f(h.sp);
            respan_template(&mut h.template, f);
        }
        Expression::Parenthesis(p) => {
            p.sp = f(p.sp);
            respan_expr(&mut p.inner, f);
        }
        Expression::Conditional(c) => {
            c.sp = f(c.sp);
            respan_expr(&mut c.cond_expr, f);
            respan_expr(&mut c.true_expr, f);
            respan_expr(&mut c.false_expr, f);
        }
        Expression::FuncCall(c) => {
            c.sp = f(c.sp);
            for n in &mut c.name.namespace {
                n.sp = f(n.sp);
            }
            c.name.name.sp = f(c.name.name.sp);
            for a in &mut c.args.args {
                respan_expr(a, f);
            }
        }
        Expression::Traversal(t) => {
            t.sp = f(t.sp);
            respan_expr(&mut t.expr, f);
            for op in &mut t.operators {
                op.sp = f(op.sp);
                match op.value_mut() {
                    TraversalOperator::AttrSplat(d) | TraversalOperator::FullSplat(d) => {
                        d.sp = f(d.sp);
                    }
                    TraversalOperator::GetAttr(d) => d.sp = f(d.sp),
                    TraversalOperator::Index(x) => respan_expr(x, f),
                    TraversalOperator::LegacyIndex(d) => d.sp = f(d.sp),
                }
            }
        }
        Expression::UnaryOp(u) => {
            u.sp = f(u.sp);
            u.operator.sp = f(u.operator.sp);
            respan_expr(&mut u.expr, f);
        }
        Expression::BinaryOp(b) => {
            b.sp = f(b.sp);
            b.operator.sp = f(b.operator.sp);
            respan_expr(&mut b.lhs_expr, f);
            respan_expr(&mut b.rhs_expr, f);
        }
        Expression::ForExpr(x) => {
            x.sp = f(x.sp);
            if let Some(k) = &mut x.intro.key_var {
                k.sp = f(k.sp);
            }
            x.intro.value_var.sp = f(x.intro.value_var.sp);
            respan_expr(&mut x.intro.collection_expr, f);
            if let Some(k) = &mut x.key_expr {
                respan_expr(k, f);
            }
            respan_expr(&mut x.value_expr, f);
            if let Some(c) = &mut x.cond {
                respan_expr(&mut c.expr, f);
            }
        }
    }
}

fn respan_template(t: &mut Template, f: SpanMap<'_>) {
    for el in &mut t.elements {
        match el {
            Element::Literal(l) => l.sp = f(l.sp),
            Element::Interpolation(i) => {
                i.sp = f(i.sp);
                respan_expr(&mut i.expr, f);
            }
            Element::Directive(d) => match &mut **d {
                Directive::If(i) => {
                    i.sp = f(i.sp);
                    respan_expr(&mut i.if_expr.cond_expr, f);
                    respan_template(&mut i.if_expr.template, f);
                    if let Some(e) = &mut i.else_expr {
                        respan_template(&mut e.template, f);
                    }
                }
                Directive::For(x) => {
                    x.sp = f(x.sp);
                    if let Some(k) = &mut x.for_expr.key_var {
                        k.sp = f(k.sp);
                    }
                    x.for_expr.value_var.sp = f(x.for_expr.value_var.sp);
                    respan_expr(&mut x.for_expr.collection_expr, f);
                    respan_template(&mut x.for_expr.template, f);
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::{Expression, Span as _, Structure};
    use super::parse_body;

    /// The message and offset of the error `text` gives.
    fn fails(text: &str) -> (String, usize) {
        match parse_body(text) {
            Ok(b) => panic!("{text} parsed: {b:?}"),
            Err(e) => (e.message().to_owned(), e.offset()),
        }
    }

    fn attr<'b>(body: &'b super::Body, key: &str) -> &'b Expression {
        &body.get_attribute(key).expect(key).value
    }

    #[test]
    fn json_errors_say_what_and_where() {
        let cases: &[(&str, &str, usize)] = &[
            ("{\"locals\": {\"a\": 1,}}", "expected a property name", 19),
            (
                "{\"locals\": {\"a\": \"x}}",
                "this string is not closed",
                17,
            ),
            ("{\"locals\": {\"a\": \"\\x\"}}", "invalid escape", 18),
            ("{\"locals\": {\"a\": \"a\tb\"}}", "control character", 19),
            ("[1]", "must hold one JSON object", 0),
            (
                "{\"resource\": \"x\"}",
                "`resource` is a block with 2 more labels",
                13,
            ),
            (
                "{\"variable\": {\"x\": 1}}",
                "`variable` is a block: its body",
                19,
            ),
            ("{\"locals\": {\"a\": 1, \"a\": 2}}", "`a` is set twice", 20),
            ("{\"locals\": {\"a\": 1e999}}", "out of range", 17),
            ("{\"locals\": {\"a\": -}}", "expected a digit", 18),
            ("{\"locals\": {\"a\": tru}}", "expected a JSON value", 17),
            ("{} x", "expected the end of the file", 3),
            ("{\"locals\": {\"a\": \"${1 +}\"}}", "", 23),
            ("{\"locals\": {\"a\": \"\\u00e9 ${1 +}\"}}", "", 30),
            // A string is parsed on its own: a `"` or a comment inside
            // `${` cannot reach into the next value.
            ("{\"locals\": {\"a\": [\"${[\", \"]}\"]}}", "", 23),
            (
                "{\"locals\": {\"a\": \"${var.n /*\", \"b\": \"*/}\"}}",
                "",
                26,
            ),
            ("{\"resource\": {}}", "`resource` needs 2 more labels", 13),
            (
                "{\"variable\": {\"//\": \"x\"}}",
                "`variable` is a block: its body",
                20,
            ),
        ];
        for (text, message, offset) in cases {
            let (m, o) = fails(text);
            assert!(m.contains(message), "{text}: {m}");
            assert_eq!(o, *offset, "{text}: {m}");
        }
    }

    #[test]
    fn comments_null_bodies_and_array_items() {
        let text = r#"{
          "terraform": {"required_providers": {"//": "a", "//": "b", "sym": {"source": "symopsio/sym"}}},
          "resource": {"sym_flow": {"f": {"name": "f", "lifecycle": null}}},
          "locals": [{"a": 1}, {"b": 2}]
        }"#;
        let body = parse_body(text).expect("parses");
        let blocks: Vec<_> = body.blocks().collect();
        let rp = blocks[0].body.blocks().next().expect("required_providers");
        let keys: Vec<&str> = rp.body.attributes().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, ["sym"]);
        assert_eq!(
            blocks[1].body.blocks().count(),
            0,
            "a null body is no block"
        );
        // Each array item is its own block: the spans do not overlap.
        let (a, b) = (blocks[2].sp.range(), blocks[3].sp.range());
        assert!(a.end <= b.start, "{a:?} {b:?}");
        assert_eq!(&text[a], r#"{"a": 1}"#);
    }

    #[test]
    fn nesting_deeper_than_the_cap_is_an_error_not_a_crash() {
        let deep = format!(
            "{{\"locals\": {{\"a\": {}{}}}}}",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        let (m, _) = fails(&deep);
        assert!(m.contains("nested too deeply"), "{m}");
        let ok = format!(
            "{{\"locals\": {{\"a\": {}{}}}}}",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(parse_body(&ok).is_ok());
    }

    #[test]
    fn blocks_take_one_object_level_per_label_and_arrays_repeat_them() {
        let text = r#"{
          "//": "generated",
          "provider": {"aws": [{"region": "us-east-1"}, {"alias": "west", "region": "us-west-1"}]},
          "resource": {"sym_flow": {"a": {"name": "a"}, "b": {"name": "b"}}},
          "data": [{"sym_integration": {"s": {"type": "slack", "name": "s"}}}]
        }"#;
        let body = parse_body(text).expect("parses");
        let blocks: Vec<String> = body
            .blocks()
            .map(|b| {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                format!("{} {}", b.ident.as_str(), labels.join(" "))
            })
            .collect();
        assert_eq!(
            blocks,
            [
                "provider aws",
                "provider aws",
                "resource sym_flow a",
                "resource sym_flow b",
                "data sym_integration s"
            ]
        );
        // A block starts at its last label, as `name_span`s do in HCL.
        let b = body.blocks().nth(2).expect("block");
        assert_eq!(&text[b.sp.range()][..3], "\"a\"");
        assert_eq!(&text[b.labels[1].span().expect("span")], "\"a\"");
    }

    #[test]
    fn sym_schema_blocks_are_blocks_and_other_objects_are_values() {
        let text = r#"{"resource": {"sym_flow": {"f": {
            "vars": {"request_channel": "x"},
            "params": {"prompt_field": [{"name": "a"}, {"name": "b"}]}
        }}, "aws_iam_role": {"r": {"inline_policy": {"name": "p"}}}}}"#;
        let body = parse_body(text).expect("parses");
        let mut blocks = body.blocks();
        let flow = blocks.next().expect("flow");
        assert!(matches!(attr(&flow.body, "vars"), Expression::Object(_)));
        let params: Vec<_> = flow.body.get_blocks("params").collect();
        assert_eq!(params.len(), 1);
        assert_eq!(params[0].body.get_blocks("prompt_field").count(), 2);
        // Not a Sym type: no schema, so an object is an argument's value.
        let role = blocks.next().expect("role");
        assert!(matches!(
            attr(&role.body, "inline_policy"),
            Expression::Object(_)
        ));
    }

    #[test]
    fn strings_are_templates_except_where_terraform_reads_them_literally() {
        let text = r#"{
          "variable": {"v": {"type": "list(string)", "default": ["${x}"], "description": "${y}"}},
          "module": {"m": {"source": "./m${1}", "providers": {"aws": "aws.west"}}},
          "terraform": {"required_version": "${z}"},
          "resource": {"sym_flow": {"f": {
            "name": "${var.a}",
            "label": "x ${var.a}",
            "dollar": "$${var.a}",
            "escaped": "\u00e9\/$${var.a}",
            "depends_on": ["sym_environment.e"],
            "provider": "sym.other",
            "lifecycle": {"ignore_changes": "all"}
          }}}
        }"#;
        let body = parse_body(text).expect("parses");
        let blocks: Vec<_> = body.blocks().collect();
        let var = &blocks[0].body;
        assert!(matches!(attr(var, "type"), Expression::FuncCall(_)));
        let Expression::Array(default) = attr(var, "default") else {
            panic!("default")
        };
        assert!(matches!(default.get(0), Some(Expression::String(s)) if s.as_str() == "${x}"));
        assert!(matches!(attr(var, "description"), Expression::String(s) if s.as_str() == "${y}"));
        let module = &blocks[1].body;
        assert!(matches!(attr(module, "source"), Expression::String(s) if s.as_str() == "./m${1}"));
        let Expression::Object(providers) = attr(module, "providers") else {
            panic!("providers")
        };
        let (key, value) = providers.iter().next().expect("one");
        assert!(matches!(
            key,
            super::ObjectKey::Expression(Expression::Variable(_))
        ));
        assert!(matches!(value.expr(), Expression::Traversal(_)));
        let tf = &blocks[2].body;
        assert!(matches!(
            attr(tf, "required_version"),
            Expression::String(_)
        ));
        let flow = &blocks[3].body;
        assert!(matches!(attr(flow, "name"), Expression::StringTemplate(_)));
        assert!(matches!(
            attr(flow, "name").interpolated(),
            Expression::Traversal(_)
        ));
        assert!(matches!(attr(flow, "label"), Expression::StringTemplate(_)));
        assert!(matches!(attr(flow, "dollar"), Expression::String(s) if s.as_str() == "${var.a}"));
        assert!(
            matches!(attr(flow, "escaped"), Expression::String(s) if s.as_str() == "é/${var.a}")
        );
        let Expression::Array(deps) = attr(flow, "depends_on") else {
            panic!("depends_on")
        };
        assert!(matches!(deps.get(0), Some(Expression::Traversal(_))));
        assert!(matches!(attr(flow, "provider"), Expression::Traversal(_)));
        let lc = flow.get_blocks("lifecycle").next().expect("lifecycle");
        assert!(
            matches!(attr(&lc.body, "ignore_changes"), Expression::Variable(v) if v.as_str() == "all")
        );
        assert!(!flow
            .iter()
            .any(|s| matches!(s, Structure::Attribute(a) if a.key.as_str() == "//")));
    }

    #[test]
    fn surrogate_pairs_join_and_lone_ones_become_replacement_characters() {
        let text = r#"{"locals": {"a": "\ud83d\ude00", "b": "\ud83d!", "c": "\ude00"}}"#;
        let body = parse_body(text).expect("parses");
        let locals = body.blocks().next().expect("locals");
        for (k, want) in [("a", "\u{1f600}"), ("b", "\u{fffd}!"), ("c", "\u{fffd}")] {
            assert!(
                matches!(attr(&locals.body, k), Expression::String(s) if s.as_str() == want),
                "{k}"
            );
        }
    }
}
