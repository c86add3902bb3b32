//! The `guard` command: parse arguments, call the library, map the outcome to an exit code.

use clap::{Parser, Subcommand};
use guard::report::{render, Format, Outcome, RenderOptions};
use guard_policies::Severity;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Infrastructure-as-code policy guard for Terraform, Terragrunt and plan JSON.
///
/// Exit codes: 0 nothing blocking; 1 blocking findings (at or above --fail-on) or a plan that
/// cannot be called safe; 2 usage or input error.
#[derive(Debug, Parser)]
#[command(name = "guard", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
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
        config: guard::config::ConfigArgs,
    },
}

#[derive(Debug, Clone, clap::Args)]
struct CheckArgs {
    /// Plan JSON files (`terraform show -json`), directories or .tf files; `-` reads a plan from
    /// stdin. Default: `.`
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    format: Format,
    /// `--format markdown`: at most this many bytes (default 60000, a pull-request comment's
    /// budget); whole items are left out, with exact counts, to fit.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2000..))]
    max_bytes: Option<u64>,
    /// Also write SARIF to this file.
    #[arg(long, value_name = "FILE")]
    sarif_file: Option<PathBuf>,
    /// Findings at or above this severity fail the check (low, medium, high, critical).
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<Severity>,
    /// Run only these policies (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these policies (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// A `.tfvars` file to read, after the automatic ones (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// A variable value, `NAME=VALUE` (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
    /// Read `TF_VAR_*` environment variables.
    #[arg(long)]
    env_vars: bool,
    /// Pass when a path holds nothing to check (no Terraform, Terragrunt or plan file); without
    /// it, that is an input error (exit 2).
    #[arg(long)]
    allow_empty: bool,
    /// Color: auto (on a terminal), always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,
    #[command(flatten)]
    config: guard::config::ConfigArgs,
    #[command(flatten)]
    github: guard::github::GithubArgs,
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
fn parse_vars(args: &[String]) -> Result<Vec<(String, String)>, String> {
    args.iter()
        .enumerate()
        .map(|(i, s)| parse_var(i + 1, s))
        .collect()
}

fn main() -> ExitCode {
    // A panic message can quote what was being processed (a string slice panic prints the
    // string): print only where it happened. Each file is checked under `catch_unwind`, so the
    // run goes on and reports the file as an internal error.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown location".to_string());
        eprintln!("guard: internal error at {location} (a bug in guard; please report it)");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Outcome::InputError as u8
            } else {
                0
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Some(Command::Policies) => list_policies(),
        Some(Command::Explain { policy }) => explain(&policy),
        Some(Command::Hook { files, config }) => ExitCode::from(guard::hook::run(&files, &config)),
        Some(Command::Check(args)) => check(*args),
        None => check(cli.check),
    }
}

fn list_policies() -> ExitCode {
    let mut out = String::new();
    for p in guard_policies::registry() {
        let opt_in = if guard_policies::OPT_IN.contains(&p.code) {
            format!(" (off by default: --select {})", p.code)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:<7} {:<32} {:<9} {}{opt_in}\n",
            p.code,
            p.name,
            p.severity.as_str(),
            p.summary()
        ));
    }
    print_out(&out);
    ExitCode::SUCCESS
}

fn explain(policy: &str) -> ExitCode {
    match guard_policies::find_policy(policy) {
        Some(p) => {
            print_out(&format!(
                "# {} {} ({})\n\n{}",
                p.code,
                p.name,
                p.severity,
                p.doc()
            ));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: no policy named `{policy}`; run `guard policies` to list them");
            ExitCode::from(Outcome::InputError as u8)
        }
    }
}

