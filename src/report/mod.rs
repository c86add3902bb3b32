//! The report stage and its renderers: one module per output format, each a pure function of
//! the same render-ready [`Report`] writing to a `std::io::Write`.
//!
//! [`Report::build`] consumes the triage stages' value ([`crate::stages::Triaged`]) and does
//! everything that needs the source text or the secrets, once: places resolved to file, line and
//! column, snippet lines cut and masked by the sensitive spans ([`crate::redact`]), and every
//! free-text field (messages, notes, check messages, suppression and review reasons, snippet
//! lines, input-error lines) passed through the run's [`Tripwire`], which replaces a field
//! holding a known secret as a whole. The report keeps no source map and no secret; the formats
//! write what it holds as it is. JSON and SARIF are serialized from typed structs, finding by
//! finding, straight to the writer.

pub mod diagnostic;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::error::InputError;
use crate::redact::Tripwire;
use crate::source::SourceMap;
use crate::stages::{SensitiveSpans, Triaged};
use crate::summary::PlanSummary;
use guard_policies::Severity;
use rayon::prelude::*;

pub use crate::stages::{Place, Scanned};
pub use crate::triage::{ReportedFinding, Suppression};

/// A finding as every format renders it: the triaged finding (its message and suppression reason
/// already through the tripwire), its places resolved and its source line already cut and masked.
#[derive(Debug, Clone)]
pub struct ReportFinding {
    pub triaged: ReportedFinding,
    /// Where it is, when it has a place in a file.
    pub place: Option<Place>,
    /// The other places it names (`= also:`).
    pub related: Vec<Place>,
    /// The source line under `place`, masked; none for secrets findings (their line is the
    /// secret) and for places with no source text.
    pub snippet: Option<Snippet>,
}

impl std::ops::Deref for ReportFinding {
    type Target = ReportedFinding;
    fn deref(&self) -> &ReportedFinding {
        &self.triaged
    }
}

/// Longest source line shown, in characters.
const MAX_SNIPPET: usize = 160;

/// A source line as printed under a finding: sensitive values replaced by `(sensitive)`,
/// clipped, and replaced as a whole when the tripwire fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based line number of the line in its file.
    pub line: usize,
    pub text: String,
    /// Characters in `text`.
    pub width: usize,
    /// `(original column, printed column)` where each masked value starts and ends.
    shifts: Vec<(usize, usize, usize)>,
    /// The tripwire replaced the line: no marker.
    pub redacted: bool,
}

impl Snippet {
    /// The printed column of an original 1-based column (a column inside a masked value maps
    /// to the mask's start).
    pub fn column(&self, original: usize) -> usize {
        let mut delta: isize = 0;
        for &(start, end, printed_width) in &self.shifts {
            if original <= start {
                break;
            }
            if original < end {
                return (start as isize + delta).max(1) as usize;
            }
            delta += printed_width as isize - (end - start) as isize;
        }
        (original as isize + delta).max(1) as usize
    }

    /// Line `line` of a source file with every sensitive value on it masked, clipped, then
    /// through the tripwire.
    fn cut(
        sources: &SourceMap,
        spans: &SensitiveSpans,
        tripwire: &Tripwire,
        file: &str,
        line: usize,
    ) -> Option<Snippet> {
        let source = sources.get(file)?;
        let text: &str = &source.text;
        let (line_start, line_end) = source.line_range(line)?;
        text.get(line_start..line_end)?;
        let mut printed = String::with_capacity(line_end - line_start);
        let mut shifts = Vec::new();
        let mut at = line_start;
        for &(start, end) in spans.overlapping(file, line_start, line_end) {
            let (start, end) = (start.max(line_start), end.min(line_end));
            if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            printed.push_str(&text[at..start]);
            let col = |offset: usize| text[line_start..offset].chars().count() + 1;
            shifts.push((col(start), col(end), guard_policies::value::SENSITIVE.len()));
            printed.push_str(guard_policies::value::SENSITIVE);
            at = end;
        }
        printed.push_str(&text[at..line_end]);
        // Checked before clipping: a clipped secret would no longer match.
        let redacted = tripwire.fires(&printed);
        let text = if redacted {
            crate::redact::REDACTED_FIELD.to_string()
        } else {
            printed.chars().take(MAX_SNIPPET).collect()
        };
        Some(Snippet {
            line,
            width: text.chars().count(),
            text,
            shifts,
            redacted,
        })
    }
}

