# ENC002 shapes added for issue 15 (Azure).

# Flagged: https_only not set (defaults to false), TLS 1.0 minimum, plain FTP allowed (medium).
resource "azurerm_linux_web_app" "app" {
  name                = "app"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  site_config {
    minimum_tls_version = "1.0"
    ftps_state          = "AllAllowed"
  }
}

# Flagged: https_only = false on a function app.
resource "azurerm_windows_function_app" "fn" {
  name                       = "fn"
  location                   = "westeurope"
  resource_group_name        = "rg"
  service_plan_id            = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = "fnstorage"
  storage_account_access_key = var.storage_key
  https_only                 = false

  site_config {}
}

variable "storage_key" {
  type      = string
  sensitive = true
  default   = "not-a-real-key"
}

# Flagged: the legacy app service with TLS 1.1 (https_only set).
resource "azurerm_app_service" "legacy" {
  name                = "legacy"
  location            = "westeurope"
  resource_group_name = "rg"
  app_service_plan_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  https_only          = true

  site_config {
    min_tls_version = "1.1"
  }
}

resource "azurerm_public_ip" "gw" {
  name                = "gw"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
}

# Flagged: an Http listener on the public frontend that forwards to the backend; and TLS 1.0.
resource "azurerm_application_gateway" "gw" {
  name                = "gw"
  location            = "westeurope"
  resource_group_name = "rg"

  sku {
    name     = "Standard_v2"
    tier     = "Standard_v2"
    capacity = 2
  }

  gateway_ip_configuration {
    name      = "ip"
    subnet_id = "/subscriptions/x/subnets/gw"
  }

  frontend_port {
    name = "http"
    port = 80
  }

  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = azurerm_public_ip.gw.id
  }

  backend_address_pool {
    name = "pool"
  }

  backend_http_settings {
    name                  = "settings"
    cookie_based_affinity = "Disabled"
    port                  = 80
    protocol              = "Http"
    request_timeout       = 30
  }

  http_listener {
    name                           = "plain"
    frontend_ip_configuration_name = "public"
    frontend_port_name             = "http"
    protocol                       = "Http"
  }

  request_routing_rule {
    name                       = "plain"
    priority                   = 10
    rule_type                  = "Basic"
    http_listener_name         = "plain"
    backend_address_pool_name  = "pool"
    backend_http_settings_name = "settings"
  }

  ssl_policy {
    policy_type          = "Custom"
    min_protocol_version = "TLSv1_0"
    cipher_suites        = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
  }
}

# Flagged: secure transfer off and TLS 1.0 allowed.
resource "azurerm_storage_account" "data" {
  name                       = "acmedata"
  resource_group_name        = "rg"
  location                   = "westeurope"
  account_tier               = "Standard"
  account_replication_type   = "LRS"
  https_traffic_only_enabled = false
  min_tls_version            = "TLS1_0"
}

# Flagged: the azurerm 3.x spelling.
resource "azurerm_storage_account" "legacy" {
  name                      = "acmelegacy"
  resource_group_name       = "rg"
  location                  = "westeurope"
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  enable_https_traffic_only = false
}

# Flagged: no TLS minimum at all.
resource "azurerm_mssql_server" "sql" {
  name                         = "sql"
  resource_group_name          = "rg"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = var.storage_key
  minimum_tls_version          = "Disabled"
}

# Flagged: SSL enforcement off; TLS 1.1 minimum.
resource "azurerm_postgresql_server" "pg" {
  name                             = "pg"
  location                         = "westeurope"
  resource_group_name              = "rg"
  sku_name                         = "GP_Gen5_2"
  version                          = "11"
  ssl_enforcement_enabled          = false
  ssl_minimal_tls_version_enforced = "TLSEnforcementDisabled"
}

resource "azurerm_mysql_server" "mysql" {
  name                             = "mysql"
  location                         = "westeurope"
  resource_group_name              = "rg"
  sku_name                         = "GP_Gen5_2"
  version                          = "8.0"
  ssl_enforcement_enabled          = true
  ssl_minimal_tls_version_enforced = "TLS1_1"
}

# Flagged: the flexible server parameter that turns TLS off.
resource "azurerm_postgresql_flexible_server_configuration" "no_tls" {
  name      = "require_secure_transport"
  server_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg"
  value     = "off"
}

resource "azurerm_mysql_flexible_server_configuration" "old_tls" {
  name                = "tls_version"
  resource_group_name = "rg"
  server_name         = "mysql"
  value               = "TLSv1.1,TLSv1.2"
}

# Flagged: the non-TLS port is open and TLS 1.0 is allowed.
resource "azurerm_redis_cache" "cache" {
  name                 = "cache"
  location             = "westeurope"
  resource_group_name  = "rg"
  capacity             = 1
  family               = "C"
  sku_name             = "Standard"
  non_ssl_port_enabled = true
  minimum_tls_version  = "1.0"
}
