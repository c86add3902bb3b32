use crate::policy::Check;
use crate::{declare_policy, Context, Model, Resource, Severity, Tri, ValueKind, ValueRef};
use std::collections::{BTreeSet, HashMap, HashSet};

declare_policy! {
    /// ## What it checks
    /// Storage services, clusters and disks configured without encryption at rest.
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
    ///   encrypts with an AWS-owned key);
    /// - `aws_opensearch_domain` / `aws_elasticsearch_domain` without
    ///   `encrypt_at_rest { enabled = true }` (the provider documents an absent block as off);
    /// - `aws_eks_cluster` without an `encryption_config` for `secrets` (medium: EKS 1.28 and
    ///   later encrypt secrets with an AWS-owned key only);
    /// - `aws_neptune_cluster_snapshot` of an `aws_neptune_cluster` in the input that is not
    ///   encrypted;
    /// - `aws_kinesis_firehose_delivery_stream` without `server_side_encryption { enabled = true }`
    ///   (medium; skipped when it reads from a Kinesis stream, whose encryption applies);
    /// - `aws_redshiftserverless_namespace`, `aws_sagemaker_notebook_instance` without
    ///   `kms_key_id` and `aws_backup_vault` without `kms_key_arn` (low: always encrypted, but with
    ///   an AWS key rather than one you control);
    /// - `azurerm_linux_virtual_machine`, `azurerm_windows_virtual_machine`,
    ///   `azurerm_linux_virtual_machine_scale_set`, `azurerm_windows_virtual_machine_scale_set`,
    ///   `azurerm_orchestrated_virtual_machine_scale_set` without
    ///   `encryption_at_host_enabled = true`, and `azurerm_kubernetes_cluster` (its
    ///   `default_node_pool`) and `azurerm_kubernetes_cluster_node_pool` without
    ///   `host_encryption_enabled = true` (3.x: `enable_host_encryption`) (medium: these default
    ///   to false in azurerm 3.117 and 5.2, and leave temporary disks and caches unencrypted;
    ///   managed disks are encrypted by the platform anyway);
    /// - `azurerm_managed_disk` with `encryption_settings { enabled = false }` (medium);
    /// - `google_compute_disk` without `disk_encryption_key` (low: encrypted with a
    ///   Google-managed key), `google_container_cluster` without `database_encryption` in state
    ///   `ENCRYPTED` (medium: application-layer secrets encryption is off by default).
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
            .resources_of_type("aws_s3_bucket")
            .map(|r| (r.module(), name_and_key(r)))
            .collect();
        for r in model.resources().iter().filter(|r| r.will_exist()) {
            match r.resource_type() {
                SSE_RESOURCE => {
                    let bucket = r.values().get("bucket");
                    match bucket.kind() {
                        ValueKind::String(name) => {
                            index.sse_buckets.insert(name, valid_algorithm(r.values()));
                        }
                        _ => {
                            let key = (r.module(), name_and_key(r));
                            if buckets.contains(&key) {
                                index.sse_unknown_by_name.insert(key);
                            } else {
                                index.sse_unknown_unpaired.insert(r.module());
                            }
                        }
                    }
                }
                // `enabled` defaults to true.
                "aws_ebs_encryption_by_default"
                    if !r.values().get("enabled").is_true().is_no()
                        || r.values().get("enabled").is_null() =>
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
fn valid_algorithm(config: ValueRef<'_>) -> Tri {
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
    let prefix = format!("{}.", resource.resource_type());
    resource
        .address()
        .rfind(&prefix)
        .map_or(resource.name(), |i| &resource.address()[i + prefix.len()..])
}

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let index = Index::build(model);
    for resource in model.resources().iter().filter(|r| r.will_exist()) {
        check_resource(ctx, &index, resource);
    }
}

/// `attribute` must be true; says what is wrong otherwise.
fn require_true(ctx: &mut Context<'_>, resource: &Resource, attribute: &str, what: &str) {
    let value = resource.values().get(attribute);
    match value.is_true() {
        Tri::Yes => {}
        Tri::Unknown => unknown(ctx, resource, value, attribute),
        Tri::No if value.is_null() => {
            ctx.report(
                resource,
                format!("{what} is not encrypted at rest: `{attribute}` is not set; set `{attribute} = true`"),
            );
        }
        Tri::No => {
            ctx.report_at(
                resource,
                value,
                format!(
                    "{what} is not encrypted at rest: `{attribute}` is `{}`; set `{attribute} = true`",
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
    let value = resource.values().get(attribute);
    if value.is_unknown() {
        // In a plan, a key created alongside: the attribute is set, only its id is unknown.
        if resource.change().is_none() {
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

fn unknown(ctx: &mut Context<'_>, resource: &Resource, value: ValueRef<'_>, attribute: &str) {
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
    let v = resource.values();
    match resource.resource_type() {
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
                    "sqs queue is not encrypted at rest: `sqs_managed_sse_enabled` is `false` and no `kms_master_key_id` is set; set `sqs_managed_sse_enabled = true` or a `kms_master_key_id`",
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
                        "kinesis stream is not encrypted at rest: `encryption_type` is not set; set `encryption_type = \"KMS\"` and a `kms_key_id`",
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
        "aws_opensearch_domain" | "aws_elasticsearch_domain" => search_domain(ctx, resource),
        "aws_eks_cluster" => eks_secrets(ctx, resource),
        "azurerm_kubernetes_cluster" => {
            for pool in v.blocks("default_node_pool") {
                host_encryption(ctx, resource, pool, "default_node_pool.");
            }
        }
        "azurerm_kubernetes_cluster_node_pool"
        | "azurerm_linux_virtual_machine"
        | "azurerm_windows_virtual_machine"
        | "azurerm_linux_virtual_machine_scale_set"
        | "azurerm_windows_virtual_machine_scale_set"
        | "azurerm_orchestrated_virtual_machine_scale_set" => host_encryption(ctx, resource, v, ""),
        "azurerm_managed_disk" => {
            for settings in v.blocks("encryption_settings") {
                let enabled = settings.get("enabled");
                if enabled.is_true().is_no() && !enabled.is_null() {
                    ctx.report_at(
                        resource,
                        enabled,
                        "azure disk encryption is turned off (`encryption_settings.enabled` is `false`): only the platform's server-side encryption applies",
                    )
                    .severity(Severity::Medium);
                }
            }
        }
        "aws_neptune_cluster_snapshot" => neptune_snapshot(ctx, resource),
        "aws_kinesis_firehose_delivery_stream" => firehose(ctx, resource),
        "aws_redshiftserverless_namespace" => {
            provider_key_only(ctx, resource, "kms_key_id", "namespace", "an aws-owned key");
        }
        "aws_sagemaker_notebook_instance" => {
            provider_key_only(
                ctx,
                resource,
                "kms_key_id",
                "notebook volume",
                "an aws-managed key",
            );
        }
        "aws_backup_vault" => {
            provider_key_only(
                ctx,
                resource,
                "kms_key_arn",
                "backup vault",
                "the aws-managed `aws/backup` key",
            );
        }
        "google_compute_disk" => {
            let key = v.get("disk_encryption_key");
            if key.is_unknown() && resource.change().is_none() {
                unknown(ctx, resource, key, "disk_encryption_key");
            } else if v.blocks("disk_encryption_key").is_empty() && !key.is_unknown() {
                ctx.report(
                    resource,
                    "disk is encrypted only with a google-managed key: no `disk_encryption_key`",
                )
                .severity(Severity::Low);
            }
        }
        "google_container_cluster" => gke_secrets(ctx, resource),
        "aws_cloudwatch_log_group" => {
            require_key(ctx, resource, "kms_key_id", "log group", Severity::Low);
        }
        "aws_dynamodb_table" if ctx.settings.strict_dynamodb_encryption => {
            let sse = v.blocks("server_side_encryption");
            let enabled = sse.first().map(|b| b.get("enabled"));
            match enabled.map(ValueRef::is_true) {
                Some(Tri::Yes) => {
                    let key = sse.get(0).unwrap_or(ValueRef::null()).get("kms_key_arn");
                    if key.is_null() || key.as_str() == Some("") {
                        ctx.report_at(
                            resource,
                            sse.get(0).unwrap_or(ValueRef::null()),
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
    let v = resource.values();
    let root = v.get("root_block_device");
    if root.is_unknown() {
        // Computed when not written: the root volume follows the AMI and the account default.
        if resource.change().is_none() {
            unknown(ctx, resource, root, "root_block_device");
        }
    } else if v.blocks("root_block_device").is_empty() && resource.resource_type() == "aws_instance"
    {
        ctx.report(
            resource,
            "root volume is not encrypted at rest: no `root_block_device` with `encrypted = true`; add `root_block_device { encrypted = true }`",
        );
    }
    for block in v.blocks("root_block_device") {
        device(ctx, resource, block, "root_block_device");
    }
    for block in v.blocks("ebs_block_device") {
        device(ctx, resource, block, "ebs_block_device");
    }
}

fn device(ctx: &mut Context<'_>, resource: &Resource, block: ValueRef<'_>, path: &str) {
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
        Tri::Unknown if resource.change().is_some() => {}
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
    let v = resource.values();
    let inline = v.get("server_side_encryption_configuration");
    let mut found = if inline.is_unknown() && resource.change().is_none() {
        Some(Tri::Unknown)
    } else {
        v.blocks("server_side_encryption_configuration")
            .first()
            .map(|c| valid_algorithm(c))
    };
    if found.is_none() {
        found = [v.get("bucket"), v.get("id")]
            .into_iter()
            .filter_map(ValueRef::as_str)
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
    let key = (resource.module(), name_and_key(resource));
    if index.sse_unknown_by_name.contains(&key) {
        return;
    }
    if index.sse_unknown_unpaired.contains(resource.module()) {
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

/// A resource that is always encrypted, with a provider key unless `attribute` names one: low.
fn provider_key_only(
    ctx: &mut Context<'_>,
    resource: &Resource,
    attribute: &str,
    what: &str,
    default_key: &str,
) {
    let value = resource.values().get(attribute);
    if value.is_unknown() {
        // A key known only after apply is judged the way every other key attribute is.
        require_key(ctx, resource, attribute, what, Severity::Low);
        return;
    }
    if value.as_str().is_some_and(|s| !s.trim().is_empty()) {
        return;
    }
    ctx.report(
        resource,
        format!("{what} is encrypted only with {default_key}: `{attribute}` is not set"),
    )
    .severity(Severity::Low);
}

/// `aws_opensearch_domain` / `aws_elasticsearch_domain`: without an `encrypt_at_rest` block,
/// encryption at rest is off (terraform-provider-aws documentation, v5 and v6).
fn search_domain(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    match v.blocks("encrypt_at_rest").first() {
        Some(block) => {
            let enabled = block.get("enabled");
            match enabled.is_true() {
                Tri::Yes => {}
                Tri::Unknown => unknown(ctx, resource, enabled, "encrypt_at_rest.enabled"),
                Tri::No => {
                    ctx.report_at(
                        resource,
                        enabled,
                        format!(
                            "search domain is not encrypted at rest: `encrypt_at_rest.enabled` is `{}`; set `encrypt_at_rest {{ enabled = true }}`",
                            crate::display_safe(enabled)
                        ),
                    );
                }
            }
        }
        None if v.get("encrypt_at_rest").is_unknown() && resource.change().is_none() => {
            unknown(ctx, resource, v.get("encrypt_at_rest"), "encrypt_at_rest");
        }
        // In a plan, an unset computed block shows as unknown: the default (off) applies.
        None => {
            ctx.report(
                resource,
                "search domain is not encrypted at rest: no `encrypt_at_rest` block, which defaults to off; add `encrypt_at_rest { enabled = true }`",
            );
        }
    }
}

/// `aws_eks_cluster`: Kubernetes secrets enveloped with a KMS key (`encryption_config` with
/// `resources = ["secrets"]`). Without it, EKS 1.28 and later encrypt them with an AWS-owned key
/// only, and older clusters not at all: medium.
fn eks_secrets(ctx: &mut Context<'_>, resource: &Resource) {
    let config = resource.values().get("encryption_config");
    let resources_unknown = config.is_unknown()
        || resource
            .values()
            .blocks("encryption_config")
            .iter()
            .any(|c| c.get("resources").contains_unknown());
    if resources_unknown && resource.change().is_none() {
        unknown(ctx, resource, config, "encryption_config");
        return;
    }
    let secrets = resource
        .values()
        .blocks("encryption_config")
        .iter()
        .any(|c| c.get("resources").strings().contains(&"secrets"));
    if !secrets {
        ctx.report(
            resource,
            "kubernetes secrets are not encrypted with a kms key: no `encryption_config` with `resources = [\"secrets\"]`",
        )
        .severity(Severity::Medium);
    }
}

/// Azure VMs, scale sets and AKS node pools: encryption at host (temporary disks, caches and
/// the data flow to storage) defaults to off in azurerm 3.x and 4.x/5.x. Managed OS and data
/// disks are encrypted by the platform anyway: medium.
fn host_encryption(ctx: &mut Context<'_>, resource: &Resource, block: ValueRef<'_>, prefix: &str) {
    // The AKS spelling changed in azurerm 4.0 (`enable_host_encryption` before).
    let keys: &[&str] = if resource.resource_type().contains("virtual_machine") {
        &["encryption_at_host_enabled"]
    } else {
        &["host_encryption_enabled", "enable_host_encryption"]
    };
    let (attribute, value) = keys
        .iter()
        .map(|k| (*k, block.get(k)))
        .find(|(_, value)| !value.is_null())
        .unwrap_or((keys[0], block.get(keys[0])));
    match value.is_true() {
        Tri::Yes => {}
        Tri::Unknown => unknown(ctx, resource, value, &format!("{prefix}{attribute}")),
        Tri::No if value.is_null() => {
            ctx.report(
                resource,
                format!("temporary disks and caches are not encrypted at rest: `{prefix}{attribute}` is not set and defaults to false"),
            )
            .severity(Severity::Medium);
        }
        Tri::No => {
            ctx.report_at(
                resource,
                value,
                format!("temporary disks and caches are not encrypted at rest: `{prefix}{attribute}` is `false`"),
            )
            .severity(Severity::Medium);
        }
    }
}

/// `aws_neptune_cluster_snapshot` of a cluster in the input that is not encrypted: the
/// snapshot takes the cluster's encryption.
fn neptune_snapshot(ctx: &mut Context<'_>, resource: &Resource) {
    let Some(identifier) = resource.values().get("db_cluster_identifier").as_str() else {
        return;
    };
    let cluster = ctx
        .model
        .resources_of_type("aws_neptune_cluster")
        .find(|r| {
            r.will_exist()
                && [r.values().get("cluster_identifier"), r.values().get("id")]
                    .iter()
                    .any(|v| v.as_str() == Some(identifier))
        });
    let Some(cluster) = cluster else {
        return;
    };
    if cluster.values().get("storage_encrypted").is_true().is_no() {
        let address = cluster.address().to_string();
        ctx.report(
            resource,
            format!(
                "snapshot of `{address}`, which is not encrypted at rest, is not encrypted either"
            ),
        );
    }
}

/// `aws_kinesis_firehose_delivery_stream`: the buffer of a Direct PUT stream is encrypted only
/// with `server_side_encryption { enabled = true }`; a stream reading from Kinesis takes the
/// source stream's encryption.
fn firehose(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    if !v.blocks("kinesis_source_configuration").is_empty() {
        return;
    }
    let sse = v.blocks("server_side_encryption");
    let Some(block) = sse.first() else {
        if v.get("server_side_encryption").is_unknown() && resource.change().is_none() {
            unknown(
                ctx,
                resource,
                v.get("server_side_encryption"),
                "server_side_encryption",
            );
        } else {
            ctx.report(
                resource,
                "delivery stream buffer is not encrypted at rest: no `server_side_encryption` block",
            )
            .severity(Severity::Medium);
        }
        return;
    };
    let enabled = block.get("enabled");
    match enabled.is_true() {
        Tri::Yes => {}
        Tri::Unknown => unknown(ctx, resource, enabled, "server_side_encryption.enabled"),
        Tri::No => {
            ctx.report_at(
                resource,
                if enabled.is_null() { block } else { enabled },
                "delivery stream buffer is not encrypted at rest: `server_side_encryption.enabled` is not `true`",
            )
            .severity(Severity::Medium);
        }
    }
}

/// `google_container_cluster`: application-layer secrets encryption (`database_encryption`
/// with `state = "ENCRYPTED"`). GKE encrypts etcd with a Google key anyway: medium.
fn gke_secrets(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let blocks = v.blocks("database_encryption");
    let Some(block) = blocks.first() else {
        if v.get("database_encryption").is_unknown() && resource.change().is_none() {
            unknown(
                ctx,
                resource,
                v.get("database_encryption"),
                "database_encryption",
            );
            return;
        }
        // In a plan, an unset computed block shows as unknown: the default (`DECRYPTED`) applies.
        ctx.report(
            resource,
            "kubernetes secrets are not encrypted with a cloud kms key: no `database_encryption` block",
        )
        .severity(Severity::Medium);
        return;
    };
    let state = block.get("state");
    match state.as_str() {
        Some("ENCRYPTED") => {}
        Some(_) => {
            ctx.report_at(
                resource,
                state,
                format!(
                    "kubernetes secrets are not encrypted with a cloud kms key: `database_encryption.state` is `{}`",
                    crate::display_safe(state)
                ),
            )
            .severity(Severity::Medium);
        }
        None if state.is_unknown() => unknown(ctx, resource, state, "database_encryption.state"),
        None => {}
    }
}
