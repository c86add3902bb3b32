//! The same input gives byte-identical output across runs and thread counts, in every format.

use std::process::Command;

const FORMATS: [&str; 6] = ["human", "json", "sarif", "markdown", "github", "compact"];

/// Plans, Terraform modules, and a file with an error, read together.
fn inputs(dir: &std::path::Path) -> Vec<String> {
    std::fs::write(
        dir.join("broken.json"),
        "{\"format_version\": \"1.2\",\n  \"resource_changes\": [",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("broken-tf")).unwrap();
    std::fs::write(
        dir.join("broken-tf/main.tf"),
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n",
    )
    .unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let mut paths = vec![
        format!("{root}/testdata/plans/incident/plan.json"),
        format!("{root}/testdata/plans/terraform-data/plan.json"),
        format!("{root}/testdata/plans/terraform-data"),
        format!("{root}/testdata/suppress"),
        "broken.json".to_string(),
        "broken-tf".to_string(),
    ];
    paths.retain(|p| std::path::Path::new(p).exists() || dir.join(p).exists());
    paths
}

fn run(
    dir: &std::path::Path,
    threads: &str,
    format: &str,
    paths: &[String],
) -> (Option<i32>, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_TOKEN")
        .env_remove("NO_COLOR")
        .args(["--format", format, "--color", "always"])
        .args(paths)
        .output()
        .expect("the guard binary runs");
    assert_ne!(
        out.status.code(),
        Some(101),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut bytes = out.stdout;
    bytes.extend_from_slice(b"\n--- stderr ---\n");
    bytes.extend_from_slice(&out.stderr);
    (out.status.code(), bytes)
}

#[test]
fn output_is_identical_across_thread_counts_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let paths = inputs(dir.path());
    for format in FORMATS {
        let one = run(dir.path(), "1", format, &paths);
        let two = run(dir.path(), "2", format, &paths);
        let again = run(dir.path(), "2", format, &paths);
        assert!(one.1.len() > 200, "{format}: too little output to compare");
        assert_eq!(one.0, two.0, "{format}: exit codes differ");
        assert!(
            one.1 == two.1,
            "{format}: output differs between 1 and 2 threads:\n{}\n=====\n{}",
            String::from_utf8_lossy(&one.1),
            String::from_utf8_lossy(&two.1)
        );
        assert_eq!(two.1, again.1, "{format}: output differs between runs");
    }
}
