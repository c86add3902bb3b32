//! Issue 6: the sticky comment, the job summary, the check run and the outputs, against a local
//! stand-in for GitHub.

use crate::github_support;

use github_support::plans::{big_plan, write_plan};
use github_support::*;
use guard::github::{run_async, ApprovalConfig, CommentMode, Context, GithubArgs};
use guard::report::markdown::{marker_key, COMMENT_BUDGET};
use guard::report::{Outcome, Report};
use guard::stages::Triaged;
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PULL: &str = "/repos/acme/infra/pulls/42";
const COMMENTS: &str = "/repos/acme/infra/issues/42/comments";
const KEY: &str = "testdata/github";

fn args(mode: CommentMode) -> GithubArgs {
    GithubArgs {
        comment_mode: mode,
        ..Default::default()
    }
}

/// A report with nothing that needs approval (so these tests only see comment traffic).
fn plain_report() -> Triaged {
    let mut r = privileged_report();
    r.findings.retain(|f| f.finding.code != "DEL001");
    r
}

fn ours(id: u64, body: &str) -> Value {
    comment(id, "github-actions[bot]", "Bot", body)
}

fn marker_body(key: &str) -> String {
    format!("<!-- guard:v1 key={key} sha={OLD} run=1 -->\n### old\n")
}

fn filler(from: u64, n: u64) -> Vec<Value> {
    (from..from + n)
        .map(|i| comment(i, &format!("user{i}"), "User", "Looks good to me"))
        .collect()
}

async fn created_response(server: &MockServer, status: u16) {
    let mut c = fixture("comment");
    c["id"] = json!(999);
    c["html_url"] = json!("https://github.com/acme/infra/pull/42#issuecomment-999");
    Mock::given(method("POST"))
        .and(path(COMMENTS))
        .respond_with(ResponseTemplate::new(status).set_body_json(c))
        .mount(server)
        .await;
}

async fn run(
    server: &MockServer,
    report: Triaged,
    ctx: &Context,
) -> (Report, guard::github::RunOutput) {
    let (report, out) = run_async(report, ctx).await;
    assert_authenticated(server).await;
    (report, out)
}

fn bodies(reqs: &[Request], m: &str) -> Vec<Value> {
    reqs.iter()
        .filter(|r| r.method.as_str() == m)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn creates_the_comment_when_there_is_none() {
    let server = server().await;
    mount_pages(
        &server,
        COMMENTS,
        vec![vec![comment(1, "dev", "User", "please review")]],
    )
    .await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    created_response(&server, 201).await;
    let report = plain_report();
    let ctx = context(&server, args(CommentMode::Update), &[]);
    let (_, out) = run(&server, report, &ctx).await;
    assert_eq!(
        out.comment_url.as_deref(),
        Some("https://github.com/acme/infra/pull/42#issuecomment-999")
    );
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {PULL}"),
            format!("POST {COMMENTS}"),
        ]
    );
    let reqs = server.received_requests().await.unwrap();
    let body = bodies(&reqs, "POST")[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        body.starts_with(&format!(
            "<!-- guard:v1 key={KEY} sha={HEAD} run=9001 -->\n"
        )),
        "{body}"
    );
    assert_eq!(marker_key(&body), Some(KEY));
    assert!(body.len() <= COMMENT_BUDGET);
    assert!(body.contains("[run 9001](https://github.com/acme/infra/actions/runs/9001)"));
    assert!(!body.contains(TOKEN));
}

#[tokio::test]
async fn updates_in_place_when_it_is_on_page_three_and_hides_duplicates() {
    let server = server().await;
    let mut page1 = filler(1, 100);
    page1[10] = ours(11, &marker_body(KEY)); // an older duplicate
    let page2 = filler(101, 100);
    let mut page3 = filler(201, 20);
    page3[5] = ours(206, &marker_body(KEY));
    page3[6] = ours(207, &marker_body("other/dir")); // another key: untouched
    mount_pages(&server, COMMENTS, vec![page1, page2, page3]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    let mut updated = ours(206, "new");
    updated["html_url"] = json!("https://github.com/acme/infra/pull/42#issuecomment-206");
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/infra/issues/comments/206"))
        .respond_with(ok(updated))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_partial_json(json!({"variables": {"id": "IC_node11"}})))
        .respond_with(ok(
            json!({"data": {"minimizeComment": {"minimizedComment": {"isMinimized": true}}}}),
        ))
        .mount(&server)
        .await;
    let report = plain_report();
    let ctx = context(&server, args(CommentMode::Update), &[]);
    let (_, out) = run(&server, report, &ctx).await;
    assert_eq!(
        out.comment_url.as_deref(),
        Some("https://github.com/acme/infra/pull/42#issuecomment-206")
    );
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {COMMENTS}?per_page=100&page=2"),
            format!("GET {COMMENTS}?per_page=100&page=3"),
            format!("GET {PULL}"),
            "PATCH /repos/acme/infra/issues/comments/206".to_string(),
            "POST /graphql".to_string(),
        ]
    );
    let reqs = server.received_requests().await.unwrap();
    let gql = &bodies(&reqs, "POST")[0];
    assert!(gql["query"].as_str().unwrap().contains("minimizeComment"));
    assert!(gql["query"].as_str().unwrap().contains("OUTDATED"));
}

