# NET005 public-service-endpoint: every service below is reachable from the internet.

# Flagged (high): a public database.
resource "aws_db_instance" "main" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  publicly_accessible = true
}

# Flagged (high): the default public_access_cidrs is 0.0.0.0/0 and the endpoint is public by default.
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = ["subnet-0a", "subnet-0b"]
  }
}

# Flagged (high): a function url without authentication.
resource "aws_lambda_function_url" "hook" {
  function_name      = "hook"
  authorization_type = "NONE"
}

# Flagged (medium): a search domain outside a VPC.
resource "aws_opensearch_domain" "logs" {
  domain_name = "logs"
}

# Flagged (high, medium): no authorized networks and public nodes.
resource "google_container_cluster" "main" {
  name     = "main"
  location = "europe-west1"
}

# Flagged (high): Cloud SQL open to everyone on its public IP (ipv4_enabled defaults to true).
resource "google_sql_database_instance" "main" {
  name             = "main"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      authorized_networks {
        name  = "everyone"
        value = "0.0.0.0/0"
      }
    }
  }
}

# Flagged (medium): public network access by the azurerm default, and explicitly.
resource "azurerm_mssql_server" "main" {
  name                = "acme-sql"
  resource_group_name = "data"
  location            = "westeurope"
  version             = "12.0"
}

resource "azurerm_key_vault" "main" {
  name                          = "acme-kv"
  resource_group_name           = "data"
  location                      = "westeurope"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  public_network_access_enabled = true
}

# Flagged (high): an AKS API server neither private nor limited.
resource "azurerm_kubernetes_cluster" "main" {
  name                = "main"
  resource_group_name = "k8s"
  location            = "westeurope"
  dns_prefix          = "main"
  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2_v2"
  }
  identity {
    type = "SystemAssigned"
  }
}
