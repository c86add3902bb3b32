//! The plan loader: accepted formats, clear errors, masks, and Terraform's arithmetic.

use guard::load::plan::load_plan;
use guard::summary::summarize;
use guard_policies::{Privileged, ValueKind};

fn plan_with(version: &str, extra: &str) -> String {
    format!(r#"{{"format_version": "{version}", "resource_changes": [{extra}]}}"#)
}

#[test]
fn every_format_from_0_1_to_1_x_is_accepted() {
    for v in ["0.1", "0.2", "1.0", "1.1", "1.2", "1.9"] {
        assert!(
            load_plan("p.json", plan_with(v, "").as_bytes()).is_ok(),
            "{v}"
        );
    }
}

#[test]
fn format_2_is_rejected_with_the_version_named() {
    let err = load_plan("p.json", plan_with("2.0", "").as_bytes()).unwrap_err();
    assert_eq!(err.file, "p.json");
    assert!(err.message.contains("`2.0`"), "{}", err.message);
}

#[test]
fn json_that_is_not_a_plan_is_rejected() {
    let array = load_plan("a.json", b"[1, 2]").unwrap_err();
    assert!(
        array.message.contains("expected a JSON object"),
        "{}",
        array.message
    );
    let state = load_plan("s.json", br#"{"format_version": "1.0", "values": {}}"#).unwrap_err();
    assert!(state.message.contains("state"), "{}", state.message);
    let empty = load_plan("e.json", b"  \n").unwrap_err();
    assert!(empty.message.contains("empty"), "{}", empty.message);
}

#[test]
fn truncated_json_names_the_line_and_column() {
    let err = load_plan(
        "t.json",
        b"{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [",
    )
    .unwrap_err();
    assert_eq!(err.line, Some(3));
    assert!(err.column.is_some());
    assert!(
        err.message.starts_with("invalid plan JSON"),
        "{}",
        err.message
    );
}

#[test]
fn wrong_types_are_errors_not_panics() {
    for body in [
        r#"{"format_version": 1.2, "resource_changes": []}"#,
        r#"{"format_version": "1.2", "resource_changes": {}}"#,
        r#"{"format_version": "1.2", "resource_changes": [{"address": 1}]}"#,
        r#"{"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["explode"]}}]}"#,
    ] {
        assert!(load_plan("w.json", body.as_bytes()).is_err(), "{body}");
    }
}

fn one_change(change: &str) -> guard_policies::Resource {
    let body = format!(
        r#"{{"format_version": "1.2", "resource_changes": [{{"address": "aws_db_instance.x", "mode": "managed", "type": "aws_db_instance", "name": "x", "change": {change}}}]}}"#
    );
    let plan = load_plan("p.json", body.as_bytes()).unwrap();
    plan.model.resources()[0].clone()
}

#[test]
fn unknown_leaves_are_unknown_not_absent() {
    let r = one_change(
        r#"{"actions": ["create"], "before": null, "after": {"a": 1, "tags": [null, "x"]}, "after_unknown": {"id": true, "tags": [true, false]}, "before_sensitive": false, "after_sensitive": {}}"#,
    );
    assert!(r.values().get("id").is_unknown());
    assert!(r
        .values()
        .get("tags")
        .as_list()
        .get(0)
        .unwrap()
        .is_unknown());
    assert_eq!(r.values().get("a").as_f64(), Some(1.0));
}

#[test]
fn sensitive_masks_mark_values_and_mismatches_fail_closed() {
    let r = one_change(
        r#"{"actions": ["create"], "before": null, "after": {"password": "p", "name": "n", "nested": {"k": "v"}}, "after_unknown": {}, "before_sensitive": false, "after_sensitive": {"password": true, "nested": [true]}}"#,
    );
    assert!(r.values().get("password").is_marked_sensitive());
    assert!(!r.values().get("name").is_marked_sensitive());
    assert!(
        r.values().get("nested").is_marked_sensitive(),
        "an array mask on an object is a mismatch"
    );
}

#[test]
fn a_missing_mask_redacts_the_whole_value() {
    let r = one_change(r#"{"actions": ["create"], "before": null, "after": {"name": "n"}}"#);
    assert!(r.values().is_marked_sensitive());
}

#[test]
fn deletions_expose_the_before_values() {
    let r = one_change(
        r#"{"actions": ["delete"], "before": {"identifier": "db"}, "after": null, "before_sensitive": {}, "after_sensitive": false}"#,
    );
    assert_eq!(r.values().get("identifier").as_str(), Some("db"));
    assert!(r.is_deleted());
}

#[test]
fn counts_follow_terraforms_arithmetic() {
    let body = include_str!("../../testdata/plans/terraform-data/plan.json");
    let plan = load_plan("p.json", body.as_bytes()).unwrap();
    let summary = summarize(&plan.model, &Privileged::default());
    // What `terraform show` printed for this plan file.
    assert_eq!(
        summary.plan_line,
        "Plan: 3 to add, 1 to change, 2 to destroy."
    );
    assert_eq!(summary.counts.replace, 1);
    assert_eq!(summary.counts.moved, 1);
    assert_eq!(summary.destructive.len(), 2);
}

#[test]
fn errored_and_incomplete_plans_cannot_be_called_safe() {
    let body =
        r#"{"format_version": "1.2", "resource_changes": [], "errored": true, "complete": false}"#;
    let plan = load_plan("p.json", body.as_bytes()).unwrap();
    let summary = summarize(&plan.model, &Privileged::default());
    assert_eq!(summary.unsafe_reasons.len(), 2);
}

#[test]
fn sensitive_variable_values_become_scrub_secrets() {
    let body = include_str!("../../testdata/plans/terraform-data/plan.json");
    let plan = load_plan("p.json", body.as_bytes()).unwrap();
    assert!(plan
        .secrets
        .iter()
        .any(|s| s == "tok-PLANTED-real-terraform-secret"));
    assert!(matches!(
        plan.model.variables()[0].value().kind(),
        ValueKind::String(_)
    ));
}

#[test]
fn a_bom_is_ignored() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(plan_with("1.2", "").as_bytes());
    assert!(load_plan("b.json", &body).is_ok());
}

#[test]
fn drift_entries_without_an_address_get_the_address_terraform_would_write() {
    // Terraform 1.0.x wrote resource_drift entries without `address`.
    let body = r#"{"format_version": "0.1", "resource_changes": [], "resource_drift": [
        {"module_address": "module.m", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "index": "k",
         "change": {"actions": ["update"], "before": {}, "after": {}}}]}"#;
    let plan = load_plan("d.json", body.as_bytes()).unwrap();
    assert_eq!(
        plan.model.drift()[0].address(),
        r#"module.m.aws_s3_bucket.b["k"]"#
    );
}

