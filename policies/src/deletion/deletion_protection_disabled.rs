use crate::policy::Check;
use crate::{
    declare_policy, display_safe, ActionClass, Context, Resource, Severity, Tri, ValueRef,
};

declare_policy! {
    /// ## What it checks
    /// Data stores (and load balancers) that can be deleted in one step: deletion protection
    /// off, or the data deleted along with them.
    ///
    ///
    /// - `aws_db_instance`, `aws_rds_cluster`, `aws_neptune_cluster` and `aws_docdb_cluster`
    ///   without `deletion_protection = true`, or with `skip_final_snapshot = true`;
    /// - `aws_dynamodb_table` without `deletion_protection_enabled = true`;
    /// - `aws_lb` / `aws_alb` without `enable_deletion_protection = true`: medium when
    ///   internet-facing (`internal` unset or false: clients and DNS records point at its name,
    ///   which changes when it is recreated), low when `internal = true`;
    /// - `google_sql_database_instance`, `google_container_cluster`, `google_bigquery_table`,
    ///   `google_spanner_database` and `google_bigtable_instance` with
    ///   `deletion_protection = false` (it defaults to true in hashicorp/google 7.45);
    /// - `google_firestore_database` with `deletion_policy = "DELETE"` (the default `ABANDON`
    ///   leaves the database in place on destroy) and no
    ///   `delete_protection_state = "DELETE_PROTECTION_ENABLED"`;
    /// - `azurerm_key_vault` without `purge_protection_enabled = true` (default false in
    ///   azurerm 3.117 and 5.2), with the 2.x `soft_delete_enabled = false`, or with
    ///   `soft_delete_retention_days` below 7;
    /// - `azurerm_storage_account` (not `FileStorage`) without
    ///   `blob_properties.delete_retention_policy` or
    ///   `blob_properties.container_delete_retention_policy` (blob and container soft delete are
    ///   off unless configured);
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
                "aws_neptune_cluster",
                "aws_docdb_cluster",
                "google_spanner_database",
                "google_bigtable_instance",
                "google_firestore_database",
                "azurerm_key_vault",
                "azurerm_storage_account",
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
        "aws_db_instance" | "aws_rds_cluster" | "aws_neptune_cluster" | "aws_docdb_cluster" => &[
            ("deletion_protection", Safe::WhenTrue),
            ("skip_final_snapshot", Safe::UnlessTrue),
        ],
        "aws_dynamodb_table" => &[("deletion_protection_enabled", Safe::WhenTrue)],
        "aws_lb" | "aws_alb" => &[("enable_deletion_protection", Safe::WhenTrue)],
        "google_sql_database_instance"
        | "google_container_cluster"
        | "google_bigquery_table"
        | "google_spanner_database"
        | "google_bigtable_instance" => &[("deletion_protection", Safe::UnlessFalse)],
        // `soft_delete_enabled` is the azurerm 2.x flag; 3.x and later always soft-delete.
        "azurerm_key_vault" => &[
            ("purge_protection_enabled", Safe::WhenTrue),
            ("soft_delete_enabled", Safe::UnlessFalse),
        ],
        "aws_s3_bucket" | "google_storage_bucket" => &[("force_destroy", Safe::UnlessTrue)],
        _ => &[],
    }
}

