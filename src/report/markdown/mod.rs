//! GitHub-flavoured markdown: the pull-request comment and the job summary.
//!
//! Built from the report (plan JSON and findings), never from plan text. Layout, top to bottom:
//! hidden marker, title and verdict, counts table with Terraform's `Plan:` line, blocking
//! findings, destructive and privileged changes, the approval panel, then `<details>` for
//! warnings and for the resources grouped by action, and a footer.
//!
//! **Budget.** The body is assembled as sections of one-line items and must fit a byte budget
//! (60,000 for a comment: GitHub rejects more than 65,536 characters). Whole items are dropped
//! from the lowest-priority section up; a section that loses items says how many, headings keep
//! exact counts, and the footer says what was left out and where the rest is. Nothing is cut
//! mid-line, and every `<details>` is closed.
//!
//! **Escaping.** Every string that comes from the inputs (addresses, keys, paths, messages,
//! logins) is written as a code span whose backtick fence is longer than any backtick run inside
//! it, with line breaks flattened: no markdown or HTML injection, no `@mention` or `#123` links,
//! and no way to forge the marker, which is only ever read from the first line.

mod budget;
mod escape;
mod marker;

pub use escape::{code, code_cell, message};
pub use marker::{comparable, marker, marker_key, sanitize_key, MARKER_PREFIX};

use super::{Report, ReportFinding};
use crate::summary::PlanSummary;
use crate::two_person::{short_sha, ApprovalState, ApprovalSummary};
use budget::{apply_budget, Section, TRUNCATION_RESERVE};
use escape::{html_text, url_path};
use std::fmt::Write as _;

/// The budget for a pull-request comment, in bytes.
pub const COMMENT_BUDGET: usize = 60_000;
/// The budget for the job summary (GitHub's limit is 1 MiB per step).
pub const SUMMARY_BUDGET: usize = 900 * 1024;
/// In a comment, at most this many blocking findings (about 20 KB) ...
const MAX_BLOCKING: usize = 100;
/// ... and destructive changes (about 8 KB), so the other sections keep room.
const MAX_DESTRUCTIVE: usize = 100;

/// A section cap for comment-sized budgets; the job summary shows everything it can.
fn item_cap(ctx: &MarkdownContext, cap: usize) -> usize {
    if ctx.budget <= COMMENT_BUDGET {
        cap
    } else {
        usize::MAX
    }
}

/// At most this many plans get a row in the counts table.
const MAX_TABLE_ROWS: usize = 50;

/// Where the markdown goes and what it links to.
#[derive(Debug, Clone)]
pub struct MarkdownContext {
    /// The comment key (written into the marker and the title).
    pub key: Option<String>,
    /// The head commit the report is for.
    pub sha: Option<String>,
    /// `https://github.com/OWNER/REPO`: file links go to `/blob/<sha>/<path>#L<line>`.
    pub repo_url: Option<String>,
    /// The workflow run: id and URL.
    pub run: Option<(String, String)>,
    /// Write the hidden marker as the first line.
    pub marker: bool,
    pub budget: usize,
    /// Where the full report is, for the truncation notice.
    pub full_report: &'static str,
}

impl Default for MarkdownContext {
    fn default() -> Self {
        MarkdownContext {
            key: None,
            sha: None,
            repo_url: None,
            run: None,
            marker: false,
            budget: SUMMARY_BUDGET,
            full_report: "the JSON report (`--format json`)",
        }
    }
}

/// `--format markdown`: the report without GitHub context, within the comment budget (people
/// paste it into `gh pr comment`, sticky-comment actions and GitLab notes).
pub fn render(report: &Report) -> String {
    render_with(
        report,
        &MarkdownContext {
            budget: COMMENT_BUDGET,
            ..MarkdownContext::default()
        },
    )
}

/// The same as [`render_with`] (the name from when the text was scrubbed after rendering and could
/// grow past the budget; free text now passes the tripwire before it is measured).
pub fn render_scrubbed(report: &Report, ctx: &MarkdownContext) -> String {
    render_with(report, ctx)
}

