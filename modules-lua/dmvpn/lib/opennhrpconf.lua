-- opennhrpconf: a lossless model of OpenNHRP's /etc/opennhrp/opennhrp.conf (opennhrp.conf(5)). The file is free
-- form, word by word; '#' starts a comment to the end of the line. `interface <name>` starts a block; inside it:
--   map <proto-addr[/prefix]> <nbma-addr> [register] [cisco]
--   dynamic-map <proto-addr/prefix> <nbma-domain-name>
--   shortcut-target <proto-addr/prefix> [holding-time <s>]
--   multicast dynamic|nhs|<proto-addr>
--   holding-time <s>, route-table <n>, cisco-authentication <secret>
--   redirect, shortcut, non-caching, shortcut-destination (flags)
-- The model works line by line: every line keeps its bytes (indentation, spacing, comments, line ending) until an
-- edit replaces it; an edit rewrites only the lines whose values changed and keeps a changed line's indentation and
-- trailing comment. Lines it does not understand (an unknown keyword, a directive spread over lines, extra words)
-- are kept as they are and listed as `other`.
local linelist = require("lines")

local M = {}

M.PATH = "/etc/opennhrp/opennhrp.conf"

-- Keywords with their arguments, in the order new lines are added to a block.
M.LISTS = { "map", "dynamic-map", "shortcut-target", "multicast" }
M.VALUES = { "holding-time", "route-table", "cisco-authentication" }
M.FLAGS = { "redirect", "shortcut", "shortcut-destination", "non-caching" }

