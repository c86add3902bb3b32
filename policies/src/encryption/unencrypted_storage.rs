use crate::policy::Check;
use crate::{declare_policy, Context, Kind, Model, Resource, Severity, Tri, Value};
use std::collections::{BTreeSet, HashMap, HashSet};

declare_policy! {
    /// ## What it checks
    /// Storage services configured without encryption at rest.
    ///
    ///
    /// - `aws_s3_bucket` without inline `server_side_encryption_configuration` and without an
    ///   `aws_s3_bucket_server_side_encryption_configuration` that refers to it (medium: see below);
    /// - `aws_db_instance`, `aws_rds_cluster`, `aws_docdb_cluster` and `aws_neptune_cluster`
    ///   without `storage_encrypted = true` (read replicas and Aurora cluster members inherit from
    ///   their source and are skipped, as are Aurora Serverless v1 clusters, always encrypted);
    /// - `aws_ebs_volume` without `encrypted = true`, `root_block_device`/`ebs_block_device` of
    ///   `aws_instance` and `aws_launch_configuration`, and `block_device_mappings` of
    ///   `aws_launch_template`, unless the scanned code turns on
    ///   `aws_ebs_encryption_by_default`; and that resource with `enabled = false`;
    /// - `aws_efs_file_system` without `encrypted = true`;
    /// - `aws_sqs_queue` with `sqs_managed_sse_enabled = false` and no `kms_master_key_id` (SSE-SQS
    ///   is on by default), `aws_sns_topic` without `kms_master_key_id`;
    /// - `aws_elasticache_replication_group` without `at_rest_encryption_enabled = true`,
    ///   `aws_redshift_cluster` without `encrypted = true`, `aws_kinesis_stream` without
    ///   `encryption_type = "KMS"`;
    /// - `aws_cloudwatch_log_group` without `kms_key_id` (low: logs are encrypted with a service
    ///   key by default, but not one you control);
    /// - `aws_dynamodb_table` only when `[policies] strict-dynamodb-encryption = true`: then it
    ///   needs `server_side_encryption { enabled = true, kms_key_arn = ... }` (DynamoDB always
    ///   encrypts with an AWS-owned key).
    ///
    /// **S3 on purpose differs from checkov.** AWS encrypts new objects with SSE-S3 since January
    /// 2023, and checkov passes buckets with no encryption configuration for that reason. guard
    /// still reports them, at medium severity: the default is not in the code, so nobody reviews
    /// it, and SSE-S3 protects only against stolen disks, not against anyone who can read the
    /// bucket. Configure it explicitly (ideally with KMS) and the finding goes away.
    ///
    /// **How a bucket is matched to its encryption resource.** The `bucket` argument of
    /// `aws_s3_bucket_server_side_encryption_configuration` is usually `aws_s3_bucket.x.id` (or
    /// `.bucket`), which evaluates to the bucket's name. A bucket counts as encrypted when its
    /// `bucket` or `id` value equals the `bucket` value of any such resource in the same input,
    /// whatever the module, which also covers `for_each` over the same keys. When the name is
    /// known only after apply on the encryption side (`aws_s3_bucket.x.id` before the bucket
    /// exists, a `bucket_prefix`, an unset variable), an encryption resource with the same name
    /// and instance key in the same module (`aws_s3_bucket.logs["a"]` and
    /// `aws_s3_bucket_server_side_encryption_configuration.logs["a"]`) is taken to refer to it.
    /// Otherwise, if the module holds an encryption resource with an unknown `bucket` that pairs
    /// with no bucket by name, guard cannot tell and reports the bucket at low severity, saying
    /// so; if it holds none, the bucket is reported as unencrypted.
    ///
    /// A deciding value known only after apply is reported at low severity and says so.
    ///
    /// ## Why it matters
    /// Encryption at rest is what keeps snapshots, backups and retired disks from being readable
    /// by whoever gets hold of them, and a customer-managed key adds a second permission check
    /// (`kms:Decrypt`) in front of the data. Most compliance regimes require it, and for RDS, EBS
    /// and EFS it cannot be turned on later without copying the data.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine            = "postgres"
    ///   instance_class    = "db.t3.micro"
    ///   allocated_storage = 20
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine            = "postgres"
    ///   instance_class    = "db.t3.micro"
    ///   allocated_storage = 20
    ///   storage_encrypted = true
    ///   kms_key_id        = aws_kms_key.db.arn
    /// }
    ///
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
    ///   bucket = aws_s3_bucket.logs.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.logs.arn
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html>
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html>
    /// - <https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html>
    /// - <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html>
    pub static UNENCRYPTED_STORAGE = {
        code: "ENC001",
        name: "unencrypted-storage",
        severity: High,
        inputs: Both,
        check: Check::Model(check),
    }
}

