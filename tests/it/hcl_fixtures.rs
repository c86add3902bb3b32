//! Snapshot tests of the Terraform/Terragrunt loader over the fixture trees in `testdata/hcl/`.
//!
//! Each case directory is loaded as a user would pass it, and the models are dumped in a
//! readable form: addresses, values (with `(sensitive)` marks and `?` for unknown), and origins
//! as `kind@file:line`.

use guard::load::hcl::{load, HclOptions};
use guard::load::Loaded;
use guard::source::SourceMap;
use guard_policies::{Origin, OriginKind, ValueKind, ValueRef};
use std::fmt::Write;
use std::path::PathBuf;

fn kind(k: OriginKind) -> &'static str {
    match k {
        OriginKind::Literal => "lit",
        OriginKind::Tfvars => "tfvars",
        OriginKind::VariableDefault => "default",
        OriginKind::ModuleArgument => "arg",
        OriginKind::TerragruntInput => "input",
        OriginKind::Local => "local",
    }
}

fn at(sources: &SourceMap, o: &Origin) -> String {
    let line = sources
        .line_col(&o.file, o.start as usize)
        .map(|(l, _)| l.to_string())
        .unwrap_or_else(|| "MISSING-SOURCE".to_string());
    format!("{}@{}:{}", kind(o.kind), o.file, line)
}

