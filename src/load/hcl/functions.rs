//! Terraform's pure built-in functions, with go-cty's semantics (read, not copied).
//!
//! Impure functions (`timestamp`, `uuid`, `bcrypt`, ...) return unknown, as Terraform's
//! validate-time scope does. Functions that read files are resolved by the caller (they need the
//! module directory and the sandbox) before this table is consulted.

use super::cidr;
use super::vals::*;
use base64::Engine as _;
use guard_policies::{Kind, Origin, Value};
use sha2::Digest;
use std::collections::BTreeMap;

/// Functions that handle unknown elements themselves.
fn accepts_partial(name: &str) -> bool {
    matches!(
        name,
        "length"
            | "concat"
            | "merge"
            | "tolist"
            | "tomap"
            | "toset"
            | "lookup"
            | "element"
            | "keys"
            | "values"
            | "zipmap"
            | "flatten"
            | "coalesce"
            | "coalescelist"
            | "slice"
            | "reverse"
            | "compact"
            | "one"
            | "sensitive"
            | "nonsensitive"
            | "issensitive"
            | "contains"
            | "distinct"
            | "type"
            | "tostring"
            | "tonumber"
            | "tobool"
    )
}

fn impure(name: &str) -> bool {
    matches!(
        name,
        "timestamp"
            | "plantimestamp"
            | "uuid"
            | "uuidv5"
            | "bcrypt"
            | "rsadecrypt"
            | "timeadd"
            | "timecmp"
            | "base64gzip"
            | "yamlencode"
            | "textencodebase64"
            | "textdecodebase64"
            | "ephemeralasnull"
    ) || name.starts_with("provider::")
}

