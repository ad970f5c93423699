-- wizard: the common router in one form: WAN and LAN zones, LAN masqueraded to WAN, Acf (on the port the admin
-- uses now) and ssh reachable from the LAN, everything else dropped, and port forwards from WAN as a table.
-- It writes /etc/awall/optional/router.json, enables it and applies it under confirm-or-rollback.
local cfe = require("cfe")
local awallfiles = require("awallfiles")
local awallvalues = require("awallvalues")
local awalllockout = require("awalllockout")
local awallrouter = require("awallrouter")
local awallapply = require("awallapply")
local valid = require("valid")

local M = {}
local json = acf.json
local NAME = "router"
local PATH = awallfiles.OPTIONAL .. "/" .. NAME .. ".json"

-- The forwards travel in a hidden field between clicks (one line, so ';' between rows): SERVICE TO-ADDR [TO-PORT].
local function parse_state(text)
  local rows = {}
  for line in (text or ""):gmatch("[^;]+") do
    local service, addr, port = line:match("^(%S+) (%S+) ?(%S*)$")
    if service then rows[#rows + 1] = { service = service, to_addr = addr, to_port = port ~= "" and port or nil } end
  end
  return rows
end

local function state_of(rows)
  local lines = {}
  for _, r in ipairs(rows) do lines[#lines + 1] = r.service .. " " .. r.to_addr .. (r.to_port and (" " .. r.to_port) or "") end
  return table.concat(lines, ";")
end

-- What the current router.json says, so the wizard opens where it left off.
local function current()
  local file = awallfiles.read(PATH)
  local doc = file and file.doc
  local rows = {}
  local wan, lan = "eth0", "eth1"
  if doc then
    if json.is_object(doc.zone) then
      if json.is_object(doc.zone.WAN) and type(doc.zone.WAN.iface) == "string" then wan = doc.zone.WAN.iface end
      if json.is_object(doc.zone.LAN) and type(doc.zone.LAN.iface) == "string" then lan = doc.zone.LAN.iface end
    end
    local services = json.is_object(doc.service) and doc.service or {}
    for _, d in ipairs(type(doc.dnat) == "table" and doc.dnat or {}) do
      if json.is_object(d) and type(d.service) == "string" and type(d["to-addr"]) == "string" then
        local service = d.service
        local def = services[service]
        if json.is_object(def) and service == def.proto .. "-" .. tostring(def.port) then service = def.proto .. "/" .. def.port end
        rows[#rows + 1] = { service = service, to_addr = d["to-addr"], to_port = d["to-port"] and tostring(d["to-port"]) or nil }
      end
    end
  end
  return { wan = wan, lan = lan, rows = rows, file = file }
end

local function form_of(ctx, state)
  local table_rows = {}
  for i, r in ipairs(state.rows) do
    table_rows[#table_rows + 1] = { row = tostring(i), service = r.service, to_addr = r.to_addr, to_port = r.to_port or "" }
  end
  local port = ctx.origin and ctx.origin.port
  return cfe.form{
    label = "Router wizard",
    option = { "Add forward", "Remove forward", "Apply" },
    descr = "Writes " .. PATH .. " for a router: the LAN reaches the Internet through the WAN (masqueraded), "
      .. "Acf and ssh are reachable from the LAN, port forwards come in from the WAN, and everything else is "
      .. "dropped. Apply enables it and activates it; it rolls back unless you keep it.",
    value = {
      wan = cfe.text{ label = "WAN interface", value = state.wan, seq = 1, descr = "Towards the Internet, e.g. eth0 or ppp0." },
      lan = cfe.text{ label = "LAN interface", value = state.lan, seq = 2, descr = "The local network, e.g. eth1 or br0." },
      acf_port = cfe.integer{ label = "Acf's port", value = state.acf_port or (port and tostring(port) or "443"), min = 1, max = 65535, seq = 3,
        descr = "The port you reach Acf on now" .. (ctx.origin and ctx.origin.address and (" (from " .. ctx.origin.address .. ")") or "")
          .. "; it stays open from the LAN, and from your address when you are outside it." },
      ssh = cfe.boolean{ label = "Allow ssh from the LAN", value = state.ssh ~= false, seq = 4 },
      forwards = cfe.structure{ label = "Port forwards", value = table_rows, seq = 5,
        columns = { "row", "service", "to_addr", "to_port" } },
      forward_service = cfe.text{ label = "Service to forward", value = "", seq = 6,
        descr = "A service awall knows (http, https, ...) or PROTO/PORT, e.g. tcp/2222." },
      forward_addr = cfe.text{ label = "To address", value = "", seq = 7, descr = "A LAN host, e.g. 192.168.1.10." },
      forward_port = cfe.text{ label = "To port", value = "", seq = 8, descr = "Optional: the port on that host." },
      forward_row = cfe.integer{ label = "Row to remove", value = "", min = 1, seq = 9 },
      apply_anyway = cfe.boolean{ label = "Apply anyway", value = false, seq = 10,
        descr = "Apply even when the check says the new rules would cut off your own connection to Acf." },
      state = cfe.hidden{ value = state_of(state.rows) },
    },
  }
end

function M.router(ctx, input)
  local initial = current()
  local state = initial
  if not input.submit then return form_of(ctx, state) end
  local form = form_of(ctx, state)
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local f = form.value
  state = { wan = f.wan.value, lan = f.lan.value, ssh = f.ssh.value, acf_port = tostring(f.acf_port.value or ""),
    rows = parse_state(f.state.value) }
  local function again(errors, message)
    local next_form = form_of(ctx, state)
    next_form.value.forward_service.value = f.forward_service.value
    next_form.value.forward_addr.value = f.forward_addr.value
    next_form.value.forward_port.value = f.forward_port.value
    if errors or message then return cfe.fail(next_form, errors, message) end
    next_form.submitted = true
    return next_form
  end
  -- Rows are checked when they are added; a row carried in the hidden field is checked again before use.
  local known = awallfiles.known_services({})
  local function check_row(r)
    local proto, port = r.service:match("^(%a+)/(%d+)$")
    if proto then
      if proto ~= "tcp" and proto ~= "udp" then return "forward_service", "Forward tcp/PORT or udp/PORT." end
      if not awallvalues.is_port(port) then return "forward_service", "'" .. port .. "' is not a port." end
    elseif not known[r.service] then
      return "forward_service", "'" .. r.service .. "' is not a service awall knows; write PROTO/PORT instead."
    end
    if not valid.is_ipv4(r.to_addr) then return "forward_addr", "'" .. r.to_addr .. "' is not an IPv4 address." end
    if r.to_port and not (r.to_port:match("^%d+$") and awallvalues.is_port(r.to_port)) then return "forward_port", "'" .. r.to_port .. "' is not a port." end
    return nil
  end
  for _, r in ipairs(state.rows) do
    local field, message = check_row(r)
    if field then return again(nil, "A port forward in the form is not valid: " .. message) end
  end
  if input.submit == "Add forward" then
    local r = { service = (f.forward_service.value or ""):match("^%s*(.-)%s*$"), to_addr = (f.forward_addr.value or ""):match("^%s*(.-)%s*$"),
      to_port = (f.forward_port.value or ""):match("^%s*(.-)%s*$") }
    if r.to_port == "" then r.to_port = nil end
    if r.service == "" then return again({ forward_service = "Enter a service." }) end
    local field, message = check_row(r)
    if field then return again({ [field] = message }) end
    state.rows[#state.rows + 1] = r
    local next_form = form_of(ctx, state)
    next_form.submitted = true
    next_form.descr = "Port forward added; press Apply to write and activate the policy."
    return next_form
  elseif input.submit == "Remove forward" then
    local row = f.forward_row.value
    if type(row) ~= "number" or row > #state.rows then
      return again({ forward_row = "Enter the number of a row (1 to " .. #state.rows .. ")." })
    end
    table.remove(state.rows, row)
    local next_form = form_of(ctx, state)
    next_form.submitted = true
    next_form.descr = "Port forward removed; press Apply to write and activate the policy."
    return next_form
  elseif input.submit ~= "Apply" then
    return again(nil, "Unknown button.")
  end
  if not awallvalues.is_iface(state.wan) then return again({ wan = "Not an interface name." }) end
  if not awallvalues.is_iface(state.lan) then return again({ lan = "Not an interface name." }) end
  if state.wan == state.lan then return again({ lan = "The LAN and the WAN need different interfaces." }) end
  local port = f.acf_port.value
  if type(port) ~= "number" then return again({ acf_port = "Enter Acf's port." }) end
  -- The admin keeps access from where they are: their own address is let in from the WAN when it is not on the LAN.
  local address = ctx.origin and ctx.origin.address
  if address then address = address:match("^::ffff:(%d+%.%d+%.%d+%.%d+)$") or address end
  local admin
  if address and valid.is_ipv4(address) and not awalllockout.contains("127.0.0.0/8", address) then
    local inside = false
    for _, prefix in ipairs(awalllockout.interface_networks()[state.lan] or {}) do
      if awalllockout.contains(prefix, address) then inside = true end
    end
    if not inside then admin = address end
  end
  local doc = awallrouter.router({ wan = state.wan, lan = state.lan, port = port, ssh = state.ssh, admin = admin, forwards = state.rows })
  local text = awallfiles.encode(doc, "  ")
  local policy = awallfiles.find(NAME)
  local warning = not f.apply_anyway.value and awalllockout.lockout(awallfiles.active_set({ [NAME] = doc }, { [NAME] = true }), ctx.origin,
    awalllockout.interface_networks())
  if warning then
    return again({ apply_anyway = warning .. " Tick 'Apply anyway' to apply it all the same." },
      "Not applied: the new rules would cut off your connection.")
  end
  local file = initial.file
  local steps = { { path = PATH, text = text, tag = file and file.tag or "absent", previous = file and file.text } }
  if not (policy and policy.enabled) then steps[2] = { switch = NAME, enabled = true } end
  local ok, err = awallapply.apply(steps)
  if not ok then return again(nil, err) end
  local done = form_of(ctx, state)
  return cfe.done(done, "The router policy is written to " .. PATH .. ", enabled and applied. Keep the change or it rolls back.")
end

return M
