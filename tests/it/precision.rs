//! Precision on real code (issue 13): one root cause is one finding, at the line a person can
//! change. Each test holds one pattern seen on public repositories.

use serde_json::Value;
use std::process::Command;

fn json_findings(dir: &str) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args([dir, "--format", "json"])
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("the guard binary runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    doc["findings"].as_array().cloned().unwrap_or_default()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn related_files(f: &Value) -> Vec<(String, u64)> {
    f["related"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    (
                        r["file"].as_str().unwrap_or_default().to_string(),
                        r["line"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_module_called_by_two_examples_is_one_finding_naming_both_roots() {
    let findings = json_findings("testdata/precision/grouping");
    let net001: Vec<&Value> = findings.iter().filter(|f| f["code"] == "NET001").collect();
    assert_eq!(net001.len(), 1, "{findings:#?}");
    let f = net001[0];
    assert_eq!(f["file"], "testdata/precision/grouping/modules/net/main.tf");
    assert_eq!(
        strings(&f["roots"]),
        [
            "testdata/precision/grouping/examples/a",
            "testdata/precision/grouping/examples/b"
        ]
    );
    assert_eq!(
        strings(&f["instances"]),
        [
            "testdata/precision/grouping/examples/a: module.net.aws_security_group.this",
            "testdata/precision/grouping/examples/b: module.network.aws_security_group.this"
        ]
    );
    // Each caller's `module` block is named, so a reader can tell the instances apart.
    let related = related_files(f);
    for caller in ["a", "b"] {
        let file = format!("testdata/precision/grouping/examples/{caller}/main.tf");
        assert!(related.contains(&(file, 1)), "{related:?}");
    }
}

#[test]
fn a_finding_in_a_downloaded_module_points_at_the_users_module_block() {
    let findings = json_findings("testdata/precision/registry_anchor");
    let net001: Vec<&Value> = findings.iter().filter(|f| f["code"] == "NET001").collect();
    assert_eq!(net001.len(), 1, "{findings:#?}");
    let f = net001[0];
    assert_eq!(f["file"], "testdata/precision/registry_anchor/main.tf");
    assert_eq!(f["line"], 1);
    // The rule inside the module stays visible as related.
    let related = related_files(f);
    assert!(
        related.contains(&(
            "testdata/precision/registry_anchor/.terraform/modules/sg/main.tf".to_string(),
            8
        )),
        "{related:?}"
    );
}

#[test]
fn managed_key_ids_are_set_and_undownloaded_module_outputs_are_not_findings() {
    let findings = json_findings("testdata/precision/known_after_apply");
    let codes: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default(),
                f["address"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // Encrypted with a key this configuration manages: nothing to confirm.
    assert!(!codes.iter().any(|(c, _)| *c == "ENC001"), "{findings:#?}");
    // `module.vpc` was not downloaded: its CIDR is not "maybe the whole internet".
    assert!(
        !codes
            .iter()
            .any(|(_, a)| *a == "aws_security_group.db" || a.contains("ingress_rule.cluster")),
        "{findings:#?}"
    );
    // A variable nobody set is still unknown, and still reported.
    assert!(
        codes.contains(&("NET002", "aws_security_group.admin")),
        "{findings:#?}"
    );
}

#[test]
fn an_undownloaded_module_is_reported_as_not_checked() {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args(["testdata/precision/known_after_apply", "--format", "json"])
        .output()
        .expect("the guard binary runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    let diagnostics = doc["diagnostics"].to_string();
    assert!(
        diagnostics.contains("module `vpc` is not available")
            && diagnostics.contains("the values it outputs are not checked"),
        "{diagnostics}"
    );
    // `warnings` is the deprecated name of the same list, kept for one release; the count of
    // non-blocking findings stays `summary.warnings`.
    assert_eq!(doc["warnings"], doc["diagnostics"]);
    assert!(doc["summary"]["warnings"].is_u64(), "{doc}");
}

#[test]
fn a_secret_passed_through_two_module_calls_is_reported_once_at_the_callers_argument() {
    let findings = json_findings("testdata/precision/nested_argument");
    let sec001: Vec<&Value> = findings.iter().filter(|f| f["code"] == "SEC001").collect();
    assert_eq!(sec001.len(), 1, "{findings:#?}");
    assert_eq!(
        sec001[0]["file"],
        "testdata/precision/nested_argument/example/main.tf"
    );
    assert_eq!(sec001[0]["line"], 5);
}

#[test]
fn del004_is_off_by_default_and_runs_when_selected() {
    let dir = "testdata/policies/privileged-resource-unprotected/bad";
    let codes = |args: &[&str]| -> Vec<String> {
        let out = Command::new(env!("CARGO_BIN_EXE_guard"))
            .args([dir, "--format", "json"])
            .args(args)
            .output()
            .expect("the guard binary runs");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
        doc["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f["code"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(!codes(&[]).iter().any(|c| c == "DEL004"));
    assert!(codes(&["--select", "DEL004"]).iter().any(|c| c == "DEL004"));
    assert!(codes(&["--select", "all"]).iter().any(|c| c == "DEL004"));
}

#[test]
fn a_terragrunt_file_that_units_include_is_not_a_unit_of_its_own() {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args(["testdata/precision/terragrunt_parent", "--format", "json"])
        .output()
        .expect("the guard binary runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    // One unit (env/staging/app); the parent it includes is not evaluated on its own, so its
    // child-relative `read_terragrunt_config("../env_vars.hcl")` is not a diagnostic.
    assert_eq!(doc["summary"]["scanned"]["modules"], 1, "{doc}");
    assert_eq!(doc["diagnostics"], serde_json::json!([]), "{doc}");
    assert_eq!(doc["errors"], serde_json::json!([]), "{doc}");
}

#[test]
fn a_module_argument_may_read_another_output_of_the_same_module() {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args(["testdata/precision/module_output_cycle", "--format", "json"])
        .output()
        .expect("the guard binary runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    // Terraform evaluates each output on its own: no cycle, nothing left unknown.
    assert_eq!(doc["diagnostics"], serde_json::json!([]), "{doc}");
    // So the CIDR chosen through the module's own output is known: the open SSH port is
    // reported as what it is, not as "known only after apply".
    let net002: Vec<(String, u64, String)> = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == "NET002")
        .map(|f| {
            (
                f["address"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(net002.len(), 2, "{net002:#?}");
    assert_eq!(net002[0].0, "module.web.aws_security_group.this");
    assert_eq!(net002[1].0, "module.tier[\"web\"].aws_security_group.this");
    for (_, _, message) in &net002 {
        assert!(
            message.contains("whole internet (`0.0.0.0/0`)"),
            "{message}"
        );
    }
}

#[test]
fn a_real_cycle_through_a_module_is_an_input_error_at_the_argument() {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args(["testdata/precision/module_real_cycle", "--format", "json"])
        .output()
        .expect("the guard binary runs");
    // Terraform rejects this configuration; so does guard, naming the argument.
    assert_eq!(out.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    let errors = doc["errors"].to_string();
    assert!(
        errors.contains("testdata/precision/module_real_cycle/main.tf")
            && errors.contains("cycle: module.loop.var.value depends on itself"),
        "{doc}"
    );
}

#[test]
fn a_key_policy_naming_its_own_key_is_a_cycle_and_a_separate_key_policy_is_not() {
    let run = |dir: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_guard"))
            .args([dir, "--format", "json"])
            .output()
            .expect("the guard binary runs");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
        (out.status.code(), doc)
    };
    let (code, doc) = run("testdata/precision/resource_real_cycle");
    assert_eq!(code, Some(2), "{doc}");
    let errors = doc["errors"].to_string();
    assert!(
        errors.contains("cycle: aws_kms_key.this depends on itself"),
        "{doc}"
    );
    let (code, doc) = run("testdata/precision/key_policy_resource");
    assert_eq!(code, Some(0), "{doc}");
    assert_eq!(doc["errors"], serde_json::json!([]), "{doc}");
    assert_eq!(doc["diagnostics"], serde_json::json!([]), "{doc}");
}

#[test]
fn an_unknown_address_of_known_size_is_not_the_internet() {
    let findings = json_findings("testdata/precision/bounded_cidr");
    let network: Vec<(&str, &str, u64)> = findings
        .iter()
        .filter(|f| f["code"] == "NET001" || f["code"] == "NET002")
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default(),
                f["address"].as_str().unwrap_or_default(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // A /32 of the runner's address, the default VPC's range, a subnet of it, and one egress
    // rule per private subnet: bounded blocks, no finding. `/0` of anything and a variable
    // nobody set are still reported.
    assert_eq!(
        network,
        [
            ("NET002", "aws_security_group.unbounded", 75),
            ("NET002", "aws_security_group.unbounded", 83),
        ],
        "{findings:#?}"
    );
}

#[test]
fn a_known_false_decides_and_and_subnets_of_a_set_are_each_a_rule() {
    use guard::load::hcl::{load, HclOptions};
    let loaded = load(
        &[std::path::PathBuf::from("testdata/precision/bounded_cidr")],
        &HclOptions::default(),
    );
    let resources = loaded.models[0].resources();
    // `length(data...) > 0 && false` is false: no instance, not "instances unknown".
    assert!(
        !resources
            .iter()
            .any(|r| r.config_address() == "aws_security_group_rule.never"),
        "{:?}",
        resources.iter().map(|r| r.address()).collect::<Vec<_>>()
    );
    // `dynamic "egress"` over `toset(aws_subnet.private)` (count = 3): one rule per subnet.
    let bounded = resources
        .iter()
        .find(|r| r.address() == "aws_security_group.bounded")
        .expect("the bounded group");
    let egress = bounded.values().get("egress");
    assert!(
        matches!(egress.kind(), guard_policies::ValueKind::List(rules) if rules.len() == 3),
        "{:?}",
        egress.to_value()
    );
}

#[test]
fn a_null_mock_output_is_a_placeholder_not_the_dependencys_value() {
    let findings = json_findings("testdata/precision/terragrunt_null_mock");
    let enc001: Vec<(&str, &str, &str)> = findings
        .iter()
        .filter(|f| f["code"] == "ENC001")
        .map(|f| {
            (
                f["severity"].as_str().unwrap_or_default(),
                f["file"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // Not "not set" (high): the key comes from the `kms` unit, which guard does not apply.
    assert_eq!(
        enc001,
        [(
            "low",
            "testdata/precision/terragrunt_null_mock/live/topic/terragrunt.hcl",
            "`kms_master_key_id` is known only after apply, so encryption at rest cannot be confirmed"
        )],
        "{findings:#?}"
    );
}

#[test]
fn a_policy_unknown_only_because_a_module_was_not_downloaded_is_not_an_iam_finding() {
    let findings = json_findings("testdata/precision/undownloaded_policy");
    let iam002: Vec<(u64, &str)> = findings
        .iter()
        .filter(|f| f["code"] == "IAM002")
        .map(|f| {
            (
                f["line"].as_u64().unwrap_or(0),
                f["address"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // The role trusting `module.eks`'s provider is the loader's "not checked" warning; the role
    // trusting a variable nobody set is still reported.
    assert_eq!(iam002, [(29, "aws_iam_role.open")], "{findings:#?}");
}

#[test]
fn each_value_of_a_for_each_over_resources_is_the_instance() {
    use guard::load::hcl::{load, HclOptions};
    let dir = "testdata/precision/for_each_resource";
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args([dir, "--format", "json"])
        .output()
        .expect("the guard binary runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    // `each.value.arn` and `each.value.dns_name` read the instance: no "no attribute" warning.
    assert_eq!(doc["diagnostics"], serde_json::json!([]), "{doc}");
    let loaded = load(&[std::path::PathBuf::from(dir)], &HclOptions::default());
    let resources = loaded.models[0].resources();
    let get = |address: &str| {
        resources
            .iter()
            .find(|r| r.address() == address)
            .unwrap_or_else(|| {
                panic!(
                    "{address} in {:?}",
                    resources.iter().map(|r| r.address()).collect::<Vec<_>>()
                )
            })
    };
    for key in ["api", "web"] {
        let parameter = get(&format!("aws_ssm_parameter.lb[\"{key}\"]"));
        // Set in the configuration: known. Computed by the provider: unknown, not missing.
        assert_eq!(
            parameter.values().get("name").as_str(),
            Some(format!("/lb/lb-{key}").as_str())
        );
        assert!(parameter.values().get("value").is_unknown());
        let association = get(&format!("aws_wafv2_web_acl_association.public[\"{key}\"]"));
        // The ARN is known only after apply, but set: never null.
        assert!(!association.values().get("resource_arn").is_null());
        let targets: Vec<Option<String>> = association
            .references_in("resource_arn")
            .map(|r| r.instance.clone())
            .collect();
        assert_eq!(targets, [Some(format!("aws_lb.public[\"{key}\"]"))]);
    }
}

#[test]
fn terragrunt_evaluation_warnings_name_a_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args([
            "testdata/precision/terragrunt_warning_lines",
            "--format",
            "json",
        ])
        .output()
        .expect("the guard binary runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    let places: Vec<(&str, u64)> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("testdata/precision/terragrunt_warning_lines/common.hcl", 6),
            (
                "testdata/precision/terragrunt_warning_lines/unit/terragrunt.hcl",
                8
            ),
        ],
        "{doc}"
    );
}

#[test]
fn a_finding_in_a_file_terragrunt_generates_points_at_the_generate_block() {
    let findings = json_findings("testdata/precision/terragrunt_generate");
    let net002: Vec<(&str, u64, &str)> = findings
        .iter()
        .filter(|f| f["code"] == "NET002")
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default(),
                f["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // `live/app/firewall.tf` exists only once Terragrunt runs: the finding is at the block that
    // writes it, in the file a reader can open, and names the file.
    assert_eq!(
        net002,
        [(
            "testdata/precision/terragrunt_generate/live/root.hcl",
            2,
            "ingress from the whole internet (`0.0.0.0/0`) to `tcp` port `22`; narrow `cidr_blocks` to the sources that need it (in `firewall.tf`, which this `generate` block writes)"
        )],
        "{findings:#?}"
    );
    for f in &findings {
        for (file, _) in std::iter::once((f["file"].as_str().unwrap_or_default().to_string(), 0))
            .chain(related_files(f))
        {
            assert!(std::path::Path::new(&file).exists(), "{file}: {f:#?}");
        }
    }
}

#[test]
fn separate_network_acl_rules_are_weighed_in_rule_number_order() {
    let net002 = |input: &str| -> Vec<(String, String, String)> {
        json_findings(input)
            .iter()
            .filter(|f| f["code"] == "NET002")
            .map(|f| {
                (
                    f["address"].as_str().unwrap_or_default().to_string(),
                    f["severity"].as_str().unwrap_or_default().to_string(),
                    f["message"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let ssh = "network acl allows ingress from the whole internet (`0.0.0.0/0`) to `tcp` port `22`; narrow `cidr_block` to the sources that need it";
    // ACL "a" denies SSH at 100 before allowing it at 200; ACL "b" only allows it. The ACL
    // `other` denies it outbound, and inbound only after the allow: still open. The ACL
    // `ephemeral` denies RDP before its ephemeral range: what is left is still that range (low).
    assert_eq!(
        net002("testdata/precision/acl_rule_order/hcl"),
        [
            (
                "aws_network_acl_rule.allow_ssh[\"b\"]".to_string(),
                "medium".to_string(),
                ssh.to_string()
            ),
            (
                "aws_network_acl_rule.allow_ssh_other".to_string(),
                "medium".to_string(),
                ssh.to_string()
            ),
            (
                "aws_network_acl_rule.response_ephemeral".to_string(),
                "low".to_string(),
                "network acl allows ingress from the whole internet (`0.0.0.0/0`) to `tcp` ports `1024-3388`, `3390-65535`; narrow `cidr_block` to the sources that need it".to_string()
            ),
        ]
    );
    // In a plan: the same ACL through the configuration's references (created by the plan) or
    // the same known id; another ACL is reported.
    assert_eq!(
        net002("testdata/precision/acl_rule_order/plan/plan.json"),
        [(
            "aws_network_acl_rule.allow_elsewhere".to_string(),
            "medium".to_string(),
            ssh.to_string()
        )]
    );
}

#[test]
fn a_generated_file_that_does_not_parse_is_an_error_at_the_generate_block() {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args([
            "testdata/precision/terragrunt_generate_error",
            "--format",
            "json",
        ])
        .output()
        .expect("the guard binary runs");
    assert_eq!(out.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    let errors: Vec<(&str, u64, &str)> = doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap_or_default(),
                e["line"].as_u64().unwrap_or(0),
                e["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 1, "{doc}");
    assert_eq!(
        (errors[0].0, errors[0].1),
        (
            "testdata/precision/terragrunt_generate_error/unit/terragrunt.hcl",
            6
        ),
        "{doc}"
    );
    assert!(
        errors[0].2.starts_with(
            "`broken.tf` written by `generate \"broken\"` (fix its `contents` here): line 2: "
        ),
        "{doc}"
    );
}

#[test]
fn the_summary_counts_input_warnings_apart_from_findings() {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .args(["testdata/precision/terragrunt_warning_lines"])
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("the guard binary runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let summary = text
        .lines()
        .find(|l| l.starts_with("pass:") || l.starts_with("fail:"))
        .unwrap_or_else(|| panic!("no summary line in {text}"));
    // Two findings that do not block (warnings) and two evaluation warnings, printed above.
    assert!(
        summary.contains(", 2 warnings, 0 suppressed, 0 input errors, 2 input warnings; "),
        "{summary}"
    );
    assert_eq!(text.matches("\nwarning: ").count(), 2, "{text}");
}
