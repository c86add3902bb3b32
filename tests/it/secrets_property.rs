//! Never print a secret: generated plans (and Terraform source) full of planted secrets, every
//! output format, every encoding a leak could take.
//!
//! Each planted value carries a distinctive random "core" (alphanumeric, at least 12 characters).
//! The check is stronger than an exact match of the whole value: no core may appear anywhere, so a
//! secret that a renderer flattened, escaped or truncated (a newline turned into a space or `%0A`, a
//! line clipped) is still caught. The whole value is also checked raw, JSON-escaped, URL-encoded
//! and base64-encoded.

use base64::Engine as _;
use guard::report::{render, Format, RenderOptions, Report};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::{json, Value};
use std::path::PathBuf;

const ALL_FORMATS: [Format; 6] = [
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Markdown,
    Format::Github,
    Format::Compact,
];

/// A planted value and the distinctive parts of it that must never appear.
#[derive(Debug, Clone)]
struct Secret {
    value: String,
    cores: Vec<String>,
}

/// Characters and fragments that renderers escape or transform.
const TRICKY: &[&str] = &[
    "", "", "\"", "\\", "/", "+", "=", "%", "&", "<", ">", "|", "`", ":", ",", " ", "\n", "\t",
    "\r\n", "é", "€", "_", "*", "#", "@", "[", "]", "~", "${", "\u{1}", "'", "-",
];

fn core(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    let pattern = format!("[A-Za-z0-9]{{{},{}}}", len.start(), len.end());
    // "Zq" + "Xv" make the core distinctive: it cannot occur in guard's own text by chance.
    proptest::string::string_regex(&pattern)
        .expect("a valid pattern")
        .prop_map(|s| format!("Zq{s}Xv"))
}

fn tricky() -> impl Strategy<Value = &'static str> {
    prop::sample::select(TRICKY)
}

/// Any planted secret: a random core between tricky fragments, or a detector-shaped value.
fn secret() -> impl Strategy<Value = Secret> {
    prop_oneof![
        3 => (tricky(), core(10..=16), tricky(), tricky()).prop_map(|(pre, c, mid, post)| Secret {
            value: format!("{pre}{c}{mid}{post}"),
            cores: vec![c],
        }),
        2 => detector_secret(),
    ]
}

/// A value that matches one of guard's secret detectors.
fn detector_secret() -> impl Strategy<Value = Secret> {
    prop_oneof![
        "[A-Z0-9]{16}".prop_map(|s| Secret {
            value: format!("AKIA{s}"),
            cores: vec![format!("AKIA{s}")],
        }),
        "[A-Za-z0-9]{36}".prop_map(|s| Secret {
            value: format!("ghp_{s}"),
            cores: vec![s],
        }),
        ("[A-Za-z0-9]{40}", "[A-Za-z0-9]{40}", prop::bool::ANY).prop_map(|(a, b, crlf)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            Secret {
                value: format!(
                    "-----BEGIN RSA PRIVATE KEY-----{nl}MII{a}{nl}{b}{nl}-----END RSA PRIVATE KEY-----{nl}"
                ),
                cores: vec![format!("MII{a}"), b],
            }
        }),
        "[A-Za-z0-9]{24}".prop_map(|s| Secret {
            value: format!("xoxb-{s}"),
            cores: vec![s],
        }),
    ]
}

/// How a sensitive value is marked in its mask.
#[derive(Debug, Clone, Copy)]
enum Mark {
    /// `{"attr": true}`
    Leaf,
    /// The whole value: `true`.
    Whole,
    /// A mask whose shape does not match the value (fails closed).
    Mismatch,
}

fn mark() -> impl Strategy<Value = Mark> {
    prop_oneof![Just(Mark::Leaf), Just(Mark::Whole), Just(Mark::Mismatch)]
}