/// Renders within `ctx.budget` bytes: the result is never longer.
pub fn render_with(report: &Report, ctx: &MarkdownContext) -> String {
    let mut top = String::new();
    if ctx.marker {
        let fp = report.approval.as_ref().map(|a| a.fingerprint.as_str());
        let run = ctx.run.as_ref().map(|(id, _)| id.as_str());
        top.push_str(&marker(
            ctx.key.as_deref().unwrap_or("default"),
            ctx.sha.as_deref(),
            run,
            fp,
        ));
        top.push('\n');
    }
    match &ctx.key {
        Some(key) => {
            let _ = writeln!(top, "### 🛡️ guard · {}\n", code(key));
        }
        None => top.push_str("### 🛡️ guard\n\n"),
    }
    top.push_str(&verdict(report));
    top.push_str("\n\n");
    top.push_str(&counts_table(report));

    let mut sections = Vec::new();
    // Problems that make the run fail regardless of findings.
    let mut problems: Vec<String> = report
        .unsafe_reasons()
        .iter()
        .map(|r| format!("- ⛔ {}\n", code(r)))
        .collect();
    problems.extend(
        report
            .errors
            .iter()
            .map(|e| format!("- ⛔ {}\n", code(&e.to_string()))),
    );
    if !problems.is_empty() {
        let head = format!("#### ⛔ Cannot be called safe ({})\n\n", problems.len());
        sections.push(Section::new(9, head, problems, "\n", "problems"));
    }

    let blocking: Vec<&ReportFinding> = sorted(report.findings.iter().filter(|f| f.is_blocking()));
    if !blocking.is_empty() {
        let items = blocking
            .iter()
            .map(|f| finding_line(report, ctx, f))
            .collect();
        let head = format!("#### ❌ Blocking findings ({})\n\n", blocking.len());
        let cap = item_cap(ctx, MAX_BLOCKING);
        sections.push(Section::capped(
            8,
            head,
            items,
            "\n",
            "blocking findings",
            cap,
        ));
    }

    // Terraform's own checks (preconditions, check blocks) that failed in a plan.
    let failed_checks: Vec<String> = report
        .plans
        .iter()
        .flat_map(|p| p.failed_checks.iter().map(move |c| (p, c)))
        .map(|(p, c)| format!("- {} in {}\n", code(c), code(&p.file)))
        .collect();
    if !failed_checks.is_empty() {
        let head = format!(
            "#### ⚠️ Failed Terraform checks ({})\n\n",
            failed_checks.len()
        );
        sections.push(Section::new(6, head, failed_checks, "\n", "failed checks"));
    }
    // What could not be checked (a module that was never downloaded): not an error, but a
    // reviewer should know.
    let not_checked: Vec<String> = report
        .input_warnings
        .iter()
        .map(|w| format!("- {}\n", code(&w.to_string())))
        .collect();
    if !not_checked.is_empty() {
        let head = format!("#### ⚠️ Not fully checked ({})\n\n", not_checked.len());
        sections.push(Section::new(4, head, not_checked, "\n", "input warnings"));
    }

    if let Some(a) = &report.approval {
        let items = approval_items(a);
        sections.push(Section::new(
            7,
            "#### 🔐 Two-person approval\n\n".to_string(),
            items,
            "\n",
            "reviewers",
        ));
    }

    let destructive: Vec<(&PlanSummary, &crate::summary::DestructiveChange)> = report
        .plans
        .iter()
        .flat_map(|p| p.destructive.iter().map(move |d| (p, d)))
        .collect();
    if !destructive.is_empty() {
        let multi = report.plans.len() > 1;
        let mut ordered = destructive.clone();
        // Privileged first.
        ordered.sort_by_key(|(_, d)| !d.privileged);
        let items = ordered
            .iter()
            .map(|(p, d)| destructive_line(p, d, multi))
            .collect();
        let privileged = destructive.iter().filter(|(_, d)| d.privileged).count();
        let head = format!(
            "#### ⚠️ Destructive changes ({}, {} privileged)\n\n",
            destructive.len(),
            privileged
        );
        let cap = item_cap(ctx, MAX_DESTRUCTIVE);
        sections.push(Section::capped(
            6,
            head,
            items,
            "\n",
            "destructive changes",
            cap,
        ));
    }

    let notes: Vec<String> = report
        .notes
        .iter()
        .filter(|n| report.approval.is_none() || !n.starts_with("approval:"))
        .map(|n| format!("- {}\n", code(n)))
        .collect();
    if !notes.is_empty() {
        sections.push(Section::new(
            5,
            "#### Notes\n\n".to_string(),
            notes,
            "\n",
            "notes",
        ));
    }

    let warnings: Vec<&ReportFinding> = sorted(
        report
            .findings
            .iter()
            .filter(|f| f.is_active() && !f.is_blocking()),
    );
    if !warnings.is_empty() {
        let items = warnings
            .iter()
            .map(|f| finding_line(report, ctx, f))
            .collect();
        let head = format!(
            "<details><summary>⚠️ {} warnings (below <code>{}</code>)</summary>\n\n",
            warnings.len(),
            report.fail_on.as_str()
        );
        sections.push(Section::new(4, head, items, "\n</details>\n\n", "warnings"));
    }

    let approved: Vec<&ReportFinding> =
        sorted(report.findings.iter().filter(|f| f.approved_by.is_some()));
    if !approved.is_empty() {
        let items = approved
            .iter()
            .map(|f| {
                format!(
                    "- ✅ **{}** {} approved by {}\n",
                    f.finding.code,
                    code(f.finding.address.as_deref().unwrap_or(&f.source_name)),
                    code(f.approved_by.as_deref().unwrap_or(""))
                )
            })
            .collect();
        let head = format!(
            "<details><summary>✅ {} approved findings</summary>\n\n",
            approved.len()
        );
        sections.push(Section::new(
            3,
            head,
            items,
            "\n</details>\n\n",
            "approved findings",
        ));
    }

    let suppressed = report.suppressed_count();
    let with_findings: std::collections::HashSet<&str> = report
        .findings
        .iter()
        .filter(|f| f.is_active())
        .filter_map(|f| f.finding.address.as_deref())
        .collect();
    for plan in &report.plans {
        if plan.changes.is_empty() {
            continue;
        }
        let mut items = Vec::new();
        for action in ACTION_ORDER {
            let lines: Vec<&crate::summary::ChangeLine> =
                plan.changes.iter().filter(|c| c.action == action).collect();
            if lines.is_empty() {
                continue;
            }
            for c in lines {
                let mut line = format!("- {} {}", action_icon(c.action), code(&c.address));
                let _ = write!(line, " ({})", c.action);
                if let Some(prev) = &c.previous_address {
                    let _ = write!(line, " moved from {}", code(prev));
                }
                if c.importing {
                    line.push_str(" (import)");
                }
                // What changes, for the resources a finding is about.
                if !c.attributes.is_empty() && with_findings.contains(c.address.as_str()) {
                    let shown: Vec<String> = c
                        .attributes
                        .iter()
                        .map(|(name, before, after)| {
                            format!("{} {} → {}", code(name), code(before), code(after))
                        })
                        .collect();
                    let _ = write!(line, ": {}", shown.join(", "));
                }
                line.push('\n');
                items.push(line);
            }
        }
        let head = format!(
            "<details><summary>Resource changes in {} ({})</summary>\n\n",
            html_text(&plan.file),
            items.len()
        );
        sections.push(Section::new(
            2,
            head,
            items,
            "\n</details>\n\n",
            "resources",
        ));
    }

    let footer = footer(report, ctx, suppressed);
    let budget_left = ctx
        .budget
        .saturating_sub(top.len() + footer.len() + TRUNCATION_RESERVE);
    let dropped = match apply_budget(&mut sections, budget_left, ctx.full_report) {
        Some(dropped) => dropped,
        None => {
            // Even with every item dropped it does not fit: keep the top only.
            for s in &mut sections {
                s.keep = 0;
            }
            sections.iter().map(|s| s.items.len()).sum()
        }
    };

    let mut out = top;
    let mut body = String::new();
    for s in &sections {
        s.write(&mut body, ctx.full_report);
    }
    if out.len() + body.len() + footer.len() + TRUNCATION_RESERVE <= ctx.budget {
        out.push_str(&body);
    } else {
        let _ = writeln!(
            out,
            "The report is too large to show here: see {}.\n",
            ctx.full_report
        );
    }
    if dropped > 0 {
        let n = dropped;
        let _ = writeln!(
            out,
            "✂️ {n} items were left out to fit the size limit ({} bytes); counts above are \
             complete. The full report is in {}.\n",
            ctx.budget, ctx.full_report
        );
    }
    out.push_str(&footer);
    if out.len() > ctx.budget {
        // The top (the counts table) alone is too large: the verdict only.
        out = minimal(report, ctx, &footer);
    }
    if out.len() > ctx.budget {
        // A budget too small for even that: cut at a character boundary.
        let mut end = ctx.budget;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}

/// The marker, the title, the verdict, where the full report is, and the footer.
fn minimal(report: &Report, ctx: &MarkdownContext, footer: &str) -> String {
    let mut out = String::new();
    if ctx.marker {
        let fp = report.approval.as_ref().map(|a| a.fingerprint.as_str());
        let run = ctx.run.as_ref().map(|(id, _)| id.as_str());
        out.push_str(&marker(
            ctx.key.as_deref().unwrap_or("default"),
            ctx.sha.as_deref(),
            run,
            fp,
        ));
        out.push('\n');
    }
    out.push_str("### 🛡️ guard\n\n");
    out.push_str(&verdict(report));
    let _ = writeln!(
        out,
        "\n\nThe report is too large to show within {} bytes: see {}.\n",
        ctx.budget, ctx.full_report
    );
    if out.len() + footer.len() <= ctx.budget {
        out.push_str(footer);
    }
    out
}

/// Action groups in the order they are listed.
const ACTION_ORDER: [&str; 9] = [
    "delete",
    "replace",
    "replace (forget old)",
    "forget",
    "unknown action",
    "create",
    "update",
    "read",
    "no-op",
];

fn action_icon(action: &str) -> &'static str {
    match action {
        "delete" => "🗑️",
        "replace" | "replace (forget old)" => "♻️",
        "forget" => "👋",
        "create" => "➕",
        "update" => "✏️",
        "read" => "📖",
        "no-op" => "↔️",
        _ => "❓",
    }
}

