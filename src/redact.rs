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
//! the secret. It holds no secret text: secrets arrive as fixed-size fingerprints
//! ([`SecretPrint`]), and a search is one pass over the text with a rolling hash.

pub use guard_policies::classify::MIN_TRIPWIRE_LEN;
use guard_policies::secret_prints::{
    add_mod, add_prints, base_pow, hash, mul_mod, sub_mod, SecretPrint, BASE, WINDOW,
};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// What replaces a whole free-text field that contained a known secret.
pub const REDACTED_FIELD: &str = "(redacted: contained a sensitive value)";

/// Strings that must never be printed, as fingerprints of every form the tripwire looks for:
/// the set holds no secret text. `Debug` shows only how many there are.
#[derive(Clone, Default)]
pub struct SecretSet(Vec<SecretPrint>);

impl std::fmt::Debug for SecretSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretSet({} secrets)", self.0.len())
    }
}

impl From<Vec<String>> for SecretSet {
    fn from(secrets: Vec<String>) -> Self {
        SecretSet::new(secrets)
    }
}

impl SecretSet {
    pub fn new(secrets: Vec<String>) -> Self {
        let mut set = SecretSet::default();
        set.extend(secrets);
        set
    }
    /// A set of prints already taken.
    pub fn from_prints(prints: Vec<SecretPrint>) -> Self {
        SecretSet(prints)
    }
    /// Adds the prints of one secret.
    pub fn add(&mut self, secret: &str) {
        add_prints(secret, &mut self.0);
    }
    /// How many prints the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, SecretPrint> {
        self.0.iter()
    }
    pub fn sort(&mut self) {
        self.0.sort_unstable();
    }
    pub fn dedup(&mut self) {
        self.0.dedup();
    }
}

/// Secrets as text: their prints are taken, the text is not kept.
impl Extend<String> for SecretSet {
    fn extend<I: IntoIterator<Item = String>>(&mut self, secrets: I) {
        for secret in secrets {
            self.add(&secret);
        }
    }
}

impl Extend<SecretPrint> for SecretSet {
    fn extend<I: IntoIterator<Item = SecretPrint>>(&mut self, prints: I) {
        self.0.extend(prints);
    }
}

impl IntoIterator for SecretSet {
    type Item = SecretPrint;
    type IntoIter = std::vec::IntoIter<SecretPrint>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The name this type had when it rewrote whole outputs.
pub type Scrubber = Tripwire;

/// The second line of defence over free-text fields.
///
/// Every print's window hash selects, in `windows`, the distinct lengths of the prints that
/// start with that window; a text is searched by rolling the window hash over it, and for each
/// hit the hash of the text's substring of each such length is looked up in `prints`.
#[derive(Clone, Default)]
pub struct Tripwire {
    /// Window hash → range of `lengths`.
    windows: HashMap<u64, (u32, u32), BuildHasherDefault<HashHasher>>,
    /// `(length, BASE^length)`, grouped by window.
    lengths: Vec<(u32, u64)>,
    /// `(length, full hash)` of every print looked for.
    prints: HashSet<(u32, u64), BuildHasherDefault<HashHasher>>,
    /// One bit per window hash (its low bits): most positions of a text are ruled out here.
    filter: Vec<u64>,
}

impl std::fmt::Debug for Tripwire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tripwire({} patterns)", self.prints.len())
    }
}

/// `BASE^(WINDOW - 1)`: what the byte leaving the window weighs.
fn window_top() -> u64 {
    static TOP: OnceLock<u64> = OnceLock::new();
    *TOP.get_or_init(|| base_pow(WINDOW as u64 - 1))
}

impl Tripwire {
    pub fn new(secrets: impl Into<SecretSet>) -> Self {
        let mut prints = secrets.into().0;
        prints.sort_unstable();
        prints.dedup();
        let all = Tripwire::build(&prints);
        // Words of guard's own text are left out: one pass over that text finds them all.
        let mut in_static_text = HashSet::new();
        all.each_match(static_text(), |len, full| {
            in_static_text.insert((len, full));
            true
        });
        if in_static_text.is_empty() {
            return all;
        }
        prints.retain(|p| !in_static_text.contains(&(p.len, p.full)));
        Tripwire::build(&prints)
    }

