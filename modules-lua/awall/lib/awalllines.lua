-- awalllines: the sections of an awall policy edited as lines (`in=lan out=wan action=accept`, `NAME tcp/80`,
-- `NAME=VALUE`). Files are edited in place, so keys the forms do not show stay as they were; a line equal to an
-- entry's own rendering keeps that entry untouched.
local linelist = require("lines")
local files = require("awallfiles")
local awallvalues = require("awallvalues")

local M = {}

local json = acf.json
local trim, words = linelist.trim, linelist.words
local render_value, render_entry, shown = awallvalues.render_value, awallvalues.render_entry, awallvalues.shown
local json_value, parse_pairs, split_commas = awallvalues.json_value, awallvalues.parse_pairs, awallvalues.split_commas
local has_control = awallvalues.has_control
local SECTIONS, NAMED = awallvalues.SECTIONS, awallvalues.NAMED

-- The entries of a section as a list: awall takes one object where a list would hold one entry.
local function section_entries(doc, section)
  local entries = doc[section]
  if json.is_object(entries) then return { entries }, true end
  if type(entries) == "table" then return entries, false end
  return nil
end

-- The lines of a section; an entry with none of the keys a line shows has no line (it stays as it is).
function M.section_lines(doc, section)
  local spec = SECTIONS[section]
  local lines = {}
  for _, entry in ipairs(section_entries(doc, section) or {}) do
    local line = json.is_object(entry) and render_entry(entry, spec.keys) or ""
    if line ~= "" then lines[#lines + 1] = line end
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
      local rest = render_entry(entry, NAMED[section].keys)
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

M.import_lines = files.import_names

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

-- Rewrites a section from lines. A line equal to an entry's own line keeps that entry as it is, unchecked: a file
-- that was valid for awall (zones or variables of policies not loaded here, keys the form does not show) saves
-- unchanged. Entries without a line keep their place among the others.
function M.set_section(doc, section, lines, ctx)
  local spec = SECTIONS[section]
  local old = doc[section]
  local old_list, single = section_entries(doc, section)
  if old ~= nil and not old_list then
    return nil, "'" .. section .. "' is not a list in this file; edit it in the file itself."
  end
  local originals, kept = {}, {}
  for index, entry in ipairs(old_list or {}) do
    local line = json.is_object(entry) and render_entry(entry, spec.keys) or ""
    if line ~= "" then originals[#originals + 1] = { entry = entry, line = line }
    else kept[#kept + 1] = { index = index, entry = entry } end
  end
  local used, result, parsed = {}, {}, {}
  for number, line in ipairs(lines) do
    line = trim(line)
    for j, o in ipairs(originals) do
      if not used[j] and o.line == line then used[j] = true; result[number] = o.entry; break end
    end
    if not result[number] then
      local values, err = parse_pairs(line, spec.keys, ctx)
      if not values then return nil, "Line " .. number .. ": " .. err end
      if next(values) == nil then return nil, "Line " .. number .. " is empty." end
      if section == "policy" and not values.action then return nil, "Line " .. number .. ": a policy needs an action." end
      if section == "dnat" and not values["to-addr"] then return nil, "Line " .. number .. ": a port forward needs to-addr." end
      parsed[number] = { line = render_entry(new_entry(spec.keys, values), spec.keys), values = values }
    end
  end
  -- A changed line written the way the entry shows it keeps that entry; else it updates the entry at its place.
  for i, p in pairs(parsed) do
    for j, o in ipairs(originals) do
      if not used[j] and o.line == p.line then used[j] = true; result[i] = o.entry; break end
    end
  end
  for i = 1, #lines do
    if not result[i] then
      local p, o = parsed[i], originals[i]
      if o and not used[i] then used[i] = true; result[i] = update_entry(o.entry, spec.keys, p.values)
      else result[i] = new_entry(spec.keys, p.values) end
    end
  end
  for _, k in ipairs(kept) do table.insert(result, math.min(k.index, #result + 1), k.entry) end
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
  elseif single and #result == 1 then
    json.set(doc, section, result[1])
  else
    json.set(doc, section, result)
  end
  return true
end

-- Rewrites a named section (zone, ipset) from `NAME key=value ...` lines.
function M.set_named(doc, section, lines, ctx)
  local spec = NAMED[section]
  local old = doc[section]
  if old ~= nil and not json.is_object(old) then return nil, "'" .. section .. "' is not an object in this file." end
  local result = json.object()
  local given = {}
  for number, line in ipairs(lines) do
    local list = words(line)
    local name = table.remove(list, 1)
    if not awallvalues.is_name(name) then return nil, "Line " .. number .. ": '" .. tostring(name) .. "' is not a name (letters, digits, '_', '.', '-')." end
    if given[name] then return nil, "Line " .. number .. ": '" .. name .. "' is given twice." end
    given[name] = true
    local rest = table.concat(list, " ")
    local original = old and json.is_object(old[name]) and old[name] or nil
    if original and render_entry(original, spec.keys) == rest then
      json.set(result, name, original) -- unchanged: kept as it is, unchecked (see set_section)
    else
      local values, err = parse_pairs(rest, spec.keys, ctx)
      if not values then return nil, "Line " .. number .. ": " .. err end
      json.set(result, name, original and update_entry(original, spec.keys, values) or new_entry(spec.keys, values))
    end
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
    if not awallvalues.is_name(name) then return nil, "Line " .. number .. ": '" .. tostring(name) .. "' is not a service name." end
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
        if not proto or not awallvalues.PROTOCOLS[proto] then return nil, "Line " .. number .. ": '" .. part .. "' is not PROTO/PORT (tcp, udp, icmp, ...)." end
        local entry = json.object({ "proto" })
        entry.proto = proto
        if ports ~= "" then
          local items = split_commas(ports)
          for _, port in ipairs(items) do
            if not awallvalues.is_port(port) then return nil, "Line " .. number .. ": '" .. port .. "' is not a port or a range." end
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
    local original = old and old[name]
    if original ~= nil and render_value("variable", original) == value then
      json.set(result, name, original)
    elseif value == "" or #value > 255 or has_control(value) or value:find('["\\]') then
      return nil, "Line " .. number .. ": the value is empty, too long or has a quote, backslash or control character."
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
    if not awallvalues.is_name(line) then return nil, "Line " .. number .. ": '" .. line .. "' is not a policy name." end
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

return M
