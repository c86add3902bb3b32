//! Issue 12 §4: a pull request cannot weaken the two-person rule through the `guard.toml` files
//! it can edit. `[approval] teams` and `break-glass-team` come only from trusted configuration
//! (`--trusted-config`, the base branch's file, and the command line); every `guard.toml`
//! between the plan and the repository root combines so that only additions apply.

use crate::github_support::*;
use guard::config::{prepare, pull_request_rules, ConfigArgs};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use wiremock::MockServer;

const ROOT_RULES: &str = r#"
[privileged]
add-types = ["aws_lambda_function"]

[approval]
required = 3
teams = ["acme/platform"]
"#;

/// A repository with a strict root `guard.toml` and an empty one next to the plan.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join("guard.toml"), ROOT_RULES).unwrap();
    let prod = root.join("infra/prod");
    std::fs::create_dir_all(&prod).unwrap();
    std::fs::write(prod.join("guard.toml"), "").unwrap();
    std::fs::copy(
        testdata("github/plan-privileged.json"),
        prod.join("plan.json"),
    )
    .unwrap();
    (tmp, prod.join("plan.json"))
}

#[test]
fn an_empty_nearer_guard_toml_drops_nothing() {
    let (_tmp, plan) = repository();
    let paths = [plan];
    let mut options = guard::Options::default();
    let loaded = prepare(&ConfigArgs::default(), &paths, &mut options).unwrap();
    // Locally the nearest file applies, as documented.
    assert!(loaded
        .file
        .as_deref()
        .unwrap()
        .ends_with("infra/prod/guard.toml"));
    assert_eq!(options.settings.required_approvals, 2);

    guard::protect_two_person_rule(&mut options);
    let (approval, notes) = pull_request_rules(&paths, &loaded, None, &mut options).unwrap();
    assert_eq!(approval.required, 3);
    assert_eq!(options.settings.required_approvals, 3);
    assert!(options
        .settings
        .privileged
        .is_privileged("aws_lambda_function", "aws_lambda_function.f"));
    // The root's teams still restrict who approves, but only as a further requirement.
    assert!(approval.teams.is_empty());
    assert_eq!(
        approval.team_groups,
        vec![vec!["acme/platform".to_string()]]
    );
    assert!(
        notes.iter().any(|n| n.contains("`[approval] teams`")),
        "{notes:?}"
    );
}

#[test]
fn teams_and_break_glass_come_from_the_trusted_file() {
    let (tmp, plan) = repository();
    let root = tmp.path().canonicalize().unwrap();
    // The pull request widens the teams and names a friendly break-glass team.
    std::fs::write(
        root.join("guard.toml"),
        "[approval]\nrequired = 1\nteams = [\"acme/platform\", \"acme/friends\"]\nbreak-glass-team = \"acme/friends\"\n",
    )
    .unwrap();
    let trusted = root.join("base-guard.toml");
    std::fs::write(
        &trusted,
        ROOT_RULES.to_string() + "break-glass-team = \"acme/sre-oncall\"\n",
    )
    .unwrap();
    let paths = [plan];
    let mut options = guard::Options::default();
    let loaded = prepare(&ConfigArgs::default(), &paths, &mut options).unwrap();
    guard::protect_two_person_rule(&mut options);
    let (approval, notes) =
        pull_request_rules(&paths, &loaded, Some(&trusted), &mut options).unwrap();
    assert_eq!(
        approval.required, 3,
        "the trusted file's 3, not the pull request's 1"
    );
    assert_eq!(approval.teams, ["acme/platform"]);
    assert_eq!(
        approval.break_glass_team.as_deref(),
        Some("acme/sre-oncall")
    );
    assert_eq!(
        approval.team_groups,
        vec![vec![
            "acme/platform".to_string(),
            "acme/friends".to_string()
        ]]
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("`[approval] break-glass-team` is not applied")),
        "{notes:?}"
    );
    // A trusted file that is missing is an input error, never a silent "no teams".
    let missing = root.join("nope.toml");
    let mut options = guard::Options::default();
    assert!(pull_request_rules(&paths, &loaded, Some(&missing), &mut options).is_err());
}