/// The render-ready report every format is a pure function of. Built once from the triage
/// stages' value ([`Report::build`]): every place resolved, every snippet cut and masked, every
/// free-text field through the tripwire. It holds no source text and no secrets; `Debug` shows
/// counts, not contents.
pub struct Report {
    pub findings: Vec<ReportFinding>,
    pub errors: Vec<InputError>,
    /// Inputs not fully checked, without being errors (exit code unchanged).
    pub input_warnings: Vec<InputError>,
    pub plans: Vec<PlanSummary>,
    pub fail_on: Severity,
    pub scanned: Scanned,
    /// Extra notes (for example the approval check's outcome), rendered by every format.
    pub notes: Vec<String>,
    /// Set when a GitHub-side step (approvals, comment) failed: the check fails closed.
    pub github_failed: bool,
    /// The two-person approval check of DEL001 findings: required count, counted and excluded
    /// reviewers, override, destructive fingerprint.
    pub approval: Option<crate::two_person::ApprovalSummary>,
    /// The policies of the run, for formats that describe them (SARIF rules).
    pub registry: guard_policies::Registry,
    /// Set when a baseline was applied (`--baseline`): new, baselined and fixed counts.
    pub baseline: Option<crate::triage::BaselineSummary>,
    /// The source files the run read, sorted (`--show-files`).
    pub source_files: Vec<String>,
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
    /// The report stage: resolves every place, cuts and masks every snippet and passes every
    /// free-text field through the tripwire, then lets go of the source text and the secrets.
    pub fn build(triaged: Triaged) -> Report {
        let Triaged {
            findings,
            errors,
            input_warnings,
            plans,
            sources,
            fail_on,
            tripwire,
            sensitive_spans,
            scanned,
            registry,
            notes,
            github_failed,
            approval,
            baseline,
        } = triaged;
        let findings = findings
            .into_par_iter()
            .map(|rf| resolve_finding(rf, &sources, &sensitive_spans, &tripwire))
            .collect();
        let scrub = |text: &mut String| {
            if tripwire.fires(text) {
                *text = crate::redact::REDACTED_FIELD.to_string();
            }
        };
        let scrub_error = |mut e: InputError| {
            scrub(&mut e.message);
            // A line holding a known secret is not drawn at all.
            if e.source.as_ref().is_some_and(|s| tripwire.fires(&s.text)) {
                e.source = None;
            }
            e
        };
        let errors = errors.into_iter().map(scrub_error).collect();
        let input_warnings = input_warnings.into_iter().map(scrub_error).collect();
        let plans = plans
            .into_iter()
            .map(|mut p| {
                p.failed_checks.iter_mut().for_each(scrub);
                for change in &mut p.changes {
                    for (_, before, after) in &mut change.attributes {
                        scrub(before);
                        scrub(after);
                    }
                }
                p
            })
            .collect();
        let mut notes = notes;
        notes.iter_mut().for_each(scrub);
        let approval = approval.map(|mut a| {
            if let Some(r) = &mut a.reason {
                scrub(r);
            }
            if let Some(o) = &mut a.override_ {
                scrub(&mut o.reason);
            }
            for e in &mut a.excluded {
                scrub(&mut e.reason);
            }
            a
        });
        let mut source_files: Vec<String> = sources.iter().map(|(p, _)| p.to_string()).collect();
        source_files.sort_unstable();
        Report {
            findings,
            errors,
            input_warnings,
            plans,
            fail_on,
            scanned,
            notes,
            github_failed,
            approval,
            registry,
            baseline,
            source_files,
        }
    }

    /// The report with notes added after it was built (what a sink could not do), each
    /// through the run's tripwire like every note before.
    pub fn with_notes(mut self, notes: Vec<String>, tripwire: &Tripwire) -> Report {
        self.notes
            .extend(notes.into_iter().map(|n| tripwire.text(&n).into_owned()));
        self
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
        unsafe_reasons(&self.plans)
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
}

/// Reasons no plan among `plans` can be called safe (errored, incomplete).
pub fn unsafe_reasons(plans: &[PlanSummary]) -> Vec<String> {
    plans
        .iter()
        .flat_map(|p| {
            p.unsafe_reasons
                .iter()
                .map(move |r| format!("{}: {r}", p.file))
        })
        .collect()
}

/// A triaged finding made render-ready (see [`ReportFinding`]).
fn resolve_finding(
    mut rf: ReportedFinding,
    sources: &SourceMap,
    spans: &SensitiveSpans,
    tripwire: &Tripwire,
) -> ReportFinding {
    if tripwire.fires(&rf.finding.message) {
        rf.finding.message = crate::redact::REDACTED_FIELD.to_string();
    }
    if let Some(s) = &mut rf.suppression {
        if tripwire.fires(&s.reason) {
            s.reason = crate::redact::REDACTED_FIELD.to_string();
        }
    }
    let place = rf
        .finding
        .location
        .as_ref()
        .map(|o| crate::stages::resolve(sources, spans, o));
    let related = rf
        .finding
        .related
        .iter()
        .map(|o| crate::stages::resolve(sources, spans, o))
        .collect();
    // A secrets finding points at the secret itself: its line is never shown.
    let snippet = place
        .as_ref()
        .filter(|_| !rf.finding.code.starts_with("SEC"))
        .and_then(|p| Snippet::cut(sources, spans, tripwire, &p.file, p.line.unwrap_or(1)));
    ReportFinding {
        triaged: rf,
        place,
        related,
        snippet,
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
            .field("notes", &self.notes.len())
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

/// Writes a report in a format to `out` (markdown within the comment budget, see
/// [`render_markdown`]). Every format is a pure function of the report.
pub fn write(
    report: &Report,
    format: Format,
    options: RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::write_with(
            report,
            human::HumanOptions {
                color: options.color,
                ..human::HumanOptions::default()
            },
            out,
        ),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        // Made whole: the comment budget is measured on the finished text.
        Format::Markdown => out.write_all(markdown::render(report).as_bytes()),
        Format::Github => github::write(report, out),
        Format::Compact => human::write_compact(report, out),
    }
}

/// [`write`](fn@write) to a string.
pub fn render(report: &Report, format: Format, options: RenderOptions) -> String {
    let mut bytes = Vec::new();
    // Writing to a `Vec` cannot fail.
    let _ = write(report, format, options, &mut bytes);
    human::into_string(bytes)
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
