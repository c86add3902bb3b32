# NET005 public-service-endpoint: near misses that must stay silent.

resource "aws_db_instance" "private" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
}

# Public endpoint limited to an office range.
resource "aws_eks_cluster" "limited" {
  name     = "limited"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids          = ["subnet-0a", "subnet-0b"]
    public_access_cidrs = ["203.0.113.0/24"]
  }
}

resource "aws_eks_cluster" "private" {
  name     = "private"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids              = ["subnet-0a", "subnet-0b"]
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}

resource "aws_lambda_function_url" "iam" {
  function_name      = "hook"
  authorization_type = "AWS_IAM"
}

resource "aws_opensearch_domain" "vpc" {
  domain_name = "vpc"
  vpc_options {
    subnet_ids = ["subnet-0a"]
  }
}

resource "google_container_cluster" "private" {
  name     = "private"
  location = "europe-west1"
  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = "172.16.0.0/28"
  }
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block = "10.0.0.0/8"
    }
  }
}

resource "google_sql_database_instance" "private" {
  name             = "private"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/acme/global/networks/main"
    }
  }
}

resource "azurerm_mssql_server" "private" {
  name                          = "acme-sql-private"
  resource_group_name           = "data"
  location                      = "westeurope"
  version                       = "12.0"
  public_network_access_enabled = false
}

# Public network access on, but the firewall denies by default.
resource "azurerm_storage_account" "locked" {
  name                     = "acmelocked"
  resource_group_name      = "data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  network_rules {
    default_action = "Deny"
    ip_rules       = ["203.0.113.10"]
  }
}

resource "azurerm_postgresql_flexible_server" "vnet" {
  name                = "acme-pg"
  resource_group_name = "data"
  location            = "westeurope"
  delegated_subnet_id = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/pg"
  private_dns_zone_id = "/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/privateDnsZones/pg"
}

resource "azurerm_kubernetes_cluster" "limited" {
  name                = "limited"
  resource_group_name = "k8s"
  location            = "westeurope"
  dns_prefix          = "limited"
  api_server_access_profile {
    authorized_ip_ranges = ["203.0.113.0/24"]
  }
  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2_v2"
  }
  identity {
    type = "SystemAssigned"
  }
}
