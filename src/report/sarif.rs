//! SARIF 2.1.0 for code scanning: rules from the registry, results with physical locations for
//! source findings and logical locations (the resource address) for plan findings.

use super::{Report, ReportFinding};
use guard_policies::{Policy, Severity};
use serde::ser::SerializeSeq;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{self, Write};

// The SARIF document, typed (keys in alphabetical order, as before). The free-text
// `message.text` fields went through the tripwire when the report was built; the rules are
// guard's own text. Results are made one by one as they are written.

#[derive(Serialize)]
struct Log<'r> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'r>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'r> {
    column_kind: &'static str,
    invocations: [Invocation<'r>; 1],
    results: Results<'r>,
    tool: Tool,
}

/// The results, each made into its SARIF shape only as it is written.
struct Results<'r> {
    report: &'r Report,
    rules: &'r [&'static Policy],
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.report.findings.len()))?;
        for f in &self.report.findings {
            seq.serialize_element(&result(self.report, f, self.rules))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'r> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'r>>,
}

#[derive(Serialize)]
struct Notification<'r> {
    level: &'static str,
    locations: [Location<'r>; 1],
    message: Message<'r>,
}

#[derive(Serialize)]
struct Message<'r> {
    text: &'r str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<Rule>,
    semantic_version: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    default_configuration: DefaultConfiguration,
    full_description: StaticText,
    help: Help,
    help_uri: Option<String>,
    id: &'static str,
    name: &'static str,
    properties: RuleProperties,
    short_description: StaticText,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct StaticText {
    text: String,
}

#[derive(Serialize)]
struct Help {
    markdown: String,
    text: String,
}

#[derive(Serialize)]
struct RuleProperties {
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    tags: [&'static str; 2],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'r> {
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[LogicalLocation<'r>; 1]>,
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'r> {
    fully_qualified_name: &'r str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_line: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'r> {
    /// With a baseline: `new` or `unchanged` (SARIF's baseline states).
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    level: &'static str,
    locations: [Location<'r>; 1],
    message: Message<'r>,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'r>,
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[SarifSuppression; 1]>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "guardFindingHash/v1")]
    guard_finding_hash_v1: String,
}

#[derive(Serialize)]
struct ResultProperties<'r> {
    #[serde(skip_serializing_if = "Option::is_none")]
    instances: Option<&'r [String]>,
    name: &'static str,
    severity: &'static str,
}

#[derive(Serialize)]
struct SarifSuppression {
    justification: String,
    kind: &'static str,
}

/// Writes the SARIF log to `out`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<&'static Policy> = report.registry.policies().to_vec();
    let notifications = report
        .errors
        .iter()
        .map(|e| ("error", e))
        .chain(report.input_warnings.iter().map(|w| ("warning", w)))
        .map(|(level, e)| Notification {
            level,
            locations: [Location {
                logical_locations: None,
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: uri(&e.file) },
                    region: e.line.map(|line| Region {
                        start_line: Some(line),
                        start_column: Some(e.column.unwrap_or(1)),
                        ..Region::default()
                    }),
                },
            }],
            message: Message { text: &e.message },
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            invocations: [Invocation {
                execution_successful: report.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            results: Results {
                report,
                rules: &rules,
            },
            tool: Tool {
                driver: Driver {
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    name: "guard",
                    rules: rules.iter().map(|p| rule(p)).collect(),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    out.write_all(b"\n")
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

fn rule(p: &Policy) -> Rule {
    Rule {
        default_configuration: DefaultConfiguration {
            level: level(p.severity),
        },
        full_description: StaticText { text: p.summary() },
        help: Help {
            markdown: p.doc(),
            text: p.doc(),
        },
        help_uri: super::policy_url(p.code),
        id: p.code,
        name: p.name,
        properties: RuleProperties {
            security_severity: security_severity(p.severity),
            tags: ["security", "terraform"],
        },
        short_description: StaticText { text: p.summary() },
    }
}

/// Paths in SARIF are URIs relative to the repository root, with `/` separators.
fn uri(path: &str) -> String {
    let relative = super::repo_path(path);
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

fn result<'r>(
    report: &'r Report,
    rf: &'r ReportFinding,
    rules: &[&'static Policy],
) -> SarifResult<'r> {
    let f = &rf.finding;
    let physical_location = match &rf.place {
        Some(place) => PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(&place.file),
            },
            region: Some(match place.line {
                Some(line) => {
                    let end = match (place.end_line, place.end_column) {
                        (Some(el), Some(ec)) => (Some(el), Some(ec)),
                        _ => (None, None),
                    };
                    Region {
                        start_line: Some(line),
                        start_column: Some(place.column.unwrap_or(1)),
                        end_line: end.0,
                        end_column: end.1,
                    }
                }
                None => Region::default(),
            }),
        },
        None => PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(&rf.source_name),
            },
            region: None,
        },
    };
    let message: &str = &f.message;
    // The message is hashed as printed: never a hash of text the tripwire hid.
    let fingerprint = {
        let mut h = Sha256::new();
        for part in [
            f.code,
            f.config_address
                .as_deref()
                .or(f.address.as_deref())
                .unwrap_or(""),
            &rf.source_name,
            message,
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
    SarifResult {
        baseline_state: report.baseline.as_ref().map(|_| {
            if rf.baselined {
                "unchanged"
            } else {
                "new"
            }
        }),
        level: level(f.severity),
        locations: [Location {
            logical_locations: f.address.as_deref().map(|address| {
                [LogicalLocation {
                    fully_qualified_name: address,
                    kind: "resource",
                }]
            }),
            physical_location,
        }],
        message: Message { text: message },
        partial_fingerprints: Fingerprints {
            guard_finding_hash_v1: fingerprint,
        },
        properties: ResultProperties {
            instances: (!f.instances.is_empty()).then_some(f.instances.as_slice()),
            name: f.name,
            severity: f.severity.as_str(),
        },
        rule_id: f.code,
        rule_index: rules.iter().position(|p| p.code == f.code),
        suppressions: rf.suppression.as_ref().map(|s| {
            [SarifSuppression {
                justification: s.reason.clone(),
                kind: if s.kind == "inline" || s.kind == "peer" {
                    "inSource"
                } else {
                    "external"
                },
            }]
        }),
    }
}
