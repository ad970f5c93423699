-- swanctlsas: strongSwan 5.9's `swanctl --list-sas`, as IKE SA rows and CHILD SA rows. The format (swanctl's
-- list_sas.c):
--   dmvpn: #2, ESTABLISHED, IKEv2, 9994e2ea5de078da_i* e3a50b96dfa71781_r
--     local  'spoke12.example.net' @ 198.51.100.12[500]
--     remote 'hub1.example.net' @ 203.0.113.1[500]
--     AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_3072
--     established 48s ago, rekeying in 10896s, reauth in 45473s
--     dmvpn: #5, reqid 1, INSTALLED, TRANSPORT, ESP:AES_CBC-256/HMAC_SHA2_256_128/MODP_3072
--       installed 1045s ago, rekeying in 2184s, expires in 2915s
--       in  c6a89c25,  48213 bytes,   612 packets,     2s ago
--       out c4838acd,  51877 bytes,   640 packets,     2s ago
--       local  198.51.100.12/32[gre]
--       remote 203.0.113.1/32[gre]
-- An IKE SA that is still connecting has no algorithms or "established" line but may list queued/active tasks; the
-- "*" after an SPI marks the initiator's. No SAs: no output at all.
local M = {}

M.IKE_COLUMNS = { "name", "state", "local", "remote", "established", "children", "algorithms" }
M.CHILD_COLUMNS = { "ike sa", "name", "state", "mode", "in spi", "in bytes", "in packets", "out spi", "out bytes",
  "out packets", "local ts", "remote ts" }

-- "2531" seconds as "42m 11s", "90061" as "1d 1h".
function M.duration(seconds)
  seconds = tonumber(seconds)
  if not seconds then return "" end
  seconds = math.floor(seconds)
  local d, h, m, s = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60, seconds % 60
  if d > 0 then return d .. "d " .. h .. "h" end
  if h > 0 then return h .. "h " .. m .. "m" end
  if m > 0 then return m .. "m " .. s .. "s" end
  return s .. "s"
end

local function endpoint(id, host, port)
  return "'" .. id .. "' @ " .. host .. (port and port ~= "500" and ("[" .. port .. "]") or "")
end

local function traffic(rest)
  local spi, bytes, packets = rest:match("^(%x+)[^,]*,%s*(%d+) bytes,%s*(%d+) packets")
  return spi, bytes, packets
end

-- { ike = { rows }, children = { rows }, notes = { lines not understood } }.
function M.parse(text)
  local result = { ike = {}, children = {}, notes = {} }
  local ike, child
  for line in (text or ""):gmatch("[^\n]+") do
    line = line:gsub("\r$", "")
    local name, id, state, version = line:match("^(%S[^:]*): #(%d+), ([%u_]+), IKEv(%d+), ")
    local cname, cid, reqid, cstate, mode, proto, algos =
      line:match("^  (%S[^:]*): #(%d+), reqid (%d+), ([%u_]+), ([%u%-a-z]+), (%u+):?(.*)$")
    if name then
      ike = { name = name .. " #" .. id, state = state, version = version, ["local"] = "", remote = "",
        algorithms = "", established = "", children = "0" }
      result.ike[#result.ike + 1] = ike
      child = nil
    elseif cname and ike then
      child = { ["ike sa"] = ike.name, name = cname .. " #" .. cid, reqid = reqid, state = cstate, mode = mode,
        protocol = proto, algorithms = algos, ["in spi"] = "", ["in bytes"] = "", ["in packets"] = "",
        ["out spi"] = "", ["out bytes"] = "", ["out packets"] = "", ["local ts"] = "", ["remote ts"] = "" }
      result.children[#result.children + 1] = child
      ike.children = tostring(math.tointeger(tonumber(ike.children) + 1))
    elseif child and line:match("^    in  ") then
      child["in spi"], child["in bytes"], child["in packets"] = traffic(line:sub(9))
    elseif child and line:match("^    out ") then
      child["out spi"], child["out bytes"], child["out packets"] = traffic(line:sub(9))
    elseif child and line:match("^    local  ") then
      child["local ts"] = line:sub(12)
    elseif child and line:match("^    remote ") then
      child["remote ts"] = line:sub(12)
    elseif child and line:match("^    installed ") then
      child.installed = line:match("installed (%d+)s ago")
    elseif ike and not child and line:match("^  local  ") then
      local lid, host, port = line:match("^  local  '(.*)' @ (%S+)%[(%d+)%]")
      ike["local"] = lid and endpoint(lid, host, port) or line:sub(10)
    elseif ike and not child and line:match("^  remote ") then
      local rid, host, port = line:match("^  remote '(.*)' @ (%S+)%[(%d+)%]")
      ike.remote = rid and endpoint(rid, host, port) or line:sub(10)
    elseif ike and not child and line:match("^  established ") then
      ike.established = M.duration(line:match("established (%d+)s ago")) .. " ago"
    elseif ike and not child and line:match("^  %u[%w_]*[%-/][%w_/%-]*$") then
      ike.algorithms = line:sub(3)
    elseif ike and not child and line:match("^  %a+:%s") then
      -- queued:, active:, passive: task lists of an SA being set up; not shown
    elseif line:match("%S") then
      result.notes[#result.notes + 1] = line
    end
  end
  for _, row in ipairs(result.children) do
    for _, key in ipairs{ "in spi", "in bytes", "in packets", "out spi", "out bytes", "out packets" } do
      row[key] = row[key] or ""
    end
  end
  return result
end

return M
