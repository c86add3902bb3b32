//! Suppressions from `guard.toml`: `[per-path-ignores]` and `[[suppress]]` by address glob (the
//! only way to suppress a plan finding). Fixture: testdata/suppress/config/.

use guard::config::{self, ConfigArgs};
use guard::redact::Scrubber;
use guard::report::{ReportedFinding, Scanned};
use guard::source::SourceMap;
use guard::stages::{Checked, Triaged};
use guard::suppress;
use guard_policies::{Finding, InputKind, Origin, OriginKind, Severity};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

const TODAY: suppress::Date = (2026, 6, 1);
const PLAN: &str = "testdata/suppress/config/plan.json";

fn plan_finding(code: &str, address: Option<&str>, instances: &[&str]) -> ReportedFinding {
    let policy = guard_policies::find_policy(code).unwrap();
    let finding = Finding {
        code: policy.code,
        name: policy.name,
        severity: Severity::High,
        message: "plan finding".to_string(),
        address: address.map(str::to_string),
        location: None,
        related: Vec::new(),
        instances: instances.iter().map(|s| s.to_string()).collect(),
        config_address: address.map(str::to_string),
        module_calls: Vec::new(),
        input: Some(InputKind::Plan),
    };
    ReportedFinding::new(finding, PLAN, Severity::High)
}

fn hcl_finding(file: &str, sources: &mut SourceMap) -> ReportedFinding {
    let text = std::fs::read_to_string(file).unwrap();
    let start = text.find("cidr_blocks").unwrap();
    let path: Arc<str> = Arc::from(file);
    sources.insert(path.clone(), Arc::from(text));
    let policy = guard_policies::find_policy("NET001").unwrap();
    let finding = Finding {
        code: policy.code,
        name: policy.name,
        severity: Severity::High,
        message: "hcl finding".to_string(),
        address: Some("aws_security_group.x".to_string()),
        location: Some(Origin::new(
            path.into(),
            start,
            start + 11,
            OriginKind::Literal,
        )),
        related: Vec::new(),
        instances: Vec::new(),
        config_address: None,
        module_calls: Vec::new(),
        input: Some(InputKind::Hcl),
    };
    ReportedFinding::new(finding, "testdata/suppress/config", Severity::High)
}

fn run(no_ignore: bool) -> (Triaged, String) {
    let mut options = guard::Options::default();
    let args = ConfigArgs {
        no_ignore,
        ..ConfigArgs::default()
    };
    let loaded = config::prepare(
        &args,
        &[PathBuf::from("testdata/suppress/config")],
        &mut options,
    )
    .unwrap();
    assert_eq!(
        loaded.file.as_deref(),
        Some("testdata/suppress/config/guard.toml")
    );
    let mut sources = SourceMap::default();
    let findings = vec![
        plan_finding(
            "DEL001",
            Some(r#"google_service_account.ci["staging"]"#),
            &[],
        ),
        plan_finding("DEL001", Some(r#"google_service_account.ci["prod"]"#), &[]),
        plan_finding(
            "DEL003",
            None,
            &[
                "module.legacy.aws_s3_bucket.a",
                "module.legacy.aws_s3_bucket.b",
            ],
        ),
        plan_finding(
            "DEL003",
            None,
            &["module.legacy.aws_s3_bucket.a", "aws_s3_bucket.logs"],
        ),
        plan_finding("DEL001", Some("aws_iam_user.old"), &[]),
        hcl_finding("testdata/suppress/config/legacy/main.tf", &mut sources),
        hcl_finding("testdata/suppress/config/main.tf", &mut sources),
    ];
    let checked = Checked::new(
        findings,
        Vec::new(),
        Vec::new(),
        sources,
        Severity::High,
        Scrubber::new(Vec::new()),
        Scanned::default(),
    );
    let report = suppress::apply_on(checked, &loaded, &options, TODAY);
    let mut out = String::new();
    for rf in &report.findings {
        let f = &rf.finding;
        let place = match report.finding_place(f) {
            Some(p) => format!("{}:{}", p.file, p.line.unwrap_or(0)),
            None => rf.source_name.clone(),
        };
        let what = f.address.clone().unwrap_or_else(|| f.instances.join(" "));
        let _ = writeln!(out, "{place} {} {what}", f.code);
        if f.code.starts_with("GRD") {
            let _ = writeln!(out, "    {}", f.message);
        }
        match &rf.suppression {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "    suppressed ({}, {}:{}): {}",
                    s.kind,
                    s.file.as_deref().unwrap_or("-"),
                    s.line.unwrap_or(0),
                    s.reason
                );
            }
            None => out.push_str("    ACTIVE\n"),
        }
    }
    (report, out)
}

#[test]
fn config_suppressions_by_path_and_address() {
    let (report, out) = run(false);
    insta::assert_snapshot!(out, @r#"
    testdata/suppress/config/plan.json DEL001 google_service_account.ci["staging"]
        suppressed (config, testdata/suppress/config/guard.toml:4): the staging CI account is recreated nightly
    testdata/suppress/config/plan.json DEL001 google_service_account.ci["prod"]
        ACTIVE
    testdata/suppress/config/plan.json DEL003 module.legacy.aws_s3_bucket.a module.legacy.aws_s3_bucket.b
        suppressed (config, testdata/suppress/config/guard.toml:9): the legacy stack is being torn down (OPS-99)
    testdata/suppress/config/plan.json DEL003 module.legacy.aws_s3_bucket.a aws_s3_bucket.logs
        ACTIVE
    testdata/suppress/config/plan.json DEL001 aws_iam_user.old
        ACTIVE
    testdata/suppress/config/legacy/main.tf:3 NET001 aws_security_group.x
        suppressed (config, testdata/suppress/config/guard.toml:2): per-path-ignores `legacy`
    testdata/suppress/config/main.tf:3 NET001 aws_security_group.x
        ACTIVE
    testdata/suppress/config/guard.toml:14 GRD003 
        `[[suppress]]` for DEL001 expired on 2020-01-31; the findings it covered are reported again
        ACTIVE
    "#);
    // The expired entry's finding points into guard.toml, which is now in the source map.
    assert!(report
        .sources
        .get("testdata/suppress/config/guard.toml")
        .is_some());
}

#[test]
fn no_ignore_disables_config_suppressions_too() {
    let (report, _) = run(true);
    assert!(report.findings.iter().all(|f| f.suppression.is_none()));
    assert!(report
        .findings
        .iter()
        .all(|f| !f.finding.code.starts_with("GRD")));
}
