-- wgvalid: the values a WireGuard interface and its peers take, each checked before it reaches a file. Each function
-- answers nil when the value is good, else the message for the field.
local valid = require("valid")

local M = {}

-- An interface name as Linux and wg-quick take it: 1 to 15 of letters, digits and _=+.- (not '-' or '.' first).
function M.name(text)
  if type(text) ~= "string" or not text:match("^[%w_=+.%-]+$") or #text > 15 then
    return "An interface name has 1 to 15 letters, digits or _=+.- (wg0)."
  end
  if text:match("^[-.]") then return "An interface name cannot start with '-' or '.'." end
end

-- A WireGuard key: the base64 of 32 bytes (44 characters, the last '=').
function M.key(text)
  local bytes = type(text) == "string" and text:match("^[%w+/]+=$") and #text == 44 and acf.text.base64_decode(text)
  if not bytes or #bytes ~= 32 then return "A WireGuard key is the base64 of 32 bytes: 44 characters ending in '='." end
end

-- A port number 1 to 65535.
function M.port(text)
  return select(2, valid.port(text))
end

-- An address with its prefix length (AllowedIPs and an interface's address): 10.8.0.2/32, fd00::2/128.
function M.cidr(text)
  if type(text) ~= "string" or not text:find("/", 1, true) then
    return "'" .. tostring(text) .. "' needs its prefix length (10.8.0.2/32, fd00::/64)."
  end
  local message = valid.network(text)
  return message and ("'" .. text .. "': " .. message) or nil
end

-- host:port, the host an IPv4 address, a DNS name or an IPv6 address in brackets ([2001:db8::1]:51820).
function M.endpoint(text)
  local host, port = tostring(text):match("^%[([^%]]+)%]:(%d+)$")
  local v6 = host ~= nil
  if not host then host, port = tostring(text):match("^([^:]+):(%d+)$") end
  if not host or M.port(port) then return "An endpoint is host:port (vpn.example.org:51820, [2001:db8::1]:51820)." end
  if v6 and not valid.is_ipv6(host) then return "'" .. host .. "' is not an IPv6 address." end
  if not v6 and not (valid.is_ipv4(host) or (valid.is_hostname(host) and host:match("%a"))) then
    return "'" .. host .. "' is not an IPv4 address or a host name."
  end
end

-- Every item of a list through `check`; the first message, prefixed by the item's number when there are several.
function M.each(items, check)
  for number, item in ipairs(items) do
    local message = check(item)
    if message then return #items > 1 and ("Item " .. number .. ": " .. message) or message end
  end
end

return M