fn sorted<'a>(it: impl Iterator<Item = &'a ReportFinding>) -> Vec<&'a ReportFinding> {
    let mut v: Vec<&ReportFinding> = it.collect();
    v.sort_by(|a, b| {
        b.finding
            .severity
            .cmp(&a.finding.severity)
            .then_with(|| a.finding.code.cmp(b.finding.code))
            .then_with(|| a.finding.address.cmp(&b.finding.address))
    });
    v
}

fn verdict(report: &Report) -> String {
    let blocking = report.blocking_count();
    let warnings = report.warning_count();
    let failed = report.outcome() != super::Outcome::Clean;
    let mut parts = Vec::new();
    if blocking > 0 {
        parts.push(format!("❌ **{blocking} blocking**"));
    } else if failed {
        parts.push("❌ **check failed**".to_string());
    } else {
        parts.push("✅ **nothing blocking**".to_string());
    }
    parts.push(format!("⚠️ {}", plural(warnings, "warning")));
    let suppressed = report.suppressed_count();
    if suppressed > 0 {
        parts.push(format!("🔕 {suppressed} suppressed"));
    }
    if let Some(b) = &report.baseline {
        let fixed = if b.fixed_count() > 0 {
            format!(", {} fixed", b.fixed_count())
        } else {
            String::new()
        };
        parts.push(format!(
            "📋 {} new, {} baselined{fixed}",
            b.new, b.baselined
        ));
    }
    if let Some(a) = &report.approval {
        parts.push(format!(
            "🔐 approval {}/{} ({})",
            a.counted.len(),
            a.required,
            a.state.as_str()
        ));
    }
    parts.join(" · ")
}