local ORDER = {}
for _, group in ipairs{ M.LISTS, M.VALUES, M.FLAGS } do
  for _, key in ipairs(group) do ORDER[#ORDER + 1] = key end
end

local KIND = {}
for _, key in ipairs(M.LISTS) do KIND[key] = "list" end
for _, key in ipairs(M.VALUES) do KIND[key] = "value" end
for _, key in ipairs(M.FLAGS) do KIND[key] = "flag" end

-- Whether the words after a keyword have the shape opennhrp reads for it on one line.
local function fits(key, args)
  local n = #args
  if key == "map" then
    if n < 2 or n > 4 then return false end
    local seen = {}
    for k = 3, n do
      if (args[k] ~= "register" and args[k] ~= "cisco") or seen[args[k]] then return false end
      seen[args[k]] = true
    end
    return true
  elseif key == "dynamic-map" then
    return n == 2
  elseif key == "shortcut-target" then
    return n == 1 or (n == 3 and args[2] == "holding-time")
  elseif KIND[key] == "list" or KIND[key] == "value" then
    return n == 1
  elseif KIND[key] == "flag" then
    return n == 0
  end
  return false
end

-- A physical line split into indentation, words and the tail kept on rewrite (the comment with the space before it).
local function dissect(text)
  local hash = text:find("#", 1, true)
  local code = hash and text:sub(1, hash - 1) or text
  local tail = hash and (code:match("(%s*)$") .. text:sub(hash)) or ""
  return code:match("^(%s*)") or "", linelist.words(code), tail
end

local Model = {}
Model.__index = Model

-- Classifies every line and finds the interface blocks: { name, header = line index, last = index of its last
-- directive line, entries = { { key, args, line } }, other = { line indices } }.
function Model:_index()
  local blocks, current = {}, nil
  for i, line in ipairs(self.lines) do
    local indent, words = dissect(line.text)
    line.indent, line.words = indent, words
    if words[1] == "interface" then
      current = { name = words[2] or "", header = i, last = i, entries = {}, other = {} }
      blocks[#blocks + 1] = current
    elseif #words > 0 and current then
      current.last = i
      local key, args = words[1], { table.unpack(words, 2) }
      if KIND[key] and fits(key, args) then
        current.entries[#current.entries + 1] = { key = key, args = args, line = i }
      else
        current.other[#current.other + 1] = i
      end
    end
  end
  self.blocks = blocks
end

function M.parse(text)
  return linelist.model(Model, text, "_index")
end

function Model:get(name)
  for _, block in ipairs(self.blocks) do
    if block.name == name then return block end
  end
  return nil
end

-- The interface blocks as plain values: { name, map = { "args" }, ..., ["holding-time"] = "7200", redirect = true,
-- other = { "line text" } }.
function Model:list()
  local list = {}
  for _, block in ipairs(self.blocks) do
    local item = { name = block.name, other = {} }
    for _, key in ipairs(M.LISTS) do item[key] = {} end
    for _, entry in ipairs(block.entries) do
      local kind = KIND[entry.key]
      if kind == "list" then
        table.insert(item[entry.key], table.concat(entry.args, " "))
      elseif kind == "value" then
        item[entry.key] = entry.args[1] -- the last one counts, as in opennhrp
      else
        item[entry.key] = true
      end
    end
    for _, i in ipairs(block.other) do item.other[#item.other + 1] = linelist.trim(self.lines[i].text) end
    list[#list + 1] = item
  end
  return list
end

-- A word that may go into the file: no whitespace, no control character, no '#' (it would start a comment).
function M.check_word(word)
  if type(word) ~= "string" or word == "" then return nil, "A value is missing." end
  if word:find("[%c\127]") then return nil, "Line breaks and control characters are not allowed." end
  if word:find("%s") then return nil, "Spaces are not allowed in a value." end
  if word:find("#", 1, true) then return nil, "'#' is not allowed: it starts a comment." end
  return word
end

local function check_args(args)
  for _, word in ipairs(args) do
    local ok, message = M.check_word(word)
    if not ok then return nil, message end
  end
  return true
end

-- The wanted lines of a block in ORDER: { key, args text } pairs from a spec as list() gives it.
local function wanted_of(spec)
  local wanted = {}
  for _, key in ipairs(ORDER) do
    local kind, value = KIND[key], spec[key]
    local items = {}
    if kind == "list" then
      for _, args in ipairs(value or {}) do items[#items + 1] = args end
    elseif kind == "value" then
      if value ~= nil and value ~= "" then items[1] = tostring(value) end
    elseif value == true then
      items[1] = ""
    end
    for _, args in ipairs(items) do
      if args:find("[%c\127]") then return nil, key .. ": Line breaks and control characters are not allowed." end
      local words = linelist.words(args)
      if kind ~= "flag" and #words == 0 then return nil, key .. " needs a value." end
      local ok, message = check_args(words)
      if not ok then return nil, key .. ": " .. message end
      if not fits(key, words) then return nil, "'" .. key .. " " .. args .. "' is not in opennhrp's form." end
    end
    wanted[key] = items
  end
  return wanted
end

local function line_text(indent, key, args, tail)
  return indent .. key .. (args ~= "" and (" " .. args) or "") .. (tail or "")
end

-- Makes block `name` hold exactly the entries of `spec` (as list() gives them); creates the block at the end when
-- it is missing. Entries that did not change keep their lines byte for byte; other lines are left alone.
function Model:set(name, spec)
  local ok, message = M.check_word(name)
  if not ok then return nil, "Interface: " .. message end
  local wanted, err = wanted_of(spec)
  if not wanted then return nil, err end
  local nl = linelist.newline(self.lines)
  local block = self:get(name)
  if not block then
    local texts = {}
    if #self.lines > 0 and self.lines[#self.lines].text:match("%S") then texts[1] = "" end
    texts[#texts + 1] = "interface " .. name
    for _, key in ipairs(ORDER) do
      for _, args in ipairs(wanted[key]) do texts[#texts + 1] = line_text("  ", key, args) end
    end
    -- At the end of a file without a final newline the new last line goes without one, as the file was.
    linelist.insert(self.lines, #self.lines, texts)
    self:_index()
    return true
  end
  -- Indentation of new lines: the block's first directive's, else two spaces.
  local indent = block.entries[1] and self.lines[block.entries[1].line].indent
    or (block.other[1] and self.lines[block.other[1]].indent) or "  "
  if indent == "" then indent = "  " end
  local replace, remove, insert_after = {}, {}, {}
  local anchor = block.last
  for _, key in ipairs(ORDER) do
    local have = {}
    for _, entry in ipairs(block.entries) do
      if entry.key == key then have[#have + 1] = entry end
    end
    local items = wanted[key]
    -- A value or flag given twice: opennhrp takes the last; keep the others as they are unless it is cleared.
    if KIND[key] ~= "list" and #items > 0 and #have > 1 then have = { have[#have] } end
    for k, args in ipairs(items) do
      local entry = have[k]
      if entry then
        if table.concat(entry.args, " ") ~= table.concat(linelist.words(args), " ") then
          local line = self.lines[entry.line]
          local _, _, tail = dissect(line.text)
          replace[entry.line] = line_text(line.indent, key, table.concat(linelist.words(args), " "), tail)
        end
      else
        local at = have[#have] and have[#have].line or anchor
        insert_after[at] = insert_after[at] or {}
        table.insert(insert_after[at], line_text(indent, key, table.concat(linelist.words(args), " ")))
      end
    end
    for k = #items + 1, #have do remove[have[k].line] = true end
  end
  local result = {}
  for i, line in ipairs(self.lines) do
    if not remove[i] then
      if replace[i] then line = { text = replace[i], eol = line.eol } end
      result[#result + 1] = line
    end
    if insert_after[i] then
      if result[#result] and result[#result].eol == "" then result[#result] = { text = result[#result].text, eol = nl } end
      for _, text in ipairs(insert_after[i]) do result[#result + 1] = { text = text, eol = nl } end
    end
  end
  self:_replace_lines(result)
  return true
end

-- Takes `result` as the file's lines; a file that had no final newline keeps having none, whichever line is last
-- now (one inserted after the old last line, or the one before a removed last line).
function Model:_replace_lines(result)
  local old_last = self.lines[#self.lines]
  if old_last and old_last.eol == "" and #result > 0 then
    result[#result] = { text = result[#result].text, eol = "" }
  end
  self.lines = result
  self:_index()
end

-- Renames block `old` (its header line only).
function Model:rename(old, new)
  local ok, message = M.check_word(new)
  if not ok then return nil, "Interface: " .. message end
  local block = self:get(old)
  if not block then return nil, "No interface " .. old .. "." end
  if old == new then return true end
  if self:get(new) then return nil, "There is already a block for " .. new .. "." end
  local line = self.lines[block.header]
  local head, rest = line.text:match("^(%s*interface%s+)(.*)$")
  line.text = head .. new .. rest:sub(#old + 1)
  self:_index()
  return true
end

-- Removes block `name`: its header to its last directive line (comments between them go too), and one blank line
-- so that no double gap is left.
function Model:remove(name)
  local block = self:get(name)
  if not block then return nil, "No interface " .. name .. "." end
  local first, last = block.header, block.last
  local lines = self.lines
  local function blank(i) return lines[i] and not lines[i].text:match("%S") end
  if blank(last + 1) and (first == 1 or blank(first - 1)) then
    last = last + 1
  elseif not lines[last + 1] and blank(first - 1) then
    first = first - 1
  end
  local result = {}
  for i, line in ipairs(lines) do
    if i < first or i > last then result[#result + 1] = line end
  end
  self:_replace_lines(result)
  return true
end

return M
