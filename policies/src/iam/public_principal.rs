use super::document::{allows, and, items, Document, RenderedDocuments, POLICY_DOCUMENT_DATA};
use crate::policy::Check;
use crate::value::display_safe;
use crate::{declare_policy, Context, Mode, Resource, Severity, Tri, ValueKind, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Resource policies that let anyone in: a public principal without a condition that narrows
    /// it.
    ///
    /// - AWS resource policies with an `Allow` statement whose `Principal` is `"*"` or
    ///   `{"AWS": "*"}` (or that uses `NotPrincipal`), and whose `Condition` names none of the
    ///   keys that pin the caller down: `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`,
    ///   `aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceIp`, `aws:VpcSourceIp`, `aws:PrincipalOrgID`,
    ///   `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    ///   `aws:PrincipalServiceName`, `aws:PrincipalIsAWSService`, `aws:SourceOrgID`,
    ///   `aws:SourceOrgPaths`, `aws:userid`, `aws:VpceAccount`, `aws:Ec2InstanceSourceVpc`,
    ///   `kms:CallerAccount`, `s3:DataAccessPointAccount`, `s3:DataAccessPointArn`,
    ///   `ec2:SourceInstanceArn`, `lambda:SourceFunctionArn`, `ssm:SourceInstanceArn`, with a value
    ///   that is not a wildcard (`"*"`, `arn:aws:iam::*:root`). A condition on anything else
    ///   (`aws:SecureTransport`, `s3:x-amz-acl`) does not stop a stranger. Covered: `aws_s3_bucket_policy`,
    ///   `aws_s3_bucket.policy`, `aws_s3_access_point.policy`, `aws_sqs_queue_policy`,
    ///   `aws_sqs_queue.policy`, `aws_sns_topic_policy`, `aws_sns_topic.policy`, `aws_kms_key.policy`, `aws_kms_key_policy`,
    ///   `aws_ecr_repository_policy`, `aws_secretsmanager_secret_policy`,
    ///   `aws_secretsmanager_secret.policy`, `aws_glacier_vault.access_policy`,
    ///   `aws_efs_file_system_policy`, `aws_backup_vault_policy`, the `assume_role_policy` of
    ///   `aws_iam_role` (anyone could assume the role), and `data "aws_iam_policy_document"`
    ///   (reported on the data source, once, whatever uses it).
    /// - `aws_lambda_permission` with `principal = "*"` and no `source_arn`, `source_account` or
    ///   `principal_org_id`.
    /// - GCP `allUsers` and `allAuthenticatedUsers` (any Google account) in `member` or `members`
    ///   of any `google_*_iam_member` or `google_*_iam_binding`, in the bindings of a
    ///   `google_*_iam_policy`'s `policy_data`, and in `data "google_iam_policy"`.
    ///
    /// A policy or principal known only after apply is reported at low severity and says so,
    /// except the inline `policy` of a bucket, key, queue, topic or secret, which a plan shows as
    /// unknown whenever it is not set (the provider marks the attribute optional and computed, and
    /// fills in the default policy, which is not public). A member known only after apply is a computed
    /// identity (`"serviceAccount:${google_service_account.x.email}"`), not one of the two fixed
    /// public names, and is not reported.
    /// OpenSearch and API Gateway resource policies are not covered: `Principal: "*"` is how a
    /// VPC-only domain or a public API is written, and whether those are reachable is NET005's
    /// business.
    ///
    /// ## Why it matters
    /// A public principal is not "everyone in our account": it is every AWS account or every
    /// Google account in the world. A bucket, queue, key or role that trusts `*` is reachable by
    /// anyone who learns its name, and names are guessable. This is how most public-bucket
    /// data leaks happened.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "events" {
    ///   queue_url = aws_sqs_queue.events.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "sqs:SendMessage"
    ///       Resource  = aws_sqs_queue.events.arn
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Name the principal, or keep `*` and pin the caller with a condition.
    ///
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "events" {
    ///   queue_url = aws_sqs_queue.events.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { Service = "sns.amazonaws.com" }
    ///       Action    = "sqs:SendMessage"
    ///       Resource  = aws_sqs_queue.events.arn
    ///       Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.events.arn } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous>
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>
    /// - <https://cloud.google.com/iam/docs/principals-overview#all-users>
    pub static PUBLIC_PRINCIPAL = {
        code: "IAM002",
        name: "public-principal",
        severity: High,
        inputs: Both,
        check: Check::Model(check),
    }
}

/// Resource types and the attribute holding their resource policy.
const RESOURCE_POLICIES: &[(&str, &str)] = &[
    ("aws_s3_bucket_policy", "policy"),
    ("aws_s3_bucket", "policy"),
    ("aws_s3_access_point", "policy"),
    ("aws_sqs_queue_policy", "policy"),
    ("aws_sqs_queue", "policy"),
    ("aws_sns_topic_policy", "policy"),
    ("aws_sns_topic", "policy"),
    ("aws_kms_key", "policy"),
    ("aws_kms_key_policy", "policy"),
    ("aws_ecr_repository_policy", "policy"),
    ("aws_secretsmanager_secret_policy", "policy"),
    ("aws_secretsmanager_secret", "policy"),
    ("aws_glacier_vault", "access_policy"),
    ("aws_efs_file_system_policy", "policy"),
    ("aws_backup_vault_policy", "policy"),
    ("aws_iam_role", "assume_role_policy"),
];

/// Inline policy attributes that are optional and computed by the provider.
const COMPUTED_POLICIES: &[(&str, &str)] = &[
    ("aws_s3_bucket", "policy"),
    ("aws_sqs_queue", "policy"),
    ("aws_sns_topic", "policy"),
    ("aws_kms_key", "policy"),
    ("aws_secretsmanager_secret", "policy"),
    ("aws_glacier_vault", "access_policy"),
];

/// Condition keys that restrict who the caller is or where the call comes from.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:vpcsourceip",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalservicename",
    "aws:principalisawsservice",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:userid",
    "kms:calleraccount",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
    "aws:vpceaccount",
    "aws:ec2instancesourcevpc",
    "ec2:sourceinstancearn",
    "lambda:sourcefunctionarn",
    "ssm:sourceinstancearn",
];

