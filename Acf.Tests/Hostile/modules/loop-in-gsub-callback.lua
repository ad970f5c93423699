-- A loop inside a Lua callback that C (gsub) calls: the hook still counts its instructions.
-- expect: stopped
local M = {}
function M.run()
  return ("abc"):gsub(".", function() while true do end end)
end
return M
