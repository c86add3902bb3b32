//! Declarative rules: simple organization policies written in TOML instead of Rust.
//!
//! ```toml
//! [[rules]]
//! code = "ORG001"
//! name = "cost-centre-tag"
//! severity = "medium"                      # low, medium (default), high, critical
//! message = "every taggable resource carries a CostCentre tag"
//! resource-types = ["aws_*"]               # globs over resource types
//! inputs = "both"                          # hcl, plan or both (default)
//! require = { attribute = "tags.CostCentre", present = true }
//! ```
//!
//! [`compile`] reads the `[[rules]]` of a document (other keys are left to whoever owns them, so
//! the text of a whole `guard.toml` can be given) and turns each into a [`Policy`] the engine
//! runs like a built-in one: same findings, same locations, a generated documentation page.
//! `docs/custom-rules.md` is the user's reference: conditions, paths and their semantics.
//!
//! Errors are [`RuleError`]s with the line and column of the offending field and a message that
//! names the rule and the field.

mod cidr;
mod condition;
mod path;

use crate::policy::{Check, Context, Inputs, Policy, ResourceCheck, Severity};
use crate::registry::{check_code, check_name, family, reserved_families};
use crate::value::Tri;
use crate::Resource;
use condition::{Comparison, Condition, Op, Scalar};
use globset::{Glob, GlobMatcher};
use path::Path;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::{Mutex, OnceLock};
use toml::Spanned;

/// A rule of a `guard.toml`, compiled.
#[derive(Debug, Clone)]
pub struct DeclaredRule {
    policy: &'static Policy,
    /// Where its `code` is written, for errors found when it joins a registry.
    code_span: Range<usize>,
    code_line: usize,
    code_column: usize,
}

impl DeclaredRule {
    /// The policy the engine runs, with its generated documentation.
    pub fn policy(&self) -> &'static Policy {
        self.policy
    }

    /// An error about this rule, at its `code`.
    pub fn error_at_code(&self, message: impl fmt::Display) -> RuleError {
        RuleError {
            message: format!("rule `{}`: `code`: {message}", self.policy.code),
            span: Some(self.code_span.clone()),
            line: Some(self.code_line),
            column: Some(self.code_column),
        }
    }
}

/// A rule that cannot be compiled, at its place in the TOML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// Names the rule (`rule \`ORG001\``, or `rule 2` before its code is known) and the field.
    pub message: String,
    /// The byte range of the text the error is about.
    pub span: Option<Range<usize>>,
    /// 1-based line and column (in characters) of the start of `span`.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RuleError {}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Compiles every `[[rules]]` table of `text`, in order.
