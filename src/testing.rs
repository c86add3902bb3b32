//! The fixture convention of guard's own policies, for a crate of policies of your own (issue 18).
//!
//! ```text
//! fixtures/
//!   required-tags/          # a policy's name or code
//!     guard.toml            # optional: `[policies.ACM001]` settings, `[[rules]]`, …
//!     bad/main.tf           # a Terraform module: must give findings of this policy
//!     good/main.tf          # near misses: must give none
//!     bad.plan.json         # the same for a plan (`terraform show -json`)
//!     good.plan.json
//! ```
//!
//! Each fixture runs through the library as `guard check` would, with only its own policy
//! selected. [`check_fixtures`] returns a [`FixtureReport`]: whether every fixture held, and the
//! findings of each as one line per finding, stable enough to snapshot.

use crate::config::{self, ConfigArgs};
use crate::report::Report;
use guard_policies::{Policy, Registry};
use std::fmt;
use std::path::{Path, PathBuf};

/// One fixture's outcome.
#[derive(Debug, Clone)]
pub struct FixtureOutcome {
    /// `required-tags/bad.plan.json`.
    pub fixture: String,
    pub policy: &'static str,
    /// `bad` fixtures must give findings, `good` ones none.
    pub bad: bool,
    /// The policy's findings, one line each: `CODE severity address file:line message`.
    pub findings: Vec<String>,
    /// What went wrong, if anything: no finding in a bad fixture, a finding in a good one, an
    /// input error.
    pub problem: Option<String>,
}

/// Every fixture of a directory, checked.
#[derive(Debug, Clone, Default)]
pub struct FixtureReport {
    pub outcomes: Vec<FixtureOutcome>,
}

impl FixtureReport {
    /// True when every fixture held and there was at least one.
    pub fn is_ok(&self) -> bool {
        !self.outcomes.is_empty() && self.outcomes.iter().all(|o| o.problem.is_none())
    }

    /// The findings of every fixture, for a snapshot.
    pub fn findings(&self) -> String {
        let mut out = String::new();
        for o in &self.outcomes {
            out.push_str(&format!("{}:\n", o.fixture));
            for f in &o.findings {
                out.push_str(&format!("  {f}\n"));
            }
        }
        out
    }
}

impl fmt::Display for FixtureReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.outcomes.is_empty() {
            return writeln!(f, "no fixtures found");
        }
        for o in &self.outcomes {
            match &o.problem {
                None => writeln!(f, "ok    {} ({} findings)", o.fixture, o.findings.len())?,
                Some(problem) => writeln!(f, "FAIL  {}: {problem}", o.fixture)?,
            }
            for line in &o.findings {
                writeln!(f, "        {line}")?;
            }
        }
        let failed = self.outcomes.iter().filter(|o| o.problem.is_some()).count();
        writeln!(f, "{} fixtures, {failed} failed", self.outcomes.len())
    }
}

/// Runs every fixture under `dir` (see the module documentation) with the policies of
/// `registry`; `Err` when `dir` cannot be read or names a policy `registry` does not know.
pub fn check_fixtures(dir: &Path, registry: &Registry) -> Result<FixtureReport, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {}", crate::display_path(dir), crate::io_reason(&e)))?;
    let mut policy_dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    policy_dirs.sort();
    let mut report = FixtureReport::default();
    for policy_dir in policy_dirs {
        let name = policy_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let policy = registry.find(&name).ok_or_else(|| {
            format!(
                "{}: no policy named `{name}` in the registry",
                crate::display_path(&policy_dir)
            )
        })?;
        for (file, bad) in [
            ("bad", true),
            ("bad.plan.json", true),
            ("good", false),
            ("good.plan.json", false),
        ] {
            let path = policy_dir.join(file);
            if path.exists() {
                report.outcomes.push(run_fixture(
                    &policy_dir,
                    &path,
                    &name,
                    file,
                    bad,
                    policy,
                    registry,
                ));
            }
        }
    }
    Ok(report)
}

fn run_fixture(
    policy_dir: &Path,
    path: &Path,
    name: &str,
    file: &str,
    bad: bool,
    policy: &'static Policy,
    registry: &Registry,
) -> FixtureOutcome {
    let mut outcome = FixtureOutcome {
        fixture: format!("{name}/{file}"),
        policy: policy.code,
        bad,
        findings: Vec::new(),
        problem: None,
    };
    let mut options = crate::Options {
        registry: registry.clone(),
        ..crate::Options::default()
    };
    let config_file = policy_dir.join(config::FILE_NAME);
    let args = ConfigArgs {
        // Only the fixture's own guard.toml, never one found above it.
        config: config_file.is_file().then_some(config_file),
        ..ConfigArgs::default()
    };
    let paths = [path.to_path_buf()];
    let loaded = match config::prepare(&args, &paths, &mut options) {
        Ok(loaded) => loaded,
        Err(e) => {
            outcome.problem = Some(format!("guard.toml: {e}"));
            return outcome;
        }
    };
    options.select = vec![policy.code.to_string()];
    options.ignore.clear();
    let triaged = crate::suppress::apply(crate::checked(&paths, &options), &loaded, &options);
    let report = Report::build(triaged);
    outcome.findings = compact(&report, policy.code);
    if !report.errors.is_empty() {
        let errors: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
        outcome.problem = Some(format!("input errors: {}", errors.join("; ")));
    } else if bad && outcome.findings.is_empty() {
        outcome.problem = Some(format!("expected findings of {}, got none", policy.code));
    } else if !bad && !outcome.findings.is_empty() {
        outcome.problem = Some(format!(
            "expected no findings of {}, got {}",
            policy.code,
            outcome.findings.len()
        ));
    }
    outcome
}

/// `CODE severity address file:line message` for each unsuppressed finding of `code`.
fn compact(report: &Report, code: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|r| r.finding.code == code && r.suppression.is_none())
        .map(|r| {
            let f = &r.finding;
            let place = r
                .place
                .as_ref()
                .map(|p| format!("{}:{}", p.file, p.line.unwrap_or(0)))
                .unwrap_or_else(|| "-".to_string());
            format!(
                "{} {} {} {place} {}",
                f.code,
                f.severity,
                f.address.as_deref().unwrap_or("-"),
                f.message
            )
        })
        .collect()
}

/// The documentation pages of `registry`'s policies, `(file name, markdown)`, the index first:
/// the pages guard generates for its own policies under `policies/docs/`.
pub fn docs(registry: &Registry) -> Vec<(String, String)> {
    guard_policies::docs::render_all_of(registry)
}
