//! Issue 12 §4: workflow commands cannot be injected. In a `--github` run the Actions runner
//! reads `::command::` lines from the log; every untrusted string guard prints (Terraform
//! `check` messages, addresses, keys, messages) must be inside guard's `::stop-commands::`
//! region or escaped, so no line starts with `::` unless guard wrote that command.

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// In every injected command: a line carrying it in the command part is an injection.
const PAYLOAD: &str = "PWNED";

fn payloads() -> Vec<String> {
    [
        "::error title=PWNED::injected",
        "  ::add-mask::PWNED",
        "::set-output name=PWNED::x",
        "::stop-commands::PWNED",
        "::warning file=PWNED.tf,line=1::x",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// A plan whose addresses, keys and check messages carry workflow commands after newlines.
fn hostile_plan() -> Value {
    let mut plan: Value = serde_json::from_str(
        &std::fs::read_to_string("testdata/github/plan-privileged.json").unwrap(),
    )
    .unwrap();
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    let mut extra = Vec::new();
    for (i, p) in payloads().iter().enumerate() {
        let mut c = changes[0].clone();
        c["address"] = json!(format!("aws_iam_user.ci[\"k{i}\n{p}\"]"));
        c["index"] = json!(format!("k{i}\n{p}"));
        extra.push(c);
    }
    changes.extend(extra);
    let problems: Vec<Value> = payloads()
        .iter()
        .map(|p| json!({"message": format!("the bucket must be private\n{p}\nreally")}))
        .collect();
    plan["checks"] = json!([{
        "address": {"kind": "check", "name": "c", "to_display": format!("check.c\n{}", payloads()[0])},
        "status": "fail",
        "instances": [{
            "address": {"to_display": format!("check.c\n{}", payloads()[1])},
            "status": "fail",
            "problems": problems,
        }],
    }]);
    plan
}

/// Checks a log as the runner reads it: commands outside a stop region must be guard's own
/// (error, warning, notice, stop-commands) with no payload in the command part; inside a region
/// only the end token may start with `::`.
fn assert_no_injection(log: &str, what: &str) {
    let mut stopped: Option<String> = None;
    for line in log.lines() {
        let body = line.trim_start();
        if let Some(token) = &stopped {
            if body == format!("::{token}::") {
                stopped = None;
            } else {
                assert!(
                    !body.starts_with("::"),
                    "a line in the stop region starts with `::`: {line:?} ({what})"
                );
            }
            continue;
        }
        let Some(rest) = body.strip_prefix("::") else {
            continue;
        };
        let command = rest.split("::").next().unwrap_or("");
        let name = command.split(' ').next().unwrap_or("");
        assert!(
            matches!(name, "error" | "warning" | "notice" | "stop-commands"),
            "a workflow command guard did not write: {line:?} ({what})"
        );
        assert!(
            !command.contains(PAYLOAD),
            "untrusted text in a command: {line:?} ({what})"
        );
        if name == "stop-commands" {
            stopped = Some(rest.trim_start_matches("stop-commands::").to_string());
        }
    }
}

fn run(dir: &Path, format: &str) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .current_dir(dir)
        .args([
            "plan.json",
            "--github",
            "--format",
            format,
            "--color",
            "never",
        ])
        .args([
            "--repo",
            "acme/infra",
            "--comment-mode",
            "off",
            "--no-check-run",
        ])
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_EVENT_PATH")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn hostile_addresses_and_check_messages_run_no_command() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("plan.json"),
        serde_json::to_string_pretty(&hostile_plan()).unwrap(),
    )
    .unwrap();
    for format in ["human", "compact", "markdown", "json", "sarif", "github"] {
        let (stdout, stderr) = run(tmp.path(), format);
        let what = format!("--format {format}\n{stdout}\n{stderr}");
        // The payload is really in the output (the test would be empty otherwise)...
        assert!(stdout.contains(PAYLOAD), "{what}");
        // ...and never as a command.
        assert_no_injection(&stdout, &what);
        assert_no_injection(&stderr, &what);
    }
}

/// A `guard.toml` key is echoed in the error: the error is escaped too.
#[test]
fn a_hostile_guard_toml_key_runs_no_command() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("plan.json"),
        std::fs::read_to_string("testdata/github/plan-privileged.json").unwrap(),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("guard.toml"),
        "\"x\\n::add-mask::PWNED\" = 1\n",
    )
    .unwrap();
    let (stdout, stderr) = run(tmp.path(), "human");
    assert_no_injection(&stdout, &stderr);
    assert_no_injection(&stderr, &stderr);
}
