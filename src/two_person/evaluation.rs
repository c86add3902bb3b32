//! The two-person check over one value: the [`ApprovalEvidence`] `crate::github::approval`
//! gathered. No I/O. The rules, in the order that asks GitHub least (issue 5, research §4.3):
//!
//! 1. the pull request's head is the commit the plan was made for, and it has few enough commits
//!    for co-authors to be listed ([`check_pull`], [`check_commits`]);
//! 2. per reviewer, in order of first review: their latest decisive review; bots, dismissals and
//!    change requests (counted only from reviewers with write access); the author and anyone
//!    who took part in the commits (the public profile only when unlinked git identities need
//!    it); an approval of an older commit; write permission; the approval teams and every team
//!    group; then break-glass membership for an `/guard override:` approval;
//! 3. the head read again after everything else: a push during the check voids it.
//!
//! A lookup is asked for only when a reviewer is still in the running ([`next_lookup`]), so the
//! adapter gathers exactly what [`evaluate`] reads. A lookup that failed, or one that is missing,
//! fails the check with the reason: the approval is never counted on a guess.

use super::reviews::{self, CommitEvidence, Contributors, Profile, ReviewEvidence, WriteAccess};
use super::summary::{
    short_sha, ApprovalConfig, ApprovalState, ApprovalSummary, Excluded, Override, Trigger,
    OVERRIDE_PREFIX,
};
use std::collections::BTreeMap;
use std::fmt;

/// More commits than GitHub lists for one pull request: co-authorship cannot be checked.
pub const MAX_PR_COMMITS: u64 = 250;

/// The pull request as GitHub returned it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullEvidence {
    pub head_sha: String,
    /// The author's login.
    pub author: Option<String>,
    /// The commit count GitHub reports.
    pub commits: Option<u64>,
}

/// A fact about one reviewer that takes a request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lookup {
    /// The public profile (name, e-mail) of a reviewer, against unlinked git identities.
    Profile(String),
    /// The reviewer's permission on the repository.
    Permission(String),
    /// Active membership of `login` in `team` (as configured: `org/slug`, or `slug` in the
    /// repository owner's organization).
    Membership { team: String, login: String },
    /// The pull request's head, read again after every other lookup.
    HeadAgain,
}

impl fmt::Display for Lookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lookup::Profile(login) => write!(f, "the profile of `{login}`"),
            Lookup::Permission(login) => write!(f, "the permission of `{login}`"),
            Lookup::Membership { team, login } => {
                write!(f, "the membership of `{login}` in team `{team}`")
            }
            Lookup::HeadAgain => f.write_str("the pull request's head after the check"),
        }
    }
}

/// A lookup that could not be answered; `Display` is the reason, as the adapter wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupFailed(pub String);

impl fmt::Display for LookupFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why the check could not be completed: it fails closed, saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unverifiable(pub String);

impl fmt::Display for Unverifiable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unverifiable {}

impl From<LookupFailed> for Unverifiable {
    fn from(e: LookupFailed) -> Self {
        Unverifiable(e.0)
    }
}

/// Everything the rule reads, gathered before it is evaluated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApprovalEvidence {
    /// The commit the plan was made for (`None`: unknown, which fails the check).
    pub planned_sha: Option<String>,
    pub pull: PullEvidence,
    /// Every review, in GitHub's order (oldest first).
    pub reviews: Vec<ReviewEvidence>,
    /// Every commit of the pull request.
    pub commits: Vec<CommitEvidence>,
    /// Answers to [`Lookup::Profile`], by login as the review names it.
    pub profiles: BTreeMap<String, Result<Profile, LookupFailed>>,
    /// Answers to [`Lookup::Permission`].
    pub permissions: BTreeMap<String, Result<WriteAccess, LookupFailed>>,
    /// Answers to [`Lookup::Membership`], by `(team, login)`.
    pub memberships: BTreeMap<(String, String), Result<bool, LookupFailed>>,
    /// The answer to [`Lookup::HeadAgain`].
    pub head_again: Option<String>,
}

impl ApprovalEvidence {
    /// Records the answer to a lookup (`HeadAgain` takes `Ok(sha)` in `head`).
    pub fn answer_profile(&mut self, login: &str, answer: Result<Profile, LookupFailed>) {
        self.profiles.insert(login.to_string(), answer);
    }
    pub fn answer_permission(&mut self, login: &str, answer: Result<WriteAccess, LookupFailed>) {
        self.permissions.insert(login.to_string(), answer);
    }
    pub fn answer_membership(
        &mut self,
        team: &str,
        login: &str,
        answer: Result<bool, LookupFailed>,
    ) {
        self.memberships
            .insert((team.to_string(), login.to_string()), answer);
    }
}

/// The pull request can be tied to the plan: the planned commit is known and is the head, and
/// GitHub can list all its commits.
pub fn check_pull(planned: Option<&str>, pull: &PullEvidence) -> Result<(), Unverifiable> {
    let head = &pull.head_sha;
    // Without the planned commit, an approval of whatever the head is now could count for a plan
    // of an older one.
    let Some(planned) = planned else {
        return Err(Unverifiable(
            "the commit that was planned is unknown (no --sha and no pull_request event): \
             approvals cannot be tied to it"
                .to_string(),
        ));
    };
    if !planned.eq_ignore_ascii_case(head) {
        return Err(Unverifiable(format!(
            "the pull request head is {} but the plan was made for {}: approvals can only \
             count for the planned commit; re-run on the new head",
            short_sha(head),
            short_sha(planned)
        )));
    }
    if pull.commits.unwrap_or(0) > MAX_PR_COMMITS {
        return Err(Unverifiable(format!(
            "the pull request has more than {MAX_PR_COMMITS} commits: GitHub does not list them \
             all, so co-authors cannot be excluded"
        )));
    }
    Ok(())
}

