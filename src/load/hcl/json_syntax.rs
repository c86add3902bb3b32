//! HCL's JSON syntax (`.tf.json`, `.tfvars.json`), read with spans and converted into the same
//! tree as native syntax. Strings in expression position are templates (`"${var.x}"`).

use super::ast::{convert_template, Attr, Block, Body, Expr, ParseError, Part, Sp, E};

/// A JSON value with the byte span it was written at.
#[derive(Debug, Clone)]
pub(super) enum J {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<(J, Sp)>),
    Obj(Vec<(String, Sp, J, Sp)>),
}

const MAX_DEPTH: usize = 512;

struct P<'a> {
    b: &'a [u8],
    i: usize,
    text: &'a str,
}

/// Parses JSON text, keeping spans.
pub(super) fn parse_json(text: &str) -> Result<(J, Sp), ParseError> {
    let mut p = P {
        b: text.as_bytes(),
        i: 0,
        text,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err("unexpected trailing characters after the JSON value"));
    }
    Ok(v)
}

impl P<'_> {
    fn err(&self, msg: &str) -> ParseError {
        let upto = &self.text.as_bytes()[..self.i.min(self.b.len())];
        let line = upto.iter().filter(|&&c| c == b'\n').count() + 1;
        let line_start = upto.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&upto[line_start..]).chars().count() + 1;
        ParseError {
            line,
            column,
            message: format!("invalid JSON: {msg}"),
        }
    }
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn value(&mut self, depth: usize) -> Result<(J, Sp), ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        let start = self.i;
        let c = *self
            .b
            .get(self.i)
            .ok_or_else(|| self.err("unexpected end of input"))?;
        let v = match c {
            b'{' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let ks = self.i;
                        let key = self.string()?;
                        let ksp = Sp {
                            start: ks,
                            end: self.i,
                        };
                        self.ws();
                        if self.b.get(self.i) != Some(&b':') {
                            return Err(self.err("expected `:`"));
                        }
                        self.i += 1;
                        self.ws();
                        let (v, vsp) = self.value(depth + 1)?;
                        items.push((key, ksp, v, vsp));
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err("expected `,` or `}`")),
                        }
                    }
                }
                J::Obj(items)
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err("expected `,` or `]`")),
                        }
                    }
                }
                J::Arr(items)
            }
            b'"' => J::Str(self.string()?),
            b't' if self.b[self.i..].starts_with(b"true") => {
                self.i += 4;
                J::Bool(true)
            }
            b'f' if self.b[self.i..].starts_with(b"false") => {
                self.i += 5;
                J::Bool(false)
            }
            b'n' if self.b[self.i..].starts_with(b"null") => {
                self.i += 4;
                J::Null
            }
            b'-' | b'0'..=b'9' => {
                while self.i < self.b.len()
                    && matches!(
                        self.b[self.i],
                        b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                    )
                {
                    self.i += 1;
                }
                let s = &self.text[start..self.i];
                J::Num(s.parse().map_err(|_| self.err("invalid number"))?)
            }
            _ => return Err(self.err("expected a JSON value")),
        };
        Ok((v, Sp { start, end: self.i }))
    }
    fn string(&mut self) -> Result<String, ParseError> {
        if self.b.get(self.i) != Some(&b'"') {
            return Err(self.err("expected a string"));
        }
        self.i += 1;
        let mut out = String::new();
        loop {
            let c = *self
                .b
                .get(self.i)
                .ok_or_else(|| self.err("unterminated string"))?;
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let e = *self
                        .b
                        .get(self.i + 1)
                        .ok_or_else(|| self.err("unterminated string"))?;
                    self.i += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let cp = self.hex4()?;
                            if (0xD800..0xDC00).contains(&cp)
                                && self.b.get(self.i) == Some(&b'\\')
                                && self.b.get(self.i + 1) == Some(&b'u')
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                let full = 0x10000
                                    + ((cp - 0xD800) << 10)
                                    + (lo.wrapping_sub(0xDC00) & 0x3FF);
                                out.push(char::from_u32(full).unwrap_or('\u{FFFD}'));
                            } else {
                                out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                            }
                        }
                        _ => return Err(self.err("invalid escape in string")),
                    }
                }
                _ => {
                    // Copy one UTF-8 character.
                    let rest = &self.text[self.i..];
                    let ch = rest
                        .chars()
                        .next()
                        .ok_or_else(|| self.err("invalid text"))?;
                    out.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
    }
    fn hex4(&mut self) -> Result<u32, ParseError> {
        let s = self
            .text
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("invalid unicode escape"))?;
        let v = u32::from_str_radix(s, 16).map_err(|_| self.err("invalid unicode escape"))?;
        self.i += 4;
        Ok(v)
    }
}

