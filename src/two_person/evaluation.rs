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
    /// Records the answer to [`Lookup::Profile`].
    pub fn answer_profile(&mut self, login: &str, answer: Result<Profile, LookupFailed>) {
        self.profiles.insert(login.to_string(), answer);
    }
    /// Records the answer to [`Lookup::Permission`].
    pub fn answer_permission(&mut self, login: &str, answer: Result<WriteAccess, LookupFailed>) {
        self.permissions.insert(login.to_string(), answer);
    }
    /// Records the answer to [`Lookup::Membership`].
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::two_person::reviews::Person;

    const HEAD: &str = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    const OLD: &str = "9fceb02d0ae598e95dc970b74767f19372d61af8";
    const NEWER: &str = "e5bd3914e2e596debea16f433f57875b5b90bcd6";

    fn review(login: &str, state: &str, commit: &str, body: &str) -> ReviewEvidence {
        ReviewEvidence {
            login: login.to_string(),
            is_bot: login.ends_with("[bot]"),
            state: state.to_string(),
            commit_id: Some(commit.to_string()),
            body: Some(body.to_string()),
        }
    }

    fn approve(login: &str) -> ReviewEvidence {
        review(login, "APPROVED", HEAD, "LGTM")
    }

    fn commit(author: &str, committer: &str, message: &str) -> CommitEvidence {
        CommitEvidence {
            author_login: Some(author.to_string()),
            committer_login: Some(committer.to_string()),
            author: Some(Person {
                name: Some(author.to_string()),
                email: Some(format!("{author}@example.com")),
            }),
            committer: None,
            message: message.to_string(),
        }
    }

    /// A pull request by `dev` at HEAD, planned for HEAD, with one commit by `dev`.
    fn evidence(reviews: Vec<ReviewEvidence>) -> ApprovalEvidence {
        ApprovalEvidence {
            planned_sha: Some(HEAD.to_string()),
            pull: PullEvidence {
                head_sha: HEAD.to_string(),
                author: Some("dev".to_string()),
                commits: Some(1),
            },
            reviews,
            commits: vec![commit("dev", "dev", "Remove the CI user")],
            ..ApprovalEvidence::default()
        }
    }

    fn config(required: usize) -> ApprovalConfig {
        ApprovalConfig {
            required,
            ..ApprovalConfig::default()
        }
    }

    /// What GitHub would answer, for the stand-in adapter of [`settle`].
    #[derive(Default)]
    struct World {
        /// login → role; missing = not a collaborator.
        roles: BTreeMap<&'static str, &'static str>,
        /// (team, login) → member; missing = the lookup fails.
        members: BTreeMap<(&'static str, &'static str), bool>,
        profiles: BTreeMap<&'static str, Profile>,
        head_again: Option<&'static str>,
    }

    /// Answers every lookup as an adapter would, then evaluates; returns the lookups in order.
    fn settle(
        mut e: ApprovalEvidence,
        config: &ApprovalConfig,
        world: &World,
    ) -> (Vec<Lookup>, Result<ApprovalSummary, Unverifiable>) {
        let mut asked = Vec::new();
        while let Some(lookup) = next_lookup(&e, config) {
            assert!(!asked.contains(&lookup), "asked twice: {lookup}");
            asked.push(lookup.clone());
            match lookup {
                Lookup::Profile(login) => {
                    let p = world.profiles.get(login.as_str()).cloned();
                    e.answer_profile(&login, Ok(p.unwrap_or_default()));
                }
                Lookup::Permission(login) => {
                    let access = match world.roles.get(login.as_str()) {
                        Some(&("write" | "maintain" | "admin")) => WriteAccess::Yes,
                        Some(role) => WriteAccess::No(role.to_string()),
                        None => WriteAccess::No("not a collaborator".to_string()),
                    };
                    e.answer_permission(&login, Ok(access));
                }
                Lookup::Membership { team, login } => {
                    let answer = world
                        .members
                        .iter()
                        .find(|((t, l), _)| *t == team && *l == login)
                        .map(|(_, m)| Ok(*m))
                        .unwrap_or_else(|| {
                            Err(LookupFailed(format!(
                                "cannot verify membership of `{login}` in team `{team}`"
                            )))
                        });
                    e.answer_membership(&team, &login, answer);
                }
                Lookup::HeadAgain => e.head_again = Some(world.head_again.unwrap_or(HEAD).into()),
            }
        }
        let result = evaluate(&e, config, Vec::new());
        (asked, result)
    }

    fn writers(logins: &[&'static str]) -> World {
        World {
            roles: logins.iter().map(|l| (*l, "write")).collect(),
            ..World::default()
        }
    }

    fn permission(login: &str) -> Lookup {
        Lookup::Permission(login.to_string())
    }

    fn membership(team: &str, login: &str) -> Lookup {
        Lookup::Membership {
            team: team.to_string(),
            login: login.to_string(),
        }
    }

    fn excluded(s: &ApprovalSummary) -> Vec<(&str, &str)> {
        s.excluded
            .iter()
            .map(|e| (e.login.as_str(), e.reason.as_str()))
            .collect()
    }

    #[test]
    fn two_writers_approving_the_head_pass() {
        let (asked, s) = settle(
            evidence(vec![approve("alice"), approve("bob")]),
            &config(2),
            &writers(&["alice", "bob"]),
        );
        let s = s.unwrap();
        assert_eq!(s.state, ApprovalState::Approved);
        assert_eq!(s.counted, vec!["alice", "bob"]);
        assert_eq!(s.head_sha.as_deref(), Some(HEAD));
        assert_eq!(
            asked,
            vec![permission("alice"), permission("bob"), Lookup::HeadAgain]
        );
    }

    #[test]
    fn one_approval_of_two_is_pending() {
        let (_, s) = settle(
            evidence(vec![approve("alice")]),
            &config(2),
            &writers(&["alice"]),
        );
        assert_eq!(s.unwrap().state, ApprovalState::Pending);
    }

    #[test]
    fn an_approval_of_an_older_commit_does_not_count_and_costs_no_lookup() {
        let (asked, s) = settle(
            evidence(vec![approve("alice"), review("bob", "APPROVED", OLD, "ok")]),
            &config(2),
            &writers(&["alice", "bob"]),
        );
        let s = s.unwrap();
        assert_eq!(s.state, ApprovalState::Pending);
        assert_eq!(
            excluded(&s),
            vec![("bob", "approved an older commit 9fceb02")]
        );
        assert_eq!(asked, vec![permission("alice"), Lookup::HeadAgain]);
    }

    #[test]
    fn the_author_committers_and_co_authors_cannot_approve() {
        let mut e = evidence(
            ["dev", "carol", "erin", "frank", "alice"]
                .into_iter()
                .map(approve)
                .collect(),
        );
        e.commits = vec![
            commit(
                "dev",
                "dev",
                "Remove the CI user\n\nCo-authored-by: Carol <31337+carol@users.noreply.github.com>",
            ),
            commit("erin", "frank", "Rename the API account"),
        ];
        let (asked, s) = settle(
            e,
            &config(2),
            &writers(&["alice", "carol", "erin", "frank"]),
        );
        let s = s.unwrap();
        assert_eq!(s.counted, vec!["alice"]);
        assert_eq!(
            excluded(&s),
            vec![
                ("dev", "pull request author"),
                ("carol", "co-authored a commit in this pull request"),
                ("erin", "authored a commit in this pull request"),
                ("frank", "committed to this pull request"),
            ]
        );
        assert_eq!(asked, vec![permission("alice"), Lookup::HeadAgain]);
    }

    #[test]
    fn an_unlinked_identity_is_compared_with_the_reviewers_profile() {
        let mut e = evidence(vec![approve("alice"), approve("bob")]);
        e.commits.push(CommitEvidence {
            author: Some(Person {
                name: Some("Bob Builder".into()),
                email: Some("bob@corp.example".into()),
            }),
            message: "fix".into(),
            ..CommitEvidence::default()
        });
        let mut world = writers(&["alice", "bob"]);
        world.profiles.insert(
            "bob",
            Profile {
                name: None,
                email: Some("bob@corp.example".into()),
            },
        );
        let (asked, s) = settle(e, &config(2), &world);
        let s = s.unwrap();
        assert_eq!(s.counted, vec!["alice"]);
        assert_eq!(s.excluded.len(), 1);
        assert_eq!(s.excluded[0].login, "bob");
        assert_eq!(
            asked,
            vec![
                Lookup::Profile("alice".into()),
                permission("alice"),
                Lookup::Profile("bob".into()),
                Lookup::HeadAgain
            ]
        );
    }

    #[test]
    fn bots_do_not_count() {
        let mut bot = approve("renovate");
        bot.is_bot = true;
        let (_, s) = settle(
            evidence(vec![approve("github-actions[bot]"), bot, approve("alice")]),
            &config(2),
            &writers(&["alice", "renovate"]),
        );
        let s = s.unwrap();
        assert_eq!(
            excluded(&s),
            vec![
                ("github-actions[bot]", "bot account"),
                ("renovate", "bot account")
            ]
        );
        assert_eq!(s.counted, vec!["alice"]);
    }

    #[test]
    fn readers_and_outsiders_do_not_count() {
        let mut world = writers(&["alice"]);
        world.roles.insert("tim", "triage");
        let (_, s) = settle(
            evidence(vec![approve("alice"), approve("tim"), approve("out")]),
            &config(2),
            &world,
        );
        let s = s.unwrap();
        assert_eq!(s.state, ApprovalState::Pending);
        assert_eq!(
            excluded(&s),
            vec![
                ("tim", "no write permission (triage)"),
                ("out", "no write permission (not a collaborator)")
            ]
        );
    }

    #[test]
    fn a_writers_change_request_blocks_and_a_readers_is_ignored() {
        let mut world = writers(&["alice", "bob", "carol"]);
        world.roles.insert("rita", "read");
        let (asked, s) = settle(
            evidence(vec![
                approve("alice"),
                approve("bob"),
                review("bob", "COMMENTED", HEAD, "hmm"),
                review("bob", "CHANGES_REQUESTED", HEAD, "wait, that is prod"),
                approve("carol"),
                review("rita", "CHANGES_REQUESTED", HEAD, "no"),
            ]),
            &config(2),
            &world,
        );
        let s = s.unwrap();
        assert_eq!(s.state, ApprovalState::ChangesRequested);
        assert_eq!(s.changes_requested, vec!["bob"]);
        assert_eq!(s.counted, vec!["alice", "carol"]);
        assert_eq!(
            excluded(&s)[1],
            (
                "rita",
                "requested changes without write permission (ignored)"
            )
        );
        assert_eq!(
            asked,
            vec![
                permission("alice"),
                permission("bob"),
                permission("carol"),
                permission("rita"),
                Lookup::HeadAgain
            ]
        );
    }

    #[test]
    fn a_later_comment_keeps_an_approval_and_a_dismissal_drops_it() {
        let (_, s) = settle(
            evidence(vec![
                approve("alice"),
                approve("bob"),
                review("bob", "COMMENTED", HEAD, "nit"),
            ]),
            &config(2),
            &writers(&["alice", "bob"]),
        );
        assert_eq!(s.unwrap().state, ApprovalState::Approved);
        let (_, s) = settle(
            evidence(vec![
                approve("alice"),
                approve("bob"),
                review("bob", "DISMISSED", HEAD, ""),
            ]),
            &config(2),
            &writers(&["alice", "bob"]),
        );
        let s = s.unwrap();
        assert_eq!(s.state, ApprovalState::Pending);
        assert_eq!(excluded(&s), vec![("bob", "review dismissed")]);
    }

    #[test]
    fn approval_teams_are_asked_in_order_until_one_says_yes() {
        let mut world = writers(&["alice", "bob", "rita"]);
        world.members.insert(("acme/platform", "alice"), false);
        world.members.insert(("acme/sre", "alice"), true);
        world.members.insert(("acme/platform", "bob"), true);
        world.members.insert(("acme/platform", "carl"), true);
        world.members.insert(("acme/platform", "rita"), false);
        world.members.insert(("acme/sre", "rita"), false);
        let config = ApprovalConfig {
            teams: vec!["acme/platform".into(), "acme/sre".into()],
            ..config(2)
        };
        let (asked, s) = settle(
            evidence(vec![
                approve("alice"),
                approve("bob"),
                approve("rita"),
                approve("carl"),
            ]),
            &config,
            &world,
        );
        let s = s.unwrap();
        assert_eq!(s.counted, vec!["alice", "bob"]);
        assert_eq!(
            excluded(&s),
            vec![
                ("rita", "not a member of an approval team"),
                // No write permission: the teams are not asked.
                ("carl", "no write permission (not a collaborator)"),
            ]
        );
        assert_eq!(
            asked,
            vec![
                permission("alice"),
                membership("acme/platform", "alice"),
                membership("acme/sre", "alice"),
                permission("bob"),
                membership("acme/platform", "bob"),
                permission("rita"),
                membership("acme/platform", "rita"),
                membership("acme/sre", "rita"),
                permission("carl"),
                Lookup::HeadAgain
            ]
        );
    }

    #[test]
    fn every_team_group_of_the_pull_requests_files_must_hold() {
        let mut world = writers(&["alice", "bob"]);
        world.members.insert(("acme/db", "alice"), true);
        world.members.insert(("acme/db", "bob"), false);
        let config = ApprovalConfig {
            team_groups: vec![vec!["acme/db".into()]],
            ..config(1)
        };
        let (_, s) = settle(
            evidence(vec![approve("alice"), approve("bob")]),
            &config,
            &world,
        );
        let s = s.unwrap();
        assert_eq!(s.counted, vec!["alice"]);
        assert_eq!(
            excluded(&s),
            vec![("bob", "not a member of any of acme/db (guard.toml)")]
        );
    }

    #[test]
    fn a_membership_that_cannot_be_verified_fails_closed() {
        let config = ApprovalConfig {
            teams: vec!["platform".into()],
            ..config(2)
        };
        let (asked, s) = settle(
            evidence(vec![approve("alice"), approve("bob")]),
            &config,
            &writers(&["alice", "bob"]),
        );
        assert_eq!(
            s.unwrap_err().to_string(),
            "cannot verify membership of `alice` in team `platform`"
        );
        // Nothing more is asked once a needed fact is known to be unverifiable.
        assert_eq!(
            asked,
            vec![permission("alice"), membership("platform", "alice")]
        );
    }

    #[test]
    fn a_failed_permission_lookup_fails_closed_with_its_reason() {
        let mut e = evidence(vec![approve("alice"), approve("bob")]);
        e.answer_permission("alice", Ok(WriteAccess::Yes));
        e.answer_permission(
            "bob",
            Err(LookupFailed(
                "GET /repos/acme/infra/collaborators/bob/permission failed: HTTP 502: Bad Gateway"
                    .into(),
            )),
        );
        assert_eq!(next_lookup(&e, &config(2)), None);
        let err = evaluate(&e, &config(2), Vec::new()).unwrap_err();
        assert!(err.0.ends_with("HTTP 502: Bad Gateway"), "{err}");
    }

    #[test]
    fn evidence_missing_a_lookup_fails_closed() {
        let e = evidence(vec![approve("alice"), approve("bob")]);
        let err = evaluate(&e, &config(2), Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the permission of `alice` was not looked up: approvals cannot be verified"
        );
        let mut e = evidence(vec![]);
        assert_eq!(next_lookup(&e, &config(2)), Some(Lookup::HeadAgain));
        e.head_again = Some(HEAD.into());
        assert_eq!(
            evaluate(&e, &config(2), Vec::new()).unwrap().state,
            ApprovalState::Pending
        );
    }

    #[test]
    fn break_glass_needs_the_configured_team() {
        let mut world = writers(&["bob", "sre"]);
        world.members.insert(("acme/sre-oncall", "sre"), true);
        let reviews = vec![
            review("bob", "CHANGES_REQUESTED", HEAD, "no"),
            review(
                "sre",
                "APPROVED",
                HEAD,
                "/guard override: INC-4711 production outage, rotating the API account",
            ),
        ];
        let config_with_team = ApprovalConfig {
            break_glass_team: Some("acme/sre-oncall".into()),
            ..config(2)
        };
        let (asked, s) = settle(evidence(reviews.clone()), &config_with_team, &world);
        let s = s.unwrap();
        assert_eq!(s.state, ApprovalState::Overridden);
        let o = s.override_.unwrap();
        assert_eq!(
            (o.by.as_str(), o.reason.as_str()),
            (
                "sre",
                "INC-4711 production outage, rotating the API account"
            )
        );
        assert_eq!(
            asked,
            vec![
                permission("bob"),
                permission("sre"),
                membership("acme/sre-oncall", "sre"),
                Lookup::HeadAgain
            ]
        );

        // Without a break-glass team the override is a plain approval, and says so.
        let (_, s) = settle(evidence(reviews[1..].to_vec()), &config(2), &world);
        let s = s.unwrap();
        assert_eq!(s.state, ApprovalState::Pending);
        assert!(s.override_.is_none());
        assert!(s
            .reason
            .unwrap()
            .contains("no approval.break_glass_team is configured"));

        // A break-glass team member who is not in it cannot override.
        world.members.insert(("acme/sre-oncall", "sre"), false);
        let (_, s) = settle(evidence(reviews), &config_with_team, &world);
        assert_eq!(s.unwrap().state, ApprovalState::ChangesRequested);
    }

    #[test]
    fn the_head_must_be_the_planned_commit_before_and_after() {
        let mut older_plan = evidence(vec![approve("alice")]);
        older_plan.planned_sha = Some(OLD.into());
        let (asked, s) = settle(older_plan, &config(2), &writers(&["alice"]));
        assert!(asked.is_empty());
        assert!(s
            .unwrap_err()
            .0
            .contains("head is 6dcb09b but the plan was made for 9fceb02"));

        let mut unknown = evidence(vec![approve("alice")]);
        unknown.planned_sha = None;
        let err = evaluate(&unknown, &config(2), Vec::new()).unwrap_err();
        assert_eq!(
            err.0,
            "the commit that was planned is unknown (no --sha and no pull_request event): \
             approvals cannot be tied to it"
        );

        let world = World {
            head_again: Some(NEWER),
            ..writers(&["alice", "bob"])
        };
        let (_, s) = settle(
            evidence(vec![approve("alice"), approve("bob")]),
            &config(2),
            &world,
        );
        assert!(s
            .unwrap_err()
            .0
            .contains("head moved from 6dcb09b to e5bd391 during the check"));
    }

    #[test]
    fn too_many_commits_to_list_fails_closed() {
        let mut e = evidence(vec![approve("alice")]);
        e.pull.commits = Some(MAX_PR_COMMITS + 1);
        assert!(check_pull(Some(HEAD), &e.pull).is_err());
        assert!(evaluate(&e, &config(1), Vec::new()).is_err());
        let mut e = evidence(vec![approve("alice")]);
        e.commits = vec![commit("dev", "dev", "x"); MAX_PR_COMMITS as usize];
        assert_eq!(next_lookup(&e, &config(1)), None);
        assert!(evaluate(&e, &config(1), Vec::new())
            .unwrap_err()
            .0
            .contains("co-authors cannot be excluded reliably"));
    }
}
