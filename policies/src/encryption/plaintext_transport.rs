use crate::policy::Check;
use crate::{declare_policy, display_safe, Context, Resource, Severity, Tri, Value};

declare_policy! {
    /// ## What it checks
    /// Listeners, CDNs, caches, search domains and Kafka clusters that accept plain-text traffic
    /// or TLS older than 1.2.
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
    ///   `in_cluster = false`.
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
    match resource.resource_type.as_str() {
        "aws_lb_listener" | "aws_alb_listener" => listener(ctx, resource),
        "aws_cloudfront_distribution" => cloudfront(ctx, resource),
        "aws_elasticache_replication_group" => {
            let value = resource.values.get("transit_encryption_enabled");
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
        _ => {}
    }
}

fn unknown(ctx: &mut Context<'_>, resource: &Resource, value: &Value, attribute: &str) {
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
    value: &Value,
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
    let v = &resource.values;
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
                None if policy.is_unknown() && resource.change.is_none() => {
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
    let v = &resource.values;
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
    let v = &resource.values;
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
            Tri::Unknown if resource.change.is_none() => unknown(
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
            if resource.change.is_none() {
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
    for info in resource.values.blocks("encryption_info") {
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
