use crate::companion::{Companions, Coverage};
use crate::policy::Check;
use crate::{declare_policy, display_safe, Context, Resource, Severity};

declare_policy! {
    /// ## What it checks
    /// Networks whose traffic is not recorded by flow logs.
    ///
    /// - `aws_vpc` with no `aws_flow_log` whose `vpc_id` refers to it;
    /// - `google_compute_subnetwork` without a `log_config` block (subnetworks whose `purpose` is
    ///   not `PRIVATE`, such as proxy-only and Private Service Connect subnets, cannot log flows
    ///   and are skipped);
    /// - `azurerm_network_security_group` with no `azurerm_network_watcher_flow_log` whose
    ///   `network_security_group_id` or `target_resource_id` refers to it, or only with one that
    ///   has `enabled = false`.
    ///
    /// The flow log is matched to its network by the reference in its argument
    /// (`vpc_id = aws_vpc.main.id`, per `for_each` key), or in a plan by equal known ids, so a
    /// flow log planned in the same change counts. When some flow log's target is known only
    /// after apply and cannot be traced (it comes through a module output, say), the finding is
    /// low and names that flow log. A `log_config` known only after apply is reported at low
    /// severity in source, and accepted in a plan.
    ///
    /// Checked against hashicorp/aws 5.x, hashicorp/google 6.x (`purpose` defaults to
    /// `PRIVATE`) and hashicorp/azurerm 4.x.
    ///
    /// ## Why it matters
    /// Flow logs are the record of who talked to what: without them, an investigation cannot
    /// tell which hosts a compromised instance reached, whether data left the network, or when
    /// a scan began. They cannot be turned on retroactively for traffic that already happened.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc" "main" {
    ///   cidr_block = "10.0.0.0/16"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_flow_log" "main" {
    ///   vpc_id          = aws_vpc.main.id
    ///   traffic_type    = "ALL"
    ///   log_destination = aws_cloudwatch_log_group.flow.arn
    ///   iam_role_arn    = aws_iam_role.flow.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html>
    /// - <https://cloud.google.com/vpc/docs/flow-logs>
    /// - <https://learn.microsoft.com/azure/network-watcher/nsg-flow-logs-overview>
    pub static FLOW_LOGS_MISSING = {
        code: "LOG002",
        name: "flow-logs-missing",
        severity: Medium,
        inputs: Both,
        check: Check::Model(check),
    }
}

const AWS_FLOW_LOG: &str = "aws_flow_log";
const AZURE_FLOW_LOG: &str = "azurerm_network_watcher_flow_log";

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let aws = Companions::of(model, &[AWS_FLOW_LOG], "vpc_id");
    let enabled = |r: &Resource| r.values().get("enabled").as_bool() != Some(false);
    let azure_nsg =
        Companions::of(model, &[AZURE_FLOW_LOG], "network_security_group_id").retain(enabled);
    let azure_target =
        Companions::of(model, &[AZURE_FLOW_LOG], "target_resource_id").retain(enabled);
    for resource in model.resources().iter().filter(|r| r.will_exist()) {
        match resource.resource_type() {
            "aws_vpc" => {
                let coverage = aws.coverage(resource, &["id"]);
                report(ctx, resource, coverage, &format!("`{AWS_FLOW_LOG}`"), "vpc");
            }
            "azurerm_network_security_group" => {
                let coverage = azure_nsg
                    .coverage(resource, &["id"])
                    .or(azure_target.coverage(resource, &["id"]));
                report(
                    ctx,
                    resource,
                    coverage,
                    &format!("`{AZURE_FLOW_LOG}` with `enabled = true`"),
                    "network security group",
                );
            }
            "google_compute_subnetwork" => subnetwork(ctx, resource),
            _ => {}
        }
    }
}

fn report(
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
                format!("no flow log is known to record this {what}: `{address}` may, but its target is known only after apply"),
            )
            .severity(Severity::Low);
        }
        Coverage::Missing => {
            ctx.report(
                resource,
                format!("{what} traffic is not recorded: no {companion} refers to it"),
            );
        }
    }
}

fn subnetwork(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let purpose = v.get("purpose");
    match purpose.as_str() {
        None | Some("PRIVATE") | Some("PRIVATE_RFC_1918") => {}
        // Proxy-only, Private Service Connect and NAT subnets carry no VM traffic to log.
        Some(_) => return,
    }
    let log_config = v.get("log_config");
    if log_config.is_unknown() {
        if resource.change().is_none() {
            ctx.report_at(
                resource,
                log_config,
                "`log_config` is known only after apply, so flow logging of this subnetwork cannot be confirmed",
            )
            .severity(Severity::Low);
        }
        return;
    }
    if v.blocks("log_config").is_empty() {
        let purpose = if purpose.is_null() {
            String::new()
        } else {
            format!(" (purpose `{}`)", display_safe(purpose))
        };
        ctx.report(
            resource,
            format!("subnetwork{purpose} traffic is not recorded: no `log_config` block"),
        );
    }
}
