//! The expression evaluator: known, unknown and null values with sensitive marks and origins.
//!
//! References are resolved through a [`Resolver`] (a module instance or a Terragrunt file), which
//! evaluates what they point at lazily, in dependency order, and reports cycles.

use super::ast::{BinOp, Expr, ForE, Op, Part, E};
use super::functions;
use super::vals::*;
use guard_policies::FileId;
use guard_policies::{Kind, Origin, OriginKind, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The value itself: moved out when nothing else holds it, else copied.
pub(super) fn unshare(v: Rc<Value>) -> Value {
    Rc::try_unwrap(v).unwrap_or_else(|v| (*v).clone())
}

/// Local names in scope: for-expression variables, `each`, `count`, dynamic iterators.
pub(super) struct Scope<'a> {
    pub parent: Option<&'a Scope<'a>>,
    pub vars: Vec<(String, Value)>,
}

impl<'a> Scope<'a> {
    pub(super) fn root() -> Scope<'static> {
        Scope {
            parent: None,
            vars: Vec::new(),
        }
    }
    pub(super) fn child(parent: &'a Scope<'a>, vars: Vec<(String, Value)>) -> Scope<'a> {
        Scope {
            parent: Some(parent),
            vars,
        }
    }
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .or_else(|| self.parent.and_then(|p| p.get(name)))
    }
}

/// A scope entry marking `each.value` as a resource (or module) instance, whose attributes the
/// configuration does not set are unknown rather than missing. Not an identifier, so no name in
/// HCL can collide with it.
pub(super) const EACH_VALUE_IS_INSTANCE: &str = "each.value is an instance";

/// What a reference's root resolved to.
pub(super) struct Resolved {
    /// Shared with the resolver's memo when it names a local, variable, output or resource:
    /// the reference reads it in place and copies only what its first step selects.
    pub value: Rc<Value>,
    /// How many traversal operators the resolver consumed.
    pub consumed: usize,
    /// Missing attributes read as unknown instead of an error (resources, modules, data).
    pub lenient: bool,
}

pub(super) trait Resolver {
    /// Resolves `name` followed by `ops`; `None` when the name means nothing here.
    fn root(
        &self,
        ev: &Ev<'_>,
        name: &str,
        ops: &[Op],
        scope: &Scope<'_>,
    ) -> Result<Option<Resolved>, EvalError>;
    /// Functions that depend on where the evaluation runs (files, Terragrunt helpers). `at` is
    /// the byte offset of the call in `ev.file`.
    fn func(&self, ev: &Ev<'_>, at: usize, name: &str, args: &[Value]) -> Option<R>;
}

/// Resolves nothing: for variable defaults and tfvars, which may not refer to anything.
pub(super) struct NoNames;

impl Resolver for NoNames {
    fn root(
        &self,
        _ev: &Ev<'_>,
        _name: &str,
        _ops: &[Op],
        _scope: &Scope<'_>,
    ) -> Result<Option<Resolved>, EvalError> {
        Ok(None)
    }
    fn func(&self, _ev: &Ev<'_>, _at: usize, _name: &str, _args: &[Value]) -> Option<R> {
        None
    }
}

/// Evaluation settings for one expression: the file it is written in and what kind of text it is.
#[derive(Clone)]
pub(super) struct Ev<'a> {
    pub file: FileId,
    pub kind: OriginKind,
    pub res: &'a dyn Resolver,
}

const MAX_DEPTH: usize = 200;

