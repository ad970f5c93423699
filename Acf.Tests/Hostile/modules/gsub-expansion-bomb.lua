-- gsub that turns every character into a kilobyte: the result buffer grows in C until the memory limit.
-- expect: memory limit | not enough memory
local M = {}
function M.run()
  local s = ("x"):rep(1 << 20):gsub("x", ("y"):rep(1024))
  return { type = "text", value = tostring(#s) }
end
return M
