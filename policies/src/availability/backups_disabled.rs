use crate::policy::Check;
use crate::{declare_policy, display_safe, Context, Resource, Severity, Tri, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Data stores that keep no backups, or too few days of them.
    ///
    /// - `aws_db_instance` and `aws_rds_cluster` with `backup_retention_period = 0` (unset
    ///   means the AWS default of 1 day, which passes); read replicas are skipped;
    /// - `aws_dynamodb_table` without `point_in_time_recovery { enabled = true }` (off by
    ///   default);
    /// - `aws_elasticache_replication_group` and Redis/Valkey `aws_elasticache_cluster` with
    ///   `snapshot_retention_limit` 0 or unset (the default is 0), at low severity: a cache is
    ///   usually rebuilt from its source of truth;
    /// - `google_sql_database_instance` without `settings.backup_configuration.enabled = true`
    ///   (off by default); read replicas are skipped;
    /// - Azure `azurerm_mssql_database` with `short_term_retention_policy.retention_days`, and
    ///   `azurerm_postgresql_flexible_server`, `azurerm_mysql_flexible_server`,
    ///   `azurerm_postgresql_server` and `azurerm_mysql_server` with `backup_retention_days`,
    ///   under 7 days.
    ///
    /// A value known only after apply is reported at low severity in source, and accepted in
    /// a plan. Defaults checked against hashicorp/aws 5.x, hashicorp/google 6.x and
    /// hashicorp/azurerm 4.x.
    ///
    /// ## Why it matters
    /// Backups are what undo a bad migration, a `DELETE` without a `WHERE`, ransomware or a
    /// deleted table. Point-in-time recovery is the difference between losing a few minutes
    /// and losing everything since the last manual export, and it cannot be turned on after
    /// the data is gone.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name     = "orders"
    ///   hash_key = "id"
    ///   attribute {
    ///     name = "id"
    ///     type = "S"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name     = "orders"
    ///   hash_key = "id"
    ///   attribute {
    ///     name = "id"
    ///     type = "S"
    ///   }
    ///   point_in_time_recovery {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html>
    /// - <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html>
    /// - <https://cloud.google.com/sql/docs/postgres/backup-recovery/backups>
    /// - <https://learn.microsoft.com/azure/azure-sql/database/automated-backups-overview>
    pub static BACKUPS_DISABLED = {
        code: "AVL002",
        name: "backups-disabled",
        severity: Medium,
        inputs: Both,
        check: Check::Resources {
            types: &[
                "aws_db_instance",
                "aws_rds_cluster",
                "aws_dynamodb_table",
                "aws_elasticache_replication_group",
                "aws_elasticache_cluster",
                "google_sql_database_instance",
                "azurerm_mssql_database",
                "azurerm_postgresql_flexible_server",
                "azurerm_mysql_flexible_server",
                "azurerm_postgresql_server",
                "azurerm_mysql_server",
            ],
            check,
        },
    }
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    let v = resource.values();
    match resource.resource_type() {
        "aws_db_instance" | "aws_rds_cluster" => {
            let replica = v.get("replicate_source_db");
            if replica.is_unknown() || replica.as_str().is_some_and(|s| !s.is_empty()) {
                return;
            }
            let retention = v.get("backup_retention_period");
            if retention.is_unknown() {
                return unknown(ctx, resource, retention, "backup_retention_period");
            }
            if retention.as_f64() == Some(0.0) {
                ctx.report_at(
                    resource,
                    retention,
                    "automated backups are off: `backup_retention_period` is `0`",
                );
            }
        }
        "aws_dynamodb_table" => {
            let pitr = v.get("point_in_time_recovery");
            if pitr.is_unknown() {
                return unknown(ctx, resource, pitr, "point_in_time_recovery");
            }
            let block = v.blocks("point_in_time_recovery").next();
            let enabled = block.map(|b| b.get("enabled"));
            match enabled.map(ValueRef::is_true) {
                Some(Tri::Yes) => {}
                Some(Tri::Unknown) => unknown(
                    ctx,
                    resource,
                    enabled.unwrap_or(pitr),
                    "point_in_time_recovery.enabled",
                ),
                _ => {
                    ctx.report_at(
                        resource,
                        enabled.filter(|e| !e.is_null()).unwrap_or(pitr),
                        "point-in-time recovery is off: no `point_in_time_recovery { enabled = true }`",
                    );
                }
            }
        }
        "aws_elasticache_replication_group" | "aws_elasticache_cluster" => {
            if resource.resource_type() == "aws_elasticache_cluster"
                && (v.get("engine").as_str() == Some("memcached")
                    || v.get("replication_group_id").as_str().is_some())
            {
                // Memcached has no snapshots; a member cluster follows its replication group.
                return;
            }
            let limit = v.get("snapshot_retention_limit");
            if limit.is_unknown() {
                return unknown(ctx, resource, limit, "snapshot_retention_limit");
            }
            if limit.is_null() || limit.as_f64() == Some(0.0) {
                let state = if limit.is_null() {
                    "is not set, which means 0".to_string()
                } else {
                    "is `0`".to_string()
                };
                ctx.report_at(
                    resource,
                    limit,
                    format!("the cache keeps no snapshots: `snapshot_retention_limit` {state}"),
                )
                .severity(Severity::Low);
            }
        }
        "google_sql_database_instance" => cloud_sql(ctx, resource),
        "azurerm_mssql_database" => {
            for policy in v.blocks("short_term_retention_policy") {
                retention_days(
                    ctx,
                    resource,
                    policy.get("retention_days"),
                    "short_term_retention_policy.retention_days",
                );
            }
        }
        _ => retention_days(
            ctx,
            resource,
            v.get("backup_retention_days"),
            "backup_retention_days",
        ),
    }
}

fn unknown(ctx: &mut Context<'_>, resource: &Resource, value: ValueRef<'_>, path: &str) {
    if resource.change().is_none() {
        ctx.report_at(
            resource,
            value,
            format!("`{path}` is known only after apply, so backups cannot be confirmed"),
        )
        .severity(Severity::Low);
    }
}

fn retention_days(ctx: &mut Context<'_>, resource: &Resource, days: ValueRef<'_>, path: &str) {
    if days.is_unknown() {
        return unknown(ctx, resource, days, path);
    }
    if days.as_f64().is_some_and(|n| n < 7.0) {
        ctx.report_at(
            resource,
            days,
            format!(
                "backups are kept less than 7 days: `{path}` is `{}`",
                display_safe(days)
            ),
        );
    }
}

fn cloud_sql(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let primary = v.get("master_instance_name");
    if primary.is_unknown() || primary.as_str().is_some_and(|s| !s.is_empty()) {
        return;
    }
    let Some(settings) = v.blocks("settings").next() else {
        return;
    };
    let backup = settings.get("backup_configuration");
    if backup.is_unknown() {
        return unknown(ctx, resource, backup, "settings.backup_configuration");
    }
    let enabled = settings
        .blocks("backup_configuration")
        .next()
        .map(|b| b.get("enabled"));
    match enabled.map(ValueRef::is_true) {
        Some(Tri::Yes) => {}
        Some(Tri::Unknown) => unknown(
            ctx,
            resource,
            enabled.unwrap_or(backup),
            "settings.backup_configuration.enabled",
        ),
        _ => {
            ctx.report_at(
                resource,
                enabled.filter(|e| !e.is_null()).unwrap_or(settings),
                "automated backups are off: no `settings.backup_configuration { enabled = true }`",
            );
        }
    }
}
