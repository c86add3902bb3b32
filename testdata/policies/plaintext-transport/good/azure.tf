# ENC002 near misses for the shapes added for issue 15 (Azure).

resource "azurerm_linux_web_app" "app" {
  name                = "app"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  https_only          = true

  # TLS minimum and FTP state default to 1.2 and Disabled; FTPS only is not plain FTP.
  site_config {
    ftps_state = "FtpsOnly"
  }
}

resource "azurerm_linux_function_app" "fn" {
  name                       = "fn"
  location                   = "westeurope"
  resource_group_name        = "rg"
  service_plan_id            = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = "fnstorage"
  storage_account_access_key = "not-a-real-key"
  https_only                 = true

  site_config {
    minimum_tls_version = "1.2"
  }
}

resource "azurerm_public_ip" "gw" {
  name                = "gw"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
}

# The public Http listener only redirects to the Https listener; an Http listener on the
# private frontend stays inside the network.
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

  frontend_port {
    name = "https"
    port = 443
  }

  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = azurerm_public_ip.gw.id
  }

  frontend_ip_configuration {
    name                          = "private"
    subnet_id                     = "/subscriptions/x/subnets/gw"
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.10"
  }

  backend_address_pool {
    name = "pool"
  }

  backend_http_settings {
    name                  = "settings"
    cookie_based_affinity = "Disabled"
    port                  = 443
    protocol              = "Https"
    request_timeout       = 30
  }

  ssl_certificate {
    name                = "cert"
    key_vault_secret_id = "https://vault.vault.azure.net/secrets/cert"
  }

  http_listener {
    name                           = "plain"
    frontend_ip_configuration_name = "public"
    frontend_port_name             = "http"
    protocol                       = "Http"
  }

  http_listener {
    name                           = "secure"
    frontend_ip_configuration_name = "public"
    frontend_port_name             = "https"
    protocol                       = "Https"
    ssl_certificate_name           = "cert"
  }

  http_listener {
    name                           = "internal"
    frontend_ip_configuration_name = "private"
    frontend_port_name             = "http"
    protocol                       = "Http"
  }

  redirect_configuration {
    name                 = "to-https"
    redirect_type        = "Permanent"
    target_listener_name = "secure"
  }

  request_routing_rule {
    name                        = "redirect"
    priority                    = 10
    rule_type                   = "Basic"
    http_listener_name          = "plain"
    redirect_configuration_name = "to-https"
  }

  request_routing_rule {
    name                       = "secure"
    priority                   = 20
    rule_type                  = "Basic"
    http_listener_name         = "secure"
    backend_address_pool_name  = "pool"
    backend_http_settings_name = "settings"
  }

  ssl_policy {
    policy_type = "Predefined"
    policy_name = "AppGwSslPolicy20220101S"
  }
}

# Defaults: secure transfer on, TLS 1.2.
resource "azurerm_storage_account" "data" {
  name                     = "acmedata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_mssql_server" "sql" {
  name                         = "sql"
  resource_group_name          = "rg"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = "not-a-real-password"
}

resource "azurerm_postgresql_server" "pg" {
  name                    = "pg"
  location                = "westeurope"
  resource_group_name     = "rg"
  sku_name                = "GP_Gen5_2"
  version                 = "11"
  ssl_enforcement_enabled = true
}

resource "azurerm_postgresql_flexible_server_configuration" "tls" {
  name      = "require_secure_transport"
  server_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg"
  value     = "on"
}

resource "azurerm_mysql_flexible_server_configuration" "tls" {
  name                = "tls_version"
  resource_group_name = "rg"
  server_name         = "mysql"
  value               = "TLSv1.2,TLSv1.3"
}

resource "azurerm_redis_cache" "cache" {
  name                = "cache"
  location            = "westeurope"
  resource_group_name = "rg"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
}
