//! Reports: one module per output format, all fed the same [`Report`].
//!
//! Sensitive values never reach a report: messages show them as `(sensitive)` and snippets are
//! masked by span ([`crate::redact`]). Each format writes paths, addresses, codes and numbers as
//! they are; free text (messages, notes, check messages, snippet lines) goes through
//! [`Report::text`], the run's [`Tripwire`], which replaces a field holding a known secret as a
//! whole. JSON and SARIF are serialized from typed structs.

pub mod diagnostic;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::error::InputError;
use crate::redact::Tripwire;
use crate::source::SourceMap;
use crate::summary::PlanSummary;
use guard_policies::{Finding, Origin, Severity};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

pub use crate::triage::{ReportedFinding, Suppression};

/// How much was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scanned {
    pub plans: usize,
    pub modules: usize,
    pub resources: usize,
}

/// A resolved place in a file: path, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    #[serde(skip)]
    pub end_line: Option<usize>,
    #[serde(skip)]
    pub end_column: Option<usize>,
}

/// Byte ranges of sensitive values in source files, sorted and merged: a snippet masks them.
#[derive(Debug, Clone, Default)]
pub struct SensitiveSpans {
    by_file: HashMap<&'static str, Vec<(usize, usize)>>,
}

impl SensitiveSpans {
    pub fn new(origins: impl IntoIterator<Item = Origin>) -> Self {
        let mut by_file: HashMap<&'static str, Vec<(usize, usize)>> = HashMap::new();
        for o in origins {
            by_file
                .entry(o.path())
                .or_default()
                .push((o.start as usize, o.end as usize));
        }
        for spans in by_file.values_mut() {
            spans.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
            for &(start, end) in spans.iter() {
                match merged.last_mut() {
                    Some(last) if start <= last.1 => last.1 = last.1.max(end),
                    _ => merged.push((start, end)),
                }
            }
            *spans = merged;
        }
        SensitiveSpans { by_file }
    }
    /// The spans of a file that overlap `start..end`, in order.
    pub fn overlapping(&self, file: &str, start: usize, end: usize) -> &[(usize, usize)] {
        let Some(spans) = self.by_file.get(file) else {
            return &[];
        };
        let first = spans.partition_point(|&(_, e)| e <= start);
        let last = spans.partition_point(|&(s, _)| s < end);
        &spans[first..last.max(first)]
    }
}

/// Everything every format renders. `Debug` shows counts, not contents.
pub struct Report {
    pub findings: Vec<ReportedFinding>,
    pub errors: Vec<InputError>,
    /// Inputs not fully checked, without being errors (exit code unchanged).
    pub input_warnings: Vec<InputError>,
    pub plans: Vec<PlanSummary>,
    pub sources: SourceMap,
    pub fail_on: Severity,
    /// The second line of defence over free text (see [`Report::text`]).
    pub tripwire: Tripwire,
    /// Where sensitive values are written: masked in source snippets.
    pub sensitive_spans: SensitiveSpans,
    pub scanned: Scanned,
    /// Extra notes (for example the approval check's outcome), rendered by every format.
    pub notes: Vec<String>,
    /// Set when a GitHub-side step (approvals, comment) failed: the check fails closed.
    pub github_failed: bool,
    /// The two-person approval check of DEL001 findings (set by `crate::two_person` and `crate::github`): required
    /// count, counted and excluded reviewers, override, destructive fingerprint.
    pub approval: Option<crate::two_person::ApprovalSummary>,
    /// The policies of the run, for formats that describe them (SARIF rules).
    pub registry: guard_policies::Registry,
    /// Set when a baseline was applied (`--baseline`): new, baselined and fixed counts.
    pub baseline: Option<crate::triage::BaselineSummary>,
}

/// The process exit code for a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: nothing blocking.
    Clean = 0,
    /// 1: blocking findings, or a plan that cannot be called safe.
    PolicyFailure = 1,
    /// 2: usage or input error.
    InputError = 2,
}

impl Report {
    pub fn new(
        findings: Vec<ReportedFinding>,
        errors: Vec<InputError>,
        plans: Vec<PlanSummary>,
        sources: SourceMap,
        fail_on: Severity,
        tripwire: Tripwire,
        scanned: Scanned,
    ) -> Self {
        Report {
            findings,
            errors,
            input_warnings: Vec::new(),
            plans,
            sources,
            fail_on,
            tripwire,
            sensitive_spans: SensitiveSpans::default(),
            scanned,
            notes: Vec::new(),
            github_failed: false,
            approval: None,
            registry: guard_policies::Registry::builtin(),
            baseline: None,
        }
    }

