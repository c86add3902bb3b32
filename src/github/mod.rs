//! GitHub: the two-person approval check, the pull-request comment, the job summary, the check
//! run and the annotations, all behind `--github`.
//!
//! Two sides, in this order: `approve` (the approval stage, on the triage stages' value) fetches
//! the evidence and lets `crate::two_person` decide which DEL001 findings still block; then the
//! [`Report`] is built, and `publish` (sinks) writes what it says: the job summary (always, so a
//! fork's read-only token still leaves a report), the sticky comment, the check run, the step
//! outputs. Only approval-check faults fail the run: a comment or check run that cannot be
//! written leaves a note (passed through the run's tripwire, kept here only for those notes) and
//! the job summary.
//!
//! The token is read from `GITHUB_TOKEN` (or `GH_TOKEN`), handed to octocrab and never printed:
//! errors carry the request line and GitHub's message only.

pub mod approval;
pub mod checks;
pub mod client;
pub mod comment;

pub use crate::two_person::{ApprovalConfig, ApprovalState, ApprovalSummary};
pub use comment::CommentMode;

use crate::redact::Tripwire;
use crate::report::markdown::{self, MarkdownContext};
use crate::report::Report;
use crate::stages::Triaged;
use crate::two_person;
use approval::Target;
use client::{Client, ClientConfig};
use comment::{CommentAction, CommentRequest};
use std::path::PathBuf;

/// Command-line flags for the GitHub side of a run.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GithubArgs {
    /// Check approvals and update the pull-request comment, annotations, check run and job
    /// summary (in GitHub Actions, or with --repo/--pr and GITHUB_TOKEN).
    #[arg(long)]
    pub github: bool,
    /// Repository, OWNER/NAME. Default: GITHUB_REPOSITORY.
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// Pull request number. Default: from GITHUB_EVENT_PATH.
    #[arg(long, value_name = "NUMBER")]
    pub pr: Option<u64>,
    /// The head commit the plan was made for. Default: the event's pull_request.head.sha.
    #[arg(long, value_name = "SHA")]
    pub sha: Option<String>,
    /// How the pull-request comment is kept up to date.
    #[arg(long, value_enum, default_value = "update")]
    pub comment_mode: CommentMode,
    /// Key of the sticky comment (one comment per key). Default: the plans' directories.
    #[arg(long, value_name = "KEY")]
    pub comment_key: Option<String>,
    /// Login guard comments as, to find its own comments. Default: github-actions[bot].
    #[arg(long, value_name = "LOGIN")]
    pub comment_author: Option<String>,
    /// REST API base URL. Default: GITHUB_API_URL, else https://api.github.com.
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// GraphQL URL. Default: GITHUB_GRAPHQL_URL, else derived from the API URL.
    #[arg(long, value_name = "URL")]
    pub graphql_url: Option<String>,
    /// Do not create a `guard` check run.
    #[arg(long)]
    pub no_check_run: bool,
    /// Do not print workflow-command annotations.
    #[arg(long)]
    pub no_annotations: bool,
    /// A team approvers must belong to (ORG/SLUG; repeatable). Adds to guard.toml's.
    #[arg(long = "approval-team", value_name = "ORG/SLUG")]
    pub approval_teams: Vec<String>,
    /// The break-glass team (ORG/SLUG). Overrides guard.toml's.
    #[arg(long, value_name = "ORG/SLUG")]
    pub break_glass_team: Option<String>,
    /// The base branch's guard.toml (a checkout of the pull request's base): the only file
    /// `[approval] teams` and `break-glass-team` are taken from in a pull-request check.
    #[arg(long, value_name = "FILE")]
    pub trusted_config: Option<PathBuf>,
    /// `[approval]` from guard.toml, set by the configuration loader.
    #[arg(skip)]
    pub approval: Option<ApprovalConfig>,
}

/// Why the GitHub side of a run cannot be set up from the flags and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextError {
    /// Neither `--repo` nor `GITHUB_REPOSITORY`.
    NoRepository,
    /// `--repo` (or `GITHUB_REPOSITORY`) is not `OWNER/NAME`.
    BadRepository(String),
    /// `--sha` (or the event's head SHA) is not a commit SHA.
    BadSha(String),
}