/// Mistakes on the command line that would silently check less than asked: an unknown policy
/// in `--select`/`--ignore`, a `--var-file` that is not there, a glob that cannot be parsed.
fn validate(args: &CheckArgs) -> Result<(), String> {
    for (flag, list) in [("--select", &args.select), ("--ignore", &args.ignore)] {
        for code in list {
            // `--select all` also runs the opt-in policies (DEL004, ENC004).
            let all = flag == "--select" && code.trim().eq_ignore_ascii_case("all");
            if !all && guard_policies::find_policy(code.trim()).is_none() {
                return Err(format!(
                    "unknown policy `{code}` in `{flag}`; expected a code or name, one of: {}",
                    guard::config::valid_policies()
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
                guard::display_path(file),
                guard::io_reason(&e)
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

fn check(args: CheckArgs) -> ExitCode {
    if args.max_bytes.is_some() && args.format != Format::Markdown {
        eprintln!("error: --max-bytes applies to --format markdown only");
        return ExitCode::from(Outcome::InputError as u8);
    }
    if let Err(message) = validate(&args) {
        eprintln!("error: {message}");
        return ExitCode::from(Outcome::InputError as u8);
    }
    let mut options = guard::Options {
        allow_empty: args.allow_empty,
        ..guard::Options::default()
    };
    options.hcl.var_files = args.var_files.clone();
    options.hcl.vars = match parse_vars(&args.vars) {
        Ok(vars) => vars,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(Outcome::InputError as u8);
        }
    };
    options.hcl.env_vars = args.env_vars;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let config = match guard::config::prepare(&args.config, &paths, &mut options) {
        Ok(config) => config,
        Err(e) => {
            eprint!(
                "{}",
                guard::github::escape_command_lines(&format!("error: {e}\n"))
            );
            return ExitCode::from(Outcome::InputError as u8);
        }
    };
    let mut approval = config.github_approval();
    let protected = if args.github.github {
        let mut notes = guard::protect_two_person_rule(&mut options);
        let trusted = args.github.trusted_config.as_deref();
        match guard::config::pull_request_rules(&paths, &config, trusted, &mut options) {
            Ok((rules, more)) => {
                approval = rules;
                notes.extend(more);
            }
            Err(e) => {
                eprint!(
                    "{}",
                    guard::github::escape_command_lines(&format!("error: {e}\n"))
                );
                return ExitCode::from(Outcome::InputError as u8);
            }
        }
        notes
    } else {
        Vec::new()
    };
    // Flags given on the command line win over the file.
    if let Some(fail_on) = args.fail_on {
        options.fail_on = fail_on;
    }
    if !args.select.is_empty() {
        options.select = args.select.clone();
    }
    options.ignore.extend(args.ignore.iter().cloned());

    let mut report = guard::run(&paths, &options);
    guard::suppress::apply(&mut report, &config, &options);
    guard::group::group_report(&mut report);
    if args.github.github {
        report.notes.extend(protected);
        let undone = guard::unsuppress_two_person_rule(&mut report);
        report.notes.extend(undone);
    }
    let mut github = args.github.clone();
    github.approval = Some(approval);
    // `run` prints annotations itself; `--format github` would print them a second time.
    if args.format == Format::Github {
        github.no_annotations = true;
    }
    if let Err(e) = guard::github::run(&mut report, &github, &options.settings) {
        // Fail closed: whatever GitHub-side step failed, the check does not pass.
        report.notes.push(format!("github: {e}"));
        report.github_failed = true;
    }
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => {
            args.format == Format::Human
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let text = match (args.format, args.max_bytes) {
        (Format::Markdown, Some(max)) => {
            guard::report::render_markdown(&report, usize::try_from(max).unwrap_or(usize::MAX))
        }
        (format, _) => render(&report, format, RenderOptions { color }),
    };
    // The runner reads workflow commands from the log: untrusted text must not be one. The
    // `github` format writes guard's own commands and escapes everything else itself.
    if args.github.github && args.format != Format::Github {
        print_out(&guard::github::escape_command_lines(&text));
    } else {
        print_out(&text);
    }
    if let Some(path) = &args.sarif_file {
        let sarif = render(&report, Format::Sarif, RenderOptions::default());
        if let Err(e) = std::fs::write(path, sarif) {
            eprintln!(
                "error: cannot write {}: {}",
                path.display(),
                guard::io_reason(&e)
            );
            return ExitCode::from(Outcome::InputError as u8);
        }
    }
    ExitCode::from(report.outcome() as u8)
}

fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`guard ... | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