    /// The tables for `prints`, sorted and without repeats.
    fn build(prints: &[SecretPrint]) -> Tripwire {
        let mut by_window: Vec<(u64, u32)> = prints.iter().map(|p| (p.window, p.len)).collect();
        by_window.sort_unstable();
        by_window.dedup();
        let mut windows = HashMap::default();
        let mut lengths = Vec::with_capacity(by_window.len());
        for group in by_window.chunk_by(|a, b| a.0 == b.0) {
            let start = lengths.len() as u32;
            lengths.extend(
                group
                    .iter()
                    .map(|&(_, len)| (len, base_pow(u64::from(len)))),
            );
            windows.insert(group[0].0, (start, group.len() as u32));
        }
        let bits = (windows.len() * 16)
            .next_power_of_two()
            .clamp(1 << 10, 1 << 24);
        let mut filter = vec![0u64; bits / 64];
        for &window in windows.keys() {
            let bit = window as usize & (bits - 1);
            filter[bit / 64] |= 1 << (bit % 64);
        }
        Tripwire {
            windows,
            lengths,
            prints: prints.iter().map(|p| (p.len, p.full)).collect(),
            filter: if prints.is_empty() {
                Vec::new()
            } else {
                filter
            },
        }
    }

    /// Whether the tripwire has nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.prints.is_empty()
    }

    /// Whether `text` contains a known secret.
    pub fn fires(&self, text: &str) -> bool {
        let mut found = false;
        self.each_match(text, |_, _| {
            found = true;
            false
        });
        found
    }

    /// A free-text field as it may be printed: unchanged, or [`REDACTED_FIELD`] as a whole.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.fires(text) {
            Cow::Borrowed(REDACTED_FIELD)
        } else {
            Cow::Borrowed(text)
        }
    }

    /// Calls `found(length, full hash)` for every occurrence of a print in `text`, until it
    /// returns false.
    fn each_match(&self, text: &str, mut found: impl FnMut(u32, u64) -> bool) {
        let bytes = text.as_bytes();
        if self.is_empty() || bytes.len() < WINDOW {
            return;
        }
        let bits = self.filter.len() * 64;
        let top = window_top();
        let mut window = hash(&bytes[..WINDOW]);
        PREFIX.with(|prefix| {
            let mut prefix = prefix.borrow_mut();
            prefix.clear();
            for start in 0..=bytes.len() - WINDOW {
                if start > 0 {
                    let leaving = mul_mod(u64::from(bytes[start - 1]), top);
                    window = add_mod(
                        mul_mod(sub_mod(window, leaving), BASE),
                        u64::from(bytes[start + WINDOW - 1]),
                    );
                }
                let bit = window as usize & (bits - 1);
                if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
                    continue;
                }
                let Some(&(first, count)) = self.windows.get(&window) else {
                    continue;
                };
                // Prefix hashes of the whole text, computed once a window matches; a text too
                // long for them has each candidate hashed on its own.
                let small = bytes.len() <= MAX_PREFIX_TEXT;
                if small && prefix.is_empty() {
                    prefix.reserve(bytes.len() + 1);
                    prefix.push(0);
                    let mut h = 0;
                    for &b in bytes {
                        h = add_mod(mul_mod(h, BASE), u64::from(b));
                        prefix.push(h);
                    }
                }
                for &(len, pow) in &self.lengths[first as usize..(first + count) as usize] {
                    let end = start + len as usize;
                    if end > bytes.len() {
                        continue;
                    }
                    let full = if small {
                        sub_mod(prefix[end], mul_mod(prefix[start], pow))
                    } else {
                        hash(&bytes[start..end])
                    };
                    if self.prints.contains(&(len, full)) && !found(len, full) {
                        return;
                    }
                }
            }
        });
    }
}

/// Texts up to this many bytes get prefix hashes (8 bytes per byte of text, reused per thread).
const MAX_PREFIX_TEXT: usize = 1 << 20;

