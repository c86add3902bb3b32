//! Never print a secret.
//!
//! Redaction happens on values, not on text: [`guard_policies::classify`] marks every secret in
//! the model once, messages show a sensitive value as `(sensitive)` where they are built, source
//! snippets are masked by the secret's span, and every report is serialized from typed fields, so
//! no structure, path, address, code or policy text is ever rewritten.
//!
//! The [`Tripwire`] is only the second line of defence over free text (finding messages, input
//! error messages, notes, Terraform check messages, snippet lines, review reasons). It looks for
//! known secrets of at least [`MIN_TRIPWIRE_LEN`] characters that are not words of guard's own
//! text, and replaces a field that contains one as a whole, so where it fired says nothing about
//! the secret. It runs in time linear in the text (one Aho-Corasick pass).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
pub use guard_policies::classify::MIN_TRIPWIRE_LEN;
use std::borrow::Cow;
use std::sync::OnceLock;

/// What replaces a whole free-text field that contained a known secret.
pub const REDACTED_FIELD: &str = "(redacted: contained a sensitive value)";

/// Strings that must never be printed. `Debug` shows only how many there are.
#[derive(Clone, Default)]
pub struct SecretSet(Vec<String>);

impl std::fmt::Debug for SecretSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretSet({} secrets)", self.0.len())
    }
}

impl From<Vec<String>> for SecretSet {
    fn from(secrets: Vec<String>) -> Self {
        SecretSet(secrets)
    }
}

impl SecretSet {
    pub fn new(secrets: Vec<String>) -> Self {
        SecretSet(secrets)
    }
}

/// A list of strings in every other respect.
impl std::ops::Deref for SecretSet {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        &self.0
    }
}

impl std::ops::DerefMut for SecretSet {
    fn deref_mut(&mut self) -> &mut Vec<String> {
        &mut self.0
    }
}

impl IntoIterator for SecretSet {
    type Item = String;
    type IntoIter = std::vec::IntoIter<String>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The name this type had when it rewrote whole outputs.
pub type Scrubber = Tripwire;

/// The second line of defence over free-text fields.
#[derive(Clone, Default)]
pub struct Tripwire {
    automaton: Option<AhoCorasick>,
    patterns: usize,
    /// The automaton could not be built: every field counts as containing a secret.
    broken: bool,
}

impl std::fmt::Debug for Tripwire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tripwire({} patterns)", self.patterns)
    }
}

impl Tripwire {
    pub fn new(secrets: impl Into<SecretSet>) -> Self {
        let mut raw = secrets.into().0;
        raw.sort_unstable();
        raw.dedup();
        let mut patterns = Vec::new();
        for secret in &raw {
            for part in std::iter::once(secret.as_str()).chain(fragments(secret)) {
                if !worth_looking_for(part) {
                    continue;
                }
                patterns.push(part.to_string());
                // A message that quoted the value with `{:?}` or through JSON holds it escaped.
                if let Ok(json) = serde_json::to_string(part) {
                    let inner = &json[1..json.len() - 1];
                    if inner != part {
                        patterns.push(inner.to_string());
                    }
                }
            }
        }
        patterns.sort_unstable();
        patterns.dedup();
        // Words of guard's own text are left out: one pass over that text finds them all.
        if let Some(automaton) = build(&patterns) {
            let mut in_static_text = vec![false; patterns.len()];
            for m in automaton.find_overlapping_iter(static_text()) {
                in_static_text[m.pattern().as_usize()] = true;
            }
            if in_static_text.contains(&true) {
                let mut keep = in_static_text.iter().map(|&s| !s);
                patterns.retain(|_| keep.next().unwrap_or(false));
            } else {
                return Tripwire {
                    automaton: Some(automaton),
                    patterns: patterns.len(),
                    broken: false,
                };
            }
        }
        let automaton = build(&patterns);
        Tripwire {
            broken: automaton.is_none() && !patterns.is_empty(),
            automaton,
            patterns: patterns.len(),
        }
    }

