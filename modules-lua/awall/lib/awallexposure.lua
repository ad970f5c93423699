-- awallexposure: what each zone can reach, on this box and through it, in the combined set of enabled policies:
-- the filters and policies that accept, and the port forwards. Shown before Apply; a change that opens the box's
-- own SSH, Acf or DNS to the WAN is named in words and needs the admin's confirmation.
-- It lists what is accepted; a drop filter that comes first for the same traffic is not subtracted.
local files = require("awallfiles")
local lockout = require("awalllockout")
local awallvalues = require("awallvalues")

local M = {}

local json = acf.json
local as_list, resolve, port_in = lockout.as_list, lockout.resolve, lockout.port_in

M.ROUTER = "this router"
M.ANY = "(any zone)"

-- A zone facing the Internet: named WAN (any case), or any zone at all (a rule without `in`).
function M.is_wan(zone) return zone == M.ANY or zone:lower() == "wan" end

local function entries(section)
  if json.is_object(section) then return { section } end
  return type(section) == "table" and section or {}
end

local function text_of(list) return table.concat(list, ", ") end

-- The box's own services the admin must not open to the WAN by accident, by the ports they listen on.
local function sensitive_of(defs, acf_port)
  local found, seen = {}, {}
  local function add(label) if not seen[label] then seen[label] = true; found[#found + 1] = label end end
  if defs == nil then
    add("SSH"); add("Acf"); add("DNS")
    return found
  end
  for _, def in ipairs(defs) do
    for _, entry in ipairs(as_list(def) or {}) do
      if type(entry) == "table" and (entry.proto == "tcp" or entry.proto == "udp") then
        local all = entry.port == nil
        if entry.proto == "tcp" and (all or port_in(entry.port, 22)) then add("SSH") end
        if entry.proto == "tcp" and (all or port_in(entry.port, 443) or (acf_port and port_in(entry.port, acf_port))) then add("Acf") end
        if all or port_in(entry.port, 53) then add("DNS") end
      end
    end
  end
  return found
end

-- A service list as the table shows it: `ssh (tcp/22)`; nil (no `service`) is everything.
local function services_text(names, known)
  if not names then return "everything" end
  local parts = {}
  for _, name in ipairs(names) do
    local ports = {}
    for _, entry in ipairs(as_list(known[name]) or {}) do
      if type(entry) == "table" and type(entry.proto) == "string" then
        ports[#ports + 1] = entry.proto .. (entry.port ~= nil and ("/" .. (awallvalues.render_value("port", entry.port) or "?")) or "")
      end
    end
    parts[#parts + 1] = tostring(name) .. (#ports > 0 and (" (" .. table.concat(ports, " ") .. ")") or "")
  end
  return text_of(parts)
end

local function dnat_target(value)
  if type(value) == "string" then return value end
  if json.is_object(value) and type(value.addr) == "string" then
    return value.addr .. (value.port ~= nil and (":" .. tostring(value.port)) or "")
  end
  return "?"
end

-- Rows { zone, reaches, what, because, policy, router (true when it reaches this box), sensitive = { labels } }.
-- opts.acf_port: Acf's port (counts as Acf like https).
function M.rows(docs, opts)
  opts = opts or {}
  local variables, known = {}, files.known_services(docs)
  for _, d in ipairs(docs) do
    if json.is_object(d.doc.variable) then for k, v in pairs(d.doc.variable) do if type(k) == "string" then variables[k] = v end end end
  end
  local rows = {}
  local function add(ins, reaches, to_router, service, src, because, policy)
    local names = resolve(as_list(service), variables)
    local defs
    if names then defs = {}; for _, n in ipairs(names) do defs[#defs + 1] = known[n] end end
    local what = services_text(names, known)
    local sources = resolve(as_list(src), variables)
    if sources then what = what .. " from " .. text_of(sources) end
    for _, zone in ipairs(resolve(as_list(ins), variables) or { M.ANY }) do
      if zone ~= "_fw" then
        rows[#rows + 1] = { zone = tostring(zone), reaches = reaches, what = what, because = because, policy = policy,
          router = to_router, sensitive = to_router and sensitive_of(defs, opts.acf_port) or {} }
      end
    end
  end
  for _, d in ipairs(docs) do
    for number, f in ipairs(entries(d.doc.filter)) do
      local action = json.is_object(f) and (f.action or "accept")
      if action == "accept" then
        local because = "filter " .. number .. " of " .. d.name
        if f.dnat ~= nil then
          add(f["in"], "forward to " .. dnat_target(f.dnat) .. " (port forward)", false, f.service, f.src, because, d.name)
        else
          local outs = resolve(as_list(f.out), variables)
          local dest = f.dest ~= nil and (" " .. text_of(resolve(as_list(f.dest), variables))) or ""
          for _, out in ipairs(outs or { "_fw", "(any zone)" }) do
            if out == "_fw" then add(f["in"], M.ROUTER .. dest, true, f.service, f.src, because, d.name)
            else add(f["in"], "through to " .. tostring(out) .. dest, false, f.service, f.src, because, d.name) end
          end
        end
      end
    end
    for number, p in ipairs(entries(d.doc.policy)) do
      if json.is_object(p) and p.action == "accept" then
        local because = "policy " .. number .. " of " .. d.name
        for _, out in ipairs(resolve(as_list(p.out), variables) or { "_fw", "(any zone)" }) do
          if out == "_fw" then add(p["in"], M.ROUTER, true, nil, nil, because, d.name)
          else add(p["in"], "through to " .. tostring(out), false, nil, nil, because, d.name) end
        end
      end
    end
    for number, n in ipairs(entries(d.doc.dnat)) do
      if json.is_object(n) then
        local target = n["to-addr"] and (tostring(n["to-addr"]) .. (n["to-port"] and (":" .. tostring(n["to-port"])) or "")) or "this router"
        add(n["in"], "forward to " .. target .. " (dnat; its accept is a separate filter)", false, n.service, n.src,
          "dnat " .. number .. " of " .. d.name, d.name)
      end
    end
  end
  table.sort(rows, function(a, b)
    if a.zone ~= b.zone then return a.zone < b.zone end
    if a.router ~= b.router then return a.router end
    return a.because < b.because
  end)
  return rows
end

-- The table for a form.
function M.structure(rows, seq, label)
  local value = {}
  for _, r in ipairs(rows) do value[#value + 1] = { zone = r.zone, reaches = r.reaches, what = r.what, because = r.because } end
  return { type = "structure", label = label or "What each zone can reach (enabled policies)", value = value, seq = seq,
    columns = { "zone", "reaches", "what", "because" } }
end

-- The box's own services reachable from the WAN: { label = { because, ... } } and the labels in order.
function M.wan_openings(rows, skip_policy)
  local open, order = {}, {}
  for _, r in ipairs(rows) do
    if M.is_wan(r.zone) and r.policy ~= skip_policy then
      for _, label in ipairs(r.sensitive) do
        if not open[label] then open[label] = {}; order[#order + 1] = label end
        table.insert(open[label], r.because)
      end
    end
  end
  return open, order
end

-- nil when the change opens none of SSH, Acf, DNS to the WAN; else the sentence that says which and why.
function M.newly_opened(before_rows, after_rows)
  local before = M.wan_openings(before_rows)
  local after, order = M.wan_openings(after_rows)
  local parts = {}
  for _, label in ipairs(order) do
    if not before[label] then parts[#parts + 1] = label .. " (" .. text_of(after[label]) .. ")" end
  end
  if #parts == 0 then return nil end
  return "This change opens this router's " .. text_of(parts) .. " to the WAN."
end

return M
