# ENC002 near misses for the shapes added for issue 15 (AWS).

# HTTPS enforced with a TLS 1.2 policy.
resource "aws_elasticsearch_domain" "legacy" {
  domain_name = "legacy"

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }

  node_to_node_encryption {
    enabled = true
  }
}

# HTTPS to clients; a TCP listener may carry any protocol and is not read as plain HTTP.
resource "aws_elb" "web" {
  name               = "web"
  availability_zones = ["eu-west-1a"]

  listener {
    instance_port      = 8080
    instance_protocol  = "http"
    lb_port            = 443
    lb_protocol        = "https"
    ssl_certificate_id = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
  }

  listener {
    instance_port     = 5432
    instance_protocol = "tcp"
    lb_port           = 5432
    lb_protocol       = "tcp"
  }
}

# PostgreSQL 15 and later force SSL by default.
resource "aws_db_parameter_group" "pg16" {
  name   = "pg16"
  family = "postgres16"
}

resource "aws_db_instance" "pg" {
  engine               = "postgres"
  instance_class       = "db.t3.micro"
  allocated_storage    = 20
  parameter_group_name = aws_db_parameter_group.pg16.name
}

# MySQL with secure transport required.
resource "aws_db_parameter_group" "mysql" {
  name   = "app-mysql"
  family = "mysql8.0"

  parameter {
    name  = "require_secure_transport"
    value = "ON"
  }
}

resource "aws_db_instance" "mysql" {
  engine               = "mysql"
  instance_class       = "db.t3.micro"
  allocated_storage    = 20
  parameter_group_name = aws_db_parameter_group.mysql.name
}

# An unset parameter in a group no instance of this input uses: guard cannot tell where it applies.
resource "aws_rds_cluster_parameter_group" "unused" {
  name   = "unused"
  family = "aurora-mysql8.0"
}

# DocumentDB requires TLS by default; `tls1.2+` keeps it on.
resource "aws_docdb_cluster_parameter_group" "tls" {
  name   = "tls"
  family = "docdb5.0"

  parameter {
    name  = "tls"
    value = "tls1.2+"
  }
}

resource "aws_docdb_cluster_parameter_group" "default" {
  name   = "default-tls"
  family = "docdb5.0"
}
