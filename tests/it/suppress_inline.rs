//! Inline suppressions, one fixture per form (testdata/suppress/).
//!
//! The findings are built by hand, located where the HCL loader puts them (the attribute, with the
//! resource block and any `module` calls as further origins), so these tests pin the suppression
//! rules independently of the loader and the policies.

use guard::config;
use guard::redact::Scrubber;
use guard::report::{ReportedFinding, Scanned};
use guard::source::SourceMap;
use guard::stages::{Checked, Triaged};
use guard::suppress;
use guard_policies::{Finding, InputKind, Origin, OriginKind, Severity};
use std::fmt::Write as _;
use std::sync::Arc;

/// "Today" for these tests: after the expired fixture's date, before the future one's.
const TODAY: suppress::Date = (2026, 6, 1);

struct Fixture {
    path: Arc<str>,
    text: Arc<str>,
}

impl Fixture {
    fn load(name: &str) -> Fixture {
        let path = format!("testdata/suppress/{name}");
        let text = std::fs::read_to_string(&path).unwrap();
        Fixture {
            path: Arc::from(path),
            text: Arc::from(text),
        }
    }
    /// The origin of the `nth` (0-based) occurrence of `needle`.
    fn nth(&self, needle: &str, nth: usize) -> Origin {
        let start = self
            .text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("`{needle}` #{nth} not in {}", self.path))
            .0;
        Origin::new(
            (&self.path).into(),
            start,
            start + needle.len(),
            OriginKind::Literal,
        )
    }
    fn at(&self, needle: &str) -> Origin {
        self.nth(needle, 0)
    }
}

fn finding(code: &str, address: &str, location: Origin, related: Vec<Origin>) -> Finding {
    let policy = guard_policies::find_policy(code).unwrap();
    Finding {
        code: policy.code,
        name: policy.name,
        severity: Severity::High,
        message: format!("{} finding on {address}", policy.name),
        address: Some(address.to_string()),
        location: Some(location),
        related,
        instances: Vec::new(),
        config_address: Some(address.to_string()),
        module_calls: Vec::new(),
        input: Some(InputKind::Hcl),
    }
}

fn report(fixtures: &[&Fixture], findings: Vec<Finding>) -> Checked {
    let mut sources = SourceMap::default();
    for f in fixtures {
        sources.insert(f.path.clone(), f.text.clone());
    }
    Checked::new(
        findings
            .into_iter()
            .map(|f| ReportedFinding::new(f, "testdata/suppress", Severity::High))
            .collect(),
        Vec::new(),
        Vec::new(),
        sources,
        Severity::High,
        Scrubber::new(Vec::new()),
        Scanned::default(),
    )
}

/// Applies suppressions and describes every finding, one per line.
fn check(fixtures: &[&Fixture], findings: Vec<Finding>) -> String {
    check_with(fixtures, findings, &config::Loaded::default())
}

fn check_with(fixtures: &[&Fixture], findings: Vec<Finding>, loaded: &config::Loaded) -> String {
    let r = suppress::apply_on(
        report(fixtures, findings),
        loaded,
        &guard::Options::default(),
        TODAY,
    );
    describe(&r)
}

fn describe(r: &Triaged) -> String {
    let mut out = String::new();
    for rf in &r.findings {
        let f = &rf.finding;
        let place = r
            .finding_place(f)
            .map(|p| format!("{}:{}", p.file, p.line.unwrap_or(0)))
            .unwrap_or_default();
        let what = if f.instances.is_empty() {
            f.address.clone().unwrap_or_default()
        } else {
            f.instances.join(" ")
        };
        let _ = write!(out, "{place} {} {what}", f.code);
        if f.address.is_none() {
            let _ = write!(out, "{}", f.message);
        }
        match &rf.suppression {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "\n    suppressed ({}, {}:{}): {}",
                    s.kind,
                    s.file.as_deref().unwrap_or("-"),
                    s.line.unwrap_or(0),
                    s.reason
                );
            }
            None => out.push_str("\n    ACTIVE\n"),
        }
    }
    out
}

