use super::document::{allows, and, any_item, Document, RenderedDocuments, POLICY_DOCUMENT_DATA};
use crate::policy::Check;
use crate::value::display_safe;
use crate::{declare_policy, Context, Mode, Resource, Severity, Tri, ValueKind, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Identities granted administrator access: every action on every resource.
    ///
    /// - AWS identity policies (`aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`,
    ///   `aws_iam_group_policy`, the `inline_policy` blocks of `aws_iam_role`,
    ///   `aws_ssoadmin_permission_set_inline_policy`) and `data "aws_iam_policy_document"`, with a
    ///   statement that allows `Action` `*` (or `*:*`) on `Resource` `*`, allows `iam:*` on `*`
    ///   (whoever holds it can attach any policy to themselves), or allows everything through
    ///   `NotAction` without excluding `iam:*` (AWS's own `PowerUserAccess` excludes it and is not
    ///   reported). `NotResource` counts as every resource. Documents are read whatever way they
    ///   are written: a JSON string, a heredoc, `jsonencode(...)`, `file(...)` or the data
    ///   source's `statement` blocks (reported on the data source, where the statement is written,
    ///   and not again on each policy that uses it). Statements with a `Principal` are resource
    ///   policies and are left to IAM002.
    /// - The AWS-managed `AdministratorAccess` policy attached to a user, group or role
    ///   (`aws_iam_*_policy_attachment`, `aws_iam_policy_attachment`, `managed_policy_arns` of
    ///   `aws_iam_role`, `aws_ssoadmin_managed_policy_attachment`), in any partition.
    /// - GCP `roles/owner` and `roles/editor` granted on a project, folder or organization
    ///   (`google_{project,folder,organization}_iam_member` and `_iam_binding`), to any member.
    /// - Azure `Owner`, `Contributor` and `User Access Administrator` assigned at subscription or
    ///   management-group scope (`azurerm_role_assignment`, by name or by the built-in role's
    ///   id), and custom roles (`azurerm_role_definition`) that allow `*`.
    ///
    /// A document, role or scope known only after apply is reported at low severity and says so.
    /// An attachment whose policy ARN is known only after apply is not reported: it names a policy
    /// created elsewhere, which is checked where it is written when it is in the scanned code.
    ///
    /// ## Why it matters
    /// An administrator credential turns any leak (a CI token, an instance role, a compromised
    /// laptop) into control of the whole account or project, including deleting its backups and
    /// its audit trail. Administrator grants written into code are usually shortcuts taken to make
    /// something work, then never narrowed.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy" "deploy" {
    ///   role = aws_iam_role.deploy.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Grant the actions the workload calls on the resources it touches; IAM Access Analyzer can
    /// generate a policy from what a role actually used.
    ///
    /// ```hcl
    /// resource "aws_iam_role_policy" "deploy" {
    ///   role = aws_iam_role.deploy.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["s3:PutObject", "cloudfront:CreateInvalidation"]
    ///       Resource = [aws_s3_bucket.site.arn, aws_cloudfront_distribution.site.arn]
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege>
    /// - <https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html>
    /// - <https://cloud.google.com/iam/docs/roles-overview#basic>
    /// - <https://learn.microsoft.com/azure/role-based-access-control/best-practices>
    pub static IAM_ADMIN_WILDCARD = {
        code: "IAM001",
        name: "iam-admin-wildcard",
        severity: High,
        inputs: Both,
        check: Check::Model(check),
    }
}

/// Resource types whose `policy` attribute is an identity policy.
const IDENTITY_POLICIES: &[&str] = &[
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
];

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let rendered = RenderedDocuments::of(model, POLICY_DOCUMENT_DATA);
    for resource in model.resources() {
        if resource.mode() == Mode::Data {
            if resource.resource_type() == POLICY_DOCUMENT_DATA {
                let mut doc = Document::from_data_source(resource.values(), &rendered);
                if doc.has_principal() {
                    // A resource policy: its unknown parts are IAM002's to report.
                    doc.unknown = None;
                }
                check_document(ctx, resource, &doc, "policy document");
            }
            continue;
        }
        if !resource.will_exist() {
            continue;
        }
        let v = resource.values();
        match resource.resource_type() {
            t if IDENTITY_POLICIES.contains(&t) => {
                check_attribute(ctx, &rendered, resource, v.get("policy"), "`policy`");
            }
            "aws_ssoadmin_permission_set_inline_policy" => {
                let policy = v.get("inline_policy");
                check_attribute(ctx, &rendered, resource, policy, "`inline_policy`");
            }
            "aws_iam_role" => {
                // `inline_policy` is computed: unknown in a plan when not configured.
                for block in v.blocks("inline_policy") {
                    let policy = block.get("policy");
                    if !policy.is_unknown() {
                        check_attribute(ctx, &rendered, resource, policy, "`inline_policy`");
                    }
                }
                let arns = v.get("managed_policy_arns");
                for arn in arns.as_list() {
                    check_managed_arn(ctx, resource, arn, "managed_policy_arns");
                }
            }
            "aws_iam_role_policy_attachment"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_group_policy_attachment"
            | "aws_iam_policy_attachment" => {
                check_managed_arn(ctx, resource, v.get("policy_arn"), "policy_arn");
            }
            "aws_ssoadmin_managed_policy_attachment" => {
                let arn = v.get("managed_policy_arn");
                check_managed_arn(ctx, resource, arn, "managed_policy_arn");
            }
            "google_project_iam_member"
            | "google_project_iam_binding"
            | "google_folder_iam_member"
            | "google_folder_iam_binding"
            | "google_organization_iam_member"
            | "google_organization_iam_binding" => check_gcp_basic_role(ctx, resource),
            "azurerm_role_assignment" => check_azure_assignment(ctx, resource),
            "azurerm_role_definition" => check_azure_definition(ctx, resource),
            _ => {}
        }
    }
}