/// The mask for an object value whose `leaf_mask` marks the secret leaves.
fn mask(mark: Mark, leaf_mask: Value) -> Value {
    match mark {
        Mark::Leaf => leaf_mask,
        Mark::Whole => json!(true),
        // An object where a list is expected is a mismatch at the attributes that hold objects.
        Mark::Mismatch => match leaf_mask {
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, _)| (k, json!([true]))).collect())
            }
            other => other,
        },
    }
}

#[derive(Debug, Clone)]
struct Case {
    secrets: Vec<Secret>,
    detectors: Vec<Secret>,
    marks: Vec<Mark>,
    replace: bool,
    declared_output: bool,
    number: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(secret(), 32),
        prop::collection::vec(detector_secret(), 8),
        prop::collection::vec(mark(), 12),
        prop::bool::ANY,
        prop::bool::ANY,
        7_000_000_000u64..8_000_000_000u64,
    )
        .prop_map(
            |(secrets, detectors, marks, replace, declared_output, number)| Case {
                secrets,
                detectors,
                marks,
                replace,
                declared_output,
                number,
            },
        )
}

fn change(actions: &[&str], before: Value, after: Value, bs: Value, as_: Value) -> Value {
    json!({
        "actions": actions,
        "before": before,
        "after": after,
        "after_unknown": {},
        "before_sensitive": bs,
        "after_sensitive": as_,
    })
}

fn rc(ty: &str, name: &str, change: Value) -> Value {
    json!({
        "address": format!("{ty}.{name}"),
        "mode": "managed",
        "type": ty,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": change,
    })
}

