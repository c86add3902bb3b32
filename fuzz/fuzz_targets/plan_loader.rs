//! Bytes as a `terraform show -json` plan: load, check, render.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(plan) = guard::load::plan::load_plan("fuzz.json", data) {
        let loaded = guard::load::Loaded {
            models: vec![plan.model],
            secrets: plan.secrets,
            ..Default::default()
        };
        common::check_and_render(loaded);
    }
});
