//! The two-person approval check for privileged deletions (DEL001), GitHub's side: fetch the
//! evidence and ask [`crate::two_person::reviews`] what it means.
//!
//! A review counts only when every rule holds (issue 5, research §4.3):
//! 1. it is the reviewer's latest review among APPROVED / CHANGES_REQUESTED / DISMISSED, and it
//!    is APPROVED (a later COMMENTED does not revoke it);
//! 2. its `commit_id` is the pull request's head SHA, read fresh from the API;
//! 3. the reviewer is a human (`type == "User"`, login not ending in `[bot]`);
//! 4. the reviewer is not the author, and authored, co-authored (`Co-authored-by:`) or committed
//!    no commit of the pull request. Git identities GitHub did not link to a login (trailers,
//!    commits whose e-mail belongs to no account) are compared with the reviewer's profile: the
//!    same public e-mail excludes; the same name, or an e-mail or name equal to the login, cannot
//!    be told apart with certainty and excludes too, saying so;
//! 5. the reviewer has write, maintain or admin permission;
//! 6. with `teams` configured, the reviewer is an active member of one of them; membership that
//!    cannot be verified fails the check, it never reads as "not a member".
//!
//! The check passes when counted approvals reach `required` and no human reviewer with write
//! access has CHANGES_REQUESTED as their latest state. Break-glass: only with
//! `break_glass_team` configured, an approval that passes rules 1–6, whose body starts with
//! `/guard override:` and a reason, from an active member of that team, passes the check as
//! OVERRIDDEN with who and why recorded.
//!
//! Every API fault (error status, timeout, pagination failure) and a head that moved fails the
//! check: the caller turns `Err` ([`CheckError`]) into exit 1 with the reason.

use super::client::{ApiError, Client, Method};
use crate::two_person::reviews::{
    self, CommitEvidence, Contributors, Person, Profile, ReviewEvidence, WriteAccess,
};
use crate::two_person::{
    short_sha, ApprovalConfig, ApprovalState, ApprovalSummary, Excluded, Override, Trigger,
    OVERRIDE_PREFIX,
};
use serde::Deserialize;
use std::collections::BTreeMap;

/// More commits than GitHub lists for one pull request: co-authorship cannot be checked.
const MAX_PR_COMMITS: u64 = 250;

// ---- GitHub's JSON shapes (only the fields read) ----

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct User {
    pub login: String,
    #[serde(rename = "type", default)]
    pub kind: String,
}

