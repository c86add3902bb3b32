//! Generated plans.

use serde_json::{json, Value};
use std::path::PathBuf;

/// A plan with `n` resources: creates, updates, deletes and replaces, some privileged.
pub fn big_plan(n: usize) -> Value {
    let mut changes = Vec::with_capacity(n);
    for i in 0..n {
        let (ty, actions): (&str, Value) = match i % 5 {
            0 => ("aws_sqs_queue", json!(["create"])),
            1 => ("aws_sqs_queue", json!(["update"])),
            2 => ("aws_cloudwatch_log_group", json!(["delete"])),
            3 => ("aws_iam_role", json!(["delete", "create"])),
            _ => ("aws_sns_topic", json!(["create"])),
        };
        let deleting = actions
            .as_array()
            .is_some_and(|a| a.contains(&json!("delete")));
        let creating = actions
            .as_array()
            .is_some_and(|a| a.contains(&json!("create")));
        let value = json!({"name": format!("r-{i}"), "tags": {"n": i.to_string()}});
        changes.push(json!({
            "address": format!("module.m{}.{ty}.r[\"k-{i}\"]", i % 50),
            "module_address": format!("module.m{}", i % 50),
            "mode": "managed",
            "type": ty,
            "name": "r",
            "index": format!("k-{i}"),
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {
                "actions": actions,
                "before": if creating && !deleting { Value::Null } else { value.clone() },
                "after": if deleting && !creating { Value::Null } else { value.clone() },
                "after_unknown": {},
                "before_sensitive": {},
                "after_sensitive": {}
            }
        }));
    }
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "resource_changes": changes,
        "complete": true,
        "errored": false
    })
}

/// Writes a plan under the target directory and returns its path.
pub fn write_plan(name: &str, plan: &Value) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("guard-github-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(plan).unwrap()).unwrap();
    path
}
