//! Daily use and adoption (issue 20), through the binary: baselines, output control, the
//! command line's help, and findings that point at their documentation.

use std::path::Path;
use std::process::{Command, Output};

const MAIN_TF: &str = r#"resource "aws_security_group" "web" {
  name = "web"
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "db" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  storage_encrypted       = false
  deletion_protection     = true
  multi_az                = true
  backup_retention_period = 7
}
"#;

/// A new finding: a second security group open to the internet.
const NEW_GROUP: &str = r#"
resource "aws_security_group" "api" {
  name = "api"
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

fn guard_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("the guard binary runs")
}

fn guard(args: &[&str]) -> Output {
    guard_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn project(main_tf: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), main_tf).unwrap();
    dir
}

#[test]
fn a_baseline_lets_old_findings_pass_and_fails_on_new_ones() {
    let dir = project(MAIN_TF);
    let before = guard_in(dir.path(), &["."]);
    assert_eq!(before.status.code(), Some(1), "{}", stdout(&before));

    let write = guard_in(
        dir.path(),
        &[".", "--write-baseline", "guard-baseline.json"],
    );
    assert_eq!(write.status.code(), Some(0), "{}", stdout(&write));
    assert!(
        stderr(&write).contains("wrote guard-baseline.json (2 entries, 2 findings)"),
        "{}",
        stderr(&write)
    );
    let file = std::fs::read_to_string(dir.path().join("guard-baseline.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&file).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["ENC001", "NET001"]);
    assert_eq!(v["findings"][1]["address"], "aws_security_group.web");
    assert_eq!(v["findings"][1]["attribute"], "cidr_blocks");
    // Never a line number: the file survives edits above a finding.
    assert!(!file.contains("\"line\""), "{file}");

    // Moving code and adding comments above a finding keeps it old.
    let moved = format!(
        "# a comment\n\n# another\n{}",
        MAIN_TF.replace("  name = \"web\"\n", "")
    );
    std::fs::write(dir.path().join("main.tf"), &moved).unwrap();
    let o = guard_in(dir.path(), &[".", "--baseline", "guard-baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("0 blocking"), "{out}");
    assert!(out.contains("2 baselined"), "{out}");
    assert!(
        out.contains("baseline guard-baseline.json: 0 new, 2 baselined, 0 fixed"),
        "{out}"
    );
    // Baselined findings are not printed (`--show all` prints them).
    assert!(!out.contains("NET001 public-egress"), "{out}");
    let all = stdout(&guard_in(
        dir.path(),
        &[".", "--baseline", "guard-baseline.json", "--show", "all"],
    ));
    assert!(all.contains("NET001 public-egress (baselined)"), "{all}");

    // A new finding of the same policy fails, and only it is printed.
    std::fs::write(dir.path().join("main.tf"), format!("{moved}{NEW_GROUP}")).unwrap();
    let o = guard_in(dir.path(), &[".", "--baseline", "guard-baseline.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("1 blocking"), "{out}");
    assert!(out.contains("aws_security_group.api"), "{out}");
    assert!(!out.contains("= resource: aws_security_group.web"), "{out}");
    assert!(out.contains("1 new, 2 baselined"), "{out}");
}

#[test]
fn fixed_entries_are_reported_and_pruned_on_write() {
    let dir = project(MAIN_TF);
    guard_in(dir.path(), &[".", "--write-baseline", "b.json"]);
    // The database is encrypted now: its ENC001 entry matches nothing.
    let fixed = MAIN_TF.replace(
        "storage_encrypted       = false",
        "storage_encrypted = true",
    );
    std::fs::write(dir.path().join("main.tf"), fixed).unwrap();
    let o = guard_in(
        dir.path(),
        &[".", "--baseline", "b.json", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["baseline"]["new"], 0);
    assert_eq!(v["baseline"]["baselined"], 1);
    assert_eq!(v["baseline"]["fixed"][0]["code"], "ENC001");
    assert_eq!(v["summary"]["baselined"], 1);
    assert_eq!(v["findings"][0]["baselined"], true);
    let human = stdout(&guard_in(dir.path(), &[".", "--baseline", "b.json"]));
    assert!(
        human.contains("fixed: ENC001 aws_db_instance.db"),
        "{human}"
    );
    assert!(human.contains("--write-baseline b.json"), "{human}");

    let o = guard_in(dir.path(), &[".", "--write-baseline", "b.json"]);
    assert_eq!(o.status.code(), Some(0));
    let file = std::fs::read_to_string(dir.path().join("b.json")).unwrap();
    assert!(!file.contains("ENC001"), "{file}");
    assert!(file.contains("NET001"), "{file}");
}

#[test]
fn the_baseline_key_in_guard_toml_is_read_relative_to_the_file() {
    let dir = project(MAIN_TF);
    guard_in(dir.path(), &[".", "--write-baseline", "old.json"]);
    std::fs::write(dir.path().join("guard.toml"), "baseline = \"old.json\"\n").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    // Run from a subdirectory: the path is the config file's, not the working directory's.
    let o = guard_in(&dir.path().join("sub"), &[".."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("2 baselined"), "{}", stdout(&o));
}

#[test]
fn a_bad_baseline_is_an_input_error_naming_the_file() {
    let dir = project(MAIN_TF);
    std::fs::write(
        dir.path().join("b.json"),
        "{\"version\": 1, \"findings\": [{}]}",
    )
    .unwrap();
    let o = guard_in(dir.path(), &[".", "--baseline", "b.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("b.json"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a guard baseline"),
        "{}",
        stderr(&o)
    );
    let o = guard_in(dir.path(), &[".", "--baseline", "missing.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.json"), "{}", stderr(&o));
}

#[test]
fn sarif_marks_new_and_unchanged_results_and_links_rule_documentation() {
    let dir = project(MAIN_TF);
    guard_in(dir.path(), &[".", "--write-baseline", "b.json"]);
    std::fs::write(dir.path().join("main.tf"), format!("{MAIN_TF}{NEW_GROUP}")).unwrap();
    let o = guard_in(dir.path(), &[".", "--baseline", "b.json", "-f", "sarif"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let states: Vec<&str> = results
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 1);
    assert_eq!(states.iter().filter(|s| **s == "unchanged").count(), 2);
    for rule in v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap() {
        let uri = rule["helpUri"].as_str().unwrap();
        let page = uri.split("/blob/main/").nth(1).unwrap();
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(page).is_file(),
            "{uri} names no generated page"
        );
    }
    // Without a baseline, no baselineState at all.
    let o = guard_in(dir.path(), &[".", "-f", "sarif"]);
    assert!(!stdout(&o).contains("baselineState"));
}

#[test]
fn json_findings_carry_their_documentation_url() {
    let o = guard(&["testdata/plans/incident/plan.json", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for f in v["findings"].as_array().unwrap() {
        let url = f["url"].as_str().unwrap();
        let code = f["code"].as_str().unwrap();
        assert!(url.contains(&format!("/policies/docs/{code}-")), "{url}");
        let page = url.split("/blob/main/").nth(1).unwrap();
        assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(page).is_file());
    }
}

#[test]
fn the_human_report_ends_with_the_explain_line() {
    let dir = project(MAIN_TF);
    let out = stdout(&guard_in(dir.path(), &["."]));
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("help: `guard explain "), "{out}");
    // The code named is one the report printed, and `explain` knows it.
    let code = last
        .split('`')
        .nth(1)
        .unwrap()
        .trim_start_matches("guard explain ");
    assert!(out.contains(&format!(" {code} ")), "{out}");
    assert_eq!(guard(&["explain", code]).status.code(), Some(0));
    // Nothing to explain on a clean run.
    let clean = project("resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n");
    let out = stdout(&guard_in(clean.path(), &[".", "--ignore", "LOG002"]));
    assert!(!out.contains("guard explain"), "{out}");
}

#[test]
fn statistics_count_findings_per_code_and_severity() {
    let dir = project(&format!("{MAIN_TF}{NEW_GROUP}"));
    let o = guard_in(dir.path(), &[".", "--statistics"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].contains("count") && lines[0].contains("code"),
        "{out}"
    );
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["2", "2", "NET001", "high", "public-egress"],
        "{out}"
    );
    assert_eq!(
        lines[2].split_whitespace().collect::<Vec<_>>(),
        ["1", "1", "ENC001", "high", "unencrypted-storage"]
    );
    assert!(lines[3].starts_with("    3         3  total"), "{out}");
    // Only the table: no finding text.
    assert!(!out.contains("egress to the whole internet"), "{out}");
    let o = guard_in(dir.path(), &[".", "--statistics", "-f", "json"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn output_goes_to_a_file_and_exit_zero_reports_only() {
    let dir = project(MAIN_TF);
    let o = guard_in(dir.path(), &[".", "-f", "json", "-o", "report.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(v["summary"]["blocking"], 2);

    let o = guard_in(dir.path(), &[".", "--exit-zero"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("2 blocking"));
    // Input errors still exit 2.
    let o = guard_in(dir.path(), &["missing", "--exit-zero"]);
    assert_eq!(o.status.code(), Some(2));
    // An output file that cannot be written is an error naming it.
    let o = guard_in(dir.path(), &[".", "-o", "no/such/dir/out.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/dir/out.txt"), "{}", stderr(&o));
}

#[test]
fn quiet_prints_only_blocking_findings_and_the_summary() {
    // A warning (medium) next to the blocking findings.
    let dir = project(&format!(
        "{MAIN_TF}\nresource \"aws_instance\" \"web\" {{\n  ami           = \"ami-123\"\n  instance_type = \"t3.micro\"\n}}\n"
    ));
    let full = stdout(&guard_in(dir.path(), &["."]));
    assert!(full.contains("(warning)"), "{full}");
    let o = guard_in(dir.path(), &[".", "-q"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(!out.contains("(warning)"), "{out}");
    assert!(out.contains("high NET001"), "{out}");
    assert!(out.contains("high ENC001"), "{out}");
    assert!(
        out.lines().last().unwrap().starts_with("fail: 3 blocking"),
        "{out}"
    );
    assert!(!out.contains("help:"), "{out}");
    let blocking = stdout(&guard_in(dir.path(), &[".", "--show", "blocking"]));
    assert!(!blocking.contains("(warning)"), "{blocking}");
    assert!(blocking.contains("help: `guard explain"), "{blocking}");
}

#[test]
fn the_destructive_list_is_capped_unless_show_all() {
    let path = crate::github_support::plans::write_plan(
        "adoption-100.json",
        &crate::github_support::plans::big_plan(100),
    );
    let plan = path.to_str().unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&guard(&[plan, "-f", "json"]).stdout).unwrap();
    let total = v["plans"][0]["destructive"].as_array().unwrap().len();
    assert!(
        total > 20,
        "the fixture needs more than 20 destructive changes ({total})"
    );
    let out = stdout(&guard(&[plan]));
    let listed = out.lines().filter(|l| l.starts_with("    - ")).count();
    assert_eq!(listed, 20, "{out}");
    assert!(
        out.contains(&format!(
            "and {} more (`--show all` lists them)",
            total - 20
        )),
        "{out}"
    );
    let out = stdout(&guard(&[plan, "--show", "all"]));
    assert_eq!(
        out.lines().filter(|l| l.starts_with("    - ")).count(),
        total
    );
}

#[test]
fn subcommand_typos_suggest_the_subcommand() {
    let o = guard(&["polices"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `policies`"),
        "{}",
        stderr(&o)
    );
    let o = guard(&["explian", "NET001"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `explain`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn completions_are_printed_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef guard"),
        ("fish", "complete -c guard"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = guard(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let out = stdout(&o);
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(out.contains("write-baseline"), "{shell}");
    }
    assert_eq!(guard(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn help_groups_options_under_headings() {
    let out = stdout(&guard(&["--help"]));
    let position = |heading: &str| {
        out.find(&format!("\n{heading}:\n"))
            .unwrap_or_else(|| panic!("no `{heading}:` heading in\n{out}"))
    };
    let input = position("Input");
    let policies = position("Policies");
    let output = position("Output");
    let github = position("GitHub");
    assert!(
        input < policies && policies < output && output < github,
        "{out}"
    );
    let section = |start: usize, end: usize| &out[start..end];
    assert!(section(input, policies).contains("--var-file"));
    assert!(section(policies, output).contains("--baseline"));
    assert!(section(policies, output).contains("--config"));
    assert!(section(output, github).contains("--statistics"));
    assert!(out[github..].contains("--github"));
}

#[test]
fn show_files_and_show_settings_say_what_was_read_and_what_applies() {
    let dir = project(MAIN_TF);
    std::fs::write(
        dir.path().join("guard.toml"),
        "fail-on = \"critical\"\nignore = [\"NET003\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("terraform.tfvars"), "").unwrap();
    let o = guard_in(dir.path(), &[".", "--show-files"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("config    guard.toml"), "{out}");
    assert!(out.contains("main.tf"), "{out}");
    assert!(!out.contains("NET001"), "{out}");

    let o = guard_in(
        dir.path(),
        &[".", "--show-settings", "--select", "NET001,ENC001"],
    );
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("config: guard.toml"), "{out}");
    assert!(out.contains("fail-on: critical"), "{out}");
    assert!(out.contains("policies: ENC001, NET001"), "{out}");
    assert!(out.contains("ignore: NET003"), "{out}");
    assert!(
        out.contains("suppressions: inline and guard.toml\n"),
        "{out}"
    );
    let out = stdout(&guard_in(
        dir.path(),
        &[".", "--show-settings", "--respect-peer-ignores"],
    ));
    assert!(
        out.contains("peer comments (checkov, trivy, tfsec)"),
        "{out}"
    );
}

#[test]
fn the_hook_accepts_the_options_of_pre_commit_args() {
    let dir = project(MAIN_TF);
    let o = guard_in(dir.path(), &["hook", "main.tf"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    let o = guard_in(dir.path(), &["hook", "--fail-on", "critical", "main.tf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = guard_in(dir.path(), &["hook", "--select", "NET001", "main.tf"]);
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stdout(&o));
    let o = guard_in(
        dir.path(),
        &["hook", "--ignore", "NET001,ENC001", "main.tf"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = guard_in(dir.path(), &["hook", "--format", "json", "main.tf"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["blocking"], 2);
    std::fs::write(dir.path().join("other.toml"), "fail-on = \"critical\"\n").unwrap();
    let o = guard_in(dir.path(), &["hook", "--config", "other.toml", "main.tf"]);
    assert_eq!(o.status.code(), Some(0));
    let o = guard_in(
        dir.path(),
        &["hook", "--var-file", "missing.tfvars", "main.tf"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.tfvars"));
    let o = guard_in(dir.path(), &["hook", "--select", "NOPE01", "main.tf"]);
    assert_eq!(o.status.code(), Some(2));
}

const VIA_VARIABLE: &str = r#"variable "egress_cidr" {
  default = "0.0.0.0/0"
}

resource "aws_security_group" "web" {
  name = "web"
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [var.egress_cidr]
  }
}
"#;

#[test]
fn a_suppression_on_the_attribute_line_that_uses_the_value_covers_the_finding() {
    // The finding points at the variable's default; the comment is where the value is used.
    let dir = project(&VIA_VARIABLE.replace(
        "cidr_blocks = [var.egress_cidr]",
        "cidr_blocks = [var.egress_cidr] # guard:ignore NET001 -- egress proxy (OPS-7)",
    ));
    let o = guard_in(dir.path(), &[".", "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["code"], "NET001");
    assert_eq!(findings[0]["line"], 2);
    assert_eq!(findings[0]["suppression"]["line"], 11);
    assert_eq!(findings[0]["suppression"]["reason"], "egress proxy (OPS-7)");

    // The same comment on a line that does not use the value covers nothing.
    let dir = project(&VIA_VARIABLE.replace(
        "protocol    = \"-1\"",
        "protocol    = \"-1\" # guard:ignore NET001 -- egress proxy (OPS-7)",
    ));
    let o = guard_in(dir.path(), &[".", "-f", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // A tfvars value is consumed the same way.
    let dir = project(
        &VIA_VARIABLE
            .replace("  default = \"0.0.0.0/0\"\n", "")
            .replace(
                "cidr_blocks = [var.egress_cidr]",
                "cidr_blocks = [var.egress_cidr] # guard:ignore NET001 -- egress proxy (OPS-7)",
            ),
    );
    std::fs::write(
        dir.path().join("terraform.tfvars"),
        "egress_cidr = \"0.0.0.0/0\"\n",
    )
    .unwrap();
    let o = guard_in(dir.path(), &[".", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{v}");
    assert_eq!(v["findings"][0]["file"], "terraform.tfvars");
    assert_eq!(v["findings"][0]["suppressed"], true);
}

#[test]
fn an_unused_suppression_says_where_the_finding_it_might_have_meant_is() {
    let dir = project(&VIA_VARIABLE.replace(
        "  name = \"web\"",
        "  name = \"web\" # guard:ignore NET001 -- egress proxy (OPS-7)",
    ));
    let o = guard_in(dir.path(), &[".", "-f", "compact"]);
    let out = stdout(&o);
    assert!(
        out.contains("main.tf:6:16: GRD001 unused suppression: `NET001` suppressed nothing; the nearest NET001 finding is at main.tf:2 (`aws_security_group.web`)"),
        "{out}"
    );
    // Without a finding of that code anywhere, no hint.
    let dir = project(&VIA_VARIABLE.replace(
        "  name = \"web\"",
        "  name = \"web\" # guard:ignore NET002 -- nothing here",
    ));
    let out = stdout(&guard_in(dir.path(), &[".", "-f", "compact"]));
    assert!(
        out.contains("GRD001 unused suppression: `NET002` suppressed nothing (warning)"),
        "{out}"
    );
}

const PEER_SKIPS: &str = r#"resource "aws_security_group" "bastion" {
  #checkov:skip=CKV_AWS_24:bastion reached from anywhere (OPS-12)
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

#trivy:ignore:AVD-AWS-0107
resource "aws_security_group" "jump" {
  name = "jump"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  #tfsec:ignore:aws-ec2-no-public-egress-sgr needs package mirrors
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "open" {
  name = "open"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] #checkov:skip=CKV_AWS_999:not a check guard maps
  }
}
"#;

#[test]
fn peer_suppressions_count_only_on_request_and_are_reported_as_such() {
    let dir = project(PEER_SKIPS);
    let codes = |v: &serde_json::Value, suppressed: bool| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["suppressed"] == suppressed)
            .map(|f| {
                format!(
                    "{} {}",
                    f["code"].as_str().unwrap(),
                    f["address"].as_str().unwrap()
                )
            })
            .collect()
    };
    // Without the flag they are ordinary comments.
    let o = guard_in(dir.path(), &[".", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(codes(&v, true).is_empty(), "{v}");

    let o = guard_in(dir.path(), &[".", "-f", "json", "--respect-peer-ignores"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut suppressed = codes(&v, true);
    suppressed.sort();
    assert_eq!(
        suppressed,
        [
            "NET001 aws_security_group.jump",
            "NET002 aws_security_group.bastion",
            "NET002 aws_security_group.jump"
        ]
    );
    assert_eq!(codes(&v, false), ["NET002 aws_security_group.open"]);
    let bastion = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["address"] == "aws_security_group.bastion")
        .unwrap();
    assert_eq!(bastion["suppression"]["kind"], "peer");
    assert_eq!(
        bastion["suppression"]["reason"],
        "checkov:skip=CKV_AWS_24: bastion reached from anywhere (OPS-12)"
    );
    assert_eq!(bastion["suppression"]["line"], 2);
    let egress = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "NET001")
        .unwrap();
    assert_eq!(
        egress["suppression"]["reason"],
        "tfsec:ignore:aws-ec2-no-public-egress-sgr: needs package mirrors"
    );

    // The guard.toml key does the same; --no-ignore turns it off.
    std::fs::write(
        dir.path().join("guard.toml"),
        "respect-peer-ignores = true\n",
    )
    .unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&guard_in(dir.path(), &[".", "-f", "json"]).stdout).unwrap();
    assert_eq!(codes(&v, true).len(), 3, "{v}");
    let v: serde_json::Value =
        serde_json::from_slice(&guard_in(dir.path(), &[".", "-f", "json", "--no-ignore"]).stdout)
            .unwrap();
    assert!(codes(&v, true).is_empty(), "{v}");
}

/// The peer mapping in code is the table in policies/PARITY.md, both ways.
#[test]
fn the_peer_mapping_is_the_parity_table() {
    let parity =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/PARITY.md"))
            .unwrap();
    let section = parity
        .split("## Peer suppressions")
        .nth(1)
        .expect("PARITY.md has a Peer suppressions section");
    let mut from_table: Vec<(String, String)> = Vec::new();
    for row in section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| guard"))
    {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let code = cells[0];
        for id in cells[1].split(", ").filter(|c| *c != "—") {
            from_table.push((id.to_string(), code.to_string()));
        }
        for entry in cells[2].split(", ").filter(|c| *c != "—") {
            let (avd, name) = entry.split_once(' ').unwrap();
            from_table.push((avd.to_string(), code.to_string()));
            from_table.push((name.trim_matches('`').to_string(), code.to_string()));
        }
    }
    let mut from_code: Vec<(String, String)> = guard::suppress::peers::CHECKOV
        .iter()
        .map(|(id, code)| (id.to_string(), code.to_string()))
        .chain(
            guard::suppress::peers::TRIVY
                .iter()
                .flat_map(|(avd, name, code)| {
                    [
                        (avd.to_string(), code.to_string()),
                        (name.to_string(), code.to_string()),
                    ]
                }),
        )
        .collect();
    from_table.sort();
    from_code.sort();
    assert!(!from_code.is_empty());
    assert_eq!(from_table, from_code);
    for (_, code) in &from_code {
        assert!(guard_policies::find_policy(code).is_some(), "{code}");
    }
}

#[test]
fn findings_in_downloaded_modules_are_anchored_at_the_module_block() {
    let o = guard(&["testdata/hcl/cached_modules", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["address"], "module.vpc.aws_vpc.this");
    assert_eq!(f["file"], "testdata/hcl/cached_modules/main.tf");
    assert_eq!(f["line"], 1);
    assert!(
        f["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["file"] == "testdata/hcl/cached_modules/.terraform/modules/vpc/main.tf"),
        "{f}"
    );
}

/// A repository (`.git`) with the code in `infra/`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("infra")).unwrap();
    std::fs::write(dir.path().join("infra/main.tf"), MAIN_TF).unwrap();
    dir
}

fn guard_env(dir: &Path, args: &[&str], workspace: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_guard"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_WORKSPACE");
    if let Some(w) = workspace {
        command.env("GITHUB_WORKSPACE", w);
    }
    command.output().expect("the guard binary runs")
}

#[test]
fn github_annotations_and_sarif_paths_are_relative_to_the_repository_root() {
    let repo = repository();
    let infra = repo.path().join("infra");
    // Run from inside `infra/`: the paths printed for people stay as given...
    let human = stdout(&guard_env(&infra, &["."], None));
    assert!(human.contains("--> main.tf:7:20"), "{human}");
    // ...and the ones GitHub reads are from the repository root.
    let github = stdout(&guard_env(&infra, &[".", "-f", "github"], None));
    assert!(
        github.contains("::error file=infra/main.tf,line=7"),
        "{github}"
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&guard_env(&infra, &[".", "-f", "sarif"], None).stdout).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        !uris.is_empty() && uris.iter().all(|u| *u == "infra/main.tf"),
        "{uris:?}"
    );
    // From the root, the same paths.
    let github = stdout(&guard_env(repo.path(), &["infra", "-f", "github"], None));
    assert!(
        github.contains("::error file=infra/main.tf,line=7"),
        "{github}"
    );
    // GITHUB_WORKSPACE wins over the `.git` found by walking up.
    let github = stdout(&guard_env(&infra, &[".", "-f", "github"], Some(&infra)));
    assert!(github.contains("::error file=main.tf,line=7"), "{github}");
}

const PLAN_SOURCE_TF: &str = r#"# the database
resource "aws_db_instance" "main" { identifier = "main" }

module "db" {
  source = "./modules/db"
}
"#;

fn db_change(address: &str) -> serde_json::Value {
    serde_json::json!({
        "address": address, "mode": "managed", "type": "aws_db_instance",
        "name": address.rsplit('.').next().unwrap(),
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["update"],
            "before": {"identifier": "x", "storage_encrypted": false, "password": "plan-only-secret-value-1"},
            "after": {"identifier": "x", "storage_encrypted": false, "password": "plan-only-secret-value-1"},
            "after_unknown": {}, "before_sensitive": {"password": true}, "after_sensitive": {"password": true}}
    })
}

#[test]
fn plan_findings_point_at_the_resource_block_in_the_source() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("modules/db")).unwrap();
    std::fs::write(dir.path().join("main.tf"), PLAN_SOURCE_TF).unwrap();
    std::fs::write(
        dir.path().join("modules/db/main.tf"),
        "resource \"aws_db_instance\" \"x\" {\n  password = \"source-secret-value-42\" # a literal\n}\n",
    )
    .unwrap();
    let plan = serde_json::json!({
        "format_version": "1.2", "terraform_version": "1.9.8", "complete": true, "errored": false,
        "resource_changes": [
            db_change("aws_db_instance.main"),
            db_change("module.db.aws_db_instance.x"),
            db_change("aws_db_instance.removed_from_source")
        ]
    });
    std::fs::create_dir_all(dir.path().join("plans")).unwrap();
    std::fs::write(dir.path().join("plans/plan.json"), plan.to_string()).unwrap();
    std::fs::write(dir.path().join("plan.json"), plan.to_string()).unwrap();

    let places = |o: &Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut p: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {}:{}",
                    f["address"].as_str().unwrap(),
                    f["file"].as_str().unwrap(),
                    f["line"]
                )
            })
            .collect();
        p.sort();
        p
    };
    // The plan's own directory by default.
    let o = guard_in(
        dir.path(),
        &["plan.json", "--select", "ENC001", "-f", "json"],
    );
    assert_eq!(
        places(&o),
        [
            "aws_db_instance.main main.tf:2",
            "aws_db_instance.removed_from_source plan.json:null",
            "module.db.aws_db_instance.x modules/db/main.tf:1",
        ]
    );
    // A plan elsewhere: --source says where the code is.
    let o = guard_in(
        dir.path(),
        &["plans/plan.json", "--select", "ENC001", "-f", "json"],
    );
    assert!(
        places(&o).iter().all(|p| p.contains("plans/plan.json")),
        "{:?}",
        places(&o)
    );
    let o = guard_in(
        dir.path(),
        &[
            "plans/plan.json",
            "--select",
            "ENC001",
            "-f",
            "json",
            "--source",
            ".",
        ],
    );
    assert_eq!(places(&o)[0], "aws_db_instance.main main.tf:2");
    // The snippet shows the block's header and nothing else of the file.
    let human = stdout(&guard_in(dir.path(), &["plan.json", "--select", "ENC001"]));
    assert!(
        human.contains("resource \"aws_db_instance\" \"main\" {"),
        "{human}"
    );
    assert!(!human.contains("identifier = \"main\""), "{human}");
    assert!(!human.contains("source-secret-value-42"), "{human}");
    assert!(!human.contains("plan-only-secret-value-1"), "{human}");
    let o = guard_in(dir.path(), &["plan.json", "--source", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_pull_request_comment_reads_well() {
    let dir = tempfile::tempdir().unwrap();
    let plan = serde_json::json!({
        "format_version": "1.2", "terraform_version": "1.9.8", "complete": true, "errored": false,
        "resource_changes": [{
            "address": "aws_db_instance.main", "mode": "managed", "type": "aws_db_instance",
            "name": "main", "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["update"],
                "before": {"identifier": "main", "instance_class": "db.t3.micro", "storage_encrypted": false,
                           "multi_az": true, "deletion_protection": true, "password": "old-secret-aaaa-1111"},
                "after": {"identifier": "main", "instance_class": "db.t3.large", "storage_encrypted": false,
                          "multi_az": true, "deletion_protection": true, "password": "new-secret-bbbb-2222"},
                "after_unknown": {}, "before_sensitive": {"password": true}, "after_sensitive": {"password": true}}
        }, {
            "address": "aws_sqs_queue.jobs", "mode": "managed", "type": "aws_sqs_queue",
            "name": "jobs", "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["update"],
                "before": {"name": "jobs", "sqs_managed_sse_enabled": true, "delay_seconds": 0},
                "after": {"name": "jobs", "sqs_managed_sse_enabled": true, "delay_seconds": 5},
                "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}
        }]
    });
    std::fs::write(dir.path().join("plan.json"), plan.to_string()).unwrap();
    let o = guard_in(dir.path(), &["plan.json", "-f", "markdown"]);
    let out = stdout(&o);
    // Code spans around names and values only, never around the whole message.
    assert!(
        out.contains("- **ENC001** (high) `aws_db_instance.main`: database instance is not encrypted at rest: `storage_encrypted` is `false`"),
        "{out}"
    );
    // The plan path once: in the table, not on every finding.
    assert_eq!(out.matches("plan.json").count(), 2, "{out}");
    // What changes on the resource a finding is about, sensitive values as (sensitive).
    assert!(
        out.contains("(update): `instance_class` `db.t3.micro` → `db.t3.large`, `password` `(sensitive)` → `(sensitive)`"),
        "{out}"
    );
    // Not for a resource without findings.
    assert!(!out.contains("`delay_seconds`"), "{out}");
    assert!(
        !out.contains("secret-aaaa") && !out.contains("secret-bbbb"),
        "{out}"
    );
    // Plurals.
    assert!(
        !out.contains(" 1 warnings") && !out.contains(" 1 resources"),
        "{out}"
    );
    assert!(out.contains("1 plan, 0 modules, 2 resources"), "{out}");
}