/// A `policy`-like attribute: checked here unless a data source rendered it.
fn check_attribute(
    ctx: &mut Context<'_>,
    rendered: &RenderedDocuments<'_>,
    resource: &Resource,
    policy: ValueRef<'_>,
    what: &str,
) {
    if rendered.rendered(policy) {
        return;
    }
    if let Some(doc) = Document::from_attribute(policy) {
        check_document(ctx, resource, &doc, what);
    }
}

/// How a statement grants administrator access, when it does.
enum Grant<'v> {
    /// `Action: "*"` (or `*:*`) on every resource.
    Everything(ValueRef<'v>),
    /// `Action: "iam:*"` on every resource.
    Iam(ValueRef<'v>),
    /// `NotAction` that leaves `iam:*` allowed, on every resource.
    AllBut(ValueRef<'v>),
}

fn is_full_wildcard(action: &str) -> bool {
    action == "*" || action == "*:*"
}

fn is_iam_wildcard(action: &str) -> bool {
    action.eq_ignore_ascii_case("iam:*")
}

/// Whether one statement grants administrator access (`Unknown` when a deciding part is).
fn admin_grant(statement: ValueRef<'_>) -> (Tri, Option<Grant<'_>>) {
    if !statement.get("Principal").is_null() || !statement.get("NotPrincipal").is_null() {
        return (Tri::No, None);
    }
    let every_resource = if statement.get("NotResource").is_null() {
        any_item(statement.get("Resource"), |r| r == "*")
    } else {
        Tri::Yes
    };
    let base = and(allows(statement), every_resource);
    if base.is_no() {
        return (Tri::No, None);
    }
    let action = statement.get("Action");
    let not_action = statement.get("NotAction");
    let (granted, grant) = if !not_action.is_null() {
        // Everything except the listed actions: administrator unless IAM is excluded.
        let excludes_iam = any_item(not_action, |a| is_full_wildcard(a) || is_iam_wildcard(a));
        let leaves_iam = match excludes_iam {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        };
        (leaves_iam, Grant::AllBut(not_action))
    } else {
        match any_item(action, is_full_wildcard) {
            Tri::Yes => (Tri::Yes, Grant::Everything(action)),
            full => match any_item(action, is_iam_wildcard) {
                Tri::Yes => (Tri::Yes, Grant::Iam(action)),
                iam => (and_or(full, iam), Grant::Everything(action)),
            },
        }
    };
    let answer = and(base, granted);
    if answer.is_no() {
        (Tri::No, None)
    } else {
        (answer, Some(grant))
    }
}

/// Tri-valued "or" of two answers that are not `Yes`.
fn and_or(a: Tri, b: Tri) -> Tri {
    if a == Tri::Unknown || b == Tri::Unknown {
        Tri::Unknown
    } else {
        Tri::No
    }
}

fn check_document(ctx: &mut Context<'_>, resource: &Resource, doc: &Document, what: &str) {
    let mut unsure: Option<ValueRef<'_>> = None;
    let mut found = false;
    for statement in doc.statements() {
        match admin_grant(statement) {
            (Tri::Yes, Some(grant)) => {
                found = true;
                let (at, message) = match grant {
                    Grant::Everything(at) => (
                        at,
                        format!(
                            "{what} allows every action (`{}`) on every resource: administrator access",
                            display_safe(at)
                        ),
                    ),
                    Grant::Iam(at) => (
                        at,
                        format!(
                            "{what} allows `iam:*` on every resource: whoever holds it can grant themselves administrator access"
                        ),
                    ),
                    Grant::AllBut(at) => (
                        at,
                        format!(
                            "{what} allows every action except `NotAction` {} on every resource, `iam:*` included: administrator access",
                            display_safe(at)
                        ),
                    ),
                };
                ctx.report_at(resource, at, message);
            }
            (Tri::Unknown, _) => {
                unsure.get_or_insert(statement);
            }
            _ => {}
        }
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
            format!(
                "{what} is known only after apply, so guard cannot tell whether it grants administrator access"
            ),
        )
        .severity(Severity::Low);
    }
}

/// `arn:aws:iam::aws:policy/AdministratorAccess`, in any partition.
fn is_administrator_access(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some("aws"), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    partition.starts_with("aws") && rest == "policy/AdministratorAccess"
}

fn check_managed_arn(
    ctx: &mut Context<'_>,
    resource: &Resource,
    arn: ValueRef<'_>,
    attribute: &str,
) {
    if arn.as_str().is_some_and(is_administrator_access) {
        let whom = match resource.resource_type() {
            "aws_iam_user_policy_attachment" => "a user",
            "aws_iam_group_policy_attachment" => "a group",
            "aws_iam_role_policy_attachment" | "aws_iam_role" => "a role",
            "aws_ssoadmin_managed_policy_attachment" => "a permission set",
            _ => "users, groups or roles",
        };
        ctx.report_at(
            resource,
            arn,
            format!(
                "`{attribute}` attaches the aws-managed `AdministratorAccess` policy to {whom}"
            ),
        );
    }
}

const GCP_BASIC_ROLES: &[&str] = &["roles/owner", "roles/editor"];

fn check_gcp_basic_role(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let scope = resource
        .resource_type()
        .trim_start_matches("google_")
        .split('_')
        .next()
        .unwrap_or("project");
    let members = if v.has("members") {
        v.get("members")
    } else {
        v.get("member")
    };
    // An authoritative binding with no members takes the role away from everyone.
    if matches!(members.kind(), ValueKind::List(items) if items.is_empty()) {
        return;
    }
    let role = v.get("role");
    match role.as_str() {
        Some(r) if GCP_BASIC_ROLES.contains(&r) => {
            ctx.report_at(
                resource,
                role,
                format!(
                    "basic role `{r}` granted on the {scope} to `{}`: it allows changing almost everything in it",
                    display_safe(members)
                ),
            );
        }
        None if role.is_unknown() => {
            ctx.report_at(
                resource,
                role,
                format!("`role` is known only after apply, so guard cannot tell whether it is a basic role on the {scope}"),
            )
            .severity(Severity::Low);
        }
        _ => {}
    }
}

/// Azure's built-in privileged roles: name and role definition id.
const AZURE_PRIVILEGED_ROLES: &[(&str, &str)] = &[
    ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
    ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
    (
        "User Access Administrator",
        "18d7d88d-4d85-4b5d-b4f5-b6bbebbbb2b0",
    ),
];

/// Whether a scope is a whole subscription or management group (not a resource group or below).
fn broad_scope(scope: &str) -> Option<&'static str> {
    let parts: Vec<&str> = scope
        .trim_end_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [] => Some("root"),
        [s, _] if s.eq_ignore_ascii_case("subscriptions") => Some("subscription"),
        [p, m, g, _]
            if p.eq_ignore_ascii_case("providers")
                && m.eq_ignore_ascii_case("Microsoft.Management")
                && g.eq_ignore_ascii_case("managementGroups") =>
        {
            Some("management group")
        }
        _ => None,
    }
}

