use crate::policy::Check;
use crate::{declare_policy, display_safe, Context, Resource, Severity, Tri, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Listeners, CDNs, gateways, web apps, databases, caches, search domains and Kafka clusters
    /// that accept plain-text traffic or TLS older than 1.2.
    ///
    ///
    /// - `aws_lb_listener` / `aws_alb_listener` on `HTTP` whose `default_action` is not a
    ///   redirect to `HTTPS`; on `HTTPS` or `TLS` with an `ssl_policy` that allows TLS 1.0 or 1.1
    ///   (`ELBSecurityPolicy-2016-08`, `-TLS-1-1-2017-01`, `-FS-2018-06`, ...), or with no
    ///   `ssl_policy`, which gives the API default `ELBSecurityPolicy-2016-08` (medium);
    /// - `aws_cloudfront_distribution` with `viewer_protocol_policy = "allow-all"` in the default
    ///   or an ordered cache behaviour, a custom origin with `origin_protocol_policy = "http-only"`,
    ///   or a custom certificate with a `minimum_protocol_version` older than `TLSv1.2_2018`;
    /// - `aws_elasticache_replication_group` without `transit_encryption_enabled = true`;
    /// - `aws_opensearch_domain` / `aws_elasticsearch_domain` with `enforce_https = false`, a
    ///   `tls_security_policy` of `Policy-Min-TLS-1-0-2019-07`, or without
    ///   `node_to_node_encryption { enabled = true }`;
    /// - `aws_msk_cluster` whose `client_broker` encryption allows `PLAINTEXT`, or with
    ///   `in_cluster = false`;
    /// - `aws_opensearch_domain` / `aws_elasticsearch_domain` without `domain_endpoint_options`
    ///   (medium: the API defaults are no HTTPS enforcement and `Policy-Min-TLS-1-0-2019-07`);
    /// - classic `aws_elb` with a `listener` whose `lb_protocol` is `http`;
    /// - `aws_db_parameter_group` / `aws_rds_cluster_parameter_group` that set
    ///   `require_secure_transport` (MySQL, MariaDB, Aurora MySQL) or `rds.force_ssl`
    ///   (PostgreSQL) off, or leave it unset where the engine default is off (MySQL, MariaDB,
    ///   PostgreSQL before 15) while an `aws_db_instance` / `aws_rds_cluster` in the input uses
    ///   the group (medium); `aws_docdb_cluster_parameter_group` with `tls = "disabled"`;
    /// - Azure App Service and Function apps (`azurerm_app_service`, `azurerm_linux_web_app`,
    ///   `azurerm_windows_web_app`, `azurerm_function_app`, `azurerm_linux_function_app`,
    ///   `azurerm_windows_function_app` and their `_slot` types) without `https_only = true`
    ///   (the provider default is false), with a `site_config` TLS minimum of `1.0` or `1.1`, or
    ///   with `ftps_state = "AllAllowed"` (medium);
    /// - `azurerm_application_gateway` with an `Http` `http_listener` on a frontend that has a
    ///   public IP and whose routing rule does not redirect to an `Https` listener or an
    ///   `https://` URL, or an `ssl_policy` allowing TLS 1.0 or 1.1;
    /// - `azurerm_storage_account` with `https_traffic_only_enabled` (or the 3.x
    ///   `enable_https_traffic_only`) `= false`, or `min_tls_version` `TLS1_0` / `TLS1_1`;
    /// - `azurerm_mssql_server` with `minimum_tls_version` `1.0`, `1.1` or `Disabled`;
    ///   `azurerm_postgresql_server`, `azurerm_mysql_server` and `azurerm_mariadb_server` with
    ///   `ssl_enforcement_enabled = false` or an `ssl_minimal_tls_version_enforced` below
    ///   `TLS1_2`; `azurerm_postgresql_flexible_server_configuration` /
    ///   `azurerm_mysql_flexible_server_configuration` setting `require_secure_transport` off or
    ///   `ssl_min_protocol_version` / `tls_version` to TLS 1.0 or 1.1;
    /// - `azurerm_redis_cache` with the non-TLS port enabled (`non_ssl_port_enabled`, 3.x
    ///   `enable_non_ssl_port`) or `minimum_tls_version` `1.0` / `1.1`;
    /// - `google_sql_database_instance` with `ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"` or
    ///   `require_ssl = false`, or with neither set (medium: the API default allows unencrypted
    ///   connections);
    /// - `alicloud_db_instance` with an `ssl_action` other than `Open` or `Update`, or none
    ///   (medium: SSL is off by default).
    ///
    /// Defaults were read in the provider source: hashicorp/azurerm 3.117.1 and 5.2.0 (the
    /// defaults named above are the same in both), hashicorp/google 7.45. Absent Azure TLS
    /// minimums and Application Gateway SSL policies are not reported: their defaults are TLS
    /// 1.2.
    ///
    /// A deciding value known only after apply is reported at low severity and says so.
    ///
    /// ## Why it matters
    /// Plain HTTP and old TLS versions can be read and changed by anyone on the path: credentials,
    /// session cookies and data in requests. Inside a VPC, unencrypted replication and cache
    /// traffic is readable by anything that can capture packets on the subnet.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "web" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 80
    ///   protocol          = "HTTP"
    ///   default_action {
    ///     type             = "forward"
    ///     target_group_arn = aws_lb_target_group.web.arn
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_lb_listener" "web" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 80
    ///   protocol          = "HTTP"
    ///   default_action {
    ///     type = "redirect"
    ///     redirect {
    ///       port        = "443"
    ///       protocol    = "HTTPS"
    ///       status_code = "HTTP_301"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// and `ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"` on the HTTPS listener.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html>
    /// - <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html>
    pub static PLAINTEXT_TRANSPORT = {
        code: "ENC002",
        name: "plaintext-transport",
        severity: High,
        inputs: Both,
        check: Check::Resources {
            types: &[
                "aws_lb_listener",
                "aws_alb_listener",
                "aws_cloudfront_distribution",
                "aws_elasticache_replication_group",
                "aws_opensearch_domain",
                "aws_elasticsearch_domain",
                "aws_msk_cluster",
                "aws_elb",
                "aws_db_parameter_group",
                "aws_rds_cluster_parameter_group",
                "aws_docdb_cluster_parameter_group",
                "azurerm_app_service",
                "azurerm_app_service_slot",
                "azurerm_linux_web_app",
                "azurerm_windows_web_app",
                "azurerm_linux_web_app_slot",
                "azurerm_windows_web_app_slot",
                "azurerm_function_app",
                "azurerm_function_app_slot",
                "azurerm_linux_function_app",
                "azurerm_windows_function_app",
                "azurerm_linux_function_app_slot",
                "azurerm_windows_function_app_slot",
                "azurerm_application_gateway",
                "azurerm_storage_account",
                "azurerm_mssql_server",
                "azurerm_postgresql_server",
                "azurerm_mysql_server",
                "azurerm_mariadb_server",
                "azurerm_postgresql_flexible_server_configuration",
                "azurerm_mysql_flexible_server_configuration",
                "azurerm_redis_cache",
                "google_sql_database_instance",
                "alicloud_db_instance",
            ],
            check,
        },
    }
}

