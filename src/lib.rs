//! guard: an infrastructure-as-code policy guard for Terraform, Terragrunt and plan JSON.
//!
//! The library behind the `guard` binary: discover and load inputs into the model, run the
//! policies of [`guard_policies`], and render reports. The command itself is [`cli`]; `main.rs`
//! only calls [`cli::main`].

pub mod address;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod engine;
pub mod error;
pub mod github;
pub mod group;
pub mod hook;
pub mod load;
pub mod plan_source;
pub mod redact;
pub mod report;
pub mod settings;
pub mod source;
pub mod stages;
pub mod summary;
pub mod suppress;
pub mod testing;
pub mod triage;
pub mod two_person;

use crate::error::InputError;
use crate::load::hcl::HclOptions;
use crate::load::Loaded;
use crate::redact::Tripwire;
use crate::report::{Report, ReportedFinding};
use crate::stages::{Checked, SensitiveSpans, Triaged};
use guard_policies::{Finding, Model, Policy, Settings, Severity};
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Everything a run needs besides the inputs.
#[derive(Debug, Clone)]
pub struct Options {
    pub settings: Settings,
    /// Findings at or above this severity block (exit 1).
    pub fail_on: Severity,
    /// Policy codes or names to run; empty = all.
    pub select: Vec<String>,
    /// Policy codes or names not to run.
    pub ignore: Vec<String>,
    pub hcl: HclOptions,
    /// `[severity]` in `guard.toml`: a severity per policy code, replacing the policy's own.
    pub severity_overrides: std::collections::BTreeMap<String, Severity>,
    /// `--allow-empty`: a path with nothing to check is not an input error.
    pub allow_empty: bool,
    /// Look for plan JSON files inside directories (off for the pre-commit hook, which checks
    /// source).
    pub plans_in_directories: bool,
    /// Every policy this run knows: the binary's ([`cli::main_with`]) and the `[[rules]]` of
    /// `guard.toml`. Selection, suppressions and reports look policies up here.
    pub registry: guard_policies::Registry,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            settings: Settings::default(),
            fail_on: Severity::High,
            select: Vec::new(),
            ignore: Vec::new(),
            hcl: HclOptions::default(),
            severity_overrides: std::collections::BTreeMap::new(),
            allow_empty: false,
            plans_in_directories: true,
            registry: guard_policies::Registry::builtin(),
        }
    }
}

/// True for paths guard reads as a plan by their name: `.json` files that are not `.tf.json`,
/// `.tofu.json` or `.tfvars.json`. Other inputs are told apart by content (see
/// [`load::inputs`]).
pub fn is_plan_path(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    path.is_file()
        && name.ends_with(".json")
        && !name.ends_with(".tf.json")
        && !name.ends_with(".tofu.json")
        && !name.ends_with(".tfvars.json")
}

/// See [`two_person::protect`].
pub use two_person::protect as protect_two_person_rule;

/// In a pull-request check, `guard.toml` suppressions of DEL001 do not apply (see
/// [`two_person::unsuppress`]); the note that says so, if any were undone, is added.
pub fn unsuppress_two_person_rule(mut triaged: Triaged) -> Triaged {
    let undone = two_person::unsuppress(&mut triaged.findings);
    triaged.with_notes(undone)
}

/// The policies selected by `select` and `ignore`, in registry order. Without `select`, the
/// opt-in policies ([`guard_policies::OPT_IN`]) stay off; `select = ["all"]` runs every policy.
pub fn selected_policies(options: &Options) -> Vec<&'static Policy> {
    let matches = |p: &Policy, list: &[String]| {
        list.iter()
            .any(|s| s.eq_ignore_ascii_case(p.code) || s.eq_ignore_ascii_case(p.name))
    };
    let all = options.select.iter().any(|s| s.eq_ignore_ascii_case("all"));
    options
        .registry
        .iter()
        .filter(|p| {
            if all {
                true
            } else if options.select.is_empty() {
                !guard_policies::OPT_IN.contains(&p.code)
            } else {
                matches(p, &options.select)
            }
        })
        .filter(|p| !matches(p, &options.ignore))
        .collect()
}