fn check_azure_assignment(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let name = v.get("role_definition_name");
    let id = v.get("role_definition_id");
    let role = if let Some(n) = name.as_str() {
        AZURE_PRIVILEGED_ROLES
            .iter()
            .find(|(role, _)| role.eq_ignore_ascii_case(n))
            .map(|(role, _)| (*role, name))
    } else if let Some(i) = id.as_str() {
        AZURE_PRIVILEGED_ROLES
            .iter()
            .find(|(_, guid)| i.to_ascii_lowercase().ends_with(guid))
            .map(|(role, _)| (*role, id))
    } else {
        None
    };
    let Some((role, at)) = role else {
        if (name.is_unknown() || (name.is_null() && id.is_unknown()))
            && broad_scope_tri(v) != Tri::No
        {
            let unknown = if name.is_unknown() { name } else { id };
            ctx.report_at(
                resource,
                unknown,
                "the role is known only after apply, so guard cannot tell whether it is `Owner` or `Contributor`",
            )
            .severity(Severity::Low);
        }
        return;
    };
    let scope = v.get("scope");
    match scope.as_str().map(broad_scope) {
        Some(Some(level)) => {
            ctx.report_at(
                resource,
                at,
                format!(
                    "`{role}` assigned at {level} scope `{}`",
                    display_safe(scope)
                ),
            );
        }
        Some(None) => {}
        None if scope.is_unknown() => {
            ctx.report_at(
                resource,
                scope,
                format!("`{role}` assigned at a scope known only after apply, which may be a whole subscription"),
            )
            .severity(Severity::Low);
        }
        None => {}
    }
}

fn broad_scope_tri(v: ValueRef<'_>) -> Tri {
    let scope = v.get("scope");
    match scope.as_str() {
        Some(s) if broad_scope(s).is_some() => Tri::Yes,
        Some(_) => Tri::No,
        None if scope.is_unknown() => Tri::Unknown,
        None => Tri::No,
    }
}

fn check_azure_definition(ctx: &mut Context<'_>, resource: &Resource) {
    for permissions in resource.values().blocks("permissions") {
        let actions = permissions.get("actions");
        if any_item(actions, |a| a == "*").is_yes() {
            ctx.report_at(
                resource,
                actions,
                "custom role allows every action (`*`): an owner role under another name",
            );
        }
    }
}
