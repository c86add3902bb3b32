//! Inline suppressions (`# guard:ignore CODE -- reason`) and config ignores.
//!
//! Suppressions are applied after policies run, to the report: findings are never dropped, they
//! get a [`Suppression`] saying why they do not count and where that was decided.
//!
//! An inline suppression is a comment (`#`, `//` or `/* */`) whose text starts with
//! `guard:ignore`. Alone on its line it applies to the next line of code; after code, to its own
//! line. It covers a finding when one of the finding's origins (the attribute, the resource block,
//! a `module` call it was instantiated through, a tfvars entry, ...) starts on that line, so a
//! comment above a block covers the block and one above a `module` block covers what the call
//! creates. `CODE[key]` narrows it to the instances with that `for_each` key (or `count` index).
//!
//! The reason after `--` is mandatory: a suppression without one suppresses nothing and is
//! itself a finding (GRD002). After `until=YYYY-MM-DD` it stops suppressing (GRD003). A code that
//! suppressed nothing is reported (GRD001), like ruff's unused-noqa.
//!
//! `guard.toml` adds `[per-path-ignores]` (by file glob) and `[[suppress]]` (by address glob, for
//! plans, which have no comments). `--no-ignore` turns all of it off.

use crate::config::{self, AddressSuppression};
use crate::report::{Report, ReportedFinding, Suppression};
use crate::source::SourceFile;
use crate::Options;
use guard_policies::meta::{
    expired_suppression::EXPIRED_SUPPRESSION, invalid_suppression::INVALID_SUPPRESSION,
    unused_suppression::UNUSED_SUPPRESSION,
};
use guard_policies::{Finding, InputKind, Origin, OriginKind, Policy};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// A calendar date, `(year, month, day)`.
pub type Date = (i32, u32, u32);

/// Marks suppressed findings and reports unused, invalid or expired suppressions.
///
/// `options` is the run's final options (after the command line): unused suppressions are only
/// reported for policies that ran.
pub fn apply(report: &mut Report, config: &config::Loaded, options: &Options) {
    apply_on(report, config, options, config::today());
}

/// [`apply`] as if today were `today` (for tests).
pub fn apply_on(report: &mut Report, config: &config::Loaded, options: &Options, today: Date) {
    if config.no_ignore {
        return;
    }
    let selected: HashSet<&'static str> = crate::selected_policies(options)
        .iter()
        .map(|p| p.code)
        .collect();
    let mut meta: Vec<Finding> = Vec::new();

    // Inline suppressions, from every source file that can hold comments.
    let mut directives: Vec<Directive> = Vec::new();
    for (path, file) in report.sources.iter() {
        if !has_comments(path) {
            continue;
        }
        directives.extend(parse_file(path, file));
    }
    if !directives.is_empty() {
        apply_inline(report, &mut directives, today);
        let error_files: HashSet<&str> = report.errors.iter().map(|e| e.file.as_str()).collect();
        for d in &directives {
            d.meta_findings(&selected, &error_files, today, &mut meta);
        }
    }

    // Config suppressions.
    if let Some(text) = &config.text {
        let file: Arc<str> = Arc::from(config.file.clone().unwrap_or_default());
        let mut expired_reported = HashSet::new();
        apply_config(report, config, today, |entry| {
            if expired_reported.insert(entry.line) && selected.contains(EXPIRED_SUPPRESSION.code) {
                let (start, end) = line_span(text, entry.line);
                let codes = entry.codes.join(", ");
                meta.push(meta_finding(
                    &EXPIRED_SUPPRESSION,
                    format!(
                        "`[[suppress]]` for {codes} expired on {}; the findings it covered are reported again",
                        show_date(entry.until.unwrap_or_default())
                    ),
                    Origin {
                        file: file.clone(),
                        start,
                        end,
                        kind: OriginKind::Literal,
                    },
                ));
            }
        });
        if meta
            .iter()
            .any(|m| m.location.as_ref().is_some_and(|l| l.file == file))
        {
            report.sources.insert(file.clone(), text.clone());
        }
    }

    // Meta findings, re-rated by `[severity]`; `[per-path-ignores]` applies to them too.
    meta.sort_by(|a, b| {
        let key = |f: &Finding| f.location.as_ref().map(|l| (l.file.clone(), l.start));
        key(a).cmp(&key(b)).then(a.code.cmp(b.code))
    });
    let first_meta = report.findings.len();
    for mut finding in meta {
        if let Some(severity) = config.severity_overrides.get(finding.code) {
            finding.severity = *severity;
        }
        let source = finding
            .location
            .as_ref()
            .map(|l| parent_dir(&l.file))
            .unwrap_or_default();
        report
            .findings
            .push(ReportedFinding::new(finding, &source, report.fail_on));
    }
    for rf in &mut report.findings[first_meta..] {
        if let Some(s) = path_suppression(config, &rf.finding, &rf.source_name) {
            rf.suppression = Some(s);
        }
    }
}

