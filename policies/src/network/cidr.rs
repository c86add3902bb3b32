//! CIDR arithmetic for "is this the whole internet?".
//!
//! The peers compare strings (`"0.0.0.0/0"`, `"::/0"`), so `0:0:0:0:0:0:0:0/0`, `0.0.0.0/00` or
//! the pair `0.0.0.0/1` + `128.0.0.0/1` slip through. Here every block becomes an address range,
//! the ranges are merged, and the question is whether they cover the whole IPv4 or IPv6 space.
//! `std::net` does the parsing; host bits below the prefix are ignored, as AWS and GCP do when
//! they normalise a block.

use std::net::IpAddr;

/// A parsed block: an inclusive range in one address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    V4 { start: u32, end: u32 },
    V6 { start: u128, end: u128 },
}

/// Parses `a.b.c.d/n`, `x:y::/n` or a bare address (a single host). `None` for anything else
/// (a service tag, a prefix list id, a typo).
pub fn parse(text: &str) -> Option<Block> {
    let text = text.trim();
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u32>().ok()?)),
        None => (text, None),
    };
    match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(ip) => {
            let prefix = prefix.unwrap_or(32);
            if prefix > 32 {
                return None;
            }
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - prefix)
            };
            let start = u32::from(ip) & mask;
            Some(Block::V4 {
                start,
                end: start | !mask,
            })
        }
        IpAddr::V6(ip) => {
            let prefix = prefix.unwrap_or(128);
            if prefix > 128 {
                return None;
            }
            let mask = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - prefix)
            };
            let start = u128::from(ip) & mask;
            Some(Block::V6 {
                start,
                end: start | !mask,
            })
        }
    }
}

/// True when sorted, merged ranges cover `0..=max`.
fn covers(mut ranges: Vec<(u128, u128)>, max: u128) -> bool {
    ranges.sort_unstable();
    // The first address not yet covered. Reaching `max` returns before `end + 1` could overflow.
    let mut next: u128 = 0;
    for (start, end) in ranges {
        if start > next {
            return false;
        }
        if end >= max {
            return true;
        }
        next = next.max(end + 1);
    }
    false
}

/// True when the blocks together cover every IPv4 address or every IPv6 address.
pub fn covers_everything<'a>(blocks: impl IntoIterator<Item = &'a str>) -> bool {
    let mut v4 = Vec::new();
    let mut v6 = Vec::new();
    for block in blocks.into_iter().filter_map(parse) {
        match block {
            Block::V4 { start, end } => v4.push((start.into(), end.into())),
            Block::V6 { start, end } => v6.push((start, end)),
        }
    }
    (!v4.is_empty() && covers(v4, u32::MAX.into())) || (!v6.is_empty() && covers(v6, u128::MAX))
}