thread_local! {
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    static SPENT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A fresh allowance of [`MAX_WORK`] for one evaluation; what was spent before is restored
/// when it ends, so an item evaluated while another is (a local read by a resource) has its
/// own allowance and does not use up the other's.
pub(super) struct Budget {
    saved: usize,
}

impl Budget {
    pub(super) fn fresh() -> Budget {
        Budget {
            saved: SPENT.with(|s| s.replace(0)),
        }
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        SPENT.with(|s| s.set(self.saved));
    }
}

/// Counts `units` of work against the current allowance.
pub(super) fn charge(units: usize) -> Result<(), EvalError> {
    let spent = SPENT.with(|s| {
        let n = s.get().saturating_add(units);
        s.set(n);
        n
    });
    if spent > MAX_WORK {
        return Err(EvalError::limit("this expression builds more than that"));
    }
    Ok(())
}

/// The size of a value in work units: one per value, plus its text; stops counting past
/// `cap` so a huge value costs no more than the allowance to measure.
pub(super) fn weight(v: &Value, cap: usize) -> usize {
    fn walk(v: &Value, total: &mut usize, cap: usize) {
        if *total > cap {
            return;
        }
        *total += 1;
        match &v.kind {
            Kind::String(s) => *total += s.len() / BYTES_PER_UNIT,
            Kind::List(items) => items.iter().for_each(|i| walk(i, total, cap)),
            Kind::Object(m) => m.values().for_each(|i| walk(i, total, cap)),
            _ => {}
        }
    }
    let mut total = 0;
    walk(v, &mut total, cap);
    total
}

/// Charges what a value weighs.
fn charge_value(v: &Value) -> Result<(), EvalError> {
    charge(weight(v, MAX_WORK + 1))
}

struct DepthGuard;
impl DepthGuard {
    fn enter() -> Result<DepthGuard, EvalError> {
        DEPTH.with(|d| {
            let n = d.get();
            if n > MAX_DEPTH {
                return err("expression nesting too deep");
            }
            d.set(n + 1);
            Ok(DepthGuard)
        })
    }
}
impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

impl<'a> Ev<'a> {
    pub(super) fn new(file: FileId, kind: OriginKind, res: &'a dyn Resolver) -> Ev<'a> {
        Ev { file, kind, res }
    }

    pub(super) fn origin(&self, e: &Expr) -> Origin {
        Origin::new(self.file, e.sp.start, e.sp.end, self.kind)
    }

    fn lit(&self, kind: Kind, e: &Expr) -> Value {
        Value::new(kind).with_origin(self.origin(e))
    }

    pub(super) fn eval(&self, e: &Expr, scope: &Scope<'_>) -> R {
        let _guard = DepthGuard::enter()?;
        // A top-level evaluation (a tfvars value, a Terragrunt attribute) gets its own allowance.
        let _budget = (DEPTH.with(|d| d.get()) == 1).then(Budget::fresh);
        match &e.k {
            E::Null => Ok(self.lit(Kind::Null, e)),
            E::Bool(b) => Ok(self.lit(Kind::Bool(*b), e)),
            E::Num(n) => Ok(self.lit(Kind::Number(*n), e)),
            E::Str(s) => Ok(self.lit(Kind::String(s.clone()), e)),
            E::Tmpl(parts) => self.template(parts, e, scope),
            E::Paren(inner) => self.eval(inner, scope),
            E::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i, scope)?);
                }
                Ok(self.lit(Kind::list(out), e))
            }
            E::Object(items) => {
                let mut map = BTreeMap::new();
                let mut unknown_key = None;
                for (k, v) in items {
                    let key = self.object_key(k, scope)?;
                    let val = self.eval(v, scope)?;
                    match key {
                        Some(key) => {
                            map.insert(key, val);
                        }
                        None => unknown_key = Some(val),
                    }
                }
                if let Some(v) = unknown_key {
                    return Ok(unknown_from(&[&v]));
                }
                Ok(self.lit(Kind::object(map), e))
            }
            E::Var(name) => self.traverse_root(name, &[], e, scope),
            E::Trav(base, ops) => match &base.k {
                E::Var(name) => self.traverse_root(name, ops, e, scope),
                _ => {
                    let v = self.eval(base, scope)?;
                    self.apply_ops(v, ops, false, scope)
                }
            },
            E::Call(name, args, expand) => self.call(name, args, *expand, e, scope),
            E::Cond(c, t, f) => {
                let cv = self.eval(c, scope)?;
                if cv.is_unknown() {
                    return Ok(unknown_from(&[&cv]));
                }
                let b = to_bool(&cv)?;
                let mut out = if b {
                    self.eval(t, scope)?
                } else {
                    self.eval(f, scope)?
                };
                if cv.sensitive {
                    out.sensitive = true;
                }
                Ok(out)
            }
            E::Not(x) => {
                let v = self.eval(x, scope)?;
                if v.is_unknown() {
                    return Ok(unknown_from(&[&v]));
                }
                let b = to_bool(&v)?;
                Ok(derive(Kind::Bool(!b), &[&v]))
            }
            E::Neg(x) => {
                let v = self.eval(x, scope)?;
                if v.is_unknown() {
                    return Ok(unknown_from(&[&v]));
                }
                let n = to_num(&v)?;
                Ok(derive(Kind::Number(-n), &[&v]))
            }
            E::Bin(op, l, r) => self.binary(*op, l, r, scope),
            E::For(f) => self.for_expr(f, e, scope),
        }
    }

    fn object_key(&self, k: &Expr, scope: &Scope<'_>) -> Result<Option<String>, EvalError> {
        // A bare identifier is a literal key; parentheses force an expression.
        if let E::Var(name) = &k.k {
            return Ok(Some(name.clone()));
        }
        let v = self.eval(k, scope)?;
        if v.is_unknown() {
            return Ok(None);
        }
        Ok(Some(to_str(&v)?))
    }

    fn template(&self, parts: &[Part], e: &Expr, scope: &Scope<'_>) -> R {
        // `"${x}"` alone returns x itself, not its string form.
        if let [Part::Interp(x)] = parts {
            return self.eval(x, scope);
        }
        let mut s = String::new();
        let mut from: Vec<Value> = Vec::new();
        let mut unknown = false;
        self.render_parts(parts, scope, &mut s, &mut from, &mut unknown)?;
        charge(1 + s.len() / BYTES_PER_UNIT)?;
        let refs: Vec<&Value> = from.iter().collect();
        if unknown {
            // `"${chomp(data.http.ip.response_body)}/32"`: one host, whatever the address.
            if let Some(prefix) = address_template_prefix(parts) {
                let stand_in = guard_policies::value::bounded_block_stand_in("an address", prefix);
                let mut v = derive(Kind::String(stand_in), &refs);
                v.origins.insert(0, self.origin(e));
                v.origins.truncate(MAX_ORIGINS);
                return Ok(v);
            }
            return Ok(unknown_from(&refs));
        }
        let mut v = derive(Kind::String(s), &refs);
        if from.is_empty() || parts.iter().any(|p| matches!(p, Part::Lit(_))) {
            let o = self.origin(e);
            if !v.origins.contains(&o) {
                v.origins.insert(0, o);
                v.origins.truncate(MAX_ORIGINS);
            }
        }
        Ok(v)
    }

    fn render_parts(
        &self,
        parts: &[Part],
        scope: &Scope<'_>,
        s: &mut String,
        from: &mut Vec<Value>,
        unknown: &mut bool,
    ) -> Result<(), EvalError> {
        for p in parts {
            match p {
                Part::Lit(l) => {
                    check_len(s.len() + l.len(), "a string template")?;
                    s.push_str(l)
                }
                Part::Interp(x) => {
                    let v = self.eval(x, scope)?;
                    if v.is_unknown() {
                        *unknown = true;
                    } else {
                        let text = to_str(&v)?;
                        check_len(s.len() + text.len(), "a string template")?;
                        s.push_str(&text);
                    }
                    push_from(from, v);
                }
                Part::If(c, a, b) => {
                    let cv = self.eval(c, scope)?;
                    if cv.is_unknown() {
                        *unknown = true;
                        push_from(from, cv);
                        continue;
                    }
                    let branch = if to_bool(&cv)? { a } else { b };
                    push_from(from, cv);
                    self.render_parts(branch, scope, s, from, unknown)?;
                }
                Part::For(kv, vv, coll, body) => {
                    let c = self.eval(coll, scope)?;
                    if c.is_unknown() {
                        *unknown = true;
                        push_from(from, c);
                        continue;
                    }
                    for (k, v) in iter_pairs(&c)? {
                        let mut vars = vec![(vv.clone(), v)];
                        if let Some(kv) = kv {
                            vars.push((kv.clone(), k));
                        }
                        let child = Scope::child(scope, vars);
                        let before = s.len();
                        self.render_parts(body, &child, s, from, unknown)?;
                        charge(1 + (s.len() - before) / BYTES_PER_UNIT)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn traverse_root(&self, name: &str, ops: &[Op], e: &Expr, scope: &Scope<'_>) -> R {
        if let Some(v) = scope.get(name) {
            // `each.value` of a `for_each` over resource instances reads like the resource.
            let lenient = name == "each"
                && matches!(ops.first(), Some(Op::Attr(a)) if a == "value")
                && scope.get(EACH_VALUE_IS_INSTANCE).is_some();
            let v = self.apply_ops_in_place(v, ops, lenient, scope)?;
            // A reference copies what it names: `[local.a, local.a]` through 40 locals is a bomb.
            charge_value(&v)?;
            return Ok(v);
        }
        match self.res.root(self, name, ops, scope)? {
            Some(r) => {
                let rest = ops.get(r.consumed..).unwrap_or(&[]);
                let v = if rest.is_empty() {
                    unshare(r.value)
                } else {
                    self.apply_ops_in_place(&r.value, rest, r.lenient, scope)?
                };
                charge_value(&v)?;
                Ok(v)
            }
            None => {
                let _ = e;
                err(format!("reference to an undeclared name `{name}`"))
            }
        }
    }

    /// Whether `e` is a reference whose missing attributes read as unknown, as a resource's,
    /// a data source's or a module call's do (`for_each = aws_lb.x`).
    pub(super) fn is_lenient_reference(&self, e: &Expr, scope: &Scope<'_>) -> bool {
        let E::Trav(base, ops) = &e.k else {
            return false;
        };
        let E::Var(name) = &base.k else {
            return false;
        };
        if scope.get(name).is_some() {
            return false;
        }
        matches!(self.res.root(self, name, ops, scope), Ok(Some(r)) if r.lenient)
    }

    /// [`Ev::apply_ops`] on a value read where it is stored (a local, a variable, `each`):
    /// attribute and index steps that find a member walk down in place, so only the part
    /// finally selected is copied, not the whole value. The result is the same as copying first:
    /// each step's copy is the member marked sensitive when its container is ([`carry`]), and any
    /// other step (a missing member, an unknown, a splat) continues on a copy through
    /// [`Ev::apply_ops`].
    fn apply_ops_in_place(&self, v: &Value, ops: &[Op], lenient: bool, scope: &Scope<'_>) -> R {
        let mut at = v;
        // Whether a container walked through is sensitive: the copies `carry` would have made.
        let mut marked = false;
        let mut i = 0;
        while i < ops.len() {
            let member = match (&ops[i], &at.kind) {
                (Op::Attr(name), Kind::Object(map)) => map.get(name.as_str()),
                (Op::Index(ix), Kind::List(_) | Kind::Object(_)) => {
                    let key = self.eval(ix, scope)?;
                    match index_in_place(at, &key) {
                        Some(x) => Some(x),
                        None => {
                            let here = copy_marked(at, marked);
                            let v = index(&here, &key, lenient)?;
                            return self.apply_ops(v, &ops[i + 1..], lenient, scope);
                        }
                    }
                }
                _ => None,
            };
            let Some(member) = member else {
                break;
            };
            marked |= at.sensitive;
            at = member;
            i += 1;
        }
        self.apply_ops(copy_marked(at, marked), &ops[i..], lenient, scope)
    }

    pub(super) fn apply_ops(
        &self,
        mut v: Value,
        ops: &[Op],
        lenient: bool,
        scope: &Scope<'_>,
    ) -> R {
        let mut i = 0;
        while i < ops.len() {
            match &ops[i] {
                Op::Attr(name) => {
                    v = get_attr(&v, name, lenient)?;
                    i += 1;
                }
                Op::Index(ix) => {
                    let key = self.eval(ix, scope)?;
                    v = index(&v, &key, lenient)?;
                    i += 1;
                }
                Op::AttrSplat | Op::FullSplat => {
                    let full = matches!(ops[i], Op::FullSplat);
                    // Which operators the splat applies to.
                    let mut j = i + 1;
                    while j < ops.len() {
                        let take = match &ops[j] {
                            Op::Attr(_) => true,
                            Op::Index(_) => full,
                            _ => false,
                        };
                        if !take {
                            break;
                        }
                        j += 1;
                    }
                    let sub = &ops[i + 1..j];
                    v = match &v.kind {
                        Kind::Unknown => v,
                        Kind::Null => Value::list(Vec::new()),
                        Kind::List(items) => {
                            let mut out = Vec::with_capacity(items.len());
                            for item in items.iter().cloned() {
                                out.push(self.apply_ops(item, sub, lenient, scope)?);
                            }
                            let mut l = Value::list(out);
                            l.sensitive = v.sensitive;
                            l.origins = v.origins.clone();
                            l
                        }
                        Kind::Object(_) if lenient => {
                            // A resource without count: `aws_x.y.*.id` is a one-element list.
                            Value::list(vec![self.apply_ops(v.clone(), sub, lenient, scope)?])
                        }
                        _ => Value::list(vec![self.apply_ops(v.clone(), sub, lenient, scope)?]),
                    };
                    i = j;
                }
            }
        }
        Ok(v)
    }

    fn binary(&self, op: BinOp, l: &Expr, r: &Expr, scope: &Scope<'_>) -> R {
        let a = self.eval(l, scope)?;
        // Terraform evaluates both sides; short-circuit only to avoid needless errors on known
        // results when the left side decides (`false && x`), keeping unknowns honest.
        let b = match op {
            BinOp::And if matches!(a.kind, Kind::Bool(false)) => {
                return Ok(derive(Kind::Bool(false), &[&a]));
            }
            BinOp::Or if matches!(a.kind, Kind::Bool(true)) => {
                return Ok(derive(Kind::Bool(true), &[&a]));
            }
            _ => self.eval(r, scope)?,
        };
        // A known `false` decides `&&` and a known `true` decides `||` whichever side it is on,
        // as in Terraform (cty): `length(data.x.names) > 0 && false` is false, not unknown.
        match (op, &b.kind) {
            (BinOp::And, Kind::Bool(false)) if a.is_unknown() => {
                return Ok(derive(Kind::Bool(false), &[&b]));
            }
            (BinOp::Or, Kind::Bool(true)) if a.is_unknown() => {
                return Ok(derive(Kind::Bool(true), &[&b]));
            }
            _ => {}
        }
        binary_values(op, &a, &b)
    }

    fn for_expr(&self, f: &ForE, e: &Expr, scope: &Scope<'_>) -> R {
        let coll = self.eval(&f.coll, scope)?;
        if coll.is_unknown() {
            return Ok(unknown_from(&[&coll]));
        }
        if coll.is_null() {
            return err("a for expression cannot iterate over null");
        }
        let pairs = iter_pairs(&coll)?;
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut unknown: Option<Value> = None;
        for (k, v) in pairs {
            let mut vars = vec![(f.val_var.clone(), v)];
            if let Some(kv) = &f.key_var {
                vars.push((kv.clone(), k));
            }
            let child = Scope::child(scope, vars);
            if let Some(c) = &f.cond {
                let cv = self.eval(c, &child)?;
                if cv.is_unknown() {
                    unknown = Some(cv);
                    continue;
                }
                if !to_bool(&cv)? {
                    continue;
                }
            }
            let val = self.eval(&f.val, &child)?;
            charge_value(&val)?;
            match &f.key {
                None => list.push(val),
                Some(ke) => {
                    let kv = self.eval(ke, &child)?;
                    if kv.is_unknown() {
                        unknown = Some(kv);
                        continue;
                    }
                    let key = to_str(&kv)?;
                    if f.grouping {
                        groups.entry(key).or_default().push(val);
                    } else {
                        map.insert(key, val);
                    }
                }
            }
        }
        if let Some(u) = unknown {
            return Ok(unknown_from(&[&u, &coll]));
        }
        let mut out = match &f.key {
            None => self.lit(Kind::list(list), e),
            Some(_) if f.grouping => self.lit(
                Kind::object(
                    groups
                        .into_iter()
                        .map(|(k, v)| (k, Value::list(v)))
                        .collect(),
                ),
                e,
            ),
            Some(_) => self.lit(Kind::object(map), e),
        };
        if coll.sensitive {
            out.sensitive = true;
        }
        Ok(out)
    }

    fn call(&self, name: &str, args: &[Expr], expand: bool, e: &Expr, scope: &Scope<'_>) -> R {
        let name = name.strip_prefix("core::").unwrap_or(name);
        match name {
            "try" => {
                let mut last = EvalError("no expression given to try".into());
                for a in args {
                    match self.eval(a, scope) {
                        Ok(v) => return Ok(v),
                        // Running out of room is not a failure `try` may hide.
                        Err(err) if err.is_limit() => return Err(err),
                        Err(err) => last = err,
                    }
                }
                return Err(last);
            }
            "can" => {
                let Some(a) = args.first() else {
                    return err("can needs one argument");
                };
                // A boolean about whether the value evaluates; the value's sensitivity stays
                // behind, as in Terraform.
                return Ok(match self.eval(a, scope) {
                    Ok(v) if v.is_unknown() => unknown_from(&[&v]).with_sensitive(false),
                    Ok(_) => self.lit(Kind::Bool(true), e),
                    Err(err) if err.is_limit() => return Err(err),
                    Err(_) => self.lit(Kind::Bool(false), e),
                });
            }
            _ => {}
        }
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.eval(a, scope)?);
        }
        if expand {
            if let Some(last) = vals.pop() {
                match &last.kind {
                    Kind::List(items) => vals.extend(items.iter().cloned()),
                    Kind::Unknown => return Ok(unknown_from(&[&last])),
                    _ => return err("the expanded argument must be a list"),
                }
            }
        }
        let mut out = match self.res.func(self, e.sp.start, name, &vals) {
            Some(r) => r?,
            None => functions::call(name, &vals, &self.origin(e))?,
        };
        charge_value(&out)?;
        if vals.iter().any(|v| v.sensitive) && !matches!(name, "nonsensitive" | "issensitive") {
            out.sensitive = true;
        }
        if out.origins.is_empty() {
            out.origins.push(self.origin(e));
        }
        Ok(out)
    }
}

/// The prefix length of a template that writes an address block around interpolations:
/// `"${x}/32"`, `"10.0.${x}.0/24"`. Its literal text is only address characters, and it ends
/// with `/N`.
fn address_template_prefix(parts: &[Part]) -> Option<u32> {
    let mut literal = String::new();
    for p in parts {
        match p {
            Part::Lit(l) => literal.push_str(l),
            Part::Interp(_) => {}
            Part::If(..) | Part::For(..) => return None,
        }
    }
    let Some(Part::Lit(last)) = parts.last() else {
        return None;
    };
    let (_, digits) = last.rsplit_once('/')?;
    let address_text = |c: char| c.is_ascii_hexdigit() || matches!(c, '.' | ':' | '/');
    if digits.is_empty()
        || digits.len() > 3
        || !digits.chars().all(|c| c.is_ascii_digit())
        || !literal.chars().all(address_text)
        || literal.matches('/').count() != 1
    {
        return None;
    }
    digits.parse::<u32>().ok().filter(|p| *p <= 128)
}

fn push_from(from: &mut Vec<Value>, v: Value) {
    if from.len() < 64 {
        // Keep only marks and origins; the data is not needed.
        let mut m = Value::null();
        deep_origins(&v, &mut m.origins);
        m.sensitive = v.contains_sensitive();
        from.push(m);
    }
}

/// Key/value pairs of a collection: index for a list, key for an object.
pub(super) fn iter_pairs(c: &Value) -> Result<Vec<(Value, Value)>, EvalError> {
    match &c.kind {
        Kind::List(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, v)| (Value::number(i as f64), carry(v, c)))
            .collect()),
        Kind::Object(map) => Ok(map
            .iter()
            .map(|(k, v)| (Value::string(k.clone()), carry(v, c)))
            .collect()),
        _ => err(format!("cannot iterate over a {}", type_name(c))),
    }
}