/// A `terraform show -json` plan (format 1.2) with every secret of `c` planted somewhere.
fn plan(c: &Case) -> Value {
    let s = |i: usize| json!(c.secrets[i].value);
    let d = |i: usize| json!(c.detectors[i].value);
    let m = |i: usize| c.marks[i];
    let update: &[&str] = if c.replace {
        &["delete", "create"]
    } else {
        &["update"]
    };
    let cert = |v: Value| json!({"port": 443, "protocol": "HTTPS", "certificate_arn": v, "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"});

    let resource_changes = vec![
        // DRF002: a certificate change whose values are sensitive.
        rc(
            "aws_lb_listener",
            "https",
            change(
                update,
                cert(s(0)),
                cert(s(1)),
                mask(m(0), json!({"certificate_arn": true})),
                mask(m(1), json!({"certificate_arn": true})),
            ),
        ),
        // DRF002: a certificate attribute holding a detector-shaped value, nothing marked.
        rc(
            "aws_lb_listener",
            "api",
            change(
                &["update"],
                cert(json!("arn:aws:acm:eu-west-1:123456789012:certificate/old")),
                cert(d(0)),
                json!({}),
                json!({}),
            ),
        ),
        // DRF002, nested in a list of blocks.
        rc(
            "aws_cloudfront_distribution",
            "cdn",
            change(
                &["update"],
                json!({"enabled": true, "viewer_certificate": [{"acm_certificate_arn": s(2), "minimum_protocol_version": "TLSv1.2_2021"}]}),
                json!({"enabled": true, "viewer_certificate": [{"acm_certificate_arn": s(3), "minimum_protocol_version": "TLSv1.2_2021"}]}),
                json!({"viewer_certificate": [{"acm_certificate_arn": true}]}),
                mask(
                    m(2),
                    json!({"viewer_certificate": [{"acm_certificate_arn": true}]}),
                ),
            ),
        ),
        // DEL001: privileged deletions with sensitive before values.
        rc(
            "aws_iam_access_key",
            "ci",
            change(
                &["delete"],
                json!({"id": d(1), "user": "ci", "secret": s(4), "ses_smtp_password_v4": s(5), "encrypted_secret": null}),
                Value::Null,
                mask(m(3), json!({"secret": true, "ses_smtp_password_v4": true})),
                json!(false),
            ),
        ),
        rc(
            "google_service_account_key",
            "api",
            change(
                &["delete"],
                json!({"service_account_id": "api", "private_key": s(6), "public_key": s(7)}),
                Value::Null,
                json!(true),
                json!(false),
            ),
        ),
        rc(
            "aws_db_instance",
            "legacy",
            change(
                if c.replace {
                    &["create", "delete"]
                } else {
                    &["delete"]
                },
                json!({"identifier": "legacy", "engine": "postgres", "password": s(8), "port": c.number, "deletion_protection": false}),
                if c.replace {
                    json!({"identifier": "legacy", "engine": "postgres", "password": s(9), "port": c.number, "storage_encrypted": false})
                } else {
                    Value::Null
                },
                mask(m(4), json!({"password": true, "port": true})),
                if c.replace {
                    json!({"password": true, "port": true})
                } else {
                    json!(false)
                },
            ),
        ),
        // Sensitive leaves, lists, nested objects, whole values.
        rc(
            "aws_lambda_function",
            "fn",
            change(
                &["create"],
                Value::Null,
                json!({
                    "function_name": "fn",
                    "environment": [{"variables": {"DB_PASS": s(10), "PLAIN": "visible-value", "LEAKED": d(2)}}],
                    "layers": ["arn:aws:lambda:eu-west-1:123456789012:layer:x:1", s(11)],
                    "nested": {"inner": {"deep": [s(12)]}},
                }),
                json!(false),
                mask(
                    m(5),
                    json!({
                        "environment": [{"variables": {"DB_PASS": true}}],
                        "layers": [false, true],
                        "nested": {"inner": {"deep": [true]}},
                    }),
                ),
            ),
        ),
        // Secret-named attributes the provider did not mark; detector values in ordinary ones.
        rc(
            "azuread_application_password",
            "app",
            change(
                &["create"],
                Value::Null,
                json!({
                    "display_name": "app",
                    "client_secret": s(13),
                    "token": s(14),
                    "private_key_pem": s(15),
                    "master_password": s(16),
                    "blocks": [{"api_key": s(17), "name": "block"}],
                    "description": d(3),
                    "tags": {"Note": d(4)},
                }),
                json!(false),
                json!({}),
            ),
        ),
        rc(
            "aws_instance",
            "web",
            change(
                &["create"],
                Value::Null,
                json!({"ami": "ami-12345678", "instance_type": "t3.micro", "user_data": d(5), "associate_public_ip_address": true}),
                json!(false),
                json!({}),
            ),
        ),
        rc(
            "aws_security_group_rule",
            "ssh",
            change(
                &["create"],
                Value::Null,
                json!({"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "description": s(18)}),
                json!(false),
                mask(m(6), json!({"description": true})),
            ),
        ),
        rc(
            "aws_db_instance",
            "main",
            change(
                &["create"],
                Value::Null,
                json!({"identifier": "main", "engine": "postgres", "username": "admin", "password": s(19), "storage_encrypted": false, "publicly_accessible": true}),
                json!(false),
                mask(m(7), json!({"password": true})),
            ),
        ),
    ];

    // DRF001: drift that touches sensitive attributes, and a certificate changed by hand.
    let resource_drift = vec![
        rc(
            "aws_db_instance",
            "main",
            change(
                &["update"],
                json!({"identifier": "main", "password": s(20), "port": 5432}),
                json!({"identifier": "main", "password": s(21), "port": 5433}),
                mask(m(8), json!({"password": true})),
                mask(m(9), json!({"password": true})),
            ),
        ),
        rc(
            "aws_lb_listener",
            "https",
            change(
                &["update"],
                cert(s(22)),
                cert(s(23)),
                json!({"certificate_arn": true}),
                mask(m(10), json!({"certificate_arn": true})),
            ),
        ),
        rc(
            "aws_iam_access_key",
            "gone",
            change(
                &["delete"],
                json!({"user": "gone", "secret": s(24)}),
                Value::Null,
                mask(m(11), json!({"secret": true})),
                json!(false),
            ),
        ),
    ];

    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": {
            "db_password": {"value": s(25)},
            "api_credentials": {"value": {"id": "visible-id", "inner": s(26)}},
            "plain_but_never_rendered": {"value": s(27)},
        },
        "planned_values": {"root_module": {"resources": [{"address": "x.y", "values": {"password": s(28)}}]}},
        "prior_state": {"values": {"root_module": {"resources": [{"values": {"secret": s(28)}}]}}},
        "resource_changes": resource_changes,
        "resource_drift": resource_drift,
        "output_changes": {
            "db_password": {"actions": ["create"], "before": null, "after": s(29), "after_unknown": false, "before_sensitive": false, "after_sensitive": true},
            "connection": {"actions": ["update"], "before": {"host": "db", "password": s(30)}, "after": {"host": "db", "password": s(31)}, "after_unknown": false, "before_sensitive": {"password": true}, "after_sensitive": {"password": true}},
        },
        "configuration": {
            "root_module": {
                "variables": {
                    "db_password": {"sensitive": true},
                    "api_credentials": {"sensitive": true},
                    "plain_but_never_rendered": {},
                },
                "outputs": if c.declared_output {
                    json!({"db_password": {"sensitive": true}, "connection": {"sensitive": true}})
                } else {
                    json!({})
                },
                "resources": [{"address": "aws_db_instance.main", "expressions": {"password": {"constant_value": s(27)}}}],
            }
        },
        "errored": false,
        "complete": true,
    })
}

