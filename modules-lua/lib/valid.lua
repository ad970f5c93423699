-- valid: named datatypes validated in one place, shared by every module (a check two modules need lives here). Each
-- returns the clean value, or nil and a message for the field; an is_ one answers true or false.
local M = {}

-- ACF's rule: 1 to 63 characters of letters, digits and '-', not starting or ending with '-'.
function M.hostname(text)
  if type(text) ~= "string" then return nil, "Enter a host name." end
  if #text < 1 or #text > 63 then return nil, "A host name has 1 to 63 characters." end
  if text:find("[^%-0-9a-zA-Z]") then return nil, "A host name has only letters, digits and '-'." end
  if text:find("^%-") or text:find("%-$") then return nil, "A host name cannot start or end with '-'." end
  return text
end

-- A dotted IPv4 address (four numbers up to 255).
function M.is_ipv4(text)
  if type(text) ~= "string" then return false end
  local parts = { text:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$") }
  if #parts ~= 4 then return false end
  for _, part in ipairs(parts) do
    if #part > 3 or tonumber(part) > 255 then return false end
  end
  return true
end

-- Counts the 16-bit groups of one side of an IPv6 address (a dotted IPv4 counts two, and only at the very end).
local function ipv6_groups(part, last)
  if part == "" then return 0 end
  local pieces = {}
  for piece in (part .. ":"):gmatch("([^:]*):") do pieces[#pieces + 1] = piece end
  local count = 0
  for k, piece in ipairs(pieces) do
    if last and k == #pieces and piece:find(".", 1, true) then
      if not M.is_ipv4(piece) then return nil end
      count = count + 2
    elseif piece:match("^%x%x?%x?%x?$") then
      count = count + 1
    else
      return nil
    end
  end
  return count
end

-- An IPv6 address: hex groups, at most one '::', an IPv4 tail; with `zone`, a %zone after it is allowed (fe80::1%eth0).
function M.is_ipv6(text, zone)
  if type(text) ~= "string" then return false end
  if zone then text = text:match("^([^%%]+)%%[%w._%-]+$") or text end
  if #text > 45 or not text:match("^[%x:.]+$") then return false end
  local head, tail = text:match("^(.-)::(.*)$")
  if head then
    if tail:find("::", 1, true) then return false end
    local front, back = ipv6_groups(head, false), ipv6_groups(tail, true)
    return front ~= nil and back ~= nil and front + back <= 7
  end
  return ipv6_groups(text, true) == 8
end

-- An address of the family ("inet": IPv4, "inet6": IPv6, anything else: either).
function M.is_ip(text, family)
  if family == "inet" then return M.is_ipv4(text) end
  if family == "inet6" then return M.is_ipv6(text) end
  return M.is_ipv4(text) or M.is_ipv6(text)
end

-- An address of the family with an optional /prefix length (192.0.2.0/24, 2001:db8::/32): nil when it is one, else
-- what is wrong, for the field.
function M.network(text, family)
  local address, bits = tostring(text):match("^([^/]+)/(.*)$")
  address = address or text
  local v6 = M.is_ipv6(address)
  if not M.is_ip(address, family) then
    if family == "inet" then return "Enter an IPv4 address, optionally with /prefix (192.168.1.1/24)." end
    if family == "inet6" then return "Enter an IPv6 address, optionally with /prefix (2001:db8::1/64)." end
    return "Enter an IPv4 or IPv6 address, optionally with /prefix (192.168.1.1/24, 2001:db8::1/64)."
  end
  local most = v6 and 128 or 32
  if bits and not (bits:match("^%d%d?%d?$") and tonumber(bits) <= most) then
    return "The prefix length is 0 to " .. most .. "."
  end
  return nil
end

-- An address or a network with its prefix length (10.0.0.1, 10.0.0.0/8, 2001:db8::/32).
function M.is_prefix(text)
  if type(text) ~= "string" then return false end
  local address, bits = text:match("^([^/]+)/(%d+)$")
  if not address then return M.is_ipv4(text) or M.is_ipv6(text) end
  bits = tonumber(bits)
  if M.is_ipv4(address) then return bits <= 32 end
  return M.is_ipv6(address) and bits <= 128
end

-- A port number from 1 to 65535, digits only: the number, or nil and a message.
function M.port(text)
  local number = tostring(text):match("^%d+$") and math.tointeger(tonumber(text))
  if not number or number < 1 or number > 65535 then return nil, "A port is a number from 1 to 65535." end
  return number
end

-- A port or a range LOW-HIGH of ports (8000-8010), LOW not above HIGH.
function M.is_port_range(text)
  text = tostring(text)
  local low, high = text:match("^(%d+)%-(%d+)$")
  if not low then low, high = text, text end
  low, high = M.port(low), M.port(high)
  return low ~= nil and high ~= nil and low <= high
end

-- An interface name as ifupdown-ng, ip and the tunnel tools take it: 1 to 15 letters, digits, '.', '_' and '-', not
-- dots only (eth0, eth0.10, br-lan, gre1).
function M.is_interface(text)
  return type(text) == "string" and #text <= 15 and text:match("^[%w._%-]+$") ~= nil and not text:match("^%.+$")
end

-- A dotted IPv4 netmask whose ones come first (255.255.255.0).
function M.is_netmask(text)
  if not M.is_ipv4(text) then return false end
  local bits = 0
  for part in text:gmatch("%d+") do bits = bits * 256 + tonumber(part) end
  local inverted = 0xFFFFFFFF - bits
  return inverted & (inverted + 1) == 0
end

-- A DNS name: labels of letters, digits, '-' and '_', not starting or ending with '-', at most 253 characters.
function M.is_hostname(text)
  if type(text) ~= "string" or #text < 1 or #text > 253 then return false end
  for label in (text .. "."):gmatch("([^.]*)%.") do
    if #label < 1 or #label > 63 or not label:match("^[%w_][%w_%-]*$") or label:sub(-1) == "-" then return false end
  end
  return true
end

-- An Ethernet address: six pairs of hex digits separated by ':' (or '-').
function M.is_mac(text)
  if type(text) ~= "string" then return false end
  return text:match("^%x%x([:%-])%x%x%1%x%x%1%x%x%1%x%x%1%x%x$") ~= nil
end

-- A resolv.conf search domain: a DNS name, absolute (with its trailing dot) or not, or "." alone, the root, which
-- systemd-resolved writes to say "search nothing" (resolv.conf(5) allows any domain here).
function M.is_search_domain(text)
  if text == "." then return true end
  if type(text) ~= "string" then return false end
  return M.is_hostname((text:gsub("%.$", "")))
end

return M
