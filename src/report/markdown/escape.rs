//! Writing input strings into markdown and HTML so that they show literally: no markdown or
//! HTML injection, no `@mention` or `#123` links.

/// A code span that shows `s` literally: fence longer than any backtick run, line breaks and
/// control characters flattened, padded when needed so CommonMark strips nothing of `s`.
pub fn code(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.is_empty() {
        return "` `".to_string();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in flat.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = flat.starts_with('`')
        || flat.ends_with('`')
        || (flat.starts_with(' ') && flat.ends_with(' '));
    if pad {
        format!("{fence} {flat} {fence}")
    } else {
        format!("{fence}{flat}{fence}")
    }
}

/// A message as markdown: its `code spans` (names and values) as code spans, the prose between
/// them escaped so nothing in it is markup, a mention or a reference. A value with a backtick
/// of its own may split differently; every piece is still either fenced or escaped.
pub fn message(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, piece) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&code(piece));
        } else {
            out.push_str(&prose(piece));
        }
    }
    // An unpaired backtick leaves its tail as prose (escaped above): nothing to close.
    out
}

/// Text with every character CommonMark or GitHub could read as markup escaped.
fn prose(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Mentions and issue references are resolved on the rendered text: entities.
            '@' => out.push_str("&#64;"),
            '#' => out.push_str("&#35;"),
            '\\' | '*' | '_' | '[' | ']' | '!' | '|' | '~' | '`' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span for a table cell: `|` escaped too (GFM splits cells before inline parsing).
pub fn code_cell(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// Percent-encodes a path for a URL, keeping `/`.
pub(super) fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Text for HTML contexts (`<summary>`): code element with entities escaped.
pub(super) fn html_text(s: &str) -> String {
    let escaped: String = s
        .chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '@' => "&#64;".to_string(),
            '#' => "&#35;".to_string(),
            '`' => "&#96;".to_string(),
            '*' | '_' | '[' | ']' | '\\' | '|' | '~' => format!("&#{};", c as u32),
            c if c.is_control() => " ".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("<code>{escaped}</code>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_fence_past_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("``x"), "``` ``x ```");
        assert_eq!(code("line\nbreak"), "`line break`");
        assert_eq!(code(" x "), "`  x  `");
        assert_eq!(code_cell("a|b"), "`a\\|b`");
    }
}
