-- awallrouter: the router wizard's policy (zones WAN and LAN, LAN masqueraded to WAN, Acf and ssh from the LAN,
-- port forwards from WAN).
local M = {}

local json = acf.json

-- opts: wan, lan (interfaces), port (Acf's port), admin (the admin's address when it is outside the LAN, or nil),
-- ssh (boolean), forwards ({ service=, to_addr=, to_port= }, where service is a name or tcp/PORT or udp/PORT).
function M.router(opts)
  local doc = json.object()
  json.set(doc, "description", "Router: LAN to the Internet through WAN, written by Acf's router wizard")
  local services = json.object()
  local acf_service = json.object({ "proto", "port" })
  acf_service.proto, acf_service.port = "tcp", opts.port
  json.set(services, "acf", acf_service)
  local function forward_service(spec)
    local proto, port = spec:match("^(%a+)/(%d+)$")
    if not proto then return spec end
    local name = proto .. "-" .. port
    local def = json.object({ "proto", "port" })
    def.proto, def.port = proto, math.tointeger(tonumber(port))
    json.set(services, name, def)
    return name
  end
  local zone = json.object({ "WAN", "LAN" })
  zone.WAN = json.object({ "iface" })
  zone.WAN.iface = opts.wan
  zone.LAN = json.object({ "iface" })
  zone.LAN.iface = opts.lan
  local function obj(keys, values)
    local o = json.object(keys)
    for k, v in pairs(values) do o[k] = v end
    return o
  end
  local policy = {
    obj({ "in", "action" }, { ["in"] = "_fw", action = "accept" }),
    obj({ "in", "out", "action" }, { ["in"] = "LAN", out = "WAN", action = "accept" }),
    obj({ "action" }, { action = "drop" }),
  }
  local from_lan = { "acf" }
  if opts.ssh then from_lan[#from_lan + 1] = "ssh" end
  local filter = {
    obj({ "in", "out", "service", "action" }, { ["in"] = "LAN", out = "_fw", service = #from_lan == 1 and "acf" or from_lan, action = "accept" }),
  }
  if opts.admin then
    filter[#filter + 1] = obj({ "in", "out", "src", "service", "action" },
      { ["in"] = "WAN", out = "_fw", src = opts.admin, service = "acf", action = "accept" })
  end
  local dnat = {}
  for _, f in ipairs(opts.forwards or {}) do
    local service = forward_service(f.service)
    local entry = obj({ "in", "service", "to-addr" }, { ["in"] = "WAN", service = service, ["to-addr"] = f.to_addr })
    if f.to_port then json.set(entry, "to-port", math.tointeger(tonumber(f.to_port)) or f.to_port) end
    dnat[#dnat + 1] = entry
    -- The forwarded connection must also pass the forward chain, to the port it reaches after the translation.
    local inner = service
    if f.to_port then inner = forward_service((f.service:match("^(%a+)/") or "tcp") .. "/" .. f.to_port) end
    filter[#filter + 1] = obj({ "in", "out", "dest", "service", "action" },
      { ["in"] = "WAN", out = "LAN", dest = f.to_addr, service = inner, action = "accept" })
  end
  json.set(doc, "service", services)
  json.set(doc, "zone", zone)
  json.set(doc, "policy", policy)
  json.set(doc, "filter", filter)
  json.set(doc, "snat", { obj({ "out" }, { out = "WAN" }) })
  if #dnat > 0 then json.set(doc, "dnat", dnat) end
  return doc
end

return M
