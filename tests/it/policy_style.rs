//! The catalogue's conventions: codes, names and documentation every policy must have.

use std::collections::HashSet;

fn well_formed_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 6
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3..].iter().all(u8::is_ascii_digit)
}

fn kebab_case(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[test]
fn codes_and_names_are_well_formed_and_unique() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for p in guard_policies::registry() {
        assert!(
            well_formed_code(p.code),
            "`{}` is not three capitals and three digits",
            p.code
        );
        assert!(
            kebab_case(p.name),
            "{}: `{}` is not kebab-case",
            p.code,
            p.name
        );
        assert!(codes.insert(p.code), "{} is used twice", p.code);
        assert!(names.insert(p.name), "`{}` is used twice", p.name);
    }
}

#[test]
fn the_registry_is_in_code_order() {
    let codes: Vec<&str> = guard_policies::registry().iter().map(|p| p.code).collect();
    let families: Vec<&str> = codes.iter().map(|c| &c[..3]).collect();
    // Families stay together, and codes within a family ascend.
    for pair in codes.windows(2) {
        if pair[0][..3] == pair[1][..3] {
            assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
        }
    }
    let mut seen = Vec::new();
    for family in families {
        if seen.last() != Some(&family) {
            assert!(
                !seen.contains(&family),
                "family {family} is split in the registry"
            );
            seen.push(family);
        }
    }
}

#[test]
fn every_policy_documents_the_five_sections_in_order() {
    const SECTIONS: [&str; 5] = [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## Use instead",
        "## References",
    ];
    for p in guard_policies::registry() {
        let doc = p.doc();
        let mut from = 0;
        for section in SECTIONS {
            let at = doc[from..].find(section).unwrap_or_else(|| {
                panic!("{} {}: no `{section}` after byte {from}", p.code, p.name)
            });
            from += at + section.len();
        }
        assert!(!p.summary().is_empty(), "{}: empty summary", p.code);
        let references = doc.split("## References").nth(1).unwrap_or("").trim();
        assert!(!references.is_empty(), "{}: no references", p.code);
    }
}

/// `guard explain` is the documentation of what a policy covers: every resource type a policy
/// visits is named, in backticks, in its "What it checks" section.
#[test]
fn every_checked_resource_type_is_named_in_what_it_checks() {
    for p in guard_policies::registry() {
        let doc = p.doc();
        let what = doc
            .split("## What it checks")
            .nth(1)
            .and_then(|rest| rest.split("## Why it matters").next())
            .unwrap_or_default();
        let missing: Vec<&str> = p
            .resource_types()
            .iter()
            .copied()
            .filter(|t| !what.contains(&format!("`{t}`")) && !covered_by_family(what, t))
            .collect();
        assert!(
            missing.is_empty(),
            "{} {}: `guard explain` does not name {missing:?}",
            p.code,
            p.name
        );
    }
}

/// `azurerm_linux_web_app_slot` is covered by "`azurerm_linux_web_app` ... and their `_slot`
/// types".
fn covered_by_family(what: &str, resource_type: &str) -> bool {
    resource_type
        .strip_suffix("_slot")
        .is_some_and(|base| what.contains(&format!("`{base}`")) && what.contains("`_slot` types"))
}
