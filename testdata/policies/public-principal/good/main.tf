# IAM002 public-principal: near misses that must stay silent.

# Principal "*" pinned to the organization.
resource "aws_s3_bucket_policy" "org" {
  bucket = "acme-shared"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-shared/*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
    }]
  })
}

# The usual "deny insecure transport" statement: Deny with Principal "*".
data "aws_iam_policy_document" "tls_only" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::acme-logs", "arn:aws:s3:::acme-logs/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  # A service principal pinned to the source ARN.
  statement {
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-logs/*"]
    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:s3:::acme-site"]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = "acme-logs"
  policy = data.aws_iam_policy_document.tls_only.json
}

# SNS to SQS: Principal "*" with aws:SourceArn.
resource "aws_sqs_queue_policy" "from_sns" {
  queue_url = "https://sqs.eu-west-1.amazonaws.com/111122223333/events"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:111122223333:events"
      Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:sns:eu-west-1:111122223333:events" } }
    }]
  })
}

# A role trusted by one account and a service.
resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root", Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Lambda invoked by S3 from one bucket.
resource "aws_lambda_permission" "s3" {
  statement_id  = "s3"
  action        = "lambda:InvokeFunction"
  function_name = "worker"
  principal     = "s3.amazonaws.com"
  source_arn    = "arn:aws:s3:::acme-uploads"
}

resource "aws_lambda_permission" "any_from_org" {
  statement_id     = "org"
  action           = "lambda:InvokeFunction"
  function_name    = "worker"
  principal        = "*"
  principal_org_id = "o-abc123"
}

# GCP: named members only.
resource "google_storage_bucket_iam_member" "reader" {
  bucket = "acme-private"
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:app@acme-prod.iam.gserviceaccount.com"
}

data "google_iam_policy" "private" {
  binding {
    role    = "roles/pubsub.subscriber"
    members = ["group:readers@acme.example"]
  }
}

resource "google_pubsub_topic_iam_policy" "private" {
  topic       = "events"
  policy_data = data.google_iam_policy.private.policy_data
}
