local m = opennhrpconf.parse(text)
assert(m:remove("gre1"))
return m
