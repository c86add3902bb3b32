use crate::companion::{Companions, Coverage, Matching};
use crate::policy::Check;
use crate::value::ValueKind;
use crate::{declare_policy, display_safe, Context, Model, Resource, Severity, Tri, ValueRef};

declare_policy! {
    /// ## What it checks
    /// Data stores, logs, queues, secrets, topics and disks encrypted with the cloud provider's
    /// key instead of a customer-managed key.
    ///
    /// Off by default: select it with `--select ENC004`, `select` in `guard.toml`, or
    /// `--select all`.
    ///
    /// A customer-managed key is an AWS KMS key of your own (its ARN, id, or an alias other than
    /// `alias/aws/<service>`), a Cloud KMS key, or an Azure Key Vault key. Checked:
    ///
    /// - AWS: `aws_s3_bucket` (inline, or through an
    ///   `aws_s3_bucket_server_side_encryption_configuration` that refers to it: `AES256`, or
    ///   `aws:kms` without `kms_master_key_id`, is reported; SSE-S3 on a log-delivery target is
    ///   not, because server access logs and load balancer access logs accept only SSE-S3: a
    ///   bucket named by an `aws_s3_bucket_logging` `target_bucket`, a `logging` block, an
    ///   `access_logs` block of `aws_lb`/`aws_elb`, or with the `log-delivery-write` ACL);
    ///   `aws_ebs_volume` (`kms_key_id`, or the account default of an `aws_ebs_default_kms_key`
    ///   in the input); `aws_db_instance`, `aws_rds_cluster`,
    ///   `aws_docdb_cluster` (`kms_key_id`) and `aws_neptune_cluster` (`kms_key_arn`);
    ///   `aws_dynamodb_table` (`server_side_encryption { enabled = true, kms_key_arn = ... }`;
    ///   skipped when `[policies] strict-dynamodb-encryption` makes ENC001 report it);
    ///   `aws_sqs_queue` (`kms_master_key_id`; SSE-SQS is reported); `aws_secretsmanager_secret`,
    ///   `aws_efs_file_system`, `aws_kinesis_stream`, `aws_elasticache_replication_group`,
    ///   `aws_redshift_cluster`, `aws_cloudtrail` (`kms_key_id`); `aws_ecr_repository`
    ///   (`encryption_configuration { encryption_type = "KMS", kms_key = ... }`);
    ///   `aws_sns_topic` and `aws_cloudwatch_log_group` with an AWS-managed alias;
    /// - GCP: `google_storage_bucket` (`encryption.default_kms_key_name`),
    ///   `google_sql_database_instance` (`encryption_key_name`), `google_bigquery_dataset`
    ///   (`default_encryption_configuration.kms_key_name`), `google_pubsub_topic`
    ///   (`kms_key_name`), `google_compute_disk` with a `disk_encryption_key` block that names no
    ///   key (`kms_key_self_link`, or a customer-supplied `raw_key` / `rsa_encrypted_key`);
    /// - Azure: `azurerm_storage_account` (a `customer_managed_key` block, or an
    ///   `azurerm_storage_account_customer_managed_key` whose `storage_account_id` refers to it),
    ///   `azurerm_managed_disk` (`disk_encryption_set_id`), `azurerm_mssql_server`
    ///   (`transparent_data_encryption_key_vault_key_id`, or an
    ///   `azurerm_mssql_server_transparent_data_encryption` with a key whose `server_id` refers
    ///   to it), `azurerm_postgresql_flexible_server` and `azurerm_mysql_flexible_server`
    ///   (`customer_managed_key.key_vault_key_id`).
    ///
    /// **One root cause, one finding.** What ENC001 (unencrypted-storage) already reports is left
    /// to it: resources that are not encrypted at all (a database without
    /// `storage_encrypted = true`, a bucket with no encryption configuration), and the resources
    /// ENC001 reports for lacking a key (SNS topics and log groups without one, Compute disks
    /// without `disk_encryption_key`, backup vaults, Redshift Serverless, SageMaker notebooks).
    /// ENC004 reports what is encrypted, or always encrypted by the provider, but with the
    /// provider's key.
    ///
    /// **How a key is judged.** A key written as a reference to a key the configuration
    /// manages (`aws_kms_key.x.arn`, `google_kms_crypto_key.x.id`, `azurerm_key_vault_key.x.id`,
    /// per `for_each` key; in a plan, the reference recorded in its `configuration`) is
    /// customer-managed. `alias/aws/<service>` (or its ARN) is AWS-managed. A key known only
    /// after apply that leads to no managed key (a variable without a value, a data source, a
    /// module output in a plan) is reported at low severity: it cannot be confirmed. In a plan,
    /// a key argument known only after apply that the plan's `configuration` does not write is
    /// not set: the provider fills in its default key. A companion resource is matched by its
    /// reference or, in a plan, by equal known values (bucket name, account id), so planned
    /// companions count.
    ///
    /// **Limits.** What is restored from a snapshot (`aws_ebs_volume` with `snapshot_id`, a
    /// database or Redshift cluster with `snapshot_identifier` or `restore_to_point_in_time`) and
    /// a Cloud SQL replica (`master_instance_name`) take their source's key and are skipped
    /// unless they name one. A trail is judged by its own `kms_key_id`, not by the default
    /// encryption of the bucket it writes to. In a plan, the state of an
    /// existing resource holds the key ARN AWS filled in; the ARN of an AWS-managed key cannot be
    /// told from a customer key's by its text, so such a resource passes (an alias is judged).
    ///
    /// Provider defaults checked against hashicorp/aws 5.x and 6.x, hashicorp/google 6.x and
    /// hashicorp/azurerm 4.x.
    ///
    /// ## Why it matters
    /// With the provider's key, anyone the account lets read the data can read it: encryption at
    /// rest then protects only against stolen disks. A customer-managed key adds a second,
    /// separately audited permission (`kms:Decrypt`, `cloudkms.cryptoKeyVersions.useToDecrypt`,
    /// Key Vault access) in front of the data, lets you revoke access by disabling the key, and
    /// is what many regulated services require. For RDS, EBS, EFS and Cloud SQL the key cannot be
    /// changed later without copying the data.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine            = "postgres"
    ///   instance_class    = "db.t3.micro"
    ///   allocated_storage = 20
    ///   storage_encrypted = true
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_kms_key" "db" {
    ///   enable_key_rotation = true
    /// }
    ///
    /// resource "aws_db_instance" "main" {
    ///   engine            = "postgres"
    ///   instance_class    = "db.t3.micro"
    ///   allocated_storage = 20
    ///   storage_encrypted = true
    ///   kms_key_id        = aws_kms_key.db.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt>
    /// - <https://cloud.google.com/kms/docs/cmek>
    /// - <https://learn.microsoft.com/azure/security/fundamentals/encryption-models>
    pub static CUSTOMER_MANAGED_KEY = {
        code: "ENC004",
        name: "customer-managed-key",
        severity: Medium,
        inputs: Both,
        check: Check::Model(check),
    }
}

