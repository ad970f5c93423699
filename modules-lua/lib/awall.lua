-- awall: Alpine Wall's JSON policies as Acf edits them. Files are decoded with acf.json (key order kept) and edited
-- in place, so keys the forms do not show stay as they were. Sections are edited as lines (`in=lan out=wan
-- action=accept`); a line equal to an entry's own rendering keeps that entry untouched. Also: the policy set that
-- will be active, the lockout check for the admin's own connection, and the router wizard's policy.
local valid = require("valid")

local M = {}

M.DIR = "/etc/awall"
M.OPTIONAL = "/etc/awall/optional"
M.PRIVATE = "/etc/awall/private"
M.SERVICES = { "/usr/share/awall/mandatory/services.json", "/etc/awall/private/services.json" }
M.ACTIONS = { "accept", "drop", "reject", "tarpit" }
M.VERIFY = { "awall", "translate", "--verify" }
-- --force: awall's own confirmation (it reverts unless confirmed on the console) is skipped; Acf's
-- confirm-or-rollback does that job, so the two countdowns never fight.
M.ACTIVATE = { "awall", "activate", "--force" }

local json = acf.json
local ACTION_SET = {}
for _, a in ipairs(M.ACTIONS) do ACTION_SET[a] = true end

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

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

local function words(s)
  local list = {}
  for w in s:gmatch("%S+") do list[#list + 1] = w end
  return list
end

local function is_scalar(v) return type(v) == "string" or math.type(v) == "integer" end

-- ---------------------------------------------------------------------------------------------------------------
-- Reading and writing files

-- One action reads each policy once: the library lives as long as the action's run, and so does this cache
-- (emptied when the action applies a change). Callers treat the docs it returns as read-only.
local cache = { files = {}, list = nil }

function M.read(path)
  local hit = cache.files[path]
  if hit then return hit.file, hit.err end
  local file, err
  local text, tag = acf.fs.read(path)
  if not text then
    err = tag
  else
    local doc, indent = json.decode(text)
    if not doc then err = path .. ": " .. indent
    elseif not json.is_object(doc) then err = path .. ": a policy is a JSON object"
    else file = { doc = doc, indent = indent, text = text, tag = tag, path = path } end
  end
  cache.files[path] = { file = file, err = err }
  return file, err
end

function M.encode(doc, indent) return json.encode(doc, indent) end

local function json_names(dir)
  local names = {}
  for _, entry in ipairs(acf.fs.list(dir) or {}) do
    local name = entry.name:match("^(.+)%.json$")
    if name and (entry.type == "file" or entry.type == "symlink") then names[#names + 1] = { name = name, type = entry.type } end
  end
  return names
end

-- Every policy: optional ones (enabled when /etc/awall/NAME.json exists), files in /etc/awall itself (always on),
-- and private ones (only read when another policy imports them).
function M.list()
  if cache.list then return cache.list end
  local enabled, list, seen = {}, {}, {}
  for _, e in ipairs(json_names(M.DIR)) do enabled[e.name] = e.type end
  for _, e in ipairs(json_names(M.OPTIONAL)) do
    list[#list + 1] = { name = e.name, kind = "optional", path = M.OPTIONAL .. "/" .. e.name .. ".json", enabled = enabled[e.name] ~= nil }
    seen[e.name] = true
  end
  for name, kind in pairs(enabled) do
    if not seen[name] and kind == "file" then
      list[#list + 1] = { name = name, kind = "always", path = M.DIR .. "/" .. name .. ".json", enabled = true }
    end
  end
  for _, e in ipairs(json_names(M.PRIVATE)) do
    list[#list + 1] = { name = e.name, kind = "private", path = M.PRIVATE .. "/" .. e.name .. ".json", enabled = false }
  end
  table.sort(list, function(a, b) if a.kind ~= b.kind then return a.kind < b.kind end return a.name < b.name end)
  cache.list = list
  return list
end

function M.find(name)
  for _, p in ipairs(M.list()) do if p.name == name then return p end end
  return nil
end

-- The docs awall would load, in order: enabled and always-on policies, with their imports (optional or private).
-- `override` maps a name to a doc to use instead of the file (the candidate of an edit), `switch` name -> enabled.
function M.active_set(override, switch)
  local docs, loaded = {}, {}
  local by_name = {}
  for _, p in ipairs(M.list()) do by_name[p.name] = by_name[p.name] or p end
  local function load(name, depth)
    if loaded[name] or depth > 8 then return end
    loaded[name] = true
    local doc = override and override[name]
    if not doc then
      local p = by_name[name]
      local file = p and M.read(p.path)
      doc = file and file.doc
    end
    if not doc then return end
    local imports = doc.import
    if type(imports) == "string" then imports = { imports } end
    for _, i in ipairs(type(imports) == "table" and imports or {}) do
      if type(i) == "string" then load(i, depth + 1) end
    end
    docs[#docs + 1] = { name = name, doc = doc }
  end
  local names = {}
  for _, p in ipairs(M.list()) do
    local on = p.enabled
    if switch and switch[p.name] ~= nil then on = switch[p.name] end
    if on then names[#names + 1] = p.name end
  end
  if override then
    for name in pairs(override) do
      if switch and switch[name] then names[#names + 1] = name end
    end
  end
  table.sort(names)
  for _, name in ipairs(names) do load(name, 0) end
  return docs
end

-- The docs a policy imports (optional or private policies by name), one level.
function M.imports_of(doc)
  local docs = {}
  for _, name in ipairs(M.import_lines(doc)) do
    local p = M.find(name)
    local file = p and M.read(p.path)
    if file then docs[#docs + 1] = { name = name, doc = file.doc } end
  end
  return docs
end

-- Services awall knows (its mandatory services.json) merged with those the docs define.
function M.known_services(docs)
  local known = {}
  for _, path in ipairs(M.SERVICES) do
    local file = M.read(path)
    if file and json.is_object(file.doc.service) then
      for name, def in pairs(file.doc.service) do if type(name) == "string" then known[name] = def end end
    end
  end
  for _, d in ipairs(docs or {}) do
    if type(d.doc.service) == "table" then
      for name, def in pairs(d.doc.service) do if type(name) == "string" then known[name] = def end end
    end
  end
  return known
end

-- ---------------------------------------------------------------------------------------------------------------
-- Values

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

-- The lines of an array section, and whether each entry could be shown at all.
function M.section_lines(doc, section)
  local spec = M.SECTIONS[section]
  local lines = {}
  local entries = doc[section]
  if type(entries) == "table" and not json.is_object(entries) then
    for _, entry in ipairs(entries) do
      if json.is_object(entry) then lines[#lines + 1] = render_entry(entry, spec.keys) end
    end
  end
  return lines
end

function M.named_lines(doc, section)
  local lines = {}
  local object = doc[section]
  if not json.is_object(object) then return lines end
  for _, name in ipairs(json.keys(object)) do
    local entry = object[name]
    if json.is_object(entry) then
      local rest = render_entry(entry, M.NAMED[section].keys)
      lines[#lines + 1] = rest ~= "" and (name .. " " .. rest) or name
    end
  end
  return lines
end

-- Service lines: NAME tcp/80,443 udp/53; services with other keys (icmp types) are kept and not shown.
local function service_parts(def)
  local list = json.is_object(def) and { def } or (type(def) == "table" and def or {})
  local parts = {}
  for _, entry in ipairs(list) do
    if not json.is_object(entry) or type(entry.proto) ~= "string" then return nil end
    for _, k in ipairs(json.keys(entry)) do if k ~= "proto" and k ~= "port" then return nil end end
    local port = entry.port == nil and "" or render_value("port", entry.port)
    if not port then return nil end
    parts[#parts + 1] = entry.proto .. (port ~= "" and ("/" .. port) or "")
  end
  return #parts > 0 and table.concat(parts, " ") or nil
end

function M.service_lines(doc)
  local lines = {}
  if not json.is_object(doc.service) then return lines end
  for _, name in ipairs(json.keys(doc.service)) do
    local parts = service_parts(doc.service[name])
    if parts then lines[#lines + 1] = name .. " " .. parts end
  end
  return lines
end

function M.variable_lines(doc)
  local lines = {}
  if not json.is_object(doc.variable) then return lines end
  for _, name in ipairs(json.keys(doc.variable)) do
    local text = render_value("variable", doc.variable[name])
    if text then lines[#lines + 1] = name .. "=" .. text end
  end
  return lines
end

function M.import_lines(doc)
  local imports = doc.import
  if type(imports) == "string" then return { imports } end
  local lines = {}
  if type(imports) == "table" then for _, i in ipairs(imports) do if type(i) == "string" then lines[#lines + 1] = i end end end
  return lines
end

-- ---------------------------------------------------------------------------------------------------------------
-- Validation

local function has_control(text) return text:find("[%c\127]") ~= nil end

function M.is_name(text) return type(text) == "string" and #text <= 64 and text:match("^[%w_][%w_.%-]*$") ~= nil end

function M.is_iface(text)
  return type(text) == "string" and #text <= 15 and text:match("^[%w_.%-]+%+?$") ~= nil and text ~= "." and text ~= ".."
end

-- An address or a network: 10.0.0.1, 10.0.0.0/8, 2001:db8::/32.
function M.is_prefix(text)
  if type(text) ~= "string" then return false end
  local address, bits = text:match("^([^/]+)/(%d+)$")
  if not address then return valid.is_ipv4(text) or valid.is_ipv6(text) end
  bits = tonumber(bits)
  if valid.is_ipv4(address) then return bits <= 32 end
  return valid.is_ipv6(address) and bits <= 128
end

function M.is_port(text)
  text = tostring(text)
  local low, high = text:match("^(%d+)%-(%d+)$")
  low, high = tonumber(low or text:match("^%d+$")), tonumber(high or low or text:match("^%d+$"))
  return low ~= nil and #text <= 11 and low >= 1 and high <= 65535 and low <= high
end

local PROTOCOLS = { tcp = true, udp = true, icmp = true, icmpv6 = true, sctp = true, udplite = true, esp = true,
  ah = true, gre = true, ipencap = true }

-- The context of a check: zones, services and variables known in the set the policy joins.
function M.context(docs, doc)
  local ctx = { zones = { _fw = true }, services = M.known_services(docs), variables = {}, ipsets = {} }
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

-- Applies a line's values to an entry: shown keys follow the line, keys the line cannot show stay.
local function update_entry(entry, keys, values)
  for _, key in ipairs(keys) do
    if values[key] == nil then
      if shown(entry, key) then json.set(entry, key, nil) end
    else
      json.set(entry, key, json_value(key, values[key], entry[key]))
    end
  end
  return entry
end

local function new_entry(keys, values)
  local entry = json.object()
  for _, key in ipairs(keys) do
    if values[key] ~= nil then json.set(entry, key, json_value(key, values[key], nil)) end
  end
  return entry
end

-- Rewrites an array section from lines. Entries that are not objects (or not shown) are kept in front of their place.
function M.set_section(doc, section, lines, ctx)
  local spec = M.SECTIONS[section]
  local old = doc[section]
  local originals = {}
  local kept = {}
  if type(old) == "table" and not json.is_object(old) then
    for _, entry in ipairs(old) do
      if json.is_object(entry) then originals[#originals + 1] = { entry = entry, line = render_entry(entry, spec.keys) }
      else kept[#kept + 1] = entry end
    end
  elseif old ~= nil then
    return nil, "'" .. section .. "' is not a list in this file; edit it in the file itself."
  end
  local parsed = {}
  for number, line in ipairs(lines) do
    line = trim(line)
    local values, err = parse_pairs(line, spec.keys, ctx)
    if not values then return nil, "Line " .. number .. ": " .. err end
    if next(values) == nil then return nil, "Line " .. number .. " is empty." end
    if (section == "policy" or section == "filter") and not values.action and section == "policy" then
      return nil, "Line " .. number .. ": a policy needs an action."
    end
    if section == "dnat" and not values["to-addr"] then return nil, "Line " .. number .. ": a port forward needs to-addr." end
    parsed[number] = { line = render_entry(new_entry(spec.keys, values), spec.keys), values = values }
  end
  -- An unchanged line keeps its entry as it is; the others update the entry at their place, or are new.
  local used, result = {}, {}
  for i, p in ipairs(parsed) do
    for j, o in ipairs(originals) do
      if not used[j] and o.line == p.line then used[j] = true; result[i] = o.entry; break end
    end
  end
  for i, p in ipairs(parsed) do
    if not result[i] then
      local o = originals[i]
      if o and not used[i] then used[i] = true; result[i] = update_entry(o.entry, spec.keys, p.values)
      else result[i] = new_entry(spec.keys, p.values) end
    end
  end
  for _, entry in ipairs(kept) do table.insert(result, entry) end
  -- Entries with keys the form cannot show are never silently dropped.
  for j, o in ipairs(originals) do
    if not used[j] then
      for _, key in ipairs(json.keys(o.entry)) do
        if not shown(o.entry, key) then
          return nil, "An entry of '" .. section .. "' has keys this form does not show (" .. key .. "); remove it in the file itself."
        end
      end
    end
  end
  if #result == 0 then
    if old ~= nil then json.set(doc, section, nil) end
  else
    json.set(doc, section, result)
  end
  return true
end

-- Rewrites a named section (zone, ipset) from `NAME key=value ...` lines.
function M.set_named(doc, section, lines, ctx)
  local spec = M.NAMED[section]
  local old = doc[section]
  if old ~= nil and not json.is_object(old) then return nil, "'" .. section .. "' is not an object in this file." end
  local result = json.object()
  local given = {}
  for number, line in ipairs(lines) do
    local list = words(line)
    local name = table.remove(list, 1)
    if not M.is_name(name) then return nil, "Line " .. number .. ": '" .. tostring(name) .. "' is not a name (letters, digits, '_', '.', '-')." end
    if given[name] then return nil, "Line " .. number .. ": '" .. name .. "' is given twice." end
    given[name] = true
    local values, err = parse_pairs(table.concat(list, " "), spec.keys, ctx)
    if not values then return nil, "Line " .. number .. ": " .. err end
    local entry = old and json.is_object(old[name]) and update_entry(old[name], spec.keys, values) or new_entry(spec.keys, values)
    json.set(result, name, entry)
  end
  -- Entries that are not shown as lines (not objects) stay.
  if old then
    for _, name in ipairs(json.keys(old)) do
      if not json.is_object(old[name]) and not given[name] then json.set(result, name, old[name]) end
    end
  end
  json.set(doc, section, next(json.keys(result)) and result or nil)
  if old and not next(json.keys(result)) then json.set(doc, section, nil) end
  return true
end

-- Services from `NAME tcp/80,443 udp/53` lines; services that are not shown (other keys) are kept.
function M.set_services(doc, lines)
  local old = doc.service
  if old ~= nil and not json.is_object(old) then return nil, "'service' is not an object in this file." end
  local result, given = json.object(), {}
  for number, line in ipairs(lines) do
    local list = words(line)
    local name = table.remove(list, 1)
    if not M.is_name(name) then return nil, "Line " .. number .. ": '" .. tostring(name) .. "' is not a service name." end
    if given[name] then return nil, "Line " .. number .. ": '" .. name .. "' is given twice." end
    if old and old[name] ~= nil and not service_parts(old[name]) then
      return nil, "Line " .. number .. ": the service '" .. name .. "' has settings this form does not show; edit it in the file."
    end
    given[name] = true
    if #list == 0 then return nil, "Line " .. number .. ": give PROTO/PORT, e.g. tcp/8080." end
    local parts = table.concat(list, " ")
    if old and old[name] ~= nil and service_parts(old[name]) == parts then
      json.set(result, name, old[name])
    else
      local entries = {}
      for _, part in ipairs(list) do
        local proto, ports = part:match("^([%w]+)/?(.*)$")
        if not proto or not PROTOCOLS[proto] then return nil, "Line " .. number .. ": '" .. part .. "' is not PROTO/PORT (tcp, udp, icmp, ...)." end
        local entry = json.object({ "proto" })
        entry.proto = proto
        if ports ~= "" then
          local items = split_commas(ports)
          for _, port in ipairs(items) do
            if not M.is_port(port) then return nil, "Line " .. number .. ": '" .. port .. "' is not a port or a range." end
          end
          local values = {}
          for k, port in ipairs(items) do values[k] = json_value("port", port, nil) end
          json.set(entry, "port", #values == 1 and values[1] or values)
        end
        entries[#entries + 1] = entry
      end
      json.set(result, name, #entries == 1 and entries[1] or entries)
    end
  end
  if old then
    for _, name in ipairs(json.keys(old)) do
      if not given[name] and not service_parts(old[name]) then json.set(result, name, old[name]) end
    end
  end
  json.set(doc, "service", next(json.keys(result)) and result or nil)
  return true
end

function M.set_variables(doc, lines)
  local old = doc.variable
  if old ~= nil and not json.is_object(old) then return nil, "'variable' is not an object in this file." end
  local result, given = json.object(), {}
  for number, line in ipairs(lines) do
    local name, value = trim(line):match("^([%a_][%w_]*)=(.*)$")
    if not name then return nil, "Line " .. number .. ": write NAME=VALUE (letters, digits and '_')." end
    if given[name] then return nil, "Line " .. number .. ": '" .. name .. "' is given twice." end
    given[name] = true
    if value == "" or #value > 255 or has_control(value) or value:find('["\\]') then
      return nil, "Line " .. number .. ": the value is empty, too long or has a quote, backslash or control character."
    end
    local original = old and old[name]
    if original ~= nil and render_value("variable", original) == value then
      json.set(result, name, original)
    else
      local items = split_commas(value)
      json.set(result, name, #items > 1 and items or value)
    end
  end
  if old then
    for _, name in ipairs(json.keys(old)) do
      if not given[name] and not render_value("variable", old[name]) then json.set(result, name, old[name]) end
    end
  end
  json.set(doc, "variable", next(json.keys(result)) and result or nil)
  return true
end

function M.set_imports(doc, lines)
  local list = {}
  for number, line in ipairs(lines) do
    line = trim(line)
    if not M.is_name(line) then return nil, "Line " .. number .. ": '" .. line .. "' is not a policy name." end
    list[#list + 1] = line
  end
  local old = doc.import
  if #list == 0 then json.set(doc, "import", nil)
  elseif type(old) == "string" and #list == 1 and list[1] == old then -- unchanged
  elseif #list == 1 and type(old) == "string" then json.set(doc, "import", list[1])
  else
    local same = type(old) == "table" and #old == #list
    if same then for i = 1, #list do if old[i] ~= list[i] then same = false end end end
    if not same then json.set(doc, "import", list) end
  end
  return true
end

-- ---------------------------------------------------------------------------------------------------------------
-- The lockout check: would the new set still accept the admin's own connection (tcp to Acf's port on this box)?

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

local function port_in(spec, port)
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
    if type(entry) == "table" and entry.proto == "tcp" and (entry.port == nil or port_in(entry.port, port)) then return true end
  end
  return false
end

local function describe(kind, number, entry, name)
  return kind .. " " .. number .. " of " .. name .. " (" .. render_entry(entry, M.SECTIONS[kind].keys) .. ")"
end

-- nil when the admin's connection stays open; else a plain warning. `ifaces` maps interface -> { prefixes }.
function M.lockout(docs, origin, ifaces)
  local address, port = origin and origin.address, origin and origin.port
  if type(address) ~= "string" or math.type(port) ~= "integer" then return nil end
  address = address:match("^::ffff:(%d+%.%d+%.%d+%.%d+)$") or address
  if address == "::1" or (valid.is_ipv4(address) and M.contains("127.0.0.0/8", address)) then return nil end
  local variables, zones, services = {}, {}, M.known_services(docs)
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
      if json.is_object(f) and f.dest == nil and zone_match(f["in"], "in") and zone_match(f.out, "_fw")
          and src_match(f.src) and service_match(f.service) then
        local action = f.action or "accept"
        if action == "accept" then return nil end
        if ACTION_SET[action] then
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

-- ---------------------------------------------------------------------------------------------------------------
-- The router wizard's policy

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

-- ---------------------------------------------------------------------------------------------------------------
-- Applying: write the files, switch policies, `awall translate --verify`, then `awall activate --force` with the
-- same activation declared as the rollback command (run after the old files are back). On any failure the files
-- and switches made so far are undone at once and nothing is activated.
-- steps, in order: { path=, text= (nil: remove), tag=, previous= (text before, nil: did not exist) } or
-- { switch = NAME, enabled = true|false }.
function M.apply(steps)
  cache.files, cache.list = {}, nil
  local done = {}
  local function undo()
    for i = #done, 1, -1 do
      local d = done[i]
      if d.switch then
        if d.enabled then acf.awall.disable(d.switch) else acf.awall.enable(d.switch) end
      elseif d.previous then acf.fs.write(d.path, d.previous)
      else acf.fs.remove(d.path) end
    end
  end
  for _, step in ipairs(steps) do
    if step.switch then
      local run, err = (step.enabled and acf.awall.enable or acf.awall.disable)(step.switch)
      if not run or run.status ~= 0 then
        undo()
        return nil, err or ("awall " .. (step.enabled and "enable " or "disable ") .. step.switch .. " failed: " .. (run.stderr or ""))
      end
      done[#done + 1] = step
    else
      local changed, err
      if step.text then changed, err = acf.fs.write(step.path, step.text, step.tag) else changed, err = acf.fs.remove(step.path, step.tag) end
      if changed == nil then undo(); return nil, err end
      if changed then done[#done + 1] = step end
    end
  end
  local verify, err = acf.exec(M.VERIFY, { timeout = 120 })
  if not verify or verify.status ~= 0 then
    undo()
    return nil, "awall translate --verify refused the new policy; nothing was applied.\n"
      .. (verify and (verify.stderr .. verify.stdout) or err)
  end
  local run
  run, err = acf.exec(M.ACTIVATE, { timeout = 120, rollback = M.ACTIVATE })
  if not run or run.status ~= 0 then
    undo()
    acf.exec(M.ACTIVATE, { timeout = 120 })
    return nil, "awall activate failed; the previous files are back.\n" .. (run and (run.stderr .. run.stdout) or err)
  end
  return true, (verify.stdout or "") .. (run.stdout or "")
end

return M