pub fn compile(text: &str) -> Result<Vec<DeclaredRule>, RuleError> {
    let at = |span: Option<Range<usize>>, message: String| {
        let (line, column) = span
            .as_ref()
            .map(|s| line_col(text, s.start))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        RuleError {
            message,
            span,
            line,
            column,
        }
    };
    // First an outline (where each rule starts, its code), so that an error the strict reading
    // reports can name its rule.
    let outline: Outline = toml::from_str(text).map_err(|e| {
        // Only `rules` is read here, so a shape error is about it.
        let message = match tidy(e.message()) {
            m if m.starts_with("invalid type") => {
                format!("`rules`: {m}: write each rule as a `[[rules]]` table")
            }
            m => m,
        };
        at(e.span(), message)
    })?;
    let document: Document = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let rule = outline
            .rules
            .iter()
            .enumerate()
            .rev()
            .find(|(_, r)| r.span().start <= offset)
            .map(|(i, r)| rule_label(i, r.get_ref().code.as_ref().and_then(|c| c.as_str())));
        let message = match rule {
            Some(rule) => format!("{rule}: {}", tidy(e.message())),
            None => tidy(e.message()),
        };
        at(e.span(), message)
    })?;
    let reserved = reserved_families();
    let mut compiled: Vec<DeclaredRule> = Vec::new();
    for (index, raw) in document.rules.iter().enumerate() {
        let raw = raw.get_ref();
        let label = rule_label(index, Some(raw.code.get_ref()));
        let fail = |span: Range<usize>, field: &str, message: String| {
            at(Some(span), format!("{label}: `{field}`: {message}"))
        };
        let code = raw.code.get_ref().as_str();
        check_code(code).map_err(|m| fail(raw.code.span(), "code", m))?;
        if reserved.contains(family(code)) {
            return Err(fail(
                raw.code.span(),
                "code",
                format!(
                    "the code family `{}` is guard's own; use your organization's prefix (2 to 5 capital letters), e.g. `ORG001`",
                    family(code)
                ),
            ));
        }
        let name = raw.name.get_ref().as_str();
        check_name(name).map_err(|m| fail(raw.name.span(), "name", m))?;
        for earlier in &compiled {
            let p = earlier.policy;
            if p.code.eq_ignore_ascii_case(code) || p.name.eq_ignore_ascii_case(code) {
                return Err(fail(
                    raw.code.span(),
                    "code",
                    format!(
                        "`{code}` is already used by the rule at line {}",
                        earlier.code_line
                    ),
                ));
            }
            if p.code.eq_ignore_ascii_case(name) || p.name.eq_ignore_ascii_case(name) {
                return Err(fail(
                    raw.name.span(),
                    "name",
                    format!(
                        "`{name}` is already used by the rule at line {}",
                        earlier.code_line
                    ),
                ));
            }
        }
        let severity = match &raw.severity {
            None => Severity::Medium,
            Some(s) => Severity::parse(s.get_ref()).ok_or_else(|| {
                fail(
                    s.span(),
                    "severity",
                    format!(
                        "unknown severity `{}`; expected low, medium, high or critical",
                        s.get_ref()
                    ),
                )
            })?,
        };
        let inputs = match &raw.inputs {
            None => Inputs::Both,
            Some(s) => match s.get_ref().to_ascii_lowercase().as_str() {
                "both" => Inputs::Both,
                "hcl" => Inputs::HclOnly,
                "plan" => Inputs::PlanOnly,
                other => {
                    return Err(fail(
                        s.span(),
                        "inputs",
                        format!("unknown input `{other}`; expected hcl, plan or both"),
                    ))
                }
            },
        };
        if raw.resource_types.get_ref().is_empty() {
            return Err(fail(
                raw.resource_types.span(),
                "resource-types",
                "name at least one resource type or glob (`[\"*\"]` for every type)".to_string(),
            ));
        }
        let mut patterns = Vec::new();
        let mut matchers = Vec::new();
        for pattern in raw.resource_types.get_ref() {
            let text = pattern.get_ref();
            let glob = Glob::new(text)
                .ok()
                .filter(|_| !text.trim().is_empty())
                .ok_or_else(|| {
                    fail(
                        pattern.span(),
                        "resource-types",
                        format!("`{text}` is not a resource type or glob"),
                    )
                })?;
            patterns.push(text.clone());
            matchers.push(glob.compile_matcher());
        }
        let condition =
            compile_condition(raw.require.get_ref(), raw.require.span(), "require", false)
                .map_err(|(span, field, message)| fail(span, &field, message))?;
        let message = match &raw.message {
            Some(m) if m.get_ref().trim().is_empty() => {
                return Err(fail(m.span(), "message", "is empty".to_string()))
            }
            Some(m) => m.get_ref().trim().trim_end_matches('.').to_string(),
            None => condition.inline(),
        };
        let policy = intern(Compiled {
            code: code.to_string(),
            name: name.to_string(),
            severity,
            inputs,
            patterns,
            matchers,
            message,
            condition,
        });
        let (code_line, code_column) = line_col(text, raw.code.span().start);
        compiled.push(DeclaredRule {
            policy,
            code_span: raw.code.span(),
            code_line,
            code_column,
        });
    }
    Ok(compiled)
}

/// serde's wording names Rust types; say it in TOML terms.
fn tidy(message: &str) -> String {
    message
        .trim()
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected an array")
        .replace(
            "expected struct RawCondition",
            "expected a table (a condition)",
        )
        .replace("expected struct RawRule", "expected a table (a rule)")
        .replace("expected struct OutlineRule", "expected a table (a rule)")
}

fn rule_label(index: usize, code: Option<&str>) -> String {
    match code {
        Some(code) if !code.is_empty() => format!("rule `{code}`"),
        _ => format!("rule {}", index + 1),
    }
}

// ---------------------------------------------------------------------------------------------
// The TOML shape

#[derive(Deserialize)]
struct Outline {
    #[serde(default)]
    rules: Vec<Spanned<OutlineRule>>,
}

#[derive(Deserialize)]
struct OutlineRule {
    code: Option<toml::Value>,
}

