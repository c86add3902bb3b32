//! Which values are secrets: decided once, on the model, before any policy runs.
//!
//! Terraform's own marks (plan masks, `sensitive` variables and outputs, `sensitive()`, attributes
//! the provider marks sensitive) arrive from the loaders in [`Value::sensitive`]. This pass adds
//! guard's judgement in [`Value::secret`]: values under a secret-named attribute at any depth,
//! values that match a secret detector, and the values of variables and outputs that are declared
//! sensitive or named like a secret. From then on [`Value::is_sensitive`] is the one answer every
//! output asks: messages built with [`crate::display_safe`] and source snippets show such a value
//! as `(sensitive)`.

use crate::secret_patterns::{detect, is_secret_name};
use crate::secret_prints::{add_prints, SecretPrint};
use crate::store::{NodeId, Shape, Store};
use crate::value::Origin;
use crate::{InputKind, Model};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What the pass found besides the marks it set.
#[derive(Default)]
pub struct Classified {
    /// The sensitive strings as fingerprints for the text tripwire (no copy of their text).
    /// Strings marked only by a plan's masks are left to the plan loader, which knows which marks
    /// came from a real mask (a plan without masks marks everything, names and regions included).
    pub strings: Vec<SecretPrint>,
    /// Where sensitive values were written in source: a snippet masks these byte ranges.
    pub spans: Vec<Origin>,
}

/// Strings this short, and words like `true`, are never looked for in text: they occur in
/// ordinary output by chance. Values are hidden where they are rendered instead.
pub const MIN_TRIPWIRE_LEN: usize = 8;

/// A source span longer than this is a block or an expression, not the literal of one value; it
/// still masks a snippet, but only the part on the line shown.
const MAX_SPAN: usize = 64 * 1024;

/// `Debug` shows how much was found, never the strings.
impl std::fmt::Debug for Classified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Classified")
            .field("strings", &self.strings.len())
            .field("spans", &self.spans.len())
            .finish()
    }
}

/// Marks every secret in a model (see the module documentation) and returns what it found.
///
/// A value that came from a secret is a secret wherever it flows: values carry the spans that
/// produced them, so a second pass marks every value that shares an origin with one the first
/// pass marked (`deletion_protection = var.db_password_flag` shows the flag as `(sensitive)`).
pub fn classify(model: &mut Model) -> Classified {
    // A plan's marks are collected by its loader; a module's marks come from declarations.
    let trust_marks = model.input != Some(InputKind::Plan);
    let (mut out, found) = pass(model, trust_marks, &HashSet::new());
    if !found.is_empty() {
        out = pass(model, trust_marks, &found).0;
    }
    out.strings.sort_unstable();
    out.strings.dedup();
    out.spans.sort();
    out.spans.dedup();
    out
}

/// Resources are walked in parallel chunks of this many (a plan has 100k of them).
const CHUNK: usize = 1024;

/// One pass over the model: what it found, and the origins of the values it marked.
fn pass(
    model: &mut Model,
    trust_marks: bool,
    secret_origins: &HashSet<Origin>,
) -> (Classified, HashSet<Origin>) {
    let walker = || Walker {
        out: Classified::default(),
        names: HashMap::new(),
        trust_marks,
        secret_origins,
        found_origins: HashSet::new(),
    };
    let chunks: Vec<Walker<'_>> = model
        .resources
        .par_chunks_mut(CHUNK)
        .chain(model.drift.par_chunks_mut(CHUNK))
        .map(|chunk| {
            let mut w = walker();
            for resource in chunk {
                let (store, roots) = resource.roots_mut();
                for root in roots {
                    w.walk(store, root, false, false, false);
                }
            }
            w
        })
        .collect();
    let mut rest = walker();
    rest.walk_declarations(model);
    for w in chunks {
        rest.out.strings.extend(w.out.strings);
        rest.out.spans.extend(w.out.spans);
        rest.found_origins.extend(w.found_origins);
    }
    (rest.out, rest.found_origins)
}

struct Walker<'s> {
    out: Classified,
    /// Origins of the values the first pass marked: a value that shares one is a secret.
    secret_origins: &'s HashSet<Origin>,
    /// Origins of the values this pass marked.
    found_origins: HashSet<Origin>,
    /// [`is_secret_name`] per attribute name: a model repeats the same few names many times.
    names: HashMap<String, bool>,
    trust_marks: bool,
}

