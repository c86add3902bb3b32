//! ACME's own guard policies: a company crate on top of `guard-policies`.
//!
//! Each policy is a `declare_policy!` static whose doc comment is its documentation (`guard
//! explain ACM001` prints it); [`policies`] lists them for `Registry::builtin().with(…)`.

use guard_policies::{declare_policy, Check, Context, Policy, Resource};
use serde::Deserialize;

/// Every ACME policy, for `Registry::builtin().with(acme_guard::policies())`.
pub fn policies() -> &'static [&'static Policy] {
    static ALL: [&Policy; 2] = [&REQUIRED_TAGS, &ALLOWED_REGIONS];
    &ALL
}

/// `[policies.ACM001]` in `guard.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredTags {
    /// The tags every taggable AWS resource carries.
    #[serde(default = "default_tags")]
    pub tags: Vec<String>,
}

fn default_tags() -> Vec<String> {
    vec!["CostCentre".to_string()]
}

declare_policy! {
    /// ## What it checks
    /// Every AWS resource that takes `tags` carries each tag of `[policies.ACM001] tags` in
    /// `guard.toml` (default: `CostCentre`). A value known only after apply is reported as
    /// unknown, never as a pass.
    ///
    /// ## Why it matters
    /// Finance allocates the cloud bill by `CostCentre`; an untagged resource lands on the
    /// platform team's budget and nobody notices it is running.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "logs" {
    ///   bucket = "acme-logs"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_s3_bucket" "logs" {
    ///   bucket = "acme-logs"
    ///   tags   = { CostCentre = "cc-1234" }
    /// }
    /// ```
    ///
    /// ## Configuration
    /// ```toml
    /// [policies.ACM001]
    /// tags = ["CostCentre", "Owner"]
    /// ```
    pub static REQUIRED_TAGS = {
        code: "ACM001",
        name: "required-tags",
        severity: Medium,
        inputs: Both,
        config: RequiredTags,
        check: Check::Resources {
            types: &["aws_s3_bucket", "aws_sqs_queue", "aws_instance", "aws_db_instance"],
            check: required_tags,
        },
    }
}

fn required_tags(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    let settings = match ctx.config::<RequiredTags>() {
        Ok(settings) => settings,
        Err(e) => {
            // Checked when guard.toml was read; fail closed all the same.
            ctx.report(resource, e);
            return;
        }
    };
    let tags = resource.values().get("tags");
    for tag in &settings.tags {
        let value = tags.get(tag);
        if tags.is_unknown() || value.is_unknown() {
            ctx.report_at(
                resource,
                value,
                format!("cannot confirm the `{tag}` tag: `tags` is known only after apply"),
            );
        } else if value.is_null() {
            ctx.report_at(resource, tags, format!("the `{tag}` tag is missing"));
        }
    }
}

declare_policy! {
    /// ## What it checks
    /// AWS providers and S3 buckets stay in ACME's approved regions (`ca-central-1`,
    /// `ca-west-1`): a provider's `region` and a bucket's `region`, when set.
    ///
    /// ## Why it matters
    /// ACME's customer contracts keep data in Canada.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "x" {
    ///   region = "us-east-1"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_s3_bucket" "x" {
    ///   region = "ca-central-1"
    /// }
    /// ```
    pub static ALLOWED_REGIONS = {
        code: "ACM002",
        name: "allowed-regions",
        severity: High,
        inputs: Both,
        check: Check::Resources {
            types: &["aws_s3_bucket"],
            check: allowed_regions,
        },
    }
}

const REGIONS: &[&str] = &["ca-central-1", "ca-west-1"];

fn allowed_regions(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    let region = resource.values().get("region");
    if region.is_unknown() {
        ctx.report_at(
            resource,
            region,
            "cannot confirm the region: `region` is known only after apply",
        );
    } else if let Some(name) = region.as_str() {
        if !REGIONS.contains(&name) {
            ctx.report_at(
                resource,
                region,
                format!("`region` is `{name}`, not one of ca-central-1, ca-west-1"),
            );
        }
    }
}
