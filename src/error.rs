//! Errors about inputs: a file that cannot be read or understood.
//!
//! An input error never stops the run: it is collected, reported with the file (and the line when
//! known), and turns the exit code into 2 at the end. Messages never quote file content.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct InputError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The line it points at, masked, for a diagnostic (the human report draws it).
    #[serde(skip)]
    pub source: Option<Box<ErrorSource>>,
}

/// What a file holds, for masking a line of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Terraform or Terragrunt source: string literals are masked.
    Hcl,
    /// A variables file (`.tfvars`): every value is masked, quoted or not.
    Tfvars,
    /// JSON (a plan, `.tf.json`): every string that is not an object key, and every number,
    /// is masked.
    Json,
    /// `guard.toml`: string literals are masked too (a value pasted by mistake is not echoed).
    Toml,
}

/// The line an input error points at, ready to draw: its literal values are already masked, so
/// a snippet never shows a secret even when the file could not be parsed (and so its sensitive
/// values were never classified).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ErrorSource {
    /// 1-based line number.
    pub line: usize,
    /// The line, masked, and cut to a window around the column when it is long.
    pub text: String,
    /// 0-based character offset of the error in `text`.
    pub offset: usize,
    /// What to do about it.
    pub help: &'static str,
}

/// Longest stretch of a line shown on each side of the error, in characters.
const WINDOW: usize = 60;

/// The mask character: one per hidden character, so the label stays under its column.
const MASK: char = '*';

/// `line` with what could be a value hidden (see [`SourceKind`]).
pub fn mask_line(line: &str, kind: SourceKind) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    // In a `.tfvars` file, everything after the first `=` is a value.
    let value_from = if kind == SourceKind::Tfvars {
        chars.iter().position(|c| *c == '=').map(|p| p + 1)
    } else {
        None
    };
    while i < chars.len() {
        let c = chars[i];
        if value_from.is_some_and(|v| i >= v) {
            out.push(if c.is_whitespace() { c } else { MASK });
            i += 1;
            continue;
        }
        if c == '"' {
            // A string, to its closing quote or the end of the line (an unterminated one).
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            let end = j.min(chars.len());
            let is_key = kind == SourceKind::Json
                && chars[(end + 1).min(chars.len())..]
                    .iter()
                    .find(|c| !c.is_whitespace())
                    == Some(&':');
            out.push('"');
            for &inner in &chars[i + 1..end] {
                out.push(if is_key { inner } else { MASK });
            }
            if end < chars.len() {
                out.push('"');
            }
            i = end + 1;
            continue;
        }
        if kind == SourceKind::Json && (c.is_ascii_digit() || c == '-') {
            out.push(MASK);
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

impl ErrorSource {
    /// The masked line `line` (1-based) of `text`, pointing at 1-based `column`; `None` when
    /// the file has no such line.
    pub fn at(
        text: &str,
        line: usize,
        column: usize,
        kind: SourceKind,
        help: &'static str,
    ) -> Option<ErrorSource> {
        let raw = text.split('\n').nth(line.checked_sub(1)?)?;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let masked: Vec<char> = mask_line(raw, kind).chars().collect();
        let offset = column.saturating_sub(1).min(masked.len());
        let start = offset.saturating_sub(WINDOW);
        let end = (offset + WINDOW).min(masked.len());
        let mut shown: String = masked[start..end].iter().collect();
        let mut offset = offset - start;
        if start > 0 {
            shown.insert(0, '…');
            offset += 1;
        }
        if end < masked.len() {
            shown.push('…');
        }
        Some(ErrorSource {
            line,
            text: shown,
            offset,
            help,
        })
    }
}

impl InputError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            source: None,
        }
    }
    /// Attaches the masked line of `text` the error points at (it needs a line).
    pub fn with_source(mut self, text: &str, kind: SourceKind, help: &'static str) -> Self {
        if let Some(line) = self.line {
            self.source =
                ErrorSource::at(text, line, self.column.unwrap_or(1), kind, help).map(Box::new);
        }
        self
    }
    /// Adds a 1-based line and column; zeros (unknown) are dropped.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = (line > 0).then_some(line);
        self.column = (column > 0).then_some(column);
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_masked_and_json_keys_kept() {
        assert_eq!(
            mask_line(r#"  password = "hunter2\"x" # "c"#, SourceKind::Hcl),
            r#"  password = "**********" # "*"#
        );
        assert_eq!(
            mask_line(r#"a = "unterminated secret"#, SourceKind::Hcl),
            r#"a = "*******************"#
        );
        assert_eq!(
            mask_line(r#"{"token": "abc", "n": 12, "ok": true}"#, SourceKind::Json),
            r#"{"token": "***", "n": **, "ok": true}"#
        );
        assert_eq!(
            mask_line("db_password = hunter2 x", SourceKind::Tfvars),
            "db_password = ******* *"
        );
        assert_eq!(
            mask_line(r#"fail-on = "x" # "c""#, SourceKind::Toml),
            r#"fail-on = "*" # "*""#
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(100), "b".repeat(100));
        let s =
            ErrorSource::at(&line, 1, 101, SourceKind::Toml, "").unwrap_or_else(|| unreachable!());
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert_eq!(s.text.chars().nth(s.offset), Some('X'));
        assert_eq!(
            ErrorSource::at("one\ntwo", 3, 1, SourceKind::Toml, ""),
            None
        );
    }
}