const SSE_RESOURCE: &str = "aws_s3_bucket_server_side_encryption_configuration";

/// What the whole input says about encryption, built once per model.
#[derive(Default)]
struct Index<'m> {
    /// `bucket` values of the S3 encryption resources.
    /// `bucket` values of the S3 encryption resources, with whether their rules name a valid
    /// algorithm.
    sse_buckets: HashMap<&'m str, Tri>,
    /// S3 encryption resources whose `bucket` is unknown, by `(module, name and key)`: they pair
    /// with the bucket of the same name and instance key (`aws_s3_bucket.logs["a"]` and
    /// `aws_s3_bucket_server_side_encryption_configuration.logs["a"]`).
    sse_unknown_by_name: HashSet<(&'m str, &'m str)>,
    /// Modules holding an unknown-`bucket` encryption resource that pairs with no bucket by name.
    sse_unknown_unpaired: BTreeSet<&'m str>,
    /// `aws_ebs_encryption_by_default` with `enabled = true` (or unset: it defaults to true).
    ebs_default: bool,
}

impl<'m> Index<'m> {
    fn build(model: &'m Model) -> Self {
        let mut index = Index::default();
        let buckets: HashSet<(&str, &str)> = model
            .resources
            .iter()
            .filter(|r| r.resource_type == "aws_s3_bucket")
            .map(|r| (r.module.as_str(), name_and_key(r)))
            .collect();
        for r in model.resources.iter().filter(|r| r.will_exist()) {
            match r.resource_type.as_str() {
                SSE_RESOURCE => {
                    let bucket = r.values.get("bucket");
                    match &bucket.kind {
                        Kind::String(name) => {
                            index
                                .sse_buckets
                                .insert(name.as_str(), valid_algorithm(&r.values));
                        }
                        _ => {
                            let key = (r.module.as_str(), name_and_key(r));
                            if buckets.contains(&key) {
                                index.sse_unknown_by_name.insert(key);
                            } else {
                                index.sse_unknown_unpaired.insert(r.module.as_str());
                            }
                        }
                    }
                }
                // `enabled` defaults to true.
                "aws_ebs_encryption_by_default"
                    if !r.values.get("enabled").is_true().is_no()
                        || r.values.get("enabled").is_null() =>
                {
                    index.ebs_default = true;
                }
                _ => {}
            }
        }
        index
    }
}

/// Whether an encryption configuration (inline block or separate resource) has a rule with a
/// valid `sse_algorithm`; unknown rules or algorithms are unknown.
fn valid_algorithm(config: &Value) -> Tri {
    if config.get("rule").is_unknown() {
        return Tri::Unknown;
    }
    let mut answer = Tri::No;
    for rule in config.blocks("rule") {
        for default in rule.blocks("apply_server_side_encryption_by_default") {
            let algorithm = default.get("sse_algorithm");
            match algorithm.as_str() {
                Some("AES256" | "aws:kms" | "aws:kms:dsse") => return Tri::Yes,
                _ if algorithm.is_unknown() => answer = Tri::Unknown,
                _ => {}
            }
        }
    }
    answer
}

/// `logs["a"]` of `module.x.aws_s3_bucket.logs["a"]`: the address after the resource type.
fn name_and_key(resource: &Resource) -> &str {
    let prefix = format!("{}.", resource.resource_type);
    resource
        .address
        .rfind(&prefix)
        .map_or(resource.name.as_str(), |i| {
            &resource.address[i + prefix.len()..]
        })
}

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let index = Index::build(model);
    for resource in model.resources.iter().filter(|r| r.will_exist()) {
        check_resource(ctx, &index, resource);
    }
}

/// `attribute` must be true; says what is wrong otherwise.
fn require_true(ctx: &mut Context<'_>, resource: &Resource, attribute: &str, what: &str) {
    let value = resource.values.get(attribute);
    match value.is_true() {
        Tri::Yes => {}
        Tri::Unknown => unknown(ctx, resource, value, attribute),
        Tri::No if value.is_null() => {
            ctx.report(
                resource,
                format!("{what} is not encrypted at rest: `{attribute}` is not set"),
            );
        }
        Tri::No => {
            ctx.report_at(
                resource,
                value,
                format!(
                    "{what} is not encrypted at rest: `{attribute}` is `{}`",
                    crate::display_safe(value)
                ),
            );
        }
    }
}