const PUBLIC_MEMBERS: &[&str] = &["allUsers", "allAuthenticatedUsers"];

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let rendered = RenderedDocuments::of(model, POLICY_DOCUMENT_DATA);
    let rendered_gcp = RenderedDocuments::of(model, "google_iam_policy");
    for resource in model.resources() {
        let t = resource.resource_type();
        if resource.mode() == Mode::Data {
            match t {
                POLICY_DOCUMENT_DATA => {
                    let mut doc = Document::from_data_source(resource.values(), &rendered);
                    if (doc.statements().len() != 0) && !doc.has_principal() {
                        // An identity policy: its unknown parts are IAM001's to report.
                        doc.unknown = None;
                    }
                    check_document(ctx, resource, &doc, "policy document");
                }
                "google_iam_policy" => {
                    for binding in resource.values().blocks("binding") {
                        check_members(ctx, resource, binding.get("members"), binding.get("role"));
                    }
                }
                _ => {}
            }
            continue;
        }
        if !resource.will_exist() {
            continue;
        }
        if let Some((_, attribute)) = RESOURCE_POLICIES.iter().find(|(ty, _)| *ty == t) {
            let policy = resource.values().get(attribute);
            if rendered.rendered(policy) {
                continue;
            }
            // The inline `policy` of a bucket, key, queue, topic, secret or vault is optional and
            // computed: a plan shows it unknown when it is not set (the provider reads back the
            // default policy, which is not public). Only the dedicated `*_policy` resources and
            // `assume_role_policy`, which are required, say something when unknown.
            if policy.is_unknown() && COMPUTED_POLICIES.contains(&(t, *attribute)) {
                continue;
            }
            if let Some(doc) = Document::from_attribute(policy) {
                check_document(ctx, resource, &doc, &format!("`{attribute}`"));
            }
            continue;
        }
        if t == "aws_lambda_permission" {
            check_lambda_permission(ctx, resource);
        } else if t.starts_with("google_") {
            if t.ends_with("_iam_member") {
                let v = resource.values();
                check_members(ctx, resource, v.get("member"), v.get("role"));
            } else if t.ends_with("_iam_binding") {
                let v = resource.values();
                check_members(ctx, resource, v.get("members"), v.get("role"));
            } else if t.ends_with("_iam_policy") {
                check_gcp_policy_data(ctx, &rendered_gcp, resource);
            }
        }
    }
}

/// `Yes` when the principal is everyone: `"*"`, or `*` among the `AWS` identifiers; with the
/// value to point at.
fn public_principal(principal: ValueRef<'_>) -> (Tri, ValueRef<'_>) {
    match principal.kind() {
        ValueKind::String("*") => (Tri::Yes, principal),
        ValueKind::Unknown => (Tri::Unknown, principal),
        ValueKind::Object(map) => {
            let mut answer = (Tri::No, principal);
            for (ty, ids) in map {
                if ty != "AWS" {
                    continue;
                }
                for id in items(ids) {
                    match id.as_str() {
                        Some("*") => return (Tri::Yes, id),
                        None if id.is_unknown() => answer = (Tri::Unknown, id),
                        _ => {}
                    }
                }
            }
            answer
        }
        _ => (Tri::No, principal),
    }
}

/// Whether a `Condition` restricts the caller: any restricting key, or one known only after
/// apply (not counted against the policy).
fn restricted(condition: ValueRef<'_>) -> bool {
    if condition.is_unknown() {
        return true;
    }
    let Some(tests) = condition.as_object() else {
        return false;
    };
    tests.values().any(|keys| {
        keys.is_unknown()
            || keys.as_object().is_some_and(|keys| {
                keys.iter().any(|(k, values)| {
                    let k = k.to_ascii_lowercase();
                    // `"aws:PrincipalArn": "*"` or `"arn:aws:iam::*:root"` narrows nothing.
                    let narrows = items(values)
                        .iter()
                        .any(|v| v.as_str().is_none_or(|v| v != "*" && !v.contains("::*")));
                    (RESTRICTING_KEYS.contains(&k.as_str()) || k == "(known after apply)")
                        && narrows
                })
            })
    })
}

