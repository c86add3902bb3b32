use crate::policy::Check;
use crate::privileged::PrivilegeClass;
use crate::{declare_policy, Context, Resource};
use std::collections::{BTreeMap, HashSet};

declare_policy! {
    /// ## What it checks
    /// A privileged resource without `lifecycle { prevent_destroy = true }`, narrowed to what
    /// the incident behind it was about: what other systems depend on and cannot be recreated
    /// the same.
    ///
    /// - credentials returned only at creation (`aws_iam_access_key`,
    ///   `google_service_account_key`, `azuread_application_password`, ...);
    /// - identities that hold such credentials (`aws_iam_user`, `google_service_account`,
    ///   `azuread_application`, `azuread_service_principal`);
    /// - key material (`aws_kms_key`, `google_kms_crypto_key`, `azurerm_key_vault`, ...);
    /// - secret stores that delete without a recovery window (`google_secret_manager_secret`,
    ///   and `aws_secretsmanager_secret` with `recovery_window_in_days = 0` whose value the
    ///   module does not write itself with an `aws_secretsmanager_secret_version`);
    /// - data without a deletion guard of its own (`aws_efs_file_system`, `aws_ebs_volume`,
    ///   `aws_backup_vault`, `aws_cognito_user_pool`, `google_bigquery_dataset`, ...). Data
    ///   stores that have one (buckets, databases, tables) are DEL002's business.
    ///
    /// Roles, instance profiles, identity providers, managed identities, Kubernetes service
    /// accounts and namespaces, generated `tls_private_key`/`random_password` values and
    /// clusters are recreated the same by the next apply and are not reported; DEL001 still
    /// asks for approvals when a plan deletes them. Types and addresses added under
    /// `[privileged]` in `guard.toml` are always reported.
    ///
    /// Inside a child module, the module is the unit a person edits: one finding per module
    /// call lists every unprotected resource, at the first of them, with the others related.
    ///
    /// This policy reads source only: a plan does not carry `lifecycle`. On a plan, DEL001 catches
    /// the deletion itself.
    ///
    /// Off by default: it asks for hardening rather than stopping a change, and on real code it
    /// outnumbered every other finding. Turn it on with `--select DEL004` (or `--select all`,
    /// or `select` in `guard.toml`).
    ///
    /// ## Why it matters
    /// `prevent_destroy` makes Terraform refuse any plan that would delete or replace the
    /// resource, so the destructive change fails at plan time instead of reaching review as one
    /// line among many. For an identity or key that other systems trust by id, a replacement is
    /// an outage that cannot be rolled back.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_service_account" "api" {
    ///   account_id = "api"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "google_service_account" "api" {
    ///   account_id = "api"
    ///   lifecycle {
    ///     prevent_destroy = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy>
    pub static PRIVILEGED_RESOURCE_UNPROTECTED = {
        code: "DEL004",
        name: "privileged-resource-unprotected",
        severity: Medium,
        inputs: HclOnly,
        check: Check::Model(check),
    }
}

/// Identities that hold credentials other systems use; other identities are recreated the same.
const CREDENTIAL_IDENTITIES: &[&str] = &[
    "aws_iam_user",
    "google_service_account",
    "azuread_application",
    "azuread_application_registration",
    "azuread_service_principal",
];

/// Generated values the configuration feeds to its own resources: a new one is applied with them.
const GENERATED_CREDENTIALS: &[&str] = &["tls_private_key", "random_password"];

/// Data stores with a deletion guard of their own, which DEL002 checks.
const GUARDED_BY_DEL002: &[&str] = &[
    "aws_s3_bucket",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "google_sql_database_instance",
    "google_container_cluster",
    "google_bigquery_table",
    "google_storage_bucket",
];

/// Data that other means bring back: namespaces are declarative, a project is restorable for
/// 30 days, a storage account and a database have soft delete and point-in-time restore.
const RECOVERABLE_DATA: &[&str] = &[
    "kubernetes_namespace",
    "kubernetes_namespace_v1",
    "google_project",
    "azurerm_storage_account",
    "azurerm_mssql_database",
    "aws_eks_cluster",
];

