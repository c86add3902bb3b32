# A real cycle: output `value` depends on argument `value`, which reads output `value`.
# Terraform rejects this configuration ("Error: Cycle").
module "loop" {
  source = "./modules/echo"
  value  = module.loop.value
}
