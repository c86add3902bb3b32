use crate::declare_policy;
use crate::policy::Check;

declare_policy! {
    /// ## What it checks
    /// A `# guard:ignore ... until=YYYY-MM-DD` comment whose date has passed (or a
    /// `[[suppress]]` entry in `guard.toml` with a past `until`).
    ///
    /// ## Why it matters
    /// A dated suppression is a promise to fix something by a deadline. Once the date has
    /// passed the suppression stops suppressing, so the findings it covered are reported again,
    /// and this finding says why they came back.
    ///
    /// ## Example
    /// ```hcl
    /// # guard:ignore NET001 until=2020-01-31 -- temporary vendor access
    /// resource "aws_security_group" "vendor" {
    ///   # ...
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Fix the finding and delete the comment, or, if the risk is still accepted, move the date
    /// and say why in the reason.
    ///
    /// ## References
    /// - `docs/suppressions.md` in the guard repository
    pub static EXPIRED_SUPPRESSION = {
        code: "GRD003",
        name: "expired-suppression",
        severity: Medium,
        inputs: HclOnly,
        check: Check::Model(|_| {}),
    }
}