/// `attribute` must be set to a key.
fn require_key(
    ctx: &mut Context<'_>,
    resource: &Resource,
    attribute: &str,
    what: &str,
    severity: Severity,
) {
    let value = resource.values.get(attribute);
    if value.is_unknown() {
        // In a plan, a key created alongside: the attribute is set, only its id is unknown.
        if resource.change.is_none() {
            unknown(ctx, resource, value, attribute);
        }
        return;
    }
    if value.as_str().is_some_and(|s| !s.trim().is_empty()) {
        return;
    }
    ctx.report(
        resource,
        format!("{what} is not encrypted with a kms key: `{attribute}` is not set"),
    )
    .severity(severity);
}

fn unknown(ctx: &mut Context<'_>, resource: &Resource, value: &Value, attribute: &str) {
    ctx.report_at(
        resource,
        value,
        format!(
            "`{attribute}` is known only after apply, so encryption at rest cannot be confirmed"
        ),
    )
    .severity(Severity::Low);
}

fn check_resource(ctx: &mut Context<'_>, index: &Index<'_>, resource: &Resource) {
    let v = &resource.values;
    match resource.resource_type.as_str() {
        "aws_s3_bucket" => s3_bucket(ctx, index, resource),
        "aws_db_instance" => {
            let replica = !v.get("replicate_source_db").is_null();
            let aurora = v
                .get("engine")
                .as_str()
                .is_some_and(|e| e.starts_with("aurora"));
            if !replica && !aurora {
                require_true(ctx, resource, "storage_encrypted", "database instance");
            }
        }
        "aws_rds_cluster" | "aws_docdb_cluster" | "aws_neptune_cluster"
            if v.get("engine_mode").as_str() != Some("serverless") =>
        {
            require_true(ctx, resource, "storage_encrypted", "database cluster");
        }
        "aws_ebs_volume" => {
            // A volume restored from a snapshot takes the snapshot's encryption.
            let from_snapshot = v.get("snapshot_id").as_str().is_some_and(|s| !s.is_empty());
            if !index.ebs_default && !from_snapshot {
                require_true(ctx, resource, "encrypted", "ebs volume");
            }
        }
        "aws_ebs_encryption_by_default" => {
            let enabled = v.get("enabled");
            if enabled.is_true().is_no() && !enabled.is_null() {
                ctx.report_at(
                    resource,
                    enabled,
                    "ebs encryption by default is turned off (`enabled` is `false`)",
                );
            }
        }
        "aws_instance" | "aws_launch_configuration" if !index.ebs_default => {
            block_devices(ctx, resource);
        }
        "aws_launch_template" if !index.ebs_default => {
            for mapping in v.blocks("block_device_mappings") {
                for ebs in mapping.blocks("ebs") {
                    device(ctx, resource, ebs, "block_device_mappings.ebs");
                }
            }
        }
        "aws_efs_file_system" => require_true(ctx, resource, "encrypted", "efs file system"),
        "aws_sqs_queue" => {
            let managed = v.get("sqs_managed_sse_enabled");
            if managed.is_true().is_no()
                && !managed.is_null()
                && v.get("kms_master_key_id").is_null()
            {
                ctx.report_at(
                    resource,
                    managed,
                    "sqs queue is not encrypted at rest: `sqs_managed_sse_enabled` is `false` and no `kms_master_key_id` is set",
                );
            }
        }
        "aws_sns_topic" => {
            require_key(
                ctx,
                resource,
                "kms_master_key_id",
                "sns topic",
                Severity::High,
            );
        }
        "aws_elasticache_replication_group" => {
            require_true(
                ctx,
                resource,
                "at_rest_encryption_enabled",
                "elasticache replication group",
            );
        }
        "aws_redshift_cluster" => require_true(ctx, resource, "encrypted", "redshift cluster"),
        "aws_kinesis_stream" => {
            let value = v.get("encryption_type");
            match value.as_str() {
                Some(t) if t.eq_ignore_ascii_case("KMS") => {}
                _ if value.is_unknown() => unknown(ctx, resource, value, "encryption_type"),
                None => {
                    ctx.report(
                        resource,
                        "kinesis stream is not encrypted at rest: `encryption_type` is not set",
                    );
                }
                Some(_) => {
                    ctx.report_at(
                        resource,
                        value,
                        format!(
                            "kinesis stream is not encrypted at rest: `encryption_type` is `{}`",
                            crate::display_safe(value)
                        ),
                    );
                }
            }
        }
        "aws_cloudwatch_log_group" => {
            require_key(ctx, resource, "kms_key_id", "log group", Severity::Low);
        }
        "aws_dynamodb_table" if ctx.settings.strict_dynamodb_encryption => {
            let sse = v.blocks("server_side_encryption");
            let enabled = sse.first().map(|b| b.get("enabled"));
            match enabled.map(Value::is_true) {
                Some(Tri::Yes) => {
                    let key = sse[0].get("kms_key_arn");
                    if key.is_null() || key.as_str() == Some("") {
                        ctx.report_at(
                            resource,
                            sse[0],
                            "dynamodb table uses the aws-managed key: `server_side_encryption.kms_key_arn` is not set",
                        )
                        .severity(Severity::Medium);
                    }
                }
                Some(Tri::Unknown) => unknown(
                    ctx,
                    resource,
                    enabled.unwrap_or(v),
                    "server_side_encryption.enabled",
                ),
                _ => {
                    ctx.report(
                        resource,
                        "dynamodb table uses the aws-owned key: `server_side_encryption` with a customer-managed key is not enabled",
                    )
                    .severity(Severity::Medium);
                }
            }
        }
        _ => {}
    }
}

