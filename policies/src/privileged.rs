//! Which resources are privileged: deleting or replacing one cannot be undone.
//!
//! The default list and the rule that decides membership are in `policies/PRIVILEGED.md`. Teams
//! add or remove entries by resource-type glob and by address glob (`[privileged]` in
//! `guard.toml`).

use globset::{Glob, GlobSet, GlobSetBuilder};

/// Why a resource type is privileged by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivilegeClass {
    /// The secret is returned only at creation; a replace mints a new one and revokes the old.
    CredentialMinting,
    /// A new opaque ID on recreate breaks every trust policy and binding that named the old one.
    Identity,
    /// An authoritative access policy: deleting it removes every binding it holds at once.
    AccessControl,
    /// Data encrypted under the key is lost once the deletion window ends.
    KeyMaterial,
    /// The secret value is not re-derivable.
    SecretStore,
    /// No undo without backups.
    IrrecoverableData,
    /// Added by configuration.
    Configured,
}

impl PrivilegeClass {
    pub fn describe(self) -> &'static str {
        match self {
            PrivilegeClass::CredentialMinting => "credential that cannot be recreated",
            PrivilegeClass::Identity => "identity whose id changes on recreate",
            PrivilegeClass::AccessControl => "authoritative access policy",
            PrivilegeClass::KeyMaterial => "key material",
            PrivilegeClass::SecretStore => "secret store",
            PrivilegeClass::IrrecoverableData => "data that cannot be recovered",
            PrivilegeClass::Configured => "privileged by configuration",
        }
    }
}

