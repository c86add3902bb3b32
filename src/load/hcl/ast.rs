//! guard's own syntax tree for Terraform and Terragrunt files.
//!
//! Native syntax is parsed with hcl-edit (which keeps byte spans) and converted into this small
//! tree; the JSON syntax (`.tf.json`) converts into the same tree, so the evaluator knows only one
//! shape. Every node keeps the byte span it was written at.

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{BlockLabel, Body as HBody, Structure};
use hcl_edit::template::{Directive, Element, Strip, Template};
use hcl_edit::Span as _;
use std::collections::HashMap;
use std::sync::Arc;

/// A byte range in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Sp {
    pub start: usize,
    pub end: usize,
}

impl Sp {
    pub fn new(r: std::ops::Range<usize>) -> Sp {
        Sp {
            start: r.start,
            end: r.end,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub k: E,
    pub sp: Sp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
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

#[derive(Debug, Clone)]
pub enum E {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Tmpl(Vec<Part>),
    Array(Vec<Expr>),
    /// Keys are expressions; a bare identifier key is a `Str`.
    Object(Vec<(Expr, Expr)>),
    Var(String),
    Trav(Box<Expr>, Vec<Op>),
    Call(String, Vec<Expr>, bool),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    For(Box<ForE>),
    /// Parenthesised: only matters for object keys.
    Paren(Box<Expr>),
}

#[derive(Debug, Clone)]
pub struct ForE {
    pub key_var: Option<String>,
    pub val_var: String,
    pub coll: Expr,
    pub key: Option<Expr>,
    pub val: Expr,
    pub cond: Option<Expr>,
    pub grouping: bool,
}

#[derive(Debug, Clone)]
pub enum Op {
    Attr(String),
    Index(Expr),
    AttrSplat,
    FullSplat,
}

#[derive(Debug, Clone)]
pub enum Part {
    Lit(String),
    Interp(Expr),
    If(Expr, Vec<Part>, Vec<Part>),
    For(Option<String>, String, Expr, Vec<Part>),
}

#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct Attr {
    pub name: String,
    pub expr: Expr,
    /// The whole `name = value`.
    pub sp: Sp,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub ty: String,
    pub labels: Vec<String>,
    pub body: Body,
    pub sp: Sp,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().rev().find(|a| a.name == name)
    }
    pub fn blocks_of<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ty == ty)
    }
}

