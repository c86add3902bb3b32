//! `policies/docs/` must match what the policies' doc comments generate.
//!
//! Run `UPDATE_DOCS=1 cargo test --test it policy_docs` after changing a policy's documentation.

use std::path::Path;

#[test]
fn generated_policy_docs_are_fresh() {
    let dir = Path::new("policies/docs");
    let files = guard_policies::docs::render_all();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(dir).expect("create policies/docs");
        for entry in std::fs::read_dir(dir).expect("read policies/docs") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "md") {
                std::fs::remove_file(&path).expect("remove stale page");
            }
        }
        for (name, content) in &files {
            std::fs::write(dir.join(name), content).expect("write page");
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, content) in &files {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if on_disk == *content => {}
            Ok(_) => stale.push(format!("{name} differs")),
            Err(_) => stale.push(format!("{name} is missing")),
        }
    }
    let expected: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.ends_with(".md") && !expected.contains(&name.as_str()) {
                stale.push(format!("{name} belongs to no policy"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "policies/docs is stale ({}); run `UPDATE_DOCS=1 cargo test --test it policy_docs`",
        stale.join(", ")
    );
}
