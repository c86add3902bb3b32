//! Never print a secret: the last line of defence for every output.
//!
//! Values are redacted where they are rendered (a sensitive mark hides the whole value). On top of
//! that, every rendered output passes through a [`Scrubber`] that replaces, by exact string, every
//! secret known to the run: values under sensitive masks, values of sensitive root variables,
//! values of secret-named attributes and values that match a secret detector, in their raw,
//! JSON-escaped, URL-encoded and base64 forms.

use crate::source::SourceMap;
use base64::Engine as _;
use guard_policies::secret_patterns::{detect, is_secret_name};
use guard_policies::{Kind, Model, Value};
use std::collections::HashMap;

/// What replaces a secret in any output.
pub const REDACTED: &str = "(redacted)";

/// Shorter strings are not scrubbed by exact match (they would erase ordinary words and numbers);
/// they are still never rendered, because rendering checks the sensitive mark.
const MIN_SCRUB_LEN: usize = 4;

/// Replaces every known secret in a rendered output.
#[derive(Debug, Clone)]
pub struct Scrubber {
    secrets: Vec<String>,
    /// Secrets of 8 bytes or more, by their first 8 bytes.
    long: PrefixTable,
    /// Secrets of 4 to 7 bytes, by their first 4 bytes.
    short: PrefixTable,
}

impl Default for Scrubber {
    fn default() -> Self {
        Scrubber::new(Vec::new())
    }
}

