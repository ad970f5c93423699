-- swanctlconf: strongSwan's swanctl.conf (the settings syntax: `name {` sections, `key = value`, `#` comments,
-- `include` lines) as a lossless model. Every byte is kept; setting a key touches only that key's value (its spacing
-- and a trailing comment stay), new keys and sections go at the end of their section, and a file parsed and written
-- without a change comes back byte for byte.
local linelist = require("lines")

local M = {}
local Model = {}
Model.__index = Model

M.PATH = "/etc/swanctl/swanctl.conf"

local trim = linelist.trim

function M.parse(text)
  return linelist.model(Model, text, "index")
end

-- The value part of `key = value # comment`: where it starts and ends in the line, and its text without quotes.
local function split_value(line, from)
  local rest = line:sub(from)
  local lead = #rest:match("^(%s*)")
  local start = from + lead
  if line:sub(start, start) == '"' then
    local close = line:find('"', start + 1, true)
    if close then return start, close, line:sub(start + 1, close - 1) end
  end
  local hash = line:find("#", start, true)
  local stop = (hash or #line + 1) - 1
  while stop >= start and line:sub(stop, stop):match("%s") do stop = stop - 1 end
  return start, stop, line:sub(start, stop)
end

-- Counts the braces of a line outside quotes and comments (for lines the model does not understand).
local function braces(text)
  local opens, closes, quoted = 0, 0, false
  for k = 1, #text do
    local c = text:sub(k, k)
    if c == '"' then
      quoted = not quoted
    elseif not quoted then
      if c == "#" then break end
      if c == "{" then opens = opens + 1 elseif c == "}" then closes = closes + 1 end
    end
  end
  return opens, closes
end

-- Rebuilds the index: self.info[i] = { path = "a.b", kind = open|close|key|other, key = , ... } and self.sections
-- (first occurrence of every section path: { open = i, close = j }).
function Model:index()
  local info, sections, stack = {}, {}, {}
  local function path() return table.concat(stack, ".") end
  for i, line in ipairs(self.lines) do
    local text = line.text
    local body = trim(text)
    local entry = { path = path(), kind = "other" }
    if body == "" or body:sub(1, 1) == "#" then
      entry.kind = "blank"
    else
      local name = body:match("^([^%s{}=#:]+)%s*{%s*$") or body:match("^([^%s{}=#:]+)%s*{%s*#")
        or body:match("^([^%s{}=#:]+)%s*:%s*[^{}=#]-{%s*$")
      if name then
        entry.kind, entry.name = "open", name
        stack[#stack + 1] = name
        local p = path()
        if not sections[p] then sections[p] = { open = i } end
        entry.section = p
      elseif body:match("^}%s*$") or body:match("^}%s*#") then
        entry.kind = "close"
        local p = path()
        if sections[p] and not sections[p].close then sections[p].close = i end
        entry.section = p
        stack[#stack] = nil
      else
        local key, eq = text:match("^%s*([^%s{}=#]+)%s*()=")
        if key then
          local start, stop, value = split_value(text, eq + 1)
          entry.kind, entry.key, entry.start, entry.stop, entry.value = "key", key, start, stop, value
        else
          -- `a { b = c }` on one line opens and closes again; only what stays open or closes counts.
          local opens, closes = braces(body)
          for _ = 1, closes - opens do stack[#stack] = nil end
          for _ = 1, opens - closes do stack[#stack + 1] = "?" end
        end
      end
    end
    info[i] = entry
  end
  self.info, self.sections = info, sections
end

local function split_path(dotted)
  local parts = {}
  for part in dotted:gmatch("[^.]+") do parts[#parts + 1] = part end
  return parts
end

function Model:has_section(dotted)
  return self.sections[dotted] ~= nil
end

-- The line index of `key` directly in the section `dotted` (its first occurrence), or nil.
function Model:find(section, key)
  for i, entry in ipairs(self.info) do
    if entry.kind == "key" and entry.path == section and entry.key == key then return i end
  end
  return nil
end

-- The value of "section.path.key", without quotes; nil when it is not set.
function Model:get(dotted)
  local parts = split_path(dotted)
  local key = table.remove(parts)
  local i = self:find(table.concat(parts, "."), key)
  return i and self.info[i].value or nil
end

-- The indentation unit of the file: that of its first indented line, else a tab.
function Model:unit()
  for _, line in ipairs(self.lines) do
    local lead = line.text:match("^(%s+)%S")
    if lead then
      return lead:sub(1, 1) == "\t" and "\t" or lead
    end
  end
  return "\t"
end

function Model:indent_of(section)
  if section == "" then return "" end
  local s = self.sections[section]
  local lead = self.lines[s.open].text:match("^(%s*)")
  for i = s.open + 1, (s.close or #self.lines) - 1 do
    local entry = self.info[i]
    if entry.path == section and (entry.kind == "key" or entry.kind == "open") then
      return self.lines[i].text:match("^(%s*)")
    end
  end
  return lead .. self:unit()
end

function Model:insert(after, texts)
  linelist.insert(self.lines, after, texts)
  self:index()
end

-- Where a new entry of the section goes: before its closing brace (the end of the file for the top level).
function Model:end_of(section)
  if section == "" then return #self.lines end
  local s = self.sections[section]
  return (s.close or #self.lines + 1) - 1
end

-- Makes sure the section exists (and its parents), creating `name {` / `}` pairs at the end of the parent.
function Model:ensure_section(dotted)
  if dotted == "" or self.sections[dotted] then return end
  local parts = split_path(dotted)
  local name = table.remove(parts)
  local parent = table.concat(parts, ".")
  self:ensure_section(parent)
  local indent = parent == "" and "" or self:indent_of(parent)
  local at = self:end_of(parent)
  local texts = {}
  if parent == "" and at > 0 and trim(self.lines[at].text) ~= "" then texts[#texts + 1] = "" end
  texts[#texts + 1] = indent .. name .. " {"
  texts[#texts + 1] = indent .. "}"
  self:insert(at, texts)
end

-- Sets "section.path.key" to value: the value is replaced in place when the key is there, else a line is added
-- at the end of the section (created when missing). Returns true when the text changed.
function Model:set(dotted, value)
  local parts = split_path(dotted)
  local key = table.remove(parts)
  local section = table.concat(parts, ".")
  local i = self:find(section, key)
  if i then
    local entry, line = self.info[i], self.lines[i]
    if entry.value == value then return false end
    local before, after = line.text:sub(1, entry.start - 1), line.text:sub(entry.stop + 1)
    if entry.stop < entry.start and after ~= "" and not after:match("^%s") then after = " " .. after end
    line.text = before .. value .. after
    self:index()
    return true
  end
  self:ensure_section(section)
  self:insert(self:end_of(section), { self:indent_of(section) .. key .. " = " .. value })
  return true
end

-- Removes "section.path.key" (every occurrence in that section). Returns true when something went.
function Model:remove(dotted)
  local parts = split_path(dotted)
  local key = table.remove(parts)
  local section = table.concat(parts, ".")
  local out = linelist.without(self.lines, function(i)
    local entry = self.info[i]
    return entry.kind == "key" and entry.path == section and entry.key == key
  end)
  if #out == #self.lines then return false end
  self.lines = out
  self:index()
  return true
end

-- A value that can stand unquoted on one line: no control characters, braces, quotes, '#' or '='.
function M.check_value(text)
  if type(text) ~= "string" or trim(text) == "" then return nil, "A value is needed." end
  if text:find("[%c\127]") then return nil, "Line breaks and control characters are not allowed." end
  if text:find('[{}"#=]') then return nil, "'{', '}', '\"', '#' and '=' are not allowed in a swanctl.conf value." end
  if trim(text) ~= text then return nil, "No spaces at the start or end." end
  return true
end

return M
