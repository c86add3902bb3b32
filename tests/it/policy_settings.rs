//! `[policies.CODE]` tables of `guard.toml` reach a policy as typed settings (issue 18): checked
//! against the policy's `config` type when the file is read (an error with line and column),
//! read by the policy with `ctx.config::<T>()`.

use guard::config::{self, ConfigArgs};
use guard_policies::{declare_policy, Check, Context, Registry, Resource};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_label")]
    label: String,
}

fn default_label() -> String {
    "default".to_string()
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    match ctx.config::<Settings>() {
        Ok(settings) => {
            ctx.report(resource, format!("label is {}", settings.label));
        }
        Err(e) => {
            ctx.report(resource, e);
        }
    }
}

declare_policy! {
    /// ## What it checks
    /// A test policy that reports the label its settings give it.
    static LABELLED = {
        code: "TST001",
        name: "labelled",
        severity: Medium,
        inputs: Both,
        config: Settings,
        check: Check::Resources { types: &["aws_sqs_queue"], check },
    }
}

fn registry() -> Registry {
    Registry::builtin().with(&[&LABELLED])
}

fn parse(text: &str) -> Result<config::Config, String> {
    config::parse_with("guard.toml", text, &registry()).map_err(|e| e.to_string())
}

/// The messages of TST001 over a queue, with `guard_toml` as the configuration.
fn messages(guard_toml: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("guard.toml"), guard_toml).expect("write guard.toml");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_sqs_queue\" \"jobs\" {\n  name = \"jobs\"\n}\n",
    )
    .expect("write main.tf");
    let paths = vec![PathBuf::from(dir.path())];
    let mut options = guard::Options {
        registry: registry(),
        ..guard::Options::default()
    };
    config::prepare(&ConfigArgs::default(), &paths, &mut options).expect("a valid guard.toml");
    let report = guard::run(&paths, &options);
    report
        .findings
        .iter()
        .filter(|f| f.finding.code == "TST001")
        .map(|f| f.finding.message.clone())
        .collect()
}

#[test]
fn a_policy_reads_its_table_or_its_defaults() {
    assert_eq!(
        messages("[policies.TST001]\nlabel = \"acme\"\n"),
        ["label is acme"]
    );
    assert_eq!(
        messages("[policies.labelled]\nlabel = \"by name\"\n"),
        ["label is by name"]
    );
    assert_eq!(messages(""), ["label is default"]);
}

#[test]
fn a_bad_table_is_a_guard_toml_error_at_its_place() {
    let e = parse("fail-on = \"low\"\n\n[policies.TST001]\nlabel = 3\n").unwrap_err();
    assert!(e.starts_with("guard.toml:3:"), "{e}");
    assert!(
        e.contains("`[policies.TST001]`: wrong type: integer, expected a string"),
        "{e}"
    );

    let e = parse("[policies.TST001]\nlable = \"x\"\n").unwrap_err();
    assert!(e.contains("unknown key `lable`, expected `label`"), "{e}");
}

#[test]
fn a_table_for_an_unknown_policy_or_one_without_settings_is_an_error() {
    let e = parse("[policies.TST009]\nlabel = \"x\"\n").unwrap_err();
    assert!(
        e.starts_with("guard.toml:1:11: unknown key `TST009` in `[policies]`"),
        "{e}"
    );
    let e = parse("[policies.NET001]\nports = [22]\n").unwrap_err();
    assert!(e.contains("NET001 takes no settings"), "{e}");
    // guard's own keys are still read as before.
    assert!(parse("[policies]\nmass-deletion-threshold = 3\n").is_ok());
    let e = parse("[policies]\nmass-deletion-treshold = 3\n").unwrap_err();
    assert!(e.contains("unknown key `mass-deletion-treshold`"), "{e}");
}
