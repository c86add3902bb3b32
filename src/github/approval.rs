//! The two-person approval check for privileged deletions (DEL001).
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
//! check: the caller turns `Err` into exit 1 with the reason.

use super::client::{ApiError, Client, Method};
use crate::report::Report;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The DEL001 policy code.
pub const POLICY_CODE: &str = "DEL001";

/// The prefix of a break-glass review body.
pub const OVERRIDE_PREFIX: &str = "/guard override:";

/// More commits than GitHub lists for one pull request: co-authorship cannot be checked.
const MAX_PR_COMMITS: u64 = 250;

/// `[approval]` in `guard.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalConfig {
    /// Distinct eligible approvals needed (at least 1; default 2).
    pub required: usize,
    /// Teams (`org/slug`, or `slug` in the repository owner's organization) an approver must
    /// belong to; empty = any eligible reviewer.
    pub teams: Vec<String>,
    /// The team whose members may override with `/guard override: <reason>`; `None` = no
    /// override exists.
    pub break_glass_team: Option<String>,
    /// Further team requirements from the pull request's own `guard.toml` files: a reviewer must
    /// also be an active member of one team of each list. They can only narrow who approves.
    pub team_groups: Vec<Vec<String>>,
}

impl Default for ApprovalConfig {
    fn default() -> Self {
        ApprovalConfig {
            required: 2,
            teams: Vec::new(),
            break_glass_team: None,
            team_groups: Vec::new(),
        }
    }
}

/// Outcome of the approval check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApprovalState {
    /// Local run: nothing was checked, DEL001 stands.
    NotChecked,
    Approved,
    /// Fewer counted approvals than required.
    Pending,
    ChangesRequested,
    /// Passed through break-glass.
    Overridden,
    /// The check could not be completed (fails closed).
    Failed,
}

impl ApprovalState {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::NotChecked => "not-checked",
            ApprovalState::Approved => "approved",
            ApprovalState::Pending => "pending",
            ApprovalState::ChangesRequested => "changes-requested",
            ApprovalState::Overridden => "overridden",
            ApprovalState::Failed => "failed",
        }
    }
    /// Whether DEL001 findings are approved.
    pub fn passes(self) -> bool {
        matches!(self, ApprovalState::Approved | ApprovalState::Overridden)
    }
}

/// One change that requires approval.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Trigger {
    pub address: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub actions: Vec<String>,
}

/// A reviewer who was not counted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub login: String,
    pub reason: String,
}

/// A break-glass override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Override {
    pub by: String,
    pub reason: String,
}

/// The approval check's result, rendered by every format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalSummary {
    pub state: ApprovalState,
    pub required: usize,
    /// The head commit approvals were judged against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_sha: Option<String>,
    /// `sha256:<hex>` of the sorted triggering changes.
    pub fingerprint: String,
    pub triggers: Vec<Trigger>,
    /// Reviewers whose approval counted.
    pub counted: Vec<String>,
    pub excluded: Vec<Excluded>,
    /// Reviewers with write access whose latest review requests changes.
    pub changes_requested: Vec<String>,
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    pub override_: Option<Override>,
    /// Why the check failed or was not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ApprovalSummary {
    pub fn new(state: ApprovalState, required: usize, triggers: Vec<Trigger>) -> Self {
        ApprovalSummary {
            state,
            required,
            head_sha: None,
            fingerprint: fingerprint(&triggers),
            triggers,
            counted: Vec::new(),
            excluded: Vec::new(),
            changes_requested: Vec::new(),
            override_: None,
            reason: None,
        }
    }

    /// One line for `Report::notes` (every format renders notes).
    pub fn note(&self) -> String {
        let mut line = match self.state {
            ApprovalState::NotChecked => format!(
                "approval: not checked (run with --github on a pull request); {} approvals required",
                self.required
            ),
            ApprovalState::Approved => format!(
                "approval: approved {}/{} by {}",
                self.counted.len(),
                self.required,
                self.counted.join(", ")
            ),
            ApprovalState::Pending => format!(
                "approval: pending, {}/{} approvals{}",
                self.counted.len(),
                self.required,
                if self.counted.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", self.counted.join(", "))
                }
            ),
            ApprovalState::ChangesRequested => format!(
                "approval: changes requested by {}",
                self.changes_requested.join(", ")
            ),
            ApprovalState::Overridden => match &self.override_ {
                Some(o) => format!("approval: OVERRIDDEN by {}: {}", o.by, o.reason),
                None => "approval: OVERRIDDEN".to_string(),
            },
            ApprovalState::Failed => format!(
                "approval: check failed: {}",
                self.reason.as_deref().unwrap_or("unknown reason")
            ),
        };
        if let Some(sha) = &self.head_sha {
            line.push_str(&format!(" on {}", short_sha(sha)));
        }
        if !self.excluded.is_empty() {
            let excluded: Vec<String> = self
                .excluded
                .iter()
                .map(|e| format!("{} ({})", e.login, e.reason))
                .collect();
            line.push_str(&format!("; not counted: {}", excluded.join(", ")));
        }
        line.push_str(&format!("; fingerprint {}", self.fingerprint));
        line
    }
}

