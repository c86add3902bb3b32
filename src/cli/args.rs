//! The command line: clap's structures and the checks on arguments that clap cannot make.

use crate::report::Format;
use clap::{Parser, Subcommand};
use guard_policies::{Registry, Severity};
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
    /// List the policies: the built-in ones and the `[[rules]]` of the `guard.toml` that applies
    /// here.
    Policies {
        /// Read this configuration file instead of `guard.toml` in this directory.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Print a policy's documentation.
    Explain {
        /// Policy code or name, e.g. NET001 or public-egress.
        policy: String,
        /// Read this configuration file instead of `guard.toml` in this directory.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Check the files pre-commit passes: each file's whole module or unit directory, compact
    /// output, exit 1 only on blocking findings.
    Hook(Box<HookArgs>),
    /// Print a shell completion script (bash, zsh, fish, powershell) to stdout.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `guard hook`: the files pre-commit passes, and the options people put in `args:`.
#[derive(Debug, Clone, clap::Args)]
pub struct HookArgs {
    /// Files to check (mapped to their module or unit directories).
    pub files: Vec<PathBuf>,
    /// Findings at or above this severity fail the hook (low, medium, high, critical).
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
    /// Output format (default compact).
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub config: crate::config::ConfigArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Plan JSON files (`terraform show -json`), directories or .tf files; `-` reads a plan from
    /// stdin. Default: `.`
    #[arg(help_heading = "Input")]
    pub paths: Vec<PathBuf>,
    /// A `.tfvars` file to read, after the automatic ones (repeatable).
    #[arg(long = "var-file", value_name = "FILE", help_heading = "Input")]
    pub var_files: Vec<PathBuf>,
    /// A variable value, `NAME=VALUE` (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", help_heading = "Input")]
    pub vars: Vec<String>,
    /// Read `TF_VAR_*` environment variables.
    #[arg(long, help_heading = "Input")]
    pub env_vars: bool,
    /// Where plan findings are looked up in the `.tf` source, to point at the resource's block
    /// (default: each plan's directory).
    #[arg(long, value_name = "DIR", help_heading = "Input")]
    pub source: Option<PathBuf>,
    /// Pass when a path holds nothing to check (no Terraform, Terragrunt or plan file); without
    /// it, that is an input error (exit 2).
    #[arg(long, help_heading = "Input")]
    pub allow_empty: bool,
    /// Findings at or above this severity fail the check (low, medium, high, critical).
    #[arg(long, value_parser = parse_severity, help_heading = "Policies")]
    pub fail_on: Option<Severity>,
    /// Run only these policies (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',', help_heading = "Policies")]
    pub select: Vec<String>,
    /// Skip these policies (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',', help_heading = "Policies")]
    pub ignore: Vec<String>,
    /// Fail only on findings not recorded in this baseline file (also `baseline` in guard.toml).
    #[arg(long, value_name = "FILE", help_heading = "Policies")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file (fixed entries are pruned) and pass.
    #[arg(long, value_name = "FILE", help_heading = "Policies")]
    pub write_baseline: Option<PathBuf>,
    /// Output format.
    #[arg(
        long,
        short = 'f',
        value_enum,
        default_value = "human",
        help_heading = "Output"
    )]
    pub format: Format,
    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Print only blocking findings and the one-line summary.
    #[arg(long, short = 'q', help_heading = "Output")]
    pub quiet: bool,
    /// Print a table of findings per code and severity instead of the findings.
    #[arg(long, help_heading = "Output")]
    pub statistics: bool,
    /// Report only: exit 0 even when findings block (input errors still exit 2).
    #[arg(long, help_heading = "Output")]
    pub exit_zero: bool,
    /// Which findings the terminal report prints: blocking, or all (with suppressed and
    /// baselined findings and every destructive change). Default: active findings.
    #[arg(long, value_enum, help_heading = "Output")]
    pub show: Option<crate::report::human::Show>,
    /// Print the files read (configuration, baseline, plans, sources) instead of the report.
    #[arg(long, help_heading = "Output")]
    pub show_files: bool,
    /// Print the configuration that applies (file, policies, thresholds) and exit.
    #[arg(long, help_heading = "Output")]
    pub show_settings: bool,
    /// `--format markdown`: at most this many bytes (default 60000, a pull-request comment's
    /// budget); whole items are left out, with exact counts, to fit.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2000..), help_heading = "Output")]
    pub max_bytes: Option<u64>,
    /// Also write SARIF to this file.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub sarif_file: Option<PathBuf>,
    /// Color: auto (on a terminal), always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"], help_heading = "Output")]
    pub color: String,
    #[command(flatten, next_help_heading = "Policies")]
    pub config: crate::config::ConfigArgs,
    #[command(flatten, next_help_heading = "GitHub")]
    pub github: crate::github::GithubArgs,
}

/// The subcommand a mistyped first path probably meant (`guard polices`): a word that is not a
/// file, within two edits of a subcommand's name.
pub fn subcommand_typo(path: &std::path::Path) -> Option<&'static str> {
    let word = path.to_str()?;
    if path.exists() || word.is_empty() || word.contains(['/', '\\', '.']) {
        return None;
    }
    const NAMES: [&str; 5] = ["check", "policies", "explain", "hook", "completions"];
    NAMES
        .iter()
        .map(|name| (edit_distance(&word.to_ascii_lowercase(), name), *name))
        .filter(|(d, name)| *d > 0 && *d <= 2.min(name.len() / 2))
        .min()
        .map(|(_, name)| name)
}

/// Levenshtein distance (the names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            previous = here;
        }
    }
    row[b.len()]
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
    if let Some(first) = args.paths.first() {
        if let Some(name) = subcommand_typo(first) {
            return Err(format!(
                "unrecognized subcommand `{}`; did you mean `{name}`? (`guard --help` lists them)",
                first.display()
            ));
        }
    }
    validate_var_files(&args.var_files)?;
    if let Some(dir) = &args.source {
        if !dir.is_dir() {
            return Err(format!(
                "`--source {}`: not a directory",
                crate::display_path(dir)
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

/// An unknown policy in `--select`/`--ignore` would silently check less than asked.
pub fn validate_policies(
    select: &[String],
    ignore: &[String],
    registry: &Registry,
) -> Result<(), String> {
    for (flag, list) in [("--select", select), ("--ignore", ignore)] {
        for code in list {
            // `--select all` also runs the opt-in policies (DEL004, ENC004).
            let all = flag == "--select" && code.trim().eq_ignore_ascii_case("all");
            if !all && registry.find(code.trim()).is_none() {
                return Err(format!(
                    "unknown policy `{code}` in `{flag}`; expected a code or name, one of: {}",
                    crate::config::valid_policies(registry)
                ));
            }
        }
    }
    Ok(())
}

/// A `--var-file` that is not there would leave variables at their defaults.
pub fn validate_var_files(var_files: &[PathBuf]) -> Result<(), String> {
    for file in var_files {
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_of_subcommands_are_recognised_and_words_far_away_are_not() {
        let typo = |w: &str| subcommand_typo(std::path::Path::new(w));
        assert_eq!(typo("polices"), Some("policies"));
        assert_eq!(typo("explian"), Some("explain"));
        assert_eq!(typo("hok"), Some("hook"));
        assert_eq!(typo("completion"), Some("completions"));
        assert_eq!(typo("infra"), None);
        assert_eq!(typo("plan.json"), None);
        assert_eq!(typo("policies/x"), None);
    }
}
