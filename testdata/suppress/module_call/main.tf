# guard:ignore NET001 -- the edge module is public by design
module "edge" {
  source = "./modules/sg"
}

module "internal" {
  source = "./modules/sg"
}
