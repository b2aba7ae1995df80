//! The syntax tree produced by [`super::parser`].
//!
//! Its shape follows hcl-edit's (same type and variant names, the same
//! accessors the module loader uses), so that code written against one reads
//! the same against the other, but it keeps only what the loader needs: node
//! kinds, decoded values and byte spans. No whitespace, comments or original
//! formatting are kept, which is what makes it cheap to build.

use std::ops::{Deref, Range};

/// A byte range in the parsed text, stored compactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sp {
    pub start: u32,
    pub end: u32,
}

impl Sp {
    #[must_use]
    pub fn new(start: usize, end: usize) -> Sp {
        // The parser refuses texts longer than `u32::MAX` bytes.
        Sp {
            start: start as u32,
            end: end as u32,
        }
    }

    #[must_use]
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Nodes that know where they are in the text. Always `Some` for trees
/// built by the parser; the `Option` mirrors hcl-edit's trait.
pub trait Span {
    fn span(&self) -> Option<Range<usize>>;
}

/// A value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Decorated<T> {
    value: T,
    pub(crate) sp: Sp,
}

/// The same thing under hcl-edit's other name for it.
pub type Spanned<T> = Decorated<T>;

impl<T> Decorated<T> {
    #[must_use]
    pub fn new(value: T, sp: Sp) -> Self {
        Decorated { value, sp }
    }

    #[must_use]
    pub fn value(&self) -> &T {
        &self.value
    }

    #[must_use]
    pub fn into_value(self) -> T {
        self.value
    }

    pub(crate) fn value_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T> Deref for Decorated<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> Span for Decorated<T> {
    fn span(&self) -> Option<Range<usize>> {
        Some(self.sp.range())
    }
}

/// An identifier (`sym_flow`, `each`, `count-index`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident(Box<str>);

impl Ident {
    #[must_use]
    pub fn new(s: &str) -> Ident {
        Ident(s.into())
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Ident {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Null;

/// A number literal, decoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number(f64);

impl Number {
    #[must_use]
    pub fn new(f: f64) -> Number {
        Number(f)
    }

    /// Always `Some`: literals are finite.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        Some(self.0)
    }

    /// The value as an unsigned integer, when it is one.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        (self.0 >= 0.0 && self.0.fract() == 0.0 && self.0 <= u64::MAX as f64)
            .then_some(self.0 as u64)
    }
}

// ---------------------------------------------------------------- structure

/// A sequence of attributes and blocks: a file, or a block's contents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub(crate) structures: Vec<Structure>,
    pub(crate) sp: Sp,
}

impl Body {
    pub fn iter(&self) -> std::slice::Iter<'_, Structure> {
        self.structures.iter()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.structures.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.structures.is_empty()
    }

    /// The attribute named `key` (attribute keys are unique in a body).
    #[must_use]
    pub fn get_attribute(&self, key: &str) -> Option<&Attribute> {
        self.attributes().find(|a| a.key.as_str() == key)
    }

    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.structures.iter().filter_map(Structure::as_attribute)
    }

    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.structures.iter().filter_map(Structure::as_block)
    }

    /// The blocks of one type (`params`, `required_providers`...).
    pub fn get_blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks().filter(move |b| b.ident.as_str() == ident)
    }

    #[must_use]
    pub fn has_attribute(&self, key: &str) -> bool {
        self.get_attribute(key).is_some()
    }
}

impl<'a> IntoIterator for &'a Body {
    type Item = &'a Structure;
    type IntoIter = std::slice::Iter<'a, Structure>;
    fn into_iter(self) -> Self::IntoIter {
        self.structures.iter()
    }
}

impl Span for Body {
    fn span(&self) -> Option<Range<usize>> {
        Some(self.sp.range())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Structure {
    Attribute(Attribute),
    Block(Block),
}

impl Structure {
    #[must_use]
    pub fn as_attribute(&self) -> Option<&Attribute> {
        match self {
            Structure::Attribute(a) => Some(a),
            Structure::Block(_) => None,
        }
    }

    #[must_use]
    pub fn as_block(&self) -> Option<&Block> {
        match self {
            Structure::Block(b) => Some(b),
            Structure::Attribute(_) => None,
        }
    }
}

impl Span for Structure {
    fn span(&self) -> Option<Range<usize>> {
        match self {
            Structure::Attribute(a) => a.span(),
            Structure::Block(b) => b.span(),
        }
    }
}

/// `key = value`
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: Decorated<Ident>,
    pub value: Expression,
    pub(crate) sp: Sp,
}

impl Span for Attribute {
    fn span(&self) -> Option<Range<usize>> {
        Some(self.sp.range())
    }
}

/// `ident "label" label { body }`
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub ident: Decorated<Ident>,
    pub labels: Vec<BlockLabel>,
    pub body: Body,
    pub(crate) sp: Sp,
}

