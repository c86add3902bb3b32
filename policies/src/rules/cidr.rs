//! CIDR blocks: `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a block of one).

use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    address: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub(crate) fn parse(text: &str) -> Option<Cidr> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = address.parse().ok()?;
        let max = match address {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
            None => max,
        };
        (prefix <= max).then_some(Cidr { address, prefix })
    }

    /// Whether every address of `self` is in `outer`.
    pub(crate) fn within(self, outer: Cidr) -> bool {
        if self.prefix < outer.prefix {
            return false;
        }
        match (self.address, outer.address) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                same_prefix(u32::from(a).into(), u32::from(b).into(), 32, outer.prefix)
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                same_prefix(u128::from(a), u128::from(b), 128, outer.prefix)
            }
            _ => false,
        }
    }
}

fn same_prefix(a: u128, b: u128, bits: u32, prefix: u8) -> bool {
    let prefix = u32::from(prefix);
    if prefix == 0 {
        return true;
    }
    let shift = bits - prefix;
    (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(inner: &str, outer: &str) -> bool {
        match (Cidr::parse(inner), Cidr::parse(outer)) {
            (Some(i), Some(o)) => i.within(o),
            _ => panic!("unparsable {inner} or {outer}"),
        }
    }

    #[test]
    fn containment() {
        assert!(within("10.1.0.0/16", "10.0.0.0/8"));
        assert!(within("10.0.0.0/8", "10.0.0.0/8"));
        assert!(within("10.1.2.3", "10.0.0.0/8"));
        assert!(!within("10.0.0.0/7", "10.0.0.0/8"));
        assert!(!within("11.0.0.0/16", "10.0.0.0/8"));
        assert!(within("0.0.0.0/0", "0.0.0.0/0"));
        assert!(within("192.168.1.0/24", "0.0.0.0/0"));
        assert!(!within("0.0.0.0/0", "10.0.0.0/8"));
        assert!(within("2001:db8:1::/48", "2001:db8::/32"));
        assert!(!within("2001:db9::/48", "2001:db8::/32"));
        assert!(!within("::/0", "0.0.0.0/0"));
        assert!(!within("10.0.0.0/8", "::/0"));
        // Host bits set in the block itself are ignored, as cloud APIs do.
        assert!(within("10.0.0.5/31", "10.0.0.0/24"));
    }

    #[test]
    fn rejects_what_is_not_a_block() {
        for text in [
            "",
            "10.0.0.0/33",
            "10.0.0/8",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "sg-123",
            "::/129",
        ] {
            assert_eq!(Cidr::parse(text), None, "{text}");
        }
    }
}