const S3_SSE: &str = "aws_s3_bucket_server_side_encryption_configuration";
const STORAGE_CMK: &str = "azurerm_storage_account_customer_managed_key";
const MSSQL_TDE: &str = "azurerm_mssql_server_transparent_data_encryption";

/// What a key argument says.
enum Key<'v> {
    /// A key the customer holds: a key ARN, id or alias of their own, or a key the
    /// configuration manages.
    Customer,
    /// An AWS-managed alias (`alias/aws/s3`).
    AwsManaged(ValueRef<'v>),
    /// Not set: the service's own key applies.
    Unset,
    /// Known only after apply, and not traced to a key of the configuration.
    Unknown(ValueRef<'v>),
}

/// Judges the key `value`, written at `path` of `owner` (the resource whose references tell
/// whether an unknown value comes from a managed key).
fn judge<'v>(owner: &Resource, path: &str, value: ValueRef<'v>) -> Key<'v> {
    match value.kind() {
        ValueKind::Null => Key::Unset,
        ValueKind::String(s) if s.trim().is_empty() => Key::Unset,
        // An absent block, as a plan writes it (`encryption = []`).
        ValueKind::List(items) if items.is_empty() => Key::Unset,
        ValueKind::String(s) if is_aws_managed_alias(s) => Key::AwsManaged(value),
        // Literal ARNs, ids and aliases, and the stand-in of a managed key's id.
        ValueKind::String(_) => Key::Customer,
        // A key created in the same plan: its id is unknown, its reference is recorded.
        ValueKind::Unknown if owner.references_in(path).next().is_some() => Key::Customer,
        // In a plan, a key argument the configuration does not write is computed by the
        // provider: its default key. (Only top-level arguments: `dynamic` blocks are not in a
        // plan's `configuration`.)
        ValueKind::Unknown
            if !path.contains('.')
                && owner
                    .written_arguments()
                    .is_some_and(|written| !written.contains(path)) =>
        {
            Key::Unset
        }
        _ => Key::Unknown(value),
    }
}

