//! The `guard` command: parse arguments, call the library, write the outcome and map it to an
//! exit code. `src/main.rs` only calls [`main`]; everything a user sees on stdout and stderr is
//! written from here ([`sink`]).

pub mod args;
pub mod sink;

use crate::report::{render, Format, Outcome, RenderOptions};
use args::{CheckArgs, Cli, Command};
use clap::Parser;
use sink::{print_err, print_out};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// The whole `guard` command.
pub fn main() -> ExitCode {
    // A panic message can quote what was being processed (a string slice panic prints the
    // string): print only where it happened. Each file is checked under `catch_unwind`, so the
    // run goes on and reports the file as an internal error.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown location".to_string());
        print_err(&format!(
            "guard: internal error at {location} (a bug in guard; please report it)\n"
        ));
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
        Some(Command::Hook { files, config }) => hook(&files, &config),
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
            print_err(&format!(
                "error: no policy named `{policy}`; run `guard policies` to list them\n"
            ));
            ExitCode::from(Outcome::InputError as u8)
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    if args.max_bytes.is_some() && args.format != Format::Markdown {
        print_err("error: --max-bytes applies to --format markdown only\n");
        return ExitCode::from(Outcome::InputError as u8);
    }
    if let Err(message) = args::validate(&args) {
        print_err(&format!("error: {message}\n"));
        return ExitCode::from(Outcome::InputError as u8);
    }
    let mut options = crate::Options {
        allow_empty: args.allow_empty,
        ..crate::Options::default()
    };
    options.hcl.var_files = args.var_files.clone();
    options.hcl.vars = match args::parse_vars(&args.vars) {
        Ok(vars) => vars,
        Err(e) => {
            print_err(&format!("error: {e}\n"));
            return ExitCode::from(Outcome::InputError as u8);
        }
    };
    options.hcl.env_vars = args.env_vars;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let config = match crate::config::prepare(&args.config, &paths, &mut options) {
        Ok(config) => config,
        Err(e) => {
            print_err(&crate::github::escape_command_lines(&format!(
                "error: {e}\n"
            )));
            return ExitCode::from(Outcome::InputError as u8);
        }
    };
    let mut approval = config.github_approval();
    let protected = if args.github.github {
        let mut notes = crate::protect_two_person_rule(&mut options);
        let trusted = args.github.trusted_config.as_deref();
        match crate::config::pull_request_rules(&paths, &config, trusted, &mut options) {
            Ok((rules, more)) => {
                approval = rules;
                notes.extend(more);
            }
            Err(e) => {
                print_err(&crate::github::escape_command_lines(&format!(
                    "error: {e}\n"
                )));
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

    let mut report = crate::check_paths(&paths, &config, &options);
    if args.github.github {
        report.notes.extend(protected);
        let undone = crate::unsuppress_two_person_rule(&mut report);
        report.notes.extend(undone);
    }
    let mut github = args.github.clone();
    github.approval = Some(approval);
    // `run` prints annotations itself; `--format github` would print them a second time.
    if args.format == Format::Github {
        github.no_annotations = true;
    }
    if let Err(e) = crate::github::run(&mut report, &github, &options.settings) {
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
            crate::report::render_markdown(&report, usize::try_from(max).unwrap_or(usize::MAX))
        }
        (format, _) => render(&report, format, RenderOptions { color }),
    };
    // The runner reads workflow commands from the log: untrusted text must not be one. The
    // `github` format writes guard's own commands and escapes everything else itself.
    if args.github.github && args.format != Format::Github {
        print_out(&crate::github::escape_command_lines(&text));
    } else {
        print_out(&text);
    }
    if let Some(path) = &args.sarif_file {
        let sarif = render(&report, Format::Sarif, RenderOptions::default());
        if let Err(e) = std::fs::write(path, sarif) {
            print_err(&format!(
                "error: cannot write {}: {}\n",
                path.display(),
                crate::io_reason(&e)
            ));
            return ExitCode::from(Outcome::InputError as u8);
        }
    }
    ExitCode::from(report.outcome() as u8)
}

/// `guard hook FILE...`: the pre-commit entry point ([`crate::hook`]).
fn hook(files: &[PathBuf], config: &crate::config::ConfigArgs) -> ExitCode {
    match crate::hook::check(files, config) {
        Ok((text, code)) => {
            print_out(&text);
            ExitCode::from(code)
        }
        Err(e) => {
            print_err(&format!("error: {e}\n"));
            ExitCode::from(Outcome::InputError as u8)
        }
    }
}
