//! Provider attributes that hold secrets, for loaders that evaluate references without the
//! provider schema.
//!
//! A plan marks these values through `*_sensitive` masks. Static evaluation of source has no
//! schema, so `aws_iam_access_key.ci.secret` is an unknown value with nothing to say it is secret;
//! a loader that resolves such a reference calls [`is_sensitive_attribute`] and marks the value
//! sensitive, and sensitive-output-exposed then sees it. The list covers the schema-sensitive
//! attributes that real modules most often output; it is not the whole schema.

/// `(resource type, attribute)` pairs the providers mark sensitive.
pub const SENSITIVE_ATTRIBUTES: &[(&str, &str)] = &[
    ("aws_iam_access_key", "secret"),
    ("aws_iam_access_key", "ses_smtp_password_v4"),
    ("aws_iam_user_login_profile", "password"),
    ("aws_iam_service_specific_credential", "service_password"),
    ("aws_db_instance", "password"),
    ("aws_rds_cluster", "master_password"),
    ("aws_redshift_cluster", "master_password"),
    ("aws_docdb_cluster", "master_password"),
    ("aws_elasticache_replication_group", "auth_token"),
    ("aws_secretsmanager_secret_version", "secret_string"),
    ("aws_secretsmanager_secret_version", "secret_binary"),
    ("aws_ssm_parameter", "value"),
    ("aws_lightsail_key_pair", "private_key"),
    ("aws_key_pair", "private_key"),
    ("random_password", "result"),
    ("random_password", "bcrypt_hash"),
    ("tls_private_key", "private_key_pem"),
    ("tls_private_key", "private_key_pem_pkcs8"),
    ("tls_private_key", "private_key_openssh"),
    ("google_service_account_key", "private_key"),
    ("google_sql_user", "password"),
    ("google_container_cluster", "master_auth"),
    ("azuread_application_password", "value"),
    ("azuread_service_principal_password", "value"),
    ("azurerm_storage_account", "primary_access_key"),
    ("azurerm_storage_account", "secondary_access_key"),
    ("azurerm_storage_account", "primary_connection_string"),
    ("azurerm_storage_account", "secondary_connection_string"),
    ("azurerm_key_vault_secret", "value"),
    ("azurerm_kubernetes_cluster", "kube_config_raw"),
    ("azurerm_kubernetes_cluster", "kube_admin_config_raw"),
    ("github_actions_secret", "plaintext_value"),
    ("kubernetes_secret", "data"),
    ("kubernetes_secret_v1", "data"),
];

/// True when the provider marks `resource_type.attribute` sensitive.
pub fn is_sensitive_attribute(resource_type: &str, attribute: &str) -> bool {
    SENSITIVE_ATTRIBUTES
        .iter()
        .any(|(t, a)| *t == resource_type && *a == attribute)
}
