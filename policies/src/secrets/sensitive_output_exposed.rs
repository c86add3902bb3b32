use crate::model::InputKind;
use crate::policy::Check;
use crate::secret_patterns::{detect, is_secret_name};
use crate::{declare_policy, Context, Output, Severity};

declare_policy! {
    /// ## What it checks
    /// Outputs that expose a secret without `sensitive = true`.
    ///
    /// An output is reported when:
    ///
    /// - its value is marked sensitive: it comes from a `sensitive` variable or from an
    ///   attribute the provider marks sensitive (`aws_iam_access_key.secret`,
    ///   `random_password.result`, `tls_private_key.private_key_pem`, ...);
    /// - its value matches a secret detector (an AWS access key id, a private key block, ...);
    /// - its name says it is a secret (`db_password`, `api_token`, ...) and it is not marked
    ///   sensitive (medium): a `random_string` used as a password is not sensitive to Terraform.
    ///
    /// Terraform itself refuses a root output that carries a sensitive value without
    /// `sensitive = true`, but `nonsensitive()`, `jsondecode()` round trips and non-sensitive
    /// generators launder the mark. On a plan, an output's value is marked sensitive exactly when
    /// the output is declared sensitive, so only the name and detector checks apply there.
    ///
    /// ## Why it matters
    /// Outputs are printed at the end of every `terraform apply`, stored in plain text in the
    /// state, and read by other stacks through `terraform_remote_state`: CI logs and every
    /// consumer of the state see the secret.
    ///
    /// ## Example
    /// ```hcl
    /// output "ci_secret_key" {
    ///   value = nonsensitive(aws_iam_access_key.ci.secret)
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// output "ci_secret_key" {
    ///   value     = aws_iam_access_key.ci.secret
    ///   sensitive = true
    /// }
    /// ```
    ///
    /// Better, store the secret in a secret manager from Terraform and output only its ARN.
    ///
    /// ## References
    /// - <https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output>
    /// - <https://developer.hashicorp.com/terraform/language/state/sensitive-data>
    pub static SENSITIVE_OUTPUT_EXPOSED = {
        code: "SEC002",
        name: "sensitive-output-exposed",
        severity: High,
        inputs: Both,
        check: Check::Model(check),
    }
}

fn address(output: &Output) -> String {
    if output.module.is_empty() {
        format!("output.{}", output.name)
    } else {
        format!("{}.output.{}", output.module, output.name)
    }
}

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let plan = model.input == Some(InputKind::Plan);
    for output in &model.outputs {
        if output.declared_sensitive == Some(true) {
            continue;
        }
        // A plan marks an output's value sensitive when the output is declared so.
        let declared_by_mask =
            plan && output.declared_sensitive.is_none() && output.value.sensitive;
        if declared_by_mask {
            continue;
        }
        let message = if output.value.contains_sensitive() {
            Some((
                "output exposes a sensitive value without `sensitive = true`".to_string(),
                Severity::High,
            ))
        } else if let Some(detector) = first_detection(&output.value) {
            Some((
                format!(
                    "output exposes a value that matches the {} detector without `sensitive = true`",
                    detector.to_lowercase()
                ),
                Severity::High,
            ))
        } else if is_secret_name(&output.name) && !output.value.is_null() {
            Some((
                format!(
                    "output `{}` is named like a secret but is not `sensitive = true`",
                    output.name
                ),
                Severity::Medium,
            ))
        } else {
            None
        };
        let Some((message, severity)) = message else {
            continue;
        };
        let finding = ctx.report_global(Some(address(output)), message);
        finding.location = output.location.clone();
        finding.severity(severity);
    }
}

fn first_detection(value: &crate::Value) -> Option<&'static str> {
    let mut found = None;
    value.walk_strings(&mut Vec::new(), &mut |_, _, s| {
        if found.is_none() {
            found = detect(s);
        }
    });
    found
}
