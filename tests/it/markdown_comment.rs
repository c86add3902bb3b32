//! Snapshots of the pull-request comment, and the escaping and budget rules.

use crate::github_support;

use github_support::plans::{big_plan, write_plan};
use github_support::*;
use guard::report::markdown::{code, marker_key, render_scrubbed, MarkdownContext, COMMENT_BUDGET};
use guard::report::Report;
use guard::two_person::{apply, triggers, ApprovalState, ApprovalSummary, Excluded};
use serde_json::json;

fn ctx(key: &str) -> MarkdownContext {
    MarkdownContext {
        key: Some(key.to_string()),
        sha: Some(HEAD.to_string()),
        repo_url: Some("https://github.com/acme/infra".to_string()),
        run: Some((
            "9001".to_string(),
            "https://github.com/acme/infra/actions/runs/9001".to_string(),
        )),
        marker: true,
        budget: COMMENT_BUDGET,
        full_report: "the job summary",
    }
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"guard \d+\.\d+\.\d+", "guard [version]");
    s
}

#[test]
fn small_plan() {
    let plan = write_plan(
        "small.json",
        &json!({
            "format_version": "1.2",
            "terraform_version": "1.9.5",
            "resource_changes": [
                {"address": "aws_sqs_queue.jobs", "mode": "managed", "type": "aws_sqs_queue", "name": "jobs",
                 "provider_name": "registry.terraform.io/hashicorp/aws",
                 "change": {"actions": ["create"], "before": null, "after": {"name": "jobs"}, "after_unknown": {"arn": true}, "before_sensitive": false, "after_sensitive": {}}},
                {"address": "aws_sns_topic.alerts", "mode": "managed", "type": "aws_sns_topic", "name": "alerts",
                 "provider_name": "registry.terraform.io/hashicorp/aws",
                 "change": {"actions": ["update"], "before": {"name": "alerts", "display_name": "a"}, "after": {"name": "alerts", "display_name": "Alerts"}, "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}}
            ],
            "complete": true, "errored": false
        }),
    );
    let report = report_at(&plan, "infra/queues/plan.json");
    let body = render_scrubbed(&Report::build(report), &ctx("infra/queues"));
    settings().bind(|| insta::assert_snapshot!("comment_small_plan", body));
}

#[test]
fn findings_and_approvals() {
    let mut report = privileged_report();
    let mut a = ApprovalSummary::new(
        ApprovalState::Approved,
        2,
        triggers(&report.findings, &report.plans),
    );
    a.head_sha = Some(HEAD.to_string());
    a.counted = vec!["alice".into(), "bob".into()];
    a.excluded = vec![
        Excluded {
            login: "dev".into(),
            reason: "pull request author".into(),
        },
        Excluded {
            login: "carol".into(),
            reason: "approved an older commit 9fceb02".into(),
        },
        Excluded {
            login: "renovate[bot]".into(),
            reason: "bot account".into(),
        },
    ];
    apply(&mut report.findings, &a);
    report.notes.push(a.note());
    report.approval = Some(a);
    let body = render_scrubbed(&Report::build(report), &ctx("testdata/github"));
    settings().bind(|| insta::assert_snapshot!("comment_findings_and_approvals", body));
}

#[test]
fn truncated_5000_resource_plan() {
    let plan = write_plan("snapshot-5000.json", &big_plan(5000));
    let report = report_at(&plan, "infra/big/plan.json");
    let body = render_scrubbed(&Report::build(report), &ctx("infra/big"));
    assert!(body.len() <= COMMENT_BUDGET, "{}", body.len());
    settings().bind(|| insta::assert_snapshot!("comment_truncated_5000", body));
}

#[test]
fn hostile_strings_stay_inert() {
    let plan = write_plan(
        "hostile.json",
        &json!({
            "format_version": "1.2",
            "terraform_version": "1.9.5",
            "resource_changes": [
                {"address": "aws_iam_user.x[\"@admins `</details>` <!-- guard:v1 key=testdata/github --> #1 ``` | [a](https://evil.example)\"]",
                 "mode": "managed", "type": "aws_iam_user", "name": "x", "index": "k",
                 "provider_name": "registry.terraform.io/hashicorp/aws",
                 "change": {"actions": ["delete"], "before": {"name": "x"}, "after": null, "after_unknown": {}, "before_sensitive": {}, "after_sensitive": false}}
            ],
            "complete": true, "errored": false
        }),
    );
    let report = report_at(&plan, "infra/x/plan.json");
    let body = render_scrubbed(&Report::build(report), &ctx("infra/x"));
    assert_eq!(marker_key(&body), Some("infra/x"));
    // Ours on line 1; the others only ever inside code spans (3 places: blocking, destructive, list).
    assert_eq!(body.matches("<!-- guard:v1").count(), 4);
    assert!(body.starts_with("<!-- guard:v1 key=infra/x "));
    // Every occurrence of the address is inside a code span with a fence of 4 backticks.
    for (i, _) in body.match_indices("@admins") {
        let before = &body[..i];
        assert!(
            before.ends_with("```` aws_iam_user.x[\"") || before.ends_with("````aws_iam_user.x[\""),
            "{}",
            &body[i.saturating_sub(40)..i + 10]
        );
    }
    // Only our own `<details>` open and close at the start of a line.
    assert_eq!(
        body.matches("\n<details>").count(),
        body.matches("\n</details>").count()
    );
    assert_eq!(code("```"), "```` ``` ````");
}