#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    code: Spanned<String>,
    name: Spanned<String>,
    severity: Option<Spanned<String>>,
    message: Option<Spanned<String>>,
    resource_types: Spanned<Vec<Spanned<String>>>,
    inputs: Option<Spanned<String>>,
    require: Spanned<RawCondition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCondition {
    attribute: Option<Spanned<String>>,
    present: Option<Spanned<bool>>,
    equals: Option<Spanned<toml::Value>>,
    #[serde(rename = "in")]
    one_of: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    matches: Option<Spanned<String>>,
    cidr_within: Option<Spanned<Vec<Spanned<String>>>>,
    lt: Option<Spanned<f64>>,
    le: Option<Spanned<f64>>,
    gt: Option<Spanned<f64>>,
    ge: Option<Spanned<f64>>,
    all: Option<Spanned<Vec<Spanned<RawCondition>>>>,
    any: Option<Spanned<Vec<Spanned<RawCondition>>>>,
    not: Option<Spanned<Box<RawCondition>>>,
    each: Option<Spanned<String>>,
    some: Option<Spanned<String>>,
    require: Option<Spanned<Box<RawCondition>>>,
}

/// A compile error inside a condition: where, which field (`require.all[1].equals`), why.
type FieldError = (Range<usize>, String, String);

const OPERATORS: &str = "present, equals, in, matches, cidr-within, lt, le, gt or ge";

