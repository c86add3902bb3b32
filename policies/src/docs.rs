//! The policy reference pages in `policies/docs/`, generated from the policies themselves.
//!
//! Each page is the policy's doc comment under a header with its code, name, severity, inputs
//! and resource types; `README.md` is the index. A test in the `guard` crate fails when the
//! checked-in pages differ from what this module renders (`UPDATE_DOCS=1` rewrites them), so the
//! documentation cannot drift from `guard explain`.

use crate::{Inputs, Policy};

/// `NET001-public-egress.md`.
pub fn page_file_name(policy: &Policy) -> String {
    format!("{}-{}.md", policy.code, policy.name)
}

fn inputs(policy: &Policy) -> &'static str {
    match policy.inputs {
        Inputs::Both => "Terraform and Terragrunt source, plans",
        Inputs::HclOnly => "Terraform and Terragrunt source",
        Inputs::PlanOnly => "plans",
    }
}

/// One policy's page.
pub fn render_page(policy: &Policy) -> String {
    let types = policy.resource_types();
    let types = if types.is_empty() {
        "any".to_string()
    } else {
        types
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "<!-- Generated from policies/src by `UPDATE_DOCS=1 cargo test --test it policy_docs`; do not edit. -->\n\
         # {code} {name}\n\n\
         | | |\n|---|---|\n\
         | Severity | {severity} |\n\
         | Inputs | {inputs} |\n\
         | Resource types | {types} |\n\n\
         {doc}",
        code = policy.code,
        name = policy.name,
        severity = policy.severity,
        inputs = inputs(policy),
        doc = policy.doc(),
    )
}

/// The index of every built-in policy.
pub fn render_index() -> String {
    render_index_of(&crate::Registry::builtin())
}

/// The index of every policy of `registry`.
pub fn render_index_of(registry: &crate::Registry) -> String {
    let mut out = String::from(
        "<!-- Generated from policies/src by `UPDATE_DOCS=1 cargo test --test it policy_docs`; do not edit. -->\n\
         # guard policies\n\n\
         Every policy, in code order. `guard explain CODE` prints the same pages.\n\n\
         | Code | Name | Severity | Inputs | Checks |\n|---|---|---|---|---|\n",
    );
    for policy in registry {
        out.push_str(&format!(
            "| {code} | [{name}]({file}) | {severity} | {inputs} | {summary} |\n",
            code = policy.code,
            name = policy.name,
            file = page_file_name(policy),
            severity = policy.severity,
            inputs = inputs(policy),
            summary = policy.summary().replace('|', "\\|"),
        ));
    }
    out
}

/// Every generated file of the built-in policies: `(file name, content)`, the index first.
pub fn render_all() -> Vec<(String, String)> {
    render_all_of(&crate::Registry::builtin())
}

/// Every generated file of `registry`'s policies: `(file name, content)`, the index first.
pub fn render_all_of(registry: &crate::Registry) -> Vec<(String, String)> {
    let mut files = vec![("README.md".to_string(), render_index_of(registry))];
    files.extend(registry.iter().map(|p| (page_file_name(p), render_page(p))));
    files
}
