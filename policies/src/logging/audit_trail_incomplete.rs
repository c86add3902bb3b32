use crate::policy::Check;
use crate::{declare_policy, display_safe, Context, Resource, Severity, Tri, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Audit trails that leave out regions, members or categories, or that can be altered
    /// without trace.
    ///
    /// - `aws_cloudtrail` that is not multi-region (`is_multi_region_trail` defaults to false),
    ///   has no log file validation (`enable_log_file_validation` defaults to false), or has
    ///   `enable_logging = false`;
    /// - `google_project_iam_audit_config`, `google_folder_iam_audit_config` and
    ///   `google_organization_iam_audit_config` whose `audit_log_config` exempts members
    ///   (`exempted_members`) from the audit logs;
    /// - Azure activity-log diagnostic settings (`azurerm_monitor_diagnostic_setting` whose
    ///   `target_resource_id` is a subscription) with a `log` category written as
    ///   `enabled = false`.
    ///
    /// Each gap is its own finding, located at the attribute to change. A value known only
    /// after apply is reported at low severity and says so. Defaults checked against
    /// hashicorp/aws 5.x, hashicorp/google 6.x and hashicorp/azurerm 3.x/4.x.
    ///
    /// ## Why it matters
    /// The audit trail is how an incident is reconstructed and how a change is attributed to a
    /// person. A single-region trail misses everything an attacker does in a region nobody
    /// uses; without log file validation, whoever can write to the log bucket can rewrite
    /// history unnoticed; an exempted member is exactly the identity whose actions will later
    /// be in question.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name           = "main"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name                       = "main"
    ///   s3_bucket_name             = aws_s3_bucket.trail.id
    ///   is_multi_region_trail      = true
    ///   enable_log_file_validation = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html>
    /// - <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html>
    /// - <https://cloud.google.com/logging/docs/audit/configure-data-access#exempt-principals>
    /// - <https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log>
    pub static AUDIT_TRAIL_INCOMPLETE = {
        code: "LOG001",
        name: "audit-trail-incomplete",
        severity: Medium,
        inputs: Both,
        check: Check::Resources {
            types: &[
                "aws_cloudtrail",
                "google_project_iam_audit_config",
                "google_folder_iam_audit_config",
                "google_organization_iam_audit_config",
                "azurerm_monitor_diagnostic_setting",
            ],
            check,
        },
    }
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    match resource.resource_type() {
        "aws_cloudtrail" => cloudtrail(ctx, resource),
        "azurerm_monitor_diagnostic_setting" => activity_log(ctx, resource),
        _ => audit_config(ctx, resource),
    }
}

fn cloudtrail(ctx: &mut Context<'_>, resource: &Resource) {
    // (attribute, provider default, what is lost when it is off)
    const FLAGS: [(&str, bool, &str); 3] = [
        (
            "is_multi_region_trail",
            false,
            "the trail records one region only",
        ),
        (
            "enable_log_file_validation",
            false,
            "log files can be altered or deleted without detection",
        ),
        ("enable_logging", true, "the trail records nothing"),
    ];
    for (attribute, default, lost) in FLAGS {
        let value = resource.values().get(attribute);
        let on = if value.is_null() {
            match default {
                true => Tri::Yes,
                false => Tri::No,
            }
        } else {
            value.is_true()
        };
        match on {
            Tri::Yes => {}
            Tri::Unknown => {
                ctx.report_at(
                    resource,
                    value,
                    format!("`{attribute}` is known only after apply, so this part of the audit trail cannot be confirmed"),
                )
                .severity(Severity::Low);
            }
            Tri::No => {
                ctx.report_at(
                    resource,
                    value,
                    format!("{lost}: `{attribute}` {}", state(value)),
                );
            }
        }
    }
}

fn state(value: ValueRef<'_>) -> String {
    if value.is_null() {
        "is not set".to_string()
    } else {
        format!("is `{}`", display_safe(value))
    }
}

fn audit_config(ctx: &mut Context<'_>, resource: &Resource) {
    for config in resource.values().blocks("audit_log_config") {
        let exempted = config.get("exempted_members");
        if exempted.is_unknown() {
            if resource.change().is_none() {
                ctx.report_at(
                    resource,
                    exempted,
                    "`exempted_members` is known only after apply, so who is left out of the audit logs cannot be told",
                )
                .severity(Severity::Low);
            }
            continue;
        }
        let members = exempted.as_list().len();
        if members > 0 {
            let log_type = config
                .get("log_type")
                .as_str()
                .map(|t| format!(" `{t}`"))
                .unwrap_or_default();
            let who = if members == 1 {
                "member is"
            } else {
                "members are"
            };
            ctx.report_at(
                resource,
                exempted,
                format!(
                    "{members} {who} exempted from the{log_type} audit logs (`exempted_members`)"
                ),
            );
        }
    }
}

/// A diagnostic setting on a subscription is the export of its activity log.
fn activity_log(ctx: &mut Context<'_>, resource: &Resource) {
    let target = resource.values().get("target_resource_id");
    let Some(target) = target.as_str() else {
        return;
    };
    let parts: Vec<&str> = target.trim_matches('/').split('/').collect();
    if !(parts.len() == 2 && parts[0].eq_ignore_ascii_case("subscriptions")) {
        return;
    }
    for log in resource.values().blocks("log") {
        let enabled = log.get("enabled");
        if enabled.as_bool() == Some(false) {
            let category = log
                .get("category")
                .as_str()
                .or_else(|| log.get("category_group").as_str())
                .map(|c| format!(" `{c}`"))
                .unwrap_or_default();
            ctx.report_at(
                resource,
                enabled,
                format!(
                    "the activity log category{category} is not exported: `enabled` is `false`"
                ),
            );
        }
    }
}
