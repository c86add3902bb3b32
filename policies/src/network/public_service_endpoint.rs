use super::cidr::covers_everything;
use crate::policy::Check;
use crate::value::display_safe;
use crate::{declare_policy, Context, Resource, Severity, Tri, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Managed services whose endpoint the internet can reach.
    ///
    /// - AWS databases with `publicly_accessible = true`: `aws_db_instance`,
    ///   `aws_rds_cluster_instance`, `aws_neptune_cluster_instance`, `aws_redshift_cluster`,
    ///   `aws_dms_replication_instance` (high). Absent is false in the AWS provider v5 (Redshift
    ///   defaulted to true before v5.0).
    /// - `aws_eks_cluster` whose API endpoint is public (`endpoint_public_access`, default true)
    ///   to `public_access_cidrs` covering everything (the default is `0.0.0.0/0`) (high).
    /// - `aws_lambda_function_url` with `authorization_type = "NONE"` (high).
    /// - `aws_opensearch_domain` and `aws_elasticsearch_domain` without `vpc_options`: the
    ///   endpoint is on the internet, guarded only by its access policy (medium).
    /// - `google_container_cluster` without `master_authorized_networks_config`, or with one
    ///   that allows `0.0.0.0/0`, while the endpoint is public (high), and without private nodes
    ///   (`private_cluster_config.enable_private_nodes`, medium).
    /// - `google_sql_database_instance` with a public IP (`ipv4_enabled`, default true) and an
    ///   `authorized_networks` entry covering everything (high).
    /// - Azure `public_network_access_enabled` true or absent (the azurerm default is true) on
    ///   `azurerm_mssql_server`, `azurerm_postgresql_server`, `azurerm_mysql_server`,
    ///   `azurerm_postgresql_flexible_server` and `azurerm_mysql_flexible_server` (unless
    ///   placed in a subnet with `delegated_subnet_id`), `azurerm_storage_account` and
    ///   `azurerm_key_vault` (unless their network rules deny by default),
    ///   `azurerm_cosmosdb_account` (unless `ip_range_filter` or virtual-network rules restrict
    ///   it) (medium: reachable, still behind authentication); and `azurerm_kubernetes_cluster`
    ///   whose API server is neither private nor limited by `authorized_ip_ranges` (high).
    ///
    /// A deciding value known only after apply is reported at low severity and says so.
    ///
    /// ## Why it matters
    /// A database, cluster API or function reachable from the internet is one leaked password,
    /// unpatched flaw or misconfigured policy away from a breach, and it is scanned for within
    /// minutes of being created. Keeping endpoints private moves every such mistake behind the
    /// network boundary.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine              = "postgres"
    ///   instance_class      = "db.t3.micro"
    ///   allocated_storage   = 20
    ///   publicly_accessible = true
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Keep the endpoint private and reach it through the VPC (a bastion, a VPN, a private link).
    ///
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.eks.arn
    ///   vpc_config {
    ///     subnet_ids              = var.private_subnet_ids
    ///     endpoint_private_access = true
    ///     endpoint_public_access  = false
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding>
    /// - <https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html>
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html>
    /// - <https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks>
    /// - <https://learn.microsoft.com/azure/azure-sql/database/connectivity-settings#deny-public-network-access>
    pub static PUBLIC_SERVICE_ENDPOINT = {
        code: "NET005",
        name: "public-service-endpoint",
        severity: High,
        inputs: Both,
        check: Check::Resources { types: TYPES, check },
    }
}

const TYPES: &[&str] = &[
    "aws_db_instance",
    "aws_rds_cluster_instance",
    "aws_neptune_cluster_instance",
    "aws_redshift_cluster",
    "aws_dms_replication_instance",
    "aws_eks_cluster",
    "aws_lambda_function_url",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "google_container_cluster",
    "google_sql_database_instance",
    "azurerm_mssql_server",
    "azurerm_postgresql_server",
    "azurerm_mysql_server",
    "azurerm_postgresql_flexible_server",
    "azurerm_mysql_flexible_server",
    "azurerm_storage_account",
    "azurerm_key_vault",
    "azurerm_cosmosdb_account",
    "azurerm_kubernetes_cluster",
];