/// `alias/aws/s3` or `arn:aws:kms:eu-west-1:123456789012:alias/aws/s3`.
fn is_aws_managed_alias(key: &str) -> bool {
    let key = key.trim().to_ascii_lowercase();
    key.starts_with("alias/aws/") || key.contains(":alias/aws/")
}

/// `key` at `path` must be a customer-managed key; `default` names the key that applies when
/// it is not set ("the aws-managed key `aws/rds`").
fn require_key(
    ctx: &mut Context<'_>,
    resource: &Resource,
    owner: &Resource,
    path: &str,
    key: ValueRef<'_>,
    what: &str,
    default: &str,
) {
    match judge(owner, path, key) {
        Key::Customer => {}
        Key::AwsManaged(value) => aws_managed(ctx, resource, value, what),
        Key::Unset => {
            ctx.report(
                resource,
                format!("{what} is encrypted with {default}, not a customer-managed key: `{path}` is not set"),
            );
        }
        Key::Unknown(value) => unknown(ctx, resource, value, path),
    }
}

fn aws_managed(ctx: &mut Context<'_>, resource: &Resource, value: ValueRef<'_>, what: &str) {
    ctx.report_at(
        resource,
        value,
        format!(
            "{what} is encrypted with the aws-managed key `{}`, not a customer-managed key",
            display_safe(value)
        ),
    );
}

fn unknown(ctx: &mut Context<'_>, resource: &Resource, value: ValueRef<'_>, path: &str) {
    ctx.report_at(
        resource,
        value,
        format!(
            "`{path}` is known only after apply, so a customer-managed key cannot be confirmed"
        ),
    )
    .severity(Severity::Low);
}

/// The first `block`'s `attribute`; the block itself when it is unknown; null when absent.
fn in_block<'v>(values: ValueRef<'v>, block: &str, attribute: &str) -> ValueRef<'v> {
    match values.blocks(block).first() {
        Some(first) => first.get(attribute),
        None => values.get(block),
    }
}

/// The companion resources and account defaults this policy reads, found once per model.
struct Index<'m> {
    s3_sse: Companions<'m>,
    /// What makes a bucket a log-delivery target (server access logs, load balancer access
    /// logs, the `log-delivery-write` ACL): those accept SSE-S3 only.
    s3_log_targets: [Companions<'m>; 4],
    storage_cmk: Companions<'m>,
    mssql_tde: Companions<'m>,
    /// `aws_ebs_default_kms_key`: the key EBS uses when a volume names none.
    ebs_default_key: Option<&'m Resource>,
    /// `aws_ebs_encryption_by_default` turned on.
    ebs_default: bool,
}

