-- Unpacking a huge table onto the C stack.
-- expect: too many results | memory limit | not enough memory | stack overflow
local M = {}
function M.run()
  local t = {} for i = 1, 4000000 do t[i] = i end
  return utf8.char(table.unpack(t))
end
return M
