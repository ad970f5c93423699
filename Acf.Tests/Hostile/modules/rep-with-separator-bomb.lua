-- string.rep with a separator: the separator's copies count against the memory limit too.
-- expect: memory limit | not enough memory | resulting string too large
local M = {}
function M.run()
  local s = ("x"):rep(1 << 24, ("y"):rep(64))
  return { type = "text", value = tostring(#s) }
end
return M
