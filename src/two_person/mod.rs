//! The two-person rule (DEL001), every part of it: a privileged deletion needs approvals from
//! two people who did not write the change. Pure functions, no I/O:
//!
//! - what a pull request may not change: [`protect`] (the options `guard.toml` produced),
//!   [`unsuppress`] (its suppressions), [`approval_for_run`] (the stricter approval count);
//! - what needs approval: [`needs_approval`], [`triggers`] and their [`fingerprint`];
//! - how reviews count: [`evaluation`] decides over the evidence `crate::github` gathered (and
//!   names the lookups still missing), with [`reviews`]' rules for each review;
//! - what the outcome does: [`apply`] marks the findings approved, [`not_checked`] records a
//!   local run's summary.

pub mod evaluation;
pub mod reviews;
pub mod summary;

pub use summary::{
    fingerprint, short_sha, ApprovalConfig, ApprovalState, ApprovalSummary, Excluded, Override,
    Trigger, OVERRIDE_PREFIX,
};

use crate::summary::PlanSummary;
use crate::triage::ReportedFinding;
use crate::Options;
use guard_policies::deletion::privileged_deletion_unapproved::PRIVILEGED_DELETION_UNAPPROVED;
use guard_policies::PrivilegedConfig;

/// The DEL001 policy code.
pub const POLICY_CODE: &str = PRIVILEGED_DELETION_UNAPPROVED.code;

/// In a pull-request check, `guard.toml` comes from the pull request under review, so it may add
/// to the two-person rule (DEL001) but not take anything away from it: ignoring or deselecting
/// DEL001, lowering its severity, removing resources from the privileged list and requiring
/// fewer than two approvals are undone here, each with a note saying so. Call it after the
/// configuration is applied and before command-line flags (the workflow file is trusted).
pub fn protect(options: &mut Options) -> Vec<String> {
    let policy = &PRIVILEGED_DELETION_UNAPPROVED;
    let is_rule =
        |s: &String| s.eq_ignore_ascii_case(policy.code) || s.eq_ignore_ascii_case(policy.name);
    let mut notes = Vec::new();
    let why = "guard.toml comes from the pull request under review";
    if options.ignore.iter().any(is_rule) {
        options.ignore.retain(|s| !is_rule(s));
        notes.push(format!(
            "guard.toml ignores DEL001; not applied in a pull-request check ({why})"
        ));
    }
    if !options.select.is_empty() && !options.select.iter().any(is_rule) {
        options.select.push(policy.code.to_string());
        notes.push(format!(
            "guard.toml does not select DEL001; it runs anyway in a pull-request check ({why})"
        ));
    }
    let before = options.severity_overrides.len();
    options
        .severity_overrides
        .retain(|k, sev| !(is_rule(k) && *sev < policy.severity));
    if options.severity_overrides.len() != before {
        notes.push(format!(
            "guard.toml lowers DEL001's severity; not applied in a pull-request check ({why})"
        ));
    }
    if options.settings.privileged.has_removals() {
        options.settings.privileged = options.settings.privileged.without_removals();
        notes.push(format!("guard.toml removes resources from the privileged list; not applied in a pull-request check ({why})"));
    }
    let default_required = guard_policies::Settings::default().required_approvals;
    if options.settings.required_approvals < default_required {
        options.settings.required_approvals = default_required;
        notes.push(format!("guard.toml asks for fewer than {default_required} approvals; not applied in a pull-request check ({why})"));
    }
    notes
}

/// In a pull-request check, `guard.toml` suppressions of DEL001 do not apply: plans have no
/// comments, so DEL001 can only be suppressed from `guard.toml`, which the pull request under
/// review could have changed. Returns the note that says so, if any were undone.
pub fn unsuppress(findings: &mut [ReportedFinding]) -> Option<String> {
    let code = POLICY_CODE;
    let mut unsuppressed = 0;
    for f in findings.iter_mut() {
        if f.finding.code == code && f.suppression.as_ref().is_some_and(|s| s.kind == "config") {
            f.suppression = None;
            unsuppressed += 1;
        }
    }
    (unsuppressed > 0).then(|| {
        format!(
            "guard.toml suppresses {unsuppressed} {code} finding(s); not applied in a pull-request check (guard.toml comes from the pull request under review)"
        )
    })
}