/// The first 7 characters of a SHA.
pub fn short_sha(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

/// Active (not suppressed) DEL001 findings exist.
pub fn needs_approval(report: &Report) -> bool {
    report
        .findings
        .iter()
        .any(|f| f.finding.code == POLICY_CODE && f.suppression.is_none())
}

/// The changes behind the active DEL001 findings, sorted.
pub fn triggers(report: &Report) -> Vec<Trigger> {
    let mut out: Vec<Trigger> = report
        .findings
        .iter()
        .filter(|f| f.finding.code == POLICY_CODE && f.suppression.is_none())
        .filter_map(|f| {
            let address = f.finding.address.clone()?;
            let change = report
                .plans
                .iter()
                .filter(|p| p.file == f.source_name)
                .chain(report.plans.iter())
                .flat_map(|p| p.destructive.iter())
                .find(|d| d.address == address);
            Some(match change {
                Some(d) => Trigger {
                    address,
                    resource_type: d.resource_type.clone(),
                    actions: d.actions.iter().map(|a| a.to_string()).collect(),
                },
                // Drift: deleted outside Terraform, so not among the plan's changes.
                None => Trigger {
                    resource_type: type_of_address(&address),
                    address,
                    actions: vec!["drift".to_string(), "delete".to_string()],
                },
            })
        })
        .collect();
    out.sort();
    out
}

/// `sha256:<hex>` of the canonical JSON of sorted `[address, type, [actions]]`.
pub fn fingerprint(triggers: &[Trigger]) -> String {
    let mut sorted = triggers.to_vec();
    sorted.sort();
    let canonical: Vec<serde_json::Value> = sorted
        .iter()
        .map(|t| serde_json::json!([t.address, t.resource_type, t.actions]))
        .collect();
    let text = serde_json::to_string(&canonical).unwrap_or_default();
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The resource type in an address: `module.a["k"].aws_iam_user.x[0]` → `aws_iam_user`.
fn type_of_address(address: &str) -> String {
    let mut parts = split_address(address).into_iter();
    while let Some(part) = parts.next() {
        match part.as_str() {
            "module" => {
                parts.next();
            }
            "data" => return parts.next().unwrap_or_default(),
            _ => return part,
        }
    }
    String::new()
}

/// Splits an address on dots outside `[...]`, dropping index keys.
fn split_address(address: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in address.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' if depth > 0 => in_string = true,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => out.push(std::mem::take(&mut current)),
            _ if depth == 0 => current.push(c),
            _ => {}
        }
    }
    out.push(current);
    out
}

// ---- GitHub's JSON shapes (only the fields read) ----

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct User {
    pub login: String,
    #[serde(rename = "type", default)]
    pub kind: String,
}

