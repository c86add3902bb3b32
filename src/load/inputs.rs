//! What each path on the command line is: a plan, Terraform/Terragrunt source, a directory of
//! either, or a mistake that must not pass silently.
//!
//! Plans are recognised by content, not only by name: `-` (stdin), `/dev/stdin` and process
//! substitution (`<(terraform show -json tfplan)`) are pipes with no extension; a directory is
//! searched at any depth for JSON files shaped like a plan (every unit's `tfplan.json` of a
//! Terragrunt run-all), whether or not `.gitignore` lists them, since generated plans usually are.
//! A binary plan (a zip) or a state file is an input error with the command that makes a plan
//! JSON, and a plan named `.tf.json` is checked as the plan it is, with a warning, instead of
//! being read as configuration.

use super::hcl::{normalize, HclOptions};
use super::shape::{is_plan, shape, Shape};
use crate::error::InputError;
use crate::Options;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The name shown for a plan read from standard input (`guard -`).
pub const STDIN_NAME: &str = "<stdin>";

/// A plan's bytes, read once, and the name shown in messages.
pub struct PlanInput {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The inputs sorted out: plans to parse, paths for the source loader, and early errors.
#[derive(Default)]
pub struct Classified {
    pub plans: Vec<PlanInput>,
    /// Directories and Terraform/Terragrunt files, for [`super::hcl::load`].
    pub sources: Vec<PathBuf>,
    pub errors: Vec<InputError>,
    pub warnings: Vec<InputError>,
    /// Input directories (normalised) in which at least one plan was found.
    pub dirs_with_plans: HashSet<PathBuf>,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Files read as Terraform or Terragrunt source by their name.
fn is_source_name(name: &str) -> bool {
    [
        ".tf",
        ".tofu",
        ".tfvars",
        ".hcl",
        ".tfvars.json",
        ".hcl.json",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
}

/// Configuration in JSON syntax, which may also be a plan somebody named so.
fn is_json_config_name(name: &str) -> bool {
    name.ends_with(".tf.json") || name.ends_with(".tofu.json")
}

/// The error for a binary plan, with the command that converts it.
fn binary_plan(name: &str) -> InputError {
    let file = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('<'))
        .unwrap_or_else(|| "tfplan".to_string());
    InputError::new(
        name,
        format!(
            "a binary Terraform plan; guard reads its JSON form: `terraform show -json {file} > plan.json`, then `guard plan.json`"
        ),
    )
}

fn state(name: &str) -> InputError {
    InputError::new(
        name,
        "a Terraform state, not a plan; guard checks what a plan changes: `terraform plan -out=tfplan && terraform show -json tfplan > plan.json`, then `guard plan.json`",
    )
}

/// `hashicorp/setup-terraform` with its wrapper on prints `[command]...` before the JSON.
fn is_wrapped_plan(bytes: &[u8]) -> bool {
    bytes.starts_with(b"[command]")
}

fn wrapped_plan(name: &str) -> InputError {
    InputError::new(
        name,
        "the output of the setup-terraform wrapper (`[command]...` before the JSON), not a plan: set `terraform_wrapper: false` on hashicorp/setup-terraform, then `terraform show -json tfplan > plan.json`",
    )
}

fn misnamed_plan(name: &str) -> InputError {
    InputError::new(
        name,
        "a plan (`terraform show -json` output) named like JSON configuration: checked as a plan; Terraform would fail to read this directory, so name it `.json` only",
    )
}

/// Sorts `paths` into plans, source and errors.
pub fn classify(paths: &[PathBuf], options: &Options) -> Classified {
    let mut out = Classified::default();
    let mut read_stdin = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if read_stdin {
                out.errors.push(InputError::new(
                    STDIN_NAME,
                    "`-` given twice; standard input can be read only once",
                ));
                continue;
            }
            read_stdin = true;
            let mut bytes = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut bytes) {
                Ok(_) => out.file_bytes(STDIN_NAME, bytes),
                Err(e) => out.errors.push(InputError::new(
                    STDIN_NAME,
                    format!("cannot read standard input: {}", crate::io_reason(&e)),
                )),
            }
            continue;
        }
        let name = crate::display_path(path);
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(InputError::new(
                    &name,
                    format!("cannot read: {}", crate::io_reason(&e)),
                ));
                continue;
            }
        };
        if meta.is_dir() {
            out.sources.push(path.clone());
            if options.plans_in_directories {
                out.plans_under(path, &options.hcl);
            }
            continue;
        }
        let file = file_name(path);
        if is_source_name(&file) {
            out.sources.push(path.clone());
            continue;
        }
        // Anything else is read and told apart by content: pipes (`/dev/stdin`, `/dev/fd/63`)
        // have no useful name, and a plan may be called `tfplan.out`.
        match std::fs::read(path) {
            Ok(bytes) => {
                if is_json_config_name(&file) && !is_plan(&bytes) {
                    out.sources.push(path.clone());
                } else {
                    out.file_bytes(&name, bytes);
                }
            }
            Err(e) => out.errors.push(InputError::new(
                &name,
                format!("cannot read file: {}", crate::io_reason(&e)),
            )),
        }
    }
    out
}

