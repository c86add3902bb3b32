use crate::declare_policy;
use crate::policy::Check;

declare_policy! {
    /// ## What it checks
    /// A `# guard:ignore` comment (or one code in it) that suppressed no finding in this run.
    ///
    /// ## Why it matters
    /// Suppressions outlive the code they were written for. A stale one hides the next real
    /// finding at that place without anyone deciding to accept it, and it tells readers a risk
    /// exists where there is none. This is ruff's unused-noqa (`RUF100`) for Terraform.
    ///
    /// A code is only reported as unused when its policy ran: with `--select` or `ignore` in
    /// `guard.toml`, suppressions for policies that did not run are left alone.
    ///
    /// ## Example
    /// ```hcl
    /// # guard:ignore NET001 -- public web tier
    /// resource "aws_security_group" "internal" {
    ///   ingress {
    ///     cidr_blocks = ["10.0.0.0/8"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Delete the comment, or the unused code from its list. To stop reporting unused
    /// suppressions at all, add `ignore = ["GRD001"]` to `guard.toml`.
    ///
    /// ## References
    /// - <https://docs.astral.sh/ruff/rules/unused-noqa/>
    pub static UNUSED_SUPPRESSION = {
        code: "GRD001",
        name: "unused-suppression",
        severity: Low,
        inputs: HclOnly,
        check: Check::Model(|_| {}),
    }
}