/// ELB policies that still accept TLS 1.0 or 1.1.
fn outdated_elb_policy(policy: &str) -> bool {
    const OUTDATED: &[&str] = &[
        "ELBSecurityPolicy-2016-08",
        "ELBSecurityPolicy-2015-05",
        "ELBSecurityPolicy-2015-03",
        "ELBSecurityPolicy-2015-02",
        "ELBSecurityPolicy-2014-10",
        "ELBSecurityPolicy-2014-01",
        "ELBSecurityPolicy-2011-08",
        "ELBSecurityPolicy-FS-2018-06",
        "ELBSecurityPolicy-FS-1-1-2019-08",
    ];
    OUTDATED.contains(&policy)
        || policy.contains("TLS-1-0")
        || policy.contains("TLS-1-1")
        || policy.contains("TLS13-1-0")
        || policy.contains("TLS13-1-1")
}

/// CloudFront viewer protocol versions older than TLS 1.2.
fn outdated_cloudfront_version(version: &str) -> bool {
    matches!(version, "SSLv3" | "TLSv1" | "TLSv1_2016" | "TLSv1.1_2016")
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    match resource.resource_type() {
        "aws_lb_listener" | "aws_alb_listener" => listener(ctx, resource),
        "aws_cloudfront_distribution" => cloudfront(ctx, resource),
        "aws_elasticache_replication_group" => {
            let value = resource.values().get("transit_encryption_enabled");
            require_true(
                ctx,
                resource,
                value,
                "transit_encryption_enabled",
                "cache traffic",
            );
        }
        "aws_opensearch_domain" | "aws_elasticsearch_domain" => search_domain(ctx, resource),
        "aws_msk_cluster" => msk(ctx, resource),
        "aws_elb" => classic_elb(ctx, resource),
        "aws_db_parameter_group"
        | "aws_rds_cluster_parameter_group"
        | "aws_docdb_cluster_parameter_group" => parameter_group(ctx, resource),
        t if WEB_APPS.contains(&t) => web_app(ctx, resource),
        "azurerm_application_gateway" => application_gateway(ctx, resource),
        "azurerm_storage_account" => storage_account(ctx, resource),
        "azurerm_mssql_server" => {
            let tls = resource.values().get("minimum_tls_version");
            if tls
                .as_str()
                .is_some_and(|t| matches!(t, "1.0" | "1.1" | "Disabled"))
            {
                old_tls(ctx, resource, tls, "minimum_tls_version");
            }
        }
        "azurerm_postgresql_server" | "azurerm_mysql_server" | "azurerm_mariadb_server" => {
            azure_single_server(ctx, resource)
        }
        "azurerm_postgresql_flexible_server_configuration"
        | "azurerm_mysql_flexible_server_configuration" => flexible_configuration(ctx, resource),
        "azurerm_redis_cache" => redis(ctx, resource),
        "google_sql_database_instance" => cloud_sql(ctx, resource),
        "alicloud_db_instance" => alicloud_db(ctx, resource),
        _ => {}
    }
}

