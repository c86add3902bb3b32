# The ref is set here, on the address an include exposes: low (a tag), shown at this line
include "common" {
  path   = "../common.hcl"
  expose = true
}

terraform {
  source = "${include.common.locals.base_source_url}?ref=v2.3.0"
}
