//! Attribute paths: which value of a resource a condition reads.
//!
//! Syntax: attribute names joined by `.`, each optionally followed by brackets:
//!
//! - `location`, `tags.CostCentre`: an attribute of an object (a map key or a single block);
//! - `tags["kubernetes.io/role"]`: a key that is not a plain name (quotes, `\"` and `\\` escapes);
//! - `ingress[0]`: one item of a list or of a block type;
//! - `ingress[*]`: every item (every block of the type); a path with `[*]` selects several values.
//!
//! A plain name is letters, digits, `_` and `-`. Nested blocks are lists of objects in the model
//! (as in a plan), so `versioning[0].enabled` and `ingress[*].from_port` are how blocks are read;
//! a single object stands for a list of one, as guard's policies read blocks. A `[*]` takes the
//! values that exist: where the list (or anything above it) is not set, it selects nothing.

use crate::value::{is_managed_identity_stand_in, ValueKind, ValueRef};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
    Each,
}

/// A parsed attribute path; empty means the value itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct Path {
    steps: Vec<Step>,
}

impl Path {
    pub(crate) fn parse(text: &str) -> Result<Path, String> {
        let mut steps = Vec::new();
        let mut chars = text.char_indices().peekable();
        let mut expect_name = true;
        while let Some(&(at, c)) = chars.peek() {
            if expect_name {
                let mut name = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                        name.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if name.is_empty() {
                    return Err(format!(
                        "expected an attribute name at character {} of `{text}` (write other keys as `[\"...\"]`)",
                        at + 1
                    ));
                }
                steps.push(Step::Key(name));
                expect_name = false;
                continue;
            }
            match c {
                '.' => {
                    chars.next();
                    expect_name = true;
                }
                '[' => {
                    chars.next();
                    let step = match chars.peek().map(|&(_, c)| c) {
                        Some('*') => {
                            chars.next();
                            Step::Each
                        }
                        Some('"') => {
                            chars.next();
                            let mut key = String::new();
                            loop {
                                match chars.next() {
                                    Some((_, '"')) => break,
                                    Some((_, '\\')) => match chars.next() {
                                        Some((_, e @ ('"' | '\\'))) => key.push(e),
                                        _ => {
                                            return Err(format!(
                                                "only `\\\"` and `\\\\` escapes are allowed in `{text}`"
                                            ))
                                        }
                                    },
                                    Some((_, c)) => key.push(c),
                                    None => return Err(format!("unclosed quote in `{text}`")),
                                }
                            }
                            Step::Key(key)
                        }
                        Some(d) if d.is_ascii_digit() => {
                            let mut digits = String::new();
                            while let Some(&(_, d)) = chars.peek() {
                                if !d.is_ascii_digit() {
                                    break;
                                }
                                digits.push(d);
                                chars.next();
                            }
                            let index = digits
                                .parse()
                                .map_err(|_| format!("index `{digits}` is too large in `{text}`"))?;
                            Step::Index(index)
                        }
                        _ => {
                            return Err(format!(
                                "expected `*`, an index or a quoted key after `[` in `{text}`"
                            ))
                        }
                    };
                    match chars.next() {
                        Some((_, ']')) => steps.push(step),
                        _ => return Err(format!("expected `]` in `{text}`")),
                    }
                }
                _ => {
                    return Err(format!(
                        "unexpected `{c}` at character {} of `{text}`: names are joined by `.`, items taken with `[*]` or `[0]`",
                        at + 1
                    ))
                }
            }
        }
        if expect_name && !steps.is_empty() {
            return Err(format!("`{text}` ends with `.`"));
        }
        Ok(Path { steps })
    }

    /// `[*]`: every item.
    pub(crate) fn each() -> Path {
        Path {
            steps: vec![Step::Each],
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Whether the path can select more than one value.
    pub(crate) fn fans_out(&self) -> bool {
        self.steps.contains(&Step::Each)
    }

    /// The values the path selects under `root`, each with its concrete path (`[*]` replaced by
    /// the item's index) prefixed by `base`.
    pub(crate) fn select<'m>(&self, root: ValueRef<'m>, base: &str) -> Vec<Selected<'m>> {
        let mut out = Vec::new();
        walk(&self.steps, root, None, base.to_string(), &mut out);
        out
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for step in &self.steps {
            match step {
                Step::Key(k) if is_plain(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Step::Key(k) => write!(f, "[{}]", quote(k))?,
                Step::Index(i) => write!(f, "[{i}]")?,
                Step::Each => f.write_str("[*]")?,
            }
            first = false;
        }
        Ok(())
    }
}

fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn quote(key: &str) -> String {
    format!("\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\""))
}

