//! The reviewer rules of the two-person check over evidence GitHub returned: which review is a
//! reviewer's latest decision, who took part in the commits, what a break-glass review says and
//! which state the counts add up to. No I/O: `crate::github::approval` fetches the evidence and
//! asks these functions.

use super::summary::{ApprovalState, Override, OVERRIDE_PREFIX};
use std::collections::{HashMap, HashSet};

/// A git identity on a commit, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// One commit of the pull request: the logins GitHub linked, the git identities and the message
/// (for `Co-authored-by:` trailers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitEvidence {
    pub author_login: Option<String>,
    pub committer_login: Option<String>,
    pub author: Option<Person>,
    pub committer: Option<Person>,
    pub message: String,
}

/// A reviewer's public profile (name and e-mail are often not public).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// One review as GitHub lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewEvidence {
    pub login: String,
    /// A bot account (`type != "User"` or a login ending in `[bot]`).
    pub is_bot: bool,
    /// `APPROVED`, `CHANGES_REQUESTED`, `DISMISSED`, `COMMENTED`, ...
    pub state: String,
    pub commit_id: Option<String>,
    pub body: Option<String>,
}

/// Whether a reviewer may approve (write, maintain or admin), and the level they have if not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteAccess {
    Yes,
    No(String),
}

/// Every reviewer once, in order of first review, with their latest decisive review
/// (APPROVED, CHANGES_REQUESTED or DISMISSED; a later COMMENTED does not revoke an approval).
/// `None`: the reviewer only commented.
pub fn latest_reviews(
    reviews: Vec<ReviewEvidence>,
) -> Vec<(ReviewEvidence, Option<ReviewEvidence>)> {
    let mut order: Vec<(String, ReviewEvidence)> = Vec::new();
    let mut latest: HashMap<String, ReviewEvidence> = HashMap::new();
    for review in reviews {
        let key = review.login.to_ascii_lowercase();
        if !order.iter().any(|(k, _)| *k == key) {
            order.push((key.clone(), review.clone()));
        }
        if matches!(
            review.state.as_str(),
            "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED"
        ) {
            latest.insert(key, review);
        }
    }
    order
        .into_iter()
        .map(|(key, first)| {
            let latest = latest.remove(&key);
            (first, latest)
        })
        .collect()
}

/// Why an approval of `commit` does not count for the head `head`, or `None` when it does.
pub fn stale_approval(commit: Option<&str>, head: &str) -> Option<String> {
    let commit = commit.unwrap_or_default();
    if commit.eq_ignore_ascii_case(head) {
        return None;
    }
    Some(if commit.is_empty() {
        "approval is not tied to a commit".to_string()
    } else {
        format!(
            "approved an older commit {}",
            super::summary::short_sha(commit)
        )
    })
}

/// The state the counts add up to: an override wins, then any change request, then enough
/// counted approvals.
pub fn decide(
    override_: Option<&Override>,
    changes_requested: usize,
    counted: usize,
    required: usize,
) -> ApprovalState {
    if override_.is_some() {
        ApprovalState::Overridden
    } else if changes_requested > 0 {
        ApprovalState::ChangesRequested
    } else if counted >= required {
        ApprovalState::Approved
    } else {
        ApprovalState::Pending
    }
}

/// The reason after `/guard override:`, when the body is an override with a reason.
pub fn override_reason(body: Option<&str>) -> Option<String> {
    let rest = body?.trim_start().strip_prefix(OVERRIDE_PREFIX)?;
    let reason = rest.lines().next().unwrap_or("").trim();
    (!reason.is_empty()).then(|| reason.chars().take(300).collect())
}

