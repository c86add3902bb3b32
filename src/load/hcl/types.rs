//! Variable type constraints and Terraform's conversions, including `optional()` defaults.

use super::ast::{Expr, E};
use super::eval::{Ev, Scope};
use super::vals::*;
use guard_policies::{Kind, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum Ty {
    Any,
    String,
    Number,
    Bool,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
    Object(Vec<Field>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub optional: bool,
    pub default: Option<Expr>,
}

/// Reads a type expression; anything not understood is `any`.
pub(super) fn parse_type(e: &Expr) -> Ty {
    match &e.k {
        E::Var(n) => match n.as_str() {
            "string" => Ty::String,
            "number" => Ty::Number,
            "bool" => Ty::Bool,
            "list" => Ty::List(Box::new(Ty::Any)),
            "map" => Ty::Map(Box::new(Ty::Any)),
            "set" => Ty::Set(Box::new(Ty::Any)),
            _ => Ty::Any,
        },
        E::Str(s) => match s.as_str() {
            "string" => Ty::String,
            "list" => Ty::List(Box::new(Ty::Any)),
            "map" => Ty::Map(Box::new(Ty::Any)),
            _ => Ty::Any,
        },
        E::Paren(inner) => parse_type(inner),
        E::Call(name, args, _) => {
            let inner = || args.first().map(parse_type).unwrap_or(Ty::Any);
            match name.as_str() {
                "list" => Ty::List(Box::new(inner())),
                "set" => Ty::Set(Box::new(inner())),
                "map" => Ty::Map(Box::new(inner())),
                "tuple" => match args.first().map(|a| &a.k) {
                    Some(E::Array(items)) => Ty::Tuple(items.iter().map(parse_type).collect()),
                    _ => Ty::Any,
                },
                "object" => match args.first().map(|a| &a.k) {
                    Some(E::Object(items)) => Ty::Object(
                        items
                            .iter()
                            .filter_map(|(k, v)| {
                                let name = match &k.k {
                                    E::Var(n) => n.clone(),
                                    _ => k.as_lit_str()?,
                                };
                                Some(match &v.k {
                                    E::Call(f, a, _) if f == "optional" => Field {
                                        name,
                                        ty: a.first().map(parse_type).unwrap_or(Ty::Any),
                                        optional: true,
                                        default: a.get(1).cloned(),
                                    },
                                    _ => Field {
                                        name,
                                        ty: parse_type(v),
                                        optional: false,
                                        default: None,
                                    },
                                })
                            })
                            .collect(),
                    ),
                    _ => Ty::Any,
                },
                _ => Ty::Any,
            }
        }
        _ => Ty::Any,
    }
}

/// Converts a value to a type, applying `optional()` defaults. Conversions Terraform would
/// reject leave the value as it is (a static guard must not invent a failure).
pub(super) fn convert(v: Value, ty: &Ty, ev: &Ev<'_>) -> Value {
    if v.is_unknown() || v.is_null() {
        return v;
    }
    match ty {
        Ty::Any => v,
        Ty::String => match &v.kind {
            Kind::Number(_) | Kind::Bool(_) => {
                let s = to_str(&v).unwrap_or_default();
                Value {
                    kind: Kind::String(s),
                    ..v
                }
            }
            _ => v,
        },
        Ty::Number => match &v.kind {
            Kind::String(s) => match s.trim().parse::<f64>() {
                Ok(n) => Value {
                    kind: Kind::Number(n),
                    ..v
                },
                Err(_) => v,
            },
            _ => v,
        },
        Ty::Bool => match &v.kind {
            Kind::String(s) if s == "true" || s == "false" => {
                let b = s == "true";
                Value {
                    kind: Kind::Bool(b),
                    ..v
                }
            }
            _ => v,
        },
        Ty::List(t) | Ty::Set(t) => {
            let is_set = matches!(ty, Ty::Set(_));
            match v.kind {
                Kind::List(items) => {
                    let items: Vec<Value> = Arc::unwrap_or_clone(items)
                        .into_iter()
                        .map(|i| convert(i, t, ev))
                        .collect();
                    let items = if is_set && !items.iter().any(Value::contains_unknown) {
                        set_of(items)
                    } else {
                        items
                    };
                    Value {
                        kind: Kind::list(items),
                        sensitive: v.sensitive,
                        secret: false,
                        origins: v.origins,
                    }
                }
                other => Value {
                    kind: other,
                    sensitive: v.sensitive,
                    secret: false,
                    origins: v.origins,
                },
            }
        }
        Ty::Map(t) => match v.kind {
            Kind::Object(map) => Value {
                kind: Kind::object(
                    Arc::unwrap_or_clone(map)
                        .into_iter()
                        .map(|(k, i)| (k, convert(i, t, ev)))
                        .collect(),
                ),
                sensitive: v.sensitive,
                secret: false,
                origins: v.origins,
            },
            other => Value {
                kind: other,
                sensitive: v.sensitive,
                secret: false,
                origins: v.origins,
            },
        },
        Ty::Tuple(ts) => match v.kind {
            Kind::List(items) => Value {
                kind: Kind::list(
                    Arc::unwrap_or_clone(items)
                        .into_iter()
                        .enumerate()
                        .map(|(i, x)| match ts.get(i) {
                            Some(t) => convert(x, t, ev),
                            None => x,
                        })
                        .collect(),
                ),
                sensitive: v.sensitive,
                secret: false,
                origins: v.origins,
            },
            other => Value {
                kind: other,
                sensitive: v.sensitive,
                secret: false,
                origins: v.origins,
            },
        },
        Ty::Object(fields) => match v.kind {
            Kind::Object(map) => {
                let mut map = Arc::unwrap_or_clone(map);
                let mut out = BTreeMap::new();
                for f in fields {
                    let value = match map.remove(&f.name) {
                        Some(x) if !x.is_null() => convert(x, &f.ty, ev),
                        other => {
                            if let Some(d) = &f.default {
                                match ev.eval(d, &Scope::root()) {
                                    Ok(dv) => convert(dv, &f.ty, ev),
                                    Err(_) => Value::unknown(),
                                }
                            } else {
                                other.unwrap_or_default()
                            }
                        }
                    };
                    out.insert(f.name.clone(), value);
                }
                Value {
                    kind: Kind::object(out),
                    sensitive: v.sensitive,
                    secret: false,
                    origins: v.origins,
                }
            }
            other => Value {
                kind: other,
                sensitive: v.sensitive,
                secret: false,
                origins: v.origins,
            },
        },
    }
}

/// Whether a declared type takes its value as a string (Terragrunt inputs and `TF_VAR_` values
/// arrive as text and are parsed as HCL for other types).
pub(super) fn is_stringish(ty: Option<&Ty>) -> bool {
    matches!(ty, None | Some(Ty::String) | Some(Ty::Any))
}
