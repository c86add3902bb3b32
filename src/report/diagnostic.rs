//! Input errors drawn as diagnostics (miette's graphical renderer, as rustc draws them): the
//! masked source line, a label under the column and a help line. Findings keep guard's own
//! renderer ([`super::human`]); both print `path:line:col` the same way.

use crate::error::InputError;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

/// One source line with its file name and line number: all guard keeps of a file with an error.
struct OneLine {
    name: String,
    text: String,
    /// 1-based.
    line: usize,
    /// 1-based, in the file (the text may be a window of the line).
    column: usize,
}

impl SourceCode for OneLine {
    /// The whole line for drawing (asked with context lines); the label's place in the file for
    /// the header (asked without).
    fn read_span<'a>(
        &'a self,
        _span: &SourceSpan,
        context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let column = if context_lines_before == 0 {
            self.column.saturating_sub(1)
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            self.line.saturating_sub(1),
            column,
            1,
        )))
    }
}

struct InputDiagnostic<'a> {
    message: &'a str,
    source: OneLine,
    span: (usize, usize),
    help: &'static str,
}

impl fmt::Debug for InputDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl fmt::Display for InputDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for InputDiagnostic<'_> {}

impl Diagnostic for InputDiagnostic<'_> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".to_string()),
            self.span.0,
            self.span.1,
        ))))
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.help.is_empty()).then(|| Box::new(self.help) as Box<dyn fmt::Display>)
    }
}

/// The snippet under an input error, or nothing when it has no source line. A line holding a
/// known secret was dropped when the report was built ([`super::Report::build`]): it is not
/// drawn at all.
pub fn snippet(e: &InputError) -> String {
    let Some(source) = &e.source else {
        return String::new();
    };
    let offset = source
        .text
        .char_indices()
        .nth(source.offset)
        .map_or(source.text.len(), |(i, _)| i);
    let len = source.text[offset..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    let diagnostic = InputDiagnostic {
        message: &e.message,
        source: OneLine {
            name: e.file.clone(),
            text: source.text.clone(),
            line: source.line,
            column: e.column.unwrap_or(1),
        },
        span: (offset, len),
        help: source.help,
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_context_lines(1)
        .with_width(100)
        .with_links(false);
    if handler.render_report(&mut out, &diagnostic).is_err() {
        return String::new();
    }
    // The first line repeats the message guard has just printed with its place.
    let body: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.trim_start().starts_with('╭'))
        .collect();
    let mut body = body.join("\n");
    if !body.is_empty() {
        body.push('\n');
    }
    body
}
