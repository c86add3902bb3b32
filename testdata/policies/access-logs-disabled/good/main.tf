# LOG003 access-logs-disabled: near misses that must stay silent.

resource "aws_lb" "web" {
  name = "web"
  access_logs {
    bucket  = "lb-logs"
    enabled = true
  }
}

# Gateway load balancers have no access logs.
resource "aws_lb" "gwlb" {
  name               = "gwlb"
  load_balancer_type = "gateway"
}

# Inside the block, a classic ELB's `enabled` defaults to true.
resource "aws_elb" "classic" {
  name               = "classic"
  availability_zones = ["eu-west-1a"]
  access_logs {
    bucket = "lb-logs"
  }
  listener {
    instance_port     = 8000
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}

resource "aws_cloudfront_distribution" "site" {
  enabled = true
  logging_config {
    bucket = "cf-logs.s3.amazonaws.com"
  }
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "abc123"
  deployment_id = "def456"
  stage_name    = "prod"
  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:api"
    format          = "$context.requestId"
  }
}

resource "google_compute_backend_service" "web" {
  name = "web"
  log_config {
    enable      = true
    sample_rate = 1
  }
}

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
    category_group = "allLogs"
  }
}

# A diagnostic setting of something else is not about access logs.
resource "azurerm_monitor_diagnostic_setting" "vault" {
  name                       = "vault"
  target_resource_id         = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/main"
  log_analytics_workspace_id = "/subscriptions/0000/workspaces/main"
  enabled_log {
    category = "AuditEvent"
  }
}
