-- awalllockout: would a new policy set still accept the admin's own connection (tcp to Acf's port on this box)?
-- Also the interfaces' networks from /etc/network/interfaces that the check needs.
local valid = require("valid")
local linelist = require("lines")
local files = require("awallfiles")
local awallvalues = require("awallvalues")

local M = {}

local json = acf.json
local words = linelist.words

local function ipv4_bits(text)
  local a, b, c, d = text:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  return ((tonumber(a) * 256 + tonumber(b)) * 256 + tonumber(c)) * 256 + tonumber(d)
end

local function ipv6_words(text)
  local head, tail = text:match("^(.-)::(.*)$")
  local function parse(part)
    local list = {}
    if part == "" then return list end
    for piece in (part .. ":"):gmatch("([^:]*):") do
      if piece:find(".", 1, true) then
        local v4 = ipv4_bits(piece)
        list[#list + 1] = v4 // 65536
        list[#list + 1] = v4 % 65536
      else
        list[#list + 1] = tonumber(piece, 16)
      end
    end
    return list
  end
  local front, back = parse(head or text), parse(tail or "")
  local words16 = {}
  for _, w in ipairs(front) do words16[#words16 + 1] = w end
  for _ = 1, 8 - #front - #back do words16[#words16 + 1] = 0 end
  for _, w in ipairs(back) do words16[#words16 + 1] = w end
  return words16
end

-- True when `address` lies in `prefix` (an address or a network).
function M.contains(prefix, address)
  local net, bits = prefix:match("^([^/]+)/(%d+)$")
  net = net or prefix
  if valid.is_ipv4(net) and valid.is_ipv4(address) then
    bits = tonumber(bits or 32)
    local shift = 32 - bits
    return ipv4_bits(net) >> shift == ipv4_bits(address) >> shift
  end
  if valid.is_ipv6(net) and valid.is_ipv6(address) then
    bits = tonumber(bits or 128)
    local a, b = ipv6_words(net), ipv6_words(address)
    for i = 1, 8 do
      local take = math.min(16, math.max(0, bits - (i - 1) * 16))
      if take == 0 then return true end
      local shift = 16 - take
      if a[i] >> shift ~= b[i] >> shift then return false end
    end
    return true
  end
  return false
end

-- The network a prefix lies in: 192.168.1.1/24 is 192.168.1.0/24 (IPv4; others unchanged).
function M.network_of(prefix)
  local address, bits = prefix:match("^(%d+%.%d+%.%d+%.%d+)/(%d+)$")
  if not address or not valid.is_ipv4(address) or tonumber(bits) > 32 then return prefix end
  local shift = 32 - tonumber(bits)
  local n = shift == 32 and 0 or (ipv4_bits(address) >> shift << shift)
  return string.format("%d.%d.%d.%d/%s", n >> 24 & 255, n >> 16 & 255, n >> 8 & 255, n & 255, bits)
end

local function as_list(value)
  if value == nil then return nil end
  if type(value) == "table" and not json.is_object(value) then return value end
  return { value }
end

-- Resolves $variables one level deep.
local function resolve(list, variables)
  if not list then return nil end
  local out = {}
  for _, v in ipairs(list) do
    local name = type(v) == "string" and v:match("^%$([%a_][%w_]*)$")
    if name and variables[name] ~= nil then
      for _, r in ipairs(as_list(variables[name])) do out[#out + 1] = r end
    else
      out[#out + 1] = v
    end
  end
  return out
end

function M.port_in(spec, port)
  for _, p in ipairs(as_list(spec) or {}) do
    local text = tostring(p)
    local low, high = text:match("^(%d+)%-(%d+)$")
    low, high = tonumber(low or text), tonumber(high or low or text)
    if low and port >= low and port <= high then return true end
  end
  return false
end

local function service_covers(def, port)
  for _, entry in ipairs(as_list(def) or {}) do
    if type(entry) == "table" and entry.proto == "tcp" and (entry.port == nil or M.port_in(entry.port, port)) then return true end
  end
  return false
end

local function describe(kind, number, entry, name)
  return kind .. " " .. number .. " of " .. name .. " (" .. awallvalues.render_entry(entry, awallvalues.SECTIONS[kind].keys) .. ")"
end

-- nil when the admin's connection stays open; else a plain warning. `ifaces` maps interface -> { prefixes }.
function M.lockout(docs, origin, ifaces)
  local address, port = origin and origin.address, origin and origin.port
  if type(address) ~= "string" or math.type(port) ~= "integer" then return nil end
  address = address:match("^::ffff:(%d+%.%d+%.%d+%.%d+)$") or address
  if address == "::1" or (valid.is_ipv4(address) and M.contains("127.0.0.0/8", address)) then return nil end
  local variables, zones, services = {}, {}, files.known_services(docs)
  for _, d in ipairs(docs) do
    if json.is_object(d.doc.variable) then for k, v in pairs(d.doc.variable) do if type(k) == "string" then variables[k] = v end end end
  end
  for _, d in ipairs(docs) do
    if json.is_object(d.doc.zone) then for k, v in pairs(d.doc.zone) do if type(k) == "string" then zones[k] = v end end end
  end
  -- The interface the admin comes in on: the one whose network holds the address (unknown: any).
  local admin_iface
  for iface, prefixes in pairs(ifaces or {}) do
    for _, prefix in ipairs(prefixes) do if M.contains(prefix, address) then admin_iface = iface end end
  end
  local in_zones = {}
  for name, zone in pairs(zones) do
    if type(zone) == "table" then
      local addrs, list = resolve(as_list(zone.addr), variables), resolve(as_list(zone.iface), variables)
      local addr_ok, iface_ok = addrs == nil, list == nil or admin_iface == nil
      for _, a in ipairs(addrs or {}) do if type(a) == "string" and M.contains(a, address) then addr_ok = true end end
      for _, i in ipairs(list or {}) do if i == admin_iface then iface_ok = true end end
      if addr_ok and iface_ok then in_zones[name] = true end
    end
  end
  local zone_names = {}
  for name in pairs(in_zones) do zone_names[#zone_names + 1] = name end
  table.sort(zone_names)
  local where = #zone_names > 0 and ("zone " .. table.concat(zone_names, ", ")) or "no zone"
  local function zone_match(value, wanted)
    local list = resolve(as_list(value), variables)
    if not list then return true end
    for _, z in ipairs(list) do
      if wanted == "_fw" and z == "_fw" then return true end
      if wanted ~= "_fw" and in_zones[z] then return true end
    end
    return false
  end
  local function src_match(value)
    local list = resolve(as_list(value), variables)
    if not list then return true end
    for _, a in ipairs(list) do if type(a) == "string" and M.contains(a, address) then return true end end
    return false
  end
  local function service_match(value)
    local list = resolve(as_list(value), variables)
    if not list then return true end
    for _, s in ipairs(list) do if services[s] and service_covers(services[s], port) then return true end end
    return false
  end
  local intro = "Your connection (" .. address .. " to port " .. port .. ", " .. where .. ") "
  for _, d in ipairs(docs) do
    for number, f in ipairs(type(d.doc.filter) == "table" and not json.is_object(d.doc.filter) and d.doc.filter or {}) do
      if json.is_object(f) and f.dest == nil and f.dnat == nil and zone_match(f["in"], "in") and zone_match(f.out, "_fw")
          and src_match(f.src) and service_match(f.service) then
        local action = f.action or "accept"
        if action == "accept" then return nil end
        if awallvalues.ACTION_SET[action] then
          return intro .. "would be cut off: " .. describe("filter", number, f, d.name) .. " " .. action .. "s it."
        end
      end
    end
  end
  for _, d in ipairs(docs) do
    for number, p in ipairs(type(d.doc.policy) == "table" and not json.is_object(d.doc.policy) and d.doc.policy or {}) do
      if json.is_object(p) and zone_match(p["in"], "in") and zone_match(p.out, "_fw") then
        if p.action == "accept" then return nil end
        return intro .. "would be cut off: no filter accepts it and " .. describe("policy", number, p, d.name)
          .. " " .. tostring(p.action) .. "s it."
      end
    end
  end
  return intro .. "would be cut off: no filter accepts it and no policy covers it, so awall drops it."
end

-- Interfaces and their networks from /etc/network/interfaces (static addresses), for the lockout check.
M.as_list, M.resolve = as_list, resolve

function M.interface_networks()
  local text = acf.fs.read("/etc/network/interfaces") or ""
  local map, current = {}, nil
  local netmask_bits = function(mask)
    local bits = 0
    for part in mask:gmatch("%d+") do
      local n = tonumber(part)
      while n > 0 do bits = bits + (n % 2); n = n // 2 end
    end
    return bits
  end
  local pending
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    local w = words(line:gsub("#.*", ""))
    if w[1] == "iface" then current = w[2]; pending = nil
    elseif current and w[1] == "address" and w[2] then
      if w[2]:find("/", 1, true) then
        map[current] = map[current] or {}
        table.insert(map[current], w[2])
      else
        pending = w[2]
        map[current] = map[current] or {}
        table.insert(map[current], w[2])
      end
    elseif current and w[1] == "netmask" and w[2] and pending and valid.is_ipv4(w[2]) then
      local list = map[current]
      list[#list] = pending .. "/" .. netmask_bits(w[2])
    end
  end
  return map
end

return M
