use crate::policy::Check;
use crate::{declare_policy, Context, Severity, ValueRef};
use std::collections::BTreeSet;

declare_policy! {
    /// ## What it checks
    /// Resources changed or deleted outside Terraform since the last apply.
    ///
    /// Each `resource_drift` entry of a plan is reported. It is more severe when the drift
    /// deletes the resource or touches security or certificate attributes (rules, policies,
    /// CIDRs, certificates, TLS settings, encryption keys).
    ///
    /// ## Why it matters
    /// A TLS certificate was changed by hand, and the next deploy silently put the wrong one back.
    /// Drift means the code no longer describes production; the next apply reverts the manual
    /// change, which may have been an emergency fix or an attack.
    ///
    /// ## Example
    /// ```text
    /// # aws_lb_listener.https has changed
    /// ~ certificate_arn = "arn:aws:acm:...:certificate/old" -> "arn:aws:acm:...:certificate/manual"
    /// ```
    ///
    /// ## Use instead
    /// Bring the manual change into code (or revert it on purpose), then plan again. Use
    /// `terraform plan -refresh-only` to review drift on its own.
    ///
    /// ## References
    /// - <https://developer.hashicorp.com/terraform/tutorials/state/resource-drift>
    pub static DRIFT_DETECTED = {
        code: "DRF001",
        name: "drift-detected",
        severity: Medium,
        inputs: PlanOnly,
        check: Check::Model(check),
    }
}

/// Attribute name fragments that make drift a security matter.
const SECURITY_WORDS: &[&str] = &[
    "ingress",
    "egress",
    "cidr",
    "policy",
    "certificate",
    "cert",
    "ssl",
    "tls",
    "security",
    "kms",
    "encrypt",
    "password",
    "role",
    "permission",
    "public",
    "acl",
    "principal",
    "protocol",
    "port",
    "key",
];

fn check(ctx: &mut Context<'_>) {
    for resource in ctx.model.drift() {
        let Some(change) = resource.change() else {
            continue;
        };
        if change.actions.is_delete() && resource.after().is_null() {
            ctx.report(
                resource,
                format!("`{}` was deleted outside terraform", resource.address()),
            )
            .severity(Severity::High);
            continue;
        }
        let changed = changed_attributes(resource.before(), resource.after());
        let security: Vec<&String> = changed
            .iter()
            .filter(|name| {
                let lower = name.to_ascii_lowercase();
                SECURITY_WORDS.iter().any(|w| lower.contains(w))
            })
            .collect();
        let listed = if changed.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = changed.iter().take(8).map(|n| format!("`{n}`")).collect();
            let more = changed.len().saturating_sub(8);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!(": {}{more} changed", names.join(", "))
        };
        let finding = ctx.report(
            resource,
            format!(
                "`{}` was changed outside terraform{listed}",
                resource.address()
            ),
        );
        if !security.is_empty() {
            finding.severity(Severity::High);
        }
    }
}

/// Top-level attribute names whose values differ between `before` and `after`.
pub(crate) fn changed_attributes(before: ValueRef<'_>, after: ValueRef<'_>) -> Vec<String> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    let keys: BTreeSet<&str> = b.keys().chain(a.keys()).collect();
    keys.into_iter()
        .filter(|k| {
            let bv = b.get(k);
            let av = a.get(k);
            match (bv, av) {
                (Some(x), Some(y)) => {
                    !x.same_content(y) || x.is_marked_sensitive() != y.is_marked_sensitive()
                }
                (None, Some(v)) | (Some(v), None) => !v.is_null(),
                (None, None) => false,
            }
        })
        .map(str::to_string)
        .collect()
}
