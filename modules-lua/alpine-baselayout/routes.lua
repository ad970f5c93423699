-- routes: static routes in /etc/route.conf, one `ip route add` argument list per line, applied by the staticroute
-- service. Comments and their places are kept; the route lines are replaced in place, in the order given.
local cfe = require("cfe")
local valid = require("valid")
local linelist = require("lines")

local M = {}
local PATH = "/etc/route.conf"

local function is_active(line)
  return line.text:match("%S") and not line.text:match("^%s*#")
end

local function routes_of(lines)
  local list = {}
  for _, line in ipairs(lines) do
    if is_active(line) then list[#list + 1] = line.text:match("^%s*(.-)%s*$") end
  end
  return list
end

-- One route: DEST [via GATEWAY] [dev IFACE] [metric N] [src ADDRESS], with at least a gateway or a device.
local function check_route(route)
  local words = linelist.words(route)
  local dest = words[1]
  if not dest or not (dest == "default" or valid.is_prefix(dest)) then
    return "'" .. tostring(dest) .. "' is not a destination (a network such as 10.0.0.0/8, an address, or default)."
  end
  local seen = {}
  local i = 2
  while i <= #words do
    local key, value = words[i], words[i + 1]
    if seen[key] then return "'" .. key .. "' is given twice." end
    seen[key] = true
    if not value then return "'" .. key .. "' needs a value." end
    if key == "via" or key == "src" then
      if not (valid.is_ipv4(value) or valid.is_ipv6(value)) then return "'" .. value .. "' is not an address." end
    elseif key == "dev" then
      if not value:match("^[%w._-]+$") or #value > 15 then return "'" .. value .. "' is not an interface name." end
    elseif key == "metric" then
      if not value:match("^%d+$") or #value > 10 then return "'" .. value .. "' is not a metric." end
    else
      return "'" .. key .. "' is not offered here: use via, dev, metric or src."
    end
    i = i + 2
  end
  if not seen.via and not seen.dev then return "A route needs a gateway (via) or a device (dev)." end
  return nil
end

-- The route lines become exactly `routes`: existing lines are reused in place, extra ones dropped, new ones added
-- after the last route (or at the end); comments and blank lines stay where they are.
local function replace_routes(lines, routes)
  local nl = linelist.newline(lines)
  local result, next_route, last = {}, 1, 0
  for _, line in ipairs(lines) do
    if is_active(line) then
      if routes[next_route] then
        local text = line.text:match("^%s*(.-)%s*$") == routes[next_route] and line.text or routes[next_route]
        result[#result + 1] = { text = text, eol = line.eol ~= "" and line.eol or nl }
        next_route = next_route + 1
        last = #result
      end
    else
      result[#result + 1] = line
    end
  end
  if #result > 0 and result[#result].eol == "" and next_route <= #routes then result[#result].eol = nl end
  local at = last > 0 and last or #result
  for k = next_route, #routes do
    at = at + 1
    table.insert(result, at, { text = routes[k], eol = nl })
  end
  return result
end

function M.edit(ctx, input)
  local text, tag = acf.fs.read(PATH)
  local lines = linelist.split(text or "")
  local form = cfe.form{
    label = "Static routes",
    option = { "Save" },
    descr = "One route per line as `ip route add` takes it, e.g. 10.20.0.0/16 via 192.168.1.254 dev eth1. "
      .. "Saving restarts the staticroute service; the change rolls back unless you keep it.",
    value = {
      routes = cfe.list{ label = PATH, value = routes_of(lines), seq = 1 },
      tag = cfe.tag(text and tag),
    },
  }
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local routes = {}
  for number, route in ipairs(form.value.routes.value) do
    route = route:match("^%s*(.-)%s*$")
    local message = check_route(route)
    if message then return cfe.fail(form, { routes = "Line " .. number .. ": " .. message }) end
    routes[#routes + 1] = route
  end
  local changed, refused = cfe.written(form, acf.fs.write(PATH, linelist.join(replace_routes(lines, routes)),
    cfe.expected_tag(form, text and tag or "absent")))
  if refused then return refused end
  if changed then
    local applied, err = acf.service.restart("staticroute")
    if not applied then return cfe.fail(form, nil, err) end
    if applied.status ~= 0 then return cfe.fail(form, nil, "Saved, but restarting staticroute failed.") end
  end
  return cfe.done(form, changed and "Routes saved and applied." or "Nothing changed.")
end

return M
