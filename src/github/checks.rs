//! The `guard` check run: every annotation (GitHub takes 50 per request; later PATCHes append)
//! and a summary within the 65,535-character limit of `output.summary`.

use super::approval::{seg, Target};
use super::client::{ApiError, Client, Method};
use crate::report::github::{annotations, Annotation};
use crate::report::markdown::{render_with, MarkdownContext};
use crate::report::{Outcome, Report};
use octocrab::models::checks::CheckRun;

/// Annotations per request, GitHub's limit.
pub const BATCH: usize = 50;
/// Annotations sent at most (20 requests); the summary and the job summary hold the rest.
pub const MAX_ANNOTATIONS: usize = 1_000;
/// `output.summary` limit, with a margin for multi-byte characters counted as one.
const SUMMARY_LIMIT: usize = 60_000;

fn level(a: &Annotation) -> &'static str {
    match a.level {
        "error" => "failure",
        "warning" => "warning",
        _ => "notice",
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max.saturating_sub(3);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

fn annotation_json(a: &Annotation) -> serde_json::Value {
    // The API requires a path and a line; a finding on a plan points at the plan file, line 1.
    let line = a.line.unwrap_or(1);
    let end_line = a.end_line.filter(|e| *e >= line).unwrap_or(line);
    let mut v = serde_json::json!({
        "path": a.file.clone().unwrap_or_else(|| ".".to_string()),
        "start_line": line,
        "end_line": end_line,
        "annotation_level": level(a),
        // Built from the report's fields, free text through the tripwire (`annotations`).
        "title": truncate(&a.title, 255),
        "message": truncate(&a.message, 60_000),
    });
    // Columns only on single-line annotations.
    if let (Some(c), true) = (a.column, end_line == line) {
        v["start_column"] = c.into();
        v["end_column"] = a.end_column.filter(|e| *e >= c).unwrap_or(c).into();
    }
    v
}

/// Creates the completed check run on `sha` with every annotation; returns its URL.
pub async fn publish(
    client: &Client,
    target: &Target<'_>,
    sha: &str,
    report: &Report,
    ctx: &MarkdownContext,
) -> Result<Option<String>, ApiError> {
    let repo = format!("/repos/{}/{}", seg(target.owner), seg(target.repo));
    let mut all = annotations(report);
    all.truncate(MAX_ANNOTATIONS);
    let title = truncate(
        &format!(
            "{} blocking, {} warnings",
            report.blocking_count(),
            report.warning_count()
        ),
        255,
    );
    let summary = render_with(
        report,
        &MarkdownContext {
            budget: SUMMARY_LIMIT,
            marker: false,
            ..ctx.clone()
        },
    );
    let conclusion = if report.outcome() == Outcome::Clean {
        "success"
    } else {
        "failure"
    };
    let mut batches = all.chunks(BATCH);
    let first: Vec<serde_json::Value> = batches
        .next()
        .unwrap_or(&[])
        .iter()
        .map(annotation_json)
        .collect();
    let created: CheckRun = client
        .json(
            Method::Post,
            &format!("{repo}/check-runs"),
            Some(&serde_json::json!({
                "name": "guard",
                "head_sha": sha,
                "status": "completed",
                "conclusion": conclusion,
                "output": { "title": title, "summary": summary, "annotations": first },
            })),
        )
        .await?;
    for batch in batches {
        let annotations: Vec<serde_json::Value> = batch.iter().map(annotation_json).collect();
        client
            .call(
                Method::Patch,
                &format!("{repo}/check-runs/{}", created.id),
                Some(&serde_json::json!({
                    "output": { "title": title, "summary": summary, "annotations": annotations },
                })),
            )
            .await?;
    }
    Ok(created.html_url)
}
