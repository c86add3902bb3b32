//! The set of policies a run knows, as a value.
//!
//! [`Registry::builtin`] holds guard's own policies; a company adds its own Rust policies with
//! [`Registry::with`] and the declarative rules of a `guard.toml` with [`Registry::with_rules`].
//! Adding checks what every later lookup relies on: codes look like `ACM001`, codes and names are
//! unique (case-insensitively, across both, since users write either), and guard's own code
//! families (`NET`, `ENC`, …, taken from the built-in policies themselves) stay guard's.

use crate::policy::Policy;
use crate::rules::{DeclaredRule, RuleError};
use std::collections::BTreeSet;
use std::fmt;

/// Policies in code order, each code and name unique.
#[derive(Clone)]
pub struct Registry {
    policies: Vec<&'static Policy>,
}

/// Why a policy cannot join a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError {
    /// The code of the policy that was refused.
    pub code: String,
    pub message: String,
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "policy `{}`: {}", self.code, self.message)
    }
}

impl std::error::Error for RegistryError {}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.policies.iter().map(|p| p.code))
            .finish()
    }
}

/// The built-in registry: what a run uses when nobody added a policy.
impl Default for Registry {
    fn default() -> Self {
        Registry::builtin()
    }
}

impl Registry {
    /// guard's built-in policies.
    pub fn builtin() -> Registry {
        let mut policies = crate::registry().to_vec();
        policies.sort_by_key(|p| p.code);
        Registry { policies }
    }

    /// This registry and `policies`, for a binary that builds its registry once at start-up:
    /// an invalid policy is a bug in that binary, so this panics with the reason.
    /// [`Registry::try_with`] returns the error instead.
    #[track_caller]
    pub fn with(self, policies: &[&'static Policy]) -> Registry {
        match self.try_with(policies) {
            Ok(registry) => registry,
            Err(e) => panic!("cannot add {e}"),
        }
    }

    /// This registry and `policies`, or why one of them cannot be added.
    pub fn try_with(mut self, policies: &[&'static Policy]) -> Result<Registry, RegistryError> {
        let reserved = reserved_families();
        for &policy in policies {
            self.check_new(policy.code, policy.name, &reserved)?;
            self.insert(policy);
        }
        Ok(self)
    }

    /// This registry and the rules compiled from a `guard.toml`; an error points at the rule's
    /// code in that file.
    pub fn with_rules(mut self, rules: &[DeclaredRule]) -> Result<Registry, RuleError> {
        let reserved = reserved_families();
        for rule in rules {
            let policy = rule.policy();
            self.check_new(policy.code, policy.name, &reserved)
                .map_err(|e| rule.error_at_code(e.message))?;
            self.insert(policy);
        }
        Ok(self)
    }

    fn insert(&mut self, policy: &'static Policy) {
        let at = self.policies.partition_point(|p| p.code < policy.code);
        self.policies.insert(at, policy);
    }

    fn check_new(
        &self,
        code: &str,
        name: &str,
        reserved: &BTreeSet<&'static str>,
    ) -> Result<(), RegistryError> {
        let refuse = |message: String| {
            Err(RegistryError {
                code: code.to_string(),
                message,
            })
        };
        if let Err(message) = check_code(code) {
            return refuse(message);
        }
        if let Err(message) = check_name(name) {
            return refuse(message);
        }
        if reserved.contains(family(code)) {
            return refuse(format!(
                "the code family `{}` is guard's own; use a prefix of your organization's (2 to 5 capital letters), e.g. `ACM001`",
                family(code)
            ));
        }
        if let Some(taken) = self.find(code) {
            return refuse(format!(
                "the code `{code}` is already taken by {} `{}`",
                taken.code, taken.name
            ));
        }
        if let Some(taken) = self.find(name) {
            return refuse(format!(
                "the name `{name}` is already taken by {} `{}`",
                taken.code, taken.name
            ));
        }
        Ok(())
    }

    /// The policy with this code (`NET001`) or name (`public-egress`), case-insensitively.
    pub fn find(&self, code_or_name: &str) -> Option<&'static Policy> {
        self.policies.iter().copied().find(|p| {
            p.code.eq_ignore_ascii_case(code_or_name) || p.name.eq_ignore_ascii_case(code_or_name)
        })
    }

    /// Every policy, in code order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'static Policy> + '_ {
        self.policies.iter().copied()
    }

    /// Every policy, in code order.
    pub fn policies(&self) -> &[&'static Policy] {
        &self.policies
    }

    pub fn len(&self) -> usize {
        self.policies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }
}

impl<'r> IntoIterator for &'r Registry {
    type Item = &'static Policy;
    type IntoIter = std::iter::Copied<std::slice::Iter<'r, &'static Policy>>;
    fn into_iter(self) -> Self::IntoIter {
        self.policies.iter().copied()
    }
}

/// The code families of guard's built-in policies (`NET`, `ENC`, `GRD`, …): no added policy may
/// use them, so a future built-in never collides with a company's code.
pub fn reserved_families() -> BTreeSet<&'static str> {
    crate::registry().iter().map(|p| family(p.code)).collect()
}

