# ENC001 unencrypted-storage: near misses that must stay silent.

# Encrypted by a separate resource that refers to the bucket.
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

# The same under for_each: every key has its encryption resource.
resource "aws_s3_bucket" "logs" {
  for_each = toset(["a", "b"])
  bucket   = "acme-logs-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  for_each = aws_s3_bucket.logs
  bucket   = each.value.bucket

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Inline encryption (provider v3 style).
resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}

resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "app"
  storage_encrypted = true
}

# Read replicas inherit encryption from their source.
resource "aws_db_instance" "replica" {
  instance_class      = "db.t3.micro"
  replicate_source_db = aws_db_instance.main.identifier
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = true
}

resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"

  root_block_device {
    encrypted = true
  }
}

resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
  encrypted      = true
}

# SSE-SQS is on by default.
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = "alias/aws/sns"
}

# DynamoDB always encrypts; a customer key is required only in strict mode.
resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"

  attribute {
    name = "id"
    type = "S"
  }
}