fn scalar(v: ValueRef<'_>) -> String {
    match v.kind() {
        ValueKind::Null => "null".into(),
        ValueKind::Unknown => "?".into(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Number(n) => guard_policies::value::format_number(n),
        ValueKind::String(s) => format!("{s:?}"),
        ValueKind::List(_) => "[".into(),
        ValueKind::Object(_) => "{".into(),
    }
}

fn value(out: &mut String, sources: &SourceMap, v: ValueRef<'_>, indent: usize, key: &str) {
    let pad = "  ".repeat(indent);
    let mut line = format!("{pad}{key}{}", scalar(v));
    if v.is_marked_sensitive() {
        line.push_str(" (sensitive)");
    }
    if let Some(p) = v.primary_origin() {
        line.push_str(&format!("  <- {}", at(sources, p)));
        if v.origins().len() > 1 {
            line.push_str(&format!(" +{}", v.origins().len() - 1));
        }
    }
    let _ = writeln!(out, "{line}");
    match v.kind() {
        ValueKind::List(items) => {
            for (i, item) in items.iter().enumerate() {
                value(out, sources, item, indent + 1, &format!("[{i}] "));
            }
            let _ = writeln!(out, "{pad}]");
        }
        ValueKind::Object(map) => {
            for (k, item) in map {
                value(out, sources, item, indent + 1, &format!("{k} = "));
            }
            let _ = writeln!(out, "{pad}}}");
        }
        _ => {}
    }
}

pub fn dump(loaded: &Loaded) -> String {
    let s = &loaded.sources;
    let mut out = String::new();
    for m in &loaded.models {
        let _ = writeln!(out, "== model {} ({:?})", m.name(), m.input());
        for r in m.resources() {
            let _ = writeln!(
                out,
                "resource {} [{:?}] config={} module={:?}{}",
                r.address(),
                r.mode(),
                r.config_address(),
                r.module(),
                if r.instances_unknown() {
                    " INSTANCES-UNKNOWN"
                } else {
                    ""
                }
            );
            if let Some(l) = r.location() {
                let _ = writeln!(out, "  at {}", at(s, l));
            }
            for c in r.module_calls() {
                let _ = writeln!(out, "  via {}", at(s, c));
            }
            if let Some(lc) = r.lifecycle() {
                let _ = writeln!(
                    out,
                    "  lifecycle prevent_destroy={:?} create_before_destroy={:?}",
                    lc.prevent_destroy, lc.create_before_destroy
                );
            }
            value(&mut out, s, r.values(), 1, "values = ");
        }
        for o in m.outputs() {
            let _ = writeln!(
                out,
                "output {}{} declared_sensitive={:?}",
                if o.module.is_empty() {
                    String::new()
                } else {
                    format!("{}.", o.module)
                },
                o.name,
                o.declared_sensitive
            );
            value(&mut out, s, o.value(), 1, "value = ");
        }
        for v in m.variables() {
            let _ = writeln!(
                out,
                "variable {}{} declared_sensitive={}",
                if v.module.is_empty() {
                    String::new()
                } else {
                    format!("{}.", v.module)
                },
                v.name,
                v.declared_sensitive
            );
            value(&mut out, s, v.value(), 1, "value = ");
        }
    }
    for e in &loaded.errors {
        let _ = writeln!(out, "error: {e}");
    }
    for w in &loaded.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    let _ = writeln!(out, "secrets: {}", loaded.secrets.len());
    out
}

fn load_case(case: &str, options: &HclOptions) -> Loaded {
    let loaded = load(&[PathBuf::from(format!("testdata/hcl/{case}"))], options);
    // Every origin points into a file the source map holds.
    for m in &loaded.models {
        for r in m.resources() {
            let mut all = Vec::new();
            collect(r.values(), &mut all);
            all.extend(r.location().cloned());
            for o in all {
                assert!(
                    loaded.sources.get(&o.file).is_some(),
                    "{}: origin file {} not in the source map",
                    r.address(),
                    o.file
                );
            }
        }
    }
    loaded
}

fn collect(v: ValueRef<'_>, out: &mut Vec<Origin>) {
    out.extend(v.origins().iter().cloned());
    match v.kind() {
        ValueKind::List(items) => items.iter().for_each(|i| collect(i, out)),
        ValueKind::Object(m) => m.values().for_each(|i| collect(i, out)),
        _ => {}
    }
}

fn snapshot(case: &str) {
    let loaded = load_case(case, &HclOptions::default());
    insta::assert_snapshot!(case, dump(&loaded));
}

#[test]
fn basic() {
    snapshot("basic");
}

#[test]
fn syntax_functions_and_workarounds() {
    snapshot("syntax");
}

#[test]
fn json_syntax() {
    snapshot("json");
}

#[test]
fn parse_error_keeps_going() {
    snapshot("parse_error");
}

#[test]
fn cached_registry_module() {
    snapshot("cached_modules");
}

#[test]
fn nested_module_instances() {
    snapshot("nested");
}

#[test]
fn terragrunt_units() {
    snapshot("terragrunt");
}

#[test]
fn variable_precedence() {
    // Only this test reads TF_VAR_ variables, with names no other fixture declares.
    std::env::set_var("TF_VAR_guard_env_only", "from-env");
    std::env::set_var("TF_VAR_a", "from-env");
    let options = HclOptions {
        var_files: vec![PathBuf::from("testdata/hcl/precedence/extra.tfvars")],
        vars: vec![("e".to_string(), "[1, 2]".to_string())],
        env_vars: true,
        ..HclOptions::default()
    };
    let loaded = load_case("precedence", &options);
    insta::assert_snapshot!("precedence", dump(&loaded));
    let without_env = load_case("precedence", &HclOptions::default());
    let r = &without_env.models[0].resources()[0];
    assert_eq!(
        r.values().path(&["triggers", "env"]).as_str(),
        Some("default")
    );
}

#[test]
fn terragrunt_merge_strategies_and_functions() {
    // run_cmd is never executed: its command would create this file.
    let marker = std::path::Path::new("/tmp/guard-tg-run-cmd-marker");
    let _ = std::fs::remove_file(marker);
    snapshot("tg_features");
    assert!(!marker.exists(), "run_cmd was executed");
}

#[test]
fn real_world_shapes() {
    // Research note section 7, items 11, 14-18 and 21-24 (the others are in `basic`,
    // `syntax`, `cached_modules`, `terragrunt` and `tg_features`).
    snapshot("realworld");
}

/// A resource named by no expression keeps no reference value; one named with spaces around
/// the dot, or inside a `.tf.json` template, is still found and read.
#[test]
fn references_are_found_however_they_are_spaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
resource "aws_s3_bucket" "spaced" {
  bucket = "spaced-bucket"
}
resource "aws_s3_bucket" "unread" {
  bucket = "unread-bucket"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket . spaced.bucket
}
"#,
    )
    .expect("write main.tf");
    std::fs::write(
        dir.path().join("extra.tf.json"),
        r#"{"resource": {"aws_s3_bucket" : {"json": {"bucket": "json-bucket"}},
            "aws_s3_bucket_policy": {"p": {"bucket": "${aws_s3_bucket.json.bucket}"}}}}"#,
    )
    .expect("write extra.tf.json");
    let loaded = load(&[dir.path().to_path_buf()], &HclOptions::default());
    let model = &loaded.models[0];
    let bucket_of = |address: &str| {
        let r = model
            .resources()
            .iter()
            .find(|r| r.address() == address)
            .unwrap_or_else(|| panic!("{address} loaded"));
        r.values().get("bucket").as_str().map(str::to_string)
    };
    assert_eq!(
        bucket_of("aws_s3_bucket_versioning.v").as_deref(),
        Some("spaced-bucket")
    );
    assert_eq!(
        bucket_of("aws_s3_bucket_policy.p").as_deref(),
        Some("json-bucket")
    );
    assert_eq!(
        bucket_of("aws_s3_bucket.unread").as_deref(),
        Some("unread-bucket")
    );
}
