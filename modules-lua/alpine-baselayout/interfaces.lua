-- interfaces: the network interfaces of /etc/network/interfaces (ifupdown), a stanza per interface and family,
-- edited in place: comments, other stanzas and options the form does not know stay as they are. Saving checks the new
-- file with `ifquery -i FILE --list -a` where ifquery is installed.
local cfe = require("cfe")
local interfaces = require("interfaces")
local valid = require("valid")

local M = {}
local PATH = interfaces.PATH
local BASE = "/alpine-baselayout/interfaces/"

local METHODS = {
  inet = { "static", "dhcp", "manual", "loopback" },
  inet6 = { "static", "auto", "dhcp", "manual" },
}
local FIELD_KEYS = { address = "address", netmask = "netmask", gateway = "gateway", mtu = "mtu" }
local TUNNEL_KEYS = { mode = "tunnel-mode", dev = "tunnel-dev", ["local"] = "tunnel-local", remote = "tunnel-remote",
  ttl = "tunnel-ttl" }
local SCRIPT_KEYS = { pre_up = "pre-up", up = "up", down = "down", post_down = "post-down" }
local SCRIPT_ORDER = { "pre_up", "up", "down", "post_down" }
local TUNNEL_ORDER = { "mode", "dev", "local", "remote", "ttl" }

local function read()
  local text, tag = acf.fs.read(PATH)
  if not text then return nil, tag end
  return interfaces.parse(text), tag
end

local function is_ip(family, text)
  if family == "inet6" then return valid.is_ipv6(text) end
  return valid.is_ipv4(text)
end

local function prefix_ok(family, text)
  local n = text:match("^%d+$") and tonumber(text)
  return n ~= nil and n >= 0 and n <= (family == "inet6" and 128 or 32)
end

local function check_address(family, text)
  local address, prefix = text:match("^([^/]+)/(.*)$")
  address = address or text
  if not is_ip(family, address) then
    return family == "inet6" and "Enter an IPv6 address, optionally with /prefix (2001:db8::1/64)."
      or "Enter an IPv4 address, optionally with /prefix (192.168.1.1/24)."
  end
  if prefix and not prefix_ok(family, prefix) then
    return "The prefix length is 0 to " .. (family == "inet6" and "128" or "32") .. "."
  end
  return nil
end

local function check_netmask(family, text)
  if prefix_ok(family, text) then return nil end
  if family == "inet" and valid.is_ipv4(text) then
    local bits = 0
    for part in text:gmatch("%d+") do bits = bits * 256 + tonumber(part) end
    local inverted = 0xFFFFFFFF - bits
    if inverted & (inverted + 1) == 0 then return nil end
  end
  return family == "inet6" and "Enter a prefix length of 0 to 128." or "Enter a netmask (255.255.255.0) or a prefix length (24)."
end

local function check_name(text)
  if type(text) ~= "string" or not text:match("^[%w._%-]+$") or #text > 15 or text:match("^%.+$") then
    return "1 to 15 letters, digits, '.', '_' and '-'."
  end
  return nil
end

