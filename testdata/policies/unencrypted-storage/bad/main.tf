# ENC001 unencrypted-storage: every resource below stores data without encryption at rest.

# Flagged (medium): no server-side encryption configuration refers to this bucket.
resource "aws_s3_bucket" "plain" {
  bucket = "acme-plain"
}

# A bucket encrypted by a separate resource is silent (see good/); here, for_each over two keys
# where only "a" has an encryption resource: "b" is flagged.
resource "aws_s3_bucket" "logs" {
  for_each = toset(["a", "b"])
  bucket   = "acme-logs-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  for_each = { a = aws_s3_bucket.logs["a"] }
  bucket   = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

# Flagged: storage_encrypted defaults to false.
resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "app"
}

# Flagged: explicitly off.
resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "aurora"
  engine             = "aurora-postgresql"
  master_username    = "app"
  storage_encrypted  = false
}

# Flagged: an unencrypted volume.
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
}

# Flagged: no root_block_device with encrypted = true, and an unencrypted data volume.
resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 50
    encrypted   = false
  }
}

resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
}

# Flagged: SSE-SQS turned off and no KMS key.
resource "aws_sqs_queue" "jobs" {
  name                    = "jobs"
  sqs_managed_sse_enabled = false
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_kinesis_stream" "events" {
  name        = "events"
  shard_count = 1
}

# Flagged (low): log group without a customer-managed key.
resource "aws_cloudwatch_log_group" "app" {
  name              = "/app"
  retention_in_days = 30
}
