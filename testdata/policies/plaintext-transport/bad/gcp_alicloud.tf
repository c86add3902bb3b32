# ENC002 shapes added for issue 15 (GCP, Alibaba Cloud).

# Flagged: unencrypted connections allowed explicitly.
resource "google_sql_database_instance" "explicit" {
  name             = "explicit"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-1-3840"
    ip_configuration {
      ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
    }
  }
}

# Flagged: the pre-6.0 spelling.
resource "google_sql_database_instance" "legacy" {
  name             = "legacy"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-f1-micro"
    ip_configuration {
      require_ssl = false
    }
  }
}

# Flagged (medium): no ssl_mode, so the API default allows unencrypted connections.
resource "google_sql_database_instance" "default" {
  name             = "default"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-1-3840"
  }
}

# Flagged: SSL closed explicitly; and (medium) not opened.
resource "alicloud_db_instance" "closed" {
  engine           = "MySQL"
  engine_version   = "8.0"
  instance_type    = "rds.mysql.s2.large"
  instance_storage = 30
  ssl_action       = "Close"
}

resource "alicloud_db_instance" "default" {
  engine           = "PostgreSQL"
  engine_version   = "16.0"
  instance_type    = "pg.n2.2c.1m"
  instance_storage = 30
}
