//! Conditions: what a declarative rule requires of a resource, evaluated in three values.
//!
//! Every condition answers Yes, No or Unknown ([`Tri`]). Unknown comes from a value known only
//! after apply (or a variable without a value) and from a path that does not fit the value's
//! shape; it is never turned into Yes. The combinators follow Kleene's logic: `all` is No when
//! one part is No, else Unknown when one part is Unknown; `any` is Yes when one part is Yes, else
//! Unknown when one part is Unknown; `not` swaps Yes and No and keeps Unknown.
//!
//! An answer carries the facts it rests on (`tags.CostCentre` is not set), which become the
//! finding's message and location. A fact shows a value only through [`ValueRef::shown`], so a
//! sensitive value is never printed.

use super::cidr::Cidr;
use super::path::{Leaf, Path, Selected};
use crate::value::{format_number, Tri, ValueKind, ValueRef};

#[derive(Debug, Clone)]
pub(crate) enum Condition {
    /// The value(s) at `path` pass `op`; a path with `[*]` requires every value it selects to.
    Test {
        path: Path,
        op: Op,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// Every item `path` selects satisfies `require` (read relative to the item).
    Each {
        path: Path,
        require: Box<Condition>,
    },
    /// At least one item `path` selects satisfies `require`.
    Some {
        path: Path,
        require: Box<Condition>,
    },
}

#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// `present = true` (set and not null) or `present = false`.
    Present(bool),
    Equals(Scalar),
    OneOf(Vec<Scalar>),
    Matches(regex::Regex),
    CidrWithin(Vec<(String, Cidr)>),
    Compare(Comparison, f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparison {
    fn holds(self, value: f64, bound: f64) -> bool {
        match self {
            Comparison::Lt => value < bound,
            Comparison::Le => value <= bound,
            Comparison::Gt => value > bound,
            Comparison::Ge => value >= bound,
        }
    }
    fn words(self) -> &'static str {
        match self {
            Comparison::Lt => "less than",
            Comparison::Le => "at most",
            Comparison::Gt => "greater than",
            Comparison::Ge => "at least",
        }
    }
}

/// A value a rule compares with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    String(String),
    Number(f64),
    Bool(bool),
}

impl Scalar {
    /// Equality with Terraform's conversions: `"22"` equals `22`, `"true"` equals `true`.
    fn matches(&self, value: ValueRef<'_>) -> bool {
        match (self, value.kind()) {
            (Scalar::String(s), ValueKind::String(v)) => s == v,
            (Scalar::String(s), ValueKind::Number(n)) => *s == format_number(n),
            (Scalar::String(s), ValueKind::Bool(b)) => *s == b.to_string(),
            (Scalar::Number(n), ValueKind::Number(v)) => *n == v,
            (Scalar::Number(n), ValueKind::String(v)) => {
                v.trim().parse::<f64>().is_ok_and(|v| v == *n)
            }
            (Scalar::Bool(b), ValueKind::Bool(v)) => *b == v,
            (Scalar::Bool(b), ValueKind::String(v)) => *v == b.to_string(),
            _ => false,
        }
    }
    fn shown(&self) -> String {
        match self {
            Scalar::String(s) => format!("`{s}`"),
            Scalar::Number(n) => format!("`{}`", format_number(*n)),
            Scalar::Bool(b) => format!("`{b}`"),
        }
    }
}

/// Something an answer rests on: a sentence about one value, and that value (to point at).
#[derive(Debug, Clone)]
pub(crate) struct Fact<'m> {
    pub(crate) text: String,
    pub(crate) at: Option<ValueRef<'m>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Answer<'m> {
    pub(crate) truth: Tri,
    pub(crate) facts: Vec<Fact<'m>>,
}

impl<'m> Answer<'m> {
    fn new(truth: Tri, facts: Vec<Fact<'m>>) -> Self {
        Answer { truth, facts }
    }
}

