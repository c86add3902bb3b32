use crate::policy::Check;
use crate::{declare_policy, display_safe, Context, Resource, Severity, Tri};

declare_policy! {
    /// ## What it checks
    /// Symmetric encryption keys without automatic rotation.
    ///
    /// Covered: a symmetric `aws_kms_key` (no `customer_master_key_spec`
    /// or `SYMMETRIC_DEFAULT`, not an HMAC key, not in a custom key store) without
    /// `enable_key_rotation = true`, and a `google_kms_crypto_key` for `ENCRYPT_DECRYPT` (the
    /// default purpose) without `rotation_period`. Asymmetric and HMAC keys cannot rotate
    /// automatically and are not reported.
    ///
    /// A setting known only after apply is reported at low severity and says so.
    ///
    /// ## Why it matters
    /// Rotation limits how much data one key version protects and how long a leaked version stays
    /// useful. Old versions stay available for decryption, so turning it on costs nothing but a
    /// small monthly fee per version; most compliance frameworks require it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description = "data at rest"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description         = "data at rest"
    ///   enable_key_rotation = true
    /// }
    ///
    /// resource "google_kms_crypto_key" "data" {
    ///   name            = "data"
    ///   key_ring        = google_kms_key_ring.main.id
    ///   rotation_period = "7776000s" # 90 days
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html>
    /// - <https://cloud.google.com/kms/docs/key-rotation>
    pub static KMS_ROTATION_DISABLED = {
        code: "ENC003",
        name: "kms-rotation-disabled",
        severity: Medium,
        inputs: Both,
        check: Check::Resources {
            types: &["aws_kms_key", "google_kms_crypto_key"],
            check,
        },
    }
}

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    if !resource.will_exist() {
        return;
    }
    let v = resource.values();
    match resource.resource_type() {
        "aws_kms_key" => {
            let spec = v
                .get("customer_master_key_spec")
                .as_str()
                .unwrap_or("SYMMETRIC_DEFAULT");
            let usage = v.get("key_usage").as_str().unwrap_or("ENCRYPT_DECRYPT");
            let custom_store = v
                .get("custom_key_store_id")
                .as_str()
                .is_some_and(|s| !s.is_empty());
            if spec != "SYMMETRIC_DEFAULT" || usage != "ENCRYPT_DECRYPT" || custom_store {
                return;
            }
            let rotation = v.get("enable_key_rotation");
            match rotation.is_true() {
                Tri::Yes => {}
                Tri::Unknown => {
                    ctx.report_at(
                        resource,
                        rotation,
                        "`enable_key_rotation` is known only after apply, so rotation cannot be confirmed",
                    )
                    .severity(Severity::Low);
                }
                Tri::No if rotation.is_null() => {
                    ctx.report(
                        resource,
                        "symmetric kms key does not rotate: `enable_key_rotation` is not set; set `enable_key_rotation = true`",
                    );
                }
                Tri::No => {
                    ctx.report_at(
                        resource,
                        rotation,
                        format!(
                            "symmetric kms key does not rotate: `enable_key_rotation` is `{}`; set `enable_key_rotation = true`",
                            display_safe(rotation)
                        ),
                    );
                }
            }
        }
        "google_kms_crypto_key" => {
            let purpose = v.get("purpose").as_str().unwrap_or("ENCRYPT_DECRYPT");
            if purpose != "ENCRYPT_DECRYPT" {
                return;
            }
            let period = v.get("rotation_period");
            if period.is_unknown() {
                ctx.report_at(
                    resource,
                    period,
                    "`rotation_period` is known only after apply, so rotation cannot be confirmed",
                )
                .severity(Severity::Low);
            } else if period.as_str().is_none_or(|p| p.trim().is_empty()) {
                ctx.report(
                    resource,
                    "crypto key does not rotate: `rotation_period` is not set; set it, e.g. `rotation_period = \"7776000s\"` (90 days)",
                );
            }
        }
        _ => {}
    }
}