local function method_options()
  local groups = {}
  for _, family in ipairs{ "inet", "inet6" } do
    local values = {}
    for _, method in ipairs(METHODS[family]) do values[#values + 1] = method end
    groups[#groups + 1] = { label = family, value = values }
  end
  return groups
end

local function live_state(name)
  if check_name(name) then return "unknown" end
  local text = acf.fs.read("/sys/class/net/" .. name .. "/operstate")
  local state = text and text:match("^%s*(%S+)")
  return state or "unknown"
end

local function summary(stanza)
  if stanza.method ~= "static" then return stanza.method end
  local address, netmask
  for _, option in ipairs(stanza.options) do
    if option.key == "address" and not address then address = option.value end
    if option.key == "netmask" and not netmask then netmask = option.value end
  end
  if not address then return "" end
  return netmask and (address .. " / " .. netmask) or address
end

function M.status(ctx)
  -- read() answers the model and the file's version tag, or nil and why not: only the second case is an error.
  local model, tag_or_err = read()
  local err = not model and tag_or_err or nil
  local rows = {}
  for _, stanza in ipairs(model and model:list() or {}) do
    local query = "?name=" .. stanza.name .. "&family=" .. stanza.family
    rows[#rows + 1] = {
      name = stanza.name, ["name@href"] = BASE .. "edit" .. query,
      family = stanza.family, method = stanza.method, address = summary(stanza),
      auto = stanza.auto and "yes" or "no", state = live_state(stanza.name),
      control = "Up or down", ["control@href"] = BASE .. "control?name=" .. stanza.name,
      delete = "Delete", ["delete@href"] = BASE .. "delete" .. query,
    }
  end
  return cfe.structure{ label = "Network interfaces", value = rows, errtxt = err,
    descr = "The stanzas of " .. PATH .. ". Add an interface: " .. BASE .. "edit",
    columns = { "name", "family", "method", "address", "auto", "state", "control", "delete" } }
end

-- ifup/ifdown of one interface. The manifest puts this under confirm-or-rollback: taking down (or bringing up) the
-- interface the admin comes through would cut them off, so the opposite command runs again unless the change is kept.
function M.control(ctx, input)
  local model, err = read()
  local name = type(input.name) == "string" and input.name or ""
  local form = cfe.form{ label = "Bring an interface up or down", option = { "Bring up", "Take down" },
    errtxt = not model and err or nil,
    descr = "Runs ifup or ifdown with the stanzas of " .. PATH .. ". The change is undone unless you keep it.",
    value = {
      name = cfe.text{ label = "Interface", value = name, readonly = true, seq = 1 },
      state = cfe.text{ label = "Link state now", value = check_name(name) and "" or live_state(name), readonly = true,
        seq = 2 },
    } }
  if not model then return form end
  if check_name(name) then
    form.errtxt = "Name an interface of " .. PATH .. " (1 to 15 letters, digits, '.', '_' and '-')."
    return form
  end
  local known = false
  for _, stanza in ipairs(model:list()) do
    if stanza.name == name then known = true end
  end
  if not known then
    form.errtxt = "No stanza for " .. name .. " in " .. PATH .. "."
    return form
  end
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local up = input.submit == "Bring up"
  if not up and input.submit ~= "Take down" then return cfe.fail(form, nil, "Choose Bring up or Take down.") end
  local command, undo = up and "ifup" or "ifdown", up and "ifdown" or "ifup"
  local result, exec_err = acf.exec({ command, name }, { rollback = { undo, name } })
  if not result then return cfe.fail(form, nil, exec_err) end
  if result.status ~= 0 then
    return cfe.fail(form, nil, command .. " " .. name .. " failed (exit status " .. result.status .. "): "
      .. (result.stderr or "") .. (result.stdout or ""))
  end
  return cfe.done(form, command .. " " .. name .. " done" .. (result.simulated and " (simulated on the demo host)" or "") .. ".")
end

-- The form's fields from a stanza (or empty for a new one).
local function fields_of(stanza)
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

local function edit_form(model, stanza, tag, err)
  local f = fields_of(stanza)
  local mode_options = { { value = "", label = "None" }, "gre" }
  if f.tunnel.mode ~= "" and f.tunnel.mode ~= "gre" then mode_options[#mode_options + 1] = f.tunnel.mode end
  local value = {
    name = cfe.text{ label = "Interface", value = stanza and stanza.name or "", seq = 1,
      descr = "1 to 15 letters, digits, '.', '_' and '-' (eth0, eth0.10, br0, gre1)." },
    family = cfe.select{ label = "Address family", value = stanza and stanza.family or "inet",
      option = { "inet", "inet6" }, seq = 2 },
    method = cfe.select{ label = "Method", value = stanza and stanza.method or "static", option = method_options(),
      seq = 3, descr = "inet: static, dhcp, manual, loopback; inet6: static, auto, dhcp, manual." },
    auto = cfe.boolean{ label = "Bring up at boot (auto)", value = stanza and stanza.auto or false, seq = 4 },
    address = cfe.text{ label = "Address", value = f.address, seq = 5,
      descr = "An address, optionally with /prefix (192.168.1.1/24, 2001:db8::1/64)." },
    netmask = cfe.text{ label = "Netmask", value = f.netmask, seq = 6,
      descr = "255.255.255.0 or a prefix length; empty when the address has /prefix." },
    gateway = cfe.text{ label = "Gateway", value = f.gateway, seq = 7 },
    mtu = cfe.integer{ label = "MTU", value = math.tointeger(tonumber(f.mtu)) or f.mtu, min = 68, max = 65535, seq = 8 },
    tunnel = cfe.group{ label = "GRE tunnel", seq = 9, value = {
      mode = cfe.select{ label = "Tunnel mode", value = f.tunnel.mode, option = mode_options, seq = 1 },
      dev = cfe.text{ label = "Underlying device (tunnel-dev)", value = f.tunnel.dev, seq = 2 },
      ["local"] = cfe.text{ label = "Local address (tunnel-local)", value = f.tunnel["local"], seq = 3 },
      remote = cfe.text{ label = "Remote address (tunnel-remote)", value = f.tunnel.remote, seq = 4 },
      ttl = cfe.integer{ label = "TTL (tunnel-ttl)", value = math.tointeger(tonumber(f.tunnel.ttl)) or f.tunnel.ttl,
        min = 1, max = 255, seq = 5 },
    } },
    pre_up = cfe.list{ label = "pre-up commands", value = f.scripts.pre_up, seq = 10 },
    up = cfe.list{ label = "up commands", value = f.scripts.up, seq = 11 },
    down = cfe.list{ label = "down commands", value = f.scripts.down, seq = 12 },
    post_down = cfe.list{ label = "post-down commands", value = f.scripts.post_down, seq = 13 },
    other = cfe.list{ label = "Other options", value = f.other, seq = 14,
      descr = "One 'key value' per line, kept as written: vlan-raw-device eth0, bridge-ports eth1 eth2, hostname ..." },
    orig_name = cfe.hidden{ value = stanza and stanza.name or "" },
    orig_family = cfe.hidden{ value = stanza and stanza.family or "" },
    tag = cfe.hidden{ value = tag or "" },
  }
  return cfe.form{ label = stanza and ("Interface " .. stanza.name .. " (" .. stanza.family .. ")") or "New interface",
    option = { "Save" }, errtxt = err, value = value,
    descr = "Changes are written to " .. PATH .. " in place; other stanzas and comments stay as they are." }
end

local function text_of(field)
  local value = field.value
  if value == nil then return "" end
  return (tostring(value):match("^%s*(.-)%s*$"))
end

-- The wanted options from the submitted form, or nil and field errors.
local function options_of(form, family, method)
  local v = form.value
  local errors, options = {}, {}
  local function add(key, value, field)
    local ok, message = interfaces.check_option(key, value)
    if not ok then
      errors[field] = message
      return
    end
    options[#options + 1] = { key = key, value = value }
  end
  local address, netmask, gateway = text_of(v.address), text_of(v.netmask), text_of(v.gateway)
  if address ~= "" then
    local message = check_address(family, address)
    if message then errors.address = message else add("address", address, "address") end
  elseif method == "static" then
    errors.address = "A static interface needs an address."
  end
  if netmask ~= "" then
    local message = check_netmask(family, netmask)
    if message then errors.netmask = message else add("netmask", netmask, "netmask") end
  end
  if gateway ~= "" then
    if not is_ip(family, gateway) then
      errors.gateway = family == "inet6" and "Enter an IPv6 address." or "Enter an IPv4 address."
    else
      add("gateway", gateway, "gateway")
    end
  end
  local mtu = text_of(v.mtu)
  if mtu ~= "" then add("mtu", mtu, "mtu") end
  local tunnel = v.tunnel.value
  for _, k in ipairs(TUNNEL_ORDER) do
    local text = text_of(tunnel[k])
    if text ~= "" then
      if (k == "local" or k == "remote") and not (valid.is_ipv4(text) or valid.is_ipv6(text)) then
        errors["tunnel." .. k] = "Enter an IPv4 or IPv6 address."
      elseif k == "dev" and check_name(text) then
        errors["tunnel.dev"] = check_name(text)
      else
        add(TUNNEL_KEYS[k], text, "tunnel." .. k)
      end
    end
  end
  for number, line in ipairs(v.other.value) do
    local key, value = line:match("^%s*(%S+)%s*(.-)%s*$")
    local ok, message = interfaces.check_option(key or "", value or "")
    if not ok then
      errors.other = errors.other or ("Line " .. number .. ": " .. message)
    else
      options[#options + 1] = { key = key, value = value }
    end
  end
  for _, field in ipairs(SCRIPT_ORDER) do
    for number, line in ipairs(v[field].value) do
      local ok, message = interfaces.check_option(SCRIPT_KEYS[field], line)
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

local function write(model, form)
  local tag = form.value.tag.value
  local changed, tag_or_err = acf.fs.write(PATH, model:text(), tag ~= "" and tag or nil,
    { validate = interfaces.VALIDATOR })
  if changed == nil then return nil, tag_or_err end
  form.value.tag.value = tag_or_err
  -- Saved is applied: networking restarts with the new file. The manifest puts this action under
  -- confirm-or-rollback, so a change that cuts the admin off comes back by itself unless it is kept.
  if changed then
    local applied, err = acf.service.restart("networking")
    if not applied then return nil, err end
    if applied.status ~= 0 then
      return nil, "Saved, but restarting networking failed: " .. (applied.stderr or "") .. (applied.stdout or "")
    end
  end
  return changed
end

function M.edit(ctx, input)
  local model, tag = read()
  local name = type(input.name) == "string" and input.name or ""
  local family = type(input.family) == "string" and input.family or "inet"
  local stanza = model and name ~= "" and model:get(name, family) or nil
  local form = edit_form(model, stanza, model and tag or nil, not model and tag or nil)
  if not input.submit or not model then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local v = form.value
  local new_name, new_family, method = text_of(v.name), v.family.value, v.method.value
  local errors = {}
  errors.name = check_name(new_name)
  if not METHODS[new_family] then
    errors.family = "Choose inet or inet6."
  else
    local allowed = false
    for _, m in ipairs(METHODS[new_family]) do
      if m == method then allowed = true end
    end
    if not allowed then errors.method = "Method " .. tostring(method) .. " is not offered for " .. new_family .. "." end
  end
  if next(errors) then return cfe.fail(form, errors) end
  local options, option_errors = options_of(form, new_family, method)
  if not options then return cfe.fail(form, option_errors) end

  local orig_name, orig_family = v.orig_name.value or "", v.orig_family.value or ""
  local renamed = orig_name ~= "" and (orig_name ~= new_name or orig_family ~= new_family)
  if (orig_name == "" or renamed) and model:get(new_name, new_family) then
    return cfe.fail(form, { name = new_name .. " (" .. new_family .. ") already has a stanza; edit that one." })
  end
  -- A renamed stanza keeps its place and its comments; set() then edits it like any other.
  if renamed and model:rename(orig_name, orig_family, new_name, new_family) == false then
    return cfe.fail(form, nil, "No stanza " .. orig_name .. " (" .. orig_family .. ") in " .. PATH .. " any more; reload the page.")
  end
  local ok, message = model:set(new_name, new_family, method, options, v.auto.value == true)
  if ok == nil then return cfe.fail(form, nil, message) end
  local changed, err = write(model, form)
  if changed == nil then return cfe.fail(form, nil, err) end
  v.orig_name.value, v.orig_family.value = new_name, new_family
  return cfe.done(form, changed and ("Interface " .. new_name .. " saved and networking restarted.") or "Nothing changed.")
end

function M.delete(ctx, input)
  local model, tag = read()
  local name = type(input.name) == "string" and input.name or ""
  local family = type(input.family) == "string" and input.family or "inet"
  local form = cfe.form{ label = "Delete interface", option = { "Delete" }, errtxt = not model and tag or nil,
    value = {
      name = cfe.text{ label = "Interface", value = name, readonly = true, seq = 1 },
      family = cfe.text{ label = "Address family", value = family, readonly = true, seq = 2 },
      tag = cfe.hidden{ value = model and tag or "" },
    } }
  if not model then return form end
  if not model:get(name, family) then
    form.errtxt = "No stanza " .. name .. " (" .. family .. ") in " .. PATH .. "."
    return form
  end
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  model:remove(name, family)
  local changed, err = write(model, form)
  if changed == nil then return cfe.fail(form, nil, err) end
  return cfe.done(form, "Interface " .. name .. " (" .. family .. ") deleted.")
end

return M
