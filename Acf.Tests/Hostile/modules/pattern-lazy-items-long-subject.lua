-- Few '.-' items on a long subject backtrack polynomially inside one C call (n^5 here); only a worker process
-- that can be killed stops it, so this case runs once the worker pool exists.
-- needs: worker
-- expect: stopped
local M = {}
function M.run()
  local s = ("a"):rep(20000)
  return { type = "text", value = tostring(s:find((".-"):rep(4) .. "b")) }
end
return M
