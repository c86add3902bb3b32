//! `guard hook FILE...` on testdata/hook/repo with the real loader: files map to whole
//! directories, output is compact, and only blocking findings fail.

use guard::config::ConfigArgs;
use guard::hook;
use std::path::PathBuf;

fn run(files: &[&str]) -> (String, u8) {
    let files: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
    hook::check(&files, &ConfigArgs::default()).unwrap()
}

#[test]
fn a_staged_file_is_checked_with_its_whole_directory() {
    // main.tf is staged; the value comes from variables.tf, where the finding points.
    let (out, code) = run(&["testdata/hook/repo/app/main.tf"]);
    insta::assert_snapshot!(out, @"testdata/hook/repo/app/variables.tf:3:13: NET001 egress to the whole internet (`0.0.0.0/0`) on all protocols and ports; narrow `cidr_ipv4` to the destinations it needs");
    assert_eq!(code, 1);
}

#[test]
fn suppressed_findings_and_warnings_do_not_fail() {
    let (out, code) = run(&["testdata/hook/repo/net/main.tf"]);
    insta::assert_snapshot!(out, @"testdata/hook/repo/net/main.tf:8:1: GRD001 unused suppression: `NET002` suppressed nothing (warning)");
    assert_eq!(code, 0);
}

#[test]
fn clean_and_unrelated_files_pass_silently() {
    assert_eq!(
        run(&["testdata/hook/repo/clean/main.tf"]),
        (String::new(), 0)
    );
    assert_eq!(
        run(&["README.md", "docs/pre-commit.md"]),
        (String::new(), 0)
    );
    assert_eq!(run(&[]), (String::new(), 0));
}

#[test]
fn several_directories_are_checked_in_one_run() {
    let (out, code) = run(&[
        "testdata/hook/repo/clean/main.tf",
        "testdata/hook/repo/app/variables.tf",
        "testdata/hook/repo/net/main.tf",
    ]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn no_ignore_reports_suppressed_findings() {
    let files = vec![PathBuf::from("testdata/hook/repo/net/main.tf")];
    let args = ConfigArgs {
        no_ignore: true,
        ..ConfigArgs::default()
    };
    let (out, code) = hook::check(&files, &args).unwrap();
    assert!(out.contains("net/main.tf:5:23: NET001"), "{out}");
    assert_eq!(code, 1);
}

#[test]
fn a_config_error_is_an_error() {
    let files = vec![PathBuf::from("testdata/hook/repo/app/main.tf")];
    let args = ConfigArgs {
        config: Some(PathBuf::from("testdata/config/errors/unknown_key.toml")),
        ..ConfigArgs::default()
    };
    let e = hook::check(&files, &args).unwrap_err();
    assert!(e.to_string().contains("unknown key `selct`"), "{e}");
}
