//! The `guard` command: parse arguments, call the library, write the outcome and map it to an
//! exit code. `src/main.rs` only calls [`main`]; everything a user sees on stdout and stderr is
//! written from here ([`sink`]).

pub mod args;
pub mod sink;

use crate::redact::Tripwire;
use crate::report::{render, Format, Outcome, RenderOptions};
use crate::settings::{Flags, Resolved, Trust};
use args::{CheckArgs, Cli, Command};
use clap::Parser;
use guard_policies::Registry;
use sink::{print_err, print_out};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// The whole `guard` command with guard's built-in policies.
pub fn main() -> ExitCode {
    main_with(Registry::builtin())
}

/// The whole `guard` command with the policies of `registry`: a company's own binary is
/// `guard::cli::main_with(Registry::builtin().with(&[&acme::COST_CENTRE_TAG]))` and behaves like
/// guard, its policies selectable, configurable, suppressible and in every report.
pub fn main_with(registry: Registry) -> ExitCode {
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
        Some(Command::Policies { config }) => match registry_here(registry, config) {
            Ok(registry) => list_policies(&registry),
            Err(code) => code,
        },
        Some(Command::Explain { policy, config }) => match registry_here(registry, config) {
            Ok(registry) => explain(&registry, &policy),
            Err(code) => code,
        },
        Some(Command::Hook { files, config }) => hook(&files, &config, registry),
        Some(Command::Check(args)) => check(*args, registry),
        None => check(cli.check, registry),
    }
}

/// `registry` with the `[[rules]]` of `config` or of the `guard.toml` that applies in the current
/// directory; a configuration error is printed and becomes exit 2.
fn registry_here(registry: Registry, config: Option<PathBuf>) -> Result<Registry, ExitCode> {
    let args = crate::config::ConfigArgs {
        config,
        ..crate::config::ConfigArgs::default()
    };
    let mut options = crate::Options {
        registry,
        ..crate::Options::default()
    };
    match crate::config::prepare(&args, &[PathBuf::from(".")], &mut options) {
        Ok(_) => Ok(options.registry),
        Err(e) => Err(config_error(&e)),
    }
}

/// Prints a `guard.toml` error with its line, for exit 2.
fn config_error(e: &crate::error::InputError) -> ExitCode {
    // guard.toml holds no secrets: nothing for a tripwire to know.
    let snippet = crate::report::diagnostic::snippet(&Tripwire::new(Vec::new()), e);
    print_err(&crate::github::escape_command_lines(&format!(
        "error: {e}\n{snippet}"
    )));
    ExitCode::from(Outcome::InputError as u8)
}

fn list_policies(registry: &Registry) -> ExitCode {
    let mut out = String::new();
    for p in registry {
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

fn explain(registry: &Registry, policy: &str) -> ExitCode {
    match registry.find(policy) {
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

fn check(args: CheckArgs, registry: Registry) -> ExitCode {
    if args.max_bytes.is_some() && args.format != Format::Markdown {
        print_err("error: --max-bytes applies to --format markdown only\n");
        return ExitCode::from(Outcome::InputError as u8);
    }
    if let Err(message) = args::validate(&args) {
        print_err(&format!("error: {message}\n"));
        return ExitCode::from(Outcome::InputError as u8);
    }
    let vars = match args::parse_vars(&args.vars) {
        Ok(vars) => vars,
        Err(e) => {
            print_err(&format!("error: {e}\n"));
            return ExitCode::from(Outcome::InputError as u8);
        }
    };
    let mut base = crate::Options {
        allow_empty: args.allow_empty,
        registry,
        ..crate::Options::default()
    };
    base.hcl.var_files = args.var_files.clone();
    base.hcl.vars = vars;
    base.hcl.env_vars = args.env_vars;
    let flags = Flags {
        fail_on: args.fail_on,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let trust = if args.github.github {
        Trust::PullRequest {
            trusted_config: args.github.trusted_config.clone(),
        }
    } else {
        Trust::Local
    };
    let settings = match Resolved::resolve(&args.paths, &args.config, base, &flags, trust) {
        Ok(settings) => settings,
        Err(e) => return config_error(&e),
    };
    if let Err(message) = args::validate_policies(&args, &settings.options.registry) {
        print_err(&format!("error: {message}\n"));
        return ExitCode::from(Outcome::InputError as u8);
    }
    let mut report = crate::pipeline(&settings);
    let mut github = args.github.clone();
    github.approval = Some(settings.approval.clone());
    // `run` makes the annotations; `--format github` would print them a second time.
    if args.format == Format::Github {
        github.no_annotations = true;
    }
    let annotations = match crate::github::run(&mut report, &github, &settings.options.settings) {
        Ok(annotations) => annotations,
        Err(failed) => {
            // Fail closed: whatever GitHub-side step failed, the check does not pass.
            report.notes.push(format!("github: {}", failed.reason));
            report.github_failed = true;
            failed.annotations
        }
    };
    print_out(&annotations);
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
fn hook(files: &[PathBuf], config: &crate::config::ConfigArgs, registry: Registry) -> ExitCode {
    match crate::hook::check_with(files, config, registry) {
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
