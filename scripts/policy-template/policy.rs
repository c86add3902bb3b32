use crate::policy::Check;
use crate::{declare_policy, Context, Resource, Tri};

declare_policy! {
    /// ## What it checks
    /// TODO: the resources and attributes this policy reads, what it reports, and what it
    /// deliberately does not (known-after-apply values, defaults of the provider).
    ///
    /// ## Why it matters
    /// TODO: what goes wrong in production when this is missed (an incident, a breach report).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_example" "x" {
    ///   enabled = false
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_example" "x" {
    ///   enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://registry.terraform.io/providers/hashicorp/aws/latest/docs>
    pub static NEW_POLICY_TEMPLATE = {
        code: "XXX999",
        name: "new-policy-template",
        severity: Medium,
        inputs: Both,
        check: Check::Resources {
            types: &["aws_example"],
            check,
        },
    }
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    let enabled = resource.values().get("enabled");
    if enabled.is_true() == Tri::No {
        ctx.report_at(
            resource,
            enabled,
            "example is not enabled: `enabled` is not `true`",
        );
    }
}
