-- Asks require for the coroutine library: require reaches only modules-lua/lib.
-- expect: coroutine
local M = {}
function M.run()
  local co = require("coroutine")
  return co.wrap(function() while true do end end)()
end
return M
