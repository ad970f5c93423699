-- smbstatus: the output of `smbstatus` (Samba 4) as three tables: the client processes, the shares they have open
-- and the files they hold. Each table starts at its heading line and ends at a blank line.
local lines = require("lines")

local M = {}

M.COMMAND = { "smbstatus" }

-- "4121  alice  alice  192.168.1.20 (ipv4:...)  SMB3_11  -  partial(AES-128-GMAC)": the machine may hold blanks.
local function process(line)
  local list = lines.words(line)
  if #list < 7 or not list[1]:match("^%d+$") then return nil end
  return { pid = list[1], user = list[2], group = list[3], machine = table.concat(list, " ", 4, #list - 3),
    protocol = list[#list - 2], encryption = list[#list - 1], signing = list[#list] }
end

-- "office  4121  192.168.1.20  Sat Dec  5 09:12:03 AM 2026 UTC  -  -": the share's name comes before the pid.
local function share(line)
  local name, pid, machine, connected, encryption, signing =
    line:match("^(.-)%s+(%d+)%s+(%S+)%s+(.-)%s+(%S+)%s+(%S+)%s*$")
  if not name or name == "" then return nil end
  return { share = name, pid = pid, machine = machine, connected = connected, encryption = encryption, signing = signing }
end

-- "4121  1000  DENY_NONE  0x12019f  RDWR  LEASE(RWH)  /srv/samba/office   budget 2027.xlsx   Sat Dec  5 ...":
-- smbstatus puts three blanks between the share's path, the file's name and the time, which may hold single blanks.
local function lock(line)
  local pid, uid, deny, access, rw, oplock, rest = line:match("^(%d+)%s+(%d+)%s+(%S+)%s+(%S+)%s+(%S+)%s+(%S+)%s+(.-)%s*$")
  if not pid then return nil end
  local path, name, time = rest:match("^(.-)   (.-)   %s*(.-)$")
  return { pid = pid, uid = uid, deny = deny, access = access, rw = rw, oplock = oplock,
    path = path or rest, name = name or "", time = time or "" }
end

local TABLES = {
  { heading = "^PID%s+Username", key = "processes", row = process },
  { heading = "^Service%s+pid", key = "shares", row = share },
  { heading = "^Pid%s+User%(ID%)", key = "locks", row = lock },
}

-- { processes = {...}, shares = {...}, locks = {...} } (each a list of rows; empty when smbstatus listed none).
function M.parse(text)
  local result, current = { processes = {}, shares = {}, locks = {} }, nil
  for line in ((text or ""):gsub("\r", "") .. "\n"):gmatch("([^\n]*)\n") do
    local started = false
    for _, kind in ipairs(TABLES) do
      if line:match(kind.heading) then current, started = kind, true end
    end
    if not started and current then
      if lines.trim(line) == "" then
        current = nil
      elseif not line:match("^%-+%s*$") then
        local row = current.row(line)
        if row then table.insert(result[current.key], row) end
      end
    end
  end
  return result
end

return M
