//! One shape for every firewall rule guard understands.
//!
//! AWS alone writes a rule four ways (inline `ingress`/`egress` blocks in `aws_security_group`,
//! `aws_security_group_rule`, and the two `aws_vpc_security_group_*_rule` resources); GCP and Azure
//! add theirs. Each resource becomes a list of [`Rule`]s (direction, peers, protocol, ports), so
//! public-egress and public-ingress decide on one shape. Every rule of a group is looked at: a
//! `self = true` rule says nothing about its neighbours (checkov stops at the first one).
//!
//! A rule whose group is not in the scanned code (`security_group_id = "sg-123"`) is still a rule:
//! it is checked on its own.

use super::cidr;
use crate::model::Model;
use crate::value::bounded_block_prefix;
use crate::{display_safe, Resource, Tri, ValueKind, ValueRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ingress,
    Egress,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    /// `-1`, `all`, `*`: every protocol and port.
    All,
    /// A protocol with ports (`tcp`, `udp`, `sctp`).
    Ported(String),
    /// ICMP and ICMPv6: no ports.
    Icmp,
    /// Any other protocol number or name (`gre`, `50`), which has no ports.
    Other(String),
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ports {
    All,
    /// Inclusive ranges.
    Ranges(Vec<(u32, u32)>),
    Unknown,
}

/// A rule that allows traffic.
#[derive(Debug)]
pub struct Rule<'a> {
    pub direction: Direction,
    /// The attribute that names the peers, for messages (`cidr_blocks`, `source_ranges`).
    pub peer_attribute: &'static str,
    /// Peer strings and unknowns: CIDRs, Azure tags (`*`, `Internet`).
    pub peers: Vec<ValueRef<'a>>,
    /// Set when the list of peers itself is unknown.
    pub peers_unknown: bool,
    /// No peer written means everyone (GCP firewalls without sources or destinations).
    pub default_world: bool,
    /// What to point at when the peers say nothing (the rule's block or the resource).
    pub anchor: ValueRef<'a>,
    pub protocol: Protocol,
    pub ports: Ports,
    /// The whole list of rules is unknown (a `dynamic` block over an unknown value).
    pub rules_unknown: bool,
}

impl Rule<'_> {
    /// The attribute to narrow, for a message's advice: the IPv6 attribute when every peer
    /// open to the world is an IPv6 range (`::/0` in `ipv6_cidr_blocks`, not `cidr_blocks`).
    pub fn attribute_for(&self, peers: &[String]) -> &'static str {
        let v6 = !peers.is_empty() && peers.iter().all(|p| p.contains(':'));
        match (self.peer_attribute, v6) {
            ("cidr_blocks", true) => "ipv6_cidr_blocks",
            ("cidr_block", true) => "ipv6_cidr_block",
            ("cidr_ipv4", true) => "cidr_ipv6",
            (attribute, _) => attribute,
        }
    }
}

