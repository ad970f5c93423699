-- rc: OpenRC services: their state, starting and stopping them, and the runlevels they belong to.
local cfe = require("cfe")
local servicecontrol = require("servicecontrol")

local M = {}

local function names(services)
  local list = {}
  for _, service in ipairs(services) do list[#list + 1] = service.name end
  return list
end

-- A state at a glance: running green, stopped grey, crashed or failed red, on its way yellow.
local TONES = { started = "success", stopped = "default", inactive = "default", crashed = "error", failed = "error",
  starting = "warning", stopping = "warning" }

local VERBS = { "Start", "Stop", "Restart" }

local function rows(services)
  local list = {}
  for _, service in ipairs(services) do
    local row = {
      name = service.name,
      ["name@href"] = "/alpine-baselayout/rc/control?service=" .. service.name,
      state = service.state,
      ["state@tone"] = TONES[service.state] or "default",
      runlevels = table.concat(service.runlevels, " "),
      description = service.description,
      ["@key"] = service.name,
    }
    -- Each row asks its own question: stopping sshd says more than stopping crond.
    for _, verb in ipairs(VERBS) do row["@confirm " .. verb] = servicecontrol.question(service.name, verb) end
    -- Only what makes sense now: Start for a service that is not running, Stop and Restart for one that is.
    local running = service.state == "started" or service.state == "starting"
    if running then row["@off Start"] = "true" else row["@off Stop"] = "true" end
    if not servicecontrol.offered(service.name, "Stop") then row["@off Stop"] = "true" end
    list[#list + 1] = row
  end
  return list
end

-- Every service of /etc/init.d with its state, runlevels and description, and Start, Stop, Restart on each row:
-- a press runs rc/control for that service (its roles, and confirm-or-rollback for sshd, acf and networking).
function M.status(ctx)
  local services = assert(acf.service.list())
  return cfe.structure{ label = "Services", value = rows(services),
    columns = { "name", "state", "runlevels", "description" },
    option = VERBS, key = "service", action = "rc/control" }
end

-- Start, stop, restart or reload one service, with the command's output.
function M.control(ctx, input)
  local services = assert(acf.service.list())
  local chosen = cfe.query(input, "service")
  if chosen then
    local form = servicecontrol.form(chosen, input.submit ~= "Open" and input or nil)
    form.value.service = cfe.select{ label = "Service", value = chosen, option = names(services), seq = 0 }
    return form
  end
  return cfe.form{
    label = "Control a service",
    option = { "Open" },
    descr = "Choose a service to see its state and start, stop or restart it.",
    value = { service = cfe.select{ label = "Service", value = "", option = names(services), seq = 1 } },
  }
end

-- The runlevels a service starts in; saved as the difference with rc-update del / add.
function M.edit(ctx, input)
  local services = assert(acf.service.list())
  local levels = assert(acf.service.runlevels())
  local chosen = cfe.query(input, "service", (services[1] and services[1].name) or "")
  local current = {}
  for _, service in ipairs(services) do
    if service.name == chosen then current = service.runlevels end
  end
  local form = cfe.form{
    label = "Runlevels",
    option = { "Save", "Load" },
    descr = "Choose a service and press Load to see its runlevels; Save applies the difference with rc-update.",
    value = {
      service = cfe.select{ label = "Service", value = chosen, option = names(services), seq = 1 },
      runlevels = cfe.multi{ label = "Runlevels", value = current, option = levels, seq = 2 },
      output = cfe.longtext{ label = "Output", readonly = true, value = "", seq = 3 },
    },
  }
  if not input.submit then return form end
  if input.submit == "Load" then
    local loaded = M.edit(ctx, { service = input.service })
    return loaded
  end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local result = acf.service.set_runlevels(form.value.service.value, form.value.runlevels.value)
  if not result then return cfe.fail(form, nil, "The runlevels could not be changed.") end
  form.value.output.value = (result.stdout or "") .. (result.stderr or "")
  if result.status ~= 0 then return cfe.fail(form, nil, "rc-update failed.") end
  return cfe.done(form, "Runlevels of " .. form.value.service.value .. " saved.")
end

return M
