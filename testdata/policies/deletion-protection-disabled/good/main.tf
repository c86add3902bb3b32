# DEL002 deletion-protection-disabled: near misses that must stay silent.

resource "aws_db_instance" "main" {
  engine                    = "postgres"
  instance_class            = "db.t3.micro"
  allocated_storage         = 20
  storage_encrypted         = true
  deletion_protection       = true
  final_snapshot_identifier = "main-final"
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  hash_key                    = "id"
  billing_mode                = "PAY_PER_REQUEST"
  deletion_protection_enabled = true

  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_lb" "web" {
  name                       = "web"
  load_balancer_type         = "application"
  enable_deletion_protection = true
}

# Google's default is protected.
resource "google_sql_database_instance" "main" {
  name             = "main"
  database_version = "POSTGRES_15"
  region           = "europe-west1"

  settings {
    tier = "db-f1-micro"
  }
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
