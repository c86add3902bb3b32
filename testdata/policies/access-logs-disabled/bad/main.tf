# LOG003 access-logs-disabled: every entry point below does not log its requests.

# Flagged: no access_logs block.
resource "aws_lb" "web" {
  name = "web"
}

# Flagged: access_logs written, but `enabled` defaults to false.
resource "aws_alb" "half" {
  name = "half"
  access_logs {
    bucket = "lb-logs"
  }
}

# Flagged: a classic ELB with logging switched off.
resource "aws_elb" "classic" {
  name               = "classic"
  availability_zones = ["eu-west-1a"]
  access_logs {
    bucket  = "lb-logs"
    enabled = false
  }
  listener {
    instance_port     = 8000
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}

# Flagged: no logging_config.
resource "aws_cloudfront_distribution" "site" {
  enabled = true
}

# Flagged: REST and HTTP API stages without access_log_settings.
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "abc123"
  deployment_id = "def456"
  stage_name    = "prod"
}

resource "aws_apigatewayv2_stage" "http" {
  api_id = "abc123"
  name   = "prod"
}

# Flagged: log_config written with enable = false.
resource "google_compute_backend_service" "web" {
  name = "web"
  log_config {
    enable = false
  }
}

# Flagged: the gateway's diagnostic setting exports metrics and the firewall log, not the access log.
resource "azurerm_application_gateway" "web" {
  name                = "web"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_monitor_diagnostic_setting" "gateway" {
  name                       = "gateway"
  target_resource_id         = azurerm_application_gateway.web.id
  log_analytics_workspace_id = "/subscriptions/0000/workspaces/main"
  enabled_log {
    category = "ApplicationGatewayFirewallLog"
  }
  metric {
    category = "AllMetrics"
  }
}

# Flagged at low severity: a network load balancer logs only TLS listeners.
resource "aws_lb" "nlb" {
  name               = "nlb"
  load_balancer_type = "network"
}
