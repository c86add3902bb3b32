//! The one integration-test binary (ripgrep's layout): one module per area, so a change relinks one
//! executable instead of twenty-two.

// Tests print what failed; their helper modules are shared with `pub`.
#![allow(clippy::print_stdout, clippy::print_stderr, unreachable_pub)]

mod adoption;
mod architecture;
mod cli;
mod co_authors;
mod companions;
mod config_file;
mod custom_rules_cli;
mod declarative_rules;
mod determinism;
mod fail_closed;
mod fuzz_regressions;
mod github_approval;
mod github_comment;
mod github_support;
mod hcl_fixtures;
mod hcl_plan_equivalence;
mod hook_run;
mod hostile_inputs;
mod markdown_comment;
mod new_policy;
mod plan_loading;
mod policy_docs;
mod policy_fixtures;
mod policy_parity;
mod policy_settings;
mod policy_style;
mod precision;
mod privileged_list;
mod redaction;
mod report_formats;
mod sandbox;
mod secrets_property;
mod suppress_config;
mod suppress_inline;
mod trusted_config;
mod two_person_rule;
mod workflow_commands;
