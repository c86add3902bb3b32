//! `scripts/new-policy` writes a policy, its registry line and its fixtures. Run here against a
//! copy of the files it edits (the template itself is compiled by `guard-policies`' tests).

use std::path::Path;
use std::process::Command;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(
        Path::new("policies/src/lib.rs"),
        &dir.path().join("policies/src/lib.rs"),
    );
    for entry in std::fs::read_dir("policies/src/compute").unwrap() {
        let path = entry.unwrap().path();
        copy(
            &path,
            &dir.path()
                .join("policies/src/compute")
                .join(path.file_name().unwrap()),
        );
    }
    dir
}

fn new_policy(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new("bash")
        .arg("scripts/new-policy")
        .args(args)
        .env("GUARD_ROOT", root)
        .output()
        .unwrap()
}

#[test]
fn it_writes_the_policy_the_registry_line_and_the_fixtures() {
    let dir = scratch();
    let root = dir.path();
    let out = new_policy(root, &["compute", "imds-hop-limit"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let policy =
        std::fs::read_to_string(root.join("policies/src/compute/imds_hop_limit.rs")).unwrap();
    // The family's next code, the names substituted everywhere.
    assert!(policy.contains("pub static IMDS_HOP_LIMIT = {"), "{policy}");
    assert!(policy.contains("code: \"CMP002\","), "{policy}");
    assert!(policy.contains("name: \"imds-hop-limit\","), "{policy}");
    assert!(!policy.contains("XXX999") && !policy.contains("TEMPLATE"));

    let module = std::fs::read_to_string(root.join("policies/src/compute/mod.rs")).unwrap();
    assert!(module.ends_with("pub mod imds_hop_limit;\n"), "{module}");

    let lib = std::fs::read_to_string(root.join("policies/src/lib.rs")).unwrap();
    let lines: Vec<&str> = lib.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == "&compute::imds_hop_limit::IMDS_HOP_LIMIT,")
        .expect("registered");
    assert_eq!(
        lines[at - 1].trim(),
        "&compute::instance_metadata_v1::INSTANCE_METADATA_V1,"
    );

    for side in ["bad", "good"] {
        let fixture = root.join(format!("testdata/policies/imds-hop-limit/{side}/main.tf"));
        assert!(fixture.is_file(), "{}", fixture.display());
    }
}

#[test]
fn it_refuses_bad_names_taken_codes_and_unknown_families() {
    let dir = scratch();
    for args in [
        &["compute", "Bad_Name"][..],
        &["compute", "imds-hop-limit", "CMP001"],
        &["compute", "instance-metadata-v1"],
        &["no-such-family", "x"],
        &["compute", "x", "net6"],
    ] {
        let out = new_policy(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("new-policy: "),
            "{args:?}"
        );
    }
    // Nothing was written.
    assert!(!dir.path().join("testdata").exists());
    let module = std::fs::read_to_string(dir.path().join("policies/src/compute/mod.rs")).unwrap();
    assert_eq!(
        module,
        std::fs::read_to_string("policies/src/compute/mod.rs").unwrap()
    );
}
