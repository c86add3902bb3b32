//! AWS IAM policy documents, however they were written, as one list of statements.
//!
//! A document reaches a policy in one of three shapes: a JSON string (a literal, a heredoc,
//! `jsonencode(...)`, `file(...)`, or the `json` a plan carries), the blocks of a
//! `data "aws_iam_policy_document"`, or a value known only after apply. [`Document`] turns the
//! first two into statements in JSON's shape (`Effect`, `Action`, `Principal`, ...) whose leaves
//! keep their origins, so a finding points at the line that grants too much; the third is kept as
//! unknown so the policy can say so instead of passing.

use crate::model::{Mode, Model, Resource};
use crate::value::{Kind, Tri, Value};
use std::collections::BTreeMap;

/// The data source whose blocks render an IAM document.
pub const POLICY_DOCUMENT_DATA: &str = "aws_iam_policy_document";

/// A decoded policy document.
#[derive(Debug, Default)]
pub struct Document {
    /// Statements in JSON's shape; keys as IAM spells them (`Effect`, `Action`, `Resource`,
    /// `NotAction`, `NotResource`, `Principal`, `NotPrincipal`, `Condition`).
    pub statements: Vec<Value>,
    /// A part of the document known only after apply (the whole `policy`, a `dynamic "statement"`
    /// or a source document), when there is one.
    pub unknown: Option<Value>,
}

impl Document {
    /// Decodes a `policy`-like attribute: a JSON string, or unknown. `None` when it is absent or
    /// not an IAM document (not JSON, or JSON without statements).
    pub fn from_attribute(value: &Value) -> Option<Document> {
        match &value.kind {
            Kind::Unknown => Some(Document {
                statements: Vec::new(),
                unknown: Some(value.clone()),
            }),
            Kind::String(text) => {
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
    pub fn from_data_source(values: &Value, rendered: &RenderedDocuments<'_>) -> Document {
        let mut doc = Document::default();
        for key in ["source_policy_documents", "override_policy_documents"] {
            let sources = values.get(key);
            if sources.is_unknown() && !rendered.rendered(sources) {
                doc.unknown.get_or_insert_with(|| sources.clone());
            }
            for source in sources.as_list() {
                if rendered.rendered(source) {
                    continue;
                }
                match &source.kind {
                    Kind::String(text) => {
                        let _ = doc.add_json(text, source);
                    }
                    Kind::Unknown => {
                        doc.unknown.get_or_insert_with(|| source.clone());
                    }
                    _ => {}
                }
            }
        }
        let statements = values.get("statement");
        if statements.is_unknown() {
            doc.unknown.get_or_insert_with(|| statements.clone());
        }
        for block in values.blocks("statement") {
            if block.is_unknown() {
                doc.unknown.get_or_insert_with(|| block.clone());
                continue;
            }
            doc.statements.push(statement_from_block(block));
        }
        doc
    }

    /// Whether any statement names a principal: a resource (or trust) policy.
    pub fn has_principal(&self) -> bool {
        self.statements
            .iter()
            .any(|s| !s.get("Principal").is_null() || !s.get("NotPrincipal").is_null())
    }

    /// Parses JSON text and adds its statements, every leaf carrying the origins of `at`.
    /// `None` when the text is not a policy document.
    fn add_json(&mut self, text: &str, at: &Value) -> Option<()> {
        let json: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
        let statements = json.as_object()?.get("Statement")?;
        let decoded = from_json(statements, at);
        match decoded.kind {
            Kind::List(items) => self.statements.extend(items),
            Kind::Object(_) => self.statements.push(decoded),
            _ => return None,
        }
        Some(())
    }
}

/// A JSON value as a [`Value`] whose every node carries the origins (and sensitivity) of `at`.
fn from_json(json: &serde_json::Value, at: &Value) -> Value {
    let kind = match json {
        serde_json::Value::Null => Kind::Null,
        serde_json::Value::Bool(b) => Kind::Bool(*b),
        serde_json::Value::Number(n) => Kind::Number(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Kind::String(s.clone()),
        serde_json::Value::Array(items) => {
            Kind::List(items.iter().map(|i| from_json(i, at)).collect())
        }
        serde_json::Value::Object(map) => Kind::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), from_json(v, at)))
                .collect(),
        ),
    };
    Value {
        kind,
        sensitive: at.sensitive,
        secret: at.secret,
        origins: at.origins.clone(),
    }
}