/// The approval settings a `--github` run checks against: `[approval]` (from the trusted
/// configuration in a pull-request check), the stricter of its count and the policy's
/// `required_approvals` (the policy's message names that one), at least one; teams from the
/// command line add to the file's, and `--break-glass-team` replaces its.
pub fn approval_for_run(
    mut approval: ApprovalConfig,
    required_approvals: usize,
    cli_teams: &[String],
    cli_break_glass_team: Option<&String>,
) -> ApprovalConfig {
    approval.required = approval.required.max(required_approvals).max(1);
    approval.teams.extend(cli_teams.iter().cloned());
    if let Some(team) = cli_break_glass_team {
        approval.break_glass_team = Some(team.clone());
    }
    approval
}

/// What one `guard.toml` says about the rule, as a pull-request check reads it.
#[derive(Debug, Clone, Default)]
pub struct RuleFile {
    /// As shown in notes.
    pub name: String,
    /// `[approval] required`.
    pub required: Option<usize>,
    /// `[approval] teams`.
    pub teams: Vec<String>,
    /// `[approval] break-glass-team`.
    pub break_glass_team: Option<String>,
    /// `[privileged]`.
    pub privileged: PrivilegedConfig,
}

/// The rule of a pull-request check, from every `guard.toml` it reads.
#[derive(Debug, Clone)]
pub struct PullRequestRules {
    /// `required` is the stricter count; teams and the break-glass team are the trusted file's;
    /// the pull request's own teams are further requirements (`team_groups`).
    pub approval: ApprovalConfig,
    /// The trusted file's list plus every file's additions (removals only from the trusted one).
    pub privileged: PrivilegedConfig,
    /// The most approvals anything asks for.
    pub required: usize,
    /// What was not applied, and why.
    pub notes: Vec<String>,
}

/// The two-person rule of a pull-request check (`--github`). The pull request can change every
/// `guard.toml` in its checkout (`untrusted`), so those files may only add to the rule: the most
/// approvals any of them asks for, the union of their privileged additions, and their `teams`
/// only as further requirements (a reviewer must also be in one team of each file's list).
/// `[approval] teams`, `break-glass-team` and privileged removals come only from `trusted` (the
/// base branch's `guard.toml`). `required` is the count the run already asks for.
pub fn pull_request_rules(
    required: usize,
    trusted: Option<RuleFile>,
    untrusted: Vec<RuleFile>,
) -> PullRequestRules {
    let mut approval = ApprovalConfig::default();
    let mut privileged = PrivilegedConfig::default();
    let mut required = required;
    let mut notes = Vec::new();
    if let Some(file) = trusted {
        required = required.max(file.required.unwrap_or(0));
        approval.teams = file.teams;
        approval.break_glass_team = file.break_glass_team;
        privileged = file.privileged;
    }
    for file in untrusted {
        let name = &file.name;
        required = required.max(file.required.unwrap_or(0));
        privileged.add_types.extend(file.privileged.add_types);
        privileged
            .add_addresses
            .extend(file.privileged.add_addresses);
        let teams = file.teams;
        if !teams.is_empty() && teams != approval.teams && !approval.team_groups.contains(&teams) {
            notes.push(format!(
                "{name}: `[approval] teams` apply only as a further requirement in a pull-request check (the pull request can change this file; name the approval teams with --approval-team or --trusted-config)"
            ));
            approval.team_groups.push(teams);
        }
        if let Some(team) = file.break_glass_team {
            if approval.break_glass_team.as_ref() != Some(&team) {
                notes.push(format!(
                    "{name}: `[approval] break-glass-team` is not applied in a pull-request check (the pull request can change this file; name the team with --break-glass-team or --trusted-config, the base branch's guard.toml)"
                ));
            }
        }
    }
    approval.required = required;
    PullRequestRules {
        approval,
        privileged,
        required,
        notes,
    }
}

/// A run without `--github`: DEL001 stands, and the report says what would need approval.
pub fn not_checked(
    findings: &[ReportedFinding],
    plans: &[PlanSummary],
    required_approvals: usize,
) -> Option<ApprovalSummary> {
    if !needs_approval(findings) {
        return None;
    }
    let mut s = ApprovalSummary::new(
        ApprovalState::NotChecked,
        required_approvals.max(1),
        triggers(findings, plans),
    );
    s.reason = Some("not checked: run with --github on a pull request".to_string());
    Some(s)
}

/// Active (not suppressed) DEL001 findings exist.
pub fn needs_approval(findings: &[ReportedFinding]) -> bool {
    findings
        .iter()
        .any(|f| f.finding.code == POLICY_CODE && f.suppression.is_none())
}

