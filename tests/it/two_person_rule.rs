//! In a pull-request check, guard.toml (which the pull request itself may change) cannot take
//! anything away from the two-person rule.

use guard::config::{prepare, ConfigArgs};
use std::path::PathBuf;

const WEAKENING: &str = r#"
ignore = ["DEL001"]

[severity]
DEL001 = "low"

[privileged]
remove-addresses = ["*"]

[approval]
required = 1
"#;

fn del001_count(options: &guard::Options) -> usize {
    let report = guard::run(
        &[PathBuf::from("testdata/plans/incident/plan.json")],
        options,
    );
    report
        .findings
        .iter()
        .filter(|f| f.finding.code == "DEL001" && f.is_blocking())
        .count()
}

#[test]
fn a_weakening_config_is_undone_in_a_pull_request_check() {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("guard.toml");
    std::fs::write(&config_path, WEAKENING).unwrap();
    let args = ConfigArgs {
        config: Some(config_path),
        ..Default::default()
    };
    let paths = [PathBuf::from("testdata/plans/incident/plan.json")];

    let mut local = guard::Options::default();
    prepare(&args, &paths, &mut local).unwrap();
    assert_eq!(del001_count(&local), 0, "locally the config applies");

    let mut pull_request = guard::Options::default();
    prepare(&args, &paths, &mut pull_request).unwrap();
    let notes = guard::protect_two_person_rule(&mut pull_request);
    assert_eq!(notes.len(), 4, "{notes:#?}");
    assert_eq!(pull_request.settings.required_approvals, 2);
    assert_eq!(del001_count(&pull_request), 5);
}

#[test]
fn a_strengthening_config_is_kept() {
    let mut options = guard::Options::default();
    options.settings.required_approvals = 3;
    options.select = vec!["DEL001".into(), "NET001".into()];
    assert!(guard::protect_two_person_rule(&mut options).is_empty());
    assert_eq!(options.settings.required_approvals, 3);
}

#[test]
fn config_suppressions_of_del001_are_undone_and_inline_ones_are_not_touched() {
    let mut report = guard::checked(
        &[PathBuf::from("testdata/plans/incident/plan.json")],
        &guard::Options::default(),
    )
    .untriaged();
    let suppression = |kind| guard::report::Suppression {
        kind,
        reason: "pull request says so".into(),
        file: None,
        line: None,
    };
    let del001: Vec<usize> = (0..report.findings.len())
        .filter(|&i| report.findings[i].finding.code == "DEL001")
        .collect();
    assert!(
        del001.len() >= 2,
        "the incident plan deletes privileged resources"
    );
    for &i in &del001 {
        report.findings[i].suppression = Some(suppression("config"));
    }
    let other = (0..report.findings.len())
        .find(|&i| report.findings[i].finding.code != "DEL001")
        .expect("the incident plan has other findings");
    report.findings[other].suppression = Some(suppression("config"));

    let report = guard::unsuppress_two_person_rule(report);
    assert_eq!(report.notes.len(), 1, "a note says what was undone");
    let note = &report.notes[0];
    assert!(note.contains(&format!("{} DEL001", del001.len())), "{note}");
    assert!(del001
        .iter()
        .all(|&i| report.findings[i].suppression.is_none()));
    assert!(
        report.findings[other].suppression.is_some(),
        "only DEL001 is protected"
    );
    let report = guard::unsuppress_two_person_rule(report);
    assert_eq!(
        report.notes.len(),
        1,
        "nothing more to undo, no second note"
    );
}

/// The whole resolution, as `guard check` runs it: the same guard.toml is applied locally and
/// hardened in a pull-request check, and the command line still wins over the file.
#[test]
fn settings_resolve_the_trust_level_once() {
    use guard::settings::{Flags, Resolved, Trust};
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("guard.toml");
    std::fs::write(&config_path, WEAKENING).unwrap();
    let args = ConfigArgs {
        config: Some(config_path),
        ..Default::default()
    };
    let paths = [PathBuf::from("testdata/plans/incident/plan.json")];
    let flags = Flags {
        fail_on: Some(guard_policies::Severity::Critical),
        ..Flags::default()
    };
    let resolve =
        |trust| Resolved::resolve(&paths, &args, guard::Options::default(), &flags, trust).unwrap();

    let local = resolve(Trust::Local);
    assert!(local.notes.is_empty());
    assert_eq!(local.options.fail_on, guard_policies::Severity::Critical);
    assert_eq!(local.approval.required, 1);
    let report = guard::pipeline(&local);
    assert!(report.findings.iter().all(|f| f.finding.code != "DEL001"));

    let pull_request = resolve(Trust::PullRequest {
        trusted_config: None,
    });
    assert_eq!(pull_request.notes.len(), 4, "{:#?}", pull_request.notes);
    assert_eq!(
        pull_request.options.fail_on,
        guard_policies::Severity::Critical
    );
    assert_eq!(pull_request.approval.required, 2);
    let report = guard::pipeline(&pull_request);
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.finding.code == "DEL001" && f.is_active())
            .count(),
        5
    );
    assert!(pull_request.notes.iter().all(|n| report.notes.contains(n)));
}
