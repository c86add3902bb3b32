//! Redaction by construction (issue 12 §1, §5): sensitive values are hidden where they are
//! rendered, never by rewriting finished text.
//!
//! - Noninterference: inputs that differ only in the contents of their sensitive values give
//!   byte-identical output in every format (a leak, a positional oracle and a corruption all
//!   break it).
//! - Well-formedness: every format parses (SARIF against the vendored 2.1.0 schema, checked by
//!   the small draft-04 validator below), every `file` exists, no long secret appears.
//! - The mangling examples of the issue, the markdown budget, and the corpus sweep.

use guard::report::{render, Format, RenderOptions, Report};
use guard::stages::Triaged;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const ALL_FORMATS: [Format; 6] = [
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Markdown,
    Format::Github,
    Format::Compact,
];

/// Values that collide with ordinary output: keywords, numbers, words guard prints, policy codes,
/// pieces of the fixture paths, JSON syntax.
const ADVERSARIAL: &[&str] = &[
    "true",
    "false",
    "null",
    "1",
    "0",
    "test",
    "password",
    "latest",
    "high",
    "critical",
    "NET001",
    "DEL001",
    "public-egress",
    "main",
    "main.tf",
    "plan",
    "plan.json",
    "json",
    "modules",
    "tmp",
    "aws_db_instance",
    "HTTP",
    "{",
    "}",
    "\"",
    ",",
    ":",
    "\n",
    "(redacted)",
    "(sensitive)",
];

fn sensitive_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(ADVERSARIAL).prop_map(str::to_string),
        2 => "[a-z]{1,6}",
        2 => "[A-Za-z0-9]{20,40}",
        1 => "[ -~]{0,12}",
    ]
}

/// Five sensitive values for [`module`]: the last is quoted by a message and must keep
/// deletion protection off.
fn module_values() -> impl Strategy<Value = Vec<String>> {
    (
        prop::collection::vec(sensitive_value(), 4),
        sensitive_value().prop_filter("keeps the finding", |v| v != "true"),
    )
        .prop_map(|(mut v, quoted)| {
            v.push(quoted);
            v
        })
}

fn options_without_sec001() -> guard::Options {
    guard::Options {
        // SEC001 judges a literal by its content (entropy, placeholders): keep the predicate
        // constant so only rendering can make a difference.
        ignore: vec!["SEC001".to_string()],
        ..guard::Options::default()
    }
}

fn render_all(report: &Report) -> Vec<(Format, String)> {
    ALL_FORMATS
        .iter()
        .map(|&f| (f, render(report, f, RenderOptions { color: false })))
        .collect()
}

/// An HCL quoted string.
fn hcl_string(v: &str) -> String {
    serde_json::to_string(v)
        .unwrap()
        .replace("${", "$${")
        .replace("%{", "%%{")
}

/// A module whose sensitive values are `v[0..5]`: a sensitive variable, secret-named attributes
/// at several depths, a sensitive output, a secret-named variable that a message quotes
/// (`deletion_protection`, never `true`, so the finding stays); with findings of several
/// policies around them.
fn module(v: &[String]) -> String {
    format!(
        r#"variable "db_password" {{
  type      = string
  sensitive = true
  default   = {}
}}

variable "use_password" {{
  default = {}
}}

variable "deletion_protection_secret" {{
  default = {}
}}

resource "aws_db_instance" "main" {{
  identifier          = "main"
  engine              = "postgres"
  password            = var.db_password
  deletion_protection = var.deletion_protection_secret
  storage_encrypted   = false
  publicly_accessible = true
}}

resource "aws_lambda_function" "fn" {{
  function_name = "fn"
  environment {{
    variables = {{
      CLIENT_SECRET = {}
    }}
  }}
}}

resource "aws_security_group" "web" {{
  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}

output "listeners" {{
  sensitive = true
  value     = {{ protocol = {} }}
}}

output "db" {{
  value = aws_db_instance.main.password
}}
"#,
        hcl_string(&v[0]),
        hcl_string(&v[1]),
        hcl_string(&v[4]),
        hcl_string(&v[2]),
        hcl_string(&v[3]),
    )
}