/// Every form in which `secret` would be leaked, raw and encoded, and its cores.
fn telltales(secret: &Secret) -> Vec<String> {
    let v = &secret.value;
    let json = serde_json::to_string(v).unwrap();
    let url: String = v
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let mut forms = vec![
        v.clone(),
        json[1..json.len() - 1].to_string(),
        url,
        base64::engine::general_purpose::STANDARD.encode(v),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v),
    ];
    forms.extend(secret.cores.iter().cloned());
    forms
}

/// Renders every format, color on and off, and fails on the first planted value found.
fn assert_no_leak(
    report: &Report,
    planted: &[Secret],
    extra: &[String],
) -> Result<(), TestCaseError> {
    for format in ALL_FORMATS {
        // Color changes only the human format.
        let colors: &[bool] = if format == Format::Human {
            &[false, true]
        } else {
            &[false]
        };
        for &color in colors {
            let out = render(report, format, RenderOptions { color });
            for secret in planted {
                for form in telltales(secret) {
                    prop_assert!(
                        !out.contains(&form),
                        "{format:?} (color {color}) leaks planted value {:?} as {form:?}:\n{out}",
                        secret.value
                    );
                }
            }
            for form in extra {
                prop_assert!(
                    !out.contains(form.as_str()),
                    "{format:?} leaks {form:?}:\n{out}"
                );
            }
        }
    }
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_planted_plan_value_appears_in_any_format(c in case()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, serde_json::to_vec_pretty(&plan(&c)).unwrap()).unwrap();
        let report = guard::run(&[path], &guard::Options::default());
        prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
        // The renderers must have something to leak into.
        for code in ["DRF001", "DRF002", "DEL001", "SEC001"] {
            prop_assert!(
                report.findings.iter().any(|f| f.finding.code == code),
                "no {code} finding: {:?}",
                report.findings.iter().map(|f| &f.finding.message).collect::<Vec<_>>()
            );
        }
        let planted: Vec<Secret> = c.secrets.iter().chain(&c.detectors).cloned().collect();
        // A sensitive number cannot be scrubbed by string: render-time redaction must hide it.
        assert_no_leak(&report, &planted, &[c.number.to_string()])?;
    }
}

/// Hardcoded secrets in Terraform source: reported by attribute, never echoed, not even in the
/// source line the human format prints under a finding.
mod hcl {
    use super::*;

