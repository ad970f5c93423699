-- wizard: the common router in one form: WAN and LAN zones, LAN masqueraded to WAN, Acf (on the port the admin
-- uses now) and ssh reachable from the LAN, everything else dropped, and port forwards from WAN as a table.
-- It merges into /etc/awall/optional/router.json (what else the file holds stays), enables it and applies it under
-- confirm-or-rollback. Other enabled policies that let the WAN in break "everything else is dropped": the wizard
-- names them before Apply and either disables them in the same Apply or says plainly what stays open.
local cfe = require("cfe")
local awallfiles = require("awallfiles")
local awallvalues = require("awallvalues")
local awalllockout = require("awalllockout")
local awallrouter = require("awallrouter")
local exposure = require("awallexposure")
local awallapply = require("awallapply")
local valid = require("valid")

local M = {}
local json = acf.json
local NAME = "router"
local PATH = awallfiles.OPTIONAL .. "/" .. NAME .. ".json"

-- What the current router.json says, so the wizard opens where it left off.
local function current()
  local file = awallfiles.read(PATH)
  local state = awallrouter.read(file and file.doc)
  state.file = file
  if state.lan_net == "" then
    local network = (awalllockout.interface_networks()[state.lan] or {})[1]
    state.lan_net = network and awalllockout.network_of(network) or ""
  end
  return state
end

-- The admin's address when it is outside the LAN: it stays allowed to reach Acf from the WAN.
local function admin_outside(ctx, lan, lan_net)
  local address = ctx.origin and ctx.origin.address
  if address then address = address:match("^::ffff:(%d+%.%d+%.%d+%.%d+)$") or address end
  if not (address and valid.is_ipv4(address)) or awalllockout.contains("127.0.0.0/8", address) then return nil end
  local networks = awallvalues.is_prefix(lan_net) and { lan_net } or (awalllockout.interface_networks()[lan] or {})
  for _, prefix in ipairs(networks) do
    if awalllockout.contains(prefix, address) then return nil end
  end
  return address
end

-- The router policy these fields make, merged into the file that is there: doc and text.
local function build(ctx, state, port)
  local file = state.file
  local edit = file and awallfiles.edit_of(file)
  local doc = awallrouter.merge(edit and edit.doc, { wan = state.wan, lan = state.lan, lan_net = state.lan_net or "",
    port = port, ssh = state.ssh ~= false, admin = admin_outside(ctx, state.lan, state.lan_net or ""), forwards = state.rows })
  return doc, edit and awallfiles.render(edit) or awallfiles.encode(doc, "  ")
end

