use crate::policy::Check;
use crate::{declare_policy, Context, Resource};

declare_policy! {
    /// ## What it checks
    /// A privileged resource without `lifecycle { prevent_destroy = true }`.
    ///
    /// Privileged means: a credential returned only at creation, an identity whose id
    /// changes when it is recreated, key material, a secret store, or data that cannot be
    /// recovered. The list is the one DEL001 uses, changed with `[privileged]` in `guard.toml`.
    ///
    /// This policy reads source only: a plan does not carry `lifecycle`. On a plan, DEL001 catches
    /// the deletion itself.
    ///
    /// ## Why it matters
    /// `prevent_destroy` makes Terraform refuse any plan that would delete or replace the
    /// resource, so the destructive change fails at plan time instead of reaching review as one
    /// line among many. For an identity or key that other systems trust by id, a replacement is
    /// an outage that cannot be rolled back.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_service_account" "api" {
    ///   account_id = "api"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "google_service_account" "api" {
    ///   account_id = "api"
    ///   lifecycle {
    ///     prevent_destroy = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy>
    pub static PRIVILEGED_RESOURCE_UNPROTECTED = {
        code: "DEL004",
        name: "privileged-resource-unprotected",
        severity: Medium,
        inputs: HclOnly,
        check: Check::Resources { types: &[], check },
    }
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    let Some(class) = ctx
        .settings
        .privileged
        .class_of(&resource.resource_type, &resource.address)
    else {
        return;
    };
    let prevent = resource.lifecycle.as_ref().and_then(|l| l.prevent_destroy);
    let state = match prevent {
        Some(true) => return,
        Some(false) => "sets `prevent_destroy = false`",
        None => "has no `lifecycle { prevent_destroy = true }`",
    };
    ctx.report(
        resource,
        format!(
            "privileged `{}` ({}) {state}",
            resource.resource_type,
            class.describe()
        ),
    );
}
