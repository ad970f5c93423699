-- shellvars: shell-style KEY=value files (lbu.conf, /etc/conf.d/*), edited in place. Comments, order and unknown
-- lines stay as they are; setting a key to the value it has changes nothing, so an unchanged save writes the
-- same bytes.
local M = {}
local File = {}
File.__index = File

function M.parse(text)
  local lines = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = line end
  -- A final newline leaves one empty piece at the end: remember it instead of keeping a phantom line.
  local trailing = text:sub(-1) == "\n" or text == ""
  if trailing then lines[#lines] = nil end
  -- A CRLF file (its first line ends in CR) keeps CRLF: a line set in place keeps its own CR, a new line gets one.
  local crlf = lines[1] ~= nil and lines[1]:sub(-1) == "\r"
  return setmetatable({ lines = lines, trailing = trailing, cr = crlf and "\r" or "" }, File)
end

local function unquote(value)
  value = value:match("^%s*(.-)%s*$")
  local inner = value:match('^"(.*)"$') or value:match("^'(.*)'$")
  return inner or value
end

-- The line index of the key's active assignment (the last one wins in a shell), and its value.
function File:find(key)
  local found, value
  for i, line in ipairs(self.lines) do
    local v = line:match("^%s*" .. key .. "=(.*)$")
    if v then found, value = i, unquote(v) end
  end
  return found, value
end

function File:get(key)
  local _, value = self:find(key)
  return value
end

local function quote(value)
  if value:match("^[%w%$%._/:@%-]*$") then return value end
  return "'" .. value:gsub("'", "'\\''") .. "'"
end

-- Sets the key (an empty value comments the assignment out); keys are [A-Z_][A-Z0-9_]*, values one line.
function File:set(key, value)
  assert(key:match("^[%a_][%w_]*$"), "bad key")
  assert(not value:find("[%c]"), "control characters in a value")
  local index, current = self:find(key)
  if (current or "") == value then return end
  if index then
    local line = self.lines[index]
    local cr = line:sub(-1) == "\r" and "\r" or ""
    self.lines[index] = value == "" and ("# " .. line) or (key .. "=" .. quote(value) .. cr)
    return
  end
  if value == "" then return end
  for i, line in ipairs(self.lines) do
    if line:match("^%s*#%s*" .. key .. "=") then -- next to its commented example, as an admin would write it
      table.insert(self.lines, i + 1, key .. "=" .. quote(value) .. self.cr)
      return
    end
  end
  self.lines[#self.lines + 1] = key .. "=" .. quote(value) .. self.cr
end

function File:text()
  local text = table.concat(self.lines, "\n")
  if self.trailing and #self.lines > 0 then text = text .. "\n" end
  return text
end

return M
