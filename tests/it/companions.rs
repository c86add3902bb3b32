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
