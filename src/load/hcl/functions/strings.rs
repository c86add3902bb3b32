//! Strings: case, trimming, splitting, formatting, regular expressions.

use super::*;

/// The functions of this family; `next` for any other name.
pub(super) fn call(c: &Call<'_>, next: &dyn Fn() -> R) -> R {
    helpers!(c; name, args, refs, a, s, n, scalar, str_out, container);
    match name {
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
                        return Ok(unknown_from(refs));
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
            container(Kind::list(parts))
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
                container(Kind::list(re.captures_iter(&text).map(one).collect()))
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
            container(Kind::list(out))
        }
        _ => next(),
    }
}
