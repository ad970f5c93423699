-- gmatch with many quantified items over a long line.
-- expect: pattern too complex
local M = {}
function M.run()
  for w in (("ab"):rep(50000)):gmatch(("[ab]?"):rep(20) .. "c") do return w end
  return { type = "text", value = "x" }
end
return M
