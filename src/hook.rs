//! `guard hook FILE...`: the pre-commit entry point.
//!
//! pre-commit passes the staged files that match the hook's `files` pattern. Terraform needs whole
//! directories (a resource in `main.tf` reads a variable in `variables.tf` and a value in
//! `terraform.tfvars`), so each file is mapped to its directory, directories inside another are
//! dropped (the loader walks down), and everything is loaded and checked in one run. When the
//! list is every matching file git tracks (`pre-commit run --all-files`), the repository is
//! scanned once from its root, so modules are evaluated with their callers.
//!
//! Output is compact (`path:line:col: CODE message`) and the exit code is 1 only for blocking
//! findings (2 for input errors, as everywhere). It never touches the network.

use crate::config::ConfigArgs;
use crate::error::InputError;
use crate::report::{render, Format, RenderOptions};
use crate::settings::{Flags, Resolved, Trust};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// File names the hook looks at (the same set as `files` in `.pre-commit-hooks.yaml`).
pub fn is_hook_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    [
        ".tf",
        ".tofu",
        ".tfvars",
        ".hcl",
        ".tf.json",
        ".tofu.json",
        ".tfvars.json",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
        && !in_cache(path)
}

/// True for paths inside `.terraform/` or `.terragrunt-cache/` (never the user's to fix).
fn in_cache(path: &Path) -> bool {
    path.components()
        .any(|c| matches!(c, Component::Normal(n) if n == ".terraform" || n == ".terragrunt-cache"))
}

/// What to load for a list of files: directories (and plan files), outermost only.
pub fn targets(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut plans: BTreeSet<PathBuf> = BTreeSet::new();
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for file in files {
        if crate::is_plan_path(file) {
            plans.insert(normalize(file));
        } else if is_hook_file(file) {
            dirs.insert(match file.parent() {
                Some(p) if !p.as_os_str().is_empty() => normalize(p),
                _ => PathBuf::from("."),
            });
        }
    }
    // The loader walks down from each directory: a directory inside another adds nothing.
    let outermost = dirs
        .iter()
        .filter(|d| {
            !dirs
                .iter()
                .any(|other| other != *d && is_ancestor(other, d))
        })
        .cloned()
        .collect::<Vec<_>>();
    outermost.into_iter().chain(plans).collect()
}

fn is_ancestor(ancestor: &Path, path: &Path) -> bool {
    if ancestor == Path::new(".") {
        return path.is_relative();
    }
    path.starts_with(ancestor)
}

/// Removes `./` and `.` components, keeping `..`; `.` for an empty result.
fn normalize(path: &Path) -> PathBuf {
    let out: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// True when `files` are all the hook files git tracks here (`pre-commit run --all-files`).
pub fn is_whole_repo(files: &[PathBuf]) -> bool {
    let Ok(output) = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
    else {
        return false;
    };
    if !output.status.success() {
        return false;
    }
    let tracked: BTreeSet<PathBuf> = output
        .stdout
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| PathBuf::from(String::from_utf8_lossy(s).into_owned()))
        .filter(|p| is_hook_file(p) && p.exists())
        .map(|p| normalize(&p))
        .collect();
    let given: BTreeSet<PathBuf> = files
        .iter()
        .filter(|p| is_hook_file(p))
        .map(|p| normalize(p))
        .collect();
    !tracked.is_empty() && tracked == given
}

/// The options people put in a pre-commit hook's `args:`; command-line values win over
/// `guard.toml`, as for `guard check`.
#[derive(Debug, Clone, Default)]
pub struct HookOptions {
    pub fail_on: Option<guard_policies::Severity>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub var_files: Vec<PathBuf>,
    /// Default: compact.
    pub format: Option<Format>,
    /// The policies of the run (the binary's; `guard.toml`'s `[[rules]]` are added).
    pub registry: guard_policies::Registry,
}

/// The hook's compact output and exit code; `Err` for a configuration error.
pub fn check(files: &[PathBuf], config_args: &ConfigArgs) -> Result<(String, u8), InputError> {
    check_with(files, config_args, &HookOptions::default())
}

/// [`check`] with the options of `args:`.
pub fn check_with(
    files: &[PathBuf],
    config_args: &ConfigArgs,
    hook: &HookOptions,
) -> Result<(String, u8), InputError> {
    let targets = if files.is_empty() {
        Vec::new()
    } else if is_whole_repo(files) {
        vec![PathBuf::from(".")]
    } else {
        targets(files)
    };
    if targets.is_empty() {
        return Ok((String::new(), 0));
    }
    let mut base = crate::Options {
        // The hook checks the source of the staged files' directories: plans lying there are
        // not what was staged, and a directory of only `.hcl` includes is not a mistake.
        plans_in_directories: false,
        allow_empty: true,
        registry: hook.registry.clone(),
        ..crate::Options::default()
    };
    base.hcl.var_files = hook.var_files.clone();
    let flags = Flags {
        fail_on: hook.fail_on,
        select: hook.select.clone(),
        ignore: hook.ignore.clone(),
    };
    let settings = Resolved::resolve(&targets, config_args, base, &flags, Trust::Local)?;
    let report = crate::report::Report::build(crate::pipeline(&settings));
    let text = render(
        &report,
        hook.format.unwrap_or(Format::Compact),
        RenderOptions::default(),
    );
    Ok((text, report.outcome() as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_map_to_outermost_directories() {
        let files: Vec<PathBuf> = [
            "modules/net/main.tf",
            "./modules/net/variables.tf",
            "live/prod/terragrunt.hcl",
            "README.md",
            "modules/net/.terraform/modules/x/main.tf",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(
            targets(&files),
            vec![PathBuf::from("live/prod"), PathBuf::from("modules/net")]
        );
        assert_eq!(
            targets(&[PathBuf::from("main.tf")]),
            vec![PathBuf::from(".")]
        );
    }
}
