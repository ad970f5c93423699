-- status: the dnsmasq service (start, stop, restart); a save never restarts anything by itself.
local servicecontrol = require("servicecontrol")

local M = {}

M.view = servicecontrol.view("dnsmasq", "Saved settings take effect after a restart.")

return M
