-- sshdconf: sshd_config as its own lines. A directive is a keyword (any case) and its value, separated by
-- whitespace or '='; '#' starts a comment line. Everything after the first Match line belongs to a Match block, so
-- the global settings the form edits are the directives before it; for most keywords sshd takes the first one it
-- meets, for Port every line counts. A setting is changed where it stands; every other line keeps its bytes
-- (comments, Include, Match blocks, CRLF, a missing final newline).
local lines = require("lines")

local M = {}

M.PATH = "/etc/ssh/sshd_config"
M.VALIDATOR = { "sshd", "-t", "-f", "{file}" }

-- sshd's own defaults (sshd_config(5)), what an absent keyword means.
M.DEFAULTS = { port = "22", permitrootlogin = "prohibit-password", passwordauthentication = "yes",
  pubkeyauthentication = "yes" }

-- keyword, value and the text before the value of a directive line; nil for a comment or a blank line.
local function directive(text)
  local head, keyword = text:match("^(%s*(%a[%w]*)%s*=?%s*)")
  if not keyword or text:match("^%s*#") then return nil end
  return keyword:lower(), text:sub(#head + 1):match("^(.-)%s*$"), head
end

local Conf = {}

function M.parse(text)
  return lines.document(Conf, text)
end

-- The index of the first Match line, or one past the last line.
function Conf:match_start()
  for index, line in ipairs(self.list) do
    if directive(line.text) == "match" then return index end
  end
  return #self.list + 1
end

-- The global lines of `keyword` (lower case), in file order: { index =, value = }.
function Conf:global(keyword)
  local found = {}
  for index = 1, self:match_start() - 1 do
    local word, value = directive(self.list[index].text)
    if word == keyword then found[#found + 1] = { index = index, value = value } end
  end
  return found
end

-- The value sshd uses for a keyword outside Match blocks: the first line's, else sshd's default.
function Conf:get(keyword)
  local first = self:global(keyword)[1]
  return first and first.value or M.DEFAULTS[keyword]
end

-- The settings that decide who may log in (lockout.ways_in takes them).
function Conf:login_settings()
  return { permitrootlogin = self:get("permitrootlogin"), passwordauthentication = self:get("passwordauthentication"),
    pubkeyauthentication = self:get("pubkeyauthentication") }
end

-- The Port values sshd listens on.
function Conf:ports()
  local ports = {}
  for _, line in ipairs(self:global("port")) do ports[#ports + 1] = line.value end
  if #ports == 0 then ports[1] = M.DEFAULTS.port end
  return ports
end

function Conf:has_include()
  for _, line in ipairs(self.list) do
    if directive(line.text) == "include" then return true end
  end
  return false
end

-- Where a new line for `keyword` goes: after the commented default ("#PermitRootLogin prohibit-password") as
-- shipped configs have it, else before the first Match line.
function Conf:place_for(keyword)
  local limit = self:match_start()
  for index = 1, limit - 1 do
    local word = self.list[index].text:match("^%s*#%s*(%a[%w]*)[%s=]")
    if word and word:lower() == keyword then return index end
  end
  return limit - 1
end

-- Writes `value` into the first global line of `spelling`'s keyword, keeping its indentation, keyword spelling and
-- separator; adds a line where there is none.
function Conf:set(spelling, value)
  local keyword = spelling:lower()
  local first = self:global(keyword)[1]
  if first then
    local line = self.list[first.index]
    local _, _, head = directive(line.text)
    line.text = head .. value
  else
    lines.insert(self.list, self:place_for(keyword), { spelling .. " " .. value })
  end
end

-- The global Port lines become `ports`: lines of ports that stay are kept; a new port takes the place of a port that
-- goes (keeping that line's spelling and separator); further new ports go after the last Port line (or where a first
-- one goes); lines of ports that go with nothing to take their place are removed.
function Conf:set_ports(ports)
  local wanted = {}
  for _, port in ipairs(ports) do wanted[port] = true end
  local free = {}
  for _, line in ipairs(self:global("port")) do
    if wanted[line.value] then wanted[line.value] = false else free[#free + 1] = line.index end
  end
  local added = {}
  for _, port in ipairs(ports) do
    if wanted[port] then
      wanted[port] = false
      local slot = table.remove(free, 1)
      if slot then
        local _, _, head = directive(self.list[slot].text)
        self.list[slot].text = head .. port
      else
        added[#added + 1] = "Port " .. port
      end
    end
  end
  for k = #free, 1, -1 do lines.remove(self.list, free[k]) end
  local kept = self:global("port")
  lines.insert(self.list, kept[#kept] and kept[#kept].index or self:place_for("port"), added)
end

function M.read()
  return lines.read_parsed(M.PATH, M.parse)
end

-- Writes the file checked by `sshd -t -f` on the candidate; an unchanged file is neither checked nor written.
function M.write(conf, tag)
  return lines.write_changed(M.PATH, conf, tag, { validate = M.VALIDATOR })
end

return M
