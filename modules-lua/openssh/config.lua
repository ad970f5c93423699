-- config: sshd's port, root login and authentication methods in /etc/ssh/sshd_config, each changed where it stands
-- (Match blocks, Include and comments stay). A save is checked with sshd -t, refused when it would leave no way in,
-- and applied by reloading sshd under confirm-or-rollback (the manifest), so a change that cuts the admin off comes
-- back by itself unless it is kept.
local cfe = require("cfe")
local sshdconf = require("sshdconf")
local valid = require("valid")
local authkeys = require("authkeys")
local lockout = require("lockout")

local M = {}

local ROOT_LOGIN = { "prohibit-password", "yes", "forced-commands-only", "no" }
local SWITCHES = { password_authentication = "PasswordAuthentication", pubkey_authentication = "PubkeyAuthentication" }

local function root_login_options(current)
  local options = {}
  for _, value in ipairs(ROOT_LOGIN) do options[#options + 1] = value end
  -- A value the file has that the list lacks (without-password, "Yes") stays choosable, so an unchanged save keeps it.
  for _, value in ipairs(ROOT_LOGIN) do if value == current then return options end end
  options[#options + 1] = current
  return options
end

local function edit_form(conf, tag, err)
  local root = conf and conf:get("permitrootlogin") or sshdconf.DEFAULTS.permitrootlogin
  local included = conf and conf:has_include() and " Files named by Include may set these too; sshd takes the "
    .. "first value it meets." or ""
  return cfe.form{
    label = "SSH server", option = { "Save" }, errtxt = err,
    descr = "Settings outside Match blocks in " .. sshdconf.PATH .. ", each changed where it stands. Saving checks "
      .. "the file with sshd -t and reloads sshd; keep the change within the countdown or it is undone." .. included,
    value = {
      port = cfe.list{ label = "Ports (Port)", seq = 1, value = conf and conf:ports() or {},
        descr = "One per line. A new port must also be open in the firewall; check that you can connect on it "
          .. "before you keep the change." },
      permit_root_login = cfe.select{ label = "Root login (PermitRootLogin)", seq = 2, value = root,
        option = root_login_options(root),
        descr = "prohibit-password: root only with a key; yes: also with a password; no: never." },
      password_authentication = cfe.boolean{ label = "Password login (PasswordAuthentication)", seq = 3,
        value = conf ~= nil and conf:get("passwordauthentication"):lower() == "yes" },
      pubkey_authentication = cfe.boolean{ label = "Key login (PubkeyAuthentication)", seq = 4,
        value = conf ~= nil and conf:get("pubkeyauthentication"):lower() == "yes" },
      tag = cfe.tag(tag),
    },
  }
end

local function same_list(a, b)
  if #a ~= #b then return false end
  for k = 1, #a do if a[k] ~= b[k] then return false end end
  return true
end

local function check_ports(ports)
  if #ports == 0 then return "sshd needs at least one port." end
  local seen = {}
  for _, port in ipairs(ports) do
    if not valid.port(port) then return "'" .. port .. "' is not a port (1 to 65535)." end
    if seen[port] then return "Port " .. port .. " is listed twice." end
    seen[port] = true
  end
end

-- Changes the settings the form holds; errors by field, or nil and the names of the login fields it changed.
local function apply(conf, fields)
  local login = {}
  local ports = {}
  for _, port in ipairs(fields.port.value) do ports[#ports + 1] = port:match("^%s*(.-)%s*$") end
  if not same_list(ports, conf:ports()) then
    local message = check_ports(ports)
    if message then return { port = message } end
    conf:set_ports(ports)
  end
  local root = fields.permit_root_login.value
  if root ~= conf:get("permitrootlogin") then
    conf:set("PermitRootLogin", root)
    login.permit_root_login = true
  end
  for field, spelling in pairs(SWITCHES) do
    local wanted = fields[field].value and "yes" or "no"
    if wanted ~= conf:get(spelling:lower()):lower() then
      conf:set(spelling, wanted)
      login[field] = true
    end
  end
  return nil, login
end

local function write(conf, form)
  local changed, tag_or_err = sshdconf.write(conf, cfe.expected_tag(form))
  if changed == nil then return nil, tag_or_err end
  form.value.tag.value = tag_or_err
  if changed then
    local applied, err = acf.service.reload("sshd")
    if not applied then return nil, err end
    if applied.status ~= 0 then return nil, "Saved, but reloading sshd failed: " .. (applied.stderr or "") .. (applied.stdout or "") end
  end
  return changed
end

function M.edit(ctx, input)
  local form, conf = cfe.begin_edit(sshdconf.read, edit_form, input)
  if not conf then return form end
  local fields = form.value
  local keys = authkeys.read(authkeys.ROOT_KEYS)
  local root_keys = keys and #keys:keys() or 0
  local others = lockout.other_users()
  local before = lockout.ways_in(conf:login_settings(), root_keys, others)
  local errors, login = apply(conf, fields)
  if errors then return cfe.fail(form, errors) end
  local refusal = lockout.check(before, lockout.ways_in(conf:login_settings(), root_keys, others))
  if refusal then
    for field in pairs(login) do login[field] = refusal end
    return cfe.fail(form, login, refusal)
  end
  local changed, err = write(conf, form)
  if changed == nil then return cfe.fail(form, nil, err) end
  return cfe.done(form, changed and "Saved and sshd reloaded. Check that you can still log in, then keep the change."
    or "Nothing changed.")
end

return M
