-- interfaces: the network interfaces of /etc/network/interfaces (ifupdown), a stanza per interface and family,
-- edited in place: comments, other stanzas and options the form does not know stay as they are. Saving checks the new
-- file with `ifquery -i FILE --list -a` where ifquery is installed.
local cfe = require("cfe")
local interfaces = require("interfaces")
local ifaceform = require("ifaceform")

local M = {}
local PATH = interfaces.PATH
local BASE = "/alpine-baselayout/interfaces/"

-- The methods offered for a new stanza (a stanza keeps any method its file gives it). No family at all is
-- ifupdown-ng's own form: `iface br0` with `use bridge`, `requires bond0` among its options.
local METHODS = {
  inet = { "static", "dhcp", "manual", "loopback", "ppp" },
  inet6 = { "static", "auto", "dhcp", "manual", "loopback" },
}
local NO_FAMILY = { value = "", label = "None (ifupdown-ng: 'use' options)" }
local function read()
  local text, tag = acf.fs.read(PATH)
  if not text then return nil, tag end
  return interfaces.parse(text), tag
end

local function method_offered(family, method)
  for _, m in ipairs(METHODS[family] or {}) do
    if m == method then return true end
  end
  return false
end

-- The families and methods offered: the usual ones, and the stanza's own where the file has another.
local function family_options(stanza)
  local list = { NO_FAMILY, "inet", "inet6" }
  if stanza and stanza.family ~= "" and not METHODS[stanza.family] then list[#list + 1] = stanza.family end
  return list
end

local function method_options(stanza)
  local groups = { { value = "", label = "None" } }
  for _, family in ipairs{ "inet", "inet6" } do
    local values = {}
    for _, method in ipairs(METHODS[family]) do values[#values + 1] = method end
    groups[#groups + 1] = { label = family, value = values }
  end
  if stanza and stanza.method ~= "" and not method_offered(stanza.family, stanza.method) then
    groups[#groups + 1] = { label = "this file's", value = { stanza.method } }
  end
  return groups
end

local function live_state(name)
  if ifaceform.check_name(name) then return "unknown" end
  local text = acf.fs.read("/sys/class/net/" .. name .. "/operstate")
  local state = text and text:match("^%s*(%S+)")
  return state or "unknown"
end

local function summary(stanza)
  if stanza.method ~= "static" and stanza.method ~= "" then return stanza.method end
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
    local query = "?name=" .. stanza.name .. "&family=" .. stanza.family .. (stanza.n > 1 and ("&n=" .. stanza.n) or "")
    local row = { name = stanza.name, family = stanza.family, method = stanza.method, address = summary(stanza),
      auto = stanza.auto and "yes" or "no", state = live_state(stanza.name) }
    if stanza.kind == "template" then
      -- A template is inherited by stanzas, never brought up itself: shown, kept, not edited here.
      row.method, row.state = "template", ""
    else
      row["name@href"], row["delete@href"] = BASE .. "edit" .. query, BASE .. "delete" .. query
      row.control, row["control@href"] = "Up or down", BASE .. "control?name=" .. stanza.name
      row.delete = "Delete"
    end
    rows[#rows + 1] = row
  end
  return cfe.structure{ label = "Network interfaces", value = rows, errtxt = err,
    descr = "The stanzas of " .. PATH .. ". Add an interface: " .. BASE .. "edit",
    columns = { "name", "family", "method", "address", "auto", "state", "control", "delete" } }
end

-- ifup/ifdown of one interface. The manifest puts this under confirm-or-rollback: taking down (or bringing up) the
-- interface the admin comes through would cut them off, so the opposite command runs again unless the change is kept.
function M.control(ctx, input)
  local model, err = read()
  local name = cfe.query(input, "name", "")
  local form = cfe.form{ label = "Bring an interface up or down", option = { "Bring up", "Take down" },
    errtxt = not model and err or nil,
    descr = "Runs ifup or ifdown with the stanzas of " .. PATH .. ". The change is undone unless you keep it.",
    value = {
      name = cfe.text{ label = "Interface", value = name, readonly = true, seq = 1 },
      state = cfe.text{ label = "Link state now", value = ifaceform.check_name(name) and "" or live_state(name), readonly = true,
        seq = 2 },
    } }
  if not model then return form end
  if ifaceform.check_name(name) then
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

local function edit_form(model, stanza, tag, err)
  local f = ifaceform.fields_of(stanza)
  local mode_options = { { value = "", label = "None" }, "gre" }
  if f.tunnel.mode ~= "" and f.tunnel.mode ~= "gre" then mode_options[#mode_options + 1] = f.tunnel.mode end
  local value = {
    name = cfe.text{ label = "Interface", value = stanza and stanza.name or "", seq = 1,
      descr = "1 to 15 letters, digits, '.', '_' and '-' (eth0, eth0.10, br0, gre1)." },
    family = cfe.select{ label = "Address family", value = stanza and stanza.family or "inet",
      option = family_options(stanza), seq = 2,
      descr = "None is ifupdown-ng's own form (iface br0, with use bridge, requires ... under Other options)." },
    method = cfe.select{ label = "Method", value = stanza and stanza.method or "static", option = method_options(stanza),
      seq = 3, descr = "inet: static, dhcp, manual, loopback, ppp; inet6: static, auto, dhcp, manual, loopback; "
        .. "none without a family." },
    inherits = stanza and stanza.inherits ~= "" and cfe.text{ label = "Inherits (from the iface line)",
      value = stanza.inherits, readonly = true, seq = 4 } or nil,
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
    -- tabs: a tab inside a command or value is whitespace to ifupdown, as in the file's own lines.
    pre_up = cfe.list{ label = "pre-up commands", value = f.scripts.pre_up, seq = 10, tabs = true },
    up = cfe.list{ label = "up commands", value = f.scripts.up, seq = 11, tabs = true },
    down = cfe.list{ label = "down commands", value = f.scripts.down, seq = 12, tabs = true },
    post_down = cfe.list{ label = "post-down commands", value = f.scripts.post_down, seq = 13, tabs = true },
    other = cfe.list{ label = "Other options", value = f.other, seq = 14, tabs = true,
      descr = "One 'key value' per line, kept as written: use bond, requires eth0 eth1, bridge-ports eth1 eth2 ..." },
    orig_name = cfe.hidden{ value = stanza and stanza.name or "" },
    orig_family = cfe.hidden{ value = stanza and stanza.family or "" },
    orig_n = cfe.hidden{ value = stanza and tostring(stanza.n) or "1" },
    tag = cfe.tag(tag),
  }
  local what = stanza and stanza.family ~= "" and (" (" .. stanza.family .. ")") or ""
  return cfe.form{ label = stanza and ("Interface " .. stanza.name .. what) or "New interface",
    option = { "Save" }, errtxt = err, value = value,
    descr = "Changes are written to " .. PATH .. " in place; other stanzas and comments stay as they are. Saving "
      .. "restarts networking: every interface goes down and those marked auto come back up (one brought up by hand "
      .. "stays down), and the change rolls back unless you keep it." }
end

local function write(model, form)
  local changed, tag_or_err = acf.fs.write(PATH, model:text(), cfe.expected_tag(form), { validate = interfaces.VALIDATOR })
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

-- The stanza a request names: name, family ("" for ifupdown-ng's form) and its number among stanzas of both. A link
-- without a family (edit?name=eth0) names the first stanza of that name, whatever its family: with ifupdown-ng's
-- `iface eth0` it used to open an empty "New interface" form whose unchanged save was refused (issue 14).
local function named(input, model)
  local name = cfe.query(input, "name", "")
  local family = cfe.query(input, "family")
  if not family then
    for _, stanza in ipairs(model and model:list() or {}) do
      if not family and stanza.kind == "iface" and stanza.name == name then family = stanza.family end
    end
  end
  family = family or "inet"
  local n = math.tointeger(tonumber(input.n)) or 1
  return name, family, n
end

-- Errors of the head words: a new or changed name must be one Linux takes; a method must fit the family, unless it is
-- the one the stanza already has.
local function check_head(v, stanza)
  local errors = {}
  local name, family, method = ifaceform.text_of(v.name), v.family.value or "", v.method.value or ""
  if not (stanza and stanza.name == name) then errors.name = ifaceform.check_name(name) end
  local kept = stanza and stanza.family == family and stanza.method == method
  if family == "" then
    if method ~= "" then errors.method = "Without a family there is no method; choose None or a family." end
  elseif not kept and not METHODS[family] then
    errors.family = "Choose none, inet or inet6."
  elseif not kept and not method_offered(family, method) then
    errors.method = "Method " .. method .. " is not offered for " .. family .. "."
  end
  return next(errors) and errors or nil
end

function M.edit(ctx, input)
  local model, tag = read()
  local name, family, n = named(input, model)
  local stanza = model and name ~= "" and model:get(name, family, n) or nil
  local form = edit_form(model, stanza, model and tag or nil, not model and tag or nil)
  if not input.submit or not model then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local v = form.value
  local orig_name, orig_family = v.orig_name.value or "", v.orig_family.value or ""
  local orig_n = math.tointeger(tonumber(v.orig_n.value)) or 1
  local original = orig_name ~= "" and model:get(orig_name, orig_family, orig_n) or nil
  if orig_name ~= "" and not original then
    return cfe.fail(form, nil, "No stanza " .. orig_name .. " in " .. PATH .. " any more; reload the page.")
  end
  local head_errors = check_head(v, original)
  if head_errors then return cfe.fail(form, head_errors) end
  local new_name, new_family, method = ifaceform.text_of(v.name), v.family.value or "", v.method.value or ""
  local known = original and model:known_options(orig_name, orig_family, orig_n) or {}
  local options, option_errors = ifaceform.options_of(form, new_family, method, known)
  if not options then return cfe.fail(form, option_errors) end

  local renamed = original and (orig_name ~= new_name or orig_family ~= new_family)
  if (not original or renamed) and model:get(new_name, new_family) then
    return cfe.fail(form, { name = new_name .. (new_family ~= "" and (" (" .. new_family .. ")") or "")
      .. " already has a stanza; edit that one." })
  end
  -- A renamed stanza keeps its place and its comments; set() then edits it like any other.
  local ok, message = true, nil
  if renamed then ok, message = model:rename(orig_name, orig_family, orig_n, new_name, new_family, method) end
  if ok then ok, message = model:set(new_name, new_family, method, options, v.auto.value == true, renamed and 1 or orig_n) end
  if ok == nil then return cfe.fail(form, nil, message) end
  local changed, err = write(model, form)
  if changed == nil then return cfe.fail(form, nil, err) end
  v.orig_name.value, v.orig_family.value = new_name, new_family
  if renamed then v.orig_n.value = "1" end
  return cfe.done(form, changed and ("Interface " .. new_name .. " saved and networking restarted.") or "Nothing changed.")
end

function M.delete(ctx, input)
  local model, tag = read()
  local name, family, n = named(input, model)
  local form = cfe.form{ label = "Delete interface", errtxt = not model and tag or nil,
    option = { { value = "Delete", confirm = "Delete this interface's stanza from /etc/network/interfaces? "
      .. "It takes effect the next time networking starts." } },
    value = {
      name = cfe.text{ label = "Interface", value = name, readonly = true, seq = 1 },
      family = cfe.text{ label = "Address family", value = family, readonly = true, seq = 2 },
      n = cfe.text{ label = "Stanza of this name", value = tostring(n), readonly = true, seq = 3 },
      tag = cfe.tag(model and tag),
    } }
  if not model then return form end
  if not model:get(name, family, n) then
    form.errtxt = "No stanza " .. name .. " (" .. family .. ") in " .. PATH .. "."
    return form
  end
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  model:remove(name, family, n)
  local changed, err = write(model, form)
  if changed == nil then return cfe.fail(form, nil, err) end
  return cfe.done(form, "Interface " .. name .. " (" .. family .. ") deleted.")
end

return M