fn unknown(ctx: &mut Context<'_>, resource: &Resource, value: ValueRef<'_>, attribute: &str) {
    ctx.report_at(
        resource,
        value,
        format!("`{attribute}` is known only after apply, so tls cannot be confirmed"),
    )
    .severity(Severity::Low);
}

fn require_true(
    ctx: &mut Context<'_>,
    resource: &Resource,
    value: ValueRef<'_>,
    attribute: &str,
    what: &str,
) {
    match value.is_true() {
        Tri::Yes => {}
        Tri::Unknown => unknown(ctx, resource, value, attribute),
        Tri::No if value.is_null() => {
            ctx.report(
                resource,
                format!("{what} is not encrypted in transit: `{attribute}` is not set"),
            );
        }
        Tri::No => {
            ctx.report_at(
                resource,
                value,
                format!(
                    "{what} is not encrypted in transit: `{attribute}` is `{}`",
                    display_safe(value)
                ),
            );
        }
    }
}

fn listener(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let protocol = v.get("protocol");
    if protocol.is_unknown() {
        unknown(ctx, resource, protocol, "protocol");
        return;
    }
    let proto = protocol.as_str().unwrap_or("").to_ascii_uppercase();
    match proto.as_str() {
        "HTTP" => {
            let actions = v.blocks("default_action");
            let redirects = actions.iter().any(|a| {
                a.get("type").as_str() == Some("redirect")
                    && a.blocks("redirect").iter().any(|r| {
                        r.get("protocol")
                            .as_str()
                            .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
                    })
            });
            if redirects {
                return;
            }
            if v.get("default_action").contains_unknown() {
                unknown(ctx, resource, v.get("default_action"), "default_action");
                return;
            }
            ctx.report_at(
                resource,
                protocol,
                "listener serves plain `HTTP` without redirecting to `HTTPS`",
            );
        }
        "HTTPS" | "TLS" => {
            let policy = v.get("ssl_policy");
            match policy.as_str() {
                Some(p) if outdated_elb_policy(p) => {
                    ctx.report_at(
                        resource,
                        policy,
                        format!(
                            "`ssl_policy` `{}` allows tls 1.0 or 1.1",
                            display_safe(policy)
                        ),
                    );
                }
                Some(_) => {}
                // In a plan, an unset computed `ssl_policy`: the API picks its default.
                None if policy.is_unknown() && resource.change().is_none() => {
                    unknown(ctx, resource, policy, "ssl_policy")
                }
                None => {
                    ctx.report(
                        resource,
                        "no `ssl_policy`, so the api default `ELBSecurityPolicy-2016-08` allows tls 1.0 and 1.1",
                    )
                    .severity(Severity::Medium);
                }
            }
        }
        _ => {}
    }
}

