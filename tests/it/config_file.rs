//! `guard.toml`: the example file, discovery, precedence, and precise errors.

use guard::config::{self, ConfigArgs};
use guard_policies::Severity;
use std::path::PathBuf;
use std::process::Command;

fn args(config: &str) -> ConfigArgs {
    ConfigArgs {
        config: Some(PathBuf::from(config)),
        ..ConfigArgs::default()
    }
}

#[test]
fn the_example_file_sets_every_option() {
    let mut options = guard::Options::default();
    let loaded = config::prepare(
        &args("testdata/config/guard.toml"),
        &[PathBuf::from(".")],
        &mut options,
    )
    .unwrap();
    assert!(options.select.is_empty());
    assert_eq!(options.ignore, ["DRF002"]);
    assert_eq!(options.fail_on, Severity::High);
    assert_eq!(
        options.hcl.exclude,
        ["**/examples/**", "**/test/fixtures/**"]
    );
    assert_eq!(
        options.severity_overrides.get("NET003"),
        Some(&Severity::Low)
    );
    assert_eq!(
        options.severity_overrides.get("NET001"),
        Some(&Severity::Critical)
    );
    let s = &options.settings;
    assert_eq!(s.ingress_allowed_ports, [80, 443]);
    assert_eq!(s.mass_deletion_threshold, 10);
    assert!(s.strict_dynamodb_encryption);
    assert_eq!(s.required_approvals, 2);
    assert!(s
        .privileged
        .is_privileged("aws_lambda_function", "aws_lambda_function.f"));
    assert!(!s
        .privileged
        .is_privileged("aws_s3_bucket", "aws_s3_bucket.logs"));
    assert!(s
        .privileged
        .is_privileged("aws_instance", "aws_instance.bastion"));
    assert!(!s
        .privileged
        .is_privileged("aws_iam_user", r#"aws_iam_user.ci["tmp"]"#));
    assert!(s
        .privileged
        .is_privileged("aws_iam_user", r#"aws_iam_user.ci["prod"]"#));

    assert_eq!(loaded.file.as_deref(), Some("testdata/config/guard.toml"));
    assert_eq!(loaded.approval.required, Some(2));
    assert_eq!(loaded.approval.teams, ["acme/platform", "acme/security"]);
    assert_eq!(
        loaded.approval.break_glass_team.as_deref(),
        Some("acme/sre-oncall")
    );
    let github = loaded.github_approval();
    assert_eq!(github.required, 2);
    assert_eq!(github.teams, ["acme/platform", "acme/security"]);
    assert_eq!(github.break_glass_team.as_deref(), Some("acme/sre-oncall"));
    assert_eq!(loaded.per_path_ignores.len(), 2);
    assert_eq!(loaded.per_path_ignores[0].codes, ["ENC001", "ENC002"]);
    assert_eq!(loaded.per_path_ignores[0].line, 21);
    assert_eq!(loaded.suppress.len(), 2);
    assert_eq!(loaded.suppress[0].until, Some((2999, 12, 31)));
    assert_eq!(loaded.suppress[0].line, 44);
    assert_eq!(loaded.suppress[1].codes, ["DEL001"]);
    assert!(loaded.suppress[1].matches_address(r#"google_service_account.ci["staging"]"#));
    assert!(!loaded.suppress[1].matches_address(r#"google_service_account.ci["prod"]"#));
}

#[test]
fn the_file_is_found_at_the_scan_root_or_above_it_inside_the_repository() {
    let mut options = guard::Options::default();
    let loaded = config::prepare(
        &ConfigArgs::default(),
        &[PathBuf::from("testdata/config/discover/sub/module")],
        &mut options,
    )
    .unwrap();
    assert!(loaded
        .file
        .unwrap()
        .ends_with("testdata/config/discover/guard.toml"));
    assert_eq!(options.fail_on, Severity::Critical);
    assert_eq!(options.ignore, ["NET003"]);

    // A file as the first path: its directory is the scan root.
    let found = config::discover(&[PathBuf::from("testdata/config/discover/guard.toml")]);
    assert_eq!(
        found,
        Some(PathBuf::from("testdata/config/discover/guard.toml"))
    );
}

#[test]
fn no_file_means_defaults() {
    let mut options = guard::Options::default();
    let loaded = config::prepare(
        &ConfigArgs::default(),
        &[PathBuf::from("testdata/suppress")],
        &mut options,
    )
    .unwrap();
    assert!(loaded.file.is_none());
    assert_eq!(options.fail_on, Severity::High);
}

#[test]
fn command_line_include_replaces_and_exclude_adds() {
    let mut options = guard::Options::default();
    let args = ConfigArgs {
        include: vec!["live/**".into()],
        exclude: vec!["**/scratch/**".into()],
        no_ignore: true,
        ..args("testdata/config/guard.toml")
    };
    let loaded = config::prepare(&args, &[], &mut options).unwrap();
    assert!(loaded.no_ignore);
    assert_eq!(options.hcl.include, ["live/**"]);
    assert_eq!(
        options.hcl.exclude,
        ["**/examples/**", "**/test/fixtures/**", "**/scratch/**"]
    );
}

#[test]
fn a_missing_config_file_is_an_input_error() {
    let mut options = guard::Options::default();
    let e = config::prepare(&args("testdata/config/nope.toml"), &[], &mut options).unwrap_err();
    assert_eq!(
        e.to_string(),
        "testdata/config/nope.toml: cannot read file: no such file or directory"
    );
}

#[test]
fn errors_name_the_file_line_column_and_valid_choices() {
    insta::glob!("../../testdata/config/errors", "*.toml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = format!(
            "testdata/config/errors/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let error = config::parse(&name, &text).unwrap_err();
        assert!(error.line.is_some(), "{error}");
        insta::with_settings!({
            description => text.clone(),
            omit_expression => true,
            // The policy list grows with every policy; one test below checks it is complete.
            filters => vec![(r"one of: [A-Z]{3}[0-9]{3} \(.*", "one of: <every policy>")],
        }, {
            insta::assert_snapshot!(error.to_string());
        });
    });
}

#[test]
fn an_unknown_code_lists_every_policy() {
    let e = config::parse("guard.toml", "ignore = [\"NOPE\"]\n").unwrap_err();
    for p in guard_policies::registry() {
        assert!(
            e.message.contains(&format!("{} ({})", p.code, p.name)),
            "{e}"
        );
    }
}

#[test]
fn the_binary_exits_2_on_a_config_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args([
            "--config",
            "testdata/config/errors/unknown_key.toml",
            "testdata/config",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("testdata/config/errors/unknown_key.toml:1:1: unknown key `selct`"),
        "{stderr}"
    );
}
