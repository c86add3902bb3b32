use crate::companion::{Companions, Coverage};
use crate::policy::Check;
use crate::{declare_policy, display_safe, Context, Resource, Severity, Tri, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Internet-facing entry points with no web application firewall in front of them.
    ///
    /// - `aws_lb` / `aws_alb` of type `application` (the default) that are not `internal` (the
    ///   default), with no `aws_wafv2_web_acl_association` (or WAF Classic
    ///   `aws_wafregional_web_acl_association`) whose `resource_arn` refers to it;
    /// - `aws_api_gateway_stage` of a REST API that is not `PRIVATE`, with no such association;
    /// - `aws_cloudfront_distribution` without `web_acl_id`;
    /// - `google_compute_backend_service` with an external `load_balancing_scheme` (`EXTERNAL`,
    ///   the default, or `EXTERNAL_MANAGED`) and no `security_policy` (Cloud Armor), and
    ///   `google_compute_region_backend_service` whose scheme is written as external;
    /// - `azurerm_application_gateway` with a public frontend IP on a sku tier other than `WAF`
    ///   or `WAF_v2` (only those run a firewall), or with neither a `firewall_policy_id` nor
    ///   `waf_configuration { enabled = true }`;
    /// - classic `azurerm_frontdoor` frontend endpoints without
    ///   `web_application_firewall_policy_link_id`, and `azurerm_cdn_frontdoor_profile` with no
    ///   `azurerm_cdn_frontdoor_security_policy` whose `cdn_frontdoor_profile_id` refers to it.
    ///
    /// A companion resource is matched to its target by the reference in its argument
    /// (`resource_arn = aws_lb.public.arn`, per `for_each` key), or in a plan by equal known
    /// values, so an association planned in the same change counts. When some association's
    /// target is known only after apply and cannot be traced (it comes through a module output,
    /// say), guard cannot tell whether it protects the entry point, and reports it at low
    /// severity naming that association. Network and gateway load balancers, HTTP and WebSocket
    /// APIs (`aws_apigatewayv2_stage`) are not covered: AWS WAF cannot be attached to them.
    ///
    /// Provider defaults checked against hashicorp/aws 5.x (`load_balancer_type = "application"`,
    /// `internal = false`), hashicorp/google 6.x (`load_balancing_scheme = "EXTERNAL"` for the
    /// global backend service, `INTERNAL` for the regional one) and hashicorp/azurerm 4.x.
    ///
    /// ## Why it matters
    /// A WAF is the layer that drops known exploit payloads (SQL injection, path traversal, log4j
    /// lookups), rate-limits credential stuffing and blocks abusive sources before they reach the
    /// application. Without one, every request from the internet reaches code that was never
    /// written to withstand it, and the first sign of an attack is the incident.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb" "public" {
    ///   name               = "web"
    ///   load_balancer_type = "application"
    ///   subnets            = var.public_subnets
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_wafv2_web_acl_association" "public" {
    ///   resource_arn = aws_lb.public.arn
    ///   web_acl_arn  = aws_wafv2_web_acl.main.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html>
    /// - <https://cloud.google.com/armor/docs/security-policy-overview>
    /// - <https://learn.microsoft.com/azure/web-application-firewall/overview>
    pub static WAF_MISSING = {
        code: "NET004",
        name: "waf-missing",
        severity: Medium,
        inputs: Both,
        check: Check::Model(check),
    }
}