fn block_devices(ctx: &mut Context<'_>, resource: &Resource) {
    let v = &resource.values;
    let root = v.get("root_block_device");
    if root.is_unknown() {
        // Computed when not written: the root volume follows the AMI and the account default.
        if resource.change.is_none() {
            unknown(ctx, resource, root, "root_block_device");
        }
    } else if v.blocks("root_block_device").is_empty() && resource.resource_type == "aws_instance" {
        ctx.report(
            resource,
            "root volume is not encrypted at rest: no `root_block_device` with `encrypted = true`",
        );
    }
    for block in v.blocks("root_block_device") {
        device(ctx, resource, block, "root_block_device");
    }
    for block in v.blocks("ebs_block_device") {
        device(ctx, resource, block, "ebs_block_device");
    }
}

fn device(ctx: &mut Context<'_>, resource: &Resource, block: &Value, path: &str) {
    // A volume restored from a snapshot takes the snapshot's encryption.
    if block
        .get("snapshot_id")
        .as_str()
        .is_some_and(|s| !s.is_empty())
    {
        return;
    }
    let encrypted = block.get("encrypted");
    match encrypted.is_true() {
        Tri::Yes => {}
        Tri::Unknown if resource.change.is_some() => {}
        Tri::Unknown => unknown(ctx, resource, encrypted, &format!("{path}.encrypted")),
        Tri::No if encrypted.is_null() => {
            ctx.report_at(
                resource,
                block,
                format!("volume is not encrypted at rest: `{path}.encrypted` is not set"),
            );
        }
        Tri::No => {
            ctx.report_at(
                resource,
                encrypted,
                format!("volume is not encrypted at rest: `{path}.encrypted` is `false`"),
            );
        }
    }
}

fn s3_bucket(ctx: &mut Context<'_>, index: &Index<'_>, resource: &Resource) {
    let v = &resource.values;
    let inline = v.get("server_side_encryption_configuration");
    let mut found = if inline.is_unknown() && resource.change.is_none() {
        Some(Tri::Unknown)
    } else {
        v.blocks("server_side_encryption_configuration")
            .first()
            .map(|c| valid_algorithm(c))
    };
    if found.is_none() {
        found = [v.get("bucket"), v.get("id")]
            .into_iter()
            .filter_map(Value::as_str)
            .find_map(|n| index.sse_buckets.get(n).copied());
    }
    match found {
        Some(Tri::Yes) => return,
        Some(Tri::Unknown) => {
            ctx.report(
                resource,
                "the encryption algorithm of this bucket is known only after apply, so encryption at rest cannot be confirmed",
            )
            .severity(Severity::Low);
            return;
        }
        Some(Tri::No) => {
            ctx.report(
                resource,
                "bucket encryption names no valid `sse_algorithm` (`AES256`, `aws:kms` or `aws:kms:dsse`)",
            );
            return;
        }
        None => {}
    }
    let key = (resource.module.as_str(), name_and_key(resource));
    if index.sse_unknown_by_name.contains(&key) {
        return;
    }
    if index
        .sse_unknown_unpaired
        .contains(resource.module.as_str())
    {
        ctx.report(
            resource,
            format!(
                "cannot tell whether an `{SSE_RESOURCE}` refers to this bucket: its `bucket` is known only after apply"
            ),
        )
        .severity(Severity::Low);
        return;
    }
    // In a plan, an unknown inline block is an unset computed one: AWS fills in its default.
    ctx.report(
        resource,
        "bucket has no server-side encryption configuration, only the aws default (sse-s3) applies",
    )
    .severity(Severity::Medium);
}
