//! The two-person approval check for privileged deletions (DEL001), GitHub's side: gather the
//! evidence ([`ApprovalEvidence`]) and let [`crate::two_person::evaluation`] decide, without I/O,
//! what it means.
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
//!
//! GitHub's answers are decoded into octocrab's models (`PullRequest`, `Review`, `RepoCommit`,
//! `UserProfile`, `TeamMembership`), except the collaborator permission, whose octocrab model
//! does not accept what GitHub returns (see [`CollaboratorPermission`]).

use super::client::{ApiError, Client, Method};
use crate::two_person::evaluation::{
    self, ApprovalEvidence, Lookup, LookupFailed, PullEvidence, Unverifiable,
};
use crate::two_person::reviews::{CommitEvidence, Person, Profile, ReviewEvidence, WriteAccess};
use crate::two_person::{ApprovalConfig, ApprovalSummary, Trigger};
use octocrab::models::pulls::{PullRequest, Review, ReviewState};
use octocrab::models::repos::{CommitAuthor, RepoCommit};
use octocrab::models::teams::TeamMembership;
use octocrab::models::{Author, UserProfile};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// `GET /repos/{owner}/{repo}/collaborators/{login}/permission`. octocrab's `RepoPermission`
/// types `permission` with the team-permission enum (`pull`, `push`, …), but this route answers
/// `admin`, `write`, `read` or `none`: its model rejects real responses, so guard reads the two
/// fields itself.
#[derive(Debug, Clone, Deserialize)]
struct CollaboratorPermission {
    permission: String,
    #[serde(default)]
    role_name: Option<String>,
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
    pub(crate) fn repo_route(&self) -> String {
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
    /// commits, a lookup that failed, team membership not visible).
    Unverifiable(Unverifiable),
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckError::Api(e) => e.fmt(f),
            CheckError::Unverifiable(why) => why.fmt(f),
        }
    }
}

impl std::error::Error for CheckError {}

impl From<ApiError> for CheckError {
    fn from(e: ApiError) -> Self {
        CheckError::Api(e)
    }
}

impl From<Unverifiable> for CheckError {
    fn from(e: Unverifiable) -> Self {
        CheckError::Unverifiable(e)
    }
}

/// A human account: `type == "User"` and a login not ending in `[bot]`.
fn is_bot(user: &Author) -> bool {
    user.r#type != "User" || user.login.to_ascii_lowercase().ends_with("[bot]")
}

fn pull_evidence(pull: &PullRequest) -> PullEvidence {
    PullEvidence {
        head_sha: pull.head.sha.clone(),
        author: pull.user.as_ref().map(|u| u.login.clone()),
        commits: pull.commits,
    }
}

fn review_evidence(review: &Review) -> Option<ReviewEvidence> {
    let user = review.user.as_ref()?;
    let state = match review.state {
        Some(ReviewState::Approved) => "APPROVED",
        Some(ReviewState::ChangesRequested) => "CHANGES_REQUESTED",
        Some(ReviewState::Dismissed) => "DISMISSED",
        Some(ReviewState::Commented) => "COMMENTED",
        Some(ReviewState::Pending) => "PENDING",
        // `OPEN`, a state octocrab learns later, or none: never a decision.
        _ => "OTHER",
    };
    Some(ReviewEvidence {
        login: user.login.clone(),
        is_bot: is_bot(user),
        state: state.to_string(),
        commit_id: review.commit_id.clone(),
        body: review.body.clone(),
    })
}

