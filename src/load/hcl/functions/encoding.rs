//! Encoding: JSON, YAML, base64, URL, hashes.

use super::*;

/// The functions of this family; `next` for any other name.
pub(super) fn call(c: &Call<'_>, next: &dyn Fn() -> R) -> R {
    helpers!(c; name, args, refs, a, s, n, scalar, str_out, container);
    match name {
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
            None => Ok(unknown_from(refs)),
        },
        "csvdecode" => {
            let text = s(0)?;
            let mut lines = text.lines().filter(|l| !l.is_empty());
            let header: Vec<String> = match lines.next() {
                Some(h) => h
                    .split(',')
                    .map(|c| c.trim_matches('"').to_string())
                    .collect(),
                None => return container(Kind::list(Vec::new())),
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
            container(Kind::list(out))
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
        _ => next(),
    }
}
