//! Finding the companion resource that configures another one: the WAF association of a load
//! balancer, the flow log of a VPC, the security policy of a Front Door profile.
//!
//! A companion points at its target through an argument (`resource_arn = aws_lb.x.arn`). The
//! target is matched by the reference the loader resolved (per instance key), or, in a plan where
//! both sides exist already, by equal known values (`resource_arn` equals the load balancer's
//! `arn`). A companion whose argument is known only after apply and whose reference could not be
//! resolved (it goes through a module output, say) may point at anything, so the answer is then
//! "cannot tell", naming that companion.

use crate::model::{Model, Resource};
use crate::value::ValueRef;

/// The companions of some types that point at their targets through one argument.
pub struct Companions<'m> {
    attribute: &'static str,
    resources: Vec<&'m Resource>,
}

/// Whether a target has a companion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage<'m> {
    Covered,
    /// No companion points at the target, but this one's target is known only after apply.
    CannotTell(&'m str),
    Missing,
}

impl<'m> Coverage<'m> {
    /// The better of two answers: covered beats cannot-tell beats missing.
    pub fn or(self, other: Coverage<'m>) -> Coverage<'m> {
        match (self, other) {
            (Coverage::Covered, _) | (_, Coverage::Covered) => Coverage::Covered,
            (Coverage::CannotTell(a), _) | (_, Coverage::CannotTell(a)) => Coverage::CannotTell(a),
            _ => Coverage::Missing,
        }
    }
}

impl<'m> Companions<'m> {
    /// The resources of `types` in `model` that will exist, read through `attribute` (dotted for
    /// a nested block argument).
    pub fn of(model: &'m Model, types: &[&str], attribute: &'static str) -> Self {
        Companions {
            attribute,
            resources: model
                .resources_of_types(types)
                .into_iter()
                .filter(|r| r.will_exist())
                .collect(),
        }
    }

    /// Keeps only the companions that actually do their job (a flow log that is not disabled).
    pub fn retain(mut self, keep: impl Fn(&Resource) -> bool) -> Self {
        self.resources.retain(|r| keep(r));
        self
    }

    /// Whether some companion points at `target`, whose identifying attributes (`arn`, `id`)
    /// are `target_attributes`.
    pub fn coverage(&self, target: &Resource, target_attributes: &[&str]) -> Coverage<'m> {
        match self.matching(target, target_attributes) {
            Matching::Found(_) => Coverage::Covered,
            Matching::CannotTell(address) => Coverage::CannotTell(address),
            Matching::Missing => Coverage::Missing,
        }
    }

    /// The companions that point at `target`, for a policy that must read what they configure
    /// (the key an encryption configuration names), not only whether one exists.
    pub fn matching(&self, target: &Resource, target_attributes: &[&str]) -> Matching<'m> {
        let identities: Vec<&str> = target_attributes
            .iter()
            .filter_map(|a| target.values().get(a).as_str())
            .filter(|s| !s.is_empty())
            .collect();
        let mut found = Vec::new();
        let mut cannot_tell = None;
        for companion in &self.resources {
            let mut references = companion.references_in(self.attribute).peekable();
            let resolved = references.peek().is_some();
            if references.any(|r| r.points_at(companion, target)) {
                found.push(*companion);
                continue;
            }
            let values = values_at(companion.values(), self.attribute);
            let mut unknown = false;
            let mut hit = false;
            for value in values {
                if value.contains_unknown() {
                    unknown = true;
                }
                // A managed resource's ARN passed through a module output is a stand-in that
                // does not say which instance it is: cannot tell, not covered nor missing.
                value.walk_strings(&mut Vec::new(), &mut |_, _, s| {
                    unknown |= crate::value::is_managed_identity_stand_in(s);
                    hit |= identities.contains(&s);
                });
            }
            if hit {
                found.push(*companion);
            } else if unknown && !resolved && cannot_tell.is_none() {
                cannot_tell = Some(companion.address());
            }
        }
        match (found.is_empty(), cannot_tell) {
            (false, _) => Matching::Found(found),
            (true, Some(address)) => Matching::CannotTell(address),
            (true, None) => Matching::Missing,
        }
    }
}

/// The companions pointing at one target.
#[derive(Debug, Clone)]
pub enum Matching<'m> {
    /// These companions point at the target.
    Found(Vec<&'m Resource>),
    /// None does, but this one's target is known only after apply.
    CannotTell(&'m str),
    Missing,
}

/// The values at a dotted path, through nested blocks (lists of objects).
fn values_at<'v>(value: ValueRef<'v>, path: &str) -> Vec<ValueRef<'v>> {
    let mut current = vec![value];
    for key in path.split('.') {
        let mut next = Vec::new();
        for v in current {
            let child = v.get(key);
            match child.kind() {
                crate::value::ValueKind::List(items)
                    if items.iter().all(|i| i.as_object().is_some()) && !items.is_empty() =>
                {
                    next.extend(items.iter())
                }
                _ => next.push(child),
            }
        }
        current = next;
    }
    current
}