#[test]
fn a_comment_above_a_block_covers_the_block() {
    let fx = Fixture::load("block_above.tf");
    let bastion = fx.at(r#"resource "aws_security_group" "bastion""#);
    let web = fx.at(r#"resource "aws_security_group" "web""#);
    let out = check(
        &[&fx],
        vec![
            finding(
                "NET001",
                "aws_security_group.bastion",
                fx.at("[\"0.0.0.0/0\"] # bastion"),
                vec![bastion],
            ),
            finding(
                "NET001",
                "aws_security_group.web",
                fx.at("[\"0.0.0.0/0\"] # web"),
                vec![web],
            ),
        ],
    );
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/block_above.tf:4 NET001 aws_security_group.bastion
        suppressed (inline, testdata/suppress/block_above.tf:1): the bastion is reached from anywhere on purpose (OPS-12)
    testdata/suppress/block_above.tf:10 NET001 aws_security_group.web
        ACTIVE
    "#);
}

#[test]
fn a_comment_above_an_attribute_covers_only_that_attribute() {
    let fx = Fixture::load("attribute_above.tf");
    let block = fx.at("resource");
    let out = check(
        &[&fx],
        vec![
            finding(
                "NET001",
                "aws_security_group.web",
                fx.nth("cidr_blocks", 0),
                vec![block.clone()],
            ),
            finding(
                "NET002",
                "aws_security_group.web",
                fx.nth("cidr_blocks", 1),
                vec![block],
            ),
        ],
    );
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/attribute_above.tf:4 NET001 aws_security_group.web
        suppressed (inline, testdata/suppress/attribute_above.tf:3): updates come from the public package mirror
    testdata/suppress/attribute_above.tf:7 NET002 aws_security_group.web
        ACTIVE
    "#);
}

#[test]
fn a_comment_on_the_same_line_covers_that_line() {
    let fx = Fixture::load("same_line.tf");
    let block = fx.at("resource");
    let out = check(
        &[&fx],
        vec![
            finding(
                "NET001",
                "aws_security_group.web",
                fx.nth("cidr_blocks", 0),
                vec![block.clone()],
            ),
            // Same code on another line of the same block: a same-line comment does not reach it.
            finding(
                "NET001",
                "aws_security_group.web",
                fx.nth("cidr_blocks", 1),
                vec![block],
            ),
        ],
    );
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/same_line.tf:3 NET001 aws_security_group.web
        suppressed (inline, testdata/suppress/same_line.tf:3): public package mirror
    testdata/suppress/same_line.tf:6 NET001 aws_security_group.web
        ACTIVE
    "#);
}

#[test]
fn double_slash_and_block_comments_work() {
    let slash = Fixture::load("slash_comment.tf");
    let block = Fixture::load("block_comment.tf");
    let out = check(
        &[&slash, &block],
        vec![
            finding(
                "NET001",
                "aws_security_group.slash",
                slash.at("cidr_blocks"),
                vec![slash.at("resource")],
            ),
            finding(
                "NET001",
                "aws_security_group.block",
                block.at("cidr_blocks"),
                vec![block.at("resource")],
            ),
            finding(
                "NET002",
                "aws_security_group.block",
                block.at("cidr_blocks"),
                vec![block.at("resource")],
            ),
        ],
    );
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/slash_comment.tf:4 NET001 aws_security_group.slash
        suppressed (inline, testdata/suppress/slash_comment.tf:1): written with a double-slash comment
    testdata/suppress/block_comment.tf:5 NET001 aws_security_group.block
        suppressed (inline, testdata/suppress/block_comment.tf:1): written with a block comment that goes on over two lines
    testdata/suppress/block_comment.tf:5 NET002 aws_security_group.block
        suppressed (inline, testdata/suppress/block_comment.tf:5): same line, block style
    "#);
}

#[test]
fn several_codes_names_and_stacked_comments() {
    let multi = Fixture::load("multiple_codes.tf");
    let names = Fixture::load("names.tf");
    let stacked = Fixture::load("stacked.tf");
    let out = check(
        &[&multi, &names, &stacked],
        vec![
            finding(
                "NET001",
                "aws_s3_bucket.sandbox",
                multi.at("resource"),
                vec![],
            ),
            finding(
                "ENC001",
                "aws_s3_bucket.sandbox",
                multi.at("bucket ="),
                vec![multi.at("resource")],
            ),
            finding(
                "NET001",
                "aws_security_group.named",
                names.at("cidr_blocks"),
                vec![names.at("resource")],
            ),
            finding(
                "NET001",
                "aws_s3_bucket.assets",
                stacked.at("resource"),
                vec![],
            ),
            finding(
                "ENC001",
                "aws_s3_bucket.assets",
                stacked.at("bucket ="),
                vec![stacked.at("resource")],
            ),
        ],
    );
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/multiple_codes.tf:2 NET001 aws_s3_bucket.sandbox
        suppressed (inline, testdata/suppress/multiple_codes.tf:1): a throwaway sandbox bucket and its group
    testdata/suppress/multiple_codes.tf:3 ENC001 aws_s3_bucket.sandbox
        suppressed (inline, testdata/suppress/multiple_codes.tf:1): a throwaway sandbox bucket and its group
    testdata/suppress/names.tf:4 NET001 aws_security_group.named
        suppressed (inline, testdata/suppress/names.tf:1): names work as well as codes
    testdata/suppress/stacked.tf:4 NET001 aws_s3_bucket.assets
        suppressed (inline, testdata/suppress/stacked.tf:1): egress is the NAT gateway's job here
    testdata/suppress/stacked.tf:5 ENC001 aws_s3_bucket.assets
        suppressed (inline, testdata/suppress/stacked.tf:2): the bucket holds public assets only
    "#);
}

#[test]
fn until_suppresses_until_the_date_then_says_it_expired() {
    let fx = Fixture::load("until.tf");
    let out = check(
        &[&fx],
        vec![
            finding(
                "NET001",
                "aws_security_group.vendor",
                fx.nth("cidr_blocks", 0),
                vec![fx.nth("resource", 0)],
            ),
            finding(
                "NET001",
                "aws_security_group.old_vendor",
                fx.nth("cidr_blocks", 1),
                vec![fx.nth("resource", 1)],
            ),
        ],
    );
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/until.tf:4 NET001 aws_security_group.vendor
        suppressed (inline, testdata/suppress/until.tf:1): vendor access until the migration (OPS-7)
    testdata/suppress/until.tf:11 NET001 aws_security_group.old_vendor
        ACTIVE
    testdata/suppress/until.tf:8 GRD003 suppression of NET001 expired on 2020-01-31; the findings it covered are reported again
        ACTIVE
    "#);
}

#[test]
fn a_key_targets_one_instance_of_a_for_each_or_count() {
    let fx = Fixture::load("for_each_key.tf");
    let mut tier = finding(
        "NET001",
        "aws_security_group.tier",
        fx.nth("cidr_blocks", 0),
        vec![fx.nth("resource", 0)],
    );
    tier.instances = vec![
        r#"aws_security_group.tier["private"]"#.to_string(),
        r#"aws_security_group.tier["public"]"#.to_string(),
    ];
    let mut replica = finding(
        "NET001",
        "aws_security_group.replica",
        fx.nth("cidr_blocks", 1),
        vec![fx.nth("resource", 1)],
    );
    replica.instances = vec![
        "aws_security_group.replica[0]".to_string(),
        "aws_security_group.replica[1]".to_string(),
    ];
    let out = check(&[&fx], vec![tier, replica]);
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/for_each_key.tf:5 NET001 aws_security_group.tier["public"]
        suppressed (inline, testdata/suppress/for_each_key.tf:1): only the public tier faces the internet
    testdata/suppress/for_each_key.tf:5 NET001 aws_security_group.tier["private"]
        ACTIVE
    testdata/suppress/for_each_key.tf:13 NET001 aws_security_group.replica[0]
        suppressed (inline, testdata/suppress/for_each_key.tf:9): the first replica is the public one
    testdata/suppress/for_each_key.tf:13 NET001 aws_security_group.replica[1]
        ACTIVE
    "#);
}

#[test]
fn a_comment_above_a_module_call_covers_what_the_call_creates() {
    let root = Fixture::load("module_call/main.tf");
    let child = Fixture::load("module_call/modules/sg/main.tf");
    let mut edge = finding(
        "NET001",
        "module.edge.aws_security_group.this",
        child.at("cidr_blocks"),
        vec![child.at("resource")],
    );
    edge.module_calls = vec![root.at(r#"module "edge""#)];
    let mut internal = edge.clone();
    internal.address = Some("module.internal.aws_security_group.this".to_string());
    internal.module_calls = vec![root.at(r#"module "internal""#)];
    let out = check(&[&root, &child], vec![edge, internal]);
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/module_call/modules/sg/main.tf:3 NET001 module.edge.aws_security_group.this
        suppressed (inline, testdata/suppress/module_call/main.tf:1): the edge module is public by design
    testdata/suppress/module_call/modules/sg/main.tf:3 NET001 module.internal.aws_security_group.this
        ACTIVE
    "#);
}

#[test]
fn a_comment_in_tfvars_covers_findings_that_value_caused() {
    let module = Fixture::load("attribute_above.tf");
    let tfvars = Fixture::load("tfvars/terraform.tfvars");
    let mut value = tfvars.at("allowed_cidrs");
    value.kind = OriginKind::Tfvars;
    let out = check(
        &[&module, &tfvars],
        vec![finding(
            "NET002",
            "aws_security_group.web",
            value,
            vec![module.nth("cidr_blocks", 1)],
        )],
    );
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/tfvars/terraform.tfvars:2 NET002 aws_security_group.web
        suppressed (inline, testdata/suppress/tfvars/terraform.tfvars:1): the office range is wide on purpose
    testdata/suppress/attribute_above.tf:3 GRD001 unused suppression: `NET001` suppressed nothing
        ACTIVE
    "#);
}

/// The messages of the meta findings, for the invalid, missing-reason and unused fixtures.
fn meta_messages(fixtures: &[&Fixture], findings: Vec<Finding>) -> String {
    let r = report(fixtures, findings);
    let r = suppress::apply_on(
        r,
        &config::Loaded::default(),
        &guard::Options::default(),
        TODAY,
    );
    let mut out = describe(&r);
    out.push_str("--\n");
    for rf in r
        .findings
        .iter()
        .filter(|f| f.finding.code.starts_with("GRD"))
    {
        let p = r.finding_place(&rf.finding).unwrap();
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {} [{}]",
            p.file,
            p.line.unwrap_or(0),
            p.column.unwrap_or(0),
            rf.finding.code,
            rf.finding.message,
            rf.finding.severity
        );
    }
    out
}

#[test]
fn a_suppression_without_a_reason_suppresses_nothing_and_is_reported() {
    let fx = Fixture::load("missing_reason.tf");
    let out = meta_messages(
        &[&fx],
        vec![
            finding(
                "NET001",
                "aws_security_group.no_reason",
                fx.nth("cidr_blocks", 0),
                vec![fx.nth("resource", 0)],
            ),
            finding(
                "NET001",
                "aws_security_group.empty_reason",
                fx.nth("cidr_blocks", 1),
                vec![fx.nth("resource", 1)],
            ),
        ],
    );
    insta::assert_snapshot!(out);
}

#[test]
fn invalid_suppressions_are_reported_with_what_is_wrong() {
    let fx = Fixture::load("invalid.tf");
    let out = meta_messages(
        &[&fx],
        vec![
            finding(
                "NET001",
                "aws_security_group.typo",
                fx.nth("cidr_blocks", 0),
                vec![fx.nth("resource", 0)],
            ),
            finding(
                "NET001",
                "aws_security_group.bad_date",
                fx.nth("cidr_blocks", 1),
                vec![fx.nth("resource", 1)],
            ),
            finding(
                "NET001",
                "aws_security_group.misspelled",
                fx.nth("cidr_blocks", 2),
                vec![fx.nth("resource", 2)],
            ),
        ],
    );
    insta::assert_snapshot!(out);
}

#[test]
fn unused_suppressions_are_reported_per_code_and_strings_are_not_comments() {
    let fx = Fixture::load("unused.tf");
    let out = meta_messages(
        &[&fx],
        vec![finding(
            "NET001",
            "aws_security_group.web",
            fx.at("cidr_blocks"),
            vec![fx.at("resource")],
        )],
    );
    insta::assert_snapshot!(out);
}

#[test]
fn unused_is_only_reported_for_policies_that_ran() {
    let fx = Fixture::load("unused.tf");
    let r = report(
        &[&fx],
        vec![finding(
            "NET001",
            "aws_security_group.web",
            fx.at("cidr_blocks"),
            vec![fx.at("resource")],
        )],
    );
    let options = guard::Options {
        ignore: vec!["ENC001".into(), "NET002".into()],
        ..guard::Options::default()
    };
    let r = suppress::apply_on(r, &config::Loaded::default(), &options, TODAY);
    assert!(
        r.findings.iter().all(|f| f.finding.code == "NET001"),
        "{}",
        describe(&r)
    );
    assert!(r.findings[0].suppression.is_some());

    // Ignoring GRD001 turns unused reports off.
    let r = report(&[&fx], Vec::new());
    let options = guard::Options {
        ignore: vec!["unused-suppression".into()],
        ..guard::Options::default()
    };
    let r = suppress::apply_on(r, &config::Loaded::default(), &options, TODAY);
    assert!(r.findings.is_empty(), "{}", describe(&r));
}

#[test]
fn no_ignore_disables_every_suppression() {
    let fx = Fixture::load("block_above.tf");
    let loaded = config::Loaded {
        no_ignore: true,
        ..config::Loaded::default()
    };
    let out = check_with(
        &[&fx],
        vec![finding(
            "NET001",
            "aws_security_group.bastion",
            fx.at("cidr_blocks"),
            vec![fx.at("resource")],
        )],
        &loaded,
    );
    insta::assert_snapshot!(out, @r"
    testdata/suppress/block_above.tf:4 NET001 aws_security_group.bastion
        ACTIVE
    ");
}

#[test]
fn suppressed_findings_do_not_block() {
    let fx = Fixture::load("block_above.tf");
    let r = report(
        &[&fx],
        vec![finding(
            "NET001",
            "aws_security_group.bastion",
            fx.at("cidr_blocks"),
            vec![fx.at("resource")],
        )],
    );
    let blocking =
        |findings: &[ReportedFinding]| findings.iter().filter(|f| f.is_blocking()).count();
    assert_eq!(blocking(&r.findings), 1);
    let r = suppress::apply_on(
        r,
        &config::Loaded::default(),
        &guard::Options::default(),
        TODAY,
    );
    assert_eq!(blocking(&r.findings), 0);
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.suppression.is_some())
            .count(),
        1
    );
}
