-- status: the sshd service (start, stop, restart). Saves on the other tabs reload sshd themselves.
local servicecontrol = require("servicecontrol")

local M = {}

function M.view(ctx, input)
  local form = servicecontrol.form("sshd", input)
  form.descr = "Stopping sshd ends every SSH session, yours too if you came in over SSH."
  return form
end

return M
