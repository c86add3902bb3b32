//! Reading `guard:ignore` comments into [`Directive`]s.

use super::comments::{scan_comments, Comment};
use super::Date;
use crate::config;
use crate::source::SourceFile;
use guard_policies::{Origin, OriginKind, Registry};
use std::collections::HashSet;
use std::sync::Arc;

/// One target of a suppression: a policy, optionally narrowed to one instance key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub code: &'static str,
    /// The `for_each` key or `count` index, unquoted.
    pub key: Option<String>,
    /// As written, for messages.
    pub written: String,
    pub used: bool,
}

/// A parsed `guard:ignore` comment.
#[derive(Debug, Clone)]
pub struct Directive {
    pub file: Arc<str>,
    pub start: usize,
    pub end: usize,
    /// 1-based line of the comment.
    pub line: usize,
    /// The line whose origins it covers; `None` when no code follows.
    pub target_line: Option<usize>,
    pub targets: Vec<Target>,
    pub reason: Option<String>,
    pub until: Option<Date>,
    /// Problems that make part (unknown code) or all (the rest) of it invalid.
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoReason,
    NoTarget,
    UnknownPolicy(String),
    BadUntil(String),
    UnknownOption(String),
    Malformed(String),
}

impl Problem {
    /// True when the whole directive is unusable (it suppresses nothing).
    pub(super) fn is_fatal(&self) -> bool {
        !matches!(self, Problem::UnknownPolicy(_))
    }
    pub(super) fn message(&self) -> String {
        match self {
            Problem::NoReason => {
                "suppression has no reason, so it suppresses nothing; write `-- why` after the codes"
                    .to_string()
            }
            Problem::NoTarget => {
                "suppression names no policy; write `guard:ignore CODE -- reason`".to_string()
            }
            Problem::UnknownPolicy(p) => {
                format!("unknown policy `{p}` in suppression; run `guard policies` for the codes")
            }
            Problem::BadUntil(d) => {
                format!("bad date `{d}` in suppression; write until=YYYY-MM-DD, so it suppresses nothing")
            }
            Problem::UnknownOption(o) => {
                format!("unknown option `{o}` in suppression (only until=YYYY-MM-DD is known), so it suppresses nothing")
            }
            Problem::Malformed(w) => {
                format!("cannot read suppression: {w}, so it suppresses nothing")
            }
        }
    }
}

impl Directive {
    pub(super) fn usable(&self, today: Date) -> bool {
        !self.problems.iter().any(Problem::is_fatal) && !self.is_expired(today)
    }
    pub(super) fn is_expired(&self, today: Date) -> bool {
        self.until.is_some_and(|u| u < today)
    }
    pub(super) fn origin(&self) -> Origin {
        Origin::new(
            guard_policies::FileId::intern(&self.file),
            self.start,
            self.end,
            OriginKind::Literal,
        )
    }
}

