local m = interfaces.parse(text)
local s = m:get("eth0", "inet")
local options = {}
for _, o in ipairs(s.options) do
  if o.key == "address" then o.value = "10.1.1.2" end
  if o.key ~= "gateway" then options[#options + 1] = o end
end
options[#options + 1] = { key = "mtu", value = "1492" }
assert(m:set("eth0", "inet", "static", options, true))
return m
