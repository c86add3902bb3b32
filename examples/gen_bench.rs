//! Generates the benchmark inputs of issue 9 (see BENCHMARKS.md and scripts/bench.sh).
//!
//! Deterministic: a fixed seed and a small built-in PRNG, so the same command always writes the
//! same bytes. Never committed: the data goes under `target/bench-data/`.
//!
//! ```text
//! cargo run --release --example gen_bench -- tf DIR [RESOURCES] [FILES]     # default 2000 100
//! cargo run --release --example gen_bench -- monorepo DIR FILES              # e.g. 20000
//! cargo run --release --example gen_bench -- terragrunt DIR UNITS            # default 500
//! cargo run --release --example gen_bench -- plan FILE [RESOURCE_CHANGES]    # default 100000
//! cargo run --release --example gen_bench -- findings-plan FILE [CHANGES]     # default 230000
//! cargo run --release --example gen_bench -- small DIR                       # one small module
//! cargo run --release --example gen_bench -- all ROOT [full|tiny]            # everything
//! ```

// A command-line tool: printing is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// splitmix64: enough randomness for a benchmark corpus, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability `pct` percent.
    fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            let _ = write!(s, "{:016x}", self.next());
        }
        s.truncate(len);
        s
    }
}

const SEED: u64 = 0x6775_6172_6400_0009; // "guard", issue 9

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let num = |i: usize, default: usize| -> usize {
        arg(i).map_or(default, |s| {
            s.parse()
                .unwrap_or_else(|_| usage(&format!("not a number: {s}")))
        })
    };
    let path = |i: usize| -> PathBuf {
        PathBuf::from(arg(i).unwrap_or_else(|| usage("missing output path")))
    };
    match arg(0) {
        Some("tf") => report(&path(1), tf_corpus(&path(1), num(2, 2000), num(3, 100))),
        Some("monorepo") => report(&path(1), monorepo(&path(1), num(2, 20_000))),
        Some("terragrunt") => report(&path(1), terragrunt(&path(1), num(2, 500))),
        Some("plan") => report(&path(1), plan(&path(1), num(2, 100_000))),
        Some("findings-plan") => report(&path(1), findings_plan(&path(1), num(2, 230_000))),
        Some("small") => report(&path(1), small_module(&path(1))),
        Some("all") => all(&path(1), arg(2).unwrap_or("full")),
        _ => usage("unknown command"),
    }
}

fn usage(why: &str) -> ! {
    eprintln!(
        "gen_bench: {why}\nusage: gen_bench tf|monorepo|terragrunt|plan|small|all PATH [SIZE...]"
    );
    std::process::exit(2)
}

/// What a generator wrote.
#[derive(Default)]
struct Stats {
    files: usize,
    bytes: u64,
    resources: usize,
}

fn report(path: &Path, stats: Stats) {
    println!(
        "{}: {} files, {} bytes, {} resource blocks/changes",
        path.display(),
        stats.files,
        stats.bytes,
        stats.resources
    );
}

/// A generator writing to a path.
type Job = Box<dyn Fn(&Path) -> Stats>;

/// Every input of the benchmark, each only if missing (the directory or file is the marker).
fn all(root: &Path, scale: &str) {
    let tiny = match scale {
        "full" => false,
        "tiny" => true,
        _ => usage("scale must be full or tiny"),
    };
    let mut jobs: Vec<(String, Job)> = Vec::new();
    if tiny {
        jobs.push(("tf-2000".into(), Box::new(|p| tf_corpus(p, 40, 14))));
        jobs.push(("mono-20k".into(), Box::new(|p| monorepo(p, 40))));
        jobs.push(("tg-500".into(), Box::new(|p| terragrunt(p, 5))));
        jobs.push(("plan-100k.json".into(), Box::new(|p| plan(p, 300))));
        jobs.push((
            "plan-findings.json".into(),
            Box::new(|p| findings_plan(p, 300)),
        ));
    } else {
        jobs.push(("tf-2000".into(), Box::new(|p| tf_corpus(p, 2000, 100))));
        for (name, files) in [
            ("mono-2k", 2000),
            ("mono-5k", 5000),
            ("mono-10k", 10_000),
            ("mono-20k", 20_000),
        ] {
            jobs.push((name.into(), Box::new(move |p| monorepo(p, files))));
        }
        jobs.push(("tg-500".into(), Box::new(|p| terragrunt(p, 500))));
        jobs.push(("plan-100k.json".into(), Box::new(|p| plan(p, 100_000))));
        jobs.push((
            "plan-findings.json".into(),
            Box::new(|p| findings_plan(p, 230_000)),
        ));
    }
    jobs.push(("small".into(), Box::new(small_module)));
    fs::create_dir_all(root).expect("create output root");
    for (name, job) in jobs {
        let target = root.join(&name);
        if target.exists() {
            println!("{}: exists, kept", target.display());
            continue;
        }
        // Write next to the target and rename, so an interrupted run never leaves half a corpus.
        let tmp = root.join(format!(".{name}.partial"));
        let _ = fs::remove_dir_all(&tmp);
        let _ = fs::remove_file(&tmp);
        let stats = job(&tmp);
        fs::rename(&tmp, &target).expect("rename generated data");
        report(&target, stats);
    }
}

/// Writes files and counts them.
struct Out {
    stats: Stats,
}

impl Out {
    fn new() -> Self {
        Out {
            stats: Stats::default(),
        }
    }
    fn write(&mut self, path: &Path, text: &str) {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).expect("create directory");
        }
        fs::write(path, text).expect("write file");
        self.stats.files += 1;
        self.stats.bytes += text.len() as u64;
    }
}

// ---------------------------------------------------------------------------------------------
// Terraform source
// ---------------------------------------------------------------------------------------------

const VARIABLES_TF: &str = r#"variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "env" {
  type        = string
  description = "Deployment environment"
}

variable "vpc_id" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "allowed_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "ingress_rules" {
  type = list(object({
    port        = number
    protocol    = string
    cidr_blocks = list(string)
    description = optional(string, "managed")
  }))
  default = []
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "kms_rotation" {
  type    = bool
  default = true
}
"#;

fn tfvars(rng: &mut Rng, env: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "env           = \"{env}\"");
    let _ = writeln!(s, "vpc_id        = \"vpc-{}\"", rng.hex(8));
    let _ = writeln!(s, "db_password   = \"{}\"", rng.hex(24));
    let _ = writeln!(
        s,
        "allowed_cidrs = [\"10.{}.0.0/16\", \"{}\"]",
        rng.below(250),
        if rng.pct(30) {
            "0.0.0.0/0"
        } else {
            "192.168.0.0/16"
        }
    );
    s.push_str("ingress_rules = [\n");
    for _ in 0..(1 + rng.below(3)) {
        let port = rng.pick(&[22, 80, 443, 3389, 5432, 8080]);
        let cidr = if rng.pct(25) {
            "0.0.0.0/0"
        } else {
            "10.0.0.0/8"
        };
        let _ = writeln!(
            s,
            "  {{ port = {port}, protocol = \"tcp\", cidr_blocks = [\"{cidr}\"] }},"
        );
    }
    s.push_str("]\n");
    let _ = writeln!(
        s,
        "tags = {{\n  team    = \"team-{}\"\n  service = \"svc-{}\"\n  owner   = \"owner{}@example.com\"\n}}",
        rng.below(40),
        rng.below(1000),
        rng.below(100)
    );
    s
}

