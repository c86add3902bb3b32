//! Loaders: every input becomes a [`Model`](guard_policies::Model).
//!
//! - [`plan`]: `terraform show -json` output.
//! - [`hcl`]: Terraform modules and Terragrunt units, evaluated statically.

pub mod hcl;
pub mod inputs;
pub mod plan;
pub mod shape;

use crate::error::InputError;
use crate::source::SourceMap;
use guard_policies::Model;

/// Whether a source of `len` bytes is too large to check: an [`Origin`](guard_policies::Origin)
/// addresses text with 32-bit offsets, so a file over 4 GiB could not point at its own lines.
pub fn too_large(len: u64) -> bool {
    u32::try_from(len).is_err()
}

/// The input error for a source file over 4 GiB (see [`too_large`]).
pub fn too_large_error(name: &str) -> InputError {
    InputError::new(
        name,
        "file is larger than 4 GiB: guard reads source files up to 4 GiB (split it into smaller files)",
    )
}

/// What a loader produced from some inputs. Errors do not stop other inputs from loading.
/// `Debug` shows counts: the models and sources hold secrets not yet classified.
#[derive(Default)]
pub struct Loaded {
    pub models: Vec<Model>,
    pub sources: SourceMap,
    pub errors: Vec<InputError>,
    /// Things that were not checked but are not errors (a registry module that was never
    /// downloaded): reported, and they do not change the exit code.
    pub warnings: Vec<InputError>,
    /// Strings that must never appear in any output (sensitive values known to the loader).
    pub secrets: crate::redact::SecretSet,
    /// Input directories in which the source loader found no Terraform or Terragrunt file
    /// (after `include`/`exclude`); an input error unless plans were found there.
    pub found_nothing: Vec<std::path::PathBuf>,
}

impl Loaded {
    pub fn merge(&mut self, other: Loaded) {
        self.models.extend(other.models);
        self.sources.extend(other.sources);
        self.errors.extend(other.errors);
        self.warnings.extend(other.warnings);
        self.secrets.extend(other.secrets);
        self.found_nothing.extend(other.found_nothing);
    }
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("models", &self.models.len())
            .field("sources", &self.sources)
            .field("errors", &self.errors)
            .field("warnings", &self.warnings)
            .field("secrets", &self.secrets)
            .field("found_nothing", &self.found_nothing)
            .finish()
    }
}
