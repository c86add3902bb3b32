//! Collections: lists, maps, sets and their transformations.

use super::*;

/// The functions of this family; `next` for any other name.
pub(super) fn call(c: &Call<'_>, next: &dyn Fn() -> R) -> R {
    helpers!(c; name, args, refs, a, s, n, scalar, str_out, container);
    match name {
        "length" => {
            let v = a(0)?;
            match &v.kind {
                Kind::List(i) => scalar(Kind::Number(i.len() as f64)),
                Kind::Object(m) => scalar(Kind::Number(m.len() as f64)),
                Kind::String(s) => scalar(Kind::Number(s.chars().count() as f64)),
                Kind::Unknown => Ok(unknown_from(refs)),
                _ => err(format!("length of a {} is not defined", type_name(v))),
            }
        }
        "concat" => {
            let mut out = Vec::new();
            for l in args {
                match &l.kind {
                    Kind::List(items) => out.extend(items.iter().cloned()),
                    Kind::Unknown => return Ok(unknown_from(refs)),
                    _ => return err("concat: all arguments must be lists"),
                }
            }
            container(Kind::list(out))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for m in args {
                match &m.kind {
                    Kind::Object(map) => {
                        for (k, v) in map.iter() {
                            out.insert(k.clone(), carry_mark(v, m));
                        }
                    }
                    Kind::Null => {}
                    Kind::Unknown => return Ok(unknown_from(refs)),
                    _ => return err("merge: arguments must be maps or objects"),
                }
            }
            container(Kind::object(out))
        }
        "compact" => {
            let l = a(0)?;
            if l.is_unknown() {
                return Ok(unknown_from(refs));
            }
            let mut out = Vec::new();
            for i in items(l)? {
                match &i.kind {
                    Kind::Unknown => return Ok(unknown_from(refs)),
                    Kind::Null => {}
                    Kind::String(s) if s.is_empty() => {}
                    _ => out.push(i.clone()),
                }
            }
            container(Kind::list(out))
        }
        "distinct" => {
            let l = a(0)?;
            if l.is_unknown() || items(l)?.iter().any(Value::contains_unknown) {
                return Ok(unknown_from(refs));
            }
            let mut out: Vec<Value> = Vec::new();
            for i in items(l)? {
                if !out.iter().any(|o| val_eq(o, i)) {
                    out.push(i.clone());
                }
            }
            container(Kind::list(out))
        }
        "sort" => {
            let mut strs = Vec::new();
            for i in items(a(0)?)? {
                strs.push((to_str(i)?, i.clone()));
            }
            strs.sort_by(|x, y| x.0.cmp(&y.0));
            container(Kind::list(
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
                return Ok(unknown_from(refs));
            }
            let mut out = items(l)?.to_vec();
            out.reverse();
            container(Kind::list(out))
        }
        "contains" => {
            let l = a(0)?;
            let x = a(1)?;
            if l.is_unknown() || x.contains_unknown() {
                return Ok(unknown_from(refs));
            }
            let list = items(l)?;
            if list.iter().any(|i| val_eq(i, x)) {
                return scalar(Kind::Bool(true));
            }
            if list.iter().any(Value::contains_unknown) {
                return Ok(unknown_from(refs));
            }
            scalar(Kind::Bool(false))
        }
        "element" => {
            let l = a(0)?;
            if l.is_unknown() {
                return Ok(unknown_from(refs));
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
                return Ok(unknown_from(refs));
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
                return Ok(unknown_from(refs));
            }
            container(Kind::list(out))
        }
        "keys" => {
            let m = a(0)?;
            if m.is_unknown() {
                return Ok(unknown_from(refs));
            }
            container(Kind::list(
                obj(m)?.keys().map(|k| string(k.clone())).collect(),
            ))
        }
        "values" => {
            let m = a(0)?;
            if m.is_unknown() {
                return Ok(unknown_from(refs));
            }
            container(Kind::list(obj(m)?.values().cloned().collect()))
        }
        "lookup" => {
            let m = a(0)?;
            let k = a(1)?;
            if m.is_unknown() || k.is_unknown() {
                return Ok(unknown_from(refs));
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
                return Ok(unknown_from(refs));
            }
            let ks = items(ks)?;
            let vs = items(vs)?;
            if ks.len() != vs.len() {
                return err("zipmap: the lists must have the same length");
            }
            let mut out = BTreeMap::new();
            for (k, v) in ks.iter().zip(vs) {
                if k.is_unknown() {
                    return Ok(unknown_from(refs));
                }
                out.insert(to_str(k)?, v.clone());
            }
            container(Kind::object(out))
        }
        "coalesce" => {
            for v in args {
                if v.is_unknown() {
                    return Ok(unknown_from(refs));
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
                    return Ok(unknown_from(refs));
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
                Kind::Unknown => Ok(unknown_from(refs)),
                Kind::Null => Ok(Value::null()),
                Kind::List(items) if items.is_empty() => Ok(derive(Kind::Null, refs)),
                Kind::List(items) if items.len() == 1 => Ok(carry_mark(&items[0], l)),
                _ => {
                    err("one: must be a list, set or tuple value with either zero or one elements")
                }
            }
        }
        "slice" => {
            let l = a(0)?;
            if l.is_unknown() {
                return Ok(unknown_from(refs));
            }
            let list = items(l)?;
            let from = to_int(a(1)?)?;
            let to = to_int(a(2)?)?;
            if from < 0 || to < from || to as usize > list.len() {
                return err("slice: index out of range");
            }
            container(Kind::list(list[from as usize..to as usize].to_vec()))
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
            container(Kind::list(out))
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
            container(Kind::list(out))
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
            container(Kind::list(out))
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
            container(Kind::list(acc.into_iter().map(list_v).collect()))
        }
        "setunion" => {
            let mut out = Vec::new();
            for l in args {
                out.extend(items(l)?.iter().cloned());
            }
            container(Kind::list(set_of(out)))
        }
        "setintersection" => {
            let mut out: Vec<Value> = items(a(0)?)?.to_vec();
            for l in &args[1..] {
                let other = items(l)?;
                out.retain(|x| other.iter().any(|o| val_eq(o, x)));
            }
            container(Kind::list(set_of(out)))
        }
        "setsubtract" => {
            let other = items(a(1)?)?;
            let out: Vec<Value> = items(a(0)?)?
                .iter()
                .filter(|x| !other.iter().any(|o| val_eq(o, x)))
                .cloned()
                .collect();
            container(Kind::list(set_of(out)))
        }
        "transpose" => {
            let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (k, l) in obj(a(0)?)? {
                for i in items(l)? {
                    out.entry(to_str(i)?).or_default().push(string(k.clone()));
                }
            }
            container(Kind::object(
                out.into_iter().map(|(k, v)| (k, list_v(v))).collect(),
            ))
        }
        _ => next(),
    }
}
