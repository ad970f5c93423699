-- lockout: the ways into the box over SSH that a change must not take away all at once. A box is far away; an
-- admin who turns off the last way in has to drive there. The ways counted are those sshd's global settings and
-- the files Acf can read show: root with a key, root with a password, and another login user (from /etc/passwd)
-- with a password. Match blocks, AllowUsers and PAM are not evaluated (README), so the check refuses only what
-- certainly locks out; confirm-or-rollback covers the rest.
local M = {}

local PASSWD = "/etc/passwd"
local ROOT_BY_KEY = { yes = true, ["prohibit-password"] = true, ["without-password"] = true }

-- Login users other than root: uid 1000 and up with a shell that is not nologin or false.
function M.other_users()
  local text = acf.fs.read(PASSWD) or ""
  local users = {}
  for line in text:gmatch("[^\n]+") do
    local name, uid, shell = line:match("^([^:]+):[^:]*:(%d+):[^:]*:[^:]*:[^:]*:([^:]*)$")
    if name and tonumber(uid) >= 1000 and shell ~= "" and not shell:match("nologin$") and not shell:match("false$") then
      users[#users + 1] = name
    end
  end
  return users
end

-- The ways in, as short texts, for settings { permitrootlogin =, passwordauthentication =, pubkeyauthentication = }
-- (sshd's values), the number of root's keys and the other login users; `user_keys` (optional): { name =, count = },
-- the keys of the other user whose file is being edited.
function M.ways_in(settings, root_keys, others, user_keys)
  local ways = {}
  local root = (settings.permitrootlogin or ""):lower()
  local password = (settings.passwordauthentication or ""):lower() == "yes"
  local by_key = (settings.pubkeyauthentication or ""):lower() == "yes"
  if ROOT_BY_KEY[root] and by_key and root_keys > 0 then
    ways[#ways + 1] = "root with a key"
  end
  if user_keys and by_key and user_keys.count > 0 then ways[#ways + 1] = user_keys.name .. " with a key" end
  if root == "yes" and password then ways[#ways + 1] = "root with a password" end
  if password and #others > 0 then ways[#ways + 1] = others[1] .. " with a password" end
  return ways
end

-- nil when the change keeps a way in (or there was none before it), else the refusal to show.
function M.check(before, after)
  if #before == 0 or #after > 0 then return nil end
  return "This would leave no way to log in over SSH (now: " .. table.concat(before, ", ")
    .. "). Add another way first: a key for root on the Keys tab, or password login."
end

return M
