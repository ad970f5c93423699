-- wgclient: the configuration a new peer's device loads, in wg-quick's form (what the WireGuard apps import from a
-- file or a QR code): its own private key and address, and this box as its one peer. Made once, when the peer is
-- added with a new key pair; it is returned in that answer only and written nowhere, since the private key belongs
-- to the device.
local M = {}

-- c: { private_key, address = { cidr, ... }, server_key, preshared_key ("" for none), allowed_ips = { ... },
-- endpoint, keepalive ("" for none) }.
function M.text(c)
  local out = { "[Interface]", "PrivateKey = " .. c.private_key, "Address = " .. table.concat(c.address, ", "), "",
    "[Peer]", "PublicKey = " .. c.server_key }
  if c.preshared_key ~= "" then out[#out + 1] = "PresharedKey = " .. c.preshared_key end
  out[#out + 1] = "AllowedIPs = " .. table.concat(c.allowed_ips, ", ")
  out[#out + 1] = "Endpoint = " .. c.endpoint
  if c.keepalive ~= "" and c.keepalive ~= "0" then out[#out + 1] = "PersistentKeepalive = " .. c.keepalive end
  return table.concat(out, "\n") .. "\n"
end

return M
