//! Source text kept for rendering: byte offsets become line and column only when printed.

use guard_policies::{Finding, Origin};
use std::collections::HashMap;
use std::sync::Arc;

/// The text of every source file read, by the path used in origins. `Debug` names the files,
/// never their text (it holds the secrets written in them).
#[derive(Default, Clone)]
pub struct SourceMap {
    files: HashMap<Arc<str>, SourceFile>,
    /// Files a Terragrunt `generate` block writes (not in the repository), with that block.
    written_by: HashMap<Arc<str>, Origin>,
}

impl std::fmt::Debug for SourceMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|(path, file)| (path, file.text.len())))
            .finish()
    }
}

#[derive(Clone)]
pub struct SourceFile {
    pub text: Arc<str>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(text: Arc<str>) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { text, line_starts }
    }

    /// The byte range of 1-based line `line`, without its line break.
    pub fn line_range(&self, line: usize) -> Option<(usize, usize)> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if self.text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Some((start, end.max(start)))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line, column)
    }
}

impl SourceMap {
    pub fn insert(&mut self, path: Arc<str>, text: Arc<str>) {
        self.files.insert(path, SourceFile::new(text));
    }
    pub fn get(&self, path: &str) -> Option<&SourceFile> {
        self.files.get(path)
    }
    pub fn line_col(&self, path: &str, offset: usize) -> Option<(usize, usize)> {
        self.get(path).map(|f| f.line_col(offset))
    }
    pub fn extend(&mut self, other: SourceMap) {
        self.files.extend(other.files);
        self.written_by.extend(other.written_by);
    }
    /// A file that exists only once Terragrunt runs: `generate` is the block that writes it.
    pub fn insert_generated(&mut self, path: Arc<str>, text: Arc<str>, generate: Origin) {
        self.insert(path.clone(), text);
        self.written_by.insert(path, generate);
    }
    /// Moves a finding placed in a generated file, which a reader cannot open, to the
    /// `generate` block that writes it, naming the file in the message.
    pub fn anchor_generated(&self, f: &mut Finding) {
        let mut moved = false;
        if let Some(generated) = f.location.as_ref().map(|l| l.file) {
            if let Some(generate) = self.written_by.get(generated.as_str()) {
                let name = generated.rsplit('/').next().unwrap_or(&generated);
                f.message = format!(
                    "{} (in `{name}`, which this `generate` block writes)",
                    f.message
                );
                f.location = Some(generate.clone());
                moved = true;
            }
        }
        for o in f.related.iter_mut().chain(f.module_calls.iter_mut()) {
            if let Some(generate) = self.written_by.get(o.file.as_str()) {
                *o = generate.clone();
                moved = true;
            }
        }
        if !moved {
            return;
        }
        let location = f.location.clone();
        let mut seen = Vec::new();
        f.related.retain(|o| {
            let keep = Some(o) != location.as_ref() && !seen.contains(o);
            seen.push(o.clone());
            keep
        });
    }
    /// Moves an evaluation warning or error about a generated file to the `generate` block that
    /// writes it, as [`SourceMap::anchor_generated`] does for findings: the reader can open that.
    pub fn anchor_generated_error(&self, e: &mut crate::error::InputError) {
        let Some(generate) = self.written_by.get(e.file.as_str()) else {
            return;
        };
        let name = e.file.rsplit('/').next().unwrap_or(&e.file).to_string();
        let (line, column) = self
            .line_col(&generate.file, generate.start as usize)
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        e.message = format!(
            "{} (in `{name}`, which this `generate` block writes)",
            e.message
        );
        e.file = generate.file.to_string();
        e.line = line;
        e.column = column;
        // The line drawn under the error was the generated file's, not the block's.
        e.source = None;
    }

    /// Every file, in path order (deterministic).
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &SourceFile)> {
        let mut files: Vec<_> = self.files.iter().collect();
        files.sort_by(|a, b| a.0.cmp(b.0));
        files.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_one_based_lines_and_columns() {
        let f = SourceFile::new(Arc::from("ab\ncdé\nx"));
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.line_col(8), (3, 1));
    }
}
