-- A planted symlink to a folder outside (/etc/app/up -> /etc): reading through it is refused.
-- setup: symlink /etc/app/up /etc
-- expect: may not read
local M = {}
function M.run() return { type = "text", value = acf.fs.read("/etc/app/up/shadow") } end
return M
