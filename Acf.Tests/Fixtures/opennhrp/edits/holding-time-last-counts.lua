local m = opennhrpconf.parse(text)
local item = m:list()[1]
item["holding-time"] = "1800"
assert(m:set("gre1", item))
return m
