variable "password" {
  type    = string
  default = null
}

variable "manage_master_user_password" {
  type    = bool
  default = false
}

module "instance" {
  source   = "../instance"
  password = var.manage_master_user_password ? null : var.password
}
