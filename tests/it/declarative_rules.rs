//! Declarative rules (issue 18) run by the engine like built-in policies, on Terraform source and
//! on a plan. `testdata/declarative_rules/guard.toml` holds the two rules (a CostCentre
//! tag on `aws_*`, allowed regions on `google_*`) and one over nested blocks; `hcl/` and
//! `plan.json` describe the same resources. The rules are compiled from the file's text and added
//! to the built-in registry here; `custom_rules_cli` runs the same rules through the binary.

use guard::engine::Engine;
use guard::load::hcl::{load, HclOptions};
use guard::load::Loaded;
use guard_policies::rules::compile;
use guard_policies::{Registry, Settings};
use std::path::{Path, PathBuf};

const DIR: &str = "testdata/declarative_rules";

fn registry() -> Registry {
    let text = std::fs::read_to_string(Path::new(DIR).join("guard.toml"))
        .unwrap_or_else(|e| panic!("guard.toml: {e}"));
    let rules = compile(&text).unwrap_or_else(|e| panic!("guard.toml: {e}"));
    Registry::builtin()
        .with_rules(&rules)
        .unwrap_or_else(|e| panic!("guard.toml: {e}"))
}

/// The declared rules' findings, one line each: code, severity, address, line (source only),
/// message.
fn findings(loaded: Loaded) -> Vec<String> {
    findings_with(loaded, &registry())
}

fn findings_with(mut loaded: Loaded, registry: &Registry) -> Vec<String> {
    assert!(loaded.errors.is_empty(), "load errors: {:?}", loaded.errors);
    let settings = Settings::default();
    let engine = Engine::new(registry.policies(), &settings);
    let mut out = Vec::new();
    for model in &mut loaded.models {
        guard_policies::classify(model);
        for f in engine.check(model) {
            if !f.code.starts_with("ORG") {
                continue;
            }
            let line = f
                .location
                .as_ref()
                .and_then(|l| loaded.sources.line_col(&l.file, l.start as usize))
                .map(|(line, _)| format!(" line {line}"))
                .unwrap_or_default();
            out.push(format!(
                "{} {} {}{line}: {}",
                f.code,
                f.severity,
                f.address.as_deref().unwrap_or("-"),
                f.message
            ));
        }
    }
    out.sort();
    out
}

// Source findings point at the line to edit: the attribute, the enclosing `tags` when the key
// is missing or computed from another resource, the block when there is nothing closer (a
// missing `tags`), and for the sensitive location the default of the variable it comes from
// (line 3), whose value the message does not repeat. A variable without a value is unknown to
// a source scan (`from_var`: low, "cannot confirm"); the plan knows it and the rule passes there.
#[test]
fn rules_fire_on_terraform_source() {
    let loaded = load(&[PathBuf::from(DIR).join("hcl")], &HclOptions::default());
    assert_eq!(
        findings(loaded),
        [
            "ORG001 low aws_s3_bucket.computed line 31: cannot confirm that every taggable resource carries a CostCentre tag: `tags.CostCentre` is known only after apply",
            "ORG001 low aws_s3_bucket.from_var line 81: cannot confirm that every taggable resource carries a CostCentre tag: `tags.CostCentre` is known only after apply",
            "ORG001 medium aws_s3_bucket.untagged line 20: every taggable resource carries a CostCentre tag, but `tags.CostCentre` is not set",
            "ORG001 medium aws_sqs_queue.no_tags line 25: every taggable resource carries a CostCentre tag, but `tags` is not set",
            "ORG002 medium google_storage_bucket.hidden line 3: `location` is one of `northamerica-northeast1`, `northamerica-northeast2`, but `location` is set to a sensitive value",
            "ORG002 medium google_storage_bucket.iowa line 66: `location` is one of `northamerica-northeast1`, `northamerica-northeast2`, but `location` is `us-central1`",
            "ORG003 high aws_security_group.office line 55: security group rules admit only the corporate network, but `ingress[1].cidr_blocks[1]` is `0.0.0.0/0`",
        ]
    );
}

#[test]
fn rules_fire_on_a_plan() {
    let loaded = guard::load_plans(&[PathBuf::from(DIR).join("plan.json")]);
    assert_eq!(
        findings(loaded),
        [
            "ORG001 low aws_s3_bucket.computed: cannot confirm that every taggable resource carries a CostCentre tag: `tags.CostCentre` is known only after apply",
            "ORG001 medium aws_s3_bucket.untagged: every taggable resource carries a CostCentre tag, but `tags.CostCentre` is not set",
            "ORG001 medium aws_sqs_queue.no_tags: every taggable resource carries a CostCentre tag, but `tags` is not set",
            "ORG002 medium google_storage_bucket.hidden: `location` is one of `northamerica-northeast1`, `northamerica-northeast2`, but `location` is set to a sensitive value",
            "ORG002 medium google_storage_bucket.iowa: `location` is one of `northamerica-northeast1`, `northamerica-northeast2`, but `location` is `us-central1`",
            "ORG003 high aws_security_group.office: security group rules admit only the corporate network, but `ingress[0].cidr_blocks[1]` is `0.0.0.0/0`",
        ]
    );
}

#[test]
fn a_rule_has_a_documentation_page_like_a_builtin() {
    let registry = registry();
    let policy = registry
        .find("private-ingress")
        .unwrap_or_else(|| panic!("ORG003 is not in the registry"));
    let page = guard_policies::docs::render_page(policy);
    for expected in [
        "# ORG003 private-ingress",
        "| Severity | high |",
        "| Resource types | `aws_security_group` |",
        "Security group rules admit only the corporate network.",
        "- every item of `ingress` satisfies:\n  - every `cidr_blocks[*]` is a CIDR block within `10.0.0.0/8`\n",
        "reported at low severity, never passed",
    ] {
        assert!(page.contains(expected), "{expected:?} not in:\n{page}");
    }
}

#[test]
fn inputs_limit_where_a_rule_runs() {
    let rule = |inputs: &str| {
        let text = format!(
            "[[rules]]\ncode = \"ORG009\"\nname = \"named-buckets\"\ninputs = \"{inputs}\"\n\
             resource-types = [\"google_storage_bucket\"]\n\
             require = {{ attribute = \"name\", matches = \"^mont\" }}\n"
        );
        let rules = compile(&text).unwrap_or_else(|e| panic!("{e}"));
        Registry::builtin()
            .with_rules(&rules)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let hcl = || load(&[PathBuf::from(DIR).join("hcl")], &HclOptions::default());
    let plan = || guard::load_plans(&[PathBuf::from(DIR).join("plan.json")]);
    let count = |loaded: Loaded, registry: &Registry| findings_with(loaded, registry).len();
    // Two of the three buckets are not named `mont…`.
    assert_eq!(count(hcl(), &rule("both")), 2);
    assert_eq!(count(plan(), &rule("both")), 2);
    assert_eq!(count(hcl(), &rule("hcl")), 2);
    assert_eq!(count(plan(), &rule("hcl")), 0);
    assert_eq!(count(hcl(), &rule("plan")), 0);
    assert_eq!(count(plan(), &rule("plan")), 2);
}