impl User {
    pub fn is_bot(&self) -> bool {
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
struct Profile {
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

fn api(e: ApiError) -> String {
    e.to_string()
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
) -> Result<ApprovalSummary, String> {
    let required = config.required.max(1);
    let mut summary = ApprovalSummary::new(ApprovalState::Pending, required, triggers);

    let pull = get_pull(client, target).await.map_err(api)?;
    let head = pull.head.sha.clone();
    summary.head_sha = Some(head.clone());
    // Without the planned commit, an approval of whatever the head is now could count for a plan
    // of an older one: fail closed.
    let Some(planned) = target.planned_sha else {
        return Err(
            "the commit that was planned is unknown (no --sha and no pull_request event):              approvals cannot be tied to it"
                .to_string(),
        );
    };
    {
        if !planned.eq_ignore_ascii_case(&head) {
            return Err(format!(
                "the pull request head is {} but the plan was made for {}: approvals can only \
                 count for the planned commit; re-run on the new head",
                short_sha(&head),
                short_sha(planned)
            ));
        }
    }
    if pull.commits.unwrap_or(0) > MAX_PR_COMMITS {
        return Err(format!(
            "the pull request has more than {MAX_PR_COMMITS} commits: GitHub does not list them \
             all, so co-authors cannot be excluded"
        ));
    }
    let author = pull.user.as_ref().map(|u| u.login.to_ascii_lowercase());

    let reviews: Vec<Review> = client
        .list(&format!(
            "{}/pulls/{}/reviews",
            target.repo_route(),
            target.pr
        ))
        .await
        .map_err(api)?;
    let commits: Vec<PrCommit> = client
        .list(&format!(
            "{}/pulls/{}/commits",
            target.repo_route(),
            target.pr
        ))
        .await
        .map_err(api)?;
    if commits.len() as u64 >= MAX_PR_COMMITS {
        return Err(format!(
            "the pull request lists {MAX_PR_COMMITS} commits or more: co-authors cannot be \
             excluded reliably"
        ));
    }
    let contributors = Contributors::new(&commits);

    // Latest decisive review per reviewer, in order of first appearance.
    let mut order: Vec<String> = Vec::new();
    let mut latest: HashMap<String, Review> = HashMap::new();
    let mut users: HashMap<String, User> = HashMap::new();
    for review in reviews {
        let Some(user) = review.user.clone() else {
            continue;
        };
        let key = user.login.to_ascii_lowercase();
        if !users.contains_key(&key) {
            order.push(key.clone());
            users.insert(key.clone(), user);
        }
        if matches!(
            review.state.as_str(),
            "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED"
        ) {
            latest.insert(key, review);
        }
    }

    let mut teams = Teams::new(target.owner);
    let mut candidates: Vec<(String, Review)> = Vec::new();
    'reviewers: for key in &order {
        let user = &users[key];
        let login = user.login.clone();
        let exclude = |summary: &mut ApprovalSummary, reason: &str| {
            summary.excluded.push(Excluded {
                login: login.clone(),
                reason: reason.to_string(),
            })
        };
        let Some(review) = latest.get(key) else {
            exclude(&mut summary, "only commented");
            continue;
        };
        if user.is_bot() {
            exclude(&mut summary, "bot account");
            continue;
        }
        match review.state.as_str() {
            "DISMISSED" => {
                exclude(&mut summary, "review dismissed");
                continue;
            }
            "CHANGES_REQUESTED" => {
                if has_write(client, target, &login).await?.is_ok() {
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
        if let Some(why) = contributors.unlinked_involvement(client, &login).await? {
            exclude(&mut summary, &why);
            continue;
        }
        let commit = review.commit_id.clone().unwrap_or_default();
        if !commit.eq_ignore_ascii_case(&head) {
            let reason = if commit.is_empty() {
                "approval is not tied to a commit".to_string()
            } else {
                format!("approved an older commit {}", short_sha(&commit))
            };
            exclude(&mut summary, &reason);
            continue;
        }
        if let Err(level) = has_write(client, target, &login).await? {
            exclude(&mut summary, &format!("no write permission ({level})"));
            continue;
        }
        if !config.teams.is_empty() {
            let mut member = false;
            for team in &config.teams {
                if teams.is_member(client, team, &login).await? {
                    member = true;
                    break;
                }
            }
            if !member {
                exclude(&mut summary, "not a member of an approval team");
                continue;
            }
        }
        for group in &config.team_groups {
            let mut member = false;
            for team in group {
                if teams.is_member(client, team, &login).await? {
                    member = true;
                    break;
                }
            }
            if !member {
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
        let reason = override_reason(review.body.as_deref());
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

    summary.state = if summary.override_.is_some() {
        ApprovalState::Overridden
    } else if !summary.changes_requested.is_empty() {
        ApprovalState::ChangesRequested
    } else if summary.counted.len() >= required {
        ApprovalState::Approved
    } else {
        ApprovalState::Pending
    };
    if let Some(login) = ignored_override {
        if summary.state != ApprovalState::Overridden {
            summary.reason = Some(format!(
                "`{OVERRIDE_PREFIX}` from {login} ignored: no approval.break_glass_team is \
                 configured (counted as a plain approval)"
            ));
        }
    }

    // The race: a push while we evaluated. Approvals judged against an old head mean nothing.
    let after = get_pull(client, target).await.map_err(api)?;
    if !after.head.sha.eq_ignore_ascii_case(&head) {
        return Err(format!(
            "the pull request head moved from {} to {} during the check: superseded, re-run",
            short_sha(&head),
            short_sha(&after.head.sha)
        ));
    }
    Ok(summary)
}

/// The reason after `/guard override:`, when the body is an override with a reason.
fn override_reason(body: Option<&str>) -> Option<String> {
    let rest = body?.trim_start().strip_prefix(OVERRIDE_PREFIX)?;
    let reason = rest.lines().next().unwrap_or("").trim();
    (!reason.is_empty()).then(|| reason.chars().take(300).collect())
}

/// `Ok(Ok(()))` with write access, `Ok(Err(level))` without, `Err` when it cannot be read.
async fn has_write(
    client: &Client,
    target: &Target<'_>,
    login: &str,
) -> Result<Result<(), String>, String> {
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
                Ok(Ok(()))
            } else {
                Ok(Err(if role.is_empty() { permission } else { role }))
            }
        }
        // Not a collaborator at all.
        Err(e) if e.is_not_found() => Ok(Err("not a collaborator".to_string())),
        Err(e) => Err(api(e)),
    }
}

/// Who took part in the pull request's commits.
struct Contributors {
    authors: HashSet<String>,
    committers: HashSet<String>,
    /// `Co-authored-by:` trailers and git identities, lowercased `name` and `email`.
    identities: Vec<(String, String)>,
    /// The identities GitHub did not tie to a login: trailers without a noreply address, and
    /// commit authors and committers whose e-mail belongs to no account. `(name, email)` as
    /// written (the name is shown when a reviewer cannot be told apart from it).
    unlinked: Vec<(String, String)>,
}

/// A name compared loosely: case and runs of white space do not matter.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

/// The login a GitHub noreply address names (`123+login@users.noreply.github.com`).
fn noreply_login(email: &str) -> Option<String> {
    let local = email
        .to_ascii_lowercase()
        .strip_suffix("@users.noreply.github.com")?
        .to_string();
    Some(match local.rsplit_once('+') {
        Some((_, login)) => login.to_string(),
        None => local,
    })
}

impl Contributors {
    fn new(commits: &[PrCommit]) -> Self {
        let mut c = Contributors {
            authors: HashSet::new(),
            committers: HashSet::new(),
            identities: Vec::new(),
            unlinked: Vec::new(),
        };
        for commit in commits {
            if let Some(a) = &commit.author {
                c.authors.insert(a.login.to_ascii_lowercase());
            }
            if let Some(a) = &commit.committer {
                c.committers.insert(a.login.to_ascii_lowercase());
            }
            for (person, linked) in [
                (&commit.commit.author, commit.author.is_some()),
                (&commit.commit.committer, commit.committer.is_some()),
            ] {
                let Some(person) = person else {
                    continue;
                };
                let name = person.name.clone().unwrap_or_default();
                let email = person.email.clone().unwrap_or_default();
                if !linked && noreply_login(&email).is_none() {
                    c.unlinked.push((name, email));
                }
                c.identities.push((
                    person.name.clone().unwrap_or_default().to_ascii_lowercase(),
                    person
                        .email
                        .clone()
                        .unwrap_or_default()
                        .to_ascii_lowercase(),
                ));
            }
            for line in commit.commit.message.lines() {
                let line = line.trim();
                let Some((key, value)) = line.split_once(':') else {
                    continue;
                };
                if !key.trim().eq_ignore_ascii_case("co-authored-by") {
                    continue;
                }
                let value = value.trim();
                let (name, email) = match value.rsplit_once('<') {
                    Some((n, e)) => (n.trim(), e.trim_end_matches('>').trim()),
                    None => (value, ""),
                };
                if noreply_login(email).is_none() {
                    c.unlinked.push((name.to_string(), email.to_string()));
                }
                c.identities
                    .push((name.to_ascii_lowercase(), email.to_ascii_lowercase()));
            }
        }
        c
    }

    /// Whether the reviewer is one of the identities GitHub did not link to a login, compared
    /// by the public profile's e-mail and name and by the login; `Err` when the profile cannot
    /// be read (fail closed). Asks nothing when every identity is linked.
    async fn unlinked_involvement(
        &self,
        client: &Client,
        login: &str,
    ) -> Result<Option<String>, String> {
        if self.unlinked.is_empty() {
            return Ok(None);
        }
        let profile: Profile = client
            .json(Method::Get, &format!("/users/{}", seg(login)), None)
            .await
            .map_err(api)?;
        let email = profile.email.unwrap_or_default().to_ascii_lowercase();
        let name = profile.name.unwrap_or_default();
        for (their_name, their_email) in &self.unlinked {
            let their_email = their_email.to_ascii_lowercase();
            if !email.is_empty() && email == their_email {
                return Ok(Some(
                    "co-authored a commit in this pull request (same e-mail)".to_string(),
                ));
            }
            let local = their_email.split('@').next().unwrap_or("");
            if same_name(their_name, &name)
                || same_name(their_name, login)
                || local == login.to_ascii_lowercase()
            {
                let shown: String = their_name.chars().take(80).collect();
                return Ok(Some(format!(
                    "cannot be told apart from co-author `{}` of a commit in this pull request (same name or e-mail user as this reviewer, no linked account); not counted",
                    shown.replace('`', "'")
                )));
            }
        }
        Ok(None)
    }

    /// Why this login took part in the commits, or `None`.
    fn involvement(&self, login: &str) -> Option<&'static str> {
        let login = login.to_ascii_lowercase();
        if self.authors.contains(&login) {
            return Some("authored a commit in this pull request");
        }
        if self.committers.contains(&login) {
            return Some("committed to this pull request");
        }
        let noreply = |email: &str| {
            let Some(local) = email.strip_suffix("@users.noreply.github.com") else {
                return false;
            };
            local == login || local.rsplit_once('+').is_some_and(|(_, l)| l == login)
        };
        if self
            .identities
            .iter()
            .any(|(name, email)| *name == login || noreply(email))
        {
            return Some("co-authored a commit in this pull request");
        }
        None
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

    /// Active membership; `Err` when it cannot be verified (never read as "not a member").
    async fn is_member(
        &mut self,
        client: &Client,
        team: &str,
        login: &str,
    ) -> Result<bool, String> {
        let (org, slug) = match team.split_once('/') {
            Some((o, s)) => (o.trim(), s.trim()),
            None => (self.default_org, team.trim()),
        };
        let unverifiable = |why: &str| {
            format!(
                "cannot verify membership of `{login}` in team `{org}/{slug}` ({why}; the token \
                 needs members:read / read:org): failing closed"
            )
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

/// Applies a passing summary to the report's DEL001 findings.
pub fn apply(report: &mut Report, summary: &ApprovalSummary) {
    if !summary.state.passes() {
        return;
    }
    let by = match (&summary.state, &summary.override_) {
        (ApprovalState::Overridden, Some(o)) => format!("override by {}: {}", o.by, o.reason),
        _ => summary.counted.join(", "),
    };
    for f in &mut report.findings {
        if f.finding.code == POLICY_CODE && f.suppression.is_none() {
            f.approved_by = Some(by.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_from_addresses() {
        assert_eq!(type_of_address("aws_iam_user.ci"), "aws_iam_user");
        assert_eq!(
            type_of_address(r#"module.a["x.y"].module.b.google_service_account.api[0]"#),
            "google_service_account"
        );
        assert_eq!(type_of_address("data.aws_iam_role.r"), "aws_iam_role");
    }

    #[test]
    fn fingerprint_ignores_order() {
        let a = Trigger {
            address: "a.b".into(),
            resource_type: "a".into(),
            actions: vec!["delete".into()],
        };
        let b = Trigger {
            address: "c.d".into(),
            resource_type: "c".into(),
            actions: vec!["delete".into(), "create".into()],
        };
        assert_eq!(
            fingerprint(&[a.clone(), b.clone()]),
            fingerprint(&[b.clone(), a.clone()])
        );
        assert_ne!(fingerprint(std::slice::from_ref(&a)), fingerprint(&[a, b]));
        assert!(fingerprint(&[]).starts_with("sha256:"));
    }

    #[test]
    fn override_needs_a_reason() {
        assert_eq!(
            override_reason(Some("/guard override: prod outage INC-12\nmore")).as_deref(),
            Some("prod outage INC-12")
        );
        assert_eq!(override_reason(Some("/guard override:   ")), None);
        assert_eq!(override_reason(Some("LGTM /guard override: x")), None);
    }

    #[test]
    fn co_authors_by_trailer_and_noreply() {
        let commits: Vec<PrCommit> = serde_json::from_value(serde_json::json!([{
            "author": {"login": "dev", "type": "User"},
            "committer": {"login": "web-flow", "type": "User"},
            "commit": {"message": "x\n\nCo-authored-by: Carol <12345+carol@users.noreply.github.com>\nCo-authored-by: dave <d@example.com>",
                       "author": {"name": "Dev", "email": "dev@example.com"},
                       "committer": {"name": "GitHub", "email": "noreply@github.com"}}
        }]))
        .unwrap();
        let c = Contributors::new(&commits);
        assert!(c.involvement("dev").is_some());
        assert!(c.involvement("Carol").is_some());
        assert!(c.involvement("dave").is_some());
        assert!(c.involvement("erin").is_none());
    }
}
