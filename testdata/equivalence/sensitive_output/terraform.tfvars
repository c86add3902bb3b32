db_password = "Pw7-kq2Lm9xZr4vT"
