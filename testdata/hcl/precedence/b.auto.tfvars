c = "b.auto"
d = "b.auto"
