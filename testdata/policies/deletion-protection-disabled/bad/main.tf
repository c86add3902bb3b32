# DEL002 deletion-protection-disabled: every resource below can be deleted with its data in one
# step.

# Flagged twice: deletion_protection defaults to false, and no final snapshot is taken.
resource "aws_db_instance" "main" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  storage_encrypted   = true
  skip_final_snapshot = true
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  hash_key                    = "id"
  billing_mode                = "PAY_PER_REQUEST"
  deletion_protection_enabled = false

  attribute {
    name = "id"
    type = "S"
  }
}

# Flagged (low): a load balancer holds no data, but its DNS name changes on recreate.
resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
}

# Flagged: google defaults deletion_protection to true; this turns it off.
resource "google_sql_database_instance" "main" {
  name                = "main"
  database_version    = "POSTGRES_15"
  region              = "europe-west1"
  deletion_protection = false

  settings {
    tier = "db-f1-micro"
  }
}

# Flagged: force_destroy deletes every object with the bucket.
resource "aws_s3_bucket" "scratch" {
  bucket        = "acme-scratch"
  force_destroy = true
}

resource "google_storage_bucket" "scratch" {
  name          = "acme-scratch"
  location      = "EU"
  force_destroy = true
}
