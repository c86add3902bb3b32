use crate::policy::Check;
use crate::{declare_policy, display_safe, Context, Resource, ValueKind, ValueRef};

declare_policy! {
    /// ## What it checks
    /// A planned change to the certificate a listener, load balancer, CDN or domain serves.
    ///
    /// Changed attributes such as `certificate_arn`, `ssl_certificate_id`, `acm_certificate_arn`,
    /// `iam_certificate_id` or `ssl_certificates` are reported, at any depth, as is the deletion
    /// or replacement of a certificate resource. The message says what changes from what to
    /// what; certificate identifiers are not secrets, but a value marked sensitive is still
    /// redacted.
    ///
    /// ## Why it matters
    /// Certificates were once changed by hand; the next deploy silently put the wrong ones back and
    /// browsers showed errors that a cached exception hid. A certificate swap should always be a
    /// deliberate, reviewed change.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "https" {
    ///   certificate_arn = aws_acm_certificate.old.arn # was .new
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Review that the new certificate covers every served name and is issued and validated
    /// before the switch, then approve the change.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html>
    pub static CERTIFICATE_CHANGE = {
        code: "DRF002",
        name: "certificate-change",
        severity: High,
        inputs: PlanOnly,
        check: Check::Resources { types: &[], check },
    }
}

/// Attributes that name the certificate a resource serves.
const CERTIFICATE_ATTRIBUTES: &[&str] = &[
    "certificate_arn",
    "ssl_certificate_id",
    "acm_certificate_arn",
    "iam_certificate_id",
    "cloudfront_default_certificate",
    "regional_certificate_arn",
    "ssl_certificates",
    "certificate_map",
    "certificate_id",
    "certificate_name",
    "ssl_certificate",
    "key_vault_secret_id",
];

/// Resource types that are certificates themselves.
const CERTIFICATE_TYPES: &[&str] = &[
    "aws_acm_certificate",
    "aws_iam_server_certificate",
    "aws_lb_listener_certificate",
    "aws_acmpca_certificate",
    "google_compute_ssl_certificate",
    "google_compute_managed_ssl_certificate",
    "google_certificate_manager_certificate",
    "azurerm_app_service_certificate",
    "azurerm_app_service_certificate_binding",
    "azurerm_key_vault_certificate",
];

fn check(ctx: &mut Context<'_>, resource: &Resource) {
    let Some(change) = resource.change() else {
        return;
    };
    let actions = &change.actions;
    if CERTIFICATE_TYPES.contains(&resource.resource_type()) && actions.is_destructive() {
        ctx.report(
            resource,
            format!(
                "certificate `{}` is {} ({})",
                resource.address(),
                if actions.is_replace() {
                    "replaced"
                } else {
                    "deleted"
                },
                actions.display()
            ),
        );
        return;
    }
    if !(actions.class() == crate::ActionClass::Update || actions.is_replace()) {
        return;
    }
    let mut changes = Vec::new();
    diff_certificates(
        resource.before(),
        resource.after(),
        &mut String::new(),
        &mut changes,
    );
    for (path, before, after) in changes {
        ctx.report(
            resource,
            format!(
                "certificate `{path}` changes from `{}` to `{}`",
                display_safe(before),
                display_safe(after)
            ),
        );
    }
}

/// Finds certificate attributes whose values differ, at any depth (CloudFront nests them in
/// `viewer_certificate`).
fn diff_certificates<'v>(
    before: ValueRef<'v>,
    after: ValueRef<'v>,
    path: &mut String,
    out: &mut Vec<(String, ValueRef<'v>, ValueRef<'v>)>,
) {
    match (before.kind(), after.kind()) {
        (ValueKind::Object(b), ValueKind::Object(a)) => {
            for (key, after_value) in a {
                let before_value = b.get(key).unwrap_or(ValueRef::null());
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                if CERTIFICATE_ATTRIBUTES.contains(&key) {
                    if !before_value.same_content(after_value)
                        && (!before_value.is_null() || !after_value.is_null())
                    {
                        out.push((path.clone(), before_value, after_value));
                    }
                } else {
                    diff_certificates(before_value, after_value, path, out);
                }
                path.truncate(len);
            }
        }
        (ValueKind::List(b), ValueKind::List(a)) => {
            for (i, (bv, av)) in b.iter().zip(a.iter()).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                diff_certificates(bv, av, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}
