-- dmvpn/opennhrp: the legacy OpenNHRP daemon's /etc/opennhrp/opennhrp.conf, one interface block at a time, edited
-- in place through lib/opennhrpconf.lua (comments, order, spacing and lines it does not know stay as they are).
-- Saving restarts opennhrp under confirm-or-rollback (the manifest's `confirm`).
local cfe = require("cfe")
local valid = require("valid")
local linelist = require("lines")
local opennhrpconf = require("opennhrpconf")

local M = {}
local PATH = opennhrpconf.PATH
local BASE = "/dmvpn/opennhrp/edit"
local SERVICE = "opennhrp"

-- Form field names of the keywords (CFE names cannot hold '-').
local LIST_FIELDS = { map = "map", ["dynamic-map"] = "dynamic_map", ["shortcut-target"] = "shortcut_target",
  multicast = "multicast" }
local FLAG_FIELDS = { redirect = "redirect", shortcut = "shortcut", ["shortcut-destination"] = "shortcut_destination",
  ["non-caching"] = "non_caching" }

local function check_name(text)
  if not valid.is_interface(text) then return "1 to 15 letters, digits, '.', '_' and '-' (gre1)." end
  return nil
end

local function is_address(text)
  return valid.is_ipv4(text) or valid.is_ipv6(text)
end

-- address[/prefix]; with `need_prefix` the prefix must be there.
local function check_prefix(text, need_prefix)
  local address = text:match("^([^/]+)/%d+$")
  if not address then
    if need_prefix then return "'" .. text .. "' needs a /prefix (10.255.0.0/16)." end
    if is_address(text) then return nil end
    return "'" .. text .. "' is not an address (10.255.0.1 or 10.255.0.1/16)."
  end
  if valid.is_prefix(text) then return nil end
  return "'" .. text .. "' is not an address with a prefix (10.255.0.0/16)."
end

-- An NBMA address, or a DNS name that resolves to one; digits and dots alone must be an IPv4 address.
local function check_nbma(text)
  if is_address(text) then return nil end
  if not text:match("^[%d.]+$") and valid.is_hostname(text) then return nil end
  return "'" .. text .. "' is not an NBMA address or host name."
end

local function check_seconds(text)
  local n = text:match("^%d+$") and tonumber(text)
  if not n or n < 1 or n > 65535 then return "'" .. text .. "' is not a holding time (1 to 65535 seconds)." end
  return nil
end

-- Checks one list line for `key`; returns its words joined by single spaces, or nil and a message.
local CHECK = {}

function CHECK.map(words)
  if #words < 2 then return "Give protocol-address[/prefix] nbma-address [register] [cisco]." end
  local message = check_prefix(words[1], false) or check_nbma(words[2])
  if message then return message end
  local seen = {}
  for k = 3, #words do
    local flag = words[k]
    if flag ~= "register" and flag ~= "cisco" then return "'" .. flag .. "' is not register or cisco." end
    if seen[flag] then return "'" .. flag .. "' is given twice." end
    seen[flag] = true
  end
  return nil
end

CHECK["dynamic-map"] = function(words)
  if #words ~= 2 then return "Give protocol-address/prefix nbma-domain-name." end
  local message = check_prefix(words[1], true)
  if message then return message end
  if words[2]:match("^[%d.]+$") or not valid.is_hostname(words[2]) then
    return "'" .. words[2] .. "' is not a domain name."
  end
  return nil
end

CHECK["shortcut-target"] = function(words)
  if #words ~= 1 and not (#words == 3 and words[2] == "holding-time") then
    return "Give protocol-address/prefix [holding-time seconds]."
  end
  return check_prefix(words[1], true) or (words[3] and check_seconds(words[3]))
end

function CHECK.multicast(words)
  if #words ~= 1 then return "Give dynamic, nhs or one protocol address." end
  if words[1] == "dynamic" or words[1] == "nhs" or is_address(words[1]) then return nil end
  return "'" .. words[1] .. "' is not dynamic, nhs or an address."
end

local function read()
  local text, tag = acf.fs.read(PATH)
  if text then return opennhrpconf.parse(text), tag end
  if not acf.fs.stat(PATH) then return nil, nil, true end
  return nil, tag
end

local function summary_rows(model)
  local rows = {}
  for _, item in ipairs(model:list()) do
    local flags = {}
    for _, key in ipairs(opennhrpconf.FLAGS) do
      if item[key] then flags[#flags + 1] = key end
    end
    rows[#rows + 1] = {
      interface = item.name, ["interface@href"] = BASE .. "?interface=" .. item.name,
      maps = table.concat(item.map, "; "), ["dynamic maps"] = table.concat(item["dynamic-map"], "; "),
      ["shortcut targets"] = table.concat(item["shortcut-target"], "; "),
      multicast = table.concat(item.multicast, ", "), ["holding time"] = item["holding-time"] or "",
      flags = table.concat(flags, ", "),
      authentication = item["cisco-authentication"] and "yes" or "",
    }
  end
  return rows
end

local function find_item(model, name)
  for _, item in ipairs(model:list()) do
    if item.name == name then return item end
  end
  return nil
end

local function build(model, item, tag)
  local value = {
    blocks = cfe.structure{ label = "Interface blocks in " .. PATH, seq = 1, value = summary_rows(model),
      columns = { "interface", "maps", "dynamic maps", "shortcut targets", "multicast", "holding time", "flags",
        "authentication" } },
    new = cfe.link{ label = "Add an interface block", value = BASE, seq = 2 },
    name = cfe.text{ label = "Interface", value = item and item.name or "", seq = 3,
      descr = "The GRE interface (or, with shortcut-destination only, a LAN interface)." },
    map = cfe.list{ label = "map", value = item and item.map or {}, seq = 4,
      descr = "Static peers, one per line: protocol-address[/prefix] nbma-address [register] [cisco]." },
    dynamic_map = cfe.list{ label = "dynamic-map", value = item and item["dynamic-map"] or {}, seq = 5,
      descr = "Hubs found through DNS, one per line: protocol-address/prefix nbma-domain-name." },
    shortcut_target = cfe.list{ label = "shortcut-target", value = item and item["shortcut-target"] or {}, seq = 6,
      descr = "Networks this interface is the gateway for: protocol-address/prefix [holding-time seconds]." },
    multicast = cfe.list{ label = "multicast", value = item and item.multicast or {}, seq = 7,
      descr = "Where multicast is repeated: dynamic, nhs, or protocol addresses (one per line)." },
    holding_time = cfe.integer{ label = "holding-time (seconds)", seq = 8, min = 1, max = 65535,
      value = item and math.tointeger(tonumber(item["holding-time"])) or item and item["holding-time"] or "",
      descr = "Empty: opennhrp's default of two hours." },
    route_table = cfe.integer{ label = "route-table", seq = 9, min = 0, max = 4294967295,
      value = item and math.tointeger(tonumber(item["route-table"])) or item and item["route-table"] or "",
      descr = "The kernel routing table opennhrp watches; empty: main." },
    cisco_authentication = cfe.password{ label = "cisco-authentication secret", value = "", seq = 10,
      descr = (item and item["cisco-authentication"] and "A secret is set; leave empty to keep it. " or "")
        .. "At most 8 characters, no spaces or '#'." },
    remove_authentication = cfe.boolean{ label = "Remove cisco-authentication", value = false, seq = 11 },
    redirect = cfe.boolean{ label = "redirect (send traffic indications: hubs)", seq = 12,
      value = item and item.redirect or false },
    shortcut = cfe.boolean{ label = "shortcut (build shortcut routes)", seq = 13, value = item and item.shortcut or false },
    shortcut_destination = cfe.boolean{ label = "shortcut-destination (answer for this interface's networks)",
      seq = 14, value = item and item["shortcut-destination"] or false },
    non_caching = cfe.boolean{ label = "non-caching", seq = 15, value = item and item["non-caching"] or false },
    orig_name = cfe.hidden{ value = item and item.name or "" },
    tag = cfe.tag(tag),
  }
  if item and #item.other > 0 then
    value.other = cfe.list{ label = "Other lines (kept as they are)", value = item.other, readonly = true, seq = 16 }
  end
  return cfe.form{ label = item and ("OpenNHRP interface " .. item.name) or "New OpenNHRP interface block",
    option = item and { "Save", { value = "Delete", confirm = "Delete this OpenNHRP interface block? "
      .. "opennhrp is restarted without it; it rolls back unless you keep it." } } or { "Save" }, value = value,
    descr = "Changes are written to " .. PATH .. " in place and opennhrp is restarted; the change rolls back "
      .. "unless you keep it." }
end

local function text_of(field)
  return linelist.trim(tostring(field.value or ""))
end

-- The spec for opennhrpconf's set from the submitted form, or nil and field errors.
local function spec_of(form, current)
  local v, spec, errors = form.value, {}, {}
  for key, field in pairs(LIST_FIELDS) do
    local items = {}
    for number, line in ipairs(v[field].value) do
      local words = linelist.words(line)
      local message
      for _, word in ipairs(words) do
        local ok, why = opennhrpconf.check_word(word)
        if not ok then message = message or why end
      end
      message = message or CHECK[key](words)
      if message then
        errors[field] = errors[field] or ("Line " .. number .. ": " .. message)
      elseif #words > 0 then
        items[#items + 1] = table.concat(words, " ")
      end
    end
    spec[key] = items
  end
  local holding, table_id = text_of(v.holding_time), text_of(v.route_table)
  spec["holding-time"] = holding ~= "" and holding or nil
  spec["route-table"] = table_id ~= "" and table_id or nil
  local secret = tostring(v.cisco_authentication.value or "")
  if v.remove_authentication.value == true then
    spec["cisco-authentication"] = nil
  elseif secret ~= "" then
    if #secret > 8 then
      errors.cisco_authentication = "At most 8 characters."
    elseif secret:find("[%s#%c\127]") then
      errors.cisco_authentication = "No spaces, '#' or control characters."
    else
      spec["cisco-authentication"] = secret
    end
  else
    spec["cisco-authentication"] = current and current["cisco-authentication"] or nil
  end
  for key, field in pairs(FLAG_FIELDS) do spec[key] = v[field].value == true end
  if next(errors) then return nil, errors end
  return spec
end

local function apply(model, tag)
  local changed, tag_or_err = acf.fs.write(PATH, model:text(), tag ~= "" and tag or nil)
  if changed == nil then return nil, tag_or_err end
  if changed then
    acf.progress("Restarting " .. SERVICE)
    local done, err = acf.service.restart(SERVICE)
    if not done then return nil, "Saved, but opennhrp could not be restarted: " .. tostring(err) end
    if done.status ~= 0 then
      return nil, "Saved, but restarting opennhrp failed: " .. (done.stderr or "") .. (done.stdout or "")
    end
  end
  return changed, tag_or_err
end

function M.edit(ctx, input)
  local model, tag, missing = read()
  if not model then
    return cfe.group{ label = "OpenNHRP", value = {
      state = cfe.text{ label = PATH, readonly = true, seq = 1, value = missing
        and ("There is no " .. PATH .. ": this box does not use OpenNHRP (FRR's nhrpd is the current way).")
        or ("It cannot be read: " .. tostring(tag)) } } }
  end
  local selected = input.submit and input.orig_name or input.interface
  selected = type(selected) == "string" and selected or ""
  local current = selected ~= "" and find_item(model, selected) or nil
  local form = build(model, current, tag)
  if selected ~= "" and not current then
    form.errtxt = "There is no interface block " .. selected .. " in " .. PATH .. "."
  end
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local v = form.value
  local expected = cfe.expected_tag(form)

  if input.submit == "Delete" then
    if not current then return cfe.fail(form, nil, "Choose an interface block to delete.") end
    local ok, err = model:remove(current.name)
    if not ok then return cfe.fail(form, nil, err) end
    local changed, new_tag = apply(model, expected)
    if changed == nil then return cfe.fail(form, nil, new_tag) end
    return cfe.done(build(model, nil, new_tag), "Interface block " .. current.name .. " deleted and opennhrp restarted.")
  end

  local name = text_of(v.name)
  local spec, errors = spec_of(form, current)
  errors = errors or {}
  errors.name = check_name(name)
  if not errors.name and (not current or current.name ~= name) and find_item(model, name) then
    errors.name = "There is already a block for " .. name .. "; edit that one."
  end
  if next(errors) then return cfe.fail(form, errors) end
  if current and current.name ~= name then
    local ok, err = model:rename(current.name, name)
    if not ok then return cfe.fail(form, { name = err }) end
  end
  local ok, err = model:set(name, spec)
  if not ok then return cfe.fail(form, nil, err) end
  local changed, new_tag = apply(model, expected)
  if changed == nil then return cfe.fail(form, nil, new_tag) end
  local saved = build(model, find_item(model, name), new_tag)
  return cfe.done(saved, changed and ("Interface block " .. name .. " saved and opennhrp restarted.") or "Nothing changed.")
end

return M
