#!/usr/bin/env python3
# Writes the bad.plan.json and good.plan.json fixtures of testdata/policies/ in the shape of
# `terraform show -json` (format_version 1.2). JSON has no comments, so each case is explained
# here, above the resource that carries it. Run from anywhere: python3 generate_plans.py

import json, os, sys
ROOT = os.path.dirname(os.path.abspath(__file__))

def rc(address, rtype, actions, before=None, after=None, unknown=None, after_sensitive=None,
       before_sensitive=None, mode="managed", module=None, index=None, name=None):
    if name is None:
        name = address.split(".")[-1].split("[")[0]
    entry = {"address": address}
    if module:
        entry["module_address"] = module
    entry.update({"mode": mode, "type": rtype, "name": name})
    if index is not None:
        entry["index"] = index
    entry["provider_name"] = "registry.terraform.io/hashicorp/" + rtype.split("_")[0].replace("azurerm","azurerm").replace("google","google")
    entry["change"] = {
        "actions": actions,
        "before": before,
        "after": after,
        "after_unknown": unknown if unknown is not None else {},
        "before_sensitive": before_sensitive if before_sensitive is not None else (False if before is None else {}),
        "after_sensitive": after_sensitive if after_sensitive is not None else (False if after is None else {}),
    }
    return entry

def create(address, rtype, after, unknown=None, **kw):
    return rc(address, rtype, ["create"], None, after, unknown, **kw)

def plan(changes, outputs=None, config_outputs=None, variables=None):
    p = {"format_version": "1.2", "terraform_version": "1.9.5"}
    if variables is not None:
        p["variables"] = variables
    p["planned_values"] = {"root_module": {}}
    p["resource_changes"] = changes
    if outputs is not None:
        p["output_changes"] = outputs
    p["configuration"] = {"provider_config": {}, "root_module": {"outputs": config_outputs or {}}}
    p["timestamp"] = "2026-08-01T12:00:00Z"
    p["applyable"] = True
    p["complete"] = True
    p["errored"] = False
    return p

def write(policy, kind, p):
    d = os.path.join(ROOT, policy)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, kind + ".plan.json"), "w") as f:
        json.dump(p, f, indent=2)
        f.write("\n")

def sg_rule(cidrs=None, v6=None, frm=0, to=0, proto="-1", self_=False, sgs=None, pl=None, desc=""):
    return {"cidr_blocks": cidrs or [], "description": desc, "from_port": frm, "ipv6_cidr_blocks": v6 or [],
            "prefix_list_ids": pl or [], "protocol": proto, "security_groups": sgs or [], "self": self_, "to_port": to}

def sg(name, ingress=None, egress=None):
    return {"description": "Managed by Terraform", "egress": egress or [], "ingress": ingress or [], "name": name,
            "revoke_rules_on_delete": False, "tags": None, "timeouts": None, "vpc_id": "vpc-0a1b2c3d"}
SG_UNKNOWN = {"arn": True, "id": True, "owner_id": True, "name_prefix": True, "tags_all": True}

def sgr(typ, cidrs=None, v6=None, frm=0, to=0, proto="-1", sg_id="sg-0123456789abcdef0", **extra):
    d = {"cidr_blocks": cidrs, "description": None, "from_port": frm, "ipv6_cidr_blocks": v6, "prefix_list_ids": None,
         "protocol": proto, "security_group_id": sg_id, "self": False, "timeouts": None, "to_port": to, "type": typ}
    d.update(extra)
    return d

def vpc_rule(proto, cidr4=None, cidr6=None, frm=None, to=None, sg_id="sg-0123456789abcdef0", pl=None):
    return {"cidr_ipv4": cidr4, "cidr_ipv6": cidr6, "description": None, "from_port": frm, "ip_protocol": proto,
            "prefix_list_id": pl, "referenced_security_group_id": None, "security_group_id": sg_id, "tags": None, "to_port": to}

def gfw(direction, allow=None, deny=None, src=None, dst=None, tags=None, disabled=False):
    return {"allow": allow or [], "deny": deny or [], "description": None, "destination_ranges": dst, "direction": direction,
            "disabled": disabled, "log_config": [], "name": "fw", "network": "default", "priority": 1000,
            "source_ranges": src, "source_service_accounts": None, "source_tags": tags, "target_service_accounts": None,
            "target_tags": None, "timeouts": None}

def azr(direction, access, proto, src="*", dst="*", port="*", ports=None, srcs=None, dsts=None):
    return {"access": access, "description": None, "destination_address_prefix": dst, "destination_address_prefixes": dsts,
            "destination_application_security_group_ids": None, "destination_port_range": port,
            "destination_port_ranges": ports, "direction": direction, "name": "rule", "network_security_group_name": "nsg",
            "priority": 100, "protocol": proto, "resource_group_name": "rg", "source_address_prefix": src,
            "source_address_prefixes": srcs, "source_application_security_group_ids": None, "source_port_range": "*",
            "source_port_ranges": None, "timeouts": None}

# ---------------- NET001 public-egress
write("public-egress", "bad", plan([
    # all traffic to 0.0.0.0/0 from an inline egress block
    create("aws_security_group.app", "aws_security_group", sg("app", egress=[sg_rule(["0.0.0.0/0"])]), SG_UNKNOWN),
    # regression: ip_protocol -1, no ports, security group not in this plan (checkov and trivy miss it)
    create("aws_vpc_security_group_egress_rule.orphan", "aws_vpc_security_group_egress_rule",
           vpc_rule("-1", cidr4="0.0.0.0/0"), {"arn": True, "id": True, "security_group_rule_id": True, "tags_all": True}),
    # ::/0 on tcp 443: limited ports, medium
    create("aws_security_group_rule.https_v6", "aws_security_group_rule",
           sgr("egress", v6=["::/0"], frm=443, to=443, proto="tcp"), {"id": True, "security_group_rule_id": True}),
    # two halves that add up to the whole IPv4 space
    create("aws_security_group_rule.halves", "aws_security_group_rule",
           sgr("egress", cidrs=["0.0.0.0/1", "128.0.0.0/1"]), {"id": True, "security_group_rule_id": True}),
    # long IPv6 form of ::/0
    create("aws_vpc_security_group_egress_rule.long_v6", "aws_vpc_security_group_egress_rule",
           vpc_rule("tcp", cidr6="0:0:0:0:0:0:0:0/0", frm=0, to=65535), {"arn": True, "id": True, "security_group_rule_id": True, "tags_all": True}),
    # GCP egress allow with no destination_ranges: applies to every destination
    create("google_compute_firewall.egress", "google_compute_firewall",
           gfw("EGRESS", allow=[{"ports": ["443"], "protocol": "tcp"}]), {"id": True, "self_link": True, "project": True, "creation_timestamp": True}),
    # Azure outbound allow to the Internet service tag
    create("azurerm_network_security_rule.out", "azurerm_network_security_rule",
           azr("Outbound", "Allow", "*", dst="Internet"), {"id": True}),
    # destination known only after apply: low
    create("aws_security_group_rule.computed", "aws_security_group_rule",
           sgr("egress", cidrs=None, frm=443, to=443, proto="tcp"), {"cidr_blocks": True, "id": True, "security_group_rule_id": True}),
    # an existing group left unchanged is still open
    rc("aws_security_group.legacy", "aws_security_group", ["no-op"], sg("legacy", egress=[sg_rule(["0.0.0.0/0"])]),
       sg("legacy", egress=[sg_rule(["0.0.0.0/0"])])),
]))
write("public-egress", "good", plan([
    # private destinations, prefix lists and security groups are not the internet
    create("aws_security_group.app", "aws_security_group",
           sg("app", egress=[sg_rule(["10.0.0.0/8"]), sg_rule(pl=["pl-63a5400a"], frm=443, to=443, proto="tcp"),
                             sg_rule(sgs=["sg-0fedcba9876543210"])]), SG_UNKNOWN),
    # half the space is not the whole internet
    create("aws_security_group_rule.half", "aws_security_group_rule", sgr("egress", cidrs=["0.0.0.0/1"]), {"id": True, "security_group_rule_id": True}),
    # ingress from anywhere is public-ingress's business
    create("aws_security_group_rule.web", "aws_security_group_rule", sgr("ingress", cidrs=["0.0.0.0/0"], frm=443, to=443, proto="tcp"), {"id": True, "security_group_rule_id": True}),
    # a deleted group is going away
    rc("aws_security_group.old", "aws_security_group", ["delete"], sg("old", egress=[sg_rule(["0.0.0.0/0"])]), None),
    # GCP: deny rules and disabled rules allow nothing
    create("google_compute_firewall.deny", "google_compute_firewall", gfw("EGRESS", deny=[{"ports": [], "protocol": "all"}], dst=["0.0.0.0/0"]), {"id": True}),
    create("google_compute_firewall.off", "google_compute_firewall", gfw("EGRESS", allow=[{"ports": [], "protocol": "all"}], dst=["0.0.0.0/0"], disabled=True), {"id": True}),
    # Azure: deny to the internet, allow to the virtual network
    create("azurerm_network_security_rule.deny", "azurerm_network_security_rule", azr("Outbound", "Deny", "*", dst="Internet"), {"id": True}),
    create("azurerm_network_security_rule.vnet", "azurerm_network_security_rule", azr("Outbound", "Allow", "*", dst="VirtualNetwork"), {"id": True}),
]))

# ---------------- NET002 public-ingress
write("public-ingress", "bad", plan([
    # regression: the first rule is self = true, the second opens 22 to the world (checkov stops at the first)
    create("aws_security_group.app", "aws_security_group",
           sg("app", ingress=[sg_rule(self_=True), sg_rule(["0.0.0.0/0"], frm=22, to=22, proto="tcp")]), SG_UNKNOWN),
    # RDP from the long form of ::/0, security group not in this plan
    create("aws_vpc_security_group_ingress_rule.rdp", "aws_vpc_security_group_ingress_rule",
           vpc_rule("tcp", cidr6="0:0:0:0:0:0:0:0/0", frm=3389, to=3389), {"arn": True, "id": True, "security_group_rule_id": True, "tags_all": True}),
    # postgres from anywhere: not in the allowlist
    create("aws_security_group_rule.db", "aws_security_group_rule", sgr("ingress", cidrs=["0.0.0.0/0"], frm=5432, to=5432, proto="tcp"), {"id": True, "security_group_rule_id": True}),
    # every protocol from anywhere
    create("aws_security_group_rule.all", "aws_security_group_rule", sgr("ingress", cidrs=["0.0.0.0/0"]), {"id": True, "security_group_rule_id": True}),
    # a range that includes 22
    create("aws_security_group_rule.range", "aws_security_group_rule", sgr("ingress", cidrs=["0.0.0.0/1", "128.0.0.0/1"], frm=20, to=25, proto="tcp"), {"id": True, "security_group_rule_id": True}),
    # GCP: no source_ranges, tags or service accounts means every source
    create("google_compute_firewall.app", "google_compute_firewall", gfw("INGRESS", allow=[{"ports": ["8080"], "protocol": "tcp"}]), {"id": True}),
    create("google_compute_firewall.ssh", "google_compute_firewall", gfw("INGRESS", allow=[{"ports": ["22"], "protocol": "tcp"}], src=["0.0.0.0/0"]), {"id": True}),
    # Azure inline rule: RDP from any source
    create("azurerm_network_security_group.nsg", "azurerm_network_security_group",
           {"location": "westeurope", "name": "nsg", "resource_group_name": "rg", "security_rule": [
               dict(azr("Inbound", "Allow", "Tcp", src="*", port="3389"), **{"destination_address_prefix": "*"})], "tags": None, "timeouts": None}, {"id": True}),
    # ports known only after apply: medium
    create("aws_security_group_rule.computed_port", "aws_security_group_rule", sgr("ingress", cidrs=["0.0.0.0/0"], frm=None, to=None, proto="tcp"),
           {"from_port": True, "to_port": True, "id": True, "security_group_rule_id": True}),
]))
write("public-ingress", "good", plan([
    # 80 and 443 from anywhere are allowed by default
    create("aws_security_group.web", "aws_security_group",
           sg("web", ingress=[sg_rule(["0.0.0.0/0"], frm=443, to=443, proto="tcp"), sg_rule(["0.0.0.0/0", "::/0"], frm=80, to=80, proto="tcp"),
                              sg_rule(self_=True), sg_rule(sgs=["sg-0fedcba9876543210"], frm=22, to=22, proto="tcp")]), SG_UNKNOWN),
    # SSH from a private range
    create("aws_security_group_rule.ssh", "aws_security_group_rule", sgr("ingress", cidrs=["10.0.0.0/8"], frm=22, to=22, proto="tcp"), {"id": True, "security_group_rule_id": True}),
    # ping from anywhere has no ports
    create("aws_vpc_security_group_ingress_rule.ping", "aws_vpc_security_group_ingress_rule", vpc_rule("icmp", cidr4="0.0.0.0/0", frm=8, to=0), {"arn": True, "id": True}),
    # egress is public-egress's business
    create("aws_security_group_rule.out", "aws_security_group_rule", sgr("egress", cidrs=["0.0.0.0/0"]), {"id": True}),
    # GCP: sources given by tag only
    create("google_compute_firewall.tagged", "google_compute_firewall", gfw("INGRESS", allow=[{"ports": ["22"], "protocol": "tcp"}], tags=["bastion"]), {"id": True}),
    # Azure: deny rule and a rule from the virtual network
    create("azurerm_network_security_rule.deny", "azurerm_network_security_rule", azr("Inbound", "Deny", "Tcp", src="Internet", port="22"), {"id": True}),
    create("azurerm_network_security_rule.vnet", "azurerm_network_security_rule", azr("Inbound", "Allow", "Tcp", src="VirtualNetwork", port="22"), {"id": True}),
    # a deleted rule is going away
    rc("aws_security_group_rule.old", "aws_security_group_rule", ["delete"], sgr("ingress", cidrs=["0.0.0.0/0"], frm=22, to=22, proto="tcp"), None),
]))

