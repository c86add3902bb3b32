//! Compiling rules from TOML: what is accepted, and errors at their line and column.

use super::*;

fn error(text: &str) -> RuleError {
    match compile(text) {
        Ok(rules) => panic!("compiled {} rules from:\n{text}", rules.len()),
        Err(e) => e,
    }
}

/// `(line, column, message)` of the error `text` gives.
fn at(text: &str) -> (usize, usize, String) {
    let e = error(text);
    (
        e.line.unwrap_or_default(),
        e.column.unwrap_or_default(),
        e.message,
    )
}

const ISSUE_RULES: &str = r#"
# Other keys of guard.toml are left to the configuration reader.
fail-on = "high"

[[rules]]
code = "ORG001"
name = "cost-centre-tag"
severity = "medium"
message = "every taggable resource carries a CostCentre tag"
resource-types = ["aws_*"]
require = { attribute = "tags.CostCentre", present = true }

[[rules]]
code = "ORG002"
name = "allowed-regions"
resource-types = ["google_*"]
require = { attribute = "location", in = ["northamerica-northeast1", "northamerica-northeast2"] }
"#;

#[test]
fn compiles_the_issue_rules_into_policies() {
    let rules = compile(ISSUE_RULES).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rules.len(), 2);
    let org1 = rules[0].policy();
    assert_eq!(
        (org1.code, org1.name, org1.severity),
        ("ORG001", "cost-centre-tag", Severity::Medium)
    );
    assert_eq!(org1.inputs, Inputs::Both);
    assert_eq!(org1.resource_types(), ["aws_*"]);
    assert_eq!(
        org1.summary(),
        "Every taggable resource carries a CostCentre tag."
    );
    let org2 = rules[1].policy();
    assert_eq!(org2.severity, Severity::Medium, "medium by default");
    let Check::Matching { check, .. } = org2.check else {
        panic!("not a matching check");
    };
    assert!(check.applies_to("google_storage_bucket"));
    assert!(!check.applies_to("aws_s3_bucket"));
    // Without a message, the condition in words is the message.
    assert_eq!(
        org2.summary(),
        "`location` is one of `northamerica-northeast1`, `northamerica-northeast2`."
    );
    assert_eq!(
        org2.doc(),
        "## What it checks\n\
         `location` is one of `northamerica-northeast1`, `northamerica-northeast2`.\n\
         \n\
         A rule declared in `guard.toml`. It checks every resource of type `google_*` that exists \
         after the change (not data sources, not what a plan deletes), in Terraform and Terragrunt \
         source and plans, and holds when:\n\
         \n\
         - `location` is one of `northamerica-northeast1`, `northamerica-northeast2`\n\
         \n\
         A value known only after apply, or coming from a variable without a value, cannot be \
         confirmed: it is reported at low severity, never passed. A sensitive value is never \
         shown in a finding.\n"
    );
}

#[test]
fn a_document_without_rules_has_none() {
    assert!(compile("fail-on = \"high\"\n").is_ok_and(|r| r.is_empty()));
    assert!(compile("").is_ok_and(|r| r.is_empty()));
}

#[test]
fn compiling_the_same_rules_twice_gives_the_same_policies() {
    let first = compile(ISSUE_RULES).unwrap_or_else(|e| panic!("{e}"));
    let second = compile(ISSUE_RULES).unwrap_or_else(|e| panic!("{e}"));
    for (a, b) in first.iter().zip(&second) {
        assert!(std::ptr::eq(a.policy(), b.policy()));
    }
    let changed =
        compile(&ISSUE_RULES.replace("northeast2", "northeast3")).unwrap_or_else(|e| panic!("{e}"));
    assert!(std::ptr::eq(first[0].policy(), changed[0].policy()));
    assert!(!std::ptr::eq(first[1].policy(), changed[1].policy()));
}