impl<'m> Index<'m> {
    fn build(model: &'m Model) -> Self {
        let existing = || model.resources().iter().filter(|r| r.will_exist());
        Index {
            s3_sse: Companions::of(model, &[S3_SSE], "bucket"),
            s3_log_targets: [
                Companions::of(model, &["aws_s3_bucket_logging"], "target_bucket"),
                Companions::of(model, &["aws_s3_bucket"], "logging.target_bucket"),
                Companions::of(
                    model,
                    &["aws_lb", "aws_alb", "aws_elb"],
                    "access_logs.bucket",
                ),
                Companions::of(model, &["aws_s3_bucket_acl"], "bucket")
                    .retain(|r| r.values().get("acl").as_str() == Some("log-delivery-write")),
            ],
            storage_cmk: Companions::of(model, &[STORAGE_CMK], "storage_account_id"),
            mssql_tde: Companions::of(model, &[MSSQL_TDE], "server_id"),
            ebs_default_key: existing().find(|r| r.resource_type() == "aws_ebs_default_kms_key"),
            // `enabled` defaults to true.
            ebs_default: existing().any(|r| {
                let enabled = r.values().get("enabled");
                r.resource_type() == "aws_ebs_encryption_by_default"
                    && (enabled.is_null() || !enabled.is_true().is_no())
            }),
        }
    }
}

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let index = Index::build(model);
    for resource in model.resources().iter().filter(|r| r.will_exist()) {
        check_resource(ctx, &index, resource);
    }
}

