//! Where the command's text goes: the only place in the library that writes to stdout or stderr.
//! Reports are streamed: a renderer writes into a `BufWriter` over stdout or the output file.

use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes `text` to stdout as is.
pub fn print_out(text: &str) {
    let mut stdout = io::stdout().lock();
    // A closed pipe (`guard ... | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes `text` to stderr as is (callers end it with a newline).
pub fn print_err(text: &str) {
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

/// Runs `render` on a buffered writer over `path` (created or truncated), or stdout without one.
/// With `escape_commands`, a line that the Actions runner would read as a workflow command is
/// escaped on its way out ([`crate::github::escape_command_lines`]).
pub fn write_to(
    path: Option<&Path>,
    escape_commands: bool,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let target: Box<dyn Write> = match path {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(io::stdout().lock()),
    };
    let mut buffered = BufWriter::with_capacity(64 * 1024, target);
    if escape_commands {
        let mut escaping = EscapeCommands {
            inner: &mut buffered,
            line: Vec::new(),
        };
        render(&mut escaping)?;
        escaping.finish()?;
    } else {
        render(&mut buffered)?;
    }
    buffered.flush()
}

/// A writer that escapes workflow-command lines, a whole line at a time.
struct EscapeCommands<'w> {
    inner: &'w mut dyn Write,
    /// The line written so far, up to its line break.
    line: Vec<u8>,
}

impl EscapeCommands<'_> {
    fn emit_line(&mut self) -> io::Result<()> {
        let line = String::from_utf8_lossy(&self.line);
        let escaped = crate::github::escape_command_lines(&line);
        self.inner.write_all(escaped.as_bytes())?;
        self.line.clear();
        Ok(())
    }
    /// Writes out the last line when it has no line break.
    fn finish(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            self.emit_line()?;
        }
        Ok(())
    }
}

impl Write for EscapeCommands<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            self.line.extend_from_slice(&rest[..=end]);
            self.emit_line()?;
            rest = &rest[end + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_command_lines_across_writes() {
        let mut out = Vec::new();
        {
            let mut w = EscapeCommands {
                inner: &mut out,
                line: Vec::new(),
            };
            w.write_all(b"ok\n  :").unwrap();
            w.write_all(b":error::x\n::warning").unwrap();
            w.finish().unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ok\n  %3A%3Aerror::x\n%3A%3Awarning"
        );
    }
}