/// A JSON value as an expression: strings are templates.
pub(super) fn json_expr(j: &J, sp: Sp) -> Expr {
    let k = match j {
        J::Null => E::Null,
        J::Bool(b) => E::Bool(*b),
        J::Num(n) => E::Num(*n),
        J::Str(s) => return string_expr(s, sp),
        J::Arr(items) => E::Array(items.iter().map(|(v, s)| json_expr(v, *s)).collect()),
        J::Obj(items) => E::Object(
            items
                .iter()
                .filter(|(k, _, _, _)| k != "//")
                .map(|(k, ksp, v, vsp)| (string_expr(k, *ksp), json_expr(v, *vsp)))
                .collect(),
        ),
    };
    Expr::new(k, sp)
}

/// A JSON value as a literal (no templates): `.tfvars.json` values.
pub(super) fn json_literal(j: &J, sp: Sp) -> Expr {
    let k = match j {
        J::Null => E::Null,
        J::Bool(b) => E::Bool(*b),
        J::Num(n) => E::Num(*n),
        J::Str(s) => E::Str(s.clone()),
        J::Arr(items) => E::Array(items.iter().map(|(v, s)| json_literal(v, *s)).collect()),
        J::Obj(items) => E::Object(
            items
                .iter()
                .map(|(k, ksp, v, vsp)| (Expr::new(E::Str(k.clone()), *ksp), json_literal(v, *vsp)))
                .collect(),
        ),
    };
    Expr::new(k, sp)
}

fn string_expr(s: &str, sp: Sp) -> Expr {
    if !s.contains("${") && !s.contains("%{") {
        return Expr::new(E::Str(s.to_string()), sp);
    }
    match hcl_edit::parser::parse_template(s) {
        Ok(t) => {
            let parts: Vec<Part> = convert_template(&t, sp);
            Expr::new(E::Tmpl(parts), sp)
        }
        Err(_) => Expr::new(E::Str(s.to_string()), sp),
    }
}

/// A string holding a whole expression (`"type": "list(string)"`).
pub(super) fn expr_from_string(s: &str, sp: Sp) -> Expr {
    match hcl_edit::parser::parse_expr(s) {
        Ok(e) => super::ast::convert_expr(&e, Some(sp)),
        Err(_) => Expr::new(E::Str(s.to_string()), sp),
    }
}

fn labels_for(ty: &str) -> usize {
    match ty {
        "resource" | "data" | "ephemeral" => 2,
        "module" | "variable" | "output" | "provider" | "dynamic" | "provisioner" | "check"
        | "dependency" | "generate" | "include" | "unit" | "stack" | "feature" => 1,
        _ => 0,
    }
}

/// Nested blocks that are always blocks in JSON bodies (the rest are attributes).
fn is_nested_block(ty: &str) -> bool {
    matches!(
        ty,
        "lifecycle"
            | "dynamic"
            | "provisioner"
            | "connection"
            | "content"
            | "locals"
            | "terraform"
            | "backend"
            | "required_providers"
            | "precondition"
            | "postcondition"
            | "variable"
            | "output"
            | "module"
            | "resource"
            | "data"
            | "provider"
            | "moved"
            | "import"
            | "removed"
            | "check"
            | "dependency"
            | "dependencies"
            | "generate"
            | "remote_state"
            | "include"
            | "validation"
    )
}

/// The body of a `.tf.json` (or `terragrunt.hcl.json`) file. Terraform refuses a file whose
/// root is not an object; so does guard, naming the file.
pub(super) fn file_body(j: &J, sp: Sp) -> Result<Body, ParseError> {
    match j {
        J::Obj(_) => Ok(json_body(j, sp, true)),
        _ => Err(ParseError {
            line: 1,
            column: 1,
            message: "the root of a JSON configuration file must be an object".to_string(),
        }),
    }
}

/// The body of a `.tfvars.json` file, whose root must be an object too.
pub(super) fn tfvars_file_body(j: &J) -> Result<Body, ParseError> {
    match j {
        J::Obj(_) => Ok(tfvars_body(j)),
        _ => Err(ParseError {
            line: 1,
            column: 1,
            message: "the root of a variables file must be an object of variable names".to_string(),
        }),
    }
}

/// The body of a `.tf.json` (or `terragrunt.hcl.json`) file, or of a block in one.
pub(super) fn json_body(j: &J, sp: Sp, top: bool) -> Body {
    block_body(j, sp, top, "")
}

