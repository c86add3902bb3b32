use crate::policy::Check;
use crate::value::{display_safe, Items};
use crate::{declare_policy, Context, Model, Resource, Severity, Tri, ValueRef};
use std::collections::{BTreeSet, HashMap, HashSet};

declare_policy! {
    /// ## What it checks
    /// Object storage that can be made public, or is.
    ///
    /// - **S3 public ACLs** (high): `acl` `public-read`, `public-read-write` or
    ///   `authenticated-read` on `aws_s3_bucket` or `aws_s3_bucket_acl`, and grants (inline
    ///   `grant` blocks, `access_control_policy`) to the `AllUsers` or `AuthenticatedUsers`
    ///   groups.
    /// - **S3 buckets without a full public access block** (medium): no
    ///   `aws_s3_bucket_public_access_block` refers to the bucket and no
    ///   `aws_s3_account_public_access_block` is in the same input, or the one that does leaves
    ///   any of `block_public_acls`, `block_public_policy`, `ignore_public_acls`,
    ///   `restrict_public_buckets` unset or false (each defaults to false in the AWS provider,
    ///   hashicorp/terraform-provider-aws v5). An account-level block with a setting off covers
    ///   nothing. AWS turns the block on for buckets created since April 2023, but that default
    ///   is not in the code and nothing stops the next change from turning it off, which is why
    ///   this is medium and not high.
    /// - **GCS buckets** (medium) without `public_access_prevention = "enforced"` and without
    ///   `uniform_bucket_level_access = true` (the provider's defaults are `inherited` and
    ///   false): object ACLs can make single objects public.
    /// - **Azure**: `azurerm_storage_container` with `container_access_type` `blob` or
    ///   `container` (high: anonymous reads), and `azurerm_storage_account` whose
    ///   `allow_nested_items_to_be_public` is not false (medium; the azurerm provider defaults it
    ///   to true, unlike Azure's own API).
    ///
    /// **How a bucket is matched to its public access block.** The `bucket` argument of
    /// `aws_s3_bucket_public_access_block` is usually `aws_s3_bucket.x.id`, which evaluates to
    /// the bucket's name; a block counts for every bucket whose name equals it, in any module of
    /// the same input. In a plan that creates both, the name is known only after apply on the
    /// block's side: then a block with the same name and instance key in the same module
    /// (`aws_s3_bucket.logs["a"]` and `aws_s3_bucket_public_access_block.logs["a"]`) is taken to
    /// refer to it. A module holding a block that pairs with no bucket either way leaves guard
    /// unable to tell, and the bucket is reported at low severity, saying so. A block the plan
    /// deletes does not count.
    ///
    /// A deciding value known only after apply is reported at low severity and says so.
    ///
    /// ## Why it matters
    /// Public buckets are the most common cause of cloud data leaks, and almost none of them were
    /// meant to be public: an ACL copied from an example, a block removed to debug something.
    /// The public access block is the control that makes a mistake in a bucket policy or ACL
    /// harmless, so it belongs in the code next to every bucket.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "reports" {
    ///   bucket = "acme-reports"
    /// }
    ///
    /// resource "aws_s3_bucket_acl" "reports" {
    ///   bucket = aws_s3_bucket.reports.id
    ///   acl    = "public-read"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Serve public content through a CDN with an origin access control, and block public access
    /// on the bucket itself.
    ///
    /// ```hcl
    /// resource "aws_s3_bucket_public_access_block" "reports" {
    ///   bucket                  = aws_s3_bucket.reports.id
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>
    /// - <https://aws.amazon.com/about-aws/whats-new/2022/12/amazon-s3-automatically-enable-block-public-access-disable-access-control-lists-buckets-april-2023/>
    /// - <https://cloud.google.com/storage/docs/public-access-prevention>
    /// - <https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent>
    /// - <https://github.com/hashicorp/terraform-provider-azurerm/issues/27513>
    pub static PUBLIC_STORAGE = {
        code: "STO001",
        name: "public-storage",
        severity: High,
        inputs: Both,
        check: Check::Model(check),
    }
}

const BLOCK: &str = "aws_s3_bucket_public_access_block";
const ACCOUNT_BLOCK: &str = "aws_s3_account_public_access_block";
const BLOCK_SETTINGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];
const PUBLIC_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GROUPS: &[&str] = &[
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/// The public access blocks of one input, and how they pair with buckets.
#[derive(Default)]
struct Blocks<'m> {
    /// Bucket-level blocks by the bucket name they name.
    by_bucket: HashMap<&'m str, &'m Resource>,
    /// Blocks whose `bucket` is unknown, by `(module, name and key)`.
    by_name: HashMap<(&'m str, &'m str), &'m Resource>,
    /// Modules holding an unknown-`bucket` block that pairs with no bucket by name.
    unpaired: BTreeSet<&'m str>,
    /// An account-level block, when there is one.
    account: Option<&'m Resource>,
}

