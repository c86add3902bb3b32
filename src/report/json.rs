//! The JSON report: a stable, versioned schema (`"version": 1`), documented in the README.
//!
//! Serialized from the typed structs below straight to text, keys sorted at every level: the
//! structs here declare their fields in sorted order, and the nested summaries (shared structs in
//! their own order) pass through [`Sorted`]. Only the
//! free-text fields (`message`, notes, check messages, suppression reasons) were passed through
//! the tripwire when the [`Report`] was built; here everything is written as it is. Findings are
//! serialized one by one straight to the writer: an 80,000-finding report is never one string.

use super::{Report, ReportFinding, Scanned, Suppression};
use crate::summary::PlanSummary;
use crate::triage::BaselineSummary;
use crate::two_person::ApprovalSummary;
use serde::ser::SerializeSeq;
use serde::Serialize;
use std::io::{self, Write};

/// The schema version; bump on any breaking change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'r> {
    approval: Option<Sorted<&'r ApprovalSummary>>,
    /// Set when a baseline was applied: new, baselined and fixed entries.
    baseline: Option<Sorted<&'r BaselineSummary>>,
    /// `warnings` clashed with `summary.warnings` (non-blocking findings): `diagnostics` is the
    /// name from now on; `warnings` stays, the same list, until 0.2.
    diagnostics: Vec<JsonInputError<'r>>,
    errors: Vec<JsonInputError<'r>>,
    findings: Findings<'r>,
    guard_version: &'static str,
    notes: &'r [String],
    plans: Vec<Sorted<&'r PlanSummary>>,
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
    message: &'r str,
}

/// The findings, each made into its JSON shape only as it is written.
struct Findings<'r>(&'r [ReportFinding]);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for f in self.0 {
            seq.serialize_element(&finding(f))?;
        }
        seq.end()
    }
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
    message: &'r str,
    name: &'static str,
    related: Vec<JsonPlace>,
    /// For a finding merged across root modules: every root it occurs in.
    roots: &'r [String],
    severity: &'static str,
    suppressed: bool,
    suppression: Option<Sorted<&'r Suppression>>,
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

/// Writes the JSON report to `out`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    fn input_error(e: &crate::error::InputError) -> JsonInputError<'_> {
        JsonInputError {
            column: e.column,
            file: &e.file,
            line: e.line,
            message: &e.message,
        }
    }
    let outcome = match report.outcome() {
        super::Outcome::Clean => "clean",
        super::Outcome::PolicyFailure => "policy-failure",
        super::Outcome::InputError => "input-error",
    };
    let doc = JsonReport {
        approval: report.approval.as_ref().map(Sorted),
        baseline: report.baseline.as_ref().map(Sorted),
        diagnostics: report.input_warnings.iter().map(input_error).collect(),
        errors: report.errors.iter().map(input_error).collect(),
        findings: Findings(&report.findings),
        guard_version: env!("CARGO_PKG_VERSION"),
        notes: &report.notes,
        plans: report.plans.iter().map(Sorted).collect(),
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
        warnings: report.input_warnings.iter().map(input_error).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

fn finding(rf: &ReportFinding) -> JsonFinding<'_> {
    let f = &rf.finding;
    let place = rf.place.as_ref();
    JsonFinding {
        address: f.address.as_deref(),
        approved_by: rf.approved_by.as_deref(),
        baselined: rf.baselined,
        blocking: rf.is_blocking(),
        code: f.code,
        column: place.and_then(|p| p.column),
        file: place
            .map(|p| p.file.clone())
            .unwrap_or_else(|| rf.source_name.clone()),
        instances: &f.instances,
        roots: &rf.roots,
        line: place.and_then(|p| p.line),
        message: &f.message,
        name: f.name,
        related: rf
            .related
            .iter()
            .map(|p| JsonPlace {
                column: p.column,
                file: p.file.clone(),
                line: p.line,
            })
            .collect(),
        severity: f.severity.as_str(),
        suppressed: rf.suppression.is_some(),
        suppression: rf.suppression.as_ref().map(Sorted),
        url: super::policy_url(f.code),
    }
}
