//! Terraform and Terragrunt source, evaluated statically (see issue "Read Terraform and Terragrunt").

use super::Loaded;
use crate::error::InputError;
use std::path::PathBuf;

/// Options for reading HCL input.
#[derive(Debug, Clone, Default)]
pub struct HclOptions {
    /// `--var-file` paths, in order.
    pub var_files: Vec<PathBuf>,
    /// `--var k=v`, in order.
    pub vars: Vec<(String, String)>,
    /// Read `TF_VAR_*` from the environment.
    pub env_vars: bool,
    /// `--include` / `--exclude` globs.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// Loads every Terraform module and Terragrunt unit found under `paths`.
pub fn load(paths: &[PathBuf], _options: &HclOptions) -> Loaded {
    let mut loaded = Loaded::default();
    for path in paths {
        loaded.errors.push(InputError::new(
            path.display().to_string(),
            "reading Terraform source is not supported yet; pass a plan JSON file",
        ));
    }
    loaded
}