impl<'m> Blocks<'m> {
    fn build(model: &'m Model) -> Self {
        let buckets: HashSet<(&str, &str)> = model
            .resources_of_type("aws_s3_bucket")
            .map(|r| (r.module(), name_and_key(r)))
            .collect();
        let mut blocks = Blocks::default();
        for r in model.resources().iter().filter(|r| r.will_exist()) {
            match r.resource_type() {
                BLOCK => match r.values().get("bucket").as_str() {
                    Some(name) => {
                        blocks.by_bucket.insert(name, r);
                    }
                    None => {
                        let key = (r.module(), name_and_key(r));
                        if buckets.contains(&key) {
                            blocks.by_name.insert(key, r);
                        } else {
                            blocks.unpaired.insert(r.module());
                        }
                    }
                },
                ACCOUNT_BLOCK => blocks.account = Some(r),
                _ => {}
            }
        }
        blocks
    }

    /// The block that covers a bucket: `Ok(Some)` found, `Ok(None)` none, `Err(())` cannot tell.
    fn for_bucket(&self, bucket: &'m Resource) -> Result<Option<&'m Resource>, ()> {
        for attr in ["bucket", "id"] {
            if let Some(block) = bucket
                .values()
                .get(attr)
                .as_str()
                .and_then(|name| self.by_bucket.get(name))
            {
                return Ok(Some(block));
            }
        }
        if let Some(block) = self.by_name.get(&(bucket.module(), name_and_key(bucket))) {
            return Ok(Some(block));
        }
        if self.unpaired.contains(bucket.module()) {
            return Err(());
        }
        Ok(None)
    }
}

/// `logs["a"]` of `module.x.aws_s3_bucket.logs["a"]`: the address after the resource type.
fn name_and_key(resource: &Resource) -> &str {
    let prefix = format!("{}.", resource.resource_type());
    resource
        .address()
        .rfind(&prefix)
        .map_or(resource.name(), |i| &resource.address()[i + prefix.len()..])
}

/// Which of the four settings a block leaves off, and a setting known only after apply.
fn settings_off(block: &Resource) -> (Vec<&'static str>, Option<ValueRef<'_>>) {
    let mut off = Vec::new();
    let mut unknown = None;
    for setting in BLOCK_SETTINGS {
        let v = block.values().get(setting);
        match v.is_true() {
            Tri::Yes => {}
            Tri::No => off.push(setting),
            Tri::Unknown => {
                unknown.get_or_insert(v);
            }
        }
    }
    (off, unknown)
}

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let blocks = Blocks::build(model);
    // An account-level block only counts with all four settings on.
    let account_ok = blocks.account.is_some_and(|a| {
        let (off, unknown) = settings_off(a);
        off.is_empty() && unknown.is_none()
    });
    if let Some(account) = blocks.account {
        report_settings(ctx, account, "the account-level public access block");
    }
    let mut reported_blocks = HashSet::new();
    for resource in model.resources().iter().filter(|r| r.will_exist()) {
        let v = resource.values();
        match resource.resource_type() {
            "aws_s3_bucket" => {
                check_acl(ctx, resource, v.get("acl"));
                check_grants(ctx, resource, v.blocks("grant"), "grant");
                if account_ok {
                    continue;
                }
                match blocks.for_bucket(resource) {
                    Ok(Some(block)) => {
                        if reported_blocks.insert(block.address()) {
                            report_settings(ctx, block, "the bucket's public access block");
                        }
                    }
                    Ok(None) => {
                        ctx.report(
                            resource,
                            format!("s3 bucket has no public access block: add an `{BLOCK}` that refers to it with all four settings true, or an `{ACCOUNT_BLOCK}`"),
                        )
                        .severity(Severity::Medium);
                    }
                    Err(()) => {
                        ctx.report(
                            resource,
                            format!("the `bucket` of an `{BLOCK}` in this module is known only after apply, so guard cannot tell whether it covers this bucket"),
                        )
                        .severity(Severity::Low);
                    }
                }
            }
            "aws_s3_bucket_acl" => {
                check_acl(ctx, resource, v.get("acl"));
                for policy in v.blocks("access_control_policy") {
                    check_grants(
                        ctx,
                        resource,
                        policy.blocks("grant"),
                        "access_control_policy",
                    );
                }
            }
            "google_storage_bucket" => check_gcs(ctx, resource),
            "azurerm_storage_container" => check_container(ctx, resource),
            "azurerm_storage_account" => check_account(ctx, resource),
            _ => {}
        }
    }
}

fn check_acl(ctx: &mut Context<'_>, resource: &Resource, acl: ValueRef<'_>) {
    match acl.as_str() {
        Some(a) if PUBLIC_ACLS.contains(&a) => {
            let who = match a {
                "authenticated-read" => "any aws account read",
                "public-read-write" => "anyone read and write",
                _ => "anyone read",
            };
            ctx.report_at(
                resource,
                acl,
                format!("s3 bucket acl `{a}` lets {who} the bucket"),
            );
        }
        // In a plan, the `acl` of `aws_s3_bucket` is computed and unknown when unset.
        None if acl.is_unknown() && resource.change().is_none() => {
            ctx.report_at(
                resource,
                acl,
                "`acl` is known only after apply, so guard cannot tell whether it is public",
            )
            .severity(Severity::Low);
        }
        _ => {}
    }
}