/// Whether a rule's peers are the whole internet.
#[derive(Debug)]
pub enum Openness<'a> {
    /// The peers cover everything; the value to point at and the peers to name.
    World(ValueRef<'a>, Vec<String>),
    /// Some peer is unknown and the known ones do not cover everything.
    Unknown(ValueRef<'a>),
    Closed,
}

impl<'a> Rule<'a> {
    pub fn openness(&self) -> Openness<'a> {
        if self.default_world {
            return Openness::World(self.anchor, Vec::new());
        }
        let mut known: Vec<&str> = Vec::new();
        let mut unknown: Option<ValueRef<'a>> = None;
        // Blocks whose address is known only after apply but whose size is bounded: a /32 of
        // an unknown address is one host, a VPC's own range at most a /16.
        let mut bounded: Vec<(u32, ValueRef<'a>)> = Vec::new();
        for peer in &self.peers {
            match peer.kind() {
                ValueKind::String(s) if is_azure_everyone(s) => {
                    return Openness::World(*peer, vec![display_safe(peer)]);
                }
                ValueKind::String(s) => match bounded_block_prefix(s) {
                    Some(prefix) => bounded.push((prefix, *peer)),
                    None => known.push(s),
                },
                ValueKind::Unknown => unknown = unknown.or(Some(*peer)),
                _ => {}
            }
        }
        if cidr::covers_everything(known.iter().copied()) {
            // Point at a block that alone is everything; else at the first of the set.
            let world: Vec<ValueRef<'a>> = self
                .peers
                .iter()
                .copied()
                .filter(|p| p.as_str().is_some_and(|s| cidr::covers_everything([s])))
                .collect();
            let named: Vec<ValueRef<'a>> = if world.is_empty() {
                self.peers
                    .iter()
                    .copied()
                    .filter(|p| p.as_str().is_some_and(|s| cidr::parse(s).is_some()))
                    .collect()
            } else {
                world
            };
            let anchor = named.first().copied().unwrap_or(self.anchor);
            let names = named.iter().take(4).map(display_safe).collect();
            return Openness::World(anchor, names);
        }
        let prefixes: Vec<u32> = bounded.iter().map(|(p, _)| *p).collect();
        if !bounded.is_empty() && cidr::may_cover_everything(known.iter().copied(), &prefixes) {
            unknown = unknown.or(Some(bounded[0].1));
        }
        if self.peers_unknown {
            return Openness::Unknown(unknown.unwrap_or(self.anchor));
        }
        match unknown {
            Some(peer) => Openness::Unknown(peer),
            None => Openness::Closed,
        }
    }

    /// `all protocols and ports`, `` `tcp` port `22` ``, `` all `udp` ports ``.
    pub fn describe_traffic(&self) -> String {
        match (&self.protocol, &self.ports) {
            (Protocol::All, _) => "all protocols and ports".to_string(),
            (Protocol::Unknown, _) => "a protocol known only after apply".to_string(),
            (Protocol::Icmp, _) => "`icmp`".to_string(),
            (Protocol::Other(p), _) => format!("protocol `{p}`"),
            (Protocol::Ported(p), Ports::All) => format!("all `{p}` ports"),
            (Protocol::Ported(p), Ports::Unknown) => {
                format!("`{p}` ports known only after apply")
            }
            (Protocol::Ported(p), Ports::Ranges(ranges)) => {
                let list: Vec<String> = ranges
                    .iter()
                    .map(|(lo, hi)| {
                        if lo == hi {
                            format!("`{lo}`")
                        } else {
                            format!("`{lo}-{hi}`")
                        }
                    })
                    .collect();
                let noun = if ranges.len() == 1 && ranges[0].0 == ranges[0].1 {
                    "port"
                } else {
                    "ports"
                };
                format!("`{p}` {noun} {}", list.join(", "))
            }
        }
    }

    /// True when the traffic includes every port of every protocol, or every port of one.
    pub fn is_all_ports(&self) -> bool {
        matches!(self.protocol, Protocol::All)
            || matches!(
                (&self.protocol, &self.ports),
                (Protocol::Ported(_), Ports::All)
            )
    }
}

fn is_azure_everyone(s: &str) -> bool {
    let s = s.trim();
    s == "*" || s.eq_ignore_ascii_case("internet") || s.eq_ignore_ascii_case("any")
}

/// Resource types that carry rules, for the policies' type lists.
pub const RULE_TYPES: &[&str] = &[
    "aws_security_group",
    "aws_default_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "google_compute_firewall",
    "azurerm_network_security_rule",
    "azurerm_network_security_group",
    "aws_network_acl",
    "aws_default_network_acl",
    "aws_network_acl_rule",
];

/// Network ACLs: stateless subnet filters behind which security groups still apply, so the
/// policies report their rules at a lower severity.
pub fn is_network_acl(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "aws_network_acl" | "aws_default_network_acl" | "aws_network_acl_rule"
    )
}

