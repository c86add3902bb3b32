//! Issue 12 §4: co-authors and commit authors whose e-mail GitHub did not link to a login are
//! matched to reviewers by e-mail and name as well as login; a reviewer who cannot be told apart
//! from one does not count, and the result says why. Against the GitHub stand-in, with GitHub's
//! response shapes (`GET /users/{login}` from `testdata/github/user.json`).

use crate::github_support::*;
use guard::github::{run_async, ApprovalState, CommentMode, GithubArgs};
use serde_json::{json, Value};
use wiremock::MockServer;

const PULL: &str = "/repos/acme/infra/pulls/42";

fn profile(login: &str, name: Option<&str>, email: Option<&str>) -> Value {
    let mut u = fixture("user");
    u["login"] = json!(login);
    u["html_url"] = json!(format!("https://github.com/{login}"));
    u["url"] = json!(format!("https://api.github.com/users/{login}"));
    u["name"] = json!(name);
    u["email"] = json!(email);
    u
}

/// A commit by `dev` whose message carries these trailers.
fn commit_with(message: &str) -> Value {
    commit("dev", "dev", message)
}

/// A commit whose git author's e-mail belongs to no GitHub account (`author: null`).
fn unlinked_commit(name: &str, email: &str) -> Value {
    let mut c = commit("dev", "dev", "Tweak the key policy");
    c["author"] = Value::Null;
    c["commit"]["author"]["name"] = json!(name);
    c["commit"]["author"]["email"] = json!(email);
    c
}

async fn stand_in(reviewers: &[&str], commits: Vec<Value>, profiles: Vec<Value>) -> MockServer {
    let server = server().await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    let reviews = reviewers
        .iter()
        .enumerate()
        .map(|(i, login)| approve(i as u64 + 1, login))
        .collect();
    mount_pages(&server, &format!("{PULL}/reviews"), vec![reviews]).await;
    mount_pages(&server, &format!("{PULL}/commits"), vec![commits]).await;
    for login in reviewers {
        mount_get(
            &server,
            &format!("/repos/acme/infra/collaborators/{login}/permission"),
            permission(login, "write"),
        )
        .await;
    }
    for p in profiles {
        let login = p["login"].as_str().unwrap().to_string();
        mount_get(&server, &format!("/users/{login}"), p).await;
    }
    server
}

async fn check(server: &MockServer) -> guard::report::Report {
    let report = privileged_report();
    let ctx = context(
        server,
        GithubArgs {
            comment_mode: CommentMode::Off,
            ..Default::default()
        },
        &[],
    );
    let (report, out) = run_async(report, &ctx).await;
    assert!(out.faults.is_empty(), "{:?}", out.faults);
    assert_authenticated(server).await;
    report
}

fn reason(report: &guard::report::Report, login: &str) -> String {
    let a = report.approval.as_ref().unwrap();
    a.excluded
        .iter()
        .find(|e| e.login == login)
        .map(|e| e.reason.clone())
        .unwrap_or_else(|| panic!("{login} was counted: {a:?}"))
}

#[tokio::test]
async fn co_authors_are_matched_by_e_mail_and_name() {
    let server = stand_in(
        &["carol", "dave", "erin", "alice", "bob"],
        vec![
            // Carol's work address, a name she does not use on GitHub.
            commit_with("Rotate\n\nCo-authored-by: C. Danvers <Carol@Acme.example>"),
            // Dave's name, a contractor address GitHub does not know.
            commit_with("Split\n\nCo-authored-by: Dave  Lister <dl@contractor.example>"),
            // Erin committed from an address linked to no account.
            unlinked_commit("E.", "erin@acme.example"),
        ],
        vec![
            profile("carol", Some("Carol Danvers"), Some("carol@acme.example")),
            profile("dave", Some("dave lister"), None),
            profile("erin", None, None),
            profile("alice", Some("Alice Liddell"), Some("alice@acme.example")),
            profile("bob", None, None),
        ],
    )
    .await;
    let report = check(&server).await;
    let a = report.approval.as_ref().unwrap();
    assert_eq!(a.counted, vec!["alice", "bob"], "{a:?}");
    assert_eq!(a.state, ApprovalState::Approved);
    assert_eq!(
        reason(&report, "carol"),
        "co-authored a commit in this pull request (same e-mail)"
    );
    let dave = reason(&report, "dave");
    assert!(
        dave.starts_with("cannot be told apart from co-author `Dave  Lister`"),
        "{dave}"
    );
    let erin = reason(&report, "erin");
    assert!(erin.starts_with("cannot be told apart"), "{erin}");
    // The comment and every format show why (the note carries the reasons).
    assert!(report
        .notes
        .iter()
        .any(|n| n.contains("dave (cannot be told apart from co-author")));
}

#[tokio::test]
async fn linked_identities_cost_no_profile_lookup() {
    // Only logins and noreply addresses: nothing to compare, so no `GET /users/...`.
    let server = stand_in(
        &["alice", "bob"],
        vec![commit_with(
            "Rotate\n\nCo-authored-by: Carol <31337+carol@users.noreply.github.com>",
        )],
        vec![],
    )
    .await;
    let report = check(&server).await;
    assert_eq!(
        report.approval.as_ref().unwrap().counted,
        vec!["alice", "bob"]
    );
    assert!(!requests(&server)
        .await
        .iter()
        .any(|r| r.starts_with("GET /users/")));
}

#[tokio::test]
async fn a_profile_that_cannot_be_read_fails_closed() {
    let server = stand_in(
        &["alice"],
        vec![commit_with("x\n\nCo-authored-by: Someone <s@example.com>")],
        vec![],
    )
    .await;
    let report = privileged_report();
    let ctx = context(
        &server,
        GithubArgs {
            comment_mode: CommentMode::Off,
            ..Default::default()
        },
        &[],
    );
    let (report, out) = run_async(report, &ctx).await;
    assert!(!out.faults.is_empty());
    assert_eq!(
        report.approval.as_ref().unwrap().state,
        ApprovalState::Failed
    );
}