    fn hcl_string(v: &str) -> String {
        // An HCL quoted string: JSON escaping is valid HCL escaping, plus `${` and `%{`.
        serde_json::to_string(v)
            .unwrap()
            .replace("${", "$${")
            .replace("%{", "%%{")
    }

    fn module(secrets: &[Secret], detectors: &[Secret], heredoc: bool) -> String {
        let s = |i: usize| hcl_string(&secrets[i].value);
        let d = |i: usize| hcl_string(&detectors[i].value);
        let key = if heredoc {
            // A heredoc spreads the secret over several lines.
            format!(
                "<<-EOT\n    {}\n    EOT",
                detectors[2].value.trim_end().replace('\n', "\n    ")
            )
        } else {
            d(2)
        };
        format!(
            r#"variable "db_password" {{
  type      = string
  sensitive = true
  default   = {}
}}

resource "aws_db_instance" "main" {{
  identifier          = "main"
  engine              = "postgres"
  username            = "admin"
  password            = {}
  storage_encrypted   = false
  publicly_accessible = true
}}

resource "aws_iam_access_key" "ci" {{
  user = "ci"
}}

resource "aws_lambda_function" "fn" {{
  function_name = "fn"
  environment {{
    variables = {{
      AWS_ACCESS_KEY_ID = {}
      GITHUB_TOKEN      = {}
      CLIENT_SECRET     = {}
    }}
  }}
}}

resource "tls_private_key" "k" {{
  algorithm = "RSA"
}}

resource "aws_instance" "web" {{
  ami       = "ami-12345678"
  user_data = {key}
}}

resource "azuread_application_password" "app" {{
  display_name  = "app"
  client_secret = {}
  token         = {}
}}

output "db" {{
  value = aws_db_instance.main.password
}}
"#,
            s(0),
            s(1),
            d(0),
            d(1),
            s(2),
            s(3),
            s(4),
        )
    }

    fn hcl_config() -> ProptestConfig {
        ProptestConfig {
            cases: 32,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    /// A secret for HCL: no line breaks (a quoted string) and at least 3 bits of entropy.
    fn hcl_secret() -> impl Strategy<Value = Secret> {
        (tricky(), core(12..=16), tricky()).prop_map(|(pre, c, post)| {
            let strip = |t: &str| t.replace(['\n', '\r', '\u{1}', '\t'], "");
            Secret {
                value: format!("{}{c}{}", strip(pre), strip(post)),
                cores: vec![c],
            }
        })
    }

    proptest! {
        #![proptest_config(hcl_config())]

        #[test]
        fn no_hardcoded_secret_is_echoed(
            secrets in prop::collection::vec(hcl_secret(), 5),
            detectors in prop::collection::vec(detector_secret(), 3),
            heredoc in prop::bool::ANY,
        ) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("main.tf"), module(&secrets, &detectors, heredoc)).unwrap();
            let report = guard::run(&[dir.path().to_path_buf()], &guard::Options::default());
            prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
            prop_assert!(
                report.findings.iter().any(|f| f.finding.code == "SEC001"),
                "hardcoded secrets must be reported"
            );
            let planted: Vec<Secret> = secrets.iter().chain(&detectors).cloned().collect();
            assert_no_leak(&report, &planted, &[])?;
        }
    }
}

#[test]
fn the_plan_generator_produces_a_loadable_plan() {
    // Guards the property test against a generator that silently stops exercising anything.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let c = case().new_tree(&mut runner).unwrap().current();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, serde_json::to_vec(&plan(&c)).unwrap()).unwrap();
    let report = guard::run(&[PathBuf::from(&path)], &guard::Options::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.findings.len() >= 8, "{}", report.findings.len());
}

