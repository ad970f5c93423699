-- logfiles: the files under /var/log: a list, a view with a filter, a live tail that follows the file, a download.
local cfe = require("cfe")
local timefmt = require("timefmt")

local M = {}
local ROOT = "/var/log"
local TAIL_BYTES = 256 * 1024

-- Log files one folder deep (/var/log/messages, /var/log/squid/access.log).
local function files()
  local found = {}
  local function scan(dir, depth)
    for _, entry in ipairs(acf.fs.list(dir) or {}) do
      local path = dir .. "/" .. entry.name
      if entry.type == "file" then
        local stat = acf.fs.stat(path)
        found[#found + 1] = { path = path, size = entry.size, mtime = stat and stat.mtime or 0 }
      elseif entry.type == "directory" and depth < 1 then
        scan(path, depth + 1)
      end
    end
  end
  scan(ROOT, 0)
  table.sort(found, function(a, b) return a.path < b.path end)
  return found
end

local function is_log(path)
  if type(path) ~= "string" or path:find("/%.%.") or path:sub(1, #ROOT + 1) ~= ROOT .. "/" then return false end
  for _, file in ipairs(files()) do
    if file.path == path then return true end
  end
  return false
end

local function size_text(bytes)
  if bytes >= 1048576 then return string.format("%.1f MiB", bytes / 1048576) end
  if bytes >= 1024 then return string.format("%.1f KiB", bytes / 1024) end
  return bytes .. " B"
end

function M.status(ctx)
  local rows = {}
  for _, file in ipairs(files()) do
    rows[#rows + 1] = { file = file.path, ["file@href"] = "/alpine-baselayout/logfiles/view?file=" .. file.path,
      size = size_text(file.size), modified = timefmt.utc(file.mtime) }
  end
  return cfe.structure{ label = "Log files", value = rows, columns = { "file", "size", "modified" } }
end

-- The last lines of one log, optionally only those containing a text; with "follow" the page refreshes it.
function M.view(ctx, input)
  local path = cfe.query(input, "file", "")
  local filter = cfe.query(input, "filter", "")
  local lines = math.tointeger(tonumber(input.lines)) or 200
  if lines < 1 then lines = 1 elseif lines > 5000 then lines = 5000 end
  local follow = input.follow == "true"
  local form = cfe.form{
    label = "Log " .. path,
    option = { "Show" },
    refresh = follow and 2 or nil,
    value = {
      file = cfe.hidden{ value = path },
      filter = cfe.text{ label = "Only lines containing", value = filter, seq = 1 },
      lines = cfe.integer{ label = "Lines", value = tostring(lines), min = 1, max = 5000, seq = 2 },
      follow = cfe.boolean{ label = "Follow as the file grows", value = follow, seq = 3 },
      content = cfe.raw{ label = (path:match("[^/]+$") or "log"), value = "", seq = 4 },
    },
  }
  if not is_log(path) then
    form.errtxt = "Choose a file under " .. ROOT .. "."
    return form
  end
  local text, err = acf.fs.read(path, { tail = TAIL_BYTES })
  if not text then
    form.errtxt = err
    return form
  end
  local kept = {}
  for line in text:gmatch("[^\n]+") do
    if filter == "" or line:find(filter, 1, true) then kept[#kept + 1] = line end
  end
  local first = math.max(1, #kept - lines + 1)
  form.value.content.value = table.concat(kept, "\n", first, #kept)
  return form
end

return M
