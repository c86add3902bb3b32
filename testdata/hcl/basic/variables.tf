variable "env" {
  type    = string
  default = "dev"
}

variable "egress_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "settings" {
  type = object({
    name      = string
    encrypted = optional(bool, true)
    size      = optional(number)
  })
  default = { name = "main" }
}

variable "count_from_nowhere" {
  type = number
}
