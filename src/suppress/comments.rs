//! Comments in HCL text, found by a small lexer that skips strings, template interpolations and
//! heredocs.
//!
//! hcl-edit keeps comments in its decor, but only for files it parsed, without a byte range per
//! comment, and spread over every node's prefix and suffix: collecting them from the parsed tree
//! would need a visitor over every decor plus this same scan of each decor's text. One scan of
//! the file is simpler and also works on `.tfvars` and files with a syntax error elsewhere.

/// A comment in HCL source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Byte range of the whole comment, delimiters included.
    pub start: usize,
    pub end: usize,
    /// The text without `#`, `//`, `/*` and `*/`.
    pub body: String,
    /// True when code precedes the comment on its first line.
    pub trailing: bool,
}

/// Every comment in HCL text, skipping strings, template interpolations and heredocs.
pub fn scan_comments(text: &str) -> Vec<Comment> {
    enum Ctx {
        Str,
        Interp(usize),
    }
    let b = text.as_bytes();
    let mut stack: Vec<Ctx> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    let trailing = |start: usize| {
        let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
        !text[line_start..start].trim().is_empty()
    };
    while i < b.len() {
        if matches!(stack.last(), Some(Ctx::Str)) {
            match b[i] {
                b'\\' => i += 2,
                b'"' | b'\n' => {
                    // A newline ends an unterminated string: recover instead of eating the file.
                    stack.pop();
                    i += 1;
                }
                b'$' | b'%' if b.get(i + 1) == Some(&b[i]) => i += 2,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(Ctx::Interp(0));
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match b[i] {
            b'"' => {
                stack.push(Ctx::Str);
                i += 1;
            }
            b'{' => {
                if let Some(Ctx::Interp(depth)) = stack.last_mut() {
                    *depth += 1;
                }
                i += 1;
            }
            b'}' => {
                match stack.last_mut() {
                    Some(Ctx::Interp(0)) => {
                        stack.pop();
                    }
                    Some(Ctx::Interp(depth)) => *depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            b'#' | b'/' if b[i] == b'#' || b.get(i + 1) == Some(&b'/') => {
                let body_start = if b[i] == b'#' { i + 1 } else { i + 2 };
                let end = text[i..].find('\n').map_or(text.len(), |p| i + p);
                out.push(Comment {
                    start: i,
                    end,
                    body: text[body_start..end].trim_end_matches('\r').to_string(),
                    trailing: trailing(i),
                });
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (body_end, end) = match text[i + 2..].find("*/") {
                    Some(p) => (i + 2 + p, i + 2 + p + 2),
                    None => (text.len(), text.len()),
                };
                out.push(Comment {
                    start: i,
                    end,
                    body: text[i + 2..body_end].to_string(),
                    trailing: trailing(i),
                });
                i = end;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => i = skip_heredoc(text, i),
            _ => i += 1,
        }
    }
    out
}

/// At `<<` in code: past the heredoc when one starts here, else past the `<<`.
fn skip_heredoc(text: &str, at: usize) -> usize {
    let rest = &text[at + 2..];
    let rest_start = at + 2 + usize::from(rest.starts_with('-'));
    let rest = &text[rest_start..];
    let ident_len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    let ident = &rest[..ident_len];
    let after = &rest[ident_len..];
    let line_end = after.find('\n');
    let starts_ok = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let (true, Some(nl)) = (starts_ok, line_end) else {
        return at + 2;
    };
    if !after[..nl].trim().is_empty() {
        return at + 2;
    }
    let mut pos = rest_start + ident_len + nl + 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |p| pos + p);
        if text[pos..end].trim() == ident {
            return end;
        }
        pos = end + 1;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_skip_strings_interpolations_and_heredocs() {
        let text = r#"a = "x # not a comment ${ "y" } // nor this" # one
b = <<EOT
# not a comment
EOT
/* two
 */ c = 1 // three
d = "${ {a = 1} }" # four
"#;
        let bodies: Vec<String> = scan_comments(text)
            .into_iter()
            .map(|c| c.body.trim().to_string())
            .collect();
        assert_eq!(bodies, ["one", "two", "three", "four"]);
    }
}
