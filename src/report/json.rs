//! The JSON report: a stable, versioned schema (`"version": 1`), documented in the README.

use super::{Report, ReportedFinding};
use serde_json::{json, Value};

/// The schema version; bump on any breaking change.
pub const SCHEMA_VERSION: u32 = 1;

pub fn render(report: &Report) -> String {
    let findings: Vec<Value> = report.findings.iter().map(|f| finding(report, f)).collect();
    let errors: Vec<Value> = report
        .errors
        .iter()
        .map(|e| json!({"file": e.file, "line": e.line, "column": e.column, "message": e.message}))
        .collect();
    let warnings: Vec<Value> = report
        .input_warnings
        .iter()
        .map(|e| json!({"file": e.file, "line": e.line, "column": e.column, "message": e.message}))
        .collect();
    let outcome = match report.outcome() {
        super::Outcome::Clean => "clean",
        super::Outcome::PolicyFailure => "policy-failure",
        super::Outcome::InputError => "input-error",
    };
    let doc = json!({
        "version": SCHEMA_VERSION,
        "guard_version": env!("CARGO_PKG_VERSION"),
        "summary": {
            "outcome": outcome,
            "exit_code": report.outcome() as u8,
            "fail_on": report.fail_on.as_str(),
            "blocking": report.blocking_count(),
            "warnings": report.warning_count(),
            "suppressed": report.suppressed_count(),
            "errors": report.errors.len(),
            "scanned": report.scanned,
            "unsafe_reasons": report.unsafe_reasons(),
        },
        "findings": findings,
        "errors": errors,
        // `warnings` clashed with `summary.warnings` (non-blocking findings): `diagnostics` is
        // the name from now on; `warnings` stays, the same list, until 0.2.
        "diagnostics": warnings.clone(),
        "warnings": warnings,
        "plans": report.plans,
        "approval": report.approval,
        "notes": report.notes,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

fn finding(report: &Report, rf: &ReportedFinding) -> Value {
    let f = &rf.finding;
    let place = report.finding_place(f);
    let related: Vec<Value> = f
        .related
        .iter()
        .map(|o| {
            let p = report.place(o);
            json!({"file": p.file, "line": p.line, "column": p.column})
        })
        .collect();
    json!({
        "code": f.code,
        "name": f.name,
        "severity": f.severity.as_str(),
        "message": f.message,
        "address": f.address,
        "file": place.as_ref().map(|p| p.file.clone()).unwrap_or_else(|| rf.source_name.clone()),
        "line": place.as_ref().and_then(|p| p.line),
        "column": place.as_ref().and_then(|p| p.column),
        "instances": f.instances,
        "roots": rf.roots,
        "related": related,
        "blocking": rf.is_blocking(),
        "suppressed": rf.suppression.is_some(),
        "suppression": rf.suppression,
        "approved_by": rf.approved_by,
    })
}
