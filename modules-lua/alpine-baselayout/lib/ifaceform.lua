-- ifaceform: a stanza's options split into the interfaces edit form's fields (address, tunnel, scripts, other) and
-- the submitted fields joined back into options, each checked unless the stanza already has it as it is.
local interfaces = require("interfaces")
local valid = require("valid")

local M = {}

local FIELD_KEYS = { address = "address", netmask = "netmask", gateway = "gateway", mtu = "mtu" }
local TUNNEL_KEYS = { mode = "tunnel-mode", dev = "tunnel-dev", ["local"] = "tunnel-local", remote = "tunnel-remote",
  ttl = "tunnel-ttl" }
local SCRIPT_KEYS = { pre_up = "pre-up", up = "up", down = "down", post_down = "post-down" }
local SCRIPT_ORDER = { "pre_up", "up", "down", "post_down" }
local TUNNEL_ORDER = { "mode", "dev", "local", "remote", "ttl" }

local function check_netmask(family, text)
  local bits = text:match("^%d%d?%d?$") and tonumber(text)
  if bits and bits <= (family == "inet6" and 128 or 32) then return nil end
  if family ~= "inet6" and valid.is_netmask(text) then return nil end
  return family == "inet6" and "Enter a prefix length of 0 to 128." or "Enter a netmask (255.255.255.0) or a prefix length (24)."
end

function M.check_name(text)
  if not valid.is_interface(text) then return "1 to 15 letters, digits, '.', '_' and '-'." end
  return nil
end

-- The form's fields from a stanza (or empty for a new one).
function M.fields_of(stanza)
  local fields = { address = "", netmask = "", gateway = "", mtu = "", tunnel = {}, scripts = {}, other = {} }
  for _, k in ipairs(TUNNEL_ORDER) do fields.tunnel[k] = "" end
  for _, k in ipairs(SCRIPT_ORDER) do fields.scripts[k] = {} end
  local taken = {}
  for _, option in ipairs(stanza and stanza.options or {}) do
    local placed = false
    for field, key in pairs(FIELD_KEYS) do
      if option.key == key and not taken[key] then
        fields[field], taken[key], placed = option.value, true, true
      end
    end
    for field, key in pairs(TUNNEL_KEYS) do
      if option.key == key and not taken[key] then
        fields.tunnel[field], taken[key], placed = option.value, true, true
      end
    end
    for field, key in pairs(SCRIPT_KEYS) do
      if option.key == key then
        local list = fields.scripts[field]
        list[#list + 1], placed = option.value, true
      end
    end
    if not placed then fields.other[#fields.other + 1] = option.key .. " " .. option.value end
  end
  return fields
end

function M.text_of(field)
  local value = field.value
  if value == nil then return "" end
  return (tostring(value):match("^%s*(.-)%s*$"))
end

-- The wanted options from the submitted form, or nil and field errors. Options the stanza already has (`known`) are
-- not checked again: what the file says is the admin's, even where Acf would not write it so.
function M.options_of(form, family, method, known)
  local v = form.value
  local errors, options = {}, {}
  local function check_option(key, value)
    if known[key .. " " .. value] then return true end
    return interfaces.check_option(key, value)
  end
  local function add(key, value, field)
    local ok, message = check_option(key, value)
    if not ok then
      errors[field] = message
      return
    end
    options[#options + 1] = { key = key, value = value }
  end
  local address, netmask, gateway = M.text_of(v.address), M.text_of(v.netmask), M.text_of(v.gateway)
  if address ~= "" then
    local message = not known["address " .. address] and valid.network(address, family) or nil
    if message then errors.address = message else add("address", address, "address") end
  elseif method == "static" and family ~= "" then
    errors.address = "A static interface needs an address."
  end
  if netmask ~= "" then
    local message = not known["netmask " .. netmask] and check_netmask(family, netmask) or nil
    if message then errors.netmask = message else add("netmask", netmask, "netmask") end
  end
  if gateway ~= "" then
    if not valid.is_ip(gateway, family) and not known["gateway " .. gateway] then
      errors.gateway = family == "inet6" and "Enter an IPv6 address." or family == "inet" and "Enter an IPv4 address."
        or "Enter an IPv4 or IPv6 address."
    else
      add("gateway", gateway, "gateway")
    end
  end
  local mtu = M.text_of(v.mtu)
  if mtu ~= "" then add("mtu", mtu, "mtu") end
  local tunnel = v.tunnel.value
  for _, k in ipairs(TUNNEL_ORDER) do
    local text = M.text_of(tunnel[k])
    if text ~= "" then
      if known[TUNNEL_KEYS[k] .. " " .. text] then
        add(TUNNEL_KEYS[k], text, "tunnel." .. k)
      elseif (k == "local" or k == "remote") and not valid.is_ip(text) then
        errors["tunnel." .. k] = "Enter an IPv4 or IPv6 address."
      elseif k == "dev" and M.check_name(text) then
        errors["tunnel.dev"] = M.check_name(text)
      else
        add(TUNNEL_KEYS[k], text, "tunnel." .. k)
      end
    end
  end
  for number, line in ipairs(v.other.value) do
    local key, value = line:match("^%s*(%S+)%s*(.-)%s*$")
    local ok, message = check_option(key or "", value or "")
    if not ok then
      errors.other = errors.other or ("Line " .. number .. ": " .. message)
    else
      options[#options + 1] = { key = key, value = value }
    end
  end
  for _, field in ipairs(SCRIPT_ORDER) do
    for number, line in ipairs(v[field].value) do
      local ok, message = check_option(SCRIPT_KEYS[field], (line:match("^%s*(.-)%s*$")))
      if not ok then
        errors[field] = errors[field] or ("Line " .. number .. ": " .. message)
      else
        options[#options + 1] = { key = SCRIPT_KEYS[field], value = (line:match("^%s*(.-)%s*$")) }
      end
    end
  end
  if next(errors) then return nil, errors end
  return options
end

return M
