local m = interfaces.parse(text)
assert(m:set("eth1", "inet", "static", { { key = "address", value = "192.168.1.1/24" },
  { key = "up", value = "ip link set eth1 promisc on" } }, true))
assert(m:set("eth1", "inet6", "auto", {}, true))
return m