/// A pull request by `dev` at HEAD: `friend` approves with an override, `maintainer` (admin)
/// requests changes; `friend` is an active member of `acme/friends`.
async fn github_with_a_friendly_override() -> MockServer {
    let server = server().await;
    mount_get(&server, "/repos/acme/infra/pulls/42", pull(HEAD, "dev")).await;
    mount_pages(
        &server,
        "/repos/acme/infra/pulls/42/reviews",
        vec![vec![
            review(1, "maintainer", "User", "CHANGES_REQUESTED", HEAD, "no"),
            review(
                2,
                "friend",
                "User",
                "APPROVED",
                HEAD,
                "/guard override: trust me",
            ),
        ]],
    )
    .await;
    mount_pages(
        &server,
        "/repos/acme/infra/pulls/42/commits",
        vec![vec![commit("dev", "dev", "Remove the CI user")]],
    )
    .await;
    for (login, level) in [("maintainer", "admin"), ("friend", "write")] {
        mount_get(
            &server,
            &format!("/repos/acme/infra/collaborators/{login}/permission"),
            permission(login, level),
        )
        .await;
    }
    mount_get(
        &server,
        "/orgs/acme/teams/friends/memberships/friend",
        fixture("membership"),
    )
    .await;
    server
}

/// Runs the real binary in `dir` against the stand-in; returns the exit code and the JSON.
async fn run_github(server: &MockServer, dir: &Path, extra: &[&str]) -> (i32, Value) {
    let uri = server.uri();
    let dir = dir.to_path_buf();
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_guard"));
        cmd.current_dir(&dir)
            .args([
                "plan.json",
                "--github",
                "--format",
                "json",
                "--repo",
                "acme/infra",
            ])
            .args([
                "--pr",
                "42",
                "--sha",
                HEAD,
                "--comment-mode",
                "off",
                "--no-check-run",
            ])
            .args(["--no-annotations"])
            .args(&extra);
        for var in [
            "GITHUB_EVENT_PATH",
            "GITHUB_STEP_SUMMARY",
            "GITHUB_OUTPUT",
            "GITHUB_REPOSITORY",
            "GH_TOKEN",
            "GITHUB_ACTIONS",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("GITHUB_API_URL", &uri)
            .env("GITHUB_GRAPHQL_URL", format!("{uri}/graphql"))
            .env("GITHUB_TOKEN", TOKEN)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), json)
}

#[tokio::test]
async fn a_break_glass_team_written_by_the_pull_request_overrides_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::copy(
        testdata("github/plan-privileged.json"),
        dir.join("plan.json"),
    )
    .unwrap();
    std::fs::write(
        dir.join("guard.toml"),
        "[approval]\nbreak-glass-team = \"acme/friends\"\n",
    )
    .unwrap();

    let server = github_with_a_friendly_override().await;
    let (code, json) = run_github(&server, &dir, &[]).await;
    assert_eq!(
        json["approval"]["state"], "changes-requested",
        "one friendly approval passed as an override: {json:#}"
    );
    assert_eq!(code, 1);
    assert!(json["notes"].as_array().unwrap().iter().any(|n| n
        .as_str()
        .unwrap()
        .contains("break-glass-team` is not applied")));

    // The same team named by trusted configuration (the base branch's file) does override.
    let base = dir.join(".base");
    std::fs::create_dir_all(&base).unwrap();
    std::fs::write(
        base.join("guard.toml"),
        "[approval]\nbreak-glass-team = \"acme/friends\"\n",
    )
    .unwrap();
    let server = github_with_a_friendly_override().await;
    let (_, json) = run_github(&server, &dir, &["--trusted-config", ".base/guard.toml"]).await;
    assert_eq!(json["approval"]["state"], "overridden", "{json:#}");
    assert_eq!(json["approval"]["override"]["by"], "friend");
}

