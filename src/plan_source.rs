//! Plan findings mapped back to the `.tf` source: a plan names a resource by address, and a
//! pull-request annotation should land on the block a reviewer reads.
//!
//! The source directory is `--source DIR`, else the plan file's directory. Blocks are found by a
//! scan of the directory's `.tf`/`.tofu` files for `resource`, `data`, `output` and `module`
//! headers; a `module.NAME` step follows a local `source` (`./…`, `../…`) and stops at the
//! `module` block for anything else (a registry module's code is not the user's to edit). A
//! finding whose block is not in the source (a resource the change removes) keeps its place in
//! the plan. Only the block's header line is read for display; nothing else of the file is shown.

use crate::stages::Triaged;
use guard_policies::{FileId, InputKind, Origin, OriginKind};
use regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A block header: where it starts and where its opening line ends.
#[derive(Debug, Clone)]
struct Header {
    file: Arc<str>,
    start: usize,
    end: usize,
    /// For a `module` block: its `source` string.
    source: Option<String>,
}

/// The block headers of one directory, by `(kind, first label, second label)`.
#[derive(Default)]
struct Blocks {
    headers: HashMap<(String, String, String), Header>,
    texts: Vec<(Arc<str>, Arc<str>)>,
}

fn header_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?m)^[ \t]*(resource|data|output|module)[ \t]+"([^"\n]+)"(?:[ \t]+"([^"\n]+)")?[ \t]*\{[^\n]*"#)
            .expect("a valid pattern")
    })
}

fn source_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?m)^[ \t]*source[ \t]*=[ \t]*"([^"\n]*)""#).expect("a valid pattern")
    })
}

fn scan(dir: &Path) -> Blocks {
    let mut blocks = Blocks::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return blocks;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.ends_with(".tf") || name.ends_with(".tofu")) && p.is_file()
        })
        .collect();
    files.sort();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // Origins hold 32-bit offsets; the source loader refuses such a file with an error.
        if crate::load::too_large(text.len() as u64) {
            continue;
        }
        let name: Arc<str> = Arc::from(crate::display_path(&path));
        for c in header_pattern().captures_iter(&text) {
            let (Some(all), Some(kind), Some(first)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let second = c.get(3).map_or("", |m| m.as_str());
            let source = (kind.as_str() == "module")
                .then(|| {
                    let body = &text[all.end()..];
                    let body = &body[..body.find("\n}").unwrap_or(body.len())];
                    source_pattern()
                        .captures(body)
                        .and_then(|s| s.get(1))
                        .map(|s| s.as_str().to_string())
                })
                .flatten();
            blocks
                .headers
                .entry((
                    kind.as_str().to_string(),
                    first.as_str().to_string(),
                    second.to_string(),
                ))
                .or_insert(Header {
                    file: name.clone(),
                    start: all.start() + (all.as_str().len() - all.as_str().trim_start().len()),
                    // Up to and including the `{`: the rest of the line is not shown.
                    end: all.start() + all.as_str().find('{').map_or(0, |i| i + 1),
                    source,
                });
        }
        blocks.texts.push((name, Arc::from(headers_only(&text))));
    }
    blocks
}

/// The file with everything but block headers blanked (line breaks kept, so offsets and lines
/// stay): a snippet under a mapped finding can show the header and nothing else of the file.
fn headers_only(text: &str) -> String {
    let mut out: Vec<u8> = text
        .bytes()
        .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    for c in header_pattern().captures_iter(text) {
        let Some(all) = c.get(0) else { continue };
        let end = all.start() + all.as_str().find('{').map_or(0, |i| i + 1);
        out[all.start()..end].copy_from_slice(&text.as_bytes()[all.start()..end]);
    }
    // Blanking whole bytes of multi-byte characters leaves valid UTF-8 (spaces); the header
    // ranges copied back are whole characters (they start and end at ASCII bytes).
    String::from_utf8(out).unwrap_or_default()
}

/// The address as steps: `module.a.module.b.aws_x.y` → modules `[a, b]`, block `aws_x.y`.
fn split_address(address: &str) -> (Vec<&str>, Vec<&str>) {
    let parts: Vec<&str> = address.split('.').collect();
    let mut modules = Vec::new();
    let mut i = 0;
    while i + 1 < parts.len() && parts[i] == "module" {
        modules.push(parts[i + 1]);
        i += 2;
    }
    (modules, parts[i..].to_vec())
}

