-- exampleconf: /etc/example.conf ("name = value" lines) as a lossless model: only the line of a changed setting
-- changes; comments, order, unknown lines, CRLF and a missing final newline keep their bytes.
local lines = require("lines")

local M = {}

M.PATH = "/etc/example.conf"

local Conf = {}

function M.parse(text)
  return lines.document(Conf, text)
end

-- The value of `name` and its line number, or nil.
function Conf:get(name)
  for index, line in ipairs(self.list) do
    local key, value = line.text:match("^%s*([%w_]+)%s*=%s*(.-)%s*$")
    if key == name then return value, index end
  end
  return nil
end

-- Sets `name` to `value`: its line rewritten in place, or a new line at the end.
function Conf:set(name, value)
  local old, index = self:get(name)
  if old == value then return end
  if index then
    self.list[index] = { text = name .. " = " .. value, eol = self.list[index].eol }
  else
    lines.insert(self.list, #self.list, { name .. " = " .. value })
  end
end

function M.read()
  return lines.read_parsed(M.PATH, M.parse)
end

-- changed, tag (nothing written when the text is the same); or nil and the broker's refusal.
function M.write(conf, tag)
  return lines.write_changed(M.PATH, conf, tag)
end

return M
