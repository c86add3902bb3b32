//! A plan summarised for people, with Terraform's own arithmetic.
//!
//! `add`, `change` and `destroy` match the `Plan:` line `terraform plan` prints: only managed
//! resources count, a replace counts in both add and destroy, `["create","forget"]` adds and
//! forgets. `replace`, `import`, `move`, `forget`, `read` and `drift` are counted separately.

use guard_policies::model::{ActionClass, Mode, Model};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanCounts {
    pub add: usize,
    pub change: usize,
    pub destroy: usize,
    pub replace: usize,
    pub import: usize,
    #[serde(rename = "move")]
    pub moved: usize,
    pub forget: usize,
    pub read: usize,
    pub drift: usize,
}

/// One destructive change (delete, replace, forget) with why Terraform plans it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DestructiveChange {
    pub address: String,
    pub resource_type: String,
    pub actions: Vec<&'static str>,
    pub action_reason: Option<String>,
    pub replace_paths: Vec<String>,
    pub privileged: bool,
}

/// A resource change for per-action lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeLine {
    pub address: String,
    pub action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_address: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub importing: bool,
    /// For an update or replace: the top-level attributes that change, as
    /// `(name, before, after)` rendered safely (sensitive values as `(sensitive)`), at most
    /// [`MAX_ATTRIBUTE_CHANGES`].
    #[serde(skip)]
    pub attributes: Vec<(String, String, String)>,
}

/// Attribute changes kept per resource change.
pub const MAX_ATTRIBUTE_CHANGES: usize = 8;

/// Structural equality of two values (unknown equals nothing: it may change).
fn same(a: guard_policies::ValueRef<'_>, b: guard_policies::ValueRef<'_>) -> bool {
    use guard_policies::ValueKind as K;
    match (a.kind(), b.kind()) {
        (K::Null, K::Null) => true,
        (K::Bool(x), K::Bool(y)) => x == y,
        (K::Number(x), K::Number(y)) => x == y,
        (K::String(x), K::String(y)) => x == y,
        (K::List(x), K::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same(p, q))
        }
        (K::Object(x), K::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => false,
    }
}

/// The top-level attributes that differ between the two sides, shown safely: a sensitive value
/// that changes is listed as `(sensitive)` → `(sensitive)`, as Terraform lists it.
fn attribute_changes(
    before: guard_policies::ValueRef<'_>,
    after: guard_policies::ValueRef<'_>,
) -> Vec<(String, String, String)> {
    use guard_policies::value::display_safe;
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    let mut keys: Vec<&str> = b.keys().chain(a.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (old, new) = (b.get(k), a.get(k));
            let changed = match (old, new) {
                (Some(x), Some(y)) => !same(x, y),
                (None, None) => false,
                (Some(v), None) | (None, Some(v)) => !v.is_null(),
            };
            let show = |v: Option<guard_policies::ValueRef<'_>>| {
                v.map_or_else(|| "null".to_string(), display_safe)
            };
            changed.then(|| (k.to_string(), show(old), show(new)))
        })
        .take(MAX_ATTRIBUTE_CHANGES)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    pub file: String,
    pub format_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terraform_version: Option<String>,
    pub counts: PlanCounts,
    /// Terraform's own line, e.g. `Plan: 1 to add, 0 to change, 2 to destroy.`
    pub plan_line: String,
    pub destructive: Vec<DestructiveChange>,
    pub errored: bool,
    pub complete: bool,
    /// Why this plan cannot be called safe, when it cannot.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsafe_reasons: Vec<String>,
    pub failed_checks: Vec<String>,
    #[serde(skip)]
    pub changes: Vec<ChangeLine>,
}

/// Label of an action class as shown in lists.
pub fn class_label(class: ActionClass) -> &'static str {
    match class {
        ActionClass::NoOp => "no-op",
        ActionClass::Create => "create",
        ActionClass::Read => "read",
        ActionClass::Update => "update",
        ActionClass::Delete => "delete",
        ActionClass::Replace => "replace",
        ActionClass::Forget => "forget",
        ActionClass::CreateForget => "replace (forget old)",
        ActionClass::Other => "unknown action",
    }
}