# ---------------- NET003 public-ip-assigned
def instance(public=None, **extra):
    d = {"ami": "ami-0c55b159cbfafe1f0", "associate_public_ip_address": public, "instance_type": "t3.micro",
         "subnet_id": "subnet-0a1b2c3d", "tags": None, "user_data": None}
    d.update(extra)
    return d
INST_UNKNOWN = {"arn": True, "id": True, "private_ip": True, "public_ip": True, "root_block_device": True, "ebs_block_device": True}
write("public-ip-assigned", "bad", plan([
    create("aws_instance.bastion", "aws_instance", instance(True), INST_UNKNOWN),
    create("aws_subnet.public", "aws_subnet", {"cidr_block": "10.0.1.0/24", "map_public_ip_on_launch": True, "vpc_id": "vpc-0a1b2c3d"}, {"id": True, "arn": True}),
    # launch templates write the flag as a string
    create("aws_launch_template.web", "aws_launch_template", {"image_id": "ami-0c55b159cbfafe1f0", "name": "web",
           "network_interfaces": [{"associate_public_ip_address": "true", "device_index": 0}]}, {"id": True, "arn": True}),
    # an access_config block gives a GCP instance an external address
    create("google_compute_instance.vm", "google_compute_instance", {"machine_type": "e2-small", "name": "vm", "zone": "europe-west1-b",
           "network_interface": [{"network": "default", "access_config": [{"network_tier": "PREMIUM", "public_ptr_domain_name": None}]}]},
           {"id": True, "network_interface": [{"access_config": [{"nat_ip": True}], "network_ip": True}]}),
    # an Azure NIC with a public ip created alongside
    create("azurerm_network_interface.nic", "azurerm_network_interface", {"location": "westeurope", "name": "nic", "resource_group_name": "rg",
           "ip_configuration": [{"name": "primary", "private_ip_address_allocation": "Dynamic", "subnet_id": "/subscriptions/x/subnets/a"}]},
           {"id": True, "ip_configuration": [{"public_ip_address_id": True, "private_ip_address": True}]}),
]))
write("public-ip-assigned", "good", plan([
    # unset: Terraform shows the computed flag as unknown; the subnet decides, and it is checked
    create("aws_instance.app", "aws_instance", instance(None), dict(INST_UNKNOWN, associate_public_ip_address=True)),
    create("aws_instance.private", "aws_instance", instance(False), INST_UNKNOWN),
    create("aws_subnet.private", "aws_subnet", {"cidr_block": "10.0.2.0/24", "map_public_ip_on_launch": False, "vpc_id": "vpc-0a1b2c3d"}, {"id": True}),
    create("google_compute_instance.internal", "google_compute_instance", {"machine_type": "e2-small", "name": "internal", "zone": "europe-west1-b",
           "network_interface": [{"network": "default", "access_config": []}]}, {"id": True}),
    create("azurerm_network_interface.private", "azurerm_network_interface", {"location": "westeurope", "name": "nic2", "resource_group_name": "rg",
           "ip_configuration": [{"name": "primary", "private_ip_address_allocation": "Dynamic", "public_ip_address_id": None, "subnet_id": "/subscriptions/x/subnets/a"}]}, {"id": True}),
    # a deleted instance is going away
    rc("aws_instance.old", "aws_instance", ["delete"], instance(True), None),
]))

# ---------------- ENC001 unencrypted-storage
def bucket(name, sse=None, force=False):
    return {"bucket": name, "force_destroy": force, "tags": None, "timeouts": None, "object_lock_enabled": None}
B_UNKNOWN = {"id": True, "arn": True, "server_side_encryption_configuration": True, "versioning": True, "bucket_domain_name": True}
def sse(bucket_name, algo="aws:kms"):
    return {"bucket": bucket_name, "expected_bucket_owner": None,
            "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": None, "sse_algorithm": algo}], "bucket_key_enabled": None}]}
def db(**kw):
    d = {"allocated_storage": 20, "engine": "postgres", "instance_class": "db.t3.micro", "username": "app",
         "storage_encrypted": False, "deletion_protection": True, "skip_final_snapshot": False, "replicate_source_db": None, "kms_key_id": None}
    d.update(kw)
    return d
DB_UNKNOWN = {"id": True, "arn": True, "address": True, "endpoint": True, "kms_key_id": True}
write("unencrypted-storage", "bad", plan([
    # no server-side encryption configuration anywhere: only the AWS default (medium)
    create("aws_s3_bucket.plain", "aws_s3_bucket", bucket("acme-plain"), B_UNKNOWN),
    # for_each: "a" has an encryption resource, "b" does not
    create('aws_s3_bucket.logs["a"]', "aws_s3_bucket", bucket("acme-logs-a"), B_UNKNOWN, index="a"),
    create('aws_s3_bucket.logs["b"]', "aws_s3_bucket", bucket("acme-logs-b"), B_UNKNOWN, index="b"),
    create('aws_s3_bucket_server_side_encryption_configuration.logs["a"]', "aws_s3_bucket_server_side_encryption_configuration", sse("acme-logs-a"), {"id": True}, index="a"),
    create("aws_db_instance.main", "aws_db_instance", db(), DB_UNKNOWN),
    # storage_encrypted unset on a cluster: computed, known only after apply (low)
    create("aws_rds_cluster.aurora", "aws_rds_cluster", {"cluster_identifier": "aurora", "engine": "aurora-postgresql", "engine_mode": "provisioned",
           "master_username": "app", "deletion_protection": True, "skip_final_snapshot": False},
           {"id": True, "arn": True, "storage_encrypted": True, "kms_key_id": True}),
    create("aws_ebs_volume.data", "aws_ebs_volume", {"availability_zone": "eu-west-1a", "encrypted": False, "size": 100, "snapshot_id": None}, {"id": True, "kms_key_id": True}),
    create("aws_instance.app", "aws_instance", {"ami": "ami-0c55b159cbfafe1f0", "instance_type": "t3.micro",
           "root_block_device": [{"delete_on_termination": True, "encrypted": False, "volume_size": 20}],
           "ebs_block_device": [{"device_name": "/dev/sdf", "encrypted": False, "snapshot_id": None, "volume_size": 50}]},
           {"id": True, "root_block_device": [{"kms_key_id": True, "volume_id": True}]}),
    create("aws_launch_template.web", "aws_launch_template", {"name": "web", "image_id": "ami-0c55b159cbfafe1f0",
           "block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"encrypted": "false", "volume_size": 20}]}]}, {"id": True}),
    create("aws_efs_file_system.shared", "aws_efs_file_system", {"creation_token": "shared", "encrypted": False}, {"id": True, "kms_key_id": True}),
    # SSE-SQS explicitly turned off and no KMS key
    create("aws_sqs_queue.jobs", "aws_sqs_queue", {"name": "jobs", "sqs_managed_sse_enabled": False, "kms_master_key_id": None}, {"id": True, "arn": True}),
    create("aws_sns_topic.alerts", "aws_sns_topic", {"name": "alerts", "kms_master_key_id": None}, {"id": True, "arn": True}),
    create("aws_elasticache_replication_group.cache", "aws_elasticache_replication_group", {"replication_group_id": "cache", "description": "cache",
           "at_rest_encryption_enabled": False, "transit_encryption_enabled": True}, {"id": True}),
    create("aws_redshift_cluster.dw", "aws_redshift_cluster", {"cluster_identifier": "dw", "node_type": "ra3.xlplus", "encrypted": False}, {"id": True}),
    create("aws_kinesis_stream.events", "aws_kinesis_stream", {"name": "events", "encryption_type": "NONE", "shard_count": 1}, {"id": True}),
    # log groups: no customer-managed key (low)
    create("aws_cloudwatch_log_group.app", "aws_cloudwatch_log_group", {"name": "/app", "kms_key_id": None, "retention_in_days": 30}, {"arn": True, "id": True}),
]))
write("unencrypted-storage", "good", plan([
    # encrypted by a separate resource, matched by bucket name; also under for_each
    create("aws_s3_bucket.data", "aws_s3_bucket", bucket("acme-data"), B_UNKNOWN),
    create("aws_s3_bucket_server_side_encryption_configuration.data", "aws_s3_bucket_server_side_encryption_configuration", sse("acme-data"), {"id": True}),
    create('aws_s3_bucket.logs["a"]', "aws_s3_bucket", bucket("acme-logs-a"), B_UNKNOWN, index="a"),
    create('aws_s3_bucket.logs["b"]', "aws_s3_bucket", bucket("acme-logs-b"), B_UNKNOWN, index="b"),
    create('aws_s3_bucket_server_side_encryption_configuration.logs["a"]', "aws_s3_bucket_server_side_encryption_configuration", sse("acme-logs-a"), {"id": True}, index="a"),
    create('aws_s3_bucket_server_side_encryption_configuration.logs["b"]', "aws_s3_bucket_server_side_encryption_configuration", sse("acme-logs-b", "AES256"), {"id": True}, index="b"),
    # an existing bucket: the provider reads back the encryption AWS applies
    rc("aws_s3_bucket.legacy", "aws_s3_bucket", ["no-op"], dict(bucket("acme-legacy"), id="acme-legacy", server_side_encryption_configuration=[{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}], "bucket_key_enabled": False}]}]),
       dict(bucket("acme-legacy"), id="acme-legacy", server_side_encryption_configuration=[{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}], "bucket_key_enabled": False}]}])),
    create("aws_db_instance.main", "aws_db_instance", db(storage_encrypted=True), DB_UNKNOWN),
    # read replicas inherit encryption from their source
    create("aws_db_instance.replica", "aws_db_instance", db(replicate_source_db="main"), DB_UNKNOWN),
    # aurora members inherit from the cluster
    create("aws_db_instance.member", "aws_db_instance", db(engine="aurora-postgresql"), DB_UNKNOWN),
    create("aws_rds_cluster.aurora", "aws_rds_cluster", {"cluster_identifier": "aurora", "engine": "aurora-postgresql", "storage_encrypted": True,
           "deletion_protection": True, "skip_final_snapshot": False}, {"id": True, "kms_key_id": True}),
    create("aws_ebs_volume.data", "aws_ebs_volume", {"availability_zone": "eu-west-1a", "encrypted": True, "size": 100}, {"id": True, "kms_key_id": True}),
    # restored from a snapshot: takes the snapshot's encryption
    create("aws_ebs_volume.restored", "aws_ebs_volume", {"availability_zone": "eu-west-1a", "encrypted": False, "size": 100, "snapshot_id": "snap-0123456789abcdef0"}, {"id": True}),
    create("aws_efs_file_system.shared", "aws_efs_file_system", {"creation_token": "shared", "encrypted": True}, {"id": True, "kms_key_id": True}),
    # SSE-SQS is on by default
    create("aws_sqs_queue.jobs", "aws_sqs_queue", {"name": "jobs", "kms_master_key_id": None}, {"id": True, "sqs_managed_sse_enabled": True}),
    # a key created in the same plan: set, only its id is unknown
    create("aws_sns_topic.alerts", "aws_sns_topic", {"name": "alerts"}, {"id": True, "kms_master_key_id": True}),
    create("aws_kinesis_stream.events", "aws_kinesis_stream", {"name": "events", "encryption_type": "KMS", "kms_key_id": "alias/aws/kinesis", "shard_count": 1}, {"id": True}),
    # DynamoDB always encrypts; a customer key is required only in strict mode
    create("aws_dynamodb_table.sessions", "aws_dynamodb_table", {"name": "sessions", "hash_key": "id", "billing_mode": "PAY_PER_REQUEST"}, {"id": True, "server_side_encryption": True}),
    # a deleted database is going away
    rc("aws_db_instance.old", "aws_db_instance", ["delete"], db(), None),
]))

# ---------------- ENC002 plaintext-transport
def listener(protocol, port, action, ssl_policy=None, cert=None):
    return {"load_balancer_arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
            "port": port, "protocol": protocol, "ssl_policy": ssl_policy, "certificate_arn": cert, "default_action": [action], "tags": None}
FORWARD = {"type": "forward", "target_group_arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/6d0ecf831eec9f09", "redirect": [], "fixed_response": []}
REDIRECT = {"type": "redirect", "target_group_arn": None, "redirect": [{"host": "#{host}", "path": "/#{path}", "port": "443", "protocol": "HTTPS", "query": "#{query}", "status_code": "HTTP_301"}], "fixed_response": []}
CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
def cf(viewer="redirect-to-https", ordered=None, origin_policy="https-only", default_cert=True, min_version="TLSv1"):
    return {"enabled": True, "default_cache_behavior": [{"allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"], "target_origin_id": "app", "viewer_protocol_policy": viewer}],
            "ordered_cache_behavior": ordered or [],
            "origin": [{"domain_name": "app.example.com", "origin_id": "app", "custom_origin_config": [{"http_port": 80, "https_port": 443, "origin_protocol_policy": origin_policy, "origin_ssl_protocols": ["TLSv1.2"]}]}],
            "restrictions": [{"geo_restriction": [{"restriction_type": "none", "locations": []}]}],
            "viewer_certificate": [{"acm_certificate_arn": None if default_cert else CERT, "cloudfront_default_certificate": default_cert, "minimum_protocol_version": min_version, "ssl_support_method": None if default_cert else "sni-only"}]}
