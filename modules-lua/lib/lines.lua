-- lines: a config file as physical lines with their own endings, so that lossless editors give back the exact
-- bytes: CRLF and LF are kept per line, and so is a missing final newline.
local M = {}

-- { { text = "...", eol = "\n" | "\r\n" | "" }, ... }
function M.split(text)
  text = text or ""
  local list, pos, size = {}, 1, #text
  while pos <= size do
    local newline = text:find("\n", pos, true)
    if not newline then
      list[#list + 1] = { text = text:sub(pos), eol = "" }
      break
    end
    local line = text:sub(pos, newline - 1)
    if line:sub(-1) == "\r" then
      list[#list + 1] = { text = line:sub(1, -2), eol = "\r\n" }
    else
      list[#list + 1] = { text = line, eol = "\n" }
    end
    pos = newline + 1
  end
  return list
end

function M.join(list)
  local parts = {}
  for _, line in ipairs(list) do
    parts[#parts + 1] = line.text
    parts[#parts + 1] = line.eol
  end
  return table.concat(parts)
end

-- The line ending new lines get: the file's own (its first line's), else "\n".
function M.newline(list)
  local first = list[1]
  return first and first.eol ~= "" and first.eol or "\n"
end

-- Inserts lines (texts) after line index `after` (0: at the top) with the file's line ending; when they go after a
-- last line that has no final newline, that line gets one and the new last line goes without, as the file was.
function M.insert(list, after, texts)
  if #texts == 0 then return end
  local newline = M.newline(list)
  local items = {}
  for k, text in ipairs(texts) do items[k] = { text = text, eol = newline } end
  local previous = list[after]
  if previous and after == #list and previous.eol == "" then
    previous.eol = newline
    items[#items].eol = ""
  end
  for k, item in ipairs(items) do table.insert(list, after + k, item) end
end

-- Removes the line at `index`; when it was the last line and had no final newline, the new last line loses its
-- newline, as the file was.
function M.remove(list, index)
  local line = table.remove(list, index)
  if line and line.eol == "" and index > 1 and index - 1 == #list then list[index - 1].eol = "" end
  return line
end

-- The lines but those dropped (`drop`: a set of indexes, or a function (index, line) answering true for a line that
-- goes), as a new list; when the last line had no final newline, the new last line goes without, as the file was.
function M.without(list, drop)
  local gone = type(drop) == "function" and drop or function(index) return drop[index] end
  local out = {}
  for index, line in ipairs(list) do
    if not gone(index, line) then out[#out + 1] = line end
  end
  local last = list[#list]
  if #out > 0 and last.eol == "" then out[#out].eol = "" end
  return out
end

-- The entries `pick(text, index)` makes of the lines it recognises (nil for the others), in file order: how a model
-- lists its directives ({ index =, ... }).
function M.collect(list, pick)
  local found = {}
  for index, line in ipairs(list) do
    local entry = pick(line.text, index)
    if entry ~= nil then found[#found + 1] = entry end
  end
  return found
end

-- The text without surrounding whitespace.
function M.trim(text)
  return (text:match("^%s*(.-)%s*$"))
end

-- The whitespace-separated words of a text.
function M.words(text)
  local list = {}
  for word in (text or ""):gmatch("%S+") do list[#list + 1] = word end
  return list
end

-- A whole file edited in a text area comes back with the line ends of the file it replaces: a browser gives LF only,
-- so a file that was CRLF throughout gets CRLF again, and a final newline is added only where the file had one (or
-- the file is new).
function M.keep_endings(old, new)
  old = old or ""
  local lf = select(2, old:gsub("\n", ""))
  if lf > 0 and select(2, old:gsub("\r\n", "")) == lf then new = new:gsub("\r?\n", "\r\n") end
  local eol = old:match("\r?\n$") or (old == "" and "\n") or nil
  if eol and new ~= "" and new:sub(-1) ~= "\n" then new = new .. eol end
  return new
end

-- A lossless file object: `class`'s methods over { list = split lines, original = text }; doc:text() gives the bytes
-- back and doc:changed() tells whether they differ from what was read.
function M.document(class, text)
  class.__index = class
  class.text = class.text or function(self) return M.join(self.list) end
  class.changed = class.changed or function(self) return self:text() ~= self.original end
  return setmetatable({ list = M.split(text), original = text }, class)
end

-- A lossless line model: `class`'s methods over { lines = split lines }; text() gives the bytes back and newline()
-- the ending new lines get (the file's own, its first line's, else "\n"). `index` names the class's method that
-- builds its index of the lines, called once they are there.
function M.model(class, text, index)
  class.__index = class
  class.text = class.text or function(self) return M.join(self.lines) end
  class.newline = class.newline or function(self) return M.newline(self.lines) end
  local model = setmetatable({ lines = M.split(text or "") }, class)
  if index then model[index](model) end
  return model
end

-- Writes a document through the broker only when it changed (`changed, tag` as acf.fs.write answers; false and the
-- old tag when unchanged, so nothing is validated, written or audited).
function M.write_changed(path, doc, tag, options)
  if not doc:changed() then return false, tag end
  return acf.fs.write(path, doc:text(), tag ~= "" and tag or nil, options)
end

-- Keeps the lines of `current` ({ index =, text = } in file order) whose text is among `texts`, as often as it is
-- there, and removes the others; answers the texts that are new, in their order, for the caller to place.
function M.keep_only(list, current, texts)
  local wanted = {}
  for _, text in ipairs(texts) do wanted[text] = (wanted[text] or 0) + 1 end
  for k = #current, 1, -1 do
    local text = current[k].text
    if (wanted[text] or 0) > 0 then wanted[text] = wanted[text] - 1 else M.remove(list, current[k].index) end
  end
  local added = {}
  for _, text in ipairs(texts) do
    if (wanted[text] or 0) > 0 then
      wanted[text] = wanted[text] - 1
      added[#added + 1] = text
    end
  end
  return added
end

-- A file read through the broker and parsed: doc, tag; or nil, message.
function M.read_parsed(path, parse)
  local text, tag = acf.fs.read(path)
  if not text then return nil, tag end
  return parse(text), tag
end

return M
