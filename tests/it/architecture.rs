//! The module graph points one way: no two modules of `src/` use each other, directly or through
//! others (at every level: `report` and `github`, `load::hcl::files` and `load::hcl::module`).
//! Read from the source (`crate::…` and `super::…` paths outside comments and test modules).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path of a source file: `src/load/hcl/mod.rs` → `["load", "hcl"]`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix("src").unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Code without comments and without the `#[cfg(test)]` module at the end of a file.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path after `crate::` or `super::` (possibly repeated), as segments.
fn paths(code: &str, from: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let boundary = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b':');
        if boundary && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let mut segs: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
            let mut base: Vec<String> = if segs[0] == "crate" {
                segs.remove(0);
                Vec::new()
            } else {
                // `super` of a file module is its parent; of `x/mod.rs` too (its path is `x`).
                let mut b = from.to_vec();
                while segs.first() == Some(&"super") {
                    segs.remove(0);
                    b.pop();
                }
                b
            };
            base.extend(segs.iter().map(|s| s.to_string()));
            out.push(base);
            i += end;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn no_two_modules_depend_on_each_other() {
    let mut all = Vec::new();
    files(Path::new("src"), &mut all);
    let modules: BTreeSet<Vec<String>> = all.iter().map(|f| module_of(f)).collect();
    // Edges between siblings: `a::b::x` using `a::b::y::z` is the edge x → y under `a::b`.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in &all {
        let from = module_of(file);
        let text = code(&std::fs::read_to_string(file).unwrap());
        for path in paths(&text, &from) {
            // The longest prefix that is a module of ours.
            let Some(to) = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains(p))
            else {
                continue;
            };
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common < from.len() && common < to.len() {
                edges
                    .entry(from[..=common].to_vec())
                    .or_default()
                    .insert(to[..=common].to_vec());
            }
        }
    }
    // A cycle is an edge whose target reaches its source.
    let reaches = |start: &Vec<String>, goal: &Vec<String>| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.clone()];
        while let Some(m) = stack.pop() {
            if &m == goal {
                return true;
            }
            if seen.insert(m.clone()) {
                stack.extend(edges.get(&m).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut cycles = Vec::new();
    for (from, tos) in &edges {
        for to in tos {
            if reaches(to, from) {
                cycles.push(format!("{} → {}", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "edges on an import cycle:\n{}",
        cycles.join("\n")
    );
    // The check sees the graph: the known one-way edges are there.
    assert!(edges[&vec!["report".to_string()]].contains(&vec!["two_person".to_string()]));
    assert!(edges[&vec!["github".to_string()]].contains(&vec!["report".to_string()]));
}
