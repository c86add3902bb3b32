use crate::policy::Check;
use crate::{declare_policy, Context, Mode};

declare_policy! {
    /// ## What it checks
    /// A plan that deletes more resources than a threshold.
    ///
    /// Deletions and replacements of managed resources count. The threshold is 10 by default
    /// (`mass-deletion-threshold` under `[policies]` in `guard.toml`).
    ///
    /// ## Why it matters
    /// Many deletions at once are rarely intended: a renamed module without `moved` blocks, a
    /// `for_each` over the wrong map, a workspace pointed at the wrong state. The summary line
    /// `Plan: 0 to add, 0 to change, 42 to destroy.` is easy to miss in a long log.
    ///
    /// ## Example
    /// ```text
    /// Plan: 0 to add, 0 to change, 14 to destroy.
    /// ```
    ///
    /// ## Use instead
    /// Add `moved` blocks for renames, split the change, or confirm the deletion on purpose and
    /// suppress the finding for this plan in `guard.toml`.
    ///
    /// ## References
    /// - <https://developer.hashicorp.com/terraform/language/modules/develop/refactoring>
    pub static MASS_DELETION = {
        code: "DEL003",
        name: "mass-deletion",
        severity: High,
        inputs: PlanOnly,
        check: Check::Model(check),
    }
}

fn check(ctx: &mut Context<'_>) {
    let deleted: Vec<&str> = ctx
        .model
        .resources()
        .iter()
        .filter(|r| r.mode() == Mode::Managed && r.is_deleted())
        .map(|r| r.address())
        .collect();
    let threshold = ctx.settings.mass_deletion_threshold;
    if deleted.len() <= threshold {
        return;
    }
    let message = format!(
        "plan deletes {} resources, more than the threshold of {threshold}",
        deleted.len()
    );
    let finding = ctx.report_global(None, message);
    finding.instances = deleted.iter().map(|a| a.to_string()).collect();
}
