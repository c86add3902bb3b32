//! Type conversion: `tostring`, `tolist`, `try`-like conversions.

use super::*;

/// The functions of this family; `next` for any other name.
pub(super) fn call(c: &Call<'_>, next: &dyn Fn() -> R) -> R {
    helpers!(c; name, args, refs, a, s, n, scalar, str_out, container);
    match name {
        "tostring" => {
            let v = a(0)?;
            match &v.kind {
                Kind::Unknown | Kind::Null => Ok(v.clone()),
                Kind::String(_) => Ok(v.clone()),
                _ => {
                    let mut out = v.clone();
                    out.kind = Kind::String(to_str(v)?);
                    Ok(out)
                }
            }
        }
        "tonumber" => {
            let v = a(0)?;
            match &v.kind {
                Kind::Unknown | Kind::Null => Ok(v.clone()),
                _ => {
                    let mut out = v.clone();
                    out.kind = Kind::Number(to_num(v)?);
                    Ok(out)
                }
            }
        }
        "tobool" => {
            let v = a(0)?;
            match &v.kind {
                Kind::Unknown | Kind::Null => Ok(v.clone()),
                _ => {
                    let mut out = v.clone();
                    out.kind = Kind::Bool(to_bool(v)?);
                    Ok(out)
                }
            }
        }
        "tolist" | "tomap" => Ok(a(0)?.clone()),
        "toset" => {
            let v = a(0)?;
            match &v.kind {
                Kind::List(items) => {
                    // An unknown element may equal another one. Objects that only contain
                    // unknowns (`toset(aws_subnet.x)`) stay elements of their own, as in
                    // Terraform, where unknown values never compare equal: iterating them
                    // reads each one, and only the set's length is uncertain.
                    if items.iter().any(Value::is_unknown) {
                        return Ok(unknown_from(refs));
                    }
                    let mut out = v.clone();
                    out.kind = Kind::list(set_of(items.to_vec()));
                    Ok(out)
                }
                Kind::Unknown | Kind::Null => Ok(v.clone()),
                _ => err("toset: a list is required"),
            }
        }
        "sensitive" => {
            let mut v = a(0)?.clone();
            mark_sensitive(&mut v);
            Ok(v)
        }
        "nonsensitive" => {
            let mut v = a(0)?.clone();
            unmark(&mut v);
            Ok(v)
        }
        "issensitive" => Ok(Value::bool(a(0)?.contains_sensitive())),
        "type" => Ok(Value::string(type_name(a(0)?))),
        _ => next(),
    }
}
