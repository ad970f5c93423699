-- Replaces the string metatable's __index to reach the unguarded matcher or a hidden library: none is there.
-- expect: attempt to call a nil value | attempt to index a nil value
local M = {}
function M.run()
  local mt = getmetatable("")
  local saved = mt.__index
  mt.__index = setmetatable({}, { __index = function(_, k) return rawget(saved, "_" .. k) or _G.io end })
  return ("x"):open("/etc/shadow")
end
return M
