local m = opennhrpconf.parse(text)
local item = m:list()[1]
item.shortcut = true
assert(m:set("gre1", item))
return m