/// The allowing rules a resource declares.
pub fn rules_of(resource: &Resource) -> Vec<Rule<'_>> {
    let v = resource.values();
    let mut out = Vec::new();
    match resource.resource_type() {
        "aws_security_group" | "aws_default_security_group" => {
            for (key, direction) in [
                ("ingress", Direction::Ingress),
                ("egress", Direction::Egress),
            ] {
                let blocks = v.get(key);
                if blocks.is_unknown() {
                    // The whole list of rules is unknown (a `dynamic` block over an unknown value).
                    out.push(Rule {
                        direction,
                        peer_attribute: if direction == Direction::Ingress {
                            "ingress"
                        } else {
                            "egress"
                        },
                        peers: Vec::new(),
                        peers_unknown: true,
                        default_world: false,
                        anchor: blocks,
                        protocol: Protocol::Unknown,
                        ports: Ports::Unknown,
                        rules_unknown: true,
                    });
                    continue;
                }
                for block in v.blocks(key) {
                    out.push(aws_rule(block, direction, "protocol"));
                }
            }
        }
        "aws_security_group_rule" => {
            let direction = match v.get("type").as_str() {
                Some("ingress") => Direction::Ingress,
                Some("egress") => Direction::Egress,
                // An unknown type: the rule is checked both ways, and each says what it knows.
                _ if v.get("type").is_unknown() => {
                    out.push(aws_rule(v, Direction::Ingress, "protocol"));
                    Direction::Egress
                }
                _ => return out,
            };
            out.push(aws_rule(v, direction, "protocol"));
        }
        "aws_vpc_security_group_ingress_rule" => {
            out.push(aws_vpc_rule(v, Direction::Ingress));
        }
        "aws_vpc_security_group_egress_rule" => {
            out.push(aws_vpc_rule(v, Direction::Egress));
        }
        "aws_network_acl" | "aws_default_network_acl" => {
            for (key, direction) in [
                ("ingress", Direction::Ingress),
                ("egress", Direction::Egress),
            ] {
                let blocks = v.get(key);
                if blocks.is_unknown() {
                    out.push(Rule {
                        direction,
                        peer_attribute: if direction == Direction::Ingress {
                            "ingress"
                        } else {
                            "egress"
                        },
                        peers: Vec::new(),
                        peers_unknown: true,
                        default_world: false,
                        anchor: blocks,
                        protocol: Protocol::Unknown,
                        ports: Ports::Unknown,
                        rules_unknown: true,
                    });
                    continue;
                }
                let entries = v.blocks(key);
                for block in entries.iter() {
                    if let Some(mut rule) = acl_rule(block, direction, "action") {
                        subtract_earlier_denies(&mut rule, block, entries.iter(), INLINE_ENTRY);
                        if !matches!(&rule.ports, Ports::Ranges(r) if r.is_empty()) {
                            out.push(rule);
                        }
                    }
                }
            }
        }
        "aws_network_acl_rule" => {
            let egress = v.get("egress");
            match egress.is_true() {
                Tri::Yes => out.extend(acl_rule(v, Direction::Egress, "rule_action")),
                // An unknown direction: checked both ways, and each says what it knows.
                Tri::Unknown => {
                    out.extend(acl_rule(v, Direction::Ingress, "rule_action"));
                    out.extend(acl_rule(v, Direction::Egress, "rule_action"));
                }
                // `egress` defaults to false.
                Tri::No => out.extend(acl_rule(v, Direction::Ingress, "rule_action")),
            }
        }
        "google_compute_firewall" => gcp_rules(v, &mut out),
        "azurerm_network_security_rule" => {
            if let Some(rule) = azure_rule(v) {
                out.push(rule);
            }
        }
        "azurerm_network_security_group" => {
            for block in v.blocks("security_rule") {
                if let Some(rule) = azure_rule(block) {
                    out.push(rule);
                }
            }
        }
        _ => {}
    }
    out
}

