use crate::declare_policy;
use crate::policy::Check;

declare_policy! {
    /// ## What it checks
    /// A `# guard:ignore` comment that guard cannot use: no reason after `--`, an unknown policy
    /// code or name, no code at all, a malformed `until=` date, or text it cannot read.
    ///
    /// ## Why it matters
    /// Every accepted risk needs a reason a reviewer can judge later, so a suppression without
    /// one **suppresses nothing**: the finding it meant to hide is still reported. A typo in a
    /// code would otherwise silently suppress nothing while looking like it does.
    ///
    /// ## Example
    /// ```hcl
    /// # guard:ignore NET001
    /// resource "aws_security_group" "web" {
    ///   # ...
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// # guard:ignore NET001 until=2027-01-31 -- public load balancer, ticket OPS-123
    /// resource "aws_security_group" "web" {
    ///   # ...
    /// }
    /// ```
    ///
    /// ## References
    /// - `docs/suppressions.md` in the guard repository
    pub static INVALID_SUPPRESSION = {
        code: "GRD002",
        name: "invalid-suppression",
        severity: Medium,
        inputs: HclOnly,
        check: Check::Model(|_| {}),
    }
}
