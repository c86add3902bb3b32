# NET004 waf-missing: near misses that must stay silent.

# An internal load balancer is not reachable from the internet.
resource "aws_lb" "internal" {
  name     = "internal"
  internal = true
}

# A network load balancer cannot have a WAF.
resource "aws_lb" "nlb" {
  name               = "nlb"
  load_balancer_type = "network"
}

# Associated through a reference, per for_each key.
resource "aws_lb" "per_team" {
  for_each = toset(["api", "admin"])
  name     = each.key
}

resource "aws_wafv2_web_acl" "main" {
  name  = "main"
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "main"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "per_team" {
  for_each     = aws_lb.per_team
  resource_arn = each.value.arn
  web_acl_arn  = aws_wafv2_web_acl.main.arn
}

# Associated with the plain reference.
resource "aws_alb" "single" {
  name = "single"
}

resource "aws_wafv2_web_acl_association" "single" {
  resource_arn = aws_alb.single.arn
  web_acl_arn  = aws_wafv2_web_acl.main.arn
}

# A private REST API is reached only through VPC endpoints.
resource "aws_api_gateway_rest_api" "private" {
  name = "private"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_stage" "private" {
  rest_api_id   = aws_api_gateway_rest_api.private.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

# A public stage with an association.
resource "aws_api_gateway_rest_api" "public" {
  name = "public"
}

resource "aws_api_gateway_stage" "public" {
  rest_api_id   = aws_api_gateway_rest_api.public.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

resource "aws_wafv2_web_acl_association" "stage" {
  resource_arn = aws_api_gateway_stage.public.arn
  web_acl_arn  = aws_wafv2_web_acl.main.arn
}

# HTTP APIs cannot have a WAF.
resource "aws_apigatewayv2_stage" "http" {
  api_id = "abc"
  name   = "prod"
}

# web_acl_id refers to a WAF created with it.
resource "aws_cloudfront_distribution" "site" {
  enabled    = true
  web_acl_id = aws_wafv2_web_acl.main.arn
}

# Internal backend services are not internet-facing; the external one has Cloud Armor.
resource "google_compute_backend_service" "internal" {
  name                  = "internal"
  load_balancing_scheme = "INTERNAL_MANAGED"
}

resource "google_compute_region_backend_service" "internal" {
  name   = "internal"
  region = "europe-west1"
}

resource "google_compute_security_policy" "armor" {
  name = "armor"
}

resource "google_compute_backend_service" "web" {
  name            = "web"
  security_policy = google_compute_security_policy.armor.id
}

# WAF_v2 gateway with a firewall policy; a private gateway.
resource "azurerm_application_gateway" "waf" {
  name                = "waf"
  resource_group_name = "rg"
  location            = "westeurope"
  firewall_policy_id  = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/applicationGatewayWebApplicationFirewallPolicies/main"
  sku {
    name = "WAF_v2"
    tier = "WAF_v2"
  }
  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/waf"
  }
}

resource "azurerm_application_gateway" "legacy_waf" {
  name                = "legacy"
  resource_group_name = "rg"
  location            = "westeurope"
  sku {
    name = "WAF_Medium"
    tier = "WAF"
  }
  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/legacy"
  }
  waf_configuration {
    enabled          = true
    firewall_mode    = "Prevention"
    rule_set_version = "3.2"
  }
}

resource "azurerm_application_gateway" "private" {
  name                = "private"
  resource_group_name = "rg"
  location            = "westeurope"
  sku {
    name = "Standard_v2"
    tier = "Standard_v2"
  }
  frontend_ip_configuration {
    name                          = "private"
    subnet_id                     = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.0.10"
  }
}

resource "azurerm_frontdoor" "web" {
  name                = "web"
  resource_group_name = "rg"
  frontend_endpoint {
    name                                    = "web"
    host_name                               = "web.azurefd.net"
    web_application_firewall_policy_link_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/main"
  }
}

resource "azurerm_cdn_frontdoor_profile" "web" {
  name                = "web"
  resource_group_name = "rg"
  sku_name            = "Premium_AzureFrontDoor"
}

resource "azurerm_cdn_frontdoor_security_policy" "web" {
  name                     = "web"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.web.id
  security_policies {
    firewall {
      cdn_frontdoor_firewall_policy_id = "/subscriptions/0000/fp"
      association {
        patterns_to_match = ["/*"]
        domain {
          cdn_frontdoor_domain_id = "/subscriptions/0000/domain"
        }
      }
    }
  }
}
