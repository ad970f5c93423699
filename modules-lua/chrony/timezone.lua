-- timezone: the box's time zone, as Alpine's setup-timezone keeps it (/etc/localtime a link to
-- /usr/share/zoneinfo/<Zone>). Only a zone whose file the box has is taken.
local cfe = require("cfe")
local zoneinfo = require("zoneinfo")

local M = {}

local function edit_form(zones, current, err)
  local options = {}
  for _, zone in ipairs(zones) do options[#options + 1] = zone end
  return cfe.form{
    label = "Time zone", option = { "Save" }, errtxt = err,
    descr = zoneinfo.LOCALTIME .. " points at the zone's file in " .. zoneinfo.ROOT .. " (as setup-timezone "
      .. "makes it). Programs started after the change use it; restart long-running services to use it there.",
    value = {
      zone = cfe.select{ label = "Time zone", seq = 1, value = current or "", option = options,
        descr = "The zones the box has (tzdata)." },
    },
  }
end

function M.edit(ctx, input)
  local zones = zoneinfo.zones()
  local current, why = zoneinfo.current()
  local form = edit_form(zones, current, why)
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local zone = form.value.zone.value
  if zone == "" then return cfe.fail(form, { zone = "Choose a time zone." }) end
  if zone == current then return cfe.done(form, "Nothing changed.") end
  if why and acf.fs.stat(zoneinfo.LOCALTIME) then return cfe.fail(form, nil, why) end
  local changed, err = zoneinfo.set(zone)
  if changed == nil then return cfe.fail(form, nil, err) end
  return cfe.done(form, changed and ("The time zone is now " .. zone .. ".") or "Nothing changed.")
end

return M