const LOCALS_TF: &str = r#"locals {
  world       = "0.0.0.0/0"
  name_prefix = "${var.env}-app"
  envs        = toset(["blue", "green"])
  common_tags = merge(var.tags, {
    environment = var.env
    managed_by  = "terraform"
  })
  buckets = {
    logs   = { versioning = true, kms = true }
    assets = { versioning = false, kms = false }
    backup = { versioning = true, kms = true }
  }
  egress_rules = [
    { port = 443, cidr = local.world, description = "https out" },
    { port = 53, cidr = "10.0.0.2/32", description = "dns" },
  ]
}
"#;

const VERSIONS_TF: &str = r#"terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}
"#;

/// A reusable security-group module with a dynamic block over its rules.
const SG_MODULE_MAIN: &str = r#"resource "aws_security_group" "this" {
  name        = "${var.name}-sg"
  description = "managed by terraform"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = var.ingress_rules
    content {
      description = ingress.value.description
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = ingress.value.protocol
      cidr_blocks = ingress.value.cidr_blocks
    }
  }

  egress {
    description = "all egress"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = var.egress_cidrs
  }

  tags = var.tags
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.this.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = var.ssh_cidrs
}
"#;

const SG_MODULE_VARIABLES: &str = r#"variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "ingress_rules" {
  type = list(object({
    port        = number
    protocol    = string
    cidr_blocks = list(string)
    description = optional(string, "managed")
  }))
  default = []
}

variable "egress_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "ssh_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "tags" {
  type    = map(string)
  default = {}
}
"#;

const SG_MODULE_OUTPUTS: &str = r#"output "id" {
  value = aws_security_group.this.id
}
"#;

const BUCKET_MODULE_MAIN: &str = r#"resource "aws_s3_bucket" "this" {
  bucket        = var.name
  force_destroy = false
  tags          = var.tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count  = var.kms ? 1 : 0
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"#;

const BUCKET_MODULE_VARIABLES: &str = r#"variable "name" {
  type = string
}

variable "kms" {
  type    = bool
  default = true
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "versioning" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}
"#;

const BUCKET_MODULE_OUTPUTS: &str = r#"output "arn" {
  value = aws_s3_bucket.this.arn
}
"#;

/// Resource blocks in the two shared modules above.
const MODULE_RESOURCES: usize = 7;

/// Writes one resource "unit" (1 to 3 resource blocks); returns how many blocks it wrote.
/// `budget` caps the blocks, so files end exactly on the requested count.
fn resource_unit(rng: &mut Rng, s: &mut String, id: usize, budget: usize) -> usize {
    let kind = if budget >= 2 {
        rng.below(14)
    } else {
        // single-block kinds only
        *rng.pick(&[0, 1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13])
    };
    let n = format!("r{id}");
    match kind {
        0 => {
            // security group with literal ingress and egress blocks
            let open = rng.pct(20);
            let _ = write!(
                s,
                r#"resource "aws_security_group" "{n}" {{
  name        = "${{local.name_prefix}}-{n}"
  description = "security group {id}"
  vpc_id      = var.vpc_id

  ingress {{
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.allowed_cidrs
  }}

  ingress {{
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["{ssh}"]
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [{egress}]
  }}

  tags = local.common_tags
}}

"#,
                ssh = if rng.pct(10) {
                    "0.0.0.0/0"
                } else {
                    "10.1.0.0/16"
                },
                egress = if open {
                    "local.world"
                } else {
                    "\"10.0.0.0/8\""
                },
            );
            1
        }
        1 => {
            // security group with dynamic blocks
            let _ = write!(
                s,
                r#"resource "aws_security_group" "{n}" {{
  name   = "${{var.env}}-dyn-{id}"
  vpc_id = var.vpc_id

  dynamic "ingress" {{
    for_each = var.ingress_rules
    content {{
      description = ingress.value.description
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = ingress.value.protocol
      cidr_blocks = ingress.value.cidr_blocks
    }}
  }}

  dynamic "egress" {{
    for_each = local.egress_rules
    iterator = rule
    content {{
      description = rule.value.description
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = [rule.value.cidr]
    }}
  }}
}}

"#
            );
            1
        }
        2 => {
            // bucket + separate encryption resource (+ versioning)
            let sse = rng.pick(&["aws:kms", "AES256"]);
            let _ = write!(
                s,
                r#"resource "aws_s3_bucket" "{n}" {{
  bucket = "${{local.name_prefix}}-bucket-{id}"
  tags   = merge(local.common_tags, {{ Name = "bucket-{id}" }})
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "{n}" {{
  bucket = aws_s3_bucket.{n}.id

  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm = "{sse}"
    }}
  }}
}}

"#
            );
            if budget >= 3 && rng.pct(50) {
                let _ = write!(
                    s,
                    r#"resource "aws_s3_bucket_versioning" "{n}" {{
  bucket = aws_s3_bucket.{n}.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

"#
                );
                3
            } else {
                2
            }
        }
        3 => {
            // bucket without encryption
            let _ = write!(
                s,
                r#"resource "aws_s3_bucket" "{n}" {{
  bucket        = "plain-bucket-{id}-${{var.env}}"
  force_destroy = {fd}
}}

"#,
                fd = rng.pct(50)
            );
            1
        }
        4 => {
            let _ = write!(
                s,
                r#"resource "aws_db_instance" "{n}" {{
  identifier              = "${{var.env}}-db-{id}"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t3.micro"
  allocated_storage       = {gb}
  username                = "app"
  password                = var.db_password
  storage_encrypted       = {enc}
  deletion_protection     = {dp}
  backup_retention_period = 7
  skip_final_snapshot     = {skip}
  publicly_accessible     = false
  vpc_security_group_ids  = [aws_security_group.shared.id]
  tags                    = local.common_tags
}}

"#,
                gb = 20 + rng.below(200),
                enc = rng.pct(80),
                dp = rng.pct(70),
                skip = rng.pct(30),
            );
            1
        }
        5 => {
            let _ = write!(
                s,
                r#"resource "aws_ebs_volume" "{n}" {{
  availability_zone = "${{var.region}}a"
  size              = {size}
  type              = "gp3"
  encrypted         = {enc}
  tags              = local.common_tags
}}