#[tokio::test]
async fn skips_the_write_when_the_body_is_identical() {
    // First run: capture the body posted.
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    created_response(&server, 201).await;
    let report = plain_report();
    let _ = run(
        &server,
        report,
        &context(&server, args(CommentMode::Update), &[]),
    )
    .await;
    let reqs = server.received_requests().await.unwrap();
    let first = bodies(&reqs, "POST")[0]["body"]
        .as_str()
        .unwrap()
        .to_string();

    // Second run (another run id): the same report finds its comment and does not write.
    let server = server_with_existing(&first).await;
    let report = plain_report();
    let ctx = context(
        &server,
        args(CommentMode::Update),
        &[("GITHUB_RUN_ID", "9002")],
    );
    let (_, out) = run(&server, report, &ctx).await;
    assert_eq!(
        out.comment_url.as_deref(),
        Some("https://github.com/acme/infra/pull/42#issuecomment-77")
    );
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {PULL}")
        ]
    );
}

async fn server_with_existing(body: &str) -> MockServer {
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![ours(77, body)]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    server
}

#[tokio::test]
async fn ignores_a_look_alike_comment_by_another_user() {
    let server = server().await;
    mount_pages(
        &server,
        COMMENTS,
        vec![vec![
            comment(5, "mallory", "User", &marker_body(KEY)),
            // A user who picked a bot-like name is still a User.
            comment(6, "github-actions[bot]", "User", &marker_body(KEY)),
            // Our identity, but the marker is not on the first line.
            ours(7, &format!("hello\n{}", marker_body(KEY))),
        ]],
    )
    .await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    created_response(&server, 201).await;
    let report = plain_report();
    let _ = run(
        &server,
        report,
        &context(&server, args(CommentMode::Update), &[]),
    )
    .await;
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {PULL}"),
            format!("POST {COMMENTS}")
        ]
    );
}

#[tokio::test]
async fn a_stale_head_writes_nothing() {
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![ours(77, &marker_body(KEY))]]).await;
    mount_get(&server, PULL, pull(NEWER, "dev")).await;
    let report = plain_report();
    let (report, out) = run(
        &server,
        report,
        &context(&server, args(CommentMode::Update), &[]),
    )
    .await;
    assert!(out.faults.is_empty());
    assert_eq!(out.comment_url, None);
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {PULL}")
        ]
    );
    assert!(report
        .notes
        .iter()
        .any(|n| n.contains("head moved to e5bd391")));
}

#[tokio::test]
async fn retries_a_server_error_then_succeeds() {
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    Mock::given(method("POST"))
        .and(path(COMMENTS))
        .respond_with(error(502, "Server Error"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    created_response(&server, 201).await;
    let report = plain_report();
    let (_, out) = run(
        &server,
        report,
        &context(&server, args(CommentMode::Update), &[]),
    )
    .await;
    assert!(out.comment_url.is_some());
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {PULL}"),
            format!("POST {COMMENTS}"),
            format!("POST {COMMENTS}"),
        ]
    );
}

