-- The exponential kind on a long subject: many 'a*' items against a string of a's that cannot match.
-- expect: pattern too complex
local M = {}
function M.run()
  local s = ("a"):rep(100000)
  return { type = "text", value = tostring(s:find(("a*"):rep(24) .. "b")) }
end
return M