/// The `guard:ignore` directives of one file.
pub fn parse_file(path: &Arc<str>, file: &SourceFile, registry: &Registry) -> Vec<Directive> {
    let text: &str = &file.text;
    if !text.contains("guard:ignore") && !text.contains("guard-ignore") {
        return Vec::new();
    }
    let comments = scan_comments(text);
    // Lines that hold only comments (or nothing): a directive above them looks further down.
    let mut comment_lines: HashSet<usize> = HashSet::new();
    for c in comments.iter().filter(|c| !c.trailing) {
        let (first, last) = (file.line_col(c.start).0, file.line_col(c.end).0);
        let rest_of_last_line = text[c.end..].split('\n').next().unwrap_or("");
        let last = if rest_of_last_line.trim().is_empty() {
            last
        } else {
            last - 1
        };
        comment_lines.extend(first..=last);
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let next_code_line = |after: usize| {
        (after + 1..=lines.len())
            .find(|l| !comment_lines.contains(l) && !lines[l - 1].trim().is_empty())
    };
    let mut out = Vec::new();
    for comment in &comments {
        let body = comment
            .body
            .trim_start_matches(['*', '/', '#'])
            .trim_start();
        let rest = if let Some(rest) = body.strip_prefix("guard:ignore") {
            rest
        } else if body.starts_with("guard-ignore") || body.starts_with("guard: ignore") {
            // A near miss: say so rather than silently doing nothing.
            let mut d = directive_at(path, file, comment, None);
            d.problems.push(Problem::Malformed(
                "the directive is spelled `guard:ignore`".to_string(),
            ));
            out.push(d);
            continue;
        } else {
            continue;
        };
        if rest.starts_with(|c: char| !c.is_whitespace()) {
            // `guard:ignored`, `guard:ignore-file`, ...: not ours.
            let word: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
            let mut d = directive_at(path, file, comment, None);
            d.problems.push(Problem::Malformed(format!(
                "unknown directive `guard:ignore{word}`"
            )));
            out.push(d);
            continue;
        }
        let target_line = if comment.trailing {
            Some(file.line_col(comment.start).0)
        } else {
            next_code_line(file.line_col(comment.end).0)
        };
        let mut d = directive_at(path, file, comment, target_line);
        parse_directive(rest, &mut d, registry);
        out.push(d);
    }
    out
}

fn directive_at(
    path: &Arc<str>,
    file: &SourceFile,
    comment: &Comment,
    target_line: Option<usize>,
) -> Directive {
    Directive {
        file: path.clone(),
        start: comment.start,
        end: comment.end,
        line: file.line_col(comment.start).0,
        target_line,
        targets: Vec::new(),
        reason: None,
        until: None,
        problems: Vec::new(),
    }
}

/// Parses what follows `guard:ignore`: `CODE[,CODE[key]]... [until=DATE] -- reason`.
fn parse_directive(rest: &str, d: &mut Directive, registry: &Registry) {
    let (head, reason) = match find_reason_separator(rest) {
        Some(i) => (&rest[..i], Some(&rest[i + 2..])),
        None => (rest, None),
    };
    let reason = reason
        .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|r| !r.is_empty());
    if reason.is_none() {
        d.problems.push(Problem::NoReason);
    }
    d.reason = reason;

    let chars: Vec<char> = head.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ',' {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "_-=.".contains(chars[i])) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        if word.is_empty() {
            d.problems
                .push(Problem::Malformed(format!("unexpected `{c}`")));
            return;
        }
        if let Some(value) = word.strip_prefix("until=") {
            match config::parse_date(value) {
                Some(date) => d.until = Some(date),
                None => d.problems.push(Problem::BadUntil(value.to_string())),
            }
            continue;
        }
        if word.contains('=') {
            d.problems.push(Problem::UnknownOption(word));
            continue;
        }
        let mut key = None;
        if chars.get(i) == Some(&'[') {
            let key_start = i + 1;
            let mut in_quotes = false;
            let mut j = key_start;
            while j < chars.len() && (in_quotes || chars[j] != ']') {
                if chars[j] == '"' {
                    in_quotes = !in_quotes;
                }
                j += 1;
            }
            if j >= chars.len() {
                d.problems
                    .push(Problem::Malformed(format!("`{word}[` has no closing `]`")));
                return;
            }
            let raw: String = chars[key_start..j].iter().collect();
            key = Some(unquote(raw.trim()).to_string());
            i = j + 1;
        }
        let written: String = chars[start..i].iter().collect();
        match registry.find(&word) {
            Some(policy) => d.targets.push(Target {
                code: policy.code,
                key,
                written,
                used: false,
            }),
            None => d.problems.push(Problem::UnknownPolicy(word)),
        }
    }
    if d.targets.is_empty()
        && !d
            .problems
            .iter()
            .any(|p| matches!(p, Problem::UnknownPolicy(_)))
    {
        d.problems.push(Problem::NoTarget);
    }
}

/// The position of the `--` that starts the reason (not one inside a `[key]`).
fn find_reason_separator(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_quotes = false;
    let bytes = s.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'"' => in_quotes = !in_quotes,
            b'[' if !in_quotes => depth += 1,
            b']' if !in_quotes => depth = depth.saturating_sub(1),
            b'-' if depth == 0 && !in_quotes && bytes.get(i + 1) == Some(&b'-') => {
                let before_ok = i == 0 || bytes[i - 1].is_ascii_whitespace();
                if before_ok {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_separator_is_not_inside_a_key() {
        assert_eq!(find_reason_separator(r#" DEL003["a--b"] -- why"#), Some(16));
        assert_eq!(find_reason_separator(" DEL003"), None);
    }
}
