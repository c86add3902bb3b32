//! The command line as a user runs it: exit codes, subcommands, errors naming files.

use std::process::{Command, Output};

fn guard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guard"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("the guard binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_example_plan_fails_with_exit_1_and_shows_the_summary() {
    let o = guard(&["testdata/plans/incident/plan.json"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("Plan: 1 to import, 3 to add, 2 to change, 4 to destroy."),
        "{out}"
    );
    assert!(out.contains("DEL001"), "{out}");
    assert!(out.contains("needs 2 approvals"), "{out}");
}

#[test]
fn a_plan_with_nothing_blocking_exits_0() {
    let o = guard(&["testdata/plans/terraform-data/plan.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn fail_on_critical_lets_high_findings_through_but_not_critical_ones() {
    let o = guard(&[
        "testdata/plans/incident/plan.json",
        "--fail-on",
        "critical",
        "--ignore",
        "DEL001",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = guard(&["testdata/plans/incident/plan.json", "--fail-on", "critical"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_missing_file_is_an_input_error_naming_the_file_and_the_others_are_still_checked() {
    let o = guard(&[
        "does-not-exist.json",
        "testdata/plans/incident/plan.json",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["errors"][0]["file"], "does-not-exist.json");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "DEL001"));
}

#[test]
fn a_bad_flag_is_a_usage_error() {
    assert_eq!(guard(&["--no-such-flag"]).status.code(), Some(2));
    assert_eq!(
        guard(&["--fail-on", "severe", "x.json"]).status.code(),
        Some(2)
    );
}

#[test]
fn explain_prints_the_documentation_and_unknown_codes_are_errors() {
    let o = guard(&["explain", "DEL001"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("## Why it matters"), "{out}");
    assert!(guard(&["explain", "privileged-deletion-unapproved"])
        .status
        .success());
    assert_eq!(guard(&["explain", "NOPE999"]).status.code(), Some(2));
}

#[test]
fn policies_lists_every_registered_policy() {
    let out = stdout(&guard(&["policies"]));
    for p in guard_policies::registry() {
        assert!(
            out.contains(p.code) && out.contains(p.name),
            "{} missing",
            p.code
        );
    }
}

#[test]
fn version_and_help_exit_0() {
    assert!(guard(&["--version"]).status.success());
    assert!(guard(&["--help"]).status.success());
}

#[test]
fn sarif_file_is_written_next_to_the_normal_output() {
    let dir = std::env::temp_dir().join(format!("guard-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sarif = dir.join("out.sarif");
    let o = guard(&[
        "testdata/plans/incident/plan.json",
        "--sarif-file",
        sarif.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    std::fs::remove_dir_all(&dir).ok();
}

/// An input error is drawn as a diagnostic: the line, a label under the column and a help line,
/// with the line's literal values masked (the file did not parse, so nothing in it was classified
/// as sensitive: a `.tfvars` value or a string may be a secret).
#[test]
fn syntax_errors_show_the_masked_line_with_a_label_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let (module, vars) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&module).unwrap();
    std::fs::create_dir_all(&vars).unwrap();
    std::fs::write(
        module.join("main.tf"),
        "variable \"db_password\" {}\n\nresource \"aws_db_instance\" \"db\" {\n  password = \"Zq9-hunter2\n  engine = \"postgres\"\n}\n",
    )
    .unwrap();
    std::fs::write(vars.join("main.tf"), "variable \"db_password\" {}\n").unwrap();
    std::fs::write(
        vars.join("terraform.tfvars"),
        "db_password = Zq9-hunter2 {\n",
    )
    .unwrap();
    let o = guard(&[
        "--config",
        "/dev/null",
        module.to_str().unwrap(),
        vars.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o).replace(dir.path().to_str().unwrap(), "[DIR]");
    assert!(!out.contains("hunter2"), "{out}");
    insta::assert_snapshot!(out);
}

/// A guard.toml error goes to stderr as a diagnostic too, its string values masked (a value
/// pasted into the wrong key is not echoed).
#[test]
fn config_errors_on_stderr_show_the_masked_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("guard.toml");
    std::fs::write(
        &config,
        "select = [\"NET001\"]\nfail-on = \"hunter2 Zq9secret\"\n",
    )
    .unwrap();
    let o = guard(&[
        "--config",
        config.to_str().unwrap(),
        "testdata/plans/incident/plan.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).replace(config.to_str().unwrap(), "[CONFIG]");
    assert!(!err.contains("hunter2"), "{err}");
    insta::assert_snapshot!(err);
}
