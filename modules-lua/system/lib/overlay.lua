-- overlay: the check of an uploaded apkovl before a restore. Every member is sorted into what the restore writes,
-- what it leaves alone, and what makes it refuse the whole archive: a name that is absolute or has "..", a member
-- lbu never writes (a device, a hard link, a fifo), or a path outside what lbu backs up (its built-in "+etc" and
-- the "+" lines of lbu.list, less the "-" lines). Symbolic links and files outside /etc are listed and skipped.
local M = {}

M.LBU_LIST = "/etc/apk/protected_paths.d/lbu.list"

-- lbu's include and exclude rules as path prefixes relative to / (etc, root/.ssh).
function M.rules(list_text)
  local rules = { include = { "etc" }, exclude = {} }
  for line in ((list_text or "") .. "\n"):gmatch("([^\n]*)\n") do
    local sign, path = line:match("^%s*([+-]?)(%S+)%s*$")
    if path and not path:find("^#") then
      path = path:gsub("^/+", ""):gsub("/+$", "")
      local into = sign == "-" and rules.exclude or rules.include
      if path ~= "" then into[#into + 1] = path end
    end
  end
  return rules
end

local function under(path, prefix)
  return path == prefix or path:sub(1, #prefix + 1) == prefix .. "/"
end

local function any_under(path, prefixes)
  for _, prefix in ipairs(prefixes) do
    if under(path, prefix) then return true end
  end
  return false
end

local REFUSED_KINDS = { device = "a device", hardlink = "a hard link", fifo = "a fifo", other = "a special file" }

-- The member's path relative to / (etc/hostname), or nil and why the archive is refused for it.
local function checked_path(member, rules)
  local name = member.name
  if name:find("[%c]") then return nil, "its name has control characters" end
  if name:find("^/") then return nil, "an absolute path" end
  local parts = {}
  for part in name:gmatch("[^/]+") do
    if part == ".." then return nil, "a path with '..'" end
    if part ~= "." then parts[#parts + 1] = part end
  end
  if #parts == 0 then return "" end
  local path = table.concat(parts, "/")
  if REFUSED_KINDS[member.kind] then return nil, REFUSED_KINDS[member.kind] .. ": lbu writes only files, folders and links" end
  if not any_under(path, rules.include) then return nil, "outside what lbu backs up" end
  if any_under(path, rules.exclude) then return nil, "excluded by " .. M.LBU_LIST end
  return path
end

local function is_text(bytes)
  return not bytes:find("\0", 1, true) and utf8.len(bytes) ~= nil
end

-- "+3 -1 lines", "new, 120 bytes", "binary, 2048 bytes".
local function summary(old, new)
  if old == nil then return "new, " .. #new .. " bytes" end
  if not (is_text(old) and is_text(new)) then return "binary, " .. #old .. " -> " .. #new .. " bytes" end
  local diff = acf.text.diff(old, new) or ""
  local added, removed = 0, 0
  for line in diff:gmatch("[^\n]+") do
    if line:find("^%+") and not line:find("^%+%+%+") then added = added + 1 end
    if line:find("^%-") and not line:find("^%-%-%-") then removed = removed + 1 end
  end
  return "+" .. added .. " -" .. removed .. " lines"
end

-- The plan for `members` (acf.lbu.members): { writes = { {path, content, mode, old} }, rows = {...} for the table,
-- refused = number of members that refuse the archive }. `read(path)` gives a file's current bytes or nil.
function M.plan(members, rules, read)
  local plan = { writes = {}, rows = {}, refused = 0 }
  local function row(path, change, detail) plan.rows[#plan.rows + 1] = { path = path, change = change, detail = detail } end
  for _, member in ipairs(members) do
    local path, why = checked_path(member, rules)
    if not path then
      plan.refused = plan.refused + 1
      row(member.name, "refused", why)
    elseif path == "" or member.kind == "directory" then
      -- folders are made by the writes of their files
    elseif member.kind == "symlink" then
      row("/" .. path, "skipped", "a link to " .. tostring(member.target) .. ": links are not restored here")
    elseif not under(path, "etc") then
      row("/" .. path, "skipped", "outside /etc: this page restores /etc only")
    else
      local current = read("/" .. path)
      if current == member.content then
        row("/" .. path, "unchanged", "")
      else
        plan.writes[#plan.writes + 1] = { path = "/" .. path, content = member.content, mode = member.mode, old = current }
        row("/" .. path, current == nil and "added" or "changed", summary(current, member.content))
      end
    end
  end
  return plan
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

-- Base64 of the archive, so a checked upload can travel back with the Restore press (a hidden field).
function M.base64(bytes)
  local out = {}
  for k = 1, #bytes, 3 do
    local a, b, c = bytes:byte(k, k + 2)
    local n = (a << 16) | ((b or 0) << 8) | (c or 0)
    out[#out + 1] = B64:sub((n >> 18) + 1, (n >> 18) + 1) .. B64:sub(((n >> 12) & 63) + 1, ((n >> 12) & 63) + 1)
      .. (b and B64:sub(((n >> 6) & 63) + 1, ((n >> 6) & 63) + 1) or "=")
      .. (c and B64:sub((n & 63) + 1, (n & 63) + 1) or "=")
  end
  return table.concat(out)
end

return M