fn module_report(dir: &Path, values: &[String]) -> Triaged {
    let root = dir.join("conftest");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("test_plan.tf"), module(values)).unwrap();
    guard::checked(&[root], &options_without_sec001()).untriaged()
}

/// A plan whose sensitive values are `v[0..4]`: masked attributes, a sensitive variable, a
/// sensitive output; with a privileged deletion, drift and unencrypted storage around them.
fn plan(v: &[String]) -> Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": {"db_password": {"value": v[0]}},
        "resource_changes": [
            {"address": "aws_db_instance.main", "mode": "managed", "type": "aws_db_instance", "name": "main",
             "change": {"actions": ["update"],
                "before": {"identifier": "main", "password": v[1], "storage_encrypted": false, "tags": {"team": v[2]}},
                "after": {"identifier": "main", "password": v[1], "storage_encrypted": false, "tags": {"team": v[2]}},
                "after_unknown": {}, "before_sensitive": {"password": true, "tags": {"team": true}},
                "after_sensitive": {"password": true, "tags": {"team": true}}}},
            {"address": "aws_iam_user.ci", "mode": "managed", "type": "aws_iam_user", "name": "ci",
             "change": {"actions": ["delete"], "before": {"name": "ci", "tags": {"secret": v[3]}}, "after": null,
                "after_unknown": {}, "before_sensitive": {"tags": {"secret": true}}, "after_sensitive": false}},
        ],
        "output_changes": {
            "listeners": {"actions": ["create"], "before": null, "after": {"protocol": v[3]},
                "after_unknown": false, "before_sensitive": false, "after_sensitive": true}
        },
        "configuration": {"root_module": {
            "variables": {"db_password": {"sensitive": true}},
            "outputs": {"listeners": {"sensitive": true}}
        }},
        "errored": false,
        "complete": true
    })
}

fn plan_report(dir: &Path, values: &[String]) -> Triaged {
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&plan(values)).unwrap()).unwrap();
    guard::checked(&[path], &options_without_sec001()).untriaged()
}

fn assert_identical(a: &Triaged, b: &Triaged) -> Result<(), TestCaseError> {
    prop_assert!(!a.findings.is_empty(), "the case must produce findings");
    let (report_a, report_b) = (Report::build(a.clone()), Report::build(b.clone()));
    for ((format, x), (_, y)) in render_all(&report_a).iter().zip(render_all(&report_b)) {
        prop_assert_eq!(x, &y, "{:?} depends on a sensitive value", format);
    }
    // The baseline file and `--statistics` (issue 20): fingerprints hash codes, addresses,
    // attribute names and message templates, never a value.
    let (baseline_a, baseline_b) = (
        guard::baseline::from_report(a),
        guard::baseline::from_report(b),
    );
    prop_assert_eq!(
        baseline_a.to_json(),
        baseline_b.to_json(),
        "the baseline file depends on a sensitive value"
    );
    prop_assert_eq!(
        guard::report::human::render_statistics(&report_a),
        guard::report::human::render_statistics(&report_b),
        "--statistics depends on a sensitive value"
    );
    Ok(())
}

