-- status: the samba service (start, stop, restart, reload) and who uses it: `smbstatus` parsed into the connected
-- clients, the shares they have open and the files they hold (on the demo host the recorded output of a real one).
local cfe = require("cfe")
local servicecontrol = require("servicecontrol")
local smbstatus = require("smbstatus")

local M = {}

function M.view(ctx, input)
  local form = servicecontrol.form("samba", input)
  local result = acf.exec(smbstatus.COMMAND, { timeout = 10 })
  local status = smbstatus.parse(result and result.status == 0 and result.stdout or "")
  form.value.processes = cfe.structure{ label = "Connected clients", value = status.processes, seq = 4,
    columns = { "pid", "user", "group", "machine", "protocol", "encryption", "signing" } }
  form.value.shares = cfe.structure{ label = "Open shares", value = status.shares, seq = 5,
    columns = { "share", "pid", "machine", "connected", "encryption", "signing" } }
  form.value.locks = cfe.structure{ label = "Open files", value = status.locks, seq = 6,
    columns = { "path", "name", "pid", "uid", "rw", "oplock", "time" } }
  form.descr = "From smbstatus when the page was opened. Reload makes smbd and nmbd read smb.conf again without "
    .. "cutting clients off."
  return form
end

return M