impl std::fmt::Display for ContextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContextError::NoRepository => {
                f.write_str("no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY")
            }
            ContextError::BadRepository(repo) => {
                write!(f, "--repo must be OWNER/NAME, got `{repo}`")
            }
            ContextError::BadSha(sha) => write!(f, "--sha must be a commit SHA, got `{sha}`"),
        }
    }
}

impl std::error::Error for ContextError {}

/// Everything a GitHub-side run needs, resolved from flags and the Actions environment.
#[derive(Debug, Clone)]
pub struct Context {
    pub owner: String,
    pub repo: String,
    pub pr: Option<u64>,
    pub sha: Option<String>,
    pub token: Option<String>,
    pub client: ClientConfig,
    /// `https://github.com` (GITHUB_SERVER_URL).
    pub server_url: String,
    pub run_id: Option<String>,
    pub step_summary: Option<PathBuf>,
    /// GITHUB_OUTPUT, for the action's outputs.
    pub output_file: Option<PathBuf>,
    pub comment_mode: CommentMode,
    pub comment_key: Option<String>,
    pub comment_author: String,
    pub check_run: bool,
    pub annotations: bool,
    pub approval: ApprovalConfig,
}

impl Context {
    /// Resolves the context; `env` reads an environment variable.
    pub fn from_env(
        args: &GithubArgs,
        settings: &guard_policies::Settings,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Context, ContextError> {
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let event: Option<serde_json::Value> = get("GITHUB_EVENT_PATH")
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok());
        let pull = event.as_ref().and_then(|e| e.get("pull_request"));
        let repo_full = args
            .repo
            .clone()
            .or_else(|| get("GITHUB_REPOSITORY"))
            .ok_or(ContextError::NoRepository)?;
        let (owner, repo) = repo_full
            .split_once('/')
            .filter(|(o, r)| !o.is_empty() && !r.is_empty() && !r.contains('/'))
            .ok_or_else(|| ContextError::BadRepository(repo_full.clone()))?;
        let pr = args.pr.or_else(|| {
            pull.and_then(|p| p.get("number"))
                .and_then(|n| n.as_u64())
                .or_else(|| {
                    event
                        .as_ref()
                        .and_then(|e| e.get("number"))
                        .and_then(|n| n.as_u64())
                })
        });
        let sha = args.sha.clone().or_else(|| {
            pull.and_then(|p| p.pointer("/head/sha"))
                .and_then(|s| s.as_str())
                .map(str::to_string)
        });
        if let Some(s) = &sha {
            if s.len() < 7 || !s.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(ContextError::BadSha(s.clone()));
            }
        }
        let api_url = args
            .api_url
            .clone()
            .or_else(|| get("GITHUB_API_URL"))
            .unwrap_or_else(|| "https://api.github.com".to_string());
        let mut client = ClientConfig::new(&api_url);
        if let Some(g) = args
            .graphql_url
            .clone()
            .or_else(|| get("GITHUB_GRAPHQL_URL"))
        {
            client.graphql_url = g;
        }
        let approval = two_person::approval_for_run(
            args.approval.clone().unwrap_or_default(),
            settings.required_approvals,
            &args.approval_teams,
            args.break_glass_team.as_ref(),
        );
        Ok(Context {
            owner: owner.to_string(),
            repo: repo.to_string(),
            pr,
            sha,
            token: get("GITHUB_TOKEN").or_else(|| get("GH_TOKEN")),
            client,
            server_url: get("GITHUB_SERVER_URL")
                .unwrap_or_else(|| "https://github.com".to_string())
                .trim_end_matches('/')
                .to_string(),
            run_id: get("GITHUB_RUN_ID"),
            step_summary: get("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            output_file: get("GITHUB_OUTPUT").map(PathBuf::from),
            comment_mode: args.comment_mode,
            comment_key: args.comment_key.clone(),
            comment_author: args
                .comment_author
                .clone()
                .unwrap_or_else(|| "github-actions[bot]".to_string()),
            check_run: !args.no_check_run,
            annotations: !args.no_annotations,
            approval,
        })
    }

