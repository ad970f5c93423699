-- dnsmasqvalid: the values the dnsmasq forms write, each checked against what dnsmasq accepts. Every check returns
-- nil when the value is good, else a message for the field.
local valid = require("valid")
local dnsmasqconf = require("dnsmasqconf")

local M = {}

local function fields(value)
  local list = {}
  for field in (value .. ","):gmatch("([^,]*),") do list[#list + 1] = field end
  return list
end
M.fields = fields

function M.is_lease_time(text)
  return text == "infinite" or text:match("^%d+[smhdw]?$") ~= nil
end

local function is_tag(text)
  return text:match("^set:[%w_%-]+$") ~= nil or text:match("^tag:!?[%w_%-]+$") ~= nil
end

-- The fields of a checked value after its leading set:/tag: fields, or nil and why the value is refused.
local function untagged(value)
  local message = dnsmasqconf.check(value)
  if message then return nil, message end
  local list = fields(value)
  while list[1] and is_tag(list[1]) do table.remove(list, 1) end
  return list
end

-- An interface name as dnsmasq's interface= takes it (a trailing '*' matches several).
function M.interface(value)
  local message = dnsmasqconf.check(value)
  if message then return message end
  if #value > 16 or not value:match("^[%w][%w.:_%-]*%*?$") then
    return "'" .. value .. "' is not an interface name (eth0, br-lan, wlan*)."
  end
end

-- server=: [/domain/.../]address[#port][@interface], or /domain/ alone (answered locally), or /domain/# (default).
function M.server(value)
  local message = dnsmasqconf.check(value)
  if message then return message end
  local domains, target = value:match("^/(.*)/([^/]*)$")
  if domains then
    for domain in (domains .. "/"):gmatch("([^/]*)/") do
      if domain ~= "" and domain ~= "#" and not valid.is_hostname((domain:gsub("^%*%.?", ""))) then
        return "'" .. domain .. "' is not a domain."
      end
    end
    if target == "" or target == "#" then return nil end
  else
    target = value
  end
  local address, rest = target:match("^([^#@]+)(.*)$")
  if not address or not (valid.is_ipv4(address) or valid.is_ipv6(address)) then
    return "'" .. target .. "' is not an IPv4 or IPv6 address (optionally #port and @interface)."
  end
  local port = rest:match("^#(%d+)") or ""
  rest = rest:sub(port ~= "" and #port + 2 or 1)
  if port ~= "" and not valid.port(port) then return "'" .. port .. "' is not a port." end
  if rest ~= "" and not rest:match("^@[%w.:_%-]+$") then
    return "'" .. rest .. "' is not @interface or @source-address."
  end
end

-- dhcp-range=[set:tag,]start,end|static[,netmask][,lease time] (IPv4), or start,end[,prefix length][,lease time] (IPv6).
function M.range(value)
  local list, message = untagged(value)
  if not list then return message end
  local start, finish = list[1] or "", list[2] or ""
  if valid.is_ipv4(start) then
    if not (valid.is_ipv4(finish) or finish == "static") then return "'" .. finish .. "' is not the last address." end
    local k = 3
    if list[k] and valid.is_ipv4(list[k]) then k = k + 1 end
    if list[k] and M.is_lease_time(list[k]) then k = k + 1 end
    if list[k] then return "'" .. list[k] .. "' is not a netmask or a lease time (12h, 30m, infinite)." end
  elseif valid.is_ipv6(start) then
    if not (valid.is_ipv6(finish) or finish:match("^constructor:")) then
      return "'" .. finish .. "' is not the last IPv6 address."
    end
    local k = 3
    while list[k] and (list[k]:match("^ra%-[%w%-]+$") or list[k] == "slaac") do k = k + 1 end
    if list[k] and list[k]:match("^%d+$") and tonumber(list[k]) <= 128 then k = k + 1 end
    if list[k] and M.is_lease_time(list[k]) then k = k + 1 end
    if list[k] then return "'" .. list[k] .. "' is not a prefix length or a lease time." end
  else
    return "Start with the first address of the range (192.168.1.100,192.168.1.200,12h)."
  end
end

-- dhcp-option=[tag:x,]number|option:name,value[,value...]
function M.option(value)
  local list, message = untagged(value)
  if not list then return message end
  local code = list[1] or ""
  if not (code:match("^%d+$") or code:match("^option6?:[%w%-]+$")) then
    return "'" .. code .. "' is not an option number (3) or name (option:router)."
  end
  for k = 2, #list do
    if not list[k]:match("^[%w.:/_%-%[%]]*$") then return "'" .. list[k] .. "' is not an option value." end
  end
end

-- host-record=name[,name...],address[,address] (a local name the DNS answers).
function M.host_record(value)
  local message = dnsmasqconf.check(value)
  if message then return message end
  local list, addresses = fields(value), 0
  for k, field in ipairs(list) do
    if valid.is_ipv4(field) or valid.is_ipv6(field) then
      addresses = addresses + 1
    elseif addresses > 0 or not valid.is_hostname(field) then
      return "'" .. field .. "' is not a host name; write names first, then the address (nas.lan,192.168.1.5)."
    end
    if k == 1 and addresses > 0 then return "Start with the name (nas.lan,192.168.1.5)." end
  end
  if addresses == 0 then return "Add the address after the name (nas.lan,192.168.1.5)." end
end

function M.domain(value)
  local message = dnsmasqconf.check(value)
  if message then return message end
  if not valid.is_hostname(value) then return "'" .. value .. "' is not a domain (lan, example.org)." end
end

-- Checks the lines of a list field: values already in the file stay as they are (dnsmasq read them), new ones must
-- pass `check`. nil when all are good, else "Line N: why".
function M.list(values, current, check)
  local known = {}
  for _, value in ipairs(current) do known[value] = true end
  for number, value in ipairs(values) do
    local message = known[value] and dnsmasqconf.check_line(value) or (not known[value] and check(value))
    if message then return "Line " .. number .. ": " .. message end
  end
end

return M
