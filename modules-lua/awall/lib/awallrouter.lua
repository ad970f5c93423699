-- awallrouter: the router wizard's part of router.json (zones WAN and LAN, LAN masqueraded to WAN, Acf and ssh from
-- the LAN, port forwards from WAN), merged into the file that is there: its other zones, services, policies,
-- filters and snat stay. A port forward is written the awall way, as an accept filter with a `dnat` attribute, so
-- only translated traffic is let through (iptables --ctstate DNAT), not a WAN host routing to the LAN address.
local M = {}

local json = acf.json

M.DESCRIPTION = "Router: LAN to the Internet through WAN, written by Acf's router wizard"

local function obj(keys, values)
  local o = json.object(keys)
  for k, v in pairs(values) do o[k] = v end
  return o
end

local function list_of(value)
  if json.is_object(value) then return { value } end
  return type(value) == "table" and value or {}
end

local function has(value, wanted)
  if value == wanted then return true end
  if type(value) == "table" and not json.is_object(value) then
    for _, v in ipairs(value) do if v == wanted then return true end end
  end
  return false
end

-- A forward's service as the wizard's table shows it: a service named PROTO-PORT by the wizard is PROTO/PORT.
local function shown_service(service, services)
  local def = json.is_object(services) and services[service]
  if json.is_object(def) and service == tostring(def.proto) .. "-" .. tostring(def.port) then return def.proto .. "/" .. def.port end
  return service
end

-- A filter the wizard wrote for a forward: in=WAN with a dnat attribute, one service.
local function forward_of(f)
  if not json.is_object(f) or f["in"] ~= "WAN" or type(f.service) ~= "string" or f.dnat == nil then return nil end
  if type(f.dnat) == "string" then return { service = f.service, to_addr = f.dnat } end
  if json.is_object(f.dnat) and type(f.dnat.addr) == "string" then
    return { service = f.service, to_addr = f.dnat.addr, to_port = f.dnat.port ~= nil and tostring(f.dnat.port) or nil }
  end
  return nil
end

-- A dnat entry of the wizard's earlier versions (a dnat plus a separate accept filter).
local function legacy_forward_of(d)
  if not json.is_object(d) or d["in"] ~= "WAN" or type(d.service) ~= "string" or type(d["to-addr"]) ~= "string" then return nil end
  return { service = d.service, to_addr = d["to-addr"], to_port = d["to-port"] ~= nil and tostring(d["to-port"]) or nil }
end

