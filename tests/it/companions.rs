//! Companion resources (a WAF association, a flow log) found through the references the loaders
//! resolve, not by matching names: per `for_each` key, through locals, and, when a reference goes
//! through something guard cannot trace, "cannot tell" instead of a pass or a confident finding.

use guard::report::Report;
use guard_policies::Severity;
use std::path::PathBuf;

fn scan(files: &[(&str, &str)]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let root: PathBuf = dir.path().to_path_buf();
    let report = guard::run(&[root], &guard::Options::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
}

fn findings(report: &Report, code: &str) -> Vec<(String, Severity)> {
    let mut out: Vec<(String, Severity)> = report
        .findings
        .iter()
        .filter(|f| f.finding.code == code)
        .map(|f| {
            (
                f.finding.address.clone().unwrap_or_default(),
                f.finding.severity,
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn an_association_through_a_local_protects_its_load_balancer() {
    let report = scan(&[(
        "main.tf",
        r#"
locals {
  lb_arn = aws_lb.web.arn
}
resource "aws_lb" "web" {
  name = "web"
}
resource "aws_lb" "other" {
  name = "other"
}
resource "aws_wafv2_web_acl_association" "web" {
  resource_arn = local.lb_arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/main/abcd"
}
"#,
    )]);
    assert_eq!(
        findings(&report, "NET004"),
        vec![("aws_lb.other".to_string(), Severity::Medium)]
    );
}

#[test]
fn an_association_through_a_module_output_makes_it_cannot_tell() {
    let report = scan(&[
        (
            "main.tf",
            r#"
resource "aws_lb" "web" {
  name = "web"
}
module "pass" {
  source = "./pass"
  arn    = aws_lb.web.arn
}
resource "aws_wafv2_web_acl_association" "web" {
  resource_arn = module.pass.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/main/abcd"
}
"#,
        ),
        (
            "pass/main.tf",
            "variable \"arn\" {\n  type = string\n}\noutput \"arn\" {\n  value = var.arn\n}\n",
        ),
    ]);
    assert_eq!(
        findings(&report, "NET004"),
        vec![("aws_lb.web".to_string(), Severity::Low)]
    );
    let message = &report
        .findings
        .iter()
        .find(|f| f.finding.code == "NET004")
        .unwrap()
        .finding
        .message;
    assert!(
        message.contains("aws_wafv2_web_acl_association.web"),
        "{message}"
    );
}

#[test]
fn references_are_resolved_per_count_index_inside_a_module() {
    let report = scan(&[
        ("main.tf", "module \"albs\" {\n  source = \"./albs\"\n}\n"),
        (
            "albs/main.tf",
            r#"
resource "aws_lb" "this" {
  count = 2
  name  = "lb-${count.index}"
}
resource "aws_wafv2_web_acl_association" "this" {
  count        = 1
  resource_arn = aws_lb.this[count.index].arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/main/abcd"
}
"#,
        ),
    ]);
    assert_eq!(
        findings(&report, "NET004"),
        vec![("module.albs.aws_lb.this[1]".to_string(), Severity::Medium)]
    );
}

/// ENC004 is opt-in: these scans select it.
fn scan_enc004(main_tf: &str) -> Vec<(String, Severity)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), main_tf).unwrap();
    let options = guard::Options {
        select: vec!["ENC004".to_string()],
        ..guard::Options::default()
    };
    let report = guard::run(&[dir.path().to_path_buf()], &options);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    findings(&report, "ENC004")
}

#[test]
fn an_account_default_ebs_key_covers_volumes_that_name_none() {
    let volume = r#"
resource "aws_ebs_encryption_by_default" "on" {}
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 10
}
"#;
    // No default key: EBS falls back to aws/ebs.
    assert_eq!(
        scan_enc004(volume),
        vec![("aws_ebs_volume.data".to_string(), Severity::Medium)]
    );
    // A key of the configuration as the account default.
    let with_key = format!(
        "{volume}\nresource \"aws_kms_key\" \"ebs\" {{}}\nresource \"aws_ebs_default_kms_key\" \"this\" {{\n  key_arn = aws_kms_key.ebs.arn\n}}\n"
    );
    assert_eq!(scan_enc004(&with_key), vec![]);
    // A default key from a variable without a value: cannot be confirmed.
    let from_variable = format!(
        "{volume}\nvariable \"ebs_key\" {{}}\nresource \"aws_ebs_default_kms_key\" \"this\" {{\n  key_arn = var.ebs_key\n}}\n"
    );
    assert_eq!(
        scan_enc004(&from_variable),
        vec![("aws_ebs_volume.data".to_string(), Severity::Low)]
    );
}

#[test]
fn a_storage_account_key_resource_covers_only_the_account_of_its_key() {
    let report = scan_enc004(
        r#"
resource "azurerm_storage_account" "data" {
  for_each                 = toset(["a", "b"])
  name                     = "acme${each.key}"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}
resource "azurerm_storage_account_customer_managed_key" "data" {
  for_each           = toset(["a"])
  storage_account_id = azurerm_storage_account.data[each.key].id
  key_vault_id       = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/acme"
  key_name           = "data"
}
"#,
    );
    assert_eq!(
        report,
        vec![(
            "azurerm_storage_account.data[\"b\"]".to_string(),
            Severity::Medium
        )]
    );
}
