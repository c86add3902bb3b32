use crate::policy::Check;
use crate::{declare_policy, Context, Model, Resource, Severity, ValueRef};

declare_policy! {
    /// ## What it checks
    /// EC2 instances and launch templates that still answer IMDSv1, the instance metadata
    /// service without session tokens.
    ///
    /// Covered: `aws_instance`, `aws_spot_instance_request`, `aws_launch_template` and
    /// `aws_launch_configuration` whose `metadata_options.http_tokens` is not `"required"`,
    /// including when the block or the attribute is absent: hashicorp/terraform-provider-aws v5
    /// leaves the choice to the AMI and the account, and both allow IMDSv1 unless told otherwise.
    /// An instance with `http_endpoint = "disabled"` has no metadata service and passes. When the
    /// input holds an `aws_ec2_instance_metadata_defaults` with `http_tokens = "required"` (the
    /// account-level default for the region), instances that do not set `http_tokens`
    /// themselves pass; one that sets `"optional"` is still reported.
    ///
    /// Medium by default: a hygiene control, not a direct exposure. A value known only after
    /// apply is reported at low severity and says so.
    ///
    /// ## Why it matters
    /// With IMDSv1, any server-side request forgery in an application running on the instance
    /// (a URL fetcher, an XML parser, a proxy) can read the instance role's credentials from
    /// `http://169.254.169.254`. That is how the 2019 Capital One breach happened. IMDSv2's
    /// session token makes those requests fail.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "web" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_instance" "web" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   metadata_options {
    ///     http_tokens = "required"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html>
    /// - <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html#set-imdsv2-account-defaults>
    /// - <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_instance_metadata_defaults>
    pub static INSTANCE_METADATA_V1 = {
        code: "CMP001",
        name: "instance-metadata-v1",
        severity: Medium,
        inputs: Both,
        check: Check::Model(check),
    }
}

const TYPES: &[&str] = &[
    "aws_instance",
    "aws_spot_instance_request",
    "aws_launch_template",
    "aws_launch_configuration",
];

const ACCOUNT_DEFAULTS: &str = "aws_ec2_instance_metadata_defaults";

/// Whether the input sets the account-level default to IMDSv2 only.
fn account_requires_tokens(model: &Model) -> bool {
    model
        .resources_of_type(ACCOUNT_DEFAULTS)
        .any(|r| r.will_exist() && r.values().get("http_tokens").as_str() == Some("required"))
}

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let account_default = account_requires_tokens(model);
    for resource in model.resources().iter().filter(|r| r.will_exist()) {
        if TYPES.contains(&resource.resource_type()) {
            check_resource(ctx, resource, account_default);
        }
    }
}

fn unknown(ctx: &mut Context<'_>, resource: &Resource, at: ValueRef<'_>, attribute: &str) {
    ctx.report_at(
        resource,
        at,
        format!("`{attribute}` is known only after apply, so guard cannot tell whether imdsv1 is allowed"),
    )
    .severity(Severity::Low);
}

fn check_resource(ctx: &mut Context<'_>, resource: &Resource, account_default: bool) {
    let options = resource.values().get("metadata_options");
    if options.is_unknown() {
        if !account_default {
            unknown(ctx, resource, options, "metadata_options");
        }
        return;
    }
    let block = resource.values().blocks("metadata_options").next();
    let endpoint = block.map(|b| b.get("http_endpoint"));
    if endpoint.and_then(ValueRef::as_str) == Some("disabled") {
        return;
    }
    let tokens = block.map(|b| b.get("http_tokens"));
    match tokens {
        Some(t) if t.as_str() == Some("required") => {}
        Some(t) if t.is_unknown() => {
            if !account_default {
                unknown(ctx, resource, t, "http_tokens");
            }
        }
        Some(t) if !t.is_null() => {
            ctx.report_at(
                resource,
                t,
                // Not echoed: `http_tokens` is secret-named, so its value is scrubbed anyway.
                "instance metadata answers imdsv1: `metadata_options.http_tokens` is set, but not to `required`",
            );
        }
        _ if account_default => {}
        _ => {
            ctx.report(
                resource,
                format!("instance metadata may answer imdsv1: `metadata_options.http_tokens` is not set to `required` and no `{ACCOUNT_DEFAULTS}` requires it"),
            );
        }
    }
}