/// Pushes the items of a string-or-list attribute; returns true when the attribute is unknown.
fn push_peers<'a>(value: ValueRef<'a>, peers: &mut Vec<ValueRef<'a>>) -> bool {
    match value.kind() {
        // Kept as a peer so the finding can say where the unknown came from.
        ValueKind::Unknown => {
            peers.push(value);
            true
        }
        ValueKind::List(items) => {
            peers.extend(items.iter());
            false
        }
        ValueKind::String(_) => {
            peers.push(value);
            false
        }
        _ => false,
    }
}

fn protocol_of(value: ValueRef<'_>) -> Protocol {
    let text = match value.kind() {
        ValueKind::Unknown => return Protocol::Unknown,
        // Not set: AWS and Azure require it; treat a missing protocol as every protocol.
        ValueKind::Null => return Protocol::All,
        ValueKind::Number(n) => crate::value::format_number(n),
        ValueKind::String(s) => s.trim().to_ascii_lowercase(),
        _ => return Protocol::Unknown,
    };
    match text.as_str() {
        "-1" | "all" | "*" => Protocol::All,
        "tcp" | "6" => Protocol::Ported("tcp".into()),
        "udp" | "17" => Protocol::Ported("udp".into()),
        "sctp" | "132" => Protocol::Ported("sctp".into()),
        "icmp" | "1" | "icmpv6" | "58" => Protocol::Icmp,
        _ => Protocol::Other(text),
    }
}

/// AWS ports: `from_port`/`to_port`, where `-1` or `0..65535` means all.
fn aws_ports(from: ValueRef<'_>, to: ValueRef<'_>) -> Ports {
    if from.is_unknown() || to.is_unknown() {
        return Ports::Unknown;
    }
    match (from.as_f64(), to.as_f64()) {
        (None, None) => Ports::All,
        (Some(f), Some(t)) if f < 0.0 || t < 0.0 => Ports::All,
        (Some(f), Some(t)) if f <= 0.0 && t >= 65535.0 => Ports::All,
        (Some(f), Some(t)) => Ports::Ranges(vec![(f as u32, t.max(f) as u32)]),
        (Some(p), None) | (None, Some(p)) => Ports::Ranges(vec![(p as u32, p as u32)]),
    }
}

fn aws_rule<'a>(block: ValueRef<'a>, direction: Direction, protocol_key: &str) -> Rule<'a> {
    let mut peers = Vec::new();
    let mut peers_unknown = push_peers(block.get("cidr_blocks"), &mut peers);
    peers_unknown |= push_peers(block.get("ipv6_cidr_blocks"), &mut peers);
    let protocol = protocol_of(block.get(protocol_key));
    let ports = aws_ports(block.get("from_port"), block.get("to_port"));
    let anchor = if block.has("cidr_blocks") {
        block.get("cidr_blocks")
    } else {
        block
    };
    Rule {
        direction,
        peer_attribute: "cidr_blocks",
        peers,
        peers_unknown,
        default_world: false,
        anchor,
        protocol,
        ports,
        rules_unknown: false,
    }
}

