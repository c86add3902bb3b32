//! Issue 5: the two-person approval check for DEL001, against a local stand-in for GitHub: the
//! adapter's side (routes, pagination, retries, 403/404 handling, GHES base, the head re-read).
//! The rules themselves are unit tests of `guard::two_person::evaluation` over evidence values.

use crate::github_support;

use github_support::*;
use guard::github::{run_async, ApprovalConfig, ApprovalState, CommentMode, GithubArgs};
use guard::report::{Outcome, Report};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn args() -> GithubArgs {
    GithubArgs {
        comment_mode: CommentMode::Off,
        ..Default::default()
    }
}

const PULL: &str = "/repos/acme/infra/pulls/42";
const REVIEWS: &str = "/repos/acme/infra/pulls/42/reviews";
const COMMITS: &str = "/repos/acme/infra/pulls/42/commits";

fn perm_route(login: &str) -> String {
    format!("/repos/acme/infra/collaborators/{login}/permission")
}

/// A pull request by `dev` at HEAD with one commit by `dev`, these reviews and permissions.
async fn github(reviews: Vec<Value>, perms: &[(&str, &str)]) -> MockServer {
    let server = server().await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    mount_pages(&server, REVIEWS, vec![reviews]).await;
    mount_pages(
        &server,
        COMMITS,
        vec![vec![commit("dev", "dev", "Remove the CI user")]],
    )
    .await;
    for (login, level) in perms {
        mount_get(&server, &perm_route(login), permission(login, level)).await;
    }
    server
}

async fn check(server: &MockServer, config: Option<ApprovalConfig>) -> (Report, Vec<String>) {
    let report = privileged_report();
    let mut a = args();
    a.approval = config;
    let ctx = context(server, a, &[]);
    let (report, out) = run_async(report, &ctx).await;
    assert_authenticated(server).await;
    (report, out.faults)
}

fn base_requests() -> Vec<String> {
    vec![
        format!("GET {PULL}"),
        format!("GET {REVIEWS}?per_page=100"),
        format!("GET {COMMITS}?per_page=100"),
    ]
}

fn expected(perms: &[&str], extra: &[String]) -> Vec<String> {
    let mut v = base_requests();
    v.extend(perms.iter().map(|l| format!("GET {}", perm_route(l))));
    v.extend(extra.iter().cloned());
    v.push(format!("GET {PULL}"));
    v
}

fn del001_blocking(report: &Report) -> usize {
    report
        .findings
        .iter()
        .filter(|f| f.finding.code == "DEL001" && f.is_blocking())
        .count()
}

fn excluded(report: &Report, login: &str) -> String {
    let a = report.approval.as_ref().unwrap();
    a.excluded
        .iter()
        .find(|e| e.login == login)
        .map(|e| e.reason.clone())
        .unwrap_or_else(|| panic!("{login} not excluded: {a:?}"))
}

#[tokio::test]
async fn two_valid_approvals_pass() {
    let server = github(
        vec![approve(1, "alice"), approve(2, "bob")],
        &[("alice", "write"), ("bob", "admin")],
    )
    .await;
    let (report, faults) = check(&server, None).await;
    assert!(faults.is_empty(), "{faults:?}");
    let a = report.approval.as_ref().unwrap();
    assert_eq!(a.state, ApprovalState::Approved);
    assert_eq!(a.counted, vec!["alice", "bob"]);
    assert_eq!(a.required, 2);
    assert_eq!(a.head_sha.as_deref(), Some(HEAD));
    assert_eq!(a.triggers.len(), 2);
    assert!(a.fingerprint.starts_with("sha256:"));
    assert_eq!(del001_blocking(&report), 0);
    for f in report
        .findings
        .iter()
        .filter(|f| f.finding.code == "DEL001")
    {
        assert_eq!(f.approved_by.as_deref(), Some("alice, bob"));
    }
    // ENC001 on the instance still blocks: approvals only cover DEL001.
    assert_eq!(report.blocking_count(), 1);
    assert!(report
        .notes
        .iter()
        .any(|n| n.starts_with("approval: approved 2/2 by alice, bob on 6dcb09b")));
    assert_eq!(requests(&server).await, expected(&["alice", "bob"], &[]));
}