/// An element taken out of a sensitive collection stays sensitive.
fn carry(v: &Value, parent: &Value) -> Value {
    let mut v = v.clone();
    if parent.sensitive {
        v.sensitive = true;
    }
    v
}

/// A copy of `v`, sensitive when `marked` (a container it was read from is).
fn copy_marked(v: &Value, marked: bool) -> Value {
    let mut v = v.clone();
    if marked {
        v.sensitive = true;
    }
    v
}

/// The element `index` would select from a list or object, without copying it; `None` when
/// `index` would do anything else (an unknown key, out of range, an error).
fn index_in_place<'v>(v: &'v Value, key: &Value) -> Option<&'v Value> {
    if key.is_unknown() {
        return None;
    }
    match &v.kind {
        Kind::List(items) => {
            let i = to_num(key).ok()?;
            if i < 0.0 || i.fract() != 0.0 || i as usize >= items.len() {
                return None;
            }
            items.get(i as usize)
        }
        Kind::Object(map) => map.get(&to_str(key).ok()?),
        _ => None,
    }
}

/// `v.name`; copies only the attribute.
pub(super) fn get_attr(v: &Value, name: &str, lenient: bool) -> R {
    match &v.kind {
        Kind::Object(map) => match map.get(name) {
            Some(x) => Ok(carry(x, v)),
            None if lenient => Ok(Value::unknown().with_sensitive(v.sensitive)),
            None => err(format!("this object has no attribute `{name}`")),
        },
        Kind::Unknown => Ok(v.clone()),
        Kind::Null => err(format!("cannot read `{name}` of a null value")),
        Kind::List(_) if lenient => Ok(Value::unknown().with_sensitive(v.sensitive)),
        _ => err(format!("cannot read `{name}` of a {}", type_name(v))),
    }
}

