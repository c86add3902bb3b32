# ENC002 shapes added for issue 15 (AWS).

# Flagged (medium): no domain_endpoint_options, so HTTPS is not enforced and TLS 1.0 is accepted.
resource "aws_elasticsearch_domain" "legacy" {
  domain_name = "legacy"

  node_to_node_encryption {
    enabled = true
  }
}

# Flagged: the classic load balancer serves plain HTTP to clients.
resource "aws_elb" "web" {
  name               = "web"
  availability_zones = ["eu-west-1a"]

  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}

# Flagged: a PostgreSQL parameter group that turns rds.force_ssl off.
resource "aws_db_parameter_group" "pg_off" {
  name   = "pg-off"
  family = "postgres16"

  parameter {
    name  = "rds.force_ssl"
    value = "0"
  }
}

# Flagged (medium): MySQL defaults to require_secure_transport = OFF and the instance uses the group.
resource "aws_db_parameter_group" "mysql" {
  name   = "app-mysql"
  family = "mysql8.0"

  parameter {
    name  = "max_connections"
    value = "200"
  }
}

resource "aws_db_instance" "mysql" {
  engine               = "mysql"
  instance_class       = "db.t3.micro"
  allocated_storage    = 20
  parameter_group_name = aws_db_parameter_group.mysql.name
}

# Flagged: DocumentDB with TLS turned off.
resource "aws_docdb_cluster_parameter_group" "no_tls" {
  name   = "no-tls"
  family = "docdb5.0"

  parameter {
    name  = "tls"
    value = "disabled"
  }
}