/// Where a secret is written, it can look different from its value (an interpolation, an HCL
/// escape): the human format's source line must not show it either.
const SOURCE_FORMS: &str = r#"resource "aws_db_instance" "a" {
  password = "Zq${"inter"}polated7Secret9Xv"
}
resource "aws_db_instance" "b" {
  password = "Zq\u0041bcdef1234Xv9kQ"
}
resource "aws_db_instance" "c" {
  password = <<-EOT
    ZqHeredoc1Line7Secret9Xv
    EOT
}
"#;
const SOURCE_FORM_CORES: [&str; 3] = [
    "polated7Secret9Xv",
    "bcdef1234Xv9kQ",
    "ZqHeredoc1Line7Secret9Xv",
];

/// Where a secret is written, it can look different from its value: the human format masks the
/// source by the secret's span, whatever the text there looks like. A finding is moved onto each
/// secret's line (as if another policy pointed there) so the line is printed.
#[test]
fn source_forms_of_secrets_are_masked_by_span() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), SOURCE_FORMS).unwrap();
    let mut report =
        guard::checked(&[dir.path().to_path_buf()], &guard::Options::default()).untriaged();
    let file = report.findings[0].finding.location.clone().unwrap().file;
    let mut findings = Vec::new();
    for (i, _) in SOURCE_FORMS.match_indices("password") {
        let mut f = report.findings[0].clone();
        f.finding.code = "ENC001";
        f.finding.location = Some(guard_policies::Origin::new(
            file,
            i,
            i + "password".len(),
            guard_policies::OriginKind::Literal,
        ));
        findings.push(f);
    }
    report.findings = findings;
    let report = guard::report::Report::build(report);
    let out = render(&report, Format::Human, RenderOptions { color: false });
    assert!(out.contains("password = (sensitive)"), "{out}");
    for core in SOURCE_FORM_CORES {
        assert!(!out.contains(core), "{core} leaks:\n{out}");
    }
}

/// The same through `guard::run`: needs `redact::source_secrets` called in `guard::check`.
#[test]
fn source_forms_of_secrets_are_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), SOURCE_FORMS).unwrap();
    let report = guard::run(&[dir.path().to_path_buf()], &guard::Options::default());
    let out = render(&report, Format::Human, RenderOptions { color: false });
    // SEC001 findings never show their source line; the findings must still be there.
    assert!(out.contains("SEC001"), "{out}");
    for core in SOURCE_FORM_CORES {
        assert!(!out.contains(core), "{core} leaks:\n{out}");
    }
}

/// The human format prints the source line under a finding, clipped to 160 characters: a long
/// secret on that line must not survive as a clipped prefix that no longer matches it exactly.
#[test]
fn a_long_secret_on_a_clipped_source_line_is_not_shown() {
    use guard_policies::{Origin, OriginKind};
    use std::sync::Arc;
    let secret = format!("Zq{}Xv", "k3Jd9".repeat(40));
    let text = format!("resource \"aws_db_instance\" \"main\" {{\n  password = \"{secret}\"\n}}\n");
    let mut report = guard::checked(
        &[PathBuf::from("testdata/plans/incident/plan.json")],
        &guard::Options::default(),
    )
    .untriaged();
    let file: Arc<str> = Arc::from("main.tf");
    report
        .sources
        .insert(file.clone(), Arc::from(text.as_str()));
    let start = text.find("password").unwrap();
    let finding = &mut report.findings[0].finding;
    finding.location = Some(Origin::new(
        file.into(),
        start,
        start + "password".len(),
        OriginKind::Literal,
    ));
    report.tripwire = guard::redact::Tripwire::new(vec![secret.clone()]);
    let report = guard::report::Report::build(report);
    let out = render(&report, Format::Human, RenderOptions { color: false });
    // Nothing marked the value (the location was moved by hand): the tripwire replaces the line.
    assert!(
        out.contains(guard::redact::REDACTED_FIELD),
        "the source line is replaced:\n{out}"
    );
    assert!(
        !out.contains(&secret[..24]),
        "a clipped secret leaks:\n{out}"
    );
}
