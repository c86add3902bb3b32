//! guard's model and built-in policies.
//!
//! Every input (Terraform, Terragrunt, plan JSON) becomes one [`Model`]; policies read only the
//! model. This crate depends on no parser, reporter or network code, and Cargo keeps it that way.

pub mod classify;
pub mod companion;
pub mod model;
pub mod policy;
pub mod privileged;
pub mod registry;
pub mod rules;
pub mod secret_patterns;
pub mod secret_prints;
pub mod store;
pub mod value;

// `declare_policy!` names `toml` through `$crate`, so a crate of policies need not depend on it.
#[doc(hidden)]
pub use toml;

pub mod docs;

pub mod availability;
pub mod compute;
pub mod deletion;
pub mod drift;
pub mod encryption;
pub mod iam;
pub mod logging;
pub mod meta;
pub mod network;
pub mod secrets;
pub mod storage;
pub mod supply_chain;

pub use classify::{classify, Classified};
pub use model::*;
pub use policy::{Check, Context, Finding, Inputs, Policy, ResourceCheck, Settings, Severity};
pub use privileged::{PrivilegeClass, Privileged, PrivilegedConfig};
pub use registry::Registry;
pub use store::{Builder, Root, Start, Store, Stored, Sym};
pub use value::{
    display_safe, FileId, Items, Kind, ListRef, Members, ObjectRef, Origin, OriginKind, Tri, Value,
    ValueKind, ValueRef,
};

/// Policies that run only when selected by code or name (`--select DEL004`, `select` in
/// `guard.toml`, or `--select all`): they ask for hardening rather than stop a change that
/// breaks something, and on real code they outnumbered every other finding (issue 13).
pub const OPT_IN: &[&str] = &["DEL004", "ENC004"];

/// Every built-in policy, in code order.
pub fn registry() -> &'static [&'static Policy] {
    static ALL: &[&Policy] = &[
        &availability::single_zone::SINGLE_ZONE,
        &availability::backups_disabled::BACKUPS_DISABLED,
        &compute::instance_metadata_v1::INSTANCE_METADATA_V1,
        &deletion::privileged_deletion_unapproved::PRIVILEGED_DELETION_UNAPPROVED,
        &deletion::deletion_protection_disabled::DELETION_PROTECTION_DISABLED,
        &deletion::mass_deletion::MASS_DELETION,
        &deletion::privileged_resource_unprotected::PRIVILEGED_RESOURCE_UNPROTECTED,
        &drift::drift_detected::DRIFT_DETECTED,
        &drift::certificate_change::CERTIFICATE_CHANGE,
        &encryption::unencrypted_storage::UNENCRYPTED_STORAGE,
        &encryption::plaintext_transport::PLAINTEXT_TRANSPORT,
        &encryption::kms_rotation_disabled::KMS_ROTATION_DISABLED,
        &encryption::customer_managed_key::CUSTOMER_MANAGED_KEY,
        &iam::admin_wildcard::IAM_ADMIN_WILDCARD,
        &iam::public_principal::PUBLIC_PRINCIPAL,
        &logging::audit_trail_incomplete::AUDIT_TRAIL_INCOMPLETE,
        &logging::flow_logs_missing::FLOW_LOGS_MISSING,
        &logging::access_logs_disabled::ACCESS_LOGS_DISABLED,
        &network::public_egress::PUBLIC_EGRESS,
        &network::public_ingress::PUBLIC_INGRESS,
        &network::public_ip_assigned::PUBLIC_IP_ASSIGNED,
        &network::waf_missing::WAF_MISSING,
        &network::public_service_endpoint::PUBLIC_SERVICE_ENDPOINT,
        &secrets::hardcoded_secret::HARDCODED_SECRET,
        &secrets::sensitive_output_exposed::SENSITIVE_OUTPUT_EXPOSED,
        &storage::public_storage::PUBLIC_STORAGE,
        &supply_chain::unpinned_source::UNPINNED_SOURCE,
        &meta::unused_suppression::UNUSED_SUPPRESSION,
        &meta::invalid_suppression::INVALID_SUPPRESSION,
        &meta::expired_suppression::EXPIRED_SUPPRESSION,
    ];
    ALL
}

/// Finds a policy by code (`NET001`) or name (`public-egress`), case-insensitively.
pub fn find_policy(code_or_name: &str) -> Option<&'static Policy> {
    registry().iter().copied().find(|p| {
        p.code.eq_ignore_ascii_case(code_or_name) || p.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// The file `scripts/new-policy` copies for a new policy, compiled here so that it keeps up with
/// the API it is written against.
#[cfg(test)]
#[path = "../../scripts/policy-template/policy.rs"]
#[allow(unreachable_pub)] // `pub static`, as in a registered policy
mod policy_template;

#[cfg(test)]
mod policy_template_tests {
    #[test]
    fn the_new_policy_template_compiles_and_documents_the_five_sections() {
        let p = &super::policy_template::NEW_POLICY_TEMPLATE;
        assert_eq!((p.code, p.name), ("XXX999", "new-policy-template"));
        let doc = p.doc();
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## Use instead",
            "## References",
        ] {
            assert!(doc.contains(section), "{section}");
        }
    }
}