/// Whether deleting this resource loses something that cannot be recreated the same.
/// `versioned_modules`: the module instances that set a Secrets Manager value themselves.
fn cannot_be_recreated(
    class: PrivilegeClass,
    resource: &Resource,
    versioned_modules: &HashSet<&str>,
) -> bool {
    let ty = resource.resource_type();
    match class {
        PrivilegeClass::CredentialMinting => !GENERATED_CREDENTIALS.contains(&ty),
        PrivilegeClass::Identity => CREDENTIAL_IDENTITIES.contains(&ty),
        // Every binding is in the configuration: the next apply writes the same policy back.
        PrivilegeClass::AccessControl => false,
        // An alias is a name for a key: the next apply points it at the same key again.
        PrivilegeClass::KeyMaterial => ty != "aws_kms_alias",
        PrivilegeClass::Configured => true,
        // Secrets Manager keeps a deleted secret for 7 to 30 days unless told not to, and a
        // value this configuration writes (`aws_secretsmanager_secret_version`) is written again
        // by the next apply; Key Vault soft-deletes.
        PrivilegeClass::SecretStore => match ty {
            "aws_secretsmanager_secret" => {
                resource
                    .values()
                    .get("recovery_window_in_days")
                    .as_f64()
                    .is_some_and(|days| days == 0.0)
                    && !versioned_modules.contains(resource.module())
            }
            "azurerm_key_vault_secret" => false,
            // A version's value is written by this configuration, so the next apply writes it
            // again.
            "aws_secretsmanager_secret_version" | "google_secret_manager_secret_version" => false,
            _ => true,
        },
        PrivilegeClass::IrrecoverableData => {
            !GUARDED_BY_DEL002.contains(&ty) && !RECOVERABLE_DATA.contains(&ty)
        }
    }
}

fn check(ctx: &mut Context<'_>) {
    // Child-module resources, per module call (`module.a.module.b`, keys stripped).
    let mut by_module: BTreeMap<String, Vec<(&Resource, String)>> = BTreeMap::new();
    let versioned_modules: HashSet<&str> = ctx
        .model
        .resources_of_type("aws_secretsmanager_secret_version")
        .map(|r| r.module())
        .collect();
    for resource in ctx.model.resources() {
        if !resource.will_exist() {
            continue;
        }
        let privileged = &ctx.settings.privileged;
        let Some(class) = privileged.class_of(resource.resource_type(), resource.address()) else {
            continue;
        };
        if !privileged.is_configured(resource.resource_type(), resource.address())
            && !cannot_be_recreated(class, resource, &versioned_modules)
        {
            continue;
        }
        let state = match resource.lifecycle().and_then(|l| l.prevent_destroy) {
            Some(true) => continue,
            Some(false) => "sets `prevent_destroy = false`",
            None => "has no `lifecycle { prevent_destroy = true }`",
        };
        if resource.module().is_empty() {
            ctx.report(
                resource,
                format!(
                    "privileged `{}` ({}) {state}",
                    resource.resource_type(),
                    class.describe()
                ),
            );
        } else {
            let block = format!("{}.{}", resource.resource_type(), resource.name());
            let module = resource
                .config_address()
                .strip_suffix(&block)
                .map(|m| m.trim_end_matches('.').to_string())
                .unwrap_or_else(|| resource.module().to_string());
            let entry = by_module.entry(module).or_default();
            if !entry
                .iter()
                .any(|(r, _)| r.config_address() == resource.config_address())
            {
                entry.push((resource, resource.config_address().to_string()));
            }
        }
    }
    for (module, mut resources) in by_module {
        // Anchored at the first in source order: the same line for every caller.
        resources.sort_by_key(|(r, _)| r.location().map(|l| (l.file, l.start)));
        let Some((first, _)) = resources.first() else {
            continue;
        };
        // The same text for every caller, so the callers' findings group into one: what differs
        // (which resources this call creates) is in the instances.
        let message = "privileged resources in this module have no `lifecycle { prevent_destroy = true }`, and a caller cannot add it".to_string();
        let related: Vec<_> = resources
            .iter()
            .skip(1)
            .filter_map(|(r, _)| r.location().cloned())
            .collect();
        let instances: Vec<String> = resources.iter().map(|(_, d)| d.clone()).collect();
        let finding = ctx.report(first, message);
        finding.address = Some(module.clone());
        finding.config_address = Some(module);
        finding.related.extend(related);
        finding.instances = instances;
    }
}