fn check_resource(ctx: &mut Context<'_>, index: &Index<'_>, resource: &Resource) {
    let v = resource.values();
    let key = |attribute: &str| v.get(attribute);
    match resource.resource_type() {
        "aws_s3_bucket" => s3_bucket(ctx, index, resource),
        "aws_ebs_volume" => ebs_volume(ctx, index, resource),
        "aws_db_instance" => {
            // Read replicas and Aurora members take their source's or cluster's key.
            let replica = !v.get("replicate_source_db").is_null();
            let aurora = v
                .get("engine")
                .as_str()
                .is_some_and(|e| e.starts_with("aurora"));
            if !replica
                && !aurora
                && encrypted(v, "storage_encrypted")
                && !restored_without_key(v, "kms_key_id")
            {
                let default = "the aws-managed key `aws/rds`";
                require_key(
                    ctx,
                    resource,
                    resource,
                    "kms_key_id",
                    key("kms_key_id"),
                    "database instance",
                    default,
                );
            }
        }
        "aws_rds_cluster" | "aws_docdb_cluster" | "aws_neptune_cluster" => {
            // Aurora Serverless v1 is always encrypted.
            let serverless = v.get("engine_mode").as_str() == Some("serverless");
            let attribute = if resource.resource_type() == "aws_neptune_cluster" {
                "kms_key_arn"
            } else {
                "kms_key_id"
            };
            if (serverless || encrypted(v, "storage_encrypted"))
                && !restored_without_key(v, attribute)
            {
                let default = "the aws-managed key `aws/rds`";
                require_key(
                    ctx,
                    resource,
                    resource,
                    attribute,
                    key(attribute),
                    "database cluster",
                    default,
                );
            }
        }
        "aws_dynamodb_table" if !ctx.settings.strict_dynamodb_encryption => {
            dynamodb_table(ctx, resource)
        }
        "aws_sqs_queue" => {
            let managed = v.get("sqs_managed_sse_enabled");
            // ENC001 reports a queue without any encryption.
            let unencrypted = managed.is_true().is_no() && !managed.is_null();
            let key = key("kms_master_key_id");
            if !(unencrypted && key.is_null()) {
                let default = "an sqs-owned key (sse-sqs)";
                require_key(
                    ctx,
                    resource,
                    resource,
                    "kms_master_key_id",
                    key,
                    "sqs queue",
                    default,
                );
            }
        }
        "aws_secretsmanager_secret" => {
            let default = "the aws-managed key `aws/secretsmanager`";
            require_key(
                ctx,
                resource,
                resource,
                "kms_key_id",
                key("kms_key_id"),
                "secret",
                default,
            );
        }
        "aws_efs_file_system" if encrypted(v, "encrypted") => {
            let default = "the aws-managed key `aws/elasticfilesystem`";
            require_key(
                ctx,
                resource,
                resource,
                "kms_key_id",
                key("kms_key_id"),
                "efs file system",
                default,
            );
        }
        "aws_kinesis_stream"
            if v.get("encryption_type")
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case("KMS")) =>
        {
            let default = "the aws-managed key `aws/kinesis`";
            require_key(
                ctx,
                resource,
                resource,
                "kms_key_id",
                key("kms_key_id"),
                "kinesis stream",
                default,
            );
        }
        "aws_elasticache_replication_group" if encrypted(v, "at_rest_encryption_enabled") => {
            let default = "an aws-managed key";
            require_key(
                ctx,
                resource,
                resource,
                "kms_key_id",
                key("kms_key_id"),
                "elasticache replication group",
                default,
            );
        }
        "aws_redshift_cluster"
            if encrypted(v, "encrypted") && !restored_without_key(v, "kms_key_id") =>
        {
            let default = "an aws-managed key";
            require_key(
                ctx,
                resource,
                resource,
                "kms_key_id",
                key("kms_key_id"),
                "redshift cluster",
                default,
            );
        }
        "aws_cloudtrail" => {
            let default = "sse-s3 (an aws-managed key)";
            require_key(
                ctx,
                resource,
                resource,
                "kms_key_id",
                key("kms_key_id"),
                "trail log",
                default,
            );
        }
        "aws_ecr_repository" => ecr_repository(ctx, resource),
        // ENC001 reports these without a key (and HCL values known only after apply).
        "aws_sns_topic" | "aws_cloudwatch_log_group" => {
            let attribute = if resource.resource_type() == "aws_sns_topic" {
                "kms_master_key_id"
            } else {
                "kms_key_id"
            };
            match judge(resource, attribute, key(attribute)) {
                Key::AwsManaged(value) => {
                    let what = if attribute == "kms_key_id" {
                        "log group"
                    } else {
                        "sns topic"
                    };
                    aws_managed(ctx, resource, value, what);
                }
                Key::Unknown(value) if resource.change().is_some() => {
                    unknown(ctx, resource, value, attribute);
                }
                _ => {}
            }
        }
        "google_storage_bucket" => {
            let value = in_block(v, "encryption", "default_kms_key_name");
            let default = "a google-managed key";
            require_key(
                ctx,
                resource,
                resource,
                "encryption.default_kms_key_name",
                value,
                "bucket",
                default,
            );
        }
        // A replica without a key of its own follows its primary's.
        "google_sql_database_instance"
            if v.get("master_instance_name").is_null() || !key("encryption_key_name").is_null() =>
        {
            let default = "a google-managed key";
            require_key(
                ctx,
                resource,
                resource,
                "encryption_key_name",
                key("encryption_key_name"),
                "database instance",
                default,
            );
        }
        "google_bigquery_dataset" => {
            let value = in_block(v, "default_encryption_configuration", "kms_key_name");
            let path = "default_encryption_configuration.kms_key_name";
            require_key(
                ctx,
                resource,
                resource,
                path,
                value,
                "dataset",
                "a google-managed key",
            );
        }
        "google_pubsub_topic" => {
            let default = "a google-managed key";
            require_key(
                ctx,
                resource,
                resource,
                "kms_key_name",
                key("kms_key_name"),
                "topic",
                default,
            );
        }
        "google_compute_disk" => compute_disk(ctx, resource),
        "azurerm_storage_account" => storage_account(ctx, index, resource),
        "azurerm_managed_disk" => managed_disk(ctx, resource),
        "azurerm_mssql_server" => mssql_server(ctx, index, resource),
        "azurerm_postgresql_flexible_server" | "azurerm_mysql_flexible_server" => {
            let value = in_block(v, "customer_managed_key", "key_vault_key_id");
            let path = "customer_managed_key.key_vault_key_id";
            require_key(
                ctx,
                resource,
                resource,
                path,
                value,
                "database server",
                "a microsoft-managed key",
            );
        }
        _ => {}
    }
}

/// A database restored from a snapshot or a point in time that names no key: it takes the
/// source's key, which the input does not show.
fn restored_without_key(values: ValueRef<'_>, attribute: &str) -> bool {
    let from_snapshot = ["snapshot_identifier", "snapshot_cluster_identifier"]
        .iter()
        .any(|a| values.get(a).as_str().is_some_and(|s| !s.is_empty()));
    let point_in_time = !values.blocks("restore_to_point_in_time").is_empty();
    values.get(attribute).is_null() && (from_snapshot || point_in_time)
}