    fn target(&self, pr: u64) -> Target<'_> {
        Target {
            owner: &self.owner,
            repo: &self.repo,
            pr,
            planned_sha: self.sha.as_deref(),
        }
    }

    /// The markdown context for this run.
    pub fn markdown(&self, report: &Report, budget: usize, marker: bool) -> MarkdownContext {
        let repo_url = format!("{}/{}/{}", self.server_url, self.owner, self.repo);
        MarkdownContext {
            key: Some(self.key(report)),
            sha: self.sha.clone(),
            run: self
                .run_id
                .as_ref()
                .map(|id| (id.clone(), format!("{repo_url}/actions/runs/{id}"))),
            repo_url: Some(repo_url),
            marker,
            budget,
            full_report: "the job summary",
        }
    }

    /// The comment key: `--comment-key`, else the plans' directories.
    pub fn key(&self, report: &Report) -> String {
        if let Some(k) = &self.comment_key {
            return markdown::sanitize_key(k);
        }
        let mut dirs: Vec<String> = report
            .plans
            .iter()
            .map(|p| match p.file.rsplit_once('/') {
                Some((dir, _)) if !dir.is_empty() => dir.to_string(),
                _ => ".".to_string(),
            })
            .collect();
        dirs.sort();
        dirs.dedup();
        let key = if dirs.is_empty() {
            ".".to_string()
        } else {
            dirs.join("+")
        };
        markdown::sanitize_key(&key)
    }
}

/// What a GitHub-side run produced (the action's outputs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOutput {
    /// Workflow commands to print on stdout.
    pub annotations: String,
    pub comment_url: Option<String>,
    pub check_run_url: Option<String>,
    /// Approval-check faults: the run fails closed.
    pub faults: Vec<String>,
}

/// What a GitHub-side run hands on: the report (with the approval check's outcome and every
/// note, a failure already folded in: the check then fails closed) and the annotations
/// (workflow commands) for the caller to print.
#[derive(Debug)]
pub struct GithubRun {
    pub report: Report,
    pub annotations: String,
    /// Why a GitHub-side step failed, when one did (also a note, and `github_failed` is set).
    pub failed: Option<String>,
}

/// The approval stage, the report stage and the GitHub sinks. Without `--github` only the
/// approval stage runs: DEL001 stands, and the report says what would need approval.
pub fn run(triaged: Triaged, args: &GithubArgs, settings: &guard_policies::Settings) -> GithubRun {
    let mut triaged = triaged;
    if !args.github {
        if let Some(s) = two_person::not_checked(
            &triaged.findings,
            &triaged.plans,
            settings.required_approvals,
        ) {
            triaged.approval = Some(s);
        }
        return GithubRun {
            report: Report::build(triaged),
            annotations: String::new(),
            failed: None,
        };
    }
    let failed_before = |mut triaged: Triaged, reason: String| {
        triaged.notes.push(format!("github: {reason}"));
        triaged.github_failed = true;
        GithubRun {
            report: Report::build(triaged),
            annotations: String::new(),
            failed: Some(reason),
        }
    };
    let ctx = match Context::from_env(args, settings, |k| std::env::var(k).ok()) {
        Ok(ctx) => ctx,
        Err(e) => return failed_before(triaged, e.to_string()),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return failed_before(triaged, format!("cannot start the async runtime: {e}"));
        }
    };
    let tripwire = triaged.tripwire.clone();
    let (report, out) = runtime.block_on(run_async(triaged, &ctx));
    if out.faults.is_empty() {
        GithubRun {
            report,
            annotations: out.annotations,
            failed: None,
        }
    } else {
        // Fail closed: whatever GitHub-side step failed, the check does not pass (`run_async`
        // set `github_failed` before it built the report).
        let reason = out.faults.join("; ");
        let report = report.with_notes(vec![format!("github: {reason}")], &tripwire);
        GithubRun {
            report,
            annotations: out.annotations,
            failed: Some(reason),
        }
    }
}

/// Something worth a comment: changes, findings, errors or an approval result.
pub fn has_content(report: &Report) -> bool {
    report.plans.iter().any(|p| {
        !p.changes.is_empty() || !p.unsafe_reasons.is_empty() || !p.failed_checks.is_empty()
    }) || report
        .findings
        .iter()
        .any(|f| f.is_active() || f.approved_by.is_some())
        || !report.errors.is_empty()
        || report.approval.is_some()
}