"#,
                size = 10 + rng.below(500),
                enc = rng.pct(75),
            );
            1
        }
        6 => {
            // KMS key + alias
            let _ = write!(
                s,
                r#"resource "aws_kms_key" "{n}" {{
  description             = "key {id}"
  deletion_window_in_days = 30
  enable_key_rotation     = {rot}
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Sid       = "root"
      Effect    = "Allow"
      Principal = {{ AWS = "arn:aws:iam::123456789012:root" }}
      Action    = "kms:*"
      Resource  = "*"
    }}]
  }})
}}

resource "aws_kms_alias" "{n}" {{
  name          = "alias/key-{id}"
  target_key_id = aws_kms_key.{n}.key_id
}}

"#,
                rot = if rng.pct(70) {
                    "var.kms_rotation"
                } else {
                    "false"
                },
            );
            2
        }
        7 => {
            let _ = write!(
                s,
                r#"resource "aws_iam_role" "{n}" {{
  name = "${{local.name_prefix}}-role-{id}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ Service = "ec2.amazonaws.com" }}
    }}]
  }})
  tags = local.common_tags
}}

"#
            );
            1
        }
        8 => {
            let _ = write!(
                s,
                r#"resource "aws_iam_user" "{n}" {{
  name = "ci-user-{id}"
  path = "/system/"
}}

"#
            );
            1
        }
        9 => {
            let _ = write!(
                s,
                r#"resource "aws_instance" "{n}" {{
  count                       = {count}
  ami                         = "ami-{ami}"
  instance_type               = "t3.micro"
  associate_public_ip_address = {pubip}
  vpc_security_group_ids      = [aws_security_group.shared.id]

  root_block_device {{
    encrypted   = {enc}
    volume_size = 20
  }}

  metadata_options {{
    http_tokens = "required"
  }}

  tags = merge(local.common_tags, {{ Name = "web-{id}-${{count.index}}" }})
}}

"#,
                count = 1 + rng.below(3),
                ami = rng.hex(17),
                pubip = rng.pct(20),
                enc = rng.pct(80),
            );
            1
        }
        10 => {
            let _ = write!(
                s,
                r#"resource "aws_lb_listener" "{n}" {{
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/lb/{lb}"
  port              = {port}
  protocol          = "{proto}"
  ssl_policy        = {policy}

  default_action {{
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/{lb}"
  }}
}}

"#,
                lb = rng.hex(16),
                port = if rng.pct(50) { 80 } else { 443 },
                proto = if rng.pct(50) { "HTTP" } else { "HTTPS" },
                policy = if rng.pct(50) {
                    "\"ELBSecurityPolicy-TLS13-1-2-2021-06\""
                } else {
                    "null"
                },
            );
            1
        }
        11 => {
            // for_each over a local map
            let _ = write!(
                s,
                r#"resource "aws_s3_bucket" "{n}" {{
  for_each = local.buckets
  bucket   = "${{local.name_prefix}}-${{each.key}}-{id}"
  tags     = merge(local.common_tags, {{ versioned = tostring(each.value.versioning) }})
}}

"#
            );
            1
        }
        12 => {
            let _ = write!(
                s,
                r#"resource "aws_vpc_security_group_ingress_rule" "{n}" {{
  security_group_id = aws_security_group.shared.id
  ip_protocol       = "tcp"
  from_port         = {port}
  to_port           = {port}
  cidr_ipv4         = "{cidr}"
  description       = "rule {id}"
}}

"#,
                port = rng.pick(&[22, 443, 5432, 6379]),
                cidr = if rng.pct(15) {
                    "0.0.0.0/0"
                } else {
                    "10.2.0.0/16"
                },
            );
            1
        }
        _ => {
            let _ = write!(
                s,
                r#"resource "aws_cloudwatch_log_group" "{n}" {{
  name              = "/app/${{var.env}}/{id}"
  retention_in_days = {days}
  kms_key_id        = {kms}
}}

"#,
                days = rng.pick(&[7, 30, 90, 365]),
                kms = if rng.pct(50) {
                    "\"arn:aws:kms:eu-west-1:123456789012:key/abc\""
                } else {
                    "null"
                },
            );
            1
        }
    }
}

/// Module calls with `for_each` into the shared modules (no resource blocks of their own).
fn module_calls(rng: &mut Rng, s: &mut String, id: usize, modules_dir: &str) {
    let _ = write!(
        s,
        r#"module "sg_{id}" {{
  source   = "{modules_dir}/sg"
  for_each = local.envs

  name          = "${{local.name_prefix}}-${{each.key}}-{id}"
  vpc_id        = var.vpc_id
  ingress_rules = var.ingress_rules
  egress_cidrs  = [{egress}]
  tags          = local.common_tags
}}

module "bucket_{id}" {{
  source   = "{modules_dir}/bucket"
  for_each = local.buckets

  name       = "${{local.name_prefix}}-${{each.key}}-m{id}"
  kms        = each.value.kms
  versioning = each.value.versioning
  tags       = local.common_tags
}}

"#,
        egress = if rng.pct(30) {
            "local.world"
        } else {
            "\"10.0.0.0/8\""
        },
    );
}

fn write_shared_modules(out: &mut Out, dir: &Path) {
    out.write(&dir.join("sg/main.tf"), SG_MODULE_MAIN);
    out.write(&dir.join("sg/variables.tf"), SG_MODULE_VARIABLES);
    out.write(&dir.join("sg/outputs.tf"), SG_MODULE_OUTPUTS);
    out.write(&dir.join("bucket/main.tf"), BUCKET_MODULE_MAIN);
    out.write(&dir.join("bucket/variables.tf"), BUCKET_MODULE_VARIABLES);
    out.write(&dir.join("bucket/outputs.tf"), BUCKET_MODULE_OUTPUTS);
}

const SHARED_SG: &str = r#"resource "aws_security_group" "shared" {
  name        = "${local.name_prefix}-shared"
  description = "shared"
  vpc_id      = var.vpc_id
}

"#;

/// The 2,000-resource / 100-file corpus: one root module with variables, tfvars, locals and
/// `for_each` module calls into two local modules.
fn tf_corpus(dir: &Path, resources: usize, files: usize) -> Stats {
    let mut rng = Rng::new(SEED ^ 1);
    let mut out = Out::new();
    // Fixed files: versions, variables, locals, tfvars, outputs (5) and the two modules (6).
    const FIXED: usize = 11;
    let svc_files = files.saturating_sub(FIXED).max(1);
    out.write(&dir.join("versions.tf"), VERSIONS_TF);
    out.write(&dir.join("variables.tf"), VARIABLES_TF);
    out.write(&dir.join("locals.tf"), LOCALS_TF);
    let env = "prod";
    out.write(&dir.join("terraform.tfvars"), &tfvars(&mut rng, env));
    write_shared_modules(&mut out, &dir.join("modules"));
    // `aws_security_group.shared` counts as one of the requested resources.
    let mut remaining = resources.saturating_sub(MODULE_RESOURCES + 1);
    let mut outputs = String::new();
    let mut id = 0;
    for f in 0..svc_files {
        let files_left = svc_files - f;
        let mut want = remaining.div_ceil(files_left);
        let mut s = String::new();
        if f == 0 {
            s.push_str(SHARED_SG);
        }
        if f % 8 == 3 {
            module_calls(&mut rng, &mut s, f, "./modules");
        }
        while want > 0 {
            let wrote = resource_unit(&mut rng, &mut s, id, want);
            id += 1;
            want -= wrote;
            remaining -= wrote;
            if rng.pct(5) {
                let _ = writeln!(outputs, "output \"o{id}\" {{\n  value = var.env\n}}\n");
            }
        }
        out.write(&dir.join(format!("svc_{f:03}.tf")), &s);
    }
    let _ = writeln!(
        outputs,
        "output \"db_password\" {{\n  value     = var.db_password\n  sensitive = true\n}}"
    );
    out.write(&dir.join("outputs.tf"), &outputs);
    out.stats.resources = resources;
    out.stats
}

