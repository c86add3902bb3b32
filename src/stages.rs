//! The two stages between loading and the report, each its own type (see [`crate::pipeline`]):
//!
//! - [`Checked`]: what the engine found in the loaded models, with severity overrides applied,
//!   the source text, the secrets (as a [`Tripwire`]) and where sensitive values are written.
//! - [`Triaged`]: the same after the triage stages (suppressions and their GRD findings,
//!   grouping, the two-person rule, the baseline, the approval check), with their notes.
//!
//! Both still hold the source map and the secrets: a [`crate::report::Report`] is built from a
//! `Triaged` by consuming it, and holds neither.

use crate::error::InputError;
use crate::redact::Tripwire;
use crate::source::SourceMap;
use crate::summary::PlanSummary;
use crate::triage::ReportedFinding;
use guard_policies::{Finding, Origin, Severity};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

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

/// The check stage's output: findings as the engine made them (severity overrides applied, no
/// suppression yet), input errors and warnings, plan summaries, and what the later stages need
/// to resolve and mask places: the source text, the secrets and the sensitive spans.
#[derive(Clone)]
pub struct Checked {
    pub findings: Vec<ReportedFinding>,
    pub errors: Vec<InputError>,
    /// Inputs not fully checked, without being errors (exit code unchanged).
    pub input_warnings: Vec<InputError>,
    pub plans: Vec<PlanSummary>,
    pub sources: SourceMap,
    pub fail_on: Severity,
    /// Every secret of the run, as the second line of defence over free text.
    pub tripwire: Tripwire,
    /// Where sensitive values are written: masked in source snippets.
    pub sensitive_spans: SensitiveSpans,
    pub scanned: Scanned,
    /// The policies of the run, for formats that describe them (SARIF rules).
    pub registry: guard_policies::Registry,
}

impl Checked {
    /// A check stage's value made by hand (for tests and embedders): no input warnings, no
    /// sensitive spans, guard's built-in registry.
    pub fn new(
        findings: Vec<ReportedFinding>,
        errors: Vec<InputError>,
        plans: Vec<PlanSummary>,
        sources: SourceMap,
        fail_on: Severity,
        tripwire: Tripwire,
        scanned: Scanned,
    ) -> Self {
        Checked {
            findings,
            errors,
            input_warnings: Vec::new(),
            plans,
            sources,
            fail_on,
            tripwire,
            sensitive_spans: SensitiveSpans::default(),
            scanned,
            registry: guard_policies::Registry::builtin(),
        }
    }
    /// Triage with nothing applied: no suppression, no grouping, no approval (what
    /// [`crate::run`] reports).
    pub fn untriaged(self) -> Triaged {
        Triaged::from(self)
    }
}

impl std::fmt::Debug for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checked")
            .field("findings", &self.findings.len())
            .field("errors", &self.errors.len())
            .field("plans", &self.plans.len())
            .field("tripwire", &self.tripwire)
            .finish_non_exhaustive()
    }
}

/// The triage stages' value: [`Checked`] plus what suppressions, the baseline and the approval
/// check decided, and their notes. Each triage stage takes it by value and hands it on.
#[derive(Clone)]
pub struct Triaged {
    pub findings: Vec<ReportedFinding>,
    pub errors: Vec<InputError>,
    pub input_warnings: Vec<InputError>,
    pub plans: Vec<PlanSummary>,
    pub sources: SourceMap,
    pub fail_on: Severity,
    pub tripwire: Tripwire,
    pub sensitive_spans: SensitiveSpans,
    pub scanned: Scanned,
    pub registry: guard_policies::Registry,
    /// Extra notes (for example the approval check's outcome), rendered by every format.
    pub notes: Vec<String>,
    /// Set when a GitHub-side step (approvals, comment) failed: the check fails closed.
    pub github_failed: bool,
    /// The two-person approval check of DEL001 findings (set by `crate::two_person` and
    /// `crate::github`): required count, counted and excluded reviewers, override, destructive
    /// fingerprint.
    pub approval: Option<crate::two_person::ApprovalSummary>,
    /// Set when a baseline was applied (`--baseline`): new, baselined and fixed counts.
    pub baseline: Option<crate::triage::BaselineSummary>,
}

impl From<Checked> for Triaged {
    fn from(c: Checked) -> Self {
        Triaged {
            findings: c.findings,
            errors: c.errors,
            input_warnings: c.input_warnings,
            plans: c.plans,
            sources: c.sources,
            fail_on: c.fail_on,
            tripwire: c.tripwire,
            sensitive_spans: c.sensitive_spans,
            scanned: c.scanned,
            registry: c.registry,
            notes: Vec::new(),
            github_failed: false,
            approval: None,
            baseline: None,
        }
    }
}

impl std::fmt::Debug for Triaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Triaged")
            .field("findings", &self.findings.len())
            .field("errors", &self.errors.len())
            .field("plans", &self.plans.len())
            .field("notes", &self.notes.len())
            .field("tripwire", &self.tripwire)
            .finish_non_exhaustive()
    }
}

impl Triaged {
    /// Adds notes (a consuming step, for chaining stages).
    pub fn with_notes(mut self, notes: impl IntoIterator<Item = String>) -> Self {
        self.notes.extend(notes);
        self
    }

    /// A free-text field as every format may print it: as it is, or replaced as a whole when it
    /// contains a known secret.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.tripwire.text(text)
    }

    /// Resolves an origin to a path, line and column.
    pub fn place(&self, origin: &Origin) -> Place {
        resolve(&self.sources, &self.sensitive_spans, origin)
    }

    /// The place of a finding, when it has one.
    pub fn finding_place(&self, f: &Finding) -> Option<Place> {
        f.location.as_ref().map(|o| self.place(o))
    }
}

/// Resolves an origin to a path, line and column. An end inside a sensitive value would tell
/// its length: such a place has no end.
pub fn resolve(sources: &SourceMap, spans: &SensitiveSpans, origin: &Origin) -> Place {
    let start = sources.line_col(&origin.file, origin.start as usize);
    let end_is_secret = origin.end > origin.start
        && !spans
            .overlapping(&origin.file, origin.end as usize - 1, origin.end as usize)
            .is_empty();
    let end = if end_is_secret {
        None
    } else {
        sources.line_col(&origin.file, origin.end as usize)
    };
    Place {
        file: origin.file.to_string(),
        line: start.map(|s| s.0),
        column: start.map(|s| s.1),
        end_line: end.map(|e| e.0),
        end_column: end.map(|e| e.1),
    }
}