fn has_comments(path: &str) -> bool {
    !path.ends_with(".json")
}

fn parent_dir(file: &str) -> String {
    match file.rfind('/') {
        Some(i) => file[..i].to_string(),
        None => ".".to_string(),
    }
}

fn show_date((y, m, d): Date) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

// ---------------------------------------------------------------------------------------------
// Comments

/// A comment in HCL source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Byte range of the whole comment, delimiters included.
    pub start: usize,
    pub end: usize,
    /// The text without `#`, `//`, `/*` and `*/`.
    pub body: String,
    /// True when code precedes the comment on its first line.
    pub trailing: bool,
}

/// Every comment in HCL text, skipping strings, template interpolations and heredocs.
pub fn scan_comments(text: &str) -> Vec<Comment> {
    enum Ctx {
        Str,
        Interp(usize),
    }
    let b = text.as_bytes();
    let mut stack: Vec<Ctx> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    let trailing = |start: usize| {
        let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
        !text[line_start..start].trim().is_empty()
    };
    while i < b.len() {
        if matches!(stack.last(), Some(Ctx::Str)) {
            match b[i] {
                b'\\' => i += 2,
                b'"' | b'\n' => {
                    // A newline ends an unterminated string: recover instead of eating the file.
                    stack.pop();
                    i += 1;
                }
                b'$' | b'%' if b.get(i + 1) == Some(&b[i]) => i += 2,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(Ctx::Interp(0));
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match b[i] {
            b'"' => {
                stack.push(Ctx::Str);
                i += 1;
            }
            b'{' => {
                if let Some(Ctx::Interp(depth)) = stack.last_mut() {
                    *depth += 1;
                }
                i += 1;
            }
            b'}' => {
                match stack.last_mut() {
                    Some(Ctx::Interp(0)) => {
                        stack.pop();
                    }
                    Some(Ctx::Interp(depth)) => *depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            b'#' | b'/' if b[i] == b'#' || b.get(i + 1) == Some(&b'/') => {
                let body_start = if b[i] == b'#' { i + 1 } else { i + 2 };
                let end = text[i..].find('\n').map_or(text.len(), |p| i + p);
                out.push(Comment {
                    start: i,
                    end,
                    body: text[body_start..end].trim_end_matches('\r').to_string(),
                    trailing: trailing(i),
                });
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (body_end, end) = match text[i + 2..].find("*/") {
                    Some(p) => (i + 2 + p, i + 2 + p + 2),
                    None => (text.len(), text.len()),
                };
                out.push(Comment {
                    start: i,
                    end,
                    body: text[i + 2..body_end].to_string(),
                    trailing: trailing(i),
                });
                i = end;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => i = skip_heredoc(text, i),
            _ => i += 1,
        }
    }
    out
}

/// At `<<` in code: past the heredoc when one starts here, else past the `<<`.
fn skip_heredoc(text: &str, at: usize) -> usize {
    let rest = &text[at + 2..];
    let rest_start = at + 2 + usize::from(rest.starts_with('-'));
    let rest = &text[rest_start..];
    let ident_len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    let ident = &rest[..ident_len];
    let after = &rest[ident_len..];
    let line_end = after.find('\n');
    let starts_ok = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let (true, Some(nl)) = (starts_ok, line_end) else {
        return at + 2;
    };
    if !after[..nl].trim().is_empty() {
        return at + 2;
    }
    let mut pos = rest_start + ident_len + nl + 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |p| pos + p);
        if text[pos..end].trim() == ident {
            return end;
        }
        pos = end + 1;
    }
    text.len()
}

// ---------------------------------------------------------------------------------------------
// Directives

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
    fn is_fatal(&self) -> bool {
        !matches!(self, Problem::UnknownPolicy(_))
    }
    fn message(&self) -> String {
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
    fn usable(&self, today: Date) -> bool {
        !self.problems.iter().any(Problem::is_fatal) && !self.is_expired(today)
    }
    fn is_expired(&self, today: Date) -> bool {
        self.until.is_some_and(|u| u < today)
    }
    fn origin(&self) -> Origin {
        Origin {
            file: self.file.clone(),
            start: self.start,
            end: self.end,
            kind: OriginKind::Literal,
        }
    }

    fn meta_findings(
        &self,
        selected: &HashSet<&'static str>,
        error_files: &HashSet<&str>,
        today: Date,
        out: &mut Vec<Finding>,
    ) {
        if selected.contains(INVALID_SUPPRESSION.code) {
            for problem in &self.problems {
                out.push(meta_finding(
                    &INVALID_SUPPRESSION,
                    problem.message(),
                    self.origin(),
                ));
            }
        }
        if self.problems.iter().any(Problem::is_fatal) {
            return;
        }
        if self.is_expired(today) {
            if selected.contains(EXPIRED_SUPPRESSION.code) {
                let codes = self
                    .targets
                    .iter()
                    .map(|t| t.written.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(meta_finding(
                    &EXPIRED_SUPPRESSION,
                    format!(
                        "suppression of {codes} expired on {}; the findings it covered are reported again",
                        show_date(self.until.unwrap_or_default())
                    ),
                    self.origin(),
                ));
            }
            return;
        }
        // A file that failed to load produced no findings to suppress: saying its suppressions
        // are unused would be noise. Module caches are not the user's to clean up.
        if !selected.contains(UNUSED_SUPPRESSION.code)
            || error_files.contains(&*self.file)
            || self.file.contains(".terraform/")
        {
            return;
        }
        for target in &self.targets {
            if !target.used && selected.contains(target.code) {
                out.push(meta_finding(
                    &UNUSED_SUPPRESSION,
                    format!(
                        "unused suppression: `{}` suppressed nothing",
                        target.written
                    ),
                    self.origin(),
                ));
            }
        }
    }
}

fn meta_finding(policy: &'static Policy, message: String, origin: Origin) -> Finding {
    Finding {
        code: policy.code,
        name: policy.name,
        severity: policy.severity,
        message,
        address: None,
        location: Some(origin),
        related: Vec::new(),
        instances: Vec::new(),
        config_address: None,
        module_calls: Vec::new(),
        input: Some(InputKind::Hcl),
    }
}

/// The `guard:ignore` directives of one file.
pub fn parse_file(path: &Arc<str>, file: &SourceFile) -> Vec<Directive> {
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
        parse_directive(rest, &mut d);
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
fn parse_directive(rest: &str, d: &mut Directive) {
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
        match guard_policies::find_policy(&word) {
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

/// The instance keys in an address: `module.a["x"].aws_b.c[0]` has `x` and `0`.
pub fn address_keys(address: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    let b = address.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'[' {
            let start = i + 1;
            let mut j = start;
            let mut in_quotes = false;
            while j < b.len() && (in_quotes || b[j] != b']') {
                if b[j] == b'\\' && in_quotes {
                    j += 1;
                } else if b[j] == b'"' {
                    in_quotes = !in_quotes;
                }
                j += 1;
            }
            keys.push(unquote(&address[start..j.min(b.len())]));
            i = j;
        }
        i += 1;
    }
    keys
}

// ---------------------------------------------------------------------------------------------
// Matching

/// The addresses a finding stands for: its instances, else its address.
fn addresses(f: &Finding) -> Vec<&str> {
    if f.instances.is_empty() {
        f.address.iter().map(String::as_str).collect()
    } else {
        f.instances.iter().map(String::as_str).collect()
    }
}

/// Splits a finding into the part whose instances satisfy `covers` and the rest.
fn split(
    rf: ReportedFinding,
    covers: impl Fn(&str) -> bool,
) -> (Option<ReportedFinding>, Option<ReportedFinding>) {
    let addrs = addresses(&rf.finding);
    let (yes, no): (Vec<&str>, Vec<&str>) = addrs.iter().partition(|a| covers(a));
    if yes.is_empty() {
        return (None, Some(rf));
    }
    if no.is_empty() {
        return (Some(rf), None);
    }
    if rf.finding.address.is_none() {
        // A whole-plan finding (mass deletion) lists what it is about; it is covered only as a
        // whole, never split into two findings that each say less.
        return (None, Some(rf));
    }
    let part = |keep: &[&str]| {
        let mut copy = rf.clone();
        if keep.len() == 1 {
            copy.finding.address = Some(keep[0].to_string());
            copy.finding.instances.clear();
        } else {
            copy.finding.instances = keep.iter().map(|s| s.to_string()).collect();
        }
        copy
    };
    (Some(part(&yes)), Some(part(&no)))
}

fn key_covers(key: &Option<String>) -> impl Fn(&str) -> bool + '_ {
    move |address: &str| match key {
        None => true,
        Some(k) => address_keys(address).contains(&k.as_str()),
    }
}

fn apply_inline(report: &mut Report, directives: &mut [Directive], today: Date) {
    // (file, line) -> directives targeting that line.
    let mut by_line: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
    for (i, d) in directives.iter().enumerate() {
        if let (Some(line), true) = (d.target_line, d.usable(today)) {
            by_line.entry((&d.file, line)).or_default().push(i);
        }
    }
    // Candidates per finding, most specific first: the location, then related origins, then
    // module calls from the innermost out.
    let candidates_of = |f: &Finding| -> Vec<(usize, usize)> {
        let origins = f
            .location
            .iter()
            .chain(f.related.iter())
            .chain(f.module_calls.iter().rev());
        let mut out: Vec<(usize, usize)> = Vec::new();
        for origin in origins {
            let Some(line) = report
                .sources
                .line_col(&origin.file, origin.start)
                .map(|p| p.0)
            else {
                continue;
            };
            for &di in by_line.get(&(&*origin.file, line)).into_iter().flatten() {
                for (ti, t) in directives[di].targets.iter().enumerate() {
                    if t.code == f.code && !out.contains(&(di, ti)) {
                        out.push((di, ti));
                    }
                }
            }
        }
        out
    };
    let findings = std::mem::take(&mut report.findings);
    let mut plan: Vec<(ReportedFinding, Vec<(usize, usize)>)> = Vec::with_capacity(findings.len());
    for rf in findings {
        let candidates = if rf.suppression.is_some() {
            Vec::new()
        } else {
            candidates_of(&rf.finding)
        };
        plan.push((rf, candidates));
    }
    let mut out = Vec::with_capacity(plan.len());
    for (rf, candidates) in plan {
        if candidates.is_empty() {
            out.push(rf);
            continue;
        }
        // Every candidate that covers any part of the finding counts as used.
        for &(di, ti) in &candidates {
            let target = &directives[di].targets[ti];
            if addresses(&rf.finding)
                .iter()
                .any(|a| key_covers(&target.key)(a))
                || (target.key.is_none())
            {
                directives[di].targets[ti].used = true;
            }
        }
        let mut rest = Some(rf);
        for &(di, ti) in &candidates {
            let Some(current) = rest.take() else { break };
            let d = &directives[di];
            let target = &d.targets[ti];
            let (covered, remaining) = if target.key.is_none() {
                (Some(current), None)
            } else {
                split(current, key_covers(&target.key))
            };
            if let Some(mut covered) = covered {
                covered.suppression = Some(Suppression {
                    kind: "inline",
                    reason: d.reason.clone().unwrap_or_default(),
                    file: Some(d.file.to_string()),
                    line: Some(d.line),
                });
                out.push(covered);
            }
            rest = remaining;
        }
        out.extend(rest);
    }
    report.findings = out;
}

/// `[per-path-ignores]`: the suppression for a finding, when a pattern covers its file.
fn path_suppression(
    config: &config::Loaded,
    finding: &Finding,
    source_name: &str,
) -> Option<Suppression> {
    if config.per_path_ignores.is_empty() {
        return None;
    }
    let file = finding
        .location
        .as_ref()
        .map(|l| l.file.to_string())
        .unwrap_or_else(|| source_name.to_string());
    let rel = config.relative_path(&file)?;
    let entry = config
        .per_path_ignores
        .iter()
        .find(|p| p.codes.contains(&finding.code) && p.matches(&rel))?;
    Some(Suppression {
        kind: "config",
        reason: format!("per-path-ignores `{}`", entry.pattern),
        file: config.file.clone(),
        line: Some(entry.line),
    })
}

fn apply_config(
    report: &mut Report,
    config: &config::Loaded,
    today: Date,
    mut expired: impl FnMut(&AddressSuppression),
) {
    for entry in &config.suppress {
        if entry.until.is_some_and(|u| u < today) {
            expired(entry);
        }
    }
    let findings = std::mem::take(&mut report.findings);
    let mut out = Vec::with_capacity(findings.len());
    for mut rf in findings {
        if rf.suppression.is_some() {
            out.push(rf);
            continue;
        }
        if let Some(s) = path_suppression(config, &rf.finding, &rf.source_name) {
            rf.suppression = Some(s);
            out.push(rf);
            continue;
        }
        let mut rest = Some(rf);
        for entry in &config.suppress {
            let Some(current) = rest.take() else { break };
            if entry.until.is_some_and(|u| u < today)
                || !entry.codes.contains(&current.finding.code)
            {
                rest = Some(current);
                continue;
            }
            let (covered, remaining) = split(current, |a| entry.matches_address(a));
            if let Some(mut covered) = covered {
                covered.suppression = Some(Suppression {
                    kind: "config",
                    reason: entry.reason.clone(),
                    file: config.file.clone(),
                    line: Some(entry.line),
                });
                out.push(covered);
            }
            rest = remaining;
        }
        out.extend(rest);
    }
    report.findings = out;
}

/// Byte range of a 1-based line in `text`, without its newline.
fn line_span(text: &str, line: usize) -> (usize, usize) {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(p) => start += p + 1,
            None => break,
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |p| start + p);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_skip_strings_interpolations_and_heredocs() {
        let text = r#"a = "x # not a comment ${ "y" } // nor this" # one
b = <<EOT
# not a comment
EOT
/* two
 */ c = 1 // three
d = "${ {a = 1} }" # four
"#;
        let bodies: Vec<String> = scan_comments(text)
            .into_iter()
            .map(|c| c.body.trim().to_string())
            .collect();
        assert_eq!(bodies, ["one", "two", "three", "four"]);
    }

    #[test]
    fn keys_are_read_from_addresses() {
        assert_eq!(address_keys(r#"module.a["x"].aws_b.c[0]"#), vec!["x", "0"]);
        assert_eq!(address_keys(r#"aws_b.c["a]b"]"#), vec!["a]b"]);
        assert!(address_keys("aws_b.c").is_empty());
    }

    #[test]
    fn the_reason_separator_is_not_inside_a_key() {
        assert_eq!(find_reason_separator(r#" DEL003["a--b"] -- why"#), Some(16));
        assert_eq!(find_reason_separator(" DEL003"), None);
    }
}