fn check_grants(ctx: &mut Context<'_>, resource: &Resource, grants: Items<'_>, what: &str) {
    for grant in grants {
        let grantees = grant.blocks("grantee");
        let uris: Vec<ValueRef<'_>> = if grantees.is_empty() {
            vec![grant.get("uri")]
        } else {
            grantees.iter().map(|g| g.get("uri")).collect()
        };
        for uri in uris {
            if let Some(u) = uri.as_str().filter(|u| PUBLIC_GROUPS.contains(u)) {
                let group = u.rsplit('/').next().unwrap_or(u);
                let permission = if grant.has("permissions") {
                    grant.get("permissions")
                } else {
                    grant.get("permission")
                };
                ctx.report_at(
                    resource,
                    uri,
                    format!(
                        "`{what}` grants `{}` to the `{group}` group",
                        display_safe(permission)
                    ),
                );
            }
        }
    }
}

/// Settings a public access block leaves off: medium (unknown: low).
fn report_settings(ctx: &mut Context<'_>, block: &Resource, what: &str) {
    let (off, unknown) = settings_off(block);
    if let Some(first) = off.first() {
        let at = block.values().get(first);
        let message = format!(
            "{what} leaves `{}` off (unset means false)",
            off.join("`, `")
        );
        let finding = if at.is_null() {
            ctx.report(block, message)
        } else {
            ctx.report_at(block, at, message)
        };
        finding.severity(Severity::Medium);
    } else if let Some(at) = unknown {
        ctx.report_at(
            block,
            at,
            format!("{what} has a setting known only after apply, so guard cannot tell whether it blocks public access"),
        )
        .severity(Severity::Low);
    }
}

fn check_gcs(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let prevention = v.get("public_access_prevention");
    let uniform = v.get("uniform_bucket_level_access");
    let enforced = match prevention.as_str() {
        Some("enforced") => Tri::Yes,
        Some(_) => Tri::No,
        None if prevention.is_unknown() && resource.change().is_none() => Tri::Unknown,
        // Computed: a plan shows it unknown when it is not set (`inherited`).
        None => Tri::No,
    };
    let answer = match (enforced, uniform.is_true()) {
        (Tri::Yes, _) | (_, Tri::Yes) => return,
        (Tri::No, Tri::No) => Tri::No,
        _ => Tri::Unknown,
    };
    if answer == Tri::Unknown {
        let at = if uniform.is_unknown() {
            uniform
        } else {
            prevention
        };
        ctx.report_at(
            resource,
            at,
            "`public_access_prevention` or `uniform_bucket_level_access` is known only after apply, so guard cannot tell whether objects can be made public",
        )
        .severity(Severity::Low);
        return;
    }
    let finding = ctx.report(
        resource,
        "gcs bucket lets object acls make objects public: neither `public_access_prevention = \"enforced\"` nor `uniform_bucket_level_access = true`",
    );
    if !uniform.is_null() {
        finding.at(uniform);
    }
    finding.severity(Severity::Medium);
}

fn check_container(ctx: &mut Context<'_>, resource: &Resource) {
    let access = resource.values().get("container_access_type");
    match access.as_str() {
        Some(a @ ("blob" | "container")) => {
            ctx.report_at(
                resource,
                access,
                format!(
                    "storage container allows anonymous reads: `container_access_type` is `{a}`"
                ),
            );
        }
        None if access.is_unknown() => {
            ctx.report_at(
                resource,
                access,
                "`container_access_type` is known only after apply, so guard cannot tell whether the container is public",
            )
            .severity(Severity::Low);
        }
        _ => {}
    }
}

fn check_account(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let nested = v.get("allow_nested_items_to_be_public");
    let legacy = v.get("allow_blob_public_access");
    // azurerm v2 called it `allow_blob_public_access`, defaulting to false.
    let (value, attr) = if nested.is_null() && !legacy.is_null() {
        (legacy, "allow_blob_public_access")
    } else {
        (nested, "allow_nested_items_to_be_public")
    };
    match value.is_true() {
        Tri::Yes => {
            ctx.report_at(
                resource,
                value,
                format!(
                    "storage account lets containers and blobs be made public: `{attr}` is `true`"
                ),
            )
            .severity(Severity::Medium);
        }
        Tri::No if value.is_null() && attr == "allow_nested_items_to_be_public" => {
            ctx.report(
                resource,
                "storage account lets containers and blobs be made public: `allow_nested_items_to_be_public` is not set and the azurerm provider defaults it to true",
            )
            .severity(Severity::Medium);
        }
        Tri::Unknown => {
            ctx.report_at(
                resource,
                value,
                format!("`{attr}` is known only after apply, so guard cannot tell whether containers can be made public"),
            )
            .severity(Severity::Low);
        }
        Tri::No => {}
    }
}