/// A monorepo of `files` files: many small root modules under `teams/*/`, each calling the
/// shared modules, plus the shared modules themselves.
fn monorepo(dir: &Path, files: usize) -> Stats {
    let mut rng = Rng::new(SEED ^ 2);
    let mut out = Out::new();
    write_shared_modules(&mut out, &dir.join("modules"));
    let mut resources = MODULE_RESOURCES;
    let mut id = 0;
    let mut module = 0;
    // Five files per root module: versions, variables, locals, main, terraform.tfvars.
    while out.stats.files + 5 <= files.max(11) {
        let team = module / 50;
        let root = dir.join(format!("teams/team-{team:03}/svc-{module:05}"));
        let env = *rng.pick(&["dev", "staging", "prod"]);
        out.write(&root.join("versions.tf"), VERSIONS_TF);
        out.write(&root.join("variables.tf"), VARIABLES_TF);
        out.write(&root.join("locals.tf"), LOCALS_TF);
        out.write(&root.join("terraform.tfvars"), &tfvars(&mut rng, env));
        let mut s = String::from(SHARED_SG);
        resources += 1;
        if module % 4 == 0 {
            module_calls(&mut rng, &mut s, module, "../../../modules");
        }
        let mut want = 3 + rng.below(4) as usize;
        while want > 0 {
            let wrote = resource_unit(&mut rng, &mut s, id, want);
            id += 1;
            want -= wrote;
            resources += wrote;
        }
        out.write(&root.join("main.tf"), &s);
        module += 1;
    }
    // Pad to the exact file count with small README-free outputs files.
    let mut pad = 0;
    while out.stats.files < files {
        let root = dir.join(format!(
            "teams/team-{:03}/svc-{:05}",
            (pad % module.max(1)) / 50,
            pad % module.max(1)
        ));
        out.write(
            &root.join("outputs.tf"),
            "output \"env\" {\n  value = var.env\n}\n",
        );
        pad += 1;
    }
    out.stats.resources = resources;
    out.stats
}

const TG_MODULES: &[(&str, &str)] = &[
    (
        "vpc",
        r#"variable "cidr" {
  type = string
}

variable "name" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}

output "vpc_id" {
  value = aws_vpc.this.id
}
"#,
    ),
    (
        "sg",
        r#"variable "vpc_id" {
  type = string
}

variable "name" {
  type = string
}

variable "ingress_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "egress_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

resource "aws_security_group" "this" {
  name   = var.name
  vpc_id = var.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.ingress_cidrs
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = var.egress_cidrs
  }
}
"#,
    ),
    (
        "bucket",
        r#"variable "name" {
  type = string
}

variable "sse_algorithm" {
  type    = string
  default = "aws:kms"
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = var.sse_algorithm
    }
  }
}
"#,
    ),
    (
        "db",
        r#"variable "name" {
  type = string
}

variable "password" {
  type      = string
  sensitive = true
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "storage_encrypted" {
  type    = bool
  default = true
}

resource "aws_db_instance" "this" {
  identifier          = var.name
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "app"
  password            = var.password
  storage_encrypted   = var.storage_encrypted
  deletion_protection = var.deletion_protection
}
"#,
    ),
    (
        "kms",
        r#"variable "rotation" {
  type    = bool
  default = true
}

resource "aws_kms_key" "this" {
  description         = "unit key"
  enable_key_rotation = var.rotation
}
"#,
    ),
];

/// A Terragrunt live repo: a root `terragrunt.hcl`, `units` units under
/// `live/<env>/<region>/<name>/`, each including the root and sourcing a local module.
fn terragrunt(dir: &Path, units: usize) -> Stats {
    let mut rng = Rng::new(SEED ^ 3);
    let mut out = Out::new();
    for (name, text) in TG_MODULES {
        out.write(&dir.join(format!("modules/{name}/main.tf")), text);
    }
    out.write(
        &dir.join("live/terragrunt.hcl"),
        r#"locals {
  account_id = "123456789012"
  org        = "example"
}

remote_state {
  backend = "s3"
  config = {
    bucket  = "${local.org}-tfstate"
    key     = "${path_relative_to_include()}/terraform.tfstate"
    region  = "eu-west-1"
    encrypt = true
  }
}

inputs = {
  account_id = local.account_id
  tags = {
    org        = local.org
    managed_by = "terragrunt"
  }
}
"#,
    );
    let envs = ["dev", "staging", "prod", "qa", "perf"];
    let regions = ["eu-west-1", "us-east-1", "ap-south-1", "eu-central-1"];
    let mut resources = 0;
    for u in 0..units {
        let env = envs[u % envs.len()];
        let region = regions[(u / envs.len()) % regions.len()];
        let (module, _) = TG_MODULES[u % TG_MODULES.len()];
        let unit = format!("{module}-{u:04}");
        let inputs = match module {
            "vpc" => format!(
                "  cidr = \"10.{}.0.0/16\"\n  name = \"{env}-{unit}\"",
                rng.below(250)
            ),
            "sg" => format!(
                "  vpc_id        = \"vpc-{}\"\n  name          = \"{unit}\"\n  ingress_cidrs = [\"{}\"]\n  egress_cidrs  = [\"{}\"]",
                rng.hex(8),
                if rng.pct(10) { "0.0.0.0/0" } else { "10.0.0.0/8" },
                if rng.pct(30) { "0.0.0.0/0" } else { "10.0.0.0/8" },
            ),
            "bucket" => format!(
                "  name          = \"{env}-{unit}\"\n  sse_algorithm = \"{}\"",
                rng.pick(&["aws:kms", "AES256"])
            ),
            "db" => format!(
                "  name                = \"{env}-{unit}\"\n  password            = \"{}\"\n  deletion_protection = {}\n  storage_encrypted   = {}",
                rng.hex(20),
                rng.pct(70),
                rng.pct(85)
            ),
            _ => format!("  rotation = {}", rng.pct(70)),
        };
        resources += match module {
            "bucket" => 2,
            _ => 1,
        };
        out.write(
            &dir.join(format!("live/{env}/{region}/{unit}/terragrunt.hcl")),
            &format!(
                r#"include "root" {{
  path = find_in_parent_folders()
}}

terraform {{
  source = "../../../../modules/{module}"
}}

inputs = {{
{inputs}
  tags = {{
    unit = "{unit}"
    env  = "{env}"
  }}
}}
"#
            ),
        );
    }
    out.stats.resources = resources;
    out.stats
}