/// The GitHub-side run, for a resolved context: the approval stage, the report stage, then the
/// sinks. Never panics on network input; faults that must fail the run are in `faults` (and the
/// report's `github_failed` is set).
pub async fn run_async(triaged: Triaged, ctx: &Context) -> (Report, RunOutput) {
    let mut triaged = triaged;
    let mut out = RunOutput::default();
    let client = match &ctx.token {
        Some(token) => match Client::new(ctx.client.clone(), token) {
            Ok(c) => Some(c),
            Err(e) => {
                out.faults.push(e.to_string());
                None
            }
        },
        None => None,
    };

    approve(&mut triaged, ctx, client.as_ref(), &mut out).await;
    if !out.faults.is_empty() {
        triaged.github_failed = true;
    }
    let tripwire = triaged.tripwire.clone();
    let report = Report::build(triaged);
    let report = publish(report, &tripwire, ctx, client.as_ref(), &mut out).await;
    (report, out)
}

/// The evidence side: when DEL001 findings need approval, fetch the reviews and decide
/// ([`approval::check`], [`two_person::reviews`]), then let [`two_person::apply`] mark the
/// findings. Faults are pushed to `out.faults`.
async fn approve(
    report: &mut Triaged,
    ctx: &Context,
    client: Option<&Client>,
    out: &mut RunOutput,
) {
    if two_person::needs_approval(&report.findings) {
        let triggers = two_person::triggers(&report.findings, &report.plans);
        let required = ctx.approval.required.max(1);
        let summary = match (ctx.pr, &client) {
            (None, _) => {
                let mut s = ApprovalSummary::new(ApprovalState::NotChecked, required, triggers);
                s.reason =
                    Some("no pull request in this event (pass --pr): DEL001 stands".to_string());
                s
            }
            (Some(_), None) => {
                let reason = "no GITHUB_TOKEN: approvals cannot be checked".to_string();
                out.faults.push(reason.clone());
                let mut s = ApprovalSummary::new(ApprovalState::Failed, required, triggers);
                s.reason = Some(reason);
                s
            }
            (Some(pr), Some(client)) => {
                match approval::check(client, &ctx.target(pr), &ctx.approval, triggers.clone())
                    .await
                {
                    Ok(s) => s,
                    Err(e) => {
                        let reason = e.to_string();
                        out.faults.push(format!("approval check failed: {reason}"));
                        let mut s = ApprovalSummary::new(ApprovalState::Failed, required, triggers);
                        s.reason = Some(reason);
                        s
                    }
                }
            }
        };
        two_person::apply(&mut report.findings, &summary);
        report.notes.push(summary.note());
        report.approval = Some(summary);
    }
}