-- What a router.json says, as the wizard's fields: { wan, lan, lan_net, rows }.
function M.read(doc)
  local state = { wan = "eth0", lan = "eth1", lan_net = "", rows = {} }
  if not doc then return state end
  if json.is_object(doc.zone) then
    local wan, lan = doc.zone.WAN, doc.zone.LAN
    if json.is_object(wan) and type(wan.iface) == "string" then state.wan = wan.iface end
    if json.is_object(lan) and type(lan.iface) == "string" then state.lan = lan.iface end
    if json.is_object(lan) and type(lan.addr) == "string" then state.lan_net = lan.addr end
  end
  local function add(r)
    if r then r.service = shown_service(r.service, doc.service); state.rows[#state.rows + 1] = r end
  end
  for _, f in ipairs(list_of(doc.filter)) do add(forward_of(f)) end
  for _, d in ipairs(list_of(doc.dnat)) do add(legacy_forward_of(d)) end
  return state
end

-- Is this filter one the wizard owns (and rewrites)? Acf from the LAN or from the admin's address, the forwards,
-- and the accept filters of its earlier dnat entries.
local function owned(f, legacy_dests)
  if not json.is_object(f) then return false end
  if f.out == "_fw" and has(f.service, "acf") and (f["in"] == "LAN" or f["in"] == "WAN") then return true end
  if forward_of(f) then return true end
  return f["in"] == "WAN" and f.out == "LAN" and f.dnat == nil and type(f.dest) == "string" and legacy_dests[f.dest] == true
end

-- Merges the wizard's choices into `doc` (nil: a new policy) and returns it.
-- opts: wan, lan (interfaces), lan_net ("" or a network), port (Acf's port), admin (the admin's address when
-- outside the LAN, or nil), ssh (boolean), forwards ({ service=, to_addr=, to_port= }, service a name or PROTO/PORT).
function M.merge(doc, opts)
  if not doc then
    doc = json.object()
    json.set(doc, "description", M.DESCRIPTION)
  end
  local services = json.is_object(doc.service) and doc.service or json.object()
  local function service_def(proto, port)
    local current = services[proto .. "-" .. port]
    if json.is_object(current) and current.proto == proto and tostring(current.port) == tostring(port) then return end
    json.set(services, proto .. "-" .. port, obj({ "proto", "port" }, { proto = proto, port = math.tointeger(tonumber(port)) }))
  end
  local acf = services.acf
  if not (json.is_object(acf) and acf.proto == "tcp" and acf.port == opts.port) then
    json.set(services, "acf", obj({ "proto", "port" }, { proto = "tcp", port = opts.port }))
  end
  local filters = {}
  for _, f in ipairs(opts.forwards or {}) do
    local proto, port = f.service:match("^(%a+)/(%d+)$")
    local service = f.service
    if proto then service_def(proto, port); service = proto .. "-" .. port end
    local target = f.to_addr
    if f.to_port then target = obj({ "addr", "port" }, { addr = f.to_addr, port = math.tointeger(tonumber(f.to_port)) or f.to_port }) end
    filters[#filters + 1] = obj({ "in", "service", "action", "dnat" }, { ["in"] = "WAN", service = service, action = "accept", dnat = target })
  end
  json.set(doc, "service", services)
  -- Zones: WAN and LAN get the chosen interfaces (and the LAN its network); other zones and keys stay.
  local zone = json.is_object(doc.zone) and doc.zone or json.object()
  for _, pair in ipairs({ { "WAN", opts.wan }, { "LAN", opts.lan } }) do
    local name, iface = pair[1], pair[2]
    local z = json.is_object(zone[name]) and zone[name] or json.object()
    if z.iface ~= iface then json.set(z, "iface", iface) end
    if name == "LAN" and opts.lan_net ~= (type(z.addr) == "string" and z.addr or "") then
      json.set(z, "addr", opts.lan_net ~= "" and opts.lan_net or nil)
    end
    json.set(zone, name, z)
  end
  json.set(doc, "zone", zone)
  -- Policies: the wizard's three are added when missing; the others stay.
  local function add_to(key, entry)
    local current = doc[key]
    if json.is_object(current) then json.set(doc, key, { current, entry })
    elseif type(current) == "table" then current[#current + 1] = entry
    else json.set(doc, key, { entry }) end
  end
  local function has_policy(i, o)
    for _, p in ipairs(list_of(doc.policy)) do if json.is_object(p) and p["in"] == i and has(p.out, o) then return true end end
    return false
  end
  if not has_policy("_fw", nil) then add_to("policy", obj({ "in", "action" }, { ["in"] = "_fw", action = "accept" })) end
  if not has_policy("LAN", "WAN") then add_to("policy", obj({ "in", "out", "action" }, { ["in"] = "LAN", out = "WAN", action = "accept" })) end
  if not has_policy(nil, nil) then add_to("policy", obj({ "action" }, { action = "drop" })) end
  -- Filters: the wizard's own are replaced at the place of the first of them; the others stay.
  local from_lan = { "acf" }
  if opts.ssh then from_lan[#from_lan + 1] = "ssh" end
  local mine = { obj({ "in", "out", "service", "action" }, { ["in"] = "LAN", out = "_fw", service = #from_lan == 1 and "acf" or from_lan, action = "accept" }) }
  if opts.admin then
    mine[#mine + 1] = obj({ "in", "out", "src", "service", "action" },
      { ["in"] = "WAN", out = "_fw", src = opts.admin, service = "acf", action = "accept" })
  end
  for _, f in ipairs(filters) do mine[#mine + 1] = f end
  local legacy_dests, dnat, moved = {}, {}, false
  for _, d in ipairs(list_of(doc.dnat)) do
    local r = legacy_forward_of(d)
    if r then legacy_dests[r.to_addr], moved = true, true else dnat[#dnat + 1] = d end
  end
  local result, place = {}, nil
  for _, f in ipairs(list_of(doc.filter)) do
    if owned(f, legacy_dests) then place = place or #result + 1 else result[#result + 1] = f end
  end
  place = place or #result + 1
  for i, f in ipairs(mine) do table.insert(result, place + i - 1, f) end
  json.set(doc, "filter", result)
  if moved then json.set(doc, "dnat", #dnat > 0 and dnat or nil) end
  local masquerades = false
  for _, s in ipairs(list_of(doc.snat)) do
    if json.is_object(s) and has(s.out, "WAN") and (s.src == nil or s.src == opts.lan_net) then masquerades = true end
  end
  if not masquerades then add_to("snat", obj({ "out" }, { out = "WAN" })) end
  return doc
end

return M