const WAF_ASSOCIATIONS: &[&str] = &[
    "aws_wafv2_web_acl_association",
    "aws_wafregional_web_acl_association",
];
const FRONTDOOR_POLICY: &str = "azurerm_cdn_frontdoor_security_policy";

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let associations = Companions::of(model, WAF_ASSOCIATIONS, "resource_arn");
    let frontdoor_profiles = Companions::of(model, &[FRONTDOOR_POLICY], "cdn_frontdoor_profile_id");
    for resource in model.resources().iter().filter(|r| r.will_exist()) {
        match resource.resource_type() {
            "aws_lb" | "aws_alb" => aws_lb(ctx, resource, &associations),
            "aws_api_gateway_stage" => api_gateway_stage(ctx, resource, &associations),
            "aws_cloudfront_distribution" => {
                set_or_report(ctx, resource, "web_acl_id", "cloudfront distribution")
            }
            "google_compute_backend_service" | "google_compute_region_backend_service" => {
                backend_service(ctx, resource)
            }
            "azurerm_application_gateway" => application_gateway(ctx, resource),
            "azurerm_frontdoor" => classic_frontdoor(ctx, resource),
            "azurerm_cdn_frontdoor_profile" => {
                let coverage = frontdoor_profiles.coverage(resource, &["id"]);
                report_coverage(
                    ctx,
                    resource,
                    coverage,
                    FRONTDOOR_POLICY,
                    "front door profile",
                );
            }
            _ => {}
        }
    }
}

fn aws_lb(ctx: &mut Context<'_>, resource: &Resource, associations: &Companions<'_>) {
    let v = resource.values();
    let lb_type = v.get("load_balancer_type");
    match lb_type.as_str() {
        None if lb_type.is_null() => {}
        Some("application") => {}
        // Network and gateway load balancers cannot have a WAF.
        Some(_) => return,
        None => {
            ctx.report_at(
                resource,
                lb_type,
                "`load_balancer_type` is known only after apply, so whether this load balancer needs a waf cannot be told",
            )
            .severity(Severity::Low);
            return;
        }
    }
    let internal = v.get("internal");
    match internal.is_true() {
        Tri::Yes => return,
        // In a plan an unset `internal` is computed (unknown); it defaults to internet-facing.
        Tri::Unknown if resource.change().is_none() => {
            ctx.report_at(
                resource,
                internal,
                "`internal` is known only after apply, so whether this load balancer faces the internet cannot be told",
            )
            .severity(Severity::Low);
            return;
        }
        _ => {}
    }
    let coverage = associations.coverage(resource, &["arn", "id"]);
    report_coverage(
        ctx,
        resource,
        coverage,
        WAF_ASSOCIATIONS[0],
        "internet-facing application load balancer",
    );
}

fn api_gateway_stage(ctx: &mut Context<'_>, resource: &Resource, associations: &Companions<'_>) {
    // A stage of a private REST API is reachable only through VPC endpoints.
    let model = ctx.model;
    let private =
        model
            .resources_of_type("aws_api_gateway_rest_api")
            .any(|api| {
                (resource
                    .references_in("rest_api_id")
                    .any(|r| r.points_at(resource, api))
                    || api.values().get("id").as_str().is_some_and(|id| {
                        Some(id) == resource.values().get("rest_api_id").as_str()
                    }))
                    && api
                        .values()
                        .blocks("endpoint_configuration")
                        .iter()
                        .any(|c| c.get("types").strings().contains(&"PRIVATE"))
            });
    if private {
        return;
    }
    let coverage = associations.coverage(resource, &["arn"]);
    report_coverage(
        ctx,
        resource,
        coverage,
        WAF_ASSOCIATIONS[0],
        "api gateway stage",
    );
}

fn report_coverage(
    ctx: &mut Context<'_>,
    resource: &Resource,
    coverage: Coverage<'_>,
    companion: &str,
    what: &str,
) {
    match coverage {
        Coverage::Covered => {}
        Coverage::CannotTell(address) => {
            ctx.report(
                resource,
                format!(
                    "no web application firewall is known to protect this {what}: `{address}` may, but its target is known only after apply"
                ),
            )
            .severity(Severity::Low);
        }
        Coverage::Missing => {
            ctx.report(
                resource,
                format!("{what} has no web application firewall: no `{companion}` refers to it"),
            );
        }
    }
}

