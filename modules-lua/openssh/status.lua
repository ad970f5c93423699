-- status: the sshd service (start, stop, restart). Saves on the other tabs reload sshd themselves.
local servicecontrol = require("servicecontrol")

local M = {}

M.view = servicecontrol.view("sshd", "Stopping sshd ends every SSH session, yours too if you came in over SSH.")

return M
