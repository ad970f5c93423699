-- Puts a finalizer on the string metatable to run code with hooks off at collection time: refused.
-- expect: __gc metamethods are not allowed | attempt to call a nil value
local M = {}
function M.run()
  local mt = getmetatable("")
  setmetatable(mt, { __gc = function() while true do end end })
  return { type = "text", value = "unreachable" }
end
return M
