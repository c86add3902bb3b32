//! Compares guard with checkov's own expectations for its security-group, S3, RDS and EBS checks.
//!
//! Opt-in (it reads a corpus outside the repository): `scripts/checkov-parity.sh`, or
//! `CHECKOV_TESTS=/path/to/checkov-tests cargo test --test it policy_parity -- --ignored --nocapture`.
//! It prints a markdown table of every case where guard and checkov disagree; `policies/PARITY.md`
//! explains each one.

use guard_policies::Finding;
use std::path::{Path, PathBuf};

/// Which guard policy answers a checkov check, and whether a finding counts for it.
/// Whether a finding counts for a checkov check.
type Counts = fn(&Finding) -> bool;

fn mapping(check: &str) -> Option<(&'static [&'static str], Counts)> {
    fn any(_: &Finding) -> bool {
        true
    }
    fn port_22(f: &Finding) -> bool {
        covers_port(&f.message, 22)
    }
    fn port_3389(f: &Finding) -> bool {
        covers_port(&f.message, 3389)
    }
    fn port_80(f: &Finding) -> bool {
        covers_port(&f.message, 80)
    }
    fn all_ports(f: &Finding) -> bool {
        f.message.contains("all protocols") || f.message.contains(" all `")
    }
    Some(match check {
        "SecurityGroupUnrestrictedEgressAny" => (&["NET001"], any),
        "SecurityGroupUnrestrictedIngress22" => (&["NET002"], port_22),
        "SecurityGroupUnrestrictedIngress3389" => (&["NET002"], port_3389),
        "SecurityGroupUnrestrictedIngress80" => (&["NET002"], port_80),
        "SecurityGroupUnrestrictedIngressAny" => (&["NET002"], all_ports),
        "EBSDefaultEncryption"
        | "EBSEncryption"
        | "LaunchConfigurationEBSEncryption"
        | "RDSEncryption"
        | "S3BucketEncryption" => (&["ENC001"], any),
        // Customer-managed keys: ENC004, which leaves what is not encrypted at all to ENC001.
        "EBSVolumeEncryptedWithCMK" | "RDSClusterEncryptedWithCMK" | "S3KMSEncryptedByDefault" => {
            (&["ENC001", "ENC004"], any)
        }
        _ => return None,
    })
}

/// Whether a NET002 message covers `port`: every port, a port list or range containing it, or
/// ports known only after apply.
fn covers_port(message: &str, port: u32) -> bool {
    if message.contains("all protocols")
        || message.contains(" all `")
        || message.contains("known only after apply")
    {
        return true;
    }
    let Some(rest) = message.split(" port").nth(1) else {
        return false;
    };
    rest.split('`').skip(1).step_by(2).any(|token| {
        let (lo, hi) = token.split_once('-').unwrap_or((token, token));
        match (lo.parse::<u32>(), hi.parse::<u32>()) {
            (Ok(lo), Ok(hi)) => (lo..=hi).contains(&port),
            _ => false,
        }
    })
}

fn addresses(f: &Finding) -> Vec<String> {
    let mut out: Vec<String> = f.instances.clone();
    out.extend(f.address.clone());
    out
}

#[test]
#[ignore = "reads checkov's fixtures from outside the repository; run scripts/checkov-parity.sh"]
fn checkov_parity() {
    let root = PathBuf::from(
        std::env::var("CHECKOV_TESTS").unwrap_or_else(|_| "../shared/corpus/checkov-tests".into()),
    );
    let text = std::fs::read_to_string(root.join("expectations.json")).expect("expectations.json");
    let expectations: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let mut rows = Vec::new();
    let (mut agree, mut total) = (0, 0);
    for (check, spec) in expectations.as_object().expect("an object") {
        let Some((codes, counts)) = mapping(check) else {
            continue;
        };
        let dir: PathBuf = match spec["example_dir"].as_str() {
            Some(d) => root.join(d),
            None => match spec["test_file"].as_str() {
                Some(f) if f.ends_with(".yaml") => root.join(Path::new(f).parent().expect("dir")),
                _ => {
                    rows.push(format!("| {check} | - | - | - | not comparable: checkov tests it with inline HCL, no fixture |"));
                    continue;
                }
            },
        };
        // Every policy, the opt-in ENC004 included.
        let options = guard::Options {
            select: vec!["all".to_string()],
            ..guard::Options::default()
        };
        let report = guard::run(std::slice::from_ref(&dir), &options);
        for e in &report.errors {
            rows.push(format!("| {check} | - | - | - | input error: {e} |"));
        }
        let flagged = |address: &str| -> Vec<String> {
            report
                .findings
                .iter()
                .map(|r| &r.finding)
                .filter(|f| {
                    codes.contains(&f.code)
                        && counts(f)
                        && addresses(f).iter().any(|a| a == address)
                })
                .map(|f| format!("{} {}", f.severity, f.message))
                .collect()
        };
        for (expected, list) in [("fail", &spec["fail"]), ("pass", &spec["pass"])] {
            for address in list
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str())
            {
                total += 1;
                let messages = flagged(address);
                let guard_says = if messages.is_empty() { "pass" } else { "fail" };
                if guard_says == expected {
                    agree += 1;
                } else {
                    rows.push(format!(
                        "| {check} ({}) | `{address}` | {expected} | {guard_says} | {} |",
                        spec["check_id"].as_str().unwrap_or("-"),
                        messages.join("; ").replace('|', "\\|")
                    ));
                }
            }
        }
    }
    println!("guard agrees with checkov on {agree} of {total} resources.\n");
    println!("| check | resource | checkov | guard | guard's findings |\n|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
}
