//! The `guard` command: parse arguments, call the library, write the outcome and map it to an
//! exit code. `src/main.rs` only calls [`main`]; everything a user sees on stdout and stderr is
//! written from here ([`sink`]).

pub mod args;
pub mod progress;
pub mod sink;

use crate::report::{Format, Outcome, RenderOptions};
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
        Some(Command::Hook(args)) => hook(&args, registry),
        Some(Command::Completions { shell }) => completions(shell),
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
    let snippet = crate::report::diagnostic::snippet(e);
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
    if args.statistics && args.format != Format::Human {
        print_err("error: --statistics prints a table; it applies to --format human only\n");
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
    if let Err(message) =
        args::validate_policies(&args.select, &args.ignore, &settings.options.registry)
    {
        print_err(&format!("error: {message}\n"));
        return ExitCode::from(Outcome::InputError as u8);
    }
    if args.show_settings {
        print_out(&settings_text(&settings.config, &settings.options, &args));
        return ExitCode::SUCCESS;
    }
    // In a pull-request check guard.toml comes from the change under review, which could name a
    // baseline that lists its own new findings: there only the workflow's `--baseline` counts.
    let ignored_baseline =
        args.baseline.is_none() && settings.is_pull_request() && settings.config.baseline.is_some();
    let baseline_file = args.baseline.clone().or_else(|| {
        if settings.is_pull_request() {
            None
        } else {
            settings.config.baseline.clone()
        }
    });
    let baseline = match (&args.write_baseline, &baseline_file) {
        (None, Some(file)) => match crate::baseline::Baseline::read(file) {
            Ok(b) => Some((b, crate::display_path(file))),
            Err(e) => {
                print_err(&crate::github::escape_command_lines(&format!(
                    "error: {e}\n"
                )));
                return ExitCode::from(Outcome::InputError as u8);
            }
        },
        _ => None,
    };

    let progress = progress::Progress::start("guard: checking");
    // load → check → suppress → group → two-person (crate::pipeline), then the plan-source and
    // baseline stages, the approval stage and the report stage (crate::github::run), then the
    // sinks: every stage hands its value on and never sees it again.
    let mut triaged = crate::pipeline(&settings);
    if ignored_baseline {
        triaged.notes.push(
            "the `baseline` in guard.toml is ignored in a pull-request check (the pull request could \
             add its own findings to it): pass `--baseline` with the base branch's file"
                .to_string(),
        );
    }
    let mut triaged = crate::plan_source::map_plan_findings(triaged, args.source.as_deref());
    progress.finish();
    if let Some(file) = &args.write_baseline {
        // A partial run would record a partial baseline: with input errors, nothing is written.
        if !triaged.errors.is_empty() {
            triaged.notes.push(format!(
                "baseline not written to {}: fix the input errors first",
                crate::display_path(file)
            ));
        } else {
            let written = crate::baseline::from_report(&triaged);
            if let Err(e) = std::fs::write(file, written.to_json()) {
                print_err(&format!(
                    "error: cannot write {}: {}\n",
                    crate::display_path(file),
                    crate::io_reason(&e)
                ));
                return ExitCode::from(Outcome::InputError as u8);
            }
            let findings: usize = written.findings.iter().map(|e| e.count).sum();
            print_err(&format!(
                "guard: wrote {} ({} entr{}, {findings} finding{})\n",
                crate::display_path(file),
                written.findings.len(),
                if written.findings.len() == 1 {
                    "y"
                } else {
                    "ies"
                },
                if findings == 1 { "" } else { "s" }
            ));
            triaged = written.apply(triaged, &crate::display_path(file));
        }
    } else if let Some((baseline, name)) = &baseline {
        triaged = baseline.apply(triaged, name);
    }
    let mut github = args.github.clone();
    github.approval = Some(settings.approval.clone());
    // `run` makes the annotations; `--format github` would print them a second time.
    if args.format == Format::Github {
        github.no_annotations = true;
    }
    let run = crate::github::run(triaged, &github, &settings.options.settings);
    let report = run.report;
    print_out(&run.annotations);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => args.format == Format::Human && to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    // The runner reads workflow commands from the log: untrusted text must not be one. The
    // `github` format writes guard's own commands and escapes everything else itself.
    let escape = args.github.github && args.format != Format::Github;
    let written = sink::write_to(args.output.as_deref(), escape, |out| {
        if args.show_files {
            let files = files_text(&report, &settings.config, baseline_file.as_deref(), &args);
            out.write_all(files.as_bytes())
        } else if args.statistics {
            out.write_all(crate::report::human::render_statistics(&report).as_bytes())
        } else {
            match (args.format, args.max_bytes) {
                (Format::Markdown, Some(max)) => out.write_all(
                    crate::report::render_markdown(
                        &report,
                        usize::try_from(max).unwrap_or(usize::MAX),
                    )
                    .as_bytes(),
                ),
                (Format::Human, _) => crate::report::human::write_with(
                    &report,
                    crate::report::human::HumanOptions {
                        color,
                        show: args.show.unwrap_or_default(),
                        quiet: args.quiet,
                    },
                    out,
                ),
                (format, _) => crate::report::write(&report, format, RenderOptions { color }, out),
            }
        }
    });
    if let (Err(e), Some(path)) = (written, &args.output) {
        print_err(&format!(
            "error: cannot write {}: {}\n",
            crate::display_path(path),
            crate::io_reason(&e)
        ));
        return ExitCode::from(Outcome::InputError as u8);
    }
    // Writing to stdout fails only when the reader went away (`guard ... | head`): nothing is
    // worth saying then, and the exit code still tells the outcome.
    if let Some(path) = &args.sarif_file {
        let written = sink::write_to(Some(path), false, |out| {
            crate::report::write(&report, Format::Sarif, RenderOptions::default(), out)
        });
        if let Err(e) = written {
            print_err(&format!(
                "error: cannot write {}: {}\n",
                path.display(),
                crate::io_reason(&e)
            ));
            return ExitCode::from(Outcome::InputError as u8);
        }
    }
    let outcome = report.outcome();
    // The process ends here: freeing a big plan's report (80k findings) would take a tenth of
    // a second for nothing. Only this top level may do it; a library caller frees as usual.
    std::mem::forget(report);
    match outcome {
        Outcome::PolicyFailure if args.exit_zero => ExitCode::SUCCESS,
        outcome => ExitCode::from(outcome as u8),
    }
}

