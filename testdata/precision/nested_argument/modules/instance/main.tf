variable "password" {
  type = string
}

resource "aws_db_instance" "this" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "app"
  password          = var.password
}
