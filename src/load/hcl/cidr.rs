//! IP prefix arithmetic for `cidrhost`, `cidrnetmask`, `cidrsubnet` and `cidrsubnets`, following
//! go-cty's cidr functions (github.com/apparentlymart/go-cidr).

use super::vals::{err, EvalError};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A prefix as (address bits, address length in bits, prefix length).
#[derive(Debug, Clone, Copy)]
pub(super) struct Prefix {
    pub addr: u128,
    pub bits: u32,
    pub len: u32,
}

pub(super) fn parse(s: &str) -> Result<Prefix, EvalError> {
    let (a, l) = s
        .split_once('/')
        .ok_or_else(|| EvalError("invalid CIDR address: no prefix length".into()))?;
    let len: u32 = l
        .parse()
        .map_err(|_| EvalError("invalid CIDR prefix length".into()))?;
    let ip: IpAddr = a
        .parse()
        .map_err(|_| EvalError("invalid CIDR address".into()))?;
    let (addr, bits) = match ip {
        IpAddr::V4(v) => (u32::from(v) as u128, 32),
        IpAddr::V6(v) => (u128::from(v), 128),
    };
    if len > bits {
        return err("CIDR prefix length is too long");
    }
    Ok(Prefix {
        addr: addr & mask(bits, len),
        bits,
        len,
    })
}

fn mask(bits: u32, len: u32) -> u128 {
    if len == 0 {
        return 0;
    }
    let all: u128 = if bits == 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    };
    let host = bits - len;
    if host >= 128 {
        0
    } else {
        all & !((1u128 << host).wrapping_sub(1))
    }
}

pub(super) fn fmt_addr(addr: u128, bits: u32) -> String {
    if bits == 32 {
        Ipv4Addr::from(addr as u32).to_string()
    } else {
        Ipv6Addr::from(addr).to_string()
    }
}

pub(super) fn fmt_prefix(p: Prefix) -> String {
    format!("{}/{}", fmt_addr(p.addr, p.bits), p.len)
}

pub(super) fn subnet(p: Prefix, newbits: i64, num: i64) -> Result<Prefix, EvalError> {
    if newbits < 0 || num < 0 {
        return err("cidrsubnet: arguments must not be negative");
    }
    let newlen = p.len as i64 + newbits;
    if newlen > p.bits as i64 {
        return err("cidrsubnet: insufficient address space to extend prefix");
    }
    let newbits = newbits as u32;
    if newbits < 128 && (num as u128) >> newbits != 0 {
        return err(
            "cidrsubnet: prefix extension does not accommodate a subnet numbered that high",
        );
    }
    let shift = p.bits - newlen as u32;
    let add = if shift >= 128 {
        0
    } else {
        (num as u128) << shift
    };
    Ok(Prefix {
        addr: p.addr | add,
        bits: p.bits,
        len: newlen as u32,
    })
}

pub(super) fn host(p: Prefix, num: i64) -> Result<String, EvalError> {
    let host_bits = p.bits - p.len;
    let size: i128 = if host_bits >= 127 {
        i128::MAX
    } else {
        1i128 << host_bits
    };
    let n = num as i128;
    let n = if n < 0 { size + n } else { n };
    if n < 0 || n >= size {
        return err("cidrhost: host number out of range for this prefix");
    }
    Ok(fmt_addr(p.addr | n as u128, p.bits))
}

pub(super) fn netmask(p: Prefix) -> Result<String, EvalError> {
    if p.bits != 32 {
        return err("cidrnetmask only supports IPv4 prefixes");
    }
    Ok(fmt_addr(mask(32, p.len), 32))
}

/// `cidrsubnets(prefix, newbits...)`: consecutive subnets, each aligned to its own size.
pub(super) fn subnets(p: Prefix, newbits: &[i64]) -> Result<Vec<String>, EvalError> {
    let mut out = Vec::new();
    let mut next: u128 = p.addr;
    let end: u128 = p.addr
        | !mask(p.bits, p.len)
            & if p.bits == 128 {
                u128::MAX
            } else {
                (1u128 << p.bits) - 1
            };
    for &nb in newbits {
        if nb < 1 {
            return err("cidrsubnets: each new bits value must be at least 1");
        }
        let len = p.len as i64 + nb;
        if len > p.bits as i64 {
            return err("cidrsubnets: not enough remaining address space");
        }
        let len = len as u32;
        let host = p.bits - len;
        let size: u128 = if host >= 128 {
            u128::MAX
        } else {
            1u128 << host
        };
        // Align up.
        let aligned = if next.is_multiple_of(size) {
            next
        } else {
            (next / size + 1) * size
        };
        if aligned > end || aligned.checked_add(size - 1).is_none_or(|last| last > end) {
            return err("cidrsubnets: not enough remaining address space");
        }
        out.push(format!("{}/{}", fmt_addr(aligned, p.bits), len));
        next = aligned.saturating_add(size);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_terraform_examples() {
        let p = parse("10.0.0.0/16").unwrap();
        assert_eq!(fmt_prefix(subnet(p, 8, 2).unwrap()), "10.0.2.0/24");
        assert_eq!(
            host(parse("10.12.112.0/20").unwrap(), 16).unwrap(),
            "10.12.112.16"
        );
        assert_eq!(
            host(parse("10.12.112.0/20").unwrap(), 268).unwrap(),
            "10.12.113.12"
        );
        assert_eq!(
            netmask(parse("172.16.0.0/12").unwrap()).unwrap(),
            "255.240.0.0"
        );
        assert_eq!(
            fmt_prefix(subnet(parse("fd00:fd12:3456:7890::/56").unwrap(), 16, 162).unwrap()),
            "fd00:fd12:3456:7800:a200::/72"
        );
        assert_eq!(
            subnets(parse("10.1.0.0/16").unwrap(), &[4, 4, 8, 4]).unwrap(),
            vec![
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]
        );
    }
}
