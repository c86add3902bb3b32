//! Helpers over model values used by the evaluator and functions.

use guard_policies::{Kind, Origin, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What one evaluation (a local, a resource, a module call, an output: see `eval::Budget`) may
/// build, in units of one value or [`BYTES_PER_UNIT`] bytes of text. A triple `for` over
/// `range(1000)` or a string doubled through 40 locals stops here with an input error after a
/// bounded amount of work, instead of exhausting memory. Real configurations stay far below.
pub(super) const MAX_WORK: usize = 1_000_000;
pub(super) const BYTES_PER_UNIT: usize = 64;

/// At most this many origins are kept on one value.
pub(super) const MAX_ORIGINS: usize = 8;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct EvalError(pub String);

pub(super) type R = Result<Value, EvalError>;

pub(super) fn err<T>(msg: impl Into<String>) -> Result<T, EvalError> {
    Err(EvalError(msg.into()))
}

/// How a resource-exhaustion error starts; see [`EvalError::limit`].
const LIMIT: &str = "too large to evaluate";

impl EvalError {
    /// An expression that would build more than the evaluator allows (a memory bomb, or a
    /// configuration too big to check): an input error, never an unknown value that passes.
    pub(super) fn limit(what: impl std::fmt::Display) -> EvalError {
        EvalError(format!(
            "{LIMIT}: {what} (guard stops one expression at {} values or {} MB of text)",
            MAX_WORK,
            MAX_WORK * BYTES_PER_UNIT / 1_000_000
        ))
    }

    pub(super) fn is_limit(&self) -> bool {
        self.0.starts_with(LIMIT)
    }
}

/// Fails with [`EvalError::limit`] when a string of `len` bytes would exceed what one
/// expression may build; call before allocating it.
pub(super) fn check_len(len: usize, what: &str) -> Result<(), EvalError> {
    if len > MAX_WORK * BYTES_PER_UNIT {
        return Err(EvalError::limit(format_args!(
            "{what} would be {len} bytes long"
        )));
    }
    Ok(())
}

/// Adds origins (deduplicated, capped).
pub(super) fn add_origins(v: &mut Value, more: &[Origin]) {
    for o in more {
        if v.origins.len() >= MAX_ORIGINS {
            break;
        }
        if !v.origins.contains(o) {
            v.origins.push(o.clone());
        }
    }
}

/// Every origin in a value, its own first, then its elements' (capped).
pub(super) fn deep_origins(v: &Value, out: &mut Vec<Origin>) {
    if out.len() >= MAX_ORIGINS {
        return;
    }
    for o in &v.origins {
        if out.len() >= MAX_ORIGINS {
            return;
        }
        if !out.contains(o) {
            out.push(o.clone());
        }
    }
    match &v.kind {
        Kind::List(items) => items.iter().for_each(|i| deep_origins(i, out)),
        Kind::Object(map) => map.values().for_each(|i| deep_origins(i, out)),
        _ => {}
    }
}

/// The result of combining some inputs into a scalar: marks and origins of all of them.
pub(super) fn derive(kind: Kind, from: &[&Value]) -> Value {
    let mut v = Value::new(kind);
    let mut origins = Vec::new();
    for f in from {
        deep_origins(f, &mut origins);
        if f.contains_sensitive() {
            v.sensitive = true;
        }
    }
    v.origins = origins;
    v
}

/// Unknown, carrying the marks and origins of what it was computed from.
pub(super) fn unknown_from(from: &[&Value]) -> Value {
    derive(Kind::Unknown, from)
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match &v.kind {
        Kind::Null => "null",
        Kind::Unknown => "unknown",
        Kind::Bool(_) => "bool",
        Kind::Number(_) => "number",
        Kind::String(_) => "string",
        Kind::List(_) => "list",
        Kind::Object(_) => "object",
    }
}

/// Deep equality of the data, ignoring marks and origins.
pub(super) fn val_eq(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Null, Kind::Null) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Number(x), Kind::Number(y)) => x == y,
        (Kind::String(x), Kind::String(y)) => x == y,
        (Kind::List(x), Kind::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| val_eq(p, q))
        }
        (Kind::Object(x), Kind::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && val_eq(v1, v2))
        }
        _ => false,
    }
}

/// A string for a value used as a string (template interpolation, string functions).
pub(super) fn to_str(v: &Value) -> Result<String, EvalError> {
    match &v.kind {
        Kind::String(s) => Ok(s.clone()),
        Kind::Number(n) => Ok(guard_policies::value::format_number(*n)),
        Kind::Bool(b) => Ok(b.to_string()),
        Kind::Null => err("a null value cannot be used as a string"),
        Kind::Unknown => err("unknown value used as a string"),
        _ => err(format!("a {} cannot be used as a string", type_name(v))),
    }
}

