use super::rules::{is_network_acl, rules_in, Direction, Openness, RULE_TYPES};
use crate::policy::Check;
use crate::{declare_policy, Context, Resource, Severity};

declare_policy! {
    /// ## What it checks
    /// Firewall rules that allow traffic out to the whole internet.
    ///
    /// Covered: inline `egress` blocks of
    /// `aws_security_group` (including `dynamic "egress"`) and `aws_default_security_group`,
    /// `aws_security_group_rule` with
    /// `type = "egress"`, `aws_vpc_security_group_egress_rule` (also with `ip_protocol = "-1"` and
    /// no ports, and also when its security group is not in the scanned code), GCP
    /// `google_compute_firewall` with `direction = "EGRESS"` and an `allow`, and Azure outbound
    /// `Allow` rules (`azurerm_network_security_rule` and inline `security_rule` blocks of
    /// `azurerm_network_security_group`) whose destination is `*`, `Internet` or a CIDR set
    /// covering everything. (`aws_vpc_security_group_ingress_rule` is read too, and never
    /// allows egress.) AWS network ACL entries that allow egress to the whole internet (inline
    /// `egress` blocks of `aws_network_acl` and `aws_default_network_acl`, `aws_network_acl_rule`
    /// with `egress = true`) are reported at low severity: a network ACL is stateless, so a
    /// subnet that answers clients needs such an entry, and security groups still decide.
    ///
    /// "The whole internet" is decided by CIDR arithmetic over all blocks of a rule: `0.0.0.0/0`,
    /// `::/0`, `0:0:0:0:0:0:0:0/0` and `0.0.0.0/1` + `128.0.0.0/1` are all the same thing. All
    /// protocols and ports is high severity; egress limited to some ports (for example `tcp` 443
    /// for package mirrors) is medium. A destination known only after apply is reported at low
    /// severity and says so, unless its size is known: a block written as `"${...}/32"`, a VPC's
    /// or subnet's own `cidr_block` (at most a /16) or a `cidrsubnet` of one counts as that many
    /// addresses, which is not the internet. A GCP egress rule without `destination_ranges` applies to every
    /// destination, as the Compute API documents, and is reported.
    ///
    /// ## Why it matters
    /// Open egress is how a compromised workload sends data out and fetches its tooling. Security
    /// groups created by Terraform start with no egress at all; `0.0.0.0/0` on every port is almost
    /// always copied from an example rather than needed. The peers miss several of these shapes:
    /// checkov passes `ip_protocol = "-1"` rules and `dynamic "egress"` blocks, trivy drops rules
    /// whose security group is not in the scanned code.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_security_group_egress_rule" "all" {
    ///   security_group_id = "sg-0123456789abcdef0"
    ///   ip_protocol       = "-1"
    ///   cidr_ipv4         = "0.0.0.0/0"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Allow only the destinations and ports the workload needs: VPC endpoints or a prefix list for
    /// AWS services, a proxy or NAT with an allowlist for the internet.
    ///
    /// ```hcl
    /// resource "aws_vpc_security_group_egress_rule" "s3" {
    ///   security_group_id = aws_security_group.app.id
    ///   ip_protocol       = "tcp"
    ///   from_port         = 443
    ///   to_port           = 443
    ///   prefix_list_id    = data.aws_prefix_list.s3.id
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html>
    /// - <https://cloud.google.com/firewall/docs/firewalls#rule_assignment>
    /// - <https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview>
    /// - <https://github.com/hashicorp/terraform-provider-google/issues/6789>
    pub static PUBLIC_EGRESS = {
        code: "NET001",
        name: "public-egress",
        severity: High,
        inputs: Both,
        check: Check::Resources { types: RULE_TYPES, check },
    }
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    // A network ACL is stateless: a subnet that answers clients needs egress to the internet
    // on ephemeral ports, and security groups still decide. Its findings are low.
    let acl = is_network_acl(resource.resource_type());
    let prefix = if acl { "network acl allows " } else { "" };
    for rule in rules_in(ctx.model, resource) {
        if rule.direction != Direction::Egress {
            continue;
        }
        let traffic = rule.describe_traffic();
        match rule.openness() {
            Openness::World(at, peers) => {
                let attribute = rule.attribute_for(&peers);
                let peers = if peers.is_empty() {
                    format!("(no `{}`)", rule.peer_attribute)
                } else {
                    format!("(`{}`)", peers.join("`, `"))
                };
                let finding = ctx.report_at(
                    resource,
                    at,
                    format!(
                        "{prefix}egress to the whole internet {peers} on {traffic}; narrow `{attribute}` to the destinations it needs"
                    ),
                );
                if acl {
                    finding.severity(Severity::Low);
                } else if !rule.is_all_ports() {
                    finding.severity(Severity::Medium);
                }
            }
            // Unknown only to guard (the module was not downloaded): the loader's warning says
            // so; not a finding.
            Openness::Unknown(at) if ctx.model.not_downloaded_source(at).is_some() => {}
            Openness::Unknown(at) if rule.rules_unknown => {
                ctx.report_at(
                    resource,
                    at,
                    format!(
                        "`{}` rules are known only after apply and may allow egress to the whole internet",
                        rule.peer_attribute
                    ),
                )
                .severity(Severity::Low);
            }
            Openness::Unknown(at) => {
                ctx.report_at(
                    resource,
                    at,
                    format!(
                        "egress destination `{}` is known only after apply and may be the whole internet, on {traffic}",
                        rule.peer_attribute
                    ),
                )
                .severity(Severity::Low);
            }
            Openness::Closed => {}
        }
    }
}
