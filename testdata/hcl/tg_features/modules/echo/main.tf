variable "label" {
  type    = string
  default = "module-default"
}
variable "tags" {
  type    = any
  default = {}
}
variable "names" {
  type    = list(string)
  default = []
}
variable "extra" {
  type    = any
  default = null
}

resource "terraform_data" "echo" {
  input = {
    label = var.label
    tags  = var.tags
    names = var.names
    extra = var.extra
  }
}

variable "info" {
  type    = map(string)
  default = {}
}
variable "cmd" {
  type    = string
  default = "cmd-default"
}
variable "sops" {
  type    = string
  default = "sops-default"
}

output "echo" {
  value = { info = var.info, cmd = var.cmd }
}

output "secret" {
  value     = var.sops
  sensitive = true
}
