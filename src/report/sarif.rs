//! SARIF 2.1.0 for code scanning: rules from the registry, results with physical locations for
//! source findings and logical locations (the resource address) for plan findings.

use super::{Report, ReportedFinding};
use guard_policies::{Policy, Severity};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub fn render(report: &Report) -> String {
    let rules: Vec<&'static Policy> = guard_policies::registry().to_vec();
    let rule_values: Vec<Value> = rules.iter().map(|p| rule(p)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(report, f, &rules))
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| ("error", e))
        .chain(report.input_warnings.iter().map(|w| ("warning", w)))
        .map(|(level, e)| {
            let mut location =
                json!({"physicalLocation": {"artifactLocation": {"uri": uri(&e.file)}}});
            if let Some(line) = e.line {
                location["physicalLocation"]["region"] =
                    json!({"startLine": line, "startColumn": e.column.unwrap_or(1)});
            }
            json!({"level": level, "message": {"text": e.message}, "locations": [location]})
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "guard",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rule_values,
            }},
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub code scanning reads `security-severity` (0.0 to 10.0) to rank alerts.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn rule(p: &Policy) -> Value {
    json!({
        "id": p.code,
        "name": p.name,
        "shortDescription": {"text": p.summary()},
        "fullDescription": {"text": p.summary()},
        "help": {"text": p.doc(), "markdown": p.doc()},
        "defaultConfiguration": {"level": level(p.severity)},
        "properties": {
            "tags": ["security", "terraform"],
            "security-severity": security_severity(p.severity),
        },
    })
}

/// Paths in SARIF are relative URIs with `/` separators.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let cwd = std::env::current_dir()
        .ok()
        .map(|d| d.to_string_lossy().replace('\\', "/"));
    let relative = match cwd {
        Some(cwd) => path
            .strip_prefix(&format!("{cwd}/"))
            .map(str::to_string)
            .unwrap_or(path),
        None => path,
    };
    relative
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '%' => "%25".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn result(report: &Report, rf: &ReportedFinding, rules: &[&'static Policy]) -> Value {
    let f = &rf.finding;
    let mut location = json!({});
    match report.finding_place(f) {
        Some(place) => {
            let mut region = json!({});
            if let Some(line) = place.line {
                region["startLine"] = json!(line);
                region["startColumn"] = json!(place.column.unwrap_or(1));
                if let (Some(el), Some(ec)) = (place.end_line, place.end_column) {
                    region["endLine"] = json!(el);
                    region["endColumn"] = json!(ec);
                }
            }
            location["physicalLocation"] =
                json!({"artifactLocation": {"uri": uri(&place.file)}, "region": region});
        }
        None => {
            location["physicalLocation"] =
                json!({"artifactLocation": {"uri": uri(&rf.source_name)}});
        }
    }
    if let Some(address) = &f.address {
        location["logicalLocations"] = json!([{"fullyQualifiedName": address, "kind": "resource"}]);
    }
    let fingerprint = {
        let mut h = Sha256::new();
        for part in [
            f.code,
            f.config_address
                .as_deref()
                .or(f.address.as_deref())
                .unwrap_or(""),
            &rf.source_name,
            &f.message,
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let digest = h.finalize();
        digest
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let mut result = json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {"guardFindingHash/v1": fingerprint},
        "properties": {"severity": f.severity.as_str(), "name": f.name},
    });
    if let Some(index) = rules.iter().position(|p| p.code == f.code) {
        result["ruleIndex"] = json!(index);
    }
    if !f.instances.is_empty() {
        result["properties"]["instances"] = json!(f.instances);
    }
    if let Some(s) = &rf.suppression {
        let kind = if s.kind == "inline" {
            "inSource"
        } else {
            "external"
        };
        result["suppressions"] = json!([{"kind": kind, "justification": s.reason}]);
    }
    result
}