def search(enforce=True, tls="Policy-Min-TLS-1-2-2019-07", n2n=True):
    return {"domain_name": "search", "domain_endpoint_options": [{"enforce_https": enforce, "tls_security_policy": tls, "custom_endpoint_enabled": False}],
            "node_to_node_encryption": [{"enabled": n2n}], "encrypt_at_rest": [{"enabled": True}]}
write("plaintext-transport", "bad", plan([
    # plain HTTP forwarded to the targets
    create("aws_lb_listener.http", "aws_lb_listener", listener("HTTP", 80, FORWARD), {"id": True, "arn": True}),
    # HTTPS with a policy that allows TLS 1.0
    create("aws_lb_listener.https", "aws_lb_listener", listener("HTTPS", 443, FORWARD, "ELBSecurityPolicy-2016-08", CERT), {"id": True, "arn": True}),
    create("aws_alb_listener.legacy", "aws_alb_listener", listener("HTTPS", 8443, FORWARD, "ELBSecurityPolicy-TLS-1-1-2017-01", CERT), {"id": True, "arn": True}),
    # viewers may use HTTP; an old protocol with a custom certificate; HTTP to the origin
    create("aws_cloudfront_distribution.site", "aws_cloudfront_distribution",
           cf(viewer="allow-all", ordered=[{"path_pattern": "/api/*", "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"], "target_origin_id": "app", "viewer_protocol_policy": "allow-all"}],
              origin_policy="http-only", default_cert=False, min_version="TLSv1_2016"), {"id": True, "arn": True, "domain_name": True}),
    create("aws_elasticache_replication_group.cache", "aws_elasticache_replication_group", {"replication_group_id": "cache", "description": "cache",
           "at_rest_encryption_enabled": True, "transit_encryption_enabled": False}, {"id": True}),
    create("aws_opensearch_domain.search", "aws_opensearch_domain", search(enforce=False, tls="Policy-Min-TLS-1-0-2019-07", n2n=False), {"id": True, "arn": True}),
    create("aws_msk_cluster.events", "aws_msk_cluster", {"cluster_name": "events", "kafka_version": "3.6.0", "number_of_broker_nodes": 3,
           "encryption_info": [{"encryption_at_rest_kms_key_arn": None, "encryption_in_transit": [{"client_broker": "TLS_PLAINTEXT", "in_cluster": False}]}]}, {"id": True, "arn": True}),
]))
write("plaintext-transport", "good", plan([
    # HTTP that only redirects to HTTPS
    create("aws_lb_listener.http", "aws_lb_listener", listener("HTTP", 80, REDIRECT), {"id": True, "arn": True}),
    create("aws_lb_listener.https", "aws_lb_listener", listener("HTTPS", 443, FORWARD, "ELBSecurityPolicy-TLS13-1-2-2021-06", CERT), {"id": True, "arn": True}),
    # a network load balancer on TCP is not HTTP
    create("aws_lb_listener.tcp", "aws_lb_listener", listener("TCP", 5432, FORWARD), {"id": True, "arn": True}),
    # the default certificate ignores minimum_protocol_version
    create("aws_cloudfront_distribution.site", "aws_cloudfront_distribution", cf(), {"id": True, "arn": True}),
    create("aws_cloudfront_distribution.custom", "aws_cloudfront_distribution", cf(viewer="https-only", default_cert=False, min_version="TLSv1.2_2021"), {"id": True, "arn": True}),
    create("aws_elasticache_replication_group.cache", "aws_elasticache_replication_group", {"replication_group_id": "cache", "description": "cache",
           "at_rest_encryption_enabled": True, "transit_encryption_enabled": True}, {"id": True}),
    create("aws_opensearch_domain.search", "aws_opensearch_domain", search(), {"id": True, "arn": True}),
    create("aws_msk_cluster.events", "aws_msk_cluster", {"cluster_name": "events", "kafka_version": "3.6.0", "number_of_broker_nodes": 3,
           "encryption_info": [{"encryption_at_rest_kms_key_arn": None, "encryption_in_transit": [{"client_broker": "TLS", "in_cluster": True}]}]}, {"id": True, "arn": True}),
    # a deleted listener is going away
    rc("aws_lb_listener.old", "aws_lb_listener", ["delete"], listener("HTTP", 8080, FORWARD), None),
]))

# ---------------- ENC003 kms-rotation-disabled
def kms(rotation=False, spec="SYMMETRIC_DEFAULT", usage="ENCRYPT_DECRYPT"):
    return {"customer_master_key_spec": spec, "deletion_window_in_days": 30, "description": "key", "enable_key_rotation": rotation,
            "is_enabled": True, "key_usage": usage, "multi_region": False, "custom_key_store_id": None}
