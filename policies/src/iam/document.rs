//! AWS IAM policy documents, however they were written, as one list of statements.
//!
//! A document reaches a policy in one of three shapes: a JSON string (a literal, a heredoc,
//! `jsonencode(...)`, `file(...)`, or the `json` a plan carries), the blocks of a
//! `data "aws_iam_policy_document"`, or a value known only after apply. [`Document`] turns the
//! first two into statements in JSON's shape (`Effect`, `Action`, `Principal`, ...) whose leaves
//! keep their origins, so a finding points at the line that grants too much; the third is kept as
//! unknown so the policy can say so instead of passing.

use crate::model::{Mode, Model, Resource};
use crate::store::Stored;
use crate::value::{Tri, Value, ValueKind, ValueRef};

/// The data source whose blocks render an IAM document.
pub const POLICY_DOCUMENT_DATA: &str = "aws_iam_policy_document";

/// A decoded policy document.
#[derive(Debug, Default)]
pub struct Document<'m> {
    /// Statements in JSON's shape; keys as IAM spells them (`Effect`, `Action`, `Resource`,
    /// `NotAction`, `NotResource`, `Principal`, `NotPrincipal`, `Condition`). Read them through
    /// [`Document::statements`].
    statements: Vec<Stored>,
    /// A part of the document known only after apply (the whole `policy`, a `dynamic "statement"`
    /// or a source document), when there is one.
    pub unknown: Option<ValueRef<'m>>,
}

impl<'m> Document<'m> {
    /// The statements, in order.
    pub fn statements(&self) -> impl ExactSizeIterator<Item = ValueRef<'_>> {
        self.statements.iter().map(Stored::get)
    }

    /// Decodes a `policy`-like attribute: a JSON string, or unknown. `None` when it is absent or
    /// not an IAM document (not JSON, or JSON without statements).
    pub fn from_attribute(value: ValueRef<'m>) -> Option<Document<'m>> {
        match value.kind() {
            ValueKind::Unknown => Some(Document {
                statements: Vec::new(),
                unknown: Some(value),
            }),
            ValueKind::String(text) => {
                let mut doc = Document::default();
                doc.add_json(text, value)?;
                Some(doc)
            }
            _ => None,
        }
    }

    /// Decodes the blocks of a `data "aws_iam_policy_document"`. A source document rendered by
    /// another data source of `rendered` is checked there, so its unknown parts are not this
    /// document's.
    pub fn from_data_source(values: ValueRef<'m>, rendered: &RenderedDocuments<'_>) -> Self {
        let mut doc = Document::default();
        for key in ["source_policy_documents", "override_policy_documents"] {
            let sources = values.get(key);
            if sources.is_unknown() && !rendered.rendered(sources) {
                doc.unknown.get_or_insert(sources);
            }
            for source in sources.as_list() {
                if rendered.rendered(source) {
                    continue;
                }
                match source.kind() {
                    ValueKind::String(text) => {
                        let _ = doc.add_json(text, source);
                    }
                    ValueKind::Unknown => {
                        doc.unknown.get_or_insert(source);
                    }
                    _ => {}
                }
            }
        }
        let statements = values.get("statement");
        if statements.is_unknown() {
            doc.unknown.get_or_insert(statements);
        }
        for block in values.blocks("statement") {
            if block.is_unknown() {
                doc.unknown.get_or_insert(block);
                continue;
            }
            doc.statements
                .push(Stored::new(&statement_from_block(block)));
        }
        doc
    }

    /// Whether any statement names a principal: a resource (or trust) policy.
    pub fn has_principal(&self) -> bool {
        self.statements
            .iter()
            .map(Stored::get)
            .any(|s| !s.get("Principal").is_null() || !s.get("NotPrincipal").is_null())
    }

    /// Parses JSON text and adds its statements, every leaf carrying the origins of `at`.
    /// `None` when the text is not a policy document.
    fn add_json(&mut self, text: &str, at: ValueRef<'_>) -> Option<()> {
        let json: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
        let statements = json.as_object()?.get("Statement")?;
        match statements {
            serde_json::Value::Array(items) => self
                .statements
                .extend(items.iter().map(|item| Stored::new(&from_json(item, at)))),
            serde_json::Value::Object(_) => self
                .statements
                .push(Stored::new(&from_json(statements, at))),
            _ => return None,
        }
        Some(())
    }
}

