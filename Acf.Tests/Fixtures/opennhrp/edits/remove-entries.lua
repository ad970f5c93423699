local m = opennhrpconf.parse(text)
local item = m:list()[1]
item["non-caching"] = false
item.multicast = {}
item["cisco-authentication"] = nil
assert(m:set("gre1", item))
return m