/// One `statement` block in JSON's shape, as the provider renders it.
fn statement_from_block(block: &Value) -> Value {
    let mut map = BTreeMap::new();
    let effect = block.get("effect");
    map.insert(
        "Effect".to_string(),
        if effect.is_null() {
            // The provider's default.
            Value {
                kind: Kind::String("Allow".to_string()),
                sensitive: false,
                secret: false,
                origins: block.origins.clone(),
            }
        } else {
            effect.clone()
        },
    );
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        let v = block.get(attr);
        if !v.is_null() {
            map.insert(key.to_string(), v.clone());
        }
    }
    for (attr, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let v = block.get(attr);
        if v.is_unknown() {
            map.insert(key.to_string(), v.clone());
            continue;
        }
        let blocks = block.blocks(attr);
        if blocks.is_empty() {
            continue;
        }
        let mut by_type: BTreeMap<String, Value> = BTreeMap::new();
        let mut principal = None;
        for p in blocks {
            let ty = p.get("type");
            match ty.as_str() {
                // `type = "*"` renders as `"Principal": "*"`.
                Some("*") => principal = Some(ty.clone()),
                Some(t) => {
                    let entry = by_type
                        .entry(t.to_string())
                        .or_insert_with(|| Value::list(Vec::new()));
                    let ids = p.get("identifiers");
                    if let Kind::List(items) = &mut entry.kind {
                        match &ids.kind {
                            Kind::List(more) => items.extend(more.iter().cloned()),
                            _ => items.push(ids.clone()),
                        }
                    }
                }
                None => principal = Some(ty.clone()),
            }
        }
        map.insert(
            key.to_string(),
            principal.unwrap_or_else(|| Value::object(by_type)),
        );
    }
    let conditions = block.get("condition");
    if conditions.is_unknown() {
        map.insert("Condition".to_string(), conditions.clone());
    } else {
        let mut tests: BTreeMap<String, Value> = BTreeMap::new();
        for c in block.blocks("condition") {
            let test = c.get("test").as_str().unwrap_or("").to_string();
            let variable = c.get("variable");
            let entry = tests
                .entry(test)
                .or_insert_with(|| Value::object(BTreeMap::new()));
            if let Kind::Object(inner) = &mut entry.kind {
                // An unknown variable name still restricts something; keep it under a name of
                // its own so it is not lost.
                let name = variable.as_str().unwrap_or("(known after apply)");
                inner.insert(name.to_string(), c.get("values").clone());
            }
        }
        if !tests.is_empty() {
            map.insert("Condition".to_string(), Value::object(tests));
        }
    }
    Value {
        kind: Kind::Object(map),
        sensitive: false,
        secret: false,
        origins: block.origins.clone(),
    }
}

/// The items of a string-or-list field (`Action`, `Resource`, a principal's identifiers).
/// An unknown field is one unknown item.
pub fn items(field: &Value) -> Vec<&Value> {
    match &field.kind {
        Kind::List(items) => items.iter().collect(),
        Kind::Null => Vec::new(),
        _ => vec![field],
    }
}

/// Whether the statement allows: `Effect` is `Allow` (the default when absent).
pub fn allows(statement: &Value) -> Tri {
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
pub fn any_item(field: &Value, test: impl Fn(&str) -> bool) -> Tri {
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
                .resources
                .iter()
                .filter(|r| r.mode == Mode::Data && r.resource_type == data_type)
                .collect(),
        }
    }

    /// True when `value` was rendered by (or is known only after apply because of) one of the
    /// data sources: every origin it carries lies inside a data source's block, or it is the
    /// exact JSON a data source rendered.
    pub fn rendered(&self, value: &Value) -> bool {
        if let Some(text) = value.as_str() {
            if self.data_sources.iter().any(|d| {
                ["json", "minified_json", "policy_data"]
                    .iter()
                    .any(|attr| d.values.get(attr).as_str() == Some(text))
            }) {
                return true;
            }
        }
        !value.origins.is_empty()
            && value.origins.iter().all(|o| {
                self.data_sources.iter().any(|d| {
                    d.location.as_ref().is_some_and(|block| {
                        block.file == o.file && block.start <= o.start && o.end <= block.end
                    })
                })
            })
    }
}
