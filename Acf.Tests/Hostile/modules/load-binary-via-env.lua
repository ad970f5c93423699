-- Hands load a custom environment that pretends to be the real globals; load still takes only text.
-- expect: attempt to load a binary chunk
local M = {}
function M.run()
  local f, err = load("\27Lua" .. ("\0"):rep(40), "=x", "b", setmetatable({}, { __index = _G }))
  if not f then error(err, 0) end
  return f()
end
return M
