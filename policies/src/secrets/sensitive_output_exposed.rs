use crate::model::InputKind;
use crate::policy::Check;
use crate::secret_patterns::detect;
use crate::{declare_policy, Context, Output};

declare_policy! {
    /// ## What it checks
    /// Root-module outputs that expose a secret without `sensitive = true`.
    ///
    /// An output is reported when:
    ///
    /// - its value is marked sensitive by what Terraform decides: it comes from a `sensitive`
    ///   variable, from `sensitive()`, or from an attribute the provider schema marks sensitive
    ///   (`aws_iam_access_key.secret`, `random_password.result`,
    ///   `tls_private_key.private_key_pem`, ...);
    /// - its value matches a secret detector (an AWS access key id, a private key block, ...).
    ///
    /// Names decide nothing: `random_string.result`, `aws_iam_access_key.encrypted_secret` (PGP
    /// ciphertext) and `aws_instance.password_data` (encrypted) are not sensitive to their
    /// providers, and `can(...)` is a boolean. Only root modules are checked (directories no
    /// module in the scan calls, and Terragrunt units): in a child module the sensitive mark
    /// travels with the value to the caller, and Terraform asks for `sensitive = true` only
    /// where the value leaves the configuration.
    ///
    /// Terraform itself refuses such a root output when it plans; guard says so before, at the
    /// output. On a plan, an output's value is marked sensitive exactly when the output is
    /// declared sensitive, so only the detector check applies there.
    ///
    /// ## Why it matters
    /// Outputs are printed at the end of every `terraform apply`, stored in plain text in the
    /// state, and read by other stacks through `terraform_remote_state`: CI logs and every
    /// consumer of the state see the secret.
    ///
    /// ## Example
    /// ```hcl
    /// output "ci_secret_key" {
    ///   value = aws_iam_access_key.ci.secret
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
    let plan = model.input() == Some(InputKind::Plan);
    for output in model.outputs() {
        // Only a root module's outputs are printed and stored for other stacks to read; in a
        // child module the sensitive mark travels with the value to the caller's output.
        if output.declared_sensitive == Some(true) || !output.module.is_empty() {
            continue;
        }
        // A plan marks an output's value sensitive when the output is declared so.
        let declared_by_mask =
            plan && output.declared_sensitive.is_none() && output.value().is_marked_sensitive();
        if declared_by_mask {
            continue;
        }
        let message = if output.value().contains_sensitive() {
            "output exposes a sensitive value without `sensitive = true`".to_string()
        } else if let Some(detector) = first_detection(output.value()) {
            format!(
                "output exposes a value that matches the {} detector without `sensitive = true`",
                detector.to_lowercase()
            )
        } else {
            continue;
        };
        let finding = ctx.report_global(Some(address(output)), message);
        finding.location = output.location.clone();
    }
}

fn first_detection(value: crate::ValueRef<'_>) -> Option<&'static str> {
    let mut found = None;
    value.walk_strings(&mut Vec::new(), &mut |_, _, s| {
        if found.is_none() {
            found = detect(s);
        }
    });
    found
}
