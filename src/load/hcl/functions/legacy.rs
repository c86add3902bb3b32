//! Legacy (Terraform 0.11) constructors still seen in the wild.

use super::*;

/// The functions of this family; `next` for any other name.
pub(super) fn call(c: &Call<'_>, next: &dyn Fn() -> R) -> R {
    helpers!(c; name, args, refs, a, s, n, scalar, str_out, container);
    match name {
        "list" => container(Kind::list(args.to_vec())),
        "map" => {
            if !args.len().is_multiple_of(2) {
                return err("map: an even number of arguments is required");
            }
            let mut out = BTreeMap::new();
            for pair in args.chunks(2) {
                out.insert(to_str(&pair[0])?, pair[1].clone());
            }
            container(Kind::object(out))
        }
        _ => next(),
    }
}