fn aws_vpc_rule(v: ValueRef<'_>, direction: Direction) -> Rule<'_> {
    let mut peers = Vec::new();
    let mut peers_unknown = push_peers(v.get("cidr_ipv4"), &mut peers);
    peers_unknown |= push_peers(v.get("cidr_ipv6"), &mut peers);
    let protocol = protocol_of(v.get("ip_protocol"));
    let ports = aws_ports(v.get("from_port"), v.get("to_port"));
    Rule {
        direction,
        peer_attribute: if v.has("cidr_ipv6") && !v.has("cidr_ipv4") {
            "cidr_ipv6"
        } else {
            "cidr_ipv4"
        },
        peers,
        peers_unknown,
        default_world: false,
        anchor: v,
        protocol,
        ports,
        rules_unknown: false,
    }
}

/// An AWS network ACL entry that allows traffic: `cidr_block` / `ipv6_cidr_block`, a protocol
/// (`-1` or `all` for everything) and `from_port`/`to_port`. Deny entries allow nothing; the
/// order of entries (`rule_no`) is not weighed, so an allow behind a broader deny is still read.
fn acl_rule<'a>(block: ValueRef<'a>, direction: Direction, action_key: &str) -> Option<Rule<'a>> {
    if block
        .get(action_key)
        .as_str()
        .is_some_and(|a| a.eq_ignore_ascii_case("deny"))
    {
        return None;
    }
    let mut peers = Vec::new();
    let mut peers_unknown = push_peers(block.get("cidr_block"), &mut peers);
    peers_unknown |= push_peers(block.get("ipv6_cidr_block"), &mut peers);
    let anchor = if block.get("cidr_block").is_null() {
        block
    } else {
        block.get("cidr_block")
    };
    Some(Rule {
        direction,
        peer_attribute: if block.get("cidr_block").is_null()
            && !block.get("ipv6_cidr_block").is_null()
        {
            "ipv6_cidr_block"
        } else {
            "cidr_block"
        },
        peers,
        peers_unknown,
        default_world: false,
        anchor,
        protocol: protocol_of(block.get("protocol")),
        ports: aws_ports(block.get("from_port"), block.get("to_port")),
        rules_unknown: false,
    })
}

/// How an ACL entry names its number and action: inline blocks (`rule_no`, `action`) and
/// `aws_network_acl_rule` resources (`rule_number`, `rule_action`).
struct EntryKeys {
    number: &'static str,
    action: &'static str,
}

const INLINE_ENTRY: EntryKeys = EntryKeys {
    number: "rule_no",
    action: "action",
};

const RULE_RESOURCE: EntryKeys = EntryKeys {
    number: "rule_number",
    action: "rule_action",
};

/// The allowing rules a resource declares, with what its siblings in the model change: an
/// `aws_network_acl_rule` is weighed against the other rules of the same ACL and direction, as
/// inline entries are, so a `deny` at a lower `rule_number` takes its ports out of a later allow.
pub fn rules_in<'m>(model: &'m Model, resource: &'m Resource) -> Vec<Rule<'m>> {
    let mut rules = rules_of(resource);
    if resource.resource_type() != "aws_network_acl_rule" {
        return rules;
    }
    let v = resource.values();
    let direction = match v.get("egress").is_true() {
        Tri::Yes => Direction::Egress,
        Tri::No => Direction::Ingress,
        // Which rules it is weighed against is not known: it stands on its own.
        Tri::Unknown => return rules,
    };
    let siblings: Vec<ValueRef<'m>> = model
        .resources()
        .iter()
        .filter(|other| {
            other.resource_type() == "aws_network_acl_rule"
                && other.will_exist()
                && !std::ptr::eq(*other, resource)
                && other.values().get("egress").is_true()
                    == if direction == Direction::Egress {
                        Tri::Yes
                    } else {
                        Tri::No
                    }
                && same_acl(resource, other)
        })
        .map(|other| other.values())
        .collect();
    if siblings.is_empty() {
        return rules;
    }
    for rule in &mut rules {
        subtract_earlier_denies(rule, v, siblings.iter().copied(), RULE_RESOURCE);
    }
    rules.retain(|rule| !matches!(&rule.ports, Ports::Ranges(r) if r.is_empty()));
    rules
}

