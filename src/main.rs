//! The `guard` binary: everything is in the library ([`guard::cli`]).

fn main() -> std::process::ExitCode {
    guard::cli::main()
}
