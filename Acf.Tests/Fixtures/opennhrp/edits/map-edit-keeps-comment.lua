local m = opennhrpconf.parse(text)
local item = m:list()[1]
item.map = { "10.255.0.2/16 203.0.113.22 register cisco", "10.255.0.3 203.0.113.3" }
assert(m:set("gre1", item))
return m
