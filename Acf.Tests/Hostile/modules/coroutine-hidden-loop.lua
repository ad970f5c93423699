-- A loop inside a coroutine would run without the hook: there is no coroutine library to make one.
-- expect: attempt to index a nil value
local M = {}
function M.run()
  local co = coroutine.create(function() while true do end end)
  coroutine.resume(co)
  return { type = "text", value = "x" }
end
return M
