//! The JSON report: a stable, versioned schema (`"version": 1`), documented in the README.
//!
//! Serialized from the typed structs below straight to text, keys sorted at every level: the
//! structs here declare their fields in sorted order, and the nested summaries (shared structs in
//! their own order) pass through [`Sorted`]. Only the
//! free-text fields (`message`, notes, check messages, suppression reasons) pass through
//! [`Report::text`]; paths, addresses, codes, booleans and numbers are written as they are.

use super::{Report, ReportedFinding, Scanned, Suppression};
use crate::summary::PlanSummary;
use crate::triage::BaselineSummary;
use crate::two_person::ApprovalSummary;
use serde::Serialize;
use std::borrow::Cow;

/// The schema version; bump on any breaking change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'r> {
    approval: Option<Sorted<Cow<'r, ApprovalSummary>>>,
    /// Set when a baseline was applied: new, baselined and fixed entries.
    baseline: Option<Sorted<&'r BaselineSummary>>,
    /// `warnings` clashed with `summary.warnings` (non-blocking findings): `diagnostics` is the
    /// name from now on; `warnings` stays, the same list, until 0.2.
    diagnostics: Vec<JsonInputError<'r>>,
    errors: Vec<JsonInputError<'r>>,
    findings: Vec<JsonFinding<'r>>,
    guard_version: &'static str,
    notes: Vec<Cow<'r, str>>,
    plans: Vec<Sorted<Cow<'r, PlanSummary>>>,
    summary: JsonSummary,
    version: u32,
    warnings: Vec<JsonInputError<'r>>,
}

#[derive(Serialize)]
struct JsonSummary {
    baselined: usize,
    blocking: usize,
    errors: usize,
    exit_code: u8,
    fail_on: &'static str,
    outcome: &'static str,
    scanned: Sorted<Scanned>,
    suppressed: usize,
    unsafe_reasons: Vec<String>,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonInputError<'r> {
    column: Option<usize>,
    file: &'r str,
    line: Option<usize>,
    message: Cow<'r, str>,
}

#[derive(Serialize)]
struct JsonFinding<'r> {
    address: Option<&'r str>,
    approved_by: Option<&'r str>,
    /// Matched by the baseline: neither blocks nor warns.
    baselined: bool,
    blocking: bool,
    code: &'static str,
    column: Option<usize>,
    file: String,
    instances: &'r [String],
    line: Option<usize>,
    message: Cow<'r, str>,
    name: &'static str,
    related: Vec<JsonPlace>,
    /// For a finding merged across root modules: every root it occurs in.
    roots: &'r [String],
    severity: &'static str,
    suppressed: bool,
    suppression: Option<Sorted<Suppression>>,
    /// The policy's documentation page.
    url: Option<String>,
}

/// A shared struct whose fields are not declared in sorted order: serialized through a
/// `serde_json::Value` (whose objects are sorted maps). Only small summaries take this way.
struct Sorted<T>(T);

impl<T: Serialize> Serialize for Sorted<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::to_value(&self.0)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

#[derive(Serialize)]
struct JsonPlace {
    column: Option<usize>,
    file: String,
    line: Option<usize>,
}

