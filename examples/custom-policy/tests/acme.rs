//! ACME's policies against their fixtures (`guard::testing::check_fixtures`), and the `acme-guard`
//! binary end to end: the policies fire, are suppressed inline, are configured in guard.toml, and
//! appear in `policies`, `explain` and SARIF.

use guard_policies::Registry;
use std::path::Path;
use std::process::{Command, Output};

fn registry() -> Registry {
    Registry::builtin().with(acme_guard::policies())
}

#[test]
fn fixtures_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let report = guard::testing::check_fixtures(&dir, &registry()).expect("fixtures readable");
    assert!(report.is_ok(), "{report}");
    let findings = report.findings();
    // The configured tag list reaches ACM001: `Owner` is required on top of `CostCentre`.
    assert!(
        findings.contains("the `Owner` tag is missing"),
        "{findings}"
    );
    assert!(findings.contains("`region` is `us-east-1`"), "{findings}");
    assert_eq!(report.outcomes.len(), 4, "{report}");
}

#[test]
fn a_failing_fixture_is_reported() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let good = dir.path().join("allowed-regions/good");
    std::fs::create_dir_all(&good).expect("mkdir");
    std::fs::write(
        good.join("main.tf"),
        "resource \"aws_s3_bucket\" \"x\" {\n  region = \"eu-west-1\"\n}\n",
    )
    .expect("write");
    let report = guard::testing::check_fixtures(dir.path(), &registry()).expect("readable");
    assert!(!report.is_ok());
    assert!(
        report
            .to_string()
            .contains("FAIL  allowed-regions/good: expected no findings of ACM002"),
        "{report}"
    );
}

#[test]
fn docs_are_generated_for_the_registry() {
    let pages = guard::testing::docs(&registry());
    assert!(
        pages[0].1.contains("| ACM001 | [required-tags]"),
        "{}",
        pages[0].1
    );
    assert!(pages
        .iter()
        .any(|(name, page)| name.starts_with("ACM002") && page.contains("Canada")));
}

fn acme(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acme-guard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("the acme-guard binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn project(guard_toml: &str, main_tf: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("guard.toml"), guard_toml).expect("write guard.toml");
    std::fs::write(dir.path().join("main.tf"), main_tf).expect("write main.tf");
    dir
}

const BUCKET: &str = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n  region = \"ca-central-1\"\n  tags   = { CostCentre = \"cc-1\" }\n}\n";

#[test]
fn the_binary_runs_the_policy_and_its_configuration() {
    let dir = project("", BUCKET);
    let o = acme(
        dir.path(),
        &[
            "check",
            ".",
            "--select",
            "ACM001,ACM002",
            "--fail-on",
            "medium",
            "-f",
            "compact",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );

    let dir = project(
        "[policies.ACM001]\ntags = [\"CostCentre\", \"Owner\"]\n",
        BUCKET,
    );
    let o = acme(
        dir.path(),
        &[
            "check",
            ".",
            "--select",
            "ACM001,ACM002",
            "--fail-on",
            "medium",
            "-f",
            "compact",
        ],
    );
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
    assert!(
        out.contains("main.tf:4:") && out.contains("ACM001 the `Owner` tag is missing"),
        "{out}"
    );

    let dir = project("[policies.ACM001]\ntags = \"Owner\"\n", BUCKET);
    let o = acme(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("guard.toml:"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn an_inline_suppression_silences_acm001() {
    let untagged = "resource \"aws_sqs_queue\" \"jobs\" {\n  name = \"jobs\"\n}\n";
    let dir = project("", untagged);
    let o = acme(
        dir.path(),
        &[
            "check",
            ".",
            "--select",
            "ACM001,ACM002",
            "--fail-on",
            "medium",
            "-f",
            "compact",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));

    let suppressed = format!("# guard:ignore ACM001 -- billed to the platform team\n{untagged}");
    let dir = project("", &suppressed);
    let o = acme(
        dir.path(),
        &[
            "check",
            ".",
            "--select",
            "required-tags",
            "--fail-on",
            "medium",
            "-f",
            "json",
        ],
    );
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    assert!(!out.contains("GRD002"), "{out}");
    assert!(out.contains("billed to the platform team"), "{out}");
}

#[test]
fn policies_explain_and_sarif_know_acme() {
    let dir = project("", BUCKET);
    let out = text(&acme(dir.path(), &["policies"]).stdout);
    assert!(
        out.contains("ACM001") && out.contains("required-tags"),
        "{out}"
    );
    assert!(out.contains("ACM002") && out.contains("NET001"), "{out}");

    let o = acme(dir.path(), &["explain", "ACM001"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        text(&o.stdout).starts_with("# ACM001 required-tags (medium)"),
        "{}",
        text(&o.stdout)
    );

    let virginia = BUCKET.replace("ca-central-1", "us-east-1");
    let dir = project("", &virginia);
    let o = acme(
        dir.path(),
        &["check", ".", "--select", "ACM002", "-f", "sarif"],
    );
    assert_eq!(o.status.code(), Some(1));
    let sarif = text(&o.stdout);
    assert!(sarif.contains("\"id\": \"ACM002\""), "{sarif}");
    assert!(sarif.contains("\"ruleId\": \"ACM002\""), "{sarif}");
}
