//! Declarative `[[rules]]` of a `guard.toml` through the `guard` binary (issue 18): they fire on
//! Terraform source and on a plan, are suppressible inline, listed by `guard policies`, explained
//! by `guard explain`, and a bad rule is a `guard.toml` error with its line and column (exit 2).

use guard::config::ConfigArgs;
use guard::settings::{Flags, Resolved, Trust};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DIR: &str = "testdata/declarative_rules";

fn guard_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("the guard binary runs")
}

fn guard(args: &[&str]) -> Output {
    guard_in(Path::new("."), args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines of the compact output that are about the declared rules.
fn org_lines(out: &Output) -> Vec<String> {
    text(&out.stdout)
        .lines()
        .filter(|l| l.contains("ORG0"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_issue_rules_fire_on_terraform_source() {
    let config = format!("{DIR}/guard.toml");
    let o = guard(&[
        "check",
        &format!("{DIR}/hcl"),
        "--config",
        &config,
        "-f",
        "compact",
    ]);
    let lines = org_lines(&o);
    assert_eq!(o.status.code(), Some(1), "{lines:#?}\n{}", text(&o.stderr));
    // `aws_s3_bucket.untagged`'s tags (line 20) lack CostCentre; `tagged` (lines 11-16) has one.
    assert!(
        lines.iter().any(|l| l.contains("main.tf:20:10: ORG001")),
        "{lines:#?}"
    );
    assert!(
        !lines
            .iter()
            .any(|l| (11..=16).any(|n| l.contains(&format!("main.tf:{n}:")))),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("ORG002") && l.contains("`us-central1`")),
        "{lines:#?}"
    );
}

#[test]
fn the_issue_rules_fire_on_a_plan() {
    let config = format!("{DIR}/guard.toml");
    let o = guard(&[
        "check",
        &format!("{DIR}/plan.json"),
        "--config",
        &config,
        "-f",
        "compact",
    ]);
    let lines = org_lines(&o);
    assert_eq!(o.status.code(), Some(1), "{lines:#?}\n{}", text(&o.stderr));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("ORG001") && l.contains("aws_s3_bucket.untagged")),
        "{lines:#?}"
    );
    assert!(lines.iter().any(|l| l.contains("ORG002")), "{lines:#?}");
}

const ONE_RULE: &str = r#"[[rules]]
code = "ORG001"
name = "cost-centre-tag"
severity = "high"
message = "every taggable resource carries a CostCentre tag"
resource-types = ["aws_*"]
require = { attribute = "tags.CostCentre", present = true }
"#;

fn project(config: &str, main_tf: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("guard.toml"), config).expect("write guard.toml");
    std::fs::write(dir.path().join("main.tf"), main_tf).expect("write main.tf");
    dir
}

#[test]
fn an_inline_suppression_of_a_declared_rule_is_honoured_and_not_grd002() {
    let unsuppressed = "resource \"aws_sqs_queue\" \"jobs\" {\n  name = \"jobs\"\n}\n";
    let dir = project(ONE_RULE, unsuppressed);
    let o = guard_in(dir.path(), &["check", ".", "-f", "compact"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("ORG001"), "{}", text(&o.stdout));

    let suppressed =
        format!("# guard:ignore ORG001 -- a queue without cost allocation\n{unsuppressed}");
    let dir = project(ONE_RULE, &suppressed);
    let o = guard_in(dir.path(), &["check", ".", "-f", "json"]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", text(&o.stderr));
    assert!(!out.contains("GRD002"), "{out}");
    assert!(out.contains("a queue without cost allocation"), "{out}");
}

#[test]
fn declared_rules_are_selectable_by_code_and_name() {
    let main_tf = "resource \"aws_sqs_queue\" \"jobs\" {\n  name = \"jobs\"\n}\n";
    let dir = project(ONE_RULE, main_tf);
    let o = guard_in(
        dir.path(),
        &["check", ".", "--select", "cost-centre-tag", "-f", "compact"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let o = guard_in(
        dir.path(),
        &["check", ".", "--ignore", "ORG001", "-f", "compact"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    let o = guard_in(dir.path(), &["check", ".", "--select", "ORG009"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("unknown policy `ORG009`"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn policies_and_explain_include_the_rules_of_the_guard_toml_here() {
    let dir = project(ONE_RULE, "");
    let o = guard_in(dir.path(), &["policies"]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    assert!(
        out.contains("ORG001") && out.contains("cost-centre-tag"),
        "{out}"
    );
    assert!(out.contains("NET001"), "{out}");

    let o = guard_in(dir.path(), &["explain", "ORG001"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("# ORG001 cost-centre-tag (high)"), "{out}");
    assert!(out.contains("CostCentre"), "{out}");

    // Elsewhere, `--config` names the file.
    let config = format!("{DIR}/guard.toml");
    let o = guard(&["explain", "allowed-regions", "--config", &config]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("ORG002"));
    let o = guard(&["explain", "ORG002"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_bad_rule_is_a_guard_toml_error_with_line_and_column() {
    let bad = ONE_RULE.replace("present = true", "presnt = true");
    let dir = project(&bad, "");
    for args in [
        &["check", "."][..],
        &["policies"][..],
        &["explain", "ORG001"][..],
    ] {
        let o = guard_in(dir.path(), args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("guard.toml:7:"), "{args:?}: {err}");
        assert!(err.contains("presnt"), "{args:?}: {err}");
    }
}

/// A pull request's `guard.toml` may add rules (they only add findings) but never take one of
/// guard's codes or names: DEL001, the two-person rule, stays guard's.
#[test]
fn a_pull_request_cannot_override_del001_with_a_rule() {
    let resolve = |config: &str| {
        let dir = project(config, "");
        let paths = vec![PathBuf::from(dir.path())];
        Resolved::resolve(
            &paths,
            &ConfigArgs::default(),
            guard::Options::default(),
            &Flags::default(),
            Trust::PullRequest {
                trusted_config: None,
            },
        )
    };
    let settings = resolve(ONE_RULE).expect("a rule of the organization's own is allowed");
    assert!(settings.options.registry.find("ORG001").is_some());
    assert!(settings.options.registry.find("DEL001").is_some());

    let as_del001 = ONE_RULE.replace("\"ORG001\"", "\"DEL001\"").replace(
        "require = { attribute = \"tags.CostCentre\", present = true }",
        "require = { attribute = \"id\", present = false }",
    );
    let e = resolve(&as_del001).expect_err("a rule cannot take DEL001");
    assert!(e.to_string().contains("guard's own"), "{e}");

    let named_like_del001 = ONE_RULE.replace(
        "cost-centre-tag",
        guard_policies::Registry::builtin()
            .find("DEL001")
            .map(|p| p.name)
            .unwrap_or_default(),
    );
    let e = resolve(&named_like_del001).expect_err("a rule cannot take DEL001's name");
    assert!(e.to_string().contains("already taken by DEL001"), "{e}");

    // Nor can its settings table touch DEL001: it takes none.
    let del001_settings = format!("{ONE_RULE}\n[policies.DEL001]\nrequired = 0\n");
    let e = resolve(&del001_settings).expect_err("DEL001 takes no settings");
    assert!(e.to_string().contains("DEL001 takes no settings"), "{e}");
}