/// Whether two `aws_network_acl_rule`s certainly belong to one ACL: `network_acl_id` refers to
/// the same instance (`aws_network_acl.x["a"].id`), or is the same known id. A reference whose
/// index is known only after apply, or an id that is a stand-in for one known after apply, may
/// be any ACL: not the same, so no deny is taken on trust.
fn same_acl(a: &Resource, b: &Resource) -> bool {
    let instance = |r: &Resource| {
        let mut refs = r.references_in("network_acl_id");
        let first = refs.next()?;
        // More than one ACL in one argument (a conditional): not certain.
        match refs.next() {
            Some(_) => None,
            None => first.instance.clone(),
        }
    };
    if let (Some(x), Some(y)) = (instance(a), instance(b)) {
        return x == y;
    }
    let id = |r: &Resource| {
        r.values()
            .get("network_acl_id")
            .as_str()
            .filter(|s| !s.is_empty() && !crate::value::is_managed_identity_stand_in(s))
            .map(str::to_string)
    };
    matches!((id(a), id(b)), (Some(x), Some(y)) if x == y)
}

/// Entries of one ACL are evaluated in `rule_no` order and the first match wins: the ports of
/// an earlier `deny` from the whole internet (same address family, same protocol or every
/// protocol) are taken out of a later `allow` from the whole internet.
fn subtract_earlier_denies<'v>(
    rule: &mut Rule<'_>,
    allow: ValueRef<'_>,
    entries: impl IntoIterator<Item = ValueRef<'v>>,
    keys: EntryKeys,
) {
    let Some(number) = allow.get(keys.number).as_f64() else {
        return;
    };
    let world_family = |entry: ValueRef<'_>| -> Option<bool> {
        let v4 = entry.get("cidr_block").as_str().filter(|c| !c.is_empty());
        let v6 = entry
            .get("ipv6_cidr_block")
            .as_str()
            .filter(|c| !c.is_empty());
        match (v4, v6) {
            (Some(c), None) if cidr::covers_everything([c]) => Some(false),
            (None, Some(c)) if cidr::covers_everything([c]) => Some(true),
            _ => None,
        }
    };
    let Some(family) = world_family(allow) else {
        return;
    };
    for deny in entries {
        let earlier = deny.get(keys.number).as_f64().is_some_and(|n| n < number);
        let is_deny = deny
            .get(keys.action)
            .as_str()
            .is_some_and(|a| a.eq_ignore_ascii_case("deny"));
        if !earlier || !is_deny || world_family(deny) != Some(family) {
            continue;
        }
        let denied = match (protocol_of(deny.get("protocol")), &rule.protocol) {
            (Protocol::All, _) => Ports::All,
            (Protocol::Ported(d), Protocol::Ported(a)) if d == *a => {
                aws_ports(deny.get("from_port"), deny.get("to_port"))
            }
            _ => continue,
        };
        rule.ports = subtract_ports(&rule.ports, &denied);
    }
}

fn subtract_ports(allowed: &Ports, denied: &Ports) -> Ports {
    let allowed = match allowed {
        Ports::All => vec![(0, 65535)],
        Ports::Ranges(r) => r.clone(),
        Ports::Unknown => return Ports::Unknown,
    };
    let denied = match denied {
        Ports::All => return Ports::Ranges(Vec::new()),
        Ports::Ranges(r) => r,
        Ports::Unknown => return Ports::Ranges(allowed),
    };
    let mut left = allowed;
    for &(dlo, dhi) in denied {
        let mut next = Vec::new();
        for (lo, hi) in left {
            if dhi < lo || dlo > hi {
                next.push((lo, hi));
                continue;
            }
            if lo < dlo {
                next.push((lo, dlo - 1));
            }
            if hi > dhi {
                next.push((dhi + 1, hi));
            }
        }
        left = next;
    }
    if left.is_empty() {
        Ports::Ranges(left)
    } else {
        normalise(left)
    }
}

