//! The comment marker protocol: the hidden first line that tells guard's comment for a key
//! apart from every other comment (`crate::github::comment` reads it back).

use std::fmt::Write as _;

/// The marker prefix; the first line of every guard comment.
pub const MARKER_PREFIX: &str = "<!-- guard:v1 ";

/// A safe marker key: `[A-Za-z0-9._/-]`, other characters as `_`, at most 100.
pub fn sanitize_key(key: &str) -> String {
    let k: String = key
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .replace("--", "__");
    if k.is_empty() {
        "default".to_string()
    } else {
        k
    }
}

/// The marker line of a key.
pub fn marker(
    key: &str,
    sha: Option<&str>,
    run: Option<&str>,
    fingerprint: Option<&str>,
) -> String {
    let mut m = format!("{MARKER_PREFIX}key={}", sanitize_key(key));
    if let Some(sha) = sha.filter(|s| s.chars().all(|c| c.is_ascii_hexdigit())) {
        let _ = write!(m, " sha={sha}");
    }
    if let Some(fp) = fingerprint {
        let _ = write!(m, " fp={}", sanitize_key(fp).replace('/', "_"));
    }
    if let Some(run) = run.filter(|r| r.chars().all(|c| c.is_ascii_digit())) {
        let _ = write!(m, " run={run}");
    }
    m.push_str(" -->");
    m
}

/// The key of a guard comment body: read from the first line only.
pub fn marker_key(body: &str) -> Option<&str> {
    let first = body.lines().next()?;
    let rest = first.strip_prefix(MARKER_PREFIX)?.strip_suffix("-->")?;
    rest.split_whitespace().find_map(|t| t.strip_prefix("key="))
}

/// The body with the run-specific parts removed (marker `run=`, footer run link), for the
/// "skip identical" comparison across runs.
pub fn comparable(body: &str) -> String {
    let run = body
        .lines()
        .next()
        .filter(|l| l.starts_with(MARKER_PREFIX))
        .and_then(|l| l.split_whitespace().find_map(|t| t.strip_prefix("run=")))
        .map(str::to_string);
    let Some(run) = run else {
        return body.to_string();
    };
    let mut out = body.replacen(&format!(" run={run}"), "", 1);
    let link = format!(" · [run {run}](");
    if let Some(start) = out.rfind(&link) {
        if let Some(len) = out[start + link.len()..].find(')') {
            out.replace_range(start..start + link.len() + len + 1, "");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_read_from_the_first_line_only() {
        let m = marker("infra/prod", Some("abc123"), Some("42"), None);
        assert_eq!(m, "<!-- guard:v1 key=infra/prod sha=abc123 run=42 -->");
        assert_eq!(marker_key(&format!("{m}\nbody")), Some("infra/prod"));
        assert_eq!(marker_key(&format!("hi\n{m}")), None);
        assert_eq!(sanitize_key("a b-->c"), "a_b__>c".replace('>', "_"));
    }

    #[test]
    fn comparable_ignores_the_run() {
        let a = "<!-- guard:v1 key=k sha=ab run=1 -->\nx\n<sub>guard · [run 1](https://g/r/actions/runs/1)</sub>\n";
        let b = "<!-- guard:v1 key=k sha=ab run=2 -->\nx\n<sub>guard · [run 2](https://g/r/actions/runs/2)</sub>\n";
        assert_eq!(comparable(a), comparable(b));
    }
}