#[tokio::test]
async fn read_only_approvers_do_not_count() {
    let server = server().await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    mount_pages(
        &server,
        REVIEWS,
        vec![vec![
            approve(1, "alice"),
            approve(2, "tim"),
            approve(3, "out"),
        ]],
    )
    .await;
    mount_pages(&server, COMMITS, vec![vec![commit("dev", "dev", "x")]]).await;
    mount_get(&server, &perm_route("alice"), permission("alice", "write")).await;
    mount_get(&server, &perm_route("tim"), permission("tim", "triage")).await;
    Mock::given(method("GET"))
        .and(path(perm_route("out")))
        .respond_with(error(404, "Not Found"))
        .mount(&server)
        .await;
    let (report, faults) = check(&server, None).await;
    assert!(faults.is_empty());
    assert_eq!(excluded(&report, "tim"), "no write permission (triage)");
    assert_eq!(
        excluded(&report, "out"),
        "no write permission (not a collaborator)"
    );
    assert_eq!(
        report.approval.as_ref().unwrap().state,
        ApprovalState::Pending
    );
    assert_eq!(
        requests(&server).await,
        expected(&["alice", "tim", "out"], &[])
    );
}

#[tokio::test]
async fn reviews_across_three_pages() {
    let server = server().await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    let mut page1: Vec<Value> = (0..100)
        .map(|i| {
            review(
                100 + i,
                &format!("viewer{i}"),
                "User",
                "COMMENTED",
                HEAD,
                "note",
            )
        })
        .collect();
    page1[0] = review(1, "bob", "User", "CHANGES_REQUESTED", OLD, "no");
    let page2: Vec<Value> = (0..100)
        .map(|i| {
            review(
                300 + i,
                &format!("viewer{i}"),
                "User",
                "COMMENTED",
                HEAD,
                "note",
            )
        })
        .collect();
    let page3 = vec![approve(500, "alice"), approve(501, "bob")];
    mount_pages(&server, REVIEWS, vec![page1, page2, page3]).await;
    mount_pages(&server, COMMITS, vec![vec![commit("dev", "dev", "x")]]).await;
    mount_get(&server, &perm_route("alice"), permission("alice", "write")).await;
    mount_get(&server, &perm_route("bob"), permission("bob", "write")).await;
    let (report, faults) = check(&server, None).await;
    assert!(faults.is_empty(), "{faults:?}");
    let a = report.approval.as_ref().unwrap();
    // bob's latest decisive review (page 3) is an approval of the head.
    assert_eq!(a.state, ApprovalState::Approved);
    assert_eq!(a.counted, vec!["bob", "alice"]);
    let r = requests(&server).await;
    assert_eq!(
        r,
        vec![
            format!("GET {PULL}"),
            format!("GET {REVIEWS}?per_page=100"),
            format!("GET {REVIEWS}?per_page=100&page=2"),
            format!("GET {REVIEWS}?per_page=100&page=3"),
            format!("GET {COMMITS}?per_page=100"),
            format!("GET {}", perm_route("bob")),
            format!("GET {}", perm_route("alice")),
            format!("GET {PULL}"),
        ]
    );
    // Pages 2 and 3 come from absolute `Link` URLs and still carry the token.
    assert_authenticated(&server).await;
}

