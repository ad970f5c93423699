-- servicecontrol: ACF's status + startstop block for one OpenRC service, for any module to embed:
--   function M.startstop(ctx, input) return servicecontrol.form("squid", input) end
-- The module's manifest needs the capability "services": ["squid"].
local cfe = require("cfe")

local M = {}

local VERBS = { Start = "start", Stop = "stop", Restart = "restart", Reload = "reload" }

-- What the admin is asked before the buttons that take a service away (the renderer asks, the API does not).
local QUESTIONS = {
  Stop = "Stop %s? What it serves is unavailable until it is started again. If you reach this page through it "
    .. "(sshd, acf, networking, the firewall), you lose your connection.",
  Restart = "Restart %s? Its clients are cut off while it restarts, and it does not come back if its "
    .. "configuration is broken.",
}

-- The buttons as the renderer takes them: a plain name, or { value, confirm } for one that asks first.
local function buttons(name, verbs)
  local list = {}
  for _, verb in ipairs(verbs) do
    list[#list + 1] = QUESTIONS[verb] and { value = verb, confirm = string.format(QUESTIONS[verb], name) } or verb
  end
  return list
end

local function find(name)
  for _, service in ipairs(acf.service.list() or {}) do
    if service.name == name then return service end
  end
end

local function has(list, item)
  for _, value in ipairs(list or {}) do
    if value == item then return true end
  end
  return false
end

-- The form: the service's state, its runlevels and one button per action it supports.
function M.form(name, input)
  local service = find(name)
  local form = cfe.form{
    label = "Service " .. name,
    option = { "Start", "Stop", "Restart" },
    value = {
      status = cfe.text{ label = "Status", readonly = true, seq = 1,
        value = service and service.state or "not installed" },
      runlevels = cfe.text{ label = "Runlevels", readonly = true, seq = 2,
        value = service and table.concat(service.runlevels, ", ") or "" },
      output = cfe.longtext{ label = "Output", readonly = true, seq = 3, value = "" },
    },
  }
  if service and has(service.commands, "reload") then form.option[#form.option + 1] = "Reload" end
  if not service then form.option = {} end
  local offered = form.option
  form.option = buttons(name, offered)
  if not input or not input.submit then return form end

  local verb = VERBS[input.submit]
  if not service or not verb or not has(offered, input.submit) then
    return cfe.fail(form, nil, "That action is not available for " .. name .. ".")
  end
  local result = acf.service[verb](name)
  local after = find(name)
  form.value.status.value = after and after.state or "unknown"
  form.value.output.value = (result.stdout or "") .. (result.stderr or "")
  if result.status ~= 0 then
    return cfe.fail(form, nil, string.format("%s %s failed (status %d).", verb, name, result.status))
  end
  return cfe.done(form, string.format("%s: %s done; now %s.", name, verb, form.value.status.value))
end

return M