/// Whether the encryption flag `attribute` is true; otherwise ENC001 reports the resource (as
/// unencrypted, or as unconfirmed when the flag is unknown).
fn encrypted(values: ValueRef<'_>, attribute: &str) -> bool {
    values.get(attribute).is_true() == Tri::Yes
}

fn s3_bucket(ctx: &mut Context<'_>, index: &Index<'_>, resource: &Resource) {
    let v = resource.values();
    // S3 server access logs and load balancer access logs can be delivered only to buckets
    // encrypted with SSE-S3: a customer-managed key there breaks the logs.
    let log_target = v.get("acl").as_str() == Some("log-delivery-write")
        || index
            .s3_log_targets
            .iter()
            .any(|targets| targets.coverage(resource, &["bucket", "id"]) == Coverage::Covered);
    let inline = "server_side_encryption_configuration";
    if let Some(config) = v.blocks(inline).first() {
        s3_rules(
            ctx,
            resource,
            resource,
            config,
            &format!("{inline}."),
            log_target,
        );
        return;
    }
    // No configuration, or one ENC001 cannot confirm: ENC001's finding.
    if let Matching::Found(configs) = index.s3_sse.matching(resource, &["bucket", "id"]) {
        for config in configs {
            s3_rules(ctx, resource, config, config.values(), "", log_target);
        }
    }
}

/// The rules of one S3 encryption configuration (inline at `prefix`, or in `owner`).
fn s3_rules(
    ctx: &mut Context<'_>,
    bucket: &Resource,
    owner: &Resource,
    config: ValueRef<'_>,
    prefix: &str,
    log_target: bool,
) {
    for rule in config.blocks("rule") {
        for default in rule.blocks("apply_server_side_encryption_by_default") {
            let algorithm = default.get("sse_algorithm");
            match algorithm.as_str() {
                Some("AES256") if log_target => {}
                Some("AES256") => {
                    ctx.report_at(
                        bucket,
                        algorithm,
                        "bucket is encrypted with sse-s3 (an aws-managed key), not a customer-managed key: `sse_algorithm` is `AES256`",
                    );
                }
                Some("aws:kms" | "aws:kms:dsse") => {
                    let path = format!(
                        "{prefix}rule.apply_server_side_encryption_by_default.kms_master_key_id"
                    );
                    let key = default.get("kms_master_key_id");
                    match judge(owner, &path, key) {
                        Key::Customer => {}
                        Key::AwsManaged(value) => aws_managed(ctx, bucket, value, "bucket"),
                        Key::Unset => {
                            ctx.report_at(
                                bucket,
                                algorithm,
                                "bucket is encrypted with the aws-managed key `aws/s3`, not a customer-managed key: `kms_master_key_id` is not set",
                            );
                        }
                        Key::Unknown(value) => unknown(ctx, bucket, value, "kms_master_key_id"),
                    }
                }
                // Unknown or invalid algorithms are ENC001's.
                _ => {}
            }
        }
    }
}

fn ebs_volume(ctx: &mut Context<'_>, index: &Index<'_>, resource: &Resource) {
    let v = resource.values();
    let key = v.get("kms_key_id");
    // A key the configuration names is judged whatever the rest says.
    let judged = judge(resource, "kms_key_id", key);
    match judged {
        Key::Customer => return,
        Key::AwsManaged(value) => return aws_managed(ctx, resource, value, "ebs volume"),
        Key::Unset | Key::Unknown(_) => {}
    }
    // A volume restored from a snapshot takes the snapshot's key.
    if v.get("snapshot_id").as_str().is_some_and(|s| !s.is_empty()) {
        return;
    }
    // Unencrypted volumes, or volumes whose encryption is unknown, are ENC001's.
    if !index.ebs_default && !encrypted(v, "encrypted") {
        return;
    }
    if let Key::Unknown(value) = judged {
        return unknown(ctx, resource, value, "kms_key_id");
    }
    match index.ebs_default_key {
        Some(default_key) => {
            let account_key = default_key.values().get("key_arn");
            match judge(default_key, "key_arn", account_key) {
                Key::Customer => {}
                Key::AwsManaged(value) => aws_managed(ctx, resource, value, "ebs volume"),
                Key::Unset | Key::Unknown(_) => unknown(
                    ctx,
                    resource,
                    account_key,
                    "aws_ebs_default_kms_key.key_arn",
                ),
            }
        }
        None => {
            let default = "the aws-managed key `aws/ebs`";
            require_key(
                ctx,
                resource,
                resource,
                "kms_key_id",
                key,
                "ebs volume",
                default,
            );
        }
    }
}

