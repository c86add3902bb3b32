db_password = "change-me-please"
