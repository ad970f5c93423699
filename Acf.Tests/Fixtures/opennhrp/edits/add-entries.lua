local m = opennhrpconf.parse(text)
local item = m:get("gre1") and m:list()[1]
table.insert(item.map, "10.255.0.2/16 203.0.113.2 register")
item.redirect = true
item["route-table"] = "220"
assert(m:set("gre1", item))
return m
