//! Mistakes that would silently turn the check off (issue 12 §2): each one is an input error
//! (exit 2) that names what is wrong, or is read the way the user meant. Run through the real
//! binary, in temporary directories.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const INCIDENT: &str = "testdata/plans/incident/plan.json";
const CLEAN: &str = "testdata/plans/terraform-data/plan.json";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn command(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_guard"));
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN");
    c
}

fn guard(dir: &Path, args: &[&str]) -> Output {
    command(dir)
        .args(args)
        .output()
        .expect("the guard binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

fn write(dir: &Path, rel: &str, content: &[u8]) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn copy(dir: &Path, from: &str, to: &str) {
    write(dir, to, &std::fs::read(repo(from)).unwrap());
}

/// A module with one critical finding (SEC001), to tell "ran no policy" from "found nothing".
fn module_with_a_secret(dir: &Path) {
    write(
        dir,
        "main.tf",
        br#"resource "aws_db_instance" "db" {
  password = "Sup3rS3cretPassw0rd!x"
}
"#,
    );
}

#[test]
fn an_unknown_code_in_select_or_ignore_is_a_usage_error_listing_the_valid_choices() {
    let dir = tempfile::tempdir().unwrap();
    module_with_a_secret(dir.path());
    for flag in ["--select", "--ignore"] {
        let o = guard(dir.path(), &[flag, "SEC01", "."]);
        assert_eq!(o.status.code(), Some(2), "{flag}: {}", text(&o));
        let out = text(&o);
        assert!(out.contains("unknown policy `SEC01` in `"), "{out}");
        assert!(out.contains("SEC001 (hardcoded-secret)"), "{out}");
        // One bad code among good ones is still an error.
        let o = guard(dir.path(), &[flag, "NET001,NET01", "."]);
        assert_eq!(o.status.code(), Some(2), "{flag}: {}", text(&o));
    }
    // Codes and names, any case, still work.
    let o = guard(dir.path(), &["--select", "sec001,public-egress", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = guard(
        dir.path(),
        &["--select", "SEC001", "--ignore", "hardcoded-secret", "."],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn a_path_with_nothing_to_check_is_an_input_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    write(dir.path(), "notf/README.md", b"# not terraform\n");
    write(dir.path(), "notf/app.py", b"print('hi')\n");
    write(dir.path(), "vars-only/terraform.tfvars", b"x = 1\n");
    module_with_a_secret(&dir.path().join("ok"));
    for path in ["empty", "notf", "vars-only"] {
        let o = guard(dir.path(), &[path, "--format", "json"]);
        assert_eq!(o.status.code(), Some(2), "{path}: {}", text(&o));
        let v = json(&o);
        assert_eq!(v["errors"][0]["file"], path, "{v}");
        let message = v["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with("nothing to check"), "{message}");
        assert!(message.contains("--allow-empty"), "{message}");
        // When it is what the caller means.
        let o = guard(dir.path(), &[path, "--allow-empty"]);
        assert_eq!(o.status.code(), Some(0), "{path}: {}", text(&o));
    }
    // The empty path is named, and the other path is still checked.
    let o = guard(dir.path(), &["ok", "empty", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let v = json(&o);
    assert_eq!(v["errors"][0]["file"], "empty");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "SEC001"));
    // The default path (the current directory) too.
    let o = guard(&dir.path().join("notf"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("nothing to check"), "{}", text(&o));
}

#[test]
fn an_include_glob_that_matches_nothing_is_nothing_to_check_and_a_bad_glob_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    module_with_a_secret(dir.path());
    let o = guard(dir.path(), &["--include", "infra/**", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("matching the include globs (infra/**)"),
        "{}",
        text(&o)
    );
    let o = guard(dir.path(), &["--exclude", "*.tf", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    for flag in ["--include", "--exclude"] {
        let o = guard(dir.path(), &[flag, "main[.tf", "."]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(
            text(&o).contains(&format!("invalid glob `main[.tf` in `{flag}`")),
            "{}",
            text(&o)
        );
    }
}

#[test]
fn a_var_file_or_config_that_is_not_there_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    module_with_a_secret(dir.path());
    let o = guard(dir.path(), &["--var-file", "prod.tfvars", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("`--var-file prod.tfvars`: no such file or directory"),
        "{}",
        text(&o)
    );
    // Also when the input is a plan, where the variable file would not be read at all.
    let o = guard(&repo("."), &["--var-file", "prod.tfvars", CLEAN]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = guard(dir.path(), &["--config", "guard-prod.toml", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("guard-prod.toml"), "{}", text(&o));
}

#[test]
fn github_mode_with_nothing_to_check_fails_and_does_not_say_approval_is_not_required() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("infra")).unwrap();
    let output = dir.path().join("github-output.txt");
    let o = command(dir.path())
        .args([
            "infra",
            "--github",
            "--repo",
            "acme/infra",
            "--pr",
            "7",
            "--sha",
            "0123456789abcdef0123456789abcdef01234567",
            "--api-url",
            "http://127.0.0.1:9",
            "--no-check-run",
        ])
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("infra: nothing to check"), "{}", text(&o));
    let outputs = std::fs::read_to_string(&output).unwrap();
    assert!(outputs.contains("approval-state=not-checked"), "{outputs}");
}

#[test]
fn a_directory_of_plans_is_searched_at_any_depth_including_ignored_files() {
    let dir = tempfile::tempdir().unwrap();
    // The layout of `terragrunt run-all ... --json-out-dir`: one tfplan.json per unit.
    copy(dir.path(), INCIDENT, "plans/prod/iam/tfplan.json");
    copy(dir.path(), CLEAN, "plans/prod/app/tfplan.json");
    // Generated plans are usually git-ignored; they are still what the caller asked to check.
    write(dir.path(), "plans/.gitignore", b"*.json\n");
    // Other JSON is not a plan and is left alone.
    write(dir.path(), "plans/prod/package.json", br#"{"name": "x"}"#);
    let o = guard(dir.path(), &["plans", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v = json(&o);
    assert!(v["errors"].as_array().unwrap().is_empty(), "{v}");
    let plans: Vec<&str> = v["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        plans,
        ["plans/prod/app/tfplan.json", "plans/prod/iam/tfplan.json"],
        "{v}"
    );
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "DEL001" && f["file"] == "plans/prod/iam/tfplan.json"));
    // Next to source, both are checked.
    module_with_a_secret(&dir.path().join("plans"));
    let v = json(&guard(dir.path(), &["plans", "--format", "json"]));
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"DEL001") && codes.contains(&"SEC001"),
        "{codes:?}"
    );
}

#[test]
fn a_plan_named_tf_json_is_checked_as_a_plan_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), INCIDENT, "live/plan.tf.json");
    for path in ["live", "live/plan.tf.json"] {
        let o = guard(dir.path(), &[path, "--format", "json"]);
        assert_eq!(o.status.code(), Some(1), "{path}: {}", text(&o));
        let v = json(&o);
        assert!(v["errors"].as_array().unwrap().is_empty(), "{path}: {v}");
        let warning = v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["file"] == "live/plan.tf.json")
            .unwrap_or_else(|| panic!("{path}: {v}"));
        assert!(
            warning["message"]
                .as_str()
                .unwrap()
                .contains("checked as a plan"),
            "{warning}"
        );
        assert_eq!(v["plans"][0]["file"], "live/plan.tf.json", "{path}: {v}");
    }
}

#[test]
fn a_plan_is_read_from_stdin_dev_stdin_and_process_substitution() {
    let plan = std::fs::read(repo(INCIDENT)).unwrap();
    for path in ["-", "/dev/stdin"] {
        let mut child = command(&repo("."))
            .args([path, "--format", "json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let bytes = plan.clone();
        let writer = std::thread::spawn(move || stdin.write_all(&bytes));
        let o = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        assert_eq!(o.status.code(), Some(1), "{path}: {}", text(&o));
        let v = json(&o);
        assert!(v["errors"].as_array().unwrap().is_empty(), "{path}: {v}");
        assert!(
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["code"] == "DEL001"),
            "{path}: {v}"
        );
    }
    // `guard <(terraform show -json tfplan)`: a pipe named /dev/fd/N.
    if Path::new("/bin/bash").exists() {
        let script = format!(
            "exec \"$0\" <(cat '{}') --format json",
            repo(INCIDENT).display()
        );
        let o = Command::new("/bin/bash")
            .args(["-c", &script, env!("CARGO_BIN_EXE_guard")])
            .env_remove("GITHUB_ACTIONS")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(json(&o)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "DEL001"));
    }
}

#[test]
fn a_binary_plan_or_a_state_is_an_input_error_with_the_command_that_converts_it() {
    let dir = tempfile::tempdir().unwrap();
    // A binary plan is a zip archive (`PK\x03\x04`), whatever its name.
    let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00tfplan/plan binary";
    write(dir.path(), "tfplan", zip);
    write(dir.path(), "plan.out", zip);
    write(dir.path(), "plan.json", zip);
    let clean = repo(CLEAN).display().to_string();
    for name in ["tfplan", "plan.out", "plan.json"] {
        // The good plan next to it is still checked.
        let o = guard(dir.path(), &[name, &clean]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", text(&o));
        let out = text(&o);
        assert!(
            out.contains(&format!(
                "{name}: a binary Terraform plan; guard reads its JSON form: `terraform show -json {name} > plan.json`"
            )),
            "{out}"
        );
    }
    write(
        dir.path(),
        "terraform.tfstate",
        br#"{"version": 4, "terraform_version": "1.9.0", "serial": 3, "lineage": "x", "outputs": {}, "resources": []}"#,
    );
    write(
        dir.path(),
        "state.json",
        br#"{"format_version": "1.0", "terraform_version": "1.9.0", "values": {"root_module": {}}}"#,
    );
    for name in ["terraform.tfstate", "state.json"] {
        let o = guard(dir.path(), &[name]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", text(&o));
        assert!(
            text(&o).contains("a Terraform state, not a plan")
                && text(&o).contains("terraform show -json tfplan > plan.json"),
            "{name}: {}",
            text(&o)
        );
    }
    // Piped in, the same.
    let mut child = command(dir.path())
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(zip).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("terraform show -json tfplan > plan.json"),
        "{}",
        text(&o)
    );
}

#[test]
fn newer_language_evaluates_without_undeclared_name_warnings() {
    // `ephemeral` blocks and references, write-only attributes, `import` (with `for_each`),
    // `moved`, `removed` and `check` blocks (Terraform 1.5 to 1.11).
    let o = guard(&repo("."), &["testdata/hcl/modern", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    assert_eq!(v["warnings"], serde_json::json!([]), "{v}");
    assert_eq!(v["summary"]["scanned"]["resources"], 5, "{v}");
}

#[test]
fn every_evaluation_warning_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "net/main.tf",
        br#"resource "aws_security_group" "a" {
  name = "a"
}

resource "aws_security_group_rule" "r" {
  type              = "ingress"
  security_group_id = aws_security_group.a.id
  cidr_blocks       = [ephemeral.nothing.here.cidr]
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
}
"#,
    );
    let v = json(&guard(dir.path(), &["net", "--format", "json"]));
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{v}");
    assert_eq!(warnings[0]["file"], "net/main.tf", "{v}");
    assert_eq!(warnings[0]["line"], 8, "{v}");
    assert!(
        warnings[0]["message"]
            .as_str()
            .unwrap()
            .contains("undeclared ephemeral resource `ephemeral.nothing.here` (line 8)"),
        "{v}"
    );
}

#[test]
fn json_syntax_strings_are_templates_not_references() {
    // `"type": "egress"` is the string `egress` (it used to be read as a reference to an
    // undeclared name, which made the rule count as ingress: a false critical NET002).
    let o = guard(
        &repo("."),
        &["testdata/hcl/json_templates", "--format", "json"],
    );
    let v = json(&o);
    assert_eq!(v["warnings"], serde_json::json!([]), "{v}");
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    let findings: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].to_string(), f["address"].to_string()))
        .collect();
    assert_eq!(
        findings,
        [(
            "\"NET001\"".to_string(),
            "\"aws_security_group_rule.out\"".to_string()
        )],
        "{v}"
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn a_json_configuration_whose_root_is_not_an_object_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/main.tf.json", b"[1, 2]\n");
    write(dir.path(), "a/terraform.tfvars.json", b"\"x\"\n");
    module_with_a_secret(&dir.path().join("b"));
    let o = guard(dir.path(), &[".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let v = json(&o);
    let errors: Vec<(&str, &str)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["file"].as_str().unwrap(), e["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "a/main.tf.json",
                "the root of a JSON configuration file must be an object"
            ),
            (
                "a/terraform.tfvars.json",
                "the root of a variables file must be an object of variable names"
            )
        ],
        "{v}"
    );
    // The other module is still checked.
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "SEC001" && f["file"] == "b/main.tf"));
}

