//! Runs policies over models: one pass over each model's resources.
//!
//! Policies are bucketed by resource type once; each resource is then visited once and handed to
//! the policies that target its type. Whole-model policies run once per model. Findings that
//! differ only by instance (a module or resource with `for_each`) become one finding listing the
//! instances, so a module called for two keys is reported once, at the source a person edits.

use guard_policies::{Check, Context, FileId, Finding, Model, Policy, Resource, Settings};
use rayon::prelude::*;
use std::collections::HashMap;

/// A model with more resources than this has its resource policies run in parallel chunks.
const CHUNK: usize = 4096;

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
    ///
    /// A resource policy reports on each resource on its own, so a big model (a plan of 100k
    /// changes) is checked in chunks in parallel; each policy's findings are joined in resource
    /// order, exactly as one pass would list them.
    pub fn check(&self, model: &Model) -> Vec<Finding> {
        self.check_in_chunks(model, CHUNK)
    }

    fn check_in_chunks(&self, model: &Model, chunk: usize) -> Vec<Finding> {
        let input = model.input();
        let accepts = |p: &Policy| input.is_none_or(|i| p.inputs.accepts(i));
        let resource_findings = || -> Vec<Finding> {
            let resources = model.resources();
            if resources.len() > chunk {
                let chunks: Vec<Vec<(&'static str, Vec<Finding>)>> = resources
                    .par_chunks(chunk)
                    .map(|chunk| self.check_resources(model, chunk))
                    .collect();
                let mut by_policy: HashMap<&'static str, Vec<Finding>> = HashMap::new();
                for (code, found) in chunks.into_iter().flatten() {
                    by_policy.entry(code).or_default().extend(found);
                }
                by_policy.into_values().flatten().collect()
            } else {
                self.check_resources(model, resources)
                    .into_iter()
                    .flat_map(|(_, found)| found)
                    .collect()
            }
        };
        // Whole-model policies each walk the model on their own: on a big plan they are more
        // work than all resource policies together, so they run side by side with each other
        // (after the resource policies: run alongside those too, the peak memory grew by 10%
        // for little time). Their findings keep the order of a serial run (policy order).
        let model_findings = || -> Vec<Vec<Finding>> {
            self.whole_model
                .par_iter()
                .map(|&policy| match policy.check {
                    Check::Model(check) if accepts(policy) => {
                        let mut ctx = Context::new(model, self.settings, policy);
                        check(&mut ctx);
                        ctx.into_findings()
                    }
                    _ => Vec::new(),
                })
                .collect()
        };
        let mut findings = resource_findings();
        findings.extend(model_findings().into_iter().flatten());
        sort_findings(&mut findings);
        group_instances(findings)
    }

    /// The findings of the resource policies on `resources`, per policy in resource order.
    fn check_resources(
        &self,
        model: &Model,
        resources: &[Resource],
    ) -> Vec<(&'static str, Vec<Finding>)> {
        let mut contexts: HashMap<&'static str, Context<'_>> = HashMap::new();
        let input = model.input();
        let accepts = |p: &Policy| input.is_none_or(|i| p.inputs.accepts(i));
        for resource in resources {
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
        contexts
            .into_iter()
            .map(|(code, ctx)| (code, ctx.into_findings()))
            .collect()
    }
}

/// Borrows what it compares: a sort of 80k findings compares about 1.5 million pairs.
fn sort_key(f: &Finding) -> impl Ord + '_ {
    (
        f.location.as_ref().map(|l| (l.file, l.start)),
        f.code,
        f.address.as_deref(),
        f.message.as_str(),
    )
}

pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
}

/// Merges findings that share policy, source location and message but belong to different
/// instances of one block.
fn group_instances(findings: Vec<Finding>) -> Vec<Finding> {
    // The first finding of each group, by borrowed keys: no copy of a message per finding.
    let mut first_of: HashMap<(&'static str, FileId, u32, &str, &str), usize> = HashMap::new();
    let group: Vec<usize> = findings
        .iter()
        .enumerate()
        .map(|(i, finding)| match &finding.location {
            None => i,
            Some(location) => *first_of
                .entry((
                    finding.code,
                    location.file,
                    location.start,
                    finding.message.as_str(),
                    finding.config_address.as_deref().unwrap_or_default(),
                ))
                .or_insert(i),
        })
        .collect();
    drop(first_of);
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    // Where the first finding of a group went in `out`.
    let mut position = vec![0; findings.len()];
    for (i, mut finding) in findings.into_iter().enumerate() {
        let first = group[i];
        if first == i {
            position[i] = out.len();
            out.push(finding);
            continue;
        }
        let existing = &mut out[position[first]];
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
    for f in &mut out {
        if f.instances.len() > 1 {
            if let Some(config) = &f.config_address {
                f.address = Some(config.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checking in parallel chunks lists exactly what one pass lists, in the same order.
    #[test]
    fn chunks_find_what_one_pass_finds() {
        let changes: Vec<String> = (0..300)
            .map(|i| {
                let (ty, after) = match i % 3 {
                    0 => (
                        "aws_security_group",
                        r#"{"name":"sg","ingress":[{"cidr_blocks":["0.0.0.0/0"],"from_port":22,"to_port":22,"protocol":"tcp"}]}"#,
                    ),
                    1 => ("aws_ebs_volume", r#"{"encrypted":false,"size":10}"#),
                    _ => ("aws_db_instance", r#"{"storage_encrypted":false,"deletion_protection":false}"#),
                };
                let (before, after, actions) = if i % 5 == 0 {
                    (after, "null", "delete")
                } else {
                    ("null", after, "create")
                };
                format!(
                    r#"{{"address":"module.m{}.{ty}.r","module_address":"module.m{}","mode":"managed","type":"{ty}","name":"r","change":{{"actions":["{actions}"],"before":{before},"after":{after},"after_unknown":{{}},"before_sensitive":false,"after_sensitive":false}}}}"#,
                    i % 40,
                    i % 40
                )
            })
            .collect();
        let plan = format!(
            r#"{{"format_version":"1.2","resource_changes":[{}]}}"#,
            changes.join(",")
        );
        let model = crate::load::plan::load_plan("p.json", plan.as_bytes())
            .unwrap()
            .model;
        let settings = Settings::default();
        let policies: Vec<&'static Policy> = guard_policies::registry().to_vec();
        let engine = Engine::new(&policies, &settings);
        let one_pass = format!("{:?}", engine.check_in_chunks(&model, usize::MAX));
        assert!(one_pass.matches("code: ").count() > 100, "{one_pass}");
        for chunk in [1, 7, 64] {
            assert_eq!(
                format!("{:?}", engine.check_in_chunks(&model, chunk)),
                one_pass,
                "chunk {chunk}"
            );
        }
    }
}