fn cloudfront(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    for (key, behaviours) in [
        ("default_cache_behavior", v.blocks("default_cache_behavior")),
        ("ordered_cache_behavior", v.blocks("ordered_cache_behavior")),
    ] {
        for behaviour in behaviours {
            let policy = behaviour.get("viewer_protocol_policy");
            if policy.as_str() == Some("allow-all") {
                ctx.report_at(
                    resource,
                    policy,
                    format!("`{key}.viewer_protocol_policy` is `allow-all`, so viewers can use plain http"),
                );
            } else if policy.is_unknown() {
                unknown(
                    ctx,
                    resource,
                    policy,
                    &format!("{key}.viewer_protocol_policy"),
                );
            }
        }
    }
    for origin in v.blocks("origin") {
        for custom in origin.blocks("custom_origin_config") {
            let policy = custom.get("origin_protocol_policy");
            if policy.as_str() == Some("http-only") {
                ctx.report_at(
                    resource,
                    policy,
                    "`origin.custom_origin_config.origin_protocol_policy` is `http-only`, so traffic to the origin is plain http",
                )
                .severity(Severity::Medium);
            }
        }
    }
    for cert in v.blocks("viewer_certificate") {
        // The default *.cloudfront.net certificate ignores the setting.
        if cert
            .get("cloudfront_default_certificate")
            .is_true()
            .is_yes()
        {
            continue;
        }
        let version = cert.get("minimum_protocol_version");
        if let Some(ver) = version.as_str() {
            if outdated_cloudfront_version(ver) {
                ctx.report_at(
                    resource,
                    version,
                    format!(
                        "`viewer_certificate.minimum_protocol_version` `{}` allows tls older than 1.2",
                        display_safe(version)
                    ),
                );
            }
        }
    }
}

fn search_domain(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    for options in v.blocks("domain_endpoint_options") {
        let https = options.get("enforce_https");
        match https.is_true() {
            Tri::No if !https.is_null() => {
                ctx.report_at(
                    resource,
                    https,
                    "domain accepts plain http: `domain_endpoint_options.enforce_https` is `false`",
                );
            }
            Tri::Unknown if resource.change().is_none() => unknown(
                ctx,
                resource,
                https,
                "domain_endpoint_options.enforce_https",
            ),
            _ => {}
        }
        let tls = options.get("tls_security_policy");
        if tls.as_str() == Some("Policy-Min-TLS-1-0-2019-07") {
            ctx.report_at(
                resource,
                tls,
                "`domain_endpoint_options.tls_security_policy` `Policy-Min-TLS-1-0-2019-07` allows tls 1.0",
            );
        }
    }
    if v.blocks("domain_endpoint_options").is_empty() {
        let options = v.get("domain_endpoint_options");
        if options.is_unknown() && resource.change().is_none() {
            unknown(ctx, resource, options, "domain_endpoint_options");
        } else {
            // Unset (in a plan, an unset computed block shows as unknown): the API defaults apply.
            ctx.report(
                resource,
                "no `domain_endpoint_options`, so the api defaults apply: https is not enforced and tls 1.0 is accepted",
            )
            .severity(Severity::Medium);
        }
    }
    let node = v.blocks("node_to_node_encryption");
    match node.first() {
        Some(block) => require_true(
            ctx,
            resource,
            block.get("enabled"),
            "node_to_node_encryption.enabled",
            "traffic between nodes",
        ),
        None if v.get("node_to_node_encryption").is_unknown() => {
            if resource.change().is_none() {
                unknown(
                    ctx,
                    resource,
                    v.get("node_to_node_encryption"),
                    "node_to_node_encryption",
                );
            }
        }
        None => {
            ctx.report(
                resource,
                "traffic between nodes is not encrypted in transit: `node_to_node_encryption` is not set",
            );
        }
    }
}