pub(super) fn call(name: &str, args: &[Value], at: &Origin) -> R {
    if impure(name) {
        return Ok(unknown_from(&args.iter().collect::<Vec<_>>()));
    }
    if !accepts_partial(name) && args.iter().any(Value::contains_unknown) {
        return Ok(unknown_from(&args.iter().collect::<Vec<_>>()));
    }
    let refs: Vec<&Value> = args.iter().collect();
    let a = |i: usize| -> Result<&Value, EvalError> {
        args.get(i)
            .ok_or_else(|| EvalError(format!("{name}: missing argument {}", i + 1)))
    };
    let s = |i: usize| -> Result<String, EvalError> { to_str(a(i)?) };
    let n = |i: usize| -> Result<f64, EvalError> { to_num(a(i)?) };
    let scalar = |k: Kind| -> R { Ok(derive(k, &refs)) };
    let str_out = |x: String| -> R { Ok(derive(Kind::String(x), &refs)) };
    let container = |k: Kind| -> R {
        let mut v = Value::new(k);
        for x in &refs {
            add_origins(&mut v, &x.origins);
            if x.sensitive {
                v.sensitive = true;
            }
        }
        Ok(v)
    };
    let _ = at;
    // A network range whose address is known only after apply (a VPC's `cidr_block`): its
    // subnets are bounded the same way; hosts and masks are unknown.
    if let (true, Some(prefix)) = (
        name.starts_with("cidr"),
        args.first()
            .and_then(Value::as_str)
            .and_then(guard_policies::value::bounded_block_prefix),
    ) {
        let sub = |newbits: &Value| -> R {
            let p = prefix + u32::try_from(to_int(newbits)?).unwrap_or(u32::MAX).min(128);
            let stand_in = guard_policies::value::bounded_block_stand_in("a subnet", p.min(128));
            Ok(derive(Kind::String(stand_in), &refs))
        };
        return match name {
            "cidrsubnet" => sub(a(1)?),
            "cidrsubnets" => {
                let mut out = Vec::new();
                for i in 1..args.len() {
                    out.push(sub(a(i)?)?);
                }
                container(Kind::List(out))
            }
            _ => Ok(unknown_from(&refs)),
        };
    }
    match name {
        // Numbers
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
        // Strings
        "chomp" => str_out(s(0)?.trim_end_matches(['\n', '\r']).to_string()),
        "lower" => str_out(s(0)?.to_lowercase()),
        "upper" => str_out(s(0)?.to_uppercase()),
        "title" => {
            let mut out = String::new();
            let mut prev_letter = false;
            for c in s(0)?.chars() {
                if !prev_letter && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                prev_letter = c.is_alphanumeric();
            }
            str_out(out)
        }
        "strrev" => str_out(s(0)?.chars().rev().collect()),
        "trimspace" => str_out(s(0)?.trim().to_string()),
        "trim" => {
            let cut = s(1)?;
            str_out(s(0)?.trim_matches(|c| cut.contains(c)).to_string())
        }
        "trimprefix" => {
            let x = s(0)?;
            let p = s(1)?;
            str_out(x.strip_prefix(p.as_str()).unwrap_or(&x).to_string())
        }
        "trimsuffix" => {
            let x = s(0)?;
            let p = s(1)?;
            str_out(x.strip_suffix(p.as_str()).unwrap_or(&x).to_string())
        }
        "startswith" => scalar(Kind::Bool(s(0)?.starts_with(&s(1)?))),
        "endswith" => scalar(Kind::Bool(s(0)?.ends_with(&s(1)?))),
        "strcontains" => scalar(Kind::Bool(s(0)?.contains(&s(1)?))),
        "indent" => {
            let width = n(0)?.max(0.0) as usize;
            let text = s(1)?;
            let lines = text.matches('\n').count();
            check_len(
                width.saturating_mul(lines).saturating_add(text.len()),
                "indent",
            )?;
            let pad = " ".repeat(width);
            let mut out = String::new();
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    out.push('\n');
                    if !line.is_empty() {
                        out.push_str(&pad);
                    }
                }
                out.push_str(line);
            }
            str_out(out)
        }
        "join" => {
            let sep = s(0)?;
            let mut parts = Vec::new();
            for l in &args[1..] {
                for i in items(l)? {
                    if i.is_unknown() {
                        return Ok(unknown_from(&refs));
                    }
                    parts.push(to_str(i)?);
                }
            }
            str_out(parts.join(&sep))
        }
        "split" => {
            let sep = s(0)?;
            let text = s(1)?;
            let parts: Vec<Value> = if sep.is_empty() {
                text.chars().map(|c| string(c.to_string())).collect()
            } else {
                text.split(sep.as_str()).map(string).collect()
            };
            let parts = parts
                .into_iter()
                .map(|mut p| {
                    add_origins(&mut p, &a(1).map(|v| v.origins.clone()).unwrap_or_default());
                    p.sensitive = a(1).map(|v| v.sensitive).unwrap_or(false);
                    p
                })
                .collect();
            container(Kind::List(parts))
        }
        "substr" => {
            let text: Vec<char> = s(0)?.chars().collect();
            let len = text.len() as i64;
            let mut off = n(1)? as i64;
            let mut l = n(2)? as i64;
            if off < 0 {
                off += len;
            }
            if off < 0 || off > len {
                return err("substr: offset out of range");
            }
            if l < 0 || off + l > len {
                l = len - off;
            }
            str_out(text[off as usize..(off + l) as usize].iter().collect())
        }
        "replace" => {
            let x = s(0)?;
            let from = s(1)?;
            let to = s(2)?;
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                let re = regex::Regex::new(&from[1..from.len() - 1])
                    .map_err(|_| EvalError("replace: invalid regular expression".into()))?;
                let to = go_template_to_rust(&to);
                check_len(
                    re.find_iter(&x)
                        .count()
                        .saturating_mul(to.len())
                        .saturating_add(x.len()),
                    "replace",
                )?;
                str_out(re.replace_all(&x, to.as_str()).into_owned())
            } else if from.is_empty() {
                str_out(x)
            } else {
                let grows = to.len().saturating_sub(from.len());
                check_len(
                    x.matches(from.as_str())
                        .count()
                        .saturating_mul(grows)
                        .saturating_add(x.len()),
                    "replace",
                )?;
                str_out(x.replace(&from, &to))
            }
        }
        "regex" | "regexall" => {
            let re = regex::Regex::new(&s(0)?)
                .map_err(|_| EvalError(format!("{name}: invalid regular expression")))?;
            let text = s(1)?;
            let names: Vec<Option<&str>> = re.capture_names().collect();
            let has_named = names.iter().any(Option::is_some);
            let one = |caps: regex::Captures<'_>| -> Value {
                if re.captures_len() == 1 {
                    string(caps.get(0).map_or("", |m| m.as_str()))
                } else if has_named {
                    let mut m = BTreeMap::new();
                    for (i, nm) in names.iter().enumerate() {
                        if let Some(nm) = nm {
                            m.insert(
                                nm.to_string(),
                                caps.get(i).map_or(Value::null(), |c| string(c.as_str())),
                            );
                        }
                    }
                    Value::object(m)
                } else {
                    list(
                        (1..re.captures_len())
                            .map(|i| caps.get(i).map_or(Value::null(), |c| string(c.as_str())))
                            .collect(),
                    )
                }
            };
            if name == "regex" {
                match re.captures(&text) {
                    Some(c) => container(one(c).kind),
                    None => err("regex: pattern did not match"),
                }
            } else {
                container(Kind::List(re.captures_iter(&text).map(one).collect()))
            }
        }
        "format" => str_out(format(&s(0)?, &args[1..])?),
        "formatlist" => {
            let fmt = s(0)?;
            let rest = &args[1..];
            let mut len: Option<usize> = None;
            for r in rest {
                if let Kind::List(items) = &r.kind {
                    match len {
                        Some(l) if l != items.len() => {
                            return err("formatlist: lists must have the same length")
                        }
                        _ => len = Some(items.len()),
                    }
                }
            }
            let len = len.unwrap_or(1);
            let mut out = Vec::with_capacity(len);
            for i in 0..len {
                let row: Vec<Value> = rest
                    .iter()
                    .map(|r| match &r.kind {
                        Kind::List(items) => items[i].clone(),
                        _ => r.clone(),
                    })
                    .collect();
                out.push(string(format(&fmt, &row)?));
            }
            container(Kind::List(out))
        }
        // Collections
        "length" => {
            let v = a(0)?;
            match &v.kind {
                Kind::List(i) => scalar(Kind::Number(i.len() as f64)),
                Kind::Object(m) => scalar(Kind::Number(m.len() as f64)),
                Kind::String(s) => scalar(Kind::Number(s.chars().count() as f64)),
                Kind::Unknown => Ok(unknown_from(&refs)),
                _ => err(format!("length of a {} is not defined", type_name(v))),
            }
        }
        "concat" => {
            let mut out = Vec::new();
            for l in args {
                match &l.kind {
                    Kind::List(items) => out.extend(items.iter().cloned()),
                    Kind::Unknown => return Ok(unknown_from(&refs)),
                    _ => return err("concat: all arguments must be lists"),
                }
            }
            container(Kind::List(out))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for m in args {
                match &m.kind {
                    Kind::Object(map) => {
                        for (k, v) in map {
                            out.insert(k.clone(), carry_mark(v, m));
                        }
                    }
                    Kind::Null => {}
                    Kind::Unknown => return Ok(unknown_from(&refs)),
                    _ => return err("merge: arguments must be maps or objects"),
                }
            }
            container(Kind::Object(out))
        }
        "compact" => {
            let l = a(0)?;
            if l.is_unknown() {
                return Ok(unknown_from(&refs));
            }
            let mut out = Vec::new();
            for i in items(l)? {
                match &i.kind {
                    Kind::Unknown => return Ok(unknown_from(&refs)),
                    Kind::Null => {}
                    Kind::String(s) if s.is_empty() => {}
                    _ => out.push(i.clone()),
                }
            }
            container(Kind::List(out))
        }
        "distinct" => {
            let l = a(0)?;
            if l.is_unknown() || items(l)?.iter().any(Value::contains_unknown) {
                return Ok(unknown_from(&refs));
            }
            let mut out: Vec<Value> = Vec::new();
            for i in items(l)? {
                if !out.iter().any(|o| val_eq(o, i)) {
                    out.push(i.clone());
                }
            }
            container(Kind::List(out))
        }
        "sort" => {
            let mut strs = Vec::new();
            for i in items(a(0)?)? {
                strs.push((to_str(i)?, i.clone()));
            }
            strs.sort_by(|x, y| x.0.cmp(&y.0));
            container(Kind::List(
                strs.into_iter()
                    .map(|(s, mut v)| {
                        v.kind = Kind::String(s);
                        v
                    })
                    .collect(),
            ))
        }
        "reverse" => {
            let l = a(0)?;
            if l.is_unknown() {
                return Ok(unknown_from(&refs));
            }
            let mut out = items(l)?.to_vec();
            out.reverse();
            container(Kind::List(out))
        }
        "contains" => {
            let l = a(0)?;
            let x = a(1)?;
            if l.is_unknown() || x.contains_unknown() {
                return Ok(unknown_from(&refs));
            }
            let list = items(l)?;
            if list.iter().any(|i| val_eq(i, x)) {
                return scalar(Kind::Bool(true));
            }
            if list.iter().any(Value::contains_unknown) {
                return Ok(unknown_from(&refs));
            }
            scalar(Kind::Bool(false))
        }
        "element" => {
            let l = a(0)?;
            if l.is_unknown() {
                return Ok(unknown_from(&refs));
            }
            let list = items(l)?;
            if list.is_empty() {
                return err("element: cannot use element function with an empty list");
            }
            let i = to_int(a(1)?)?;
            if i < 0 {
                return err("element: index must not be negative");
            }
            Ok(carry_mark(&list[i as usize % list.len()], l))
        }
        "index" => {
            let list = items(a(0)?)?;
            let x = a(1)?;
            match list.iter().position(|i| val_eq(i, x)) {
                Some(p) => scalar(Kind::Number(p as f64)),
                None => err("index: item not found"),
            }
        }
        "flatten" => {
            let l = a(0)?;
            if l.is_unknown() {
                return Ok(unknown_from(&refs));
            }
            let mut out = Vec::new();
            fn flat(v: &Value, out: &mut Vec<Value>) -> bool {
                match &v.kind {
                    Kind::List(items) => items.iter().all(|i| flat(i, out)),
                    Kind::Unknown => false,
                    _ => {
                        out.push(v.clone());
                        true
                    }
                }
            }
            if !flat(l, &mut out) {
                return Ok(unknown_from(&refs));
            }
            container(Kind::List(out))
        }
        "keys" => {
            let m = a(0)?;
            if m.is_unknown() {
                return Ok(unknown_from(&refs));
            }
            container(Kind::List(
                obj(m)?.keys().map(|k| string(k.clone())).collect(),
            ))
        }
        "values" => {
            let m = a(0)?;
            if m.is_unknown() {
                return Ok(unknown_from(&refs));
            }
            container(Kind::List(obj(m)?.values().cloned().collect()))
        }
        "lookup" => {
            let m = a(0)?;
            let k = a(1)?;
            if m.is_unknown() || k.is_unknown() {
                return Ok(unknown_from(&refs));
            }
            let key = to_str(k)?;
            match obj(m)?.get(&key) {
                Some(v) => Ok(carry_mark(v, m)),
                None => match args.get(2) {
                    Some(d) => Ok(d.clone()),
                    None => err("lookup: the key does not exist and no default was given"),
                },
            }
        }
        "zipmap" => {
            let ks = a(0)?;
            let vs = a(1)?;
            if ks.is_unknown() || vs.is_unknown() {
                return Ok(unknown_from(&refs));
            }
            let ks = items(ks)?;
            let vs = items(vs)?;
            if ks.len() != vs.len() {
                return err("zipmap: the lists must have the same length");
            }
            let mut out = BTreeMap::new();
            for (k, v) in ks.iter().zip(vs) {
                if k.is_unknown() {
                    return Ok(unknown_from(&refs));
                }
                out.insert(to_str(k)?, v.clone());
            }
            container(Kind::Object(out))
        }
        "coalesce" => {
            for v in args {
                if v.is_unknown() {
                    return Ok(unknown_from(&refs));
                }
                match &v.kind {
                    Kind::Null => continue,
                    Kind::String(s) if s.is_empty() => continue,
                    _ => return Ok(v.clone()),
                }
            }
            err("coalesce: no non-null, non-empty argument")
        }
        "coalescelist" => {
            for v in args {
                if v.is_unknown() {
                    return Ok(unknown_from(&refs));
                }
                if let Kind::List(items) = &v.kind {
                    if !items.is_empty() {
                        return Ok(v.clone());
                    }
                }
            }
            err("coalescelist: no non-empty list")
        }
        "one" => {
            let l = a(0)?;
            match &l.kind {
                Kind::Unknown => Ok(unknown_from(&refs)),
                Kind::Null => Ok(Value::null()),
                Kind::List(items) if items.is_empty() => Ok(derive(Kind::Null, &refs)),
                Kind::List(items) if items.len() == 1 => Ok(carry_mark(&items[0], l)),
                _ => {
                    err("one: must be a list, set or tuple value with either zero or one elements")
                }
            }
        }
        "slice" => {
            let l = a(0)?;
            if l.is_unknown() {
                return Ok(unknown_from(&refs));
            }
            let list = items(l)?;
            let from = to_int(a(1)?)?;
            let to = to_int(a(2)?)?;
            if from < 0 || to < from || to as usize > list.len() {
                return err("slice: index out of range");
            }
            container(Kind::List(list[from as usize..to as usize].to_vec()))
        }
        "chunklist" => {
            let list = items(a(0)?)?;
            let size = to_int(a(1)?)?;
            if size < 0 {
                return err("chunklist: size must not be negative");
            }
            let out = if size == 0 {
                vec![list_v(list.to_vec())]
            } else {
                list.chunks(size as usize)
                    .map(|c| list_v(c.to_vec()))
                    .collect()
            };
            container(Kind::List(out))
        }
        "range" => {
            let (start, end, step) = match args.len() {
                1 => (0.0, n(0)?, 1.0),
                2 => (n(0)?, n(1)?, if n(1)? >= n(0)? { 1.0 } else { -1.0 }),
                3 => (n(0)?, n(1)?, n(2)?),
                _ => return err("range: one to three arguments"),
            };
            if step == 0.0 {
                return err("range: step must not be zero");
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Value::number(x));
                x += step;
                if out.len() > 1024 {
                    return err("range: more than 1024 elements");
                }
            }
            container(Kind::List(out))
        }
        "alltrue" => {
            let mut r = true;
            for i in items(a(0)?)? {
                r &= to_bool(i)?;
            }
            scalar(Kind::Bool(r))
        }
        "anytrue" => {
            let mut r = false;
            for i in items(a(0)?)? {
                r |= to_bool(i).unwrap_or(false);
            }
            scalar(Kind::Bool(r))
        }
        "sum" => {
            let mut t = 0.0;
            for i in items(a(0)?)? {
                t += to_num(i)?;
            }
            scalar(Kind::Number(t))
        }
        "matchkeys" => {
            let vals = items(a(0)?)?;
            let keys = items(a(1)?)?;
            let search = items(a(2)?)?;
            if vals.len() != keys.len() {
                return err("matchkeys: length of keys and values should be equal");
            }
            let out = vals
                .iter()
                .zip(keys)
                .filter(|(_, k)| search.iter().any(|s| val_eq(s, k)))
                .map(|(v, _)| v.clone())
                .collect();
            container(Kind::List(out))
        }
        "setproduct" => {
            let mut acc: Vec<Vec<Value>> = vec![Vec::new()];
            for l in args {
                let mut next = Vec::new();
                for prefix in &acc {
                    for i in items(l)? {
                        let mut p = prefix.clone();
                        p.push(i.clone());
                        next.push(p);
                        if next.len() > 100_000 {
                            return err("setproduct: result too large");
                        }
                    }
                }
                acc = next;
                if acc.len() > 100_000 {
                    return err("setproduct: result too large");
                }
            }
            if args.is_empty() {
                acc.clear();
            }
            container(Kind::List(acc.into_iter().map(list_v).collect()))
        }
        "setunion" => {
            let mut out = Vec::new();
            for l in args {
                out.extend(items(l)?.iter().cloned());
            }
            container(Kind::List(set_of(out)))
        }
        "setintersection" => {
            let mut out: Vec<Value> = items(a(0)?)?.to_vec();
            for l in &args[1..] {
                let other = items(l)?;
                out.retain(|x| other.iter().any(|o| val_eq(o, x)));
            }
            container(Kind::List(set_of(out)))
        }
        "setsubtract" => {
            let other = items(a(1)?)?;
            let out: Vec<Value> = items(a(0)?)?
                .iter()
                .filter(|x| !other.iter().any(|o| val_eq(o, x)))
                .cloned()
                .collect();
            container(Kind::List(set_of(out)))
        }
        "transpose" => {
            let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (k, l) in obj(a(0)?)? {
                for i in items(l)? {
                    out.entry(to_str(i)?).or_default().push(string(k.clone()));
                }
            }
            container(Kind::Object(
                out.into_iter().map(|(k, v)| (k, list_v(v))).collect(),
            ))
        }
        // Type conversion
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
                        return Ok(unknown_from(&refs));
                    }
                    let mut out = v.clone();
                    out.kind = Kind::List(set_of(items.clone()));
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
        // Encoding
        "jsonencode" => {
            let mut out = String::new();
            to_json(a(0)?, &mut out)?;
            str_out(out)
        }
        "jsondecode" => {
            let text = s(0)?;
            let j: serde_json::Value = serde_json::from_str(&text)
                .map_err(|_| EvalError("jsondecode: the given string is not valid JSON".into()))?;
            let mut v = from_json(&j);
            let src = a(0)?;
            let mut origins = Vec::new();
            deep_origins(src, &mut origins);
            for o in &origins {
                stamp_origins(&mut v, o);
            }
            if src.sensitive {
                v.sensitive = true;
            }
            Ok(v)
        }
        "yamldecode" => {
            let mut v = yaml_decode(&s(0)?)?;
            let src = a(0)?;
            let mut origins = Vec::new();
            deep_origins(src, &mut origins);
            for o in &origins {
                stamp_origins(&mut v, o);
            }
            if src.sensitive {
                v.sensitive = true;
            }
            Ok(v)
        }
        "formatdate" => match format_date(&s(0)?, &s(1)?)? {
            Some(out) => str_out(out),
            // A format letter outside the supported subset: unknown, never a guess.
            None => Ok(unknown_from(&refs)),
        },
        "csvdecode" => {
            let text = s(0)?;
            let mut lines = text.lines().filter(|l| !l.is_empty());
            let header: Vec<String> = match lines.next() {
                Some(h) => h
                    .split(',')
                    .map(|c| c.trim_matches('"').to_string())
                    .collect(),
                None => return container(Kind::List(Vec::new())),
            };
            let mut out = Vec::new();
            for l in lines {
                let cells: Vec<&str> = l.split(',').collect();
                if cells.len() != header.len() {
                    return err("csvdecode: wrong number of fields");
                }
                out.push(Value::object(
                    header
                        .iter()
                        .zip(cells)
                        .map(|(h, c)| (h.clone(), string(c.trim_matches('"'))))
                        .collect(),
                ));
            }
            container(Kind::List(out))
        }
        "base64encode" => str_out(base64::engine::general_purpose::STANDARD.encode(s(0)?)),
        "base64decode" => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s(0)?.trim())
                .map_err(|_| EvalError("base64decode: invalid base64".into()))?;
            str_out(
                String::from_utf8(bytes)
                    .map_err(|_| EvalError("base64decode: not UTF-8".into()))?,
            )
        }
        "urlencode" => {
            let mut out = String::new();
            for b in s(0)?.bytes() {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            str_out(out)
        }
        "md5" => str_out(hex(&md5::Md5::digest(s(0)?.as_bytes()))),
        "sha1" => str_out(hex(&sha1::Sha1::digest(s(0)?.as_bytes()))),
        "sha256" => str_out(hex(&sha2::Sha256::digest(s(0)?.as_bytes()))),
        "sha512" => str_out(hex(&sha2::Sha512::digest(s(0)?.as_bytes()))),
        "base64sha256" => str_out(
            base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha256::digest(s(0)?.as_bytes())),
        ),
        "base64sha512" => str_out(
            base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha512::digest(s(0)?.as_bytes())),
        ),
        // Paths (pure)
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
        // Network
        "cidrhost" => str_out(cidr::host(cidr::parse(&s(0)?)?, to_int(a(1)?)?)?),
        "cidrnetmask" => str_out(cidr::netmask(cidr::parse(&s(0)?)?)?),
        "cidrsubnet" => str_out(cidr::fmt_prefix(cidr::subnet(
            cidr::parse(&s(0)?)?,
            to_int(a(1)?)?,
            to_int(a(2)?)?,
        )?)),
        "cidrsubnets" => {
            let p = cidr::parse(&s(0)?)?;
            let mut nb = Vec::new();
            for i in 1..args.len() {
                nb.push(to_int(a(i)?)?);
            }
            container(Kind::List(
                cidr::subnets(p, &nb)?.into_iter().map(string).collect(),
            ))
        }
        // Legacy (Terraform 0.11) constructors still seen in the wild.
        "list" => container(Kind::List(args.to_vec())),
        "map" => {
            if !args.len().is_multiple_of(2) {
                return err("map: an even number of arguments is required");
            }
            let mut out = BTreeMap::new();
            for pair in args.chunks(2) {
                out.insert(to_str(&pair[0])?, pair[1].clone());
            }
            container(Kind::Object(out))
        }
        _ => err(format!("call to unknown function `{name}`")),
    }
}

