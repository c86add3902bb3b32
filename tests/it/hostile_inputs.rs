//! Hostile inputs, generated in a temporary directory and run through the real binary together
//! with a good plan: no panic, a clear error naming the file (and the line where there is one),
//! exit 2, and the good plan still checked and reported.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Planted in hostile files: an error message must never echo it.
const MARKER: &str = "ZqHostileContent7731Xv";

const GOOD: &str = "good.json";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    json: Value,
}

fn guard(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .current_dir(dir)
        .args(["--format", "json", "--color", "never"])
        .args(args)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_TOKEN")
        .output()
        .expect("the guard binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout,
        stderr,
        json,
    }
}

/// A temporary directory holding the good plan.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("testdata/plans/incident/plan.json", dir.path().join(GOOD)).unwrap();
    dir
}

/// What a hostile input must produce besides "no panic, the good file still checked".
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// An input error naming the file, exit 2.
    Error,
    /// An input error naming the file and a line, exit 2.
    ErrorAtLine,
    /// Not necessarily an error (an ignored field, a deep but valid value): just no crash.
    NoCrash,
}

fn check(dir: &Path, hostile: &str, expect: Expect) {
    let started = Instant::now();
    let run = guard(dir, &[GOOD, hostile]);
    let what = format!(
        "input `{hostile}`: exit {}\nstderr: {}\nstdout: {}",
        run.code,
        run.stderr,
        truncate(&run.stdout)
    );
    assert_ne!(run.code, 101, "panic on {what}");
    assert!(!run.stderr.contains("panicked"), "panic on {what}");
    assert!(matches!(run.code, 0..=2), "unexpected exit on {what}");
    assert!(!run.json.is_null(), "no JSON report on {what}");
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "too slow on {what}"
    );
    // The good plan is still checked.
    let findings = run.json["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["file"] == GOOD && f["code"] == "DEL001"),
        "the good plan's findings are missing on {what}"
    );
    assert!(
        run.json["plans"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["file"] == GOOD),
        "the good plan's summary is missing on {what}"
    );
    // Nothing of the hostile content is echoed.
    assert!(
        !run.stdout.contains(MARKER) && !run.stderr.contains(MARKER),
        "content echoed on {what}"
    );
    let errors = run.json["errors"].as_array().expect("errors");
    let name = Path::new(hostile)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mine: Vec<&Value> = errors
        .iter()
        .filter(|e| {
            e["file"]
                .as_str()
                .is_some_and(|f| f.contains(hostile) || f.ends_with(&name))
        })
        .collect();
    match expect {
        Expect::NoCrash => {}
        Expect::Error | Expect::ErrorAtLine => {
            assert_eq!(run.code, 2, "expected exit 2 on {what}");
            assert!(!mine.is_empty(), "no error naming the file on {what}");
            for e in &mine {
                let message = e["message"].as_str().unwrap_or("");
                assert!(message.len() >= 10, "unclear error {e} on {what}");
            }
            if expect == Expect::ErrorAtLine {
                assert!(mine.iter().any(|e| e["line"].is_u64()), "no line on {what}");
            }
        }
    }
}

fn truncate(s: &str) -> &str {
    &s[..s.char_indices().nth(4000).map_or(s.len(), |(i, _)| i)]
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    name.to_string()
}