fn msk(ctx: &mut Context<'_>, resource: &Resource) {
    for info in resource.values().blocks("encryption_info") {
        for transit in info.blocks("encryption_in_transit") {
            let client = transit.get("client_broker");
            if let Some(c) = client.as_str() {
                if c.contains("PLAINTEXT") {
                    ctx.report_at(
                        resource,
                        client,
                        format!(
                            "kafka clients can connect without tls: `client_broker` is `{}`",
                            display_safe(client)
                        ),
                    );
                }
            }
            let in_cluster = transit.get("in_cluster");
            if in_cluster.is_true().is_no() && !in_cluster.is_null() {
                ctx.report_at(
                    resource,
                    in_cluster,
                    "traffic between brokers is not encrypted in transit: `in_cluster` is `false`",
                );
            }
        }
    }
}

/// `aws_elb`: a classic load balancer listener whose client side is plain `http`.
fn classic_elb(ctx: &mut Context<'_>, resource: &Resource) {
    let listeners = resource.values().get("listener");
    if listeners.is_unknown() && resource.change().is_none() {
        unknown(ctx, resource, listeners, "listener");
        return;
    }
    for listener in resource.values().blocks("listener") {
        let protocol = listener.get("lb_protocol");
        if protocol.is_unknown() && resource.change().is_none() {
            unknown(ctx, resource, protocol, "listener.lb_protocol");
        } else if protocol
            .as_str()
            .is_some_and(|p| p.eq_ignore_ascii_case("http"))
        {
            let port = display_safe(listener.get("lb_port"));
            ctx.report_at(
                resource,
                protocol,
                format!("classic load balancer listener on port `{port}` serves plain `http`"),
            );
        }
    }
}

/// The parameter that makes an RDS engine refuse connections without TLS, and whether the
/// engine's default parameter group sets it (`Some(true)`), leaves it off (`Some(false)`), or
/// guard does not know (`None`). `family` is the group's family, e.g. `postgres14`.
fn secure_transport_parameter(family: &str) -> Option<(&'static str, Option<bool>)> {
    let family = family.to_ascii_lowercase();
    if family.starts_with("mysql")
        || family.starts_with("mariadb")
        || family.starts_with("aurora-mysql")
    {
        return Some(("require_secure_transport", Some(false)));
    }
    if let Some(version) = family.strip_prefix("postgres") {
        // RDS for PostgreSQL 15 and later default `rds.force_ssl` to 1.
        let major: u32 = version
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        return Some(("rds.force_ssl", Some(major >= 15)));
    }
    if family.starts_with("docdb") {
        // DocumentDB requires TLS unless `tls` is `disabled`.
        return Some(("tls", Some(true)));
    }
    if family.starts_with("aurora-postgresql") {
        return Some(("rds.force_ssl", None));
    }
    None
}

fn parameter_on(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "on" | "true" | "enabled" | "tls1.2+" | "tls1.3+" | "fips-140-3"
    )
}

/// Database instances and clusters of the input that name this parameter group.
fn users_of_parameter_group<'m>(ctx: &Context<'m>, group: &Resource) -> Vec<&'m Resource> {
    let (user_type, attribute) = match group.resource_type() {
        "aws_db_parameter_group" => ("aws_db_instance", "parameter_group_name"),
        "aws_docdb_cluster_parameter_group" => {
            ("aws_docdb_cluster", "db_cluster_parameter_group_name")
        }
        _ => ("aws_rds_cluster", "db_cluster_parameter_group_name"),
    };
    let Some(name) = group.values().get("name").as_str() else {
        return Vec::new();
    };
    ctx.model
        .resources_of_type(user_type)
        .filter(|r| r.will_exist())
        .filter(|r| r.values().get(attribute).as_str() == Some(name))
        .collect()
}

