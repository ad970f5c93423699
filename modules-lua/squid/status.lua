-- status: the squid service, and applying a saved configuration with `squid -k reconfigure` as its own step
-- (a save never restarts anything by itself).
local cfe = require("cfe")
local servicecontrol = require("servicecontrol")

local M = {}

function M.view(ctx, input)
  local reconfigure = input.submit == "Apply configuration"
  local form = servicecontrol.form("squid", not reconfigure and input or nil)
  form.option[#form.option + 1] = "Apply configuration"
  form.descr = "Saved settings take effect after Apply configuration (squid -k reconfigure) or a restart."
  if not reconfigure then return form end
  -- squid -k reconfigure signals a running squid; a stopped one reads the saved file when it starts.
  if form.value.status.value ~= "started" then
    return cfe.fail(form, nil, "squid is " .. form.value.status.value .. ": nothing to reload. "
      .. "Start it, and it reads the saved configuration.")
  end
  acf.progress("Reloading squid")
  local result, err = acf.exec({ "squid", "-k", "reconfigure" }, { timeout = 60 })
  if not result then return cfe.fail(form, nil, err) end
  form.value.output.value = (result.stdout or "") .. (result.stderr or "")
  if result.status ~= 0 then return cfe.fail(form, nil, "squid -k reconfigure failed (is squid running?).") end
  return cfe.done(form, "squid reloaded its configuration.")
end

return M