/// The root's `teams` survive an empty `guard.toml` next to the plan: a reviewer outside them
/// is not counted.
#[tokio::test]
async fn the_root_teams_still_restrict_who_approves() {
    let (tmp, plan) = repository();
    let root = tmp.path().canonicalize().unwrap();
    std::fs::write(
        root.join("guard.toml"),
        "[approval]\nteams = [\"acme/platform\"]\n",
    )
    .unwrap();
    let server = server().await;
    mount_get(&server, "/repos/acme/infra/pulls/42", pull(HEAD, "dev")).await;
    mount_pages(
        &server,
        "/repos/acme/infra/pulls/42/reviews",
        vec![vec![approve(1, "alice"), approve(2, "bob")]],
    )
    .await;
    mount_pages(
        &server,
        "/repos/acme/infra/pulls/42/commits",
        vec![vec![commit("dev", "dev", "Remove the CI user")]],
    )
    .await;
    for login in ["alice", "bob"] {
        mount_get(
            &server,
            &format!("/repos/acme/infra/collaborators/{login}/permission"),
            permission(login, "write"),
        )
        .await;
    }
    mount_get(
        &server,
        "/orgs/acme/teams/platform/memberships/alice",
        fixture("membership"),
    )
    .await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path(
            "/orgs/acme/teams/platform/memberships/bob",
        ))
        .respond_with(error(404, "Not Found"))
        .mount(&server)
        .await;
    mount_get(&server, "/orgs/acme/teams/platform", fixture("team")).await;
    let (code, json) = run_github(&server, plan.parent().unwrap(), &[]).await;
    assert_eq!(json["approval"]["state"], "pending", "{json:#}");
    assert_eq!(json["approval"]["counted"], serde_json::json!(["alice"]));
    let bob = json["approval"]["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["login"] == "bob")
        .cloned()
        .unwrap();
    assert!(
        bob["reason"].as_str().unwrap().contains("acme/platform"),
        "{bob}"
    );
    assert_eq!(code, 1);
}

/// A pull request cannot hide its own findings in a baseline it names in `guard.toml`: in a
/// pull-request check only the workflow's `--baseline` counts, and the report says why.
#[tokio::test]
async fn a_baseline_named_by_the_pull_request_covers_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::copy(testdata("plans/incident/plan.json"), dir.join("plan.json")).unwrap();
    let written = Command::new(env!("CARGO_BIN_EXE_guard"))
        .current_dir(&dir)
        .args(["plan.json", "--write-baseline", "old.json"])
        .output()
        .unwrap();
    // DEL001 is never baselined, so this plan still fails (1); the file is written all the same.
    assert_eq!(written.status.code(), Some(1));
    assert!(dir.join("old.json").is_file());
    std::fs::write(dir.join("guard.toml"), "baseline = \"old.json\"\n").unwrap();

    // Locally the file's baseline applies: the ENC001 finding is baselined.
    let local = Command::new(env!("CARGO_BIN_EXE_guard"))
        .current_dir(&dir)
        .args(["plan.json", "--format", "json"])
        .output()
        .unwrap();
    let local: Value = serde_json::from_slice(&local.stdout).unwrap();
    let enc001 = |json: &Value| {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "ENC001" && f["severity"] == "high")
            .cloned()
            .unwrap_or_else(|| panic!("no high ENC001: {json:#}"))
    };
    assert_eq!(enc001(&local)["baselined"], true, "{local:#}");

    let server = github_with_a_friendly_override().await;
    let (code, json) = run_github(&server, &dir, &[]).await;
    assert_eq!(code, 1);
    assert_ne!(enc001(&json)["baselined"], true, "{json:#}");
    assert!(
        json["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("`baseline` in guard.toml is ignored")),
        "{json:#}"
    );
}