/// Whether the known blocks and blocks of unknown address but known prefix length (each at most
/// 2^(bits - prefix) addresses, in either family) could together cover every IPv4 or every IPv6
/// address. A /32 of an unknown address is one host; two unknown /1s could be everything.
pub fn may_cover_everything<'a>(
    known: impl IntoIterator<Item = &'a str>,
    bounded_prefixes: &[u32],
) -> bool {
    let mut v4: Vec<(u128, u128)> = Vec::new();
    let mut v6: Vec<(u128, u128)> = Vec::new();
    for block in known.into_iter().filter_map(parse) {
        match block {
            Block::V4 { start, end } => v4.push((start.into(), end.into())),
            Block::V6 { start, end } => v6.push((start, end)),
        }
    }
    // Addresses the merged ranges cover, `None` when it is 2^128.
    let covered = |mut ranges: Vec<(u128, u128)>| -> Option<u128> {
        ranges.sort_unstable();
        let mut total: u128 = 0;
        let mut current: Option<(u128, u128)> = None;
        for (start, end) in ranges {
            current = match current {
                Some((s, e)) if start <= e.saturating_add(1) => Some((s, e.max(end))),
                Some((s, e)) => {
                    total = total.checked_add(e - s)?.checked_add(1)?;
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
        if let Some((s, e)) = current {
            total = total.checked_add(e - s)?.checked_add(1)?;
        }
        Some(total)
    };
    let family = |ranges: Vec<(u128, u128)>, bits: u32| -> bool {
        let Some(mut total) = covered(ranges) else {
            return true;
        };
        for &p in bounded_prefixes {
            if p > bits {
                continue; // longer than this family's addresses: the other family
            }
            let size = if bits - p < 128 {
                Some(1u128 << (bits - p))
            } else {
                None
            };
            match size.and_then(|s| total.checked_add(s)) {
                Some(t) => total = t,
                None => return true,
            }
        }
        // 2^bits, or more than u128 holds for IPv6 (handled above by overflow).
        bits < 128 && total >= 1u128 << bits
    };
    family(v4, 32) || family(v6, 128)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_spellings_of_everything_are_everything() {
        for world in [
            "0.0.0.0/0",
            "::/0",
            "0:0:0:0:0:0:0:0/0",
            "0000:0000:0000:0000:0000:0000:0000:0000/0",
            " 0.0.0.0/0 ",
            "10.0.0.0/0",
        ] {
            assert!(covers_everything([world]), "{world}");
        }
    }

    #[test]
    fn halves_that_add_up_to_everything_are_everything() {
        assert!(covers_everything(["0.0.0.0/1", "128.0.0.0/1"]));
        assert!(covers_everything([
            "128.0.0.0/1",
            "0.0.0.0/2",
            "64.0.0.0/2"
        ]));
        assert!(covers_everything(["::/1", "8000::/1"]));
        assert!(covers_everything([
            "10.0.0.0/8",
            "0.0.0.0/1",
            "128.0.0.0/1"
        ]));
    }

    #[test]
    fn a_gap_or_half_the_space_is_not_everything() {
        assert!(!covers_everything(["0.0.0.0/1"]));
        assert!(!covers_everything(["0.0.0.0/1", "128.0.0.0/2"]));
        assert!(!covers_everything(["0.0.0.0/1", "::/1"]));
        assert!(!covers_everything(["10.0.0.0/8", "192.168.0.0/16"]));
        assert!(!covers_everything(["255.255.255.255/32"]));
        assert!(!covers_everything(Vec::<&str>::new()));
    }

    #[test]
    fn blocks_of_unknown_address_count_by_their_size() {
        // One host, or a VPC's /16: never everything.
        assert!(!may_cover_everything(Vec::<&str>::new(), &[32]));
        assert!(!may_cover_everything(["10.0.0.0/8"], &[16, 32]));
        // Two halves of unknown address could be everything; so could one /0.
        assert!(may_cover_everything(Vec::<&str>::new(), &[1, 1]));
        assert!(may_cover_everything(Vec::<&str>::new(), &[0]));
        // Half the space known, the other half's size unknown-addressed.
        assert!(may_cover_everything(["0.0.0.0/1"], &[1]));
        assert!(!may_cover_everything(["0.0.0.0/1"], &[2]));
        // IPv6: a /1 and a /1 of unknown address.
        assert!(may_cover_everything(["::/1"], &[1]));
        assert!(!may_cover_everything(["::/1"], &[44]));
    }

    #[test]
    fn what_is_not_a_cidr_is_not_parsed() {
        for text in [
            "*",
            "Internet",
            "pl-123456",
            "0.0.0.0/33",
            "::/129",
            "",
            "0.0.0.0/x",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
        assert_eq!(
            parse("10.1.2.3/8"),
            Some(Block::V4 {
                start: 0x0a00_0000,
                end: 0x0aff_ffff
            })
        );
        assert_eq!(
            parse("1.2.3.4"),
            Some(Block::V4 {
                start: 0x0102_0304,
                end: 0x0102_0304
            })
        );
    }
}