/// `aws_db_parameter_group` / `aws_rds_cluster_parameter_group`: a group that turns secure
/// transport off, or leaves the engine's default off while an instance in the input uses it.
fn parameter_group(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let Some((parameter, default_on)) = v
        .get("family")
        .as_str()
        .and_then(secure_transport_parameter)
    else {
        return;
    };
    let setting = v
        .blocks("parameter")
        .into_iter()
        .find(|p| p.get("name").as_str() == Some(parameter))
        .map(|p| p.get("value"));
    match setting {
        Some(value)
            if value.is_unknown() && !users_of_parameter_group(ctx, resource).is_empty() =>
        {
            unknown(ctx, resource, value, parameter);
        }
        Some(value)
            if value.as_str().is_some_and(|s| !parameter_on(s)) || value.as_f64() == Some(0.0) =>
        {
            ctx.report_at(
                resource,
                value,
                format!(
                    "parameter `{parameter}` is `{}`, so clients can connect without tls",
                    display_safe(value)
                ),
            );
        }
        Some(_) => {}
        None if default_on == Some(false) => {
            let users = users_of_parameter_group(ctx, resource);
            if let Some(first) = users.first() {
                let address = first.address().to_string();
                ctx.report(
                    resource,
                    format!(
                        "`{address}` uses this parameter group, which does not set `{parameter}`, so clients can connect without tls"
                    ),
                )
                .severity(Severity::Medium);
            }
        }
        None => {}
    }
}

/// App Service and Function apps, old and new resource types, and their slots.
const WEB_APPS: &[&str] = &[
    "azurerm_app_service",
    "azurerm_app_service_slot",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_linux_web_app_slot",
    "azurerm_windows_web_app_slot",
    "azurerm_function_app",
    "azurerm_function_app_slot",
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_linux_function_app_slot",
    "azurerm_windows_function_app_slot",
];

fn old_tls(ctx: &mut Context<'_>, resource: &Resource, value: ValueRef<'_>, attribute: &str) {
    ctx.report_at(
        resource,
        value,
        format!(
            "`{attribute}` `{}` allows tls older than 1.2",
            display_safe(value)
        ),
    );
}

/// `azurerm_*_web_app`, `azurerm_*_function_app`: `https_only` defaults to false (azurerm 3.x
/// and 4.x/5.x alike); TLS minimums default to 1.2; FTP is off by default on the new types.
fn web_app(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let https = v.get("https_only");
    match https.is_true() {
        Tri::Yes => {}
        Tri::Unknown => unknown(ctx, resource, https, "https_only"),
        Tri::No if https.is_null() => {
            ctx.report(
                resource,
                "app accepts plain http: `https_only` is not set and defaults to false",
            );
        }
        Tri::No => {
            ctx.report_at(
                resource,
                https,
                "app accepts plain http: `https_only` is `false`",
            );
        }
    }
    for config in v.blocks("site_config") {
        for key in [
            "minimum_tls_version",
            "min_tls_version",
            "scm_minimum_tls_version",
            "scm_min_tls_version",
        ] {
            let tls = config.get(key);
            if tls.as_str().is_some_and(|t| matches!(t, "1.0" | "1.1")) {
                old_tls(ctx, resource, tls, &format!("site_config.{key}"));
            }
        }
        let ftps = config.get("ftps_state");
        if ftps.as_str() == Some("AllAllowed") {
            ctx.report_at(
                resource,
                ftps,
                "`site_config.ftps_state` is `AllAllowed`, so deployments can use plain ftp and send credentials in clear text",
            )
            .severity(Severity::Medium);
        }
    }
}