fn commit_evidence(c: &RepoCommit) -> CommitEvidence {
    let person = |p: &Option<CommitAuthor>| {
        p.as_ref().map(|p| Person {
            name: Some(p.name.clone()),
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

pub(crate) async fn get_pull(
    client: &Client,
    target: &Target<'_>,
) -> Result<PullRequest, ApiError> {
    client
        .json(
            Method::Get,
            &format!("{}/pulls/{}", target.repo_route(), target.pr),
            None,
        )
        .await
}

/// Runs the check: gathers the evidence, then evaluates it. `Err` is a fault: the check could
/// not be completed.
pub async fn check(
    client: &Client,
    target: &Target<'_>,
    config: &ApprovalConfig,
    triggers: Vec<Trigger>,
) -> Result<ApprovalSummary, CheckError> {
    let evidence = gather(client, target, config).await?;
    Ok(evaluation::evaluate(&evidence, config, triggers)?)
}

/// Everything [`evaluation::evaluate`] reads: the pull request, its reviews and commits, then
/// the lookups the rules still need, one at a time in their order ([`evaluation::next_lookup`]),
/// so a reviewer already excluded costs no request.
pub async fn gather(
    client: &Client,
    target: &Target<'_>,
    config: &ApprovalConfig,
) -> Result<ApprovalEvidence, CheckError> {
    let pull = pull_evidence(&get_pull(client, target).await?);
    // A pull request that cannot be tied to the plan fails before anything else is read.
    evaluation::check_pull(target.planned_sha, &pull)?;
    let pr_route = format!("{}/pulls/{}", target.repo_route(), target.pr);
    let reviews: Vec<Review> = client.list(&format!("{pr_route}/reviews")).await?;
    let commits: Vec<RepoCommit> = client.list(&format!("{pr_route}/commits")).await?;
    let mut evidence = ApprovalEvidence {
        planned_sha: target.planned_sha.map(str::to_string),
        pull,
        reviews: reviews.iter().filter_map(review_evidence).collect(),
        commits: commits.iter().map(commit_evidence).collect(),
        ..ApprovalEvidence::default()
    };
    let mut teams = Teams::new(target.owner);
    let mut asked = BTreeSet::new();
    while let Some(lookup) = evaluation::next_lookup(&evidence, config) {
        // Each lookup is answered once; a repeat would mean the answer was not recorded, and
        // `evaluate` fails closed on what is missing.
        if !asked.insert(lookup.clone()) {
            break;
        }
        match lookup {
            Lookup::Profile(login) => {
                let answer = client
                    .json::<UserProfile>(Method::Get, &format!("/users/{}", seg(&login)), None)
                    .await
                    .map(|p| Profile {
                        name: p.name,
                        email: p.email,
                    })
                    .map_err(failed);
                evidence.answer_profile(&login, answer);
            }
            Lookup::Permission(login) => {
                let answer = write_access(client, target, &login).await.map_err(failed);
                evidence.answer_permission(&login, answer);
            }
            Lookup::Membership { team, login } => {
                let answer = teams.is_member(client, &team, &login).await;
                evidence.answer_membership(&team, &login, answer);
            }
            Lookup::HeadAgain => {
                evidence.head_again = Some(get_pull(client, target).await?.head.sha);
            }
        }
    }
    Ok(evidence)
}

fn failed(e: ApiError) -> LookupFailed {
    LookupFailed(e.to_string())
}

/// Whether `login` may approve; `Err` when that cannot be read.
async fn write_access(
    client: &Client,
    target: &Target<'_>,
    login: &str,
) -> Result<WriteAccess, ApiError> {
    let route = format!(
        "{}/collaborators/{}/permission",
        target.repo_route(),
        seg(login)
    );
    match client
        .json::<CollaboratorPermission>(Method::Get, &route, None)
        .await
    {
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
        Err(e) => Err(e),
    }
}

/// Team membership lookups; whether a team is visible to the token is cached.
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

    /// Active membership; `Err` when it cannot be verified (never read as "not a member").
    async fn is_member(
        &mut self,
        client: &Client,
        team: &str,
        login: &str,
    ) -> Result<bool, LookupFailed> {
        let (org, slug) = match team.split_once('/') {
            Some((o, s)) => (o.trim(), s.trim()),
            None => (self.default_org, team.trim()),
        };
        let unverifiable = |why: &str| {
            LookupFailed(format!(
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
        match client
            .json::<TeamMembership>(Method::Get, &route, None)
            .await
        {
            Ok(m) => Ok(m.state == octocrab::models::memberships::State::Active),
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
    use crate::two_person::reviews::Contributors;

    /// A commit as GitHub lists it (`GET /repos/o/r/pulls/n/commits`), with co-author trailers.
    #[test]
    fn commits_become_evidence_with_their_trailers() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/github/commit.json"
        ))
        .unwrap();
        let mut commit: serde_json::Value = serde_json::from_str(&text).unwrap();
        commit["author"]["login"] = "dev".into();
        commit["committer"]["login"] = "web-flow".into();
        commit["commit"]["message"] = "x\n\nCo-authored-by: Carol <12345+carol@users.noreply.github.com>\nCo-authored-by: dave <d@example.com>".into();
        let commits: Vec<RepoCommit> = serde_json::from_value(serde_json::json!([commit])).unwrap();
        let evidence: Vec<CommitEvidence> = commits.iter().map(commit_evidence).collect();
        let c = Contributors::new(&evidence);
        assert!(c.involvement("dev").is_some());
        assert!(c.involvement("Carol").is_some());
        assert!(c.involvement("dave").is_some());
        assert!(c.involvement("erin").is_none());
    }

    /// GitHub's collaborator-permission answer is read; octocrab's model would refuse it.
    #[test]
    fn collaborator_permission_is_read_from_githubs_shape() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/github/permission.json"
        ))
        .unwrap();
        let p: CollaboratorPermission = serde_json::from_str(&text).unwrap();
        assert_eq!(p.permission, "write");
        assert!(serde_json::from_str::<octocrab::models::repos::RepoPermission>(&text).is_err());
    }

    /// Reviews as GitHub lists them become evidence: the state as GitHub spells it, bots by
    /// account type or `[bot]` login.
    #[test]
    fn reviews_become_evidence_with_state_and_bot_flag() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/github/review.json"
        ))
        .unwrap();
        let fixture: serde_json::Value = serde_json::from_str(&text).unwrap();
        let review = |login: &str, kind: &str, state: &str| {
            let mut r = fixture.clone();
            r["user"]["login"] = login.into();
            r["user"]["type"] = kind.into();
            r["state"] = state.into();
            let r: Review = serde_json::from_value(r).unwrap();
            let e = review_evidence(&r).unwrap();
            (e.state, e.is_bot)
        };
        for state in [
            "APPROVED",
            "CHANGES_REQUESTED",
            "DISMISSED",
            "COMMENTED",
            "PENDING",
        ] {
            assert_eq!(review("alice", "User", state), (state.to_string(), false));
        }
        assert!(review("ci", "Bot", "APPROVED").1);
        assert!(review("renovate[bot]", "User", "APPROVED").1);
        let mut anonymous: Review = serde_json::from_value(fixture.clone()).unwrap();
        anonymous.user = None;
        assert!(review_evidence(&anonymous).is_none());
    }
}
