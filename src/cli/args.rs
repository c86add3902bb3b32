//! The command line: clap's structures and the checks on arguments that clap cannot make.

use crate::report::Format;
use clap::{Parser, Subcommand};
use guard_policies::Severity;
use std::path::PathBuf;

/// Infrastructure-as-code policy guard for Terraform, Terragrunt and plan JSON.
///
/// Exit codes: 0 nothing blocking; 1 blocking findings (at or above --fail-on) or a plan that
/// cannot be called safe; 2 usage or input error.
#[derive(Debug, Parser)]
#[command(name = "guard", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check plan files, Terraform modules or Terragrunt units (the default command).
    Check(Box<CheckArgs>),
    /// List the built-in policies.
    Policies,
    /// Print a policy's documentation.
    Explain {
        /// Policy code or name, e.g. NET001 or public-egress.
        policy: String,
    },
    /// Check the files pre-commit passes: each file's whole module or unit directory, compact
    /// output, exit 1 only on blocking findings.
    Hook {
        /// Files to check (mapped to their module or unit directories).
        files: Vec<PathBuf>,
        #[command(flatten)]
        config: crate::config::ConfigArgs,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Plan JSON files (`terraform show -json`), directories or .tf files; `-` reads a plan from
    /// stdin. Default: `.`
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: Format,
    /// `--format markdown`: at most this many bytes (default 60000, a pull-request comment's
    /// budget); whole items are left out, with exact counts, to fit.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2000..))]
    pub max_bytes: Option<u64>,
    /// Also write SARIF to this file.
    #[arg(long, value_name = "FILE")]
    pub sarif_file: Option<PathBuf>,
    /// Findings at or above this severity fail the check (low, medium, high, critical).
    #[arg(long, value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Run only these policies (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these policies (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// A `.tfvars` file to read, after the automatic ones (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// A variable value, `NAME=VALUE` (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read `TF_VAR_*` environment variables.
    #[arg(long)]
    pub env_vars: bool,
    /// Pass when a path holds nothing to check (no Terraform, Terragrunt or plan file); without
    /// it, that is an input error (exit 2).
    #[arg(long)]
    pub allow_empty: bool,
    /// Color: auto (on a terminal), always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
    #[command(flatten)]
    pub config: crate::config::ConfigArgs,
    #[command(flatten)]
    pub github: crate::github::GithubArgs,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("unknown severity `{s}` (expected low, medium, high or critical)"))
}

/// `--var NAME=VALUE`. Parsed here, not by clap, whose errors quote the argument: a value may
/// be a secret, so an error names only the position of the argument.
fn parse_var(position: usize, s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| {
            format!(
                "--var #{position}: expected NAME=VALUE (the argument is not shown: it may hold a secret)"
            )
        })
}

/// Every `--var` argument of a run, or the first malformed one's error.
pub fn parse_vars(args: &[String]) -> Result<Vec<(String, String)>, String> {
    args.iter()
        .enumerate()
        .map(|(i, s)| parse_var(i + 1, s))
        .collect()
}

/// Mistakes on the command line that would silently check less than asked: an unknown policy
/// in `--select`/`--ignore`, a `--var-file` that is not there, a glob that cannot be parsed.
pub fn validate(args: &CheckArgs) -> Result<(), String> {
    for (flag, list) in [("--select", &args.select), ("--ignore", &args.ignore)] {
        for code in list {
            // `--select all` also runs the opt-in policies (DEL004, ENC004).
            let all = flag == "--select" && code.trim().eq_ignore_ascii_case("all");
            if !all && guard_policies::find_policy(code.trim()).is_none() {
                return Err(format!(
                    "unknown policy `{code}` in `{flag}`; expected a code or name, one of: {}",
                    crate::config::valid_policies()
                ));
            }
        }
    }
    for file in &args.var_files {
        if let Err(e) = std::fs::metadata(file).and_then(|m| {
            if m.is_dir() {
                Err(std::io::Error::other("a directory, not a file"))
            } else {
                Ok(())
            }
        }) {
            return Err(format!(
                "`--var-file {}`: {}",
                crate::display_path(file),
                crate::io_reason(&e)
            ));
        }
    }
    for (flag, list) in [
        ("--include", &args.config.include),
        ("--exclude", &args.config.exclude),
    ] {
        for glob in list {
            if let Err(e) = globset::Glob::new(glob) {
                return Err(format!("invalid glob `{glob}` in `{flag}`: {}", e.kind()));
            }
        }
    }
    Ok(())
}
