//! The terminal report: a plan summary, then findings in the style of compiler diagnostics
//! (severity, code, message, `--> file:line:col`, the source line with a marker), then totals.
//!
//! Colour is applied only on a terminal (decided by the caller). Plan findings have an address and
//! no line. The compact variant (`path:line:col: CODE message`) serves pre-commit.

use super::{Outcome, Report, ReportFinding};
use guard_policies::Severity;
use std::fmt::Write as _;
use std::io;

/// Text is made in a buffer and handed to the writer whenever it holds this many bytes: a long
/// report streams out instead of being built whole.
const FLUSH_AT: usize = 64 * 1024;

/// Hands the buffered text to the writer when it is full (`force`: whatever it holds).
fn flush(out: &mut String, sink: &mut dyn io::Write, force: bool) -> io::Result<()> {
    if force || out.len() >= FLUSH_AT {
        sink.write_all(out.as_bytes())?;
        out.clear();
    }
    Ok(())
}

/// What a renderer wrote to a buffer, as a string (every renderer writes UTF-8).
pub(super) fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.wrap("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.wrap("2", t)
    }
    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "1;33",
            Severity::Low => "1;36",
        };
        self.wrap(code, s.as_str())
    }
}

/// Strips control characters from untrusted text so it cannot move the cursor or fake colours.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Which findings the terminal report prints (`--show`, `--quiet`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Show {
    /// Active and suppressed findings, the first destructive changes (the default).
    #[default]
    #[value(skip)]
    Default,
    /// Only blocking findings.
    Blocking,
    /// Everything: also baselined findings and every destructive change.
    All,
}

/// How the terminal report looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    pub color: bool,
    pub show: Show,
    /// `--quiet`: blocking findings, input errors and the one-line summary, nothing else.
    pub quiet: bool,
}

/// Destructive changes listed under a plan before "and N more" (`--show all` lists every one).
pub const DESTRUCTIVE_SHOWN: usize = 20;

pub fn render(report: &Report, color: bool) -> String {
    render_with(
        report,
        HumanOptions {
            color,
            ..HumanOptions::default()
        },
    )
}

pub fn render_with(report: &Report, options: HumanOptions) -> String {
    let mut bytes = Vec::new();
    // Writing to a `Vec` cannot fail.
    let _ = write_with(report, options, &mut bytes);
    into_string(bytes)
}

/// Writes the terminal report to `sink`.
pub fn write_with(
    report: &Report,
    options: HumanOptions,
    sink: &mut dyn io::Write,
) -> io::Result<()> {
    let paint = Paint { on: options.color };
    let mut out = String::new();
    let blocking_only = options.quiet || options.show == Show::Blocking;

    for plan in report.plans.iter().filter(|_| !options.quiet) {
        let version = plan
            .terraform_version
            .as_deref()
            .map(|v| format!("terraform {v}, "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{} {} {}",
            paint.bold("plan"),
            clean(&plan.file),
            paint.dim(&format!(
                "({version}format {})",
                if plan.format_version.is_empty() {
                    "?"
                } else {
                    &plan.format_version
                }
            ))
        );
        let _ = writeln!(out, "  {}", paint.bold(&plan.plan_line));
        let c = &plan.counts;
        let _ = writeln!(
            out,
            "  replace {}, import {}, move {}, forget {}, read {}, drift {}",
            c.replace, c.import, c.moved, c.forget, c.read, c.drift
        );
        if !plan.destructive.is_empty() {
            let _ = writeln!(out, "  destructive changes:");
            let shown = if options.show == Show::All {
                plan.destructive.len()
            } else {
                DESTRUCTIVE_SHOWN
            };
            for d in plan.destructive.iter().take(shown) {
                let reason = d
                    .action_reason
                    .as_deref()
                    .map(|r| format!(" because {r}"))
                    .unwrap_or_default();
                let paths = if d.replace_paths.is_empty() {
                    String::new()
                } else {
                    format!(" (forced by {})", d.replace_paths.join(", "))
                };
                let privileged = if d.privileged {
                    format!(" {}", paint.wrap("1;35", "[privileged]"))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "    - {} ({}){reason}{paths}{privileged}",
                    clean(&d.address),
                    d.actions.join(", ")
                );
            }
            if plan.destructive.len() > shown {
                let _ = writeln!(
                    out,
                    "    and {} more (`--show all` lists them)",
                    plan.destructive.len() - shown
                );
            }
        }
        for check in &plan.failed_checks {
            let _ = writeln!(out, "  failed check: {}", clean(check));
        }
        for reason in &plan.unsafe_reasons {
            let _ = writeln!(
                out,
                "  {} {}",
                paint.severity(Severity::High),
                clean(reason)
            );
        }
        out.push('\n');
    }

    // Baselined findings are old news: counted in the summary, not printed.
    let mut ordered: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| {
            if blocking_only {
                f.is_blocking()
            } else {
                options.show == Show::All || !f.baselined
            }
        })
        .collect();
    ordered.sort_by_key(|f| {
        (
            f.suppression.is_some(),
            std::cmp::Reverse(f.finding.severity),
        )
    });
    let first_active = ordered
        .iter()
        .find(|f| f.is_active())
        .map(|f| f.finding.code);
    for rf in ordered {
        write_finding(&mut out, rf, &paint);
        flush(&mut out, sink, false)?;
    }

    for e in &report.errors {
        let _ = writeln!(
            out,
            "{}: {}",
            paint.wrap("1;31", "error"),
            clean(&e.to_string())
        );
        out.push_str(&clean(&super::diagnostic::snippet(e)));
    }
    for w in &report.input_warnings {
        let _ = writeln!(
            out,
            "{}: {}",
            paint.wrap("1;33", "warning"),
            clean(&w.to_string())
        );
        out.push_str(&clean(&super::diagnostic::snippet(w)));
    }
    if !report.errors.is_empty() || !report.input_warnings.is_empty() {
        out.push('\n');
    }
    for note in report.notes.iter().filter(|_| !options.quiet) {
        let _ = writeln!(out, "note: {}", clean(note));
    }

    let blocking = report.blocking_count();
    let baselined = if report.baseline.is_some() {
        format!(", {} baselined", report.baselined_count())
    } else {
        String::new()
    };
    let verdict = match report.outcome() {
        Outcome::Clean => paint.wrap("1;32", "pass"),
        Outcome::PolicyFailure => paint.wrap("1;31", "fail"),
        Outcome::InputError => paint.wrap("1;31", "error"),
    };
    // Warnings about the input (printed above) are not findings: counted apart, so a run that
    // printed some does not end with "0 warnings" alone.
    let input_warnings = match report.input_warnings.len() {
        0 => String::new(),
        n => format!(", {n} input warning{}", plural(n)),
    };
    let _ = writeln!(
        out,
        "{verdict}: {blocking} blocking (fail-on {}), {} warning{}, {} suppressed{baselined}, {} input error{}{input_warnings}; scanned {} plan{}, {} module{}, {} resource{}",
        report.fail_on,
        report.warning_count(),
        plural(report.warning_count()),
        report.suppressed_count(),
        report.errors.len(),
        plural(report.errors.len()),
        report.scanned.plans,
        plural(report.scanned.plans),
        report.scanned.modules,
        plural(report.scanned.modules),
        report.scanned.resources,
        plural(report.scanned.resources),
    );
    if options.quiet {
        return flush(&mut out, sink, true);
    }
    if let Some(baseline) = &report.baseline {
        write_baseline(&mut out, baseline);
    }
    if let Some(code) = first_active {
        let _ = writeln!(
            out,
            "{}: `guard explain {code}` says why a finding matters and what to write instead",
            paint.bold("help")
        );
    }
    flush(&mut out, sink, true)
}