#[tokio::test]
async fn secondary_rate_limit_is_retried() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(COMMENTS))
        .respond_with(
            error(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.")
                .insert_header("retry-after", "0"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_pages(&server, COMMENTS, vec![vec![]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    created_response(&server, 201).await;
    let report = plain_report();
    let (_, out) = run(
        &server,
        report,
        &context(&server, args(CommentMode::Update), &[]),
    )
    .await;
    assert!(out.comment_url.is_some());
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn forbidden_falls_back_to_the_job_summary_and_keeps_the_exit_code() {
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    Mock::given(method("POST"))
        .and(path(COMMENTS))
        .respond_with(error(403, "Resource not accessible by integration"))
        .mount(&server)
        .await;
    let summary = temp_file("summary-403.md");
    let report = plain_report();
    let before = Report::build(report.clone()).outcome();
    let ctx = context(
        &server,
        args(CommentMode::Update),
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    let (report, out) = run(&server, report, &ctx).await;
    assert!(out.faults.is_empty());
    assert_eq!(report.outcome(), before);
    assert!(!report.github_failed);
    let notes: Vec<&String> = report
        .notes
        .iter()
        .filter(|n| n.contains("cannot comment"))
        .collect();
    assert_eq!(notes.len(), 1, "{:?}", report.notes);
    assert!(notes[0].contains("job summary"));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("### 🛡️ guard"), "{text}");
    assert!(text.contains("Blocking findings"));
    // No retries for a plain 403.
    assert_eq!(
        requests(&server)
            .await
            .iter()
            .filter(|r| r.starts_with("POST"))
            .count(),
        1
    );
}

#[tokio::test]
async fn nothing_to_say_and_no_comment_posts_nothing() {
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    let plan = write_plan(
        "empty.json",
        &json!({"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": [], "complete": true, "errored": false}),
    );
    let report = report_at(&plan, "infra/empty/plan.json");
    let (_, out) = run(
        &server,
        report,
        &context(&server, args(CommentMode::Update), &[]),
    )
    .await;
    assert_eq!(out.comment_url, None);
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {PULL}")
        ]
    );
}

#[tokio::test]
async fn hide_and_new_posts_then_minimizes_every_older_comment() {
    let server = server().await;
    mount_pages(
        &server,
        COMMENTS,
        vec![vec![
            ours(11, &marker_body(KEY)),
            ours(12, &marker_body(KEY)),
        ]],
    )
    .await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    created_response(&server, 201).await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .respond_with(ok(
            json!({"data": {"minimizeComment": {"minimizedComment": {"isMinimized": true}}}}),
        ))
        .mount(&server)
        .await;
    let report = plain_report();
    let _ = run(
        &server,
        report,
        &context(&server, args(CommentMode::HideAndNew), &[]),
    )
    .await;
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {PULL}"),
            format!("POST {COMMENTS}"),
            "POST /graphql".to_string(),
            "POST /graphql".to_string(),
        ]
    );
}

#[tokio::test]
async fn delete_and_new_posts_then_deletes_older_comments() {
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![ours(11, &marker_body(KEY))]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    created_response(&server, 201).await;
    Mock::given(method("DELETE"))
        .and(path("/repos/acme/infra/issues/comments/11"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let report = plain_report();
    let _ = run(
        &server,
        report,
        &context(&server, args(CommentMode::DeleteAndNew), &[]),
    )
    .await;
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {PULL}"),
            format!("POST {COMMENTS}"),
            "DELETE /repos/acme/infra/issues/comments/11".to_string(),
        ]
    );
}

#[tokio::test]
async fn new_mode_always_posts() {
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![ours(11, &marker_body(KEY))]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    created_response(&server, 201).await;
    let report = plain_report();
    let _ = run(
        &server,
        report,
        &context(&server, args(CommentMode::New), &[]),
    )
    .await;
    assert_eq!(
        requests(&server).await,
        vec![
            format!("GET {COMMENTS}?per_page=100"),
            format!("GET {PULL}"),
            format!("POST {COMMENTS}")
        ]
    );
}

#[tokio::test]
async fn a_5000_resource_plan_fits_the_budget_with_exact_counts() {
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    created_response(&server, 201).await;
    let plan = write_plan("big-5000.json", &big_plan(5000));
    let mut report = report_at(&plan, "infra/big/plan.json");
    report.findings.retain(|f| f.finding.code != "DEL001");
    let summary = temp_file("summary-big.md");
    let ctx = context(
        &server,
        args(CommentMode::Update),
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    let _ = run(&server, report, &ctx).await;
    let reqs = server.received_requests().await.unwrap();
    let body = bodies(&reqs, "POST")[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.len() <= COMMENT_BUDGET, "{} bytes", body.len());
    assert!(
        body.len() > COMMENT_BUDGET - 5_000,
        "budget badly used: {} bytes",
        body.len()
    );
    // Terraform's arithmetic, exact: 2000 creates + 1000 replaces add, 1000 deletes + 1000 replaces destroy.
    assert!(
        body.contains("| `infra/big/plan.json` | 3000 | 1000 | 2000 | 1000 | 0 | 0 | 0 | 0 |"),
        "{}",
        &body[..2000]
    );
    assert!(body.contains("`Plan: 3000 to add, 1000 to change, 2000 to destroy.`"));
    assert!(body.contains("#### ⚠️ Destructive changes (2000, 1000 privileged)"));
    assert!(body.contains(
        "<details><summary>Resource changes in <code>infra/big/plan.json</code> (5000)</summary>"
    ));
    assert!(body.contains("items were left out to fit the size limit"));
    assert!(body.contains("more resources not shown here (see the job summary)"));
    assert_eq!(
        body.matches("<details>").count(),
        body.matches("</details>").count()
    );
    // The job summary holds everything.
    let full = std::fs::read_to_string(&summary).unwrap();
    assert!(full.len() > body.len());
    assert!(full.contains("module.m49.aws_sns_topic.r[\"k-4999\"]"));
}

#[tokio::test]
async fn check_run_gets_every_annotation_in_batches_of_50() {
    let server = server().await;
    mount_pages(&server, COMMENTS, vec![vec![]]).await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    created_response(&server, 201).await;
    let mut run_json = fixture("check-run");
    run_json["id"] = json!(4);
    Mock::given(method("POST"))
        .and(path("/repos/acme/infra/check-runs"))
        .respond_with(ResponseTemplate::new(201).set_body_json(run_json.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/infra/check-runs/4"))
        .respond_with(ok(run_json))
        .mount(&server)
        .await;
    // 600 resources: 120 privileged role replacements (DEL001) and whatever else the policies
    // find; DEL001 renamed so no approval check runs.
    let plan = write_plan("roles-600.json", &big_plan(600));
    let mut report = report_at(&plan, "infra/roles/plan.json");
    report.findings.iter_mut().for_each(|f| {
        if f.finding.code == "DEL001" {
            f.finding.code = "TST001";
        }
    });
    let n = report.findings.iter().filter(|f| f.is_active()).count();
    assert!(n > 100, "{n}");
    let blocking = Report::build(report.clone()).blocking_count();
    let mut ctx = context(&server, args(CommentMode::Off), &[]);
    ctx.check_run = true;
    let output = temp_file("outputs.txt");
    ctx.output_file = Some(output.clone());
    let (_, out) = run(&server, report, &ctx).await;
    assert_eq!(
        out.check_run_url.as_deref(),
        Some("https://github.com/acme/infra/runs/4")
    );
    let sent = n.min(1000);
    let batches = sent.div_ceil(50);
    let mut want = vec!["POST /repos/acme/infra/check-runs".to_string()];
    want.extend(std::iter::repeat_n(
        "PATCH /repos/acme/infra/check-runs/4".to_string(),
        batches - 1,
    ));
    assert_eq!(requests(&server).await, want);
    let reqs = server.received_requests().await.unwrap();
    let post = &bodies(&reqs, "POST")[0];
    assert_eq!(post["name"], "guard");
    assert_eq!(post["head_sha"], HEAD);
    assert_eq!(post["conclusion"], "failure");
    let sizes: Vec<usize> = reqs
        .iter()
        .map(|r| {
            serde_json::from_slice::<Value>(&r.body).unwrap()["output"]["annotations"]
                .as_array()
                .unwrap()
                .len()
        })
        .collect();
    let mut want_sizes = vec![50; sent / 50];
    if sent % 50 > 0 {
        want_sizes.push(sent % 50);
    }
    assert_eq!(sizes, want_sizes);
    assert_eq!(
        post["output"]["annotations"][0]["annotation_level"],
        "failure"
    );
    assert!(post["output"]["summary"].as_str().unwrap().len() <= 65_535);
    let outputs = std::fs::read_to_string(&output).unwrap();
    assert!(
        outputs.contains(&format!("blocking-count={blocking}\n")),
        "{outputs}"
    );
    assert!(outputs.contains("destroy-count=240\n"), "{outputs}");
    assert!(outputs.contains("approval-state=not-required\n"));
}

#[tokio::test]
async fn approval_and_comment_in_one_run() {
    let server = server().await;
    mount_get(&server, PULL, pull(HEAD, "dev")).await;
    mount_pages(
        &server,
        "/repos/acme/infra/pulls/42/reviews",
        vec![vec![approve(1, "alice"), approve(2, "bob")]],
    )
    .await;
    mount_pages(
        &server,
        "/repos/acme/infra/pulls/42/commits",
        vec![vec![commit("dev", "dev", "x")]],
    )
    .await;
    for l in ["alice", "bob"] {
        mount_get(
            &server,
            &format!("/repos/acme/infra/collaborators/{l}/permission"),
            permission(l, "write"),
        )
        .await;
    }
    mount_pages(&server, COMMENTS, vec![vec![]]).await;
    created_response(&server, 201).await;
    let report = privileged_report();
    let mut a = args(CommentMode::Update);
    a.approval = Some(ApprovalConfig::default());
    let (report, out) = run(&server, report, &context(&server, a, &[])).await;
    assert!(out.faults.is_empty());
    let reqs = server.received_requests().await.unwrap();
    let body = bodies(&reqs, "POST")[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.contains("🔐 approval 2/2 (approved)"), "{body}");
    assert!(body.contains("- Counted: `alice`, `bob`"));
    assert!(body.contains(" fp=sha256_"));
    assert_eq!(report.outcome(), Outcome::PolicyFailure); // ENC001 still blocks
}
