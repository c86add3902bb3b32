//! Inline suppressions (`# guard:ignore CODE -- reason`) and config ignores.
//!
//! The suppress stage: [`apply`] takes the check stage's [`Checked`] and hands on a [`Triaged`].
//! Findings are never dropped, they get a [`Suppression`] saying why they do not count and where
//! that was decided.
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

mod comments;
mod config_rules;
mod directive;
mod matching;
mod meta;
pub mod peers;

/// The instance keys in an address (see [`crate::address`]).
pub use crate::address::instance_keys as address_keys;
pub use comments::{scan_comments, Comment};
pub use directive::{parse_file, Directive, Problem, Target};

use crate::config;
use crate::report::ReportedFinding;
use crate::stages::{Checked, Triaged};
use crate::Options;
use config_rules::{apply_config, line_span, path_suppression};
use guard_policies::meta::expired_suppression::EXPIRED_SUPPRESSION;
use guard_policies::{Finding, Origin, OriginKind};
use matching::apply_inline;
use meta::meta_finding;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A calendar date, `(year, month, day)`.
pub type Date = (i32, u32, u32);

/// Marks suppressed findings and reports unused, invalid or expired suppressions.
///
/// `options` is the run's final options (after the command line): unused suppressions are only
/// reported for policies that ran.
pub fn apply(checked: Checked, config: &config::Loaded, options: &Options) -> Triaged {
    apply_on(checked, config, options, config::today())
}

/// [`apply`] as if today were `today` (for tests).
pub fn apply_on(
    checked: Checked,
    config: &config::Loaded,
    options: &Options,
    today: Date,
) -> Triaged {
    let mut triaged = Triaged::from(checked);
    mark(&mut triaged, config, options, today);
    triaged
}

/// Marks the suppressed findings of the stage's own value and adds the GRD findings.
fn mark(triaged: &mut Triaged, config: &config::Loaded, options: &Options, today: Date) {
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
    for (path, file) in triaged.sources.iter() {
        if !has_comments(path) {
            continue;
        }
        directives.extend(parse_file(path, file, &options.registry));
    }
    if !directives.is_empty() {
        apply_inline(triaged, &mut directives, today);
        let error_files: HashSet<&str> = triaged.errors.iter().map(|e| e.file.as_str()).collect();
        let nearby = nearby_findings(triaged);
        for d in &directives {
            d.meta_findings(&selected, &error_files, today, &nearby, &mut meta);
        }
    }

    // Peer comments (checkov, trivy, tfsec), on request.
    if config.respect_peer_ignores {
        peers::apply(triaged);
    }

    // Config suppressions.
    if let Some(text) = &config.text {
        let file: Arc<str> = Arc::from(config.file.clone().unwrap_or_default());
        let file_id = guard_policies::FileId::intern(&file);
        let mut expired_reported = HashSet::new();
        apply_config(triaged, config, today, |entry| {
            if expired_reported.insert(entry.line) && selected.contains(EXPIRED_SUPPRESSION.code) {
                let (start, end) = line_span(text, entry.line);
                let codes = entry.codes.join(", ");
                meta.push(meta_finding(
                    &EXPIRED_SUPPRESSION,
                    format!(
                        "`[[suppress]]` for {codes} expired on {}; the findings it covered are reported again",
                        show_date(entry.until.unwrap_or_default())
                    ),
                    Origin::new(file_id, start, end, OriginKind::Literal),
                ));
            }
        });
        if meta
            .iter()
            .any(|m| m.location.as_ref().is_some_and(|l| l.file == file_id))
        {
            triaged.sources.insert(file.clone(), text.clone());
        }
    }

    // Meta findings, re-rated by `[severity]`; `[per-path-ignores]` applies to them too.
    meta.sort_by(|a, b| {
        let key = |f: &Finding| f.location.as_ref().map(|l| (l.file, l.start));
        key(a).cmp(&key(b)).then(a.code.cmp(b.code))
    });
    let first_meta = triaged.findings.len();
    for mut finding in meta {
        if let Some(severity) = config.severity_overrides.get(finding.code) {
            finding.severity = *severity;
        }
        let source = finding
            .location
            .as_ref()
            .map(|l| parent_dir(&l.file))
            .unwrap_or_default();
        triaged
            .findings
            .push(ReportedFinding::new(finding, &source, triaged.fail_on));
    }
    for rf in &mut triaged.findings[first_meta..] {
        if let Some(s) = path_suppression(config, &rf.finding, &rf.source_name) {
            rf.suppression = Some(s);
        }
    }
}

/// Unsuppressed findings by code, where they are reported (for GRD001's hint).
fn nearby_findings(triaged: &Triaged) -> HashMap<&'static str, Vec<meta::Nearby>> {
    let mut out: HashMap<&'static str, Vec<meta::Nearby>> = HashMap::new();
    for rf in triaged.findings.iter().filter(|f| f.suppression.is_none()) {
        let Some(place) = triaged.finding_place(&rf.finding) else {
            continue;
        };
        let Some(line) = place.line else { continue };
        out.entry(rf.finding.code).or_default().push(meta::Nearby {
            file: place.file,
            line,
            address: rf.finding.address.clone(),
        });
    }
    out
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

pub(super) fn show_date((y, m, d): Date) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}