/// `NET` for `NET001`: the code without its trailing digits.
pub fn family(code: &str) -> &str {
    code.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// A code is 2 to 5 capital letters and 3 digits: `ACM001`.
pub fn check_code(code: &str) -> Result<(), String> {
    let letters = family(code);
    let digits = &code[letters.len()..];
    let ok = (2..=5).contains(&letters.len())
        && letters.chars().all(|c| c.is_ascii_uppercase())
        && digits.len() == 3;
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{code}` is not a policy code: 2 to 5 capital letters and 3 digits, e.g. `ACM001`"
        ))
    }
}

/// A name is kebab-case (`cost-centre-tag`) and does not read as a code or as `all`, since
/// `select` and suppressions accept either.
pub fn check_name(name: &str) -> Result<(), String> {
    let kebab = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !kebab {
        return Err(format!(
            "`{name}` is not a policy name: lowercase words and digits joined by `-`, e.g. `cost-centre-tag`"
        ));
    }
    if name.eq_ignore_ascii_case("all") || check_code(&name.to_ascii_uppercase()).is_ok() {
        return Err(format!(
            "`{name}` cannot be a policy name: `select` and suppressions would read it as a code or as `all`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Check, Context, Inputs, Severity};
    use crate::Resource;

    fn noop(_: &mut Context<'_>, _: &Resource) {}

    fn leaked(code: &'static str, name: &'static str) -> &'static Policy {
        Box::leak(Box::new(Policy {
            code,
            name,
            severity: Severity::Medium,
            inputs: Inputs::Both,
            check: Check::Resources {
                types: &["aws_s3_bucket"],
                check: noop,
            },
            raw_doc: " ## What it checks\n A test policy.\n",
            config: None,
        }))
    }

    #[test]
    fn builtin_is_every_builtin_policy_in_code_order() {
        let registry = Registry::builtin();
        assert_eq!(registry.len(), crate::registry().len());
        let codes: Vec<&str> = registry.iter().map(|p| p.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
        assert_eq!(registry.find("net001").map(|p| p.code), Some("NET001"));
        assert_eq!(
            registry.find("PUBLIC-EGRESS").map(|p| p.code),
            Some("NET001")
        );
        assert!(registry.find("ACM001").is_none());
    }

    #[test]
    fn reserved_families_come_from_the_builtins() {
        let reserved = reserved_families();
        for family in [
            "NET", "ENC", "DEL", "SEC", "IAM", "STO", "LOG", "AVL", "SUP", "CMP", "DRF", "GRD",
        ] {
            assert!(reserved.contains(family), "{family} is not reserved");
        }
        assert!(!reserved.contains("ACM"));
        assert!(reserved
            .iter()
            .all(|f| check_code(&format!("{f}001")).is_ok()));
    }

    #[test]
    fn added_policies_are_found_and_kept_in_code_order() {
        let registry = Registry::builtin().with(&[
            leaked("ZZZ001", "last-one"),
            leaked("ACM001", "cost-centre-tag"),
        ]);
        assert_eq!(registry.len(), crate::registry().len() + 2);
        assert_eq!(registry.iter().next().map(|p| p.code), Some("ACM001"));
        assert_eq!(registry.iter().last().map(|p| p.code), Some("ZZZ001"));
        assert_eq!(
            registry.find("cost-centre-tag").map(|p| p.code),
            Some("ACM001")
        );
        // The built-in registry value is unchanged.
        assert!(Registry::builtin().find("ACM001").is_none());
    }

    fn refusal(code: &'static str, name: &'static str) -> String {
        match Registry::builtin().try_with(&[leaked(code, name)]) {
            Ok(_) => panic!("{code} {name} was accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn guard_families_are_reserved() {
        for code in ["NET900", "GRD100", "CMP009"] {
            let message = refusal(code, "mine");
            assert!(message.contains("is guard's own"), "{message}");
        }
    }

    #[test]
    fn codes_must_look_like_codes() {
        for code in [
            "A001",
            "ACMEXY001",
            "ACM01",
            "ACM0001",
            "acm001",
            "AC-001",
            "",
        ] {
            let message = refusal(code, "mine");
            assert!(
                message.contains("is not a policy code"),
                "{code}: {message}"
            );
        }
        assert!(Registry::builtin()
            .try_with(&[leaked("AB123", "two-letters"), leaked("ACMEX999", "five")])
            .is_ok());
    }

    #[test]
    fn names_must_be_kebab_case_and_not_read_as_codes() {
        for name in [
            "Cost",
            "cost_centre",
            "-x",
            "x-",
            "a--b",
            "",
            "acm002",
            "all",
        ] {
            let message = refusal("ACM001", name);
            assert!(message.contains("policy name"), "{name}: {message}");
        }
    }

    #[test]
    fn codes_and_names_are_unique_across_both() {
        let once = Registry::builtin().with(&[leaked("ACM001", "cost-centre-tag")]);
        for (code, name, taken) in [
            (
                "ACM001",
                "other",
                "the code `ACM001` is already taken by ACM001",
            ),
            (
                "ACM002",
                "cost-centre-tag",
                "the name `cost-centre-tag` is already taken",
            ),
            ("ACM003", "public-egress", "already taken by NET001"),
        ] {
            let message = once
                .clone()
                .try_with(&[leaked(code, name)])
                .map(|_| ())
                .unwrap_err()
                .to_string();
            assert!(message.contains(taken), "{message}");
        }
    }

    #[test]
    #[should_panic(expected = "cannot add policy `NET999`")]
    fn with_panics_on_a_bad_policy() {
        let _ = Registry::builtin().with(&[leaked("NET999", "mine")]);
    }
}