impl Condition {
    /// Evaluates against `root` (the resource's values, or an item of `each`/`some`), whose
    /// path in the resource is `base`.
    pub(crate) fn eval<'m>(&self, root: ValueRef<'m>, base: &str) -> Answer<'m> {
        match self {
            Condition::Test { path, op } => {
                let selected = path.select(root, base);
                if selected.is_empty() {
                    let text = format!("no `{}` is set", join_display(base, path));
                    return Answer::new(Tri::Yes, vec![Fact { text, at: None }]);
                }
                let answers: Vec<(Tri, Fact<'m>)> = selected
                    .into_iter()
                    .map(|s| test(op, s, path, base))
                    .collect();
                every(answers)
            }
            Condition::All(parts) => {
                let answers: Vec<Answer<'m>> = parts.iter().map(|c| c.eval(root, base)).collect();
                if let Some(no) = answers.iter().find(|a| a.truth == Tri::No) {
                    return Answer::new(Tri::No, no.facts.clone());
                }
                let truth = if answers.iter().any(|a| a.truth == Tri::Unknown) {
                    Tri::Unknown
                } else {
                    Tri::Yes
                };
                Answer::new(truth, facts_of(&answers, truth))
            }
            Condition::Any(parts) => {
                let answers: Vec<Answer<'m>> = parts.iter().map(|c| c.eval(root, base)).collect();
                if let Some(yes) = answers.iter().find(|a| a.truth == Tri::Yes) {
                    return Answer::new(Tri::Yes, yes.facts.clone());
                }
                let truth = if answers.iter().any(|a| a.truth == Tri::Unknown) {
                    Tri::Unknown
                } else {
                    Tri::No
                };
                Answer::new(truth, facts_of(&answers, truth))
            }
            Condition::Not(inner) => {
                let answer = inner.eval(root, base);
                let truth = match answer.truth {
                    Tri::Yes => Tri::No,
                    Tri::No => Tri::Yes,
                    Tri::Unknown => Tri::Unknown,
                };
                Answer::new(truth, answer.facts)
            }
            Condition::Each { path, require } | Condition::Some { path, require } => {
                let each = matches!(self, Condition::Each { .. });
                let mut answers = Vec::new();
                let mut items: Vec<Selected<'m>> = Vec::new();
                for selected in path.select(root, base) {
                    // A selected list stands for its items: `each = "ingress"` is every block.
                    match selected.leaf {
                        Leaf::Value(list) if list.is_list() => {
                            items.extend(
                                Path::each()
                                    .select(list, &selected.path)
                                    .into_iter()
                                    .filter(|s| !matches!(s.leaf, Leaf::Absent { .. })),
                            );
                        }
                        _ => items.push(selected),
                    }
                }
                for Selected { path: at, leaf } in items {
                    match leaf {
                        Leaf::Value(item) => answers.push(require.eval(item, &at)),
                        Leaf::Absent { .. } => {}
                        Leaf::Unknown(v) => answers.push(Answer::new(
                            Tri::Unknown,
                            vec![Fact {
                                text: format!("`{at}` is known only after apply"),
                                at: Some(v),
                            }],
                        )),
                        Leaf::Mismatch { at: v, what } => answers.push(Answer::new(
                            Tri::Unknown,
                            vec![mismatch_fact(&at, what, v, base, path)],
                        )),
                    }
                }
                if answers.is_empty() {
                    let text = format!("no `{}` is set", join_display(base, path));
                    let truth = if each { Tri::Yes } else { Tri::No };
                    return Answer::new(truth, vec![Fact { text, at: None }]);
                }
                let decisive = if each { Tri::No } else { Tri::Yes };
                let truth = if answers.iter().any(|a| a.truth == decisive) {
                    decisive
                } else if answers.iter().any(|a| a.truth == Tri::Unknown) {
                    Tri::Unknown
                } else if each {
                    Tri::Yes
                } else {
                    Tri::No
                };
                Answer::new(truth, facts_of(&answers, truth))
            }
        }
    }
}

/// The facts of the answers that agree with `truth`.
fn facts_of<'m>(answers: &[Answer<'m>], truth: Tri) -> Vec<Fact<'m>> {
    answers
        .iter()
        .filter(|a| a.truth == truth)
        .flat_map(|a| a.facts.iter().cloned())
        .collect()
}