/// One small module for the startup and hook runs.
fn small_module(dir: &Path) -> Stats {
    let mut rng = Rng::new(SEED ^ 4);
    let mut out = Out::new();
    out.write(&dir.join("variables.tf"), VARIABLES_TF);
    out.write(&dir.join("locals.tf"), LOCALS_TF);
    out.write(&dir.join("terraform.tfvars"), &tfvars(&mut rng, "dev"));
    let mut s = String::from(SHARED_SG);
    let mut want = 5;
    let mut id = 0;
    while want > 0 {
        want -= resource_unit(&mut rng, &mut s, id, want);
        id += 1;
    }
    out.write(&dir.join("main.tf"), &s);
    out.stats.resources = 6;
    out.stats
}

// ---------------------------------------------------------------------------------------------
// Plan JSON
// ---------------------------------------------------------------------------------------------

/// One planned resource instance.
struct Planned {
    module: Option<String>,
    mode: &'static str,
    ty: &'static str,
    name: String,
    index: Option<Value>,
    actions: Vec<&'static str>,
    before: Value,
    after: Value,
    after_unknown: Value,
    before_sensitive: Value,
    after_sensitive: Value,
    replace_paths: Option<Value>,
    action_reason: Option<&'static str>,
    previous_address: Option<String>,
    importing: Option<Value>,
}

impl Planned {
    fn address(&self) -> String {
        let mut a = String::new();
        if let Some(m) = &self.module {
            a.push_str(m);
            a.push('.');
        }
        if self.mode == "data" {
            a.push_str("data.");
        }
        a.push_str(self.ty);
        a.push('.');
        a.push_str(&self.name);
        match &self.index {
            Some(Value::String(s)) => {
                let _ = write!(a, "[{}]", Value::String(s.clone()));
            }
            Some(n) => {
                let _ = write!(a, "[{n}]");
            }
            None => {}
        }
        a
    }
}

fn tags(rng: &mut Rng, i: usize) -> Value {
    json!({
        "Name": format!("resource-{i}"),
        "team": format!("team-{}", rng.below(40)),
    })
}

/// The attributes of a resource of type `ty` as the provider would report them, plus which of
/// them are unknown on create and which are sensitive.
fn attrs(
    rng: &mut Rng,
    ty: &str,
    i: usize,
) -> (Map<String, Value>, Vec<&'static str>, Vec<&'static str>) {
    let tags = tags(rng, i);
    let short: String = ty.split('_').skip(1).map(|w| &w[..1]).collect();
    let id = format!("{short}-{}", rng.hex(10));
    let arn = format!("arn:aws:{short}:eu-west-1:123456789012:{}", rng.hex(10));
    let v = match ty {
        "aws_security_group" => json!({
            "id": id, "arn": arn, "name": format!("sg-{i}"), "description": "Managed by Terraform",
            "vpc_id": format!("vpc-{}", rng.hex(8)), "tags": tags,
            "ingress": [{
                "cidr_blocks": [if rng.pct(10) { "0.0.0.0/0" } else { "10.0.0.0/8" }],
                "from_port": 443, "to_port": 443, "protocol": "tcp", "self": false
            }],
            "egress": [{
                "cidr_blocks": [if rng.pct(30) { "0.0.0.0/0" } else { "10.0.0.0/8" }],
                "from_port": 0, "to_port": 0, "protocol": "-1", "self": false
            }],
        }),
        "aws_s3_bucket" => json!({
            "id": id, "arn": arn, "bucket": format!("bucket-{i}-{}", rng.hex(6)),
            "force_destroy": rng.pct(30), "object_lock_enabled": false, "tags": tags, "region": "eu-west-1",
        }),
        "aws_db_instance" => json!({
            "id": id, "arn": arn, "identifier": format!("db-{i}"), "engine": "postgres",
            "engine_version": "16.3", "instance_class": "db.t3.micro", "allocated_storage": 20 + rng.below(500),
            "username": "app", "password": format!("pw-{}", rng.hex(20)),
            "storage_encrypted": rng.pct(85), "deletion_protection": rng.pct(60),
            "skip_final_snapshot": rng.pct(30), "publicly_accessible": rng.pct(5),
            "endpoint": format!("db-{i}.rds.amazonaws.com"), "tags": tags,
        }),
        "aws_ebs_volume" => json!({
            "id": id, "arn": arn, "availability_zone": "eu-west-1a", "size": 10 + rng.below(1000),
            "type": "gp3", "encrypted": rng.pct(80), "tags": tags,
        }),
        "aws_kms_key" => json!({
            "id": id, "arn": arn, "key_id": rng.hex(32), "description": format!("key {i}"),
            "enable_key_rotation": rng.pct(70), "deletion_window_in_days": 30, "is_enabled": true,
            "key_usage": "ENCRYPT_DECRYPT",
            "tags": tags,
        }),
        "aws_iam_role" => json!({
            "id": id, "arn": arn, "name": format!("role-{i}"),
            "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}]}",
            "tags": tags,
        }),
        "aws_iam_access_key" => json!({
            "id": format!("AKIA{}", rng.hex(16).to_uppercase()), "user": format!("user-{i}"),
            "secret": format!("{}{}", rng.hex(20), rng.hex(20)), "status": "Active",
            "ses_smtp_password_v4": rng.hex(44),
        }),
        "aws_instance" => json!({
            "id": id, "arn": arn, "ami": format!("ami-{}", rng.hex(17)), "instance_type": "t3.micro",
            "associate_public_ip_address": rng.pct(20), "subnet_id": format!("subnet-{}", rng.hex(8)),
            "root_block_device": [{"encrypted": rng.pct(80), "volume_size": 20}],
            "metadata_options": [{"http_tokens": "required"}],
            "tags": tags,
        }),
        "aws_lb_listener" => json!({
            "id": id, "arn": arn, "port": if rng.pct(50) { 80 } else { 443 },
            "protocol": if rng.pct(50) { "HTTP" } else { "HTTPS" },
            "default_action": [{"type": "forward"}],
            "tags": tags,
        }),
        "google_service_account" => json!({
            "id": id, "account_id": format!("sa-{i}"), "display_name": format!("SA {i}"),
            "email": format!("sa-{i}@proj.iam.gserviceaccount.com"), "project": "proj",
            "unique_id": format!("{}", rng.below(1 << 60)),
        }),
        "random_password" => json!({
            "id": "none", "length": 32, "result": rng.hex(32), "bcrypt_hash": rng.hex(60),
        }),
        _ => json!({
            "id": id, "arn": arn, "name": format!("{ty}-{i}"), "tags": tags,
        }),
    };
    let Value::Object(map) = v else {
        unreachable!()
    };
    let unknown: Vec<&'static str> = match ty {
        "random_password" => vec!["id", "result", "bcrypt_hash"],
        "aws_iam_access_key" => vec!["id", "secret", "ses_smtp_password_v4"],
        "google_service_account" => vec!["id", "email", "unique_id"],
        "aws_db_instance" => vec!["id", "arn", "endpoint"],
        _ => vec!["id", "arn"],
    };
    let sensitive: Vec<&'static str> = match ty {
        "aws_db_instance" => vec!["password"],
        "aws_iam_access_key" => vec!["secret", "ses_smtp_password_v4"],
        "random_password" => vec!["result", "bcrypt_hash"],
        _ => vec![],
    };
    (map, unknown, sensitive)
}

