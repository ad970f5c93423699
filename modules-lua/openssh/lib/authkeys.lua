-- authkeys: an authorized_keys file as its own lines. A key line is [options] type base64-blob [comment]; comments
-- and blank lines are kept as they are. Keys the admin keeps keep their bytes; removed keys lose their line; new
-- keys go at the end. Fingerprints are ssh-keygen's SHA256 form, computed over the key blob by the host.
local lines = require("lines")

local M = {}

M.ROOT_KEYS = "/root/.ssh/authorized_keys"

-- Key types sshd accepts for a user key (ssh-dss is shown when present but not taken for a new key).
M.TYPES = { ["ssh-ed25519"] = true, ["ssh-rsa"] = true, ["ecdsa-sha2-nistp256"] = true,
  ["ecdsa-sha2-nistp384"] = true, ["ecdsa-sha2-nistp521"] = true, ["sk-ssh-ed25519@openssh.com"] = true,
  ["sk-ecdsa-sha2-nistp256@openssh.com"] = true }
local SHOWN_TYPES = setmetatable({ ["ssh-dss"] = true }, { __index = M.TYPES })

-- type, blob, comment and options of a key line; nil for a comment, a blank or an unreadable line. The type is
-- the first word that names a key type and is followed by a blob (options may hold quoted spaces, so the line is
-- searched rather than split).
function M.parse_key(text)
  local body = lines.trim(text)
  if body == "" or body:sub(1, 1) == "#" then return nil end
  local start = 1
  while true do
    local from, to, kind, blob = body:find("(%S+)%s+(AAAA[%w+/]+=*)", start)
    if not from then return nil end
    if SHOWN_TYPES[kind] and (from == 1 or body:sub(from - 1, from - 1):match("%s")) then
      return { type = kind, blob = blob, comment = lines.trim(body:sub(to + 1)),
        options = lines.trim(body:sub(1, from - 1)) }
    end
    start = from + 1
  end
end

local Keys = {}

function M.parse(text)
  return lines.document(Keys, text)
end

-- The key lines in file order: { index =, text = (trimmed), key = parse_key's table }.
function Keys:keys()
  return lines.collect(self.list, function(text, index)
    local key = M.parse_key(text)
    if key then return { index = index, text = lines.trim(text), key = key } end
  end)
end

-- The key lines become `texts`: a line whose text stays is left alone, the others are removed, new ones appended.
function Keys:set(texts)
  lines.insert(self.list, #self.list, lines.keep_only(self.list, self:keys(), texts))
end

-- nil when `text` may be added as a new key line, else why not. Options are not taken here (the expert page can
-- write them): a new line is exactly type, blob and an optional comment.
function M.check_new(text)
  if text:find("[%c\127]") then return "Line breaks and control characters are not allowed." end
  local kind, blob, comment = text:match("^(%S+)%s+(%S+)%s*(.-)$")
  if not kind then return "Paste the whole public key: its type, the key and a comment (ssh-ed25519 AAAA... me@laptop)." end
  if not M.TYPES[kind] then
    return "'" .. kind .. "' is not a key type sshd takes (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ...)."
  end
  local fingerprint, blob_type = acf.text.ssh_fingerprint(blob)
  if not fingerprint then return "The key is not a public key: " .. blob_type end
  if blob_type ~= kind then return "The key says it is " .. kind .. " but holds a " .. blob_type .. " key." end
  if comment:find("[\128-\255]") then return "The comment must be plain ASCII." end
end

-- A key's fingerprint, or "" when the host cannot read its blob.
function M.fingerprint(key)
  return (acf.text.ssh_fingerprint(key.blob)) or ""
end

-- The users whose keys the page edits: root, and the login users of /etc/passwd (uid 1000 and up, a real shell)
-- whose home is a folder of /home (the manifest grants /home/*/.ssh/authorized_keys). { { name =, home = } }, root
-- first.
function M.users()
  local users = { { name = "root", home = "/root" } }
  for line in (acf.fs.read("/etc/passwd") or ""):gmatch("[^\n]+") do
    local name, uid, home, shell = line:match("^([^:]+):[^:]*:(%d+):[^:]*:[^:]*:([^:]*):([^:]*)$")
    if name and tonumber(uid) >= 1000 and shell ~= "" and not shell:match("nologin$") and not shell:match("false$")
      and home:match("^/home/[%w._-]+$") and not home:match("/%.%.?$") then
      users[#users + 1] = { name = name, home = home }
    end
  end
  return users
end

-- The keys file of one of `users` (by name), or nil.
function M.path_of(users, name)
  for _, user in ipairs(users) do
    if user.name == name then return user.name == "root" and M.ROOT_KEYS or (user.home .. "/.ssh/authorized_keys") end
  end
end

-- The file's keys, an empty file when it does not exist yet; nil, message when it cannot be read.
function M.read(path)
  local text, tag = acf.fs.read(path)
  if text then return M.parse(text), tag end
  if acf.fs.stat(path) then return nil, tag end
  return M.parse(""), ""
end

-- Writes the file (mode 0600, as sshd's StrictModes wants); an unchanged file is not written.
function M.write(path, keys, tag)
  return lines.write_changed(path, keys, tag, { mode = "0600" })
end

return M