/// Yes when every answer is Yes, No when one is No, else Unknown; with the deciding facts.
fn every<'m>(answers: Vec<(Tri, Fact<'m>)>) -> Answer<'m> {
    let truth = if answers.iter().any(|(t, _)| *t == Tri::No) {
        Tri::No
    } else if answers.iter().any(|(t, _)| *t == Tri::Unknown) {
        Tri::Unknown
    } else {
        Tri::Yes
    };
    let facts = answers
        .into_iter()
        .filter(|(t, _)| *t == truth)
        .map(|(_, f)| f)
        .collect();
    Answer::new(truth, facts)
}

fn join_display(base: &str, path: &Path) -> String {
    match (base.is_empty(), path.is_empty()) {
        (_, true) => base.to_string(),
        (true, false) => path.to_string(),
        (false, false) if path.to_string().starts_with('[') => format!("{base}{path}"),
        (false, false) => format!("{base}.{path}"),
    }
}

fn mismatch_fact<'m>(
    at: &str,
    what: &str,
    value: ValueRef<'m>,
    base: &str,
    path: &Path,
) -> Fact<'m> {
    let full = join_display(base, path);
    let hint = if what == "a list" {
        " (take its items with `[*]` or `[0]`)"
    } else {
        ""
    };
    Fact {
        text: format!("`{at}` is {what}, so `{full}` cannot be read{hint}"),
        at: Some(value),
    }
}

/// What a value is, for a message: never the text of a sensitive value.
fn describe(path: &str, value: ValueRef<'_>) -> String {
    if value.contains_hidden() {
        return format!("`{path}` is set to a sensitive value");
    }
    let shown = value.shown();
    if shown.starts_with('(') {
        format!("`{path}` is {shown}")
    } else {
        format!("`{path}` is `{shown}`")
    }
}

fn test<'m>(op: &Op, selected: Selected<'m>, path: &Path, base: &str) -> (Tri, Fact<'m>) {
    let at = selected.path;
    match selected.leaf {
        Leaf::Absent { nearest } => {
            let truth = if matches!(op, Op::Present(false)) {
                Tri::Yes
            } else {
                Tri::No
            };
            let text = if at.is_empty() {
                "the value is not set".to_string()
            } else {
                format!("`{at}` is not set")
            };
            (truth, Fact { text, at: nearest })
        }
        Leaf::Unknown(v) => (
            Tri::Unknown,
            Fact {
                text: format!("`{at}` is known only after apply"),
                at: Some(v),
            },
        ),
        Leaf::Mismatch { at: v, what } => (Tri::Unknown, mismatch_fact(&at, what, v, base, path)),
        Leaf::Value(value) => {
            let truth = match op {
                Op::Present(want) => *want,
                Op::Equals(s) => s.matches(value),
                Op::OneOf(list) => list.iter().any(|s| s.matches(value)),
                Op::Matches(re) => scalar_text(value).is_some_and(|t| re.is_match(&t)),
                Op::CidrWithin(blocks) => value
                    .as_str()
                    .and_then(Cidr::parse)
                    .is_some_and(|c| blocks.iter().any(|(_, outer)| c.within(*outer))),
                Op::Compare(cmp, bound) => number(value).is_some_and(|n| cmp.holds(n, *bound)),
            };
            let text = match op {
                Op::Present(_) if !value.contains_hidden() && !is_scalar(value) => {
                    format!("`{at}` is set")
                }
                _ => describe(&at, value),
            };
            let truth = if truth { Tri::Yes } else { Tri::No };
            (
                truth,
                Fact {
                    text,
                    at: Some(value),
                },
            )
        }
    }
}

fn is_scalar(value: ValueRef<'_>) -> bool {
    matches!(
        value.kind(),
        ValueKind::String(_) | ValueKind::Number(_) | ValueKind::Bool(_)
    )
}