fn check_document(ctx: &mut Context<'_>, resource: &Resource, doc: &Document, what: &str) {
    let mut found = false;
    let mut unsure: Option<ValueRef<'_>> = None;
    for statement in doc.statements() {
        let not_principal = statement.get("NotPrincipal");
        let principal = statement.get("Principal");
        let (public, at) = if !not_principal.is_null() {
            (Tri::Yes, not_principal)
        } else {
            public_principal(principal)
        };
        let answer = and(allows(statement), public);
        if answer.is_no() || restricted(statement.get("Condition")) {
            continue;
        }
        if answer == Tri::Unknown {
            unsure.get_or_insert(at);
            continue;
        }
        found = true;
        let actions = statement.get("Action");
        let granted = if actions.is_null() {
            String::new()
        } else {
            format!(" `{}`", display_safe(actions))
        };
        let who = if !not_principal.is_null() {
            "everyone but the `NotPrincipal`"
        } else if principal.as_str().is_some() {
            "everyone (`Principal` `*`)"
        } else {
            "every aws account (`Principal` `AWS: *`)"
        };
        ctx.report_at(
            resource,
            at,
            format!("{what} allows{granted} to {who} with no condition on the caller's account, organization, source or network"),
        );
    }
    if found {
        return;
    }
    if let Some(at) = unsure.or(doc.unknown) {
        // Unknown only to guard (a module that was not downloaded): the loader's warning says
        // so; not a finding.
        if ctx.model.not_downloaded_source(at).is_some() {
            return;
        }
        ctx.report_at(
            resource,
            at,
            format!("{what} is known only after apply, so guard cannot tell whether it grants access to everyone"),
        )
        .severity(Severity::Low);
    }
}

fn check_lambda_permission(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let principal = v.get("principal");
    let scoped = ["source_arn", "source_account", "principal_org_id"]
        .iter()
        .any(|a| !v.get(a).is_null());
    match principal.as_str() {
        Some("*") if !scoped => {
            ctx.report_at(
                resource,
                principal,
                format!(
                    "lambda permission lets any aws account call `{}`: `principal` is `*` with no `source_arn`, `source_account` or `principal_org_id`",
                    display_safe(v.get("action"))
                ),
            );
        }
        None if principal.is_unknown() && !scoped => {
            ctx.report_at(
                resource,
                principal,
                "`principal` is known only after apply, so guard cannot tell whether any aws account may call the function",
            )
            .severity(Severity::Low);
        }
        _ => {}
    }
}

/// GCP members: `allUsers` and `allAuthenticatedUsers` are the internet.
fn check_members(
    ctx: &mut Context<'_>,
    resource: &Resource,
    members: ValueRef<'_>,
    role: ValueRef<'_>,
) {
    let role = role
        .as_str()
        .map(|r| format!("`{r}`"))
        .unwrap_or_else(|| "a role".to_string());
    // A member known only after apply is a computed identity (`"serviceAccount:${...email}"`),
    // not one of the two fixed public names people write literally: not reported.
    for member in items(members) {
        match member.as_str() {
            Some(m) if PUBLIC_MEMBERS.contains(&m) => {
                let who = if m == "allUsers" {
                    "anyone on the internet"
                } else {
                    "any google account"
                };
                ctx.report_at(resource, member, format!("{role} granted to `{m}`: {who}"));
                return;
            }
            _ => {}
        }
    }
}

/// The `policy_data` JSON of a `google_*_iam_policy`.
fn check_gcp_policy_data(
    ctx: &mut Context<'_>,
    rendered: &RenderedDocuments<'_>,
    resource: &Resource,
) {
    let data = resource.values().get("policy_data");
    if rendered.rendered(data) {
        // Checked on the `data "google_iam_policy"` that renders it.
        return;
    }
    match data.kind() {
        ValueKind::String(text) => {
            let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
                return;
            };
            let Some(bindings) = json.get("bindings").and_then(|b| b.as_array()) else {
                return;
            };
            for binding in bindings {
                let role = binding.get("role").and_then(|r| r.as_str()).unwrap_or("");
                let public = binding
                    .get("members")
                    .and_then(|m| m.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|m| m.as_str())
                    .find(|m| PUBLIC_MEMBERS.contains(m));
                if let Some(m) = public {
                    ctx.report_at(
                        resource,
                        data,
                        format!("`policy_data` grants `{role}` to `{m}`"),
                    );
                }
            }
        }
        ValueKind::Unknown => {
            ctx.report_at(
                resource,
                data,
                "`policy_data` is known only after apply, so guard cannot tell whether it grants access to `allUsers`",
            )
            .severity(Severity::Low);
        }
        _ => {}
    }
}
