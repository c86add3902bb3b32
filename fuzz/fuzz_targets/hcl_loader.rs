//! Bytes as `main.tf` in a module directory: load and evaluate, check, render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

#[path = "common.rs"]
mod common;

/// One directory for the whole run; `main.tf` is rewritten for every input.
fn module_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        // Kept for the life of the process.
        dir.keep()
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = module_dir();
    std::fs::write(dir.join("main.tf"), data).expect("write main.tf");
    let loaded = guard::load::hcl::load(std::slice::from_ref(dir), &Default::default());
    common::check_and_render(loaded);
});
