//! Functions that read files: `file`, `templatefile`, `fileexists`, `fileset`, ... Paths are
//! relative to the root module's directory (Terraform's working directory) and must stay inside
//! the repository root (the loader's [`Sandbox`](super::Sandbox)): a path outside, or a symlink
//! that leads outside, is not read, not even probed; the call is a warning at its `file:line` and
//! its value is unknown.

use super::ast::{convert_template, Part, E};
use super::eval::{Ev, NoNames, Scope};
use super::vals::*;
use super::Loader;
use base64::Engine as _;
use guard_policies::{Kind, Value};
use sha2::Digest;
use std::path::{Path, PathBuf};

pub(super) fn call(
    l: &Loader,
    base: &Path,
    ev: &Ev<'_>,
    at: usize,
    name: &str,
    args: &[Value],
) -> Option<R> {
    let name = name.strip_prefix("core::").unwrap_or(name);
    if !matches!(
        name,
        "file"
            | "fileexists"
            | "fileset"
            | "filebase64"
            | "filemd5"
            | "filesha1"
            | "filesha256"
            | "filesha512"
            | "filebase64sha256"
            | "filebase64sha512"
            | "templatefile"
            | "templatestring"
            | "abspath"
    ) {
        return None;
    }
    if args.iter().any(Value::contains_unknown) {
        return Some(Ok(unknown_from(&args.iter().collect::<Vec<_>>())));
    }
    if !matches!(name, "abspath" | "templatestring") {
        let p = args.first().map(to_str).transpose();
        if let Ok(Some(p)) = p {
            let path = lexical(base, &p);
            if !l.allows(&path) {
                if let Some(first) = args.first() {
                    l.refuse(&ev.file, at, name, first);
                }
                return Some(Ok(unknown_from(&args.iter().collect::<Vec<_>>())));
            }
        }
    }
    Some(run(l, base, ev, name, args))
}

/// The path as Terraform opens it: relative to `base`, lexically normalised.
fn lexical(base: &Path, p: &str) -> PathBuf {
    if Path::new(p).is_absolute() {
        super::normalize(Path::new(p))
    } else {
        super::normalize(&base.join(p))
    }
}

/// An existing path; the sandbox was checked by [`call`].
fn resolve(base: &Path, p: &str) -> Result<PathBuf, EvalError> {
    let path = lexical(base, p);
    if !path.exists() {
        return err("no such file");
    }
    Ok(path)
}

fn read(l: &Loader, path: &Path) -> Result<String, EvalError> {
    l.read_text(path)
        .ok_or_else(|| EvalError("cannot read file".into()))
}

fn run(l: &Loader, base: &Path, ev: &Ev<'_>, name: &str, args: &[Value]) -> R {
    let refs: Vec<&Value> = args.iter().collect();
    let p = args.first().map(to_str).transpose()?.unwrap_or_default();
    match name {
        "abspath" => Ok(derive(Kind::String(p), &refs)),
        "fileexists" => Ok(derive(
            Kind::Bool(resolve(base, &p).map(|f| f.is_file()).unwrap_or(false)),
            &refs,
        )),
        "file" => Ok(derive(Kind::String(read(l, &resolve(base, &p)?)?), &refs)),
        "filebase64" => {
            let path = resolve(base, &p)?;
            let bytes = std::fs::read(&path).map_err(|_| EvalError("cannot read file".into()))?;
            Ok(derive(
                Kind::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
                &refs,
            ))
        }
        "filemd5" | "filesha1" | "filesha256" | "filesha512" | "filebase64sha256"
        | "filebase64sha512" => {
            let path = resolve(base, &p)?;
            let bytes = std::fs::read(&path).map_err(|_| EvalError("cannot read file".into()))?;
            let digest: Vec<u8> = if name == "filemd5" {
                md5::Md5::digest(&bytes).to_vec()
            } else if name == "filesha1" {
                sha1::Sha1::digest(&bytes).to_vec()
            } else if name.ends_with("256") {
                sha2::Sha256::digest(&bytes).to_vec()
            } else {
                sha2::Sha512::digest(&bytes).to_vec()
            };
            let s = if name.starts_with("filebase64") {
                base64::engine::general_purpose::STANDARD.encode(digest)
            } else {
                digest.iter().map(|b| format!("{b:02x}")).collect()
            };
            Ok(derive(Kind::String(s), &refs))
        }
        "fileset" => {
            let pattern = args.get(1).map(to_str).transpose()?.unwrap_or_default();
            let dir = resolve(base, &p)?;
            let glob = globset::GlobBuilder::new(&pattern)
                .literal_separator(true)
                .build()
                .map_err(|_| EvalError("fileset: invalid pattern".into()))?
                .compile_matcher();
            let mut found = Vec::new();
            for entry in ignore::WalkBuilder::new(&dir)
                .hidden(false)
                .ignore(false)
                .git_ignore(false)
                .parents(false)
                .sort_by_file_name(|a, b| a.cmp(b))
                .build()
                .flatten()
            {
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    if let Ok(rel) = entry.path().strip_prefix(&dir) {
                        let rel = rel.to_string_lossy().replace('\\', "/");
                        if glob.is_match(&rel) {
                            found.push(Value::string(rel));
                        }
                    }
                }
                if found.len() > 10_000 {
                    break;
                }
            }
            Ok(Value::list(set_of(found)))
        }
        "templatefile" | "templatestring" => {
            let text = if name == "templatefile" {
                read(l, &resolve(base, &p)?)?
            } else {
                p.clone()
            };
            let vars = match args.get(1).map(|v| &v.kind) {
                Some(Kind::Object(m)) => (**m).clone(),
                Some(Kind::Null) | None => Default::default(),
                _ => return err("templatefile: the variables must be an object"),
            };
            let t = hcl_edit::parser::parse_template(&text)
                .map_err(|_| EvalError("templatefile: the template has a syntax error".into()))?;
            let at = args
                .first()
                .map(|a| a.origins.first().cloned())
                .unwrap_or_default();
            let sp = at
                .map(|o| super::ast::Sp {
                    start: o.start as usize,
                    end: o.end as usize,
                })
                .unwrap_or_default();
            let parts: Vec<Part> = convert_template(&t, sp);
            let expr = super::ast::Expr::new(E::Tmpl(parts), sp);
            let tev = Ev::new(ev.file, ev.kind, &NoNames);
            let root = Scope::root();
            let scope = Scope::child(&root, vars.into_iter().collect());
            let mut v = tev.eval(&expr, &scope)?;
            if let Kind::String(_) = v.kind {
            } else if !v.is_unknown() {
                v.kind = Kind::String(to_str(&v)?);
            }
            Ok(v)
        }
        _ => err("unknown function"),
    }
}
