use crate::policy::Check;
use crate::{declare_policy, display_safe, ActionClass, Context, Resource, Severity, Tri, Value};

declare_policy! {
    /// ## What it checks
    /// Data stores (and load balancers) that can be deleted in one step: deletion protection
    /// off, or the data deleted along with them.
    ///
    ///
    /// - `aws_db_instance` and `aws_rds_cluster` without `deletion_protection = true`, or with
    ///   `skip_final_snapshot = true`;
    /// - `aws_dynamodb_table` without `deletion_protection_enabled = true`;
    /// - `aws_lb` / `aws_alb` without `enable_deletion_protection = true` (low: a load balancer
    ///   holds no data, but its DNS name changes when it is recreated);
    /// - `google_sql_database_instance`, `google_container_cluster` and `google_bigquery_table`
    ///   with `deletion_protection = false` (it defaults to true);
    /// - `aws_s3_bucket` and `google_storage_bucket` with `force_destroy = true`.
    ///
    /// The finding is medium when protection is off. In a plan, an update that turns protection
    /// off (safe before, unsafe after) is high: it is usually the first half of a deletion. A
    /// value known only after apply is reported at low severity and says so.
    ///
    /// ## Why it matters
    /// Without these flags, a renamed resource, a wrong `for_each` key or a `terraform destroy` in
    /// the wrong workspace deletes the data with no second chance. With them, the provider refuses
    /// the deletion until someone turns protection off in a separate, reviewable change.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine              = "postgres"
    ///   instance_class      = "db.t3.micro"
    ///   skip_final_snapshot = true
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine                    = "postgres"
    ///   instance_class            = "db.t3.micro"
    ///   deletion_protection       = true
    ///   final_snapshot_identifier = "main-final"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeleteInstance.DeletionProtection>
    /// - <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection>
    /// - <https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#deletion_protection-1>
    pub static DELETION_PROTECTION_DISABLED = {
        code: "DEL002",
        name: "deletion-protection-disabled",
        severity: Medium,
        inputs: Both,
        check: Check::Resources {
            types: &[
                "aws_db_instance",
                "aws_rds_cluster",
                "aws_dynamodb_table",
                "aws_lb",
                "aws_alb",
                "google_sql_database_instance",
                "google_container_cluster",
                "google_bigquery_table",
                "aws_s3_bucket",
                "google_storage_bucket",
            ],
            check,
        },
    }
}

/// How a flag keeps a resource safe.
#[derive(Clone, Copy)]
enum Safe {
    /// Safe only when set to true; unset means unprotected.
    WhenTrue,
    /// Safe unless set to false (the provider default is true).
    UnlessFalse,
    /// Safe unless set to true (`force_destroy`, `skip_final_snapshot`).
    UnlessTrue,
}

fn flags(resource_type: &str) -> &'static [(&'static str, Safe)] {
    match resource_type {
        "aws_db_instance" | "aws_rds_cluster" => &[
            ("deletion_protection", Safe::WhenTrue),
            ("skip_final_snapshot", Safe::UnlessTrue),
        ],
        "aws_dynamodb_table" => &[("deletion_protection_enabled", Safe::WhenTrue)],
        "aws_lb" | "aws_alb" => &[("enable_deletion_protection", Safe::WhenTrue)],
        "google_sql_database_instance" | "google_container_cluster" | "google_bigquery_table" => {
            &[("deletion_protection", Safe::UnlessFalse)]
        }
        "aws_s3_bucket" | "google_storage_bucket" => &[("force_destroy", Safe::UnlessTrue)],
        _ => &[],
    }
}

/// `Yes` when the flag leaves the resource deletable in one step.
fn unsafe_(value: &Value, safe: Safe) -> Tri {
    match (safe, value.is_true()) {
        (_, Tri::Unknown) => Tri::Unknown,
        (Safe::WhenTrue, Tri::Yes) => Tri::No,
        (Safe::WhenTrue, _) => Tri::Yes,
        (Safe::UnlessFalse, Tri::No) if !value.is_null() => Tri::Yes,
        (Safe::UnlessFalse, _) => Tri::No,
        (Safe::UnlessTrue, Tri::Yes) => Tri::Yes,
        (Safe::UnlessTrue, _) => Tri::No,
    }
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    let is_lb = matches!(resource.resource_type.as_str(), "aws_lb" | "aws_alb");
    for &(attribute, safe) in flags(&resource.resource_type) {
        let value = resource.values.get(attribute);
        match unsafe_(value, safe) {
            Tri::No => {}
            // In a plan, an unset flag with a safe provider default shows as unknown.
            Tri::Unknown if resource.change.is_some() && matches!(safe, Safe::UnlessFalse) => {}
            Tri::Unknown => {
                ctx.report_at(
                    resource,
                    value,
                    format!("`{attribute}` is known only after apply, so deletion protection cannot be confirmed"),
                )
                .severity(Severity::Low);
            }
            Tri::Yes => {
                let turned_off = resource.change.as_ref().is_some_and(|c| {
                    c.actions.class() == ActionClass::Update
                        && unsafe_(resource.before().get(attribute), safe).is_no()
                });
                let state = if value.is_null() {
                    "is not set".to_string()
                } else {
                    format!("is `{}`", display_safe(value))
                };
                let message = if turned_off {
                    format!("this change turns off deletion protection: `{attribute}` {state}")
                } else if matches!(safe, Safe::UnlessTrue) {
                    format!("can be deleted with its data in one step: `{attribute}` {state}")
                } else {
                    format!("deletion protection is off: `{attribute}` {state}")
                };
                let finding = ctx.report_at(resource, value, message);
                if turned_off {
                    finding.severity(Severity::High);
                } else if is_lb {
                    finding.severity(Severity::Low);
                }
            }
        }
    }
}
