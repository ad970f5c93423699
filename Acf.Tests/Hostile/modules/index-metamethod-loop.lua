-- An __index chain that points at itself.
-- expect: loop | stack overflow | chain too long
local M = {}
function M.run()
  local t = {}
  setmetatable(t, { __index = t })
  return t.anything
end
return M
