//! Replays every input in `testdata/fuzz-regressions/` (crashes and other interesting inputs the
//! fuzz targets in `fuzz/` found) through the same pipeline as the fuzz target: load, check,
//! render every format. None may panic, not even a panic that guard catches and reports as an
//! internal error.

use guard::load::Loaded;
use guard::report::{render, Format, RenderOptions};
use std::path::{Path, PathBuf};

const FORMATS: [Format; 6] = [
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Markdown,
    Format::Github,
    Format::Compact,
];

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/fuzz-regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn check_and_render(loaded: Loaded, input: &Path) {
    let report =
        guard::report::Report::build(guard::check(loaded, &guard::Options::default()).untriaged());
    for e in &report.errors {
        assert!(
            !e.message.contains("internal error"),
            "{}: {e}",
            input.display()
        );
    }
    for format in FORMATS {
        let _ = render(&report, format, RenderOptions { color: true });
    }
}

#[test]
fn plan_loader_regressions() {
    let files = inputs("plan_loader");
    assert!(!files.is_empty(), "no plan_loader regressions found");
    for input in files {
        let bytes = std::fs::read(&input).unwrap();
        let result = std::panic::catch_unwind(|| guard::load::plan::load_plan("fuzz.json", &bytes));
        let Ok(result) = result else {
            panic!("{}: load_plan panicked", input.display());
        };
        if let Ok(plan) = result {
            let loaded = Loaded {
                models: vec![plan.model],
                secrets: plan.secrets,
                ..Default::default()
            };
            check_and_render(loaded, &input);
        }
    }
}

#[test]
fn hcl_loader_regressions() {
    let files = inputs("hcl_loader");
    assert!(!files.is_empty(), "no hcl_loader regressions found");
    for input in files {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(&input, dir.path().join("main.tf")).unwrap();
        let loaded = guard::load::hcl::load(&[dir.path().to_path_buf()], &Default::default());
        check_and_render(loaded, &input);
    }
}
