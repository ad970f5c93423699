-- '..' to climb out of an allowed folder.
-- expect: '..'
local M = {}
function M.run() return { type = "text", value = acf.fs.read("/etc/app/../shadow") } end
return M
