//! The raw-parse baseline of issue 9, and a per-phase timing of guard's own pipeline.
//!
//! ```text
//! cargo run --release --example parse_baseline -- plan FILE     # serde_json typed + RawValue
//! cargo run --release --example parse_baseline -- hcl DIR       # hcl-edit parse_body per file
//! cargo run --release --example parse_baseline -- phases PATH   # guard's phases, one by one
//! ```
//!
//! `plan` and `hcl` read the same bytes guard reads and only parse them: nothing is evaluated,
//! checked or rendered. Both print one line `baseline <secs> <bytes> <MB/s>` (with rayon over the
//! files for `hcl`, as guard does), preceded by details on stderr.

// A command-line tool: printing is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use rayon::prelude::*;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = PathBuf::from(args.get(1).map(String::as_str).unwrap_or("."));
    match args.first().map(String::as_str) {
        Some("plan") => plan(&path),
        Some("hcl") => hcl(&path),
        Some("phases") => phases(&path),
        _ => {
            eprintln!("usage: parse_baseline plan FILE | hcl DIR | phases PATH");
            std::process::exit(2);
        }
    }
}

/// The same skeleton guard's plan loader reads: change values stay borrowed raw JSON.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Plan<'a> {
    format_version: Option<String>,
    #[serde(borrow, default)]
    resource_changes: Vec<ResourceChange<'a>>,
    #[serde(borrow, default)]
    resource_drift: Vec<ResourceChange<'a>>,
    planned_values: Option<IgnoredAny>,
    prior_state: Option<IgnoredAny>,
    configuration: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ResourceChange<'a> {
    address: Option<String>,
    #[serde(rename = "type")]
    resource_type: String,
    name: String,
    #[serde(borrow)]
    change: Change<'a>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Change<'a> {
    actions: Vec<String>,
    #[serde(borrow)]
    before: Option<&'a RawValue>,
    #[serde(borrow)]
    after: Option<&'a RawValue>,
    #[serde(borrow)]
    after_unknown: Option<&'a RawValue>,
    #[serde(borrow)]
    before_sensitive: Option<&'a RawValue>,
    #[serde(borrow)]
    after_sensitive: Option<&'a RawValue>,
}

fn plan(path: &Path) {
    let start = Instant::now();
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("error: cannot read {}", path.display());
        std::process::exit(2);
    };
    let read = start.elapsed();
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    de.disable_recursion_limit();
    let plan = match Plan::deserialize(&mut de) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!(
                "error: {}:{}:{}: not a plan this baseline reads",
                path.display(),
                e.line(),
                e.column()
            );
            std::process::exit(2);
        }
    };
    let total = start.elapsed();
    eprintln!(
        "plan: {} resource changes, read {:.3}s, parse {:.3}s",
        plan.resource_changes.len(),
        read.as_secs_f64(),
        (total - read).as_secs_f64()
    );
    baseline(total.as_secs_f64(), bytes.len() as u64);
}

fn baseline(secs: f64, bytes: u64) {
    println!(
        "baseline {secs:.4} {bytes} {:.1}",
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
}

/// Every file guard would parse as HCL native syntax under `dir` (`.tf`, `.tfvars`, `.hcl`).
fn hcl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if p.is_dir() {
                if name != ".terraform" && name != ".terragrunt-cache" && name != ".git" {
                    stack.push(p);
                }
            } else if name.ends_with(".tf") || name.ends_with(".tfvars") || name.ends_with(".hcl") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn parse_one(path: &Path) -> usize {
    // Unreadable or non-UTF-8 files count as not parsed, as in guard.
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => {
            std::hint::black_box(&body);
            text.len()
        }
        Err(_) => {
            eprintln!("warning: {}: not parsed by hcl-edit", path.display());
            0
        }
    }
}

fn hcl(dir: &Path) {
    let start = Instant::now();
    let files = hcl_files(dir);
    let walk = start.elapsed();
    let t1 = Instant::now();
    let bytes_serial: usize = files.iter().map(|p| parse_one(p)).sum();
    let serial = t1.elapsed();
    let t2 = Instant::now();
    let bytes: usize = files.par_iter().map(|p| parse_one(p)).sum();
    let parallel = t2.elapsed();
    assert_eq!(bytes, bytes_serial);
    eprintln!(
        "hcl: {} files, {} bytes, walk {:.3}s, 1 thread {:.3}s ({:.1} MB/s), rayon {} threads {:.3}s ({:.1} MB/s)",
        files.len(),
        bytes,
        walk.as_secs_f64(),
        serial.as_secs_f64(),
        bytes as f64 / 1e6 / serial.as_secs_f64(),
        rayon::current_num_threads(),
        parallel.as_secs_f64(),
        bytes as f64 / 1e6 / parallel.as_secs_f64(),
    );
    baseline((walk + parallel).as_secs_f64(), bytes as u64);
}

/// guard's pipeline phase by phase (the same calls `guard::run` and `render` make), to see
/// where the time goes without a profiler.
fn phases(path: &Path) {
    let options = guard::Options::default();
    let paths = vec![path.to_path_buf()];
    let mut last = Instant::now();
    let mut lap = |what: &str| {
        let now = Instant::now();
        eprintln!("{what:<28} {:>8.3}s", (now - last).as_secs_f64());
        last = now;
    };
    let loaded = guard::load_inputs(&paths, &options);
    lap("load");
    let policies = guard::selected_policies(&options);
    let engine = guard::engine::Engine::new(&policies, &options.settings);
    let findings: usize = loaded
        .models
        .par_iter()
        .map(|m| engine.check(m).len())
        .sum();
    lap(&format!("engine ({findings} findings)"));
    let mut loaded = loaded;
    let mut secrets = loaded.secrets.clone();
    for model in &mut loaded.models {
        secrets.extend(guard_policies::classify(model).strings);
    }
    lap(&format!("classify ({})", secrets.len()));
    for model in loaded.models.iter().filter(|m| m.plan().is_some()) {
        std::hint::black_box(guard::summary::summarize(
            model,
            &options.settings.privileged,
        ));
    }
    lap("summaries");
    let tripwire = guard::redact::Tripwire::new(secrets);
    lap("tripwire build");
    drop(tripwire);
    let checked = guard::check(loaded, &options);
    lap("check (all of the above)");
    let messages: Vec<&str> = checked
        .findings
        .iter()
        .map(|f| f.finding.message.as_str())
        .collect();
    let fired = messages
        .iter()
        .filter(|m| checked.tripwire.fires(m))
        .count();
    lap(&format!(
        "tripwire scan ({} messages, {} bytes, {fired} fired)",
        messages.len(),
        messages.iter().map(|m| m.len()).sum::<usize>()
    ));
    drop(messages);
    let report = guard::report::Report::build(checked.untriaged());
    lap("build the report (places, snippets, tripwire)");
    let mut json = Vec::new();
    guard::report::json::write(&report, &mut json).expect("writing to a Vec");
    lap(&format!("render json ({} bytes)", json.len()));
    let human = guard::report::human::render(&report, false);
    lap(&format!("render human ({} bytes)", human.len()));
    let markdown = guard::report::markdown::render(&report);
    lap(&format!("render markdown ({} bytes)", markdown.len()));
    drop(report);
    lap("drop");
}