/// The publishing side, after the report is built: the job summary, the comment, the check run,
/// the annotations and the step outputs. Nothing here changes a finding; what fails becomes a
/// note (through `tripwire`), seen by the sinks after it and in the report handed back.
async fn publish(
    report: Report,
    tripwire: &Tripwire,
    ctx: &Context,
    client: Option<&Client>,
    out: &mut RunOutput,
) -> Report {
    let mut report = report;
    // What failed in a step, added to the report before the next step renders it.
    let mut notes: Vec<String> = Vec::new();
    // 2. The job summary: the full report, first, so it exists whatever happens next.
    if let Some(path) = &ctx.step_summary {
        let text = markdown::render_with(
            &report,
            &ctx.markdown(&report, markdown::SUMMARY_BUDGET, false),
        );
        if let Err(e) = append(path, &text) {
            notes.push(format!("github: cannot write the job summary: {e}"));
        }
    }
    report = report.with_notes(std::mem::take(&mut notes), tripwire);

    // 3. The comment.
    if let (Some(pr), Some(client), true) = (ctx.pr, &client, ctx.comment_mode != CommentMode::Off)
    {
        let mdctx = ctx.markdown(&report, markdown::COMMENT_BUDGET, true);
        let body = markdown::render_with(&report, &mdctx);
        let key = ctx.key(&report);
        let req = CommentRequest {
            mode: ctx.comment_mode,
            key: &key,
            identity: &ctx.comment_author,
            body: &body,
            planned_sha: ctx.sha.as_deref(),
            has_content: has_content(&report),
        };
        match comment::sync(client, &ctx.target(pr), &req).await {
            Ok(o) => {
                out.comment_url = o.url.clone();
                if let CommentAction::Superseded { head } = &o.action {
                    notes.push(format!(
                        "github: the pull request head moved to {head}; the comment was left to \
                         the newer run"
                    ));
                }
                for w in o.warnings {
                    notes.push(format!("github: cleaning up an older comment failed: {w}"));
                }
            }
            Err(e) if e.is_forbidden() => notes.push(format!(
                "github: cannot comment ({e}); a fork's or read-only token cannot write: the \
                 report is in the job summary"
            )),
            Err(e) => notes.push(format!(
                "github: cannot update the comment ({e}): the report is in the job summary"
            )),
        }
    }
    report = report.with_notes(std::mem::take(&mut notes), tripwire);

    // 4. The check run, when the token can.
    if let (Some(client), Some(sha), true) = (&client, &ctx.sha, ctx.check_run) {
        let target = ctx.target(ctx.pr.unwrap_or(0));
        let mdctx = ctx.markdown(&report, markdown::COMMENT_BUDGET, false);
        match checks::publish(client, &target, sha, &report, &mdctx).await {
            Ok(url) => out.check_run_url = url,
            Err(e) if e.is_forbidden() => notes.push(
                "github: no check run (the token lacks checks: write); annotations are workflow \
                 commands only"
                    .to_string(),
            ),
            Err(e) => notes.push(format!("github: cannot create the check run ({e})")),
        }
    }
    report = report.with_notes(std::mem::take(&mut notes), tripwire);

    // 5. Annotations and outputs.
    if ctx.annotations {
        out.annotations = crate::report::github::render(&report);
    }
    if let Some(path) = &ctx.output_file {
        let outputs = outputs(&report, out.comment_url.as_deref());
        if let Err(e) = append(path, &outputs) {
            notes.push(format!("github: cannot write step outputs: {e}"));
        }
    }
    report.with_notes(notes, tripwire)
}

/// Text printed in a `--github` run with no line that the Actions runner could read as a
/// workflow command: a line whose first non-blank characters are `::` (a Terraform `check`
/// message, an address or a key from the pull request) has them escaped as `%3A%3A`, the
/// runner's own escape. Only guard's annotations (`report::github`) are printed as commands.
pub fn escape_command_lines(text: &str) -> String {
    if !text.contains("::") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        match body.strip_prefix("::") {
            Some(rest) => {
                out.push_str(&line[..line.len() - body.len()]);
                out.push_str("%3A%3A");
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// `name=value` lines for GITHUB_OUTPUT.
pub fn outputs(report: &Report, comment_url: Option<&str>) -> String {
    let destroy: usize = report.plans.iter().map(|p| p.counts.destroy).sum();
    let approval = report
        .approval
        .as_ref()
        .map(|a| a.state.as_str())
        // An input that could not be read may hold the deletion that needs approval.
        .unwrap_or(if report.errors.is_empty() {
            "not-required"
        } else {
            "not-checked"
        });
    let fingerprint = report
        .approval
        .as_ref()
        .map(|a| a.fingerprint.as_str())
        .unwrap_or("");
    let clean = |s: &str| s.replace(['\r', '\n'], "");
    format!(
        "blocking-count={}\nwarning-count={}\ndestroy-count={destroy}\napproval-state={approval}\nfingerprint={}\ncomment-url={}\n",
        report.blocking_count(),
        report.warning_count(),
        clean(fingerprint),
        clean(comment_url.unwrap_or("")),
    )
}

/// A file of the runner's (job summary, step outputs) that cannot be appended to; `Display` is
/// the short I/O reason.
#[derive(Debug)]
struct AppendError(std::io::Error);

impl std::fmt::Display for AppendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::io_reason(&self.0))
    }
}

fn append(path: &PathBuf, text: &str) -> Result<(), AppendError> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(AppendError)?;
    f.write_all(text.as_bytes()).map_err(AppendError)?;
    if !text.ends_with('\n') {
        f.write_all(b"\n").map_err(AppendError)?;
    }
    Ok(())
}
