# Shared by the api and worker units: the address without its ref
locals {
  base_source_url = "git::git@github.com:acme/infrastructure-modules.git//service"
}
