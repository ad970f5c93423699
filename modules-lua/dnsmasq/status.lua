-- status: the dnsmasq service (start, stop, restart); a save never restarts anything by itself.
local servicecontrol = require("servicecontrol")

local M = {}

function M.view(ctx, input)
  local form = servicecontrol.form("dnsmasq", input)
  form.descr = "Saved settings take effect after a restart."
  return form
end

return M