#[tokio::test]
async fn team_membership_that_cannot_be_verified_fails_closed() {
    let server = github(
        vec![approve(1, "alice"), approve(2, "bob")],
        &[("alice", "write"), ("bob", "write")],
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/teams/platform/memberships/alice"))
        .respond_with(error(404, "Not Found"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/teams/platform"))
        .respond_with(error(404, "Not Found"))
        .mount(&server)
        .await;
    let config = ApprovalConfig {
        required: 2,
        teams: vec!["platform".into()],
        break_glass_team: None,
        team_groups: vec![],
    };
    let (report, faults) = check(&server, Some(config)).await;
    assert_eq!(faults.len(), 1);
    assert!(
        faults[0].contains("cannot verify membership of `alice` in team `acme/platform`"),
        "{}",
        faults[0]
    );
    assert!(faults[0].contains("members:read"));
    let a = report.approval.as_ref().unwrap();
    assert_eq!(a.state, ApprovalState::Failed);
    assert!(report.github_failed);
    assert_eq!(report.outcome(), Outcome::PolicyFailure);
    assert_eq!(del001_blocking(&report), 2);
    let mut want = base_requests();
    want.push(format!("GET {}", perm_route("alice")));
    want.push("GET /orgs/acme/teams/platform/memberships/alice".into());
    want.push("GET /orgs/acme/teams/platform".into());
    assert_eq!(requests(&server).await, want);
}

#[tokio::test]
async fn team_members_count_and_visible_non_members_do_not() {
    let server = github(
        vec![approve(1, "alice"), approve(2, "bob")],
        &[("alice", "write"), ("bob", "write")],
    )
    .await;
    mount_get(
        &server,
        "/orgs/acme/teams/platform/memberships/alice",
        fixture("membership"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/teams/platform/memberships/bob"))
        .respond_with(error(404, "Not Found"))
        .mount(&server)
        .await;
    mount_get(&server, "/orgs/acme/teams/platform", fixture("team")).await;
    let config = ApprovalConfig {
        required: 1,
        teams: vec!["acme/platform".into()],
        break_glass_team: None,
        team_groups: vec![],
    };
    let (report, faults) = check(&server, Some(config)).await;
    assert!(faults.is_empty(), "{faults:?}");
    let a = report.approval.as_ref().unwrap();
    // required = max(config 1, settings 2)
    assert_eq!(a.required, 2);
    assert_eq!(a.counted, vec!["alice"]);
    assert_eq!(excluded(&report, "bob"), "not a member of an approval team");
    assert_eq!(
        requests(&server).await,
        expected(
            &["alice"],
            &[
                "GET /orgs/acme/teams/platform/memberships/alice".into(),
                format!("GET {}", perm_route("bob")),
                "GET /orgs/acme/teams/platform/memberships/bob".into(),
                "GET /orgs/acme/teams/platform".into(),
            ]
        )
    );
}

async fn fails_closed_on(response: ResponseTemplate, expect_in_reason: &str, attempts: usize) {
    let server = server().await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    Mock::given(method("GET"))
        .and(path(REVIEWS))
        .respond_with(response)
        .mount(&server)
        .await;
    let (report, faults) = check(&server, None).await;
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert!(faults[0].contains(expect_in_reason), "{}", faults[0]);
    assert!(!faults[0].contains(TOKEN));
    assert_eq!(
        report.approval.as_ref().unwrap().state,
        ApprovalState::Failed
    );
    assert_eq!(del001_blocking(&report), 2);
    assert!(report.github_failed);
    let mut want = vec![format!("GET {PULL}")];
    want.extend(std::iter::repeat_n(
        format!("GET {REVIEWS}?per_page=100"),
        attempts,
    ));
    assert_eq!(requests(&server).await, want);
}

#[tokio::test]
async fn server_error_fails_closed_after_bounded_retries() {
    fails_closed_on(error(500, "Server Error"), "HTTP 500: Server Error", 5).await;
}

#[tokio::test]
async fn forbidden_fails_closed_without_retry() {
    fails_closed_on(
        error(403, "Resource not accessible by integration"),
        "GET /repos/acme/infra/pulls/42/reviews failed: HTTP 403: Resource not accessible by integration",
        1,
    )
    .await;
}

#[tokio::test]
async fn timeout_fails_closed() {
    fails_closed_on(
        ok(json!([])).set_delay(Duration::from_millis(1500)),
        "timed out",
        5,
    )
    .await;
}

#[tokio::test]
async fn head_moved_during_the_check_fails_closed() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(PULL))
        .respond_with(ok(pull(HEAD, "dev")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(PULL))
        .respond_with(ok(pull(NEWER, "dev")))
        .with_priority(2)
        .mount(&server)
        .await;
    mount_pages(
        &server,
        REVIEWS,
        vec![vec![approve(1, "alice"), approve(2, "bob")]],
    )
    .await;
    mount_pages(&server, COMMITS, vec![vec![commit("dev", "dev", "x")]]).await;
    mount_get(&server, &perm_route("alice"), permission("alice", "write")).await;
    mount_get(&server, &perm_route("bob"), permission("bob", "write")).await;
    let (report, faults) = check(&server, None).await;
    assert_eq!(faults.len(), 1);
    assert!(
        faults[0].contains("head moved from 6dcb09b to e5bd391 during the check"),
        "{}",
        faults[0]
    );
    assert_eq!(del001_blocking(&report), 2);
    assert_eq!(requests(&server).await, expected(&["alice", "bob"], &[]));
}

#[tokio::test]
async fn plan_for_an_older_head_fails_closed() {
    let server = github(vec![approve(1, "alice"), approve(2, "bob")], &[]).await;
    let report = privileged_report();
    let mut a = args();
    a.sha = Some(OLD.to_string());
    let ctx = context(&server, a, &[]);
    let (_, out) = run_async(report, &ctx).await;
    assert_eq!(out.faults.len(), 1);
    assert!(
        out.faults[0].contains("the plan was made for 9fceb02"),
        "{}",
        out.faults[0]
    );
    assert_eq!(requests(&server).await, vec![format!("GET {PULL}")]);
}

#[tokio::test]
async fn break_glass_with_the_team_configured_overrides() {
    let server = github(
        vec![
            review(1, "bob", "User", "CHANGES_REQUESTED", HEAD, "no"),
            review(
                2,
                "sre",
                "User",
                "APPROVED",
                HEAD,
                "/guard override: INC-4711 production outage, rotating the API account",
            ),
        ],
        &[("bob", "write"), ("sre", "admin")],
    )
    .await;
    mount_get(
        &server,
        "/orgs/acme/teams/sre-oncall/memberships/sre",
        fixture("membership"),
    )
    .await;
    let config = ApprovalConfig {
        required: 2,
        teams: vec![],
        break_glass_team: Some("acme/sre-oncall".into()),
        team_groups: vec![],
    };
    let (report, faults) = check(&server, Some(config)).await;
    assert!(faults.is_empty(), "{faults:?}");
    let a = report.approval.as_ref().unwrap();
    assert_eq!(a.state, ApprovalState::Overridden);
    let o = a.override_.as_ref().unwrap();
    assert_eq!(o.by, "sre");
    assert_eq!(
        o.reason,
        "INC-4711 production outage, rotating the API account"
    );
    assert_eq!(del001_blocking(&report), 0);
    let approved = report
        .findings
        .iter()
        .find(|f| f.finding.code == "DEL001")
        .unwrap();
    assert_eq!(
        approved.approved_by.as_deref(),
        Some("override by sre: INC-4711 production outage, rotating the API account")
    );
    assert!(report
        .notes
        .iter()
        .any(|n| n.contains("OVERRIDDEN by sre: INC-4711")));
    assert_eq!(
        requests(&server).await,
        expected(
            &["bob", "sre"],
            &["GET /orgs/acme/teams/sre-oncall/memberships/sre".into()]
        )
    );
}

#[tokio::test]
async fn no_token_fails_closed_and_no_request_is_made() {
    let server = server().await;
    let report = privileged_report();
    let ctx = context(&server, args(), &[("GITHUB_TOKEN", "")]);
    let (_, out) = run_async(report, &ctx).await;
    assert_eq!(
        out.faults,
        vec!["no GITHUB_TOKEN: approvals cannot be checked".to_string()]
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn nothing_to_approve_makes_no_request() {
    let server = server().await;
    let mut report = report("github/plan-privileged.json");
    report.findings.retain(|f| f.finding.code != "DEL001");
    let ctx = context(&server, args(), &[]);
    let (report, out) = run_async(report, &ctx).await;
    assert!(out.faults.is_empty());
    assert!(report.approval.is_none());
    assert!(requests(&server).await.is_empty());
}

#[test]
fn local_run_keeps_del001_with_needs_two_approvals() {
    let report = guard::github::run(
        privileged_report(),
        &GithubArgs::default(),
        &guard_policies::Settings::default(),
    )
    .report;
    let del: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.finding.code == "DEL001")
        .collect();
    assert_eq!(del.len(), 2);
    assert!(del
        .iter()
        .all(|f| f.is_blocking() && f.finding.message.ends_with("needs 2 approvals")));
    assert_eq!(report.outcome(), Outcome::PolicyFailure);
    let a = report.approval.as_ref().unwrap();
    assert_eq!(a.state, ApprovalState::NotChecked);
    assert_eq!(
        a.triggers
            .iter()
            .map(|t| (
                t.address.as_str(),
                t.resource_type.as_str(),
                t.actions.join(",")
            ))
            .collect::<Vec<_>>(),
        vec![
            ("aws_iam_user.ci", "aws_iam_user", "delete".to_string()),
            (
                "google_service_account.api",
                "google_service_account",
                "delete,create".to_string()
            ),
        ]
    );
}

#[tokio::test]
async fn an_unknown_planned_commit_fails_closed() {
    let server = github(
        vec![approve(1, "alice"), approve(2, "bob")],
        &[("alice", "write"), ("bob", "admin")],
    )
    .await;
    let report = privileged_report();
    let mut ctx = context(&server, args(), &[]);
    // As in a workflow_dispatch run with --pr and no --sha.
    ctx.sha = None;
    let (report, out) = run_async(report, &ctx).await;
    assert!(
        out.faults
            .iter()
            .any(|f| f.contains("commit that was planned is unknown")),
        "{:?}",
        out.faults
    );
    assert!(del001_blocking(&report) > 0);
}

#[tokio::test]
async fn a_ghes_base_keeps_every_route_and_page_under_it() {
    let server = server().await;
    let base = "/api/v3";
    mount_get(&server, &format!("{base}{PULL}"), pull(HEAD, "dev")).await;
    mount_pages(
        &server,
        &format!("{base}{REVIEWS}"),
        vec![vec![approve(1, "alice")], vec![approve(2, "bob")]],
    )
    .await;
    mount_pages(
        &server,
        &format!("{base}{COMMITS}"),
        vec![vec![commit("dev", "dev", "x")]],
    )
    .await;
    for login in ["alice", "bob"] {
        mount_get(
            &server,
            &format!("{base}{}", perm_route(login)),
            permission(login, "write"),
        )
        .await;
    }
    let report = privileged_report();
    let api = format!("{}{base}", server.uri());
    let ctx = context(&server, args(), &[("GITHUB_API_URL", api.as_str())]);
    let (report, out) = run_async(report, &ctx).await;
    assert!(out.faults.is_empty(), "{:?}", out.faults);
    assert_eq!(
        report.approval.as_ref().unwrap().state,
        ApprovalState::Approved
    );
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {base}{PULL}"),
            format!("GET {base}{REVIEWS}?per_page=100"),
            format!("GET {base}{REVIEWS}?per_page=100&page=2"),
            format!("GET {base}{COMMITS}?per_page=100"),
            format!("GET {base}{}", perm_route("alice")),
            format!("GET {base}{}", perm_route("bob")),
            format!("GET {base}{PULL}"),
        ]
    );
    // Page 2 came from an absolute `Link` URL on the GHES host and still carries the token.
    assert_authenticated(&server).await;
}

#[tokio::test]
async fn a_next_page_link_off_the_api_base_fails_closed() {
    let server = server().await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    Mock::given(method("GET"))
        .and(path(REVIEWS))
        .respond_with(ok(json!([approve(1, "alice")])).insert_header(
            "link",
            "<https://evil.example/repos/acme/infra/pulls/42/reviews?page=2>; rel=\"next\"",
        ))
        .mount(&server)
        .await;
    let (report, faults) = check(&server, None).await;
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert!(
        faults[0].contains("the next-page link points outside the API base URL"),
        "{}",
        faults[0]
    );
    assert_eq!(
        report.approval.as_ref().unwrap().state,
        ApprovalState::Failed
    );
}

#[tokio::test]
async fn a_response_that_is_not_githubs_shape_fails_closed() {
    // A review without `user.id`, `html_url`, … is not what GitHub sends: octocrab's model
    // refuses it, and the check fails instead of guessing.
    let server = server().await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    mount_pages(
        &server,
        REVIEWS,
        vec![vec![json!({"user": {"login": "alice", "type": "User"}, "state": "APPROVED", "commit_id": HEAD})]],
    )
    .await;
    let (report, faults) = check(&server, None).await;
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert!(
        faults[0].contains(
            "GET /repos/acme/infra/pulls/42/reviews failed: HTTP 200: unexpected response"
        ),
        "{}",
        faults[0]
    );
    assert_eq!(del001_blocking(&report), 2);
}
