-- resolvconf: /etc/resolv.conf as a lossless model. Comments, options and unknown lines stay as they are; nameserver
-- lines keep their order and place, only the ones whose address changes are rewritten.
--
-- As the resolver reads it: `nameserver ADDRESS` lines in order, `search a b c` and `domain x` (the last of the two
-- wins), `options ...`; '#' or ';' starts a comment.
local linelist = require("lines")

local M = {}

local Conf = {}
Conf.__index = Conf

M.PATH = "/etc/resolv.conf"

local trim = linelist.trim

local words = linelist.words

function M.parse(text)
  return linelist.model(Conf, text)
end

-- The active lines of a keyword: { index =, args = }.
function Conf:entries(keyword)
  return linelist.collect(self.lines, function(text, index)
    local first, rest = trim(text):match("^(%S+)%s*(.-)$")
    if first == keyword then return { index = index, args = rest } end
  end)
end

-- { nameservers = {...}, search = {...}, options = {...} }: search is the last search or domain line's words.
function Conf:get()
  local result = { nameservers = {}, search = {}, options = {} }
  for _, line in ipairs(self.lines) do
    local body = trim(line.text)
    local first, rest = body:match("^(%S+)%s*(.-)$")
    if first == "nameserver" then
      result.nameservers[#result.nameservers + 1] = words(rest)[1]
    elseif first == "search" or first == "domain" then
      result.search = words(rest)
      result.domain = first == "domain" and words(rest)[1] or nil
    elseif first == "options" then
      for _, word in ipairs(words(rest)) do result.options[#result.options + 1] = word end
    end
  end
  return result
end

local function check_items(list)
  for _, item in ipairs(list) do
    if type(item) ~= "string" or not item:match("^[%w.:%%_%-]+$") then
      return nil, "'" .. tostring(item) .. "' is not one word of letters, digits, '.', ':', '_', '-' or '%'."
    end
  end
  return true
end

-- Inserts texts after line `after`, keeping a missing final newline at the end.
function Conf:insert(after, texts)
  linelist.insert(self.lines, after, texts)
end

function Conf:drop(drop)
  self.lines = linelist.without(self.lines, drop)
end

local function rewrite(self, index, keyword, args)
  local line = self.lines[index]
  local lead, space = line.text:match("^(%s*)%S+(%s*)")
  if not space or space == "" then space = " " end
  line.text = (lead or "") .. keyword .. space .. args
end

-- Makes the nameserver lines exactly `list` in order. Returns changed, or nil and why not.
function Conf:set_nameservers(list)
  local ok, message = check_items(list)
  if not ok then return nil, message end
  local before = self:text()
  local entries = self:entries("nameserver")
  local drop = {}
  for k, entry in ipairs(entries) do
    if list[k] then
      if words(entry.args)[1] ~= list[k] then rewrite(self, entry.index, "nameserver", list[k]) end
    else
      drop[entry.index] = true
    end
  end
  local texts = {}
  for k = #entries + 1, #list do texts[#texts + 1] = "nameserver " .. list[k] end
  if #texts > 0 then
    local after = #entries > 0 and entries[#entries].index or #self.lines
    -- without nameserver lines, new ones go before the first options line or at the end
    if #entries == 0 then
      local options = self:entries("options")[1]
      if options then after = options.index - 1 end
    end
    self:insert(after, texts)
  end
  self:drop(drop)
  return self:text() ~= before
end

-- Makes the search domains exactly `list`: the last search line is rewritten (a lone domain line when it says the
-- same), the others removed; an empty list removes search and domain lines. Returns changed, or nil and why not.
function Conf:set_search(list)
  local ok, message = check_items(list)
  if not ok then return nil, message end
  if table.concat(self:get().search, " ") == table.concat(list, " ") then return false end
  local before = self:text()
  local lines = {}
  for i, line in ipairs(self.lines) do
    local first = trim(line.text):match("^(%S+)")
    if first == "search" or first == "domain" then lines[#lines + 1] = { index = i, keyword = first } end
  end
  local drop = {}
  if #list == 0 then
    for _, entry in ipairs(lines) do drop[entry.index] = true end
  elseif #lines == 0 then
    local after = #self.lines
    local first_ns = self:entries("nameserver")[1]
    if first_ns then after = first_ns.index - 1 end
    self:insert(after, { "search " .. table.concat(list, " ") })
  else
    rewrite(self, lines[#lines].index, "search", table.concat(list, " "))
    for k = 1, #lines - 1 do drop[lines[k].index] = true end
  end
  self:drop(drop)
  return self:text() ~= before
end

return M
