use crate::policy::Check;
use crate::{declare_policy, display_safe, Context, Resource, Severity, Tri, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Databases and caches with no standby in another zone.
    ///
    /// - `aws_db_instance` without `multi_az = true` (it defaults to false); read replicas
    ///   (`replicate_source_db`) and Aurora instances (`engine = "aurora*"`, whose cluster
    ///   places them) are skipped;
    /// - `aws_elasticache_replication_group` without `automatic_failover_enabled = true` and
    ///   `multi_az_enabled = true` (both default to false);
    /// - `google_sql_database_instance` whose `settings.availability_type` is not `REGIONAL`
    ///   (it defaults to `ZONAL`); read replicas (`master_instance_name`) are skipped;
    /// - `azurerm_postgresql_flexible_server` and `azurerm_mysql_flexible_server` without a
    ///   `high_availability` block in `ZoneRedundant` mode;
    /// - `azurerm_mssql_database` on a tier that supports zone redundancy (Premium, Business
    ///   Critical, General Purpose and Hyperscale sku names) without `zone_redundant = true`.
    ///
    /// A value known only after apply is reported at low severity, in plans too: there an
    /// unset `multi_az` is computed and shows as unknown. Defaults checked against hashicorp/aws 5.x, hashicorp/google 6.x and
    /// hashicorp/azurerm 4.x.
    ///
    /// ## Why it matters
    /// A zone fails a few times a year somewhere. A single-zone database is down for as long as
    /// the zone is, and restoring it elsewhere from a backup loses the writes since the last
    /// snapshot. A standby in another zone takes over in a minute or two with nothing lost.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine         = "postgres"
    ///   instance_class = "db.m6g.large"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine         = "postgres"
    ///   instance_class = "db.m6g.large"
    ///   multi_az       = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html>
    /// - <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html>
    /// - <https://cloud.google.com/sql/docs/postgres/high-availability>
    /// - <https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-high-availability>
    pub static SINGLE_ZONE = {
        code: "AVL001",
        name: "single-zone",
        severity: Medium,
        inputs: Both,
        check: Check::Resources {
            types: &[
                "aws_db_instance",
                "aws_elasticache_replication_group",
                "google_sql_database_instance",
                "azurerm_postgresql_flexible_server",
                "azurerm_mysql_flexible_server",
                "azurerm_mssql_database",
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
        "aws_db_instance" => {
            let replica = v.get("replicate_source_db");
            let aurora = v
                .get("engine")
                .as_str()
                .is_some_and(|e| e.starts_with("aurora"));
            if aurora || replica.as_str().is_some_and(|s| !s.is_empty()) || replica.is_unknown() {
                return;
            }
            must_be_true(ctx, resource, &["multi_az"], "database instance");
        }
        "aws_elasticache_replication_group" => must_be_true(
            ctx,
            resource,
            &["automatic_failover_enabled", "multi_az_enabled"],
            "replication group",
        ),
        "google_sql_database_instance" => cloud_sql(ctx, resource),
        "azurerm_postgresql_flexible_server" | "azurerm_mysql_flexible_server" => {
            flexible_server(ctx, resource)
        }
        "azurerm_mssql_database" => mssql_database(ctx, resource),
        _ => {}
    }
}

/// Low in source and in plans alike: in a plan, `multi_az` left unset is computed, so unknown
/// there usually means the single-zone default.
fn unknown(ctx: &mut Context<'_>, resource: &Resource, value: ValueRef<'_>, path: &str) {
    ctx.report_at(
        resource,
        value,
        format!("`{path}` is known only after apply (or not set), so a standby in another zone cannot be confirmed"),
    )
    .severity(Severity::Low);
}

fn state(value: ValueRef<'_>) -> String {
    if value.is_null() {
        "is not set".to_string()
    } else {
        format!("is `{}`", display_safe(value))
    }
}

/// Flags that default to false and must all be true.
fn must_be_true(ctx: &mut Context<'_>, resource: &Resource, flags: &[&str], what: &str) {
    for flag in flags {
        let value = resource.values().get(flag);
        match value.is_true() {
            Tri::Yes => {}
            Tri::Unknown => unknown(ctx, resource, value, flag),
            Tri::No => {
                ctx.report_at(
                    resource,
                    value,
                    format!(
                        "{what} has no standby in another zone: `{flag}` {}; set `{flag} = true`",
                        state(value)
                    ),
                );
                // One finding per resource: the first missing flag is the one to fix first.
                return;
            }
        }
    }
}

fn cloud_sql(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let primary = v.get("master_instance_name");
    if primary.is_unknown() || primary.as_str().is_some_and(|s| !s.is_empty()) {
        return;
    }
    let settings = v.get("settings");
    if settings.is_unknown() {
        return unknown(ctx, resource, settings, "settings");
    }
    let Some(settings) = v.blocks("settings").next() else {
        return;
    };
    let availability = settings.get("availability_type");
    match availability.as_str() {
        Some("REGIONAL") => {}
        None if availability.is_unknown() => {
            unknown(ctx, resource, availability, "settings.availability_type")
        }
        _ => {
            ctx.report_at(
                resource,
                if availability.is_null() { settings } else { availability },
                format!(
                    "cloud sql instance has no standby in another zone: `settings.availability_type` {} (`ZONAL` is the default)",
                    state(availability)
                ),
            );
        }
    }
}

fn flexible_server(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let ha = v.get("high_availability");
    if ha.is_unknown() {
        return unknown(ctx, resource, ha, "high_availability");
    }
    let Some(block) = v.blocks("high_availability").next() else {
        ctx.report(
            resource,
            "flexible server has no standby in another zone: no `high_availability` block",
        );
        return;
    };
    let mode = block.get("mode");
    match mode.as_str() {
        Some("ZoneRedundant") => {}
        None if mode.is_unknown() => unknown(ctx, resource, mode, "high_availability.mode"),
        _ => {
            ctx.report_at(
                resource,
                mode,
                format!(
                    "flexible server has no standby in another zone: `high_availability.mode` {}",
                    state(mode)
                ),
            );
        }
    }
}

fn mssql_database(ctx: &mut Context<'_>, resource: &Resource) {
    let sku = resource.values().get("sku_name");
    let supports_zones = sku.as_str().is_some_and(|s| {
        let s = s.to_ascii_uppercase();
        (s.starts_with('P') && s[1..].chars().all(|c| c.is_ascii_digit()) && s.len() > 1)
            || ["BC_", "GP_", "HS_"].iter().any(|p| s.starts_with(p))
    });
    if supports_zones {
        must_be_true(ctx, resource, &["zone_redundant"], "database");
    }
}
