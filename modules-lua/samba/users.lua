-- users: Samba's own users (security = user), as smbpasswd manages them: add with a password, set a new password,
-- enable, disable, remove. A password goes to smbpasswd on its standard input (-s), never on its command line, in
-- the audit or back to the browser.
local cfe = require("cfe")
local smbusers = require("smbusers")

local M = {}

-- The argv of each button, before the user's name.
local COMMANDS = {
  ["Add"] = { "smbpasswd", "-a", "-s" },
  ["Set password"] = { "smbpasswd", "-s" },
  ["Enable"] = { "smbpasswd", "-e" },
  ["Disable"] = { "smbpasswd", "-d" },
  ["Remove"] = { "smbpasswd", "-x" },
}

local DONE = { ["Add"] = "added", ["Set password"] = "has a new password", ["Enable"] = "enabled",
  ["Disable"] = "disabled", ["Remove"] = "removed" }

local function list()
  local result = acf.exec(smbusers.LIST, { timeout = 10 })
  return result and result.status == 0 and smbusers.parse(result.stdout) or {}
end

local function edit_form(users, chosen)
  return cfe.form{
    label = "Samba users",
    option = { "Add", "Set password", "Enable", "Disable",
      { value = "Remove", confirm = "Remove this Samba user? The Unix account and its files stay." } },
    descr = "Samba keeps its own password for each user (smbpasswd). A user must be a Unix account of the box "
      .. "first. Add and Set password use the two password fields; the password is handed to smbpasswd on its "
      .. "standard input and is not shown again.",
    value = {
      users = cfe.structure{ label = "Users (pdbedit -L -v)", value = users, seq = 1,
        columns = { "user", "full_name", "enabled", "flags", "password_set" } },
      user = cfe.text{ label = "User name", value = chosen or "", seq = 2 },
      password = cfe.password{ label = "Password", value = "", seq = 3, descr = "For Add and Set password." },
      confirm = cfe.password{ label = "Password again", value = "", seq = 4 },
    },
  }
end

local function known(users, name)
  for _, user in ipairs(users) do
    if user.user == name then return true end
  end
  return false
end

function M.edit(ctx, input)
  local users = list()
  local form = edit_form(users, cfe.query(input, "user"))
  if not input.submit then return form end
  local ok = cfe.handle_form(form, input)
  local fields = form.value
  local password, confirm = fields.password.value or "", fields.confirm.value or ""
  fields.password.value, fields.confirm.value = "", ""
  if not ok then return cfe.fail(form) end
  local command = COMMANDS[input.submit]
  if not command then return cfe.fail(form, nil, "That action is not available.") end
  local name = fields.user.value or ""
  local message = smbusers.check_name(name)
  if not message and input.submit == "Add" and known(users, name) then message = name .. " is a Samba user already." end
  if not message and input.submit ~= "Add" and not known(users, name) then message = name .. " is not a Samba user." end
  if message then return cfe.fail(form, { user = message }) end
  local stdin
  if input.submit == "Add" or input.submit == "Set password" then
    local wrong = smbusers.check_password(password, confirm)
    if wrong then return cfe.fail(form, { password = wrong }) end
    stdin = password .. "\n" .. password .. "\n" -- smbpasswd -s reads the new password twice
  end
  local argv = { table.unpack(command) }
  argv[#argv + 1] = name
  local result, err = acf.exec(argv, { stdin = stdin, timeout = 30 })
  if not result then return cfe.fail(form, nil, err) end
  if result.status ~= 0 then
    return cfe.fail(form, nil, "smbpasswd failed (status " .. result.status .. "): " .. (result.stderr or "")
      .. (result.stdout or ""))
  end
  local done = edit_form(list(), name)
  return cfe.done(done, name .. " " .. DONE[input.submit]
    .. (result.simulated and " (simulated on the demo host)." or "."))
end

return M