/// The default privileged resource types, by class. The rule that decides membership, and the
/// same list for people, is `policies/PRIVILEGED.md`; a test keeps the two in agreement.
pub const DEFAULT_PRIVILEGED: &[(&str, PrivilegeClass)] = {
    use PrivilegeClass::*;
    &[
        ("aws_iam_access_key", CredentialMinting),
        ("aws_iam_user_login_profile", CredentialMinting),
        ("aws_iam_service_specific_credential", CredentialMinting),
        ("aws_iam_signing_certificate", CredentialMinting),
        ("aws_lightsail_key_pair", CredentialMinting),
        ("google_service_account_key", CredentialMinting),
        ("google_apikeys_key", CredentialMinting),
        ("azuread_application_password", CredentialMinting),
        ("azuread_service_principal_password", CredentialMinting),
        ("azuread_application_certificate", CredentialMinting),
        ("github_repository_deploy_key", CredentialMinting),
        ("tls_private_key", CredentialMinting),
        ("random_password", CredentialMinting),
        ("aws_iam_user", Identity),
        ("aws_iam_role", Identity),
        ("aws_iam_instance_profile", Identity),
        ("aws_iam_openid_connect_provider", Identity),
        ("aws_iam_saml_provider", Identity),
        ("google_service_account", Identity),
        ("google_iam_workload_identity_pool", Identity),
        ("google_iam_workload_identity_pool_provider", Identity),
        ("azuread_application", Identity),
        ("azuread_application_registration", Identity),
        ("azuread_service_principal", Identity),
        ("azuread_user", Identity),
        ("azuread_group", Identity),
        ("azurerm_user_assigned_identity", Identity),
        ("kubernetes_service_account", Identity),
        ("kubernetes_service_account_v1", Identity),
        ("google_project_iam_policy", AccessControl),
        ("google_folder_iam_policy", AccessControl),
        ("google_organization_iam_policy", AccessControl),
        ("google_service_account_iam_policy", AccessControl),
        ("aws_kms_key", KeyMaterial),
        ("aws_kms_replica_key", KeyMaterial),
        ("aws_kms_external_key", KeyMaterial),
        ("aws_kms_replica_external_key", KeyMaterial),
        ("aws_kms_alias", KeyMaterial),
        ("google_kms_crypto_key", KeyMaterial),
        ("azurerm_key_vault", KeyMaterial),
        ("azurerm_key_vault_key", KeyMaterial),
        (
            "azurerm_key_vault_managed_hardware_security_module",
            KeyMaterial,
        ),
        ("aws_acmpca_certificate_authority", KeyMaterial),
        ("google_privateca_certificate_authority", KeyMaterial),
        ("aws_secretsmanager_secret", SecretStore),
        ("aws_secretsmanager_secret_version", SecretStore),
        ("google_secret_manager_secret", SecretStore),
        ("google_secret_manager_secret_version", SecretStore),
        ("azurerm_key_vault_secret", SecretStore),
        ("aws_s3_bucket", IrrecoverableData),
        ("aws_db_instance", IrrecoverableData),
        ("aws_rds_cluster", IrrecoverableData),
        ("aws_rds_global_cluster", IrrecoverableData),
        ("aws_docdb_cluster", IrrecoverableData),
        ("aws_docdbelastic_cluster", IrrecoverableData),
        ("aws_neptune_cluster", IrrecoverableData),
        ("aws_redshift_cluster", IrrecoverableData),
        ("aws_redshiftserverless_namespace", IrrecoverableData),
        ("aws_dynamodb_table", IrrecoverableData),
        ("aws_keyspaces_table", IrrecoverableData),
        ("aws_qldb_ledger", IrrecoverableData),
        ("aws_memorydb_cluster", IrrecoverableData),
        ("aws_opensearch_domain", IrrecoverableData),
        ("aws_elasticsearch_domain", IrrecoverableData),
        ("aws_ebs_volume", IrrecoverableData),
        ("aws_efs_file_system", IrrecoverableData),
        ("aws_fsx_lustre_file_system", IrrecoverableData),
        ("aws_fsx_windows_file_system", IrrecoverableData),
        ("aws_fsx_ontap_file_system", IrrecoverableData),
        ("aws_fsx_openzfs_file_system", IrrecoverableData),
        ("aws_backup_vault", IrrecoverableData),
        ("aws_glacier_vault", IrrecoverableData),
        ("aws_cognito_user_pool", IrrecoverableData),
        ("aws_eks_cluster", IrrecoverableData),
        ("aws_organizations_account", IrrecoverableData),
        ("google_storage_bucket", IrrecoverableData),
        ("google_sql_database_instance", IrrecoverableData),
        ("google_alloydb_cluster", IrrecoverableData),
        ("google_spanner_instance", IrrecoverableData),
        ("google_spanner_database", IrrecoverableData),
        ("google_bigtable_instance", IrrecoverableData),
        ("google_bigtable_table", IrrecoverableData),
        ("google_firestore_database", IrrecoverableData),
        ("google_bigquery_dataset", IrrecoverableData),
        ("google_bigquery_table", IrrecoverableData),
        ("google_filestore_instance", IrrecoverableData),
        ("google_compute_disk", IrrecoverableData),
        ("google_container_cluster", IrrecoverableData),
        ("google_project", IrrecoverableData),
        ("google_folder", IrrecoverableData),
        ("azurerm_resource_group", IrrecoverableData),
        ("azurerm_storage_account", IrrecoverableData),
        ("azurerm_mssql_server", IrrecoverableData),
        ("azurerm_mssql_database", IrrecoverableData),
        ("azurerm_mssql_managed_instance", IrrecoverableData),
        ("azurerm_sql_server", IrrecoverableData),
        ("azurerm_sql_database", IrrecoverableData),
        ("azurerm_postgresql_server", IrrecoverableData),
        ("azurerm_postgresql_flexible_server", IrrecoverableData),
        ("azurerm_mysql_server", IrrecoverableData),
        ("azurerm_mysql_flexible_server", IrrecoverableData),
        ("azurerm_mariadb_server", IrrecoverableData),
        ("azurerm_cosmosdb_account", IrrecoverableData),
        ("azurerm_managed_disk", IrrecoverableData),
        ("azurerm_recovery_services_vault", IrrecoverableData),
        ("azurerm_data_protection_backup_vault", IrrecoverableData),
        ("azurerm_kubernetes_cluster", IrrecoverableData),
        ("kubernetes_namespace", IrrecoverableData),
        ("kubernetes_namespace_v1", IrrecoverableData),
        ("kubernetes_persistent_volume_claim", IrrecoverableData),
        ("kubernetes_persistent_volume_claim_v1", IrrecoverableData),
        ("github_repository", IrrecoverableData),
    ]
};

/// The privileged set: defaults plus configured additions, minus configured removals.
#[derive(Debug, Clone)]
pub struct Privileged {
    add_types: GlobSet,
    remove_types: GlobSet,
    add_addresses: GlobSet,
    remove_addresses: GlobSet,
}

impl Default for Privileged {
    fn default() -> Self {
        Privileged {
            add_types: GlobSet::empty(),
            remove_types: GlobSet::empty(),
            add_addresses: GlobSet::empty(),
            remove_addresses: GlobSet::empty(),
        }
    }
}