/// A report with a baseline applied (the other run's baseline: they must be identical, so every
/// finding matches) renders the same too.
fn assert_identical_with_baseline(a: Triaged, b: Triaged) -> Result<(), TestCaseError> {
    let baseline = guard::baseline::from_report(&b);
    let a = baseline.apply(a, "guard-baseline.json");
    let b = baseline.apply(b, "guard-baseline.json");
    prop_assert!(
        a.findings.iter().any(|f| f.baselined),
        "the baseline must match findings"
    );
    assert_identical(&a, &b)
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// Two modules that differ only in their sensitive values render the same, byte for byte.
    #[test]
    fn modules_differing_only_in_sensitive_values_render_identically(
        a in module_values(),
        b in module_values(),
    ) {
        // The same directory for both: paths (and hashes of them) are part of the output.
        let dir = tempfile::tempdir().unwrap();
        let ra = module_report(dir.path(), &a);
        let rb = module_report(dir.path(), &b);
        assert_identical(&ra, &rb)?;
        assert_identical_with_baseline(ra, rb)?;
    }

    /// Two plans that differ only in their sensitive values render the same, byte for byte.
    #[test]
    fn plans_differing_only_in_sensitive_values_render_identically(
        a in prop::collection::vec(sensitive_value(), 4),
        b in prop::collection::vec(sensitive_value(), 4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let ra = plan_report(dir.path(), &a);
        let rb = plan_report(dir.path(), &b);
        assert_identical(&ra, &rb)?;
        assert_identical_with_baseline(ra, rb)?;
    }

    /// Every format is well formed whatever the sensitive values are, every `file` exists, and
    /// no long secret appears.
    #[test]
    fn every_format_is_well_formed(
        v in module_values(),
        long in "[A-Za-z0-9]{24}",
        use_plan in prop::bool::ANY,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut values = v.clone();
        values[1] = format!("Zq{long}Xv");
        let report = Report::build(if use_plan {
            plan_report(dir.path(), &values)
        } else {
            module_report(dir.path(), &values)
        });
        for (format, out) in render_all(&report) {
            prop_assert!(!out.contains(&values[1]), "{:?} leaks the long secret", format);
            match format {
                Format::Json => {
                    let doc: Value = serde_json::from_str(&out).map_err(|e| TestCaseError::fail(format!("{e}\n{out}")))?;
                    assert_files_exist(&doc);
                }
                Format::Sarif => assert_valid_sarif(&out),
                _ => {}
            }
        }
    }
}

/// Every `file` of a JSON report names a file that exists.
fn assert_files_exist(doc: &Value) {
    for file in files_of(doc) {
        assert!(Path::new(&file).exists(), "`file` names no file: {file}");
    }
}

/// Every `file` of a JSON report.
fn files_of(doc: &Value) -> Vec<String> {
    let mut files = Vec::new();
    for list in ["findings", "errors", "warnings"] {
        for item in doc[list].as_array().into_iter().flatten() {
            files.extend(item["file"].as_str());
            for related in item["related"].as_array().into_iter().flatten() {
                files.extend(related["file"].as_str());
            }
        }
    }
    for plan in doc["plans"].as_array().into_iter().flatten() {
        files.extend(plan["file"].as_str());
    }
    files.into_iter().map(str::to_string).collect()
}

fn sarif_schema() -> &'static Value {
    static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::from_str(include_str!(
            "../../testdata/schemas/sarif-schema-2.1.0.json"
        ))
        .unwrap()
    })
}

fn assert_valid_sarif(text: &str) {
    let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut errors = Vec::new();
    validate(sarif_schema(), sarif_schema(), &doc, "$", &mut errors);
    assert!(
        errors.is_empty(),
        "SARIF does not match the schema: {errors:#?}"
    );
}

