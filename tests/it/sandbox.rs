//! The file sandbox: whatever a Terraform module or a Terragrunt unit says, guard reads nothing
//! outside the repository root (the enclosing git work tree, else the scan root). A refused read
//! is a warning naming the function and the `file:line` that asked, and its value is unknown.
//!
//! Each case is a repository (a directory with `.git`) next to an `outside/` directory whose
//! files would, if read, produce a public-ingress finding (`0.0.0.0/0`) and carry a marker that
//! must never appear in any output.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const MARKER: &str = "OutsideTheRepoZq8841";

/// `outside/`: a CIDR file, an HCL config, tfvars, a module and a Terragrunt root file, all of
/// which open ingress to the world when read.
fn plant_outside(dir: &Path) {
    let out = dir.join("outside");
    let write = |rel: &str, text: String| {
        let p = out.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("cidr.txt", "0.0.0.0/0".into());
    write(
        "config.hcl",
        format!("locals {{\n  cidr = \"0.0.0.0/0\"\n  note = \"{MARKER}\"\n}}\n"),
    );
    write(
        "values.tfvars",
        format!("cidr = \"0.0.0.0/0\"\nnote = \"{MARKER}\"\n"),
    );
    write("root.hcl", "inputs = {\n  cidr = \"0.0.0.0/0\"\n}\n".into());
    // Found by `find_in_parent_folders` only if the search climbs above the repository.
    write(
        "parent.hcl",
        "inputs = {\n  cidr = \"0.0.0.0/0\"\n}\n".into(),
    );
    write("mod/main.tf", sg("\"0.0.0.0/0\"", MARKER));
}

/// A security group rule opening port 22 to `cidr` (an HCL expression).
fn sg(cidr: &str, name: &str) -> String {
    format!(
        r#"resource "aws_security_group_rule" "ssh" {{
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [{cidr}]
  security_group_id = "sg-1"
  description       = "{name}"
}}
"#
    )
}

/// The module a unit deploys: one rule whose CIDR is the unit's input.
const MODULE: &str = r#"variable "cidr" {
  type    = string
  default = "10.0.0.0/8"
}
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [var.cidr]
  security_group_id = "sg-1"
}
"#;