#[test]
fn opentofu_files_are_read_and_a_tofu_file_replaces_its_tf_twin() {
    let o = guard(&repo("."), &["testdata/hcl/tofu", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    let findings: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["file"].as_str().unwrap()))
        .collect();
    // db.tofu is read; main.tf, rule_override.tf and egress.tf.json (open to the internet)
    // are replaced by their .tofu twins (closed), so no NET001/NET002. (DEL004 is off by
    // default and leaves databases to DEL002 since issue 13.)
    assert_eq!(
        findings,
        [
            ("AVL001", "testdata/hcl/tofu/db.tofu"),
            ("SEC001", "testdata/hcl/tofu/db.tofu")
        ],
        "{v}"
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // A .tofu file named on the command line, and the pre-commit hook, read it too.
    let o = guard(
        &repo("."),
        &["testdata/hcl/tofu/db.tofu", "--format", "compact"],
    );
    assert!(text(&o).contains("db.tofu:6:25: SEC001"), "{}", text(&o));
    let o = guard(&repo("."), &["hook", "testdata/hcl/tofu/db.tofu"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("db.tofu:6:25: SEC001"), "{}", text(&o));
}

/// Memory bombs: each would need gigabytes (or billions of steps) to evaluate. Each is an input
/// error naming its file and line after a bounded amount of work, and the module next to them is
/// still checked. The run is confined to 3 GB of address space where `ulimit` exists, so a
/// missing bound fails the test by aborting rather than by swapping the machine.
#[test]
fn memory_bombs_are_input_errors_after_bounded_work_and_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "for/main.tf",
        b"locals {\n  big = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : \"${a}-${b}-${c}\"]]]\n}\n",
    );
    let mut doubling = String::from("locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n  l0 = [\"x\"]\n");
    for i in 1..=40 {
        let p = i - 1;
        doubling.push_str(&format!(
            "  s{i} = \"${{local.s{p}}}${{local.s{p}}}\"\n  l{i} = [local.l{p}, local.l{p}]\n"
        ));
    }
    doubling.push_str("}\n");
    write(dir.path(), "doubling/main.tf", doubling.as_bytes());
    write(
        dir.path(),
        "functions/main.tf",
        b"locals {\n  wide = format(\"%999999999999d\", 1)\n  deep = indent(999999999, \"a\\nb\")\n}\n",
    );
    let mut laughs = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        laughs.push_str(&format!(
            "{name}: &{name} [{}]\\n",
            vec![format!("*{prev}"); 10].join(",")
        ));
    }
    write(
        dir.path(),
        "yaml/main.tf",
        format!("locals {{\n  laughs = yamldecode(\"{laughs}\")\n}}\n").as_bytes(),
    );
    module_with_a_secret(&dir.path().join("ok"));

    let started = std::time::Instant::now();
    let o = guard_with_memory_limit(dir.path());
    let elapsed = started.elapsed();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let v = json(&o);
    let errors: Vec<(String, u64)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(
                e["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("too large to evaluate"),
                "{e}"
            );
            (
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let files: std::collections::BTreeSet<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        [
            "doubling/main.tf",
            "for/main.tf",
            "functions/main.tf",
            "yaml/main.tf"
        ],
        "{v}"
    );
    assert!(
        errors.contains(&("for/main.tf".to_string(), 2)),
        "{errors:?}"
    );
    assert!(
        errors.contains(&("functions/main.tf".to_string(), 2)),
        "{errors:?}"
    );
    assert!(
        errors.contains(&("functions/main.tf".to_string(), 3)),
        "{errors:?}"
    );
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "SEC001" && f["file"] == "ok/main.tf"));
    // Bounded work: seconds, not the hours a billion-element value would take.
    assert!(elapsed.as_secs() < 120, "took {elapsed:?}");
}

