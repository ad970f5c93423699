local m = interfaces.parse(text)
local s = m:get("eth1", "inet")
local options = {}
for _, o in ipairs(s.options) do
  if o.key == "address" then o.value = "192.168.11.1" end
  if o.key ~= "mtu" then options[#options + 1] = o end
end
options[#options + 1] = { key = "gateway", value = "192.168.11.254" }
table.insert(options, 4, { key = "up", value = "ip route add 10.97.0.0/16 via 192.168.10.254" })
assert(m:set("eth1", "inet", "static", options, true))
return m
