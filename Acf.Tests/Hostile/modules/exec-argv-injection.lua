-- A shell metacharacter smuggled into a declared command's fixed words: there is no shell, and the words must match.
-- expect: may not run
local M = {}
function M.run() return acf.exec({ "hostname", "-F", "/etc/hostname; reboot" }) end
return M