struct Case {
    name: &'static str,
    /// Files of the repository (`repo/`), relative to it.
    files: Vec<(&'static str, String)>,
    /// How the warning names the function.
    function: &'static str,
    /// The file the warning points at, relative to the repository.
    at: &'static str,
}

fn cases(outside_abs: &str) -> Vec<Case> {
    let unit = |inputs: &str| {
        format!("terraform {{\n  source = \"../modules/sg\"\n}}\n\ninputs = {{\n  {inputs}\n}}\n")
    };
    let module = ("modules/sg/main.tf", MODULE.to_string());
    vec![
        Case {
            name: "terraform.source = \"/\" style absolute source",
            files: vec![(
                "live/terragrunt.hcl",
                format!("terraform {{\n  source = \"{outside_abs}/mod\"\n}}\n"),
            )],
            function: "`terraform.source`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "terraform.source climbing with ../",
            files: vec![(
                "live/terragrunt.hcl",
                "terraform {\n  source = \"../../outside/mod\"\n}\n".into(),
            )],
            function: "`terraform.source`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "file() in a unit input, relative",
            files: vec![
                module.clone(),
                (
                    "live/terragrunt.hcl",
                    unit("cidr = trimspace(file(\"../../outside/cidr.txt\"))"),
                ),
            ],
            function: "`file`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "file() in a unit input, absolute",
            files: vec![
                module.clone(),
                (
                    "live/terragrunt.hcl",
                    unit(&format!("cidr = trimspace(file(\"{outside_abs}/cidr.txt\"))")),
                ),
            ],
            function: "`file`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "templatefile() in a unit input",
            files: vec![
                module.clone(),
                (
                    "live/terragrunt.hcl",
                    unit("cidr = trimspace(templatefile(\"../../outside/cidr.txt\", {}))"),
                ),
            ],
            function: "`templatefile`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "fileexists() probes nothing outside",
            files: vec![
                module.clone(),
                (
                    "live/terragrunt.hcl",
                    unit("cidr = fileexists(\"../../outside/cidr.txt\") ? \"0.0.0.0/0\" : \"10.0.0.0/8\""),
                ),
            ],
            function: "`fileexists`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "read_terragrunt_config",
            files: vec![
                module.clone(),
                (
                    "live/terragrunt.hcl",
                    "locals {\n  outside = read_terragrunt_config(\"../../outside/config.hcl\")\n}\n\nterraform {\n  source = \"../modules/sg\"\n}\n\ninputs = {\n  cidr = local.outside.locals.cidr\n}\n".into(),
                ),
            ],
            function: "`read_terragrunt_config`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "read_tfvars_file",
            files: vec![
                module.clone(),
                (
                    "live/terragrunt.hcl",
                    unit(&format!("cidr = jsondecode(read_tfvars_file(\"{outside_abs}/values.tfvars\")).cidr")),
                ),
            ],
            function: "`read_tfvars_file`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "include of a file outside",
            files: vec![
                module.clone(),
                (
                    "live/terragrunt.hcl",
                    "include \"root\" {\n  path = \"../../outside/root.hcl\"\n}\n\nterraform {\n  source = \"../modules/sg\"\n}\n".into(),
                ),
            ],
            function: "`include`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "read_terragrunt_config built with path_relative_from_include",
            files: vec![
                module.clone(),
                ("root.hcl", "locals {}\n".into()),
                (
                    "live/terragrunt.hcl",
                    "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n\nlocals {\n  outside = read_terragrunt_config(\"${get_terragrunt_dir()}/${path_relative_from_include()}/../outside/config.hcl\")\n}\n\nterraform {\n  source = \"../modules/sg\"\n}\n\ninputs = {\n  cidr = local.outside.locals.cidr\n}\n".into(),
                ),
            ],
            function: "`read_terragrunt_config`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "file() through a symlink that leads outside",
            files: vec![
                module.clone(),
                (
                    "live/terragrunt.hcl",
                    unit("cidr = trimspace(file(\"link.txt\"))"),
                ),
            ],
            function: "`file`",
            at: "live/terragrunt.hcl",
        },
        Case {
            name: "file() in plain Terraform",
            files: vec![(
                "main.tf",
                sg("trimspace(file(\"../outside/cidr.txt\"))", "plain"),
            )],
            function: "`file`",
            at: "main.tf",
        },
        Case {
            name: "filebase64() and filesha256() in plain Terraform",
            files: vec![(
                "main.tf",
                format!(
                    "{}\noutput \"digest\" {{\n  value = filesha256(\"../outside/cidr.txt\")\n}}\n",
                    sg("base64decode(filebase64(\"../outside/cidr.txt\"))", "b64")
                ),
            )],
            function: "`filebase64`",
            at: "main.tf",
        },
        Case {
            name: "a module source climbing out",
            files: vec![(
                "main.tf",
                "module \"sg\" {\n  source = \"../outside/mod\"\n}\n".into(),
            )],
            function: "module `sg`",
            at: "main.tf",
        },
    ]
}

fn public_ingress_from_a_known_value(f: &Value) -> bool {
    f["code"] == "NET002"
        && !f["message"]
            .as_str()
            .is_some_and(|m| m.contains("known only after apply"))
}

fn run_guard(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_guard"))
        .current_dir(dir)
        .args(args)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_TOKEN")
        .output()
        .expect("the guard binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn nothing_outside_the_repository_is_read() {
    for i in 0..cases("OUTSIDE").len() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        plant_outside(&base);
        let outside_abs = base.join("outside").to_string_lossy().into_owned();
        // The absolute path is only known now: re-render this case with it.
        let case = cases(&outside_abs).into_iter().nth(i).unwrap();
        let repo = base.join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        for (rel, text) in &case.files {
            let p = repo.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        #[cfg(unix)]
        if repo.join("live").is_dir() {
            std::os::unix::fs::symlink(base.join("outside/cidr.txt"), repo.join("live/link.txt"))
                .unwrap();
        }

        for format in ["json", "human", "sarif", "markdown", "compact"] {
            let (code, stdout, stderr) =
                run_guard(&repo, &[".", "--format", format, "--color", "never"]);
            let what = format!("{} ({format}): exit {code}\n{stdout}\n{stderr}", case.name);
            assert!(!stdout.contains(MARKER), "outside content shown: {what}");
            assert!(!stderr.contains(MARKER), "outside content shown: {what}");
            assert_ne!(code, 101, "panic: {what}");
            if format != "json" {
                continue;
            }
            let json: Value = serde_json::from_str(&stdout).expect(&what);
            let findings = json["findings"].as_array().unwrap();
            // An unknown CIDR is reported as "known only after apply"; a read one as itself.
            assert!(
                !findings.iter().any(public_ingress_from_a_known_value),
                "a value read from outside made a finding: {what}"
            );
            let warnings = json["warnings"].as_array().unwrap();
            let refused: Vec<&Value> = warnings
                .iter()
                .filter(|w| {
                    w["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("outside the repository root"))
                })
                .collect();
            assert!(
                refused.iter().any(|w| {
                    w["file"] == case.at
                        && w["line"].as_u64().is_some_and(|l| l >= 1)
                        && w["message"]
                            .as_str()
                            .is_some_and(|m| m.contains(case.function))
                }),
                "no warning naming `{}` at {}: {what}",
                case.function,
                case.at
            );
        }
    }
}

/// `find_in_parent_folders` stops at the repository root: a file of that name above it is not
/// found, so the unit falls back to its default and nothing above is read.
#[test]
fn find_in_parent_folders_stops_at_the_repository_root() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    plant_outside(&base);
    let repo = base.join("outside/repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("modules/sg")).unwrap();
    std::fs::write(repo.join("modules/sg/main.tf"), MODULE).unwrap();
    std::fs::create_dir_all(repo.join("live")).unwrap();
    std::fs::write(
        repo.join("live/terragrunt.hcl"),
        "locals {\n  parent = read_terragrunt_config(find_in_parent_folders(\"parent.hcl\", \"none.hcl\"), { inputs = { cidr = \"10.0.0.0/8\" } })\n}\n\nterraform {\n  source = \"../modules/sg\"\n}\n\ninputs = local.parent.inputs\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run_guard(&repo, &[".", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
    assert!(
        !json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(public_ingress_from_a_known_value),
        "parent.hcl above the repository root was read: exit {code}\n{stdout}"
    );
    // The same unit with parent.hcl inside the repository still finds it.
    std::fs::copy(base.join("outside/parent.hcl"), repo.join("parent.hcl")).unwrap();
    let (_, stdout, _) = run_guard(&repo, &[".", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(public_ingress_from_a_known_value),
        "parent.hcl inside the repository must still be found: {stdout}"
    );
}

/// Without a git work tree the scan root is the boundary; a `--var-file` named on the command
/// line is the user's choice and is read wherever it is.
#[test]
fn the_scan_root_is_the_boundary_without_git_and_named_files_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    plant_outside(&base);
    let scan = base.join("scan");
    std::fs::create_dir_all(&scan).unwrap();
    std::fs::write(
        scan.join("main.tf"),
        format!(
            "variable \"cidr\" {{\n  default = \"10.0.0.0/8\"\n}}\n{}",
            sg("var.cidr", "v")
        ),
    )
    .unwrap();
    let (_, stdout, _) = run_guard(&scan, &[".", "--format", "json"]);
    assert!(!stdout.contains("NET002"), "{stdout}");
    let var_file = base.join("outside/values.tfvars");
    let (_, stdout, _) = run_guard(
        &scan,
        &[
            ".",
            "--format",
            "json",
            "--var-file",
            var_file.to_str().unwrap(),
        ],
    );
    assert!(
        stdout.contains("NET002"),
        "a --var-file named on the command line is read: {stdout}"
    );
}

/// A directory symlink inside the repository that leads outside is not a way out: not as a
/// module source, not as a Terragrunt source, and the directory walk does not follow it.
#[cfg(unix)]
#[test]
fn directory_symlinks_that_lead_outside_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    plant_outside(&base);
    let repo = base.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::os::unix::fs::symlink(base.join("outside/mod"), repo.join("modlink")).unwrap();
    std::fs::write(
        repo.join("main.tf"),
        "module \"sg\" {\n  source = \"./modlink\"\n}\n",
    )
    .unwrap();
    std::fs::create_dir_all(repo.join("live")).unwrap();
    std::fs::write(
        repo.join("live/terragrunt.hcl"),
        "terraform {\n  source = \"../modlink\"\n}\n",
    )
    .unwrap();
    let (_, stdout, stderr) = run_guard(&repo, &[".", "--format", "json"]);
    assert!(
        !stdout.contains(MARKER) && !stderr.contains(MARKER),
        "{stdout}"
    );
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        !json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(public_ingress_from_a_known_value),
        "{stdout}"
    );
    let warnings = json["warnings"].to_string();
    assert!(
        warnings.contains("module `sg` is not available"),
        "{warnings}"
    );
    assert!(warnings.contains("`terraform.source`"), "{warnings}");
}