thread_local! {
    /// The prefix hashes of the text being searched, reused from one text to the next.
    static PREFIX: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Hashes keys that are already hashes: mixes their words with one multiplication.
#[derive(Default)]
struct HashHasher(u64);

impl Hasher for HashHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
    }
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

    /// The tripwire as it was before it kept fingerprints: the forms of every secret as text,
    /// searched with Aho-Corasick.
    fn reference_search(secrets: &[String]) -> Option<aho_corasick::AhoCorasick> {
        let mut patterns = Vec::new();
        for secret in secrets {
            let split = secret.contains(|c: char| c.is_control());
            let fragments = secret
                .split(|c: char| c.is_control())
                .filter(|p| split && p.trim().chars().count() >= MIN_TRIPWIRE_LEN);
            for part in std::iter::once(secret.as_str()).chain(fragments) {
                if !guard_policies::secret_prints::worth_looking_for(part) {
                    continue;
                }
                patterns.push(part.to_string());
                let json = serde_json::to_string(part).unwrap();
                patterns.push(json[1..json.len() - 1].to_string());
            }
        }
        patterns.retain(|p| !static_text().contains(p.as_str()));
        (!patterns.is_empty()).then(|| aho_corasick::AhoCorasick::new(&patterns).unwrap())
    }

    /// Random secrets and texts over a small alphabet (so that they overlap often), with
    /// line breaks, quotes and backslashes: the fingerprints find exactly what the text
    /// search found.
    #[test]
    fn fingerprints_find_what_a_text_search_finds() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let alphabet = ['a', 'b', 'Z', '\n', '"', '\\', 'é', ' ', 'q'];
        let mut random_text = |len: u64| -> String {
            (0..len)
                .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                .collect()
        };
        let mut checked = 0;
        for round in 0..300 {
            let secrets: Vec<String> = (0..1 + round % 5)
                .map(|_| random_text(8 + round % 9))
                .collect();
            let tripwire = Tripwire::new(secrets.clone());
            let reference = reference_search(&secrets);
            for _ in 0..20 {
                let mut text = random_text(40);
                // Plant a secret, a fragment or an escaped form now and then.
                if round % 3 == 0 {
                    let secret = &secrets[round as usize % secrets.len()];
                    let json = serde_json::to_string(secret).unwrap();
                    text.push_str(&json[1..json.len() - 1]);
                    text.push_str(secret.split('\n').next().unwrap_or(""));
                }
                assert_eq!(
                    tripwire.fires(&text),
                    reference.as_ref().is_some_and(|r| r.is_match(&text)),
                    "secrets {secrets:?} text {text:?}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 6000);
    }

    /// A text longer than the prefix-hash limit is searched too (each candidate hashed alone).
    #[test]
    fn a_long_text_is_searched_without_prefix_hashes() {
        let t = tripwire(&["Zq9hunter2Xv", "arn:aws:secret-Zq1"]);
        let mut text = "arn:aws:x ".repeat(MAX_PREFIX_TEXT / 10 + 10);
        assert!(text.len() > MAX_PREFIX_TEXT);
        assert!(!t.fires(&text));
        text.push_str("arn:aws:secret-Zq1");
        assert!(t.fires(&text));
        assert!(t.fires(&format!("Zq9hunter2Xv{}", "y".repeat(MAX_PREFIX_TEXT))));
    }

    /// A secret's prints take the same room whatever its length: no text is kept.
    #[test]
    fn the_set_holds_no_text() {
        let long = format!("Zq{}Xv", "x".repeat(1 << 20));
        let set = SecretSet::new(vec![long.clone()]);
        assert_eq!(set.len(), 1);
        assert_eq!(std::mem::size_of::<SecretPrint>(), 24);
        let t = Tripwire::new(set);
        assert!(t.fires(&format!("before {long} after")));
        assert!(!t.fires(&long[1..]));
    }

    #[test]
    fn debug_does_not_print_secrets() {
        let set = SecretSet::new(vec!["Zq9hunter2Xv".into()]);
        assert_eq!(format!("{set:?}"), "SecretSet(1 secrets)");
        let t = Tripwire::new(set);
        assert!(!format!("{t:?}").contains("hunter2"));
    }
}