impl Scrubber {
    pub fn new(mut raw: Vec<String>) -> Self {
        // The same secret is often collected many times (before, after, every resource that
        // shares it): encode each one once.
        raw.sort_unstable();
        raw.dedup();
        let mut secrets = Vec::new();
        for secret in raw {
            // JSON's own words: scrubbing them would corrupt every structured report, and a
            // "secret" that is one of them gives nothing away.
            if secret.chars().count() < MIN_SCRUB_LEN
                || matches!(secret.as_str(), "true" | "false" | "null")
            {
                continue;
            }
            for part in std::iter::once(secret.as_str()).chain(fragments(&secret)) {
                for form in encodings(part) {
                    if form.len() >= MIN_SCRUB_LEN {
                        secrets.push(form);
                    }
                }
            }
        }
        secrets.sort();
        secrets.dedup();
        let mut long = Vec::new();
        let mut short = Vec::new();
        for (id, secret) in secrets.iter().enumerate() {
            let b = secret.as_bytes();
            if b.len() >= 8 {
                long.push((prefix8(b), id));
            } else {
                short.push((prefix4(b), id));
            }
        }
        Scrubber {
            long: PrefixTable::new(long, &secrets),
            short: PrefixTable::new(short, &secrets),
            secrets,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The output with every secret replaced.
    ///
    /// Leftmost-longest, non-overlapping: at the first position where any secret starts, the
    /// longest secret starting there is replaced, and the search goes on after it (the matches
    /// an Aho-Corasick automaton with `MatchKind::LeftmostLongest` reports). The tables are built
    /// in linear time: with tens of thousands of secrets (a large plan), an automaton took
    /// seconds to build.
    pub fn scrub(&self, text: &str) -> String {
        if self.secrets.is_empty() {
            return text.to_string();
        }
        let b = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let (mut i, mut last) = (0, 0);
        while i + MIN_SCRUB_LEN <= b.len() {
            match self.longest_at(&b[i..]) {
                Some(len) => {
                    // A match starts with a secret's first byte, never a UTF-8 continuation
                    // byte, and ends with its last: both are character boundaries.
                    out.push_str(&text[last..i]);
                    out.push_str(REDACTED);
                    i += len;
                    last = i;
                }
                None => i += 1,
            }
        }
        out.push_str(&text[last..]);
        out
    }

    /// The length of the longest secret at the start of `rest`.
    fn longest_at(&self, rest: &[u8]) -> Option<usize> {
        if rest.len() >= 8 {
            if let Some(len) = self.long.longest(prefix8(rest), &self.secrets, rest) {
                return Some(len);
            }
        }
        self.short.longest(prefix4(rest), &self.secrets, rest)
    }
}

fn prefix8(b: &[u8]) -> u64 {
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

fn prefix4(b: &[u8]) -> u64 {
    u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Secrets by a fixed-length prefix, with a bit filter in front so that most positions of an
/// output cost one multiplication and one bit test. Behind a prefix, secrets are looked up by
/// length in a hash set, so many secrets that share a prefix (generated names, ARNs) cost one
/// lookup per distinct length, not one comparison per secret.
#[derive(Debug, Clone, Default)]
struct PrefixTable {
    filter: Vec<u64>,
    shift: u32,
    /// Prefix → the distinct lengths of the secrets with that prefix, longest first.
    lengths: HashMap<u64, Vec<usize>>,
    /// Every secret in this table.
    members: std::collections::HashSet<Vec<u8>>,
}

impl PrefixTable {
    fn new(entries: Vec<(u64, usize)>, secrets: &[String]) -> Self {
        if entries.is_empty() {
            return PrefixTable::default();
        }
        let bits = (entries.len() * 16)
            .next_power_of_two()
            .clamp(1 << 12, 1 << 26);
        let mut table = PrefixTable {
            filter: vec![0; bits / 64],
            shift: 64 - bits.trailing_zeros(),
            lengths: HashMap::new(),
            members: std::collections::HashSet::with_capacity(entries.len()),
        };
        for (prefix, id) in entries {
            let slot = table.slot(prefix);
            table.filter[slot / 64] |= 1 << (slot % 64);
            let secret = secrets[id].as_bytes();
            table.lengths.entry(prefix).or_default().push(secret.len());
            table.members.insert(secret.to_vec());
        }
        for lengths in table.lengths.values_mut() {
            lengths.sort_unstable_by(|a, b| b.cmp(a));
            lengths.dedup();
        }
        table
    }

    fn slot(&self, prefix: u64) -> usize {
        (prefix.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn longest(&self, prefix: u64, _secrets: &[String], rest: &[u8]) -> Option<usize> {
        if self.filter.is_empty() {
            return None;
        }
        let slot = self.slot(prefix);
        if self.filter[slot / 64] & (1 << (slot % 64)) == 0 {
            return None;
        }
        self.lengths
            .get(&prefix)?
            .iter()
            .copied()
            .find(|&len| rest.len() >= len && self.members.contains(&rest[..len]))
    }
}

/// Fragments of a secret long enough to give it away: the pieces between control characters
/// (line breaks, tabs). Renderers replace control characters (with a space, `U+FFFD`, `%0A`, ...),
/// which would otherwise hide the secret from an exact match.
const MIN_FRAGMENT_LEN: usize = 8;

fn fragments(secret: &str) -> impl Iterator<Item = &str> {
    let split = secret.contains(|c: char| c.is_control());
    secret
        .split(|c: char| c.is_control())
        .filter(move |p| split && p.trim().chars().count() >= MIN_FRAGMENT_LEN)
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
    // The markdown report's HTML text (`<summary>`): entities for markdown punctuation too.
    let entities: String = secret
        .chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '@' | '#' | '`' | '*' | '_' | '[' | ']' | '\\' | '|' | '~' => {
                format!("&#{};", c as u32)
            }
            c => c.to_string(),
        })
        .collect();
    forms.push(entities);
    // A markdown table cell escapes `|`.
    forms.push(secret.replace('|', "\\|"));
    // GitHub workflow-command data and properties.
    let data = secret
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    forms.push(data.replace(':', "%3A").replace(',', "%2C"));
    forms.push(data);
    forms.retain(|f| !f.is_empty());
    forms.sort();
    forms.dedup();
    forms
}

/// Secrets that nothing marked sensitive but that look like secrets: values of secret-named
/// attributes and values that match a detector, anywhere in the model.
pub fn model_secrets(model: &Model, out: &mut Vec<String>) {
    // A plan's sensitive marks include values redacted only because their mask was missing
    // (plans before Terraform 0.15): names and regions that appear everywhere. The plan loader
    // already collected the strings real masks mark, so here plan marks are not trusted.
    let mut c = Collector {
        out,
        names: HashMap::new(),
        trust_marks: true,
    };
    for resource in model.resources.iter().chain(model.drift.iter()) {
        match &resource.change {
            Some(_) => {
                c.trust_marks = false;
                // `values` is one of the two sides (moved, not copied).
                c.collect(resource.before(), false);
                c.collect(resource.after(), false);
            }
            None => {
                c.trust_marks = true;
                c.collect(&resource.values, false);
            }
        }
    }
    c.trust_marks = true;
    for provider in &model.providers {
        c.collect(&provider.values, false);
    }
    // A variable or output named like a secret (`db_password`, module arguments included) holds
    // one, whatever its declaration says.
    for output in &model.outputs {
        c.collect(
            &output.value,
            output.declared_sensitive == Some(true) || is_secret_name(&output.name),
        );
    }
    for variable in &model.variables {
        c.collect(
            &variable.value,
            variable.declared_sensitive || is_secret_name(&variable.name),
        );
    }
}

/// Collects secret strings from a model's values, remembering [`is_secret_name`] per attribute name (a model
/// repeats the same few names many times).
struct Collector<'m, 'o> {
    out: &'o mut Vec<String>,
    names: HashMap<&'m str, bool>,
    /// Whether a value's sensitive mark makes it a secret to scrub.
    trust_marks: bool,
}

impl<'m> Collector<'m, '_> {
    fn collect(&mut self, value: &'m Value, secret_context: bool) {
        let secret = secret_context || (self.trust_marks && value.sensitive);
        match &value.kind {
            Kind::String(s) if secret || detect(s).is_some() => self.out.push(s.clone()),
            Kind::List(items) => items.iter().for_each(|i| self.collect(i, secret)),
            Kind::Object(map) => {
                for (key, item) in map {
                    let named = secret
                        || *self
                            .names
                            .entry(key.as_str())
                            .or_insert_with(|| is_secret_name(key));
                    self.collect(item, named);
                }
            }
            _ => {}
        }
    }
}

/// The source text of every secret value written in Terraform source: where it is written, a
/// secret may look different from its value (`"ab${"cd"}"`, `"\u0041"`, a heredoc's indentation),
/// and the human report prints the source line under a finding.
///
/// Call it with the report's sources next to [`model_secrets`].
pub fn source_secrets(model: &Model, sources: &SourceMap, out: &mut Vec<String>) {
    let mut strings = Vec::new();
    for resource in model.resources.iter().chain(model.drift.iter()) {
        collect_values(&resource.values, false, &mut strings);
    }
    for provider in &model.providers {
        collect_values(&provider.values, false, &mut strings);
    }
    for output in &model.outputs {
        collect_values(
            &output.value,
            output.declared_sensitive == Some(true) || is_secret_name(&output.name),
            &mut strings,
        );
    }
    for variable in &model.variables {
        collect_values(
            &variable.value,
            variable.declared_sensitive || is_secret_name(&variable.name),
            &mut strings,
        );
    }
    for value in strings {
        for origin in &value.origins {
            let text = sources
                .get(&origin.file)
                .and_then(|f| f.text.get(origin.start..origin.end));
            // A span that large is a block, not the literal of one value.
            if let Some(text) = text.filter(|t| t.len() <= MAX_SOURCE_SPAN) {
                out.push(text.to_string());
                let unquoted = text.trim().trim_start_matches('"').trim_end_matches('"');
                out.push(unquoted.to_string());
            }
        }
    }
}

/// Source spans longer than this are not literals of one secret.
const MAX_SOURCE_SPAN: usize = 64 * 1024;

/// The secret string values of a value, the same as [`collect`] finds, with their origins.
fn collect_values<'v>(value: &'v Value, secret_context: bool, out: &mut Vec<&'v Value>) {
    let secret = secret_context || value.sensitive;
    match &value.kind {
        Kind::String(s) if secret || detect(s).is_some() => out.push(value),
        Kind::List(items) => items.iter().for_each(|i| collect_values(i, secret, out)),
        Kind::Object(map) => {
            for (key, item) in map {
                collect_values(item, secret || is_secret_name(key), out);
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

    /// The scanner finds what an Aho-Corasick automaton with leftmost-longest semantics finds.
    #[test]
    fn scrub_matches_leftmost_longest_aho_corasick() {
        use aho_corasick::{AhoCorasick, MatchKind};
        struct Rng(u64);
        impl Rng {
            fn below(&mut self, n: u64) -> u64 {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                self.0 % n
            }
            fn word(&mut self, len: u64) -> String {
                let alphabet: Vec<char> = "abAB01é/\"\n=".chars().collect();
                (0..len)
                    .map(|_| alphabet[self.below(alphabet.len() as u64) as usize])
                    .collect()
            }
        }
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for _ in 0..300 {
            let n = 1 + rng.below(12);
            let raw: Vec<String> = (0..n)
                .map(|_| {
                    let len = 2 + rng.below(12);
                    rng.word(len)
                })
                .collect();
            let raw_copy = raw.clone();
            let scrubber = Scrubber::new(raw);
            let mut words: Vec<String> = (0..20)
                .map(|_| {
                    let len = 1 + rng.below(30);
                    rng.word(len)
                })
                .collect();
            words.extend(raw_copy);
            let text = words.join(" ");
            let expected = if scrubber.secrets.is_empty() {
                text.clone()
            } else {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&scrubber.secrets)
                    .unwrap()
                    .replace_all(&text, &vec![REDACTED; scrubber.secrets.len()])
            };
            assert_eq!(scrubber.scrub(&text), expected, "{:?}", scrubber.secrets);
        }
    }

    #[test]
    fn scrubs_secrets_that_renderers_escaped_or_flattened() {
        let secret = "line-one-Zq1\nline_two|Zq2:x,y%z\tend-of-it";
        let s = Scrubber::new(vec![secret.to_string()]);
        for rendered in [
            // markdown code span: control characters flattened to spaces
            "line-one-Zq1 line_two|Zq2:x,y%z end-of-it",
            // human: control characters replaced
            "line-one-Zq1\u{FFFD}line_two|Zq2:x,y%z\u{FFFD}end-of-it",
            // GitHub workflow command data and properties
            "line-one-Zq1%0Aline_two|Zq2:x,y%25z\tend-of-it",
            "line-one-Zq1%0Aline_two|Zq2%3Ax%2Cy%25z\tend-of-it",
            // markdown table cell and HTML text
            "line_two\\|Zq2:x,y%z",
            "line&#95;two&#124;Zq2:x,y%z",
        ] {
            let out = s.scrub(rendered);
            assert!(!out.contains("line-one-Zq1"), "{rendered} -> {out}");
            assert!(!out.contains("Zq2:x,y"), "{rendered} -> {out}");
            assert!(!out.contains("Zq2%3A"), "{rendered} -> {out}");
        }
    }

    #[test]
    fn json_words_are_never_scrubbed_so_structured_reports_stay_valid() {
        // A sensitive variable set to "true" once turned `"blocking": true` into invalid JSON.
        let s = Scrubber::new(vec![
            "true".into(),
            "false".into(),
            "null".into(),
            "s3cr3t-v4lue".into(),
        ]);
        let json =
            r#"{"blocking": true, "suppressed": false, "address": null, "m": "s3cr3t-v4lue"}"#;
        let out = s.scrub(json);
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "{out}"
        );
        assert!(!out.contains("s3cr3t-v4lue"), "{out}");
    }

    #[test]
    fn short_strings_are_left_to_render_time_redaction() {
        let s = Scrubber::new(vec!["abc".to_string()]);
        assert_eq!(s.scrub("abc"), "abc");
    }
}