impl User {
    pub(crate) fn is_bot(&self) -> bool {
        self.kind != "User" || self.login.to_ascii_lowercase().ends_with("[bot]")
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PullHead {
    pub sha: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Pull {
    pub user: Option<User>,
    pub head: PullHead,
    #[serde(default)]
    pub commits: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
struct Review {
    user: Option<User>,
    #[serde(default)]
    body: Option<String>,
    state: String,
    #[serde(default)]
    commit_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct GitPerson {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct GitCommit {
    #[serde(default)]
    message: String,
    #[serde(default)]
    author: Option<GitPerson>,
    #[serde(default)]
    committer: Option<GitPerson>,
}

#[derive(Debug, Clone, Deserialize)]
struct PrCommit {
    author: Option<User>,
    committer: Option<User>,
    commit: GitCommit,
}

/// `GET /users/{login}`: the public profile (name and e-mail are often null).
#[derive(Debug, Clone, Deserialize)]
struct RawProfile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Permission {
    permission: String,
    #[serde(default)]
    role_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Membership {
    state: String,
}

/// Where the check runs.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub owner: &'a str,
    pub repo: &'a str,
    pub pr: u64,
    /// The commit the plan was made for, when known: approvals must be on it.
    pub planned_sha: Option<&'a str>,
}

impl Target<'_> {
    fn repo_route(&self) -> String {
        format!("/repos/{}/{}", seg(self.owner), seg(self.repo))
    }
}

/// Percent-encodes one path segment.
pub(crate) fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Why the approval check could not be completed: it fails closed.
#[derive(Debug)]
pub enum CheckError {
    /// A request failed (error status, timeout, pagination).
    Api(ApiError),
    /// What GitHub returned cannot be tied to the plan or verified (head moved, too many
    /// commits, team membership not visible).
    Unverifiable(String),
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckError::Api(e) => e.fmt(f),
            CheckError::Unverifiable(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for CheckError {}

impl From<ApiError> for CheckError {
    fn from(e: ApiError) -> Self {
        CheckError::Api(e)
    }
}

impl From<RawProfile> for Profile {
    fn from(p: RawProfile) -> Self {
        Profile {
            name: p.name,
            email: p.email,
        }
    }
}

impl From<&PrCommit> for CommitEvidence {
    fn from(c: &PrCommit) -> Self {
        let person = |p: &Option<GitPerson>| {
            p.as_ref().map(|p| Person {
                name: p.name.clone(),
                email: p.email.clone(),
            })
        };
        CommitEvidence {
            author_login: c.author.as_ref().map(|u| u.login.clone()),
            committer_login: c.committer.as_ref().map(|u| u.login.clone()),
            author: person(&c.commit.author),
            committer: person(&c.commit.committer),
            message: c.commit.message.clone(),
        }
    }
}

impl Review {
    fn evidence(&self) -> Option<ReviewEvidence> {
        let user = self.user.as_ref()?;
        Some(ReviewEvidence {
            login: user.login.clone(),
            is_bot: user.is_bot(),
            state: self.state.clone(),
            commit_id: self.commit_id.clone(),
            body: self.body.clone(),
        })
    }
}

pub(crate) async fn get_pull(client: &Client, target: &Target<'_>) -> Result<Pull, ApiError> {
    client
        .json(
            Method::Get,
            &format!("{}/pulls/{}", target.repo_route(), target.pr),
            None,
        )
        .await
}

/// Runs the check. `Err` is a fault: the check could not be completed.
pub async fn check(
    client: &Client,
    target: &Target<'_>,
    config: &ApprovalConfig,
    triggers: Vec<Trigger>,
) -> Result<ApprovalSummary, CheckError> {
    let required = config.required.max(1);
    let mut summary = ApprovalSummary::new(ApprovalState::Pending, required, triggers);

    let pull = get_pull(client, target).await?;
    let head = pull.head.sha.clone();
    summary.head_sha = Some(head.clone());
    // Without the planned commit, an approval of whatever the head is now could count for a plan
    // of an older one: fail closed.
    let Some(planned) = target.planned_sha else {
        return Err(CheckError::Unverifiable(
            "the commit that was planned is unknown (no --sha and no pull_request event):              approvals cannot be tied to it"
                .to_string(),
        ));
    };
    if !planned.eq_ignore_ascii_case(&head) {
        return Err(CheckError::Unverifiable(format!(
            "the pull request head is {} but the plan was made for {}: approvals can only \
             count for the planned commit; re-run on the new head",
            short_sha(&head),
            short_sha(planned)
        )));
    }
    if pull.commits.unwrap_or(0) > MAX_PR_COMMITS {
        return Err(CheckError::Unverifiable(format!(
            "the pull request has more than {MAX_PR_COMMITS} commits: GitHub does not list them \
             all, so co-authors cannot be excluded"
        )));
    }
    let author = pull.user.as_ref().map(|u| u.login.to_ascii_lowercase());

    let reviews: Vec<Review> = client
        .list(&format!(
            "{}/pulls/{}/reviews",
            target.repo_route(),
            target.pr
        ))
        .await?;
    let commits: Vec<PrCommit> = client
        .list(&format!(
            "{}/pulls/{}/commits",
            target.repo_route(),
            target.pr
        ))
        .await?;
    if commits.len() as u64 >= MAX_PR_COMMITS {
        return Err(CheckError::Unverifiable(format!(
            "the pull request lists {MAX_PR_COMMITS} commits or more: co-authors cannot be \
             excluded reliably"
        )));
    }
    let commits: Vec<CommitEvidence> = commits.iter().map(CommitEvidence::from).collect();
    let contributors = Contributors::new(&commits);
    let reviewers = reviews::latest_reviews(reviews.iter().filter_map(Review::evidence).collect());

    // The rules in the order that asks GitHub least: the ones over evidence at hand first, a
    // lookup (profile, permission, teams) only for a reviewer still in the running.
    let mut teams = Teams::new(target.owner);
    let mut candidates: Vec<(String, ReviewEvidence)> = Vec::new();
    'reviewers: for (first, latest) in reviewers {
        let login = first.login.clone();
        let key = login.to_ascii_lowercase();
        let exclude = |summary: &mut ApprovalSummary, reason: &str| {
            summary.excluded.push(Excluded {
                login: login.clone(),
                reason: reason.to_string(),
            })
        };
        let Some(review) = latest else {
            exclude(&mut summary, "only commented");
            continue;
        };
        if first.is_bot {
            exclude(&mut summary, "bot account");
            continue;
        }
        match review.state.as_str() {
            "DISMISSED" => {
                exclude(&mut summary, "review dismissed");
                continue;
            }
            "CHANGES_REQUESTED" => {
                if has_write(client, target, &login).await? == WriteAccess::Yes {
                    summary.changes_requested.push(login.clone());
                    exclude(&mut summary, "requested changes");
                } else {
                    exclude(
                        &mut summary,
                        "requested changes without write permission (ignored)",
                    );
                }
                continue;
            }
            _ => {}
        }
        if author.as_deref() == Some(key.as_str()) {
            exclude(&mut summary, "pull request author");
            continue;
        }
        if let Some(why) = contributors.involvement(&login) {
            exclude(&mut summary, why);
            continue;
        }
        if contributors.needs_profile() {
            let profile: RawProfile = client
                .json(Method::Get, &format!("/users/{}", seg(&login)), None)
                .await?;
            if let Some(why) = contributors.unlinked_involvement(&login, &profile.into()) {
                exclude(&mut summary, &why);
                continue;
            }
        }
        if let Some(why) = reviews::stale_approval(review.commit_id.as_deref(), &head) {
            exclude(&mut summary, &why);
            continue;
        }
        if let WriteAccess::No(level) = has_write(client, target, &login).await? {
            exclude(&mut summary, &format!("no write permission ({level})"));
            continue;
        }
        if !config.teams.is_empty()
            && !teams
                .is_member_of_any(client, &config.teams, &login)
                .await?
        {
            exclude(&mut summary, "not a member of an approval team");
            continue;
        }
        for group in &config.team_groups {
            if !teams.is_member_of_any(client, group, &login).await? {
                exclude(
                    &mut summary,
                    &format!("not a member of any of {} (guard.toml)", group.join(", ")),
                );
                continue 'reviewers;
            }
        }
        candidates.push((login.clone(), review.clone()));
    }

    let mut ignored_override = None;
    for (login, review) in &candidates {
        let reason = reviews::override_reason(review.body.as_deref());
        match (&config.break_glass_team, reason) {
            (Some(team), Some(reason))
                if summary.override_.is_none() && teams.is_member(client, team, login).await? =>
            {
                summary.override_ = Some(Override {
                    by: login.clone(),
                    reason,
                });
            }
            (None, Some(_)) => ignored_override = Some(login.clone()),
            _ => {}
        }
        summary.counted.push(login.clone());
    }

    summary.state = reviews::decide(
        summary.override_.as_ref(),
        summary.changes_requested.len(),
        summary.counted.len(),
        required,
    );
    if let Some(login) = ignored_override {
        if summary.state != ApprovalState::Overridden {
            summary.reason = Some(format!(
                "`{OVERRIDE_PREFIX}` from {login} ignored: no approval.break_glass_team is \
                 configured (counted as a plain approval)"
            ));
        }
    }

    // The race: a push while we evaluated. Approvals judged against an old head mean nothing.
    let after = get_pull(client, target).await?;
    if !after.head.sha.eq_ignore_ascii_case(&head) {
        return Err(CheckError::Unverifiable(format!(
            "the pull request head moved from {} to {} during the check: superseded, re-run",
            short_sha(&head),
            short_sha(&after.head.sha)
        )));
    }
    Ok(summary)
}

/// Whether `login` may approve; `Err` when that cannot be read.
async fn has_write(
    client: &Client,
    target: &Target<'_>,
    login: &str,
) -> Result<WriteAccess, CheckError> {
    let route = format!(
        "{}/collaborators/{}/permission",
        target.repo_route(),
        seg(login)
    );
    match client.json::<Permission>(Method::Get, &route, None).await {
        Ok(p) => {
            let role = p.role_name.as_deref().unwrap_or("").to_ascii_lowercase();
            let permission = p.permission.to_ascii_lowercase();
            if matches!(permission.as_str(), "admin" | "maintain" | "write")
                || matches!(role.as_str(), "admin" | "maintain" | "write")
            {
                Ok(WriteAccess::Yes)
            } else {
                Ok(WriteAccess::No(if role.is_empty() {
                    permission
                } else {
                    role
                }))
            }
        }
        // Not a collaborator at all.
        Err(e) if e.is_not_found() => Ok(WriteAccess::No("not a collaborator".to_string())),
        Err(e) => Err(e.into()),
    }
}

/// Team membership lookups, cached.
struct Teams<'a> {
    default_org: &'a str,
    visible: BTreeMap<(String, String), bool>,
}

impl<'a> Teams<'a> {
    fn new(default_org: &'a str) -> Self {
        Teams {
            default_org,
            visible: BTreeMap::new(),
        }
    }

    /// Active membership of one of `teams`, asked in order until one says yes.
    async fn is_member_of_any(
        &mut self,
        client: &Client,
        teams: &[String],
        login: &str,
    ) -> Result<bool, CheckError> {
        for team in teams {
            if self.is_member(client, team, login).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Active membership; `Err` when it cannot be verified (never read as "not a member").
    async fn is_member(
        &mut self,
        client: &Client,
        team: &str,
        login: &str,
    ) -> Result<bool, CheckError> {
        let (org, slug) = match team.split_once('/') {
            Some((o, s)) => (o.trim(), s.trim()),
            None => (self.default_org, team.trim()),
        };
        let unverifiable = |why: &str| {
            CheckError::Unverifiable(format!(
                "cannot verify membership of `{login}` in team `{org}/{slug}` ({why}; the token \
                 needs members:read / read:org): failing closed"
            ))
        };
        let route = format!(
            "/orgs/{}/teams/{}/memberships/{}",
            seg(org),
            seg(slug),
            seg(login)
        );
        match client.json::<Membership>(Method::Get, &route, None).await {
            Ok(m) => Ok(m.state == "active"),
            Err(e) if e.is_not_found() => {
                // 404 means "not a member" only when the token can see the team.
                let key = (org.to_string(), slug.to_string());
                let visible = match self.visible.get(&key) {
                    Some(v) => *v,
                    None => {
                        let team_route = format!("/orgs/{}/teams/{}", seg(org), seg(slug));
                        let v = match client.call(Method::Get, &team_route, None).await {
                            Ok(()) => true,
                            Err(e) if e.is_not_found() || e.is_forbidden() => false,
                            Err(e) => return Err(unverifiable(&e.to_string())),
                        };
                        self.visible.insert(key, v);
                        v
                    }
                };
                if visible {
                    Ok(false)
                } else {
                    Err(unverifiable("the team is not visible to the token"))
                }
            }
            Err(e) => Err(unverifiable(&e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_become_evidence_with_their_trailers() {
        let commits: Vec<PrCommit> = serde_json::from_value(serde_json::json!([{
            "author": {"login": "dev", "type": "User"},
            "committer": {"login": "web-flow", "type": "User"},
            "commit": {"message": "x\n\nCo-authored-by: Carol <12345+carol@users.noreply.github.com>\nCo-authored-by: dave <d@example.com>",
                       "author": {"name": "Dev", "email": "dev@example.com"},
                       "committer": {"name": "GitHub", "email": "noreply@github.com"}}
        }]))
        .unwrap();
        let evidence: Vec<CommitEvidence> = commits.iter().map(CommitEvidence::from).collect();
        let c = Contributors::new(&evidence);
        assert!(c.involvement("dev").is_some());
        assert!(c.involvement("Carol").is_some());
        assert!(c.involvement("dave").is_some());
        assert!(c.involvement("erin").is_none());
    }
}
