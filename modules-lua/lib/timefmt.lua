-- timefmt: Unix times as text without os.date (the sandbox has no os library). UTC, ISO-like.
local M = {}

-- Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
local function civil(days)
  days = days + 719468
  local era = (days >= 0 and days or days - 146096) // 146097
  local doe = days - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local day = doy - (153 * mp + 2) // 5 + 1
  local month = mp < 10 and mp + 3 or mp - 9
  local year = yoe + era * 400 + (month <= 2 and 1 or 0)
  return year, month, day
end

-- "2026-11-28 21:40 UTC"
function M.utc(seconds)
  seconds = math.tointeger(seconds) or math.floor(tonumber(seconds) or 0)
  local year, month, day = civil(seconds // 86400)
  local rest = seconds % 86400
  return string.format("%04d-%02d-%02d %02d:%02d UTC", year, month, day, rest // 3600, (rest % 3600) // 60)
end

-- "2026-11-28 22:40:05" for Unix seconds at `offset` seconds from UTC (ctx.utc_offset: the machine's local time).
function M.local_time(seconds, offset)
  seconds = (math.tointeger(seconds) or math.floor(tonumber(seconds) or 0)) + (math.tointeger(offset) or 0)
  local year, month, day = civil(seconds // 86400)
  local rest = seconds % 86400
  return string.format("%04d-%02d-%02d %02d:%02d:%02d", year, month, day, rest // 3600, (rest % 3600) // 60, rest % 60)
end

return M
