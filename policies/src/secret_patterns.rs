//! What a secret looks like: attribute names that hold secrets, and value detectors.
//!
//! Shared by the hardcoded-secret policy (which reports by attribute and never echoes) and by
//! every reporter's redaction (which hides such values even when nothing marked them sensitive).

use regex::RegexSet;
use std::sync::OnceLock;

/// True for attribute names that hold secrets by convention (`password`, `client_secret`,
/// `private_key_pem`, ...). Names that only refer to a secret (`secret_arn`, `kms_key_id`,
/// `password_policy`, `token_ttl`) are not secrets themselves.
pub fn is_secret_name(name: &str) -> bool {
    // `SecretNamePrefix` and `secretArn` (CloudFormation parameters, ECS container definitions)
    // are `secret_name_prefix` and `secret_arn`.
    let mut n = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            n.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        n.push(c.to_ascii_lowercase());
    }
    const REFERENCES: &[&str] = &[
        "_arn",
        "_id",
        "_ids",
        "_name",
        "_names",
        "_length",
        "_policy",
        "_ttl",
        "_version",
        "_rotation",
        "_enabled",
        "_reset_required",
        "_required",
        "_arns",
        "_type",
        "_count",
        "_path",
        "_prefix",
        "_url",
        "_endpoint",
        "_wo_version",
        "_expiration",
        "_days",
    ];
    if REFERENCES.iter().any(|suffix| n.ends_with(suffix)) {
        return false;
    }
    const SECRET_WORDS: &[&str] = &[
        "password",
        "passwd",
        "secret",
        "token",
        "private_key",
        "key_material",
        "credentials",
        "plaintext",
        "api_key",
        "apikey",
        "access_key",
        "connection_string",
        "sas_key",
        "auth_key",
        "master_key",
        "signing_key",
        "shared_key",
        "passphrase",
    ];
    SECRET_WORDS.iter().any(|w| n.contains(w)) || n.ends_with("_pem") || n == "pem"
}

/// Names of the detectors, in the order of [`detect`]'s results.
const DETECTORS: &[(&str, &str)] = &[
    (
        "AWS access key id",
        r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b",
    ),
    (
        "private key",
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
    ),
    (
        "GitHub token",
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})",
    ),
    ("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    (
        "Slack webhook",
        r"https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}",
    ),
    ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("Stripe secret key", r"\b[sr]k_live_[0-9A-Za-z]{20,}"),
    (
        "JSON web token",
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
    ),
];

fn detector_set() -> &'static RegexSet {
    static SET: OnceLock<RegexSet> = OnceLock::new();
    SET.get_or_init(|| {
        // The patterns are constants checked by a unit test; an empty set is the safe fallback.
        RegexSet::new(DETECTORS.iter().map(|(_, p)| *p)).unwrap_or_else(|_| RegexSet::empty())
    })
}

/// The name of the first detector that matches `value`, if any.
pub fn detect(value: &str) -> Option<&'static str> {
    if value.len() < 16 {
        return None;
    }
    detector_set()
        .matches(value)
        .iter()
        .next()
        .map(|i| DETECTORS[i].0)
}

/// Shannon entropy in bits per character, for "looks random" checks on secret-named attributes.
pub fn entropy(value: &str) -> f64 {
    let mut counts = [0u32; 256];
    let bytes = value.as_bytes();
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detector_compiles() {
        for (name, pattern) in DETECTORS {
            assert!(regex::Regex::new(pattern).is_ok(), "{name}");
        }
        assert_eq!(detector_set().len(), DETECTORS.len());
    }

    #[test]
    fn detectors_find_real_shapes() {
        assert_eq!(detect("AKIAIOSFODNN7EXAMPLE"), Some("AWS access key id"));
        assert_eq!(
            detect("-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
            Some("private key")
        );
        assert_eq!(
            detect("ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"),
            Some("GitHub token")
        );
        assert_eq!(
            detect("arn:aws:acm:us-east-1:123456789012:certificate/abc"),
            None
        );
    }

    #[test]
    fn secret_names_exclude_references_to_secrets() {
        assert!(is_secret_name("password"));
        assert!(is_secret_name("master_password"));
        assert!(is_secret_name("client_secret"));
        assert!(is_secret_name("private_key_pem"));
        assert!(!is_secret_name("secret_arn"));
        assert!(!is_secret_name("kms_key_id"));
        assert!(!is_secret_name("password_policy"));
        assert!(!is_secret_name("name"));
        assert!(!is_secret_name("SecretNamePrefix"));
        assert!(!is_secret_name("secretArn"));
        assert!(is_secret_name("clientSecret"));
        assert!(is_secret_name("DB_PASSWORD"));
    }
}