fn join(base: &str, step: &Step, index: Option<usize>) -> String {
    match step {
        Step::Key(k) if is_plain(k) && base.is_empty() => k.clone(),
        Step::Key(k) if is_plain(k) => format!("{base}.{k}"),
        Step::Key(k) => format!("{base}[{}]", quote(k)),
        Step::Index(i) => format!("{base}[{i}]"),
        Step::Each => match index {
            Some(i) => format!("{base}[{i}]"),
            None => base.to_string(),
        },
    }
}

/// One value a path selected.
#[derive(Debug, Clone)]
pub(crate) struct Selected<'m> {
    /// The concrete path, e.g. `ingress[1].cidr_blocks[0]`.
    pub(crate) path: String,
    pub(crate) leaf: Leaf<'m>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Leaf<'m> {
    /// A known, non-null value.
    Value(ValueRef<'m>),
    /// Not set (missing or null); `nearest` is the closest enclosing value that exists, to point
    /// a finding at (none at the resource itself).
    Absent { nearest: Option<ValueRef<'m>> },
    /// Known only after apply (or a variable without a value): this value or one it is inside;
    /// the value held is the one to point a finding at (the nearest with a source location).
    Unknown(ValueRef<'m>),
    /// The path does not fit the value's shape (a name on a list, an index on a string): the
    /// rule cannot be evaluated here. `what` says what was found, e.g. `a list`.
    Mismatch {
        at: ValueRef<'m>,
        what: &'static str,
    },
}

fn shape(value: ValueRef<'_>) -> &'static str {
    match value.kind() {
        ValueKind::Null => "null",
        ValueKind::Unknown => "unknown",
        ValueKind::Bool(_) => "a boolean",
        ValueKind::Number(_) => "a number",
        ValueKind::String(_) => "a string",
        ValueKind::List(_) => "a list",
        ValueKind::Object(_) => "an object",
    }
}

/// Unknown for guard's purposes: unknown, or the HCL loader's stand-in for the id of a resource
/// the configuration creates.
pub(crate) fn is_unknown(value: ValueRef<'_>) -> bool {
    value.is_unknown() || value.as_str().is_some_and(is_managed_identity_stand_in)
}

fn walk<'m>(
    steps: &[Step],
    value: ValueRef<'m>,
    parent: Option<ValueRef<'m>>,
    path: String,
    out: &mut Vec<Selected<'m>>,
) {
    if value.is_null() {
        // Nothing to take `[*]` of: no values, rather than one absent one.
        if steps.contains(&Step::Each) {
            return;
        }
        out.push(Selected {
            path,
            leaf: Leaf::Absent { nearest: parent },
        });
        return;
    }
    if is_unknown(value) {
        // A value computed from another resource has no source of its own: point at what
        // encloses it (`tags` for `tags.CostCentre`) rather than at the whole resource.
        let at = match parent {
            Some(parent) if value.primary_origin().is_none() => parent,
            _ => value,
        };
        out.push(Selected {
            path,
            leaf: Leaf::Unknown(at),
        });
        return;
    }
    let Some((step, rest)) = steps.split_first() else {
        out.push(Selected {
            path,
            leaf: Leaf::Value(value),
        });
        return;
    };
    // The resource itself is not a place to point at: `nearest` stays `None` at the top.
    let here = if parent.is_none() && path.is_empty() {
        None
    } else {
        Some(value)
    };
    let mismatch = |path: String, out: &mut Vec<Selected<'m>>| {
        out.push(Selected {
            path,
            leaf: Leaf::Mismatch {
                at: value,
                what: shape(value),
            },
        })
    };
    match (step, value.kind()) {
        (Step::Key(k), ValueKind::Object(map)) => {
            let next = map.get(k).unwrap_or_else(|| ValueRef::null());
            walk(rest, next, here, join(&path, step, None), out);
        }
        (Step::Index(i), ValueKind::List(items)) => {
            let next = items.get(*i).unwrap_or_else(|| ValueRef::null());
            walk(rest, next, here, join(&path, step, None), out);
        }
        (Step::Index(0), ValueKind::Object(_)) => {
            walk(rest, value, parent, join(&path, step, None), out)
        }
        (Step::Index(_), ValueKind::Object(_)) => out.push(Selected {
            path: join(&path, step, None),
            leaf: Leaf::Absent { nearest: here },
        }),
        (Step::Each, ValueKind::List(items)) => {
            for (i, item) in items.iter().enumerate() {
                walk(rest, item, here, join(&path, step, Some(i)), out);
            }
        }
        (Step::Each, ValueKind::Object(_)) => walk(rest, value, parent, path, out),
        (Step::Key(_) | Step::Index(_) | Step::Each, _) => mismatch(path, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn parsed(text: &str) -> String {
        match Path::parse(text) {
            Ok(p) => p.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn parses_and_prints_the_documented_syntax() {
        assert_eq!(parsed("location"), "location");
        assert_eq!(parsed("tags.CostCentre"), "tags.CostCentre");
        assert_eq!(
            parsed("ingress[*].cidr_blocks[0]"),
            "ingress[*].cidr_blocks[0]"
        );
        assert_eq!(
            parsed(r#"tags["kubernetes.io/role"].x"#),
            r#"tags["kubernetes.io/role"].x"#
        );
        assert_eq!(parsed(r#"a["q\"uote"]"#), r#"a["q\"uote"]"#);
        assert_eq!(parsed(""), "");
        assert!(Path::parse("ingress[*].x").is_ok_and(|p| p.fans_out()));
        assert!(Path::parse("ingress[0].x").is_ok_and(|p| !p.fans_out()));
    }

    #[test]
    fn rejects_malformed_paths_with_a_reason() {
        for (text, reason) in [
            ("tags.", "ends with `.`"),
            (".tags", "expected an attribute name"),
            ("a..b", "expected an attribute name"),
            ("a[", "expected `*`"),
            ("a[x]", "expected `*`"),
            ("a[*", "expected `]`"),
            ("a[\"x", "unclosed quote"),
            ("a b", "unexpected ` `"),
            ("a/b", "unexpected `/`"),
            ("a[99999999999999999999999]", "too large"),
        ] {
            let got = parsed(text);
            assert!(got.contains(reason), "{text}: {got}");
        }
    }

    fn doc() -> Value {
        let block = |port: f64, cidrs: Vec<Value>| {
            Value::object_from([
                ("from_port".to_string(), Value::number(port)),
                ("cidr_blocks".to_string(), Value::list(cidrs)),
            ])
        };
        Value::object_from([
            (
                "ingress".to_string(),
                Value::list(vec![
                    block(22.0, vec!["10.0.0.0/8".into(), Value::unknown()]),
                    block(443.0, vec!["0.0.0.0/0".into()]),
                ]),
            ),
            ("name".to_string(), "web".into()),
            ("gone".to_string(), Value::null()),
        ])
    }

    fn summary(root: &Value, path: &str) -> Vec<String> {
        let path = Path::parse(path).unwrap_or_default();
        let stored = crate::store::Stored::new(root);
        path.select(stored.get(), "")
            .into_iter()
            .map(|s| {
                let leaf = match s.leaf {
                    Leaf::Value(v) => v.shown(),
                    Leaf::Absent { nearest } => format!("absent near {}", nearest.is_some()),
                    Leaf::Unknown(_) => "unknown".to_string(),
                    Leaf::Mismatch { what, .. } => format!("mismatch: {what}"),
                };
                format!("{} = {leaf}", s.path)
            })
            .collect()
    }

    #[test]
    fn selects_values_with_concrete_paths() {
        let root = doc();
        assert_eq!(summary(&root, "name"), ["name = web"]);
        assert_eq!(summary(&root, "gone"), ["gone = absent near false"]);
        assert_eq!(summary(&root, "missing"), ["missing = absent near false"]);
        assert_eq!(
            summary(&root, "ingress[*].cidr_blocks[*]"),
            [
                "ingress[0].cidr_blocks[0] = 10.0.0.0/8",
                "ingress[0].cidr_blocks[1] = unknown",
                "ingress[1].cidr_blocks[0] = 0.0.0.0/0"
            ]
        );
        assert_eq!(
            summary(&root, "ingress[1].to_port"),
            ["ingress[1].to_port = absent near true"]
        );
        assert_eq!(
            summary(&root, "ingress[5].from_port"),
            ["ingress[5] = absent near true"]
        );
        assert_eq!(
            summary(&root, "ingress.from_port"),
            ["ingress = mismatch: a list"]
        );
        assert_eq!(summary(&root, "name[0]"), ["name = mismatch: a string"]);
        assert!(summary(&root, "gone[*].x").is_empty());
        assert!(summary(&root, "missing.deeper[*]").is_empty());
        assert_eq!(summary(&root, ""), [" = (3 attributes)"]);
    }

    #[test]
    fn a_single_object_is_a_list_of_one_and_unknown_stops_the_walk() {
        let root = Value::object_from([
            (
                "versioning".to_string(),
                Value::object_from([("enabled".to_string(), true.into())]),
            ),
            ("later".to_string(), Value::unknown()),
            (
                "arn".to_string(),
                crate::value::managed_identity_stand_in("aws_kms_key", "k", "arn").into(),
            ),
        ]);
        assert_eq!(
            summary(&root, "versioning[0].enabled"),
            ["versioning[0].enabled = true"]
        );
        assert_eq!(
            summary(&root, "versioning[*].enabled"),
            ["versioning.enabled = true"]
        );
        assert_eq!(summary(&root, "later[*].x"), ["later = unknown"]);
        assert_eq!(summary(&root, "arn"), ["arn = unknown"]);
    }
}
