resource "aws_lb" "public" {
  for_each = toset(["api", "web"])

  name               = "lb-${each.key}"
  load_balancer_type = "application"
  internal           = false
}

resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge"
    sampled_requests_enabled   = true
  }
}

# Terraform allows for_each over a map of resource instances: each.value is the instance.
resource "aws_wafv2_web_acl_association" "public" {
  for_each = aws_lb.public

  resource_arn = each.value.arn
  web_acl_arn  = aws_wafv2_web_acl.edge.arn
}

# An attribute set in the configuration is known; one computed by the provider is unknown.
resource "aws_ssm_parameter" "lb" {
  for_each = aws_lb.public

  name  = "/lb/${each.value.name}"
  type  = "String"
  value = each.value.dns_name
}
