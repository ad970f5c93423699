-- Recursion that passes through C each level (gsub calling a Lua function calling gsub): the C stack is bounded.
-- expect: stack overflow | C stack overflow
local M = {}
local function down(s) return (s:gsub(".", down)) end
function M.run() return down("x") end
return M
