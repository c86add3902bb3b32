module "network" {
  source = "../../modules/net"
}