#[test]
fn the_arguments_a_configuration_writes_are_recorded_per_block() {
    let body = r#"{"format_version": "1.2",
      "resource_changes": [
        {"address": "module.db.aws_db_instance.x[0]", "module_address": "module.db", "mode": "managed", "type": "aws_db_instance", "name": "x", "index": 0,
         "change": {"actions": ["create"], "before": null, "after": {"storage_encrypted": true}, "after_unknown": {"kms_key_id": true}, "before_sensitive": false, "after_sensitive": {}}},
        {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q",
         "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}, "before_sensitive": false, "after_sensitive": {}}}],
      "configuration": {"root_module": {"module_calls": {"db": {"module": {"resources": [
        {"address": "aws_db_instance.x", "mode": "managed", "type": "aws_db_instance", "name": "x",
         "expressions": {"storage_encrypted": {"constant_value": true}}}]}}}}}}"#;
    let plan = load_plan("p.json", body.as_bytes()).unwrap();
    let db = &plan.model.resources()[0];
    let written = db
        .written_arguments()
        .expect("the block is in the configuration");
    assert!(written.contains("storage_encrypted"));
    assert!(!written.contains("kms_key_id"));
    // A block the configuration does not hold: unknown, not "writes nothing".
    assert!(plan.model.resources()[1].written_arguments().is_none());
}