fn unknown(ctx: &mut Context<'_>, resource: &Resource, at: ValueRef<'_>, attribute: &str) {
    ctx.report_at(
        resource,
        at,
        format!("`{attribute}` is known only after apply, so guard cannot tell whether the endpoint is public"),
    )
    .severity(Severity::Low);
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    let v = resource.values();
    match resource.resource_type() {
        "aws_db_instance"
        | "aws_rds_cluster_instance"
        | "aws_neptune_cluster_instance"
        | "aws_redshift_cluster"
        | "aws_dms_replication_instance" => {
            let public = v.get("publicly_accessible");
            match public.is_true() {
                Tri::Yes => {
                    ctx.report_at(
                        resource,
                        public,
                        "database endpoint is reachable from the internet: `publicly_accessible` is `true`",
                    );
                }
                Tri::Unknown => unknown(ctx, resource, public, "publicly_accessible"),
                Tri::No => {}
            }
        }
        "aws_eks_cluster" => check_eks(ctx, resource),
        "aws_lambda_function_url" => {
            let auth = v.get("authorization_type");
            match auth.as_str() {
                Some("NONE") => {
                    ctx.report_at(
                        resource,
                        auth,
                        "function url lets anyone on the internet call the function: `authorization_type` is `NONE`",
                    );
                }
                None if auth.is_unknown() => unknown(ctx, resource, auth, "authorization_type"),
                _ => {}
            }
        }
        "aws_opensearch_domain" | "aws_elasticsearch_domain" => {
            let vpc = v.get("vpc_options");
            if vpc.is_unknown() {
                unknown(ctx, resource, vpc, "vpc_options");
            } else if v.blocks("vpc_options").is_empty() {
                ctx.report(
                    resource,
                    "search domain has a public endpoint: no `vpc_options`, so only its access policy stands between it and the internet",
                )
                .severity(Severity::Medium);
            }
        }
        "google_container_cluster" => check_gke(ctx, resource),
        "google_sql_database_instance" => check_cloud_sql(ctx, resource),
        "azurerm_kubernetes_cluster" => check_aks(ctx, resource),
        _ => check_azure_public_network(ctx, resource),
    }
}

fn check_eks(ctx: &mut Context<'_>, resource: &Resource) {
    let Some(config) = resource.values().blocks("vpc_config").next() else {
        return;
    };
    let public = config.get("endpoint_public_access");
    // The provider's default is true.
    let is_public = if public.is_null() {
        Tri::Yes
    } else {
        public.is_true()
    };
    if is_public == Tri::No {
        return;
    }
    if is_public == Tri::Unknown {
        return unknown(ctx, resource, public, "endpoint_public_access");
    }
    let cidrs = config.get("public_access_cidrs");
    if cidrs.contains_unknown() {
        return unknown(ctx, resource, cidrs, "public_access_cidrs");
    }
    let list = cidrs.strings();
    if list.is_empty() {
        ctx.report(
            resource,
            "cluster api endpoint is open to the whole internet: `endpoint_public_access` is on and `public_access_cidrs` is not set (the default is `0.0.0.0/0`)",
        );
    } else if covers_everything(list.iter().copied()) {
        ctx.report_at(
            resource,
            cidrs,
            format!(
                "cluster api endpoint is open to the whole internet: `public_access_cidrs` is `{}`",
                display_safe(cidrs)
            ),
        );
    }
}