impl Span for Block {
    fn span(&self) -> Option<Range<usize>> {
        Some(self.sp.range())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockLabel {
    String(Decorated<String>),
    Ident(Decorated<Ident>),
}

impl BlockLabel {
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            BlockLabel::String(s) => s.as_str(),
            BlockLabel::Ident(i) => i.as_str(),
        }
    }
}

impl Span for BlockLabel {
    fn span(&self) -> Option<Range<usize>> {
        match self {
            BlockLabel::String(s) => s.span(),
            BlockLabel::Ident(i) => i.span(),
        }
    }
}

// --------------------------------------------------------------- expression

#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    Null(Decorated<Null>),
    Bool(Decorated<bool>),
    Number(Decorated<Number>),
    String(Decorated<String>),
    Array(Array),
    Object(Object),
    StringTemplate(StringTemplate),
    HeredocTemplate(Box<HeredocTemplate>),
    Parenthesis(Box<Parenthesis>),
    Variable(Decorated<Ident>),
    Conditional(Box<Conditional>),
    FuncCall(Box<FuncCall>),
    Traversal(Box<Traversal>),
    UnaryOp(Box<UnaryOp>),
    BinaryOp(Box<BinaryOp>),
    ForExpr(Box<ForExpr>),
}

impl Expression {
    pub(crate) fn sp(&self) -> Sp {
        match self {
            Expression::Null(d) => d.sp,
            Expression::Bool(d) => d.sp,
            Expression::Number(d) => d.sp,
            Expression::String(d) => d.sp,
            Expression::Variable(d) => d.sp,
            Expression::Array(x) => x.sp,
            Expression::Object(x) => x.sp,
            Expression::StringTemplate(x) => x.sp,
            Expression::HeredocTemplate(x) => x.sp,
            Expression::Parenthesis(x) => x.sp,
            Expression::Conditional(x) => x.sp,
            Expression::FuncCall(x) => x.sp,
            Expression::Traversal(x) => x.sp,
            Expression::UnaryOp(x) => x.sp,
            Expression::BinaryOp(x) => x.sp,
            Expression::ForExpr(x) => x.sp,
        }
    }
}

impl Expression {
    /// The expression of `"${x}"` (a quoted template that is a single
    /// interpolation, which HCL evaluates to the value of `x` itself, and
    /// how the JSON syntax writes every expression); else `self`.
    #[must_use]
    pub fn interpolated(&self) -> &Expression {
        self.only_interpolation().unwrap_or(self)
    }

    /// [`Expression::interpolated`] when `self` is such a template: the
    /// expression inside, `None` for any other expression.
    #[must_use]
    pub fn only_interpolation(&self) -> Option<&Expression> {
        let Expression::StringTemplate(t) = self else {
            return None;
        };
        match t.template.elements.as_slice() {
            [Element::Interpolation(i)] => Some(i.expr.interpolated()),
            _ => None,
        }
    }
}

impl Span for Expression {
    fn span(&self) -> Option<Range<usize>> {
        Some(self.sp().range())
    }
}

/// `[a, b]`
#[derive(Debug, Clone, PartialEq)]
pub struct Array {
    pub(crate) values: Vec<Expression>,
    pub(crate) sp: Sp,
}

impl Array {
    pub fn iter(&self) -> std::slice::Iter<'_, Expression> {
        self.values.iter()
    }
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&Expression> {
        self.values.get(i)
    }
}

impl<'a> IntoIterator for &'a Object {
    type Item = (&'a ObjectKey, &'a ObjectValue);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (ObjectKey, ObjectValue)>,
        fn(&'a (ObjectKey, ObjectValue)) -> (&'a ObjectKey, &'a ObjectValue),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter().map(|(k, v)| (k, v))
    }
}

impl<'a> IntoIterator for &'a Array {
    type Item = &'a Expression;
    type IntoIter = std::slice::Iter<'a, Expression>;
    fn into_iter(self) -> Self::IntoIter {
        self.values.iter()
    }
}

/// `{ k = v, ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub(crate) items: Vec<(ObjectKey, ObjectValue)>,
    pub(crate) sp: Sp,
}

