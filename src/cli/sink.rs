//! Where the command's text goes: the only place in the library that writes to stdout or stderr.

use std::io::Write;

/// Writes `text` to stdout as is.
pub fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`guard ... | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes `text` to stderr as is (callers end it with a newline).
pub fn print_err(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}