impl Walker<'_> {
    /// Providers, outputs and variables (resources are walked in chunks).
    fn walk_declarations(&mut self, model: &mut Model) {
        for provider in &mut model.providers {
            let (store, root) = provider.values.parts_mut();
            self.walk(store, root, false, false, false);
        }
        for output in &mut model.outputs {
            let secret = output.declared_sensitive == Some(true) || is_secret_name(&output.name);
            let (store, root) = output.value.parts_mut();
            self.walk(store, root, secret, false, false);
        }
        for variable in &mut model.variables {
            let secret = variable.declared_sensitive || is_secret_name(&variable.name);
            let (store, root) = variable.value.parts_mut();
            self.walk(store, root, secret, false, variable.declared_sensitive);
        }
    }

    fn secret_name(&mut self, key: &str) -> bool {
        if let Some(&known) = self.names.get(key) {
            return known;
        }
        let secret = is_secret_name(key);
        self.names.insert(key.to_string(), secret);
        secret
    }

    /// `named`: guard judges an enclosing value a secret (a secret name, a declaration).
    /// `marked`: an enclosing value carries Terraform's mark. `trusted`: that mark's strings
    /// belong to the tripwire.
    fn walk(&mut self, store: &mut Store, node: NodeId, named: bool, marked: bool, trusted: bool) {
        let own_mark = store.is_marked_sensitive(node);
        let marked = marked || own_mark;
        let trusted = trusted || (self.trust_marks && own_mark);
        let named = named
            || matches!(store.shape(node), Shape::String(s) if detect(s).is_some())
            || (!self.secret_origins.is_empty()
                && store
                    .origins(node)
                    .iter()
                    .any(|o| self.secret_origins.contains(o)));
        if named || marked {
            store.set_secret(node);
            self.found_origins
                .extend(store.origins(node).iter().cloned());
        }
        let container = match store.shape(node) {
            Shape::String(s) => {
                if named || trusted {
                    add_prints(s, &mut self.out.strings);
                }
                false
            }
            Shape::List(first, len) => {
                for item in first..first + len {
                    self.walk(store, item, named, marked, trusted);
                }
                true
            }
            Shape::Object(first, keys, len) => {
                for i in 0..len {
                    let named = named || self.secret_name(store.key(keys + i));
                    self.walk(store, first + i, named, marked, trusted);
                }
                true
            }
            Shape::Null | Shape::Unknown | Shape::Bool(_) | Shape::Number(_) => false,
        };
        if store.is_secret(node) && !container {
            self.out.spans.extend(
                store
                    .origins(node)
                    .iter()
                    .filter(|o| o.end > o.start && (o.end - o.start) as usize <= MAX_SPAN)
                    .cloned(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Output, Resource, Value, Variable};

    fn object(pairs: &[(&str, Value)]) -> Value {
        Value::object_from(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())))
    }

    #[test]
    fn secret_names_at_any_depth_and_detector_matches_are_marked() {
        let values = object(&[
            ("name", Value::string("web")),
            (
                "environment",
                object(&[(
                    "variables",
                    object(&[
                        ("DB_PASSWORD", Value::string("hunter2hunter2")),
                        ("REGION", Value::string("eu-west-1")),
                        ("KEY", Value::string("AKIAABCDEFGHIJKLMNOP")),
                    ]),
                )]),
            ),
        ]);
        let mut model = Model {
            input: Some(InputKind::Hcl),
            resources: vec![Resource::new(
                "aws_lambda_function",
                "f",
                values,
                InputKind::Hcl,
            )],
            ..Model::default()
        };
        let found = classify(&mut model);
        let vars = model.resources[0]
            .values()
            .path(&["environment", "variables"]);
        assert!(vars.get("DB_PASSWORD").is_sensitive());
        assert!(vars.get("KEY").is_sensitive());
        assert!(!vars.get("REGION").is_sensitive());
        assert!(!model.resources[0].values().get("name").is_sensitive());
        // Terraform's mark is left alone: policies read it.
        assert!(!vars.get("DB_PASSWORD").is_marked_sensitive());
        let mut expected = vec![
            SecretPrint::of("AKIAABCDEFGHIJKLMNOP"),
            SecretPrint::of("hunter2hunter2"),
        ];
        expected.sort_unstable();
        assert_eq!(found.strings, expected);
    }

    #[test]
    fn sensitive_and_secret_named_variables_and_outputs_are_marked() {
        let mut model = Model {
            input: Some(InputKind::Hcl),
            variables: vec![Variable::new(
                "create_secret".into(),
                String::new(),
                Value::string("true"),
                false,
                None,
            )],
            outputs: vec![Output::new(
                "listeners".into(),
                String::new(),
                object(&[("protocol", Value::string("HTTP"))]),
                Some(true),
                None,
                InputKind::Hcl,
            )],
            ..Model::default()
        };
        classify(&mut model);
        assert!(model.variables[0].value().is_sensitive());
        assert!(model.outputs[0].value().get("protocol").is_sensitive());
    }

    #[test]
    fn debug_does_not_print_a_sensitive_value() {
        let v = Value::string("hunter2hunter2").with_sensitive(true);
        let debug = format!("{:?}", Value::list(vec![v]));
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}
