# LOG002 flow-logs-missing: near misses that must stay silent.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "main" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}

# for_each over the VPCs themselves.
resource "aws_vpc" "envs" {
  for_each   = { prod = "10.2.0.0/16", dev = "10.3.0.0/16" }
  cidr_block = each.value
}

resource "aws_flow_log" "envs" {
  for_each        = aws_vpc.envs
  vpc_id          = each.value.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}

# count, referring by index.
resource "aws_vpc" "counted" {
  count      = 2
  cidr_block = "10.${count.index + 4}.0.0/16"
}

resource "aws_flow_log" "counted" {
  count           = 2
  vpc_id          = aws_vpc.counted[count.index].id
  traffic_type    = "REJECT"
  log_destination = "arn:aws:s3:::flow-logs"
}

resource "google_compute_subnetwork" "app" {
  name          = "app"
  network       = "default"
  ip_cidr_range = "10.10.0.0/24"
  region        = "europe-west1"
  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
  }
}

# A proxy-only subnet cannot log flows.
resource "google_compute_subnetwork" "proxy" {
  name          = "proxy"
  network       = "default"
  ip_cidr_range = "10.11.0.0/24"
  region        = "europe-west1"
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
}

resource "azurerm_network_security_group" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_watcher_flow_log" "web" {
  name                 = "web"
  network_watcher_name = "nw"
  resource_group_name  = "rg"
  target_resource_id   = azurerm_network_security_group.web.id
  storage_account_id   = "/subscriptions/0000/storageAccounts/logs"
  enabled              = true
  retention_policy {
    enabled = true
    days    = 90
  }
}
