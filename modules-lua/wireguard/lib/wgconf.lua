-- wgconf: a WireGuard configuration file (/etc/wireguard/<if>.conf, as `wg setconf` and wg-quick read it) as its own
-- lines. A line `[Interface]` or `[Peer]` starts a section; inside one, `Key = Value` (the key in any case, '#' starts
-- a comment anywhere on the line, as wg's parser strips it). A value is changed where it stands, keeping the key's
-- spelling, the separator and a trailing comment; every other line keeps its bytes (comments, unknown keys, wg-quick's
-- PostUp lines, CRLF, a missing final newline).
local lines = require("lines")

local M = {}

M.DIR = "/etc/wireguard/"

-- The keys only wg-quick knows: a file with one of them is not for `wg setconf`/`wg syncconf` (wg refuses them).
M.QUICK_KEYS = { address = true, dns = true, mtu = true, table = true, preup = true, postup = true, predown = true,
  postdown = true, saveconfig = true }

function M.path(name) return M.DIR .. name .. ".conf" end

-- key (lower case), value, the text before the value and the text after it; nil for anything else.
local function entry(text)
  local head, key = text:match("^(%s*([%a][%w]*)%s*=%s*)")
  if not key then return nil end
  local rest = text:sub(#head + 1)
  local value, tail = rest:match("^([^#]-)(%s*#.*)$")
  if not value then value, tail = rest:match("^(.-)(%s*)$") end
  return key:lower(), value, head, tail
end

local function section_name(text)
  return text:match("^%s*%[%s*([%a]+)%s*%]%s*$")
end

local Conf = {}

function M.parse(text)
  return lines.document(Conf, text)
end

-- The sections in file order: { kind = "interface" | "peer" | other, line = header index, last = index of its last
-- line that is neither blank nor a comment, keys = { { key =, value =, index = } } }. Lines before the first header
-- belong to no section; comment lines after a section's last line belong to the header that follows them.
function Conf:sections()
  local list, current = {}, nil
  for index, line in ipairs(self.list) do
    local name = section_name(line.text)
    if name then
      current = { kind = name:lower(), line = index, last = index, keys = {} }
      list[#list + 1] = current
    elseif current then
      local key, value = entry(line.text)
      if key then current.keys[#current.keys + 1] = { key = key, value = value, index = index } end
      local body = lines.trim(line.text)
      if body ~= "" and body:sub(1, 1) ~= "#" then current.last = index end
    end
  end
  return list
end

function Conf:interface()
  for _, section in ipairs(self:sections()) do
    if section.kind == "interface" then return section end
  end
end

function Conf:peers()
  local list = {}
  for _, section in ipairs(self:sections()) do
    if section.kind == "peer" then list[#list + 1] = section end
  end
  return list
end

-- The lines of `key` (lower case) in a section, in file order: { key =, value =, index = }.
local function items(section, key)
  local found = {}
  for _, item in ipairs(section and section.keys or {}) do
    if item.key == key then found[#found + 1] = item end
  end
  return found
end

-- The first value of `key` in a section (lower case key), or "".
function M.get(section, key)
  local first = items(section, key)[1]
  return first and first.value or ""
end

-- Every value of `key` in a section, each split at commas (AllowedIPs and Address may come on several lines).
function M.all(section, key)
  local list = {}
  for _, item in ipairs(items(section, key)) do
    for part in item.value:gmatch("[^,]+") do
      local word = lines.trim(part)
      if word ~= "" then list[#list + 1] = word end
    end
  end
  return list
end

-- Whether the file uses keys only wg-quick reads.
function Conf:is_quick()
  for _, section in ipairs(self:sections()) do
    for _, item in ipairs(section.keys) do
      if section.kind == "interface" and M.QUICK_KEYS[item.key] then return true end
    end
  end
  return false
end

-- Sets `spelling`'s key in `section` to `value` ("" removes it): the first line of the key gets the value in place,
-- further lines of the key go (their values are joined into the first); a missing key is added after the section's
-- last line. The section table is stale afterwards: read sections again.
function Conf:set(section, spelling, value)
  local found = items(section, spelling:lower())
  for k = #found, 2, -1 do lines.remove(self.list, found[k].index) end
  local first = found[1]
  if first and value == "" then
    lines.remove(self.list, first.index)
  elseif first then
    local line = self.list[first.index]
    local _, _, head, tail = entry(line.text)
    line.text = head .. value .. tail
  elseif value ~= "" then
    lines.insert(self.list, section.last, { spelling .. " = " .. value })
  end
end

-- Sets a list key (Address, AllowedIPs) to `values`. A key written one value per line keeps that form: each line
-- keeps its place, only the line of a changed value changes, new values get lines after the last one, removed values
-- lose theirs. Otherwise the values go joined by ", " into the key's first line, as set does.
function Conf:set_list(section, spelling, values)
  local found = items(section, spelling:lower())
  local one_each = #found > 1
  for _, item in ipairs(found) do
    if item.value:find(",") then one_each = false end
  end
  if not one_each then return self:set(section, spelling, table.concat(values, ", ")) end
  for k = #found, #values + 1, -1 do lines.remove(self.list, found[k].index) end
  for k = 1, math.min(#found, #values) do
    local line = self.list[found[k].index]
    local _, value, head, tail = entry(line.text)
    if lines.trim(value) ~= values[k] then line.text = head .. values[k] .. tail end
  end
  local added = {}
  for k = #found + 1, #values do added[#added + 1] = spelling .. " = " .. values[k] end
  if #added > 0 then lines.insert(self.list, found[#found].index, added) end
end

-- Appends a section `[Name]` with `pairs` ({ { "Key", "value" }, ... }, empty values left out) at the end of the
-- file, after a blank line.
function Conf:append(name, pairs)
  local texts = {}
  local last = self.list[#self.list]
  if last and lines.trim(last.text) ~= "" then texts[1] = "" end
  texts[#texts + 1] = "[" .. name .. "]"
  for _, pair in ipairs(pairs) do
    if pair[2] ~= "" then texts[#texts + 1] = pair[1] .. " = " .. pair[2] end
  end
  lines.insert(self.list, #self.list, texts)
end

-- Removes a section: its header, its lines, and the comment lines right above its header (they describe it); the
-- comment lines right above the next header stay with that one, and so does a blank line before them.
function Conf:remove(section)
  local first, last = section.line, section.last
  while first > 1 and lines.trim(self.list[first - 1].text):sub(1, 1) == "#" do first = first - 1 end
  if first > 1 and lines.trim(self.list[first - 1].text) == "" then
    first = first - 1
  elseif last < #self.list and lines.trim(self.list[last + 1].text) == "" then
    last = last + 1
  end
  for index = last, first, -1 do lines.remove(self.list, index) end
end

function M.read(name)
  return lines.read_parsed(M.path(name), M.parse)
end

return M