/// Loads the plan files among `paths`, in parallel; one bad file does not stop the others.
pub fn load_plans(paths: &[PathBuf]) -> Loaded {
    let results: Vec<Result<load::plan::LoadedPlan, InputError>> = paths
        .par_iter()
        .map(|path| {
            let name = display_path(path);
            let bytes = std::fs::read(path).map_err(|e| {
                InputError::new(&name, format!("cannot read file: {}", io_reason(&e)))
            })?;
            load_plan_bytes(&name, &bytes)
        })
        .collect();
    collect_plans(results)
}

/// Reads one plan's bytes, turning a panic into an input error naming the file.
fn load_plan_bytes(name: &str, bytes: &[u8]) -> Result<load::plan::LoadedPlan, InputError> {
    catch_unwind(AssertUnwindSafe(|| load::plan::load_plan(name, bytes))).unwrap_or_else(|_| {
        Err(InputError::new(
            name,
            "internal error while reading this plan (a bug in guard; please report it)",
        ))
    })
}

fn collect_plans(results: Vec<Result<load::plan::LoadedPlan, InputError>>) -> Loaded {
    let mut loaded = Loaded::default();
    for result in results {
        match result {
            Ok(plan) => {
                loaded.secrets.extend(plan.secrets);
                loaded.models.push(plan.model);
            }
            Err(e) => loaded.errors.push(e),
        }
    }
    loaded
}