/// Removes `.` components and resolves `..` against a preceding name, lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(
                    out.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Where a plan address is written in the source under `root`, if it is.
struct Finder {
    cache: HashMap<PathBuf, Blocks>,
}

impl Finder {
    fn blocks(&mut self, dir: &Path) -> &Blocks {
        self.cache
            .entry(dir.to_path_buf())
            .or_insert_with(|| scan(dir))
    }

    fn find(&mut self, root: &Path, address: &str) -> Option<Header> {
        let (modules, rest) = split_address(address);
        let mut dir = root.to_path_buf();
        for name in modules {
            let call = self
                .blocks(&dir)
                .headers
                .get(&("module".to_string(), name.to_string(), String::new()))?
                .clone();
            match call.source.as_deref() {
                Some(s) if s.starts_with("./") || s.starts_with("../") => {
                    dir = normalize(&dir.join(s));
                }
                // A registry or remote module: the call is what the user edits.
                _ => return Some(call),
            }
        }
        let key = match rest.as_slice() {
            ["data", ty, name] => ("data", *ty, *name),
            ["output", name] => ("output", *name, ""),
            [ty, name] => ("resource", *ty, *name),
            _ => return None,
        };
        self.blocks(&dir)
            .headers
            .get(&(key.0.to_string(), key.1.to_string(), key.2.to_string()))
            .cloned()
    }
}

/// The plan-source stage: points plan findings at their block in the source (`source` for every
/// plan, else each plan's own directory).
pub fn map_plan_findings(mut triaged: Triaged, source: Option<&Path>) -> Triaged {
    map_in_place(&mut triaged, source);
    triaged
}

/// [`map_plan_findings`] on the stage's own value. Returns how many findings were mapped.
fn map_in_place(triaged: &mut Triaged, source: Option<&Path>) -> usize {
    let mut finder = Finder {
        cache: HashMap::new(),
    };
    let mut mapped = 0;
    let mut used: HashMap<Arc<str>, ()> = HashMap::new();
    for rf in triaged.findings.iter_mut() {
        let f = &mut rf.finding;
        if f.location.is_some() || f.input != Some(InputKind::Plan) {
            continue;
        }
        let Some(address) = f.config_address.as_deref().or(f.address.as_deref()) else {
            continue;
        };
        let root = match source {
            Some(dir) => dir.to_path_buf(),
            None => match Path::new(&rf.source_name).parent() {
                Some(p) if rf.source_name != "-" => {
                    if p.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        p.to_path_buf()
                    }
                }
                _ => continue,
            },
        };
        let address = crate::baseline::stable_address_keys_only(address);
        if let Some(header) = finder.find(&root, &address) {
            f.location = Some(Origin::new(
                FileId::intern(&header.file),
                header.start,
                header.end,
                OriginKind::Literal,
            ));
            used.insert(header.file, ());
            mapped += 1;
        }
    }
    // The texts of the files findings now point at, so places resolve to lines.
    for blocks in finder.cache.into_values() {
        for (name, text) in blocks.texts {
            if used.contains_key(&name) && triaged.sources.get(&name).is_none() {
                triaged.sources.insert(name, text);
            }
        }
    }
    mapped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_headers_survive() {
        let text = "resource \"aws_db_instance\" \"db\" { password = \"hunter2\" }\nlocals {\n  x = \"é\"\n}\n";
        let masked = headers_only(text);
        assert_eq!(masked.len(), text.len());
        assert!(masked.starts_with("resource \"aws_db_instance\" \"db\" {"));
        assert!(!masked.contains("hunter2"));
        assert!(!masked.contains('é'));
        assert_eq!(masked.lines().count(), text.lines().count());
    }

    #[test]
    fn addresses_split_into_module_steps_and_a_block() {
        assert_eq!(
            split_address("module.a.module.b.aws_x.y"),
            (vec!["a", "b"], vec!["aws_x", "y"])
        );
        assert_eq!(
            split_address("data.aws_iam_policy_document.p"),
            (vec![], vec!["data", "aws_iam_policy_document", "p"])
        );
    }
}
