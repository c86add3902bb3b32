env          = "prod"
egress_cidrs = ["0.0.0.0/0"]
db_password  = "s3cr3t-Passw0rd"