/// The commit listing is complete enough to exclude co-authors.
pub fn check_commits(listed: usize) -> Result<(), Unverifiable> {
    if listed as u64 >= MAX_PR_COMMITS {
        return Err(Unverifiable(format!(
            "the pull request lists {MAX_PR_COMMITS} commits or more: co-authors cannot be \
             excluded reliably"
        )));
    }
    Ok(())
}

/// The next fact the rule needs and the evidence lacks, or `None` when [`evaluate`] can decide.
pub fn next_lookup(evidence: &ApprovalEvidence, config: &ApprovalConfig) -> Option<Lookup> {
    match walk(evidence, config, Vec::new()) {
        Err(Stop::Need(lookup)) => Some(lookup),
        _ => None,
    }
}

/// The outcome of the check over `evidence`. `Err` when it cannot be completed: the head is not
/// the planned commit or moved, a lookup failed or was not made.
pub fn evaluate(
    evidence: &ApprovalEvidence,
    config: &ApprovalConfig,
    triggers: Vec<Trigger>,
) -> Result<ApprovalSummary, Unverifiable> {
    walk(evidence, config, triggers).map_err(|stop| match stop {
        Stop::Need(lookup) => Unverifiable(format!(
            "{lookup} was not looked up: approvals cannot be verified"
        )),
        Stop::Unverifiable(u) => u,
    })
}

/// Why [`walk`] stopped before a summary.
enum Stop {
    Need(Lookup),
    Unverifiable(Unverifiable),
}

impl From<Unverifiable> for Stop {
    fn from(u: Unverifiable) -> Self {
        Stop::Unverifiable(u)
    }
}

fn answer<K: Ord, T: Clone>(
    map: &BTreeMap<K, Result<T, LookupFailed>>,
    key: &K,
    lookup: impl FnOnce() -> Lookup,
) -> Result<T, Stop> {
    match map.get(key) {
        None => Err(Stop::Need(lookup())),
        Some(Ok(value)) => Ok(value.clone()),
        Some(Err(failed)) => Err(Stop::Unverifiable(failed.clone().into())),
    }
}

impl ApprovalEvidence {
    fn write_access(&self, login: &str) -> Result<WriteAccess, Stop> {
        answer(&self.permissions, &login.to_string(), || {
            Lookup::Permission(login.to_string())
        })
    }

    fn profile(&self, login: &str) -> Result<Profile, Stop> {
        answer(&self.profiles, &login.to_string(), || {
            Lookup::Profile(login.to_string())
        })
    }

    fn is_member(&self, team: &str, login: &str) -> Result<bool, Stop> {
        answer(
            &self.memberships,
            &(team.to_string(), login.to_string()),
            || Lookup::Membership {
                team: team.to_string(),
                login: login.to_string(),
            },
        )
    }

    /// Active membership of one of `teams`, asked in order until one says yes.
    fn is_member_of_any(&self, teams: &[String], login: &str) -> Result<bool, Stop> {
        for team in teams {
            if self.is_member(team, login)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

fn walk(
    evidence: &ApprovalEvidence,
    config: &ApprovalConfig,
    triggers: Vec<Trigger>,
) -> Result<ApprovalSummary, Stop> {
    let required = config.required.max(1);
    let mut summary = ApprovalSummary::new(ApprovalState::Pending, required, triggers);
    let head = evidence.pull.head_sha.as_str();
    summary.head_sha = Some(head.to_string());
    check_pull(evidence.planned_sha.as_deref(), &evidence.pull)?;
    check_commits(evidence.commits.len())?;
    let author = evidence
        .pull
        .author
        .as_ref()
        .map(|a| a.to_ascii_lowercase());
    let contributors = Contributors::new(&evidence.commits);
    let reviewers = reviews::latest_reviews(evidence.reviews.clone());

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
                if evidence.write_access(&login)? == WriteAccess::Yes {
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
            let profile = evidence.profile(&login)?;
            if let Some(why) = contributors.unlinked_involvement(&login, &profile) {
                exclude(&mut summary, &why);
                continue;
            }
        }
        if let Some(why) = reviews::stale_approval(review.commit_id.as_deref(), head) {
            exclude(&mut summary, &why);
            continue;
        }
        if let WriteAccess::No(level) = evidence.write_access(&login)? {
            exclude(&mut summary, &format!("no write permission ({level})"));
            continue;
        }
        if !config.teams.is_empty() && !evidence.is_member_of_any(&config.teams, &login)? {
            exclude(&mut summary, "not a member of an approval team");
            continue;
        }
        for group in &config.team_groups {
            if !evidence.is_member_of_any(group, &login)? {
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
                if summary.override_.is_none() && evidence.is_member(team, login)? =>
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

    // The race: a push while the evidence was gathered. Approvals judged against an old head
    // mean nothing.
    let Some(after) = &evidence.head_again else {
        return Err(Stop::Need(Lookup::HeadAgain));
    };
    if !after.eq_ignore_ascii_case(head) {
        return Err(Stop::Unverifiable(Unverifiable(format!(
            "the pull request head moved from {} to {} during the check: superseded, re-run",
            short_sha(head),
            short_sha(after)
        ))));
    }
    Ok(summary)
}
