-- smbvalid: what a value must be before it goes into smb.conf. Each check returns a message for the field, or nil.
-- Every value is one line (cfe refuses control characters) and may not end in '\', which would join the next line.
local lines = require("lines")

local M = {}

local function one_line(text, most)
  if #text > most then return "At most " .. most .. " characters." end
  if text:match("\\$") then return "A value may not end with '\\' (Samba would join the next line to it)." end
end

-- A NetBIOS name (workgroup): 1 to 15 characters, none of those Windows refuses in it.
function M.workgroup(text)
  if #text > 15 then return "A workgroup name has at most 15 characters." end
  if text:find("[\\/:%*%?\"<>|%.;,=%[%]%+]") then return "A workgroup name has no \\ / : * ? \" < > | . ; , = [ ] +." end
end

function M.text(text)
  return one_line(text, 255)
end

-- interfaces: names (eth0, br0, eth*), addresses and networks, separated by blanks or commas.
function M.interfaces(text)
  for word in text:gmatch("[^%s,]+") do
    if not word:match("^[%w%.:_%*/%-]+$") or word:match("^%-") then
      return "'" .. word .. "' is not an interface name, address or network (eth0, 192.168.1.0/24)."
    end
  end
end

-- log level: a number 0 to 10, optionally followed by class:level pairs (3 passdb:5 auth:10).
function M.log_level(text)
  local words = lines.words(text)
  if not (words[1] and words[1]:match("^%d%d?$") and tonumber(words[1]) <= 10) then
    return "Start with a level from 0 to 10, optionally followed by class:level pairs (3 passdb:5)."
  end
  for k = 2, #words do
    if not words[k]:match("^%a[%w_]*:%d%d?$") then return "'" .. words[k] .. "' is not a class:level pair (auth:5)." end
  end
end

-- A share's folder: an absolute path without '..' (Samba variables such as %U are allowed).
function M.path(text)
  if not text:match("^/") then return "Enter an absolute path (/srv/samba/public)." end
  for part in text:gmatch("[^/]+") do
    if part == ".." then return "A path may not contain '..'." end
  end
  return one_line(text, 1024)
end

-- valid users: user names, @group or +group, separated by blanks or commas; %S (the share's name) as in [homes].
function M.users(text)
  for word in text:gmatch("[^%s,]+") do
    if not word:match("^[@+&]*[%w%._%-%%$\\]+$") then
      return "'" .. word .. "' is not a user name or @group."
    end
  end
  return one_line(text, 1024)
end

-- A permission mask in octal (0644, 0755).
function M.mask(text)
  if not text:match("^0?[0-7][0-7][0-7]$") and not text:match("^[0-7][0-7][0-7][0-7]$") then
    return "Enter an octal mask such as 0644 or 0755."
  end
end

-- A share's name: 1 to 80 characters, not global, none of [ ] and the characters Windows refuses.
function M.share_name(text)
  if text == "" then return "Enter the share's name." end
  if #text > 80 then return "A share name has at most 80 characters." end
  if text:lower() == "global" then return "[global] holds the server's settings, not a share." end
  if text:find("[%[%]\\/:%*%?\"<>|=;,%%]") then return "A share name has no [ ] \\ / : * ? \" < > | = ; , %." end
  if text:match("^%s") or text:match("%s$") then return "A share name does not start or end with a blank." end
end

return M
