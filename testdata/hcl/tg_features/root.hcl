locals {
  owner = "platform"
}

inputs = {
  label = "from-root"
  tags  = { Owner = local.owner, Layer = { tier = "root", keep = true } }
  names = ["root-a"]
}