/// The draft-04 keywords the SARIF schema uses: `$ref` (local), `type`, `enum`, `properties`,
/// `required`, `additionalProperties`, `items`, `minItems`, `uniqueItems`, `minimum`, `maximum`,
/// `pattern`, `anyOf`, `oneOf`. `format` is an annotation here, as the schema allows.
fn validate(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let target = r
            .strip_prefix("#/")
            .map(|p| p.split('/').fold(root, |s, k| &s[k]))
            .unwrap_or(&Value::Null);
        assert!(!target.is_null(), "unresolved $ref {r}");
        return validate(root, target, v, at, errors);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let is = |t: &str| match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    };
    if !types.is_empty() && !types.iter().any(|t| is(t)) {
        errors.push(format!("{at}: expected {types:?}, got {v}"));
        return;
    }
    if let Some(values) = schema["enum"].as_array() {
        if !values.contains(v) {
            errors.push(format!("{at}: {v} not in {values:?}"));
        }
    }
    if let Some(n) = v.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|m| n < m) {
            errors.push(format!("{at}: {n} below minimum"));
        }
        if schema["maximum"].as_f64().is_some_and(|m| n > m) {
            errors.push(format!("{at}: {n} above maximum"));
        }
    }
    if let (Some(p), Some(s)) = (schema["pattern"].as_str(), v.as_str()) {
        if !regex::Regex::new(p).unwrap().is_match(s) {
            errors.push(format!("{at}: {s:?} does not match {p}"));
        }
    }
    if let Some(obj) = v.as_object() {
        for key in schema["required"].as_array().into_iter().flatten() {
            if let Some(k) = key.as_str() {
                if !obj.contains_key(k) {
                    errors.push(format!("{at}: missing {k}"));
                }
            }
        }
        let props = schema["properties"].as_object();
        for (k, item) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(root, s, item, &format!("{at}.{k}"), errors),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => errors.push(format!("{at}: unexpected key {k}")),
                    s @ Value::Object(_) => validate(root, s, item, &format!("{at}.{k}"), errors),
                    _ => {}
                },
            }
        }
    }
    if let Some(items) = v.as_array() {
        if schema["minItems"]
            .as_u64()
            .is_some_and(|m| (items.len() as u64) < m)
        {
            errors.push(format!("{at}: fewer than minItems"));
        }
        if schema["uniqueItems"].as_bool() == Some(true) {
            for (i, x) in items.iter().enumerate() {
                if items[..i].contains(x) {
                    errors.push(format!("{at}[{i}]: duplicate item"));
                }
            }
        }
        if schema["items"].is_object() {
            for (i, x) in items.iter().enumerate() {
                validate(root, &schema["items"], x, &format!("{at}[{i}]"), errors);
            }
        }
    }
    for (keyword, need) in [("anyOf", 1..usize::MAX), ("oneOf", 1..2)] {
        if let Some(options) = schema[keyword].as_array() {
            let passing = options
                .iter()
                .filter(|s| {
                    let mut e = Vec::new();
                    validate(root, s, v, at, &mut e);
                    e.is_empty()
                })
                .count();
            if !need.contains(&passing) {
                errors.push(format!("{at}: {passing} of {keyword} match"));
            }
        }
    }
}

#[test]
fn the_schema_validator_rejects_what_the_schema_forbids() {
    // Guards the validator against checking nothing.
    let good = render(
        &guard::run(
            &[PathBuf::from("testdata/plans/incident/plan.json")],
            &guard::Options::default(),
        ),
        Format::Sarif,
        RenderOptions::default(),
    );
    assert_valid_sarif(&good);
    let mut doc: Value = serde_json::from_str(&good).unwrap();
    for broken in [
        json!({"version": "2.1.0", "runs": "not an array"}),
        json!({"runs": []}),
        {
            doc["runs"][0]["results"][0]["level"] = json!("fatal");
            doc.clone()
        },
        {
            doc["runs"][0]["results"][0]["level"] = json!("error");
            doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"] =
                json!({"startLine": 0});
            doc
        },
    ] {
        let mut errors = Vec::new();
        validate(sarif_schema(), sarif_schema(), &broken, "$", &mut errors);
        assert!(!errors.is_empty(), "accepted {broken}");
    }
}

/// The module of the issue's first example: a sensitive `test`, a secret-named `true`, a
/// placeholder `client_secret = "client_secret"`, a sensitive output of a listener map with
/// `HTTP`, keys that contain those words.
const MANGLED: &str = r#"variable "db_password" {
  default   = "test"
  sensitive = true
}

variable "create_secret" {
  default = "true"
}

variable "x_password" {
  default   = "password"
  sensitive = true
}

resource "aws_db_instance" "latest" {
  identifier          = "test"
  password            = var.db_password
  deletion_protection = var.deletion_protection_secret
  storage_encrypted   = false
  publicly_accessible = true
}

resource "azuread_application_password" "app" {
  display_name  = "app"
  client_secret = "client_secret"
  root_password = "Zq8mW2pL9xT4vB7nXv"
}