/// An argument that must name a WAF: unset or empty is a finding; known only after apply is
/// fine when it refers to a resource (a WAF created with it), else low.
fn set_or_report(ctx: &mut Context<'_>, resource: &Resource, attribute: &str, what: &str) {
    let value = resource.values().get(attribute);
    if value.is_unknown() {
        let refers = resource.references_in(attribute).next().is_some();
        if !refers && resource.change().is_none() {
            ctx.report_at(
                resource,
                value,
                format!("`{attribute}` is known only after apply, so the web application firewall of this {what} cannot be confirmed"),
            )
            .severity(Severity::Low);
        }
        return;
    }
    if value.as_str().is_none_or(str::is_empty) {
        ctx.report_at(
            resource,
            value,
            format!(
                "{what} has no web application firewall: `{attribute}` is {}",
                state(value)
            ),
        );
    }
}

fn state(value: ValueRef<'_>) -> String {
    if value.is_null() {
        "not set".to_string()
    } else {
        format!("`{}`", display_safe(value))
    }
}

fn backend_service(ctx: &mut Context<'_>, resource: &Resource) {
    let scheme = resource.values().get("load_balancing_scheme");
    let external = match scheme.as_str() {
        Some(s) => s.starts_with("EXTERNAL"),
        // The global backend service defaults to EXTERNAL, the regional one to INTERNAL.
        None if scheme.is_null() => resource.resource_type() == "google_compute_backend_service",
        None => {
            if resource.change().is_none() {
                ctx.report_at(
                    resource,
                    scheme,
                    "`load_balancing_scheme` is known only after apply, so whether this backend service faces the internet cannot be told",
                )
                .severity(Severity::Low);
            }
            return;
        }
    };
    if external {
        set_or_report(ctx, resource, "security_policy", "external backend service");
    }
}

fn application_gateway(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let frontends = v.blocks("frontend_ip_configuration");
    let public = frontends.iter().any(|f| {
        let ip = f.get("public_ip_address_id");
        !ip.is_null() && ip.as_str() != Some("")
    });
    if !public {
        return;
    }
    // Only the WAF and WAF_v2 tiers run a firewall; a policy on another tier does nothing.
    let tier = v.blocks("sku").first().map(|s| s.get("tier"));
    if let Some(tier) = tier.filter(|t| t.as_str().is_some_and(|t| !t.starts_with("WAF"))) {
        ctx.report_at(
            resource,
            tier,
            format!(
                "public application gateway has no web application firewall: sku tier `{}` does not run one (use `WAF_v2`)",
                display_safe(tier)
            ),
        );
        return;
    }
    let policy = v.get("firewall_policy_id");
    if !policy.is_null() && policy.as_str() != Some("") {
        return;
    }
    let waf = v.blocks("waf_configuration");
    match waf.first().map(|w| w.get("enabled")) {
        Some(enabled) if enabled.is_true() == Tri::Yes => {}
        Some(enabled) if enabled.is_unknown() => {
            if resource.change().is_none() {
                ctx.report_at(
                    resource,
                    enabled,
                    "`waf_configuration.enabled` is known only after apply, so the web application firewall cannot be confirmed",
                )
                .severity(Severity::Low);
            }
        }
        Some(enabled) => {
            ctx.report_at(
                resource,
                enabled,
                "public application gateway has its web application firewall turned off: `waf_configuration.enabled` is `false` and no `firewall_policy_id` is set",
            );
        }
        None => {
            ctx.report(
                resource,
                "public application gateway has no web application firewall: neither `firewall_policy_id` nor `waf_configuration` is set",
            );
        }
    }
}

fn classic_frontdoor(ctx: &mut Context<'_>, resource: &Resource) {
    for endpoint in resource.values().blocks("frontend_endpoint") {
        let link = endpoint.get("web_application_firewall_policy_link_id");
        if link.is_unknown() || link.as_str().is_some_and(|s| !s.is_empty()) {
            continue;
        }
        let name = endpoint
            .get("name")
            .as_str()
            .map(|n| format!(" `{n}`"))
            .unwrap_or_default();
        ctx.report_at(
            resource,
            endpoint,
            format!("front door frontend endpoint{name} has no web application firewall: `web_application_firewall_policy_link_id` is not set"),
        );
    }
}