/// GCP: one rule per `allow` entry. A firewall with no ranges, tags or service accounts applies
/// to every source (ingress) or destination (egress), as the Compute API documents.
fn gcp_rules<'a>(v: ValueRef<'a>, out: &mut Vec<Rule<'a>>) {
    if v.get("disabled").is_true().is_yes() {
        return;
    }
    let direction = match v.get("direction").as_str().map(str::to_ascii_uppercase) {
        Some(d) if d == "EGRESS" => Direction::Egress,
        _ => Direction::Ingress,
    };
    let (peer_attribute, ranges) = match direction {
        Direction::Ingress => ("source_ranges", v.get("source_ranges")),
        Direction::Egress => ("destination_ranges", v.get("destination_ranges")),
    };
    let mut peers = Vec::new();
    let peers_unknown = push_peers(ranges, &mut peers);
    let other_sources = direction == Direction::Ingress
        && ["source_tags", "source_service_accounts"]
            .iter()
            .any(|k| !v.get(k).as_list().is_empty() || v.get(k).is_unknown());
    let default_world = !peers_unknown && peers.is_empty() && !other_sources;
    let allows = v.get("allow");
    if allows.is_unknown() {
        out.push(Rule {
            direction,
            peer_attribute,
            peers: peers.clone(),
            peers_unknown,
            default_world,
            anchor: if ranges.is_null() { v } else { ranges },
            protocol: Protocol::Unknown,
            ports: Ports::Unknown,
            rules_unknown: false,
        });
        return;
    }
    for allow in v.blocks("allow") {
        let protocol = protocol_of(allow.get("protocol"));
        let ports = gcp_ports(allow.get("ports"));
        out.push(Rule {
            direction,
            peer_attribute,
            peers: peers.clone(),
            peers_unknown,
            default_world,
            anchor: if ranges.is_null() { v } else { ranges },
            protocol,
            ports,
            rules_unknown: false,
        });
    }
}

/// `["22", "8000-8080"]`; no ports means every port of the protocol.
fn gcp_ports(value: ValueRef<'_>) -> Ports {
    if value.contains_unknown() {
        return Ports::Unknown;
    }
    let mut ranges = Vec::new();
    for text in value.strings() {
        match parse_port_range(text) {
            Some(PortText::All) => return Ports::All,
            Some(PortText::Range(lo, hi)) => ranges.push((lo, hi)),
            None => return Ports::Unknown,
        }
    }
    if ranges.is_empty() {
        Ports::All
    } else {
        normalise(ranges)
    }
}

enum PortText {
    All,
    Range(u32, u32),
}

fn parse_port_range(text: &str) -> Option<PortText> {
    let text = text.trim();
    if text == "*" {
        return Some(PortText::All);
    }
    let (lo, hi) = match text.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let p = text.parse().ok()?;
            (p, p)
        }
    };
    Some(PortText::Range(lo, hi))
}

fn normalise(ranges: Vec<(u32, u32)>) -> Ports {
    if ranges.iter().any(|&(lo, hi)| lo <= 1 && hi >= 65535) {
        Ports::All
    } else {
        Ports::Ranges(ranges)
    }
}