impl Classified {
    /// A file given by path or piped in, not named like source: a plan, or an error saying what
    /// it is instead.
    fn file_bytes(&mut self, name: &str, bytes: Vec<u8>) {
        if is_wrapped_plan(&bytes) {
            self.errors.push(wrapped_plan(name));
            return;
        }
        match shape(&bytes) {
            Shape::BinaryPlan => self.errors.push(binary_plan(name)),
            Shape::State => self.errors.push(state(name)),
            Shape::Plan | Shape::OtherJson => {
                if is_json_config_name(name) {
                    self.warnings.push(misnamed_plan(name));
                }
                self.plans.push(PlanInput {
                    name: name.to_string(),
                    bytes,
                });
            }
            Shape::Other if name.ends_with(".json") || name == STDIN_NAME => {
                // The plan reader says what is wrong (empty, not JSON, where the syntax breaks).
                self.plans.push(PlanInput {
                    name: name.to_string(),
                    bytes,
                })
            }
            Shape::Other if name.ends_with(".tfstate") || name.ends_with(".tfstate.backup") => {
                self.errors.push(state(name))
            }
            Shape::Other => self.errors.push(InputError::new(
                name,
                "not a Terraform, Terragrunt or plan file (expected .tf, .tf.json, .tofu, .tfvars, terragrunt.hcl, or the output of `terraform show -json PLANFILE`)",
            )),
        }
    }

    /// Plan JSON files at any depth under `dir`, by shape.
    fn plans_under(&mut self, dir: &Path, opts: &HclOptions) {
        let include = super::hcl::build_globs(&opts.include);
        let exclude = super::hcl::build_globs(&opts.exclude);
        let walker = ignore::WalkBuilder::new(dir)
            .standard_filters(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.depth() > 0
                    && matches!(
                        n.as_ref(),
                        ".terraform"
                            | ".terragrunt-cache"
                            | ".git"
                            | ".terragrunt-stack"
                            | "node_modules"
                    ))
            })
            .build();
        let root = normalize(dir);
        for entry in walker.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let name = file_name(entry.path());
            if !name.ends_with(".json") || name.ends_with(".tfvars.json") {
                continue;
            }
            let path = normalize(entry.path());
            let rel = path.strip_prefix(&root).unwrap_or(&path);
            if include.as_ref().is_some_and(|g| !g.is_match(rel))
                || exclude.as_ref().is_some_and(|g| g.is_match(rel))
            {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let shown = crate::display_path(&path);
            if is_wrapped_plan(&bytes) {
                // Meant as a plan; checking nothing here would pass silently.
                self.errors.push(wrapped_plan(&shown));
                self.dirs_with_plans.insert(root.clone());
                continue;
            }
            if !is_plan(&bytes) {
                continue;
            }
            if is_json_config_name(&name) {
                self.warnings.push(misnamed_plan(&shown));
            }
            self.plans.push(PlanInput { name: shown, bytes });
            self.dirs_with_plans.insert(root.clone());
        }
    }
}

/// The error for a directory with nothing guard can check.
pub fn nothing_to_check(dir: &Path, opts: &HclOptions) -> InputError {
    let mut message = "nothing to check: no Terraform (.tf, .tf.json, .tofu), Terragrunt (terragrunt.hcl) or plan JSON file here".to_string();
    if !opts.include.is_empty() {
        message.push_str(&format!(
            " matching the include globs ({})",
            opts.include.join(", ")
        ));
    }
    if !opts.exclude.is_empty() {
        message.push_str(&format!(
            " outside the exclude globs ({})",
            opts.exclude.join(", ")
        ));
    }
    message.push_str("; pass --allow-empty if that is expected");
    InputError::new(crate::display_path(dir), message)
}
