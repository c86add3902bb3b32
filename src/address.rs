//! Terraform resource addresses (`module.a["k"].aws_iam_user.ci[0]`): the one reader every stage
//! uses, so instance keys are skipped the same way everywhere (a key may hold `.`, `[`, `]` or
//! an escaped quote).

/// An address read once: the text outside `[...]` and the raw instance keys inside.
struct Parsed<'a> {
    /// The address without its instance keys: `module.a.aws_iam_user.ci`.
    bare: String,
    /// The keys as written between the brackets (quotes kept): `"k"`, `0`.
    keys: Vec<&'a str>,
}

fn parse(address: &str) -> Parsed<'_> {
    let mut bare = String::with_capacity(address.len());
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut key_start = 0;
    for (i, c) in address.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '[' => {
                if depth == 0 {
                    key_start = i + 1;
                }
                depth += 1;
            }
            ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    keys.push(&address[key_start..i]);
                }
            }
            '"' if depth > 0 => in_string = true,
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    if depth > 0 {
        // An unclosed key: what there is of it.
        keys.push(&address[key_start..]);
    }
    Parsed { bare, keys }
}

/// The address without instance keys: `module.a["x"].aws_b.c[0]` → `module.a.aws_b.c`.
pub fn strip_instance_keys(address: &str) -> String {
    parse(address).bare
}

/// The instance keys, unquoted (not unescaped): `module.a["x"].aws_b.c[0]` has `x` and `0`.
pub fn instance_keys(address: &str) -> Vec<&str> {
    parse(address).keys.into_iter().map(unquote).collect()
}

/// The resource type: `module.a["k"].aws_iam_user.x[0]` → `aws_iam_user`, `data.aws_x.y` →
/// `aws_x`; empty when there is none.
pub fn resource_type(address: &str) -> String {
    let bare = strip_instance_keys(address);
    let mut parts = bare.split('.');
    while let Some(part) = parts.next() {
        match part {
            "module" => {
                parts.next();
            }
            "data" => return parts.next().unwrap_or_default().to_string(),
            _ => return part.to_string(),
        }
    }
    String::new()
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_skipped_whatever_they_hold() {
        let address = r#"module.a["x.y]\"z"].aws_b.c[0]"#;
        assert_eq!(strip_instance_keys(address), "module.a.aws_b.c");
        assert_eq!(instance_keys(address), vec![r#"x.y]\"z"#, "0"]);
        assert_eq!(instance_keys(r#"aws_b.c["a]b"]"#), vec!["a]b"]);
        assert!(instance_keys("aws_b.c").is_empty());
    }

    #[test]
    fn types_from_addresses() {
        assert_eq!(resource_type("aws_iam_user.ci"), "aws_iam_user");
        assert_eq!(
            resource_type(r#"module.a["x.y"].module.b.google_service_account.api[0]"#),
            "google_service_account"
        );
        assert_eq!(resource_type("data.aws_iam_role.r"), "aws_iam_role");
        assert_eq!(resource_type("module.a"), "");
    }
}
