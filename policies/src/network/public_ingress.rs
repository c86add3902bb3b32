use super::rules::{
    is_network_acl, rules_in, Direction, Openness, Ports, Protocol, Rule, RULE_TYPES,
};
use crate::policy::Check;
use crate::{declare_policy, Context, Resource, Severity};

declare_policy! {
    /// ## What it checks
    /// Firewall rules that allow traffic in from the whole internet to a port outside an
    /// allowlist, and always to SSH, RDP or every port.
    ///
    /// The allowlist is 80 and 443 by default (`[policies] ingress-allowed-ports` in `guard.toml`).
    /// Port 22 (SSH), port 3389 (RDP), every port and every protocol are always reported, at
    /// critical severity, whatever the allowlist says. The same shapes as public-egress are read:
    /// the four AWS forms (inline `ingress` blocks of `aws_security_group` and
    /// `aws_default_security_group`, `aws_security_group_rule` with `type = "ingress"`,
    /// `aws_vpc_security_group_ingress_rule`), GCP `google_compute_firewall`
    /// (`direction = "INGRESS"`, the default) and Azure inbound `Allow` rules
    /// (`azurerm_network_security_rule` and inline `security_rule` blocks of
    /// `azurerm_network_security_group`; `source_address_prefixes` lists and the `Internet`, `*`
    /// and `0.0.0.0/0` sources). (`aws_vpc_security_group_egress_rule` is read too, and never
    /// allows ingress.) AWS network ACL entries are read as well: inline `ingress` blocks of
    /// `aws_network_acl` and `aws_default_network_acl`, and `aws_network_acl_rule` without
    /// `egress = true`, with `action`/`rule_action` `allow`; a network ACL is a stateless second
    /// layer behind security groups, so its findings are at most medium and say "network acl"
    /// (low for the ephemeral range, e.g. `tcp` 1024-65535, which a stateless filter must open
    /// for answers to outbound connections). Inline entries are read in `rule_no` order: an
    /// earlier `deny` from the whole internet (same protocol, or every protocol) takes its ports
    /// out of a later `allow`. Separate `aws_network_acl_rule` resources are weighed the same way
    /// against the rules of the same ACL and direction (`rule_number`, `rule_action`): the same
    /// ACL is the same referenced instance (`aws_network_acl.x["a"].id`, per `for_each` key) or
    /// the same known id; a rule whose ACL or direction is known only after apply is read alone.
    ///
    /// Every rule of a security group is checked: a `self = true` rule does not end the check
    /// (checkov stops at the first one and misses the rule after it). "The whole internet" is
    /// CIDR arithmetic over all blocks of a rule. A GCP ingress rule with no `source_ranges`,
    /// `source_tags` or `source_service_accounts` applies to every source and is reported. ICMP
    /// has no ports and is not reported. A source or port known only after apply is reported at
    /// medium severity and says so, unless the source's size is known: a block written as
    /// `"${chomp(data.http.my_ip.response_body)}/32"` is one host, a VPC's or subnet's own
    /// `cidr_block` at most a /16, a `cidrsubnet` of one smaller still; none is the internet.
    ///
    /// ## Why it matters
    /// SSH and RDP open to the internet are found by scanners within minutes and brute-forced for
    /// as long as they stay open. Databases, caches and admin consoles on their own ports are the
    /// usual source of data breaches from "temporary" rules.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   ingress {
    ///     self      = true
    ///     protocol  = "-1"
    ///     from_port = 0
    ///     to_port   = 0
    ///   }
    ///   ingress {
    ///     protocol    = "tcp"
    ///     from_port   = 22
    ///     to_port     = 22
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Reach instances through a bastion-free path (AWS SSM Session Manager, GCP IAP, Azure
    /// Bastion) or allow only known source ranges; put public services behind a load balancer on
    /// 80/443.
    ///
    /// ```hcl
    ///   ingress {
    ///     protocol    = "tcp"
    ///     from_port   = 22
    ///     to_port     = 22
    ///     cidr_blocks = ["203.0.113.0/24"] # the office VPN
    ///   }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html>
    /// - <https://cloud.google.com/iap/docs/using-tcp-forwarding>
    /// - <https://learn.microsoft.com/azure/bastion/bastion-overview>
    /// - <https://github.com/hashicorp/terraform-provider-google/issues/6789>
    pub static PUBLIC_INGRESS = {
        code: "NET002",
        name: "public-ingress",
        severity: High,
        inputs: Both,
        check: Check::Resources { types: RULE_TYPES, check },
    }
}

/// Ports reported whatever the allowlist says.
const ALWAYS: &[u32] = &[22, 3389];

/// How bad the traffic of a rule is if it comes from everywhere; `None` when it is allowed.
fn exposure(rule: &Rule<'_>, allowed: &[u16]) -> Option<Severity> {
    match (&rule.protocol, &rule.ports) {
        (Protocol::All, _) => Some(Severity::Critical),
        (Protocol::Icmp, _) => None,
        (Protocol::Other(_), _) => Some(Severity::High),
        (Protocol::Unknown, _) | (_, Ports::Unknown) => Some(Severity::Medium),
        (Protocol::Ported(_), Ports::All) => Some(Severity::Critical),
        (Protocol::Ported(_), Ports::Ranges(ranges)) => {
            let critical = ranges
                .iter()
                .any(|&(lo, hi)| ALWAYS.iter().any(|p| (lo..=hi).contains(p)));
            if critical {
                return Some(Severity::Critical);
            }
            let outside = ranges
                .iter()
                .any(|&(lo, hi)| (lo..=hi).any(|p| !allowed.iter().any(|&a| u32::from(a) == p)));
            outside.then_some(Severity::High)
        }
    }
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    // A network ACL is a second, stateless layer: security groups still decide. Its findings
    // are at most medium and say what they are.
    let acl = is_network_acl(resource.resource_type());
    let prefix = if acl { "network acl allows " } else { "" };
    for rule in rules_in(ctx.model, resource) {
        if rule.direction != Direction::Ingress {
            continue;
        }
        let Some(mut severity) = exposure(&rule, &ctx.settings.ingress_allowed_ports) else {
            continue;
        };
        if acl {
            severity = severity.min(Severity::Medium);
            // A stateless acl must let answers to outbound connections back in on the ephemeral
            // ports: 1024-65535 (or a narrower range ending at 65535) is that rule, not a listener;
            // so is what is left of it where an earlier deny takes a port out (3389).
            let ephemeral = matches!(&rule.ports, Ports::Ranges(r)
                if r.iter().all(|&(lo, _)| lo >= 1024)
                    && r.iter().map(|&(_, hi)| hi).max() == Some(65535));
            if ephemeral {
                severity = Severity::Low;
            }
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
                ctx.report_at(
                    resource,
                    at,
                    format!(
                        "{prefix}ingress from the whole internet {peers} to {traffic}; narrow `{attribute}` to the sources that need it"
                    ),
                )
                .severity(severity);
            }
            // Unknown only to guard (the module was not downloaded): the loader's warning says
            // so; not a finding.
            Openness::Unknown(at) if ctx.model.not_downloaded_source(at).is_some() => {}
            Openness::Unknown(at) if rule.rules_unknown => {
                ctx.report_at(
                    resource,
                    at,
                    format!(
                        "`{}` rules are known only after apply and may allow ingress from the whole internet",
                        rule.peer_attribute
                    ),
                )
                .severity(Severity::Medium);
            }
            Openness::Unknown(at) => {
                ctx.report_at(
                    resource,
                    at,
                    format!(
                        "ingress source `{}` is known only after apply and may be the whole internet, to {traffic}",
                        rule.peer_attribute
                    ),
                )
                .severity(Severity::Medium);
            }
            Openness::Closed => {}
        }
    }
}
