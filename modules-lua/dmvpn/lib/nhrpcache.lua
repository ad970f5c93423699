-- nhrpcache: FRR nhrpd's `show ip nhrp` (the cache), as rows. FRR 8 prints a header
--   Iface    Type     Protocol                 NBMA                     Claimed NBMA             Flags  Identity
-- then one line per entry with printf("%-8s %-8s %-24s %-24s %-24s %c%c%c    %s"): the flags are three characters
-- (U used, T timeout running, A authentication pending, else a space) and the identity is the rest of the line (an
-- IKE identity may hold spaces, e.g. a certificate DN). Without entries it prints "% No entries".
local M = {}

M.COLUMNS = { "interface", "type", "protocol", "nbma", "claimed nbma", "flags", "identity" }

local FLAG_NAMES = { U = "used", T = "timeout", A = "auth" }

-- The flags as words ("used, timeout"), from the three flag characters.
local function flag_words(flags)
  local words = {}
  for char in flags:gmatch("[UTA]") do words[#words + 1] = FLAG_NAMES[char] end
  return table.concat(words, ", ")
end

-- One cache line, or nil when the line is not one (a header, a message, noise).
local function entry(line)
  local iface, kind, protocol, nbma, claimed_start, claimed =
    line:match("^(%S+)%s+(%S+)%s+(%S+)%s+(%S+)%s+()(%S+)")
  if not iface then return nil end
  -- The claimed NBMA is padded to 24 characters, then a space and the three flag characters.
  local flags_at = claimed_start + math.max(24, #claimed) + 1
  local flags = line:sub(flags_at, flags_at + 2)
  if not flags:match("^[U ][T ][A ]$") then
    -- A line in an older layout (no claimed NBMA column) or something else: not a cache entry.
    return nil
  end
  local identity = line:sub(flags_at + 7):match("^%s*(.-)%s*$")
  return {
    interface = iface, type = kind, protocol = protocol, nbma = nbma, ["claimed nbma"] = claimed,
    flags = flag_words(flags), identity = identity ~= "" and identity or "-",
  }
end

-- { rows = {...}, notes = { lines that were neither header nor entry } }.
function M.parse(text)
  local rows, notes, header = {}, {}, false
  for line in (text or ""):gmatch("[^\n]+") do
    line = line:gsub("\r$", "")
    if line:match("^Iface%s+Type%s+Protocol%s+NBMA") then
      header = true
    elseif line:match("^%s*$") then
      -- nothing
    elseif line:match("^%%%s*No entries") then
      -- an empty cache
    else
      local row = header and entry(line) or nil
      if row then rows[#rows + 1] = row else notes[#notes + 1] = line end
    end
  end
  return { rows = rows, notes = notes }
end

return M