/// `yamldecode` with go-cty's yaml semantics for the data real code feeds it: mappings become
/// objects (keys as strings), sequences lists, scalars per the YAML 1.2 core schema; several
/// documents, aliases to nothing or non-scalar keys are errors.
///
/// yaml-rust2 is used rather than serde_yaml (deprecated and unmaintained since 2024) or its fork
/// serde_norway (wraps the C-derived `unsafe-libyaml`): it is pure safe Rust, maintained, has no
/// dependencies of note, and yields a plain tree that maps one-to-one onto our values. It is
/// only used for decoding; `yamlencode` stays unknown because matching go-yaml's exact output
/// byte for byte is not worth a guessed value.
/// How many values a YAML text decodes to once its aliases are expanded, counting up to just
/// past [`MAX_WORK`](super::vals::MAX_WORK): a few lines of anchors and aliases can stand for
/// billions of values ("billion laughs"), and the loader copies every alias.
fn yaml_expanded_size(text: &str) -> Result<usize, EvalError> {
    use yaml_rust2::parser::{Event, EventReceiver, Parser};
    struct Count {
        /// Values counted so far in each open collection.
        open: Vec<(usize, usize)>,
        anchors: std::collections::HashMap<usize, usize>,
        total: usize,
    }
    impl Count {
        fn add(&mut self, n: usize) {
            self.total = self.total.saturating_add(n);
            if let Some((_, count)) = self.open.last_mut() {
                *count = count.saturating_add(n);
            }
        }
    }
    impl EventReceiver for Count {
        fn on_event(&mut self, ev: Event) {
            if self.total > super::vals::MAX_WORK {
                return;
            }
            match ev {
                Event::Scalar(_, _, anchor, _) => {
                    if anchor > 0 {
                        self.anchors.insert(anchor, 1);
                    }
                    self.add(1);
                }
                Event::Alias(id) => {
                    let n = self.anchors.get(&id).copied().unwrap_or(1);
                    self.add(n);
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    self.open.push((anchor, 1));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some((anchor, n)) = self.open.pop() {
                        if anchor > 0 {
                            self.anchors.insert(anchor, n);
                        }
                        // The collection itself was counted on open; add what it holds.
                        self.total = self.total.saturating_add(1);
                        if let Some((_, count)) = self.open.last_mut() {
                            *count = count.saturating_add(n);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut count = Count {
        open: Vec::new(),
        anchors: std::collections::HashMap::new(),
        total: 0,
    };
    Parser::new_from_str(text)
        .load(&mut count, true)
        .map_err(|e| EvalError(format!("yamldecode: invalid YAML: {e}")))?;
    Ok(count.total)
}

fn yaml_decode(text: &str) -> R {
    use yaml_rust2::{Yaml, YamlLoader};
    let expanded = yaml_expanded_size(text)?;
    if expanded > super::vals::MAX_WORK {
        return Err(EvalError::limit(
            "yamldecode: the YAML expands (through its aliases) to more values than that",
        ));
    }
    let docs = YamlLoader::load_from_str(text)
        .map_err(|e| EvalError(format!("yamldecode: invalid YAML: {e}")))?;
    if docs.len() > 1 {
        return err("yamldecode: the string contains more than one YAML document");
    }
    fn conv(y: &Yaml, depth: usize) -> R {
        if depth > 256 {
            return err("yamldecode: nesting too deep");
        }
        Ok(match y {
            Yaml::Null | Yaml::BadValue => Value::null(),
            Yaml::Boolean(b) => Value::bool(*b),
            Yaml::Integer(i) => Value::new(Kind::Number(*i as f64)),
            Yaml::Real(r) => {
                let t = r.trim_start_matches('+');
                let n = match t {
                    ".inf" | ".Inf" | ".INF" => f64::INFINITY,
                    "-.inf" | "-.Inf" | "-.INF" => f64::NEG_INFINITY,
                    _ => t
                        .parse::<f64>()
                        .map_err(|_| EvalError(format!("yamldecode: invalid number {r}")))?,
                };
                Value::new(Kind::Number(n))
            }
            Yaml::String(s) => Value::string(s.clone()),
            Yaml::Array(items) => Value::list(
                items
                    .iter()
                    .map(|i| conv(i, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Yaml::Hash(h) => {
                let mut out = BTreeMap::new();
                for (k, v) in h {
                    let key = match k {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Real(r) => r.clone(),
                        Yaml::Boolean(b) => b.to_string(),
                        Yaml::Null => "null".to_string(),
                        _ => return err("yamldecode: only scalar mapping keys are supported"),
                    };
                    out.insert(key, conv(v, depth + 1)?);
                }
                Value::object(out)
            }
            Yaml::Alias(_) => return err("yamldecode: unresolved alias"),
        })
    }
    match docs.first() {
        Some(d) => conv(d, 0),
        None => Ok(Value::null()),
    }
}

/// `formatdate(spec, timestamp)` for an RFC 3339 timestamp, following Terraform's format
/// letters: `YYYY YY MMMM MMM MM M DD D EEEE EEE hh h HH H mm m ss s AA aa ZZZZZ ZZZZ ZZZ Z` and
/// quoted literals (`'...'`, `''` for a quote). Returns `Ok(None)` for letters outside that set
/// (the caller makes the result unknown) and an error for a timestamp that is not RFC 3339.
pub(super) fn format_date(spec: &str, ts: &str) -> Result<Option<String>, EvalError> {
    use chrono::{Datelike, Timelike};
    let t = chrono::DateTime::parse_from_rfc3339(ts)
        .map_err(|_| EvalError(format!("formatdate: not a valid RFC3339 timestamp: {ts:?}")))?;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // Quoted literal; `''` is a literal quote.
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            loop {
                match chars.get(j) {
                    None => return err("formatdate: unterminated literal"),
                    Some('\'') if chars.get(j + 1) == Some(&'\'') => {
                        out.push('\'');
                        j += 2;
                    }
                    Some('\'') => break,
                    Some(ch) => {
                        out.push(*ch);
                        j += 1;
                    }
                }
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut run = 1;
        while chars.get(i + run) == Some(&c) {
            run += 1;
        }
        i += run;
        let off = t.offset().local_minus_utc();
        let (sign, abs) = if off < 0 { ('-', -off) } else { ('+', off) };
        let piece = match (c, run) {
            ('Y', 4) => format!("{:04}", t.year()),
            ('Y', 2) => format!("{:02}", t.year().rem_euclid(100)),
            ('M', 1) => t.month().to_string(),
            ('M', 2) => format!("{:02}", t.month()),
            ('M', 3) => MONTHS[t.month0() as usize][..3].to_string(),
            ('M', 4) => MONTHS[t.month0() as usize].to_string(),
            ('D', 1) => t.day().to_string(),
            ('D', 2) => format!("{:02}", t.day()),
            ('E', 3) => DAYS[t.weekday().num_days_from_monday() as usize][..3].to_string(),
            ('E', 4) => DAYS[t.weekday().num_days_from_monday() as usize].to_string(),
            ('h', 1) => t.hour().to_string(),
            ('h', 2) => format!("{:02}", t.hour()),
            ('H', 1) => (match t.hour() % 12 {
                0 => 12,
                h => h,
            })
            .to_string(),
            ('H', 2) => format!(
                "{:02}",
                match t.hour() % 12 {
                    0 => 12,
                    h => h,
                }
            ),
            ('A', 2) => (if t.hour() < 12 { "AM" } else { "PM" }).to_string(),
            ('a', 2) => (if t.hour() < 12 { "am" } else { "pm" }).to_string(),
            ('m', 1) => t.minute().to_string(),
            ('m', 2) => format!("{:02}", t.minute()),
            ('s', 1) => t.second().to_string(),
            ('s', 2) => format!("{:02}", t.second()),
            ('Z', 1) => {
                if off == 0 {
                    "Z".to_string()
                } else {
                    format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
                }
            }
            // Terraform: "UTC" for a zero offset, otherwise the ZZZZ form.
            ('Z', 3) if off == 0 => "UTC".to_string(),
            ('Z', 3) => format!("{sign}{:02}{:02}", abs / 3600, abs % 3600 / 60),
            ('Z', 4) => format!("{sign}{:02}{:02}", abs / 3600, abs % 3600 / 60),
            ('Z', 5) => format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60),
            _ => return Ok(None),
        };
        out.push_str(&piece);
    }
    Ok(Some(out))
}

fn list_v(items: Vec<Value>) -> Value {
    Value::list(items)
}

fn carry_mark(v: &Value, parent: &Value) -> Value {
    let mut v = v.clone();
    if parent.sensitive {
        v.sensitive = true;
    }
    v
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Go's `$1`/`${name}` replacement syntax for Rust's regex (the same, except bare `$name` ends at
/// a non-word character in both).
fn go_template_to_rust(s: &str) -> String {
    s.to_string()
}

/// `format` with Go-like verbs: `%s %d %f %t %v %q %x %X %o %b %e %%`, flags, width and precision.
pub(super) fn format(fmt: &str, args: &[Value]) -> Result<String, EvalError> {
    let mut out = String::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let mut argi = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if i >= chars.len() {
            return err("format: unterminated verb");
        }
        if chars[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while i < chars.len() && "+-# 0".contains(chars[i]) {
            flags.push(chars[i]);
            i += 1;
        }
        // Explicit argument index: %[2]s
        if i < chars.len() && chars[i] == '[' {
            let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
            if let Some(close) = close {
                let idx: String = chars[i + 1..close].iter().collect();
                argi = idx.parse::<usize>().unwrap_or(1).saturating_sub(1);
                i = close + 1;
            }
        }
        let mut width = String::new();
        while i < chars.len() && chars[i].is_ascii_digit() {
            width.push(chars[i]);
            i += 1;
        }
        let mut prec: Option<usize> = None;
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            let mut p = String::new();
            while i < chars.len() && chars[i].is_ascii_digit() {
                p.push(chars[i]);
                i += 1;
            }
            let digits: usize = p
                .parse()
                .unwrap_or(if p.is_empty() { 0 } else { usize::MAX });
            check_len(digits, "format: the precision")?;
            prec = Some(digits);
        }
        let Some(&verb) = chars.get(i) else {
            return err("format: unterminated verb");
        };
        i += 1;
        let arg = args
            .get(argi)
            .ok_or_else(|| EvalError("format: not enough arguments".into()))?;
        argi += 1;
        let text = match verb {
            's' => to_str(arg)?,
            'v' => match &arg.kind {
                Kind::List(_) | Kind::Object(_) => {
                    let mut s = String::new();
                    to_json(arg, &mut s)?;
                    s
                }
                _ => to_str(arg)?,
            },
            'q' => {
                let mut s = String::new();
                to_json(&Value::string(to_str(arg)?), &mut s)?;
                s
            }
            't' => to_bool(arg)?.to_string(),
            'd' => {
                let n = to_num(arg)?;
                if n.fract() != 0.0 {
                    return err("format: %d requires a whole number");
                }
                let s = format!("{}", n as i64);
                if flags.contains('+') && n >= 0.0 {
                    format!("+{s}")
                } else {
                    s
                }
            }
            'f' | 'F' => format!("{:.*}", prec.unwrap_or(6), to_num(arg)?),
            'e' => format!("{:.*e}", prec.unwrap_or(6), to_num(arg)?),
            'g' => format!("{}", to_num(arg)?),
            'x' => format!("{:x}", to_num(arg)? as i64),
            'X' => format!("{:X}", to_num(arg)? as i64),
            'o' => format!("{:o}", to_num(arg)? as i64),
            'b' => format!("{:b}", to_num(arg)? as i64),
            _ => return err("format: unsupported verb"),
        };
        let text = match (verb, prec) {
            ('s', Some(p)) => text.chars().take(p).collect(),
            _ => text,
        };
        let w: usize = if width.is_empty() {
            0
        } else {
            width.parse().unwrap_or(usize::MAX)
        };
        check_len(w, "format: the padded value")?;
        let len = text.chars().count();
        if len < w {
            let pad = w - len;
            if flags.contains('-') {
                out.push_str(&text);
                out.push_str(&" ".repeat(pad));
            } else if flags.contains('0') && verb != 's' {
                let (sign, digits) = match text.strip_prefix('-') {
                    Some(d) => ("-", d.to_string()),
                    None => ("", text.clone()),
                };
                out.push_str(sign);
                out.push_str(&"0".repeat(pad));
                out.push_str(&digits);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&text);
            }
        } else {
            out.push_str(&text);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Origin {
        Origin {
            file: "t.tf".into(),
            start: 0,
            end: 0,
            kind: guard_policies::OriginKind::Literal,
        }
    }

    fn call_s(name: &str, args: &[Value]) -> Option<String> {
        call(name, args, &at()).ok()?.as_str().map(str::to_string)
    }

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    #[test]
    fn toset_keeps_objects_that_contain_unknowns_and_drops_nothing_it_cannot_compare() {
        let subnet = |name: &str| {
            Value::object(BTreeMap::from([
                ("name".to_string(), s(name)),
                ("cidr_block".to_string(), Value::unknown()),
            ]))
        };
        let set = call(
            "toset",
            &[Value::list(vec![subnet("a"), subnet("a")])],
            &at(),
        )
        .expect("toset of objects");
        // Unknown values never compare equal: both elements stay, as in Terraform.
        assert!(matches!(&set.kind, Kind::List(items) if items.len() == 2));
        // An element that is itself unknown may equal another: the set is unknown.
        let set = call(
            "toset",
            &[Value::list(vec![s("a"), Value::unknown()])],
            &at(),
        )
        .expect("toset of strings");
        assert!(set.is_unknown());
    }

    #[test]
    fn cidr_functions_keep_the_size_of_a_range_of_unknown_address() {
        let vpc = s(&guard_policies::value::bounded_block_stand_in("vpc", 16));
        let subnet = call_s(
            "cidrsubnet",
            &[vpc.clone(), Value::number(8.0), Value::number(1.0)],
        )
        .expect("a subnet stand-in");
        assert_eq!(
            guard_policies::value::bounded_block_prefix(&subnet),
            Some(24)
        );
        let host = call("cidrhost", &[vpc, Value::number(1.0)], &at()).expect("cidrhost");
        assert!(host.is_unknown());
    }

    #[test]
    fn digests_match_terraform() {
        let hw = [s("hello world")];
        assert_eq!(
            call_s("md5", &hw).as_deref(),
            Some("5eb63bbbe01eeed093cb22bb8f5acdc3")
        );
        assert_eq!(
            call_s("sha1", &hw).as_deref(),
            Some("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")
        );
        assert_eq!(
            call_s("sha256", &hw).as_deref(),
            Some("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        );
        assert_eq!(
            call_s("sha512", &hw).as_deref(),
            Some("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f")
        );
        assert_eq!(
            call_s("base64sha256", &hw).as_deref(),
            Some("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
        );
        assert_eq!(
            call_s("base64sha512", &hw).as_deref(),
            Some("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")
        );
        // Unknown in, unknown out; sensitive stays sensitive.
        let u = call("md5", &[Value::unknown()], &at()).ok();
        assert!(u.is_some_and(|v| v.is_unknown()));
        let sv = call("sha1", &[s("x").with_sensitive(true)], &at()).ok();
        assert!(sv.is_some_and(|v| v.sensitive));
    }

    #[test]
    fn yamldecode_maps_to_values() {
        let v = call(
            "yamldecode",
            &[s("a: 1\nb: [x, true, null, 1.5]\nc:\n  d: \"str\"\n")],
            &at(),
        )
        .ok();
        let Some(v) = v else {
            panic!("yamldecode failed")
        };
        assert_eq!(v.path(&["a"]).as_f64(), Some(1.0));
        let b = match &v.path(&["b"]).kind {
            Kind::List(items) => items.clone(),
            other => panic!("b is not a list: {other:?}"),
        };
        assert_eq!(b.len(), 4);
        assert_eq!(b[0].as_str(), Some("x"));
        assert_eq!(b[1].as_bool(), Some(true));
        assert!(b[2].is_null());
        assert_eq!(b[3].as_f64(), Some(1.5));
        assert_eq!(v.path(&["c", "d"]).as_str(), Some("str"));
        assert!(call("yamldecode", &[s("a: [")], &at()).is_err());
        assert!(call("yamldecode", &[s("a: 1\n---\nb: 2\n")], &at()).is_err());
        // yamlencode stays unknown.
        let e = call("yamlencode", &[s("x")], &at()).ok();
        assert!(e.is_some_and(|v| v.is_unknown()));
    }

    #[test]
    fn formatdate_terraform_examples() {
        let f = |spec: &str, ts: &str| call_s("formatdate", &[s(spec), s(ts)]);
        let t = "2018-01-02T23:12:01Z";
        assert_eq!(
            f("DD MMM YYYY hh:mm ZZZ", t).as_deref(),
            Some("02 Jan 2018 23:12 UTC")
        );
        assert_eq!(
            f("EEEE, DD-MMM-YY hh:mm:ss ZZZ", t).as_deref(),
            Some("Tuesday, 02-Jan-18 23:12:01 UTC")
        );
        assert_eq!(
            f("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00").as_deref(),
            Some("Tue, 02 Jan 2018 23:12:01 -0800")
        );
        assert_eq!(f("MMM DD, YYYY", t).as_deref(), Some("Jan 02, 2018"));
        assert_eq!(f("HH:mmaa", t).as_deref(), Some("11:12pm"));
        assert_eq!(
            f("h:m:s Z", "2018-01-02T03:04:05+05:30").as_deref(),
            Some("3:4:5 +05:30")
        );
        assert_eq!(f("YYYY'-Q'''", t).as_deref(), Some("2018-Q'"));
        // Unsupported letters: unknown, not a guess.
        let q = call("formatdate", &[s("QQ"), s(t)], &at()).ok();
        assert!(q.is_some_and(|v| v.is_unknown()));
        // Not RFC 3339: an error, as in Terraform.
        assert!(call("formatdate", &[s("YYYY"), s("2018-01-02")], &at()).is_err());
        // Unknown timestamp (timestamp()): unknown.
        let u = call("formatdate", &[s("YYYY"), Value::unknown()], &at()).ok();
        assert!(u.is_some_and(|v| v.is_unknown()));
    }
}