fn compile_condition(
    c: &RawCondition,
    table: Range<usize>,
    field: &str,
    in_item: bool,
) -> Result<Condition, FieldError> {
    let sub = |key: &str| format!("{field}.{key}");
    // The keys that decide what the condition is, in the order written in this list.
    let mut kinds: Vec<(&str, Range<usize>)> = Vec::new();
    let mut note = |key: &'static str, span: Option<Range<usize>>| {
        if let Some(span) = span {
            kinds.push((key, span));
        }
    };
    note("present", c.present.as_ref().map(Spanned::span));
    note("equals", c.equals.as_ref().map(Spanned::span));
    note("in", c.one_of.as_ref().map(Spanned::span));
    note("matches", c.matches.as_ref().map(Spanned::span));
    note("cidr-within", c.cidr_within.as_ref().map(Spanned::span));
    note("lt", c.lt.as_ref().map(Spanned::span));
    note("le", c.le.as_ref().map(Spanned::span));
    note("gt", c.gt.as_ref().map(Spanned::span));
    note("ge", c.ge.as_ref().map(Spanned::span));
    note("all", c.all.as_ref().map(Spanned::span));
    note("any", c.any.as_ref().map(Spanned::span));
    note("not", c.not.as_ref().map(Spanned::span));
    note("each", c.each.as_ref().map(Spanned::span));
    note("some", c.some.as_ref().map(Spanned::span));
    kinds.sort_by_key(|(_, span)| span.start);
    let Some((kind, kind_span)) = kinds.first().cloned() else {
        return Err((
            table,
            field.to_string(),
            format!(
                "a condition needs an operator ({OPERATORS}) with an `attribute`, a combination (all, any, not) or a scope (each, some)"
            ),
        ));
    };
    if let Some((second, span)) = kinds.get(1) {
        return Err((
            span.clone(),
            sub(second),
            format!("one condition per table: `{kind}` and `{second}` cannot be combined here; use `all = [...]` to require both"),
        ));
    }
    let scope = matches!(kind, "each" | "some");
    if let Some(require) = &c.require {
        if !scope {
            return Err((
                require.span(),
                sub("require"),
                "`require` goes with `each` or `some`".to_string(),
            ));
        }
    }
    let combination = matches!(kind, "all" | "any" | "not");
    if let Some(attribute) = &c.attribute {
        if combination || scope {
            return Err((
                attribute.span(),
                sub("attribute"),
                format!("`attribute` goes with an operator ({OPERATORS}), not with `{kind}`"),
            ));
        }
    }
    let parse_path = |s: &Spanned<String>, key: &str| {
        Path::parse(s.get_ref()).map_err(|m| (s.span(), sub(key), m))
    };
    let list = |items: &Spanned<Vec<Spanned<RawCondition>>>, key: &str| {
        if items.get_ref().is_empty() {
            return Err((
                items.span(),
                sub(key),
                format!("`{key}` needs at least one condition"),
            ));
        }
        items
            .get_ref()
            .iter()
            .enumerate()
            .map(|(i, item)| {
                compile_condition(
                    item.get_ref(),
                    item.span(),
                    &format!("{field}.{key}[{i}]"),
                    in_item,
                )
            })
            .collect::<Result<Vec<_>, _>>()
    };
    if let Some(parts) = &c.all {
        return list(parts, "all").map(Condition::All);
    }
    if let Some(parts) = &c.any {
        return list(parts, "any").map(Condition::Any);
    }
    if let Some(inner) = &c.not {
        let inner = compile_condition(inner.get_ref(), inner.span(), &sub("not"), in_item)?;
        return Ok(Condition::Not(Box::new(inner)));
    }
    match kind {
        "each" | "some" => {
            let target = if kind == "each" { &c.each } else { &c.some };
            if let Some(target) = target {
                let path = parse_path(target, kind)?;
                let Some(require) = &c.require else {
                    return Err((
                        kind_span,
                        sub(kind),
                        format!("`{kind}` needs `require`, the condition every selected item must (`each`) or one must (`some`) satisfy"),
                    ));
                };
                let require = Box::new(compile_condition(
                    require.get_ref(),
                    require.span(),
                    &sub("require"),
                    true,
                )?);
                return Ok(if kind == "each" {
                    Condition::Each { path, require }
                } else {
                    Condition::Some { path, require }
                });
            }
        }
        _ => {}
    }
    // An operator.
    let path = match &c.attribute {
        Some(a) => parse_path(a, "attribute")?,
        None if in_item => Path::default(),
        None => {
            return Err((
                kind_span,
                sub("attribute"),
                format!("`{kind}` needs an `attribute`, the path of the value it tests"),
            ))
        }
    };
    let op = if let Some(present) = &c.present {
        Op::Present(*present.get_ref())
    } else if let Some(equals) = &c.equals {
        Op::Equals(scalar(equals, &sub("equals"))?)
    } else if let Some(one_of) = &c.one_of {
        if one_of.get_ref().is_empty() {
            return Err((
                one_of.span(),
                sub("in"),
                "`in` needs at least one value".to_string(),
            ));
        }
        Op::OneOf(
            one_of
                .get_ref()
                .iter()
                .map(|v| scalar(v, &sub("in")))
                .collect::<Result<_, _>>()?,
        )
    } else if let Some(re) = &c.matches {
        let compiled = regex::Regex::new(re.get_ref()).map_err(|e| {
            (
                re.span(),
                sub("matches"),
                format!("invalid regular expression: {}", one_line(&e.to_string())),
            )
        })?;
        Op::Matches(compiled)
    } else if let Some(blocks) = &c.cidr_within {
        if blocks.get_ref().is_empty() {
            return Err((
                blocks.span(),
                sub("cidr-within"),
                "`cidr-within` needs at least one CIDR block".to_string(),
            ));
        }
        let mut parsed = Vec::new();
        for block in blocks.get_ref() {
            let cidr = cidr::Cidr::parse(block.get_ref()).ok_or_else(|| {
                (
                    block.span(),
                    sub("cidr-within"),
                    format!(
                        "`{}` is not a CIDR block (e.g. `10.0.0.0/8`)",
                        block.get_ref()
                    ),
                )
            })?;
            parsed.push((block.get_ref().trim().to_string(), cidr));
        }
        Op::CidrWithin(parsed)
    } else {
        let (cmp, bound, key) = [
            (Comparison::Lt, &c.lt, "lt"),
            (Comparison::Le, &c.le, "le"),
            (Comparison::Gt, &c.gt, "gt"),
            (Comparison::Ge, &c.ge, "ge"),
        ]
        .into_iter()
        .find_map(|(cmp, bound, key)| bound.as_ref().map(|b| (cmp, b, key)))
        .ok_or_else(|| {
            (
                table.clone(),
                field.to_string(),
                format!("expected an operator ({OPERATORS})"),
            )
        })?;
        if !bound.get_ref().is_finite() {
            return Err((bound.span(), sub(key), "needs a finite number".to_string()));
        }
        Op::Compare(cmp, *bound.get_ref())
    };
    Ok(Condition::Test { path, op })
}