fn mask(keys: &[&str]) -> Value {
    Value::Object(
        keys.iter()
            .map(|k| (k.to_string(), Value::Bool(true)))
            .collect(),
    )
}

/// The `*_sensitive` mask Terraform writes: `true` leaves for sensitive attributes, and
/// structure-only entries (`{}`/`[]`) for nested values.
fn sensitive_mask(values: &Map<String, Value>, keys: &[&str]) -> Value {
    let mut m = Map::new();
    for (k, v) in values {
        if keys.contains(&k.as_str()) {
            m.insert(k.clone(), Value::Bool(true));
        } else {
            match v {
                Value::Object(_) => {
                    m.insert(k.clone(), json!({}));
                }
                Value::Array(items) => {
                    m.insert(
                        k.clone(),
                        Value::Array(
                            items
                                .iter()
                                .map(|i| {
                                    if i.is_object() {
                                        json!({})
                                    } else {
                                        json!(false)
                                    }
                                })
                                .collect(),
                        ),
                    );
                }
                _ => {}
            }
        }
    }
    Value::Object(m)
}

const PLAN_TYPES: &[&str] = &[
    "aws_security_group",
    "aws_security_group",
    "aws_s3_bucket",
    "aws_s3_bucket",
    "aws_db_instance",
    "aws_ebs_volume",
    "aws_kms_key",
    "aws_iam_role",
    "aws_iam_access_key",
    "aws_instance",
    "aws_instance",
    "aws_lb_listener",
    "google_service_account",
    "random_password",
    "aws_cloudwatch_log_group",
    "aws_sns_topic",
];

fn planned(rng: &mut Rng, i: usize) -> Planned {
    let ty = *rng.pick(PLAN_TYPES);
    let module_no = i / 40;
    let module = Some(format!(
        "module.svc_{module_no:04}[\"{}\"]",
        ["blue", "green"][module_no % 2]
    ));
    let name = format!("r{}", i % 40);
    let index = match i % 3 {
        0 => None,
        1 => Some(json!(0)),
        _ => Some(json!(format!("k{}", i % 7))),
    };
    let (before_map, unknown_keys, sensitive_keys) = attrs(rng, ty, i);
    let roll = rng.below(100);
    let mut p = Planned {
        module,
        mode: "managed",
        ty,
        name,
        index,
        actions: vec!["no-op"],
        before: Value::Null,
        after: Value::Null,
        after_unknown: json!({}),
        before_sensitive: json!(false),
        after_sensitive: json!(false),
        replace_paths: None,
        action_reason: None,
        previous_address: None,
        importing: None,
    };
    let smask = sensitive_mask(&before_map, &sensitive_keys);
    let mut after_map = before_map.clone();
    match roll {
        0..=29 => {
            // no-op
            p.before = Value::Object(before_map);
            p.after = Value::Object(after_map);
            p.before_sensitive = smask.clone();
            p.after_sensitive = smask;
        }
        30..=59 => {
            // create: computed attributes are unknown, hence absent from `after`
            for k in &unknown_keys {
                after_map.remove(*k);
            }
            p.actions = vec!["create"];
            p.after = Value::Object(after_map);
            p.after_unknown = mask(&unknown_keys);
            p.after_sensitive = smask;
        }
        60..=79 => {
            // update in place
            if let Some(Value::Object(t)) = after_map.get_mut("tags") {
                t.insert("revision".into(), json!(format!("r{}", rng.below(100))));
            }
            p.actions = vec!["update"];
            p.before = Value::Object(before_map);
            p.after = Value::Object(after_map);
            p.before_sensitive = smask.clone();
            p.after_sensitive = smask;
            if roll >= 77 {
                p.previous_address = Some(format!("{}.{}_old", ty, p.name));
            }
        }
        80..=87 => {
            // delete
            p.actions = vec!["delete"];
            p.before = Value::Object(before_map);
            p.before_sensitive = smask;
            p.action_reason = Some(if rng.pct(50) {
                "delete_because_no_resource_config"
            } else {
                "delete_because_each_key"
            });
        }
        88..=93 => {
            // replace
            let first = *rng.pick(&[
                "name",
                "identifier",
                "bucket",
                "account_id",
                "availability_zone",
            ]);
            if let Some(v) = after_map.get_mut(first) {
                *v = json!(format!("{}-v2", v.as_str().unwrap_or("x")));
            }
            for k in &unknown_keys {
                after_map.remove(*k);
            }
            p.actions = if rng.pct(70) {
                vec!["delete", "create"]
            } else {
                vec!["create", "delete"]
            };
            p.before = Value::Object(before_map);
            p.after = Value::Object(after_map);
            p.after_unknown = mask(&unknown_keys);
            p.before_sensitive = smask.clone();
            p.after_sensitive = smask;
            p.replace_paths = Some(json!([[first]]));
            p.action_reason = Some("replace_because_cannot_update");
        }
        94..=96 => {
            // data source read
            p.mode = "data";
            p.actions = vec!["read"];
            p.after = Value::Object(after_map);
            p.after_unknown = json!({"id": true});
            p.after_sensitive = smask;
            p.action_reason = Some("read_because_dependency_pending");
        }
        _ => {
            // import
            p.actions = vec!["no-op"];
            p.importing = Some(json!({"id": before_map.get("id").cloned().unwrap_or(json!("x"))}));
            p.before = Value::Object(before_map);
            p.after = Value::Object(after_map);
            p.before_sensitive = smask.clone();
            p.after_sensitive = smask;
        }
    }
    p
}