/// The baseline's counts, then the entries that matched nothing (fixed, up to 10 named).
fn write_baseline(out: &mut String, baseline: &crate::triage::BaselineSummary) {
    let fixed = baseline.fixed_count();
    let _ = writeln!(
        out,
        "baseline {}: {} new, {} baselined, {fixed} fixed",
        clean(&baseline.file),
        baseline.new,
        baseline.baselined,
    );
    for e in baseline.fixed.iter().take(10) {
        let times = if e.count > 1 {
            format!(" (x{})", e.count)
        } else {
            String::new()
        };
        let address = if e.address.is_empty() {
            String::new()
        } else {
            format!(" {}", clean(&e.address))
        };
        let _ = writeln!(out, "  fixed: {}{address}{times}", e.code);
    }
    if baseline.fixed.len() > 10 {
        let _ = writeln!(out, "  and {} more fixed", baseline.fixed.len() - 10);
    }
    if fixed > 0 {
        let _ = writeln!(
            out,
            "  `guard --write-baseline {}` prunes the fixed entries",
            clean(&baseline.file)
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn write_finding(out: &mut String, rf: &ReportFinding, paint: &Paint) {
    let f = &rf.finding;
    let status = if let Some(s) = &rf.suppression {
        format!(
            " {}",
            paint.dim(&format!("(suppressed: {})", clean(&s.reason)))
        )
    } else if let Some(who) = &rf.approved_by {
        format!(" {}", paint.dim(&format!("(approved by {})", clean(who))))
    } else if rf.baselined {
        format!(" {}", paint.dim("(baselined)"))
    } else if !rf.is_blocking() {
        format!(" {}", paint.dim("(warning)"))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{} {} {}{status}",
        paint.severity(f.severity),
        paint.bold(f.code),
        f.name
    );
    let _ = writeln!(out, "  {}", clean(&f.message));
    match &rf.place {
        Some(place) => {
            let line = place.line.unwrap_or(1);
            let column = place.column.unwrap_or(1);
            let _ = writeln!(out, "  --> {}:{line}:{column}", clean(&place.file));
            // Cut and masked when the report was built (none for a secrets finding).
            if let Some(snippet) = &rf.snippet {
                let gutter = line.to_string();
                let pad = " ".repeat(gutter.len());
                let _ = writeln!(out, "  {pad} |");
                let _ = writeln!(out, "  {} | {}", paint.dim(&gutter), clean(&snippet.text));
                if !snippet.redacted {
                    // Columns as printed: a masked value before the marker changes them.
                    let start = snippet.column(column);
                    let width = match (place.end_line, place.end_column) {
                        (Some(el), Some(ec)) if el == line && ec > column => {
                            snippet.column(ec).saturating_sub(start).max(1)
                        }
                        _ => snippet.width.saturating_sub(start - 1).max(1),
                    };
                    let _ = writeln!(
                        out,
                        "  {pad} | {}{}",
                        " ".repeat(start - 1),
                        paint.severity_marker(f.severity, width.min(80))
                    );
                }
            }
            if let Some(address) = &f.address {
                let _ = writeln!(out, "  = resource: {}", clean(address));
            }
        }
        None => {
            if let Some(address) = &f.address {
                let _ = writeln!(
                    out,
                    "  --> {} in {}",
                    clean(address),
                    clean(&rf.source_name)
                );
            } else {
                let _ = writeln!(out, "  --> {}", clean(&rf.source_name));
            }
        }
    }
    if f.instances.len() > 1 {
        let shown: Vec<String> = f.instances.iter().take(10).map(|i| clean(i)).collect();
        let more = f.instances.len().saturating_sub(10);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let _ = writeln!(out, "  = instances: {}{more}", shown.join(", "));
    }
    for p in rf.related.iter().take(5) {
        let _ = writeln!(
            out,
            "  = also: {}:{}:{}",
            clean(&p.file),
            p.line.unwrap_or(1),
            p.column.unwrap_or(1)
        );
    }
    out.push('\n');
}

impl Paint {
    fn severity_marker(&self, s: Severity, width: usize) -> String {
        let marker = "^".repeat(width.max(1));
        let code = match s {
            Severity::Critical => "35",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
        };
        self.wrap(code, &marker)
    }
}

/// `path:line:col: CODE message`, one active finding per line, then input errors.
pub fn render_compact(report: &Report) -> String {
    let mut bytes = Vec::new();
    // Writing to a `Vec` cannot fail.
    let _ = write_compact(report, &mut bytes);
    into_string(bytes)
}

/// Writes the compact report to `sink`.
pub fn write_compact(report: &Report, sink: &mut dyn io::Write) -> io::Result<()> {
    let mut out = String::new();
    for rf in report.findings.iter().filter(|f| f.is_active()) {
        let f = &rf.finding;
        let location = match &rf.place {
            Some(p) => format!(
                "{}:{}:{}",
                p.file,
                p.line.unwrap_or(1),
                p.column.unwrap_or(1)
            ),
            None => match &f.address {
                Some(a) => format!("{}:{a}", rf.source_name),
                None => rf.source_name.clone(),
            },
        };
        let _ = writeln!(
            out,
            "{}: {} {}{}",
            clean(&location),
            f.code,
            clean(&f.message),
            if rf.is_blocking() { "" } else { " (warning)" }
        );
        flush(&mut out, sink, false)?;
    }
    for e in &report.errors {
        let _ = writeln!(out, "{}", clean(&e.to_string()));
    }
    for w in &report.input_warnings {
        let _ = writeln!(out, "warning: {}", clean(&w.to_string()));
    }
    for reason in report.unsafe_reasons() {
        let _ = writeln!(out, "{}", clean(&reason));
    }
    flush(&mut out, sink, true)
}

/// `--statistics`: active findings per code (severity as reported), most frequent first, with
/// how many of them block. Only codes, names, severities and counts: nothing from the inputs.
pub fn render_statistics(report: &Report) -> String {
    use std::collections::BTreeMap;
    // (code, severity) → (name, count, blocking)
    let mut rows: BTreeMap<(&str, Severity), (&str, usize, usize)> = BTreeMap::new();
    for rf in report.findings.iter().filter(|f| f.is_active()) {
        let f = &rf.finding;
        let row = rows.entry((f.code, f.severity)).or_insert((f.name, 0, 0));
        row.1 += 1;
        if rf.is_blocking() {
            row.2 += 1;
        }
    }
    let mut rows: Vec<_> = rows.into_iter().collect();
    rows.sort_by(|a, b| {
        b.1 .1
            .cmp(&a.1 .1)
            .then(b.0 .1.cmp(&a.0 .1))
            .then(a.0 .0.cmp(b.0 .0))
    });
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>5}  {:>8}  {:<7} {:<8}  name",
        "count", "blocking", "code", "severity"
    );
    let (mut total, mut blocking) = (0, 0);
    for ((code, severity), (name, count, blocks)) in &rows {
        total += count;
        blocking += blocks;
        let _ = writeln!(
            out,
            "{count:>5}  {blocks:>8}  {code:<7} {:<8}  {name}",
            severity.as_str()
        );
    }
    let _ = writeln!(
        out,
        "{total:>5}  {blocking:>8}  total ({} code{}; {} suppressed, {} baselined)",
        rows.len(),
        plural(rows.len()),
        report.suppressed_count(),
        report.baselined_count()
    );
    out
}