    /// Whether the tripwire has nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none() && !self.broken
    }

    /// Whether `text` contains a known secret.
    pub fn fires(&self, text: &str) -> bool {
        self.broken
            || self
                .automaton
                .as_ref()
                .is_some_and(|automaton| automaton.is_match(text))
    }

    /// A free-text field as it may be printed: unchanged, or [`REDACTED_FIELD`] as a whole.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.fires(text) {
            Cow::Borrowed(REDACTED_FIELD)
        } else {
            Cow::Borrowed(text)
        }
    }
}

/// One automaton for all patterns. A contiguous NFA builds in time linear in the patterns'
/// total length (a DFA for tens of thousands of secrets takes seconds) and searches in one pass.
fn build(patterns: &[String]) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .ok()
}

/// Whether a secret is worth a substring search: long enough not to occur by chance and not a
/// number or a keyword. Values that are words of guard's own text (`password`) are left out too
/// (see [`Tripwire::new`]): they are hidden where they are rendered.
fn worth_looking_for(secret: &str) -> bool {
    let trimmed = secret.trim();
    trimmed.chars().count() >= MIN_TRIPWIRE_LEN
        && trimmed.parse::<f64>().is_err()
        && !matches!(trimmed, "true" | "false" | "null")
}

/// Everything guard itself writes whatever the input: policy codes, names, summaries and
/// documentation, and the words of its reports.
fn static_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = String::from(REDACTED_FIELD);
        text.push_str(guard_policies::value::SENSITIVE);
        for policy in guard_policies::registry() {
            for part in [policy.code, policy.name, &policy.summary(), &policy.doc()] {
                text.push('\n');
                text.push_str(part);
            }
        }
        text
    })
}

/// Fragments of a secret long enough to give it away: the pieces between control characters
/// (line breaks, tabs), which renderers flatten or escape.
fn fragments(secret: &str) -> impl Iterator<Item = &str> {
    let split = secret.contains(|c: char| c.is_control());
    secret
        .split(|c: char| c.is_control())
        .filter(move |p| split && p.trim().chars().count() >= MIN_TRIPWIRE_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tripwire(secrets: &[&str]) -> Tripwire {
        Tripwire::new(SecretSet::new(
            secrets.iter().map(|s| s.to_string()).collect(),
        ))
    }

    #[test]
    fn replaces_the_whole_field() {
        let t = tripwire(&["Zq9hunter2Xv"]);
        assert_eq!(t.text("the value is Zq9hunter2Xv here"), REDACTED_FIELD);
        assert_eq!(t.text("Zq9hunter2Xv"), REDACTED_FIELD);
        assert_eq!(t.text("nothing here"), "nothing here");
    }

    #[test]
    fn ignores_short_common_and_static_values() {
        let t = tripwire(&[
            "true", "test", "HTTP", "12345678", "password", "1.5e300", "latest",
        ]);
        assert!(t.is_empty());
        for text in [
            "true",
            "conftest/test_plan.tf",
            "HTTP",
            "hardcoded password",
            "12345678",
        ] {
            assert_eq!(t.text(text), text);
        }
    }

    #[test]
    fn finds_escaped_forms_and_fragments_of_multiline_secrets() {
        let t = tripwire(&["first-line-Zq1\nsecond\"line-Zq2"]);
        assert!(t.fires("first-line-Zq1 and more"));
        assert!(t.fires("second\\\"line-Zq2"));
        assert!(t.fires("first-line-Zq1\\nsecond\\\"line-Zq2"));
        assert!(!t.fires("first-line"));
    }

    /// Many secrets that share a long prefix, and a text made of that prefix: one linear pass.
    #[test]
    fn many_secrets_with_a_shared_prefix_are_searched_in_linear_time() {
        let prefix = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:";
        let secrets: Vec<String> = (0..20_000).map(|i| format!("{prefix}{i:08}")).collect();
        let t = Tripwire::new(SecretSet::new(secrets));
        let text = prefix.repeat(20_000);
        let start = std::time::Instant::now();
        assert!(!t.fires(&text));
        assert!(t.fires(&format!("{text}{prefix}00019999")));
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn debug_does_not_print_secrets() {
        let set = SecretSet::new(vec!["Zq9hunter2Xv".into()]);
        assert_eq!(format!("{set:?}"), "SecretSet(1 secrets)");
        let t = Tripwire::new(set);
        assert!(!format!("{t:?}").contains("hunter2"));
    }
}
