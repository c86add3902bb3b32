//! Fixed-size fingerprints of secrets, for the text tripwire (`guard::redact::Tripwire`).
//!
//! The tripwire looks for known secrets in free text. It used to hold a copy of every secret's
//! text; now whoever meets a sensitive string (the plan loader, [`crate::classify`]) turns it into
//! [`SecretPrint`]s on the spot, and no collection ever holds the text: memory grows by 24 bytes
//! per searched form of a secret, whatever its length.
//!
//! A print is the length of one searched form (the secret, a fragment of a multi-line secret, or
//! either of them JSON-escaped), a hash of its first [`WINDOW`] bytes and a hash of all of it.
//! The tripwire rolls the window hash over a text and checks the full hash of each candidate in
//! constant time from prefix hashes, so a search stays linear in the text. Two different strings
//! may share a hash (a chance of about 2^-61 per comparison): the tripwire then replaces a field
//! that held no secret, which fails closed.

use crate::classify::MIN_TRIPWIRE_LEN;

/// How many leading bytes the window hash covers: every searched form is at least this long
/// ([`MIN_TRIPWIRE_LEN`] characters are at least as many bytes).
pub const WINDOW: usize = 8;

const _: () = assert!(WINDOW <= MIN_TRIPWIRE_LEN);

/// The modulus of the polynomial hash: the Mersenne prime 2^61 - 1.
const MODULUS: u64 = (1 << 61) - 1;
/// The base of the polynomial hash: a fixed odd number below the modulus, so runs are
/// reproducible (a collision only ever makes the tripwire replace more).
pub const BASE: u64 = 0x0F3D_5B79_A2C4_E681 % MODULUS;

/// `a * b` modulo 2^61 - 1, for `a, b` below the modulus.
pub fn mul_mod(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    let folded = (product as u64 & MODULUS) + (product >> 61) as u64;
    if folded >= MODULUS {
        folded - MODULUS
    } else {
        folded
    }
}

/// `a + b` modulo 2^61 - 1, for `a, b` below the modulus.
pub fn add_mod(a: u64, b: u64) -> u64 {
    let sum = a + b;
    if sum >= MODULUS {
        sum - MODULUS
    } else {
        sum
    }
}

/// `a - b` modulo 2^61 - 1, for `a, b` below the modulus.
pub fn sub_mod(a: u64, b: u64) -> u64 {
    add_mod(a, MODULUS - b)
}

/// `BASE^exponent` modulo 2^61 - 1.
pub fn base_pow(mut exponent: u64) -> u64 {
    let (mut result, mut factor) = (1, BASE);
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = mul_mod(result, factor);
        }
        factor = mul_mod(factor, factor);
        exponent >>= 1;
    }
    result
}

/// The polynomial hash of `bytes`: `sum(bytes[i] * BASE^(len - 1 - i))` modulo 2^61 - 1.
pub fn hash(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0, |h, &b| add_mod(mul_mod(h, BASE), u64::from(b)))
}

/// One searched form of a secret, without its text. `Debug` shows only its length.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SecretPrint {
    /// The length in bytes.
    pub len: u32,
    /// [`hash`] of the first [`WINDOW`] bytes.
    pub window: u64,
    /// [`hash`] of all the bytes.
    pub full: u64,
}

impl std::fmt::Debug for SecretPrint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretPrint({} bytes)", self.len)
    }
}

impl SecretPrint {
    /// The print of one string as it is, whether or not it is worth looking for.
    pub fn of(text: &str) -> SecretPrint {
        let bytes = text.as_bytes();
        SecretPrint {
            // Longer strings are never searched for: a plan over 4 GiB is refused before.
            len: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            window: hash(&bytes[..bytes.len().min(WINDOW)]),
            full: hash(bytes),
        }
    }
}

/// Whether this print is the print of `text` (tests ask whether a secret was collected).
impl PartialEq<str> for SecretPrint {
    fn eq(&self, text: &str) -> bool {
        *self == SecretPrint::of(text)
    }
}

/// Adds the prints of every form of `secret` the tripwire looks for: the secret and the
/// fragments between its control characters (line breaks, tabs, which renderers flatten or
/// escape), each as it is and JSON-escaped (a message that quoted the value with `{:?}` or
/// through JSON holds it escaped); only forms worth a search ([`worth_looking_for`]).
pub fn add_prints(secret: &str, out: &mut Vec<SecretPrint>) {
    let split = secret.contains(|c: char| c.is_control());
    let fragments = secret
        .split(|c: char| c.is_control())
        .filter(move |p| split && p.trim().chars().count() >= MIN_TRIPWIRE_LEN);
    for part in std::iter::once(secret).chain(fragments) {
        if !worth_looking_for(part) {
            continue;
        }
        out.push(SecretPrint::of(part));
        let needs_escape = part.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
        if needs_escape {
            // The escaped copy lives only while it is hashed.
            if let Ok(json) = serde_json::to_string(part) {
                out.push(SecretPrint::of(&json[1..json.len() - 1]));
            }
        }
    }
}

/// Whether a secret is worth a substring search: long enough not to occur by chance and not a
/// number or a keyword. Values that are words of guard's own text (`password`) are left out by
/// the tripwire: they are hidden where they are rendered.
pub fn worth_looking_for(secret: &str) -> bool {
    let trimmed = secret.trim();
    trimmed.chars().count() >= MIN_TRIPWIRE_LEN
        && trimmed.parse::<f64>().is_err()
        && !matches!(trimmed, "true" | "false" | "null")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_modular_arithmetic_agrees_with_u128() {
        let m = u128::from(MODULUS);
        for (a, b) in [
            (0, 0),
            (1, MODULUS - 1),
            (MODULUS - 1, MODULUS - 1),
            (BASE, BASE),
            (123_456_789_012_345, 987_654_321_098_765),
        ] {
            assert_eq!(u128::from(mul_mod(a, b)), u128::from(a) * u128::from(b) % m);
            assert_eq!(
                u128::from(add_mod(a, b)),
                (u128::from(a) + u128::from(b)) % m
            );
            assert_eq!(
                u128::from(sub_mod(a, b)),
                (u128::from(a) + m - u128::from(b)) % m
            );
        }
        assert_eq!(base_pow(0), 1);
        assert_eq!(base_pow(3), mul_mod(BASE, mul_mod(BASE, BASE)));
    }

    #[test]
    fn prints_cover_the_secret_its_fragments_and_their_escaped_forms() {
        let mut prints = Vec::new();
        add_prints("first-line-Zq1\nsecond\"line-Zq2", &mut prints);
        for form in [
            "first-line-Zq1\nsecond\"line-Zq2",
            "first-line-Zq1\\nsecond\\\"line-Zq2",
            "first-line-Zq1",
            "second\"line-Zq2",
            "second\\\"line-Zq2",
        ] {
            assert!(prints.iter().any(|p| p == form), "{form:?}");
        }
        assert_eq!(prints.len(), 5);
        let mut none = Vec::new();
        for short_or_common in ["short", "12345678", "  true  ", "1.5e300"] {
            add_prints(short_or_common, &mut none);
        }
        assert!(none.is_empty());
    }

    #[test]
    fn debug_shows_no_hash() {
        assert_eq!(
            format!("{:?}", SecretPrint::of("Zq9hunter2Xv")),
            "SecretPrint(12 bytes)"
        );
    }
}
