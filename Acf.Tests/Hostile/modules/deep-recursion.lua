-- Endless Lua recursion: a stack overflow error (or the memory limit), never a crash.
-- expect: stack overflow | memory limit | not enough memory
local M = {}
local function down(n) return 1 + down(n + 1) end
function M.run() return down(1) end
return M
