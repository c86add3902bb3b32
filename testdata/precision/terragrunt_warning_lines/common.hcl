locals {
  region = "eu-west-1"
}

# Not a function either: the attribute is left unknown, with a warning at this line.
download_dir = no_such_function("x")
