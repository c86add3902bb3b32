use crate::policy::Check;
use crate::{declare_policy, Context, Resource, Severity, Tri, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Entry points that do not log the requests they serve.
    ///
    /// - `aws_lb` / `aws_alb` (gateway load balancers excepted: they have no access logs)
    ///   without `access_logs { enabled = true }` (`enabled` defaults to false); low for a
    ///   network load balancer, which logs only its TLS listeners;
    /// - classic `aws_elb` without an `access_logs` block, or with `enabled = false` (it
    ///   defaults to true inside the block);
    /// - `aws_cloudfront_distribution` without `logging_config`;
    /// - `aws_api_gateway_stage` and `aws_apigatewayv2_stage` without `access_log_settings`;
    /// - `google_compute_backend_service` without `log_config { enable = true }`;
    /// - `azurerm_monitor_diagnostic_setting` that targets an application gateway or a Front
    ///   Door and does not export its access log category (`ApplicationGatewayAccessLog`,
    ///   `FrontDoorAccessLog`, `FrontdoorAccessLog`, or the `allLogs` group).
    ///
    /// A value known only after apply is reported at low severity in source, and accepted in a
    /// plan (where an unset computed block also shows as unknown). Defaults checked against
    /// hashicorp/aws 5.x, hashicorp/google 6.x and hashicorp/azurerm 4.x.
    ///
    /// ## Why it matters
    /// Access logs are the only record of who requested what from an entry point: the source
    /// address, the path, the status and the time. Without them a credential-stuffing run, a
    /// scraping campaign or the first request of an exploit leaves no trace to investigate,
    /// and the logs cannot be produced after the fact.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb" "web" {
    ///   name    = "web"
    ///   subnets = var.public_subnets
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_lb" "web" {
    ///   name    = "web"
    ///   subnets = var.public_subnets
    ///   access_logs {
    ///     bucket  = aws_s3_bucket.lb_logs.id
    ///     enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html>
    /// - <https://cloud.google.com/load-balancing/docs/https/https-logging-monitoring>
    /// - <https://learn.microsoft.com/azure/application-gateway/application-gateway-diagnostics>
    pub static ACCESS_LOGS_DISABLED = {
        code: "LOG003",
        name: "access-logs-disabled",
        severity: Medium,
        inputs: Both,
        check: Check::Resources {
            types: &[
                "aws_lb",
                "aws_alb",
                "aws_elb",
                "aws_cloudfront_distribution",
                "aws_api_gateway_stage",
                "aws_apigatewayv2_stage",
                "google_compute_backend_service",
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
    let v = resource.values();
    match resource.resource_type() {
        "aws_lb" | "aws_alb" => {
            let (what, severity) = match v.get("load_balancer_type").as_str() {
                Some("gateway") => return,
                // A network load balancer logs only its TLS listeners, which may be none.
                Some("network") => ("network load balancer", Severity::Low),
                _ => ("load balancer", Severity::Medium),
            };
            flag_in_block(
                ctx,
                resource,
                "access_logs",
                "enabled",
                false,
                what,
                severity,
            );
        }
        "aws_elb" => flag_in_block(
            ctx,
            resource,
            "access_logs",
            "enabled",
            true,
            "load balancer",
            Severity::Medium,
        ),
        "aws_cloudfront_distribution" => {
            block_present(ctx, resource, "logging_config", "cloudfront distribution")
        }
        "aws_api_gateway_stage" | "aws_apigatewayv2_stage" => {
            block_present(ctx, resource, "access_log_settings", "api gateway stage")
        }
        "google_compute_backend_service" => flag_in_block(
            ctx,
            resource,
            "log_config",
            "enable",
            false,
            "backend service",
            Severity::Medium,
        ),
        "azurerm_monitor_diagnostic_setting" => diagnostic_setting(ctx, resource),
        _ => {}
    }
}

fn unknown(ctx: &mut Context<'_>, resource: &Resource, value: ValueRef<'_>, path: &str) {
    if resource.change().is_none() {
        ctx.report_at(
            resource,
            value,
            format!("`{path}` is known only after apply, so access logging cannot be confirmed"),
        )
        .severity(Severity::Low);
    }
}

/// A block that must be present.
fn block_present(ctx: &mut Context<'_>, resource: &Resource, block: &str, what: &str) {
    let value = resource.values().get(block);
    if value.is_unknown() {
        return unknown(ctx, resource, value, block);
    }
    if resource.values().blocks(block).is_empty() {
        ctx.report(
            resource,
            format!("{what} does not log requests: no `{block}` block"),
        );
    }
}

/// A block whose flag must be true; `default` is the flag's value when the block omits it.
fn flag_in_block(
    ctx: &mut Context<'_>,
    resource: &Resource,
    block: &str,
    flag: &str,
    default: bool,
    what: &str,
    severity: Severity,
) {
    let value = resource.values().get(block);
    if value.is_unknown() {
        return unknown(ctx, resource, value, block);
    }
    let Some(first) = resource.values().blocks(block).next() else {
        ctx.report(
            resource,
            format!("{what} does not log requests: no `{block}` block with `{flag} = true`"),
        )
        .severity(severity);
        return;
    };
    let enabled = first.get(flag);
    let on = if enabled.is_null() {
        if default {
            Tri::Yes
        } else {
            Tri::No
        }
    } else {
        enabled.is_true()
    };
    match on {
        Tri::Yes => {}
        Tri::Unknown => unknown(ctx, resource, enabled, &format!("{block}.{flag}")),
        Tri::No => {
            let state = if enabled.is_null() {
                "is not set"
            } else {
                "is `false`"
            };
            ctx.report_at(
                resource,
                if enabled.is_null() { first } else { enabled },
                format!("{what} does not log requests: `{block}.{flag}` {state}"),
            )
            .severity(severity);
        }
    }
}

const ACCESS_CATEGORIES: &[&str] = &[
    "ApplicationGatewayAccessLog",
    "FrontDoorAccessLog",
    "FrontdoorAccessLog",
    "allLogs",
];

/// A diagnostic setting of an application gateway or Front Door must export its access log.
fn diagnostic_setting(ctx: &mut Context<'_>, resource: &Resource) {
    let model = ctx.model;
    let target = resource.values().get("target_resource_id");
    let targets = model.resources_of_types(&[
        "azurerm_application_gateway",
        "azurerm_frontdoor",
        "azurerm_cdn_frontdoor_profile",
    ]);
    let by_reference = targets.iter().any(|r| {
        resource
            .references_in("target_resource_id")
            .any(|reference| reference.points_at(resource, r))
    });
    let by_id = target.as_str().is_some_and(|id| {
        let id = id.to_ascii_lowercase();
        id.contains("/microsoft.network/applicationgateways/")
            || id.contains("/microsoft.network/frontdoors/")
            || id.contains("/microsoft.cdn/profiles/")
    });
    if !(by_reference || by_id) {
        return;
    }
    let v = resource.values();
    if v.get("enabled_log").is_unknown() || v.get("log").is_unknown() {
        return unknown(ctx, resource, v.get("enabled_log"), "enabled_log");
    }
    let exported = v
        .blocks("enabled_log")
        .chain(
            v.blocks("log")
                .filter(|l| l.get("enabled").as_bool() != Some(false)),
        )
        .any(|l| {
            ["category", "category_group"].iter().any(|k| {
                l.get(k)
                    .as_str()
                    .is_some_and(|c| ACCESS_CATEGORIES.iter().any(|a| a.eq_ignore_ascii_case(c)))
            })
        });
    if !exported {
        ctx.report(
            resource,
            "diagnostic setting of an application gateway or front door does not export its access log category",
        );
    }
}