-- The other enabled policies that let the WAN in once the router policy is on (`off`: names to switch off):
-- the exposure rows, the names of those policies, and a sentence that says what stays open and why.
local function breaking(ctx, doc, off)
  local switch = { [NAME] = true }
  for name in pairs(off or {}) do switch[name] = false end
  local rows = exposure.rows(awallfiles.active_set({ [NAME] = doc }, switch), { acf_port = ctx.origin and ctx.origin.port })
  local names, seen, reasons = {}, {}, {}
  for _, r in ipairs(rows) do
    if exposure.is_wan(r.zone) and r.policy ~= NAME then
      if not seen[r.policy] then seen[r.policy] = true; names[#names + 1] = r.policy end
      reasons[#reasons + 1] = r.what .. " to " .. r.reaches .. " (" .. r.because .. ")"
    end
  end
  if #names == 0 then return rows, names, nil end
  local _, labels = exposure.wan_openings(rows, NAME)
  local open = #labels > 0 and (table.concat(labels, ", ") .. " stays open from the WAN") or "The WAN can still reach more than the forwards"
  return rows, names, open .. " because of " .. table.concat(names, ", ") .. ": " .. table.concat(reasons, "; ") .. "."
end

local function form_of(ctx, state)
  local table_rows = {}
  for _, r in ipairs(state.rows) do
    table_rows[#table_rows + 1] = { service = r.service, to_addr = r.to_addr, to_port = r.to_port or "" }
  end
  local port = ctx.origin and ctx.origin.port
  local doc = build(ctx, state, math.tointeger(tonumber(state.acf_port or "")) or port or 443)
  local rows, names, open = breaking(ctx, doc, state.off)
  return cfe.form{
    label = "Router wizard",
    option = { "Apply" },
    descr = "Writes " .. PATH .. " for a router (what else the file holds stays): the LAN reaches the Internet "
      .. "through the WAN (masqueraded), Acf and ssh are reachable from the LAN, port forwards come in from the WAN "
      .. "(only the forwarded traffic)" .. (open and (". Not everything else is dropped: " .. open) or ", and everything else is dropped.")
      .. " Apply enables it and activates it; it rolls back unless you keep it.",
    value = {
      wan = cfe.text{ label = "WAN interface", value = state.wan, seq = 1, descr = "Towards the Internet, e.g. eth0 or ppp0." },
      lan = cfe.text{ label = "LAN interface", value = state.lan, seq = 2, descr = "The local network, e.g. eth1 or br0." },
      lan_net = cfe.text{ label = "LAN network", value = state.lan_net or "", seq = 3,
        descr = "e.g. 192.168.1.0/24: written to the LAN zone, and used to tell whether you connect from the LAN." },
      acf_port = cfe.integer{ label = "Acf's port", value = state.acf_port or (port and tostring(port) or "443"), min = 1, max = 65535, seq = 4,
        descr = "The port you reach Acf on now" .. (ctx.origin and ctx.origin.address and (" (from " .. ctx.origin.address .. ")") or "")
          .. "; it stays open from the LAN, and from your address when you are outside it." },
      ssh = cfe.boolean{ label = "Allow ssh from the LAN", value = state.ssh ~= false, seq = 5 },
      -- A rule table: rows added, removed and moved in the browser, every cell checked on Apply.
      forwards = cfe.records{ label = "Port forwards", value = table_rows, seq = 6,
        descr = "A service awall knows (http, https, ...) or PROTO/PORT, e.g. tcp/2222; to a LAN host, e.g. "
          .. "192.168.1.10, and optionally to another port on it.",
        fields = {
          { name = "service", label = "Service to forward", type = "text" },
          { name = "to_addr", label = "To address", type = "text" },
          { name = "to_port", label = "To port", type = "text" },
        } },
      exposure = exposure.structure(rows, 11, "What each zone can reach after Apply (all enabled policies)"),
      disable_others = cfe.boolean{ label = "Disable the other policies that let the WAN in", value = false, seq = 12,
        descr = #names > 0 and ("Switches off " .. table.concat(names, ", ") .. " in the same Apply (rolled back with it).")
          or "No other enabled policy lets the WAN in." },
      keep_others = cfe.boolean{ label = "Keep them enabled", value = false, seq = 13,
        descr = "Apply with the other policies as they are: what they open stays open." },
      apply_anyway = cfe.boolean{ label = "Apply anyway", value = false, seq = 14,
        descr = "Apply even when the check says the new rules would cut off your own connection to Acf." },
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
  local function trim(text) return (text or ""):match("^%s*(.-)%s*$") end
  local rows = {}
  for i, r in ipairs(f.forwards.value) do
    rows[i] = { service = trim(r.service), to_addr = trim(r.to_addr), to_port = trim(r.to_port) }
    if rows[i].to_port == "" then rows[i].to_port = nil end
  end
  state = { wan = f.wan.value, lan = f.lan.value, ssh = f.ssh.value, acf_port = tostring(f.acf_port.value or ""),
    lan_net = (f.lan_net.value or ""):match("^%s*(.-)%s*$"), rows = rows, file = initial.file }
  local function again(errors, message)
    local next_form = form_of(ctx, state)
    if errors or message then return cfe.fail(next_form, errors, message) end
    next_form.submitted = true
    return next_form
  end
  -- Every row is checked on each Apply; an error sits on its cell.
  local known = awallfiles.known_services({})
  local function check_row(r)
    if r.service == "" then return "service", "Enter a service." end
    local proto, port = r.service:match("^(%a+)/(%d+)$")
    if proto then
      if proto ~= "tcp" and proto ~= "udp" then return "service", "Forward tcp/PORT or udp/PORT." end
      if not awallvalues.is_port(port) then return "service", "'" .. port .. "' is not a port." end
    elseif not known[r.service] then
      return "service", "'" .. r.service .. "' is not a service awall knows; write PROTO/PORT instead."
    end
    if not valid.is_ipv4(r.to_addr) then return "to_addr", "'" .. r.to_addr .. "' is not an IPv4 address." end
    if r.to_port and not (r.to_port:match("^%d+$") and awallvalues.is_port(r.to_port)) then return "to_port", "'" .. r.to_port .. "' is not a port." end
    return nil
  end
  for i, r in ipairs(rows) do
    local column, message = check_row(r)
    if column then cfe.cell_error(f.forwards, i, column, message) end
  end
  if f.forwards.errtxt then return cfe.fail(form) end
  if input.submit ~= "Apply" then
    return again(nil, "Unknown button.")
  end
  if not awallvalues.is_iface(state.wan) then return again({ wan = "Not an interface name." }) end
  if not awallvalues.is_iface(state.lan) then return again({ lan = "Not an interface name." }) end
  if state.wan == state.lan then return again({ lan = "The LAN and the WAN need different interfaces." }) end
  if state.lan_net ~= "" and state.lan_net ~= initial.lan_net and not awallvalues.is_prefix(state.lan_net) then
    return again({ lan_net = "A network, e.g. 192.168.1.0/24." })
  end
  local port = f.acf_port.value
  if type(port) ~= "number" then return again({ acf_port = "Enter Acf's port." }) end
  local doc, text = build(ctx, state, port)
  -- Other enabled policies that let the WAN in: disabled in the same Apply, or kept when the admin says so.
  local off = {}
  local _, names, open = breaking(ctx, doc)
  if open and f.disable_others.value then
    for _, name in ipairs(names) do
      local p = awallfiles.find(name)
      if p and p.kind == "optional" then off[name] = true end
    end
    state.off = off
    _, names, open = breaking(ctx, doc, off)
  end
  if open and not f.keep_others.value then
    return again({ disable_others = open .. " Tick 'Disable the other policies' to switch them off in this Apply, or 'Keep them enabled'." },
      "Not applied: " .. open)
  end
  local switch = { [NAME] = true }
  for name in pairs(off) do switch[name] = false end
  local ifaces = awalllockout.interface_networks()
  if awallvalues.is_prefix(state.lan_net) then ifaces[state.lan] = { state.lan_net } end
  local warning = not f.apply_anyway.value and awalllockout.lockout(awallfiles.active_set({ [NAME] = doc }, switch), ctx.origin, ifaces)
  if warning then
    return again({ apply_anyway = warning .. " Tick 'Apply anyway' to apply it all the same." },
      "Not applied: the new rules would cut off your connection.")
  end
  local file, policy = initial.file, awallfiles.find(NAME)
  local steps = {}
  if not file or text ~= file.text then
    steps[1] = { path = PATH, text = text, tag = file and file.tag or "absent", previous = file and file.text }
  end
  if not (policy and policy.enabled) then steps[#steps + 1] = { switch = NAME, enabled = true } end
  local disabled = {}
  for name in pairs(off) do disabled[#disabled + 1] = name end
  table.sort(disabled)
  for _, name in ipairs(disabled) do steps[#steps + 1] = { switch = name, enabled = false } end
  if #steps == 0 then return cfe.done(form_of(ctx, state), "Nothing changed.") end
  local ok, err = awallapply.apply(steps)
  if not ok then return again(nil, err) end
  local done = form_of(ctx, state)
  return cfe.done(done, "The router policy is written to " .. PATH .. ", enabled and applied"
    .. (#disabled > 0 and ("; " .. table.concat(disabled, ", ") .. " disabled") or "") .. ". "
    .. (open and open or "Everything else from the WAN is dropped.") .. " " .. err .. " Keep the change or it rolls back.")
end

return M
