//! GitHub Actions workflow commands: annotations on the pull request's diff.
//!
//! GitHub shows at most 10 error and 10 warning annotations per step, so guard emits the 10 most
//! severe blocking findings as `::error`, the 10 most severe warnings as `::warning`, and one
//! `::notice` with the count of the rest. Escaping follows `@actions/core`: data escapes `%`, CR
//! and LF; properties also escape `:` and `,`. Anything echoed besides the commands (the list of
//! every finding) sits between `::stop-commands::<token>` and `::<token>::`, so a resource name
//! that looks like a workflow command is printed, never run.

use super::{Report, ReportFinding};
use std::fmt::Write as _;

/// Annotations GitHub shows per level and step.
pub const MAX_PER_LEVEL: usize = 10;

/// `%`, CR and LF escaped (command data).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Data escaping plus `:` and `,` (command properties).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation as data, shared with the check run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// `error`, `warning` or `notice`.
    pub level: &'static str,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub title: String,
    pub message: String,
}

impl Annotation {
    /// The workflow command.
    pub fn command(&self) -> String {
        let mut props = Vec::new();
        if let Some(f) = &self.file {
            props.push(format!("file={}", escape_property(f)));
        }
        if let Some(l) = self.line {
            props.push(format!("line={l}"));
            if let Some(c) = self.column {
                props.push(format!("col={c}"));
            }
            if let Some(e) = self.end_line {
                props.push(format!("endLine={e}"));
                if let (Some(_), Some(k)) = (self.column, self.end_column) {
                    props.push(format!("endColumn={k}"));
                }
            }
        }
        props.push(format!("title={}", escape_property(&self.title)));
        format!(
            "::{} {}::{}",
            self.level,
            props.join(","),
            escape_data(&self.message)
        )
    }
}

/// Every annotation of a report, most severe first: blocking findings and input errors as
/// `error`, other active findings as `warning`.
pub fn annotations(report: &Report) -> Vec<Annotation> {
    let mut out = Vec::new();
    for e in &report.errors {
        out.push(Annotation {
            level: "error",
            file: Some(super::repo_path(&e.file)),
            line: e.line,
            column: e.column,
            end_line: None,
            end_column: None,
            title: "guard: input error".to_string(),
            message: e.message.clone(),
        });
    }
    let mut active: Vec<&ReportFinding> =
        report.findings.iter().filter(|f| f.is_active()).collect();
    active.sort_by(|a, b| {
        b.is_blocking()
            .cmp(&a.is_blocking())
            .then_with(|| b.finding.severity.cmp(&a.finding.severity))
            .then_with(|| a.finding.code.cmp(b.finding.code))
            .then_with(|| a.finding.address.cmp(&b.finding.address))
    });
    for f in active {
        let place = &f.place;
        let text = &f.finding.message;
        let message = match &f.finding.address {
            Some(a) => format!("{a}: {text}"),
            None => text.clone(),
        };
        out.push(Annotation {
            level: if f.is_blocking() { "error" } else { "warning" },
            // GitHub places an annotation by its path from the repository root.
            file: Some(super::repo_path(
                place
                    .as_ref()
                    .map(|p| p.file.as_str())
                    .unwrap_or(&f.source_name),
            )),
            line: place.as_ref().and_then(|p| p.line),
            column: place.as_ref().and_then(|p| p.column),
            end_line: place.as_ref().and_then(|p| p.end_line),
            end_column: place.as_ref().and_then(|p| p.end_column),
            title: format!(
                "{} {} ({})",
                f.finding.code,
                f.finding.name,
                f.finding.severity.as_str()
            ),
            message,
        });
    }
    out
}

/// A token for `::stop-commands::` that the echoed text cannot contain: the hash of that text
/// (a text that contained its own hash would be a SHA-256 fixed point). Derived, not random, so
/// the same input gives the same output.
fn stop_token(echoed: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(echoed.as_bytes());
    format!(
        "guard-{}",
        digest
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// Writes the workflow commands for a report to `out`. They are made as one string first: the
/// stop-commands token is a hash of everything echoed, known only at the end.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(render(report).as_bytes())
}

/// The workflow commands for a report.
pub fn render(report: &Report) -> String {
    let all = annotations(report);
    let mut out = String::new();
    let (mut errors, mut warnings) = (0, 0);
    let mut rest = 0;
    for a in &all {
        let shown = match a.level {
            "error" => &mut errors,
            _ => &mut warnings,
        };
        if *shown < MAX_PER_LEVEL {
            *shown += 1;
            out.push_str(&a.command());
            out.push('\n');
        } else {
            rest += 1;
        }
    }
    if rest > 0 {
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            escape_property("guard"),
            escape_data(&format!(
                "{rest} more findings are not annotated here (GitHub shows 10 errors and 10 \
                 warnings per step): see the check run, the job summary or the log"
            ))
        );
    }
    let _ = writeln!(
        out,
        "::notice title=guard::{}",
        escape_data(&format!(
            "{} blocking, {} warnings, {} suppressed",
            report.blocking_count(),
            report.warning_count(),
            report.suppressed_count()
        ))
    );
    if !all.is_empty() {
        // The full list, echoed as plain text: commands are off while it prints.
        let mut echoed = String::new();
        for a in &all {
            let place = match (&a.file, a.line) {
                (Some(f), Some(l)) => format!("{f}:{l}: "),
                (Some(f), None) => format!("{f}: "),
                _ => String::new(),
            };
            let _ = writeln!(
                echoed,
                "{} {place}{}: {}",
                a.level,
                a.title,
                a.message.replace(['\r', '\n'], " ")
            );
        }
        let token = stop_token(&echoed);
        let _ = writeln!(out, "::stop-commands::{token}");
        out.push_str(&echoed);
        let _ = writeln!(out, "::{token}::");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_actions_core() {
        assert_eq!(escape_data("a%b\r\nc"), "a%25b%0D%0Ac");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn commands_have_escaped_properties() {
        let a = Annotation {
            level: "error",
            file: Some("dir,x/main.tf".into()),
            line: Some(3),
            column: Some(5),
            end_line: Some(3),
            end_column: Some(9),
            title: "NET001 x: y".into(),
            message: "bad\n::error::injected".into(),
        };
        assert_eq!(
            a.command(),
            "::error file=dir%2Cx/main.tf,line=3,col=5,endLine=3,endColumn=9,title=NET001 x%3A y::bad%0A::error::injected"
        );
    }
}
