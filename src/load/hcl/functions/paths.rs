//! Paths: the pure path functions.

use super::*;

/// The functions of this family; `next` for any other name.
pub(super) fn call(c: &Call<'_>, next: &dyn Fn() -> R) -> R {
    helpers!(c; name, args, refs, a, s, n, scalar, str_out, container);
    match name {
        "basename" => {
            let p = s(0)?;
            let t = p.trim_end_matches('/');
            str_out(t.rsplit('/').next().unwrap_or("").to_string())
        }
        "dirname" => {
            let p = s(0)?;
            let t = p.trim_end_matches('/');
            str_out(match t.rfind('/') {
                Some(0) => "/".to_string(),
                Some(i) => t[..i].to_string(),
                None => ".".to_string(),
            })
        }
        "pathexpand" => str_out(s(0)?),
        _ => next(),
    }
}