    /// A free-text field as every format may print it: as it is, or replaced as a whole when it
    /// contains a known secret.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.tripwire.text(text)
    }

    pub fn blocking_count(&self) -> usize {
        self.findings.iter().filter(|f| f.is_blocking()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.is_active() && !f.is_blocking())
            .count()
    }
    pub fn baselined_count(&self) -> usize {
        self.findings.iter().filter(|f| f.baselined).count()
    }
    pub fn suppressed_count(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.suppression.is_some())
            .count()
    }
    /// Reasons no plan in this run can be called safe (errored, incomplete).
    pub fn unsafe_reasons(&self) -> Vec<String> {
        self.plans
            .iter()
            .flat_map(|p| {
                p.unsafe_reasons
                    .iter()
                    .map(move |r| format!("{}: {r}", p.file))
            })
            .collect()
    }

    /// Input errors win (2), then blocking findings or unsafe plans (1), else 0.
    pub fn outcome(&self) -> Outcome {
        if !self.errors.is_empty() {
            Outcome::InputError
        } else if self.blocking_count() > 0
            || !self.unsafe_reasons().is_empty()
            || self.github_failed
        {
            Outcome::PolicyFailure
        } else {
            Outcome::Clean
        }
    }

    /// Resolves an origin to a path, line and column.
    pub fn place(&self, origin: &Origin) -> Place {
        let start = self.sources.line_col(&origin.file, origin.start as usize);
        // An end inside a sensitive value would tell its length: such a place has no end.
        let end_is_secret = origin.end > origin.start
            && !self
                .sensitive_spans
                .overlapping(&origin.file, origin.end as usize - 1, origin.end as usize)
                .is_empty();
        let end = if end_is_secret {
            None
        } else {
            self.sources.line_col(&origin.file, origin.end as usize)
        };
        Place {
            file: origin.file.to_string(),
            line: start.map(|s| s.0),
            column: start.map(|s| s.1),
            end_line: end.map(|e| e.0),
            end_column: end.map(|e| e.1),
        }
    }

    /// The place of a finding, when it has one.
    pub fn finding_place(&self, f: &Finding) -> Option<Place> {
        f.location.as_ref().map(|o| self.place(o))
    }
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("findings", &self.findings.len())
            .field("errors", &self.errors.len())
            .field("input_warnings", &self.input_warnings.len())
            .field("plans", &self.plans.len())
            .field("fail_on", &self.fail_on)
            .field("tripwire", &self.tripwire)
            .field("scanned", &self.scanned)
            .finish_non_exhaustive()
    }
}

/// The repository root paths are resolved against for GitHub and SARIF: `GITHUB_WORKSPACE`,
/// else the enclosing git work tree of the working directory (the first `.git` going up).
fn repository_root() -> Option<&'static std::path::Path> {
    static ROOT: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let cwd = std::env::current_dir().ok()?;
        if let Some(workspace) = std::env::var_os("GITHUB_WORKSPACE").filter(|w| !w.is_empty()) {
            return Some(normalize(&cwd.join(workspace)));
        }
        cwd.ancestors()
            .find(|dir| dir.join(".git").exists())
            .map(std::path::Path::to_path_buf)
    })
    .as_deref()
}

/// Removes `.` and resolves `..` lexically.
fn normalize(path: &std::path::Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path relative to the repository root, with `/` separators, whatever the working directory
/// (`cd infra && guard .` reports `infra/main.tf`): what GitHub annotations, code scanning and
/// links into the repository need. A path outside the repository (or with no repository) stays
/// as given.
pub fn repo_path(file: &str) -> String {
    let Some(root) = repository_root() else {
        return file.replace('\\', "/");
    };
    let Ok(cwd) = std::env::current_dir() else {
        return file.replace('\\', "/");
    };
    let absolute = normalize(&cwd.join(file));
    match absolute.strip_prefix(root) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        _ => file.replace('\\', "/"),
    }
}

/// The documentation page of a policy (the generated page under `policies/docs/`).
pub fn policy_url(code: &str) -> Option<String> {
    guard_policies::find_policy(code).map(|p| {
        format!(
            "{}/blob/main/policies/docs/{}-{}.md",
            env!("CARGO_PKG_REPOSITORY"),
            p.code,
            p.name
        )
    })
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Markdown,
    Github,
    /// `path:line:col: CODE message`, one per line (pre-commit).
    Compact,
}

/// Options that change how a report looks, not what it says.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub color: bool,
}

/// Renders a report in a format (markdown within the comment budget, see [`render_markdown`]).
pub fn render(report: &Report, format: Format, options: RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, options.color),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Markdown => markdown::render(report),
        Format::Github => github::render(report),
        Format::Compact => human::render_compact(report),
    }
}

/// `--format markdown --max-bytes N`: the markdown in at most `max_bytes` bytes.
pub fn render_markdown(report: &Report, max_bytes: usize) -> String {
    markdown::render_with(
        report,
        &markdown::MarkdownContext {
            budget: max_bytes,
            ..markdown::MarkdownContext::default()
        },
    )
}