/// A scalar as text, for `matches`: strings as they are, numbers and booleans as Terraform
/// prints them.
fn scalar_text(value: ValueRef<'_>) -> Option<String> {
    match value.kind() {
        ValueKind::String(s) => Some(s.to_string()),
        ValueKind::Number(n) => Some(format_number(n)),
        ValueKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number, or a string Terraform would convert to one.
fn number(value: ValueRef<'_>) -> Option<f64> {
    match value.kind() {
        ValueKind::Number(n) => Some(n),
        ValueKind::String(s) => s.trim().parse().ok().filter(|n: &f64| n.is_finite()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// In words

impl Condition {
    /// One line: the default message of a rule without one.
    pub(crate) fn inline(&self) -> String {
        match self {
            Condition::Test { path, op } => test_words(path, op, false),
            Condition::Not(inner) => match inner.as_ref() {
                Condition::Test { path, op } if !path.fans_out() => test_words(path, op, true),
                other => format!("not ({})", other.inline()),
            },
            Condition::All(parts) => format!("all of ({})", inline_list(parts)),
            Condition::Any(parts) => format!("at least one of ({})", inline_list(parts)),
            Condition::Each { path, require } => {
                format!("every item of `{path}` satisfies: {}", require.inline())
            }
            Condition::Some { path, require } => format!(
                "at least one item of `{path}` satisfies: {}",
                require.inline()
            ),
        }
    }

    /// A markdown list, one condition per item, nested as written.
    pub(crate) fn markdown(&self, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent);
        let nested = |head: String, parts: &[Condition], out: &mut String| {
            out.push_str(&format!("{pad}- {head}\n"));
            for part in parts {
                part.markdown(indent + 1, out);
            }
        };
        match self {
            Condition::All(parts) => nested("all of:".to_string(), parts, out),
            Condition::Any(parts) => nested("at least one of:".to_string(), parts, out),
            Condition::Not(inner) => match inner.as_ref() {
                Condition::Test { path, op } if !path.fans_out() => {
                    out.push_str(&format!("{pad}- {}\n", test_words(path, op, true)));
                }
                other => nested("not:".to_string(), std::slice::from_ref(other), out),
            },
            Condition::Each { path, require } => nested(
                format!("every item of `{path}` satisfies:"),
                std::slice::from_ref(require),
                out,
            ),
            Condition::Some { path, require } => nested(
                format!("at least one item of `{path}` satisfies:"),
                std::slice::from_ref(require),
                out,
            ),
            Condition::Test { .. } => out.push_str(&format!("{pad}- {}\n", self.inline())),
        }
    }
}

fn inline_list(parts: &[Condition]) -> String {
    parts
        .iter()
        .map(Condition::inline)
        .collect::<Vec<_>>()
        .join("; ")
}

fn test_words(path: &Path, op: &Op, negated: bool) -> String {
    let subject = if path.is_empty() {
        "the item".to_string()
    } else if path.fans_out() {
        format!("every `{path}`")
    } else {
        format!("`{path}`")
    };
    let (yes, no) = match op {
        Op::Present(true) => ("is set".to_string(), "is not set".to_string()),
        Op::Present(false) => ("is not set".to_string(), "is set".to_string()),
        Op::Equals(s) => (
            format!("equals {}", s.shown()),
            format!("does not equal {}", s.shown()),
        ),
        Op::OneOf(list) => {
            let list = list
                .iter()
                .map(Scalar::shown)
                .collect::<Vec<_>>()
                .join(", ");
            (format!("is one of {list}"), format!("is not one of {list}"))
        }
        Op::Matches(re) => (
            format!("matches the regular expression `{}`", re.as_str()),
            format!("does not match the regular expression `{}`", re.as_str()),
        ),
        Op::CidrWithin(blocks) => {
            let list = blocks
                .iter()
                .map(|(text, _)| format!("`{text}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            (
                format!("is a CIDR block within {list}"),
                format!("is not a CIDR block within {list}"),
            )
        }
        Op::Compare(cmp, bound) => (
            format!("is a number {} {}", cmp.words(), format_number(*bound)),
            format!("is not a number {} {}", cmp.words(), format_number(*bound)),
        ),
    };
    format!("{subject} {}", if negated { no } else { yes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn path(p: &str) -> Path {
        Path::parse(p).unwrap_or_else(|e| panic!("{e}"))
    }
    fn t(p: &str, op: Op) -> Condition {
        Condition::Test { path: path(p), op }
    }
    fn eq(p: &str, s: &str) -> Condition {
        t(p, Op::Equals(Scalar::String(s.to_string())))
    }
    fn present(p: &str) -> Condition {
        t(p, Op::Present(true))
    }
    fn obj(members: Vec<(&str, Value)>) -> Value {
        Value::object_from(members.into_iter().map(|(k, v)| (k.to_string(), v)))
    }
    fn secret(s: &str) -> Value {
        Value::string(s).with_sensitive(true)
    }

    /// The truth and the facts' texts.
    fn run(c: &Condition, root: &Value) -> (Tri, Vec<String>) {
        let stored = crate::store::Stored::new(root);
        let a = c.eval(stored.get(), "");
        (a.truth, a.facts.into_iter().map(|f| f.text).collect())
    }
    fn truth(c: &Condition, root: &Value) -> Tri {
        run(c, root).0
    }

    fn resource() -> Value {
        obj(vec![
            ("location", "us-east1".into()),
            (
                "tags",
                obj(vec![("CostCentre", "cc-1".into()), ("Env", "prod".into())]),
            ),
            ("later", Value::unknown()),
            ("password", secret("hunter2")),
            ("port", Value::number(22.0)),
            ("port_text", "8080".into()),
            ("cidr", "10.1.0.0/16".into()),
            ("enabled", true.into()),
            (
                "ingress",
                Value::list(vec![
                    obj(vec![
                        ("from_port", Value::number(443.0)),
                        ("cidr_blocks", Value::list(vec!["10.0.0.0/8".into()])),
                    ]),
                    obj(vec![
                        ("from_port", Value::number(22.0)),
                        (
                            "cidr_blocks",
                            Value::list(vec!["0.0.0.0/0".into(), Value::unknown()]),
                        ),
                    ]),
                ]),
            ),
            ("nothing", Value::list(vec![])),
        ])
    }

    #[test]
    fn present_and_absent() {
        let r = resource();
        assert_eq!(
            run(&present("tags.CostCentre"), &r),
            (Tri::Yes, vec!["`tags.CostCentre` is `cc-1`".into()])
        );
        assert_eq!(
            run(&present("tags.Owner"), &r),
            (Tri::No, vec!["`tags.Owner` is not set".into()])
        );
        assert_eq!(truth(&present("missing.deep.path"), &r), Tri::No);
        assert_eq!(truth(&t("tags.Owner", Op::Present(false)), &r), Tri::Yes);
        assert_eq!(truth(&t("tags.Env", Op::Present(false)), &r), Tri::No);
        assert_eq!(
            run(&present("later"), &r),
            (
                Tri::Unknown,
                vec!["`later` is known only after apply".into()]
            )
        );
        assert_eq!(truth(&t("later", Op::Present(false)), &r), Tri::Unknown);
        assert_eq!(run(&present("tags"), &r).1, ["`tags` is set"]);
    }

    #[test]
    fn equals_with_terraform_conversions() {
        let r = resource();
        assert_eq!(truth(&eq("location", "us-east1"), &r), Tri::Yes);
        assert_eq!(
            run(&eq("location", "europe-west1"), &r),
            (Tri::No, vec!["`location` is `us-east1`".into()])
        );
        assert_eq!(truth(&eq("missing", "x"), &r), Tri::No);
        assert_eq!(truth(&eq("later", "x"), &r), Tri::Unknown);
        assert_eq!(
            truth(&t("port", Op::Equals(Scalar::Number(22.0))), &r),
            Tri::Yes
        );
        assert_eq!(truth(&eq("port", "22"), &r), Tri::Yes);
        assert_eq!(
            truth(&t("port_text", Op::Equals(Scalar::Number(8080.0))), &r),
            Tri::Yes
        );
        assert_eq!(
            truth(&t("enabled", Op::Equals(Scalar::Bool(true))), &r),
            Tri::Yes
        );
        assert_eq!(
            truth(&t("enabled", Op::Equals(Scalar::Bool(false))), &r),
            Tri::No
        );
        assert_eq!(
            truth(&eq("tags", "x"), &r),
            Tri::No,
            "an object is no string"
        );
    }

    #[test]
    fn one_of() {
        let r = resource();
        let allowed =
            |list: &[&str]| Op::OneOf(list.iter().map(|s| Scalar::String(s.to_string())).collect());
        assert_eq!(
            truth(&t("location", allowed(&["us-east1", "us-west1"])), &r),
            Tri::Yes
        );
        assert_eq!(
            run(&t("location", allowed(&["northamerica-northeast1"])), &r),
            (Tri::No, vec!["`location` is `us-east1`".into()])
        );
        assert_eq!(truth(&t("later", allowed(&["a"])), &r), Tri::Unknown);
        assert_eq!(truth(&t("missing", allowed(&["a"])), &r), Tri::No);
    }

    #[test]
    fn matches_a_regular_expression() {
        let r = resource();
        let re = |s: &str| Op::Matches(regex::Regex::new(s).unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(
            truth(&t("tags.CostCentre", re("^cc-[0-9]+$")), &r),
            Tri::Yes
        );
        assert_eq!(truth(&t("location", re("^europe-")), &r), Tri::No);
        assert_eq!(
            truth(&t("port", re("^2")), &r),
            Tri::Yes,
            "numbers match as printed"
        );
        assert_eq!(truth(&t("later", re(".")), &r), Tri::Unknown);
        assert_eq!(truth(&t("missing", re(".*")), &r), Tri::No);
        assert_eq!(
            truth(&t("tags", re(".*")), &r),
            Tri::No,
            "an object is not text"
        );
    }

    fn within(blocks: &[&str]) -> Op {
        Op::CidrWithin(
            blocks
                .iter()
                .map(|b| {
                    (
                        b.to_string(),
                        Cidr::parse(b).unwrap_or_else(|| panic!("{b}")),
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn cidr_within() {
        let r = resource();
        assert_eq!(truth(&t("cidr", within(&["10.0.0.0/8"])), &r), Tri::Yes);
        assert_eq!(
            truth(&t("cidr", within(&["192.168.0.0/16", "10.1.0.0/16"])), &r),
            Tri::Yes
        );
        assert_eq!(
            run(&t("cidr", within(&["192.168.0.0/16"])), &r),
            (Tri::No, vec!["`cidr` is `10.1.0.0/16`".into()])
        );
        assert_eq!(
            truth(&t("location", within(&["0.0.0.0/0"])), &r),
            Tri::No,
            "not a block"
        );
        assert_eq!(truth(&t("later", within(&["0.0.0.0/0"])), &r), Tri::Unknown);
        // Every block of every ingress rule: the unknown one keeps the answer open unless a
        // known block already fails.
        assert_eq!(
            run(&t("ingress[*].cidr_blocks[*]", within(&["10.0.0.0/8"])), &r),
            (
                Tri::No,
                vec!["`ingress[1].cidr_blocks[0]` is `0.0.0.0/0`".into()]
            )
        );
        assert_eq!(
            run(&t("ingress[*].cidr_blocks[*]", within(&["0.0.0.0/0"])), &r),
            (
                Tri::Unknown,
                vec!["`ingress[1].cidr_blocks[1]` is known only after apply".into()]
            )
        );
    }

    #[test]
    fn numeric_comparisons() {
        let r = resource();
        let cmp = |c, n| Op::Compare(c, n);
        assert_eq!(truth(&t("port", cmp(Comparison::Lt, 23.0)), &r), Tri::Yes);
        assert_eq!(truth(&t("port", cmp(Comparison::Lt, 22.0)), &r), Tri::No);
        assert_eq!(truth(&t("port", cmp(Comparison::Le, 22.0)), &r), Tri::Yes);
        assert_eq!(truth(&t("port", cmp(Comparison::Gt, 22.0)), &r), Tri::No);
        assert_eq!(truth(&t("port", cmp(Comparison::Ge, 22.0)), &r), Tri::Yes);
        assert_eq!(
            truth(&t("port_text", cmp(Comparison::Gt, 1024.0)), &r),
            Tri::Yes,
            "numeric strings convert"
        );
        assert_eq!(truth(&t("location", cmp(Comparison::Gt, 0.0)), &r), Tri::No);
        assert_eq!(
            truth(&t("later", cmp(Comparison::Gt, 0.0)), &r),
            Tri::Unknown
        );
        assert_eq!(truth(&t("missing", cmp(Comparison::Gt, 0.0)), &r), Tri::No);
    }

    #[test]
    fn a_sensitive_value_is_compared_but_never_shown() {
        let r = resource();
        for c in [
            eq("password", "hunter2"),
            eq("password", "other"),
            present("password"),
            t(
                "password",
                Op::Matches(regex::Regex::new("hunt").unwrap_or_else(|e| panic!("{e}"))),
            ),
        ] {
            let (_, facts) = run(&c, &r);
            assert_eq!(facts, ["`password` is set to a sensitive value"]);
            let (_, facts) = run(&Condition::Not(Box::new(c)), &r);
            assert!(facts.iter().all(|f| !f.contains("hunter2")), "{facts:?}");
        }
        assert_eq!(truth(&eq("password", "hunter2"), &r), Tri::Yes);
        assert_eq!(truth(&eq("password", "other"), &r), Tri::No);
        // A sensitive list is not summarised either.
        let list = obj(vec![("keys", Value::list(vec![secret("k1")]))]);
        assert_eq!(
            run(&present("keys"), &list).1,
            ["`keys` is set to a sensitive value"]
        );
        assert_eq!(
            run(&eq("keys[0]", "x"), &list).1,
            ["`keys[0]` is set to a sensitive value"]
        );
    }

    #[test]
    fn absent_and_empty_blocks() {
        let r = resource();
        // A path with [*] over no items holds vacuously; `some` does not.
        assert_eq!(
            run(&eq("nothing[*].x", "y"), &r),
            (Tri::Yes, vec!["no `nothing[*].x` is set".into()])
        );
        assert_eq!(truth(&eq("missing[*].x", "y"), &r), Tri::Yes);
        let each = |p: &str, c| Condition::Each {
            path: path(p),
            require: Box::new(c),
        };
        let some = |p: &str, c| Condition::Some {
            path: path(p),
            require: Box::new(c),
        };
        assert_eq!(truth(&each("nothing", present("x")), &r), Tri::Yes);
        assert_eq!(
            run(&some("nothing[*]", present("x")), &r),
            (Tri::No, vec!["no `nothing[*]` is set".into()])
        );
        assert_eq!(truth(&some("missing", present("x")), &r), Tri::No);
        assert_eq!(truth(&some("later", present("x")), &r), Tri::Unknown);
        assert_eq!(truth(&each("later", present("x")), &r), Tri::Unknown);
    }

    #[test]
    fn nested_each_and_some() {
        let r = resource();
        let each = |p: &str, c| Condition::Each {
            path: path(p),
            require: Box::new(c),
        };
        let some = |p: &str, c| Condition::Some {
            path: path(p),
            require: Box::new(c),
        };
        let port = |n: f64| t("from_port", Op::Equals(Scalar::Number(n)));
        // Some ingress rule is on port 22 and open to the world.
        let open_ssh = some(
            "ingress[*]",
            Condition::All(vec![
                port(22.0),
                some("cidr_blocks[*]", eq("", "0.0.0.0/0")),
            ]),
        );
        assert_eq!(
            run(&open_ssh, &r),
            (
                Tri::Yes,
                vec![
                    "`ingress[1].from_port` is `22`".into(),
                    "`ingress[1].cidr_blocks[0]` is `0.0.0.0/0`".into()
                ]
            )
        );
        assert_eq!(
            run(&Condition::Not(Box::new(open_ssh.clone())), &r).0,
            Tri::No
        );
        // Every rule's blocks are private: no (one is public), facts point at the public one.
        let private = each(
            "ingress",
            each("cidr_blocks", t("", within(&["10.0.0.0/8"]))),
        );
        assert_eq!(
            run(&private, &r),
            (
                Tri::No,
                vec!["`ingress[1].cidr_blocks[0]` is `0.0.0.0/0`".into()]
            )
        );
        // Every rule uses port 443: no, at the second rule.
        assert_eq!(
            run(&each("ingress", port(443.0)), &r),
            (Tri::No, vec!["`ingress[1].from_port` is `22`".into()])
        );
        // Some block equals 10.0.0.0/8: yes, at the first rule, whatever the unknown one is.
        assert_eq!(
            truth(&some("ingress[*].cidr_blocks[*]", eq("", "10.0.0.0/8")), &r),
            Tri::Yes
        );
        // Some block equals 192.168.0.0/16: unknown, the unknown block might.
        assert_eq!(
            run(
                &some("ingress[*].cidr_blocks[*]", eq("", "192.168.0.0/16")),
                &r
            ),
            (
                Tri::Unknown,
                vec!["`ingress[1].cidr_blocks[1]` is known only after apply".into()]
            )
        );
        // A path that does not fit: `ingress` is a list of blocks.
        assert_eq!(
            run(&eq("ingress.from_port", "22"), &r),
            (Tri::Unknown, vec!["`ingress` is a list, so `ingress.from_port` cannot be read (take its items with `[*]` or `[0]`)".into()])
        );
    }

    #[test]
    fn all_any_not_in_three_values() {
        let r = resource();
        let yes = present("location");
        let no = present("missing");
        let unknown = present("later");
        let all = |v: Vec<&Condition>| Condition::All(v.into_iter().cloned().collect());
        let any = |v: Vec<&Condition>| Condition::Any(v.into_iter().cloned().collect());
        let not = |c: &Condition| Condition::Not(Box::new(c.clone()));
        assert_eq!(truth(&all(vec![&yes, &yes]), &r), Tri::Yes);
        assert_eq!(truth(&all(vec![&yes, &no]), &r), Tri::No);
        assert_eq!(truth(&all(vec![&unknown, &no]), &r), Tri::No);
        assert_eq!(truth(&all(vec![&yes, &unknown]), &r), Tri::Unknown);
        assert_eq!(truth(&any(vec![&no, &no]), &r), Tri::No);
        assert_eq!(truth(&any(vec![&no, &yes]), &r), Tri::Yes);
        assert_eq!(truth(&any(vec![&unknown, &yes]), &r), Tri::Yes);
        assert_eq!(truth(&any(vec![&no, &unknown]), &r), Tri::Unknown);
        assert_eq!(truth(&not(&yes), &r), Tri::No);
        assert_eq!(truth(&not(&no), &r), Tri::Yes);
        assert_eq!(
            truth(&not(&unknown), &r),
            Tri::Unknown,
            "unknown is never a pass"
        );
        assert_eq!(truth(&not(&not(&unknown)), &r), Tri::Unknown);
        // The facts are the deciding ones.
        assert_eq!(run(&all(vec![&yes, &no]), &r).1, ["`missing` is not set"]);
        assert_eq!(
            run(&any(vec![&no, &unknown]), &r).1,
            ["`later` is known only after apply"]
        );
        assert_eq!(
            run(&any(vec![&no, &present("other")]), &r).1,
            ["`missing` is not set", "`other` is not set"]
        );
    }

    #[test]
    fn rendered_in_words() {
        let c = Condition::All(vec![
            present("tags.CostCentre"),
            Condition::Not(Box::new(eq("location", "us-east1"))),
            Condition::Any(vec![
                t("port", Op::Compare(Comparison::Ge, 1024.0)),
                t(
                    "ingress[*].cidr_blocks[*]",
                    within(&["10.0.0.0/8", "192.168.0.0/16"]),
                ),
            ]),
            Condition::Some {
                path: path("ingress"),
                require: Box::new(t("from_port", Op::Equals(Scalar::Number(443.0)))),
            },
        ]);
        let mut md = String::new();
        c.markdown(0, &mut md);
        assert_eq!(
            md,
            "- all of:\n  \
             - `tags.CostCentre` is set\n  \
             - `location` does not equal `us-east1`\n  \
             - at least one of:\n    \
             - `port` is a number at least 1024\n    \
             - every `ingress[*].cidr_blocks[*]` is a CIDR block within `10.0.0.0/8` or `192.168.0.0/16`\n  \
             - at least one item of `ingress` satisfies:\n    \
             - `from_port` equals `443`\n"
        );
        assert_eq!(
            Condition::Not(Box::new(Condition::Any(vec![present("a"), present("b")]))).inline(),
            "not (at least one of (`a` is set; `b` is set))"
        );
    }
}