/// A path as shown in reports: relative when it was given relative, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// The part of an I/O error worth showing (never file content).
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Loads every input: plans (named `.json`, found by shape in directories, or read from stdin
/// with `-`) as plans, everything else as Terraform/Terragrunt source. A path with nothing to
/// check is an input error unless `allow_empty` is set.
pub fn load_inputs(paths: &[PathBuf], options: &Options) -> Loaded {
    let found = load::inputs::classify(paths, options);
    let plans: Vec<Result<load::plan::LoadedPlan, InputError>> = found
        .plans
        .par_iter()
        .map(|plan| load_plan_bytes(&plan.name, &plan.bytes))
        .collect();
    let mut loaded = collect_plans(plans);
    loaded.errors.extend(found.errors);
    loaded.warnings.extend(found.warnings);
    if !found.sources.is_empty() {
        loaded.merge(load::hcl::load(&found.sources, &options.hcl));
    }
    let searched_in_vain: Vec<PathBuf> = std::mem::take(&mut loaded.found_nothing)
        .into_iter()
        .filter(|dir| !found.dirs_with_plans.contains(dir))
        .collect();
    if !options.allow_empty {
        for dir in searched_in_vain {
            loaded
                .errors
                .push(load::inputs::nothing_to_check(&dir, &options.hcl));
        }
    }
    // A misspelt `--var` would leave the variable at its default without a word; Terraform
    // refuses a value for an undeclared variable, and so does guard (the value is not shown).
    let modules: Vec<&guard_policies::Model> = loaded
        .models
        .iter()
        .filter(|m| m.plan().is_none())
        .collect();
    if !modules.is_empty() {
        for (name, _) in &options.hcl.vars {
            let declared = modules.iter().any(|m| {
                m.variables()
                    .iter()
                    .any(|v| v.module.is_empty() && v.name == *name)
            });
            if !declared {
                loaded.errors.push(InputError::new(
                    "--var",
                    format!("no root module declares a variable `{name}`; its value is not used (Terraform refuses it too)"),
                ));
            }
        }
    }
    loaded
}

/// The check stage: runs the selected policies over loaded models and applies the severity
/// overrides of `guard.toml` (only here).
pub fn check(loaded: Loaded, options: &Options) -> Checked {
    let policies = selected_policies(options);
    let engine = engine::Engine::new(&policies, &options.settings);
    let Loaded {
        mut models,
        sources,
        mut errors,
        mut warnings,
        mut secrets,
        ..
    } = loaded;
    // Which values are secrets is decided once, before any message is built.
    let classified: Vec<guard_policies::Classified> = models
        .par_iter_mut()
        .map(guard_policies::classify)
        .collect();
    let mut spans = Vec::new();
    for c in classified {
        secrets.extend(c.strings);
        spans.extend(c.spans);
    }

    let per_model: Vec<Result<Vec<(Finding, &str)>, InputError>> = models
        .par_iter()
        .map(|model| {
            let name: &str = model.name();
            catch_unwind(AssertUnwindSafe(|| {
                engine.check(model).into_iter().map(|f| (f, name)).collect()
            }))
            .map_err(|_| {
                InputError::new(
                    model.name().to_string(),
                    "internal error while checking this input (a bug in guard; please report it)",
                )
            })
        })
        .collect();
    let mut findings = Vec::new();
    for result in per_model {
        match result {
            Ok(f) => findings.extend(f.into_iter().map(|(mut finding, name)| {
                if let Some(severity) = options.severity_overrides.get(finding.code) {
                    finding.severity = *severity;
                }
                sources.anchor_generated(&mut finding);
                (finding, name)
            })),
            Err(e) => errors.push(e),
        }
    }
    let plans = models
        .iter()
        .filter(|m| m.plan().is_some())
        .map(|m| summary::summarize(m, &options.settings.privileged))
        .collect();
    for e in errors.iter_mut().chain(warnings.iter_mut()) {
        sources.anchor_generated_error(e);
    }
    errors.sort();
    errors.dedup();
    warnings.sort();
    warnings.dedup();
    let checked = Checked {
        findings: findings
            .into_iter()
            .map(|(finding, name)| ReportedFinding::new(finding, name, options.fail_on))
            .collect(),
        errors,
        input_warnings: warnings,
        plans,
        sources,
        fail_on: options.fail_on,
        tripwire: Tripwire::new(secrets),
        sensitive_spans: SensitiveSpans::new(spans),
        scanned: models_summary(&models),
        registry: options.registry.clone(),
    };
    // Freeing a 100k-resource model takes about as long as checking it, and nothing needs it
    // any more: let another thread do it while the report is rendered.
    if models.iter().map(|m| m.resources().len()).sum::<usize>() > 10_000 {
        std::thread::spawn(move || drop(models));
    }
    checked
}

fn models_summary(models: &[Model]) -> stages::Scanned {
    stages::Scanned {
        plans: models.iter().filter(|m| m.plan().is_some()).count(),
        modules: models.iter().filter(|m| m.plan().is_none()).count(),
        resources: models.iter().map(|m| m.resources().len()).sum(),
    }
}

/// Loads and checks in one call, and reports the findings as they are (no suppressions).
pub fn run(paths: &[PathBuf], options: &Options) -> Report {
    Report::build(checked(paths, options).untriaged())
}

/// Loads and checks in one call.
pub fn checked(paths: &[PathBuf], options: &Options) -> Checked {
    check(load_inputs(paths, options), options)
}

/// What `guard check` and `guard hook` both do before the report, each stage a function of the
/// one before, in one direction:
///
/// | stage | function | output |
/// |---|---|---|
/// | load | [`load_inputs`] | [`load::Loaded`]: models, sources, secrets, input errors |
/// | check | [`check`] | [`Checked`]: findings (severity overrides applied here only) |
/// | suppress | [`suppress::apply`] | [`Triaged`]: inline, `guard.toml` and peer suppressions, GRD findings |
/// | group | [`group::group`] | [`Triaged`]: repeated findings merged |
/// | two-person | [`unsuppress_two_person_rule`] | [`Triaged`]: in a pull-request check, DEL001 suppressions undone |
///
/// The caller then maps plan findings to source and applies a baseline ([`cli`]), runs the
/// approval check ([`github::run`], which builds the [`Report`]) or builds it
/// ([`Report::build`]), and renders it ([`report::write`]) to its sinks.
pub fn pipeline(settings: &settings::Resolved) -> Triaged {
    let options = &settings.options;
    let loaded = load_inputs(&settings.paths, options);
    let checked = check(loaded, options);
    let triaged = suppress::apply(checked, &settings.config, options);
    let triaged = group::group(triaged);
    if settings.is_pull_request() {
        unsuppress_two_person_rule(triaged.with_notes(settings.notes.iter().cloned()))
    } else {
        triaged
    }
}