fn dynamodb_table(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let sse = v.get("server_side_encryption");
    let Some(block) = v.blocks("server_side_encryption").first() else {
        if sse.is_unknown() && resource.change().is_none() {
            unknown(ctx, resource, sse, "server_side_encryption");
        } else {
            // In a plan, an unset computed block shows as unknown: the default applies.
            ctx.report(
                resource,
                "dynamodb table is encrypted with an aws-owned key, not a customer-managed key: no `server_side_encryption` block",
            );
        }
        return;
    };
    let enabled = block.get("enabled");
    match enabled.is_true() {
        Tri::Yes => {
            let path = "server_side_encryption.kms_key_arn";
            let default = "the aws-managed key `aws/dynamodb`";
            require_key(
                ctx,
                resource,
                resource,
                path,
                block.get("kms_key_arn"),
                "dynamodb table",
                default,
            );
        }
        Tri::Unknown => unknown(ctx, resource, enabled, "server_side_encryption.enabled"),
        Tri::No => {
            ctx.report_at(
                resource,
                if enabled.is_null() { block } else { enabled },
                "dynamodb table is encrypted with an aws-owned key, not a customer-managed key: `server_side_encryption.enabled` is not `true`",
            );
        }
    }
}

fn ecr_repository(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let config = v.get("encryption_configuration");
    let Some(block) = v.blocks("encryption_configuration").first() else {
        if config.is_unknown() && resource.change().is_none() {
            unknown(ctx, resource, config, "encryption_configuration");
        } else {
            // In a plan, an unset computed block shows as unknown: the default (AES256) applies.
            ctx.report(
                resource,
                "ecr repository is encrypted with aes-256 and an aws-owned key, not a customer-managed key: no `encryption_configuration` block",
            );
        }
        return;
    };
    let encryption_type = block.get("encryption_type");
    match encryption_type.as_str() {
        Some(t) if t.eq_ignore_ascii_case("KMS") || t.eq_ignore_ascii_case("KMS_DSSE") => {
            let path = "encryption_configuration.kms_key";
            let default = "the aws-managed key `aws/ecr`";
            require_key(
                ctx,
                resource,
                resource,
                path,
                block.get("kms_key"),
                "ecr repository",
                default,
            );
        }
        None if encryption_type.is_unknown() => {
            unknown(
                ctx,
                resource,
                encryption_type,
                "encryption_configuration.encryption_type",
            );
        }
        _ => {
            ctx.report_at(
                resource,
                if encryption_type.is_null() { block } else { encryption_type },
                "ecr repository is encrypted with aes-256 and an aws-owned key, not a customer-managed key: `encryption_configuration.encryption_type` is not `KMS`",
            );
        }
    }
}

/// `google_compute_disk` with a `disk_encryption_key` block: it must name a key. Without the
/// block ENC001 reports the disk.
fn compute_disk(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    let Some(block) = v.blocks("disk_encryption_key").first() else {
        // ENC001 reports an unknown block in source; in a plan nobody else does.
        let key = v.get("disk_encryption_key");
        if key.is_unknown() && resource.change().is_some() {
            unknown(ctx, resource, key, "disk_encryption_key");
        }
        return;
    };
    // A customer-supplied key (CSEK) is the customer's own too.
    let supplied = ["raw_key", "rsa_encrypted_key"]
        .iter()
        .any(|k| !block.get(k).is_null());
    if !supplied {
        let path = "disk_encryption_key.kms_key_self_link";
        let default = "a google-managed key";
        require_key(
            ctx,
            resource,
            resource,
            path,
            block.get("kms_key_self_link"),
            "disk",
            default,
        );
    }
}

