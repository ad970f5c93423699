-- wgdump: `wg show all dump`, tab-separated. An interface line has 5 fields (interface, private key, public key,
-- listen port, fwmark), a peer line 9 (interface, public key, preshared key, endpoint, allowed ips, latest
-- handshake, bytes received, bytes sent, persistent keepalive). The private and preshared keys are dropped here,
-- at the parse, so no form, log or API answer can carry them.
local timefmt = require("timefmt")

local M = {}

local function fields(line)
  local list = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do list[#list + 1] = field end
  return list
end

local function handshake(epoch)
  local seconds = tonumber(epoch) or 0
  return seconds > 0 and timefmt.utc(seconds) or "never"
end

local function off(value) return (value == "off" or value == "0" or value == "") and "" or value end

-- interfaces { name, public_key, listen_port, fwmark } and peers { interface, public_key, endpoint, allowed_ips,
-- latest_handshake, received, sent, keepalive }, in the order wg prints them.
function M.parse(text)
  local interfaces, peers = {}, {}
  for line in (text or ""):gmatch("[^\n]+") do
    local f = fields(line:gsub("\r$", ""))
    if #f == 5 then
      interfaces[#interfaces + 1] = { name = f[1], public_key = f[3], listen_port = f[4], fwmark = off(f[5]) }
    elseif #f == 9 then
      peers[#peers + 1] = { interface = f[1], public_key = f[2], endpoint = f[4] == "(none)" and "" or f[4],
        allowed_ips = f[5]:gsub(",", ", "), latest_handshake = handshake(f[6]), received = f[7], sent = f[8],
        keepalive = off(f[9]) }
    end
  end
  return interfaces, peers
end

return M
