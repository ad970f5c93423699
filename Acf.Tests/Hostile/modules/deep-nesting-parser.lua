-- A chunk nested a million levels deep: the parser refuses it instead of overflowing the native stack.
-- expect: too many | overflow | memory limit
local M = {}
function M.run()
  local f, err = load("return " .. ("("):rep(1000000) .. "1" .. (")"):rep(1000000))
  if not f then error(err, 0) end
  return f()
end
return M
