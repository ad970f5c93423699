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

return M