resource "aws_security_group" "this" {
  for_each = toset(["ex-HTTP", "ex-test"])
  name     = each.key
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

output "listeners" {
  sensitive = true
  value     = { protocol = "HTTP", enabled = "true" }
}
"#;

#[test]
fn short_sensitive_values_do_not_mangle_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("conftest");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("test_plan.tf"), MANGLED).unwrap();
    let report = guard::run(std::slice::from_ref(&root), &guard::Options::default());
    let path = root.join("test_plan.tf").display().to_string();
    for (format, out) in render_all(&report) {
        assert!(!out.contains("(redacted)"), "{format:?} mangled:\n{out}");
        assert!(
            !out.contains("Zq8mW2pL9xT4vB7nXv"),
            "{format:?} leaks:\n{out}"
        );
        if format != Format::Github {
            // The workflow-command format escapes `:` in properties; paths show elsewhere.
            assert!(out.contains(&path), "{format:?} lost the path:\n{out}");
        }
    }
    let json: Value =
        serde_json::from_str(&render(&report, Format::Json, RenderOptions::default()))
            .expect("valid JSON");
    assert_files_exist(&json);
    let findings = json["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["blocking"].is_boolean()));
    let addresses: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["address"].as_str())
        .collect();
    let instances: Vec<&str> = findings
        .iter()
        .flat_map(|f| f["instances"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    assert!(
        instances.iter().any(|i| i.contains("[\"ex-HTTP\"]")),
        "{instances:?}"
    );
    assert!(addresses
        .iter()
        .any(|a| a.starts_with("aws_db_instance.latest")));
    let messages: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("`root_password`")),
        "{messages:?}"
    );
    assert_valid_sarif(&render(&report, Format::Sarif, RenderOptions::default()));
    // The policy documentation in SARIF (with a `latest` URL) is intact.
    let sarif = render(&report, Format::Sarif, RenderOptions::default());
    assert!(sarif.contains("\"executionSuccessful\": true"));
}

/// A message that names a sensitive value shows `(sensitive)`, never the value.
#[test]
fn messages_show_sensitive_values_as_sensitive() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"resource "aws_db_instance" "main" {
  identifier          = "main"
  deletion_protection = var.deletion_protection_secret
}
variable "deletion_protection_secret" {
  default = "false"
}
"#,
    )
    .unwrap();
    let report = guard::run(&[dir.path().to_path_buf()], &guard::Options::default());
    let messages: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.finding.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("(sensitive)")),
        "{messages:?}"
    );
}

/// A snippet masks a sensitive value by its span and keeps the marker under the finding.
#[test]
fn snippets_mask_sensitive_values_and_keep_the_marker_aligned() {
    let dir = tempfile::tempdir().unwrap();
    let text = "resource \"aws_db_instance\" \"main\" {\n  tags = { api_token = \"Zq7longtokenvalue9Xv\", x = \"a\" }\n  storage_encrypted = false\n}\n";
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    let mut report =
        guard::checked(&[dir.path().to_path_buf()], &options_without_sec001()).untriaged();
    let mut finding = report
        .findings
        .iter()
        .find(|f| f.finding.code == "ENC001")
        .expect("an ENC001 finding")
        .clone();
    // Point the finding at `x` on the line that holds the token.
    let file = finding.finding.location.clone().unwrap().file;
    let start = text.find("x = ").unwrap();
    finding.finding.location = Some(guard_policies::Origin::new(
        file,
        start,
        start + 1,
        guard_policies::OriginKind::Literal,
    ));
    report.findings = vec![finding];
    let out = render(
        &Report::build(report),
        Format::Human,
        RenderOptions::default(),
    );
    assert!(!out.contains("Zq7longtokenvalue9Xv"), "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("api_token = (sensitive)"))
        .unwrap_or_else(|| panic!("masked line missing:\n{out}"));
    let marker = out.lines().find(|l| l.trim_end().ends_with('^')).unwrap();
    let x_column = line.find("x = ").unwrap();
    assert_eq!(marker.find('^'), Some(x_column), "\n{line}\n{marker}");
}

/// Free text that still holds a secret is replaced as a whole, in every format; the SARIF
/// fingerprint is computed from what is printed, so it does not depend on the secret either.
#[test]
fn the_tripwire_replaces_whole_fields_and_fingerprints_do_not_hash_secrets() {
    let render_with_secret = |secret: &str| {
        let mut report = guard::checked(
            &[PathBuf::from("testdata/plans/incident/plan.json")],
            &guard::Options::default(),
        )
        .untriaged();
        for f in &mut report.findings {
            f.finding.message = format!("bug: {secret}");
        }
        report.notes.push(format!("note about {secret}"));
        report.tripwire = guard::redact::Tripwire::new(vec![secret.to_string()]);
        render_all(&Report::build(report))
    };
    let a = render_with_secret("Zq1firstsecretvalueXv");
    let b = render_with_secret("Zq2another-secret-of-another-lengthXv");
    for ((format, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x.contains(guard::redact::REDACTED_FIELD),
            "{format:?}:\n{x}"
        );
        assert_eq!(x, y, "{format:?} depends on the secret");
    }
}

/// `Debug` of a report, a load result and a model never prints a secret.
#[test]
fn debug_output_holds_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), MANGLED).unwrap();
    let options = guard::Options::default();
    let loaded = guard::load_inputs(&[dir.path().to_path_buf()], &options);
    assert!(!format!("{loaded:?}").contains("Zq8mW2pL9xT4vB7nXv"));
    let checked = guard::check(loaded, &options);
    assert!(!format!("{checked:?}").contains("Zq8mW2pL9xT4vB7nXv"));
    let triaged = checked.untriaged();
    assert!(!format!("{triaged:?}").contains("Zq8mW2pL9xT4vB7nXv"));
    let report = Report::build(triaged);
    assert!(!format!("{report:?}").contains("Zq8mW2pL9xT4vB7nXv"));
    let plan = guard::load::plan::load_plan(
        "p.json",
        include_bytes!("../../testdata/plans/terraform-data/plan.json"),
    )
    .unwrap();
    let debug = format!("{plan:?}");
    assert!(
        !debug.contains("tok-PLANTED-real-terraform-secret"),
        "{debug}"
    );
}