/// A valid plan with every field guard reads, as a tree to break field by field.
fn base_plan() -> Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": {"region": {"value": "eu-west-1"}},
        "planned_values": {"root_module": {}},
        "prior_state": {"values": {"root_module": {}}},
        "resource_changes": [{
            "address": "aws_s3_bucket.b",
            "module_address": "module.m",
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": "b",
            "index": 0,
            "action_reason": "replace_because_cannot_update",
            "previous_address": "aws_s3_bucket.a",
            "deposed": "00000001",
            "change": {
                "actions": ["update"],
                "before": {"bucket": "b"},
                "after": {"bucket": "b"},
                "after_unknown": {},
                "before_sensitive": {},
                "after_sensitive": {},
                "replace_paths": [["bucket"]],
                "importing": {"id": "b"}
            }
        }],
        "resource_drift": [{
            "address": "aws_s3_bucket.b",
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": "b",
            "change": {"actions": ["update"], "before": {}, "after": {}, "before_sensitive": {}, "after_sensitive": {}}
        }],
        "output_changes": {"o": {"actions": ["create"], "before": null, "after": "x", "after_unknown": false, "before_sensitive": false, "after_sensitive": false}},
        "configuration": {"root_module": {"variables": {"region": {"sensitive": false}}, "outputs": {"o": {"sensitive": false}}}},
        "checks": [{"address": {"to_display": "check.c"}, "status": "fail", "instances": [{"address": {"to_display": "check.c"}, "status": "fail", "problems": [{"message": "m"}]}]}],
        "deferred_changes": [],
        "errored": false,
        "complete": true
    })
}

fn set(plan: &mut Value, pointer: &str, value: Value) {
    *plan
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer}")) = value;
}