/// Glob lists that change the default privileged set.
#[derive(Debug, Clone, Default)]
pub struct PrivilegedConfig {
    pub add_types: Vec<String>,
    pub remove_types: Vec<String>,
    pub add_addresses: Vec<String>,
    pub remove_addresses: Vec<String>,
}

fn build(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        // Addresses contain `[` and `]`; treat them literally so `aws_x.y["a"]` works as written.
        let escaped = escape_brackets(glob);
        builder.add(Glob::new(&escaped).map_err(|e| format!("invalid glob `{glob}`: {e}"))?);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Escapes `[` and `]` as one-character classes.
fn escape_brackets(glob: &str) -> String {
    let mut out = String::with_capacity(glob.len() + 8);
    for c in glob.chars() {
        match c {
            '[' => out.push_str("[[]"),
            ']' => out.push_str("[]]"),
            _ => out.push(c),
        }
    }
    out
}

impl Privileged {
    pub fn from_config(config: &PrivilegedConfig) -> Result<Self, String> {
        Ok(Privileged {
            add_types: build(&config.add_types)?,
            remove_types: build(&config.remove_types)?,
            add_addresses: build(&config.add_addresses)?,
            remove_addresses: build(&config.remove_addresses)?,
        })
    }

    /// Why this resource is privileged, or `None` when it is not.
    pub fn class_of(&self, resource_type: &str, address: &str) -> Option<PrivilegeClass> {
        if self.remove_addresses.is_match(address) {
            return None;
        }
        if self.add_addresses.is_match(address) {
            return Some(default_class(resource_type).unwrap_or(PrivilegeClass::Configured));
        }
        if self.remove_types.is_match(resource_type) {
            return None;
        }
        if let Some(class) = default_class(resource_type) {
            return Some(class);
        }
        if self.add_types.is_match(resource_type) {
            return Some(PrivilegeClass::Configured);
        }
        None
    }

    /// Whether `[privileged]` in `guard.toml` names this resource (by type or address) itself.
    pub fn is_configured(&self, resource_type: &str, address: &str) -> bool {
        !self.remove_addresses.is_match(address)
            && (self.add_addresses.is_match(address) || self.add_types.is_match(resource_type))
    }

    /// Whether configuration takes anything away from the default list.
    pub fn has_removals(&self) -> bool {
        !self.remove_types.is_empty() || !self.remove_addresses.is_empty()
    }

    /// The same set with the configured removals dropped (additions kept).
    pub fn without_removals(&self) -> Privileged {
        Privileged {
            remove_types: GlobSet::empty(),
            remove_addresses: GlobSet::empty(),
            ..self.clone()
        }
    }

    pub fn is_privileged(&self, resource_type: &str, address: &str) -> bool {
        self.class_of(resource_type, address).is_some()
    }
}

fn default_class(resource_type: &str) -> Option<PrivilegeClass> {
    DEFAULT_PRIVILEGED
        .iter()
        .find(|(t, _)| *t == resource_type)
        .map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_the_incident_types() {
        let p = Privileged::default();
        assert!(p.is_privileged("google_service_account", "google_service_account.api"));
        assert!(p.is_privileged("aws_iam_user", "aws_iam_user.ci"));
        assert!(!p.is_privileged("aws_instance", "aws_instance.web"));
    }

    #[test]
    fn configuration_adds_and_removes_by_type_and_address() {
        let p = Privileged::from_config(&PrivilegedConfig {
            add_types: vec!["aws_lambda_*".into()],
            remove_types: vec!["aws_s3_bucket".into()],
            add_addresses: vec!["aws_instance.bastion".into()],
            remove_addresses: vec!["module.test.*".into(), r#"aws_iam_user.x["tmp"]"#.into()],
        })
        .unwrap();
        assert!(p.is_privileged("aws_lambda_function", "aws_lambda_function.f"));
        assert!(!p.is_privileged("aws_s3_bucket", "aws_s3_bucket.logs"));
        assert!(p.is_privileged("aws_instance", "aws_instance.bastion"));
        assert!(!p.is_privileged("aws_iam_user", "module.test.aws_iam_user.x"));
        assert!(!p.is_privileged("aws_iam_user", r#"aws_iam_user.x["tmp"]"#));
        assert!(p.is_privileged("aws_iam_user", r#"aws_iam_user.x["prod"]"#));
    }
}
