//! The sticky pull-request comment.
//!
//! 1. List every comment on the pull request (100 per page, every page).
//! 2. Candidates: comments by guard's own identity (login, and `type == "Bot"` for a `[bot]`
//!    login) whose first line is a guard marker with the same key. Anyone else's look-alike is
//!    ignored.
//! 3. Re-read the pull request's head: if it moved past the commit this run planned, write
//!    nothing (a newer run will).
//! 4. By mode: `update` PATCHes the newest candidate (skipped when the body is the same but for
//!    the run link) and minimizes older duplicates; `new` always posts; `hide-and-new` posts then
//!    minimizes the older ones; `delete-and-new` posts then deletes them. With no candidate and
//!    nothing to say, nothing is posted.

use super::approval::{get_pull, Target};
use super::client::{ApiError, Client, Method};
use crate::report::markdown::{comparable, marker_key, sanitize_key};
use crate::two_person::short_sha;
use octocrab::models::issues::Comment;

/// How the comment is kept up to date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CommentMode {
    /// Edit guard's comment in place (default).
    #[default]
    Update,
    /// Post a new comment every run.
    New,
    /// Post a new comment and minimize the older ones as outdated.
    HideAndNew,
    /// Post a new comment and delete the older ones.
    DeleteAndNew,
    /// No comment.
    Off,
}

/// What happened to the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentAction {
    Created,
    Updated,
    /// The body was the same: no write.
    Unchanged,
    /// No candidate and nothing to say.
    NothingToSay,
    /// The head moved: a newer run owns the comment.
    Superseded {
        head: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentOutcome {
    pub action: CommentAction,
    pub url: Option<String>,
    /// Older duplicates minimized or deleted.
    pub cleaned: usize,
    /// Non-fatal problems (a minimize that failed).
    pub warnings: Vec<String>,
}

/// Inputs of [`sync`].
#[derive(Debug, Clone)]
pub struct CommentRequest<'a> {
    pub mode: CommentMode,
    pub key: &'a str,
    /// The login guard comments as (`github-actions[bot]` for `GITHUB_TOKEN`).
    pub identity: &'a str,
    pub body: &'a str,
    /// The commit this run planned; `None` takes the head as read now.
    pub planned_sha: Option<&'a str>,
    /// Something worth posting (changes, findings, errors, approvals).
    pub has_content: bool,
}

fn is_own(c: &Comment, identity: &str, key: &str) -> bool {
    let user = &c.user;
    if !user.login.eq_ignore_ascii_case(identity) {
        return false;
    }
    if identity.to_ascii_lowercase().ends_with("[bot]") && user.r#type != "Bot" {
        return false;
    }
    c.body.as_deref().and_then(marker_key) == Some(key)
}

/// Creates, updates or cleans up guard's comment.
pub async fn sync(
    client: &Client,
    target: &Target<'_>,
    req: &CommentRequest<'_>,
) -> Result<CommentOutcome, ApiError> {
    let key = sanitize_key(req.key);
    let repo = format!(
        "/repos/{}/{}",
        super::approval::seg(target.owner),
        super::approval::seg(target.repo)
    );
    let comments: Vec<Comment> = client
        .list(&format!("{repo}/issues/{}/comments", target.pr))
        .await?;
    let mut candidates: Vec<Comment> = comments
        .into_iter()
        .filter(|c| is_own(c, req.identity, &key))
        .collect();
    candidates.sort_by_key(|c| c.id);

    // Stale-run protection: never overwrite what a run for a newer head wrote.
    let pull = get_pull(client, target).await?;
    if let Some(planned) = req.planned_sha {
        if !planned.eq_ignore_ascii_case(&pull.head.sha) {
            return Ok(CommentOutcome {
                action: CommentAction::Superseded {
                    head: short_sha(&pull.head.sha).to_string(),
                },
                url: None,
                cleaned: 0,
                warnings: Vec::new(),
            });
        }
    }

    let mut outcome = CommentOutcome {
        action: CommentAction::NothingToSay,
        url: None,
        cleaned: 0,
        warnings: Vec::new(),
    };
    let newest = candidates.pop();
    let older = candidates;
    match req.mode {
        CommentMode::Off => {}
        CommentMode::Update => match newest {
            Some(current) => {
                if current.body.as_deref().map(comparable) == Some(comparable(req.body)) {
                    outcome.action = CommentAction::Unchanged;
                    outcome.url = Some(current.html_url.to_string());
                } else {
                    let updated: Comment = client
                        .json(
                            Method::Patch,
                            &format!("{repo}/issues/comments/{}", current.id),
                            Some(&serde_json::json!({ "body": req.body })),
                        )
                        .await?;
                    outcome.action = CommentAction::Updated;
                    outcome.url = Some(updated.html_url.to_string());
                }
                minimize_all(client, &older, &mut outcome).await;
            }
            None if req.has_content => {
                let created = create(client, &repo, target.pr, req.body).await?;
                outcome.action = CommentAction::Created;
                outcome.url = Some(created.html_url.to_string());
            }
            None => {}
        },
        CommentMode::New | CommentMode::HideAndNew | CommentMode::DeleteAndNew => {
            if !req.has_content && newest.is_none() {
                return Ok(outcome);
            }
            let created = create(client, &repo, target.pr, req.body).await?;
            outcome.action = CommentAction::Created;
            outcome.url = Some(created.html_url.to_string());
            let previous: Vec<Comment> = older.into_iter().chain(newest).collect();
            match req.mode {
                CommentMode::HideAndNew => minimize_all(client, &previous, &mut outcome).await,
                CommentMode::DeleteAndNew => {
                    for c in &previous {
                        match client
                            .call(
                                Method::Delete,
                                &format!("{repo}/issues/comments/{}", c.id),
                                None,
                            )
                            .await
                        {
                            Ok(()) => outcome.cleaned += 1,
                            Err(e) => outcome.warnings.push(e.to_string()),
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(outcome)
}

async fn create(client: &Client, repo: &str, pr: u64, body: &str) -> Result<Comment, ApiError> {
    client
        .json(
            Method::Post,
            &format!("{repo}/issues/{pr}/comments"),
            Some(&serde_json::json!({ "body": body })),
        )
        .await
}

/// The GraphQL mutation that hides a comment as outdated.
pub const MINIMIZE_MUTATION: &str = "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }";

async fn minimize_all(client: &Client, comments: &[Comment], outcome: &mut CommentOutcome) {
    for c in comments {
        let node_id = &c.node_id;
        let query = serde_json::json!({
            "query": MINIMIZE_MUTATION,
            "variables": { "id": node_id },
        });
        match client.graphql(&query).await {
            Ok(_) => outcome.cleaned += 1,
            Err(e) => outcome.warnings.push(e.to_string()),
        }
    }
}