#[test]
fn the_good_plan_alone_is_checked() {
    let dir = workdir();
    let run = guard(dir.path(), &[GOOD]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let base = write(
        dir.path(),
        "base.json",
        serde_json::to_vec(&base_plan()).unwrap(),
    );
    check(dir.path(), &base, Expect::NoCrash);
    let run = guard(dir.path(), &[&base]);
    assert!(
        run.json["errors"].as_array().unwrap().is_empty(),
        "{}",
        run.stdout
    );
}

#[test]
fn broken_json() {
    let dir = workdir();
    let d = dir.path();
    let good = std::fs::read("testdata/plans/incident/plan.json").unwrap();
    let cases: Vec<(String, Expect)> = vec![
        (write(d, "truncated.json", &good[..good.len() / 2]), Expect::ErrorAtLine),
        (
            write(d, "invalid.json", format!("{{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [,\"{MARKER}\"]\n}}")),
            Expect::ErrorAtLine,
        ),
        (write(d, "array.json", format!("[{{\"format_version\": \"1.2\", \"x\": \"{MARKER}\"}}]")), Expect::Error),
        (write(d, "string.json", format!("\"{MARKER}\"")), Expect::Error),
        (write(d, "state.json", format!("{{\"format_version\": \"1.0\", \"values\": {{\"x\": \"{MARKER}\"}}}}")), Expect::Error),
        (write(d, "v2.json", r#"{"format_version": "2.0", "resource_changes": []}"#), Expect::Error),
        (write(d, "v-marker.json", format!(r#"{{"format_version": "{MARKER}", "resource_changes": []}}"#)), Expect::Error),
        (write(d, "no-version.json", r#"{"resource_changes": []}"#), Expect::NoCrash),
        (write(d, "empty.json", ""), Expect::Error),
        (write(d, "blank.json", " \n\r\n\t "), Expect::Error),
        (
            write(d, "invalid-utf8.json", [&b"{\"format_version\": \"1.2\", \"resource_changes\": [], \"terraform_version\": \""[..], b"\xff\xfe", MARKER.as_bytes(), b"\"}"].concat()),
            Expect::ErrorAtLine,
        ),
        // In a field guard skips, invalid UTF-8 is skipped too.
        (
            write(d, "invalid-utf8-skipped.json", [&b"{\"format_version\": \"1.2\", \"resource_changes\": [], \"x\": \""[..], b"\xff\xfe", MARKER.as_bytes(), b"\"}"].concat()),
            Expect::NoCrash,
        ),
        (
            write(d, "invalid-utf8-value.json", plan_with_after(&format!("\"{MARKER}\"")).replace(MARKER, "\u{FFFF}").into_bytes().into_iter().map(|b| if b == 0xBF { 0xFF } else { b }).collect::<Vec<u8>>()),
            Expect::ErrorAtLine,
        ),
        (
            write(d, "nul.json", [&b"{\"format_version\": \"1.2\",\n\0\"resource_changes\": []}"[..]].concat()),
            Expect::ErrorAtLine,
        ),
        (
            write(d, "nul-in-string.json", format!("{{\"format_version\": \"1.2\", \"resource_changes\": [], \"x\": \"{MARKER}\0\"}}")),
            Expect::ErrorAtLine,
        ),
        (write(d, "binary.json", (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect::<Vec<u8>>()), Expect::Error),
        (write(d, "trailing.json", format!("{{\"format_version\": \"1.2\", \"resource_changes\": []}} {MARKER}")), Expect::ErrorAtLine),
        (write(d, "duplicate.json", r#"{"format_version": "1.2", "format_version": "1.2", "resource_changes": []}"#), Expect::ErrorAtLine),
    ];
    for (name, expect) in cases {
        check(d, &name, expect);
    }
}

#[test]
fn encodings_and_line_endings() {
    let dir = workdir();
    let d = dir.path();
    let good = std::fs::read_to_string("testdata/plans/incident/plan.json").unwrap();
    let bom = write(
        d,
        "bom.json",
        [&b"\xEF\xBB\xBF"[..], good.as_bytes()].concat(),
    );
    let crlf = write(d, "crlf.json", good.replace('\n', "\r\n"));
    for name in [bom, crlf] {
        check(d, &name, Expect::NoCrash);
        let run = guard(d, &[&name]);
        assert!(
            run.json["errors"].as_array().unwrap().is_empty(),
            "{name}: {}",
            run.stdout
        );
        assert!(run.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == name.as_str()));
    }
}

#[test]
fn wrong_types_in_every_plan_field() {
    let dir = workdir();
    let d = dir.path();
    let m = json!(MARKER);
    let errors: Vec<(&str, Value)> = vec![
        ("/format_version", json!(1.2)),
        ("/format_version", json!([MARKER])),
        ("/terraform_version", json!({"v": MARKER})),
        ("/resource_changes", json!({"a": MARKER})),
        ("/resource_changes", m.clone()),
        ("/resource_changes/0", m.clone()),
        ("/resource_changes/0/address", json!(7731)),
        ("/resource_changes/0/module_address", json!(true)),
        ("/resource_changes/0/mode", json!([MARKER])),
        ("/resource_changes/0/type", json!(null)),
        ("/resource_changes/0/name", json!({"n": MARKER})),
        ("/resource_changes/0/action_reason", json!(1)),
        ("/resource_changes/0/previous_address", json!([])),
        ("/resource_changes/0/deposed", json!(false)),
        ("/resource_changes/0/change", m.clone()),
        ("/resource_changes/0/change/actions", m.clone()),
        ("/resource_changes/0/change/actions", json!([7731])),
        ("/resource_changes/0/change/actions", json!([MARKER])),
        ("/resource_changes/0/change/replace_paths", m.clone()),
        ("/resource_changes/0/change/replace_paths", json!([MARKER])),
        ("/resource_changes/0/change/importing", m.clone()),
        ("/resource_changes/0/change/importing/id", json!(7731)),
        ("/resource_drift", m.clone()),
        ("/resource_drift/0/change/actions", json!({"a": MARKER})),
        ("/output_changes", json!([MARKER])),
        ("/output_changes/o", m.clone()),
        ("/output_changes/o/actions", json!(1)),
        ("/errored", m.clone()),
        ("/complete", json!(MARKER)),
        ("/checks", json!({"c": MARKER})),
        ("/checks/0/status", json!(1)),
        ("/checks/0/address", m.clone()),
        ("/checks/0/instances", m.clone()),
        ("/checks/0/instances/0/problems", m.clone()),
        ("/checks/0/instances/0/problems/0/message", json!(7731)),
        ("/variables", json!([MARKER])),
        ("/variables/region", m.clone()),
        ("/configuration", m.clone()),
        ("/configuration/root_module", m.clone()),
        ("/configuration/root_module/variables", json!([MARKER])),
        (
            "/configuration/root_module/variables/region/sensitive",
            m.clone(),
        ),
        ("/configuration/root_module/outputs/o/sensitive", json!(1)),
        ("/deferred_changes", json!({"d": MARKER})),
    ];
    // Fields guard does not read as typed (values and masks are decoded by shape; a mask of the
    // wrong shape fails closed): no crash, whatever the outcome.
    let tolerated: Vec<(&str, Value)> = vec![
        ("/planned_values", m.clone()),
        ("/prior_state", json!(7731)),
        ("/resource_changes/0/index", json!({"i": MARKER})),
        ("/resource_changes/0/change/before", m.clone()),
        ("/resource_changes/0/change/after", json!([1, [2, [3]]])),
        ("/resource_changes/0/change/after_unknown", m.clone()),
        ("/resource_changes/0/change/before_sensitive", m.clone()),
        (
            "/resource_changes/0/change/after_sensitive",
            json!([[[true]]]),
        ),
        ("/variables/region/value", json!({"deep": [MARKER]})),
    ];
    let mut names = Vec::new();
    for (i, (pointer, value)) in errors.iter().enumerate() {
        let mut plan = base_plan();
        set(&mut plan, pointer, value.clone());
        // Pretty-printed: the error's line points into the file.
        let name = write(
            d,
            &format!("wrong-{i}.json"),
            serde_json::to_vec_pretty(&plan).unwrap(),
        );
        check(d, &name, Expect::Error);
        names.push((name, *pointer));
    }
    for (i, (pointer, value)) in tolerated.iter().enumerate() {
        let mut plan = base_plan();
        set(&mut plan, pointer, value.clone());
        let name = write(
            d,
            &format!("tolerated-{i}.json"),
            serde_json::to_vec_pretty(&plan).unwrap(),
        );
        check(d, &name, Expect::NoCrash);
    }
    // JSON type errors have a position.
    let all: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
    let run = guard(d, &all);
    for (name, pointer) in &names {
        let e = run.json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["file"] == name.as_str())
            .unwrap_or_else(|| panic!("no error for {pointer}"));
        let message = e["message"].as_str().unwrap();
        if message.starts_with("invalid plan JSON") {
            assert!(e["line"].is_u64(), "{pointer}: {e}");
        }
    }
}

fn nested(depth: usize, leaf: &str) -> String {
    format!("{}{leaf}{}", "[".repeat(depth), "]".repeat(depth))
}

fn plan_with_after(after: &str) -> String {
    format!(
        r#"{{"format_version": "1.2", "resource_changes": [{{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "change": {{"actions": ["create"], "before": null, "after": {{"bucket": "b", "v": {after}}}, "after_unknown": {{}}, "before_sensitive": false, "after_sensitive": {{}}}}}}]}}"#
    )
}

#[test]
fn deep_nesting() {
    let dir = workdir();
    let d = dir.path();
    // 100 levels is a legitimate (if odd) value.
    let deep = write(d, "deep-100.json", plan_with_after(&nested(100, "\"x\"")));
    check(d, &deep, Expect::NoCrash);
    let run = guard(d, &[&deep]);
    assert!(
        run.json["errors"].as_array().unwrap().is_empty(),
        "{}",
        run.stdout
    );
    // Far deeper: must not overflow the stack; either read or refused with a clear error.
    for depth in [10_000, 1_000_000] {
        let name = write(
            d,
            &format!("deep-{depth}.json"),
            plan_with_after(&nested(depth, "1")),
        );
        check(d, &name, Expect::NoCrash);
        let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        let name = write(
            d,
            &format!("deep-obj-{depth}.json"),
            plan_with_after(&objects),
        );
        check(d, &name, Expect::NoCrash);
        let mask = write(
            d,
            &format!("deep-mask-{depth}.json"),
            plan_with_after("1").replace(
                "\"after_sensitive\": {}",
                &format!("\"after_sensitive\": {}", nested(depth, "true")),
            ),
        );
        check(d, &mask, Expect::NoCrash);
        let unterminated = write(
            d,
            &format!("deep-open-{depth}.json"),
            format!("{{\"resource_changes\": {}", "[".repeat(depth)),
        );
        check(d, &unterminated, Expect::ErrorAtLine);
    }
}

#[test]
fn a_50_mb_single_line_string() {
    let dir = workdir();
    let d = dir.path();
    let big = "a".repeat(50 << 20);
    // 50 MB on one line, in a variable's value (parsed, never decoded).
    let mut plan = base_plan();
    set(&mut plan, "/variables/region/value", json!(big));
    let name = write(d, "big.json", serde_json::to_vec(&plan).unwrap());
    check(d, &name, Expect::NoCrash);
    // 5 MB in a resource value, which every policy and the secret detectors read. (50 MB there
    // takes a debug build's unoptimized regex engine over 10 seconds.)
    let name = write(
        d,
        "big-value.json",
        plan_with_after(&format!("\"{}\"", &big[..5 << 20])),
    );
    check(d, &name, Expect::NoCrash);
    let name = write(
        d,
        "big-unterminated.json",
        format!("{{\"format_version\": \"1.2\", \"x\": \"{MARKER}{big}"),
    );
    check(d, &name, Expect::ErrorAtLine);
    // Terraform source: 8 MB on one line. (50 MB takes the HCL parser over a minute in a debug
    // build, about one second per megabyte; the test suite runs debug builds.)
    write(
        d,
        "big/main.tf",
        format!("locals {{\n  x = \"{}\"\n}}\n", &big[..8 << 20]),
    );
    check(d, "big", Expect::NoCrash);
}

// ---------------------------------------------------------------------------------------------
// Terraform source. These depend on the HCL loader.

#[test]
fn hostile_terraform_files() {
    let dir = workdir();
    let d = dir.path();
    let cases: Vec<(String, Expect)> = vec![
        (write(d, "empty/main.tf", ""), Expect::NoCrash),
        (
            write(d, "binary/main.tf", (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8).collect::<Vec<u8>>()),
            Expect::Error,
        ),
        (
            write(d, "nul/main.tf", format!("resource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"{MARKER}\"\n  \0\n}}\n")),
            Expect::ErrorAtLine,
        ),
        (
            write(d, "nul-in-string/main.tf", format!("resource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"{MARKER}\0\"\n}}\n")),
            Expect::NoCrash,
        ),
        (
            write(d, "utf8/main.tf", [&b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \""[..], b"\xff\xfe", MARKER.as_bytes(), b"\"\n}\n"].concat()),
            Expect::Error,
        ),
        (
            write(d, "syntax/main.tf", format!("resource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"x\"\n  acl = = \"{MARKER}\"\n")),
            Expect::ErrorAtLine,
        ),
        (
            write(d, "bom/main.tf", [&b"\xEF\xBB\xBF"[..], b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n"].concat()),
            Expect::NoCrash,
        ),
        (
            write(d, "crlf/main.tf", "resource \"aws_s3_bucket\" \"b\" {\r\n  bucket = \"x\"\r\n}\r\n"),
            Expect::NoCrash,
        ),
        (write(d, "deep/main.tf", format!("locals {{\n  x = {}\n}}\n", nested(100, "1"))), Expect::NoCrash),
        (write(d, "deeper/main.tf", format!("locals {{\n  x = {}\n}}\n", nested(100_000, "1"))), Expect::NoCrash),
        (write(d, "deep-expr/main.tf", format!("locals {{\n  x = {}1{}\n}}\n", "(".repeat(100_000), ")".repeat(100_000))), Expect::NoCrash),
    ];
    for (name, expect) in cases {
        let module = Path::new(&name)
            .parent()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        check(d, &module, expect);
        // A file named on the command line reads the same.
        check(d, &name, expect);
    }
}

/// Origins hold 32-bit offsets: a source file over 4 GiB is refused by name, exit 2, before it
/// is read (the file is sparse: no disk or memory is spent on it).
#[test]
fn a_terraform_file_over_4_gib_is_refused() {
    let dir = workdir();
    let d = dir.path();
    std::fs::create_dir_all(d.join("huge")).unwrap();
    let file = std::fs::File::create(d.join("huge/main.tf")).unwrap();
    file.set_len(u64::from(u32::MAX) + 1).unwrap();
    check(d, "huge", Expect::Error);
    check(d, "huge/main.tf", Expect::Error);
    let run = guard(d, &["huge"]);
    let errors = run.json["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["file"] == "huge/main.tf"
            && e["message"]
                .as_str()
                .unwrap_or("")
                .contains("larger than 4 GiB")),
        "{errors:?}"
    );
}

#[test]
fn a_directory_named_like_a_terraform_file() {
    let dir = workdir();
    let d = dir.path();
    std::fs::create_dir_all(d.join("mod/x.tf")).unwrap();
    write(
        d,
        "mod/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
    );
    check(d, "mod", Expect::NoCrash);
    check(d, "mod/x.tf", Expect::NoCrash);
    std::fs::create_dir_all(d.join("plan.json")).unwrap();
    check(d, "plan.json", Expect::NoCrash);
}

#[test]
fn a_terraform_file_with_10000_resources() {
    let dir = workdir();
    let d = dir.path();
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!(
            "resource \"aws_s3_bucket\" \"b{i}\" {{\n  bucket = \"bucket-{i}\"\n  tags = {{ n = \"{i}\" }}\n}}\n\n"
        ));
    }
    write(d, "many/main.tf", text);
    check(d, "many", Expect::NoCrash);
    let run = guard(d, &["many"]);
    assert!(
        run.json["errors"].as_array().unwrap().is_empty(),
        "{}",
        truncate(&run.stdout)
    );
    assert_eq!(run.json["summary"]["scanned"]["resources"], 10_000);
}

#[cfg(unix)]
fn running_as_root_reads_anything(path: &Path) -> bool {
    std::fs::File::open(path).is_ok()
}

#[cfg(unix)]
#[test]
fn unreadable_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workdir();
    let d = dir.path();
    let plan = write(d, "locked.json", format!("{{\"x\": \"{MARKER}\"}}"));
    let tf = write(
        d,
        "locked/main.tf",
        format!("locals {{ x = \"{MARKER}\" }}\n"),
    );
    for name in [&plan, &tf] {
        std::fs::set_permissions(d.join(name), std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    std::fs::create_dir_all(d.join("lockeddir")).unwrap();
    write(d, "lockeddir/main.tf", "locals {}\n");
    std::fs::set_permissions(d.join("lockeddir"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = running_as_root_reads_anything(&d.join(&plan));
    for (name, hcl) in [
        (plan.as_str(), false),
        (tf.as_str(), true),
        ("locked", true),
        ("lockeddir", true),
    ] {
        if readable {
            // Root reads anything: only "no crash" can be checked.
            check(d, name, Expect::NoCrash);
        } else {
            check(d, name, if hcl { Expect::NoCrash } else { Expect::Error });
            let run = guard(d, &[GOOD, name]);
            assert_eq!(run.code, 2, "{name}: {}", run.stdout);
        }
    }
    // Let the temporary directory be removed.
    std::fs::set_permissions(d.join("lockeddir"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    use std::os::unix::fs::symlink;
    let dir = workdir();
    let d = dir.path();
    symlink("loop-b.json", d.join("loop-a.json")).unwrap();
    symlink("loop-a.json", d.join("loop-b.json")).unwrap();
    check(d, "loop-a.json", Expect::Error);
    std::fs::create_dir_all(d.join("tree/sub")).unwrap();
    write(
        d,
        "tree/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
    );
    symlink("..", d.join("tree/sub/up")).unwrap();
    symlink("self.tf", d.join("tree/self.tf")).unwrap();
    check(d, "tree", Expect::NoCrash);
    check(d, "tree/self.tf", Expect::Error);
    let started = Instant::now();
    let run = guard(d, &[GOOD, "tree"]);
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_ne!(run.code, 101);
}

#[test]
fn a_missing_path_is_an_input_error() {
    let dir = workdir();
    check(dir.path(), "does-not-exist.json", Expect::Error);
    check(dir.path(), "does-not-exist", Expect::Error);
    let _ = PathBuf::new();
}

// ---------------------------------------------------------------------------------------------
// Error messages never include file content beyond the location, nor the GitHub token.

/// Every error path of the plan loader, with a secret planted where the error is.
#[test]
fn plan_loader_errors_never_echo_content() {
    let secret = "hunter2-Zq\"PlantedSecret\\u00e9-8812Xv, expected a boolean";
    let s = serde_json::to_string(secret).unwrap();
    let bodies = vec![
        format!("{{\"format_version\": {s}, \"resource_changes\": []}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [], \"errored\": {s}}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [], \"complete\": {s}}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": {s}}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [{s}]}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [{{\"address\": \"a.b\", \"type\": \"a\", \"name\": \"b\", \"change\": {{\"actions\": [{s}]}}}}]}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [{{\"address\": \"a.b\", \"type\": \"a\", \"name\": \"b\", \"change\": {{\"actions\": [\"create\"], \"replace_paths\": {s}}}}}]}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [{{\"address\": 88129912, \"type\": \"a\", \"name\": \"b\", \"change\": {{\"actions\": []}}}}]}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [], \"variables\": {{\"v\": {s}}}}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [], \"configuration\": {{\"root_module\": {{\"variables\": {{\"v\": {{\"sensitive\": {s}}}}}}}}}}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [], \"checks\": [{{\"instances\": {s}}}]}}"),
        format!("{{\"format_version\": \"1.2\", \"values\": {s}}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [], {s}: 1, {s}: 2, \"format_version\": \"1.2\"}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [{s} {s}]}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": []}} {s}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [], \"x\": {s}"),
        format!("[{s}]"),
        s.clone(),
        format!("{{{s}}}"),
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [{{\"address\": \"a.b\", \"type\": \"a\", \"name\": \"b\", \"change\": {{\"actions\": [\"create\"], \"importing\": {{\"id\": 88129912}}}}}}]}}"),
    ];
    let needles = ["hunter2", "PlantedSecret", "8812", "88129912"];
    for body in &bodies {
        let err = match guard::load::plan::load_plan("p.json", body.as_bytes()) {
            Err(e) => e,
            Ok(_) => panic!("accepted: {body}"),
        };
        let shown = err.to_string();
        assert!(shown.starts_with("p.json"), "{shown}");
        for needle in needles {
            assert!(!shown.contains(needle), "{body}\nechoes content: {shown}");
        }
    }
}

/// With `--github` and every GitHub call failing, neither the token nor anything derived from it
/// is printed.
#[test]
fn the_github_token_is_never_printed() {
    use base64::Engine as _;
    let dir = workdir();
    let token = "ghp_ZqTokenNeverPrinted0123456789abcdefXv";
    let event = dir.path().join("event.json");
    std::fs::write(&event, r#"{"pull_request": {"number": 1, "head": {"sha": "0123456789abcdef0123456789abcdef01234567"}, "user": {"login": "author"}}, "repository": {"full_name": "o/r"}}"#).unwrap();
    for api in ["http://127.0.0.1:9"] {
        for format in ["human", "github"] {
            let out = Command::new(env!("CARGO_BIN_EXE_guard"))
                .current_dir(dir.path())
                .args([
                    GOOD,
                    "--github",
                    "--repo",
                    "o/r",
                    "--pr",
                    "1",
                    "--sha",
                    "0123456789abcdef0123456789abcdef01234567",
                ])
                .args(["--api-url", api, "--graphql-url", api, "--format", format])
                .env("GITHUB_TOKEN", token)
                .env("GITHUB_EVENT_PATH", &event)
                .env("GITHUB_REPOSITORY", "o/r")
                .env("RUST_LOG", "trace")
                .env("RUST_BACKTRACE", "1")
                .output()
                .unwrap();
            let all = [out.stdout, out.stderr].concat();
            let all = String::from_utf8_lossy(&all);
            assert_ne!(out.status.code(), Some(101), "{all}");
            assert_ne!(
                out.status.code(),
                Some(0),
                "a GitHub failure must fail closed: {all}"
            );
            for form in [
                token.to_string(),
                token[4..].to_string(),
                base64::engine::general_purpose::STANDARD.encode(format!("x-access-token:{token}")),
                base64::engine::general_purpose::STANDARD.encode(token),
            ] {
                assert!(
                    !all.contains(&form),
                    "{format} via {api} prints the token:\n{all}"
                );
            }
        }
    }
}