fn scalar(value: &Spanned<toml::Value>, field: &str) -> Result<Scalar, FieldError> {
    match value.get_ref() {
        toml::Value::String(s) => Ok(Scalar::String(s.clone())),
        toml::Value::Integer(i) => Ok(Scalar::Number(*i as f64)),
        toml::Value::Float(f) if f.is_finite() => Ok(Scalar::Number(*f)),
        toml::Value::Boolean(b) => Ok(Scalar::Bool(*b)),
        other => Err((
            value.span(),
            field.to_string(),
            format!(
                "expected a string, number or boolean, found {}",
                other.type_str()
            ),
        )),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// The policy a rule becomes

struct Compiled {
    code: String,
    name: String,
    severity: Severity,
    inputs: Inputs,
    patterns: Vec<String>,
    matchers: Vec<GlobMatcher>,
    message: String,
    condition: Condition,
}

/// The compiled check a rule's policy runs.
struct RuleCheck {
    message: String,
    matchers: Vec<GlobMatcher>,
    condition: Condition,
}

impl ResourceCheck for RuleCheck {
    fn applies_to(&self, resource_type: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(resource_type))
    }

    fn check(&self, ctx: &mut Context<'_>, resource: &Resource) {
        // Like the built-ins: configuration rules are about what exists after the change, not
        // data sources or what a plan deletes.
        if !resource.will_exist() {
            return;
        }
        let answer = self.condition.eval(resource.values(), "");
        let facts = facts_text(&answer.facts);
        let at = answer.facts.iter().find_map(|f| f.at);
        let message = match answer.truth {
            Tri::Yes => return,
            Tri::No => format!("{}, but {facts}", self.message),
            Tri::Unknown => format!("cannot confirm that {}: {facts}", self.message),
        };
        let finding = match at {
            Some(value) => ctx.report_at(resource, value, message),
            None => ctx.report(resource, message),
        };
        if answer.truth == Tri::Unknown {
            finding.severity(Severity::Low);
        }
    }
}

/// Up to three facts, joined; the rest counted.
fn facts_text(facts: &[condition::Fact<'_>]) -> String {
    let mut texts: Vec<&str> = Vec::new();
    for fact in facts {
        if !texts.contains(&fact.text.as_str()) {
            texts.push(&fact.text);
        }
    }
    const SHOWN: usize = 3;
    let more = texts.len().saturating_sub(SHOWN);
    let mut out = texts[..texts.len().min(SHOWN)].join(" and ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

/// The documentation page text (as a doc comment would be written: each line after a space).
fn doc_text(c: &Compiled) -> String {
    let mut conditions = String::new();
    c.condition.markdown(0, &mut conditions);
    let types = c
        .patterns
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let inputs = match c.inputs {
        Inputs::Both => "Terraform and Terragrunt source and plans",
        Inputs::HclOnly => "Terraform and Terragrunt source",
        Inputs::PlanOnly => "plans",
    };
    let mut first = c.message.clone();
    if let Some(head) = first.get(..1) {
        first.replace_range(..1, &head.to_uppercase());
    }
    let text = format!(
        "## What it checks\n\
         {first}.\n\
         \n\
         A rule declared in `guard.toml`. It checks every resource of type {types} that exists \
         after the change (not data sources, not what a plan deletes), in {inputs}, and holds when:\n\
         \n\
         {conditions}\
         \n\
         A value known only after apply, or coming from a variable without a value, cannot be \
         confirmed: it is reported at low severity, never passed. A sensitive value is never \
         shown in a finding.\n"
    );
    text.lines().map(|l| format!(" {l}\n")).collect()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The policy for a compiled rule. Policies are `'static` (findings and suppressions hold their
/// codes), so a rule's policy is allocated once and kept; compiling the same rule again (a
/// configuration read twice) returns the same policy instead of allocating another.
fn intern(c: Compiled) -> &'static Policy {
    static POLICIES: OnceLock<Mutex<HashMap<String, &'static Policy>>> = OnceLock::new();
    let key = format!(
        "{:?}",
        (
            &c.code,
            &c.name,
            c.severity,
            c.inputs,
            &c.patterns,
            &c.message,
            &c.condition
        )
    );
    let mut policies = POLICIES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(policy) = policies.get(&key) {
        return policy;
    }
    let raw_doc = leak(doc_text(&c));
    let patterns: &'static [&'static str] = Box::leak(
        c.patterns
            .into_iter()
            .map(leak)
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    let check: &'static RuleCheck = Box::leak(Box::new(RuleCheck {
        message: c.message,
        matchers: c.matchers,
        condition: c.condition,
    }));
    let policy: &'static Policy = Box::leak(Box::new(Policy {
        code: leak(c.code),
        name: leak(c.name),
        severity: c.severity,
        inputs: c.inputs,
        check: Check::Matching { patterns, check },
        raw_doc,
        config: None,
    }));
    policies.insert(key, policy);
    policy
}

#[cfg(test)]
mod tests;
