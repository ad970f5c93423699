local m = interfaces.parse(text)
assert(m:set("eth1.20", "inet", "dhcp", { { key = "vlan-raw-device", value = "eth1" } }, false))
local eth0 = m:get("eth0", "inet")
assert(m:set("eth0", "inet", "dhcp", eth0.options, false))
return m