#[test]
fn every_condition_form_compiles_and_renders() {
    let text = r#"
[[rules]]
code = "ACME001"
name = "web-security-group"
severity = "high"
inputs = "plan"
resource-types = ["aws_security_group", "aws_vpc_security_group_*"]
message = "security groups stay private"
[rules.require]
all = [
  { attribute = "name", matches = "^web-" },
  { attribute = "tags[\"team.name\"]", present = true },
  { attribute = "revoke_rules_on_delete", equals = true },
  { not = { attribute = "description", equals = "Managed by Terraform" } },
  { any = [
      { attribute = "ingress[*].from_port", ge = 1024 },
      { attribute = "ingress[*].to_port", lt = 1.5e3 },
  ] },
  { each = "ingress[*].cidr_blocks[*]", require = { cidr-within = ["10.0.0.0/8", "fd00::/8"] } },
  { some = "egress", require = { attribute = "protocol", in = ["tcp", 6] } },
  { attribute = "timeouts.create", present = false },
  { attribute = "x", le = 3 },
  { attribute = "y", gt = -1 },
]
"#;
    let rules = compile(text).unwrap_or_else(|e| panic!("{e}"));
    let policy = rules[0].policy();
    assert_eq!(
        (policy.severity, policy.inputs),
        (Severity::High, Inputs::PlanOnly)
    );
    let doc = policy.doc();
    let conditions = doc
        .split("and holds when:\n\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_default();
    assert_eq!(
        conditions,
        "- all of:\n  \
         - `name` matches the regular expression `^web-`\n  \
         - `tags[\"team.name\"]` is set\n  \
         - `revoke_rules_on_delete` equals `true`\n  \
         - `description` does not equal `Managed by Terraform`\n  \
         - at least one of:\n    \
         - every `ingress[*].from_port` is a number at least 1024\n    \
         - every `ingress[*].to_port` is a number less than 1500\n  \
         - every item of `ingress[*].cidr_blocks[*]` satisfies:\n    \
         - the item is a CIDR block within `10.0.0.0/8` or `fd00::/8`\n  \
         - at least one item of `egress` satisfies:\n    \
         - `protocol` is one of `tcp`, `6`\n  \
         - `timeouts.create` is not set\n  \
         - `x` is a number at most 3\n  \
         - `y` is a number greater than -1"
    );
}

#[test]
fn syntax_errors_have_a_position() {
    let (line, column, message) = at("[[rules]]\ncode = \"ORG001\nname = \"x\"\n");
    assert_eq!((line, column), (2, 15), "{message}");
}

#[test]
fn a_missing_field_names_the_rule() {
    let text = "[[rules]]\ncode = \"ORG001\"\nname = \"a\"\nresource-types = [\"aws_*\"]\n\n[[rules]]\ncode = \"ORG002\"\nname = \"b\"\nrequire = { attribute = \"x\", present = true }\n";
    let (line, _, message) = at(text);
    assert!(
        message.starts_with("rule `ORG001`: missing field `require`"),
        "{message}"
    );
    assert_eq!(line, 1, "{message}");
    let second = "[[rules]]\ncode = \"ORG001\"\nname = \"a\"\nresource-types = [\"aws_*\"]\nrequire = { attribute = \"x\", present = true }\n\n[[rules]]\ncode = \"ORG002\"\nname = \"b\"\nrequire = { attribute = \"x\", present = true }\n";
    let (line, _, message) = at(second);
    assert!(
        message.starts_with("rule `ORG002`: missing field `resource-types`"),
        "{message}"
    );
    assert!(line >= 6, "{message}");
}

#[test]
fn an_unknown_field_is_named_with_its_rule_and_place() {
    let text = r#"[[rules]]
code = "ORG001"
name = "a"
resource-types = ["aws_*"]
require = { attribute = "x", presnt = true }
"#;
    let (line, column, message) = at(text);
    assert_eq!(line, 5, "{message}");
    assert!(column > 1, "{message}");
    assert!(
        message.starts_with("rule `ORG001`: unknown field `presnt`"),
        "{message}"
    );

    let (line, _, message) = at(&text.replace("name = \"a\"", "name = \"a\"\nseverty = \"low\""));
    assert_eq!(line, 4, "{message}");
    assert!(message.contains("unknown field `severty`"), "{message}");
}

/// The rule with one field replaced, and the expected (line, column, message start).
fn field_error(field: &str, value: &str) -> (usize, usize, String) {
    let mut lines = vec![
        "[[rules]]".to_string(),
        "code = \"ORG001\"".to_string(),
        "name = \"cost-centre-tag\"".to_string(),
        "resource-types = [\"aws_*\"]".to_string(),
        "require = { attribute = \"tags.CostCentre\", present = true }".to_string(),
    ];
    match lines
        .iter_mut()
        .find(|l| l.starts_with(&format!("{field} =")))
    {
        Some(line) => *line = format!("{field} = {value}"),
        None => lines.push(format!("{field} = {value}")),
    }
    at(&(lines.join("\n") + "\n"))
}

#[test]
fn field_errors_name_rule_field_and_position() {
    let cases: &[(&str, &str, usize, usize, &str)] = &[
        ("code", "\"NET900\"", 2, 8, "rule `NET900`: `code`: the code family `NET` is guard's own"),
        ("code", "\"GRD001\"", 2, 8, "rule `GRD001`: `code`: the code family `GRD` is guard's own"),
        ("code", "\"org001\"", 2, 8, "rule `org001`: `code`: `org001` is not a policy code"),
        ("name", "\"Cost Centre\"", 3, 8, "rule `ORG001`: `name`: `Cost Centre` is not a policy name"),
        ("name", "\"org002\"", 3, 8, "rule `ORG001`: `name`: `org002` cannot be a policy name"),
        ("severity", "\"hgh\"", 6, 12, "rule `ORG001`: `severity`: unknown severity `hgh`; expected low, medium, high or critical"),
        ("inputs", "\"terraform\"", 6, 10, "rule `ORG001`: `inputs`: unknown input `terraform`; expected hcl, plan or both"),
        ("message", "\" \"", 6, 11, "rule `ORG001`: `message`: is empty"),
        ("resource-types", "[]", 4, 18, "rule `ORG001`: `resource-types`: name at least one"),
        ("resource-types", "[\"aws_*\", \"aws_[\"]", 4, 28, "rule `ORG001`: `resource-types`: `aws_[` is not a resource type or glob"),
        ("require", "{}", 5, 11, "rule `ORG001`: `require`: a condition needs an operator"),
        ("require", "{ attribute = \"tags.\", present = true }", 5, 25, "rule `ORG001`: `require.attribute`: `tags.` ends with `.`"),
        ("require", "{ attribute = \"a\", present = true, equals = 1 }", 5, 55, "rule `ORG001`: `require.equals`: one condition per table: `present` and `equals`"),
        ("require", "{ present = true }", 5, 23, "rule `ORG001`: `require.attribute`: `present` needs an `attribute`"),
        ("require", "{ attribute = \"a\", equals = [1] }", 5, 39, "rule `ORG001`: `require.equals`: expected a string, number or boolean, found array"),
        ("require", "{ attribute = \"a\", in = [] }", 5, 35, "rule `ORG001`: `require.in`: `in` needs at least one value"),
        ("require", "{ attribute = \"a\", in = [\"x\", {}] }", 5, 41, "rule `ORG001`: `require.in`: expected a string, number or boolean, found table"),
        ("require", "{ attribute = \"a\", matches = \"(\" }", 5, 40, "rule `ORG001`: `require.matches`: invalid regular expression"),
        ("require", "{ attribute = \"a\", cidr-within = [\"10.0.0.0/33\"] }", 5, 45, "rule `ORG001`: `require.cidr-within`: `10.0.0.0/33` is not a CIDR block"),
        ("require", "{ attribute = \"a\", cidr-within = [] }", 5, 44, "rule `ORG001`: `require.cidr-within`: `cidr-within` needs at least one CIDR block"),
        ("require", "{ attribute = \"a\", lt = nan }", 5, 35, "rule `ORG001`: `require.lt`: needs a finite number"),
        ("require", "{ all = [] }", 5, 19, "rule `ORG001`: `require.all`: `all` needs at least one condition"),
        ("require", "{ any = [{ attribute = \"a\", present = true }, { attribute = \"b\" }] }", 5, 57, "rule `ORG001`: `require.any[1]`: a condition needs an operator"),
        ("require", "{ not = { all = [{ present = true }] } }", 5, 40, "rule `ORG001`: `require.not.all[0].attribute`: `present` needs an `attribute`"),
        ("require", "{ all = [{ attribute = \"a\", present = true }], attribute = \"b\" }", 5, 70, "rule `ORG001`: `require.attribute`: `attribute` goes with an operator"),
        ("require", "{ each = \"ingress[*]\" }", 5, 20, "rule `ORG001`: `require.each`: `each` needs `require`"),
        ("require", "{ attribute = \"a\", present = true, require = { present = true } }", 5, 56, "rule `ORG001`: `require.require`: `require` goes with `each` or `some`"),
        ("require", "{ some = \"ingress[\", require = { present = true } }", 5, 20, "rule `ORG001`: `require.some`: expected `*`, an index or a quoted key"),
        ("require", "{ some = \"ingress\", require = { attribute = \"x\", ge = \"1\" } }", 5, 65, "rule `ORG001`: invalid type: string \"1\", expected a number"),
    ];
    let mut failures = Vec::new();
    for &(field, value, line, column, start) in cases {
        let got = field_error(field, value);
        if got.0 != line || got.1 != column || !got.2.starts_with(start) {
            failures.push(format!(
                "{field} = {value}\n  want {line}:{column} {start}\n  got  {}:{} {}",
                got.0, got.1, got.2
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn codes_and_names_are_unique_within_a_file() {
    let rule = |code: &str, name: &str| {
        format!("[[rules]]\ncode = \"{code}\"\nname = \"{name}\"\nresource-types = [\"*\"]\nrequire = {{ attribute = \"a\", present = true }}\n")
    };
    let (line, column, message) = at(&(rule("ORG001", "a") + &rule("ORG001", "b")));
    assert_eq!((line, column), (7, 8), "{message}");
    assert_eq!(
        message,
        "rule `ORG001`: `code`: `ORG001` is already used by the rule at line 2"
    );
    let (line, _, message) = at(&(rule("ORG001", "a") + &rule("ORG002", "a")));
    assert_eq!(line, 8, "{message}");
    assert!(message.contains("`name`: `a` is already used"), "{message}");
}

#[test]
fn a_registry_refuses_a_rule_that_collides_at_its_code() {
    let text = "\n[[rules]]\ncode = \"ORG001\"\nname = \"public-egress\"\nresource-types = [\"*\"]\nrequire = { attribute = \"a\", present = true }\n";
    let rules = compile(text).unwrap_or_else(|e| panic!("{e}"));
    let e = crate::Registry::builtin()
        .with_rules(&rules)
        .map(|_| ())
        .unwrap_err();
    assert_eq!((e.line, e.column), (Some(3), Some(8)));
    assert!(
        e.message
            .contains("the name `public-egress` is already taken by NET001"),
        "{}",
        e.message
    );
    assert_eq!(e.to_string(), format!("line 3, column 8: {}", e.message));

    let ok = compile(ISSUE_RULES).unwrap_or_else(|e| panic!("{e}"));
    let registry = crate::Registry::builtin()
        .with_rules(&ok)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        registry.find("allowed-regions").map(|p| p.code),
        Some("ORG002")
    );
    assert_eq!(
        registry
            .iter()
            .filter(|p| p.code.starts_with("ORG"))
            .count(),
        2
    );
    // The same rules again would take codes already taken.
    assert!(registry.with_rules(&ok).is_err());
}

#[test]
fn a_single_rules_table_is_an_error_with_a_hint() {
    let (line, column, message) = at("[rules]\ncode = \"ORG001\"\n");
    assert_eq!(
        (line, column, message.as_str()),
        (
            1,
            1,
            "`rules`: invalid type: map, expected an array: write each rule as a `[[rules]]` table"
        )
    );
    let (_, _, message) = at("rules = [1]\n");
    assert_eq!(
        message,
        "`rules`: invalid type: integer `1`, expected a table (a rule): write each rule as a `[[rules]]` table"
    );
}
