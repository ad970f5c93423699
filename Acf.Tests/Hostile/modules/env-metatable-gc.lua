-- A finalizer on _ENV would run with hooks off: refused.
-- expect: __gc metamethods are not allowed
local M = {}
function M.run()
  setmetatable(_ENV, { __gc = function() while true do end end })
  return { type = "text", value = "x" }
end
return M
