variable "enabled" {
  default = "true"
}

variable "grant" {
  type    = any
  default = "[{\"type\":\"CanonicalUser\",\"permission\":\"READ\"}]"
}

variable "rules" {
  default = {
    "all-all" = [-1, -1, "-1", "All protocols"]
    "ssh-tcp" = [22, 22, "tcp", "SSH"]
  }
}

variable "egress_rules" {
  default = ["all-all"]
}

locals {
  # Duplicate keys: the last one wins (Go HCL accepts them).
  dup = { a = 1, b = 2, a = 3 }

  # A line break after an operator inside an object-for value.
  flags = { for k, v in var.rules : k => v[0] == -1 &&
    v[1] == -1 }

  grants = try(jsondecode(var.grant), var.grant)
  legacy = "${var.enabled == "true" ? 1 : 0}"
  ids    = concat(aws_security_group.this.*.id, [""])
  first  = element(concat(aws_security_group.this.*.name, [""]), 0)
  nets   = [for i in range(3) : cidrsubnet("10.0.0.0/16", 8, i)]
  hosts  = cidrhost("10.12.112.0/20", 16)
  mask   = cidrnetmask("172.16.0.0/12")
  subs   = cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)
  fmt    = format("%s-%03d-%.2f-%t", "x", 7, 3.14159, true)
  fl     = formatlist("%s=%s", ["a", "b"], ["1", "2"])
  js     = jsonencode({ b = [1, "two", null], a = "<&>" })
  zm     = zipmap(["a", "b"], [1, 2])
  prod   = setproduct(["a", "b"], ["x"])
  look   = lookup({ a = 1 }, "b", "dflt")
  coal   = coalesce("", null, "c")
  comp   = compact(["a", "", null, "b"])
  dist   = sort(distinct(["b", "a", "b"]))
  spl    = split(",", "a,b,,c")
  sub    = substr("hello world", 0, 5)
  rep    = replace("a-b-c", "/-(.)/", "_$1")
  up     = upper(trimspace("  x "))
  keysv  = keys({ z = 1, y = 2 })
  flat   = flatten([["a"], ["b", ["c"]]])
  legacy_list = flatten(list("a", list("b")))
  tmpl = <<-EOT
    %{~ for r in var.egress_rules ~}
    rule ${r}
    %{~ endfor ~}
    %{ if var.enabled == "true" }on%{ else }off%{ endif }
  EOT
  can_x  = can(var.rules["nope"])
  sens   = sensitive("hidden")
  impure = timestamp()
}

resource "aws_security_group" "this" {
  count = "${var.enabled == "true" ? 1 : 0}"
  name  = "sg"
}

resource "aws_security_group_rule" "egress" {
  count       = length(var.egress_rules)
  type        = "egress"
  from_port   = var.rules[var.egress_rules[count.index]][0]
  protocol    = var.rules[var.egress_rules[count.index]][2]
  cidr_blocks = compact(split(",", lookup({}, "cidr_blocks", join(",", ["0.0.0.0/0"]))))
  security_group_id = local.ids[0]
}

output "all" {
  value = {
    dup = local.dup, flags = local.flags, grants = local.grants, legacy = local.legacy,
    first = local.first, nets = local.nets, hosts = local.hosts, mask = local.mask, subs = local.subs,
    fmt = local.fmt, fl = local.fl, js = local.js, zm = local.zm, prod = local.prod, look = local.look,
    coal = local.coal, comp = local.comp, dist = local.dist, spl = local.spl, sub = local.sub,
    rep = local.rep, up = local.up, keysv = local.keysv, flat = local.flat, legacy_list = local.legacy_list,
    tmpl = local.tmpl, can_x = local.can_x, sens = local.sens, impure = local.impure,
  }
}
