b = "a.auto"
c = "a.auto"
d = "a.auto"
