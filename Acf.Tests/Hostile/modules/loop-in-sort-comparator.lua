-- A comparator that never returns, called from table.sort in C: still stopped by the limits.
-- expect: stopped | invalid order function
local M = {}
function M.run()
  local t = {} for i = 1, 100 do t[i] = i end
  table.sort(t, function() while true do end end)
  return { type = "text", value = "x" }
end
return M