fn guard_bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_guard"))
}

#[test]
fn var_and_config_errors_do_not_echo_values() {
    let out = guard_bin()
        .args([
            "--var",
            "hunter2-Zq9secret",
            "testdata/plans/incident/plan.json",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(stderr.contains("--var"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("guard.toml");
    for text in [
        "fail-on = \"hunter2 Zq9secret\"\n",
        "[policies]\nmass-deletion-threshold = \"hunter2 Zq9secret\"\n",
        "ignore = [\"hunter2 Zq9secret\"]\n",
    ] {
        std::fs::write(&config, text).unwrap();
        let out = guard_bin()
            .arg("--config")
            .arg(&config)
            .arg("testdata/plans/incident/plan.json")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(!stderr.contains("Zq9secret"), "{text}: {stderr}");
        assert!(stderr.contains("guard.toml:"), "{stderr}");
    }
}

/// A report with thousands of findings, for the budget.
fn big_report(dir: &Path) -> Triaged {
    let changes: Vec<Value> = (0..3000)
        .map(|i| {
            json!({"address": format!("aws_iam_user.u{i}"), "mode": "managed", "type": "aws_iam_user", "name": format!("u{i}"),
                "change": {"actions": ["delete"], "before": {"name": format!("u{i}")}, "after": null,
                    "after_unknown": {}, "before_sensitive": {}, "after_sensitive": false}})
        })
        .collect();
    let path = dir.join("big.json");
    std::fs::write(
        &path,
        serde_json::to_vec(&json!({"format_version": "1.2", "resource_changes": changes, "complete": true, "errored": false}))
            .unwrap(),
    )
    .unwrap();
    guard::checked(&[path], &guard::Options::default()).untriaged()
}

/// `--format markdown` fits a comment (60,000 bytes) by default, says exactly what it left out,
/// and `--max-bytes` changes the budget; no budget is ever exceeded.
#[test]
fn markdown_fits_its_budget_and_counts_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let report = Report::build(big_report(dir.path()));
    let out = render(&report, Format::Markdown, RenderOptions::default());
    assert!(out.len() <= 60_000, "{}", out.len());
    // The notice's count is the sum of the sections' "… N more".
    let more: usize = out
        .lines()
        .filter_map(|l| l.strip_prefix("- … "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    let notice = out
        .lines()
        .find_map(|l| l.strip_prefix("✂️ "))
        .and_then(|l| l.split(' ').next()?.parse::<usize>().ok())
        .expect("a notice of what was left out");
    assert!(more > 0);
    assert_eq!(notice, more, "{out}");
    for budget in [2_000, 2_500, 5_000, 12_345, 30_000, 60_000, 200_000] {
        let out = guard::report::render_markdown(&report, budget);
        assert!(out.len() <= budget, "{budget}: {}", out.len());
        assert!(out.contains("guard"), "{budget}");
    }

    let path = dir.path().join("big.json");
    let cli = guard_bin()
        .args(["--format", "markdown", "--max-bytes", "5000"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(cli.stdout.len() <= 5000, "{}", cli.stdout.len());
    assert!(String::from_utf8_lossy(&cli.stdout).contains("left out"));
    for bad in [
        vec!["--format", "markdown", "--max-bytes", "100"],
        vec!["--format", "json", "--max-bytes", "5000"],
    ] {
        let out = guard_bin().args(&bad).arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}

/// The comment budget holds whatever the free text is, and rendering ends (it used to loop when
/// scrubbing made the comment grow).
#[test]
fn the_comment_budget_holds_when_every_message_holds_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = big_report(dir.path());
    let mut secrets = Vec::new();
    for (i, f) in report.findings.iter_mut().enumerate() {
        let secret = format!("Zq{i:06}secretXv");
        f.finding.message = format!("{secret} {secret}");
        secrets.push(secret);
    }
    report.tripwire = guard::redact::Tripwire::new(secrets);
    let report = Report::build(report);
    for budget in [2_000, 60_000] {
        let ctx = guard::report::markdown::MarkdownContext {
            budget,
            marker: true,
            key: Some("k".into()),
            ..Default::default()
        };
        let out = guard::report::markdown::render_with(&report, &ctx);
        assert!(out.len() <= budget);
        assert!(!out.contains("secretXv"));
    }
}

/// guard over every repository of the shared corpus: the JSON parses and every `file` exists.
/// Runs when `../shared/corpus` is next to the repository, or where `GUARD_CORPUS_DIR` points;
/// a `GUARD_CORPUS_DIR` that holds no corpus fails (`.ci/run` sets it when the corpus is there),
/// while a clean checkout without the corpus skips.
#[test]
fn corpus_json_parses_and_names_existing_files() {
    let required = std::env::var_os("GUARD_CORPUS_DIR");
    let corpus = required
        .clone()
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join("tf");
    if !corpus.is_dir() {
        assert!(
            required.is_none(),
            "GUARD_CORPUS_DIR is set but holds no corpus at {}",
            corpus.display()
        );
        eprintln!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let mut repos: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    repos.sort();
    assert!(repos.len() >= 10, "{}", repos.len());
    for repo in repos {
        let report = guard::run(std::slice::from_ref(&repo), &guard::Options::default());
        let out = render(&report, Format::Json, RenderOptions::default());
        let doc: Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", repo.display()));
        // A file a Terragrunt `generate` block writes exists only once Terragrunt runs: what is
        // found there is shown at the `generate` block, which does exist.
        for file in files_of(&doc) {
            assert!(
                Path::new(&file).exists(),
                "{}: `file` names no file: {file}",
                repo.display()
            );
        }
    }
}

/// A note a GitHub step adds after the report is built (the report holds no tripwire) goes
/// through the run's tripwire on its way in, like every note before it.
#[test]
fn notes_added_after_the_report_is_built_pass_the_tripwire() {
    let secret = "Zq5latenotesecretvalueXv";
    let report = guard::run(
        &[PathBuf::from("testdata/plans/incident/plan.json")],
        &guard::Options::default(),
    );
    let tripwire = guard::redact::Tripwire::new(vec![secret.to_string()]);
    let report = report.with_notes(
        vec![
            format!("github: cannot update the comment ({secret})"),
            "github: a note without a secret".to_string(),
        ],
        &tripwire,
    );
    let n = report.notes.len();
    assert_eq!(report.notes[n - 2], guard::redact::REDACTED_FIELD);
    assert_eq!(report.notes[n - 1], "github: a note without a secret");
    for (format, out) in render_all(&report) {
        assert!(!out.contains(secret), "{format:?} leaks a late note");
    }
}
