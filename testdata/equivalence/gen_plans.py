# Writes the hand-made plan.json of each case (kept for review; the JSON files are the fixtures).
import json

AWS = "registry.terraform.io/hashicorp/aws"

def rc(address, rtype, name, after, unknown, index=None, sensitive=None):
    r = {"address": address, "mode": "managed", "type": rtype, "name": name}
    if index is not None:
        r["index"] = index
    r["provider_name"] = AWS
    r["change"] = {
        "actions": ["create"], "before": None, "after": after, "after_unknown": unknown,
        "before_sensitive": False, "after_sensitive": sensitive if sensitive is not None else {},
    }
    return r

def plan(resources, outputs=None, variables=None, config=None):
    p = {"format_version": "1.2", "terraform_version": "1.9.8"}
    if variables:
        p["variables"] = {k: {"value": v} for k, v in variables.items()}
    p["planned_values"] = {"root_module": {}}
    p["resource_changes"] = resources
    if outputs:
        p["output_changes"] = outputs
    p["configuration"] = config or {"provider_config": {"aws": {"name": "aws", "full_name": AWS}}, "root_module": {}}
    p["timestamp"] = "2026-01-01T00:00:00Z"
    p["applyable"] = True
    p["complete"] = True
    p["errored"] = False
    return p

def rule(cidrs, desc, fp, tp, proto, self_=False):
    return {"cidr_blocks": cidrs, "description": desc, "from_port": fp, "ipv6_cidr_blocks": [],
            "prefix_list_ids": [], "protocol": proto, "security_groups": [], "self": self_, "to_port": tp}

def rule_unknown(n):
    return {"cidr_blocks": [False] * n, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}

def write(case, p):
    with open(f"{case}/plan.json", "w") as f:
        json.dump(p, f, indent=2)
        f.write("\n")

