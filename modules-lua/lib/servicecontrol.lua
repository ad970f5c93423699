-- servicecontrol: ACF's status + startstop block for one OpenRC service, for any module to embed:
--   function M.startstop(ctx, input) return servicecontrol.form("squid", input) end
-- or, for a status page that is the block alone with a sentence under it:
--   M.view = servicecontrol.view("dnsmasq", "Saved settings take effect after a restart.")
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

-- The services an admin reaches the box through: the manifest puts their control under confirm-or-rollback
-- ("rc/control?service=sshd"), so the question says what is lost and that it comes back unless kept.
local ACCESS = {
  sshd = {
    Stop = "Stop sshd? Every SSH session ends (yours too, if you came in over SSH) and nobody can log in over SSH. "
      .. "Unless you keep the change, sshd starts again when the countdown ends.",
    Restart = "Restart sshd? SSH logins are refused while it restarts, and it does not come back if its configuration "
      .. "is broken. Unless you keep the change, sshd is restarted again when the countdown ends.",
  },
  acf = {
    Restart = "Restart acf? This web interface goes away for a few seconds and every open page reconnects. Unless you "
      .. "keep the change afterwards, acf is restarted again when the countdown ends.",
  },
  networking = {
    Stop = "Stop networking? Every interface goes down: unless you are at the console, you lose this page. Unless you "
      .. "keep the change, networking starts again when the countdown ends.",
    Restart = "Restart networking? Every interface goes down and up again: this page reconnects, or is lost if the "
      .. "saved interfaces are wrong. Unless you keep the change, networking is restarted again when the countdown ends.",
  },
}

-- acf cannot start itself again once stopped: it offers Restart only.
local NOT_OFFERED = { acf = { Stop = true } }

-- What the admin is asked before VERB on the service NAME, or nil when the button just runs.
function M.question(name, verb)
  return ACCESS[name] and ACCESS[name][verb] or QUESTIONS[verb] and string.format(QUESTIONS[verb], name)
end

-- False for a verb the service does not offer here (acf's Stop).
function M.offered(name, verb)
  return not (NOT_OFFERED[name] and NOT_OFFERED[name][verb])
end

-- The buttons as the renderer takes them: a plain name, or { value, confirm } for one that asks first.
local function buttons(name, verbs)
  local list = {}
  for _, verb in ipairs(verbs) do
    local question = M.question(name, verb)
    list[#list + 1] = question and { value = verb, confirm = question } or verb
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
  for i = #form.option, 1, -1 do
    if not M.offered(name, form.option[i]) then table.remove(form.option, i) end
  end
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

-- An action (ctx, input) that is the service's block alone, `descr` under it.
function M.view(name, descr)
  return function(_, input)
    local form = M.form(name, input)
    form.descr = descr
    return form
  end
end

return M