fn check_gke(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let private = v.blocks("private_cluster_config");
    let private_endpoint = private
        .first()
        .map(|p| p.get("enable_private_endpoint").is_true())
        .unwrap_or(Tri::No);
    let private_nodes = private
        .first()
        .map(|p| p.get("enable_private_nodes").is_true())
        .unwrap_or(Tri::No);
    if private_endpoint == Tri::No {
        let networks = v.get("master_authorized_networks_config");
        if networks.contains_unknown() {
            unknown(ctx, resource, networks, "master_authorized_networks_config");
        } else {
            let blocks = v.blocks("master_authorized_networks_config");
            match blocks.first() {
                None => {
                    ctx.report(
                        resource,
                        "cluster control plane is reachable from any address: no `master_authorized_networks_config`",
                    );
                }
                Some(config) => {
                    let cidrs: Vec<&str> = config
                        .blocks("cidr_blocks")
                        .iter()
                        .filter_map(|b| b.get("cidr_block").as_str())
                        .collect();
                    if covers_everything(cidrs.iter().copied()) {
                        ctx.report(
                            resource,
                            "cluster control plane is reachable from any address: `master_authorized_networks_config` allows the whole internet",
                        );
                    }
                }
            }
        }
    }
    if private_nodes == Tri::No {
        ctx.report(
            resource,
            "cluster nodes get public ip addresses: `private_cluster_config.enable_private_nodes` is not true",
        )
        .severity(Severity::Medium);
    }
}

fn check_cloud_sql(ctx: &mut Context<'_>, resource: &Resource) {
    for settings in resource.values().blocks("settings") {
        for ip in settings.blocks("ip_configuration") {
            let ipv4 = ip.get("ipv4_enabled");
            // The provider's default is true.
            if !ipv4.is_null() && ipv4.is_true() == Tri::No {
                continue;
            }
            for network in ip.blocks("authorized_networks") {
                let value = network.get("value");
                if value.is_unknown() {
                    unknown(ctx, resource, value, "authorized_networks");
                } else if value.as_str().is_some_and(|c| covers_everything([c])) {
                    ctx.report_at(
                        resource,
                        value,
                        format!(
                            "database accepts connections from the whole internet: authorized network `{}` on a public ip",
                            display_safe(value)
                        ),
                    );
                }
            }
        }
    }
}

fn check_aks(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let private = v.get("private_cluster_enabled");
    match private.is_true() {
        Tri::Yes => return,
        Tri::Unknown => return unknown(ctx, resource, private, "private_cluster_enabled"),
        Tri::No => {}
    }
    let profile = v.blocks("api_server_access_profile");
    let ranges = profile
        .first()
        .map(|p| p.get("authorized_ip_ranges"))
        .unwrap_or_else(|| v.get("api_server_authorized_ip_ranges"));
    if ranges.contains_unknown() {
        return unknown(ctx, resource, ranges, "authorized_ip_ranges");
    }
    let list = ranges.strings();
    if list.is_empty() || covers_everything(list.iter().copied()) {
        ctx.report(
            resource,
            "cluster api server is reachable from any address: not private and no `authorized_ip_ranges`",
        );
    }
}

/// `public_network_access_enabled`, true by default in azurerm, unless something else keeps the
/// service off the internet.
fn check_azure_public_network(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let flag = v.get("public_network_access_enabled");
    let enabled = if flag.is_null() {
        Tri::Yes
    } else {
        flag.is_true()
    };
    match enabled {
        Tri::No => return,
        Tri::Unknown => return unknown(ctx, resource, flag, "public_network_access_enabled"),
        Tri::Yes => {}
    }
    let restricted = match resource.resource_type() {
        "azurerm_postgresql_flexible_server" | "azurerm_mysql_flexible_server" => {
            !v.get("delegated_subnet_id").is_null()
        }
        "azurerm_storage_account" => denies_by_default(v, "network_rules"),
        "azurerm_key_vault" => denies_by_default(v, "network_acls"),
        "azurerm_cosmosdb_account" => {
            !v.get("ip_range_filter").strings().is_empty()
                || v.get("is_virtual_network_filter_enabled")
                    .is_true()
                    .is_yes()
        }
        _ => false,
    };
    if restricted {
        return;
    }
    let how = if flag.is_null() {
        "`public_network_access_enabled` is not set and the azurerm provider defaults it to true"
    } else {
        "`public_network_access_enabled` is `true`"
    };
    let finding = ctx.report(
        resource,
        format!("service is reachable from the internet: {how}"),
    );
    if !flag.is_null() {
        finding.at(flag);
    }
    finding.severity(Severity::Medium);
}

fn denies_by_default(v: ValueRef<'_>, block: &str) -> bool {
    v.blocks(block)
        .iter()
        .any(|b| b.get("default_action").as_str() == Some("Deny"))
}