/// Azure: `Allow` rules only; the peer is the source for inbound and the destination for outbound.
fn azure_rule(v: ValueRef<'_>) -> Option<Rule<'_>> {
    let access = v.get("access");
    if access
        .as_str()
        .is_some_and(|a| a.eq_ignore_ascii_case("deny"))
    {
        return None;
    }
    let direction = match v.get("direction").as_str() {
        Some(d) if d.eq_ignore_ascii_case("inbound") => Direction::Ingress,
        Some(d) if d.eq_ignore_ascii_case("outbound") => Direction::Egress,
        _ => return None,
    };
    let (peer_attribute, single, plural) = match direction {
        Direction::Ingress => (
            "source_address_prefix",
            v.get("source_address_prefix"),
            v.get("source_address_prefixes"),
        ),
        Direction::Egress => (
            "destination_address_prefix",
            v.get("destination_address_prefix"),
            v.get("destination_address_prefixes"),
        ),
    };
    let mut peers = Vec::new();
    let mut peers_unknown = push_peers(single, &mut peers);
    peers_unknown |= push_peers(plural, &mut peers);
    // An unknown `access` is reported as what it might be: an allow.
    let mut ranges = Vec::new();
    let mut ports = None;
    for key in ["destination_port_range", "destination_port_ranges"] {
        let value = v.get(key);
        if value.contains_unknown() {
            ports = Some(Ports::Unknown);
        }
        for text in value.strings() {
            match parse_port_range(text) {
                Some(PortText::All) => ports = Some(Ports::All),
                Some(PortText::Range(lo, hi)) => ranges.push((lo, hi)),
                None => ports = Some(Ports::Unknown),
            }
        }
    }
    let ports = match ports {
        Some(p) => p,
        None if ranges.is_empty() => Ports::All,
        None => normalise(ranges),
    };
    Some(Rule {
        direction,
        peer_attribute,
        peers,
        peers_unknown,
        default_world: false,
        anchor: if single.is_null() { v } else { single },
        protocol: protocol_of(v.get("protocol")),
        ports,
        rules_unknown: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InputKind, Value};

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::object_from(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())))
    }
    fn strs(items: &[&str]) -> Value {
        Value::list(items.iter().map(|s| Value::string(*s)).collect())
    }

    #[test]
    fn a_self_rule_does_not_hide_the_rule_after_it() {
        let sg = Resource::new(
            "aws_security_group",
            "app",
            obj(&[(
                "ingress",
                Value::list(vec![
                    obj(&[
                        ("self", true.into()),
                        ("protocol", "-1".into()),
                        ("from_port", 0.0.into()),
                        ("to_port", 0.0.into()),
                    ]),
                    obj(&[
                        ("protocol", "tcp".into()),
                        ("from_port", 22.0.into()),
                        ("to_port", 22.0.into()),
                        ("cidr_blocks", strs(&["0.0.0.0/0"])),
                    ]),
                ]),
            )]),
            InputKind::Hcl,
        );
        let rules = rules_of(&sg);
        assert_eq!(rules.len(), 2);
        assert!(matches!(rules[0].openness(), Openness::Closed));
        assert!(matches!(rules[1].openness(), Openness::World(..)));
        assert_eq!(rules[1].describe_traffic(), "`tcp` port `22`");
    }

    #[test]
    fn a_vpc_rule_with_protocol_minus_one_and_no_ports_is_all_traffic() {
        let rule = Resource::new(
            "aws_vpc_security_group_egress_rule",
            "all",
            obj(&[
                ("ip_protocol", "-1".into()),
                ("cidr_ipv4", "0.0.0.0/0".into()),
                ("security_group_id", "sg-123".into()),
            ]),
            InputKind::Hcl,
        );
        let rules = rules_of(&rule);
        assert!(matches!(rules[0].openness(), Openness::World(..)));
        assert!(rules[0].is_all_ports());
    }

    #[test]
    fn an_unknown_cidr_is_unknown_not_closed() {
        let rule = Resource::new(
            "aws_security_group_rule",
            "x",
            obj(&[
                ("type", "egress".into()),
                ("protocol", "tcp".into()),
                ("from_port", 443.0.into()),
                ("to_port", 443.0.into()),
                ("cidr_blocks", Value::list(vec![Value::unknown()])),
            ]),
            InputKind::Hcl,
        );
        assert!(matches!(
            rules_of(&rule)[0].openness(),
            Openness::Unknown(_)
        ));
    }

    #[test]
    fn gcp_ports_and_default_ranges() {
        let fw = Resource::new(
            "google_compute_firewall",
            "x",
            obj(&[(
                "allow",
                Value::list(vec![obj(&[
                    ("protocol", "tcp".into()),
                    ("ports", strs(&["22", "8000-8080"])),
                ])]),
            )]),
            InputKind::Hcl,
        );
        let rules = rules_of(&fw);
        assert!(matches!(rules[0].openness(), Openness::World(..)));
        assert_eq!(rules[0].describe_traffic(), "`tcp` ports `22`, `8000-8080`");
    }
}