/// The changes behind the active DEL001 findings, sorted.
pub fn triggers(findings: &[ReportedFinding], plans: &[PlanSummary]) -> Vec<Trigger> {
    // The first change of each address in each plan file, and in any plan: looked up once per
    // finding (a plan of 230k changes has tens of thousands of both).
    let mut in_file = std::collections::HashMap::new();
    let mut in_any = std::collections::HashMap::new();
    for p in plans {
        for d in &p.destructive {
            in_file
                .entry((p.file.as_str(), d.address.as_str()))
                .or_insert(d);
            in_any.entry(d.address.as_str()).or_insert(d);
        }
    }
    let mut out: Vec<Trigger> = findings
        .iter()
        .filter(|f| f.finding.code == POLICY_CODE && f.suppression.is_none())
        .filter_map(|f| {
            let address = f.finding.address.clone()?;
            let change = in_file
                .get(&(f.source_name.as_str(), address.as_str()))
                .or_else(|| in_any.get(address.as_str()))
                .copied();
            Some(match change {
                Some(d) => Trigger {
                    address,
                    resource_type: d.resource_type.clone(),
                    actions: d.actions.iter().map(|a| a.to_string()).collect(),
                },
                // Drift: deleted outside Terraform, so not among the plan's changes.
                None => Trigger {
                    resource_type: crate::address::resource_type(&address),
                    address,
                    actions: vec!["drift".to_string(), "delete".to_string()],
                },
            })
        })
        .collect();
    out.sort();
    out
}