fn storage_account(ctx: &mut Context<'_>, index: &Index<'_>, resource: &Resource) {
    let v = resource.values();
    if let Some(block) = v.blocks("customer_managed_key").first() {
        // A managed HSM key is a customer-managed key too.
        let hsm = block.get("managed_hsm_key_id");
        let (path, key) = if hsm.is_null() {
            (
                "customer_managed_key.key_vault_key_id",
                block.get("key_vault_key_id"),
            )
        } else {
            ("customer_managed_key.managed_hsm_key_id", hsm)
        };
        let default = "a microsoft-managed key";
        require_key(
            ctx,
            resource,
            resource,
            path,
            key,
            "storage account",
            default,
        );
        return;
    }
    let inline = v.get("customer_managed_key");
    if inline.is_unknown() && resource.change().is_none() {
        unknown(ctx, resource, inline, "customer_managed_key");
        return;
    }
    match index.storage_cmk.matching(resource, &["id"]) {
        Matching::Found(_) => {}
        Matching::CannotTell(address) => {
            ctx.report(
                resource,
                format!("no customer-managed key is known to encrypt this storage account: `{address}` may, but its `storage_account_id` is known only after apply"),
            )
            .severity(Severity::Low);
        }
        Matching::Missing => {
            ctx.report(
                resource,
                format!("storage account is encrypted with a microsoft-managed key, not a customer-managed key: no `customer_managed_key` block and no `{STORAGE_CMK}` refers to it"),
            );
        }
    }
}

fn managed_disk(ctx: &mut Context<'_>, resource: &Resource) {
    let v = resource.values();
    // ENC001 reports a disk whose Azure Disk Encryption is turned off.
    let ade_off = v.blocks("encryption_settings").iter().any(|s| {
        let enabled = s.get("enabled");
        enabled.is_true().is_no() && !enabled.is_null()
    });
    if ade_off {
        return;
    }
    let secure = v.get("secure_vm_disk_encryption_set_id");
    if matches!(
        judge(resource, "secure_vm_disk_encryption_set_id", secure),
        Key::Customer
    ) {
        return;
    }
    let default = "a platform-managed key";
    let set = v.get("disk_encryption_set_id");
    require_key(
        ctx,
        resource,
        resource,
        "disk_encryption_set_id",
        set,
        "managed disk",
        default,
    );
}

fn mssql_server(ctx: &mut Context<'_>, index: &Index<'_>, resource: &Resource) {
    let attribute = "transparent_data_encryption_key_vault_key_id";
    let inline = resource.values().get(attribute);
    match judge(resource, attribute, inline) {
        Key::Customer => return,
        Key::Unknown(value) => return unknown(ctx, resource, value, attribute),
        Key::AwsManaged(_) | Key::Unset => {}
    }
    match index.mssql_tde.matching(resource, &["id"]) {
        Matching::Found(tdes) => {
            for tde in tdes {
                let hsm = tde.values().get("managed_hsm_key_id");
                let (path, key) = if hsm.is_null() {
                    ("key_vault_key_id", tde.values().get("key_vault_key_id"))
                } else {
                    ("managed_hsm_key_id", hsm)
                };
                match judge(tde, path, key) {
                    Key::Customer => {}
                    Key::Unknown(value) => {
                        unknown(ctx, resource, value, &format!("{MSSQL_TDE}.{path}"))
                    }
                    Key::AwsManaged(_) | Key::Unset => {
                        ctx.report(
                            resource,
                            format!("sql server transparent data encryption uses a service-managed key, not a customer-managed key: `{}` sets no `key_vault_key_id`", tde.address()),
                        );
                    }
                }
            }
        }
        Matching::CannotTell(address) => {
            ctx.report(
                resource,
                format!("no customer-managed key is known to encrypt this sql server: `{address}` may, but its `server_id` is known only after apply"),
            )
            .severity(Severity::Low);
        }
        Matching::Missing => {
            ctx.report(
                resource,
                format!("sql server transparent data encryption uses a service-managed key, not a customer-managed key: `{attribute}` is not set and no `{MSSQL_TDE}` refers to it"),
            );
        }
    }
}
