//! `acme-guard`: guard with ACME's policies, first-class (selectable, configurable in
//! `guard.toml`, suppressible, in `guard policies`, `explain`, SARIF and the PR comment).

use guard_policies::Registry;
use std::process::ExitCode;

fn main() -> ExitCode {
    guard::cli::main_with(Registry::builtin().with(acme_guard::policies()))
}
