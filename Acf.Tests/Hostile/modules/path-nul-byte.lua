-- A NUL byte that would cut the path short in C: /etc/app/x\0/../../shadow.
-- expect: control character | NUL | invalid
local M = {}
function M.run() acf.fs.write("/etc/app/x\0/../../shadow", "root::0:0\n") return { type = "text" } end
return M