write("kms-rotation-disabled", "bad", plan([
    create("aws_kms_key.data", "aws_kms_key", kms(False), {"arn": True, "id": True, "key_id": True, "policy": True}),
    # rotation turned off on an existing key
    rc("aws_kms_key.logs", "aws_kms_key", ["update"], dict(kms(True), arn="arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
       dict(kms(False), arn="arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")),
    create("google_kms_crypto_key.data", "google_kms_crypto_key", {"key_ring": "projects/p/locations/europe/keyRings/main", "name": "data",
           "purpose": "ENCRYPT_DECRYPT", "rotation_period": None, "labels": None}, {"id": True}),
]))
write("kms-rotation-disabled", "good", plan([
    create("aws_kms_key.data", "aws_kms_key", kms(True), {"arn": True, "id": True}),
    # asymmetric and HMAC keys cannot rotate automatically
    create("aws_kms_key.signing", "aws_kms_key", kms(False, "RSA_2048", "SIGN_VERIFY"), {"arn": True, "id": True}),
    create("aws_kms_key.hmac", "aws_kms_key", kms(False, "HMAC_256", "GENERATE_VERIFY_MAC"), {"arn": True, "id": True}),
    create("google_kms_crypto_key.data", "google_kms_crypto_key", {"key_ring": "projects/p/locations/europe/keyRings/main", "name": "data",
           "purpose": "ENCRYPT_DECRYPT", "rotation_period": "7776000s"}, {"id": True}),
    create("google_kms_crypto_key.sign", "google_kms_crypto_key", {"key_ring": "projects/p/locations/europe/keyRings/main", "name": "sign",
           "purpose": "ASYMMETRIC_SIGN", "rotation_period": None}, {"id": True}),
    # a key scheduled for deletion is DEL001's business
    rc("aws_kms_key.old", "aws_kms_key", ["delete"], kms(False), None),
]))

# ---------------- DEL002 deletion-protection-disabled
write("deletion-protection-disabled", "bad", plan([
    # both flags unsafe: two findings
    create("aws_db_instance.main", "aws_db_instance", db(storage_encrypted=True, deletion_protection=False, skip_final_snapshot=True), DB_UNKNOWN),
    # an update that turns protection off: high
    rc("aws_rds_cluster.aurora", "aws_rds_cluster", ["update"],
       {"cluster_identifier": "aurora", "engine": "aurora-postgresql", "storage_encrypted": True, "deletion_protection": True, "skip_final_snapshot": False},
       {"cluster_identifier": "aurora", "engine": "aurora-postgresql", "storage_encrypted": True, "deletion_protection": False, "skip_final_snapshot": False}),
    create("aws_dynamodb_table.orders", "aws_dynamodb_table", {"name": "orders", "hash_key": "id", "billing_mode": "PAY_PER_REQUEST", "deletion_protection_enabled": False}, {"id": True}),
    # load balancers: low
    create("aws_lb.web", "aws_lb", {"name": "web", "load_balancer_type": "application", "enable_deletion_protection": False, "internal": False}, {"id": True, "arn": True}),
    create("google_sql_database_instance.main", "google_sql_database_instance", {"name": "main", "database_version": "POSTGRES_15", "deletion_protection": False, "region": "europe-west1"}, {"id": True}),
    rc("google_container_cluster.gke", "google_container_cluster", ["update"],
       {"name": "gke", "location": "europe-west1", "deletion_protection": True}, {"name": "gke", "location": "europe-west1", "deletion_protection": False}),
    create("google_bigquery_table.events", "google_bigquery_table", {"dataset_id": "analytics", "table_id": "events", "deletion_protection": False}, {"id": True}),
    create("aws_s3_bucket.scratch", "aws_s3_bucket", bucket("acme-scratch", force=True), B_UNKNOWN),
    create("google_storage_bucket.scratch", "google_storage_bucket", {"name": "acme-scratch", "location": "EU", "force_destroy": True}, {"id": True}),
]))
write("deletion-protection-disabled", "good", plan([
    create("aws_db_instance.main", "aws_db_instance", db(storage_encrypted=True), DB_UNKNOWN),
    create("aws_dynamodb_table.orders", "aws_dynamodb_table", {"name": "orders", "hash_key": "id", "deletion_protection_enabled": True}, {"id": True}),
    create("aws_lb.web", "aws_lb", {"name": "web", "load_balancer_type": "application", "enable_deletion_protection": True}, {"id": True}),
    # google defaults deletion_protection to true
    create("google_sql_database_instance.main", "google_sql_database_instance", {"name": "main", "database_version": "POSTGRES_15", "deletion_protection": True}, {"id": True}),
    create("google_bigquery_table.events", "google_bigquery_table", {"dataset_id": "analytics", "table_id": "events"}, {"id": True, "deletion_protection": True}),
    create("aws_s3_bucket.data", "aws_s3_bucket", bucket("acme-data"), B_UNKNOWN),
    # deleting an unprotected database is DEL001's and DEL003's business
    rc("aws_db_instance.old", "aws_db_instance", ["delete"], db(deletion_protection=False, skip_final_snapshot=True), None),
    # turning protection on is an improvement
    rc("aws_rds_cluster.aurora", "aws_rds_cluster", ["update"],
       {"cluster_identifier": "aurora", "deletion_protection": False, "skip_final_snapshot": False},
       {"cluster_identifier": "aurora", "deletion_protection": True, "skip_final_snapshot": False}),
]))

# ---------------- DEL004 privileged-resource-unprotected: source only; a plan carries no lifecycle
write("privileged-resource-unprotected", "good", plan([
    create("google_service_account.api", "google_service_account", {"account_id": "api", "display_name": "api"}, {"id": True, "email": True, "unique_id": True}),
    create("aws_iam_role.ci", "aws_iam_role", {"name": "ci", "assume_role_policy": "{}"}, {"id": True, "arn": True, "unique_id": True}),
]))

# ---------------- SEC001 hardcoded-secret
write("hardcoded-secret", "bad", plan([
    # an access key in a Lambda environment: not sensitive to the provider, readable in the console
    create("aws_lambda_function.sync", "aws_lambda_function", {"function_name": "sync", "handler": "index.handler", "runtime": "nodejs20.x",
           "role": "arn:aws:iam::123456789012:role/sync",
           "environment": [{"variables": {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "STAGE": "prod"}}]},
           {"arn": True, "id": True}, after_sensitive={"environment": [{"variables": {}}]}),
    # a GitHub token in user data
    create("aws_instance.runner", "aws_instance", {"ami": "ami-0c55b159cbfafe1f0", "instance_type": "t3.micro",
           "user_data": "#!/bin/sh\nexport GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n./run.sh\n"}, {"id": True}),
]))
write("hardcoded-secret", "good", plan([
    # the provider marks password sensitive: in a plan, an injected and a written password look the same
    create("aws_db_instance.main", "aws_db_instance", dict(db(storage_encrypted=True), password="Xk3#vP9!qL2@wZ7m"), DB_UNKNOWN,
           after_sensitive={"password": True}),
    # generated secrets are known only after apply
    create("random_password.db", "random_password", {"length": 24, "special": True}, {"result": True, "bcrypt_hash": True, "id": True},
           after_sensitive={"result": True, "bcrypt_hash": True}),
    # an existing private key, marked sensitive
    rc("tls_private_key.deploy", "tls_private_key", ["no-op"],
       {"algorithm": "ED25519", "private_key_pem": "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBj3Jz3kq5rrmV7cFQ0nY6x6yxvdaaDq7pY8m0GQ5Wc4\n-----END PRIVATE KEY-----\n", "public_key_openssh": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxJ"},
       {"algorithm": "ED25519", "private_key_pem": "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBj3Jz3kq5rrmV7cFQ0nY6x6yxvdaaDq7pY8m0GQ5Wc4\n-----END PRIVATE KEY-----\n", "public_key_openssh": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxJ"},
       before_sensitive={"private_key_pem": True}, after_sensitive={"private_key_pem": True}),
    # ARNs and ids are not secrets
    create("aws_lambda_function.api", "aws_lambda_function", {"function_name": "api", "handler": "index.handler", "runtime": "nodejs20.x",
           "role": "arn:aws:iam::123456789012:role/api",
           "environment": [{"variables": {"DB_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf", "STAGE": "prod"}}]},
           {"arn": True, "id": True}),
]))

# ---------------- SEC002 sensitive-output-exposed
def out(value, sensitive=False, action="create"):
    return {"actions": [action], "before": None, "after": value, "after_unknown": False, "before_sensitive": False, "after_sensitive": sensitive}
write("sensitive-output-exposed", "bad", plan([],
    outputs={
        # an access key id in an output
        "ci_access_key_id": out("AKIAIOSFODNN7EXAMPLE"),
    },
    config_outputs={"ci_access_key_id": {"expression": {"references": ["aws_iam_access_key.ci.id", "aws_iam_access_key.ci"]}}}))
write("sensitive-output-exposed", "good", plan([],
    outputs={
        # declared sensitive
        "db_password": out("q8Lr2vNz5TxW1kPs", sensitive=True),
        # named like a secret, but a random_string is not sensitive to Terraform: names decide nothing
        "api_token": out("q8Lr2vNz5TxW1kPs"),
        "bucket_name": out("acme-data"),
        # a secret's ARN is not the secret
        "db_secret_arn": out("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"),
        # known only after apply, and not secret by name
        "endpoint": {"actions": ["create"], "before": None, "after": None, "after_unknown": True, "before_sensitive": False, "after_sensitive": False},
    },
    config_outputs={"db_password": {"sensitive": True, "expression": {"references": ["random_password.db.result"]}},
                    "api_token": {"expression": {"references": ["random_string.api.result", "random_string.api"]}},
                    "bucket_name": {"expression": {"references": ["aws_s3_bucket.data.bucket"]}},
                    "db_secret_arn": {"expression": {"references": ["aws_secretsmanager_secret.db.arn"]}},
                    "endpoint": {"expression": {"references": ["aws_db_instance.main.endpoint"]}}}))

# ======== catalogue part A (IAM001, IAM002, STO001, NET005, CMP001, SUP001) ========
def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})

# ---------------- IAM001 iam-admin-wildcard
write("iam-admin-wildcard", "bad", plan([
    # `*` on `*` in a role policy
    create("aws_iam_role_policy.deploy", "aws_iam_role_policy",
           {"name": "deploy", "name_prefix": None, "role": "deploy",
            "policy": doc({"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::site/*"},
                          {"Effect": "Allow", "Action": "*", "Resource": "*"})}, {"id": True}),
    # iam:* on every resource, in a managed policy updated in place
    rc("aws_iam_policy.iam_admin", "aws_iam_policy", ["update"],
       {"name": "iam-admin", "path": "/", "policy": doc({"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"})},
       {"name": "iam-admin", "path": "/", "policy": doc({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})}),
    # AdministratorAccess on a role, through an inline policy block and managed_policy_arns
    create("aws_iam_role.ops", "aws_iam_role",
           {"name": "ops", "assume_role_policy": doc({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}),
            "inline_policy": [{"name": "all", "policy": doc({"Action": "*:*", "Resource": "*"})}],
            "managed_policy_arns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}, {"arn": True, "id": True, "unique_id": True}),
    create("aws_iam_group_policy_attachment.admins", "aws_iam_group_policy_attachment",
           {"group": "admins", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}, {"id": True}),
    # a policy document known only after apply: low
    create("aws_iam_policy.generated", "aws_iam_policy", {"name": "generated", "path": "/"},
           {"arn": True, "id": True, "policy": True, "policy_id": True}),
    # GCP basic role, Azure Owner on a subscription
    create("google_project_iam_member.ci", "google_project_iam_member",
           {"project": "acme-prod", "role": "roles/editor", "member": "serviceAccount:ci@acme-prod.iam.gserviceaccount.com", "condition": []},
           {"etag": True, "id": True}),
    create("azurerm_role_assignment.owner", "azurerm_role_assignment",
           {"scope": "/subscriptions/00000000-0000-0000-0000-000000000000", "role_definition_name": "Owner",
            "principal_id": "11111111-1111-1111-1111-111111111111"}, {"id": True, "role_definition_id": True}),
]))
write("iam-admin-wildcard", "good", plan([
    create("aws_iam_role_policy.s3", "aws_iam_role_policy",
           {"name": "s3", "role": "app",
            "policy": doc({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::app/*"},
                          {"Effect": "Deny", "Action": "*", "Resource": "*"})}, {"id": True}),
    # PowerUserAccess's shape
    create("aws_iam_policy.power", "aws_iam_policy",
           {"name": "power", "path": "/", "policy": doc({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"})},
           {"arn": True, "id": True}),
    create("aws_iam_role_policy_attachment.read", "aws_iam_role_policy_attachment",
           {"role": "auditor", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, {"id": True}),
    # an admin policy being deleted is going away
    rc("aws_iam_policy.old_admin", "aws_iam_policy", ["delete"],
       {"name": "old", "path": "/", "policy": doc({"Effect": "Allow", "Action": "*", "Resource": "*"})}, None),
    create("azurerm_role_assignment.rg", "azurerm_role_assignment",
           {"scope": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app", "role_definition_name": "Contributor",
            "principal_id": "11111111-1111-1111-1111-111111111111"}, {"id": True}),
]))

# ---------------- IAM002 public-principal
write("public-principal", "bad", plan([
    create("aws_s3_bucket_policy.site", "aws_s3_bucket_policy",
           {"bucket": "acme-site", "policy": doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                   "Resource": "arn:aws:s3:::acme-site/*"})}, {"id": True}),
    create("aws_iam_role.open", "aws_iam_role",
           {"name": "open", "assume_role_policy": doc({"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]},
                                                        "Action": "sts:AssumeRole"})}, {"arn": True, "id": True}),
    create("aws_kms_key.shared", "aws_kms_key",
           {"description": "shared", "policy": doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*",
                                                     "Condition": {"Bool": {"aws:SecureTransport": "true"}}})}, {"arn": True, "id": True, "key_id": True}),
    create("aws_lambda_permission.any", "aws_lambda_permission",
           {"action": "lambda:InvokeFunction", "function_name": "worker", "principal": "*", "statement_id": "any",
            "source_arn": None, "source_account": None, "principal_org_id": None}, {"id": True}),
    # known only after apply: low
    create("aws_sqs_queue_policy.generated", "aws_sqs_queue_policy", {"queue_url": "https://sqs.eu-west-1.amazonaws.com/111122223333/q"},
           {"id": True, "policy": True}),
    create("google_storage_bucket_iam_member.public", "google_storage_bucket_iam_member",
           {"bucket": "acme-public", "role": "roles/storage.objectViewer", "member": "allUsers", "condition": []}, {"etag": True, "id": True}),
    create("google_project_iam_policy.literal", "google_project_iam_policy",
           {"project": "acme-prod", "policy_data": json.dumps({"bindings": [{"role": "roles/viewer", "members": ["allAuthenticatedUsers"]}]})},
           {"etag": True, "id": True}),
]))
write("public-principal", "good", plan([
    create("aws_s3_bucket_policy.org", "aws_s3_bucket_policy",
           {"bucket": "acme-shared", "policy": doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-shared/*",
                                                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}},
                                                    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::acme-shared/*",
                                                     "Condition": {"Bool": {"aws:SecureTransport": "false"}}})}, {"id": True}),
    create("aws_iam_role.ci", "aws_iam_role",
           {"name": "ci", "assume_role_policy": doc({"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                                                      "Action": "sts:AssumeRoleWithWebIdentity"})}, {"arn": True, "id": True}),
    create("aws_lambda_permission.s3", "aws_lambda_permission",
           {"action": "lambda:InvokeFunction", "function_name": "worker", "principal": "s3.amazonaws.com", "statement_id": "s3",
            "source_arn": "arn:aws:s3:::acme-uploads", "source_account": None, "principal_org_id": None}, {"id": True}),
    # a public bucket policy being deleted
    rc("aws_s3_bucket_policy.old", "aws_s3_bucket_policy", ["delete"],
       {"bucket": "old", "policy": doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::old/*"})}, None),
    create("google_storage_bucket_iam_member.reader", "google_storage_bucket_iam_member",
           {"bucket": "acme-private", "role": "roles/storage.objectViewer", "member": "group:readers@acme.example", "condition": []}, {"etag": True, "id": True}),
]))

# ---------------- STO001 public-storage
def s3b(name, acl=None):
    return {"bucket": name, "bucket_prefix": None, "force_destroy": False, "tags": None, "acl": acl}
S3B_UNKNOWN = {"acl": True, "arn": True, "id": True, "policy": True, "grant": True, "bucket_domain_name": True}
def pab(bucket=None, acls=True, policy=True, ignore=True, restrict=True):
    return {"bucket": bucket, "block_public_acls": acls, "block_public_policy": policy,
            "ignore_public_acls": ignore, "restrict_public_buckets": restrict}
write("public-storage", "bad", plan([
    # no block at all (medium); the acl is computed and unknown when unset, which is not a finding
    create("aws_s3_bucket.reports", "aws_s3_bucket", s3b("acme-reports"), S3B_UNKNOWN),
    # a public ACL resource (high)
    create("aws_s3_bucket_acl.reports", "aws_s3_bucket_acl", {"bucket": "acme-reports", "acl": "public-read",
           "expected_bucket_owner": None}, {"id": True, "access_control_policy": True}),
    # the block's bucket is known only after apply; it pairs by name and leaves ignore_public_acls off
    create("aws_s3_bucket.logs", "aws_s3_bucket", s3b("acme-logs"), S3B_UNKNOWN),
    create("aws_s3_bucket_public_access_block.logs", "aws_s3_bucket_public_access_block", pab(ignore=False),
           {"bucket": True, "id": True}),
    # the plan deletes the only block of this bucket: it no longer counts
    rc("aws_s3_bucket.old", "aws_s3_bucket", ["no-op"], s3b("acme-old"), s3b("acme-old")),
    rc("aws_s3_bucket_public_access_block.old", "aws_s3_bucket_public_access_block", ["delete"], pab("acme-old"), None),
    create("google_storage_bucket.assets", "google_storage_bucket",
           {"name": "acme-assets", "location": "EU", "uniform_bucket_level_access": False, "force_destroy": False},
           {"public_access_prevention": True, "id": True, "self_link": True, "url": True}),
    create("azurerm_storage_container.public", "azurerm_storage_container",
           {"name": "public", "storage_account_name": "acmeweb", "container_access_type": "blob", "metadata": None},
           {"id": True, "resource_manager_id": True}),
    create("azurerm_storage_account.web", "azurerm_storage_account",
           {"name": "acmeweb", "resource_group_name": "web", "location": "westeurope", "account_tier": "Standard",
            "account_replication_type": "LRS", "allow_nested_items_to_be_public": True}, {"id": True}),
]))
write("public-storage", "good", plan([
    # an account-level block with all four settings covers every bucket
    create("aws_s3_account_public_access_block.this", "aws_s3_account_public_access_block", pab(), {"account_id": True, "id": True}),
    create("aws_s3_bucket.data", "aws_s3_bucket", s3b("acme-data"), S3B_UNKNOWN),
    create("aws_s3_bucket_acl.data", "aws_s3_bucket_acl", {"bucket": "acme-data", "acl": "private", "expected_bucket_owner": None},
           {"id": True, "access_control_policy": True}),
    # public access prevention inherited but uniform access on
    create("google_storage_bucket.uniform", "google_storage_bucket",
           {"name": "acme-uniform", "location": "EU", "uniform_bucket_level_access": True, "force_destroy": False},
           {"public_access_prevention": True, "id": True}),
    create("azurerm_storage_account.data", "azurerm_storage_account",
           {"name": "acmedata", "resource_group_name": "data", "location": "westeurope", "account_tier": "Standard",
            "account_replication_type": "LRS", "allow_nested_items_to_be_public": False}, {"id": True}),
    create("azurerm_storage_container.private", "azurerm_storage_container",
           {"name": "private", "storage_account_name": "acmedata", "container_access_type": "private", "metadata": None},
           {"id": True}),
]))

# ---------------- NET005 public-service-endpoint
def eks(public=True, cidrs=None):
    return {"name": "main", "role_arn": "arn:aws:iam::111122223333:role/eks",
            "vpc_config": [{"subnet_ids": ["subnet-0a", "subnet-0b"], "endpoint_private_access": False,
                            "endpoint_public_access": public, "public_access_cidrs": cidrs, "security_group_ids": []}]}
write("public-service-endpoint", "bad", plan([
    create("aws_redshift_cluster.dw", "aws_redshift_cluster",
           {"cluster_identifier": "dw", "node_type": "ra3.xlplus", "publicly_accessible": True}, {"id": True, "endpoint": True}),
    create("aws_eks_cluster.main", "aws_eks_cluster", eks(cidrs=["0.0.0.0/0"]), {"arn": True, "endpoint": True, "id": True}),
    create("aws_lambda_function_url.hook", "aws_lambda_function_url",
           {"function_name": "hook", "authorization_type": "NONE", "cors": [], "qualifier": None}, {"function_url": True, "id": True}),
    create("google_sql_database_instance.main", "google_sql_database_instance",
           {"name": "main", "database_version": "POSTGRES_15",
            "settings": [{"tier": "db-f1-micro", "ip_configuration": [{"ipv4_enabled": True,
                          "authorized_networks": [{"name": "all", "value": "0.0.0.0/0", "expiration_time": None}]}]}]},
           {"id": True, "self_link": True}),
    create("azurerm_cosmosdb_account.main", "azurerm_cosmosdb_account",
           {"name": "acme-cosmos", "public_network_access_enabled": True, "ip_range_filter": None,
            "is_virtual_network_filter_enabled": False}, {"id": True, "endpoint": True}),
    # a deciding value known only after apply: low
    create("aws_db_instance.computed", "aws_db_instance", {"engine": "postgres", "instance_class": "db.t3.micro"},
           {"publicly_accessible": True, "id": True, "endpoint": True}),
]))
write("public-service-endpoint", "good", plan([
    create("aws_db_instance.private", "aws_db_instance",
           {"engine": "postgres", "instance_class": "db.t3.micro", "publicly_accessible": False}, {"id": True, "endpoint": True}),
    create("aws_eks_cluster.private", "aws_eks_cluster", eks(public=False, cidrs=["0.0.0.0/0"]), {"arn": True, "id": True}),
    create("aws_eks_cluster.limited", "aws_eks_cluster", eks(cidrs=["203.0.113.0/24"]), {"arn": True, "id": True}),
    create("aws_lambda_function_url.iam", "aws_lambda_function_url",
           {"function_name": "hook", "authorization_type": "AWS_IAM", "cors": [], "qualifier": None}, {"function_url": True, "id": True}),
    create("azurerm_mssql_server.private", "azurerm_mssql_server",
           {"name": "acme-sql", "public_network_access_enabled": False, "version": "12.0"}, {"id": True}),
    # a public database being deleted
    rc("aws_db_instance.old", "aws_db_instance", ["delete"], {"engine": "postgres", "publicly_accessible": True}, None),
]))

# ---------------- CMP001 instance-metadata-v1
def imds(tokens="required", endpoint="enabled"):
    return [{"http_endpoint": endpoint, "http_protocol_ipv6": "disabled", "http_put_response_hop_limit": 1,
             "http_tokens": tokens, "instance_metadata_tags": "disabled"}]
write("instance-metadata-v1", "bad", plan([
    create("aws_instance.web", "aws_instance", {"ami": "ami-0123456789abcdef0", "instance_type": "t3.micro", "metadata_options": imds("optional")},
           {"arn": True, "id": True, "public_ip": True}),
    create("aws_launch_template.workers", "aws_launch_template", {"name_prefix": "workers-", "metadata_options": imds("optional")},
           {"arn": True, "id": True, "latest_version": True}),
    # not set: the provider computes it, so the plan does not know it yet (low)
    create("aws_instance.unset", "aws_instance", {"ami": "ami-0123456789abcdef0", "instance_type": "t3.micro"},
           {"arn": True, "id": True, "metadata_options": True}),
]))
write("instance-metadata-v1", "good", plan([
    create("aws_instance.web", "aws_instance", {"ami": "ami-0123456789abcdef0", "instance_type": "t3.micro", "metadata_options": imds()},
           {"arn": True, "id": True}),
    create("aws_launch_template.off", "aws_launch_template", {"name_prefix": "off-", "metadata_options": imds("optional", "disabled")},
           {"arn": True, "id": True}),
    # an instance being deleted
    rc("aws_instance.old", "aws_instance", ["delete"], {"ami": "ami-0123456789abcdef0", "metadata_options": imds("optional")}, None),
]))

# ======== SUP001 unpinned-source (sup) ========
# Module calls live in `configuration.root_module.module_calls` (nested calls under `module`);
# Terraform writes `source` as configured and `version_constraint` when the call sets `version`.
def with_calls(p, calls):
    p["configuration"]["root_module"]["module_calls"] = calls
    return p
def call(source, version=None, module=None):
    c = {"source": source, "expressions": {}}
    if version is not None:
        c["version_constraint"] = version
    if module is not None:
        c["module"] = module
    return c
SHA = "3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"
write("unpinned-source", "bad", with_calls(plan([]), {
    # a branch (medium)
    "vpc": call("git::https://github.com/acme/terraform-vpc.git?ref=main"),
    # a tag (low); credentials never shown
    "dns": call("git::https://deploy:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/terraform-dns.git?ref=v1.4.2"),
    # registry without a version (medium), with a nested registry range inside (low)
    "eks": call("terraform-aws-modules/eks/aws", module={"module_calls": {
        "kms": call("terraform-aws-modules/kms/aws", "~> 2.0"),
    }}),
    # an archive without a checksum (medium)
    "archive": call("s3::https://s3-eu-west-1.amazonaws.com/acme-modules/vpc.zip"),
}))
write("unpinned-source", "good", with_calls(plan([]), {
    "vpc": call("git::https://github.com/acme/terraform-vpc.git?ref=" + SHA),
    "eks": call("terraform-aws-modules/eks/aws", "20.8.4", module={"module_calls": {
        "kms": call("terraform-aws-modules/kms/aws", "2.1.0"),
        # a local path inside a module is never a finding
        "node_group": call("./modules/eks-managed-node-group"),
    }}),
    "local": call("./modules/local"),
}))
# ======== end of SUP001 (sup) ========

# ======== catalogue part B (catb): NET004, LOG001-003, AVL001-002, ENC004 ========
def noop(address, rtype, values, **kw):
    return rc(address, rtype, ["no-op"], values, values, **kw)

def plan_with_config(changes, config_resources):
    """A plan whose `configuration` lists the resources' argument references, as Terraform does."""
    p = plan(changes)
    blocks = {c["address"].split("[")[0]: {} for c in changes}
    blocks.update(config_resources)
    p["configuration"]["root_module"]["resources"] = [
        {"address": address, "mode": "managed", "type": address.split(".")[0], "name": address.split(".")[1],
         "expressions": {attr: {"references": refs} for attr, refs in exprs.items()}}
        for address, exprs in blocks.items()]
    return p

ACL = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/main/abcd"
LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"

# ---------------- NET004 waf-missing
write("waf-missing", "bad", plan_with_config([
    # a new application load balancer: `internal` unset (computed), nothing associates a WAF
    create("aws_lb.public", "aws_lb", {"name": "web", "load_balancer_type": "application"},
           {"arn": True, "id": True, "internal": True}),
    # an existing load balancer whose association points at another load balancer's ARN
    noop("aws_lb.existing", "aws_lb", {"name": "web", "load_balancer_type": "application", "internal": False, "arn": LB_ARN, "id": LB_ARN}),
    noop("aws_wafv2_web_acl_association.other", "aws_wafv2_web_acl_association",
         {"resource_arn": LB_ARN.replace("web/", "other/"), "web_acl_arn": ACL}),
    # a distribution without web_acl_id
    create("aws_cloudfront_distribution.site", "aws_cloudfront_distribution", {"enabled": True, "web_acl_id": None}, {"arn": True}),
    # an external backend service without Cloud Armor
    create("google_compute_backend_service.web", "google_compute_backend_service",
           {"name": "web", "load_balancing_scheme": "EXTERNAL_MANAGED", "security_policy": None}, {"id": True}),
    # a public Standard_v2 application gateway
    create("azurerm_application_gateway.web", "azurerm_application_gateway",
           {"name": "web", "firewall_policy_id": None, "sku": [{"name": "Standard_v2", "tier": "Standard_v2"}],
            "frontend_ip_configuration": [{"name": "public", "public_ip_address_id": "/subscriptions/0000/publicIPAddresses/web"}],
            "waf_configuration": []}, {"id": True}),
], {}))
write("waf-missing", "good", plan_with_config([
    # a new load balancer and a new association that refers to it (known only after apply)
    create("aws_lb.new", "aws_lb", {"name": "new", "load_balancer_type": "application"},
           {"arn": True, "id": True, "internal": True}),
    create("aws_wafv2_web_acl_association.new", "aws_wafv2_web_acl_association", {"web_acl_arn": ACL}, {"resource_arn": True, "id": True}),
    # for_each over the same keys: Terraform lists the reference without its key
    create('aws_lb.team["api"]', "aws_lb", {"name": "api", "load_balancer_type": "application", "internal": False},
           {"arn": True, "id": True}, index="api"),
    create('aws_wafv2_web_acl_association.team["api"]', "aws_wafv2_web_acl_association", {"web_acl_arn": ACL},
           {"resource_arn": True, "id": True}, index="api"),
    # an existing load balancer associated by its known ARN
    noop("aws_lb.existing", "aws_lb", {"name": "web", "load_balancer_type": "application", "internal": False, "arn": LB_ARN, "id": LB_ARN}),
    noop("aws_wafv2_web_acl_association.existing", "aws_wafv2_web_acl_association", {"resource_arn": LB_ARN, "web_acl_arn": ACL}),
    # internal and network load balancers
    create("aws_lb.internal", "aws_lb", {"name": "int", "load_balancer_type": "application", "internal": True}, {"arn": True}),
    create("aws_lb.nlb", "aws_lb", {"name": "nlb", "load_balancer_type": "network"}, {"arn": True, "internal": True}),
    # web_acl_id of a WAF created in the same plan
    create("aws_cloudfront_distribution.site", "aws_cloudfront_distribution", {"enabled": True}, {"arn": True, "web_acl_id": True}),
    create("google_compute_backend_service.internal", "google_compute_backend_service",
           {"name": "internal", "load_balancing_scheme": "INTERNAL_MANAGED", "security_policy": None}, {"id": True}),
    create("google_compute_backend_service.web", "google_compute_backend_service",
           {"name": "web", "load_balancing_scheme": "EXTERNAL", "security_policy": "projects/p/global/securityPolicies/armor"}, {"id": True}),
    create("azurerm_application_gateway.web", "azurerm_application_gateway",
           {"name": "web", "firewall_policy_id": "/subscriptions/0000/fp", "sku": [{"name": "WAF_v2", "tier": "WAF_v2"}],
            "frontend_ip_configuration": [{"name": "public", "public_ip_address_id": "/subscriptions/0000/publicIPAddresses/web"}]}, {"id": True}),
], {
    "aws_wafv2_web_acl_association.new": {"resource_arn": ["aws_lb.new.arn", "aws_lb.new"]},
    "aws_wafv2_web_acl_association.team": {"resource_arn": ["aws_lb.team", "each.key"]},
    "aws_lb.team": {"name": ["each.key"]},
}))
# ---------------- LOG002 flow-logs-missing
VPC_ID = "vpc-0a1b2c3d4e5f67890"
write("flow-logs-missing", "bad", plan_with_config([
    # a new VPC, no flow log
    create("aws_vpc.main", "aws_vpc", {"cidr_block": "10.0.0.0/16"}, {"id": True, "arn": True}),
    # an existing VPC; the existing flow log records another VPC
    noop("aws_vpc.existing", "aws_vpc", {"cidr_block": "10.1.0.0/16", "id": VPC_ID}),
    noop("aws_flow_log.other", "aws_flow_log", {"vpc_id": "vpc-0fffffffffffffff0", "traffic_type": "ALL"}),
    # the flow log of this VPC is being deleted
    noop("aws_vpc.losing", "aws_vpc", {"cidr_block": "10.2.0.0/16", "id": "vpc-0123456789abcdef0"}),
    rc("aws_flow_log.losing", "aws_flow_log", ["delete"], {"vpc_id": "vpc-0123456789abcdef0", "traffic_type": "ALL"}, None),
    create("google_compute_subnetwork.app", "google_compute_subnetwork",
           {"name": "app", "ip_cidr_range": "10.10.0.0/24", "purpose": "PRIVATE", "log_config": []}, {"id": True}),
    create("azurerm_network_security_group.web", "azurerm_network_security_group", {"name": "web"}, {"id": True}),
], {}))
write("flow-logs-missing", "good", plan_with_config([
    # a new VPC and a new flow log that refers to it
    create("aws_vpc.main", "aws_vpc", {"cidr_block": "10.0.0.0/16"}, {"id": True, "arn": True}),
    create("aws_flow_log.main", "aws_flow_log", {"traffic_type": "ALL"}, {"vpc_id": True, "id": True}),
    # an existing VPC with its existing flow log, matched by id
    noop("aws_vpc.existing", "aws_vpc", {"cidr_block": "10.1.0.0/16", "id": VPC_ID}),
    noop("aws_flow_log.existing", "aws_flow_log", {"vpc_id": VPC_ID, "traffic_type": "ALL"}),
    create("google_compute_subnetwork.app", "google_compute_subnetwork",
           {"name": "app", "ip_cidr_range": "10.10.0.0/24", "purpose": "PRIVATE",
            "log_config": [{"aggregation_interval": "INTERVAL_5_SEC", "flow_sampling": 0.5, "metadata": "INCLUDE_ALL_METADATA"}]}, {"id": True}),
    create("google_compute_subnetwork.proxy", "google_compute_subnetwork",
           {"name": "proxy", "ip_cidr_range": "10.11.0.0/24", "purpose": "REGIONAL_MANAGED_PROXY", "log_config": []}, {"id": True}),
    create("azurerm_network_security_group.web", "azurerm_network_security_group", {"name": "web"}, {"id": True}),
    create("azurerm_network_watcher_flow_log.web", "azurerm_network_watcher_flow_log", {"name": "web", "enabled": True},
           {"network_security_group_id": True, "id": True}),
], {
    "aws_flow_log.main": {"vpc_id": ["aws_vpc.main.id", "aws_vpc.main"]},
    "azurerm_network_watcher_flow_log.web": {"network_security_group_id": ["azurerm_network_security_group.web.id", "azurerm_network_security_group.web"]},
}))
# ---------------- LOG001 audit-trail-incomplete
def trail(**kw):
    base = {"name": "main", "s3_bucket_name": "trail-bucket", "is_multi_region_trail": False,
            "enable_log_file_validation": False, "enable_logging": True, "include_global_service_events": True}
    base.update(kw)
    return base
write("audit-trail-incomplete", "bad", plan([
    # the provider writes its defaults into the plan: single-region, no validation
    create("aws_cloudtrail.defaults", "aws_cloudtrail", trail(), {"arn": True, "id": True}),
    # an update that stops logging
    rc("aws_cloudtrail.main", "aws_cloudtrail", ["update"],
       trail(name="org", is_multi_region_trail=True, enable_log_file_validation=True),
       trail(name="org", is_multi_region_trail=True, enable_log_file_validation=True, enable_logging=False)),
    create("google_project_iam_audit_config.all", "google_project_iam_audit_config",
           {"project": "my-project", "service": "allServices",
            "audit_log_config": [{"log_type": "DATA_READ", "exempted_members": ["user:ci@example.com", "serviceAccount:etl@my-project.iam.gserviceaccount.com"]}]},
           {"etag": True, "id": True}),
]))
write("audit-trail-incomplete", "good", plan([
    create("aws_cloudtrail.main", "aws_cloudtrail", trail(is_multi_region_trail=True, enable_log_file_validation=True), {"arn": True, "id": True}),
    # a trail being deleted is the deletion policies' business
    rc("aws_cloudtrail.old", "aws_cloudtrail", ["delete"], trail(name="old"), None),
    create("google_project_iam_audit_config.all", "google_project_iam_audit_config",
           {"project": "my-project", "service": "allServices",
            "audit_log_config": [{"log_type": "DATA_READ", "exempted_members": []}]}, {"etag": True, "id": True}),
]))
# ---------------- LOG003 access-logs-disabled
write("access-logs-disabled", "bad", plan([
    # unset access_logs: the plan carries an empty block list
    create("aws_lb.web", "aws_lb", {"name": "web", "load_balancer_type": "application", "access_logs": []}, {"arn": True}),
    # an update that turns access logging off
    rc("aws_lb.api", "aws_lb", ["update"],
       {"name": "api", "load_balancer_type": "application", "access_logs": [{"bucket": "lb-logs", "enabled": True, "prefix": ""}]},
       {"name": "api", "load_balancer_type": "application", "access_logs": [{"bucket": "lb-logs", "enabled": False, "prefix": ""}]}),
    create("aws_cloudfront_distribution.site", "aws_cloudfront_distribution", {"enabled": True, "logging_config": []}, {"arn": True}),
    create("aws_apigatewayv2_stage.http", "aws_apigatewayv2_stage", {"api_id": "abc123", "name": "prod", "access_log_settings": []}, {"id": True}),
    create("google_compute_backend_service.web", "google_compute_backend_service", {"name": "web", "log_config": []}, {"id": True}),
]))
write("access-logs-disabled", "good", plan([
    create("aws_lb.web", "aws_lb", {"name": "web", "load_balancer_type": "application",
                                    "access_logs": [{"bucket": "lb-logs", "enabled": True, "prefix": "web"}]}, {"arn": True}),
    create("aws_lb.gwlb", "aws_lb", {"name": "gwlb", "load_balancer_type": "gateway", "access_logs": []}, {"arn": True}),
    create("aws_cloudfront_distribution.site", "aws_cloudfront_distribution",
           {"enabled": True, "logging_config": [{"bucket": "cf-logs.s3.amazonaws.com", "include_cookies": False, "prefix": ""}]}, {"arn": True}),
    create("aws_apigatewayv2_stage.http", "aws_apigatewayv2_stage",
           {"api_id": "abc123", "name": "prod", "access_log_settings": [{"format": "$context.requestId"}]},
           {"id": True, "access_log_settings": [{"destination_arn": True}]}),
    create("google_compute_backend_service.web", "google_compute_backend_service",
           {"name": "web", "log_config": [{"enable": True, "sample_rate": 1}]}, {"id": True}),
    # a load balancer being deleted is not checked
    rc("aws_lb.old", "aws_lb", ["delete"], {"name": "old", "load_balancer_type": "application", "access_logs": []}, None),
]))
# ---------------- AVL001 single-zone
write("single-zone", "bad", plan([
    # multi_az written as false
    create("aws_db_instance.main", "aws_db_instance", {"engine": "postgres", "instance_class": "db.m6g.large", "multi_az": False,
                                                        "replicate_source_db": None}, {"id": True, "arn": True}),
    # multi_az left unset: computed, so unknown in the plan (reported at low)
    create("aws_db_instance.unset", "aws_db_instance", {"engine": "mysql", "instance_class": "db.m6g.large", "replicate_source_db": None},
           {"id": True, "multi_az": True}),
    create("aws_elasticache_replication_group.cache", "aws_elasticache_replication_group",
           {"replication_group_id": "cache", "automatic_failover_enabled": True, "multi_az_enabled": False}, {"id": True}),
    create("google_sql_database_instance.main", "google_sql_database_instance",
           {"name": "main", "database_version": "POSTGRES_15", "master_instance_name": None,
            "settings": [{"tier": "db-custom-2-7680", "availability_type": "ZONAL"}]}, {"self_link": True}),
    create("azurerm_postgresql_flexible_server.main", "azurerm_postgresql_flexible_server",
           {"name": "main", "sku_name": "GP_Standard_D2s_v3", "high_availability": []}, {"id": True}),
]))
write("single-zone", "good", plan([
    create("aws_db_instance.main", "aws_db_instance", {"engine": "postgres", "instance_class": "db.m6g.large", "multi_az": True,
                                                        "replicate_source_db": None}, {"id": True}),
    create("aws_db_instance.replica", "aws_db_instance", {"instance_class": "db.m6g.large", "replicate_source_db": "main",
                                                           "multi_az": False}, {"id": True}),
    create("aws_elasticache_replication_group.cache", "aws_elasticache_replication_group",
           {"replication_group_id": "cache", "automatic_failover_enabled": True, "multi_az_enabled": True}, {"id": True}),
    create("google_sql_database_instance.main", "google_sql_database_instance",
           {"name": "main", "database_version": "POSTGRES_15", "master_instance_name": None,
            "settings": [{"tier": "db-custom-2-7680", "availability_type": "REGIONAL"}]}, {"self_link": True}),
    create("azurerm_postgresql_flexible_server.main", "azurerm_postgresql_flexible_server",
           {"name": "main", "sku_name": "GP_Standard_D2s_v3", "high_availability": [{"mode": "ZoneRedundant"}]},
           {"id": True, "high_availability": [{"standby_availability_zone": True}]}),
    create("azurerm_mssql_database.small", "azurerm_mssql_database", {"name": "small", "sku_name": "S0", "zone_redundant": False}, {"id": True}),
]))
# ---------------- AVL002 backups-disabled
write("backups-disabled", "bad", plan([
    create("aws_rds_cluster.main", "aws_rds_cluster", {"engine": "aurora-mysql", "backup_retention_period": 0, "replicate_source_db": None},
           {"id": True, "arn": True}),
    # the provider writes point_in_time_recovery as a block with enabled = false
    create("aws_dynamodb_table.orders", "aws_dynamodb_table", {"name": "orders", "hash_key": "id",
           "point_in_time_recovery": [{"enabled": False, "recovery_period_in_days": None}]}, {"arn": True}),
    # an update that turns Cloud SQL backups off
    rc("google_sql_database_instance.main", "google_sql_database_instance", ["update"],
       {"name": "main", "master_instance_name": None, "settings": [{"tier": "db-f1-micro", "backup_configuration": [{"enabled": True}]}]},
       {"name": "main", "master_instance_name": None, "settings": [{"tier": "db-f1-micro", "backup_configuration": [{"enabled": False}]}]}),
    create("aws_elasticache_replication_group.cache", "aws_elasticache_replication_group",
           {"replication_group_id": "cache", "snapshot_retention_limit": 0}, {"id": True}),
]))
write("backups-disabled", "good", plan([
    # retention left unset: computed by AWS (1 day by default)
    create("aws_db_instance.main", "aws_db_instance", {"engine": "postgres", "replicate_source_db": None},
           {"id": True, "backup_retention_period": True}),
    create("aws_dynamodb_table.orders", "aws_dynamodb_table", {"name": "orders", "hash_key": "id",
           "point_in_time_recovery": [{"enabled": True, "recovery_period_in_days": 35}]}, {"arn": True}),
    create("google_sql_database_instance.main", "google_sql_database_instance",
           {"name": "main", "master_instance_name": None, "settings": [{"tier": "db-f1-micro", "backup_configuration": [{"enabled": True}]}]},
           {"self_link": True}),
    create("azurerm_mssql_database.orders", "azurerm_mssql_database", {"name": "orders",
           "short_term_retention_policy": [{"retention_days": 7, "backup_interval_in_hours": 12}]}, {"id": True}),
]))
# ---------------- ENC004 customer-managed-key
KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/0d1c2b3a-4f5e-6d7c-8b9a-0f1e2d3c4b5a"
def sse_rule(algo, key=None):
    return [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key, "sse_algorithm": algo}], "bucket_key_enabled": None}]
def kms_key():
    return create("aws_kms_key.data", "aws_kms_key", {"enable_key_rotation": True}, {"arn": True, "id": True, "key_id": True})
write("customer-managed-key", "bad", plan_with_config([
    # a new bucket and a new encryption resource referring to it: SSE-S3 (AES256)
    create("aws_s3_bucket.data", "aws_s3_bucket", bucket("acme-data"), B_UNKNOWN),
    create("aws_s3_bucket_server_side_encryption_configuration.data", "aws_s3_bucket_server_side_encryption_configuration",
           {"expected_bucket_owner": None, "rule": sse_rule("AES256")}, {"id": True, "bucket": True}),
    # an existing bucket whose state holds aws:kms with the aws-managed alias
    noop("aws_s3_bucket.legacy", "aws_s3_bucket", dict(bucket("acme-legacy"), id="acme-legacy",
         server_side_encryption_configuration=[{"rule": sse_rule("aws:kms", "alias/aws/s3")}])),
    # encrypted, kms_key_id unknown (computed) and not written in the configuration: the provider
    # fills in aws/rds (medium)
    create("aws_db_instance.main", "aws_db_instance", db(storage_encrypted=True, kms_key_id=None), DB_UNKNOWN),
    # kms_key_id written from a variable whose value the plan does not show: cannot be confirmed (low)
    create("aws_db_instance.from_var", "aws_db_instance", db(storage_encrypted=True, kms_key_id=None), DB_UNKNOWN),
    # a key from a module output: unknown, not traced to a managed key of this module (low)
    create("aws_ebs_volume.data", "aws_ebs_volume", {"availability_zone": "eu-west-1a", "size": 100, "encrypted": True, "snapshot_id": None},
           {"id": True, "arn": True, "kms_key_id": True}),
    # SSE-SQS: sqs_managed_sse_enabled computed, no kms_master_key_id
    create("aws_sqs_queue.jobs", "aws_sqs_queue", {"name": "jobs", "kms_master_key_id": None}, {"id": True, "arn": True, "sqs_managed_sse_enabled": True}),
    # no server_side_encryption block (computed): an aws-owned key
    create("aws_dynamodb_table.main", "aws_dynamodb_table", {"name": "main", "hash_key": "id", "attribute": [{"name": "id", "type": "S"}]},
           {"id": True, "arn": True, "server_side_encryption": True}),
    create("aws_ecr_repository.app", "aws_ecr_repository", {"name": "app"}, {"id": True, "arn": True, "encryption_configuration": True}),
    # an existing secret with no key: the aws-managed aws/secretsmanager key
    rc("aws_secretsmanager_secret.token", "aws_secretsmanager_secret", ["update"], {"name": "token", "kms_key_id": None, "description": "old"},
       {"name": "token", "kms_key_id": None, "description": "new"}),
    # an sns topic key from a module output (low; ENC001 accepts a key set in a plan)
    create("aws_sns_topic.alerts", "aws_sns_topic", {"name": "alerts"}, {"id": True, "arn": True, "kms_master_key_id": True}),
    create("google_storage_bucket.data", "google_storage_bucket", {"name": "acme-data", "location": "EU", "encryption": []}, {"id": True}),
    create("google_pubsub_topic.events", "google_pubsub_topic", {"name": "events", "kms_key_name": None}, {"id": True}),
    create("azurerm_storage_account.data", "azurerm_storage_account", {"name": "acmedata", "customer_managed_key": []}, {"id": True}),
    # a customer-managed key resource whose account id comes from a module output: cannot tell (low)
    create("azurerm_storage_account.logs", "azurerm_storage_account", {"name": "acmelogs", "customer_managed_key": []}, {"id": True}),
    create("azurerm_storage_account_customer_managed_key.logs", "azurerm_storage_account_customer_managed_key",
           {"key_name": "logs", "key_vault_id": "/subscriptions/0000/vaults/acme"}, {"id": True, "storage_account_id": True}),
    # transparent data encryption planned without a key: service-managed
    create("azurerm_mssql_server.main", "azurerm_mssql_server", {"name": "acme-sql", "transparent_data_encryption_key_vault_key_id": None}, {"id": True}),
    create("azurerm_mssql_server_transparent_data_encryption.main", "azurerm_mssql_server_transparent_data_encryption",
           {"key_vault_key_id": None, "managed_hsm_key_id": None}, {"id": True, "server_id": True}),
], {
    "aws_s3_bucket_server_side_encryption_configuration.data": {"bucket": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]},
    "aws_ebs_volume.data": {"kms_key_id": ["module.keys.ebs_key_arn", "module.keys"]},
    "aws_db_instance.from_var": {"kms_key_id": ["var.db_key_arn"]},
    "aws_sns_topic.alerts": {"kms_master_key_id": ["module.keys.sns_key_arn", "module.keys"]},
    "azurerm_storage_account_customer_managed_key.logs": {"storage_account_id": ["module.storage.logs_id", "module.storage"]},
    "azurerm_mssql_server_transparent_data_encryption.main": {"server_id": ["azurerm_mssql_server.main.id", "azurerm_mssql_server.main"]},
}))
good = plan_with_config([
    kms_key(),
    # a new bucket encrypted with the key created in the same plan
    create("aws_s3_bucket.data", "aws_s3_bucket", bucket("acme-data"), B_UNKNOWN),
    create("aws_s3_bucket_server_side_encryption_configuration.data", "aws_s3_bucket_server_side_encryption_configuration",
           {"expected_bucket_owner": None, "rule": sse_rule("aws:kms")}, {"id": True, "bucket": True,
           "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": True}]}]}),
    # an existing bucket and encryption resource, paired by the known bucket name
    noop("aws_s3_bucket.legacy", "aws_s3_bucket", dict(bucket("acme-legacy"), id="acme-legacy",
         server_side_encryption_configuration=[])),
    noop("aws_s3_bucket_server_side_encryption_configuration.legacy", "aws_s3_bucket_server_side_encryption_configuration",
         {"bucket": "acme-legacy", "expected_bucket_owner": None, "rule": sse_rule("aws:kms", KEY_ARN)}),
    # no encryption at all: ENC001's finding
    create("aws_s3_bucket.plain", "aws_s3_bucket", bucket("acme-plain"), B_UNKNOWN),
    create("aws_db_instance.main", "aws_db_instance", db(storage_encrypted=True, kms_key_id=None), DB_UNKNOWN),
    create("aws_db_instance.plain", "aws_db_instance", db(), DB_UNKNOWN),
    # for_each: each queue refers to the key of its own key
    create('aws_sqs_queue.jobs["a"]', "aws_sqs_queue", {"name": "jobs-a"}, {"id": True, "arn": True, "kms_master_key_id": True}, index="a"),
    create('aws_sqs_queue.jobs["b"]', "aws_sqs_queue", {"name": "jobs-b"}, {"id": True, "arn": True, "kms_master_key_id": True}, index="b"),
    create("aws_dynamodb_table.main", "aws_dynamodb_table", {"name": "main", "hash_key": "id", "server_side_encryption": [{"enabled": True}]},
           {"id": True, "arn": True, "server_side_encryption": [{"kms_key_arn": True}]}),
    create("aws_ecr_repository.app", "aws_ecr_repository", {"name": "app", "encryption_configuration": [{"encryption_type": "KMS", "kms_key": KEY_ARN}]}, {"id": True}),
    create("aws_secretsmanager_secret.token", "aws_secretsmanager_secret", {"name": "token", "kms_key_id": KEY_ARN}, {"id": True, "arn": True}),
    create("google_pubsub_topic.events", "google_pubsub_topic", {"name": "events", "kms_key_name": "projects/acme/locations/europe/keyRings/main/cryptoKeys/events"}, {"id": True}),
    # a planned customer-managed key resource that refers to the new account
    create("azurerm_storage_account.data", "azurerm_storage_account", {"name": "acmedata", "customer_managed_key": []}, {"id": True}),
    create("azurerm_storage_account_customer_managed_key.data", "azurerm_storage_account_customer_managed_key",
           {"key_name": "data", "key_vault_id": "/subscriptions/0000/vaults/acme"}, {"id": True, "storage_account_id": True}),
    create("azurerm_mssql_server.main", "azurerm_mssql_server", {"name": "acme-sql"}, {"id": True, "transparent_data_encryption_key_vault_key_id": True}),
    # a deleted queue without a key is going away
    rc("aws_sqs_queue.old", "aws_sqs_queue", ["delete"], {"name": "old", "kms_master_key_id": None}, None),
], {
    "aws_s3_bucket_server_side_encryption_configuration.data": {
        "bucket": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]},
    "aws_db_instance.main": {"kms_key_id": ["aws_kms_key.data.arn", "aws_kms_key.data"]},
    "aws_sqs_queue.jobs": {"kms_master_key_id": ["aws_kms_key.data.arn", "aws_kms_key.data"]},
    "aws_dynamodb_table.main": {},
    "azurerm_storage_account_customer_managed_key.data": {"storage_account_id": ["azurerm_storage_account.data.id", "azurerm_storage_account.data"]},
    "azurerm_mssql_server.main": {"transparent_data_encryption_key_vault_key_id": ["azurerm_key_vault_key.data.id", "azurerm_key_vault_key.data"]},
    "azurerm_key_vault_key.data": {},
})
# nested block arguments: Terraform writes their expressions inside the block's list
KEY_REF = {"references": ["aws_kms_key.data.arn", "aws_kms_key.data"]}
for r in good["configuration"]["root_module"]["resources"]:
    if r["address"] == "aws_s3_bucket_server_side_encryption_configuration.data":
        r["expressions"]["rule"] = [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": KEY_REF}]}]
    if r["address"] == "aws_dynamodb_table.main":
        r["expressions"]["server_side_encryption"] = [{"kms_key_arn": KEY_REF}]
write("customer-managed-key", "good", good)
# ======== end of catalogue part B (catb) ========
# ================ issue 15 (breadth): more shapes in guard's own families =================
# Appended to the fixtures written above, so the blocks above stay as they were.
def extend(policy, kind, changes):
    path = os.path.join(ROOT, policy, kind + ".plan.json")
    with open(path) as f:
        p = json.load(f)
    p["resource_changes"].extend(changes)
    write(policy, kind, p)

# ---------------- ENC002 plaintext-transport
def webapp(https_only, site):
    return {"name": "app", "location": "westeurope", "resource_group_name": "rg", "service_plan_id": "/subscriptions/x/plan",
            "https_only": https_only, "site_config": [site]}
def appgw(listeners, rules, redirects=(), ssl_policy=()):
    return {"name": "gw", "location": "westeurope", "resource_group_name": "rg",
            "frontend_ip_configuration": [{"name": "public", "public_ip_address_id": "/subscriptions/x/publicIPAddresses/gw", "subnet_id": None},
                                          {"name": "private", "public_ip_address_id": None, "subnet_id": "/subscriptions/x/subnets/gw"}],
            "http_listener": listeners, "request_routing_rule": rules, "redirect_configuration": list(redirects), "ssl_policy": list(ssl_policy)}
def agl(name, proto, frontend="public"):
    return {"name": name, "protocol": proto, "frontend_ip_configuration_name": frontend, "frontend_port_name": proto.lower()}
def sqlinst(ip):
    return {"name": "db", "database_version": "POSTGRES_16", "region": "europe-west1", "deletion_protection": True,
            "settings": [{"tier": "db-custom-1-3840", "ip_configuration": ip}]}
extend("plaintext-transport", "bad", [
    # no domain_endpoint_options: in a plan the unset computed block is unknown, and the API defaults apply (medium)
    create("aws_elasticsearch_domain.legacy", "aws_elasticsearch_domain", {"domain_name": "legacy", "node_to_node_encryption": [{"enabled": True}]},
           {"id": True, "arn": True, "domain_endpoint_options": True}),
    create("aws_elb.web", "aws_elb", {"name": "web", "listener": [{"instance_port": 8080, "instance_protocol": "http", "lb_port": 80, "lb_protocol": "http", "ssl_certificate_id": ""}]}, {"id": True}),
    create("aws_db_parameter_group.pg_off", "aws_db_parameter_group", {"name": "pg-off", "family": "postgres16",
           "parameter": [{"name": "rds.force_ssl", "value": "0", "apply_method": "immediate"}]}, {"id": True, "arn": True}),
    # MySQL default leaves secure transport off, and an instance in the plan uses the group (medium)
    create("aws_db_parameter_group.mysql", "aws_db_parameter_group", {"name": "app-mysql", "family": "mysql8.0", "parameter": []}, {"id": True, "arn": True}),
    create("aws_db_instance.mysql", "aws_db_instance", db(engine="mysql", storage_encrypted=True, parameter_group_name="app-mysql"), DB_UNKNOWN),
    create("azurerm_linux_web_app.app", "azurerm_linux_web_app", webapp(False, {"minimum_tls_version": "1.0", "scm_minimum_tls_version": "1.2", "ftps_state": "AllAllowed"}), {"id": True}),
    create("azurerm_application_gateway.gw", "azurerm_application_gateway",
           appgw([agl("plain", "Http")], [{"name": "plain", "http_listener_name": "plain", "redirect_configuration_name": None, "backend_address_pool_name": "pool"}],
                 ssl_policy=[{"policy_type": "Predefined", "policy_name": "AppGwSslPolicy20150501", "min_protocol_version": None}]), {"id": True}),
    create("azurerm_storage_account.data", "azurerm_storage_account", {"name": "acmedata", "https_traffic_only_enabled": False, "min_tls_version": "TLS1_1"}, {"id": True}),
    create("azurerm_mssql_server.sql", "azurerm_mssql_server", {"name": "sql", "version": "12.0", "minimum_tls_version": "1.1"}, {"id": True}),
    create("azurerm_mysql_server.mysql", "azurerm_mysql_server", {"name": "mysql", "ssl_enforcement_enabled": False, "ssl_minimal_tls_version_enforced": "TLS1_2"}, {"id": True}),
    create("azurerm_postgresql_flexible_server_configuration.ssl", "azurerm_postgresql_flexible_server_configuration",
           {"name": "ssl_min_protocol_version", "server_id": "/subscriptions/x/flexibleServers/pg", "value": "TLSv1.1"}, {"id": True}),
    create("azurerm_redis_cache.cache", "azurerm_redis_cache", {"name": "cache", "non_ssl_port_enabled": True, "minimum_tls_version": "1.2"}, {"id": True}),
    create("google_sql_database_instance.explicit", "google_sql_database_instance", sqlinst([{"ssl_mode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED", "ipv4_enabled": True}]), {"id": True}),
    # ssl_mode unset: computed, unknown in the plan; the API default allows plain connections (medium)
    create("google_sql_database_instance.default", "google_sql_database_instance", sqlinst([{"ipv4_enabled": True}]),
           {"id": True, "settings": [{"ip_configuration": [{"ssl_mode": True}]}]}),
    create("alicloud_db_instance.closed", "alicloud_db_instance", {"engine": "MySQL", "engine_version": "8.0", "ssl_action": "Close"}, {"id": True}),
])
extend("plaintext-transport", "good", [
    create("aws_elasticsearch_domain.legacy", "aws_elasticsearch_domain", dict(search(), domain_name="legacy"), {"id": True, "arn": True}),
    create("aws_elb.web", "aws_elb", {"name": "web", "listener": [{"instance_port": 8080, "instance_protocol": "http", "lb_port": 443, "lb_protocol": "https", "ssl_certificate_id": CERT},
                                                                  {"instance_port": 5432, "instance_protocol": "tcp", "lb_port": 5432, "lb_protocol": "tcp", "ssl_certificate_id": ""}]}, {"id": True}),
    create("aws_db_parameter_group.mysql", "aws_db_parameter_group", {"name": "app-mysql", "family": "mysql8.0",
           "parameter": [{"name": "require_secure_transport", "value": "1", "apply_method": "immediate"}]}, {"id": True, "arn": True}),
    create("aws_db_instance.mysql", "aws_db_instance", db(engine="mysql", storage_encrypted=True, parameter_group_name="app-mysql"), DB_UNKNOWN),
    # a group no instance of this plan uses, with the engine default
    create("aws_rds_cluster_parameter_group.unused", "aws_rds_cluster_parameter_group", {"name": "unused", "family": "aurora-mysql8.0", "parameter": []}, {"id": True}),
    create("azurerm_linux_web_app.app", "azurerm_linux_web_app", webapp(True, {"minimum_tls_version": "1.2", "scm_minimum_tls_version": "1.2", "ftps_state": "Disabled"}), {"id": True}),
    # the public Http listener redirects to the Https one; the private Http listener stays inside
    create("azurerm_application_gateway.gw", "azurerm_application_gateway",
           appgw([agl("plain", "Http"), agl("secure", "Https"), agl("internal", "Http", "private")],
                 [{"name": "r1", "http_listener_name": "plain", "redirect_configuration_name": "to-https", "backend_address_pool_name": None},
                  {"name": "r2", "http_listener_name": "secure", "redirect_configuration_name": None, "backend_address_pool_name": "pool"},
                  {"name": "r3", "http_listener_name": "internal", "redirect_configuration_name": None, "backend_address_pool_name": "pool"}],
                 redirects=[{"name": "to-https", "redirect_type": "Permanent", "target_listener_name": "secure", "target_url": None}],
                 ssl_policy=[{"policy_type": "Predefined", "policy_name": "AppGwSslPolicy20220101S", "min_protocol_version": None}]), {"id": True}),
    create("azurerm_storage_account.data", "azurerm_storage_account", {"name": "acmedata", "https_traffic_only_enabled": True, "min_tls_version": "TLS1_2"}, {"id": True}),
    create("azurerm_mssql_server.sql", "azurerm_mssql_server", {"name": "sql", "version": "12.0", "minimum_tls_version": "1.2"}, {"id": True}),
    create("azurerm_redis_cache.cache", "azurerm_redis_cache", {"name": "cache", "non_ssl_port_enabled": False, "minimum_tls_version": "1.2"}, {"id": True}),
    create("google_sql_database_instance.encrypted", "google_sql_database_instance", sqlinst([{"ssl_mode": "ENCRYPTED_ONLY", "ipv4_enabled": False}]), {"id": True}),
    create("alicloud_db_instance.open", "alicloud_db_instance", {"engine": "MySQL", "engine_version": "8.0", "ssl_action": "Open"}, {"id": True}),
])

# ---------------- ENC001 unencrypted-storage
extend("unencrypted-storage", "bad", [
    # encrypt_at_rest unset: computed, unknown in the plan; the provider documents the default as off
    create("aws_opensearch_domain.search", "aws_opensearch_domain", {"domain_name": "search", "node_to_node_encryption": [{"enabled": True}]},
           {"id": True, "arn": True, "encrypt_at_rest": True}),
    create("aws_eks_cluster.main", "aws_eks_cluster", {"name": "main", "role_arn": "arn:aws:iam::123456789012:role/eks", "encryption_config": [],
           "vpc_config": [{"subnet_ids": ["subnet-0a1b2c3d"]}]}, {"id": True, "arn": True}),
    create("aws_neptune_cluster.graph", "aws_neptune_cluster", {"cluster_identifier": "graph", "engine": "neptune", "storage_encrypted": False}, {"id": True, "arn": True}),
    create("aws_neptune_cluster_snapshot.graph", "aws_neptune_cluster_snapshot", {"db_cluster_identifier": "graph", "db_cluster_snapshot_identifier": "graph-snapshot"},
           {"id": True, "storage_encrypted": True, "kms_key_id": True}),
    create("aws_kinesis_firehose_delivery_stream.events", "aws_kinesis_firehose_delivery_stream", {"name": "events", "destination": "extended_s3",
           "server_side_encryption": [{"enabled": False, "key_type": "AWS_OWNED_CMK", "key_arn": None}], "kinesis_source_configuration": []}, {"id": True, "arn": True}),
    create("aws_sagemaker_notebook_instance.nb", "aws_sagemaker_notebook_instance", {"name": "nb", "instance_type": "ml.t3.medium", "kms_key_id": None}, {"id": True, "arn": True}),
    create("azurerm_linux_virtual_machine.vm", "azurerm_linux_virtual_machine", {"name": "vm", "size": "Standard_D2s_v5", "encryption_at_host_enabled": False}, {"id": True}),
    create("azurerm_kubernetes_cluster.aks", "azurerm_kubernetes_cluster", {"name": "aks", "dns_prefix": "aks",
           "default_node_pool": [{"name": "system", "vm_size": "Standard_D2s_v5", "host_encryption_enabled": False}]}, {"id": True}),
    create("azurerm_managed_disk.data", "azurerm_managed_disk", {"name": "data", "create_option": "Empty", "encryption_settings": [{"enabled": False}]}, {"id": True}),
    create("google_compute_disk.data", "google_compute_disk", {"name": "data", "zone": "europe-west1-b", "size": 50, "disk_encryption_key": []}, {"id": True}),
    # database_encryption unset: computed, unknown in the plan; the default is DECRYPTED (medium)
    create("google_container_cluster.gke", "google_container_cluster", {"name": "gke", "location": "europe-west1", "deletion_protection": True},
           {"id": True, "database_encryption": True}),
])
extend("unencrypted-storage", "good", [
    create("aws_opensearch_domain.search", "aws_opensearch_domain", {"domain_name": "search", "encrypt_at_rest": [{"enabled": True}]}, {"id": True, "arn": True}),
    # the key is created alongside: its ARN is known only after apply
    create("aws_eks_cluster.main", "aws_eks_cluster", {"name": "main", "role_arn": "arn:aws:iam::123456789012:role/eks",
           "encryption_config": [{"resources": ["secrets"], "provider": [{}]}], "vpc_config": [{"subnet_ids": ["subnet-0a1b2c3d"]}]},
           {"id": True, "arn": True, "encryption_config": [{"provider": [{"key_arn": True}]}]}),
    create("aws_neptune_cluster.graph", "aws_neptune_cluster", {"cluster_identifier": "graph", "engine": "neptune", "storage_encrypted": True}, {"id": True, "arn": True}),
    create("aws_neptune_cluster_snapshot.graph", "aws_neptune_cluster_snapshot", {"db_cluster_identifier": "graph", "db_cluster_snapshot_identifier": "graph-snapshot"}, {"id": True}),
    create("aws_kinesis_firehose_delivery_stream.events", "aws_kinesis_firehose_delivery_stream", {"name": "events", "destination": "extended_s3",
           "server_side_encryption": [{"enabled": True, "key_type": "AWS_OWNED_CMK", "key_arn": None}], "kinesis_source_configuration": []}, {"id": True, "arn": True}),
    # a backup vault without a key: kms_key_arn is computed, so a plan cannot tell it from a key created alongside
    create("aws_backup_vault.main", "aws_backup_vault", {"name": "main"}, {"id": True, "arn": True, "kms_key_arn": True}),
    create("azurerm_linux_virtual_machine.vm", "azurerm_linux_virtual_machine", {"name": "vm", "size": "Standard_D2s_v5", "encryption_at_host_enabled": True}, {"id": True}),
    create("google_container_cluster.gke", "google_container_cluster", {"name": "gke", "location": "europe-west1", "deletion_protection": True,
           "database_encryption": [{"state": "ENCRYPTED", "key_name": "projects/p/locations/europe-west1/keyRings/main/cryptoKeys/gke"}]}, {"id": True}),
])

# ---------------- DEL002 deletion-protection-disabled
def stacct(name, blob=None, kind="StorageV2"):
    return {"name": name, "account_kind": kind, "account_tier": "Standard", "account_replication_type": "LRS", "blob_properties": blob if blob is not None else []}
extend("deletion-protection-disabled", "bad", [
    create("aws_docdb_cluster.docs", "aws_docdb_cluster", {"cluster_identifier": "docs", "deletion_protection": False, "skip_final_snapshot": False, "storage_encrypted": True}, {"id": True, "arn": True}),
    # internal unset: computed, unknown in the plan; the default is internet-facing (medium)
    create("aws_lb.public", "aws_lb", {"name": "public", "load_balancer_type": "application", "enable_deletion_protection": False}, {"id": True, "arn": True, "internal": True}),
    create("azurerm_key_vault.kv", "azurerm_key_vault", {"name": "acme-kv", "sku_name": "standard", "purge_protection_enabled": False, "soft_delete_retention_days": 90}, {"id": True}),
    # blob_properties without retention policies
    create("azurerm_storage_account.data", "azurerm_storage_account", stacct("acmedata", [{"versioning_enabled": True, "delete_retention_policy": [], "container_delete_retention_policy": []}]), {"id": True}),
    create("google_spanner_database.db", "google_spanner_database", {"instance": "main", "name": "db", "deletion_protection": False}, {"id": True}),
    create("google_firestore_database.fs", "google_firestore_database", {"name": "(default)", "location_id": "eur3", "type": "FIRESTORE_NATIVE", "deletion_policy": "DELETE"},
           {"id": True, "delete_protection_state": True}),
])
extend("deletion-protection-disabled", "good", [
    create("aws_docdb_cluster.docs", "aws_docdb_cluster", {"cluster_identifier": "docs", "deletion_protection": True, "skip_final_snapshot": False, "storage_encrypted": True}, {"id": True, "arn": True}),
    create("azurerm_key_vault.kv", "azurerm_key_vault", {"name": "acme-kv", "sku_name": "standard", "purge_protection_enabled": True, "soft_delete_retention_days": 7}, {"id": True}),
    create("azurerm_storage_account.data", "azurerm_storage_account", stacct("acmedata", [{"versioning_enabled": True, "delete_retention_policy": [{"days": 7}], "container_delete_retention_policy": [{"days": 7}]}]), {"id": True}),
    create("google_bigtable_instance.bt", "google_bigtable_instance", {"name": "bt", "deletion_protection": True}, {"id": True}),
    # deletion_policy ABANDON: destroy leaves the database in place
    create("google_firestore_database.fs", "google_firestore_database", {"name": "(default)", "location_id": "eur3", "type": "FIRESTORE_NATIVE", "deletion_policy": "ABANDON"},
           {"id": True, "delete_protection_state": True}),
])

# ---------------- NET003 public-ip-assigned
def vmss(public):
    ip = {"name": "internal", "primary": True, "subnet_id": "/subscriptions/x/subnets/web", "public_ip_address": [{"name": "pip"}] if public else []}
    return {"name": "web", "sku": "Standard_D2s_v5", "network_interface": [{"name": "nic", "primary": True, "ip_configuration": [ip]}]}
extend("public-ip-assigned", "bad", [
    create("aws_spot_instance_request.worker", "aws_spot_instance_request", instance(True, spot_price="0.01"), INST_UNKNOWN),
    # an elastic IP on an existing instance (known id)
    create("aws_eip.app", "aws_eip", {"domain": "vpc", "instance": "i-0123456789abcdef0", "network_interface": None}, {"id": True, "public_ip": True, "allocation_id": True}),
    create("aws_eip_association.spare", "aws_eip_association", {"allocation_id": "eipalloc-0123456789abcdef0", "network_interface_id": "eni-0123456789abcdef0", "instance_id": None}, {"id": True}),
    create("google_compute_region_instance_template.web", "google_compute_region_instance_template", {"name": "web", "region": "europe-west1", "machine_type": "e2-small",
           "network_interface": [{"network": "default", "access_config": [{"network_tier": "PREMIUM"}]}]}, {"id": True}),
    create("azurerm_linux_virtual_machine_scale_set.web", "azurerm_linux_virtual_machine_scale_set", vmss(True), {"id": True}),
])
extend("public-ip-assigned", "good", [
    create("aws_spot_instance_request.worker", "aws_spot_instance_request", instance(False, spot_price="0.01"), INST_UNKNOWN),
    # an unattached elastic IP (for a NAT gateway): instance and network_interface are computed, unknown in the plan
    create("aws_eip.nat", "aws_eip", {"domain": "vpc"}, {"id": True, "public_ip": True, "instance": True, "network_interface": True}),
    create("azurerm_linux_virtual_machine_scale_set.web", "azurerm_linux_virtual_machine_scale_set", vmss(False), {"id": True}),
])

# ---------------- NET001 public-egress / NET002 public-ingress: network ACLs
def acl_entry(action, cidr=None, v6=None, proto="-1", frm=0, to=0, rule_no=100):
    return {"action": action, "cidr_block": cidr or "", "from_port": frm, "icmp_code": 0, "icmp_type": 0,
            "ipv6_cidr_block": v6 or "", "protocol": proto, "rule_no": rule_no, "to_port": to}
def acl_rule_res(egress, action, cidr=None, proto="-1", frm=None, to=None):
    return {"cidr_block": cidr, "egress": egress, "from_port": frm, "icmp_code": None, "icmp_type": None, "ipv6_cidr_block": None,
            "network_acl_id": "acl-0123456789abcdef0", "protocol": proto, "rule_action": action, "rule_number": 100, "to_port": to}
extend("public-ingress", "bad", [
    # SSH from anywhere through a network ACL: medium (security groups still decide)
    create("aws_network_acl.public", "aws_network_acl", {"vpc_id": "vpc-0a1b2c3d", "ingress": [acl_entry("allow", "0.0.0.0/0", proto="tcp", frm=22, to=22)], "egress": []}, {"id": True, "arn": True}),
    create("aws_network_acl_rule.all", "aws_network_acl_rule", acl_rule_res(False, "allow", "0.0.0.0/0"), {"id": True}),
])
extend("public-ingress", "good", [
    create("aws_network_acl.private", "aws_network_acl", {"vpc_id": "vpc-0a1b2c3d",
           "ingress": [acl_entry("allow", "10.0.0.0/8", proto="tcp", frm=22, to=22), acl_entry("deny", "0.0.0.0/0", rule_no=200),
                       acl_entry("allow", "0.0.0.0/0", proto="tcp", frm=443, to=443, rule_no=300)], "egress": []}, {"id": True, "arn": True}),
])
extend("public-egress", "bad", [
    # all egress through a network ACL: low (stateless; answers to clients need it)
    create("aws_network_acl_rule.out", "aws_network_acl_rule", acl_rule_res(True, "allow", "0.0.0.0/0"), {"id": True}),
])
extend("public-egress", "good", [
    create("aws_network_acl.private", "aws_network_acl", {"vpc_id": "vpc-0a1b2c3d", "ingress": [],
           "egress": [acl_entry("allow", "10.0.0.0/8"), acl_entry("deny", "0.0.0.0/0", rule_no=200)]}, {"id": True, "arn": True}),
])
