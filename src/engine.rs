//! Runs policies over models: one pass over each model's resources.
//!
//! Policies are bucketed by resource type once; each resource is then visited once and handed to
//! the policies that target its type. Whole-model policies run once per model. Findings that
//! differ only by instance (a module or resource with `for_each`) become one finding listing the
//! instances, so a module called for two keys is reported once, at the source a person edits.

use guard_policies::{Check, Context, Finding, Model, Policy, Settings};
use std::collections::HashMap;

/// The policies a run uses, bucketed for one pass.
pub struct Engine<'s> {
    settings: &'s Settings,
    by_type: HashMap<&'static str, Vec<&'static Policy>>,
    every_resource: Vec<&'static Policy>,
    /// Policies that choose resource types by pattern (declarative rules).
    matching: Vec<&'static Policy>,
    whole_model: Vec<&'static Policy>,
}

impl<'s> Engine<'s> {
    pub fn new(policies: &[&'static Policy], settings: &'s Settings) -> Self {
        let mut by_type: HashMap<&'static str, Vec<&'static Policy>> = HashMap::new();
        let mut every_resource = Vec::new();
        let mut matching = Vec::new();
        let mut whole_model = Vec::new();
        for &policy in policies {
            match policy.check {
                Check::Resources { types: [], .. } => every_resource.push(policy),
                Check::Resources { types, .. } => {
                    for t in types {
                        by_type.entry(*t).or_default().push(policy);
                    }
                }
                Check::Model(_) => whole_model.push(policy),
                Check::Matching { .. } => matching.push(policy),
            }
        }
        Engine {
            settings,
            by_type,
            every_resource,
            matching,
            whole_model,
        }
    }

    /// Every finding of every selected policy on one model, grouped and in a stable order.
    pub fn check(&self, model: &Model) -> Vec<Finding> {
        let mut contexts: HashMap<&'static str, Context<'_>> = HashMap::new();
        let input = model.input();
        let accepts = |p: &Policy| input.is_none_or(|i| p.inputs.accepts(i));
        for resource in model.resources() {
            let typed = self
                .by_type
                .get(resource.resource_type())
                .map(Vec::as_slice)
                .unwrap_or_default();
            for &policy in typed.iter().chain(self.every_resource.iter()) {
                if !accepts(policy) || !policy.inputs.accepts(resource.input()) {
                    continue;
                }
                if let Check::Resources { check, .. } = policy.check {
                    let ctx = contexts
                        .entry(policy.code)
                        .or_insert_with(|| Context::new(model, self.settings, policy));
                    check(ctx, resource);
                }
            }
            for &policy in &self.matching {
                if !accepts(policy) || !policy.inputs.accepts(resource.input()) {
                    continue;
                }
                if let Check::Matching { check, .. } = policy.check {
                    if check.applies_to(resource.resource_type()) {
                        let ctx = contexts
                            .entry(policy.code)
                            .or_insert_with(|| Context::new(model, self.settings, policy));
                        check.check(ctx, resource);
                    }
                }
            }
        }
        for &policy in &self.whole_model {
            if !accepts(policy) {
                continue;
            }
            if let Check::Model(check) = policy.check {
                let ctx = contexts
                    .entry(policy.code)
                    .or_insert_with(|| Context::new(model, self.settings, policy));
                check(ctx);
            }
        }
        let mut findings: Vec<Finding> = contexts
            .into_values()
            .flat_map(Context::into_findings)
            .collect();
        sort_findings(&mut findings);
        group_instances(findings)
    }
}

fn sort_key(f: &Finding) -> impl Ord + '_ {
    (
        f.location.as_ref().map(|l| (l.file.clone(), l.start)),
        f.code,
        f.address.clone(),
        f.message.clone(),
    )
}

pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
}

/// Merges findings that share policy, source location and message but belong to different
/// instances of one block.
fn group_instances(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut index: HashMap<(&'static str, String, usize, String, String), usize> = HashMap::new();
    for mut finding in findings {
        let Some(location) = finding.location.clone() else {
            out.push(finding);
            continue;
        };
        let key = (
            finding.code,
            location.file.to_string(),
            location.start,
            finding.message.clone(),
            finding.config_address.clone().unwrap_or_default(),
        );
        match index.get(&key) {
            Some(&i) => {
                let existing = &mut out[i];
                if existing.instances.is_empty() {
                    if let Some(a) = existing.address.clone() {
                        existing.instances.push(a);
                    }
                }
                if let Some(a) = finding.address.take() {
                    if !existing.instances.contains(&a) {
                        existing.instances.push(a);
                    }
                }
                existing.severity = existing.severity.max(finding.severity);
            }
            None => {
                index.insert(key, out.len());
                out.push(finding);
            }
        }
    }
    for f in &mut out {
        if f.instances.len() > 1 {
            if let Some(config) = &f.config_address {
                f.address = Some(config.clone());
            }
        }
    }
    out
}