/// `guard . --format json` in `dir` with at most 3 GB of address space, where bash can say so.
fn guard_with_memory_limit(dir: &Path) -> Output {
    if !Path::new("/bin/bash").exists() {
        return guard(dir, &[".", "--format", "json"]);
    }
    Command::new("/bin/bash")
        .args([
            "-c",
            "ulimit -v 3000000 && exec \"$0\" . --format json",
            env!("CARGO_BIN_EXE_guard"),
        ])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .output()
        .expect("bash runs guard")
}

#[test]
fn a_plan_printed_through_the_setup_terraform_wrapper_is_an_error_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let mut wrapped = b"[command]/tmp/x/terraform-bin show -json tfplan\n".to_vec();
    wrapped.extend(std::fs::read(repo(CLEAN)).unwrap());
    write(dir.path(), "plans/app/tfplan.json", &wrapped);
    for path in ["plans", "plans/app/tfplan.json"] {
        let o = guard(dir.path(), &[path]);
        assert_eq!(o.status.code(), Some(2), "{path}: {}", text(&o));
        assert!(
            text(&o).contains("plans/app/tfplan.json: the output of the setup-terraform wrapper")
                && text(&o).contains("terraform_wrapper: false"),
            "{path}: {}",
            text(&o)
        );
    }
}

#[test]
fn concatenated_plans_from_terragrunt_run_all_get_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut both = std::fs::read(repo(CLEAN)).unwrap();
    both.extend(std::fs::read(repo(CLEAN)).unwrap());
    write(dir.path(), "runall.json", &both);
    let o = guard(dir.path(), &["runall.json"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains(
            "trailing characters (more than one JSON document: `terragrunt run-all show -json`"
        ),
        "{}",
        text(&o)
    );
}

#[test]
fn a_var_for_an_undeclared_variable_is_an_input_error_without_its_value() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        br#"variable "ingress_cidr" {
  default = "0.0.0.0/0"
}
"#,
    );
    let o = guard(dir.path(), &["--var", "ingres_cidr=10.0.0.0/8", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("no root module declares a variable `ingres_cidr`"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains("10.0.0.0/8"), "{}", text(&o));
    let o = guard(dir.path(), &["--var", "ingress_cidr=10.0.0.0/8", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}
