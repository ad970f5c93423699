-- status: the WireGuard interfaces and their peers as the kernel (or wireguard-go) has them now: `wg show all dump`
-- (on the demo host its recorded output). Read only; editing /etc/wireguard/*.conf is not here yet (README).
local cfe = require("cfe")
local wgdump = require("wgdump")

local M = {}

function M.view(ctx, input)
  local result, err = acf.exec({ "wg", "show", "all", "dump" }, { timeout = 10 })
  local failure = err or (result.status ~= 0 and ("wg show failed: " .. (result.stderr or ""))) or nil
  local interfaces, peers = wgdump.parse(not failure and result.stdout or "")
  return cfe.form{
    label = "WireGuard", errtxt = failure,
    descr = "Live state from wg show: when each peer last completed a handshake and the bytes it sent and received.",
    value = {
      interfaces = cfe.structure{ label = "Interfaces", seq = 1, value = interfaces,
        columns = { "name", "public_key", "listen_port", "fwmark" } },
      peers = cfe.structure{ label = "Peers", seq = 2, value = peers,
        columns = { "interface", "public_key", "endpoint", "allowed_ips", "latest_handshake", "received", "sent",
          "keepalive" } },
    },
  }
end

return M
