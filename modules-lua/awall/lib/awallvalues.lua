-- awallvalues: one awall JSON value as a form line shows it (`in=lan,dmz action=accept`, a limit as 3/60) and back,
-- and the checks of what a line may say: zones, services and variables known in the policy set, addresses, ports.
-- A value that shows the same as the original keeps the original (its type and layout).
local valid = require("valid")
local lines = require("lines")
local files = require("awallfiles")

local M = {}

M.ACTIONS = { "accept", "drop", "reject", "tarpit" }

local json = acf.json
local ACTION_SET = {}
for _, a in ipairs(M.ACTIONS) do ACTION_SET[a] = true end
M.ACTION_SET = ACTION_SET

-- Sections edited as lines: the keys a line shows, in order; `multi` keys take comma lists.
M.SECTIONS = {
  policy = { keys = { "in", "out", "action" } },
  filter = { keys = { "in", "out", "src", "dest", "service", "action", "conn-limit", "flow-limit" } },
  snat = { keys = { "out", "src", "dest", "to-addr" } },
  dnat = { keys = { "in", "dest", "service", "to-addr", "to-port" } },
}
M.NAMED = {
  zone = { keys = { "iface", "addr" } },
  ipset = { keys = { "type", "family" } },
}
local MULTI = { ["in"] = true, out = true, src = true, dest = true, service = true, iface = true, addr = true }
local LIMITS = { ["conn-limit"] = true, ["flow-limit"] = true }

local words = lines.words

local function is_scalar(v) return type(v) == "string" or math.type(v) == "integer" end

