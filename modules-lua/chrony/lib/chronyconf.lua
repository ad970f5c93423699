-- chronyconf: chrony.conf as its own lines. A directive is a keyword and its arguments; lines starting with '#',
-- '!', ';' or '%' are comments. The editor changes only the time source lines (server, pool, peer) it must: every
-- other line keeps its bytes (comments, order, other directives, CRLF, a missing final newline).
local lines = require("lines")

local M = {}

M.PATH = "/etc/chrony/chrony.conf"
M.VALIDATOR = { "chronyd", "-p", "-f", "{file}" }
M.SOURCE_KINDS = { server = true, pool = true, peer = true }

-- The words of a directive line, or nil for a comment or a blank line.
local function directive(text)
  local body = text:match("^%s*(.-)%s*$")
  if body == "" or body:match("^[#!;%%]") then return nil end
  return lines.words(body)
end

local Conf = {}

function M.parse(text)
  return lines.document(Conf, text)
end

-- The time sources in file order: { index =, text = "pool pool.ntp.org iburst" } (words joined by one space).
function Conf:sources()
  return lines.collect(self.list, function(text, index)
    local words = directive(text)
    if words and M.SOURCE_KINDS[words[1]:lower()] then return { index = index, text = table.concat(words, " ") } end
  end)
end

-- The sources to keep, as directive texts: a line whose text stays is left alone, the others are removed, new ones
-- go after the last source line (or at the end of the file).
function Conf:set_sources(texts)
  local current = self:sources()
  -- New sources go after the last kept one, else where the first source stood, else at the end.
  local first = current[1] and current[1].index - 1 or #self.list
  local added = lines.keep_only(self.list, current, texts)
  local kept = self:sources()
  lines.insert(self.list, kept[#kept] and kept[#kept].index or math.min(first, #self.list), added)
end

function M.read(path)
  return lines.read_parsed(path or M.PATH, M.parse)
end

-- Writes the file checked by `chronyd -p -f` on the candidate; an unchanged file is neither checked nor written.
function M.write(conf, tag)
  return lines.write_changed(M.PATH, conf, tag, { validate = M.VALIDATOR })
end

-- `chronyc tracking`: "Name : value" lines as rows { item =, value = }.
function M.tracking(text)
  local rows = {}
  for line in (text or ""):gmatch("[^\n]+") do
    local name, value = line:match("^(%S[^:]-)%s*:%s*(.-)%s*$")
    if name then rows[#rows + 1] = { item = name, value = value } end
  end
  return rows
end

local MODES = { ["^"] = "server", ["="] = "peer", ["#"] = "local clock" }
local STATES = { ["*"] = "synchronised", ["+"] = "combined", ["-"] = "not combined", ["?"] = "unusable",
  ["x"] = "may be in error", ["~"] = "too variable" }

-- `chronyc sources`: one row per source line ("^* name stratum poll reach lastrx last-sample").
function M.sources(text)
  local rows = {}
  for line in (text or ""):gmatch("[^\n]+") do
    local mode, state, name, stratum, poll, reach, lastrx, sample =
      line:match("^([%^=#])([%*%+%-%?x~ ])%s+(%S+)%s+(%d+)%s+(%-?%d+)%s+(%d+)%s+(%S+)%s+(.-)%s*$")
    if mode then
      rows[#rows + 1] = { source = name, mode = MODES[mode], state = STATES[state] or "", stratum = stratum,
        poll = poll, reach = reach, last_rx = lastrx, last_sample = sample }
    end
  end
  return rows
end

return M