fn write_change(w: &mut impl Write, p: &Planned, address: &str, with_reason: bool) {
    let mut change = Map::new();
    change.insert("actions".into(), json!(p.actions));
    change.insert("before".into(), p.before.clone());
    change.insert("after".into(), p.after.clone());
    change.insert("after_unknown".into(), p.after_unknown.clone());
    change.insert("before_sensitive".into(), p.before_sensitive.clone());
    change.insert("after_sensitive".into(), p.after_sensitive.clone());
    if let Some(rp) = &p.replace_paths {
        change.insert("replace_paths".into(), rp.clone());
    }
    if let Some(imp) = &p.importing {
        change.insert("importing".into(), imp.clone());
    }
    write!(w, "{{\"address\":{}", json!(address)).unwrap();
    if let Some(prev) = &p.previous_address {
        write!(w, ",\"previous_address\":{}", json!(prev)).unwrap();
    }
    if let Some(m) = &p.module {
        write!(w, ",\"module_address\":{}", json!(m)).unwrap();
    }
    write!(
        w,
        ",\"mode\":\"{}\",\"type\":\"{}\",\"name\":\"{}\"",
        p.mode, p.ty, p.name
    )
    .unwrap();
    if let Some(index) = &p.index {
        write!(w, ",\"index\":{index}").unwrap();
    }
    let provider = if p.ty.starts_with("google") {
        "google"
    } else if p.ty.starts_with("random") {
        "random"
    } else {
        "aws"
    };
    write!(
        w,
        ",\"provider_name\":\"registry.terraform.io/hashicorp/{provider}\",\"change\":{}",
        Value::Object(change)
    )
    .unwrap();
    if with_reason {
        if let Some(r) = p.action_reason {
            write!(w, ",\"action_reason\":\"{r}\"").unwrap();
        }
    }
    w.write_all(b"}").unwrap();
}

/// The plan of issue 17: compact JSON, `n` resource changes with short values (about 100 MB for
/// 230,000), one in ten a deletion, sensitive passwords and keys, and enough insecure settings
/// that tens of thousands of findings are reported. Only `resource_changes`, `variables` and
/// `configuration` are written: what guard reads.
fn findings_plan(path: &Path, n: usize) -> Stats {
    let mut rng = Rng::new(SEED ^ 17);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create directory");
    }
    let file = fs::File::create(path).expect("create plan file");
    let mut w = BufWriter::with_capacity(1 << 20, file);
    write!(
        w,
        r#"{{"format_version":"1.2","terraform_version":"1.9.8","variables":{{"db_password":{{"value":"{}"}}}},"resource_changes":["#,
        rng.hex(24)
    )
    .unwrap();
    for i in 0..n {
        if i > 0 {
            w.write_all(b",").unwrap();
        }
        let module = format!("module.app_{:04}", i / 50);
        let (ty, after, unknown, sensitive): (&str, Value, Value, Value) = match rng.below(8) {
            0 => (
                "aws_security_group",
                json!({"name": format!("sg-{i}"), "vpc_id": format!("vpc-{}", rng.hex(8)),
                    "ingress": [{"cidr_blocks": [if rng.pct(20) { "0.0.0.0/0" } else { "10.0.0.0/8" }],
                        "from_port": 22, "to_port": 22, "protocol": "tcp", "self": false}],
                    "egress": []}),
                json!({"id": true, "arn": true}),
                json!({"ingress": [{"cidr_blocks": [false]}], "egress": []}),
            ),
            1 => (
                "aws_ebs_volume",
                json!({"availability_zone": "eu-west-1a", "size": 10 + rng.below(500),
                    "encrypted": rng.pct(85), "type": "gp3"}),
                json!({"id": true, "arn": true}),
                json!({}),
            ),
            2 => (
                "aws_db_instance",
                json!({"identifier": format!("db-{i}"), "engine": "postgres",
                    "instance_class": "db.t3.micro", "username": "app", "multi_az": rng.pct(90),
                    "password": format!("pw-{}", rng.hex(16)),
                    "storage_encrypted": rng.pct(85), "publicly_accessible": rng.pct(10),
                    "deletion_protection": rng.pct(85),
                    "backup_retention_period": if rng.pct(15) { 0 } else { 7 }}),
                json!({"id": true, "endpoint": true}),
                json!({"password": true}),
            ),
            3 => (
                "aws_kms_key",
                json!({"description": format!("key {i}"), "enable_key_rotation": rng.pct(80),
                    "deletion_window_in_days": 30}),
                json!({"id": true, "arn": true, "key_id": true}),
                json!({}),
            ),
            4 => (
                "aws_instance",
                json!({"ami": format!("ami-{}", rng.hex(8)), "instance_type": "t3.micro",
                    "associate_public_ip_address": rng.pct(15),
                    "metadata_options": [{"http_tokens": if rng.pct(15) { "optional" } else { "required" }}],
                    "root_block_device": [{"encrypted": rng.pct(85)}]}),
                json!({"id": true, "arn": true, "public_ip": true}),
                json!({"metadata_options": [{}], "root_block_device": [{}]}),
            ),
            5 => (
                "aws_lb_listener",
                json!({"load_balancer_arn": format!("arn:aws:elasticloadbalancing:eu-west-1:1:lb/{}", rng.hex(8)),
                    "port": if rng.pct(25) { 80 } else { 443 }, "default_action": [{"type": "forward"}]})
                    .as_object()
                    .map(|listener| {
                        let mut listener = listener.clone();
                        let https = listener["port"] == 443;
                        listener.insert("protocol".into(), json!(if https { "HTTPS" } else { "HTTP" }));
                        if https {
                            listener.insert("ssl_policy".into(), json!("ELBSecurityPolicy-TLS13-1-2-2021-06"));
                        }
                        Value::Object(listener)
                    })
                    .unwrap_or_default(),
                json!({"id": true, "arn": true}),
                json!({"default_action": [{}]}),
            ),
            6 => (
                "aws_iam_access_key",
                json!({"user": format!("user-{i}"), "status": "Active"}),
                json!({"id": true, "secret": true}),
                json!({"secret": true}),
            ),
            _ if rng.pct(30) => (
                "aws_s3_bucket",
                json!({"bucket": format!("bucket-{i}-{}", rng.hex(6)), "force_destroy": rng.pct(50)}),
                json!({"id": true, "arn": true}),
                json!({}),
            ),
            _ => (
                "aws_sns_topic",
                json!({"name": format!("topic-{i}"), "kms_master_key_id": "alias/aws/sns"}),
                json!({"id": true, "arn": true}),
                json!({}),
            ),
        };
        let name = format!("r{}", i % 50);
        let address = format!("{module}.{ty}.{name}");
        let change = if rng.pct(10) {
            // A deletion: the object as it exists, known in full.
            json!({"actions": ["delete"], "before": after, "after": null,
                "after_unknown": {}, "before_sensitive": sensitive, "after_sensitive": false})
        } else {
            json!({"actions": ["create"], "before": null, "after": after,
                "after_unknown": unknown, "before_sensitive": false, "after_sensitive": sensitive})
        };
        write!(
            w,
            r#"{{"address":{},"module_address":{},"mode":"managed","type":"{ty}","name":"{name}","change":{change}}}"#,
            json!(address),
            json!(module)
        )
        .unwrap();
    }
    w.write_all(
        br#"],"configuration":{"root_module":{"variables":{"db_password":{"sensitive":true}}}}}"#,
    )
    .unwrap();
    w.flush().unwrap();
    let bytes = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Stats {
        files: 1,
        bytes,
        resources: n,
    }
}