local function split_commas(text)
  local list = {}
  for item in (text .. ","):gmatch("([^,]*),") do list[#list + 1] = item end
  return list
end

-- A value as a line shows it: a comma list for arrays of scalars, count/interval for limits; nil when not shown.
local function render_value(key, value)
  if is_scalar(value) then return tostring(value) end
  if LIMITS[key] and type(value) == "table" then
    if math.type(value.count) == "integer" and math.type(value.interval) == "integer" then
      for _, k in ipairs(json.keys(value)) do if k ~= "count" and k ~= "interval" then return nil end end
      return value.count .. "/" .. value.interval
    end
    return nil
  end
  if type(value) == "table" and not json.is_object(value) and #value > 0 then
    local parts = {}
    for _, v in ipairs(value) do
      if not is_scalar(v) then return nil end
      local text = tostring(v)
      if text:find(",", 1, true) then return nil end
      parts[#parts + 1] = text
    end
    return table.concat(parts, ",")
  end
  return nil
end

local function render_entry(entry, keys)
  local parts = {}
  for _, key in ipairs(keys) do
    local text = entry[key] ~= nil and render_value(key, entry[key])
    if text then parts[#parts + 1] = key .. "=" .. text end
  end
  return table.concat(parts, " ")
end

local function shown(entry, key)
  return entry[key] ~= nil and render_value(key, entry[key]) ~= nil
end

M.render_value, M.render_entry, M.shown = render_value, render_entry, shown

-- ---------------------------------------------------------------------------------------------------------------
-- Validation

local function has_control(text) return text:find("[%c\127]") ~= nil end
M.has_control = has_control
M.split_commas = split_commas

function M.is_name(text) return type(text) == "string" and #text <= 64 and text:match("^[%w_][%w_.%-]*$") ~= nil end

function M.is_iface(text)
  return type(text) == "string" and #text <= 15 and text:match("^[%w_.%-]+%+?$") ~= nil and text ~= "." and text ~= ".."
end

-- An address or a network (10.0.0.0/8); a port or a range (8000-8010): the shared checks, named as awall's code asks.
M.is_prefix = valid.is_prefix
M.is_port = valid.is_port_range

M.PROTOCOLS = { tcp = true, udp = true, icmp = true, icmpv6 = true, sctp = true, udplite = true, esp = true,
  ah = true, gre = true, ipencap = true }

-- The context of a check: zones, services and variables known in the set the policy joins.
function M.context(docs, doc)
  local ctx = { zones = { _fw = true }, services = files.known_services(docs), variables = {}, ipsets = {} }
  local function add(d)
    if json.is_object(d.zone) then for name in pairs(d.zone) do if type(name) == "string" then ctx.zones[name] = true end end end
    if json.is_object(d.variable) then for name in pairs(d.variable) do if type(name) == "string" then ctx.variables[name] = true end end end
    if json.is_object(d.ipset) then for name in pairs(d.ipset) do if type(name) == "string" then ctx.ipsets[name] = true end end end
    if json.is_object(d.service) then for name in pairs(d.service) do if type(name) == "string" then ctx.services[name] = true end end end
  end
  for _, d in ipairs(docs) do add(d.doc) end
  if doc then add(doc) end
  return ctx
end

local function is_var(ctx, text)
  local name = text:match("^%$([%a_][%w_]*)$")
  return name ~= nil and ctx.variables[name] == true
end

local CHECK = {
  ["in"] = function(v, ctx) return ctx.zones[v] or is_var(ctx, v), "a zone of this or another policy (or _fw)" end,
  service = function(v, ctx) return ctx.services[v] ~= nil or is_var(ctx, v), "a service awall knows or this policy defines" end,
  action = function(v) return ACTION_SET[v], "accept, drop, reject or tarpit" end,
  src = function(v, ctx) return M.is_prefix(v) or is_var(ctx, v), "an address or network (10.0.0.0/8)" end,
  ["to-addr"] = function(v, ctx) return M.is_prefix(v) or is_var(ctx, v), "an address" end,
  ["to-port"] = function(v) return M.is_port(v), "a port (1 to 65535) or a range (8000-8010)" end,
  iface = function(v, ctx) return M.is_iface(v) or is_var(ctx, v), "an interface name (eth0)" end,
  type = function(v) return v:match("^hash:[a-z,]+$") or v:match("^bitmap:[a-z,]+$") or v == "list:set", "an ipset type (hash:net)" end,
  family = function(v) return v == "inet" or v == "inet6", "inet or inet6" end,
}
CHECK.out = CHECK["in"]
CHECK.dest = CHECK.src
CHECK.addr = CHECK.src

local function check_value(key, text, ctx)
  if text == "" then return "'" .. key .. "' needs a value." end
  if has_control(text) or text:find('"', 1, true) or text:find("\\", 1, true) then
    return "'" .. key .. "' contains a control character, a quote or a backslash."
  end
  if LIMITS[key] then
    local count, interval = text:match("^(%d+)/(%d+)$")
    if not count or #count > 9 or #interval > 9 or tonumber(count) < 1 or tonumber(interval) < 1 then
      return "'" .. key .. "' is COUNT/SECONDS, e.g. 3/60."
    end
    return nil
  end
  local items = MULTI[key] and split_commas(text) or { text }
  for _, item in ipairs(items) do
    local check = CHECK[key]
    if check then
      local ok, what = check(item, ctx)
      if not ok then return "'" .. item .. "' is not " .. what .. " (" .. key .. ")." end
    end
  end
  return nil
end

-- The JSON value of a checked line value; `original` is kept when it shows the same.
local function json_value(key, text, original)
  if original ~= nil and render_value(key, original) == text then return original end
  if LIMITS[key] then
    local count, interval = text:match("^(%d+)/(%d+)$")
    local limit = json.object({ "count", "interval" })
    limit.count, limit.interval = math.tointeger(tonumber(count)), math.tointeger(tonumber(interval))
    return limit
  end
  if key == "to-port" or key == "port" then
    if text:match("^%d+$") then return math.tointeger(tonumber(text)) end
    return text
  end
  if MULTI[key] then
    local items = split_commas(text)
    if #items > 1 or (type(original) == "table" and not json.is_object(original)) then return items end
  end
  return text
end

-- Parses `key=value key=value`; only the section's keys, each once.
local function parse_pairs(text, keys, ctx)
  local allowed = {}
  for _, k in ipairs(keys) do allowed[k] = true end
  local values, order = {}, {}
  for _, word in ipairs(words(text)) do
    local key, value = word:match("^([%w%-]+)=(.*)$")
    if not key then return nil, "'" .. word .. "' is not key=value." end
    if not allowed[key] then return nil, "'" .. key .. "' is not one of " .. table.concat(keys, ", ") .. "." end
    if values[key] then return nil, "'" .. key .. "' is given twice." end
    local message = check_value(key, value, ctx)
    if message then return nil, message end
    values[key] = value
    order[#order + 1] = key
  end
  return values, order
end

M.check_value, M.json_value, M.parse_pairs = check_value, json_value, parse_pairs

return M
