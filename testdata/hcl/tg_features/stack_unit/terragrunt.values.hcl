# What `terragrunt stack generate` writes for a `unit` block's `values`.
label = "from-values"
names = ["v1", "v2"]