/// `azurerm_application_gateway`: an `Http` listener on a frontend with a public IP whose
/// routing rule does not redirect to an `Https` listener or an `https://` URL; an SSL policy
/// that allows TLS 1.0 or 1.1.
fn application_gateway(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let public_frontends: Vec<&str> = v
        .blocks("frontend_ip_configuration")
        .filter(|f| !f.get("public_ip_address_id").is_null())
        .filter_map(|f| f.get("name").as_str())
        .collect();
    let listeners = v.blocks("http_listener");
    let https_listeners: Vec<&str> = listeners
        .iter()
        .filter(|l| {
            l.get("protocol")
                .as_str()
                .is_some_and(|p| p.eq_ignore_ascii_case("https"))
        })
        .filter_map(|l| l.get("name").as_str())
        .collect();
    let redirects_to_https = |redirect_name: &str| {
        v.blocks("redirect_configuration").iter().any(|r| {
            r.get("name").as_str() == Some(redirect_name)
                && (r
                    .get("target_listener_name")
                    .as_str()
                    .is_some_and(|t| https_listeners.contains(&t))
                    || r.get("target_url")
                        .as_str()
                        .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://")))
        })
    };
    for listener in listeners.iter() {
        let protocol = listener.get("protocol");
        if !protocol
            .as_str()
            .is_some_and(|p| p.eq_ignore_ascii_case("http"))
        {
            continue;
        }
        let frontend = listener.get("frontend_ip_configuration_name");
        if !frontend
            .as_str()
            .is_some_and(|f| public_frontends.contains(&f))
        {
            continue;
        }
        let name = listener.get("name").as_str().unwrap_or_default();
        let redirected = v.blocks("request_routing_rule").iter().any(|rule| {
            rule.get("http_listener_name").as_str() == Some(name)
                && rule
                    .get("redirect_configuration_name")
                    .as_str()
                    .is_some_and(redirects_to_https)
        });
        if !redirected {
            ctx.report_at(
                resource,
                protocol,
                format!(
                    "listener `{name}` serves plain `Http` on the public frontend `{}` without redirecting to https",
                    display_safe(frontend)
                ),
            );
        }
    }
    for policy in v.blocks("ssl_policy") {
        let min = policy.get("min_protocol_version");
        if min
            .as_str()
            .is_some_and(|m| matches!(m, "TLSv1_0" | "TLSv1_1"))
        {
            old_tls(ctx, resource, min, "ssl_policy.min_protocol_version");
        }
        let name = policy.get("policy_name");
        if name
            .as_str()
            .is_some_and(|n| matches!(n, "AppGwSslPolicy20150501" | "AppGwSslPolicy20170401"))
        {
            ctx.report_at(
                resource,
                name,
                format!(
                    "`ssl_policy.policy_name` `{}` allows tls older than 1.2",
                    display_safe(name)
                ),
            );
        }
    }
}

/// `azurerm_storage_account`: secure transfer off (`https_traffic_only_enabled` in azurerm 4.x,
/// `enable_https_traffic_only` in 3.x; both default to true) or a TLS minimum below 1.2 (the
/// default is `TLS1_2` in 3.x and later).
fn storage_account(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    for key in ["https_traffic_only_enabled", "enable_https_traffic_only"] {
        let https = v.get(key);
        match https.is_true() {
            Tri::No if !https.is_null() => {
                ctx.report_at(
                    resource,
                    https,
                    format!("storage account accepts plain http: `{key}` is `false`"),
                );
            }
            Tri::Unknown if resource.change().is_none() => unknown(ctx, resource, https, key),
            _ => {}
        }
    }
    let tls = v.get("min_tls_version");
    if tls
        .as_str()
        .is_some_and(|t| matches!(t, "TLS1_0" | "TLS1_1"))
    {
        old_tls(ctx, resource, tls, "min_tls_version");
    }
}

/// Azure Database single servers (azurerm 3.x): SSL enforcement off, or a TLS minimum below 1.2.
fn azure_single_server(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let enforced = v.get("ssl_enforcement_enabled");
    match enforced.is_true() {
        Tri::No if !enforced.is_null() => {
            ctx.report_at(
                resource,
                enforced,
                "clients can connect without tls: `ssl_enforcement_enabled` is `false`",
            );
        }
        Tri::Unknown if resource.change().is_none() => {
            unknown(ctx, resource, enforced, "ssl_enforcement_enabled")
        }
        _ => {}
    }
    let tls = v.get("ssl_minimal_tls_version_enforced");
    if tls
        .as_str()
        .is_some_and(|t| matches!(t, "TLS1_0" | "TLS1_1" | "TLSEnforcementDisabled"))
    {
        old_tls(ctx, resource, tls, "ssl_minimal_tls_version_enforced");
    }
}

/// Server parameters of PostgreSQL and MySQL flexible servers that turn TLS off or allow old
/// versions.
fn flexible_configuration(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let value = v.get("value");
    let Some(text) = value.as_str() else {
        return;
    };
    match v.get("name").as_str() {
        Some("require_secure_transport") if !parameter_on(text) => {
            ctx.report_at(
                resource,
                value,
                format!("server parameter `require_secure_transport` is `{text}`, so clients can connect without tls"),
            );
        }
        Some("ssl_min_protocol_version") if matches!(text, "TLSv1" | "TLSv1.1") => {
            old_tls(ctx, resource, value, "ssl_min_protocol_version");
        }
        Some("tls_version")
            if text
                .split(',')
                .any(|t| matches!(t.trim(), "TLSv1" | "TLSv1.1")) =>
        {
            old_tls(ctx, resource, value, "tls_version");
        }
        _ => {}
    }
}

/// `azurerm_redis_cache`: the non-TLS port 6379 open (`non_ssl_port_enabled` in azurerm 4.x,
/// `enable_non_ssl_port` in 3.x; both default to false), or a TLS minimum below 1.2.
fn redis(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    for key in ["non_ssl_port_enabled", "enable_non_ssl_port"] {
        let port = v.get(key);
        match port.is_true() {
            Tri::Yes => {
                ctx.report_at(
                    resource,
                    port,
                    format!("the non-tls port 6379 is open: `{key}` is `true`"),
                );
            }
            Tri::Unknown if resource.change().is_none() => unknown(ctx, resource, port, key),
            _ => {}
        }
    }
    let tls = v.get("minimum_tls_version");
    if tls.as_str().is_some_and(|t| matches!(t, "1.0" | "1.1")) {
        old_tls(ctx, resource, tls, "minimum_tls_version");
    }
}

/// `google_sql_database_instance`: `ssl_mode` (google provider 5.x and later; Optional and
/// Computed, the API default is `ALLOW_UNENCRYPTED_AND_ENCRYPTED`) or the older `require_ssl`.
fn cloud_sql(ctx: &mut Context<'_>, resource: &Resource) {
    let settings = resource.values().blocks("settings");
    let ip = settings.first().map(|s| s.blocks("ip_configuration"));
    let ip = ip.as_ref().and_then(|blocks| blocks.first());
    let (mode, require) = match ip {
        Some(ip) => (ip.get("ssl_mode"), ip.get("require_ssl")),
        None => (ValueRef::null(), ValueRef::null()),
    };
    match mode.as_str() {
        Some("ALLOW_UNENCRYPTED_AND_ENCRYPTED") => {
            ctx.report_at(
                resource,
                mode,
                "clients can connect without tls: `settings.ip_configuration.ssl_mode` is `ALLOW_UNENCRYPTED_AND_ENCRYPTED`",
            );
            return;
        }
        Some(_) => return,
        None => {}
    }
    match require.is_true() {
        Tri::Yes => return,
        Tri::No if !require.is_null() => {
            ctx.report_at(
                resource,
                require,
                "clients can connect without tls: `settings.ip_configuration.require_ssl` is `false`",
            );
            return;
        }
        _ => {}
    }
    if mode.is_unknown() && resource.change().is_none() {
        unknown(ctx, resource, mode, "settings.ip_configuration.ssl_mode");
        return;
    }
    // Unset (in a plan, an unset computed `ssl_mode` shows as unknown): the API default applies.
    ctx.report(
        resource,
        "no `settings.ip_configuration.ssl_mode`, so the api default `ALLOW_UNENCRYPTED_AND_ENCRYPTED` lets clients connect without tls",
    )
    .severity(Severity::Medium);
}

/// `alicloud_db_instance`: SSL is off unless `ssl_action` opens it.
fn alicloud_db(ctx: &mut Context<'_>, resource: &Resource) {
    let action = resource.values().get("ssl_action");
    match action.as_str() {
        Some("Open" | "Update") => {}
        Some(_) => {
            ctx.report_at(
                resource,
                action,
                format!(
                    "clients can connect without tls: `ssl_action` is `{}`",
                    display_safe(action)
                ),
            );
        }
        None if action.is_unknown() && resource.change().is_none() => {
            unknown(ctx, resource, action, "ssl_action")
        }
        None => {
            ctx.report(
                resource,
                "no `ssl_action = \"Open\"`, so the instance keeps the default: ssl off",
            )
            .severity(Severity::Medium);
        }
    }
}