/// A JSON value as a [`Value`] whose every node carries the origins (and sensitivity) of `at`.
fn from_json(json: &serde_json::Value, at: ValueRef<'_>) -> Value {
    let value = match json {
        serde_json::Value::Null => Value::null(),
        serde_json::Value::Bool(b) => Value::bool(*b),
        serde_json::Value::Number(n) => Value::number(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::string(s.clone()),
        serde_json::Value::Array(items) => {
            Value::list(items.iter().map(|i| from_json(i, at)).collect())
        }
        serde_json::Value::Object(map) => {
            Value::object_from(map.iter().map(|(k, v)| (k.clone(), from_json(v, at))))
        }
    };
    value.with_marks_of(at)
}

/// One `statement` block in JSON's shape, as the provider renders it.
fn statement_from_block(block: ValueRef<'_>) -> Value {
    let mut members: Vec<(String, Value)> = Vec::new();
    let effect = block.get("effect");
    members.push((
        "Effect".to_string(),
        if effect.is_null() {
            // The provider's default.
            Value::string("Allow").with_origins(block.origins())
        } else {
            effect.to_value()
        },
    ));
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        let v = block.get(attr);
        if !v.is_null() {
            members.push((key.to_string(), v.to_value()));
        }
    }
    for (attr, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let v = block.get(attr);
        if v.is_unknown() {
            members.push((key.to_string(), v.to_value()));
            continue;
        }
        let blocks = block.blocks(attr);
        if blocks.is_empty() {
            continue;
        }
        // Identifiers grouped by principal type, types in first-seen order (sorted below).
        let mut by_type: Vec<(String, Vec<Value>)> = Vec::new();
        let mut principal = None;
        for p in blocks {
            let ty = p.get("type");
            match ty.as_str() {
                // `type = "*"` renders as `"Principal": "*"`.
                Some("*") => principal = Some(ty.to_value()),
                Some(t) => {
                    let index = match by_type.iter().position(|(name, _)| name == t) {
                        Some(index) => index,
                        None => {
                            by_type.push((t.to_string(), Vec::new()));
                            by_type.len() - 1
                        }
                    };
                    let ids = p.get("identifiers");
                    let items = &mut by_type[index].1;
                    match ids.kind() {
                        ValueKind::List(more) => items.extend(more.iter().map(ValueRef::to_value)),
                        _ => items.push(ids.to_value()),
                    }
                }
                None => principal = Some(ty.to_value()),
            }
        }
        members.push((
            key.to_string(),
            principal.unwrap_or_else(|| {
                Value::object_from(by_type.into_iter().map(|(t, ids)| (t, Value::list(ids))))
            }),
        ));
    }
    let conditions = block.get("condition");
    if conditions.is_unknown() {
        members.push(("Condition".to_string(), conditions.to_value()));
    } else {
        // Tests in first-seen order, each with its variables (an object sorts its keys; a later
        // duplicate replaces an earlier one, as an insert into a map would).
        let mut tests: Vec<(String, Vec<(String, Value)>)> = Vec::new();
        for c in block.blocks("condition") {
            let test = c.get("test").as_str().unwrap_or("").to_string();
            let variable = c.get("variable");
            let index = match tests.iter().position(|(name, _)| *name == test) {
                Some(index) => index,
                None => {
                    tests.push((test, Vec::new()));
                    tests.len() - 1
                }
            };
            // An unknown variable name still restricts something; keep it under a name of its
            // own so it is not lost.
            let name = variable.as_str().unwrap_or("(known after apply)");
            tests[index]
                .1
                .push((name.to_string(), c.get("values").to_value()));
        }
        if !tests.is_empty() {
            members.push((
                "Condition".to_string(),
                Value::object_from(
                    tests
                        .into_iter()
                        .map(|(test, vars)| (test, Value::object_from(vars))),
                ),
            ));
        }
    }
    Value::object_from(members).with_origins(block.origins())
}

/// The items of a string-or-list field (`Action`, `Resource`, a principal's identifiers).
/// An unknown field is one unknown item.
pub fn items(field: ValueRef<'_>) -> Vec<ValueRef<'_>> {
    match field.kind() {
        ValueKind::List(items) => items.iter().collect(),
        ValueKind::Null => Vec::new(),
        _ => vec![field],
    }
}

/// Whether the statement allows: `Effect` is `Allow` (the default when absent).
pub fn allows(statement: ValueRef<'_>) -> Tri {
    let effect = statement.get("Effect");
    match effect.as_str() {
        Some(e) => {
            if e == "Allow" {
                Tri::Yes
            } else {
                Tri::No
            }
        }
        None if effect.is_unknown() => Tri::Unknown,
        None => Tri::Yes,
    }
}

/// `Yes` when any item of `field` satisfies `test`, `Unknown` when none does but one is unknown.
pub fn any_item(field: ValueRef<'_>, test: impl Fn(&str) -> bool) -> Tri {
    let mut answer = Tri::No;
    for item in items(field) {
        match item.as_str() {
            Some(s) if test(s) => return Tri::Yes,
            Some(_) => {}
            None if item.is_unknown() => answer = Tri::Unknown,
            None => {}
        }
    }
    answer
}

/// Tri-valued "and": `No` wins, then `Unknown`.
pub fn and(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Tri::No, _) | (_, Tri::No) => Tri::No,
        (Tri::Yes, Tri::Yes) => Tri::Yes,
        _ => Tri::Unknown,
    }
}

/// The policy-document data sources of a model, to tell which `policy` values were rendered
/// from one (their statements are checked on the data source, where they are written).
pub struct RenderedDocuments<'m> {
    data_sources: Vec<&'m Resource>,
}

impl<'m> RenderedDocuments<'m> {
    /// The data sources of type `data_type` (`aws_iam_policy_document`, `google_iam_policy`).
    pub fn of(model: &'m Model, data_type: &str) -> Self {
        RenderedDocuments {
            data_sources: model
                .resources_of_type(data_type)
                .filter(|r| r.mode() == Mode::Data)
                .collect(),
        }
    }

    /// True when `value` was rendered by (or is known only after apply because of) one of the
    /// data sources: every origin it carries lies inside a data source's block, or it is the
    /// exact JSON a data source rendered.
    pub fn rendered(&self, value: ValueRef<'_>) -> bool {
        if let Some(text) = value.as_str() {
            if self.data_sources.iter().any(|d| {
                ["json", "minified_json", "policy_data"]
                    .iter()
                    .any(|attr| d.values().get(attr).as_str() == Some(text))
            }) {
                return true;
            }
        }
        !value.origins().is_empty()
            && value.origins().iter().all(|o| {
                self.data_sources.iter().any(|d| {
                    d.location().is_some_and(|block| {
                        block.file == o.file && block.start <= o.start && o.end <= block.end
                    })
                })
            })
    }
}
