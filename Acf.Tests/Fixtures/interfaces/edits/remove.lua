local m = interfaces.parse(text)
assert(m:remove("eth0", "inet"))
assert(m:remove("eth1", "inet6"))
assert(m:remove("gre1", "inet"))
assert(not m:remove("nothere", "inet"))
return m
