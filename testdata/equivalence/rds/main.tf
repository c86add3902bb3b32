# deletion_protection is not set (the provider default is false).
resource "aws_db_instance" "db" {
  identifier                  = "app"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t3.micro"
  allocated_storage           = 20
  username                    = "app"
  manage_master_user_password = true
  storage_encrypted           = true
  kms_key_id                  = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  publicly_accessible         = false
  skip_final_snapshot         = true
}
