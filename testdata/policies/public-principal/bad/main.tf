# IAM002 public-principal: every block below lets anyone in.

resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

# Flagged: Principal "*" on a bucket; a TLS-only condition does not narrow who may call.
resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-site/*"
      Condition = { Bool = { "aws:SecureTransport" = "true" } }
    }]
  })
}

# Flagged: {"AWS": "*"} in a queue's inline policy written as a heredoc.
resource "aws_sqs_queue" "events" {
  name   = "events"
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": ["*"]},
        "Action": "sqs:SendMessage",
        "Resource": "arn:aws:sqs:eu-west-1:111122223333:events"
      }]
    }
  JSON
}

# Flagged once, on the data source: a KMS key policy for everyone.
data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_kms_key" "shared" {
  description = "shared"
  policy      = data.aws_iam_policy_document.key.json
}

# Flagged: a role anyone can assume.
resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Flagged: NotPrincipal with Allow is everyone but a few.
resource "aws_sns_topic_policy" "alerts" {
  arn = "arn:aws:sns:eu-west-1:111122223333:alerts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect       = "Allow"
      NotPrincipal = { AWS = "arn:aws:iam::111122223333:root" }
      Action       = "sns:Publish"
      Resource     = "arn:aws:sns:eu-west-1:111122223333:alerts"
    }]
  })
}

# Flagged: an ECR repository any account can pull from.
resource "aws_ecr_repository_policy" "base" {
  repository = "base"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "pull"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}

# Flagged: any account may invoke the function.
resource "aws_lambda_permission" "any" {
  statement_id  = "any"
  action        = "lambda:InvokeFunction"
  function_name = "worker"
  principal     = "*"
}

# Low: a policy known only after apply.
variable "queue_policy" {
  type = string
}

resource "aws_sqs_queue_policy" "external" {
  queue_url = "https://sqs.eu-west-1.amazonaws.com/111122223333/external"
  policy    = var.queue_policy
}

# Flagged: GCP public members.
resource "google_storage_bucket_iam_member" "public" {
  bucket = "acme-public"
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_cloud_run_service_iam_binding" "invokers" {
  location = "europe-west1"
  service  = "api"
  role     = "roles/run.invoker"
  members  = ["user:ops@acme.example", "allAuthenticatedUsers"]
}

data "google_iam_policy" "public" {
  binding {
    role    = "roles/pubsub.subscriber"
    members = ["allUsers"]
  }
}

resource "google_pubsub_topic_iam_policy" "public" {
  topic       = "events"
  policy_data = data.google_iam_policy.public.policy_data
}

resource "google_project_iam_policy" "literal" {
  project     = "acme-prod"
  policy_data = jsonencode({ bindings = [{ role = "roles/viewer", members = ["allAuthenticatedUsers"] }] })
}

# Flagged once, on the data source: the public statement is known even though another
# statement refers to a value known only after apply.
variable "reader_arn" {
  type = string
}

data "aws_iam_policy_document" "mixed" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme-mixed/*"]
    principals {
      type        = "AWS"
      identifiers = [var.reader_arn]
    }
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::acme-mixed"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "mixed" {
  bucket = "acme-mixed"
  policy = data.aws_iam_policy_document.mixed.json
}

# Flagged: the condition names a restricting key but with a wildcard value.
resource "aws_sns_topic_policy" "wildcard_condition" {
  arn = "arn:aws:sns:eu-west-1:111122223333:events"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sns:Subscribe"
      Resource  = "arn:aws:sns:eu-west-1:111122223333:events"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
    }]
  })
}
