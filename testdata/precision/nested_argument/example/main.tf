# The password is written here, two module calls above the resource that uses it: this line is
# what a person changes, and it is reported once.
module "db" {
  source   = "../modules/db"
  password = "UberSecretPassword"
}