pub(super) fn to_num(v: &Value) -> Result<f64, EvalError> {
    match &v.kind {
        Kind::Number(n) => Ok(*n),
        Kind::String(s) => s.trim().parse::<f64>().map_err(|_| {
            EvalError("a string that is not a number cannot be used as a number".into())
        }),
        Kind::Null => err("a null value cannot be used as a number"),
        _ => err(format!("a {} cannot be used as a number", type_name(v))),
    }
}

pub(super) fn to_bool(v: &Value) -> Result<bool, EvalError> {
    match &v.kind {
        Kind::Bool(b) => Ok(*b),
        Kind::String(s) if s == "true" => Ok(true),
        Kind::String(s) if s == "false" => Ok(false),
        Kind::Null => err("a null value cannot be used as a bool"),
        _ => err(format!("a {} cannot be used as a bool", type_name(v))),
    }
}

pub(super) fn to_int(v: &Value) -> Result<i64, EvalError> {
    let n = to_num(v)?;
    if n.fract() != 0.0 {
        return err("a whole number is required");
    }
    Ok(n as i64)
}

/// Items of a list, or of an object's values (for functions that accept both).
pub(super) fn items(v: &Value) -> Result<&[Value], EvalError> {
    match &v.kind {
        Kind::List(items) => Ok(items),
        _ => err(format!("a list is required, got a {}", type_name(v))),
    }
}

pub(super) fn obj(v: &Value) -> Result<&BTreeMap<String, Value>, EvalError> {
    match &v.kind {
        Kind::Object(m) => Ok(m),
        _ => err(format!(
            "a map or object is required, got a {}",
            type_name(v)
        )),
    }
}

pub(super) fn list(items: Vec<Value>) -> Value {
    Value::list(items)
}

pub(super) fn string(s: impl Into<String>) -> Value {
    Value::string(s)
}

/// Marks every leaf of a value sensitive.
pub(super) fn mark_sensitive(v: &mut Value) {
    v.sensitive = true;
}

/// Removes sensitive marks everywhere.
pub(super) fn unmark(v: &mut Value) {
    v.sensitive = false;
    match &mut v.kind {
        Kind::List(items) => Arc::make_mut(items).iter_mut().for_each(unmark),
        Kind::Object(map) => Arc::make_mut(map).values_mut().for_each(unmark),
        _ => {}
    }
}

/// Sorts strings (or numbers) and removes duplicates, as Terraform orders a set.
pub(super) fn set_of(mut items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    let all_str = items.iter().all(|i| matches!(i.kind, Kind::String(_)));
    let all_num = items.iter().all(|i| matches!(i.kind, Kind::Number(_)));
    if all_str {
        items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if all_num {
        items.sort_by(|a, b| {
            a.as_f64()
                .partial_cmp(&b.as_f64())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    for i in items {
        if !out.iter().any(|o| val_eq(o, &i)) {
            out.push(i);
        }
    }
    out
}

/// JSON text of a value, as Terraform's `jsonencode` writes it.
pub(super) fn to_json(v: &Value, out: &mut String) -> Result<(), EvalError> {
    match &v.kind {
        Kind::Null => out.push_str("null"),
        Kind::Unknown => return err("unknown value"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Number(n) => {
            if !n.is_finite() {
                return err("number cannot be encoded as JSON");
            }
            out.push_str(&guard_policies::value::format_number(*n))
        }
        Kind::String(s) => json_string(s, out),
        Kind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                to_json(item, out)?;
            }
            out.push(']');
        }
        Kind::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                to_json(item, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Go's JSON string encoding (with HTML characters escaped, as `jsonencode` does).
fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A model value from decoded JSON.
pub(super) fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::null(),
        serde_json::Value::Bool(b) => Value::bool(*b),
        serde_json::Value::Number(n) => Value::number(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::string(s.clone()),
        serde_json::Value::Array(items) => Value::list(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::object(map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

/// Sets origins on every node of a value that has none (values decoded from data).
pub(super) fn stamp_origins(v: &mut Value, origin: &Origin) {
    if v.origins.is_empty() {
        v.origins.push(origin.clone());
    }
    match &mut v.kind {
        Kind::List(items) => Arc::make_mut(items)
            .iter_mut()
            .for_each(|i| stamp_origins(i, origin)),
        Kind::Object(map) => Arc::make_mut(map)
            .values_mut()
            .for_each(|i| stamp_origins(i, origin)),
        _ => {}
    }
}