impl Object {
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&ObjectKey, &ObjectValue)> {
        self.items.iter().map(|(k, v)| (k, v))
    }
    #[must_use]
    pub fn len(&self) -> usize {
        self.items.len()
    }
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectKey {
    /// A bare name: `name = ...`
    Ident(Decorated<Ident>),
    /// Anything else: `"name" = ...`, `(var.k) = ...`
    Expression(Expression),
}

impl Span for ObjectKey {
    fn span(&self) -> Option<Range<usize>> {
        match self {
            ObjectKey::Ident(i) => i.span(),
            ObjectKey::Expression(e) => e.span(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectValue {
    pub(crate) expr: Expression,
}

impl ObjectValue {
    #[must_use]
    pub fn expr(&self) -> &Expression {
        &self.expr
    }
}

/// `"text ${interpolation}"`
#[derive(Debug, Clone, PartialEq)]
pub struct StringTemplate {
    pub(crate) template: Template,
    pub(crate) sp: Sp,
}

impl Deref for StringTemplate {
    type Target = Template;
    fn deref(&self) -> &Template {
        &self.template
    }
}

impl<'a> IntoIterator for &'a StringTemplate {
    type Item = &'a Element;
    type IntoIter = std::slice::Iter<'a, Element>;
    fn into_iter(self) -> Self::IntoIter {
        self.template.elements.iter()
    }
}

/// `<<EOT ... EOT` or `<<-EOT ... EOT`
#[derive(Debug, Clone, PartialEq)]
pub struct HeredocTemplate {
    pub delimiter: Ident,
    pub template: Template,
    /// How many leading whitespace characters `<<-` removed from each line.
    pub indent: Option<usize>,
    pub(crate) sp: Sp,
}

/// `( expr )`
#[derive(Debug, Clone, PartialEq)]
pub struct Parenthesis {
    pub(crate) inner: Expression,
    pub(crate) sp: Sp,
}

impl Parenthesis {
    #[must_use]
    pub fn inner(&self) -> &Expression {
        &self.inner
    }
}

/// `cond ? a : b`
#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    pub cond_expr: Expression,
    pub true_expr: Expression,
    pub false_expr: Expression,
    pub(crate) sp: Sp,
}

/// `name(args)` or `provider::p::name(args)`
#[derive(Debug, Clone, PartialEq)]
pub struct FuncCall {
    pub name: FuncName,
    pub args: FuncArgs,
    pub(crate) sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncName {
    pub namespace: Vec<Decorated<Ident>>,
    pub name: Decorated<Ident>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FuncArgs {
    pub(crate) args: Vec<Expression>,
    pub(crate) expand_final: bool,
}

impl FuncArgs {
    pub fn iter(&self) -> std::slice::Iter<'_, Expression> {
        self.args.iter()
    }
    #[must_use]
    pub fn len(&self) -> usize {
        self.args.len()
    }
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.args.is_empty()
    }
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&Expression> {
        self.args.get(i)
    }

    /// `f(list...)`: the last argument is expanded into several.
    #[must_use]
    pub fn expand_final(&self) -> bool {
        self.expand_final
    }
}

impl<'a> IntoIterator for &'a FuncArgs {
    type Item = &'a Expression;
    type IntoIter = std::slice::Iter<'a, Expression>;
    fn into_iter(self) -> Self::IntoIter {
        self.args.iter()
    }
}

/// `expr.attr[index].*`
#[derive(Debug, Clone, PartialEq)]
pub struct Traversal {
    pub expr: Expression,
    pub operators: Vec<Decorated<TraversalOperator>>,
    pub(crate) sp: Sp,
}

/// `*` of a splat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Splat;

#[derive(Debug, Clone, PartialEq)]
pub enum TraversalOperator {
    /// `.*`
    AttrSplat(Decorated<Splat>),
    /// `[*]`
    FullSplat(Decorated<Splat>),
    /// `.name`
    GetAttr(Decorated<Ident>),
    /// `[expr]`
    Index(Expression),
    /// `.0`
    LegacyIndex(Decorated<u64>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOperator {
    Neg,
    Not,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnaryOp {
    pub operator: Spanned<UnaryOperator>,
    pub expr: Expression,
    pub(crate) sp: Sp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOperator {
    Eq,
    NotEq,
    LessEq,
    GreaterEq,
    Less,
    Greater,
    Plus,
    Minus,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

impl BinaryOperator {
    /// Binding strength: higher binds tighter (HCL's table).
    #[must_use]
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOperator::Mul | BinaryOperator::Div | BinaryOperator::Mod => 6,
            BinaryOperator::Plus | BinaryOperator::Minus => 5,
            BinaryOperator::LessEq
            | BinaryOperator::GreaterEq
            | BinaryOperator::Less
            | BinaryOperator::Greater => 4,
            BinaryOperator::Eq | BinaryOperator::NotEq => 3,
            BinaryOperator::And => 2,
            BinaryOperator::Or => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BinaryOp {
    pub lhs_expr: Expression,
    pub operator: Spanned<BinaryOperator>,
    pub rhs_expr: Expression,
    pub(crate) sp: Sp,
}

/// `[for k, v in coll : v if cond]` or `{for k, v in coll : k => v... if cond}`
#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    pub intro: ForIntro,
    pub key_expr: Option<Expression>,
    pub value_expr: Expression,
    pub grouping: bool,
    pub cond: Option<ForCond>,
    pub(crate) sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForIntro {
    pub key_var: Option<Decorated<Ident>>,
    pub value_var: Decorated<Ident>,
    pub collection_expr: Expression,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForCond {
    pub expr: Expression,
}

// ----------------------------------------------------------------- template

/// The parts of a string template or heredoc.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    pub(crate) elements: Vec<Element>,
}

impl Template {
    pub fn iter(&self) -> std::slice::Iter<'_, Element> {
        self.elements.iter()
    }
    #[must_use]
    pub fn len(&self) -> usize {
        self.elements.len()
    }
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }
}

impl<'a> IntoIterator for &'a Template {
    type Item = &'a Element;
    type IntoIter = std::slice::Iter<'a, Element>;
    fn into_iter(self) -> Self::IntoIter {
        self.elements.iter()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    /// Text, with escapes decoded (quoted strings) or as written (heredocs).
    Literal(Spanned<String>),
    Interpolation(Interpolation),
    Directive(Box<Directive>),
}

impl Span for Element {
    fn span(&self) -> Option<Range<usize>> {
        match self {
            Element::Literal(l) => l.span(),
            Element::Interpolation(i) => Some(i.sp.range()),
            Element::Directive(d) => Some(d.sp().range()),
        }
    }
}

/// Whitespace stripping markers: `${~ x ~}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Strip {
    start: bool,
    end: bool,
}

impl Strip {
    #[must_use]
    pub fn new(start: bool, end: bool) -> Strip {
        Strip { start, end }
    }
    #[must_use]
    pub fn strip_start(self) -> bool {
        self.start
    }
    #[must_use]
    pub fn strip_end(self) -> bool {
        self.end
    }
}

/// `${ expr }`
#[derive(Debug, Clone, PartialEq)]
pub struct Interpolation {
    pub expr: Expression,
    pub strip: Strip,
    pub(crate) sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Directive {
    If(IfDirective),
    For(ForDirective),
}

impl Directive {
    pub(crate) fn sp(&self) -> Sp {
        match self {
            Directive::If(d) => d.sp,
            Directive::For(d) => d.sp,
        }
    }
}

/// `%{ if c }...%{ else }...%{ endif }`
#[derive(Debug, Clone, PartialEq)]
pub struct IfDirective {
    pub if_expr: IfTemplateExpr,
    pub else_expr: Option<ElseTemplateExpr>,
    pub endif_expr: EndifTemplateExpr,
    pub(crate) sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IfTemplateExpr {
    pub cond_expr: Expression,
    pub template: Template,
    pub strip: Strip,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ElseTemplateExpr {
    pub template: Template,
    pub strip: Strip,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EndifTemplateExpr {
    pub strip: Strip,
}

/// `%{ for k, v in coll }...%{ endfor }`
#[derive(Debug, Clone, PartialEq)]
pub struct ForDirective {
    pub for_expr: ForTemplateExpr,
    pub endfor_expr: EndforTemplateExpr,
    pub(crate) sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForTemplateExpr {
    pub key_var: Option<Decorated<Ident>>,
    pub value_var: Decorated<Ident>,
    pub collection_expr: Expression,
    pub template: Template,
    pub strip: Strip,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EndforTemplateExpr {
    pub strip: Strip,
}

macro_rules! spanned_nodes {
    ($($t:ty),*) => {
        $(impl Span for $t {
            fn span(&self) -> Option<Range<usize>> {
                Some(self.sp.range())
            }
        })*
    };
}

spanned_nodes!(
    Array,
    Object,
    StringTemplate,
    HeredocTemplate,
    Parenthesis,
    Conditional,
    FuncCall,
    Traversal,
    UnaryOp,
    BinaryOp,
    ForExpr,
    Interpolation,
    IfDirective,
    ForDirective
);