pub fn render(report: &Report) -> String {
    fn input_error<'r>(report: &'r Report, e: &'r crate::error::InputError) -> JsonInputError<'r> {
        JsonInputError {
            column: e.column,
            file: &e.file,
            line: e.line,
            message: report.text(&e.message),
        }
    }
    let outcome = match report.outcome() {
        super::Outcome::Clean => "clean",
        super::Outcome::PolicyFailure => "policy-failure",
        super::Outcome::InputError => "input-error",
    };
    let doc = JsonReport {
        approval: report
            .approval
            .as_ref()
            .map(|a| Sorted(approval(report, a))),
        baseline: report.baseline.as_ref().map(Sorted),
        diagnostics: report
            .input_warnings
            .iter()
            .map(|e| input_error(report, e))
            .collect(),
        errors: report
            .errors
            .iter()
            .map(|e| input_error(report, e))
            .collect(),
        findings: report.findings.iter().map(|f| finding(report, f)).collect(),
        guard_version: env!("CARGO_PKG_VERSION"),
        notes: report.notes.iter().map(|n| report.text(n)).collect(),
        plans: report
            .plans
            .iter()
            .map(|p| Sorted(plan(report, p)))
            .collect(),
        summary: JsonSummary {
            baselined: report.baselined_count(),
            blocking: report.blocking_count(),
            errors: report.errors.len(),
            exit_code: report.outcome() as u8,
            fail_on: report.fail_on.as_str(),
            outcome,
            scanned: Sorted(report.scanned.clone()),
            suppressed: report.suppressed_count(),
            unsafe_reasons: report.unsafe_reasons(),
            warnings: report.warning_count(),
        },
        version: SCHEMA_VERSION,
        warnings: report
            .input_warnings
            .iter()
            .map(|e| input_error(report, e))
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

/// A plan summary with its free text (Terraform's check messages) through the tripwire.
pub(crate) fn plan<'r>(report: &Report, p: &'r PlanSummary) -> Cow<'r, PlanSummary> {
    if p.failed_checks.iter().all(|c| !report.tripwire.fires(c)) {
        return Cow::Borrowed(p);
    }
    let mut p = p.clone();
    for check in &mut p.failed_checks {
        *check = report.text(check).into_owned();
    }
    Cow::Owned(p)
}

/// The approval summary with its free text (reasons) through the tripwire.
pub(crate) fn approval<'r>(report: &Report, a: &'r ApprovalSummary) -> Cow<'r, ApprovalSummary> {
    let reasons = a
        .reason
        .iter()
        .chain(a.override_.iter().map(|o| &o.reason))
        .chain(a.excluded.iter().map(|e| &e.reason));
    if reasons.into_iter().all(|r| !report.tripwire.fires(r)) {
        return Cow::Borrowed(a);
    }
    let mut a = a.clone();
    if let Some(r) = &mut a.reason {
        *r = report.text(r).into_owned();
    }
    if let Some(o) = &mut a.override_ {
        o.reason = report.text(&o.reason).into_owned();
    }
    for e in &mut a.excluded {
        e.reason = report.text(&e.reason).into_owned();
    }
    Cow::Owned(a)
}

/// A suppression with its reason (a comment's text) through the tripwire.
pub(crate) fn suppression(report: &Report, s: &Suppression) -> Suppression {
    Suppression {
        reason: report.text(&s.reason).into_owned(),
        ..s.clone()
    }
}

fn finding<'r>(report: &'r Report, rf: &'r ReportedFinding) -> JsonFinding<'r> {
    let f = &rf.finding;
    let place = report.finding_place(f);
    JsonFinding {
        address: f.address.as_deref(),
        approved_by: rf.approved_by.as_deref(),
        baselined: rf.baselined,
        blocking: rf.is_blocking(),
        code: f.code,
        column: place.as_ref().and_then(|p| p.column),
        file: place
            .as_ref()
            .map(|p| p.file.clone())
            .unwrap_or_else(|| rf.source_name.clone()),
        instances: &f.instances,
        roots: &rf.roots,
        line: place.as_ref().and_then(|p| p.line),
        message: report.text(&f.message),
        name: f.name,
        related: f
            .related
            .iter()
            .map(|o| {
                let p = report.place(o);
                JsonPlace {
                    column: p.column,
                    file: p.file,
                    line: p.line,
                }
            })
            .collect(),
        severity: f.severity.as_str(),
        suppressed: rf.suppression.is_some(),
        suppression: rf
            .suppression
            .as_ref()
            .map(|s| Sorted(suppression(report, s))),
        url: super::policy_url(f.code),
    }
}
