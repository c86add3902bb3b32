//! Loads Terraform/Terragrunt directories with guard's HCL loader and reports what failed.
//!
//! `cargo run --release --example load_corpus -- DIR... [--each] [--diag]`
//!
//! `--each` loads every immediate subdirectory separately (one line per repository); `--diag`
//! prints evaluation diagnostics (expressions that became unknown) as well as errors.

// A command-line tool: printing is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use guard::load::hcl::{load_with_diagnostics, HclOptions};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let each = args.iter().any(|a| a == "--each");
    let show_diag = args.iter().any(|a| a == "--diag");
    let mut dirs: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if each {
        let mut subs = Vec::new();
        for d in &dirs {
            if let Ok(rd) = std::fs::read_dir(d) {
                for e in rd.flatten() {
                    if e.path().is_dir() {
                        subs.push(e.path());
                    }
                }
            }
        }
        subs.sort();
        dirs = subs;
    }
    let opts = HclOptions::default();
    let (mut models, mut resources, mut errors, mut diags) = (0usize, 0usize, 0usize, 0usize);
    let mut warnings = 0usize;
    let start = Instant::now();
    for d in &dirs {
        let t = Instant::now();
        let (loaded, diag) = load_with_diagnostics(std::slice::from_ref(d), &opts);
        let r: usize = loaded.models.iter().map(|m| m.resources().len()).sum();
        println!(
            "{}: {} models, {} resources, {} errors, {} warnings, {} diagnostics, {:.2}s",
            d.display(),
            loaded.models.len(),
            r,
            loaded.errors.len(),
            loaded.warnings.len(),
            diag.messages.len(),
            t.elapsed().as_secs_f64()
        );
        for e in &loaded.errors {
            println!("  error: {e}");
        }
        if show_diag {
            for w in &loaded.warnings {
                println!("  warning: {w}");
            }
            for m in &diag.messages {
                println!("  diag: {m}");
            }
        }
        models += loaded.models.len();
        resources += r;
        errors += loaded.errors.len();
        warnings += loaded.warnings.len();
        diags += diag.messages.len();
    }
    println!(
        "total: {models} models, {resources} resources, {errors} errors, {warnings} warnings, {diags} diagnostics in {:.2}s",
        start.elapsed().as_secs_f64()
    );
}