fn counts_table(report: &Report) -> String {
    if report.plans.is_empty() {
        return format!(
            "Checked {} modules, {} resources.\n\n",
            report.scanned.modules, report.scanned.resources
        );
    }
    let mut out = String::from(
        "| plan | add | change | destroy | replace | import | move | forget | drift | findings |\n\
         |---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n",
    );
    for plan in report.plans.iter().take(MAX_TABLE_ROWS) {
        let c = &plan.counts;
        let blocking = report
            .findings
            .iter()
            .filter(|f| f.source_name == plan.file && f.is_blocking())
            .count();
        let warn = report
            .findings
            .iter()
            .filter(|f| f.source_name == plan.file && f.is_active() && !f.is_blocking())
            .count();
        let findings = match (blocking, warn) {
            (0, 0) => "✅".to_string(),
            (b, 0) => format!("{b} ❌"),
            (0, w) => format!("{w} ⚠️"),
            (b, w) => format!("{b} ❌ {w} ⚠️"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            code_cell(&plan.file),
            c.add,
            c.change,
            c.destroy,
            c.replace,
            c.import,
            c.moved,
            c.forget,
            c.drift,
            findings
        );
    }
    if report.plans.len() > MAX_TABLE_ROWS {
        let _ = writeln!(
            out,
            "| … {} more plans | | | | | | | | | |",
            report.plans.len() - MAX_TABLE_ROWS
        );
    }
    out.push('\n');
    for plan in report.plans.iter().take(MAX_TABLE_ROWS) {
        if report.plans.len() > 1 {
            let _ = writeln!(out, "- {}: {}", code(&plan.file), code(&plan.plan_line));
        } else {
            let _ = writeln!(out, "{}", code(&plan.plan_line));
        }
    }
    out.push('\n');
    out
}

/// `- **CODE** `address` ([`file:line`](link)): `message``
fn finding_line(report: &Report, ctx: &MarkdownContext, f: &ReportFinding) -> String {
    let finding = &f.finding;
    let mut line = format!("- **{}** ({})", finding.code, finding.severity.as_str());
    if let Some(address) = &finding.address {
        let _ = write!(line, " {}", code(address));
    }
    let place = &f.place;
    let (file, lineno) = match &place {
        Some(p) => (p.file.clone(), p.line),
        None => (f.source_name.clone(), None),
    };
    let label = match lineno {
        Some(l) => format!("{file}:{l}"),
        None => file.clone(),
    };
    // With one plan, its path is in the counts table: not repeated on every finding.
    let only_plan = lineno.is_none() && report.plans.len() == 1 && report.plans[0].file == file;
    match (blob_url(ctx, &file, lineno), lineno) {
        (Some(url), Some(_)) => {
            let _ = write!(line, " ([{}]({url}))", code(&label));
        }
        _ if only_plan => {}
        _ => {
            let _ = write!(line, " ({})", code(&label));
        }
    }
    let _ = write!(line, ": {}", message(&finding.message));
    if finding.instances.len() > 1 {
        let _ = write!(line, " ({} instances)", finding.instances.len());
    }
    line.push('\n');
    line
}

/// The blob link of a repository-relative path at the head commit.
fn blob_url(ctx: &MarkdownContext, file: &str, line: Option<usize>) -> Option<String> {
    let repo = ctx.repo_url.as_ref()?;
    let sha = ctx.sha.as_ref()?;
    let file = &super::repo_path(file);
    if file.starts_with('/') || file.split('/').any(|s| s == "..") || file.contains(':') {
        return None;
    }
    let mut url = format!("{repo}/blob/{sha}/{}", url_path(file));
    if let Some(l) = line {
        let _ = write!(url, "#L{l}");
    }
    Some(url)
}

fn destructive_line(
    plan: &PlanSummary,
    d: &crate::summary::DestructiveChange,
    multi: bool,
) -> String {
    let verb = if d.actions.contains(&"delete") && d.actions.contains(&"create") {
        "replace"
    } else if d.actions.contains(&"delete") {
        "delete"
    } else if d.actions.contains(&"forget") {
        "forget"
    } else {
        "unknown action"
    };
    let mut line = format!("- {} {verb} {}", action_icon(verb), code(&d.address));
    if d.privileged {
        line.push_str(" 🔐 **privileged**");
    }
    if let Some(reason) = &d.action_reason {
        let _ = write!(line, " ({})", code(reason));
    }
    if !d.replace_paths.is_empty() {
        let paths: Vec<String> = d.replace_paths.iter().map(|p| code(p)).collect();
        let _ = write!(line, ", forced by {}", paths.join(", "));
    }
    if multi {
        let _ = write!(line, " in {}", code(&plan.file));
    }
    line.push('\n');
    line
}

fn approval_items(a: &ApprovalSummary) -> Vec<String> {
    let mut items = Vec::new();
    let state = match a.state {
        ApprovalState::NotChecked => "⏸️ not checked (run with `--github` on a pull request)",
        ApprovalState::Approved => "✅ approved",
        ApprovalState::Pending => "⏳ pending",
        ApprovalState::ChangesRequested => "❌ changes requested",
        ApprovalState::Overridden => "🚨 **OVERRIDDEN** (break-glass)",
        ApprovalState::Failed => "❌ **check failed** (fails closed)",
    };
    let on = a
        .head_sha
        .as_deref()
        .map(|s| format!(" on {}", code(short_sha(s))))
        .unwrap_or_default();
    items.push(format!(
        "- State: {state}: {}/{} required approvals{on}\n",
        a.counted.len(),
        a.required
    ));
    if let Some(o) = &a.override_ {
        items.push(format!(
            "- 🚨 Overridden by {}: {}\n",
            code(&o.by),
            code(&o.reason)
        ));
    }
    if let Some(reason) = &a.reason {
        items.push(format!("- Reason: {}\n", code(reason)));
    }
    items.push(format!(
        "- Destructive fingerprint: {} ({} changes)\n",
        code(&a.fingerprint),
        a.triggers.len()
    ));
    if !a.counted.is_empty() {
        let counted: Vec<String> = a.counted.iter().map(|l| code(l)).collect();
        items.push(format!("- Counted: {}\n", counted.join(", ")));
    }
    if !a.changes_requested.is_empty() {
        let cr: Vec<String> = a.changes_requested.iter().map(|l| code(l)).collect();
        items.push(format!("- Changes requested by: {}\n", cr.join(", ")));
    }
    for e in &a.excluded {
        items.push(format!(
            "- Not counted: {}: {}\n",
            code(&e.login),
            code(&e.reason)
        ));
    }
    items
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn footer(report: &Report, ctx: &MarkdownContext, _suppressed: usize) -> String {
    let mut parts = vec![format!("guard {}", env!("CARGO_PKG_VERSION"))];
    if let Some(sha) = &ctx.sha {
        parts.push(format!("commit {}", code(short_sha(sha))));
    }
    parts.push(format!(
        "{}, {}, {}",
        plural(report.scanned.plans, "plan"),
        plural(report.scanned.modules, "module"),
        plural(report.scanned.resources, "resource")
    ));
    let mut footer = format!("<sub>{}", parts.join(" · "));
    if let Some((id, url)) = &ctx.run {
        if id.chars().all(|c| c.is_ascii_digit()) {
            let _ = write!(footer, " · [run {id}]({url})");
        }
    }
    footer.push_str("</sub>\n");
    footer
}