/// `--show-settings`: the configuration that applies after the file and the flags.
fn settings_text(
    config: &crate::config::Loaded,
    options: &crate::Options,
    args: &CheckArgs,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let policies: Vec<&str> = crate::selected_policies(options)
        .iter()
        .map(|p| p.code)
        .collect();
    let list = |v: &[String]| {
        if v.is_empty() {
            "(none)".to_string()
        } else {
            v.join(", ")
        }
    };
    let s = &options.settings;
    let _ = writeln!(
        out,
        "config: {}",
        config.file.as_deref().unwrap_or("(none: defaults)")
    );
    let baseline = args.baseline.as_ref().or(config.baseline.as_ref());
    let _ = writeln!(
        out,
        "baseline: {}",
        baseline
            .map(|b| crate::display_path(b))
            .unwrap_or_else(|| "(none)".to_string())
    );
    let _ = writeln!(out, "fail-on: {}", options.fail_on);
    let _ = writeln!(out, "policies: {}", policies.join(", "));
    let _ = writeln!(out, "ignore: {}", list(&options.ignore));
    let overrides: Vec<String> = options
        .severity_overrides
        .iter()
        .map(|(code, sev)| format!("{code}={sev}"))
        .collect();
    let _ = writeln!(out, "severity: {}", list(&overrides));
    let _ = writeln!(out, "include: {}", list(&options.hcl.include));
    let _ = writeln!(out, "exclude: {}", list(&options.hcl.exclude));
    let ports: Vec<String> = s.ingress_allowed_ports.iter().map(u16::to_string).collect();
    let _ = writeln!(out, "ingress-allowed-ports: {}", list(&ports));
    let _ = writeln!(
        out,
        "mass-deletion-threshold: {}",
        s.mass_deletion_threshold
    );
    let _ = writeln!(
        out,
        "strict-dynamodb-encryption: {}",
        s.strict_dynamodb_encryption
    );
    let _ = writeln!(out, "required-approvals: {}", s.required_approvals);
    let _ = writeln!(
        out,
        "suppressions: {}",
        match (config.no_ignore, config.respect_peer_ignores) {
            (true, _) => "off (--no-ignore)",
            (false, true) => "inline, guard.toml and peer comments (checkov, trivy, tfsec)",
            (false, false) => "inline and guard.toml",
        }
    );
    out
}

/// `--show-files`: every file the run read, by kind, sorted.
fn files_text(
    report: &crate::report::Report,
    config: &crate::config::Loaded,
    baseline: Option<&std::path::Path>,
    args: &CheckArgs,
) -> String {
    let mut lines: Vec<String> = Vec::new();
    if let Some(file) = &config.file {
        lines.push(format!("config    {file}"));
    }
    if let Some(file) = args.write_baseline.as_deref().or(baseline) {
        lines.push(format!("baseline  {}", crate::display_path(file)));
    }
    for var_file in &args.var_files {
        lines.push(format!("var-file  {}", crate::display_path(var_file)));
    }
    let mut plans: Vec<&str> = report.plans.iter().map(|p| p.file.as_str()).collect();
    plans.sort_unstable();
    lines.extend(plans.into_iter().map(|p| format!("plan      {p}")));
    lines.extend(report.source_files.iter().map(|p| format!("source    {p}")));
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// `guard hook FILE...`: the pre-commit entry point ([`crate::hook`]).
fn hook(args: &args::HookArgs, registry: Registry) -> ExitCode {
    // `--select`/`--ignore` may name the `[[rules]]` of the guard.toml that applies here.
    let known = match registry_here(registry.clone(), args.config.config.clone()) {
        Ok(known) => known,
        Err(code) => return code,
    };
    let checked = args::validate_policies(&args.select, &args.ignore, &known)
        .and_then(|()| args::validate_var_files(&args.var_files));
    if let Err(message) = checked {
        print_err(&format!("error: {message}\n"));
        return ExitCode::from(Outcome::InputError as u8);
    }
    let options = crate::hook::HookOptions {
        fail_on: args.fail_on,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        var_files: args.var_files.clone(),
        format: args.format,
        registry,
    };
    match crate::hook::check_with(&args.files, &args.config, &options) {
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

/// `guard completions SHELL`: the completion script on stdout.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "guard", &mut script);
    print_out(&String::from_utf8_lossy(&script));
    ExitCode::SUCCESS
}
