-- procnet: the kernel's own tables as /proc/net shows them: the IPv4 neighbour (ARP) table, and the IPv4 and IPv6
-- routing tables. Addresses in /proc/net/route are the 32-bit value in the machine's byte order printed in hex
-- (little-endian on every machine Alpine runs Acf on: x86_64, aarch64, armv7), so "0101A8C0" is 192.168.1.1.
local text_lines = require("lines")

local M = {}

M.ARP, M.ROUTE, M.ROUTE6 = "/proc/net/arp", "/proc/net/route", "/proc/net/ipv6_route"

local function lines(text)
  local list = {}
  for line in ((text or "") .. "\n"):gmatch("([^\n]*)\n") do
    if line:find("%S") then list[#list + 1] = line end
  end
  return list
end

local fields = text_lines.words

-- "0101A8C0" -> "192.168.1.1"; nil for anything else.
function M.ipv4(hex)
  if type(hex) ~= "string" or not hex:match("^%x%x%x%x%x%x%x%x$") then return nil end
  local bytes = {}
  for k = 4, 1, -1 do bytes[#bytes + 1] = tostring(tonumber(hex:sub(2 * k - 1, 2 * k), 16)) end
  return table.concat(bytes, ".")
end

-- The prefix length of a netmask in /proc/net/route's hex (its ones are the low bits of the little-endian value).
function M.prefix_length(hex)
  local value = tonumber(hex, 16) or 0
  local bits = 0
  while value & 1 == 1 do
    bits = bits + 1
    value = value >> 1
  end
  return bits
end

-- 32 hex digits -> the address in its short form (2001:db8::1): leading zeros dropped, the longest run of two or
-- more zero groups written "::" (RFC 5952).
function M.ipv6(hex)
  if type(hex) ~= "string" or not hex:match("^" .. ("%x"):rep(32) .. "$") then return nil end
  local groups = {}
  for k = 1, 32, 4 do groups[#groups + 1] = string.format("%x", tonumber(hex:sub(k, k + 3), 16)) end
  local best_at, best_len, at = nil, 1, nil
  for k = 1, 9 do
    if k <= 8 and groups[k] == "0" then
      at = at or k
    elseif at then
      if k - at > best_len then best_at, best_len = at, k - at end
      at = nil
    end
  end
  if not best_at then return table.concat(groups, ":") end
  local head = table.concat(groups, ":", 1, best_at - 1)
  local tail = table.concat(groups, ":", best_at + best_len, 8)
  return head .. "::" .. tail
end

local ROUTE_FLAGS = { { 0x1, "U" }, { 0x2, "G" }, { 0x4, "H" }, { 0x10, "D" }, { 0x20, "M" }, { 0x200, "!" } }

local function flag_letters(value)
  local letters = {}
  for _, flag in ipairs(ROUTE_FLAGS) do
    if value & flag[1] ~= 0 then letters[#letters + 1] = flag[2] end
  end
  return table.concat(letters)
end

-- One row of either table; "default" for the route to everywhere, no gateway for a route on the link.
local function route_row(is_default, destination, gateway, unset_gateway, flags, metric, device)
  return {
    destination = is_default and "default" or destination,
    gateway = gateway ~= unset_gateway and gateway or "",
    flags = flag_letters(flags), metric = tostring(metric), device = device,
  }
end

-- The rows of a /proc/net table: `row_of(fields)` for each line after `header` lines that has at least `least`
-- fields; a line it answers nil for is left out.
local function table_rows(text, header, least, row_of)
  local rows = {}
  for k, line in ipairs(lines(text)) do
    local f = fields(line)
    if k > header and #f >= least then rows[#rows + 1] = row_of(f) end
  end
  return rows
end

-- /proc/net/arp -> rows { address, mac, state, device }.
function M.neighbours(text)
  return table_rows(text, 1, 6, function(f)
    local flags = tonumber(f[3]) or 0
    local state = flags & 0x4 ~= 0 and "permanent" or flags & 0x2 ~= 0 and "reachable" or "incomplete"
    return { address = f[1], mac = f[4] == "00:00:00:00:00:00" and "" or f[4], state = state, device = f[6] }
  end)
end

-- `ip -6 neigh show` -> the same rows for IPv6 (the kernel has no /proc file for them):
-- "fe80::1 dev eth0 lladdr 00:1b:21:3a:9c:01 router REACHABLE"; an entry without lladdr has no MAC yet.
function M.neighbours6(text)
  return table_rows(text, 0, 3, function(f)
    local row = { address = f[1], mac = "", state = "", device = "" }
    for k = 2, #f do
      if f[k] == "dev" then row.device = f[k + 1] or "" end
      if f[k] == "lladdr" then row.mac = f[k + 1] or "" end
    end
    row.state = f[#f]:match("^%u+$") and f[#f]:lower() or ""
    return row
  end)
end

-- /proc/net/route -> rows { destination (with /prefix), gateway, flags, metric, device }.
function M.routes(text)
  return table_rows(text, 1, 8, function(f)
    if not M.ipv4(f[2]) then return nil end
    return route_row(f[2] == "00000000" and f[8] == "00000000", M.ipv4(f[2]) .. "/" .. M.prefix_length(f[8]),
      M.ipv4(f[3]), "0.0.0.0", tonumber(f[4], 16) or 0, tonumber(f[7]) or 0, f[1])
  end)
end

-- /proc/net/ipv6_route (no header) -> the same rows for IPv6 (the kernel's local and multicast routes included).
function M.routes6(text)
  return table_rows(text, 0, 10, function(f)
    if not M.ipv6(f[1]) then return nil end
    local bits = tonumber(f[2], 16) or 0
    return route_row(bits == 0 and f[1] == ("0"):rep(32), M.ipv6(f[1]) .. "/" .. bits,
      M.ipv6(f[5]) or "::", "::", tonumber(f[9], 16) or 0, tonumber(f[6], 16) or 0, f[10])
  end)
end

return M