/// Who took part in the pull request's commits.
pub struct Contributors {
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
    /// From the pull request's commits.
    pub fn new(commits: &[CommitEvidence]) -> Self {
        let mut c = Contributors {
            authors: HashSet::new(),
            committers: HashSet::new(),
            identities: Vec::new(),
            unlinked: Vec::new(),
        };
        for commit in commits {
            if let Some(login) = &commit.author_login {
                c.authors.insert(login.to_ascii_lowercase());
            }
            if let Some(login) = &commit.committer_login {
                c.committers.insert(login.to_ascii_lowercase());
            }
            for (person, linked) in [
                (&commit.author, commit.author_login.is_some()),
                (&commit.committer, commit.committer_login.is_some()),
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
            for line in commit.message.lines() {
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

    /// Whether matching a reviewer against unlinked identities needs their public profile
    /// (false when every identity is linked: nothing to ask GitHub).
    pub fn needs_profile(&self) -> bool {
        !self.unlinked.is_empty()
    }

    /// Whether the reviewer is one of the identities GitHub did not link to a login, compared
    /// by the public profile's e-mail and name and by the login.
    pub fn unlinked_involvement(&self, login: &str, profile: &Profile) -> Option<String> {
        let email = profile
            .email
            .clone()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let name = profile.name.clone().unwrap_or_default();
        for (their_name, their_email) in &self.unlinked {
            let their_email = their_email.to_ascii_lowercase();
            if !email.is_empty() && email == their_email {
                return Some("co-authored a commit in this pull request (same e-mail)".to_string());
            }
            let local = their_email.split('@').next().unwrap_or("");
            if same_name(their_name, &name)
                || same_name(their_name, login)
                || local == login.to_ascii_lowercase()
            {
                let shown: String = their_name.chars().take(80).collect();
                return Some(format!(
                    "cannot be told apart from co-author `{}` of a commit in this pull request (same name or e-mail user as this reviewer, no linked account); not counted",
                    shown.replace('`', "'")
                ));
            }
        }
        None
    }

    /// Why this login took part in the commits, or `None`.
    pub fn involvement(&self, login: &str) -> Option<&'static str> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn review(login: &str, state: &str, commit: Option<&str>) -> ReviewEvidence {
        ReviewEvidence {
            login: login.to_string(),
            is_bot: false,
            state: state.to_string(),
            commit_id: commit.map(str::to_string),
            body: None,
        }
    }

    #[test]
    fn the_latest_decision_counts_and_a_later_comment_revokes_nothing() {
        let reviews = vec![
            review("Ann", "APPROVED", Some("a1")),
            review("bob", "COMMENTED", None),
            review("ann", "CHANGES_REQUESTED", Some("a1")),
            review("ann", "APPROVED", Some("b2")),
            review("ann", "COMMENTED", Some("b2")),
            review("cid", "APPROVED", Some("b2")),
            review("cid", "DISMISSED", Some("b2")),
        ];
        let latest: Vec<(String, Option<String>, Option<String>)> = latest_reviews(reviews)
            .into_iter()
            .map(|(first, latest)| {
                (
                    first.login,
                    latest.as_ref().map(|r| r.state.clone()),
                    latest.and_then(|r| r.commit_id),
                )
            })
            .collect();
        assert_eq!(
            latest,
            vec![
                ("Ann".into(), Some("APPROVED".into()), Some("b2".into())),
                ("bob".into(), None, None),
                ("cid".into(), Some("DISMISSED".into()), Some("b2".into())),
            ]
        );
    }

    #[test]
    fn only_an_approval_of_the_head_counts() {
        assert_eq!(stale_approval(Some("ABCDEF1234"), "abcdef1234"), None);
        assert_eq!(
            stale_approval(Some("1234567890"), "abcdef1234").as_deref(),
            Some("approved an older commit 1234567")
        );
        assert_eq!(
            stale_approval(None, "abcdef1234").as_deref(),
            Some("approval is not tied to a commit")
        );
    }

    #[test]
    fn an_override_wins_then_change_requests_then_the_count() {
        let o = Override {
            by: "ann".into(),
            reason: "outage".into(),
        };
        assert_eq!(decide(Some(&o), 1, 0, 2), ApprovalState::Overridden);
        assert_eq!(decide(None, 1, 5, 2), ApprovalState::ChangesRequested);
        assert_eq!(decide(None, 0, 2, 2), ApprovalState::Approved);
        assert_eq!(decide(None, 0, 1, 2), ApprovalState::Pending);
    }

    #[test]
    fn override_needs_a_reason() {
        assert_eq!(
            override_reason(Some("/guard override: prod outage INC-12\nmore")).as_deref(),
            Some("prod outage INC-12")
        );
        assert_eq!(override_reason(Some("/guard override:   ")), None);
        assert_eq!(override_reason(Some("LGTM /guard override: x")), None);
        assert_eq!(override_reason(None), None);
    }

    fn person(name: &str, email: &str) -> Option<Person> {
        Some(Person {
            name: Some(name.into()),
            email: Some(email.into()),
        })
    }

    #[test]
    fn authors_committers_and_co_authors_are_involved() {
        let commits = vec![CommitEvidence {
            author_login: Some("Dev".into()),
            committer_login: Some("web-flow".into()),
            author: person("Dev", "dev@example.com"),
            committer: person("GitHub", "noreply@github.com"),
            message: "x\n\nCo-authored-by: Carol <12345+carol@users.noreply.github.com>\nco-authored-by: dave <d@example.com>".into(),
        }];
        let c = Contributors::new(&commits);
        assert_eq!(
            c.involvement("dev"),
            Some("authored a commit in this pull request")
        );
        assert_eq!(
            c.involvement("web-flow"),
            Some("committed to this pull request")
        );
        assert!(c.involvement("carol").is_some());
        assert!(c.involvement("dave").is_some());
        assert_eq!(c.involvement("erin"), None);
        // `dave <d@example.com>` is linked to no account: a profile must be compared.
        assert!(c.needs_profile());
    }

    #[test]
    fn unlinked_identities_are_matched_by_profile_email_and_name() {
        let commits = vec![CommitEvidence {
            author_login: None,
            author: person("Erin Example", "erin@corp.example"),
            message: "fix".into(),
            ..CommitEvidence::default()
        }];
        let c = Contributors::new(&commits);
        let profile = |name: Option<&str>, email: Option<&str>| Profile {
            name: name.map(str::to_string),
            email: email.map(str::to_string),
        };
        assert_eq!(
            c.unlinked_involvement("e1", &profile(None, Some("ERIN@corp.example")))
                .as_deref(),
            Some("co-authored a commit in this pull request (same e-mail)")
        );
        let by_name = c
            .unlinked_involvement("e2", &profile(Some("erin  example"), None))
            .unwrap_or_default();
        assert!(by_name.contains("cannot be told apart from co-author `Erin Example`"));
        // The e-mail's user part equal to the login.
        assert!(c
            .unlinked_involvement("erin", &Profile::default())
            .is_some());
        assert_eq!(
            c.unlinked_involvement("frank", &profile(Some("Frank"), Some("f@x.example"))),
            None
        );
    }

    #[test]
    fn linked_identities_need_no_profile() {
        let commits = vec![CommitEvidence {
            author_login: Some("dev".into()),
            author: person("Dev", "dev@example.com"),
            message: "Co-authored-by: Carol <12345+carol@users.noreply.github.com>".into(),
            ..CommitEvidence::default()
        }];
        assert!(!Contributors::new(&commits).needs_profile());
    }
}