/// A block's body; `block` is its type (`""` at the top), which decides which properties are
/// templates, which are expressions written as strings, and which are literal values.
fn block_body(j: &J, _sp: Sp, top: bool, block: &str) -> Body {
    let mut body = Body::default();
    let J::Obj(items) = j else {
        return body;
    };
    for (key, ksp, v, vsp) in items {
        if key == "//" {
            continue;
        }
        let block_like = is_nested_block(key) && matches!(v, J::Obj(_) | J::Arr(_));
        // `locals` in a module is a block; `variable` only at the top; `content` anywhere.
        let block_like = block_like
            && (top
                || !matches!(
                    key.as_str(),
                    "variable"
                        | "output"
                        | "module"
                        | "resource"
                        | "data"
                        | "provider"
                        | "locals"
                        | "terraform"
                        | "dependency"
                        | "include"
                ));
        if block_like || (top && matches!(v, J::Obj(_)) && labels_for(key) > 0) {
            let n = labels_for(key);
            collect_blocks(
                key,
                v,
                *vsp,
                n,
                Vec::new(),
                Sp {
                    start: ksp.start,
                    end: vsp.end,
                },
                &mut body.blocks,
            );
        } else {
            let expr = attr_expr(block, key, v, *vsp);
            body.attrs.push(Attr {
                name: key.clone(),
                expr,
                sp: Sp {
                    start: ksp.start,
                    end: vsp.end,
                },
            });
        }
    }
    body
}

/// A property as Terraform's JSON syntax reads it: strings are templates (`"egress"` is the
/// string `egress`), except where the native syntax takes a type, a reference or a literal.
fn attr_expr(block: &str, key: &str, v: &J, sp: Sp) -> Expr {
    match (block, key) {
        // A type constraint written as a string: `"type": "list(string)"`.
        ("variable", "type") => match v {
            J::Str(s) => expr_from_string(s, sp),
            _ => json_expr(v, sp),
        },
        // Literal values, never templates (a variable's `default` is a template evaluated
        // without variables, so it stays a template).
        ("variable", "description" | "sensitive" | "nullable" | "ephemeral")
        | ("output", "description" | "sensitive" | "ephemeral")
        | ("module", "source" | "version") => json_literal(v, sp),
        // References written as strings.
        ("resource" | "data" | "ephemeral" | "import", "provider")
        | ("moved", "from" | "to")
        | ("import", "to")
        | ("removed", "from")
        | (_, "depends_on")
        | ("lifecycle", "ignore_changes" | "replace_triggered_by") => references(v, sp),
        _ => json_expr(v, sp),
    }
}

/// A string (or array of strings) holding references: `"aws_iam_role.this"`.
fn references(v: &J, sp: Sp) -> Expr {
    match v {
        J::Str(s) => expr_from_string(s, sp),
        J::Arr(items) => Expr::new(
            E::Array(items.iter().map(|(v, s)| references(v, *s)).collect()),
            sp,
        ),
        _ => json_literal(v, sp),
    }
}

fn collect_blocks(
    ty: &str,
    v: &J,
    sp: Sp,
    labels_left: usize,
    labels: Vec<String>,
    bsp: Sp,
    out: &mut Vec<Block>,
) {
    match v {
        J::Arr(items) => {
            for (item, isp) in items {
                collect_blocks(ty, item, *isp, labels_left, labels.clone(), bsp, out);
            }
        }
        J::Obj(items) if labels_left > 0 => {
            for (k, _ksp, inner, isp) in items {
                if k == "//" {
                    continue;
                }
                let mut l = labels.clone();
                l.push(k.clone());
                collect_blocks(ty, inner, *isp, labels_left - 1, l, bsp, out);
            }
        }
        J::Obj(_) => {
            let body = block_body(v, sp, false, ty);
            let _ = bsp;
            out.push(Block {
                ty: ty.to_string(),
                labels,
                body,
                sp,
            });
        }
        _ => {}
    }
}

/// The body of a `.tfvars.json` file: every key is a variable, every value a literal.
pub(super) fn tfvars_body(j: &J) -> Body {
    let mut body = Body::default();
    if let J::Obj(items) = j {
        for (key, ksp, v, vsp) in items {
            body.attrs.push(Attr {
                name: key.clone(),
                expr: json_literal(v, *vsp),
                sp: Sp {
                    start: ksp.start,
                    end: vsp.end,
                },
            });
        }
    }
    body
}
