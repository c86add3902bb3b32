//! One root cause, one finding: grouping across module instances and root modules.
//!
//! A module that five examples call produces the same finding, at the same line of the module
//! source, once per example. The engine already merges the instances of one block inside one
//! root; this stage, run on all findings after suppressions are applied and before anything
//! is rendered, merges findings that share policy, source location, message and suppression
//! across roots. The merged finding lists every instance prefixed with its root
//! (`examples/complete: module.vpc.aws_flow_log.this`) and the roots in
//! [`ReportedFinding::roots`], so a reader can tell the callers apart.
//!
//! It also anchors findings at a line a person can change: a finding inside a module downloaded
//! by `terraform init` (`.terraform/modules/...`) points at the `module` block in the user's
//! code, and a finding in a local module's source names the calling `module` block as related.

use crate::report::{ReportedFinding, Suppression};
use crate::stages::Triaged;
use guard_policies::{Finding, InputKind, Origin};
use std::collections::HashMap;

/// Related locations kept on a merged finding; the instances list names every caller anyway.
const MAX_RELATED: usize = 20;

/// The group stage: anchors, then groups, the findings (order otherwise kept).
pub fn group(mut triaged: Triaged) -> Triaged {
    for f in &mut triaged.findings {
        anchor_in_user_code(&mut f.finding);
    }
    let findings = std::mem::take(&mut triaged.findings);
    triaged.findings = group_across_roots(findings);
    triaged
}

fn is_downloaded(file: &str) -> bool {
    file.starts_with(".terraform/modules/") || file.contains("/.terraform/modules/")
}

/// Points a finding at the line a person can change (see the module documentation).
pub fn anchor_in_user_code(f: &mut Finding) {
    if f.input != Some(InputKind::Hcl) || f.module_calls.is_empty() {
        return;
    }
    let Some(location) = f.location.clone() else {
        return;
    };
    if is_downloaded(&location.file) {
        // The innermost call written in the user's code: the version or the arguments there
        // are what a person changes.
        if let Some(call) = f
            .module_calls
            .iter()
            .rev()
            .find(|c| !is_downloaded(&c.file))
            .cloned()
        {
            f.location = Some(call.clone());
            f.related.retain(|r| *r != call);
            f.related.insert(0, location);
        }
        return;
    }
    if let Some(call) = f.module_calls.last() {
        if *call != location && !f.related.contains(call) {
            f.related.push(call.clone());
        }
    }
}

type Key = (
    &'static str,
    guard_policies::FileId,
    u32,
    String,
    Option<(&'static str, String)>,
);

fn key(rf: &ReportedFinding) -> Option<Key> {
    let f = &rf.finding;
    // Plan findings carry the approval check (DEL001): one per address, never merged.
    if f.input != Some(InputKind::Hcl) || rf.approved_by.is_some() {
        return None;
    }
    let location = f.location.as_ref()?;
    let suppression = rf
        .suppression
        .as_ref()
        .map(|s: &Suppression| (s.kind, s.reason.clone()));
    Some((
        f.code,
        location.file,
        location.start,
        f.message.clone(),
        suppression,
    ))
}

/// The addresses one finding stands for, as `root: address`.
fn rooted_instances(rf: &ReportedFinding) -> Vec<String> {
    let f = &rf.finding;
    let addresses: Vec<&str> = if f.instances.is_empty() {
        f.address.iter().map(String::as_str).collect()
    } else {
        f.instances.iter().map(String::as_str).collect()
    };
    addresses
        .into_iter()
        .map(|a| format!("{}: {a}", rf.source_name))
        .collect()
}

/// Merges findings of different roots that share policy, location, message and suppression.
pub fn group_across_roots(findings: Vec<ReportedFinding>) -> Vec<ReportedFinding> {
    let mut out: Vec<ReportedFinding> = Vec::with_capacity(findings.len());
    let mut index: HashMap<Key, usize> = HashMap::new();
    for mut rf in findings {
        let Some(k) = key(&rf) else {
            out.push(rf);
            continue;
        };
        match index.get(&k) {
            Some(&i) => {
                let existing = &mut out[i];
                if existing.roots.is_empty() {
                    existing.roots.push(existing.source_name.clone());
                    existing.finding.instances = rooted_instances(existing);
                }
                for instance in rooted_instances(&rf) {
                    if !existing.finding.instances.contains(&instance) {
                        existing.finding.instances.push(instance);
                    }
                }
                if !existing.roots.contains(&rf.source_name) {
                    existing.roots.push(rf.source_name.clone());
                }
                let e = &mut existing.finding;
                e.severity = e.severity.max(rf.finding.severity);
                for r in std::mem::take(&mut rf.finding.related) {
                    if e.related.len() < MAX_RELATED && !e.related.contains(&r) {
                        e.related.push(r);
                    }
                }
                merge_calls(&mut e.related, &rf.finding.module_calls);
            }
            None => {
                index.insert(k, out.len());
                out.push(rf);
            }
        }
    }
    out
}

/// Adds the innermost caller of a merged instance to the related locations.
fn merge_calls(related: &mut Vec<Origin>, calls: &[Origin]) {
    if let Some(call) = calls.last() {
        if related.len() < MAX_RELATED && !related.contains(call) {
            related.push(call.clone());
        }
    }
}
