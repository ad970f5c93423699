-- A symlink planted in an allowed folder that points at /etc/shadow: the canonical path is checked too.
-- setup: symlink /etc/app/link /etc/shadow
-- expect: is a link to /etc/shadow
local M = {}
function M.run() acf.fs.write("/etc/app/link", "root::0:0:::::\n") return { type = "text" } end
return M
