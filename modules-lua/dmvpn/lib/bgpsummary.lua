-- bgpsummary: FRR bgpd's `show bgp summary`, as rows. FRR 8 prints one section per address family that has peers:
--   IPv4 Unicast Summary (VRF default):
--   BGP router identifier 10.255.0.12, local AS number 65000 vrf-id 0
--   ...
--   Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc
--   10.255.0.1      4      65000         6         5        0    0    0 00:00:12            1        1 hub1
--   10.255.0.2      4      65000         0         0        0    0    0    never Idle (Admin)        0 hub2
--   Total number of neighbors 2
-- State/PfxRcd is the count of received prefixes once the session is up, else the state (which may hold a space:
-- "Idle (Admin)", "Idle (PfxCt)"); a "*" before the neighbor marks a dynamic one (hubs with `bgp listen range`);
-- Desc is the rest of the line ("N/A" when none), cut by FRR at 20 characters. A header with LocalAS has one more
-- column after AS. Without BGP: "% BGP instance not found"; without peers: "% No BGP neighbors found in VRF default".
local lines = require("lines")

local M = {}

M.COLUMNS = { "family", "neighbor", "as", "state", "up/down", "prefixes received", "prefixes sent",
  "messages received", "messages sent", "description" }

-- The part after Up/Down: state or received count, sent count, description.
local function tail(rest)
  local state, sent, desc = rest:match("^%s*(Idle %(%a+%))%s+(%S+)%s*(.-)%s*$")
  if not state then state, sent, desc = rest:match("^%s*(%S+)%s+(%S+)%s*(.-)%s*$") end
  return state, sent, desc
end

local function neighbor_row(line, family, local_as)
  local list = lines.words(line)
  local skip = local_as and 1 or 0
  if #list < 10 + skip then return nil end
  local neighbor, version, as = list[1], list[2], list[3]
  if not version:match("^%d$") or not as:match("^[%d.]+$") then return nil end
  local rcvd, sent_msgs, updown = list[4 + skip], list[5 + skip], list[9 + skip]
  -- Everything after the Up/Down word.
  local pos = 1
  for k = 1, 9 + skip do
    local _, stop = line:find("%S+", pos)
    pos = stop + 1
  end
  local state, sent, desc = tail(line:sub(pos))
  if not state then return nil end
  local dynamic = neighbor:sub(1, 1) == "*"
  local received = state:match("^%d+$")
  return {
    family = family,
    neighbor = dynamic and (neighbor:sub(2) .. " (dynamic)") or neighbor,
    as = as,
    state = received and "Established" or state,
    ["up/down"] = updown,
    ["prefixes received"] = received or (state == "NoNeg" and state) or "",
    ["prefixes sent"] = sent,
    ["messages received"] = rcvd,
    ["messages sent"] = sent_msgs,
    description = (desc == "N/A" or desc == "") and "" or desc,
  }
end

-- { rows = {...}, routers = { { family, router_id, local_as } }, messages = { "% ..." lines }, notes = {...} }.
function M.parse(text)
  local result = { rows = {}, routers = {}, messages = {}, notes = {} }
  local family, in_table, local_as = nil, false, false
  for line in (text or ""):gmatch("[^\n]+") do
    line = line:gsub("\r$", "")
    local section = line:match("^(%S.-) Summary")
    local router_id, asn = line:match("^BGP router identifier (%S+), local AS number (%S+)")
    if section then
      family, in_table = section, false
    elseif router_id then
      result.routers[#result.routers + 1] = { family = family or "", router_id = router_id, local_as = asn }
    elseif line:match("^Neighbor%s+V%s+AS") then
      in_table, local_as = true, line:match("^Neighbor%s+V%s+AS%s+LocalAS") ~= nil
    elseif line:match("^%%") then
      result.messages[#result.messages + 1] = line:match("^%%%s*(.-)%s*$")
    elseif line:match("^Total number of neighbors") then
      in_table = false
    elseif in_table and line:match("%S") then
      local row = neighbor_row(line, family or "", local_as)
      if row then result.rows[#result.rows + 1] = row else result.notes[#result.notes + 1] = line end
    end
  end
  return result
end

return M
