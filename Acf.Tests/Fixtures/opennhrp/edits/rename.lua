local m = opennhrpconf.parse(text)
assert(m:rename("gre1", "gre9"))
return m
