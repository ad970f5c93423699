-- An absolute path the manifest does not grant.
-- expect: may not write /etc/shadow
local M = {}
function M.run() acf.fs.write("/etc/shadow", "root::0:0:::::\n") return { type = "text" } end
return M