write("security_group", plan([rc(
    "aws_security_group.web", "aws_security_group", "web",
    {"description": "Managed by Terraform",
     "egress": [rule(["0.0.0.0/0"], "", 0, 0, "-1")],
     "ingress": [rule([], "", 0, 0, "-1", True), rule(["0.0.0.0/0"], "ssh", 22, 22, "tcp")],
     "name": "web", "revoke_rules_on_delete": False, "tags": None, "timeouts": None,
     "vpc_id": "vpc-0123456789abcdef0"},
    {"arn": True, "egress": [rule_unknown(1)], "id": True, "ingress": [rule_unknown(0), rule_unknown(1)],
     "name_prefix": True, "owner_id": True, "tags_all": True},
    sensitive={"egress": [{"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}],
               "ingress": [{"cidr_blocks": [], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []},
                           {"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}],
               "tags_all": {}})]))

BUCKET_COMPUTED = ["acceleration_status", "acl", "arn", "bucket_domain_name", "bucket_prefix",
                   "bucket_regional_domain_name", "cors_rule", "grant", "hosted_zone_id", "id",
                   "lifecycle_rule", "logging", "object_lock_configuration", "object_lock_enabled",
                   "policy", "region", "replication_configuration", "request_payer",
                   "server_side_encryption_configuration", "tags_all", "versioning", "website",
                   "website_domain", "website_endpoint"]
s3 = []
for key in ["data", "logs", "raw"]:
    s3.append(rc(f'aws_s3_bucket.b["{key}"]', "aws_s3_bucket", "b",
                 {"bucket": f"acme-{key}", "force_destroy": False, "tags": None, "timeouts": None},
                 {k: True for k in BUCKET_COMPUTED}, index=key,
                 sensitive={"cors_rule": [], "grant": [], "lifecycle_rule": [], "logging": [],
                            "object_lock_configuration": [], "replication_configuration": [],
                            "server_side_encryption_configuration": [], "tags_all": {},
                            "versioning": [], "website": []}))
for key in ["data", "logs"]:
    s3.append(rc(f'aws_s3_bucket_server_side_encryption_configuration.b["{key}"]',
                 "aws_s3_bucket_server_side_encryption_configuration", "b",
                 {"expected_bucket_owner": None,
                  "rule": [{"apply_server_side_encryption_by_default": [
                      {"kms_master_key_id": None, "sse_algorithm": "aws:kms"}],
                      "bucket_key_enabled": None}]},
                 {"bucket": True, "id": True, "rule": [{"apply_server_side_encryption_by_default": [{}]}]},
                 index=key,
                 sensitive={"rule": [{"apply_server_side_encryption_by_default": [{}]}]}))
write("s3_encryption", plan(s3))

write("rds", plan([rc(
    "aws_db_instance.db", "aws_db_instance", "db",
    {"allocated_storage": 20, "allow_major_version_upgrade": None, "apply_immediately": False,
     "auto_minor_version_upgrade": True, "blue_green_update": [], "copy_tags_to_snapshot": False,
     "custom_iam_instance_profile": None, "customer_owned_ip_enabled": None,
     "dedicated_log_volume": False, "delete_automated_backups": True, "deletion_protection": None,
     "domain": None, "domain_auth_secret_arn": None, "domain_dns_ips": None, "domain_fqdn": None,
     "domain_iam_role_name": None, "domain_ou": None, "enabled_cloudwatch_logs_exports": None,
     "engine": "postgres", "engine_version": "16.3", "final_snapshot_identifier": None,
     "iam_database_authentication_enabled": None, "identifier": "app",
     "instance_class": "db.t3.micro", "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
     "manage_master_user_password": True, "master_user_secret_kms_key_id": None,
     "max_allocated_storage": None, "monitoring_interval": 0, "password": None,
     "password_wo": None, "password_wo_version": None, "performance_insights_enabled": False,
     "publicly_accessible": False, "replicate_source_db": None, "restore_to_point_in_time": [],
     "s3_import": [], "skip_final_snapshot": True, "snapshot_identifier": None,
     "storage_encrypted": True, "tags": None, "timeouts": None, "upgrade_storage_config": None,
     "username": "app"},
    {k: True for k in ["address", "arn", "availability_zone", "backup_retention_period",
                       "backup_target", "backup_window", "ca_cert_identifier", "character_set_name",
                       "db_name", "db_subnet_group_name", "endpoint", "engine_lifecycle_support",
                       "engine_version_actual", "hosted_zone_id", "id", "identifier_prefix",
                       "iops", "latest_restorable_time", "license_model", "listener_endpoint",
                       "maintenance_window", "master_user_secret", "monitoring_role_arn",
                       "multi_az", "nchar_character_set_name", "network_type", "option_group_name",
                       "parameter_group_name", "performance_insights_kms_key_id",
                       "performance_insights_retention_period", "port", "replica_mode",
                       "replicas", "resource_id", "status", "storage_throughput", "storage_type",
                       "tags_all", "timezone", "vpc_security_group_ids"]},
    sensitive={"blue_green_update": [], "listener_endpoint": [], "master_user_secret": [],
               "password": True, "replicas": [], "restore_to_point_in_time": [], "s3_import": [],
               "tags_all": {}, "vpc_security_group_ids": []})]))

write("kms", plan([rc(
    "aws_kms_key.k", "aws_kms_key", "k",
    {"bypass_policy_lockout_safety_check": False, "custom_key_store_id": None,
     "customer_master_key_spec": "SYMMETRIC_DEFAULT", "description": "application data",
     "enable_key_rotation": False, "is_enabled": True, "key_usage": "ENCRYPT_DECRYPT",
     "tags": None, "timeouts": None, "xks_key_id": None},
    {"arn": True, "deletion_window_in_days": False, "id": True, "key_id": True,
     "multi_region": True, "policy": True, "rotation_period_in_days": True, "tags_all": True},
    sensitive={"tags_all": {}})]))

write("sensitive_output", plan(
    [],
    outputs={"db_password": {"actions": ["create"], "before": None, "after": "Pw7-kq2Lm9xZr4vT",
                             "after_unknown": False, "before_sensitive": False,
                             "after_sensitive": False}},
    variables={"db_password": "Pw7-kq2Lm9xZr4vT"},
    config={"root_module": {"outputs": {"db_password": {"expression": {"references": ["var.db_password"]}}},
                            "variables": {"db_password": {"type": "string"}}}}))
