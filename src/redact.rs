//! Never print a secret: the last line of defence for every output.
//!
//! Values are redacted where they are rendered (a sensitive mark hides the whole value). On top of
//! that, every rendered output passes through a [`Scrubber`] that replaces, by exact string, every
//! secret known to the run: values under sensitive masks, values of sensitive root variables,
//! values of secret-named attributes and values that match a secret detector, in their raw,
//! JSON-escaped, URL-encoded and base64 forms.

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine as _;
use guard_policies::secret_patterns::{detect, is_secret_name};
use guard_policies::{Kind, Model, Value};

/// What replaces a secret in any output.
pub const REDACTED: &str = "(redacted)";

/// Shorter strings are not scrubbed by exact match (they would erase ordinary words and numbers);
/// they are still never rendered, because rendering checks the sensitive mark.
const MIN_SCRUB_LEN: usize = 4;

/// Replaces every known secret in a rendered output.
#[derive(Debug, Clone)]
pub struct Scrubber {
    secrets: Vec<String>,
    automaton: Option<AhoCorasick>,
}

impl Default for Scrubber {
    fn default() -> Self {
        Scrubber::new(Vec::new())
    }
}

impl Scrubber {
    pub fn new(raw: Vec<String>) -> Self {
        let mut secrets = Vec::new();
        for secret in raw {
            if secret.chars().count() < MIN_SCRUB_LEN {
                continue;
            }
            for form in encodings(&secret) {
                if form.len() >= MIN_SCRUB_LEN {
                    secrets.push(form);
                }
            }
        }
        secrets.sort();
        secrets.dedup();
        let automaton = if secrets.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&secrets)
                .ok()
        };
        Scrubber { secrets, automaton }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The output with every secret replaced.
    pub fn scrub(&self, text: &str) -> String {
        match &self.automaton {
            Some(ac) => ac.replace_all(text, &vec![REDACTED; self.secrets.len()]),
            None => text.to_string(),
        }
    }
}

/// The forms in which a secret could appear in an output.
fn encodings(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_string()];
    if let Ok(json) = serde_json::to_string(secret) {
        let inner = &json[1..json.len() - 1];
        if inner != secret {
            forms.push(inner.to_string());
        }
    }
    let url: String = secret
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    if url != secret {
        forms.push(url);
    }
    forms.push(base64::engine::general_purpose::STANDARD.encode(secret));
    // Markdown and HTML escaping of the characters reporters escape.
    let html = secret
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    if html != secret {
        forms.push(html);
    }
    forms
}

/// Secrets that nothing marked sensitive but that look like secrets: values of secret-named
/// attributes and values that match a detector, anywhere in the model.
pub fn model_secrets(model: &Model, out: &mut Vec<String>) {
    let mut visit = |value: &Value| {
        collect(value, false, out);
    };
    for resource in model.resources.iter().chain(model.drift.iter()) {
        visit(&resource.values);
        if let Some(change) = &resource.change {
            visit(&change.before);
            visit(&change.after);
        }
    }
    for output in &model.outputs {
        collect(&output.value, output.declared_sensitive == Some(true), out);
    }
    for variable in &model.variables {
        collect(&variable.value, variable.declared_sensitive, out);
    }
}

fn collect(value: &Value, secret_context: bool, out: &mut Vec<String>) {
    let secret = secret_context || value.sensitive;
    match &value.kind {
        Kind::String(s) => {
            if secret || detect(s).is_some() {
                out.push(s.clone());
            }
        }
        Kind::List(items) => items.iter().for_each(|i| collect(i, secret, out)),
        Kind::Object(map) => {
            for (key, item) in map {
                collect(item, secret || is_secret_name(key), out);
            }
        }
        _ => {}
    }
}

/// Whether a value may be shown: not sensitive, not under a secret-named attribute, not matching
/// a detector.
pub fn may_display(attribute: &str, value: &Value) -> bool {
    if value.contains_sensitive() || is_secret_name(attribute) {
        return false;
    }
    let mut ok = true;
    value.walk_strings(&mut Vec::new(), &mut |_, _, s| {
        if detect(s).is_some() {
            ok = false;
        }
    });
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_every_encoding_of_a_secret() {
        let s = Scrubber::new(vec!["p@ss\"word/1".to_string()]);
        let out = s.scrub(
            "raw p@ss\"word/1 json p@ss\\\"word/1 url p%40ss%22word%2F1 b64 cEBzcyJ3b3JkLzE=",
        );
        assert!(!out.contains("p@ss"), "{out}");
        assert!(!out.contains("p%40ss"), "{out}");
        assert!(!out.contains("cEBzcyJ3b3JkLzE="), "{out}");
        assert_eq!(out.matches(REDACTED).count(), 4);
    }

    #[test]
    fn short_strings_are_left_to_render_time_redaction() {
        let s = Scrubber::new(vec!["abc".to_string()]);
        assert_eq!(s.scrub("abc"), "abc");
    }
}
