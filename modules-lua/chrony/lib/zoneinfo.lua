-- zoneinfo: the time zones of the box and the one it uses. Alpine's setup-timezone (alpine-conf) makes
-- /etc/localtime a link to /usr/share/zoneinfo/<Zone> when tzdata stays installed; the zones offered are the files
-- of that tree on the box itself, so a zone is valid exactly when the box has its file.
local M = {}

M.LOCALTIME = "/etc/localtime"
M.ROOT = "/usr/share/zoneinfo"

-- Zone names start with a capital letter (Europe, UTC, Etc/GMT+5); the rest of the tree is tzdata's own files
-- (zone.tab, tzdata.zi, leapseconds, posixrules) or the posix/ and right/ copies of every zone.
local SKIP = { posix = true, right = true, Factory = true, SECURITY = true }

local function walk(folder, prefix, depth, zones)
  for _, entry in ipairs(acf.fs.list(folder) or {}) do
    local name = entry.name
    if name:match("^[A-Z][%w_+%-]*$") and not SKIP[name] then
      if entry.type == "directory" then
        if depth < 3 then walk(folder .. "/" .. name, prefix .. name .. "/", depth + 1, zones) end
      else
        zones[#zones + 1] = prefix .. name
      end
    end
  end
  return zones
end

-- Every zone of the box, sorted.
function M.zones()
  local zones = walk(M.ROOT, "", 1, {})
  table.sort(zones)
  return zones
end

-- The zone /etc/localtime names ("Europe/Berlin"); nil and why when it is missing or a copy rather than a link.
function M.current()
  local status = acf.fs.stat(M.LOCALTIME)
  if not status then return nil, M.LOCALTIME .. " does not exist: the box runs on UTC." end
  if not status.target then return nil, M.LOCALTIME .. " is a copy of a zone file, not a link (an older setup-timezone made it); Acf changes only a link. Remove the copy first." end
  return status.target:match("zoneinfo/(.+)$") or status.target
end

-- Points /etc/localtime at the zone's file: changed (true/false), or nil and a message.
function M.set(zone)
  return acf.fs.link(M.LOCALTIME, M.ROOT .. "/" .. zone)
end

return M
