# NET004 waf-missing: every entry point below faces the internet with no web application firewall.

# Flagged: an application load balancer is internet-facing by default.
resource "aws_lb" "public" {
  name    = "web"
  subnets = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

# Flagged: the association protects only the "api" instance, not "admin".
resource "aws_lb" "per_team" {
  for_each           = toset(["api", "admin"])
  name               = each.key
  load_balancer_type = "application"
  internal           = false
}

resource "aws_wafv2_web_acl_association" "per_team" {
  for_each     = toset(["api"])
  resource_arn = aws_lb.per_team[each.key].arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/main/abcd"
}

# Flagged: a public REST API stage with no association.
resource "aws_api_gateway_rest_api" "public" {
  name = "public"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.public.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

# Flagged: no web_acl_id.
resource "aws_cloudfront_distribution" "site" {
  enabled = true
  origin {
    domain_name = "example.s3.amazonaws.com"
    origin_id   = "s3"
  }
  default_cache_behavior {
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    target_origin_id       = "s3"
    viewer_protocol_policy = "redirect-to-https"
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

# Flagged: the global backend service is EXTERNAL by default, and has no Cloud Armor policy.
resource "google_compute_backend_service" "web" {
  name = "web"
}

# Flagged: a public application gateway on the Standard_v2 tier.
resource "azurerm_application_gateway" "web" {
  name                = "web"
  resource_group_name = "rg"
  location            = "westeurope"
  sku {
    name = "Standard_v2"
    tier = "Standard_v2"
  }
  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/web"
  }
}

# Flagged: a classic Front Door endpoint without a WAF policy link.
resource "azurerm_frontdoor" "web" {
  name                = "web"
  resource_group_name = "rg"
  frontend_endpoint {
    name      = "web"
    host_name = "web.azurefd.net"
  }
}

# Flagged: a Front Door (Standard/Premium) profile with no security policy.
resource "azurerm_cdn_frontdoor_profile" "web" {
  name                = "web"
  resource_group_name = "rg"
  sku_name            = "Standard_AzureFrontDoor"
}

# Flagged: the WAF_v2 tier with neither a firewall policy nor a WAF configuration.
resource "azurerm_application_gateway" "waf_tier_unconfigured" {
  name                = "unconfigured"
  resource_group_name = "rg"
  location            = "westeurope"
  sku {
    name = "WAF_v2"
    tier = "WAF_v2"
  }
  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/unconfigured"
  }
}
