-- status: chronyd (start, stop, restart) and whether the clock is synchronised: `chronyc tracking` and
-- `chronyc sources`, parsed into tables (on the demo host the recorded output of a real chronyd).
local cfe = require("cfe")
local chronyconf = require("chronyconf")
local servicecontrol = require("servicecontrol")

local M = {}

local function output(argv)
  local result = acf.exec(argv, { timeout = 10 })
  return result and result.status == 0 and result.stdout or ""
end

function M.view(ctx, input)
  local form = servicecontrol.form("chronyd", input)
  local tracking = chronyconf.tracking(output({ "chronyc", "tracking" }))
  local sync = "unknown (chronyc gave no answer)"
  for _, row in ipairs(tracking) do
    if row.item == "Leap status" then sync = row.value == "Normal" and "synchronised" or row.value end
  end
  form.value.sync = cfe.text{ label = "Clock", value = sync, readonly = true, seq = 4 }
  form.value.tracking = cfe.structure{ label = "Tracking (chronyc tracking)", value = tracking, seq = 5,
    columns = { "item", "value" } }
  form.value.sources = cfe.structure{ label = "Sources (chronyc sources)", seq = 6,
    value = chronyconf.sources(output({ "chronyc", "sources" })),
    columns = { "source", "mode", "state", "stratum", "poll", "reach", "last_rx", "last_sample" } }
  form.descr = "'Ref time' is when chronyd last set the clock; 'System time' how far the clock is from NTP time."
  return form
end

return M