/// A compact `terraform show -json` plan with `n` resource changes.
fn plan(path: &Path, n: usize) -> Stats {
    let mut rng = Rng::new(SEED ^ 5);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create directory");
    }
    let file = fs::File::create(path).expect("create plan file");
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let all: Vec<Planned> = (0..n).map(|i| planned(&mut rng, i)).collect();
    let addresses: Vec<String> = all.iter().map(Planned::address).collect();

    w.write_all(br#"{"format_version":"1.2","terraform_version":"1.9.8","variables":{"#)
        .unwrap();
    write!(
        w,
        r#""db_password":{{"value":"{}"}},"region":{{"value":"eu-west-1"}},"env":{{"value":"prod"}}"#,
        rng.hex(24)
    )
    .unwrap();
    w.write_all(br#"},"planned_values":{"root_module":{"child_modules":["#)
        .unwrap();
    // planned_values: what will exist, grouped by module (never read by guard).
    let mut by_module: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in all.iter().enumerate() {
        if !p.actions.contains(&"delete") || p.actions.contains(&"create") {
            by_module
                .entry(p.module.as_deref().unwrap_or(""))
                .or_default()
                .push(i);
        }
    }
    for (mi, (module, items)) in by_module.iter().enumerate() {
        if mi > 0 {
            w.write_all(b",").unwrap();
        }
        write!(w, "{{\"address\":{},\"resources\":[", json!(module)).unwrap();
        for (k, &i) in items.iter().enumerate() {
            let p = &all[i];
            if k > 0 {
                w.write_all(b",").unwrap();
            }
            let mut sensitive = p.after_sensitive.clone();
            if sensitive.is_boolean() {
                sensitive = json!({});
            }
            write!(
                w,
                "{{\"address\":{},\"mode\":\"{}\",\"type\":\"{}\",\"name\":\"{}\",\"provider_name\":\"registry.terraform.io/hashicorp/aws\",\"schema_version\":0,\"values\":{},\"sensitive_values\":{}}}",
                json!(addresses[i]), p.mode, p.ty, p.name, p.after, sensitive
            )
            .unwrap();
        }
        w.write_all(b"]}").unwrap();
    }
    w.write_all(b"]}},\"resource_drift\":[").unwrap();
    // Drift: 1% of existing resources changed outside Terraform (tags, or an opened SG).
    let mut first = true;
    for (i, p) in all.iter().enumerate() {
        if i % 100 != 7 || p.before.is_null() || p.mode == "data" {
            continue;
        }
        let mut after = p.before.clone();
        if let Some(Value::Object(t)) = after.get_mut("tags") {
            t.insert("changed_by".into(), json!("console"));
        }
        if p.ty == "aws_security_group" {
            if let Some(Value::Array(ingress)) = after.get_mut("ingress") {
                ingress.push(json!({
                    "cidr_blocks": ["0.0.0.0/0"], "description": "debug", "from_port": 22, "to_port": 22,
                    "protocol": "tcp", "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false
                }));
            }
        }
        let drift = Planned {
            module: p.module.clone(),
            mode: p.mode,
            ty: p.ty,
            name: p.name.clone(),
            index: p.index.clone(),
            actions: vec!["update"],
            before: p.before.clone(),
            after,
            after_unknown: json!({}),
            before_sensitive: p.before_sensitive.clone(),
            after_sensitive: p.before_sensitive.clone(),
            replace_paths: None,
            action_reason: None,
            previous_address: None,
            importing: None,
        };
        if !first {
            w.write_all(b",").unwrap();
        }
        first = false;
        write_change(&mut w, &drift, &addresses[i], false);
    }
    w.write_all(b"],\"resource_changes\":[").unwrap();
    for (i, p) in all.iter().enumerate() {
        if i > 0 {
            w.write_all(b",").unwrap();
        }
        write_change(&mut w, p, &addresses[i], true);
    }
    // Outputs, some sensitive.
    w.write_all(b"],\"output_changes\":{").unwrap();
    for o in 0..50 {
        if o > 0 {
            w.write_all(b",").unwrap();
        }
        let sensitive = o % 10 == 0;
        let value = if sensitive {
            json!(format!("secret-output-{}", rng.hex(24)))
        } else {
            json!(format!("value-{o}"))
        };
        write!(
            w,
            "\"out_{o}\":{{\"actions\":[\"create\"],\"before\":null,\"after\":{value},\"after_unknown\":false,\"before_sensitive\":false,\"after_sensitive\":{sensitive}}}"
        )
        .unwrap();
    }
    // prior_state: what exists now (never read by guard).
    w.write_all(b"},\"prior_state\":{\"format_version\":\"1.0\",\"terraform_version\":\"1.9.8\",\"values\":{\"root_module\":{\"resources\":[").unwrap();
    let mut first = true;
    for (i, p) in all.iter().enumerate() {
        if p.before.is_null() {
            continue;
        }
        if !first {
            w.write_all(b",").unwrap();
        }
        first = false;
        let mut sensitive = p.before_sensitive.clone();
        if sensitive.is_boolean() {
            sensitive = json!({});
        }
        write!(
            w,
            "{{\"address\":{},\"mode\":\"{}\",\"type\":\"{}\",\"name\":\"{}\",\"provider_name\":\"registry.terraform.io/hashicorp/aws\",\"schema_version\":0,\"values\":{},\"sensitive_values\":{}}}",
            json!(addresses[i]), p.mode, p.ty, p.name, p.before, sensitive
        )
        .unwrap();
    }
    // configuration: one entry per resource block (not per instance).
    w.write_all(b"]}}},\"configuration\":{\"provider_config\":{\"aws\":{\"name\":\"aws\",\"full_name\":\"registry.terraform.io/hashicorp/aws\",\"expressions\":{\"region\":{\"references\":[\"var.region\"]}}}},\"root_module\":{\"resources\":[").unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut first = true;
    for p in &all {
        if !seen.insert((p.mode, p.ty, p.name.clone())) {
            continue;
        }
        if !first {
            w.write_all(b",").unwrap();
        }
        first = false;
        write!(
            w,
            "{{\"address\":\"{}{}.{}\",\"mode\":\"{}\",\"type\":\"{}\",\"name\":\"{}\",\"provider_config_key\":\"aws\",\"expressions\":{{\"name\":{{\"constant_value\":\"x\"}},\"tags\":{{\"references\":[\"local.common_tags\"]}}}},\"schema_version\":0}}",
            if p.mode == "data" { "data." } else { "" }, p.ty, p.name, p.mode, p.ty, p.name
        )
        .unwrap();
    }
    w.write_all(b"],\"variables\":{\"db_password\":{\"sensitive\":true},\"region\":{\"default\":\"eu-west-1\"},\"env\":{}}}},\"relevant_attributes\":[],\"checks\":[],\"timestamp\":\"2026-01-01T00:00:00Z\",\"applyable\":true,\"complete\":true,\"errored\":false}").unwrap();
    w.flush().unwrap();
    let bytes = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Stats {
        files: 1,
        bytes,
        resources: n,
    }
}
