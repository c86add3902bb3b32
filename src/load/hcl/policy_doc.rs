//! `data "aws_iam_policy_document"` is pure: its `json` is rendered from the statements, so
//! policies can read IAM documents built this way.

use super::vals::{deep_origins, to_str};
use guard_policies::{Kind, Value};
use serde_json::{json, Map};

/// The origins of a document that is unknown: all of its origins (capped), as for any value,
/// plus where its unknown parts come from when the cap left them out and they would not move
/// the finding's anchor. A module that was not downloaded must stay visible, so a policy can
/// tell "not checked" from "known after apply".
fn unknown_origins(values: &Value) -> Vec<guard_policies::Origin> {
    fn walk(v: &Value, out: &mut Vec<guard_policies::Origin>) {
        match &v.kind {
            Kind::Unknown => deep_origins(v, out),
            Kind::List(items) => items.iter().for_each(|i| walk(i, out)),
            Kind::Object(map) => map.values().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let rank = |o: &guard_policies::Origin| (o.kind.edit_priority(), std::cmp::Reverse(o.start));
    let mut out = Vec::new();
    deep_origins(values, &mut out);
    let mut why = Vec::new();
    walk(values, &mut why);
    let primary = out.iter().map(rank).max();
    for o in why {
        if out.len() >= 2 * super::vals::MAX_ORIGINS {
            break;
        }
        if !out.contains(&o) && primary.is_none_or(|p| rank(&o) < p) {
            out.push(o);
        }
    }
    out
}

/// The rendered policy JSON, or unknown when any input is unknown; `None` when not renderable.
pub(super) fn render(values: &Value) -> Option<Value> {
    if values.contains_unknown() {
        let origins = unknown_origins(values);
        let mut u = Value::unknown();
        u.origins = origins;
        u.sensitive = values.contains_sensitive();
        return Some(u);
    }
    let mut doc = Map::new();
    doc.insert(
        "Version".into(),
        json!(values.get("version").as_str().unwrap_or("2012-10-17")),
    );
    if let Some(id) = values.get("policy_id").as_str() {
        doc.insert("Id".into(), json!(id));
    }
    let mut statements = Vec::new();
    for key in ["source_policy_documents", "source_json"] {
        for src in sources(values.get(key)) {
            statements.extend(src);
        }
    }
    for st in values.blocks("statement") {
        let mut s = Map::new();
        if let Some(sid) = st.get("sid").as_str() {
            s.insert("Sid".into(), json!(sid));
        }
        s.insert(
            "Effect".into(),
            json!(st.get("effect").as_str().unwrap_or("Allow")),
        );
        for (attr, name) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(v) = string_or_list(st.get(attr)) {
                s.insert(name.into(), v);
            }
        }
        for (block, name) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let ps = st.blocks(block);
            if ps.is_empty() {
                continue;
            }
            let mut m = Map::new();
            for p in ps {
                let ty = p.get("type").as_str().unwrap_or("AWS").to_string();
                let ids = string_or_list(p.get("identifiers")).unwrap_or(json!([]));
                if ty == "*" {
                    s.insert(name.into(), json!("*"));
                    m.clear();
                    break;
                }
                merge_into(&mut m, &ty, ids);
            }
            if !m.is_empty() {
                s.insert(name.into(), serde_json::Value::Object(m));
            }
        }
        let conds = st.blocks("condition");
        if !conds.is_empty() {
            let mut m = Map::new();
            for c in conds {
                let test = c.get("test").as_str().unwrap_or("").to_string();
                let var = c.get("variable").as_str().unwrap_or("").to_string();
                let vals = string_or_list(c.get("values")).unwrap_or(json!([]));
                let entry = m.entry(test).or_insert_with(|| json!({}));
                if let serde_json::Value::Object(inner) = entry {
                    merge_into(inner, &var, vals);
                }
            }
            s.insert("Condition".into(), serde_json::Value::Object(m));
        }
        statements.push(serde_json::Value::Object(s));
    }
    for src in sources(values.get("override_policy_documents")) {
        statements.extend(src);
    }
    doc.insert("Statement".into(), serde_json::Value::Array(statements));
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(doc)).ok()?;
    let mut origins = Vec::new();
    deep_origins(values, &mut origins);
    let mut v = Value::string(text);
    v.origins = origins;
    v.sensitive = values.contains_sensitive();
    Some(v)
}

fn merge_into(m: &mut Map<String, serde_json::Value>, key: &str, vals: serde_json::Value) {
    match m.get_mut(key) {
        Some(existing) => {
            let mut all = match existing.take() {
                serde_json::Value::Array(a) => a,
                other => vec![other],
            };
            match vals {
                serde_json::Value::Array(a) => all.extend(a),
                other => all.push(other),
            }
            *existing = serde_json::Value::Array(all);
        }
        None => {
            m.insert(key.to_string(), vals);
        }
    }
}

fn string_or_list(v: &Value) -> Option<serde_json::Value> {
    match &v.kind {
        Kind::List(items) => {
            let mut strs: Vec<String> = items.iter().filter_map(|i| to_str(i).ok()).collect();
            strs.sort();
            strs.dedup();
            if strs.len() == 1 {
                Some(json!(strs[0]))
            } else {
                Some(json!(strs))
            }
        }
        Kind::String(s) => Some(json!(s)),
        _ => None,
    }
}

fn sources(v: &Value) -> Vec<Vec<serde_json::Value>> {
    let docs: Vec<&str> = match &v.kind {
        Kind::String(s) => vec![s.as_str()],
        Kind::List(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    docs.into_iter()
        .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .map(|d| match d.get("Statement") {
            Some(serde_json::Value::Array(a)) => a.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        })
        .collect()
}

/// `data "google_iam_policy"` renders `policy_data` from its `binding` blocks the same way:
/// `{"bindings":[{"members":[...],"role":"..."}]}`, or unknown when any input is unknown.
pub(super) fn render_google(values: &Value) -> Option<Value> {
    if values.contains_unknown() {
        let mut u = Value::unknown();
        u.origins = unknown_origins(values);
        u.sensitive = values.contains_sensitive();
        return Some(u);
    }
    let mut bindings = Vec::new();
    for binding in values.blocks("binding") {
        let mut b = Map::new();
        if let Some(members) = string_or_list(binding.get("members")) {
            let members = match members {
                serde_json::Value::String(s) => json!([s]),
                other => other,
            };
            b.insert("members".into(), members);
        }
        b.insert(
            "role".into(),
            json!(binding.get("role").as_str().unwrap_or_default()),
        );
        bindings.push(serde_json::Value::Object(b));
    }
    let text = serde_json::to_string(&json!({ "bindings": bindings })).ok()?;
    let mut v = Value::string(text);
    deep_origins(values, &mut v.origins);
    v.sensitive = values.contains_sensitive();
    Some(v)
}