impl Expr {
    pub fn new(k: E, sp: Sp) -> Expr {
        Expr { k, sp }
    }
    /// The literal string of a plain string or a one-literal template.
    pub fn as_lit_str(&self) -> Option<String> {
        match &self.k {
            E::Str(s) => Some(s.clone()),
            E::Tmpl(parts) if parts.iter().all(|p| matches!(p, Part::Lit(_))) => Some(
                parts
                    .iter()
                    .filter_map(|p| match p {
                        Part::Lit(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect(),
            ),
            E::Paren(inner) => inner.as_lit_str(),
            _ => None,
        }
    }
    /// A literal boolean (`true`, or the legacy string `"true"`).
    pub fn as_bool_lit(&self) -> Option<bool> {
        match &self.k {
            E::Bool(b) => Some(*b),
            _ => match self.as_lit_str().as_deref() {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
        }
    }
}

/// A parsed file: its display path, text, and tree.
#[derive(Debug)]
pub struct ParsedFile {
    pub path: Arc<str>,
    /// `path` interned, for origins.
    pub id: guard_policies::FileId,
    pub text: Arc<str>,
    pub body: Body,
}

/// A parse failure: 1-based line and column and a message that never quotes content.
#[derive(Debug, Clone)]
pub(super) struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses native HCL syntax, working around two hcl-edit gaps that Go HCL accepts:
/// a line break after an operator inside an object `for` value, and duplicate object keys (the
/// last one wins). Both are repaired in a same-length copy of the text, so spans stay valid.
pub(super) fn parse_native(text: &str) -> Result<Body, ParseError> {
    let first = match hcl_edit::parser::parse_body(text) {
        Ok(body) => return Ok(convert_body(&body, &HashMap::new())),
        Err(e) => e,
    };
    let to_error = |e: &hcl_edit::parser::Error| ParseError {
        line: e.location().line(),
        column: e.location().column(),
        message: clean_message(e.message()),
    };
    let mut patched = text.to_string();
    let mut renamed: HashMap<usize, String> = HashMap::new();
    let mut joined = false;
    let mut err = first.clone();
    for _ in 0..64 {
        let msg = err.message();
        let offset = err.location().offset();
        if msg.contains("redefined object key") {
            if !rename_key(&mut patched, offset, &mut renamed) {
                return Err(to_error(&first));
            }
        } else if !joined {
            joined = true;
            let next = join_operator_lines(&patched);
            if next == patched {
                return Err(to_error(&first));
            }
            patched = next;
        } else {
            return Err(to_error(&first));
        }
        match hcl_edit::parser::parse_body(&patched) {
            Ok(body) => return Ok(convert_body(&body, &renamed)),
            Err(e) => err = e,
        }
    }
    Err(to_error(&first))
}

fn clean_message(m: &str) -> String {
    let m = m.trim();
    if m.is_empty() {
        "invalid HCL syntax".to_string()
    } else {
        format!("invalid HCL syntax: {m}")
    }
}

/// Replaces a duplicate object key at `offset` with a unique same-length stand-in and remembers
/// the original text, so the evaluator sees the original key again (and the last value wins).
fn rename_key(text: &mut String, offset: usize, renamed: &mut HashMap<usize, String>) -> bool {
    let bytes = text.as_bytes();
    if offset >= bytes.len() {
        return false;
    }
    let (start, end) = if bytes[offset] == b'"' {
        let mut i = offset + 1;
        while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\\' && bytes[i] != b'$' {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b'"' {
            return false;
        }
        (offset + 1, i)
    } else {
        let mut i = offset;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
        {
            i += 1;
        }
        (offset, i)
    };
    if end <= start || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return false;
    }
    let original = text[start..end].to_string();
    let n = renamed.len();
    let len = end - start;
    // A stand-in that no real file uses: `Ǥ`-free ASCII, starting with a letter.
    let mut stand_in = String::with_capacity(len);
    let mut k = n + 1;
    for i in 0..len {
        let c = if i == 0 {
            b'Z'
        } else {
            let c = b"QXJZ"[k % 4];
            k /= 4;
            c
        };
        stand_in.push(c as char);
    }
    if len == 1 {
        // One letter: cycle through a few rarely used ones.
        stand_in = ((b'Q' + (n % 8) as u8) as char).to_string();
    }
    text.replace_range(start..end, &stand_in);
    let key_start = if bytes_at(text, offset) == Some(b'"') {
        offset
    } else {
        start
    };
    renamed.insert(key_start, original);
    true
}

fn bytes_at(text: &str, i: usize) -> Option<u8> {
    text.as_bytes().get(i).copied()
}

/// Joins a line that ends with a binary operator (outside strings, heredocs and comments) with
/// the next one, replacing the line break with spaces.
fn join_operator_lines(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let mut last_sig: Option<u8> = None;
    let mut last_sig2: Option<u8> = None;
    let mut heredoc: Option<String> = None;
    let mut in_string = 0usize; // depth of `"` strings (with `${` nesting handled loosely)
    while i < b.len() {
        let c = b[i];
        if let Some(delim) = &heredoc {
            // Skip to the line that is the delimiter.
            if c == b'\n' {
                let rest = &text[i + 1..];
                let line = rest.split('\n').next().unwrap_or("");
                if line.trim() == delim {
                    heredoc = None;
                    i += 1 + line.len();
                    continue;
                }
            }
            i += 1;
            continue;
        }
        if in_string > 0 {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_string -= 1;
                    i += 1;
                    last_sig = Some(b'"');
                }
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'"' => {
                in_string += 1;
                i += 1;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                let mut j = i + 2;
                if b.get(j) == Some(&b'-') {
                    j += 1;
                }
                let start = j;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if j > start {
                    heredoc = Some(text[start..j].to_string());
                    while j < b.len() && b[j] != b'\n' {
                        j += 1;
                    }
                    i = j;
                } else {
                    last_sig2 = last_sig;
                    last_sig = Some(b'<');
                    i += 2;
                }
            }
            b'\n' => {
                let joinable = match last_sig {
                    Some(b'&') | Some(b'|') | Some(b'+') | Some(b'*') | Some(b'/') | Some(b'%')
                    | Some(b'?') | Some(b':') | Some(b'<') | Some(b'!') => true,
                    Some(b'-') => true,
                    Some(b'=') => {
                        matches!(last_sig2, Some(b'=') | Some(b'!') | Some(b'<') | Some(b'>'))
                    }
                    Some(b'>') => true,
                    _ => false,
                };
                if joinable {
                    out[i] = b' ';
                    if i > 0 && b[i - 1] == b'\r' {
                        out[i - 1] = b' ';
                    }
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                last_sig2 = last_sig;
                last_sig = Some(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn sp_of(s: Option<std::ops::Range<usize>>) -> Sp {
    s.map(Sp::new).unwrap_or_default()
}

pub(super) fn convert_body(body: &HBody, renamed: &HashMap<usize, String>) -> Body {
    let c = Conv { renamed };
    c.body(body)
}

/// Converts an expression parsed on its own (tfvars values given on the command line, JSON
/// templates). `shift` is added to every span; `fixed` replaces every span when set.
pub(super) fn convert_expr(expr: &Expression, fixed: Option<Sp>) -> Expr {
    let c = Conv {
        renamed: &HashMap::new(),
    };
    let mut e = c.expr(expr);
    if let Some(sp) = fixed {
        respan(&mut e, sp);
    }
    e
}

pub(super) fn convert_template(t: &Template, fixed: Sp) -> Vec<Part> {
    let c = Conv {
        renamed: &HashMap::new(),
    };
    let mut parts = c.template(t);
    for p in &mut parts {
        respan_part(p, fixed);
    }
    parts
}

fn respan(e: &mut Expr, sp: Sp) {
    e.sp = sp;
    match &mut e.k {
        E::Tmpl(parts) => parts.iter_mut().for_each(|p| respan_part(p, sp)),
        E::Array(items) => items.iter_mut().for_each(|i| respan(i, sp)),
        E::Object(items) => items.iter_mut().for_each(|(k, v)| {
            respan(k, sp);
            respan(v, sp)
        }),
        E::Trav(b, ops) => {
            respan(b, sp);
            for op in ops {
                if let Op::Index(i) = op {
                    respan(i, sp)
                }
            }
        }
        E::Call(_, args, _) => args.iter_mut().for_each(|a| respan(a, sp)),
        E::Cond(a, b, c) => {
            respan(a, sp);
            respan(b, sp);
            respan(c, sp)
        }
        E::Not(a) | E::Neg(a) | E::Paren(a) => respan(a, sp),
        E::Bin(_, a, b) => {
            respan(a, sp);
            respan(b, sp)
        }
        E::For(f) => {
            respan(&mut f.coll, sp);
            respan(&mut f.val, sp);
            if let Some(k) = &mut f.key {
                respan(k, sp)
            }
            if let Some(c) = &mut f.cond {
                respan(c, sp)
            }
        }
        _ => {}
    }
}

fn respan_part(p: &mut Part, sp: Sp) {
    match p {
        Part::Lit(_) => {}
        Part::Interp(e) => respan(e, sp),
        Part::If(c, a, b) => {
            respan(c, sp);
            a.iter_mut().for_each(|p| respan_part(p, sp));
            b.iter_mut().for_each(|p| respan_part(p, sp));
        }
        Part::For(_, _, c, body) => {
            respan(c, sp);
            body.iter_mut().for_each(|p| respan_part(p, sp));
        }
    }
}

struct Conv<'a> {
    renamed: &'a HashMap<usize, String>,
}

impl Conv<'_> {
    fn body(&self, body: &HBody) -> Body {
        let mut out = Body::default();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => out.attrs.push(Attr {
                    name: a.key.as_str().to_string(),
                    expr: self.expr(&a.value),
                    sp: sp_of(a.span()),
                }),
                Structure::Block(b) => out.blocks.push(Block {
                    ty: b.ident.as_str().to_string(),
                    labels: b
                        .labels
                        .iter()
                        .map(|l| match l {
                            BlockLabel::Ident(i) => i.as_str().to_string(),
                            BlockLabel::String(s) => s.as_str().to_string(),
                        })
                        .collect(),
                    body: self.body(&b.body),
                    sp: sp_of(b.span()),
                }),
            }
        }
        out
    }

    fn expr(&self, e: &Expression) -> Expr {
        let sp = sp_of(e.span());
        let k = match e {
            Expression::Null(_) => E::Null,
            Expression::Bool(b) => E::Bool(*b.value()),
            Expression::Number(n) => E::Num(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => E::Str(s.value().to_string()),
            Expression::Array(a) => E::Array(a.iter().map(|i| self.expr(i)).collect()),
            Expression::Object(o) => E::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(i) => {
                                let ksp = sp_of(i.span());
                                let name = self
                                    .renamed
                                    .get(&ksp.start)
                                    .cloned()
                                    .unwrap_or_else(|| i.as_str().to_string());
                                Expr::new(E::Str(name), ksp)
                            }
                            ObjectKey::Expression(x) => {
                                let mut key = self.expr(x);
                                if let Some(orig) = self.renamed.get(&key.sp.start) {
                                    key.k = E::Str(orig.clone());
                                }
                                key
                            }
                        };
                        (key, self.expr(v.expr()))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => E::Tmpl(self.template(t)),
            Expression::HeredocTemplate(h) => E::Tmpl(self.template(&h.template)),
            Expression::Parenthesis(p) => E::Paren(Box::new(self.expr(p.inner()))),
            Expression::Variable(v) => E::Var(v.as_str().to_string()),
            Expression::Conditional(c) => E::Cond(
                Box::new(self.expr(&c.cond_expr)),
                Box::new(self.expr(&c.true_expr)),
                Box::new(self.expr(&c.false_expr)),
            ),
            Expression::FuncCall(f) => {
                let mut name = String::new();
                for ns in &f.name.namespace {
                    name.push_str(ns.as_str());
                    name.push_str("::");
                }
                name.push_str(f.name.name.as_str());
                E::Call(
                    name,
                    f.args.iter().map(|a| self.expr(a)).collect(),
                    f.args.expand_final(),
                )
            }
            Expression::Traversal(t) => {
                let ops = t
                    .operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::AttrSplat(_) => Op::AttrSplat,
                        TraversalOperator::FullSplat(_) => Op::FullSplat,
                        TraversalOperator::GetAttr(i) => Op::Attr(i.as_str().to_string()),
                        TraversalOperator::Index(x) => Op::Index(self.expr(x)),
                        TraversalOperator::LegacyIndex(n) => {
                            Op::Index(Expr::new(E::Num(*n.value() as f64), sp_of(op.span())))
                        }
                    })
                    .collect();
                E::Trav(Box::new(self.expr(&t.expr)), ops)
            }
            Expression::UnaryOp(u) => {
                let inner = Box::new(self.expr(&u.expr));
                match u.operator.value() {
                    UnaryOperator::Neg => E::Neg(inner),
                    UnaryOperator::Not => E::Not(inner),
                }
            }
            Expression::BinaryOp(b) => {
                let op = match b.operator.value() {
                    BinaryOperator::Eq => BinOp::Eq,
                    BinaryOperator::NotEq => BinOp::NotEq,
                    BinaryOperator::LessEq => BinOp::LessEq,
                    BinaryOperator::GreaterEq => BinOp::GreaterEq,
                    BinaryOperator::Less => BinOp::Less,
                    BinaryOperator::Greater => BinOp::Greater,
                    BinaryOperator::Plus => BinOp::Plus,
                    BinaryOperator::Minus => BinOp::Minus,
                    BinaryOperator::Mul => BinOp::Mul,
                    BinaryOperator::Div => BinOp::Div,
                    BinaryOperator::Mod => BinOp::Mod,
                    BinaryOperator::And => BinOp::And,
                    BinaryOperator::Or => BinOp::Or,
                };
                E::Bin(
                    op,
                    Box::new(self.expr(&b.lhs_expr)),
                    Box::new(self.expr(&b.rhs_expr)),
                )
            }
            Expression::ForExpr(f) => E::For(Box::new(ForE {
                key_var: f.intro.key_var.as_ref().map(|k| k.as_str().to_string()),
                val_var: f.intro.value_var.as_str().to_string(),
                coll: self.expr(&f.intro.collection_expr),
                key: f.key_expr.as_ref().map(|k| self.expr(k)),
                val: self.expr(&f.value_expr),
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr)),
                grouping: f.grouping,
            })),
        };
        Expr::new(k, sp)
    }

    fn template(&self, t: &Template) -> Vec<Part> {
        // Parts with their strip markers: (part, strip before, strip after).
        let mut items: Vec<(Part, bool, bool)> = Vec::new();
        for el in t.iter() {
            match el {
                Element::Literal(s) => items.push((Part::Lit(s.value().to_string()), false, false)),
                Element::Interpolation(i) => {
                    let (a, b) = strip_flags(i.strip);
                    items.push((Part::Interp(self.expr(&i.expr)), a, b));
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        let mut then = self.template(&d.if_expr.template);
                        let mut els = d
                            .else_expr
                            .as_ref()
                            .map(|e| self.template(&e.template))
                            .unwrap_or_default();
                        let (if_a, if_b) = strip_flags(d.if_expr.strip);
                        let (end_a, end_b) = strip_flags(d.endif_expr.strip);
                        if if_b {
                            trim_first(&mut then);
                        }
                        if let Some(e) = &d.else_expr {
                            let (el_a, el_b) = strip_flags(e.strip);
                            if el_a {
                                trim_last(&mut then);
                            }
                            if el_b {
                                trim_first(&mut els);
                            }
                            if end_a {
                                trim_last(&mut els);
                            }
                        } else if end_a {
                            trim_last(&mut then);
                        }
                        items.push((
                            Part::If(self.expr(&d.if_expr.cond_expr), then, els),
                            if_a,
                            end_b,
                        ));
                    }
                    Directive::For(d) => {
                        let mut body = self.template(&d.for_expr.template);
                        let (a, b) = strip_flags(d.for_expr.strip);
                        let (end_a, end_b) = strip_flags(d.endfor_expr.strip);
                        if b {
                            trim_first(&mut body);
                        }
                        if end_a {
                            trim_last(&mut body);
                        }
                        items.push((
                            Part::For(
                                d.for_expr.key_var.as_ref().map(|k| k.as_str().to_string()),
                                d.for_expr.value_var.as_str().to_string(),
                                self.expr(&d.for_expr.collection_expr),
                                body,
                            ),
                            a,
                            end_b,
                        ));
                    }
                },
            }
        }
        for i in 0..items.len() {
            if items[i].1 && i > 0 {
                if let Part::Lit(s) = &mut items[i - 1].0 {
                    *s = s.trim_end().to_string();
                }
            }
            if items[i].2 && i + 1 < items.len() {
                if let Part::Lit(s) = &mut items[i + 1].0 {
                    *s = s.trim_start().to_string();
                }
            }
        }
        items.into_iter().map(|(p, _, _)| p).collect()
    }
}

fn strip_flags(s: Strip) -> (bool, bool) {
    match s {
        Strip::None => (false, false),
        Strip::Start => (true, false),
        Strip::End => (false, true),
        Strip::Both => (true, true),
    }
}

fn trim_first(parts: &mut [Part]) {
    if let Some(Part::Lit(s)) = parts.first_mut() {
        *s = s.trim_start().to_string();
    }
}

fn trim_last(parts: &mut [Part]) {
    if let Some(Part::Lit(s)) = parts.last_mut() {
        *s = s.trim_end().to_string();
    }
}
