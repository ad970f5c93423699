-- A file name far beyond NAME_MAX in an allowed folder.
-- expect: too long | cannot be written | name
local M = {}
function M.run() acf.fs.write("/etc/app/" .. ("n"):rep(5000), "x\n") return { type = "text" } end
return M
