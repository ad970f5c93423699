local m = opennhrpconf.parse(text)
local item = m:list()[1]
item.redirect = true
assert(m:set("gre1", item))
return m
