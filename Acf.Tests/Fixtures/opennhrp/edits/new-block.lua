local m = opennhrpconf.parse(text)
assert(m:set("gre2", { map = { "10.254.0.1/16 198.51.100.1 register" }, ["holding-time"] = "600", shortcut = true, redirect = true }))
return m
