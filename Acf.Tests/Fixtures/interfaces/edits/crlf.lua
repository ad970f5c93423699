local m = interfaces.parse(text)
assert(m:set("eth0", "inet", "static", { { key = "address", value = "10.0.0.3" }, { key = "netmask", value = "255.0.0.0" },
  { key = "gateway", value = "10.0.0.1" }, { key = "mtu", value = "9000" } }, true))
assert(m:set("eth0", "inet6", "static", { { key = "address", value = "fd00::2/64" } }, true))
return m