/// Applies a passing summary to the DEL001 findings.
pub fn apply(findings: &mut [ReportedFinding], summary: &ApprovalSummary) {
    if !summary.state.passes() {
        return;
    }
    let by = match (&summary.state, &summary.override_) {
        (ApprovalState::Overridden, Some(o)) => format!("override by {}: {}", o.by, o.reason),
        _ => summary.counted.join(", "),
    };
    for f in findings.iter_mut() {
        if f.finding.code == POLICY_CODE && f.suppression.is_none() {
            f.approved_by = Some(by.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::Suppression;
    use guard_policies::{Finding, Severity};

    fn finding(
        code: &'static str,
        address: &str,
        suppression: Option<&'static str>,
    ) -> ReportedFinding {
        let mut f = ReportedFinding::new(
            Finding {
                code,
                name: "x",
                severity: Severity::High,
                message: String::new(),
                address: Some(address.to_string()),
                location: None,
                related: Vec::new(),
                instances: Vec::new(),
                config_address: None,
                module_calls: Vec::new(),
                input: None,
            },
            "plan.json",
            Severity::High,
        );
        f.suppression = suppression.map(|kind| Suppression {
            kind,
            reason: "why".into(),
            file: None,
            line: None,
        });
        f
    }

    #[test]
    fn a_pull_request_cannot_weaken_the_rule_through_options() {
        let mut options = Options {
            ignore: vec!["del001".into()],
            select: vec!["NET001".into()],
            ..Options::default()
        };
        options
            .severity_overrides
            .insert("DEL001".into(), Severity::Low);
        options.settings.required_approvals = 1;
        let notes = protect(&mut options);
        assert_eq!(notes.len(), 4, "{notes:?}");
        assert!(options.ignore.is_empty());
        assert!(options.select.contains(&POLICY_CODE.to_string()));
        assert!(options.severity_overrides.is_empty());
        assert_eq!(options.settings.required_approvals, 2);
        // Raising the bar is kept.
        let mut stricter = Options::default();
        stricter
            .severity_overrides
            .insert("DEL001".into(), Severity::Critical);
        stricter.settings.required_approvals = 3;
        assert!(protect(&mut stricter).is_empty());
        assert_eq!(stricter.settings.required_approvals, 3);
    }

    #[test]
    fn only_config_suppressions_of_del001_are_undone() {
        let mut findings = vec![
            finding(POLICY_CODE, "aws_iam_user.a", Some("config")),
            finding(POLICY_CODE, "aws_iam_user.b", Some("inline")),
            finding("DEL003", "aws_s3_bucket.c", Some("config")),
        ];
        let note = unsuppress(&mut findings).unwrap_or_default();
        assert!(note.contains("suppresses 1 DEL001 finding(s)"), "{note}");
        assert!(findings[0].suppression.is_none());
        assert!(findings[1].suppression.is_some());
        assert!(findings[2].suppression.is_some());
        assert_eq!(unsuppress(&mut findings), None);
    }

    #[test]
    fn triggers_come_from_active_del001_findings_and_drift_has_its_own_actions() {
        let findings = vec![
            finding(POLICY_CODE, r#"module.m["k"].aws_iam_user.b"#, None),
            finding(POLICY_CODE, "aws_iam_user.a", Some("config")),
            finding("DEL003", "aws_s3_bucket.c", None),
        ];
        assert!(needs_approval(&findings));
        let t = triggers(&findings, &[]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].resource_type, "aws_iam_user");
        assert_eq!(t[0].actions, ["drift", "delete"]);
        assert!(!needs_approval(&findings[1..]));
        assert_eq!(not_checked(&findings[1..], &[], 2), None);
        let local = not_checked(&findings, &[], 0).unwrap_or_else(|| unreachable!());
        assert_eq!(local.state, ApprovalState::NotChecked);
        assert_eq!(local.required, 1);
    }

    #[test]
    fn only_a_passing_summary_approves_and_only_active_del001() {
        let mut findings = vec![
            finding(POLICY_CODE, "aws_iam_user.a", None),
            finding(POLICY_CODE, "aws_iam_user.b", Some("inline")),
            finding("DEL003", "aws_s3_bucket.c", None),
        ];
        let mut summary = ApprovalSummary::new(ApprovalState::Pending, 2, Vec::new());
        summary.counted = vec!["ann".into(), "bob".into()];
        apply(&mut findings, &summary);
        assert!(findings.iter().all(|f| f.approved_by.is_none()));
        summary.state = ApprovalState::Approved;
        apply(&mut findings, &summary);
        assert_eq!(findings[0].approved_by.as_deref(), Some("ann, bob"));
        assert!(findings[1].approved_by.is_none());
        assert!(findings[2].approved_by.is_none());
    }

    #[test]
    fn a_pull_requests_own_files_only_add_to_the_rule() {
        let trusted = RuleFile {
            name: "base/guard.toml".into(),
            required: Some(2),
            teams: vec!["org/sre".into()],
            break_glass_team: Some("org/oncall".into()),
            privileged: PrivilegedConfig {
                remove_types: vec!["aws_iam_user".into()],
                ..PrivilegedConfig::default()
            },
        };
        let untrusted = vec![
            RuleFile {
                name: "guard.toml".into(),
                required: Some(1),
                teams: vec!["org/friends".into()],
                break_glass_team: Some("org/friends".into()),
                privileged: PrivilegedConfig {
                    add_types: vec!["aws_kms_key".into()],
                    remove_types: vec!["aws_iam_role".into()],
                    ..PrivilegedConfig::default()
                },
            },
            RuleFile {
                name: "live/guard.toml".into(),
                required: Some(3),
                ..RuleFile::default()
            },
        ];
        let rules = pull_request_rules(2, Some(trusted), untrusted);
        assert_eq!(rules.required, 3);
        assert_eq!(rules.approval.required, 3);
        assert_eq!(rules.approval.teams, ["org/sre"]);
        assert_eq!(
            rules.approval.team_groups,
            [vec!["org/friends".to_string()]]
        );
        assert_eq!(
            rules.approval.break_glass_team.as_deref(),
            Some("org/oncall")
        );
        assert_eq!(rules.privileged.add_types, ["aws_kms_key"]);
        assert_eq!(rules.privileged.remove_types, ["aws_iam_user"]);
        assert_eq!(rules.notes.len(), 2, "{:?}", rules.notes);
        assert!(rules.notes.iter().all(|n| n.starts_with("guard.toml: ")));
        // Without a trusted file, nothing is removed and no team or break-glass team is set.
        let alone = pull_request_rules(2, None, Vec::new());
        assert_eq!(alone.approval, ApprovalConfig::default());
        assert!(alone.notes.is_empty());
    }

    #[test]
    fn the_run_asks_for_the_stricter_count_and_adds_command_line_teams() {
        let file = ApprovalConfig {
            required: 1,
            teams: vec!["org/a".into()],
            break_glass_team: Some("org/old".into()),
            team_groups: Vec::new(),
        };
        let run = approval_for_run(file.clone(), 3, &["org/b".into()], Some(&"org/bg".into()));
        assert_eq!(run.required, 3);
        assert_eq!(run.teams, ["org/a", "org/b"]);
        assert_eq!(run.break_glass_team.as_deref(), Some("org/bg"));
        let zero = ApprovalConfig {
            required: 0,
            ..file
        };
        assert_eq!(approval_for_run(zero, 0, &[], None).required, 1);
    }
}