/// `Yes` when the flag leaves the resource deletable in one step.
fn unsafe_(value: ValueRef<'_>, safe: Safe) -> Tri {
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
    match resource.resource_type() {
        "google_firestore_database" => return firestore(ctx, resource),
        "azurerm_storage_account" => return storage_soft_delete(ctx, resource),
        "azurerm_key_vault" => soft_delete_retention(ctx, resource),
        _ => {}
    }
    // An internal load balancer is low; an internet-facing one (`internal` unset or false) keeps
    // the policy's medium: its DNS name is what clients and DNS records point at.
    let internal_lb = matches!(resource.resource_type(), "aws_lb" | "aws_alb")
        && resource.values().get("internal").is_true().is_yes();
    for &(attribute, safe) in flags(resource.resource_type()) {
        let value = resource.values().get(attribute);
        match unsafe_(value, safe) {
            Tri::No => {}
            // In a plan, an unset flag with a safe provider default shows as unknown.
            Tri::Unknown if resource.change().is_some() && matches!(safe, Safe::UnlessFalse) => {}
            Tri::Unknown => {
                ctx.report_at(
                    resource,
                    value,
                    format!("`{attribute}` is known only after apply, so deletion protection cannot be confirmed"),
                )
                .severity(Severity::Low);
            }
            Tri::Yes => {
                let turned_off = resource.change().is_some_and(|c| {
                    c.actions.class() == ActionClass::Update
                        && unsafe_(resource.before().get(attribute), safe).is_no()
                });
                let state = if value.is_null() {
                    "is not set".to_string()
                } else {
                    format!("is `{}`", display_safe(value))
                };
                // What to write instead.
                let fix = if matches!(safe, Safe::UnlessTrue) {
                    format!("set `{attribute} = false`")
                } else {
                    format!("set `{attribute} = true`")
                };
                let message = if turned_off {
                    format!(
                        "this change turns off deletion protection: `{attribute}` {state}; {fix}"
                    )
                } else if matches!(safe, Safe::UnlessTrue) {
                    format!(
                        "can be deleted with its data in one step: `{attribute}` {state}; {fix}"
                    )
                } else {
                    format!("deletion protection is off: `{attribute}` {state}; {fix}")
                };
                let finding = ctx.report_at(resource, value, message);
                if turned_off {
                    finding.severity(Severity::High);
                } else if internal_lb {
                    finding.severity(Severity::Low);
                }
            }
        }
    }
}

/// `azurerm_key_vault`: the retention of soft-deleted objects, 7 to 90 days (default 90).
fn soft_delete_retention(ctx: &mut Context<'_>, resource: &Resource) {
    let days = resource.values().get("soft_delete_retention_days");
    if days.as_f64().is_some_and(|d| d < 7.0) {
        ctx.report_at(
            resource,
            days,
            format!(
                "deleted secrets and keys are kept only `{}` days: `soft_delete_retention_days` is below 7",
                display_safe(days)
            ),
        );
    }
}

/// `google_firestore_database`: Terraform abandons the database on destroy unless
/// `deletion_policy = "DELETE"` (the provider default is `ABANDON`); then only
/// `delete_protection_state = "DELETE_PROTECTION_ENABLED"` stops the deletion.
fn firestore(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    if v.get("deletion_policy").as_str() != Some("DELETE") {
        return;
    }
    let state = v.get("delete_protection_state");
    match state.as_str() {
        Some("DELETE_PROTECTION_ENABLED") => {}
        _ if state.is_unknown() && resource.change().is_none() => {
            ctx.report_at(
                resource,
                state,
                "`delete_protection_state` is known only after apply, so deletion protection cannot be confirmed",
            )
            .severity(Severity::Low);
        }
        Some(_) => {
            ctx.report_at(
                resource,
                state,
                format!(
                    "deletion protection is off: `deletion_policy` is `DELETE` and `delete_protection_state` is `{}`",
                    display_safe(state)
                ),
            );
        }
        // Unset (unknown in a plan: computed): the API default is disabled.
        None => {
            ctx.report_at(
                resource,
                v.get("deletion_policy"),
                "deletion protection is off: `deletion_policy` is `DELETE` and `delete_protection_state` is not set",
            );
        }
    }
}

/// `azurerm_storage_account`: without blob and container soft delete, a deleted blob or
/// container is gone at once. Both are off unless `blob_properties` turns them on.
fn storage_soft_delete(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    // File shares only: blob soft delete does not apply.
    if v.get("account_kind").as_str() == Some("FileStorage") {
        return;
    }
    let properties = v.get("blob_properties");
    if properties.is_unknown() && resource.change().is_none() {
        ctx.report_at(
            resource,
            properties,
            "`blob_properties` is known only after apply, so blob soft delete cannot be confirmed",
        )
        .severity(Severity::Low);
        return;
    }
    let blocks = v.blocks("blob_properties");
    for (policy, what) in [
        ("delete_retention_policy", "blobs"),
        ("container_delete_retention_policy", "containers"),
    ] {
        let present = blocks.iter().any(|b| {
            b.blocks(policy)
                .iter()
                .any(|p| !p.get("days").as_f64().is_some_and(|d| d <= 0.0))
        });
        if !present {
            ctx.report(
                resource,
                format!("deleted {what} cannot be recovered: no `blob_properties.{policy}` (soft delete is off by default)"),
            );
        }
    }
}
