-- Looks for the raw (unguarded) string.find through the string metatable and the shared string table.
-- expect: pattern too complex
local M = {}
function M.run()
  local find = getmetatable("").__index.find
  return find(("a"):rep(5000), ("a*"):rep(40) .. "b")
end
return M
