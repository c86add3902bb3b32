//! GitHub-flavoured markdown: the pull-request comment and the job summary.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::from("## guard\n\n");
    for plan in &report.plans {
        out.push_str(&format!("{}\n\n", plan.plan_line));
    }
    out.push_str(&format!(
        "{} blocking, {} warnings\n",
        report.blocking_count(),
        report.warning_count()
    ));
    out
}