pub fn summarize(model: &Model, privileged: &guard_policies::Privileged) -> PlanSummary {
    let mut counts = PlanCounts::default();
    let mut destructive = Vec::new();
    let mut changes = Vec::new();
    for resource in model.resources() {
        let Some(change) = resource.change() else {
            continue;
        };
        let class = change.actions.class();
        if change.importing().is_some() {
            counts.import += 1;
        }
        if change.previous_address().is_some() {
            counts.moved += 1;
        }
        if resource.mode() == Mode::Data {
            if class == ActionClass::Read {
                counts.read += 1;
            }
        } else {
            match class {
                ActionClass::Create => counts.add += 1,
                ActionClass::Update => counts.change += 1,
                ActionClass::Delete => counts.destroy += 1,
                ActionClass::Replace => {
                    counts.add += 1;
                    counts.destroy += 1;
                    counts.replace += 1;
                }
                ActionClass::Forget => counts.forget += 1,
                ActionClass::CreateForget => {
                    counts.add += 1;
                    counts.forget += 1;
                    counts.replace += 1;
                }
                ActionClass::Read => counts.read += 1,
                ActionClass::NoOp | ActionClass::Other => {}
            }
        }
        if class != ActionClass::NoOp
            || change.previous_address().is_some()
            || change.importing().is_some()
        {
            let attributes = if matches!(class, ActionClass::Update | ActionClass::Replace) {
                attribute_changes(resource.before(), resource.after())
            } else {
                Vec::new()
            };
            changes.push(ChangeLine {
                address: resource.address().to_string(),
                action: class_label(class),
                previous_address: change.previous_address().map(str::to_string),
                importing: change.importing().is_some(),
                attributes,
            });
        }
        if change.actions.is_destructive() {
            destructive.push(DestructiveChange {
                address: resource.address().to_string(),
                resource_type: resource.resource_type().to_string(),
                actions: change.actions.0.iter().map(|a| a.as_str()).collect(),
                action_reason: change.action_reason().map(str::to_string),
                replace_paths: change.replace_paths().iter().map(|p| p.join(".")).collect(),
                privileged: privileged.is_privileged(resource.resource_type(), resource.address()),
            });
        }
    }
    counts.drift = model.drift().len();

    let facts = model.plan().cloned().unwrap_or_default();
    let mut unsafe_reasons = Vec::new();
    if facts.errored {
        unsafe_reasons.push(
            "the plan errored (`errored: true`): it is incomplete and cannot be called safe"
                .to_string(),
        );
    }
    if !facts.complete {
        unsafe_reasons.push("the plan is not complete (`complete: false`, e.g. `-target` or deferred changes): it does not show every change".to_string());
    }
    let failed_checks: Vec<String> = facts
        .failed_checks
        .iter()
        .map(|c| {
            if c.problems.is_empty() {
                format!("{} ({})", c.address, c.status)
            } else {
                format!("{} ({}): {}", c.address, c.status, c.problems.join("; "))
            }
        })
        .collect();

    PlanSummary {
        file: model.name().to_string(),
        format_version: facts.format_version.clone(),
        terraform_version: facts.terraform_version.clone(),
        plan_line: plan_line(&counts),
        counts,
        destructive,
        errored: facts.errored,
        complete: facts.complete,
        unsafe_reasons,
        failed_checks,
        changes,
    }
}

/// The line `terraform plan` prints.
pub fn plan_line(c: &PlanCounts) -> String {
    if c.add == 0 && c.change == 0 && c.destroy == 0 && c.import == 0 && c.forget == 0 {
        return "No changes. Your infrastructure matches the configuration.".to_string();
    }
    let mut line = String::from("Plan: ");
    if c.import > 0 {
        line.push_str(&format!("{} to import, ", c.import));
    }
    line.push_str(&format!(
        "{} to add, {} to change, {} to destroy",
        c.add, c.change, c.destroy
    ));
    if c.forget > 0 {
        line.push_str(&format!(", {} to forget", c.forget));
    }
    line.push('.');
    line
}
