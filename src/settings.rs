//! A run's settings, resolved once into a value nothing changes afterwards (ripgrep's `HiArgs`):
//! `guard.toml`, the command line and how far the run trusts its own checkout.
//!
//! Order: the base options the caller built (variables, `--allow-empty`), then `guard.toml`
//! ([`config::prepare`]), then, in a pull-request check, the two-person rule's hardening (the
//! file comes from the pull request under review: [`two_person::protect`] and
//! [`config::pull_request_rules`]), then the command-line flags, which the workflow file sets and
//! which therefore win.

use crate::config::{self, ConfigArgs};
use crate::error::InputError;
use crate::two_person::{self, ApprovalConfig};
use crate::Options;
use guard_policies::Severity;
use std::path::PathBuf;

/// How far a run trusts the `guard.toml` files in its checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// A local run, a pre-commit hook: the configuration is the user's own.
    Local,
    /// A pull-request check (`--github`): the configuration may come from the change under
    /// review, so it can only strengthen the two-person rule. `trusted_config` is the base
    /// branch's `guard.toml` (`--trusted-config`).
    PullRequest { trusted_config: Option<PathBuf> },
}

/// The command-line flags that override `guard.toml`.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub fail_on: Option<Severity>,
    /// Replaces the file's `select` when not empty.
    pub select: Vec<String>,
    /// Adds to the file's `ignore`.
    pub ignore: Vec<String>,
}

/// Everything a run decided before reading any input.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// What to check (`.` when nothing was given).
    pub paths: Vec<PathBuf>,
    pub options: Options,
    /// What `guard.toml` contributes after the options: suppressions, its text for GRD findings.
    pub config: config::Loaded,
    /// `[approval]` as the two-person check applies it (in a pull-request check, the teams and
    /// break-glass team come only from trusted configuration).
    pub approval: ApprovalConfig,
    pub trust: Trust,
    /// What the pull-request hardening undid, for the report's notes.
    pub notes: Vec<String>,
}

impl Resolved {
    /// Resolves the settings of a run over `paths`; `Err` for a configuration that cannot be
    /// read or is invalid.
    pub fn resolve(
        paths: &[PathBuf],
        config_args: &ConfigArgs,
        base: Options,
        flags: &Flags,
        trust: Trust,
    ) -> Result<Resolved, InputError> {
        let paths = if paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            paths.to_vec()
        };
        let mut options = base;
        let config = config::prepare(config_args, &paths, &mut options)?;
        let mut approval = config.github_approval();
        let mut notes = Vec::new();
        if let Trust::PullRequest { trusted_config } = &trust {
            notes = two_person::protect(&mut options);
            let (rules, more) = config::pull_request_rules(
                &paths,
                &config,
                trusted_config.as_deref(),
                &mut options,
            )?;
            approval = rules;
            notes.extend(more);
        }
        if let Some(fail_on) = flags.fail_on {
            options.fail_on = fail_on;
        }
        if !flags.select.is_empty() {
            options.select = flags.select.clone();
        }
        options.ignore.extend(flags.ignore.iter().cloned());
        Ok(Resolved {
            paths,
            options,
            config,
            approval,
            trust,
            notes,
        })
    }

    /// Whether this is a pull-request check.
    pub fn is_pull_request(&self) -> bool {
        matches!(self.trust, Trust::PullRequest { .. })
    }
}
