//! Numbers: arithmetic and parsing.

use super::*;

/// The functions of this family; `next` for any other name.
pub(super) fn call(c: &Call<'_>, next: &dyn Fn() -> R) -> R {
    helpers!(c; name, args, refs, a, s, n, scalar, str_out, container);
    match name {
        "abs" => scalar(Kind::Number(n(0)?.abs())),
        "ceil" => scalar(Kind::Number(n(0)?.ceil())),
        "floor" => scalar(Kind::Number(n(0)?.floor())),
        "signum" => scalar(Kind::Number(if n(0)? > 0.0 {
            1.0
        } else if n(0)? < 0.0 {
            -1.0
        } else {
            0.0
        })),
        "log" => scalar(Kind::Number(n(0)?.ln() / n(1)?.ln())),
        "pow" => scalar(Kind::Number(n(0)?.powf(n(1)?))),
        "max" | "min" => {
            if args.is_empty() {
                return err(format!("{name} needs at least one argument"));
            }
            let mut best = n(0)?;
            for i in 1..args.len() {
                let x = n(i)?;
                if (name == "max" && x > best) || (name == "min" && x < best) {
                    best = x;
                }
            }
            scalar(Kind::Number(best))
        }
        "parseint" => {
            let text = s(0)?;
            let base = n(1)? as u32;
            if !(2..=62).contains(&base) {
                return err("parseint: base must be between 2 and 62");
            }
            let (neg, digits) = match text.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, text.strip_prefix('+').unwrap_or(&text)),
            };
            let v = i128::from_str_radix(digits, base.min(36))
                .map_err(|_| EvalError("parseint: cannot parse the given string".into()))?;
            scalar(Kind::Number(if neg { -(v as f64) } else { v as f64 }))
        }
        _ => next(),
    }
}
