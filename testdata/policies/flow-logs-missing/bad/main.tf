# LOG002 flow-logs-missing: every network below records no flow logs.

# Flagged: no aws_flow_log refers to this VPC.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# Flagged: the flow log records one subnet, not the VPC.
resource "aws_vpc" "subnet_only" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.subnet_only.id
  cidr_block = "10.1.1.0/24"
}

resource "aws_flow_log" "subnet" {
  subnet_id       = aws_subnet.a.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}

# Flagged: the flow logs cover the "prod" VPC only.
resource "aws_vpc" "envs" {
  for_each   = { prod = "10.2.0.0/16", dev = "10.3.0.0/16" }
  cidr_block = each.value
}

resource "aws_flow_log" "envs" {
  for_each        = toset(["prod"])
  vpc_id          = aws_vpc.envs[each.key].id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}

# Flagged: no log_config.
resource "google_compute_subnetwork" "app" {
  name          = "app"
  network       = "default"
  ip_cidr_range = "10.10.0.0/24"
  region        = "europe-west1"
}

# Flagged: no flow log, and one that is disabled.
resource "azurerm_network_security_group" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_security_group" "disabled" {
  name                = "disabled"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_watcher_flow_log" "disabled" {
  name                      = "disabled"
  network_watcher_name      = "nw"
  resource_group_name       = "rg"
  network_security_group_id = azurerm_network_security_group.disabled.id
  storage_account_id        = "/subscriptions/0000/storageAccounts/logs"
  enabled                   = false
  retention_policy {
    enabled = true
    days    = 90
  }
}