/// `v[key]`; copies only the element.
pub(super) fn index(v: &Value, key: &Value, lenient: bool) -> R {
    if key.is_unknown() {
        return Ok(unknown_from(&[v, key]));
    }
    match &v.kind {
        Kind::Unknown => Ok(v.clone()),
        Kind::List(items) => {
            let i = to_num(key)?;
            if i < 0.0 || i.fract() != 0.0 || i as usize >= items.len() {
                if lenient {
                    return Ok(Value::unknown().with_sensitive(v.sensitive));
                }
                return err("index out of range");
            }
            Ok(carry(&items[i as usize], v))
        }
        Kind::Object(map) => {
            let k = to_str(key)?;
            match map.get(&k) {
                Some(x) => Ok(carry(x, v)),
                None if lenient => Ok(Value::unknown().with_sensitive(v.sensitive)),
                None => err("the given key does not identify an element in this collection"),
            }
        }
        Kind::Null => err("cannot index a null value"),
        _ => err(format!("cannot index a {}", type_name(v))),
    }
}

pub(super) fn binary_values(op: BinOp, a: &Value, b: &Value) -> R {
    if a.is_unknown() || b.is_unknown() {
        return Ok(unknown_from(&[a, b]));
    }
    let kind = match op {
        BinOp::Eq => Kind::Bool(val_eq(a, b)),
        BinOp::NotEq => Kind::Bool(!val_eq(a, b)),
        BinOp::And => Kind::Bool(to_bool(a)? && to_bool(b)?),
        BinOp::Or => Kind::Bool(to_bool(a)? || to_bool(b)?),
        _ => {
            let x = to_num(a)?;
            let y = to_num(b)?;
            match op {
                BinOp::Plus => Kind::Number(x + y),
                BinOp::Minus => Kind::Number(x - y),
                BinOp::Mul => Kind::Number(x * y),
                BinOp::Div => {
                    if y == 0.0 {
                        return err("division by zero");
                    }
                    Kind::Number(x / y)
                }
                BinOp::Mod => {
                    if y == 0.0 {
                        return err("division by zero");
                    }
                    Kind::Number(x % y)
                }
                BinOp::Less => Kind::Bool(x < y),
                BinOp::LessEq => Kind::Bool(x <= y),
                BinOp::Greater => Kind::Bool(x > y),
                BinOp::GreaterEq => Kind::Bool(x >= y),
                _ => Kind::Null,
            }
        }
    };
    Ok(derive(kind, &[a, b]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading in place gives exactly what copying the whole value first gave: the same value,
    /// sensitive marks and origins, or the same error, for found and missing members, unknowns,
    /// nulls, indexes in and out of range and splats, lenient or not.
    #[test]
    fn traversal_in_place_equals_traversal_of_a_copy() {
        let at = Origin::new(FileId::intern("t.tf"), 1, 2, OriginKind::Local);
        let item = Value::object_from([("c".to_string(), Value::string("x").with_origin(at))]);
        let inner = Value::object_from([
            (
                "b".to_string(),
                Value::list(vec![item, Value::unknown(), Value::null()]),
            ),
            (
                "m".to_string(),
                Value::object_from([("k".to_string(), Value::string("y"))]),
            ),
        ])
        .with_sensitive(true);
        let v = Value::object_from([
            ("a".to_string(), inner),
            ("u".to_string(), Value::unknown()),
            ("n".to_string(), Value::null()),
        ]);
        let exprs = [
            "v",
            "v.a",
            "v.a.b",
            "v.a.b[0].c",
            "v.a.b[1].c",
            "v.a.b[2].c",
            "v.a.b[5]",
            "v.a.b[-1]",
            "v.a.b[\"x\"]",
            "v.a.m[\"k\"]",
            "v.a.m[\"zz\"]",
            "v.a.m.k",
            "v.a.m.zz",
            "v.u.x",
            "v.u[0].y",
            "v.n.x",
            "v.n[0]",
            "v.a.b[*].c",
            "v.a.b.*.c",
            "v.a.b[0].c.d",
            "v.a.b[0][\"c\"]",
            "v.missing",
        ];
        let body = super::super::ast::parse_native(
            &exprs
                .iter()
                .enumerate()
                .map(|(i, e)| format!("x{i} = {e}\n"))
                .collect::<String>(),
        )
        .expect("the test expressions parse");
        let ev = Ev::new(FileId::intern("t.tf"), OriginKind::Literal, &NoNames);
        let scope = Scope::root();
        for (attr, text) in body.attrs.iter().zip(exprs) {
            let ops: &[Op] = match &attr.expr.k {
                E::Trav(_, ops) => ops,
                _ => &[],
            };
            for lenient in [false, true] {
                assert_eq!(
                    ev.apply_ops_in_place(&v, ops, lenient, &scope),
                    ev.apply_ops(v.clone(), ops, lenient, &scope),
                    "{text} (lenient: {lenient})"
                );
            }
        }
    }
}
