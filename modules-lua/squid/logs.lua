-- logs: squid's access.log (native format): the last lines with a filter, and the numbers of a period as a chart.
local cfe = require("cfe")
local timefmt = require("timefmt")

local M = {}
local LOG = "/var/log/squid/access.log"
local TAIL = 4 * 1024 * 1024

-- A line as the admin reads it: squid's leading Unix time (1795824104.197) as the machine's local time
-- (2026-11-28 22:41:44.197); the offset is today's, so lines from before a daylight-saving change are an hour off.
local function shown_line(line, offset)
  local seconds, millis, rest = line:match("^(%d+)(%.?%d*)(.*)$")
  if not seconds or #seconds > 12 then return line end
  return timefmt.local_time(tonumber(seconds), offset) .. millis .. rest
end

function M.view(ctx, input)
  local filter = cfe.query(input, "filter", "")
  local lines = math.tointeger(tonumber(input.lines)) or 200
  if lines < 1 then lines = 1 elseif lines > 5000 then lines = 5000 end
  local follow = input.follow == "true"
  local form = cfe.form{
    label = "Access log",
    option = { "Show" },
    refresh = follow and 2 or nil,
    value = {
      filter = cfe.text{ label = "Only lines containing", value = filter, seq = 1,
        descr = "A client address, a domain, TCP_DENIED, ..." },
      lines = cfe.integer{ label = "Lines", value = tostring(lines), min = 1, max = 5000, seq = 2 },
      follow = cfe.boolean{ label = "Follow as the file grows", value = follow, seq = 3 },
      content = cfe.raw{ label = "access.log", value = "", seq = 4,
        descr = "Times are this machine's local time; the filter also matches squid's own Unix time." },
    },
  }
  local text, err = acf.fs.read(LOG, { tail = 512 * 1024 })
  if not text then form.errtxt = err return form end
  local kept = {}
  for line in text:gmatch("[^\n]+") do
    if filter == "" or line:find(filter, 1, true) then kept[#kept + 1] = shown_line(line, ctx.utc_offset) end
  end
  form.value.content.value = table.concat(kept, "\n", math.max(1, #kept - lines + 1), #kept)
  return form
end

local PERIODS = { { "all", "Everything in the log" }, { "hour", "Last hour" }, { "day", "Last 24 hours" }, { "week", "Last 7 days" } }
local SECONDS = { hour = 3600, day = 86400, week = 604800 }

-- The host of a request: http://host[:port]/path, or host:port for CONNECT.
local function host_of(method, url)
  if method == "CONNECT" then return (url:match("^([^:/]+)")) end
  return (url:match("^%a+://([^/:]+)"))
end

function M.stats(ctx, input)
  local period = type(input.period) == "string" and SECONDS[input.period] and input.period or "all"
  local options = {}
  for _, p in ipairs(PERIODS) do options[#options + 1] = { value = p[1], label = p[2] } end
  local form = cfe.form{
    label = "Proxy statistics",
    option = { "Show" },
    value = {
      period = cfe.select{ label = "Period", value = period, option = options, seq = 1 },
      summary = cfe.structure{ label = "Summary", value = {}, columns = { "measure", "value" }, seq = 2 },
      domains = cfe.chart{ label = "Top domains (requests)", value = {}, columns = { "domain", "requests" }, seq = 3 },
    },
  }
  local text, err = acf.fs.read(LOG, { tail = TAIL })
  if not text then form.errtxt = err return form end
  local since = SECONDS[period] and (ctx.now - SECONDS[period]) or nil
  local requests, hits, bytes, first, last = 0, 0, 0, nil, nil
  local per_domain = {}
  -- time elapsed client action/code size method URL ...
  local PATTERN = "^(%d+)%.?%d*%s+%d+%s+%S+%s+([^/%s]+)/%d+%s+(%d+)%s+(%S+)%s+(%S+)"
  for line in text:gmatch("[^\n]+") do
    local time, action, size, method, url = line:match(PATTERN)
    local t = tonumber(time)
    if t and (not since or t >= since) then
      requests = requests + 1
      if action:find("HIT", 1, true) then hits = hits + 1 end
      bytes = bytes + tonumber(size)
      first = first or t
      last = t
      local host = host_of(method, url)
      if host then per_domain[host] = (per_domain[host] or 0) + 1 end
    end
  end
  local ranked = {}
  for domain, count in pairs(per_domain) do ranked[#ranked + 1] = { domain = domain, requests = count } end
  table.sort(ranked, function(a, b) return a.requests > b.requests or (a.requests == b.requests and a.domain < b.domain) end)
  local top = {}
  for i = 1, math.min(10, #ranked) do top[i] = { domain = ranked[i].domain, requests = tostring(ranked[i].requests) } end
  form.value.domains.value = top
  form.value.summary.value = {
    { measure = "Requests", value = tostring(requests) },
    { measure = "Hit ratio", value = requests > 0 and string.format("%.1f %%", 100 * hits / requests) or "-" },
    { measure = "Traffic", value = string.format("%.1f MiB", bytes / 1048576) },
    { measure = "From", value = first and timefmt.utc(first) or "-" },
    { measure = "To", value = last and timefmt.utc(last) or "-" },
  }
  return form
end

return M
