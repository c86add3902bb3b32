//! Issue 12 §4: the privileged list covers its classes completely, and the rule that decides
//! membership (`policies/PRIVILEGED.md`) lists exactly the types the code treats as privileged.

use guard_policies::privileged::{Privileged, DEFAULT_PRIVILEGED};
use std::collections::BTreeSet;

/// `(type, class)` pairs from PRIVILEGED.md: bullets under a heading ending in (`Class`).
fn documented() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string("policies/PRIVILEGED.md").unwrap();
    let mut class: Option<String> = None;
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            class = heading
                .rsplit_once("(`")
                .and_then(|(_, rest)| rest.strip_suffix("`)"))
                .map(str::to_string);
        } else if let (Some(class), Some(item)) = (&class, line.strip_prefix("- `")) {
            let ty = item.trim_end_matches('`');
            assert!(
                out.insert((ty.to_string(), class.clone())),
                "{ty} is listed twice"
            );
        }
    }
    out
}

#[test]
fn the_list_and_its_documentation_agree() {
    let code: BTreeSet<(String, String)> = DEFAULT_PRIVILEGED
        .iter()
        .map(|(t, c)| (t.to_string(), format!("{c:?}")))
        .collect();
    assert_eq!(
        code.len(),
        DEFAULT_PRIVILEGED.len(),
        "a type appears twice in DEFAULT_PRIVILEGED"
    );
    let doc = documented();
    let only_code: Vec<_> = code.difference(&doc).collect();
    let only_doc: Vec<_> = doc.difference(&code).collect();
    assert!(
        only_code.is_empty() && only_doc.is_empty(),
        "only in privileged.rs: {only_code:?}\nonly in PRIVILEGED.md: {only_doc:?}"
    );
}

#[test]
fn each_class_is_covered_across_providers() {
    let p = Privileged::default();
    for ty in [
        "azurerm_resource_group",
        "azurerm_mssql_server",
        "azurerm_postgresql_flexible_server",
        "azurerm_mysql_flexible_server",
        "azurerm_cosmosdb_account",
        "google_sql_database_instance",
        "google_alloydb_cluster",
        "google_spanner_instance",
        "aws_secretsmanager_secret_version",
        "google_secret_manager_secret_version",
        "aws_docdb_cluster",
        "aws_neptune_cluster",
        "aws_redshift_cluster",
        "aws_eks_cluster",
        "azurerm_kubernetes_cluster",
        "azuread_user",
        "azuread_service_principal",
        "azuread_application",
        "google_project_iam_policy",
        "google_service_account_key",
        "aws_iam_instance_profile",
        "aws_kms_alias",
        "azurerm_user_assigned_identity",
    ] {
        assert!(
            p.is_privileged(ty, &format!("{ty}.x")),
            "{ty} is not privileged"
        );
    }
    // What applying again restores exactly stays out.
    for ty in [
        "aws_instance",
        "aws_security_group",
        "aws_iam_role_policy_attachment",
        "google_project_iam_member",
        "aws_elasticache_cluster",
    ] {
        assert!(
            !p.is_privileged(ty, &format!("{ty}.x")),
            "{ty} is privileged"
        );
    }
}
