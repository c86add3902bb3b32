//! What a file's bytes are, told by a look at their top level: a plan, a binary plan, a state,
//! other JSON or something else. Used by discovery ([`super::inputs`]) and by the HCL loader
//! (a plan named `.tf.json` is not configuration).

/// What a file's bytes look like.
#[derive(Debug, PartialEq, Eq)]
pub enum Shape {
    /// `terraform show -json PLANFILE` output.
    Plan,
    /// A binary plan (`terraform plan -out=tfplan`): a zip archive.
    BinaryPlan,
    /// A state: `terraform.tfstate`, or `terraform show -json` without a plan file.
    State,
    /// Some other JSON object.
    OtherJson,
    /// Not a JSON object (HCL, text, empty, other binary data).
    Other,
}

/// Tells a plan from a state, a binary plan and other JSON by the top-level keys only, in one
/// pass without recursion (the file may be hostile).
pub fn shape(bytes: &[u8]) -> Shape {
    if bytes.starts_with(b"PK\x03\x04") {
        return Shape::BinaryPlan;
    }
    let Some(keys) = top_level_keys(bytes, is_plan_key) else {
        return Shape::Other;
    };
    let has = |k: &str| keys.iter().any(|key| key == k);
    if keys.iter().any(|key| is_plan_key(key)) {
        Shape::Plan
    } else if has("lineage")
        || (has("serial") && has("version"))
        || (has("format_version") && (has("values") || has("terraform_version")))
    {
        Shape::State
    } else {
        Shape::OtherJson
    }
}

/// A top-level key that makes the file a plan, whatever the other keys are.
fn is_plan_key(key: &str) -> bool {
    key == "resource_changes" || key == "planned_values"
}

/// The keys of a JSON object's top level, or `None` when the text is not a JSON object. The
/// scan stops after a key for which `decisive` is true: the rest of a 100 MB plan is not read.
fn top_level_keys(bytes: &[u8], decisive: fn(&str) -> bool) -> Option<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if bytes[start] != b'{' {
        return None;
    }
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut last_string: Option<(usize, usize)> = None;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => match closing_quote(bytes, i) {
                Some(close) => {
                    last_string = (depth == 1).then_some((i + 1, close));
                    i = close + 1;
                    continue;
                }
                None => break,
            },
            b':' => {
                if let Some((s, e)) = last_string.take() {
                    let key = String::from_utf8_lossy(&bytes[s..e]).into_owned();
                    let done = decisive(&key);
                    keys.push(key);
                    if done {
                        break;
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                last_string = None;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            b if b.is_ascii_whitespace() => {}
            _ => last_string = None,
        }
        i += 1;
    }
    Some(keys)
}

/// The index of the quote that closes the JSON string opened at `open`, or `None` when the text
/// ends first. Jumps from one quote or backslash to the next, so the text of long strings is
/// not looked at byte by byte.
pub fn closing_quote(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        let at = i + memchr::memchr2(b'"', b'\\', &bytes[i..])?;
        if bytes[at] == b'"' {
            return Some(at);
        }
        // A backslash escapes the byte after it (`\"`, `\\`; `\u` is followed by hex digits).
        i = at + 2;
    }
    None
}

/// True when a file's text is a plan (used to keep a plan named `.tf.json` out of a module).
pub fn is_plan(bytes: &[u8]) -> bool {
    shape(bytes) == Shape::Plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_told_apart_by_top_level_keys() {
        assert_eq!(
            shape(br#"{"format_version":"1.2","planned_values":{"x":{"resource_changes":1}}}"#),
            Shape::Plan
        );
        assert_eq!(
            shape(br#" {"values": {"resource_changes": []}, "format_version": "1.0"}"#),
            Shape::State
        );
        assert_eq!(
            shape(br#"{"version":4,"serial":3,"lineage":"x","resources":[]}"#),
            Shape::State
        );
        assert_eq!(
            shape(br#"{"a":"resource_changes","b":["planned_values"]}"#),
            Shape::OtherJson
        );
        assert_eq!(shape(b"PK\x03\x04rest"), Shape::BinaryPlan);
        assert_eq!(shape(b"resource \"a\" \"b\" {}"), Shape::Other);
        assert_eq!(shape(b""), Shape::Other);
        assert_eq!(
            shape(br#"{"a\"b": "x\\", "planned_values": {}}"#),
            Shape::Plan
        );
        assert_eq!(
            shape(br#"{"a": "never closed, "planned_values": 1"#),
            Shape::OtherJson
        );
        // The scan stops at the first plan key: what follows is not read.
        assert_eq!(
            shape(br#"{"resource_changes": [], "lineage": "x", "broken"#),
            Shape::Plan
        );
        assert_eq!(
            shape(br#"{"lineage": "x", "planned_values": {}}"#),
            Shape::Plan
        );
    }

    #[test]
    fn a_closing_quote_is_found_past_escapes() {
        let text = br#""ab\"c\\" rest"#;
        assert_eq!(closing_quote(text, 0), Some(8));
        assert_eq!(closing_quote(br#""\"#, 0), None);
        assert_eq!(closing_quote(br#""abc"#, 0), None);
    }
}
