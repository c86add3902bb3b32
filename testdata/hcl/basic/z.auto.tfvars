env = "prod-auto"
