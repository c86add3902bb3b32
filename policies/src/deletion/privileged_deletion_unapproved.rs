use crate::policy::Check;
use crate::{declare_policy, Context, Resource};

declare_policy! {
    /// ## What it checks
    /// A plan that deletes, replaces or forgets a privileged resource without two approvals.
    ///
    /// Privileged means a credential that is returned only at creation, an identity whose id
    /// changes when it is recreated, an authoritative access policy, key material, a secret
    /// store, or data that cannot be recovered; the list and the rule that decides it are in
    /// `policies/PRIVILEGED.md`. Drift that shows such a resource already deleted outside Terraform counts too:
    /// the next apply would mint a new identity.
    ///
    /// Locally the finding always stands. With `--github`, it is approved when enough distinct
    /// reviewers (2 by default, never the author or a co-author, humans with write access) approved
    /// the exact head commit that was planned.
    ///
    /// ## Why it matters
    /// An engineer deleted a test service account and, in the same step, the production service
    /// account every API authenticated with. Its token could not be recreated and every API user
    /// was down. A second and third pair of eyes on exactly this change would have caught it.
    ///
    /// ## Example
    /// ```text
    /// # google_service_account.api must be replaced
    /// -/+ resource "google_service_account" "api" {
    ///       ~ account_id = "api" -> "api-v2" # forces replacement
    /// ```
    ///
    /// ## Use instead
    /// Keep the resource (`moved` for renames, `removed { lifecycle { destroy = false } }` to stop
    /// managing it), protect it with `lifecycle { prevent_destroy = true }`, or get two approvals
    /// on the pull request's head commit. The default privileged list can be changed with
    /// `[privileged]` in `guard.toml`.
    ///
    /// ## References
    /// - <https://cloud.google.com/iam/docs/service-accounts-delete-undelete>
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids>
    pub static PRIVILEGED_DELETION_UNAPPROVED = {
        code: "DEL001",
        name: "privileged-deletion-unapproved",
        severity: Critical,
        inputs: PlanOnly,
        check: Check::Model(check),
    }
}

fn check(ctx: &mut Context<'_>) {
    let required = ctx.settings.required_approvals;
    for resource in ctx.model.resources() {
        if let Some(message) = describe(ctx, resource, "") {
            ctx.report(resource, format!("{message}: needs {required} approvals"));
        }
    }
    for resource in ctx.model.drift() {
        if let Some(message) = describe(ctx, resource, " outside terraform") {
            ctx.report(
                resource,
                format!("{message}, the next apply creates a new one: needs {required} approvals"),
            );
        }
    }
}

/// What happens to a privileged resource, or `None` when nothing destructive does.
fn describe(ctx: &Context<'_>, resource: &Resource, where_: &str) -> Option<String> {
    let change = resource.change()?;
    let class = ctx
        .settings
        .privileged
        .class_of(resource.resource_type(), resource.address())?;
    let actions = &change.actions;
    let verb = if actions.is_replace() {
        "replaced"
    } else if actions.is_delete() {
        "deleted"
    } else if actions.is_forget() && actions.contains(crate::model::Action::Create) {
        "replaced and the old object forgotten"
    } else if actions.is_forget() {
        "forgotten"
    } else {
        return None;
    };
    let reason = change
        .action_reason()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    Some(format!(
        "privileged `{}` ({}) is {verb}{where_}{reason}",
        resource.resource_type(),
        class.describe()
    ))
}
