-- smbusers: Samba's own users as `pdbedit -L -v` lists them (never `-w`, which prints the password hashes).
local lines = require("lines")

local M = {}

M.LIST = { "pdbedit", "-L", "-v" }

-- The users of `pdbedit -L -v`: { user, full_name, flags, enabled, password_set } per "Unix username:" record.
-- Account Flags is a bracketed set of letters: U a normal user, D disabled, N no password, X never expires.
function M.parse(text)
  local users, current = {}, nil
  for line in (text or ""):gmatch("[^\n]+") do
    local name, value = line:match("^([^:]-)%s*:%s*(.-)%s*$")
    if name == "Unix username" then
      current = { user = value, full_name = "", flags = "", enabled = "yes", password_set = "" }
      users[#users + 1] = current
    elseif current and name == "Full Name" then
      current.full_name = value
    elseif current and name == "Account Flags" then
      current.flags = lines.trim(value:gsub("[%[%]]", ""))
      current.enabled = current.flags:find("D", 1, true) and "no" or "yes"
    elseif current and name == "Password last set" then
      current.password_set = value
    end
  end
  return users
end

-- A user name smbpasswd takes: a Unix login name (letters, digits, '.', '_', '-', not starting with '-', which
-- would be read as an option), at most 32 characters.
function M.check_name(text)
  if text == "" then return "Enter the user's name." end
  if #text > 32 then return "A user name has at most 32 characters." end
  if not text:match("^[%a_][%w%._%-]*%$?$") then
    return "A user name starts with a letter or '_' and has only letters, digits, '.', '_' and '-'."
  end
end

-- A password smbpasswd reads from its standard input: one line, so no line break (cfe refuses control characters).
function M.check_password(password, confirm)
  if password == "" then return "Enter the password." end
  if #password > 127 then return "A password has at most 127 characters." end
  if password ~= confirm then return "The two passwords differ." end
end

return M
