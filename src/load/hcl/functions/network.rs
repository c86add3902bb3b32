//! Network: CIDR arithmetic.

use super::*;

/// The functions of this family; `next` for any other name.
pub(super) fn call(c: &Call<'_>, next: &dyn Fn() -> R) -> R {
    helpers!(c; name, args, refs, a, s, n, scalar, str_out, container);
    match name {
        "cidrhost" => str_out(cidr::host(cidr::parse(&s(0)?)?, to_int(a(1)?)?)?),
        "cidrnetmask" => str_out(cidr::netmask(cidr::parse(&s(0)?)?)?),
        "cidrsubnet" => str_out(cidr::fmt_prefix(cidr::subnet(
            cidr::parse(&s(0)?)?,
            to_int(a(1)?)?,
            to_int(a(2)?)?,
        )?)),
        "cidrsubnets" => {
            let p = cidr::parse(&s(0)?)?;
            let mut nb = Vec::new();
            for i in 1..args.len() {
                nb.push(to_int(a(i)?)?);
            }
            container(Kind::list(
                cidr::subnets(p, &nb)?.into_iter().map(string).collect(),
            ))
        }
        _ => next(),
    }
}
