//! Every output format, snapshot-tested on one shared sample, and the no-leak guarantee.

use base64::Engine as _;
use guard::report::{render, Format, RenderOptions};
use std::path::PathBuf;

fn sample() -> guard::report::Report {
    guard::run(
        &[PathBuf::from("testdata/plans/incident/plan.json")],
        &guard::Options::default(),
    )
}

fn rendered(format: Format) -> String {
    render(&sample(), format, RenderOptions { color: false })
}

#[test]
fn human_format() {
    insta::assert_snapshot!(rendered(Format::Human));
}

#[test]
fn json_format() {
    insta::assert_snapshot!(rendered(Format::Json));
}

#[test]
fn sarif_format() {
    insta::assert_snapshot!(rendered(Format::Sarif));
}

#[test]
fn markdown_format() {
    insta::assert_snapshot!(rendered(Format::Markdown));
}

#[test]
fn github_format() {
    insta::assert_snapshot!(rendered(Format::Github));
}

#[test]
fn compact_format() {
    insta::assert_snapshot!(rendered(Format::Compact));
}

#[test]
fn json_output_is_valid_json_with_schema_version_1() {
    let v: serde_json::Value = serde_json::from_str(&rendered(Format::Json)).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["plans"][0]["counts"]["destroy"], 4);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["line"].is_null()));
}

const ALL_FORMATS: [Format; 6] = [
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Markdown,
    Format::Github,
    Format::Compact,
];

/// The encodings a leaked secret could take in an output.
fn encodings(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap();
    let url: String = secret
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    vec![
        secret.to_string(),
        json[1..json.len() - 1].to_string(),
        url,
        base64::engine::general_purpose::STANDARD.encode(secret),
    ]
}

#[test]
fn no_planted_secret_appears_in_any_format() {
    let planted = std::fs::read_to_string("testdata/plans/incident/planted-secrets.txt").unwrap();
    let paths = [
        PathBuf::from("testdata/plans/incident/plan.json"),
        PathBuf::from("testdata/plans/terraform-data/plan.json"),
    ];
    let report = guard::run(&paths, &guard::Options::default());
    assert!(
        report.findings.len() >= 5,
        "the sample must exercise findings"
    );
    for format in ALL_FORMATS {
        for color in [false, true] {
            let out = render(&report, format, RenderOptions { color });
            for secret in planted.lines().filter(|l| !l.is_empty()) {
                for form in encodings(secret) {
                    assert!(
                        !out.contains(&form),
                        "{format:?} leaks a planted secret as `{form}`"
                    );
                }
            }
        }
    }
}

#[test]
fn a_secret_that_reaches_a_message_is_scrubbed_in_every_format() {
    let planted = std::fs::read_to_string("testdata/plans/incident/planted-secrets.txt").unwrap();
    let mut triaged = guard::checked(
        &[PathBuf::from("testdata/plans/incident/plan.json")],
        &guard::Options::default(),
    )
    .untriaged();
    // Simulate a policy bug that puts a secret into a message.
    for (finding, secret) in triaged.findings.iter_mut().zip(planted.lines().cycle()) {
        finding
            .finding
            .message
            .push_str(&format!(" leaked {secret}"));
    }
    let report = guard::report::Report::build(triaged);
    for format in ALL_FORMATS {
        let out = render(&report, format, RenderOptions { color: false });
        // The tripwire replaces the whole message: nothing of it says where the secret was.
        assert!(
            out.contains(guard::redact::REDACTED_FIELD),
            "{format:?} did not replace the message:\n{out}"
        );
        for secret in planted
            .lines()
            .filter(|l| l.contains("PLANTED") && !l.contains("tok-"))
        {
            assert!(!out.contains(secret), "{format:?} leaks `{secret}`");
        }
    }
}
